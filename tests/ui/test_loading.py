"""Loading in the background: a large folder, problems, search, quitting mid-load, and
files added, changed and removed while the window is open."""

from __future__ import annotations

import gc
import os
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QThread, QTimer
from pytestqt.qtbot import QtBot

from reader.library import Library, SyncBatch, View, ViewKind
from reader.ui.loading_controller import CHECKING_SHOWN_MS
from reader.ui.main_window import MainWindow
from reader.ui import loader, watcher as watcher_module
from reader.ui.sidebar import PROBLEMS

from .helpers import (
    BROKEN_DOC,
    BROKEN_REASON,
    SEED_ORDER,
    SEED_TITLES,
    SOURCES,
    TOPICS,
    WindowFactory,
    current_title,
    news_doc,
    select_title,
    settle,
    sidebar_counts,
    sidebar_sections,
    titles,
    type_query,
    wait_loaded,
)

#: Files added, changed or removed show up within this time (watchdog, debounced).
WATCH_TIMEOUT_MS = 3000


@pytest.fixture
def slow_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each batch a load writes takes 0.1 s more: worker processes can parse 2,000 files
    before the window's first refresh, and these tests look at what happens meanwhile."""
    store = Library._store

    def slow_store(library: Library, *args: Any, **kwargs: Any) -> Any:
        time.sleep(0.1)
        return store(library, *args, **kwargs)

    monkeypatch.setattr(Library, "_store", slow_store)


@pytest.mark.usefixtures("slow_batches")
def test_a_large_folder_loads_and_shows_rows_while_loading(qtbot: QtBot, make_window: WindowFactory, generated_dir: Path) -> None:
    window = make_window([generated_dir], wait=False)
    batches: list[SyncBatch] = []
    seen: list[tuple[bool, int, str]] = []  # (still loading, rows, status) whenever the list grew

    def grew(*_args: object) -> None:
        seen.append((window.loading, window.article_model.rowCount(), window.status_label.text()))

    window.loader.batch.connect(batches.append)
    window.article_model.rowsInserted.connect(grew)
    window.article_model.modelReset.connect(grew)
    wait_loaded(qtbot, window)

    assert window.article_model.rowCount() == 2000
    assert window.status_label.text() == "2,000 articles · 1 problem"
    assert not window.progress.isVisible()
    counts = sidebar_counts(window)
    assert counts["All Articles"] == "2,000 / 2,000"
    assert counts["Unread"] == "2,000"
    assert counts["Problems"] == "1"
    assert {name: counts[name] for name, _ in SOURCES} == {name: "500 / 500" for name, _ in SOURCES}
    assert {topic: counts[topic] for topic in TOPICS} == {topic: "400 / 400" for topic in TOPICS}

    assert len(batches) >= 10
    # Parsing starts while the folder is still being scanned (a first import), so the total
    # may grow for a moment; it never shrinks, never falls behind what was done, and ends
    # at every file of the folder.
    totals = [b.total for b in batches]
    assert totals == sorted(totals) and totals[-1] == 2001
    assert all(b.done <= b.total for b in batches)
    assert [b.done for b in batches] == sorted(b.done for b in batches)
    assert batches[-1].done == 2001
    early = [(rows, status) for loading, rows, status in seen if loading and 0 < rows < 2000]
    assert early, f"no rows were shown before the load finished: {seen}"
    assert any(status.startswith("Loading ") and status.endswith(" / 2,001") for _rows, status in early)


def test_problems_view_lists_broken_files(qtbot: QtBot, make_window: WindowFactory, docs_dir: Path) -> None:
    broken = docs_dir / "sub" / "broken.md"
    broken.parent.mkdir()
    broken.write_text(BROKEN_DOC, encoding="utf-8")
    window = make_window([docs_dir])
    assert window.status_label.text() == "5 articles · 1 problem"
    assert sidebar_counts(window)["Problems"] == "1"
    assert titles(window) == SEED_ORDER  # the good documents load as usual

    assert window.sidebar.select(PROBLEMS)
    assert window.stack.currentWidget() is window.problems_list
    settle(qtbot, window)
    model = window.problems_list.problems_model
    assert model.rowCount() == 1
    assert model.data(model.index(0, 0)).startswith(BROKEN_REASON)  # the reason first, whole
    assert model.data(model.index(0, 1)) == os.path.join("sub", "broken.md")  # under the opened folder
    reason_width = window.problems_list.columnWidth(0)  # whole, in the two lines of a row
    assert 2 * (reason_width - 16) >= window.problems_list.fontMetrics().horizontalAdvance(model.data(model.index(0, 0)))
    assert window.problems_list.rowHeight(0) >= 2 * window.problems_list.fontMetrics().lineSpacing()
    window.problems_list.setFocus()
    qtbot.keyClick(window.problems_list, "j")
    assert window.problems_list.current_problem() is not None
    text = window.detail.plain_text()
    assert "This document could not be read" in text
    assert BROKEN_REASON in text
    assert str(broken) in text
    assert window.detail.article is None

    assert window.sidebar.select(View(ViewKind.ALL))
    assert window.stack.currentWidget() is window.article_list


