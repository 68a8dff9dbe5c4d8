"""The "Coverage" panel: ask the guide every question the pack implies (kiosk/editor/coverage.py) on a worker thread,
then show the totals per check and language and the failures, each opening the field to fix.

The run uses a Mind of its own, made on the worker thread from the live guide's snapshot (SQLite connections belong
to the thread that opened them), so the "Ask the guide" panel keeps answering meanwhile.
"""

from __future__ import annotations

import contextlib
import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.content.index import PackIndex
from kiosk.content.model import Pack
from kiosk.editor.coverage import Check, CoverageReport, Failure, run_coverage
from kiosk.editor.forms import SpecForm, language_title
from kiosk.editor.outline import VENUE_ITEM
from kiosk.errors import DocentError
from kiosk.mind import Mind

if TYPE_CHECKING:
    from pathlib import Path

    from kiosk.editor.window import EditorWindow

CHECK_TITLES = {
    Check.QUESTIONS: "Curated questions",
    Check.NAMES: "Names and aliases",
    Check.FACTS: "Facts",
    Check.EVAL: "Eval set",
    Check.GENERIC: "Everyday questions",
}
WAIT_MS = 100  # how often a waiting run looks whether the guide has caught up
ROLE = Qt.ItemDataRole.UserRole
FAILED, PASSED = QColor("#b3261e"), QColor("#2e7d32")


class _Relay(QObject):
    progress = Signal(int, int)
    finished = Signal(object)  # a CoverageReport, or a message saying why there is none


def set_role(label: QLabel, role: str) -> None:
    """Give a label a style role (style.py) and redraw it."""
    label.setProperty("role", role)
    label.style().unpolish(label)
    label.style().polish(label)


def open_field(window: EditorWindow, file: str, field: str) -> bool:
    """Open ``file`` in the editor and put the cursor in ``field`` (loader spelling), or the nearest widget to it:
    the field's row, the first cell of a list, or the list's Add button. False when the editor cannot show it."""
    if file.startswith("exhibits/") and window.doc.has(file):
        window.show_item(file)
    elif file.startswith("content/"):
        window.show_item(VENUE_ITEM)
    else:
        return False
    for i, form in enumerate(window.forms):
        if form.rel == file and _focus(form, field):
            if window.current == VENUE_ITEM:
                window.venue_page.setCurrentIndex(i)
            cell = window.focusWidget()
            area = _scroll_area(cell)
            if cell is not None and area is not None:
                area.ensureWidgetVisible(cell)
            return True
    return False


def _focus(form: SpecForm, field: str) -> bool:
    if not field:
        return False
    if form.focus_field(field):
        return True
    inside = next((n for n in form.cells if n.startswith((f"{field}.", f"{field}["))), None)
    if inside is not None:
        return form.focus_field(inside)
    add = form.findChild(QPushButton, f"add:{field}")
    if add is not None:
        add.setFocus(Qt.FocusReason.OtherFocusReason)
        return True
    return False


def _scroll_area(widget: QWidget | None) -> QScrollArea | None:
    while widget is not None and not isinstance(widget, QScrollArea):
        widget = widget.parentWidget()
    return widget


