"""Coverage: ask the guide every question a pack implies, and list what it gets wrong and where to fix it.

Qt-free. The editor runs :func:`run_coverage` in a background thread; it polls ``cancel()`` before every question
and reports ``progress(done, total)``. Nothing is written: the pack and the mind are only read.

The checks, per venue language:

``questions``  every phrasing of every curated question must bring that question's answer on that exhibit. A
               phrasing is asked twice. At the exhibit (the exhibit under discussion, ``DialogueState(exhibit=...)``)
               is the ask that counts: curators write phrasings as follow-ups ("Who was it made for"), and the kiosk
               offers them as buttons after an answer about the exhibit, so that is how visitors ask them. Asked
               cold (no exhibit under discussion yet), a phrasing that names its exhibit stands alone and must still
               get its answer; one that does not name it may get "which exhibit do you mean?" or a guess, but not
               another exhibit's curated answer (two exhibits' phrasings too alike).
``names``      every name and alias of every exhibit, said on its own, must bring that exhibit.
``facts``      every typed fact must be reachable by plain questions about its kind ("How heavy is the {name}?",
               templates in generic_questions.yaml): the answer must be about the exhibit and give the fact's value
               (or, from a curated answer, most of its words and all of its numbers).
``eval``       the pack's own eval set, when it has one (``tests/eval`` or ``eval``; format: kiosk/ops/evaluate.py).
``generic``    the built-in questions every venue is asked (toilets, exit, hours ...), from generic_questions.yaml.
               Where the venue has no facility or rule for one, the failure says what to add, not that the guide
               is wrong.

Every failure names the file and the field to fix, spelt as the loader's problems spell fields
(``questions[2].ask.en[1]``, 1-based), with advice in a curator's words.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import cache, partial
from importlib import resources
from typing import Any

import yaml

from kiosk.content.model import Exhibit, Pack
from kiosk.content.text import Text, TextList
from kiosk.content.tokens import normalise
from kiosk.errors import EditorError
from kiosk.mind import Answer, DialogueState, Intent, Mind, detect_language
from kiosk.mind import lexicon as lx
from kiosk.mind.compose import has_batchim
from kiosk.mind.features import coverage, features
from kiosk.ops import evaluate

EVAL_FOLDERS = ("tests/eval", "eval")
"""Where a pack keeps its eval set, relative to the pack folder."""
VENUE = "content/venue.yaml"
_KIND_WORDS = {"found_at": "find spot", "found_in": "year it was found", "found_by": "finder", "held_by": "original"}


class Check(StrEnum):
    QUESTIONS = "questions"
    NAMES = "names"
    FACTS = "facts"
    EVAL = "eval"
    GENERIC = "generic"


class Cause(StrEnum):
    """What kind of fix a failure needs."""

    MISSING = "missing"
    """The pack has nothing to answer with (no café facility): add it, if the venue has one."""
    WORDING = "wording"
    """The guide misses the visitor's words: add an alias or a phrasing, or reword one."""
    CONFLICT = "conflict"
    """Something else in the pack answers instead (another exhibit, question, fact or facility): make them distinct."""
    GUIDE = "guide"
    """The guide's built-in understanding misses it; the fix offered is a workaround in the pack."""


_FIELD_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


@dataclass(frozen=True)
class Location:
    """A place in the pack the editor can open: a file and a field in the loader's spelling."""

    file: str
    """Relative to the pack folder, forward slashes: ``exhibits/houmuwu-ding.yaml``."""
    field: str = ""
    """``questions[2].ask.en[1]`` (1-based, like the loader's problems); empty for the whole file."""

    @property
    def path(self) -> tuple[str | int, ...]:
        """The field as keys and 0-based indexes: ("questions", 1, "ask", "en", 0)."""
        return tuple(int(n) - 1 if n else key for key, n in _FIELD_PART.findall(self.field))

    def __str__(self) -> str:
        return f"{self.file}: {self.field}" if self.field else self.file


