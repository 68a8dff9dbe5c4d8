"""The interaction log on real SQLite files: what a turn keeps (and never keeps), masking, the text switch,
retention, migrations from the older log, and files that are damaged, full or read-only."""

from __future__ import annotations

import logging
import re
import sqlite3
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlite_utils
from pytestqt.qtbot import QtBot

from kiosk.content import Pack
from kiosk.content.index import PackIndex
from kiosk.mind import Answer, Intent, Mind
from kiosk.ops.interactions import InteractionLog, LogSettings, LogUnreadable, log_path, read_turns
from kiosk.ops.interactions_schema import COLUMNS, MIGRATIONS
from kiosk.ops.privacy import EMAIL, NUMBER, looks_personal, mask_personal
from kiosk.ops.unanswered import UnansweredLog
from kiosk.session import Session, SessionSettings

NOW = datetime(2025, 3, 14, 6, 30, tzinfo=UTC)


def summary(exhibit: str = "houmuwu-ding", confidence: float = 0.9) -> Answer:
    return Answer(Intent.EXHIBIT, "It weighs 832.84 kg.", "en", confidence, exhibit=exhibit, reason="fact:weight")


def fallback(language: str = "en", reason: str = "not-understood") -> Answer:
    return Answer(Intent.FALLBACK, "Sorry.", language, 0.0, reason=reason)


class Clock:
    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(scope="module")
def mind(demo_pack: Pack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Mind]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DOCENT_HOME", str(tmp_path_factory.mktemp("index-home")))
        yield Mind(demo_pack, PackIndex.open(demo_pack))


def table(path: Path) -> list[dict[str, object]]:
    db = sqlite_utils.Database(path)
    try:
        return list(db.table("turns").rows)
    finally:
        db.close()


# -- masking ------------------------------------------------------------------------------------------------------

PERSONAL = [
    ("我的孩子走丢了，请打13812345678", "我的孩子走丢了，请打[number]"),
    ("电话 138 1234 5678 找我", "电话 [number] 找我"),
    ("座机是010-87654321", "座机是[number]"),
    ("身份证号11010519900307881X丢在展厅了", "身份证号[number]丢在展厅了"),
    ("我的手机号是１３８１２３４５６７８", "我的手机号是[number]"),
    ("我的电话是一三八一二三四五六七八", "我的电话是[number]"),
    ("제 번호는 010-1234-5678이에요", "제 번호는 [number]이에요"),
    ("주민번호 900101-1234567 잃어버렸어요", "주민번호 [number] 잃어버렸어요"),
    ("연락처 공일공 일이삼사 오육칠팔", "연락처 [number]"),
    ("call me at (555) 123-4567 if you find my bag", "call me at [number] if you find my bag"),
    ("my number is +44 20 7946 0958", "my number is [number]"),
    ("it's oh seven nine one one two three four five six", "it's [number]"),
    ("email me at kim.minji@naver.com please", f"email me at {EMAIL} please"),
    ("邮箱是wang.fang88@qq.com谢谢", f"邮箱是{EMAIL}谢谢"),
    ("passport E12345678 lost", f"passport {NUMBER} lost"),
]
ORDINARY = [
    "what happened in 1420",
    "was the Ming dynasty 1368-1644",
    "明朝是1368–1644年吗",
    "后母戊鼎832.84公斤吗",
    "门票¥60还是¥1,200",
    "입장료 1500000원이에요?",
    "where is exhibit A-113",
    "is gallery No. 1024 open",
    "catalogue 2015.045.12",
    "did it open on 2024-03-15",
    "七七事变是哪一年",
    "一九四九年发生了什么",
    "육이오 전쟁 유물 있어요?",
    "그 사이에 화장실 있어요?",
    "how many of the 8,000 soldiers",
    "open 9:00-17:00 on 3 floors",
]


@pytest.mark.parametrize(("text", "masked"), PERSONAL)
def test_phone_id_and_email_are_masked(text: str, masked: str) -> None:
    assert mask_personal(text) == masked
    assert looks_personal(text)


