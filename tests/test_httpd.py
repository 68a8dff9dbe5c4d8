"""The test servers of tests/httpd.py do what the content-sync tests rely on: nginx as deployed, and each fault."""

from __future__ import annotations

import http.client
import socket
import struct
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests import httpd
from tests.httpd import FaultServer, Hit, LogLine, Nginx, nginx_serving

DATA = bytes(range(256)) * 64  # 16 KiB


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = tmp_path / "root"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "data.bin").write_bytes(DATA)
    (root / "a b.txt").write_bytes(b"hello\n")
    (tmp_path / "secret.txt").write_bytes(b"secret\n")
    return root


@pytest.fixture
def nginx(root: Path, tmp_path: Path) -> Iterator[Nginx]:
    with nginx_serving(root, tmp_path / "nginx") as server:
        yield server


@pytest.fixture
def faulty(root: Path) -> Iterator[FaultServer]:
    with FaultServer(root) as server:
        yield server


def address(url: str) -> tuple[str, int]:
    host, port = url.removeprefix("http://").rstrip("/").split(":")
    return host, int(port)


def recv_or_reset(s: socket.socket) -> bytes:
    try:
        return s.recv(100)
    except ConnectionResetError:  # closed with what the client sent unread
        return b""


def get_hello(s: socket.socket) -> None:
    """A request for ``a b.txt`` on ``s``, and its whole answer read."""
    s.sendall(b"GET /a%20b.txt HTTP/1.1\r\nHost: x\r\n\r\n")
    answer = b""
    while not answer.endswith(b"hello\n"):
        chunk = s.recv(1000)
        assert chunk, answer  # not closed before the end
        answer += chunk


def raw_get(url: str, target: str) -> tuple[int, bytes]:
    """A GET of ``target`` exactly as written (no client tidying ``..`` away)."""
    conn = http.client.HTTPConnection(*address(url), timeout=10)
    conn.request("GET", target)
    response = conn.getresponse()
    status, body = response.status, response.read()
    conn.close()
    return status, body


# nginx.


def test_nginx_serves_files_from_a_pytest_tmp_path_and_logs_them(nginx: Nginx) -> None:
    # The tmp dirs pytest makes are 0700: this fails where nginx's workers run as another user than the tests.
    with requests.Session() as session:
        r = session.get(nginx.url + "sub/data.bin", timeout=10)
        assert (r.status_code, r.content, r.headers["Accept-Ranges"]) == (200, DATA, "bytes")
        assert session.get(nginx.url + "a%20b.txt", timeout=10).content == b"hello\n"
    lines = nginx.requests(wait_for=2)
    assert [(line.path, line.status, line.body_bytes, line.range) for line in lines] == [
        ("sub/data.bin", 200, len(DATA), None),
        ("a b.txt", 200, 6, None),
    ]
    assert all(line.bytes_sent > line.body_bytes for line in lines)  # the headers count there
    assert nginx.body_bytes_total() == len(DATA) + 6


def test_nginx_answers_a_range_with_the_tail(nginx: Nginx) -> None:
    r = requests.get(nginx.url + "sub/data.bin", headers={"Range": "bytes=1000-"}, timeout=10)
    assert (r.status_code, r.headers["Content-Range"]) == (206, f"bytes 1000-{len(DATA) - 1}/{len(DATA)}")
    assert r.content == DATA[1000:]
    (line,) = nginx.requests(wait_for=1)
    assert line == LogLine("sub/data.bin", 206, line.bytes_sent, len(DATA) - 1000, "bytes=1000-")


def test_nginx_log_clears_lists_nothing_and_knows_missing_files(nginx: Nginx) -> None:
    requests.get(nginx.url + "a%20b.txt", timeout=10)
    assert len(nginx.requests(wait_for=1)) == 1
    nginx.clear_log()
    assert nginx.requests() == [] and nginx.body_bytes_total() == 0
    listing = requests.get(nginx.url + "sub/", timeout=10)
    assert listing.status_code == 403 and "data.bin" not in listing.text
    assert requests.get(nginx.url + "nope.bin", timeout=10).status_code == 404
    assert [(line.path, line.status) for line in nginx.requests(wait_for=2)] == [("sub/", 403), ("nope.bin", 404)]


def test_nginx_stops_on_exit(root: Path, tmp_path: Path) -> None:
    with nginx_serving(root, tmp_path / "nginx") as server:
        assert requests.get(server.url + "a%20b.txt", timeout=10).ok
    assert server.process.returncode is not None
    with pytest.raises(requests.ConnectionError):
        requests.get(server.url + "a%20b.txt", timeout=10)


