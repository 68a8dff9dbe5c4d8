"""Follow-up questions to offer as buttons after an answer: only questions the pack itself can answer.

An exhibit answer offers that exhibit's curated questions (the ones not just answered) and the way to it; anything
else offers questions about a few exhibits and the venue. Every suggestion is a question the guide answers from the
pack, so a tap never leads to "I don't know". Pure: pack and answer in, questions out.
"""

from __future__ import annotations

from kiosk.content.model import Exhibit, Pack
from kiosk.mind.answer import Answer, Intent

WHERE = {"en": "Where is the {name}?", "zh": "{name}在哪里？", "ko": "{name}은 어디에 있어요?"}
HOURS = {"en": "When are you open?", "zh": "开放时间是几点？", "ko": "관람 시간이 어떻게 돼요?"}
TICKETS = {"en": "Do I need a ticket?", "zh": "需要门票吗？", "ko": "입장권이 필요해요?"}
TOILETS = {"en": "Where are the toilets?", "zh": "洗手间在哪里？", "ko": "화장실은 어디에 있어요?"}
MORE = {"en": "Tell me more", "zh": "再多讲一些", "ko": "더 알려 주세요"}
ABOUT = {"en": "Tell me about the {name}", "zh": "介绍一下{name}", "ko": "{name}에 대해 알려 주세요"}


def _curated(exhibit: Exhibit, language: str, skip: str) -> list[str]:
    out = []
    for question in exhibit.questions:
        asks = question.asks.get(language)
        if asks and asks[0] != skip and question.answer.get(language) != skip:
            out.append(asks[0])
    return out


def _line(table: dict[str, str], language: str, **values: str) -> str:
    template = table.get(language) or table["en"]
    name = values.get("name", "")
    if name[:4].lower() == "the " and "the {name}" in template:  # "the The Great Wall at Badaling"
        template = template.replace("the {name}", "{name}")
    return template.format(**values)


def suggestions(pack: Pack, answer: Answer, language: str, *, limit: int = 3, turn: int = 0) -> tuple[str, ...]:
    """Up to ``limit`` follow-up questions in ``language`` after ``answer``; ``turn`` varies the general ones."""
    out: list[str] = []
    exhibit = pack.exhibit(answer.exhibit) if answer.exhibit else None
    if exhibit is not None:
        name = exhibit.name.pick(language, pack.languages)[0]
        if any(p.get(language) for p in exhibit.story) and answer.intent is Intent.EXHIBIT:
            out.append(_line(MORE, language))
        out.extend(_curated(exhibit, language, answer.text)[:2])
        if answer.intent is not Intent.DIRECTIONS:
            out.append(_line(WHERE, language, name=name))
    elif answer.intent in (Intent.DIRECTIONS, Intent.FACILITY):
        out.extend([_line(HOURS, language), _line(TICKETS, language)])
    if len(out) < limit and pack.exhibits:
        n = len(pack.exhibits)
        for i in range(limit):
            other = pack.exhibits[(turn * 7 + i * 5) % n]
            if exhibit is None or other.id != exhibit.id:
                out.append(_line(ABOUT, language, name=other.name.pick(language, pack.languages)[0]))
    if answer.intent is not Intent.FACILITY:
        out.append(_line(TOILETS, language))
    seen: list[str] = []
    for question in out:
        if question not in seen:
            seen.append(question)
    return tuple(seen[:limit])


__all__ = ["suggestions"]
