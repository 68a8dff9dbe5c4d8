"""The engines behind the kiosk window, started so that the attract screen is up before the slow parts are ready.

``load_content`` (pack, index, mind) runs before the window opens: without it there is nothing to show.
``Engines.start_voice`` then starts speech synthesis (a worker process) and loads the speech models on background
threads while visitors already see the guide; until they are ready, or when they fail, the kiosk works by touch
and typing and says so. A pack whose only errors are in its avatar still opens, with the bundled guide.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.avatar.package import AvatarInvalid, AvatarSpec, load_avatar
from kiosk.content import Pack, PackIndex, Problem, validate_pack
from kiosk.content.problems import errors_in
from kiosk.errors import DocentError
from kiosk.mind import Mind
from kiosk.ops.paths import demo_pack_path
from kiosk.voice.asr import SpeechModels
from kiosk.voice.audio import AudioSource, MicSource, MicStatus
from kiosk.voice.out import AudioOut, SilentAudioOut, open_audio_out
from kiosk.voice.pipeline import Voice
from kiosk.voice.tts import SynthesisError, Synthesizer

log = logging.getLogger("kiosk.engines")


class KioskUnusable(DocentError):
    """The kiosk cannot start: the pack is missing or broken beyond its avatar."""

    code = "kiosk-unusable"


@dataclass
class Content:
    pack: Pack
    mind: Mind
    warnings: tuple[Problem, ...] = ()
    avatar_problems: tuple[Problem, ...] = ()


def load_content(path: Path | None, language: str | None = None) -> Content:
    """The pack, its index and the mind. Raises KioskUnusable with every error when the content is unusable."""
    root = path or demo_pack_path()
    report = validate_pack(root)
    errors = errors_in(report.problems)
    content_errors = tuple(p for p in errors if not p.file.startswith("avatars/"))
    if report.pack is None or content_errors:
        lines = "\n".join(str(p) for p in content_errors[:20]) or "the pack could not be read"
        raise KioskUnusable(f"the content pack at {root} has errors; fix them (kiosk pack validate):\n{lines}")
    if language and language not in report.pack.languages:
        raise KioskUnusable(f"the pack's languages are {', '.join(report.pack.languages)}; '{language}' is not one")
    index = PackIndex.open(report.pack)
    mind = Mind(report.pack, index, default_language=language)
    avatar_errors = tuple(p for p in errors if p.file.startswith("avatars/"))
    return Content(report.pack, mind, tuple(report.warnings), avatar_errors)


def avatar_for(content: Content) -> tuple[AvatarSpec, str | None]:
    """The pack's avatar, or the bundled guide when the pack's is missing or broken (with a line saying why)."""
    ref = content.pack.avatar_ref()
    why: str | None = None
    if ref is not None and not content.avatar_problems:
        try:
            return load_avatar(ref.folder, f"avatars/{ref.name}/avatar.yaml"), None
        except AvatarInvalid as err:
            why = f"the pack's avatar '{ref.name}' is invalid ({err}); showing the bundled guide"
    elif ref is not None:
        why = f"the pack's avatar '{ref.name}' has errors ({content.avatar_problems[0]}); showing the bundled guide"
    else:
        why = "the pack has no avatar; showing the bundled guide"
    bundled = demo_pack_path() / "avatars" / "docent"
    return load_avatar(bundled, "avatars/docent/avatar.yaml"), why


@dataclass
class Engines:
    """Speech out, speech in and the microphone, each of which may be missing without stopping the kiosk."""

    content: Content
    microphone_device: int | str | None = None
    speaker_device: int | str | None = None
    out: AudioOut = field(default_factory=SilentAudioOut)
    speaker: str = "not started"
    synthesizer: Synthesizer | None = None
    voice: Voice | None = None
    models: SpeechModels | None = None
    microphone: str = "not checked"
    microphone_ok: bool = False
    speech_error: str | None = None
    ready: threading.Event = field(default_factory=threading.Event)

    def start_voice(self, on_ready: Callable[[], None] | None = None) -> None:
        """Open the speaker and microphone now (fast), then start synthesis and load models in the background."""
        self.out, self.speaker = open_audio_out(self.speaker_device)
        self.microphone_ok, self.microphone = probe_microphone(self.microphone_device)
        self.use_content(self.content)
        synthesizer = Synthesizer(self.content.pack.venue.speech)
        self.synthesizer = synthesizer
        self.voice = Voice(synthesizer, self.out)

        def run() -> None:
            try:
                synthesizer.start()
            except SynthesisError as err:
                self.speech_error = err.message
                log.warning("speech synthesis is unavailable: %s", err.message)
            except Exception as err:  # an engine that fails in an unexpected way is still only a missing voice
                self.speech_error = str(err)
                log.exception("speech synthesis failed to start")
            finally:
                self.ready.set()
                if on_ready is not None:
                    on_ready()

        threading.Thread(target=run, name="docent-start-voice", daemon=True).start()

    def use_content(self, content: Content) -> None:
        """A reloaded pack: its vocabulary makes new recognizer grammars, loaded in the background again."""
        self.content = content
        if self.models is not None:
            self.models.close()
        self.models = SpeechModels(content.pack)
        self.models.load_in_background(content.pack.languages)

    def open_microphone(self) -> AudioSource:
        mic = MicSource(self.microphone_device)
        state = mic.open()
        if state.status is not MicStatus.OK:
            raise DocentError(state.message, code=state.status.value)
        return mic

    def close(self) -> None:
        if self.models is not None:
            self.models.close()
        if self.voice is not None:
            self.voice.interrupt()
        if self.synthesizer is not None:
            self.synthesizer.close()


def probe_microphone(device: int | str | None) -> tuple[bool, str]:
    """Whether a microphone exists (without opening it), and a line for staff."""
    try:
        import sounddevice as sd
    except OSError as err:
        return False, f"the audio system is not available ({err}); install PortAudio (apt install libportaudio2)"
    try:
        info = sd.query_devices(device, "input")
    except (ValueError, sd.PortAudioError) as err:
        return False, f"no microphone found ({err}); plug one in or check the audio settings"
    return True, f"microphone '{info.get('name', device)}'"


__all__ = ["Content", "Engines", "KioskUnusable", "avatar_for", "load_content", "probe_microphone"]
