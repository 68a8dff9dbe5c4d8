"""The local search index on real two-character Chinese words, English and Korean queries, and its rebuild rule."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from click.testing import CliRunner

from kiosk.cli import main
from kiosk.content import Pack, PackIndex, index_path_for, load_pack
from kiosk.content.index import INDEX_FILE


@pytest.fixture(scope="module")
def demo_index(demo_pack: Pack, tmp_path_factory: pytest.TempPathFactory) -> PackIndex:
    return PackIndex.open(demo_pack, tmp_path_factory.mktemp("index") / "demo.sqlite")


@pytest.mark.parametrize(
    ("query", "exhibit"),
    [
        ("玉衣", "jade-burial-suit"),  # two characters inside the four-character name 金缕玉衣
        ("故宫", "forbidden-city"),
        ("编钟", "zeng-bells"),
        ("马踏飞燕", "bronze-galloping-horse"),
        ("兵马俑", "terracotta-army"),
        ("青花", "yuan-blue-white"),
        ("bells", "zeng-bells"),
        ("clay soldiers", "terracotta-army"),
        ("Marco Polo Bridge", "lugou-bridge"),
        ("cauldron", "houmuwu-ding"),
        ("병마용", "terracotta-army"),
        ("자금성", "forbidden-city"),
    ],
)
def test_query_finds_exhibit(demo_index: PackIndex, query: str, exhibit: str) -> None:
    hits = demo_index.search(query, kinds=("name", "alias"), limit=3)
    assert hits, query
    assert hits[0].exhibit == exhibit


@pytest.mark.parametrize(
    ("query", "facility"),
    [("洗手间", "restroom"), ("toilet", "restroom"), ("화장실", "restroom"), ("lockers", "lockers"), ("咖啡", "cafe")],
)
def test_query_finds_facility(demo_index: PackIndex, query: str, facility: str) -> None:
    [hit, *_] = demo_index.search(query, kinds=("facility",))
    assert hit.ref == facility


def test_nonsense_finds_nothing(demo_index: PackIndex) -> None:
    assert demo_index.search("zxqv blorp") == []
    assert demo_index.search("???") == []


def test_index_rebuilds_when_a_file_changes(tiny_copy: Path, tmp_path: Path) -> None:
    path = tmp_path / "tiny.sqlite"
    first = PackIndex.open(load_pack(tiny_copy), path)
    assert first.rebuilt
    assert first.search("celadon") == []
    first.close()
    assert not PackIndex.open(load_pack(tiny_copy), path).rebuilt
    vase = tiny_copy / "exhibits" / "blue-vase.yaml"
    vase.write_text(
        vase.read_text(encoding="utf-8").replace("[the blue pot]", "[the blue pot, celadon jar]"), encoding="utf-8"
    )
    second = PackIndex.open(load_pack(tiny_copy), path)
    assert second.rebuilt
    assert [h.exhibit for h in second.search("celadon")] == ["blue-vase"]


def test_corrupt_index_is_rebuilt(tiny_copy: Path, tmp_path: Path) -> None:
    path = tmp_path / "tiny.sqlite"
    path.write_bytes(b"this is not a database")
    index = PackIndex.open(load_pack(tiny_copy), path)
    assert index.rebuilt
    assert index.search("blue pot")[0].exhibit == "blue-vase"


def test_cli_index_says_where(tiny_copy: Path, docent_home: Path) -> None:
    result = CliRunner().invoke(main, ["pack", "index", str(tiny_copy)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Index built: " + str(docent_home / "cache" / "index"))
    again = CliRunner().invoke(main, ["pack", "index", str(tiny_copy)])
    assert again.output.startswith("Index up to date: ")


def _rows(path: Path) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute("select * from entries order by id").fetchall()


@pytest.mark.parametrize(
    ("old", "new", "word"),
    [
        ("en: A blue-and-white vase.", "en: A blue-and-white vase from Jingdezhen.", "Jingdezhen"),  # a text edited
        ("zh: 一件青花瓷瓶。", "zh: 一件景德镇的青花瓷瓶。", "景德镇"),  # a Chinese text edited: segmented again
        ("[the blue pot]", "[the blue pot, celadon jar]", "celadon"),  # an alias added: the entries after it move
    ],
)
def test_an_index_built_from_the_earlier_one_is_the_index_built_from_nothing(
    tiny_copy: Path, tmp_path: Path, old: str, new: str, word: str
) -> None:
    PackIndex.open(load_pack(tiny_copy), tmp_path / "earlier.sqlite").close()
    vase = tiny_copy / "exhibits" / "blue-vase.yaml"
    vase.write_text(vase.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    pack = load_pack(tiny_copy)
    updated = PackIndex.open(pack, tmp_path / "updated.sqlite", reuse=tmp_path / "earlier.sqlite")
    fresh = PackIndex.open(pack, tmp_path / "fresh.sqlite")
    assert updated.rebuilt and _rows(updated.path) == _rows(fresh.path)
    for query in ("celadon", "Jingdezhen", "景德镇", "青花", "blue pot", "vase", "lion"):
        assert updated.search(query, prefix=True) == fresh.search(query, prefix=True), query
    assert updated.search(word)[0].exhibit == "blue-vase"
    assert not PackIndex.open(pack, updated.path).rebuilt, "it is this pack's index: the kiosk opens it as it is"


def test_a_pack_folder_that_keeps_its_index_is_searched_with_it(tiny_copy: Path, docent_home: Path) -> None:
    pack = load_pack(tiny_copy)
    assert index_path_for(pack).is_relative_to(docent_home / "cache")
    PackIndex.open(pack, tiny_copy / INDEX_FILE).close()  # as the health check of a synced version leaves it
    index = PackIndex.open(load_pack(tiny_copy))
    assert index.path == tiny_copy / INDEX_FILE and not index.rebuilt
    assert index.search("blue pot")[0].exhibit == "blue-vase"
    assert not (docent_home / "cache" / "index").exists()
