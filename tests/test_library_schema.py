"""The schema: a new library is created at the current schema at once, an old one is
upgraded step by step to the same schema, and an upgrade that fails is an error the user
is told about (with the file left as it was)."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from reader.library import DB_FILENAME, SCHEMA_VERSION, Library, LibraryError, View, ViewKind, database, schema

V1_SQL = Path(__file__).parent / "data" / "schema" / "library_v1.sql"


def _make_v1(data: Path) -> None:
    """A library as a Reader of schema version 1 left it (empty)."""
    data.mkdir(parents=True)
    db = sqlite3.connect(data / DB_FILENAME)
    db.executescript(V1_SQL.read_text(encoding="utf-8"))
    db.close()


def _normal(sql: str | None) -> str:
    """``sql`` without comments and with whitespace made uniform: what SQLite keeps of a
    statement depends on how it was written (and ALTER TABLE edits the text in place)."""
    if sql is None:
        return ""
    text = re.sub(r"--[^\n]*", "", sql)
    text = re.sub(r"\s+", " ", text)
    return re.sub(r"\s*([(),;])\s*", r"\1", text).strip()


def _schema(path: Path) -> dict[str, object]:
    db = sqlite3.connect(path)
    try:
        master = sorted((t, n, tbl, _normal(sql)) for t, n, tbl, sql in db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"))
        tables = [name for kind, name, _tbl, _sql in master if kind == "table" and not name.startswith("articles_fts")]
        return {
            "sqlite_master": master,
            "columns": {t: db.execute(f"PRAGMA table_xinfo({t})").fetchall() for t in tables},
            "foreign keys": {t: db.execute(f"PRAGMA foreign_key_list({t})").fetchall() for t in tables},
            "version": db.execute("PRAGMA user_version").fetchone()[0],
            "meta": db.execute("SELECT key, value FROM meta ORDER BY key").fetchall(),
            "story state": db.execute("SELECT * FROM story_state").fetchall(),
        }
    finally:
        db.close()


def test_a_new_library_has_the_schema_of_an_old_one_upgraded_step_by_step(tmp_path: Path) -> None:
    _make_v1(tmp_path / "old")
    with Library(tmp_path / "old"):
        pass
    with Library(tmp_path / "new"):
        pass
    old, new = _schema(tmp_path / "old" / DB_FILENAME), _schema(tmp_path / "new" / DB_FILENAME)
    assert old["version"] == new["version"] == SCHEMA_VERSION
    for key in old:
        assert old[key] == new[key], key
    names = {name for _type, name, _tbl, _sql in new["sqlite_master"]}  # type: ignore[attr-defined]
    # (the tables every part of Reader relies on: the articles, the subscriptions, the stories)
    assert {"articles", "entries", "files", "state", "subscriptions", "story_members", "stories", "story_state"} <= names


def test_a_new_library_is_created_without_replaying_the_upgrades(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ran: list[int] = []
    for version, step in list(schema.UPGRADES.items()):
        monkeypatch.setitem(schema.UPGRADES, version, lambda db, step=step, version=version: (ran.append(version), step(db)))
    with Library(tmp_path / "new") as library:
        assert library.counts().all.total == 0
    assert ran == []
    _make_v1(tmp_path / "old")
    with Library(tmp_path / "old"):
        pass
    assert ran == list(range(2, SCHEMA_VERSION + 1))  # an old file goes through every named step, in order


def test_a_library_of_the_oldest_schema_upgrades_and_works(tmp_path: Path, seeds_dir: Path) -> None:
    _make_v1(tmp_path / "data")
    with Library(tmp_path / "data") as library:
        report = library.sync([seeds_dir])
        assert report.parsed == 5 and report.problems == 0
        first = library.article_rowids()[0]
        row = library.row(first)
        assert row is not None
        library.set_starred([row.id])
        assert library.counts().starred.total == 1
        assert library.search("twitter")
        library.group_stories()
    with Library(tmp_path / "data") as again:
        assert again.is_starred(row.id)


def test_a_failed_upgrade_is_a_library_error_and_closes_the_connection(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    _make_v1(data)
    db = sqlite3.connect(data / DB_FILENAME)
    db.execute("CREATE TABLE entries (x)")  # what version 2 creates is in the way: its step fails
    db.commit()
    db.close()
    before = _schema_rows(data / DB_FILENAME)
    opened: list[sqlite3.Connection] = []
    real_connect = sqlite3.connect

    def connect(*args: object, **kwargs: object) -> sqlite3.Connection:
        connection = real_connect(*args, **kwargs)  # type: ignore[arg-type]
        opened.append(connection)
        return connection

    monkeypatch.setattr(database.sqlite3, "connect", connect)
    with pytest.raises(LibraryError, match="upgrading it from schema 1 failed: table entries already exists"):
        Library(data)
    assert opened
    for connection in opened:
        with pytest.raises(sqlite3.ProgrammingError, match="closed"):
            connection.execute("SELECT 1")
    monkeypatch.undo()
    assert _schema_rows(data / DB_FILENAME) == before  # rolled back: nothing of the upgrade stays
    assert before[0] == 1


def _schema_rows(path: Path) -> tuple[int, list[tuple[str, ...]]]:
    db = sqlite3.connect(path)
    try:
        return db.execute("PRAGMA user_version").fetchone()[0], db.execute("SELECT * FROM sqlite_master ORDER BY name").fetchall()
    finally:
        db.close()


def _rowids(library: Library) -> dict[str, int]:
    return dict(library.db.execute("SELECT id, rowid FROM articles").fetchall())


def _remove_newest(library: Library, docs: Path) -> int:
    """Remove the article with the largest rowid (its file deleted, then synced); its rowid."""
    rowid, path = library.db.execute("SELECT rowid, path FROM articles ORDER BY rowid DESC LIMIT 1").fetchone()
    Path(path).unlink()
    library.sync([docs])
    assert library.row(rowid) is None
    return int(rowid)


NEW_DOCUMENT = (
    '---\ncategory: news\ntitle: "Rover finds water ice near the lunar south pole"\nexcerpt: "Water ice."\n'
    'publishedDateTime: 2020-02-07T09:00:00Z\nwebUrl: "https://example.org/rover-ice"\ntype: article\n'
    "provider:\n  name: Example Daily\n  domain: example.org\ntopics:\n  - Space\n---\n"
)


def test_an_article_added_after_the_newest_was_removed_gets_a_rowid_never_given(tmp_path: Path, seeds_dir: Path) -> None:
    docs = tmp_path / "docs"
    shutil.copytree(seeds_dir, docs)
    with Library(tmp_path / "data") as library:
        library.sync([docs])
        shown = library.article_rowids()
        upto = library.last_rowid()
        gone = _remove_newest(library, docs)
        assert gone == upto == max(shown)
        (docs / "later.md").write_text(NEW_DOCUMENT, encoding="utf-8")
        library.sync([docs])
        later = library.db.execute("SELECT rowid FROM articles WHERE url = 'https://example.org/rover-ice'").fetchone()[0]
        row = library.row(later)
        assert row is not None
        assert later > gone  # not the rowid the list showed for the article removed
        library.mark_rows_read(shown)
        assert not library.is_read(row.id)
    with Library(tmp_path / "data") as again:  # (kept in the file, not in the connection)
        assert again.db.execute("SELECT value FROM meta WHERE key = 'rowid_high'").fetchone()[0] == gone
        _remove_newest(again, docs)
        (docs / "later2.md").write_text(NEW_DOCUMENT.replace("rover-ice", "rover-ice-2"), encoding="utf-8")
        again.sync([docs])
        assert max(_rowids(again).values()) == later + 1


def test_an_upgraded_library_keeps_every_rowid_and_gives_none_again(
    tmp_path: Path, seeds_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A library of the schema before lasting rowids: every article keeps its rowid (the
    search index, the topics and the marks find the same articles), and from then on the
    rowid of the newest article, removed, is not given again."""
    step = next(version for version, upgrade in schema.UPGRADES.items() if upgrade is schema._to_lasting_rowids)
    docs = tmp_path / "docs"
    shutil.copytree(seeds_dir, docs)
    data = tmp_path / "data"
    _make_v1(data)
    monkeypatch.setattr(schema, "SCHEMA_VERSION", step - 1)
    monkeypatch.setattr(database, "SCHEMA_VERSION", step - 1)
    with Library(data) as old:  # as a Reader of the schema before left it
        assert old.db.execute("PRAGMA user_version").fetchone()[0] == step - 1
        old.sync([docs])
        Path(old.db.execute("SELECT path FROM articles ORDER BY rowid LIMIT 1").fetchone()[0]).unlink()
        old.sync([docs])  # (a gap in the rowids)
        old.set_starred([old.db.execute("SELECT id FROM articles ORDER BY rowid LIMIT 1").fetchone()[0]])
        before = _rowids(old)
        found = {word: sorted(old.article_rowids(query=word)) for word in ("clearview", "twitter", "venmo")}
        topics = old.db.execute("SELECT topic, article FROM article_topics ORDER BY 1, 2").fetchall()
        starred = old.article_rowids(View(ViewKind.STARRED))
        assert min(before.values()) > 1 and len(before) == 4 and all(found.values()) and topics and starred
    monkeypatch.undo()
    with Library(data) as library:
        assert library.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert _rowids(library) == before
        assert {word: sorted(library.article_rowids(query=word)) for word in found} == found
        assert library.db.execute("SELECT topic, article FROM article_topics ORDER BY 1, 2").fetchall() == topics
        assert library.article_rowids(View(ViewKind.STARRED)) == starred
        gone = _remove_newest(library, docs)
        assert gone == max(before.values())
        (docs / "later.md").write_text(NEW_DOCUMENT, encoding="utf-8")
        library.sync([docs])
        assert max(_rowids(library).values()) == gone + 1


