"""A data folder that cannot be written gives a read-only session; a write that fails is a
message in the status bar, never a crash."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from reader.library import Library
from reader.ui.main_window import MainWindow

from .helpers import activate, select_title, titles, wait_loaded


@contextmanager
def write_lock_held(window: MainWindow) -> Iterator[None]:
    """The library's write lock held by another connection, as a sync's batch holds it."""
    writer = sqlite3.connect(window.library.path, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        yield
    finally:
        writer.execute("ROLLBACK")
        writer.close()


@pytest.fixture
def blocked_data_dir(tmp_path: Path) -> Path:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be")
    return blocker / "data"


def test_read_only_data_folder_gives_a_working_read_only_session(
    qtbot: QtBot, docs_dir: Path, blocked_data_dir: Path
) -> None:
    from reader.ui.app import create_window

    window = create_window([docs_dir], data_dir=blocked_data_dir)
    qtbot.addWidget(window)
    window.show()
    activate(qtbot, window)
    wait_loaded(qtbot, window)
    try:
        assert len(titles(window)) == 5
        badge = window.findChild(QLabel, "readOnlyBadge")
        assert badge is not None and badge.isVisible()
        assert "cannot be written" in badge.toolTip()
        select_title(window, titles(window)[0])
        row = window.article_model.list_row(0)
        assert row is not None and row.read  # marks work for the session
    finally:
        window.close()


def test_a_failed_write_is_reported_not_raised(qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    from reader.library import LibraryError

    def full(*_args: object, **_kwargs: object) -> None:
        raise LibraryError("the library could not be written: database or disk is full")

    select_title(window, titles(window)[0])
    qtbot.waitUntil(lambda: not window.busy)  # (its read mark is written)
    monkeypatch.setattr(Library, "_write_state", full)
    window.registry["toggle_star"].trigger()
    assert window.article_model.list_row(0).starred  # type: ignore[union-attr]  # shown at once
    # written on the query thread: the failure is told when it is known, and undone
    qtbot.waitUntil(lambda: "Not saved" in window.statusBar().currentMessage(), timeout=5000)
    assert "disk is full" in window.statusBar().currentMessage()
    assert not window.article_model.list_row(0).starred  # type: ignore[union-attr]
    assert not window.detail.star_button.isChecked()


def test_a_relative_unwritable_data_folder_holding_a_library_opens_read_only(
    qtbot: QtBot, docs_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``reader --data-dir data`` (relative) on a folder that cannot be written and already
    holds a library: the window opens on a copy (root writes anywhere: refusal simulated)."""
    import os

    from reader.ui.app import create_window

    with Library(tmp_path / "data") as library:
        library.sync([docs_dir])
    monkeypatch.chdir(tmp_path)
    real_access = os.access
    blocked = (tmp_path / "data").resolve()
    monkeypatch.setattr(os, "access", lambda p, m, **k: False if Path(p).resolve() == blocked else real_access(p, m, **k))
    window = create_window([docs_dir], data_dir="data")
    qtbot.addWidget(window)
    window.show()
    wait_loaded(qtbot, window)
    try:
        assert len(titles(window)) == 5
        assert window.library.read_only is not None and str(blocked) in window.library.read_only
    finally:
        window.close()


def test_a_mark_never_waits_on_the_gui_thread_for_a_writer(qtbot: QtBot, window: MainWindow) -> None:
    """Another connection (a sync, another Reader) holds the write lock: the star shows at
    once and is written when the lock is free (before, the GUI thread waited for it, up to
    the 10 s timeout, and then said it was not saved)."""
    select_title(window, titles(window)[0])
    article = window.detail.article
    assert article is not None and not window.library.is_starred(article.id)
    with write_lock_held(window):
        window.registry["toggle_star"].trigger()
        assert window.detail.star_button.isChecked()
        assert window.article_model.list_row(0).starred  # type: ignore[union-attr]
        assert "Not saved" not in window.statusBar().currentMessage()
        assert not window.library.is_starred(article.id)  # not written yet: the lock is held
    qtbot.waitUntil(lambda: window.library.is_starred(article.id), timeout=10_000)
    assert window.article_model.list_row(0).starred  # type: ignore[union-attr]


def test_marks_still_waiting_at_quit_are_saved(qtbot: QtBot, window: MainWindow) -> None:
    select_title(window, titles(window)[0])
    first = window.detail.article
    assert first is not None
    with write_lock_held(window):
        window.registry["toggle_star"].trigger()  # runs on the query thread, waiting for the lock
        window.registry["toggle_read"].trigger()  # waits in the queue behind it
        assert window.queries.busy
    data = window.library.data_dir
    window.close()
    with Library(data) as library:
        assert library.is_starred(first.id)
        assert not library.is_read(first.id)  # shown read, then m: unread


