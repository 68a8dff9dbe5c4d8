"""Real HTTP servers on 127.0.0.1 for the content-sync tests: Debian's nginx, and a Python server with faults.

Both record what they served. A path in a record is the URL path, percent-decoded, without the leading slash
(``"exhibits/a.json"``): the form the fault patterns of :class:`FaultServer` match against.
"""

from __future__ import annotations

import fnmatch
import gzip
import http.server
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

NGINX_FALLBACK = Path("/usr/sbin/nginx")
NGINX_MISSING = "nginx is not installed; `apt-get install nginx` (packaging/dev.sh test installs it)"
# Tab-separated, the request URI last (as the client sent it, percent-encoded); escape=none logs nothing as "".
LOG_FORMAT = "$status\t$bytes_sent\t$body_bytes_sent\t$http_range\t$request_uri"


def url_path(target: str) -> str:
    """A request target (``/a%20b.txt?x=1``) in the form records use (``a b.txt``)."""
    return unquote(urlsplit(target).path).lstrip("/")


def find_nginx() -> Path:
    found = shutil.which("nginx") or (str(NGINX_FALLBACK) if os.access(NGINX_FALLBACK, os.X_OK) else None)
    if found is None:
        raise RuntimeError(NGINX_MISSING)
    return Path(found)


@dataclass(frozen=True)
class LogLine:
    """One line of nginx's access log. ``bytes_sent`` counts the headers too, ``body_bytes`` only the body."""

    path: str
    status: int
    bytes_sent: int
    body_bytes: int
    range: str | None


TEMPS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")


def nginx_config(root: Path, workdir: Path, port: int) -> str:
    def q(path: Path) -> str:
        return '"' + str(path).replace("\\", "\\\\").replace('"', '\\"') + '"'

    # Started as root, nginx's workers would become `nobody`, who cannot read pytest's 0700 tmp dirs.
    user = "user root;\n" if os.geteuid() == 0 else ""
    temps = "".join(f"    {name}_temp_path {q(workdir / name)};\n" for name in TEMPS)
    return f"""{user}daemon off;
worker_processes 1;
pid {q(workdir / "nginx.pid")};
error_log {q(workdir / "error.log")} notice;
events {{ worker_connections 128; }}
http {{
    default_type application/octet-stream;
    log_format sync escape=none "{LOG_FORMAT}";
    access_log {q(workdir / "access.log")} sync;
{temps}    sendfile on;
    server {{
        listen 127.0.0.1:{port};
        root {q(root.resolve())};
        autoindex off;
    }}
}}
"""


class Nginx:
    """A running nginx (see :func:`nginx_serving`): started here, listening once this returns."""

    def __init__(self, binary: Path, root: Path, workdir: Path, deadline_s: float = 10.0) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = int(s.getsockname()[1])
        self.url = f"http://127.0.0.1:{self.port}/"
        self.access_log, self.error_log = workdir / "access.log", workdir / "error.log"
        conf, stderr_log = workdir / "nginx.conf", workdir / "stderr.log"
        conf.write_text(nginx_config(root, workdir, self.port))
        self.error_log.write_bytes(b"")
        self.access_log.write_bytes(b"")
        cmd = [str(binary), "-p", str(workdir), "-c", str(conf), "-e", str(self.error_log)]
        with stderr_log.open("wb") as stderr:
            self.process = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=stderr, stderr=stderr)
        deadline = time.monotonic() + deadline_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                log = self.error_log.read_text(errors="replace") + stderr_log.read_text(errors="replace")
                raise RuntimeError(f"nginx exited ({self.process.returncode}), port {self.port}:\n{log}")
            with suppress(OSError):
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return
            time.sleep(0.02)
        self.stop()
        raise RuntimeError(f"nginx did not listen on port {self.port} in {deadline_s} s:\n{self.error_log.read_text()}")

    def requests(self, wait_for: int = 0, timeout: float = 5.0) -> list[LogLine]:
        """The access log, once it holds ``wait_for`` lines (or ``timeout`` passed): a client can be a moment ahead."""
        deadline = time.monotonic() + timeout
        while True:  # [:-1]: what follows the last newline, a line nginx has not finished (or nothing)
            raws = self.access_log.read_bytes().decode("utf-8", "replace").split("\n")[:-1]
            if len(raws) >= wait_for or time.monotonic() > deadline:
                break
            time.sleep(0.01)
        lines = []
        for raw in raws:
            status, sent, body, rng, uri = raw.split("\t")
            lines.append(LogLine(url_path(uri), int(status), int(sent), int(body), rng or None))
        return lines

    def body_bytes_total(self, wait_for: int = 0) -> int:
        return sum(line.body_bytes for line in self.requests(wait_for))

    def clear_log(self) -> None:
        """Empty the access log (nginx appends to it, so its next line starts it afresh)."""
        with self.access_log.open("r+b") as f:
            f.truncate(0)

    def stop(self, timeout: float = 5.0) -> None:
        for sig in (signal.SIGQUIT, signal.SIGTERM, signal.SIGKILL):  # graceful, then fast, then for sure
            if self.process.poll() is None:
                self.process.send_signal(sig)
                with suppress(subprocess.TimeoutExpired):
                    self.process.wait(timeout)


