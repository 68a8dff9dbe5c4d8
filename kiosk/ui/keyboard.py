"""The on-screen keyboard: for visitors who cannot or would rather not speak, on a kiosk with no physical keyboard.

English types QWERTY letters with shift; Korean composes Hangul syllables from 2-beolsik jamo in the line edit itself
(the syllable being typed shows in the text and changes as jamo are added, see :mod:`kiosk.ui.hangul`); Chinese builds
a pinyin string in a strip above the keys, with a bar of candidates, venue names first (:mod:`kiosk.ui.pinyin`).
Keys never take the focus, so the line edit keeps its cursor. Keys are sized from the keyboard's width (a 1080-pixel
portrait screen or a 900-pixel side panel) and never below ``MIN_TOUCH``; colours and fonts come from the theme's
``role="key"`` rule.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton, QSizePolicy, QVBoxLayout, QWidget
from shiboken6 import isValid

from kiosk.ui import keyboard_layouts as kl
from kiosk.ui import pinyin
from kiosk.ui.candidate_bar import SPACING, CandidateBar
from kiosk.ui.hangul import HangulComposer, is_jamo
from kiosk.ui.keyboard_layouts import Action, Key
from kiosk.ui.theme import MIN_TOUCH

MAX_KEY_HEIGHT = 96


def key_height(width: int) -> int:
    """A key row's height for a keyboard ``width`` pixels wide: about square keys, never under ``MIN_TOUCH``."""
    return max(MIN_TOUCH, min(MAX_KEY_HEIGHT, round(width / kl.ROW_UNITS * 0.85)))


