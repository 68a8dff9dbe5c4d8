"""The editor's model of a pack: every YAML file as a round-trip document, edits with undo, saving, recovery.

Qt-free. Files are parsed with ruamel.yaml's round-trip loader only when first touched (opening the demo venue must
stay well under a second), so key order, comments, quoting and flow lists survive, and a file nobody edited is never
rewritten. Every change is recorded as a whole-file before/after text, which makes undo and redo exact, lets the
validator see unsaved work (``validate_pack(root, unsaved)``), and makes "is this file changed?" a comparison with
what is on disk. Consecutive edits of one field merge into one undo step, as typing in a text box should.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import time
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import LiteralScalarString

from kiosk.content.loader import Report, validate_pack
from kiosk.errors import EditorError
from kiosk.ops.paths import data_dir

Path_ = tuple[str | int, ...]
VENUE = "content/venue.yaml"
PHRASES = "content/phrases.yaml"
EXHIBIT_KEYS = ("id", "gallery", "name", "aliases", "summary", "story", "facts", "questions", "media")
MERGE_SECONDS = 2.0
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp")


def _yaml() -> YAML:
    yaml = YAML()  # round-trip
    yaml.preserve_quotes = True
    yaml.width = 4096  # never fold a long text over lines: one value, one line, one diff line
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def field_name(path: Path_) -> str:
    """("questions", 1, "ask", "en") -> "questions[2].ask.en", the loader's spelling of a field."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        else:
            out += f".{part}" if out else part
    return out


