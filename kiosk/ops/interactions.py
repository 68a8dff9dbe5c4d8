"""The interaction log: one row per visitor turn, for the curators' report and the editor's export.

Each turn keeps its time (UTC), language, how the question came (``typed``, ``tapped`` or ``voice``; ``cli`` for
``kiosk ask`` and ``kiosk converse``), the question's text with personal data masked (:mod:`kiosk.ops.privacy`;
NULL when ``log_questions`` is off), what the guide made of it (intent, reason, exhibit, facility, confidence,
answered) and how long answering took (``latency_ms``, defined in :mod:`kiosk.session`), and the pack version.
Never audio.

SQLite through sqlite-utils, in ``interactions.sqlite`` in the kiosk's data folder. The schema is changed only by the
registered migrations in :mod:`kiosk.ops.interactions_schema`, applied when the log is opened. Rows older than
``retention_days`` are deleted when the log is opened and at most once a day after that.

The log must never stop the guide answering: a full disk, a read-only folder or a locked file leaves the turn
unrecorded with one warning in kiosk.log; a corrupt file is moved aside (``interactions.sqlite.corrupt-<time>``, kept
for a technician) and a fresh log started. With ``background=True`` (the kiosk) rows are written on a thread of their
own, so a slow disk never holds up the frame loop.
"""

from __future__ import annotations

import logging
import queue
import sqlite3
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlite_utils

from kiosk.mind import Answer
from kiosk.ops.interactions_schema import (
    OLD_LOG_NAME,
    TABLE,
    LogDamaged,
    LoggedTurn,
    LogSettings,
    LogUnreadable,
    is_corrupt,
    migrate,
    read_turns,
    stamp,
    turns_in,
)
from kiosk.ops.paths import data_dir
from kiosk.ops.privacy import mask_personal

log = logging.getLogger("kiosk.ops.interactions")

LOG_NAME = "interactions.sqlite"
MAX_QUESTION = 500
"""Characters of a question kept; a visitor leaning on the keyboard does not fill the disk."""
PRUNE_EVERY = timedelta(days=1)


def log_path() -> Path:
    """The kiosk's own interaction log: ``interactions.sqlite`` in the data folder."""
    return data_dir() / LOG_NAME


def _now() -> datetime:
    return datetime.now(UTC)


