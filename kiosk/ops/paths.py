"""Where the kiosk keeps its files. ``DOCENT_HOME`` moves everything (tests use a temporary one)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import kiosk


def data_dir() -> Path:
    """Installed packs, speech models, logs: ``$DOCENT_HOME`` or ``~/.local/share/docent``."""
    home = os.environ.get("DOCENT_HOME")
    if home:
        return Path(home)
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "docent"


def cache_dir() -> Path:
    """Rebuildable caches (the search index, synthesized speech): ``$DOCENT_HOME/cache`` or ``~/.cache/docent``."""
    home = os.environ.get("DOCENT_HOME")
    if home:
        return Path(home) / "cache"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "docent"


def demo_pack_path() -> Path:
    """The bundled demo venue: the repository root in a checkout, or the copy installed beside the package."""
    candidates = [
        Path(kiosk.__file__).resolve().parent.parent,
        Path(sys.prefix) / "share" / "docent" / "demo",
        Path(getattr(sys, "_MEIPASS", sys.prefix)) / "demo",
    ]
    for candidate in candidates:
        if (candidate / "content" / "venue.yaml").is_file():
            return candidate
    return candidates[0]


def self_command() -> list[str]:
    """The command line that runs ``kiosk`` again in a child process: the bundle's own executable when frozen
    (PyInstaller), else this Python with ``-m kiosk``."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    return [sys.executable, "-m", "kiosk"]


__all__ = ["cache_dir", "data_dir", "demo_pack_path", "self_command"]
