"""The ``kiosk`` command. Every command has help text; docs/cli.md documents each one (a test checks)."""

from __future__ import annotations

import click

from kiosk import __version__
from kiosk.cli.ask import ask, evaluate
from kiosk.cli.pack import pack


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="kiosk", message="%(prog)s (Docent) %(version)s")
def main() -> None:
    """Docent: an offline digital-human guide for museums and heritage sites."""


main.add_command(pack)
main.add_command(ask)
main.add_command(evaluate)

__all__ = ["main"]
