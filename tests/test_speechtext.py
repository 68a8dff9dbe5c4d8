"""Text normalisation for speech: numbers, units, ranges and symbols in English, Chinese and Korean, and espeak-ng."""

from __future__ import annotations

import random
import shutil
import subprocess
from collections.abc import Callable

import pytest

from kiosk.voice.speechtext import for_speech

ENGLISH = [
    ("The scroll is 1,191.5 cm long.", "The scroll is 1191.5 centimetres long."),
    ("It is 7.8 km long.", "It is 7.8 kilometres long."),  # the decimal stays, and so does the full stop
    ("58.4 cm", "58.4 centimetres"),
    ("1 cm", "1 centimetre"),
    ("0.5 m", "0.5 metres"),
    ("3 mm thick", "3 millimetres thick"),
    ("832.84 kg", "832.84 kilograms"),
    ("2.5 t", "2.5 tonnes"),
    ("1 g", "1 gram"),
    ("720,000 m²", "720000 square metres"),
    ("720,000 ㎡", "720000 square metres"),
    ("7 sq m and 3 sq. km", "7 square metres and 3 square kilometres"),
    ("5 km² of park", "5 square kilometres of park"),
    ("40 ha", "40 hectares"),
    ("20%", "20 percent"),
    ("-5°C", "minus 5 degrees Celsius"),
    ("-1 °C", "minus 1 degree Celsius"),
    ("1,300 years", "1300 years"),
    ("14,000,000", "14000000"),
    ("1406–1420", "1406 to 1420"),
    ("1406-1420", "1406 to 1420"),
    ("1406 — 1420", "1406 to 1420"),
    ("3–5 cm", "3 to 5 centimetres"),
    ("221 BCE–206 BCE", "221 B-C-E to 206 B-C-E"),
    ("206 BC-AD 220", "206 B-C to A-D 220"),
    ("2020-01-05", "2020-01-05"),  # a date, not a range
    ("c. 1600 BC", "about 1600 B-C"),
    ("ca. 1600", "about 1600"),
    ("C. 1600 BC", "About 1600 B-C"),
    ("etc. 1600", "etc. 1600"),
    ("AD 1420", "A-D 1420"),
    ("1420 CE", "1420 C-E"),
    ("1600BC", "1600 B-C"),
    ("in 600 B.C. The king", "in 600 B-C. The king"),
    ("3rd century BC", "3rd century B-C"),
    ("No. 5", "number 5"),
    ("Nos. 5 and 6", "numbers 5 and 6"),
    ("Gallery #2", "Gallery number 2"),
    ("Silk & bronze", "Silk and bronze"),
    ("bronze/jade", "bronze or jade"),
    ("Tuesday to Sunday, 9:00 to 17:00.", "Tuesday to Sunday, 9 AM to 5 PM."),
    ("at 9:30 or 12:05", "at 9 30 AM or 12 oh 5 PM"),
    ("12:00 and 0:00", "noon and midnight"),
    ("It weighs 832.84 kg (about 2 t).", "It weighs 832.84 kilograms, about 2 tonnes."),
    ("(c. 1600 BC)", "about 1600 B-C"),
    ("“Along the River” isn't *that* long", "Along the River isn't that long"),
    ("The wall—built in 1505—is long.", "The wall, built in 1505, is long."),
    ("-5 and 0", "minus 5 and 0"),
    ("0", "0"),
    ("12345678901234567890", "1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0"),
    ("9999999999999999", "9999999999999999"),  # 16 digits: still a number
    ("5 min", "5 min"),  # not metres
]

