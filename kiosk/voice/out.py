"""Audio out: plays the guide's speech and keeps the clock the avatar's lips follow.

``SoundDeviceOut`` plays through the speaker (sounddevice/PortAudio). ``SilentAudioOut`` is for machines with no
speaker (this build machine, a kiosk whose speaker failed): it plays nothing but advances the same clock in real
time, block by block, so lip sync, captions and barge-in behave exactly as with sound. Both stop within one block
(10 ms) of ``stop()``.
"""

from __future__ import annotations

import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable

import numpy as np

BLOCK_S = 0.010


class AudioOut(ABC):
    """One clip at a time. ``play`` returns at once; ``position`` is seconds into the clip on the audio clock."""

    on_first_sample: Callable[[float], None] | None = None
    """Called (from the audio thread) with the monotonic time the clip's first sample was output."""
    volume: float = 1.0
    """0.0 to 1.0, applied to the next clip played (the kiosk's volume control)."""

    def __init__(self) -> None:
        self._played = 0
        self._rate = 16_000
        self._done = threading.Event()
        self._done.set()

    @abstractmethod
    def play(self, samples: np.ndarray, rate: int) -> None: ...

    @abstractmethod
    def stop(self) -> None:
        """Stop now (barge-in); returns once no more samples will be output."""

    @property
    def position(self) -> float:
        return self._played / self._rate

    @property
    def playing(self) -> bool:
        return not self._done.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the clip has finished or was stopped; False on timeout."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.playing:
            if deadline is not None and time.monotonic() > deadline:
                return False
            time.sleep(0.005)
        return True


class SilentAudioOut(AudioOut):
    """Keeps the audio clock without a speaker: advances one 10 ms block at a time, in real time."""

    def __init__(self) -> None:
        super().__init__()
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self.started_at: float | None = None
        self.played_blocks: list[float] = []
        """Monotonic end time of every block output so far for the current clip (tests and benchmarks read it)."""

    def play(self, samples: np.ndarray, rate: int) -> None:
        self.stop()
        self._stop.clear()
        self._done.clear()
        self._played = 0
        self._rate = rate
        self.played_blocks = []
        self._thread = threading.Thread(target=self._run, args=(len(samples),), name="silent-audio-out", daemon=True)
        self._thread.start()

    def _run(self, total: int) -> None:
        block = max(1, int(self._rate * BLOCK_S))
        start = time.monotonic()
        self.started_at = start
        if self.on_first_sample is not None:
            self.on_first_sample(start)
        n = 0
        while self._played < total and not self._stop.is_set():
            self._played = min(total, self._played + block)
            n += 1
            self.played_blocks.append(time.monotonic())
            delay = start + n * BLOCK_S - time.monotonic()
            if delay > 0:
                self._stop.wait(delay)
        self._done.set()

    def stop(self) -> None:
        self._stop.set()
        self._done.wait()


class SoundDeviceOut(AudioOut):
    """The kiosk's speaker through sounddevice; ``stop()`` aborts the stream (no draining of queued audio)."""

    def __init__(self, device: int | str | None = None) -> None:
        import sounddevice as sd  # imported here: PortAudio may be missing, and SilentAudioOut needs none of it

        super().__init__()
        self._sd = sd
        self.device = device
        self._stream: object | None = None
        self._samples = np.zeros(0, dtype=np.int16)
        self._first = True

    def play(self, samples: np.ndarray, rate: int) -> None:
        self.stop()
        gain = min(1.0, max(0.0, self.volume))
        self._samples = (samples.astype(np.float32) * gain).astype(np.int16) if gain < 1.0 else samples.astype(np.int16)
        self._played = 0
        self._rate = rate
        self._first = True
        self._done.clear()
        stream = self._sd.OutputStream(
            samplerate=rate,
            channels=1,
            dtype="int16",
            blocksize=int(rate * BLOCK_S),
            device=self.device,
            callback=self._callback,
            finished_callback=self._done.set,
        )
        self._stream = stream
        stream.start()

    def _callback(self, out: np.ndarray, frames: int, when: object, status: object) -> None:
        if self._first and self.on_first_sample is not None:
            self._first = False
            self.on_first_sample(time.monotonic())
        chunk = self._samples[self._played : self._played + frames]
        out[: len(chunk), 0] = chunk
        out[len(chunk) :, 0] = 0
        self._played += len(chunk)
        if self._played >= len(self._samples):
            raise self._sd.CallbackStop

    def stop(self) -> None:
        stream = self._stream
        self._stream = None
        if stream is not None:
            stream.abort()  # type: ignore[attr-defined]
            stream.close()  # type: ignore[attr-defined]
        self._done.set()


def open_audio_out(device: int | str | None = None) -> tuple[AudioOut, str]:
    """The speaker if there is one, else the silent clock; with a line for staff saying which and why."""
    try:
        import sounddevice as sd

        info = sd.query_devices(device, "output")
    except (OSError, ValueError) as err:
        return SilentAudioOut(), f"no speaker found ({err}); speech is silent, lips and captions still run"
    except Exception as err:  # sounddevice.PortAudioError, which needs PortAudio to name
        return SilentAudioOut(), f"the speaker could not be opened ({err}); speech is silent"
    return SoundDeviceOut(device), f"speaking through '{info.get('name', 'the default speaker')}'"


__all__ = ["BLOCK_S", "AudioOut", "SilentAudioOut", "SoundDeviceOut", "open_audio_out"]
