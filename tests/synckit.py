"""A publisher and a kiosk for the sync tests: real keys, a real TUF repository and a real client store.

``Venue`` is a writable copy of the tiny pack with a few media files of chosen sizes; ``Publisher`` signs and
publishes it (Repository + publish_tree, as `kiosk pack build`/`publish` do) into the folder a server serves;
``kiosk_client`` gives a client whose store lives in the test's own folder.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.content import validate_pack
from kiosk.sync import keys as keyring
from kiosk.sync.bundle import pack_custom, pack_files
from kiosk.sync.client import Client, Limits, Progress
from kiosk.sync.fetch import NetSettings
from kiosk.sync.repo import BuildResult, Repository, publish_tree, utcnow
from kiosk.sync.store import MANIFEST, Store
from kiosk.sync.trust import install_trust

TINY = Path(__file__).parent / "packs" / "tiny"
PACK_ID = "tiny-museum"


def venue_copy(folder: Path, media_sizes: tuple[int, ...] = (40_000, 60_000, 80_000), seed: int = 1) -> Path:
    """The tiny pack in ``folder`` with extra media files of these sizes (random bytes, like compressed images)."""
    shutil.copytree(TINY, folder)
    for number, size in enumerate(media_sizes):
        write_media(folder, f"extra-{number}.jpg", size, seed + number)
    return folder


def write_media(pack: Path, name: str, size: int, seed: int) -> Path:
    path = pack / "exhibits" / "media" / name
    data = hashlib.shake_256(f"{name}:{seed}".encode()).digest(size)
    path.write_bytes(data)
    return path


def edit_summary(pack: Path, text: str) -> None:
    """Change the blue vase's English summary (one exhibit's text)."""
    path = pack / "exhibits" / "blue-vase.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    at = lines.index("summary:") + 1
    lines[at] = f"  en: {text}"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@dataclass
class Publisher:
    """Keys, a repository being built and the folder the web server serves (``www``)."""

    folder: Path
    pack: Path
    clock: Callable[[], dt.datetime] = utcnow
    results: list[BuildResult] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.keys = self.folder / "keys"
        self.repo = self.folder / "repo"
        self.www = self.folder / "www"
        ring = keyring.generate(self.keys)
        Repository.create(self.repo, ring, bin_bits=4, clock=self.clock)
        publish_tree(self.repo, self.www)

    @property
    def root_file(self) -> Path:
        return self.repo / "metadata" / "1.root.json"

    def repository(self, clock: Callable[[], dt.datetime] | None = None) -> Repository:
        return Repository.open(self.repo, keyring.load(self.keys), clock=clock or self.clock)

    def publish(self, clock: Callable[[], dt.datetime] | None = None) -> BuildResult:
        report = validate_pack(self.pack)
        assert report.pack is not None and report.ok, [str(p) for p in report.errors]
        result = self.repository(clock).add_bundle(
            "packs", report.pack.venue.id, pack_files(self.pack), pack_custom(report.pack)
        )
        publish_tree(self.repo, self.www)
        self.results.append(result)
        return result


def set_venue_id(pack: Path, venue_id: str = PACK_ID) -> None:
    path = pack / "content" / "venue.yaml"
    text = path.read_text(encoding="utf-8")
    lines = [f"id: {venue_id}" if line.startswith("id:") else line for line in text.splitlines()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def make_publisher(tmp: Path, media_sizes: tuple[int, ...] = (40_000, 60_000, 80_000)) -> Publisher:
    pack = venue_copy(tmp / "pack", media_sizes)
    set_venue_id(pack)
    return Publisher(tmp / "publisher", pack)


def kiosk_store(tmp: Path, publisher: Publisher) -> Store:
    store = Store(tmp / "kiosk-sync")
    install_trust(store, publisher.root_file)
    return store


def client(
    store: Store,
    url: str,
    *,
    net: NetSettings | None = None,
    limits: Limits | None = None,
    progress: Callable[[Progress], None] | None = None,
    health: Callable[[Path], str] | None = None,
) -> Client:
    return Client(
        store,
        url,
        net=net or NetSettings(timeout_s=5),
        limits=limits or Limits(keep_free_bytes=0),
        progress=progress,
        health=health,
    )


def installed_files(store: Store) -> dict[str, bytes]:
    """The current version's files (relative path -> bytes), checked against its manifest's hashes."""
    folder = store.current_dir("packs", PACK_ID)
    assert folder is not None, "no version installed"
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    files = {}
    for rel, (sha, length) in manifest["files"].items():
        data = (folder / rel).read_bytes()
        assert len(data) == length and hashlib.sha256(data).hexdigest() == sha, f"{rel} does not match the manifest"
        files[rel] = data
    return files


def source_files(pack: Path) -> dict[str, bytes]:
    return {rel: path.read_bytes() for rel, path in pack_files(pack).items()}


def installed_version(store: Store) -> int | None:
    installed = store.installed("packs", PACK_ID)
    return installed.current.version if installed else None


def tree_files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} if folder.exists() else set()


def file_mode_private(path: Path) -> bool:
    return (os.stat(path).st_mode & 0o077) == 0
