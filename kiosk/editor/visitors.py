"""What visitors asked that the guide could not answer: read kiosk exports, group them, remember curators' decisions.

Qt-free; the editor's panel is built on this. Exports are the files ``kiosk report export`` writes (format in
kiosk/cli/report.py). Questions are grouped per language by the overlap of their words: Latin words stemmed, with
filler left out but question words kept ("where" and "what" ask different things); Chinese character pairs and Korean
syllable pairs, with politeness and sentence endings taken off, so "洗手间在哪" and "请问洗手间在哪里" meet and
"화장실은 어디에 있어요" meets "화장실 어디예요". Given the pack, the names and aliases of its exhibits, galleries and
facilities count as one word each ("terracotta warriors" is "terracotta army"), and two questions about different
exhibits are never put together.

Decisions ("out of scope", "added to exhibit X") are kept in the pack folder in ``.docent/visitor-decisions.json``:
hidden, and outside content/, exhibits/ and avatars/, so it is never published to kiosks (kiosk/sync/bundle.py).
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from kiosk.content.model import Pack
from kiosk.content.tokens import is_han, is_hangul, normalise, pairs, runs
from kiosk.errors import EditorError
from kiosk.mind.features import MATCH_STOPWORDS, features, stem
from kiosk.mind.linking import Linker, remove_alias
from kiosk.ops.unanswered import EXPORT_FORMAT, EXPORT_VERSION, parse_time

SIMILAR = 0.65
"""Word-set overlap (Jaccard) at which two wordings are one question."""
LEADER_MIN = 0.34
"""A wording joins a group through any member, but must still share this much with the group's main wording."""

# -- reading exports ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VisitorQuestion:
    """One question a kiosk recorded, as exported."""

    time: datetime
    """When it was asked (UTC)."""
    language: str
    question: str
    intent: str | None = None
    """What the guide made of it: fallback, exhibit, facility ..."""
    reason: str | None = None
    exhibit: str | None = None
    """The exhibit the guide thought it was about, if any."""
    confidence: float | None = None
    kiosk: str | None = None
    """The kiosk that exported it."""


@dataclass(frozen=True)
class Export:
    """One export file: who wrote it and the questions it holds."""

    path: Path
    kiosk: str | None
    pack: str | None
    exported: datetime | None
    questions: tuple[VisitorQuestion, ...]
    skipped: tuple[str, ...] = ()
    """One line per row that was left out, e.g. "question 4: it has no question text"."""


class ReadQuestions(list[VisitorQuestion]):
    """The questions of several exports (a list), with what was left out on the way."""

    def __init__(self, questions: Iterable[VisitorQuestion] = (), exports: Sequence[Export] = (), duplicates: int = 0):
        super().__init__(questions)
        self.exports = tuple(exports)
        self.duplicates = duplicates
        """Questions already read from another file (the same export imported twice), counted once."""

    @property
    def skipped(self) -> int:
        """Rows left out because they were damaged."""
        return sum(len(e.skipped) for e in self.exports)

    def summary(self) -> str:
        """One line for the curator, e.g. "152 questions from 3 files; 2 damaged rows left out (...)"."""
        files = len(self.exports)
        text = f"{len(self)} question{'s' if len(self) != 1 else ''} from {files} file{'s' if files != 1 else ''}"
        if self.skipped:
            where = "; ".join(f"{e.path.name} {line}" for e in self.exports for line in e.skipped[:3])
            text += f"; {self.skipped} damaged row{'s' if self.skipped != 1 else ''} left out ({where})"
        if self.duplicates:
            text += f"; {self.duplicates} already imported from another file, counted once"
        return text


