"""Ctrl+Z undoes the steps in the order the user made them, also when one of them (Shift+A,
a rule applied to the articles here) is written later than a step made after it; and the
status bar promises an undo only when Ctrl+Z is going to do it."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from reader.library import Library, LibraryError
from reader.ui.main_window import MainWindow
from reader.ui.queries import MarkReadJob, RuleJob

from .helpers import SEED_TITLES, select_title, settle, titles
from .test_data_safety import write_lock_held

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
#: The seeds' one story of several copies (collapsed, one row), and the seed alone in its own.
STORY = ("tribune", "global", "swedish", "plain")


def key(qtbot: QtBot, window: MainWindow, text: str, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    focused = QApplication.focusWidget()
    assert window.isActiveWindow() and focused is not None
    qtbot.keyClick(focused, text, modifier)


def read_marks(window: MainWindow) -> dict[str, bool]:
    """Each seed's read mark in the library, by its name in SEED_TITLES."""
    names = {title: name for name, title in SEED_TITLES.items()}
    return {names[title]: bool(read) for title, read in window.library.db.execute(
        "SELECT a.title, e.read FROM articles a JOIN entries e ON e.rowid = a.rowid")}


def collapse(qtbot: QtBot, window: MainWindow) -> None:
    window.article_list.setFocus()
    key(qtbot, window, "g")
    qtbot.waitUntil(lambda: titles(window) == [SEED_TITLES["tribune"], SEED_TITLES["bbc"]])
    settle(qtbot, window)


def written(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: not window.queries.busy, timeout=15_000)
    settle(qtbot, window)


@pytest.mark.parametrize("pressed", ["after it is written", "while it waits"])
def test_ctrl_z_undoes_a_story_opened_after_shift_a_before_shift_a(qtbot: QtBot, window: MainWindow, pressed: str) -> None:
    """Shift+A waits for another Reader's write lock; the story opened meanwhile (its copies
    marked read: one step) is the last step, so Ctrl+Z undoes it, and Shift+A only after."""
    collapse(qtbot, window)
    told: list[str] = []
    window.statusBar().messageChanged.connect(told.append)
    with write_lock_held(window):
        key(qtbot, window, "A", SHIFT)  # waits for the lock on the query thread
        select_title(window, SEED_TITLES["tribune"])  # opening the story's row marks its 4 copies
        assert window.statusBar().currentMessage() == "Marked 4 articles read — Ctrl+Z undoes"
        if pressed == "while it waits":
            key(qtbot, window, "z", CTRL)
    written(qtbot, window)
    if pressed == "after it is written":
        # Shift+A is written last, but Ctrl+Z undoes the story first: no "Ctrl+Z undoes" for it
        assert "Marked 1 article read" in told and "Marked 1 article read — Ctrl+Z undoes" not in told
        key(qtbot, window, "z", CTRL)
        written(qtbot, window)
    else:  # (the story was undone already: Shift+A is the last step when it is written)
        assert "Marked 1 article read — Ctrl+Z undoes" in told
    assert read_marks(window) == {"tribune": False, "global": False, "swedish": False, "plain": False, "bbc": True}
    assert window.statusBar().currentMessage() == "Marked 4 articles unread again"
    key(qtbot, window, "z", CTRL)  # and then Shift+A's
    written(qtbot, window)
    assert not any(read_marks(window).values())
    assert window.statusBar().currentMessage() == "Marked 1 article unread again"
    key(qtbot, window, "z", CTRL)
    assert window.statusBar().currentMessage() == "Nothing to undo"


def test_ctrl_z_undoes_a_story_opened_while_a_rule_is_applied_before_the_rule(qtbot: QtBot, window: MainWindow) -> None:
    window.library.save_search("Networks", "linkedin")  # the two seeds that name LinkedIn
    collapse(qtbot, window)

    def starred() -> int:
        return sum(window.library.is_starred(i) for (i,) in window.library.db.execute("SELECT id FROM articles"))

    with write_lock_held(window):
        window.saved_searches.set_rule("Networks", ["star"], True)  # applied here once the lock is free
        select_title(window, SEED_TITLES["tribune"])  # a step made after it
    written(qtbot, window)
    assert starred() == 2
    assert "undoes" not in window.statusBar().currentMessage()  # (Ctrl+Z undoes the story first)
    key(qtbot, window, "z", CTRL)
    written(qtbot, window)
    assert not any(read_marks(window)[name] for name in STORY) and starred() == 2
    key(qtbot, window, "z", CTRL)
    written(qtbot, window)
    assert starred() == 0


