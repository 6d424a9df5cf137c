"""Top Stories lists each story once, by its lead, also when the lead changes while the old
lead is open: the story's row is then the new lead's, and the pane keeps the article open
(through a load, with stories collapsed, and at the next start)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from reader.library import View, ViewKind
from reader.ui.main_window import MainWindow

from .helpers import SEED_TITLES, WindowFactory, current_title, select_title, settle, titles, wait_loaded

#: Global News' seed: quality 30 in the seeds, below the Chicago Tribune's 33, which leads
#: their story (the higher quality leads: README, Stories and Top stories).
GLOBAL_FILE = "000_7070b5ed28950557.txt"


def raise_global_news(docs_dir: Path) -> None:
    """Global News' document gains a quality above the Tribune's: it leads the story now."""
    path = docs_dir / GLOBAL_FILE
    text = path.read_text(encoding="utf-8")
    assert "\nquality: 30\n" in text
    path.write_text(text.replace("\nquality: 30\n", "\nquality: 40\n"), encoding="utf-8")


def global_leads(window: MainWindow) -> bool:
    article_id = window.library.db.execute("SELECT id FROM articles WHERE title = ?", (SEED_TITLES["global"],)).fetchone()[0]
    return window.library.leads_story(article_id)


def open_title(window: MainWindow) -> str | None:
    return window.detail.article.title if window.detail.article is not None else None


def open_the_lead_in_top_stories(qtbot: QtBot, window: MainWindow) -> None:
    window.sidebar.select(View(ViewKind.TOP))
    settle(qtbot, window)
    window.article_list.setFocus()
    assert titles(window) == [SEED_TITLES["tribune"]]
    select_title(window, SEED_TITLES["tribune"])
    settle(qtbot, window)


def reload_after_the_lead_changed(qtbot: QtBot, window: MainWindow, docs_dir: Path) -> None:
    window.watcher.stop()  # (F5 reads the change: the watcher does not race it)
    raise_global_news(docs_dir)
    window.article_list.setFocus()
    qtbot.keyClick(window.article_list, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: global_leads(window), timeout=30_000)
    wait_loaded(qtbot, window)
    settle(qtbot, window)


def test_top_stories_lists_the_story_once_by_its_new_lead_while_the_old_one_is_open(
    qtbot: QtBot, window: MainWindow, docs_dir: Path
) -> None:
    open_the_lead_in_top_stories(qtbot, window)
    reload_after_the_lead_changed(qtbot, window, docs_dir)
    assert titles(window) == [SEED_TITLES["global"]]  # not the Tribune's row beside it
    assert window.counts is not None and window.counts.top.total == len(titles(window))
    assert open_title(window) == SEED_TITLES["tribune"]  # the pane keeps it open
    assert current_title(window) == SEED_TITLES["global"]  # beside the row of its story
    window.article_list.setFocus()
    qtbot.keyClick(window.article_list, "j")  # (no row below: nothing else opens)
    assert open_title(window) == SEED_TITLES["tribune"]


def test_collapsed_top_stories_lists_the_story_by_its_new_lead(qtbot: QtBot, window: MainWindow, docs_dir: Path) -> None:
    window.article_list.setFocus()
    qtbot.keyClick(window.article_list, "g")
    settle(qtbot, window)
    open_the_lead_in_top_stories(qtbot, window)
    reload_after_the_lead_changed(qtbot, window, docs_dir)
    assert titles(window) == [SEED_TITLES["global"]]
    assert open_title(window) == SEED_TITLES["tribune"]
    assert current_title(window) == SEED_TITLES["global"]


def test_at_the_next_start_the_old_lead_open_at_quit_is_shown_beside_the_new_leads_row(
    qtbot: QtBot, make_window: WindowFactory, docs_dir: Path
) -> None:
    first = make_window([docs_dir])
    open_the_lead_in_top_stories(qtbot, first)
    first.close()
    raise_global_news(docs_dir)

    second = make_window([docs_dir])
    qtbot.waitUntil(lambda: not second.memory.restoring)
    settle(qtbot, second)
    assert global_leads(second)
    assert second.view_key == View(ViewKind.TOP)
    assert titles(second) == [SEED_TITLES["global"]]
    assert open_title(second) == SEED_TITLES["tribune"]
    assert current_title(second) == SEED_TITLES["global"]
