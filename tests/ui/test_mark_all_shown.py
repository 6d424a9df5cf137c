"""Shift+A marks the articles the list showed when it was pressed, and no other: an article
another Reader added to the library after the list was read stays unread (flat, with
stories collapsed, in a search), the status bar counts what was marked, and Ctrl+Z puts
back exactly those."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from reader.library import Library
from reader.ui.main_window import MainWindow

from .helpers import SEED_TITLES, settle, sidebar_counts, titles, type_query

SHIFT = Qt.KeyboardModifier.ShiftModifier
CTRL = Qt.KeyboardModifier.ControlModifier

#: The Chicago Tribune's seed: the same AP report as three others of the seeds.
TRIBUNE_SEED = "001_19301bc74b7f561c.txt"


def press(qtbot: QtBot, window: MainWindow, key: str, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    assert window.isActiveWindow()
    focused = QApplication.focusWidget()
    assert focused is not None
    qtbot.keyClick(focused, key, modifier)


def shown(window: MainWindow) -> dict[str, bool]:
    """The articles of the rows the list shows (all of them): id -> read, from the library."""
    ids = [window.library.row(r).id for r in window.article_model.rowids()]  # type: ignore[union-attr]
    return {i: window.library.is_read(i) for i in ids}


def id_of(window: MainWindow, title: str) -> str:
    found = window.library.db.execute("SELECT id FROM articles WHERE title = ?", (title,)).fetchone()
    assert found is not None, title
    return str(found[0])


def another_reader_adds(docs: Path, data: Path, name: str, text: str) -> None:
    """Another Reader (a second Library on the same data folder) syncs a new document into
    the folder the window shows; the window is not told (its watcher is stopped first)."""
    (docs / name).write_text(text, encoding="utf-8")
    with Library(data) as other:
        other.sync([str(docs)])


def new_document(title: str, url: str, outlet: str, domain: str) -> str:
    return (
        f'---\ncategory: news\ntitle: "{title}"\nexcerpt: "{title}."\npublishedDateTime: 2020-02-07T09:00:00Z\n'
        f'webUrl: "{url}"\ntype: article\nprovider:\n  name: {outlet}\n  domain: {domain}\ntopics:\n  - Space\n---\n'
    )


def a_copy_of_the_tribune_report(docs: Path) -> str:
    """The Tribune's seed as a fifth outlet ran it: the same report, another URL and outlet."""
    text = (docs / TRIBUNE_SEED).read_text(encoding="utf-8")
    text = text.replace("https://www.chicagotribune.com/", "https://www.example-herald.com/")
    return text.replace("name: Chicago Tribune", "name: Example Herald").replace("domain: chicagotribune.com", "domain: example-herald.com")


def stop_noticing(window: MainWindow) -> None:
    """The window no longer hears of changes to its folders (so another Reader's sync is
    not followed by a load here before the key is pressed)."""
    window.watcher.stop()


def test_shift_a_leaves_an_article_another_reader_added_after_the_list(
    qtbot: QtBot, window: MainWindow, docs_dir: Path, data_dir: Path
) -> None:
    stop_noticing(window)
    settle(qtbot, window)
    before = shown(window)
    unread = sorted(i for i, read in before.items() if not read)
    assert len(before) == 5 and unread  # the five seeds, the one opened read
    another_reader_adds(docs_dir, data_dir, "later.md", new_document(
        "Rover finds water ice near the lunar south pole", "https://example.org/rover-ice", "Example Daily", "example.org"))
    later = id_of(window, "Rover finds water ice near the lunar south pole")
    assert not window.library.is_read(later)
    window.article_list.setFocus()
    press(qtbot, window, "A", SHIFT)
    settle(qtbot, window)
    assert window.statusBar().currentMessage().startswith(f"Marked {len(unread)} articles read")
    assert all(window.library.is_read(i) for i in before)
    assert not window.library.is_read(later)  # never shown: left unread
    assert sidebar_counts(window)["Unread"] == "1"  # (shown read at once, then counted: that one)
    press(qtbot, window, "z", CTRL)
    settle(qtbot, window)
    assert window.statusBar().currentMessage() == f"Marked {len(unread)} articles unread again"
    assert {i: window.library.is_read(i) for i in before} == before
    assert not window.library.is_read(later)


def test_shift_a_in_a_search_leaves_a_later_match(qtbot: QtBot, window: MainWindow, docs_dir: Path, data_dir: Path) -> None:
    stop_noticing(window)
    type_query(qtbot, window, "clearview")
    qtbot.waitUntil(lambda: len(titles(window)) == 5)  # every seed names Clearview
    settle(qtbot, window)
    before = shown(window)
    unread = [i for i, read in before.items() if not read]
    another_reader_adds(docs_dir, data_dir, "later.md", new_document(
        "Clearview AI faces a new lawsuit over scraped images", "https://example.org/clearview-suit", "Example Daily", "example.org"))
    later = id_of(window, "Clearview AI faces a new lawsuit over scraped images")
    assert window.library.search("clearview lawsuit")  # the search would find it now
    window.article_list.setFocus()
    press(qtbot, window, "A", SHIFT)
    settle(qtbot, window)
    assert window.statusBar().currentMessage().startswith(f"Marked {len(unread)} articles read")
    assert all(window.library.is_read(i) for i in before)
    assert not window.library.is_read(later)


def test_shift_a_with_stories_collapsed_leaves_a_copy_that_joined_a_story_later(
    qtbot: QtBot, window: MainWindow, docs_dir: Path, data_dir: Path
) -> None:
    """A collapsed row stands for its story's copies (wherever they are listed), but not for
    a copy that arrived after the list was read and joined the story since."""
    stop_noticing(window)
    window.article_list.setFocus()
    press(qtbot, window, "g")
    qtbot.waitUntil(lambda: len(titles(window)) == 2)  # the seeds' story and the BBC's report
    settle(qtbot, window)
    seeds = {id_of(window, title) for title in SEED_TITLES.values()}
    before = {i: window.library.is_read(i) for i in seeds}
    unread = [i for i, read in before.items() if not read]
    another_reader_adds(docs_dir, data_dir, "herald.txt", a_copy_of_the_tribune_report(docs_dir))
    herald = window.library.db.execute("SELECT id FROM articles WHERE provider = 'Example Herald'").fetchone()[0]
    assert herald in window.library.story_members(id_of(window, SEED_TITLES["tribune"]))  # one more copy of the story
    assert not window.library.is_read(herald)
    press(qtbot, window, "A", SHIFT)
    settle(qtbot, window)
    assert window.statusBar().currentMessage().startswith(f"Marked {len(unread)} articles read")
    assert all(window.library.is_read(i) for i in seeds)
    assert not window.library.is_read(herald)
    press(qtbot, window, "z", CTRL)
    settle(qtbot, window)
    assert {i: window.library.is_read(i) for i in seeds} == before
    assert not window.library.is_read(herald)
