"""The ``sync:`` section of ``kiosk.yaml``: where the kiosk gets its content, how often, and within what limits.

::

    sync:
      server: https://content.example-museum.org/docent/   # the published repository (http or https)
      pack: capital-heritage-hall                           # the venue's pack id
      every_minutes: 60       # how often to check (a failed check is retried sooner, backing off)
      max_kbps: 0             # bandwidth cap in kilobytes per second; 0 = none
      max_disk_mb: 4096       # the most downloaded content may take on disk
      keep_free_mb: 500       # never fill the disk past this much free space
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kiosk.content.problems import Problem, did_you_mean
from kiosk.content.yamlsrc import Y, describe

if TYPE_CHECKING:
    from kiosk.sync.client import Limits
    from kiosk.sync.fetch import NetSettings

SYNC_KEYS = ("server", "pack", "every_minutes", "max_kbps", "max_disk_mb", "keep_free_mb")
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
_RANGES = {
    "every_minutes": (5, 10080, "minutes"),
    "max_kbps": (0, 10_000_000, "kilobytes per second"),
    "max_disk_mb": (50, 10_000_000, "megabytes"),
    "keep_free_mb": (0, 1_000_000, "megabytes"),
}


@dataclass(frozen=True)
class SyncSettings:
    server: str
    pack: str | None = None
    every_minutes: int = 60
    max_kbps: int = 0
    max_disk_mb: int | None = None
    keep_free_mb: int = 500

    def net(self) -> NetSettings:
        from kiosk.sync.fetch import NetSettings

        return NetSettings(max_bytes_per_s=self.max_kbps * 1000 or None)

    def limits(self) -> Limits:
        from kiosk.sync.client import Limits

        disk = self.max_disk_mb * 1_000_000 if self.max_disk_mb else None
        return Limits(max_disk_bytes=disk, keep_free_bytes=self.keep_free_mb * 1_000_000)


def read_sync(y: Y, file: str, problems: list[Problem]) -> SyncSettings | None:
    """The ``sync:`` map of kiosk.yaml; every mistake goes into ``problems`` (file, line, field)."""

    def error(line: int, key: str, message: str, code: str = "invalid") -> None:
        problems.append(Problem(file, line, f"sync.{key}" if key else "sync", message, code=code))

    if y.value is None:
        return None
    if not y.is_map:
        error(y.line, "", f"sync must be a map of settings (server, pack, ...), not {describe(y)}", "wrong-type")
        return None
    values: dict[str, Y] = y.value
    before = len(problems)
    for key in values:
        if key not in SYNC_KEYS:
            hint = did_you_mean(key, SYNC_KEYS)
            error(
                y.key_lines.get(key, y.line), key, f"unknown sync setting '{key}'.{hint} Valid: {', '.join(SYNC_KEYS)}"
            )
    server = values.get("server")
    url = server.value.strip() if server is not None and isinstance(server.value, str) else None
    if server is None:
        error(y.line, "server", "sync needs a server: the address the repository is published at", "missing")
    elif url is None or not _URL.match(url):
        error(server.line, "server", f"server must be an http:// or https:// address, not {describe(server)}")
    pack_y = values.get("pack")
    pack = None
    if pack_y is not None and pack_y.value is not None:
        if isinstance(pack_y.value, str) and _ID.match(pack_y.value.strip()):
            pack = pack_y.value.strip()
        else:
            error(pack_y.line, "pack", f"pack must be a pack id like 'city-museum', not {describe(pack_y)}")
    numbers: dict[str, int] = {}
    for key, (low, high, unit) in _RANGES.items():
        item = values.get(key)
        if item is None or item.value is None:
            continue
        if isinstance(item.value, bool) or not isinstance(item.value, int):
            error(item.line, key, f"{key} must be a whole number of {unit} from {low} to {high}, not {describe(item)}")
        elif not low <= item.value <= high:
            error(item.line, key, f"{key} must be from {low} to {high} {unit}, not {item.value}", "out-of-range")
        else:
            numbers[key] = item.value
    if len(problems) > before or url is None:
        return None
    return SyncSettings(
        server=url if url.endswith("/") else url + "/",
        pack=pack,
        every_minutes=numbers.get("every_minutes", 60),
        max_kbps=numbers.get("max_kbps", 0),
        max_disk_mb=numbers.get("max_disk_mb"),
        keep_free_mb=numbers.get("keep_free_mb", 500),
    )


__all__ = ["SYNC_KEYS", "SyncSettings", "read_sync"]
