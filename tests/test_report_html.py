"""``kiosk report``: a week of visitors answered by the real mind on the demo venue, made into the HTML report by the
real command, read the way a curator reads it, and opened in headless Chromium (Debian's ``chromium``)."""

from __future__ import annotations

import html
import re
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner, Result
from PySide6.QtGui import QImage

from benchmarks.report_screens import (
    ANSWERED_RGB,
    UNANSWERED_RGB,
    Asked,
    demo_mind,
    dump_dom,
    make_sample,
    simulate_week,
)
from kiosk.cli import main
from kiosk.mind import Answer, Intent
from kiosk.ops.interactions import InteractionLog, log_path
from kiosk.ops.paths import demo_pack_path

DOCS = Path(__file__).resolve().parent.parent / "docs"


@dataclass(frozen=True)
class Week:
    log: Path
    asked: list[Asked]


@pytest.fixture(scope="module")
def week(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Week]:
    """A week at the demo venue: ~650 questions asked through a real Session and the real Mind."""
    folder = tmp_path_factory.mktemp("week")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DOCENT_HOME", str(folder / "home"))
        asked = simulate_week(demo_mind(), folder / "interactions.sqlite")
    yield Week(folder / "interactions.sqlite", asked)


def report(*args: str) -> Result:
    return CliRunner().invoke(main, ["report", "--pack", str(demo_pack_path()), *args])


def card(page: str, ident: str) -> str:
    found = re.search(rf'<div class="card" id="{ident}"><div class="label">[^<]*</div><div class="value">([^<]*)', page)
    assert found, f"no card {ident}"
    return html.unescape(found.group(1))


def section(page: str, ident: str) -> str:
    return page.split(f'id="{ident}"', 1)[1].split("</section>", 1)[0]


def bar_labels(page: str, ident: str) -> list[str]:
    """The labels of a horizontal bar chart, top to bottom, in full."""
    return [
        html.unescape(t) for t in re.findall(r'text-anchor="end"[^>]*><title>([^<]*)</title>', section(page, ident))
    ]


def test_a_week_of_real_answers_reads_as_a_curator_expects(week: Week, tmp_path: Path) -> None:
    out = tmp_path / "week.html"
    result = report("--log", str(week.log), "--out", str(out))
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")

    asked = week.asked
    answered = sum(a.answer.answered for a in asked)
    assert 500 < len(asked) < 900 and 0.6 < answered / len(asked) < 0.95
    assert f"Wrote the report of {len(asked)} questions ({answered / len(asked):.0%} answered)" in result.stdout
    assert card(page, "asked") == f"{len(asked):,}"
    assert card(page, "answered") == f"{answered / len(asked):.0%}"
    assert card(page, "unanswered") == f"{len(asked) - answered:,}"
    assert "Capital Heritage Hall" in page and "10 Mar 2025 – 16 Mar 2025" in page

    about = Counter(a.answer.exhibit for a in asked if a.answer.exhibit)
    top = sorted(about, key=lambda e: (-about[e], e))[0]
    assert top == "terracotta-army"  # the week's visitors were drawn to it
    assert bar_labels(page, "exhibits")[0] == "Terracotta Army"
    assert f">{about[top]}</text>" in section(page, "exhibits")

    languages = Counter(a.answer.language for a in asked)
    assert bar_labels(page, "languages") == ["Chinese", "English", "Korean"]
    assert languages["zh"] > languages["en"] > languages["ko"]
    for code, name in (("zh", "Chinese"), ("en", "English"), ("ko", "Korean")):
        rate = sum(a.answer.answered for a in asked if a.answer.language == code) / languages[code]
        assert f"{name}: {rate:.0%} of {languages[code]} answered" in page

    charge = sum(a.question == "手机能在哪里充电" and not a.answer.answered for a in asked)
    groups = re.findall(r'<td class="count">(\d+)</td><td><div class="q">([^<]*)</div>', page)
    counts = {html.unescape(q): int(n) for n, q in groups}
    assert counts["手机能在哪里充电"] >= charge >= 3  # asked again and again: one group with its count
    assert [int(n) for n, _ in groups] == sorted((int(n) for n, _ in groups), reverse=True)
    assert "138 1234 5678" not in page  # the lost child's parent's number was masked before it was stored

    spoken = [a for a in asked if a.via == "voice"]
    typed = [a for a in asked if a.via in ("typed", "tapped")]
    rows = re.findall(r"<tr><td>([^<]*)</td><td class=\"n\">([\d,]+)</td>", page)
    assert rows == [("Typed or tapped", f"{len(typed):,}"), ("Spoken", f"{len(spoken):,}")]
    per_hour = {h: int(n) for h, n in re.findall(r"<title>(\d\d): (\d+) asked", section(page, "per-hour"))}
    assert sum(per_hour.values()) == len(asked)