def test_the_lasting_rowids_step_run_again_keeps_the_mark(tmp_path: Path, seeds_dir: Path) -> None:
    docs = tmp_path / "docs"
    shutil.copytree(seeds_dir, docs)
    with Library(tmp_path / "data") as library:
        library.sync([docs])
        gone = _remove_newest(library, docs)
        db = library.db
        db.execute("BEGIN IMMEDIATE")
        schema._to_lasting_rowids(db)  # (as when steps are replayed)
        db.execute("COMMIT")
        assert db.execute("SELECT value FROM meta WHERE key = 'rowid_high'").fetchone()[0] == gone  # not lowered
        (docs / "later.md").write_text(NEW_DOCUMENT, encoding="utf-8")
        library.sync([docs])
        assert max(_rowids(library).values()) == gone + 1


CAFE_NFC, CAFE_NFD = "Caf\u00e9", "Cafe\u0301"  # "Café" spelled two ways


def _cafe_document(i: int, spelling: str) -> str:
    return (
        f'---\ntitle: "Article {i}"\npublishedDateTime: 2024-05-1{i}T10:00:00Z\nwebUrl: "https://example.org/{i}"\n'
        f'provider:\n  name: "{spelling}"\n  domain: example.org\ntopics:\n  - "{spelling}"\n---\nBody text {i}.\n'
    )


