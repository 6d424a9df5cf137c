"""Marking an article read changes the counts of its labels and of the saved search shown at
once (as All and Unread do), not only at the recount behind; a saved search whose articles
depend on the marks (``is:unread``) waits for the recount."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from pytestqt.qtbot import QtBot

from reader.library import View, ViewKind
from reader.search import parse_query, uses_state
from reader.ui.main_window import MainWindow
from reader.ui.settings import NEVER

from .helpers import WindowFactory, news_doc, select_title, settle, sidebar_counts, sidebar_sections, titles
from .test_keyboard import SHIFT, press
from .test_user_views import LINKEDIN


def test_label_and_saved_search_counts_change_at_once(qtbot: QtBot, window: MainWindow) -> None:
    window.mark_read_delay = NEVER  # marked by the key only
    window.article_list.setFocus()
    select_title(window, LINKEDIN[0])
    article = window.detail.article
    assert article is not None
    window.library.set_labels(article.id, ["later"])
    window.library.save_search("Networks", "linkedin")
    window.library.save_search("Unread networks", "linkedin is:unread")
    window.queries.invalidate_counts()
    window.queries.request_counts(window.scope)
    window.show_view(View(ViewKind.SAVED, "Networks"))
    settle(qtbot, window)
    qtbot.waitUntil(lambda: sidebar_sections(window).get("Searches") == {"Networks": "2 / 2", "Unread networks": "2 / 2"})
    assert sidebar_sections(window)["Labels"] == {"later": "1 / 1"}
    assert sorted(titles(window)) == LINKEDIN
    window.article_list.setFocus()
    select_title(window, LINKEDIN[0])
    press(qtbot, window, "m")
    # at once, before the recount (no event has been processed since the key)
    sections = sidebar_sections(window)
    assert sections["Labels"] == {"later": "0 / 1"}
    assert sections["Searches"]["Networks"] == "1 / 2"
    assert sections["Searches"]["Unread networks"] == "2 / 2"  # (its articles change: the recount tells)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: sidebar_sections(window)["Searches"] == {"Networks": "1 / 2", "Unread networks": "1 / 1"})
    press(qtbot, window, "m")  # unread again
    assert sidebar_sections(window)["Labels"] == {"later": "1 / 1"}
    assert sidebar_sections(window)["Searches"]["Networks"] == "2 / 2"


def test_a_query_with_is_depends_on_the_marks() -> None:
    assert uses_state(parse_query("linkedin is:unread"))
    assert uses_state(parse_query("-is:starred"))
    assert not uses_state(parse_query("linkedin label:later"))
    assert not uses_state(parse_query('"is:read"'))  # words, not the filter


def test_mark_all_read_in_all_articles_reads_labels_and_saved_searches_at_once(qtbot: QtBot, window: MainWindow) -> None:
    window.mark_read_delay = NEVER
    window.article_list.setFocus()
    select_title(window, LINKEDIN[1])
    article = window.detail.article
    assert article is not None
    window.library.set_labels(article.id, ["later"])
    window.library.save_search("Networks", "linkedin")
    window.queries.invalidate_counts()
    window.queries.request_counts(window.scope)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: sidebar_sections(window).get("Searches") == {"Networks": "2 / 2"})
    assert sidebar_sections(window)["Labels"] == {"later": "1 / 1"}
    press(qtbot, window, "a", SHIFT)  # Mark All in View Read, in All Articles
    sections = sidebar_sections(window)  # at once
    assert sections["Searches"] == {"Networks": "0 / 2"}
    assert sections["Labels"] == {"later": "0 / 1"}
    assert sections["Views"]["Top Stories"].startswith("0 /")
    settle(qtbot, window)
    qtbot.waitUntil(lambda: sidebar_sections(window)["Searches"] == {"Networks": "0 / 2"})
    assert sidebar_sections(window)["Labels"] == {"later": "0 / 1"}


def test_marking_an_article_dated_after_now_leaves_today_as_it_was(qtbot: QtBot, make_window: WindowFactory, tmp_path: Path) -> None:
    now = datetime.now(timezone.utc)
    for name, hours in (("Written an hour ago", -1), ("Dated two days ahead", 48)):
        when = f"{now + timedelta(hours=hours):%Y-%m-%dT%H:%M:%SZ}"
        (tmp_path / f"{hours}.md").write_text(news_doc(name, url=f"https://news.example/{hours}", published=when))
    window = make_window([tmp_path])
    window.mark_read_delay = NEVER
    settle(qtbot, window)
    qtbot.waitUntil(lambda: sidebar_counts(window).get("Today") == "1 / 1")
    window.article_list.setFocus()
    select_title(window, "Dated two days ahead")
    press(qtbot, window, "m")
    assert sidebar_counts(window)["Today"] == "1 / 1"  # at once, before the recount
    select_title(window, "Written an hour ago")
    press(qtbot, window, "m")
    assert sidebar_counts(window)["Today"] == "0 / 1"
