"""The checks ``kiosk doctor`` runs, each a function returning :class:`~kiosk.ops.doctor.Finding` values.

They look, they do not change anything: the pack is validated but not installed, the sync server is asked for
its timestamp but nothing is downloaded, the microphone is listened to for half a second and nothing is kept.
Hardware checks (screen, speaker, microphone) say ``hardware=True`` when the device is simply absent.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from kiosk.ops.config import ConfigError, KioskConfig, load_config
from kiosk.ops.doctor import Check, Finding, fail, ok, warn
from kiosk.ops.paths import data_dir, demo_pack_path

DISK_FAIL_MB = 500
DISK_WARN_MB = 2000
SERVER_TIMEOUT_S = 8.0
CLOCK_SLACK = timedelta(days=1)


@dataclass
class Context:
    """What several checks share: the configuration (None when it is broken) and the pack to be shown."""

    config_file: Path | None = None
    config: KioskConfig | None = None
    config_error: ConfigError | None = None
    pack_folder: Path | None = None
    pack_languages: tuple[str, ...] = ()
    pack_speech: Any = None

    def load(self) -> None:
        try:
            self.config = load_config(self.config_file, required=self.config_file is not None)
        except ConfigError as err:
            self.config_error = err

    @property
    def settings(self) -> KioskConfig:
        return self.config or KioskConfig()

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages this kiosk offers visitors (the pack's, narrowed by ``languages`` in kiosk.yaml)."""
        return self.settings.offered(self.pack_languages) if self.pack_languages else ()


# -- configuration, storage, content ------------------------------------------------------------------------


def check_config(ctx: Context) -> Iterator[Finding]:
    title = "Configuration"
    if ctx.config_error is not None:
        err = ctx.config_error
        first = err.problems[0] if err.problems else None
        where = f"{err.path}:{first.line}: {first.field}: {first.message}" if first else str(err)
        more = f" (and {len(err.problems) - 1} more)" if len(err.problems) > 1 else ""
        yield fail(
            "config",
            title,
            f"{err.path} has {len(err.problems)} mistake(s): {where}{more}",
            "fix the lines named (see 'kiosk config check' for all of them); the kiosk will not start until then",
            problems=[str(p) for p in err.problems],
        )
        return
    c = ctx.settings
    if not c.from_file:
        yield warn(
            "config",
            title,
            "no kiosk.yaml: the kiosk runs as a windowed preview of the demo venue",
            f"create {data_dir() / 'kiosk.yaml'} ('kiosk config example' prints one to start from)",
        )
        return
    yield ok("config", title, f"{c.path} is valid", file=str(c.path))
    if c.staff_pin is None and c.staff_pin_hash is None:
        yield warn(
            "staff-pin",
            "Staff PIN",
            "no staff PIN: the staff panel cannot be opened on this kiosk",
            "add the line 'kiosk config pin-hash' prints to kiosk.yaml",
        )
    elif c.staff_pin is not None:
        yield warn(
            "staff-pin",
            "Staff PIN",
            "the staff PIN is written in kiosk.yaml in plain digits",
            "replace the staff_pin line with the staff_pin_hash line 'kiosk config pin-hash' prints",
        )
    else:
        yield ok("staff-pin", "Staff PIN", "set (stored as a hash)")


def check_data_folder(ctx: Context) -> Iterator[Finding]:
    folder = data_dir()
    title = "Data folder"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / f".doctor-{os.getpid()}"
        probe.write_bytes(b"ok")
        probe.unlink()
    except OSError as err:
        yield fail(
            "data-folder",
            title,
            f"{folder} cannot be written ({err.strerror or err})",
            f"give the kiosk's user write access to {folder} (the .deb uses /var/lib/docent, owned by 'docent')",
        )
        return
    yield ok("data-folder", title, f"{folder} is writable", path=str(folder))


def check_disk(ctx: Context) -> Iterator[Finding]:
    folder = data_dir()
    target = folder if folder.exists() else folder.parent
    free_mb = shutil.disk_usage(target).free // 1_000_000
    keep = ctx.settings.sync.keep_free_mb if ctx.settings.sync is not None else 0
    title = "Disk space"
    summary = f"{free_mb:,} MB free for {folder}"
    fix = "free space on that disk (old logs under logs/, files that are not Docent's) or use a bigger disk"
    if free_mb < max(DISK_FAIL_MB, keep):
        yield fail("disk", title, summary + "; updates and logs will fail", fix, free_mb=free_mb)
    elif free_mb < DISK_WARN_MB:
        yield warn("disk", title, summary + "; enough for now, but not for many content updates", fix, free_mb=free_mb)
    else:
        yield ok("disk", title, summary, free_mb=free_mb)


