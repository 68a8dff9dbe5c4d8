"""The ``kiosk`` program of the one-folder bundle: the same command line as ``kiosk`` in a virtual environment.

Two things differ from ``python -m kiosk`` when frozen:

- speech synthesis runs in a ``multiprocessing`` worker started by "spawn", which starts this program again with
  the worker's arguments; ``freeze_support`` turns that start into the worker instead of the command line;
- the kiosk starts its helpers as ``sys.executable -m kiosk ...`` (content sync, the editor's preview); here
  ``sys.executable`` is this program, which takes the command line directly, so a leading ``-m kiosk`` is dropped.
"""

from __future__ import annotations

import multiprocessing
import sys


def main() -> None:
    multiprocessing.freeze_support()
    if sys.argv[1:3] == ["-m", "kiosk"]:
        del sys.argv[1:3]
    from kiosk.cli import main as kiosk

    kiosk(prog_name="kiosk")


if __name__ == "__main__":
    main()
