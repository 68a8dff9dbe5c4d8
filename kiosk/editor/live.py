"""The real guide on the curator's unsaved pack: the same index and Mind the kiosk uses, rebuilt as the pack changes.

Building the index takes a while on a big pack, so it happens on a worker thread while the previous mind keeps
answering; the mind itself is made on the caller's thread, because SQLite connections belong to the thread that
opened them (``finish()``; the editor calls it from a Qt timer). Answers are synchronous and take about a
millisecond, well inside the 100 ms the "Ask the guide" panel has after typing stops.
"""

from __future__ import annotations

import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from kiosk.content.index import PackIndex
from kiosk.content.model import Pack
from kiosk.errors import DocentError
from kiosk.mind.answer import DialogueState, Turn
from kiosk.mind.mind import Mind


@dataclass
class _Built:
    pack: Pack
    path: Path
    error: str = ""


class LiveGuide:
    def __init__(self, workdir: Path | None = None) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix="docent-editor-") if workdir is None else None
        self.workdir = workdir or Path(self._tmp.name if self._tmp else ".")
        self.mind: Mind | None = None
        self.pack: Pack | None = None
        self.error = ""
        self.state = DialogueState()
        self._index: PackIndex | None = None
        self._wanted: Pack | None = None
        self._built: _Built | None = None
        self._lock = threading.Lock()
        self._worker: threading.Thread | None = None
        self._serial = 0
        self._running = False

    @property
    def busy(self) -> bool:
        return self._running

    @property
    def current(self) -> bool:
        """Whether the mind answers from the latest pack given to update()."""
        return self.mind is not None and self._wanted is not None and self.pack is self._wanted

    def update(self, pack: Pack | None) -> None:
        """Start building the mind for ``pack`` (the latest one wins); a pack equal to the current one is free."""
        if pack is None:
            return
        with self._lock:
            if self.pack is not None and pack.fingerprint == self.pack.fingerprint:
                self._wanted = self.pack
                return
            self._wanted = pack
            if self._running:
                return  # the worker picks up the latest pack when it finishes the one in hand
            self._running = True
            self._worker = threading.Thread(target=self._build_loop, name="docent-editor-index", daemon=True)
            self._worker.start()

    def _build_loop(self) -> None:
        while True:
            with self._lock:
                pack = self._wanted
                if pack is None or pack is self.pack or (self._built is not None and self._built.pack is pack):
                    self._running = False
                    return
                self._serial += 1
                path = self.workdir / f"index-{self._serial}.sqlite"
            try:
                PackIndex.open(pack, path).close()
                built = _Built(pack, path)
            except (DocentError, OSError) as err:
                built = _Built(pack, path, str(err))
            with self._lock:
                if self._built is not None and self._built.path != built.path:
                    self._built.path.unlink(missing_ok=True)  # superseded before anyone adopted it
                self._built = built

    def finish(self) -> bool:
        """Adopt a finished build on this thread; returns whether the mind changed."""
        with self._lock:
            built, self._built = self._built, None
        if built is None:
            return False
        if built.error:
            self.error = built.error
            return False
        index = PackIndex.open(built.pack, built.path)  # already built: only opened here
        try:
            mind = Mind(built.pack, index)
        except DocentError as err:
            index.close()
            self.error = str(err)
            return False
        old = self._index
        self.mind, self.pack, self._index, self.error = mind, built.pack, index, ""
        if old is not None:
            old.close()
            old.path.unlink(missing_ok=True)
        self.state = DialogueState()
        return True

    def snapshot(self) -> tuple[Pack, Path] | None:
        """The pack the guide answers from and its built index, for work on another thread (coverage): open the
        index there with ``PackIndex.open(pack, path)`` and make a Mind of its own."""
        if self.pack is None or self._index is None:
            return None
        return self.pack, self._index.path

    def wait(self, timeout: float = 30.0) -> bool:
        """Wait for the build in progress and adopt it (tests, benchmarks, the command line)."""
        worker = self._worker
        if worker is not None:
            worker.join(timeout)
        return self.finish()

    def answer(self, text: str, *, follow_up: bool = False) -> Turn | None:
        if self.mind is None:
            return None
        turn = self.mind.answer(text, self.state if follow_up else DialogueState())
        self.state = turn.state
        return turn

    def close(self) -> None:
        if self._worker is not None:
            self._worker.join(30)
        if self._index is not None:
            self._index.close()
            self._index = None
        self.mind = None
        if self._tmp is not None:
            self._tmp.cleanup()
