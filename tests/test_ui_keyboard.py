"""The on-screen keyboard: Hangul composition and pinyin lookup as pure logic, then real keys tapped with pytest-qt."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QEventLoop, Qt
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from kiosk.ui import keyboard_layouts as kl
from kiosk.ui import pinyin_data
from kiosk.ui.hangul import COMPOUND_VOWELS, DOUBLE_FINALS, HangulComposer, compose, syllable
from kiosk.ui.keyboard import OnScreenKeyboard
from kiosk.ui.keyboard_layouts import Action
from kiosk.ui.pinyin import PinyinIndex, PinyinInput, normalise, prepare, shared_index
from kiosk.ui.theme import MIN_TOUCH, Theme

VENUE = ["后母戊鼎", "金缕玉衣", "故宫", "清明上河图"]

# -- Hangul: the 2-beolsik automaton ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("keys", "text"),
    [
        ("ㅎㅜㅁㅗㅁㅜㅈㅓㅇ", "후모무정"),
        ("ㅇㅓㄷㅣㅇㅔㅇㅛ", "어디에요"),
        ("ㄷㅏㄹㄱ", "닭"),
        ("ㄱㅏㅂㅅㅇㅣ", "값이"),
        ("ㄱㅏㄱ", "각"),
        ("ㄱㅏㄱㅏ", "가가"),  # the final moves on to the next syllable
        ("ㄷㅏㄹㄱㅏ", "달가"),  # a double final splits
        ("ㅂㅏㄹㅂㅂ", "밟ㅂ"),
        ("ㅎㅏㄴㄱㅡㄹ ㅇㅣㅂㄴㅣㄷㅏ", "한글 입니다"),
        ("ㅎㅘㅈㅏㅇㅅㅣㄹ", "화장실"),
        ("ㅎㅗㅏㅈㅏㅇㅅㅣㄹㅇㅡㄴ ㅇㅓㄷㅣㅇㅔㅇㅛ?", "화장실은 어디에요?"),
        ("ㅂㅏㄱㅁㅜㄹㄱㅘㄴ", "박물관"),
        ("ㅇㅡㅣㅈㅏ", "의자"),
        ("ㄷㅏㄸㅏ", "다따"),  # ㄸ cannot be a final
        ("ㅆㅏㅆ", "쌌"),  # ㅆ can
        ("ㅏㅏ", "ㅏㅏ"),  # lone vowels
        ("ㄱㄴ", "ㄱㄴ"),  # lone consonants
        ("ㄱㅏㄱ\b", "가"),
        ("ㄱㅗㅏ\b", "고"),  # backspace undoes the compound vowel, not the syllable
        ("ㄷㅏㄹㄱ\b\b\b", "ㄷ"),
        ("ㄱㅏㄱㅏ\b\b", "가"),  # the first syllable was finished when the final moved on
        ("ㄱㅏㄱㅏ\b\b\b", ""),
        ("ㅎㅣㅎ", "힣"),
    ],
)
def test_compose(keys: str, text: str) -> None:
    assert compose(keys) == text


def test_every_compound_vowel_and_double_final() -> None:
    for (a, b), vowel in COMPOUND_VOWELS.items():
        assert compose("ㅇ" + a + b) == syllable("ㅇ", vowel)
        assert compose("ㅇ" + a + b + "\b") == syllable("ㅇ", a)
    for (a, b), final in DOUBLE_FINALS.items():
        assert compose("ㅇㅏ" + a + b) == syllable("ㅇ", "ㅏ", final)
        assert compose("ㅇㅏ" + a + b + "ㅏ") == syllable("ㅇ", "ㅏ", a) + syllable(b, "ㅏ")
        assert compose("ㅇㅏ" + a + b + "\b") == syllable("ㅇ", "ㅏ", a)


def test_backspace_takes_off_one_jamo_at_a_time() -> None:
    composer = HangulComposer()
    assert [composer.feed(j) for j in "ㄷㅏㄹㄱ"] == ["", "", "", ""]
    shown = [composer.preedit]
    while composer.backspace():
        shown.append(composer.preedit)
    assert shown == ["닭", "달", "다", "ㄷ", ""]
    assert not composer.composing


def test_feed_answers_the_finished_text() -> None:
    composer = HangulComposer()
    assert [composer.feed(j) for j in "ㄱㅏㄱㅏ"] == ["", "", "", "가"]
    assert composer.preedit == "가"
    assert composer.feed(".") == "가."
    assert composer.preedit == ""


def test_syllable_arithmetic() -> None:
    assert syllable("ㄱ", "ㅏ") == "가"
    assert syllable("ㅎ", "ㅏ", "ㄴ") == "한"
    assert syllable("ㅎ", "ㅣ", "ㅎ") == "힣"


# -- pinyin: readings, the index, the venue's names --------------------------------------------------------------------


@pytest.fixture(scope="module")
def index() -> PinyinIndex:
    return shared_index()


def texts(index: PinyinIndex, typed: str, vocabulary: list[str] | None = None) -> list[str]:
    return [c.text for c in PinyinInput(vocabulary or [], index).candidates(typed)]


def test_toneless_and_normalise() -> None:
    assert pinyin_data.toneless("zhōng") == "zhong"
    assert pinyin_data.toneless("lǜ") == "lv"
    assert pinyin_data.toneless("ḿ") == "m"
    assert normalise("Xi'an ü!") == "xi'anv"


def test_common_words(index: PinyinIndex) -> None:
    assert "故宫" in texts(index, "gugong")[:3]
    assert texts(index, "xishoujian")[0] == "洗手间"
    assert "你" in texts(index, "ni")[:5]
    assert texts(index, "bowuguan")[0] == "博物馆"
    assert "银行" in texts(index, "yinhang")[:3]  # a phrase's own reading: hang, not xing
    assert "音乐" in texts(index, "yinyue")[:3]
    assert "洗手间" in texts(index, "xsj")[:10]  # initials only (新世纪 and 学术界 are more common)
    assert "洗手间" in texts(index, "xishouj")[:3]  # full syllables then an initial


def test_apostrophe_splits_syllables(index: PinyinIndex) -> None:
    assert texts(index, "xi'an")[0] == "西安"
    assert len(texts(index, "xian")[0]) == 1  # without it, xian is one syllable first


def test_a_candidate_may_stand_for_the_first_syllables_only(index: PinyinIndex) -> None:
    first = PinyinInput([], index).candidates("nihaoma")[0]
    assert (first.text, first.consumed) == ("你好", 5)
    assert not first.from_vocabulary


def test_venue_names_come_first(index: PinyinIndex) -> None:
    assert texts(index, "hmwd", VENUE)[0] == "后母戊鼎"
    assert texts(index, "houmuwuding", VENUE)[0] == "后母戊鼎"
    assert texts(index, "houmu", VENUE)[0] == "后母戊鼎"  # a prediction from the first syllables
    assert texts(index, "jinlv", VENUE)[0] == "金缕玉衣"
    assert texts(index, "gugong", VENUE)[0] == "故宫"
    assert texts(index, "qmshetu", VENUE)[0] == "清明上河图"
    assert texts(index, "hmwd")[0] != "后母戊鼎"  # not a common word: the vocabulary put it first
    name = PinyinInput(VENUE, index).candidates("gugongzai")[0]
    assert (name.text, name.consumed, name.from_vocabulary) == ("故宫", 6, True)


def test_vocabulary_skips_what_it_cannot_read(index: PinyinIndex) -> None:
    engine = PinyinInput(["T-Rex 化石", "", "鼎"], index)
    assert engine.candidates("ding")[0].text == "鼎"
    assert engine.candidates("") == []
    assert engine.candidates("!!") == []


def test_every_keystroke_of_a_question_offers_candidates(index: PinyinIndex) -> None:
    engine = PinyinInput(VENUE, index)
    for typed in ["gugong", "xishoujian", "hmwd", "zhongguoren", "qingwenxishoujianzainali"]:
        for end in range(1, len(typed) + 1):  # every keystroke, as typed
            assert engine.candidates(typed[:end]), f"nothing offered for {typed[:end]!r}"


def test_the_index_files_words_by_first_letters() -> None:
    table = pinyin_data.build()
    index = PinyinIndex(table)
    assert len(index) > 100_000
    assert ("故宫" in {w for _, w, _ in table.entries("gg")}) and table.entries("zzz-none") == []
    hang = {w: s for _, w, s in table.entries("yh")}
    assert hang["银行"] == "yin hang" and "银行" not in {w for _, w, _ in table.entries("yx")}  # 行 may be xing
    assert [w for _, w, _ in table.entries("x")][:3] != [w for _, w, _ in table.entries("j")][:3]


# -- the keyboard widget --------------------------------------------------------------------------------------------


def click(widget: QWidget) -> None:
    """A real mouse press and release on ``widget`` (what qtbot.mouseClick does, typed)."""
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton)


class Kiosk:
    """A line edit above the keyboard, styled by the kiosk's theme, at a given width."""

    def __init__(self, qtbot: QtBot, language: str, width: int) -> None:
        self.host = QWidget()
        self.host.setStyleSheet(Theme(short_side=width).stylesheet())
        self.edit = QLineEdit()
        self.keyboard = OnScreenKeyboard(language)
        self.keyboard.set_target(self.edit)
        box = QVBoxLayout(self.host)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.edit)
        box.addWidget(self.keyboard)
        box.addStretch(1)
        qtbot.addWidget(self.host)
        self.host.resize(width, 900)
        self.host.show()
        qtbot.waitExposed(self.host)
        self.host.activateWindow()
        self.edit.setFocus()
        self.qtbot = qtbot

    def tap(self, *keys: str | Action) -> None:
        for key in keys:
            click(self.keyboard.key_button(key))

    def type(self, chars: str) -> list[str]:
        """Tap each character's key; the line edit's text after each tap."""
        seen = []
        for char in chars:
            if char == " ":
                self.tap(Action.SPACE)
                seen.append(self.edit.text())
                continue
            button = self.keyboard.key_button(char)
            if button.key.shifted == char and button.key.char != char:
                self.tap(Action.SHIFT)
            self.tap(char)
            seen.append(self.edit.text())
        return seen


