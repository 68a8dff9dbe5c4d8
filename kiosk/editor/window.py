"""The curator's editor window: the outline on the left, the form in the middle, try-it tools on the right.

Every change goes into the PackDocument; a short pause after typing re-validates the whole pack with the kiosk's own
validator (unsaved text included) and rebuilds the live guide in the background. Unsaved work is written to a
recovery file every few seconds, so a crash loses at most that much.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.content.loader import Report
from kiosk.content.problems import Severity
from kiosk.editor.document import VENUE, PackDocument, slug
from kiosk.editor.forms import SpecForm
from kiosk.editor.live import LiveGuide
from kiosk.editor.outline import VENUE_ITEM, Outline
from kiosk.editor.panels import CoveragePanel, VisitorsPanel
from kiosk.editor.specs import EXHIBIT, EXHIBIT_KEYS, PHRASES, VENUE_TABS
from kiosk.editor.style import STYLE
from kiosk.editor.trypanel import TryPanel
from kiosk.errors import DocentError
from kiosk.mind.language import detect_language

NEW_VENUE_LANGUAGES = ["zh, en, ko", "en, zh, ko", "ko, en, zh", "en, zh", "en, ko", "zh, en", "en"]
VALIDATE_PAUSE_MS = 250
AUTOSAVE_MS = 3000


class EditorWindow(QMainWindow):
    validated = Signal(object)  # the Report, after each validation

    def __init__(self, doc: PackDocument, *, speak: object = None) -> None:
        super().__init__()
        self.doc = doc
        self.report: Report | None = None
        self.current = VENUE_ITEM
        self.forms: list[SpecForm] = []
        self._validated_version = -1
        self._recovered_version = -1
        self.live = LiveGuide()
        self.ask_on_close = True  # False: close like a crash would, keeping the recovery file (tests)
        self.setStyleSheet(STYLE)
        self.resize(1500, 900)

        self.outline = Outline()
        self.outline.chosen.connect(self.show_item)
        self.pages = QStackedWidget()
        self.venue_page = QTabWidget()
        self.venue_page.setObjectName("venue-tabs")
        self.exhibit_page = QScrollArea()
        self.exhibit_page.setWidgetResizable(True)
        self.pages.addWidget(self.venue_page)
        self.pages.addWidget(self.exhibit_page)
        self.try_panel = TryPanel(self.live, speak)  # type: ignore[arg-type]
        self.try_panel.open_exhibit.connect(self.show_item)
        self.problems = QListWidget()
        self.problems.setObjectName("problems")
        self.problems.setWordWrap(True)
        self.problems.itemActivated.connect(self._go_to_problem)
        self.tools = QTabWidget()
        self.tools.setObjectName("tools")
        self.tools.addTab(self.try_panel, "Ask the guide")
        self.tools.addTab(self.problems, "Problems")
        self.coverage_panel = CoveragePanel(self)
        self.visitors_panel = VisitorsPanel(self)
        self.tools.addTab(self.coverage_panel, "Coverage")
        self.tools.addTab(self.visitors_panel, "What visitors asked")
        split = QSplitter()
        split.addWidget(self.outline)
        split.addWidget(self.pages)
        split.addWidget(self.tools)
        split.setSizes([300, 720, 480])
        self.setCentralWidget(split)
        self.summary = QLabel()
        self.statusBar().addPermanentWidget(self.summary)
        self._actions()

        self._validate_timer = QTimer(self, singleShot=True, interval=VALIDATE_PAUSE_MS)
        self._validate_timer.timeout.connect(self.validate)
        self._autosave = QTimer(self, interval=AUTOSAVE_MS)
        self._autosave.timeout.connect(self.autosave)
        self._autosave.start()
        self._live_timer = QTimer(self, interval=50)
        self._live_timer.timeout.connect(self._adopt_live)
        self._live_timer.start()
        doc.listeners.append(self._changed)
        self.validate()
        self.show_item(VENUE_ITEM)

    # -- actions ---------------------------------------------------------------------------------------------

    def _actions(self) -> None:
        bar = self.addToolBar("Main")
        bar.setObjectName("main-toolbar")
        bar.setMovable(False)

        def action(text: str, slot: object, keys: QKeySequence | QKeySequence.StandardKey | None = None) -> QAction:
            act = QAction(text, self)
            if keys is not None:
                act.setShortcut(keys)
            act.triggered.connect(slot)
            bar.addAction(act)
            return act

        self.act_new = action("New venue…", self.ask_new_venue, QKeySequence.StandardKey.New)
        self.act_open = action("Open…", self.choose_folder, QKeySequence.StandardKey.Open)
        self.act_save = action("Save", self.save, QKeySequence.StandardKey.Save)
        self.act_undo = action("Undo", self.doc.undo, QKeySequence.StandardKey.Undo)
        self.act_redo = action("Redo", self.doc.redo, QKeySequence.StandardKey.Redo)
        bar.addSeparator()
        self.act_add = action("Add exhibit…", self.ask_new_exhibit)
        self.act_delete = action("Delete exhibit", self.delete_exhibit)
        bar.addSeparator()
        self.act_publish = action("Publish…", self.open_publish)
        self._update_actions()

    def _update_actions(self) -> None:
        self.act_undo.setEnabled(self.doc.can_undo)
        self.act_undo.setToolTip(f"Undo {self.doc.undo_label()}" if self.doc.can_undo else "Nothing to undo")
        self.act_redo.setEnabled(self.doc.can_redo)
        self.act_save.setEnabled(self.doc.dirty)
        self.act_delete.setEnabled(self.current.startswith("exhibits/"))
        errors = len(self.report.errors) if self.report else 0
        self.act_publish.setEnabled(errors == 0)
        self.act_publish.setToolTip(
            "Build, sign and publish this pack" if errors == 0 else f"Fix the {errors} problem(s) first"
        )
        name = self.doc.root.name
        self.setWindowTitle(f"{'• ' if self.doc.dirty else ''}{name} — Docent editor")

    # -- pages -----------------------------------------------------------------------------------------------

    def show_item(self, rel: str) -> None:
        if rel != VENUE_ITEM and not self.doc.has(rel):
            rel = VENUE_ITEM
        self.current = rel
        self.outline.select(rel)
        self._build_page()
        self._update_actions()

    def _build_page(self) -> None:
        self.forms = []
        if self.current == VENUE_ITEM:
            index = self.venue_page.currentIndex()
            self.venue_page.clear()
            for title, spec in VENUE_TABS:
                self.venue_page.addTab(self._scroll(self._form(VENUE, spec)), title)
            self.venue_page.addTab(self._scroll(self._form("content/phrases.yaml", PHRASES)), "Phrases")
            self.venue_page.setCurrentIndex(max(0, index))
            self.pages.setCurrentWidget(self.venue_page)
        else:
            scroll = self.exhibit_page.verticalScrollBar().value()
            page = QWidget()
            layout = QVBoxLayout(page)
            head = QHBoxLayout()
            heading = QLabel(f"Exhibit  ·  {self.current.removeprefix('exhibits/')}")
            heading.setProperty("role", "page-title")
            head.addWidget(heading, 1)
            layout.addLayout(head)
            if self.doc.data(self.current) is None:
                layout.addWidget(QLabel("This file cannot be read as YAML. See Problems for the line to fix."))
            else:
                layout.addWidget(self._form(self.current, EXHIBIT))
            self.exhibit_page.setWidget(page)
            self.exhibit_page.verticalScrollBar().setValue(scroll)
            self.pages.setCurrentWidget(self.exhibit_page)
        self._show_problems()

    def _form(self, rel: str, spec: tuple) -> SpecForm:  # type: ignore[type-arg]
        form = SpecForm(self.doc, rel, spec)
        form.picture_wanted.connect(self.ask_picture)
        self.forms.append(form)
        return form

    def _scroll(self, widget: QWidget) -> QScrollArea:
        area = QScrollArea()
        area.setWidgetResizable(True)
        area.setWidget(widget)
        return area

    @property
    def checked(self) -> bool:
        """Whether the latest change has been validated."""
        return self._validated_version == self.doc.version

    @property
    def publishable(self) -> bool:
        """Whether the validated pack has no errors left."""
        return self.report is not None and not self.report.errors

    def form_for(self, field: str, rel: str | None = None) -> SpecForm | None:
        """The form on screen that has ``field`` (tests and jumping to problems)."""
        for form in self.forms:
            if (rel is None or form.rel == rel) and field in form.cells:
                return form
        return None

    # -- changes ---------------------------------------------------------------------------------------------

    def _changed(self, what: str, rel: str) -> None:
        if what == "structure" and (rel == self.current or (self.current == VENUE_ITEM and rel.startswith("content/"))):
            self._build_page()
        elif what == "structure" and not self.doc.has(self.current):
            self.show_item(VENUE_ITEM)
        self._validate_timer.start()
        self._update_actions()

    def validate(self) -> Report:
        started = time.perf_counter()
        self.report = self.doc.validate()
        self._validated_version = self.doc.version
        self.outline.show_pack(self.report.pack, self.doc.exhibit_files(), self.report.problems, self.current)
        self._show_problems()
        self.live.update(self.report.pack)
        self.try_panel.refresh_state()
        self._update_actions()
        errors, warnings = len(self.report.errors), len(self.report.warnings)
        self.summary.setText(
            (f"{errors} to fix before publishing" if errors else "✓ ready to publish")
            + (f"  ·  {warnings} note(s)" if warnings else "")
        )
        self.statusBar().showMessage(f"Checked in {(time.perf_counter() - started) * 1000:.0f} ms", 2000)
        self.validated.emit(self.report)
        return self.report

    def _show_problems(self) -> None:
        if self.report is None:
            return
        problems = list(self.report.problems)
        for form in self.forms:
            form.show_problems(problems)
        self.problems.clear()
        for problem in problems:
            mark = "Fix" if problem.severity is Severity.ERROR else "Note"
            where = f"{problem.file}" + (f" · {problem.field}" if problem.field else "")
            item = QListWidgetItem(f"{mark}: {where}\n{problem.message}")
            item.setData(Qt.ItemDataRole.UserRole, (problem.file, problem.field))
            self.problems.addItem(item)
        errors = len(self.report.errors)
        self.tools.setTabText(self.tools.indexOf(self.problems), f"Problems ({errors})" if errors else "Problems")

    def _go_to_problem(self, item: QListWidgetItem) -> None:
        file, field = item.data(Qt.ItemDataRole.UserRole)
        self.show_item(file if file.startswith("exhibits/") else VENUE_ITEM)
        if self.current == VENUE_ITEM:
            for i, form in enumerate(self.forms):
                if form.rel == file and form.focus_field(field):
                    self.venue_page.setCurrentIndex(i)
                    return
        for form in self.forms:
            if form.rel == file and form.focus_field(field):
                return

    def _adopt_live(self) -> None:
        if self.live.finish():
            self.try_panel.guide_changed()
        elif not self.live.busy:
            self.try_panel.refresh_state()

    # -- commands --------------------------------------------------------------------------------------------

    def save(self) -> list[str]:
        try:
            written = self.doc.save()
        except OSError as err:
            QMessageBox.warning(self, "Not saved", f"The pack could not be saved: {err.strerror or err}")
            return []
        self.statusBar().showMessage(f"Saved {len(written)} file(s)" if written else "Nothing to save", 4000)
        self._update_actions()
        return written

    def autosave(self) -> None:
        if self.doc.version != self._recovered_version:
            self._recovered_version = self.doc.version
            self.doc.write_recovery()

    def add_exhibit(self, name: str, gallery: str | None = None) -> str:
        """Create an exhibit named ``name`` (in the language its script says) and open it; returns its file."""
        languages = self.doc.languages
        language = detect_language(name, languages, languages[0])
        galleries = [str(g.get("id")) for g in self.doc.get(VENUE, ("galleries",), []) if isinstance(g, dict)]
        if gallery is None and self.current.startswith("exhibits/"):
            gallery = self.doc.get(self.current, ("gallery",))
        gallery = gallery or (galleries[0] if galleries else "")
        base = slug(name, "exhibit")
        ident, n = base, 1
        while self.doc.has(f"exhibits/{ident}.yaml") or (self.doc.root / "exhibits" / f"{ident}.yaml").exists():
            n += 1
            ident = f"{base}-{n}"
        rel = f"exhibits/{ident}.yaml"
        body = {"id": ident, "gallery": gallery, "name": {language: name.strip()}}
        self.doc.create_file(rel, {k: body[k] for k in EXHIBIT_KEYS if k in body}, f"Add exhibit {name}")
        self.validate()
        self.show_item(rel)
        return rel

    def ask_new_exhibit(self) -> None:
        name, ok = QInputDialog.getText(self, "New exhibit", "The exhibit's name (in any of the venue's languages):")
        if ok and name.strip():
            self.add_exhibit(name.strip())

    def delete_exhibit(self) -> None:
        if not self.current.startswith("exhibits/"):
            return
        rel = self.current
        self.doc.delete_file(rel, f"Delete {rel.removeprefix('exhibits/')}")
        self.statusBar().showMessage("Exhibit deleted. Undo brings it back.", 5000)
        self.validate()

    def ask_picture(self, rel: str) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Add a picture", "", "Pictures (*.png *.jpg *.jpeg *.webp)")
        if path:
            self.add_picture(rel, path)

    def add_picture(self, rel: str, path: str | Path) -> str | None:
        try:
            return self.doc.add_media(rel, path)
        except DocentError as err:
            QMessageBox.warning(self, "Picture not added", str(err))
            return None

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Open a venue folder", str(self.doc.root.parent))
        if folder:
            from kiosk.editor.app import open_window

            open_window(Path(folder), parent_window=self)

    def ask_new_venue(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Where to keep the new venue (a new folder is made)", str(self.doc.root.parent / "new-venue")
        )
        if not path:
            return
        order, ok = QInputDialog.getItem(
            self, "Languages", "The venue's languages (the first is its default):", NEW_VENUE_LANGUAGES, 0, False
        )
        if ok:
            self.new_venue(Path(path), tuple(code.strip() for code in order.split(",")))

    def new_venue(self, path: Path, languages: tuple[str, ...]) -> EditorWindow | None:
        """Make a new venue from the template in the new folder ``path`` and open it in a window of its own."""
        from kiosk.editor.app import ensure_pack, open_window

        try:
            if not ensure_pack(path, languages):
                QMessageBox.warning(self, "Folder in use", f"{path} already has files in it; choose a new folder.")
                return None
        except (DocentError, OSError) as err:
            QMessageBox.warning(self, "Venue not created", str(err))
            return None
        return open_window(path, parent_window=self)

    def open_publish(self) -> None:
        from kiosk.editor.publish import PublishDialog

        if self.report is None or self.report.errors:
            QMessageBox.information(self, "Not yet", "Fix the problems listed under Problems first.")
            return
        PublishDialog(self).exec()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.doc.dirty and self.ask_on_close:
            choice = QMessageBox.question(
                self,
                "Unsaved changes",
                "Save your changes before closing?",
                QMessageBox.StandardButton.Save
                | QMessageBox.StandardButton.Discard
                | QMessageBox.StandardButton.Cancel,
            )
            if choice == QMessageBox.StandardButton.Cancel:
                event.ignore()
                return
            if choice == QMessageBox.StandardButton.Save:
                self.save()
            else:
                self.doc.drop_recovery()
        self.shutdown()
        event.accept()

    def shutdown(self) -> None:
        for timer in (self._autosave, self._live_timer, self._validate_timer):
            timer.stop()
        self.try_panel.preview.stop()
        self.coverage_panel.cancel()
        self.coverage_panel.wait()
        self.live.close()
