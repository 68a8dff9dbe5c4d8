"""Where the 3D view's frames are drawn: a Panda3D window embedded in a widget's native window, or an offscreen
buffer copied to RAM for Qt to paint (see ``kiosk.ui.view3d``, the widget that uses these).

Both use the display's or Mesa's OpenGL through Panda3D with the same framebuffer (sRGB, 4x multisampling where
the driver has it) as ``kiosk avatar render``. The embedded window is made input-transparent on X11, so taps on
the guide reach Qt as they do offscreen; its frame is read back only on request, before the buffers swap.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import time
from typing import Any

import numpy as np
from panda3d.core import (
    FrameBufferProperties,
    GraphicsOutput,
    GraphicsPipe,
    GraphicsPipeSelection,
    LColor,
    NodePath,
    Notify,
    NSFatal,
    Texture,
    WindowProperties,
)
from PySide6.QtGui import QGuiApplication, QImage

from kiosk.avatar.render import RenderError, _pipe
from kiosk.errors import DocentError

log = logging.getLogger("kiosk.ui.view3d")

SOFTWARE_GL = ("llvmpipe", "softpipe", "swrast", "software rasterizer", "gdi generic")
"""OpenGL renderers that draw on the CPU (Mesa, Windows' fallback)."""
CLEAR = LColor(0.55, 0.58, 0.62, 1)


class ViewError(DocentError):
    code = "view3d"


def _framebuffer(alpha: bool) -> FrameBufferProperties:
    fb = FrameBufferProperties()
    fb.setRgbColor(True)
    fb.setRgbaBits(8, 8, 8, 8 if alpha else 0)
    fb.setDepthBits(24)
    fb.setSrgbColor(True)
    fb.setMultisamples(4)
    return fb


_display: list[Any] = []


def _display_pipe() -> Any:
    """The OpenGL pipe of this machine's display (GLX, WGL, Cocoa), which can open windows; one per process."""
    if not _display:
        pipe = GraphicsPipeSelection.getGlobalPtr().makeDefaultPipe()
        if pipe is None or not pipe.isValid() or not pipe.getSupportedTypes() & GraphicsPipe.OTWindow:
            raise ViewError(
                "Panda3D found no display it can open an OpenGL window on (is DISPLAY set? is Mesa installed?)"
            )
        _display.append(pipe)
    return _display[0]


def _x11_pass_input(window: int) -> None:
    """Let taps and clicks on an X window fall through to the widget under it (an empty X Shape input region), so
    Qt sees touches on the guide as it does in offscreen mode. Best effort: without libXext, the window keeps them."""
    try:
        x11 = ctypes.CDLL(ctypes.util.find_library("X11") or "libX11.so.6")
        xext = ctypes.CDLL(ctypes.util.find_library("Xext") or "libXext.so.6")
        x11.XOpenDisplay.restype = ctypes.c_void_p
        display = x11.XOpenDisplay(None)
        if not display:
            raise OSError("XOpenDisplay failed")
        event, error = ctypes.c_int(), ctypes.c_int()
        if not xext.XShapeQueryExtension(ctypes.c_void_p(display), ctypes.byref(event), ctypes.byref(error)):
            x11.XCloseDisplay(ctypes.c_void_p(display))
            raise OSError("the X server has no SHAPE extension")
        shape_input, shape_set = 2, 0
        xext.XShapeCombineRectangles(
            ctypes.c_void_p(display), ctypes.c_ulong(window), shape_input, 0, 0, None, 0, shape_set, 0
        )
        x11.XCloseDisplay(ctypes.c_void_p(display))  # flushes the request
    except (OSError, AttributeError) as err:
        log.warning(
            "touches on the guide will not reach the kiosk: could not make its window input-transparent: %s", err
        )


def _image(texture: Texture) -> tuple[QImage, np.ndarray]:
    """A texture's RAM image (Panda3D's BGR or BGRA rows, bottom row first) as a QImage and the pixels it uses."""
    channels = texture.getNumComponents()
    raw = np.frombuffer(texture.getRamImage(), dtype=np.uint8)
    w, h = texture.getXSize(), texture.getYSize()
    if channels not in (3, 4) or raw.size != w * h * channels:
        raise ViewError(f"unexpected frame format: {w}x{h} with {channels} channels")
    pixels = np.ascontiguousarray(raw.reshape(h, w, channels)[::-1])
    fmt = QImage.Format.Format_RGB32 if channels == 4 else QImage.Format.Format_BGR888
    return QImage(pixels.data, w, h, w * channels, fmt), pixels


class Surface:
    """Where Panda3D draws: a window in the widget or an offscreen buffer; ``camera`` looks through it."""

    def __init__(self, base: Any, output: Any, camera: NodePath) -> None:
        self.base = base
        self.output = output
        output.setClearColor(CLEAR)
        output.makeDisplayRegion().setCamera(camera)
        gsg = output.getGsg()
        self.renderer = str(gsg.getDriverRenderer()) if gsg is not None else "unknown"

    @property
    def software(self) -> bool:
        return any(name in self.renderer.lower() for name in SOFTWARE_GL)

    def resize(self, width: int, height: int) -> None:
        raise NotImplementedError

    def frame(self) -> tuple[QImage, np.ndarray] | None:
        """The frame just rendered, where it must be painted by Qt (offscreen); None where it is on screen."""
        return None

    def grab(self) -> QImage:
        raise NotImplementedError

    def close(self) -> None:
        self.base.graphicsEngine.removeWindow(self.output)


class NativeSurface(Surface):
    HUSHED_FRAMES = 3

    def __init__(self, base: Any, camera: NodePath, handle: int, width: int, height: int) -> None:
        props = WindowProperties()
        props.setParentWindow(handle)
        props.setOrigin(0, 0)
        props.setSize(width, height)
        props.setUndecorated(True)
        props.setForeground(False)
        flags = GraphicsPipe.BFRequireWindow | GraphicsPipe.BFFbPropsOptional
        engine = base.graphicsEngine
        # Panda3D focuses its X window when it is mapped, which fails (BadMatch) while the widget is still hidden:
        # harmless, so its X error lines are hushed for the first frames.
        self.category = Notify.ptr().getCategory(":display:x11display")
        self.severity = self.category.getSeverity()
        self.category.setSeverity(NSFatal)
        self.frames = 0
        try:
            pipe = _display_pipe()
            output = engine.makeOutput(pipe, f"docent-view-{handle}", 0, _framebuffer(False), props, flags)
            if output is None:
                raise ViewError("Panda3D could not open an OpenGL window inside the kiosk window")
            if not output.isValid():
                engine.removeWindow(output)
                raise ViewError("Panda3D opened a window inside the kiosk window but could not draw in it (no OpenGL)")
        except Exception:
            self.category.setSeverity(self.severity)
            raise
        # Read back only on request, after drawing and before the buffers swap (a window's front buffer may not
        # hold what is on screen).
        self.copy = Texture("grab")
        output.addRenderTexture(self.copy, GraphicsOutput.RTMTriggeredCopyRam)
        super().__init__(base, output, camera)
        if QGuiApplication.platformName() == "xcb":
            _x11_pass_input(int(output.getWindowHandle().getIntHandle()))

    def frame(self) -> tuple[QImage, np.ndarray] | None:
        self.frames += 1
        if self.frames == self.HUSHED_FRAMES:
            self.category.setSeverity(self.severity)
        return None

    def resize(self, width: int, height: int) -> None:
        self.output.requestProperties(WindowProperties.size(width, height))

    def close(self) -> None:
        self.category.setSeverity(NSFatal)
        try:
            super().close()
            # Finish closing now (Panda3D releases the window's OpenGL context in the next frame): Mesa's EGL
            # refuses to make a context current while a GLX one is (EGL_BAD_ACCESS), as an offscreen buffer must.
            self.base.graphicsEngine.renderFrame()
        except Exception:  # a broken context may fail to close cleanly; the window is gone either way
            log.debug("closing the embedded window", exc_info=True)
        finally:
            self.category.setSeverity(self.severity)

    def grab(self) -> QImage:
        # Panda3D skips drawing while a resize of the window is on its way through the X server: try a few frames.
        for _ in range(20):
            before = self.copy.getImageModified().getSeq()
            self.output.triggerCopy()
            self.base.graphicsEngine.renderFrame()
            size = (self.output.getXSize(), self.output.getYSize())
            if self.copy.getImageModified().getSeq() != before and size == (self.copy.getXSize(), self.copy.getYSize()):
                return _image(self.copy)[0].copy()
            time.sleep(0.005)
        raise ViewError("the embedded window gave no image back")


class OffscreenSurface(Surface):
    def __init__(self, base: Any, camera: NodePath, width: int, height: int) -> None:
        # Mesa's EGL headless where it works, as the offscreen renderer uses, else the display's OpenGL.
        try:
            self.pipe = _pipe(base)
        except RenderError:
            self.pipe = _display_pipe()
        self.camera = camera
        self.texture = Texture("view")
        self.engine = base.graphicsEngine
        super().__init__(base, self._open(width, height, None), camera)

    def _open(self, width: int, height: int, gsg: Any) -> Any:
        props = WindowProperties.size(width, height)
        engine = self.engine
        output = None
        for resizeable in (GraphicsPipe.BFResizeable, 0):
            flags = GraphicsPipe.BFRefuseWindow | GraphicsPipe.BFFbPropsOptional | resizeable
            output = engine.makeOutput(self.pipe, "docent-view-offscreen", -2, _framebuffer(True), props, flags, gsg)
            if output is not None:
                break
        if output is None:
            raise ViewError("Panda3D could not open an offscreen buffer; is OpenGL (e.g. Mesa) installed?")
        output.addRenderTexture(self.texture, GraphicsOutput.RTMCopyRam)
        return output

    def resize(self, width: int, height: int) -> None:
        try:
            self.output.setSize(width, height)
        except AssertionError:  # a buffer this driver cannot resize: a new one, sharing the loaded scene
            old = self.output
            self.output = self._open(width, height, old.getGsg())
            self.output.setClearColor(CLEAR)
            self.output.makeDisplayRegion().setCamera(self.camera)
            self.engine.removeWindow(old)

    def frame(self) -> tuple[QImage, np.ndarray] | None:
        if not self.texture.hasRamImage():
            raise ViewError("the offscreen buffer produced no image")
        return _image(self.texture)

    def grab(self) -> QImage:
        found = self.frame()
        if found is None:
            raise ViewError("no frame rendered yet: call step() first")
        return found[0].copy()


__all__ = ["CLEAR", "SOFTWARE_GL", "NativeSurface", "OffscreenSurface", "Surface", "ViewError"]
