"""The article open stays open when the list is asked for again (a sort, g, a document added
to the folder): it keeps its row (standing for its story while stories are collapsed), and a
list refreshed never marks anything read by itself. In the Unread view the article open
stays listed while it is open, though reading it made it read."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from reader.library import View, ViewKind
from reader.ui.article_list import ArticleRole
from reader.ui.main_window import MainWindow

from .helpers import SEED_TITLES, WindowFactory, current_title, news_doc, select_title, settle, titles, type_query

#: The seeds' story (read from the seeds): the Chicago Tribune's and Global News' documents,
#: the Swedish and the plain-text version; BBC's article is a story of its own.
STORY = [SEED_TITLES["tribune"], SEED_TITLES["global"], SEED_TITLES["swedish"], SEED_TITLES["plain"]]

SHIFT = Qt.KeyboardModifier.ShiftModifier
CTRL = Qt.KeyboardModifier.ControlModifier


def press(qtbot: QtBot, window: MainWindow, key: str | Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    assert window.isActiveWindow()
    focused = QApplication.focusWidget()
    assert focused is not None
    qtbot.keyClick(focused, key, modifier)


def read_marks(window: MainWindow) -> dict[str, bool]:
    library = window.library
    return {title: library.is_read(article_id) for title, article_id in library.db.execute("SELECT title, id FROM articles")}


def story_read(window: MainWindow) -> list[bool]:
    marks = read_marks(window)
    return [marks[title] for title in STORY]


def open_title(window: MainWindow) -> str | None:
    return window.detail.article.title if window.detail.article is not None else None


def toggle_collapse(qtbot: QtBot, window: MainWindow, rows: int) -> None:
    window.article_list.setFocus()
    press(qtbot, window, "g")
    qtbot.waitUntil(lambda: len(titles(window)) == rows)
    settle(qtbot, window)


def sort_oldest_first(qtbot: QtBot, window: MainWindow) -> None:
    window.registry["sort_oldest"].trigger()
    settle(qtbot, window)


def add_a_document(qtbot: QtBot, window: MainWindow, docs_dir: Path) -> None:
    """Another outlet's unrelated article lands in the folder: the watcher reads it, and the
    list is asked for again."""
    (docs_dir / "zz-gardening.md").write_text(
        news_doc("Rakes and hoes for a small garden", url="https://garden.example/rakes", published="2020-02-07T09:00:00Z",
                 provider=("Garden Weekly", "garden.example"), topics=("Gardening",), body="Rakes and hoes."),
        encoding="utf-8",
    )
    qtbot.waitUntil(lambda: "Rakes and hoes for a small garden" in titles(window), timeout=20_000)
    settle(qtbot, window)


def expand_and_collapse(qtbot: QtBot, window: MainWindow, docs_dir: Path) -> None:
    toggle_collapse(qtbot, window, 5)
    toggle_collapse(qtbot, window, 2)


def sort_again(qtbot: QtBot, window: MainWindow, docs_dir: Path) -> None:
    sort_oldest_first(qtbot, window)


def open_version(qtbot: QtBot, window: MainWindow, outlet: str) -> None:
    """On the story timeline (focused now if it is not): Home, Right to the version of
    ``outlet``, Enter."""
    timeline = window.story_timeline.timeline
    qtbot.waitUntil(lambda: timeline.isVisible() and bool(timeline.marks))
    if not timeline.hasFocus():
        timeline.setFocus(Qt.FocusReason.OtherFocusReason)
        qtbot.waitUntil(timeline.hasFocus)
    mark = next(i for i, m in enumerate(timeline.marks) if m.version.outlet == outlet)
    press(qtbot, window, Qt.Key.Key_Home)
    while timeline.current != mark:
        press(qtbot, window, Qt.Key.Key_Right)
    press(qtbot, window, Qt.Key.Key_Return)


@pytest.mark.parametrize("refresh", [sort_again, expand_and_collapse, add_a_document], ids=["sort", "g-g", "new-file"])
def test_a_version_opened_from_the_timeline_stays_open_and_unread_through_a_list_refresh(
    qtbot: QtBot, window: MainWindow, docs_dir: Path, refresh: object
) -> None:
    """Stories collapsed: open the story's row, then Global News' version from the story
    timeline (Shift+T, Enter), and make the story unread with m. The list asked for again
    keeps Global News open, as the list's row of its story, and marks nothing read."""
    toggle_collapse(qtbot, window, 2)
    select_title(window, SEED_TITLES["tribune"])  # the story's row: every copy read
    qtbot.waitUntil(lambda: story_read(window) == [True] * 4)
    timeline = window.story_timeline.timeline
    qtbot.waitUntil(lambda: timeline.isVisible() and bool(timeline.marks))
    window.article_list.setFocus()
    press(qtbot, window, "T", SHIFT)
    qtbot.waitUntil(timeline.hasFocus)
    open_version(qtbot, window, "Global News")
    qtbot.waitUntil(lambda: open_title(window) == SEED_TITLES["global"])
    qtbot.waitUntil(lambda: current_title(window) == SEED_TITLES["global"])  # (its story's row at once)
    settle(qtbot, window)
    window.article_list.setFocus()
    press(qtbot, window, "m")  # the story unread: every copy
    qtbot.waitUntil(lambda: story_read(window) == [False] * 4)
    settle(qtbot, window)
    assert callable(refresh)
    refresh(qtbot, window, docs_dir)
    qtbot.wait(100)  # (anything a refresh set off has its turn)
    settle(qtbot, window)
    assert open_title(window) == SEED_TITLES["global"]
    assert current_title(window) == SEED_TITLES["global"]  # the row of its story
    assert story_read(window) == [False] * 4  # nothing marked read by the refresh
    assert not read_marks(window)[SEED_TITLES["bbc"]]


