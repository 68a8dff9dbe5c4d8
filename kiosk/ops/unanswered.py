"""What visitors asked that the guide could not answer (or answered unsure), kept for curators.

Text only, never audio: the time, the language, the question, what the guide made of it. Stored in SQLite with
sqlite-utils under the kiosk's data folder; `kiosk report export` hands it to the editor.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils

from kiosk.mind import LOW_CONFIDENCE, Answer
from kiosk.ops.paths import data_dir

EXPORT_FORMAT = "docent-questions"
"""The ``format`` of the file ``kiosk report export`` writes and the editor reads."""
EXPORT_VERSION = 1
"""The newest version of that format; readers refuse newer ones. Fields may be added within a version."""
QUESTION_FIELDS = ("time", "language", "question", "intent", "reason", "exhibit", "confidence")
"""What is exported of each question (the columns of the log; text only, never audio)."""


_EARLIEST = datetime.min.replace(tzinfo=UTC)


def log_path() -> Path:
    return data_dir() / "unanswered.sqlite"


def should_record(answer: Answer) -> bool:
    return not answer.answered or answer.confidence < LOW_CONFIDENCE


def parse_time(value: object) -> datetime | None:
    """A recorded time as an aware datetime (a time without a zone is UTC); None when it is not a time."""
    if not isinstance(value, str):
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


class UnansweredLog:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path or log_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite_utils.Database(self.path)

    def record(self, question: str, answer: Answer, *, when: datetime | None = None) -> bool:
        """Record the turn if it was a fallback or low-confidence answer. Returns whether it was recorded."""
        if not should_record(answer):
            return False
        row = {
            "time": (when or datetime.now(UTC)).isoformat(timespec="seconds"),
            "language": answer.language,
            "question": question,
            "intent": answer.intent.value,
            "reason": answer.reason,
            "exhibit": answer.exhibit,
            "confidence": answer.confidence,
        }
        try:
            self._db.table("unanswered").insert(row)
        except sqlite3.Error:
            return False  # a full or read-only disk must never stop the guide answering
        return True

    def rows(self, since: datetime | None = None) -> list[dict[str, object]]:
        """Every recorded row, oldest first; with ``since``, only rows recorded at or after it (a naive ``since`` is
        local time). Raises sqlite3.DatabaseError when the file is not a database."""
        if "unanswered" not in self._db.table_names():
            return []
        rows = list(self._db.table("unanswered").rows)
        if since is not None:
            start = since.astimezone(UTC)
            rows = [row for row in rows if (when := parse_time(row.get("time"))) is not None and when >= start]
        return sorted(rows, key=lambda row: parse_time(row.get("time")) or _EARLIEST)

    def close(self) -> None:
        self._db.close()


__all__ = [
    "EXPORT_FORMAT",
    "EXPORT_VERSION",
    "QUESTION_FIELDS",
    "UnansweredLog",
    "log_path",
    "parse_time",
    "should_record",
]
