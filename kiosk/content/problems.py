"""Problems found in a content pack, each naming the file, the line and the field, in words a curator can act on."""

from __future__ import annotations

import difflib
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    """The pack cannot be published or used until this is fixed."""
    WARNING = "warning"
    """The pack works; the guide falls back (e.g. to another language) where this applies."""


@dataclass(frozen=True)
class Problem:
    file: str
    """Path relative to the pack root, with forward slashes."""
    line: int
    """1-based line number; 0 when the problem is about the whole file or folder."""
    field: str
    """Dotted path of the field, e.g. ``facts.weight.ko`` or ``story[2].en``; empty for the whole file."""
    message: str
    severity: Severity = Severity.ERROR
    code: str = "invalid"

    @property
    def location(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file

    def __str__(self) -> str:
        where = f"{self.location}: {self.field}: " if self.field else f"{self.location}: "
        prefix = "warning: " if self.severity is Severity.WARNING else ""
        return f"{where}{prefix}{self.message}"


def errors_in(problems: Iterable[Problem]) -> tuple[Problem, ...]:
    return tuple(p for p in problems if p.severity is Severity.ERROR)


def warnings_in(problems: Iterable[Problem]) -> tuple[Problem, ...]:
    return tuple(p for p in problems if p.severity is Severity.WARNING)


def did_you_mean(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str:
    """`` Did you mean 'x'?`` when a choice is close to ``word``, else an empty string."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=cutoff)
    return f" Did you mean '{close[0]}'?" if close else ""


def _damerau(a: str, b: str) -> int:
    """Optimal-string-alignment distance: insertions, deletions, substitutions and adjacent swaps."""
    d = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        d[i][0] = i
    for j in range(len(b) + 1):
        d[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[len(a)][len(b)]


def typo_of(word: str, choices: Iterable[str]) -> str | None:
    """The choice ``word`` is most likely a misspelling of, or None.

    Stricter than :func:`did_you_mean`, for places where new words are allowed too (free fact keys): 'wieght'
    and 'materal' are typos, but 'height' is a word in its own right, not a misspelt 'weight'.
    """
    return _typo_of(word, tuple(choices))


@functools.lru_cache(maxsize=1024)
def _typo_of(word: str, choices: tuple[str, ...]) -> str | None:
    # Cached: a pack uses the same few free fact keys in exhibit after exhibit.
    for choice in choices:
        if word == choice:
            return None
        if abs(len(word) - len(choice)) > 1:
            continue  # the distance is at least the difference in length: never 1
        distance = _damerau(word, choice)
        same_length = len(word) == len(choice)
        if distance == 1 and (not same_length or len(word) >= 7 or sorted(word) == sorted(choice)):
            return choice
    return None


def one_of(choices: Iterable[str]) -> str:
    return ", ".join(sorted(set(choices)))


__all__ = ["Problem", "Severity", "did_you_mean", "errors_in", "one_of", "typo_of", "warnings_in"]
