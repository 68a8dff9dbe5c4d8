"""Faults nginx will not produce, from a Python server on 127.0.0.1: cut connections, drips, lies about length,
no server, errors, a full disk. A kiosk resumes what it can and otherwise keeps its pack, saying why."""

from __future__ import annotations

import random
import socket
from pathlib import Path

import pytest

from kiosk.cli.sync import run_sync
from kiosk.content.index import INDEX_FILE
from kiosk.sync.client import Limits
from kiosk.sync.errors import DiskFull, SyncOffline
from kiosk.sync.fetch import NetSettings
from kiosk.sync.health import MIND_WORK
from kiosk.sync.runner import next_delay
from kiosk.sync.settings import SyncSettings
from kiosk.sync.store import Store
from tests.httpd import FaultServer
from tests.synckit import (
    PACK_ID,
    Publisher,
    client,
    installed_files,
    installed_version,
    kiosk_store,
    make_publisher,
    source_files,
    tree_files,
    write_media,
)

BIG = 400_000


def _v1_then_new_image(tmp_path: Path) -> tuple[Publisher, Store, dict[str, bytes]]:
    publisher = make_publisher(tmp_path)
    publisher.publish()
    store = kiosk_store(tmp_path, publisher)
    with FaultServer(publisher.www) as server:
        client(store, server.url).sync(PACK_ID)
    v1 = installed_files(store)
    write_media(publisher.pack, "extra-0.jpg", BIG, seed=5)
    publisher.publish()
    return publisher, store, v1


@pytest.mark.parametrize("fraction", [0.10, 0.50, 0.99])
def test_a_connection_cut_mid_file_resumes_where_it_stopped(tmp_path: Path, fraction: float) -> None:
    publisher, store, _v1 = _v1_then_new_image(tmp_path)
    with FaultServer(publisher.www) as server:
        server.cut("*extra-0.jpg", fraction)
        result = client(store, server.url).sync(PACK_ID)
        hits = [h for h in server.wait_for(result.requests) if h.path.endswith("extra-0.jpg")]
    assert result.version == 2
    assert [h.range for h in hits] == [None, f"bytes={int(fraction * BIG)}-"], hits
    assert sum(h.body_bytes_sent for h in hits) == BIG, "the first part was fetched again"
    assert installed_files(store) == source_files(publisher.pack)


def test_a_drip_feeding_server_is_given_up_on_and_the_pack_kept(tmp_path: Path) -> None:
    publisher, store, v1 = _v1_then_new_image(tmp_path)
    slow = NetSettings(timeout_s=5, min_bytes_per_s=50_000, slow_window_s=0.5)
    with FaultServer(publisher.www) as server:
        server.drip("*extra-0.jpg", bytes_per_s=5_000)
        with pytest.raises(SyncOffline) as caught:
            client(store, server.url, net=slow).sync(PACK_ID)
    assert caught.value.code == "slow" and "too slow" in str(caught.value)
    assert installed_version(store) == 1 and installed_files(store) == v1
    parts = [p for p in tree_files(store.blobs) if p.endswith(".part")]
    assert len(parts) == 1, "what arrived is kept, to resume next time"
    with FaultServer(publisher.www) as server:
        result = client(store, server.url).sync(PACK_ID)
        assert result.version == 2
        hits = [h for h in server.wait_for(result.requests) if h.path.endswith("extra-0.jpg")]
    assert hits[0].range is not None and hits[0].range.startswith("bytes=")


def test_a_stalled_server_times_out(tmp_path: Path) -> None:
    publisher, store, v1 = _v1_then_new_image(tmp_path)
    with FaultServer(publisher.www) as server:
        server.stall("*extra-0.jpg", seconds=5, times=None)
        with pytest.raises(SyncOffline):
            client(store, server.url, net=NetSettings(timeout_s=0.5, resume_tries=1)).sync(PACK_ID)
    assert installed_version(store) == 1 and installed_files(store) == v1


def test_a_wrong_content_length_is_survived(tmp_path: Path) -> None:
    publisher, store, _v1 = _v1_then_new_image(tmp_path)
    with FaultServer(publisher.www) as server:
        server.wrong_length("*extra-0.jpg", extra=1000)
        result = client(store, server.url).sync(PACK_ID)
    assert result.version == 2 and installed_files(store) == source_files(publisher.pack)


