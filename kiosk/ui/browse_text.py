"""Words of the touch screens (browse pages, exhibit cards, floor markers) and the small helpers that pick them.

Registered into :mod:`kiosk.ui.strings` with a ``browse_`` prefix, so no other screen's keys collide with them.
"""

from __future__ import annotations

from kiosk.content.model import TYPED_FACT_KEYS, Direction, Exhibit, Fact, Pack
from kiosk.content.text import Text, TextList
from kiosk.ui.strings import register, t

_FACT_LABELS: dict[str, tuple[str, str, str]] = {
    # Typed facts (kiosk.content.model.TYPED_FACT_KEYS): every pack may use them.
    "period": ("Period", "时代", "시대"),
    "date": ("Date", "年代", "연대"),
    "creator": ("Made by", "制作者", "만든 이"),
    "material": ("Material", "材质", "재료"),
    "dimensions": ("Size", "尺寸", "크기"),
    "weight": ("Weight", "重量", "무게"),
    "found_at": ("Found at", "出土地点", "발견 장소"),
    "found_in": ("Found in", "发现时间", "발견 시기"),
    "found_by": ("Found by", "发现者", "발견자"),
    "held_by": ("Original kept by", "原件收藏", "원본 소장처"),
    # Free facts that many packs use; any other free key shows in English only (see fact_rows).
    "location": ("Location", "位置", "위치"),
    "height": ("Height", "高度", "높이"),
    "length": ("Length", "长度", "길이"),
    "area": ("Area", "面积", "면적"),
    "count": ("Number", "数量", "수량"),
    "unesco": ("UNESCO", "世界遗产", "유네스코"),
    "owner": ("Owner", "所有者", "소유"),
    "also_known_as": ("Also known as", "别名", "다른 이름"),
    "subject": ("Subject", "题材", "주제"),
    "technique": ("Technique", "工艺", "기법"),
    "style": ("Style", "风格", "양식"),
    "script": ("Script", "书体", "서체"),
    "origin": ("Origin", "起源", "기원"),
    "use": ("Use", "用途", "용도"),
    "purpose": ("Purpose", "用途", "목적"),
    "kiln": ("Kiln", "窑口", "가마"),
    "glaze": ("Glaze", "釉色", "유약"),
    "decoration": ("Decoration", "纹饰", "장식"),
    "made_at": ("Made at", "制作地点", "제작지"),
    "named_after": ("Named after", "得名", "이름의 유래"),
    "rebuilt": ("Rebuilt", "重建", "재건"),
    "destroyed": ("Destroyed", "被毁", "소실"),
}

_DIRECTIONS: dict[Direction, tuple[str, str, str]] = {
    Direction.LEFT: ("To your left", "向左走", "왼쪽으로"),
    Direction.RIGHT: ("To your right", "向右走", "오른쪽으로"),
    Direction.AHEAD: ("Straight ahead", "向前走", "앞으로"),
    Direction.BEHIND: ("Behind you", "在您身后", "뒤쪽으로"),
    Direction.UP: ("Upstairs", "上楼", "위층으로"),
    Direction.DOWN: ("Downstairs", "下楼", "아래층으로"),
}

STRINGS: dict[str, dict[str, str]] = {
    "browse_visit_info": {"en": "Visit information", "zh": "参观信息", "ko": "관람 안내"},
    "browse_galleries_detail": {
        "en": "{n} galleries on {floors} floors",
        "zh": "{floors}层楼，{n}个展厅",
        "ko": "{floors}개 층, 전시실 {n}곳",
    },
    "browse_visit_detail": {
        "en": "Opening hours, tickets and visitor rules",
        "zh": "开放时间、门票和参观须知",
        "ko": "관람 시간, 입장권, 관람 규칙",
    },
    "browse_and_more": {"en": "{items} and more", "zh": "{items}等", "ko": "{items} 등"},
    "browse_list_sep": {"en": ", ", "zh": "、", "ko": ", "},
    "browse_gallery_n": {"en": "Gallery {n}", "zh": "第{n}展厅", "ko": "제{n}전시실"},
    "browse_one_exhibit": {"en": "1 exhibit", "zh": "1件展品", "ko": "전시품 1점"},
    "browse_story": {"en": "The story", "zh": "背后的故事", "ko": "이야기"},
    "browse_facts": {"en": "At a glance", "zh": "基本信息", "ko": "한눈에 보기"},
    "browse_questions": {"en": "Visitors often ask", "zh": "观众常问", "ko": "자주 묻는 질문"},
    "browse_getting_there": {"en": "Getting there", "zh": "怎么走", "ko": "찾아가는 길"},
    "browse_ask_exhibit": {"en": "Tell me about {name}", "zh": "给我讲讲{name}", "ko": "{name}에 대해 알려 주세요"},
    "browse_tap_facility": {
        "en": "Tap a place to see where it is.",
        "zh": "点击一项，查看它在哪里。",
        "ko": "항목을 누르면 위치가 보여요.",
    },
    "browse_this_floor": {"en": "This floor", "zh": "本层", "ko": "이 층"},
    "browse_every_floor": {"en": "Every floor", "zh": "每层都有", "ko": "모든 층"},
    "browse_question_mark": {"en": "?", "zh": "？", "ko": "?"},
}
for _key, (_en, _zh, _ko) in _FACT_LABELS.items():
    STRINGS[f"browse_fact_{_key}"] = {"en": _en, "zh": _zh, "ko": _ko}
