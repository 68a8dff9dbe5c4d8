"""Keys: created private, rotated without touching kiosks, and an old key is worthless after rotation."""

from __future__ import annotations

from pathlib import Path

import pytest
from tuf.api.metadata import Metadata
from tuf.api.serialization.json import JSONSerializer

from kiosk.sync import keys as keyring
from kiosk.sync.errors import PublishError, SyncRefused
from kiosk.sync.layout import file_target
from tests.httpd import FaultServer
from tests.synckit import PACK_ID, client, edit_summary, installed_version, kiosk_store, make_publisher


def test_keys_are_private_and_explained(tmp_path: Path) -> None:
    ring = keyring.generate(tmp_path / "keys")
    for role in keyring.ROLES:
        assert (tmp_path / "keys" / f"{role}.pem").stat().st_mode & 0o077 == 0, f"{role}.pem is readable by others"
    guidance = (tmp_path / "keys" / "README.txt").read_text(encoding="utf-8")
    assert "OFFLINE" in guidance and "Never copy" in guidance
    assert set(ring.signers) == set(keyring.ROLES)
    with pytest.raises(PublishError, match="refusing to overwrite"):
        keyring.generate(tmp_path / "keys")


def test_publishing_without_the_online_keys_says_which_is_missing(tmp_path: Path) -> None:
    publisher = make_publisher(tmp_path)
    (publisher.keys / "snapshot.pem").unlink()
    with pytest.raises(PublishError, match="snapshot"):
        publisher.publish()


@pytest.mark.parametrize("role", ["targets", "timestamp", "root"])
def test_kiosks_follow_a_key_rotation_and_the_old_key_stops_working(tmp_path: Path, role: str) -> None:
    publisher = make_publisher(tmp_path)
    publisher.publish()
    store = kiosk_store(tmp_path, publisher)
    with FaultServer(publisher.www) as server:
        client(store, server.url).sync(PACK_ID)
    old = keyring.load(publisher.keys).signer(role)
    repository = publisher.repository()
    new_signer, retired = keyring.replace(publisher.keys, role)
    repository.rotate(role, new_signer, old if role == "root" else keyring.load(publisher.keys).signer("root"))
    assert retired.is_file()
    edit_summary(publisher.pack, "Published after the rotation.")
    publisher.publish()
    with FaultServer(publisher.www) as server:
        assert client(store, server.url).sync(PACK_ID).version == 2, "the kiosk did not follow the rotation"
    if role == "root":
        fresh = kiosk_store(tmp_path / "fresh", publisher)  # a new kiosk from 1.root.json walks the chain too
        with FaultServer(publisher.www) as server:
            assert client(fresh, server.url).sync(PACK_ID).version == 2
        return
    # A publication signed with the retired key is refused.
    edit_summary(publisher.pack, "Signed with the retired key.")
    publisher.publish()
    path = publisher.www / "metadata" / "timestamp.json"
    if role == "targets":  # the targets key signs the hash bins: the bin holding the edited exhibit
        repo = publisher.repository()
        bin_role = repo.succinct.get_role_for_target(file_target("packs", PACK_ID, "exhibits/blue-vase.yaml"))
        path = publisher.www / "metadata" / f"{repo.bins[bin_role].signed.version}.{bin_role}.json"
    md = Metadata.from_file(str(path))
    md.signatures.clear()
    md.sign(old)
    path.write_bytes(md.to_bytes(JSONSerializer(compact=True)))
    with FaultServer(publisher.www) as server, pytest.raises(SyncRefused):
        client(store, server.url).sync(PACK_ID)
    assert installed_version(store) == 2
