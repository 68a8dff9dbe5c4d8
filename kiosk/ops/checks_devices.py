"""The device checks of ``kiosk doctor``: OpenGL, screen, speaker, microphone, and speech per language.

Each takes the shared :class:`~kiosk.ops.checks.Context` and yields findings; an absent device is a failure with
``hardware=True``. OpenGL is probed in a child process (a driver that hangs or crashes cannot take doctor with it).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.ops.doctor import Finding, fail, ok, warn
from kiosk.ops.paths import self_command

if TYPE_CHECKING:
    from kiosk.ops.checks import Context

GL_TIMEOUT_S = 60.0
MIN_GL = (3, 0)
"""The guide's shaders are GLSL 1.30: OpenGL 3.0 or newer."""
SOFTWARE_GL = ("llvmpipe", "softpipe", "swrast", "software rasterizer", "gdi generic")
MIC_SECONDS = 0.5
MIC_SILENT_DBFS = -70.0
MIC_CLIPPING_DBFS = -3.0


# -- graphics and sound --------------------------------------------------------------------------------------


def probe_opengl() -> dict[str, object]:
    """Open a small offscreen buffer and render one frame; what the driver says about itself (child process)."""
    from kiosk.avatar.render import OffscreenRenderer, Shot

    renderer = OffscreenRenderer(Shot(64, 64, multisamples=0))
    renderer.base.graphicsEngine.renderFrame()
    gsg = renderer.buffer.getGsg()
    return {
        "vendor": str(gsg.getDriverVendor()),
        "renderer": str(gsg.getDriverRenderer()),
        "version": str(gsg.getDriverVersion()),
        "major": int(gsg.getDriverVersionMajor()),
        "minor": int(gsg.getDriverVersionMinor()),
        "glsl": f"{gsg.getDriverShaderVersionMajor()}.{gsg.getDriverShaderVersionMinor()}",
        "pipe": str(renderer.base.pipe.getType().getName()),
    }