def test_the_unread_view_keeps_the_article_open_through_g_and_a_sort(qtbot: QtBot, window: MainWindow) -> None:
    """Unread (Ctrl+2): Global News opened is read, and stays listed while it is open (as a
    just-read article stays until the list is asked for again): collapsed it stands for its
    story, sorted or expanded again it is still the list's current article. Once another
    article is open, the list asked for again leaves it out."""
    window.article_list.setFocus()
    press(qtbot, window, "2", CTRL)
    settle(qtbot, window)
    window.article_list.setFocus()
    select_title(window, SEED_TITLES["global"])
    qtbot.waitUntil(lambda: read_marks(window)[SEED_TITLES["global"]])
    settle(qtbot, window)
    toggle_collapse(qtbot, window, 2)
    assert open_title(window) == current_title(window) == SEED_TITLES["global"]
    assert window.article_model.index(window.article_list.current_row() or 0).data(ArticleRole.OUTLETS) == 3
    sort_oldest_first(qtbot, window)
    assert open_title(window) == current_title(window) == SEED_TITLES["global"]
    toggle_collapse(qtbot, window, 5)  # expanded: every unread article, and the one open
    assert open_title(window) == current_title(window) == SEED_TITLES["global"]
    assert story_read(window) == [False, True, False, False]  # (nothing else read meanwhile)
    select_title(window, SEED_TITLES["bbc"])  # another article open: Global News may go
    settle(qtbot, window)
    window.registry["sort_newest"].trigger()
    qtbot.waitUntil(lambda: SEED_TITLES["global"] not in titles(window))
    assert open_title(window) == current_title(window) == SEED_TITLES["bbc"]


def test_the_unread_view_keeps_a_collapsed_story_read_by_opening_it(qtbot: QtBot, window: MainWindow) -> None:
    """Unread, stories collapsed: opening the story's row reads every copy; sorted again, the
    row stays listed and open while it is open."""
    window.article_list.setFocus()
    press(qtbot, window, "2", CTRL)
    settle(qtbot, window)
    toggle_collapse(qtbot, window, 2)
    select_title(window, SEED_TITLES["tribune"])
    qtbot.waitUntil(lambda: story_read(window) == [True] * 4)
    settle(qtbot, window)
    sort_oldest_first(qtbot, window)
    assert titles(window) == [SEED_TITLES["bbc"], SEED_TITLES["tribune"]]  # (oldest first: BBC's is of January)
    assert open_title(window) == current_title(window) == SEED_TITLES["tribune"]


