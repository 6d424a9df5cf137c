"""An article with copies in two folders, only one of them synced: a copy in the other folder
that is gone by the time the sync would read it again is forgotten, as a sync of its own
folder would do; never a problem "the file disappeared before it could be read"."""

from __future__ import annotations

import itertools
import json
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from reader.article import Document
from reader.documents import parse_path
from reader.library import Library, SyncBatch

STORY = "https://example.com/story"


def news(title: str, url: str = STORY) -> str:
    return f"---\ntitle: {json.dumps(title)}\nwebUrl: {json.dumps(url)}\n---\nBody of {title}.\n"


def write(path: Path, text: str, mtime: float) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    os.utime(path, (mtime, mtime))
    return path


def titles(lib: Library) -> list[str]:
    return sorted(row.title for row in lib.rows(lib.article_rowids()).values())


def files(lib: Library) -> list[tuple[str, str]]:
    """(path, kind) of every file the library knows."""
    rows = lib.db.execute("SELECT path, kind FROM files ORDER BY path").fetchall()
    return [(path, kind) for path, kind in rows]


def test_a_restored_copy_whose_newer_copy_elsewhere_was_deleted_is_the_article(tmp_path: Path) -> None:
    """a/x.md and b/x.md carry one article; a/x.md, edited, became its text; then b/x.md is
    deleted and a/x.md put back with its first time (cp -p), older than b/x.md's was. A sync of
    a alone reads a/x.md, finds b/x.md (the newer copy, to be read again) gone and forgets it:
    the article is a/x.md's text, and nothing is a problem -- as after a sync of both."""
    a, b = tmp_path / "a", tmp_path / "b"
    x = write(a / "x.md", news("Version 1"), 1_700_000_100)
    write(b / "x.md", news("Version 2"), 1_700_000_200)
    with Library(tmp_path / "data") as lib:
        lib.sync([a, b])
        assert titles(lib) == ["Version 2"]
        write(x, news("Version 3"), 1_700_000_300)
        lib.sync([a])
        assert titles(lib) == ["Version 3"]
        (b / "x.md").unlink()
        write(x, news("Version 1"), 1_700_000_100)
        batches: list[SyncBatch] = []
        report = lib.sync([a], progress=batches.append)
        assert (report.problems, report.removed_files) == (0, 1)
        assert not [p for batch in batches for p in batch.problems]
        assert titles(lib) == ["Version 1"] and lib.problems() == []
        assert files(lib) == [(str(x), "news")]
        assert [h.row.title for h in lib.search("version")] == ["Version 1"]
        report = lib.sync([a, b])
        assert (report.parsed, report.problems, report.removed_files) == (0, 0, 0)
        assert titles(lib) == ["Version 1"]


