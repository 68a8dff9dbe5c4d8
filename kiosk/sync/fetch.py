"""HTTP for the kiosk side, behind python-tuf's ``FetcherInterface`` (the one network edge of sync).

:class:`HttpFetcher` speaks HTTP through urllib3's connection pools (:mod:`kiosk.sync.routes`: direct or through
the environment's proxy) and, for the blobs of a server reached directly, on plain kept-alive ``http.client``
connections (:mod:`kiosk.sync.direct`: a first sync makes a thousand requests). It has a connect/read timeout, a
floor on the transfer speed (a server that drips bytes is as useless as one that is down), an optional bandwidth
cap shared by every transfer, and resumption: a connection cut mid-file is picked up with an HTTP ``Range``
request, and :meth:`download_to` continues a ``.part`` file left by an earlier run, even one that was killed.
Every failure leaves as one of python-tuf's download errors (``DownloadError``, ``DownloadHTTPError``,
``SlowRetrievalError``, ``DownloadLengthMismatchError``); the client turns those into
:class:`~kiosk.sync.errors.SyncOffline`."""

from __future__ import annotations

import errno
import hashlib
import http.client
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from io import FileIO
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import urllib3
from tuf.api import exceptions
from tuf.ngclient.fetcher import FetcherInterface
from urllib3.response import BaseHTTPResponse

import kiosk
from kiosk.sync.direct import Answer, Connection, Connections
from kiosk.sync.routes import Routes

CHUNK = 1024 * 1024
"""The most read at once: a whole image of most packs in one read, one write, one hash update."""
MAX_REDIRECTS = 30
"""As many as ``requests`` follows."""


@dataclass(frozen=True)
class NetSettings:
    timeout_s: float = 20.0
    """Connect timeout, and the longest silence allowed while reading."""
    min_bytes_per_s: int = 1024
    """Give up on a transfer slower than this over ``slow_window_s`` (a drip-feeding server)."""
    slow_window_s: float = 30.0
    max_bytes_per_s: int | None = None
    """A bandwidth cap for every transfer together; None is no cap."""
    resume_tries: int = 4
    """How many times one file is resumed after the connection drops, before the sync gives up for now."""


class _Limiter:
    """A bandwidth cap shared by every transfer: sleeps so the bytes so far never run ahead of the rate."""

    def __init__(self, rate: int | None) -> None:
        self.rate = rate
        self._lock = threading.Lock()
        self._start = time.monotonic()
        self._bytes = 0

    def spend(self, count: int) -> None:
        if not self.rate:
            return
        with self._lock:
            self._bytes += count
            due = self._start + self._bytes / self.rate
        delay = due - time.monotonic()
        if delay > 0:
            time.sleep(delay)


