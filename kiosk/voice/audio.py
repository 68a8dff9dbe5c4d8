"""Audio in: 16 kHz mono 16-bit frames from a microphone or a WAV file, behind one small interface.

A source yields fixed-size frames (20 ms by default). The microphone is opened with sounddevice (PortAudio); a
missing or busy microphone is a status (``MicStatus``), never an exception in front of visitors: the kiosk keeps
working by touch. The WAV source replays a file in real time (as a microphone would) or as fast as possible.
"""

from __future__ import annotations

import contextlib
import math
import queue
import threading
import time
import wave
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import numpy as np

from kiosk.errors import DocentError

RATE = 16_000
"""Samples a second everywhere inside the voice room."""
FRAME_MS = 20
FRAME_SAMPLES = RATE * FRAME_MS // 1000


class AudioError(DocentError):
    """Audio could not be read: a broken WAV file, or a microphone that failed."""


@dataclass(frozen=True)
class Frame:
    """One frame of 16 kHz mono audio: int16 samples and its start time on the source's clock (seconds)."""

    samples: np.ndarray
    start: float

    @property
    def end(self) -> float:
        return self.start + len(self.samples) / RATE

    def pcm(self) -> bytes:
        return self.samples.astype("<i2").tobytes()


def level(samples: np.ndarray) -> float:
    """A 0..1 level for the UI's meter: RMS in dBFS mapped from -60 dB (0) to 0 dB (1)."""
    return min(1.0, max(0.0, (dbfs(samples) + 60.0) / 60.0))


def dbfs(samples: np.ndarray) -> float:
    """RMS level in dB relative to full scale (-100 for digital silence)."""
    if len(samples) == 0:
        return -100.0
    rms = math.sqrt(float(np.mean(np.square(samples.astype(np.float64)))))
    return 20.0 * math.log10(rms / 32768.0) if rms > 0 else -100.0


class AudioSource(ABC):
    """Frames of 16 kHz mono audio. ``frames()`` ends when the source ends or ``close()`` is called."""

    level: float = 0.0
    """The latest frame's level (0..1), for the UI's meter."""

    @abstractmethod
    def frames(self) -> Iterator[Frame]: ...

    def close(self) -> None:  # noqa: B027 - most sources have nothing to release
        """Stop producing frames."""


