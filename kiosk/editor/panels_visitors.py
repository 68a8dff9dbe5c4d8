"""The "What visitors asked" panel: import the questions kiosks could not answer well (kiosk/editor/visitors.py),
see them grouped by how often they were asked, and turn each group into a curated question on an exhibit or mark it
out of scope. Decisions are kept in the pack folder, so a handled question stays hidden on the next import.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.editor.document import field_name
from kiosk.editor.forms import language_title
from kiosk.editor.panels_coverage import open_field, set_role
from kiosk.editor.visitors import Decision, Decisions, QuestionGroup, ReadQuestions, group_questions, read_exports
from kiosk.errors import EditorError

if TYPE_CHECKING:
    from kiosk.editor.window import EditorWindow

ROLE = Qt.ItemDataRole.UserRole


class VisitorsPanel(QWidget):
    def __init__(self, window: EditorWindow) -> None:
        super().__init__()
        self.window_ = window
        self.paths: list[Path] = []
        self.questions = ReadQuestions()
        self.groups: list[QuestionGroup] = []
        """Every group of the imported questions, decided or not."""
        self.decisions: Decisions | None = None

        layout = QVBoxLayout(self)
        intro = QLabel(
            "Questions visitors asked that the guide could not answer well, from the files kiosks export with "
            "'kiosk report export'. Turn each into a curated question, or mark it out of scope."
        )
        intro.setWordWrap(True)
        intro.setProperty("role", "help")
        self.import_button = QPushButton("Import questions…")
        self.import_button.setObjectName("visitors-import")
        self.import_button.clicked.connect(self.choose_files)
        self.message = QLabel("No questions imported yet.")
        self.message.setObjectName("visitors-message")
        self.message.setWordWrap(True)
        self.message.setProperty("role", "help")
        self.list = QListWidget()
        self.list.setObjectName("visitors-groups")
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.currentItemChanged.connect(lambda _item, _old: self._selected_changed())
        form = QFormLayout()
        self.exhibit = QComboBox()
        self.exhibit.setObjectName("visitors-exhibit")
        self.exhibit.currentIndexChanged.connect(lambda _i: self._update_buttons())
        form.addRow("Exhibit", self.exhibit)
        buttons = QHBoxLayout()
        self.add_button = QPushButton("Add as a curated question")
        self.add_button.setObjectName("visitors-add")
        self.add_button.setToolTip("Adds these wordings as a new question on the exhibit; you type the answer next.")
        self.add_button.clicked.connect(self.add_selected)
        self.out_button = QPushButton("Out of scope")
        self.out_button.setObjectName("visitors-out")
        self.out_button.setToolTip("Not something the guide should answer: hide it from now on.")
        self.out_button.clicked.connect(self.out_of_scope)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.out_button)
        buttons.addStretch(1)
        for widget in (intro, self.import_button, self.message):
            layout.addWidget(widget)
        layout.addWidget(self.list, 1)
        layout.addLayout(form)
        layout.addLayout(buttons)
        self._update_buttons()

    # -- importing -------------------------------------------------------------------------------------------

    def choose_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self, "Import visitors' questions", "", "Questions exported from kiosks (*.json)"
        )
        if paths:
            self.import_files(paths)

    def import_files(self, paths: Iterable[Path | str]) -> bool:
        """Add export files to those imported and show their questions; False (and a message) when one cannot be
        read, leaving what was shown before."""
        wanted = list(dict.fromkeys([*self.paths, *(Path(p) for p in paths)]))
        try:
            questions = read_exports(wanted)
            decisions = self.decisions or Decisions.load(self.window_.doc.root)
        except EditorError as err:
            self._say(f"Not imported: {err}", problem=True)
            return False
        self.paths, self.questions, self.decisions = wanted, questions, decisions
        report = self.window_.report
        self.groups = group_questions(questions, report.pack if report is not None else None)
        self._fill()
        return True

    # -- the list --------------------------------------------------------------------------------------------

    @property
    def shown(self) -> list[QuestionGroup]:
        """The groups still to decide, most asked first."""
        return self.decisions.undecided(self.groups) if self.decisions is not None else []

    def _fill(self, row: int = 0) -> None:
        shown = self.shown
        self.list.clear()
        for group in shown:
            item = QListWidgetItem(self._describe(group))
            item.setData(ROLE, group)
            self.list.addItem(item)
        handled = len(self.groups) - len(shown)
        text = self.questions.summary() + f": {len(self.groups)} different question(s)"
        text += f", {handled} already handled." if handled else "."
        if not shown and self.groups:
            text += " Nothing left to decide."
        self._say(text)
        if shown:
            self.list.setCurrentRow(min(row, len(shown) - 1))
        self._selected_changed()

    def _describe(self, group: QuestionGroup) -> str:
        times = "once" if group.count == 1 else f"{group.count} times"
        guessed = group.named_exhibit or group.exhibit
        lines = [
            f"“{group.question}”",
            f"Asked {times} · {', '.join(language_title(lang) for lang in group.languages)}"
            + f" · the kiosk thought: {self._exhibit_name(guessed, group.language) if guessed else 'no exhibit'}",
        ]
        others = [f"“{w.text}”" for w in group.wordings if w.text != group.question]
        if others:
            lines.append(f"Also asked as: {', '.join(others)}")
        return "\n".join(lines)

    def selected(self) -> QuestionGroup | None:
        item = self.list.currentItem()
        return None if item is None else item.data(ROLE)  # type: ignore[no-any-return]

    def _selected_changed(self) -> None:
        group = self.selected()
        self.exhibit.blockSignals(True)
        self.exhibit.clear()
        self.exhibit.addItem("Choose an exhibit…", None)
        language = group.language if group else self.window_.doc.languages[0]
        for rel in self.window_.doc.exhibit_files():
            self.exhibit.addItem(self._exhibit_name(self._id(rel), language), rel)
        guessed = (group.named_exhibit or group.exhibit) if group else None
        if guessed is not None:
            self.exhibit.setCurrentIndex(max(0, self.exhibit.findData(self._rel(guessed))))
        self.exhibit.blockSignals(False)
        self._update_buttons()

    def _update_buttons(self) -> None:
        group = self.selected()
        self.out_button.setEnabled(group is not None)
        self.add_button.setEnabled(group is not None and self.exhibit.currentData() is not None)
        self.exhibit.setEnabled(group is not None)

    # -- decisions -------------------------------------------------------------------------------------------

    def add_selected(self) -> str | None:
        """Add the selected group to the chosen exhibit as a curated question, open it with the cursor in the answer
        for the group's language, and hide the group. Returns the answer's field name (None when nothing was
        added). The document's Undo removes the question again."""
        group, rel = self.selected(), self.exhibit.currentData()
        if group is None or rel is None:
            return None
        doc, language = self.window_.doc, group.language
        if language not in doc.languages:
            self._say(
                f"This question is in {language_title(language)}, which the venue does not offer; add the language "
                "in the venue settings first.",
                problem=True,
            )
            return None
        if not self._decide(group, Decision.ADDED, self._id(rel)):
            return None
        asks = [group.question, *(w.text for w in group.wordings if w.text != group.question)]
        index = doc.append(rel, ("questions",), {"ask": {language: asks}, "answer": {}}, "Add visitor question")
        answer = field_name(("questions", index, "answer", language))
        open_field(self.window_, rel, answer)
        self.window_.statusBar().showMessage(f"Added as question {index + 1}: type the guide's answer", 6000)
        return answer

    def out_of_scope(self) -> bool:
        group = self.selected()
        return group is not None and self._decide(group, Decision.OUT_OF_SCOPE)

    def _decide(self, group: QuestionGroup, decision: Decision, exhibit: str | None = None) -> bool:
        if self.decisions is None:
            return False
        row = self.list.currentRow()
        try:
            self.decisions.mark(group, decision, exhibit=exhibit)
            self.decisions.save()
        except EditorError as err:
            self._say(f"Not recorded: {err}", problem=True)
            return False
        self._fill(row)
        return True

    # -- helpers ---------------------------------------------------------------------------------------------

    def _id(self, rel: str) -> str:
        return str(self.window_.doc.get(rel, ("id",)) or Path(rel).stem)

    def _rel(self, exhibit_id: str) -> str | None:
        return next((r for r in self.window_.doc.exhibit_files() if self._id(r) == exhibit_id), None)

    def _exhibit_name(self, exhibit_id: str, language: str) -> str:
        rel = self._rel(exhibit_id)
        if rel is None:
            return exhibit_id
        names = self.window_.doc.get(rel, ("name",), {})
        if not isinstance(names, dict):
            return exhibit_id
        return str(names.get(language) or next((v for v in names.values() if v), exhibit_id))

    def _say(self, text: str, *, problem: bool = False) -> None:
        self.message.setText(text)
        set_role(self.message, "problem" if problem else "help")


__all__ = ["VisitorsPanel"]
