"""The editor's Coverage check on the real demo venue and on broken copies of the tiny pack: what a curator sees."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from kiosk.content import Pack, PackIndex, validate_pack
from kiosk.content.tokens import normalise
from kiosk.editor.coverage import (
    Cause,
    Check,
    CoverageReport,
    Failure,
    Location,
    builtin_questions,
    fill,
    run_coverage,
)
from kiosk.mind import Intent, Mind
from kiosk.mind import lexicon as lx
from kiosk.ops.paths import demo_pack_path

from .conftest import PACKS


def coverage_of(root: Path, index: Path) -> CoverageReport:
    report = validate_pack(root)
    assert report.pack is not None
    return run_coverage(report.pack, Mind(report.pack, PackIndex.open(report.pack, index)))


@pytest.fixture(scope="module")
def demo(demo_pack: Pack, tmp_path_factory: pytest.TempPathFactory) -> CoverageReport:
    index = tmp_path_factory.mktemp("index") / "demo.sqlite"
    return run_coverage(demo_pack, Mind(demo_pack, PackIndex.open(demo_pack, index)))


def edit(path: Path, change: Any) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def at(root: Path, location: Location) -> Any:
    """The value a failure's location points at, read from the pack's YAML."""
    value: Any = yaml.safe_load((root / location.file).read_text(encoding="utf-8"))
    for part in location.path:
        value = value[part]
    return value


def failures(report: CoverageReport, check: Check, file: str | None = None) -> list[Failure]:
    return [f for f in report.failures if f.check is check and (file is None or f.fix.file == file)]


# -- the demo venue ------------------------------------------------------------------------------------------


def test_the_demo_venue_is_mostly_covered_in_every_language(demo: CoverageReport) -> None:
    assert not demo.cancelled
    assert demo.checks == (Check.QUESTIONS, Check.NAMES, Check.FACTS, Check.EVAL, Check.GENERIC)
    assert set(demo.languages) == {"zh", "en", "ko"}
    for check in demo.checks:
        for language in demo.languages:
            assert demo.tally(check, language).total > 0, (check, language)
    assert demo.total > 2000
    assert demo.passed / demo.total > 0.9
    # Every name and alias brings its exhibit; nearly every typed fact is reachable by a plain question.
    assert demo.tally(Check.NAMES).failed == 0
    assert demo.tally(Check.FACTS).failed / demo.tally(Check.FACTS).total < 0.05
    # The eval set is scored exactly as `kiosk eval` scores it.
    assert demo.tally(Check.EVAL).total > 300
    assert demo.tally(Check.EVAL).passed / demo.tally(Check.EVAL).total > 0.9
    assert demo.failed == len(demo.failures)


def test_the_demo_venue_has_no_lift_and_says_so(demo: CoverageReport) -> None:
    missing = [f for f in demo.failures if f.cause is Cause.MISSING]
    assert missing, "the demo venue has no lift facility"
    assert {f.language for f in missing} == {"zh", "en", "ko"}
    for failure in missing:
        assert failure.fix == Location("content/venue.yaml", "facilities")
        assert "add a lift facility in the venue settings" in failure.hint
        assert failure.answer.intent is Intent.FALLBACK
    assert not any("café" in f.expected for f in demo.failures if f.check is Check.GENERIC and f.language == "en")


def test_every_failure_points_at_a_place_in_the_pack(demo: CoverageReport, demo_pack: Pack) -> None:
    root = demo_pack_path()
    for failure in demo.failures:
        assert (root / failure.fix.file).is_file(), failure
        assert failure.hint and failure.expected, failure
        if failure.check is Check.QUESTIONS:
            # The location is the phrasing itself, so the editor opens the very words that failed.
            assert at(root, failure.fix) == failure.question
            assert failure.source == failure.fix
        if failure.check is Check.EVAL:
            assert failure.source is not None
            assert at(root, failure.source) == failure.question


# -- breaking a copy of the tiny pack ------------------------------------------------------------------------


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    """The tiny pack with curated questions, an alias no other text shares, and an eval set that uses it."""
    root = tmp_path / "tiny"
    shutil.copytree(PACKS / "tiny", root)

    def vase(data: dict[str, Any]) -> None:
        data["aliases"]["en"].append("the dragon jar")
        data["questions"] = [
            {
                "ask": {"en": ["Why is the Blue Vase blue", "What makes it blue"], "zh": ["蓝花瓶为什么是蓝色的"]},
                "answer": {"en": "Cobalt paint under the glaze.", "zh": "釉下的钴料。"},
            }
        ]

    def scroll(data: dict[str, Any]) -> None:
        data["questions"] = [
            {"ask": {"en": ["How long did it take to paint"]}, "answer": {"en": "Ten years.", "zh": "十年。"}}
        ]

    edit(root / "exhibits/blue-vase.yaml", vase)
    edit(root / "exhibits/river-scroll.yaml", scroll)
    (root / "tests/eval").mkdir(parents=True)
    (root / "tests/eval/visitors.yaml").write_text(
        "- q: how heavy is the dragon jar\n  intent: exhibit\n  exhibit: blue-vase\n  contains: ['3 kilograms']\n",
        encoding="utf-8",
    )
    return root


def test_the_tiny_pack_passes_its_own_checks(tiny: Path, tmp_path: Path) -> None:
    report = coverage_of(tiny, tmp_path / "index.sqlite")
    assert report.languages == ("en", "zh")
    for check in (Check.QUESTIONS, Check.NAMES, Check.FACTS, Check.EVAL):
        assert report.tally(check).total > 0 and report.tally(check).failed == 0, failures(report, check)
    assert report.tally(Check.FACTS).total == 4  # one weight fact, two questions in each of two languages


def test_deleting_an_alias_shows_where_to_add_it_back(tiny: Path, tmp_path: Path) -> None:
    edit(tiny / "exhibits/blue-vase.yaml", lambda d: d.pop("aliases"))
    report = coverage_of(tiny, tmp_path / "index.sqlite")
    [failure] = failures(report, Check.EVAL)
    assert failure.question == "how heavy is the dragon jar"
    assert failure.fix == Location("exhibits/blue-vase.yaml", "aliases.en")
    assert "add an alias" in failure.hint
    assert failure.source == Location("tests/eval/visitors.yaml", "[1].q")
    assert failure.answer.exhibit != "blue-vase"


def test_a_phrasing_naming_another_exhibit_is_answered_by_that_exhibit(tiny: Path, tmp_path: Path) -> None:
    """The same phrasing given to two exhibits: at the river scroll, "Why is the Blue Vase blue" still gets the
    vase's answer, and the failure opens the scroll's copy of the phrasing."""

    def copy(data: dict[str, Any]) -> None:
        data["questions"][0]["ask"]["en"].append("Why is the Blue Vase blue")

    edit(tiny / "exhibits/river-scroll.yaml", copy)
    report = coverage_of(tiny, tmp_path / "index.sqlite")
    [failure] = failures(report, Check.QUESTIONS)
    assert failure.fix == Location("exhibits/river-scroll.yaml", "questions[1].ask.en[2]")
    assert failure.context == "river-scroll"
    assert failure.cause is Cause.CONFLICT
    assert failure.answer.exhibit == "blue-vase" and failure.answer.reason == "curated"
    assert "answered by the Blue Vase's question 1" in failure.hint and "more distinct" in failure.hint


def test_a_follow_up_shared_by_two_exhibits_is_reported_for_the_one_it_does_not_reach(
    tiny: Path, tmp_path: Path
) -> None:
    """'Why is it blue' at the river scroll: it works there, but asked on its own it gets the vase's answer, so the
    scroll's phrasing is the one to make distinct."""

    def copy(data: dict[str, Any]) -> None:
        data["questions"][0]["ask"]["en"].append("Why is it blue")

    edit(tiny / "exhibits/river-scroll.yaml", copy)
    report = coverage_of(tiny, tmp_path / "index.sqlite")
    [failure] = failures(report, Check.QUESTIONS)
    assert failure.fix == Location("exhibits/river-scroll.yaml", "questions[1].ask.en[2]")
    assert failure.context is None
    assert failure.answer.exhibit == "blue-vase"
    assert failure.hint.startswith("Asked on its own")


