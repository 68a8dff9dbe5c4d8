"""The synonym rewrite on characters whose lower case is not what ``re.IGNORECASE`` matched them as."""

from __future__ import annotations

from pathlib import Path

from kiosk.content import Pack, PackIndex
from kiosk.mind import Mind
from kiosk.mind.synonyms import canonical


def test_synonyms_written_with_long_s_dotted_i_or_the_kelvin_sign_are_rewritten() -> None:
    # 'ſ'.lower() is 'ſ' and 'İ'.lower() is two characters: neither names a synonym, though re matched them.
    assert canonical("ſmoke and ſoot") == "smoke and smoke"
    assert canonical("the FİNAL emperor, the fınal one") == "the last emperor, the last one"
    assert canonical("ſmo\u212ae ſold for a lot") == "smoke auction a lot"
    assert canonical("The REAL one, burned") == "The original one, burn"


def test_the_mind_answers_questions_with_such_characters(demo_pack: Pack, tmp_path: Path) -> None:
    mind = Mind(demo_pack, PackIndex.open(demo_pack, tmp_path / "demo.sqlite"))
    for question in ("Why is there ſmoke on the ceiling?", "Who was the FİNAL emperor?", "İs it ſold?"):
        assert mind.answer(question).answer.text
