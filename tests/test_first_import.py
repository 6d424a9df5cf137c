"""A first import (a big sync into an empty or nearly empty library) builds the secondary
indexes of the list entries and the files after loading, in bulk: they are there when it
ends, a library left by a sync stopped part-way gets them on the next open, and what other
connections ask while it loads is answered right."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from reader.library import Count, Library, Sort, SyncBatch, View, ViewKind
from reader.library import database as library_database
from reader.library import sync as library_sync

N = 40
PROVIDERS = ("Alpha News", "beta times", "Gamma Daily")
START = datetime(2021, 3, 1, 8, 0, tzinfo=timezone.utc)
#: Index definitions a new library has (read from a new file, not from the code).
DEFERRED_TABLES = ("entries", "files")


def spec(i: int) -> dict[str, object]:
    """Document ``i``: dates out of file order, three sources, a word in every fifth."""
    return {
        "title": f"Story {i:03d} of the import",
        "url": f"https://example.com/{i}",
        "published": START + timedelta(hours=(i * 17) % N),
        "provider": PROVIDERS[i % 3],
        "topics": ["Gen", f"Topic{i % 4}"],
        "body": "A zebra crossed." if i % 5 == 0 else "Nothing else.",
    }


def write_docs(folder: Path, n: int = N, start: int = 0) -> dict[str, dict[str, object]]:
    """The documents, as files; returns their specs by title."""
    folder.mkdir(parents=True, exist_ok=True)
    specs = {}
    for i in range(start, start + n):
        s = spec(i)
        published = s["published"].strftime("%Y-%m-%dT%H:%M:%SZ")  # type: ignore[attr-defined]
        topics = "".join(f"\n  - {t}" for t in s["topics"])  # type: ignore[attr-defined]
        (folder / f"doc{i:03d}.md").write_text(
            f"---\ntitle: {json.dumps(s['title'])}\nwebUrl: {s['url']}\npublishedDateTime: {published}\n"
            f"provider:\n  name: {s['provider']}\ntopics:{topics}\n---\n{s['body']}\n",
            encoding="utf-8",
        )
        specs[str(s["title"])] = s
    return specs


def indexes(db: sqlite3.Connection) -> dict[str, str]:
    """The named indexes of the list entries and the files: {name: definition}."""
    marks = ", ".join("?" * len(DEFERRED_TABLES))
    rows = db.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({marks})",
        DEFERRED_TABLES,
    )
    return dict(rows.fetchall())


@pytest.fixture
def fresh_indexes(tmp_path: Path) -> dict[str, str]:
    with Library(tmp_path / "fresh") as lib:
        found = indexes(lib.db)
    assert {"entries_newest", "entries_provider", "files_article"} <= set(found)
    return found


@pytest.fixture
def small_bulk(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ten files make a big sync (instead of a thousand)."""
    monkeypatch.setattr(library_sync, "BULK_INDEX_MIN_FILES", 10)


def test_a_first_import_builds_the_indexes_at_its_end(tmp_path: Path, small_bulk: None, fresh_indexes: dict[str, str]) -> None:
    write_docs(tmp_path / "docs")
    during: list[dict[str, str]] = []
    with Library(tmp_path / "data") as lib:
        report = lib.sync([tmp_path / "docs"], batch_size=8, group=False, progress=lambda b: during.append(indexes(lib.db)))
        assert report.parsed == N
        assert len(during) == N // 8
        # none kept up row by row while loading, but the list's own order (newest first)
        assert all(found == {"entries_newest": fresh_indexes["entries_newest"]} for found in during)
        assert indexes(lib.db) == fresh_indexes  # all back, as a new library defines them
        assert lib._deferred_indexes() == {}
        assert lib.db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        plan = " ".join(str(row) for row in lib.db.execute(
            "EXPLAIN QUERY PLAN SELECT rowid FROM entries a ORDER BY a.published DESC, a.title COLLATE NOCASE"
        ))  # fmt: skip
        assert "entries_newest" in plan


def test_a_sync_into_a_library_that_has_articles_keeps_its_indexes(
    tmp_path: Path, small_bulk: None, fresh_indexes: dict[str, str]
) -> None:
    write_docs(tmp_path / "docs", n=10)
    with Library(tmp_path / "data") as lib:
        lib.sync([tmp_path / "docs"], group=False)
        write_docs(tmp_path / "docs", n=30, start=10)  # 30 new files to 10 articles: not a first import
        during: list[dict[str, str]] = []
        report = lib.sync([tmp_path / "docs"], batch_size=8, group=False, progress=lambda b: during.append(indexes(lib.db)))
        assert report.parsed == 30
        assert during and all(found == fresh_indexes for found in during)


