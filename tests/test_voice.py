"""Voice with the real engines: the real Korean Vosk model, espeak-ng through pyttsx3, real PortAudio.

Test speech is synthesized with espeak-ng's Korean voice. Its default male variant is far from the recordings the
small Korean model learnt from (it is recognised as noise); the female variant f2 at 200 words a minute is close
enough for greetings and short questions, so the tests speak with ``ko+f2``.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from kiosk.cli import main
from kiosk.content import Pack
from kiosk.events import Event, PartialTranscript, SpeechDetected
from kiosk.voice import asr
from kiosk.voice.audio import RATE, Frame, MicSource, MicStatus, WavSource, read_wav
from kiosk.voice.endpoint import Endpointer, EndpointSettings, Mode, SpeechEnd, SpeechStart
from kiosk.voice.out import SilentAudioOut
from kiosk.voice.pipeline import Voice
from kiosk.voice.tts import Synthesizer, sentences
from kiosk.voice.visemes import track_from_audio
from tests.speech import speak


@pytest.fixture
def synthesizer(demo_pack: Pack) -> Iterator[Synthesizer]:
    synth = Synthesizer(demo_pack.venue.speech)
    yield synth
    synth.close()


# -- endpointing -----------------------------------------------------------------------------------------------


def frames_of(samples: np.ndarray) -> list[Frame]:
    return [Frame(samples[i : i + 320], i / RATE) for i in range(0, len(samples) - 319, 320)]


def test_endpointer_finds_the_start_and_the_end_of_speech(tmp_path: Path) -> None:
    wav = speak("화장실 어디에 있어요", tmp_path / "q.wav", silence_before=1.0)
    samples = np.concatenate([read_wav(wav), np.zeros(RATE, dtype=np.int16)])
    voiced = np.flatnonzero(np.abs(samples) > 500)
    onset, offset = voiced[0] / RATE, voiced[-1] / RATE
    ep = Endpointer()
    decisions = [d for f in frames_of(samples) if (d := ep.feed(f)) is not None]
    start, end = decisions[0], decisions[1]
    assert isinstance(start, SpeechStart) and isinstance(end, SpeechEnd)
    assert abs(start.at - onset) < 0.1
    assert abs(end.last_voiced - offset) < 0.1
    assert end.reason == "silence"
    assert end.decided - end.last_voiced == pytest.approx(0.6, abs=0.03)  # the default trailing silence
    assert len(start.pre_roll) * 0.02 >= 0.1  # the first syllable reaches the recognizer


def test_a_noisy_hall_does_not_keep_the_guide_listening() -> None:
    rng = np.random.default_rng(1)
    babble = (rng.normal(0, 3000, RATE * 30)).astype(np.int16)  # 30 s of loud, never-ending noise
    ep = Endpointer(EndpointSettings(max_utterance_s=10))
    ends = [d for f in frames_of(babble) if isinstance(d := ep.feed(f), SpeechEnd)]
    assert ends, "the utterance must end"
    assert ends[0].reason == "max-length"
    assert ends[0].decided <= 10.1


def test_push_to_talk_waits_for_the_press_and_ends_on_release(tmp_path: Path) -> None:
    samples = read_wav(speak("안녕하세요", tmp_path / "hi.wav"))
    ep = Endpointer(mode=Mode.PUSH_TO_TALK)
    assert all(ep.feed(f) is None for f in frames_of(samples))  # not pressed: not listening
    ep.press()
    decisions = [d for f in frames_of(samples) if (d := ep.feed(f)) is not None]
    assert isinstance(decisions[0], SpeechStart)
    end = ep.release(at=len(samples) / RATE)
    assert end is not None and end.reason == "released"
    ep.press()
    silence = np.zeros(RATE * 9, dtype=np.int16)
    nothing = [d for f in frames_of(silence) if (d := ep.feed(f)) is not None]
    assert isinstance(nothing[0], SpeechEnd) and nothing[0].reason == "no-speech"


def test_bad_settings_are_refused_with_a_reason() -> None:
    with pytest.raises(Exception, match="trailing silence"):
        EndpointSettings(trailing_silence_ms=20)


# -- audio in ----------------------------------------------------------------------------------------------------


def test_a_missing_microphone_is_a_status_not_a_crash() -> None:
    mic = MicSource()
    state = mic.open()
    # This build machine has no microphone: the kiosk must say so and keep working by touch.
    assert state.status is not MicStatus.OK
    assert "microphone" in state.message or "audio" in state.message
    assert list(mic.frames()) == []
    mic.close()


def test_wav_source_resamples_and_pads(tmp_path: Path) -> None:
    wav = speak("안녕하세요", tmp_path / "hi.wav")  # espeak-ng writes 22,050 Hz
    source = WavSource(wav, pad_s=1.0)
    frames = list(source.frames())
    assert all(len(f.samples) == 320 for f in frames)
    assert frames[-1].end == pytest.approx(source.duration, abs=0.02)
    assert source.duration == pytest.approx(len(read_wav(wav)) / RATE + 1.0, abs=0.02)


def test_a_broken_wav_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.wav"
    bad.write_bytes(b"RIFF not really")
    with pytest.raises(Exception, match="not a readable WAV"):
        WavSource(bad)


# -- recognition -------------------------------------------------------------------------------------------------


def test_grammar_holds_only_words_the_model_knows(demo_pack: Pack, ko_model: object) -> None:
    words = asr.grammar(demo_pack, "ko", ko_model)
    assert "안녕하세요" in words
    assert "화장실 어디에 있어요" in words
    assert "입장료 얼마에요" in words  # the model spells 얼마예요 as 얼마에요
    for entry in words:
        for word in entry.split():
            assert ko_model.vosk_model_find_word(word) >= 0, word  # type: ignore[attr-defined]


def test_a_greeting_is_recognised_exactly_in_grammar_mode(demo_pack: Pack, ko_model: object, tmp_path: Path) -> None:
    recognizer = asr.Recognizer(ko_model, asr.grammar(demo_pack, "ko", ko_model), free=False)
    voice = Voice(Synthesizer(), SilentAudioOut())
    heard = voice.hear(WavSource(speak("안녕하세요", tmp_path / "hi.wav")), recognizer, "ko")
    assert heard.transcript.text == "안녕하세요"
    assert heard.transcript.decoder == "grammar"


def test_streaming_gives_partials_then_a_final(demo_pack: Pack, ko_model: object, tmp_path: Path) -> None:
    events: list[Event] = []
    recognizer = asr.Recognizer(ko_model, asr.grammar(demo_pack, "ko", ko_model))
    voice = Voice(Synthesizer(), SilentAudioOut(), emit=events.append)
    source = WavSource(speak("화장실이 어디에 있나요", tmp_path / "q.wav"), realtime=True)  # as a microphone
    heard = voice.hear(source, recognizer, "ko")
    partials = [e.text for e in events if isinstance(e, PartialTranscript)]
    assert partials, "captions need partial transcripts while the visitor speaks"
    assert any(isinstance(e, SpeechDetected) for e in events)
    assert "어디" in heard.transcript.text
    assert {name for name, _, _ in heard.transcript.alternatives} == {"grammar", "free"}


# -- speech out --------------------------------------------------------------------------------------------------


def test_speech_is_synthesized_cached_and_lip_synced(synthesizer: Synthesizer) -> None:
    first = synthesizer.synthesize("The Houmuwu Ding weighs 832.84 kilograms.", "en")
    assert first.rate == 22050 and not first.cached
    assert 1.5 < first.duration < 6.0
    again = synthesizer.synthesize("The Houmuwu Ding weighs 832.84 kilograms.", "en")
    assert again.cached and np.array_equal(again.samples, first.samples)
    track = first.visemes
    assert track.fps >= 50
    assert abs(track.duration - first.duration) < 0.02
    # The mouth follows the sound: closed in silence, open when loud, with no lag.
    hop = first.rate // track.fps
    n = min(len(track.frames), len(first.samples) // hop)
    energy = np.sqrt(np.mean(first.samples[: n * hop].astype(float).reshape(n, hop) ** 2, axis=1))
    openness = track.openness()[:n]
    a = (energy - energy.mean()) / energy.std()
    b = (openness - openness.mean()) / openness.std()
    lags = range(-10, 11)
    corr = [float(np.mean(a[max(0, -k) : n - max(0, k)] * b[max(0, k) : n - max(0, -k)])) for k in lags]
    best = list(lags)[int(np.argmax(corr))]
    assert abs(best) * 1000 / track.fps <= 20
    assert max(corr) > 0.6
    quiet = energy < 30
    inside = quiet & np.roll(quiet, 2) & np.roll(quiet, -2)  # well inside a silence, not at its edge
    assert inside.any() and openness[inside].max() < 0.05


def test_each_language_gets_its_venue_voice(synthesizer: Synthesizer) -> None:
    for language in ("zh", "en", "ko"):
        clip = synthesizer.synthesize({"zh": "你好", "en": "Hello", "ko": "안녕하세요"}[language], language)
        assert clip.duration > 0.3
    assert synthesizer.voice_for("zh").endswith("cmn")


def test_answers_are_spoken_sentence_by_sentence() -> None:
    parts = sentences("The scroll is 1,191.5 cm long. It was painted in 1113. Wang was 18.")
    assert parts[0] == "The scroll is 1,191.5 cm long."
    assert len(parts) == 2  # "Wang was 18." is too short alone and joins the one before
    assert sentences("长1191.5厘米。原作收藏在故宫博物院。") == ["长1191.5厘米。原作收藏在故宫博物院。"]


def test_visemes_close_the_mouth_in_silence() -> None:
    track = track_from_audio(np.zeros(RATE, dtype=np.int16), RATE)
    assert track.openness().max() == 0.0


# -- barge-in and echo ---------------------------------------------------------------------------------------------


def test_a_touch_stops_the_guide_within_100_ms(synthesizer: Synthesizer) -> None:
    out = SilentAudioOut()
    voice = Voice(synthesizer, out)
    voice.speak("This is a long answer about the bronze vessel, its weight, its maker and the tomb it came from.", "en")
    time.sleep(0.3)
    assert voice.speaking and out.position > 0.1
    took = voice.interrupt()
    position = out.position
    time.sleep(0.1)
    assert took <= 0.1
    assert out.position == position  # not one more block after the stop
    assert not voice.speaking


def test_the_guides_own_voice_is_not_taken_for_a_question(
    synthesizer: Synthesizer, demo_pack: Pack, ko_model: object, tmp_path: Path
) -> None:
    voice = Voice(synthesizer, SilentAudioOut())
    voice.speak("This answer is long enough to be still playing while the microphone hears it in the hall.", "en")
    events: list[Event] = []
    voice.emit = events.append
    echo = WavSource(speak("화장실 어디에 있어요", tmp_path / "echo.wav"), realtime=True, pad_s=0.2)
    recognizer = asr.Recognizer(ko_model, asr.grammar(demo_pack, "ko", ko_model))
    heard = voice.hear(echo, recognizer, "ko")
    assert heard.transcript.text == ""
    assert not any(isinstance(e, SpeechDetected) for e in events)
    voice.interrupt()


# -- the commands ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "intent", "facility"),
    [
        ("화장실 가고 싶어요", "facility", "restroom"),  # "I need the restroom"
        ("입장료 얼마예요", "tickets", None),
        ("안녕하세요", "social", None),
    ],
)
def test_converse_answers_spoken_korean_questions(
    korean: Path, tmp_path: Path, question: str, intent: str, facility: str | None
) -> None:
    wav = speak(question, tmp_path / "q.wav")
    result = CliRunner().invoke(main, ["converse", "--wav", str(wav), "--lang", "ko", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    answer = out["answer"]
    assert (answer["intent"], answer["facility"], answer["language"]) == (intent, facility, "ko")
    assert set(answer) == {"question", "language", "intent", "exhibit", "facility", "answer", "confidence"}
    assert Path(out["answer_wav"]).is_file() and Path(out["visemes"]).is_file()
    for stage in ("model_load_ms", "recognize_final_ms", "mind_ms", "endpoint_to_first_audio_ms"):
        assert out["timings"][stage] >= 0


def test_converse_without_a_model_says_how_to_install_one(tmp_path: Path) -> None:
    wav = speak("안녕하세요", tmp_path / "q.wav")
    result = CliRunner().invoke(main, ["converse", "--wav", str(wav), "--lang", "en"])
    assert result.exit_code == 1
    assert "kiosk models install en" in result.output
    assert "touch" in result.output


def test_say_writes_speech_and_visemes(tmp_path: Path) -> None:
    out = tmp_path / "a.wav"
    result = CliRunner().invoke(main, ["say", "公元前433年，重2.5吨。", "--lang", "zh", "--out", str(out)])
    assert result.exit_code == 0, result.output
    track = json.loads(out.with_suffix(".visemes.json").read_text())
    assert track["fps"] >= 50 and track["visemes"] == ["aa", "ih", "ou", "ee", "oh"]
    samples = read_wav(out)
    assert abs(len(samples) / RATE - track["duration"]) < 0.05


def test_espeak_is_installed() -> None:
    assert shutil.which("espeak-ng"), "espeak-ng must be installed (packaging/dev.sh installs it)"