class InteractionLog:
    """The kiosk's interaction log, opened for writing. Never raises on a bad disk or file (see the module)."""

    def __init__(
        self,
        path: Path | None = None,
        settings: LogSettings | None = None,
        *,
        background: bool = False,
        clock: Callable[[], datetime] = _now,
    ) -> None:
        self.path = path or log_path()
        self.settings = settings or LogSettings()
        self.clock = clock
        self.moved_aside: Path | None = None
        """Where a corrupt log was moved when it was found (None: it never was)."""
        self.imported = 0
        """Rows taken over from an older ``unanswered.sqlite`` when the log was opened."""
        self._lock = threading.RLock()
        self._warned: str | None = None
        self._last_prune: datetime | None = None
        self._db = self._open()
        self._queue: queue.Queue[dict[str, Any] | None] | None = None
        self._writer: threading.Thread | None = None
        if background:
            self._queue = queue.Queue()
            self._writer = threading.Thread(target=self._write_queued, name="docent-interactions", daemon=True)
            self._writer.start()

    @property
    def available(self) -> bool:
        """Whether turns are being recorded (False after the file could not be opened at all)."""
        return self._db is not None

    # -- opening -----------------------------------------------------------------------------------------------

    def _open(self) -> sqlite_utils.Database | None:
        for attempt in (1, 2):
            db: sqlite_utils.Database | None = None
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                conn = sqlite3.connect(str(self.path), timeout=5.0, check_same_thread=False)
                db = sqlite_utils.Database(conn)
                check = db.execute("PRAGMA quick_check").fetchone()
                if not check or check[0] != "ok":
                    raise LogDamaged(f"integrity check: {check[0] if check else 'no answer'}")
                old = self.path.parent / OLD_LOG_NAME
                applied, imported = migrate(db, self.settings, old if old != self.path else None)
                self.imported = imported
                if imported and old.is_file():
                    old.replace(old.with_name(old.name + ".imported"))
                if applied:
                    log.info("interaction log %s: applied %s", self.path, ", ".join(applied))
                self._prune(db)
                return db
            except (sqlite3.Error, OSError) as err:
                if db is not None:
                    db.close()
                if attempt == 1 and isinstance(err, sqlite3.Error) and is_corrupt(err) and self._move_aside(err):
                    continue
                log.warning(
                    "the interaction log %s cannot be used (%s); the guide answers on without recording turns",
                    self.path,
                    err,
                )
                return None
        return None

    def _move_aside(self, err: sqlite3.Error) -> bool:
        target = self.path.with_name(f"{self.path.name}.corrupt-{self.clock().strftime('%Y%m%d-%H%M%S')}")
        try:
            self.path.replace(target)
            for suffix in ("-journal", "-wal", "-shm"):
                extra = self.path.with_name(self.path.name + suffix)
                if extra.exists():
                    extra.replace(target.with_name(target.name + suffix))
        except OSError as move_err:
            log.warning(
                "the interaction log %s is damaged (%s) and cannot be moved aside: %s", self.path, err, move_err
            )
            return False
        log.warning(
            "the interaction log %s was damaged (%s); kept it as %s and started a new one", self.path, err, target
        )
        self.moved_aside = target
        return True

    # -- recording ---------------------------------------------------------------------------------------------

    def record(
        self,
        answer: Answer,
        question: str | None,
        *,
        via: str,
        latency_ms: float | None = None,
        when: datetime | None = None,
        pack_version: str | None = None,
    ) -> bool:
        """Record one turn: the visitor's ``question`` (masked; dropped when ``log_questions`` is off) and the
        ``answer`` the guide chose. Returns whether it was recorded (queued, with ``background``)."""
        text = question.strip()[:MAX_QUESTION] if question else None
        at = when or self.clock()
        row: dict[str, Any] = {
            "time": stamp(at),
            "language": answer.language,
            "via": via,
            "question": mask_personal(text) if text and self.settings.log_questions else None,
            "intent": answer.intent.value,
            "reason": answer.reason or None,
            "exhibit": answer.exhibit,
            "facility": answer.facility,
            "confidence": round(float(answer.confidence), 4),
            "answered": int(answer.answered),
            "latency_ms": round(latency_ms, 1) if latency_ms is not None else None,
            "pack_version": pack_version,
        }
        if self._queue is not None:
            self._queue.put(row)
            return self._db is not None
        return self._write(row)

    def _write(self, row: dict[str, Any]) -> bool:
        with self._lock:
            for attempt in (1, 2):
                db = self._db
                if db is None:
                    return False
                try:
                    self._prune_if_due(db)
                    db.table(TABLE).insert(row)
                except sqlite3.Error as err:
                    if attempt == 1 and is_corrupt(err):
                        db.close()
                        self._db = self._open() if self._move_aside(err) else None
                        continue
                    self._warn(err)
                    return False
                self._warned = None
                return True
        return False

    def _warn(self, err: sqlite3.Error) -> None:
        if str(err) != self._warned:  # once per kind of trouble, not once per visitor
            log.warning("a turn was not recorded in the interaction log %s: %s", self.path, err)
            self._warned = str(err)

    def _write_queued(self) -> None:
        assert self._queue is not None
        while True:
            row = self._queue.get()
            try:
                if row is None:
                    return
                self._write(row)
            except Exception:  # the writer thread must outlive anything one row does
                log.exception("recording a turn failed")
            finally:
                self._queue.task_done()

    def flush(self) -> None:
        """Wait until every queued turn is written (a no-op without ``background``)."""
        if self._queue is not None and self._writer is not None and self._writer.is_alive():
            self._queue.join()

    # -- retention ---------------------------------------------------------------------------------------------

    def prune(self) -> int:
        """Delete rows older than ``retention_days``; returns how many went."""
        with self._lock:
            if self._db is None:
                return 0
            try:
                return self._prune(self._db)
            except sqlite3.Error as err:
                self._warn(err)
                return 0

    def _prune(self, db: sqlite_utils.Database) -> int:
        now = self.clock()
        cutoff = stamp(now - timedelta(days=self.settings.retention_days))
        with db.atomic():
            gone = db.execute(f"DELETE FROM {TABLE} WHERE time < ?", [cutoff]).rowcount
        self._last_prune = now
        if gone:
            log.info("interaction log: %d turns older than %d days deleted", gone, self.settings.retention_days)
        return int(gone)

    def _prune_if_due(self, db: sqlite_utils.Database) -> None:
        if self._last_prune is None or self.clock() - self._last_prune >= PRUNE_EVERY:
            self._prune(db)

    # -- reading -----------------------------------------------------------------------------------------------

    def turns(self, since: datetime | None = None) -> list[LoggedTurn]:
        """Recorded turns, oldest first; with ``since``, those at or after it (a naive ``since`` is local time)."""
        self.flush()
        with self._lock:
            if self._db is None:
                return []
            try:
                return turns_in(self._db, since)
            except sqlite3.Error as err:
                self._warn(err)
                return []

    def unanswered(self, since: datetime | None = None) -> list[LoggedTurn]:
        """The turns curators look at: not answered, or answered with low confidence."""
        return [t for t in self.turns(since) if t.needs_curator]

    def close(self) -> None:
        if self._queue is not None and self._writer is not None:
            self._queue.put(None)
            self._writer.join(timeout=10)
            self._queue = None
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None


__all__ = [
    "LOG_NAME",
    "InteractionLog",
    "LogSettings",
    "LogUnreadable",
    "LoggedTurn",
    "log_path",
    "read_turns",
]
