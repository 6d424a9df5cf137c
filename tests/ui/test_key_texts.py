"""Texts that name a key say the key the user chose in Preferences > Keys (the search field,
the article pane's buttons and page, empty lists, the preferences' choices), at once, and
leave the key out when the action has none."""

from __future__ import annotations

from datetime import datetime, timezone

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from reader.article import Article, Image, Kind
from reader.library import View, ViewKind
from reader.subscriptions import Subscription
from reader.ui.actions import key_text, with_key
from reader.ui.detail_pane import render_article, render_feed
from reader.ui.main_window import MainWindow
from reader.ui.preferences import PreferencesDialog
from reader.ui.settings import NEVER
from reader.ui.status import empty_text

from .test_keys import change_key, close_keys, open_keys
from .test_keyboard import press


def test_key_text_gives_the_chosen_key_the_default_or_nothing() -> None:
    assert key_text("reload") == "F5"
    assert key_text("reload", {"reload": ("Ctrl+R",)}) == "Ctrl+R"
    assert key_text("toggle_star", {"toggle_star": ("X",)}) == "x"
    assert key_text("reload", {"reload": ()}) == ""
    assert key_text("focus_search", {}, every=True) == "/ or Ctrl+F"
    assert with_key("Search", "focus_search", {"focus_search": ()}) == "Search"
    assert with_key("Search", "focus_search", {"focus_search": ("H",)}) == "Search (h)"


def test_the_window_names_the_keys_chosen_in_the_preferences(qtbot: QtBot, window: MainWindow) -> None:
    press(qtbot, window, "j")
    page = open_keys(qtbot, window)
    dialog = page.window()
    assert isinstance(dialog, PreferencesDialog)
    for name, key in (("focus_search", "h"), ("open_original", "w"), ("copy_link", "y"), ("toggle_star", "x"),
                      ("load_fulltext", "e"), ("toggle_read", "b"), ("load_images", "u"), ("reload", "r")):
        change_key(qtbot, page, name, key)
    # The General page's choices say the new keys while the dialog is open.
    assert dialog.mark_read_box.itemText(dialog.mark_read_box.findData(NEVER)) == "Never (press b)"
    assert dialog.images_box.itemText(0) == "On request (press u)"
    assert dialog.feeds_box.itemText(dialog.feeds_box.findData(0)) == "Only when I press r"
    assert "Press e on an article" in dialog.fulltext_sources.note.text()
    close_keys(qtbot, window, page)
    assert window.search_bar.field.placeholderText() == "Search: words, topic:AI, -twitter (h)"
    assert window.search_bar.search_action.toolTip() == "Search articles (h)"
    detail = window.detail
    assert detail.open_button.toolTip().endswith("(w)")
    assert detail.copy_button.toolTip().endswith("(y)")
    assert detail.star_button.toolTip().endswith("(x)")
    assert detail.fulltext_button.toolTip().endswith("(e)")
    text = detail.plain_text()
    assert "Load the full text from" in text and text.split("Load the full text from", 1)[1].split("\n", 1)[0].endswith("(e)")
    window.show_view(View(ViewKind.STARRED))
    qtbot.waitUntil(lambda: "Press x on an article to star it" in window.article_list.empty_text)


def test_an_action_without_a_key_is_left_out_of_the_texts(qtbot: QtBot, window: MainWindow) -> None:
    press(qtbot, window, "j")
    page = open_keys(qtbot, window)
    assert window.detail.browser.accessibleDescription().endswith("; Space pages down")
    for name in ("focus_search", "open_original", "load_fulltext", "toggle_star", "toggle_read", "page_down"):
        page.select(name)
        qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    dialog = page.window()
    assert isinstance(dialog, PreferencesDialog)
    never = dialog.mark_read_box.itemText(dialog.mark_read_box.findData(NEVER))
    assert never.startswith("Never") and "press" not in never
    close_keys(qtbot, window, page)
    assert window.search_bar.field.placeholderText() == "Search: words, topic:AI, -twitter"
    assert window.search_bar.search_action.toolTip() == "Search articles"
    assert window.detail.open_button.toolTip() == "Open the article's web page in your browser"
    assert "()" not in window.detail.plain_text()
    assert "pages down" not in window.detail.browser.accessibleDescription()
    assert "Load the full text from" in window.detail.plain_text()
    window.show_view(View(ViewKind.STARRED))
    qtbot.waitUntil(lambda: window.article_list.empty_text.startswith("No starred articles"))
    assert "Press" not in window.article_list.empty_text and "()" not in window.article_list.empty_text


def test_the_page_and_the_empty_texts_name_the_keys_given() -> None:
    article = Article(
        id="a", path="a.md", kind=Kind.NEWS, title="A title", url="https://example.org/a",
        published=datetime(2024, 5, 1, tzinfo=timezone.utc),
        images=(Image(url="https://example.org/a.png", width=10, height=10),),
    )  # fmt: skip
    assert "press i to load" in render_article(article)
    assert "press u to load" in render_article(article, keys={"load_images": ("U",)})
    page = render_article(article, keys={"load_images": ()})
    assert "press" not in page and "not loaded" in page
    sub = Subscription(url="https://example.org/feed", title="X", path="feeds/x.json")
    assert "Press F5 to fetch it again." in render_feed(sub, "X", None)
    assert "Press Ctrl+R to fetch it again." in render_feed(sub, "X", None, keys={"reload": ("Ctrl+R",)})
    quiet = render_feed(sub, "X", None, keys={"reload": ()})
    assert "Press" not in quiet and "press" not in quiet
    feed = View(ViewKind.FEED, "feeds/x.json")
    assert empty_text(feed, query_error=False, first_load=False, searching=False) == "No articles from this feed yet.\nPress F5 to fetch it."
    assert "Press" not in empty_text(feed, query_error=False, first_load=False, searching=False, keys={"reload": ()})
    every = empty_text(View(ViewKind.ALL), query_error=False, first_load=False, searching=False,
                       keys={"open_folder": ("Ctrl+Shift+O",), "subscribe": ()})  # fmt: skip
    assert "(Ctrl+Shift+O)" in every and "()" not in every and "Ctrl+Shift+S" not in every


def test_the_new_key_fields_hint_is_not_cut(qtbot: QtBot, window: MainWindow) -> None:
    page = open_keys(qtbot, window)
    field = page.capture.findChild(QLineEdit)
    assert field is not None and field.isVisible()
    hint = field.placeholderText()
    assert "Change" in hint and "Add" in hint
    room = field.contentsRect().width() - field.textMargins().left() - field.textMargins().right() - 8  # (the frame's padding)
    assert field.fontMetrics().horizontalAdvance(hint) <= room, (hint, room)
    close_keys(qtbot, window, page)
