"""The health check a new pack version must pass before the kiosk switches to it.

It is what the kiosk itself does at start-up, short of opening a window: the pack validates with no errors, its
search index builds, and the mind answers smoke questions in every venue language (the first exhibits' own names
must bring them). A pack that fails is never switched to; the kiosk keeps the version it has.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kiosk.sync.errors import HealthCheckFailed

SMOKE_EXHIBITS = 3


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
    """Raise :class:`HealthCheckFailed` saying what is wrong; return a one-line summary when the pack is fit."""
    from kiosk.content import PackIndex, validate_pack
    from kiosk.content.problems import errors_in
    from kiosk.errors import DocentError
    from kiosk.mind import Mind

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
    with tempfile.TemporaryDirectory(prefix="docent-health-") as scratch:
        try:
            index = PackIndex.open(pack, Path(scratch) / "index.db")
        except DocentError as err:
            raise HealthCheckFailed(f"the new pack's search index does not build: {err}") from err
        try:
            mind = Mind(pack, index)
            for language in pack.languages:
                _smoke(mind, pack.exhibits[:SMOKE_EXHIBITS], language)
        finally:
            index.close()
    return f"{len(pack.exhibits)} exhibits in {', '.join(pack.languages)}; smoke questions answered"


def check_model(folder: Path) -> str:
    """A speech model must load in Vosk before it replaces the one a kiosk listens with."""
    import vosk

    vosk.SetLogLevel(-1)
    try:
        vosk.Model(str(folder))
    except Exception as err:  # Vosk says only "Failed to create a model"
        raise HealthCheckFailed(f"the new speech model does not load in Vosk: {err}") from err
    return "the speech model loads"


__all__ = ["check_model", "check_pack"]