CHINESE = [
    ("公元前433年", "公元前四百三十三年"),  # a year before the era is a cardinal
    ("公元前1046年", "公元前一千零四十六年"),
    ("1860年", "一八六零年"),  # a four-digit year is read digit by digit
    ("2024年被列入", "二零二四年被列入"),
    ("1929年12月2日", "一九二九年十二月二日"),
    ("1406—1420年", "一四零六至一四二零年"),
    ("1450年至1457年", "一四五零年至一四五七年"),
    ("1406–1420", "一千四百零六至一千四百二十"),  # no 年: plain numbers
    ("公元前221—前206年", "公元前二百二十一至前二百零六年"),
    ("有1300年历史", "有一千三百年历史"),  # a length of time, not a year
    ("重832.84千克", "重八百三十二点八四千克"),
    ("1.1千克", "一点一千克"),
    ("2.3亿元", "二点三亿元"),
    ("约72万平方米", "约七十二万平方米"),
    ("约77万至23万年前", "约七十七万至二十三万年前"),
    ("2,498片", "两千四百九十八片"),
    ("约有8000件陶俑", "约有八千件陶俑"),
    ("720000", "七十二万"),
    ("18岁", "十八岁"),
    ("10", "十"),
    ("105", "一百零五"),
    ("110", "一百一十"),
    ("1005", "一千零五"),
    ("10500", "一万零五百"),
    ("10010", "一万零一十"),
    ("100000", "十万"),
    ("100000005", "一亿零五"),
    ("1000100000000", "一万零一亿"),
    ("20000", "两万"),
    ("220", "二百二十"),
    ("2个", "两个"),
    ("2亿", "两亿"),
    ("第2个", "第二个"),
    ("2月", "二月"),
    ("0", "零"),
    ("0.5", "零点五"),
    ("-5", "负五"),
    ("5%", "百分之五"),
    ("12.5％", "百分之十二点五"),
    ("全长7.8 km。", "全长七点八公里。"),
    ("高58.4 cm", "高五十八点四厘米"),
    ("3 mm", "三毫米"),
    ("2 m", "两米"),
    ("5 kg", "五千克"),
    ("72万㎡", "七十二万平方米"),
    ("-5℃", "负五摄氏度"),
    ("9:00至17:00", "九点至十七点"),
    ("9:05", "九点零五分"),
    ("C919客机", "C919客机"),  # Latin letters and what is glued to them are left alone
    ("3rd century", "3rd century"),
    ("007", "零零七"),
    ("12345678901234567890", "一二三四五六七八九零一二三四五六七八九零"),
    ("12345678901234567", "一二三四五六七八九零一二三四五六七"),  # past 10**16: digit by digit
    ("1234567890123456", "一千二百三十四万五千六百七十八亿九千零一十二万三千四百五十六"),
    ("3万km", "三万公里"),
    ("#2展厅", "二展厅"),
    ("《清明上河图》长528.7厘米", "清明上河图长五百二十八点七厘米"),
    ("明代（1450年至1457年）烧造", "明代，一四五零年至一四五七年，烧造"),
    ("青铜/玉器", "青铜或玉器"),
    ("七·七事变", "七·七事变"),
    ("馆藏\n共两件", "馆藏。共两件"),  # a line break is a sentence end, in Chinese punctuation
    ("x (y) z", "x，y，z"),
    ("**铜奔马** 🙂", "铜奔马"),
]

KOREAN = [
    ("1191.5", "천백구십일 점 오"),
    ("약 8,000점", "약 팔천 점"),  # a number glued to Hangul
    ("8,000점", "팔천 점"),
    ("8000여 점", "팔천여 점"),
    ("2498", "이천사백구십팔"),
    ("10000", "만"),
    ("100000000", "일억"),
    ("123456", "십이만 삼천사백오십육"),
    ("18세", "십팔 세"),
    ("80세", "팔십 세"),
    ("1924년", "천구백이십사 년"),
    ("1957년에", "천구백오십칠 년에"),
    ("기원전 433년", "기원전 사백삼십삼 년"),
    ("7.8 km", "칠 점 팔 킬로미터"),
    ("58.4cm", "오십팔 점 사 센티미터"),
    ("832.84 kg", "팔백삼십이 점 팔사 킬로그램"),
    ("1.05", "일 점 영오"),
    ("5%", "오 퍼센트"),
    ("1450~1457년", "천사백오십에서 천사백오십칠 년"),
    ("원나라(1271년~1368년)", "원나라, 천이백칠십일 년에서 천삼백육십팔 년"),
    ("14세기~11세기", "십사 세기에서 십일 세기"),
    ("77만~23만", "칠십칠만에서 이십삼만"),
    ("1406–1420", "천사백육에서 천사백이십"),
    ("오전 9시부터 오후 5시까지", "오전 아홉 시부터 오후 다섯 시까지"),  # hours are native Korean
    ("4시입니다", "네 시입니다"),
    ("17시", "십칠 시"),
    ("9:30", "아홉 시 삼십 분"),
    ("2시간", "두 시간"),
    ("11개", "열한 개"),
    ("24명의", "스물네 명의"),
    ("20살", "스무 살"),
    ("501마리", "오백한 마리"),
    ("100개", "백 개"),
    ("800명이", "팔백 명이"),
    ("6월과 10월, 7월에", "유월과 시월, 칠월에"),
    ("1층", "일 층"),
    ("제2전시실", "제이 전시실"),
    ("3을", "삼을"),
    ("0", "영"),
    ("0.5", "영 점 오"),
    ("-5", "마이너스 오"),
    ("C919", "C919"),
    ("12345678901234567890", "일 이 삼 사 오 육 칠 팔 구 공 일 이 삼 사 오 육 칠 팔 구 공"),
    ("청동 & 옥", "청동 및 옥"),
    ("영정문(융딩먼)에서", "영정문, 융딩먼에서"),  # no pause between a bracket and its particle
    ("'천하제일행서'로 불립니다", "천하제일행서로 불립니다"),  # Korean quotes are not apostrophes
]

NEUTRAL = [
    ("", ""),
    ("   ", ""),
    ("**Bold** and _it_", "Bold and it"),
    ("[the ding](https://example.org/ding)", "the ding"),
    ("# Title\nFirst line\n- one\n- two", "Title. First line. one. two"),
    ("Hi 🙂 there ©", "Hi there"),
    ("👍🏽\u200d", ""),
    ("a\t\tb   c", "a b c"),
    ("x (y) z", "x, y, z"),
]


@pytest.mark.parametrize(("text", "spoken"), ENGLISH)
def test_english(text: str, spoken: str) -> None:
    assert for_speech(text, "en") == spoken


