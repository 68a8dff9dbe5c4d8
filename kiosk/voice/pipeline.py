"""The voice stages wired together: listen (endpointing + recognition), then speak (synthesis + audio out).

``Voice.hear`` runs one utterance from an audio source to a transcript; ``Voice.speak`` plays an answer sentence
by sentence (the first starts as soon as it alone is synthesized, the rest are synthesized while it plays);
``Voice.interrupt`` is barge-in. While the guide speaks the microphone is gated, so its own voice is never taken
for a question, unless barge-in by voice is on: then speech detected during playback stops the guide at once.
Every stage reports through one callback with the events of kiosk.events.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from kiosk.events import (
    FinalTranscript,
    Listener,
    ListeningStarted,
    ListeningStopped,
    PartialTranscript,
    SpeakingStarted,
    SpeakingStopped,
    SpeechDetected,
    StageTimed,
)
from kiosk.voice.asr import Recognizer, Transcript
from kiosk.voice.audio import AudioSource
from kiosk.voice.endpoint import Endpointer, EndpointSettings, Mode, SpeechEnd, SpeechStart
from kiosk.voice.out import AudioOut
from kiosk.voice.tts import Clip, SynthesisError, Synthesizer


@dataclass(frozen=True)
class ListenSettings:
    endpoint: EndpointSettings = field(default_factory=EndpointSettings)
    mode: Mode = Mode.HANDS_FREE
    barge_in_voice: bool = False
    """Let a visitor's voice interrupt the guide (needs a microphone that does not hear the speaker much)."""
    echo_tail_ms: int = 250
    """How long the microphone stays gated after the guide stops speaking (room echo)."""


@dataclass(frozen=True)
class Heard:
    transcript: Transcript
    start: SpeechStart | None
    end: SpeechEnd | None
    endpoint_at: float
    """Monotonic time the end of speech was decided."""
    final_at: float
    """Monotonic time the final transcript was ready."""


def _ignore(_: object) -> None:
    return None


