"""Offscreen rendering: the guide on its stage into an image buffer, frame by frame, on a stepped clock.

This is how to look at the guide without a screen (``kiosk avatar render``) and what the avatar tests and the
frame-rate benchmark drive. Panda3D renders into an offscreen buffer (Mesa's software OpenGL works); the global
clock is slaved to the sequence's time, so clips, blinks and lips land on the same frame every run, and each frame
is copied to RAM as an RGB array. Images are written as PNG through Panda3D, so no imaging library is needed.
"""

from __future__ import annotations

import builtins
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from panda3d.core import (
    Camera,
    ClockObject,
    FrameBufferProperties,
    GraphicsOutput,
    GraphicsPipe,
    LColor,
    LPoint2f,
    LPoint3f,
    NodePath,
    PerspectiveLens,
    Texture,
    WindowProperties,
    loadPrcFileData,
)

from kiosk.avatar.audio import SteppedAudioOut
from kiosk.avatar.behaviour import Pose
from kiosk.avatar.guide import Guide
from kiosk.avatar.package import AvatarSpec
from kiosk.avatar.stage import FRAMINGS, Stage, framing
from kiosk.errors import DocentError

FACE = "face"


class RenderError(DocentError):
    code = "render"


def showbase() -> Any:
    """Panda3D's one ShowBase for this process, without a window (each renderer opens its own buffer)."""
    existing = getattr(builtins, "base", None)
    if existing is not None:
        return existing
    loadPrcFileData(
        "docent-offscreen",
        "audio-library-name null\nsync-video false\nframebuffer-srgb true\nnotify-level-display error\n"
        "notify-level-device fatal\nnotify-level-glgsg error\n",
    )
    from direct.showbase.ShowBase import ShowBase

    try:
        return ShowBase(windowType="none")
    except Exception as err:
        raise RenderError(f"Panda3D could not start its renderer: {err}") from err


def _pipe(base: Any) -> Any:
    """The default OpenGL pipe when it works (a display is there), else EGL headless (Mesa works without X)."""
    pipe = base.pipe
    if pipe is None or not pipe.isValid():
        from panda3d.core import GraphicsPipeSelection

        selection = GraphicsPipeSelection.getGlobalPtr()
        selection.loadAuxModules()
        pipe = selection.makeModulePipe("p3headlessgl")
        if pipe is None or not pipe.isValid():
            raise RenderError("no OpenGL pipe: neither a display nor EGL headless rendering is available")
        base.pipe = pipe
    return pipe


@dataclass(frozen=True)
class Shot:
    width: int = 540
    height: int = 960
    framing: str = "portrait"
    """portrait, landscape, or face (a close-up of the head, for checking the mouth and eyes)."""
    multisamples: int = 4


class OffscreenRenderer:
    """One offscreen buffer with its own scene: stage, lights, camera and (once ``load``-ed) the guide."""

    def __init__(self, shot: Shot) -> None:
        base = showbase()
        self.base = base
        self.shot = shot
        fb = FrameBufferProperties()
        fb.setRgbColor(True)
        fb.setRgbaBits(8, 8, 8, 8)
        fb.setDepthBits(24)
        fb.setSrgbColor(True)
        fb.setMultisamples(shot.multisamples)
        props = WindowProperties.size(shot.width, shot.height)
        pipe = _pipe(base)
        self.buffer = base.graphicsEngine.makeOutput(
            pipe, f"docent-offscreen-{id(self)}", -2, fb, props, GraphicsPipe.BFRefuseWindow
        )
        if self.buffer is None:
            raise RenderError("Panda3D could not open an offscreen buffer; is OpenGL (e.g. Mesa) installed?")
        self.buffer.setClearColor(LColor(0.55, 0.58, 0.62, 1))
        self.texture = Texture("frame")
        self.buffer.addRenderTexture(self.texture, GraphicsOutput.RTMCopyRam)
        self.scene = NodePath("scene")
        self.lens = PerspectiveLens()
        self.camera = self.scene.attachNewNode(Camera("camera", self.lens))
        region = self.buffer.makeDisplayRegion()
        region.setCamera(self.camera)
        self.stage = Stage(self.scene, self.camera)
        self.guide: Guide | None = None
        self.audio = SteppedAudioOut()
        self.clock = ClockObject.getGlobalClock()
        self.clock.setMode(ClockObject.MSlave)
        self._offset = 0.0

    def load(self, spec: AvatarSpec, seed: int = 7) -> Guide:
        if self.guide is not None:
            self.guide.close()
        self.guide = Guide(spec, self.scene, self.audio, seed=seed)
        self.stage.height = self.guide.rig.height
        lo, _ = self.guide.rig.body.getTightBounds(self.scene)
        self.stage.front = max(0.0, -lo.y)
        self.frame()
        # The first frames fill the shadow map; without them the first image would have no shadows.
        for _ in range(2):
            self.base.taskMgr.step()
        return self.guide

    def frame(self) -> None:
        """Aim the camera for the shot's framing at the loaded guide."""
        aspect = self.shot.width / self.shot.height
        if self.shot.framing == FACE and self.guide is not None:
            head = self.guide.rig.joint_position("head")
            h = self.guide.rig.height
            z = (head.z if head is not None else h * 0.86) + h * 0.045
            self.lens.setFov(math.degrees(2 * math.atan(math.tan(math.radians(8)) * aspect)), 16.0)
            self.lens.setNearFar(min(0.05, h * 0.02), max(30.0, h * 20))
            distance = h * 0.085 / math.tan(math.radians(8))
            self.camera.setPos(0, -distance, z)
            self.camera.lookAt(LPoint3f(0, 0, z))
            return
        f = framing(self.shot.framing if self.shot.framing in FRAMINGS else "portrait")
        self.stage.frame(type(f)(f.name, f.fov_v, aspect), self.lens)

    def render(self, t: float) -> np.ndarray:
        """Pose the guide for time ``t`` and render; the frame as an (height, width, 3) uint8 array."""
        self._tick(t)
        if self.guide is not None:
            self.guide.step(t)
            self.guide.rig.refresh()
        self.base.taskMgr.step()
        return self.pixels()

    def _tick(self, t: float | None) -> None:
        """Set Panda3D's clock for a frame at sequence time ``t`` (None: a still). Panda3D animates vertices once per
        new frame time and the clock is shared by every renderer, so frame times only ever move forward: a new
        sequence, or a still, continues after the last frame rendered (clips see the same offsets within a run)."""
        last = self.clock.getFrameTime()
        if t is None:
            self.clock.setFrameTime(last + 1.0)
            return
        if self._offset + t <= last:
            self._offset = last + 1.0 - t
        self.clock.setFrameTime(self._offset + t)

    def render_pose(self, pose: Pose) -> np.ndarray:
        """Render one exact pose (no behaviour, no lips): how tests look at a single mouth shape or gesture."""
        if self.guide is None:
            raise RenderError("load an avatar first")
        self._tick(None)
        self.guide.rig.apply(pose)
        self.guide.rig.refresh()
        self.base.taskMgr.step()
        return self.pixels()

    def pixels(self) -> np.ndarray:
        data = self.texture.getRamImageAs("RGB")
        if not data:
            raise RenderError("the offscreen buffer produced no image")
        image = np.frombuffer(bytes(data), dtype=np.uint8).reshape(self.texture.getYSize(), self.texture.getXSize(), 3)
        return image[::-1].copy()

    def project(self, point: LPoint3f) -> tuple[float, float] | None:
        """Pixel (x, y from the top-left) of a point in the scene, or None when it is off screen."""
        local = self.camera.getRelativePoint(self.scene, point)
        flat = LPoint2f()
        if not self.lens.project(local, flat):
            return None
        return ((flat.x + 1) / 2 * self.shot.width, (1 - flat.y) / 2 * self.shot.height)

    def close(self) -> None:
        if self.guide is not None:
            self.guide.close()
            self.guide = None
        self.stage.key.node().setShadowCaster(False)  # else its shadow buffer stays in the engine, rendered on
        self.base.graphicsEngine.removeWindow(self.buffer)
        self.clock.setMode(ClockObject.MNormal)


