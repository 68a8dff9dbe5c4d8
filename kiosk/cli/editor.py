"""``kiosk editor``: the curator's editor (a desktop window; no YAML, no terminal needed after this)."""

from __future__ import annotations

import sys

import click

from kiosk.cli.common import EXIT_UNUSABLE, pack_path
from kiosk.errors import DocentError


@click.command("editor")
@click.argument("path", required=False, type=click.Path(file_okay=False))
@click.option(
    "--languages",
    default="zh,en,ko",
    show_default=True,
    help="Languages of a new venue, first is the default (only used when PATH does not exist yet).",
)
def editor(path: str | None, languages: str) -> None:
    """Open the venue folder PATH in the curator's editor (the demo venue without PATH).

    A folder that does not exist yet (or is empty) becomes a new venue from the template.
    """
    from kiosk.editor.app import launch

    langs = tuple(code.strip() for code in languages.split(",") if code.strip())
    try:
        sys.exit(launch(pack_path(path).expanduser(), langs or ("en",)))
    except DocentError as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(EXIT_UNUSABLE)


__all__ = ["editor"]
