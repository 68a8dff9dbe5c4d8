"""What visitors asked that the guide could not answer (or answered unsure), for curators: the export's format, and
the recording done by the command-line tools.

The kiosk records every turn in the interaction log (:mod:`kiosk.ops.interactions`); ``kiosk report export`` writes
the unanswered and low-confidence ones, text only, for the curators' editor. ``kiosk ask`` and ``kiosk converse``
record through :class:`UnansweredLog`: only the turns curators need, with ``via`` "cli", which the report leaves out
of the visitors' figures.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

from kiosk.errors import DocentError
from kiosk.mind import LOW_CONFIDENCE, Answer
from kiosk.ops.interactions import InteractionLog, LogSettings, log_path

log = logging.getLogger("kiosk.ops.unanswered")

EXPORT_FORMAT = "docent-questions"
"""The ``format`` of the file ``kiosk report export`` writes and the editor reads."""
EXPORT_VERSION = 1
"""The newest version of that format; readers refuse newer ones. Fields may be added within a version."""
QUESTION_FIELDS = ("time", "language", "question", "intent", "reason", "exhibit", "confidence")
"""What is exported of each question (text only, never audio)."""


def should_record(answer: Answer) -> bool:
    """A fallback or a low-confidence answer: a question curators should see."""
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


def kiosk_log_settings() -> LogSettings:
    """The log settings of this kiosk's kiosk.yaml; text is not kept when the file cannot be read (the technician
    may have switched it off)."""
    from kiosk.ops.config import load_config

    try:
        return LogSettings.from_config(load_config())
    except (DocentError, OSError, ValueError) as err:
        log.warning("kiosk.yaml cannot be read (%s); questions are recorded without their text", err)
        return LogSettings(log_questions=False)


class UnansweredLog:
    """The command-line tools' recorder: fallbacks and low-confidence answers into the interaction log."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or log_path()
        self._log = InteractionLog(self.path, kiosk_log_settings() if path is None else LogSettings())

    def record(self, question: str, answer: Answer, *, when: datetime | None = None, via: str = "cli") -> bool:
        """Record the turn if it was a fallback or low-confidence answer. Returns whether it was recorded."""
        if not should_record(answer):
            return False
        return self._log.record(answer, question, via=via, when=when)

    def rows(self, since: datetime | None = None) -> list[dict[str, object]]:
        """The unanswered and low-confidence questions with their text, oldest first, as exported."""
        return [t.export_row() for t in self._log.unanswered(since) if t.question]

    def close(self) -> None:
        self._log.close()


__all__ = [
    "EXPORT_FORMAT",
    "EXPORT_VERSION",
    "QUESTION_FIELDS",
    "UnansweredLog",
    "kiosk_log_settings",
    "log_path",
    "parse_time",
    "should_record",
]
