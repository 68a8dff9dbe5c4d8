"""The pages of the browse screen, built fresh for one language: home, galleries, a gallery, an exhibit, visit
information and facilities. Each page is a kinetic-scrolling :class:`Page`; what a touch asks for goes back to the
:class:`Navigator` (the browse screen), so pages hold no navigation state of their own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QScroller,
    QScrollerProperties,
    QVBoxLayout,
    QWidget,
)

from kiosk.content.model import Pack
from kiosk.ui.art import badge_pixmap, gallery_tone, icon_pixmap
from kiosk.ui.browse_text import (
    as_question,
    ask_about_text,
    display,
    exhibit_count,
    fact_rows,
    hear_text,
    joined,
    pick,
    pick_phrase,
)
from kiosk.ui.cards import ExhibitCard, Picture, Tile, label, styled
from kiosk.ui.floormap import FloorMarker
from kiosk.ui.strings import t
from kiosk.ui.theme import Theme

Place = tuple[str, str]
"""(page kind, id): ("home", ""), ("galleries", ""), ("gallery", id), ("exhibit", id), ("visit", ""),
("facilities", "")."""


class Navigator(Protocol):
    """What pages ask of the screen that shows them."""

    def go(self, place: Place) -> None: ...

    def request_hear(self, text: str, language: str) -> None: ...

    def request_ask(self, question: str) -> None: ...

    def request_directions(self, exhibit_id: str) -> None: ...


def kinetic(area: QScrollArea) -> None:
    """Flick scrolling with a finger (or a mouse on a touch screen), no sideways overshoot."""
    viewport = area.viewport()
    QScroller.grabGesture(viewport, QScroller.ScrollerGestureType.LeftMouseButtonGesture)
    scroller = QScroller.scroller(viewport)
    props = scroller.scrollerProperties()
    props.setScrollMetric(
        QScrollerProperties.ScrollMetric.HorizontalOvershootPolicy,
        QScrollerProperties.OvershootPolicy.OvershootAlwaysOff,
    )
    props.setScrollMetric(QScrollerProperties.ScrollMetric.MousePressEventDelay, 0.0)
    scroller.setScrollerProperties(props)


class Page(QScrollArea):
    """One page: a title for the header and a scrolling column of content with the screen's margins."""

    def __init__(self, place: Place, title: str, theme: Theme):
        super().__init__()
        self.place = place
        self.title = title
        self.theme = theme
        self.opened: str | None = None
        """What the visitor opened on the page (a facility's map, the exhibit's route), kept across languages."""
        self.restore: Callable[[str], None] | None = None
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.content = QWidget()
        u = theme.px
        self.body = QVBoxLayout(self.content)
        self.body.setContentsMargins(u(1.2), u(0.4), u(1.2), u(1.6))
        self.body.setSpacing(u(0.6))
        self.setWidget(self.content)
        kinetic(self)

    def heading(self, text: str) -> QLabel:
        self.body.addSpacing(self.theme.px(0.6))
        widget = label(text, "subtitle")
        self.body.addWidget(widget)
        return widget

    def text(self, text: str, role: str = "body") -> QLabel:
        widget = label(text, role)
        self.body.addWidget(widget)
        return widget

    def finish(self) -> Page:
        self.body.addStretch(1)
        return self


def section(theme: Theme, title: str) -> tuple[QWidget, QVBoxLayout]:
    """A panel with a heading: the blocks of the visit page and the exhibit's facts."""
    panel = styled(QWidget(), "panel")
    u = theme.px
    column = QVBoxLayout(panel)
    column.setContentsMargins(u(1.0), u(0.8), u(1.0), u(1.0))
    column.setSpacing(u(0.45))
    if title:
        column.addWidget(label(title, "subtitle"))
    return panel, column


