"""Endpointing: when did the visitor start speaking, and when did they stop?

An energy detector with an adaptive noise floor, on 20 ms frames. A frame is voiced when it is louder than the
floor by ``margin_db`` (and louder than ``min_db`` absolute). Speech starts after ``start_frames`` voiced frames
within ``start_window`` frames and ends after ``trailing_silence_ms`` of unvoiced frames, or at the hard cap
``max_utterance_s``. The floor follows the hall's noise: quickly down, slowly up, so a steady hum or a crowd
becomes the floor after a few seconds instead of keeping the guide listening for ever.

Two modes: hands-free (speech starts the utterance) and push-to-talk (``press()`` arms it, ``release()`` ends it;
nothing said within ``max_wait_s`` of the press ends it as "no-speech").
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from enum import StrEnum

from kiosk.errors import DocentError
from kiosk.voice.audio import FRAME_MS, Frame, dbfs


class Mode(StrEnum):
    HANDS_FREE = "hands-free"
    PUSH_TO_TALK = "push-to-talk"


@dataclass(frozen=True)
class EndpointSettings:
    trailing_silence_ms: int = 600
    max_utterance_s: float = 10.0
    max_wait_s: float = 8.0
    """Push-to-talk: how long to wait for speech after the press."""
    margin_db: float = 9.0
    min_db: float = -50.0
    start_frames: int = 3
    start_window: int = 5
    pre_roll_ms: int = 1000
    """Audio kept from before the start decision, so the recognizer hears the first syllable."""

    def __post_init__(self) -> None:
        if not 100 <= self.trailing_silence_ms <= 5000:
            raise DocentError(
                f"trailing silence must be 100 to 5000 ms, not {self.trailing_silence_ms}", code="bad-setting"
            )
        if not 1.0 <= self.max_utterance_s <= 60.0:
            raise DocentError(
                f"the longest utterance must be 1 to 60 seconds, not {self.max_utterance_s}", code="bad-setting"
            )
        if not 1 <= self.start_frames <= self.start_window:
            raise DocentError("start_frames must be between 1 and start_window", code="bad-setting")


@dataclass(frozen=True)
class SpeechStart:
    at: float
    """Start of the first voiced frame, on the source's clock (seconds)."""
    pre_roll: tuple[Frame, ...]
    """The frames from just before the decision, to be fed to the recognizer first."""


@dataclass(frozen=True)
class SpeechEnd:
    last_voiced: float
    """End of the last voiced frame (seconds, source clock)."""
    decided: float
    """End of the frame on which the end was decided (seconds, source clock)."""
    reason: str
    """"silence", "max-length", "released" or "no-speech"."""


Decision = SpeechStart | SpeechEnd


@dataclass
class Endpointer:
    settings: EndpointSettings = field(default_factory=EndpointSettings)
    mode: Mode = Mode.HANDS_FREE
    floor_db: float = -60.0
    speaking: bool = False
    armed: bool = False
    _recent: deque[tuple[Frame, bool]] = field(default_factory=deque)
    _start: float = 0.0
    _last_voiced: float = 0.0
    _silence_ms: int = 0
    _armed_at: float | None = None

    def press(self) -> None:
        """Push-to-talk: the visitor pressed the talk button."""
        self.armed = True
        self._armed_at = None
        self.speaking = False
        self._silence_ms = 0

    def release(self, at: float) -> SpeechEnd | None:
        """Push-to-talk: the button was released; ends the utterance now."""
        if not self.armed:
            return None
        self.armed = False
        if self.speaking:
            self.speaking = False
            return SpeechEnd(self._last_voiced, at, "released")
        return SpeechEnd(at, at, "no-speech")

    @property
    def listening(self) -> bool:
        return self.mode is Mode.HANDS_FREE or self.armed

    def voiced(self, frame: Frame) -> bool:
        db = dbfs(frame.samples)
        is_voiced = db > max(self.settings.min_db, self.floor_db + self.settings.margin_db)
        if is_voiced:
            self.floor_db += 0.02  # a sound that never stops becomes the floor (about 1 dB a second)
        else:
            self.floor_db = 0.9 * self.floor_db + 0.1 * db
        return is_voiced

    def feed(self, frame: Frame) -> Decision | None:
        is_voiced = self.voiced(frame)
        s = self.settings
        if not self.listening:
            return None
        if self._armed_at is None:
            self._armed_at = frame.start
        if not self.speaking:
            self._recent.append((frame, is_voiced))
            keep = max(s.start_window, s.pre_roll_ms // FRAME_MS)
            while len(self._recent) > keep:
                self._recent.popleft()
            window = list(self._recent)[-s.start_window :]
            if sum(v for _, v in window) >= s.start_frames:
                first = next(f for f, v in window if v)
                self.speaking = True
                self._start = first.start
                self._last_voiced = frame.end
                self._silence_ms = 0
                pre_roll = tuple(f for f, _ in self._recent)
                self._recent.clear()
                return SpeechStart(first.start, pre_roll)
            if self.mode is Mode.PUSH_TO_TALK and frame.end - self._armed_at >= s.max_wait_s:
                self.armed = False
                return SpeechEnd(frame.end, frame.end, "no-speech")
            return None
        if is_voiced:
            self._last_voiced = frame.end
            self._silence_ms = 0
        else:
            self._silence_ms += FRAME_MS
        if self._silence_ms >= s.trailing_silence_ms:
            return self._end(frame, "silence")
        if frame.end - self._start >= s.max_utterance_s:
            return self._end(frame, "max-length")
        return None

    def _end(self, frame: Frame, reason: str) -> SpeechEnd:
        self.speaking = False
        self.armed = False
        self._silence_ms = 0
        return SpeechEnd(self._last_voiced, frame.end, reason)


__all__ = ["Decision", "EndpointSettings", "Endpointer", "Mode", "SpeechEnd", "SpeechStart"]
