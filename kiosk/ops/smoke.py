"""``kiosk run --smoke``: every part of the kiosk started once, without a screen or a visitor, one line per step.

How an installation is checked where nobody can look at the screen: the bundle's build test, ``kiosk run --smoke``
after installing the .deb or on a Windows kiosk, a technician over SSH. The steps are the kiosk's own start-up:

  config    kiosk.yaml read (or none: the defaults)
  content   the pack the kiosk would show (``--pack``, the synced version, ``pack:`` or the demo), its index, the mind
  answer    one typed question in the venue's first language through a Session: answered, not a fallback
  window    Qt starts (its platform plugin), and the platform plugins a kiosk needs are present
  guide     one frame of the guide rendered offscreen by Panda3D (its OpenGL plugin, the avatar's model)
  speech    the answer's first sentence synthesized by the speech worker process
  listen    the Vosk library loads; which speech models are installed (none is not a failure: touch and typing work)

Each step prints ``ok    <step>  <what it found>`` or ``FAIL  <step>  <what failed>``; the first failure ends the run
with exit code 1 (2 when the configuration or the pack is unusable, as for ``kiosk run``).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.errors import DocentError

EXIT_OK, EXIT_FAILED, EXIT_UNUSABLE = 0, 1, 2
FRAME = (270, 480)
"""The smoke frame's size: small, so software OpenGL renders it in a moment."""
GUIDE_SHARE = 0.02
"""At least this share of the frame must differ from the backdrop for the guide to count as drawn."""


class SmokeFailed(DocentError):
    """A smoke step found its part not working; the message says which and why."""

    code = "smoke-failed"


@dataclass(frozen=True)
class Question:
    text: str
    language: str
    exhibit: str | None
    """The exhibit the answer must be about (None: any answer that is not a fallback)."""


def smoke_question(pack: Any, language: str) -> Question:
    """A question the pack itself answers in ``language``: its first curated question, else an exhibit's name."""
    for exhibit in pack.exhibits:
        for curated in exhibit.questions:
            asks = curated.asks.get(language)
            if asks and curated.answer.get(language):
                return Question(asks[0], language, exhibit.id)
    for exhibit in pack.exhibits:
        name = exhibit.name.get(language)
        if name:
            return Question(name, language, exhibit.id)
    raise SmokeFailed(f"the pack has no exhibit with a name in '{language}' to ask about")


