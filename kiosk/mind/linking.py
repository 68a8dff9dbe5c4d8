"""Find which exhibits, galleries and facilities a visitor's words refer to.

Every name and alias of the pack, in every language, becomes a set of features; an in-memory inverted index from
feature to alias keeps look-ups fast at thousands of exhibits. A query is matched to the aliases that share a
distinctive feature, scored by how much of each alias it contains.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from kiosk.content.model import Pack
from kiosk.content.tokens import normalise
from kiosk.mind.features import Features, Speller, Weights, coverage, features, latin_words
from kiosk.mind.lexicon import FACILITY_WORDS

EXACT = 1.0
_CHINESE_NUMERALS = "零一二三四五六七八九十"


@dataclass(frozen=True)
class Alias:
    kind: str
    """exhibit, gallery or facility."""
    ref: str
    text: str
    features: Features


@dataclass(frozen=True)
class Link:
    kind: str
    ref: str
    score: float
    alias: str
    """The alias that matched (normalised), removed from the question before looking for cue words."""
    exact: bool


def _gallery_names(number: int) -> list[str]:
    zh = _CHINESE_NUMERALS[number] if 0 < number <= 10 else str(number)
    return [
        f"gallery {number}",
        f"room {number}",
        f"hall {number}",
        f"第{zh}展厅",
        f"{number}号展厅",
        f"{zh}号展厅",
        f"第{number}展厅",
        f"展厅{number}",
        f"제{number}전시실",
        f"{number}전시실",
        f"{number} 전시실",
    ]


class Linker:
    def __init__(self, pack: Pack, names: Mapping[str, Sequence[Features]] | None = None) -> None:
        """``names``: the features of each exhibit's names then aliases, by exhibit id, where already worked out."""
        aliases: list[Alias] = []
        for exhibit in pack.exhibits:
            texts = [t for _, t in exhibit.name.values()] + [t for _, t in exhibit.aliases.all()]
            known = names.get(exhibit.id) if names is not None else None
            named = known if known is not None else [features(t) for t in texts]
            aliases.extend(Alias("exhibit", exhibit.id, normalise(t), f) for t, f in zip(texts, named, strict=True))
        for gallery in pack.venue.galleries:
            texts = [t for _, t in gallery.name.values()] + [t for _, t in gallery.aliases.all()]
            texts += _gallery_names(gallery.number)
            aliases.extend(Alias("gallery", gallery.id, normalise(t), features(t)) for t in texts)
        for facility in pack.venue.facilities:
            texts = [t for _, t in facility.name.values()] + [t for _, t in facility.aliases.all()]
            texts += [w for words in FACILITY_WORDS.get(facility.id, {}).values() for w in words]
            aliases.extend(Alias("facility", facility.id, normalise(t), features(t)) for t in texts)
        self.aliases = [a for a in aliases if a.features]
        self.weights = Weights(a.features for a in self.aliases)
        self._postings: dict[str, list[int]] = defaultdict(list)
        for i, alias in enumerate(self.aliases):
            for feature in alias.features.words | alias.features.pairs | alias.features.chars:
                self._postings[feature].append(i)
        self.speller = Speller(w for a in self.aliases for w in latin_words(a.text))
        self._floor = re.compile(
            r"(?:floor|level|storey) ?(\d+)|(\d+)(?:st|nd|rd|th)? floor|([0-9一二三四五])(?:楼|层)|(\d+) ?층"
        )

    def spell(self, text: str) -> str:
        """The normalised text with misspelt English words corrected to the pack's vocabulary."""
        norm = normalise(text)
        return re.sub(r"[a-z][a-z']+", lambda m: self.speller.correct(m.group(0)), norm)

    def link(self, query: Features, kinds: tuple[str, ...] = ("exhibit", "gallery", "facility")) -> list[Link]:
        """Every entity the query may mean, best first, one link per entity."""
        candidates: set[int] = set()
        for feature in query.words | query.pairs | query.chars:
            posting = self._postings.get(feature)
            if posting and len(posting) < 400:
                candidates.update(posting)
        best: dict[tuple[str, str], Link] = {}
        for i in candidates:
            alias = self.aliases[i]
            if alias.kind not in kinds:
                continue
            exact = _contains(query, alias.features)
            score = EXACT if exact else coverage(alias.features, query, self.weights)
            if score < 0.34:
                continue
            key = (alias.kind, alias.ref)
            # Prefer the longest exact alias: it explains the most of the question.
            rank = (score, len(alias.text))
            current = best.get(key)
            if current is None or rank > (current.score, len(current.alias)):
                best[key] = Link(alias.kind, alias.ref, score, alias.text, exact)
        return sorted(best.values(), key=lambda link: (-link.score, -len(link.alias)))

    def floor(self, text: str) -> int | None:
        """A floor named in the question ("floor 2", "二楼", "2층"), if any."""
        m = self._floor.search(text)
        if not m:
            return None
        value = next(g for g in m.groups() if g)
        return _CHINESE_NUMERALS.index(value) if value in _CHINESE_NUMERALS else int(value)


def _contains(query: Features, alias: Features) -> bool:
    if alias.compact and not alias.sequence and len(alias.compact) >= 2:
        return alias.compact in query.compact
    if alias.sequence and not alias.pairs:
        n = len(alias.sequence)
        seq = query.sequence
        return any(seq[i : i + n] == alias.sequence for i in range(len(seq) - n + 1))
    return False


def remove_alias(text: str, alias: str) -> str:
    """The question without the words of the matched name, so that 'the big bronze cauldron' is not a size question."""
    if not alias:
        return text
    compact_alias = alias.replace(" ", "")
    if alias in text:
        return text.replace(alias, " ")
    if compact_alias and compact_alias in text.replace(" ", ""):
        return text.replace(" ", "").replace(compact_alias, " ")
    return text


__all__ = ["EXACT", "Alias", "Link", "Linker", "remove_alias"]
