"""``python -m kiosk``: the ``kiosk`` command (the running kiosk starts ``kiosk sync`` this way)."""

from kiosk.cli import main

main()
