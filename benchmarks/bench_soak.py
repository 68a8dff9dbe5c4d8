"""Soak: thousands of scripted conversations through one kiosk process, to find leaks before a venue does.

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m benchmarks.bench_soak [--conversations 2000] [--write FILE]

One :class:`~kiosk.ui.kiosk.Kiosk` (the same object ``kiosk run`` builds: window, offscreen 3D guide stepped by
the frame timer, real espeak-ng synthesis in its worker process, real Vosk, the mind, the interaction log in
SQLite, the staff panel) on the demo venue. Each conversation: a visitor starts in a language (the guide greets
them), asks one to three questions from our visitor sets (tests/eval: single questions and multi-turn
conversations with follow-ups, in zh, en and ko), and leaves (goodbye). Every ``--wav-every``-th conversation is
spoken instead: a Korean WAV (espeak-ng) goes through the microphone interface (``WavSource``, the fake
microphone with the same interface as the real one) to the real recognizer. Speech plays on the silent speaker
(the real clock of playback, no sound card); the next question barges in, as visitors do.

Memory is the resident set of the kiosk process (``/proc/self/status`` VmRSS) and of the speech worker, sampled
every ``--sample-every`` conversations; growth is measured from the end of warm-up (``--warmup`` conversations:
caches of synthesized speech, Vosk's decoder and Qt's glyphs fill up then) to the end. Latency per turn: typed,
from ``ask`` to the answer chosen and to speech starting (synthesis included); spoken, from the final transcript
to the answer chosen and to speech starting.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
SPOKEN = ("화장실 어디예요", "후무무정 무게가 얼마예요", "병마용에 대해 알려 주세요", "몇 시에 문 닫아요")


def rss_kb(pid: int | str = "self") -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def scripts(seed: int) -> list[tuple[str, list[str]]]:
    """(language, questions) visitor scripts from the evaluation sets, shuffled with a fixed seed."""
    out: list[tuple[str, list[str]]] = []
    for lang in ("zh", "en", "ko"):
        items = yaml.safe_load((ROOT / "tests" / "eval" / f"visitors-{lang}.yaml").read_text(encoding="utf-8"))
        singles = [item["q"] for item in items if "q" in item]
        rng = random.Random(seed + len(lang))
        for i in range(0, len(singles) - 1, 2):
            out.append((lang, singles[i : i + 1 + rng.randrange(2)]))
    conversations = yaml.safe_load((ROOT / "tests" / "eval" / "conversations.yaml").read_text(encoding="utf-8"))
    from kiosk.mind.language import detect_language

    for item in conversations:
        turns = [turn["q"] for turn in item.get("conversation", [])][:3]
        if turns:
            out.append((detect_language(turns[0], ("zh", "en", "ko"), "en"), turns))
    random.Random(seed).shuffle(out)
    return out


@dataclass
class Probe:
    """Session events as they reach the window, with the time they did."""

    events: list[tuple[float, Any]] = field(default_factory=list)

    def wrap(self, post: Callable[[Any], None]) -> Callable[[Any], None]:
        def posted(event: Any) -> None:
            self.events.append((time.perf_counter(), event))
            post(event)

        return posted

    def first(self, kind: str, since: float) -> float | None:
        return next((t for t, e in self.events if t >= since and type(e).__name__ == kind), None)

    def seen(self, kind: str, since: float) -> Callable[[], bool]:
        return lambda: self.first(kind, since) is not None


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))] if ordered else float("nan")


def run(conversations: int, wav_every: int, warmup: int, sample_every: int, seed: int) -> dict[str, Any]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    home = tempfile.mkdtemp(prefix="docent-soak-")
    os.environ["DOCENT_HOME"] = home
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication

    from kiosk.ops.config import KioskConfig
    from kiosk.ui.engines import load_content
    from kiosk.ui.kiosk import Kiosk
    from kiosk.voice.audio import WavSource
    from kiosk.voice.models import install
    from tests.speech import speak

    install("ko")
    app = QApplication.instance() or QApplication([])
    content = load_content(None)
    kiosk = Kiosk(content, KioskConfig(idle_timeout_s=600), None, windowed=True, follow_sync=False)
    kiosk.show((608, 1080))
    window = kiosk.window
    window.start()
    probe = Probe()
    window.session.emit = probe.wrap(window.session.emit)
    assert kiosk.engines.models is not None
    kiosk.engines.models.load("ko")
    kiosk.engines.ready.wait(60)
    wavs = [speak(text, Path(home) / f"spoken-{i}.wav") for i, text in enumerate(SPOKEN)]

    def pump(seconds: float, until: Callable[[], bool] | None = None) -> bool:
        """Run the Qt loop for up to ``seconds`` (until ``until()``). ``processEvents`` outside ``exec`` never
        deletes what ``deleteLater`` queued (the kiosk's own loop does), so those deletions are sent here too;
        without them every rebuilt keyboard and browse page would stay alive and look like a leak."""
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            app.processEvents()
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            if until is not None and until():
                return True
            time.sleep(0.002)
        return until is None

    latencies: dict[str, list[float]] = {"typed_answer": [], "typed_speech": [], "voice_answer": [], "voice_speech": []}
    misses = {"no_answer": 0, "no_speech": 0, "not_heard": 0}
    samples: list[tuple[int, float, int, int, int]] = []
    plan = scripts(seed)
    started = time.perf_counter()
    turns = 0

    def sample(done: int) -> None:
        gc.collect()
        worker = kiosk.engines.synthesizer.worker_pid() if kiosk.engines.synthesizer else None
        samples.append(
            (done, time.perf_counter() - started, rss_kb(), rss_kb(worker) if worker else 0, len(gc.get_objects()))
        )

    sample(0)
    for n in range(conversations):
        spoken = wav_every > 0 and n % wav_every == wav_every - 1
        lang, questions = ("ko", []) if spoken else plan[n % len(plan)]
        since = time.perf_counter()
        window.start_session(lang)
        pump(3.0, probe.seen("SpeakingStarted", since))  # the greeting
        if spoken:
            wav = wavs[n // wav_every % len(wavs)]
            window.session.microphone = lambda w=wav: WavSource(w, realtime=False, pad_s=0.8)
            # The recording is replayed faster than real time, so let the greeting's echo gate (250 ms after the
            # guide stops) pass first; a real microphone's first quarter second is the visitor drawing breath.
            window.session.interrupt()
            pump(0.3)
            asked = time.perf_counter()
            window.talk_pressed()
            if not pump(20.0, probe.seen("AnswerChosen", asked)):
                misses["not_heard"] += 1
            else:
                heard = probe.first("FinalTranscript", asked)
                chosen = probe.first("AnswerChosen", asked)
                if pump(10.0, probe.seen("SpeakingStarted", asked)) and heard and chosen:
                    latencies["voice_answer"].append((chosen - heard) * 1000)
                    latencies["voice_speech"].append(
                        (probe.first("SpeakingStarted", asked) or chosen) * 1000 - heard * 1000
                    )
            turns += 1
        for question in questions:
            asked = time.perf_counter()
            window.ask(question, "typed")
            chosen_ok = pump(5.0, probe.seen("AnswerChosen", asked))
            spoke = pump(10.0, probe.seen("SpeakingStarted", asked))
            chosen, speech = probe.first("AnswerChosen", asked), probe.first("SpeakingStarted", asked)
            if not chosen_ok or chosen is None:
                misses["no_answer"] += 1
            else:
                latencies["typed_answer"].append((chosen - asked) * 1000)
            if not spoke or speech is None:
                misses["no_speech"] += 1
            else:
                latencies["typed_speech"].append((speech - asked) * 1000)
            pump(0.05)
            turns += 1
        window.session.end("goodbye")
        pump(0.1)
        probe.events.clear()
        if (n + 1) % sample_every == 0 or n + 1 == conversations:
            sample(n + 1)
            done = samples[-1]
            print(
                f"{done[0]:5d} conversations, {done[1]:7.0f} s, kiosk {done[2] / 1024:6.1f} MB, "
                f"speech worker {done[3] / 1024:5.1f} MB, {done[4]} objects",
                file=sys.stderr,
                flush=True,
            )
    elapsed = time.perf_counter() - started
    frames = len(window.frames.frames)
    kiosk.close()
    after_warmup = next(s for s in samples if s[0] >= warmup)
    final = samples[-1]
    return {
        "conversations": conversations,
        "turns": turns,
        "elapsed_s": elapsed,
        "frames": frames,
        "samples": samples,
        "warm": after_warmup,
        "final": final,
        "growth": (final[2] - after_warmup[2]) / after_warmup[2],
        "worker_growth": (final[3] - after_warmup[3]) / after_warmup[3] if after_warmup[3] else float("nan"),
        "peak_kb": max(s[2] for s in samples),
        "latencies": latencies,
        "misses": misses,
    }


def report(result: dict[str, Any], args: argparse.Namespace) -> str:
    machine = f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.system()} (Mesa llvmpipe, offscreen Qt)"
    warm, final = result["warm"], result["final"]
    lat = result["latencies"]

    def row(name: str, key: str) -> str:
        values = lat[key]
        if not values:
            return f"| {name} | no samples | |"
        return (
            f"| {name} | {statistics.median(values):.0f} / {percentile(values, 0.9):.0f} / "
            f"{percentile(values, 0.99):.0f} ms (n={len(values)}) | |"
        )

    lines = [
        "## Soak: 2,000 conversations in one kiosk process (issue 9)",
        "",
        f"`QT_QPA_PLATFORM=offscreen .venv/bin/python -m benchmarks.bench_soak --conversations {args.conversations} "
        f"--wav-every {args.wav_every} --warmup {args.warmup}` on {machine}, {date.today().isoformat()}; "
        f"{result['elapsed_s'] / 60:.0f} min, {result['turns']} visitor turns, {result['frames']} frames recorded "
        "at the end.",
        "",
        "| figure | value | target |",
        "|---|---|---|",
        f"| kiosk process memory (RSS) after warm-up ({warm[0]} conversations) -> end ({final[0]}) | "
        f"{warm[2] / 1024:.1f} MB -> {final[2] / 1024:.1f} MB: **{result['growth'] * 100:+.1f}%** | < 5%: "
        f"**{'met' if result['growth'] < 0.05 else 'not met'}** |",
        f"| speech worker process memory, same span | {warm[3] / 1024:.1f} MB -> {final[3] / 1024:.1f} MB "
        f"({result['worker_growth'] * 100:+.1f}%) | |",
        f"| peak kiosk RSS | {result['peak_kb'] / 1024:.1f} MB | |",
        f"| Python objects after warm-up -> end | {warm[4]:,} -> {final[4]:,} | |",
        row("typed: ask -> answer chosen, p50 / p90 / p99", "typed_answer"),
        row("typed: ask -> speech starts (synthesis included), p50 / p90 / p99", "typed_speech"),
        row("spoken: final transcript -> answer chosen, p50 / p90 / p99", "voice_answer"),
        row("spoken: final transcript -> speech starts, p50 / p90 / p99", "voice_speech"),
        f"| turns without an answer / without speech / spoken turns not heard | {result['misses']['no_answer']} / "
        f"{result['misses']['no_speech']} / {result['misses']['not_heard']} | 0 |",
        "",
        "Memory over the run (conversations: kiosk RSS, speech worker RSS):",
        "",
        "```",
        *[
            f"{s[0]:5d}  {s[2] / 1024:7.1f} MB  {s[3] / 1024:6.1f} MB  {s[1]:6.0f} s"
            for s in result["samples"][:: max(1, len(result["samples"]) // 20)]
        ],
        "```",
        "",
        "Each conversation: greeting, one to three typed questions (zh, en, ko; single questions and multi-turn",
        "conversations with follow-ups from tests/eval) or one spoken Korean question through the recognizer, then",
        "goodbye. The answer latency is the mind plus the event reaching the Qt thread while the guide renders;",
        "speech start adds espeak-ng synthesis (cached for repeated answers, as on a kiosk).",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=2000)
    parser.add_argument("--wav-every", type=int, default=5, help="Every Nth conversation is spoken (0: none).")
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--sample-every", type=int, default=50)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--write", type=Path, help="Replace the soak section of this markdown file.")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    result = run(args.conversations, args.wav_every, min(args.warmup, args.conversations), args.sample_every, args.seed)
    text = report(result, args)
    print(text)
    if args.write:
        from benchmarks.bench_mind import write_section

        write_section(args.write, "## Soak: 2,000 conversations in one kiosk process (issue 9)", text)


if __name__ == "__main__":
    main()
