"""What a kiosk does hundreds of times a day must not cost more each time: a follow-up question while the guide is
still speaking must not wait behind the old answer, and spoken questions must not pile up recognizers."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from kiosk.content import Pack
from kiosk.content.index import PackIndex
from kiosk.events import Event, QuestionAsked, SpeakingStarted
from kiosk.mind import Mind
from kiosk.session import Session
from kiosk.voice.asr import POOL_SIZE, SpeechModels
from kiosk.voice.audio import WavSource
from kiosk.voice.out import SilentAudioOut
from kiosk.voice.pipeline import Voice
from kiosk.voice.speechtext import for_speech
from kiosk.voice.tts import Synthesizer, sentences
from tests.speech import speak

LONG = (
    "The bronze was cast in sections and joined while hot. "
    "Its walls carry patterns of dragons and clouds in low relief. "
    "An inscription inside names the queen it honoured. "
    "Farmers found it in a field in the spring of that year. "
    "It took two teams of workers a full week to lift it out. "
    "Today it stands in the first gallery, under soft light."
)


def cached(synthesizer: Synthesizer, sentence: str) -> bool:
    key = synthesizer.key(for_speech(sentence, "en"), synthesizer.voice_for("en"))
    return (synthesizer.cache_dir / f"{key}.wav").is_file()


def test_interrupted_answer_stops_synthesizing(tmp_path: Path) -> None:
    events: list[Event] = []
    synthesizer = Synthesizer(cache_dir=tmp_path)
    voice = Voice(synthesizer, SilentAudioOut(), emit=events.append)
    try:
        parts = sentences(LONG)
        assert len(parts) >= 4
        voice.speak(LONG, "en")  # returns once the first sentence plays; the rest is synthesized meanwhile
        voice.speak("Where are the toilets?", "en")  # the visitor asks again at once
        started = [e.text for e in events if isinstance(e, SpeakingStarted)]
        assert started[-1] == "Where are the toilets?"
        voice.wait(15)  # the new answer plays to its end, as it would for the visitor
        time.sleep(0.5)  # and a wrongly still-running synthesis of the old answer has time to show itself
        never = [p for p in parts[2:] if not cached(synthesizer, p)]
        assert len(never) >= len(parts[2:]) - 1, "the old answer's remaining sentences were synthesized anyway"
    finally:
        voice.interrupt()
        synthesizer.close()


def vosk_threads() -> int:
    return sum(1 for t in threading.enumerate() if t.name.startswith("vosk-"))


def test_spoken_questions_reuse_recognizers(tmp_path: Path, korean: Path, demo_pack: Pack) -> None:
    """Each recognizer holds two decoder threads and the venue's compiled grammar (tens of MB); a kiosk that built
    new ones for every spoken question grew by about 15 MB a question until it ran out of memory."""
    wav = speak("화장실 어디에 있어요", tmp_path / "q.wav", silence_before=1.0)
    asked: list[QuestionAsked] = []
    synthesizer = Synthesizer(demo_pack.venue.speech, cache_dir=tmp_path)
    models = SpeechModels(demo_pack)
    session = Session(
        Mind(demo_pack, PackIndex.open(demo_pack)),
        voice=Voice(synthesizer, SilentAudioOut()),
        models=models,
        microphone=lambda: WavSource(wav, pad_s=0.8),
        emit=lambda e: asked.append(e) if isinstance(e, QuestionAsked) else None,
    )
    before = vosk_threads()
    try:
        session.start("ko", greet=False)
        for turn in range(6):
            while session.speaking:  # the microphone is deaf while the guide speaks, and for its echo after
                time.sleep(0.05)
            time.sleep(0.3)
            assert session.listen()
            deadline = time.monotonic() + 30
            while session.listening and time.monotonic() < deadline:
                time.sleep(0.05)
            assert not session.listening, f"turn {turn} never ended"
        # every turn was heard, by a fresh recognizer the first time and by a reused one after that
        assert [q.via for q in asked] == ["voice"] * 6 and all(q.text for q in asked), asked
        assert vosk_threads() - before <= 2 * POOL_SIZE  # two decoders per pooled recognizer, not per question
    finally:
        session.close()
        models.close()
        synthesizer.close()
    deadline = time.monotonic() + 5
    while vosk_threads() > before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert vosk_threads() == before  # closing the models ends every decoder thread
