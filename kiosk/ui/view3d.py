"""The guide in the kiosk window: a Qt widget that shows the Panda3D stage, stepped from Qt's main loop.

Qt owns the one main loop; the kiosk calls ``GuideView.step()`` from a timer (or uses ``start``/``stop``): the guide
poses itself on the real monotonic clock, then Panda3D renders one frame. Two ways to get that frame on screen:

* ``native``: a real Panda3D window embedded in the widget by its native handle (X11, Windows, macOS). The GPU
  draws straight to the screen; Qt does not paint the widget at all.
* ``offscreen``: Panda3D renders into an offscreen buffer (as ``kiosk avatar render`` does), the frame is copied
  to RAM, and the widget paints it scaled. On software OpenGL (Mesa llvmpipe) it renders at half size by default.
  The only way with Qt's ``offscreen`` platform (tests, screenshots), and the fallback when embedding fails.

``make_guide_view("auto")`` embeds where the Qt platform can (xcb, windows, cocoa), the window opens and OpenGL
runs on a GPU; else it renders offscreen and says why in ``fallback_reason`` (on software OpenGL, half-size
offscreen frames are faster than a full-size window: docs/benchmarks.md). On X11 the embedded window lets taps
through to Qt, as the offscreen view does. Both show the same stage, lights and shader as the offscreen renders in
docs/avatar.

A rendering error never reaches Qt's event loop: it is logged once, ``failure`` says what went wrong, the
``failed`` signal fires, rendering stops and the widget shows a calm still backdrop, so the kiosk goes on by text
and touch.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from typing import Any

import numpy as np
from panda3d.core import Camera, ClockObject, NodePath, PerspectiveLens
from PySide6.QtCore import QEvent, QRect, Qt, QTimer, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QColor,
    QGuiApplication,
    QImage,
    QLinearGradient,
    QPainter,
    QPaintEvent,
    QResizeEvent,
)
from PySide6.QtWidgets import QWidget

from kiosk.avatar.guide import Guide
from kiosk.avatar.package import AvatarSpec
from kiosk.avatar.render import showbase
from kiosk.avatar.stage import LANDSCAPE, PORTRAIT, SHADOW_SIZE, Framing, Stage
from kiosk.ui.surface3d import NativeSurface, OffscreenSurface, Surface, ViewError
from kiosk.voice.out import AudioOut

log = logging.getLogger("kiosk.ui.view3d")

MODES = ("auto", "native", "offscreen")
NATIVE_PLATFORMS = ("xcb", "windows", "cocoa")
"""Qt platforms whose widgets have a native window a Panda3D window can be embedded in."""
SOFTWARE_SCALE = 0.5
"""Offscreen render scale on software OpenGL, where every pixel costs CPU time."""
HISTORY = 240
STILL_TOP, STILL_BOTTOM = QColor(196, 206, 216), QColor(231, 223, 212)
"""The calm still shown when the guide cannot be: the stage's backdrop colours, on screen (sRGB)."""