def resample(samples: np.ndarray, rate: int, target: int = RATE) -> np.ndarray:
    """Band-limited resampling of a whole clip (FFT method): 22,050 Hz espeak-ng output to 16 kHz, for example."""
    if rate == target or len(samples) == 0:
        return samples.astype(np.int16)
    n = round(len(samples) * target / rate)
    spectrum = np.fft.rfft(samples.astype(np.float64))
    out = np.zeros(n // 2 + 1, dtype=complex)
    keep = min(len(spectrum), len(out))
    out[:keep] = spectrum[:keep]
    y = np.fft.irfft(out, n) * (n / len(samples))
    return np.clip(np.round(y), -32768, 32767).astype(np.int16)


def read_wav(path: Path, rate: int = RATE) -> np.ndarray:
    """A WAV file as int16 mono samples at ``rate``; stereo is mixed down. Clear errors for anything else."""
    try:
        with wave.open(str(path), "rb") as w:
            channels, width, source_rate = w.getnchannels(), w.getsampwidth(), w.getframerate()
            data = w.readframes(w.getnframes())
    except FileNotFoundError as err:
        raise AudioError(f"no such audio file: {path}", code="no-file") from err
    except (wave.Error, EOFError, OSError) as err:
        raise AudioError(f"{path} is not a readable WAV file ({err}); use 16-bit PCM WAV", code="bad-wav") from err
    if width != 2:
        raise AudioError(f"{path} has {8 * width}-bit samples; use 16-bit PCM WAV", code="bad-wav")
    samples = np.frombuffer(data, dtype="<i2")
    if channels > 1:
        samples = samples[: len(samples) - len(samples) % channels].reshape(-1, channels).mean(axis=1)
    return resample(samples.astype(np.int16), source_rate, rate)


def write_wav(path: Path, samples: np.ndarray, rate: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(samples.astype("<i2").tobytes())


class WavSource(AudioSource):
    """Replays a WAV file as microphone frames: in real time (``realtime=True``) or as fast as possible.

    ``pad_s`` seconds of silence are appended so that an endpointer sees the visitor stop speaking even when the
    recording ends right after the last word.
    """

    def __init__(self, path: Path, *, realtime: bool = False, pad_s: float = 1.0) -> None:
        samples = read_wav(path)
        self.samples = np.concatenate([samples, np.zeros(int(pad_s * RATE), dtype=np.int16)])
        self.realtime = realtime
        self._closed = threading.Event()
        self.started_at = 0.0

    @property
    def duration(self) -> float:
        return len(self.samples) / RATE

    def frames(self) -> Iterator[Frame]:
        self.started_at = time.monotonic()
        for n, start in enumerate(range(0, len(self.samples) - FRAME_SAMPLES + 1, FRAME_SAMPLES)):
            if self._closed.is_set():
                return
            frame = Frame(self.samples[start : start + FRAME_SAMPLES], start / RATE)
            if self.realtime:
                # A microphone delivers a frame when it has been spoken, at the frame's end.
                delay = self.started_at + (n + 1) * FRAME_MS / 1000 - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
            self.level = level(frame.samples)
            yield frame

    def close(self) -> None:
        self._closed.set()


class RecordingSource(AudioSource):
    """Debugging only (``keep_audio`` in kiosk.yaml, off by default): passes another source's frames through and
    writes what was heard to ``folder/<time>.wav`` when closed. The kiosk never uses it unless a technician asks."""

    def __init__(self, source: AudioSource, folder: Path) -> None:
        self.source = source
        self.folder = folder
        self._frames: list[np.ndarray] = []
        self.path: Path | None = None

    def frames(self) -> Iterator[Frame]:
        for frame in self.source.frames():
            self._frames.append(frame.samples)
            yield frame

    def close(self) -> None:
        self.source.close()
        if self._frames and self.path is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            self.path = self.folder / time.strftime("%Y%m%d-%H%M%S.wav")
            write_wav(self.path, np.concatenate(self._frames), RATE)
            self._frames = []


class MicStatus(StrEnum):
    OK = "ok"
    NO_AUDIO_SYSTEM = "no-audio-system"
    NO_MICROPHONE = "no-microphone"
    BUSY = "busy"
    FAILED = "failed"


@dataclass(frozen=True)
class MicState:
    status: MicStatus
    message: str
    """For staff: what is wrong and what to do. Visitors only see that the guide is listening or is touch-only."""


class MicSource(AudioSource):
    """The kiosk's microphone, 16 kHz mono, through sounddevice (PortAudio).

    ``open()`` returns a ``MicState``; when it is not OK, ``frames()`` yields nothing and the kiosk runs by touch.
    """

    def __init__(self, device: int | str | None = None) -> None:
        self.device = device
        self.state = MicState(MicStatus.FAILED, "the microphone has not been opened")
        self._queue: queue.Queue[np.ndarray | None] = queue.Queue(maxsize=500)
        self._stream: object | None = None
        self._started = 0.0
        self._count = 0

    def open(self) -> MicState:
        try:
            import sounddevice as sd
        except OSError as err:  # PortAudio itself is missing
            self.state = MicState(
                MicStatus.NO_AUDIO_SYSTEM,
                f"the audio system is not available ({err}); install PortAudio (apt install libportaudio2)",
            )
            return self.state
        try:
            info = sd.query_devices(self.device, "input")
        except (ValueError, sd.PortAudioError) as err:
            self.state = MicState(
                MicStatus.NO_MICROPHONE,
                f"no microphone found ({err}); plug one in, or check the audio settings; the kiosk works by touch",
            )
            return self.state
        try:
            stream = sd.InputStream(
                samplerate=RATE,
                channels=1,
                dtype="int16",
                blocksize=FRAME_SAMPLES,
                device=self.device,
                callback=self._callback,
            )
            stream.start()
        except sd.PortAudioError as err:
            busy = "busy" in str(err).lower() or "unavailable" in str(err).lower()
            self.state = MicState(
                MicStatus.BUSY if busy else MicStatus.FAILED,
                f"the microphone '{info.get('name', self.device)}' could not be opened ({err}); "
                + ("another program is using it" if busy else "check the audio settings"),
            )
            return self.state
        self._stream = stream
        self._started = time.monotonic()
        self.state = MicState(MicStatus.OK, f"listening on '{info.get('name', 'the default microphone')}'")
        return self.state

    def _callback(self, data: np.ndarray, frames: int, when: object, status: object) -> None:
        with contextlib.suppress(queue.Full):  # the consumer stalled: drop audio rather than grow without bound
            self._queue.put_nowait(data[:, 0].copy())

    def frames(self) -> Iterator[Frame]:
        if self.state.status is not MicStatus.OK:
            return
        while True:
            samples = self._queue.get()
            if samples is None:
                return
            frame = Frame(samples, self._count * FRAME_MS / 1000)
            self._count += 1
            self.level = level(samples)
            yield frame

    def close(self) -> None:
        stream = self._stream
        self._stream = None
        if stream is not None:
            stream.stop()  # type: ignore[attr-defined]
            stream.close()  # type: ignore[attr-defined]
        self._queue.put(None)


__all__ = [
    "FRAME_MS",
    "FRAME_SAMPLES",
    "RATE",
    "AudioError",
    "AudioSource",
    "Frame",
    "MicSource",
    "MicState",
    "MicStatus",
    "RecordingSource",
    "WavSource",
    "dbfs",
    "level",
    "read_wav",
    "resample",
    "write_wav",
]
