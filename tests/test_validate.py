"""The pack validator on the demo venue and on one broken pack per class of mistake a curator makes."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from kiosk.cli import main
from kiosk.content import PackInvalid, PackUnusable, load_pack, validate_pack
from kiosk.content.model import TYPED_FACT_KEYS
from kiosk.content.problems import Problem, typo_of
from kiosk.content.yamlsrc import MAX_YAML_BYTES, parse_yaml
from kiosk.ops.paths import demo_pack_path
from tests.conftest import PACKS

BROKEN = PACKS / "broken"

# Each broken pack differs from tests/packs/tiny in one place; these are the exact lines the curator sees.
EXPECTED = {
    "unknown-key": [
        "exhibits/blue-vase.yaml:6: aliasses: unknown key 'aliasses'. Did you mean 'aliases'? "
        "Valid keys here: id, gallery, name, summary, aliases, story, facts, questions, media",
    ],
    "missing-field": [
        "exhibits/river-scroll.yaml:1: gallery: missing required field 'gallery' in an exhibit; "
        "use one of the venue's galleries: ceramics, paintings",
    ],
    "missing-language": [
        "exhibits/blue-vase.yaml:10: summary.zh: no 'zh' text for the summary; this pack's languages are en, zh "
        "and the summary needs all of them. Add a line 'zh: ...'",
    ],
    "duplicate-id": [
        "content/venue.yaml:31: galleries[2].id: duplicate gallery id 'ceramics' (also on line 20); ids must be unique",
        # The exhibit that pointed at the renamed gallery is reported too: its reference no longer resolves.
        "exhibits/river-scroll.yaml:2: gallery: unknown gallery 'paintings'. Galleries in content/venue.yaml: ceramics",
    ],
    "unknown-gallery": [
        "exhibits/river-scroll.yaml:2: gallery: unknown gallery 'painting'. Did you mean 'paintings'? "
        "Galleries in content/venue.yaml: ceramics, paintings",
    ],
    "unknown-facility": [
        "content/venue.yaml:24: galleries[1].facilities[1]: unknown facility 'restrooms'. Did you mean 'restroom'? "
        "Facilities in this venue: cafe, restroom",
    ],
    "missing-media": [
        "exhibits/blue-vase.yaml:17: media[1].file: media file exhibits/media/blue-vase.jpg does not exist. "
        "Did you mean 'media/blue-vase.png'? Put the file in exhibits/media/ and give its name here",
    ],
    "yaml-syntax": [
        "exhibits/river-scroll.yaml:7: YAML syntax error: mapping values are not allowed in this context. Check the "
        "indentation on this line and the one before it, and put quotes around text that contains ': ' or starts "
        "with a special character",
    ],
    "not-utf8": [
        "exhibits/river-scroll.yaml:5: the file is not UTF-8 text (byte 0xbd at offset 67); save it again as UTF-8 "
        "(in most editors: Save As, Encoding: UTF-8)",
    ],
}


def test_demo_venue_is_valid() -> None:
    report = validate_pack(demo_pack_path())
    assert report.errors == ()
    assert report.ok
    assert report.pack is not None
    assert report.pack.languages == ("zh", "en", "ko")


def test_tiny_pack_is_valid() -> None:
    assert validate_pack(PACKS / "tiny").problems == ()


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_broken_pack_reports_exact_problem(case: str) -> None:
    report = validate_pack(BROKEN / case)
    assert [str(p) for p in report.errors] == EXPECTED[case]
    assert not report.ok
    with pytest.raises(PackInvalid) as info:
        load_pack(BROKEN / case)
    assert EXPECTED[case][0] in str(info.value)


def test_every_broken_pack_has_a_test() -> None:
    assert sorted(p.name for p in BROKEN.iterdir() if p.is_dir()) == sorted(EXPECTED)


def test_file_over_size_limit(tiny_copy: Path) -> None:
    exhibit = tiny_copy / "exhibits" / "river-scroll.yaml"
    exhibit.write_text(exhibit.read_text(encoding="utf-8") + "#" * MAX_YAML_BYTES + "\n", encoding="utf-8")
    [problem] = validate_pack(tiny_copy).errors
    assert problem.file == "exhibits/river-scroll.yaml"
    assert problem.code == "too-large"
    assert "over the 1024 KB limit for one YAML file" in problem.message


def test_all_problems_reported_at_once(tiny_copy: Path) -> None:
    vase = tiny_copy / "exhibits" / "blue-vase.yaml"
    text = vase.read_text(encoding="utf-8").replace("gallery: ceramics", "gallery: ceramic")
    vase.write_text(text.replace("  zh: 一件青花瓷瓶。\n", "") + "colour: blue\n", encoding="utf-8")
    report = validate_pack(tiny_copy)
    found = sorted((p.line, p.code) for p in report.errors)
    assert found == [(2, "unknown-reference"), (10, "missing-language"), (20, "unknown-key")]


def test_duplicate_key_and_unknown_fact_key(tiny_copy: Path) -> None:
    vase = tiny_copy / "exhibits" / "blue-vase.yaml"
    vase.write_text(
        vase.read_text(encoding="utf-8").replace("facts:\n", "facts:\n  wieght:\n    en: 3 kg\n    zh: 3千克\n")
        + "gallery: paintings\n",
        encoding="utf-8",
    )
    messages = [str(p) for p in validate_pack(tiny_copy).errors]
    assert any(
        m.startswith("exhibits/blue-vase.yaml:13: facts.wieght: unknown fact key 'wieght'. Did you mean 'weight'?")
        for m in messages
    ), messages
    assert (
        "exhibits/blue-vase.yaml:24: gallery: 'gallery' appears twice in the same place (first on line 2); keep one "
        "and delete the other" in messages
    )


def test_free_fact_keys_are_allowed(tiny_copy: Path) -> None:
    vase = tiny_copy / "exhibits" / "blue-vase.yaml"
    vase.write_text(
        vase.read_text(encoding="utf-8").replace("facts:\n", 'facts:\n  stone_lions:\n    en: "501"\n    zh: 501只\n'),
        encoding="utf-8",
    )
    pack = load_pack(tiny_copy)
    vase_exhibit = pack.exhibit("blue-vase")
    assert vase_exhibit is not None
    fact = vase_exhibit.fact("stone_lions")
    assert fact is not None and fact.value.get("zh") == "501只" and not fact.typed


def test_a_free_fact_key_one_edit_from_a_typed_one_is_a_typo() -> None:
    assert typo_of("wieght", TYPED_FACT_KEYS) == "weight"
    assert typo_of("materal", TYPED_FACT_KEYS) == "material"
    assert typo_of("creators", TYPED_FACT_KEYS) == "creator"
    assert typo_of("height", TYPED_FACT_KEYS) is None, "a word of its own, not a misspelt 'weight'"
    assert typo_of("weight", TYPED_FACT_KEYS) is None
    assert typo_of("stone_lions", TYPED_FACT_KEYS) is None
    assert typo_of("wieght", iter(TYPED_FACT_KEYS)) == "weight", "any iterable of choices"


def test_a_value_its_tag_does_not_fit_is_reported_not_a_crash() -> None:
    problems: list[Problem] = []
    y = parse_yaml(b"id: vase\nweight: !!int heavy\n!!float x: 1\nwhen: !!timestamp soon\n", "e.yaml", problems)
    assert y is not None and y.plain() == {"id": "vase", "weight": None, "when": None}
    assert [str(p) for p in problems] == [
        "e.yaml:2: weight: this value cannot be read: 'heavy' is not a valid !!int; correct it, or remove the !!int",
        "e.yaml:3: this key cannot be read: 'x' is not a valid !!float; correct it, or remove the !!float",
        "e.yaml:4: when: this value cannot be read: 'soon' is not a valid !!timestamp; correct it, or remove the "
        "!!timestamp",
    ]


def test_reading_yaml_keeps_none_of_its_nodes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing outlives the document it was read from (a kiosk validates every pack version it syncs)."""
    nodes: list[weakref.ref[yaml.Node]] = []
    compose = yaml.compose

    def watched(*args: Any, **kwargs: Any) -> Any:
        root = compose(*args, **kwargs)
        stack = [root] if root is not None else []
        while stack:
            node = stack.pop()
            nodes.append(weakref.ref(node))
            if isinstance(node, yaml.MappingNode):
                stack.extend(part for pair in node.value for part in pair)
            elif isinstance(node, yaml.SequenceNode):
                stack.extend(node.value)
        return root

    monkeypatch.setattr(yaml, "compose", watched)
    y = parse_yaml(b"id: vase\ncount: 3\nreal: yes\nsize: 1.5\nnothing: ~\nlist: [1, two]\n", "v.yaml", [])
    assert y is not None and y.plain()["list"] == [1, "two"]
    gc.collect()
    assert len(nodes) == 15 and not [ref for ref in nodes if ref() is not None]


