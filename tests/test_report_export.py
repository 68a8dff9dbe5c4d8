"""``kiosk report export``: the questions the guide could not answer, from the kiosk's real interaction log to a
file for the curators' editor (tests/test_editor_visitors.py reads it)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlite_utils
from click.testing import CliRunner, Result

from kiosk.cli import main
from kiosk.cli.report import kiosk_name
from kiosk.mind import Answer, Intent
from kiosk.ops.interactions import InteractionLog, LogSettings, log_path


def fallback(language: str = "en") -> Answer:
    return Answer(Intent.FALLBACK, "Sorry, I don't know.", language, 0.0, reason="no-match")


def unsure(exhibit: str, language: str = "en") -> Answer:
    return Answer(Intent.EXHIBIT, "It is old.", language, 0.4, exhibit=exhibit, reason="summary")


def record(log: InteractionLog, question: str | None, answer: Answer, day: int, via: str = "typed") -> None:
    assert log.record(answer, question, via=via, latency_ms=2.0, when=datetime(2025, 3, day, 12, 0, tzinfo=UTC))


@pytest.fixture
def kiosk_log() -> Path:
    """The kiosk's own interaction log (under DOCENT_HOME): three questions for curators among other turns."""
    log = InteractionLog()
    record(log, "Where are the toilets?", fallback(), 1)
    confident = Answer(Intent.EXHIBIT, "832.84 kg", "en", 1.0, exhibit="houmuwu-ding", reason="fact:weight")
    record(log, "How heavy is the ding?", confident, 2, via="voice")
    record(log, "兵马俑有多大", unsure("terracotta-army", "zh"), 10, via="voice")
    record(log, None, Answer(Intent.FALLBACK, "Sorry?", "ko", 0.0, reason="not-heard"), 15, via="voice")
    record(log, "화장실 어디예요?", fallback("ko"), 20)
    log.close()
    return log_path()


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty current folder, as on a technician's laptop or USB stick."""
    folder = tmp_path / "here"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


def export(here: Path, *args: str) -> tuple[Result, list[Path]]:
    """Run the real command; returns its result and the files it left in the current folder."""
    result = CliRunner().invoke(main, ["report", "export", *args])
    return result, sorted(here.iterdir())


def test_export_writes_every_recorded_question_and_nothing_else(here: Path, kiosk_log: Path) -> None:
    result, files = export(here)
    assert result.exit_code == 0, result.output
    assert len(files) == 1
    name = files[0].name
    assert name.startswith(f"docent-questions-{kiosk_name()}-") and name.endswith(".json")
    assert f"Exported 3 questions to {name}" in result.stdout
    data = json.loads(files[0].read_text(encoding="utf-8"))
    assert data["format"] == "docent-questions" and data["version"] == 1
    assert data["kiosk"] == kiosk_name()
    assert data["pack"] is None  # no kiosk.yaml and nothing synced: the pack is not known
    assert datetime.fromisoformat(data["exported"]).tzinfo is not None
    assert [q["question"] for q in data["questions"]] == ["Where are the toilets?", "兵马俑有多大", "화장실 어디예요?"]
    unsure_row = data["questions"][1]
    assert unsure_row == {
        "time": "2025-03-10T12:00:00+00:00",
        "language": "zh",
        "question": "兵马俑有多大",
        "intent": "exhibit",
        "reason": "summary",
        "exhibit": "terracotta-army",
        "confidence": 0.4,
    }
    assert "How heavy is the ding?" not in files[0].read_text(encoding="utf-8")


def test_export_names_the_venue_pack_from_kiosk_yaml(
    here: Path, kiosk_log: Path, docent_home: Path, tmp_path: Path
) -> None:
    (docent_home / "kiosk.yaml").write_text(
        "sync:\n  server: https://content.example-museum.org/docent/\n  pack: city-museum\n", encoding="utf-8"
    )
    out = tmp_path / "questions.json"
    result, _ = export(here, "--out", str(out))
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text(encoding="utf-8"))["pack"] == "city-museum"


