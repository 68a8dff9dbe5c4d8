"""``kiosk eval``: run a set of visitor questions through the mind and score intent, ids and required facts.

An eval file is a YAML list of questions (``q``, ``intent``, optional ``exhibit``/``facility``/``gallery``,
``contains``, ``lang``) and conversations (``conversation: [questions...]``, context carried between turns).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kiosk.errors import DocentError
from kiosk.mind import Answer, DialogueState, Intent, Mind


class EvalError(DocentError):
    code = "eval-error"


@dataclass(frozen=True)
class Case:
    question: str
    intent: str
    exhibit: str | None
    facility: str | None
    gallery: str | None
    contains: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class Outcome:
    case: Case
    answer: Answer
    conversation: int

    @property
    def intent_ok(self) -> bool:
        return self.answer.intent.value == self.case.intent

    @property
    def id_ok(self) -> bool | None:
        c, a = self.case, self.answer
        if c.exhibit is None and c.facility is None and c.gallery is None:
            return None
        return (
            (c.exhibit is None or a.exhibit == c.exhibit)
            and (c.facility is None or a.facility == c.facility)
            and (c.gallery is None or a.gallery == c.gallery)
        )

    @property
    def fact_ok(self) -> bool | None:
        if not self.case.contains:
            return None
        text = _loose(self.answer.text)
        return all(_loose(item) in text for item in self.case.contains)


_UNITS = [
    *("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"),
    *("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"),
]
_TENS = {
    w: 10 * (i + 2)
    for i, w in enumerate(("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"))
}
_NUMBER_WORDS = re.compile(
    rf"\b(?:({'|'.join(_TENS)})(?:-({'|'.join(_UNITS[1:10])}))?|({'|'.join(_UNITS[2:])}))\b", re.IGNORECASE
)


def _number_word(match: re.Match[str]) -> str:
    tens, unit, single = match.groups()
    if single:
        return str(_UNITS.index(single.lower()))
    return str(_TENS[tens.lower()] + (_UNITS.index(unit.lower()) if unit else 0))


def _loose(text: str) -> str:
    """Lower case, "2,498" as "2498" and "Twenty-four" as "24": an answer may spell a number either way."""
    return _NUMBER_WORDS.sub(_number_word, re.sub(r"(?<=\d),(?=\d{3})", "", text)).lower()


@dataclass
class Tally:
    total: int = 0
    intent: int = 0
    ids: int = 0
    ids_total: int = 0
    facts: int = 0
    facts_total: int = 0

    def add(self, outcome: Outcome) -> None:
        self.total += 1
        self.intent += outcome.intent_ok
        if outcome.id_ok is not None:
            self.ids_total += 1
            self.ids += outcome.id_ok
        if outcome.fact_ok is not None:
            self.facts_total += 1
            self.facts += outcome.fact_ok


@dataclass
class Results:
    outcomes: list[Outcome] = field(default_factory=list)

    def tallies(self) -> dict[tuple[str, str], Tally]:
        table: dict[tuple[str, str], Tally] = defaultdict(Tally)
        for o in self.outcomes:
            for key in ((o.case.intent, "all"), ("all", o.answer.language), ("all", "all")):
                table[key].add(o)
        return dict(table)

    @property
    def out_of_scope_answered(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.case.intent == "fallback" and o.answer.intent is not Intent.FALLBACK]

    @property
    def in_scope_refused(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.case.intent != "fallback" and o.answer.intent is Intent.FALLBACK]

    @property
    def in_scope(self) -> int:
        return sum(o.case.intent != "fallback" for o in self.outcomes)

    @property
    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.intent_ok or o.id_ok is False or o.fact_ok is False]


def load_cases(path: Path) -> list[list[Case]]:
    """The conversations in an eval file or folder; a lone question is a conversation of one."""
    files = sorted(path.glob("*.yaml")) if path.is_dir() else [path]
    conversations: list[list[Case]] = []
    for file in files:
        try:
            data = yaml.safe_load(file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
            raise EvalError(f"{file}: cannot read the eval file: {err}") from err
        if not isinstance(data, list):
            raise EvalError(f"{file}: an eval file is a list of questions and conversations")
        for item in data:
            if isinstance(item, dict) and "conversation" in item:
                conversations.append([_case(turn, file) for turn in item["conversation"]])
            else:
                conversations.append([_case(item, file)])
    return conversations


def _case(item: Any, file: Path) -> Case:
    if not isinstance(item, dict) or "q" not in item or "intent" not in item:
        raise EvalError(f"{file}: every question needs 'q' and 'intent': {item!r}")
    if item["intent"] not in {i.value for i in Intent}:
        raise EvalError(f"{file}: unknown intent {item['intent']!r} for {item['q']!r}")
    contains = item.get("contains") or ()
    return Case(
        str(item["q"]),
        str(item["intent"]),
        item.get("exhibit"),
        item.get("facility"),
        item.get("gallery"),
        tuple(str(c) for c in contains),
        file.name,
    )


def run(mind: Mind, conversations: list[list[Case]]) -> Results:
    results = Results()
    for n, conversation in enumerate(conversations):
        state = DialogueState()
        for case in conversation:
            turn = mind.answer(case.question, state)
            state = turn.state
            results.outcomes.append(Outcome(case, turn.answer, n))
    return results


def pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}%" if whole else "    - "


def report(results: Results) -> list[str]:
    lines = [f"{'intent':<11}{'language':<9}{'questions':>9}  {'intent ok':>9}  {'id ok':>9}  {'facts ok':>9}"]
    tallies = results.tallies()
    keys = sorted(tallies, key=lambda k: (k == ("all", "all"), k[0] == "all", k))
    for intent, language in keys:
        t = tallies[(intent, language)]
        lines.append(
            f"{intent:<11}{language:<9}{t.total:>9}  {pct(t.intent, t.total):>9}  "
            f"{pct(t.ids, t.ids_total):>9}  {pct(t.facts, t.facts_total):>9}"
        )
    oos = [o for o in results.outcomes if o.case.intent == "fallback"]
    lines.append(f"out-of-scope answered as in scope: {len(results.out_of_scope_answered)} of {len(oos)}")
    lines.append(
        f"in-scope questions refused: {len(results.in_scope_refused)} of {results.in_scope} "
        f"({pct(len(results.in_scope_refused), results.in_scope).strip()})"
    )
    return lines


def failure_lines(results: Results) -> list[str]:
    out = []
    for o in results.failures:
        a, c = o.answer, o.case
        want = " ".join(
            x
            for x in (c.intent, c.exhibit or c.facility or c.gallery or "", f"{list(c.contains)}" if c.contains else "")
            if x
        )
        got = f"{a.intent.value} {a.exhibit or a.facility or a.gallery or ''} ({a.confidence:.2f}, {a.reason})"
        out.append(f"[{c.source}] {c.question!r}\n    want {want}\n    got  {got}: {a.text[:160]}")
    return out


__all__ = ["Case", "EvalError", "Outcome", "Results", "failure_lines", "load_cases", "report", "run"]
