"""The interaction log's rows and schema: settings, the row as a value, the registered migrations, reading a copy.

Migrations are a small ordered registry, in the spirit of sqlite-utils' migrations: each has a name and a function,
and ``_migrations`` (name, applied_at) records the ones a file has had. Opening a log applies the missing ones in
order, each in one transaction with its record, so a file is never half-migrated and a second opening does nothing.
Add a migration by appending to :data:`MIGRATIONS`; never change or reorder one that has shipped.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from kiosk.errors import DocentError
from kiosk.mind import LOW_CONFIDENCE
from kiosk.ops.privacy import mask_personal

TABLE = "turns"
MIGRATIONS_TABLE = "_migrations"
OLD_LOG_NAME = "unanswered.sqlite"
"""The log of earlier versions (unanswered and low-confidence questions only), imported by migration 2."""
OLD_TABLE = "unanswered"
COLUMNS = (
    "time",
    "language",
    "via",
    "question",
    "intent",
    "reason",
    "exhibit",
    "facility",
    "confidence",
    "answered",
    "latency_ms",
    "pack_version",
)


@dataclass(frozen=True)
class LogSettings:
    """What the log keeps and for how long (``log_questions`` and ``log_retention_days`` in kiosk.yaml)."""

    log_questions: bool = True
    """Keep the (masked) text of visitors' questions; False keeps everything else."""
    retention_days: int = 90
    """Turns older than this many days are deleted."""

    @classmethod
    def from_config(cls, config: object) -> LogSettings:
        """The settings of a :class:`~kiosk.ops.config.KioskConfig`."""
        return cls(
            log_questions=bool(getattr(config, "log_questions", True)),
            retention_days=int(getattr(config, "log_retention_days", 90)),
        )


class LogDamaged(sqlite3.DatabaseError):
    """The log failed SQLite's integrity check."""


class LogUnreadable(DocentError):
    """A file given as an interaction log cannot be read as one."""

    code = "log-unreadable"


@dataclass(frozen=True)
class LoggedTurn:
    """One recorded turn."""

    time: datetime
    """When the answer was chosen (aware, UTC)."""
    language: str
    via: str | None
    """"typed", "tapped", "voice", "cli" (kiosk ask / converse); None for turns imported from an older log."""
    question: str | None
    """The question as asked, personal data masked; None when text logging was off (or nothing was understood)."""
    intent: str
    reason: str | None
    exhibit: str | None
    facility: str | None
    confidence: float
    answered: bool
    latency_ms: float | None
    pack_version: str | None = None

    @property
    def needs_curator(self) -> bool:
        """Not answered, or answered with low confidence: what the editor's "What visitors asked" is for."""
        return not self.answered or self.confidence < LOW_CONFIDENCE

    def export_row(self) -> dict[str, object]:
        """The fields of ``kiosk report export`` (kiosk.ops.unanswered.QUESTION_FIELDS)."""
        return {
            "time": self.time.isoformat(timespec="seconds"),
            "language": self.language,
            "question": self.question,
            "intent": self.intent,
            "reason": self.reason,
            "exhibit": self.exhibit,
            "confidence": self.confidence,
        }


def stamp(when: datetime) -> str:
    """A time as stored: UTC, ISO 8601 to the second, so that text order is time order (a naive time is UTC)."""
    aware = when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
    return aware.isoformat(timespec="seconds")


def is_corrupt(err: sqlite3.Error) -> bool:
    """SQLITE_CORRUPT or SQLITE_NOTADB (extended codes included), or a failed integrity check."""
    code = getattr(err, "sqlite_errorcode", None)
    if isinstance(code, int) and code & 0xFF in (11, 26):
        return True
    return isinstance(err, LogDamaged) or "malformed" in str(err) or "not a database" in str(err)


# -- migrations ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MigrationContext:
    db: sqlite_utils.Database
    settings: LogSettings
    old_log: Path | None
    """The older ``unanswered.sqlite`` beside the kiosk's own log, to take over (None: none to look for)."""
    imported: list[int]


def _create_turns(ctx: MigrationContext) -> None:
    table = ctx.db.table(TABLE)
    table.create(
        {
            "id": int,
            "time": str,
            "language": str,
            "via": str,
            "question": str,
            "intent": str,
            "reason": str,
            "exhibit": str,
            "facility": str,
            "confidence": float,
            "answered": int,
            "latency_ms": float,
            "pack_version": str,
        },
        pk="id",
        not_null={"time", "language", "intent", "confidence", "answered"},
    )
    table.create_index(["time"], index_name="turns_by_time")
    table.create_index(["exhibit", "time"], index_name="turns_by_exhibit")


def _import_unanswered(ctx: MigrationContext) -> None:
    """Take over the questions of the older log: an ``unanswered`` table in this file (an old log opened directly),
    then the ``unanswered.sqlite`` beside it. They were fallbacks or low-confidence answers, asked in unknown ways."""
    rows: list[dict[str, Any]] = []
    if OLD_TABLE in ctx.db.table_names():
        rows += list(ctx.db.table(OLD_TABLE).rows)
        ctx.db.table(OLD_TABLE).drop()
    if ctx.old_log is not None and ctx.old_log.is_file():
        try:
            source = sqlite3.connect(f"{ctx.old_log.resolve().as_uri()}?mode=ro", uri=True)
            try:
                old = sqlite_utils.Database(source)
                if OLD_TABLE in old.table_names():
                    rows += list(old.table(OLD_TABLE).rows)
            finally:
                source.close()
        except sqlite3.Error:
            pass  # a damaged old log is left where it is; the new log starts without it
    converted = [row for row in (_from_old(r, ctx.settings) for r in rows) if row is not None]
    if converted:
        ctx.db.table(TABLE).insert_all(converted)
    ctx.imported.append(len(converted))


