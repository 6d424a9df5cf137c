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


def another_reader_removes_the_newest_row(docs: Path, data: Path) -> tuple[int, str]:
    """Another Reader removes the article with the largest rowid (its file deleted, then
    synced): the rowid SQLite would give the next article added. Returns its rowid and id."""
    with Library(data) as other:
        rowid, article_id, path = other.db.execute("SELECT rowid, id, path FROM articles ORDER BY rowid DESC LIMIT 1").fetchone()
        Path(path).unlink()
        other.sync([str(docs)])
        assert other.rowid_of(article_id) is None
    return int(rowid), str(article_id)


def test_shift_a_leaves_an_article_added_after_the_list_in_the_rowid_of_one_removed(
    qtbot: QtBot, window: MainWindow, docs_dir: Path, data_dir: Path
) -> None:
    """The list showed the article with the largest rowid; another Reader removed it and added
    another before Shift+A: the new one never takes the listed rowid, so it stays unread."""
    stop_noticing(window)
    settle(qtbot, window)
    before = shown(window)
    assert len(before) == 5
    listed = window.article_model.rowids()
    gone_rowid, gone = another_reader_removes_the_newest_row(docs_dir, data_dir)
    assert gone_rowid in listed and gone in before  # the list showed it
    another_reader_adds(docs_dir, data_dir, "later.md", new_document(
        "Rover finds water ice near the lunar south pole", "https://example.org/rover-ice", "Example Daily", "example.org"))
    later = id_of(window, "Rover finds water ice near the lunar south pole")
    assert not window.library.is_read(later)
    remaining = {i: read for i, read in before.items() if i != gone}
    unread = [i for i, read in remaining.items() if not read]
    assert unread
    window.article_list.setFocus()
    press(qtbot, window, "A", SHIFT)
    settle(qtbot, window)
    assert window.statusBar().currentMessage().startswith(f"Marked {len(unread)} articles read")
    assert all(window.library.is_read(i) for i in remaining)
    assert not window.library.is_read(later)  # never shown: left unread
    press(qtbot, window, "z", CTRL)
    settle(qtbot, window)
    assert {i: window.library.is_read(i) for i in remaining} == remaining
    assert not window.library.is_read(later)


def test_shift_a_in_a_search_with_stories_collapsed_leaves_a_later_copy_in_the_rowid_of_one_removed(
    qtbot: QtBot, window: MainWindow, docs_dir: Path, data_dir: Path
) -> None:
    """Stories collapsed, a search: another Reader removed the article with the largest rowid
    (the largest when the list was read) and added a copy of a listed story before Shift+A.
    The copy never takes that rowid, so it counts as arrived since and stays unread."""
    stop_noticing(window)
    window.article_list.setFocus()
    press(qtbot, window, "g")
    qtbot.waitUntil(lambda: len(titles(window)) == 2)  # the seeds' story and the BBC's report
    type_query(qtbot, window, "clearview")
    settle(qtbot, window)
    window.article_list.setFocus()
    listed = window.article_model.rowids()
    assert len(listed) == 2
    seeds = {id_of(window, title) for title in SEED_TITLES.values()}
    copy = a_copy_of_the_tribune_report(docs_dir)  # (read before the Tribune's file may go)
    gone_rowid, gone = another_reader_removes_the_newest_row(docs_dir, data_dir)
    assert gone_rowid == window.article_model.upto  # the largest rowid when the list was read
    another_reader_adds(docs_dir, data_dir, "herald.txt", copy)
    herald = window.library.db.execute("SELECT id FROM articles WHERE provider = 'Example Herald'").fetchone()[0]
    stories = [window.library.story_members(row.id) for r in listed if (row := window.library.row(r))]
    assert any(herald in members for members in stories)  # a copy of a listed story now
    assert not window.library.is_read(herald)
    remaining = {i: window.library.is_read(i) for members in stories for i in members if i != herald}
    assert set(remaining) <= seeds
    unread = [i for i, read in remaining.items() if not read]
    press(qtbot, window, "A", SHIFT)
    settle(qtbot, window)
    assert window.statusBar().currentMessage().startswith(f"Marked {len(unread)} articles read")
    assert all(window.library.is_read(i) for i in remaining)
    assert not window.library.is_read(herald)
