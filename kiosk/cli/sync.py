"""``kiosk sync``: fetch the venue's newest signed pack, or show and roll back what is installed."""

from __future__ import annotations

import json
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from kiosk.ops.config import ConfigError, load_config
from kiosk.sync.client import Client, Progress
from kiosk.sync.errors import SyncError, SyncFailed, SyncOffline, SyncRefused
from kiosk.sync.settings import SyncSettings
from kiosk.sync.store import Store, installed_pack, sync_store
from kiosk.sync.trust import install_trust

EXIT_OK, EXIT_REFUSED, EXIT_SETUP, EXIT_OFFLINE, EXIT_FAILED = 0, 1, 2, 3, 4


def exit_code(err: SyncError) -> int:
    if isinstance(err, SyncRefused):
        return EXIT_REFUSED
    if isinstance(err, SyncOffline):
        return EXIT_OFFLINE
    if isinstance(err, SyncFailed):
        return EXIT_FAILED
    return EXIT_SETUP


@click.command("sync")
@click.option("--server", help="Repository address (default: sync.server in kiosk.yaml).")
@click.option("--pack", "pack_id", help="Pack id to fetch (default: sync.pack in kiosk.yaml, or the installed one).")
@click.option("--trust", type=click.Path(dir_okay=False, exists=True), help="Install this root of trust (1.root.json).")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), help="kiosk.yaml to read.")
@click.option("--max-kbps", type=click.IntRange(0), help="Bandwidth cap in kilobytes per second (0: none).")
@click.option("--status", is_flag=True, help="Show the installed versions and the last sync, and fetch nothing.")
@click.option("--rollback", is_flag=True, help="Go back to the previous version now.")
@click.option("--json", "as_json", is_flag=True, help="Progress and result as JSON lines (for the kiosk).")
@click.option("--model", "model", metavar="LANG", help="Fetch and install the speech model for LANG instead of a pack.")
def sync(
    server: str | None,
    pack_id: str | None,
    trust: str | None,
    config_file: str | None,
    max_kbps: int | None,
    status: bool,
    rollback: bool,
    as_json: bool,
    model: str | None,
) -> None:
    """Fetch and install the newest signed version of the venue's pack.

    Verifies everything against the kiosk's root of trust, downloads only what changed (resuming interrupted
    files), checks the new version, then switches to it in one step, keeping the previous one.
    Exit status: 0 done or already up to date, 1 refused (failed verification), 2 not set up,
    3 server unreachable (try later), 4 local problem (disk, health check).
    With --model LANG it fetches that speech model (published with 'kiosk models publish') and installs it.
    """
    store = sync_store()
    try:
        config = load_config(Path(config_file) if config_file else None, required=bool(config_file))
    except ConfigError as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(EXIT_SETUP)
    settings = config.sync
    if trust:
        try:
            click.echo(install_trust(store, Path(trust)))
        except SyncError as err:
            click.echo(f"error: {err}", err=True)
            sys.exit(EXIT_SETUP)
    name = pack_id or (settings.pack if settings else None) or installed_pack(store)
    if status:
        _show_status(store, name)
        return
    if rollback:
        _rollback(store, name)
        return
    if server:
        settings = replace(settings, server=server) if settings else SyncSettings(server=server)
    if settings is None:
        if trust:
            return
        click.echo("error: no server: give --server URL or set sync.server in kiosk.yaml", err=True)
        sys.exit(EXIT_SETUP)
    if max_kbps is not None:
        settings = replace(settings, max_kbps=max_kbps)
    if model:
        sys.exit(run_model_sync(store, settings, model, as_json))
    if name is None:
        click.echo("error: which pack? give --pack ID or set sync.pack in kiosk.yaml", err=True)
        sys.exit(EXIT_SETUP)
    sys.exit(run_sync(store, settings, name, as_json))


def run_model_sync(store: Store, settings: SyncSettings, language: str, as_json: bool) -> int:
    """Fetch the speech model for ``language`` and install it where the kiosk's recogniser looks."""
    from kiosk.sync.health import check_model
    from kiosk.voice.models import ModelError, install, installed_models

    printer = _Printer(as_json)
    client = Client(
        store, settings.server, net=settings.net(), limits=settings.limits(), progress=printer, health=check_model
    )
    try:
        result = client.sync(language, kind="models")
        folder = store.current_dir("models", language)
        have = {m.language: m for m in installed_models()}
        if folder is not None and (result.updated or language not in have):
            install(str(folder), language=language, force=True)
    except (SyncError, ModelError) as err:
        printer.close()
        click.echo(f"error: {err}", err=True)
        return exit_code(err) if isinstance(err, SyncError) else EXIT_FAILED
    printer.close()
    click.echo(result.summary().replace(f"{language} ", f"speech model '{language}' ", 1))
    return EXIT_OK