def test_shift_a_written_after_another_folder_is_opened_promises_no_undo(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    """Another folder opened while Shift+A waits: what Ctrl+Z undoes is the new folder's, so
    the message once Shift+A is written says no "Ctrl+Z undoes"."""
    other = tmp_path / "other"
    other.mkdir()
    collapse(qtbot, window)
    select_title(window, SEED_TITLES["tribune"])  # a step before: the story read
    written(qtbot, window)
    told: list[str] = []
    window.statusBar().messageChanged.connect(told.append)
    with write_lock_held(window):
        key(qtbot, window, "A", SHIFT)
        window.open_paths([other])
    written(qtbot, window)
    assert read_marks(window)["bbc"]
    assert "Marked 1 article read in the folder open before" in told
    assert not any("undoes" in message for message in told), told
    key(qtbot, window, "z", CTRL)
    assert window.statusBar().currentMessage() == "Nothing to undo"
    assert all(read_marks(window).values())


def test_an_undo_that_fails_goes_back_in_its_place(qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl+Z whose write fails leaves its step to undo again, under a step made since."""
    collapse(qtbot, window)
    select_title(window, SEED_TITLES["tribune"])  # step 1: the story read
    written(qtbot, window)
    original = Library.undo
    calls: list[object] = []

    def fails_once(library: Library, *args: object, **kwargs: object) -> None:
        calls.append(args)
        if len(calls) == 1:
            raise LibraryError("the library could not be written: database or disk is full")
        original(library, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Library, "undo", fails_once)
    with write_lock_held(window):
        key(qtbot, window, "z", CTRL)  # undo step 1: it fails once written
        key(qtbot, window, "m")  # step 2: the story unread (the undo is not written yet)
    written(qtbot, window)
    assert calls and "Not saved" in window.statusBar().currentMessage()
    assert not any(read_marks(window)[name] for name in STORY)
    key(qtbot, window, "z", CTRL)  # step 2 first: the story read again ...
    written(qtbot, window)
    assert all(read_marks(window)[name] for name in STORY)
    key(qtbot, window, "z", CTRL)  # ... then step 1, whose undo failed: unread
    written(qtbot, window)
    assert not any(read_marks(window)[name] for name in STORY)


def test_shift_a_waiting_at_quit_is_written_when_ctrl_z_took_back_a_later_step(qtbot: QtBot, window: MainWindow) -> None:
    """Ctrl+Z pressed while Shift+A waits undoes the story opened after it, not Shift+A: at
    quit, Shift+A is written (and the story put back as it was)."""
    collapse(qtbot, window)
    with write_lock_held(window):
        key(qtbot, window, "A", SHIFT)
        select_title(window, SEED_TITLES["tribune"])
        key(qtbot, window, "z", CTRL)
        data = window.library.data_dir
    window.close()
    with Library(data) as library:
        marks = {title: library.is_read(i) for i, title in library.db.execute("SELECT id, title FROM articles")}
    assert marks == {SEED_TITLES[name]: name == "bbc" for name in SEED_TITLES}


@contextmanager
def write_lock_released_later(window: MainWindow, seconds: float) -> Iterator[None]:
    """The library's write lock held by another connection (another Reader's sync) from now
    until ``seconds`` after the block ends, whatever the window does then (it quits)."""
    writer = sqlite3.connect(window.library.path, isolation_level=None, check_same_thread=False)
    writer.execute("BEGIN IMMEDIATE")

    def release() -> None:
        writer.execute("ROLLBACK")
        writer.close()

    try:
        yield
    finally:
        threading.Timer(seconds, release).start()


def library_marks(data: Path) -> dict[str, bool]:
    """Each seed's read mark in the library of ``data`` (the window closed), by its name."""
    names = {title: name for name, title in SEED_TITLES.items()}
    with Library(data) as library:
        return {names[title]: library.is_read(i) for i, title in library.db.execute("SELECT id, title FROM articles")}


def story_read_then_unread(qtbot: QtBot, window: MainWindow) -> None:
    """Two steps on the undo stack: the story opened (its copies read), then m (unread)."""
    collapse(qtbot, window)
    select_title(window, SEED_TITLES["tribune"])
    written(qtbot, window)
    key(qtbot, window, "m")
    written(qtbot, window)
    assert not any(read_marks(window).values())


def test_a_second_ctrl_z_while_shift_a_waits_undoes_the_step_below_after_it(qtbot: QtBot, window: MainWindow) -> None:
    """Ctrl+Z twice while Shift+A waits for another Reader's write lock: Shift+A is undone
    first (once written), then the story's m below it, so the story ends read as it was
    before m, and the article Shift+A read is unread again."""
    story_read_then_unread(qtbot, window)
    with write_lock_held(window):
        key(qtbot, window, "A", SHIFT)  # step 3 waits for the lock
        key(qtbot, window, "z", CTRL)  # takes it back
        key(qtbot, window, "z", CTRL)  # and step 2 (m), after it
    written(qtbot, window)
    assert read_marks(window) == {"tribune": True, "global": True, "swedish": True, "plain": True, "bbc": False}
    assert window.statusBar().currentMessage() == "Marked 4 articles read again"
    key(qtbot, window, "z", CTRL)  # step 1 is left: the story unread
    written(qtbot, window)
    assert not any(read_marks(window).values())


def test_ctrl_z_on_a_shift_a_being_written_at_quit_rolls_it_back(qtbot: QtBot, window: MainWindow) -> None:
    """Shift+A runs on the query thread, waiting for another Reader's write lock; Ctrl+Z
    takes it back and the window closes before the lock is free: it is not written."""
    collapse(qtbot, window)
    data = window.library.data_dir
    with write_lock_released_later(window, 1.0):
        key(qtbot, window, "A", SHIFT)
        qtbot.waitUntil(lambda: isinstance(window.queries._in_flight, MarkReadJob))  # being written
        key(qtbot, window, "z", CTRL)
    window.close()
    assert not any(library_marks(data).values())


def test_undos_waiting_behind_a_shift_a_taken_back_are_written_at_quit(qtbot: QtBot, window: MainWindow) -> None:
    """Ctrl+Z twice while Shift+A is written (waiting for the lock), then quit: Shift+A is
    rolled back, and the undo of the step below it, which waited for Shift+A's, is written."""
    story_read_then_unread(qtbot, window)
    data = window.library.data_dir
    with write_lock_released_later(window, 1.0):
        key(qtbot, window, "A", SHIFT)
        qtbot.waitUntil(lambda: isinstance(window.queries._in_flight, MarkReadJob))
        key(qtbot, window, "z", CTRL)
        key(qtbot, window, "z", CTRL)
    window.close()
    assert library_marks(data) == {"tribune": True, "global": True, "swedish": True, "plain": True, "bbc": False}


def test_a_rule_being_applied_at_quit_after_ctrl_z_is_saved_but_not_applied(qtbot: QtBot, window: MainWindow) -> None:
    """The rule was set (and asked to apply to the articles here) and taken back with Ctrl+Z
    while it waited for the lock on the query thread: at quit the rule is kept, applying it
    to the articles here is not."""
    window.library.save_search("Networks", "linkedin")  # the two seeds that name LinkedIn
    window.article_list.setFocus()
    data = window.library.data_dir
    with write_lock_released_later(window, 1.0):
        window.saved_searches.set_rule("Networks", ["star"], True)
        qtbot.waitUntil(lambda: isinstance(window.queries._in_flight, RuleJob))
        key(qtbot, window, "z", CTRL)
    window.close()
    with Library(data) as library:
        saved = library.saved_search("Networks")
        assert saved is not None and saved.actions == ("star",)
        assert not any(library.is_starred(i) for (i,) in library.db.execute("SELECT id FROM articles"))


def test_an_undo_that_fails_after_another_folder_is_opened_is_not_put_back_there(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Shift+A taken back while it waits, another folder opened, then its undo fails: it
    belongs to the folder open before, so Ctrl+Z in the new one has nothing to undo."""
    other = tmp_path / "other"
    other.mkdir()
    collapse(qtbot, window)

    def fails(library: Library, *args: object, **kwargs: object) -> None:
        raise LibraryError("the library could not be written: database or disk is full")

    monkeypatch.setattr(Library, "undo", fails)
    with write_lock_held(window):
        key(qtbot, window, "A", SHIFT)
        key(qtbot, window, "z", CTRL)
        window.open_paths([other])
    written(qtbot, window)
    assert read_marks(window)["bbc"] and "Not saved" in window.statusBar().currentMessage()
    key(qtbot, window, "z", CTRL)
    assert window.statusBar().currentMessage() == "Nothing to undo"


def test_a_rule_applied_after_another_folder_is_opened_says_so(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    """As Shift+A does: the rule applied once another folder is open is not said to have
    acted "here", nor promised to Ctrl+Z."""
    other = tmp_path / "other"
    other.mkdir()
    window.library.save_search("Networks", "linkedin")
    told: list[str] = []
    window.statusBar().messageChanged.connect(told.append)
    with write_lock_held(window):
        window.saved_searches.set_rule("Networks", ["star"], True)
        window.open_paths([other])
    written(qtbot, window)
    assert "Rule saved and applied to 2 articles in the folder open before" in told, told
    assert not any("here" in message or "undoes" in message for message in told), told
