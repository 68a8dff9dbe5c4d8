"""What visitors asked that the guide could not answer (or answered unsure), kept for curators.

Text only, never audio: the time, the language, the question, what the guide made of it. Stored in SQLite with
sqlite-utils under the kiosk's data folder; `kiosk report export` (later) hands it to the editor.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils

from kiosk.mind import LOW_CONFIDENCE, Answer
from kiosk.ops.paths import data_dir


def log_path() -> Path:
    return data_dir() / "unanswered.sqlite"


def should_record(answer: Answer) -> bool:
    return not answer.answered or answer.confidence < LOW_CONFIDENCE


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

    def rows(self) -> list[dict[str, object]]:
        if "unanswered" not in self._db.table_names():
            return []
        return list(self._db.table("unanswered").rows)

    def close(self) -> None:
        self._db.close()


__all__ = ["UnansweredLog", "log_path", "should_record"]
