"""Exhibit cards and touch tiles.

:class:`ExhibitCard` shows one exhibit: its picture (the first image in the pack, else a generated placeholder in its
gallery's colour), title, "gallery · floor" line and summary; ``compact`` is the small version for the conversation
screen (thumbnail, title, gallery and floor). :class:`Tile` is the big touch target of every list: a button holding a
picture, a headline and a detail line. Both are styled by roles only; drawn pictures take their colours from the
theme's palette.
"""

from __future__ import annotations

import logging
import zlib

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from kiosk.content.model import Exhibit, Pack
from kiosk.ui.art import TONES, exhibit_image, gallery_tone, initials, paint_cover, paint_placeholder, rounded
from kiosk.ui.browse_text import display, pick
from kiosk.ui.strings import t
from kiosk.ui.theme import Theme

log = logging.getLogger(__name__)


def styled(widget: QWidget, role: str) -> QWidget:
    """Give ``widget`` a theme role; a QWidget subclass also needs a styled background to paint the role's box."""
    widget.setProperty("role", role)
    widget.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
    return widget


def label(text: str, role: str, wrap: bool = True) -> QLabel:
    widget = QLabel(text)
    widget.setProperty("role", role)
    widget.setWordWrap(wrap)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    return widget


def place_line(pack: Pack, exhibit: Exhibit, lang: str) -> str:
    """ "Bronze Age · Floor 1": where the exhibit is."""
    gallery = pack.venue.gallery(exhibit.gallery)
    if gallery is None:
        return ""
    return t("gallery_floor", lang, gallery=pick(gallery.name, lang, pack), floor=gallery.floor)


class Picture(QWidget):
    """An exhibit's picture, drawn at whatever size it is given: the image cropped to fill, else the placeholder.

    With ``aspect`` (width / height) it asks its layout for a height that suits its width, up to ``max_height``."""

    def __init__(self, theme: Theme, aspect: float | None = None, max_height: int = 0, parent: QWidget | None = None):
        super().__init__(parent)
        self._theme = theme
        self._aspect = aspect
        self._max_height = max_height
        self._image: QPixmap | None = None
        self._tone = QColor(TONES[-1])
        self._glyph = ""
        self._seed = 0
        if aspect:
            policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
            policy.setHeightForWidth(True)
            self.setSizePolicy(policy)

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self.update()

    def set_exhibit(self, pack: Pack, exhibit: Exhibit, lang: str) -> None:
        self._image = exhibit_image(pack, exhibit)
        self._tone = gallery_tone(pack, exhibit.gallery)
        self._glyph = initials(pick(exhibit.name, lang, pack))
        self._seed = zlib.crc32(exhibit.id.encode())
        self.update()

    @property
    def has_image(self) -> bool:
        return self._image is not None

    def hasHeightForWidth(self) -> bool:
        return self._aspect is not None

    def heightForWidth(self, width: int) -> int:
        if not self._aspect:
            return super().heightForWidth(width)
        height = round(width / self._aspect)
        return min(height, self._max_height) if self._max_height else height

    def sizeHint(self) -> QSize:
        if self._aspect:
            width = self._theme.px(16)
            return QSize(width, self.heightForWidth(width))
        return super().sizeHint()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect())
        painter.setClipPath(rounded(rect, self._theme.px(0.4)))
        if self._image is not None:
            paint_cover(painter, rect, self._image)
        else:
            p = self._theme.palette
            hc = self._theme.high_contrast
            paint_placeholder(painter, rect, self._tone, self._glyph, p, self.font(), hc, self._seed)
        painter.end()


