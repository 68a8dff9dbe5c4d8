"""The data behind pinyin input: pypinyin's readings and jieba's word frequencies, turned into a reverse index.

No Qt here. pypinyin (MIT) gives every character's readings and the readings of the phrases whose characters have more
than one (so 银行 is yinhang, not yinxing); jieba's dictionary gives how common each word is. Both files are read
straight from the installed packages, found without importing them (importing pypinyin costs more than its data).

The index files jieba's ~100,000 words by the first letters of their syllables (后母戊鼎 under ``hmwd``). Building it
must be quick (it happens when the kiosk first shows Chinese), so it does as little per word as it can: the first
letters come from one ``str.translate`` over all the words at once, a character whose readings start with different
letters (行: xing, hang) standing as ``*`` (银行 is filed under ``y*``). A word's true reading, from the phrase table
where it has one, is worked out only when a keystroke first needs its group, and decides which first letters it
answers to (银行 for ``yh``, not ``yx``); :meth:`WordTable.warm` works out the biggest groups ahead, in the background.
"""

from __future__ import annotations

import importlib.util
import itertools
import json
import re
import threading
import unicodedata
from collections.abc import Iterable
from functools import cache
from pathlib import Path

MIN_WORD_FREQ = 10
"""Words of two to four characters seen fewer times than this are left out (single characters are all kept)."""
SECONDARY = 100
"""A character's less usual readings count this many times less often than its usual one (见 is jian before xian)."""

_JIEBA_WORD = re.compile(r"^([\u4e00-\u9fff](?:[\u4e00-\u9fff]{1,3}(?= [1-9]\d))?) (\d+) ", re.MULTILINE)
"""A line of jieba's dictionary: any single character, or a word of up to four seen at least ten times."""
_MANY = "*"
"""Stands, in a word's first letters, for a character whose readings start with different letters."""

Entry = tuple[int, str, str]
"""How common a word is, the word, and its reading (toneless syllables split by spaces)."""


@cache
def toneless(reading: str) -> str:
    """``zhōng`` → ``zhong``, ``lǜ`` → ``lv``; an empty string for a reading that is not plain pinyin."""
    s = unicodedata.normalize("NFD", reading.strip().lower()).replace("u\u0308", "v")
    s = "".join(c for c in s if not unicodedata.combining(c))
    return s if s.isascii() and s.isalpha() else ""


def package_file(package: str, name: str) -> Path | None:
    """A data file of an installed package, found without importing the package."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / name
    return path if path.is_file() else None


class Readings:
    """Every character's readings (toneless, most usual first) and, loaded on first use, the phrases' own."""

    def __init__(self) -> None:
        chars = package_file("pypinyin", "pinyin_dict.json")
        if chars is not None:
            self._chars: dict[str, str] = json.loads(chars.read_text(encoding="utf-8"))
        else:  # another packaging of pypinyin: its module holds the same table
            from pypinyin.pinyin_dict import pinyin_dict

            self._chars = {str(k): v for k, v in pinyin_dict.items()}
        self._cache: dict[str, tuple[str, ...]] = {}
        self._phrases: dict[str, list[list[str]]] | None = None
        self._lock = threading.Lock()
        spellings = set(",".join(self._chars.values()).split(","))  # some 1,500 readings with tones
        self._first = {r: (toneless(r) or "?")[0] for r in spellings}
        self.syllables = frozenset(toneless(r) for r in spellings) - {""}

    def initials_table(self, chars: Iterable[str]) -> dict[int, str]:
        """For ``str.translate``: each character to the first letter of its readings; ``*`` where they differ
        (行: xing, hang), ``?`` where it has none."""
        table: dict[int, str] = {}
        first, readings = self._first, self._chars
        for char in chars:
            raw = readings.get(str(ord(char)))
            if raw is None:
                table[ord(char)] = "?"
            elif "," not in raw:
                table[ord(char)] = first[raw]
            else:
                letters = {first[r] for r in raw.split(",")}
                table[ord(char)] = letters.pop() if len(letters) == 1 else _MANY
        return table

    def of_char(self, char: str) -> tuple[str, ...]:
        found = self._cache.get(char)
        if found is None:
            raw = self._chars.get(str(ord(char)), "")
            found = tuple(dict.fromkeys(r for r in (toneless(x) for x in raw.split(",")) if r))
            self._cache[char] = found
        return found

    def phrases(self) -> dict[str, list[list[str]]]:
        """pypinyin's phrases with readings of their own (about 50,000; a tenth of a second to load)."""
        with self._lock:
            if self._phrases is None:
                path = package_file("pypinyin", "phrases_dict.json")
                if path is not None:
                    self._phrases = json.loads(path.read_text(encoding="utf-8"))
                else:
                    from pypinyin.phrases_dict import phrases_dict

                    self._phrases = dict(phrases_dict)
            return self._phrases

    def of_word(self, word: str) -> str:
        """A word's usual reading, syllables split by spaces ('' where a character has none)."""
        phrase = self.phrases().get(word)
        if phrase is not None and len(phrase) == len(word):
            sounds = [toneless(p[0]) for p in phrase]
        else:
            sounds = [(self.of_char(c) or ("",))[0] for c in word]
        return " ".join(sounds) if all(sounds) else ""


