"""Content sync in the running kiosk, with real pieces only: a signed repository of the demo venue built with
Repository, served on 127.0.0.1 by FaultServer, installed with Client, synced by the kiosk's own `kiosk sync`
child process, and shown in the real kiosk window and staff panel (Qt offscreen).

Which pack a kiosk starts on (``resolve_pack``) is checked without a window: the synced version, the previous one
when the new one keeps failing to start, is damaged or does not load, and ``pack:``/the demo when nothing synced is
usable.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from kiosk.content import PackIndex, load_pack
from kiosk.content.index import INDEX_FILE
from kiosk.ops.config import KioskConfig, load_config
from kiosk.ops.paths import data_dir, demo_pack_path
from kiosk.sync import keys
from kiosk.sync.bundle import PACK_FOLDERS, pack_custom, pack_files
from kiosk.sync.client import Client
from kiosk.sync.health import MIND_WORK
from kiosk.sync.repo import Repository, publish_tree
from kiosk.sync.runner import SyncStatus
from kiosk.sync.settings import SyncSettings
from kiosk.sync.store import MAX_BOOT_ATTEMPTS, Store
from kiosk.sync.trust import install_trust
from kiosk.ui.kiosk import NO_SYNC, Kiosk
from kiosk.ui.packs import resolve_pack, sync_store
from kiosk.ui.staff_sync import SyncView, sync_rows
from kiosk.ui.theme import MIN_TOUCH
from tests.httpd import FaultServer

PORTRAIT = (608, 1080)
PIN = "2468"
EXHIBIT = "exhibits/houmuwu-ding.yaml"
QUESTION = "Tell me about the Houmuwu Ding"
OLD = "The Houmuwu Ding is a square bronze cauldron from the late Shang dynasty."
NEW = "The Houmuwu Ding is a square bronze cauldron cast for Queen Mother Wu, as version two now says."
SYNC_TIMEOUT_MS = 60_000


@dataclass(frozen=True)
class Published:
    name: str
    v1: Path
    """A server folder holding version 1 (copy it, then publish_tree ``v2`` over the copy for version 2)."""
    v2: Path


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Published:
    """The demo venue published as version 1, then again with one exhibit's English summary changed."""
    base = tmp_path_factory.mktemp("published")
    pack_dir = base / "pack"
    for folder in PACK_FOLDERS:
        shutil.copytree(demo_pack_path() / folder, pack_dir / folder)
    pack = load_pack(pack_dir)
    repo = Repository.create(base / "repo", keys.generate(base / "keys"))
    assert repo.add_bundle("packs", pack.venue.id, pack_files(pack_dir), pack_custom(pack)).version == 1
    publish_tree(base / "repo", base / "v1")
    exhibit = pack_dir / EXHIBIT
    text = exhibit.read_text(encoding="utf-8")
    assert OLD in text
    exhibit.write_text(text.replace(OLD, NEW), encoding="utf-8")
    result = repo.add_bundle("packs", pack.venue.id, pack_files(pack_dir), pack_custom(load_pack(pack_dir)))
    assert (result.version, result.new_files) == (2, 1)
    publish_tree(base / "repo", base / "v2")
    return Published(pack.venue.id, base / "v1", base / "v2")


def serve_v1(published: Published, tmp_path: Path) -> Path:
    served = tmp_path / "served"
    shutil.copytree(published.v1, served)
    return served


def install(published: Published, served: Path, url: str) -> Store:
    """What a technician does once (``kiosk sync --trust`` and a first sync), into this test's DOCENT_HOME."""
    store = sync_store()
    install_trust(store, served / "metadata" / "1.root.json")
    Client(store, url).sync(published.name)
    return store


def texts(widget: QWidget) -> str:
    shown = [label.text() for label in widget.findChildren(QLabel) if label.isVisibleTo(widget)]
    return "\n".join(shown).replace("\u200b", "")


# -- the running kiosk -----------------------------------------------------------------------------------------


@dataclass
class Synced:
    kiosk: Kiosk
    server: FaultServer
    store: Store
    served: Path
    name: str

    def open_panel(self) -> None:
        self.kiosk.open()
        for digit in PIN:
            self.kiosk.pin.press(digit)
        self.kiosk.pin.submit()
        assert self.kiosk.window.pages.currentWidget() is self.kiosk.panel

    def press_sync_now(self) -> None:
        button = self.kiosk.panel.findChild(QPushButton, "staff-sync")
        assert isinstance(button, QPushButton) and button.isVisible()
        assert button.height() >= MIN_TOUCH and button.width() >= MIN_TOUCH
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)

    def version_shown(self) -> str:
        return self.kiosk.content.pack.root.name


