"""A document renamed or moved to another file stays the same article: the same row (rowid),
so a list shown before the sync still names it and marking that list's rows read marks it.
An article leaves only when no file the sync has read carries it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reader.library import Library, LibraryError, SyncBatch


def news(title: str, url: str) -> str:
    return f"---\ntitle: {json.dumps(title)}\nwebUrl: {json.dumps(url)}\n---\nBody of {title}, about lighthouses.\n"


def write(path: Path, text: str, mtime: float = 1_700_000_000) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    os.utime(path, (mtime, mtime))
    return path


def files(lib: Library) -> list[str]:
    return [row[0] for row in lib.db.execute("SELECT path FROM files ORDER BY path")]


def one_article(tmp_path: Path) -> tuple[Path, Path]:
    """A folder with three articles; returns it and the file of the first."""
    folder = tmp_path / "docs"
    first = write(folder / "a.md", news("First", "https://example.com/1"))
    write(folder / "b.md", news("Second", "https://example.com/2"))
    write(folder / "c.md", news("Third", "https://example.com/3"))
    return folder, first


def test_a_renamed_file_keeps_its_rowid_and_the_shown_rows_mark_it(tmp_path: Path) -> None:
    folder, first = one_article(tmp_path)
    with Library(tmp_path / "data") as lib:
        lib.sync([folder])
        shown = lib.article_rowids()
        upto = lib.last_rowid()
        (article_id,) = [r[0] for r in lib.db.execute("SELECT id FROM articles WHERE path = ?", (str(first),))]
        rowid = lib.rowid_of(article_id)
        lib.set_starred([article_id])
        moved = first.rename(folder / "renamed.md")
        batches: list[SyncBatch] = []
        report = lib.sync([folder], progress=batches.append)
        assert (report.parsed, report.removed_files) == (1, 1)
        assert lib.rowid_of(article_id) == rowid
        assert lib.last_rowid() == upto  # (no new row)
        assert not [i for b in batches for i in b.removed]  # (it never left)
        assert [i for b in batches for i in b.changed] == [article_id]
        found = lib.article(article_id)
        assert found is not None and found.path == str(moved) and found.title == "First"
        assert lib.is_starred(article_id)
        assert files(lib) == [str(folder / "b.md"), str(folder / "c.md"), str(moved)]
        assert [h.row.id for h in lib.search("lighthouses first")] == [article_id]
        assert lib.db.execute("SELECT value FROM meta WHERE key LIKE 'leaving%'").fetchone() is None
        undo = lib.mark_rows_read(shown, upto=upto)
        assert len(undo.ids) == 3 and lib.is_read(article_id)


def test_a_file_moved_between_folders_synced_together_keeps_its_rowid(tmp_path: Path) -> None:
    folder, first = one_article(tmp_path)
    other = tmp_path / "other"
    other.mkdir()
    with Library(tmp_path / "data") as lib:
        lib.sync([folder, other])
        ids = {lib.rowid_of(i): i for (i,) in lib.db.execute("SELECT id FROM articles")}
        shown = lib.article_rowids()
        shutil.move(first, other / "a.md")
        lib.sync([folder, other])
        assert {lib.rowid_of(i): i for i in ids.values()} == ids
        assert lib.mark_rows_read(shown).ids and all(lib.is_read(i) for i in ids.values())


def test_a_file_that_now_carries_another_article_while_a_new_file_carries_its_first(tmp_path: Path) -> None:
    """a.md becomes another article, and z.md (read after it) carries a.md's first: the first
    keeps its row; the other is new."""
    folder, first = one_article(tmp_path)
    with Library(tmp_path / "data") as lib:
        lib.sync([folder])
        (article_id,) = [r[0] for r in lib.db.execute("SELECT id FROM articles WHERE path = ?", (str(first),))]
        rowid = lib.rowid_of(article_id)
        write(first, news("Fourth", "https://example.com/4"), 1_700_000_100)
        write(folder / "z.md", news("First", "https://example.com/1"), 1_700_000_100)
        batches: list[SyncBatch] = []
        lib.sync([folder], batch_size=1, progress=batches.append)
        assert lib.rowid_of(article_id) == rowid
        assert not [i for b in batches for i in b.removed]
        assert sorted(r.title for r in lib.rows(lib.article_rowids()).values()) == ["First", "Fourth", "Second", "Third"]


def test_a_collapsed_story_marks_its_copy_that_was_moved(tmp_path: Path, seeds_dir: Path) -> None:
    """With stories collapsed, the rows a list showed stand for their stories: a copy of one
    whose file was moved since is still a copy the list stood for (its rowid is not above
    the largest read before the list), so it is marked."""
    folder = tmp_path / "seeds"
    shutil.copytree(seeds_dir, folder)
    with Library(tmp_path / "data") as lib:
        lib.sync([folder])
        rowids = lib.article_rowids()
        upto = lib.last_rowid()
        collapsed, _outlets = lib.collapse_stories(rowids)
        rows = lib.rows(rowids)
        by_id = {row.id: rowid for rowid, row in rows.items()}
        shown = {rows[r].id for r in collapsed}
        # a copy of a story the collapsed list shows, not itself a row of it
        hidden = next(i for i in by_id if i not in shown and set(lib.story_members(i)) & shown)
        path = lib.article(hidden)
        assert path is not None
        Path(path.path).rename(folder / f"moved-{Path(path.path).name}")
        lib.sync([folder])
        assert lib.rowid_of(hidden) == by_id[hidden]
        lib.mark_rows_read(collapsed, stories=True, upto=upto)
        assert lib.is_read(hidden)


def test_an_article_whose_file_is_gone_leaves_once_the_sync_has_read_the_rest(tmp_path: Path) -> None:
    folder, first = one_article(tmp_path)
    with Library(tmp_path / "data") as lib:
        lib.sync([folder])
        (article_id,) = [r[0] for r in lib.db.execute("SELECT id FROM articles WHERE path = ?", (str(first),))]
        rowid = lib.rowid_of(article_id)
        assert rowid is not None
        first.unlink()
        write(folder / "d.md", news("Fourth", "https://example.com/4"))
        held: list[int] = []
        batches: list[SyncBatch] = []

        def progress(batch: SyncBatch) -> None:
            batches.append(batch)
            held.append(lib.db.execute("SELECT count(*) FROM articles").fetchone()[0])

        report = lib.sync([folder], progress=progress)
        assert report.removed_files == 1
        assert [b.removed for b in batches] == [(), (article_id,)]
        assert held == [4, 3]
        assert lib.rowid_of(article_id) is None and lib.search("first") == []


def test_a_cancelled_sync_leaves_the_article_of_a_gone_file_it_did_not_read_again(tmp_path: Path) -> None:
    """Cancelled before it read the renamed file: the article whose file is gone leaves (a
    file row for every article); the next sync brings it back with its marks."""
    folder, first = one_article(tmp_path)
    with Library(tmp_path / "data") as lib:
        lib.sync([folder])
        (article_id,) = [r[0] for r in lib.db.execute("SELECT id FROM articles WHERE path = ?", (str(first),))]
        lib.set_read([article_id])
        first.rename(folder / "renamed.md")
        report = lib.sync([folder], cancelled=lambda: True)  # (a small folder: after the scan)
        assert report.cancelled and report.parsed == 0
        orphans = lib.db.execute("SELECT count(*) FROM articles WHERE id NOT IN (SELECT article FROM files WHERE article IS NOT NULL)")
        assert orphans.fetchone()[0] == 0
        lib.sync([folder])
        assert lib.rowid_of(article_id) is not None and lib.is_read(article_id)


class Stop(Exception):
    """The process dies in the middle of a sync."""


@pytest.mark.parametrize("moved_file_there", [True, False])
def test_a_sync_stopped_in_the_middle_leaves_the_articles_to_drop_to_the_next(tmp_path: Path, moved_file_there: bool) -> None:
    folder, first = one_article(tmp_path)
    with Library(tmp_path / "data") as lib:
        lib.sync([folder])
        (article_id,) = [r[0] for r in lib.db.execute("SELECT id FROM articles WHERE path = ?", (str(first),))]
        rowid = lib.rowid_of(article_id)
        moved = first.rename(folder / "renamed.md")

        def dies(paths: object) -> list[object]:
            raise Stop

        with pytest.raises(Stop):
            lib.sync([folder], parse=dies)
        assert lib.rowid_of(article_id) == rowid  # (its file forgotten, the article not yet)
        if not moved_file_there:
            moved.unlink()
        lib.sync([folder])
        assert lib.rowid_of(article_id) == (rowid if moved_file_there else None)
        orphans = lib.db.execute("SELECT count(*) FROM articles WHERE id NOT IN (SELECT article FROM files WHERE article IS NOT NULL)")
        assert orphans.fetchone()[0] == 0
        assert lib.db.execute("SELECT value FROM meta WHERE key LIKE 'leaving%'").fetchone() is None


def test_another_sync_ending_meanwhile_leaves_a_moved_article_to_the_sync_that_reads_it(tmp_path: Path) -> None:
    """Two syncs of one process on one library (the window's loader and its feed worker): the
    one that ends first does not drop the articles the other is still to read again."""
    folder, first = one_article(tmp_path)
    feeds = tmp_path / "feeds"
    write(feeds / "x.md", news("Elsewhere", "https://example.com/x"))
    with Library(tmp_path / "data") as lib, Library(tmp_path / "data") as worker:
        lib.sync([folder])
        (article_id,) = [r[0] for r in lib.db.execute("SELECT id FROM articles WHERE path = ?", (str(first),))]
        rowid = lib.rowid_of(article_id)
        first.rename(folder / "z-renamed.md")  # (read last)
        write(folder / "b.md", news("Second, edited", "https://example.com/2"), 1_700_000_100)
        seen: list[int | None] = []

        def meanwhile(batch: SyncBatch) -> None:
            if not seen:
                worker.sync([feeds])
                seen.append(worker.rowid_of(article_id))

        lib.sync([folder], batch_size=1, progress=meanwhile)
        assert seen == [rowid]
        assert lib.rowid_of(article_id) == rowid
        assert lib.db.execute("SELECT value FROM meta WHERE key LIKE 'leaving%'").fetchone() is None


#: Another process (a second window, a ``reader`` command) syncs ``argv[2]`` into the library
#: ``argv[1]`` and prints the rowid of the article ``argv[3]`` after it.
_ANOTHER_PROCESS = """
import sys
from reader.library import Library
with Library(sys.argv[1]) as lib:
    lib.sync([sys.argv[2]])
    print(lib.rowid_of(sys.argv[3]))
"""


def test_a_sync_of_another_process_ending_meanwhile_leaves_a_moved_article_to_the_sync_that_reads_it(tmp_path: Path) -> None:
    folder, first = one_article(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    write(elsewhere / "x.md", news("Elsewhere", "https://example.com/x"))
    data = tmp_path / "data"
    with Library(data) as lib:
        lib.sync([folder])
        (article_id,) = [r[0] for r in lib.db.execute("SELECT id FROM articles WHERE path = ?", (str(first),))]
        rowid = lib.rowid_of(article_id)
        first.rename(folder / "z-renamed.md")  # (read last)
        write(folder / "b.md", news("Second, edited", "https://example.com/2"), 1_700_000_100)
        seen: list[str] = []

        def meanwhile(batch: SyncBatch) -> None:
            if not seen:  # (after the first file read)
                command = [sys.executable, "-c", _ANOTHER_PROCESS, str(data), str(elsewhere), article_id]
                seen.append(subprocess.run(command, check=True, capture_output=True, text=True, timeout=120).stdout.strip())

        batches: list[SyncBatch] = []
        lib.sync([folder], batch_size=1, progress=lambda batch: (meanwhile(batch), batches.append(batch)))
        assert seen == [str(rowid)]
        assert lib.rowid_of(article_id) == rowid
        assert not [i for b in batches for i in b.removed]
        assert lib.db.execute("SELECT count(*) FROM articles").fetchone()[0] == 4
        assert lib.db.execute("SELECT value FROM meta WHERE key LIKE 'leaving%'").fetchone() is None


#: A process that dies in the middle of a sync of ``argv[2]`` into the library ``argv[1]``.
_DYING_PROCESS = """
import os, sys
from reader.library import Library
with Library(sys.argv[1]) as lib:
    lib.sync([sys.argv[2]], parse=lambda paths: os._exit(0))
"""


def test_the_articles_a_process_that_died_was_to_drop_leave_at_the_next_sync_of_any_folder(tmp_path: Path) -> None:
    folder, first = one_article(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    write(elsewhere / "x.md", news("Elsewhere", "https://example.com/x"))
    data = tmp_path / "data"
    with Library(data) as lib:
        lib.sync([folder])
        (article_id,) = [r[0] for r in lib.db.execute("SELECT id FROM articles WHERE path = ?", (str(first),))]
        first.unlink()
        write(folder / "b.md", news("Second, edited", "https://example.com/2"), 1_700_000_100)
        subprocess.run([sys.executable, "-c", _DYING_PROCESS, str(data), str(folder)], check=True, timeout=120)
        assert lib.rowid_of(article_id) is not None  # (its file forgotten, the article not yet)
        assert lib.db.execute("SELECT count(*) FROM meta WHERE key LIKE 'leaving%'").fetchone()[0] == 1
        batches: list[SyncBatch] = []
        lib.sync([elsewhere], progress=batches.append)
        assert lib.rowid_of(article_id) is None
        assert [i for b in batches for i in b.removed] == [article_id]
        assert lib.db.execute("SELECT value FROM meta WHERE key LIKE 'leaving%'").fetchone() is None


def test_a_sync_that_fails_leaves_its_articles_to_drop_to_the_next_sync_of_another_library(tmp_path: Path) -> None:
    """The library stays open after a sync that raised (a full disk, a lock held too long):
    another sync meanwhile drops the articles that one was to drop."""
    folder, first = one_article(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    write(elsewhere / "x.md", news("Elsewhere", "https://example.com/x"))
    with Library(tmp_path / "data") as lib, Library(tmp_path / "data") as other:
        lib.sync([folder])
        (article_id,) = [r[0] for r in lib.db.execute("SELECT id FROM articles WHERE path = ?", (str(first),))]
        first.unlink()
        write(folder / "b.md", news("Second, edited", "https://example.com/2"), 1_700_000_100)

        def full(paths: object) -> list[object]:
            raise LibraryError("The disk is full.")

        with pytest.raises(LibraryError):
            lib.sync([folder], parse=full)
        assert lib.rowid_of(article_id) is not None
        other.sync([elsewhere])
        assert other.rowid_of(article_id) is None
        assert other.db.execute("SELECT value FROM meta WHERE key LIKE 'leaving%'").fetchone() is None


def test_a_file_moved_does_not_make_the_stories_be_grouped_again_but_is_told(tmp_path: Path) -> None:
    folder, first = one_article(tmp_path)
    with Library(tmp_path / "data") as lib:
        lib.sync([folder])  # (grouped)
        (article_id,) = [r[0] for r in lib.db.execute("SELECT id FROM articles WHERE path = ?", (str(first),))]
        moved = first.rename(folder / "renamed.md")
        os.utime(moved, (1_700_000_050, 1_700_000_050))  # (a copy made anew: its time changed too)
        batches: list[SyncBatch] = []
        lib.sync([folder], group=False, progress=batches.append)
        assert [i for b in batches for i in b.changed] == [article_id]  # (the window hears of it)
        found = lib.article(article_id)
        assert found is not None and found.path == str(moved)
        assert lib.group_stories() == 0  # nothing to group again
        write(moved, news("First, edited", "https://example.com/1"), 1_700_000_100)
        lib.sync([folder], group=False)
        assert lib.group_stories() == 3  # (a changed article: the library is grouped again)
