"""``kiosk converse`` (audio in, spoken answer out, headless) and ``kiosk say`` (speech plus visemes)."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

import click

from kiosk.cli.ask import answer_dict, build_mind
from kiosk.cli.common import EXIT_INVALID, EXIT_UNUSABLE, PACK_HELP, load_or_exit, pack_path
from kiosk.errors import DocentError
from kiosk.events import Event, PartialTranscript
from kiosk.mind import DialogueState
from kiosk.ops.unanswered import UnansweredLog
from kiosk.voice.asr import RecognitionError, Recognizer, SpeechModels
from kiosk.voice.audio import AudioError, WavSource
from kiosk.voice.out import SilentAudioOut
from kiosk.voice.pipeline import Voice
from kiosk.voice.tts import SynthesisError, Synthesizer, join_clips


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


@click.command()
@click.option("--wav", "wav", required=True, type=click.Path(dir_okay=False), help="The visitor's question (WAV).")
@click.option("--lang", "language", help="The language to listen in (default: the venue's first language).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), help="Where to write answer.wav and visemes.")
@click.option("--pack", "pack_dir", type=click.Path(), help=PACK_HELP)
@click.option("--realtime", is_flag=True, help="Replay the WAV at the speed it was spoken, as a microphone would.")
def converse(wav: str, language: str | None, out_dir: str | None, pack_dir: str | None, realtime: bool) -> None:
    """Run one spoken question through the whole pipeline, headless, and print JSON.

    Audio -> endpointing -> Vosk -> the mind -> speech synthesis -> visemes. Prints the transcript, the answer
    (the same fields as `kiosk ask --json`), the answer WAV and viseme track paths, and each stage's timing.
    """
    started = time.monotonic()
    mind = build_mind(pack_dir, language)
    pack = mind.pack
    language = language or pack.venue.default_language
    out = Path(out_dir) if out_dir else Path.cwd()
    try:
        source = WavSource(Path(wav), realtime=realtime)
    except AudioError as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(EXIT_UNUSABLE)
    synthesizer = Synthesizer(pack.venue.speech)
    partials: list[str] = []

    def collect(event: Event) -> None:
        if isinstance(event, PartialTranscript):
            partials.append(event.text)

    try:
        synthesizer.start()
        load_started = time.monotonic()
        loaded = SpeechModels(pack).load(language)
        model_load = time.monotonic() - load_started
        recognizer = Recognizer(loaded.model, loaded.grammar)
        voice = Voice(synthesizer, SilentAudioOut(), emit=collect)
        heard = voice.hear(source, recognizer, language)
        recognizer.close()
        mind_started = time.monotonic()
        turn = mind.answer(heard.transcript.text, DialogueState(language=language))
        mind_done = time.monotonic()
        UnansweredLog().record(heard.transcript.text, turn.answer)
        clips = voice.speak(turn.answer.text, turn.answer.language)
        first_sample = voice.first_sample_at or time.monotonic()
        voice.wait()
        answer_wav, track = join_clips(clips, out / "answer.wav")
        track_path = out / "answer.visemes.json"
        track.save(track_path)
    except (RecognitionError, SynthesisError) as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(EXIT_INVALID)
    finally:
        synthesizer.close()
    end = heard.end
    to_first = first_sample - heard.endpoint_at
    if realtime and end is not None:
        from_last_voice = first_sample - (source.started_at + end.last_voiced)
    else:
        from_last_voice = (end.decided - end.last_voiced if end else 0.0) + to_first
    result: dict[str, Any] = {
        "transcript": heard.transcript.text,
        "asr": {
            "decoder": heard.transcript.decoder,
            "confidence": heard.transcript.confidence,
            "alternatives": [{"decoder": d, "text": t, "confidence": c} for d, t, c in heard.transcript.alternatives],
            "partials": partials,
            "grammar_words": len(loaded.grammar),
            "speech_start_s": round(heard.start.at, 3) if heard.start else None,
            "last_voiced_s": round(end.last_voiced, 3) if end else None,
            "endpoint_s": round(end.decided, 3) if end else None,
            "endpoint_reason": end.reason if end else "no-speech",
        },
        "answer": answer_dict(heard.transcript.text, turn.answer),
        "answer_wav": str(answer_wav),
        "visemes": str(track_path),
        "speech": {"sentences": len(clips), "seconds": round(sum(c.duration for c in clips), 3)},
        "timings": {
            "model_load_ms": _ms(model_load),
            "recognize_final_ms": _ms(heard.final_at - heard.endpoint_at),
            "mind_ms": _ms(mind_done - mind_started),
            "tts_first_sentence_ms": _ms(clips[0].seconds_to_ready) if clips else None,
            "first_sentence_cached": clips[0].cached if clips else None,
            "endpoint_to_first_audio_ms": _ms(to_first),
            "last_voice_to_first_audio_ms": _ms(from_last_voice),
            "total_ms": _ms(time.monotonic() - started),
        },
    }
    click.echo(json.dumps(result, ensure_ascii=False, indent=2))


@click.command()
@click.argument("text", required=False)
@click.option("--out", "out_path", type=click.Path(dir_okay=False), help="The WAV file to write.")
@click.option("--lang", "language", help="The language of TEXT (default: the venue's first language).")
@click.option("--pack", "pack_dir", type=click.Path(), help=PACK_HELP)
@click.option("--curated", is_flag=True, help="Pre-synthesize every curated answer of the pack into the cache.")
def say(text: str | None, out_path: str | None, language: str | None, pack_dir: str | None, curated: bool) -> None:
    """Speak TEXT into a WAV file, with its viseme track beside it (NAME.visemes.json).

    Uses the venue's voice for the language (kiosk.voices in content/venue.yaml), its rate and volume. With
    --curated, fills the speech cache with every curated answer instead, so they start at once on the kiosk.
    """
    pack = load_or_exit(pack_path(pack_dir))
    synthesizer = Synthesizer(pack.venue.speech)
    try:
        if curated:
            pairs = [(t, lang) for e in pack.exhibits for q in e.questions for lang, t in q.answer.values()]
            started = time.monotonic()
            synthesizer.warm(pairs).join()
            click.echo(f"{len(pairs)} curated answers are in the speech cache ({time.monotonic() - started:.1f} s).")
            return
        if not text or not out_path:
            raise click.UsageError("give TEXT and --out FILE.wav (or --curated)")
        lang = language or pack.venue.default_language
        if lang not in pack.languages:
            click.echo(f"error: the pack's languages are {', '.join(pack.languages)}, not '{lang}'", err=True)
            sys.exit(EXIT_UNUSABLE)
        clips = list(synthesizer.say(text, lang))
        wav, track = join_clips(clips, Path(out_path))
        track_path = wav.with_suffix(".visemes.json")
        track.save(track_path)
        seconds = sum(c.duration for c in clips)
        click.echo(f"{wav} ({seconds:.2f} s, voice {synthesizer.voice_for(lang)}); visemes: {track_path}")
    except DocentError as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(EXIT_INVALID)
    finally:
        synthesizer.close()


__all__ = ["converse", "say"]