class PageBuilder:
    """Builds the pages of one pack in one language and theme."""

    def __init__(self, pack: Pack, lang: str, theme: Theme, nav: Navigator):
        self.pack = pack
        self.lang = lang
        self.theme = theme
        self.nav = nav

    def build(self, place: Place) -> Page | None:
        kind, key = place
        builders: dict[str, Callable[[str], Page | None]] = {
            "home": lambda _: self.home(),
            "galleries": lambda _: self.galleries(),
            "gallery": self.gallery,
            "exhibit": self.exhibit,
            "visit": lambda _: self.visit(),
            "facilities": lambda _: self.facilities(),
        }
        builder = builders.get(kind)
        return builder(key) if builder else None

    def _go(self, place: Place) -> Callable[[], None]:
        return lambda: self.nav.go(place)

    def _icon(self, kind: str) -> QLabel:
        p = self.theme.palette
        widget = QLabel()
        size = self.theme.px(2.4)
        widget.setPixmap(icon_pixmap(kind, size, QColor(p.accent), QColor(p.surface)))
        widget.setFixedSize(size, size)
        return widget

    # Pages --------------------------------------------------------------------------------------------------------

    def home(self) -> Page:
        lang, venue = self.lang, self.pack.venue
        page = Page(("home", ""), t("browse", lang), self.theme)
        page.text(pick(venue.name, lang, self.pack), "hint")
        page.text(pick(venue.about, lang, self.pack), "body")
        page.body.addSpacing(self.theme.px(0.6))
        floors = len({g.floor for g in venue.galleries})
        names = [display(pick(f.name, lang, self.pack)) for f in venue.facilities[:3]]
        more = (
            t("browse_and_more", lang, items=joined(names, lang)) if len(venue.facilities) > 3 else joined(names, lang)
        )
        entries = [
            (
                "galleries",
                t("galleries", lang),
                t("browse_galleries_detail", lang, n=len(venue.galleries), floors=floors),
            ),
            ("visit", t("browse_visit_info", lang), t("browse_visit_detail", lang)),
            ("facilities", t("facilities", lang), more),
        ]
        for kind, headline, detail in entries:
            tile = Tile(headline, detail, self._icon(kind), self.theme)
            tile.setObjectName(f"home:{kind}")
            tile.clicked.connect(self._go((kind, "")))
            page.body.addWidget(tile)
        return page.finish()

    def galleries(self) -> Page:
        lang, pack = self.lang, self.pack
        page = Page(("galleries", ""), t("galleries", lang), self.theme)
        for gallery in pack.venue.galleries:
            detail = " · ".join(
                (
                    t("browse_gallery_n", lang, n=gallery.number),
                    t("floor", lang, n=gallery.floor),
                    exhibit_count(pack, gallery.id, lang),
                )
            )
            tile = Tile(pick(gallery.name, lang, pack), detail, self._badge(gallery.id, gallery.number), self.theme)
            tile.setObjectName(f"gallery:{gallery.id}")
            tile.clicked.connect(self._go(("gallery", gallery.id)))
            page.body.addWidget(tile)
        return page.finish()

    def _badge(self, gallery_id: str, number: int) -> QLabel:
        size = self.theme.px(2.4)
        widget = QLabel()
        tone = gallery_tone(self.pack, gallery_id)
        p = self.theme.palette
        widget.setPixmap(badge_pixmap(size, tone, str(number), widget.font(), p, self.theme.high_contrast))
        widget.setFixedSize(size, size)
        return widget

    def gallery(self, gallery_id: str) -> Page | None:
        lang, pack = self.lang, self.pack
        gallery = pack.venue.gallery(gallery_id)
        if gallery is None:
            return None
        page = Page(("gallery", gallery.id), pick(gallery.name, lang, pack), self.theme)
        line = " · ".join(
            (
                t("browse_gallery_n", lang, n=gallery.number),
                t("floor", lang, n=gallery.floor),
                exhibit_count(pack, gallery.id, lang),
            )
        )
        page.text(line, "marker")
        page.heading(t("browse_getting_there", lang))
        marker = FloorMarker(self.theme)
        marker.set_target_gallery(pack, gallery.id, lang)
        page.body.addWidget(marker)
        page.heading(t("exhibits", lang))
        for exhibit in (e for e in pack.exhibits if e.gallery == gallery.id):
            picture = Picture(self.theme)
            picture.setFixedSize(self.theme.px(3.4), self.theme.px(3.4))
            picture.set_exhibit(pack, exhibit, lang)
            period = exhibit.fact("period") or exhibit.fact("date")
            detail = display(pick(period.value, lang, pack)) if period else ""
            tile = Tile(pick(exhibit.name, lang, pack), detail, picture, self.theme)
            tile.setObjectName(f"exhibit:{exhibit.id}")
            tile.clicked.connect(self._go(("exhibit", exhibit.id)))
            page.body.addWidget(tile)
        return page.finish()

    def exhibit(self, exhibit_id: str) -> Page | None:
        lang, pack, theme = self.lang, self.pack, self.theme
        exhibit = pack.exhibit(exhibit_id)
        if exhibit is None:
            return None
        gallery = pack.venue.gallery(exhibit.gallery)
        title = pick(gallery.name, lang, pack) if gallery else pick(exhibit.name, lang, pack)
        page = Page(("exhibit", exhibit.id), title, theme)
        card = ExhibitCard(theme=theme)
        card.set_exhibit(pack, exhibit.id, lang)
        page.body.addWidget(card)

        hear = QPushButton(t("hear", lang))
        hear.setProperty("role", "primary")
        hear.setObjectName("hear")
        spoken, spoken_lang = hear_text(pack, exhibit, lang)
        hear.clicked.connect(lambda: self.nav.request_hear(spoken, spoken_lang))
        where = QPushButton(t("where", lang))
        where.setObjectName("where")
        ask = QPushButton(t("ask_about", lang))
        ask.setObjectName("ask_about")
        question = ask_about_text(pack, exhibit, lang)
        ask.clicked.connect(lambda: self.nav.request_ask(question))
        page.body.addWidget(hear)
        row = QHBoxLayout()
        row.setSpacing(theme.px(0.6))
        row.addWidget(where, 1)
        row.addWidget(ask, 1)
        page.body.addLayout(row)

        marker = FloorMarker(theme)
        marker.setObjectName("route")
        marker.hide()
        page.body.addWidget(marker)

        def show_route(opened: str = "route") -> None:
            if gallery is not None:
                marker.set_target_gallery(pack, gallery.id, lang)
                marker.show()
                page.opened = opened
                page.ensureWidgetVisible(marker)

        def on_where() -> None:
            show_route()
            self.nav.request_directions(exhibit.id)

        where.clicked.connect(on_where)
        page.restore = show_route

        if exhibit.story:
            page.heading(t("browse_story", lang))
            for paragraph in exhibit.story:
                page.text(pick(paragraph, lang, pack))
        rows = fact_rows(pack, exhibit, lang)
        if rows:
            page.body.addSpacing(theme.px(0.6))
            panel, column = section(theme, t("browse_facts", lang))
            grid = QGridLayout()
            grid.setHorizontalSpacing(theme.px(1.0))
            grid.setVerticalSpacing(theme.px(0.45))
            grid.setColumnStretch(1, 1)
            for i, (key, value) in enumerate(rows):
                name = label(key, "muted")
                name.setMinimumWidth(theme.px(5))
                grid.addWidget(name, i, 0, Qt.AlignmentFlag.AlignTop)
                grid.addWidget(label(value, "body"), i, 1)
            column.addLayout(grid)
            page.body.addWidget(panel)
        if exhibit.questions:
            page.heading(t("browse_questions", lang))
            for i, curated in enumerate(exhibit.questions):
                phrase, _ = pick_phrase(curated.asks, lang, pack)
                if not phrase:
                    continue
                button = QPushButton(as_question(phrase, lang))
                button.setProperty("role", "suggestion")
                button.setObjectName(f"question:{i}")
                button.clicked.connect(lambda _=False, q=phrase: self.nav.request_ask(q))
                page.body.addWidget(button)
        return page.finish()

    def visit(self) -> Page:
        lang, pack, venue = self.lang, self.pack, self.pack.venue
        page = Page(("visit", ""), t("browse_visit_info", lang), self.theme)
        panel, column = section(self.theme, t("hours", lang))
        column.addWidget(label(pick(venue.hours.text, lang, pack), "body"))
        if venue.hours.closed:
            column.addWidget(label(pick(venue.hours.closed, lang, pack), "body"))
        page.body.addWidget(panel)
        panel, column = section(self.theme, t("tickets", lang))
        column.addWidget(label(pick(venue.tickets.text, lang, pack), "body"))
        page.body.addWidget(panel)
        if venue.rules:
            panel, column = section(self.theme, t("rules", lang))
            rules = QGridLayout()
            rules.setHorizontalSpacing(self.theme.px(0.5))
            rules.setVerticalSpacing(self.theme.px(0.35))
            rules.setColumnStretch(1, 1)
            for i, rule in enumerate(venue.rules):
                rules.addWidget(label("•", "subtitle", wrap=False), i, 0, Qt.AlignmentFlag.AlignTop)
                rules.addWidget(label(pick(rule.text, lang, pack), "body"), i, 1)
            column.addLayout(rules)
            page.body.addWidget(panel)
        return page.finish()

    def facilities(self) -> Page:
        lang, pack, theme = self.lang, self.pack, self.theme
        page = Page(("facilities", ""), t("facilities", lang), theme)
        page.text(t("browse_tap_facility", lang), "muted")
        marker = FloorMarker(theme)
        marker.setObjectName("facility-map")
        marker.hide()
        tiles: dict[str, Tile] = {}

        def open_facility(facility_id: str) -> None:
            if page.opened == facility_id and marker.isVisible():
                marker.hide()
                page.opened = None
                return
            page.body.removeWidget(marker)
            page.body.insertWidget(page.body.indexOf(tiles[facility_id]) + 1, marker)
            marker.set_target_facility(pack, facility_id, lang)
            marker.show()
            page.opened = facility_id
            page.ensureWidgetVisible(marker)

        for facility in pack.venue.facilities:
            where = pick(facility.where, lang, pack)
            detail = f"{t('floor', lang, n=facility.floor)} · {where}" if facility.floor is not None else where
            tile = Tile(pick(facility.name, lang, pack), detail, None, theme)
            tile.setObjectName(f"facility:{facility.id}")
            tile.clicked.connect(lambda _=False, f=facility.id: open_facility(f))
            tiles[facility.id] = tile
            page.body.addWidget(tile)
        page.body.addWidget(marker)
        page.restore = lambda opened: open_facility(opened) if opened in tiles else None
        return page.finish()


__all__ = ["Navigator", "Page", "PageBuilder", "Place", "kinetic", "section"]