def slug(text: str, fallback: str = "item") -> str:
    """A safe lower-case id from any text ("Houmuwu Ding" -> "houmuwu-ding"); fallback when nothing is left."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    return "-".join(words)[:60].strip("-") or fallback


@dataclass
class _File:
    saved: bytes | None  # what is on disk (None: not on disk)
    text: str | None  # the current text (None: deleted)
    data: Any = None  # the parsed round-trip document, parsed on first use

    @property
    def dirty(self) -> bool:
        if self.text is None:
            return self.saved is not None
        return self.saved is None or self.text.encode("utf-8") != self.saved


@dataclass
class _Change:
    rel: str
    before: str | None
    after: str | None
    key: tuple[str, Path_] | None = None
    when: float = field(default_factory=time.monotonic)


@dataclass
class _Step:
    label: str
    changes: list[_Change]


class PackDocument:
    """A pack folder being edited. ``listeners`` are called with (what, rel) after every change: "value" when one
    field changed (forms keep their widgets), "structure" when items were added, removed or restored by undo."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root).expanduser().resolve()
        if not (self.root / VENUE).is_file():
            raise EditorError(
                f"{self.root} is not a venue folder: it has no content/venue.yaml. "
                "Choose the folder that holds content/ and exhibits/, or create a new venue"
            )
        self._yaml = _yaml()
        self._files: dict[str, _File] = {}
        for path in [self.root / VENUE, self.root / PHRASES, *sorted((self.root / "exhibits").glob("*.yaml"))]:
            if path.is_file():
                raw = path.read_bytes()
                self._files[path.relative_to(self.root).as_posix()] = _File(raw, _decode(raw))
        self._undo: list[_Step] = []
        self._redo: list[_Step] = []
        self.listeners: list[Callable[[str, str], None]] = []
        self.version = 0  # bumped on every change; the UI re-validates when it moves

    # -- reading ---------------------------------------------------------------------------------------------

    @property
    def languages(self) -> tuple[str, ...]:
        langs = self.get(VENUE, ("languages",))
        found = tuple(str(x) for x in langs if isinstance(x, str)) if isinstance(langs, list) else ()
        return found or ("en",)

    def exhibit_files(self) -> list[str]:
        return sorted(r for r, f in self._files.items() if r.startswith("exhibits/") and f.text is not None)

    def has(self, rel: str) -> bool:
        return rel in self._files and self._files[rel].text is not None

    def data(self, rel: str) -> Any:
        """The parsed document of ``rel`` (a CommentedMap for a well-formed pack file); None when unreadable."""
        f = self._files.get(rel)
        if f is None or f.text is None:
            return None
        if f.data is None:
            try:
                f.data = self._yaml.load(f.text)
            except YAMLError:
                return None
            if f.data is None:
                f.data = CommentedMap()
        return f.data

    def get(self, rel: str, path: Path_, default: Any = None) -> Any:
        node = self.data(rel)
        for part in path:
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                return default
        return default if node is None else node

    def text(self, rel: str) -> str | None:
        f = self._files.get(rel)
        return None if f is None else f.text

    def dirty_files(self) -> list[str]:
        return sorted(r for r, f in self._files.items() if f.dirty)

    @property
    def dirty(self) -> bool:
        return any(f.dirty for f in self._files.values())

    def unsaved(self) -> dict[str, bytes | None]:
        """Changed files as the validator wants them: new text, or None for a deletion."""
        return {r: (None if f.text is None else f.text.encode("utf-8")) for r, f in self._files.items() if f.dirty}

    def validate(self) -> Report:
        return validate_pack(self.root, self.unsaved())

    # -- changing --------------------------------------------------------------------------------------------

    def set(self, rel: str, path: Path_, value: Any, *, order: Sequence[str] = ()) -> None:
        """Set one field; an empty value removes the key (and maps or lists it leaves empty).

        ``order`` is the preferred key order of the map the value lands in, so a new key goes where a person
        would write it (languages in the venue's order, exhibit fields in the documented order)."""
        if self.get(rel, path) == value or (_empty(value) and self.get(rel, path) is None):
            return
        self._edit(rel, f"Edit {field_name(path)}", lambda doc: _assign(doc, path, value, order), key=(rel, path))
        self._notify("value", rel)

    def put(self, rel: str, path: Path_, value: Any, label: str) -> None:
        """Set ``path`` even to an empty map or list (a new fact waiting for its texts); a structure change."""
        *parent, last = path

        def change(doc: Any) -> None:
            _container(doc, tuple(parent), dict)[last] = _rt(value)

        self._edit(rel, label, change)
        self._notify("structure", rel)

    def append(self, rel: str, path: Path_, item: Any, label: str = "Add") -> int:
        """Append ``item`` to the list at ``path`` (created when missing); returns its index."""
        index = len(self.get(rel, path, []))

        def change(doc: Any) -> None:
            seq = _container(doc, path, list)
            seq.append(_rt(item))

        self._edit(rel, label, change)
        self._notify("structure", rel)
        return index

    def remove(self, rel: str, path: Path_, label: str = "Remove") -> None:
        """Remove the list item or map key at ``path`` (the last part is its index or key)."""
        *parent, last = path

        def change(doc: Any) -> None:
            holder = self.get(rel, tuple(parent)) if parent else doc
            del holder[last]
            _prune(doc, tuple(parent))

        self._edit(rel, label, change)
        self._notify("structure", rel)

    def move(self, rel: str, path: Path_, index: int, to: int, label: str = "Move") -> None:
        def change(doc: Any) -> None:
            seq = _container(doc, path, list)
            seq.insert(to, seq.pop(index))

        self._edit(rel, label, change)
        self._notify("structure", rel)

    def rename_key(self, rel: str, path: Path_, old: str, new: str) -> None:
        """Rename a map key in place, keeping its position and value (a fact's kind)."""

        def change(doc: Any) -> None:
            m = _container(doc, path, dict)
            keys = list(m.keys())
            value = m.pop(old)
            m.insert(keys.index(old), new, value)

        self._edit(rel, f"Rename {old}", change)
        self._notify("structure", rel)

    def create_file(self, rel: str, content: dict[str, Any], label: str) -> None:
        if self.has(rel):
            raise EditorError(f"{rel} already exists; choose another name")
        stream = io.StringIO()
        self._yaml.dump(_rt(content), stream)
        self._record(_Step(label, [self._replace(rel, stream.getvalue())]))
        self._notify("structure", rel)

    def delete_file(self, rel: str, label: str) -> None:
        self._record(_Step(label, [self._replace(rel, None)]))
        self._notify("structure", rel)

    def add_media(self, rel: str, source: str | Path) -> str:
        """Copy an image into exhibits/media/ under a safe, unique name and add it to the exhibit's media list."""
        source = Path(source)
        if source.suffix.lower() not in IMAGE_SUFFIXES:
            raise EditorError(f"{source.name} is not a picture the guide can show; use {', '.join(IMAGE_SUFFIXES)}")
        if not source.is_file():
            raise EditorError(f"{source} cannot be found")
        folder = self.root / "exhibits" / "media"
        folder.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256(source.read_bytes()).hexdigest()
        stem, suffix = slug(source.stem, "image"), source.suffix.lower().replace(".jpeg", ".jpg")
        name, n = f"{stem}{suffix}", 1
        while (folder / name).exists() and hashlib.sha256((folder / name).read_bytes()).hexdigest() != digest:
            n += 1
            name = f"{stem}-{n}{suffix}"
        if not (folder / name).exists():
            shutil.copyfile(source, folder / name)
        self.append(rel, ("media",), {"file": f"media/{name}"}, label=f"Add picture {name}")
        return f"media/{name}"

    # -- undo ------------------------------------------------------------------------------------------------

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def undo_label(self) -> str:
        return self._undo[-1].label if self._undo else ""

    def redo_label(self) -> str:
        return self._redo[-1].label if self._redo else ""

    def undo(self) -> None:
        if not self._undo:
            return
        step = self._undo.pop()
        for change in reversed(step.changes):
            self._set_text(change.rel, change.before)
        self._redo.append(step)
        self.version += 1
        for change in step.changes:
            self._notify("structure", change.rel)

    def redo(self) -> None:
        if not self._redo:
            return
        step = self._redo.pop()
        for change in step.changes:
            self._set_text(change.rel, change.after)
        self._undo.append(step)
        self.version += 1
        for change in step.changes:
            self._notify("structure", change.rel)

    # -- saving and recovery ---------------------------------------------------------------------------------

    def save(self) -> list[str]:
        """Write every changed file (atomically) and delete removed ones; returns what was written."""
        written = []
        for rel, f in sorted(self._files.items()):
            if not f.dirty:
                continue
            path = self.root / rel
            if f.text is None:
                path.unlink(missing_ok=True)
                f.saved = None
            else:
                raw = f.text.encode("utf-8")
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp = path.with_name(f".{path.name}.saving")
                tmp.write_bytes(raw)
                os.replace(tmp, path)
                f.saved = raw
            written.append(rel)
        self.drop_recovery()
        for rel in [r for r, f in self._files.items() if f.text is None and f.saved is None]:
            self._files.pop(rel)
        return written

    def recovery_path(self) -> Path:
        key = hashlib.sha256(str(self.root).encode()).hexdigest()[:16]
        return data_dir() / "editor-recovery" / f"{key}.json"

    def write_recovery(self) -> Path | None:
        """Write the unsaved changes beside (not into) the pack; None when there is nothing unsaved."""
        if not self.dirty:
            self.drop_recovery()
            return None
        path = self.recovery_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        files = {r: self._files[r].text for r in self.dirty_files()}
        body = {"root": str(self.root), "saved": datetime.now(UTC).isoformat(timespec="seconds"), "files": files}
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
        return path

    def recovery(self) -> dict[str, Any] | None:
        """Unsaved changes left by an editor that did not close normally, or None."""
        path = self.recovery_path()
        try:
            body = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(body, dict) or body.get("root") != str(self.root) or not isinstance(body.get("files"), dict):
            return None
        return body

    def restore_recovery(self) -> list[str]:
        body = self.recovery()
        if body is None:
            return []
        changes = []
        for rel, text in body["files"].items():
            if isinstance(rel, str) and (text is None or isinstance(text, str)) and _inside_pack(rel):
                changes.append(self._replace(rel, text))
        if changes:
            self._record(_Step("Restore unsaved changes", changes))
            for change in changes:
                self._notify("structure", change.rel)
        return [c.rel for c in changes]

    def drop_recovery(self) -> None:
        self.recovery_path().unlink(missing_ok=True)

    # -- internals -------------------------------------------------------------------------------------------

    def _edit(self, rel: str, label: str, change: Callable[[Any], None], key: tuple[str, Path_] | None = None) -> None:
        doc = self.data(rel)
        if doc is None:
            if self.has(rel) or rel != PHRASES:
                raise EditorError(f"{rel} cannot be read as YAML; fix it in a text editor or restore it")
            doc = CommentedMap()  # the optional phrases file, started by its first edit
            self._files.setdefault(rel, _File(None, None)).data = doc
        before = self._files[rel].text
        change(doc)
        stream = io.StringIO()
        self._yaml.dump(doc, stream)
        after = stream.getvalue()
        self._files[rel].text = after
        step = self._undo[-1] if self._undo else None
        if (
            key is not None
            and step is not None
            and len(step.changes) == 1
            and step.changes[0].key == key
            and time.monotonic() - step.changes[0].when < MERGE_SECONDS
        ):
            step.changes[0].after = after
            step.changes[0].when = time.monotonic()
            self._redo.clear()
            self.version += 1
            return
        self._record(_Step(label, [_Change(rel, before, after, key)]))

    def _replace(self, rel: str, text: str | None) -> _Change:
        before = self.text(rel)
        self._set_text(rel, text)
        return _Change(rel, before, text)

    def _set_text(self, rel: str, text: str | None) -> None:
        f = self._files.get(rel)
        if f is None:
            f = self._files[rel] = _File(None, None)
        f.text, f.data = text, None

    def _record(self, step: _Step) -> None:
        self._undo.append(step)
        self._redo.clear()
        self.version += 1

    def _notify(self, what: str, rel: str) -> None:
        for listener in list(self.listeners):
            listener(what, rel)


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        return raw.decode("utf-8", "replace")


