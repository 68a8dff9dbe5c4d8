"""The floor marker: a small schematic map answering "where is it?" without words.

The venue's floors are drawn as stacked slabs. The kiosk's floor carries a "you are here" dot, the target's floor is
tinted in the target's colour and carries a pin, placed by the direction from the kiosk (left, right, ahead, behind)
or, on another floor, by the gallery's wing; a dashed line joins the two. Beside the stack a round sign shows the
direction as an arrow (stairs for up and down). Under the drawing: "Bronze Age · Floor 1 · To your left" and the
venue's own route text.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPaintEvent, QPen, QPolygonF, QResizeEvent
from PySide6.QtWidgets import QBoxLayout, QSizePolicy, QVBoxLayout, QWidget

from kiosk.content.model import Direction, Pack
from kiosk.ui.art import gallery_tone
from kiosk.ui.browse_text import direction_text, display, pick
from kiosk.ui.cards import label, styled
from kiosk.ui.strings import t
from kiosk.ui.theme import Theme

_MAX_FLOORS = 5
_SIDES = {"west": 0.18, "east": 0.82, "left": 0.18, "right": 0.82}


@dataclass(frozen=True)
class MapModel:
    floors: tuple[int, ...]
    """Floors to draw, lowest first."""
    kiosk_floor: int
    target_floor: int | None
    """None: the target is on no single floor (restrooms on every floor, Wi-Fi): drawn on the kiosk's floor."""
    direction: Direction
    tone: QColor
    you_label: str
    target_label: str
    side: float | None = None
    """Where on its floor the target is, 0 (left) to 1 (right), when known from the gallery's wing."""


def floors_to_draw(all_floors: set[int], kiosk: int, target: int | None) -> tuple[int, ...]:
    """Every floor of a small venue; in a tall one, the floors from the kiosk's to the target's and one either side."""
    floors = sorted(all_floors | {kiosk} | ({target} if target is not None else set()))
    if len(floors) <= _MAX_FLOORS:
        return tuple(floors)
    low, high = min(kiosk, target if target is not None else kiosk), max(kiosk, target if target is not None else kiosk)
    near = [f for f in floors if low - 1 <= f <= high + 1]
    return tuple(near if len(near) <= _MAX_FLOORS + 1 else sorted({floors[0], low, high, floors[-1]}))