_readings: Readings | None = None
_lock = threading.Lock()


def readings() -> Readings:
    global _readings
    with _lock:
        if _readings is None:
            _readings = Readings()
        return _readings


def jieba_words() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """jieba's single characters, and its words of up to four characters seen at least ``MIN_WORD_FREQ`` times,
    with their frequencies (as written)."""
    path = package_file("jieba", "dict.txt")
    found = _JIEBA_WORD.findall(path.read_text(encoding="utf-8")) if path is not None else []
    if not found:
        return (), ()
    words, freqs = zip(*found, strict=True)
    return words, freqs


class WordTable:
    """jieba's words filed by their first letters; each group's readings worked out and sorted on first use."""

    def __init__(self, words: tuple[str, ...], freqs: tuple[str, ...], data: Readings) -> None:
        self._words = words
        self._freqs = freqs
        self._data = data
        self.groups: dict[str, list[int]] = {}
        """First letters, ``*`` for a character whose readings start differently → the numbers of the words."""
        group = self.groups.setdefault
        for i, key in enumerate("\n".join(words).translate(data.initials_table(set("".join(words)))).split("\n")):
            if "?" not in key:
                group(key, []).append(i)
        self._starts = frozenset(k[:i] for k in self.groups for i in range(1, len(k) + 1))
        self.longest = max(map(len, self.groups), default=0)
        self._resolved: dict[str, list[tuple[int, str, str, str]]] = {}
        self._entries: dict[str, list[Entry]] = {}

    def __len__(self) -> int:
        return len(self._words)

    def filed_under(self, initials: str, keys: frozenset[str] | dict[str, list[int]] | None = None) -> list[str]:
        """The groups that may hold words with these first letters: theirs, and theirs with ``*`` for any letter."""
        within = self.groups if keys is None else keys
        masks = itertools.product(*((c, _MANY) for c in initials))
        return [key for key in map("".join, masks) if key in within]

    def may_start(self, initials: str) -> bool:
        """Whether any word's syllables start with these first letters."""
        return bool(self.filed_under(initials, self._starts))

    def entries(self, initials: str) -> list[Entry]:
        """The words whose syllables start with ``initials``, commonest first."""
        found = self._entries.get(initials)
        if found is None:
            found = [
                (f, w, r) for key in self.filed_under(initials) for f, w, r, i in self._resolve(key) if i == initials
            ]
            found.sort(reverse=True)
            self._entries[initials] = found
        return found

    def warm(self) -> None:
        """Work out ahead the readings of the big groups the first keystrokes need (one or two letters, and those
        with a character read more than one way): about a quarter of a second, best spent before typing starts."""
        self._data.phrases()
        for key in self.groups:
            if len(key) == 1 or (len(key) == 2 and _MANY in key):
                self._resolve(key)

    def _resolve(self, key: str) -> list[tuple[int, str, str, str]]:
        """A group's words with their frequencies, readings and the readings' first letters."""
        found = self._resolved.get(key)
        if found is None:
            found = []
            data = self._data
            for i in self.groups.get(key, ()):
                word, freq = self._words[i], int(self._freqs[i])
                if len(word) == 1:  # every reading of a character, the less usual ones ranked lower
                    for k, reading in enumerate(data.of_char(word)):
                        found.append((freq if k == 0 else freq // SECONDARY, word, reading, reading[0]))
                elif reading := data.of_word(word):
                    found.append((freq, word, reading, "".join(s[0] for s in reading.split(" "))))
            self._resolved[key] = found
        return found


def build() -> WordTable:
    """The word table from the installed packages' data."""
    words, freqs = jieba_words()
    return WordTable(words, freqs, readings())


__all__ = ["Entry", "Readings", "WordTable", "build", "jieba_words", "package_file", "readings", "toneless"]