class CoveragePanel(QWidget):
    finished = Signal(object)  # the CoverageReport shown, or the message saying why there is none (tests)

    def __init__(self, window: EditorWindow) -> None:
        super().__init__()
        self.window_ = window
        self.report: CoverageReport | None = None
        self._pack: Pack | None = None  # the pack of the run in progress or shown: exhibit names for the list
        self.run_version = -1
        """The document version the shown results were checked at."""
        self._checked_version = -1
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._relay = _Relay(self)
        self._relay.progress.connect(self._progress)
        self._relay.finished.connect(self._finished)
        self._waiting = QTimer(self, interval=WAIT_MS)
        self._waiting.timeout.connect(self._start_when_ready)
        window.validated.connect(self._validated)

        layout = QVBoxLayout(self)
        intro = QLabel(
            "Asks the guide every question your pack implies (curated questions, names, facts, everyday "
            "questions) and lists what it gets wrong, with where to fix it."
        )
        intro.setWordWrap(True)
        intro.setProperty("role", "help")
        buttons = QHBoxLayout()
        self.run_button = QPushButton("Run coverage")
        self.run_button.setObjectName("coverage-run")
        self.run_button.clicked.connect(self.run)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setObjectName("coverage-cancel")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        buttons.addWidget(self.run_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        self.progress = QProgressBar()
        self.progress.setObjectName("coverage-progress")
        self.progress.setFormat("%v of %m questions")
        self.state = QLabel("Not run yet.")
        self.state.setObjectName("coverage-state")
        self.state.setWordWrap(True)
        self.stale = QLabel("Your pack has changed since this check: re-run to check your latest changes.")
        self.stale.setObjectName("coverage-stale")
        self.stale.setWordWrap(True)
        self.stale.setProperty("role", "problem")
        self.stale.hide()
        self.totals = QTableWidget()
        self.totals.setObjectName("coverage-totals")
        self.totals.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.totals.setToolTip("Questions answered as expected, of those asked. Click a number to list its failures.")
        self.totals.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.totals.cellClicked.connect(self._filter_from_table)
        self.totals.hide()
        filters = QHBoxLayout()
        self.check_filter = QComboBox()
        self.check_filter.setObjectName("coverage-check")
        self.language_filter = QComboBox()
        self.language_filter.setObjectName("coverage-language")
        for combo in (self.check_filter, self.language_filter):
            combo.currentIndexChanged.connect(self._fill_failures)
            filters.addWidget(combo, 1)
        self.shown = QLabel()
        self.shown.setProperty("role", "help")
        self.failures = QListWidget()
        self.failures.setObjectName("coverage-failures")
        self.failures.setWordWrap(True)
        self.failures.setAlternatingRowColors(True)
        self.failures.setToolTip("Double-click (or press Enter) to open the place to fix it.")
        self.failures.itemActivated.connect(self.open_failure)
        layout.addWidget(intro)
        layout.addLayout(buttons)
        for widget in (self.progress, self.state, self.stale, self.totals):
            layout.addWidget(widget)
        layout.addLayout(filters)
        layout.addWidget(self.shown)
        layout.addWidget(self.failures, 1)
        self._set_filters(None)

    # -- running ---------------------------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._thread is not None

    def run(self) -> None:
        """Run coverage on the pack on screen; when the guide is still catching up with it, start once it has."""
        if self.running:
            return
        self._stop.clear()
        self.run_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self._start_when_ready()
        if not self.running and self.cancel_button.isEnabled():
            self._waiting.start()

    def _not_ready(self) -> tuple[str, bool]:
        """Why coverage cannot start now, in words, and whether waiting will help; ("", False) when it can."""
        window, live = self.window_, self.window_.live
        if window.report is not None and window.report.pack is None:
            return "The pack has problems the guide cannot get past (see Problems); fix them, then run coverage.", False
        if live.error:
            return f"The guide cannot use this pack yet: {live.error}", False
        if live.mind is None:
            return "Getting the guide ready; coverage starts as soon as it is…", True
        if not live.current or self._checked_version != window.doc.version:
            return "The guide is catching up with your latest changes; coverage starts as soon as it has…", True
        return "", False

    def _start_when_ready(self) -> None:
        why, wait = self._not_ready()
        if why:
            self.state.setText(why)
            set_role(self.state, "help" if wait else "problem")
            if not wait:
                self._idle()
            return
        snapshot = self.window_.live.snapshot()
        if snapshot is None:  # the guide was closed meanwhile
            self._idle()
            return
        self._waiting.stop()
        self.run_version = self.window_.doc.version
        self.progress.setRange(0, 0)  # busy until the first question is asked
        self.state.setText("Asking the guide every question…")
        set_role(self.state, "help")
        pack, path = snapshot
        self._pack = pack
        self._thread = threading.Thread(target=self._work, args=(pack, path), name="docent-coverage", daemon=True)
        self._thread.start()

    def _work(self, pack: Pack, path: Path) -> None:
        outcome: CoverageReport | str
        try:
            index = PackIndex.open(pack, path)
            try:
                outcome = run_coverage(pack, Mind(pack, index), progress=self._emit_progress, cancel=self._stop.is_set)
            finally:
                index.close()
        except DocentError as err:
            outcome = f"Coverage could not run: {err}"
        except OSError as err:
            outcome = f"Coverage could not open the guide's index ({err.strerror or err}); run it again."
        with contextlib.suppress(RuntimeError):  # the editor was closed while it ran
            self._relay.finished.emit(outcome)

    def _emit_progress(self, done: int, total: int) -> None:
        try:
            self._relay.progress.emit(done, total)
        except RuntimeError:
            self._stop.set()

    def cancel(self) -> None:
        if self._waiting.isActive():
            self._waiting.stop()
            self.state.setText("Not run: cancelled before it started.")
            self._idle()
        elif self.running:
            self._stop.set()
            self.cancel_button.setEnabled(False)
            self.state.setText("Stopping…")

    def wait(self, timeout: float = 120.0) -> None:
        """Wait for the run in progress to end (tests, closing the editor); its result arrives through Qt."""
        if self._thread is not None:
            self._thread.join(timeout)

    def _idle(self) -> None:
        self._waiting.stop()
        self.run_button.setEnabled(True)
        self.cancel_button.setEnabled(False)

    def _progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)

    def _finished(self, outcome: object) -> None:
        self._thread = None
        self._idle()
        if isinstance(outcome, CoverageReport):
            self.show_report(outcome)
        else:
            self.state.setText(str(outcome))
            set_role(self.state, "problem")
        self.finished.emit(outcome)

    def _validated(self, _report: object) -> None:
        self._checked_version = self.window_.doc.version
        self._show_stale()

    def _show_stale(self) -> None:
        self.stale.setVisible(self.report is not None and self.window_.doc.version != self.run_version)

    # -- showing ---------------------------------------------------------------------------------------------

    def show_report(self, report: CoverageReport) -> None:
        self.report = report
        if not report.cancelled:
            self.progress.setRange(0, max(1, report.total))
            self.progress.setValue(report.total)
        share = f" ({report.passed / report.total:.0%})" if report.total else ""
        text = (
            f"{report.passed} of {report.total} questions answered as expected{share}, in {report.seconds:.1f} s. "
            + (f"{report.failed} to look at below." if report.failed else "Nothing to fix.")
        )
        if report.cancelled:
            text = f"Cancelled: only part of the pack was checked. {text}"
        self.state.setText(text)
        set_role(self.state, "help")
        self._fill_totals(report)
        self._set_filters(report)
        self._show_stale()

    def _fill_totals(self, report: CoverageReport) -> None:
        checks, languages = [*report.checks, None], [*report.languages, None]
        table = self.totals
        table.clear()
        table.setRowCount(len(checks))
        table.setColumnCount(len(languages))
        table.setHorizontalHeaderLabels([language_title(lang) if lang else "All" for lang in languages])
        table.setVerticalHeaderLabels([CHECK_TITLES[check] if check else "All" for check in checks])
        for row, check in enumerate(checks):
            for column, language in enumerate(languages):
                tally = report.tally(check, language)
                item = QTableWidgetItem(f"{tally.passed}/{tally.total}" if tally.total else "–")
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                item.setData(ROLE, (check, language))
                if tally.total:
                    item.setForeground(FAILED if tally.failed else PASSED)
                    item.setToolTip(f"{tally.failed} failed" if tally.failed else "All answered as expected")
                table.setItem(row, column, item)
        table.resizeColumnsToContents()
        header = table.horizontalHeader().sizeHint().height() + table.frameWidth() * 2
        table.setFixedHeight(header + table.verticalHeader().length())
        table.show()

    def _set_filters(self, report: CoverageReport | None) -> None:
        for combo in (self.check_filter, self.language_filter):
            combo.blockSignals(True)
            combo.clear()
        self.check_filter.addItem("All checks", None)
        self.language_filter.addItem("All languages", None)
        for check in report.checks if report else ():
            self.check_filter.addItem(CHECK_TITLES[check], check)
        for language in report.languages if report else ():
            self.language_filter.addItem(language_title(language), language)
        for combo in (self.check_filter, self.language_filter):
            combo.blockSignals(False)
        self._fill_failures()

    def _filter_from_table(self, row: int, column: int) -> None:
        item = self.totals.item(row, column)
        if item is None:
            return
        check, language = item.data(ROLE)
        self.check_filter.setCurrentIndex(max(0, self.check_filter.findData(check)))
        self.language_filter.setCurrentIndex(max(0, self.language_filter.findData(language)))

    def _fill_failures(self) -> None:
        self.failures.clear()
        report = self.report
        if report is None:
            self.shown.setText("")
            return
        check, language = self.check_filter.currentData(), self.language_filter.currentData()
        chosen = [f for f in report.failures if check in (None, f.check) and language in (None, f.language)]
        for failure in chosen:
            item = QListWidgetItem(self._describe(failure))
            item.setData(ROLE, failure)
            item.setToolTip(f"Expected: {failure.expected}\nFix it in {failure.fix}")
            self.failures.addItem(item)
        self.shown.setText(f"{len(chosen)} of {len(report.failures)} failures shown")

    def _describe(self, failure: Failure) -> str:
        where = f"{CHECK_TITLES[failure.check]} · {language_title(failure.language)}"
        if failure.context:
            where += f" · asked at {self._exhibit_name(failure.context, failure.language)}"
        return (
            f"“{failure.question}”\n{where}\nThe guide answered: {failure.got}\n{failure.hint}\nFix it in {failure.fix}"
        )

    def _exhibit_name(self, exhibit_id: str, language: str) -> str:
        exhibit = self._pack.exhibit(exhibit_id) if self._pack is not None else None
        if exhibit is None or self._pack is None:
            return exhibit_id
        return exhibit.name.pick(language, self._pack.languages)[0] or exhibit_id

    def open_failure(self, item: QListWidgetItem) -> bool:
        """Open the place to fix a failure; returns whether the editor could show it."""
        failure: Failure = item.data(ROLE)
        if open_field(self.window_, failure.fix.file, failure.fix.field):
            self.window_.statusBar().showMessage(f"Fix it here: {failure.fix}", 6000)
            return True
        self.window_.statusBar().showMessage(
            f"{failure.fix.file} is not edited in this editor; open it in a text editor to change {failure.fix.field}",
            8000,
        )
        return False


__all__ = ["CHECK_TITLES", "CoveragePanel", "open_field"]
