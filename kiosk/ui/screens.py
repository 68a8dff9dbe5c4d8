"""The kiosk's own screens: the top bar, the captions, the attract screen and the conversation controls.

Each widget is styled by ``role`` (see :mod:`kiosk.ui.theme`) and re-labels itself on ``set_language``; none of them
knows about the session: they emit signals and the window (``kiosk.ui.app``) connects them.
"""

from __future__ import annotations

import itertools

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from kiosk.content.model import Pack
from kiosk.ui.strings import LANGUAGE_NAMES, t


def label(text: str = "", role: str = "body", *, wrap: bool = True) -> QLabel:
    widget = QLabel(text)
    widget.setProperty("role", role)
    widget.setWordWrap(wrap)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    return widget


def button(text: str = "", role: str | None = None, *, checkable: bool = False) -> QPushButton:
    widget = QPushButton(text)
    if role:
        widget.setProperty("role", role)
    widget.setCheckable(checkable)
    widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # a touch must never leave a focus ring or steal the text field's
    return widget


def restyle(widget: QWidget) -> None:
    """Re-apply the stylesheet after a dynamic property (``listening``) changed."""
    widget.style().unpolish(widget)
    widget.style().polish(widget)


class TopBar(QWidget):
    """Venue name, the language switch (always visible) and the display settings button."""

    language_chosen = Signal(str)
    settings_toggled = Signal(bool)

    def __init__(self, pack: Pack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pack = pack
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 8, 16, 8)
        self.venue = label("", "venue", wrap=False)
        self.venue.setObjectName("venue-name")
        self.venue.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)  # never widens the window
        layout.addWidget(self.venue, 1)
        self.languages: dict[str, QPushButton] = {}
        for lang in pack.languages:
            b = button(LANGUAGE_NAMES.get(lang, lang), "lang", checkable=True)
            b.setObjectName(f"lang-{lang}")
            b.clicked.connect(lambda _=False, lang=lang: self.language_chosen.emit(lang))
            self.languages[lang] = b
            layout.addWidget(b)
        self.settings = button("Aa", "lang", checkable=True)
        self.settings.setObjectName("display-settings")
        self.settings.toggled.connect(self.settings_toggled.emit)
        layout.addWidget(self.settings)

    def set_language(self, lang: str) -> None:
        self.venue.setText(self.pack.venue.name.pick(lang, self.pack.languages)[0])
        for code, b in self.languages.items():
            b.setChecked(code == lang)
        self.settings.setAccessibleName(t("settings", lang))


class DisplaySettings(QWidget):
    """Large text, high contrast, less motion and volume: within reach of every visitor, not hidden for staff."""

    changed = Signal()
    volume_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "panel")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 8, 16, 8)
        self.large_text = button("", checkable=True)
        self.large_text.setObjectName("large-text")
        self.contrast = button("", checkable=True)
        self.contrast.setObjectName("high-contrast")
        self.less_motion = button("", checkable=True)
        self.less_motion.setObjectName("less-motion")
        for b in (self.large_text, self.contrast, self.less_motion):
            b.toggled.connect(lambda _=False: self.changed.emit())
            layout.addWidget(b)
        self.volume_label = label("", "muted", wrap=False)
        layout.addWidget(self.volume_label)
        self.volume = QSlider(Qt.Orientation.Horizontal)
        self.volume.setObjectName("volume")
        self.volume.setRange(0, 100)
        self.volume.setMinimumWidth(160)
        self.volume.valueChanged.connect(self.volume_changed.emit)
        layout.addWidget(self.volume, 1)

    def set_language(self, lang: str) -> None:
        self.large_text.setText(t("large_text", lang))
        self.contrast.setText(t("contrast", lang))
        self.less_motion.setText(t("less_motion", lang))
        self.volume_label.setText(t("volume", lang))


class Captions(QWidget):
    """What the visitor said (live, as they speak) and what the guide says (the sentence being spoken)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "panel")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 12, 24, 12)
        layout.setSpacing(6)
        self.visitor = label("", "caption-visitor")
        self.visitor.setObjectName("caption-visitor")
        self.guide = label("", "caption-guide")
        self.guide.setObjectName("caption-guide")
        self.guide.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        layout.addWidget(self.visitor)
        layout.addWidget(self.guide)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.answer = ""

    def visitor_says(self, text: str, lang: str, *, final: bool = True) -> None:
        self.visitor.setText(f"{t('you_said', lang)}: {text}" + ("" if final else " …"))

    def guide_answers(self, text: str) -> None:
        """The whole answer: shown at once (every spoken line is also text), then line by line as it is spoken."""
        self.answer = text
        self.guide.setText(text)

    def guide_says(self, sentence: str) -> None:
        self.guide.setText(sentence)

    def guide_done(self) -> None:
        if self.answer:
            self.guide.setText(self.answer)

    def clear(self) -> None:
        self.answer = ""
        self.visitor.clear()
        self.guide.clear()


class AttractPage(QWidget):
    """Nobody is there: a rotating hint in every venue language; a touch anywhere, or a language button, starts."""

    start = Signal(str)

    def __init__(self, pack: Pack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pack = pack
        layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 24, 40, 24)
        layout.setSpacing(18)
        layout.addStretch(1)
        self.hint = label("", "hint")
        self.hint.setObjectName("attract-hint")
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.hint)
        self.touch = label("", "subtitle")
        self.touch.setObjectName("attract-touch")
        self.touch.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.touch)
        layout.addStretch(1)
        row = QHBoxLayout()
        row.setSpacing(16)
        for lang in pack.languages:
            b = button(LANGUAGE_NAMES.get(lang, lang), "primary")
            b.setObjectName(f"start-{lang}")
            b.clicked.connect(lambda _=False, lang=lang: self.start.emit(lang))
            row.addWidget(b)
        layout.addLayout(row)
        self.notice = label("", "notice")
        self.notice.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.notice)
        self._hints = itertools.cycle(self.hints())
        self._touch = itertools.cycle(pack.languages)
        self.timer = QTimer(self)
        self.timer.setInterval(4500)
        self.timer.timeout.connect(self.rotate)
        self.rotate()

    def hints(self) -> list[tuple[str, str]]:
        """(language, hint) pairs cycling through the venue's languages, exhibits, galleries and hours."""
        venue = self.pack.venue
        langs = self.pack.languages
        exhibits = self.pack.exhibits
        galleries = venue.galleries
        out: list[tuple[str, str]] = []
        for i in range(max(len(exhibits), 1)):
            lang = langs[i % len(langs)]
            if exhibits:
                name = exhibits[(i * 5) % len(exhibits)].name.pick(lang, langs)[0]
                out.append((lang, t("hint_exhibit", lang, name=name)))
            if i % 3 == 1 and galleries:
                name = galleries[i % len(galleries)].name.pick(lang, langs)[0]
                out.append((langs[(i + 1) % len(langs)], t("hint_way", langs[(i + 1) % len(langs)], name=name)))
            if i % 5 == 2:
                out.append((langs[(i + 2) % len(langs)], t("hint_hours", langs[(i + 2) % len(langs)])))
        return out

    def rotate(self) -> None:
        lang, text = next(self._hints)
        self.hint.setText(text)
        self.touch.setText(t("touch_to_start", lang))
        self.notice.setText(t("privacy", lang))

    def showEvent(self, event: object) -> None:
        self.timer.start()

    def hideEvent(self, event: object) -> None:
        self.timer.stop()


