"""Audio outputs the avatar can play the answer through; each keeps the clock its lips follow.

``PandaAudioOut`` plays through Panda3D's audio manager (OpenAL on a kiosk) and reads the position from it.
``open_guide_audio`` falls back to :class:`~kiosk.voice.out.SilentAudioOut` (real-time clock, no sound) where
Panda3D has no working audio device, so lip sync and captions behave the same. ``SteppedAudioOut`` is the clock of
an offscreen render: it advances exactly one video frame at a time, so every rendered frame shows the mouth for the
audio under that frame.
"""

from __future__ import annotations

import tempfile
import threading
from pathlib import Path
from typing import Any

import numpy as np

from kiosk.voice.audio import write_wav
from kiosk.voice.out import AudioOut, SilentAudioOut


class SteppedAudioOut(AudioOut):
    """A clock for offline rendering: ``advance(dt)`` moves the playback position by one frame's time."""

    def __init__(self) -> None:
        super().__init__()
        self._total = 0
        self.samples: np.ndarray = np.zeros(0, dtype=np.int16)

    def play(self, samples: np.ndarray, rate: int) -> None:
        self.samples = samples
        self._rate = rate
        self._total = len(samples)
        self._played = 0
        self._done.clear()
        if self.on_first_sample is not None:
            self.on_first_sample(0.0)

    def advance(self, seconds: float) -> None:
        if self.playing:
            self._played = min(self._total, self._played + round(seconds * self._rate))
            if self._played >= self._total:
                self._done.set()

    def stop(self) -> None:
        self._done.set()


class PandaAudioOut(AudioOut):
    """Plays through a Panda3D ``AudioManager``; the position is the sound's own playback time."""

    def __init__(self, manager: Any) -> None:
        super().__init__()
        self._manager = manager
        self._sound: Any = None
        self._folder = Path(tempfile.mkdtemp(prefix="docent-audio-"))
        self._lock = threading.Lock()
        self._n = 0

    def play(self, samples: np.ndarray, rate: int) -> None:
        from panda3d.core import Filename

        self.stop()
        self._n += 1
        path = self._folder / f"clip{self._n % 4}.wav"
        write_wav(path, samples, rate)
        with self._lock:
            self._sound = self._manager.getSound(Filename.fromOsSpecific(str(path)), positional=False)
            self._rate = rate
            self._sound.play()
        if self.on_first_sample is not None:
            import time

            self.on_first_sample(time.monotonic())

    @property
    def position(self) -> float:
        with self._lock:
            return float(self._sound.getTime()) if self._sound is not None else 0.0

    @property
    def playing(self) -> bool:
        with self._lock:
            return self._sound is not None and self._sound.status() == self._sound.PLAYING

    def stop(self) -> None:
        with self._lock:
            if self._sound is not None:
                self._sound.stop()
                self._sound = None


def open_guide_audio(manager: Any | None) -> tuple[AudioOut, str]:
    """Panda3D audio when it has a real device, else a silent output that keeps time; with a line saying which."""
    if manager is not None and manager.isValid() and type(manager).__name__ != "NullAudioManager":
        return PandaAudioOut(manager), "Panda3D audio"
    return SilentAudioOut(), "no sound device: playing silently, the lips still follow the audio clock"


__all__ = ["PandaAudioOut", "SteppedAudioOut", "open_guide_audio"]
