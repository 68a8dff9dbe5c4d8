"""docs/curators.md is a walkthrough of the real editor: run it (make a two-exhibit venue, check it, ask the guide,
publish) and check the page shows every step's screenshot."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from benchmarks.editor_screens import SHOTS, walkthrough
from kiosk.content.loader import validate_pack

DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_the_walkthrough_works_and_every_step_has_its_screenshot(qtbot: QtBot, tmp_path: Path) -> None:
    result = walkthrough(tmp_path / "shots", tmp_path / "work")
    assert [p.name for p in result.shots] == list(SHOTS)
    for path in result.shots:
        image = QImage(str(path))
        assert not image.isNull() and image.width() >= 600
        colours = {image.pixel(x, y) for x in range(0, image.width(), 23) for y in range(0, image.height(), 23)}
        assert len(colours) > 10, f"{path.name} is blank"
    assert "no 'zh' text for the summary" in result.problem_text
    assert "Han dynasty" in result.answer
    assert result.published_version == 1
    report = validate_pack(result.venue)
    assert report.ok and report.pack is not None
    assert sorted(e.id for e in report.pack.exhibits) == ["bronze-mirror", "stone-drum"]
    assert (tmp_path / "work/www/metadata/timestamp.json").is_file()

    page = (DOCS / "curators.md").read_text(encoding="utf-8")
    shown = re.findall(r"\]\(curators/([^)]+)\)", page)
    assert shown == list(SHOTS), "the page shows each step's screenshot, in order"
    for name in shown:
        assert (DOCS / "curators" / name).is_file(), f"docs/curators/{name} is missing: run benchmarks.editor_screens"
