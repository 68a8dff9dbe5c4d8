"""``kiosk report``: what visitors asked, for curators. ``kiosk report`` writes an HTML report of the interaction log
(:mod:`kiosk.ops.report_html`); ``kiosk report export`` writes the questions the guide could not answer (or answered
unsure) to a JSON file that the curators' editor imports.

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
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import click

from kiosk.cli.common import EXIT_OK, EXIT_UNUSABLE
from kiosk.content import Pack
from kiosk.errors import DocentError
from kiosk.ops.config import KioskConfig
from kiosk.ops.interactions import LoggedTurn, LogUnreadable, log_path, read_turns
from kiosk.ops.interactions_schema import OLD_LOG_NAME
from kiosk.ops.unanswered import EXPORT_FORMAT, EXPORT_VERSION, QUESTION_FIELDS


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
    write_text_file(path, json.dumps(data, ensure_ascii=False, indent=1) + "\n")


def write_text_file(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` in one step: a reader never sees half a file."""
    fd, tmp = tempfile.mkstemp(prefix=".export-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
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


def _kiosk_config() -> KioskConfig:
    from kiosk.ops.config import load_config

    try:
        return load_config()
    except (DocentError, OSError, ValueError) as err:  # the report does not need a valid kiosk.yaml
        click.echo(f"warning: kiosk.yaml cannot be read ({err}); using the defaults.", err=True)
        return KioskConfig()


def _log_to_read(log_file: Path | None) -> Path:
    """The log to read: ``--log``, else this kiosk's, else (before the first start of this version) its older log."""
    if log_file is not None:
        return log_file
    path = log_path()
    old = path.with_name(OLD_LOG_NAME)
    return old if not path.is_file() and old.is_file() else path


def _read_or_exit(path: Path, start: datetime | None, nothing: str) -> list[LoggedTurn]:
    if not path.is_file():
        click.echo(f"{nothing}: this kiosk has not recorded any yet (looked for the log at {path}).", err=True)
        sys.exit(EXIT_UNUSABLE)
    try:
        return read_turns(path, start)
    except LogUnreadable as err:
        click.echo(f"error: {path} is not a questions log that can be read: {err}", err=True)
        sys.exit(EXIT_UNUSABLE)


def _target(out: Path | None, name: Callable[[str, date], str], now: datetime) -> Path:
    kiosk = kiosk_name()
    target = out or Path(name(kiosk, now.astimezone().date()))
    if target.is_dir():
        target = target / name(kiosk, now.astimezone().date())
    if not target.parent.is_dir():
        click.echo(f"error: cannot write {target}: the folder {target.parent} does not exist.", err=True)
        sys.exit(EXIT_UNUSABLE)
    return target


def _write_or_exit(target: Path, text: str) -> None:
    try:
        write_text_file(target, text)
    except OSError as err:
        click.echo(f"error: cannot write {target} ({err.strerror or err}).", err=True)
        sys.exit(EXIT_UNUSABLE)


def report_name(kiosk: str, day: date) -> str:
    safe = re.sub(r"[^A-Za-z0-9_-]+", "-", kiosk).strip("-") or "kiosk"
    return f"docent-report-{safe}-{day.isoformat()}.html"


def report_pack(pack_dir: Path | None, config: KioskConfig) -> Pack | None:
    """The venue's pack, for the names of the venue and its exhibits: ``--pack``, else the current synced version,
    else ``pack:`` in kiosk.yaml or the demo. None when it does not load (the report then shows ids)."""
    from kiosk.content import load_pack
    from kiosk.ops.paths import demo_pack_path
    from kiosk.sync.store import installed_pack, sync_store

    try:
        folder = pack_dir
        if folder is None and config.sync is not None:
            store = sync_store()
            name = config.sync.pack or installed_pack(store)
            folder = store.current_dir("packs", name) if name else None
        return load_pack(folder or config.pack or demo_pack_path())
    except (DocentError, OSError, ValueError) as err:
        click.echo(f"warning: the venue's pack cannot be loaded ({err}); exhibits are shown by their ids.", err=True)
        return None


_SINCE = click.option(
    "--since",
    type=click.DateTime(["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"]),
    metavar="DATE",
    help="Only questions asked on or after this date (YYYY-MM-DD, local time; a time may follow).",
)
_LOG = click.option(
    "--log",
    "log_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="The interaction log to read (default: interactions.sqlite in the kiosk's data folder).",
)


@click.group("report", invoke_without_command=True)
@_SINCE
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path),
    help="File to write, or a folder to write it in (default: docent-report-<kiosk>-<date>.html here).",
)
@_LOG
@click.option(
    "--pack",
    "pack_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="The venue's pack, for exhibit names (default: the pack this kiosk runs).",
)
@click.pass_context
def report(
    ctx: click.Context, since: datetime | None, out: Path | None, log_file: Path | None, pack_dir: Path | None
) -> None:
    """What visitors asked: an HTML report for curators, or (`kiosk report export`) a file for the editor.

    Without a subcommand, writes one self-contained HTML file to open in any browser, no network needed: questions
    per hour of the day and per day, the most asked-about exhibits, languages, the answer rate overall and per
    language, the questions the guide could not answer (grouped by similarity, with counts) and response times.
    Exit status 0 written, 2 no log to read or the file could not be written.
    """
    if ctx.invoked_subcommand is not None:
        return
    from kiosk.ops.interactions import LogSettings
    from kiosk.ops.report_data import build_facts
    from kiosk.ops.report_html import render_report

    start = _since_start(since)
    path = _log_to_read(log_file)
    turns = _read_or_exit(path, start, "No report to write")
    config = _kiosk_config()
    now = datetime.now(UTC)
    target = _target(out, report_name, now)
    facts = build_facts(
        turns, pack=report_pack(pack_dir, config), kiosk=kiosk_name(), location=config.location, since=start, now=now
    )
    settings = LogSettings.from_config(config)
    page = render_report(facts, retention_days=settings.retention_days, log_questions=settings.log_questions)
    _write_or_exit(target, page)
    when = f" since {_describe(start)}" if start else ""
    if facts.asked:
        click.echo(
            f"Wrote the report of {facts.asked} question{'s' if facts.asked != 1 else ''}{when} "
            f"({facts.rate:.0%} answered) to {target}."
        )
    else:
        click.echo(f"No questions{when or ' recorded'}; wrote a report that says so to {target}.")
    sys.exit(EXIT_OK)


