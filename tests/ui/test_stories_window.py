"""Stories in the window: collapse (g), marking a collapsed story read, Top Stories, and the
article pane's coverage, rank and inferred topics."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from reader import stories
from reader.library import Sort, View, ViewKind
from reader.ui.article_list import ArticleRole
from reader.ui.main_window import MainWindow
from reader.ui.queries import UnreadJob, _find_unread

from .helpers import SEED_ORDER, SEED_TITLES, select_title, settle, titles, type_query


def key(qtbot: QtBot, window: MainWindow, text: str, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    assert window.isActiveWindow()
    focused = QApplication.focusWidget()
    assert focused is not None
    qtbot.keyClick(focused, text, modifier)


def all_read(window: MainWindow) -> list[bool]:
    return [window.library.is_read(i) for (i,) in window.library.db.execute("SELECT id FROM articles ORDER BY id")]


#: The seeds' story in a library of the seeds alone: the AP text twice and the plain texts.
STORY = [SEED_TITLES["tribune"], SEED_TITLES["global"], SEED_TITLES["swedish"], SEED_TITLES["plain"]]


def story_read(window: MainWindow) -> list[bool]:
    ids = {window.library.article(r).title: window.library.article(r).id for r in window.library.article_rowids()}  # type: ignore[union-attr]
    return [window.library.is_read(ids[t]) for t in STORY]


def collapse(qtbot: QtBot, window: MainWindow) -> None:
    window.article_list.setFocus()
    key(qtbot, window, "g")
    qtbot.waitUntil(lambda: len(titles(window)) == 2)
    settle(qtbot, window)


def test_g_collapses_the_seed_story_to_one_row(qtbot: QtBot, window: MainWindow) -> None:
    window.article_list.setFocus()
    assert titles(window) == SEED_ORDER
    collapse(qtbot, window)
    assert window.registry["collapse_stories"].isChecked()
    assert titles(window) == [SEED_TITLES["tribune"], SEED_TITLES["bbc"]]
    index = window.article_model.index(0)
    assert index.data(ArticleRole.OUTLETS) == 3
    assert "3 outlets" in index.data(Qt.ItemDataRole.ToolTipRole)
    key(qtbot, window, "g")
    qtbot.waitUntil(lambda: len(titles(window)) == 5)
    assert window.article_model.index(0).data(ArticleRole.OUTLETS) == 0


def test_marking_a_collapsed_story_marks_every_copy_and_says_so(qtbot: QtBot, window: MainWindow) -> None:
    collapse(qtbot, window)
    assert all_read(window) == [False] * 5
    select_title(window, SEED_TITLES["tribune"])  # opening the row reads the story
    qtbot.waitUntil(lambda: story_read(window) == [True] * 4)  # (written on the query thread)
    assert window.statusBar().currentMessage() == "Marked 4 articles read — Ctrl+Z undoes"
    key(qtbot, window, "m")  # and m makes every copy unread again
    qtbot.waitUntil(lambda: story_read(window) == [False] * 4)
    assert window.statusBar().currentMessage() == "Marked 4 articles unread — Ctrl+Z undoes"
    settle(qtbot, window)
    key(qtbot, window, "g")  # expanded, one copy at a time again
    qtbot.waitUntil(lambda: len(titles(window)) == 5)
    select_title(window, SEED_TITLES["bbc"])
    settle(qtbot, window)
    assert sum(all_read(window)) == 1


def test_ctrl_z_restores_every_copy_of_a_collapsed_story(qtbot: QtBot, window: MainWindow) -> None:
    collapse(qtbot, window)
    select_title(window, SEED_TITLES["tribune"])
    qtbot.waitUntil(lambda: story_read(window) == [True] * 4)  # (written on the query thread)
    key(qtbot, window, "z", Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: story_read(window) == [False] * 4)
    # (the library is written on the query thread before the window hears it is done)
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == "Marked 4 articles unread again")
    settle(qtbot, window)
    assert window.counts is not None and window.counts.all.unread == 5


def test_a_collapsed_story_waits_for_the_mark_read_delay(qtbot: QtBot, window: MainWindow) -> None:
    window.mark_read_delay = 300
    collapse(qtbot, window)
    select_title(window, SEED_TITLES["tribune"])
    assert story_read(window) == [False] * 4  # not yet
    qtbot.waitUntil(lambda: story_read(window) == [True] * 4, timeout=10_000)
    assert window.statusBar().currentMessage() == "Marked 4 articles read — Ctrl+Z undoes"
    key(qtbot, window, "z", Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: story_read(window) == [False] * 4)


def test_the_mark_read_delay_reads_one_article_opened_before_g(qtbot: QtBot, window: MainWindow) -> None:
    """An article opened one at a time and g pressed before the delay is over: the delay
    reads that article alone (its row was one article when it was opened)."""
    window.mark_read_delay = 300
    window.article_list.setFocus()
    select_title(window, SEED_TITLES["tribune"])
    collapse(qtbot, window)
    assert window.detail.article is not None and window.detail.article.title == SEED_TITLES["tribune"]
    qtbot.wait(600)  # twice the delay
    settle(qtbot, window)
    assert story_read(window) == [True, False, False, False]


def test_the_mark_read_delay_reads_one_article_after_g_expands_its_story(qtbot: QtBot, window: MainWindow) -> None:
    """A story opened collapsed and g pressed before the delay is over: the delay reads the
    article open alone (the row is one article now)."""
    window.mark_read_delay = 300
    collapse(qtbot, window)
    select_title(window, SEED_TITLES["tribune"])
    key(qtbot, window, "g")
    qtbot.waitUntil(lambda: len(titles(window)) == 5)
    qtbot.wait(600)
    settle(qtbot, window)
    assert story_read(window) == [True, False, False, False]


def test_a_mark_made_within_the_mark_read_delay_stands(qtbot: QtBot, window: MainWindow) -> None:
    """m m before the delay is over leaves the story unread: the delay's mark does not come
    after the user's own."""
    window.mark_read_delay = 300
    collapse(qtbot, window)
    select_title(window, SEED_TITLES["tribune"])
    key(qtbot, window, "m")
    qtbot.waitUntil(lambda: story_read(window) == [True] * 4)
    key(qtbot, window, "m")
    qtbot.waitUntil(lambda: story_read(window) == [False] * 4)
    qtbot.wait(600)  # twice the delay
    settle(qtbot, window)
    assert story_read(window) == [False] * 4
    assert window.statusBar().currentMessage() == "Marked 4 articles unread — Ctrl+Z undoes"
    key(qtbot, window, "g")  # one article at a time: the same
    qtbot.waitUntil(lambda: len(titles(window)) == 5)
    select_title(window, SEED_TITLES["bbc"])
    key(qtbot, window, "m")
    key(qtbot, window, "m")
    qtbot.wait(600)
    settle(qtbot, window)
    assert not any(all_read(window))


