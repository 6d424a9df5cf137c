"""The library (reader.library): sync, identity and state, views, counts, scope, taxonomy,
and the safety of its SQLite file (corruption, newer schemas, kill -9).

Every test works on copies under tmp_path, so files can be edited, moved and deleted.
"""

from __future__ import annotations

import dataclasses
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml

import reader.library as library_module
from reader.library import codec, parsing
from reader.library import sync as library_sync
from reader.article import Article, Document, Problem
from reader.documents import parse_path
from reader.library import (
    DB_FILENAME,
    ENV_DATA_DIR,
    SCHEMA_VERSION,
    Count,
    Library,
    LibraryError,
    ListRow,
    Sort,
    SyncBatch,
    View,
    ViewKind,
    default_data_dir,
    make_scope,
)

ROOT = Path(os.path.abspath(__file__)).parent.parent
SEEDS = ROOT / "seeds"
CORPUS = ROOT / "tests" / "data" / "corpus"
SEED_NAMES = sorted(p.name for p in SEEDS.iterdir())
S000, S001, S002, S003, S004 = SEED_NAMES
# Read from the seed files.
T000 = "AI company must stop scraping user images from social media sites, top tech firms say"
T001 = "Facebook, YouTube, Twitter warn Clearview face-recognition service to stop harvesting images"
T004 = "Twitter demands AI company stops 'collecting faces'"


# --------------------------------------------------------------------------- helpers


def news(
    title: str,
    url: str,
    *,
    published: str | None = None,
    provider: str | None = None,
    domain: str | None = None,
    topics: Sequence[str] = (),
    heat: int | None = None,
    quality: int | None = None,
    body: str = "",
) -> str:
    """A small front-matter news document."""
    lines = ["---", f"title: {json.dumps(title)}", f"webUrl: {json.dumps(url)}"]
    if published:
        lines.append(f"publishedDateTime: {published}")
    if provider:
        lines += ["provider:", f"  name: {json.dumps(provider)}"] + ([f"  domain: {domain}"] if domain else [])
    if topics:
        lines += ["topics:"] + [f"  - {json.dumps(t)}" for t in topics]
    if heat is not None:
        lines.append(f"heat: {heat}")
    if quality is not None:
        lines.append(f"quality: {quality}")
    lines += ["---", body]
    return "\n".join(lines) + "\n"


