"""Every command of the ``kiosk`` CLI is documented in docs/cli.md, and the README opens with the two commands."""

from __future__ import annotations

from pathlib import Path

import click

from kiosk.cli import main

ROOT = Path(__file__).parent.parent


def _commands(group: click.Group, prefix: str = "kiosk") -> list[str]:
    names: list[str] = []
    for name, command in sorted(group.commands.items()):
        full = f"{prefix} {name}"
        if isinstance(command, click.Group):
            names.extend(_commands(command, full))
        else:
            names.append(full)
    return names


def test_every_command_is_documented() -> None:
    doc = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    missing = [name for name in _commands(main) if f"## `{name}" not in doc]
    assert missing == []


def test_every_command_has_help() -> None:
    def walk(group: click.Group) -> list[click.Command]:
        out: list[click.Command] = []
        for command in group.commands.values():
            out.append(command)
            if isinstance(command, click.Group):
                out.extend(walk(command))
        return out

    assert [c.name for c in walk(main) if not (c.help or "").strip()] == []


def test_readme_opens_with_the_two_commands() -> None:
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "# Docent"
    block = "\n".join(lines[1:6])
    assert "bash packaging/dev.sh demo" in block
    assert "bash packaging/dev.sh test" in block
    assert (ROOT / ".ci" / "run").read_text(encoding="utf-8").count("packaging/dev.sh test") == 1
