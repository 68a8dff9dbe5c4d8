"""Docent: an offline digital-human guide kiosk for museums and heritage sites."""

__version__ = "0.1.0"

__all__ = ["__version__"]
