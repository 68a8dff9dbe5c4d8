"""The figures of ``kiosk report``: what a curator reads, computed from the interaction log's turns. Pure.

Counted are visitors' turns at the kiosk (typed, tapped, spoken, and turns imported from an older log); the
command-line tools' turns (``via`` "cli") are left out. Times are shown in the kiosk's time zone.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo

from kiosk.content.model import Pack
from kiosk.editor.visitors import VisitorQuestion, group_questions
from kiosk.ops.interactions_schema import LoggedTurn

LANGUAGE_NAMES = {"en": "English", "zh": "Chinese", "ko": "Korean", "ja": "Japanese", "fr": "French", "de": "German"}
TOP_EXHIBITS = 10
TOP_GROUPS = 20
REASONS = {
    "out-of-scope": "outside the guide's topics",
    "unsafe": "declined (unsafe)",
    "abuse": "declined (abuse)",
    "not-understood": "not understood",
    "missing": "not in the content",
    "no-gallery": "not in the content",
    "no-such-floor": "no such floor",
    "clarify": "asked which one was meant",
    "which-exhibit": "asked which exhibit",
    "empty": "nothing asked",
    "no-match": "not understood",
}
"""The guide's reasons for not answering, in a curator's words."""


@dataclass(frozen=True)
class Percentiles:
    count: int
    p50: float
    p90: float
    p99: float


@dataclass(frozen=True)
class Line:
    """One bar of a ranking: an exhibit or a language, how often it was asked and how often answered."""

    key: str
    label: str
    asked: int
    answered: int

    @property
    def rate(self) -> float:
        return self.answered / self.asked if self.asked else 0.0


@dataclass(frozen=True)
class Day:
    day: date
    asked: int
    answered: int


@dataclass(frozen=True)
class Group:
    """Unanswered questions that ask the same thing."""

    question: str
    language: str
    count: int
    wordings: tuple[tuple[str, int], ...]
    """The other ways it was put, most frequent first (the representative left out)."""
    last_asked: datetime
    why: str
    """The guide's most frequent reason, in a curator's words."""


@dataclass(frozen=True)
class ReportFacts:
    venue: str
    kiosk: str
    location: str | None
    since: datetime | None
    generated: datetime
    first: datetime | None
    last: datetime | None
    asked: int
    answered: int
    not_heard: int
    """Spoken questions the recognizer made nothing of (counted in ``asked``, not answered)."""
    without_text: int
    """Unanswered questions whose text was not kept (log_questions off, or older turns)."""
    hours: tuple[tuple[int, int, int], ...]
    """(hour of the day, asked, answered), from the first busy hour to the last."""
    days: tuple[Day, ...]
    exhibits: tuple[Line, ...]
    languages: tuple[Line, ...]
    groups: tuple[Group, ...]
    """The most asked unanswered questions (:data:`TOP_GROUPS` at most)."""
    more_groups: int
    """How many less asked groups were left out."""
    latency: tuple[tuple[str, Percentiles | None], ...]
    """("Typed or tapped", ...), ("Spoken", ...); None when there were none."""
    zone: tzinfo | None
    """The time zone the hours and days are counted in; None: this computer's (its own rules for each date)."""

    @property
    def rate(self) -> float:
        return self.answered / self.asked if self.asked else 0.0

    @property
    def unanswered(self) -> int:
        return self.asked - self.answered

    @property
    def timezone(self) -> str:
        """The time zone as ``UTC+08:00``."""
        offset = self.generated.astimezone(self.zone).utcoffset() or timedelta(0)
        minutes = int(offset.total_seconds() // 60)
        sign = "+" if minutes >= 0 else "-"
        return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def build_facts(
    turns: Iterable[LoggedTurn],
    *,
    pack: Pack | None = None,
    venue: str | None = None,
    kiosk: str = "kiosk",
    location: str | None = None,
    since: datetime | None = None,
    now: datetime | None = None,
    tz: tzinfo | None = None,
) -> ReportFacts:
    """The report's figures. ``pack`` names exhibits and the venue (ids without it); ``since`` is where the period
    starts (None: the oldest turn kept); ``tz`` the time zone to show (default: this computer's)."""
    now = now or datetime.now(UTC)
    zone = tz
    visitors = [t for t in turns if t.via != "cli" and (since is None or t.time >= since)]
    groups = _groups(visitors, pack)
    local = [t.time.astimezone(zone) for t in visitors]
    return ReportFacts(
        venue=venue or (pack.venue.name.pick("en", pack.languages)[0] if pack else "") or "Docent",
        kiosk=kiosk,
        location=location,
        since=since,
        generated=now,
        first=min((t.time for t in visitors), default=None),
        last=max((t.time for t in visitors), default=None),
        asked=len(visitors),
        answered=sum(t.answered for t in visitors),
        not_heard=sum(t.reason == "not-heard" for t in visitors),
        without_text=sum(not t.answered and not t.question and t.reason != "not-heard" for t in visitors),
        hours=_hours(visitors, local),
        days=_days(visitors, local, since.astimezone(zone).date() if since else None, now.astimezone(zone).date()),
        exhibits=_exhibits(visitors, pack),
        languages=_languages(visitors),
        groups=groups[:TOP_GROUPS],
        more_groups=max(0, len(groups) - TOP_GROUPS),
        latency=(
            ("Typed or tapped", percentiles(t.latency_ms for t in visitors if t.via in ("typed", "tapped"))),
            ("Spoken", percentiles(t.latency_ms for t in visitors if t.via == "voice")),
        ),
        zone=zone,
    )


def percentiles(values: Iterable[float | None]) -> Percentiles | None:
    """p50, p90 and p99 (linear between the nearest ranks); None for no values."""
    data = sorted(v for v in values if v is not None and math.isfinite(v))
    if not data:
        return None
    return Percentiles(len(data), _quantile(data, 0.5), _quantile(data, 0.9), _quantile(data, 0.99))


def _quantile(data: Sequence[float], q: float) -> float:
    at = (len(data) - 1) * q
    low = math.floor(at)
    high = min(low + 1, len(data) - 1)
    return data[low] + (data[high] - data[low]) * (at - low)


def _hours(turns: Sequence[LoggedTurn], local: Sequence[datetime]) -> tuple[tuple[int, int, int], ...]:
    asked = Counter(when.hour for when in local)
    answered = Counter(when.hour for when, t in zip(local, turns, strict=True) if t.answered)
    if not asked:
        return ()
    return tuple((h, asked[h], answered[h]) for h in range(min(asked), max(asked) + 1))


def _days(turns: Sequence[LoggedTurn], local: Sequence[datetime], start: date | None, today: date) -> tuple[Day, ...]:
    asked = Counter(when.date() for when in local)
    answered = Counter(when.date() for when, t in zip(local, turns, strict=True) if t.answered)
    if not asked:
        return ()
    first = min(asked) if start is None else min(start, min(asked))
    last = max(asked) if start is None else max(max(asked), today)
    first = max(first, last - timedelta(days=400))
    days = (first + timedelta(days=n) for n in range((last - first).days + 1))
    return tuple(Day(d, asked[d], answered[d]) for d in days)


def _exhibits(turns: Sequence[LoggedTurn], pack: Pack | None) -> tuple[Line, ...]:
    asked = Counter(t.exhibit for t in turns if t.exhibit)
    answered = Counter(t.exhibit for t in turns if t.exhibit and t.answered)
    top = sorted(asked, key=lambda e: (-asked[e], e))[:TOP_EXHIBITS]
    return tuple(Line(e, _exhibit_name(pack, e), asked[e], answered[e]) for e in top)


def _exhibit_name(pack: Pack | None, exhibit_id: str) -> str:
    exhibit = pack.exhibit(exhibit_id) if pack is not None else None
    if exhibit is None:
        return exhibit_id
    return exhibit.name.pick("en", pack.languages)[0] if pack is not None else exhibit_id


def _languages(turns: Sequence[LoggedTurn]) -> tuple[Line, ...]:
    asked = Counter(t.language for t in turns)
    answered = Counter(t.language for t in turns if t.answered)
    order = sorted(asked, key=lambda lang: (-asked[lang], lang))
    return tuple(Line(lang, LANGUAGE_NAMES.get(lang, lang), asked[lang], answered[lang]) for lang in order)


def _groups(turns: Sequence[LoggedTurn], pack: Pack | None) -> tuple[Group, ...]:
    unanswered = [t for t in turns if not t.answered and t.question and t.reason != "not-heard"]
    reasons = {(t.language, t.question, t.time): t.reason or "" for t in unanswered}
    questions = [
        VisitorQuestion(t.time, t.language, t.question or "", t.intent, t.reason, t.exhibit, t.confidence)
        for t in unanswered
    ]
    groups = []
    for g in group_questions(questions, pack):
        why = Counter(reasons.get((q.language, q.question, q.time), "") for q in g.questions).most_common(1)[0][0]
        others = tuple((w.text, w.count) for w in g.wordings if w.text != g.question)
        groups.append(Group(g.question, g.language, g.count, others, g.last_seen, REASONS.get(why, why or "-")))
    return tuple(groups)


__all__ = [
    "LANGUAGE_NAMES",
    "REASONS",
    "Day",
    "Group",
    "Line",
    "Percentiles",
    "ReportFacts",
    "build_facts",
    "percentiles",
]
