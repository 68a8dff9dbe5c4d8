"""The touch-only path: a visitor who never speaks browses the demo venue with real widgets and real clicks."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QScroller, QWidget
from pytestqt.qtbot import QtBot

from kiosk.content import Pack, load_pack
from kiosk.content.model import Direction
from kiosk.ui.art import distinct_colours, initials
from kiosk.ui.browse import BrowseScreen
from kiosk.ui.browse_pages import Page
from kiosk.ui.browse_text import STRINGS, fact_label, hear_text
from kiosk.ui.cards import ExhibitCard
from kiosk.ui.floormap import FloorMarker, floors_to_draw
from kiosk.ui.theme import MIN_TOUCH, Theme

TINY = Path(__file__).parent / "packs" / "tiny"
EXHIBIT = "houmuwu-ding"
GALLERY = "bronze-age"


@pytest.fixture
def theme(qapp: QApplication) -> Iterator[Theme]:
    theme = Theme(short_side=1080)
    qapp.setStyleSheet(theme.stylesheet())
    yield theme
    qapp.setStyleSheet("")


@pytest.fixture
def screen(qtbot: QtBot, demo_pack: Pack, theme: Theme) -> BrowseScreen:
    browse = BrowseScreen(demo_pack, "en", theme)
    qtbot.addWidget(browse)
    browse.resize(1080, 1920)
    browse.show()
    qtbot.waitExposed(browse)
    return browse


def page(screen: BrowseScreen) -> Page:
    current = screen.stack.currentWidget()
    assert isinstance(current, Page)
    return current


def texts(widget: QWidget) -> list[str]:
    """Text of every label the visitor can see (shown, though perhaps scrolled out of view)."""
    return [lab.text() for lab in widget.findChildren(QLabel) if lab.isVisible() and lab.text()]


def tap(qtbot: QtBot, screen: BrowseScreen, name: str) -> None:
    """Scroll the button into view and touch it, as a finger would (a real press and release on the widget)."""
    current = page(screen)
    button = current.findChild(QPushButton, name) or screen.findChild(QPushButton, name)
    assert button is not None, f"no button {name} on the {screen.current_page()} page"
    assert button.isVisible()
    current.ensureWidgetVisible(button)
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)


def walk_to_exhibit(qtbot: QtBot, screen: BrowseScreen) -> None:
    tap(qtbot, screen, "home:galleries")
    assert screen.current_page() == "galleries"
    tap(qtbot, screen, f"gallery:{GALLERY}")
    assert (screen.current_page(), screen.current_id()) == ("gallery", GALLERY)
    tap(qtbot, screen, f"exhibit:{EXHIBIT}")
    assert (screen.current_page(), screen.current_id()) == ("exhibit", EXHIBIT)


def test_visitor_walks_from_home_to_an_exhibit(qtbot: QtBot, screen: BrowseScreen, demo_pack: Pack) -> None:
    assert screen.current_page() == "home"
    assert not screen.back_button.isVisible()
    assert "Capital Heritage Hall" in texts(page(screen))
    walk_to_exhibit(qtbot, screen)
    shown = texts(page(screen))
    assert "Houmuwu Ding" in shown
    assert "Bronze Age · Floor 1" in shown
    assert "Bronze" in shown  # the material fact, as a readable row
    assert "Material" in shown
    exhibit = demo_pack.exhibit(EXHIBIT)
    assert exhibit is not None
    assert exhibit.summary.get("en") in shown
    assert exhibit.story[0].get("en") in shown
    assert screen.title_label.text() == "Bronze Age"
    assert screen.back_button.isVisible() and screen.home_button.isVisible()


def test_back_goes_up_the_venue_and_home_goes_home(qtbot: QtBot, screen: BrowseScreen) -> None:
    walk_to_exhibit(qtbot, screen)
    QTest.mouseClick(screen.back_button, Qt.MouseButton.LeftButton)
    assert (screen.current_page(), screen.current_id()) == ("gallery", GALLERY)
    QTest.mouseClick(screen.back_button, Qt.MouseButton.LeftButton)
    assert screen.current_page() == "galleries"
    tap(qtbot, screen, "gallery:brush-and-ink")
    QTest.mouseClick(screen.home_button, Qt.MouseButton.LeftButton)
    assert screen.current_page() == "home"
    assert not screen.back_button.isVisible()


def test_an_exhibit_opened_from_elsewhere_backs_out_to_its_gallery(screen: BrowseScreen) -> None:
    screen.show_exhibit("lantingji-xu")
    assert screen.current_page() == "exhibit"
    screen.go_back()
    assert (screen.current_page(), screen.current_id()) == ("gallery", "brush-and-ink")
    screen.show_exhibit("no-such-exhibit")
    assert screen.current_page() == "gallery"


def test_hear_it_speaks_the_summary_and_first_paragraph(qtbot: QtBot, screen: BrowseScreen, demo_pack: Pack) -> None:
    walk_to_exhibit(qtbot, screen)
    exhibit = demo_pack.exhibit(EXHIBIT)
    assert exhibit is not None
    with qtbot.waitSignal(screen.hear, timeout=1000) as blocker:
        tap(qtbot, screen, "hear")
    text, language = blocker.args
    assert language == "en"
    assert text.startswith(exhibit.summary.get("en") or "?")
    assert (exhibit.story[0].get("en") or "?") in text


def test_curated_question_and_ask_about_it_put_questions_to_the_guide(
    qtbot: QtBot, screen: BrowseScreen, demo_pack: Pack
) -> None:
    walk_to_exhibit(qtbot, screen)
    exhibit = demo_pack.exhibit(EXHIBIT)
    assert exhibit is not None
    first = exhibit.questions[0].asks.get("en")[0]
    button = page(screen).findChild(QPushButton, "question:0")
    assert button is not None and button.text() == first + "?"
    with qtbot.waitSignal(screen.ask, timeout=1000) as blocker:
        tap(qtbot, screen, "question:0")
    assert blocker.args == [first]
    with qtbot.waitSignal(screen.ask, timeout=1000) as blocker:
        tap(qtbot, screen, "ask_about")
    assert blocker.args == ["Tell me about Houmuwu Ding"]


def test_how_do_i_get_there_asks_the_app_and_shows_the_map(qtbot: QtBot, screen: BrowseScreen) -> None:
    walk_to_exhibit(qtbot, screen)
    route = page(screen).findChild(FloorMarker, "route")
    assert route is not None and not route.isVisible()
    with qtbot.waitSignal(screen.directions, timeout=1000) as blocker:
        tap(qtbot, screen, "where")
    assert blocker.args == [EXHIBIT]
    assert route.isVisible() and route.target == ("gallery", GALLERY)
    assert "To your left" in route.headline_label.text()


def test_changing_language_keeps_the_exhibit(qtbot: QtBot, screen: BrowseScreen, demo_pack: Pack) -> None:
    walk_to_exhibit(qtbot, screen)
    tap(qtbot, screen, "where")
    screen.set_language("zh")
    assert (screen.current_page(), screen.current_id()) == ("exhibit", EXHIBIT)
    shown = texts(page(screen))
    assert "后母戊鼎" in shown
    assert "青铜时代 · 1层" in shown
    assert "青铜" in shown and "材质" in shown
    assert screen.title_label.text() == "青铜时代"
    assert screen.back_button.text().endswith("返回")
    route = page(screen).findChild(FloorMarker, "route")
    assert route is not None and route.isVisible()  # the map the visitor opened stays open

    screen.set_language("ko")
    shown = texts(page(screen))
    assert "후모무정" in shown
    assert "청동기 시대 · 1층" in shown
    exhibit = demo_pack.exhibit(EXHIBIT)
    assert exhibit is not None
    assert exhibit.story[0].get("zh") in shown  # the demo has no Korean story: the venue's first language stands in
    with qtbot.waitSignal(screen.hear, timeout=1000) as blocker:
        tap(qtbot, screen, "hear")
    assert blocker.args == [exhibit.summary.get("ko"), "ko"]  # spoken in one voice: the Korean summary alone
    # Back still goes up the same way, in the new language.
    screen.go_back()
    assert screen.current_page() == "gallery" and screen.title_label.text() == "청동기 시대"


def test_missing_text_falls_back_to_the_venue_languages(qtbot: QtBot, theme: Theme) -> None:
    pack = load_pack(TINY)  # English and Chinese only
    browse = BrowseScreen(pack, "ko", theme)
    qtbot.addWidget(browse)
    browse.show()
    browse.show_exhibit("blue-vase")
    shown = texts(page(browse))
    assert "Blue Vase" in shown  # no Korean in this pack: the venue's first language
    assert "무게" in shown  # the interface's own words are still Korean


def test_visit_information_shows_hours_tickets_and_rules(qtbot: QtBot, screen: BrowseScreen, demo_pack: Pack) -> None:
    tap(qtbot, screen, "home:visit")
    assert screen.current_page() == "visit"
    venue = demo_pack.venue
    shown = texts(page(screen))
    assert venue.hours.text.get("en") in shown
    assert venue.hours.closed.get("en") in shown
    assert venue.tickets.text.get("en") in shown
    for rule in venue.rules:
        assert rule.text.get("en") in shown
    screen.set_language("zh")
    assert venue.hours.text.get("zh") in texts(page(screen))


def test_facilities_lists_every_facility_and_maps_one_on_tap(
    qtbot: QtBot, screen: BrowseScreen, demo_pack: Pack
) -> None:
    tap(qtbot, screen, "home:facilities")
    assert screen.current_page() == "facilities"
    shown = texts(page(screen))
    for facility in demo_pack.venue.facilities:
        name = facility.name.get("en") or ""
        assert name[:1].upper() + name[1:] in shown
        assert facility.where.get("en") in shown
    marker = page(screen).findChild(FloorMarker, "facility-map")
    assert marker is not None and not marker.isVisible()
    tap(qtbot, screen, "facility:cafe")
    assert marker.isVisible() and marker.target == ("facility", "cafe")
    assert "To your right" in marker.headline_label.text()
    screen.set_language("ko")  # the open map survives a language change
    marker = page(screen).findChild(FloorMarker, "facility-map")
    assert marker is not None and marker.isVisible() and "카페" in marker.headline_label.text()


def test_every_button_is_big_enough_to_touch(qtbot: QtBot, screen: BrowseScreen, theme: Theme) -> None:
    def check() -> int:
        buttons = [b for b in screen.findChildren(QPushButton) if b.isVisible()]
        for b in buttons:
            assert b.height() >= MIN_TOUCH, f"{b.objectName()} '{b.text()}' is {b.height()} px tall"
            assert b.width() >= MIN_TOUCH
        return len(buttons)

    for lang in ("en", "zh", "ko"):
        screen.set_language(lang)
        screen.show_home()
        assert check() >= 3
        for show in (screen.show_galleries, screen.show_visit, screen.show_facilities):
            show()
            qtbot.wait(1)
            check()
        screen.show_gallery("beijing-landmarks")
        qtbot.wait(1)
        assert check() >= 8
        screen.show_exhibit(EXHIBIT)
        qtbot.wait(1)
        assert check() >= 6
    assert screen.back_button.height() >= theme.touch


def test_screenshots_of_the_gallery_and_exhibit_pages(qtbot: QtBot, screen: BrowseScreen, tmp_path: Path) -> None:
    screen.show_gallery(GALLERY)
    qtbot.wait(10)
    screen.grab().save(str(tmp_path / "gallery.png"))
    walk = screen.current_page()
    screen.show_exhibit(EXHIBIT)
    qtbot.wait(10)
    screen.grab().save(str(tmp_path / "exhibit.png"))
    assert walk == "gallery"
    for name in ("gallery.png", "exhibit.png"):
        image = QImage(str(tmp_path / name))
        assert (image.width(), image.height()) == (1080, 1920)
        colours = {image.pixel(x, y) for y in range(0, image.height(), 8) for x in range(0, image.width(), 8)}
        assert len(colours) > 50, f"{name} looks blank: {len(colours)} colours"


def test_the_placeholder_is_drawn_in_the_gallery_colour(qtbot: QtBot, demo_pack: Pack, theme: Theme) -> None:
    cards = []
    for exhibit_id in (EXHIBIT, "lantingji-xu"):  # Bronze Age, Brush and Ink
        card = ExhibitCard(theme=theme)
        qtbot.addWidget(card)
        card.set_exhibit(demo_pack, exhibit_id, "en")
        card.resize(900, 800)
        card.show()
        qtbot.waitExposed(card)
        assert not card.picture.has_image
        assert card.picture.height() > 100
        cards.append(card.picture.grab().toImage())
    assert all(distinct_colours_of(image) > 20 for image in cards)
    middle = [image.pixel(image.width() // 5, image.height() // 2) for image in cards]
    assert middle[0] != middle[1]
    assert cards[0] != cards[1]


def distinct_colours_of(image: QImage) -> int:
    return len({image.pixel(x, y) for y in range(0, image.height(), 4) for x in range(0, image.width(), 4)})


def test_compact_card_and_a_real_image(qtbot: QtBot, demo_pack: Pack, theme: Theme) -> None:
    card = ExhibitCard(compact=True, theme=theme)
    qtbot.addWidget(card)
    card.set_exhibit(demo_pack, EXHIBIT, "zh")
    card.show()
    assert card.title_label.text() == "后母戊鼎"
    assert card.place_label.text() == "青铜时代 · 1层"
    assert not card.summary_label.isVisible()
    assert distinct_colours(card.picture.grab()) > 10
    card.set_exhibit(demo_pack, "nothing", "zh")
    assert card.exhibit_id is None and card.title_label.text() == ""

    tiny = load_pack(TINY)
    full = ExhibitCard(theme=theme)
    qtbot.addWidget(full)
    full.set_exhibit(tiny, "blue-vase", "en")
    assert full.picture.has_image
    assert full.summary_label.text() == "A blue-and-white vase."


def test_floor_marker_shows_floor_direction_and_route(qtbot: QtBot, demo_pack: Pack, theme: Theme) -> None:
    marker = FloorMarker(theme)
    qtbot.addWidget(marker)
    marker.set_target_gallery(demo_pack, "brush-and-ink", "en")
    marker.resize(400, 500)
    marker.show()
    model = marker.canvas.model
    assert model is not None
    assert (model.kiosk_floor, model.target_floor, model.direction) == (1, 2, Direction.UP)
    assert model.floors == (1, 2, 3)
    assert marker.headline_label.text() == "Brush and Ink · Floor 2 · Upstairs"
    assert "up one floor" in marker.route_label.text()
    assert distinct_colours(marker.canvas.grab()) > 10
    marker.set_target_facility(demo_pack, "wifi", "zh")
    assert marker.target == ("facility", "wifi") and marker.headline_label.text() == "无线网络"
    marker.clear()
    assert marker.target is None and marker.canvas.model is None


def test_floors_to_draw_keeps_a_tall_venue_readable() -> None:
    assert floors_to_draw({1, 2, 3}, 1, 2) == (1, 2, 3)
    assert floors_to_draw(set(range(-2, 12)), 1, 3) == (0, 1, 2, 3, 4)


def test_touches_count_as_activity(qtbot: QtBot, screen: BrowseScreen) -> None:
    with qtbot.waitSignal(screen.activity, timeout=1000):
        tap(qtbot, screen, "home:galleries")
    assert QScroller.hasScroller(page(screen).viewport())


def test_words_exist_in_every_language() -> None:
    for key, table in STRINGS.items():
        assert set(table) >= {"en", "zh", "ko"}, key
    assert fact_label("held_by", "zh") == "原件收藏"
    assert fact_label("opened_to_tourists", "en") == "Opened to tourists"
    assert fact_label("opened_to_tourists", "ko") is None
    assert initials("The Great Wall at Badaling") == "GW"
    assert initials("八达岭长城") == "八"


def test_hear_text_never_mixes_languages(demo_pack: Pack) -> None:
    exhibit = demo_pack.exhibit("badaling-great-wall")
    assert exhibit is not None and exhibit.story[0].get("ko") is None
    text, language = hear_text(demo_pack, exhibit, "ko")
    assert language == "ko" and text == exhibit.summary.get("ko")


def test_a_language_change_keeps_the_scroll_position(qtbot: QtBot, screen: BrowseScreen) -> None:
    screen.resize(1080, 864)  # the kiosk shows browse under the guide: less than the whole screen
    screen.show_exhibit("badaling-great-wall")
    qtbot.wait(10)
    page(screen).verticalScrollBar().setValue(600)
    screen.set_language("ko")
    qtbot.wait(10)
    assert page(screen).verticalScrollBar().value() == 600


def test_one_touch_is_one_activity(qtbot: QtBot, screen: BrowseScreen) -> None:
    seen: list[bool] = []
    screen.activity.connect(lambda: seen.append(True))
    tap(qtbot, screen, "home:visit")
    assert len(seen) == 1
    text = page(screen).findChildren(QLabel)[1]  # a label ignores the press: Qt offers it to each parent in turn
    QTest.mouseClick(text, Qt.MouseButton.LeftButton)
    assert screen.current_page() == "visit"
    assert len(seen) == 2
