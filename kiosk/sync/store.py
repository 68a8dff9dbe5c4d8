"""The kiosk's side of sync on disk: verified blobs, complete versions, and one pointer file per bundle.

Layout under ``data_dir()/sync``::

    trust/root.json                  the root of trust installed with the kiosk
    metadata/                        python-tuf's cache of verified metadata
    blobs/<sha256>                   every file, verified, named by its hash (shared by all versions)
    blobs/partial/<sha256>.part      an interrupted download, resumed by the next sync
    packs/<id>/v<N>/                 a complete version: hard links to blobs + .docent-version.json
    packs/<id>/installed.json        which version is current and which is previous: THE switch
    state.json                       last attempt, last success, last problem (for staff and the scheduler)

A version folder gets its final name only once complete, and ``installed.json`` is replaced by one rename, so a
kiosk killed at any instant restarts on either the old version or the new one, never a mix. A new version
stays "unconfirmed" until the kiosk has run on it; a kiosk that keeps failing to start on an unconfirmed
version switches back to the previous one by itself.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import stat
import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from kiosk.ops.paths import data_dir
from kiosk.sync.errors import DiskFull

MANIFEST = ".docent-version.json"
LOCAL_PREFIX = ".docent-"
"""Files at the top of a version folder whose names start so are the kiosk's own, not the version's: the manifest,
and what the health check left there for the kiosk and the next check (the search index, the mind's work, and the
temporary files of writing them). A file list naming one is refused."""
MAX_BOOT_ATTEMPTS = 2
"""Starts on an unconfirmed version before the kiosk gives up on it and goes back to the previous one."""


@dataclass(frozen=True)
class Version:
    version: int
    folder: str
    installed_at: float = 0.0
    confirmed: bool = False
    boot_attempts: int = 0


@dataclass(frozen=True)
class Installed:
    current: Version
    previous: Version | None = None
    rejected: tuple[int, ...] = ()
    """Versions that failed their health check or crashed the kiosk: never installed again."""
    note: str = ""
    """Why the last rollback happened (shown to staff)."""

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Installed:
        previous = data.get("previous")
        return cls(
            Version(**data["current"]),
            Version(**previous) if previous else None,
            tuple(int(v) for v in data.get("rejected", ())),
            str(data.get("note", "")),
        )


@dataclass
class SyncState:
    """What the staff panel shows about sync, and what the scheduler needs to back off."""

    last_attempt: float | None = None
    last_success: float | None = None
    last_error: str | None = None
    last_error_code: str | None = None
    failures: int = 0
    """Consecutive failed attempts (the backoff grows with it)."""
    last_bytes: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


def write_json(path: Path, data: Any) -> None:
    """Write-then-rename with fsync: after a crash or a power cut the file is the old one or the new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with tmp.open("w", encoding="utf-8") as out:
        json.dump(data, out, ensure_ascii=False, indent=1, sort_keys=True)
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class Store:
    """Blobs, versions and pointers under one folder (``data_dir()/sync``)."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self._blobs = home / "blobs"  # joined once: a first sync asks for thousands of blob paths
        self._partials = self._blobs / "partial"

    # -- places ----------------------------------------------------------------------------------------------

    @property
    def metadata_dir(self) -> Path:
        return self.home / "metadata"

    @property
    def trust_file(self) -> Path:
        return self.home / "trust" / "root.json"

    @property
    def blobs(self) -> Path:
        return self._blobs

    def blob(self, sha256: str) -> Path:
        return self._blobs / sha256

    def partial(self, sha256: str) -> Path:
        return self._partials / f"{sha256}.part"

    def bundle_dir(self, kind: str, name: str) -> Path:
        return self.home / kind / name

    def has_blob(self, sha256: str, length: int) -> bool:
        try:
            return self.blob(sha256).stat().st_size == length
        except OSError:
            return False

    def add_blob(self, sha256: str, part: Path) -> None:
        """Move a verified ``.part`` into the store, read-only (versions hard-link to it)."""
        dest = self.blob(sha256)
        os.chmod(part, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
        os.replace(part, dest)

    # -- pointers --------------------------------------------------------------------------------------------

    def installed(self, kind: str, name: str) -> Installed | None:
        return installed_in(self.bundle_dir(kind, name))

    def current_dir(self, kind: str, name: str) -> Path | None:
        installed = self.installed(kind, name)
        if installed is None:
            return None
        return self.bundle_dir(kind, name) / installed.current.folder

    def _write_installed(self, kind: str, name: str, installed: Installed) -> None:
        write_json(self.bundle_dir(kind, name) / "installed.json", asdict(installed))

    # -- staging and switching -------------------------------------------------------------------------------

    def stage(self, kind: str, name: str, version: int, files: Mapping[str, tuple[str, int]], listing: str) -> Path:
        """Build version ``version`` from blobs (all must be present) and give it its final name; return it."""
        bundle = self.bundle_dir(kind, name)
        final = bundle / f"v{version}"
        if final.is_dir() and not self.check_version(final):
            return final
        if final.exists():
            shutil.rmtree(final)
        staging = bundle / f".staging-v{version}-{os.getpid()}"
        if staging.exists():
            shutil.rmtree(staging)
        staging.mkdir(parents=True)
        for rel, (sha, _length) in files.items():
            dest = staging / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            _link_or_copy(self.blob(sha), dest)
        manifest = {"kind": kind, "name": name, "version": version, "listing": listing, "files": dict(files)}
        (staging / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
        os.replace(staging, final)
        return final

    def check_version(self, folder: Path) -> list[str]:
        """What is wrong with a version folder: files missing, of the wrong size, or not in its manifest (the kiosk's
        own files at its top, :data:`LOCAL_PREFIX`, aside)."""
        try:
            manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
            files: dict[str, list[Any]] = manifest["files"]
        except (OSError, ValueError, KeyError, TypeError):
            return [f"{folder.name} has no readable {MANIFEST}"]
        problems = []
        for rel, (_sha, length) in files.items():
            path = folder / rel
            if not path.is_file():
                problems.append(f"{rel} is missing")
            elif path.stat().st_size != length:
                problems.append(f"{rel} has {path.stat().st_size} bytes, not {length}")
        present = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
        present = {rel for rel in present if "/" in rel or not rel.startswith(LOCAL_PREFIX)}
        problems += [f"{rel} is not part of this version" for rel in sorted(present - set(files))]
        return problems

    def switch(self, kind: str, name: str, version: int) -> Installed:
        """Make ``v<version>`` current and keep the old current as previous: one rename of installed.json."""
        old = self.installed(kind, name)
        new = Version(version, f"v{version}", installed_at=time.time())
        if hasattr(os, "sync"):
            os.sync()  # every byte of the new version is on disk before the pointer names it
        previous = old.current if old is not None and old.current.version != version else None
        if previous is None and old is not None:
            previous = old.previous
        installed = Installed(new, previous, old.rejected if old else ())
        self._write_installed(kind, name, installed)
        return installed

    def reject(self, kind: str, name: str, version: int) -> None:
        """Remember that ``version`` must not be installed again (its health check failed)."""
        old = self.installed(kind, name)
        if old is not None and version not in old.rejected:
            self._write_installed(kind, name, replace(old, rejected=(*old.rejected, version)))

    def rollback(self, kind: str, name: str, reason: str) -> Installed | None:
        """Go back to the previous version (marking the current one rejected); None when there is none."""
        old = self.installed(kind, name)
        if old is None or old.previous is None:
            return None
        folder = self.bundle_dir(kind, name) / old.previous.folder
        if self.check_version(folder):
            return None
        back = Installed(
            replace(old.previous, confirmed=True, boot_attempts=0),
            None,
            (*old.rejected, old.current.version),
            f"version {old.current.version} was withdrawn: {reason}",
        )
        self._write_installed(kind, name, back)
        return back

    # -- start-up --------------------------------------------------------------------------------------------

    def boot(self, kind: str, name: str) -> tuple[Path | None, str | None]:
        """The version folder a starting kiosk should use, and a note when it had to roll back.

        Counts starts on an unconfirmed version; past :data:`MAX_BOOT_ATTEMPTS` (the kiosk crashed before it
        could confirm), or when the version folder is damaged, switches back to the previous version.
        """
        installed = self.installed(kind, name)
        if installed is None:
            return None, None
        bundle = self.bundle_dir(kind, name)
        current = installed.current
        damaged = self.check_version(bundle / current.folder)
        if damaged or (not current.confirmed and current.boot_attempts >= MAX_BOOT_ATTEMPTS):
            reason = (
                f"its files are damaged ({damaged[0]})"
                if damaged
                else f"the kiosk failed to start on it {current.boot_attempts} times"
            )
            back = self.rollback(kind, name, reason)
            if back is None:
                return (None, f"version {current.version} is unusable ({reason}) and there is no previous one")
            return bundle / back.current.folder, back.note
        if not current.confirmed:
            counted = replace(current, boot_attempts=current.boot_attempts + 1)
            self._write_installed(kind, name, replace(installed, current=counted))
        return bundle / current.folder, None

    def confirm(self, kind: str, name: str) -> None:
        """The kiosk has run properly on the current version: it stays, whatever happens at the next start."""
        installed = self.installed(kind, name)
        if installed is not None and not installed.current.confirmed:
            current = replace(installed.current, confirmed=True, boot_attempts=0)
            self._write_installed(kind, name, replace(installed, current=current))

    # -- housekeeping ----------------------------------------------------------------------------------------

    def cleanup(self, keep_partials: frozenset[str] = frozenset()) -> int:
        """Remove versions that are neither current nor previous, staging leftovers, and blobs no kept version
        uses (``.part`` files in ``keep_partials`` stay, to be resumed). Returns the bytes freed."""
        freed = 0
        used: set[str] = set()
        for kind_dir in (self.home / "packs", self.home / "models"):
            if not kind_dir.is_dir():
                continue
            for bundle in kind_dir.iterdir():
                installed = self.installed(kind_dir.name, bundle.name)
                keep = set()
                if installed is not None:
                    keep = {installed.current.folder, installed.previous.folder if installed.previous else ""}
                for child in bundle.iterdir():
                    if child.is_dir() and child.name not in keep:
                        freed += _tree_size(child)
                        shutil.rmtree(child, ignore_errors=True)
                    elif child.is_dir():
                        used.update(_blobs_of(child))
        if self.blobs.is_dir():
            for blob in self.blobs.iterdir():
                if blob.is_file() and blob.name not in used:
                    freed += blob.stat().st_size
                    blob.unlink()
        partial = self.blobs / "partial"
        if partial.is_dir():
            for part in partial.iterdir():
                if part.name.removesuffix(".part") not in keep_partials:
                    freed += part.stat().st_size
                    part.unlink()
        return freed

    def disk_used(self) -> int:
        """Every byte sync keeps on disk: blobs, partial downloads, metadata, and what version folders hold besides
        their links to blobs (the search index and the mind's work their health check wrote, a copy where a hard
        link could not be made). A file linked from several places counts once."""
        return _unique_size(self.home)

    def own_bytes(self, kind: str, name: str) -> int:
        """The bytes of the kiosk's own files (:data:`LOCAL_PREFIX`) in the current version's folder of a bundle:
        what its health check wrote there, as the check of the next version will again. 0 when none is installed."""
        folder = self.current_dir(kind, name)
        total = 0
        with contextlib.suppress(OSError):
            for entry in os.scandir(folder) if folder is not None else ():
                if entry.name.startswith(LOCAL_PREFIX) and entry.is_file(follow_symlinks=False):
                    total += entry.stat(follow_symlinks=False).st_size
        return total

    def check_space(self, needed: int, *, max_bytes: int | None, keep_free: int) -> None:
        """Raise :class:`DiskFull` when ``needed`` more bytes would pass the limit or leave too little free."""
        if max_bytes is not None and self.disk_used() + needed > max_bytes:
            raise DiskFull(
                f"the update needs {_mb(needed)} more but sync may use at most {_mb(max_bytes)} "
                f"and already holds {_mb(self.disk_used())}; raise sync.max_disk_mb in kiosk.yaml"
            )
        self.home.mkdir(parents=True, exist_ok=True)
        free = shutil.disk_usage(self.home).free
        if free - needed < keep_free:
            raise DiskFull(
                f"the disk is too full: the update needs {_mb(needed)}, {_mb(free)} is free and "
                f"{_mb(keep_free)} must stay free; free some space (old logs, downloads) on the kiosk"
            )

    # -- state -----------------------------------------------------------------------------------------------

    def state(self) -> SyncState:
        try:
            data = json.loads((self.home / "state.json").read_text(encoding="utf-8"))
            return SyncState(**data)
        except (OSError, ValueError, TypeError):
            return SyncState()

    def save_state(self, state: SyncState) -> None:
        write_json(self.home / "state.json", asdict(state))


def installed_in(bundle: Path) -> Installed | None:
    """The versions installed in a bundle folder (``packs/<id>``), from its ``installed.json``; None if none."""
    try:
        return Installed.from_json(json.loads((bundle / "installed.json").read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def installed_pack(store: Store) -> str | None:
    """The one synced pack installed in ``store`` (None when there is none, or more than one to choose from)."""
    packs = store.home / "packs"
    names = sorted(p.name for p in packs.iterdir() if (p / "installed.json").is_file()) if packs.is_dir() else []
    return names[0] if len(names) == 1 else None


def sync_store() -> Store:
    """The kiosk's sync store: ``data_dir()/sync``."""
    return Store(data_dir() / "sync")