class Smoke:
    """The steps in order, sharing what earlier steps made (the config, the content, the answer)."""

    def __init__(
        self,
        config_file: Path | None,
        pack_dir: Path | None,
        language: str | None,
        out: Callable[[str], None],
    ) -> None:
        self.config_file = config_file
        self.pack_dir = pack_dir
        self.language = language
        self.out = out
        self.config: Any = None
        self.content: Any = None
        self.answer: Any = None

    def run(self) -> int:
        started = time.monotonic()
        steps: list[tuple[str, Callable[[], str]]] = [
            ("config", self.read_config),
            ("content", self.load_content),
            ("answer", self.ask),
            ("window", self.window),
            ("guide", self.guide),
            ("speech", self.speech),
            ("listen", self.listen),
        ]
        for name, step in steps:
            try:
                detail = step()
            except Exception as err:  # every failure is reported as the step's, whatever raised it
                self.out(f"FAIL  {name:<8}{_why(err)}")
                unusable = name in ("config", "content") and isinstance(err, DocentError)
                return EXIT_UNUSABLE if unusable else EXIT_FAILED
            self.out(f"ok    {name:<8}{detail}")
        self.out(f"smoke: all {len(steps)} steps passed in {time.monotonic() - started:.1f} s")
        return EXIT_OK

    # -- the steps -----------------------------------------------------------------------------------------------

    def read_config(self) -> str:
        from kiosk.ops.config import config_path, load_config

        path = self.config_file
        self.config = load_config(path, required=path is not None)
        if self.config.from_file:
            return f"{self.config.path}"
        return f"no {path or config_path()}: the defaults (a windowed preview)"

    def load_content(self) -> str:
        from kiosk.ui.packs import resolve_pack

        started = time.monotonic()
        start = resolve_pack(self.config, self.pack_dir, self.language or self.config.language)
        self.content = start.content
        self.config.check_languages(self.content.pack.languages)
        pack = self.content.pack
        name = pack.venue.name.get(pack.languages[0]) or pack.venue.id
        synced = f", synced pack {start.synced}" if start.synced else ""
        return (
            f"{name}: {len(pack.exhibits)} exhibits in {', '.join(pack.languages)} from {pack.root}{synced} "
            f"({time.monotonic() - started:.1f} s)"
        )

    def ask(self) -> str:
        from kiosk.events import AnswerChosen, Event, QuestionAsked
        from kiosk.session import Session, SessionSettings

        pack = self.content.pack
        question = smoke_question(pack, pack.languages[0])
        events: list[Event] = []
        session = Session(self.content.mind, emit=events.append, settings=SessionSettings(greet=False))
        try:
            answer = session.ask(question.text, via="typed")
        finally:
            session.close()
        if answer is None:
            raise SmokeFailed(f"the session gave no answer to {question.text!r}")
        said = f"{question.text!r} -> {answer.text[:80]!r}"
        if not answer.answered:
            raise SmokeFailed(f"{said} is a fallback ({answer.reason}): the index or the mind is broken")
        if question.exhibit is not None and answer.exhibit != question.exhibit:
            raise SmokeFailed(f"{said} is about {answer.exhibit!r}, not {question.exhibit!r}")
        kinds = {type(e) for e in events}
        if not {QuestionAsked, AnswerChosen} <= kinds:
            raise SmokeFailed(f"the session answered without reporting the question and the answer ({said})")
        self.answer = answer
        return f"{said} ({answer.intent.value}, {answer.exhibit}, confidence {answer.confidence:.2f})"

    def window(self) -> str:
        from PySide6.QtCore import QLibraryInfo, qVersion
        from PySide6.QtWidgets import QApplication

        if not (os.environ.get("QT_QPA_PLATFORM") or os.environ.get("WAYLAND_DISPLAY") or os.environ.get("DISPLAY")):
            os.environ["QT_QPA_PLATFORM"] = "offscreen"  # no screen here: Qt would stop the process without one
        folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "platforms"
        present = sorted(_plugin_name(p) for p in folder.glob("*") if p.is_file()) if folder.is_dir() else []
        missing = [name for name in _needed_platforms() if name not in present]
        if missing:
            raise SmokeFailed(f"Qt platform plugins missing from {folder}: {', '.join(missing)}")
        app = QApplication.instance() or QApplication(sys.argv[:1])
        platform = app.platformName() if isinstance(app, QApplication) else "?"
        return f"Qt {qVersion()} on '{platform}'; platform plugins: {', '.join(present)}"

    def guide(self) -> str:
        import numpy as np

        from kiosk.avatar.render import OffscreenRenderer, Shot
        from kiosk.ui.engines import avatar_for

        started = time.monotonic()
        spec, why = avatar_for(self.content)
        renderer = OffscreenRenderer(Shot(FRAME[0], FRAME[1], multisamples=0))
        try:
            renderer.load(spec)
            image = renderer.render(0.5)
            gsg = renderer.buffer.getGsg()
            driver = f"{gsg.getDriverVendor()} {gsg.getDriverRenderer()}".strip() if gsg is not None else "?"
        finally:
            renderer.close()
        backdrop = image[2, 2].astype(np.int16)
        drawn = float((np.abs(image.astype(np.int16) - backdrop).max(axis=2) > 24).mean())
        if drawn < GUIDE_SHARE:
            raise SmokeFailed(f"the frame shows no guide ({drawn:.1%} of it differs from the backdrop)")
        note = f"; {why}" if why else ""
        return (
            f"one {FRAME[0]}x{FRAME[1]} frame of '{spec.name}' ({drawn:.0%} of it not backdrop) in "
            f"{time.monotonic() - started:.1f} s on {driver}{note}"
        )

    def speech(self) -> str:
        from kiosk.voice.tts import Synthesizer, sentences

        text = (sentences(self.answer.text) or [self.answer.text])[0]
        language = self.answer.language
        with tempfile.TemporaryDirectory(prefix="docent-smoke-") as cache:  # a real synthesis, never the cache
            synthesizer = Synthesizer(self.content.pack.venue.speech, cache_dir=Path(cache))
            try:
                clip = synthesizer.synthesize(text, language)
                voice = synthesizer.voice_for(language)
            finally:
                synthesizer.close()
        if clip.duration < 0.2:
            raise SmokeFailed(f"the speech engine wrote {clip.duration:.2f} s of audio for {text!r}")
        return f"{clip.duration:.1f} s of speech in '{language}' (voice {voice}) in {clip.seconds_to_ready:.1f} s"

    def listen(self) -> str:
        import vosk

        from kiosk.voice.models import bundled_model_dir, model_path

        vosk.SetLogLevel(-1)
        languages = self.content.pack.languages
        installed = [lang for lang in languages if model_path(lang) is not None]
        bundled = [lang for lang in languages if lang not in installed and bundled_model_dir(lang) is not None]
        parts = [f"Vosk library loaded; speech models for {', '.join(installed) or 'no language'}"]
        if bundled:
            parts.append(f"bundled, not installed: {', '.join(bundled)} (kiosk models install {bundled[0]})")
        return "; ".join(parts)


def _why(err: BaseException) -> str:
    if isinstance(err, DocentError):
        return str(err)
    return f"{type(err).__name__}: {err}"


def _plugin_name(path: Path) -> str:
    """``libqxcb.so`` -> ``xcb``, ``qwindows.dll`` -> ``windows``, ``libqcocoa.dylib`` -> ``cocoa``."""
    stem = path.name.split(".")[0]
    return stem.removeprefix("lib").removeprefix("q")


def _needed_platforms() -> tuple[str, ...]:
    """The platform plugins a kiosk on this system may need: headless, and its windowing systems."""
    if sys.platform == "win32":
        return ("offscreen", "windows")
    if sys.platform == "darwin":
        return ("offscreen", "cocoa")
    return ("offscreen", "xcb", "wayland")


def run_smoke(
    config_file: Path | None,
    pack_dir: Path | None,
    language: str | None,
    out: Callable[[str], None] | None = None,
) -> int:
    """Run every step, printing one line each; the exit code (0 all passed, 1 a step failed, 2 unusable)."""

    def say(line: str) -> None:
        print(line, flush=True)

    return Smoke(config_file, pack_dir, language, out or say).run()


__all__ = ["EXIT_FAILED", "EXIT_OK", "EXIT_UNUSABLE", "Question", "Smoke", "SmokeFailed", "run_smoke", "smoke_question"]
