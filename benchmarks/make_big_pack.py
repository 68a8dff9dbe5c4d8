"""Generate a large venue (default 2,000 exhibits) from the demo venue, for the mind's latency benchmark.

Each generated exhibit is a demo exhibit with a numbered name ("Houmuwu Ding 17"), so the texts have the demo's
realistic length and language mix while names stay distinct.

    .venv/bin/python -m benchmarks.make_big_pack OUT_DIR [--exhibits 2000]
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import yaml

from kiosk.ops.paths import demo_pack_path


def make_big_pack(out: Path, exhibits: int = 2000) -> Path:
    demo = demo_pack_path()
    if out.exists():
        shutil.rmtree(out)
    (out / "exhibits").mkdir(parents=True)
    shutil.copytree(demo / "content", out / "content")
    sources = sorted((demo / "exhibits").glob("*.yaml"))
    for n in range(exhibits):
        src = sources[n % len(sources)]
        data = yaml.safe_load(src.read_text(encoding="utf-8"))
        suffix = n // len(sources)
        if suffix:
            data["id"] = f"{data['id']}-{suffix}"
            data["name"] = {lang: f"{text} {suffix}" for lang, text in data["name"].items()}
            data["aliases"] = {lang: [f"{a} {suffix}" for a in items] for lang, items in data["aliases"].items()}
        data.pop("media", None)
        (out / "exhibits" / f"{data['id']}.yaml").write_text(
            yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--exhibits", type=int, default=2000)
    args = parser.parse_args()
    make_big_pack(args.out, args.exhibits)
    print(f"wrote {args.exhibits} exhibits to {args.out}")


if __name__ == "__main__":
    main()