class HttpFetcher(FetcherInterface):
    """urllib3 behind ``FetcherInterface``, with timeouts, a speed floor, a cap and resumption."""

    def __init__(self, settings: NetSettings | None = None) -> None:
        self.settings = settings or NetSettings()
        headers = {
            "User-Agent": f"Docent-kiosk/{kiosk.__version__}",
            "Accept-Encoding": "identity",  # byte ranges and signed lengths of the bytes as stored
            "Accept": "*/*",
        }
        self._routes = Routes(headers)
        self._timeout = urllib3.Timeout(connect=self.settings.timeout_s, read=self.settings.timeout_s)
        self._direct = Connections(self.settings.timeout_s, self._routes.ca_certs)
        self._encoding: set[tuple[str, str, int]] = set()
        """Origins that compressed an answer though asked not to: their files go through urllib3, which decodes."""
        self.limiter = _Limiter(self.settings.max_bytes_per_s)
        self.received = 0
        """Body bytes received over the network by this fetcher (metadata and files)."""
        self.on_bytes: Callable[[int], None] | None = None
        self.requests = 0
        """HTTP requests sent (each one a line in the server's access log)."""

    def close(self) -> None:
        self._direct.close()
        self._routes.close()

    # -- FetcherInterface: metadata and small files ----------------------------------------------------------

    def _fetch(self, url: str) -> Iterator[bytes]:
        response = self._get(url, 0)
        return self._resuming(url, response)

    def _resuming(self, url: str, response: BaseHTTPResponse) -> Iterator[bytes]:
        offset = 0
        tries = 0
        while True:
            try:
                for chunk in self._body(url, response):
                    offset += len(chunk)
                    yield chunk
                return
            except exceptions.SlowRetrievalError:
                raise
            except exceptions.DownloadError:
                tries += 1
                if tries > self.settings.resume_tries or offset == 0:
                    raise
                self._pause(tries)
                response = self._get(url, offset)
                if response.status == 200:  # the server ignored Range: skip what we already have
                    response = _skip(response, offset)

    # -- files: resumable into a .part file ------------------------------------------------------------------

    def download_to(self, url: str, part: Path, length: int) -> str:
        """Fetch ``url`` into ``part``, continuing what is already there; at most ``length`` bytes. Returns the
        SHA-256 of the whole file, hashed while writing (the bytes are not read back).

        Raises ``DownloadLengthMismatchError`` when the server sends more than ``length`` (the endless-data
        defence), and the other download errors when the network fails after ``resume_tries`` resumptions.
        """
        tries = 0
        while True:
            have = _size(part)
            if have > length:
                part.unlink()
                have = 0
            digest = _hash_file(part) if have else hashlib.sha256()
            if have == length:
                return digest.hexdigest()
            try:
                return str(self._append(url, part, have, length, digest).hexdigest())
            except exceptions.DownloadLengthMismatchError:
                part.unlink(missing_ok=True)
                raise
            except exceptions.SlowRetrievalError:
                raise
            except exceptions.DownloadError:
                tries += 1
                if tries > self.settings.resume_tries:
                    raise
                self._pause(tries)

    def _append(self, url: str, part: Path, have: int, length: int, digest: Any) -> Any:
        """Append the rest of ``url`` to ``part``, hashing it into ``digest``; returns the digest of the file."""
        response = self._get_blob(url, have)
        if response.status == 416:  # nothing left past what we hold: the .part is complete or stale
            response.close()
            if have == length:
                return digest
            part.unlink(missing_ok=True)
            raise exceptions.DownloadError(f"the server refused to resume {url} at byte {have}")
        if response.status == 200 and have:
            have = 0  # the server ignored Range: start again
            digest = hashlib.sha256()
        with _open_part(part, append=have > 0) as out:
            for chunk in self._body(url, response, limit=length - have + 1):  # +1: a byte too many is seen
                have += len(chunk)
                if have > length:
                    response.close()
                    raise exceptions.DownloadLengthMismatchError(
                        f"{url} is longer than its signed length ({length} bytes); it was discarded"
                    )
                _write_all(out, chunk)
                digest.update(chunk)
        if have < length:
            raise exceptions.DownloadError(f"{url} ended after {have} of {length} bytes")
        return digest

    # -- shared ----------------------------------------------------------------------------------------------

    def _get(self, url: str, offset: int) -> BaseHTTPResponse:
        """The answer to a GET of ``url`` from byte ``offset`` on, redirects followed, its body not yet read."""
        headers = {**self._routes.headers, "Range": f"bytes={offset}-"} if offset else self._routes.headers
        for _hop in range(MAX_REDIRECTS + 1):
            response = self._send(url, headers)
            location = response.get_redirect_location()
            if not location:
                break
            response.drain_conn()
            response.release_conn()
            url = urljoin(url, location)
        else:
            raise exceptions.DownloadError(f"cannot reach {url}: more than {MAX_REDIRECTS} redirects")
        if response.status >= 400 and response.status != 416:
            response.close()
            raise exceptions.DownloadHTTPError(f"{url}: HTTP {response.status}", response.status)
        return response

    def _get_blob(self, url: str, offset: int) -> Answer | BaseHTTPResponse:
        """As :meth:`_get`, on this thread's own kept-alive connection when the server is reached directly."""
        route = self._routes.direct(url)
        if route is None or route[:3] in self._encoding:
            return self._get(url, offset)
        scheme, host, port, target = route
        headers = {**self._routes.headers, "Range": f"bytes={offset}-"} if offset else self._routes.headers
        conn, reused = self._direct.get(scheme, host, port)
        try:
            response = self._ask(url, conn, target, headers)
        except ConnectionError as err:
            if not reused:
                raise exceptions.DownloadError(f"cannot reach {url}: {reason(err)}") from err
            conn.close()  # the server closed the kept-alive connection meanwhile: once more, on a new one
            response = self._ask(url, conn, target, headers)
        encoding = response.headers.get("Content-Encoding", "identity").strip().lower()
        if response.status in (301, 302, 303, 307, 308) or encoding != "identity":
            response.close()
            conn.close()
            if encoding != "identity":
                self._encoding.add(route[:3])
            return self._get(url, offset)  # urllib3 follows the redirect, or decodes
        if response.status >= 400 and response.status != 416:
            response.close()
            conn.close()
            raise exceptions.DownloadHTTPError(f"{url}: HTTP {response.status}", response.status)
        return Answer(conn, response)

    def _ask(self, url: str, conn: Connection, target: str, headers: dict[str, str]) -> http.client.HTTPResponse:
        """Send a GET on ``conn`` and read the answer's head. A connection the server dropped leaves as
        ``ConnectionError`` (the caller may try a new one); the rest as the download errors ``_send`` raises."""
        self.requests += 1
        if conn.sock is None:
            try:
                conn.connect()
            except OSError as err:  # refused, no route, no name, timed out
                conn.close()
                raise exceptions.DownloadError(f"cannot reach {url}: {reason(err)}") from err
        try:
            conn.request("GET", target, headers=headers)
            return conn.getresponse()
        except ConnectionError:
            self.requests -= 1  # it never reached the server's log
            conn.close()
            raise
        except TimeoutError as err:
            conn.close()
            raise exceptions.SlowRetrievalError(f"no answer from {url} within {self.settings.timeout_s:g} s") from err
        except (OSError, http.client.HTTPException) as err:
            conn.close()
            raise exceptions.DownloadError(f"cannot reach {url}: {reason(err)}") from err

    def _send(self, url: str, headers: dict[str, str]) -> BaseHTTPResponse:
        self.requests += 1
        try:
            pool, target = self._routes.pool(url)
            return pool.urlopen(
                "GET",
                target,
                headers=headers,
                timeout=self._timeout,
                retries=False,  # no silent retries; resuming is ours
                redirect=False,  # followed in _get, each hop routed (proxy or not) on its own
                assert_same_host=False,
                preload_content=False,
                decode_content=True,
            )
        except urllib3.exceptions.NewConnectionError as err:  # refused, no route, no name (a ConnectTimeoutError too)
            raise exceptions.DownloadError(f"cannot reach {url}: {reason(err)}") from err
        except urllib3.exceptions.TimeoutError as err:
            raise exceptions.SlowRetrievalError(f"no answer from {url} within {self.settings.timeout_s:g} s") from err
        except (urllib3.exceptions.HTTPError, OSError, ValueError) as err:
            raise exceptions.DownloadError(f"cannot reach {url}: {reason(err)}") from err

    def _body(self, url: str, response: Answer | BaseHTTPResponse, limit: int | None = None) -> Iterator[bytes]:
        """The body of ``response`` as it arrives (at most ``limit`` bytes of it), metered: counted, capped and held
        to the speed floor."""
        window_start = time.monotonic()
        window_bytes = 0
        left = limit
        # Bytes as sent, unless the server encoded them anyway (we ask for identity): urllib3 then decodes through a
        # buffer, a copy of every byte that plain answers do without.
        decode = response.headers.get("Content-Encoding", "identity").strip().lower() != "identity"
        try:
            while chunk := response.read1(CHUNK if left is None else min(CHUNK, left), decode_content=decode):
                # read1: whatever has arrived, so the bytes before a cut are kept (read() would drop them).
                self.received += len(chunk)
                if self.on_bytes is not None:
                    self.on_bytes(len(chunk))
                self.limiter.spend(len(chunk))
                window_bytes += len(chunk)
                elapsed = time.monotonic() - window_start
                if elapsed >= self.settings.slow_window_s:
                    if window_bytes / elapsed < self.settings.min_bytes_per_s:
                        raise exceptions.SlowRetrievalError(
                            f"{url} arrives at {window_bytes / elapsed:.0f} bytes/s, "
                            f"below the {self.settings.min_bytes_per_s} bytes/s floor"
                        )
                    window_start, window_bytes = time.monotonic(), 0
                yield chunk
                if left is not None:
                    left -= len(chunk)
                    if not left:
                        break
        except (urllib3.exceptions.TimeoutError, TimeoutError) as err:
            raise exceptions.SlowRetrievalError(f"{url} stalled: {reason(err)}") from err
        except (urllib3.exceptions.HTTPError, http.client.HTTPException, OSError) as err:
            raise exceptions.DownloadError(f"{url} was cut off: {reason(err)}") from err
        finally:
            response.close()  # a connection read to the end is back in its pool already

    @staticmethod
    def _pause(tries: int) -> None:
        time.sleep(min(0.2 * 2 ** (tries - 1), 2.0))