def test_search_filters_the_list_and_explains_mistakes(
    qtbot: QtBot, make_window: WindowFactory, generated_dir: Path, generated_data_dir: Path
) -> None:
    window = make_window([generated_dir])
    error = window.search_bar.error
    type_query(qtbot, window, "uniqueword1234")
    qtbot.waitUntil(lambda: window.article_model.rowCount() == 1)
    assert titles(window) == ["Generated story number 1234"]
    assert not error.isVisible()
    assert window.view_label.text() == "1 match in All Articles"
    assert window.status_label.text() == "2,000 articles · 1 problem"

    type_query(qtbot, window, 'source:"Beta Times" topic:Space')  # i % 4 == 1 and i % 5 == 1
    qtbot.waitUntil(lambda: window.article_model.rowCount() == 100)
    assert all(int(t.rsplit(" ", 1)[1]) % 20 == 1 for t in titles(window))
    assert window.view_label.text() == "100 matches in All Articles"

    layout = (window.sort_box.geometry(), window.stack.geometry())
    for bad, message in [('uniqueword7 "never closed', "this quote is never closed"), ("topic:", "topic: needs a value")]:
        type_query(qtbot, window, 'source:"Beta Times" topic:Space')
        qtbot.waitUntil(lambda: window.article_model.rowCount() == 100)
        type_query(qtbot, window, bad)
        qtbot.waitUntil(lambda: error.isVisible() and message in error.text())  # noqa: B023
        assert error.objectName() == "searchError"
        settle(qtbot, window)
        assert window.article_model.rowCount() == 0  # no results of the query before
        assert "until the search is fixed" in window.article_list.empty_text
        assert "fix it" in window.view_label.text()
        assert (window.sort_box.geometry(), window.stack.geometry()) == layout  # nothing moved

    type_query(qtbot, window, "uniqueword7")
    qtbot.waitUntil(lambda: window.article_model.rowCount() == 1)
    assert not error.isVisible()
    window.search_bar.clear()
    settle(qtbot, window)
    assert window.article_model.rowCount() == 2000
    assert window.status_label.text() == "2,000 articles · 1 problem"  # no search, no matches


def test_quitting_during_a_load_stops_promptly(qtbot: QtBot, make_window: WindowFactory, generated_dir: Path) -> None:
    window = make_window([generated_dir], wait=False)
    thread = window.loader.findChild(QThread)
    assert thread is not None and thread.isRunning()
    assert window.loading
    started = time.monotonic()
    window.close()
    elapsed = time.monotonic() - started
    assert elapsed < 3, f"closing took {elapsed:.1f} s"
    assert thread.isFinished()
    qtbot.wait(500)  # whatever the worker sent before it stopped arrives now: nothing may break


@pytest.mark.usefixtures("slow_batches")
def test_quitting_after_the_first_rows_stops_promptly(qtbot: QtBot, make_window: WindowFactory, generated_dir: Path) -> None:
    window = make_window([generated_dir], wait=False)
    qtbot.waitUntil(lambda: window.article_model.rowCount() > 0, timeout=10_000)
    assert window.loading
    thread = window.loader.findChild(QThread)
    started = time.monotonic()
    window.close()
    assert time.monotonic() - started < 3
    assert thread is not None and thread.isFinished()
    qtbot.wait(500)


