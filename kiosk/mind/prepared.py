"""What the mind works out about each exhibit before it answers anything: the features of its curated questions,
of every sentence it may answer with (summary, story, free facts) and of its names and aliases.

This is most of building a :class:`~kiosk.mind.Mind`, and it depends on nothing but the exhibit, the pack's
languages and this code. :func:`prepare` does it for a whole pack and also returns it as bytes; given the bytes of
an earlier version of the pack, it takes the work of every exhibit that has not changed from there (a content
update changes a few exhibits of hundreds). Keeping the bytes is the caller's business (the health check of
content sync keeps them in the version folder it checked). Bytes from other code, another Python, or damaged ones
are ignored: the work is then done afresh, with the same result.
"""

from __future__ import annotations

import hashlib
import marshal
import sys
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.content.model import Exhibit, Pack
from kiosk.mind.compose import Composer
from kiosk.mind.features import MATCH_STOPWORDS, Features, Parts, feature_parts, from_parts
from kiosk.mind.synonyms import canonical
from kiosk.mind.wording import Passage, sentences

FORMAT = "docent-mind-work-1"

_Stored = tuple[str, str, str, str]
"""Parts as stored: the words in order (a sequence may repeat one) and the pairs each once, in order, each joined
by :data:`_SEP` (which no word or pair holds: they are letters, digits and ideographs); the characters each once, in
order; the compact text. A few strings load much faster than many."""
_SEP = "\x1f"


@dataclass(frozen=True)
class ExhibitWork:
    questions: tuple[tuple[int, str, Features], ...]
    """(question number, language, features of one phrasing) for every phrasing of every curated question."""
    passages: tuple[Passage, ...]
    """Every sentence of the summary and story, then every free fact as a sentence."""
    names: tuple[Features, ...]
    """The names, then the aliases, in the pack's order."""


def work_for(exhibit: Exhibit, compose: Composer) -> ExhibitWork:
    """The work for one exhibit, done afresh."""
    return _work(exhibit, compose, store=False)[0]


def prepare(pack: Pack, earlier: bytes | None = None) -> tuple[dict[str, ExhibitWork], bytes]:
    """The work for every exhibit of ``pack`` (by id), and the same as bytes for a later :func:`prepare` (a
    SHA-256 of the rest, then the work in :mod:`marshal`'s format).

    The work of an exhibit that ``earlier`` (bytes an earlier call returned) holds for exactly this exhibit, these
    languages and this code is taken from there; the rest is done afresh.
    """
    code = _code_key()
    known = _entries(earlier, code)
    compose = Composer(pack)
    languages = repr(pack.languages)
    works: dict[str, ExhibitWork] = {}
    stored: dict[str, bytes] = {}
    for exhibit in pack.exhibits:
        key = hashlib.sha256(f"{languages}\0{exhibit!r}".encode()).hexdigest()
        entry = known.get(key)
        work = _decode(exhibit.id, entry) if isinstance(entry, bytes) else None
        if work is None or not isinstance(entry, bytes):
            work, fresh = _work(exhibit, compose, store=True)
            entry = marshal.dumps(fresh)
        works[exhibit.id] = work
        stored[key] = entry  # each exhibit's work marshalled on its own: kept as it is for the next version
    payload = marshal.dumps((FORMAT, code, stored))
    return works, hashlib.sha256(payload).digest() + payload


def _work(exhibit: Exhibit, compose: Composer, *, store: bool) -> tuple[ExhibitWork, Any]:
    """The work for one exhibit, and (``store``) its stored form."""
    questions = [
        (i, lang, feature_parts(text, MATCH_STOPWORDS))
        for i, q in enumerate(exhibit.questions)
        for lang, text in q.asks.all()
    ]
    passages = [(lang, s, feature_parts(canonical(s)), reason) for lang, s, reason in sentences(exhibit)]
    for fact in exhibit.facts:
        if not fact.typed:
            for lang in fact.value.languages:
                sentence = compose.fact(exhibit, fact.key, lang)
                passages.append((lang, sentence, feature_parts(canonical(sentence)), f"fact:{fact.key}"))
    texts = [t for _, t in exhibit.name.values()] + [t for _, t in exhibit.aliases.all()]
    names = [feature_parts(t) for t in texts]
    entry = None
    if store:
        entry = (
            tuple((i, lang, _store(parts)) for i, lang, parts in questions),
            tuple((lang, text, _store(parts), reason) for lang, text, parts, reason in passages),
            tuple(_store(parts) for parts in names),
        )
    work = ExhibitWork(
        tuple((i, lang, from_parts(*parts)) for i, lang, parts in questions),
        tuple(Passage(exhibit.id, lang, text, from_parts(*parts), reason) for lang, text, parts, reason in passages),
        tuple(from_parts(*parts) for parts in names),
    )
    return work, entry


def _store(parts: Parts) -> _Stored:
    words, pairs, chars, compact = parts
    return _SEP.join(words), _SEP.join(dict.fromkeys(pairs)), "".join(dict.fromkeys(chars)), compact


def _decode(exhibit_id: str, entry: bytes) -> ExhibitWork | None:
    try:
        questions, passages, names = marshal.loads(entry)
        return ExhibitWork(
            tuple((int(i), str(lang), _features(parts)) for i, lang, parts in questions),
            tuple(
                Passage(exhibit_id, str(lang), str(text), _features(parts), str(reason))
                for lang, text, parts, reason in passages
            ),
            tuple(_features(parts) for parts in names),
        )
    except (EOFError, TypeError, ValueError):
        return None


def _features(stored: _Stored) -> Features:
    words, pairs, chars, compact = stored
    if not isinstance(compact, str):
        raise TypeError("compact text")
    return from_parts(words.split(_SEP) if words else [], pairs.split(_SEP) if pairs else [], chars, compact)


def _entries(data: bytes | None, code: str) -> Mapping[str, Any]:
    """The stored work in ``data`` by key; empty unless it is whole (its checksum matches: a file cut short by a
    power cut is not) and this code made it."""
    if not data or hashlib.sha256(data[32:]).digest() != data[:32]:
        return {}
    try:
        form, made_by, entries = marshal.loads(data[32:])
    except (EOFError, ValueError, TypeError):
        return {}
    if form != FORMAT or made_by != code or not isinstance(entries, dict):
        return {}
    return entries


_CODE: list[str] = []


def _code_key() -> str:
    """What the work depends on besides the exhibit and the languages: the code that does it (its source files),
    Python and its Unicode tables. Work stored by other code is never used."""
    if not _CODE:
        from kiosk.content import model, text, tokens
        from kiosk.mind import compose, features, synonyms, wording

        digest = hashlib.sha256(f"{FORMAT}\0{sys.version}\0{unicodedata.unidata_version}".encode())
        for module in (sys.modules[__name__], features, synonyms, wording, compose, tokens, text, model):
            digest.update(Path(str(module.__file__)).read_bytes())
        _CODE.append(digest.hexdigest())
    return _CODE[0]


__all__ = ["FORMAT", "ExhibitWork", "prepare", "work_for"]