class Voice:
    """Ears and mouth for one kiosk: hear an utterance, speak an answer, stop speaking on barge-in."""

    def __init__(
        self,
        synthesizer: Synthesizer,
        out: AudioOut,
        settings: ListenSettings | None = None,
        emit: Listener | None = None,
    ) -> None:
        self.synthesizer = synthesizer
        self.out = out
        self.settings = settings or ListenSettings()
        self.emit: Listener = emit or _ignore
        self._speech: threading.Thread | None = None
        self._stop_speaking = threading.Event()
        self._quiet_since = 0.0
        self.first_sample_at: float | None = None
        out.on_first_sample = self._first_sample

    def _first_sample(self, at: float) -> None:
        if self.first_sample_at is None:
            self.first_sample_at = at

    # -- listening -------------------------------------------------------------------------------------------

    @property
    def speaking(self) -> bool:
        """True from ``speak`` until the answer ends or is interrupted (an interrupted answer whose synthesis is
        still finishing no longer counts: the microphone opens at once after barge-in)."""
        return self._speech is not None and self._speech.is_alive() and not self._stop_speaking.is_set()

    def _gated(self) -> bool:
        """True while the microphone must not be listened to: the guide is speaking, or its echo is dying away."""
        if self.settings.barge_in_voice:
            return False
        if self.speaking:
            self._quiet_since = time.monotonic()
            return True
        return time.monotonic() - self._quiet_since < self.settings.echo_tail_ms / 1000

    def hear(
        self,
        source: AudioSource,
        recognizer: Recognizer,
        language: str,
        endpointer: Endpointer | None = None,
        on_start: Callable[[], None] | None = None,
    ) -> Heard:
        """Listen until one utterance has ended (or the source ends); returns its transcript."""
        ep = endpointer or Endpointer(self.settings.endpoint, self.settings.mode)
        self.emit(ListeningStarted(ep.mode.value))
        start: SpeechStart | None = None
        end: SpeechEnd | None = None
        caption = ""
        last_frame_end = 0.0
        for frame in source.frames():
            last_frame_end = frame.end
            if self._gated():
                continue
            decision = ep.feed(frame)
            if isinstance(decision, SpeechStart):
                start = decision
                if self.speaking:  # barge-in by voice
                    self.interrupt()
                if on_start is not None:
                    on_start()
                self.emit(SpeechDetected(decision.at))
                for f in decision.pre_roll:
                    recognizer.feed(f.pcm())
                continue
            if ep.speaking:
                recognizer.feed(frame.pcm())
                partial = recognizer.partial()
                if partial and partial != caption:
                    caption = partial
                    self.emit(PartialTranscript(partial))
            if isinstance(decision, SpeechEnd):
                end = decision
                break
        endpoint_at = time.monotonic()
        if end is None and start is not None:
            end = SpeechEnd(last_frame_end, last_frame_end, "closed")
        self.emit(ListeningStopped(end.reason if end else "closed"))
        transcript = recognizer.finish() if start is not None else Transcript("", 0.0, "none")
        final_at = time.monotonic()
        self.emit(StageTimed("recognize-final", (final_at - endpoint_at) * 1000))
        self.emit(FinalTranscript(transcript.text, transcript.confidence, transcript.decoder, language))
        return Heard(transcript, start, end, endpoint_at, final_at)

    # -- speaking --------------------------------------------------------------------------------------------

    def speak(self, text: str, language: str) -> list[Clip]:
        """Start speaking ``text`` (returns once the first sentence is playing); the clips so far are returned
        and the list grows as later sentences are synthesized."""
        self.interrupt()
        # Each answer has its own stop flag: an interrupted answer's synthesis thread keeps seeing its flag set and
        # stops after the sentence in hand, instead of synthesizing the rest of the old answer ahead of this one.
        stop = threading.Event()
        self._stop_speaking = stop
        self.first_sample_at = None
        clips: list[Clip] = []
        ready: queue.Queue[Clip | None] = queue.Queue()
        first = threading.Event()

        def synthesize() -> None:
            try:
                for clip in self.synthesizer.say(text, language):
                    if stop.is_set():
                        break
                    clips.append(clip)
                    ready.put(clip)
            except SynthesisError:
                pass
            finally:
                ready.put(None)

        def play() -> None:
            interrupted = False
            while True:
                clip = ready.get()
                if clip is None or stop.is_set():
                    interrupted = stop.is_set()
                    break
                self.emit(SpeakingStarted(clip.text, language, clip.duration, clip.visemes))
                self.out.play(clip.samples, clip.rate)
                first.set()
                self.out.wait()
                if stop.is_set():
                    interrupted = True
                    break
            first.set()
            if not interrupted:  # an interrupted answer's thread may wind down late: it must not re-gate the mic
                self._quiet_since = time.monotonic()
            self.emit(SpeakingStopped(interrupted))

        threading.Thread(target=synthesize, name="docent-speak-synth", daemon=True).start()
        speech = threading.Thread(target=play, name="docent-speak", daemon=True)
        speech.start()
        self._speech = speech  # published once started: interrupt() from another thread may join it at once
        first.wait()
        return clips

    def interrupt(self, wait: bool = True) -> float:
        """Barge-in: stop speaking now. Returns how long stopping took, in seconds. With ``wait`` False it returns
        as soon as the sound has stopped, without waiting for the speaking thread to wind down (UI threads)."""
        started = time.monotonic()
        if self.speaking:
            self._quiet_since = started
        self._stop_speaking.set()
        self.out.stop()
        speech = self._speech
        if speech is not None and wait:
            speech.join(1.0)
        return time.monotonic() - started

    def wait(self, timeout: float | None = None) -> None:
        if self._speech is not None:
            self._speech.join(timeout)


__all__ = ["Heard", "ListenSettings", "Voice"]
