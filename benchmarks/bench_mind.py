"""Latency of the mind per question, on the demo venue and on a generated venue of 2,000 exhibits.

Questions: every question of tests/eval (conversations kept in order, so follow-ups carry context), asked
``--rounds`` times after one warm-up round. Run on one core:

    taskset -c 0 .venv/bin/python -m benchmarks.bench_mind [--write docs/benchmarks.md]
"""

from __future__ import annotations

import argparse
import platform
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from benchmarks.make_big_pack import make_big_pack
from kiosk.content import PackIndex, load_pack
from kiosk.mind import DialogueState, Mind
from kiosk.ops import evaluate
from kiosk.ops.paths import demo_pack_path

ROOT = Path(__file__).resolve().parent.parent


def measure(mind: Mind, conversations: list[list[evaluate.Case]], rounds: int) -> list[float]:
    timings: list[float] = []
    for r in range(rounds + 1):
        for conversation in conversations:
            state = DialogueState()
            for case in conversation:
                start = time.perf_counter()
                turn = mind.answer(case.question, state)
                elapsed = (time.perf_counter() - start) * 1000
                state = turn.state
                if r:  # round 0 warms caches up
                    timings.append(elapsed)
    return timings


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--exhibits", type=int, default=2000)
    parser.add_argument("--write", type=Path, help="Replace the mind section of this markdown file.")
    args = parser.parse_args()
    conversations = evaluate.load_cases(ROOT / "tests" / "eval")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        big = make_big_pack(Path(tmp) / "big", args.exhibits)
        for label, path in (
            ("demo venue (24 exhibits)", demo_pack_path()),
            (f"generated ({args.exhibits} exhibits)", big),
        ):
            t0 = time.perf_counter()
            pack = load_pack(path)
            index = PackIndex.open(pack, Path(tmp) / f"{path.name}.sqlite")
            mind = Mind(pack, index)
            startup = time.perf_counter() - t0
            timings = measure(mind, conversations, args.rounds)
            rows.append((label, len(timings), statistics.median(timings), pct(timings, 0.95), max(timings), startup))
    lines = [
        "## Mind: answer latency per question",
        "",
        f"Command: `taskset -c 0 .venv/bin/python -m benchmarks.bench_mind --write docs/benchmarks.md` "
        f"({date.today().isoformat()}, {platform.machine()}, Python {platform.python_version()}, one core). "
        f"Questions: the {sum(len(c) for c in conversations)} questions of tests/eval, conversations in order, "
        f"{args.rounds} rounds after a warm-up round. Targets: p95 <= 15 ms (demo), <= 50 ms (2,000 exhibits).",
        "",
        "| venue | answers timed | p50 ms | p95 ms | max ms | load + index + mind start s |",
        "|---|---|---|---|---|---|",
    ]
    lines += [f"| {r[0]} | {r[1]} | {r[2]:.2f} | {r[3]:.2f} | {r[4]:.2f} | {r[5]:.1f} |" for r in rows]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.write:
        write_section(args.write, "## Mind: answer latency per question", text)


def write_section(path: Path, heading: str, text: str) -> None:
    """Replace (or append) the section that starts with ``heading`` in a markdown file."""
    old = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n\n"
    start = old.find(heading)
    if start < 0:
        new = old.rstrip() + "\n\n" + text
    else:
        end = old.find("\n## ", start + len(heading))
        new = old[:start] + text + (old[end + 1 :] if end >= 0 else "")
    path.write_text(new, encoding="utf-8")


if __name__ == "__main__":
    main()
