"""The stage the guide stands on: backdrop, floor, soft three-point lighting with a shadow, and camera framings.

The backdrop is a gradient card (warm at the floor, cooler above) with a soft light pool behind the guide, so the
guide stands out on any kiosk screen without a distracting set. Lighting is the portrait photographer's three
points: a warm key from the guide's right casting a soft shadow, a cool fill from the other side at a third of
its strength, and a rim light from behind that separates hair and shoulders from the backdrop.
Framings: ``portrait`` (1080x1920 kiosk: from mid-thigh up) and ``landscape`` (the guide on the left third,
room for cards on the right).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from panda3d.core import (
    AmbientLight,
    DirectionalLight,
    GeomNode,
    GeomTriangles,
    GeomVertexData,
    GeomVertexFormat,
    GeomVertexWriter,
    LColor,
    LPoint3f,
    Material,
    NodePath,
    PerspectiveLens,
)
from panda3d.core import Geom as PandaGeom

from kiosk.avatar.shading import apply_shader, unlit

FRAMINGS = ("portrait", "landscape")
SHADOW_SIZE = 1024


@dataclass(frozen=True)
class Framing:
    name: str
    fov_v: float
    """Vertical field of view in degrees."""
    aspect: float
    """Width over height."""


PORTRAIT = Framing("portrait", 26.0, 1080 / 1920)
LANDSCAPE = Framing("landscape", 30.0, 1920 / 1080)


def _gradient_card(name: str, width: float, height: float, bottom: LColor, top: LColor, rows: int = 8) -> NodePath:
    vdata = GeomVertexData(name, GeomVertexFormat.getV3c4(), PandaGeom.UHStatic)
    vertex = GeomVertexWriter(vdata, "vertex")
    color = GeomVertexWriter(vdata, "color")
    cols = 12
    for i in range(rows + 1):
        v = i / rows
        for j in range(cols + 1):
            u = j / cols
            # A soft pool of light behind the guide: brighter near the centre, a little above the floor.
            glow = math.exp(-(((u - 0.5) / 0.32) ** 2) - ((v - 0.42) / 0.45) ** 2) * 0.10
            c = bottom * (1 - v) + top * v
            vertex.addData3(-width / 2 + u * width, 0.0, v * height)
            color.addData4(min(1.0, c[0] + glow), min(1.0, c[1] + glow), min(1.0, c[2] + glow * 0.9), 1.0)
    tris = GeomTriangles(PandaGeom.UHStatic)
    for i in range(rows):
        for j in range(cols):
            a = i * (cols + 1) + j
            b, c, d = a + 1, a + cols + 1, a + cols + 2
            tris.addVertices(a, b, d)
            tris.addVertices(a, d, c)
    geom = PandaGeom(vdata)
    geom.addPrimitive(tris)
    node = GeomNode(name)
    node.addGeom(geom)
    return NodePath(node)


class Stage:
    """Builds the set under ``render`` and frames ``camera`` on a guide ``height`` metres tall."""

    def __init__(self, render: NodePath, camera: NodePath, height: float = 1.68) -> None:
        self.render = render
        self.camera = camera
        self.height = height
        self.front = 0.15
        """How far the guide reaches toward the camera (a big head or belly must not touch the frame)."""
        self.root = render.attachNewNode("stage")
        backdrop = _gradient_card("backdrop", 9.0, 5.0, LColor(0.80, 0.74, 0.66, 1), LColor(0.56, 0.62, 0.68, 1))
        backdrop.reparentTo(self.root)
        backdrop.setPos(0, 2.6, -0.4)
        unlit(backdrop)
        floor = _gradient_card("floor", 9.0, 4.0, LColor(0.62, 0.56, 0.50, 1), LColor(0.70, 0.64, 0.57, 1), rows=4)
        floor.reparentTo(self.root)
        floor.setP(-90)
        floor.setPos(0, -1.5, 0.0)
        self._lights()

    def _lights(self) -> None:
        key = DirectionalLight("key")
        key.setColor(LColor(1.05, 0.96, 0.86, 1))
        key.setShadowCaster(True, SHADOW_SIZE, SHADOW_SIZE)
        key.getLens().setFilmSize(2.4, 2.6)
        key.getLens().setNearFar(0.5, 8.0)
        self.key = self.root.attachNewNode(key)
        self.key.setPos(-1.8, -2.6, 3.2)
        self.key.lookAt(LPoint3f(0, 0, 1.0))
        fill = DirectionalLight("fill")
        fill.setColor(LColor(0.30, 0.34, 0.42, 1))
        self.fill = self.root.attachNewNode(fill)
        self.fill.setHpr(-35, -12, 0)
        rim = DirectionalLight("rim")
        rim.setColor(LColor(0.55, 0.55, 0.60, 1))
        self.rim = self.root.attachNewNode(rim)
        self.rim.setHpr(160, -25, 0)
        ambient = AmbientLight("ambient")
        ambient.setColor(LColor(0.30, 0.29, 0.30, 1))
        self.ambient = self.root.attachNewNode(ambient)
        for light in (self.key, self.fill, self.rim, self.ambient):
            self.render.setLight(light)
        apply_shader(self.render, SHADOW_SIZE)
        plain = Material("plain")
        plain.setBaseColor(LColor(1, 1, 1, 1))
        plain.setRoughness(0.85)
        self.root.setMaterial(plain)

    def frame(self, framing: Framing, lens: PerspectiveLens) -> None:
        """Point the camera so the guide fills the frame from mid-thigh up (portrait) or sits left (landscape)."""
        fov_h = math.degrees(2 * math.atan(math.tan(math.radians(framing.fov_v / 2)) * framing.aspect))
        lens.setFov(fov_h, framing.fov_v)
        h = self.height
        lens.setNearFar(min(0.1, h * 0.02), max(30.0, h * 20))
        top, bottom = h * 1.06, h * 0.40
        centre = (top + bottom) / 2
        distance = (top - bottom) / 2 / math.tan(math.radians(framing.fov_v / 2)) + self.front
        if framing.name == "landscape":
            half_w = distance * math.tan(math.radians(framing.fov_v / 2)) * framing.aspect
            self.camera.setPos(half_w * 0.42, -distance, centre + 0.02)
            self.camera.lookAt(LPoint3f(half_w * 0.42, 0, centre - 0.02))
        else:
            self.camera.setPos(0, -distance, centre + 0.04)
            self.camera.lookAt(LPoint3f(0, 0, centre - 0.02))


def framing(name: str) -> Framing:
    return PORTRAIT if name == "portrait" else LANDSCAPE


__all__ = ["FRAMINGS", "LANDSCAPE", "PORTRAIT", "Framing", "Stage", "framing"]
