"""Names shared by the publisher and the kiosk: where things live in a repository, and which paths are safe.

A repository is a plain folder any static server can serve::

    metadata/1.root.json, 2.root.json ...     root of trust, one file per version (rotations)
    metadata/timestamp.json                   the only file whose name never changes; written last
    metadata/N.snapshot.json, N.targets.json  consistent snapshots: every version has its own name
    metadata/N.bins-XX.json                   hash-bin delegations (TAP 15), so a change re-signs one small bin
    targets/packs/<id>/pack.json              the pack's file list (a TUF target like any other)
    targets/packs/<id>/<dir>/<sha256>.<name>  each file of the pack, named by its hash

Because file names carry their hash, an unchanged file keeps its name from one version to the next and is
never downloaded twice; a kiosk half-way through an update keeps reading a complete old version.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from kiosk.sync.errors import SyncRefused

BINS_PREFIX = "bins"
LISTING_FORMAT = 1
KINDS = ("packs", "models")
_SAFE_PART = re.compile(r"^[^\x00-\x1f\\:*?\"<>|]+$")


def listing_path(kind: str, name: str) -> str:
    """The TUF target path of a bundle's file list: ``packs/<id>/pack.json`` or ``models/<name>/model.json``."""
    return f"{kind}/{name}/{'pack' if kind == 'packs' else 'model'}.json"


def file_target(kind: str, name: str, rel: str) -> str:
    """The TUF target path of one file of a bundle."""
    return f"{kind}/{name}/files/{rel}"


def hashed_name(target: str, sha256: str) -> str:
    """Where a target's bytes live under ``targets/`` (consistent snapshots: the hash prefixes the file name)."""
    head, sep, base = target.rpartition("/")
    return f"{head}{sep}{sha256}.{base}"


def safe_relpath(rel: str) -> str:
    """``rel`` if it is a plain relative path inside a bundle; raise :class:`SyncRefused` for anything that could
    write elsewhere (``..``, absolute paths, drive letters, backslashes, control characters, empty parts)."""
    if not rel or len(rel) > 400 or rel.startswith("/") or "\\" in rel:
        raise SyncRefused(f"the file list names an unsafe path {rel!r}; nothing was installed", code="unsafe-path")
    parts = PurePosixPath(rel).parts
    if rel != "/".join(parts) or any(p in ("", ".", "..") or not _SAFE_PART.match(p) for p in parts):
        raise SyncRefused(f"the file list names an unsafe path {rel!r}; nothing was installed", code="unsafe-path")
    return rel


__all__ = ["BINS_PREFIX", "KINDS", "LISTING_FORMAT", "file_target", "hashed_name", "listing_path", "safe_relpath"]