def changed(a: np.ndarray, b: np.ndarray, threshold: int = 24) -> np.ndarray:
    """Mask of the pixels that differ visibly between two frames."""
    return np.asarray(np.abs(a.astype(np.int16) - b.astype(np.int16)).max(axis=2) > threshold)


def darkened(before: np.ndarray, after: np.ndarray, by: int = 40) -> np.ndarray:
    """Mask of the pixels that became clearly darker (an opening mouth shows its dark inside)."""
    return np.asarray(before.astype(np.int16).mean(axis=2) - after.astype(np.int16).mean(axis=2) > by)


def region(mask: np.ndarray) -> tuple[int, int, int, int] | None:
    """Bounding box (top, bottom, left, right; end-exclusive) of a mask's set pixels, or None when empty."""
    ys, xs = np.nonzero(mask)
    if len(ys) == 0:
        return None
    return int(ys.min()), int(ys.max()) + 1, int(xs.min()), int(xs.max()) + 1


def write_png(image: np.ndarray, path: Path) -> None:
    """Write an (h, w, 3) uint8 array as PNG."""
    from panda3d.core import Filename

    h, w, _ = image.shape
    tex = Texture("png")
    tex.setup2dTexture(w, h, Texture.TUnsignedByte, Texture.FRgb)
    tex.setRamImageAs(np.ascontiguousarray(image[::-1]).tobytes(), "RGB")
    path.parent.mkdir(parents=True, exist_ok=True)
    if not tex.write(Filename.fromOsSpecific(str(path))):
        raise RenderError(f"could not write {path}")


def contact_sheet(images: list[np.ndarray], columns: int, shrink: int = 3, gap: int = 6) -> np.ndarray:
    """Thumbnails (each ``shrink`` times smaller, box-filtered) in a grid on a light background."""
    if not images:
        raise RenderError("no frames to put on a contact sheet")
    thumbs = []
    for image in images:
        h, w, _ = image.shape
        h2, w2 = h // shrink, w // shrink
        small = image[: h2 * shrink, : w2 * shrink].reshape(h2, shrink, w2, shrink, 3).mean(axis=(1, 3))
        thumbs.append(small.astype(np.uint8))
    th, tw, _ = thumbs[0].shape
    rows = math.ceil(len(thumbs) / columns)
    sheet = np.full((rows * th + (rows + 1) * gap, columns * tw + (columns + 1) * gap, 3), 238, dtype=np.uint8)
    for i, thumb in enumerate(thumbs):
        r, c = divmod(i, columns)
        y, x = gap + r * (th + gap), gap + c * (tw + gap)
        sheet[y : y + th, x : x + tw] = thumb
    return sheet


__all__ = [
    "FACE",
    "OffscreenRenderer",
    "RenderError",
    "Shot",
    "changed",
    "contact_sheet",
    "darkened",
    "region",
    "showbase",
    "write_png",
]