class MapCanvas(QWidget):
    """The drawing; a model of None draws nothing."""

    def __init__(self, theme: Theme, parent: QWidget | None = None):
        super().__init__(parent)
        self._theme = theme
        self.model: MapModel | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(theme.px(11))
        self.setFixedHeight(theme.px(7.2))

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self.setMinimumWidth(theme.px(11))
        self.setFixedHeight(theme.px(7.2))
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(self._theme.px(12), self._theme.px(7.2))

    def set_model(self, model: MapModel | None) -> None:
        self.model = model
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        if self.model is None:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        width = min(float(self.width()), self._theme.px(16))
        area = QRectF(0, 0, width, self.height())
        legend = self._theme.px(1.0)
        map_area = QRectF(area.left(), area.top(), area.width() * 0.62, area.height() - legend)
        sign_area = QRectF(map_area.right(), area.top(), area.width() - map_area.width(), area.height() - legend)
        self._paint_floors(painter, map_area, self.model)
        self._paint_sign(painter, sign_area, self.model.direction)
        self._paint_legend(painter, QRectF(area.left(), area.bottom() - legend, area.width(), legend), self.model)
        painter.end()

    # The stack of floors ------------------------------------------------------------------------------------------

    def _paint_floors(self, painter: QPainter, area: QRectF, m: MapModel) -> None:
        p = self._theme.palette
        n = len(m.floors)
        number_width = self._theme.px(1.1)
        gap = area.height() * 0.05
        slab = min(area.height() * 0.3, (area.height() - gap * (n + 1)) / max(n, 1))
        skew = slab * 0.9
        left, right = area.left() + number_width, area.right() - skew - self._theme.px(0.4)
        top = area.top() + (area.height() - (slab * n + gap * (n - 1))) / 2
        target_floor = m.target_floor if m.target_floor is not None else m.kiosk_floor
        slabs: dict[int, tuple[float, float, float, float]] = {}
        font = QFont(self.font())
        font.setPixelSize(self._theme.px(0.62))
        font.setWeight(QFont.Weight.DemiBold)
        painter.setFont(font)
        for index, floor in enumerate(reversed(m.floors)):
            y = top + index * (slab + gap)
            slabs[floor] = (left, right, y, slab)
            face = QPolygonF(
                [QPointF(left + skew, y), QPointF(right + skew, y), QPointF(right, y + slab), QPointF(left, y + slab)]
            )
            fill, edge = QColor(p.raised), QColor(p.outline)
            if floor == target_floor and not self._theme.high_contrast:
                fill = QColor(m.tone)
                fill.setAlpha(150)
                edge = m.tone.lighter(130)
            elif floor == m.kiosk_floor:
                fill = QColor(p.raised).lighter(120)
            painter.setPen(QPen(edge, 2 if floor in (target_floor, m.kiosk_floor) else 1))
            painter.setBrush(fill)
            painter.drawPolygon(face)
            painter.setPen(QColor(p.text if floor in (target_floor, m.kiosk_floor) else p.muted))
            painter.drawText(QRectF(area.left(), y, number_width * 0.8, slab), Qt.AlignmentFlag.AlignCenter, str(floor))

        def at(floor: int, u: float, v: float) -> QPointF:
            x0, x1, y, h = slabs[floor]
            return QPointF(x0 + u * (x1 - x0) + skew * (1 - v), y + v * h)

        you = at(m.kiosk_floor, 0.5, 0.62)
        if m.target_floor is None and m.direction == Direction.NONE:
            target = None
        else:
            target = at(target_floor, *self._target_place(m, target_floor))
        if target is not None:
            route = QPainterPath(you)
            bend = QPointF((you.x() + target.x()) / 2, min(you.y(), target.y()) - slab * 0.2)
            route.quadTo(bend, target)
            painter.setPen(QPen(QColor(p.accent), max(2.0, self._theme.unit / 9), Qt.PenStyle.DashLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(route)
            self._pin(painter, target, slab * 0.55, m.tone)
        self._dot(painter, you, slab * 0.16)

    def _target_place(self, m: MapModel, floor: int) -> tuple[float, float]:
        if floor != m.kiosk_floor:
            return (m.side if m.side is not None else 0.5), 0.5
        return {
            Direction.LEFT: (0.1, 0.55),
            Direction.RIGHT: (0.9, 0.55),
            Direction.AHEAD: (0.5, 0.08),
            Direction.BEHIND: (0.82, 0.98),
        }.get(m.direction, (0.78, 0.3))

    def _dot(self, painter: QPainter, at: QPointF, radius: float) -> None:
        accent = QColor(self._theme.palette.accent)
        halo = QColor(accent)
        halo.setAlpha(80)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(halo)
        painter.drawEllipse(at, radius * 2, radius * 2)
        painter.setBrush(accent)
        painter.setPen(QPen(QColor(self._theme.palette.background), max(1.5, radius * 0.35)))
        painter.drawEllipse(at, radius, radius)

    def _pin(self, painter: QPainter, tip: QPointF, height: float, tone: QColor) -> None:
        """A map pin whose point is at ``tip``."""
        r = height * 0.36
        centre = QPointF(tip.x(), tip.y() - height + r)
        path = QPainterPath(tip)
        path.lineTo(centre.x() - r * 0.86, centre.y() + r * 0.5)
        path.arcTo(QRectF(centre.x() - r, centre.y() - r, 2 * r, 2 * r), 210, -240)
        path.closeSubpath()
        p = self._theme.palette
        colour = QColor(p.text) if self._theme.high_contrast else tone.lighter(125)
        painter.setPen(QPen(QColor(p.background), max(1.5, r * 0.2)))
        painter.setBrush(colour)
        painter.drawPath(path)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(p.background))
        painter.drawEllipse(centre, r * 0.38, r * 0.38)

    # The direction sign -------------------------------------------------------------------------------------------

    def _paint_sign(self, painter: QPainter, area: QRectF, direction: Direction) -> None:
        p = self._theme.palette
        r = min(area.width(), area.height()) * 0.4
        c = area.center()
        painter.setPen(QPen(QColor(p.outline), 2))
        painter.setBrush(QColor(p.raised))
        painter.drawEllipse(c, r, r)
        pen = QPen(QColor(p.accent), r * 0.16, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        a = r * 0.5
        if direction in (Direction.LEFT, Direction.RIGHT, Direction.AHEAD):
            vector = {Direction.LEFT: (-1, 0), Direction.RIGHT: (1, 0), Direction.AHEAD: (0, -1)}[direction]
            self._arrow(painter, c - QPointF(vector[0], vector[1]) * a, c + QPointF(vector[0], vector[1]) * a)
        elif direction == Direction.BEHIND:
            turn = QPainterPath(QPointF(c.x() + a * 0.5, c.y() + a))
            turn.lineTo(c.x() + a * 0.5, c.y() - a * 0.1)
            turn.arcTo(QRectF(c.x() - a * 0.5, c.y() - a * 0.6, a, a), 0, 180)
            turn.lineTo(c.x() - a * 0.5, c.y() + a * 0.55)
            painter.drawPath(turn)
            self._head(painter, QPointF(c.x() - a * 0.5, c.y() + a * 0.7), QPointF(0, 1), a * 0.45)
        elif direction in (Direction.UP, Direction.DOWN):
            steps = QPainterPath(QPointF(c.x() - a, c.y() + a * 0.75))
            for i in range(3):
                steps.lineTo(c.x() - a + (i + 1) * a * 0.55, c.y() + a * 0.75 - i * a * 0.45)
                steps.lineTo(c.x() - a + (i + 1) * a * 0.55, c.y() + a * 0.75 - (i + 1) * a * 0.45)
            painter.drawPath(steps)
            up = direction == Direction.UP
            start, end = QPointF(c.x() + a * 0.75, c.y() + a * 0.15), QPointF(c.x() + a * 0.75, c.y() - a * 0.85)
            self._arrow(painter, start if up else end, end if up else start, head=a * 0.4)
        else:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(p.accent))
            painter.drawEllipse(c, r * 0.18, r * 0.18)

    def _arrow(self, painter: QPainter, start: QPointF, end: QPointF, head: float | None = None) -> None:
        painter.drawLine(start, end)
        d = end - start
        length = max(1e-6, (d.x() ** 2 + d.y() ** 2) ** 0.5)
        self._head(painter, end, QPointF(d.x() / length, d.y() / length), head or length * 0.42)

    def _head(self, painter: QPainter, tip: QPointF, unit: QPointF, size: float) -> None:
        normal = QPointF(-unit.y(), unit.x())
        back = tip - unit * size
        painter.drawPolyline(QPolygonF([back + normal * size * 0.8, tip, back - normal * size * 0.8]))

    # The legend ---------------------------------------------------------------------------------------------------

    def _paint_legend(self, painter: QPainter, area: QRectF, m: MapModel) -> None:
        p = self._theme.palette
        font = QFont(self.font())
        font.setPixelSize(self._theme.px(0.62))
        painter.setFont(font)
        r = self._theme.px(0.2)
        x = area.left() + self._theme.px(0.4)
        y = area.center().y()
        self._dot(painter, QPointF(x, y), r)
        metrics = painter.fontMetrics()
        text_x = x + r * 3
        painter.setPen(QColor(p.muted))
        painter.drawText(QPointF(text_x, y + metrics.ascent() / 2 - 2), m.you_label)
        if m.target_label:
            x2 = text_x + metrics.horizontalAdvance(m.you_label) + self._theme.px(1.0)
            self._pin(painter, QPointF(x2, y + r * 2.2), r * 4.5, m.tone)
            painter.setPen(QColor(p.muted))
            room = int(area.right() - x2 - r * 3)
            text = metrics.elidedText(m.target_label, Qt.TextElideMode.ElideRight, max(0, room))
            painter.drawText(QPointF(x2 + r * 3, y + metrics.ascent() / 2 - 2), text)


class FloorMarker(QWidget):
    """A "where is it" panel: the map drawing, "<name> · Floor N · <direction>" and the venue's route text."""

    def __init__(self, theme: Theme | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self._theme = theme or Theme()
        self.target: tuple[str, str] | None = None
        """("gallery" or "facility", id) of what is shown; None when cleared."""
        styled(self, "panel")
        u = self._theme.px
        self.canvas = MapCanvas(self._theme)
        self.headline_label = label("", "marker")
        self.route_label = label("", "body")
        text = QVBoxLayout()
        text.setSpacing(u(0.3))
        text.addStretch(1)
        text.addWidget(self.headline_label)
        text.addWidget(self.route_label)
        text.addStretch(1)
        self._layout = QBoxLayout(QBoxLayout.Direction.TopToBottom, self)
        self._layout.setContentsMargins(u(0.8), u(0.7), u(0.8), u(0.8))
        self._layout.setSpacing(u(0.6))
        self._layout.addWidget(self.canvas)
        self._layout.addLayout(text, 1)
        self.clear()

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Map beside the words when the panel is wide (a portrait screen's full width), above them when narrow."""
        wide = event.size().width() >= self._theme.px(25)
        direction = QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom
        if self._layout.direction() != direction:
            self._layout.setDirection(direction)
            self.canvas.setSizePolicy(
                QSizePolicy.Policy.Fixed if wide else QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed
            )
        super().resizeEvent(event)

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self.canvas.set_theme(theme)

    def set_target_gallery(self, pack: Pack, gallery_id: str, lang: str) -> None:
        gallery = pack.venue.gallery(gallery_id)
        if gallery is None:
            self.clear()
            return
        name = pick(gallery.name, lang, pack)
        self._show(
            pack,
            lang,
            name,
            gallery.floor,
            gallery.direction,
            gallery_tone(pack, gallery.id),
            pick(gallery.route, lang, pack),
            _SIDES.get(gallery.wing or "") if gallery.wing else None,
        )
        self.target = ("gallery", gallery.id)

    def set_target_facility(self, pack: Pack, facility_id: str, lang: str) -> None:
        facility = pack.venue.facility(facility_id)
        if facility is None:
            self.clear()
            return
        tone = QColor(self._theme.palette.visitor)
        name = display(pick(facility.name, lang, pack))
        self._show(pack, lang, name, facility.floor, facility.direction, tone, pick(facility.where, lang, pack))
        self.target = ("facility", facility.id)

    def clear(self) -> None:
        self.target = None
        self.canvas.set_model(None)
        self.headline_label.setText("")
        self.route_label.setText("")
        self.canvas.hide()

    def _show(
        self,
        pack: Pack,
        lang: str,
        name: str,
        floor: int | None,
        direction: Direction,
        tone: QColor,
        route: str,
        side: float | None = None,
    ) -> None:
        venue = pack.venue
        floors = {g.floor for g in venue.galleries} | {f.floor for f in venue.facilities if f.floor is not None}
        model = MapModel(
            floors=floors_to_draw(floors, venue.kiosk_floor, floor),
            kiosk_floor=venue.kiosk_floor,
            target_floor=floor,
            direction=direction,
            tone=tone,
            you_label=t("you_are_here", lang),
            target_label=name,
            side=side,
        )
        self.canvas.set_model(model)
        self.canvas.show()
        parts = [name]
        if floor is not None:
            parts.append(t("floor", lang, n=floor))
        if direction != Direction.NONE:
            parts.append(direction_text(direction, lang))
        self.headline_label.setText(" · ".join(parts))
        self.route_label.setText(route)
        self.route_label.setVisible(bool(route))


__all__ = ["FloorMarker", "MapCanvas", "MapModel", "floors_to_draw"]
