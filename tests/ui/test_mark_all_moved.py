"""Shift+A marks the articles the list shows, also one whose file another Reader renamed and
synced after the list was shown: the same article, still the same row (flat, or with
stories collapsed a copy of a listed story)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from reader.library import Library
from reader.ui.main_window import MainWindow

from .helpers import SEED_TITLES, settle, titles

SHIFT = Qt.KeyboardModifier.ShiftModifier


def id_of(window: MainWindow, title: str) -> str:
    found = window.library.db.execute("SELECT id FROM articles WHERE title = ?", (title,)).fetchone()
    assert found is not None, title
    return str(found[0])


def another_reader_renames(data: Path, docs: Path, article_id: str) -> Path:
    """Another Reader (a second Library on the same data folder) renames the file of the
    article and syncs the folder; the window is not told (its watcher is stopped)."""
    with Library(data) as other:
        article = other.article(article_id)
        assert article is not None
        source = Path(article.path)
        moved = source.rename(source.with_name(f"moved-{source.name}"))
        other.sync([str(docs)])
        moved_article = other.article(article_id)
        assert moved_article is not None and moved_article.path == str(moved)
    return moved


@pytest.mark.parametrize("collapsed", [False, True], ids=["flat", "collapsed"])
def test_shift_a_marks_a_listed_article_whose_file_another_reader_moved(
    qtbot: QtBot, window: MainWindow, docs_dir: Path, data_dir: Path, collapsed: bool
) -> None:
    window.watcher.stop()
    window.article_list.setFocus()
    if collapsed:
        qtbot.keyClick(window.article_list, "g")
        qtbot.waitUntil(lambda: len(titles(window)) == 2)  # the seeds' story and the BBC's report
    settle(qtbot, window)
    seeds = {key: id_of(window, title) for key, title in SEED_TITLES.items()}
    moved = seeds["plain"]  # (one of the four copies of the seeds' story)
    listed = {row.id for r in window.article_model.rowids() if (row := window.library.row(r))}
    assert (moved in listed) != collapsed
    if collapsed:
        assert any(moved in window.library.story_members(i) for i in listed)
    before = {i: window.library.is_read(i) for i in seeds.values()}
    unread = [i for i, read in before.items() if not read]
    assert moved in unread
    rowid = window.library.rowid_of(moved)
    another_reader_renames(data_dir, docs_dir, moved)
    assert QApplication.focusWidget() is window.article_list
    qtbot.keyClick(window.article_list, "A", SHIFT)
    settle(qtbot, window)
    assert window.statusBar().currentMessage().startswith(f"Marked {len(unread)} articles read")
    assert all(window.library.is_read(i) for i in seeds.values())
    assert window.library.rowid_of(moved) == rowid  # (the same row the list showed)
