"""Words are found whatever their case and accents in every script (Greek, Cyrillic ё,
German ß), and Chinese and Japanese words inside a run of characters without spaces, on
real feeds (tests/data/feeds-real); an older library's index is made again once."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.folding import search_text
from reader.library import DB_FILENAME, MARK_END, MARK_START, SCHEMA_VERSION, Library, database, schema

FEEDS = Path(__file__).parent / "data" / "feeds-real"
GREEK = "prof18-rss20-greek-iso-8859-7.xml"  # <title>«Πορτραίτα καραντίνας» για έμπνευση από ...
RUSSIAN = "prof18-rss20-russian-100-no-guid.xml"  # "ученые" (with е) in 20 places
GERMAN = "laminas-rdf-lautde-iso-8859-1.xml"  # "regelmäßig", "auszuschließen" (one entry each)
JAPANESE = "kagi-rss20-1046-items-no-link-no-guid.xml"  # ヘブンバーンズレッド (Heaven Burns Red), 仙侠世界 (The Mythical Realm)


def _titles(library: Library, query: str) -> set[str]:
    return {hit.row.title for hit in library.search(query, limit=None)}


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    base = tmp_path_factory.mktemp("folding")
    docs = base / "docs"
    docs.mkdir()
    for name in (GREEK, RUSSIAN, GERMAN, JAPANESE):
        shutil.copy(FEEDS / name, docs / name)
    with Library(base / "data") as library:
        library.sync([docs])
        yield library


def test_greek_words_are_found_without_their_accents_and_in_capitals(library: Library) -> None:
    expected = {"«Πορτραίτα καραντίνας» για έμπνευση από τη συλλογή Φέλιου"}
    for query in ("καραντίνας", "καραντινας", "ΚΑΡΑΝΤΙΝΑΣ", "Καραντίνας", "καραντιν*", "ΠΟΡΤΡΑΙΤ*"):
        assert expected <= _titles(library, query), query
    assert _titles(library, '"πορτραιτα ΚΑΡΑΝΤΙΝΑΣ"') == expected  # a phrase, folded word by word
    assert not _titles(library, '"καραντινας πορτραιτα"')  # (still in order)


def test_a_russian_yo_is_found_as_ye_and_the_other_way(library: Library) -> None:
    plain = _titles(library, "ученые")
    assert plain and _titles(library, "учёные") == plain == _titles(library, "УЧЁНЫЕ")


def test_a_german_sharp_s_is_found_as_ss(library: Library) -> None:
    for query in ("regelmäßig", "regelmassig", "REGELMÄSSIG", "auszuschliessen", "AUSZUSCHLIEẞEN"):
        assert len(library.search(query, limit=None)) == 1, query


def test_a_snippet_marks_the_word_as_written(library: Library) -> None:
    [hit] = [h for h in library.search("ΚΑΡΑΝΤΙΝΑΣ", limit=None) if h.row.title.startswith("«Πορτραίτα")]
    assert f"{MARK_START}καραντίνας{MARK_END}" in hit.snippet


def test_japanese_and_chinese_words_inside_a_title_are_found(library: Library) -> None:
    heaven = _titles(library, "ヘブンバーンズレッド")
    assert heaven and all(t.startswith("ヘブンバーンズレッド") for t in heaven)
    assert _titles(library, "ヘブン") == heaven == _titles(library, "バーンズ") == _titles(library, "ヘブン*")
    realm = _titles(library, "世界")
    assert realm == {"仙侠世界 (The Mythical Realm)", "仙侠世界2 (The Mythical Realm 2)"}
    assert _titles(library, "仙侠") == realm
    assert not _titles(library, "界世")  # the characters in that order only
    assert not _titles(library, "ブヘ")


def test_a_japanese_snippet_marks_the_word_and_nothing_is_added_to_the_text(library: Library) -> None:
    hits = library.search("世界", limit=None)
    assert {h.snippet for h in hits} == {
        f"仙侠{MARK_START}世界{MARK_END} (The Mythical Realm)",
        f"仙侠{MARK_START}世界{MARK_END}2 (The Mythical Realm 2)",
    }


def test_letters_that_differ_stay_apart() -> None:
    assert search_text("мой") != search_text("мои")  # й is a letter of its own, not и with a mark
    assert search_text("ブン") != search_text("フン")  # the voiced mark makes another syllable
    assert search_text("서울") == "서울"  # Korean is written with spaces: kept whole


def test_an_older_library_has_its_index_made_again_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    step = next(version for version, upgrade in schema.UPGRADES.items() if upgrade is schema._to_folding)
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(FEEDS / GREEK, docs / GREEK)
    shutil.copy(FEEDS / JAPANESE, docs / JAPANESE)
    data = tmp_path / "data"
    v1 = Path(__file__).parent / "data" / "schema" / "library_v1.sql"
    data.mkdir()
    db = sqlite3.connect(data / DB_FILENAME)
    db.executescript(v1.read_text(encoding="utf-8"))
    db.close()
    monkeypatch.setattr(schema, "SCHEMA_VERSION", step - 1)
    monkeypatch.setattr(database, "SCHEMA_VERSION", step - 1)
    with Library(data) as old:  # as a Reader of the schema before left it: the text indexed as it is
        old.sync([docs])
        assert not _titles(old, "καραντινας") and not _titles(old, "世界")
    monkeypatch.undo()
    with Library(data) as library:
        assert library.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert len(_titles(library, "καραντινας")) == 1
        assert len(_titles(library, "世界")) == 2
        assert _titles(library, "καραντίνας") == _titles(library, "ΚΑΡΑΝΤΙΝΑΣ") == _titles(library, "καραντινας")


def test_a_rule_finds_arriving_articles_by_folded_words(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    with Library(tmp_path / "data") as library:
        library.save_search("quarantine", "ΚΑΡΑΝΤΙΝΑΣ")
        library.set_rule("quarantine", ["label:later"])
        shutil.copy(FEEDS / GREEK, docs / GREEK)
        library.sync([docs])
        labelled = [hit.row.title for hit in library.search("label:later", limit=None)]
        assert labelled == ["«Πορτραίτα καραντίνας» για έμπνευση από τη συλλογή Φέλιου"]
