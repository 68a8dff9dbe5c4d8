"""Which pack a starting kiosk runs: the one given with ``--pack``, else the synced one, else ``pack:``/the demo.

With a ``sync:`` section in kiosk.yaml the kiosk runs the current version of its synced pack. :meth:`Store.boot`
counts starts on a version the kiosk has not yet confirmed and goes back to the previous version by itself after
too many; a version that does not load is withdrawn here (:meth:`Store.rollback`) and the previous one tried once.
When nothing synced is usable the kiosk runs ``pack:`` (or the bundled demo) rather than not starting at all.
Everything here is Qt-free, so it can be checked without a window.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from kiosk.errors import DocentError
from kiosk.ops.config import KioskConfig
from kiosk.ops.paths import demo_pack_path
from kiosk.sync.settings import SyncSettings
from kiosk.sync.store import Store, installed_pack, sync_store
from kiosk.ui.engines import Content, load_content

log = logging.getLogger("kiosk.packs")

KIND = "packs"


@dataclass(frozen=True)
class StartPack:
    """The content a kiosk starts on, where it came from, and what happened on the way (for the log)."""

    content: Content
    synced: str | None = None
    """The synced pack's name when ``content`` is one of its versions; None for ``--pack``, ``pack:`` or the demo."""
    notes: tuple[str, ...] = ()

    @property
    def path(self) -> Path:
        return self.content.pack.root


def synced_pack_name(settings: SyncSettings, store: Store) -> str | None:
    """The pack sync keeps up to date: ``sync.pack``, or the one pack installed in the store."""
    return settings.pack or installed_pack(store)


def resolve_pack(
    config: KioskConfig,
    pack_dir: Path | None = None,
    language: str | None = None,
    *,
    store: Store | None = None,
) -> StartPack:
    """Load the pack to start on. Raises (``KioskUnusable``, ...) only when the fallback pack itself is unusable.

    ``pack_dir`` (``--pack``) wins over everything; without it and with ``config.sync`` the current synced version
    is used (rolled back when it does not load), and ``config.pack`` or the demo when nothing synced is usable.
    """
    if pack_dir is not None or config.sync is None:
        return StartPack(load_content(pack_dir or config.pack, language))
    store = store or sync_store()
    fallback = config.pack or demo_pack_path()
    name = synced_pack_name(config.sync, store)
    if name is None or store.installed(KIND, name) is None:
        note = "no synced pack is installed yet; the first sync installs it"
        log.info("%s; showing %s until then", note, fallback)
        return StartPack(load_content(config.pack, language), None, (note,))
    notes: list[str] = []
    content = _load_synced(store, name, language, notes)
    if content is not None:
        return StartPack(content, name, tuple(notes))
    log.warning("no usable synced version of %s: showing %s instead", name, fallback)
    notes.append(f"no usable synced version of {name}: showing {fallback} instead")
    return StartPack(load_content(config.pack, language), None, tuple(notes))


def _load_synced(
    store: Store,
    name: str,
    language: str | None,
    notes: list[str],
) -> Content | None:
    """The current version of ``name`` (the previous one, once, when it does not load); None when neither does."""
    folder, note = store.boot(KIND, name)
    if note:
        log.warning("synced pack %s: %s", name, note)
        notes.append(note)
    if folder is None:
        return None
    try:
        return load_content(folder, language)
    except DocentError as err:
        log.warning("synced pack %s, %s does not load: %s", name, folder.name, err)
        back = store.rollback(KIND, name, f"it does not load on this kiosk: {reason_of(err)}")
        if back is None:
            notes.append(f"{folder.name} of {name} does not load ({reason_of(err)}) and there is no previous version")
            return None
    log.warning("synced pack %s: %s; back to version %d", name, back.note, back.current.version)
    notes.append(back.note)
    previous = store.bundle_dir(KIND, name) / back.current.folder
    try:
        return load_content(previous, language)
    except DocentError as err:  # tried once: the kiosk does not walk back through every version
        log.warning("synced pack %s, %s does not load either: %s", name, previous.name, err)
        notes.append(f"{previous.name} of {name} does not load either ({reason_of(err)})")
        return None


def reason_of(err: Exception) -> str:
    """The gist of a load error: its first line and, for a list of problems, the first problem."""
    lines = [line.strip() for line in str(err).splitlines() if line.strip()]
    return ": ".join(line.rstrip(":") for line in lines[:2]) if lines else type(err).__name__


__all__ = ["KIND", "StartPack", "reason_of", "resolve_pack", "sync_store", "synced_pack_name"]