def test_python_tags_are_refused(tiny_copy: Path) -> None:
    vase = tiny_copy / "exhibits" / "blue-vase.yaml"
    vase.write_text(
        vase.read_text(encoding="utf-8") + "x: !!python/object/apply:os.system ['echo hacked']\n", encoding="utf-8"
    )
    report = validate_pack(tiny_copy)
    assert not report.ok
    assert any("cannot be read" in p.message or "unknown key" in p.message for p in report.errors)


def test_unusable_paths(tmp_path: Path) -> None:
    with pytest.raises(PackUnusable):
        validate_pack(tmp_path / "nowhere")
    (tmp_path / "file.txt").write_text("x")
    with pytest.raises(PackUnusable):
        validate_pack(tmp_path / "file.txt")
    with pytest.raises(PackUnusable):
        validate_pack(tmp_path)


def test_cli_exit_codes(tmp_path: Path) -> None:
    runner = CliRunner()
    ok = runner.invoke(main, ["pack", "validate", str(PACKS / "tiny")])
    assert ok.exit_code == 0, ok.output
    assert "The pack is valid: 2 exhibits, 2 galleries, 2 facilities, languages en, zh." in ok.output
    bad = runner.invoke(main, ["pack", "validate", str(BROKEN / "unknown-gallery")])
    assert bad.exit_code == 1
    assert EXPECTED["unknown-gallery"][0] in bad.output
    missing = runner.invoke(main, ["pack", "validate", str(tmp_path / "nowhere")])
    assert missing.exit_code == 2
    assert "no such folder" in missing.output


def test_cli_validates_demo_by_default() -> None:
    result = CliRunner().invoke(main, ["pack", "validate"])
    assert result.exit_code == 0, result.output
    assert "languages zh, en, ko" in result.output


def test_pack_new_creates_a_valid_pack(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["pack", "new", str(tmp_path / "venue"), "--languages", "en,zh"])
    assert result.exit_code == 0, result.output
    report = validate_pack(tmp_path / "venue")
    assert report.problems == ()
    again = runner.invoke(main, ["pack", "new", str(tmp_path / "venue")])
    assert again.exit_code == 2
    assert "already exists" in again.output