@pytest.mark.parametrize("text", ORDINARY)
def test_years_prices_and_exhibit_numbers_are_left_alone(text: str) -> None:
    assert mask_personal(text) == text
    assert not looks_personal(text)


# -- what a turn keeps --------------------------------------------------------------------------------------------


def test_a_turn_keeps_what_curators_need_and_never_audio(tmp_path: Path) -> None:
    log = InteractionLog(tmp_path / "log.sqlite", clock=Clock())
    assert log.record(summary(), " how heavy is the ding ", via="voice", latency_ms=48.26, pack_version="0123abcd")
    [turn] = log.turns()
    log.close()
    assert turn.time == NOW and turn.language == "en" and turn.via == "voice"
    assert turn.question == "how heavy is the ding"
    assert (turn.intent, turn.reason, turn.exhibit, turn.facility) == ("exhibit", "fact:weight", "houmuwu-ding", None)
    assert turn.confidence == 0.9 and turn.answered and turn.latency_ms == 48.3 and turn.pack_version == "0123abcd"
    db = sqlite3.connect(tmp_path / "log.sqlite")
    columns = [row[1] for row in db.execute("PRAGMA table_info(turns)")]
    types = {row[2] for row in db.execute("PRAGMA table_info(turns)")}
    db.close()
    assert columns == ["id", *COLUMNS]
    assert "BLOB" not in types  # nothing that could hold a recording


def test_personal_numbers_never_reach_the_file(tmp_path: Path) -> None:
    path = tmp_path / "log.sqlite"
    log = InteractionLog(path, clock=Clock())
    log.record(fallback(), "my son is lost, call 010-9876-5432 or mum@example.org", via="typed")
    log.record(fallback("zh"), "孩子走丢了 打13987654321", via="voice")
    log.close()
    assert [row["question"] for row in table(path)] == [
        "my son is lost, call [number] or [email]",
        "孩子走丢了 打[number]",
    ]
    raw = path.read_bytes()
    assert b"9876" not in raw and b"13987654321" not in raw and b"mum@" not in raw


def test_with_text_logging_off_everything_but_the_words_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "log.sqlite"
    log = InteractionLog(path, LogSettings(log_questions=False), clock=Clock())
    log.record(summary(), "how heavy is the ding", via="typed", latency_ms=1.0)
    log.record(fallback(), "where can I charge my phone", via="voice", latency_ms=60.0)
    turns = log.turns()
    log.close()
    assert [t.question for t in turns] == [None, None]
    assert [(t.intent, t.exhibit, t.answered, t.via) for t in turns] == [
        ("exhibit", "houmuwu-ding", True, "typed"),
        ("fallback", None, False, "voice"),
    ]
    assert b"charge" not in path.read_bytes() and b"heavy" not in path.read_bytes()


def test_old_turns_are_deleted_at_opening_and_once_a_day(tmp_path: Path) -> None:
    path = tmp_path / "log.sqlite"
    clock = Clock()
    log = InteractionLog(path, LogSettings(retention_days=30), clock=clock)
    for days in (45, 31, 29, 1):
        log.record(summary(), f"asked {days} days ago", via="typed", when=NOW - timedelta(days=days))
    log.close()
    log = InteractionLog(path, LogSettings(retention_days=30), clock=clock)  # opening deletes the old ones
    assert [t.question for t in log.turns()] == ["asked 29 days ago", "asked 1 days ago"]
    clock.now = NOW + timedelta(hours=20)  # the same day: no deleting while visitors ask
    log.record(summary(), "now", via="typed")
    assert len(log.turns()) == 3
    clock.now = NOW + timedelta(days=1, hours=1)  # a day later the next turn sweeps again
    log.record(summary(), "tomorrow", via="typed")
    assert [t.question for t in log.turns()] == ["asked 1 days ago", "now", "tomorrow"]
    log.close()


