"""The local search index: a SQLite cache of the pack, built with sqlite-utils and FTS5.

The index is never edited by hand and never trusted from elsewhere: it is rebuilt whenever the pack's
fingerprint (a hash of every pack file) changes. It is written to a temporary file and moved into place, so a
crash mid-build leaves the previous index or none, never half of one.

Segmenting the texts (jieba) is most of a build. A build may be given an earlier index of the same pack (the
version before an update): the terms of every text it holds unchanged are taken from there, when it was segmented
the same way (the same vocabulary, jieba, tokenizer code and schema); the index is the same as one built afresh.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import jieba
import sqlite_utils

from kiosk.content import tokens
from kiosk.content.model import Exhibit, Pack
from kiosk.content.tokens import Segmenter
from kiosk.errors import IndexError_
from kiosk.ops.paths import cache_dir

SCHEMA_VERSION = "1"
TOKENIZER = "porter unicode61 remove_diacritics 2"
INDEX_FILE = ".docent-index.sqlite"
"""The index a pack folder may keep inside itself (a synced version's, built by its health check); the temporary
files of a build there start with ``.docent-index`` too."""
_COLUMNS = ("kind", "exhibit", "ref", "lang", "text", "terms")


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
    """The index kept inside the pack folder when there is one (a synced version: built and checked before the
    kiosk switched to it), else one in the cache folder, named after the pack's place."""
    kept = pack.root / INDEX_FILE
    if kept.is_file():
        return kept
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
    def open(
        cls, pack: Pack, path: Path | None = None, segmenter: Segmenter | None = None, *, reuse: Path | None = None
    ) -> PackIndex:
        """The index of ``pack`` at ``path`` (default :func:`index_path_for`), built first unless it is the index
        of this very pack. ``reuse``: an earlier index whose terms of unchanged texts a build may take."""
        path = path or index_path_for(pack)
        segmenter = segmenter or Segmenter(pack_vocabulary(pack))
        rebuilt = False
        if _stored_meta(path).get("fingerprint") != pack.fingerprint:
            build_index(pack, path, segmenter, reuse=reuse)
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


def _stored_meta(path: Path) -> dict[str, str]:
    """The meta table of the index at ``path``; empty when there is none, it is unreadable or of another schema."""
    if not path.is_file():
        return {}
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = dict(conn.execute("select key, value from meta").fetchall())
        finally:
            conn.close()
    except sqlite3.Error:
        return {}
    if rows.get("schema") != SCHEMA_VERSION:
        return {}
    return {str(key): str(value) for key, value in rows.items() if value is not None}


def terms_key(segmenter: Segmenter) -> str:
    """What the terms of a text depend on besides the text: the segmenter's vocabulary, jieba (its dictionary),
    the tokenizer's code and the schema. Two indexes with the same key hold the same terms for the same text."""
    digest = hashlib.sha256(f"{SCHEMA_VERSION}\0{jieba.__version__}\0".encode())
    digest.update(Path(tokens.__file__).read_bytes())
    digest.update("\0".join(sorted(getattr(segmenter, "_words", ()))).encode())
    return digest.hexdigest()


def build_index(pack: Pack, path: Path, segmenter: Segmenter, *, reuse: Path | None = None) -> None:
    """Build the index into a temporary file beside ``path`` and move it into place atomically.

    With ``reuse``, an index segmented the same way (:func:`terms_key`): texts it holds keep their terms from
    there; and when the pack's entries are the same ones in the same places, only some of their texts changed (an
    edit, not an added paragraph), that index is copied and those texts changed in it. Either way the index holds
    what a build from nothing would: the same entries, ids and terms, and so the same search results.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".docent-index-", suffix=".sqlite", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    key = terms_key(segmenter)
    places = list(_entries(pack))
    try:
        earlier = _earlier_entries(reuse, key)
        changed = _changed_texts(earlier, places)
        if reuse is not None and changed is not None:
            shutil.copyfile(reuse, tmp)
            _change_texts(tmp, changed, segmenter)
        else:
            known = _earlier_terms(reuse) if earlier else {}
            _create(tmp, [(*place, _terms(place[4], known, segmenter)) for place in places])
        meta = [("schema", SCHEMA_VERSION), ("fingerprint", pack.fingerprint), ("pack", str(pack.root)), ("terms", key)]
        conn = sqlite3.connect(tmp)
        try:
            with conn:
                conn.executemany("insert or replace into meta (key, value) values (?, ?)", meta)
        finally:
            conn.close()
        os.replace(tmp, path)
    except (sqlite3.Error, OSError) as err:
        tmp.unlink(missing_ok=True)
        raise IndexError_(f"could not build the search index at {path}: {err}") from err


_Entry = tuple[str, str | None, str, str, str]
"""kind, exhibit, ref, language, text: an entry without its terms. Its id is its place in the pack's order + 1."""


def _changed_texts(earlier: list[_Entry], places: list[_Entry]) -> list[tuple[int, _Entry]] | None:
    """(id, entry) of the entries whose text changed, when ``earlier`` holds the same entries in the same places
    (kind, exhibit, ref and language); None when it does not."""
    if not earlier or len(earlier) != len(places):
        return None
    changed = [
        (rowid, place) for rowid, (old, place) in enumerate(zip(earlier, places, strict=True), 1) if old != place
    ]
    return changed if all(earlier[rowid - 1][:4] == place[:4] for rowid, place in changed) else None


def _terms(text: str, known: dict[str, str], segmenter: Segmenter) -> str:
    terms = known.get(text)
    return terms if terms is not None else " ".join(segmenter.index_terms(text))


def _create(tmp: Path, rows: list[tuple[str, str | None, str, str, str, str]]) -> None:
    db = sqlite_utils.Database(tmp)
    entries = db.table("entries")
    entries.create({"id": int, **dict.fromkeys(_COLUMNS, str)}, pk="id")
    with db.conn:  # one transaction (a commit is a sync to disk)
        db.conn.executemany(f"insert into entries ({', '.join(_COLUMNS)}) values (?, ?, ?, ?, ?, ?)", rows)
    entries.enable_fts(["terms"], tokenize=TOKENIZER)
    entries.create_index(["exhibit"])
    db.table("meta").create({"key": str, "value": str}, pk="key")
    db.close()


def _change_texts(tmp: Path, changed: list[tuple[int, _Entry]], segmenter: Segmenter) -> None:
    """In a copy of an index of the same entries in the same places, the texts that changed, and their terms."""
    conn = sqlite3.connect(tmp)
    try:
        with conn:
            for rowid, (*_, text) in changed:
                (old,) = conn.execute("select terms from entries where id = ?", (rowid,)).fetchone()
                new = " ".join(segmenter.index_terms(text))
                conn.execute("update entries set text = ?, terms = ? where id = ?", (text, new, rowid))
                # The full-text table holds only its index of the terms (content="entries"): the old terms out, the
                # new ones in, as SQLite documents for such tables.
                conn.execute(
                    "insert into entries_fts (entries_fts, rowid, terms) values ('delete', ?, ?)", (rowid, old)
                )
                conn.execute("insert into entries_fts (rowid, terms) values (?, ?)", (rowid, new))
    finally:
        conn.close()


def _earlier_entries(reuse: Path | None, key: str) -> list[_Entry]:
    """The entries of the index at ``reuse`` in id order, when its terms were made with ``key`` and its ids are
    1, 2, 3 ... (as a build numbers them); empty otherwise."""
    if reuse is None or _stored_meta(reuse).get("terms") != key:
        return []
    try:
        conn = sqlite3.connect(f"file:{reuse}?mode=ro", uri=True)
        try:
            count, first, last = conn.execute("select count(*), min(id), max(id) from entries").fetchone()
            if count == 0 or first != 1 or last != count:
                return []
            rows: list[_Entry] = conn.execute(f"select {', '.join(_COLUMNS[:5])} from entries order by id").fetchall()
            return rows
        finally:
            conn.close()
    except sqlite3.Error:
        return []


def _earlier_terms(reuse: Path | None) -> dict[str, str]:
    """Text -> terms in the index at ``reuse`` (already found to be segmented the same way)."""
    try:
        conn = sqlite3.connect(f"file:{reuse}?mode=ro", uri=True)
        try:
            return dict(conn.execute("select text, terms from entries").fetchall())
        finally:
            conn.close()
    except sqlite3.Error:
        return {}


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


__all__ = ["INDEX_FILE", "Hit", "PackIndex", "build_index", "index_path_for", "pack_vocabulary", "terms_key"]
