"""The kiosk as a visitor meets it: real Qt (offscreen platform), Panda3D offscreen, the real mind, espeak-ng speech
and the real Korean Vosk model. The microphone is the one fake: a WAV file replayed in real time through the same
AudioSource interface.

A scripted visitor walks through every screen; each screen is saved under test-artifacts/kiosk/ and checked for
what a visitor would see there.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget
from pytestqt.qtbot import QtBot

from kiosk.events import AnswerChosen, Event, FinalTranscript, SessionEnded
from kiosk.mind import DialogueState, Intent
from kiosk.session import Session, SessionSettings
from kiosk.ui.app import KioskWindow
from kiosk.ui.engines import Content, avatar_for, load_content
from kiosk.ui.kiosk import Kiosk
from kiosk.voice.asr import SpeechModels
from kiosk.voice.audio import AudioSource, WavSource
from kiosk.voice.out import SilentAudioOut
from kiosk.voice.pipeline import Voice
from kiosk.voice.tts import Synthesizer
from tests.speech import speak

ARTIFACTS = Path(__file__).parent.parent / "test-artifacts" / "kiosk"
PORTRAIT = (608, 1080)


@pytest.fixture(scope="module")
def content() -> Content:
    return load_content(None)


class Visitor:
    """A scripted visitor at a kiosk window: touches, types, speaks (through a WAV) and screenshots."""

    def __init__(self, qtbot: QtBot, window: KioskWindow, session: Session) -> None:
        self.qtbot = qtbot
        self.window = window
        self.session = session
        self.events: list[Event] = []
        self.wav: Path | None = None

    def find(self, name: str) -> QWidget:
        widget = self.window.findChild(QWidget, name)
        assert widget is not None, f"no widget named {name!r} on screen"
        return widget

    def tap(self, name_or_widget: str | QWidget, at: QPoint | None = None) -> None:
        widget = self.find(name_or_widget) if isinstance(name_or_widget, str) else name_or_widget
        assert widget.isVisible(), f"{widget.objectName()} is not visible"
        assert widget.isEnabled(), f"{widget.objectName()} is disabled"
        QTest.mouseClick(widget, Qt.MouseButton.LeftButton, pos=at or widget.rect().center())
        self.qtbot.wait(30)

    def texts(self) -> str:
        """Every visible label and button text on screen, one per line."""
        out = []
        for w in self.window.findChildren(QWidget):
            if not w.isVisible():
                continue
            if isinstance(w, QLabel | QAbstractButton):
                out.append(w.text())
        return "\n".join(out)

    def wait_for(self, condition: Callable[[], bool], timeout_ms: int = 15000) -> None:
        self.qtbot.waitUntil(condition, timeout=timeout_ms)

    def shot(self, name: str) -> np.ndarray:
        """Save the whole window as test-artifacts/kiosk/NAME.png; return it as an RGB array."""
        self.qtbot.wait(120)
        image = self.window.grab().toImage().convertToFormat(QImage.Format.Format_RGB888)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        image.save(str(ARTIFACTS / f"{name}.png"))
        w, h = image.width(), image.height()
        data = np.frombuffer(image.constBits(), dtype=np.uint8, count=image.bytesPerLine() * h)
        return data.reshape(h, image.bytesPerLine())[:, : w * 3].reshape(h, w, 3).copy()


@pytest.fixture
def kiosk(qtbot: QtBot, content: Content, korean: Path, tmp_path: Path) -> Iterator[Visitor]:
    synthesizer = Synthesizer(content.pack.venue.speech)
    voice = Voice(synthesizer, SilentAudioOut())
    models = SpeechModels(content.pack)
    models.load_in_background(["ko"])
    holder: dict[str, Visitor] = {}

    def microphone() -> AudioSource:
        wav = holder["visitor"].wav
        assert wav is not None, "the visitor has nothing to say"
        return WavSource(wav, realtime=True, pad_s=1.5)

    session = Session(
        content.mind,
        voice=voice,
        models=models,
        microphone=microphone,
        settings=SessionSettings(idle_timeout_s=45),
    )
    avatar, why = avatar_for(content)
    assert why is None
    window = KioskWindow(session, avatar, view_mode="offscreen")
    qtbot.addWidget(window)
    window.resize(*PORTRAIT)
    window.show()
    window.start()
    visitor = Visitor(qtbot, window, session)
    holder["visitor"] = visitor
    original = session.emit

    def record(event: Event) -> None:
        visitor.events.append(event)
        original(event)

    session.emit = record
    qtbot.waitExposed(window)
    yield visitor
    session.close()
    window.close()
    synthesizer.close()


def colours(image: np.ndarray) -> int:
    return len(np.unique((image[::4, ::4] // 16).reshape(-1, 3), axis=0))


def test_attract_screen_invites_in_every_language_and_shows_the_guide(kiosk: Visitor) -> None:
    window = kiosk.window
    assert window.pages.currentWidget() is window.attract
    image = kiosk.shot("attract")
    assert colours(image) > 40, "the attract screen looks blank"
    hints = {window.attract.hint.text()}
    for _ in range(8):
        window.attract.rotate()
        hints.add(window.attract.hint.text())
    for words in ("Ask me", "问我", "물어보세요"):
        assert any(words in h for h in hints), f"no hint with {words!r} in {hints}"
    for name in ("start-zh", "start-en", "start-ko", "lang-zh", "lang-en", "lang-ko"):
        assert kiosk.find(name).isVisible()
    assert (
        "microphone" in window.attract.notice.text()
        or "麦克风" in window.attract.notice.text()
        or "마이크" in (window.attract.notice.text())
    )
    # The guide is drawn in the 3D area: not one flat backdrop colour.
    view = kiosk.find("guide-view")
    frame = view.grab().toImage()
    assert frame.width() > 100
    centre = frame.pixelColor(frame.width() // 2, frame.height() // 3)
    corner = frame.pixelColor(4, 4)
    assert centre != corner


def test_a_touch_starts_a_visit_with_a_greeting_in_the_chosen_language(kiosk: Visitor) -> None:
    kiosk.tap("start-ko")
    window = kiosk.window
    assert window.pages.currentWidget() is window.conversation
    kiosk.wait_for(lambda: "안녕하세요" in window.captions.guide.text())
    assert kiosk.find("talk").isVisible()
    assert kiosk.find("lang-ko").property("checked") is True


def test_touch_only_visitor_browses_to_an_exhibit_and_hears_it(kiosk: Visitor) -> None:
    kiosk.tap("start-en")
    kiosk.tap("browse")
    kiosk.tap("home:galleries")
    kiosk.shot("browse-galleries")
    kiosk.tap("gallery:bronze-age")
    kiosk.tap("exhibit:houmuwu-ding")
    image = kiosk.shot("browse-exhibit")
    text = kiosk.texts()
    assert "Houmuwu Ding" in text and "Bronze Age" in text and "832.84" in text
    assert colours(image) > 30
    kiosk.tap("hear")
    kiosk.wait_for(lambda: "Houmuwu Ding" in kiosk.window.captions.guide.text())


def test_a_typed_question_is_answered_with_captions_and_an_exhibit_card(kiosk: Visitor) -> None:
    kiosk.tap("start-en")
    kiosk.tap("type")
    keyboard = kiosk.find("keyboard")
    assert keyboard.isVisible()
    field = kiosk.window.conversation.type_box.field
    field.setText("How heavy is the Houmuwu Ding?")
    kiosk.tap("send")
    window = kiosk.window
    kiosk.wait_for(lambda: "832.84" in window.captions.guide.text())
    assert "How heavy is the Houmuwu Ding?" in window.captions.visitor.text()
    card = window.conversation.card
    assert card.isVisible() and "Houmuwu Ding" in card.title_label.text()
    kiosk.tap("type")  # the keyboard folds away; suggested follow-ups show
    suggestion = kiosk.find("suggestion-0")
    assert suggestion.isVisible()
    image = kiosk.shot("conversation")
    assert colours(image) > 40
    follow_up = suggestion.text()  # type: ignore[attr-defined]
    kiosk.tap(suggestion)
    kiosk.wait_for(lambda: follow_up in window.captions.visitor.text())
    kiosk.wait_for(lambda: window.captions.guide.text() not in ("", "832.84"))


def test_a_spoken_korean_question_goes_through_the_real_recognizer(
    kiosk: Visitor, tmp_path: Path, docent_home: Path
) -> None:
    kiosk.tap("start-ko")
    kiosk.wav = speak("화장실 가고 싶어요", tmp_path / "q.wav")  # "I need the toilet"
    window = kiosk.window
    models = kiosk.session.models
    assert models is not None
    kiosk.wait_for(lambda: models.loaded("ko"), 30000)  # loaded in the background since the kiosk started
    kiosk.wait_for(lambda: not kiosk.session.speaking, 20000)  # the visitor waits for the greeting to end
    kiosk.tap("talk")
    kiosk.wait_for(lambda: window.conversation.talk.mic.text().startswith("●"), 5000)
    kiosk.wait_for(lambda: any(isinstance(e, AnswerChosen) and e.answer.reason != "greeting" for e in kiosk.events))
    kiosk.wait_for(lambda: not window.conversation.talk.mic.text().startswith("●"), 5000)
    kiosk.shot("conversation-spoken-ko")
    # Vosk's decoding of this synthetic voice varies a little from run to run (the same audio can come out as
    # "화장실 어디에 있어요" or a near miss; tests/test_voice.py checks recognition itself). What the kiosk must do
    # is fixed: show what was heard, answer exactly that in Korean, and show the map for a way-finding answer.
    heard = next(e for e in kiosk.events if isinstance(e, FinalTranscript))
    assert heard.text and heard.language == "ko"
    assert heard.text in window.captions.visitor.text()
    expected = kiosk.session.mind.answer(heard.text, DialogueState(language="ko")).answer
    answer = next(e.answer for e in kiosk.events if isinstance(e, AnswerChosen) and e.answer.reason != "greeting")
    assert (answer.text, answer.language) == (expected.text, "ko")
    assert expected.text in window.captions.guide.text() or window.captions.guide.text() in expected.text
    way = expected.intent in (Intent.FACILITY, Intent.DIRECTIONS)
    assert window.conversation.marker.isVisible() == way
    # Privacy: what the visitor said never reached the disk (only the guide's own synthesized speech is cached).
    kept = [p for p in docent_home.rglob("*") if p.is_file() and "cache" not in p.relative_to(docent_home).parts]
    assert not [p for p in kept if p.suffix in (".wav", ".raw", ".pcm")], kept


def test_an_idle_visit_ends_clears_everything_and_says_goodbye(kiosk: Visitor) -> None:
    session = kiosk.session
    session.settings = replace(session.settings, idle_timeout_s=1.5)
    kiosk.tap("start-en")
    window = kiosk.window
    window.conversation.type_box.field.setText("Where is the cafe?")
    kiosk.tap("type")
    kiosk.tap("send")
    kiosk.wait_for(lambda: bool(window.captions.visitor.text()))
    kiosk.wait_for(lambda: window.pages.currentWidget() is window.attract, 30000)
    assert window.captions.visitor.text() == "" and not window.conversation.card.isVisible()
    assert session.state.exhibit is None and session.state.turns == 0
    assert any(isinstance(e, SessionEnded) and e.reason == "timeout" for e in kiosk.events)


def test_staff_open_the_panel_with_a_long_press_and_the_pin(qtbot: QtBot, content: Content) -> None:
    from kiosk.ops.config import KioskConfig

    config = KioskConfig(staff_pin="2468", fullscreen=False)
    kiosk = Kiosk(content, config, None, windowed=True)
    qtbot.addWidget(kiosk.window)
    kiosk.show(PORTRAIT)
    window = kiosk.window
    window.start_session("en")  # a visit is going on when staff arrive
    qtbot.wait(100)
    corner = QPoint(10, 10)
    QTest.mousePress(window, Qt.MouseButton.LeftButton, pos=corner)
    qtbot.wait(3300)
    QTest.mouseRelease(window, Qt.MouseButton.LeftButton, pos=corner)
    assert window.pages.currentWidget() is kiosk.pin
    for digit in "1111":
        kiosk.pin.press(digit)
    kiosk.pin.submit()
    assert window.pages.currentWidget() is kiosk.pin
    for digit in "2468":
        kiosk.pin.press(digit)
    kiosk.pin.submit()
    assert window.pages.currentWidget() is kiosk.panel
    qtbot.wait(300)  # the visit that was interrupted ends behind the panel; the panel stays
    assert window.pages.currentWidget() is kiosk.panel
    image = window.grab().toImage()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    image.save(str(ARTIFACTS / "staff.png"))
    panel_text = "\n".join(w.text() for w in kiosk.panel.findChildren(QLabel) if w.isVisible())
    assert "Capital Heritage Hall" in panel_text and "ko" in panel_text
    kiosk.close()


def test_every_touch_target_is_at_least_48_px_in_portrait_and_landscape(kiosk: Visitor) -> None:
    window = kiosk.window
    kiosk.tap("start-en")
    for size in (PORTRAIT, (1080, 1920), (1920, 1080)):
        window.resize(*size)
        kiosk.qtbot.wait(150)
        for b in window.findChildren(QAbstractButton):
            if b.isVisible():
                assert b.height() >= 48 and b.width() >= 48, f"{b.objectName()} {b.text()!r} is {b.size()}"
    kiosk.shot("conversation-landscape")
    assert window.view.geometry().right() < window.pages.geometry().left()  # side by side in landscape


def test_large_text_and_high_contrast_change_what_the_visitor_sees(kiosk: Visitor) -> None:
    window = kiosk.window
    kiosk.tap("start-en")
    before = window.captions.guide.fontInfo().pixelSize()
    kiosk.tap("display-settings")
    kiosk.tap("large-text")
    kiosk.tap("high-contrast")
    kiosk.qtbot.wait(100)
    assert window.captions.guide.fontInfo().pixelSize() > before * 1.2
    image = kiosk.shot("conversation-large-contrast")
    assert image[5, window.width() // 2].sum() < 40  # black background


def test_no_microphone_leaves_touch_and_typing_with_a_plain_status(qtbot: QtBot, content: Content) -> None:
    session = Session(content.mind, voice=None, models=None, microphone=None)
    window = KioskWindow(session, None, view_mode="offscreen")
    qtbot.addWidget(window)
    window.resize(*PORTRAIT)
    window.show()
    window.start_session("en")
    talk = window.conversation.talk
    assert not talk.talk_button.isEnabled()
    assert "touch" in talk.status.text()
    window.conversation.type_box.field.setText("When are you open?")
    window.conversation.type_box.send()
    qtbot.waitUntil(lambda: "9:00" in window.captions.guide.text(), timeout=3000)
    window.close()


def test_an_unexpected_error_resets_the_visit_instead_of_crashing(kiosk: Visitor) -> None:
    window = kiosk.window
    kiosk.tap("start-en")
    window.recover(RuntimeError("a bug"))
    kiosk.wait_for(lambda: window.pages.currentWidget() is window.attract)
    assert not kiosk.session.active
    assert "Sorry" in window.captions.guide.text()
    kiosk.tap("start-en")
    window.conversation.type_box.field.setText("When are you open?")
    window.conversation.type_box.send()
    kiosk.wait_for(lambda: "9:00" in window.captions.guide.text())


def test_kiosk_offers_only_its_configured_languages(qtbot: QtBot, docent_home: Path) -> None:
    """A kiosk by the Korean tour-group entrance offers Korean and English only, and starts (and returns) in Korean."""
    from kiosk.ops.config import KioskConfig
    from kiosk.ui.engines import load_content

    config = KioskConfig(languages=("ko", "en"), fullscreen=False)
    kiosk = Kiosk(load_content(None, config.preferred_language), config, None, windowed=True)
    qtbot.addWidget(kiosk.window)
    kiosk.show(PORTRAIT)
    window = kiosk.window
    qtbot.wait(100)
    starts = [b.objectName() for b in window.attract.findChildren(QAbstractButton) if b.isVisible()]
    assert "start-ko" in starts and "start-en" in starts and "start-zh" not in starts
    assert not window.top.languages["zh"].isVisibleTo(window) and window.top.languages["ko"].isVisibleTo(window)
    assert window.lang == "ko" and window.session.mind.default_language == "ko"
    window.start_session("en")
    qtbot.wait(50)
    window.session.end("goodbye")
    qtbot.waitUntil(lambda: window.lang == "ko", timeout=5000)  # the next visitor is greeted in Korean again
    kiosk.close()
