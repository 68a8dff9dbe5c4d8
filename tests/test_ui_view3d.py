"""The guide's widget in the kiosk window, for real: Panda3D rendering into Qt, judged on the pixels Qt shows.

Offscreen rendering runs here in Qt's ``offscreen`` platform. The embedded native window needs an X server: the
test starts a private Xvfb (unless DISPLAY is set) and runs a child process on Qt's xcb platform, because a
process has one Qt platform.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import json
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from panda3d.core import NodePath
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from benchmarks.bench_embed import virtual_display
from kiosk.avatar.guide import Guide
from kiosk.avatar.package import AvatarSpec, load_avatar
from kiosk.content import Pack, load_pack
from kiosk.events import SessionStarted
from kiosk.ops.paths import demo_pack_path
from kiosk.ui.view3d import GuideView, ViewError, make_guide_view
from kiosk.voice.out import AudioOut, SilentAudioOut

ROOT = Path(__file__).parent.parent


def guide_spec(pack: Pack) -> AvatarSpec:
    ref = pack.avatar_ref()
    assert ref is not None, "the demo pack has its guide"
    return load_avatar(ref.folder)


@pytest.fixture(scope="module")
def spec(demo_pack: Pack) -> AvatarSpec:
    return guide_spec(demo_pack)


def pixels(image: QImage) -> np.ndarray:
    """A QImage as an (height, width, 3) uint8 RGB array (a copy: the converted image is freed on return)."""
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    h, w, stride = image.height(), image.width(), image.bytesPerLine()
    rows = np.frombuffer(image.constBits(), dtype=np.uint8, count=h * stride).reshape(h, stride)
    return rows[:, : w * 3].reshape(h, w, 3).copy()


def jacket(image: np.ndarray) -> np.ndarray:
    """Mask of the guide's navy jacket: clearly blue, and dark (the backdrop is a light warm grey)."""
    rgb = image.astype(np.int16)
    return np.asarray((rgb[..., 2] - rgb[..., 0] > 40) & (rgb.mean(axis=2) < 150))


def centre(image: np.ndarray) -> np.ndarray:
    h, w, _ = image.shape
    return image[int(h * 0.35) : int(h * 0.75), int(w * 0.3) : int(w * 0.7)]


def shown(view: GuideView, frames: int = 2) -> np.ndarray:
    for _ in range(frames):
        view.step()
    view.repaint()
    return pixels(view.grab().toImage())


def test_offscreen_view_shows_the_guide_and_reframes_for_landscape(qtbot: QtBot, spec: AvatarSpec) -> None:
    view = make_guide_view("auto")
    qtbot.addWidget(view)
    assert view.backend == "offscreen"
    assert view.fallback_reason is not None and "offscreen" in view.fallback_reason
    assert view.render_scale == (0.5 if view.software else 1.0), "half-size frames on software OpenGL"
    view.resize(240, 400)
    view.show()
    view.load(spec, SilentAudioOut())
    assert view.framing == "portrait"
    with_guide = shown(view)
    assert with_guide.shape == (400, 240, 3)
    assert jacket(centre(with_guide)).mean() > 0.25, "the middle of the widget shows the guide's jacket"
    frame = view.grab_frame()
    assert (frame.width(), frame.height()) == (round(240 * view.render_scale), round(400 * view.render_scale))

    assert view.guide is not None
    view.guide.rig.body.hide()
    backdrop = shown(view)
    assert jacket(backdrop).mean() < 0.002 and backdrop.mean() > 170, "without the guide: the light backdrop"
    moved = np.abs(with_guide.astype(np.int16) - backdrop.astype(np.int16)).max(axis=2) > 30
    assert moved[:, 120:].sum() > 0.3 * moved.sum(), "the guide stands in the middle in portrait"
    assert moved.mean() > 0.2

    view.guide.rig.body.show()
    view.resize(400, 240)
    assert view.framing == "landscape"
    landscape = shown(view)
    assert landscape.shape == (240, 400, 3)
    view.guide.rig.body.hide()
    empty = shown(view)
    xs = np.nonzero(np.abs(landscape.astype(np.int16) - empty.astype(np.int16)).max(axis=2) > 30)[1]
    assert len(xs) > 0.05 * 400 * 240, "the guide is in the landscape frame"
    assert xs.mean() < 0.45 * 400, "landscape puts the guide left, leaving room for cards on the right"
    assert view.fps() > 0 and view.last_render_ms > 0 and len(view.frame_ms) >= 6