def test_a_version_the_view_does_not_list_stays_open_beside_the_row_it_was_opened_from(
    qtbot: QtBot, window: MainWindow
) -> None:
    """Top Stories lists the story by its lead (the Tribune's) only: Global News' version
    opened from the timeline and made unread again stays open, unread, through a sort, and
    the lead's row stays current without being opened."""
    window.article_list.setFocus()
    press(qtbot, window, "5", CTRL)
    qtbot.waitUntil(lambda: titles(window) == [SEED_TITLES["tribune"]])
    settle(qtbot, window)
    window.article_list.setFocus()
    select_title(window, SEED_TITLES["tribune"])
    open_version(qtbot, window, "Global News")
    qtbot.waitUntil(lambda: open_title(window) == SEED_TITLES["global"])
    window.article_list.setFocus()
    press(qtbot, window, "m")
    qtbot.waitUntil(lambda: not read_marks(window)[SEED_TITLES["global"]])
    settle(qtbot, window)
    sort_oldest_first(qtbot, window)
    qtbot.wait(100)
    settle(qtbot, window)
    assert open_title(window) == SEED_TITLES["global"]
    assert current_title(window) == SEED_TITLES["tribune"]
    assert not read_marks(window)[SEED_TITLES["global"]]


# --------------------------------------------------------------------------- the article open now


def open_from_timeline(qtbot: QtBot, window: MainWindow, outlet: str) -> None:
    """Shift+T, Right to ``outlet``'s version, Enter; the keyboard back to the list."""
    timeline = window.story_timeline.timeline
    qtbot.waitUntil(lambda: timeline.isVisible() and bool(timeline.marks))
    window.article_list.setFocus()
    press(qtbot, window, "T", SHIFT)
    qtbot.waitUntil(timeline.hasFocus)
    target = next(i for i, m in enumerate(timeline.marks) if m.version.outlet == outlet)
    press(qtbot, window, Qt.Key.Key_Home)
    while timeline.current != target:
        press(qtbot, window, Qt.Key.Key_Right)
    press(qtbot, window, Qt.Key.Key_Return)
    settle(qtbot, window)
    window.article_list.setFocus()


def unread_view(qtbot: QtBot, window: MainWindow) -> None:
    window.article_list.setFocus()
    press(qtbot, window, "2", CTRL)
    settle(qtbot, window)
    window.article_list.setFocus()


def collapse_then_next(qtbot: QtBot, window: MainWindow) -> str:
    """All, BBC's article open (the third row): g, and j at once (before the collapsed list
    arrives) opens the Swedish version, which is not its story's first row."""
    select_title(window, SEED_TITLES["bbc"])
    settle(qtbot, window)
    press(qtbot, window, "g")
    press(qtbot, window, "j")
    return SEED_TITLES["swedish"]


def sort_collapsed_then_previous(qtbot: QtBot, window: MainWindow) -> str:
    """Stories collapsed, BBC's row open: sorted oldest first, and k at once opens the
    story's row (the Tribune's, its newest copy; oldest first, an older copy comes first)."""
    toggle_collapse(qtbot, window, 2)
    select_title(window, SEED_TITLES["bbc"])
    settle(qtbot, window)
    window.registry["sort_oldest"].trigger()
    press(qtbot, window, "k")
    return SEED_TITLES["tribune"]


def sort_unread_then_next(qtbot: QtBot, window: MainWindow) -> str:
    """Unread, the Tribune's article open: sorted while the library is counting, and j at
    once opens Global News' (its read mark is written before the list is read)."""
    unread_view(qtbot, window)
    select_title(window, SEED_TITLES["tribune"])
    settle(qtbot, window)
    window.queries.request_counts(window.scope)  # (the query thread busy, as during a load)
    window.registry["sort_oldest"].trigger()
    press(qtbot, window, "j")
    return SEED_TITLES["global"]


@pytest.mark.parametrize("race", [collapse_then_next, sort_collapsed_then_previous, sort_unread_then_next],
                         ids=["g-j", "collapsed-sort-k", "unread-sort-j"])
