"""The local search index: a SQLite cache of the pack, built with sqlite-utils and FTS5.

The index is never edited by hand and never trusted from elsewhere: it is rebuilt whenever the pack's
fingerprint (a hash of every pack file) changes. It is written to a temporary file and moved into place, so a
crash mid-build leaves the previous index or none, never half of one.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from kiosk.content.model import Exhibit, Pack
from kiosk.content.tokens import Segmenter
from kiosk.errors import IndexError_
from kiosk.ops.paths import cache_dir

SCHEMA_VERSION = "1"
TOKENIZER = "porter unicode61 remove_diacritics 2"


@dataclass(frozen=True)
class Hit:
    kind: str
    """name, alias, summary, story, fact, question, gallery, facility."""
    exhibit: str | None
    ref: str
    """The gallery or facility id, the fact key, or the question/paragraph number."""
    language: str
    text: str
    score: float
    """Higher is better (negated bm25)."""


def index_path_for(pack: Pack) -> Path:
    key = hashlib.sha256(str(pack.root).encode()).hexdigest()[:16]
    return cache_dir() / "index" / f"{pack.root.name or 'pack'}-{key}.sqlite"


def pack_vocabulary(pack: Pack) -> list[str]:
    """Names and aliases of exhibits, galleries and facilities: words the Chinese segmenter should keep whole."""
    words: list[str] = []
    for exhibit in pack.exhibits:
        words.extend(text for _, text in exhibit.name.values())
        words.extend(text for _, text in exhibit.aliases.all())
    for gallery in pack.venue.galleries:
        words.extend(text for _, text in gallery.name.values())
        words.extend(text for _, text in gallery.aliases.all())
    for facility in pack.venue.facilities:
        words.extend(text for _, text in facility.name.values())
        words.extend(text for _, text in facility.aliases.all())
    return words


class PackIndex:
    """Full-text search over a pack. Open with :meth:`open`, which builds or refreshes the cache as needed."""

    def __init__(self, pack: Pack, path: Path, segmenter: Segmenter, rebuilt: bool) -> None:
        self.pack = pack
        self.path = path
        self.segmenter = segmenter
        self.rebuilt = rebuilt
        self._conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)

    @classmethod
    def open(cls, pack: Pack, path: Path | None = None, segmenter: Segmenter | None = None) -> PackIndex:
        path = path or index_path_for(pack)
        segmenter = segmenter or Segmenter(pack_vocabulary(pack))
        rebuilt = False
        if _stored_fingerprint(path) != pack.fingerprint:
            build_index(pack, path, segmenter)
            rebuilt = True
        return cls(pack, path, segmenter, rebuilt)

    def close(self) -> None:
        self._conn.close()

    def count(self) -> int:
        row = self._conn.execute("select count(*) from entries").fetchone()
        return int(row[0])

    def search(self, query: str, *, kinds: tuple[str, ...] = (), limit: int = 20, prefix: bool = False) -> list[Hit]:
        """Entries matching any term of ``query``, best first. ``prefix``: English words also match longer words
        that start with them ("skull" finds "skullcap")."""
        terms = self.segmenter.query_terms(query)
        if not terms:
            return []
        match = " OR ".join(
            '"' + t.replace('"', '""') + '"' + ("*" if prefix and len(t) >= 4 and t.isascii() and t.isalpha() else "")
            for t in terms
        )
        sql = (
            "select e.kind, e.exhibit, e.ref, e.lang, e.text, bm25(entries_fts) as rank "
            "from entries_fts join entries e on e.rowid = entries_fts.rowid where entries_fts match ?"
        )
        params: list[object] = [match]
        if kinds:
            sql += f" and e.kind in ({','.join('?' * len(kinds))})"
            params.extend(kinds)
        sql += " order by rank limit ?"
        params.append(limit)
        try:
            rows = self._conn.execute(sql, params).fetchall()
        except sqlite3.Error as err:
            raise IndexError_(f"search failed in {self.path}: {err}") from err
        return [Hit(kind, exhibit, ref, lang, text, -float(rank)) for kind, exhibit, ref, lang, text, rank in rows]


def _stored_fingerprint(path: Path) -> str | None:
    if not path.is_file():
        return None
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = dict(conn.execute("select key, value from meta").fetchall())
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    if rows.get("schema") != SCHEMA_VERSION:
        return None
    value = rows.get("fingerprint")
    return str(value) if value is not None else None


def build_index(pack: Pack, path: Path, segmenter: Segmenter) -> None:
    """Build the index into a temporary file beside ``path`` and move it into place atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".index-", suffix=".sqlite", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        db = sqlite_utils.Database(tmp)
        rows = [
            {
                "kind": kind,
                "exhibit": exhibit,
                "ref": ref,
                "lang": lang,
                "text": text,
                "terms": " ".join(segmenter.index_terms(text)),
            }
            for kind, exhibit, ref, lang, text in _entries(pack)
        ]
        db["entries"].insert_all(rows, pk="id")  # type: ignore[union-attr]
        db["entries"].enable_fts(["terms"], tokenize=TOKENIZER)  # type: ignore[union-attr]
        db["entries"].create_index(["exhibit"])  # type: ignore[union-attr]
        db["meta"].insert_all(  # type: ignore[union-attr]
            [
                {"key": "schema", "value": SCHEMA_VERSION},
                {"key": "fingerprint", "value": pack.fingerprint},
                {"key": "pack", "value": str(pack.root)},
            ],
            pk="key",
        )
        db.close()
        os.replace(tmp, path)
    except (sqlite3.Error, OSError) as err:
        tmp.unlink(missing_ok=True)
        raise IndexError_(f"could not build the search index at {path}: {err}") from err


def _entries(pack: Pack) -> Iterator[tuple[str, str | None, str, str, str]]:
    for exhibit in pack.exhibits:
        yield from _exhibit_entries(exhibit)
    for gallery in pack.venue.galleries:
        for lang, text in gallery.name.values():
            yield "gallery", None, gallery.id, lang, text
    for facility in pack.venue.facilities:
        for lang, text in facility.name.values():
            yield "facility", None, facility.id, lang, text
        for lang, text in facility.aliases.all():
            yield "facility", None, facility.id, lang, text


def _exhibit_entries(exhibit: Exhibit) -> Iterator[tuple[str, str | None, str, str, str]]:
    for lang, text in exhibit.name.values():
        yield "name", exhibit.id, "", lang, text
    for lang, text in exhibit.aliases.all():
        yield "alias", exhibit.id, "", lang, text
    for lang, text in exhibit.summary.values():
        yield "summary", exhibit.id, "", lang, text
    for i, paragraph in enumerate(exhibit.story):
        for lang, text in paragraph.values():
            yield "story", exhibit.id, str(i), lang, text
    for fact in exhibit.facts:
        for lang, text in fact.value.values():
            yield "fact", exhibit.id, fact.key, lang, text
    for i, question in enumerate(exhibit.questions):
        for lang, text in question.asks.all():
            yield "question", exhibit.id, str(i), lang, text


__all__ = ["Hit", "PackIndex", "build_index", "index_path_for", "pack_vocabulary"]
