"""The event vocabulary: small frozen messages between the parts of one conversation.

Stages (listen, recognise, understand, speak) report through one callback with these; the UI and the avatar
subscribe, and the stages never reach into them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.mind.answer import Answer
    from kiosk.voice.visemes import VisemeTrack


@dataclass(frozen=True)
class SessionStarted:
    """A visitor arrived (touched the screen or spoke after a quiet spell): the guide greets them."""

    language: str | None = None


@dataclass(frozen=True)
class SessionEnded:
    """The visitor left or said goodbye: the guide waves and goes back to idling."""

    reason: str = "timeout"


@dataclass(frozen=True)
class QuestionAsked:
    """A visitor's question as the mind received it: typed, tapped (a suggested or curated question) or spoken."""

    text: str
    language: str
    via: str
    """"typed", "tapped" or "voice"."""


@dataclass(frozen=True)
class ListeningStarted:
    mode: str


@dataclass(frozen=True)
class SpeechDetected:
    at: float
    """Seconds on the audio source's clock."""


@dataclass(frozen=True)
class PartialTranscript:
    text: str


@dataclass(frozen=True)
class FinalTranscript:
    text: str
    confidence: float
    decoder: str
    language: str


@dataclass(frozen=True)
class ListeningStopped:
    reason: str
    """"silence", "max-length", "released", "no-speech", "barge-in" or "closed"."""


@dataclass(frozen=True)
class AnswerChosen:
    answer: Answer


@dataclass(frozen=True)
class SpeakingStarted:
    text: str
    language: str
    duration: float
    visemes: VisemeTrack


@dataclass(frozen=True)
class SpeakingStopped:
    interrupted: bool


@dataclass(frozen=True)
class StageTimed:
    stage: str
    milliseconds: float


@dataclass(frozen=True)
class VoiceUnavailable:
    """Speech in or out cannot run (no model, no microphone, no speech engine); the kiosk runs by touch."""

    what: str
    message: str


Event = (
    SessionStarted
    | SessionEnded
    | QuestionAsked
    | ListeningStarted
    | SpeechDetected
    | PartialTranscript
    | FinalTranscript
    | ListeningStopped
    | AnswerChosen
    | SpeakingStarted
    | SpeakingStopped
    | StageTimed
    | VoiceUnavailable
)
Listener = Callable[[Event], None]

__all__ = [
    "AnswerChosen",
    "Event",
    "FinalTranscript",
    "Listener",
    "ListeningStarted",
    "ListeningStopped",
    "PartialTranscript",
    "QuestionAsked",
    "SessionEnded",
    "SessionStarted",
    "SpeakingStarted",
    "SpeakingStopped",
    "SpeechDetected",
    "StageTimed",
    "VoiceUnavailable",
]
