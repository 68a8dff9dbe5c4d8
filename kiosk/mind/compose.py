"""Sentences the guide says, per language: fact templates, directions, and the built-in lines a venue may override
in content/phrases.yaml. Only facts from the pack are ever put into them."""

from __future__ import annotations

import re

from kiosk.content.model import Direction, Exhibit, Gallery, Pack
from kiosk.content.text import Text

_THE_THE = re.compile(r"\bthe (?=(?:The|A|An) )")
"""The article of a built-in English line ("about the {example}") before a name that brings its own ("The Great
Wall at Badaling")."""

# Built-in lines; {venue} and {example} are filled in. A venue's phrases.yaml replaces any of them.
DEFAULT_LINES: dict[str, dict[str, str]] = {
    "greeting": {
        "en": "Hello! I'm the guide of {venue}. Ask me about an exhibit, the way to a gallery, opening hours or tickets.",
        "zh": "您好！我是{venue}的导览员。您可以问我展品、展厅怎么走、开放时间或门票。",
        "ko": "안녕하세요! 저는 {venue} 안내원입니다. 전시품, 전시실 가는 길, 관람 시간이나 입장권에 대해 물어보세요.",
    },
    "how_are_you": {
        "en": "I'm very well, thank you! What would you like to know about {venue}?",
        "zh": "我很好，谢谢！您想了解{venue}的什么呢？",
        "ko": "잘 지내요, 감사합니다! {venue}에 대해 무엇이 궁금하세요?",
    },
    "thanks": {
        "en": "You're welcome! Is there anything else you'd like to know?",
        "zh": "不客气！您还想了解什么吗？",
        "ko": "천만에요! 더 궁금하신 것이 있으세요?",
    },
    "goodbye": {
        "en": "Goodbye, and enjoy your visit!",
        "zh": "再见，祝您参观愉快！",
        "ko": "안녕히 가세요. 즐거운 관람 되세요!",
    },
    "help": {
        "en": "I can tell you about the exhibits here, such as the {example}, show you the way to any gallery or "
        "facility, and answer questions about opening hours, tickets and the rules. Just ask!",
        "zh": "我可以为您介绍这里的展品，比如{example}，告诉您去各个展厅和设施的路，也可以回答开放时间、门票和参观须知的问题。请随时问我！",
        "ko": "여기 있는 전시품(예: {example})을 소개하고, 전시실과 편의 시설 가는 길, 관람 시간, 입장권, 관람 규칙을 "
        "안내해 드릴 수 있어요. 편하게 물어보세요!",
    },
    "out_of_scope": {
        "en": "Sorry, I can only help with {venue}: its exhibits, directions, opening hours, tickets and facilities. "
        "You could ask me about the {example}, for example.",
        "zh": "抱歉，我只能回答关于{venue}的问题：展品、路线、开放时间、门票和设施。比如，您可以问我{example}。",
        "ko": "죄송하지만 저는 {venue}에 관한 것만 도와드릴 수 있어요. 전시품, 길 안내, 관람 시간, 입장권, 편의 시설에 "
        "대해 물어보세요. 예를 들어 {example}에 대해 물어보셔도 좋아요.",
    },
    "fallback": {
        "en": "Sorry, I'm not sure what you mean. You can ask me about an exhibit, a gallery, opening hours or tickets.",
        "zh": "抱歉，我没有听明白。您可以问我展品、展厅、开放时间或门票。",
        "ko": "죄송해요, 잘 이해하지 못했어요. 전시품, 전시실, 관람 시간이나 입장권에 대해 물어보세요.",
    },
    "not_heard": {
        "en": "Sorry, I didn't catch that. Could you say it again?",
        "zh": "抱歉，我没听清楚，您能再说一遍吗？",
        "ko": "죄송해요, 잘 못 들었어요. 다시 한 번 말씀해 주시겠어요?",
    },
    "unsafe": {
        "en": "I can't help with that. If you need help, please ask any member of staff or go to the service desk.",
        "zh": "这个我帮不了您。如果需要帮助，请找任何一位工作人员或前往服务台。",
        "ko": "그 일은 도와드릴 수 없어요. 도움이 필요하시면 직원이나 안내 데스크에 말씀해 주세요.",
    },
    "abuse": {
        "en": "I'm sorry I couldn't help. I'm happy to tell you about the exhibits whenever you like.",
        "zh": "抱歉没能帮到您。您随时可以问我关于展品的问题。",
        "ko": "도움이 되지 못해 죄송해요. 언제든 전시품에 대해 물어보세요.",
    },
    "which_exhibit": {
        "en": "Which exhibit do you mean? You can say its name, for example the {example}.",
        "zh": "您问的是哪件展品呢？可以告诉我它的名字，比如{example}。",
        "ko": "어느 전시품을 말씀하시는 건가요? 이름을 말씀해 주세요. 예를 들어 {example}.",
    },
    "clarify": {
        "en": "Do you mean the {a} or the {b}?",
        "zh": "您是指{a}还是{b}？",
        "ko": "{a}을(를) 말씀하시나요, 아니면 {b}인가요?",
    },
    "no_more": {
        "en": "That's all I have about the {name}. Would you like to hear about another exhibit?",
        "zh": "关于{name}我就介绍到这里。想听听其他展品吗？",
        "ko": "{name}에 대해서는 여기까지예요. 다른 전시품 이야기도 들어 보시겠어요?",
    },
    "unknown_fact": {
        "en": "I'm sorry, I don't have that information about the {name}. I can tell you what it is, where it is, "
        "or its story.",
        "zh": "抱歉，我没有关于{name}这方面的资料。我可以为您介绍它是什么、在哪里，或者讲讲它的故事。",
        "ko": "죄송해요, {name}에 대한 그 정보는 없어요. 무엇인지, 어디에 있는지, 또는 그 이야기를 들려드릴 수 있어요.",
    },
    "language_note": {
        "en": "(This part is not available in English, so here it is in {language}.) ",
        "zh": "（这部分内容暂无中文，以下为{language}。）",
        "ko": "(이 내용은 한국어 자료가 없어 {language}(으)로 안내합니다.) ",
    },
    "rules_all": {"en": "Here are our visiting rules: ", "zh": "参观须知：", "ko": "관람 규칙은 다음과 같습니다. "},
}

