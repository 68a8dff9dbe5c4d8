"""Shared fixtures. Every test gets its own DOCENT_HOME, so caches and indexes never leak between tests."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.content import Pack, load_pack
from kiosk.ops.paths import demo_pack_path

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
