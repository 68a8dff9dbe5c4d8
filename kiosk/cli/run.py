"""``kiosk run``: the kiosk itself, full screen, for visitors.

Exit codes, for a supervisor (systemd, a Windows service wrapper) that restarts the kiosk:
  0  staff chose "Exit kiosk" in the staff panel, or the window was closed: do not restart
  1  an unexpected crash before the window opened (the log says why): restart
  2  the configuration or the content pack is unusable: fix it (the message says where), restarting will not help
  3  staff chose "Restart" in the staff panel: start again
Once the window is open, an unexpected error never ends the process: it is logged and the visit starts afresh.
"""

from __future__ import annotations

import logging
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path

import click

from kiosk.cli.common import PACK_HELP

EXIT_OK, EXIT_CRASH, EXIT_UNUSABLE, EXIT_RESTART = 0, 1, 2, 3

log = logging.getLogger("kiosk.run")


def _size(value: str | None) -> tuple[int, int] | None:
    if not value:
        return None
    try:
        w, h = (int(v) for v in value.lower().split("x"))
    except ValueError as err:
        raise click.BadParameter(f"'{value}' is not WIDTHxHEIGHT, e.g. 608x1080") from err
    if not (320 <= w <= 7680 and 320 <= h <= 7680):
        raise click.BadParameter("width and height must be 320 to 7680 pixels")
    return w, h


@click.command("run")
@click.option("--pack", "pack_dir", type=click.Path(), help=PACK_HELP)
@click.option("--windowed", is_flag=True, help="A window instead of full screen (a preview on a desktop).")
@click.option("--lang", "language", help="The language the kiosk starts in (zh, en or ko; default: the venue's first).")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), help="kiosk.yaml (default: in DOCENT_HOME).")
@click.option("--size", help="Window size when windowed, WIDTHxHEIGHT (default 608x1080, a portrait kiosk).")
@click.option(
    "--view",
    type=click.Choice(["auto", "native", "offscreen"]),
    help="How the 3D guide is shown: a Panda3D window embedded in Qt (native) or rendered offscreen into Qt.",
)
@click.option("--exit-after", type=float, hidden=True, help="Quit after this many seconds (smoke tests, benchmarks).")
@click.option(
    "--smoke",
    is_flag=True,
    help="Check every part once without a screen (content, one answer, Qt, one guide frame, speech, Vosk), "
    "one line per step, then exit: 0 when all passed.",
)
def run(
    pack_dir: str | None,
    windowed: bool,
    language: str | None,
    config_file: str | None,
    size: str | None,
    view: str | None,
    exit_after: float | None,
    smoke: bool,
) -> None:
    """Start the kiosk: the 3D guide, voice and touch, on the content pack.

    With no arguments and no kiosk.yaml, it opens the bundled demo venue with the bundled guide in a window.
    With a kiosk.yaml (see docs/kiosk.md) it runs full screen with that file's pack, PIN and settings; with its
    sync: section, on the newest synced version of the venue's pack, kept up to date while it runs.
    Exit codes: 0 staff exit, 1 crash, 2 unusable configuration or pack, 3 restart requested.
    With --smoke: 0 every step passed, 1 a step failed, 2 unusable configuration or pack.
    """
    started = time.monotonic()
    if smoke:
        from kiosk.ops.smoke import run_smoke

        sys.exit(run_smoke(Path(config_file) if config_file else None, Path(pack_dir) if pack_dir else None, language))
    from kiosk.errors import DocentError
    from kiosk.ops.config import ConfigError, load_config
    from kiosk.ops.logs import setup_logging

    window_size = _size(size)
    try:
        config = load_config(Path(config_file) if config_file else None, required=config_file is not None)
    except ConfigError as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(EXIT_UNUSABLE)
    logs = setup_logging()
    from kiosk.ui.engines import KioskUnusable
    from kiosk.ui.packs import resolve_pack

    try:
        # --pack, else the synced pack (rolled back when it does not load), else pack: in kiosk.yaml or the demo
        start = resolve_pack(config, Path(pack_dir) if pack_dir else None, language or config.preferred_language)
        content = start.content
        config.check_languages(content.pack.languages)
    except (KioskUnusable, ConfigError) as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(EXIT_UNUSABLE)
    except DocentError as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(EXIT_UNUSABLE)
    from kiosk.ui.kiosk import launch

    code = launch(
        content,
        config,
        logs,
        windowed=windowed or not config.from_file,
        size=window_size,
        view=view,
        started=started,
        exit_after=exit_after,
        follow_sync=pack_dir is None,
    )
    sys.exit(code)


def install_signal_handlers(quit_: Callable[[], object]) -> None:
    """SIGTERM/SIGINT from a supervisor end the Qt loop cleanly (exit 0)."""
    from PySide6.QtCore import QTimer

    # Python runs a signal handler between any two bytecodes, possibly in the middle of a frame: quit from the
    # event loop instead, once that frame is done.
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: QTimer.singleShot(0, quit_))


__all__ = ["EXIT_CRASH", "EXIT_OK", "EXIT_RESTART", "EXIT_UNUSABLE", "install_signal_handlers", "run"]
