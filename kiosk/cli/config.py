"""``kiosk config``: the kiosk's own settings file, for the technician installing it.

``check`` reads kiosk.yaml as the kiosk will and prints every setting with its effective value (defaults
included) or every mistake with its line; ``example`` prints a commented file to start from; ``pin-hash`` turns
a staff PIN into the ``staff_pin_hash`` line, so the PIN itself is never written down.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

import click

from kiosk.cli.common import EXIT_OK, EXIT_UNUSABLE
from kiosk.ops.config import EXAMPLE, PIN_PATTERN, ConfigError, KioskConfig, config_path, load_config
from kiosk.ops.pinhash import hash_pin

_HIDDEN = {"path", "lines"}
_SECRET = {"staff_pin", "staff_pin_hash"}


def effective(config: KioskConfig) -> dict[str, object]:
    """Every setting with the value the kiosk uses, as plain JSON-able values (PINs shown only as set or not)."""
    out: dict[str, object] = {}
    for item in dataclasses.fields(config):
        if item.name in _HIDDEN:
            continue
        value = getattr(config, item.name)
        if item.name in _SECRET:
            value = "(set)" if value else None
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            value = dataclasses.asdict(value)
        elif isinstance(value, Path):
            value = str(value)
        elif isinstance(value, tuple):
            value = list(value)
        elif hasattr(value, "value"):
            value = value.value
        out[item.name] = value
    return out


@click.group()
def config() -> None:
    """The kiosk's settings file (kiosk.yaml): check it, start one, hash the staff PIN."""


@config.command()
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="The effective settings (or the problems) as JSON.")
def check(file: str | None, as_json: bool) -> None:
    """Check kiosk.yaml (default: the one in DOCENT_HOME) and show every setting the kiosk will use.

    Exit codes: 0 the file is valid (or absent: defaults), 2 it has mistakes (each with its line).
    """
    where = Path(file) if file else config_path()
    try:
        loaded = load_config(where, required=file is not None)
    except ConfigError as err:
        if as_json:
            problems = [{"line": p.line, "field": p.field, "message": p.message, "code": p.code} for p in err.problems]
            click.echo(json.dumps({"file": str(where), "ok": False, "problems": problems}, ensure_ascii=False))
        else:
            click.echo(f"error: {err}", err=True)
        sys.exit(EXIT_UNUSABLE)
    values = effective(loaded)
    if as_json:
        click.echo(json.dumps({"file": str(where), "ok": True, "settings": values}, ensure_ascii=False))
        return
    if loaded.from_file:
        click.echo(f"{where}: valid. The kiosk will use:")
    else:
        click.echo(f"{where} does not exist: the kiosk runs as a windowed preview with these defaults:")
    for key, value in values.items():
        marker = "" if key in loaded.lines else "   (default)"
        click.echo(f"  {key}: {json.dumps(value, ensure_ascii=False)}{marker}")
    sys.exit(EXIT_OK)


@config.command()
def example() -> None:
    """Print a commented kiosk.yaml with every setting, to start from."""
    click.echo(EXAMPLE, nl=False)


@config.command("pin-hash")
@click.option("--pin", envvar="DOCENT_PIN", help="The PIN (default: typed twice, hidden). Avoid it on shared shells.")
def pin_hash(pin: str | None) -> None:
    """Print the staff_pin_hash line for a staff PIN (4 to 8 digits), so kiosk.yaml never holds the PIN itself."""
    if pin is None:
        pin = click.prompt("Staff PIN (4 to 8 digits)", hide_input=True, confirmation_prompt="Again, to be sure")
    pin = pin.strip()
    if not PIN_PATTERN.match(pin):
        click.echo("error: a staff PIN is 4 to 8 digits (0-9); nothing was printed", err=True)
        sys.exit(EXIT_UNUSABLE)
    click.echo(f'staff_pin_hash: "{hash_pin(pin)}"')


__all__ = ["config", "effective"]
