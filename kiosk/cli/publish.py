"""Publishing commands: ``kiosk keys init|rotate`` and ``kiosk pack build|publish``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kiosk.cli.common import EXIT_UNUSABLE, load_or_exit, pack_path
from kiosk.ops.paths import data_dir
from kiosk.sync import keys as keyring
from kiosk.sync.bundle import model_files, pack_custom, pack_files
from kiosk.sync.errors import PublishError
from kiosk.sync.repo import Repository, publish_tree

KEYS_HELP = "Folder of the signing keys (default: the data folder's keys/)."


def _keys_dir(path: str | None) -> Path:
    return Path(path) if path else data_dir() / "keys"


def _fail(err: PublishError) -> None:
    click.echo(f"error: {err}", err=True)
    sys.exit(EXIT_UNUSABLE)


@click.group()
def keys() -> None:
    """Create and rotate the keys that sign published content (publishing computer only)."""


@keys.command("init")
@click.option("--keys", "keys_dir", type=click.Path(file_okay=False), help=KEYS_HELP)
@click.option("--repo", required=True, type=click.Path(file_okay=False), help="Repository folder to create.")
@click.option(
    "--bins",
    default=32,
    show_default=True,
    type=click.Choice(["16", "32", "64", "128", "256"]),
    help="Hash bins: more for packs of many thousand files.",
)
def keys_init(keys_dir: str | None, repo: str, bins: str) -> None:
    """Create signing keys and an empty repository signed by them.

    Prints where each key lives and what to do with it. The root key belongs offline afterwards.
    """
    folder = _keys_dir(keys_dir)
    try:
        ring = keyring.generate(folder)
        created = Repository.create(Path(repo), ring, bin_bits=int(bins).bit_length() - 1)
    except PublishError as err:
        _fail(err)
        return
    click.echo(f"Keys created in {folder} (each file readable by you only).")
    click.echo(f"Repository created in {repo}.\n")
    click.echo(keyring.GUIDANCE.replace("THIS-FOLDER", str(folder)).replace("REPO", str(repo)))
    click.echo("Next steps:")
    click.echo(f"  1. Move {folder / 'root.pem'} to an offline drive now.")
    click.echo(f"  2. Give every kiosk the root of trust: {created.root_file}")
    click.echo(f"  3. Publish a pack: kiosk pack build PACK --out {repo}")


@keys.command("rotate")
@click.argument("role", type=click.Choice(list(keyring.ROLES)))
@click.option("--keys", "keys_dir", type=click.Path(file_okay=False), help=KEYS_HELP)
@click.option("--root-keys", type=click.Path(file_okay=False), help="Folder holding root.pem (default: --keys).")
@click.option("--repo", required=True, type=click.Path(file_okay=False), help="Repository folder.")
def keys_rotate(role: str, keys_dir: str | None, root_keys: str | None, repo: str) -> None:
    """Replace ROLE's key; kiosks follow on their next sync. Also renews the root's expiry.

    Needs the offline root key. The old key file is kept under retired/ for you to destroy.
    """
    folder = _keys_dir(keys_dir)
    try:
        ring = keyring.load(folder)
        root_ring = keyring.load(Path(root_keys)) if root_keys else ring
        old_root = root_ring.signer("root")
        repository = Repository.open(Path(repo), ring)
        new_signer, retired = keyring.replace(Path(root_keys) if role == "root" and root_keys else folder, role)
        version = repository.rotate(role, new_signer, old_root)
    except PublishError as err:
        _fail(err)
        return
    click.echo(f"The {role} key was replaced; root version {version} is published in {repo}/metadata.")
    click.echo(f"The old key is in {retired}: destroy it once every kiosk has synced.")
    click.echo(f"Now copy the repository to the server: kiosk pack publish {repo} --to SERVER-FOLDER")


@click.command("build")
@click.argument("src", required=False, type=click.Path())
@click.option("--out", "repo", required=True, type=click.Path(file_okay=False), help="Repository folder.")
@click.option("--keys", "keys_dir", type=click.Path(file_okay=False), help=KEYS_HELP)
def pack_build(src: str | None, repo: str, keys_dir: str | None) -> None:
    """Validate the pack at SRC and add it to the repository as its next signed version.

    Unchanged files keep their names (they are named by their hash), so kiosks download only what changed.
    Refuses a pack with errors.
    """
    root = pack_path(src)
    venue = load_or_exit(root)
    try:
        repository = Repository.open(Path(repo), keyring.load(_keys_dir(keys_dir), keyring.ONLINE_ROLES))
        result = repository.add_bundle("packs", venue.venue.id, pack_files(root), pack_custom(venue))
    except PublishError as err:
        _fail(err)
        return
    if not result.changed:
        click.echo(f"{result.name}: nothing changed since version {result.version}; nothing to publish.")
        return
    click.echo(
        f"{result.name} version {result.version}: {result.files} files, {result.total_bytes / 1e6:.2f} MB; "
        f"{result.new_files} new or changed ({result.new_bytes / 1e6:.2f} MB) is what kiosks will download."
    )
    click.echo(f"Next: kiosk pack publish {repo} --to SERVER-FOLDER (or copy {repo} to your web server).")


@click.command("publish")
@click.argument("model_dir", type=click.Path(file_okay=False, exists=True))
@click.option("--lang", "language", required=True, help="The model's language code (ko, zh, en...).")
@click.option("--out", "repo", required=True, type=click.Path(file_okay=False), help="Repository folder.")
@click.option("--keys", "keys_dir", type=click.Path(file_okay=False), help=KEYS_HELP)
def models_publish(model_dir: str, language: str, repo: str, keys_dir: str | None) -> None:
    """Add a Vosk speech model folder to the repository, so kiosks install it with 'kiosk sync --model LANG'.

    Like packs: signed, content-addressed, and downloaded only where it changed.
    """
    try:
        repository = Repository.open(Path(repo), keyring.load(_keys_dir(keys_dir), keyring.ONLINE_ROLES))
        result = repository.add_bundle("models", language, model_files(Path(model_dir)), {"language": language})
    except PublishError as err:
        _fail(err)
        return
    state = f"version {result.version}" if result.changed else f"unchanged (version {result.version})"
    click.echo(f"Speech model '{language}' {state}: {result.files} files, {result.total_bytes / 1e6:.1f} MB.")


@click.command("publish")
@click.argument("repo", type=click.Path(file_okay=False, exists=True))
@click.option("--to", "dest", type=click.Path(file_okay=False), help="The folder the web server serves.")
@click.option("--refresh", is_flag=True, help="Re-sign the timestamp (and anything close to expiry) first.")
@click.option("--keys", "keys_dir", type=click.Path(file_okay=False), help=KEYS_HELP)
def pack_publish(repo: str, dest: str | None, refresh: bool, keys_dir: str | None) -> None:
    """Copy the repository REPO to the server's folder, safely, and optionally refresh its signatures.

    New files first, the timestamp last, so a kiosk syncing meanwhile never sees a half-published version.
    Kiosks refuse metadata older than its expiry (7 days for the timestamp): run with --refresh daily.
    """
    if not dest and not refresh:
        raise click.UsageError("give --to FOLDER, --refresh, or both")
    try:
        if refresh:
            repository = Repository.open(Path(repo), keyring.load(_keys_dir(keys_dir), keyring.ONLINE_ROLES))
            renewed = repository.refresh()
            click.echo(f"Re-signed: {', '.join(renewed)}.")
        if dest:
            result = publish_tree(Path(repo), Path(dest))
            click.echo(
                f"Published to {dest}: {result.copied} files copied ({result.copied_bytes / 1e6:.2f} MB), "
                f"{result.skipped} already there."
            )
    except PublishError as err:
        _fail(err)


__all__ = ["keys", "models_publish", "pack_build", "pack_publish"]
