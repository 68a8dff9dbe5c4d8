"""Drawn pictures for the touch screens: exhibit placeholders, gallery badges, small line icons.

The demo venue ships no photographs, so an exhibit without an image gets a generated tile: the colour of its gallery,
a quiet ripple pattern, a mount line and the first character (or initials) of its name, large. Every gallery has a
colour of its own (:func:`gallery_tone`), used again for its badge and on the floor map, so a visitor can follow a
colour from the gallery list to the exhibit to the map. Colours come from the theme palette where the theme has a
say (high contrast draws everything in black, white and the accent).
"""

from __future__ import annotations

import math
import unicodedata
import zlib
from pathlib import Path

from PySide6.QtCore import QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QLinearGradient, QPainter, QPainterPath, QPen, QPixmap

from kiosk.content.model import Exhibit, Pack
from kiosk.ui.theme import Palette

TONES: tuple[str, ...] = (
    "#2f7d6d",  # patina
    "#b4553c",  # cinnabar
    "#3e5f9c",  # lapis
    "#b0842f",  # ochre
    "#7a4f86",  # plum
    "#4f8a5a",  # jade
    "#9a5f47",  # clay
    "#4d6f8c",  # slate
)
"""Gallery colours, in venue order: muted museum pigments that keep white text readable on them."""

_SMALL_WORDS = frozenset({"the", "a", "an", "of", "at", "and", "in", "on", "for", "to", "from"})


def gallery_tone(pack: Pack, gallery_id: str) -> QColor:
    """The gallery's own colour: by its place in the venue (so the first eight never repeat), else by its id."""
    ids = [g.id for g in pack.venue.galleries]
    index = ids.index(gallery_id) if gallery_id in ids else zlib.crc32(gallery_id.encode())
    return QColor(TONES[index % len(TONES)])


def initials(name: str) -> str:
    """What the placeholder shows large: the first character of a Chinese or Korean name, else up to two initials."""
    name = name.strip()
    if not name:
        return "·"
    if unicodedata.east_asian_width(name[0]) in ("W", "F"):
        return name[0]
    words = [w for w in name.replace("-", " ").replace("·", " ").split() if w[:1].isalnum()]
    significant = [w for w in words if w.lower() not in _SMALL_WORDS] or words
    letters = "".join(w[0].upper() for w in significant[:2])
    return letters or name[0].upper()


def exhibit_image(pack: Pack, exhibit: Exhibit) -> QPixmap | None:
    """The exhibit's first image (``pack.root/exhibits/<file>``), or None when it has none or it will not load."""
    for media in exhibit.media:
        if media.kind != "image":
            continue
        path: Path = pack.root / "exhibits" / media.file
        pixmap = QPixmap(str(path))
        if not pixmap.isNull():
            return pixmap
    return None


def rounded(rect: QRectF, radius: float) -> QPainterPath:
    path = QPainterPath()
    path.addRoundedRect(rect, radius, radius)
    return path


def paint_cover(painter: QPainter, rect: QRectF, image: QPixmap) -> None:
    """Draw ``image`` filling ``rect`` without distortion, cropping the overflow evenly (CSS ``object-fit: cover``)."""
    if image.width() <= 0 or image.height() <= 0 or rect.width() <= 0 or rect.height() <= 0:
        return
    scale = max(rect.width() / image.width(), rect.height() / image.height())
    w, h = rect.width() / scale, rect.height() / scale
    source = QRectF((image.width() - w) / 2, (image.height() - h) / 2, w, h)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    painter.drawPixmap(rect, image, source)


