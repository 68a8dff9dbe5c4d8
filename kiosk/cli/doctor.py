"""``kiosk doctor``: check this kiosk and say whether it is fit to open to the public, with a fix for each problem.

Exit codes: 0 fit to open (warnings allowed), 1 not fit (something failed; hardware this machine lacks is named
as such).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from kiosk.cli.common import EXIT_INVALID, EXIT_OK


@click.command()
@click.option("--json", "as_json", is_flag=True, help="The findings as JSON, for fleet tools.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), help="kiosk.yaml (default: in DOCENT_HOME).")
@click.option("--probe-opengl", is_flag=True, hidden=True, help="Internal: render one frame and print the driver.")
def doctor(as_json: bool, config_file: str | None, probe_opengl: bool) -> None:
    """Check the kiosk: configuration, content pack, OpenGL, screen, speaker and microphone, speech models and
    voices per language, disk space, clock, sync server and root of trust. Each problem comes with a fix.

    Exit codes: 0 fit to open to the public, 1 not fit (each failure says what to do).
    """
    if probe_opengl:
        from kiosk.ops.checks_devices import probe_opengl as probe

        click.echo(json.dumps(probe()))
        sys.exit(EXIT_OK)
    from kiosk.ops.checks import Context, all_checks
    from kiosk.ops.doctor import dumps, run_checks

    ctx = Context(Path(config_file) if config_file else None)
    ctx.load()
    diagnosis = run_checks(all_checks(ctx), location=ctx.settings.location)
    click.echo(dumps(diagnosis) if as_json else diagnosis.text())
    sys.exit(EXIT_OK if diagnosis.fit else EXIT_INVALID)


__all__ = ["doctor"]
