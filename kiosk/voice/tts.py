"""Speech out: pyttsx3 in its own worker process, WAV files with a viseme track, cached by (text, voice).

pyttsx3's run loop can hang when it is driven again and again in one process, and a hung loop must never freeze
the kiosk; so one long-lived worker process owns the engine, and the kiosk talks to it through a pipe. A request
that takes longer than ``timeout_s`` kills the worker; the next request starts a fresh one.

Answers are spoken sentence by sentence: the first sentence is synthesized alone so the guide starts talking as
soon as it is ready, and later sentences follow while it speaks. Every synthesized sentence is cached on disk by
(normalised text, voice, rate, volume), so repeated answers start at once; ``warm()`` fills the cache in the
background (every curated answer after a pack is installed).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import multiprocessing as mp
import os
import re
import threading
import time
import wave
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

import numpy as np

from kiosk.content.model import Speech
from kiosk.errors import DocentError
from kiosk.voice.audio import write_wav
from kiosk.voice.speechtext import for_speech
from kiosk.voice.visemes import VisemeTrack, track_from_audio

# The espeak-ng voice for a language when the venue names none.
DEFAULT_VOICES = {"zh": "cmn", "en": "en-gb", "ko": "ko", "ja": "ja", "fr": "fr", "de": "de", "es": "es"}
CACHE_VERSION = "1"


class SynthesisError(DocentError):
    """Speech could not be synthesized: no engine, an unknown voice, or the engine hung."""


@dataclass(frozen=True)
class Clip:
    """One synthesized sentence: audio (int16 mono at ``rate``), its WAV file, and its viseme track."""

    text: str
    path: Path
    samples: np.ndarray
    rate: int
    visemes: VisemeTrack
    cached: bool
    seconds_to_ready: float

    @property
    def duration(self) -> float:
        return len(self.samples) / self.rate


def sentences(text: str, shortest: int = 14) -> list[str]:
    """Split for speaking: at sentence ends (not inside "7.8"), joining pieces too short to sound natural."""
    parts = [p.strip() for p in re.split(r"(?<=[。！？!?；;])|(?<=\.)(?!\d)(?=\s)", text) if p and p.strip()]
    out: list[str] = []
    for part in parts:
        if out and len(out[-1]) < shortest:
            out[-1] = f"{out[-1]} {part}" if re.search(r"[A-Za-z0-9.,]$", out[-1]) else out[-1] + part
        else:
            out.append(part)
    if len(out) > 1 and len(out[-1]) < shortest:
        last = out.pop()
        out[-1] = f"{out[-1]} {last}" if re.search(r"[A-Za-z0-9.,]$", out[-1]) else out[-1] + last
    return out or ([text.strip()] if text.strip() else [])


def _worker(conn: Connection) -> None:
    """The worker process: one pyttsx3 engine, one request at a time."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)  # pyttsx3 prints "Audio saved to ..." on stdout
    try:
        import pyttsx3

        engine = pyttsx3.init()
        voices = [(v.id, [str(x) for x in (v.languages or [])], v.name) for v in engine.getProperty("voices")]
    except Exception as err:  # any engine failure is reported to the kiosk, which stays up
        conn.send(("error", f"the speech engine could not start: {err}"))
        return
    conn.send(("ready", json.dumps([v[0] for v in voices])))
    while True:
        try:
            request = conn.recv()
        except EOFError:
            return
        if request is None:
            return
        text, voice, rate, volume, path = request
        try:
            engine.setProperty("voice", voice)
            engine.setProperty("rate", rate)
            engine.setProperty("volume", volume)
            for attempt in range(1, WRITE_ATTEMPTS + 1):
                # pyttsx3's espeak driver now and then returns without writing the file at all (about one sentence
                # in sixty here): wait as long as a sentence can take, then ask again, rather than keep the visitor
                # waiting 10 s for a sentence that is never spoken.
                engine.save_to_file(text, path)
                engine.runAndWait()
                try:
                    _wait_for_file(Path(path), _write_timeout(text))
                    break
                except TimeoutError:
                    if attempt == WRITE_ATTEMPTS:
                        raise
            conn.send(("ok", path))
        except Exception as err:
            conn.send(("error", f"speech synthesis failed: {err}"))