class ExhibitCard(QWidget):
    """One exhibit as a card (role ``card``). Full: picture, title, "gallery · floor N", summary. Compact: a
    thumbnail beside the title and the gallery line, for the conversation screen."""

    def __init__(
        self,
        compact: bool = False,
        theme: Theme | None = None,
        show_summary: bool = True,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.compact = compact
        self._theme = theme or Theme()
        self._show_summary = show_summary and not compact
        self.exhibit_id: str | None = None
        styled(self, "card")
        u = self._theme.px
        if compact:
            self.picture = Picture(self._theme)
            self.picture.setFixedSize(u(3.6), u(3.6))
            self.title_label = label("", "tile-title")
            self.place_label = label("", "muted")
            self.summary_label = label("", "body")
            text = QVBoxLayout()
            text.setSpacing(u(0.15))
            text.addStretch(1)
            text.addWidget(self.title_label)
            text.addWidget(self.place_label)
            text.addStretch(1)
            row = QHBoxLayout(self)
            row.setContentsMargins(u(0.5), u(0.5), u(0.8), u(0.5))
            row.setSpacing(u(0.7))
            row.addWidget(self.picture, 0, Qt.AlignmentFlag.AlignVCenter)
            row.addLayout(text, 1)
            self.summary_label.hide()
        else:
            self.picture = Picture(self._theme, aspect=2.2, max_height=u(10))
            self.title_label = label("", "title")
            self.place_label = label("", "marker")
            self.summary_label = label("", "body")
            column = QVBoxLayout(self)
            column.setContentsMargins(u(0.8), u(0.8), u(0.8), u(1.0))
            column.setSpacing(u(0.35))
            column.addWidget(self.picture)
            column.addSpacing(u(0.45))
            column.addWidget(self.title_label)
            column.addWidget(self.place_label)
            column.addSpacing(u(0.3))
            column.addWidget(self.summary_label)
            self.summary_label.setVisible(self._show_summary)

    def set_theme(self, theme: Theme) -> None:
        """Colours of the drawn picture follow the theme (sizes are fixed when the card is built)."""
        self._theme = theme
        self.picture.set_theme(theme)

    def set_exhibit(self, pack: Pack, exhibit_id: str, lang: str) -> None:
        exhibit = pack.exhibit(exhibit_id)
        if exhibit is None:
            log.warning("exhibit card: no exhibit '%s' in the pack", exhibit_id)
            self.clear()
            return
        self.exhibit_id = exhibit.id
        self.picture.set_exhibit(pack, exhibit, lang)
        self.title_label.setText(pick(exhibit.name, lang, pack))
        self.place_label.setText(place_line(pack, exhibit, lang))
        self.summary_label.setText(pick(exhibit.summary, lang, pack))
        self.setAccessibleName(self.title_label.text())

    def clear(self) -> None:
        self.exhibit_id = None
        for widget in (self.title_label, self.place_label, self.summary_label):
            widget.setText("")


class Tile(QPushButton):
    """A list entry to touch: optional picture, a headline, a detail line and a chevron, the whole of it one button
    (role ``tile``). Its height follows its text, never under the theme's touch height."""

    def __init__(self, headline: str, detail: str = "", picture: QWidget | None = None, theme: Theme | None = None):
        super().__init__()
        theme = theme or Theme()
        u = theme.px
        self.setProperty("role", "tile")
        self.setAccessibleName(headline)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.headline = label(display(headline), "tile-title")
        self.detail = label(detail, "muted")
        self.detail.setVisible(bool(detail))
        chevron = label("›", "subtitle", wrap=False)
        row = QHBoxLayout(self)
        row.setContentsMargins(u(0.7), u(0.6), u(0.8), u(0.6))
        row.setSpacing(u(0.8))
        if picture is not None:
            row.addWidget(picture, 0, Qt.AlignmentFlag.AlignVCenter)
        text = QVBoxLayout()
        text.setSpacing(u(0.15))
        text.addWidget(self.headline)
        text.addWidget(self.detail)
        row.addLayout(text, 1)
        row.addWidget(chevron, 0, Qt.AlignmentFlag.AlignVCenter)
        for child in (self.headline, self.detail, chevron, picture):
            if child is not None:
                child.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self.setMinimumHeight(theme.touch)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def sizeHint(self) -> QSize:
        layout = self.layout()
        return layout.totalSizeHint() if layout is not None else super().sizeHint()

    def minimumSizeHint(self) -> QSize:
        layout = self.layout()
        return layout.totalMinimumSize() if layout is not None else super().minimumSizeHint()

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        layout = self.layout()
        height = layout.totalHeightForWidth(width) if layout is not None else -1
        return max(height, self.minimumHeight())


__all__ = ["ExhibitCard", "Picture", "Tile", "label", "place_line", "styled"]
