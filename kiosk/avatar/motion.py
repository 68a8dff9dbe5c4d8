"""Small motion primitives the behaviour is built from: easing, smooth noise, blinks and saccades.

Everything takes the time explicitly (seconds on one clock), so a rendered sequence is the same every run and a
test can step through it frame by frame. Random choices come from a seeded ``random.Random``.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass


def smoothstep(x: float) -> float:
    """0 below 0, 1 above 1, an S-curve between (zero slope at both ends, so blends never jolt)."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    return x * x * (3.0 - 2.0 * x)


def bump(t: float, start: float, rise: float, hold: float, fall: float) -> float:
    """An envelope that eases from 0 to 1 over ``rise`` s from ``start``, holds, and eases back over ``fall`` s."""
    x = t - start
    if x <= 0.0:
        return 0.0
    if x < rise:
        return smoothstep(x / rise)
    x -= rise
    if x < hold:
        return 1.0
    return 1.0 - smoothstep((x - hold) / fall)


class Noise:
    """Smooth 1-D value noise in -1..1: a sum of a few sines with incommensurate, seeded frequencies and phases.

    Cheap (a handful of ``math.sin`` per sample) and never repeats within a visit, which is what idle motion needs:
    continuous, never frozen, never a visible loop.
    """

    def __init__(self, rng: random.Random, speed: float = 1.0, octaves: int = 3) -> None:
        self._parts = [
            (speed * (0.5 + rng.random()) * (1.9**k), rng.uniform(0.0, math.tau), 0.6**k) for k in range(octaves)
        ]
        self._norm = 1.0 / sum(a for _, _, a in self._parts)

    def at(self, t: float) -> float:
        return self._norm * sum(a * math.sin(f * t + p) for f, p, a in self._parts)


@dataclass
class Blinker:
    """Blinks at natural random intervals (2-6 s), now and then a double blink; the lids close fast, open slower."""

    rng: random.Random
    close_s: float = 0.07
    open_s: float = 0.11
    next_at: float = 1.5
    started: float = -10.0

    def weight(self, t: float) -> float:
        if t >= self.next_at:
            self.started = self.next_at
            double = self.rng.random() < 0.12
            self.next_at = self.started + (0.32 if double else self.rng.uniform(2.0, 6.0))
        x = t - self.started
        if x < 0.0:
            return 0.0
        if x < self.close_s:
            return smoothstep(x / self.close_s)
        x -= self.close_s
        if x < 0.03:
            return 1.0
        return 1.0 - smoothstep((x - 0.03) / self.open_s)

    def blink_now(self, t: float) -> None:
        """Start a blink at ``t`` (the guide blinks when its attention shifts, as people do)."""
        if t - self.started > 0.6:
            self.next_at = t


@dataclass
class Saccades:
    """Where the eyes look: quick jumps (saccades) between fixations held 0.4-2.5 s, around a point of attention."""

    rng: random.Random
    spread: float = 4.0
    """Degrees the fixations wander around the point of attention."""
    centre: tuple[float, float] = (0.0, 0.0)
    _from: tuple[float, float] = (0.0, 0.0)
    _to: tuple[float, float] = (0.0, 0.0)
    _jump_at: float = 0.0
    _next_at: float = 0.8

    def look(self, t: float, heading: float, pitch: float, spread: float | None = None) -> None:
        """Attend to a new point (degrees, + = the guide's left / up); the eyes jump there at once."""
        if (heading, pitch) != self.centre:
            self.centre = (heading, pitch)
            self._next_at = t
        if spread is not None:
            self.spread = spread

    def at(self, t: float) -> tuple[float, float]:
        if t >= self._next_at:
            self._from = self._current(t)
            h, p = self.centre
            self._to = (h + self.rng.uniform(-1, 1) * self.spread, p + self.rng.uniform(-0.6, 0.6) * self.spread)
            self._jump_at = t
            self._next_at = t + self.rng.uniform(0.4, 2.5)
        return self._current(t)

    def _current(self, t: float) -> tuple[float, float]:
        # A saccade takes 30-50 ms whatever its size.
        k = smoothstep((t - self._jump_at) / 0.04)
        return (
            self._from[0] + (self._to[0] - self._from[0]) * k,
            self._from[1] + (self._to[1] - self._from[1]) * k,
        )


__all__ = ["Blinker", "Noise", "Saccades", "bump", "smoothstep"]