def read_export(path: Path | str) -> Export:
    """Read one export file. Raises :class:`EditorError` naming the file when it is not an export this editor reads;
    damaged rows are left out and listed in ``skipped``."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as err:
        raise EditorError(f"{path} does not exist; choose another file.", code="export-missing") from err
    except UnicodeDecodeError as err:
        raise _not_export(path, "it is not a text file") from err
    except json.JSONDecodeError as err:
        raise EditorError(
            f"{path} is not a complete questions export: it is not valid JSON (line {err.lineno}, column "
            f"{err.colno}: {err.msg}). It may have been cut short while copying; export it again on the kiosk with "
            "'kiosk report export'.",
            code="export-broken",
        ) from err
    except OSError as err:
        raise EditorError(f"{path} cannot be read ({err.strerror or err}).", code="export-unreadable") from err
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise _not_export(path, f'it does not say "format": "{EXPORT_FORMAT}"')
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise _not_export(path, "its format version is missing")
    if version > EXPORT_VERSION:
        raise EditorError(
            f"{path} was exported by a newer version of Docent (questions format version {version}); this editor "
            f"reads version {EXPORT_VERSION}. Update the editor to import it.",
            code="export-newer",
        )
    rows = data.get("questions")
    if not isinstance(rows, list):
        raise EditorError(f'{path} is damaged: it has no list of "questions"; export it again.', code="export-broken")
    kiosk = _text(data.get("kiosk"))
    questions: list[VisitorQuestion] = []
    skipped: list[str] = []
    for number, row in enumerate(rows, start=1):
        question, problem = _question(row, kiosk)
        if question is None:
            skipped.append(f"question {number}: {problem}")
        else:
            questions.append(question)
    return Export(
        path, kiosk, _text(data.get("pack")), parse_time(data.get("exported")), tuple(questions), tuple(skipped)
    )


def read_exports(paths: Iterable[Path | str]) -> ReadQuestions:
    """Every question of the given export files (a question in two files is kept once). Raises :class:`EditorError`
    for the first file that is not an export; see ``skipped`` and ``summary()`` for what was left out."""
    exports = [read_export(p) for p in paths]
    seen: set[tuple[str | None, datetime, str, str]] = set()
    questions: list[VisitorQuestion] = []
    duplicates = 0
    for export in exports:
        for q in export.questions:
            key = (q.kiosk, q.time, q.language, q.question)
            if key in seen:
                duplicates += 1
                continue
            seen.add(key)
            questions.append(q)
    return ReadQuestions(questions, exports, duplicates)


def _not_export(path: Path, why: str) -> EditorError:
    return EditorError(
        f"{path} is not a questions export from a kiosk ({why}). Choose a file made with 'kiosk report export'.",
        code="not-an-export",
    )


def _text(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _question(row: object, kiosk: str | None) -> tuple[VisitorQuestion | None, str]:
    if not isinstance(row, dict):
        return None, "it is not a question record"
    text = _text(row.get("question"))
    if text is None:
        return None, "it has no question text"
    language = _text(row.get("language"))
    if language is None:
        return None, "it has no language"
    when = parse_time(row.get("time"))
    if when is None:
        return None, f"its time {row.get('time')!r} is not a date and time"
    confidence = row.get("confidence")
    number = float(confidence) if isinstance(confidence, int | float) and not isinstance(confidence, bool) else None
    return VisitorQuestion(
        time=when.astimezone(UTC),
        language=language,
        question=text,
        intent=_text(row.get("intent")),
        reason=_text(row.get("reason")),
        exhibit=_text(row.get("exhibit")),
        confidence=number if number is not None and math.isfinite(number) else None,
        kiosk=kiosk,
    ), ""


# -- grouping -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Wording:
    """One way a question was put (texts equal after normalising count as one)."""

    text: str
    """As visitors asked it (the most frequent spelling)."""
    count: int
    key: str
    """``language:normalised text``; see :func:`wording_key`."""


@dataclass(frozen=True)
class QuestionGroup:
    """Questions that ask the same thing in one language."""

    key: str
    """Stable id for decisions: the representative's :func:`wording_key`."""
    language: str
    question: str
    """The representative: the most frequent wording."""
    wordings: tuple[Wording, ...]
    """Every wording, most frequent first."""
    count: int
    """How many times the question was asked, all wordings together."""
    first_seen: datetime
    last_seen: datetime
    exhibit: str | None
    """The exhibit the kiosks guessed most often (with a pack: only ids the pack has)."""
    named_exhibit: str | None = None
    """With a pack: the exhibit the wordings name most often by one of its names or aliases."""
    kiosks: tuple[str, ...] = ()
    questions: tuple[VisitorQuestion, ...] = field(default=(), repr=False)
    """Every question in the group, oldest first."""

    @property
    def languages(self) -> tuple[str, ...]:
        return (self.language,)


