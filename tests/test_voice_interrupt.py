"""A follow-up question while the guide is still speaking: the new answer must not wait behind the old one."""

from __future__ import annotations

import time
from pathlib import Path

from kiosk.events import Event, SpeakingStarted
from kiosk.voice.out import SilentAudioOut
from kiosk.voice.pipeline import Voice
from kiosk.voice.tts import Synthesizer, for_speech, sentences

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
