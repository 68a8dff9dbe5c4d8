"""Logging for a kiosk nobody watches: a rotating file, plus the last problems kept in memory for the staff panel.

``setup_logging`` installs three things on the root logger: ``kiosk.log`` in the data folder (5 files of 1 MB at
most, the oldest dropped), a stderr handler for warnings (the service journal), and :class:`RecentProblems`, a
ring of the last 50 warnings and errors that the staff panel shows. When the log folder cannot be written (a
read-only disk) the kiosk keeps running and logs to stderr only, with a warning saying so.

Audio never reaches a log: once logging is set up, every record is scrubbed as it is made (:func:`scrub_audio`):
raw samples (bytes, arrays) in a record are replaced with their size before any handler sees them.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
import threading
from collections import deque
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from kiosk.ops.paths import data_dir

LOG_NAME = "kiosk.log"
MAX_LOG_BYTES = 1024 * 1024
LOG_BACKUPS = 4
"""kiosk.log plus four rotated files: 5 MB at most on disk."""
RECENT_CAPACITY = 50
MAX_MESSAGE_CHARS = 500
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_MARK = "_docent_logging"


def default_log_dir() -> Path:
    return data_dir() / "logs"


@dataclass(frozen=True)
class ProblemRecord:
    """One warning or error as the staff panel shows it."""

    time: datetime
    level: str
    logger: str
    message: str

    def line(self) -> str:
        return f"{self.time:%H:%M:%S} {self.level} {self.logger}: {self.message}"


class RecentProblems(logging.Handler):
    """The last ``capacity`` WARNING-and-worse records, in memory; safe to read from any thread."""

    def __init__(self, capacity: int = RECENT_CAPACITY, level: int = logging.WARNING) -> None:
        super().__init__(level)
        self._records: deque[ProblemRecord] = deque(maxlen=capacity)
        self._guard = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = record.getMessage()
            if record.exc_info and record.exc_info[1] is not None:
                err = record.exc_info[1]
                message = f"{message} ({type(err).__name__}: {err})"
            message = " ".join(message.split())
            if len(message) > MAX_MESSAGE_CHARS:
                message = message[: MAX_MESSAGE_CHARS - 1] + "…"
            item = ProblemRecord(datetime.fromtimestamp(record.created), record.levelname, record.name, message)
        except Exception:  # a broken log call must never take the kiosk down
            self.handleError(record)
            return
        with self._guard:
            self._records.append(item)

    def records(self) -> tuple[ProblemRecord, ...]:
        with self._guard:
            return tuple(self._records)

    def lines(self) -> tuple[str, ...]:
        """Formatted lines, newest last."""
        return tuple(r.line() for r in self.records())

    def clear(self) -> None:
        with self._guard:
            self._records.clear()


def _is_audio(value: object) -> bool:
    if isinstance(value, bytes | bytearray | memoryview):
        return True
    ndim = getattr(value, "ndim", 0)  # numpy arrays; numpy scalars (ndim 0) are ordinary numbers
    return isinstance(ndim, int) and ndim >= 1 and hasattr(value, "__array__")


class _Withheld:
    """Stands in for raw audio in a log record: prints the same with %s and %r."""

    def __init__(self, value: object) -> None:
        if isinstance(value, bytes | bytearray | memoryview):
            self.text = f"<{len(value)} bytes withheld>"
        else:
            self.text = f"<array of {getattr(value, 'size', '?')} samples withheld>"

    def __str__(self) -> str:
        return self.text

    __repr__ = __str__


def _clean(value: object) -> object:
    return _Withheld(value) if _is_audio(value) else value


def scrub_audio(record: logging.LogRecord) -> logging.LogRecord:
    """Replace raw audio (bytes, buffers, numpy arrays) in a record's message and arguments with its size."""
    if _is_audio(record.msg):
        record.msg, record.args = str(_Withheld(record.msg)), None
        return record
    args = record.args
    if isinstance(args, tuple) and any(_is_audio(a) for a in args):
        record.args = tuple(_clean(a) for a in args)
    elif isinstance(args, dict) and any(_is_audio(v) for v in args.values()):
        record.args = {k: _clean(v) for k, v in args.items()}
    else:
        return record
    try:
        record.getMessage()
    except (TypeError, ValueError):  # e.g. '%d' given an array: keep the text, drop the arguments
        record.msg, record.args = f"{record.msg} (raw audio withheld)", None
    return record


class NoAudioFilter(logging.Filter):
    """A handler filter applying :func:`scrub_audio` (for handlers outside the root logger)."""

    def filter(self, record: logging.LogRecord) -> bool:
        scrub_audio(record)
        return True


def _install_record_factory() -> None:
    """Scrub every record as it is made, so no handler anywhere (even one added later) sees raw audio."""
    current = logging.getLogRecordFactory()
    if getattr(current, _MARK, False):
        return

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        return scrub_audio(current(*args, **kwargs))

    setattr(factory, _MARK, True)
    logging.setLogRecordFactory(factory)


@dataclass(frozen=True)
class LogSetup:
    recent: RecentProblems
    """The ring the staff panel reads."""
    log_file: Path | None
    """kiosk.log, or None when the folder could not be written (stderr only)."""


def setup_logging(level: int | str = logging.INFO, log_dir: Path | None = None) -> LogSetup:
    """Install the kiosk's handlers on the root logger (replacing any a previous call installed)."""
    folder = log_dir if log_dir is not None else default_log_dir()
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, _MARK, False):
            root.removeHandler(handler)
            handler.close()
    numeric = logging.getLevelName(level.upper()) if isinstance(level, str) else level
    if not isinstance(numeric, int):
        raise ValueError(f"unknown log level {level!r}; use DEBUG, INFO, WARNING or ERROR")
    root.setLevel(numeric)
    _install_record_factory()
    formatter = logging.Formatter(FORMAT)
    no_audio = NoAudioFilter()

    file_handler: logging.Handler | None = None
    failure = ""
    target = folder / LOG_NAME
    try:
        folder.mkdir(parents=True, exist_ok=True)
        file_handler = logging.handlers.RotatingFileHandler(
            target, maxBytes=MAX_LOG_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8"
        )
    except OSError as err:
        failure = err.strerror or str(err)

    stderr = logging.StreamHandler(sys.stderr)
    stderr.setLevel(logging.WARNING if file_handler is not None else numeric)
    recent = RecentProblems()
    handlers: list[logging.Handler] = [stderr, recent]
    if file_handler is not None:
        file_handler.setLevel(numeric)
        handlers.insert(0, file_handler)
    for handler in handlers:
        handler.setFormatter(formatter)
        handler.addFilter(no_audio)
        setattr(handler, _MARK, True)
        root.addHandler(handler)
    if file_handler is None:
        logging.getLogger("kiosk.ops.logs").warning(
            "cannot write logs to %s (%s); logging to stderr only. Check the disk and the folder's permissions",
            target,
            failure,
        )
    return LogSetup(recent, target if file_handler is not None else None)


__all__ = [
    "LOG_BACKUPS",
    "LOG_NAME",
    "MAX_LOG_BYTES",
    "LogSetup",
    "NoAudioFilter",
    "ProblemRecord",
    "RecentProblems",
    "default_log_dir",
    "scrub_audio",
    "setup_logging",
]
