"""Visitors' questions in the editor: reading kiosk exports, grouping them, and curators' decisions."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kiosk.cli import main
from kiosk.content import Pack, load_pack
from kiosk.editor.visitors import (
    DECISIONS_FILE,
    Decision,
    Decisions,
    QuestionGroup,
    VisitorQuestion,
    group_questions,
    read_export,
    read_exports,
)
from kiosk.errors import DocentError, EditorError
from kiosk.mind import Answer, Intent
from kiosk.ops.unanswered import UnansweredLog
from kiosk.sync.bundle import pack_files

START = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


def asked(question: str, language: str, hour: int = 0, exhibit: str | None = None) -> VisitorQuestion:
    return VisitorQuestion(START + timedelta(hours=hour), language, question, "fallback", "no-match", exhibit, 0.0)


def write_export(path: Path, questions: list[Any], **top: Any) -> Path:
    data = {"format": "docent-questions", "version": 1, "exported": "2025-03-02T10:00:00+00:00", "kiosk": "hall-a"}
    data |= {"pack": None, "questions": questions} | top
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def row(question: Any, time: Any = "2025-03-01T10:00:00+00:00", language: Any = "en") -> dict[str, Any]:
    return {"time": time, "language": language, "question": question, "intent": "fallback", "reason": "no-match"}


def wordings(group: QuestionGroup) -> set[str]:
    return {w.text for w in group.wordings}


def group_of(groups: list[QuestionGroup], text: str) -> QuestionGroup:
    """The group holding a question asked exactly so."""
    return next(g for g in groups if any(q.question == text for q in g.questions))


# -- reading -------------------------------------------------------------------------------------------------------


def test_reads_what_the_kiosk_exported(tmp_path: Path) -> None:
    log = UnansweredLog()
    when = datetime(2025, 3, 5, 14, 30, tzinfo=UTC)
    log.record("兵马俑有多大", Answer(Intent.EXHIBIT, "…", "zh", 0.4, exhibit="terracotta-army"), when=when)
    log.record("Where are the toilets?", Answer(Intent.FALLBACK, "…", "en", 0.0), when=when + timedelta(minutes=1))
    log.close()
    out = tmp_path / "export.json"
    result = CliRunner().invoke(main, ["report", "export", "--out", str(out)])
    assert result.exit_code == 0, result.output

    questions = read_exports([out])
    assert [(q.language, q.question) for q in questions] == [("zh", "兵马俑有多大"), ("en", "Where are the toilets?")]
    assert questions[0].time == when and questions[0].exhibit == "terracotta-army"
    assert questions[0].confidence == pytest.approx(0.4) and questions[1].intent == "fallback"
    assert questions[0].kiosk and questions.skipped == 0
    assert questions.summary() == "2 questions from 1 file"


def test_broken_json_explains_itself(tmp_path: Path) -> None:
    whole = write_export(tmp_path / "kiosk-2.json", [row("Where is the cafe?")]).read_text(encoding="utf-8")
    cut = tmp_path / "cut-short.json"
    cut.write_text(whole[: len(whole) // 2], encoding="utf-8")
    with pytest.raises(EditorError) as caught:
        read_exports([tmp_path / "kiosk-2.json", cut])
    message = str(caught.value)
    assert str(cut) in message
    assert "not valid JSON" in message and "kiosk report export" in message
    assert isinstance(caught.value, DocentError) and caught.value.code == "export-broken"


def test_a_file_that_is_not_an_export_says_so(tmp_path: Path) -> None:
    other = tmp_path / "package.json"
    other.write_text('{"name": "something else", "version": 3}', encoding="utf-8")
    with pytest.raises(EditorError, match="is not a questions export from a kiosk") as caught:
        read_export(other)
    assert str(other) in str(caught.value) and caught.value.code == "not-an-export"

    picture = tmp_path / "photo.json"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe")
    with pytest.raises(EditorError, match="not a text file"):
        read_export(picture)
    with pytest.raises(EditorError, match="does not exist"):
        read_export(tmp_path / "missing.json")


def test_a_newer_format_asks_for_a_newer_editor(tmp_path: Path) -> None:
    newer = write_export(tmp_path / "future.json", [row("hi")], version=2)
    with pytest.raises(EditorError) as caught:
        read_export(newer)
    assert str(newer) in str(caught.value)
    assert "newer version of Docent" in str(caught.value) and "Update the editor" in str(caught.value)
    assert caught.value.code == "export-newer"


def test_damaged_rows_are_left_out_and_counted(tmp_path: Path) -> None:
    rows = [
        row("Where is the cafe?"),
        row(""),
        "not a record",
        row("When do you close?", time="yesterday"),
        row("Can I touch it?", language=None),
        row("Is there a lift?", time="2025-03-01T11:00:00"),  # no zone: UTC
    ]
    export = read_export(write_export(tmp_path / "k.json", rows))
    assert [q.question for q in export.questions] == ["Where is the cafe?", "Is there a lift?"]
    assert export.questions[1].time == datetime(2025, 3, 1, 11, 0, tzinfo=UTC)
    assert export.skipped == (
        "question 2: it has no question text",
        "question 3: it is not a question record",
        "question 4: its time 'yesterday' is not a date and time",
        "question 5: it has no language",
    )
    both = read_exports([tmp_path / "k.json"])
    assert both.skipped == 4
    assert both.summary().startswith("2 questions from 1 file; 4 damaged rows left out (k.json question 2:")


def test_the_same_export_imported_twice_counts_once(tmp_path: Path) -> None:
    first = write_export(
        tmp_path / "monday.json", [row("Where is the cafe?"), row("Where is the cafe?", "2025-03-01T11:00:00+00:00")]
    )
    again = tmp_path / "monday-copy.json"
    again.write_text(first.read_text(encoding="utf-8"), encoding="utf-8")
    other_kiosk = write_export(tmp_path / "hall-b.json", [row("Where is the cafe?")], kiosk="hall-b")
    questions = read_exports([first, again, other_kiosk])
    assert len(questions) == 3
    assert questions.duplicates == 2
    assert "2 already imported from another file" in questions.summary()
    [group] = group_questions(questions)
    assert group.count == 3 and group.kiosks == ("hall-a", "hall-b")


# -- grouping ------------------------------------------------------------------------------------------------------


def test_wordings_of_one_question_are_grouped_in_each_language() -> None:
    questions = [
        asked("where are the toilets", "en", 1),
        asked("Where is the toilet?", "en", 2),
        asked("where's the toilet", "en", 3),
        asked("where can I find the toilets?", "en", 4),
        asked("洗手间在哪", "zh", 5),
        asked("洗手间在哪里", "zh", 6),
        asked("请问洗手间在哪里呀？", "zh", 7),
        asked("화장실 어디예요?", "ko", 8),
        asked("화장실은 어디에 있어요?", "ko", 9),
    ]
    groups = group_questions(questions)
    assert sorted((g.language, len(g.wordings)) for g in groups) == [("en", 4), ("ko", 2), ("zh", 3)]
    assert all(g.count == len(g.wordings) for g in groups)


def test_different_questions_stay_apart() -> None:
    questions = [
        asked("where is the toilet", "en"),
        asked("where is the cafe", "en"),
        asked("what is the ding", "en"),
        asked("where is the ding", "en"),
        asked("how old is the terracotta army", "en"),
        asked("how heavy is the terracotta army", "en"),
        asked("when does the museum close", "en"),
        asked("when does the museum open", "en"),
        asked("洗手间在哪", "zh"),
        asked("咖啡厅在哪", "zh"),
        asked("兵马俑有多少个", "zh"),
        asked("兵马俑有多大", "zh"),
        asked("故宫几点开门", "zh"),
        asked("故宫几点关门", "zh"),
        asked("화장실 어디예요", "ko"),
        asked("카페 어디예요", "ko"),
        asked("몇 시에 열어요", "ko"),
        asked("몇 시에 닫아요", "ko"),
        asked("where is the toilet", "ko"),  # recorded under another language: never mixed with English
    ]
    groups = group_questions(questions)
    assert len(groups) == len(questions)
    assert all(g.count == 1 and g.languages == (g.language,) for g in groups)


def test_counts_representative_and_order() -> None:
    questions = [
        asked("Where is the toilet?", "en", 1),
        asked("where are the toilets", "en", 2),
        asked("where are the toilets", "en", 3, exhibit="forbidden-city"),
        asked("Where are the toilets?", "en", 4),
        asked("How big is the ding?", "en", 5, exhibit="houmuwu-ding"),
        asked("how big is the ding", "en", 6, exhibit="houmuwu-ding"),
        asked("how big is the ding?", "en", 7, exhibit="four-goat-zun"),
        asked("Can I bring my dog?", "en", 8),
        asked("Can I bring a dog", "en", 9),
        asked("兵马俑有多少个", "zh", 10),
        asked("Do you sell umbrellas?", "en", 0),
    ]
    groups = group_questions(questions)
    assert [(g.question, g.count) for g in groups] == [
        ("where are the toilets", 4),  # the most frequent wording, as most often spelt
        ("how big is the ding?", 3),  # one question, three spellings once each: the latest
        ("Can I bring a dog", 2),  # two wordings once each: the later one represents them
        ("兵马俑有多少个", 1),  # ties in count: most recent first
        ("Do you sell umbrellas?", 1),
    ]
    toilets = groups[0]
    assert [(w.text, w.count) for w in toilets.wordings] == [("where are the toilets", 3), ("Where is the toilet?", 1)]
    assert toilets.first_seen == START + timedelta(hours=1) and toilets.last_seen == START + timedelta(hours=4)
    assert toilets.exhibit == "forbidden-city"  # the only guess the kiosk made for it
    assert groups[1].exhibit == "houmuwu-ding"  # guessed twice, against once
    assert groups[4].exhibit is None
    assert toilets.key == "en:where are the toilets"
    assert [q.time for q in toilets.questions] == sorted(q.time for q in toilets.questions)


def test_the_pack_knows_names_and_keeps_exhibits_apart(demo_pack: Pack) -> None:
    questions = [
        asked("how old is the terracotta army", "en", 1),
        asked("how old are the terracotta warriors", "en", 2),
        asked("how old is the Houmuwu Ding", "en", 3),
        asked("厕所在哪里", "zh", 4),
        asked("洗手间在哪里", "zh", 5),
        asked("兵马俑有多大", "zh", 6, exhibit="no-longer-in-the-pack"),
    ]
    without = group_questions(questions)
    assert len(without) == 6
    groups = group_questions(questions, demo_pack)
    army = group_of(groups, "how old is the terracotta army")
    assert wordings(army) == {"how old is the terracotta army", "how old are the terracotta warriors"}
    assert army.named_exhibit == "terracotta-army"
    assert wordings(group_of(groups, "how old is the Houmuwu Ding")) == {"how old is the Houmuwu Ding"}
    assert wordings(group_of(groups, "厕所在哪里")) == {"厕所在哪里", "洗手间在哪里"}
    size = group_of(groups, "兵马俑有多大")
    assert size.exhibit is None and size.named_exhibit == "terracotta-army"  # a guess the pack lacks is dropped


# -- decisions -----------------------------------------------------------------------------------------------------


def test_decisions_round_trip_and_hide_groups(tiny_copy: Path) -> None:
    before = load_pack(tiny_copy).fingerprint
    questions = [
        asked("Do you sell umbrellas?", "en", 1),
        asked("Do you sell umbrellas", "en", 2),
        asked("Is the blue vase Ming?", "en", 3),
        asked("Can I bring my dog?", "en", 4),
    ]
    groups = group_questions(questions)
    umbrellas, vase, dog = (
        group_of(groups, t) for t in ("Do you sell umbrellas?", "Is the blue vase Ming?", "Can I bring my dog?")
    )

    decisions = Decisions.load(tiny_copy)
    assert len(decisions) == 0 and decisions.undecided(groups) == groups
    decisions.mark(umbrellas, Decision.OUT_OF_SCOPE)
    decisions.mark(vase.key, "added", exhibit="blue-vase")
    assert decisions.changed
    decisions.save()
    assert (tiny_copy / ".docent" / "visitor-decisions.json").is_file()

    again = Decisions.load(tiny_copy)
    assert again.undecided(groups) == [dog]
    record = again.decision(vase)
    assert record is not None and record.decision is Decision.ADDED and record.exhibit == "blue-vase"
    out = again.decision(umbrellas)
    assert out is not None and out.decision is Decision.OUT_OF_SCOPE and out.question == umbrellas.question

    # Next week another wording of the umbrella question is asked most: the group is still recognised as decided.
    later = [*questions, *(asked("do u sell umbrellas", "en", 10 + i) for i in range(3))]
    regrouped = group_of(group_questions(later), "do u sell umbrellas")
    assert regrouped.question == "do u sell umbrellas" and regrouped.key != umbrellas.key
    assert again.decision(regrouped) is not None

    assert again.unmark(umbrellas)
    again.save()
    assert Decisions.load(tiny_copy).undecided(groups) == [umbrellas, dog]

    # The decisions stay on the curator's computer: not published, and not part of the pack's content.
    assert not any(".docent" in rel for rel in pack_files(tiny_copy))
    assert load_pack(tiny_copy).fingerprint == before


def test_decisions_refuse_what_makes_no_sense(tmp_path: Path) -> None:
    decisions = Decisions.load(tmp_path)
    with pytest.raises(EditorError, match="which exhibit"):
        decisions.mark("en:where is the lift", Decision.ADDED)
    with pytest.raises(EditorError, match="use one of: out-of-scope, added"):
        decisions.mark("en:where is the lift", "maybe later")
    assert len(decisions) == 0


def test_a_damaged_decisions_file_explains_itself(tmp_path: Path) -> None:
    path = tmp_path / DECISIONS_FILE
    path.parent.mkdir()
    path.write_text('{"format": "docent-visitor-decisions", "decis', encoding="utf-8")
    with pytest.raises(EditorError) as caught:
        Decisions.load(tmp_path)
    assert str(path) in str(caught.value) and "delete it to see every question again" in str(caught.value)