def test_names_spelled_two_ways_are_one_after_the_upgrade(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A library read before names had one Unicode spelling: its sources and topics "Café"
    (NFC and NFD) become one at the next sync of their folder, its labels at once."""
    from reader import documents

    step = next(version for version, upgrade in schema.UPGRADES.items() if upgrade is schema._to_nfc_names)
    docs, data = tmp_path / "docs", tmp_path / "data"
    docs.mkdir()
    for i, spelling in enumerate((CAFE_NFC, CAFE_NFD)):
        (docs / f"doc{i}.md").write_text(_cafe_document(i, spelling), encoding="utf-8")
    _make_v1(data)
    monkeypatch.setattr(schema, "SCHEMA_VERSION", step - 1)
    monkeypatch.setattr(database, "SCHEMA_VERSION", step - 1)
    monkeypatch.setattr(documents, "nfc", lambda text: text)  # (names read as they were written)
    with Library(data) as old:
        old.sync([docs], processes=1)
        counts = old.counts()
        assert sorted(counts.topics) == sorted(counts.sources) == sorted([CAFE_NFC, CAFE_NFD])
        ids = [old.db.execute("SELECT id FROM articles WHERE path LIKE ?", (f"%doc{i}.md",)).fetchone()[0] for i in (0, 1)]
        old.db.execute("INSERT INTO labels(name) VALUES (?), (?)", (CAFE_NFC, CAFE_NFD))
        old.db.execute("INSERT INTO article_labels(label, id) VALUES (?, ?), (?, ?), (?, ?)",
                       (CAFE_NFC, ids[0], CAFE_NFD, ids[0], CAFE_NFD, ids[1]))  # fmt: skip
        old.save_search("Coffee", "coffee")
        old.db.execute("UPDATE saved_searches SET actions = ? WHERE name = 'Coffee'", (f'["label:{CAFE_NFD}", "star"]',))
    monkeypatch.undo()
    with Library(data) as library:
        assert library.labels() == [CAFE_NFC]
        assert library.labels_of(ids[0]) == library.labels_of(ids[1]) == (CAFE_NFC,)
        assert json.loads(library.db.execute("SELECT actions FROM saved_searches").fetchone()[0]) == [f"label:{CAFE_NFC}", "star"]
        library.sync([docs])
        counts = library.counts()
        assert {name: c.total for name, c in counts.topics.items()} == {CAFE_NFC: 2}
        assert {name: c.total for name, c in counts.sources.items()} == {CAFE_NFC: 2}
        assert sorted(library.article_rowids(View(ViewKind.TOPIC, CAFE_NFC))) == sorted(library.article_rowids())


def test_a_label_has_one_unicode_spelling(tmp_path: Path) -> None:
    with Library(tmp_path / "data") as library:
        library.add_labels([CAFE_NFD, CAFE_NFC])
        assert library.labels() == [CAFE_NFC]


def _news(title: str, body: str, hour: int) -> str:
    return f'---\ntitle: "{title}"\npublishedDateTime: 2020-02-05T1{hour}:00:00Z\n---\n{body}\n'


def test_a_saved_query_of_an_older_library_keeps_its_NOT_a_word(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Before the search index was folded, a capital NOT was a word like any other: a saved
    search (and its rule) holding one finds after the upgrade what it found before."""
    step = next(version for version, upgrade in schema.UPGRADES.items() if upgrade is schema._to_folding)
    docs, data = tmp_path / "docs", tmp_path / "data"
    docs.mkdir()
    (docs / "seed.md").write_text(_news("Seed", "nothing", 0), encoding="utf-8")
    _make_v1(data)
    monkeypatch.setattr(schema, "SCHEMA_VERSION", step - 1)
    monkeypatch.setattr(database, "SCHEMA_VERSION", step - 1)
    with Library(data) as old, old.db:
        old.sync([docs], processes=1)
        old.db.executemany(
            "INSERT INTO saved_searches(name, query, position, actions) VALUES (?, ?, ?, ?)",
            [("Done", "brexit NOT deal", 1, '["read"]'), ("Trailing", "brexit NOT", 2, "[]"),
             ("Kept", '-NOT "NOT b" topic:NOT brexit', 3, "[]")],
        )  # fmt: skip
        old.db.execute("INSERT INTO rules_seen(id) SELECT id FROM articles")
    monkeypatch.undo()
    (docs / "a.md").write_text(_news("Brexit deal or not", "Brexit: the deal is not done.", 1), encoding="utf-8")
    (docs / "b.md").write_text(_news("Brexit talks", "Brexit talks go on.", 2), encoding="utf-8")
    with Library(data) as library:
        assert [(s.name, s.query) for s in library.saved_searches()] == [
            ("Done", 'brexit "NOT" deal'), ("Trailing", 'brexit "NOT"'), ("Kept", '-NOT "NOT b" topic:NOT brexit'),
        ]  # fmt: skip
        library.sync([docs])
        read = {a.row.title for a in library.search("is:read", limit=None)}
        assert read == {"Brexit deal or not"}  # the article with all three words
        assert [a.row.title for a in library.search('brexit "NOT"', limit=None)] == ["Brexit deal or not"]