def test_a_first_import_stopped_part_way_is_indexed_on_the_next_open(
    tmp_path: Path, small_bulk: None, fresh_indexes: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    specs = write_docs(tmp_path / "docs")
    data = tmp_path / "data"
    with Library(data) as lib:
        # as if killed before its end: nothing built in bulk
        monkeypatch.setattr(Library, "_build_deferred_indexes", lambda self: None)
        monkeypatch.setattr(Library, "_index_pending", lambda self, finish: None)
        lib.sync([tmp_path / "docs"], group=False)
        monkeypatch.undo()
        assert set(indexes(lib.db)) == {"entries_newest"}  # (the list's order is kept up all along)
        assert set(lib._deferred_indexes()) == set(fresh_indexes) - {"entries_newest"}  # what to build, kept in the file
        assert lib.counts().sources == {p: Count(n, n) for p, n in Counter(s["provider"] for s in specs.values()).items()}
    with Library(data) as again:
        assert indexes(again.db) == fresh_indexes
        assert again._deferred_indexes() == {}
        assert len(again.search("zebra", limit=None)) == N // 5
        assert again.db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]


def test_queries_while_a_first_import_loads_are_right(
    tmp_path: Path, small_bulk: None, fresh_indexes: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the window asks from its other connections while the loader imports: the list in
    each order, a source's articles, counts, search, trends, an article's files."""
    monkeypatch.setattr(library_sync, "BULK_INDEX_STEP", 1)  # search text indexed after each batch
    specs = write_docs(tmp_path / "docs")
    data = tmp_path / "data"
    checked: list[int] = []
    later: list[Library] = []
    with Library(data) as lib, Library(data) as window:

        def check(batch: SyncBatch) -> None:
            if not later:  # a connection opened while it loads leaves the indexes to the loader
                later.append(Library(data))
                assert later[0]._deferred_indexes() and set(indexes(later[0].db)) == {"entries_newest"}
            for other in (window, later[0]):
                stored = {row.title: row for row in other.rows(other.article_rowids()).values()}
                expected = [specs[t] for t in stored]
                newest = sorted(expected, key=lambda s: (-s["published"].timestamp(), s["title"]))  # type: ignore[attr-defined]
                assert [stored[str(s["title"])].rowid for s in newest] == other.article_rowids(sort=Sort.NEWEST)
                by_title = sorted(expected, key=lambda s: str(s["title"]).lower())
                assert [stored[str(s["title"])].rowid for s in by_title] == other.article_rowids(sort=Sort.TITLE)
                beta = other.article_rowids(View(ViewKind.SOURCE, "BETA TIMES"))
                assert len(beta) == sum(1 for s in expected if s["provider"] == "beta times")
                counts = other.counts()
                assert counts.all.total == len(stored) == batch.done
                assert {p: c.total for p, c in counts.sources.items()} == Counter(str(s["provider"]) for s in expected)
                assert {t: c.total for t, c in counts.topics.items()} == Counter(t for s in expected for t in s["topics"])  # type: ignore[attr-defined]
                hits = {hit.row.title for hit in other.search("zebra", limit=None)}
                assert hits == {str(s["title"]) for s in expected if "zebra" in str(s["body"])}
                assert isinstance(other.trends(days=1), list)  # (it names the date index, which the import keeps up)
                some = next(iter(stored.values()))
                assert [Path(p).name for p in other.paths(some.id)] == [f"doc{int(some.title.split()[1]):03d}.md"]
            checked.append(batch.done)

        try:
            lib.sync([tmp_path / "docs"], batch_size=8, group=False, progress=check)
        finally:
            for other in later:
                other.close()
        assert checked == [8, 16, 24, 32, 40]
        assert indexes(window.db) == fresh_indexes


def test_a_first_import_parses_files_while_the_scan_goes_on(
    tmp_path: Path, small_bulk: None, fresh_indexes: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    specs = write_docs(tmp_path / "docs")
    monkeypatch.setattr(library_sync, "PARALLEL_MIN_FILES", 10)
    monkeypatch.setattr(library_sync._Scan, "STEP", 4)  # files looked at per step of the scan
    found_when_parsing_began: list[int] = []
    take = library_sync._Scan.take

    def first_take(scan: library_sync._Scan, n: int) -> list[str]:
        if not found_when_parsing_began:
            found_when_parsing_began.append(scan.files)
        return take(scan, n)

    monkeypatch.setattr(library_sync._Scan, "take", first_take)
    progress: list[SyncBatch] = []
    missing = tmp_path / "zz-missing"  # (scanned after the documents: a problem found while parsing)
    with Library(tmp_path / "data") as lib:
        report = lib.sync([tmp_path / "docs", missing], processes=2, batch_size=8, group=False, progress=progress.append)
        assert found_when_parsing_began and found_when_parsing_began[0] < N  # the workers began before the scan ended
        assert (report.files, report.parsed, report.problems) == (N, N, 1)
        assert (progress[-1].done, progress[-1].total) == (N, N) and all(b.done <= b.total for b in progress)
        told = [p for b in progress for p in b.problems]
        assert [(p.path, p.reason.startswith("folder could not be read")) for p in told] == [(str(missing), True)]
        assert {row.title for row in lib.rows(lib.article_rowids()).values()} == set(specs)
        assert indexes(lib.db) == fresh_indexes
        assert lib.sync([tmp_path / "docs"]).parsed == 0  # every file's signature was kept


def test_a_new_folder_parsed_while_scanned_into_a_library_that_has_articles_keeps_its_indexes(
    tmp_path: Path, small_bulk: None, fresh_indexes: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(library_sync, "PARALLEL_MIN_FILES", 10)
    write_docs(tmp_path / "one", n=10)
    write_docs(tmp_path / "two", n=30, start=10)  # 30 files to 10 articles: not a first import
    with Library(tmp_path / "data") as lib:
        lib.sync([tmp_path / "one"], group=False)
        during: list[dict[str, str]] = []
        report = lib.sync([tmp_path / "two"], processes=2, batch_size=8, group=False, progress=lambda b: during.append(indexes(lib.db)))
        assert (report.files, report.parsed) == (30, 30)
        assert during and all(found == fresh_indexes for found in during)
        assert lib.counts().all.total == 40


FULL, NORMAL = 2, 1  # (what ``PRAGMA synchronous`` reads)


def durability(db: sqlite3.Connection) -> tuple[int, int]:
    """How a connection commits: (synchronous, wal_autocheckpoint)."""
    return db.execute("PRAGMA synchronous").fetchone()[0], db.execute("PRAGMA wal_autocheckpoint").fetchone()[0]


def test_a_first_import_loads_without_syncing_each_batch_and_ends_synced(
    tmp_path: Path, small_bulk: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    specs = write_docs(tmp_path / "docs")
    data = tmp_path / "data"
    during: list[tuple[int, int]] = []
    marks: list[int] = []  # synchronous when a mark's transaction began
    write = Library._write

    def spy(self: Library) -> Iterator[sqlite3.Connection]:
        if marking:
            marks.append(self.db.execute("PRAGMA synchronous").fetchone()[0])
        yield from write(self)

    monkeypatch.setattr(Library, "_write", spy)
    marking: list[bool] = []
    starred: set[str] = set()
    with Library(data) as lib, Library(data) as window:
        assert durability(lib.db) == (FULL, 1000)  # (SQLite's own checkpoint step)

        def check(batch: SyncBatch) -> None:
            during.append(durability(lib.db))
            assert durability(window.db) == (FULL, 1000)  # another connection commits as always
            newest = lib.rows(lib.article_rowids()[:1])
            some = next(iter(newest.values()))
            marking.append(True)
            lib.set_starred([some.id])  # a mark on the loading connection itself
            window.set_read([some.id])
            starred.add(some.title)
            marking.clear()
            during.append(durability(lib.db))  # (and loading goes on as before)

        report = lib.sync([tmp_path / "docs"], batch_size=8, group=False, progress=check)
        assert report.parsed == N
        assert during == [(NORMAL, library_database.LOADING_CHECKPOINT_PAGES)] * (2 * N // 8)
        assert marks == [FULL, FULL] * (N // 8)  # every mark synced as it is committed
        assert durability(lib.db) == (FULL, 1000)  # back when the import ended
        assert {row.title for row in window.rows(window.article_rowids()).values()} == set(specs)
        assert {row.title for row in window.rows(window.article_rowids(View(ViewKind.STARRED))).values()} == starred


def test_commits_are_synced_again_after_a_first_import_that_failed(
    tmp_path: Path, small_bulk: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_docs(tmp_path / "docs")

    def fail(batch: SyncBatch) -> None:
        assert durability(lib.db)[0] == NORMAL
        raise RuntimeError("stopped in the middle")

    with Library(tmp_path / "data") as lib:
        with pytest.raises(RuntimeError, match="stopped in the middle"):
            lib.sync([tmp_path / "docs"], batch_size=8, group=False, progress=fail)
        assert durability(lib.db) == (FULL, 1000)
        assert lib.counts().all.total == 8  # (the batch committed before the failure stays)


def test_a_sync_that_is_not_a_first_import_syncs_each_batch(tmp_path: Path, small_bulk: None) -> None:
    write_docs(tmp_path / "docs", n=10)
    with Library(tmp_path / "data") as lib:
        lib.sync([tmp_path / "docs"], group=False)
        write_docs(tmp_path / "docs", n=30, start=10)  # 30 new files to 10 articles: not a first import
        during: list[tuple[int, int]] = []
        lib.sync([tmp_path / "docs"], batch_size=8, group=False, progress=lambda b: during.append(durability(lib.db)))
        assert during and set(during) == {(FULL, 1000)}
