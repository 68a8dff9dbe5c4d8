"""The kiosk window: the guide in 3D, captions, and the pages a visitor moves through.

Qt owns the one main loop. A precise QTimer steps the guide (``GuideView.step``: behaviour, lips, one Panda3D
frame); a slower one lets the session end an idle visit. Session events arrive from worker threads and cross into
the Qt thread through one queued signal; the guide gets them directly (``Guide.post`` is thread-safe).

Pages: attract (nobody there) -> conversation (talk, type, suggestions, the exhibit card) <-> explore (touch-only
browsing) ; staff (hidden: a long press on the top-left corner, then the PIN). Portrait stacks the guide over the
pages; landscape puts them side by side.
"""

from __future__ import annotations

import itertools
import logging
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, replace

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QMouseEvent, QResizeEvent
from PySide6.QtWidgets import QApplication, QBoxLayout, QSizePolicy, QStackedWidget, QVBoxLayout, QWidget

from kiosk.avatar.package import AvatarSpec
from kiosk.content.model import Exhibit, Facility, Gallery
from kiosk.events import (
    AnswerChosen,
    Event,
    FinalTranscript,
    ListeningStarted,
    ListeningStopped,
    PartialTranscript,
    QuestionAsked,
    SessionEnded,
    SessionStarted,
    SpeakingStarted,
    SpeakingStopped,
    VoiceUnavailable,
)
from kiosk.mind import Answer, Intent
from kiosk.mind.suggest import WHERE, suggestions
from kiosk.session import Session
from kiosk.ui.browse import BrowseScreen
from kiosk.ui.cards import ExhibitCard
from kiosk.ui.floormap import FloorMarker
from kiosk.ui.keyboard import OnScreenKeyboard
from kiosk.ui.screens import AttractPage, Captions, DisplaySettings, TalkBar, TopBar, TypeBox, button, label
from kiosk.ui.strings import t
from kiosk.ui.theme import Theme
from kiosk.ui.view3d import GuideView, make_guide_view
from kiosk.voice.out import SilentAudioOut

log = logging.getLogger("kiosk.ui")

FRAME_MS = 16
"""The frame timer's interval: 60 fps where the GPU keeps up; a slower renderer simply takes longer per frame."""
STAFF_HOLD_MS = 3000
WAVE_EVERY_MS = 25_000
"""On the attract screen the guide waves to the hall this often."""
STAFF_CORNER = 110


@dataclass(frozen=True)
class Display:
    large_text: bool = False
    high_contrast: bool = False
    reduced_motion: bool = False


class _Bridge(QObject):
    """Carries events from worker threads into the Qt thread (a queued signal)."""

    arrived = Signal(object)


class FrameClock:
    """Start and end of every frame step; how long the loop was kept from its next frame by anything else."""

    def __init__(self, keep: int = 4000) -> None:
        self.frames: deque[tuple[float, float]] = deque(maxlen=keep)

    def record(self, start: float, end: float) -> None:
        self.frames.append((start, end))

    def stalls_ms(self, interval_ms: float = FRAME_MS) -> list[float]:
        """For each frame after the first: how much later it started than the timer allowed (ms). A frame that
        took longer than the interval is due at once; anything beyond that is the loop doing other work."""
        out = []
        frames = list(self.frames)
        for (s0, e0), (s1, _) in itertools.pairwise(frames):
            due = max(e0, s0 + interval_ms / 1000)
            out.append(max(0.0, (s1 - due) * 1000))
        return out


class ConversationPage(QWidget):
    """The exhibit card and map marker, suggested questions, the text field with its keyboard, the talk bar."""

    def __init__(self, window: KioskWindow) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 8, 16, 8)
        layout.setSpacing(10)
        self.card = ExhibitCard(compact=True)
        self.card.setObjectName("exhibit-card")
        self.card.hide()
        self.marker = FloorMarker()
        self.marker.setObjectName("floor-marker")
        self.marker.hide()
        layout.addWidget(self.card)
        layout.addWidget(self.marker)
        self.try_label = label("", "subtitle")
        layout.addWidget(self.try_label)
        self.suggestions = QVBoxLayout()
        self.suggestions.setSpacing(8)
        layout.addLayout(self.suggestions)
        layout.addStretch(1)
        self.type_box = TypeBox()
        self.type_box.hide()
        layout.addWidget(self.type_box)
        self.keyboard = OnScreenKeyboard()
        self.keyboard.setObjectName("keyboard")
        self.keyboard.set_target(self.type_box.field)
        self.keyboard.set_vocabulary(window.vocabulary())
        self.keyboard.submitted.connect(self.type_box.send)
        self.keyboard.hide()
        layout.addWidget(self.keyboard)
        self.talk = TalkBar()
        layout.addWidget(self.talk)
        self._buttons: list[QWidget] = []

    def show_typing(self, on: bool) -> None:
        self.type_box.setVisible(on)
        self.keyboard.setVisible(on)
        for b in self._buttons:
            b.setVisible(not on)
        self.try_label.setVisible(not on and bool(self._buttons))

    def set_suggestions(self, questions: tuple[str, ...], lang: str, ask: Callable[[str], object]) -> None:
        for b in self._buttons:
            b.deleteLater()
        self._buttons = []
        for i, q in enumerate(questions):
            b = button(q, "suggestion")
            b.setObjectName(f"suggestion-{i}")
            b.clicked.connect(lambda _=False, q=q: ask(q))
            self.suggestions.addWidget(b)
            self._buttons.append(b)
        self.try_label.setText(t("try_asking", lang))
        self.show_typing(self.type_box.isVisible())


