"""While the window groups again after an edit or a removal (seconds on a big library), Top
Stories, the collapsed list, the counts and the article pane show the last grouping, whole:
an edited copy still in its story, a removed one simply absent from it."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFrame
from pytestqt.qtbot import QtBot

from reader.library import Library, View, ViewKind
from reader.ui.article_list import ArticleRole
from reader.ui.main_window import MainWindow

from .helpers import LOAD_TIMEOUT_MS, SEED_TITLES, news_doc, select_title, settle, sidebar_counts, titles

TRIBUNE = "001_19301bc74b7f561c.txt"  # the lead of the seeds' story (its best quality)


@pytest.fixture
def held_grouping(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[threading.Event, threading.Event]]:
    """Grouping stops at its first step until released, as a long grouping would: (started,
    release)."""
    started, release = threading.Event(), threading.Event()
    original = Library.group_stories

    def group_stories(
        self: Library, cancelled: Callable[[], bool] = lambda: False, progress: Callable[[int, int], None] | None = None
    ) -> int:
        def hold(done: int, total: int) -> None:
            if progress:
                progress(done, total)
            started.set()
            deadline = time.monotonic() + LOAD_TIMEOUT_MS / 1000
            while not release.is_set() and not cancelled() and time.monotonic() < deadline:
                release.wait(0.01)  # (a load that starts meanwhile, the watcher's too, cancels it)

        return original(self, cancelled, hold)

    monkeypatch.setattr(Library, "group_stories", group_stories)
    yield started, release
    release.set()


def load_and_hold(qtbot: QtBot, window: MainWindow, docs_dir: Path, started: threading.Event) -> None:
    window.loader.load([str(docs_dir)])
    # (the folder watcher may load and group too: wait for the grouping held after the last load)
    qtbot.waitUntil(lambda: started.is_set() and not window.loading and window.grouping, timeout=LOAD_TIMEOUT_MS)
    settle(qtbot, window)
    assert window.grouping


def collapsed_rows(qtbot: QtBot, window: MainWindow) -> list[tuple[str, int]]:
    window.sidebar.select(View(ViewKind.ALL))
    if not window.collapsed:
        window.toggle_collapse()
    settle(qtbot, window)
    model = window.article_model
    return [(model.index(r).data(), model.index(r).data(ArticleRole.OUTLETS)) for r in range(model.rowCount())]


def test_a_removed_lead_leaves_its_story_in_top_stories_while_grouping(
    qtbot: QtBot, window: MainWindow, docs_dir: Path, held_grouping: tuple[threading.Event, threading.Event]
) -> None:
    started, release = held_grouping
    settle(qtbot, window)
    assert sidebar_counts(window)["Top Stories"] == "1 / 1"  # (unread / all)
    try:
        (docs_dir / TRIBUNE).unlink()
        load_and_hold(qtbot, window, docs_dir, started)
        assert sidebar_counts(window)["Top Stories"] == "1 / 1"  # (unread / all)
        window.sidebar.select(View(ViewKind.TOP))
        settle(qtbot, window)
        assert titles(window) == [SEED_TITLES["global"]]  # the story's next lead
        select_title(window, SEED_TITLES["global"])
        text = window.detail.plain_text()
        # left: Global News, its St. Louis Post-Dispatch entry, the two plain texts
        assert "Coverage: 2 outlets" in text and "Top stories: #1 of 1 · score " in text
        assert SEED_TITLES["tribune"] not in text
        assert collapsed_rows(qtbot, window) == [(SEED_TITLES["global"], 2), (SEED_TITLES["bbc"], 0)]
    finally:
        release.set()
    qtbot.waitUntil(lambda: not window.grouping, timeout=LOAD_TIMEOUT_MS)


def test_the_open_articles_coverage_loses_a_removed_copy_at_once_while_grouping(
    qtbot: QtBot, window: MainWindow, docs_dir: Path, held_grouping: tuple[threading.Event, threading.Event]
) -> None:
    """The article open stays open; its coverage follows the removal as it is stored, as Top
    Stories and the collapsed list do, not only once the grouping is done."""
    started, release = held_grouping
    settle(qtbot, window)
    select_title(window, SEED_TITLES["global"])
    assert "Coverage: 3 outlets" in window.detail.plain_text()
    try:
        (docs_dir / TRIBUNE).unlink()
        load_and_hold(qtbot, window, docs_dir, started)
        assert window.detail.article is not None and window.detail.article.title == SEED_TITLES["global"]
        text = window.detail.plain_text()
        assert "Coverage: 2 outlets" in text and SEED_TITLES["tribune"] not in text
    finally:
        release.set()
    qtbot.waitUntil(lambda: not window.grouping, timeout=LOAD_TIMEOUT_MS)


def test_an_edited_copy_stays_in_its_collapsed_story_while_grouping(
    qtbot: QtBot, window: MainWindow, docs_dir: Path, held_grouping: tuple[threading.Event, threading.Event]
) -> None:
    started, release = held_grouping
    assert collapsed_rows(qtbot, window) == [(SEED_TITLES["tribune"], 3), (SEED_TITLES["bbc"], 0)]
    try:
        path = docs_dir / TRIBUNE
        text = path.read_text(encoding="utf-8")
        assert text.count("heat: -1\n") == 1
        path.write_text(text.replace("heat: -1\n", "heat: 5\n"), encoding="utf-8")
        load_and_hold(qtbot, window, docs_dir, started)
        assert collapsed_rows(qtbot, window) == [(SEED_TITLES["tribune"], 3), (SEED_TITLES["bbc"], 0)]
        assert sidebar_counts(window)["Top Stories"] == "1 / 1"  # (unread / all)
        select_title(window, SEED_TITLES["tribune"])
        assert "Coverage: 3 outlets" in window.detail.plain_text()
    finally:
        release.set()
    qtbot.waitUntil(lambda: not window.grouping, timeout=LOAD_TIMEOUT_MS)


def test_top_stories_says_stories_are_being_grouped_until_they_are(
    qtbot: QtBot, make_window: Callable[..., MainWindow], tmp_path: Path, held_grouping: tuple[threading.Event, threading.Event]
) -> None:
    """A first load: while the stories are grouped, an empty Top Stories says so (not "No
    stories yet"), and so does its count in the sidebar ("…", not "0 / 0"); once grouped, it
    says what the view is for (two unrelated articles make no story)."""
    started, release = held_grouping
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.md").write_text(news_doc("Harbour robots unload the freighter", url="https://a.example/1"), encoding="utf-8")
    (docs / "b.md").write_text(news_doc("Council approves bicycle lanes", url="https://b.example/2"), encoding="utf-8")
    window = make_window([docs], wait=False)
    window.sidebar.select(View(ViewKind.TOP))
    try:
        qtbot.waitUntil(lambda: started.is_set() and not window.loading and window.grouping, timeout=LOAD_TIMEOUT_MS)
        settle(qtbot, window)
        assert window.article_list.empty_text.startswith("Grouping stories…")
        qtbot.waitUntil(lambda: sidebar_counts(window)["Top Stories"] == "…")
        rule = window.findChild(QFrame, "statusGroupingRule")  # (between its figures and the view's)
        assert window.grouping_label.isVisible() and rule is not None and rule.isVisible()
    finally:
        release.set()
    qtbot.waitUntil(lambda: not window.grouping, timeout=LOAD_TIMEOUT_MS)
    qtbot.waitUntil(lambda: window.article_list.empty_text.startswith("No stories yet."), timeout=LOAD_TIMEOUT_MS)
    assert titles(window) == []
    assert not window.grouping_label.isVisible() and not rule.isVisible()
    assert sidebar_counts(window)["Top Stories"] == "0 / 0"
