"""The health check a new pack version must pass before the kiosk switches to it.

It is what the kiosk itself does at start-up, short of opening a window: the pack validates with no errors, its
search index builds, and the mind answers a smoke question in every venue language (an exhibit's own name must
bring that exhibit). A pack that fails is never switched to; the kiosk keeps the version it has.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from kiosk.sync.errors import HealthCheckFailed


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
            exhibit = pack.exhibits[0]
            for language in pack.languages:
                name = exhibit.name.get(language)
                answer = mind.answer(name).answer if name else None
                if answer is None or answer.exhibit != exhibit.id:
                    got = answer.exhibit if answer else None
                    raise HealthCheckFailed(
                        f"the smoke question {name!r} ({language}) did not bring exhibit '{exhibit.id}' (got {got!r})"
                    )
        finally:
            index.close()
    return f"{len(pack.exhibits)} exhibits in {', '.join(pack.languages)}; smoke questions answered"


__all__ = ["check_pack"]
