"""The touch-only path through the venue: browse galleries and exhibits, read and hear them, find facilities, hours
and tickets, without saying a word.

:class:`BrowseScreen` is a header (Back, the page title, Home) over a stack of pages. Pages follow the venue's
hierarchy (home → galleries → gallery → exhibit; home → visit information; home → facilities), so Back always goes
one level up, wherever the visitor came from, and :meth:`BrowseScreen.show_exhibit` from a conversation leaves a
sensible way back. Changing the language rebuilds the pages in place: the visitor stays on the same page, at the
same scroll position, with the same map open.

Signals: ``hear(text, language)`` (speak this), ``ask(question)`` (put this question to the guide, in the
visitor's language), ``directions(exhibit_id)`` (the visitor asked the way to an exhibit), ``activity()`` (any touch
on the screen, for the idle timer).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QInputEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from kiosk.content.model import Pack
from kiosk.ui.browse_pages import Page, PageBuilder, Place
from kiosk.ui.cards import label
from kiosk.ui.strings import t
from kiosk.ui.theme import Theme

log = logging.getLogger(__name__)

HOME: Place = ("home", "")
_TOUCHES = frozenset(
    (
        QEvent.Type.MouseButtonPress,
        QEvent.Type.TouchBegin,
        QEvent.Type.Wheel,
        QEvent.Type.KeyPress,
    )
)


class BrowseScreen(QWidget):
    hear = Signal(str, str)
    """(text, language): read this aloud."""
    ask = Signal(str)
    """A question for the guide, in the visitor's language."""
    directions = Signal(str)
    """An exhibit id: the visitor tapped "How do I get there?"."""
    activity = Signal()
    """The visitor touched the screen."""

    def __init__(
        self, pack: Pack, language: str | None = None, theme: Theme | None = None, parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.pack = pack
        self.language = language or pack.venue.default_language
        self.theme = theme or Theme()
        self._places: list[Place] = []
        self._pages: list[Page | None] = []
        self._last_touch: tuple[int, int] | None = None

        self.back_button = QPushButton()
        self.back_button.setObjectName("back")
        self.back_button.clicked.connect(self.go_back)
        self.home_button = QPushButton()
        self.home_button.setObjectName("home")
        self.home_button.clicked.connect(self.show_home)
        self.title_label: QLabel = label("", "title")
        self._header = header = QHBoxLayout()
        header.addWidget(self.back_button)
        header.addWidget(self.title_label, 1)
        header.addWidget(self.home_button)
        self.stack = QStackedWidget()
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addLayout(header)
        column.addWidget(self.stack, 1)

        self._space_header()
        for widget in (self.back_button, self.home_button, self.title_label, self):
            widget.installEventFilter(self)
        self.show_home()

    # What the app calls ----------------------------------------------------------------------------------------------

    def current_page(self) -> str:
        """The kind of page shown: ``home``, ``galleries``, ``gallery``, ``exhibit``, ``visit`` or ``facilities``."""
        return self._places[-1][0]

    def current_id(self) -> str | None:
        """The gallery or exhibit shown, on those pages; else None."""
        return self._places[-1][1] or None

    def show_home(self) -> None:
        self.go(HOME)

    def show_galleries(self) -> None:
        self.go(("galleries", ""))

    def show_gallery(self, gallery_id: str) -> None:
        self.go(("gallery", gallery_id))

    def show_exhibit(self, exhibit_id: str) -> None:
        self.go(("exhibit", exhibit_id))

    def show_visit(self) -> None:
        self.go(("visit", ""))

    def show_facilities(self) -> None:
        self.go(("facilities", ""))

    def go_back(self) -> None:
        if len(self._places) > 1:
            self.go(self._places[-2])

    def set_language(self, language: str) -> None:
        """Show every page in ``language``; the visitor stays where they are (page, scroll, open map)."""
        if language == self.language:
            return
        self.language = language
        self._rebuild()

    def set_theme(self, theme: Theme) -> None:
        """Use a new theme (large text, high contrast): pages are rebuilt at its sizes and in its colours."""
        self.theme = theme
        self._space_header()
        self._rebuild()

    # Navigation ----------------------------------------------------------------------------------------------------

    def go(self, place: Place) -> None:
        """Show ``place``, with the pages above it in the hierarchy behind it for Back."""
        path = self._path_to(place)
        if path is None:
            log.warning("browse: nothing to show for %s", place)
            return
        keep = 0
        while keep < min(len(path), len(self._places)) and path[keep] == self._places[keep]:
            keep += 1
        for page in self._pages[keep:]:
            if page is not None:
                self.stack.removeWidget(page)
                page.deleteLater()
        self._places = self._places[:keep] + path[keep:]
        self._pages = self._pages[:keep] + [None] * (len(path) - keep)
        self._show_top()

    def _path_to(self, place: Place) -> list[Place] | None:
        kind, key = place
        if kind == "home":
            return [HOME]
        if kind in ("galleries", "visit", "facilities"):
            return [HOME, (kind, "")]
        if kind == "gallery" and self.pack.venue.gallery(key) is not None:
            return [HOME, ("galleries", ""), place]
        exhibit = self.pack.exhibit(key) if kind == "exhibit" else None
        if exhibit is not None:
            gallery = self.pack.venue.gallery(exhibit.gallery)
            return [HOME, ("galleries", ""), *([("gallery", gallery.id)] if gallery else []), place]
        return None

    def _show_top(self) -> None:
        index = len(self._places) - 1
        page = self._pages[index]
        if page is None:
            page = self._build(self._places[index])
            self._pages[index] = page
        self.stack.setCurrentWidget(page)
        self._update_header(page)

    def _build(self, place: Place) -> Page:
        builder = PageBuilder(self.pack, self.language, self.theme, self)
        page = builder.build(place) or builder.home()
        self.stack.addWidget(page)
        for widget in (page, *page.findChildren(QWidget)):
            widget.installEventFilter(self)
        return page

    def _rebuild(self) -> None:
        """Rebuild the shown page now (keeping its scroll position and what was open) and the others when shown."""
        index = len(self._places) - 1
        shown = self._pages[index]
        scroll = shown.verticalScrollBar().value() if shown is not None else 0
        opened = shown.opened if shown is not None else None
        for page in self._pages:
            if page is not None:
                self.stack.removeWidget(page)
                page.deleteLater()
        self._pages = [None] * len(self._places)
        self._show_top()
        page = self._pages[index]
        if page is None:
            return
        if opened and page.restore is not None:
            page.restore(opened)
        page.verticalScrollBar().setValue(scroll)
        # The new page has its full height only once its layout has run: scroll again then.
        QTimer.singleShot(0, page, lambda: page.verticalScrollBar().setValue(scroll))

    def _space_header(self) -> None:
        u = self.theme.px
        self._header.setContentsMargins(u(1.2), u(0.8), u(1.2), u(0.5))
        self._header.setSpacing(u(0.8))

    def _update_header(self, page: Page) -> None:
        lang = self.language
        self.title_label.setText(page.title)
        self.back_button.setText("‹  " + t("back", lang))
        self.home_button.setText(t("home", lang))
        depth = len(self._places)
        self.back_button.setVisible(depth > 1)
        self.home_button.setVisible(depth > 2)

    # Requests from pages (the Navigator protocol) -------------------------------------------------------------------

    def request_hear(self, text: str, language: str) -> None:
        if text:
            self.hear.emit(text, language)

    def request_ask(self, question: str) -> None:
        if question:
            self.ask.emit(question)

    def request_directions(self, exhibit_id: str) -> None:
        self.directions.emit(exhibit_id)

    # Touches -------------------------------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Any press, touch, wheel or key on this screen is activity: once per event, though Qt offers a press that
        a child ignores to each parent in turn (the same timestamp)."""
        if event.type() in _TOUCHES:
            stamp = (event.type().value, event.timestamp()) if isinstance(event, QInputEvent) else None
            if stamp is None or stamp != self._last_touch or stamp[1] == 0:
                self._last_touch = stamp
                self.activity.emit()
        return False


__all__ = ["HOME", "BrowseScreen"]
