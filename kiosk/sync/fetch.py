"""HTTP for the kiosk side, behind python-tuf's ``FetcherInterface`` (the one network edge of sync).

:class:`HttpFetcher` uses ``requests`` with a connect/read timeout, a floor on the transfer speed (a server that
drips bytes is as useless as one that is down), an optional bandwidth cap shared by every transfer, and
resumption: a connection cut mid-file is picked up with an HTTP ``Range`` request, and :meth:`download_to`
continues a ``.part`` file left by an earlier run, even one that was killed. Every failure leaves as one of
python-tuf's download errors (``DownloadError``, ``DownloadHTTPError``, ``SlowRetrievalError``,
``DownloadLengthMismatchError``); the client turns those into :class:`~kiosk.sync.errors.SyncOffline`.
"""

from __future__ import annotations

import hashlib
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests
import urllib3
from tuf.api import exceptions
from tuf.ngclient.fetcher import FetcherInterface

import kiosk

CHUNK = 256 * 1024


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
    """``requests`` behind ``FetcherInterface``, with timeouts, a speed floor, a cap and resumption."""

    def __init__(self, settings: NetSettings | None = None) -> None:
        self.settings = settings or NetSettings()
        self.session = requests.Session()
        self.session.headers["User-Agent"] = f"Docent-kiosk/{kiosk.__version__}"
        self.session.headers["Accept-Encoding"] = "identity"  # byte ranges and signed lengths of the bytes as stored
        # Without proxy variables, skip requests' per-request look through the environment (~0.5 ms a request);
        # with them, keep it: it also honours no_proxy.
        if not urllib.request.getproxies():
            self.session.trust_env = False
        self.limiter = _Limiter(self.settings.max_bytes_per_s)
        self.received = 0
        """Body bytes received over the network by this fetcher (metadata and files)."""
        self.on_bytes: Callable[[int], None] | None = None
        self.requests = 0
        """HTTP requests sent (each one a line in the server's access log)."""

    def close(self) -> None:
        self.session.close()

    # -- FetcherInterface: metadata and small files ----------------------------------------------------------

    def _fetch(self, url: str) -> Iterator[bytes]:
        response = self._get(url, 0)
        return self._resuming(url, response)

    def _resuming(self, url: str, response: requests.Response) -> Iterator[bytes]:
        offset = 0
        tries = 0
        while True:
            try:
                for chunk in self._body(response):
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
                if response.status_code == 200:  # the server ignored Range: skip what we already have
                    response = _skip(response, offset)

    # -- files: resumable into a .part file ------------------------------------------------------------------

    def download_to(self, url: str, part: Path, length: int) -> str:
        """Fetch ``url`` into ``part``, continuing what is already there; at most ``length`` bytes. Returns the
        SHA-256 of the whole file, hashed while writing (the bytes are not read back).

        Raises ``DownloadLengthMismatchError`` when the server sends more than ``length`` (the endless-data
        defence), and the other download errors when the network fails after ``resume_tries`` resumptions.
        """
        part.parent.mkdir(parents=True, exist_ok=True)
        tries = 0
        while True:
            have = part.stat().st_size if part.exists() else 0
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
        response = self._get(url, have)
        if response.status_code == 416:  # nothing left past what we hold: the .part is complete or stale
            response.close()
            if have == length:
                return digest
            part.unlink(missing_ok=True)
            raise exceptions.DownloadError(f"the server refused to resume {url} at byte {have}")
        if response.status_code == 200 and have:
            have = 0  # the server ignored Range: start again
            digest = hashlib.sha256()
        mode = "ab" if have else "wb"
        with part.open(mode) as out:
            for chunk in self._body(response):
                have += len(chunk)
                if have > length:
                    response.close()
                    raise exceptions.DownloadLengthMismatchError(
                        f"{url} is longer than its signed length ({length} bytes); it was discarded"
                    )
                out.write(chunk)
                digest.update(chunk)
            out.flush()
        if have < length:
            raise exceptions.DownloadError(f"{url} ended after {have} of {length} bytes")
        return digest

    # -- shared ----------------------------------------------------------------------------------------------

    def _get(self, url: str, offset: int) -> requests.Response:
        headers = {"Range": f"bytes={offset}-"} if offset else {}
        timeout = (self.settings.timeout_s, self.settings.timeout_s)
        self.requests += 1
        try:
            response = self.session.get(url, stream=True, timeout=timeout, headers=headers)
        except requests.exceptions.Timeout as err:
            raise exceptions.SlowRetrievalError(f"no answer from {url} within {self.settings.timeout_s:g} s") from err
        except requests.exceptions.RequestException as err:
            raise exceptions.DownloadError(f"cannot reach {url}: {reason(err)}") from err
        if response.status_code >= 400 and response.status_code != 416:
            response.close()
            raise exceptions.DownloadHTTPError(f"{url}: HTTP {response.status_code}", response.status_code)
        return response

    def _body(self, response: requests.Response) -> Iterator[bytes]:
        window_start = time.monotonic()
        window_bytes = 0
        raw = response.raw
        try:
            while chunk := raw.read1(CHUNK, decode_content=True):
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
                            f"{response.url} arrives at {window_bytes / elapsed:.0f} bytes/s, "
                            f"below the {self.settings.min_bytes_per_s} bytes/s floor"
                        )
                    window_start, window_bytes = time.monotonic(), 0
                yield chunk
        except (requests.exceptions.Timeout, urllib3.exceptions.ReadTimeoutError) as err:
            raise exceptions.SlowRetrievalError(f"{response.url} stalled: {reason(err)}") from err
        except (requests.exceptions.RequestException, urllib3.exceptions.HTTPError, OSError) as err:
            raise exceptions.DownloadError(f"{response.url} was cut off: {reason(err)}") from err
        finally:
            response.close()

    @staticmethod
    def _pause(tries: int) -> None:
        time.sleep(min(0.2 * 2 ** (tries - 1), 2.0))


def _skip(response: requests.Response, offset: int) -> requests.Response:
    """Consume ``offset`` bytes of a full (200) answer so the body continues where a cut one stopped."""
    left = offset
    raw = response.raw
    while left > 0:
        data = raw.read(min(left, CHUNK), decode_content=True)
        if not data:
            break
        left -= len(data)
    return response


def _hash_file(path: Path) -> Any:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest


def reason(err: BaseException) -> str:
    """The innermost cause of a requests error, in a few words (not urllib3's nested repr)."""
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
