"""Text normalisation and segmentation shared by the index and the mind.

Chinese is segmented with jieba (the pack's own names and aliases added to its dictionary) and also indexed as
overlapping character pairs, so any two-character word (玉衣, 故宫) matches even where jieba keeps a longer word
whole. Korean is indexed as syllable pairs, which copes with particles glued to nouns (후모무정은 -> 후모, 모무, 무정).
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections.abc import Iterable

import jieba

jieba.setLogLevel(logging.WARNING)

_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HANGUL = r"\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f"
_RUN = re.compile(
    rf"[{_HAN}]+|[{_HANGUL}]+|[0-9]+(?:\.[0-9]+)?|[^\W\d_{_HAN}{_HANGUL}\u3040-\u30ff]+(?:'[a-z]+)?", re.UNICODE
)
_HAN_RUN = re.compile(rf"^[{_HAN}]+$")
_HANGUL_RUN = re.compile(rf"^[{_HANGUL}]+$")


_NOT_WORD = re.compile(r"[^\w'.-]|_")
"""What normalise turns into spaces: anything but letters and digits (str.isalnum) and ' . -."""


def normalise(text: str) -> str:
    """NFKC (full-width to half-width), lower case, punctuation to spaces, whitespace collapsed."""
    text = _NOT_WORD.sub(" ", unicodedata.normalize("NFKC", text).lower())
    return " ".join(text.split())


def runs(text: str) -> list[str]:
    """Split normalised text into runs: Han, Hangul, numbers and Latin words."""
    return _RUN.findall(normalise(text))


def is_han(run: str) -> bool:
    return bool(_HAN_RUN.match(run))


def is_hangul(run: str) -> bool:
    return bool(_HANGUL_RUN.match(run))


def pairs(run: str) -> list[str]:
    return [run[i : i + 2] for i in range(len(run) - 1)] or [run]


class Segmenter:
    """jieba with the pack's vocabulary. Thread-safe; one per loaded pack."""

    def __init__(self, words: Iterable[str] = ()) -> None:
        self._jieba = jieba.Tokenizer()
        self._lock = threading.Lock()
        self._words = [w for w in {normalise(w).replace(" ", "") for w in words} if w and is_han(w)]
        self._ready = False

    def _init(self) -> None:
        if not self._ready:
            self._jieba.initialize()
            for word in self._words:
                self._jieba.add_word(word, freq=200000)
            self._ready = True

    def words(self, run: str) -> list[str]:
        """jieba's words for one Han run (search mode: long words and their parts)."""
        with self._lock:
            self._init()
            return [w for w in self._jieba.cut_for_search(run, HMM=True) if w.strip()]

    def cut(self, run: str) -> list[str]:
        """jieba's precise segmentation of one Han run."""
        with self._lock:
            self._init()
            return [w for w in self._jieba.cut(run, HMM=True) if w.strip()]

    def index_terms(self, text: str) -> list[str]:
        """Terms to index: Latin words, numbers, Chinese words and character pairs and characters, Hangul pairs."""
        terms: list[str] = []
        for run in runs(text):
            if is_han(run):
                terms.extend(self.words(run))
                terms.extend(pairs(run))
                terms.extend(run)
            elif is_hangul(run):
                terms.append(run)
                terms.extend(pairs(run))
            else:
                terms.append(run)
        return terms

    def query_terms(self, text: str) -> list[str]:
        """Terms to search for: like :meth:`index_terms` but without single characters (too common to help)."""
        terms: list[str] = []
        for run in runs(text):
            if is_han(run):
                terms.extend(self.words(run) if len(run) > 1 else [run])
                terms.extend(pairs(run))
            elif is_hangul(run):
                terms.extend(pairs(run))
            elif run not in ENGLISH_STOPWORDS:
                terms.append(run)
        return list(dict.fromkeys(terms))


ENGLISH_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "from",
        "by",
        "with",
        "and",
        "or",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "what",
        "which",
        "who",
        "whom",
        "whose",
        "how",
        "when",
        "where",
        "why",
        "do",
        "does",
        "did",
        "can",
        "could",
        "would",
        "should",
        "will",
        "me",
        "my",
        "i",
        "you",
        "your",
        "we",
        "our",
        "about",
        "tell",
        "please",
        "there",
        "here",
        "some",
        "any",
        "much",
        "many",
    ]
)

__all__ = ["ENGLISH_STOPWORDS", "Segmenter", "is_han", "is_hangul", "normalise", "pairs", "runs"]