def test_an_alias_shared_by_two_exhibits_is_a_names_failure(tiny: Path, tmp_path: Path) -> None:
    edit(tiny / "exhibits/river-scroll.yaml", lambda d: d.update(aliases={"en": ["the blue pot"], "zh": ["长卷"]}))
    report = coverage_of(tiny, tmp_path / "index.sqlite")
    [failure] = failures(report, Check.NAMES)
    assert failure.question == "the blue pot"
    assert failure.fix.field == "aliases.en[1]"
    assert failure.fix.file in ("exhibits/blue-vase.yaml", "exhibits/river-scroll.yaml")
    assert failure.cause is Cause.CONFLICT and "another exhibit" in failure.hint


def test_a_venue_without_a_cafe_is_told_to_add_one(tiny: Path, tmp_path: Path) -> None:
    before = coverage_of(tiny, tmp_path / "before.sqlite")
    assert not [f for f in failures(before, Check.GENERIC) if "café" in f.expected]
    edit(tiny / "content/venue.yaml", lambda d: d.update(facilities=[f for f in d["facilities"] if f["id"] != "cafe"]))
    after = coverage_of(tiny, tmp_path / "after.sqlite")
    cafe = [f for f in failures(after, Check.GENERIC) if "café" in f.expected]
    assert {f.question for f in cafe} >= {"Is there a café?", "这里有咖啡厅吗？"}
    for failure in cafe:
        assert failure.cause is Cause.MISSING
        assert failure.fix == Location("content/venue.yaml", "facilities")
        assert failure.hint == (
            "The guide will say it doesn't know: add a café facility in the venue settings if you have one"
        )
    # Topics the venue does cover are not reported as missing.
    assert not [f for f in failures(after, Check.GENERIC) if "toilet" in f.expected]