def run_sync(store: Store, settings: SyncSettings, name: str, as_json: bool) -> int:
    """One sync with progress on the terminal; records the outcome for the staff panel. Returns the exit code."""
    printer = _Printer(as_json)
    client = Client(store, settings.server, net=settings.net(), limits=settings.limits(), progress=printer)
    state = store.state()
    state.last_attempt = time.time()
    try:
        result = client.sync(name)
    except SyncError as err:
        printer.close()
        state.failures += 1
        state.last_error, state.last_error_code = str(err), err.code
        store.save_state(state)
        if as_json:
            _json({"event": "error", "code": err.code, "kind": type(err).__name__, "message": str(err)})
        else:
            click.echo(f"error: {err}", err=True)
            click.echo("The kiosk keeps its current content.", err=True)
        return exit_code(err)
    printer.close()
    state.failures, state.last_error, state.last_error_code = 0, None, None
    state.last_success, state.last_bytes = time.time(), result.downloaded_bytes
    store.save_state(state)
    if as_json:
        _json({"event": "done", "updated": result.updated, "version": result.version, "message": result.summary()})
    else:
        click.echo(result.summary())
    return EXIT_OK


def _show_status(store: Store, name: str | None) -> None:
    if name is None or store.installed("packs", name) is None:
        click.echo("No synced pack is installed on this kiosk.")
    else:
        installed = store.installed("packs", name)
        assert installed is not None
        current = installed.current
        click.echo(f"{name}: version {current.version}" + ("" if current.confirmed else " (not yet confirmed)"))
        if installed.previous:
            click.echo(f"  previous: version {installed.previous.version} (kept for rollback)")
        if installed.rejected:
            click.echo(f"  withdrawn: {', '.join(map(str, installed.rejected))}")
        if installed.note:
            click.echo(f"  note: {installed.note}")
    state = store.state()
    click.echo(f"Last sync: {_when(state.last_success)}; last attempt: {_when(state.last_attempt)}")
    if state.last_error:
        click.echo(f"Last problem: {state.last_error}")


def _rollback(store: Store, name: str | None) -> None:
    if name is None:
        click.echo("error: which pack? give --pack ID", err=True)
        sys.exit(EXIT_SETUP)
    back = store.rollback("packs", name, "rolled back by staff")
    if back is None:
        click.echo(f"error: {name} has no previous version to go back to", err=True)
        sys.exit(EXIT_FAILED)
    click.echo(f"{name} is back on version {back.current.version}; restart the kiosk to use it.")


def _when(stamp: float | None) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(stamp)) if stamp else "never"


def _json(data: dict[str, Any]) -> None:
    click.echo(json.dumps(data, ensure_ascii=False))


class _Printer:
    """Progress on the terminal (a bar while downloading) or as JSON lines; called from download threads."""

    def __init__(self, as_json: bool) -> None:
        self.as_json = as_json
        self.lock = threading.Lock()
        self.stage = ""
        self.bar: Any = None
        self.shown = 0
        self.last_json = 0.0

    def __call__(self, progress: Progress) -> None:
        with self.lock:
            if self.as_json:
                now = time.monotonic()
                if progress.stage != "download" or now - self.last_json > 0.25 or progress.done == progress.total:
                    self.last_json = now
                    _json(
                        {
                            "event": "progress",
                            "stage": progress.stage,
                            "done": progress.done,
                            "total": progress.total,
                            "message": progress.message,
                        }
                    )
                return
            if progress.stage != self.stage:
                self._end_bar()
                self.stage = progress.stage
                if progress.message and progress.stage != "done":
                    click.echo(progress.message[0].upper() + progress.message[1:] + "...")
            if progress.stage == "download" and progress.total:
                if self.bar is None:
                    self.bar = click.progressbar(length=progress.total, label="Downloading", file=sys.stderr)
                    self.bar.__enter__()
                self.bar.update(progress.done - self.shown)
                self.shown = progress.done

    def _end_bar(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None

    def close(self) -> None:
        with self.lock:
            self._end_bar()


__all__ = ["EXIT_FAILED", "EXIT_OFFLINE", "EXIT_OK", "EXIT_REFUSED", "EXIT_SETUP", "run_sync", "sync", "sync_store"]