@report.command("export")
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path),
    help="File to write, or a folder to write it in (default: docent-questions-<kiosk>-<date>.json here).",
)
@_SINCE
@_LOG
def export(out: Path | None, since: datetime | None, log_file: Path | None) -> None:
    """Export unanswered and low-confidence questions to a JSON file for the curators' editor.

    The file holds, for each question, when it was asked, its language, the words (personal numbers masked), what
    the guide made of it and how sure it was; never any audio. Exit status 0 written, 2 no log to read or the file
    could not be written.
    """
    start = _since_start(since)
    path = _log_to_read(log_file)
    turns = _read_or_exit(path, start, "No questions to export")
    unsure = [t for t in turns if t.needs_curator and t.reason != "not-heard"]
    rows = [t.export_row() for t in unsure if t.question]
    now = datetime.now(UTC)
    target = _target(out, default_name, now)
    try:
        write_json_file(target, export_document(rows, kiosk=kiosk_name(), pack=known_pack(), now=now))
    except OSError as err:
        click.echo(f"error: cannot write {target} ({err.strerror or err}).", err=True)
        sys.exit(EXIT_UNUSABLE)
    when = f" asked since {_describe(start)}" if start else ""
    count = len(rows)
    if count:
        click.echo(f"Exported {count} question{'s' if count != 1 else ''}{when} to {target}.")
    else:
        click.echo(f"No questions{when or ' recorded'}; wrote an empty export to {target}.")
    if len(unsure) > count:
        click.echo(f"{len(unsure) - count} more were recorded without their words (log_questions is off).")
    sys.exit(EXIT_OK)


__all__ = ["export", "export_document", "report", "report_name", "report_pack"]