def test_a_server_that_compresses_anyway_still_gives_the_right_files(tmp_path: Path) -> None:
    publisher, store, _v1 = _v1_then_new_image(tmp_path)
    with FaultServer(publisher.www) as server:
        server.gzip("*")  # metadata, the file list, the YAML and the new image, each sent gzip-encoded
        result = client(store, server.url).sync(PACK_ID)
        hits = server.wait_for(result.requests)
    new_image = [h for h in hits if h.path.endswith("extra-0.jpg")]
    assert result.version == 2 and installed_files(store) == source_files(publisher.pack)
    assert new_image and all(h.body_bytes_sent != BIG for h in new_image), "the image was not sent compressed"
    # A download thread asks an origin once more when it first finds it compressing, then goes to it decoding.
    assert len(new_image) <= 2, new_image


def test_a_redirected_file_is_followed(tmp_path: Path) -> None:
    publisher, store, _v1 = _v1_then_new_image(tmp_path)
    with FaultServer(publisher.www) as server:
        server.redirect("*extra-0.jpg")
        result = client(store, server.url).sync(PACK_ID)
        hits = [h for h in server.wait_for(result.requests) if h.path.endswith("extra-0.jpg")]
    assert result.version == 2 and installed_files(store) == source_files(publisher.pack)
    assert [h.status for h in hits] == [302, 200], hits


def test_a_server_closing_kept_alive_connections_is_asked_again_on_new_ones(tmp_path: Path) -> None:
    publisher = make_publisher(tmp_path, media_sizes=(20_000,) * 12)
    publisher.publish()
    store = kiosk_store(tmp_path, publisher)
    with FaultServer(publisher.www) as server:
        server.hang_up("targets/*")  # each file's answer says keep-alive, then the server closes the connection
        # No resumption allowed: a request lost on a connection closed meanwhile must be sent again at once.
        result = client(store, server.url, net=NetSettings(resume_tries=0)).sync(PACK_ID)
        hits = server.wait_for(result.requests)
    assert result.version == 1 and installed_files(store) == source_files(publisher.pack)
    assert len(hits) == result.requests and all(h.status == 200 for h in hits if h.path.startswith("targets/"))


def _closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/"  # nothing listens there now


@pytest.mark.parametrize("where", ["refused", "hangs-up", "dns", "http-500", "http-404"])
def test_no_server_leaves_the_kiosk_on_its_pack(tmp_path: Path, where: str) -> None:
    publisher, store, v1 = _v1_then_new_image(tmp_path)
    with FaultServer(publisher.www) as server:
        url = server.url
        if where == "refused":
            url = _closed_port_url()
        elif where == "hangs-up":
            server.refuse()
        elif where == "dns":
            url = "http://docent-content.invalid/"
        else:
            server.status("metadata/timestamp.json", int(where[-3:]), times=None)
        with pytest.raises(SyncOffline) as caught:
            client(store, url, net=NetSettings(timeout_s=3, resume_tries=1)).sync(PACK_ID)
    message = str(caught.value)
    expected = {
        "refused": "connection refused",
        "hangs-up": "closed the connection",
        "dns": "docent-content.invalid",
        "http-500": "HTTP 500",
    }
    assert expected.get(where, "HTTP 404") in message, message
    assert installed_version(store) == 1 and installed_files(store) == v1


def test_a_full_disk_stops_before_downloading_and_says_so(tmp_path: Path) -> None:
    publisher, store, v1 = _v1_then_new_image(tmp_path)
    with FaultServer(publisher.www) as server:
        limited = Limits(max_disk_bytes=store.disk_used() + 100_000, keep_free_bytes=0)
        with pytest.raises(DiskFull) as over_limit:
            client(store, server.url, limits=limited).sync(PACK_ID)
        assert "sync.max_disk_mb" in str(over_limit.value)
        with pytest.raises(DiskFull) as no_space:
            client(store, server.url, limits=Limits(keep_free_bytes=10**15)).sync(PACK_ID)
        assert "too full" in str(no_space.value)
        downloaded = [h for h in server.requests if h.path.endswith("extra-0.jpg")]
    assert not downloaded, "it downloaded although the file could not fit"
    assert installed_version(store) == 1 and installed_files(store) == v1