WRITE_ATTEMPTS = 3


def _write_timeout(text: str) -> float:
    """How long one sentence may take to appear on disk: espeak-ng writes a sentence in well under a second."""
    return min(8.0, 1.5 + 0.02 * len(text))


def _wait_for_file(path: Path, timeout_s: float = 10.0) -> None:
    """pyttsx3's espeak driver can return from runAndWait before the WAV is on disk: wait until it is complete."""
    deadline = time.monotonic() + timeout_s
    size = -1
    while time.monotonic() < deadline:
        current = path.stat().st_size if path.exists() else -1
        if current > 44 and current == size:  # more than a WAV header, and no longer growing
            return
        size = current
        time.sleep(0.005)
    raise TimeoutError(f"the engine did not write {path.name}")


def resolve_voice(wanted: str, language: str, available: Iterable[str]) -> str | None:
    """The engine's voice id for a venue's voice name ("cmn", "en-gb", "ko"), or None if it has none."""
    ids = list(available)
    lowered = {i.lower(): i for i in ids}
    for name in (wanted, DEFAULT_VOICES.get(language, language), language):
        if not name:
            continue
        key = name.lower()
        if key in lowered:
            return lowered[key]
        match = next((i for i in ids if i.lower().endswith("/" + key)), None)
        if match:
            return match
    return None


