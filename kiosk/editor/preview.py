"""The guide saying an answer, for the curator: `kiosk avatar render` in a child process (Panda3D stays out of the
editor, and a renderer problem cannot take the editor down), then its frames played back at their frame rate with
the rendered speech."""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import QProcess, Qt, QTimer, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from kiosk.ops.paths import self_command

FPS = 12
SIZE = (270, 480)


class GuidePreview(QWidget):
    finished = Signal(bool)  # whether frames were rendered

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.screen_ = QLabel()
        self.screen_.setObjectName("guide-preview")
        self.screen_.setFixedSize(*SIZE)
        self.screen_.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.screen_.setProperty("role", "preview")
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setProperty("role", "help")
        layout.addWidget(self.screen_)
        layout.addWidget(self.status)
        self.screen_.hide()
        self.frames: list[QPixmap] = []
        self._frame = 0
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self._process: QProcess | None = None
        self._timer = QTimer(self, interval=round(1000 / FPS))
        self._timer.timeout.connect(self._next)

    @property
    def busy(self) -> bool:
        return self._process is not None

    def show_saying(self, text: str, language: str, pack_root: Path, avatar: Path) -> None:
        """Render ``avatar`` saying ``text`` with the voice of the pack at ``pack_root``."""
        if self._process is not None:
            return
        self._timer.stop()
        self._tmp = tempfile.TemporaryDirectory(prefix="docent-preview-")
        process = QProcess(self)
        process.setProcessChannelMode(QProcess.ProcessChannelMode.MergedChannels)
        process.finished.connect(self._done)
        program, *args = self_command()
        args += ["avatar", "render", "--say", text, "--lang", language, "--behaviour", "talk"]
        args += ["--pack", str(pack_root), "--out", self._tmp.name, "--size", f"{SIZE[0]}x{SIZE[1]}"]
        args += ["--fps", str(FPS), "--sheet", "1", "--avatar", str(avatar)]
        self._process = process
        self.status.setText("Rendering the guide saying it… (a few seconds)")
        process.start(program, args)

    def _done(self, code: int, _status: QProcess.ExitStatus) -> None:
        process, self._process = self._process, None
        output = bytes(process.readAll().data()).decode("utf-8", "replace").strip() if process else ""
        folder = Path(self._tmp.name) / "frames" if self._tmp else Path()
        self.frames = [QPixmap(str(p)) for p in sorted(folder.glob("*.png"))]
        self.frames = [f for f in self.frames if not f.isNull()]
        if code != 0 or not self.frames:
            last = output.splitlines()[-1] if output else f"exit status {code}"
            self.status.setText(f"The guide could not be rendered: {last.removeprefix('error: ')}")
            self.screen_.hide()
            self.finished.emit(False)
            return
        self.status.setText(f"The guide saying it ({len(self.frames) / FPS:.1f} s, repeating).")
        self.screen_.show()
        self._frame = 0
        self._next()
        self._timer.start()
        self.finished.emit(True)

    def _next(self) -> None:
        if not self.frames:
            return
        self.screen_.setPixmap(self.frames[self._frame % len(self.frames)])
        self._frame += 1

    def stop(self) -> None:
        self._timer.stop()
        if self._process is not None:
            self._process.kill()
            self._process.waitForFinished(3000)
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None
