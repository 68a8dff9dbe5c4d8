"""Content sync benchmark (issue 7): publish, first full sync and incremental sync of a 500-exhibit pack with
200 MB of images, against Debian's nginx on 127.0.0.1, compared with one plain curl process fetching the same files.

    .venv/bin/python -m benchmarks.bench_sync [--runs 3] [--write docs/benchmarks.md]

The pack is ``make_big_pack`` with 500 exhibits, each given one 400,000-byte image of random (incompressible,
like a JPEG) bytes. It is signed and published once (``Repository.add_bundle`` + ``publish_tree``) into the folder
nginx serves. Then, ``--runs`` times each, alternating: curl fetches every pack file at its hashed URL over one
kept-alive connection into a fresh folder, and a kiosk with a fresh store runs ``Client.sync`` (default settings,
4 parallel downloads), timed as a whole and per stage from its progress callback. Folders are deleted only at the
end, so that no timed run follows the deletion of another's thousand files. Targets: the first full sync at
>= 80% of curl's speed; an incremental sync (one exhibit's text edited, one image replaced) transfers at most
1.1 x the changed bytes + 64 KB (nginx's body bytes) and takes under 2 s. Everything lives in a temp folder.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

import yaml

from benchmarks.bench_mind import write_section
from benchmarks.make_big_pack import make_big_pack
from kiosk.content import validate_pack
from kiosk.sync import keys as keyring
from kiosk.sync.bundle import pack_custom, pack_files
from kiosk.sync.client import Client, Limits, Progress, SyncResult
from kiosk.sync.keys import KeyRing
from kiosk.sync.layout import file_target, hashed_name
from kiosk.sync.repo import Repository, publish_tree, sha256_file
from kiosk.sync.store import Store
from kiosk.sync.trust import install_trust
from tests.httpd import Nginx, nginx_serving

EXHIBITS = 500
IMAGE_BYTES = 400_000
SLACK = 64_000
STAGES = ("check", "download", "stage", "health", "switch", "cleanup")
HEADING = "## Content sync (issue 7)"


def yaml_dump(path: Path, data: Any) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def write_image(path: Path, seed: int) -> int:
    path.write_bytes(random.Random(seed).randbytes(IMAGE_BYTES))
    return IMAGE_BYTES


def make_pack(out: Path) -> tuple[str, dict[str, Any], list[Path]]:
    """The 500-exhibit pack with one image each; its venue id, its publish metadata, and its exhibit files."""
    make_big_pack(out, EXHIBITS)
    (out / "exhibits" / "media").mkdir()
    exhibits = sorted((out / "exhibits").glob("*.yaml"))
    for n, path in enumerate(exhibits):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        write_image(out / "exhibits" / "media" / f"{data['id']}.jpg", seed=n)
        data["media"] = [{"file": f"media/{data['id']}.jpg"}]
        yaml_dump(path, data)
    report = validate_pack(out)
    if report.pack is None or not report.ok:
        raise SystemExit(f"the generated pack does not validate: {[str(p) for p in report.errors][:5]}")
    return report.pack.venue.id, pack_custom(report.pack), exhibits


@dataclass
class Publisher:
    pack: Path
    repo: Path
    www: Path
    keys: KeyRing
    venue: str
    custom: dict[str, Any]

    def publish(self, repository: Repository | None = None) -> tuple[float, float]:
        """Sign the pack as the next version and copy the repository to www: (add_bundle s, publish_tree s)."""
        start = time.monotonic()
        repository = repository or Repository.open(self.repo, self.keys)
        repository.add_bundle("packs", self.venue, pack_files(self.pack), self.custom)
        built = time.monotonic()
        publish_tree(self.repo, self.www)
        return built - start, time.monotonic() - built


def blob_urls(base: str, pack: Path, venue: str) -> tuple[list[str], int]:
    """The hashed URL of every distinct file the kiosk downloads (one per content hash, as the client does)."""
    unique: dict[str, tuple[str, int]] = {}
    for rel, path in sorted(pack_files(pack).items()):
        sha, size = sha256_file(path)
        unique[sha] = (hashed_name(file_target("packs", venue, rel), sha), size)
    urls = [base + "targets/" + quote(name) for name, _ in sorted(unique.values())]
    return urls, sum(size for _, size in unique.values())


def curl_run(urls: list[str], folder: Path, expect: int) -> tuple[float, int]:
    """One curl process fetching ``urls`` in order into a fresh folder: seconds, and connections it opened. The
    folder stays (see :func:`bench`)."""
    folder.mkdir()
    config = folder.with_suffix(".curl")
    config.write_text("".join(f'url = "{u}"\noutput = "{folder}/{i}"\n' for i, u in enumerate(urls)))
    os.sync()
    start = time.monotonic()
    proc = subprocess.run(
        ["curl", "-sS", "--fail", "-w", "%{num_connects}\n", "-K", str(config)], capture_output=True, text=True
    )
    elapsed = time.monotonic() - start
    got = sum(p.stat().st_size for p in folder.iterdir())
    connects = sum(int(n) for n in proc.stdout.split())
    if proc.returncode or got != expect:
        raise SystemExit(f"curl failed (exit {proc.returncode}, {got} of {expect} bytes): {proc.stderr[-500:]}")
    return elapsed, connects


@dataclass
class Stages:
    """The progress callback: when each stage first reported, and the bytes the download stage announced."""

    seen: dict[str, float] = field(default_factory=dict)
    download_bytes: int = 0

    def __call__(self, p: Progress) -> None:
        if p.stage not in self.seen:
            self.seen[p.stage] = time.monotonic()
            if p.stage == "download":
                self.download_bytes = p.total

    def durations(self, end: float) -> dict[str, float]:
        order = [*sorted(self.seen.items(), key=lambda kv: kv[1]), ("end", end)]
        return {stage: order[i + 1][1] - t for i, (stage, t) in enumerate(order[:-1]) if stage in STAGES}


@dataclass
class SyncRun:
    seconds: float
    stages: dict[str, float]
    served: int
    """Body bytes per nginx's access log."""
    metadata: int
    """Of which TUF metadata (metadata/*.json)."""
    listing: int
    """Of which the file list (targets/packs/<id>/<sha>.pack.json)."""
    downloaded: int
    """Bytes the download stage had to fetch (blob bytes)."""
    result: SyncResult