def _pack_source(ctx: Context) -> tuple[Path, str, Finding | None]:
    """The folder the kiosk will show, how to name it, and a finding when sync has nothing installed yet."""
    c = ctx.settings
    fallback = c.pack or demo_pack_path()
    fallback_name = "the demo venue" if c.pack is None else str(c.pack)
    if c.sync is None:
        return fallback, fallback_name, None
    from kiosk.sync.store import installed_pack, sync_store

    store = sync_store()
    name = c.sync.pack or installed_pack(store)
    installed = store.installed("packs", name) if name else None
    folder = store.current_dir("packs", name) if name else None
    if installed is None or folder is None:
        note = warn(
            "pack-sync",
            "Synced content",
            f"no synced pack is installed yet; the kiosk shows {fallback_name} until the first sync",
            "run 'kiosk sync' (or wait for the schedule) and check the Sync line below",
        )
        return fallback, fallback_name, note
    state = "confirmed" if installed.current.confirmed else "new, not yet confirmed by a 30 s run"
    return folder, f"synced pack {name}, version {installed.current.version} ({state})", None


def check_pack(ctx: Context) -> Iterator[Finding]:
    from kiosk.content import PackUnusable, validate_pack

    folder, name, note = _pack_source(ctx)
    if note is not None:
        yield note
    title = "Content pack"
    try:
        report = validate_pack(folder)
    except PackUnusable as err:
        yield fail("pack", title, f"{name} cannot be read: {err}", "publish the pack again, or set pack: in kiosk.yaml")
        return
    if report.pack is None or not report.ok:
        first = report.errors[0] if report.errors else None
        yield fail(
            "pack",
            title,
            f"{name} has {len(report.errors)} error(s)" + (f", first: {first}" if first else ""),
            "the curators fix them in the editor and publish again ('kiosk pack validate' lists them all)",
        )
        return
    pack = report.pack
    ctx.pack_folder, ctx.pack_languages, ctx.pack_speech = folder, tuple(pack.languages), pack.venue.speech
    venue = pack.venue.name.pick("en", pack.languages)[0]
    wrong = [code for code in ctx.settings.languages or () if code not in pack.languages]
    summary = f"{venue}: {name}, {len(pack.exhibits)} exhibits, languages {', '.join(ctx.languages)}"
    if wrong:
        yield fail(
            "pack",
            title,
            f"{summary}; kiosk.yaml offers {', '.join(wrong)}, which the pack lacks",
            f"remove {', '.join(wrong)} from languages in kiosk.yaml, or have the curators add them",
        )
        return
    yield ok("pack", title, summary, folder=str(folder), languages=list(ctx.languages))


# -- time and sync -------------------------------------------------------------------------------------------


def _built_at() -> datetime:
    """When this build was made: the newest file of the kiosk package (a clock before it is certainly wrong)."""
    import kiosk

    package = Path(kiosk.__file__).parent
    newest = max((p.stat().st_mtime for p in package.glob("*.py")), default=0.0)
    return datetime.fromtimestamp(newest, UTC)


def check_clock(ctx: Context) -> Iterator[Finding]:
    title = "Clock"
    now = datetime.now(UTC)
    built = _built_at()
    fix = "set the time: 'timedatectl set-ntp true' with network, or 'date -s' by hand, then restart the kiosk"
    if now + CLOCK_SLACK < built:
        yield fail(
            "clock",
            title,
            f"the clock says {now:%Y-%m-%d}, before this software was built ({built:%Y-%m-%d})"
            "; signed updates will be refused as expired or not yet valid",
            fix,
            now=now.isoformat(),
        )
        return
    synced = _ntp_synchronized()
    summary = f"{now.astimezone():%Y-%m-%d %H:%M %Z}"
    if synced is False:
        yield warn(
            "clock",
            title,
            summary + "; not synchronised with a time server",
            "enable time sync: 'timedatectl set-ntp true' (signed updates need a right clock)",
        )
    else:
        yield ok("clock", title, summary + ("; synchronised" if synced else ""))