@pytest.fixture
def kiosk(qtbot: QtBot) -> Callable[[str, int], Kiosk]:
    def make(language: str, width: int) -> Kiosk:
        return Kiosk(qtbot, language, width)

    return make


def test_english_keys_type_with_shift_backspace_and_space(kiosk: Callable[[str, int], Kiosk]) -> None:
    k = kiosk("en", 1080)
    k.type("Where")
    k.tap(Action.SPACE)
    k.type("is it?")
    assert k.edit.text() == "Where is it?"
    k.tap(Action.BACKSPACE, Action.BACKSPACE)
    assert k.edit.text() == "Where is i"
    assert not k.keyboard.shift  # shift lasts one letter
    k.tap(Action.LAYER)
    k.type("42")
    assert k.edit.text() == "Where is i42"
    assert k.keyboard.key_button(Action.LAYER).text() == "ABC"


def test_enter_submits(kiosk: Callable[[str, int], Kiosk], qtbot: QtBot) -> None:
    k = kiosk("en", 1080)
    k.type("hi")
    with qtbot.waitSignal(k.keyboard.submitted, timeout=1000):
        k.tap(Action.ENTER)
    assert k.keyboard.key_button(Action.ENTER).text() == "Ask"


def test_keys_never_take_the_focus(kiosk: Callable[[str, int], Kiosk], qtbot: QtBot) -> None:
    k = kiosk("en", 1080)
    qtbot.waitUntil(k.edit.hasFocus)
    k.type("abc")
    k.tap(Action.BACKSPACE, Action.SHIFT, Action.LAYER)
    assert k.edit.hasFocus()
    assert all(b.focusPolicy() == Qt.FocusPolicy.NoFocus for b in k.keyboard.keys)