def test_since_keeps_only_questions_from_that_date_on(here: Path, kiosk_log: Path, tmp_path: Path) -> None:
    out = tmp_path / "march.json"
    result, _ = export(here, "--since", "2025-03-10", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert f"Exported 2 questions asked since 2025-03-10 to {out}" in result.stdout
    questions = json.loads(out.read_text(encoding="utf-8"))["questions"]
    assert [q["question"] for q in questions] == ["兵马俑有多大", "화장실 어디예요?"]

    later, _ = export(here, "--since", "2025-04-01", "--out", str(out))
    assert later.exit_code == 0, later.output
    assert "No questions asked since 2025-04-01" in later.stdout
    assert json.loads(out.read_text(encoding="utf-8"))["questions"] == []


def test_no_log_yet_says_so_and_where_it_looked(here: Path, docent_home: Path) -> None:
    result, files = export(here)
    assert result.exit_code == 2
    assert "has not recorded any yet" in result.stderr
    assert str(docent_home / "interactions.sqlite") in result.stderr
    assert files == []
    assert not (docent_home / "interactions.sqlite").exists()  # looking did not create an empty log


def test_log_option_and_out_folder(here: Path, tmp_path: Path) -> None:
    other = tmp_path / "copied-from-kiosk-3.sqlite"
    log = InteractionLog(other)
    record(log, "Can I take photos?", fallback(), 5)
    log.close()
    folder = tmp_path / "usb"
    folder.mkdir()
    result, _ = export(here, "--log", str(other), "--out", str(folder))
    assert result.exit_code == 0, result.output
    [written] = folder.iterdir()
    assert written.name.startswith("docent-questions-")
    assert [q["question"] for q in json.loads(written.read_text(encoding="utf-8"))["questions"]] == [
        "Can I take photos?"
    ]


def test_a_file_that_is_not_a_log_is_refused_in_words(here: Path, tmp_path: Path) -> None:
    bogus = tmp_path / "notes.sqlite"
    bogus.write_text("shopping list: milk, eggs\n" * 200, encoding="utf-8")
    result, files = export(here, "--log", str(bogus))
    assert result.exit_code == 2
    assert f"{bogus} is not a questions log that can be read" in result.stderr
    assert files == []


def test_out_into_a_missing_folder_is_refused(here: Path, kiosk_log: Path, tmp_path: Path) -> None:
    result, _ = export(here, "--out", str(tmp_path / "no-such-folder" / "q.json"))
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


def test_a_kiosk_not_yet_started_on_this_version_exports_its_older_log(here: Path, docent_home: Path) -> None:
    db = sqlite_utils.Database(docent_home / "unanswered.sqlite")
    db.table("unanswered").insert(
        {
            "time": "2025-03-04T09:15:00+00:00",
            "language": "en",
            "question": "Is there a cloakroom? my number is 010-2345-6789",
            "intent": "fallback",
            "reason": "not-understood",
            "exhibit": None,
            "confidence": 0.0,
        }
    )
    db.close()
    before = (docent_home / "unanswered.sqlite").read_bytes()
    result, [written] = export(here)
    assert result.exit_code == 0, result.output
    questions = json.loads(written.read_text(encoding="utf-8"))["questions"]
    assert [q["question"] for q in questions] == ["Is there a cloakroom? my number is [number]"]
    assert (docent_home / "unanswered.sqlite").read_bytes() == before  # read, not changed


def test_without_question_text_nothing_is_exported_and_it_says_why(here: Path, tmp_path: Path) -> None:
    path = tmp_path / "private.sqlite"
    log = InteractionLog(path, LogSettings(log_questions=False))
    record(log, "Where are the toilets?", fallback(), 1)
    log.close()
    result, _ = export(here, "--log", str(path), "--out", str(tmp_path / "q.json"))
    assert result.exit_code == 0, result.output
    assert "1 more were recorded without their words (log_questions is off)" in result.stdout
    assert json.loads((tmp_path / "q.json").read_text(encoding="utf-8"))["questions"] == []
