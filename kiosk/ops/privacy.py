"""Personal data in visitors' questions, masked before a question is stored.

A visitor may type or say a phone number, an ID number or an e-mail address ("my son is lost, call 010-1234-5678").
:func:`mask_personal` replaces them with ``[number]`` and ``[email]`` and leaves the numbers a museum question is
made of: years (1420, 1368-1644), dates, prices (¥12,800, 1500000원), sizes, exhibit and room numbers, short numbers.

What counts as personal: a run of 7 or more digits, written plainly or in groups (spaces, dashes, dots in a phone's
shape, brackets, a leading +), in ASCII or full-width digits; a Chinese resident ID's 18 characters (check character
X included); a Korean resident registration number (6-7); a passport number (one or two letters and 7-9 digits);
7 or more digits spoken one by one, as a speech recognizer writes them (一三八..., 공일공..., "one three eight ...").
Not counted: a year range (two ascending years), a date (2025-03-15, 20250315), a number with a currency sign or a
unit next to it, thousands separated by commas. Pure: text in, text out.
"""

from __future__ import annotations

import re
from datetime import date

NUMBER = "[number]"
"""What a phone or ID number becomes."""
EMAIL = "[email]"
"""What an e-mail address becomes."""

MIN_DIGITS = 7
"""The fewest digits a phone or ID number has (a local phone number without its area code)."""

# Full-width ASCII (U+FF01-FF5E), the ideographic space and typographic dashes, one character for one: positions in
# the translated text are positions in the visitor's text.
_ASCII = str.maketrans(
    {**{chr(0xFF01 + i): chr(0x21 + i) for i in range(0x5E)}, "\u3000": " ", "\u2010": "-", "\u2011": "-"}
    | {"\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u30fc": "-"}
)

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_SEP = r"(?:[ ]?[-.][ ]?|[ ]|[ ]?\)[ ]?|[ ]?\(|\)-)"
_RUN = re.compile(rf"(?<![0-9A-Za-z])(?:\+[ ]?)?\(?\d+(?:{_SEP}\d+)*\)?(?:[xX](?![A-Za-z]))?")
_PASSPORT = re.compile(r"(?<![0-9A-Za-z])[A-Za-z]{1,2}\d{7,9}(?![0-9A-Za-z])")
_ZH_DIGITS = re.compile(r"[零〇一二三四五六七八九幺](?:[ -]?[零〇一二三四五六七八九幺]){6,}")
_KO_DIGIT = "[공영일이삼사오육칠팔구]"
_KO_DIGITS = re.compile(rf"(?<![가-힣]){_KO_DIGIT}{{2,}}(?:[ -]{_KO_DIGIT}{{2,}})*")
_EN_WORD = r"(?:zero|oh|one|two|three|four|five|six|seven|eight|nine|double|triple)"
_EN_DIGITS = re.compile(rf"\b{_EN_WORD}(?:[ ,-]+{_EN_WORD})*\b", re.IGNORECASE)
_CURRENCY_BEFORE = re.compile(r"(?:[$¥€£₩]|US\$|RMB|KRW|USD|CNY|HK\$)\s?$", re.IGNORECASE)
_UNIT_AFTER = re.compile(
    r"\s?(?:元|块|圆|円|원|만|억|달러|美元|韩元|人民币|年|件|个|人|次|岁|살|명|개|점|번째|"
    r"(?:won|yuan|dollars?|usd|rmb|krw|years?|kg|km|cm|mm|m|g|people|visitors|pieces|objects)\b)",
    re.IGNORECASE,
)


def mask_personal(text: str) -> str:
    """``text`` with what looks like phone numbers, ID numbers and e-mail addresses replaced by ``[number]`` and
    ``[email]``; everything else exactly as it was."""
    if not text:
        return text
    spans = _spans(text)
    if not spans:
        return text
    out: list[str] = []
    at = 0
    for start, end, mark in spans:
        out.append(text[at:start])
        out.append(mark)
        at = end
    out.append(text[at:])
    return "".join(out)


