"""The demo venue carries every exhibit id of the brief with its key facts in Chinese, English and Korean."""

from __future__ import annotations

import pytest

from kiosk.content import Pack

GALLERIES = {
    "bronze-age": (
        1,
        1,
        ["houmuwu-ding", "four-goat-zun", "zeng-bells", "bronze-galloping-horse", "changxin-palace-lamp"],
    ),
    "jade-clay-fire": (
        2,
        1,
        ["jade-burial-suit", "terracotta-army", "tang-sancai-camel", "ru-ware", "yuan-blue-white"],
    ),
    "brush-and-ink": (3, 2, ["qingming-scroll", "thousand-li-scroll", "lantingji-xu"]),
    "beijing-landmarks": (
        4,
        2,
        [
            "forbidden-city",
            "temple-of-heaven",
            "badaling-great-wall",
            "summer-palace",
            "peking-man",
            "lugou-bridge",
            "central-axis",
            "grand-canal",
        ],
    ),
    "living-heritage": (5, 3, ["peking-opera", "cloisonne", "hutong-siheyuan"]),
}

# One number or name per exhibit that must appear in its facts (zh and en) and its story (zh and en).
KEY_FACTS = {
    "houmuwu-ding": ("832.84", "832.84"),
    "four-goat-zun": ("58.3", "58.3"),
    "zeng-bells": ("65", "65"),
    "bronze-galloping-horse": ("1969", "1969"),
    "changxin-palace-lamp": ("48", "48"),
    "jade-burial-suit": ("2498", "2,498"),
    "terracotta-army": ("1974", "1974"),
    "qingming-scroll": ("张择端", "Zhang Zeduan"),
    "thousand-li-scroll": ("王希孟", "Wang Ximeng"),
    "lantingji-xu": ("王羲之", "Wang Xizhi"),
    "tang-sancai-camel": ("58.4", "58.4"),
    "ru-ware": ("宝丰", "Baofeng"),
    "yuan-blue-white": ("景德镇", "Jingdezhen"),
    "forbidden-city": ("1420", "1420"),
    "temple-of-heaven": ("38", "38"),
    "badaling-great-wall": ("1505", "1505"),
    "summer-palace": ("728", "728"),
    "peking-man": ("裴文中", "Pei Wenzhong"),
    "lugou-bridge": ("501", "501"),
    "central-axis": ("7.8", "7.8"),
    "grand-canal": ("1794", "1,794"),
    "peking-opera": ("梅兰芳", "Mei Lanfang"),
    "cloisonne": ("景泰", "Jingtai"),
    "hutong-siheyuan": ("四合院", "siheyuan"),
}

FACILITIES = ["restroom", "cafe", "shop", "lockers", "wheelchair", "exit", "wifi", "lost-found", "first-aid"]


def test_galleries_floors_and_exhibits(demo_pack: Pack) -> None:
    for gallery_id, (number, floor, exhibit_ids) in GALLERIES.items():
        gallery = demo_pack.venue.gallery(gallery_id)
        assert gallery is not None and (gallery.number, gallery.floor) == (number, floor)
        assert sorted(e.id for e in demo_pack.exhibits if e.gallery == gallery_id) == sorted(exhibit_ids)
    assert len(demo_pack.exhibits) == 24


@pytest.mark.parametrize("exhibit_id", sorted(KEY_FACTS))
def test_exhibit_has_key_fact_in_every_language(demo_pack: Pack, exhibit_id: str) -> None:
    exhibit = demo_pack.exhibit(exhibit_id)
    assert exhibit is not None
    for field in (exhibit.name, exhibit.summary):
        assert set(field.languages) == {"zh", "en", "ko"}
    for fact in exhibit.facts:
        assert set(fact.value.languages) == {"zh", "en", "ko"}, fact.key
    assert set(exhibit.aliases.languages) == {"zh", "en", "ko"}
    zh, en = KEY_FACTS[exhibit_id]
    facts_zh = " ".join(f.value.get("zh") or "" for f in exhibit.facts).replace(",", "")
    facts_en = " ".join(f.value.get("en") or "" for f in exhibit.facts).lower()
    story_zh = " ".join(p.get("zh") or "" for p in exhibit.story).replace(",", "")
    story_en = " ".join(p.get("en") or "" for p in exhibit.story).lower()
    en = en.lower()
    assert zh.replace(",", "") in facts_zh + (exhibit.name.get("zh") or "")
    assert zh.replace(",", "") in story_zh + (exhibit.name.get("zh") or "")
    assert en in facts_en + (exhibit.name.get("en") or "").lower() or en.replace(",", "") in facts_en
    assert en in story_en or en.replace(",", "") in story_en


def test_original_location_is_told(demo_pack: Pack) -> None:
    museum_pieces = [e for e in demo_pack.exhibits if e.gallery in ("bronze-age", "jade-clay-fire", "brush-and-ink")]
    for exhibit in museum_pieces:
        assert exhibit.fact("held_by") is not None, exhibit.id


def test_venue_facts(demo_pack: Pack) -> None:
    venue = demo_pack.venue
    assert [f.id for f in venue.facilities][: len(FACILITIES)] == FACILITIES
    assert venue.hours.open_days == ("tue", "wed", "thu", "fri", "sat", "sun")
    assert (venue.hours.opens, venue.hours.closes, venue.hours.last_entry) == ("09:00", "17:00", "16:00")
    assert "Monday" in (venue.hours.closed.get("en") or "")
    assert "free" in (venue.tickets.text.get("en") or "").lower()
    wifi = venue.facility("wifi")
    assert wifi is not None and "Heritage-Guest" in (wifi.where.get("en") or "")
    assert {r.id for r in venue.rules} == {"photos", "food", "pets", "touch"}
    for facility in venue.facilities:
        assert set(facility.name.languages) == {"zh", "en", "ko"}
        assert set(facility.where.languages) == {"zh", "en", "ko"}
