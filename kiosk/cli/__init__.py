"""The ``kiosk`` command. Every command has help text; docs/cli.md documents each one (a test checks)."""

from __future__ import annotations

import click

from kiosk import __version__
from kiosk.cli.ask import ask, evaluate
from kiosk.cli.avatar import avatar
from kiosk.cli.avatar_render import avatar_render
from kiosk.cli.config import config
from kiosk.cli.doctor import doctor
from kiosk.cli.editor import editor
from kiosk.cli.models import models
from kiosk.cli.pack import pack
from kiosk.cli.publish import keys, models_publish, pack_build, pack_publish
from kiosk.cli.report import report
from kiosk.cli.run import run
from kiosk.cli.sync import sync
from kiosk.cli.voice import converse, say


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="kiosk", message="%(prog)s (Docent) %(version)s")
def main() -> None:
    """Docent: an offline digital-human guide for museums and heritage sites."""


main.add_command(pack)
main.add_command(ask)
main.add_command(evaluate)
main.add_command(models)
main.add_command(converse)
main.add_command(say)
main.add_command(avatar)
main.add_command(run)
main.add_command(editor)
main.add_command(sync)
main.add_command(keys)
main.add_command(report)
main.add_command(config)
main.add_command(doctor)
pack.add_command(pack_build)
pack.add_command(pack_publish)
models.add_command(models_publish)

__all__ = ["avatar_render", "main"]
