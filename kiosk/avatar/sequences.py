"""Scripted moments of a visit, for rendering the guide offscreen: one per behaviour, and a whole short session.

A script is a list of cues (an event, or "start speaking the answer") at times in seconds. ``play`` steps the
guide through it at a fixed frame rate on the stepped audio clock and hands every frame to a callback, so the
render command, the tests and the benchmark all see exactly what a visitor would, frame by frame.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from kiosk.avatar.render import OffscreenRenderer
from kiosk.events import (
    AnswerChosen,
    Event,
    FinalTranscript,
    ListeningStarted,
    ListeningStopped,
    PartialTranscript,
    SessionEnded,
    SessionStarted,
    SpeakingStopped,
)
from kiosk.mind.answer import Answer, Intent
from kiosk.voice.visemes import VisemeTrack

BEHAVIOURS = ("idle", "greet", "listen", "think", "talk", "point", "goodbye")
SPEAKING = ("talk", "point", "session")


@dataclass(frozen=True)
class Speech:
    samples: np.ndarray
    rate: int
    track: VisemeTrack
    text: str
    language: str

    @property
    def duration(self) -> float:
        return len(self.samples) / self.rate


@dataclass(frozen=True)
class Cue:
    at: float
    event: Event | None = None
    speak: bool = False


def script(behaviour: str, speech: Speech | None = None) -> tuple[list[Cue], float]:
    """The cues for one behaviour (or ``session``: greet, listen, think, answer with a point, goodbye), and the
    length of the sequence in seconds."""
    talk_s = speech.duration if speech is not None else 0.0
    language = speech.language if speech is not None else "en"
    text = speech.text if speech is not None else ""
    heard = "where is the terracotta army"
    match behaviour:
        case "idle":
            return [], 4.0
        case "greet":
            return [Cue(0.2, SessionStarted(language))], 3.2
        case "listen":
            return [
                Cue(0.0, ListeningStarted("hands-free")),
                Cue(0.9, PartialTranscript("where")),
                Cue(2.1, PartialTranscript("where is the")),
            ], 3.2
        case "think":
            return [
                Cue(0.0, ListeningStarted("hands-free")),
                Cue(0.2, ListeningStopped("silence")),
                Cue(0.3, FinalTranscript(heard, 0.9, "grammar", language)),
            ], 2.4
        case "talk":
            return [Cue(0.1, speak=True)], talk_s + 0.7
        case "point":
            answer = Answer(Intent.DIRECTIONS, text, language, 1.0, gesture="point-right")
            return [Cue(0.0, AnswerChosen(answer)), Cue(0.1, speak=True)], max(talk_s, 3.4) + 0.7
        case "goodbye":
            return [Cue(0.2, SessionEnded("goodbye"))], 3.4
        case "session":
            answer = Answer(Intent.DIRECTIONS, text, language, 1.0, gesture="point-right")
            return [
                Cue(0.2, SessionStarted(language)),
                Cue(2.0, ListeningStarted("hands-free")),
                Cue(3.0, PartialTranscript("where")),
                Cue(4.0, ListeningStopped("silence")),
                Cue(4.1, FinalTranscript(heard, 0.9, "grammar", language)),
                Cue(4.6, AnswerChosen(answer)),
                Cue(4.7, speak=True),
                Cue(4.9 + max(talk_s, 3.4), SessionEnded("goodbye")),
            ], 8.4 + max(talk_s, 3.4)
        case _:
            raise ValueError(f"unknown behaviour {behaviour!r}; choose from {', '.join(BEHAVIOURS)} or session")


def play(
    renderer: OffscreenRenderer,
    cues: list[Cue],
    duration: float,
    fps: float,
    on_frame: Callable[[int, float, np.ndarray], None],
    speech: Speech | None = None,
) -> int:
    """Render the script frame by frame; ``on_frame(index, t, rgb)`` gets each frame. Returns the frame count."""
    guide = renderer.guide
    if guide is None:
        raise ValueError("load an avatar into the renderer first")
    pending = sorted(cues, key=lambda c: c.at)
    audio = renderer.audio
    speaking = False
    frames = round(duration * fps)
    for i in range(frames):
        t = i / fps
        while pending and pending[0].at <= t + 1e-9:
            cue = pending.pop(0)
            if cue.event is not None:
                guide.post(cue.event)
            if cue.speak and speech is not None:
                guide.speak(speech.samples, speech.rate, speech.track, speech.text, speech.language)
                speaking = True
        if speaking and not audio.playing:
            guide.post(SpeakingStopped(False))
            speaking = False
        on_frame(i, t, renderer.render(t))
        audio.advance(1.0 / fps)
    return frames


__all__ = ["BEHAVIOURS", "SPEAKING", "Cue", "Speech", "play", "script"]