class KeyButton(QPushButton):
    """One key: role "key", never focused, so the line edit keeps the focus and its cursor."""

    def __init__(self, key: Key, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.setProperty("role", "key")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setMinimumSize(MIN_TOUCH, MIN_TOUCH)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAutoRepeat(key.action is Action.BACKSPACE)  # hold to keep deleting


class OnScreenKeyboard(QWidget):
    """A touch keyboard typing into one line edit, in English, Korean (2-beolsik) or Chinese (pinyin)."""

    submitted = Signal()
    """The Enter ("Ask") key was pressed with nothing left to compose."""

    def __init__(self, language: str = "en", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.language = ""
        self.layer = kl.LETTERS
        self.shift = False
        self.keys: list[KeyButton] = []
        self._target: QLineEdit | None = None
        self._hangul = HangulComposer()
        self._shown = ""  # the Korean syllable being composed, as it stands in the line edit
        self._expect: tuple[str, int] = ("", 0)  # the line edit's text and cursor after our last change
        self._pinyin = pinyin.PinyinInput()
        self.typed = ""
        """The pinyin typed and not yet turned into Chinese."""
        self.candidates: list[pinyin.Candidate] = []
        self.bar = CandidateBar()
        self.bar.chosen.connect(self.choose)
        self._rows = QVBoxLayout()
        self._rows.setSpacing(SPACING)
        box = QVBoxLayout(self)
        box.setContentsMargins(SPACING, SPACING, SPACING, SPACING)
        box.setSpacing(SPACING)
        box.addWidget(self.bar)
        box.addLayout(self._rows)
        self.set_language(language)

    # -- the interface -------------------------------------------------------------------------------------------

    def set_target(self, line_edit: QLineEdit | None) -> None:
        """Type into ``line_edit`` from now on (None: type nowhere)."""
        self._finish()
        self._target = line_edit

    def target(self) -> QLineEdit | None:
        """The line edit typed into (None when there is none, or it has been deleted)."""
        if self._target is not None and not isValid(self._target):
            self._target = None
        return self._target

    def set_language(self, language: str) -> None:
        """Show ``language``'s letters (zh, en, ko; English keys for any other)."""
        self._finish()
        self.language = language
        self.layer = kl.LETTERS
        self.shift = False
        self.bar.setVisible(language == "zh")
        if language == "zh":
            pinyin.prepare()
        self._build()

    def set_vocabulary(self, words: Iterable[str]) -> None:
        """The venue's own names (exhibits, galleries): offered first among Chinese candidates."""
        self._pinyin.set_vocabulary(words)
        self._refresh_candidates()

    def press(self, key: Key) -> None:
        """What a key does (also what a tap on it does)."""
        match key.action:
            case Action.CHAR:
                self._char(key.typed(self.shift))
                if self.shift:
                    self._set_shift(False)
            case Action.SHIFT:
                self._set_shift(not self.shift)
            case Action.BACKSPACE:
                self._backspace()
            case Action.SPACE:
                self._space()
            case Action.ENTER:
                self._enter()
            case Action.LAYER:
                self.layer = kl.SYMBOLS if self.layer == kl.LETTERS else kl.LETTERS
                self.shift = False
                self._build()

    def choose(self, index: int) -> None:
        """Type Chinese candidate ``index`` in place of the pinyin it stands for."""
        if 0 <= index < len(self.candidates):
            candidate = self.candidates[index]
            self._insert(candidate.text)
            self.typed = self.typed[candidate.consumed :].lstrip("'")
            self._refresh_candidates()

    def key_button(self, char_or_action: str | Action) -> KeyButton:
        """The button that types ``char_or_action`` (a character, or an action such as ``Action.ENTER``)."""
        for button in self.keys:
            key = button.key
            if char_or_action in (key.action, key.char, key.shifted) and key.action is not Action.SPACER:
                return button
        raise KeyError(char_or_action)

    # -- typing --------------------------------------------------------------------------------------------------

    def _char(self, char: str) -> None:
        if self.language == "ko" and is_jamo(char):
            self._compose_hangul(char)
        elif self.language == "zh" and self.layer == kl.LETTERS and ("a" <= char <= "z" or char == "'"):
            if char != "'" or (self.typed and not self.typed.endswith("'")):
                self.typed += char
                self._refresh_candidates()
            elif not self.typed:
                self._insert(char)
        else:
            self._finish(commit_pinyin=True)
            self._insert(char)

    def _backspace(self) -> None:
        if self.typed:
            self.typed = self.typed[:-1]
            self._refresh_candidates()
        elif self._hangul_in_sync() and self._hangul.backspace():
            self._show_hangul("", self._hangul.preedit)
        elif (edit := self.target()) is not None:
            self._finish()
            edit.backspace()

    def _space(self) -> None:
        if self.typed:
            if self.candidates:
                self.choose(0)
            else:
                self._finish(commit_pinyin=True)
            return
        self._finish()
        self._insert(" ")

    def _enter(self) -> None:
        if self.typed:  # as in Chinese input methods: Enter types the letters themselves
            letters, self.typed = self.typed.replace("'", ""), ""
            self._insert(letters)
            self._refresh_candidates()
            return
        self._finish()
        self.submitted.emit()

    def _insert(self, text: str) -> None:
        edit = self.target()
        if edit is not None and text:
            edit.insert(text)

    def _finish(self, commit_pinyin: bool = False) -> None:
        """End any composing: the Hangul syllable stays as typed; pinyin becomes its best words, or is dropped."""
        self._hangul.reset()
        self._shown = ""
        if commit_pinyin:
            while self.typed and self.candidates:
                self.choose(0)
            self._insert(self.typed.replace("'", ""))
        if self.typed:
            self.typed = ""
            self._refresh_candidates()

    # -- Korean: the syllable being typed lives in the line edit ---------------------------------------------------

    def _hangul_in_sync(self) -> bool:
        """Whether the line edit is as we left it; if the visitor moved the cursor or the text changed, start afresh."""
        edit = self.target()
        if edit is None or not self._hangul.composing:
            return False
        if (edit.text(), edit.cursorPosition()) != self._expect or edit.hasSelectedText():
            self._hangul.reset()
            self._shown = ""
            return False
        return True

    def _compose_hangul(self, jamo: str) -> None:
        if not self._hangul_in_sync():
            self._hangul.reset()
            self._shown = ""
        done = self._hangul.feed(jamo)
        self._show_hangul(done, self._hangul.preedit)

    def _show_hangul(self, done: str, preedit: str) -> None:
        edit = self.target()
        if edit is None:
            self._hangul.reset()
            return
        if self._shown:
            end = edit.cursorPosition()
            edit.setSelection(end - len(self._shown), len(self._shown))
            if not done + preedit:
                edit.del_()
        edit.insert(done + preedit)
        self._shown = preedit
        self._expect = (edit.text(), edit.cursorPosition())

    # -- Chinese ------------------------------------------------------------------------------------------------

    def _refresh_candidates(self) -> None:
        self.candidates = self._pinyin.candidates(self.typed) if self.typed else []
        self.bar.set_candidates(self.typed, [c.text for c in self.candidates])

    # -- keys -----------------------------------------------------------------------------------------------------

    def _set_shift(self, on: bool) -> None:
        self.shift = on
        for button in self.keys:
            if button.key.action is Action.SHIFT:
                button.setChecked(on)
            elif button.key.shifted:
                button.setText(kl.label(button.key, self.language, self.layer, on))

    def _build(self) -> None:
        while self._rows.count():
            item = self._rows.takeAt(0)
            row = item.layout() if item is not None else None
            while row is not None and row.count():
                inner = row.takeAt(0)
                widget = inner.widget() if inner is not None else None
                if widget is not None:
                    widget.hide()
                    widget.deleteLater()
            if row is not None:
                row.deleteLater()
        self.keys = []
        height = key_height(self.width())
        for keys in kl.layout(self.language, self.layer):
            row = QHBoxLayout()
            row.setSpacing(SPACING)
            for key in keys:
                stretch = round(key.units * 10)
                if key.action is Action.SPACER:
                    row.addStretch(stretch)
                    continue
                button = KeyButton(key, self)
                button.setText(kl.label(key, self.language, self.layer, self.shift))
                button.setAccessibleName(kl.spoken(key, self.language, self.layer, self.shift))
                button.setCheckable(key.action is Action.SHIFT)
                button.setFixedHeight(height)
                button.clicked.connect(lambda _=False, k=key: self.press(k))
                row.addWidget(button, stretch)
                button.show()  # now, so the layout places it now (a layout shows new children only later)
                self.keys.append(button)
            self._rows.addLayout(row)
        self._fit(height)
        layout = self.layout()
        if layout is not None:
            layout.activate()  # the new keys get their places now, not at the next event

    def _fit(self, height: int) -> None:
        for button in self.keys:
            button.setFixedHeight(height)
        self.bar.set_row_height(max(MIN_TOUCH, height * 4 // 5))
        rows = len(kl.layout(self.language, self.layer))
        total = rows * height + (rows + 1) * SPACING + SPACING
        if self.bar.isVisibleTo(self):
            total += self.bar.sizeHint().height() + SPACING
        self.setFixedHeight(total)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self._fit(key_height(event.size().width()))


__all__ = ["CandidateBar", "KeyButton", "OnScreenKeyboard", "key_height"]