@pytest.fixture
def synced(qtbot: QtBot, published: Published, tmp_path: Path) -> Iterator[Synced]:
    """A kiosk whose kiosk.yaml has a sync: section, started on version 1 installed from a live server."""
    served = serve_v1(published, tmp_path)
    with FaultServer(served) as server:
        store = install(published, served, server.url)
        (data_dir() / "kiosk.yaml").write_text(
            f'staff_pin: "{PIN}"\nsync:\n  server: {server.url}\n  pack: {published.name}\n', encoding="utf-8"
        )
        config = load_config()
        start = resolve_pack(config)
        kiosk = Kiosk(start.content, config, None, windowed=True)
        kiosk.show(PORTRAIT)
        qtbot.waitExposed(kiosk.window)
        try:
            yield Synced(kiosk, server, store, served, published.name)
        finally:
            kiosk.close()


def test_the_kiosk_runs_the_synced_version_and_loads_a_new_one_from_the_staff_panel(
    qtbot: QtBot, synced: Synced, published: Published
) -> None:
    kiosk, store = synced.kiosk, synced.store
    v1 = store.current_dir("packs", synced.name)
    assert v1 is not None and v1.name == "v1"
    assert kiosk.content.pack.root.resolve() == v1.resolve() != demo_pack_path().resolve()
    assert kiosk.sync is not None and kiosk.sync.confirming  # version 1 is kept once the kiosk has run on it

    synced.open_panel()
    panel = kiosk.panel
    assert panel.watching_sync
    shown = texts(panel.sync)
    assert f"Content version 1 from {synced.server.url}" in shown
    assert "not yet confirmed" in shown and "Last sync: never" in shown and "Next sync: in under a minute" in shown

    publish_tree(published.v2, synced.served)
    # A slow line (the changed exhibit, about 6 KB, over about two seconds): long enough to watch the sync go by
    # on the panel, which a content update over a fast network on a checked pack no longer is.
    synced.server.drip(f"*{Path(EXHIBIT).name}", bytes_per_s=3_000)
    synced.press_sync_now()
    result = panel.findChild(QLabel, "staff-result")
    assert isinstance(result, QLabel) and result.text().startswith(f"checking {synced.server.url}")
    progress: list[str] = []

    def reloaded() -> bool:
        if "Syncing now:" in texts(kiosk.panel.sync):
            progress.append(texts(kiosk.panel.sync))
        return synced.version_shown() == "v2"

    qtbot.waitUntil(reloaded, timeout=SYNC_TIMEOUT_MS)
    assert progress, "the panel never showed the sync in progress"
    assert kiosk.window.pages.currentWidget() is kiosk.panel, "staff keep their panel across the reload"
    qtbot.waitUntil(lambda: "Last sync: today" in texts(kiosk.panel.sync), timeout=5000)
    shown = texts(kiosk.panel.sync)
    assert f"Content version 2 from {synced.server.url}" in shown and "not yet confirmed" in shown
    assert "Problem" not in shown

    kiosk.close_staff()
    kiosk.window.start_session("en")
    answer = kiosk.window.ask(QUESTION)
    assert answer is not None and NEW in answer.text
    qtbot.waitUntil(lambda: NEW in kiosk.window.captions.guide.text(), timeout=5000)

    assert kiosk.sync.confirming
    kiosk.sync.confirm()  # what the 30 s timer does
    installed = store.installed("packs", synced.name)
    assert installed is not None and installed.current.confirmed and installed.current.version == 2