def write(path: Path, text: str, mtime: float | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path


def bump(path: Path, seconds: float = 10) -> None:
    """Move the modification time forward, as an editor saving the file would."""
    stamp = path.stat().st_mtime + seconds
    os.utime(path, (stamp, stamp))


def generate(folder: Path, n: int, start: int = 0) -> list[Path]:
    return [
        write(folder / f"doc{i:05d}.md", news(f"Generated story {i}", f"https://example.com/story/{i}",
                                              published="2020-01-02T03:04:05Z", topics=["Gen"], body=f"Story {i}."))
        for i in range(start, start + n)
    ]


def by_file(lib: Library) -> dict[str, ListRow]:
    """Every article's list row, keyed by the name of the (first) file carrying it."""
    rows = lib.rows(lib.article_rowids())
    return {os.path.basename(lib.paths(r.id)[0]): r for r in rows.values()}


def titles(lib: Library, rowids: Sequence[int]) -> list[str]:
    rows = lib.rows(rowids)
    return [rows[r].title for r in rowids]


def integrity(db_path: Path) -> list[tuple[str, ...]]:
    db = sqlite3.connect(db_path)
    try:
        return db.execute("PRAGMA integrity_check").fetchall()
    finally:
        db.close()


class Counting:
    """A parse hook that records what it was asked to parse."""

    def __init__(self) -> None:
        self.paths: list[str] = []

    def __call__(self, batch: Sequence[str]) -> list[Document]:
        self.paths.extend(batch)
        return [parse_path(p) for p in batch]


@pytest.fixture
def lib(tmp_path: Path) -> Iterator[Library]:
    library = Library(tmp_path / "data")
    yield library
    library.close()


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    return Path(shutil.copytree(SEEDS, tmp_path / "seeds"))


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return Path(shutil.copytree(CORPUS, tmp_path / "corpus"))


def _front_matter(path: Path) -> dict[str, object]:
    text = path.read_text(encoding="utf-8")
    return yaml.load(text[4 : text.index("\n---", 4)], Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def corpus_news() -> list[Path]:
    return sorted(p for p in CORPUS.glob("*.md") if p.name != "SOURCE.md")


# --------------------------------------------------------------------------- sync


def test_sync_counts(lib: Library, seeds: Path, corpus: Path) -> None:
    news_files = corpus_news()
    urls = {next(fm[k] for k in ("originalUrl", "webUrl") if fm.get(k)) for fm in map(_front_matter, news_files)}
    taxonomy_files = list((CORPUS / "_data").iterdir())
    assert (len(news_files), len(urls), len(taxonomy_files)) == (96, 95, 4)

    report = lib.sync([seeds, corpus])
    assert report.files == 5 + 96 + 4
    assert report.parsed == report.files
    assert (report.unchanged, report.removed_files, report.problems, report.cancelled) == (0, 0, 0, False)
    counts = lib.counts()
    assert counts.all == Count(5 + 95, 5 + 95)
    assert counts.problems == 0
    assert len(lib.taxonomies()) == 4
    shared = [r for r in lib.rows(lib.article_rowids()).values() if len(lib.paths(r.id)) == 2]
    assert [r.title for r in shared] == ["Google Cloud Team Releases AutoML Natural Language"]


def test_second_sync_of_an_unchanged_folder_parses_nothing(lib: Library, seeds: Path, corpus: Path) -> None:
    first = Counting()
    lib.sync([seeds, corpus], parse=first)
    assert len(first.paths) == 105
    again = Counting()
    batches: list[SyncBatch] = []
    report = lib.sync([seeds, corpus], parse=again, progress=batches.append)
    assert again.paths == []
    assert (report.files, report.parsed, report.unchanged, report.removed_files) == (105, 0, 105, 0)
    assert [(b.done, b.total, b.parsed, b.changed, b.removed) for b in batches] == [(105, 105, 0, (), ())]


def test_only_the_touched_file_is_parsed_again(lib: Library, seeds: Path) -> None:
    lib.sync([seeds])
    bump(seeds / S001)
    hook = Counting()
    report = lib.sync([seeds], parse=hook)
    assert hook.paths == [str(seeds / S001)]
    assert (report.parsed, report.unchanged) == (1, 4)


def test_edited_file_is_parsed_again_and_keeps_its_rowid(lib: Library, seeds: Path) -> None:
    lib.sync([seeds])
    path = seeds / S000
    before = by_file(lib)[S000]
    path.write_text(path.read_text(encoding="utf-8").replace(T000, "Clearview quarrel escalates"), encoding="utf-8")
    bump(path)
    hook = Counting()
    batches: list[SyncBatch] = []
    report = lib.sync([seeds], parse=hook, progress=batches.append)
    assert hook.paths == [str(path)] and report.parsed == 1
    after = by_file(lib)[S000]
    assert (after.rowid, after.id) == (before.rowid, before.id)
    assert after.title == "Clearview quarrel escalates"
    article = lib.article(before.rowid)
    assert article is not None and article.title == "Clearview quarrel escalates"
    assert [b.changed for b in batches] == [(before.id,)]
    # the full-text index follows the edit
    assert [h.row.rowid for h in lib.search("quarrel")] == [before.rowid]
    assert lib.search('"top tech firms say"') == []
    assert lib.counts().all.total == 5


def test_added_file(lib: Library, seeds: Path) -> None:
    lib.sync([seeds])
    write(seeds / "new.md", news("A brand new story", "https://example.com/new", provider="Example", topics=["AI"]))
    batches: list[SyncBatch] = []
    report = lib.sync([seeds], progress=batches.append)
    assert (report.files, report.parsed, report.unchanged) == (6, 1, 5)
    row = by_file(lib)["new.md"]
    assert row.title == "A brand new story"
    assert [b.changed for b in batches] == [(row.id,)]
    assert lib.counts().topics["AI"] == Count(4, 4)


def test_deleted_file_leaves(lib: Library, seeds: Path) -> None:
    lib.sync([seeds])
    gone = by_file(lib)[S004]
    (seeds / S004).unlink()
    batches: list[SyncBatch] = []
    report = lib.sync([seeds], progress=batches.append)
    assert (report.files, report.parsed, report.removed_files) == (4, 0, 1)
    assert [b.removed for b in batches] == [(gone.id,)]
    assert lib.rowid_of(gone.id) is None
    assert lib.article(gone.rowid) is None and lib.article(gone.id) is None
    assert lib.rows([gone.rowid]) == {}
    assert T004 not in {r.title for r in by_file(lib).values()}
    assert lib.search('"collecting faces"') == []
    assert lib.counts().sources.get("BBC") is None


def test_sync_changes_reads_only_the_paths_a_watcher_reported(lib: Library, tmp_path: Path, seeds: Path) -> None:
    lib.sync([seeds])
    path = seeds / S000
    path.write_text(path.read_text(encoding="utf-8").replace(T000, "Clearview quarrel escalates"), encoding="utf-8")
    bump(path)
    bump(seeds / S001)  # changed too, but not reported: left for a full sync
    hook = Counting()
    batches: list[SyncBatch] = []
    report = lib.sync_changes([path], [seeds], parse=hook, progress=batches.append)
    assert hook.paths == [str(path)] and (report.files, report.parsed) == (1, 1)
    assert by_file(lib)[S000].title == "Clearview quarrel escalates"
    assert lib.counts().all.total == 5
    assert lib.sync([seeds], parse=hook).parsed == 1  # S001


def test_sync_changes_forgets_removed_files_and_folders_without_a_problem(lib: Library, tmp_path: Path, seeds: Path) -> None:
    sub = seeds / "sub"
    write(sub / "a.md", news("In sub", "https://e.com/sub-a"))
    write(sub / "deeper" / "b.md", news("Deeper", "https://e.com/sub-b"))
    lib.sync([seeds])
    assert lib.counts().all.total == 7
    gone = by_file(lib)[S004]
    (seeds / S004).unlink()
    report = lib.sync_changes([seeds / S004], [seeds])
    assert (report.removed_files, report.problems) == (1, 0) and lib.rowid_of(gone.id) is None
    shutil.rmtree(sub)
    report = lib.sync_changes([sub], [seeds])
    assert (report.removed_files, report.problems) == (2, 0)
    assert lib.counts().all.total == 4 and lib.problems() == []
    # A moved file: the old path leaves, the new one comes in, and it keeps its marks.
    moved = by_file(lib)[S001]
    lib.set_starred([moved.id])
    (seeds / S001).rename(seeds / "renamed.md")
    lib.sync_changes([seeds / S001, seeds / "renamed.md"], [seeds])
    assert by_file(lib)["renamed.md"].id == moved.id and lib.is_starred(moved.id)
    assert lib.counts().all.total == 4


def test_sync_changes_takes_more_paths_than_sqlite_takes_conditions(lib: Library, tmp_path: Path) -> None:
    """A bulk copy into an open folder, then a bulk removal: a watcher reports 1,100 paths at
    once (SQLite takes no expression deeper than 1,000 terms). So does a scope of as many files."""
    folder = tmp_path / "bulk"
    paths = [write(folder / f"doc-{i:04d}.md", news(f"Bulk report {i}", f"https://e.com/bulk-{i}")) for i in range(1100)]
    lib.sync([folder / "doc-0000.md"])
    report = lib.sync_changes(paths, [folder])
    assert report.parsed == 1099 and lib.counts().all.total == 1100
    assert lib.counts([str(p) for p in paths[:1050]]).all.total == 1050
    for path in paths[:1050]:
        path.unlink()
    report = lib.sync_changes(paths[:1050], [folder])
    assert report.removed_files == 1050 and lib.counts().all.total == 50


def test_sync_changes_ignores_what_a_full_sync_would_not_read(lib: Library, tmp_path: Path, seeds: Path) -> None:
    lib.sync([seeds])
    hidden = write(seeds / ".obsidian" / "note.md", news("Hidden", "https://e.com/hidden"))
    note = write(seeds / "README.md", news("Readme", "https://e.com/readme"))
    picture = write(seeds / "photo.png", "not a document")
    outside = write(tmp_path / "elsewhere" / "x.md", news("Outside", "https://e.com/outside"))
    hook = Counting()
    report = lib.sync_changes([hidden, note, picture, outside, tmp_path / "elsewhere"], [seeds], parse=hook)
    assert hook.paths == [] and report.files == 0
    added = write(seeds / "new" / "fresh.md", news("Fresh", "https://e.com/fresh"))
    lib.sync_changes([added.parent, added], [seeds], parse=hook)
    assert hook.paths == [str(added)]
    assert lib.counts().all.total == 6


def test_file_that_turns_broken_leaves_and_is_a_problem(lib: Library, seeds: Path) -> None:
    lib.sync([seeds])
    path = seeds / S001
    good = path.read_text(encoding="utf-8")
    row = by_file(lib)[S001]
    path.write_text("---\ntitle: [never closed\n---\n", encoding="utf-8")
    bump(path)
    batches: list[SyncBatch] = []
    report = lib.sync([seeds], progress=batches.append)
    assert report.problems == 1
    assert lib.rowid_of(row.id) is None
    assert [b.removed for b in batches] == [(), (row.id,)]  # (told once every file is read)
    problems = lib.problems()
    assert [p.path for p in problems] == [str(path)]
    assert problems[0].reason and isinstance(problems[0], Problem)
    assert [p.path for b in batches for p in b.problems] == [str(path)]
    assert lib.counts().problems == 1
    assert lib.counts().all.total == 4

    path.write_text(good, encoding="utf-8")
    bump(path, 20)
    lib.sync([seeds])
    assert lib.problems() == [] and lib.counts().problems == 0
    assert lib.rowid_of(row.id) is not None


def test_unreadable_document_types_are_problems(lib: Library, tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    write(folder / "ok.md", news("Fine", "https://example.com/fine"))
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02garbage")
    write(folder / "empty.md", "")
    lib.sync([folder])
    assert sorted(os.path.basename(p.path) for p in lib.problems()) == ["binary.txt", "empty.md"]
    assert lib.counts().all.total == 1


# --------------------------------------------------------------------------- state


def test_state_survives_closing_and_reopening(tmp_path: Path, seeds: Path) -> None:
    with Library(tmp_path / "data") as lib:
        lib.sync([seeds])
        rows = by_file(lib)
        lib.set_read([rows[S000].id, rows[S003].id])
        lib.set_starred([rows[S001].id])
        assert lib.toggle_starred(rows[S004].id) is True
        assert lib.toggle_read(rows[S003].id) is False  # back to unread
    with Library(tmp_path / "data") as lib:
        rows = by_file(lib)
        assert {name for name, r in rows.items() if r.read} == {S000}
        assert {name for name, r in rows.items() if r.starred} == {S001, S004}
        assert lib.is_read(rows[S000].id) and not lib.is_read(rows[S003].id)
        assert lib.is_starred(rows[S004].id) and not lib.is_starred(rows[S000].id)
        assert lib.counts().unread == Count(4, 4)
        assert lib.counts().starred == Count(2, 2)


def test_state_survives_a_move_to_another_folder(lib: Library, tmp_path: Path, seeds: Path) -> None:
    lib.sync([seeds])
    row = by_file(lib)[S000]
    lib.set_read([row.id])
    lib.set_starred([row.id])
    other = tmp_path / "other"
    other.mkdir()
    os.rename(seeds / S000, other / "moved.txt")
    lib.sync([seeds, other])
    assert lib.paths(row.id) == [str(other / "moved.txt")]
    moved = lib.row(lib.rowid_of(row.id) or -1)
    assert moved is not None and moved.read and moved.starred
    assert lib.counts().all.total == 5

    # moved again, the new folder synced later: the article is gone for a while
    third = tmp_path / "third"
    third.mkdir()
    os.rename(other / "moved.txt", third / S000)
    lib.sync([other])
    assert lib.rowid_of(row.id) is None
    assert lib.counts().starred == Count(0, 0)
    assert lib.is_starred(row.id) and lib.is_read(row.id)
    lib.sync([third])
    back = lib.row(lib.rowid_of(row.id) or -1)
    assert back is not None and back.read and back.starred
    assert lib.search("is:starred is:read")[0].row.id == row.id


def test_state_survives_an_article_leaving_and_coming_back(lib: Library, seeds: Path) -> None:
    lib.sync([seeds])
    rows = by_file(lib)
    lib.set_starred([rows[S002].id])  # a plain-text document: its id comes from its text
    lib.set_read([rows[S004].id])
    saved = {name: (seeds / name).read_bytes() for name in (S002, S004)}
    for name in saved:
        (seeds / name).unlink()
    lib.sync([seeds])
    assert lib.counts().all.total == 3 and lib.counts().starred.total == 0
    for name, data in saved.items():
        (seeds / name).write_bytes(data)
    lib.sync([seeds])
    again = by_file(lib)
    assert again[S002].starred and not again[S002].read
    assert again[S004].read and not again[S004].starred
    assert again[S002].id == rows[S002].id


def test_state_of_unknown_ids_is_kept_for_later(lib: Library, seeds: Path) -> None:
    lib.sync([seeds])
    lib.set_starred(["not-an-article"])
    assert lib.is_starred("not-an-article")
    assert lib.counts().starred.total == 0


# --------------------------------------------------------------------------- duplicates


STORY = "https://example.com/news/the-story"


def test_two_files_with_one_url_are_one_article(lib: Library, tmp_path: Path) -> None:
    folder = tmp_path / "dup"
    older = write(folder / "z-older.md", news("Older copy", STORY, body="old text"), mtime=1_600_000_000)
    newer = write(folder / "a-newer.md", news("Newer copy", STORY, body="new text"), mtime=1_600_000_100)
    lib.sync([folder])
    rowids = lib.article_rowids()
    assert titles(lib, rowids) == ["Newer copy"]
    article = lib.article(rowids[0])
    assert article is not None
    assert lib.paths(article.id) == [str(newer), str(older)]
    assert article.path == str(newer) and article.body == "new text"
    assert lib.search("old") == []

    # the older file is edited: now it is the most recently modified, so it wins
    write(older, news("Older copy, edited", STORY, body="edited text"), mtime=1_600_000_200)
    lib.sync([folder])
    assert titles(lib, lib.article_rowids()) == ["Older copy, edited"]
    assert lib.article_rowids() == rowids

    # the winner goes away: the other file is read again
    older.unlink()
    hook = Counting()
    lib.sync([folder], parse=hook)
    assert hook.paths == [str(newer)]
    assert titles(lib, lib.article_rowids()) == ["Newer copy"]
    assert lib.paths(article.id) == [str(newer)]
    assert [h.row.title for h in lib.search("new")] == ["Newer copy"]
    assert lib.search("edited") == []


def test_an_older_duplicate_does_not_replace_the_newer(lib: Library, tmp_path: Path) -> None:
    folder = tmp_path / "dup"
    write(folder / "a.md", news("Newest", STORY), mtime=1_600_000_100)
    lib.sync([folder])
    write(folder / "b.md", news("Added later but older", STORY), mtime=1_600_000_000)
    lib.sync([folder])
    assert titles(lib, lib.article_rowids()) == ["Newest"]
    assert len(lib.paths(lib.rows(lib.article_rowids()).popitem()[1].id)) == 2


def test_a_copy_restored_with_its_older_time_gives_way_to_the_newest_file(lib: Library, tmp_path: Path) -> None:
    """An edited copy put back from a backup with its modification time (cp -p, rsync -t,
    tar x) is older than the other copy again: the other, the most recently modified, wins
    (read again though it did not change), as in a library made from the folder afresh; the
    article keeps its marks."""
    folder = tmp_path / "dup"
    a = write(folder / "a.md", news("Copy A", STORY), mtime=1_600_000_000)
    b = write(folder / "b.md", news("Copy B", STORY), mtime=1_600_000_100)
    lib.sync([folder])
    assert titles(lib, lib.article_rowids()) == ["Copy B"]
    rowids = lib.article_rowids()
    article_id = lib.rows(rowids)[rowids[0]].id
    lib.set_starred([article_id])
    lib.set_read([article_id])
    write(a, news("Copy A, edited", STORY), mtime=1_600_000_300)
    lib.sync([folder])
    assert titles(lib, lib.article_rowids()) == ["Copy A, edited"]
    # put back with a time still after b.md's: a.md stays the newest, with its text as put back
    write(a, news("Copy A", STORY), mtime=1_600_000_200)
    lib.sync([folder])
    assert titles(lib, lib.article_rowids()) == ["Copy A"]
    # put back with its first time: b.md is the newest again
    write(a, news("Copy A", STORY), mtime=1_600_000_000)
    hook = Counting()
    lib.sync([folder], parse=hook)
    assert sorted(hook.paths) == [str(a), str(b)]
    assert lib.article_rowids() == rowids
    row = lib.rows(rowids)[rowids[0]]
    assert (row.title, row.starred, row.read) == ("Copy B", True, True)
    assert [h.row.title for h in lib.search("copy")] == ["Copy B"]
    with Library(tmp_path / "fresh") as fresh:
        fresh.sync([folder])
        assert titles(fresh, fresh.article_rowids()) == ["Copy B"]


def test_the_newest_copy_wins_whatever_order_one_sync_reads_the_copies_in(lib: Library, tmp_path: Path) -> None:
    """Both copies changed since the last sync, read one at a time: 1.md, edited, is the
    newest now, 2.md was put back with its older time. 1.md is read first, while the library
    still holds 2.md's later time; 2.md then gives way to it, and 1.md's text is the article's."""
    folder = tmp_path / "dup"
    one = write(folder / "1.md", news("Copy 1", STORY), mtime=1_600_000_200)
    two = write(folder / "2.md", news("Copy 2, edited", STORY), mtime=1_600_000_300)
    lib.sync([folder])
    assert titles(lib, lib.article_rowids()) == ["Copy 2, edited"]
    write(one, news("Copy 1, edited", STORY), mtime=1_600_000_250)
    write(two, news("Copy 2", STORY), mtime=1_600_000_100)
    hook = Counting()
    lib.sync([folder], parse=hook, batch_size=1)
    assert hook.paths[:2] == [str(one), str(two)]  # (the order this test is about)
    assert titles(lib, lib.article_rowids()) == ["Copy 1, edited"]
    assert lib.search("copy")[0].row.title == "Copy 1, edited"
    hook = Counting()
    lib.sync([folder], parse=hook)
    assert hook.paths == [] and titles(lib, lib.article_rowids()) == ["Copy 1, edited"]


def _restored_copy(lib: Library, folder: Path) -> tuple[Path, Path, str]:
    """a.md and b.md carry one article; a.md, edited (the newest, the article's text), is put
    back with its first time, older than b.md's. The article is starred and read."""
    a = write(folder / "a.md", news("Copy A", STORY), mtime=1_600_000_000)
    b = write(folder / "b.md", news("Copy B", STORY), mtime=1_600_000_100)
    lib.sync([folder])
    rowids = lib.article_rowids()
    article_id = lib.rows(rowids)[rowids[0]].id
    lib.set_starred([article_id])
    lib.set_read([article_id])
    write(a, news("Copy A, edited", STORY), mtime=1_600_000_300)
    lib.sync([folder])
    assert titles(lib, lib.article_rowids()) == ["Copy A, edited"]
    write(a, news("Copy A", STORY), mtime=1_600_000_000)
    return a, b, article_id


def _marked(lib: Library) -> tuple[bool, bool]:
    row = lib.rows(lib.article_rowids()).popitem()[1]
    return row.starred, row.read


@pytest.mark.parametrize("how", ["deleted during the sync", "unheard by a watcher"])
def test_a_restored_copy_whose_newer_copy_vanished_is_the_article(lib: Library, tmp_path: Path, how: str) -> None:
    """a.md is put back with its older time and b.md, the other copy, is gone before the
    sync can read it again (deleted while the sync runs, or while a watcher reported only
    a.md): the article is a.md's text as the file is now, also in later syncs."""
    folder = tmp_path / "dup"
    a, b, _ = _restored_copy(lib, folder)
    if how == "deleted during the sync":

        def parse(batch: Sequence[str]) -> list[Document]:
            documents = [parse_path(p) for p in batch]
            if str(a) in batch and b.exists():
                b.unlink()
            return documents

        lib.sync([folder], parse=parse, batch_size=1)
    else:
        b.unlink()
        lib.sync_changes([a], [folder])
    assert titles(lib, lib.article_rowids()) == ["Copy A"]
    assert [h.row.title for h in lib.search("copy")] == ["Copy A"]
    assert _marked(lib) == (True, True)
    hook = Counting()
    lib.sync([folder], parse=hook)
    assert hook.paths == [] and titles(lib, lib.article_rowids()) == ["Copy A"]
    with Library(tmp_path / "fresh") as fresh:
        fresh.sync([folder])
        assert titles(fresh, fresh.article_rowids()) == ["Copy A"]


class _Stop(BaseException):
    """The process stops (a crash, the window closing) while a sync reads."""


@pytest.mark.parametrize("how", ["cancelled", "stopped"])
def test_a_sync_stopped_after_reading_a_restored_copy_is_finished_by_the_next(lib: Library, tmp_path: Path, how: str) -> None:
    """A sync cancelled (or stopped by a crash) right after reading a.md, put back with its
    older time, before it reads b.md, the newest copy, again: the article is a.md's text as
    the file is now, and the next sync reads b.md, whose text it becomes."""
    folder = tmp_path / "dup"
    a, b, _ = _restored_copy(lib, folder)
    read: list[str] = []
    if how == "cancelled":
        batches: list[SyncBatch] = []
        report = lib.sync([folder], parse=Counting(), batch_size=1, progress=batches.append, cancelled=lambda: bool(batches))
        assert report.cancelled
    else:

        def parse(batch: Sequence[str]) -> list[Document]:
            if read:
                raise _Stop
            read.extend(batch)
            return [parse_path(p) for p in batch]

        with pytest.raises(_Stop):
            lib.sync([folder], parse=parse, batch_size=1)
        assert read == [str(a)]
    assert titles(lib, lib.article_rowids()) == ["Copy A"]
    assert _marked(lib) == (True, True)
    lib.close()
    with Library(tmp_path / "data") as again:
        hook = Counting()
        again.sync([folder], parse=hook)
        assert hook.paths == [str(b)]
        assert titles(again, again.article_rowids()) == ["Copy B"]
        assert [h.row.title for h in again.search("copy")] == ["Copy B"]
        assert _marked(again) == (True, True)
        hook = Counting()
        again.sync([folder], parse=hook)
        assert hook.paths == []
    with Library(tmp_path / "fresh") as fresh:
        fresh.sync([folder])
        assert titles(fresh, fresh.article_rowids()) == ["Copy B"]


def test_a_sync_stopped_after_the_newest_copy_left_is_finished_by_the_next(lib: Library, tmp_path: Path) -> None:
    """b.md, the newest copy and the article's text, is deleted; the sync that forgets it
    stops (a crash) before it reads a.md, the other copy, again: the next sync reads a.md."""
    folder = tmp_path / "dup"
    a = write(folder / "a.md", news("Copy A", STORY), mtime=1_600_000_000)
    b = write(folder / "b.md", news("Copy B", STORY), mtime=1_600_000_100)
    lib.sync([folder])
    b.unlink()

    def parse(batch: Sequence[str]) -> list[Document]:
        raise _Stop

    with pytest.raises(_Stop):
        lib.sync([folder], parse=parse)
    hook = Counting()
    lib.sync([folder], parse=hook)
    assert hook.paths == [str(a)]
    assert titles(lib, lib.article_rowids()) == ["Copy A"]
    hook = Counting()
    lib.sync([folder], parse=hook)
    assert hook.paths == []


@pytest.mark.parametrize(("first", "second"), [("a.md", "b.md"), ("x", "x.md"), ("x.md", "y")])
def test_equal_mtimes_go_to_the_path_that_sorts_first(lib: Library, tmp_path: Path, first: str, second: str) -> None:
    folder = tmp_path / "dup"
    write(folder / second, news("Second", STORY), mtime=1_600_000_000)
    write(folder / first, news("First", STORY), mtime=1_600_000_000)
    lib.sync([folder])
    assert titles(lib, lib.article_rowids()) == ["First"]
    (folder / first).unlink()
    lib.sync([folder])
    assert titles(lib, lib.article_rowids()) == ["Second"]


def test_a_duplicate_in_another_synced_folder_takes_over(lib: Library, tmp_path: Path) -> None:
    one = write(tmp_path / "one" / "a.md", news("From folder one", STORY), mtime=1_600_000_000)
    two = write(tmp_path / "two" / "b.md", news("From folder two", STORY), mtime=1_600_000_100)
    lib.sync([one.parent])
    lib.sync([two.parent])
    assert titles(lib, lib.article_rowids()) == ["From folder two"]
    two.unlink()
    report = lib.sync([two.parent])
    assert (report.files, report.removed_files, report.unchanged) == (0, 1, 0)
    assert titles(lib, lib.article_rowids()) == ["From folder one"]
    # folder one's file was read again with its real size and time: no further parsing
    hook = Counting()
    report = lib.sync([one.parent], parse=hook)
    assert hook.paths == [] and report.unchanged == 1


def test_a_file_that_changes_url_leaves_its_old_article(lib: Library, tmp_path: Path) -> None:
    folder = tmp_path / "dup"
    a = write(folder / "a.md", news("Story A", STORY), mtime=1_600_000_100)
    write(folder / "b.md", news("Story B", STORY), mtime=1_600_000_000)
    lib.sync([folder])
    assert titles(lib, lib.article_rowids()) == ["Story A"]
    write(a, news("Story A, moved", "https://example.com/other"), mtime=1_600_000_200)
    lib.sync([folder])
    assert sorted(titles(lib, lib.article_rowids())) == ["Story A, moved", "Story B"]


# --------------------------------------------------------------------------- mark read, counts


def test_mark_view_read_and_undo(lib: Library, seeds: Path, corpus: Path) -> None:
    lib.sync([seeds, corpus])
    rows = by_file(lib)
    vision = {name for name in rows if name.endswith(".md") and "Computer Vision" in (_front_matter(corpus / name).get("topics") or ())}
    vision.add(S001)
    assert len(vision) == 14
    inside = sorted(vision)[3]
    outside = sorted(set(rows) - vision)[5]
    lib.set_read([rows[inside].id, rows[outside].id])

    undo = lib.mark_view_read(View(ViewKind.TOPIC, "Computer Vision"))
    assert set(undo.ids) == {rows[n].id for n in vision - {inside}}
    read = {name for name, r in by_file(lib).items() if r.read}
    assert read == vision | {outside}
    assert lib.counts().topics["Computer Vision"] == Count(14, 0)

    lib.undo(undo)
    assert {name for name, r in by_file(lib).items() if r.read} == {inside, outside}
    assert lib.counts().topics["Computer Vision"] == Count(14, 13)


def test_mark_read_with_a_query_a_scope_or_a_smart_view(lib: Library, seeds: Path, corpus: Path) -> None:
    lib.sync([seeds, corpus])
    undo = lib.mark_view_read(query="clearview", scope=make_scope([seeds]))
    assert {name for name, r in by_file(lib).items() if r.read} == set(SEED_NAMES)
    lib.undo(undo)
    assert lib.counts().unread.total == 100
    rows = by_file(lib)
    lib.set_starred([rows[S000].id, rows[S003].id])
    undo = lib.mark_view_read(View(ViewKind.STARRED))
    assert {name for name, r in by_file(lib).items() if r.read} == {S000, S003}
    again = lib.mark_view_read(View(ViewKind.UNREAD))
    assert len(again.ids) == 98 and lib.counts().unread.total == 0
    lib.undo(again)
    assert lib.counts().unread.total == 98



def test_mark_rows_read_marks_those_rows_and_no_other(lib: Library, seeds: Path, tmp_path: Path) -> None:
    """A list read, then another article arrives: marking the list's rows leaves it unread,
    though the view holds it now; a rowid no longer in the library is passed over."""
    lib.sync([seeds])
    rows = by_file(lib)
    lib.set_read([rows[S002].id])
    listed = lib.article_rowids()
    later = write(tmp_path / "later" / "later.md", news("Rover finds water ice", "https://example.org/ice", topics=["Space"]))
    lib.sync([seeds, later.parent])
    later_id = next(r.id for r in lib.rows(lib.article_rowids()).values() if r.title == "Rover finds water ice")
    undo = lib.mark_rows_read([*listed, max(listed) + 1000])
    assert set(undo.ids) == {rows[n].id for n in SEED_NAMES} - {rows[S002].id}  # the unread ones listed
    assert all(r.read for n, r in by_file(lib).items() if n in SEED_NAMES)
    assert not lib.is_read(later_id)
    lib.undo(undo)
    assert {n for n, r in by_file(lib).items() if r.read} == {S002}
    assert lib.mark_rows_read([]).ids == ()


def test_mark_rows_read_of_stories_marks_their_copies_but_none_added_since(lib: Library, seeds: Path, tmp_path: Path) -> None:
    """Rows that stand for their stories (collapsed): every copy is marked, wherever it is
    listed -- but not a copy added after the list was read (a rowid above ``upto``)."""
    lib.sync([seeds])
    upto = lib.last_rowid()
    assert upto == max(lib.article_rowids())
    rows = by_file(lib)
    lead = rows[S001]  # the Tribune's AP report: a story with three other seeds
    copies = set(lib.story_members(lead.id))
    assert len(copies) == 4 and rows[S004].id not in copies  # (the BBC's report is apart)
    text = (seeds / S001).read_text(encoding="utf-8").replace("https://www.chicagotribune.com/", "https://www.example-herald.com/")
    copy = write(tmp_path / "more" / "herald.txt", text.replace("name: Chicago Tribune", "name: Example Herald"))
    lib.sync([seeds, copy.parent])
    herald = next(i for i in lib.story_members(lead.id) if i not in copies)  # joined the story since
    assert lib.rowid_of(herald) > upto  # type: ignore[operator]

    undo = lib.mark_rows_read([lead.rowid], stories=True, upto=upto)
    assert set(undo.ids) == copies
    assert not lib.is_read(herald) and not lib.is_read(rows[S004].id)
    lib.undo(undo)
    assert not any(lib.is_read(i) for i in copies)
    assert set(lib.mark_rows_read([lead.rowid], stories=True).ids) == copies | {herald}  # no bound: every copy
    assert set(lib.mark_rows_read([lead.rowid]).ids) == set()  # (read already)

def test_counts(lib: Library, seeds: Path) -> None:
    lib.sync([seeds])
    rows = by_file(lib)
    lib.set_read([rows[S000].id, rows[S004].id])
    lib.set_starred([rows[S004].id, rows[S002].id])
    now = datetime(2020, 2, 6, 20, 0, tzinfo=timezone.utc).timestamp()
    counts = lib.counts(now=now)
    assert counts.all == Count(5, 3)
    assert counts.unread == Count(3, 3)
    assert counts.starred == Count(2, 1)
    assert counts.today == Count(2, 1)  # 000 (Feb 5, 22:56) is read, 001 (Feb 6, 19:37) is not
    assert counts.topics == {"AI": Count(3, 1), "Computer Vision": Count(1, 1)}
    assert counts.sources == {"BBC": Count(1, 0), "Chicago Tribune": Count(1, 1), "Global News": Count(1, 0)}
    assert counts.problems == 0
    assert counts.of(View(ViewKind.TOPIC, "AI")) == Count(3, 1)
    assert counts.of(View(ViewKind.SOURCE, "BBC")) == Count(1, 0)
    assert counts.of(View(ViewKind.STARRED)) == Count(2, 1)
    assert counts.of(View(ViewKind.TOPIC, "Nothing")) == Count()
    assert lib.counts(now=datetime(2030, 1, 1, tzinfo=timezone.utc).timestamp()).today == Count(0, 0)

    write(seeds / "broken.md", "---\ntitle: x\n")
    lib.sync([seeds])
    assert lib.counts().problems == 1
    assert lib.counts(scope=make_scope([seeds / "broken.md"])).problems == 1
    assert lib.counts(scope=make_scope([seeds / S000])).problems == 0
    one = lib.counts(scope=make_scope([seeds / S001]))
    assert (one.all, one.topics, one.problems) == (Count(1, 1), {"AI": Count(1, 1), "Computer Vision": Count(1, 1)}, 0)


def test_today_lists_and_counts_the_last_24_hours_and_nothing_dated_later(lib: Library, tmp_path: Path) -> None:
    now = datetime.now(timezone.utc)
    moments = {"An hour old": -1, "Three days old": -72, "Dated in two days": 48, "Dated in an hour": 1, "In 60 days": 1440}
    for i, (title, hours) in enumerate(moments.items()):
        write(tmp_path / "docs" / f"{i}.md", news(title, f"https://e.com/{i}", published=f"{now + timedelta(hours=hours):%Y-%m-%dT%H:%M:%SZ}"))
    lib.sync([tmp_path / "docs"])
    assert lib.counts().today == Count(1, 1)
    assert titles(lib, lib.article_rowids(View(ViewKind.TODAY))) == ["An hour old"]


@pytest.mark.parametrize("read_share", [0.0, 0.2, 0.5, 0.8, 1.0])
def test_counts_agree_with_counting_by_hand(lib: Library, tmp_path: Path, read_share: float) -> None:
    """Counts take shortcuts (totals from indexes, unread from the fewer of read and
    unread): they must equal a plain count, names compared as SQLite's NOCASE does."""
    rng = random.Random(int(read_share * 10))
    providers = ["BBC", "bbc", "Bbc", "Reuters", "Été", "été", None]
    topic_names = ["AI", "ai", "Climate", "Été", "été"]
    folder, other = tmp_path / "news", tmp_path / "other"
    for i in range(60):
        text = news(
            f"Story {i}",
            f"https://e.com/{i}",
            published=f"2020-02-0{1 + i % 7}T10:00:00Z" if i % 5 else None,
            provider=rng.choice(providers),
            topics=rng.sample(topic_names, rng.randint(0, 3)),
        )
        write((folder if i % 4 else other) / f"{i:02}.md", text)
    lib.sync([folder, other])
    for rowid, language in zip(lib.article_rowids(), ["en", "sv", None, "en"] * 15, strict=True):
        lib._db.execute("UPDATE articles SET language = ? WHERE rowid = ?", (language, rowid))
    rows = lib.rows(lib.article_rowids())
    lib.set_read([r.id for r in rows.values() if rng.random() < read_share])
    lib.set_starred([r.id for r in rows.values() if rng.random() < 0.3])
    now = datetime(2020, 2, 7, 0, 0, tzinfo=timezone.utc).timestamp()

    def fold(name: str) -> str:
        return "".join(c.lower() if c.isascii() else c for c in name)

    for scope in (None, make_scope([folder]), make_scope([folder, other])):
        counts = lib.counts(scope=scope, now=now)
        rows = lib.rows(lib.article_rowids(scope=scope))
        languages = dict(lib._db.execute("SELECT rowid, language FROM entries"))
        expected: dict[str, dict[str, list[int]]] = {"topics": {}, "sources": {}, "languages": {}}
        for row in rows.values():
            article = lib.article(row.rowid)
            assert article is not None
            keys = {
                "topics": {fold(t) for t in article.topics},
                "sources": {fold(row.provider)} if row.provider else set(),
                "languages": {languages[row.rowid]} if languages[row.rowid] else set(),
            }
            for facet, names in keys.items():
                for name in names:
                    tally = expected[facet].setdefault(name, [0, 0])
                    tally[0] += 1
                    tally[1] += not row.read
        unread = [r for r in rows.values() if not r.read]
        assert counts.all == Count(len(rows), len(unread))
        assert counts.unread == Count(len(unread), len(unread))
        starred = [r for r in rows.values() if r.starred]
        assert counts.starred == Count(len(starred), sum(not r.read for r in starred))
        today = [r for r in rows.values() if r.published is not None and now - 86400 <= r.published <= now]
        assert counts.today == Count(len(today), sum(not r.read for r in today))
        for facet in ("topics", "sources", "languages"):
            got = getattr(counts, facet)
            assert {fold(name): (c.total, c.unread) for name, c in got.items()} == {
                name: tuple(tally) for name, tally in expected[facet].items()
            }, facet
            assert list(got) == sorted(got, key=fold)


def test_views(lib: Library, seeds: Path) -> None:
    lib.sync([seeds])
    rows = by_file(lib)
    lib.set_read([rows[S000].id])
    lib.set_starred([rows[S003].id])

    def names(view: View) -> set[str]:
        return {os.path.basename(lib.paths(lib.rows([r])[r].id)[0]) for r in lib.article_rowids(view)}

    assert names(View()) == set(SEED_NAMES)
    assert names(View(ViewKind.UNREAD)) == set(SEED_NAMES) - {S000}
    assert names(View(ViewKind.STARRED)) == {S003}
    assert names(View(ViewKind.TOPIC, "Computer Vision")) == {S001}
    assert names(View(ViewKind.TOPIC, "ai")) == {S000, S001, S004}
    assert names(View(ViewKind.SOURCE, "chicago tribune")) == {S001}
    assert names(View(ViewKind.TODAY)) == set()
    assert names(View(ViewKind.LANGUAGE, "sv")) == {S003}


def test_the_article_open_is_listed_in_its_place_whatever_its_marks(sortable: Library, tmp_path: Path) -> None:
    """The article open stays listed in its place (within the folders shown) though marking
    it made it miss the view's conditions (read by opening it in Unread, unstarred in
    Starred, read in a saved search for unread articles); a new search's conditions it must
    still meet, the search it was listed by (asked for again) it need not."""
    lib = sortable
    rows = {r.title: r for r in lib.rows(lib.article_rowids()).values()}
    echo = rows["Echo"].rowid
    lib.set_read([rows["Echo"].id, rows["delta"].id])
    unread = View(ViewKind.UNREAD)
    assert titles(lib, lib.article_rowids(unread)) == ["alpha", "Bravo", "Charlie"]
    assert titles(lib, lib.article_rowids(unread, opened=echo)) == ["alpha", "Echo", "Bravo", "Charlie"]
    assert titles(lib, lib.article_rowids(unread, sort=Sort.OLDEST, opened=echo)) == ["Bravo", "Echo", "alpha", "Charlie"]
    # a new search in the view: its words must match the article open, the view need not
    assert titles(lib, lib.article_rowids(unread, query="delta", opened=echo)) == []
    assert titles(lib, lib.article_rowids(unread, query="echo")) == []
    assert titles(lib, lib.article_rowids(unread, query="echo", opened=echo)) == ["Echo"]
    # a search on marks: a new one lists what it matches; the same one asked again keeps it
    assert titles(lib, lib.article_rowids(query="is:unread", opened=echo)) == ["alpha", "Bravo", "Charlie"]
    assert titles(lib, lib.article_rowids(query="is:unread", opened=echo, same_search=True)) == [
        "alpha", "Echo", "Bravo", "Charlie"]
    assert titles(lib, lib.article_rowids(query="is:unread alpha", opened=echo, same_search=True)) == ["alpha", "Echo"]
    starred = View(ViewKind.STARRED)
    lib.set_starred([rows["Bravo"].id])
    assert titles(lib, lib.article_rowids(starred, opened=echo)) == ["Echo", "Bravo"]
    lib.save_search("Unread alpha", "is:unread source:\"Alpha Daily\"")
    saved = View(ViewKind.SAVED, "Unread alpha")
    assert titles(lib, lib.article_rowids(saved)) == ["alpha"]
    assert titles(lib, lib.article_rowids(saved, opened=echo)) == ["alpha", "Echo"]
    assert titles(lib, lib.article_rowids(saved, query="bravo", opened=echo)) == []
    # not outside the folders shown
    elsewhere = make_scope([tmp_path / "elsewhere"])
    assert titles(lib, lib.article_rowids(unread, scope=elsewhere, opened=echo)) == []


# --------------------------------------------------------------------------- order and scope


@pytest.fixture
def sortable(lib: Library, tmp_path: Path) -> Library:
    folder = tmp_path / "sortable"
    docs = [
        ("b.md", news("Bravo", "https://e.com/b", published="2020-03-01T00:00:00Z", provider="Zeta News", heat=10, quality=90)),
        ("a.md", news("alpha", "https://e.com/a", published="2020-05-01T00:00:00Z", provider="Alpha Daily", heat=80)),
        ("c.md", news("Charlie", "https://e.com/c", quality=50)),
        ("d.md", news("delta", "https://e.com/d", published="2020-01-01T00:00:00Z", provider="beta wire", heat=40, quality=70)),
        ("e.md", news("Echo", "https://e.com/e", published="2020-04-01T00:00:00Z", provider="Alpha Daily", heat=85, quality=10)),
    ]
    for name, text in docs:
        write(folder / name, text)
    lib.sync([folder])
    return lib


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        (Sort.NEWEST, ["alpha", "Echo", "Bravo", "delta", "Charlie"]),  # undated last
        (Sort.OLDEST, ["delta", "Bravo", "Echo", "alpha", "Charlie"]),  # undated last
        (Sort.TITLE, ["alpha", "Bravo", "Charlie", "delta", "Echo"]),  # case does not matter
        (Sort.SOURCE, ["alpha", "Echo", "delta", "Bravo", "Charlie"]),  # then newest; no source last
        (Sort.HEAT, ["Echo", "alpha", "delta", "Bravo", "Charlie"]),  # hottest first; none last
        (Sort.QUALITY, ["Bravo", "delta", "Charlie", "Echo", "alpha"]),  # best first; none last
        (Sort.RANK, ["alpha", "Echo", "Bravo", "delta", "Charlie"]),  # newest without words
    ],
)
def test_sort_orders(sortable: Library, sort: Sort, expected: list[str]) -> None:
    assert titles(sortable, sortable.article_rowids(sort=sort)) == expected
    assert [h.row.title for h in sortable.search("", sort=sort)] == expected
    assert titles(sortable, sortable.article_rowids(sort=sort, limit=2)) == expected[:2]


def test_scope_limits_to_files_under_a_folder(lib: Library, tmp_path: Path) -> None:
    news_dir, news2, news_x = tmp_path / "news", tmp_path / "news2", tmp_path / "news-x"
    write(news_dir / "a.md", news("In news", "https://e.com/1", topics=["T"]))
    write(news_dir / "sub" / "c.md", news("In news/sub", "https://e.com/3", topics=["T"]))
    write(news2 / "b.md", news("In news2", "https://e.com/2", topics=["T"]))
    write(news2 / "bad.md", "---\ntitle: [\n---\n")
    write(news_x / "d.md", news("In news-x", "https://e.com/4", topics=["T"]))
    lib.sync([news_dir, news2, news_x])

    def scoped(*paths: str | Path) -> set[str]:
        return set(titles(lib, lib.article_rowids(scope=make_scope(paths))))

    assert scoped(news_dir) == {"In news", "In news/sub"}
    assert scoped(str(news_dir) + os.sep) == {"In news", "In news/sub"}
    assert scoped(news2) == {"In news2"}
    assert scoped(news_x) == {"In news-x"}
    assert scoped(news_dir / "sub") == {"In news/sub"}
    assert scoped(news_dir / "a.md") == {"In news"}
    assert scoped(news_dir, news_x) == {"In news", "In news/sub", "In news-x"}
    assert scoped() == set()
    assert scoped(tmp_path) == {"In news", "In news/sub", "In news2", "In news-x"}
    scope = make_scope([news_dir])
    assert {h.row.title for h in lib.search("in", scope=scope)} == {"In news", "In news/sub"}
    assert lib.counts(scope=scope).topics == {"T": Count(2, 2)}
    assert lib.counts(scope=scope).problems == 0 and lib.problems(scope) == []
    assert [os.path.basename(p.path) for p in lib.problems(make_scope([news2]))] == ["bad.md"]
    undo = lib.mark_view_read(scope=scope)
    assert len(undo.ids) == 2 and lib.counts().unread.total == 2


def test_syncing_one_folder_keeps_the_others(lib: Library, tmp_path: Path) -> None:
    a = write(tmp_path / "news" / "a.md", news("A", "https://e.com/a"))
    b = write(tmp_path / "news2" / "b.md", news("B", "https://e.com/b"))
    lib.sync([a.parent, b.parent])
    b.unlink()
    lib.sync([a.parent])  # news2 is not looked at
    assert sorted(titles(lib, lib.article_rowids())) == ["A", "B"]
    lib.sync([b.parent])
    assert titles(lib, lib.article_rowids()) == ["A"]


# --------------------------------------------------------------------------- batches


def test_progress_reports_each_committed_batch(lib: Library, tmp_path: Path) -> None:
    folder = tmp_path / "many"
    generate(folder, 23)
    batches: list[SyncBatch] = []
    committed: list[int] = []

    def progress(batch: SyncBatch) -> None:
        batches.append(batch)
        other = sqlite3.connect(lib.path)  # another connection sees only committed data
        try:
            committed.append(other.execute("SELECT count(*) FROM articles").fetchone()[0])
        finally:
            other.close()

    report = lib.sync([folder], batch_size=5, progress=progress)
    assert [b.done for b in batches] == [5, 10, 15, 20, 23]
    assert {b.total for b in batches} == {23}
    assert [b.parsed for b in batches] == [5, 5, 5, 5, 3]
    assert committed == [5, 10, 15, 20, 23]
    assert len({i for b in batches for i in b.changed}) == 23
    assert report.parsed == 23 and not report.cancelled

    for path in sorted(folder.iterdir())[:2]:
        path.unlink()
    generate(folder, 6, start=100)
    batches.clear()
    committed.clear()
    lib.sync([folder], batch_size=5, progress=progress)
    # The two articles whose files are gone leave once the new files are read (none carries them).
    assert [(b.done, b.total, len(b.removed)) for b in batches] == [(26, 27, 0), (27, 27, 0), (27, 27, 2)]
    assert committed == [28, 29, 27]


def test_cancel_between_batches_then_finish(lib: Library, tmp_path: Path) -> None:
    folder = tmp_path / "many"
    generate(folder, 30)
    batches: list[SyncBatch] = []

    def cancelled() -> bool:
        return len(batches) >= 2  # two batches committed, then stop

    report = lib.sync([folder], batch_size=5, cancelled=cancelled, progress=batches.append)
    assert report.cancelled and report.parsed == 10 and report.files == 30
    assert [b.done for b in batches] == [5, 10]
    assert lib.counts().all.total == 10
    assert integrity(lib.path) == [("ok",)]
    assert set(titles(lib, lib.article_rowids())) == {f"Generated story {i}" for i in range(10)}

    hook = Counting()
    report = lib.sync([folder], batch_size=5, parse=hook)
    assert not report.cancelled and report.parsed == 20 and report.unchanged == 10
    assert len(hook.paths) == 20 and lib.counts().all.total == 30
    assert lib.sync([folder]).parsed == 0


def test_cancel_in_the_middle_of_a_batch_keeps_what_was_read(
    lib: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "many"
    generate(folder, 40)
    read: list[str] = []
    real_parse = parsing.parse_path

    def counting_parse(path: str) -> object:
        read.append(path)
        return real_parse(path)

    monkeypatch.setattr(parsing, "parse_path", counting_parse)
    report = lib.sync([folder], batch_size=100, cancelled=lambda: len(read) >= 12)
    assert report.cancelled
    assert 12 <= report.parsed < 40  # stopped inside the one big batch, not after it
    assert lib.counts().all.total == report.parsed  # what was read was committed
    assert lib.sync([folder]).parsed == 40 - report.parsed


def test_cancel_during_the_scan(lib: Library, tmp_path: Path) -> None:
    folder = tmp_path / "many"
    generate(folder, 600)
    report = lib.sync([folder], cancelled=lambda: True)
    assert report.cancelled and report.parsed == 0
    assert report.files < 600  # the walk itself stopped early
    assert lib.counts().all.total == 0


def test_cancel_before_the_first_batch(lib: Library, tmp_path: Path) -> None:
    folder = tmp_path / "many"
    generate(folder, 4)
    report = lib.sync([folder], cancelled=lambda: True)
    assert report.cancelled and report.parsed == 0
    assert lib.counts().all.total == 0
    assert lib.sync([folder]).parsed == 4


# --------------------------------------------------------------------------- taxonomy and articles


def test_taxonomy_files_are_stored(lib: Library, corpus: Path) -> None:
    lib.sync([corpus])
    ai = lib.describe_topic("AI")
    assert ai is not None
    assert (ai.id, ai.taxonomy, ai.name) == ("topic:ai", "topic", "AI")
    assert ai.keywords == ("artificial intelligence", "ai")
    assert lib.describe_topic("ai") == ai
    nlp = lib.describe_topic("nlp")
    assert nlp is not None and nlp.taxonomy == "tag"
    assert nlp.parents == ("artificial-intelligence",)
    assert nlp.description is not None and nlp.description.startswith("Natural language processing (NLP) is a subfield")
    tc = lib.describe_source("TechCrunch", "techcrunch.com")
    assert tc is not None
    assert (tc.taxonomy, tc.name, tc.domain) == ("organization", "TechCrunch", "techcrunch.com")
    assert tc.description == (
        "TechCrunch is a leading technology media property, dedicated to obsessively profiling startups, "
        "reviewing new Internet products, and breaking tech news."
    )
    assert lib.describe_source(None, "TheGuardian.com") == lib.describe_source("The Guardian")
    guardian = lib.describe_source("The Guardian")
    assert guardian is not None and guardian.domain == "theguardian.com"
    assert lib.describe_source("Nobody", "nowhere.example") is None
    assert lib.describe_topic("Computer Vision") is None
    assert lib.describe_topic("TechCrunch") is None  # an organization, not a topic
    assert sorted(t.id for t in lib.taxonomies()) == [
        "organization:techcrunch.com", "organization:theguardian.com", "tag:nlp", "topic:ai"
    ]
    assert lib.counts().all.total == 95  # definitions are not articles

    (corpus / "_data" / "techcrunch.com.md").unlink()
    lib.sync([corpus])
    assert lib.describe_source("TechCrunch", "techcrunch.com") is None
    assert len(lib.taxonomies()) == 3


def test_article_round_trips_every_field(lib: Library, seeds: Path) -> None:
    lib.sync([seeds])
    for name in SEED_NAMES:
        parsed = parse_path(seeds / name)
        assert isinstance(parsed, Article)
        rowid = lib.rowid_of(parsed.id)
        assert rowid is not None
        stored = lib.article(rowid)
        assert stored is not None
        assert os.path.samefile(stored.path, parsed.path)
        expected = dataclasses.replace(parsed, path=stored.path)
        for f in dataclasses.fields(Article):
            assert getattr(stored, f.name) == getattr(expected, f.name), f"{name}: {f.name}"
        assert dict(stored.extra) == dict(parsed.extra)
        assert lib.article(parsed.id) == stored
    everything = lib.article_rowids()
    assert lib.articles([*everything, 10**9]) == {rowid: lib.article(rowid) for rowid in everything}
    bbc = parse_path(seeds / S004)
    assert isinstance(bbc, Article) and bbc.provider is not None and bbc.provider.icon_url and bbc.related and bbc.featured


# --------------------------------------------------------------------------- the database file


def test_a_garbage_database_is_moved_aside(tmp_path: Path, seeds: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    garbage = [random.Random(seed).randbytes(8192) for seed in (1, 2)]
    for n, content in enumerate(garbage, 1):
        (data / DB_FILENAME).write_bytes(content)
        with Library(data) as lib:
            assert len(lib.warnings) == 1
            kept = sorted(p for p in data.iterdir() if ".corrupt-" in p.name and not p.name.endswith(("-wal", "-shm")))
            assert len(kept) == n
            assert any(p.name in lib.warnings[0] for p in kept)
            lib.sync([seeds])
            assert lib.counts().all.total == 5
    assert sorted(p.read_bytes() for p in kept) == sorted(garbage)
    with Library(data) as lib:
        assert lib.warnings == []
        assert lib.counts().all.total == 5


def _newer_schema_database(path: Path, wal: bool) -> None:
    db = sqlite3.connect(path)
    if wal:
        db.execute("PRAGMA journal_mode = WAL")
    db.execute("CREATE TABLE future (x)")
    db.execute("INSERT INTO future VALUES (1)")
    db.commit()
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()


@pytest.mark.parametrize("wal", [False, True])
def test_a_newer_schema_is_refused_and_left_untouched(tmp_path: Path, wal: bool) -> None:
    data = tmp_path / "data"
    data.mkdir()
    _newer_schema_database(data / DB_FILENAME, wal)
    before = (data / DB_FILENAME).read_bytes()
    with pytest.raises(LibraryError, match="newer"):
        Library(data)
    assert (data / DB_FILENAME).read_bytes() == before
    assert [p.name for p in data.iterdir() if ".corrupt-" in p.name] == []
    if not wal:
        assert sorted(p.name for p in data.iterdir()) == [DB_FILENAME]


def test_a_library_from_a_newer_reader_is_refused(tmp_path: Path, seeds: Path) -> None:
    data = tmp_path / "data"
    with Library(data) as lib:
        lib.sync([seeds])
    db = sqlite3.connect(data / DB_FILENAME)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    db.close()
    before = (data / DB_FILENAME).read_bytes()
    with pytest.raises(LibraryError):
        Library(data)
    assert (data / DB_FILENAME).read_bytes() == before


def test_a_version_1_library_is_upgraded_keeping_marks_and_search(tmp_path: Path, seeds: Path) -> None:
    """Version 2 moved the list's columns and the marks into ``entries``: a library written
    by version 1 (marks in the article rows and in ``state``) opens with every mark kept."""
    data = tmp_path / "data"
    data.mkdir()
    db = sqlite3.connect(data / DB_FILENAME)
    db.executescript((ROOT / "tests" / "data" / "schema" / "library_v1.sql").read_text(encoding="utf-8"))
    columns = codec._ARTICLE_COLUMNS
    marks: dict[str, tuple[int, int]] = {}
    for i, path in enumerate(sorted(seeds.iterdir())):
        item = parsing.prepare(parse_path(path), str(path), 0)
        assert item.values is not None and item.id is not None
        read, starred = i % 2, int(i == 0)
        marks[path.name] = (read, starred)
        db.execute(
            f"INSERT INTO articles({columns}, added, read, starred) VALUES ({', '.join('?' * 22)})",
            (*item.values, 0.0, read, starred),
        )
        db.executemany(library_sync._INSERT_TOPIC, [(t, item.id) for t in item.topics])
        db.execute(
            "INSERT INTO files VALUES (?, ?, ?, ?, ?, NULL)", (str(path), *library_sync._signature(str(path)), item.kind, item.id)
        )
        if read or starred:
            db.execute("INSERT INTO state VALUES (?, ?, ?, 0)", (item.id, read, starred))
    db.commit()
    db.close()
    with Library(data) as lib:
        assert lib._db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        rows = by_file(lib)
        assert {name: (int(r.read), int(r.starred)) for name, r in rows.items()} == marks
        assert all(lib.is_read(r.id) == r.read and lib.is_starred(r.id) == r.starred for r in rows.values())
        counts = lib.counts()
        assert (counts.all.total, counts.unread.total, counts.starred.total) == (5, 3, 1)
        assert {h.row.title for h in lib.search("twitter")} >= {T001, T004}
        assert lib.sync([seeds]).parsed == 0
        assert lib.article(rows[S000].id) == parse_path(seeds / S000)
    assert integrity(data / DB_FILENAME) == [("ok",)]


def test_marks_follow_the_article_not_a_stale_record(lib: Library, seeds: Path) -> None:
    """An article's marks live with it; what is kept for an article that left is what it
    had when it left, even if an older record said otherwise."""
    lib.sync([seeds])
    article = by_file(lib)[S001]
    lib.set_read([article.id])
    lib.toggle_read(article.id)  # unread again
    lib.toggle_starred(article.id)
    saved = (seeds / S001).read_bytes()
    (seeds / S001).unlink()
    lib.sync([seeds])
    assert not lib.is_read(article.id) and lib.is_starred(article.id)
    (seeds / S001).write_bytes(saved)
    lib.sync([seeds])
    back = by_file(lib)[S001]
    assert (back.read, back.starred) == (False, True)


def test_a_scope_covering_the_whole_library_is_recognised(lib: Library, tmp_path: Path) -> None:
    # Names chosen to sort around each other: "news" < "news b" < "news-x" < "news/" < "news0".
    for name in ("news", "news b", "news-x", "news0"):
        write(tmp_path / name / "a.md", news(f"In {name}", f"https://e.com/{name}"))
    write(tmp_path / "news" / "sub" / "c.md", news("In news/sub", "https://e.com/sub"))
    folders = [tmp_path / name for name in ("news", "news b", "news-x", "news0")]
    lib.sync(folders)

    def covers(*paths: Path | str) -> bool:
        return lib._covers_library(make_scope(paths))

    assert covers(tmp_path)
    assert covers(*folders)
    assert covers(*reversed(folders))
    assert covers(*folders, tmp_path / "news" / "sub")  # overlapping parts
    for left_out in folders:
        assert not covers(*(f for f in folders if f != left_out)), left_out
    assert not covers(tmp_path / "news")
    assert not covers(*folders[1:], tmp_path / "news" / "sub")
    assert not covers(*folders[1:], tmp_path / "news" / "a.md")
    assert covers(*folders[1:], tmp_path / "news" / "a.md", tmp_path / "news" / "sub")
    assert not covers()
    # Whichever way the scope is answered, the articles are the same.
    everything = set(lib.article_rowids())
    assert set(lib.article_rowids(scope=make_scope(folders))) == everything
    assert len(lib.article_rowids(scope=make_scope(folders[1:]))) == len(everything) - 2


def test_data_dir_comes_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_DATA_DIR, str(tmp_path / "from-env"))
    assert default_data_dir() == tmp_path / "from-env"
    with Library() as lib:
        assert lib.path == tmp_path / "from-env" / DB_FILENAME
    assert (tmp_path / "from-env" / DB_FILENAME).is_file()
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv(ENV_DATA_DIR, "~/reader-data")
    assert default_data_dir() == tmp_path / "home" / "reader-data"
    monkeypatch.delenv(ENV_DATA_DIR)
    assert default_data_dir().name == "reader"
    assert default_data_dir() != tmp_path / "from-env"


def test_a_data_dir_that_cannot_be_made_gives_a_read_only_session(tmp_path: Path, seeds_dir: Path) -> None:
    blocker = write(tmp_path / "file", "not a folder")
    lib = Library(blocker / "data")
    try:
        assert lib.read_only is not None and "cannot be written" in lib.read_only
        assert lib.read_only in lib.warnings
        assert lib.sync([seeds_dir]).parsed == 5  # reading works as usual
        first = lib.article_rowids()[0]
        article = lib.article(first)
        assert article is not None
        lib.set_starred([article.id])  # kept for the session
        assert lib.is_starred(article.id)
        other = lib.reopen()  # a loader thread's connection sees the same session library
        assert other.counts().all.total == 5 and other.read_only is None
        other.close()
        session = lib.path.parent
    finally:
        lib.close()
    assert not session.exists()  # the session copy is removed on close
    assert blocker.read_text() == "not a folder"


def test_a_read_only_session_starts_from_a_copy_of_the_library(
    tmp_path: Path, seeds_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    with Library(data) as lib:
        lib.sync([seeds_dir])
        starred = lib.article(lib.article_rowids()[0])
        assert starred is not None
        lib.set_starred([starred.id])
    before = (data / "library.sqlite3").read_bytes()
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda path, mode: False if Path(path) == data else real_access(path, mode))
    lib = Library(data)
    try:
        assert lib.read_only is not None
        assert lib.is_starred(starred.id) and lib.counts().all.total == 5
        lib.set_read([starred.id])
    finally:
        lib.close()
    assert (data / "library.sqlite3").read_bytes() == before  # nothing in the data folder changed


def test_a_full_disk_while_writing_is_a_clear_error(tmp_path: Path, seeds_dir: Path, corpus_dir: Path) -> None:
    with Library(tmp_path / "data") as lib:
        lib.sync([seeds_dir])
        pages = lib._db.execute("PRAGMA page_count").fetchone()[0]
        lib._db.execute(f"PRAGMA max_page_count = {pages + 2}")  # as if the disk were full
        with pytest.raises(LibraryError, match="could not be written"):
            lib.sync([corpus_dir], batch_size=500)
        article = lib.article(lib.article_rowids()[0])
        assert article is not None
        lib.set_starred([article.id])  # small writes still fit
        assert lib.counts().all.total == 5
    with Library(tmp_path / "data") as again:
        assert integrity(again.path) == [("ok",)]
        assert again.counts().all.total == 5


# --------------------------------------------------------------------------- kill -9

CHILD = r"""
import sys
from reader.library import Library

docs, data = sys.argv[1], sys.argv[2]

def say(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()

lib = Library(data)
say("start")
lib.sync([docs], batch_size=50, progress=lambda b: say(f"batch {b.done}"))
say("synced")
ids = sorted(lib.rows(lib.article_rowids()).values())
ids = [row.id for row in ids]
step = 0
while True:
    article = ids[(step * 7) % 500]  # round and round: stars go on and off
    step += 1
    say(f"begin {article}")
    value = lib.toggle_starred(article)
    say(f"star {article} {int(value)}")
"""

KILL_DOCS = 2000


@pytest.fixture(scope="module")
def many_docs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("many") / "docs"
    generate(folder, KILL_DOCS)
    return folder


class Child:
    """A process syncing ``docs`` then toggling stars, killed ``delay`` s after the
    ``count``-th line it prints that starts with ``trigger``."""

    def __init__(self, docs: Path, data: Path, trigger: str, delay: float, count: int = 1) -> None:
        self.data = data
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
        self.process = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(docs), str(data)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True,
        )
        self.lines: list[str] = []
        self.trigger, self.delay, self.count = trigger, delay, count
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            if not line.endswith("\n"):
                break  # cut off by the kill
            self.lines.append(line.rstrip("\n"))
            if line.startswith(self.trigger):
                self.count -= 1
                if self.count == 0:
                    threading.Timer(self.delay, self.process.send_signal, [signal.SIGKILL]).start()

    def finish(self) -> int:
        self.reader.join(timeout=60)
        if self.reader.is_alive():  # pragma: no cover - a hung child
            self.process.kill()
            pytest.fail(f"the child never reached {self.trigger!r}")
        code = self.process.wait(timeout=30)
        assert self.process.stderr is not None
        assert code == -signal.SIGKILL, self.process.stderr.read()
        self.process.stdout.close()  # type: ignore[union-attr]
        self.process.stderr.close()
        return code


def _check_after_kill(child: Child, docs: Path) -> int:
    """Check the library ``child`` left; returns how many stars it saw committed."""
    assert integrity(child.data / DB_FILENAME) == [("ok",)]
    batches = [int(line.split()[1]) for line in child.lines if line.startswith("batch ")]
    expected: dict[str, bool] = {}
    pending = None  # the star being toggled when the kill came: committed or not
    for line in child.lines:
        word, *rest = line.split()
        if word == "begin":
            pending = rest[0]
        elif word == "star":
            expected[rest[0]] = rest[1] == "1"
            pending = None
    with Library(child.data) as lib:
        assert lib.warnings == []
        assert lib.counts().all.total >= (batches[-1] if batches else 0)  # committed batches stay
        # a sync killed while indexing search text in bulk: reopening finished the index
        lib._db.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")
        assert len(lib.search("story", limit=None)) == lib.counts().all.total
        # ... and built the indexes a first import leaves for its end
        assert lib._deferred_indexes() == {}
        names = {row[0] for row in lib._db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert {"entries_newest", "entries_provider", "entries_domain", "entries_language", "files_article"} <= names
        report = lib.sync([docs], batch_size=200)
        assert (report.files, report.problems, report.cancelled) == (KILL_DOCS, 0, False)
        assert lib.counts().all.total == KILL_DOCS
        assert lib.sync([docs]).parsed == 0
        for article_id, starred in expected.items():
            if article_id != pending:
                assert lib.is_starred(article_id) == starred, article_id
        stars = {r.id for r in lib.rows(lib.article_rowids(View(ViewKind.STARRED))).values()}
        assert stars - {pending} == {i for i, s in expected.items() if s} - {pending}
    assert not [p for p in child.data.iterdir() if ".corrupt-" in p.name]
    return sum(expected.values())


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_kill_9_at_any_moment_loses_nothing_committed(tmp_path: Path, many_docs: Path) -> None:
    # killed while syncing (three at once, each into its own library) ...
    children = [Child(many_docs, tmp_path / f"data{n}", "start", delay) for n, delay in enumerate((0.3, 0.6, 1.0))]
    for child in children:
        child.finish()
        _check_after_kill(child, many_docs)
    # ... and while starring, in a library synced to the end
    child = Child(many_docs, children[0].data, "star ", 0.2, count=50)
    child.finish()
    assert _check_after_kill(child, many_docs) > 0, "the child never starred anything: the test proved less"


def test_a_big_sync_indexes_search_text_in_bulk(lib: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(library_sync, "BULK_INDEX_MIN_FILES", 5)
    monkeypatch.setattr(library_sync, "BULK_INDEX_STEP", 4)
    folder = tmp_path / "many"
    generate(folder, 12)
    seen: list[int] = []
    lib.sync([folder], batch_size=3, progress=lambda b: seen.append(len(lib.search("story", limit=None))))
    assert seen[-1] >= 8  # indexed in steps while loading, not only at the end
    assert len(lib.search("story", limit=None)) == 12
    lib._db.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")
    assert lib._fts_upto() == library_module.FTS_ALL  # single articles are indexed as usual again
    generate(folder, 2, start=100)
    lib.sync([folder])
    assert len(lib.search("story", limit=None)) == 14


def test_an_interrupted_bulk_index_is_finished_on_open(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(library_sync, "BULK_INDEX_MIN_FILES", 1)
    folder = tmp_path / "many"
    generate(folder, 6)
    data = tmp_path / "data"
    with Library(data) as lib:
        monkeypatch.setattr(Library, "_index_pending", lambda self, finish: None)  # as if killed first
        lib.sync([folder])
        monkeypatch.undo()
        assert lib.search("story", limit=None) == []  # stored, not yet searchable
    with Library(data) as again:
        assert len(again.search("story", limit=None)) == 6
        again._db.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")
