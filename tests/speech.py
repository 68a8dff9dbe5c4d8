"""Spoken test questions: Korean speech from espeak-ng's ``ko+f2`` voice (see tests/test_voice.py for why)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np

from kiosk.voice.audio import RATE, read_wav, write_wav

KOREAN = ("espeak-ng", "-v", "ko+f2", "-s", "200")


def speak(text: str, path: Path, silence_before: float = 0.5) -> Path:
    """Korean speech from espeak-ng, with silence before it (as a visitor starts talking after a pause)."""
    raw = path.with_suffix(".raw.wav")
    subprocess.run([*KOREAN, "-w", str(raw), text], check=True)
    samples = read_wav(raw)
    write_wav(path, np.concatenate([np.zeros(int(silence_before * RATE), dtype=np.int16), samples]), RATE)
    return path
