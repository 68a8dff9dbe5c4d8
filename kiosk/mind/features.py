"""Text features for fuzzy matching: stemmed Latin words, Chinese/Korean character pairs and characters.

Visitors' words rarely equal the content's: typos ("teracotta"), plural forms, speech-recognition homophones
(后母午鼎 for 后母戊鼎) and particles glued to Korean nouns. Matching on weighted feature overlap copes with all of
these without a model.
"""

from __future__ import annotations

import difflib
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import chain

from kiosk.content.tokens import ENGLISH_STOPWORDS, is_han, is_hangul, pairs, runs

# Words that carry the question's meaning and must survive in curated-question matching.
QUESTION_WORDS = frozenset({"who", "whom", "whose", "what", "which", "when", "where", "why", "how", "many", "much"})
MATCH_STOPWORDS = ENGLISH_STOPWORDS - QUESTION_WORDS


def stem(word: str) -> str:
    """A light English stemmer: enough to equate 'soldiers'/'soldier' and 'bells'/'bell'."""
    if not word.endswith("s"):  # every rule below removes an ending in s
        return word
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if len(word) > 3 and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


_LATIN, _HAN, _HANGUL = 0, 1, 2
_KINDS: dict[str, int] = {}
"""The kind of run (Latin word or number, Chinese, Korean) that starts with a character: a run of ``runs`` is all
Chinese or all Korean or neither, so its first character tells which (asked of ``is_han`` once per character)."""


def _kind(first: str) -> int:
    kind = _KINDS.get(first)
    if kind is None:
        kind = _KINDS[first] = _HAN if is_han(first) else _HANGUL if is_hangul(first) else _LATIN
    return kind


@dataclass(frozen=True)
class Features:
    words: frozenset[str]
    """Stemmed Latin words and numbers (stopwords removed)."""
    pairs: frozenset[str]
    """Chinese character pairs and Korean syllable pairs; a lone character stands as its own pair."""
    chars: frozenset[str]
    """Single Chinese characters."""
    compact: str
    """The normalised text without spaces, for exact containment of Chinese and Korean names."""
    sequence: tuple[str, ...]
    """The stemmed Latin words in order, stopwords left out, for exact containment of English names."""

    def __bool__(self) -> bool:
        return bool(self.words or self.pairs)


Parts = tuple[list[str], list[str], list[str], str]
"""What :class:`Features` are made of, in the order found in the text: the stemmed words, the pairs, the Chinese
characters (each list may repeat an item), and the compact text."""


def feature_parts(text: str, stopwords: frozenset[str] = ENGLISH_STOPWORDS) -> Parts:
    words: list[str] = []
    cjk_pairs: list[str] = []
    chars: list[str] = []
    found = runs(text)
    for run in found:
        kind = _kind(run[0])
        if kind == _LATIN:
            if run not in stopwords:
                words.append(stem(run))
        else:
            cjk_pairs.extend(pairs(run))
            if kind == _HAN:
                chars.extend(run)
    return words, cjk_pairs, chars, "".join(found)


def from_parts(words: Sequence[str], pairs: Sequence[str], chars: Sequence[str], compact: str) -> Features:
    """The features of :func:`feature_parts`. The sets are built the one way features are always built (pairs and
    characters gathered in a set, then frozen): how a set was built decides the order it is iterated in, and so
    the order in which weights over it are added up, down to the last bit."""
    # The stemmed words in order are the sequence, and their set the words.
    return Features(frozenset(words), frozenset(set(pairs)), frozenset(set(chars)), compact, tuple(words))


def features(text: str, stopwords: frozenset[str] = ENGLISH_STOPWORDS) -> Features:
    return from_parts(*feature_parts(text, stopwords))


class Weights:
    """Inverse document frequency of features over a set of documents (aliases, questions, sentences)."""

    def __init__(self, documents: Iterable[Features]) -> None:
        docs = list(documents)
        # Every document's words, pairs and characters, counted in one pass (in C) in the order they come.
        counts = Counter(chain.from_iterable(part for doc in docs for part in (doc.words, doc.pairs, doc.chars)))
        self._total = max(len(docs), 1)
        self._idf = {f: math.log(1 + self._total / n) for f, n in counts.items()}
        self._unknown = math.log(1 + self._total)

    def __call__(self, feature: str) -> float:
        return self._idf.get(feature, self._unknown)

    def sum(self, items: Iterable[str]) -> float:
        return sum(self(f) for f in items)


def coverage(target: Features, query: Features, weight: Weights) -> float:
    """How much of ``target`` (weighted) the query contains: 1.0 when every feature of the target is present."""
    total = weight.sum(target.words) + weight.sum(target.pairs)
    if total <= 0:
        return 0.0
    found = weight.sum(target.words & query.words) + weight.sum(target.pairs & query.pairs)
    score = found / total
    if target.chars:
        # Homophones in speech recognition swap a character; the remaining characters still count, a little less.
        char_total = weight.sum(target.chars)
        char_score = weight.sum(target.chars & query.chars) / char_total if char_total else 0.0
        score = max(score, 0.8 * char_score if len(target.chars) >= 3 else 0.0)
    return score


def overlap(a: Features, b: Features, weight: Weights) -> float:
    """Symmetric weighted overlap (Dice) of two texts' features, for question-to-question similarity."""
    a_total = weight.sum(a.words) + weight.sum(a.pairs)
    b_total = weight.sum(b.words) + weight.sum(b.pairs)
    if a_total <= 0 or b_total <= 0:
        return 0.0
    common = weight.sum(a.words & b.words) + weight.sum(a.pairs & b.pairs)
    return 2 * common / (a_total + b_total)


class Speller:
    """Corrects misspelt English words against a vocabulary (the pack's names and aliases)."""

    def __init__(self, vocabulary: Iterable[str]) -> None:
        self._vocabulary = frozenset(vocabulary)
        self._buckets: dict[str, list[str]] = defaultdict(list)
        for word in self._vocabulary:
            if len(word) >= 4:
                self._buckets[word[0]].append(word)

    def correct(self, word: str) -> str:
        if word in self._vocabulary or len(word) < 6 or word in ENGLISH_STOPWORDS or not word.isalpha():
            return word
        candidates = [w for w in self._buckets.get(word[0], ()) if abs(len(w) - len(word)) <= 2]
        close = difflib.get_close_matches(word, candidates, n=1, cutoff=0.85)
        return close[0] if close else word


_LATIN_WORD = re.compile(r"[a-z][a-z']+")


def latin_words(text: str) -> list[str]:
    return _LATIN_WORD.findall(text)


__all__ = [
    "MATCH_STOPWORDS",
    "Features",
    "Parts",
    "Speller",
    "Weights",
    "coverage",
    "feature_parts",
    "features",
    "from_parts",
    "latin_words",
    "overlap",
    "stem",
]
