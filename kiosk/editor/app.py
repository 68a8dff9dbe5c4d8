"""Starting the editor: open a pack folder (or make one from the template), offer to restore unsaved work left by
a crash, wire the venue's voice to "Hear it"."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from kiosk.content.scaffold import new_pack
from kiosk.editor.document import PackDocument, slug
from kiosk.editor.window import EditorWindow

_windows: list[EditorWindow] = []  # open windows stay alive while Qt shows them


class VenueVoice:
    """Speaks an answer with the voice settings of the pack being edited (synthesis and speaker made on first use)."""

    def __init__(self, window: EditorWindow) -> None:
        self.window = window
        self._voice: object = None
        self._speech: object = None
        self._lock = threading.Lock()

    def __call__(self, text: str, language: str) -> None:
        from kiosk.voice.out import open_audio_out
        from kiosk.voice.pipeline import Voice
        from kiosk.voice.tts import Synthesizer

        pack = self.window.live.pack
        speech = pack.venue.speech if pack is not None else None
        with self._lock:
            if self._voice is None or speech != self._speech:
                out, _ = open_audio_out()
                self._voice, self._speech = Voice(Synthesizer(speech), out), speech
            voice = self._voice
        assert isinstance(voice, Voice)
        voice.speak(text, language)
        voice.wait(60)


def ensure_pack(path: Path, languages: tuple[str, ...] = ("zh", "en", "ko")) -> bool:
    """Create a pack from the template when ``path`` is missing or an empty folder; returns whether it did.
    The venue's id (what kiosks are set up with) is made from the folder's name."""
    if path.exists() and any(path.iterdir()):
        return False
    new_pack(path, list(languages), slug(path.name, "my-museum"))
    return True


def open_window(path: Path, *, parent_window: QWidget | None = None, ask_restore: bool = True) -> EditorWindow:
    doc = PackDocument(path)
    if ask_restore and doc.recovery() is not None:
        answer = QMessageBox.question(
            parent_window,
            "Restore unsaved changes?",
            "The editor closed without saving changes to this venue. Restore them?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            doc.restore_recovery()
        else:
            doc.drop_recovery()
    window = EditorWindow(doc)
    window.try_panel._speak = VenueVoice(window)
    _windows.append(window)
    window.destroyed.connect(lambda *_: _windows.remove(window) if window in _windows else None)
    window.show()
    return window


def launch(path: Path, languages: tuple[str, ...]) -> int:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName("Docent editor")
    ensure_pack(path, languages)
    open_window(path)
    return app.exec()
