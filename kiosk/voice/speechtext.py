"""Answers made ready to be spoken: numbers, units, ranges and symbols written the way a guide would say them.

``for_speech(text, language)`` is pure text in, text out; it never raises and is idempotent. English keeps its
numbers as digits, which espeak-ng reads well in English; Chinese and Korean get their numbers written out in words
(Chinese numerals, Sino-Korean with native Korean before native counters), because espeak-ng's own reading of
digits in those voices drops decimal points and groups 万 wrongly. Any other language code gets only the
language-neutral cleanup: markdown and stray symbols removed, brackets turned into pauses, line breaks into
sentence ends, whitespace collapsed, and digit runs past 16 digits read one digit at a time.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

_MAX_DIGITS = 16  # longer integers are read digit by digit
_PASSES = 4  # the most times the rules are run over a text, until it stops changing
_WINDOW = 32  # characters of context the number rules look at on either side

# Compatibility glyphs turned into the plain forms the rules below look for.
_GLYPHS = str.maketrans(
    {"㎜": "mm", "㎝": "cm", "㎞": "km", "㎏": "kg", "㎎": "mg", "㎡": "m²", "㎢": "km²", "℃": "°C", "％": "%"}
    | {"−": "-", "﹣": "-", "～": "~", "\t": " "}
    | {chr(0xFF10 + i): str(i) for i in range(10)}
)
_LINK = re.compile(r"!?\[([^\]\n]*)\]\([^)\n]*\)")
_RULE_LINE = re.compile(r"^[ \t]*[-*_]{3,}[ \t]*$", re.M)
_LINE_MARK = re.compile(r"^[ \t]*(?:#{1,6}[ \t]+|>[ \t]*|[-*•][ \t]+)", re.M)
_LINE_BREAK = re.compile(r"[\r\n\v\f\x85\u2028\u2029]+")
_ENDS = ".!?。！？,，;；:：、…"
# Quotes and title marks; an apostrophe stays only inside a Latin word (isn't, Xi'an), not around Korean quotes.
_QUOTES = re.compile(r"[\"“”„‟«»「」『』〝〞《》〈〉]|(?<![A-Za-zÀ-ÿ])['‘’]|['‘’](?![A-Za-zÀ-ÿ])")
_BRACKETS = re.compile(r"[()\[\]{}（）【】〔〕［］｛｝]")
# A closing bracket right before Hangul is a particle's host, 영정문(융딩먼)에서: no pause there.
_CLOSE_BEFORE_WORD = re.compile(r"[)\]}）】〕］｝](?=[\uac00-\ud7a3])")
_THOUSANDS = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?![\d]|,\d)")
_CLOCK = re.compile(r"(?<![\d:.])([01]?\d|2[0-4]):([0-5]\d)(?![\d:])")
_UNIT = r"sq\.? ?km|sq\.? ?m|km²|m²|km|cm|mm|mg|kg|ha|m|g|t|°C|°|%"
_NUMBER = re.compile(
    rf"(?P<sign>(?<![\w.])-)?(?<![\d.])(?P<num>\d+(?:\.\d+)*)(?:\s?(?P<unit>{_UNIT})(?![A-Za-z0-9²_]))?"
)
# Units written after a number: English singular and plural, Chinese, Korean.
_UNITS = {
    "mm": ("millimetre", "millimetres", "毫米", "밀리미터"),
    "cm": ("centimetre", "centimetres", "厘米", "센티미터"),
    "m": ("metre", "metres", "米", "미터"),
    "km": ("kilometre", "kilometres", "公里", "킬로미터"),
    "mg": ("milligram", "milligrams", "毫克", "밀리그램"),
    "g": ("gram", "grams", "克", "그램"),
    "kg": ("kilogram", "kilograms", "千克", "킬로그램"),
    "t": ("tonne", "tonnes", "吨", "톤"),
    "m²": ("square metre", "square metres", "平方米", "제곱미터"),
    "km²": ("square kilometre", "square kilometres", "平方公里", "제곱킬로미터"),
    "ha": ("hectare", "hectares", "公顷", "헥타르"),
    "°C": ("degree Celsius", "degrees Celsius", "摄氏度", "도"),
    "°": ("degree", "degrees", "度", "도"),
    "%": ("percent", "percent", "", "퍼센트"),  # Chinese puts it first: 百分之五
}
_LONG_DIGITS = re.compile(rf"(?<![\d.])\d{{{_MAX_DIGITS + 1},}}")
_LATIN = re.compile(r"[A-Za-z]")
_WORD_SLASH = re.compile(r"(?<=[^\W\d_])\s*/\s*(?=[^\W\d_])")
_DASH_PAUSE = re.compile(r"\s*(?:[—―–]+|--+)\s*|\s+-\s+")
_STRAYS = re.compile(r"[*`^|<>_\\•]|#(?!\d)")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")


def for_speech(text: str, language: str) -> str:
    """``text`` as espeak-ng should be given it in ``language`` ("en", "zh", "ko"; other codes: cleanup only).

    The rules run until the text stops changing (at most a few passes), so that odd input, where removing one
    symbol brings two others together, still gives a result that a second call leaves as it is.
    """
    if not text:
        return ""
    lang = language.replace("_", "-").split("-")[0].lower()
    for _ in range(_PASSES):
        spoken = _one_pass(text, lang)
        if spoken == text:
            break
        text = spoken
    return text


def _one_pass(text: str, lang: str) -> str:
    zh = lang == "zh"
    pause = "，" if zh else ","
    text = _markdown(text.translate(_GLYPHS), "。" if zh else ".")
    text = _BRACKETS.sub(f" {pause} ", _CLOSE_BEFORE_WORD.sub("", _QUOTES.sub("", text))).replace("’", "'")
    text = _STRAYS.sub(" ", text)
    text = _tidy("".join(ch for ch in text if ch == "°" or not _unspeakable(ch)), zh)
    text = _LANGUAGES.get(lang, _long_digits)(text)
    text = _DASH_PAUSE.sub(f"{pause} ", text).replace("~", " ").replace("°", " ").replace("#", " ")
    return _tidy(text, zh)


def _markdown(text: str, stop: str) -> str:
    """Links to their words, headings/bullets/rules dropped, and line breaks as sentence ends: one line."""
    text = _LINE_MARK.sub("", _RULE_LINE.sub("", _LINK.sub(r"\1", text)))
    lines = [line.strip() for line in _LINE_BREAK.split(text)]
    lines = [line for line in lines if line]
    ended = [line if i == len(lines) - 1 or line[-1] in _ENDS else line + stop for i, line in enumerate(lines)]
    return " ".join(ended)


def _unspeakable(ch: str) -> bool:
    """Emoji, pictographs, private-use and format characters: espeak-ng names them or chokes on them."""
    if "\ufe00" <= ch <= "\ufe0f" or ch in "\u200b\u200d":
        return True
    return unicodedata.category(ch) in {"So", "Sk", "Cs", "Co", "Cn", "Cf", "Cc"}


_SPACE_BEFORE = re.compile(r"\s+(?=[,.!?;:，。！？；：、…](?!\d))")
_PAUSE_BEFORE = re.compile(r"[,，、;；]+(?=[,.!?;:，。！？；：、…])")
_PAUSE_AFTER_STOP = re.compile(r"(?<=[.!?。！？:：])\s*[,，、;；]+")
_EDGE_PAUSES = re.compile(r"^[\s,，、;；]+|[\s,，、;；]+$")
_CJK_PUNCT = re.compile(r"\s*([，。！？；：、])\s*")


def _tidy(text: str, chinese: bool) -> str:
    text = _SPACE_BEFORE.sub("", re.sub(r"\s+", " ", text))
    text = _PAUSE_AFTER_STOP.sub("", _PAUSE_BEFORE.sub("", text))
    text = _EDGE_PAUSES.sub("", text)
    if chinese:
        text = _CJK_PUNCT.sub(r"\1", text)
    return re.sub(r" {2,}", " ", text).strip()


def _long_digits(text: str, sep: str = " ") -> str:
    return _LONG_DIGITS.sub(lambda m: sep.join(m[0]), text)


def _ranges(text: str, pattern: re.Pattern[str], word: str) -> str:
    """A dash or tilde between two numbers as ``word``; hyphenated dates such as 2020-01-05 are left alone."""

    def repl(m: re.Match[str]) -> str:
        before, after = text[max(0, m.start() - _WINDOW) : m.start()], text[m.end() : m.end() + _WINDOW]
        if "-" in m[0] and (re.search(r"\d-\d+$", before) or re.match(r"\d+-\d", after)):
            return m[0]
        return word

    return pattern.sub(repl, text)


def _glued_to_latin(m: re.Match[str]) -> bool:
    """A model number such as C919 or mp3: left for the voice to read as it is."""
    before, after = m.string[m.start() - 1 : m.start()], m.string[m.end() : m.end() + 1]
    return bool(_LATIN.match(before) or (not m["unit"] and _LATIN.match(after)))


def _around(m: re.Match[str]) -> tuple[str, str]:
    """A little of the text before and after a match: enough for the rules, and no quadratic cost on long text."""
    return m.string[max(0, m.start() - _WINDOW) : m.start()], m.string[m.end() : m.end() + _WINDOW]


def _unit_key(raw: str | None) -> str | None:
    if raw is None:
        return None
    key = raw.replace(" ", "").replace(".", "")
    return {"sqkm": "km²", "sqm": "m²"}.get(key, key)


# -- English: digits stay, everything around them is spelled out ------------------------------------------------

_EN_RANGE = re.compile(r"(?:(?<=\d)|(?<=\bBCE)|(?<=\bBC)|(?<=\bAD)|(?<=\bCE))\s*[-–—―~]\s*(?=\d|AD\b)")
_EN_CIRCA = re.compile(r"(?<![A-Za-z])([Cc])a?\.\s*(?=-?\d)")
_EN_NUMERO = re.compile(r"(?<![A-Za-z])[Nn]o(s?)\.\s*(?=\d)|№\s*|#(?=\d)")
_EN_ERA = re.compile(r"(?<![A-Za-z])(?:B\.?C\.?(?:E\.?)?|A\.?D\.?|C\.?E\.?)(?![A-Za-z])")
_EN_MINUS = re.compile(r"(?<![\w.])-(?=\d)")


def _english(text: str) -> str:
    text = _THOUSANDS.sub(lambda m: m[0].replace(",", ""), text)
    text = _ranges(text, _EN_RANGE, " to ")
    text = _EN_CIRCA.sub(lambda m: "About " if m[1] == "C" else "about ", text)
    text = _EN_NUMERO.sub(lambda m: "numbers " if m[1] else "number ", text)
    text = _CLOCK.sub(_en_clock, text)
    text = _NUMBER.sub(_en_unit, text)
    text = _EN_ERA.sub(_en_era, text)
    text = _EN_MINUS.sub("minus ", text)
    text = _WORD_SLASH.sub(" or ", text.replace("&", " and "))
    return _long_digits(text)


def _en_clock(m: re.Match[str]) -> str:
    hour, minute = int(m[1]), int(m[2])
    if minute == 0 and hour in (0, 12, 24):
        return "noon" if hour == 12 else "midnight"
    minutes = "" if minute == 0 else f" {minute}" if minute >= 10 else f" oh {minute}"
    return f"{hour % 12 or 12}{minutes} {'PM' if 12 <= hour < 24 else 'AM'}"


def _en_unit(m: re.Match[str]) -> str:
    key = _unit_key(m["unit"])
    number = (m["sign"] or "") + m["num"]
    if key is None:
        return m[0]
    singular, plural, _, _ = _UNITS[key]
    return f"{number} {singular if m['num'] == '1' else plural}"


def _en_era(m: re.Match[str]) -> str:
    letters = "-".join(ch for ch in m[0] if ch.isalpha())  # espeak-ng: "A-D" is ay-dee, "A D" is uh-dee
    if m.start() and m.string[m.start() - 1].isdigit():
        letters = " " + letters
    if m[0].endswith(".") and not re.match(r"\s*\d", m.string[m.end() : m.end() + _WINDOW]):
        letters += "."
    return letters


# -- Chinese: numbers as Chinese numerals ----------------------------------------------------------------------

_ZH_DIGITS = "零一二三四五六七八九"
_ZH_RANGE = re.compile(r"(?<=[\d年月日纪岁])\s*[-–—―~]\s*(?=(?:公元前|前|公元)?\d)")
# Before these a lone 2 is 两 (两千, 两个, 两米), not 二.
_ZH_LIANG = set("百千万亿个位件座种次名只本张块幅尊枚把条根片层部台辆艘间米吨") | {"mm", "cm", "m", "km", "kg", "t"}
# A unit after a number that ends in a Chinese numeral: 72万㎡ is 七十二万平方米.
_ZH_UNIT_AFTER_NUMERAL = re.compile(
    rf"(?<=[一二三四五六七八九十百千万亿两])\s?({_UNIT.replace('|%', '')})(?![A-Za-z0-9²_])"
)
_ZH_DURATION_BEFORE = re.compile(r"(?:距今|历经|长达|已有|有|近|超过|逾)\s*$")
_ZH_YEAR_AFTER = re.compile(r"\s*(?:年(?!的?历史|之久)|(?:至|到)\s*\d{4}\s*年)")


def _chinese(text: str) -> str:
    text = _THOUSANDS.sub(lambda m: m[0].replace(",", ""), text)
    text = _ranges(text, _ZH_RANGE, "至")
    text = _CLOCK.sub(_zh_clock, text)
    text = _ZH_UNIT_AFTER_NUMERAL.sub(lambda m: _UNITS[_unit_key(m[1]) or ""][2], _NUMBER.sub(_zh_number, text))
    return _WORD_SLASH.sub("或", text.replace("&", "和"))


def _zh_number(m: re.Match[str]) -> str:
    if _glued_to_latin(m):
        return m[0]
    num, key = m["num"], _unit_key(m["unit"])
    before, after = _around(m)
    if num.count(".") > 1:
        spoken = "点".join(_zh_digit_string(part) for part in num.split("."))
    elif (
        key is None
        and not m["sign"]
        and len(num) == 4
        and num.isdigit()
        and not before.rstrip().endswith("前")
        and not _ZH_DURATION_BEFORE.search(before)
        and _ZH_YEAR_AFTER.match(after)
    ):
        spoken = _zh_digit_string(num)  # a year: 1860年 is 一八六零年
    else:
        spoken = _zh_decimal(num)
    if num == "2" and not m["sign"] and not before.endswith("第") and (key or after[:1]) in _ZH_LIANG:
        spoken = "两"
    if key == "%":
        spoken = "百分之" + spoken
    return ("负" if m["sign"] else "") + spoken + (_UNITS[key][2] if key else "")


def _zh_clock(m: re.Match[str]) -> str:
    hour, minute = int(m[1]), int(m[2])
    spoken = ("两" if hour == 2 else _zh_cardinal(hour)) + "点"
    if minute:
        spoken += ("零" + _ZH_DIGITS[minute] if minute < 10 else _zh_cardinal(minute)) + "分"
    return spoken


def _zh_digit_string(digits: str) -> str:
    return "".join(_ZH_DIGITS[int(d)] for d in digits)


def _zh_decimal(num: str) -> str:
    whole, _, fraction = num.partition(".")
    if len(whole) > _MAX_DIGITS or (len(whole) > 1 and whole.startswith("0")):
        spoken = _zh_digit_string(whole)
    else:
        spoken = _zh_cardinal(int(whole))
        if spoken[:1] == "二" and spoken[1:2] in ("千", "万", "亿"):
            spoken = "两" + spoken[1:]  # 两千, 两万, 两亿; but 二百, 二十
    return spoken + ("点" + _zh_digit_string(fraction) if fraction else "")


def _zh_cardinal(n: int) -> str:
    """As said aloud: 十八 and 十万, not 一十八."""
    spoken = _zh_int(n)
    return spoken[1:] if spoken.startswith("一十") else spoken


def _zh_int(n: int) -> str:
    """Chinese cardinal for 0 <= n < 10**16, grouped by 万 and 亿 with 零 for skipped places (一亿零五)."""
    if n < 10_000:
        spoken, gap = "", False
        for digit, unit in zip(f"{n:04d}", ("千", "百", "十", ""), strict=True):
            if digit == "0":
                gap = bool(spoken)
                continue
            spoken += ("零" if gap else "") + _ZH_DIGITS[int(digit)] + unit
            gap = False
        return spoken or "零"
    size, unit = (10**8, "亿") if n >= 10**8 else (10**4, "万")
    high, low = divmod(n, size)
    spoken = _zh_int(high) + unit
    if low:
        spoken += ("零" if low < size // 10 else "") + _zh_int(low)
    return spoken


# -- Korean: Sino-Korean numbers, native Korean before native counters -----------------------------------------

_KO_DIGITS = ("영", "일", "이", "삼", "사", "오", "육", "칠", "팔", "구")
_KO_NATIVE_TENS = ("", "열", "스물", "서른", "마흔", "쉰", "예순", "일흔", "여든", "아흔")
_KO_NATIVE_ONES = ("", "한", "두", "세", "네", "다섯", "여섯", "일곱", "여덟", "아홉")
_KO_RANGE = re.compile(r"(?<=[\d\uac00-\ud7a3])\s*~\s*(?=\d)|(?<=\d)\s*[-–—―]\s*(?=\d)")
# Counters that take native Korean numbers: 아홉 시, 열한 개, 스물네 명, 두 번째.
_KO_NATIVE = re.compile(r"\s?(?:시간|시(?!대|기)|개|명|마리|살|그루|채|가지|사람|곳|군데|권|척|벌|잔|번째|달)")
_KO_GLUED = re.compile(
    r"(?:만|억|조|천|여|월)|(?:은|는|이|가|을|를|의|에|에서|에게|도|와|과|로|으로|부터|까지|이다|입니다|보다|쯤)"
    r"(?![\uac00-\ud7a3])"
)


def _korean(text: str) -> str:
    text = _THOUSANDS.sub(lambda m: m[0].replace(",", ""), text)
    text = _ranges(text, _KO_RANGE, "에서 ")
    text = _CLOCK.sub(_ko_clock, text)
    text = _NUMBER.sub(_ko_number, text)
    return _WORD_SLASH.sub(" 또는 ", text.replace("&", " 및 "))


def _ko_number(m: re.Match[str]) -> str:
    if _glued_to_latin(m):
        return m[0]
    num, key, after = m["num"], _unit_key(m["unit"]), _around(m)[1]
    native = key is None and not m["sign"] and num.isdigit() and _KO_NATIVE.match(after)
    if num.count(".") > 1:
        spoken = " 점 ".join(_ko_digit_string(part) for part in num.split("."))
    elif native and len(num) <= _MAX_DIGITS and not num.startswith("0"):
        n = int(num)
        if n % 100 == 0 or (native[0].strip() == "시" and n > 12):  # 백 개, 십칠 시
            spoken = _ko_int(n)
        else:  # 열한 개, 오백한 마리
            spoken = (_ko_int(n - n % 100) if n >= 100 else "") + _ko_native(n % 100)
    else:
        spoken = _ko_decimal(num)
        if after.startswith("월") and num in ("6", "10"):
            spoken = "유" if num == "6" else "시"  # 유월, 시월
    if m["sign"]:
        spoken = "마이너스 " + spoken
    if key:
        return f"{spoken} {_UNITS[key][3]}"
    return spoken + (" " if _HANGUL.match(after) and not _KO_GLUED.match(after) else "")


def _ko_clock(m: re.Match[str]) -> str:
    hour, minute = int(m[1]), int(m[2])
    spoken = (_ko_native(hour) if 1 <= hour <= 12 else _ko_int(hour)) + " 시"
    return spoken + (f" {_ko_int(minute)} 분" if minute else "")


def _ko_native(n: int) -> str:
    """Native Korean for 1 <= n <= 99 as said before a counter (한, 두, 세, 스무, 스물네)."""
    tens, ones = divmod(n, 10)
    return "스무" if n == 20 else _KO_NATIVE_TENS[tens] + _KO_NATIVE_ONES[ones]


def _ko_digit_string(digits: str) -> str:
    return " ".join("공" if d == "0" else _KO_DIGITS[int(d)] for d in digits)


def _ko_decimal(num: str) -> str:
    whole, _, fraction = num.partition(".")
    if len(whole) > _MAX_DIGITS or (len(whole) > 1 and whole.startswith("0")):
        spoken = _ko_digit_string(whole)
    else:
        spoken = _ko_int(int(whole))
    return spoken + (" 점 " + "".join(_KO_DIGITS[int(d)] for d in fraction) if fraction else "")


def _ko_int(n: int) -> str:
    """Sino-Korean cardinal for 0 <= n < 10**16: 천백구십일, 만, 십이만 삼천사백오십육, 일억."""
    if n == 0:
        return "영"
    groups: list[str] = []
    for unit in ("", "만", "억", "조"):
        n, group = divmod(n, 10_000)
        if group:
            spoken = ""
            for digit, place in zip(f"{group:04d}", ("천", "백", "십", ""), strict=True):
                if digit != "0":
                    spoken += ("" if digit == "1" and place else _KO_DIGITS[int(digit)]) + place
            groups.append(("" if group == 1 and unit == "만" else spoken) + unit)
        if not n:
            break
    return " ".join(reversed(groups))


_LANGUAGES: dict[str, Callable[[str], str]] = {"en": _english, "zh": _chinese, "ko": _korean}

__all__ = ["for_speech"]