def _from_old(row: dict[str, Any], settings: LogSettings) -> dict[str, Any] | None:
    raw = row.get("time")
    try:
        when = datetime.fromisoformat(raw) if isinstance(raw, str) else None
    except ValueError:
        when = None
    language, intent = row.get("language"), row.get("intent")
    if when is None or not isinstance(language, str) or not isinstance(intent, str):
        return None
    question = row.get("question")
    confidence = row.get("confidence")
    return {
        "time": stamp(when),
        "language": language,
        "via": None,
        "question": mask_personal(question) if isinstance(question, str) and settings.log_questions else None,
        "intent": intent,
        "reason": row.get("reason"),
        "exhibit": row.get("exhibit"),
        "facility": None,
        "confidence": float(confidence) if isinstance(confidence, int | float) else 0.0,
        "answered": int(intent != "fallback"),
        "latency_ms": None,
        "pack_version": None,
    }


MIGRATIONS: tuple[tuple[str, Callable[[MigrationContext], None]], ...] = (
    ("0001-create-turns", _create_turns),
    ("0002-import-unanswered-log", _import_unanswered),
)
"""Every schema change, in order. Append only."""


def migrate(db: sqlite_utils.Database, settings: LogSettings, old_log: Path | None = None) -> tuple[list[str], int]:
    """Apply the migrations ``db`` has not had; returns their names and how many old rows were imported."""
    with db.atomic():
        db.table(MIGRATIONS_TABLE).create({"name": str, "applied_at": str}, pk="name", if_not_exists=True)
    done = {str(row["name"]) for row in db.table(MIGRATIONS_TABLE).rows}
    ctx = MigrationContext(db, settings, old_log, [])
    applied: list[str] = []
    for name, step in MIGRATIONS:
        if name in done:
            continue
        with db.atomic():
            step(ctx)
            db.table(MIGRATIONS_TABLE).insert({"name": name, "applied_at": stamp(datetime.now(UTC))})
        applied.append(name)
    return applied, sum(ctx.imported)


# -- reading -------------------------------------------------------------------------------------------------------


def turns_in(db: sqlite_utils.Database, since: datetime | None = None) -> list[LoggedTurn]:
    """The turns of a migrated log, oldest first; with ``since``, at or after it (a naive ``since`` is local)."""
    where, params = "", []
    if since is not None:
        where, params = "WHERE time >= ?", [stamp(since if since.tzinfo else since.astimezone())]
    sql = f"SELECT {', '.join(COLUMNS)} FROM {TABLE} {where} ORDER BY time, id"
    return [_turn(row) for row in db.execute(sql, params).fetchall()]


def _turn(row: tuple[Any, ...]) -> LoggedTurn:
    values = dict(zip(COLUMNS, row, strict=True))
    return LoggedTurn(
        time=datetime.fromisoformat(values["time"]).astimezone(UTC),
        language=values["language"],
        via=values["via"],
        question=values["question"],
        intent=values["intent"],
        reason=values["reason"],
        exhibit=values["exhibit"],
        facility=values["facility"],
        confidence=float(values["confidence"]),
        answered=bool(values["answered"]),
        latency_ms=values["latency_ms"],
        pack_version=values["pack_version"],
    )


def read_turns(path: Path, since: datetime | None = None) -> list[LoggedTurn]:
    """The turns of the log file at ``path`` (this kiosk's, a copy from another, or an older ``unanswered.sqlite``),
    read from a copy in memory upgraded to the current schema: the file itself is never changed or locked for long.
    Raises :class:`LogUnreadable` saying why when it is not a log that can be read."""
    if not path.is_file():
        raise LogUnreadable(f"{path} does not exist.", code="log-missing")
    memory = sqlite3.connect(":memory:")
    try:
        source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            source.backup(memory)
        finally:
            source.close()
        db = sqlite_utils.Database(memory)
        tables = set(db.table_names())
        if tables and not tables & {TABLE, MIGRATIONS_TABLE, OLD_TABLE}:
            raise LogUnreadable(
                f"{path} is a SQLite database but not an interaction log (its tables: {', '.join(sorted(tables))}).",
                code="not-a-log",
            )
        migrate(db, LogSettings())
        return turns_in(db, since)
    except sqlite3.Error as err:
        raise LogUnreadable(f"{path} is not an interaction log that can be read ({err}).") from err
    finally:
        memory.close()


__all__ = [
    "COLUMNS",
    "MIGRATIONS",
    "OLD_LOG_NAME",
    "TABLE",
    "LogDamaged",
    "LogSettings",
    "LogUnreadable",
    "LoggedTurn",
    "MigrationContext",
    "is_corrupt",
    "migrate",
    "read_turns",
    "stamp",
    "turns_in",
]