def test_offline_the_kiosk_keeps_its_version_and_a_new_one_waits_for_the_visitor(
    qtbot: QtBot, synced: Synced, published: Published
) -> None:
    kiosk = synced.kiosk
    synced.server.refuse()
    synced.open_panel()
    synced.press_sync_now()
    qtbot.waitUntil(lambda: "Problem" in texts(kiosk.panel.sync), timeout=SYNC_TIMEOUT_MS)
    shown = texts(kiosk.panel.sync)
    assert "the content server could not be reached; the kiosk keeps version 1." in shown
    assert "Next sync: in 1 min" in shown or "Next sync: in under a minute" in shown  # backing off
    assert synced.version_shown() == "v1"

    kiosk.close_staff()
    kiosk.window.start_session("en")
    answer = kiosk.window.ask(QUESTION)
    assert answer is not None and OLD in answer.text

    # The server is back with version 2 while a visitor is at the kiosk: it waits for them to leave.
    synced.server.accept()
    publish_tree(published.v2, synced.served)
    assert kiosk.sync is not None
    kiosk.sync_now()
    qtbot.waitUntil(lambda: kiosk.sync is not None and kiosk.sync.pending is not None, timeout=SYNC_TIMEOUT_MS)
    assert synced.version_shown() == "v1" and kiosk.window.session.active
    view = kiosk.sync_view()
    assert view is not None and view.pending == 2 and view.showing == 1
    assert "Version 2 is ready: it loads when the current visit ends." in [text for text, _ in sync_rows(view)]
    answer = kiosk.window.ask(QUESTION)
    assert answer is not None and OLD in answer.text
    kiosk.window.session.end("goodbye")
    qtbot.waitUntil(lambda: synced.version_shown() == "v2", timeout=SYNC_TIMEOUT_MS)
    kiosk.window.start_session("en")
    answer = kiosk.window.ask(QUESTION)
    assert answer is not None and NEW in answer.text


def test_sync_now_without_a_sync_section_says_how_to_set_it_up(qtbot: QtBot) -> None:
    start = resolve_pack(KioskConfig())
    kiosk = Kiosk(start.content, KioskConfig(), None, windowed=True)
    try:
        kiosk.show(PORTRAIT)
        assert kiosk.sync is None and kiosk.sync_view() is None
        assert kiosk.sync_now() == NO_SYNC
        kiosk.open()
        kiosk.pin.submit()  # a windowed preview without a PIN
        assert "Sync is not set up yet." in texts(kiosk.panel.sync)
    finally:
        kiosk.close()


# -- the staff panel's words -----------------------------------------------------------------------------------


def test_the_sync_section_in_plain_words() -> None:
    now = 1_750_000_000.0
    at = f"{datetime.fromtimestamp(now - 60):%H:%M}"
    status = SyncStatus(last_success=now - 3600, last_attempt=now - 60, last_error="cannot download", next_at=now + 720)
    failed = SyncView(
        "https://example.org/docent/",
        "hall",
        status,
        installed=3,
        showing=3,
        showing_path="/x/v3",
        problem_code="offline",
    )
    rows = dict(sync_rows(failed, now))
    assert rows["Content version 3 from https:/\u200b/\u200bexample.org/\u200bdocent/\u200b"] == "body"
    assert rows["Next sync: in 12 min"] == "body"
    problem = f"Problem (today {at}): the content server could not be reached; the kiosk keeps version 3."
    assert rows[problem] == "status" and rows["cannot download"] == "muted"

    running = SyncView("s", "hall", SyncStatus(running=True, stage="download", done=500_000, total=2_000_000))
    assert ("Syncing now: downloading: 25% (0.5 of 2.0 MB)", "marker") in sync_rows(running, now)

    fresh = SyncView(
        "s",
        "hall",
        SyncStatus(),
        installed=4,
        confirmed=False,
        previous=3,
        showing=4,
        showing_path="/x/v4",
        note="version 5 was withdrawn: broken",
    )
    lines = [text for text, _ in sync_rows(fresh, now)]
    assert any("not yet confirmed" in line and "goes back to version 3" in line for line in lines)
    assert "Version 5 was withdrawn: broken." in lines
    assert "Last sync: never" in lines and "Next sync: not scheduled" in lines


# -- which pack a kiosk starts on ------------------------------------------------------------------------------


def _config(published: Published, pack: Path | None = None, *, name: bool = True) -> KioskConfig:
    return KioskConfig(pack=pack, sync=SyncSettings("http://127.0.0.1:9/", published.name if name else None))


@pytest.fixture
def two_versions(published: Published, tmp_path: Path) -> Store:
    """Version 1 installed and confirmed (the kiosk ran on it), then version 2 installed, not yet confirmed."""
    served = serve_v1(published, tmp_path)
    with FaultServer(served) as server:
        store = install(published, served, server.url)
        store.confirm("packs", published.name)
        publish_tree(published.v2, served)
        assert Client(store, server.url).sync(published.name).version == 2
    return store


def test_a_version_the_kiosk_never_confirms_is_given_up_after_max_boot_attempts(
    published: Published, two_versions: Store
) -> None:
    store, config = two_versions, _config(published, name=False)  # the one installed pack, found by itself
    for _ in range(MAX_BOOT_ATTEMPTS):  # started, crashed before confirming
        start = resolve_pack(config)
        assert (start.path.name, start.synced, start.notes) == ("v2", published.name, ())
    start = resolve_pack(config)
    assert start.path.name == "v1" and start.synced == published.name
    assert start.notes == (f"version 2 was withdrawn: the kiosk failed to start on it {MAX_BOOT_ATTEMPTS} times",)
    installed = store.installed("packs", published.name)
    assert installed is not None and installed.current.version == 1 and installed.rejected == (2,)
    assert resolve_pack(config).path.name == "v1"


