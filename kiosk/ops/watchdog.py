"""systemd's service notifications (the ``sd_notify`` protocol), written directly: no library, a few datagrams.

A ``Type=notify`` service gets ``NOTIFY_SOCKET``: a unix datagram socket, a path or (starting with ``@``) an
abstract name. Each message is newline-separated ``KEY=value`` lines in one datagram:

  READY=1       start-up is done (the kiosk sends it when the attract screen is interactive)
  STATUS=...    one line ``systemctl status`` shows
  WATCHDOG=1    "still alive"; with ``WatchdogSec=`` systemd sets ``WATCHDOG_USEC`` and restarts the service when
                no ping arrives within it. ``WATCHDOG_PID``, when set, names the process the watchdog is meant for;
                any other process leaves it alone.
  STOPPING=1    shutting down on purpose

Without ``NOTIFY_SOCKET`` (a desktop, Windows, tests) every call does nothing. A failure to send is logged once and
never raised: the kiosk goes on whatever happens to its supervisor.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Mapping, MutableMapping

log = logging.getLogger("kiosk.watchdog")

VARIABLES = ("NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID")


def socket_address(value: str | None) -> str | None:
    """The address to send to: an absolute path as is, ``@name`` as the abstract ``\\0name``; None otherwise."""
    if not value:
        return None
    if value.startswith("@"):
        return "\0" + value[1:]
    if value.startswith("/"):
        return value
    return None  # vsock: and other transports are not for a kiosk


def watchdog_interval(environ: Mapping[str, str], pid: int | None = None) -> float | None:
    """Seconds within which systemd expects ``WATCHDOG=1``, or None when no watchdog is meant for this process."""
    usec = environ.get("WATCHDOG_USEC", "")
    owner = environ.get("WATCHDOG_PID", "")
    if not usec.isdigit() or int(usec) == 0:
        return None
    if owner and (not owner.isdigit() or int(owner) != (os.getpid() if pid is None else pid)):
        return None
    return int(usec) / 1_000_000


class Notifier:
    """Sends notifications to the socket systemd named; does nothing without one. Safe from any thread."""

    def __init__(self, address: str | None, interval: float | None = None) -> None:
        self.address = address
        self.interval = interval if address else None
        """Seconds within which the watchdog expects a ping (ping at half of it); None: no watchdog."""
        self._socket: socket.socket | None = None
        self._lock = threading.Lock()
        self._failed = False

    @classmethod
    def from_environment(cls, environ: MutableMapping[str, str] | None = None, *, unset: bool = True) -> Notifier:
        """The notifier systemd's variables describe. ``unset`` removes them, so the kiosk's own child processes
        (speech, content sync) neither see them nor speak for the kiosk."""
        env = os.environ if environ is None else environ
        notifier = cls(socket_address(env.get("NOTIFY_SOCKET")), watchdog_interval(env))
        if env.get("NOTIFY_SOCKET") and notifier.address is None:
            log.warning("NOTIFY_SOCKET=%s is not a unix socket path or @name; not notifying", env["NOTIFY_SOCKET"])
        if unset:
            for name in VARIABLES:
                env.pop(name, None)
        return notifier

    @property
    def enabled(self) -> bool:
        return self.address is not None

    def notify(self, *lines: str) -> bool:
        """Send ``KEY=value`` lines as one message; True when it was sent."""
        if self.address is None or not lines:
            return False
        message = "\n".join(lines).encode("utf-8")
        with self._lock:
            try:
                if self._socket is None:
                    self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC)
                self._socket.sendto(message, self.address)
            except OSError as err:
                if not self._failed:
                    log.warning("could not notify systemd at %r: %s", self.address.replace("\0", "@"), err)
                    self._failed = True
                return False
        return True

    def ready(self, status: str | None = None) -> bool:
        return self.notify("READY=1", *([f"STATUS={_line(status)}"] if status else []))

    def status(self, text: str) -> bool:
        return self.notify(f"STATUS={_line(text)}")

    def ping(self) -> bool:
        """``WATCHDOG=1``, when a watchdog is meant for this process."""
        return self.interval is not None and self.notify("WATCHDOG=1")

    def stopping(self, status: str | None = None) -> bool:
        return self.notify("STOPPING=1", *([f"STATUS={_line(status)}"] if status else []))

    def close(self) -> None:
        with self._lock:
            if self._socket is not None:
                self._socket.close()
                self._socket = None


def _line(text: str) -> str:
    return " ".join(text.split())


__all__ = ["VARIABLES", "Notifier", "socket_address", "watchdog_interval"]