def test_added_and_removed_files_show_up(qtbot: QtBot, window: MainWindow, docs_dir: Path) -> None:
    added = docs_dir / "later" / "added.md"
    added.parent.mkdir()
    added.write_text(news_doc("Added while the window was open", published="2021-02-03T04:05:06Z"), encoding="utf-8")
    qtbot.waitUntil(lambda: "Added while the window was open" in titles(window), timeout=WATCH_TIMEOUT_MS)
    qtbot.waitUntil(lambda: window.status_label.text() == "6 articles · 0 problems", timeout=WATCH_TIMEOUT_MS)
    assert sidebar_counts(window)["Example News"] == "1 / 1"

    select_title(window, SEED_TITLES["bbc"])
    (docs_dir / "002_9f8ef219818b8861.txt").unlink()
    qtbot.waitUntil(lambda: SEED_TITLES["plain"] not in titles(window), timeout=WATCH_TIMEOUT_MS)
    qtbot.waitUntil(lambda: window.status_label.text() == "5 articles · 0 problems", timeout=WATCH_TIMEOUT_MS)
    assert current_title(window) == SEED_TITLES["bbc"]  # the selection survives
    assert window.detail.article is not None and window.detail.article.title == SEED_TITLES["bbc"]

    added.unlink()
    qtbot.waitUntil(lambda: "Added while the window was open" not in titles(window), timeout=WATCH_TIMEOUT_MS)
    settle(qtbot, window)
    assert "Example News" not in sidebar_counts(window)


def test_removing_the_open_article_empties_the_pane(qtbot: QtBot, window: MainWindow, docs_dir: Path) -> None:
    select_title(window, SEED_TITLES["bbc"])
    (docs_dir / "004_a6c4789921a3cca4.txt").unlink()
    qtbot.waitUntil(lambda: SEED_TITLES["bbc"] not in titles(window), timeout=WATCH_TIMEOUT_MS)
    assert window.article_list.current_rowid() is None
    assert window.detail.article is None


def test_a_file_changed_in_place_updates(qtbot: QtBot, window: MainWindow, docs_dir: Path) -> None:
    select_title(window, SEED_TITLES["bbc"])
    repaints: list[tuple[int, int]] = []
    window.article_model.dataChanged.connect(lambda first, last, *_: repaints.append((first.row(), last.row())))
    path = docs_dir / "004_a6c4789921a3cca4.txt"
    old_title = SEED_TITLES["bbc"]
    new_title = "Twitter tells Clearview to stop (rewritten)"
    text = path.read_text(encoding="utf-8")
    assert f'title: "{old_title}"' in text
    path.write_text(text.replace(f'title: "{old_title}"', f'title: "{new_title}"', 1), encoding="utf-8")

    qtbot.waitUntil(lambda: new_title in titles(window), timeout=WATCH_TIMEOUT_MS)
    assert old_title not in titles(window)
    row = titles(window).index(new_title)
    assert any(first <= row <= last for first, last in repaints), "the changed row was not repainted"
    assert current_title(window) == new_title  # the same article, still selected
    qtbot.waitUntil(lambda: window.detail.plain_text().startswith(new_title), timeout=WATCH_TIMEOUT_MS)
    assert window.detail.article is not None and window.detail.article.title == new_title
    qtbot.waitUntil(lambda: window.status_label.text() == "5 articles · 0 problems", timeout=WATCH_TIMEOUT_MS)
    # Only the changed file was looked at, not the whole folder.
    assert window.last_report is not None and (window.last_report.files, window.last_report.parsed) == (1, 1)


