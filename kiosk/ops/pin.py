"""The staff PIN: a constant-time check with lockouts that grow, so a visitor cannot guess their way in.

Three wrong PINs lock the pad for 30 seconds; each further lockout doubles, up to 15 minutes. While locked even
the right PIN is refused. The right PIN (when not locked) resets everything. The clock is passed in, so tests
step time by hand.
"""

from __future__ import annotations

import hmac
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from kiosk.ops.config import PIN_PATTERN
from kiosk.ops.pinhash import hash_problem, pin_matches

TRIES_PER_ROUND = 3
FIRST_LOCKOUT_S = 30.0
MAX_LOCKOUT_S = 15 * 60.0
NO_PIN_MESSAGE = (
    "No staff PIN is set. Set staff_pin_hash (from 'kiosk config pin-hash') in kiosk.yaml and restart the kiosk."
)


class PinStatus(StrEnum):
    OK = "ok"
    WRONG = "wrong"
    LOCKED = "locked"
    NO_PIN = "no-pin"
    """No PIN is configured and the kiosk is not a windowed preview: the panel cannot be opened."""


@dataclass(frozen=True)
class PinResult:
    status: PinStatus
    tries_left: int = 0
    """After a wrong PIN: how many more tries before the pad locks."""
    locked_for_s: float = 0.0
    """While locked: seconds until the next try is allowed."""

    @property
    def ok(self) -> bool:
        return self.status is PinStatus.OK

    @property
    def message(self) -> str:
        if self.status is PinStatus.OK:
            return ""
        if self.status is PinStatus.WRONG:
            return f"Wrong PIN, {self.tries_left} {'try' if self.tries_left == 1 else 'tries'} left"
        if self.status is PinStatus.LOCKED:
            return f"Locked for {format_wait(self.locked_for_s)}"
        return NO_PIN_MESSAGE


def format_wait(seconds: float) -> str:
    """``27 s`` or ``4 min 10 s``, rounded up so the pad never says 0 s while still locked."""
    whole = max(1, math.ceil(seconds))
    if whole < 60:
        return f"{whole} s"
    minutes, rest = divmod(whole, 60)
    return f"{minutes} min {rest} s" if rest else f"{minutes} min"


class PinGate:
    """Checks staff PINs: ``pin`` in plain digits or ``pin_hash`` (:mod:`kiosk.ops.pinhash`); neither means no PIN
    is configured.

    ``allow_without_pin`` is the caller's explicit statement that the kiosk runs as a windowed preview without a
    kiosk.yaml; only then may the panel open without a PIN (:attr:`open_without_pin`).
    """

    def __init__(
        self,
        pin: str | None,
        clock: Callable[[], float] = time.monotonic,
        *,
        pin_hash: str | None = None,
        allow_without_pin: bool = False,
    ) -> None:
        if pin is not None and not PIN_PATTERN.match(pin):
            raise ValueError("a staff PIN is 4 to 8 digits")
        if pin_hash is not None and (why := hash_problem(pin_hash)):
            raise ValueError(f"the staff PIN hash is unusable: {why}")
        self._pin = pin.encode("ascii") if pin is not None else None
        self._pin_hash = pin_hash
        self._clock = clock
        self._allow_without_pin = allow_without_pin
        self._wrong = 0
        self._lockouts = 0
        self._locked_until = 0.0

    @property
    def has_pin(self) -> bool:
        return self._pin is not None or self._pin_hash is not None

    @property
    def open_without_pin(self) -> bool:
        return not self.has_pin and self._allow_without_pin

    def _matches(self, entered: str) -> bool:
        if self._pin_hash is not None:
            return pin_matches(entered, self._pin_hash)
        # compare_digest takes the same time whichever digit differs (only the length can show).
        return self._pin is not None and hmac.compare_digest(entered.encode("utf-8"), self._pin)

    def locked_for(self) -> float:
        """Seconds left in the current lockout; 0 when not locked."""
        return max(0.0, self._locked_until - self._clock())

    def tries_left(self) -> int:
        return TRIES_PER_ROUND - self._wrong

    def try_pin(self, entered: str) -> PinResult:
        if not self.has_pin:
            return PinResult(PinStatus.OK) if self._allow_without_pin else PinResult(PinStatus.NO_PIN)
        wait = self.locked_for()
        if wait > 0:
            return PinResult(PinStatus.LOCKED, locked_for_s=wait)
        if self._matches(entered):
            self._wrong = 0
            self._lockouts = 0
            self._locked_until = 0.0
            return PinResult(PinStatus.OK)
        self._wrong += 1
        if self._wrong < TRIES_PER_ROUND:
            return PinResult(PinStatus.WRONG, tries_left=TRIES_PER_ROUND - self._wrong)
        lockout = min(MAX_LOCKOUT_S, FIRST_LOCKOUT_S * 2 ** min(self._lockouts, 16))
        self._lockouts += 1
        self._wrong = 0
        self._locked_until = self._clock() + lockout
        return PinResult(PinStatus.LOCKED, locked_for_s=lockout)


__all__ = [
    "FIRST_LOCKOUT_S",
    "MAX_LOCKOUT_S",
    "NO_PIN_MESSAGE",
    "TRIES_PER_ROUND",
    "PinGate",
    "PinResult",
    "PinStatus",
    "format_wait",
]