def wording_key(language: str, text: str) -> str:
    """``language:normalised text``: equal for "Where is the toilet?" and "where is the toilet"."""
    return f"{language}:{normalise(text)}"


def group_questions(questions: Iterable[VisitorQuestion], pack: Pack | None = None) -> list[QuestionGroup]:
    """Group questions that ask the same thing; most asked first, ties by the most recently asked."""
    by_key: dict[str, list[VisitorQuestion]] = {}
    for q in questions:
        by_key.setdefault(wording_key(q.language, q.question), []).append(q)
    linker = Linker(pack) if pack is not None else None
    units = sorted(
        (_Unit(key, qs, *_terms(qs[0].question, linker)) for key, qs in by_key.items()),
        key=lambda u: (-len(u.questions), -u.last.timestamp(), u.key),
    )
    clusters: list[list[_Unit]] = []
    postings: dict[tuple[str, str], list[int]] = {}
    for unit in units:
        best, best_score = -1, 0.0
        candidates = sorted({i for t in unit.terms for i in postings.get((unit.language, t), ())})
        for i in candidates:
            members = clusters[i]
            if _similarity(unit, members[0]) < LEADER_MIN:
                continue
            score = max(_similarity(unit, m) for m in members)
            if score >= SIMILAR and score > best_score:
                best, best_score = i, score
        if best < 0:
            best = len(clusters)
            clusters.append([])
        clusters[best].append(unit)
        for t in unit.terms:
            posting = postings.setdefault((unit.language, t), [])
            if not posting or posting[-1] != best:
                posting.append(best)
    groups = [_group(members, pack) for members in clusters]
    return sorted(groups, key=lambda g: (-g.count, -g.last_seen.timestamp(), g.key))


@dataclass
class _Unit:
    key: str
    questions: list[VisitorQuestion]
    terms: frozenset[str]
    entities: frozenset[str]

    @property
    def language(self) -> str:
        return self.questions[0].language

    @property
    def last(self) -> datetime:
        return max(q.time for q in self.questions)

    def text(self) -> str:
        """The most frequent spelling, the latest among equals."""
        counts = Counter(q.question for q in self.questions)
        latest: dict[str, datetime] = {}
        for q in self.questions:
            latest[q.question] = max(q.time, latest.get(q.question, q.time))
        return min(counts, key=lambda t: (-counts[t], -latest[t].timestamp(), t))


def _similarity(a: _Unit, b: _Unit) -> float:
    if a.entities and b.entities and not a.entities & b.entities:
        return 0.0  # two different exhibits (or places) named
    if not a.terms or not b.terms:
        return 0.0
    return len(a.terms & b.terms) / len(a.terms | b.terms)


def _group(members: list[_Unit], pack: Pack | None) -> QuestionGroup:
    questions = sorted((q for m in members for q in m.questions), key=lambda q: q.time)
    leader = members[0]
    guesses = Counter(q.exhibit for q in questions if q.exhibit and (pack is None or pack.exhibit(q.exhibit)))
    named: Counter[str] = Counter()
    for m in members:
        for entity in m.entities:
            if entity.startswith("@exhibit:"):
                named[entity.removeprefix("@exhibit:")] += len(m.questions)
    return QuestionGroup(
        key=leader.key,
        language=leader.language,
        question=leader.text(),
        wordings=tuple(Wording(m.text(), len(m.questions), m.key) for m in members),
        count=len(questions),
        first_seen=questions[0].time,
        last_seen=questions[-1].time,
        exhibit=_most_common(guesses),
        named_exhibit=_most_common(named),
        kiosks=tuple(sorted({q.kiosk for q in questions if q.kiosk})),
        questions=tuple(questions),
    )


def _most_common(counts: Counter[str]) -> str | None:
    return min(counts, key=lambda k: (-counts[k], k)) if counts else None