def _ntp_synchronized() -> bool | None:
    if shutil.which("timedatectl") is None:
        return None
    try:
        done = subprocess.run(
            ["timedatectl", "show", "-p", "NTPSynchronized", "--value"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    value = done.stdout.strip()
    return {"yes": True, "no": False}.get(value) if done.returncode == 0 else None


def check_sync(ctx: Context) -> Iterator[Finding]:
    title = "Sync server"
    settings = ctx.settings.sync
    if settings is None:
        yield ok(
            "sync", title, "not set up: this kiosk shows a local pack (add sync: to kiosk.yaml to follow a server)"
        )
        return
    from kiosk.sync.store import sync_store

    store = sync_store()
    yield from _trust(store.trust_file)
    url = settings.server.rstrip("/") + "/metadata/timestamp.json"
    import requests

    try:
        response = requests.get(url, timeout=SERVER_TIMEOUT_S, headers={"Cache-Control": "no-cache"})
    except requests.RequestException as err:
        yield warn(
            "sync",
            title,
            f"{settings.server} cannot be reached ({type(err).__name__}); the kiosk keeps its current content",
            "check the network, the server address in kiosk.yaml, and the firewall",
        )
        return
    if response.status_code != 200:
        yield warn(
            "sync",
            title,
            f"{url} answered HTTP {response.status_code}",
            "check the server address in kiosk.yaml and that the repository is published there",
        )
        return
    try:
        expires = datetime.fromisoformat(str(response.json()["signed"]["expires"]).replace("Z", "+00:00"))
    except (ValueError, KeyError, TypeError):
        yield fail(
            "sync",
            title,
            f"{url} is not signed TUF timestamp metadata",
            "the server address must point at the published repository folder",
        )
        return
    if expires < datetime.now(UTC):
        yield warn(
            "sync",
            title,
            f"reachable, but its signed timestamp expired {expires:%Y-%m-%d %H:%M}",
            "the publisher runs 'kiosk pack publish REPO --refresh' (daily, see docs/sync.md); or the clock is wrong",
        )
        return
    yield ok("sync", title, f"{settings.server} reachable; signed until {expires:%Y-%m-%d %H:%M}")


def _trust(trust: Path) -> Iterator[Finding]:
    title = "Root of trust"
    if not trust.is_file():
        yield fail(
            "trust",
            title,
            f"none installed ({trust}): the kiosk refuses every update",
            "install the repository's 1.root.json: 'kiosk sync --trust 1.root.json'",
        )
        return
    from tuf.api.metadata import Metadata, Root

    try:
        md = Metadata[Root].from_bytes(trust.read_bytes())
        md.signed.verify_delegate(Root.type, md.signed_bytes, md.signatures)
    except Exception as err:
        yield fail(
            "trust",
            title,
            f"{trust} is damaged or not self-signed ({err})",
            "install the repository's 1.root.json again: 'kiosk sync --trust 1.root.json'",
        )
        return
    yield ok("trust", title, f"root version {md.signed.version}, keys {len(md.signed.keys)}")


def all_checks(ctx: Context) -> list[tuple[str, str, Check]]:
    """Every check, in the order the report lists them (content before speech: speech needs its languages)."""

    from kiosk.ops.checks_devices import (
        check_microphone,
        check_opengl,
        check_screen,
        check_speaker,
        check_speech_models,
        check_voices,
    )

    def bind(fn: Any) -> Check:
        return lambda: fn(ctx)

    table = [
        ("config", "Configuration", check_config),
        ("data-folder", "Data folder", check_data_folder),
        ("disk", "Disk space", check_disk),
        ("clock", "Clock", check_clock),
        ("pack", "Content pack", check_pack),
        ("sync", "Sync server", check_sync),
        ("opengl", "OpenGL", check_opengl),
        ("screen", "Screen", check_screen),
        ("speaker", "Speaker", check_speaker),
        ("microphone", "Microphone", check_microphone),
        ("speech-model", "Speech recognition", check_speech_models),
        ("tts", "Speech synthesis", check_voices),
    ]
    return [(check_id, title, bind(fn)) for check_id, title, fn in table]


__all__ = ["Context", "all_checks"]
