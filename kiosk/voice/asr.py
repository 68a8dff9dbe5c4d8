"""Recognition with Vosk: streaming partial transcripts, a final one at the endpoint, two decoders.

One decoder is constrained to a grammar built from the pack's own vocabulary (exhibit names and aliases, gallery
and facility names, curated questions, and the everyday words visitors ask with), keeping only the words the
model knows (checked with the model's own word lookup) plus "[unk]" when the model has it. The other decodes
freely. Both hear every frame, each on its own thread (Vosk releases the GIL, so they use both cores); at the
endpoint the grammar's transcript wins when it is confident and not mostly "[unk]", else the more confident one.
"""

from __future__ import annotations

import json
import queue
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.content.model import Pack
from kiosk.errors import DocentError
from kiosk.voice.audio import RATE

GRAMMAR_CONFIDENT = 0.6
POOL_SIZE = 2
"""Idle recognizers kept per language: one listening, one finishing a stopped utterance."""

# How visitors ask, per language: question frames around a name ("{}"), and whole everyday questions. The grammar
# decoder hears whole questions rather than a bag of words, which keeps it from spelling noise out of syllables.
FRAMES = {
    "ko": ("{} 어디에 있어요", "{} 어디 있어요", "{}"),
    "en": ("where is the {}", "where are the {}", "tell me about the {}", "{}"),
    "zh": ("{}在哪里", "{}在哪", "介绍一下{}", "{}"),
}
# The model's own spelling of common endings, where visitors' (and our) spelling differs.
SPELLINGS = {"ko": (("예요", "에요"),)}
QUESTIONS = {
    "ko": (
        "안녕하세요",
        "감사합니다",
        "고맙습니다",
        "안녕히 계세요",
        "도와 주세요",
        "입장료 얼마예요",
        "입장료 얼마",
        "표 얼마예요",
        "몇 시에 문 닫아요",
        "몇 시에 문 열어요",
        "몇 시까지 해요",
        "오늘 열어요",
        "사진 찍어도 돼요",
        "더 알려 주세요",
        "이야기 더 해 주세요",
        "뭘 할 수 있어요",
    ),
    "en": (
        "hello",
        "thank you",
        "goodbye",
        "how much is a ticket",
        "how much are the tickets",
        "when do you open",
        "when do you close",
        "what time do you close",
        "can i take photos",
        "tell me more",
        "what can you do",
    ),
    "zh": ("你好", "谢谢", "再见", "门票多少钱", "几点开门", "几点关门", "可以拍照吗", "再讲讲", "你能做什么"),
}


class RecognitionError(DocentError):
    """A speech model could not be loaded or used."""


@dataclass(frozen=True)
class Transcript:
    text: str
    confidence: float
    decoder: str
    """"grammar" or "free"."""
    alternatives: tuple[tuple[str, str, float], ...] = ()
    """(decoder, text, confidence) of both decoders, for logs and benchmarks."""


def load_model(path: Path) -> Any:
    """A Vosk model from a directory; seconds to minutes for big models, so call it off the UI thread."""
    import vosk

    vosk.SetLogLevel(-1)
    if not (path / "am").is_dir() or not (path / "conf").is_dir():
        raise RecognitionError(
            f"{path} is not a Vosk model (no am/ or conf/); reinstall it with 'kiosk models install'", code="bad-model"
        )
    try:
        return vosk.Model(str(path))
    except Exception as err:  # vosk raises a bare Exception
        raise RecognitionError(f"the speech model at {path} could not be loaded: {err}", code="bad-model") from err


def _tokens(text: str, language: str) -> list[str]:
    """Words as the model spells them: jieba's segmentation for Chinese, spaces elsewhere."""
    text = text.lower()
    if language == "zh":
        import jieba

        return [t for t in jieba.lcut(text) if re.search(r"\w", t)]
    return text.split()


def _names(pack: Pack, language: str) -> list[str]:
    """Names and aliases of exhibits, galleries and facilities in one language."""
    texts: list[str] = []
    for exhibit in pack.exhibits:
        texts.extend(t for lang, t in exhibit.name.values() if lang == language)
        texts.extend(t for lang, t in exhibit.aliases.all() if lang == language)
    for gallery in pack.venue.galleries:
        texts.extend(t for lang, t in gallery.name.values() if lang == language)
        texts.extend(t for lang, t in gallery.aliases.all() if lang == language)
    for facility in pack.venue.facilities:
        texts.extend(t for lang, t in facility.name.values() if lang == language)
        texts.extend(t for lang, t in facility.aliases.all() if lang == language)
    return texts


