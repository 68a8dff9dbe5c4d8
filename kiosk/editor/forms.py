"""One form builder for every page of the editor: a spec (specs.py) + a file of the pack -> widgets bound to it.

Languages are columns, fields are rows. Every edit goes straight into the PackDocument (one undo step per field
while typing); problems from the validator are shown under the row they concern, the exact cell outlined.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QIntValidator, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.content.problems import Problem, Severity
from kiosk.editor.document import PackDocument, Path_, field_name
from kiosk.editor.specs import DAYS, FACT_KINDS, Facts, Field, Group, Section, Spec

LANGUAGE_NAMES = {"zh": "中文", "en": "English", "ko": "한국어"}
SPLIT_NAMES = re.compile(r"\s*[,，、;；]\s*")


def language_title(code: str) -> str:
    return f"{LANGUAGE_NAMES.get(code, code)} ({code})"


class Paragraph(QPlainTextEdit):
    """A plain-text box a few lines high that grows with its text, for summaries, answers and phrasings."""

    def __init__(self, lines: int = 3) -> None:
        super().__init__()
        self.setTabChangesFocus(True)
        self._lines = lines
        self.document().contentsChanged.connect(self._fit)
        self._fit()

    def _fit(self) -> None:
        line = self.fontMetrics().lineSpacing()
        blocks = self.document().blockCount()
        rows = max(self._lines, min(10, blocks + 1))
        self.setFixedHeight(rows * line + 12)


class SpecForm(QWidget):
    """The form for ``spec`` over file ``rel`` of ``doc``, rooted at ``base`` inside the file."""

    jump = Signal(str)  # a message for the status bar
    picture_wanted = Signal(str)  # rel of the exhibit that wants a picture added

    def __init__(self, doc: PackDocument, rel: str, spec: Spec, base: Path_ = (), parent: QWidget | None = None):
        super().__init__(parent)
        self.doc, self.rel, self.spec, self.base = doc, rel, spec, base
        self.languages = doc.languages
        self.cells: dict[str, QWidget] = {}  # field name (loader spelling) -> input widget
        self.rows: dict[str, QLabel] = {}  # field name of a row -> its problem label
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(8, 8, 8, 8)
        for section in spec:
            self._layout.addWidget(self._section(section))
        self._layout.addStretch(1)

    # -- building --------------------------------------------------------------------------------------------

    def _section(self, section: Section) -> QWidget:
        box = QFrame()
        box.setProperty("role", "section")
        outer = QVBoxLayout(box)
        title = QLabel(section.label)
        title.setProperty("role", "section-title")
        outer.addWidget(title)
        if section.help:
            outer.addWidget(_hint(section.help))
        grid = QGridLayout()
        grid.setColumnStretch(0, 0)
        for i in range(len(self.languages)):
            grid.setColumnStretch(i + 1, 1)
        outer.addLayout(grid)
        needs_header = any(
            isinstance(p, Group | Facts) or (isinstance(p, Field) and p.per_language) for p in section.parts
        )
        if needs_header:
            self._header(grid)
        for part in section.parts:
            if isinstance(part, Field):
                self._field_row(grid, part, self.base)
            elif isinstance(part, Group):
                self._group(grid, part)
            else:
                self._facts(grid, part)
        return box

    def _header(self, grid: QGridLayout) -> None:
        row = grid.rowCount()
        for i, lang in enumerate(self.languages):
            head = QLabel(language_title(lang))
            head.setProperty("role", "column")
            grid.addWidget(head, row, i + 1)

    def _field_row(self, grid: QGridLayout, f: Field, base: Path_, label: str | None = None) -> None:
        path = (*base, *_split(f.key))
        row = grid.rowCount()
        title = QLabel(label or f.label)
        title.setProperty("role", "field")
        title.setToolTip(f.help)
        grid.addWidget(title, row, 0, Qt.AlignmentFlag.AlignTop)
        if f.per_language:
            for i, lang in enumerate(self.languages):
                widget = self._input(f, (*path, lang))
                grid.addWidget(widget, row, i + 1)
        else:
            widget = self._input(f, path)
            grid.addWidget(widget, row, 1, 1, max(1, len(self.languages)))
        problem = _problem_label()
        grid.addWidget(problem, row + 1, 1, 1, max(1, len(self.languages)))
        self.rows[field_name(path)] = problem
        if f.help and f.kind not in ("plain", "int"):
            title.setText(f"{title.text()}")

    def _input(self, f: Field, path: Path_) -> QWidget:
        value = self.doc.get(self.rel, path)
        name = field_name(path)
        widget: QWidget
        if f.kind in ("text", "plain", "list"):
            line = QLineEdit(_as_text(value, f.kind))
            line.setPlaceholderText(_placeholder(f, path))
            line.textEdited.connect(lambda text, p=path, k=f.kind: self._set(p, _from_text(text, k)))
            widget = line
        elif f.kind == "int":
            line = QLineEdit("" if value is None else str(value))
            line.setValidator(QIntValidator(-1000, 100000, line))
            line.setMaximumWidth(120)
            line.textEdited.connect(lambda text, p=path: self._set(p, int(text) if text.strip("-") else None))
            widget = line
        elif f.kind in ("para", "lines"):
            box = Paragraph(4)
            box.setPlainText(_as_text(value, f.kind))
            box.setPlaceholderText(_placeholder(f, path))
            box.textChanged.connect(lambda b=box, p=path, k=f.kind: self._set(p, _from_text(b.toPlainText(), k)))
            widget = box
        elif f.kind == "choice":
            combo = QComboBox()
            choices = list(self._choices(f))
            current = "" if value is None else str(value)
            if current and current not in choices:
                choices.insert(0, current)
            combo.addItems(["", *choices])
            combo.setCurrentText(current)
            combo.currentTextChanged.connect(lambda text, p=path: self._set(p, text or None))
            widget = combo
        elif f.kind == "days":
            widget = self._days(path, value)
        elif f.kind == "media":
            widget = self._picture(value)
        else:  # pragma: no cover - a spec mistake
            raise ValueError(f.kind)
        widget.setObjectName(name)
        self.cells[name] = widget
        return widget

    def _days(self, path: Path_, value: Any) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        chosen = set(value or [])
        checks: list[QCheckBox] = []
        for day in DAYS:
            check = QCheckBox(day.capitalize())
            check.setChecked(day in chosen)
            checks.append(check)
            row.addWidget(check)

        def changed() -> None:
            self._set(path, [d for d, c in zip(DAYS, checks, strict=True) if c.isChecked()])

        for check in checks:
            check.toggled.connect(changed)
        row.addStretch(1)
        return box

    def _picture(self, value: Any) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        preview = QLabel()
        preview.setObjectName("preview")
        preview.setFixedSize(160, 120)
        preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        path = self.doc.root / "exhibits" / str(value or "")
        pixmap = QPixmap(str(path)) if value and path.is_file() else QPixmap()
        if pixmap.isNull():
            preview.setText("no picture" if not value else f"cannot show\n{Path(str(value)).name}")
        else:
            preview.setPixmap(
                pixmap.scaled(160, 120, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
            )
        row.addWidget(preview)
        row.addWidget(QLabel(str(value or "")))
        row.addStretch(1)
        return box

    def _group(self, grid: QGridLayout, g: Group) -> None:
        path = (*self.base, *_split(g.key))
        items = self.doc.get(self.rel, path, [])
        row = grid.rowCount()
        head = QLabel(g.label)
        head.setProperty("role", "group-title")
        grid.addWidget(head, row, 0)
        if g.help:
            grid.addWidget(_hint(g.help), row, 1, 1, max(1, len(self.languages)))
        problem = _problem_label()
        grid.addWidget(problem, row + 1, 1, 1, max(1, len(self.languages)))
        self.rows[field_name(path)] = problem
        for i in range(len(items) if isinstance(items, list) else 0):
            item_path = (*path, i)
            top = grid.rowCount()
            rule = QFrame()
            rule.setFrameShape(QFrame.Shape.HLine)
            grid.addWidget(rule, top, 0, 1, len(self.languages) + 1)
            for j, f in enumerate(g.fields):
                label = f"{g.item.capitalize()} {i + 1}" if j == 0 and len(g.fields) == 1 else None
                if j == 0 and len(g.fields) > 1:
                    label = f"{g.item.capitalize()} {i + 1}"
                    label += "" if f.label.lower() == g.item else f": {f.label.lower()}"
                self._field_row(grid, f, item_path, label)
            remove = QPushButton(f"Remove {g.item} {i + 1}")
            remove.setObjectName(f"remove:{field_name(item_path)}")
            remove.clicked.connect(lambda _=False, p=item_path, w=g.item: self.doc.remove(self.rel, p, f"Remove {w}"))
            grid.addWidget(remove, grid.rowCount(), 0)
        add = QPushButton(f"Add {g.item}" if g.key != "media" else "Add picture…")
        add.setObjectName(f"add:{field_name(path)}")
        if g.key == "media":
            add.clicked.connect(lambda: self.picture_wanted.emit(self.rel))
        else:
            add.clicked.connect(lambda: self.doc.append(self.rel, path, dict(g.new) or {}, f"Add {g.item}"))
        grid.addWidget(add, grid.rowCount(), 0)

    def _facts(self, grid: QGridLayout, spec: Facts) -> None:
        path = (*self.base, spec.key)
        facts = self.doc.get(self.rel, path, {})
        row = grid.rowCount()
        grid.addWidget(_hint(spec.help), row, 0, 1, len(self.languages) + 1)
        for kind in list(facts.keys()) if isinstance(facts, dict) else []:
            top = grid.rowCount()
            combo = QComboBox()
            combo.setEditable(True)
            combo.addItems([kind, *[k for k in FACT_KINDS if k != kind]])
            combo.setCurrentText(kind)
            combo.setObjectName(f"kind:facts.{kind}")
            combo.setToolTip("The kind of fact. Typed kinds (weight, period, material...) are understood in questions.")
            editor = combo.lineEdit()
            if editor is not None:
                editor.editingFinished.connect(
                    lambda c=combo, old=kind: self._rename_fact(path, old, c.currentText().strip())
                )
            combo.activated.connect(lambda _i, c=combo, old=kind: self._rename_fact(path, old, c.currentText()))
            grid.addWidget(combo, top, 0, Qt.AlignmentFlag.AlignTop)
            for i, lang in enumerate(self.languages):
                grid.addWidget(self._input(Field(kind, kind, "text"), (*path, kind, lang)), top, i + 1)
            problem = _problem_label()
            grid.addWidget(problem, top + 1, 1, 1, len(self.languages))
            self.rows[field_name((*path, kind))] = problem
            remove = QPushButton(f"Remove {kind}")
            remove.setObjectName(f"remove:facts.{kind}")
            remove.clicked.connect(lambda _=False, k=kind: self.doc.remove(self.rel, (*path, k), f"Remove fact {k}"))
            grid.addWidget(remove, top + 2, 0)
        add = QPushButton("Add fact")
        add.setObjectName("add:facts")
        add.clicked.connect(lambda: self._add_fact(path))
        grid.addWidget(add, grid.rowCount(), 0)

    # -- editing ---------------------------------------------------------------------------------------------

    def _set(self, path: Path_, value: Any) -> None:
        order = self.languages if path and path[-1] in self.languages else ()
        self.doc.set(self.rel, path, value, order=order)

    def _rename_fact(self, path: Path_, old: str, new: str) -> None:
        facts = self.doc.get(self.rel, path, {})
        if not new or new == old or new in facts:
            return
        self.doc.rename_key(self.rel, path, old, new)

    def _add_fact(self, path: Path_) -> None:
        facts = self.doc.get(self.rel, path, {}) or {}
        kind = next((k for k in FACT_KINDS if k not in facts), f"fact_{len(facts) + 1}")
        self.doc.put(self.rel, (*path, kind), {}, f"Add fact {kind}")

    def _choices(self, f: Field) -> tuple[str, ...]:
        if f.choices == "galleries":
            galleries = self.doc.get("content/venue.yaml", ("galleries",), [])
            return tuple(str(g.get("id")) for g in galleries if isinstance(g, dict) and g.get("id"))
        return tuple(f.choices)

    # -- problems --------------------------------------------------------------------------------------------

    def show_problems(self, problems: list[Problem]) -> int:
        """Show each problem of this form's file beside its row; returns how many found a row here."""
        texts: dict[str, list[str]] = {}
        bad_cells: set[str] = set()
        prefix = field_name(self.base)
        shown = 0
        for problem in problems:
            if problem.file != self.rel:
                continue
            name = problem.field
            if prefix and not (name == prefix or name.startswith(prefix + ".") or name.startswith(prefix + "[")):
                continue
            row = _nearest(name, self.rows)
            if row is None:
                continue
            mark = "Fix:" if problem.severity is Severity.ERROR else "Note:"
            texts.setdefault(row, []).append(f"{mark} {for_form(problem.message)}")
            if name in self.cells and problem.severity is Severity.ERROR:
                bad_cells.add(name)
            shown += 1
        # A grid gives a word-wrapped label one line's height: reserve what it needs, at a width on the safe side.
        width = max(260, int((self.width() - 220) * 0.8))
        for row, label in self.rows.items():
            lines = texts.get(row)
            label.setVisible(bool(lines))
            label.setText("\n".join(lines or []))
            if lines:
                text = label.text()
                box = label.fontMetrics().boundingRect(0, 0, width, 10_000, Qt.TextFlag.TextWordWrap, text)
                label.setMinimumHeight(box.height() + label.fontMetrics().lineSpacing() // 2 + 4)
        for name, cell in self.cells.items():
            bad = name in bad_cells
            if cell.property("problem") != bad:
                cell.setProperty("problem", bad)
                cell.style().unpolish(cell)
                cell.style().polish(cell)
        return shown

    def focus_field(self, name: str) -> bool:
        cell = self.cells.get(name) or self.cells.get(_nearest(name, self.cells) or "")
        if cell is None:
            return False
        cell.setFocus(Qt.FocusReason.OtherFocusReason)
        return True


YAML_ADVICE = re.compile(r"\s*(?:Add a line '[^']*'|Put the file in exhibits/media/ and give its name here)\.?\s*$")


def for_form(message: str) -> str:
    """A validator message without the advice meant for people editing YAML by hand (the form is the fix)."""
    return YAML_ADVICE.sub("", message).rstrip(";, ") or message


def _nearest(name: str, table: dict[str, Any]) -> str | None:
    """The longest name in ``table`` that ``name`` is, or is inside ("questions[2].ask.en" -> "questions[2].ask")."""
    while name:
        if name in table:
            return name
        cut = max(name.rfind("."), name.rfind("["))
        if cut <= 0:
            break
        name = name[:cut]
    return name if name in table else None


def _split(key: str) -> Path_:
    return tuple(part for part in key.split(".") if part)


def _problem_label() -> QLabel:
    label = QLabel()
    label.setProperty("role", "problem")
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
    label.hide()
    return label


def _hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setProperty("role", "help")
    label.setWordWrap(True)
    return label


def _placeholder(f: Field, path: Path_) -> str:
    if f.kind == "list":
        return "name, other name, …"
    if f.kind == "lines":
        return "one wording per line"
    return f.help if not f.per_language else ""


def _as_text(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if kind == "list" and isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if kind == "lines" and isinstance(value, list):
        return "\n".join(str(v) for v in value)
    if isinstance(value, dict | list):
        return ""
    return str(value)


def _from_text(text: str, kind: str) -> Any:
    if kind == "list":
        return [t for t in SPLIT_NAMES.split(text.strip()) if t]
    if kind == "lines":
        return [t.strip() for t in text.splitlines() if t.strip()]
    return text.strip() or None


Builder = Callable[[PackDocument, str], SpecForm]
