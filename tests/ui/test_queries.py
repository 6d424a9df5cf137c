"""The query thread: library work off the GUI thread, stale answers dropped, requests
coalesced, bulk marks and their undo, counts that follow at once, and quitting mid-query."""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QThread, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from reader.library import Library, View, ViewKind
from reader.ui.main_window import UNREAD_SCAN_ROWS, MainWindow
from reader.ui.sidebar import PROBLEMS

from .helpers import (
    SEED_ORDER,
    SEED_TITLES,
    WindowFactory,
    current_title,
    select_title,
    settle,
    sidebar_counts,
    titles,
    wait_loaded,
)

SHIFT = Qt.KeyboardModifier.ShiftModifier
CTRL = Qt.KeyboardModifier.ControlModifier
#: How long a gated query waits for the test at most (a failing test must not hang).
GATE_TIMEOUT_S = 10


class Gate:
    """Wraps a Library method: records the thread of every call and, while closed, holds
    the calls ``when`` picks until the test opens it (before or after the real work)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, name: str, *, after: bool = False) -> None:
        self.calls: list[tuple[int, tuple[Any, ...], dict[str, Any]]] = []
        self.entered = threading.Event()
        self.opened = threading.Event()
        self.opened.set()
        self.when: Callable[..., bool] = lambda *args, **kwargs: True
        original = getattr(Library, name)
        gate = self

        def wrapper(library: Library, *args: Any, **kwargs: Any) -> Any:
            gate.calls.append((threading.get_ident(), args, kwargs))
            held = not gate.opened.is_set() and gate.when(*args, **kwargs)
            if held and not after:
                gate.hold()
            result = original(library, *args, **kwargs)
            if held and after:
                gate.hold()
            return result

        monkeypatch.setattr(Library, name, wrapper)

    def hold(self) -> None:
        self.entered.set()
        self.opened.wait(GATE_TIMEOUT_S)

    def close(self) -> None:
        self.entered.clear()
        self.opened.clear()

    def open(self) -> None:
        self.opened.set()

    def threads(self) -> set[int]:
        return {thread for thread, _args, _kwargs in self.calls}


@pytest.fixture
def gates(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Gate]]:
    """Gates made in a test are opened at its end, so no worker waits on a closed one."""
    made: list[Gate] = []
    yield made
    for gate in made:
        gate.open()


def gate(gates: list[Gate], monkeypatch: pytest.MonkeyPatch, name: str, *, after: bool = False) -> Gate:
    made = Gate(monkeypatch, name, after=after)
    gates.append(made)
    return made


def record_lists(window: MainWindow) -> list[list[str]]:
    """Every list the article list shows from now on (after each reset or insertion)."""
    shown: list[list[str]] = []
    window.article_model.modelReset.connect(lambda: shown.append(titles(window)))
    window.article_model.rowsInserted.connect(lambda *_: shown.append(titles(window)))
    return shown


def press(qtbot: QtBot, window: MainWindow, key: str, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    window.article_list.setFocus()
    qtbot.keyClick(window.article_list, key, modifier)


# --------------------------------------------------------------------------- lists


def test_lists_and_counts_are_read_on_the_query_thread(
    qtbot: QtBot, make_window: WindowFactory, docs_dir: Path, monkeypatch: pytest.MonkeyPatch, gates: list[Gate]
) -> None:
    listed = gate(gates, monkeypatch, "article_rowids")
    counted = gate(gates, monkeypatch, "counts")
    window = make_window([docs_dir])
    assert titles(window) == SEED_ORDER
    assert sidebar_counts(window)["All Articles"] == "5 / 5"
    window.sidebar.select(View(ViewKind.TOPIC, "AI"))
    settle(qtbot, window)
    assert len(titles(window)) == 3
    gui = threading.get_ident()
    assert listed.calls and counted.calls
    assert gui not in listed.threads() | counted.threads()


def test_a_stale_list_is_dropped(qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch, gates: list[Gate]) -> None:
    listed = gate(gates, monkeypatch, "article_rowids", after=True)
    listed.when = lambda view, **_: view == View(ViewKind.TOPIC, "Computer Vision")
    shown = record_lists(window)
    listed.close()
    window.sidebar.select(View(ViewKind.TOPIC, "Computer Vision"))  # read, then held
    qtbot.waitUntil(listed.entered.is_set, timeout=GATE_TIMEOUT_S * 1000)
    window.sidebar.select(View(ViewKind.SOURCE, "BBC"))  # asked for while the other one runs
    listed.open()
    settle(qtbot, window)
    assert titles(window) == [SEED_TITLES["bbc"]]
    assert [SEED_TITLES["tribune"]] not in shown  # Computer Vision's list was never shown
    assert shown == [[SEED_TITLES["bbc"]]]


def test_rapid_view_switching_ends_on_the_last_view(qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch, gates: list[Gate]) -> None:
    listed = gate(gates, monkeypatch, "article_rowids")
    problems = gate(gates, monkeypatch, "problems")
    shown = record_lists(window)
    keys = ["]"] * 8  # Unread, Starred, Today, Top Stories, Trends, Problems, AI, Computer Vision
    for key in keys:  # pressed faster than any answer can arrive (no event is processed in between)
        focused = QApplication.focusWidget()
        assert focused is not None
        qtbot.keyClick(focused, key)
    assert window.sidebar.current_key() == View(ViewKind.TOPIC, "Computer Vision")
    settle(qtbot, window)
    assert window.stack.currentWidget() is window.article_list
    assert titles(window) == [SEED_TITLES["tribune"]]
    assert shown == [[SEED_TITLES["tribune"]]]  # no view in between was shown
    assert len(listed.calls) + len(problems.calls) < len(keys)  # the requests in between were coalesced


def test_switching_views_keeps_the_list_until_the_new_one_arrives(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch, gates: list[Gate]
) -> None:
    select_title(window, SEED_TITLES["bbc"])
    listed = gate(gates, monkeypatch, "article_rowids")
    listed.close()
    window.sidebar.select(View(ViewKind.STARRED))
    qtbot.waitUntil(listed.entered.is_set, timeout=GATE_TIMEOUT_S * 1000)
    qtbot.wait(50)
    assert titles(window) == SEED_ORDER  # still the old rows, and still the open article
    assert window.detail.article is not None and window.detail.article.title == SEED_TITLES["bbc"]
    listed.open()
    settle(qtbot, window)
    assert titles(window) == []
    assert window.detail.article is None


def test_far_unread_articles_are_found_on_the_query_thread(
    qtbot: QtBot,
    make_window: WindowFactory,
    generated_dir: Path,
    generated_data_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    gates: list[Gate],
) -> None:
    window = make_window([generated_dir])
    rowids = window.article_model.rowids()
    last = window.article_model.list_row(len(rowids) - 1)
    assert last is not None
    everything = window.library.rows(rowids)
    window.library.set_read([row.id for rowid, row in everything.items() if rowid != last.rowid])
    window.refresh()
    settle(qtbot, window)
    assert window.article_list.select_row(0)
    fetched = gate(gates, monkeypatch, "rows")
    press(qtbot, window, "n")
    qtbot.waitUntil(lambda: current_title(window) == last.title)
    gui = threading.get_ident()
    on_gui = sum(len(args[0]) for thread, args, _kwargs in fetched.calls if thread == gui)
    assert on_gui < UNREAD_SCAN_ROWS + 700 < len(rowids)  # a few screens, not the whole list
    assert any(thread != gui for thread in fetched.threads())
    press(qtbot, window, "n")
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == "No more unread articles in this view")


# --------------------------------------------------------------------------- counts


def test_counts_change_at_once_and_an_older_count_does_not_undo_it(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch, gates: list[Gate]
) -> None:
    counted = gate(gates, monkeypatch, "counts", after=True)
    unread_shown: list[str] = []
    model = window.sidebar.sidebar_model
    model.dataChanged.connect(lambda *_: unread_shown.append(sidebar_counts(window)["Unread"]))
    counted.close()
    window.refresh()
    qtbot.waitUntil(counted.entered.is_set, timeout=GATE_TIMEOUT_S * 1000)  # counted "5 unread", and held
    select_title(window, SEED_TITLES["tribune"])  # marks it read
    counts = sidebar_counts(window)
    assert counts["Unread"] == "4"  # at once, before any recount
    assert counts["AI"] == "2 / 3" and counts["Computer Vision"] == "0 / 1" and counts["Chicago Tribune"] == "0 / 1"
    counted.open()
    settle(qtbot, window)
    assert unread_shown[unread_shown.index("4"):] == ["4"] * len(unread_shown[unread_shown.index("4"):])
    assert sidebar_counts(window) == counts  # the recount agrees


def test_counts_follow_marks_after_the_recount(qtbot: QtBot, window: MainWindow) -> None:
    select_title(window, SEED_TITLES["bbc"])
    window.registry["toggle_star"].trigger()
    window.registry["toggle_read"].trigger()  # unread again
    shown = sidebar_counts(window)
    assert shown["Starred"] == "1 / 1" and shown["Unread"] == "5" and shown["BBC"] == "1 / 1"
    settle(qtbot, window)
    assert sidebar_counts(window) == shown
    window.registry["toggle_read"].trigger()
    assert sidebar_counts(window)["Starred"] == "0 / 1"
    settle(qtbot, window)
    counts = sidebar_counts(window)
    assert counts["Starred"] == "0 / 1" and counts["Unread"] == "4" and counts["AI"] == "2 / 3"


# --------------------------------------------------------------------------- marking a view read


def test_mark_all_read_runs_on_the_query_thread_and_undo_restores(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch, gates: list[Gate]
) -> None:
    marked = gate(gates, monkeypatch, "mark_rows_read")
    undone = gate(gates, monkeypatch, "undo")
    marked.close()
    press(qtbot, window, "A", SHIFT)
    qtbot.waitUntil(marked.entered.is_set, timeout=GATE_TIMEOUT_S * 1000)  # marking, held on the query thread ...
    press(qtbot, window, "j")  # ... while the window goes on
    assert current_title(window) == SEED_ORDER[0]
    # In All Articles the outcome is known: shown at once, before the library has written it.
    assert sidebar_counts(window)["Unread"] == "0"
    assert all(window.article_model.list_row(r).read for r in range(5))  # type: ignore[union-attr]
    assert window.detail.state_label.text() == "Read"
    marked.open()
    settle(qtbot, window)
    gui = threading.get_ident()
    assert marked.calls and gui not in marked.threads()
    assert all(window.article_model.list_row(r).read for r in range(5))  # type: ignore[union-attr]
    counts = sidebar_counts(window)
    assert counts["Unread"] == "0" and counts["All Articles"] == "0 / 5" and counts["AI"] == "0 / 3"
    assert window.statusBar().currentMessage().startswith("Marked 4 articles read")

    press(qtbot, window, "z", CTRL)
    settle(qtbot, window)
    assert undone.calls and gui not in undone.threads()
    counts = sidebar_counts(window)
    assert counts["Unread"] == "4" and counts["All Articles"] == "4 / 5" and counts["AI"] == "2 / 3"
    assert [window.article_model.list_row(r).read for r in range(5)] == [True, False, False, False, False]  # type: ignore[union-attr]
    assert window.detail.state_label.text() == "Read"  # the open article was read before
    assert window.statusBar().currentMessage() == "Marked 4 articles unread again"


def test_ctrl_z_right_after_shift_a_undoes_it_once_done(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch, gates: list[Gate]
) -> None:
    marked = gate(gates, monkeypatch, "mark_rows_read")
    marked.close()
    press(qtbot, window, "A", SHIFT)
    qtbot.waitUntil(marked.entered.is_set, timeout=GATE_TIMEOUT_S * 1000)
    press(qtbot, window, "z", CTRL)  # before the marks are written
    marked.open()
    settle(qtbot, window)
    assert sidebar_counts(window)["Unread"] == "5"
    assert not any(window.article_model.list_row(r).read for r in range(5))  # type: ignore[union-attr]
    assert window.marks.undo_stack == []
    press(qtbot, window, "z", CTRL)
    assert window.statusBar().currentMessage() == "Nothing to undo"


def test_a_failed_mark_all_is_reported(qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    from reader.library import LibraryError

    def full(*_args: object, **_kwargs: object) -> None:
        raise LibraryError("the library could not be written: database or disk is full")

    monkeypatch.setattr(Library, "mark_rows_read", full)
    press(qtbot, window, "A", SHIFT)
    settle(qtbot, window)
    assert "Not saved" in window.statusBar().currentMessage()
    assert sidebar_counts(window)["Unread"] == "5"
    press(qtbot, window, "z", CTRL)
    assert window.statusBar().currentMessage() == "Nothing to undo"


# --------------------------------------------------------------------------- quitting


def test_quitting_while_a_query_runs_exits_cleanly(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch, gates: list[Gate]
) -> None:
    entered = threading.Event()
    original = Library.counts

    def slow(library: Library, *args: Any, **kwargs: Any) -> Any:
        entered.set()
        time.sleep(0.5)  # a long query
        return original(library, *args, **kwargs)

    monkeypatch.setattr(Library, "counts", slow)
    window.sidebar.select(PROBLEMS)
    window.refresh()
    qtbot.waitUntil(entered.is_set, timeout=GATE_TIMEOUT_S * 1000)
    assert window.queries.busy
    thread = window.queries.findChild(QThread)
    assert thread is not None and thread.isRunning()
    started = time.monotonic()
    window.close()
    assert time.monotonic() - started < 3
    assert thread.isFinished()
    qtbot.wait(300)  # whatever the worker sent before it stopped arrives now: nothing may break
    assert not window.queries.busy


def test_quitting_interrupts_a_query_that_would_never_end(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    entered = threading.Event()

    def endless(library: Library, *args: Any, **kwargs: Any) -> Any:
        entered.set()
        sql = "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT count(*) FROM n"
        return library._db.execute(sql).fetchone()  # counts for ever, unless interrupted

    monkeypatch.setattr(Library, "counts", endless)
    window.refresh()
    qtbot.waitUntil(entered.is_set, timeout=GATE_TIMEOUT_S * 1000)
    thread = window.queries.findChild(QThread)
    assert thread is not None
    started = time.monotonic()
    window.close()
    assert time.monotonic() - started < 3
    assert thread.isFinished()
    qtbot.wait(300)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread priorities are Linux's")
def test_threads_sharing_the_interpreter_lock_keep_the_gui_threads_priority(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    # (one at a lower priority, kept off the processor while it holds the lock, stalls the GUI thread)
    seen: dict[str, tuple[str, int]] = {}
    counts, sync = Library.counts, Library.sync

    def where() -> tuple[str, int]:
        return threading.current_thread().name, os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    def counting(library: Library, *args: Any, **kwargs: Any) -> Any:
        seen["query"] = where()
        return counts(library, *args, **kwargs)

    def syncing(library: Library, *args: Any, **kwargs: Any) -> Any:
        seen["load"] = where()
        return sync(library, *args, **kwargs)

    monkeypatch.setattr(Library, "counts", counting)
    monkeypatch.setattr(Library, "sync", syncing)
    window.reload()
    wait_loaded(qtbot, window)
    window.refresh()
    settle(qtbot, window)
    gui = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    main = threading.main_thread().name
    assert seen["query"][0] != main and seen["load"][0] != main  # (asked on their own threads)
    assert seen["query"][1] == gui and seen["load"][1] == gui