class Synthesizer:
    """Text in, spoken clips out, through a pyttsx3 worker process. Thread-safe (one request at a time)."""

    def __init__(self, speech: Speech | None = None, cache_dir: Path | None = None, timeout_s: float = 20.0) -> None:
        from kiosk.ops.paths import cache_dir as default_cache

        self.speech = speech or Speech()
        self.cache_dir = (cache_dir or default_cache()) / "speech"
        self.timeout_s = timeout_s
        self._lock = threading.Lock()
        self._process: mp.process.BaseProcess | None = None
        self._conn: Connection | None = None
        self._voices: list[str] = []
        self.restarts = 0

    # -- the worker ------------------------------------------------------------------------------------------

    def start(self) -> None:
        """Start the worker now (it takes a moment), so the first answer does not wait for it."""
        with self._lock:
            self._ensure()

    def _ensure(self) -> Connection:
        if self._conn is not None and self._process is not None and self._process.is_alive():
            return self._conn
        self._kill()
        ctx = mp.get_context("spawn")
        parent, child = ctx.Pipe()
        process = ctx.Process(target=_worker, args=(child,), name="docent-tts", daemon=True)
        process.start()
        child.close()
        if not parent.poll(self.timeout_s):
            process.kill()
            raise SynthesisError("the speech engine did not start in time", code="tts-start")
        kind, payload = parent.recv()
        if kind != "ready":
            process.kill()
            raise SynthesisError(
                f"{payload}; on Linux install espeak-ng (apt install espeak-ng)", code="tts-unavailable"
            )
        self._voices = json.loads(payload)
        self._process, self._conn = process, parent
        return parent

    def _kill(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.join(2)
        self._process, self._conn = None, None

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                with contextlib.suppress(OSError, ValueError):
                    self._conn.send(None)
            if self._process is not None:
                self._process.join(2)
            self._kill()

    def worker_pid(self) -> int | None:
        """The worker process's id while it runs (benchmarks read its memory)."""
        return self._process.pid if self._process is not None and self._process.is_alive() else None

    def voices(self) -> list[str]:
        with self._lock:
            self._ensure()
            return list(self._voices)

    def voice_for(self, language: str) -> str:
        with self._lock:
            self._ensure()
            return self._voice_for(language)

    def _voice_for(self, language: str) -> str:
        wanted = self.speech.voice(language) or DEFAULT_VOICES.get(language, language)
        voice = resolve_voice(wanted, language, self._voices)
        if voice is None:
            raise SynthesisError(
                f"no voice for '{language}' (the venue asks for '{wanted}'); install it (on Linux: espeak-ng "
                f"voices come with espeak-ng) or set kiosk.voices.{language} in content/venue.yaml",
                code="no-voice",
            )
        return voice

    # -- synthesis -------------------------------------------------------------------------------------------

    def key(self, text: str, voice: str) -> str:
        raw = "|".join((CACHE_VERSION, voice, str(self.speech.rate), str(self.speech.volume), text))
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]

    def synthesize(self, text: str, language: str) -> Clip:
        """One clip for ``text`` (normalised for speech first), from the cache when it has been said before."""
        started = time.monotonic()
        spoken = for_speech(text, language)
        with self._lock:
            conn = self._ensure()
            voice = self._voice_for(language)
            key = self.key(spoken, voice)
            wav, track_path = self.cache_dir / f"{key}.wav", self.cache_dir / f"{key}.visemes.json"
            if wav.is_file() and track_path.is_file():
                samples, rate = _read(wav)
                return Clip(text, wav, samples, rate, VisemeTrack.load(track_path), True, time.monotonic() - started)
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            partial = self.cache_dir / f".{key}.{os.getpid()}.wav"
            try:
                conn.send((spoken, voice, self.speech.rate, self.speech.volume / 100, str(partial)))
                if not conn.poll(self.timeout_s):
                    self._kill()
                    self.restarts += 1
                    raise SynthesisError("speech synthesis hung and was restarted", code="tts-hung")
                kind, payload = conn.recv()
            except (EOFError, OSError) as err:  # the worker died, or the synthesizer was closed meanwhile
                self._kill()
                raise SynthesisError(
                    f"the speech worker stopped ({err or type(err).__name__})", code="tts-died"
                ) from err
        if kind != "ok":
            raise SynthesisError(payload, code="tts-failed")
        try:
            samples, rate = _read(partial)
        except (OSError, EOFError, wave.Error) as err:
            raise SynthesisError(f"the speech engine wrote no usable audio: {err}", code="tts-failed") from err
        track = track_from_audio(samples, rate)
        track.save(track_path)
        os.replace(partial, wav)
        return Clip(text, wav, samples, rate, track, False, time.monotonic() - started)

    def say(self, text: str, language: str) -> Iterator[Clip]:
        """The answer sentence by sentence; the first is ready as soon as it alone is synthesized."""
        for sentence in sentences(text):
            yield self.synthesize(sentence, language)

    def warm(self, texts: Iterable[tuple[str, str]]) -> threading.Thread:
        """Synthesize (text, language) pairs into the cache on a background thread; errors are skipped."""

        def run() -> None:
            for text, language in texts:
                for sentence in sentences(text):
                    with contextlib.suppress(SynthesisError):
                        self.synthesize(sentence, language)

        thread = threading.Thread(target=run, name="docent-tts-warm", daemon=True)
        thread.start()
        return thread


def _read(path: Path) -> tuple[np.ndarray, int]:
    with wave.open(str(path), "rb") as w:
        return np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").copy(), w.getframerate()


def join_clips(clips: list[Clip], path: Path) -> tuple[Path, VisemeTrack]:
    """Write the clips as one WAV file (and return one viseme track on the same clock)."""
    if not clips:
        raise SynthesisError("nothing to say", code="empty")
    rate = clips[0].rate
    samples = np.concatenate([c.samples for c in clips])
    write_wav(path, samples, rate)
    return path, VisemeTrack.join([c.visemes.shifted(0.0, c.duration) for c in clips])


__all__ = ["DEFAULT_VOICES", "Clip", "SynthesisError", "Synthesizer", "join_clips", "resolve_voice", "sentences"]
