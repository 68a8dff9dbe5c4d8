"""systemd notifications: the message writer on real sockets, and a real ``kiosk run`` reporting READY and pings."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.ops.watchdog import Notifier, socket_address, watchdog_interval

ROOT = Path(__file__).parent.parent

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="systemd notifications are Linux's")


def _listener(address: str) -> socket.socket:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(address)
    sock.settimeout(5)
    return sock


@pytest.fixture
def path_socket(tmp_path: Path) -> Iterator[tuple[str, socket.socket]]:
    path = str(tmp_path / "notify.sock")
    sock = _listener(path)
    yield path, sock
    sock.close()


def _drain(sock: socket.socket) -> list[str]:
    sock.setblocking(False)
    messages = []
    while True:
        try:
            messages.append(sock.recv(4096).decode("utf-8"))
        except BlockingIOError:
            return messages


def test_messages_reach_a_path_socket(path_socket: tuple[str, socket.socket]) -> None:
    path, sock = path_socket
    notifier = Notifier(socket_address(path), 30.0)
    assert notifier.ready("attract screen interactive")
    assert sock.recv(4096) == b"READY=1\nSTATUS=attract screen interactive"
    assert notifier.ping()
    assert sock.recv(4096) == b"WATCHDOG=1"
    assert notifier.status("a visitor\nis here")
    assert sock.recv(4096) == b"STATUS=a visitor is here"
    assert notifier.stopping()
    assert sock.recv(4096) == b"STOPPING=1"
    notifier.close()


def test_messages_reach_an_abstract_socket() -> None:
    name = f"docent-test-{uuid.uuid4().hex}"
    sock = _listener("\0" + name)
    try:
        notifier = Notifier.from_environment({"NOTIFY_SOCKET": f"@{name}"})
        assert notifier.address == "\0" + name
        assert notifier.ready()
        assert sock.recv(4096) == b"READY=1"
        assert not notifier.ping()  # no WATCHDOG_USEC: no watchdog, no pings
        notifier.close()
    finally:
        sock.close()


def test_without_notify_socket_nothing_is_sent() -> None:
    notifier = Notifier.from_environment({})
    assert not notifier.enabled
    assert not notifier.ready()
    assert not notifier.ping()
    assert not notifier.stopping()


def test_a_missing_socket_is_not_an_error(tmp_path: Path) -> None:
    notifier = Notifier(str(tmp_path / "gone.sock"), 10.0)
    assert not notifier.ready()
    assert not notifier.ping()


def test_the_variables_are_read_and_removed() -> None:
    env = {"NOTIFY_SOCKET": "/run/systemd/notify", "WATCHDOG_USEC": "30000000", "WATCHDOG_PID": str(os.getpid())}
    notifier = Notifier.from_environment(env)
    assert (notifier.address, notifier.interval) == ("/run/systemd/notify", 30.0)
    assert env == {}  # children (the speech worker, content sync) do not inherit them


def test_watchdog_pid_and_usec_are_honoured() -> None:
    assert watchdog_interval({"WATCHDOG_USEC": "30000000"}) == 30.0
    assert watchdog_interval({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "1234"}, pid=1234) == 30.0
    assert watchdog_interval({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "1234"}, pid=99) is None
    assert watchdog_interval({"WATCHDOG_USEC": "0"}) is None
    assert watchdog_interval({"WATCHDOG_USEC": "soon"}) is None
    assert watchdog_interval({}) is None
    assert Notifier(None, 30.0).interval is None  # a watchdog without a socket cannot be pinged
    assert socket_address("vsock:2:1234") is None
    assert socket_address("relative/path") is None


def test_kiosk_run_reports_ready_then_watchdog_pings(path_socket: tuple[str, socket.socket], tmp_path: Path) -> None:
    path, sock = path_socket
    home = tmp_path / "home"
    env = dict(
        os.environ,
        DOCENT_HOME=str(home),
        QT_QPA_PLATFORM="offscreen",
        NOTIFY_SOCKET=path,
        WATCHDOG_USEC="1000000",  # pings every 0.5 s
    )
    done = subprocess.run(
        [sys.executable, "-m", "kiosk", "run", "--exit-after", "3"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "attract screen interactive" in done.stderr
    messages = _drain(sock)
    ready = [i for i, m in enumerate(messages) if m.startswith("READY=1")]
    pings = [i for i, m in enumerate(messages) if m == "WATCHDOG=1"]
    assert len(ready) == 1, messages
    assert "STATUS=attract screen interactive" in messages[ready[0]]
    assert len([i for i in pings if i > ready[0]]) >= 3, messages  # 3 s of event loop at one ping per 0.5 s
    assert messages[-1].startswith("STOPPING=1"), messages