for _direction, (_en, _zh, _ko) in _DIRECTIONS.items():
    STRINGS[f"browse_dir_{_direction.value}"] = {"en": _en, "zh": _zh, "ko": _ko}
register(STRINGS)


def pick(text: Text, lang: str, pack: Pack) -> str:
    """``text`` in ``lang``, else in the venue's languages in order (``Text.pick``)."""
    return text.pick(lang, pack.languages)[0]


def pick_phrase(phrases: TextList, lang: str, pack: Pack) -> tuple[str, str]:
    """The first phrasing in ``lang``, else in the venue's languages in order: (phrase, its language)."""
    for language in (lang, *pack.languages, *phrases.languages):
        found = phrases.get(language)
        if found:
            return found[0], language
    return "", lang


def display(text: str) -> str:
    """A name as a heading: venue texts may start lower-case ("restrooms", "café")."""
    return text[:1].upper() + text[1:]


def as_question(phrase: str, lang: str) -> str:
    """A curated phrasing as the button shows it, with the question mark packs leave out."""
    phrase = phrase.strip()
    return phrase if not phrase or phrase[-1] in "?？!！.。" else phrase + t("browse_question_mark", lang)


def direction_text(direction: Direction, lang: str) -> str:
    return "" if direction == Direction.NONE else t(f"browse_dir_{direction.value}", lang)


def fact_label(key: str, lang: str) -> str | None:
    """The fact's label in ``lang``: built in for typed facts and common free ones; other free keys get a label
    made from the key in English only (a Chinese page saying "Opened to tourists" reads as broken), else None."""
    if key in _FACT_LABELS:
        return t(f"browse_fact_{key}", lang)
    return key.replace("_", " ").replace("-", " ").capitalize() if lang == "en" else None


def fact_rows(pack: Pack, exhibit: Exhibit, lang: str) -> list[tuple[str, str]]:
    """(label, value) for every fact that has a label in ``lang``: typed facts first, in their usual order."""
    ordered: list[Fact] = [f for k in TYPED_FACT_KEYS if (f := exhibit.fact(k)) is not None]
    ordered += [f for f in exhibit.facts if not f.typed]
    rows = []
    for fact in ordered:
        label = fact_label(fact.key, lang)
        value = pick(fact.value, lang, pack)
        if label and value:
            rows.append((label, display(value)))
    return rows


def hear_text(pack: Pack, exhibit: Exhibit, lang: str) -> tuple[str, str]:
    """What "Hear it" speaks: the summary and the first story paragraph, in one language (the summary's, so a
    paragraph missing in the visitor's language is left out rather than read with the wrong voice)."""
    summary, language = exhibit.summary.pick(lang, pack.languages)
    parts = [summary]
    if exhibit.story and (first := exhibit.story[0].get(language)):
        parts.append(first)
    return ("" if language == "zh" else " ").join(p.strip() for p in parts if p.strip()), language


def ask_about_text(pack: Pack, exhibit: Exhibit, lang: str) -> str:
    """The question "Ask about it" puts to the guide, in the visitor's language: "Tell me about the Houmuwu Ding"."""
    name = pick(exhibit.name, lang, pack)
    if lang == "en" and name.startswith("The "):
        name = "the " + name[4:]
    return t("browse_ask_exhibit", lang, name=name)


def exhibit_count(pack: Pack, gallery_id: str, lang: str) -> str:
    n = sum(1 for e in pack.exhibits if e.gallery == gallery_id)
    return t("browse_one_exhibit", lang) if n == 1 else t("exhibits_in", lang, n=n)


def joined(items: list[str], lang: str) -> str:
    return t("browse_list_sep", lang).join(items)


__all__ = [
    "STRINGS",
    "as_question",
    "ask_about_text",
    "direction_text",
    "display",
    "exhibit_count",
    "fact_label",
    "fact_rows",
    "hear_text",
    "joined",
    "pick",
    "pick_phrase",
]
