"""The editor's look: the desktop's own style, with a few roles for help, problems and headings."""

STYLE = """
QLabel[role="section-title"] { font-size: 15px; font-weight: 700; margin-top: 6px; }
QLabel[role="group-title"] { font-weight: 700; }
QLabel[role="page-title"] { font-size: 17px; font-weight: 700; }
QLabel[role="column"] { font-weight: 600; color: #37474f; }
QLabel[role="field"] { font-weight: 600; padding-top: 4px; }
QLabel[role="help"] { color: #5f6b73; }
QLabel[role="problem"] { color: #b3261e; }
QLabel[role="answer"] { font-size: 15px; padding: 8px; background: #f3f6f8; border-radius: 6px; }
QFrame[role="section"] { border-bottom: 1px solid #d6dde2; }
QLineEdit[problem="true"], QPlainTextEdit[problem="true"], QComboBox[problem="true"] { border: 2px solid #b3261e; }
"""