def sync_run(store: Store, nginx: Nginx, venue: str) -> SyncRun:
    clock = Stages()
    client = Client(store, nginx.url, limits=Limits(keep_free_bytes=10_000_000), progress=clock)
    nginx.clear_log()
    os.sync()  # the publisher's or curl's writes are not flushed by the kiosk's switch
    start = time.monotonic()
    result = client.sync(venue)
    end = time.monotonic()
    if not result.updated:
        raise SystemExit(f"the sync did not update: {result.summary()}")
    log = nginx.requests(wait_for=result.requests)
    served = sum(line.body_bytes for line in log)
    metadata = sum(line.body_bytes for line in log if line.path.startswith("metadata/"))
    listing = sum(line.body_bytes for line in log if line.path.endswith(".pack.json"))
    return SyncRun(end - start, clock.durations(end), served, metadata, listing, clock.download_bytes, result)


def fresh_store(folder: Path, root: Path) -> Store:
    store = Store(folder)
    install_trust(store, root)
    return store


def edit(pack: Path, exhibits: list[Path], n: int) -> int:
    """Edit exhibit n's English summary and replace another exhibit's image; the changed bytes."""
    path = exhibits[n]
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["summary"]["en"] = f"{data['summary']['en']} (Revised, edit {n + 1}.)"
    yaml_dump(path, data)
    image = pack / "exhibits" / "media" / f"{exhibits[-1 - n].stem}.jpg"
    return path.stat().st_size + write_image(image, seed=10_000 + n)


def mb(count: float) -> float:
    return count / 1_000_000


def span(values: Sequence[float], fmt: str = "{:.2f}", unit: str = " s") -> str:
    med, lo, hi = (fmt.format(v) for v in (statistics.median(values), min(values), max(values)))
    return f"{med}{unit} ({lo}-{hi})" if len(values) > 1 else f"{med}{unit}"