def test_the_view_steps_itself_on_its_timer_and_passes_reduced_motion_on(qtbot: QtBot, spec: AvatarSpec) -> None:
    view = make_guide_view("offscreen", render_scale=0.25)
    qtbot.addWidget(view)
    assert view.fallback_reason is None and view.render_scale == 0.25
    view.resize(120, 200)
    view.show()
    guide = view.load(spec, SilentAudioOut(), reduced_motion=True)
    assert guide.behaviour.reduced_motion
    view.set_reduced_motion(False)
    assert not guide.behaviour.reduced_motion
    guide.post(SessionStarted("en"))
    view.start(60)
    qtbot.waitUntil(lambda: len(view.frame_ms) >= 6, timeout=5000)
    view.stop()
    assert guide.behaviour.state.value == "greet", "events posted to the guide reach it through step()"
    count = len(view.frame_ms)
    qtbot.wait(50)
    assert len(view.frame_ms) == count, "stop() stops the timer"
    view.close()
    view.step()  # closed: nothing happens, nothing raises
    with pytest.raises(ViewError, match="closed"):
        view.load(spec, SilentAudioOut())


class StumblingGuide(Guide):
    """A guide whose frame fails, as a lost OpenGL context or a broken model would."""

    def __init__(self, spec: AvatarSpec, parent: NodePath, audio: AudioOut) -> None:
        super().__init__(spec, parent, audio)
        self.steps = 0

    def step(self, now: float) -> object:  # type: ignore[override]
        self.steps += 1
        raise RuntimeError("the graphics driver went away")


def test_a_render_failure_shows_a_calm_still_and_signals_once(
    qtbot: QtBot, spec: AvatarSpec, caplog: pytest.LogCaptureFixture
) -> None:
    view = make_guide_view("offscreen")
    qtbot.addWidget(view)
    view.resize(160, 240)
    view.show()
    view.load(spec, SilentAudioOut()).close()
    broken = StumblingGuide(spec, view.scene, SilentAudioOut())
    view.guide = broken
    with caplog.at_level(logging.ERROR, logger="kiosk.ui.view3d"), qtbot.waitSignal(view.failed, timeout=3000) as sig:
        view.start(60)  # from Qt's event loop: pytest-qt fails the test if anything escapes into it
    assert sig.args is not None and "the graphics driver went away" in sig.args[0]
    assert view.failure == sig.args[0]
    for _ in range(3):
        view.step()
    qtbot.wait(50)
    assert broken.steps == 1, "rendering stops after the failure"
    assert len([r for r in caplog.records if r.name == "kiosk.ui.view3d"]) == 1, "logged once"
    still = pixels(view.grab().toImage())
    assert jacket(still).mean() == 0 and still.mean() > 150, "a calm light backdrop, no guide"
    assert float(np.abs(np.diff(still.astype(np.int16), axis=1)).max()) <= 2, "a plain gradient, nothing moving"
    frame = view.grab_frame()
    assert (frame.width(), frame.height()) == (160, 240)
    view.resize(200, 240)  # still calm after a resize, no exception
    view.set_reduced_motion(True)


def test_an_unknown_mode_is_refused_with_the_choices(qtbot: QtBot) -> None:
    with pytest.raises(ViewError, match="auto, native, offscreen"):
        make_guide_view("fancy")


