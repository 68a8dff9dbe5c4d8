""" "Ask the guide": the real mind on the unsaved pack, answering as the curator types; "Hear it" speaks the answer
with the venue's voice."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.editor.live import LiveGuide
from kiosk.editor.preview import GuidePreview
from kiosk.mind.answer import Turn
from kiosk.ops.paths import demo_pack_path

TYPING_PAUSE_MS = 40  # an answer takes ~1 ms: 40 ms after the last key leaves the rest of the 100 ms for drawing


class TryPanel(QWidget):
    open_exhibit = Signal(str)  # rel of the exhibit the answer is about
    answered = Signal(object)  # the Turn, for tests and the avatar preview

    def __init__(self, live: LiveGuide, speak: Callable[[str, str], None] | None = None) -> None:
        super().__init__()
        self.live = live
        self._speak = speak
        self.turn: Turn | None = None
        self.answered_at = 0.0
        layout = QVBoxLayout(self)
        intro = QLabel("Ask a question as a visitor would. The guide answers from what is on screen, saved or not.")
        intro.setWordWrap(True)
        intro.setProperty("role", "help")
        self.question = QLineEdit()
        self.question.setObjectName("ask")
        self.question.setPlaceholderText("How old is it?  它有多重？  언제 만들었나요?")
        self.question.setClearButtonEnabled(True)
        self.follow = QCheckBox("Follow-up (remember the exhibit under discussion)")
        self.state = QLabel()
        self.state.setProperty("role", "help")
        self.answer = QLabel()
        self.answer.setObjectName("answer")
        self.answer.setWordWrap(True)
        self.answer.setProperty("role", "answer")
        details = QFormLayout()
        self.intent = QLabel()
        self.exhibit = QPushButton()
        self.exhibit.setFlat(True)
        self.exhibit.setObjectName("answer-exhibit")
        self.exhibit.clicked.connect(self._open)
        self.confidence = QProgressBar()
        self.confidence.setRange(0, 100)
        self.reason = QLabel()
        details.addRow("Understood as", self.intent)
        details.addRow("Exhibit", self.exhibit)
        details.addRow("Confidence", self.confidence)
        details.addRow("Why", self.reason)
        buttons = QHBoxLayout()
        self.hear = QPushButton("Hear it")
        self.hear.setObjectName("hear")
        self.hear.setEnabled(False)
        self.hear.clicked.connect(self.speak)
        self.spoken = QLabel()
        self.spoken.setProperty("role", "help")
        self.show_guide = QPushButton("Show the guide saying it")
        self.show_guide.setObjectName("show-guide")
        self.show_guide.setEnabled(False)
        self.show_guide.clicked.connect(self.preview_answer)
        buttons.addWidget(self.hear)
        buttons.addWidget(self.show_guide)
        self.preview = GuidePreview()
        for widget in (intro, self.question, self.follow, self.state, self.answer):
            layout.addWidget(widget)
        layout.addLayout(details)
        layout.addLayout(buttons)
        layout.addWidget(self.spoken)
        layout.addWidget(self.preview)
        layout.addStretch(1)
        self._timer = QTimer(self, singleShot=True, interval=TYPING_PAUSE_MS)
        self._timer.timeout.connect(self.ask)
        self.question.textChanged.connect(lambda _t: self._timer.start())
        self.refresh_state()

    def refresh_state(self) -> None:
        if self.live.error:
            self.state.setText(f"The guide cannot use this pack yet: {self.live.error}")
        elif self.live.mind is None:
            self.state.setText("Getting the guide ready…")
        elif self.live.busy or not self.live.current:
            self.state.setText("Updating the guide with your latest changes…")
        else:
            self.state.setText("The guide knows your latest changes.")

    def guide_changed(self) -> None:
        """The live mind was rebuilt: answer the question on screen again with it."""
        self.refresh_state()
        if self.question.text().strip():
            self.ask()

    def ask(self) -> None:
        text = self.question.text().strip()
        if not text:
            self.turn = None
            self._show_nothing("")
            return
        turn = self.live.answer(text, follow_up=self.follow.isChecked())
        if turn is None:
            self._show_nothing("The guide is still getting ready; it will answer in a moment.")
            return
        self.turn = turn
        a = turn.answer
        self.answer.setText(a.text or "(The guide has nothing to say to this yet: the text it would use is empty.)")
        self.intent.setText(a.intent.value.replace("_", " "))
        exhibit = self._exhibit_name(a.exhibit)
        self.exhibit.setText(exhibit or "—")
        self.exhibit.setEnabled(bool(a.exhibit))
        self.confidence.setValue(round(a.confidence * 100))
        facility = f" ({a.facility})" if a.facility else ""
        self.reason.setText((a.reason or "") + facility)
        self.hear.setEnabled(bool(a.text))
        self.show_guide.setEnabled(bool(a.text))
        self.answered_at = time.perf_counter()
        self.answered.emit(turn)

    def speak(self) -> None:
        if self.turn is None or self._speak is None:
            return
        a = self.turn.answer
        self.spoken.setText("Speaking…")
        threading.Thread(target=self._speak_now, args=(a.text, a.language), daemon=True).start()

    def preview_answer(self) -> None:
        pack = self.live.pack
        if self.turn is not None and pack is not None:
            ref = pack.avatar_ref()
            avatar = ref.path.parent if ref is not None else demo_pack_path() / "avatars" / "docent"
            self.preview.show_saying(self.turn.answer.text, self.turn.answer.language, pack.root, avatar)

    def _speak_now(self, text: str, language: str) -> None:
        assert self._speak is not None
        try:
            self._speak(text, language)
            message = "Spoken with the venue's voice."
        except Exception as err:  # the speech engine is optional in the editor; say why it is quiet
            message = f"Cannot speak: {err}"
        QTimer.singleShot(0, self, lambda: self.spoken.setText(message))

    def _exhibit_name(self, exhibit_id: str | None) -> str:
        if not exhibit_id or self.live.pack is None:
            return ""
        for exhibit in self.live.pack.exhibits:
            if exhibit.id == exhibit_id:
                return exhibit.name.pick("en", self.live.pack.venue.languages)[0] or exhibit_id
        return exhibit_id

    def _show_nothing(self, message: str) -> None:
        self.answer.setText(message)
        for label in (self.intent, self.reason):
            label.setText("")
        self.exhibit.setText("—")
        self.exhibit.setEnabled(False)
        self.confidence.setValue(0)
        self.hear.setEnabled(False)
        self.show_guide.setEnabled(False)

    def _open(self) -> None:
        if self.turn is not None and self.turn.answer.exhibit:
            self.open_exhibit.emit(f"exhibits/{self.turn.answer.exhibit}.yaml")
