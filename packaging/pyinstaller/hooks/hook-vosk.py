"""Vosk opens its native library by path (``libvosk.so`` / ``libvosk.dll`` next to ``vosk/__init__.py``) with cffi,
which PyInstaller's analysis does not follow. On Windows the folder also holds the MinGW runtime DLLs it needs."""

from __future__ import annotations

from PyInstaller.utils.hooks import collect_dynamic_libs

binaries = collect_dynamic_libs("vosk")
hiddenimports = ["vosk.vosk_cffi", "_cffi_backend"]
