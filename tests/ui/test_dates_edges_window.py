"""Documents dated 0001-01-01T00:00:00Z (Go's zero time) and 9999-12-31T23:59:59Z, and one
whose related entry is, in time zones west and east of UTC: the list paints them
("undated"), the article pane shows them, nothing raises (pytest-qt fails a test on an
exception inside a paint)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from reader.library import Library
from reader.ui.article_list import source_and_date
from reader.ui.detail_pane import render_article

from tests.test_dates_edges import RELATED, UTC, YEAR_1, YEAR_9999

from .helpers import WindowFactory, select_title, titles

PLACEHOLDERS = {"year1.md": datetime(1, 1, 1, tzinfo=UTC), "year9999.md": datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)}


@pytest.fixture
def edge_docs(tmp_path: Path) -> Path:
    folder = tmp_path / "edge-docs"
    folder.mkdir()
    for name, text in (("year1.md", YEAR_1), ("year9999.md", YEAR_9999), ("rel.md", RELATED)):
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_the_window_paints_and_shows_placeholder_dates(zone: str, make_window: WindowFactory, edge_docs: Path, qtbot: QtBot) -> None:
    window = make_window([edge_docs])
    window.article_list.viewport().grab()  # paint every row
    assert sorted(titles(window)) == ["A document from the far future", "A document of Go's zero time", "Clearview AI told to stop scraping faces from YouTube"]
    for title in titles(window):
        select_title(window, title)
        qtbot.wait(10)
        html = window.detail.browser.toHtml()
        assert ("Monday, March 1, 2021" if title.startswith("Clearview") else "undated") in html


def test_rows_and_pane_of_placeholders_a_library_stored_before(zone: str, tmp_path: Path, edge_docs: Path) -> None:
    """A library written before the rule kept the placeholders as timestamps (the file is
    not read again while it does not change): they show as undated all the same."""
    with Library(tmp_path / "data") as library:
        library.sync([str(edge_docs)])
        ids = {Path(library.paths(a)[0]).name: a for (a,) in library.db.execute("SELECT id FROM articles")}
        for name, moment in PLACEHOLDERS.items():
            for table in ("articles", "entries"):
                library.db.execute(f"UPDATE {table} SET published = ? WHERE id = ?", (moment.timestamp(), ids[name]))
        (data,) = library.db.execute("SELECT data FROM articles WHERE id = ?", (ids["rel.md"],)).fetchone()
        related = json.loads(data)
        related["related"][0]["published"] = PLACEHOLDERS["year1.md"].timestamp()
        library.db.execute("UPDATE articles SET data = ? WHERE id = ?", (json.dumps(related), ids["rel.md"]))
        now = datetime(2026, 1, 1, tzinfo=UTC)
        for rowid in library.article_rowids():
            row = library.row(rowid)
            article = library.article(rowid)
            html = render_article(article, story=library.story_context(article.id))
            if row.id == ids["rel.md"]:
                assert source_and_date(row, now) == "No source · Mar 1, 2021"
                assert "undated" in html  # its related entry
            else:
                assert source_and_date(row, now) == "No source · undated"
                assert "undated" in html