def test_korean_composes_in_the_line_edit(kiosk: Callable[[str, int], Kiosk]) -> None:
    k = kiosk("ko", 1080)
    assert k.type("ㅎㅏㄴㄱㅡㄹ") == ["ㅎ", "하", "한", "한ㄱ", "한그", "한글"]
    k.tap(Action.SPACE)
    assert k.type("ㄷㅏㄹㄱㅏ") == ["한글 ㄷ", "한글 다", "한글 달", "한글 닭", "한글 달가"]
    k.tap(Action.BACKSPACE)
    assert k.edit.text() == "한글 달ㄱ"
    k.tap(Action.BACKSPACE, Action.BACKSPACE)
    assert k.edit.text() == "한글 "  # ㄱ came off, then the finished 달 as a whole
    k.type("ㄲㅗㅊ")  # ㄲ with shift
    assert k.edit.text() == "한글 꽃"
    assert k.keyboard.key_button(Action.ENTER).text() == "질문"


def test_korean_starts_afresh_where_the_cursor_moved(kiosk: Callable[[str, int], Kiosk]) -> None:
    k = kiosk("ko", 600)
    k.type("ㄱㅏ")
    k.edit.setCursorPosition(0)
    k.type("ㄴㅏ")
    assert k.edit.text() == "나가"
    k.edit.setText("")
    k.type("ㅁ")
    assert k.edit.text() == "ㅁ"


