"""Sync inside a running kiosk: ``kiosk sync --json`` in a child process, on a schedule and on demand.

A child process keeps downloads, hashing and the health check (which builds a whole search index) off the
kiosk's frame loop and out of its memory, and a crash in it cannot take the kiosk down. The runner reads the
child's JSON lines, keeps a :class:`SyncStatus` for the staff panel and reports through one callback. Failures
are retried with exponential backoff (1, 2, 4 ... minutes, up to the normal interval, with jitter so a fleet
does not hit the server in step); the kiosk meanwhile keeps its last good pack.
"""

from __future__ import annotations

import json
import logging
import random
import subprocess
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from kiosk.ops.paths import self_command
from kiosk.sync.settings import SyncSettings
from kiosk.sync.store import Store

log = logging.getLogger("kiosk.sync")

FIRST_DELAY_S = 20.0
"""The first check waits until the kiosk has settled after start-up."""
BACKOFF_START_S = 60.0


def next_delay(every_s: float, failures: int, rng: random.Random | None = None) -> float:
    """Seconds until the next check: the interval after a success; after failures 1, 2, 4 ... minutes, never
    more than the interval; +-20% jitter either way."""
    base = every_s if failures <= 0 else min(every_s, BACKOFF_START_S * 2 ** (failures - 1))
    return base * (rng or random).uniform(0.8, 1.2)


@dataclass(frozen=True)
class SyncStatus:
    running: bool = False
    stage: str = ""
    done: int = 0
    total: int = 0
    last_success: float | None = None
    last_attempt: float | None = None
    last_error: str | None = None
    next_at: float | None = None
    installed_version: int | None = None

    def progress_line(self) -> str | None:
        if not self.running:
            return None
        if self.stage == "download" and self.total:
            return f"downloading: {100 * self.done // self.total}% ({self.done / 1e6:.1f} of {self.total / 1e6:.1f} MB)"
        return {"health": "checking the new version", "switch": "switching", "stage": "assembling"}.get(
            self.stage, "checking the server"
        )


@dataclass(frozen=True)
class SyncOutcome:
    """A finished check: ``updated`` means a new version is installed and the kiosk should load it."""

    ok: bool
    updated: bool
    message: str
    code: str | None = None


class SyncRunner:
    def __init__(
        self,
        settings: SyncSettings,
        pack: str,
        store: Store,
        on_outcome: Callable[[SyncOutcome], None],
        *,
        config_file: Path | None = None,
        command: Sequence[str] | None = None,
        first_delay_s: float = FIRST_DELAY_S,
    ) -> None:
        self.settings = settings
        self.pack = pack
        self.store = store
        self.on_outcome = on_outcome
        base = list(command) if command else self_command()
        self.command = [*base, "sync", "--json", "--pack", pack, "--server", settings.server]
        if config_file is not None:
            self.command += ["--config", str(config_file)]
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        state = store.state()
        installed = store.installed("packs", pack)
        self._status = SyncStatus(
            last_success=state.last_success,
            last_attempt=state.last_attempt,
            last_error=state.last_error,
            next_at=time.time() + first_delay_s,
            installed_version=installed.current.version if installed else None,
        )
        self._failures = state.failures
        self._child: subprocess.Popen[str] | None = None
        self._thread = threading.Thread(target=self._loop, name="docent-sync", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def status(self) -> SyncStatus:
        with self._lock:
            return self._status

    def sync_now(self) -> str:
        if self.status().running:
            return "a sync is already running"
        self._wake.set()
        return f"checking {self.settings.server} for a new version of {self.pack}"

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        child = self._child
        if child is not None and child.poll() is None:
            child.terminate()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    # -- the loop --------------------------------------------------------------------------------------------

    def _loop(self) -> None:
        while not self._stop.is_set():
            next_at = self.status().next_at or time.time()
            self._wake.wait(timeout=max(0.0, next_at - time.time()))
            if self._stop.is_set():
                return
            self._wake.clear()
            outcome = self._run_once()
            self._failures = 0 if outcome.ok else self._failures + 1
            delay = next_delay(self.settings.every_minutes * 60, self._failures)
            with self._lock:
                self._status = replace(self._status, next_at=time.time() + delay)
            if outcome.ok:
                log.info("sync: %s", outcome.message)
            else:
                log.warning("sync failed (%s); next try in %.0f min: %s", outcome.code, delay / 60, outcome.message)
            try:
                self.on_outcome(outcome)
            except Exception:  # the kiosk's handler must not stop the schedule
                log.exception("handling the sync outcome failed")

    def _run_once(self) -> SyncOutcome:
        started = time.time()
        with self._lock:
            self._status = replace(self._status, running=True, stage="check", done=0, total=0, last_attempt=started)
        outcome = SyncOutcome(False, False, "the sync process ended without a result", "no-result")
        try:
            child = subprocess.Popen(
                self.command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8"
            )
        except OSError as err:
            outcome = SyncOutcome(False, False, f"cannot start the sync process: {err}", "spawn")
        else:
            self._child = child
            assert child.stdout is not None
            for line in child.stdout:
                outcome = self._read(line) or outcome
            errors = child.stderr.read() if child.stderr is not None else ""
            code = child.wait()
            self._child = None
            if outcome.code == "no-result" and errors.strip():
                outcome = replace(outcome, message=f"sync exited with {code}: {errors.strip().splitlines()[-1]}")
        installed = self.store.installed("packs", self.pack)
        with self._lock:
            self._status = replace(
                self._status,
                running=False,
                stage="",
                last_success=time.time() if outcome.ok else self._status.last_success,
                last_error=None if outcome.ok else outcome.message,
                installed_version=installed.current.version if installed else None,
            )
        return outcome

    def _read(self, line: str) -> SyncOutcome | None:
        try:
            event = json.loads(line)
        except ValueError:
            return None
        kind = event.get("event")
        if kind == "progress":
            with self._lock:
                self._status = replace(
                    self._status,
                    stage=str(event.get("stage", "")),
                    done=int(event.get("done", 0)),
                    total=int(event.get("total", 0)),
                )
            return None
        if kind == "done":
            return SyncOutcome(True, bool(event.get("updated")), str(event.get("message", "")))
        if kind == "error":
            return SyncOutcome(False, False, str(event.get("message", "")), str(event.get("code", "error")))
        return None


__all__ = ["SyncOutcome", "SyncRunner", "SyncStatus", "next_delay"]