def test_nginx_missing_fails_the_test(root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setattr(httpd, "NGINX_FALLBACK", tmp_path / "no-nginx")
    with pytest.raises(RuntimeError, match="apt-get install nginx"), nginx_serving(root, tmp_path / "nginx"):
        pass


def test_nginx_that_cannot_start_says_why(root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(httpd, "nginx_config", lambda root, workdir, port: "daemon off;\nno_such_directive;\n")
    with pytest.raises(RuntimeError, match="unknown directive"), nginx_serving(root, tmp_path / "nginx"):
        pass


# FaultServer: serving.


def test_fault_server_serves_get_head_and_404_over_one_connection(faulty: FaultServer) -> None:
    with requests.Session() as session:
        r = session.get(faulty.url + "sub/data.bin", timeout=10)
        assert (r.status_code, r.content, r.headers["Accept-Ranges"]) == (200, DATA, "bytes")
        head = session.head(faulty.url + "sub/data.bin", timeout=10)
        assert (head.status_code, head.headers["Content-Length"], head.content) == (200, str(len(DATA)), b"")
        assert session.get(faulty.url + "a%20b.txt", timeout=10).content == b"hello\n"
        assert session.get(faulty.url + "nope.bin", timeout=10).status_code == 404
    assert faulty.connections == 1  # keep-alive: every Content-Length was right
    assert [(hit.path, hit.status) for hit in faulty.wait_for(4)] == [
        ("sub/data.bin", 200),
        ("sub/data.bin", 200),
        ("a b.txt", 200),
        ("nope.bin", 404),
    ]
    assert faulty.requests[1].body_bytes_sent == 0  # the HEAD


@pytest.mark.parametrize(
    ("header", "status", "part", "content_range"),
    [
        ("bytes=1000-", 206, DATA[1000:], f"bytes 1000-{len(DATA) - 1}/{len(DATA)}"),
        ("bytes=10-19", 206, DATA[10:20], f"bytes 10-19/{len(DATA)}"),
        ("bytes=-5", 206, DATA[-5:], f"bytes {len(DATA) - 5}-{len(DATA) - 1}/{len(DATA)}"),
        (f"bytes={len(DATA)}-", 416, None, f"bytes */{len(DATA)}"),
    ],
    ids=["tail", "span", "suffix", "unsatisfiable"],
)
def test_fault_server_ranges(
    faulty: FaultServer, header: str, status: int, part: bytes | None, content_range: str
) -> None:
    r = requests.get(faulty.url + "sub/data.bin", headers={"Range": header}, timeout=10)
    assert (r.status_code, r.headers["Content-Range"]) == (status, content_range)
    if part is not None:
        assert r.content == part
    assert faulty.wait_for(1)[0].range == header


def test_fault_server_keeps_to_its_root(faulty: FaultServer) -> None:
    for target in ("/../secret.txt", "/%2e%2e/secret.txt", "/sub/../../secret.txt"):
        status, body = raw_get(faulty.url, target)
        assert status == 403 and b"secret" not in body, target


def test_fault_server_stops_on_exit_and_closes_idle_connections(root: Path) -> None:
    with FaultServer(root) as server:
        idle = socket.create_connection(address(server.url), timeout=10)
        get_hello(idle)
    with idle:  # a keep-alive connection, not left to a handler thread that outlives the server
        assert recv_or_reset(idle) == b""
    with pytest.raises(requests.ConnectionError):
        requests.get(server.url + "a%20b.txt", timeout=10)


def test_fault_server_is_quiet_about_clients_resetting(faulty: FaultServer, capfd: pytest.CaptureFixture[str]) -> None:
    with socket.create_connection(address(faulty.url), timeout=10) as s:
        get_hello(s)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # close = reset
    deadline = time.monotonic() + 10
    while faulty._open and time.monotonic() < deadline:  # the handler waiting for a next request meets the reset
        time.sleep(0.01)
    assert not faulty._open
    assert capfd.readouterr().err == ""


# FaultServer: faults.


def test_cut_sends_part_then_hangs_up_once(faulty: FaultServer, capfd: pytest.CaptureFixture[str]) -> None:
    faulty.cut("sub/*.bin", 0.25)
    assert requests.get(faulty.url + "a%20b.txt", timeout=10).content == b"hello\n"  # the glob does not match
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        requests.get(faulty.url + "sub/data.bin", timeout=10)
    assert requests.get(faulty.url + "sub/data.bin", timeout=10).content == DATA  # times=1: used up
    assert [hit.body_bytes_sent for hit in faulty.wait_for(3)] == [6, len(DATA) // 4, len(DATA)]
    assert faulty.body_bytes_total() == 6 + len(DATA) // 4 + len(DATA)
    faulty.clear()
    assert faulty.requests == [] and faulty.body_bytes_total() == 0
    assert capfd.readouterr().err == ""


def test_drip_delivers_slowly_and_stops_quietly(faulty: FaultServer, capfd: pytest.CaptureFixture[str]) -> None:
    faulty.drip("sub/data.bin", 40_000, times=1)
    assert requests.get(faulty.url + "sub/data.bin", timeout=10).content == DATA
    faulty.drip("sub/data.bin", 1_000)  # 16 s for the whole file
    with requests.get(faulty.url + "sub/data.bin", stream=True, timeout=10) as r:
        assert r.raw.read(10) == DATA[:10]
    hits = faulty.wait_for(2)
    assert hits[0].body_bytes_sent == len(DATA)
    assert 10 <= hits[1].body_bytes_sent < len(DATA) // 2  # it stopped when the client hung up
    assert capfd.readouterr().err == ""


def test_stall_sends_headers_then_nothing(root: Path) -> None:
    with FaultServer(root) as server:
        server.stall("sub/data.bin", 0.1)
        r = requests.get(server.url + "sub/data.bin", stream=True, timeout=10)
        assert r.headers["Content-Length"] == str(len(DATA))
        with pytest.raises(requests.exceptions.ChunkedEncodingError):
            r.content  # noqa: B018
        server.stall("sub/data.bin", 600)
        with pytest.raises(requests.exceptions.ConnectionError):  # the read timeout
            requests.get(server.url + "sub/data.bin", timeout=(10, 0.3))
    # Leaving the server ended the long stall at once.
    assert server.wait_for(2) == [Hit("sub/data.bin", None, 200, 0)] * 2


def test_wrong_length_announces_more_than_it_sends(faulty: FaultServer) -> None:
    faulty.wrong_length("*.txt", 10)
    r = requests.get(faulty.url + "a%20b.txt", stream=True, timeout=10)
    assert r.headers["Content-Length"] == "16"
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        r.content  # noqa: B018
    assert requests.get(faulty.url + "a%20b.txt", timeout=10).headers["Content-Length"] == "6"


def test_replace_serves_other_bytes_ranges_included(faulty: FaultServer) -> None:
    big = b"x" * 99_990 + b"0123456789"
    faulty.replace("sub/data.bin", big)
    faulty.replace("ghost.bin", b"boo")
    for _ in range(2):  # times=None: for good
        assert requests.get(faulty.url + "sub/data.bin", timeout=10).content == big
    assert requests.head(faulty.url + "sub/data.bin", timeout=10).headers["Content-Length"] == str(len(big))
    tail = requests.get(faulty.url + "sub/data.bin", headers={"Range": "bytes=99990-"}, timeout=10)
    assert (tail.status_code, tail.content) == (206, b"0123456789")
    assert requests.get(faulty.url + "ghost.bin", timeout=10).content == b"boo"


def test_status_answers_with_the_code_given_times(faulty: FaultServer) -> None:
    faulty.status("sub/*", 503, times=2)
    codes = [requests.get(faulty.url + "sub/data.bin", timeout=10).status_code for _ in range(3)]
    assert codes == [503, 503, 200]
    assert [hit.status for hit in faulty.wait_for(3)] == codes


def test_refuse_closes_new_connections_until_accept(faulty: FaultServer) -> None:
    faulty.refuse()
    with pytest.raises(requests.ConnectionError):
        requests.get(faulty.url + "a%20b.txt", timeout=10)
    with socket.create_connection(address(faulty.url), timeout=10) as s:
        s.sendall(b"GET /a%20b.txt HTTP/1.1\r\nHost: x\r\n\r\n")
        assert recv_or_reset(s) == b""  # closed, unanswered
    faulty.accept()
    assert requests.get(faulty.url + "a%20b.txt", timeout=10).content == b"hello\n"
    assert faulty.wait_for(1) == [Hit("a b.txt", None, 200, 6)]


def test_log_line_is_frozen() -> None:
    line = LogLine("a", 200, 10, 5, None)
    with pytest.raises(AttributeError):
        line.status = 404  # type: ignore[misc]
