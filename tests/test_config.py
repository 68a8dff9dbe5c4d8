"""kiosk.yaml, the staff PIN gate and the kiosk's logging."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from kiosk.content.problems import Problem
from kiosk.ops.config import (
    EXAMPLE,
    ConfigError,
    KioskConfig,
    Orientation,
    ViewMode,
    config_path,
    load_config,
)
from kiosk.ops.logs import LOG_NAME, RecentProblems, setup_logging
from kiosk.ops.paths import demo_pack_path
from kiosk.ops.pin import FIRST_LOCKOUT_S, MAX_LOCKOUT_S, NO_PIN_MESSAGE, PinGate, PinStatus


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(path: Path) -> tuple[Problem, ...]:
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(path) in str(caught.value)
    return caught.value.problems


def only_problem(path: Path) -> Problem:
    problems = problems_of(path)
    assert len(problems) == 1, problems
    return problems[0]


# -- kiosk.yaml ----------------------------------------------------------------------------------------------


def test_absent_file_gives_windowed_defaults(docent_home: Path) -> None:
    assert config_path() == docent_home / "kiosk.yaml"
    config = load_config(None)
    assert config == KioskConfig()
    assert not config.from_file and config.path is None
    assert not config.fullscreen and config.idle_timeout_s == 45 and config.staff_pin is None
    assert config.orientation is Orientation.AUTO and config.view is ViewMode.AUTO
    assert not config.keep_audio and config.volume is None and config.render_scale is None


def test_absent_file_named_by_the_technician_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path / "nope.yaml", required=True)
    assert "does not exist" in str(caught.value)


def test_empty_file_turns_fullscreen_on() -> None:
    path = write(config_path(), "# nothing set yet\n")
    config = load_config(None)
    assert config.from_file and config.path == path
    assert config.fullscreen and config.idle_timeout_s == 45 and not config.keep_audio


def test_every_field(tmp_path: Path) -> None:
    pack = demo_pack_path()
    path = write(
        tmp_path / "kiosk.yaml",
        f"""\