def grammar(pack: Pack, language: str, model: Any) -> list[str]:
    """The constrained decoder's grammar: whole questions (frames around the pack's names, everyday questions,
    the pack's curated questions) whose words the model all knows; "[unk]" when the model has it."""
    known: dict[str, bool] = {}

    def knows(word: str) -> bool:
        if word not in known:
            known[word] = model.vosk_model_find_word(word) >= 0
        return known[word]

    def spelled(token: str) -> str:
        if knows(token):
            return token
        for ours, theirs in SPELLINGS.get(language, ()):
            if token.endswith(ours) and knows(token[: -len(ours)] + theirs):
                return token[: -len(ours)] + theirs
        return token

    def phrase(text: str) -> str | None:
        tokens = [spelled(t) for t in _tokens(text, language)]
        return " ".join(tokens) if tokens and all(knows(t) for t in tokens) else None

    phrases: set[str] = set()
    for name in _names(pack, language):
        for frame in FRAMES.get(language, ("{}",)):
            found = phrase(frame.format(name))
            if found:
                phrases.add(found)
    curated = [t for e in pack.exhibits for q in e.questions for lang, t in q.asks.all() if lang == language]
    for text in (*QUESTIONS.get(language, ()), *curated):
        found = phrase(re.sub(r"[?？!！.。,，]", " ", text))
        if found:
            phrases.add(found)
    out = sorted(phrases)
    if knows("[unk]"):
        out.append("[unk]")
    return out


_STOP = "stop"


class _Decoder:
    """One KaldiRecognizer on its own thread (until :meth:`close`)."""

    def __init__(self, name: str, model: Any, grammar_words: list[str] | None) -> None:
        import vosk

        self.name = name
        if grammar_words is None:
            self.recognizer = vosk.KaldiRecognizer(model, RATE)
        else:
            self.recognizer = vosk.KaldiRecognizer(model, RATE, json.dumps(grammar_words, ensure_ascii=False))
        self.recognizer.SetWords(True)
        self.partial = ""
        self.result: dict[str, Any] = {}
        self._queue: queue.Queue[bytes | str | None] = queue.Queue()
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"vosk-{name}", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            data = self._queue.get()
            if data == _STOP:
                return
            if data is None:
                self.result = json.loads(self.recognizer.FinalResult())
                self.recognizer.Reset()
                self._done.set()
                continue
            if self.recognizer.AcceptWaveform(data):  # bytes here
                # Vosk found its own endpoint inside the utterance: keep that piece and go on.
                piece = json.loads(self.recognizer.Result())
                self._pieces.append(piece)
            else:
                self.partial = json.loads(self.recognizer.PartialResult()).get("partial", "")

    _pieces: list[dict[str, Any]]

    def begin(self) -> None:
        self._pieces = []
        self.partial = ""
        self._done.clear()

    def feed(self, pcm: bytes) -> None:
        self._queue.put(pcm)

    def close(self) -> None:
        """End the decoder's thread; the KaldiRecognizer (and its compiled grammar) is freed with it."""
        self._queue.put(_STOP)

    def finish(self, timeout: float) -> tuple[str, float]:
        self._queue.put(None)
        if not self._done.wait(timeout):
            raise RecognitionError(f"the {self.name} decoder did not finish in time", code="asr-timeout")
        words = [w for piece in [*self._pieces, self.result] for w in piece.get("result", [])]
        text = " ".join(w["word"] for w in words)
        known = [w for w in words if w["word"] != "[unk]"]
        if not known:
            return "", 0.0
        confidence = sum(float(w.get("conf", 0.0)) for w in known) / len(known)
        unknown_share = 1 - len(known) / len(words)
        return text, confidence * (1 - unknown_share)