def test_a_list_asked_for_before_the_user_moved_on_keeps_the_article_open_now(
    qtbot: QtBot, window: MainWindow, race: object
) -> None:
    """A list asked for (g, a sort) while one article was open arrives after the user opened
    another with j or k: the article open now stays open, its row current (while collapsed,
    its story's row)."""
    window.article_list.setFocus()
    assert callable(race)
    now_open = race(qtbot, window)
    assert open_title(window) == current_title(window) == now_open
    settle(qtbot, window)
    qtbot.wait(100)
    settle(qtbot, window)
    assert open_title(window) == now_open
    assert current_title(window) == now_open


def test_unread_does_not_list_a_read_version_opened_from_the_timeline(qtbot: QtBot, window: MainWindow) -> None:
    """Unread: Global News' article, read before, is not listed; opened from the story
    timeline of the Tribune's (opened from the list), a sort leaves the list as it was:
    Global News' not added, the Tribune's row kept and current."""
    window.article_list.setFocus()
    select_title(window, SEED_TITLES["global"])  # read in All
    settle(qtbot, window)
    unread_view(qtbot, window)
    assert SEED_TITLES["global"] not in titles(window)
    select_title(window, SEED_TITLES["tribune"])
    settle(qtbot, window)
    open_from_timeline(qtbot, window, "Global News")
    assert open_title(window) == SEED_TITLES["global"]
    assert current_title(window) == SEED_TITLES["tribune"]
    sort_oldest_first(qtbot, window)
    assert sorted(titles(window)) == sorted([SEED_TITLES[k] for k in ("tribune", "bbc", "swedish", "plain")])
    assert open_title(window) == SEED_TITLES["global"]
    assert current_title(window) == SEED_TITLES["tribune"]


def test_the_article_open_at_quit_is_shown_again_as_it_was_left(
    qtbot: QtBot, make_window: WindowFactory, docs_dir: Path
) -> None:
    """The article open when the window closed, made unread with m, is shown again at the
    next start, still unread (showing a list marks nothing read)."""
    first = make_window([docs_dir])
    first.article_list.setFocus()
    select_title(first, SEED_TITLES["global"])
    settle(qtbot, first)
    press(qtbot, first, "m")
    qtbot.waitUntil(lambda: not read_marks(first)[SEED_TITLES["global"]])
    settle(qtbot, first)
    first.close()

    second = make_window([docs_dir])
    qtbot.waitUntil(lambda: not second.memory.restoring)
    settle(qtbot, second)
    qtbot.wait(100)
    settle(qtbot, second)
    assert open_title(second) == current_title(second) == SEED_TITLES["global"]
    assert not read_marks(second)[SEED_TITLES["global"]]
    assert not second.marks.is_read(second.detail.article.id if second.detail.article else "")


def test_the_article_open_at_quit_in_unread_is_shown_again_in_unread(
    qtbot: QtBot, make_window: WindowFactory, docs_dir: Path
) -> None:
    """Closed in Unread with an article open (read by opening it): the next start shows it
    again, listed in Unread in its place, as the article open is while it is open."""
    first = make_window([docs_dir])
    first.sidebar.select(View(ViewKind.UNREAD))
    settle(qtbot, first)
    select_title(first, SEED_TITLES["global"])
    qtbot.waitUntil(lambda: read_marks(first)[SEED_TITLES["global"]])
    settle(qtbot, first)
    first.close()

    second = make_window([docs_dir])
    qtbot.waitUntil(lambda: not second.memory.restoring)
    settle(qtbot, second)
    assert second.view_key == View(ViewKind.UNREAD)
    assert open_title(second) == current_title(second) == SEED_TITLES["global"]
    assert SEED_TITLES["global"] in titles(second)


def test_a_version_open_at_quit_is_shown_again_beside_the_row_it_was_opened_from(
    qtbot: QtBot, make_window: WindowFactory, docs_dir: Path
) -> None:
    """Top Stories lists the seeds' story by its lead; Global News' version opened from the
    story timeline and left open at quit: the next start shows it again beside the lead's
    row, and Top Stories still lists the story once."""
    first = make_window([docs_dir])
    first.sidebar.select(View(ViewKind.TOP))
    settle(qtbot, first)
    select_title(first, SEED_TITLES["tribune"])
    open_version(qtbot, first, "Global News")
    qtbot.waitUntil(lambda: open_title(first) == SEED_TITLES["global"])
    settle(qtbot, first)
    first.close()

    second = make_window([docs_dir])
    qtbot.waitUntil(lambda: not second.memory.restoring)
    settle(qtbot, second)
    assert second.view_key == View(ViewKind.TOP)
    assert titles(second) == [SEED_TITLES["tribune"]]
    assert open_title(second) == SEED_TITLES["global"] and current_title(second) == SEED_TITLES["tribune"]


