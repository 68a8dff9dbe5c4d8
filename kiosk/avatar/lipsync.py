"""Lip sync on the audio clock: the mouth follows where the sound *is*, not where a timer thinks it should be.

Each rendered frame asks the audio output for its playback position and reads the viseme track there (linear
interpolation between the track's 10 ms rows), then eases each weight toward that target. Easing makes shape
changes smooth at any frame rate; because easing lags, the track is read ``LEAD_S`` ahead, which cancels the lag
on average. ``mouth_offset`` measures what is left: the delay of mouth opening against the audio's loudness.
"""

from __future__ import annotations

import numpy as np

from kiosk.voice.visemes import VISEMES, VisemeTrack

ATTACK_S = 0.022
RELEASE_S = 0.045
LEAD_S = 0.02


class LipSync:
    def __init__(self, attack_s: float = ATTACK_S, release_s: float = RELEASE_S, lead_s: float = LEAD_S) -> None:
        self.attack_s = attack_s
        self.release_s = release_s
        self.lead_s = lead_s
        self._track: VisemeTrack | None = None
        self._weights = dict.fromkeys(VISEMES, 0.0)

    @property
    def active(self) -> bool:
        return self._track is not None

    def start(self, track: VisemeTrack) -> None:
        self._track = track

    def stop(self) -> None:
        """Speech ended or was interrupted: the mouth eases shut from wherever it is."""
        self._track = None

    def target(self, position: float) -> dict[str, float]:
        """The track's weights at ``position`` seconds into the clip, interpolated between rows."""
        track = self._track
        if track is None or len(track.frames) == 0:
            return dict.fromkeys(VISEMES, 0.0)
        x = position * track.fps - 0.5  # row i is centred on (i + 0.5) / fps
        i = int(np.floor(x))
        k = x - i
        n = len(track.frames)
        a = track.frames[i] if 0 <= i < n else np.zeros(len(VISEMES))
        b = track.frames[i + 1] if 0 <= i + 1 < n else np.zeros(len(VISEMES))
        row = a * (1.0 - k) + b * k
        return {v: float(w) for v, w in zip(VISEMES, row, strict=True)}

    def update(self, position: float | None, dt: float) -> dict[str, float]:
        """Viseme weights for this frame; ``position`` is the audio clock (None when nothing is playing)."""
        goal = self.target(position + self.lead_s) if position is not None else dict.fromkeys(VISEMES, 0.0)
        for v in VISEMES:
            now = self._weights[v]
            tau = self.attack_s if goal[v] > now else self.release_s
            self._weights[v] = now + (goal[v] - now) * (1.0 - float(np.exp(-max(dt, 0.0) / tau)))
        return dict(self._weights)

    def openness(self) -> float:
        return max(self._weights.values())


def audio_envelope(samples: np.ndarray, rate: int, times: np.ndarray, window_s: float = 0.02) -> np.ndarray:
    """Loudness (RMS, dB mapped to 0..1 over the top 30 dB) of the audio around each time in ``times``."""
    x = samples.astype(np.float64) / 32768.0
    half = int(window_s * rate / 2)
    out = np.zeros(len(times))
    for j, t in enumerate(times):
        c = int(t * rate)
        seg = x[max(0, c - half) : max(0, c + half)]
        out[j] = float(np.sqrt(np.mean(seg**2))) if len(seg) else 0.0
    db = 20.0 * np.log10(np.maximum(out, 1e-6))
    top = float(np.percentile(db, 95)) if len(db) else 0.0
    return np.asarray(np.clip((db - (top - 30.0)) / 30.0, 0.0, 1.0))


def mouth_offset(times: np.ndarray, openness: np.ndarray, envelope: np.ndarray, max_lag_s: float = 0.2) -> float:
    """Seconds the mouth lags the sound (negative: runs ahead), from the peak of their cross-correlation.

    ``times`` are the audio-clock times of each rendered frame, evenly spaced; ``openness`` the mouth opening the
    frame showed; ``envelope`` the audio loudness at those times. The lag is refined to sub-frame precision with a
    parabola through the peak.
    """
    if len(times) < 3:
        raise ValueError("need at least three frames to measure lip sync")
    step = float(np.median(np.diff(times)))
    a = openness - openness.mean()
    b = envelope - envelope.mean()
    lags = range(-int(max_lag_s / step), int(max_lag_s / step) + 1)
    scores = []
    for lag in lags:
        if lag >= 0:
            scores.append(float(np.dot(a[lag:], b[: len(b) - lag])))
        else:
            scores.append(float(np.dot(a[:lag], b[-lag:])))
    best = int(np.argmax(scores))
    shift = 0.0
    if 0 < best < len(scores) - 1:
        y0, y1, y2 = scores[best - 1], scores[best], scores[best + 1]
        denom = y0 - 2 * y1 + y2
        shift = 0.5 * (y0 - y2) / denom if denom else 0.0
    return (list(lags)[best] + shift) * step


__all__ = ["LEAD_S", "LipSync", "audio_envelope", "mouth_offset"]
