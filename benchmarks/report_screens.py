"""The sample report in docs/: a week of visitors at the demo venue, answered by the real mind, made into the HTML
report and photographed in headless Chromium.

    .venv/bin/python -m benchmarks.report_screens [--out docs]

Visitors (Chinese, English and Korean, more at weekends and late morning) ask the eval set's questions
(tests/eval), tap curated questions, and ask things the venue has no answer for; each goes through a real
``Session`` with the real ``Mind`` on the demo venue into a real interaction log, at the simulated time. Only the
recognizer's share of a spoken question's latency is simulated (drawn around the 45 ms median bench_voice
measured); the mind's share is measured. tests/test_report_html.py runs the same code, so docs/report.png cannot
drift from what ``kiosk report`` writes.
"""

from __future__ import annotations

import argparse
import math
import random
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import yaml

from kiosk.content import Pack
from kiosk.content.index import PackIndex
from kiosk.mind import Answer, Mind
from kiosk.ops.interactions import InteractionLog, LogSettings, read_turns
from kiosk.ops.paths import demo_pack_path
from kiosk.ops.report_data import ReportFacts, build_facts
from kiosk.ops.report_html import render_report
from kiosk.ops.report_svg import ANSWERED, UNANSWERED
from kiosk.session import Session, SessionSettings

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT / "tests" / "eval"
BEIJING = timezone(timedelta(hours=8), "CST")
WEEK = datetime(2025, 3, 10, tzinfo=BEIJING)
"""A Monday."""
MADE = datetime(2025, 3, 17, 9, 0, tzinfo=BEIJING)
WIDTH = 1000
"""The screenshot's width in pixels (CSS pixels at scale 1)."""
BACKGROUND = (0xF3, 0xF5, 0xF8)
ANSWERED_RGB = tuple(int(ANSWERED[i : i + 2], 16) for i in (1, 3, 5))
UNANSWERED_RGB = tuple(int(UNANSWERED[i : i + 2], 16) for i in (1, 3, 5))

UNANSWERABLE = {
    "en": [
        "where can I charge my phone",
        "can I charge my phone here",
        "can I rent an audio guide",
        "do you have audio guides to rent",
        "is there a parking lot",
        "when is the next guided tour",
        "is there a place to pray",
        "my daughter is lost, call me on 138 1234 5678",
    ],
    "zh": ["哪里可以给手机充电", "手机能在哪里充电", "有语音导览租吗", "停车场在哪里", "有讲解员带队参观吗"],
    "ko": [
        "휴대폰 충전할 수 있는 곳 있어요?",
        "핸드폰 충전 어디서 해요",
        "오디오 가이드 빌릴 수 있어요?",
        "주차장 어디예요",
    ],
}
"""Questions the demo venue has no answer for, asked again and again in different words."""
POPULAR = {"terracotta-army": 6, "forbidden-city": 3, "qingming-scroll": 3, "houmuwu-ding": 2}
HOURS = {9: 4, 10: 9, 11: 10, 12: 6, 13: 6, 14: 10, 15: 9, 16: 5}
LANGUAGES = {"zh": 50, "en": 32, "ko": 18}


@dataclass(frozen=True)
class Asked:
    when: datetime
    via: str
    question: str
    answer: Answer


def eval_questions(name: str) -> list[str]:
    items = yaml.safe_load((EVAL / name).read_text(encoding="utf-8"))
    return [str(item["q"]) for item in items if item.get("q")]


def _language_of(text: str) -> str:
    if any("\uac00" <= ch <= "\ud7a3" for ch in text):
        return "ko"
    if any("\u4e00" <= ch <= "\u9fff" for ch in text):
        return "zh"
    return "en"


