"""The health check a new pack version must pass before the kiosk switches to it.

It is what the kiosk itself does at start-up, short of opening a window: the pack validates with no errors, its
search index builds, and the mind answers smoke questions in every venue language (the first exhibits' own names
must bring them). A pack that fails is never switched to; the kiosk keeps the version it has.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from kiosk.sync.errors import HealthCheckFailed
from kiosk.sync.store import installed_in

SMOKE_EXHIBITS = 3
MIND_WORK = ".docent-mind-work.bin"
"""The mind's work on each exhibit of a checked version (``kiosk.mind.prepared``), kept in its folder for the
check of the next version. Like the index, a file of the kiosk's own (``LOCAL_PREFIX``), not of the version."""


def _smoke(mind: Any, exhibits: Sequence[Any], language: str) -> None:
    """Each exhibit's name must bring that exhibit, or a question back naming it ("X or X 2?"): a broken index
    or mind answers "I don't know" instead. Names too alike to tell apart are the curator's business, not a
    broken pack."""
    for exhibit in exhibits:
        name = exhibit.name.get(language)
        if not name:
            continue
        answer = mind.answer(name).answer
        if answer.exhibit == exhibit.id or (answer.reason == "clarify" and name in answer.text):
            continue
        got = f"exhibit {answer.exhibit!r}" if answer.exhibit else f"'{answer.reason}' ({answer.text[:60]!r})"
        raise HealthCheckFailed(f"the smoke question {name!r} ({language}) should bring '{exhibit.id}' but got {got}")


def check_pack(folder: Path) -> str:
    """Raise :class:`HealthCheckFailed` saying what is wrong; return a one-line summary when the pack is fit.

    What it builds stays in ``folder`` for later: the search index (the kiosk opens it instead of building its
    own) and the mind's work on each exhibit (:data:`MIND_WORK`). Both take what they can from the same files of
    the version the kiosk runs now, when that lies beside ``folder``: the terms of texts and the work on exhibits
    that did not change. The result is the same as built afresh; a content update that changed a few exhibits is
    checked in a fraction of the time.
    """
    with paused_gc():  # everything the check built is freed before the collector runs again
        return _check_pack(folder)


def _check_pack(folder: Path) -> str:
    from kiosk.content import PackIndex, validate_pack
    from kiosk.content.index import INDEX_FILE
    from kiosk.content.problems import errors_in
    from kiosk.errors import DocentError
    from kiosk.mind import Mind
    from kiosk.mind.prepared import prepare

    try:
        report = validate_pack(folder)
    except DocentError as err:
        raise HealthCheckFailed(f"the new pack is not a usable pack: {err}") from err
    errors = errors_in(report.problems)
    if report.pack is None or errors:
        first = "; ".join(str(p) for p in errors[:3]) or "it could not be read"
        raise HealthCheckFailed(f"the new pack has {len(errors)} error(s): {first}")
    pack = report.pack
    if not pack.exhibits:
        raise HealthCheckFailed("the new pack has no exhibits")
    try:
        index = PackIndex.open(pack, folder / INDEX_FILE, reuse=_installed(folder, INDEX_FILE))
    except DocentError as err:
        raise HealthCheckFailed(f"the new pack's search index does not build: {err}") from err
    earlier = _installed(folder, MIND_WORK)
    work, stored = prepare(pack, _read(earlier) if earlier else None)
    _write(folder / MIND_WORK, stored)
    try:
        mind = Mind(pack, index, prepared=work)
        for language in pack.languages:
            _smoke(mind, pack.exhibits[:SMOKE_EXHIBITS], language)
    finally:
        index.close()
    return f"{len(pack.exhibits)} exhibits in {', '.join(pack.languages)}; smoke questions answered"


def _installed(folder: Path, name: str) -> Path | None:
    """File ``name`` of the version installed beside ``folder`` (the current one, else the previous), which its
    own health check made; None when there is none."""
    installed = installed_in(folder.parent)
    for version in (installed.current, installed.previous) if installed else ():
        if version is not None and version.folder != folder.name and (folder.parent / version.folder / name).is_file():
            return folder.parent / version.folder / name
    return None


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _write(path: Path, data: bytes) -> None:
    """Keep ``data`` at ``path`` (written aside, then renamed); a disk too full for it only costs time later."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection while the block runs: loading a pack and building its index and mind allocate
    a million objects and free few, and the collector's passes over them would cost a third of the validation's
    time on a 500-exhibit pack. Objects made in the block that outlive it are looked at by the next collection."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def check_model(folder: Path) -> str:
    """A speech model must load in Vosk before it replaces the one a kiosk listens with."""
    import vosk

    vosk.SetLogLevel(-1)
    try:
        vosk.Model(str(folder))
    except Exception as err:  # Vosk says only "Failed to create a model"
        raise HealthCheckFailed(f"the new speech model does not load in Vosk: {err}") from err
    return "the speech model loads"


__all__ = ["MIND_WORK", "SMOKE_EXHIBITS", "check_model", "check_pack", "paused_gc"]