def versions() -> str:
    nginx = subprocess.run(["nginx", "-v"], capture_output=True, text=True).stderr.strip().split("/")[-1]
    curl = subprocess.run(["curl", "--version"], capture_output=True, text=True).stdout.split()[1]
    return f"nginx {nginx}, curl {curl}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--write", type=Path, help="Append or replace the content sync section of this file.")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="docent-bench-sync-"))
    try:
        text = bench(tmp, args.runs)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(text)
    if args.write:
        write_section(args.write, HEADING, text)


def bench(tmp: Path, runs: int) -> str:
    started = time.monotonic()
    pack = tmp / "pack"
    venue, custom, exhibits = make_pack(pack)
    ring = keyring.generate(tmp / "keys")
    pub = Publisher(pack, tmp / "repo", tmp / "www", ring, venue, custom)
    build_s, copy_s = pub.publish(Repository.create(pub.repo, ring))
    root = pub.repo / "metadata" / "1.root.json"
    urls, blob_bytes = blob_urls("", pack, venue)
    curl_s: list[float] = []
    connects: list[int] = []
    full: list[SyncRun] = []
    incr: list[SyncRun] = []
    changed: list[int] = []
    republish: list[float] = []
    with nginx_serving(pub.www, tmp / "nginx") as nginx:
        urls = [nginx.url + u for u in urls]
        # Nothing is deleted until the end: a run that creates its thousand files just after another run's thousand
        # were deleted took up to 1.7 times as long here (ext4 passes over recently deleted inodes when it allocates
        # one), and that would fall on whichever run came next; before, it was always the sync.
        for n in range(runs):
            seconds, opened = curl_run(urls, tmp / f"curl-{n}", blob_bytes)
            curl_s.append(seconds)
            connects.append(opened)
            full.append(sync_run(fresh_store(tmp / f"sync-{n}", root), nginx, venue))
            print(
                f"run {n + 1}: curl {curl_s[-1]:.2f} s, sync {full[-1].seconds:.2f} s", full[-1].stages, file=sys.stderr
            )
        store = Store(tmp / f"sync-{runs - 1}")
        for n in range(runs):
            changed.append(edit(pack, exhibits, n))
            republish.append(sum(pub.publish()))
            incr.append(sync_run(store, nginx, venue))
            print(f"edit {n + 1}: {incr[-1].served} bytes, {incr[-1].seconds:.2f} s {incr[-1].stages}", file=sys.stderr)
    files = full[0].result.files
    curl_mbps = [mb(blob_bytes) / s for s in curl_s]
    dl_mbps = [mb(r.downloaded) / r.stages["download"] for r in full]
    e2e_mbps = [mb(r.served) / r.seconds for r in full]
    # Paired: each sync against the curl run just before it (this machine's speed drifts between rounds).
    dl_ratios = [d / c for d, c in zip(dl_mbps, curl_mbps, strict=True)]
    e2e_ratios = [e / c for e, c in zip(e2e_mbps, curl_mbps, strict=True)]
    dl_ratio, e2e_ratio = statistics.median(dl_ratios), statistics.median(e2e_ratios)
    ratios = [r.served / c for r, c in zip(incr, changed, strict=True)]
    bytes_ok = all(r.served <= 1.1 * c + SLACK for r, c in zip(incr, changed, strict=True))
    no_health = [r.seconds - r.stages.get("health", 0.0) for r in incr]
    incr_total = statistics.median([r.seconds for r in incr])

    def stage_rows(rows: list[SyncRun], label: str) -> list[str]:
        return [f"| {label}: {s} | {span([r.stages.get(s, 0.0) for r in rows])} | |" for s in STAGES]

    def yes(ok: bool) -> str:
        return "**met**" if ok else "**not met**"

    machine = f"{os.cpu_count()} CPUs, {platform.platform()}, Python {platform.python_version()}, {versions()}"
    lines = [
        HEADING,
        "",
        f"`.venv/bin/python -m benchmarks.bench_sync --runs {runs} --write docs/benchmarks.md` on {machine}, "
        f"{date.today().isoformat()}; {time.monotonic() - started:.0f} s in all.",
        "",
        f"Pack: `make_big_pack` with {EXHIBITS} exhibits, each with one {IMAGE_BYTES:,}-byte image of random bytes: "
        f"{files} files, {mb(blob_bytes):.1f} MB. Served by nginx on 127.0.0.1 (sendfile, one worker); the kiosk "
        "store and curl's output on the same disk. Medians of "
        f"{runs} runs (min-max); curl and the full sync alternate, each into a fresh folder kept until the end (no "
        "timed run follows the deletion of another's files), and each ratio to curl pairs a sync with the curl run "
        "just before it.",
        "",
        "| figure | value | target |",
        "|---|---|---|",
        f"| publish: add_bundle (hash, copy into the repository, sign) | {build_s:.2f} s | |",
        f"| publish: publish_tree (copy to the served folder) | {copy_s:.2f} s | |",
        f"| curl, one process, {len(urls)} files over kept-alive connections ({max(connects)}: nginx's "
        f"keepalive_requests is 1000) | {span(curl_s)} | |",
        f"| curl throughput | {span(curl_mbps, '{:.0f}', ' MB/s')} | |",
        f"| first full sync, end to end | {span([r.seconds for r in full])} | |",
        *stage_rows(full, "first sync stage"),
        f"| bytes served (nginx body bytes) / SyncResult.downloaded_bytes | {mb(full[0].served):.2f} MB / "
        f"{mb(full[0].result.downloaded_bytes):.2f} MB in {full[0].result.requests} requests | |",
        f"| download stage throughput (transfer, hash, write; {Limits().parallel} threads) | "
        f"{span(dl_mbps, '{:.0f}', ' MB/s')} | |",
        f"| end-to-end throughput (bytes served / whole sync) | {span(e2e_mbps, '{:.0f}', ' MB/s')} | |",
        f"| download stage vs curl (throughput ratio) | {span(dl_ratios, '{:.0%}', '')} | "
        f">= 80%: {yes(dl_ratio >= 0.8)} |",
        f"| end to end vs curl (throughput ratio) | {span(e2e_ratios, '{:.0%}', '')} | "
        f">= 80%: {yes(e2e_ratio >= 0.8)} |",
        f"| incremental: re-publish (add_bundle + publish_tree) | {span(republish)} | |",
        f"| incremental: bytes served (nginx body bytes) | {span([r.served for r in incr], '{:,.0f}', ' B')} | "
        f"<= 1.1 x changed + 64 KB: {yes(bytes_ok)} |",
        f"| incremental: changed bytes (edited YAML + new image) | {span(changed, '{:,.0f}', ' B')} | |",
        f"| incremental: served / changed | {span(ratios, '{:.3f}', '')} | |",
        f"| incremental: of the bytes served, TUF metadata / the file list (pack.json) | "
        f"{span([r.metadata for r in incr], '{:,.0f}', ' B')} / {span([r.listing for r in incr], '{:,.0f}', ' B')} | |",
        f"| incremental: requests | {span([r.result.requests for r in incr], '{:.0f}', '')} | |",
        f"| incremental sync, end to end | {span([r.seconds for r in incr])} | < 2 s: {yes(incr_total < 2)} |",
        f"| incremental sync without the health check | {span(no_health)} | "
        f"< 2 s: {yes(statistics.median(no_health) < 2)} |",
        *stage_rows(incr, "incremental stage"),
        "",
        "Stages are timed from the client's progress callback: check (TUF metadata refresh, the file list and the "
        "signed info of every file), download (every missing blob: transfer, length and hash check, write), stage "
        "(hard links into the new version folder), health (validate, index build, smoke questions), switch "
        "(`os.sync()` and the pointer rename), cleanup. curl only writes; it neither hashes nor syncs to disk. The "
        "download stage sends each request on a kept-alive http.client connection of its thread (urllib3's work "
        "around each request cost a third of the stage) and reads the answer as sent, up to 1 MiB at a time, into "
        "an unbuffered file and the hash; the request and the answer's headers are handled in Python with the "
        "interpreter's lock held, so it runs one thread per processor. Half the files are a few KB of YAML, so that"
        " work per file, more than the bytes, sets the stage's pace here. The health check builds the index of 500 "
        "exhibits and the mind's work on each, and is most of a first sync's time; the end-to-end ratio is given "
        "for completeness.",
        "",
        "",  # a blank line before the next section's heading
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
