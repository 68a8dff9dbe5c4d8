"""The viseme track: which mouth shape, how open, 100 times a second, from the synthesized audio itself.

Shapes are the VRM set: aa, ih, ou, ee, oh (all zero is a closed mouth). How open the mouth is follows the
loudness of each 20 ms window (so it is closed in silences and open when the sound is loud, on the audio's own
clock); which shape is chosen from the vowel's first two formants, estimated as the spectral centroids of the
250-1,000 Hz and 900-3,000 Hz bands. pyttsx3 gives no phoneme timings, so the audio is the one source of truth.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

VISEMES = ("aa", "ih", "ou", "ee", "oh")
FPS = 100

# Typical (F1, F2) in Hz of the vowel behind each mouth shape.
_PROTOTYPES = np.array([(750.0, 1250.0), (420.0, 1900.0), (320.0, 800.0), (300.0, 2300.0), (520.0, 900.0)])


@dataclass(frozen=True)
class VisemeTrack:
    fps: int
    frames: np.ndarray
    """(n, 5) weights 0..1 for aa, ih, ou, ee, oh; row i covers [i/fps, (i+1)/fps)."""

    @property
    def duration(self) -> float:
        return len(self.frames) / self.fps

    def openness(self) -> np.ndarray:
        return self.frames.max(axis=1) if len(self.frames) else np.zeros(0)

    def at(self, seconds: float) -> dict[str, float]:
        """The weights at a moment on the audio clock (the avatar asks this every rendered frame)."""
        i = int(seconds * self.fps)
        if i < 0 or i >= len(self.frames):
            return dict.fromkeys(VISEMES, 0.0)
        return {v: float(w) for v, w in zip(VISEMES, self.frames[i], strict=True)}

    def shifted(self, seconds: float, total: float | None = None) -> VisemeTrack:
        """This track placed ``seconds`` later (closed mouth before), optionally padded to ``total`` seconds."""
        pad = np.zeros((round(seconds * self.fps), len(VISEMES)))
        frames = np.vstack([pad, self.frames])
        if total is not None and len(frames) < round(total * self.fps):
            frames = np.vstack([frames, np.zeros((round(total * self.fps) - len(frames), len(VISEMES)))])
        return VisemeTrack(self.fps, frames)

    @staticmethod
    def join(tracks: list[VisemeTrack]) -> VisemeTrack:
        fps = tracks[0].fps if tracks else FPS
        frames = [t.frames for t in tracks if len(t.frames)]
        return VisemeTrack(fps, np.vstack(frames) if frames else np.zeros((0, len(VISEMES))))

    def to_json(self) -> dict[str, object]:
        return {
            "fps": self.fps,
            "visemes": list(VISEMES),
            "duration": round(self.duration, 3),
            "frames": [[round(float(w), 3) for w in row] for row in self.frames],
        }

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_json(), separators=(",", ":")), encoding="utf-8")

    @staticmethod
    def load(path: Path) -> VisemeTrack:
        data = json.loads(path.read_text(encoding="utf-8"))
        return VisemeTrack(int(data["fps"]), np.array(data["frames"], dtype=float).reshape(-1, len(VISEMES)))


def track_from_audio(samples: np.ndarray, rate: int, fps: int = FPS) -> VisemeTrack:
    """Mouth shapes for int16 mono audio at ``rate``; one row per 1/fps seconds, centred on its window."""
    hop = rate // fps
    n = len(samples) // hop
    if n == 0:
        return VisemeTrack(fps, np.zeros((0, len(VISEMES))))
    x = samples.astype(np.float64) / 32768.0
    size = 2 * hop
    padded = np.concatenate([np.zeros(hop // 2), x, np.zeros(size)])
    idx = np.arange(size)[None, :] + hop * np.arange(n)[:, None]
    windows = padded[idx] * np.hanning(size)[None, :]
    power = np.mean(windows**2, axis=1) / 0.375  # the Hann window's mean square
    db = 10.0 * np.log10(np.maximum(power, 1e-10))
    loud = float(np.percentile(db, 95))
    openness = np.clip((db - (loud - 32.0)) / 26.0, 0.0, 1.0)
    openness[(db < -55.0) | (db < loud - 40.0)] = 0.0
    spectrum = np.abs(np.fft.rfft(windows, axis=1)) ** 2
    freqs = np.fft.rfftfreq(size, 1.0 / rate)
    f1 = _centroid(spectrum, freqs, 250.0, 1000.0)
    f2 = _centroid(spectrum, freqs, 900.0, 3000.0)
    distance = np.log(np.stack([f1, f2], axis=1)[:, None, :] / _PROTOTYPES[None, :, :]) ** 2
    shape = np.argmin(distance.sum(axis=2), axis=1)
    frames = np.zeros((n, len(VISEMES)))
    frames[np.arange(n), shape] = openness
    # Zero-phase smoothing: shapes blend at transitions, and the mouth's timing stays on the audio's.
    kernel = np.array([0.25, 0.5, 0.25])
    for k in range(len(VISEMES)):
        frames[:, k] = np.convolve(frames[:, k], kernel, mode="same")
    return VisemeTrack(fps, frames)


def _centroid(spectrum: np.ndarray, freqs: np.ndarray, low: float, high: float) -> np.ndarray:
    band = (freqs >= low) & (freqs <= high)
    weights = spectrum[:, band]
    total = weights.sum(axis=1)
    centre = (weights * freqs[band][None, :]).sum(axis=1) / np.maximum(total, 1e-12)
    return np.where(total > 0, centre, (low + high) / 2)


__all__ = ["FPS", "VISEMES", "VisemeTrack", "track_from_audio"]