def test_both_copies_deleted_and_one_folder_synced_the_article_leaves(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    write(a / "x.md", news("Version 2"), 1_700_000_200)
    write(b / "x.md", news("Version 1"), 1_700_000_100)
    with Library(tmp_path / "data") as lib:
        lib.sync([a, b])
        (a / "x.md").unlink()
        (b / "x.md").unlink()
        report = lib.sync([a])
        assert (report.problems, report.removed_files) == (0, 2)
        assert titles(lib) == [] and lib.problems() == [] and files(lib) == []


def test_a_copy_elsewhere_deleted_while_its_article_left_the_synced_file_is_forgotten(tmp_path: Path) -> None:
    """a/x.md, the article's newest copy, now carries another article; b/x.md, the other
    copy of the first, is gone: the first article leaves with it, and no problem is made."""
    a, b = tmp_path / "a", tmp_path / "b"
    x = write(a / "x.md", news("First, newest"), 1_700_000_200)
    write(b / "x.md", news("First, older"), 1_700_000_100)
    with Library(tmp_path / "data") as lib:
        lib.sync([a, b])
        assert titles(lib) == ["First, newest"]
        (b / "x.md").unlink()
        write(x, news("Second", "https://example.com/other"), 1_700_000_300)
        removed: list[str] = []
        report = lib.sync([a], progress=lambda batch: removed.extend(batch.removed))
        assert (report.problems, report.removed_files) == (0, 1)
        assert titles(lib) == ["Second"] and lib.problems() == []
        assert len(removed) == 1  # (the first article, told to the window as it left)
        assert files(lib) == [(str(x), "news")]


FEED = """<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><link>https://ex.com/</link>
<item><title>One</title><link>https://ex.com/1</link><guid>https://ex.com/1</guid><description>b1</description></item>
<item><title>Two</title><link>https://ex.com/2</link><guid>https://ex.com/2</guid><description>b2</description></item>
<item><title>Three</title><link>https://ex.com/3</link><guid>https://ex.com/3</guid><description>b3</description></item>
</channel></rss>"""


def test_a_feed_file_read_again_for_its_entries_is_read_once(tmp_path: Path) -> None:
    """One feed in a/f.xml (newer) and b/f.xml: a/f.xml stops being a feed and only a is
    synced. Its three entries go back to b/f.xml, which is read once, not once an entry."""
    write(tmp_path / "a" / "f.xml", FEED, 1_700_000_200)
    write(tmp_path / "b" / "f.xml", FEED, 1_700_000_100)
    with Library(tmp_path / "data") as lib:
        lib.sync([tmp_path / "a", tmp_path / "b"], processes=1)
        assert titles(lib) == ["One", "Three", "Two"]
        write(tmp_path / "a" / "f.xml", "just text now, not a feed\n", 1_700_000_300)
        report = lib.sync([tmp_path / "a"], processes=1)
        assert report.parsed == 2  # (a/f.xml, and b/f.xml once)
        assert "One" in titles(lib) and "Three" in titles(lib)


def test_a_copy_elsewhere_gone_the_newest_remaining_copy_is_the_article(tmp_path: Path) -> None:
    """Copies in a (t=100), b (t=300) and c (t=200); a, edited, became the article; then b is
    deleted and a put back with its first time (cp -p). A sync of a alone reads a, finds b (the
    newest copy the library knows) gone and forgets it: c, the newest copy left, is the article,
    as in a library made from a, b and c afresh, and a later sync of them reads nothing."""
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    x = write(a / "x.md", news("V1 (a, t=100)"), 1_700_000_100)
    write(b / "x.md", news("V2 (b, t=300)"), 1_700_000_300)
    write(c / "x.md", news("V2c (c, t=200)"), 1_700_000_200)
    with Library(tmp_path / "data") as lib:
        lib.sync([a, b, c])
        assert titles(lib) == ["V2 (b, t=300)"]
        write(x, news("V3 (a, t=400)"), 1_700_000_400)
        lib.sync([a])
        assert titles(lib) == ["V3 (a, t=400)"]
        (b / "x.md").unlink()
        write(x, news("V1 (a, t=100)"), 1_700_000_100)
        report = lib.sync([a])
        assert (report.problems, report.removed_files) == (0, 1)
        assert titles(lib) == ["V2c (c, t=200)"] and lib.problems() == []
        assert [h.row.title for h in lib.search("v2c")] == ["V2c (c, t=200)"]
        report = lib.sync([a, b, c])
        assert (report.parsed, report.removed_files) == (0, 0)
        assert titles(lib) == ["V2c (c, t=200)"]
    with Library(tmp_path / "fresh") as fresh:
        fresh.sync([a, b, c])
        assert titles(fresh) == ["V2c (c, t=200)"]


class _Stop(BaseException):
    """The process stops (a crash, the window closing) while a sync reads."""


def test_a_sync_stopped_before_it_reads_the_newest_copy_left_leaves_it_to_the_next(tmp_path: Path) -> None:
    """As above, but the sync of a stops (a crash) when it is to read c: a later sync of a
    alone leaves the article a's text (c lies outside it), and the next sync of a, b and c
    reads c, whose text the article becomes."""
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    x = write(a / "x.md", news("V1 (a, t=100)"), 1_700_000_100)
    write(b / "x.md", news("V2 (b, t=300)"), 1_700_000_300)
    y = write(c / "x.md", news("V2c (c, t=200)"), 1_700_000_200)
    with Library(tmp_path / "data") as lib:
        lib.sync([a, b, c])
        write(x, news("V3 (a, t=400)"), 1_700_000_400)
        lib.sync([a])
        (b / "x.md").unlink()
        write(x, news("V1 (a, t=100)"), 1_700_000_100)

        def parse(batch: Sequence[str]) -> list[Document]:
            if str(y) in batch:
                raise _Stop
            return [parse_path(p) for p in batch]

        with pytest.raises(_Stop):
            lib.sync([a], parse=parse)
    with Library(tmp_path / "data") as lib:
        assert titles(lib) == ["V1 (a, t=100)"]
        read: list[str] = []

        def reading(batch: Sequence[str]) -> list[Document]:
            read.extend(batch)
            return [parse_path(p) for p in batch]

        lib.sync([a], parse=reading)
        assert read == [] and titles(lib) == ["V1 (a, t=100)"]
        lib.sync([a, b, c], parse=reading)
        assert read == [str(y)] and titles(lib) == ["V2c (c, t=200)"]


# ------------------------------------------------------------------ copies in several folders
#
# A library kept up to date by syncs of some of its folders at a time, while the copies of a few
# articles in those folders are edited, touched, put back from backups with their older times
# (cp -p), deleted, moved and made to carry another article, must end, once a sync covers every
# folder, as a library made from the folders afresh: each article the most recently modified
# file's text (then the path that sorts first). After every sync that ran to its end, each
# article is the newest of the copies the library knows.

_STORIES = ("https://example.com/one", "https://example.com/two")
_T0 = 1_700_000_000

_op_file = st.tuples(st.integers(0, 3), st.integers(0, len(_STORIES) - 1))
_operations = st.one_of(
    st.tuples(st.just("write"), _op_file, st.sampled_from([0, 0, 1, 100])),
    st.tuples(st.just("touch"), _op_file, st.sampled_from([0, 1, 5])),
    st.tuples(st.just("restore"), _op_file, st.integers(0, 50)),
    st.tuples(st.just("delete"), _op_file, st.just(0)),
    st.tuples(st.just("move"), _op_file, st.integers(0, 3)),
    st.tuples(st.just("other"), _op_file, st.integers(1, len(_STORIES) - 1)),
    # (which folders: a bit mask; whether it is cancelled after some asks; batch size)
    st.tuples(st.just("sync"), st.tuples(st.integers(1, 15), st.integers(0, 4)), st.sampled_from([1, 50])),
)


def _articles(lib: Library) -> dict[str, tuple[str, str]]:
    """{id: (title, path)} of every article."""
    rows = lib.db.execute("SELECT id, title, path FROM articles").fetchall()
    return {article_id: (title, path) for article_id, title, path in rows}


def _stop_after(asks: int) -> Callable[[], bool]:
    """A ``cancelled`` that says yes from its ``asks``-th question on."""
    count = itertools.count(1)
    return lambda: next(count) > asks


def _not_newest(lib: Library) -> list[tuple[str, str, int, str, int]]:
    """The articles that are not their newest known copy (by the files' times the library
    holds, then the path that sorts first), nor carried by any file."""
    return lib.db.execute(
        "SELECT a.id, a.path, a.source_mtime, f.path, f.mtime FROM articles a LEFT JOIN files f ON f.path = "
        "(SELECT path FROM files WHERE article = a.id ORDER BY mtime DESC, path LIMIT 1) "
        "WHERE f.path IS NULL OR f.path != a.path OR f.mtime != a.source_mtime"
    ).fetchall()


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(folders=st.integers(2, 4), operations=st.lists(_operations, min_size=1, max_size=25))
# a (t=1), c (t=2), b (t=3); a edited (t=4), synced alone; b deleted, a put back with t=1 and
# synced alone: c, the newest copy left, is the article (the test above)
@example(
    folders=3,
    operations=[
        *(("write", (folder, 0), 1) for folder in (0, 2, 1)),
        ("sync", (0b111, 0), 50),
        ("write", (0, 0), 1),
        ("sync", (0b001, 0), 50),
        ("delete", (1, 0), 0),
        ("restore", (0, 0), 0),
        ("sync", (0b001, 0), 50),
    ],
)
# b (t=1), a (t=2), c (t=3), b (t=4); a edited (t=5), synced alone; b put back with t=1, a with
# t=2, a synced alone: b, the newest copy the library knew, is read again and is older now;
# c is the newest copy
@example(
    folders=3,
    operations=[
        *(("write", (folder, 0), 1) for folder in (1, 0, 2, 1)),
        ("sync", (0b111, 0), 50),
        ("write", (0, 0), 1),
        ("sync", (0b001, 0), 50),
        ("restore", (1, 0), 0),
        ("restore", (0, 0), 1),
        ("sync", (0b001, 0), 50),
    ],
)
def test_copies_in_several_folders_partly_synced_end_as_a_library_made_afresh(
    tmp_path_factory: pytest.TempPathFactory, folders: int, operations: list[tuple[Any, ...]]
) -> None:
    _check_copies(tmp_path_factory.mktemp("copies"), folders, operations)


def _check_copies(root: Path, folders: int, operations: list[tuple[Any, ...]]) -> None:
    dirs = [root / name for name in "abcd"[:folders]]
    for folder in dirs:
        folder.mkdir()
        write(folder / "other.md", news(f"Unrelated in {folder.name}", f"https://example.com/{folder.name}"), _T0)
    now = _T0
    versions = 0
    backups: list[tuple[int, str, int]] = []  # (story, text, mtime) of every version written
    stopped = False
    with Library(root / "data") as lib:
        lib.sync(dirs, group=False)
        for name, which, arg in operations:
            if name == "sync":
                mask, stop_after = which
                chosen = [folder for i, folder in enumerate(dirs) if mask >> i & 1] or dirs
                report = lib.sync(chosen, batch_size=arg, group=False, cancelled=_stop_after(stop_after) if stop_after else None)
                # (a sync stopped may leave an article another copy than its newest until a
                # sync of that copy's folder reads it)
                stopped = report.cancelled or (stopped and chosen != dirs)
                if not stopped:
                    assert _not_newest(lib) == []
                continue
            where, story = which
            path = dirs[where % folders] / f"x{story}.md"
            if name in ("write", "other"):
                now += arg if name == "write" else 1
                versions += 1
                carried = story if name == "write" else (story + arg) % len(_STORIES)
                # (each version a size of its own: a file written again within the same
                # second with the same size is not told from the file as it was)
                text = news(f"Version {versions} of story {carried}", _STORIES[carried]) + "x" * 10 * versions
                write(path, text, now)
                backups.append((carried, text, now))
            elif name == "touch" and path.exists():
                now += arg
                os.utime(path, (now, now))
            elif name == "restore":
                same = [(text, mtime) for carried, text, mtime in backups if carried == story]
                if same:
                    text, mtime = same[arg % len(same)]
                    write(path, text, mtime)
            elif name == "delete" and path.exists():
                path.unlink()
            elif name == "move" and path.exists():
                target = dirs[arg % folders] / f"x{story}.md"
                if not target.exists():
                    os.rename(path, target)
        lib.sync(dirs, group=False)
        assert _not_newest(lib) == []
        got = _articles(lib)
        with Library(root / "fresh") as fresh:
            fresh.sync(dirs, group=False)
            assert got == _articles(fresh)
        report = lib.sync(dirs, group=False)
        assert report.parsed == 0 and _articles(lib) == got