class TalkBar(QWidget):
    """The big talk button, hands-free switch, typing, browsing and 'done', with the microphone notice."""

    talk = Signal()
    hands_free = Signal(bool)
    typing = Signal(bool)
    browse = Signal()
    done = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 8, 24, 12)
        row = QHBoxLayout()
        row.setSpacing(16)
        self.browse_button = button("", "tile")
        self.browse_button.setObjectName("browse")
        self.browse_button.clicked.connect(self.browse.emit)
        self.type_button = button("", "tile", checkable=True)
        self.type_button.setObjectName("type")
        self.type_button.toggled.connect(self.typing.emit)
        self.talk_button = button("", "talk")
        self.talk_button.setObjectName("talk")
        self.talk_button.clicked.connect(self.talk.emit)
        self.talk_button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        row.addWidget(self.browse_button)
        row.addWidget(self.talk_button, 2)
        row.addWidget(self.type_button)
        layout.addLayout(row)
        second = QHBoxLayout()
        self.hands_free_button = button("", checkable=True)
        self.hands_free_button.setObjectName("hands-free")
        self.hands_free_button.toggled.connect(self.hands_free.emit)
        self.mic = label("", "marker", wrap=False)
        self.mic.setObjectName("mic-indicator")
        self.done_button = button("")
        self.done_button.setObjectName("done")
        self.done_button.clicked.connect(self.done.emit)
        second.addWidget(self.hands_free_button)
        second.addWidget(self.mic, 1)
        second.addWidget(self.done_button)
        layout.addLayout(second)
        self.notice = label("", "notice")
        self.notice.setObjectName("privacy-notice")
        layout.addWidget(self.notice)
        self.status = label("", "status")
        self.status.setObjectName("voice-status")
        self.status.hide()
        layout.addWidget(self.status)
        self.lang = "en"
        self._listening = False
        self._voice_ok = True

    def set_language(self, lang: str) -> None:
        self.lang = lang
        self.browse_button.setText(t("browse", lang))
        self.type_button.setText(t("type", lang))
        self.hands_free_button.setText(t("hands_free", lang))
        self.done_button.setText(t("end", lang))
        self.notice.setText(t("privacy", lang))
        self.set_listening(self._listening)

    def set_listening(self, on: bool) -> None:
        self._listening = on
        self.talk_button.setText(t("listening", self.lang) if on else t("talk_tap", self.lang))
        self.talk_button.setProperty("listening", "true" if on else "false")
        restyle(self.talk_button)
        self.mic.setText(("● " + t("mic_on", self.lang)) if on else ("○ " + t("mic_off", self.lang)))

    def set_voice_available(self, ok: bool, why: str = "") -> None:
        """No microphone or speech model: the talk button is greyed out and a plain line says so."""
        self._voice_ok = ok
        self.talk_button.setEnabled(ok)
        self.hands_free_button.setEnabled(ok)
        self.status.setVisible(not ok)
        self.status.setText(why)


class TypeBox(QWidget):
    """A text field and an Ask button; the on-screen keyboard sits under it."""

    submitted = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(24, 4, 24, 4)
        self.field = QLineEdit()
        self.field.setObjectName("question-field")
        self.field.setMaxLength(200)
        self.field.returnPressed.connect(self.send)
        self.ask = button("", "primary")
        self.ask.setObjectName("send")
        self.ask.clicked.connect(self.send)
        layout.addWidget(self.field, 1)
        layout.addWidget(self.ask)

    def set_language(self, lang: str) -> None:
        self.field.setPlaceholderText(t("type_placeholder", lang))
        self.ask.setText(t("send", lang))

    def send(self) -> None:
        text = self.field.text().strip()
        if text:
            self.field.clear()
            self.submitted.emit(text)


__all__ = ["AttractPage", "Captions", "DisplaySettings", "TalkBar", "TopBar", "TypeBox", "button", "label", "restyle"]
