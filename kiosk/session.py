"""One kiosk's conversations: a visitor arrives, asks by voice, typing or touch, hears answers, and leaves.

``Session`` wires voice -> mind -> speech and reports everything through one callback with the events of
:mod:`kiosk.events`; the window and the guide subscribe, and the session never reaches into them. It knows nothing
of Qt: listening runs on a worker thread, speaking on the voice's threads, and the mind (well under a millisecond)
answers inline. Every public method is safe to call from any thread and returns at once, so the window's frame loop
never waits on recognition or synthesis.

Privacy: the microphone is open only while ``listening`` is true (the window shows it); audio frames go from the
microphone to the recognizer in memory and are never written anywhere. When a visitor leaves (``end``, or
``idle_timeout_s`` without activity) the dialogue state is dropped and the window clears its captions. Each turn is
recorded in the interaction log (:mod:`kiosk.ops.interactions`): text and what the guide made of it, never audio.

Latency, as recorded (``latency_ms``): the time from the visitor having finished asking to the guide's answer being
chosen (the mind has returned; before the answer is shown or spoken). For a spoken question "finished asking" is the
endpointer's decision that the visitor stopped speaking (``Heard.endpoint_at``: the trailing silence the endpointer
waits for is not counted), so the latency is the recognizer's final pass plus the mind; for a typed or tapped
question it is the moment ``ask`` is called, so it is the mind alone (plus starting a visit). Speech synthesis and
playback are not included. Measured on ``time.monotonic``.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.events import (
    AnswerChosen,
    Event,
    FinalTranscript,
    Listener,
    QuestionAsked,
    SessionEnded,
    SessionStarted,
    VoiceUnavailable,
)
from kiosk.mind import Answer, DialogueState, Intent, Mind
from kiosk.ops.interactions import InteractionLog
from kiosk.voice.asr import RecognitionError, SpeechModels
from kiosk.voice.audio import AudioSource, RecordingSource
from kiosk.voice.endpoint import Endpointer, Mode
from kiosk.voice.pipeline import Voice

log = logging.getLogger("kiosk.session")


@dataclass(frozen=True)
class SessionSettings:
    idle_timeout_s: float = 45.0
    """A visitor who has not touched, typed or spoken for this long has left: goodbye, and everything is cleared."""
    hands_free: bool = False
    """Listen continuously while a visitor is there (and for a visitor speaking to the attract screen)."""
    greet: bool = True
    keep_audio: Path | None = None
    """Debugging only: a folder to keep what the microphone heard in. None (the default): audio never touches disk."""


@dataclass
class _Listening:
    source: AudioSource
    thread: threading.Thread
    stop: threading.Event = field(default_factory=threading.Event)


def _ignore(_: Event) -> None:
    return None


class Session:
    def __init__(
        self,
        mind: Mind,
        *,
        voice: Voice | None = None,
        models: SpeechModels | None = None,
        microphone: Callable[[], AudioSource] | None = None,
        emit: Listener | None = None,
        interactions: InteractionLog | None = None,
        settings: SessionSettings | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.mind = mind
        self.voice = voice
        self.models = models
        self.microphone = microphone
        self.emit: Listener = emit or _ignore
        self.interactions = interactions
        self.settings = settings or SessionSettings()
        self.clock = clock
        self.language = mind.default_language
        self.state = DialogueState(language=self.language)
        self.active = False
        self._last_activity = clock()
        self._lock = threading.RLock()
        self._listening: _Listening | None = None
        self._speaking_thread: threading.Thread | None = None
        self._said = 0
        if voice is not None:
            voice.emit = self._from_voice

    # -- what the visitor does ---------------------------------------------------------------------------------

    def start(self, language: str | None = None, *, greet: bool | None = None) -> None:
        """A visitor arrived (touched the attract screen, or spoke to it): greet them in ``language``."""
        with self._lock:
            if language:
                self.language = language
            self.touch()
            if self.active:
                return
            self.active = True
            self.state = DialogueState(language=self.language)
        self.emit(SessionStarted(self.language))
        if self.settings.greet if greet is None else greet:
            text = self.mind.compose.line("greeting", self.language)
            self._answer(Answer(Intent.SOCIAL, text, self.language, 1.0, gesture="wave", reason="greeting"))
        if self.settings.hands_free:
            self.listen()

    def ask(self, text: str, via: str = "typed", *, spoken_at: float | None = None) -> Answer | None:
        """Answer a question (typed, tapped or recognised); returns the answer (None for an empty question).

        ``spoken_at``: for a spoken question, when (``time.monotonic``) the end of the visitor's speech was decided;
        the recorded latency counts from there (see the module), otherwise from this call.
        """
        asked_at = time.monotonic() if spoken_at is None else spoken_at
        text = text.strip()
        if not text:
            return None
        if not self.active:
            self.start(greet=False)
        with self._lock:
            self.touch()
            turn = self.mind.answer(text, self.state)
            self.state = turn.state
        latency_ms = (time.monotonic() - asked_at) * 1000
        answer = turn.answer
        self.emit(QuestionAsked(text, answer.language, via))
        self._answer(answer)
        self._record(answer, text, via, latency_ms)
        return answer

    def read_aloud(self, text: str, language: str) -> None:
        """Touch path: speak a text the visitor chose to hear (an exhibit's summary, the opening hours)."""
        self.touch()
        if not self.active:
            self.start(language, greet=False)
        self._speak(text, language)

    def set_language(self, language: str) -> None:
        with self._lock:
            self.language = language
            self.state = DialogueState(
                exhibit=self.state.exhibit, language=language, story_next=self.state.story_next, turns=self.state.turns
            )
            self.touch()
        if self.listening:  # listen on in the new language
            self.stop_listening()
            self.listen()

    def touch(self) -> None:
        """The visitor did something (a touch, a key, speech): the idle timer starts again."""
        self._last_activity = self.clock()

    def end(self, reason: str = "goodbye") -> None:
        """The visitor left: say goodbye, stop listening, forget the conversation."""
        with self._lock:
            if not self.active:
                return
            self.active = False
            language = self.language
            self.state = DialogueState(language=self.mind.default_language)
        self.stop_listening()
        self.interrupt()
        self.emit(SessionEnded(reason))
        if reason != "error":
            self._speak(self.mind.compose.line("goodbye", language), language)
        self.language = self.mind.default_language

    def tick(self) -> None:
        """Called a few times a second by the window: ends a session nobody has touched for ``idle_timeout_s``."""
        if not self.active or self.speaking:
            if self.speaking:
                self.touch()  # the timeout counts from the end of the guide's answer
            return
        if self.clock() - self._last_activity >= self.settings.idle_timeout_s:
            self.end("timeout")

    def idle_for(self) -> float:
        return self.clock() - self._last_activity

    # -- listening -------------------------------------------------------------------------------------------

    @property
    def listening(self) -> bool:
        current = self._listening
        return current is not None and current.thread.is_alive()

    def voice_problem(self) -> str | None:
        """Why the visitor cannot speak to the kiosk now (for the status line), or None when they can."""
        if self.voice is None:
            return "speech"
        if self.microphone is None:
            return "microphone"
        if self.models is None:
            return "speech-model"
        if self.models.error(self.language):
            return "speech-model"
        return None

    def listen(self) -> bool:
        """Open the microphone for one utterance (or, hands-free, until stopped). False when voice is unavailable."""
        if self.listening:
            return True
        problem = self.voice_problem()
        if problem is not None or self.microphone is None:
            self._unavailable(problem or "microphone")
            return False
        try:
            source = self.microphone()
            if self.settings.keep_audio is not None:
                source = RecordingSource(source, self.settings.keep_audio)
        except Exception as err:  # a microphone that cannot open must not take the kiosk down
            log.warning("the microphone could not be opened: %s", err)
            self.emit(VoiceUnavailable("microphone", f"the microphone could not be opened: {err}"))
            return False
        stop = threading.Event()
        thread = threading.Thread(target=self._listen, args=(source, stop), name="docent-listen", daemon=True)
        self._listening = _Listening(source, thread, stop)
        thread.start()
        return True

    def stop_listening(self) -> None:
        """Close the microphone (the talk button tapped again, the visitor left, the language changed). Returns at
        once: the listening thread sees the closed source, finishes the recognizer and drops what it heard."""
        current = self._listening
        if current is None:
            return
        current.stop.set()
        current.source.close()
        self._listening = None

    def _listen(self, source: AudioSource, stop: threading.Event) -> None:
        try:
            while not stop.is_set():
                language = self.language
                if self.models is None or self.voice is None:
                    return
                try:
                    recognizer = self.models.recognizer(language)
                except RecognitionError as err:
                    self.emit(VoiceUnavailable("speech-model", err.message))
                    return
                mode = Mode.HANDS_FREE if self.settings.hands_free else Mode.PUSH_TO_TALK
                endpointer = Endpointer(self.voice.settings.endpoint, mode)
                if mode is Mode.PUSH_TO_TALK:
                    endpointer.press()
                try:
                    heard = self.voice.hear(source, recognizer, language, endpointer, on_start=self._heard_voice)
                except BaseException:
                    recognizer.close()  # in an unknown state: never reused
                    raise
                recognizer.release()  # back to the pool: the next utterance does not rebuild the grammar
                if stop.is_set():
                    return
                text = heard.transcript.text
                if text:
                    self.ask(text, via="voice", spoken_at=heard.endpoint_at)
                elif heard.start is not None:  # the visitor spoke but nothing was understood
                    self._not_heard(heard.endpoint_at)
                if heard.end is None or heard.end.reason == "closed" or mode is Mode.PUSH_TO_TALK:
                    return
        except Exception:
            log.exception("listening failed")
            self._reset_after_error()
        finally:
            source.close()

    def _heard_voice(self) -> None:
        self.touch()
        if not self.active:  # a visitor spoke to the attract screen
            self.start(greet=False)

    def _not_heard(self, spoken_at: float) -> None:
        text = self.mind.compose.line("not_heard", self.language)
        answer = Answer(Intent.FALLBACK, text, self.language, 0.0, reason="not-heard")
        self._answer(answer)
        self._record(answer, None, "voice", (time.monotonic() - spoken_at) * 1000)

    def _record(self, answer: Answer, question: str | None, via: str, latency_ms: float) -> None:
        """One turn into the interaction log; the log never stops the guide answering."""
        if self.interactions is None:
            return
        try:
            self.interactions.record(
                answer, question, via=via, latency_ms=latency_ms, pack_version=self.mind.pack.fingerprint[:12]
            )
        except Exception:
            log.exception("the turn could not be recorded")

    def _unavailable(self, what: str) -> None:
        messages = {
            "speech": "speech synthesis is not available; answers are shown as text",
            "microphone": "no microphone is available; visitors can use touch and typing",
            "speech-model": (self.models.error(self.language) if self.models else None)
            or f"no speech model for '{self.language}'; visitors can use touch and typing",
        }
        self.emit(VoiceUnavailable(what, messages.get(what, what)))

    # -- speaking --------------------------------------------------------------------------------------------

    @property
    def speaking(self) -> bool:
        thread = self._speaking_thread
        return (thread is not None and thread.is_alive()) or (self.voice is not None and self.voice.speaking)

    def interrupt(self) -> None:
        """Stop the guide speaking (the visitor tapped stop, or asked something else)."""
        self._said += 1  # an answer still waiting to start speaking will not start
        if self.voice is not None:
            self.voice.interrupt(wait=False)

    def _answer(self, answer: Answer) -> None:
        self.emit(AnswerChosen(answer))
        self._speak(answer.text, answer.language)

    def _speak(self, text: str, language: str) -> None:
        voice = self.voice
        if voice is None or not text:
            return

        turn = self._said

        def run() -> None:
            if turn != self._said:  # interrupted before it began (the visitor tapped talk at once)
                return
            try:
                voice.speak(text, language)
            except Exception:
                log.exception("speaking failed")

        thread = threading.Thread(target=run, name="docent-say", daemon=True)
        self._speaking_thread = thread
        thread.start()

    def _from_voice(self, event: Event) -> None:
        if isinstance(event, FinalTranscript):
            self.touch()
        self.emit(event)

    # -- failures --------------------------------------------------------------------------------------------

    def _reset_after_error(self) -> None:
        """An unexpected failure: the visitor sees an apology, the conversation starts afresh, the kiosk goes on."""
        with self._lock:
            self.active = False
            self.state = DialogueState(language=self.mind.default_language)
        self.emit(SessionEnded("error"))

    def recover(self, err: BaseException) -> None:
        """Called by the window for an unexpected exception anywhere in the kiosk: logged, then a fresh start."""
        log.error("unexpected error; the session is reset", exc_info=(type(err), err, err.__traceback__))
        self.stop_listening()
        self.interrupt()
        self._reset_after_error()

    def close(self) -> None:
        self.stop_listening()
        if self.voice is not None:
            self.voice.interrupt()


__all__ = ["Session", "SessionSettings"]
