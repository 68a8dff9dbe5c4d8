"""Which files of a pack folder are published: everything under content/, exhibits/ and avatars/ except hidden
files and code (a kiosk never runs anything from a pack; the bundled guide's generator scripts stay behind).
A pack that fails validation is never published."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kiosk.sync.errors import PublishError
from kiosk.sync.layout import safe_relpath

PACK_FOLDERS = ("content", "exhibits", "avatars")
_SKIP_SUFFIXES = (".py", ".pyc", ".pyo", ".tmp", ".swp", "~")


def pack_files(src: Path) -> dict[str, Path]:
    """Relative path -> file for every publishable file of the pack at ``src``."""
    root = src.resolve()
    files: dict[str, Path] = {}
    for folder in PACK_FOLDERS:
        base = root / folder
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*")):
            rel_parts = path.relative_to(root).parts
            if any(part.startswith(".") or part == "__pycache__" for part in rel_parts):
                continue
            if path.is_dir() or path.name.endswith(_SKIP_SUFFIXES):
                continue
            if path.is_symlink() and not path.resolve().is_relative_to(root):
                raise PublishError(f"{path} links outside the pack; copy the file into the pack instead")
            if not path.is_file():
                raise PublishError(f"{path} is not a regular file; remove it from the pack")
            rel = "/".join(rel_parts)
            try:
                safe_relpath(rel)
            except Exception as err:
                raise PublishError(f"{path}: this file name cannot be published ({err}); rename it") from err
            files[rel] = path
    return files


def model_files(src: Path) -> dict[str, Path]:
    """Relative path -> file for every file of a speech model folder (hidden files left out)."""
    root = src.resolve()
    if not root.is_dir():
        raise PublishError(f"{src}: no such model folder")
    files = {}
    for path in sorted(root.rglob("*")):
        rel_parts = path.relative_to(root).parts
        if path.is_dir() or any(part.startswith(".") for part in rel_parts):
            continue
        if not path.is_file() or (path.is_symlink() and not path.resolve().is_relative_to(root)):
            raise PublishError(f"{path} is not a regular file inside the model folder")
        files["/".join(rel_parts)] = path
    if not files:
        raise PublishError(f"{src} holds no files")
    return files


def pack_custom(pack: Any) -> dict[str, Any]:
    """What a kiosk's staff panel may show about a published pack before downloading it."""
    return {"title": pack.venue.name.get(pack.languages[0]) or pack.venue.id, "languages": list(pack.languages)}


__all__ = ["PACK_FOLDERS", "model_files", "pack_custom", "pack_files"]
