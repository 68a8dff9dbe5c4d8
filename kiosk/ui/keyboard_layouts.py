"""The on-screen keyboard's keys for each language: letters (QWERTY, pinyin QWERTY, 2-beolsik) and digits/punctuation.

Each row is ten key units wide, so every row lines up and a key is a tenth of the keyboard's width at most; wider keys
(shift, backspace, space, enter) take more units. No Qt here: :mod:`kiosk.ui.keyboard` turns these into buttons.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from kiosk.ui.strings import register, t


class Action(Enum):
    CHAR = "char"
    SHIFT = "shift"
    BACKSPACE = "backspace"
    SPACE = "space"
    ENTER = "enter"
    LAYER = "layer"
    """Switch between letters and digits/punctuation."""
    SPACER = "spacer"
    """Empty room that centres a short row."""


@dataclass(frozen=True)
class Key:
    action: Action
    char: str = ""
    """What the key types (CHAR keys)."""
    shifted: str = ""
    """What it types with shift on ('' when shift changes nothing)."""
    units: float = 1.0

    def typed(self, shift: bool) -> str:
        return self.shifted if shift and self.shifted else self.char


LETTERS = "letters"
SYMBOLS = "symbols"
ROW_UNITS = 10.0

register(
    {
        "kb_space": {"en": "space", "zh": "空格", "ko": "띄어쓰기"},
        "kb_backspace": {"en": "Delete", "zh": "删除", "ko": "지우기"},
        "kb_shift": {"en": "Shift", "zh": "大写", "ko": "쌍자음"},
        "kb_symbols": {"en": "123", "zh": "123", "ko": "123"},
        "kb_letters": {"en": "ABC", "zh": "拼音", "ko": "한글"},
        "kb_keyboard": {"en": "Keyboard", "zh": "键盘", "ko": "키보드"},
    }
)


def _chars(chars: str, shifted: str = "") -> list[Key]:
    return [Key(Action.CHAR, c, shifted[i] if shifted else "") for i, c in enumerate(chars)]


def _spacer(units: float) -> Key:
    return Key(Action.SPACER, units=units)


def _bottom(punctuation: str) -> list[Key]:
    """The last row: layer switch, punctuation either side of the space bar, enter."""
    return [
        Key(Action.LAYER, units=1.5),
        *_chars(punctuation[:1]),
        Key(Action.SPACE, units=10.0 - 1.5 - 1.5 - len(punctuation)),
        *_chars(punctuation[1:]),
        Key(Action.ENTER, units=1.5),
    ]


QWERTY = [
    _chars("qwertyuiop", "QWERTYUIOP"),
    [_spacer(0.5), *_chars("asdfghjkl", "ASDFGHJKL"), _spacer(0.5)],
    [Key(Action.SHIFT, units=1.5), *_chars("zxcvbnm", "ZXCVBNM"), Key(Action.BACKSPACE, units=1.5)],
    _bottom(",.?"),
]
PINYIN = [
    _chars("qwertyuiop"),
    [_spacer(0.5), *_chars("asdfghjkl"), _spacer(0.5)],
    [Key(Action.CHAR, "'", units=1.5), *_chars("zxcvbnm"), Key(Action.BACKSPACE, units=1.5)],
    _bottom("，。？"),
]
DUBEOLSIK = [
    _chars("ㅂㅈㄷㄱㅅㅛㅕㅑㅐㅔ", "ㅃㅉㄸㄲㅆㅛㅕㅑㅒㅖ"),
    [_spacer(0.5), *_chars("ㅁㄴㅇㄹㅎㅗㅓㅏㅣ"), _spacer(0.5)],
    [Key(Action.SHIFT, units=1.5), *_chars("ㅋㅌㅊㅍㅠㅜㅡ"), Key(Action.BACKSPACE, units=1.5)],
    _bottom(",.?"),
]
WESTERN_SYMBOLS = [
    _chars("1234567890"),
    _chars("-/:;()&@\"'"),
    [*_chars("#+=%*!?,."), Key(Action.BACKSPACE, units=1.0)],
    _bottom(",.?"),
]
CHINESE_SYMBOLS = [
    _chars("1234567890"),
    _chars("、：；（）“”《》·"),
    [*_chars("！？，。-@#%…"), Key(Action.BACKSPACE, units=1.0)],
    _bottom("，。？"),
]

LAYOUTS: dict[str, dict[str, list[list[Key]]]] = {
    "en": {LETTERS: QWERTY, SYMBOLS: WESTERN_SYMBOLS},
    "zh": {LETTERS: PINYIN, SYMBOLS: CHINESE_SYMBOLS},
    "ko": {LETTERS: DUBEOLSIK, SYMBOLS: WESTERN_SYMBOLS},
}


def layout(language: str, layer: str) -> list[list[Key]]:
    """The rows of keys for ``language`` (English's for a language without its own) and ``layer``."""
    return LAYOUTS.get(language, LAYOUTS["en"])[layer]


def label(key: Key, language: str, layer: str, shift: bool) -> str:
    """What a key shows."""
    match key.action:
        case Action.CHAR:
            return key.typed(shift)
        case Action.SHIFT:
            return "⇧"
        case Action.BACKSPACE:
            return "⌫"
        case Action.SPACE:
            return t("kb_space", language)
        case Action.ENTER:
            return t("send", language)
        case Action.LAYER:
            return t("kb_letters" if layer == SYMBOLS else "kb_symbols", language)
    return ""


def spoken(key: Key, language: str, layer: str, shift: bool) -> str:
    """A key's accessible name (screen readers say "Delete", not "⌫")."""
    names = {Action.SHIFT: "kb_shift", Action.BACKSPACE: "kb_backspace", Action.SPACE: "kb_space"}
    return t(names[key.action], language) if key.action in names else label(key, language, layer, shift)


__all__ = ["LAYOUTS", "LETTERS", "ROW_UNITS", "SYMBOLS", "Action", "Key", "label", "layout", "spoken"]