class KioskWindow(QWidget):
    """The whole kiosk screen. ``session`` does the talking; this only shows it and forwards what visitors do."""

    def __init__(
        self,
        session: Session,
        avatar: AvatarSpec | None,
        *,
        view_mode: str = "auto",
        render_scale: float | None = None,
        display: Display | None = None,
        orientation: str = "auto",
        staff: object | None = None,
    ) -> None:
        super().__init__()
        self.setObjectName("kiosk")
        self.session = session
        self.pack = session.mind.pack
        self.lang = session.language
        self.display = display or Display()
        self.orientation = orientation
        self.staff = staff
        self.frames = FrameClock()
        self.theme: Theme | None = None
        self._turn = 0
        self._bridge = _Bridge()
        self._bridge.arrived.connect(self._on_event, Qt.ConnectionType.QueuedConnection)
        session.emit = self.post

        self.top = TopBar(self.pack)
        self.settings = DisplaySettings()
        self.settings.hide()
        self.view: GuideView = make_guide_view(view_mode, self, render_scale)
        self.view.setObjectName("guide-view")
        self.view.failed.connect(self._render_failed)
        self.captions = Captions()
        self.pages = QStackedWidget()
        self.attract = AttractPage(self.pack)
        self.conversation = ConversationPage(self)
        self.browse = BrowseScreen(self.pack, self.lang)
        for page in (self.attract, self.conversation, self.browse):
            self.pages.addWidget(page)

        guide_column = QVBoxLayout()
        guide_column.setSpacing(0)
        guide_column.addWidget(self.view, 1)
        guide_column.addWidget(self.captions)
        self.body = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        self.body.setSpacing(0)
        self.body.addLayout(guide_column, 11)
        self.body.addWidget(self.pages, 9)
        # Pages never force the window bigger than the screen: each page scrolls or folds within its share.
        self.pages.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.view.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.pages.currentChanged.connect(self._share_screen)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(self.top)
        outer.addWidget(self.settings)
        outer.addLayout(self.body, 1)

        self._connect()
        if avatar is not None:
            self._load_avatar(avatar)
        self.set_language(self.lang)
        self.apply_display(self.display)
        self.pages.setCurrentWidget(self.attract)

        self.frame_timer = QTimer(self)
        self.frame_timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.frame_timer.setInterval(FRAME_MS)
        self.frame_timer.timeout.connect(self.step)
        self.idle_timer = QTimer(self)
        self.idle_timer.setInterval(250)
        self.idle_timer.timeout.connect(session.tick)
        self.wave_timer = QTimer(self)
        self.wave_timer.setInterval(WAVE_EVERY_MS)
        self.wave_timer.timeout.connect(self._wave_to_the_hall)
        self._staff_hold = QTimer(self)
        self._staff_hold.setSingleShot(True)
        self._staff_hold.setInterval(STAFF_HOLD_MS)
        self._staff_hold.timeout.connect(self.open_staff)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    # -- wiring ----------------------------------------------------------------------------------------------

    def _connect(self) -> None:
        self.top.language_chosen.connect(self.choose_language)
        self.top.settings_toggled.connect(self.settings.setVisible)
        self.settings.changed.connect(self._display_changed)
        self.settings.volume_changed.connect(self.set_volume)
        self.attract.start.connect(self.start_session)
        talk = self.conversation.talk
        talk.talk.connect(self.talk_pressed)
        talk.hands_free.connect(self.set_hands_free)
        talk.typing.connect(self.conversation.show_typing)
        talk.browse.connect(self.show_browse)
        talk.done.connect(lambda: self.session.end("goodbye"))
        self.conversation.type_box.submitted.connect(lambda text: self.ask(text, "typed"))
        self.browse.hear.connect(self.read_aloud)
        self.browse.ask.connect(self._ask_from_browse)
        self.browse.directions.connect(self._directions_from_browse)

    def _load_avatar(self, spec: AvatarSpec) -> None:
        try:
            out = self.session.voice.out if self.session.voice else SilentAudioOut()
            self.view.load(spec, out, self.display.reduced_motion)
        except Exception as err:  # a broken model or renderer: the kiosk still answers by text and touch
            log.exception("the guide could not be shown")
            self._render_failed(str(err))

    def start(self) -> None:
        """Start the frame loop and the idle timer (after the window is shown)."""
        self.frame_timer.start()
        self.idle_timer.start()
        self.wave_timer.start()

    def _wave_to_the_hall(self) -> None:
        if self.pages.currentWidget() is self.attract and self.view.guide is not None:
            self.view.guide.wave()

    def post(self, event: Event) -> None:
        """Session events, from any thread: the guide now, the widgets on the Qt thread."""
        guide = self.view.guide
        if guide is not None:
            guide.post(event)
        self._bridge.arrived.emit(event)

    def step(self) -> None:
        started = time.perf_counter()
        self.view.step()
        self.frames.record(started, time.perf_counter())

    # -- what visitors do ------------------------------------------------------------------------------------

    def start_session(self, lang: str | None = None) -> None:
        if lang:
            self.set_language(lang)
        self.session.start(self.lang)

    def choose_language(self, lang: str) -> None:
        self.set_language(lang)
        self.session.set_language(lang)
        if not self.session.active:
            self.session.start(lang)

    def ask(self, text: str, via: str = "typed") -> Answer | None:
        if self.pages.currentWidget() is not self.conversation:
            self.show_conversation()
        return self.session.ask(text, via)

    def talk_pressed(self) -> None:
        if self.session.listening:
            self.session.stop_listening()
            self.conversation.talk.set_listening(False)
            return
        self.session.interrupt()  # tapping talk while the guide speaks means "let me ask something"
        if not self.session.active:
            self.session.start(self.lang, greet=False)
        self.session.listen()

    def set_hands_free(self, on: bool) -> None:
        self.session.settings = replace(self.session.settings, hands_free=on)
        if on and not self.session.listening:
            self.session.listen()
        elif not on and self.session.listening:
            self.session.stop_listening()
            self.conversation.talk.set_listening(False)

    def set_volume(self, percent: int) -> None:
        if self.session.voice is not None:
            self.session.voice.out.volume = percent / 100

    def _share_screen(self, _: int = 0) -> None:
        """How much of the screen the pages get (the guide has the rest): little while attracting, most while
        browsing. Set as a size, not a stretch, so that no page's own size hint can squeeze the guide."""
        page = self.pages.currentWidget()
        self.captions.setVisible(page is not self.attract or bool(self.captions.guide.text()))
        if self.portrait:
            shares: dict[QWidget | None, float] = {self.attract: 0.36, self.browse: 0.62, self.conversation: 0.55}
            share = shares.get(page, 0.78)  # the staff pages: the guide only peeks in
            height = self.height() - self.top.sizeHint().height()
            self.pages.setMaximumWidth(16777215)
            self.pages.setMinimumWidth(0)
            self.pages.setFixedHeight(max(200, round(height * share)))
        else:
            share = 0.4 if page is self.attract else 0.5
            self.pages.setMaximumHeight(16777215)
            self.pages.setMinimumHeight(0)
            self.pages.setFixedWidth(max(320, round(self.width() * share)))

    def show_browse(self) -> None:
        self.browse.set_language(self.lang)
        self.browse.show_home()
        self.pages.setCurrentWidget(self.browse)

    def show_conversation(self) -> None:
        self.pages.setCurrentWidget(self.conversation)

    def read_aloud(self, text: str, language: str) -> None:
        """ "Hear it": the text is on screen at once (every spoken line is also text), then spoken."""
        self.captions.guide_answers(text)
        self.session.read_aloud(text, language)

    def _ask_from_browse(self, question: str) -> None:
        self.show_conversation()
        self.session.ask(question, "tapped")

    def _directions_from_browse(self, exhibit_id: str) -> None:
        exhibit = self.pack.exhibit(exhibit_id)
        if exhibit is None:
            return
        name = exhibit.name.pick(self.lang, self.pack.languages)[0]
        self._ask_from_browse((WHERE.get(self.lang) or WHERE["en"]).format(name=name))

    def vocabulary(self) -> list[str]:
        """Names visitors may type: every exhibit, gallery and facility name and alias, in every language."""
        words: list[str] = []
        venue = self.pack.venue
        named: list[Exhibit | Gallery | Facility] = [*self.pack.exhibits, *venue.galleries, *venue.facilities]
        for item in named:
            words.extend(text for _, text in item.name.values())
            words.extend(text for _, text in item.aliases.all())
        return words

    # -- what the session reports -----------------------------------------------------------------------------

    def _on_event(self, event: Event) -> None:
        try:
            self._show(event)
        except Exception as err:
            self.recover(err)

    def _show(self, event: Event) -> None:
        if isinstance(event, SessionStarted):
            if event.language and event.language != self.lang:
                self.set_language(event.language)
            self.captions.clear()
            self.conversation.card.hide()
            self.conversation.marker.hide()
            self._suggest(Answer(Intent.SOCIAL, "", self.lang, 1.0))
            self.show_conversation()
        elif isinstance(event, SessionEnded):
            self.end_visit(event.reason)
        elif isinstance(event, QuestionAsked):
            self.captions.visitor_says(event.text, self.lang)
        elif isinstance(event, PartialTranscript):
            self.captions.visitor_says(event.text, self.lang, final=False)
        elif isinstance(event, FinalTranscript):
            if event.text:
                self.captions.visitor_says(event.text, self.lang)
        elif isinstance(event, ListeningStarted):
            self.conversation.talk.set_listening(True)
        elif isinstance(event, ListeningStopped):
            self.conversation.talk.set_listening(self.session.listening and self.session.settings.hands_free)
        elif isinstance(event, AnswerChosen):
            self.show_answer(event.answer)
        elif isinstance(event, SpeakingStarted):
            self.captions.guide_says(event.text)
        elif isinstance(event, SpeakingStopped):
            self.captions.guide_done()
        elif isinstance(event, VoiceUnavailable):
            key = "no_model" if event.what == "speech-model" else "touch_only"
            self.conversation.talk.set_voice_available(False, t(key, self.lang))
            self.conversation.talk.set_listening(False)

    def show_answer(self, answer: Answer) -> None:
        self.captions.guide_answers(answer.text)
        conversation = self.conversation
        if answer.exhibit:
            conversation.card.set_exhibit(self.pack, answer.exhibit, self.lang)
            conversation.card.show()
        elif answer.intent in (Intent.FACILITY, Intent.DIRECTIONS, Intent.FALLBACK):
            conversation.card.hide()
        gallery = answer.gallery
        exhibit = self.pack.exhibit(answer.exhibit) if answer.exhibit else None
        if answer.intent is Intent.DIRECTIONS and gallery is None and exhibit is not None:
            gallery = exhibit.gallery
        if answer.intent is Intent.FACILITY and answer.facility:
            conversation.marker.set_target_facility(self.pack, answer.facility, self.lang)
            conversation.marker.show()
        elif answer.intent is Intent.DIRECTIONS and gallery:
            conversation.marker.set_target_gallery(self.pack, gallery, self.lang)
            conversation.marker.show()
        else:
            conversation.marker.hide()
        self._suggest(answer)

    def _suggest(self, answer: Answer) -> None:
        self._turn += 1
        offered = answer.suggestions or suggestions(self.pack, answer, self.lang, limit=5, turn=self._turn)
        questions = tuple(q for q in offered if self._answerable(q, answer))[:3]
        self.conversation.set_suggestions(questions, self.lang, lambda q: self.ask(q, "tapped"))

    def _answerable(self, question: str, after: Answer) -> bool:
        """A suggestion is offered only if the guide answers it, about the exhibit it names (about 1 ms each)."""
        reply = self.session.mind.answer(question, self.session.state).answer
        if not reply.answered or reply.confidence < 0.65:
            return False
        if reply.exhibit is None or reply.exhibit == after.exhibit:
            return True
        named = self.pack.exhibit(reply.exhibit)
        return named is not None and named.name.pick(self.lang, self.pack.languages)[0] in question

    def end_visit(self, reason: str) -> None:
        """The visitor left (goodbye, timeout, an error): clear everything they saw and go back to attract."""
        self.captions.clear()
        if reason == "error":
            self.captions.guide_answers(t("sorry_error", self.lang))
        self.conversation.card.hide()
        self.conversation.marker.hide()
        self.conversation.type_box.field.clear()
        self.conversation.talk.type_button.setChecked(False)
        self.conversation.talk.set_listening(False)
        self.conversation.set_suggestions((), self.lang, lambda q: None)
        self.top.settings.setChecked(False)
        if self.pages.currentWidget() in (self.conversation, self.browse):  # staff pages stay until closed
            self.pages.setCurrentWidget(self.attract)
        self.set_language(self.session.mind.default_language if reason != "error" else self.lang)

    def recover(self, err: BaseException) -> None:
        """An unexpected exception in the kiosk: logged; the visitor sees an apology and a fresh start."""
        log.error("unexpected error in the kiosk window", exc_info=(type(err), err, err.__traceback__))
        self.session.recover(err)

    def _render_failed(self, why: str) -> None:
        log.warning("the 3D guide is not shown: %s", why)

    # -- language, display, layout -----------------------------------------------------------------------------

    def set_language(self, lang: str) -> None:
        self.lang = lang
        self.top.set_language(lang)
        self.settings.set_language(lang)
        self.conversation.talk.set_language(lang)
        self.conversation.type_box.set_language(lang)
        self.conversation.keyboard.set_language(lang)
        self.browse.set_language(lang)
        card = self.conversation.card
        if card.isVisible() and card.exhibit_id:
            card.set_exhibit(self.pack, card.exhibit_id, lang)
        problem = self.session.voice_problem() if self.session.voice is not None else "speech"
        if problem is None:
            self.conversation.talk.set_voice_available(True)
        else:
            key = "no_model" if problem == "speech-model" else "touch_only"
            self.conversation.talk.set_voice_available(False, t(key, lang))

    def _display_changed(self) -> None:
        s = self.settings
        self.apply_display(Display(s.large_text.isChecked(), s.contrast.isChecked(), s.less_motion.isChecked()))

    def apply_display(self, display: Display) -> None:
        self.display = display
        s = self.settings
        for b, on in ((s.large_text, display.large_text), (s.contrast, display.high_contrast)):
            b.blockSignals(True)
            b.setChecked(on)
            b.blockSignals(False)
        s.less_motion.blockSignals(True)
        s.less_motion.setChecked(display.reduced_motion)
        s.less_motion.blockSignals(False)
        self.view.set_reduced_motion(display.reduced_motion)
        self.restyle()

    def restyle(self) -> None:
        short = min(self.width(), self.height())
        theme = Theme(self.display.large_text, self.display.high_contrast, max(480, short))
        if theme == self.theme:
            return
        self.theme = theme
        self.setStyleSheet(theme.stylesheet())
        self.browse.set_theme(theme)
        self.conversation.card.set_theme(theme)
        self.conversation.marker.set_theme(theme)

    @property
    def portrait(self) -> bool:
        if self.orientation in ("portrait", "landscape"):
            return self.orientation == "portrait"
        return self.height() >= self.width()

    def resizeEvent(self, event: QResizeEvent) -> None:
        self.body.setDirection(QBoxLayout.Direction.TopToBottom if self.portrait else QBoxLayout.Direction.LeftToRight)
        self._share_screen()
        self.restyle()
        super().resizeEvent(event)

    # -- touches anywhere: activity, attract, the staff gesture ----------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin):
            self.session.touch()
            if isinstance(event, QMouseEvent) and self._in_staff_corner(event):
                self._staff_hold.start()
            on_attract = self.pages.currentWidget() is self.attract and self.isVisible()
            a_start_button = isinstance(watched, QWidget) and self.attract.isAncestorOf(watched) and _is_button(watched)
            if on_attract and not a_start_button and not self._in_corner_or_bar(event):
                self.start_session()
        elif kind in (QEvent.Type.MouseButtonRelease, QEvent.Type.TouchEnd):
            self._staff_hold.stop()
        return False

    def _in_staff_corner(self, event: QMouseEvent) -> bool:
        point = self.mapFromGlobal(event.globalPosition().toPoint())
        return 0 <= point.x() < STAFF_CORNER and 0 <= point.y() < STAFF_CORNER

    def _in_corner_or_bar(self, event: QEvent) -> bool:
        if not isinstance(event, QMouseEvent):
            return False
        point = self.mapFromGlobal(event.globalPosition().toPoint())
        return self.top.geometry().contains(point) or (
            self.settings.isVisible() and self.settings.geometry().contains(point)
        )

    def open_staff(self) -> None:
        """Long press on the top-left corner: the PIN pad, then the staff panel (see kiosk.ui.staffpage)."""
        opener = getattr(self.staff, "open", None)
        if callable(opener):
            opener()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.frame_timer.stop()
        self.idle_timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self.view.close()
        super().closeEvent(event)


def _is_button(widget: QWidget) -> bool:
    return widget.inherits("QAbstractButton")


__all__ = ["Display", "FrameClock", "KioskWindow"]