LANGUAGE_NAMES = {
    "en": {"en": "English", "zh": "英文", "ko": "영어"},
    "zh": {"en": "Chinese", "zh": "中文", "ko": "중국어"},
    "ko": {"en": "Korean", "zh": "韩文", "ko": "한국어"},
}

FACT_TEMPLATES: dict[str, dict[str, str]] = {
    "weight": {"en": "{Name} weighs {v}.", "zh": "{name}重{v}。", "ko": "{name}의 무게는 {v}입니다."},
    "dimensions": {"en": "{Name} is {v}.", "zh": "{name}的尺寸：{v}。", "ko": "{name}의 크기는 {v}입니다."},
    "period": {"en": "{Name} dates from {v}.", "zh": "{name}属于{v}。", "ko": "{name}의 시대는 {v}입니다."},
    "date": {"en": "{Name} dates from {v}.", "zh": "{name}的年代是{v}。", "ko": "{name}의 연대는 {v}입니다."},
    "creator": {
        "en": "{Name} was {verb} by {v}.",
        "zh": "{name}出自{v}之手。",
        "ko": "{name}{eul} 만든 사람은 {v}입니다.",
    },
    "material": {"en": "{Name} is made of {v}.", "zh": "{name}是用{v}制成的。", "ko": "{name}의 재료는 {v}입니다."},
    "found_at": {
        "en": "{Name} was found at {v}.",
        "zh": "{name}发现于{v}。",
        "ko": "{name}{eun} {v}에서 발견되었습니다.",
    },
    "found_in": {
        "en": "{Name} was found {on} {v}.",
        "zh": "{name}是在{v}发现的。",
        "ko": "{name}{eun} {v}에 발견되었습니다.",
    },
    "found_by": {
        "en": "{Name} was found by {v}.",
        "zh": "{name}是由{v}发现的。",
        "ko": "{name}{eul} 발견한 사람은 {v}입니다.",
    },
    "held_by": {
        "en": "The original is kept in {v}.",
        "zh": "{name}的原件收藏在{v}。",
        "ko": "원본은 {v}에 소장되어 있습니다.",
    },
    "free": {"en": "{Name}: {v}.", "zh": "{name}：{v}。", "ko": "{name}: {v}."},
}

GESTURES = {
    Direction.LEFT: "point-left",
    Direction.RIGHT: "point-right",
    Direction.UP: "point-up",
    Direction.DOWN: "point-down",
    Direction.AHEAD: "point-ahead",
    Direction.BEHIND: "point-behind",
    Direction.NONE: "none",
}