# -- the embedded window, under X11 ---------------------------------------------------------------------------


def native_child() -> None:
    """Run in a child process on Qt's xcb platform: embed, step, grab, click; print what happened as JSON."""
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    view = make_guide_view("native")
    view.resize(240, 400)
    view.show()
    clicks: list[str] = []

    class Clicks(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.MouseButtonPress and watched is view:
                clicks.append("view")
            return False

    watcher = Clicks()
    app.installEventFilter(watcher)
    guide = view.load(guide_spec(load_pack(demo_pack_path())), SilentAudioOut())

    def pump(frames: int) -> None:
        for _ in range(frames):
            view.step()
            app.processEvents()
            time.sleep(0.01)

    pump(4)
    portrait = pixels(view.grab_frame())
    guide.rig.body.hide()
    pump(2)
    empty = pixels(view.grab_frame())
    guide.rig.body.show()
    clicked = _click(view.mapToGlobal(view.rect().center()).toTuple())
    pump(4)
    view.resize(400, 240)
    pump(3)
    landscape = view.grab_frame()
    moved = np.abs(portrait.astype(np.int16) - empty.astype(np.int16)).max(axis=2) > 30
    report = {
        "platform": app.platformName(),
        "backend": view.backend,
        "fallback_reason": view.fallback_reason,
        "failure": view.failure,
        "renderer": view.renderer,
        "size": portrait.shape[:2],
        "jacket_in_centre": float(jacket(centre(portrait)).mean()),
        "jacket_without_guide": float(jacket(empty).mean()),
        "guide_area": float(moved.mean()),
        "landscape": [view.framing, landscape.width(), landscape.height()],
        "clicked": None if clicked is None else bool(clicks),
        "median_ms": float(np.median(list(view.frame_ms))),
    }
    view.close()
    auto = make_guide_view("auto")
    report["auto"] = [auto.backend, auto.fallback_reason, auto.software]
    auto.close()
    print(json.dumps(report))


def _click(at: tuple[int, int]) -> bool | None:
    """Click at a screen position through XTest; None where libXtst is not installed."""
    name = ctypes.util.find_library("Xtst")
    if name is None:
        return None
    x11, xtst = ctypes.CDLL(ctypes.util.find_library("X11") or "libX11.so.6"), ctypes.CDLL(name)
    x11.XOpenDisplay.restype = ctypes.c_void_p
    display = ctypes.c_void_p(x11.XOpenDisplay(None))
    xtst.XTestFakeMotionEvent(display, -1, at[0], at[1], 0)
    xtst.XTestFakeButtonEvent(display, 1, True, 0)
    xtst.XTestFakeButtonEvent(display, 1, False, 0)
    x11.XCloseDisplay(display)
    return True


def test_the_guide_embeds_as_a_native_window_under_x11() -> None:
    with virtual_display() as display:
        env = dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb")
        child = subprocess.run(
            [sys.executable, "-c", "from tests.test_ui_view3d import native_child; native_child()"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=90,
        )
    assert child.returncode == 0, child.stderr[-3000:]
    report = json.loads(child.stdout.strip().splitlines()[-1])
    assert report["platform"] == "xcb"
    assert report["backend"] == "native", report["fallback_reason"]
    assert report["failure"] is None
    assert report["size"] == [400, 240], "the embedded window is the widget's size"
    assert report["jacket_in_centre"] > 0.25, "the embedded window shows the guide"
    assert report["jacket_without_guide"] < 0.002 and report["guide_area"] > 0.2
    assert report["landscape"] == ["landscape", 400, 240], "the window follows the widget's size and reframes"
    backend, reason, software = report["auto"]
    if software:
        assert backend == "offscreen" and "software" in reason, "auto: half-size offscreen beats a window on the CPU"
    else:
        assert backend == "native" and reason is None
    if report["clicked"] is not None:
        assert report["clicked"], "a tap on the guide reaches the kiosk (the window lets input through)"
