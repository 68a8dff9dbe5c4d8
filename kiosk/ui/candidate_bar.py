"""The Chinese candidate bar of the on-screen keyboard: the pinyin typed so far above the words it may stand for.

As many candidates as fit the width show at once, each at least ``MIN_TOUCH`` pixels square, paged by ‹ and ›.
Buttons never take the focus, and take their font from the theme's ``role="key"`` rule.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.ui.strings import register, t
from kiosk.ui.theme import MIN_TOUCH

SPACING = 4

register(
    {
        "kb_more": {"en": "More words", "zh": "更多", "ko": "더 보기"},
        "kb_fewer": {"en": "Previous words", "zh": "上一页", "ko": "이전"},
    }
)


class CandidateBar(QWidget):
    """The pinyin typed so far above a row of Chinese candidates that fit the width."""

    chosen = Signal(int)
    """The index, in the full candidate list, of the candidate tapped."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.composition = QLabel()
        self.composition.setProperty("role", "marker")
        self.row = QHBoxLayout()
        self.row.setSpacing(SPACING)
        self.row.setContentsMargins(0, 0, 0, 0)
        self.fewer = self._nav("‹", "kb_fewer", -1)
        self.more = self._nav("›", "kb_more", 1)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        box.addWidget(self.composition)
        box.addLayout(self.row)
        self.buttons: list[QPushButton] = []
        self._texts: list[str] = []
        self._starts = [0]
        self._height = MIN_TOUCH

    def _nav(self, text: str, name: str, step: int) -> QPushButton:
        button = QPushButton(text)
        button.setProperty("role", "key")
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.setMinimumSize(MIN_TOUCH, MIN_TOUCH)
        button.setAccessibleName(t(name, "zh"))
        button.clicked.connect(lambda: self._turn(step))
        return button

    def set_candidates(self, composition: str, texts: list[str]) -> None:
        self.composition.setText(composition)
        self._texts = texts
        self._starts = [0]
        self._fill()

    def set_row_height(self, height: int) -> None:
        self._height = height
        for button in (*self.buttons, self.fewer, self.more):
            button.setFixedHeight(height)
        self.composition.ensurePolished()
        self.composition.setFixedHeight(self.composition.fontMetrics().height() + 4)  # the same, typing or not
        self._fill()

    def _turn(self, step: int) -> None:
        if step > 0 and self._starts[-1] + len(self.buttons) < len(self._texts):
            self._starts.append(self._starts[-1] + len(self.buttons))
        elif step < 0 and len(self._starts) > 1:
            self._starts.pop()
        self._fill()

    def _fill(self) -> None:
        while self.row.count():
            item = self.row.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None and widget not in (self.fewer, self.more):
                widget.hide()
                widget.deleteLater()
        self.buttons = []
        start = self._starts[-1]
        room = max(self.width(), MIN_TOUCH * 6) - 2 * (MIN_TOUCH + SPACING)
        for index in range(start, len(self._texts)):
            button = QPushButton(self._texts[index], self)
            button.setProperty("role", "key")
            button.ensurePolished()  # the theme's font for keys, to measure the word with
            metrics = button.fontMetrics()
            width = max(MIN_TOUCH, metrics.horizontalAdvance(button.text()) + metrics.height())
            if self.buttons and width > room:
                button.deleteLater()
                break
            room -= width + SPACING
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setMinimumSize(width, MIN_TOUCH)
            button.setFixedHeight(self._height)
            button.clicked.connect(lambda _=False, i=index: self.chosen.emit(i))
            self.buttons.append(button)
            self.row.addWidget(button)
            button.show()
        self.row.addStretch(1)
        self.row.addWidget(self.fewer)
        self.row.addWidget(self.more)
        self.fewer.setEnabled(start > 0)
        self.more.setEnabled(start + len(self.buttons) < len(self._texts))
        layout = self.layout()
        if layout is not None:
            layout.activate()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self._fill()


__all__ = ["CandidateBar"]
