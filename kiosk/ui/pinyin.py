"""Pinyin input for the on-screen keyboard: typed letters become Chinese words, the venue's own names first.

No Qt here. Typed letters are cut into pieces, each a syllable or the start of one, so full pinyin (``xishoujian``),
initials (``xsj``, ``hmwd``) and mixtures (``xishouj``) all match; an apostrophe forces a cut (``xi'an``). A candidate
may stand for only the first pieces (``nihaoma`` offers 你好 for ``nihao``); its ``consumed`` says how many letters.
Ranking: the venue's names (:class:`Vocabulary`) when the letters spell them or start them, then common words and
characters, the ones standing for more letters first, then by jieba frequency, a thirtieth for each syllable typed only
in part (你 before 年 for ``ni``, though 年 is a little more common).
The data is in :mod:`kiosk.ui.pinyin_data`.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass

from kiosk.ui import pinyin_data
from kiosk.ui.pinyin_data import WordTable, readings

MAX_PIECE = 6
"""The longest syllable (zhuang, shuang, chuang) has six letters."""
PARTIAL_PENALTY = 30.0
"""A word counts this many times less common for each syllable of it typed only in part (h for hou)."""
PER_SPLIT = 24
"""At most this many words are taken from one way of cutting the letters (the most frequent first)."""

_HAN = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True)
class Candidate:
    text: str
    consumed: int
    """How many characters of the typed pinyin (apostrophes included) the candidate stands for."""
    from_vocabulary: bool = False


def normalise(typed: str) -> str:
    """The letters that count: lower case a-z (v for ü) and apostrophes as syllable breaks."""
    return "".join(c for c in typed.lower().replace("ü", "v") if ("a" <= c <= "z") or c == "'")


class PinyinIndex:
    """Common words and characters by the first letters of their syllables (see :class:`pinyin_data.WordTable`)."""

    def __init__(self, table: WordTable) -> None:
        self.table = table
        self.pieces = frozenset(s[:i] for s in readings().syllables for i in range(1, len(s) + 1))
        """Every syllable and every start of one: the pieces typed letters may be cut into."""
        self.longest = table.longest

    def __len__(self) -> int:
        return len(self.table)

    def splits(self, typed: str, longest: int | None = None) -> Iterable[tuple[int, tuple[str, ...]]]:
        """Every way to cut the start of ``typed`` into syllable pieces: (letters consumed, pieces)."""
        limit = self.longest if longest is None else longest
        n = len(typed)

        def walk(pos: int, pieces: tuple[str, ...], initials: str) -> Iterable[tuple[int, tuple[str, ...]]]:
            if pieces:
                yield pos, pieces
            while pos < n and typed[pos] == "'":
                pos += 1
            if pos >= n or len(pieces) >= limit or not self.table.may_start(initials + typed[pos]):
                return  # no word's syllables start with these letters
            for end in range(pos + 1, min(n, pos + MAX_PIECE) + 1):
                piece = typed[pos:end]
                if piece not in self.pieces:
                    break
                yield from walk(end, (*pieces, piece), initials + piece[0])

        yield from walk(0, (), "")

    def lookup(self, typed: str, limit: int = 48) -> list[tuple[Candidate, tuple[int, float]]]:
        """Words for ``typed`` (already normalised), best first, with their ranks: (-letters consumed, -score)."""
        best: dict[str, tuple[int, float]] = {}
        for consumed, pieces in self.splits(typed):
            initials = "".join(p[0] for p in pieces)
            match = re.compile("[a-z]* ".join(pieces) + "[a-z]*$").match  # each syllable starts with its piece
            found = 0
            for freq, word, sound in self.table.entries(initials):
                if match(sound):
                    partial = sum(s != p for s, p in zip(sound.split(" "), pieces, strict=True))
                    rank = (-consumed, -freq / PARTIAL_PENALTY**partial)
                    if word not in best or rank < best[word]:
                        best[word] = rank
                    found += 1
                    if found >= PER_SPLIT:
                        break
        ranked = sorted(best.items(), key=lambda item: item[1])[:limit]
        return [(Candidate(word, -rank[0]), rank) for word, rank in ranked]


class Vocabulary:
    """The venue's own names, matched by any reading of each character, complete or as a prediction."""

    def __init__(self, words: Iterable[str] = ()) -> None:
        data = readings()
        self._entries: list[tuple[str, tuple[tuple[str, ...], ...]]] = []
        for word in dict.fromkeys(w.strip() for w in words):
            chars = [c for c in word if _HAN.match(c)]
            sounds = tuple(data.of_char(c) for c in chars)
            if chars and all(sounds) and len(chars) == len(word):
                self._entries.append((word, sounds))

    def __len__(self) -> int:
        return len(self._entries)

    def match(self, typed: str) -> list[tuple[str, int, bool]]:
        """(word, letters consumed, whole word typed) for each name ``typed`` starts with or wholly spells."""
        out = []
        for word, sounds in self._entries:
            consumed, complete = _walk_word(typed, sounds)
            if consumed:
                out.append((word, consumed, complete))
        return out