def test_since_keeps_a_later_part_and_an_empty_period_says_so(week: Week, tmp_path: Path) -> None:
    out = tmp_path / "weekend.html"
    result = report("--log", str(week.log), "--out", str(out), "--since", "2025-03-15")
    assert result.exit_code == 0, result.output
    weekend = [a for a in week.asked if a.when.astimezone().date() >= datetime(2025, 3, 15).date()]
    assert card(out.read_text(encoding="utf-8"), "asked") == f"{len(weekend):,}"
    assert "Since 15 Mar 2025" in out.read_text(encoding="utf-8")

    empty = tmp_path / "april.html"
    result = report("--log", str(week.log), "--out", str(empty), "--since", "2025-04-01")
    assert result.exit_code == 0, result.output
    assert "No questions since 2025-04-01; wrote a report that says so" in result.stdout
    page = empty.read_text(encoding="utf-8")
    assert '<div class="none" id="no-questions">No questions since 1 Apr 2025.</div>' in page
    assert "<svg" not in page


def test_the_report_names_the_kiosk_and_where_it_stands(docent_home: Path, tmp_path: Path) -> None:
    (docent_home / "kiosk.yaml").write_text('location: "Hall A, by the <north> door"\n', encoding="utf-8")
    log = InteractionLog()
    log.record(Answer(Intent.FACILITY, "…", "en", 1.0, facility="restroom", reason="facility"), "toilet?", via="typed")
    log.close()
    out = tmp_path / "r.html"
    result = report("--out", str(out))
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert '<p class="where">Kiosk ' in page and " · Hall A, by the &lt;north&gt; door</p>" in page


def test_no_log_yet_says_where_it_looked(docent_home: Path, tmp_path: Path) -> None:
    result = report("--out", str(tmp_path / "r.html"))
    assert result.exit_code == 2
    assert f"has not recorded any yet (looked for the log at {log_path()})" in result.stderr
    assert not log_path().exists() and not (tmp_path / "r.html").exists()


ATTACK = (
    "<script>document.title='pwned'</script><img src=x onerror=\"document.title='pwned'\">"
    '</td></tr></table><a href="javascript:alert(1)">win a prize</a> & "quotes"'
)


def test_a_visitors_typed_html_is_shown_as_text_and_never_runs(tmp_path: Path) -> None:
    log = InteractionLog(tmp_path / "log.sqlite")
    for _ in range(2):
        log.record(Answer(Intent.FALLBACK, "Sorry.", "en", 0.0, reason="not-understood"), ATTACK, via="typed")
    log.close()
    out = tmp_path / "attack.html"
    result = report("--log", str(tmp_path / "log.sqlite"), "--out", str(out))
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "<script" not in page and "<img" not in page and "<a " not in page and 'href="javascript' not in page
    assert "&lt;script&gt;document.title=&#x27;pwned&#x27;&lt;/script&gt;" in page
    assert "Content-Security-Policy" in page and "default-src 'none'" in page

    dom = dump_dom(out)  # what a browser made of it
    assert "<title>What visitors asked · Capital Heritage Hall</title>" in dom and "pwned</title>" not in dom
    assert "<img" not in dom and "<script" not in dom and "<a " not in dom
    assert "&lt;script&gt;" in dom and "win a prize" in dom


def test_chromium_renders_the_report_with_its_charts(tmp_path: Path) -> None:
    out = tmp_path / "docs"
    out.mkdir()
    with tempfile.TemporaryDirectory(prefix="docent-report-") as work:
        page, png, asked = make_sample(out, Path(work))
    image = QImage(str(png)).convertToFormat(QImage.Format.Format_RGB888)
    assert image.width() == 1000 and 2000 < image.height() < 4200
    w, h = image.width(), image.height()
    data = np.frombuffer(image.constBits(), dtype=np.uint8, count=image.bytesPerLine() * h)
    pixels = data.reshape(h, image.bytesPerLine())[:, : w * 3].reshape(h, w, 3)
    colours = {tuple(c) for c in (pixels[::7, ::7] // 8).reshape(-1, 3).tolist()}
    assert len(colours) > 60, "the screenshot is blank or nearly so"
    for rgb in (ANSWERED_RGB, UNANSWERED_RGB):  # the charts' bars were drawn
        share = (np.abs(pixels.astype(int) - np.array(rgb)).sum(axis=2) < 12).mean()
        assert share > 0.005, f"hardly any {rgb} in the screenshot"
    dark = (pixels.sum(axis=2) < 200).mean()
    assert 0.002 < dark < 0.2  # text was drawn, and the page is not black

    dom = dump_dom(page)
    assert dom.count('<svg class="chart columns"') == 2  # per hour and per day
    assert dom.count('<svg class="chart bars"') == 2 and 'class="chart donut"' in dom and 'class="chart rates"' in dom
    assert f'<div class="value">{len(asked)}</div>' in dom
    assert "Questions the guide could not answer" in dom and "Response time" in dom


def test_the_committed_sample_is_in_the_docs() -> None:
    image = QImage(str(DOCS / "report.png"))
    assert not image.isNull() and image.width() == 1000 and image.height() > 2000
    assert (DOCS / "report.html").is_file()
    assert re.search(r"!\[[^\]]+\]\(report\.png\)", (DOCS / "kiosk.md").read_text(encoding="utf-8"))


def test_report_export_is_still_a_subcommand(week: Week, tmp_path: Path) -> None:
    out = tmp_path / "q.json"
    result = CliRunner().invoke(main, ["report", "export", "--log", str(week.log), "--out", str(out)])
    assert result.exit_code == 0, result.output
    exported = sum(1 for a in week.asked if not a.answer.answered or a.answer.confidence < 0.65)
    assert f"Exported {exported} questions" in result.stdout