@contextmanager
def nginx_serving(root: Path, workdir: Path, attempts: int = 5) -> Iterator[Nginx]:
    """nginx serving the files under ``root`` (static files, ranges, no listings); its config and logs in
    ``workdir``. Fails (RuntimeError) where nginx is not installed."""
    binary = find_nginx()
    workdir.mkdir(parents=True, exist_ok=True)
    for attempt in range(1, attempts + 1):
        try:
            server = Nginx(binary, root, workdir)
            break
        except RuntimeError as e:  # someone took the free port before nginx bound it: another one
            if "Address already in use" not in str(e) or attempt == attempts:
                raise
    try:
        yield server
    finally:
        server.stop()


@dataclass(frozen=True)
class Hit:
    """One request :class:`FaultServer` answered; ``body_bytes_sent`` is what actually went out."""

    path: str
    range: str | None
    status: int
    body_bytes_sent: int


@dataclass
class Fault:
    kind: str  # "replace" (content) or one of "cut", "drip", "stall", "wrong_length", "status" (delivery)
    pattern: str
    times: int | None  # how many more matching requests it affects; None: all of them
    value: float = 0.0
    body: bytes = b""


BODY_FAULTS = {"cut", "drip", "stall", "wrong_length", "hang_up"}  # only GET meets these; "status", "replace" HEAD too
RANGE = re.compile(r"bytes=(\d*)-(\d*)")
PIECE = 64 * 1024


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    owner: FaultServer

    def verify_request(self, request: Any, client_address: Any) -> bool:
        with self.owner._lock:
            self.owner.connections += 1
            self.owner._open.add(request)
        return not self.owner._refused  # False: closed unanswered

    def shutdown_request(self, request: Any) -> None:
        with self.owner._lock:
            self.owner._open.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], OSError):  # clients hanging up are what these tests are about
            super().handle_error(request, client_address)


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        owner, head = self.server.owner, self.command == "HEAD"
        path, rng = url_path(self.path), self.headers.get("Range")
        replace, fault = owner._take(path, self.command)
        kind, value = (fault.kind, fault.value) if fault else ("", 0.0)
        if kind == "status":
            return self.simple(path, rng, int(value), head)
        if kind == "redirect":
            return self.simple(path, rng, 302, head, location=quote(f"/{path}") + "?moved")
        if replace:
            data = replace.body
        else:
            root = owner.root.resolve()
            file = (root / path).resolve()
            if not file.is_relative_to(root):
                return self.simple(path, rng, 403, head)
            if not file.is_file():
                return self.simple(path, rng, 404, head)
            data = file.read_bytes()
        if kind == "gzip":  # the whole file compressed, whatever was asked (ranges of it ignored)
            data, rng = gzip.compress(data, mtime=0), None
        status, start, end = 200, 0, len(data)
        match = RANGE.fullmatch(rng.strip()) if rng else None
        first, last = (match[1], match[2]) if match else ("", "")
        if (first or last) and not (first and last and int(last) < int(first)):  # else ignored, as RFC 9110 allows
            start = int(first) if first else max(0, len(data) - int(last))  # bytes=-N: the last N bytes
            end = min(len(data), int(last) + 1) if first and last else len(data)
            if start >= end:
                return self.simple(path, rng, 416, head, f"bytes */{len(data)}")
            status = 206
        body = data[start:end]
        self.send_response(status)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Accept-Ranges", "bytes")
        if kind == "gzip":
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body) + (int(value) if kind == "wrong_length" else 0)))
        if status == 206:
            self.send_header("Content-Range", f"bytes {start}-{end - 1}/{len(data)}")
        self.end_headers()
        if head:
            return owner._record(Hit(path, rng, status, 0))
        if kind == "cut":
            body = body[: int(value * len(body))]
        sent = 0
        try:
            if kind == "stall":
                owner._stop.wait(value)
                body = b""
            step = max(1, int(value / 20)) if kind == "drip" else PIECE  # drip: 20 pieces a second
            while sent < len(body) and not owner._stop.is_set():
                sent += self.wfile.write(body[sent : sent + step]) or 0
                if kind == "drip":
                    owner._stop.wait(step / value)
        except OSError:
            kind = "cut"  # the client hung up
        owner._record(Hit(path, rng, status, sent))
        if kind in BODY_FAULTS:
            self.close_connection = True
            with suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)

    do_HEAD = do_GET

    def simple(
        self, path: str, rng: str | None, code: int, head: bool, content_range: str = "", location: str = ""
    ) -> None:
        body = f"{code} {self.responses.get(code, ('',))[0]}\n".encode()
        self.send_response(code)
        if content_range:
            self.send_header("Content-Range", content_range)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)
        self.server.owner._record(Hit(path, rng, code, 0 if head else len(body)))