# --------------------------------------------------------------------------- every view, not only Unread


def test_a_search_for_unread_articles_keeps_the_article_open_when_documents_arrive(
    qtbot: QtBot, window: MainWindow, docs_dir: Path
) -> None:
    """The search ``is:unread``: Global News' article opened (so read) stays listed, open and
    current when a document arrives in the folder."""
    type_query(qtbot, window, "is:unread")
    qtbot.waitUntil(lambda: window.query is not None)
    settle(qtbot, window)
    assert len(titles(window)) == 5
    window.article_list.setFocus()
    select_title(window, SEED_TITLES["global"])
    settle(qtbot, window)
    add_a_document(qtbot, window, docs_dir)
    assert open_title(window) == current_title(window) == SEED_TITLES["global"]
    assert SEED_TITLES["global"] in titles(window)


def test_starred_keeps_the_article_unstarred_while_it_is_open(qtbot: QtBot, window: MainWindow) -> None:
    """Starred: BBC's article, unstarred with s, stays listed, open and current through a
    sort; once another article is open, the list leaves it out."""
    window.article_list.setFocus()
    for key in ("bbc", "plain"):
        select_title(window, SEED_TITLES[key])
        press(qtbot, window, "s")
    settle(qtbot, window)
    press(qtbot, window, "3", CTRL)
    qtbot.waitUntil(lambda: len(titles(window)) == 2)
    settle(qtbot, window)
    window.article_list.setFocus()
    select_title(window, SEED_TITLES["bbc"])
    press(qtbot, window, "s")
    settle(qtbot, window)
    sort_oldest_first(qtbot, window)
    assert titles(window) == [SEED_TITLES["bbc"], SEED_TITLES["plain"]]  # (oldest first; plain text is undated)
    assert open_title(window) == current_title(window) == SEED_TITLES["bbc"]
    select_title(window, SEED_TITLES["plain"])
    settle(qtbot, window)
    window.registry["sort_newest"].trigger()
    qtbot.waitUntil(lambda: titles(window) == [SEED_TITLES["plain"]])


def test_unread_lists_the_article_open_again_after_ctrl_z(qtbot: QtBot, window: MainWindow) -> None:
    """Unread: the Tribune's article open, Shift+A, a sort (only the article open is left),
    then Ctrl+Z: the four articles made unread again are listed again."""
    unread_view(qtbot, window)
    select_title(window, SEED_TITLES["tribune"])
    settle(qtbot, window)
    press(qtbot, window, "A", SHIFT)
    qtbot.waitUntil(lambda: all(read_marks(window).values()))
    settle(qtbot, window)
    sort_oldest_first(qtbot, window)
    assert titles(window) == [SEED_TITLES["tribune"]]
    press(qtbot, window, "z", CTRL)
    qtbot.waitUntil(lambda: sorted(titles(window)) == sorted(SEED_TITLES.values()))
    assert open_title(window) == current_title(window) == SEED_TITLES["tribune"]
    press(qtbot, window, "n")
    assert open_title(window) != SEED_TITLES["tribune"]


def test_searching_unread_for_a_word_of_the_article_open_keeps_it(qtbot: QtBot, window: MainWindow) -> None:
    """Unread: a word of Global News' article open (read by opening it) searched for: it is
    among the results, open and current, as in All; the search cleared, still."""
    unread_view(qtbot, window)
    select_title(window, SEED_TITLES["global"])
    settle(qtbot, window)
    type_query(qtbot, window, "sites")
    qtbot.waitUntil(lambda: window.query is not None)
    settle(qtbot, window)
    assert SEED_TITLES["global"] in titles(window)
    assert open_title(window) == current_title(window) == SEED_TITLES["global"]
    type_query(qtbot, window, "")
    qtbot.waitUntil(lambda: window.query is None)
    settle(qtbot, window)
    assert len(titles(window)) == 5
    assert open_title(window) == current_title(window) == SEED_TITLES["global"]
