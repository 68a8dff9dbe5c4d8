"""SIGKILL at random moments of real `kiosk sync` runs, at least 50 times: after each one the kiosk must find a
complete, valid version (the old one or the new one, byte for byte as published), never a mix."""

from __future__ import annotations

import json
import os
import queue
import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

from kiosk.content import validate_pack
from kiosk.sync.store import Store
from kiosk.sync.trust import install_trust
from tests.httpd import FaultServer
from tests.synckit import (
    PACK_ID,
    client,
    edit_summary,
    installed_files,
    installed_version,
    make_publisher,
    source_files,
    write_media,
)

KILLS = 56
IMAGE = 800_000
RATE = 400_000
RATE_ALL = 2 * RATE  # two changed images per version, fetched side by side


def _reader(stream: object, lines: queue.Queue[str | None]) -> None:
    for line in stream:  # type: ignore[attr-defined]
        lines.put(line)
    lines.put(None)


def _run_and_kill(url: str, home: Path, rng: random.Random, switch_s: float) -> tuple[str, bool, float | None]:
    """Start `kiosk sync`, kill it at a random moment of a randomly chosen phase: while downloading, or within
    ``switch_s`` of the start of assembling (then checking, switching, cleaning up). Returns the last stage seen,
    whether it was killed, and, for a run that was not, the seconds from assembling to its end."""
    env = {**os.environ, "DOCENT_HOME": str(home)}
    child = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "sync", "--json", "--server", url, "--pack", PACK_ID],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    lines: queue.Queue[str | None] = queue.Queue()
    threading.Thread(target=_reader, args=(child.stdout, lines), daemon=True).start()
    target = rng.choice(["download", "stage"])  # kill while downloading, or while assembling/checking/switching
    stage = ""
    deadline = None
    staged_at = None
    while True:
        timeout = 0.02 if deadline is not None else 60.0
        try:
            line = lines.get(timeout=timeout)
        except queue.Empty:
            line = ""
        if line is None:
            child.wait(30)
            return stage, False, None if staged_at is None else time.monotonic() - staged_at
        if line:
            event = json.loads(line)
            stage = str(event.get("stage", stage)) if event.get("event") == "progress" else stage
            if staged_at is None and stage == "stage":
                staged_at = time.monotonic()
            if deadline is None and stage == target:
                if target == "download":  # somewhere in what is left to fetch (resumed files have less)
                    left_s = (int(event["total"]) - int(event["done"])) / RATE_ALL
                    deadline = time.monotonic() + rng.uniform(0.0, 0.8 * left_s)
                else:  # assembling, the health check, the switch, the clean-up
                    deadline = time.monotonic() + rng.uniform(0.0, switch_s)
        if deadline is not None and time.monotonic() >= deadline:
            child.send_signal(signal.SIGKILL)
            child.wait(30)
            while (rest := _drain(lines)) is not None:  # the stage it had reached when it died
                if rest:
                    event = json.loads(rest)
                    stage = str(event.get("stage", stage)) if event.get("event") == "progress" else stage
            return stage, True, None


def _drain(lines: queue.Queue[str | None]) -> str | None:
    try:
        return lines.get(timeout=1)
    except queue.Empty:
        return None


def test_sigkill_during_download_or_switch_never_leaves_a_mix(tmp_path: Path) -> None:
    rng = random.Random(20261121)
    publisher = make_publisher(tmp_path, media_sizes=(IMAGE, IMAGE, IMAGE))
    publisher.publish()
    published = {1: source_files(publisher.pack)}
    home = tmp_path / "kiosk-home"
    store = Store(home / "sync")
    install_trust(store, publisher.root_file)
    stages: Counter[str] = Counter()
    with FaultServer(publisher.www) as server:
        client(store, server.url).sync(PACK_ID)
        server.drip("*.jpg", bytes_per_s=RATE)  # about 2 s per changed image: time to be killed in
        kills = 0
        switch_s = 1.2  # until a run that is not killed shows how long assembling to the end takes on this machine
        for round_ in range(400):
            switched = sum(stages[s] for s in ("stage", "health", "switch", "cleanup"))
            if kills >= KILLS and stages["download"] >= 15 and switched >= 15:
                break  # enough kills, and enough of them in each part (a faster machine spends less time switching)
            if installed_version(store) == max(published):
                for number in range(2):  # the next version: two new images and an edited exhibit
                    write_media(publisher.pack, f"extra-{number}.jpg", IMAGE, seed=1000 * round_ + number)
                edit_summary(publisher.pack, f"Revision {round_}.")
                published[publisher.publish().version] = source_files(publisher.pack)
            stage, killed, took = _run_and_kill(server.url, home, rng, switch_s)
            if took is not None:  # how long assembling to the end takes here, once the check reuses a version's work
                switch_s = min(switch_s, 0.9 * took)
            kills += killed
            if killed:
                stages[stage] += 1
            # "Restart": what would the kiosk open now?
            folder = store.current_dir("packs", PACK_ID)
            version = installed_version(store)
            assert folder is not None and version in published, (round_, stage, version)
            assert store.check_version(folder) == [], (round_, stage, store.check_version(folder))
            assert installed_files(store) == published[version], f"round {round_}: a mix after a kill in {stage}"
            assert validate_pack(folder).ok
        server.clear()
        final = client(store, server.url).sync(PACK_ID)
    assert kills >= KILLS
    assert final.version == max(published) and installed_files(store) == published[final.version]
    downloading = stages["download"]
    switching = sum(stages[s] for s in ("stage", "health", "switch", "cleanup"))
    assert downloading >= 15 and switching >= 15, stages
