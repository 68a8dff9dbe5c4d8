"""The staff PIN stored as a salted scrypt hash, so ``kiosk.yaml`` (often copied between kiosks and into tickets)
never holds the PIN itself.

A hash is one line: ``scrypt$16384$8$1$<salt>$<hash>`` (cost, block size, parallelism, then base64 salt and key).
``kiosk config pin-hash`` prints one for a PIN typed twice. A 4-to-8-digit PIN has at most 10^8 values, so the
hash only slows an attacker who copied the file; the pad's growing lockouts (:mod:`kiosk.ops.pin`) are what stop
guessing at the kiosk.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import re

SCHEME = "scrypt"
COST = 2**14
BLOCK_SIZE = 8
PARALLELISM = 1
KEY_BYTES = 32
SALT_BYTES = 16
_PATTERN = re.compile(r"^scrypt\$(\d{1,7})\$(\d{1,3})\$(\d{1,3})\$([A-Za-z0-9+/=]{8,})\$([A-Za-z0-9+/=]{16,})$")
MAX_COST = 2**20


def _derive(pin: str, salt: bytes, cost: int, block_size: int, parallelism: int, length: int) -> bytes:
    memory = 128 * cost * block_size * parallelism + 1024 * 1024
    return hashlib.scrypt(
        pin.encode("utf-8"), salt=salt, n=cost, r=block_size, p=parallelism, maxmem=memory, dklen=length
    )


def hash_pin(pin: str, *, salt: bytes | None = None) -> str:
    """The line to put after ``staff_pin_hash:`` for this PIN."""
    salt = salt if salt is not None else os.urandom(SALT_BYTES)
    key = _derive(pin, salt, COST, BLOCK_SIZE, PARALLELISM, KEY_BYTES)
    encode = base64.b64encode
    return f"{SCHEME}${COST}${BLOCK_SIZE}${PARALLELISM}${encode(salt).decode()}${encode(key).decode()}"


def hash_problem(text: str) -> str | None:
    """Why ``text`` is not a usable PIN hash, in words; None when it is one."""
    match = _PATTERN.match(text.strip())
    if match is None:
        return "it is not a PIN hash made by 'kiosk config pin-hash' (it starts with scrypt$)"
    cost, block, par = (int(match.group(i)) for i in (1, 2, 3))
    if cost < 2 or cost > MAX_COST or cost & (cost - 1) or not 1 <= block <= 64 or not 1 <= par <= 16:
        return "its scrypt parameters are out of range; make a new one with 'kiosk config pin-hash'"
    try:
        base64.b64decode(match.group(4), validate=True)
        base64.b64decode(match.group(5), validate=True)
    except (binascii.Error, ValueError):
        return "it is damaged (not valid base64); make a new one with 'kiosk config pin-hash'"
    return None


def pin_matches(entered: str, stored: str) -> bool:
    """Whether ``entered`` is the PIN behind ``stored`` (a hash that :func:`hash_problem` accepts)."""
    match = _PATTERN.match(stored.strip())
    if match is None:
        return False
    cost, block, par = (int(match.group(i)) for i in (1, 2, 3))
    salt = base64.b64decode(match.group(4))
    key = base64.b64decode(match.group(5))
    return hmac.compare_digest(_derive(entered, salt, cost, block, par, len(key)), key)


__all__ = ["hash_pin", "hash_problem", "pin_matches"]
