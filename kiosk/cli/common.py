"""Helpers shared by the CLI commands: exit codes, the pack option, loading a pack with clear errors."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kiosk.content import Pack, PackUnusable, Report, validate_pack
from kiosk.ops.paths import demo_pack_path

EXIT_OK, EXIT_INVALID, EXIT_UNUSABLE = 0, 1, 2
PACK_HELP = "Content pack folder (default: the bundled demo venue)."


def pack_path(path: str | None) -> Path:
    return Path(path) if path else demo_pack_path()


def validate_or_exit(path: Path) -> Report:
    try:
        return validate_pack(path)
    except PackUnusable as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(EXIT_UNUSABLE)


def load_or_exit(path: Path) -> Pack:
    report = validate_or_exit(path)
    if report.pack is None or not report.ok:
        for problem in report.errors:
            click.echo(str(problem), err=True)
        click.echo("error: the pack has errors; fix them first (kiosk pack validate).", err=True)
        sys.exit(EXIT_INVALID)
    return report.pack
