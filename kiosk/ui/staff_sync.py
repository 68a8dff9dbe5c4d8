"""The staff panel's Sync section: the installed content version, the last and next sync, a running sync's
progress and the last problem, in words staff can act on.

Qt-free: the kiosk describes sync as a :class:`SyncView` (from the runner and the store) and :func:`sync_rows`
turns it into the section's lines; the panel asks for a fresh view about once a second while it is shown.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol, runtime_checkable

from kiosk.sync.runner import SyncStatus
from kiosk.sync.store import MAX_BOOT_ATTEMPTS

NOT_SET_UP = "Sync is not set up yet."

_PLAIN = {
    "offline": "the content server could not be reached",
    "sync-offline": "the content server could not be reached",
    "http-error": "the content server did not answer properly",
    "slow": "the content server was too slow",
    "expired": "the server's content has expired signatures and was not used",
    "rollback": "the server offered content older than what the kiosk already has, and it was refused",
    "older-bundle": "the server offered an older version than the kiosk's, and it was refused",
    "no-such-bundle": "the server has no pack by this name",
    "version-rejected": "the newest version was withdrawn on this kiosk before and is not installed again",
    "health-check-failed": "the new version failed its check on this kiosk and was not used",
    "disk-full": "the disk is too full for the new version",
    "io-error": "the kiosk could not write the new version to its disk",
    "busy": "another sync was already running",
    "sync-not-set-up": "this kiosk has no root of trust installed yet",
    "spawn": "the sync process could not start",
    "no-result": "the sync process stopped without finishing",
}
_REFUSED = {"bad-signature", "tampered", "too-long", "refused", "unsigned", "bad-listing", "sync-refused"}


@dataclass(frozen=True)
class SyncView:
    """Everything the Sync section shows, at one moment."""

    server: str
    pack: str
    status: SyncStatus
    installed: int | None = None
    """The current version in the sync store (None: nothing synced yet)."""
    confirmed: bool = True
    """False until the kiosk has run properly on ``installed`` (it goes back to ``previous`` if it cannot)."""
    previous: int | None = None
    showing: int | None = None
    """The synced version on screen; None when the kiosk shows other content (``showing_path``)."""
    showing_path: str = ""
    follows: bool = True
    """New versions load by themselves (False: the kiosk was started with ``--pack``)."""
    pending: int | None = None
    """A new version waiting for the current visit to end."""
    problem_code: str | None = None
    note: str = ""
    """Why the kiosk last went back to a previous version."""


@runtime_checkable
class SyncSource(Protocol):
    """A staff backend that can describe sync on its own, cheaply enough to be asked every second."""

    def sync_view(self) -> SyncView | None: ...


def sync_rows(view: SyncView, now: float | None = None) -> list[tuple[str, str]]:
    """The section's lines as (text, label role)."""
    now = time.time() if now is None else now
    s = view.status
    rows: list[tuple[str, str]] = []
    if view.installed is None:
        rows.append((f"No content synced yet from {_breakable(view.server)}", "body"))
    else:
        line = f"Content version {view.installed} from {_breakable(view.server)}"
        if not view.confirmed:
            back = f" version {view.previous}" if view.previous else " the content it had before"
            line += (
                f" (new, not yet confirmed: if the kiosk fails to start on it {MAX_BOOT_ATTEMPTS} times, it goes "
                f"back to{back})"
            )
        rows.append((line, "body"))
    if view.showing is None:
        given = " (given with --pack; synced versions are used after a restart without it)" if not view.follows else ""
        rows.append((f"Showing {_breakable(view.showing_path)}{given}", "muted"))
    elif view.installed is not None and view.showing != view.installed and view.pending is None:
        rows.append((f"Showing version {view.showing}", "muted"))
    if view.pending is not None:
        rows.append((f"Version {view.pending} is ready: it loads when the current visit ends.", "marker"))
    if view.note:
        rows.append((view.note[0].upper() + view.note[1:] + ".", "status"))
    rows.append((f"Last sync: {when(s.last_success, now)}", "body"))
    progress = s.progress_line()
    if progress is not None:
        rows.append((f"Syncing now: {progress}", "marker"))
    else:
        rows.append((f"Next sync: {until(s.next_at, now)}", "body"))
        if s.last_error:
            rows.extend(_problem(view, now))
    return rows


def _problem(view: SyncView, now: float) -> list[tuple[str, str]]:
    s = view.status
    code = view.problem_code or ""
    if code in _REFUSED:
        plain = "what the server sent failed the kiosk's security check and was not used"
    else:
        plain = _PLAIN.get(code, "the last sync did not finish")
    if view.showing is not None:
        keeps = f"the kiosk keeps version {view.showing}"
    elif view.installed is not None and view.follows:
        keeps = f"the kiosk keeps version {view.installed}"
    else:
        keeps = "the kiosk keeps its current content"
    at = f" ({when(s.last_attempt, now)})" if s.last_attempt else ""
    return [(f"Problem{at}: {plain}; {keeps}.", "status"), (str(s.last_error), "muted")]


def when(stamp: float | None, now: float | None = None) -> str:
    """A moment in local time: "today 14:32", "yesterday 09:05", "2024-06-01 14:32"; "never" for None."""
    if stamp is None:
        return "never"
    moment = datetime.fromtimestamp(stamp)
    today = datetime.fromtimestamp(time.time() if now is None else now).date()
    if moment.date() == today:
        return f"today {moment:%H:%M}"
    if moment.date() == today - timedelta(days=1):
        return f"yesterday {moment:%H:%M}"
    return f"{moment:%Y-%m-%d %H:%M}"


def until(stamp: float | None, now: float | None = None) -> str:
    """How long until a moment: "in 12 min", "in 2 h 5 min", "in under a minute"; "not scheduled" for None."""
    if stamp is None:
        return "not scheduled"
    seconds = stamp - (time.time() if now is None else now)
    if seconds < 60:
        return "in under a minute"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"in {minutes} min"
    if minutes < 24 * 60:
        hours, rest = divmod(minutes, 60)
        return f"in {hours} h {rest} min" if rest else f"in {hours} h"
    return f"at {when(stamp, now)}"


def _breakable(text: str) -> str:
    """Let a long address or path wrap after each slash instead of widening the panel."""
    return text.replace("/", "/\u200b").replace("\\", "\\\u200b")


__all__ = ["NOT_SET_UP", "SyncSource", "SyncView", "sync_rows", "until", "when"]