@dataclass(frozen=True)
class Failure:
    check: Check
    language: str
    question: str
    expected: str
    """What a right answer is, in words."""
    answer: Answer
    """What the guide answered: intent, exhibit/facility/gallery, text, confidence, reason."""
    cause: Cause
    hint: str
    """What to do, in a curator's words."""
    fix: Location
    """Where to do it."""
    source: Location | None = None
    """Where the question itself is written (None for the built-in questions)."""
    context: str | None = None
    """The exhibit under discussion when it was asked; None when asked cold."""

    @property
    def got(self) -> str:
        """The answer in one line: "exhibit houmuwu-ding (0.90, curated)"."""
        a = self.answer
        ref = a.exhibit or a.facility or a.gallery
        return f"{a.intent.value}{' ' + ref if ref else ''} ({a.confidence:.2f}, {a.reason})"


@dataclass(frozen=True)
class Tally:
    check: Check | None
    """None in a sum over every check."""
    language: str | None
    """None in a sum over every language."""
    total: int = 0
    passed: int = 0

    @property
    def failed(self) -> int:
        return self.total - self.passed


@dataclass(frozen=True)
class CoverageReport:
    tallies: tuple[Tally, ...]
    """One per (check, language) that had questions."""
    failures: tuple[Failure, ...]
    seconds: float
    cancelled: bool = False
    """Stopped by ``cancel()``: the tallies and failures cover the questions asked until then."""

    def tally(self, check: Check | None = None, language: str | None = None) -> Tally:
        """The sum over one check and/or one language (None: all of them)."""
        rows = [t for t in self.tallies if check in (None, t.check) and language in (None, t.language)]
        return Tally(check, language, sum(t.total for t in rows), sum(t.passed for t in rows))

    @property
    def total(self) -> int:
        return self.tally().total

    @property
    def passed(self) -> int:
        return self.tally().passed

    @property
    def failed(self) -> int:
        return self.tally().failed

    @property
    def checks(self) -> tuple[Check, ...]:
        return tuple(c for c in Check if any(t.check is c for t in self.tallies))

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(t.language for t in self.tallies if t.language))


# -- the built-in questions ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class GenericQuestion:
    topic: str
    label: str
    """What to call it in advice: "add a café facility in the venue settings"."""
    intent: Intent
    asks: TextList
    facilities: tuple[str, ...] = ()
    rule: str | None = None
    words: TextList = field(default_factory=TextList)
    """Words that mark a venue facility as this one, besides the mind's everyday words for ``facilities``."""


@dataclass(frozen=True)
class BuiltinQuestions:
    facts: tuple[tuple[str, TextList], ...]
    """(fact kind, question templates per language)."""
    generic: tuple[GenericQuestion, ...]


@cache
def builtin_questions() -> BuiltinQuestions:
    """generic_questions.yaml (shipped in this package), read and checked once."""
    try:
        raw = resources.files("kiosk.editor").joinpath("generic_questions.yaml").read_text(encoding="utf-8")
        data = yaml.safe_load(raw)
        facts = tuple((str(kind), _text_list(langs)) for kind, langs in data["facts"].items())
        generic = tuple(_generic(item) for item in data["questions"])
    except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError, AttributeError) as err:
        raise EditorError(
            f"the editor's built-in questions (generic_questions.yaml) cannot be read: {err}; reinstall Docent",
            code="bad-builtin-questions",
        ) from err
    unknown = [kind for kind, _ in facts if kind not in lx.FACT_CUES]
    if unknown:
        raise EditorError(f"generic_questions.yaml: unknown fact kinds {unknown}", code="bad-builtin-questions")
    return BuiltinQuestions(facts, generic)


def _text_list(value: Mapping[str, Any]) -> TextList:
    return TextList.of({str(lang): tuple(str(t) for t in texts) for lang, texts in value.items()})


def _generic(item: Mapping[str, Any]) -> GenericQuestion:
    return GenericQuestion(
        topic=str(item["topic"]),
        label=str(item.get("label") or item["topic"]),
        intent=Intent(item["intent"]),
        asks=_text_list(item["ask"]),
        facilities=tuple(str(f) for f in item.get("facilities") or ()),
        rule=item.get("rule"),
        words=_text_list(item.get("words") or {}),
    )


