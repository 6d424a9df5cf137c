"""Stories in the window: collapse (g), marking a collapsed story read, Top Stories, and the
article pane's coverage, rank and inferred topics."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from reader import stories
from reader.library import View, ViewKind
from reader.ui import main_window
from reader.ui.article_list import ArticleRole
from reader.ui.main_window import MainWindow

from .helpers import SEED_ORDER, SEED_TITLES, select_title, settle, titles


def key(qtbot: QtBot, window: MainWindow, text: str, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    assert window.isActiveWindow()
    focused = QApplication.focusWidget()
    assert focused is not None
    qtbot.keyClick(focused, text, modifier)


def all_read(window: MainWindow) -> list[bool]:
    return [window.library.is_read(i) for (i,) in window.library.db.execute("SELECT id FROM articles ORDER BY id")]


def test_g_collapses_the_seed_story_to_one_row(qtbot: QtBot, window: MainWindow) -> None:
    window.article_list.setFocus()
    assert titles(window) == SEED_ORDER
    key(qtbot, window, "g")
    qtbot.waitUntil(lambda: len(titles(window)) == 1)
    assert window.actions["collapse_stories"].isChecked()
    assert titles(window) == [SEED_TITLES["tribune"]]  # the story's first row in this order
    index = window.article_model.index(0)
    assert index.data(ArticleRole.OUTLETS) == 5
    assert "5 outlets" in index.data(Qt.ItemDataRole.ToolTipRole)
    key(qtbot, window, "g")
    qtbot.waitUntil(lambda: len(titles(window)) == 5)
    assert window.article_model.index(0).data(ArticleRole.OUTLETS) == 0


def test_marking_a_collapsed_story_marks_every_copy(qtbot: QtBot, window: MainWindow) -> None:
    window.article_list.setFocus()
    key(qtbot, window, "g")
    qtbot.waitUntil(lambda: len(titles(window)) == 1)
    assert all_read(window) == [False] * 5
    select_title(window, SEED_TITLES["tribune"])  # opening the row reads the story
    qtbot.waitUntil(lambda: all_read(window) == [True] * 5)  # (written on the query thread)
    key(qtbot, window, "m")  # and m makes every copy unread again
    qtbot.waitUntil(lambda: all_read(window) == [False] * 5)
    settle(qtbot, window)
    key(qtbot, window, "g")  # expanded, one copy at a time again
    qtbot.waitUntil(lambda: len(titles(window)) == 5)
    select_title(window, SEED_TITLES["bbc"])
    settle(qtbot, window)
    assert sum(all_read(window)) == 1


def test_top_stories_view_and_why_it_ranks(qtbot: QtBot, window: MainWindow) -> None:
    window.article_list.setFocus()
    key(qtbot, window, "5", Qt.KeyboardModifier.ControlModifier)
    assert window.sidebar.current_key() == View(ViewKind.TOP)
    settle(qtbot, window)
    assert titles(window) == [SEED_TITLES["bbc"]]  # the story's lead: its best-quality document
    select_title(window, SEED_TITLES["bbc"])
    text = window.detail.plain_text()
    assert "Coverage: 5 outlets" in text
    assert "Top stories: #1 of 1 · score " in text
    assert "outlets 5 → 25.0 + heat 97 → 24.2 + quality 87 → 13.1 + recency 1.00 → 20.0" in text
    assert "In this story because of the same names: AI, Clearview, Facebook, Twitter (with “" in text  # as written


def test_plain_text_shows_its_story_and_inferred_topics(window: MainWindow) -> None:
    select_title(window, SEED_TITLES["swedish"])
    text = window.detail.plain_text()
    assert "Topics (inferred from its story): AI Computer Vision" in " ".join(text.split())
    assert "Coverage: 5 outlets" in text
    lines = text.splitlines()
    first = lines.index("Coverage: 5 outlets")
    listed = " ".join(lines[first:])
    assert "The Daily Dot" in listed and "not in your library" in listed and "this article" in listed
    # in time order: Daily Dot and BBC (23 Jan) before Global News (5 Feb); undated last
    assert listed.index("The Daily Dot") < listed.index("BBC") < listed.index("Global News") < listed.index("undated")


def test_a_large_story_is_worked_out_off_the_gui_thread(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A story too large to load at once (here: any) comes from the query thread; the article
    shows at once and its coverage follows."""
    monkeypatch.setattr(main_window, "STORY_AT_ONCE_MAX", 1)
    threads: list[threading.Thread] = []
    context = stories.context

    def recording(db: object, article_id: str) -> stories.Context:
        threads.append(threading.current_thread())
        return context(db, article_id)  # type: ignore[arg-type]

    monkeypatch.setattr(stories, "context", recording)
    with qtbot.waitSignal(window.queries.story_found, timeout=5000):
        select_title(window, SEED_TITLES["tribune"])
    qtbot.waitUntil(lambda: "Coverage: 5 outlets" in window.detail.plain_text())
    assert window.detail.plain_text().startswith(SEED_TITLES["tribune"])
    assert threads and threading.main_thread() not in threads
