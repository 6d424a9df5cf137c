"""Names compared without regard to case in every script: labels, saved searches, and the
values of topic:, source: and label: (a Russian feed of tests/data/feeds-real); an older
library's labels that differ only so become one, its saved searches are told apart."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.library import DB_FILENAME, Library, LibraryError, View, ViewKind, database, schema

FEEDS = Path(__file__).parent / "data" / "feeds-real"
RUSSIAN = "prof18-rss20-russian-100-no-guid.xml"  # channel "Аргументы и Факты", 100 items; 3 of <category>Армия</category>


@pytest.fixture
def lib(tmp_path: Path) -> Iterator[Library]:
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(FEEDS / RUSSIAN, docs / RUSSIAN)
    with Library(tmp_path / "data") as library:
        library.sync([docs])
        yield library


def _ids(library: Library) -> list[str]:
    return [a.id for a in library.articles(library.article_rowids()).values()]


def test_topic_and_source_values_match_in_any_case(lib: Library) -> None:
    for value in ("Армия", "армия", "АРМИЯ"):
        assert len(lib.search(f"topic:{value}", limit=None)) == 3, value
    for value in ('"Аргументы и Факты"', '"аргументы и факты"', '"АРГУМЕНТЫ И ФАКТЫ"'):
        assert len(lib.search(f"source:{value}", limit=None)) == 100, value
    assert len(lib.search("-topic:армия", limit=None)) == 97


def test_labels_that_differ_only_in_case_are_one_label(lib: Library) -> None:
    first, second, third = _ids(lib)[:3]
    lib.set_labels(first, ["Läsa"])
    lib.set_labels(second, ["läsa"])
    lib.label_articles([third], "LÄSA")
    assert lib.labels() == ["Läsa"]
    assert lib.add_labels(["LÄSA"]) == ["Läsa"]
    assert lib.labels_of(second) == ("Läsa",)
    assert {name: count.total for name, count in lib.counts().labels.items()} == {"Läsa": 3}
    assert len(lib.article_rowids(View(ViewKind.LABEL, "Läsa"))) == 3
    for query in ("label:läsa", "label:LÄSA", "label:Läsa"):
        assert len(lib.search(query, limit=None)) == 3, query
    lib.set_labels(first, ["LÄSA", "Архив"])  # the same label kept, one added
    assert lib.labels_of(first) == ("Läsa", "Архив")
    lib.set_labels(first, ["архив"])
    assert lib.labels_of(first) == ("Архив",)


def test_saved_search_names_that_differ_only_in_case_are_one_name(lib: Library) -> None:
    lib.save_search("Åsa", "армия")
    with pytest.raises(LibraryError, match="already a saved search called 'Åsa'"):
        lib.save_search("åsa", "факты")
    found = lib.saved_search("ÅSA")
    assert found is not None and found.name == "Åsa"
    assert lib.rename_search("Åsa", "åsa") == "åsa"  # its own name in another case
    assert [s.name for s in lib.saved_searches()] == ["åsa"]
    lib.save_search("Юг", "армия")
    with pytest.raises(LibraryError, match="already"):
        lib.rename_search("åsa", "ЮГ")
    lib.edit_search("ÅSA", "факты")
    assert lib.saved_searches()[0].query == "факты"
    assert lib.move_search("юг", -1)
    assert lib.delete_search("юГ").name == "Юг"
    assert [s.name for s in lib.saved_searches()] == ["åsa"]


def test_an_older_library_merges_its_labels_and_tells_its_saved_searches_apart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    step = next(version for version, upgrade in schema.UPGRADES.items() if upgrade is schema._to_folding)
    data = tmp_path / "data"
    data.mkdir()
    v1 = Path(__file__).parent / "data" / "schema" / "library_v1.sql"
    db = sqlite3.connect(data / DB_FILENAME)
    db.executescript(v1.read_text(encoding="utf-8"))
    db.close()
    monkeypatch.setattr(schema, "SCHEMA_VERSION", step - 1)
    monkeypatch.setattr(database, "SCHEMA_VERSION", step - 1)
    with Library(data) as old:  # as a Reader of the schema before could leave it
        with old.db:
            old.db.executemany("INSERT INTO labels(name) VALUES (?)", [("Läsa",), ("LÄSA",), ("Annat",)])
            old.db.executemany(
                "INSERT INTO article_labels(label, id) VALUES (?, ?)",
                [("Läsa", "a"), ("Läsa", "c"), ("LÄSA", "a"), ("LÄSA", "b"), ("LÄSA", "d"), ("Annat", "a")],
            )
            old.db.executemany(
                "INSERT INTO saved_searches(name, query, position) VALUES (?, ?, ?)",
                [("åsa", "venmo", 1), ("Åsa", "clearview", 2), ("ÅSA (2)", "twitter", 3)],
            )
    monkeypatch.undo()
    with Library(data) as library:
        assert library.labels() == ["Annat", "LÄSA"]  # the spelling on the most articles
        assert library.labels_of("a") == ("Annat", "LÄSA")
        assert library.labels_of("b") == library.labels_of("c") == ("LÄSA",)
        assert [(s.name, s.query) for s in library.saved_searches()] == [
            ("åsa", "venmo"), ("Åsa (3)", "clearview"), ("ÅSA (2)", "twitter")
        ]


def _work(db: sqlite3.Connection, sql: str, params: tuple[object, ...]) -> tuple[int, int]:
    """What ``sql`` counts, and how many SQLite virtual machine steps (in hundreds) it took."""
    steps = [0]

    def step() -> int:
        steps[0] += 1
        return 0

    db.set_progress_handler(step, 100)
    try:
        found = db.execute(sql, params).fetchone()[0]
    finally:
        db.set_progress_handler(None, 100)
    return found, steps[0]


def test_source_finds_its_spellings_in_one_pass_also_without_the_index(tmp_path: Path) -> None:
    # A first import builds the index of the sources at its end: until then, the spellings
    # of a source are found by reading the entries once, not once for every outlet.
    from reader.search import parse_query

    docs = tmp_path / "docs"
    docs.mkdir()
    outlets = [f"Outlet {n}" for n in range(40)] + ["Café Times", "CAFÉ TIMES"]
    for n, outlet in enumerate(outlets * 3):
        (docs / f"doc{n}.md").write_text(
            f'---\ntitle: "Article {n}"\npublishedDateTime: 2020-02-05T10:00:00Z\nwebUrl: "https://example.org/{n}"\n'
            f'provider:\n  name: "{outlet}"\n  domain: outlet{n % len(outlets)}.example\n---\nText {n}.\n',
            encoding="utf-8",
        )
    with Library(tmp_path / "data") as library:
        library.sync([docs])
        library.db.execute("DROP INDEX entries_provider")
        # the same work as one pass over the entries: the filter of a source by its name alone
        _, one_pass = _work(library.db, "SELECT count(*) FROM entries a WHERE a.provider = ? OR a.domain = ?",
                            ("Café Times", "café times"))  # fmt: skip
        query = parse_query('source:"café times"')
        found, steps = _work(library.db, f"SELECT count(*) FROM entries a WHERE {' AND '.join(query.where)}", query.params)
        assert found == 6  # both spellings
        assert steps <= 8 * one_pass, (steps, one_pass)  # (once for each of the 41 outlets: 50 times as many)