def looks_personal(text: str) -> bool:
    """Whether :func:`mask_personal` would change ``text``."""
    return bool(text) and bool(_spans(text))


def _spans(text: str) -> list[tuple[int, int, str]]:
    plain = text.translate(_ASCII)
    found: list[tuple[int, int, str]] = [(m.start(), m.end(), EMAIL) for m in _EMAIL.finditer(plain)]
    taken = [(s, e) for s, e, _ in found]

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    candidates: list[tuple[int, int]] = []
    for m in _RUN.finditer(plain):
        span = _number_span(plain, m.start(), m.end())
        if span is not None:
            candidates.append(span)
    candidates += [(m.start(), m.end()) for m in _PASSPORT.finditer(plain)]
    candidates += [(m.start(), m.end()) for m in _ZH_DIGITS.finditer(plain)]
    for m in _KO_DIGITS.finditer(plain):
        if sum(ch not in " -" for ch in m.group()) >= MIN_DIGITS:
            candidates.append((m.start(), m.end()))
    for m in _EN_DIGITS.finditer(plain):
        if len(re.findall(_EN_WORD, m.group(), re.IGNORECASE)) >= MIN_DIGITS:
            candidates.append((m.start(), m.end()))
    for start, end in sorted(candidates):
        if free(start, end):
            found.append((start, end, NUMBER))
            taken.append((start, end))
    return sorted(found)


def _number_span(plain: str, start: int, end: int) -> tuple[int, int] | None:
    """The part of the digit run ``plain[start:end]`` to mask, or None when it is not a phone or ID number."""
    run = plain[start:end]
    groups = re.findall(r"\d+", run)
    digits = sum(len(g) for g in groups)
    if run[-1] in "xX":
        if digits == 17:  # a Chinese resident ID ending in its check character
            return start, end
        end -= 1
        run = run[:-1]
    if run.endswith(")") and "(" not in run:
        end -= 1
        run = run[:-1]
    if digits < MIN_DIGITS or _is_year_range(groups) or _is_date(groups):
        return None
    if _CURRENCY_BEFORE.search(plain[max(0, start - 4) : start]) or _UNIT_AFTER.match(plain, end):
        return None
    between = set(re.sub(r"\d", "", run.lstrip("+(")))
    if between and between <= {"."} and not _phone_shape(groups):
        return None  # 2015.045.12 is a catalogue number, 3.14159265 a number
    return start, end


def _is_year_range(groups: list[str]) -> bool:
    if len(groups) != 2 or any(len(g) != 4 for g in groups):
        return False
    first, last = int(groups[0]), int(groups[1])
    return 1000 <= first < last <= 2099


def _is_date(groups: list[str]) -> bool:
    if len(groups) == 1 and len(groups[0]) == 8:
        g = groups[0]
        groups = [g[:4], g[4:6], g[6:]]
    if len(groups) != 3:
        return False
    lengths = tuple(len(g) for g in groups)
    if lengths in ((4, 2, 2), (4, 1, 2), (4, 2, 1), (4, 1, 1)):
        year, month, day = (int(g) for g in groups)
    elif lengths in ((2, 2, 4), (1, 2, 4), (2, 1, 4), (1, 1, 4)):
        day, month, year = (int(g) for g in groups)
    else:
        return False
    if not 1000 <= year <= 2099:
        return False
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _phone_shape(groups: list[str]) -> bool:
    """010.1234.5678 and 555.123.4567 are phone numbers written with dots."""
    lengths = [len(g) for g in groups]
    return len(lengths) == 3 and 2 <= lengths[0] <= 3 and 3 <= lengths[1] <= 4 and lengths[2] == 4


__all__ = ["EMAIL", "MIN_DIGITS", "NUMBER", "looks_personal", "mask_personal"]
