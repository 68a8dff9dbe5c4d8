"""``kiosk pack new``: a small, valid, commented pack a curator can start from."""

from __future__ import annotations

from pathlib import Path

from kiosk.errors import ContentError

_SAMPLE = {
    "venue": {"en": "My Museum", "zh": "我的博物馆", "ko": "나의 박물관"},
    "about": {"en": "A short description of the venue.", "zh": "场馆的简短介绍。", "ko": "박물관 소개를 짧게 씁니다."},
    "hours": {
        "en": "We are open Tuesday to Sunday, 9:00 to 17:00.",
        "zh": "本馆周二至周日9:00至17:00开放。",
        "ko": "화요일부터 일요일까지 오전 9시부터 오후 5시까지 엽니다.",
    },
    "tickets": {"en": "Admission is free.", "zh": "免费参观。", "ko": "입장은 무료입니다."},
    "gallery": {"en": "Gallery One", "zh": "第一展厅", "ko": "제1전시실"},
    "route": {"en": "It is on this floor, to your left.", "zh": "就在本层，向左走。", "ko": "이 층 왼쪽에 있습니다."},
    "restroom": {"en": "restrooms", "zh": "洗手间", "ko": "화장실"},
    "restroom_where": {
        "en": "The restrooms are beside the lifts.",
        "zh": "洗手间在电梯旁边。",
        "ko": "화장실은 엘리베이터 옆에 있습니다.",
    },
    "exhibit": {"en": "First Exhibit", "zh": "第一件展品", "ko": "첫 번째 전시품"},
    "summary": {
        "en": "One or two sentences about the exhibit.",
        "zh": "用一两句话介绍这件展品。",
        "ko": "전시품을 한두 문장으로 소개합니다.",
    },
    "story": {"en": "A paragraph of its story.", "zh": "关于它的一段故事。", "ko": "전시품에 얽힌 이야기 한 단락."},
    "material": {"en": "bronze", "zh": "青铜", "ko": "청동"},
}


def _block(key: str, languages: list[str], indent: int) -> str:
    pad = " " * indent
    return "".join(f"{pad}{lang}: {_SAMPLE[key].get(lang, _SAMPLE[key]['en'])}\n" for lang in languages)


def new_pack(target: Path, languages: list[str], venue_id: str = "my-museum") -> list[Path]:
    """Create a new pack folder at ``target``. Refuses to write into a folder that already has files."""
    if target.exists() and any(target.iterdir()):
        raise ContentError(f"{target} already exists and is not empty; choose a new folder name")
    langs = ", ".join(languages)
    files = {
        "content/venue.yaml": (
            "# The venue. Every text is given once per language; the first language is the default.\n"
            f"id: {venue_id}\n"
            f"languages: [{langs}]\n"
            "name:\n"
            + _block("venue", languages, 2)
            + "about:\n"
            + _block("about", languages, 2)
            + "kiosk:\n  floor: 1\n"
            'hours:\n  open_days: [tue, wed, thu, fri, sat, sun]\n  opens: "09:00"\n  closes: "17:00"\n'
            "  text:\n"
            + _block("hours", languages, 4)
            + "tickets:\n  text:\n"
            + _block("tickets", languages, 4)
            + "galleries:\n  - id: gallery-one\n    number: 1\n    floor: 1\n    direction: left\n"
            "    name:\n"
            + _block("gallery", languages, 6)
            + "    route:\n"
            + _block("route", languages, 6)
            + "facilities:\n  - id: restroom\n    direction: behind\n"
            "    name:\n" + _block("restroom", languages, 6) + "    where:\n" + _block("restroom_where", languages, 6)
        ),
        "exhibits/first-exhibit.yaml": (
            "# One exhibit. The file name must be the id followed by .yaml.\n"
            "id: first-exhibit\n"
            "gallery: gallery-one\n"
            "name:\n"
            + _block("exhibit", languages, 2)
            + "summary:\n"
            + _block("summary", languages, 2)
            + "story:\n  - "
            + _block("story", languages, 4).lstrip()
            + "facts:\n  material:\n"
            + _block("material", languages, 4)
        ),
    }
    written: list[Path] = []
    for rel, text in files.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    (target / "exhibits" / "media").mkdir(exist_ok=True)
    (target / "avatars").mkdir(exist_ok=True)
    return written


__all__ = ["new_pack"]