class Recognizer:
    """Streaming recognition of one utterance at a time, with a grammar decoder and a free one.

    Each decoder holds a thread and a KaldiRecognizer (tens of MB with a venue's grammar): :meth:`close` when done
    with it, or :meth:`release` one that came from :meth:`SpeechModels.recognizer` so the next utterance reuses it.
    """

    def __init__(
        self,
        model: Any,
        grammar_words: list[str] | None,
        *,
        free: bool = True,
        on_release: Callable[[Recognizer], None] | None = None,
    ) -> None:
        self._on_release = on_release
        self.decoders = []
        if grammar_words:
            self.decoders.append(_Decoder("grammar", model, grammar_words))
        if free or not grammar_words:
            self.decoders.append(_Decoder("free", model, None))
        self.begin()

    def begin(self) -> None:
        for d in self.decoders:
            d.begin()

    def feed(self, pcm: bytes) -> None:
        for d in self.decoders:
            d.feed(pcm)

    def partial(self) -> str:
        """The live caption: the free decoder's guess, or the grammar's when that is all there is."""
        texts = {d.name: d.partial for d in self.decoders}
        return texts.get("free") or texts.get("grammar") or ""

    def finish(self, timeout: float = 10.0) -> Transcript:
        results = {d.name: d.finish(timeout) for d in self.decoders}
        alternatives = tuple((name, text, round(conf, 3)) for name, (text, conf) in results.items())
        g_text, g_conf = results.get("grammar", ("", 0.0))
        f_text, f_conf = results.get("free", ("", 0.0))
        if g_text and g_conf >= GRAMMAR_CONFIDENT:
            choice = ("grammar", g_text, g_conf)
        elif f_text and f_conf > g_conf:
            choice = ("free", f_text, f_conf)
        else:
            choice = ("grammar", g_text, g_conf) if g_text else ("free", f_text, f_conf)
        name, text, conf = choice
        text = " ".join(w for w in text.split() if w != "[unk]")
        self.begin()
        return Transcript(text, round(conf, 3), name, alternatives)

    def release(self) -> None:
        """Done with this utterance: back to the pool it came from (closed when it came from none)."""
        if self._on_release is not None:
            self._on_release(self)
        else:
            self.close()

    def close(self) -> None:
        for d in self.decoders:
            d.close()


@dataclass
class LoadedModel:
    language: str
    path: Path
    model: Any
    grammar: list[str]
    load_s: float


class SpeechModels:
    """One Vosk model per language, each loaded once, in the background, with the pack's grammar."""

    def __init__(self, pack: Pack) -> None:
        self.pack = pack
        self._models: dict[str, LoadedModel] = {}
        self._errors: dict[str, str] = {}
        self._lock = threading.Lock()
        self._loading: dict[str, threading.Thread] = {}
        self._idle: dict[str, list[Recognizer]] = {}
        self._closed = False

    def load(self, language: str) -> LoadedModel:
        """Load now (blocking) and return it; RecognitionError when the language has no installed model."""
        from kiosk.voice.models import model_path

        with self._lock:
            if language in self._models:
                return self._models[language]
        path = model_path(language)
        if path is None:
            raise RecognitionError(
                f"no speech model for '{language}' is installed; install one with 'kiosk models install "
                f"{language}'. Until then visitors can use touch and typing in that language.",
                code="no-model",
            )
        started = time.perf_counter()
        model = load_model(path)
        words = grammar(self.pack, language, model)
        loaded = LoadedModel(language, path, model, words, time.perf_counter() - started)
        with self._lock:
            self._models[language] = loaded
        return loaded

    def load_in_background(self, languages: Iterable[str]) -> None:
        for language in languages:

            def run(lang: str = language) -> None:
                try:
                    self.load(lang)
                except RecognitionError as err:
                    self._errors[lang] = err.message

            thread = threading.Thread(target=run, name=f"load-model-{language}", daemon=True)
            self._loading[language] = thread
            thread.start()

    def error(self, language: str) -> str | None:
        return self._errors.get(language)

    def loaded(self, language: str) -> bool:
        with self._lock:
            return language in self._models

    def describe(self, language: str) -> str:
        """One line for staff: which model serves ``language`` and whether it is ready."""
        with self._lock:
            loaded = self._models.get(language)
        if loaded is not None:
            return f"{loaded.path.name}, loaded in {loaded.load_s:.1f} s, {len(loaded.grammar)} grammar words"
        error = self._errors.get(language)
        if error:
            return error
        thread = self._loading.get(language)
        return "loading…" if thread is not None and thread.is_alive() else "not loaded"

    def recognizer(self, language: str) -> Recognizer:
        """A recognizer for one utterance; :meth:`Recognizer.release` it afterwards. Recognizers are pooled per
        language: building one compiles the venue's grammar (slow, and tens of MB), so a kiosk reuses them."""
        loaded = self.load(language)
        with self._lock:
            idle = self._idle.get(language)
            if idle:
                return idle.pop()
        return Recognizer(loaded.model, loaded.grammar, on_release=lambda r: self._give_back(language, r))

    def _give_back(self, language: str, recognizer: Recognizer) -> None:
        recognizer.begin()
        with self._lock:
            idle = self._idle.setdefault(language, [])
            if not self._closed and len(idle) < POOL_SIZE:
                idle.append(recognizer)
                return
        recognizer.close()

    def close(self) -> None:
        """Free every pooled recognizer (a reloaded pack makes a new SpeechModels)."""
        with self._lock:
            self._closed = True
            idle = [r for pool in self._idle.values() for r in pool]
            self._idle.clear()
        for recognizer in idle:
            recognizer.close()


__all__ = ["GRAMMAR_CONFIDENT", "RecognitionError", "Recognizer", "SpeechModels", "Transcript", "grammar", "load_model"]
