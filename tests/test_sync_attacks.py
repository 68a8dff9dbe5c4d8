"""Each attack TUF is there to stop, played against a kiosk that already runs version 1: it must refuse, say why,
and keep running version 1 untouched."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from securesystemslib.signer import CryptoSigner
from tuf.api.metadata import Metadata, TargetFile
from tuf.api.serialization.json import JSONSerializer

from kiosk.sync.errors import SyncFailed, SyncRefused
from kiosk.sync.layout import file_target, hashed_name, listing_path
from kiosk.sync.repo import utcnow
from kiosk.sync.store import Store
from tests.httpd import FaultServer
from tests.synckit import (
    PACK_ID,
    Publisher,
    client,
    edit_summary,
    installed_files,
    installed_version,
    kiosk_store,
    make_publisher,
    source_files,
    tree_files,
    write_media,
)


def _synced_v1(tmp_path: Path) -> tuple[Publisher, Store, dict[str, bytes]]:
    publisher = make_publisher(tmp_path)
    publisher.publish()
    store = kiosk_store(tmp_path, publisher)
    with FaultServer(publisher.www) as server:
        client(store, server.url).sync(PACK_ID)
    return publisher, store, installed_files(store)


def _refused(store: Store, www: Path, code: str) -> SyncRefused:
    with FaultServer(www) as server, pytest.raises(SyncRefused) as caught:
        client(store, server.url).sync(PACK_ID)
    assert caught.value.code == code, caught.value
    return caught.value


def _blob_on_server(publisher: Publisher, rel: str) -> Path:
    data = (publisher.pack / rel).read_bytes()
    import hashlib

    target = file_target("packs", PACK_ID, rel)
    return publisher.www / "targets" / hashed_name(target, hashlib.sha256(data).hexdigest())


def test_a_tampered_file_is_discarded(tmp_path: Path) -> None:
    publisher, store, v1 = _synced_v1(tmp_path)
    write_media(publisher.pack, "extra-1.jpg", 60_000, seed=7)
    publisher.publish()
    blob = _blob_on_server(publisher, "exhibits/media/extra-1.jpg")
    data = bytearray(blob.read_bytes())
    data[1000] ^= 0xFF  # same length, one byte changed
    blob.write_bytes(bytes(data))
    err = _refused(store, publisher.www, "tampered")
    assert "extra-1.jpg" in str(err)
    assert installed_version(store) == 1 and installed_files(store) == v1
    assert not any(p.endswith(".part") for p in tree_files(store.blobs)), "the bad bytes were kept"


def test_metadata_signed_by_the_wrong_key_is_refused(tmp_path: Path) -> None:
    publisher, store, v1 = _synced_v1(tmp_path)
    edit_summary(publisher.pack, "Signed by someone else.")
    publisher.publish()
    stamp = publisher.www / "metadata" / "timestamp.json"
    md = Metadata.from_file(str(stamp))
    md.signatures.clear()
    md.sign(CryptoSigner(Ed25519PrivateKey.generate()))
    stamp.write_bytes(md.to_bytes(JSONSerializer(compact=True)))
    err = _refused(store, publisher.www, "bad-signature")
    assert "not signed by the keys this kiosk trusts" in str(err)
    assert installed_version(store) == 1 and installed_files(store) == v1


def test_an_old_repository_replayed_is_refused(tmp_path: Path) -> None:
    publisher, store, _v1 = _synced_v1(tmp_path)
    old = tmp_path / "www-v1"
    shutil.copytree(publisher.www, old)
    edit_summary(publisher.pack, "The second version.")
    publisher.publish()
    with FaultServer(publisher.www) as server:
        client(store, server.url).sync(PACK_ID)
    v2 = installed_files(store)
    err = _refused(store, old, "rollback")
    assert "older than what this kiosk already trusts" in str(err)
    assert installed_version(store) == 2 and installed_files(store) == v2


def test_expired_metadata_is_refused(tmp_path: Path) -> None:
    publisher, store, v1 = _synced_v1(tmp_path)
    edit_summary(publisher.pack, "Published by a clock 30 days slow.")

    def month_ago() -> dt.datetime:
        return utcnow() - dt.timedelta(days=30)  # a 7-day timestamp signed 30 days ago: expired now

    publisher.publish(clock=month_ago)
    err = _refused(store, publisher.www, "expired")
    assert "kiosk pack publish --refresh" in str(err)
    assert installed_version(store) == 1 and installed_files(store) == v1
    publisher.repository().refresh()  # the publisher re-signs: the same content now installs
    shutil.copy(publisher.repo / "metadata" / "timestamp.json", publisher.www / "metadata" / "timestamp.json")
    for path in (publisher.repo / "metadata").glob("*.snapshot.json"):
        shutil.copy(path, publisher.www / "metadata" / path.name)
    with FaultServer(publisher.www) as server:
        assert client(store, server.url).sync(PACK_ID).version == 2


def test_metadata_mixed_from_two_versions_is_refused(tmp_path: Path) -> None:
    publisher, store, v1 = _synced_v1(tmp_path)
    edit_summary(publisher.pack, "Version two.")
    publisher.publish()
    edit_summary(publisher.pack, "Version three.")
    publisher.publish()
    repository = publisher.repository()
    role = repository.succinct.get_role_for_target(listing_path("packs", PACK_ID))
    versions = sorted(int(p.name.split(".")[0]) for p in (publisher.www / "metadata").glob(f"*.{role}.json"))
    newest, older = versions[-1], versions[-2]
    meta = publisher.www / "metadata"
    shutil.copy(meta / f"{older}.{role}.json", meta / f"{newest}.{role}.json")  # v2's bin under v3's name
    _refused(store, publisher.www, "rollback")
    assert installed_version(store) == 1 and installed_files(store) == v1


@pytest.mark.parametrize("bad", ["../evil.txt", "/tmp/evil.txt", "content/../../evil.txt", "C:\\evil.txt"])
def test_a_signed_path_outside_the_pack_is_refused(tmp_path: Path, bad: str) -> None:
    """Even correctly signed (a compromised or buggy publisher), a path that leaves the pack installs nothing."""
    publisher, store, v1 = _synced_v1(tmp_path)
    repository = publisher.repository()
    evil = b"written where it should not be"
    files = {rel: (publisher.pack / rel) for rel in source_files(publisher.pack)}
    targets: dict[str, TargetFile] = {}
    for rel, path in files.items():
        targets[file_target("packs", PACK_ID, rel)] = repository._store(file_target("packs", PACK_ID, rel), path)[0]
    evil_file = tmp_path / "evil-source.txt"
    evil_file.write_bytes(evil)
    targets[file_target("packs", PACK_ID, bad)] = repository._store(file_target("packs", PACK_ID, bad), evil_file)[0]
    listing = {"format": 1, "kind": "packs", "name": PACK_ID, "files": [*sorted(files), bad]}
    data = json.dumps(listing).encode()
    info, _ = repository._store_bytes(listing_path("packs", PACK_ID), data, {"version": 2})
    targets[listing_path("packs", PACK_ID)] = info
    repository._replace_bundle("packs", PACK_ID, targets)
    repository._commit()
    from kiosk.sync.repo import publish_tree

    publish_tree(publisher.repo, publisher.www)
    err = _refused(store, publisher.www, "unsafe-path")
    assert repr(bad) in str(err)
    assert installed_version(store) == 1 and installed_files(store) == v1
    assert not list(tmp_path.parent.rglob("evil.txt")) and not Path("/tmp/evil.txt").exists()


def test_a_file_much_larger_than_signed_is_cut_off(tmp_path: Path) -> None:
    publisher, store, v1 = _synced_v1(tmp_path)
    write_media(publisher.pack, "extra-2.jpg", 50_000, seed=11)
    publisher.publish()
    with FaultServer(publisher.www) as server:
        server.replace("*extra-2.jpg", b"\0" * 5_000_000)  # 100 times the signed length
        kiosk = client(store, server.url)
        with pytest.raises(SyncRefused) as caught:
            kiosk.sync(PACK_ID)
    assert caught.value.code == "too-long"
    assert "longer than its signed length" in str(caught.value)
    assert kiosk._received() < 50_000 + 2 * 256 * 1024 + 100_000, "the endless data was read to its end"
    assert installed_version(store) == 1 and installed_files(store) == v1


def test_a_version_that_fails_its_health_check_is_never_switched_to(tmp_path: Path) -> None:
    publisher, store, v1 = _synced_v1(tmp_path)
    venue = publisher.pack / "content" / "venue.yaml"
    good = venue.read_text(encoding="utf-8")
    venue.write_text(good.replace("languages:", "languages: [xx-not-a-language]\nold_languages:", 1), encoding="utf-8")
    # Published without `kiosk pack build`'s validation (a buggy tool or a hand-made repository).
    from kiosk.sync.bundle import pack_files

    repository = publisher.repository()
    repository.add_bundle("packs", PACK_ID, pack_files(publisher.pack), {"title": "broken"})
    from kiosk.sync.repo import publish_tree

    publish_tree(publisher.repo, publisher.www)
    with FaultServer(publisher.www) as server:
        with pytest.raises(SyncFailed) as caught:
            client(store, server.url).sync(PACK_ID)
        assert caught.value.code == "health-check-failed", caught.value
        assert installed_version(store) == 1 and installed_files(store) == v1
        with pytest.raises(SyncFailed) as again:
            client(store, server.url).sync(PACK_ID)
        assert again.value.code == "version-rejected" and "keeping version 1" in str(again.value)
        venue.write_text(good, encoding="utf-8")
        publisher.publish()
        assert client(store, server.url).sync(PACK_ID).version == 3
    assert not (store.bundle_dir("packs", PACK_ID) / "v2").exists(), "the failed version was left on disk"


def test_a_file_list_naming_the_kiosks_own_files_is_refused(tmp_path: Path) -> None:
    """A version folder holds the kiosk's own files beside the pack's (its search index, the mind's work): a signed
    list that names one would have the check overwrite a pack file, so it is refused before anything is fetched."""
    publisher, store, v1 = _synced_v1(tmp_path)
    from kiosk.sync.bundle import pack_files
    from kiosk.sync.repo import publish_tree

    planted = tmp_path / "planted.sqlite"
    planted.write_bytes(b"not an index")
    files = {**pack_files(publisher.pack), ".docent-index.sqlite": planted}
    publisher.repository().add_bundle("packs", PACK_ID, files, {"title": "planted"})
    publish_tree(publisher.repo, publisher.www)
    err = _refused(store, publisher.www, "bad-listing")
    assert "keeps for itself" in str(err)
    assert installed_version(store) == 1 and installed_files(store) == v1
