"""The publishing side: a TUF repository in a local folder, built with python-tuf's Metadata API.

``Repository.create`` makes an empty repository and its root of trust; ``Repository.open`` loads the newest
metadata so a publication can bump versions; ``add_bundle`` adds a pack (or a speech model) as content-addressed
files plus its file list, re-signs only the hash bins whose contents changed, then the snapshot and the
timestamp. Nothing here touches the network: :func:`publish_tree` copies the folder to wherever the static
server reads from, in an order that never lets a kiosk see metadata pointing at files not yet there.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from securesystemslib.signer import Signer
from tuf.api.exceptions import RepositoryError
from tuf.api.metadata import (
    Delegations,
    Metadata,
    MetaFile,
    Root,
    Signed,
    Snapshot,
    SuccinctRoles,
    TargetFile,
    Targets,
    Timestamp,
)
from tuf.api.serialization import DeserializationError
from tuf.api.serialization.json import JSONSerializer

from kiosk.sync import keys as keyring
from kiosk.sync.errors import PublishError
from kiosk.sync.keys import KeyRing
from kiosk.sync.layout import BINS_PREFIX, LISTING_FORMAT, file_target, hashed_name, listing_path, safe_relpath

Clock = Callable[[], dt.datetime]
_SERIALIZER = JSONSerializer(compact=True)
_CHUNK = 1 << 20


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class Lifetimes:
    """How long each role's signature stays valid. A kiosk refuses expired metadata (the freeze defence), so
    the timestamp must be re-signed at least this often: ``kiosk pack publish --refresh`` from a daily job."""

    root_days: int = 365
    targets_days: int = 365
    bins_days: int = 90
    snapshot_days: int = 30
    timestamp_days: int = 7

    def days(self, role: str) -> int:
        name = "bins" if role.startswith(BINS_PREFIX + "-") else role
        return int(getattr(self, f"{name}_days"))


@dataclass(frozen=True)
class BuildResult:
    kind: str
    name: str
    version: int
    """The bundle's own version number (1, 2, 3...); unchanged when nothing changed."""
    changed: bool
    files: int
    total_bytes: int
    new_files: int
    new_bytes: int
    """Bytes of files the repository did not hold before: what an up-to-date kiosk will download."""


