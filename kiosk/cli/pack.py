"""``kiosk pack``: create, check and index content packs."""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import click

from kiosk.cli.common import EXIT_INVALID, EXIT_OK, EXIT_UNUSABLE, load_or_exit, pack_path, validate_or_exit
from kiosk.content import PackIndex, Report
from kiosk.content.scaffold import new_pack
from kiosk.errors import DocentError


@click.group()
def pack() -> None:
    """Create, check and index content packs."""


@pack.command("validate")
@click.argument("path", required=False, type=click.Path())
@click.option("--warnings", "show_warnings", is_flag=True, help="List every warning, not only their count.")
@click.option("--json", "as_json", is_flag=True, help="Print the problems as JSON (for the editor and tools).")
def pack_validate(path: str | None, show_warnings: bool, as_json: bool) -> None:
    """Check a content pack and report every problem with its file, line and field.

    Exit status: 0 the pack is valid, 1 it has errors, 2 PATH is not a usable pack folder.
    """
    root = pack_path(path)
    report = validate_or_exit(root)
    if as_json:
        click.echo(
            json.dumps(
                {
                    "pack": str(report.root),
                    "valid": report.ok,
                    "problems": [
                        {
                            "file": p.file,
                            "line": p.line,
                            "field": p.field,
                            "severity": p.severity.value,
                            "code": p.code,
                            "message": p.message,
                        }
                        for p in report.problems
                    ],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        sys.exit(EXIT_OK if report.ok else EXIT_INVALID)
    for problem in report.errors:
        click.echo(str(problem))
    if show_warnings:
        for problem in report.warnings:
            click.echo(str(problem))
    summary = _summary(report)
    if report.ok:
        click.echo(f"The pack is valid: {summary}.")
    else:
        click.echo(f"The pack has {len(report.errors)} error(s) to fix before it can be used ({summary}).")
    if report.warnings and not show_warnings:
        kinds = Counter(p.code for p in report.warnings)
        detail = ", ".join(f"{n} {code.replace('-', ' ')}" for code, n in kinds.most_common())
        click.echo(f"{len(report.warnings)} warning(s) ({detail}); run with --warnings to list them.")
    sys.exit(EXIT_OK if report.ok else EXIT_INVALID)


def _summary(report: Report) -> str:
    if report.pack is None:
        return f"{report.root}"
    venue = report.pack.venue
    return (
        f"{len(report.pack.exhibits)} exhibits, {len(venue.galleries)} galleries, {len(venue.facilities)} facilities, "
        f"languages {', '.join(venue.languages)}"
    )


@pack.command("new")
@click.argument("directory", type=click.Path(file_okay=False))
@click.option(
    "--languages",
    default="en,zh,ko",
    show_default=True,
    help="Comma-separated language codes; the first is the venue's default.",
)
def pack_new(directory: str, languages: str) -> None:
    """Create a new content pack folder from a small, valid template."""
    langs = [code.strip() for code in languages.split(",") if code.strip()]
    try:
        written = new_pack(Path(directory), langs)
    except DocentError as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(EXIT_UNUSABLE)
    for path in written:
        click.echo(f"created {path}")
    click.echo(f"Next: edit the files, then run 'kiosk pack validate {directory}'.")


@pack.command("index")
@click.argument("path", required=False, type=click.Path())
def pack_index(path: str | None) -> None:
    """Build (or refresh) the pack's search index and say where it is.

    The index is a cache: it is rebuilt automatically whenever a pack file changes.
    """
    loaded = load_or_exit(pack_path(path))
    try:
        index = PackIndex.open(loaded)
    except DocentError as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(EXIT_INVALID)
    state = "built" if index.rebuilt else "up to date"
    click.echo(f"Index {state}: {index.path} ({index.count()} entries, pack {loaded.fingerprint[:12]})")
    index.close()


__all__ = ["pack"]