def test_a_collapsed_row_is_unread_while_a_copy_of_its_story_is(qtbot: QtBot, window: MainWindow) -> None:
    """One copy read before the stories were collapsed: the story's row is still unread
    (n stops at it), opening it reads the other copies, and Ctrl+Z makes those unread again."""
    window.article_list.setFocus()
    select_title(window, SEED_TITLES["tribune"])  # (one article at a time: only it)
    select_title(window, SEED_TITLES["bbc"])
    qtbot.waitUntil(lambda: story_read(window) == [True, False, False, False])
    collapse(qtbot, window)
    model = window.article_model
    assert [model.index(row).data(ArticleRole.READ) for row in range(2)] == [False, True]
    rowids = model.rowids()  # (and so for rows far off, found on the query thread)
    assert _find_unread(window.library, UnreadJob(0, rowids, 0, 1, None, stories=True)) == 0
    assert _find_unread(window.library, UnreadJob(0, rowids, 0, 1, None)) is None  # (each article alone: both read)
    select_title(window, SEED_TITLES["bbc"])  # the second row
    settle(qtbot, window)
    key(qtbot, window, "p")  # previous unread: the story's row
    assert window.article_list.current_row() == 0
    qtbot.waitUntil(lambda: story_read(window) == [True] * 4)
    assert window.statusBar().currentMessage() == "Marked 3 articles read — Ctrl+Z undoes"
    qtbot.waitUntil(lambda: model.index(0).data(ArticleRole.READ) is True)
    key(qtbot, window, "z", Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: story_read(window) == [True, False, False, False])  # (the row's own stays read)
    qtbot.waitUntil(lambda: model.index(0).data(ArticleRole.READ) is False)
    select_title(window, SEED_TITLES["bbc"])
    key(qtbot, window, "m")  # the bbc row: unread again
    select_title(window, SEED_TITLES["tribune"])
    qtbot.waitUntil(lambda: story_read(window) == [True] * 4)
    key(qtbot, window, "m")  # m on a row all read: every copy unread
    qtbot.waitUntil(lambda: story_read(window) == [False] * 4)