def test_progress_is_reported_and_cancel_stops_the_run(tiny: Path, tmp_path: Path) -> None:
    report = validate_pack(tiny)
    assert report.pack is not None
    mind = Mind(report.pack, PackIndex.open(report.pack, tmp_path / "index.sqlite"))
    seen: list[tuple[int, int]] = []
    full = run_coverage(report.pack, mind, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (full.total, full.total)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)

    polls: list[int] = []

    def cancel() -> bool:
        polls.append(1)
        return len(polls) > 10

    partial = run_coverage(report.pack, mind, cancel=cancel)
    assert partial.cancelled and not full.cancelled
    assert partial.total == 10


# -- the built-in questions ----------------------------------------------------------------------------------


def test_fact_questions_use_the_minds_own_words_for_each_kind() -> None:
    """Each template carries a cue the mind's lexicon has for its fact kind, so it asks what it says it asks."""
    names = {"en": "Example", "zh": "样品", "ko": "견본"}
    for kind, templates in builtin_questions().facts:
        cues = lx.compile_cues(lx.FACT_CUES[kind])
        for lang, template in templates.all():
            question = normalise(fill(template, names[lang], lang))
            assert cues.find(question, lang), (kind, lang, template)


def test_generic_questions_cover_the_topics_every_venue_is_asked() -> None:
    generic = builtin_questions().generic
    topics = {q.topic for q in generic}
    assert topics >= {"toilets", "exit", "lifts", "hours", "closing time", "tickets", "photos", "food"}
    assert topics >= {"lost child", "wifi", "shop", "café", "cloakroom", "wheelchair access", "help"}
    for question in generic:
        assert set(question.asks.languages) == {"zh", "en", "ko"}, question.topic
        assert (question.intent is Intent.FACILITY) == bool(question.facilities), question.topic


def test_names_in_english_templates_keep_their_own_article() -> None:
    assert fill("How heavy is the {name}?", "Houmuwu Ding", "en") == "How heavy is the Houmuwu Ding?"
    assert (
        fill("How big is the {name}?", "The Great Wall at Badaling", "en") == "How big is The Great Wall at Badaling?"
    )
    assert fill("{name}{eun} 얼마나 무거워요?", "후모무정", "ko") == "후모무정은 얼마나 무거워요?"


def test_a_location_opens_as_a_path_of_keys_and_indexes() -> None:
    assert Location("exhibits/x.yaml", "questions[2].ask.en[1]").path == ("questions", 1, "ask", "en", 0)
    assert str(Location("content/venue.yaml", "facilities")) == "content/venue.yaml: facilities"