def has_batchim(word: str) -> bool:
    """Whether a Korean word ends in a final consonant (chooses 은/는, 을/를)."""
    for ch in reversed(word):
        if "\uac00" <= ch <= "\ud7a3":
            return (ord(ch) - 0xAC00) % 28 != 0
        if ch.isalnum():
            return ch in "013678lmnLMN"
    return False


class Composer:
    """Fills the templates with the pack's own texts."""

    def __init__(self, pack: Pack) -> None:
        self.pack = pack
        self.languages = pack.languages
        self._example = pack.exhibits[0] if pack.exhibits else None

    def pick(self, text: Text, language: str) -> tuple[str, str]:
        """A pack text in ``language``, else the venue's first language (with the text's own language)."""
        return text.pick(language, self.languages)

    def line(self, key: str, language: str, **values: str) -> str:
        custom = self.pack.phrases.get(key)
        if custom:
            text, _ = self.pick(custom[0], language)
            if text:
                return text
        table = DEFAULT_LINES[key]
        template = table.get(language) or table["en"]
        venue, _ = self.pick(self.pack.venue.name, language)
        example = ""
        if self._example is not None:
            example, _ = self.pick(self._example.name, language)
        return _THE_THE.sub("", template.format(venue=venue, example=example, **values))

    def name(self, exhibit: Exhibit, language: str) -> str:
        text, _ = self.pick(exhibit.name, language)
        return text

    def fact(self, exhibit: Exhibit, key: str, language: str, *, verb: str = "made", pronoun: bool = False) -> str:
        fact = exhibit.fact(key)
        if fact is None:
            return ""
        value, used = self.pick(fact.value, language)
        template_key = key if key in FACT_TEMPLATES else "free"
        name = self.name(exhibit, used)
        if used == "en" and pronoun and template_key != "free":
            subject = "It"
        else:
            subject = name[0].upper() + name[1:] if name else name
        template = FACT_TEMPLATES[template_key].get(used) or FACT_TEMPLATES[template_key]["en"]
        on = "on" if re.match(r"^\d{1,2} [A-Z]", value) else "in"
        if used == "en" and template_key == "found_in" and not re.match(r"^(\d|about|around|the|early|late)", value):
            on = "in"
        sentence = template.format(
            Name=subject,
            name=name,
            v=value.rstrip("."),
            verb=verb,
            on=on,
            eun="은" if has_batchim(name) else "는",
            eul="을" if has_batchim(name) else "를",
        )
        return self.note(language, used) + sentence

    def note(self, wanted: str, used: str) -> str:
        if wanted == used:
            return ""
        table = DEFAULT_LINES["language_note"]
        template = table.get(wanted)
        if template is None:
            return ""
        return template.format(language=LANGUAGE_NAMES.get(used, {}).get(wanted, used))

    def directions(self, gallery: Gallery, language: str, exhibit: Exhibit | None = None) -> str:
        gallery_name, used = self.pick(gallery.name, language)
        route, _ = self.pick(gallery.route, used)
        if used == "zh":
            head = f"第{gallery.number}展厅“{gallery_name}”在{gallery.floor}层。"
            if exhibit is not None:
                head = f"{self.name(exhibit, used)}在第{gallery.number}展厅“{gallery_name}”，位于{gallery.floor}层。"
        elif used == "ko":
            head = f"제{gallery.number}전시실 '{gallery_name}'은 {gallery.floor}층에 있습니다."
            if exhibit is not None:
                name = self.name(exhibit, used)
                particle = "은" if has_batchim(name) else "는"
                head = f"{name}{particle} {gallery.floor}층 제{gallery.number}전시실 '{gallery_name}'에 있습니다."
        else:
            head = f"Gallery {gallery.number}, {gallery_name}, is on floor {gallery.floor}."
            if exhibit is not None:
                name = self.name(exhibit, used)
                head = f"{name[0].upper() + name[1:]} is in Gallery {gallery.number}, {gallery_name}, on floor {gallery.floor}."
        return self.note(language, used) + head + ("" if used == "zh" else " ") + route

    def gallery_listing(self, gallery: Gallery, language: str) -> str:
        names = [self.name(e, language) for e in self.pack.exhibits if e.gallery == gallery.id][:8]
        if not names:
            return ""
        if language == "zh":
            return "这里展出" + "、".join(names) + "。"
        if language == "ko":
            return "이곳에서는 " + ", ".join(names) + " 등을 볼 수 있습니다."
        return "There you can see " + ", ".join(names[:-1]) + (" and " if len(names) > 1 else "") + names[-1] + "."


__all__ = ["DEFAULT_LINES", "FACT_TEMPLATES", "GESTURES", "Composer", "has_batchim"]