def sha256_file(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


class Repository:
    """One repository folder and the keys that sign it."""

    def __init__(self, folder: Path, keys: KeyRing, clock: Clock = utcnow, lifetimes: Lifetimes | None = None) -> None:
        self.folder = folder
        self.keys = keys
        self.clock = clock
        self.lifetimes = lifetimes or Lifetimes()
        self.root: Metadata[Root]
        self.targets: Metadata[Targets]
        self.snapshot: Metadata[Snapshot]
        self.timestamp: Metadata[Timestamp]
        self.bins: dict[str, Metadata[Targets]] = {}
        self._dirty: set[str] = set()

    @property
    def metadata_dir(self) -> Path:
        return self.folder / "metadata"

    @property
    def targets_dir(self) -> Path:
        return self.folder / "targets"

    # -- create and open -------------------------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        folder: Path,
        keys: KeyRing,
        *,
        bin_bits: int = 5,
        clock: Clock = utcnow,
        lifetimes: Lifetimes | None = None,
    ) -> Repository:
        """A new, empty repository in ``folder`` signed by ``keys`` (all four roles needed)."""
        if (folder / "metadata").exists() and any((folder / "metadata").iterdir()):
            raise PublishError(f"{folder} already holds a repository; open it instead", code="repo-exists")
        repo = cls(folder, keys, clock, lifetimes)
        root = Root(expires=repo._expiry("root"), consistent_snapshot=True)
        for role in keyring.ROLES:
            root.add_key(keys.signer(role).public_key, role)
        repo.root = Metadata(root)
        targets = Targets(expires=repo._expiry("targets"))
        public = keys.signer("targets").public_key
        succinct = SuccinctRoles([public.keyid], 1, bin_bits, BINS_PREFIX)
        targets.delegations = Delegations({public.keyid: public}, roles=None, succinct_roles=succinct)
        repo.targets = Metadata(targets)
        repo.bins = {name: Metadata(Targets(expires=repo._expiry(name))) for name in succinct.get_roles()}
        repo.snapshot = Metadata(Snapshot(expires=repo._expiry("snapshot")))
        repo.timestamp = Metadata(Timestamp(expires=repo._expiry("timestamp")))
        repo._write_root()
        repo._dirty = {"targets", *repo.bins}
        repo._commit(first=True)
        return repo

    @classmethod
    def open(cls, folder: Path, keys: KeyRing, clock: Clock = utcnow, lifetimes: Lifetimes | None = None) -> Repository:
        repo = cls(folder, keys, clock, lifetimes)
        meta = repo.metadata_dir
        if not (meta / "timestamp.json").is_file():
            raise PublishError(
                f"{folder} is not a Docent repository (no metadata/timestamp.json); create one with 'kiosk keys init'",
                code="not-a-repo",
            )
        roots = sorted((int(p.name.split(".")[0]), p) for p in meta.glob("*.root.json") if p.name[0].isdigit())
        if not roots:
            raise PublishError(f"{meta} has no root metadata (1.root.json)", code="not-a-repo")
        repo.root = repo._read(roots[-1][1], Root)
        repo.timestamp = repo._read(meta / "timestamp.json", Timestamp)
        repo.snapshot = repo._read(meta / f"{repo.timestamp.signed.snapshot_meta.version}.snapshot.json", Snapshot)
        version = repo.snapshot.signed.meta["targets.json"].version
        repo.targets = repo._read(meta / f"{version}.targets.json", Targets)
        for name in repo.succinct.get_roles():
            version = repo.snapshot.signed.meta[f"{name}.json"].version
            repo.bins[name] = repo._read(meta / f"{version}.{name}.json", Targets)
        return repo

    @property
    def succinct(self) -> SuccinctRoles:
        delegations = self.targets.signed.delegations
        if delegations is None or delegations.succinct_roles is None:
            raise PublishError("this repository's targets metadata has no hash-bin delegation", code="not-a-repo")
        return delegations.succinct_roles

    @property
    def root_file(self) -> Path:
        """The public root of trust a kiosk is installed with (the first version; kiosks follow rotations)."""
        return self.metadata_dir / "1.root.json"

    # -- publishing ------------------------------------------------------------------------------------------

    def bundle_targets(self, kind: str, name: str) -> dict[str, TargetFile]:
        prefix = f"{kind}/{name}/"
        found: dict[str, TargetFile] = {}
        for md in self.bins.values():
            found.update({path: t for path, t in md.signed.targets.items() if path.startswith(prefix)})
        return found

    def current_version(self, kind: str, name: str) -> int:
        listing = self.bundle_targets(kind, name).get(listing_path(kind, name))
        return int(cast(dict[str, Any], listing.custom).get("version", 0)) if listing is not None else 0

    def add_bundle(
        self, kind: str, name: str, files: Mapping[str, Path], custom: Mapping[str, Any] | None = None
    ) -> BuildResult:
        """Publish ``files`` (relative path -> local file) as the next version of bundle ``kind/name``."""
        new: dict[str, TargetFile] = {}
        new_files = new_bytes = total = 0
        for rel, local in sorted(files.items()):
            target = file_target(kind, name, safe_relpath(rel))
            info, added = self._store(target, local)
            new[target] = info
            total += info.length
            if added:
                new_files += 1
                new_bytes += info.length
        listing = {"format": LISTING_FORMAT, "kind": kind, "name": name, "files": sorted(files)}
        listing_bytes = json.dumps(listing, ensure_ascii=False, separators=(",", ":")).encode()
        old = self.bundle_targets(kind, name)
        list_target = listing_path(kind, name)
        previous = old.get(list_target)
        old_files = {path: t for path, t in old.items() if path != list_target}
        version = self.current_version(kind, name)
        unchanged = previous is not None and old_files == new and previous.hashes["sha256"] == _sha(listing_bytes)
        if unchanged:
            return BuildResult(kind, name, version, False, len(new), total, 0, 0)
        version += 1
        stamp = {"version": version, "published": self.clock().replace(microsecond=0).isoformat(), **(custom or {})}
        info, added = self._store_bytes(list_target, listing_bytes, stamp)
        new[list_target] = info
        if added:
            new_bytes += info.length
        self._replace_bundle(kind, name, new)
        self._commit()
        return BuildResult(kind, name, version, True, len(new) - 1, total, new_files, new_bytes)

    def refresh(self, *, force_timestamp: bool = True) -> list[str]:
        """Re-sign every role within half its lifetime of expiring (and the timestamp when ``force_timestamp``)."""
        now = self.clock()
        for role, md in self._online_roles():
            left = md.signed.expires - now
            if left < dt.timedelta(days=self.lifetimes.days(role)) / 2:
                self._dirty.add(role)
        renewed = sorted(self._dirty)
        if self._dirty or force_timestamp:
            self._commit()
        return [*renewed, "timestamp"]

    def rotate(self, role: str, new_signer: Signer, old_root: Signer) -> int:
        """Replace ``role``'s key: a new root version signed by the old root key (and the new one for root)."""
        root = self.root.signed
        for keyid in list(root.roles[role].keyids):
            root.revoke_key(keyid, role)
        root.add_key(new_signer.public_key, role)
        root.version += 1
        root.expires = self._expiry("root")
        self.root.signatures.clear()
        self.root.sign(old_root, append=True)
        if role == "root":
            self.root.sign(new_signer, append=True)
        self._write_root(signed=True)
        self.keys.signers[role] = new_signer
        if role == "targets":
            succinct = self.succinct
            delegations = self.targets.signed.delegations
            if delegations is not None:
                delegations.keys.clear()
                delegations.keys[new_signer.public_key.keyid] = new_signer.public_key
            succinct.keyids = [new_signer.public_key.keyid]
            self._dirty.update({"targets", *self.bins})
        elif role in ("snapshot", "timestamp"):
            self._dirty.add(role)
        self._commit()
        return root.version

    # -- internals -------------------------------------------------------------------------------------------

    def _expiry(self, role: str) -> dt.datetime:
        return self.clock().replace(microsecond=0) + dt.timedelta(days=self.lifetimes.days(role))

    def _online_roles(self) -> Iterable[tuple[str, Metadata[Any]]]:
        yield "targets", self.targets
        yield from self.bins.items()
        yield "snapshot", self.snapshot

    def _read(self, path: Path, kind: type[Signed]) -> Metadata[Any]:
        try:
            md = Metadata.from_file(str(path))
        except (OSError, DeserializationError) as err:
            raise PublishError(f"cannot read {path}: {err}", code="bad-metadata") from err
        if not isinstance(md.signed, kind):
            raise PublishError(f"{path} is not {kind.type} metadata", code="bad-metadata")
        return md

    def _store(self, target: str, local: Path) -> tuple[TargetFile, bool]:
        digest, size = sha256_file(local)
        dest = self.targets_dir / hashed_name(target, digest)
        added = not (dest.is_file() and dest.stat().st_size == size)
        if added:
            dest.parent.mkdir(parents=True, exist_ok=True)
            tmp = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
            shutil.copyfile(local, tmp)
            os.replace(tmp, dest)
        return TargetFile(size, {"sha256": digest}, target), added

    def _store_bytes(self, target: str, data: bytes, custom: Mapping[str, Any]) -> tuple[TargetFile, bool]:
        digest = _sha(data)
        dest = self.targets_dir / hashed_name(target, digest)
        added = not dest.is_file()
        if added:
            write_atomic(dest, data)
        return TargetFile(len(data), {"sha256": digest}, target, {"custom": dict(custom)}), added

    def _replace_bundle(self, kind: str, name: str, new: Mapping[str, TargetFile]) -> None:
        prefix = f"{kind}/{name}/"
        wanted: dict[str, dict[str, TargetFile]] = {role: {} for role in self.bins}
        for path, info in new.items():
            wanted[self.succinct.get_role_for_target(path)][path] = info
        for role, md in self.bins.items():
            kept = {p: t for p, t in md.signed.targets.items() if not p.startswith(prefix)}
            merged = {**kept, **wanted[role]}
            if merged != md.signed.targets:
                md.signed.targets = dict(sorted(merged.items()))
                self._dirty.add(role)

    def _commit(self, *, first: bool = False) -> None:
        """Sign and write every changed role, then the snapshot, then the timestamp (written last)."""
        snapshot = self.snapshot.signed
        for role in sorted(self._dirty - {"snapshot", "timestamp"}):
            md = self.targets if role == "targets" else self.bins[role]
            if not first:
                md.signed.version += 1
            md.signed.expires = self._expiry(role)
            self._sign_write(md, "targets", f"{md.signed.version}.{role}.json")
            snapshot.meta[f"{role}.json"] = MetaFile(version=md.signed.version)
        if not first:
            snapshot.version += 1
        snapshot.expires = self._expiry("snapshot")
        self._sign_write(self.snapshot, "snapshot", f"{snapshot.version}.snapshot.json")
        timestamp = self.timestamp.signed
        if not first:
            timestamp.version += 1
        timestamp.expires = self._expiry("timestamp")
        timestamp.snapshot_meta = MetaFile(version=snapshot.version)
        self._sign_write(self.timestamp, "timestamp", "timestamp.json")
        self._dirty.clear()

    def _sign_write(self, md: Metadata[Any], key_role: str, filename: str) -> None:
        md.signatures.clear()
        md.sign(self.keys.signer(key_role))
        write_atomic(self.metadata_dir / filename, md.to_bytes(_SERIALIZER))

    def _write_root(self, *, signed: bool = False) -> None:
        if not signed:
            self.root.signatures.clear()
            self.root.sign(self.keys.signer("root"))
        write_atomic(self.metadata_dir / f"{self.root.signed.version}.root.json", self.root.to_bytes(_SERIALIZER))


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class PublishResult:
    copied: int
    copied_bytes: int
    skipped: int


