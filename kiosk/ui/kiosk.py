"""Putting the kiosk together: Qt application, engines, session, window and the staff panel behind its PIN.

``Kiosk`` owns them all, so that staff can reload the pack (a new pack is checked before anything is replaced:
a broken one leaves the running kiosk as it was), restart or exit from the staff panel. With a ``sync:`` section
it also runs content sync (:mod:`kiosk.ui.kiosk_sync`) and loads each new version between visits the same way.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QPushButton

from kiosk.cli.run import EXIT_OK, EXIT_RESTART, install_signal_handlers
from kiosk.errors import DocentError
from kiosk.ops.config import KioskConfig, ViewMode
from kiosk.ops.interactions import InteractionLog, LogSettings
from kiosk.ops.logs import LogSetup
from kiosk.ops.paths import data_dir
from kiosk.ops.pin import PinGate
from kiosk.session import Session, SessionSettings
from kiosk.ui.app import Display, KioskWindow
from kiosk.ui.engines import Content, Engines, avatar_for, load_content
from kiosk.ui.kiosk_sync import KioskSync
from kiosk.ui.packs import sync_store, synced_pack_name
from kiosk.ui.staff import PinPad, StaffPanel, StaffStatus
from kiosk.ui.staff_sync import SyncView, until, when
from kiosk.voice.audio import level

log = logging.getLogger("kiosk.ui.kiosk")

DEFAULT_WINDOW = (608, 1080)
NO_SYNC = "Sync is not set up: add a sync: section with the server's address to kiosk.yaml (see docs/kiosk.md)"


class Kiosk:
    def __init__(
        self,
        content: Content,
        config: KioskConfig,
        logs: LogSetup | None,
        *,
        windowed: bool,
        follow_sync: bool = True,
    ) -> None:
        """``follow_sync``: new synced versions replace ``content`` as they arrive (False when ``--pack`` chose it)."""
        self.content = content
        self.config = config
        self.logs = logs
        self.windowed = windowed
        self.follow_sync = follow_sync
        self.sync: KioskSync | None = None
        self.interactions = InteractionLog(settings=LogSettings.from_config(config), background=True)
        self.engines = Engines(content, config.microphone, config.speaker)
        self.engines.start_voice(on_ready=self._voice_ready)
        if config.volume is not None:
            self.engines.out.volume = config.volume / 100
        self.gate = PinGate(
            config.staff_pin, pin_hash=config.staff_pin_hash, allow_without_pin=windowed and not config.from_file
        )
        self.view_mode = config.view.value
        self._build_window()
        self._mic_level = 0.0
        self._mic_stop = threading.Event()

    # -- building ------------------------------------------------------------------------------------------------

    def _offer_languages(self, window: KioskWindow) -> None:
        """Only the languages kiosk.yaml offers get a button (``languages:``; all of the pack's by default)."""
        offered = set(self.config.offered(self.content.pack.languages))
        for lang, button in window.top.languages.items():
            button.setVisible(lang in offered)
        for lang in self.content.pack.languages:
            start = window.attract.findChild(QPushButton, f"start-{lang}")
            if start is not None:
                start.setVisible(lang in offered)

    def _session(self) -> Session:
        e = self.engines
        return Session(
            self.content.mind,
            voice=e.voice,
            models=e.models,
            microphone=e.open_microphone if e.microphone_ok else None,
            interactions=self.interactions,
            settings=SessionSettings(
                idle_timeout_s=self.config.idle_timeout_s,
                hands_free=self.config.hands_free,
                keep_audio=data_dir() / "heard" if self.config.keep_audio else None,
            ),
        )

    def _build_window(self) -> None:
        avatar, why = avatar_for(self.content)
        if why:
            log.warning("%s", why)
        c = self.config
        window = KioskWindow(
            self._session(),
            avatar,
            view_mode=self.view_mode,
            render_scale=c.render_scale,
            display=Display(c.large_text, c.high_contrast, c.reduced_motion),
            orientation=c.orientation.value,
            staff=self,
        )
        self.window = window
        self._offer_languages(window)
        self.pin = PinPad(self.gate)
        self.pin.setObjectName("staff-pin")
        self.pin.unlocked.connect(self._show_panel)
        self.pin.cancelled.connect(self.close_staff)
        self.panel = StaffPanel(self)
        self.panel.setObjectName("staff-panel")
        window.pages.addWidget(self.pin)
        window.pages.addWidget(self.panel)

    def show(self, size: tuple[int, int] | None = None) -> None:
        if self.windowed:
            w, h = size or DEFAULT_WINDOW
            self.window.resize(w, h)
            self.window.setWindowTitle(f"Docent: {self.content.pack.venue.name.pick('en')[0]}")
            self.window.show()
        else:
            self.window.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
            self.window.showFullScreen()
        self.window.start()
        if self.sync is None and self.config.sync is not None:
            self._start_sync()

    def _start_sync(self) -> None:
        settings = self.config.sync
        assert settings is not None
        store = sync_store()
        name = synced_pack_name(settings, store) or self.content.pack.venue.id
        self.sync = KioskSync(
            settings,
            name,
            store,
            load=self._reload_from,
            busy=self._busy,
            showing=lambda: self.content.pack.root,
            follows=self.follow_sync,
            config_file=self.config.path,
        )
        self.sync.start()

    def _busy(self) -> bool:
        """Someone is using the kiosk: a visitor, or staff typing the PIN (the staff panel itself survives)."""
        return self.window.session.active or self.window.pages.currentWidget() is self.pin

    def _voice_ready(self) -> None:
        error = self.engines.speech_error
        if error:
            from kiosk.events import VoiceUnavailable

            self.window.post(VoiceUnavailable("speech", error))

    # -- the staff panel (StaffBackend) -----------------------------------------------------------------------

    def open(self) -> None:
        """The hidden gesture was made: the PIN pad (or, in a preview without PIN, the panel)."""
        if self.window.session.active:
            self.window.session.end("staff")
        self.pin.reset()
        self.window.pages.setCurrentWidget(self.pin)

    def _show_panel(self) -> None:
        self.panel.refresh()
        self.window.pages.setCurrentWidget(self.panel)
        self._start_meter()

    def close_staff(self) -> None:
        self._mic_stop.set()
        self.window.pages.setCurrentWidget(self.window.attract)

    def staff_status(self) -> StaffStatus:
        pack = self.content.pack
        models = self.engines.models
        langs = pack.languages
        view = self.window.view
        view_line = f"{view.backend}, {view.fps():.0f} fps"
        if view.failure:
            view_line = f"not shown: {view.failure}"
        recent = self.logs.recent.lines() if self.logs is not None else ()
        sync = self.sync_view()
        return StaffStatus(
            venue=pack.venue.name.pick("en", langs)[0],
            pack_path=str(pack.root),
            pack_version=pack.fingerprint[:12],
            languages=langs,
            speech_models=tuple((lang, models.describe(lang) if models else "not started") for lang in langs),
            microphone=self.engines.microphone,
            speaker=self.engines.speaker
            + (f"; speech engine: {self.engines.speech_error}" if self.engines.speech_error else ""),
            view=view_line,
            last_sync=when(sync.status.last_success) if sync else None,
            next_sync=until(sync.status.next_at) if sync else None,
            recent_problems=tuple(recent[-20:]),
            unanswered_today=self._unanswered_today(),
            volume=round(self.engines.out.volume * 100),
            sync=sync,
        )

    def sync_view(self) -> SyncView | None:
        return self.sync.view() if self.sync is not None else None

    def _unanswered_today(self) -> tuple[tuple[str, str, str], ...]:
        """Today's fallbacks and low-confidence answers from the interaction log: (time, language, question)."""
        midnight = datetime.now().astimezone().replace(hour=0, minute=0, second=0, microsecond=0)
        rows = []
        for turn in self.interactions.unanswered(since=midnight):
            if turn.question:
                question = turn.question
            elif turn.reason == "not-heard":
                question = "(spoken, not understood)"
            else:
                question = "(question text not kept: log_questions is off)"
            rows.append((turn.time.astimezone().strftime("%H:%M"), turn.language, question))
        return tuple(rows[-30:])

    def microphone_level(self) -> float:
        return self._mic_level

    def _start_meter(self) -> None:
        """While the panel is open, read the microphone for the level meter (never recorded, never kept)."""
        self._mic_stop = threading.Event()
        stop = self._mic_stop
        if not self.engines.microphone_ok:
            return

        def run() -> None:
            try:
                source = self.engines.open_microphone()
            except DocentError as err:
                log.warning("the microphone level meter could not open the microphone: %s", err)
                return
            try:
                for frame in source.frames():
                    self._mic_level = min(1.0, level(frame.samples) * 4)
                    if stop.is_set():
                        break
            finally:
                source.close()
                self._mic_level = 0.0

        threading.Thread(target=run, name="docent-mic-meter", daemon=True).start()

    def test_speaker(self) -> str:
        voice = self.engines.voice
        lang = self.content.pack.venue.default_language
        if voice is None or self.engines.speech_error:
            return f"speech is not available: {self.engines.speech_error or 'no voice'}"
        text = self.content.mind.compose.line("greeting", lang)
        threading.Thread(target=voice.speak, args=(text, lang), daemon=True).start()
        return f"playing a test sentence: {self.engines.speaker}"

    def sync_now(self) -> str:
        return self.sync.sync_now() if self.sync is not None else NO_SYNC

    def reload_pack(self) -> str:
        """Check the pack on disk again and switch to it only if it is usable; otherwise keep the current one."""
        try:
            return self._reload_from(self.content.pack.root)
        except DocentError as err:
            log.warning("reload refused: %s", err)
            return f"kept the current pack: {err}"

    def _reload_from(self, path: Path) -> str:
        """Switch to the pack at ``path``: loaded and checked first, so a broken one raises (DocentError) and
        leaves the kiosk as it was. Staff who had the panel open keep it."""
        started = time.monotonic()
        content = load_content(path, self.config.preferred_language)
        staff_open = self.window.pages.currentWidget() is self.panel
        self._mic_stop.set()
        old = self.window
        self.content = content
        self.engines.use_content(content)
        self._build_window()
        old.session.close()
        old.close()
        self.show((old.width(), old.height()))
        line = f"reloaded {content.pack.root} ({content.pack.fingerprint[:12]}) in {time.monotonic() - started:.1f} s"
        if staff_open:
            self._show_panel()
            self.panel.say(line)
        return line

    def set_volume(self, percent: int) -> None:
        self.engines.out.volume = max(0, min(100, percent)) / 100

    def restart_kiosk(self) -> None:
        log.info("restart requested from the staff panel")
        QApplication.exit(EXIT_RESTART)

    def exit_kiosk(self) -> None:
        log.info("exit requested from the staff panel")
        QApplication.exit(EXIT_OK)

    def close(self) -> None:
        if self.sync is not None:
            self.sync.stop()
        self._mic_stop.set()
        self.window.session.close()
        self.window.close()
        self.engines.close()
        self.interactions.close()


def launch(
    content: Content,
    config: KioskConfig,
    logs: LogSetup | None,
    *,
    windowed: bool,
    size: tuple[int, int] | None = None,
    view: str | None = None,
    started: float | None = None,
    exit_after: float | None = None,
    follow_sync: bool = True,
) -> int:
    """Run the kiosk until staff exit or restart it; returns the process exit code.

    Under systemd (``Type=notify``) it reports READY=1 once the attract screen is interactive, pings the watchdog
    from the UI thread (a frozen UI misses its pings and gets the kiosk restarted) and says STOPPING=1 on the way out.
    """
    from kiosk.ops.watchdog import Notifier

    notifier = Notifier.from_environment()  # before any child process starts: they must not inherit it
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName("Docent")
    if view:
        config = replace(config, view=ViewMode(view))
    kiosk = Kiosk(content, config, logs, windowed=windowed, follow_sync=follow_sync)
    kiosk.show(size)

    def excepthook(kind: type[BaseException], err: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            app.quit()
            return
        kiosk.window.recover(err)

    sys.excepthook = excepthook
    install_signal_handlers(app.quit)

    def interactive() -> None:
        # The event loop is running, the attract screen is painted and the guide has rendered a frame.
        if not kiosk.window.frames.frames:
            QTimer.singleShot(2, interactive)
            return
        since = f" {time.monotonic() - started:.2f} s after start" if started is not None else ""
        log.info("attract screen interactive%s (%s view)", since, kiosk.window.view.backend)
        print(f"docent: attract screen interactive{since}", file=sys.stderr, flush=True)
        notifier.ready(f"attract screen interactive{since}")

    QTimer.singleShot(0, interactive)
    if notifier.interval is not None:
        pings = QTimer(app)
        pings.setInterval(max(100, round(notifier.interval * 1000 / 2)))
        pings.timeout.connect(notifier.ping)
        pings.start()
    if exit_after is not None:
        QTimer.singleShot(round(exit_after * 1000), app.quit)
    code = app.exec()
    notifier.stopping("restarting" if code == EXIT_RESTART else "stopping")
    kiosk.close()
    notifier.close()
    return int(code)


__all__ = ["DEFAULT_WINDOW", "NO_SYNC", "Kiosk", "launch"]