class FaultServer:
    """A threaded HTTP/1.1 server (keep-alive, single ranges) of the files under ``root``, with faults to order.

    A fault applies to the requests whose path matches its fnmatch glob, ``times`` of them (None: all). A request
    meets at most one ``replace`` and one other fault: for each, the first set that matches and has uses left.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.connections = 0  # accepted, the refused included
        self._lock = threading.Lock()
        self._hits: list[Hit] = []
        self._faults: list[Fault] = []
        self._refused = False
        self._open: set[socket.socket] = set()
        self._stop = threading.Event()
        self._server = _Server(("127.0.0.1", 0), _Handler)  # listening from here on; answering once entered
        self._server.owner = self
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/"
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    def __enter__(self) -> FaultServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()  # ends stalls and drips at once
        self._server.shutdown()
        self._server.server_close()
        with self._lock:
            still_open = list(self._open)
        for conn in still_open:  # idle keep-alive connections: their threads end with them
            with suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        self._thread.join(10)

    def cut(self, pattern: str, fraction: float, times: int | None = 1) -> None:
        """The true Content-Length, then only ``int(fraction * length)`` bytes of the body, then hang up."""
        self._faults.append(Fault("cut", pattern, times, fraction))

    def drip(self, pattern: str, bytes_per_s: float, times: int | None = None) -> None:
        """The body in small pieces, at about ``bytes_per_s``."""
        self._faults.append(Fault("drip", pattern, times, bytes_per_s))

    def stall(self, pattern: str, seconds: float, times: int | None = 1) -> None:
        """The headers, then nothing for ``seconds``, then hang up."""
        self._faults.append(Fault("stall", pattern, times, seconds))

    def wrong_length(self, pattern: str, extra: int, times: int | None = 1) -> None:
        """A Content-Length ``extra`` bytes more than the body, the body, then hang up."""
        self._faults.append(Fault("wrong_length", pattern, times, extra))

    def hang_up(self, pattern: str, times: int | None = None) -> None:
        """The whole answer, kept-alive by its headers, then the connection closed (as a server closes idle ones)."""
        self._faults.append(Fault("hang_up", pattern, times))

    def redirect(self, pattern: str, times: int | None = 1) -> None:
        """``302 Found`` to the same path with ``?moved`` added (served as usual once the fault is used up)."""
        self._faults.append(Fault("redirect", pattern, times))

    def gzip(self, pattern: str, times: int | None = None) -> None:
        """The file gzip-compressed, with ``Content-Encoding: gzip``, though the client asked for identity (a
        misconfigured server or CDN)."""
        self._faults.append(Fault("gzip", pattern, times))

    def replace(self, pattern: str, body: bytes, times: int | None = None) -> None:
        """``body`` instead of the file's content (the file need not exist); ranges apply to ``body``."""
        self._faults.append(Fault("replace", pattern, times, body=bytes(body)))

    def status(self, pattern: str, code: int, times: int | None = 1) -> None:
        """HTTP status ``code`` and a short text body."""
        self._faults.append(Fault("status", pattern, times, code))

    def refuse(self) -> None:
        """Close each new connection at once, unanswered (open keep-alive connections still get answers)."""
        self._refused = True

    def accept(self) -> None:
        self._refused = False

    def _take(self, path: str, method: str) -> tuple[Fault | None, Fault | None]:
        """The ``replace`` and the other fault that one request meets, each use counted."""
        chosen: dict[bool, Fault] = {}
        with self._lock:
            for fault in self._faults:
                content = fault.kind == "replace"
                if content in chosen or fault.times == 0 or (method != "GET" and fault.kind in BODY_FAULTS):
                    continue
                if fnmatch.fnmatchcase(path, fault.pattern):
                    chosen[content] = fault
                    fault.times = None if fault.times is None else fault.times - 1
        return chosen.get(True), chosen.get(False)

    def _record(self, hit: Hit) -> None:
        with self._lock:
            self._hits.append(hit)

    @property
    def requests(self) -> list[Hit]:
        """The requests answered so far (a copy), oldest first."""
        with self._lock:
            return list(self._hits)

    def wait_for(self, count: int, timeout: float = 5.0) -> list[Hit]:
        """The record once it holds ``count`` requests (or ``timeout`` passed): a client can be a moment ahead."""
        deadline = time.monotonic() + timeout
        while len(hits := self.requests) < count and time.monotonic() < deadline:
            time.sleep(0.01)
        return hits

    def body_bytes_total(self) -> int:
        return sum(hit.body_bytes_sent for hit in self.requests)

    def clear(self) -> None:
        with self._lock:
            self._hits.clear()