def test_the_kiosk_opens_the_search_index_its_sync_checked(
    published: Published, two_versions: Store, docent_home: Path, tmp_path: Path
) -> None:
    """The health check builds each version's search index inside the version folder (version 2's from version
    1's: only the edited summary was indexed again); the kiosk starts on it as it is, building nothing."""
    store = two_versions
    v1, v2 = (store.bundle_dir("packs", published.name) / f"v{n}" for n in (1, 2))
    start = resolve_pack(_config(published))
    index = start.content.mind.index
    assert start.path.name == "v2" and index.path == v2 / INDEX_FILE and not index.rebuilt
    assert not (docent_home / "cache" / "index").exists(), "the kiosk built an index of its own"
    assert store.check_version(v1) == store.check_version(v2) == [], "the kiosk's own files taken for damage"
    assert (v1 / MIND_WORK).is_file() and (v2 / MIND_WORK).is_file()
    fresh = PackIndex.open(start.content.pack, tmp_path / "fresh.sqlite")
    assert fresh.rebuilt and _entries(fresh.path) == _entries(index.path)
    for query in ("cast for Queen Mother Wu", "late Shang dynasty", "后母戊鼎", "bronze cauldron", "兵马俑"):
        assert fresh.search(query, prefix=True) == index.search(query, prefix=True), query
    answer = start.content.mind.answer(QUESTION).answer
    assert answer.exhibit == "houmuwu-ding" and NEW in answer.text


def _entries(path: Path) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute("select * from entries order by id").fetchall()


def test_a_damaged_version_falls_back_to_the_previous_one(published: Published, two_versions: Store) -> None:
    v2 = two_versions.current_dir("packs", published.name)
    assert v2 is not None
    (v2 / EXHIBIT).unlink()
    start = resolve_pack(_config(published))
    assert start.path.name == "v1" and start.synced == published.name
    assert start.notes == (f"version 2 was withdrawn: its files are damaged ({EXHIBIT} is missing)",)
    exhibit = start.content.pack.exhibit("houmuwu-ding")
    assert exhibit is not None and OLD in exhibit.summary.pick("en")[0]


def test_a_version_that_does_not_load_is_withdrawn_and_the_previous_one_runs(
    published: Published, two_versions: Store
) -> None:
    v2 = two_versions.current_dir("packs", published.name)
    assert v2 is not None
    exhibit = v2 / EXHIBIT
    size = exhibit.stat().st_size
    exhibit.unlink()  # a hard link to the stored blob: replace it, never write through it
    exhibit.write_bytes(b"id: [" + b" " * (size - 5))  # intact by size, broken as YAML
    start = resolve_pack(_config(published))
    assert start.path.name == "v1"
    assert len(start.notes) == 1 and start.notes[0].startswith(
        "version 2 was withdrawn: it does not load on this kiosk"
    )
    installed = two_versions.installed("packs", published.name)
    assert installed is not None and installed.current.version == 1 and 2 in installed.rejected


def test_with_nothing_synced_usable_the_kiosk_runs_its_pack_or_the_demo(
    published: Published, tmp_path: Path, tiny_copy: Path
) -> None:
    start = resolve_pack(_config(published))  # nothing synced yet
    assert start.synced is None and start.path.resolve() == demo_pack_path().resolve()
    assert start.notes == ("no synced pack is installed yet; the first sync installs it",)
    served = serve_v1(published, tmp_path)
    with FaultServer(served) as server:
        store = install(published, served, server.url)
    v1 = store.current_dir("packs", published.name)
    assert v1 is not None
    (v1 / EXHIBIT).unlink()  # damaged, and no previous version to go back to
    start = resolve_pack(_config(published, tiny_copy))
    assert start.synced is None and start.path.resolve() == tiny_copy.resolve()
    assert start.notes[0].startswith("version 1 is unusable (its files are damaged") and "no previous" in start.notes[0]
    assert start.notes[-1] == f"no usable synced version of {published.name}: showing {tiny_copy} instead"
    start = resolve_pack(_config(published))
    assert start.path.resolve() == demo_pack_path().resolve()
    # --pack wins over everything
    assert resolve_pack(_config(published), tiny_copy).path.resolve() == tiny_copy.resolve()