def _skip(response: BaseHTTPResponse, offset: int) -> BaseHTTPResponse:
    """Consume ``offset`` bytes of a full (200) answer so the body continues where a cut one stopped."""
    left = offset
    while left > 0:
        data = response.read(min(left, CHUNK), decode_content=True)
        if not data:
            break
        left -= len(data)
    return response


def _open_part(part: Path, *, append: bool) -> FileIO:
    """``part`` opened to write, unbuffered: each chunk received goes to the file in one system call."""
    try:
        return FileIO(part, "ab" if append else "wb")
    except FileNotFoundError:  # the first download: make the folder (not checked for every file)
        part.parent.mkdir(parents=True, exist_ok=True)
        return FileIO(part, "ab" if append else "wb")


def _write_all(out: FileIO, data: bytes) -> None:
    """All of ``data`` to ``out`` (an unbuffered write may take part of it, and the rest follows)."""
    view = memoryview(data)
    while view:
        written = out.write(view)
        if not written:
            raise OSError(errno.EIO, f"{out.name!s} took none of {len(view)} bytes")
        view = view[written:]


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


def _hash_file(path: Path) -> Any:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest


def reason(err: BaseException) -> str:
    """The innermost cause of a network error, in a few words (not urllib3's nested repr)."""
    while err.__cause__ is not None or err.__context__ is not None:
        err = err.__cause__ or err.__context__  # type: ignore[assignment]
    text = str(err) or type(err).__name__
    if isinstance(err, ConnectionRefusedError) or "Connection refused" in text:
        return "connection refused (is the server running at that address?)"
    if "RemoteDisconnected" in type(err).__name__ or "without response" in text:
        return "the server closed the connection without answering"
    for marker in ("Name or service not known", "Temporary failure in name resolution", "No address associated"):
        if marker in text:
            return f"the server's name does not resolve ({marker.lower()}): check the address and the DNS"
    if "timed out" in text:
        return "timed out"
    return text if len(text) < 160 else text[:157] + "..."


__all__ = ["CHUNK", "HttpFetcher", "NetSettings", "reason"]