def test_shift_a_on_collapsed_top_stories_reads_every_copy(qtbot: QtBot, window: MainWindow) -> None:
    """Top Stories lists a story by its lead only; with stories collapsed the row stands for
    every copy, so Shift+A marks them all (and Ctrl+Z puts them all back)."""
    collapse(qtbot, window)
    key(qtbot, window, "5", Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: titles(window) == [SEED_TITLES["tribune"]])
    settle(qtbot, window)
    window.article_list.setFocus()
    key(qtbot, window, "A", Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: story_read(window) == [True] * 4)
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == "Marked 4 articles read — Ctrl+Z undoes")
    settle(qtbot, window)
    assert window.article_model.index(0).data(ArticleRole.READ) is True
    assert not window.library.is_read(next(i for (i,) in window.library.db.execute(
        "SELECT id FROM articles WHERE title = ?", (SEED_TITLES["bbc"],))))  # (another story: left alone)
    key(qtbot, window, "z", Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: story_read(window) == [False] * 4)


def test_collapsing_keeps_the_open_copy_as_its_storys_row(qtbot: QtBot, window: MainWindow) -> None:
    """g while a copy other than the story's first is open: the story's row is that copy, in
    the story's place, and it stays open (as it does when the sort changes)."""
    window.article_list.setFocus()
    select_title(window, SEED_TITLES["global"])
    opened = window.detail.article
    assert opened is not None
    collapse(qtbot, window)
    assert titles(window) == [SEED_TITLES["global"], SEED_TITLES["bbc"]]
    assert window.article_list.current_row() == 0
    assert window.detail.article is not None and window.detail.article.id == opened.id
    assert window.article_model.index(0).data(ArticleRole.OUTLETS) == 3


def test_collapsed_top_stories_count_a_story_unread_while_a_copy_is(qtbot: QtBot, window: MainWindow) -> None:
    """The story's lead read one at a time: Top Stories counts none unread; collapsed, its row
    stands for every copy and is unread, and so is the count; opening it reads them all."""
    window.article_list.setFocus()
    select_title(window, SEED_TITLES["tribune"])  # (the lead Top stories lists)
    qtbot.waitUntil(lambda: window.counts is not None and window.counts.top.unread == 0)
    collapse(qtbot, window)
    qtbot.waitUntil(lambda: window.counts is not None and window.counts.top.unread == 1)
    select_title(window, SEED_TITLES["bbc"])
    select_title(window, SEED_TITLES["tribune"])
    qtbot.waitUntil(lambda: story_read(window) == [True] * 4)
    qtbot.waitUntil(lambda: window.counts is not None and window.counts.top.unread == 0)
    key(qtbot, window, "g")  # one article at a time again: the lead's own mark
    qtbot.waitUntil(lambda: len(titles(window)) == 5)
    key(qtbot, window, "m")  # (the tribune, open: unread)
    qtbot.waitUntil(lambda: window.counts is not None and window.counts.top.unread == 1)


def test_a_search_with_stories_collapsed_counts_the_articles_it_matches(qtbot: QtBot, window: MainWindow) -> None:
    """Clearview is in all five seeds: four of them are one story, one row when collapsed;
    the search still says it matches five articles, as the view's count of articles does."""
    collapse(qtbot, window)
    type_query(qtbot, window, "clearview")
    qtbot.waitUntil(lambda: len(titles(window)) == 2)
    qtbot.waitUntil(lambda: window.view_label.text() == "5 matches in All Articles")


def test_grouping_shows_its_progress(qtbot: QtBot, window: MainWindow, docs_dir: Path) -> None:
    shown: list[str] = []
    window.loader.grouping_progress.connect(
        lambda done, total: shown.append(window.grouping_label.text() if window.grouping_label.isVisibleTo(window) else "")
    )
    settle(qtbot, window)
    (docs_dir / "older.md").write_text(
        '---\ntitle: "Harbour cranes idle after strike"\npublishedDateTime: 2019-05-01T10:00:00Z\n---\n', encoding="utf-8"
    )  # older than the rest: the library is grouped again from the start
    with qtbot.waitSignal(window.loader.grouped, timeout=20_000):
        window.loader.load([str(docs_dir)])
    assert "Grouping stories 0 / 6" in shown
    assert window.grouping_label.isHidden()  # done: it says nothing more


