"""The editor's Coverage and "What visitors asked" panels, driven through their real widgets (pytest-qt, offscreen) on
a copy of the demo venue with the real guide: what a curator sees and what a click changes."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QListWidget, QListWidgetItem, QPlainTextEdit, QTableWidgetItem, QWidget
from pytestqt.qtbot import QtBot

from kiosk.cli import main
from kiosk.content.loader import validate_pack
from kiosk.editor.coverage import Check, CoverageReport, Failure, Location
from kiosk.editor.panels import CoveragePanel, VisitorsPanel
from kiosk.editor.visitors import DECISIONS_FILE
from kiosk.editor.window import EditorWindow
from kiosk.mind import Answer, Intent
from kiosk.ops.unanswered import UnansweredLog

DING = "exhibits/houmuwu-ding.yaml"
RU = "exhibits/ru-ware.yaml"
RUN_TIMEOUT = 120_000  # ms: the demo venue asks ~2,300 questions in a couple of seconds; CI machines are shared
STOLEN = "Was the Houmuwu Ding ever stolen?"
STOLEN_TOO = "Has the Houmuwu Ding ever been stolen?"
ANSWER = "No. It has been kept safe since farmers dug it up in 1939."

Opener = Callable[[Path], EditorWindow]


def type_into(qtbot: QtBot, widget: QWidget, text: str) -> None:
    widget.setFocus()
    QTest.keyClicks(widget, text)


def screenshot(widget: QWidget, path: Path) -> None:
    image = widget.grab().toImage()
    assert image.save(str(path))
    assert image.width() > 300 and image.height() > 400
    colours = {image.pixel(x, y) for x in range(0, image.width(), 13) for y in range(0, image.height(), 13)}
    assert len(colours) > 10, "the screenshot is blank"


def rows(view: QListWidget) -> list[str]:
    return [view.item(i).text() for i in range(view.count())]


def row_of(view: QListWidget, text: str) -> QListWidgetItem:
    return next(view.item(i) for i in range(view.count()) if text in view.item(i).text())


def run(qtbot: QtBot, panel: CoveragePanel) -> CoverageReport:
    """Press Run and wait for the results on screen (the run waits for the guide to catch up with the pack)."""
    shown = panel.report
    QTest.mouseClick(panel.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.report is not shown and not panel.running, timeout=RUN_TIMEOUT)
    assert panel.report is not None
    return panel.report


def activate(qtbot: QtBot, view: QListWidget, item: QListWidgetItem) -> None:
    """What a curator does: select the row and press Enter (double-click does the same)."""
    view.setCurrentItem(item)
    QTest.keyClick(view, Qt.Key.Key_Return)


# -- coverage --------------------------------------------------------------------------------------------------------


def test_coverage_lists_failures_and_opens_the_place_to_fix_each(
    qtbot: QtBot, open_editor: Opener, demo_copy: Path, tmp_path: Path
) -> None:
    window = open_editor(demo_copy)
    window.tools.setCurrentWidget(window.coverage_panel)
    panel = window.coverage_panel
    assert window.tools.tabText(window.tools.indexOf(panel)) == "Coverage"
    QTest.mouseClick(panel.run_button, Qt.MouseButton.LeftButton)
    # The guide is still being built for the pack just opened: the panel says so and starts when it is ready.
    assert panel.state.text().startswith("Getting the guide ready")
    assert not panel.run_button.isEnabled() and panel.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: panel.report is not None and not panel.running, timeout=RUN_TIMEOUT)
    report = panel.report
    assert report is not None and not report.cancelled
    assert report.total > 2000 and report.failures

    # Totals: passed/total per check and language, the sums in the last row and column.
    table = panel.totals
    assert table.isVisible()
    checks = [_text(table.verticalHeaderItem(r)) for r in range(table.rowCount())]
    languages = [_text(table.horizontalHeaderItem(c)) for c in range(table.columnCount())]
    assert checks == ["Curated questions", "Names and aliases", "Facts", "Eval set", "Everyday questions", "All"]
    assert languages == ["中文 (zh)", "English (en)", "한국어 (ko)", "All"]
    assert _text(table.item(5, 3)) == f"{report.passed}/{report.total}"
    names_en = report.tally(Check.NAMES, "en")
    assert _text(table.item(1, 1)) == f"{names_en.passed}/{names_en.total}"
    assert f"{report.passed} of {report.total} questions answered as expected" in panel.state.text()
    assert not panel.stale.isVisible()

    # Every failure is listed with its question, what the guide answered and what to do.
    view = panel.failures
    assert view.count() == len(report.failures)
    first: Failure = report.failures[0]
    assert rows(view)[0].startswith(f"“{first.question}”")
    assert first.got in rows(view)[0] and first.hint in rows(view)[0] and str(first.fix) in rows(view)[0]

    # Filtering by check and language, from the combos or by clicking a number in the table.
    panel.language_filter.setCurrentIndex(panel.language_filter.findData("ko"))
    panel.check_filter.setCurrentIndex(panel.check_filter.findData(Check.QUESTIONS))
    korean = [f for f in report.failures if f.check is Check.QUESTIONS and f.language == "ko"]
    assert view.count() == len(korean) > 0
    assert all("Curated questions · 한국어 (ko)" in text for text in rows(view))
    assert panel.shown.text() == f"{len(korean)} of {len(report.failures)} failures shown"
    table.cellClicked.emit(5, 3)  # All / All
    assert view.count() == len(report.failures)
    screenshot(panel, tmp_path / "coverage-panel.png")

    # Activating a failure opens the exhibit it names with the cursor in the field to fix.
    failure = next(f for f in report.failures if f.fix.file == DING)
    activate(qtbot, view, row_of(view, f"Fix it in {failure.fix}"))
    assert window.current == DING
    focused = window.focusWidget()
    form = next(f for f in window.forms if f.rel == DING)
    assert focused is not None and form.isAncestorOf(focused)
    assert failure.fix.field.startswith(focused.objectName()), (failure.fix.field, focused.objectName())

    # One in the venue settings opens the venue's tab that holds the field.
    failure = next(f for f in report.failures if f.fix.file == "content/venue.yaml")
    activate(qtbot, view, row_of(view, f"“{failure.question}”"))
    assert window.current == "venue"
    focused = window.focusWidget()
    assert focused is not None and window.venue_page.currentWidget().isAncestorOf(focused)
    assert focused.objectName().startswith(failure.fix.field.split(".")[0]), (failure.fix, focused.objectName())


def test_breaking_the_pack_shows_up_after_a_re_run(qtbot: QtBot, open_editor: Opener, demo_copy: Path) -> None:
    window = open_editor(demo_copy)
    panel = window.coverage_panel
    window.tools.setCurrentWidget(panel)
    before = run(qtbot, panel)
    assert not [f for f in before.failures if f.fix == Location(DING, "aliases.en")]
    assert before.tally(Check.NAMES).failed == 0

    # The curator deletes the Houmuwu Ding's aliases: the results on screen are now out of date.
    window.doc.set(DING, ("aliases",), None)
    qtbot.waitUntil(panel.stale.isVisible)
    assert "re-run to check your latest changes" in panel.stale.text()
    after = run(qtbot, panel)
    assert not panel.stale.isVisible()
    lost = [f for f in after.failures if f.fix == Location(DING, "aliases.en")]
    assert lost and all(f.check is Check.EVAL and "add an alias" in f.hint for f in lost)
    assert any(f"“{f.question}”" in text for f in lost for text in rows(panel.failures))

    # Then gives it the Ru ware's name as an alias: a names failure for the ding, in the Names row of the table.
    window.doc.set(DING, ("aliases", "en"), ["Ru ware"], order=window.doc.languages)
    broken = run(qtbot, panel)
    names = [f for f in broken.failures if f.check is Check.NAMES]
    assert Location(DING, "aliases.en[1]") in [f.fix for f in names], [str(f.fix) for f in names]
    assert (
        _text(panel.totals.item(1, 1))
        == f"{broken.tally(Check.NAMES, 'en').passed}/{broken.tally(Check.NAMES, 'en').total}"
    )
    panel.check_filter.setCurrentIndex(panel.check_filter.findData(Check.NAMES))
    assert any(text.startswith("“Ru ware”") and "another exhibit" in text for text in rows(panel.failures))


def test_cancel_stops_the_run_with_partial_results(qtbot: QtBot, open_editor: Opener, demo_copy: Path) -> None:
    window = open_editor(demo_copy)
    panel = window.coverage_panel
    qtbot.waitUntil(lambda: window.live.current, timeout=RUN_TIMEOUT)
    QTest.mouseClick(panel.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.progress.value() > 0, timeout=RUN_TIMEOUT)
    planned = panel.progress.maximum()
    QTest.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not panel.running, timeout=RUN_TIMEOUT)
    report = panel.report
    assert report is not None and report.cancelled
    assert 0 < report.total < planned
    assert panel.state.text().startswith("Cancelled: only part of the pack was checked.")
    assert panel.progress.value() < panel.progress.maximum() == planned
    assert panel.run_button.isEnabled() and not panel.cancel_button.isEnabled()


# -- what visitors asked ---------------------------------------------------------------------------------------------


@pytest.fixture
def export(tmp_path: Path) -> Path:
    """A questions export written by the real `kiosk report export` from the kiosk's own log."""
    log = UnansweredLog()
    start = datetime(2025, 3, 1, 10, 0, tzinfo=UTC)
    asked = [
        (STOLEN, "en", "houmuwu-ding"),
        (STOLEN, "en", None),
        ("was the houmuwu ding ever stolen", "en", "houmuwu-ding"),
        (STOLEN_TOO, "en", None),
        ("Will it rain tomorrow?", "en", None),
        ("Will it rain tomorrow?", "en", None),
        ("Is it going to rain tomorrow?", "en", None),
        ("后母戊鼎被偷过吗", "zh", "houmuwu-ding"),
    ]
    for minutes, (question, language, exhibit) in enumerate(asked):
        if exhibit:
            answer = Answer(Intent.EXHIBIT, "…", language, 0.4, exhibit=exhibit, reason="summary")
        else:
            answer = Answer(Intent.FALLBACK, "…", language, 0.0, reason="no-match")
        assert log.record(question, answer, when=start + timedelta(minutes=minutes))
    log.close()
    out = tmp_path / "docent-questions-hall-a.json"
    result = CliRunner().invoke(main, ["report", "export", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_a_visitors_question_becomes_a_curated_question_the_guide_answers(
    qtbot: QtBot, open_editor: Opener, demo_copy: Path, export: Path, tmp_path: Path
) -> None:
    window = open_editor(demo_copy)
    panel = window.visitors_panel
    window.tools.setCurrentWidget(panel)
    assert window.tools.tabText(window.tools.indexOf(panel)) == "What visitors asked"
    assert panel.import_files([export])
    assert panel.message.text().startswith("8 questions from 1 file: 3 different question(s).")
    shown = rows(panel.list)
    assert shown[0].splitlines() == [
        f"“{STOLEN}”",
        "Asked 4 times · English (en) · the kiosk thought: Houmuwu Ding",
        f"Also asked as: “{STOLEN_TOO}”",
    ]
    assert shown[1].startswith("“Will it rain tomorrow?”\nAsked 3 times · English (en) · the kiosk thought: no exhibit")
    assert any(
        text.startswith("“后母戊鼎被偷过吗”\nAsked once · 中文 (zh) · the kiosk thought: 后母戊鼎") for text in shown
    )
    assert panel.list.currentRow() == 0
    assert panel.exhibit.currentData() == DING, "the exhibit the visitors named is chosen"
    screenshot(panel, tmp_path / "visitors-panel.png")

    questions = len(window.doc.get(DING, ("questions",)))
    answer_field = f"questions[{questions + 1}].answer.en"
    QTest.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    text = window.doc.text(DING)
    assert text is not None and STOLEN in text and STOLEN_TOO in text
    assert window.current == DING
    form = window.form_for(answer_field, DING)
    assert form is not None
    answer_box = form.cells[answer_field]
    assert isinstance(answer_box, QPlainTextEdit) and window.focusWidget() is answer_box
    ask_box = form.cells[f"questions[{questions + 1}].ask.en"]
    assert isinstance(ask_box, QPlainTextEdit)
    assert ask_box.toPlainText().splitlines() == [STOLEN, STOLEN_TOO]
    assert not any(STOLEN in text for text in rows(panel.list)), "a decided question leaves the list"
    assert panel.list.count() == 2

    type_into(qtbot, answer_box, ANSWER)
    assert DING in window.save()
    saved = validate_pack(demo_copy)
    assert saved.ok, [str(p) for p in saved.errors]
    assert saved.pack is not None
    ding = saved.pack.exhibit("houmuwu-ding")
    assert ding is not None
    assert ding.questions[-1].asks.get("en") == (STOLEN, STOLEN_TOO)
    assert ding.questions[-1].answer.get("en") == ANSWER
    decisions = json.loads((demo_copy / DECISIONS_FILE).read_text(encoding="utf-8"))["decisions"]
    assert [(d["decision"], d["exhibit"]) for d in decisions.values()] == [("added", "houmuwu-ding")]

    def guide_answers() -> bool:
        turn = window.live.answer(STOLEN)
        return turn is not None and turn.answer.text == ANSWER

    qtbot.waitUntil(guide_answers, timeout=RUN_TIMEOUT)


def test_out_of_scope_stays_hidden_and_added_questions_undo(
    qtbot: QtBot, open_editor: Opener, demo_copy: Path, export: Path
) -> None:
    window = open_editor(demo_copy)
    panel = window.visitors_panel
    assert panel.import_files([export])
    panel.list.setCurrentItem(row_of(panel.list, "“Will it rain tomorrow?”"))
    QTest.mouseClick(panel.out_button, Qt.MouseButton.LeftButton)
    assert not any("rain" in text for text in rows(panel.list))
    assert panel.import_files([export]), "importing the same file again"
    assert not any("rain" in text for text in rows(panel.list))

    # The Chinese question, added to the ding and undone with the document's Undo: the question goes, the group stays
    # decided (decisions are not undone).
    panel.list.setCurrentItem(row_of(panel.list, "后母戊鼎被偷过吗"))
    assert panel.exhibit.currentData() == DING
    before = window.doc.text(DING)
    QTest.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    assert "后母戊鼎被偷过吗" in (window.doc.text(DING) or "")
    window.act_undo.trigger()
    assert window.doc.text(DING) == before

    # A new panel (the editor opened again) reads the decisions from the pack folder.
    again = VisitorsPanel(window)
    qtbot.addWidget(again)
    assert again.import_files([export])
    assert [text.splitlines()[0] for text in rows(again.list)] == [f"“{STOLEN}”"]
    assert again.message.text() == ("8 questions from 1 file: 3 different question(s), 2 already handled.")


def test_a_broken_export_is_named_and_nothing_is_lost(
    qtbot: QtBot, open_editor: Opener, demo_copy: Path, export: Path, tmp_path: Path
) -> None:
    window = open_editor(demo_copy)
    panel = window.visitors_panel
    assert panel.import_files([export])
    cut = tmp_path / "cut-short.json"
    cut.write_text(export.read_text(encoding="utf-8")[:200], encoding="utf-8")
    assert not panel.import_files([cut])
    message = panel.message.text()
    assert message.startswith("Not imported: ") and str(cut) in message
    assert "not a complete questions export" in message and "export it again" in message
    assert panel.message.property("role") == "problem"
    assert panel.list.count() == 3, "what was imported before is still there"
    other = tmp_path / "notes.json"
    other.write_text('{"hello": 1}', encoding="utf-8")
    assert not panel.import_files([other])
    assert str(other) in panel.message.text() and "kiosk report export" in panel.message.text()
    assert panel.import_files([])
    assert panel.message.property("role") == "help"
    assert QApplication.activeModalWidget() is None


def test_the_panels_live_in_the_tools_tabs(open_editor: Opener, demo_copy: Path) -> None:
    window = open_editor(demo_copy)
    titles = [window.tools.tabText(i) for i in range(window.tools.count())]
    assert titles[-2:] == ["Coverage", "What visitors asked"]
    assert isinstance(window.coverage_panel, CoveragePanel) and isinstance(window.visitors_panel, VisitorsPanel)


def _text(item: QTableWidgetItem | None) -> str:
    assert item is not None
    return item.text()