class GuideView(QWidget):
    """The 3D guide on its stage, as a widget; make it with :func:`make_guide_view`."""

    failed = Signal(str)
    """Rendering stopped; the argument says why (the widget now shows a still backdrop)."""

    def __init__(self, parent: QWidget | None = None, render_scale: float | None = None) -> None:
        super().__init__(parent)
        if render_scale is not None and not 0.1 <= render_scale <= 1.0:
            raise ViewError(f"render scale {render_scale}: give a value from 0.1 to 1 (the share of the widget's size)")
        self.backend = "offscreen"
        """``native`` (a Panda3D window embedded in this widget) or ``offscreen`` (rendered to RAM, painted by Qt)."""
        self.fallback_reason: str | None = None
        """Why ``auto`` did not embed a native window, when it did not."""
        self.failure: str | None = None
        """Why rendering stopped, once it has (the ``failed`` signal carried the same line)."""
        self.render_scale = render_scale or 1.0
        """Offscreen only: the buffer's size as a share of the widget's (native windows are always full size)."""
        self._scale_given = render_scale is not None
        self.guide: Guide | None = None
        self.framing = "portrait"
        self.last_render_ms = 0.0
        self.frame_ms: deque[float] = deque(maxlen=HISTORY)
        """Wall time of each recent ``step``: posing the guide, rendering and (offscreen) reading the frame back."""
        self._stamps: deque[float] = deque(maxlen=HISTORY)
        self.base = showbase()
        self.scene = NodePath("view-scene")
        self.lens = PerspectiveLens()
        self.camera = self.scene.attachNewNode(Camera("view-camera", self.lens))
        self.stage = Stage(self.scene, self.camera)
        self._surface: Surface | None = None
        self._frame: tuple[QImage, np.ndarray] | None = None
        self._timer: QTimer | None = None
        self._closed = False
        self.setMinimumSize(16, 16)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)

    # -- opening ---------------------------------------------------------------------------------------------

    def open_native(self) -> None:
        """Embed a Panda3D window in this widget; raises ViewError when it cannot (the view is then unchanged)."""
        self.setAttribute(Qt.WidgetAttribute.WA_NativeWindow)
        handle = int(self.winId())
        width, height = self._pixels(1.0)
        surface = NativeSurface(self.base, self.camera, handle, width, height)
        self._replace(surface, "native")
        self.setAttribute(Qt.WidgetAttribute.WA_PaintOnScreen)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)

    def open_offscreen(self) -> None:
        surface = OffscreenSurface(self.base, self.camera, *self._pixels(self.render_scale))
        if not self._scale_given:
            self.render_scale = SOFTWARE_SCALE if surface.software else 1.0
            try:
                surface.resize(*self._pixels(self.render_scale))
            except Exception:
                surface.close()
                raise
        self._replace(surface, "offscreen")

    def _replace(self, surface: Surface, backend: str) -> None:
        if self._surface is not None:
            self._close_surface()
        self._surface = surface
        self.backend = backend
        self._frame = None
        log.info("3D view: %s, OpenGL renderer %s", backend, surface.renderer)

    @property
    def renderer(self) -> str:
        """The OpenGL renderer drawing the guide (e.g. "llvmpipe (LLVM 15.0.6, 256 bits)")."""
        return self._surface.renderer if self._surface is not None else ""

    @property
    def software(self) -> bool:
        """Whether that renderer draws on the CPU (Mesa llvmpipe and the like)."""
        return self._surface is not None and self._surface.software

    def _native_live(self) -> bool:
        return self.backend == "native" and self._surface is not None and self.failure is None

    def paintEngine(self) -> Any:
        # An embedded Panda3D window draws this widget's pixels; Qt must not paint over it.
        return None if self._native_live() else super().paintEngine()

    # -- the guide -------------------------------------------------------------------------------------------

    def load(self, spec: AvatarSpec, audio: AudioOut, reduced_motion: bool = False, seed: int = 7) -> Guide:
        """Put ``spec`` on the stage (replacing the guide shown), speaking through ``audio``; framed for the
        widget's shape (portrait when taller than wide)."""
        if self._closed:
            raise ViewError("this 3D view is closed; make a new one with make_guide_view")
        if self.guide is not None:
            self.guide.close()
            self.guide = None
        guide = Guide(spec, self.scene, audio, seed=seed, reduced_motion=reduced_motion)
        self.stage.height = guide.rig.height
        lo, _ = guide.rig.body.getTightBounds(self.scene)
        self.stage.front = max(0.0, -lo.y)
        self.guide = guide
        self._fit()
        if self._surface is not None and self.failure is None:
            # The first frames fill the shadow map; without them the first frame shown would have no shadows.
            try:
                _normal_clock()
                for _ in range(2):
                    self.base.taskMgr.step()
            except Exception as err:
                self._fail(f"the guide could not be drawn: {type(err).__name__}: {err}", err)
        return guide

    def set_reduced_motion(self, on: bool) -> None:
        """Calmer motion for the guide shown, for visitors sensitive to it (eases in over a second)."""
        if self.guide is not None:
            self.guide.set_reduced_motion(on)

    def step(self) -> None:
        """Pose the guide for now and render one frame. Never raises: a failure stops rendering (see ``failure``)."""
        if self._surface is None or self.failure is not None or self._closed:
            return
        started = time.perf_counter()
        try:
            _normal_clock()
            if self.guide is not None:
                self.guide.step(time.monotonic())
                self.guide.rig.refresh()
            surface = self._surface
            self.base.taskMgr.step()
            frame = surface.frame() if surface is self._surface else None
        except Exception as err:  # a lost GPU context, a broken model: the kiosk goes on without the guide
            self._fail(f"the guide could not be drawn: {type(err).__name__}: {err}", err)
            return
        if frame is not None:
            self._frame = frame
            self.update()
        now = time.perf_counter()
        self.last_render_ms = (now - started) * 1000.0
        self.frame_ms.append(self.last_render_ms)
        self._stamps.append(now)

    def fps(self) -> float:
        """Frames rendered per second over the last two seconds (0 before two frames)."""
        if len(self._stamps) < 2:
            return 0.0
        last = self._stamps[-1]
        recent = [s for s in self._stamps if s >= last - 2.0]
        if len(recent) < 2 or time.perf_counter() - last > 2.0:
            return 0.0
        return (len(recent) - 1) / (recent[-1] - recent[0])

    def grab_frame(self) -> QImage:
        """The guide as shown now: the last frame rendered (offscreen: at the render scale; native: read back from
        the window), or the still backdrop once rendering has failed."""
        if self.failure is not None or self._surface is None:
            return self._still(self.width(), self.height())
        if self._frame is None and self.backend == "offscreen":
            raise ViewError("no frame rendered yet: call step() first")
        try:
            return self._surface.grab()
        except ViewError:
            raise
        except Exception as err:
            raise ViewError(f"could not read the guide's frame back: {err}") from err

    # -- a timer of its own ----------------------------------------------------------------------------------

    def start(self, fps: float = 30.0) -> None:
        """Step on a timer owned by the view, ``fps`` times a second (the kiosk may drive ``step`` itself instead)."""
        if self._timer is None:
            self._timer = QTimer(self)
            self._timer.setTimerType(Qt.TimerType.PreciseTimer)
            self._timer.timeout.connect(self.step)
        self._timer.setInterval(max(1, round(1000.0 / max(1.0, fps))))
        self._timer.start()

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()

    def close(self) -> bool:
        """Stop rendering, release the guide and the window or buffer, and close the widget; safe to call twice."""
        self._release()
        return bool(super().close())

    def closeEvent(self, event: QCloseEvent) -> None:
        self._release()
        super().closeEvent(event)

    def _release(self) -> None:
        if not self._closed:
            self._closed = True
            self.stop()
            if self.guide is not None:
                self.guide.close()
                self.guide = None
            self._close_surface()
            self.scene.removeNode()
            self.setAttribute(Qt.WidgetAttribute.WA_PaintOnScreen, False)

    # -- failure ---------------------------------------------------------------------------------------------

    def _fail(self, reason: str, err: BaseException | None = None) -> None:
        if self.failure is not None:
            return
        self.failure = reason
        log.error("3D view stopped, showing a still backdrop: %s", reason, exc_info=err)
        self.stop()
        try:
            self._close_surface()
        except Exception:  # closing a broken window may fail too; nothing more to do about it
            log.debug("closing the broken 3D output failed", exc_info=True)
        self._frame = None
        self.setAttribute(Qt.WidgetAttribute.WA_PaintOnScreen, False)
        self.update()
        self.failed.emit(reason)

    # -- Qt --------------------------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        if self._native_live():
            return
        painter = QPainter(self)
        try:
            if self._frame is not None and self.failure is None:
                painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, self.render_scale < 1.0)
                painter.drawImage(self.rect(), self._frame[0])
            else:
                painter.drawImage(0, 0, self._still(self.width(), self.height()))
        finally:
            painter.end()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._surface is None or self.failure is not None:
            return
        self._fit()
        try:
            self._surface.resize(*self._pixels(1.0 if self.backend == "native" else self.render_scale))
        except Exception as err:
            self._fail(f"the guide could not be resized: {type(err).__name__}: {err}", err)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.WinIdChange and self._native_live():
            # Qt made a new native window for this widget (it moved to another top-level window): embed again.
            try:
                self.open_native()
            except Exception as err:
                self._fail(f"the guide's window could not follow the widget: {err}", err)
        return bool(super().event(event))

    # -- helpers ---------------------------------------------------------------------------------------------

    def _close_surface(self) -> None:
        """Remove the window or buffer, and the key light's shadow buffer Panda3D made for it (it would otherwise
        stay in the engine and be rendered every frame); a new surface gets a new one when it first renders."""
        surface, self._surface = self._surface, None
        key = self.stage.key.node()
        key.setShadowCaster(False)
        key.setShadowCaster(True, SHADOW_SIZE, SHADOW_SIZE)
        if surface is not None:
            surface.close()

    def _pixels(self, scale: float) -> tuple[int, int]:
        ratio = self.devicePixelRatioF() * scale
        return max(1, round(self.width() * ratio)), max(1, round(self.height() * ratio))

    def _fit(self) -> None:
        """Frame the guide for the widget's shape: portrait when taller than wide, else landscape."""
        width, height = max(1, self.width()), max(1, self.height())
        base = PORTRAIT if height > width else LANDSCAPE
        self.framing = base.name
        self.stage.frame(Framing(base.name, base.fov_v, width / height), self.lens)

    @staticmethod
    def _still(width: int, height: int) -> QImage:
        image = QImage(max(1, width), max(1, height), QImage.Format.Format_RGB32)
        painter = QPainter(image)
        gradient = QLinearGradient(0, 0, 0, image.height())
        gradient.setColorAt(0.0, STILL_TOP)
        gradient.setColorAt(1.0, STILL_BOTTOM)
        painter.fillRect(QRect(0, 0, image.width(), image.height()), gradient)
        painter.end()
        return image