def paint_placeholder(
    painter: QPainter,
    rect: QRectF,
    tone: QColor,
    glyph: str,
    palette: Palette,
    font: QFont,
    high_contrast: bool,
    seed: int = 0,
) -> None:
    """The generated exhibit picture: gallery colour, ripple rings, a mount line and ``glyph`` large. ``seed`` (the
    exhibit's) moves the rings, so exhibits of one gallery share a colour but not a picture."""
    side = min(rect.width(), rect.height())
    if side <= 0:
        return
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    if high_contrast:
        painter.fillRect(rect, QColor(palette.surface))
        ink, line = QColor(palette.accent), QColor(palette.outline)
    else:
        gradient = QLinearGradient(rect.topLeft(), rect.bottomRight())
        gradient.setColorAt(0.0, tone.lighter(118))
        gradient.setColorAt(1.0, tone.darker(150))
        painter.fillRect(rect, gradient)
        ink, line = QColor(255, 255, 255, 235), QColor(255, 255, 255, 70)
    # Ripple rings from a corner, like the bands on a bronze mirror (none in high contrast).
    if not high_contrast:
        rings = QColor(line)
        rings.setAlpha(28)
        painter.setPen(QPen(rings, max(1.0, side / 90)))
        corners = (rect.bottomRight(), rect.topRight(), rect.bottomLeft(), rect.topLeft(), rect.center())
        corner = corners[seed % len(corners)]
        centre = QPointF(corner.x() * 0.92 + rect.center().x() * 0.08, corner.y() * 0.95 + rect.center().y() * 0.05)
        reach = math.hypot(rect.width(), rect.height())
        step = max(6.0, side / (8 + seed // 5 % 4))
        radius = step
        while radius < reach:
            painter.drawEllipse(centre, radius, radius)
            radius += step
    # A mount line inset from the edge, as on a framed print.
    inset = side * 0.07
    painter.setPen(QPen(line, max(1.0, side / 160)))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRect(rect.adjusted(inset, inset, -inset, -inset))
    # The glyph, with a soft shadow.
    font = QFont(font)
    font.setPixelSize(max(8, round(side * (0.46 if len(glyph) == 1 else 0.36))))
    font.setWeight(QFont.Weight.DemiBold)
    painter.setFont(font)
    if not high_contrast:
        painter.setPen(QColor(0, 0, 0, 60))
        painter.drawText(rect.translated(side * 0.012, side * 0.018), Qt.AlignmentFlag.AlignCenter, glyph)
    painter.setPen(ink)
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, glyph)
    painter.restore()


def placeholder_pixmap(
    width: int,
    height: int,
    tone: QColor,
    glyph: str,
    palette: Palette,
    font: QFont,
    high_contrast: bool = False,
    seed: int = 0,
) -> QPixmap:
    pixmap = QPixmap(max(1, width), max(1, height))
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    paint_placeholder(painter, QRectF(pixmap.rect()), tone, glyph, palette, font, high_contrast, seed)
    painter.end()
    return pixmap


def badge_pixmap(size: int, tone: QColor, text: str, font: QFont, palette: Palette, high_contrast: bool) -> QPixmap:
    """A rounded square in the gallery colour with its number: the gallery's sign on lists and tiles."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    rect = QRectF(1, 1, size - 2, size - 2)
    if high_contrast:
        painter.setPen(QPen(QColor(palette.outline), 2))
        painter.setBrush(QColor(palette.surface))
    else:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(tone)
    painter.drawPath(rounded(rect, size * 0.22))
    font = QFont(font)
    font.setPixelSize(round(size * 0.5))
    font.setWeight(QFont.Weight.Bold)
    painter.setFont(font)
    painter.setPen(QColor(palette.accent) if high_contrast else QColor("#ffffff"))
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
    painter.end()
    return pixmap


def icon_pixmap(kind: str, size: int, color: QColor, background: QColor) -> QPixmap:
    """Line icons for the home tiles: ``galleries`` (a museum front), ``visit`` (a clock), ``facilities`` (info)."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(background)
    painter.drawEllipse(QRectF(0, 0, size, size))
    s = size / 100
    pen = QPen(color, max(2.0, 6 * s), Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    if kind == "galleries":
        roof = QPainterPath(QPointF(24 * s, 42 * s))
        roof.lineTo(50 * s, 26 * s)
        roof.lineTo(76 * s, 42 * s)
        roof.closeSubpath()
        painter.drawPath(roof)
        for x in (33, 45, 55, 67):
            painter.drawLine(QPointF(x * s, 49 * s), QPointF(x * s, 67 * s))
        painter.drawLine(QPointF(24 * s, 74 * s), QPointF(76 * s, 74 * s))
    elif kind == "visit":
        painter.drawEllipse(QPointF(50 * s, 50 * s), 26 * s, 26 * s)
        painter.drawLine(QPointF(50 * s, 50 * s), QPointF(50 * s, 34 * s))
        painter.drawLine(QPointF(50 * s, 50 * s), QPointF(62 * s, 57 * s))
    else:
        painter.drawEllipse(QPointF(50 * s, 50 * s), 26 * s, 26 * s)
        painter.drawLine(QPointF(50 * s, 47 * s), QPointF(50 * s, 64 * s))
        painter.setBrush(color)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawEllipse(QPointF(50 * s, 36 * s), 4 * s, 4 * s)
    painter.end()
    return pixmap


def distinct_colours(pixmap: QPixmap, step: int = 4) -> int:
    """How many different colours a picture has, sampling every ``step``-th pixel: a blank picture has one."""
    image = pixmap.toImage()
    seen: set[int] = set()
    rect = QRect(0, 0, image.width(), image.height())
    for y in range(rect.top(), rect.bottom() + 1, step):
        for x in range(rect.left(), rect.right() + 1, step):
            seen.add(image.pixel(x, y))
    return len(seen)


__all__ = [
    "TONES",
    "badge_pixmap",
    "distinct_colours",
    "exhibit_image",
    "gallery_tone",
    "icon_pixmap",
    "initials",
    "paint_cover",
    "paint_placeholder",
    "placeholder_pixmap",
    "rounded",
]