def test_the_watcher_names_the_changed_paths_and_gives_up_naming_past_a_limit(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(watcher_module, "MAX_PATHS", 3)
    watcher = watcher_module.FolderWatcher()
    with qtbot.waitSignal(watcher.changed, timeout=5000) as blocker:
        watcher._note(["/n/a.md"])
        watcher._note(["/n/b.md", "/n/a.md"])
    assert blocker.args == [["/n/a.md", "/n/b.md"]]
    with qtbot.waitSignal(watcher.changed, timeout=5000) as blocker:
        for name in "abcdef":
            watcher._note([f"/n/{name}.md"])
    assert blocker.args == [[]]  # too many: reload everything


@pytest.mark.parametrize(("rows", "interval"), [(0, 300), (10_000, 300), (50_000, 1000), (1_000_000, 2000)])
def test_refreshes_during_a_load_space_out_as_the_list_grows(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, rows: int, interval: int
) -> None:
    monkeypatch.setattr(window.article_model, "rowCount", lambda *args: rows)
    window.load_control._on_batch(SyncBatch(done=1, total=2, changed=("an-id",)))
    assert window.load_control._refresh_timer.isActive() and window.load_control._refresh_timer.interval() == interval
    window.load_control._refresh_timer.stop()


def test_counts_show_in_the_status_bar_while_a_load_only_looks_for_changes(qtbot: QtBot, window: MainWindow) -> None:
    counts = window.counts
    assert counts is not None
    window.load_control.loading, window.load_control._parsing = True, False  # a load has started; nothing parsed yet
    window.status_label.setText("Loading…")
    window.load_control._checking_shown = False
    QTimer.singleShot(CHECKING_SHOWN_MS, window.load_control, window.load_control._show_checking)
    window.show_counts(counts)
    assert window.status_label.text() == "Loading…"  # for a moment: it may be about to read documents
    qtbot.waitUntil(lambda: window.status_label.text() == "5 articles · 0 problems · checking for changes…")
    window.load_control._on_batch(SyncBatch(done=1, total=5, changed=("an-id",), parsed=1))
    window.load_control._refresh_timer.stop()
    assert window.status_label.text() == "Loading 1 / 5"
    window.show_counts(counts)  # the load reads documents: its progress stays
    assert window.status_label.text() == "Loading 1 / 5"
    window.load_control.loading = False
    window.show_counts(counts)
    assert window.status_label.text() == "5 articles · 0 problems"


def test_the_collector_leaves_older_objects_alone_while_a_load_runs(
    qtbot: QtBot, make_window: WindowFactory, docs_dir: Path
) -> None:
    before = object.__new__(type("Before", (), {}))  # tracked by the collector, made before the load
    window = make_window([docs_dir], wait=False)
    during: list[tuple[int, bool]] = []  # (objects frozen, ``before`` among those collected) at each batch

    def batch(_batch: SyncBatch) -> None:
        during.append((gc.get_freeze_count(), any(o is before for o in gc.get_objects())))

    window.loader.batch.connect(batch)
    wait_loaded(qtbot, window)

    assert during
    assert all(frozen > 0 and not seen for frozen, seen in during)
    assert gc.get_freeze_count() == 0  # given back once the load and its grouping ended
    assert any(o is before for o in gc.get_objects())


def test_grouping_shortens_the_interpreters_switch_interval_while_it_runs(
    qtbot: QtBot, make_window: WindowFactory, docs_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Grouping is Python on the loader thread: while it runs, the GUI thread gets the
    interpreter lock back sooner after each SQLite call of a key press (then as before)."""
    seen: list[float] = []
    group = Library.group_stories

    def recording(self: Library, *args: Any, **kwargs: Any) -> int:
        seen.append(sys.getswitchinterval())
        return group(self, *args, **kwargs)

    monkeypatch.setattr(Library, "group_stories", recording)
    before = sys.getswitchinterval()
    window = make_window([docs_dir], wait=False)
    wait_loaded(qtbot, window)
    qtbot.waitUntil(lambda: bool(seen) and sys.getswitchinterval() == before)  # (grouped: set back)
    assert seen and all(abs(s - loader.GROUPING_SWITCH_INTERVAL) < 1e-9 for s in seen)
    assert sys.getswitchinterval() == before


def test_what_another_process_stored_shows_after_a_load_that_reads_nothing_new(
    qtbot: QtBot, window: MainWindow, docs_dir: Path, data_dir: Path
) -> None:
    """Another Reader (a command, a second window) reads and groups a new file into the same
    library before this window's load looks at it: the load finds nothing to read, and F5
    still shows the article, its counts and its story."""
    wait_loaded(qtbot, window)
    window.watcher.stop()  # (this window must not read the file itself first)
    copy = docs_dir / "copy-of-global.txt"
    copy.write_text(
        (docs_dir / "000_7070b5ed28950557.txt").read_text(encoding="utf-8")
        .replace("globalnews.ca/news/6512311", "other.example/6512311")
        .replace("name: Global News", "name: Other News").replace("domain: globalnews.ca", "domain: other.example"),
        encoding="utf-8",
    )
    with Library(data_dir) as other:
        assert other.sync([docs_dir]).parsed == 1
    window.reload()
    wait_loaded(qtbot, window)
    assert window.last_report is not None and window.last_report.parsed == 0
    assert titles(window).count(SEED_TITLES["global"]) == 2
    assert window.status_label.text() == "6 articles · 0 problems"
    assert sidebar_counts(window)["Other News"] == "1 / 1"


def test_marks_another_process_gave_the_open_article_show_after_a_load(
    qtbot: QtBot, window: MainWindow, data_dir: Path
) -> None:
    """Another Reader stars the article open and marks it unread; after F5 the pane says so,
    and s unstars it (it starred it again, from the pane's stale state, before)."""
    wait_loaded(qtbot, window)
    select_title(window, SEED_TITLES["bbc"])
    qtbot.waitUntil(lambda: not window.busy)
    article = window.detail.article
    assert article is not None and not window.detail.star_button.isChecked()
    with Library(data_dir) as other:
        other.set_starred([article.id])
        other.set_read([article.id], False)
    window.reload()
    wait_loaded(qtbot, window)
    assert window.detail.star_button.isChecked()
    window.registry["toggle_star"].trigger()
    qtbot.waitUntil(lambda: not window.busy)
    assert not window.library.is_starred(article.id)


def test_a_feed_another_process_subscribed_to_is_listed_and_fetched_by_f5(
    qtbot: QtBot, window: MainWindow, data_dir: Path
) -> None:
    """`reader subscribe URL` while the window is open: F5 lists the feed under Feeds (and
    fetches it: nothing listens on the address here, so it says why it failed)."""
    from reader import subscriptions

    wait_loaded(qtbot, window)
    assert "Feeds" not in sidebar_sections(window)
    with Library(data_dir) as other:
        subscriptions.subscribe(other, "http://127.0.0.1:9/wire.xml")
    with qtbot.waitSignal(window.feeds.finished, timeout=15_000):
        window.reload()
    wait_loaded(qtbot, window)
    assert list(sidebar_sections(window)["Feeds"]) != []


def test_labels_another_process_gave_the_open_article_show_after_a_load(
    qtbot: QtBot, window: MainWindow, data_dir: Path
) -> None:
    wait_loaded(qtbot, window)
    select_title(window, SEED_TITLES["bbc"])
    qtbot.waitUntil(lambda: not window.busy)
    article = window.detail.article
    assert article is not None and window.detail.labels_label.text() == ""
    with Library(data_dir) as other:
        other.set_labels(article.id, ["hot"])
    window.reload()
    wait_loaded(qtbot, window)
    assert window.detail.labels_label.text() == "Labels: hot"


def test_a_malformed_search_lists_nothing_through_a_load(qtbot: QtBot, window: MainWindow, docs_dir: Path) -> None:
    """While the search in the field is malformed the list shows no results, also when a
    load asks for the list again (it showed the last valid search's)."""
    wait_loaded(qtbot, window)
    type_query(qtbot, window, "twitter")
    qtbot.waitUntil(lambda: len(titles(window)) > 0)
    type_query(qtbot, window, "after:notadate")
    qtbot.waitUntil(lambda: titles(window) == [])
    (docs_dir / "added.md").write_text(news_doc("Twitter adds a button", url="https://news.example/twitter-button"), encoding="utf-8")
    window.reload()
    wait_loaded(qtbot, window)
    assert titles(window) == []


def test_a_malformed_search_leaves_problems_shown_and_marks_nothing(
    qtbot: QtBot, make_window: WindowFactory, docs_dir: Path
) -> None:
    """While the search is malformed: the Problems view lists the problems (searches do not
    apply to it), Shift+A marks nothing (the list shows no results), and once the search is
    fixed the status bar counts its matches again."""
    (docs_dir / "broken.md").write_text(BROKEN_DOC, encoding="utf-8")
    window = make_window([docs_dir])
    matches = 4  # (the seeds but the plain text name Twitter)
    type_query(qtbot, window, "twitter")
    qtbot.waitUntil(lambda: len(titles(window)) == matches)
    type_query(qtbot, window, "twitter after:notadate")
    qtbot.waitUntil(lambda: titles(window) == [])
    window.registry["mark_all_read"].trigger()
    settle(qtbot, window)
    assert sidebar_counts(window)["Unread"] == "5"
    assert "Nothing marked" in window.statusBar().currentMessage()
    type_query(qtbot, window, "twitter")
    qtbot.waitUntil(lambda: len(titles(window)) == matches)
    settle(qtbot, window)
    assert window.view_label.text().startswith(f"{matches} matches")
    type_query(qtbot, window, "after:notadate")
    qtbot.waitUntil(lambda: titles(window) == [])
    assert window.sidebar.select(PROBLEMS)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: window.problems_list.problems_model.rowCount() == 1)
