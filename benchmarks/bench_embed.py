"""The guide inside the kiosk window: frame time of the embedded native window against offscreen rendering.

Runs the real ``GuideView`` under X11 (Qt's xcb platform; a private Xvfb when no DISPLAY is set) at the 3D area
of a 1080x1920 portrait kiosk (1080x1150) and at half that (540x575), for each backend: ``native`` (a Panda3D
window embedded in the widget) and ``offscreen`` (rendered to RAM at the render scale ``auto`` picks, 0.5 on
software OpenGL, and painted by Qt), plus offscreen at full scale. A frame is one ``view.step()`` (the guide's
behaviour, lips and rig, one Panda3D frame) plus Qt's event processing (offscreen: painting the frame and putting
it on the X screen). The guide greets, then stands idle, for ``--seconds`` per measurement after a warm-up; all
measurements come from one run, so the native/offscreen ratio compares like with like. Usage:

    .venv/bin/python -m benchmarks.bench_embed [--seconds S] [--write docs/benchmarks.md]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import select
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

SIZES = ((1080, 1150), (540, 575))
HEADING = "## Guide view in the kiosk window: embedded window vs offscreen"


@dataclass(frozen=True)
class Figures:
    frames: int
    median_ms: float
    p95_ms: float
    fps: float
    scale: float
    renderer: str


@contextmanager
def virtual_display(screen: str = "1920x1920x24", timeout: float = 10.0) -> Iterator[str]:
    """An X display to embed windows in: ``$DISPLAY`` when set, else a private Xvfb on a free display number
    (``-displayfd``), stopped on exit. Raises RuntimeError, saying what to install, when Xvfb is missing."""
    existing = os.environ.get("DISPLAY")
    if existing:
        yield existing
        return
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        raise RuntimeError("Xvfb is not installed: install it (Debian/Ubuntu: apt-get install xvfb), or set DISPLAY")
    read, write = os.pipe()
    process = subprocess.Popen(
        [xvfb, "-displayfd", str(write), "-screen", "0", screen, "-nolisten", "tcp", "-noreset"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    os.close(write)
    try:
        number = b""
        deadline = time.monotonic() + timeout
        while not number.endswith(b"\n"):
            ready, _, _ = select.select([read], [], [], max(0.0, deadline - time.monotonic()))
            chunk = os.read(read, 32) if ready else b""
            if not chunk:
                err = (
                    process.stderr.read().decode(errors="replace")
                    if process.poll() is not None and process.stderr
                    else ""
                )
                raise RuntimeError(f"Xvfb did not start within {timeout:g} s: {err.strip()[-300:]}")
            number += chunk
        yield f":{number.decode().strip()}"
    finally:
        os.close(read)
        process.terminate()
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def measure(mode: str, size: tuple[int, int], seconds: float, render_scale: float | None = None) -> Figures:
    from PySide6.QtWidgets import QApplication

    from kiosk.avatar.package import load_avatar
    from kiosk.content import load_pack
    from kiosk.events import SessionStarted
    from kiosk.ops.paths import demo_pack_path
    from kiosk.ui.view3d import make_guide_view
    from kiosk.voice.out import SilentAudioOut

    app = QApplication.instance()
    assert app is not None
    ref = load_pack(demo_pack_path()).avatar_ref()
    if ref is None:
        raise SystemExit("the demo pack has no avatar")
    view = make_guide_view(mode, None, render_scale)
    if view.backend != mode:
        raise SystemExit(f"{mode} view not available: {view.fallback_reason}")
    view.resize(*size)
    view.show()
    app.processEvents()
    guide = view.load(load_avatar(ref.folder), SilentAudioOut())
    for _ in range(10):
        view.step()
        app.processEvents()
    guide.post(SessionStarted("en"))
    times: list[float] = []
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        t = time.perf_counter()
        view.step()
        app.processEvents()
        times.append(time.perf_counter() - t)
    elapsed = time.perf_counter() - started
    scale = view.render_scale if mode == "offscreen" else 1.0
    renderer = view.renderer
    if view.failure:
        raise SystemExit(f"the view failed: {view.failure}")
    view.close()
    app.processEvents()
    times.sort()
    return Figures(
        len(times),
        statistics.median(times) * 1000,
        times[int(len(times) * 0.95)] * 1000,
        len(times) / elapsed,
        scale,
        renderer,
    )


def run(seconds: float) -> dict[str, object]:
    """The measurements, in this process (on Qt's xcb platform, DISPLAY set), as JSON-ready data."""
    from PySide6.QtWidgets import QApplication

    from kiosk.ui.view3d import make_guide_view

    app = QApplication([])
    auto = make_guide_view("auto")
    picked = {"platform": app.platformName(), "backend": auto.backend, "why": auto.fallback_reason}
    auto.close()
    results: dict[str, dict[str, dict[str, object]]] = {}
    for w, h in SIZES:
        results[f"{w}x{h}"] = {
            "native": asdict(measure("native", (w, h), seconds)),
            "offscreen": asdict(measure("offscreen", (w, h), seconds)),
            "offscreen, scale 1": asdict(measure("offscreen", (w, h), seconds, 1.0)),
        }
    return {"auto": picked, "results": results}


def report(data: dict[str, Any], seconds: float, write: Path | None, desktop: bool) -> str:
    results = {size: {mode: Figures(**r) for mode, r in by_mode.items()} for size, by_mode in data["results"].items()}
    renderer = next(iter(results.values()))["native"].renderer
    auto = data["auto"]
    picked = f"`auto` in this run (Qt platform {auto['platform']}): {auto['backend']}" + (
        f" ({auto['why']})" if auto["why"] else ""
    )
    lines = [
        HEADING,
        "",
        f"`.venv/bin/python -m benchmarks.bench_embed --seconds {seconds:g}{f' --write {write}' if write else ''}` "
        f"on {platform.node()} ({os.cpu_count()} CPUs, {platform.machine()}), {datetime.date.today().isoformat()}; "
        f"X server: {'the desktop' if desktop else 'Xvfb'}; OpenGL renderer: {renderer}.",
        "",
        f"The bundled guide greeting, then idle, in `GuideView` (`kiosk/ui/view3d.py`): one `view.step()` plus Qt's "
        f"event processing per frame, as fast as it goes, {seconds:g} s per row; median and 95th percentile frame "
        "time, frames per second = frames / elapsed time. Offscreen renders at the scale `auto` picks (0.5 on "
        "software OpenGL) and Qt scales the frame up; 'scale 1' renders at the widget's size.",
        "",
        "| 3D area | backend | render size | frames | median | p95 | fps | native / offscreen (median) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for size, by_mode in results.items():
        w, h = (int(x) for x in size.split("x"))
        native = by_mode["native"].median_ms
        for mode, r in by_mode.items():
            ratio = "" if mode == "native" else f"{native / r.median_ms:.2f}"
            lines.append(
                f"| {size} | {mode} | {round(w * r.scale)}x{round(h * r.scale)} | {r.frames} | "
                f"{r.median_ms:.1f} ms | {r.p95_ms:.1f} ms | {r.fps:.1f} | {ratio} |"
            )
    lines += [
        "",
        "Which backend `auto` picks: the embedded native window where Qt's platform has native windows (xcb, "
        "windows, cocoa), Panda3D's window opens in the widget and its OpenGL runs on a GPU; offscreen under Qt's "
        "`offscreen` platform (tests, screenshots), on Wayland, eglfs and other platforms, when the window cannot "
        "be opened, and on software OpenGL (llvmpipe, as here), where half-size offscreen frames are faster than a "
        "full-size window. `view.fallback_reason` says which reason applied (also logged). "
        f"{picked}.",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0, help="seconds measured per backend and size")
    parser.add_argument("--write", type=Path, help="replace this benchmark's section in a markdown file")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)  # the child that measures
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(run(args.seconds)))
        return
    desktop = bool(os.environ.get("DISPLAY"))
    # Measured in a child on Qt's xcb platform; this process owns the X server, which outlives the child's
    # X connections (Panda3D treats a vanishing X server as fatal).
    with virtual_display() as display:
        env = dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb")
        command = [sys.executable, "-m", "benchmarks.bench_embed", "--measure", "--seconds", str(args.seconds)]
        child = subprocess.run(command, env=env, capture_output=True, text=True, cwd=Path(__file__).parent.parent)
    if child.returncode != 0:
        raise SystemExit(f"the measuring process failed:\n{child.stderr[-3000:]}")
    text = report(json.loads(child.stdout.strip().splitlines()[-1]), args.seconds, args.write, desktop)
    print(text)
    if args.write:
        from benchmarks.bench_mind import write_section

        write_section(args.write, HEADING, text)


if __name__ == "__main__":
    main()