def test_the_disk_limit_counts_the_index_and_mind_work_the_health_check_writes(tmp_path: Path) -> None:
    publisher, store, v1 = _v1_then_new_image(tmp_path)
    folder = store.current_dir("packs", PACK_ID)
    assert folder is not None
    own = [folder / INDEX_FILE, folder / MIND_WORK]
    own_bytes = sum(path.stat().st_size for path in own)
    blob_bytes = sum(path.stat().st_size for path in store.blobs.iterdir() if path.is_file())
    assert store.disk_used() >= blob_bytes + own_bytes, "the index and the mind's work count"
    # Room for the new image, not for the index and the mind's work the check of the new version will write.
    tight = Limits(max_disk_bytes=store.disk_used() + BIG + own_bytes // 2, keep_free_bytes=0)
    with FaultServer(publisher.www) as server:
        with pytest.raises(DiskFull) as over_limit:
            client(store, server.url, limits=tight).sync(PACK_ID)
        assert "sync.max_disk_mb" in str(over_limit.value)
        assert not [h for h in server.requests if h.path.endswith("extra-0.jpg")]
        assert installed_version(store) == 1 and installed_files(store) == v1
        roomy = Limits(max_disk_bytes=store.disk_used() + BIG + 2 * own_bytes, keep_free_bytes=0)
        assert client(store, server.url, limits=roomy).sync(PACK_ID).version == 2
    assert roomy.max_disk_bytes is not None and store.disk_used() <= roomy.max_disk_bytes


def test_a_failed_sync_is_recorded_for_staff(tmp_path: Path) -> None:
    publisher, store, _v1 = _v1_then_new_image(tmp_path)
    with FaultServer(publisher.www) as server:
        code = run_sync(store, SyncSettings(server=_closed_port_url(), pack=PACK_ID), PACK_ID, as_json=True)
        assert code == 3
        state = store.state()
        assert state.failures == 1 and state.last_error and "connection refused" in state.last_error
        assert run_sync(store, SyncSettings(server=server.url, pack=PACK_ID), PACK_ID, as_json=True) == 0
    state = store.state()
    assert state.failures == 0 and state.last_error is None and state.last_success is not None


def test_retries_back_off_then_settle_on_the_interval() -> None:
    rng = random.Random(3)
    hour = 3600.0
    delays = [next_delay(hour, failures, rng) for failures in range(8)]
    assert 0.8 * hour <= delays[0] <= 1.2 * hour
    assert 48 <= delays[1] <= 72 and 96 <= delays[2] <= 144, "1 then 2 minutes after the first failures"
    assert all(d <= 1.2 * hour for d in delays) and delays[7] >= 0.8 * hour


def test_downloads_keep_their_connections_open(tmp_path: Path) -> None:
    publisher = make_publisher(tmp_path, media_sizes=(20_000,) * 12)
    publisher.publish()
    store = kiosk_store(tmp_path, publisher)
    limits = Limits(keep_free_bytes=0)
    with FaultServer(publisher.www) as server:
        result = client(store, server.url, limits=limits).sync(PACK_ID)
        connections = server.connections
    # One per download thread, one for the metadata, one more after the 404 that ends the root rotation check, and
    # one for the file list (a blob, fetched on the blob connection of the thread that checks the metadata).
    assert result.requests >= 30 and connections <= limits.parallel + 3, (result.requests, connections)
    assert installed_files(store) == source_files(publisher.pack)


PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "no_proxy")


def test_the_proxy_in_the_environment_is_used_except_for_no_proxy_hosts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    publisher = make_publisher(tmp_path)
    publisher.publish()
    store = kiosk_store(tmp_path, publisher)
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    far = "http://docent-content.invalid/"  # a name that resolves nowhere: only a proxy can fetch from it
    with FaultServer(publisher.www) as proxy:
        monkeypatch.setenv("http_proxy", proxy.url)
        monkeypatch.setenv("no_proxy", "localhost,127.0.0.1")
        result = client(store, far).sync(PACK_ID)
        assert result.version == 1 and installed_files(store) == source_files(publisher.pack)
        assert len(proxy.wait_for(result.requests)) == result.requests, "every request went through the proxy"
        write_media(publisher.pack, "extra-0.jpg", BIG, seed=5)
        publisher.publish()
        monkeypatch.setenv("no_proxy", "localhost,.invalid")
        with pytest.raises(SyncOffline) as caught:
            client(store, far, net=NetSettings(timeout_s=3, resume_tries=1)).sync(PACK_ID)
        assert len(proxy.requests) == result.requests, "a host in no_proxy is fetched directly"
    assert "docent-content.invalid" in str(caught.value) and "does not resolve" in str(caught.value)
    assert installed_version(store) == 1
