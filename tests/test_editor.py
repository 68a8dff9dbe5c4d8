"""The curator's editor, driven through its real widgets (pytest-qt, offscreen): a new venue, an exhibit in three
languages, validation as you type, the live guide, minimal saves, undo, recovery, pictures and publishing."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QInputMethodEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QPlainTextEdit, QTreeWidgetItem, QWidget
from pytestqt.qtbot import QtBot

from kiosk.content.loader import Report, validate_pack
from kiosk.content.model import Pack
from kiosk.editor.app import VenueVoice, ensure_pack
from kiosk.editor.document import PackDocument
from kiosk.editor.forms import SpecForm
from kiosk.editor.publish import PublishDialog, Published, PublishPlaces
from kiosk.editor.window import EditorWindow
from kiosk.errors import EditorError
from kiosk.sync.client import Client, Limits
from kiosk.sync.fetch import NetSettings
from kiosk.sync.store import Store
from kiosk.sync.trust import install_trust
from tests.httpd import nginx_serving

PROBLEM_RED = QColor("#b3261e")

Opener = Callable[[Path], EditorWindow]


def form_of(window: EditorWindow, name: str, rel: str | None = None) -> SpecForm:
    form = window.form_for(name, rel)
    assert form is not None, f"no field {name} on screen"
    return form


def line(window: EditorWindow, name: str) -> QLineEdit:
    widget = cell(window, name)
    assert isinstance(widget, QLineEdit)
    return widget


def outline_item(window: EditorWindow, rel: str) -> QTreeWidgetItem:
    item = window.outline.item(rel)
    assert item is not None, f"{rel} is not in the outline"
    return item


def pack_of(report: Report) -> Pack:
    assert report.pack is not None, [str(p) for p in report.errors]
    return report.pack


def cell(window: EditorWindow, name: str, rel: str | None = None) -> QWidget:
    return form_of(window, name, rel).cells[name]


def type_into(qtbot: QtBot, widget: QWidget, text: str, *, clear: bool = True) -> None:
    if clear:
        if isinstance(widget, QLineEdit):
            widget.selectAll()
            QTest.keyClick(widget, Qt.Key.Key_A)  # replace the selection with a key, then remove it: a real edit
            widget.setText("")
            widget.textEdited.emit("")
        elif isinstance(widget, QPlainTextEdit):
            widget.clear()
    widget.setFocus()
    if text.isascii():
        QTest.keyClicks(widget, text)
    else:  # Chinese and Korean arrive from an input method as committed text, not as key presses
        event = QInputMethodEvent()
        event.setCommitString(text)
        QApplication.sendEvent(widget, event)


def red_pixels(image: QImage) -> int:
    count = 0
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            c = image.pixelColor(x, y)
            if abs(c.red() - PROBLEM_RED.red()) < 40 and c.green() < 80 and c.blue() < 80:
                count += 1
    return count


def screenshot(widget: QWidget, path: Path) -> QImage:
    image = widget.grab().toImage()
    assert image.save(str(path))
    assert image.width() > 600 and image.height() > 400
    colours = {image.pixel(x, y) for x in range(0, image.width(), 37) for y in range(0, image.height(), 37)}
    assert len(colours) > 10, "the screenshot is blank"
    return image


def test_new_venue_exhibit_in_three_languages(qtbot: QtBot, open_editor: Opener, tmp_path: Path) -> None:
    venue = tmp_path / "new-venue"
    assert ensure_pack(venue, ("zh", "en", "ko"))
    window = open_editor(venue)
    rel = window.add_exhibit("Bronze Mirror")
    assert rel == "exhibits/bronze-mirror.yaml" and window.current == rel
    type_into(qtbot, cell(window, "name.zh"), "铜镜", clear=False)
    type_into(qtbot, cell(window, "name.ko"), "청동 거울", clear=False)
    type_into(qtbot, cell(window, "summary.zh"), "一面汉代的铜镜。", clear=False)
    type_into(qtbot, cell(window, "summary.en"), "A bronze mirror from the Han dynasty.", clear=False)
    type_into(qtbot, cell(window, "summary.ko"), "한나라 때의 청동 거울입니다.", clear=False)
    qtbot.waitUntil(lambda: window.checked and window.publishable)
    assert window.act_publish.isEnabled()
    item = window.outline.item(rel)
    assert item is not None and [item.text(i) for i in (1, 2, 3)] == ["●", "●", "●"]
    screenshot(window, tmp_path / "exhibit.png")

    assert window.save() == [rel]
    report = validate_pack(venue)
    assert report.ok, [str(p) for p in report.errors]
    mirror = next(e for e in pack_of(report).exhibits if e.id == "bronze-mirror")
    assert (mirror.name.get("zh"), mirror.name.get("en"), mirror.name.get("ko")) == (
        "铜镜",
        "Bronze Mirror",
        "청동 거울",
    )
    text = (venue / rel).read_text(encoding="utf-8")
    assert text.index("zh:") < text.index("en:") < text.index("ko:"), "languages in the venue's order"


def test_validation_error_appears_beside_the_field_and_goes(
    qtbot: QtBot, open_editor: Opener, demo_copy: Path, tmp_path: Path
) -> None:
    window = open_editor(demo_copy)
    window.show_item("exhibits/houmuwu-ding.yaml")
    before = screenshot(window.pages, tmp_path / "ok.png")
    form = form_of(window, "name.en")
    name = cell(window, "name.en")
    type_into(qtbot, name, "")
    qtbot.waitUntil(lambda: form.rows["name"].isVisible())
    assert "no 'en' text for the exhibit name" in form.rows["name"].text()
    assert name.property("problem") is True
    assert not window.act_publish.isEnabled()
    assert outline_item(window, "exhibits/houmuwu-ding.yaml").text(4) == "1"
    after = screenshot(window.pages, tmp_path / "error.png")
    assert red_pixels(after) > red_pixels(before) + 50, "the problem is not visible on screen"

    type_into(qtbot, name, "Houmuwu Ding", clear=False)
    qtbot.waitUntil(lambda: not form.rows["name"].isVisible())
    assert name.property("problem") is False
    assert window.act_publish.isEnabled()
    assert not window.doc.dirty, "typing the old name back leaves nothing to save"


def test_unknown_gallery_is_explained_with_the_choices(qtbot: QtBot, open_editor: Opener, demo_copy: Path) -> None:
    window = open_editor(demo_copy)
    window.doc.set("exhibits/cloisonne.yaml", ("gallery",), "bronze-ag")
    window.show_item("exhibits/cloisonne.yaml")
    form = form_of(window, "gallery")
    qtbot.waitUntil(lambda: form.rows["gallery"].isVisible())
    assert "Did you mean 'bronze-age'?" in form.rows["gallery"].text()


def test_ask_the_guide_finds_a_new_exhibit(qtbot: QtBot, open_editor: Opener, demo_copy: Path) -> None:
    window = open_editor(demo_copy)
    rel = window.add_exhibit("Jade Cicada")
    type_into(qtbot, cell(window, "summary.en"), "A small jade cicada placed in the mouth of the dead.", clear=False)
    panel = window.try_panel
    type_into(qtbot, panel.question, "Tell me about the jade cicada", clear=False)
    qtbot.waitUntil(lambda: "jade cicada placed in the mouth" in panel.answer.text(), timeout=30_000)
    assert panel.turn is not None and panel.turn.answer.exhibit == "jade-cicada"
    assert panel.exhibit.text() == "Jade Cicada"
    assert panel.confidence.value() > 50
    assert not (demo_copy / rel).exists(), "the guide answered from the unsaved pack"


def test_save_writes_only_the_changed_line(qtbot: QtBot, open_editor: Opener, demo_copy: Path) -> None:
    rel = "exhibits/houmuwu-ding.yaml"
    original = {p: p.read_bytes() for p in demo_copy.rglob("*.yaml")}
    stamps = {p: p.stat().st_mtime_ns for p in original}
    window = open_editor(demo_copy)
    window.show_item(rel)
    type_into(qtbot, cell(window, "facts.weight.en"), "832.84 kilograms (about 1,836 pounds)")
    assert window.save() == [rel]
    new = (demo_copy / rel).read_text(encoding="utf-8")
    diff = [
        line
        for line in difflib.unified_diff(original[demo_copy / rel].decode().splitlines(), new.splitlines(), n=0)
        if line.startswith(("+", "-")) and not line.startswith(("+++", "---"))
    ]
    assert diff == ["-    en: 832.84 kilograms", "+    en: 832.84 kilograms (about 1,836 pounds)"]
    for path, raw in original.items():
        if path != demo_copy / rel:
            assert path.read_bytes() == raw and path.stat().st_mtime_ns == stamps[path], f"{path} was rewritten"
    assert "# Capital Heritage Hall" in (demo_copy / "content/venue.yaml").read_text(encoding="utf-8")


def test_undo_and_redo_restore_text_and_fields(qtbot: QtBot, open_editor: Opener, demo_copy: Path) -> None:
    rel = "exhibits/houmuwu-ding.yaml"
    window = open_editor(demo_copy)
    window.show_item(rel)
    saved = window.doc.text(rel)
    type_into(qtbot, cell(window, "name.en"), "The Great Ding")
    add = form_of(window, "name.en", rel).findChild(QWidget, "add:story")
    assert add is not None
    QTest.mouseClick(add, _left())
    assert len(window.doc.get(rel, ("story",))) == 5
    window.act_undo.trigger()  # the new paragraph
    assert len(window.doc.get(rel, ("story",))) == 4
    assert line(window, "name.en").text() == "The Great Ding"
    window.act_undo.trigger()  # the whole name, typed key by key, is one step
    assert window.doc.text(rel) == saved and not window.doc.dirty
    assert line(window, "name.en").text() == "Houmuwu Ding"
    window.act_redo.trigger()
    assert line(window, "name.en").text() == "The Great Ding"
    assert window.doc.dirty


def test_recovery_file_brings_back_unsaved_work(qtbot: QtBot, open_editor: Opener, demo_copy: Path) -> None:
    rel = "exhibits/houmuwu-ding.yaml"
    window = open_editor(demo_copy)
    window.show_item(rel)
    type_into(qtbot, cell(window, "name.en"), "Crash Test Ding")
    qtbot.waitUntil(lambda: window.doc.recovery_path().is_file(), timeout=10_000)  # the autosave timer
    # The editor "crashes": its window is gone without saving. A new one finds the work.
    doc = PackDocument(demo_copy)
    assert doc.recovery() is not None
    assert doc.restore_recovery() == [rel]
    assert doc.get(rel, ("name", "en")) == "Crash Test Ding"
    doc.undo()
    assert doc.get(rel, ("name", "en")) == "Houmuwu Ding", "restoring is itself one undo step"
    doc.redo()
    doc.save()
    assert not doc.recovery_path().exists()
    assert "en: Crash Test Ding" in (demo_copy / rel).read_text(encoding="utf-8")


def test_picture_is_copied_with_a_safe_name_and_shown(
    qtbot: QtBot, open_editor: Opener, demo_copy: Path, tmp_path: Path
) -> None:
    rel = "exhibits/houmuwu-ding.yaml"
    picture = tmp_path / "My Photo (1).PNG"
    image = QImage(64, 48, QImage.Format.Format_RGB32)
    image.fill(QColor("#8a6d3b"))
    assert image.save(str(picture))
    window = open_editor(demo_copy)
    window.show_item(rel)
    assert window.add_picture(rel, picture) == "media/my-photo-1.png"
    assert (demo_copy / "exhibits/media/my-photo-1.png").read_bytes() == picture.read_bytes()
    form = form_of(window, "media[1].file", rel)
    preview = form.cells["media[1].file"].findChild(QLabel, "preview")
    assert preview is not None
    assert preview.pixmap() is not None and not preview.pixmap().isNull()
    with pytest.raises(EditorError, match="not a picture"):
        window.doc.add_media(rel, tmp_path / "notes.txt")
    window.save()
    report = validate_pack(demo_copy)
    assert report.ok
    ding = next(e for e in pack_of(report).exhibits if e.id == "houmuwu-ding")
    assert [m.file for m in ding.media] == ["media/my-photo-1.png"]


def test_publish_to_a_local_repository_then_a_kiosk_syncs_it(qtbot: QtBot, open_editor: Opener, tmp_path: Path) -> None:
    venue = tmp_path / "venue"
    ensure_pack(venue, ("en", "zh"))
    window = open_editor(venue)
    window.add_exhibit("Stone Drum")
    type_into(qtbot, cell(window, "name.zh"), "石鼓", clear=False)
    type_into(qtbot, cell(window, "summary.en"), "A drum-shaped stone carved with verses.", clear=False)
    type_into(qtbot, cell(window, "summary.zh"), "刻着诗句的鼓形石头。", clear=False)
    qtbot.waitUntil(lambda: window.checked and window.publishable)
    places = PublishPlaces(str(tmp_path / "keys"), str(tmp_path / "repo"), str(tmp_path / "www"))
    places.save(venue)
    dialog = PublishDialog(window)
    qtbot.addWidget(dialog)
    assert dialog.to.text() == str(tmp_path / "www")
    QTest.mouseClick(dialog.go, _left())
    qtbot.waitUntil(lambda: dialog.outcome is not None, timeout=60_000)
    outcome = dialog.outcome
    assert isinstance(outcome, Published), outcome
    assert outcome.version == 1 and outcome.created_keys
    assert "Version 1 is published" in dialog.message.text()
    assert not window.doc.dirty, "publishing saved the changes first"
    assert (tmp_path / "www/metadata/timestamp.json").is_file()
    assert not [p for p in (tmp_path / "www").rglob("*") if "publish.json" in p.name], "editor settings published"

    store = Store(tmp_path / "kiosk")
    install_trust(store, Path(outcome.root_file))
    with nginx_serving(tmp_path / "www", tmp_path / "nginx") as server:
        result = Client(store, server.url, net=NetSettings(timeout_s=5), limits=Limits(keep_free_bytes=0)).sync("venue")
    assert result.version == 1
    installed = store.current_dir("packs", "venue")
    assert installed is not None
    synced = validate_pack(installed)
    assert synced.ok and "Stone Drum" in [e.name.get("en") for e in pack_of(synced).exhibits]


def _left() -> Qt.MouseButton:
    return Qt.MouseButton.LeftButton


def test_hear_it_and_see_the_guide_say_it(qtbot: QtBot, open_editor: Opener, demo_copy: Path) -> None:
    window = open_editor(demo_copy)
    window.try_panel._speak = VenueVoice(window)  # the venue's voice; no speaker here, so the silent clock
    panel = window.try_panel
    type_into(qtbot, panel.question, "How heavy is the Houmuwu Ding?", clear=False)
    qtbot.waitUntil(lambda: "832.84" in panel.answer.text(), timeout=30_000)
    QTest.mouseClick(panel.hear, _left())
    qtbot.waitUntil(lambda: panel.spoken.text() not in ("", "Speaking…"), timeout=60_000)
    assert panel.spoken.text() == "Spoken with the venue's voice."

    QTest.mouseClick(panel.show_guide, _left())
    qtbot.waitUntil(lambda: not panel.preview.busy, timeout=120_000)
    frames = panel.preview.frames
    assert len(frames) > 24, panel.preview.status.text()  # two seconds and more at 12 frames a second
    images = [f.toImage() for f in frames]
    assert len({img.pixel(x, y) for img in images[:1] for x in range(0, 270, 9) for y in range(0, 480, 9)}) > 20
    assert any(images[i] != images[0] for i in range(1, len(images))), "the guide does not move while speaking"
    assert panel.preview.screen_.isVisible() and panel.preview.screen_.pixmap() is not None