def _manifest_files(folder: Path) -> dict[str, tuple[str, int]]:
    try:
        files = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["files"]
        return {rel: (str(v[0]), int(v[1])) for rel, v in files.items()}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def _blobs_of(folder: Path) -> set[str]:
    """The blobs a version folder uses: its files and its file list (kept, so an unchanged list is not fetched)."""
    used = {sha for sha, _ in _manifest_files(folder).values()}
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
        used.add(str(json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["listing"]))
    return used


def _link_or_copy(source: Path, dest: Path) -> None:
    try:
        os.link(source, dest)
    except OSError:
        shutil.copyfile(source, dest)


def _tree_size(folder: Path) -> int:
    total = 0
    for path in folder.rglob("*"):
        try:
            if path.is_file():
                total += path.stat().st_size
        except OSError:
            pass
    return total


def _unique_size(folder: Path) -> int:
    """The bytes of the files under ``folder``, each hard-linked file once."""
    seen: set[tuple[int, int]] = set()
    total = 0
    stack = [folder]
    while stack:
        try:
            entries = list(os.scandir(stack.pop()))
        except OSError:
            continue
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(Path(entry.path))
                elif entry.is_file(follow_symlinks=False):
                    info = entry.stat(follow_symlinks=False)
                    if info.st_nlink > 1:
                        if (info.st_dev, info.st_ino) in seen:
                            continue
                        seen.add((info.st_dev, info.st_ino))
                    total += info.st_size
            except OSError:
                pass  # removed while counting
    return total


def _mb(count: int) -> str:
    return f"{count / 1_000_000:.1f} MB"


__all__ = [
    "LOCAL_PREFIX",
    "MANIFEST",
    "MAX_BOOT_ATTEMPTS",
    "Installed",
    "Store",
    "SyncState",
    "Version",
    "installed_in",
    "installed_pack",
    "write_json",
]
