"""Finding the articles not grouped yet (reader.stories.storage.ungrouped): while the grouping kept
in memory is the library's, only the articles with a rowid above the largest it grouped are
looked at (a rowid is never given twice); else every article is."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from scripts import REPO_DIR

from reader import stories
from reader.library import Library
from reader.stories import storage

_NEWER = """---
title: "Harbour robots {i} unload the freighter at night"
excerpt: "Port authority robots {i} unloaded the freighter overnight, the operator said."
publishedDateTime: 2031-01-0{i}T10:00:00Z
webUrl: "https://news.example/harbour-{i}"
provider:
  name: "Harbour News {i}"
---
"""


def _asked(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The ``after`` of every search for articles not grouped yet."""
    afters: list[int] = []
    ungrouped = storage.ungrouped

    def spy(db: object, limit: int = 500, after: int = 0) -> list[str]:
        afters.append(after)
        return ungrouped(db, limit, after)  # type: ignore[arg-type]

    monkeypatch.setattr(storage, "ungrouped", spy)
    return afters


def test_articles_added_since_are_those_above_the_largest_rowid_grouped(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "docs"
    shutil.copytree(REPO_DIR / "seeds", folder)
    with Library(tmp_path / "data") as library:
        db = library.db
        library.sync([folder])
        highest = db.execute("SELECT max(rowid) FROM articles").fetchone()[0]
        assert storage._cache[id(db)].rowid_high == highest
        afters = _asked(monkeypatch)
        assert library.group_stories() == 0 and afters == [highest]  # (nothing new: only rowids above looked at)
        for i in (1, 2):
            (folder / f"newer-{i}.md").write_text(_NEWER.format(i=i), encoding="utf-8")
            library.sync([folder], group=False)
            assert library.group_stories() == 1  # (appended: found above the rowids grouped)
        assert afters == [highest, highest, highest + 1]
        assert storage._cache[id(db)].rowid_high == highest + 2
        assert stories.ungrouped(db) == [] and stories.pending(db) == 0


def test_another_connections_grouping_makes_every_article_looked_at(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A grouping another connection wrote is not the one kept here: what it grouped is not
    known from this one's rowids, so every article is looked at (and the library grouped again
    or appended to, as then)."""
    folder = tmp_path / "docs"
    shutil.copytree(REPO_DIR / "seeds", folder)
    with Library(tmp_path / "data") as library, Library(tmp_path / "data") as other:
        library.sync([folder])
        (folder / "newer-1.md").write_text(_NEWER.format(i=1), encoding="utf-8")
        other.sync([folder])  # (grouped there: a new generation)
        (folder / "newer-2.md").write_text(_NEWER.format(i=2), encoding="utf-8")
        other.sync([folder], group=False)
        afters = _asked(monkeypatch)
        library.group_stories()
        assert afters[0] == 0
        members = dict(library.db.execute("SELECT article, story FROM story_members"))
        assert len(members) == library.db.execute("SELECT count(*) FROM articles").fetchone()[0] == 7
        assert stories.ungrouped(library.db) == []


def test_ungrouped_above_a_rowid_are_those_of_the_whole_search_above_it(tmp_path: Path) -> None:
    with Library(tmp_path / "data") as library:
        library.sync([REPO_DIR / "seeds"], group=False)
        db = library.db
        rowids = dict(db.execute("SELECT id, rowid FROM articles"))
        every = stories.ungrouped(db)
        assert len(every) == 5
        for after in sorted(rowids.values()):
            assert stories.ungrouped(db, after=after) == [a for a in every if rowids[a] > after]