pack: {pack}
language: ko
fullscreen: false
orientation: Portrait
idle_timeout_s: 90
staff_pin: "0482"
hands_free: true
large_text: true
high_contrast: true
reduced_motion: true
volume: 70
microphone: USB Audio
speaker: 2
view: offscreen
render_scale: 0.5
keep_audio: true
""",
    )
    config = load_config(path)
    assert config == KioskConfig(
        pack=pack,
        language="ko",
        fullscreen=False,
        orientation=Orientation.PORTRAIT,
        idle_timeout_s=90,
        staff_pin="0482",
        hands_free=True,
        large_text=True,
        high_contrast=True,
        reduced_motion=True,
        volume=70,
        microphone="USB Audio",
        speaker=2,
        view=ViewMode.OFFSCREEN,
        render_scale=0.5,
        keep_audio=True,
        path=path,
    )
    assert config.lines["render_scale"] == 15


def test_relative_pack_path_starts_from_the_config_folder(tmp_path: Path) -> None:
    (tmp_path / "packs" / "mine" / "content").mkdir(parents=True)
    (tmp_path / "packs" / "mine" / "content" / "venue.yaml").write_text("id: mine\n", encoding="utf-8")
    config = load_config(write(tmp_path / "kiosk.yaml", "pack: packs/mine\n"))
    assert config.pack == tmp_path / "packs" / "mine"


@pytest.mark.parametrize(
    ("written", "pin"),
    [("1234", "1234"), ("'0007'", "0007"), ("0123", "0123"), ("12345678", "12345678"), ("08", None)],
)
def test_pin_as_written(tmp_path: Path, written: str, pin: str | None) -> None:
    """YAML reads 1234 as a number and 0123 as octal 83; the kiosk uses the digits as written."""
    path = write(tmp_path / "kiosk.yaml", f"fullscreen: true\nstaff_pin: {written}\n")
    if pin is None:
        problem = only_problem(path)
        assert (problem.line, problem.field, problem.code) == (2, "staff_pin", "bad-pin")
    else:
        assert load_config(path).staff_pin == pin


@pytest.mark.parametrize("written", ["123", "123456789", "12_34", "'12a4'", "true", "[1, 2]"])
def test_bad_pins(tmp_path: Path, written: str) -> None:
    problem = only_problem(write(tmp_path / "kiosk.yaml", f"staff_pin: {written}\n"))
    assert problem.field == "staff_pin" and problem.line == 1
    assert "4 to 8 digits" in problem.message


def test_unknown_key_suggests_the_right_one(tmp_path: Path) -> None:
    path = write(tmp_path / "kiosk.yaml", "volume: 50\nidle_timout_s: 30\n")
    problem = only_problem(path)
    assert str(problem).startswith(f"{path}:2: idle_timout_s: unknown setting")
    assert "Did you mean 'idle_timeout_s'?" in problem.message
    assert problem.code == "unknown-key"


@pytest.mark.parametrize("value", [5, 601, 0])
def test_idle_timeout_out_of_range(tmp_path: Path, value: int) -> None:
    problem = only_problem(write(tmp_path / "kiosk.yaml", f"idle_timeout_s: {value}\n"))
    assert (problem.line, problem.field, problem.code) == (1, "idle_timeout_s", "out-of-range")
    assert "from 10 to 600" in problem.message


@pytest.mark.parametrize(
    ("line", "field", "code", "says"),
    [
        ("fullscreen: maybe", "fullscreen", "wrong-type", "true or false"),
        ("hands_free: 'yes'", "hands_free", "wrong-type", "true or false"),
        ("orientation: portait", "orientation", "bad-choice", "Did you mean 'portrait'?"),
        ("view: window", "view", "bad-choice", "auto, native, offscreen"),
        ("idle_timeout_s: soon", "idle_timeout_s", "wrong-type", "whole number of seconds"),
        ("idle_timeout_s: 30.5", "idle_timeout_s", "wrong-type", "whole number"),
        ("volume: 120", "volume", "out-of-range", "from 0 to 100"),
        ("render_scale: 2", "render_scale", "out-of-range", "from 0.25 to 1.0"),
        ("render_scale: fast", "render_scale", "wrong-type", "a number"),
        ("microphone: [1]", "microphone", "wrong-type", "device name"),
        ("speaker: -1", "speaker", "wrong-type", "device number"),
        ("language: English", "language", "bad-language", "en, zh or ko"),
        ("pack: /no/such/pack", "pack", "missing-pack", "content/venue.yaml"),
    ],
)
def test_each_mistake_names_file_line_field(tmp_path: Path, line: str, field: str, code: str, says: str) -> None:
    path = write(tmp_path / "kiosk.yaml", f"# kiosk settings\nlarge_text: true\n{line}\n")
    problem = only_problem(path)
    assert (problem.file, problem.line, problem.field, problem.code) == (str(path), 3, field, code)
    assert says in problem.message
    assert str(problem).startswith(f"{path}:3: {field}: ")


def test_every_problem_at_once_and_nothing_half_applied(tmp_path: Path) -> None:
    path = write(tmp_path / "kiosk.yaml", "volume: 500\nview: 3d\nstaff_pin: 12\nlarge_text: true\nvolume: 3\n")
    problems = problems_of(path)
    assert [(p.line, p.field) for p in problems] == [(1, "volume"), (2, "view"), (3, "staff_pin"), (5, "volume")]
    assert problems[-1].code == "duplicate-key"


def test_syntax_error_and_wrong_shape(tmp_path: Path) -> None:
    problem = only_problem(write(tmp_path / "kiosk.yaml", "volume: 50\n  view: [auto\n"))
    assert problem.code == "yaml-syntax" and problem.line >= 2
    problem = only_problem(write(tmp_path / "kiosk.yaml", "- volume\n- view\n"))
    assert problem.code == "wrong-type" and "map" in problem.message


def test_language_checked_against_the_venue(tmp_path: Path) -> None:
    config = load_config(write(tmp_path / "kiosk.yaml", "volume: 40\nlanguage: kr\n"))
    assert config.start_language(("zh", "en", "ko")) == "zh"
    with pytest.raises(ConfigError) as caught:
        config.check_languages(("zh", "en", "ko"))
    (problem,) = caught.value.problems
    assert (problem.line, problem.field) == (2, "language")
    assert "zh, en, ko" in problem.message
    assert load_config(write(tmp_path / "kiosk.yaml", "language: ko\n")).start_language(("zh", "ko")) == "ko"
    assert KioskConfig().start_language(("en", "zh")) == "en"


def test_example_is_valid_apart_from_the_pack(tmp_path: Path) -> None:
    text = EXAMPLE.replace("/srv/docent/packs/my-museum", str(demo_pack_path()))
    config = load_config(write(tmp_path / "kiosk.yaml", text))
    assert config.fullscreen and not config.keep_audio and config.log_questions
    assert config.staff_pin is None and config.staff_pin_hash is None  # the example sets no PIN anyone could copy
    assert config.location == "Hall A, north door" and config.offered(("en", "ko", "zh")) == ("zh", "en", "ko")


def test_kiosk_languages_location_and_log_settings(tmp_path: Path) -> None:
    text = 'location: "Hall B, by the bronzes"\nlanguages: [ko, en]\nlog_questions: false\nlog_retention_days: 30\n'
    config = load_config(write(tmp_path / "kiosk.yaml", text))
    assert config.location == "Hall B, by the bronzes" and config.languages == ("ko", "en")
    assert not config.log_questions and config.log_retention_days == 30
    assert config.offered(("zh", "en", "ko")) == ("ko", "en")
    assert config.start_language(("zh", "en", "ko")) == "ko"  # the first offered, not the venue's first
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path / "kiosk.yaml", "languages: [ko, fr]\n")).check_languages(("zh", "en", "ko"))
    (problem,) = caught.value.problems
    assert (problem.line, problem.field) == (1, "languages") and "'fr'" in problem.message
    assert load_config(write(tmp_path / "kiosk.yaml", "location: x\n")).log_retention_days == 90


@pytest.mark.parametrize(
    ("text", "line", "field", "says"),
    [
        ("languages: en\n", 1, "languages", "list of language codes"),
        ("languages: [en, en]\n", 1, "languages", "listed twice"),
        ("languages: [en, 5]\n", 1, "languages", "not a language code"),
        ("languages: [en]\nlanguage: zh\n", 2, "language", "not one of this kiosk's languages"),
        ("log_retention_days: 0\n", 1, "log_retention_days", "from 1 to 3650"),
        ("log_questions: maybe\n", 1, "log_questions", "true or false"),
        ("location: [a, b]\n", 1, "location", "short text"),
        ("staff_pin_hash: 4821\n", 1, "staff_pin_hash", "kiosk config pin-hash"),
        ('staff_pin_hash: "scrypt$3$8$1$AAAAAAAAAAA=$AAAAAAAAAAAAAAAAAAAAAA=="\n', 1, "staff_pin_hash", "out of range"),
    ],
)
def test_new_settings_mistakes(tmp_path: Path, text: str, line: int, field: str, says: str) -> None:
    problem = only_problem(write(tmp_path / "kiosk.yaml", text))
    assert (problem.line, problem.field) == (line, field) and says in problem.message, problem


def test_pin_hash_opens_the_gate_and_the_plain_pin_is_not_in_the_file(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from kiosk.cli import main

    printed = CliRunner().invoke(main, ["config", "pin-hash", "--pin", "0482"])
    assert printed.exit_code == 0 and printed.output.startswith("staff_pin_hash: ")
    path = write(tmp_path / "kiosk.yaml", printed.output)
    assert "0482" not in path.read_text()
    config = load_config(path)
    gate = PinGate(config.staff_pin, FakeClock(), pin_hash=config.staff_pin_hash)
    assert gate.has_pin and gate.try_pin("0482").ok
    assert gate.try_pin("0483").status is PinStatus.WRONG
    both = write(tmp_path / "kiosk.yaml", printed.output + 'staff_pin: "1234"\n')
    assert only_problem(both).code == "two-pins"
    refused = CliRunner().invoke(main, ["config", "pin-hash", "--pin", "12a4"])
    assert refused.exit_code == 2 and "staff_pin_hash" not in refused.output


def test_config_check_shows_effective_settings_and_mistakes(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from kiosk.cli import main

    good = write(tmp_path / "kiosk.yaml", "idle_timeout_s: 60\n")
    shown = CliRunner().invoke(main, ["config", "check", str(good)])
    assert shown.exit_code == 0, shown.output
    assert "idle_timeout_s: 60\n" in shown.output and "log_retention_days: 90   (default)" in shown.output
    bad = write(tmp_path / "bad.yaml", "idle_timeout_s: 5\nvolume: loud\n")
    refused = CliRunner().invoke(main, ["config", "check", str(bad), "--json"])
    assert refused.exit_code == 2
    assert '"line": 1' in refused.output and '"field": "volume"' in refused.output


# -- the PIN gate ----------------------------------------------------------------------------------------------


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def wrong_round(gate: PinGate) -> None:
    assert gate.try_pin("0000").tries_left == 2
    assert gate.try_pin("1111").message == "Wrong PIN, 1 try left"
    result = gate.try_pin("2222")
    assert result.status is PinStatus.LOCKED


def test_pin_ok_and_wrong() -> None:
    gate = PinGate("4821", FakeClock())
    assert gate.try_pin("4821").ok
    result = gate.try_pin("1234")
    assert result.status is PinStatus.WRONG and result.tries_left == 2
    assert result.message == "Wrong PIN, 2 tries left"
    assert not gate.try_pin("48210").ok and not gate.try_pin("").ok


def test_lockouts_double_up_to_fifteen_minutes() -> None:
    clock = FakeClock()
    gate = PinGate("4821", clock)
    expected = FIRST_LOCKOUT_S
    for _ in range(8):
        wrong_round(gate)
        assert gate.locked_for() == expected
        clock.now += expected - 1
        locked = gate.try_pin("4821")  # the right PIN is refused while locked
        assert locked.status is PinStatus.LOCKED and locked.locked_for_s == 1
        assert locked.message == "Locked for 1 s"
        clock.now += 1
        assert gate.locked_for() == 0
        expected = min(MAX_LOCKOUT_S, expected * 2)
    assert expected == MAX_LOCKOUT_S


def test_lock_message_counts_down() -> None:
    clock = FakeClock()
    gate = PinGate("4821", clock)
    wrong_round(gate)
    clock.now += 3.2
    assert gate.try_pin("9999").message == "Locked for 27 s"
    assert gate.locked_for() == pytest.approx(26.8)  # tries while locked do not extend the lock


def test_correct_pin_resets_tries_and_lockouts() -> None:
    clock = FakeClock()
    gate = PinGate("4821", clock)
    wrong_round(gate)
    clock.now += FIRST_LOCKOUT_S
    assert gate.try_pin("0000").tries_left == 2
    assert gate.try_pin("4821").ok
    assert gate.tries_left() == 3
    wrong_round(gate)
    assert gate.locked_for() == FIRST_LOCKOUT_S  # not doubled: the correct PIN reset the lockouts


def test_no_pin() -> None:
    closed = PinGate(None)
    assert not closed.open_without_pin and not closed.has_pin
    result = closed.try_pin("1234")
    assert result.status is PinStatus.NO_PIN and result.message == NO_PIN_MESSAGE
    assert "staff_pin" in result.message and "kiosk.yaml" in result.message
    preview = PinGate(None, allow_without_pin=True)
    assert preview.open_without_pin and preview.try_pin("").ok
    assert not PinGate("1234", allow_without_pin=True).open_without_pin
    with pytest.raises(ValueError):
        PinGate("12")


# -- logging ---------------------------------------------------------------------------------------------------


@pytest.fixture
def clean_root() -> Iterator[logging.Logger]:
    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    yield root
    for handler in list(root.handlers):
        if handler not in before:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


def test_logging_to_file_and_recent_problems(tmp_path: Path, clean_root: logging.Logger) -> None:
    setup = setup_logging("INFO", tmp_path / "logs")
    setup_logging("INFO", tmp_path / "logs")  # a second call replaces the handlers, never doubles them
    setup = setup_logging("INFO", tmp_path / "logs")
    assert setup.log_file == tmp_path / "logs" / LOG_NAME
    logger = logging.getLogger("kiosk.voice.test")
    logger.info("model loaded")
    for i in range(60):
        logger.warning("microphone busy %d", i)
    try:
        raise OSError("device vanished")
    except OSError:
        logger.exception("speaker failed")
    logger.warning("heard %s", np.zeros(16000, dtype=np.int16))
    logger.warning("raw frame %r", b"\x00\x01" * 160)
    logger.warning("level %.2f", np.float32(0.5))
    records = setup.recent.records()
    assert len(records) == 50
    lines = setup.recent.lines()
    assert lines[-1].endswith("WARNING kiosk.voice.test: level 0.50")
    assert lines[-2].endswith("raw frame <320 bytes withheld>")
    assert lines[-3].endswith("heard <array of 16000 samples withheld>")
    assert "speaker failed (OSError: device vanished)" in lines[-4]
    text = setup.log_file.read_text(encoding="utf-8") if setup.log_file else ""
    assert "model loaded" in text and "samples withheld" in text and text.count("microphone busy 59") == 1


def test_read_only_log_folder_falls_back_to_stderr(tmp_path: Path, clean_root: logging.Logger) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    setup = setup_logging(logging.INFO, blocker / "logs")
    assert setup.log_file is None
    (line,) = setup.recent.lines()
    assert "cannot write logs to" in line and "stderr only" in line
    logging.getLogger("kiosk").error("still logging")
    assert setup.recent.lines()[-1].endswith("ERROR kiosk: still logging")


def test_recent_problems_ignores_info_and_is_bounded() -> None:
    ring = RecentProblems(capacity=3)
    logger = logging.getLogger("kiosk.ring-test")
    logger.addHandler(ring)
    try:
        logger.info("quiet")
        for word in ("one", "two", "three", "four"):
            logger.error(word)
    finally:
        logger.removeHandler(ring)
    assert [r.message for r in ring.records()] == ["two", "three", "four"]
    ring.clear()
    assert ring.lines() == ()
