"""Which language a question is in: by script, with the kiosk's setting as the tie-breaker."""

from __future__ import annotations

import re

_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_LATIN = re.compile(r"[A-Za-z]{2,}")


def detect_language(text: str, languages: tuple[str, ...], fallback: str) -> str:
    """The pack language the question is in.

    Hangul means Korean and Han characters mean Chinese, even inside mostly English text ("Forbidden City是哪年建的"
    is a Chinese question about an English name). Latin words alone mean English when the pack has it. Otherwise
    (digits only, an unknown script, or a language the pack lacks) the kiosk's current language decides.
    """
    hangul = len(_HANGUL.findall(text))
    han = len(_HAN.findall(text))
    candidates: list[str] = []
    if hangul and hangul >= han:
        candidates.append("ko")
    if han and not _KANA.search(text):
        candidates.append("zh")
    if hangul:
        candidates.append("ko")
    if _LATIN.search(text):
        candidates.append("en")
    for code in candidates:
        if code in languages:
            return code
    return fallback if fallback in languages else languages[0]


__all__ = ["detect_language"]
