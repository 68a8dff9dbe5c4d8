"""The editor's left column: the venue, its galleries and their exhibits, searchable, with a marker per language
saying whether the exhibit is complete in it (from the validated pack, so it costs nothing to keep up to date)."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLineEdit, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from kiosk.content.model import Exhibit, Pack
from kiosk.content.problems import Problem, Severity
from kiosk.content.tokens import normalise

VENUE_ITEM = "venue"
FULL, PARTIAL, MISSING = "●", "◐", "○"
ROLE = Qt.ItemDataRole.UserRole


def completeness(exhibit: Exhibit, language: str) -> tuple[str, list[str]]:
    """A marker for ``exhibit`` in ``language`` and what is missing, in words."""
    missing = []
    if not exhibit.name.get(language):
        missing.append("name")
    if not exhibit.summary.get(language):
        missing.append("summary")
    gaps = [str(i + 1) for i, p in enumerate(exhibit.story) if not p.get(language)]
    if gaps:
        missing.append(f"story paragraph {', '.join(gaps)}")
    gaps = [f.key for f in exhibit.facts if not f.value.get(language)]
    if gaps:
        missing.append(f"facts: {', '.join(gaps)}")
    gaps = [
        str(i + 1) for i, q in enumerate(exhibit.questions) if not q.asks.get(language) or not q.answer.get(language)
    ]
    if gaps:
        missing.append(f"question {', '.join(gaps)}")
    if not missing:
        return FULL, []
    return (MISSING if "name" in missing else PARTIAL), missing


class Outline(QWidget):
    chosen = Signal(str)  # "venue" or an exhibit file's rel

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search exhibits (any language)")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter)
        self.tree = QTreeWidget()
        self.tree.setObjectName("outline")
        self.tree.setRootIsDecorated(True)
        self.tree.itemSelectionChanged.connect(self._selected)
        layout.addWidget(self.search)
        layout.addWidget(self.tree)
        self._words: dict[str, str] = {}
        self._languages: tuple[str, ...] = ()

    def show_pack(self, pack: Pack | None, extra: Iterable[str], problems: Iterable[Problem], current: str) -> None:
        """Rebuild from the validated ``pack``; ``extra`` are exhibit files the pack could not read at all."""
        languages = pack.venue.languages if pack else ("en",)
        errors: dict[str, int] = {}
        for problem in problems:
            if problem.severity is Severity.ERROR:
                errors[problem.file] = errors.get(problem.file, 0) + 1
        self.tree.blockSignals(True)
        self.tree.clear()
        self._languages = languages
        self.tree.setColumnCount(len(languages) + 2)
        self.tree.setHeaderLabels(["", *languages, "!"])
        first = languages[0]
        venue = QTreeWidgetItem([_pick(pack.venue.name.get, languages) if pack else "Venue settings"])
        venue.setText(0, f"Venue: {venue.text(0)}")
        venue.setData(0, ROLE, VENUE_ITEM)
        venue_errors = errors.get("content/venue.yaml", 0) + errors.get("content/phrases.yaml", 0)
        venue.setText(len(languages) + 1, str(venue_errors) if venue_errors else "")
        self.tree.addTopLevelItem(venue)
        groups: dict[str, QTreeWidgetItem] = {}
        for gallery in pack.venue.galleries if pack else ():
            item = QTreeWidgetItem([f"{gallery.number}. {_pick(gallery.name.get, languages)}"])
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsSelectable)
            groups[gallery.id] = item
            self.tree.addTopLevelItem(item)
        self._words = {}
        seen = set()
        for exhibit in pack.exhibits if pack else ():
            rel = f"exhibits/{exhibit.id}.yaml"
            seen.add(rel)
            parent = groups.get(exhibit.gallery)
            if parent is None:
                parent = groups.setdefault("", QTreeWidgetItem(["Not in a gallery"]))
                if parent.treeWidget() is None:
                    self.tree.addTopLevelItem(parent)
            item = QTreeWidgetItem([exhibit.name.get(first) or _pick(exhibit.name.get, languages) or exhibit.id])
            item.setData(0, ROLE, rel)
            for i, lang in enumerate(languages):
                mark, missing = completeness(exhibit, lang)
                item.setText(i + 1, mark)
                item.setToolTip(i + 1, f"{lang}: missing {'; '.join(missing)}" if missing else f"{lang}: complete")
            if errors.get(rel):
                item.setText(len(languages) + 1, str(errors[rel]))
                item.setToolTip(len(languages) + 1, f"{errors[rel]} problem(s) to fix before publishing")
            parent.addChild(item)
            words = [exhibit.id, *(t for _, t in exhibit.name.values()), *(t for _, t in exhibit.aliases.all())]
            self._words[rel] = normalise(" ".join(words))
        for rel in extra:
            if rel in seen:
                continue
            item = QTreeWidgetItem([rel.removeprefix("exhibits/"), *[""] * len(languages), "!"])
            item.setData(0, ROLE, rel)
            item.setToolTip(0, "This file cannot be read as an exhibit; see Problems")
            self.tree.addTopLevelItem(item)
            self._words[rel] = rel
        self.tree.expandAll()
        for i in range(1, len(languages) + 2):
            self.tree.resizeColumnToContents(i)
        self.tree.setColumnWidth(0, 230)
        self.tree.blockSignals(False)
        self.select(current)
        self._filter(self.search.text())

    def select(self, rel: str) -> None:
        item = self.item(rel)
        if item is not None and not item.isSelected():
            self.tree.blockSignals(True)
            self.tree.setCurrentItem(item)
            self.tree.blockSignals(False)

    def item(self, rel: str) -> QTreeWidgetItem | None:
        for item in self._items():
            if item.data(0, ROLE) == rel:
                return item
        return None

    def visible_exhibits(self) -> list[str]:
        return [
            str(item.data(0, ROLE))
            for item in self._items()
            if str(item.data(0, ROLE) or "").startswith("exhibits/") and not item.isHidden()
        ]

    def _items(self) -> list[QTreeWidgetItem]:
        found = []
        stack = self._tops()
        while stack:
            item = stack.pop(0)
            found.append(item)
            stack.extend(_children(item))
        return found

    def _tops(self) -> list[QTreeWidgetItem]:
        items = (self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount()))
        return [item for item in items if item is not None]

    def _filter(self, text: str) -> None:
        query = normalise(text).strip()
        for item in self._items():
            rel = item.data(0, ROLE)
            if rel and rel != VENUE_ITEM:
                item.setHidden(bool(query) and query not in self._words.get(str(rel), ""))
        for top in self._tops():
            children = _children(top)
            if children:
                top.setHidden(all(child.isHidden() for child in children))

    def _selected(self) -> None:
        items = self.tree.selectedItems()
        if items and items[0].data(0, ROLE):
            self.chosen.emit(str(items[0].data(0, ROLE)))


def _children(item: QTreeWidgetItem) -> list[QTreeWidgetItem]:
    kids = (item.child(i) for i in range(item.childCount()))
    return [kid for kid in kids if kid is not None]


def _pick(get: object, languages: tuple[str, ...]) -> str:
    for lang in ("en", *languages):
        value = get(lang)  # type: ignore[operator]
        if value:
            return str(value)
    return ""
