"""Content sync inside the running kiosk.

:class:`KioskSync` runs the :class:`SyncRunner` (``kiosk sync`` in a child process, on a schedule and when staff
press "Sync now") and brings its outcomes from the runner's thread to the Qt thread through a queued signal. A
new version is loaded only between visits: while a visitor is at the kiosk it waits, looking again every few
seconds. A version that does not load is withdrawn (the store goes back to the previous one) and the kiosk keeps
what it shows. The version the kiosk shows is confirmed once it has run for :data:`CONFIRM_AFTER_MS`; until then
a kiosk that keeps failing to start on it goes back to the previous version by itself (:meth:`Store.boot`).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from kiosk.errors import DocentError
from kiosk.sync.runner import FIRST_DELAY_S, SyncOutcome, SyncRunner
from kiosk.sync.settings import SyncSettings
from kiosk.sync.store import MANIFEST, Store
from kiosk.ui.packs import KIND, reason_of
from kiosk.ui.staff_sync import SyncView

log = logging.getLogger("kiosk.ui.sync")

CONFIRM_AFTER_MS = 30_000
"""How long the kiosk must have run on a new version before it is kept whatever happens at the next start."""
RECHECK_MS = 3_000
"""While a visitor is at the kiosk, how often to look again whether a new version can be loaded."""


class KioskSync(QObject):
    """The running kiosk's side of sync. ``load`` switches the kiosk to a version folder (raising when it cannot);
    ``busy`` says whether that would disturb someone now; ``showing`` is the folder the kiosk shows."""

    outcome = Signal(object)
    """A finished check (:class:`SyncOutcome`), emitted on the runner's thread, handled on the Qt thread."""

    def __init__(
        self,
        settings: SyncSettings,
        name: str,
        store: Store,
        *,
        load: Callable[[Path], str],
        busy: Callable[[], bool],
        showing: Callable[[], Path],
        follows: bool = True,
        config_file: Path | None = None,
        first_delay_s: float = FIRST_DELAY_S,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.name = name
        self.store = store
        self.follows = follows
        self._load = load
        self._busy = busy
        self._showing = showing
        self.pending: Path | None = None
        """A new version folder waiting for the current visit to end."""
        self._failed: set[Path] = set()
        self._versions: dict[Path, int | None] = {}
        self.outcome.connect(self._on_outcome, Qt.ConnectionType.QueuedConnection)
        self.runner = SyncRunner(
            settings, name, store, self._from_runner, config_file=config_file, first_delay_s=first_delay_s
        )
        self._recheck = QTimer(self)
        self._recheck.setInterval(RECHECK_MS)
        self._recheck.timeout.connect(self.apply_pending)
        self._confirm = QTimer(self)
        self._confirm.setSingleShot(True)
        self._confirm.setInterval(CONFIRM_AFTER_MS)
        self._confirm.timeout.connect(self.confirm)

    # -- life ------------------------------------------------------------------------------------------------

    def start(self) -> None:
        """Start the schedule, and the confirmation clock when the kiosk shows an unconfirmed version."""
        self.runner.start()
        self.watch_confirm()

    def stop(self) -> None:
        self._recheck.stop()
        self._confirm.stop()
        self.runner.stop()

    def sync_now(self) -> str:
        return self.runner.sync_now()

    # -- outcomes --------------------------------------------------------------------------------------------

    def _from_runner(self, outcome: SyncOutcome) -> None:
        self.outcome.emit(outcome)  # runner thread -> Qt thread (queued)

    def _on_outcome(self, outcome: SyncOutcome) -> None:
        try:
            if outcome.updated and not self.follows:
                log.info(
                    "%s; the kiosk shows %s (--pack) until it is restarted without it", outcome.message, self._here()
                )
                return
            self.check_store()
        except Exception:  # a problem here must not reach the visitor's screen
            log.exception("handling the sync outcome failed")

    def check_store(self) -> None:
        """Load the store's current version when it is not what the kiosk shows (after a sync, or at any time)."""
        current = self.store.current_dir(KIND, self.name)
        if not self.follows or current is None:
            return
        current = current.resolve()
        if current == self._here() or current in self._failed:
            self.pending = None
            return
        self.pending = current
        self.apply_pending()

    def apply_pending(self) -> None:
        """Load the waiting version now, unless someone is using the kiosk (then look again in a few seconds)."""
        path = self.pending
        if path is None:
            self._recheck.stop()
            return
        if self._busy():
            if not self._recheck.isActive():
                log.info(
                    "version %s of %s is ready; it loads when the current visit ends", self._version(path), self.name
                )
                self._recheck.start()
            return
        self._recheck.stop()
        self.pending = None
        try:
            line = self._load(path)
        except Exception as err:
            if not isinstance(err, DocentError):
                log.exception("loading %s failed", path)
            self._failed.add(path)
            back = self.store.rollback(KIND, self.name, f"it does not load on this kiosk: {reason_of(err)}")
            if back is None:
                log.warning(
                    "the new version %s of %s does not load (%s); the kiosk keeps what it shows", path, self.name, err
                )
            else:
                log.warning(
                    "%s; the store is back on version %d and the kiosk keeps what it shows",
                    back.note,
                    back.current.version,
                )
            self.check_store()  # the version gone back to may differ from what the kiosk shows
            return
        log.info("content sync: %s", line)
        self.watch_confirm()

    # -- confirming ------------------------------------------------------------------------------------------

    def watch_confirm(self) -> None:
        """Confirm the version on screen after :data:`CONFIRM_AFTER_MS`, when it still needs confirming."""
        installed = self.store.installed(KIND, self.name)
        current = self.store.current_dir(KIND, self.name)
        if installed is None or current is None or installed.current.confirmed or current.resolve() != self._here():
            self._confirm.stop()
            return
        self._confirm.start()

    @property
    def confirming(self) -> bool:
        """Whether the confirmation clock runs (the kiosk shows a version not yet confirmed)."""
        return self._confirm.isActive()

    def confirm(self) -> None:
        """The kiosk has run properly on its version: keep it, whatever happens at the next start."""
        self._confirm.stop()
        current = self.store.current_dir(KIND, self.name)
        if current is not None and current.resolve() == self._here():
            self.store.confirm(KIND, self.name)
            log.info("content version %s of %s confirmed", self._version(current), self.name)

    # -- for the staff panel ---------------------------------------------------------------------------------

    def view(self) -> SyncView:
        status = self.runner.status()
        installed = self.store.installed(KIND, self.name)
        state = self.store.state()
        code = state.last_error_code if status.last_error and state.last_error == status.last_error else None
        return SyncView(
            server=self.settings.server,
            pack=self.name,
            status=status,
            installed=installed.current.version if installed else None,
            confirmed=installed.current.confirmed if installed else True,
            previous=installed.previous.version if installed and installed.previous else None,
            showing=self._version(self._here()),
            showing_path=str(self._showing()),
            follows=self.follows,
            pending=self._version(self.pending) if self.pending is not None else None,
            problem_code=code,
            note=installed.note if installed else "",
        )

    def _here(self) -> Path:
        return self._showing().resolve()

    def _version(self, folder: Path) -> int | None:
        """The synced version a folder holds (from its manifest), or None when it is not a synced version."""
        folder = folder.resolve()
        if folder not in self._versions:
            version: int | None = None
            if folder.parent == self.store.bundle_dir(KIND, self.name).resolve():
                try:
                    version = int(json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["version"])
                except (OSError, ValueError, KeyError, TypeError):
                    version = None
            self._versions[folder] = version
        return self._versions[folder]


__all__ = ["CONFIRM_AFTER_MS", "RECHECK_MS", "KioskSync"]