def test_the_kiosk_writes_on_its_own_thread_and_loses_nothing_on_close(tmp_path: Path) -> None:
    path = tmp_path / "log.sqlite"
    log = InteractionLog(path, background=True)
    for n in range(50):
        assert log.record(summary(), f"question {n}", via="typed")
    assert len(log.turns()) == 50  # reading waits for what is queued
    log.record(fallback(), "the last one", via="typed")
    log.close()
    assert len(table(path)) == 51


# -- migrations ---------------------------------------------------------------------------------------------------


def old_log(path: Path) -> None:
    """A log as Docent wrote it before the interaction log: the ``unanswered`` table only."""
    rows: list[dict[str, object]] = [
        {
            "time": "2025-03-01T10:00:00+00:00",
            "language": "en",
            "question": "Where can I charge my phone?",
            "intent": "fallback",
            "reason": "not-understood",
            "exhibit": None,
            "confidence": 0.0,
        },
        {
            "time": "2025-03-02T11:30:00+00:00",
            "language": "zh",
            "question": "兵马俑有多大 我电话13812345678",
            "intent": "exhibit",
            "reason": "summary",
            "exhibit": "terracotta-army",
            "confidence": 0.4,
        },
    ]
    db = sqlite_utils.Database(path)
    db.table("unanswered").insert_all(rows)
    db.close()


def migrations_of(path: Path) -> list[str]:
    db = sqlite3.connect(path)
    try:
        return [row[0] for row in db.execute("SELECT name FROM _migrations ORDER BY name")]
    finally:
        db.close()


def test_the_older_log_beside_it_is_taken_over_once(tmp_path: Path) -> None:
    old_log(tmp_path / "unanswered.sqlite")
    path = tmp_path / "interactions.sqlite"
    log = InteractionLog(path, clock=Clock())
    assert log.imported == 2
    turns = log.turns()
    log.close()
    assert [(t.language, t.question, t.answered, t.via) for t in turns] == [
        ("en", "Where can I charge my phone?", False, None),
        ("zh", "兵马俑有多大 我电话[number]", True, None),
    ]
    assert turns[1].exhibit == "terracotta-army" and turns[1].confidence == 0.4 and turns[1].needs_curator
    assert not (tmp_path / "unanswered.sqlite").exists()
    assert (tmp_path / "unanswered.sqlite.imported").is_file()  # kept, renamed: never imported twice
    assert migrations_of(path) == [name for name, _ in MIGRATIONS]

    again = InteractionLog(path, clock=Clock())  # opening again changes nothing
    assert again.imported == 0 and len(again.turns()) == 2
    again.close()
    assert migrations_of(path) == [name for name, _ in MIGRATIONS]


def test_an_old_schema_file_opened_directly_is_upgraded_in_place(tmp_path: Path) -> None:
    path = tmp_path / "copied-from-hall-b.sqlite"
    old_log(path)
    before = path.read_bytes()
    assert [t.question for t in read_turns(path)] == ["Where can I charge my phone?", "兵马俑有多大 我电话[number]"]
    assert path.read_bytes() == before  # reading works on a copy: the file is not touched

    log = InteractionLog(path, clock=Clock())
    assert log.imported == 2
    log.record(fallback(), "is there a parking lot", via="typed")
    log.close()
    db = sqlite_utils.Database(path)
    assert set(db.table_names()) == {"turns", "_migrations"}
    db.close()
    assert len(read_turns(path)) == 3


def test_a_file_that_is_not_a_log_is_refused_by_readers(tmp_path: Path) -> None:
    notes = tmp_path / "notes.sqlite"
    notes.write_text("shopping list: milk, eggs\n" * 200, encoding="utf-8")
    with pytest.raises(LogUnreadable, match="not an interaction log"):
        read_turns(notes)
    other = tmp_path / "other.sqlite"
    sqlite_utils.Database(other).table("dogs").insert({"name": "Cleo"})
    with pytest.raises(LogUnreadable, match="its tables: dogs"):
        read_turns(other)
    with pytest.raises(LogUnreadable, match="does not exist"):
        read_turns(tmp_path / "missing.sqlite")


# -- files that go wrong ------------------------------------------------------------------------------------------