def _walk_word(typed: str, sounds: tuple[tuple[str, ...], ...]) -> tuple[int, bool]:
    """The most letters of ``typed`` that spell ``sounds`` from the start, and whether all syllables were reached."""
    n = len(typed)
    best = (0, False)
    seen: set[tuple[int, int]] = set()
    stack = [(0, 0)]
    while stack:
        pos, i = stack.pop()
        while pos < n and typed[pos] == "'":
            pos += 1
        if (pos, i) in seen:
            continue
        seen.add((pos, i))
        if i == len(sounds) or pos == n:
            if i > 0:
                best = max(best, (pos, i == len(sounds)))  # most letters first, then a whole word over a prediction
            continue
        for reading in sounds[i]:
            length = 0
            while length < len(reading) and pos + length < n and typed[pos + length] == reading[length]:
                length += 1
                stack.append((pos + length, i + 1))
    return best


_shared: PinyinIndex | None = None
_shared_lock = threading.Lock()


def shared_index() -> PinyinIndex:
    """The process's one index of common words, built on first use (a quarter of a second)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = PinyinIndex(pinyin_data.build())
        return _shared


def prepare() -> threading.Thread:
    """Build the shared index and read ahead the words the first keystrokes need, in the background, once.

    Returns the thread doing it (join it to wait)."""
    global _preparing
    with _prepare_lock:
        if _preparing is None:
            _preparing = threading.Thread(target=_prepare, name="pinyin-index", daemon=True)
            _preparing.start()
        return _preparing


def _prepare() -> None:
    shared_index().table.warm()


_preparing: threading.Thread | None = None
_prepare_lock = threading.Lock()


class PinyinInput:
    """Candidates for typed pinyin: the venue's names first, then common words and characters by frequency."""

    def __init__(self, vocabulary: Iterable[str] = (), index: PinyinIndex | None = None) -> None:
        self._index = index
        self._vocabulary = Vocabulary(vocabulary)

    @property
    def index(self) -> PinyinIndex:
        if self._index is None:
            self._index = shared_index()
        return self._index

    def set_vocabulary(self, words: Iterable[str]) -> None:
        self._vocabulary = Vocabulary(words)

    def candidates(self, typed: str, limit: int = 48) -> list[Candidate]:
        text = normalise(typed)
        letters = len(text.replace("'", ""))
        if not letters:
            return []
        ranked: list[tuple[tuple[int, int, int, float], Candidate]] = []
        for order, (word, consumed, complete) in enumerate(self._vocabulary.match(text)):
            whole = consumed == len(text)
            if whole and complete:
                tier = 0
            elif whole and letters >= 2:
                tier = 1
            elif complete:
                tier = 2
            else:
                continue
            ranked.append(((tier, -consumed, 0, order), Candidate(word, consumed, from_vocabulary=True)))
        names = {c.text for _, c in ranked}
        for candidate, (neg_consumed, neg_score) in self.index.lookup(text, limit):
            if candidate.text not in names:
                ranked.append(((2, neg_consumed, 1, neg_score), candidate))
        ranked.sort(key=lambda item: item[0])
        return [c for _, c in ranked[:limit]]


__all__ = ["Candidate", "PinyinIndex", "PinyinInput", "Vocabulary", "normalise", "prepare", "shared_index"]