def publish_tree(repo: Path, dest: Path) -> PublishResult:
    """Copy a repository folder to ``dest`` (the static server's folder): files ``dest`` lacks first, the
    versioned metadata next, ``timestamp.json`` last, each by write-then-rename, so a kiosk syncing meanwhile
    sees either the old publication or the new one, complete."""
    if not (repo / "metadata" / "timestamp.json").is_file():
        raise PublishError(f"{repo} is not a Docent repository (no metadata/timestamp.json)", code="not-a-repo")
    copied = copied_bytes = skipped = 0
    files = sorted(p for p in repo.rglob("*") if p.is_file() and not p.name.startswith("."))
    last = repo / "metadata" / "timestamp.json"
    order = [p for p in files if p.parts[len(repo.parts)] == "targets"]
    order += [p for p in files if p.parts[len(repo.parts)] == "metadata" and p != last] + [last]
    for source in order:
        target = dest / source.relative_to(repo)
        size = source.stat().st_size
        if source != last and target.is_file() and target.stat().st_size == size:
            skipped += 1
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        shutil.copyfile(source, tmp)
        os.replace(tmp, target)
        copied += 1
        copied_bytes += size
    return PublishResult(copied, copied_bytes, skipped)


__all__ = [
    "BuildResult",
    "Lifetimes",
    "PublishResult",
    "Repository",
    "RepositoryError",
    "publish_tree",
    "sha256_file",
    "utcnow",
    "write_atomic",
]
