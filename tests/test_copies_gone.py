"""An article with copies in two folders, only one of them synced: a copy in the other folder
that is gone by the time the sync would read it again is forgotten, as a sync of its own
folder would do; never a problem "the file disappeared before it could be read"."""

from __future__ import annotations

import json
import os
from pathlib import Path

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