def _inside_pack(rel: str) -> bool:
    parts = Path(rel).parts
    return len(parts) == 2 and parts[0] in ("content", "exhibits") and rel.endswith(".yaml") and ".." not in parts


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _rt(value: Any) -> Any:
    """Plain Python values -> round-trip values: lists of short texts in flow style, multi-line text literal."""
    if isinstance(value, dict):
        out = CommentedMap()
        for k, v in value.items():
            out[k] = _rt(v)
        return out
    if isinstance(value, list):
        seq = CommentedSeq(_rt(v) for v in value)
        if all(isinstance(v, str) and "\n" not in v for v in value):
            seq.fa.set_flow_style()
        return seq
    if isinstance(value, str) and "\n" in value:
        return LiteralScalarString(value)
    return value


def _container(doc: Any, path: Path_, kind: type) -> Any:
    node = doc
    for i, part in enumerate(path):
        nxt = path[i + 1] if i + 1 < len(path) else None
        want: type = kind if nxt is None else (list if isinstance(nxt, int) else dict)
        if isinstance(part, int):
            node = node[part]
            continue
        if part not in node or node[part] is None:
            node[part] = CommentedSeq() if want is list else CommentedMap()
        node = node[part]
    return node


def _assign(doc: Any, path: Path_, value: Any, order: Sequence[str]) -> None:
    *parent_path, last = path
    parent = _container(doc, tuple(parent_path), dict if isinstance(last, str) else list)
    if _empty(value):
        if isinstance(last, int) or last in parent:
            del parent[last]
        _prune(doc, tuple(parent_path))
        return
    if isinstance(last, int):
        parent[last] = _rt(value)
        return
    old = parent.get(last)
    if isinstance(value, list) and isinstance(old, CommentedSeq):
        old[:] = value  # in place: keeps the list's flow style and comments
        return
    if last in parent or not order:
        parent[last] = _rt(value)
        return
    keys = list(parent.keys())
    rank = {k: i for i, k in enumerate(order)}
    position = len(keys)
    if last in rank:
        position = 0
        for i, k in enumerate(keys):
            if k in rank and rank[k] < rank[last]:
                position = i + 1
    parent.insert(position, last, _rt(value))


def _prune(doc: Any, path: Path_) -> None:
    """Remove maps and lists that an edit left empty, walking up from ``path`` (never the document itself)."""
    while path and not isinstance(path[-1], int):  # a list item is never removed by clearing its fields
        node = doc
        for part in path[:-1]:
            node = node[part]
        child = node[path[-1]]
        if not isinstance(child, dict | list) or len(child) > 0:
            return
        del node[path[-1]]
        path = path[:-1]


def iter_paths(node: Any, prefix: Path_ = ()) -> Iterator[Path_]:
    """Every leaf path in a document (used to match validation problems to fields)."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield from iter_paths(v, (*prefix, str(k)))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from iter_paths(v, (*prefix, i))
    else:
        yield prefix