def _choose(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _tap_question(rng: random.Random, pack: Pack, language: str) -> str | None:
    ids = [e.id for e in pack.exhibits]
    exhibit = pack.exhibit(rng.choices(ids, weights=[POPULAR.get(i, 1) for i in ids])[0])
    asks = [q.asks.get(language) for q in exhibit.questions] if exhibit else []
    options = [a[0] for a in asks if a]
    return rng.choice(options) if options else None


def simulate_week(mind: Mind, log_file: Path, *, start: datetime = WEEK, days: int = 7, seed: int = 7) -> list[Asked]:
    """A week of visitors asking the real guide, recorded in the interaction log at ``log_file``."""
    rng = random.Random(seed)
    asks = {"en": eval_questions("visitors-en.yaml"), "zh": eval_questions("visitors-zh.yaml")}
    asks["ko"] = eval_questions("visitors-ko.yaml")
    outside: dict[str, list[str]] = {"en": [], "zh": [], "ko": []}
    for q in eval_questions("out-of-scope.yaml"):
        outside[_language_of(q)].append(q)
    clock = [start]
    log = InteractionLog(log_file, LogSettings(), clock=lambda: clock[0])
    session = Session(mind, interactions=log, settings=SessionSettings(greet=False))
    asked: list[Asked] = []
    try:
        for day in range(days):
            morning = start + timedelta(days=day)
            visitors = rng.randint(30, 40) * (2 if morning.weekday() >= 5 else 1)
            arrivals = sorted(
                morning.replace(hour=int(_choose(rng, {str(h): w for h, w in HOURS.items()})))
                + timedelta(minutes=rng.randrange(60), seconds=rng.randrange(60))
                for _ in range(visitors)
            )
            for arrival in arrivals:
                language = _choose(rng, LANGUAGES)
                when = arrival
                for _ in range(rng.choices((1, 2, 3, 4), weights=(3, 3, 2, 1))[0]):
                    when += timedelta(seconds=rng.randint(15, 70))
                    clock[0] = when.astimezone(UTC)
                    kind = rng.choices(("eval", "tap", "none", "outside"), weights=(68, 14, 12, 6))[0]
                    via = "tapped" if kind == "tap" else rng.choices(("voice", "typed"), weights=(55, 45))[0]
                    pools = {"eval": asks, "none": UNANSWERABLE, "outside": outside}
                    text = _tap_question(rng, mind.pack, language) if kind == "tap" else None
                    text = text or rng.choice(pools.get(kind, asks)[language] or asks[language])
                    spoken_at = None
                    if via == "voice":  # the recognizer's final pass, simulated; the mind's time is real
                        spoken_at = time.monotonic() - rng.lognormvariate(math.log(0.045), 0.45)
                    answer = session.ask(text, via, spoken_at=spoken_at)
                    if answer is not None:
                        asked.append(Asked(when, via, text, answer))
                session.end("goodbye")
    finally:
        session.close()
        log.close()
    return asked


def demo_mind() -> Mind:
    from kiosk.content import load_pack

    pack = load_pack(demo_pack_path())
    return Mind(pack, PackIndex.open(pack))


def sample_facts(log_file: Path, pack: Pack) -> ReportFacts:
    """The figures of the sample report, as ``kiosk report`` computes them, on the venue's clock."""
    return build_facts(
        read_turns(log_file),
        pack=pack,
        kiosk="hall-a-kiosk",
        location="Ground floor, by the main entrance",
        now=MADE.astimezone(UTC),
        tz=BEIJING,
    )


def chromium() -> str:
    """Debian's chromium (apt-get install chromium); raises FileNotFoundError naming the package when missing."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        raise FileNotFoundError("chromium is not installed: apt-get install chromium (packaging/dev.sh test does)")
    return found


def _chromium(args: list[str], page: Path) -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory(prefix="docent-chromium-") as profile:
        command = [
            chromium(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-extensions",
            "--hide-scrollbars",
            "--force-device-scale-factor=1",
            f"--user-data-dir={profile}",
            *args,
            page.resolve().as_uri(),
        ]
        return subprocess.run(command, capture_output=True, text=True, timeout=180, check=True)


def dump_dom(page: Path) -> str:
    """The page's DOM after Chromium has loaded it from disk."""
    return _chromium(["--dump-dom"], page).stdout


def screenshot(page: Path, png: Path, *, width: int = WIDTH, height: int = 4200) -> tuple[int, int]:
    """Photograph ``page`` in headless Chromium, ``width`` wide, cropped below the page's end; returns the size."""
    from PySide6.QtGui import QImage

    _chromium([f"--window-size={width},{height}", f"--screenshot={png.resolve()}"], page)
    image = QImage(str(png)).convertToFormat(QImage.Format.Format_RGB888)
    if image.isNull():
        raise RuntimeError(f"chromium wrote no readable screenshot at {png}")
    w, h = image.width(), image.height()
    data = np.frombuffer(image.constBits(), dtype=np.uint8, count=image.bytesPerLine() * h)
    pixels = data.reshape(h, image.bytesPerLine())[:, : w * 3].reshape(h, w, 3)
    busy = np.nonzero((pixels != np.array(BACKGROUND, dtype=np.uint8)).any(axis=2).any(axis=1))[0]
    bottom = min(h, int(busy[-1]) + 28) if len(busy) else h
    image.copy(0, 0, w, bottom).save(str(png))
    return w, bottom


def make_sample(out: Path, work: Path) -> tuple[Path, Path, list[Asked]]:
    """docs/report.html and docs/report.png (in ``out``) from a simulated week; returns them and what was asked."""
    mind = demo_mind()
    log_file = work / "interactions.sqlite"
    asked = simulate_week(mind, log_file)
    page = out / "report.html"
    page.write_text(render_report(sample_facts(log_file, mind.pack), retention_days=90), encoding="utf-8")
    png = out / "report.png"
    screenshot(page, png)
    return page, png, asked


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="docent-report-") as work:
        page, png, asked = make_sample(args.out, Path(work))
    answered = sum(a.answer.answered for a in asked)
    print(
        f"{len(asked)} questions, {answered / len(asked):.0%} answered: {page} ({page.stat().st_size:,} bytes), {png}"
    )


if __name__ == "__main__":
    main()
