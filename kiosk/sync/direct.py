"""The blob downloads' HTTP: http.client connections kept alive per thread and origin, for servers reached directly.

A first sync makes a request per file, a thousand of them for a large pack, and from a server nearby the work done
in Python around each request sets the pace: urllib3's general machinery (pool queues, retries, timeouts, header
containers, a liveness poll) costs about a quarter of a millisecond a request here, a third of the download's time.
:class:`HttpFetcher <kiosk.sync.fetch.HttpFetcher>` therefore sends the blob requests it can on plain
``http.client`` connections (one per thread and origin, kept alive) and keeps urllib3 for the rest: metadata,
proxies, redirects and servers that compress anyway. What a blob answer is read for (length, hash, resumption,
speed floor, cap) is the same on both; this module only opens, reuses and closes connections.
"""

from __future__ import annotations

import http.client
import ssl
import threading
from contextlib import suppress

Connection = http.client.HTTPConnection


class Connections:
    """Each thread's kept-alive connections, one per ``(scheme, host, port)``."""

    def __init__(self, timeout_s: float, ca_certs: str) -> None:
        self.timeout_s = timeout_s
        self._ca_certs = ca_certs
        self._tls: ssl.SSLContext | None = None
        self._local = threading.local()
        self._lock = threading.Lock()
        self._all: list[Connection] = []

    def get(self, scheme: str, host: str, port: int) -> tuple[Connection, bool]:
        """This thread's connection to the origin, and whether it has carried a request before (and so may have
        been closed by the server since: one failed request on it is worth repeating on a new one)."""
        mine: dict[tuple[str, str, int], Connection] | None = getattr(self._local, "connections", None)
        if mine is None:
            mine = self._local.connections = {}
        conn = mine.get((scheme, host, port))
        if conn is not None:
            return conn, conn.sock is not None
        if scheme == "https":
            conn = http.client.HTTPSConnection(host, port, timeout=self.timeout_s, context=self._context())
        else:
            conn = http.client.HTTPConnection(host, port, timeout=self.timeout_s)
        mine[(scheme, host, port)] = conn
        with self._lock:
            self._all.append(conn)
        return conn, False

    def _context(self) -> ssl.SSLContext:
        if self._tls is None:  # certificates checked as urllib3 checks them for the other requests
            self._tls = ssl.create_default_context(cafile=self._ca_certs)
        return self._tls

    def close(self) -> None:
        with self._lock:
            connections, self._all = self._all, []
        for conn in connections:
            with suppress(OSError):
                conn.close()


class Answer:
    """An ``http.client`` answer, read as :class:`~kiosk.sync.fetch.HttpFetcher` reads urllib3's: ``read1`` (what
    has arrived) and ``close``. Its connection carries the next request only if the body was read to its end."""

    def __init__(self, conn: Connection, response: http.client.HTTPResponse) -> None:
        self._conn = conn
        self._response = response
        self.status = response.status
        self.headers = response.headers

    def read1(self, amt: int, decode_content: bool = False) -> bytes:
        if decode_content:
            raise ValueError("encoded answers are read through urllib3")
        data = self._response.read1(amt)
        if self._response.length == 0:  # the whole body: the answer is done, the connection free for the next
            self._response.close()
        elif not data and amt:  # the server hung up before the end
            self._conn.close()
        return data

    def close(self) -> None:
        if not self._response.isclosed():  # unread body bytes would be taken for the next answer
            self._response.close()
            self._conn.close()


def default_port(scheme: str) -> int:
    return 443 if scheme == "https" else 80


__all__ = ["Answer", "Connection", "Connections", "default_port"]