def fill(template: str, name: str, language: str) -> str:
    """A fact template with an exhibit's name: "How heavy is the {name}?" -> "How heavy is the Houmuwu Ding?"."""
    if language == "en" and re.match(r"(the|a|an) ", name, re.IGNORECASE):
        template = template.replace("the {name}", "{name}")
    batchim = has_batchim(name)
    return template.format(name=name, eun="은" if batchim else "는", eul="을" if batchim else "를")


# -- running -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Probe:
    """One item of a check: one or more asks of the same words, judged together."""

    check: Check
    language: str
    text: str
    judge: Callable[..., Failure | None]
    """Called with the answers, one per entry of ``at``."""
    at: tuple[str | None, ...] = (None,)
    """The exhibit under discussion for each ask; None: asked cold."""
    follow: bool = False
    """Continue the previous probe's conversation (an eval conversation's later turns)."""


def run_coverage(
    pack: Pack,
    mind: Mind,
    *,
    progress: Callable[[int, int], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> CoverageReport:
    """Ask ``mind`` every question of every check for ``pack`` and report what fails, with where to fix it.

    ``progress(done, total)`` is called as questions are asked (about 200 times at most, and always at the end);
    ``cancel()`` is polled before each question, and True stops the run with a partial, ``cancelled`` report.
    Raises :class:`kiosk.ops.evaluate.EvalError` (a DocentError naming the file) when the pack's eval set cannot be
    read; everything else a pack can get wrong is a failure in the report.
    """
    started = time.perf_counter()
    planner = _Planner(pack, mind)
    probes = [*planner.questions(), *planner.names(), *planner.facts(), *planner.eval(), *planner.generic()]
    total, step = len(probes), max(1, len(probes) // 200)
    counts: dict[tuple[Check, str], list[int]] = {}
    failures: list[Failure] = []
    state = DialogueState()
    cancelled = False
    for done, probe in enumerate(probes, 1):
        if cancel is not None and cancel():
            cancelled = True
            break
        answers = []
        context = state.exhibit if probe.follow else None
        for exhibit in probe.at:
            start = state if probe.follow else DialogueState(exhibit=exhibit, language=probe.language)
            turn = mind.answer(probe.text, start)
            state = turn.state
            answers.append(turn.answer)
        failure = probe.judge(*answers)
        row = counts.setdefault((probe.check, probe.language), [0, 0])
        row[0] += 1
        if failure is None:
            row[1] += 1
        else:
            failures.append(replace(failure, context=failure.context or context))
        if progress is not None and (done % step == 0 or done == total):
            progress(done, total)
    tallies = tuple(Tally(check, lang, n, ok) for (check, lang), (n, ok) in counts.items())
    return CoverageReport(tallies, tuple(failures), time.perf_counter() - started, cancelled)


def _loose(text: str) -> str:
    """Lower case, without spaces, thousands separators and a final full stop: "2,498 kg." == "2498kg"."""
    return re.sub(r"[\s,，]", "", normalise(text).rstrip("."))


def _file(exhibit: Exhibit) -> str:
    return f"exhibits/{exhibit.id}.yaml"


class _Planner:
    """Builds every check's probes, each with a judge that turns a wrong answer into a Failure."""

    def __init__(self, pack: Pack, mind: Mind) -> None:
        self.pack = pack
        self.mind = mind
        self.languages = pack.languages
        self.builtin = builtin_questions()

    # -- words for advice ------------------------------------------------------------------------------------

    def _en(self, text: Text) -> str:
        return text.pick("en", self.languages)[0]

    def _the(self, exhibit_id: str) -> str:
        exhibit = self.pack.exhibit(exhibit_id)
        name = self._en(exhibit.name) if exhibit else exhibit_id
        return name if re.match(r"(the|a|an) ", name, re.IGNORECASE) else f"the {name}"

    def _curated_of(self, answer: Answer) -> tuple[Exhibit, int] | None:
        """The exhibit and curated question this answer comes from, if it is a curated answer."""
        exhibit = self.pack.exhibit(answer.exhibit) if answer.exhibit else None
        if exhibit is None or answer.reason != "curated":
            return None
        for i, question in enumerate(exhibit.questions):
            if any(text and text in answer.text for _, text in question.answer.values()):
                return exhibit, i
        return None

    def did(self, answer: Answer) -> str:
        """What the guide did, in words: "answers about the Ru Ware with its summary"."""
        a, venue = answer, self.pack.venue
        if a.reason in ("clarify", "which-exhibit"):
            return "asks which exhibit the visitor means"
        if a.intent is Intent.FALLBACK:
            return "declines the question" if a.reason in ("unsafe", "abuse") else "says it doesn't know"
        if a.intent is Intent.EXHIBIT and a.exhibit:
            curated = self._curated_of(a)
            if curated is not None:
                return f"answers with {self._the(a.exhibit)}'s question {curated[1] + 1}"
            if a.reason.startswith("fact:"):
                detail = f"its '{a.reason[5:]}' fact"
            elif a.reason.startswith("unknown-fact"):
                detail = "“I don't have that information”"
            else:
                detail = {"summary": "its summary", "end": "“that's all I have”"}.get(
                    a.reason, "a sentence of its story"
                )
            return f"answers about {self._the(a.exhibit)} with {detail}"
        if a.intent is Intent.DIRECTIONS:
            if a.exhibit:
                return f"gives the way to {self._the(a.exhibit)} in this building"
            gallery = venue.gallery(a.gallery) if a.gallery else None
            return f"gives the way to the {self._en(gallery.name)} gallery" if gallery else "gives directions"
        if a.intent is Intent.FACILITY:
            facility = venue.facility(a.facility) if a.facility else None
            return f"sends the visitor to the {self._en(facility.name) if facility else a.facility}"
        if a.intent is Intent.RULES:
            concept = a.reason.partition(":")[2]
            return "reads out all the visiting rules" if concept in ("", "all") else f"gives the rule on {concept}"
        return {
            Intent.HOURS: "gives the opening hours",
            Intent.TICKETS: "gives the ticket information",
            Intent.HELP: "explains what it can do",
            Intent.SOCIAL: "replies with small talk",
        }.get(a.intent, f"answers with {a.intent.value}")

    def _elsewhere(self, answer: Answer, lang: str, own: str | None = None) -> Location | None:
        """The aliases of the other exhibit, facility or gallery the answer went to, if it went to one."""
        venue = self.pack.venue
        if answer.exhibit and answer.exhibit != own:
            exhibit = self.pack.exhibit(answer.exhibit)
            return Location(_file(exhibit), f"aliases.{lang}") if exhibit else None
        if answer.intent is Intent.FACILITY:
            i = next((i for i, f in enumerate(venue.facilities) if f.id == answer.facility), None)
            return Location(VENUE, f"facilities[{i + 1}].aliases.{lang}") if i is not None else None
        if answer.intent is Intent.DIRECTIONS and answer.gallery and not answer.exhibit:
            i = next((i for i, g in enumerate(venue.galleries) if g.id == answer.gallery), None)
            return Location(VENUE, f"galleries[{i + 1}].aliases.{lang}") if i is not None else None
        return None

    # -- questions: curated phrasings ------------------------------------------------------------------------

    def _names_it(self, text: str, exhibit: Exhibit) -> bool:
        """Whether the phrasing names its exhibit (as the mind's linker sees names), so stands alone."""
        links = self.mind.linker.link(features(self.mind.linker.spell(text)), ("exhibit",))
        return any(link.ref == exhibit.id and (link.exact or link.score >= 0.75) for link in links)

    def questions(self) -> Iterator[_Probe]:
        for exhibit in self.pack.exhibits:
            for qi, question in enumerate(exhibit.questions):
                for lang in self.languages:
                    for k, text in enumerate(question.asks.get(lang)):
                        where = Location(_file(exhibit), f"questions[{qi + 1}].ask.{lang}[{k + 1}]")
                        named = self._names_it(text, exhibit)
                        judge = partial(
                            self._judge_curated, exhibit=exhibit, qi=qi, text=text, lang=lang, where=where, named=named
                        )
                        yield _Probe(Check.QUESTIONS, lang, text, judge, at=(exhibit.id, None))

    def _judge_curated(
        self,
        at_exhibit: Answer,
        cold: Answer,
        *,
        exhibit: Exhibit,
        qi: int,
        text: str,
        lang: str,
        where: Location,
        named: bool,
    ) -> Failure | None:
        if self._curated_of(at_exhibit) != (exhibit, qi):
            answer, context = at_exhibit, exhibit.id
        elif self._curated_of(cold) == (exhibit, qi):
            return None
        else:
            other = self._curated_of(cold)
            if not named and (other is None or other[0].id == exhibit.id):
                return None  # a follow-up asked cold may be ambiguous; it only must not get another exhibit's answer
            answer, context = cold, None
        asked = f"Asked at {self._the(exhibit.id)}" if context else "Asked on its own (no exhibit under discussion)"
        did, other = self.did(answer), self._curated_of(answer)
        cause = Cause.CONFLICT
        if other is not None and other[0].id == exhibit.id:
            hint = (
                f"{asked}, this wording gets question {other[1] + 1}'s answer: make the two questions' phrasings "
                "more distinct"
            )
        elif other is not None:
            hint = (
                f"{asked}, this question is answered by {self._the(other[0].id)}'s question {other[1] + 1} instead "
                f"({_file(other[0])}, questions[{other[1] + 1}]): make the phrasings more distinct"
            )
        elif answer.exhibit and answer.exhibit != exhibit.id:
            hint = f"{asked}, the guide {did}: the wording sounds like that exhibit; name this one in it, or reword it"
        elif answer.intent is Intent.DIRECTIONS:
            hint = (
                f"{asked}, the guide takes this for asking the way and {did}: reword it so that it does not ask "
                "where the exhibit is (say what is meant: how far, which city ...)"
            )
        elif answer.exhibit == exhibit.id and answer.reason.startswith("fact:"):
            hint = (
                f"{asked}, the guide {did}, because this wording is a plain question about that: if the fact answers "
                "it, drop this phrasing; otherwise make it say what more is asked"
            )
        elif answer.exhibit == exhibit.id:
            cause = Cause.WORDING
            hint = (
                f"{asked}, the guide {did} instead: once the exhibit's name is left out this wording says too little; "
                "make it more specific"
            )
        elif answer.intent is Intent.FALLBACK:
            cause = Cause.WORDING
            hint = (
                f"{asked}, the guide {did}: it does not link this wording to the exhibit under discussion; "
                "refer to the exhibit in it ('it', 'this', or its name)"
            )
        else:
            hint = (
                f"{asked}, the guide {did}: a word in this phrasing sounds like a question about the venue; reword it"
            )
        expected = f"{self._the(exhibit.id)}'s question {qi + 1}"
        return Failure(Check.QUESTIONS, lang, text, expected, answer, cause, hint, where, where, context)

    # -- names and aliases -----------------------------------------------------------------------------------

    def names(self) -> Iterator[_Probe]:
        for exhibit in self.pack.exhibits:
            for lang in self.languages:
                said = [(exhibit.name.get(lang), f"name.{lang}")]
                said += [(alias, f"aliases.{lang}[{k + 1}]") for k, alias in enumerate(exhibit.aliases.get(lang))]
                for text, name_field in said:
                    if text:
                        where = Location(_file(exhibit), name_field)
                        judge = partial(self._judge_name, exhibit=exhibit, text=text, lang=lang, where=where)
                        yield _Probe(Check.NAMES, lang, text, judge)

    def _judge_name(self, answer: Answer, *, exhibit: Exhibit, text: str, lang: str, where: Location) -> Failure | None:
        if answer.exhibit == exhibit.id and answer.intent in (Intent.EXHIBIT, Intent.DIRECTIONS):
            return None
        did = f"When a visitor says just this name, the guide {self.did(answer)}"
        cause = Cause.CONFLICT
        if answer.reason == "clarify" or answer.exhibit:
            hint = f"{did}: another exhibit has this name or one very like it; make it more specific or remove one"
        elif answer.intent in (Intent.FACILITY, Intent.DIRECTIONS):
            hint = f"{did}: it is also a name of that place; make it more specific"
        else:
            cause, hint = Cause.WORDING, f"{did}: make this name longer or more specific"
        return Failure(Check.NAMES, lang, text, self._the(exhibit.id), answer, cause, hint, where, where)

    # -- typed facts -----------------------------------------------------------------------------------------

    def facts(self) -> Iterator[_Probe]:
        templates = dict(self.builtin.facts)
        for exhibit in self.pack.exhibits:
            for fact in exhibit.facts:
                for lang in self.languages if fact.typed and fact.key in templates else ():
                    name, value = exhibit.name.get(lang) or "", fact.value.get(lang) or ""
                    for template in templates[fact.key].get(lang) if name and value else ():
                        question = fill(template, name, lang)
                        where = Location(_file(exhibit), f"facts.{fact.key}.{lang}")
                        judge = partial(
                            self._judge_fact,
                            exhibit=exhibit,
                            key=fact.key,
                            value=value,
                            text=question,
                            lang=lang,
                            where=where,
                        )
                        yield _Probe(Check.FACTS, lang, question, judge)

    def _conveys(self, text: str, value: str) -> bool:
        """Whether an answer gives the fact: its value, or all its numbers and most of its words (a curated answer
        that says "Farmers found it" for "local farmers")."""
        if _loose(value) in _loose(text):
            return True
        want, have = features(value), features(text)
        numbers = {w for w in want.words if w[:1].isdigit()}
        return numbers <= have.words and coverage(want, have, self.mind.weights) >= 0.5

    def _judge_fact(
        self, answer: Answer, *, exhibit: Exhibit, key: str, value: str, text: str, lang: str, where: Location
    ) -> Failure | None:
        if answer.exhibit == exhibit.id and self._conveys(answer.text, value):
            return None
        kind = _KIND_WORDS.get(key, key)
        expected = f"{self._the(exhibit.id)}'s '{key}' fact: {value}"
        curated, elsewhere = self._curated_of(answer), self._elsewhere(answer, lang, exhibit.id)
        if curated is not None and curated[0].id == exhibit.id:
            cause, fix = Cause.CONFLICT, Location(_file(exhibit), f"questions[{curated[1] + 1}].ask.{lang}")
            hint = (
                f"A plain question about the {kind} gets question {curated[1] + 1}'s answer, which does not give the "
                f"fact: make that question's phrasings more distinct, or give the {kind} in its answer"
            )
        elif elsewhere is not None:
            cause, fix = Cause.CONFLICT, elsewhere
            hint = (
                f"The guide {self.did(answer)}: make that exhibit's names and aliases distinct from this exhibit's name"
            )
        else:
            cause, fix = Cause.GUIDE, Location(_file(exhibit), "questions")
            hint = (
                f"The guide {self.did(answer)} instead of the fact; that is its own choice. To be sure of the answer, "
                "add a curated question with this wording whose answer gives the fact"
            )
        return Failure(Check.FACTS, lang, text, expected, answer, cause, hint, fix, where)

    # -- the pack's eval set ---------------------------------------------------------------------------------

    def eval(self) -> Iterator[_Probe]:
        root = self.pack.root
        folder = next((root / f for f in EVAL_FOLDERS if (root / f).is_dir()), None)
        if folder is None:
            return
        for file in sorted(folder.glob("*.yaml")):
            rel = file.relative_to(root).as_posix()
            for i, conversation in enumerate(evaluate.load_cases(file)):
                for j, case in enumerate(conversation):
                    item = f"[{i + 1}].q" if len(conversation) == 1 else f"[{i + 1}].conversation[{j + 1}].q"
                    lang = detect_language(case.question, self.languages, self.mind.default_language)
                    judge = partial(self._judge_eval, case=case, lang=lang, source=Location(rel, item))
                    yield _Probe(Check.EVAL, lang, case.question, judge, follow=j > 0)

    def _judge_eval(self, answer: Answer, *, case: evaluate.Case, lang: str, source: Location) -> Failure | None:
        outcome = evaluate.Outcome(case, answer, 0)
        if outcome.intent_ok and outcome.id_ok is not False and outcome.fact_ok is not False:
            return None
        expected = " ".join(x for x in (case.intent, case.exhibit or case.facility or case.gallery or "") if x)
        expected += f", saying {', '.join(case.contains)}" if case.contains else ""
        venue, did = self.pack.venue, self.did(answer)
        exhibit = self.pack.exhibit(case.exhibit) if case.exhibit else None
        facility = next((i for i, f in enumerate(venue.facilities) if f.id == case.facility), None)
        gallery = next((i for i, g in enumerate(venue.galleries) if g.id == case.gallery), None)
        elsewhere = self._elsewhere(answer, lang, case.exhibit)
        cause = Cause.WORDING
        if exhibit is not None and answer.exhibit != exhibit.id:
            fix = Location(_file(exhibit), f"aliases.{lang}")
            hint = f"The guide {did}: if visitors call {self._the(exhibit.id)} by words in this question, add an alias"
        elif facility is not None and answer.facility != case.facility:
            fix = Location(VENUE, f"facilities[{facility + 1}].aliases.{lang}")
            hint = f"The guide {did}: add the visitor's word for this place to the facility's aliases"
        elif gallery is not None and answer.gallery != case.gallery:
            fix = Location(VENUE, f"galleries[{gallery + 1}].aliases.{lang}")
            hint = f"The guide {did}: add the visitor's name for this gallery to its aliases"
        elif exhibit is not None and outcome.intent_ok and outcome.fact_ok is False:
            fix, hint = self._missing_detail(exhibit, case, did, lang)
        elif elsewhere is not None and not outcome.intent_ok:
            cause, fix = Cause.CONFLICT, elsewhere
            hint = f"The guide {did}: a name or alias there takes this question; make it more specific"
        else:
            cause, fix = Cause.GUIDE, source
            hint = f"The guide {did} instead; its built-in words miss this question, and nothing in the pack decides it"
        return Failure(Check.EVAL, lang, case.question, expected, answer, cause, hint, fix, source)

    def _missing_detail(self, exhibit: Exhibit, case: evaluate.Case, did: str, lang: str) -> tuple[Location, str]:
        """The exhibit was right but the answer lacks the detail: the curated question that has it, if one does."""
        wanted = [_loose(c) for c in case.contains]
        for i, question in enumerate(exhibit.questions):
            if any(all(w in _loose(t) for w in wanted) for _, t in question.answer.values()):
                return (
                    Location(_file(exhibit), f"questions[{i + 1}].ask.{lang}"),
                    f"The guide {did}; question {i + 1} has the answer: add this wording to the question's phrasings",
                )
        return (
            Location(_file(exhibit), "questions"),
            f"The guide {did}, without {', '.join(case.contains)}: add a curated question with this wording whose "
            "answer says it",
        )

    # -- built-in generic questions --------------------------------------------------------------------------

    def generic(self) -> Iterator[_Probe]:
        for question in self.builtin.generic:
            for lang in self.languages:
                for text in question.asks.get(lang):
                    judge = partial(self._judge_generic, question=question, text=text, lang=lang)
                    yield _Probe(Check.GENERIC, lang, text, judge)

    def _venue_facilities(self, question: GenericQuestion) -> list[int]:
        """The venue's facilities that answer a generic question: by id, or by the everyday words for it."""
        words = [normalise(w) for _, w in question.words.all()]
        words += [normalise(w) for f in question.facilities for ws in lx.FACILITY_WORDS.get(f, {}).values() for w in ws]
        found = []
        for i, facility in enumerate(self.pack.venue.facilities):
            names = [normalise(t) for _, t in (*facility.name.values(), *facility.aliases.all())]
            if facility.id in question.facilities or any(w and w in n for w in words for n in names):
                found.append(i)
        return found

    def _venue_rule(self, concept: str) -> int | None:
        """The venue rule about ``concept``, chosen as the mind chooses it: by id, else by its text."""
        rules = self.pack.venue.rules
        found = next((i for i, r in enumerate(rules) if r.id == concept or concept in r.id), None)
        if found is None and concept in lx.RULES:
            cue = lx.compile_cues(lx.RULES[concept])
            texts = [[(lang, normalise(t)) for lang, t in r.text.values()] for r in rules]
            found = next((i for i, t in enumerate(texts) if any(cue.find(x, lang) for lang, x in t)), None)
        return found

    def _judge_generic(self, answer: Answer, *, question: GenericQuestion, text: str, lang: str) -> Failure | None:
        venue = self.pack.venue
        if question.intent is Intent.FACILITY:
            found = self._venue_facilities(question)
            if answer.intent is Intent.FACILITY and any(venue.facilities[i].id == answer.facility for i in found):
                return None
            if not found:
                return self._not_covered(answer, question, text, lang, "facilities")
            facility = venue.facilities[found[0]]
            fix = Location(VENUE, f"facilities[{found[0] + 1}].aliases.{lang}")
            hint = (
                f"The guide {self.did(answer)}: add the visitor's word for it to the {self._en(facility.name)}'s "
                "aliases"
            )
            return Failure(Check.GENERIC, lang, text, f"facility {facility.id}", answer, Cause.WORDING, hint, fix)
        expected = question.intent.value
        if question.rule is not None:
            i = self._venue_rule(question.rule)
            if i is None:
                return self._not_covered(answer, question, text, lang, "rules")
            rule = venue.rules[i]
            if answer.intent is Intent.RULES and any(t in answer.text for _, t in rule.text.values()):
                return None
            expected, fix = f"rules {rule.id}", Location(VENUE, f"rules[{i + 1}].text.{lang}")
        elif answer.intent is question.intent:
            return None
        else:
            fix = Location(VENUE, {Intent.HOURS: "hours", Intent.TICKETS: "tickets"}.get(question.intent, ""))
        elsewhere, did = self._elsewhere(answer, lang), self.did(answer)
        if elsewhere is not None:
            cause, fix = Cause.CONFLICT, elsewhere
            hint = f"The guide {did}: a name or alias there takes this everyday question; make it more specific"
        else:
            cause = Cause.GUIDE
            hint = f"The guide {did}: its built-in words miss this question, and nothing in the pack decides it"
        return Failure(Check.GENERIC, lang, text, expected, answer, cause, hint, fix)

    def _not_covered(self, answer: Answer, question: GenericQuestion, text: str, lang: str, key: str) -> Failure:
        if answer.intent is Intent.FALLBACK:
            did = "will say it doesn't know"
        elif answer.intent is Intent.RULES:
            did = "can only read out the rules it has" if self.pack.venue.rules else "has no visiting rules to give"
        else:
            did = self.did(answer)
        a = "an" if question.label[:1].lower() in "aeiou" else "a"
        where = "facility in the venue settings" if key == "facilities" else "rule to the venue's rules"
        hint = f"The guide {did}: add {a} {question.label} {where} if you have one"
        expected = f"{question.intent.value}: the venue's {question.label}"
        return Failure(Check.GENERIC, lang, text, expected, answer, Cause.MISSING, hint, Location(VENUE, key))


__all__ = [
    "EVAL_FOLDERS",
    "BuiltinQuestions",
    "Cause",
    "Check",
    "CoverageReport",
    "Failure",
    "GenericQuestion",
    "Location",
    "Tally",
    "builtin_questions",
    "fill",
    "run_coverage",
]