_EN_FILLER = MATCH_STOPWORDS | frozenset(
    {"hi", "hello", "hey", "excuse", "sorry", "um", "uh", "er", "ok", "okay", "so", "just", "thanks", "thank"}
)
_ZH_LEADING = ("麻烦问一下", "我想问一下", "我想知道", "请问一下", "我想问", "问一下", "请问", "你好", "您好", "那个")
_ZH_TRAILING = "呢吗啊呀吧哦嘛呐"
_KO_POLITE = ("이에요", "입니까", "습니까", "인가요", "예요", "에요", "나요", "어요", "아요", "요")
_KO_PARTICLES = ("에서", "으로", "은", "는", "이", "가", "을", "를", "에", "의", "도", "로")
_KO_ENDINGS = tuple(sorted((*_KO_POLITE, *_KO_PARTICLES), key=len, reverse=True))
_KO_FILLER = frozenset({"있", "없", "좀", "혹시", "저기", "그", "이", "저", "여기", "안녕하세"})


def _terms(text: str, linker: Linker | None) -> tuple[frozenset[str], frozenset[str]]:
    """A wording's terms for comparison, and the pack entities it names (``@kind:id``, also among the terms)."""
    norm = normalise(text)
    entities: set[str] = set()
    named: set[str] = set()
    if linker is not None:
        for link in linker.link(features(norm)):
            if link.exact:
                entities.add(f"@{link.kind}:{link.ref}")
                norm = remove_alias(norm, link.alias)
                alias = features(link.alias)
                named |= alias.words | alias.pairs
    terms: set[str] = set()
    for run in runs(norm):
        if is_han(run):
            core = _strip_zh(run)
            if core:
                terms.update(pairs(core))
        elif is_hangul(run):
            core = _strip_ko(run)
            if core not in _KO_FILLER and core not in _KO_ENDINGS:
                terms.update(pairs(core))
        else:
            word = run.split("'")[0]
            if run.endswith("n't") and word.endswith("n"):
                word = word[:-1]  # can't -> can, isn't -> is
            if word and word not in _EN_FILLER:
                terms.add(stem(word))
    return frozenset((terms - named) | entities), frozenset(entities)


def _strip_zh(run: str) -> str:
    changed = True
    while changed and run:
        changed = False
        for lead in _ZH_LEADING:
            if run.startswith(lead):
                run, changed = run[len(lead) :], True
        if run and run[-1] in _ZH_TRAILING:
            run, changed = run[:-1], True
    return run


def _strip_ko(run: str) -> str:
    for ending in _KO_ENDINGS:
        if run.endswith(ending) and len(run) > len(ending):
            return run[: -len(ending)]
    return run


# -- decisions ------------------------------------------------------------------------------------------------------

DECISIONS_FILE = Path(".docent") / "visitor-decisions.json"
"""Where decisions live, relative to the pack folder: hidden and never published."""
_DECISIONS_FORMAT = "docent-visitor-decisions"
_DECISIONS_VERSION = 1


class Decision(StrEnum):
    OUT_OF_SCOPE = "out-of-scope"
    """Not something the guide should answer."""
    ADDED = "added"
    """Turned into a curated question on ``exhibit``."""


@dataclass(frozen=True)
class DecisionRecord:
    key: str
    decision: Decision
    exhibit: str | None
    question: str | None
    """The representative question when it was decided (for people reading the file)."""
    wordings: tuple[str, ...]
    """Wording keys of the group then: a later group holding any of them is the same question."""
    time: str