def test_a_corrupt_log_is_moved_aside_and_a_fresh_one_started(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "interactions.sqlite"
    log = InteractionLog(path, clock=Clock())
    for n in range(400):
        log.record(summary(), f"question number {n} about the ding " + "x" * 80, via="typed")
    log.close()
    damaged = bytearray(path.read_bytes())
    damaged[8192:16384] = b"\xff" * 8192  # two pages of the table overwritten
    path.write_bytes(bytes(damaged))

    with caplog.at_level(logging.WARNING, logger="kiosk.ops.interactions"):
        log = InteractionLog(path, clock=Clock())
    assert log.available and log.moved_aside is not None
    assert log.moved_aside.name == "interactions.sqlite.corrupt-20250314-063000"
    assert log.moved_aside.read_bytes() == bytes(damaged)  # kept as it was, for a technician
    assert "was damaged" in caplog.text
    assert log.record(summary(), "the first question after", via="typed")
    assert [t.question for t in log.turns()] == ["the first question after"]
    log.close()


def test_garbage_in_place_of_the_log_is_moved_aside(tmp_path: Path) -> None:
    path = tmp_path / "interactions.sqlite"
    path.write_text("not a database at all\n" * 100, encoding="utf-8")
    log = InteractionLog(path, clock=Clock())
    assert log.moved_aside is not None and log.moved_aside.read_text(encoding="utf-8").startswith("not a database")
    assert log.record(fallback(), "hello?", via="typed") and len(log.turns()) == 1
    log.close()


def test_a_full_disk_never_stops_the_guide_answering(
    tmp_path: Path, mind: Mind, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "interactions.sqlite"
    log = InteractionLog(path)
    assert log._db is not None
    pages = log._db.execute("PRAGMA page_count").fetchone()[0]
    log._db.execute(f"PRAGMA max_page_count = {pages}")  # what SQLite says when the disk is full
    session = Session(mind, interactions=log, settings=SessionSettings(greet=False))
    with caplog.at_level(logging.WARNING, logger="kiosk.ops.interactions"):
        answers = [session.ask("where is the toilet " + "please " * 200) for _ in range(12)]
    assert all(a is not None and a.facility == "restroom" for a in answers)
    assert caplog.text.count("was not recorded") == 1  # one warning, not one per visitor
    assert "full" in caplog.text
    session.close()
    log.close()


def test_a_read_only_log_or_folder_never_stops_the_guide_answering(tmp_path: Path, mind: Mind) -> None:
    log = InteractionLog(tmp_path / "interactions.sqlite")
    assert log._db is not None
    log._db.execute("PRAGMA query_only = ON")  # every write refused, as on a read-only file
    session = Session(mind, interactions=log, settings=SessionSettings(greet=False))
    answer = session.ask("how heavy is the houmuwu ding")
    assert answer is not None and "832.84" in answer.text
    assert not log.record(summary(), "refused", via="typed")
    log.close()

    blocked = tmp_path / "a-file"
    blocked.write_text("in the way", encoding="utf-8")
    nowhere = InteractionLog(blocked / "interactions.sqlite")  # the folder cannot be made
    assert not nowhere.available and not nowhere.record(summary(), "lost", via="typed") and nowhere.turns() == []
    session = Session(mind, interactions=nowhere, settings=SessionSettings(greet=False))
    answer = session.ask("where is the toilet")
    assert answer is not None and answer.facility == "restroom"
    nowhere.close()


# -- the session ---------------------------------------------------------------------------------------------------


def test_the_session_records_each_turn_with_its_latency(tmp_path: Path, mind: Mind) -> None:
    log = InteractionLog(tmp_path / "interactions.sqlite")
    session = Session(mind, interactions=log, settings=SessionSettings(greet=False))
    asked = time.monotonic()
    session.ask("how heavy is the houmuwu ding")
    typed_took_ms = (time.monotonic() - asked) * 1000
    session.ask("can I rent an audio guide", "tapped")
    asked = time.monotonic()
    session.ask("후모무정은 얼마나 무거워요", "voice", spoken_at=asked - 0.25)  # the visitor stopped 250 ms ago
    spoken_took_ms = (time.monotonic() - asked) * 1000
    session.close()
    typed, tapped, spoken = log.turns()
    log.close()
    assert (typed.via, typed.exhibit, typed.answered) == ("typed", "houmuwu-ding", True)
    assert (tapped.via, tapped.answered, tapped.reason) == ("tapped", False, "not-understood")
    assert (spoken.via, spoken.language, spoken.exhibit) == ("voice", "ko", "houmuwu-ding")
    assert typed.latency_ms is not None and 0 < typed.latency_ms <= typed_took_ms  # the mind alone
    assert spoken.latency_ms is not None and 250 <= spoken.latency_ms <= 250 + spoken_took_ms  # from the end of speech
    assert typed.pack_version == mind.pack.fingerprint[:12]


def test_a_spoken_question_is_logged_from_the_real_recognizer(
    tmp_path: Path, mind: Mind, demo_pack: Pack, korean: Path
) -> None:
    from kiosk.voice.asr import SpeechModels
    from kiosk.voice.audio import WavSource
    from kiosk.voice.out import SilentAudioOut
    from kiosk.voice.pipeline import Voice
    from kiosk.voice.tts import Synthesizer
    from tests.speech import speak

    wav = speak("화장실 가고 싶어요", tmp_path / "q.wav")  # "I need the toilet"
    synthesizer = Synthesizer(demo_pack.venue.speech)
    models = SpeechModels(demo_pack)
    models.load("ko")
    log = InteractionLog(tmp_path / "interactions.sqlite")
    session = Session(
        mind,
        voice=Voice(synthesizer, SilentAudioOut()),
        models=models,
        microphone=lambda: WavSource(wav, realtime=True, pad_s=1.5),  # as a microphone
        interactions=log,
        settings=SessionSettings(greet=False),
    )
    session.set_language("ko")
    try:
        started = time.monotonic()
        assert session.listen()
        deadline = time.monotonic() + 60
        while not log.turns() and time.monotonic() < deadline:
            time.sleep(0.05)
        elapsed_ms = (time.monotonic() - started) * 1000
        [turn] = log.turns()
    finally:
        session.close()
        synthesizer.close()
        log.close()
    assert (turn.via, turn.language, turn.facility, turn.answered) == ("voice", "ko", "restroom", True)
    assert turn.question and "화장실" in turn.question
    # counted from the end of speech (the recording plays in real time), not from when listening began
    speech_ms = WavSource(wav, pad_s=0).duration * 1000
    assert turn.latency_ms is not None and 0 < turn.latency_ms < elapsed_ms - speech_ms


def test_the_staff_panel_shows_todays_unanswered_from_the_log(qtbot: QtBot) -> None:
    from kiosk.ops.config import KioskConfig
    from kiosk.ui.engines import load_content
    from kiosk.ui.kiosk import Kiosk

    kiosk = Kiosk(load_content(None), KioskConfig(fullscreen=False), None, windowed=True)
    qtbot.addWidget(kiosk.window)
    try:
        session = kiosk.window.session
        session.ask("where is the toilet")
        session.ask("where can I charge my phone? call me 010-1234-5678")
        shown = kiosk.staff_status().unanswered_today
    finally:
        kiosk.close()
    assert [(lang, q) for _, lang, q in shown] == [("en", "where can I charge my phone? call me [number]")]
    assert re.fullmatch(r"\d\d:\d\d", shown[0][0])
    assert len(table(log_path())) == 2


def test_the_command_line_tools_record_only_what_curators_need(tmp_path: Path) -> None:
    log = UnansweredLog()
    assert not log.record("how heavy is the ding", summary())
    assert log.record("is there a parking lot", fallback())
    assert log.record("how old is the ding", summary(confidence=0.4))
    assert [r["question"] for r in log.rows()] == ["is there a parking lot", "how old is the ding"]
    log.close()
    assert {t.via for t in read_turns(log_path())} == {"cli"}