def test_top_stories_view_and_why_it_ranks(qtbot: QtBot, window: MainWindow) -> None:
    window.article_list.setFocus()
    key(qtbot, window, "5", Qt.KeyboardModifier.ControlModifier)
    assert window.sidebar.current_key() == View(ViewKind.TOP)
    settle(qtbot, window)
    assert titles(window) == [SEED_TITLES["tribune"]]  # the story's lead: its best-quality document
    # (a row a story, by its lead, though not collapsed: its outlets, as a collapsed row says them)
    assert not window.collapsed
    assert window.article_model.index(0).data(ArticleRole.OUTLETS) == 3
    assert "Chicago Tribune" in window.article_model.index(0).data(Qt.ItemDataRole.ToolTipRole)
    assert "· 3 outlets" in window.article_model.index(0).data(Qt.ItemDataRole.ToolTipRole)
    select_title(window, SEED_TITLES["tribune"])
    text = window.detail.plain_text()
    assert "Coverage: 3 outlets" in text
    assert "Top stories: #1 of 1 · score " in text
    assert "outlets 3 → 15.0 + heat " in text and "recency 1.00 → 20.0" in text
    assert "Score = 40 × min(outlets, 8)/8 + 25 × min(heat, 100)/100" in text


def test_top_stories_call_their_default_order_the_score(qtbot: QtBot, window: MainWindow) -> None:
    """Top Stories lists its stories by their score under the default order: the sort box and
    the View menu say so there, and "Newest first" again elsewhere."""
    box, action = window.sort_box, window.registry["sort_newest"]
    assert (box.currentText(), action.text()) == ("Newest first", "Sort by Date (&Newest First)")
    narrow = box.sizeHint().width()
    window.article_list.setFocus()
    key(qtbot, window, "5", Qt.KeyboardModifier.ControlModifier)
    assert (box.currentText(), action.text()) == ("Top score first", "Sort by Score, Then &Newest")
    assert action.isChecked() and action.statusTip() == "Sort by Score, Then Newest"
    # (the whole of it shown: the box widens to its longer item)
    qtbot.waitUntil(lambda: box.width() >= box.sizeHint().width() > narrow)
    key(qtbot, window, "1", Qt.KeyboardModifier.ControlModifier)
    assert window.sidebar.current_key() == View(ViewKind.ALL)
    assert (box.currentText(), action.text()) == ("Newest first", "Sort by Date (&Newest First)")
    assert action.statusTip() == "Sort by Date (Newest First)"
    key(qtbot, window, "5", Qt.KeyboardModifier.ControlModifier)
    window.registry.set_keys({"sort_newest": ("Ctrl+Shift+N",)})  # (a key of your own: said with either text)
    assert (action.text(), action.statusTip()) == ("Sort by Score, Then &Newest", "Sort by Score, Then Newest (Ctrl+Shift+N)")
    key(qtbot, window, "1", Qt.KeyboardModifier.ControlModifier)
    assert (action.text(), action.statusTip()) == ("Sort by Date (&Newest First)", "Sort by Date (Newest First) (Ctrl+Shift+N)")
    key(qtbot, window, "5", Qt.KeyboardModifier.ControlModifier)
    window.set_sort(Sort.TITLE)  # (another order: by it, in Top Stories too)
    assert box.currentText() == "Title" and box.itemText(box.findData(Sort.NEWEST)) == "Top score first"


def test_plain_text_shows_its_story_and_inferred_topics(window: MainWindow) -> None:
    select_title(window, SEED_TITLES["swedish"])
    text = window.detail.plain_text()
    assert "Topics (inferred from its story): AI Computer Vision" in " ".join(text.split())
    assert "Coverage: 3 outlets" in text
    lines = text.splitlines()
    first = lines.index("Coverage: 3 outlets")
    listed = " ".join(lines[first:])
    assert "St. Louis Post-Dispatch" in listed and "not in your library" in listed and "this article" in listed
    # in time order: Global News (5 Feb) before the Tribune (6 Feb); undated last
    assert listed.index("Global News") < listed.index("Chicago Tribune") < listed.index("undated")
    assert "In this story: the same names" in text or "In this story: similar" in text


def test_a_story_of_part_of_the_library_is_worked_out_off_the_gui_thread(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the window shows part of the library (here: as if), a story comes from the query
    thread; the article shows at once and its coverage follows."""
    monkeypatch.setattr(window.library, "covers_library", lambda scope: False)
    threads: list[threading.Thread] = []
    context = stories.context

    def recording(db: object, article_id: str, within: str | None = None, scope: object = None) -> stories.Context:
        threads.append(threading.current_thread())
        return context(db, article_id, within, scope)  # type: ignore[arg-type]

    monkeypatch.setattr(stories, "context", recording)
    with qtbot.waitSignal(window.queries.story_found, timeout=5000):
        select_title(window, SEED_TITLES["tribune"])
    qtbot.waitUntil(lambda: "Coverage: 3 outlets" in window.detail.plain_text())
    assert window.detail.plain_text().startswith(SEED_TITLES["tribune"])
    assert threads and threading.main_thread() not in threads