class Decisions:
    """Curators' decisions on question groups, kept in the pack folder. ``load``, ``mark``, ``save``."""

    def __init__(self, path: Path, records: Iterable[DecisionRecord] = ()) -> None:
        self.path = path
        self._records = {r.key: r for r in records}
        self.changed = False

    @classmethod
    def load(cls, pack_root: Path | str) -> Decisions:
        """The decisions of the pack at ``pack_root`` (none yet when the file does not exist)."""
        path = Path(pack_root) / DECISIONS_FILE
        if not path.exists():
            return cls(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            raise EditorError(
                f"{path} cannot be read ({err}); it holds which visitors' questions were already handled. Restore it "
                "from a backup, or delete it to see every question again.",
                code="decisions-broken",
            ) from err
        if not isinstance(data, dict) or data.get("format") != _DECISIONS_FORMAT:
            raise EditorError(f"{path} is not a decisions file; move it away.", code="decisions-broken")
        version = data.get("version")
        if isinstance(version, int) and version > _DECISIONS_VERSION:
            raise EditorError(
                f"{path} was written by a newer version of the editor (version {version}); update the editor.",
                code="decisions-newer",
            )
        records = []
        for key, raw in (data.get("decisions") or {}).items():
            try:
                records.append(
                    DecisionRecord(
                        key=str(key),
                        decision=Decision(raw["decision"]),
                        exhibit=raw.get("exhibit"),
                        question=raw.get("question"),
                        wordings=tuple(str(w) for w in raw.get("wordings") or ()),
                        time=str(raw.get("time") or ""),
                    )
                )
            except (KeyError, ValueError, TypeError, AttributeError):
                continue  # one damaged entry: that group shows again, nothing worse
        return cls(path, records)

    def mark(self, group: QuestionGroup | str, decision: Decision | str, exhibit: str | None = None) -> DecisionRecord:
        """Record a decision for a group (or a group key). ``added`` needs the exhibit. Call :meth:`save` to keep it."""
        try:
            chosen = Decision(decision)
        except ValueError as err:
            valid = ", ".join(d.value for d in Decision)
            raise EditorError(f"unknown decision '{decision}'; use one of: {valid}", code="decision-unknown") from err
        if chosen is Decision.ADDED and not exhibit:
            raise EditorError("say which exhibit the question was added to", code="decision-exhibit")
        key = group if isinstance(group, str) else group.key
        wordings = (key,) if isinstance(group, str) else tuple(dict.fromkeys((key, *(w.key for w in group.wordings))))
        record = DecisionRecord(
            key=key,
            decision=chosen,
            exhibit=exhibit if chosen is Decision.ADDED else None,
            question=None if isinstance(group, str) else group.question,
            wordings=wordings,
            time=datetime.now(UTC).isoformat(timespec="seconds"),
        )
        self._records[key] = record
        self.changed = True
        return record

    def unmark(self, group: QuestionGroup | str) -> bool:
        """Forget the decision on a group (undo); returns whether there was one."""
        record = self.decision(group)
        if record is None:
            return False
        del self._records[record.key]
        self.changed = True
        return True

    def decision(self, group: QuestionGroup | str) -> DecisionRecord | None:
        """The decision that covers this group: on its key, or on a group that held one of its wordings."""
        if isinstance(group, str):
            return self._records.get(group)
        found = self._records.get(group.key)
        if found is not None:
            return found
        keys = {w.key for w in group.wordings}
        return next((r for r in self._records.values() if keys.intersection(r.wordings)), None)

    def undecided(self, groups: Iterable[QuestionGroup]) -> list[QuestionGroup]:
        """The groups still to look at, in their order."""
        return [g for g in groups if self.decision(g) is None]

    def records(self) -> list[DecisionRecord]:
        return sorted(self._records.values(), key=lambda r: r.key)

    def __len__(self) -> int:
        return len(self._records)

    def __contains__(self, key: object) -> bool:
        return key in self._records

    def save(self) -> None:
        """Write the decisions to ``.docent/visitor-decisions.json`` in one step."""
        data: dict[str, Any] = {
            "format": _DECISIONS_FORMAT,
            "version": _DECISIONS_VERSION,
            "decisions": {
                r.key: {k: v for k, v in asdict(r).items() if k != "key"} | {"wordings": list(r.wordings)}
                for r in self.records()
            },
        }
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".decisions-", suffix=".tmp", dir=self.path.parent)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as out:
                    json.dump(data, out, ensure_ascii=False, indent=1)
                    out.write("\n")
                os.replace(tmp, self.path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError as err:
            raise EditorError(
                f"cannot save the decisions to {self.path} ({err.strerror or err}).", code="decisions-unsaved"
            ) from err
        self.changed = False


__all__ = [
    "DECISIONS_FILE",
    "Decision",
    "DecisionRecord",
    "Decisions",
    "Export",
    "QuestionGroup",
    "ReadQuestions",
    "VisitorQuestion",
    "Wording",
    "group_questions",
    "read_export",
    "read_exports",
    "wording_key",
]