def check_opengl(ctx: Context) -> Iterator[Finding]:
    title = "OpenGL"
    fix = "install the graphics driver for this PC's GPU (Debian: apt install libgl1-mesa-dri libegl1)"
    try:
        done = subprocess.run(
            [*self_command(), "doctor", "--probe-opengl"],
            capture_output=True,
            text=True,
            timeout=GL_TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired:
        yield fail("opengl", title, f"opening an OpenGL buffer did not finish in {GL_TIMEOUT_S:.0f} s", fix)
        return
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        why = (done.stderr.strip().splitlines() or ["no output"])[-1]
        yield fail("opengl", title, f"Panda3D could not render: {why}", fix)
        return
    info = json.loads(lines[-1])
    summary = f"{info['renderer']} ({info['vendor']}), OpenGL {info['version']}, GLSL {info['glsl']}"
    if (info["major"], info["minor"]) < MIN_GL:
        yield fail("opengl", title, f"{summary}: the guide needs OpenGL 3.0 or newer", fix, **info)
    elif any(name in str(info["renderer"]).lower() for name in SOFTWARE_GL):
        yield warn(
            "opengl",
            title,
            f"{summary}: software rendering on the CPU; the guide runs, at a lower resolution and frame rate",
            "use a PC with a GPU and its driver for a smooth guide (the kiosk lowers render_scale by itself)",
            hardware=True,
            **info,
        )
    else:
        yield ok("opengl", title, summary, **info)


def check_screen(ctx: Context) -> Iterator[Finding]:
    title = "Screen"
    connectors = sorted(Path("/sys/class/drm").glob("card*-*/status")) if sys.platform == "linux" else []
    if sys.platform != "linux":
        yield ok("screen", title, "not checked on this system (Linux only)")
        return
    connected = [p.parent.name.split("-", 1)[1] for p in connectors if p.read_text().strip() == "connected"]
    if connected:
        yield ok("screen", title, f"connected: {', '.join(connected)}", outputs=connected)
        return
    yield fail(
        "screen",
        title,
        "no screen is connected to this machine" if connectors else "this machine has no display outputs",
        "connect the kiosk's screen (and check its cable and power)",
        hardware=True,
    )


def _sounddevice() -> Any:
    import sounddevice as sd

    return sd


_DEVICES = {
    "speaker": ("output", "aplay -l", ""),
    "microphone": ("input", "arecord -l", "; visitors can still type and tap"),
}


def _device(check: str, wanted: str | int | None) -> tuple[Any, dict[str, Any] | None, Finding | None]:
    """sounddevice and the device ``wanted`` (None: the default) for ``check``, or the finding saying why not."""
    kind, lister, consolation = _DEVICES[check]
    title = check.capitalize()
    try:
        sd = _sounddevice()
        return sd, dict(sd.query_devices(wanted, kind)), None
    except OSError as err:
        return None, None, fail(check, title, f"the audio system is missing ({err})", "apt install libportaudio2")
    except Exception as err:  # ValueError or sounddevice.PortAudioError: no such device
        named = f"no {kind} device matches '{wanted}'" if wanted is not None else f"no audio {kind} device found"
        found = fail(
            check,
            title,
            f"no {check}: {named} ({err}){consolation}",
            f"connect the {check} or check '{check}:' in kiosk.yaml ('{lister}' lists the devices)",
            hardware=True,
        )
        return None, None, found


def check_speaker(ctx: Context) -> Iterator[Finding]:
    title = "Speaker"
    _, info, problem = _device("speaker", ctx.settings.speaker)
    if problem is not None or info is None:
        yield from [problem] if problem else []
        return
    volume = ctx.settings.volume
    summary = f"'{info['name']}'" + (f", kiosk volume {volume}%" if volume is not None else "")
    if volume == 0:
        yield warn("speaker", title, summary + ": the guide is muted", "set volume in kiosk.yaml (or remove it)")
    else:
        yield ok("speaker", title, summary, device=str(info["name"]))


def check_microphone(ctx: Context) -> Iterator[Finding]:
    from kiosk.voice.audio import RATE, dbfs

    title = "Microphone"
    wanted = ctx.settings.microphone
    sd, info, problem = _device("microphone", wanted)
    if problem is not None or info is None:
        yield from [problem] if problem else []
        return
    try:
        samples = sd.rec(int(MIC_SECONDS * RATE), samplerate=RATE, channels=1, dtype="int16", device=wanted)
        sd.wait()
    except Exception as err:
        yield fail(
            "microphone",
            title,
            f"'{info['name']}' could not be opened ({err})",
            "check that no other program holds it, and its cable",
            hardware=True,
        )
        return
    level = dbfs(samples.reshape(-1))
    peak = dbfs(abs(samples.reshape(-1)).max(keepdims=True)) if samples.size else -100.0
    summary = f"'{info['name']}', hall level {level:.0f} dBFS"
    if level <= MIC_SILENT_DBFS:
        yield warn(
            "microphone",
            title,
            summary + ": silent (muted, unplugged, or gain at zero)",
            "unmute it and raise its input gain ('alsamixer', F4 for capture)",
            hardware=True,
            dbfs=level,
        )
    elif peak >= MIC_CLIPPING_DBFS:
        yield warn("microphone", title, summary + ": clipping", "lower its input gain ('alsamixer', F4)", dbfs=level)
    else:
        yield ok("microphone", title, summary, dbfs=round(level, 1))


# -- speech --------------------------------------------------------------------------------------------------


def check_speech_models(ctx: Context) -> Iterator[Finding]:
    from kiosk.voice.asr import load_model
    from kiosk.voice.models import model_path

    if not ctx.languages:
        return
    for language in ctx.languages:
        title = f"Speech recognition ({language})"
        path = model_path(language)
        if path is None:
            yield warn(
                "speech-model",
                title,
                f"no speech model for '{language}': visitors speaking it must type or tap",
                f"kiosk models install {language}   (or publish one with 'kiosk models publish' and sync it)",
                language=language,
            )
            continue
        try:
            load_model(path)
        except Exception as err:
            yield fail(
                "speech-model",
                title,
                f"{path} does not load ({err})",
                f"install it again: kiosk models install {language} --force",
                language=language,
            )
            continue
        yield ok("speech-model", title, f"{path.name} loads", language=language, path=str(path))


def check_voices(ctx: Context) -> Iterator[Finding]:
    from kiosk.voice.tts import SynthesisError, Synthesizer

    if not ctx.languages:
        return
    synthesizer = Synthesizer(ctx.pack_speech)
    try:
        try:
            synthesizer.voices()
        except SynthesisError as err:
            yield fail("tts", "Speech synthesis", f"no speech engine: {err}", "apt install espeak-ng")
            return
        for language in ctx.languages:
            title = f"Voice ({language})"
            try:
                voice = synthesizer.voice_for(language)
                clip = synthesizer.synthesize(_SAMPLE.get(language, "Hello."), language)
            except SynthesisError as err:
                yield warn(
                    "tts",
                    title,
                    f"answers in '{language}' are shown but not spoken: {err}",
                    "install the voice (Linux: apt install espeak-ng) or set kiosk.voices in venue.yaml",
                    language=language,
                )
                continue
            yield ok("tts", title, f"voice '{voice}' speaks ({clip.duration:.1f} s sample)", language=language)
    finally:
        synthesizer.close()


_SAMPLE = {"zh": "欢迎光临。", "en": "Welcome.", "ko": "어서 오세요."}


__all__ = [
    "check_microphone",
    "check_opengl",
    "check_screen",
    "check_speaker",
    "check_speech_models",
    "check_voices",
    "probe_opengl",
]
