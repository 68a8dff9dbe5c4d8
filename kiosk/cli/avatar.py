"""``kiosk avatar``: look at and check avatar packages (``avatars/<name>/avatar.yaml`` and a glTF model)."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path

import click

from kiosk.avatar.package import CLIPS, EXPRESSIONS, JOINTS, MANIFEST, VISEMES, AvatarReport, check_avatar
from kiosk.cli.common import EXIT_INVALID, EXIT_OK, EXIT_UNUSABLE, pack_path


@click.group()
def avatar() -> None:
    """Look at and check avatar packages."""


@avatar.command("validate")
@click.argument("path", required=False, type=click.Path())
def avatar_validate(path: str | None) -> None:
    """Check avatar packages against their models and report every problem with its file, line and field.

    PATH is one avatar folder (holding avatar.yaml), a content pack (every folder in its avatars/), or a folder
    of avatar folders; by default the bundled demo venue. Exit status: 0 every avatar is valid, 1 one has errors,
    2 PATH holds no avatar packages.
    """
    root = pack_path(path)
    folders = _avatar_folders(root)
    if not folders:
        click.echo(
            f"error: {root}: no avatar packages here. Give an avatar folder (with {MANIFEST}), a content pack "
            "with avatars/<name>/, or a folder of avatar folders",
            err=True,
        )
        sys.exit(EXIT_UNUSABLE)
    failed = 0
    for folder in folders:
        report = check_avatar(folder, _display(folder / MANIFEST, root, path))
        for problem in report.problems:
            click.echo(str(problem))
        click.echo(_summary(folder.name, report))
        failed += not report.ok
    sys.exit(EXIT_INVALID if failed else EXIT_OK)


def _avatar_folders(root: Path) -> list[Path]:
    if (root / MANIFEST).is_file():
        return [root]
    parent = root / "avatars" if (root / "avatars").is_dir() else root
    if not parent.is_dir():
        return []
    return sorted(sub for sub in parent.iterdir() if (sub / MANIFEST).is_file())


def _display(manifest: Path, root: Path, given: str | None) -> str:
    """How problems name a manifest: as the user would type it (relative to the pack for the demo venue)."""
    rel = manifest.relative_to(root)
    return (Path(given) / rel).as_posix() if given else rel.as_posix()


def _summary(name: str, report: AvatarReport) -> str:
    spec = report.spec
    if spec is None:
        return f"{name}: {len(report.errors)} error(s) to fix before the kiosk can show this avatar."
    warnings = f"; {len(report.warnings)} warning(s)" if report.warnings else ""
    return (
        f"{name} is valid: {spec.model.name}, {spec.triangles:,} triangles; "
        f"visemes {_mapped(spec.visemes, VISEMES)}; expressions {_mapped(spec.expressions, EXPRESSIONS)}; "
        f"joints {_mapped(spec.joints, JOINTS)}; clips {_mapped(spec.clips, CLIPS)}{warnings}."
    )


def _mapped(mapping: Mapping[str, str], vocabulary: tuple[str, ...]) -> str:
    return ", ".join(word for word in vocabulary if word in mapping) or "none"


__all__ = ["avatar"]