def test_chinese_candidates_insert_words(kiosk: Callable[[str, int], Kiosk], qtbot: QtBot) -> None:
    k = kiosk("zh", 1080)
    k.keyboard.set_vocabulary(VENUE)
    k.type("hmwd")
    assert k.edit.text() == ""  # pinyin stays in the strip until a word is chosen
    assert k.keyboard.bar.composition.text() == "hmwd"
    first = k.keyboard.bar.buttons[0]
    assert first.text() == "后母戊鼎" and first.height() >= MIN_TOUCH
    click(first)
    assert k.edit.text() == "后母戊鼎"
    assert k.keyboard.typed == "" and k.keyboard.bar.buttons == []
    k.type("zaina")
    k.tap(Action.BACKSPACE)
    assert k.keyboard.typed == "zain"
    k.tap(Action.BACKSPACE, Action.BACKSPACE)  # zai
    k.tap(Action.SPACE)  # the first candidate
    assert k.edit.text() == "后母戊鼎在"
    k.type("xishoujian")
    word = next(b for b in k.keyboard.bar.buttons if b.text() == "洗手间")
    click(word)
    k.tap("？")
    assert k.edit.text() == "后母戊鼎在洗手间？"
    k.tap(Action.BACKSPACE)
    assert k.edit.text() == "后母戊鼎在洗手间"
    with qtbot.waitSignal(k.keyboard.submitted, timeout=1000):
        k.tap(Action.ENTER)


def test_chinese_words_for_part_of_the_pinyin(kiosk: Callable[[str, int], Kiosk], qtbot: QtBot) -> None:
    k = kiosk("zh", 900)
    k.type("nihaoma")
    click(k.keyboard.bar.buttons[0])
    assert (k.edit.text(), k.keyboard.typed) == ("你好", "ma")
    k.tap("，")  # punctuation types the best words first
    assert k.edit.text().startswith("你好") and k.edit.text().endswith("，") and len(k.edit.text()) == 4
    k.type("abc")
    with qtbot.assertNotEmitted(k.keyboard.submitted):
        k.tap(Action.ENTER)  # Enter types the letters themselves while composing
    assert k.edit.text().endswith("abc")
    k.type("x")
    k.tap(Action.LAYER)
    k.type("7")  # digits finish the pinyin too
    assert k.keyboard.typed == "" and k.edit.text().endswith("7")


