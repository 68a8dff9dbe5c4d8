"""Everyday synonyms visitors use for the words curators write: 被烧 for 焚毁, "real" for "original".

Questions and content sentences are both rewritten to one word per group before their words are compared, so a
question matches a story sentence that says the same thing in other words. The groups are general language, not
any one venue's wording; a group's first word is the one both sides are rewritten to.
"""

from __future__ import annotations

import re

GROUPS: tuple[tuple[str, ...], ...] = (
    # Chinese
    ("焚毁", "烧毁", "焚烧", "被烧", "烧掉", "火烧", "被焚"),
    ("最后", "末代", "最后一位", "最后一个"),
    ("迁出", "搬出", "搬走", "离开"),
    ("出土", "挖到", "挖出", "挖掘", "发掘", "发现"),
    ("开凿", "开挖", "挖的", "修的", "修建"),
    ("原件", "真迹", "原作", "真品", "原物"),
    ("柱", "柱子", "立柱"),
    ("胡人", "外国人", "外族人", "老外"),
    ("收藏", "保存", "存放", "藏在"),
    ("重", "多重", "重量"),
    ("长", "多长", "长度"),
    ("高", "多高", "高度"),
    ("宽", "多宽", "宽度"),
    ("烟", "烟雾", "油烟", "冒烟"),
    ("颜料", "染料"),
    ("金丝", "金线"),
    ("银丝", "银线"),
    ("拍卖", "拍了", "拍出", "成交"),
    # English
    ("burn", "burned", "burnt", "torched", "destroyed by fire"),
    ("last", "final"),
    ("original", "real", "genuine", "authentic"),
    ("found", "unearthed", "excavated", "dug up", "discovered"),
    ("pillar", "pillars", "column", "columns"),
    ("foreign", "foreigner", "foreigners", "foreign-looking"),
    ("smoke", "fumes", "soot"),
    ("auction", "auctioned", "sold for", "fetched"),
    ("pigment", "pigments", "minerals", "mineral", "paint"),
    # Korean
    ("불탔", "불에 탔", "소실", "불타"),
    ("원본", "진짜", "진품", "원작"),
    ("출토", "발견", "발굴"),
    ("연기", "그을음"),
)

_CJK = re.compile(r"[\u3400-\u9fff\uac00-\ud7af]")
_MAX_PATTERNS = 512

# What a character of the text can match under re.IGNORECASE, mapped to the (lower-case ASCII, or caseless Chinese
# and Korean) character of a synonym it matches: capitals, and the four other characters Python's re folds onto
# ASCII letters (tests/test_mind.py checks this against re for every character of every synonym).
_FOLD = str.maketrans(
    {chr(c): chr(c + 32) for c in range(ord("A"), ord("Z") + 1)}
    | {"\u0130": "i", "\u0131": "i", "\u212a": "k", "\u017f": "s"}  # İ ı, the Kelvin sign, long s
)


def _alternative(word: str) -> str:
    escaped = re.escape(word)
    return escaped if _CJK.search(word) else rf"\b{escaped}\b"


def _compile() -> tuple[tuple[str, ...], dict[str, str]]:
    target: dict[str, str] = {}
    for group in GROUPS:
        for word in group:
            target[word.lower()] = group[0]
    return tuple(sorted(target, key=len, reverse=True)), target


_WORDS, _TARGET = _compile()
"""Every synonym, longest first: the order of the alternatives (the longest match wins where several start)."""
_PATTERNS: dict[tuple[str, ...], re.Pattern[str]] = {}


def _pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """The alternation of ``words`` (in :data:`_WORDS` order), compiled once."""
    pattern = _PATTERNS.get(words)
    if pattern is None:
        if len(_PATTERNS) >= _MAX_PATTERNS:
            _PATTERNS.clear()
        pattern = _PATTERNS[words] = re.compile("|".join(map(_alternative, words)), re.IGNORECASE)
    return pattern


def _replace(match: re.Match[str]) -> str:
    # Folded as the match was made, not with str.lower(): 'ſmoke' and 'FİNAL' match 'smoke' and 'final', but their
    # lower() is 'ſmoke' and 'fi̇nal' (İ lowers to two characters), which name no synonym.
    return _TARGET[match.group(0).translate(_FOLD)]


def canonical(text: str) -> str:
    """The text with every synonym rewritten to its group's first word."""
    # One alternation of every synonym tries each at every position of the text; only the synonyms the text
    # contains (case folded as re folds it) can match, and the alternation of those alone matches the same.
    folded = text.translate(_FOLD)
    present = tuple(word for word in _WORDS if word in folded)
    if not present:
        return text
    return _pattern(present).sub(_replace, text)


__all__ = ["GROUPS", "canonical"]
