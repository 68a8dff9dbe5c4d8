"""The guide's understanding: text and dialogue state in, an Answer (and the next state) out.

Pure: it reads the loaded pack and its index and nothing else; no files, audio, network or clock. Recording what
it could not answer is the caller's job (``Answer.answered`` and ``Answer.confidence`` say when).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

from kiosk.content.index import PackIndex
from kiosk.content.model import Exhibit, Pack
from kiosk.content.text import Text
from kiosk.content.tokens import normalise
from kiosk.mind import lexicon as lx
from kiosk.mind.answer import Answer, DialogueState, Intent, Turn
from kiosk.mind.compose import GESTURES, Composer
from kiosk.mind.features import MATCH_STOPWORDS, Features, Weights, features, overlap
from kiosk.mind.language import detect_language
from kiosk.mind.linking import Link, Linker, remove_alias
from kiosk.mind.prepared import ExhibitWork, work_for
from kiosk.mind.synonyms import canonical
from kiosk.mind.wording import (
    ANY_NUMBER,
    CONTENT_STOPWORDS,
    KIND_SHAPES,
    NUMBER_FACTS,
    PARTICLES,
    WHERE_FACTS,
    Passage,
    drop_spelled_names,
    floor_words,
)

CONFIDENT = 0.5
"""Below this the guide does not answer: it asks which exhibit is meant, or declines."""
LOW_CONFIDENCE = 0.65
"""Answers below this are recorded for curators, together with every fallback."""

_FACT_ORDER = (
    "found_by",
    "found_in",
    "found_at",
    "origin",
    "held_by",
    "age",
    "weight",
    "dimensions",
    "creator",
    "material",
    "date",
    "count",
    "period",
)
_CREATOR_VERBS = {
    "paint": "painted",
    "wrote": "written",
    "write": "written",
    "built": "built",
    "build": "built",
    "designed": "designed",
    "design": "designed",
    "cast": "cast",
    "carved": "carved",
    "constructed": "built",
    "drew": "drawn",
    "painted": "painted",
    "created": "created",
}
_ORDINALS = {
    0: ("first", "former", "第一", "前一", "前面", "첫", "처음", "앞의", "1"),
    1: ("second", "latter", "last", "第二", "后一", "后面", "두 번째", "둘째", "뒤의", "2"),
}


@dataclass(frozen=True)
class _Cues:
    where: lx.CompiledCues
    hours: lx.CompiledCues
    tickets: lx.CompiledCues
    rules_general: lx.CompiledCues
    permission: lx.CompiledCues
    greeting: lx.CompiledCues
    thanks: lx.CompiledCues
    goodbye: lx.CompiledCues
    help: lx.CompiledCues
    unsafe: lx.CompiledCues
    abuse: lx.CompiledCues
    out_of_scope: lx.CompiledCues
    more: lx.CompiledCues
    about: lx.CompiledCues
    pronouns: lx.CompiledCues
    facts: dict[str, lx.CompiledCues]
    rules: dict[str, lx.CompiledCues]


def _compile() -> _Cues:
    c = lx.compile_cues
    return _Cues(
        c(lx.WHERE),
        c(lx.HOURS),
        c(lx.TICKETS),
        c(lx.RULES_GENERAL),
        c(lx.PERMISSION),
        c(lx.GREETING),
        c(lx.THANKS),
        c(lx.GOODBYE),
        c(lx.HELP),
        c(lx.UNSAFE),
        c(lx.ABUSE),
        c(lx.OUT_OF_SCOPE),
        c(lx.MORE),
        c(lx.ABOUT),
        c(lx.PRONOUNS),
        {k: c(v) for k, v in lx.FACT_CUES.items()},
        {k: c(v) for k, v in lx.RULES.items()},
    )


class Mind:
    """Answers visitors' questions from one pack. Build once per pack; ``answer`` is fast and thread-safe."""

    def __init__(
        self,
        pack: Pack,
        index: PackIndex,
        *,
        default_language: str | None = None,
        prepared: Mapping[str, ExhibitWork] | None = None,
    ) -> None:
        """``prepared``: the work for the pack's exhibits by id, from :func:`kiosk.mind.prepared.prepare` on this
        very pack (it saves most of the time this takes); exhibits it lacks are worked out here."""
        self.pack = pack
        self.index = index
        self.default_language = default_language or pack.venue.default_language
        self.compose = Composer(pack)
        prepared = prepared or {}
        work = {e.id: prepared.get(e.id) or work_for(e, self.compose) for e in pack.exhibits}
        self.linker = Linker(pack, {exhibit_id: w.names for exhibit_id, w in work.items()})
        self.cues = _compile()
        self._questions: dict[str, list[tuple[int, str, Features]]] = {}
        self._sentences: dict[str, list[Passage]] = {}
        self._vocab: dict[str, tuple[frozenset[str], frozenset[str]]] = {}
        docs: list[Features] = []
        for exhibit in pack.exhibits:
            done = work[exhibit.id]
            qs = list(done.questions)
            self._questions[exhibit.id] = qs
            docs.extend(f for _, _, f in qs)
            passages = list(done.passages)
            every = [p.features for p in passages] + list(done.names)
            self._vocab[exhibit.id] = (
                frozenset().union(*(f.words for f in every)),
                frozenset().union(*(f.pairs for f in every)),
            )
            self._sentences[exhibit.id] = passages
            docs.extend(p.features for p in passages)
        self.weights = Weights(docs)

    # -- the turn --------------------------------------------------------------------------------------------

    def answer(self, text: str, state: DialogueState | None = None) -> Turn:
        state = state or DialogueState()
        language = detect_language(text, self.pack.languages, state.language or self.default_language)
        turn = self._answer(text, state, language)
        answer = turn.answer
        return Turn(
            answer,
            replace(turn.state, language=answer.language if answer.answered else language, turns=state.turns + 1),
        )

    def _answer(self, text: str, state: DialogueState, lang: str) -> Turn:
        spelled = self.linker.spell(text)
        if not re.search(r"\w", spelled):
            return self._line(Intent.FALLBACK, "not_heard", lang, state, 0.0, "empty")
        query = features(spelled)
        links = self.linker.link(query)
        exhibits = [lk for lk in links if lk.kind == "exhibit"]
        galleries = [lk for lk in links if lk.kind == "gallery"]
        facilities = [lk for lk in links if lk.kind == "facility"]
        top = exhibits[0] if exhibits else None
        rest = remove_alias(spelled, top.alias) if top and top.score >= CONFIDENT else spelled
        c = self.cues

        if c.unsafe.find(rest, lang) or c.unsafe.find(normalise(text), lang):
            return self._line(Intent.FALLBACK, "unsafe", lang, state, 0.9, "unsafe")
        resolved = self._resolve_option(spelled, state)
        if resolved is not None:
            top = Link("exhibit", resolved, 1.0, "", True)
            exhibits = [top]
        fact_kind = self._fact_kind(rest, lang)
        social = self._social(rest, lang)
        pronoun = c.pronouns.find(rest, lang)
        # A weak, fuzzy match never outweighs the exhibit under discussion or a plain social phrase.
        if (
            top is not None
            and not top.exact
            and top.score < (0.75 if social else 0.6)
            and (social or (state.exhibit and (fact_kind or pronoun or c.more.find(rest, lang))))
        ):
            top = None
            rest = spelled
        strong = top is not None and (top.exact or top.score >= 0.75)
        strong_entity = strong or any(lk.score >= 0.75 for lk in facilities)
        if c.out_of_scope.find(rest, lang) and not strong_entity:
            return self._line(Intent.FALLBACK, "out_of_scope", lang, state, 0.9, "out-of-scope")
        if c.abuse.find(rest, lang) and not strong_entity:
            return self._line(Intent.FALLBACK, "abuse", lang, state, 0.8, "abuse")

        where = c.where.find(rest, lang)
        permission = c.permission.find(rest, lang)
        rule = self._rule(rest, lang)
        facility = facilities[0] if facilities and facilities[0].score >= 0.6 else None
        exhibit_in_query = top is not None and top.score >= CONFIDENT
        if (
            exhibit_in_query
            and facility is not None
            and top is not None
            and top.score >= facility.score
            and not (where and facility.exact and not top.exact)
        ):
            facility = None

        # Visiting rules: "can I take photos?", "are dogs allowed?"
        if rule and (permission or rule in ("photos", "pets")) and not (where and facility) and not strong:
            return self._rules(rule, lang, state)
        if facility is not None and not (exhibit_in_query and fact_kind):
            return self._facility(facility, lang, state)
        if not strong:
            if c.hours.find(rest, lang) and not (fact_kind and state.exhibit and pronoun):
                return self._venue_text(Intent.HOURS, lang, state, rest)
            if (
                c.tickets.find(rest, lang)
                and not (fact_kind and state.exhibit)
                and self._search_content(rest, lang, minimum=0.75, min_features=3) is None
            ):
                return self._venue_text(Intent.TICKETS, lang, state, rest)
            if c.rules_general.find(rest, lang) and rule is None and re.search(r"rule|规定|规则|须知|규칙", rest):
                return self._rules(None, lang, state)
        floor = self.linker.floor(rest)
        gallery = galleries[0] if galleries and galleries[0].score >= 0.75 else None
        if not exhibit_in_query and gallery is not None and (where or not state.exhibit or gallery.exact):
            return self._gallery(gallery.ref, lang, state, gallery.score)
        if not exhibit_in_query and floor is not None and where:
            return self._floor(floor, lang, state)
        if social and not exhibit_in_query:
            return self._social_turn(social, lang, state)
        if c.help.find(rest, lang) and not exhibit_in_query:
            return self._line(Intent.HELP, "help", lang, state, 0.9, "help")

        # Which exhibit: named now, offered in a clarifying question, found in the content, or under discussion.
        exhibit_id: str | None = None
        confidence = 0.0
        from_context = False
        if exhibit_in_query and top is not None:
            second = exhibits[1] if len(exhibits) > 1 else None
            if (
                not top.exact
                and second is not None
                and second.score >= CONFIDENT
                and top.score - second.score < 0.08
                and not fact_kind
            ):
                return self._clarify(top.ref, second.ref, lang, state)
            exhibit_id, confidence = top.ref, top.score
        elif state.exhibit and (fact_kind or where or pronoun or c.more.find(rest, lang) or c.about.find(rest, lang)):
            exhibit_id, confidence, from_context = state.exhibit, 0.9, True
        else:
            # Found by its story, not its name: good for "what's the camel with the band", too loose for "where is".
            found = None if where else self._search_content(rest, lang)
            if found is not None:
                exhibit_id, confidence = found
                rest = spelled
            elif state.exhibit and self._specific(self.pack.exhibit(state.exhibit), rest, lang, None) is not None:
                exhibit_id, confidence, from_context = state.exhibit, 0.75, True

        if exhibit_id is None:
            if fact_kind or c.more.find(rest, lang):
                return self._line(Intent.FALLBACK, "which_exhibit", lang, state, 0.3, "which-exhibit")
            weak = top.score if top else 0.0
            return self._line(
                Intent.FALLBACK, "out_of_scope" if weak < 0.34 else "fallback", lang, state, weak, "not-understood"
            )

        exhibit = self.pack.exhibit(exhibit_id)
        if exhibit is None:  # pragma: no cover - links come from the pack
            return self._line(Intent.FALLBACK, "fallback", lang, state, 0.0, "missing")
        new_state = replace(state, exhibit=exhibit.id, options=())
        if (
            where
            and fact_kind not in WHERE_FACTS
            and (
                floor_words(rest)
                or self._specific(exhibit, self._without_names(rest, exhibit), lang, fact_kind, minimum=0.6) is None
            )
        ):
            return self._exhibit_directions(exhibit, lang, new_state, confidence)
        return self._about_exhibit(exhibit, rest, lang, new_state, confidence, fact_kind, from_context, spelled)

    def _content(self, rest: str, lang: str) -> Features:
        """The question's own words: without the exhibit's name, cue phrases, stopwords and particles."""
        return features(self._content_text(rest, lang), CONTENT_STOPWORDS)

    def _content_text(self, rest: str, lang: str) -> str:
        text = rest
        c = self.cues
        for cues in (c.where, c.more, c.about, c.pronouns, c.permission, *c.facts.values()):
            for _ in range(3):
                cue = cues.find(text, lang)
                if not cue:
                    break
                text = text.replace(cue, " ")
        return PARTICLES.sub(" ", canonical(text))

    def _search_content(
        self, rest: str, lang: str, minimum: float = 0.6, min_features: int = 1
    ) -> tuple[str, float] | None:
        """An exhibit the question describes by its story rather than its name ("the camel with the band")."""
        content = self._content(rest, lang)
        if len(content.words) + len(content.pairs) < min_features:
            return None
        hits = self.index.search(" ".join(sorted(content.words | content.pairs)), limit=40, prefix=True)
        scores: dict[str, float] = {}
        for hit in hits:
            if hit.exhibit:
                scores[hit.exhibit] = max(scores.get(hit.exhibit, 0.0), hit.score)
        if not scores:
            return None
        # Rank the index's best few by relevance times how much of the question each exhibit's texts cover.
        ranked = sorted(scores.items(), key=lambda kv: -kv[1])[:5]
        combined = sorted(
            ((score * self._covered(ex, content), ex) for ex, score in ranked if ex in self._vocab), reverse=True
        )
        if not combined:
            return None
        score, best = combined[0]
        runner_up = combined[1][0] if len(combined) > 1 else 0.0
        covered = self._covered(best, content)
        if (score >= 1.4 * runner_up and covered >= minimum) or (score >= 2.0 * runner_up and covered >= 0.45):
            return best, round(min(0.7, 0.4 + covered * 0.3), 3)
        return None

    def _covered(self, exhibit_id: str, content: Features) -> float:
        """How much of the question's own words the exhibit's texts (in any language) contain."""
        words, cjk_pairs = self._vocab[exhibit_id]
        total = self.weights.sum(content.words) + self.weights.sum(content.pairs)
        if total <= 0:
            return 0.0
        found = {w for w in content.words if w in words or (len(w) >= 4 and any(v.startswith(w) for v in words))}
        return (self.weights.sum(found) + self.weights.sum(content.pairs & cjk_pairs)) / total

    # -- exhibits --------------------------------------------------------------------------------------------

    def _about_exhibit(
        self,
        exhibit: Exhibit,
        rest: str,
        lang: str,
        state: DialogueState,
        link: float,
        fact_kind: str | None,
        from_context: bool,
        full: str = "",
    ) -> Turn:
        detail = self._without_names(rest if from_context else full, exhibit)
        curated = self._curated(exhibit, rest)
        if curated is not None and (curated[1] >= 0.6 or (curated[1] >= 0.45 and not fact_kind)):
            index, score = curated
            text, used = self.compose.pick(exhibit.questions[index].answer, lang)
            return self._exhibit_turn(
                exhibit, self.compose.note(lang, used) + text, used, state, link * min(1.0, 0.5 + score), "curated"
            )
        specific = self._specific(exhibit, detail, lang, fact_kind)
        typed = next((k for k in lx.FACT_SOURCES.get(fact_kind or "", ()) if exhibit.fact(k) is not None), None)
        if specific is not None and (typed is None or self._beats_typed(exhibit, typed, detail, lang, specific[1])):
            text, score, used, reason = specific
            return self._exhibit_turn(exhibit, text, used, state, link * min(1.0, 0.6 + score / 2), reason)
        if typed is not None:
            verb = next((v for k, v in _CREATOR_VERBS.items() if k in rest), "made")
            sentence = self.compose.fact(exhibit, typed, lang, verb=verb, pronoun=from_context)
            fact = exhibit.fact(typed)
            used = fact.value.pick(lang, self.pack.languages)[1] if fact else lang
            return self._exhibit_turn(exhibit, sentence, used, state, link, f"fact:{typed}")
        if fact_kind:
            name = self.compose.name(exhibit, lang)
            return self._exhibit_turn(
                exhibit,
                self.compose.line("unknown_fact", lang, name=name),
                lang,
                state,
                link * 0.8,
                f"unknown-fact:{fact_kind}",
            )
        if self.cues.more.find(rest, lang) and (from_context or not self.cues.about.find(rest, lang)):
            return self._more(exhibit, lang, state, link)
        summary, used = self.compose.pick(exhibit.summary, lang)
        return self._exhibit_turn(exhibit, self.compose.note(lang, used) + summary, used, state, link, "summary")

    def _specific(
        self, exhibit: Exhibit | None, rest: str, lang: str, fact_kind: str | None, minimum: float = 0.45
    ) -> tuple[str, float, str, str] | None:
        """The free fact or story sentence that best answers the question's own words: (text, score, lang, reason)."""
        if exhibit is None:
            return None
        content = features(self._content_text(rest, lang), CONTENT_STOPWORDS)
        total = (
            self.weights.sum(content.words) + self.weights.sum(content.pairs) + 0.5 * self.weights.sum(content.chars)
        )
        shape = KIND_SHAPES.get(fact_kind or "")
        if total <= 0 and shape is None:
            return None
        need_number = fact_kind in NUMBER_FACTS
        if need_number:
            minimum = min(minimum, 0.3)
        best: tuple[float, str, str, str] | None = None
        for passage in self._sentences.get(exhibit.id, ()):
            if passage.language != lang:
                continue
            if need_number and not ANY_NUMBER.search(passage.text):
                continue
            f = passage.features
            found = (
                self.weights.sum(content.words & f.words)
                + self.weights.sum(content.pairs & f.pairs)
                + 0.5 * self.weights.sum(content.chars & f.chars)
            )
            score = found / total if total > 0 else 0.0
            if shape is not None and shape.search(passage.text):
                score += 0.3  # the sentence has the shape of the answer: "at 18", "800 figures"
            if best is None or score > best[0]:
                best = (score, passage.text, passage.language, passage.reason)
        if best is None or best[0] < minimum:
            return None
        return best[1], round(best[0], 3), best[2], best[3]

    def _without_names(self, text: str, exhibit: Exhibit) -> str:
        """The question without the exhibit's names and the aliases that are forms of a name ("hou mu wu").

        An alias unlike every name says what is asked ("七七事变" for the Lugou Bridge), so it stays; so does an
        alias when removing it leaves nothing asked.
        """
        names = [normalise(name) for _, name in exhibit.name.values()]
        for name in names:
            text = remove_alias(text, name)
        name_features = [features(n) for n in names]
        compact = "".join(f.compact for f in name_features)
        without = text
        for _, alias in sorted(exhibit.aliases.all(), key=lambda a: -len(a[1])):
            a = features(normalise(alias))
            if a.compact in compact or any(a.words & f.words or a.pairs & f.pairs for f in name_features):
                without = remove_alias(without, normalise(alias))
        without = drop_spelled_names(without, compact)
        return without if re.search(r"\w", without) else text

    def _beats_typed(self, exhibit: Exhibit, typed: str, rest: str, lang: str, score: float) -> bool:
        """A story sentence beats the typed fact only when the question says more than the fact's kind."""
        content = self._content(rest, lang)
        if score < 0.6 or len(content.words) + len(content.pairs) < 2:
            return False
        fact = exhibit.fact(typed)
        if fact is None:
            return True
        value = features(fact.value.pick(lang, self.pack.languages)[0])
        total = self.weights.sum(content.words) + self.weights.sum(content.pairs)
        shared = self.weights.sum(content.words & value.words) + self.weights.sum(content.pairs & value.pairs)
        return shared / total < 0.5 if total else True

    def _more(self, exhibit: Exhibit, lang: str, state: DialogueState, link: float) -> Turn:
        position = state.next_paragraph(exhibit.id)
        if position >= len(exhibit.story):
            name = self.compose.name(exhibit, lang)
            return self._exhibit_turn(exhibit, self.compose.line("no_more", lang, name=name), lang, state, link, "end")
        text, used = self.compose.pick(exhibit.story[position], lang)
        return self._exhibit_turn(
            exhibit,
            self.compose.note(lang, used) + text,
            used,
            state.told(exhibit.id, position),
            link,
            f"story:{position + 1}",
        )

    def _exhibit_turn(
        self, exhibit: Exhibit, text: str, language: str, state: DialogueState, confidence: float, reason: str
    ) -> Turn:
        answer = Answer(
            Intent.EXHIBIT,
            text,
            language,
            round(confidence, 3),
            exhibit=exhibit.id,
            gallery=exhibit.gallery,
            gesture="none",
            reason=reason,
        )
        return Turn(answer, state)

    def _exhibit_directions(self, exhibit: Exhibit, lang: str, state: DialogueState, link: float) -> Turn:
        gallery = self.pack.venue.gallery(exhibit.gallery)
        if gallery is None:  # pragma: no cover - the validator guarantees the gallery exists
            return self._line(Intent.FALLBACK, "fallback", lang, state, 0.0, "no-gallery")
        text = self.compose.directions(gallery, lang, exhibit)
        answer = Answer(
            Intent.DIRECTIONS,
            text,
            lang,
            round(link, 3),
            exhibit=exhibit.id,
            gallery=gallery.id,
            gesture=GESTURES[gallery.direction],
            reason="directions",
        )
        return Turn(answer, state)

    def _curated(self, exhibit: Exhibit, rest: str) -> tuple[int, float] | None:
        query = features(rest, MATCH_STOPWORDS)
        if not query:
            return None
        best: tuple[int, float] | None = None
        for index, _lang, ask in self._questions.get(exhibit.id, ()):
            score = overlap(query, ask, self.weights)
            if best is None or score > best[1]:
                best = (index, score)
        return best

    def _facility(self, link: Link, lang: str, state: DialogueState) -> Turn:
        facility = self.pack.venue.facility(link.ref)
        if facility is None:  # pragma: no cover
            return self._line(Intent.FALLBACK, "fallback", lang, state, 0.0, "missing")
        text, used = self.compose.pick(facility.where, lang)
        answer = Answer(
            Intent.FACILITY,
            self.compose.note(lang, used) + text,
            used,
            round(link.score, 3),
            facility=facility.id,
            gesture=GESTURES[facility.direction],
            reason="facility",
        )
        return Turn(answer, state)

    def _gallery(self, gallery_id: str, lang: str, state: DialogueState, score: float) -> Turn:
        gallery = self.pack.venue.gallery(gallery_id)
        if gallery is None:  # pragma: no cover
            return self._line(Intent.FALLBACK, "fallback", lang, state, 0.0, "missing")
        listing = self.compose.gallery_listing(gallery, lang)
        text = self.compose.directions(gallery, lang) + ("" if lang == "zh" or not listing else " ") + listing
        answer = Answer(
            Intent.DIRECTIONS,
            text.strip(),
            lang,
            round(score, 3),
            gallery=gallery.id,
            gesture=GESTURES[gallery.direction],
            reason="gallery",
        )
        return Turn(answer, state)

    def _floor(self, floor: int, lang: str, state: DialogueState) -> Turn:
        galleries = [g for g in self.pack.venue.galleries if g.floor == floor]
        if not galleries:
            return self._line(Intent.FALLBACK, "fallback", lang, state, 0.4, "no-such-floor")
        text = " ".join(self.compose.directions(g, lang) for g in galleries)
        answer = Answer(
            Intent.DIRECTIONS,
            text,
            lang,
            0.9,
            gallery=galleries[0].id,
            gesture=GESTURES[galleries[0].direction],
            reason="floor",
        )
        return Turn(answer, state)

    def _venue_text(self, intent: Intent, lang: str, state: DialogueState, rest: str) -> Turn:
        venue = self.pack.venue
        if intent is Intent.HOURS:
            parts: list[Text] = [venue.hours.text, venue.hours.closed]
            if re.search(r"monday|周一|星期一|礼拜一|월요일|closed|闭馆|休馆|휴관", rest):
                parts.reverse()
        else:
            parts = [venue.tickets.text]
        texts = [self.compose.pick(t, lang) for t in parts if t]
        used = texts[0][1] if texts else lang
        body = (" " if used != "zh" else "").join(t for t, _ in texts)
        answer = Answer(intent, self.compose.note(lang, used) + body, used, 0.9, reason=intent.value)
        return Turn(answer, state)

    def _rule(self, rest: str, lang: str) -> str | None:
        for concept, cues in self.cues.rules.items():
            if cues.find(rest, lang):
                return concept
        return None

    def _rules(self, concept: str | None, lang: str, state: DialogueState) -> Turn:
        rules = self.pack.venue.rules
        chosen = [r for r in rules if concept and (r.id == concept or concept in r.id)]
        if concept and not chosen:
            cue = self.cues.rules[concept]
            chosen = [r for r in rules if any(cue.find(normalise(t), code) for code, t in r.text.values())]
        texts = [self.compose.pick(r.text, lang)[0] for r in (chosen or rules)]
        joiner = "" if lang == "zh" else " "
        body = joiner.join(texts)
        if not chosen:
            body = self.compose.line("rules_all", lang) + body
        answer = Answer(Intent.RULES, body, lang, 0.9 if chosen else 0.7, reason=f"rules:{concept or 'all'}")
        return Turn(answer, state)

    # -- conversation ----------------------------------------------------------------------------------------

    def _social(self, rest: str, lang: str) -> str | None:
        if self.cues.goodbye.find(rest, lang):
            return "goodbye"
        if self.cues.thanks.find(rest, lang):
            return "thanks"
        if re.search(r"how are you|你好吗|最近好吗|잘 지내", rest):
            return "how_are_you"
        if self.cues.greeting.find(rest, lang):
            return "greeting"
        return None

    def _social_turn(self, kind: str, lang: str, state: DialogueState) -> Turn:
        gesture = "wave" if kind in ("greeting", "goodbye") else "nod"
        if kind == "goodbye":
            state = DialogueState(language=lang)
        text = self.compose.line(kind, lang)
        return Turn(Answer(Intent.SOCIAL, text, lang, 0.95, gesture=gesture, reason=kind), state)

    def _clarify(self, a: str, b: str, lang: str, state: DialogueState) -> Turn:
        ea, eb = self.pack.exhibit(a), self.pack.exhibit(b)
        if ea is None or eb is None:  # pragma: no cover
            return self._line(Intent.FALLBACK, "fallback", lang, state, 0.0, "missing")
        text = self.compose.line("clarify", lang, a=self.compose.name(ea, lang), b=self.compose.name(eb, lang))
        answer = Answer(Intent.FALLBACK, text, lang, 0.45, reason="clarify")
        return Turn(answer, replace(state, options=(a, b)))

    def _resolve_option(self, spelled: str, state: DialogueState) -> str | None:
        if not state.options:
            return None
        for i, words in _ORDINALS.items():
            if i < len(state.options) and any(w in spelled for w in words):
                return state.options[i]
        return None

    def _fact_kind(self, rest: str, lang: str) -> str | None:
        for kind in _FACT_ORDER:
            if self.cues.facts[kind].find(rest, lang):
                return kind
        return None

    def _line(self, intent: Intent, key: str, lang: str, state: DialogueState, confidence: float, reason: str) -> Turn:
        return Turn(Answer(intent, self.compose.line(key, lang), lang, round(confidence, 3), reason=reason), state)


__all__ = ["CONFIDENT", "LOW_CONFIDENCE", "Mind"]