def test_switching_language_and_target(kiosk: Callable[[str, int], Kiosk]) -> None:
    k = kiosk("zh", 900)
    k.type("gu")
    k.keyboard.set_language("ko")
    assert not k.keyboard.bar.isVisible() and k.keyboard.typed == "" and k.edit.text() == ""
    k.type("ㄱㅏ")
    k.keyboard.set_language("fr")  # no keys of its own: English letters, English words
    assert k.keyboard.key_button(Action.ENTER).text() == "Ask"
    k.type("q")
    assert k.edit.text() == "가q"
    other = QLineEdit()
    k.keyboard.set_target(other)
    k.type("w")
    assert (k.edit.text(), other.text()) == ("가q", "w")
    other.deleteLater()
    QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents)
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    k.type("e")  # the line edit is gone: the key does nothing, and nothing breaks
    assert k.keyboard.target() is None


def test_candidate_pages(kiosk: Callable[[str, int], Kiosk], qtbot: QtBot) -> None:
    k = kiosk("zh", 600)
    k.type("s")
    bar = k.keyboard.bar
    first_page = [b.text() for b in bar.buttons]
    assert first_page and bar.more.isEnabled() and not bar.fewer.isEnabled()
    click(bar.more)
    second_page = [b.text() for b in bar.buttons]
    assert second_page and not set(first_page) & set(second_page)
    click(bar.buttons[0])
    assert k.edit.text() == second_page[0]
    assert all(b.width() >= MIN_TOUCH and b.height() >= MIN_TOUCH for b in (bar.more, bar.fewer))


@pytest.mark.parametrize("width", [1080, 600])
@pytest.mark.parametrize("language", ["en", "ko", "zh"])
def test_every_key_is_a_touch_target(kiosk: Callable[[str, int], Kiosk], language: str, width: int) -> None:
    k = kiosk(language, width)
    if language == "zh":
        k.type("gugong")
    for layer in (kl.LETTERS, kl.SYMBOLS):
        assert k.keyboard.layer == layer
        buttons = [*k.keyboard.keys, *k.keyboard.bar.buttons] if layer == kl.LETTERS else k.keyboard.keys
        assert len(k.keyboard.keys) >= 30
        for button in buttons:
            assert button.property("role") == "key"
            assert button.width() >= MIN_TOUCH and button.height() >= MIN_TOUCH, (button.text(), button.size())
            assert button.geometry().right() < k.keyboard.width()
        k.tap(Action.LAYER)
    assert k.keyboard.width() == width
    if width == 1080:
        assert min(b.height() for b in k.keyboard.keys) > 80  # keys grow with a wide screen


def _colours(image: QImage) -> int:
    step = max(1, min(image.width(), image.height()) // 60)
    return len({image.pixel(x, y) for x in range(0, image.width(), step) for y in range(0, image.height(), step)})


@pytest.mark.parametrize("language", ["en", "ko", "zh"])
def test_screenshot_is_not_blank(kiosk: Callable[[str, int], Kiosk], language: str, tmp_path: Path) -> None:
    k = kiosk(language, 900)
    if language == "zh":
        k.keyboard.set_vocabulary(VENUE)
        k.type("gugong")
    path = tmp_path / f"keyboard-{language}.png"
    assert k.keyboard.grab().save(str(path))
    image = QImage(str(path))
    assert image.width() == 900 and image.height() >= 4 * MIN_TOUCH
    assert _colours(image) > 8  # background, keys, outlines and anti-aliased letters


@pytest.fixture(autouse=True)
def _no_leftover_threads() -> Iterator[None]:
    yield
    prepare().join()  # the background build started by set_language("zh") ends before the next test begins
