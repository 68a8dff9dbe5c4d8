"""``kiosk report``: what visitors asked, for curators. ``kiosk report export`` writes the questions the guide could
not answer (or answered unsure) to a JSON file that the curators' editor imports.

The file is text only, never audio::

    {"format": "docent-questions", "version": 1, "exported": "2025-03-10T09:30:00+00:00",
     "kiosk": "hall-a-kiosk", "pack": "city-museum",
     "questions": [{"time", "language", "question", "intent", "reason", "exhibit", "confidence"}]}

A reader refuses a file whose ``version`` is newer than it knows; fields may be added within a version.
"""

from __future__ import annotations

import json
import os
import re
import socket
import sqlite3
import sys
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import click

from kiosk.cli.common import EXIT_OK, EXIT_UNUSABLE
from kiosk.errors import DocentError
from kiosk.ops.unanswered import EXPORT_FORMAT, EXPORT_VERSION, QUESTION_FIELDS, UnansweredLog, log_path


def kiosk_name() -> str:
    """This kiosk's name for file names and the export: its host name."""
    return socket.gethostname().split(".")[0] or "kiosk"


def known_pack() -> str | None:
    """The venue's pack id if this kiosk knows it: ``sync.pack`` in kiosk.yaml, else the one synced pack installed."""
    from kiosk.ops.config import load_config
    from kiosk.sync.store import installed_pack, sync_store

    try:
        config = load_config()
        if config.sync is not None and config.sync.pack:
            return config.sync.pack
        return installed_pack(sync_store())
    except (DocentError, OSError, ValueError):  # the pack id is a courtesy; a broken kiosk.yaml must not stop it
        return None


def default_name(kiosk: str, day: date) -> str:
    safe = re.sub(r"[^A-Za-z0-9_-]+", "-", kiosk).strip("-") or "kiosk"
    return f"docent-questions-{safe}-{day.isoformat()}.json"


def export_document(rows: list[dict[str, object]], *, kiosk: str, pack: str | None, now: datetime) -> dict[str, Any]:
    """The export file's content for these log rows (only the documented fields; nothing else leaves the kiosk)."""
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported": now.astimezone(UTC).isoformat(timespec="seconds"),
        "kiosk": kiosk,
        "pack": pack,
        "questions": [{key: row.get(key) for key in QUESTION_FIELDS} for row in rows],
    }


def write_json_file(path: Path, data: object) -> None:
    """Write ``data`` to ``path`` in one step: a reader never sees half a file."""
    fd, tmp = tempfile.mkstemp(prefix=".export-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(data, out, ensure_ascii=False, indent=1)
            out.write("\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _since_start(value: datetime | None) -> datetime | None:
    """A --since value as an aware time: a bare date is the start of that day, local time."""
    if value is None:
        return None
    return value.astimezone() if value.tzinfo is None else value


def _describe(start: datetime) -> str:
    return start.strftime("%Y-%m-%d" if (start.hour, start.minute, start.second) == (0, 0, 0) else "%Y-%m-%d %H:%M")


@click.group("report")
def report() -> None:
    """What visitors asked: export the questions the guide could not answer, for curators."""


@report.command("export")
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path),
    help="File to write, or a folder to write it in (default: docent-questions-<kiosk>-<date>.json here).",
)
@click.option(
    "--since",
    type=click.DateTime(["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"]),
    metavar="DATE",
    help="Only questions asked on or after this date (YYYY-MM-DD, local time; a time may follow).",
)
@click.option(
    "--log",
    "log_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="The questions log to read (default: unanswered.sqlite in the kiosk's data folder).",
)
def export(out: Path | None, since: datetime | None, log_file: Path | None) -> None:
    """Export unanswered and low-confidence questions to a JSON file for the curators' editor.

    The file holds, for each question, when it was asked, its language, the words, what the guide made of it and
    how sure it was; never any audio. Exit status 0 written, 2 no log to read or the file could not be written.
    """
    path = log_file or log_path()
    if not path.is_file():
        click.echo(
            f"No questions to export: this kiosk has not recorded any yet (looked for the log at {path}).", err=True
        )
        sys.exit(EXIT_UNUSABLE)
    start = _since_start(since)
    log = UnansweredLog(path)
    try:
        rows = log.rows(start)
    except sqlite3.Error as err:
        click.echo(f"error: {path} is not a questions log that can be read ({err}).", err=True)
        sys.exit(EXIT_UNUSABLE)
    finally:
        log.close()
    now = datetime.now(UTC)
    kiosk = kiosk_name()
    target = out or Path(default_name(kiosk, now.astimezone().date()))
    if target.is_dir():
        target = target / default_name(kiosk, now.astimezone().date())
    if not target.parent.is_dir():
        click.echo(f"error: cannot write {target}: the folder {target.parent} does not exist.", err=True)
        sys.exit(EXIT_UNUSABLE)
    try:
        write_json_file(target, export_document(rows, kiosk=kiosk, pack=known_pack(), now=now))
    except OSError as err:
        click.echo(f"error: cannot write {target} ({err.strerror or err}).", err=True)
        sys.exit(EXIT_UNUSABLE)
    when = f" asked since {_describe(start)}" if start else ""
    count = len(rows)
    if count:
        click.echo(f"Exported {count} question{'s' if count != 1 else ''}{when} to {target}.")
    else:
        click.echo(f"No questions{when or ' recorded'}; wrote an empty export to {target}.")
    sys.exit(EXIT_OK)


__all__ = ["export", "export_document", "report"]
