"""Panda3D opens its display and audio plugins by name at run time (``load-display pandagl``, ``aux-display
p3headlessgl`` and ``audio-library-name p3openal_audio`` in its .prc files), so PyInstaller's analysis never sees
them. Collect them beside ``libpanda`` with the .prc files that name them: Panda3D reads ``etc/*.prc`` next to its
own libraries and looks for plugins in the same folder."""

from __future__ import annotations

import glob
import os

from PyInstaller.utils.hooks import get_package_paths

_, PACKAGE = get_package_paths("panda3d")

PLUGINS = (
    "libpandagl",  # OpenGL on a display (X11, Windows)
    "libp3headlessgl",  # OpenGL without a display (EGL): offscreen rendering under Wayland and in tests
    "libp3tinydisplay",  # software rendering, the last resort
    "libpandadx9",  # Direct3D 9 (Windows wheels only)
    "libp3openal_audio",  # sound
    "libp3ffmpeg",  # audio and video files
)

binaries = [
    (path, "panda3d")
    for name in PLUGINS
    for path in sorted(glob.glob(os.path.join(PACKAGE, name + ".*")))
    if path.endswith((".so", ".dll", ".dylib"))
]
datas = [(os.path.join(PACKAGE, "etc"), os.path.join("panda3d", "etc"))]