@pytest.mark.parametrize(("text", "spoken"), CHINESE)
def test_chinese(text: str, spoken: str) -> None:
    assert for_speech(text, "zh") == spoken


@pytest.mark.parametrize(("text", "spoken"), KOREAN)
def test_korean(text: str, spoken: str) -> None:
    assert for_speech(text, "ko") == spoken


@pytest.mark.parametrize(("text", "spoken"), NEUTRAL)
@pytest.mark.parametrize("language", ["en", "ko", "fr"])
def test_language_neutral_cleanup(text: str, spoken: str, language: str) -> None:
    assert for_speech(text, language) == spoken


def test_other_languages_only_get_the_cleanup() -> None:
    assert for_speech("Le rouleau (1 191,5 cm) mesure **12 m**.", "fr") == "Le rouleau, 1 191,5 cm, mesure 12 m."
    assert for_speech("1,300 c. 1600 BC", "de") == "1,300 c. 1600 BC"


def test_language_code_with_region() -> None:
    assert for_speech("1860年", "zh-CN") == "一八六零年"
    assert for_speech("5 km", "en_GB") == "5 kilometres"


@pytest.mark.parametrize("language", ["en", "zh", "ko", "fr"])
@pytest.mark.parametrize(
    "text", [row[0] for row in ENGLISH + CHINESE + KOREAN + NEUTRAL] + ["1,191.5厘米 약 8,000점 c. 1600 BC"]
)
def test_idempotent(text: str, language: str) -> None:
    once = for_speech(text, language)
    assert for_speech(once, language) == once


def test_never_raises_and_idempotent_on_odd_input() -> None:
    """Random strings from the pieces the rules look for: no exception, and a second call changes nothing."""
    pieces = [
        *"0123456789,.-–—~:;!?%°²/&()[]{}（）《》“”\"'’*_#`>| \n\t",
        *("cm", "km", "kg", " m", " t", "BC", "AD", "CE", "c.", "No.", "年", "前", "公元前", "至", "万", "亿"),
        *("第", "个", "，", "。", "시", "개", "년", "월", "만", "이", "에서", "A", "é", "🙂", "\u200d", "１", "㎡"),
        *("℃", "−", "sq m", "Hello", "天", "한", "\udcff", "\x00"),
    ]
    rng = random.Random(20240611)
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 16)))
        for language in ("en", "zh", "ko", "fr"):
            once = for_speech(text, language)
            assert for_speech(once, language) == once, (language, text)


@pytest.mark.parametrize("language", ["en", "zh", "ko", "xx"])
def test_very_long_numbers_and_text(language: str) -> None:
    assert for_speech("9" * 5000, language)  # past Python's int-from-string limit: read digit by digit
    long_text = "约公元前433年，长1,191.5 cm，约8,000점，1406–1420。" * 2000
    assert for_speech(long_text, language)


# -- the real engine ----------------------------------------------------------------------------------------------

ESPEAK = shutil.which("espeak-ng")


def needs_espeak(test: Callable[[], None]) -> Callable[[], None]:
    """espeak-ng is a test dependency (packaging/dev.sh installs it): a missing one fails, it never skips."""

    def run() -> None:
        assert ESPEAK is not None, "espeak-ng is not installed; run packaging/dev.sh test"
        test()

    run.__name__ = test.__name__
    run.__doc__ = test.__doc__
    return run


def phonemes(voice: str, text: str) -> str:
    """What espeak-ng would say, as its phoneme mnemonics (``-x``), without making a sound (``-q``)."""
    assert ESPEAK is not None
    done = subprocess.run([ESPEAK, "-v", voice, "-x", "-q", text], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    return done.stdout


@needs_espeak
def test_espeak_reads_a_normalised_chinese_year_in_mandarin() -> None:
    spoken = for_speech("1860年", "zh")
    assert spoken == "一八六零年"
    said = phonemes("cmn", spoken)
    # Mandarin syllables, not the English digits "one eight six zero". (espeak-ng 1.51 still voices the tone digit
    # of some characters in English, "yi one"; that is the engine's, noted in docs/benchmarks.md.)
    assert said.strip()
    assert "eIt" not in said and "sIks" not in said


@needs_espeak
def test_espeak_reads_english_units_and_eras_as_words() -> None:
    said = phonemes("en", for_speech("It is 7.8 km long.", "en"))
    assert "k'Il@m" in said  # kilometres, not the letters K M
    assert "k,eI'Em" not in said
    assert "pOInt" in said  # the decimal point survives
    said = phonemes("en", for_speech("AD 1420", "en"))
    assert "eId'i:" in said  # ay-dee, not the word "ad"
    assert "'ad" not in said


@needs_espeak
def test_espeak_reads_normalised_korean_numbers() -> None:
    said = phonemes("ko", for_speech("1191.5", "ko"))
    assert "tS;'@m" in said  # 점: espeak-ng alone drops the decimal point of "1191.5"
    assert "tS;'@m" not in phonemes("ko", "1191.5")
    said = phonemes("ko", for_speech("오전 9시", "ko"))
    assert "ah'op" in said  # 아홉 시, not 구 시