def _normal_clock() -> None:
    """Panda3D's global clock on real time (the offscreen renderer slaves it to a sequence), never going back."""
    clock = ClockObject.getGlobalClock()
    if clock.getMode() != ClockObject.MNormal:
        clock.setMode(ClockObject.MNormal)
    if clock.getRealTime() < clock.getFrameTime():
        clock.setRealTime(clock.getFrameTime())


def make_guide_view(mode: str = "auto", parent: QWidget | None = None, render_scale: float | None = None) -> GuideView:
    """The guide's widget. ``auto``: an embedded native window where the Qt platform has native windows (xcb,
    windows, cocoa), the window opens and its OpenGL runs on a GPU; else offscreen rendering (on software OpenGL
    at half size, several times faster than a full-size window). ``native``: the embedded window whatever the
    OpenGL. When the window cannot open, both fall back to offscreen and ``fallback_reason`` says why (also
    logged). ``render_scale`` (0.1-1): the offscreen buffer's size relative to the widget (default 0.5 on software
    OpenGL, else 1). Where no OpenGL works at all, the view comes back already failed (``failure`` says why)."""
    if mode not in MODES:
        raise ViewError(f"3D view mode {mode!r}: use one of {', '.join(MODES)}")
    view = GuideView(parent, render_scale)
    if mode != "offscreen":
        platform = QGuiApplication.platformName()
        if platform not in NATIVE_PLATFORMS:
            view.fallback_reason = f"the Qt platform '{platform}' cannot embed a native window; rendering offscreen"
        else:
            try:
                view.open_native()
            except Exception as err:
                view.fallback_reason = f"could not embed Panda3D's window ({err}); rendering offscreen"
            else:
                if mode == "native" or not view.software:
                    return view
                # Every pixel costs CPU time: a full-size window is several times slower than half-size offscreen
                # frames scaled up (docs/benchmarks.md, "Guide view"), so auto takes the faster way. The window goes
                # first: while a GLX context is current, Mesa's EGL refuses the buffer's (EGL_BAD_ACCESS).
                view.fallback_reason = f"OpenGL here is software ({view.renderer}): rendering offscreen, smaller"
                view._close_surface()
            view.setAttribute(Qt.WidgetAttribute.WA_PaintOnScreen, False)
        (log.warning if mode == "native" else log.info)("3D view: %s", view.fallback_reason)
    try:
        view.open_offscreen()
    except Exception as err:  # no OpenGL at all: the kiosk still works by text and touch
        view._fail(f"no 3D rendering on this machine: {err}", err)
    return view


__all__ = ["MODES", "NATIVE_PLATFORMS", "GuideView", "ViewError", "make_guide_view"]
