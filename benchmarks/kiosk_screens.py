"""Screenshots of the kiosk for docs/screens/: attract, conversation, directions, touch browsing, staff panel.

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m benchmarks.kiosk_screens [--out docs/screens]

A 1080x1920 portrait kiosk on the demo venue, the guide rendered offscreen at full resolution, real speech
synthesis (silent output); saved at half size.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/screens"))
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["DOCENT_HOME"] = tempfile.mkdtemp(prefix="docent-screens-")
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from kiosk.ops.config import KioskConfig
    from kiosk.ui.engines import load_content
    from kiosk.ui.kiosk import Kiosk

    app = QApplication.instance() or QApplication([])
    content = load_content(None)
    kiosk = Kiosk(content, KioskConfig(render_scale=1.0, staff_pin="2468"), None, windowed=True)
    window = kiosk.window
    kiosk.show((1080, 1920))
    out = args.out
    out.mkdir(parents=True, exist_ok=True)

    def settle(seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.005)

    def shot(name: str) -> None:
        settle(0.6)
        image = window.grab().toImage()
        small = image.scaled(540, 960, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
        small.save(str(out / f"{name}.png"))
        print(out / f"{name}.png")

    settle(3.0)
    window.attract.rotate()
    shot("attract")
    window.start_session("en")
    settle(2.0)
    window.ask("How heavy is the Houmuwu Ding?", "typed")
    settle(3.5)
    shot("conversation")
    window.choose_language("zh")
    window.ask("洗手间在哪里？", "typed")
    settle(3.5)
    shot("directions")
    window.choose_language("en")
    window.show_browse()
    window.browse.show_exhibit("changxin-palace-lamp")
    shot("browse-exhibit")
    window.browse.show_galleries()
    shot("browse-galleries")
    kiosk.open()
    for digit in "2468":
        kiosk.pin.press(digit)
    kiosk.pin.submit()
    shot("staff")
    kiosk.close()


if __name__ == "__main__":
    main()