def test_a_rule_still_waiting_at_quit_is_saved_and_applied(qtbot: QtBot, window: MainWindow) -> None:
    window.library.save_search("Networks", "linkedin")  # (the two seeds that mention LinkedIn)
    select_title(window, titles(window)[0])
    with write_lock_held(window):
        window.registry["toggle_star"].trigger()  # runs on the query thread, waiting for the lock
        window.saved_searches.set_rule("Networks", ["hide"], True)  # waits in the queue behind it
        assert window.queries.busy
    data = window.library.data_dir
    window.close()
    with Library(data) as library:
        assert [(r.name, r.actions) for r in library.rules()] == [("Networks", ("hide",))]
        assert len(library.article_rowids()) == 3  # the two hidden from All, as asked


@pytest.mark.parametrize("undone", [False, True])
def test_a_mark_all_read_still_waiting_at_quit_is_saved_unless_undone(qtbot: QtBot, window: MainWindow, undone: bool) -> None:
    """Shift+A waiting behind another write when the window closes is written at quit; with
    Ctrl+Z pressed after it (waiting for it to be done), it is not."""
    select_title(window, titles(window)[0])
    with write_lock_held(window):
        window.registry["toggle_star"].trigger()  # runs on the query thread, waiting for the lock
        window.registry["mark_all_read"].trigger()  # waits in the queue behind it
        if undone:
            window.registry["undo"].trigger()  # waits for the mark-all-read to be done
        assert window.queries.busy
    shown = window.detail.article
    assert shown is not None
    data = window.library.data_dir
    window.close()
    with Library(data) as library:
        ids = [row.id for row in library.rows(library.article_rowids()).values()]
        read = {i for i in ids if library.is_read(i)}
        assert len(ids) == 5
        assert read == ({shown.id} if undone else set(ids))  # (the article shown was read before)


def test_a_damaged_library_file_is_rebuilt_while_the_window_is_open(
    qtbot: QtBot, make_window: object, docs_dir: Path, data_dir: Path, tmp_path: Path
) -> None:
    """Pages overwritten inside the library file: whichever thread meets the damage keeps
    the file aside and starts a new one, the documents are read into it, the window says so
    and shows every article with its marks."""
    import random
    import shutil
    shutil.copytree(Path(__file__).resolve().parents[1] / "data" / "corpus", docs_dir / "corpus")
    marks: dict[str, bool] = {}
    with Library(data_dir) as library:
        library.sync([docs_dir])
        for n, row in enumerate(sorted(library.rows(library.article_rowids()).values(), key=lambda r: r.id)):
            marks[row.id] = n % 3 == 0
        library.set_read([i for i, read in marks.items() if read])
    db = sqlite3.connect(data_dir / "library.sqlite3")
    pages = [
        page
        for (table,) in (("articles",), ("article_topics",), ("articles_fts_data",))
        for (page,) in db.execute("SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' LIMIT 2", (table,))
    ]
    size = db.execute("PRAGMA page_size").fetchone()[0]
    db.close()
    noise = random.Random(3)
    with open(data_dir / "library.sqlite3", "r+b") as handle:
        for page in pages:
            handle.seek((page - 1) * size)
            handle.write(bytes(noise.getrandbits(8) for _ in range(size)))

    window = make_window([docs_dir], wait=False)  # type: ignore[operator]
    told: list[str] = []
    window.statusBar().messageChanged.connect(told.append)
    wait_loaded(qtbot, window)
    qtbot.waitUntil(lambda: any("damaged" in m for m in told), timeout=20_000)
    qtbot.waitUntil(lambda: len(titles(window)) == len(marks), timeout=20_000)
    wait_loaded(qtbot, window)
    kept = [p.name for p in data_dir.iterdir() if p.name.startswith("library.sqlite3.corrupt-")]
    assert len([name for name in kept if not name.endswith(("-wal", "-shm"))]) == 1  # (with its WAL files)
    rows = [window.article_model.list_row(r) for r in range(window.article_model.rowCount())]
    assert {row.id: row.read for row in rows if row is not None} == marks
    select_title(window, titles(window)[-1])  # the GUI thread's connection works on the new file
    assert window.detail.article is not None
    assert window.library.db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]


def test_a_grouping_that_cannot_be_written_says_so(qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    """The disk fills up while stories are grouped after a load: the status bar says that the
    stories were not grouped, and why (the last grouping stays shown; the next load tries again)."""
    from reader.library import LibraryError

    def full(*_args: object, **_kwargs: object) -> int:
        raise LibraryError("the library could not be written: database or disk is full")

    wait_loaded(qtbot, window)
    monkeypatch.setattr(Library, "group_stories", full)
    window.reload()
    qtbot.waitUntil(lambda: "Stories were not grouped" in window.statusBar().currentMessage(), timeout=5000)
    assert "disk is full" in window.statusBar().currentMessage()
