"""The whole article on request in the window: F fetches the shown article's page from a
local server (127.0.0.1) and the pane shows its text with "Fetched from …"; search finds a
word that is only in the full text; it shows again offline; failures say why and keep the
excerpt; a source set to always load fetches as its articles are shown; remote images off
fetches nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from reader.ui import detail_pane
from reader.ui.main_window import MainWindow
from reader.ui.settings import Settings
from tests.page_server import PageServer, serving

from .helpers import WindowFactory, anchors, news_doc, select_title, settle, titles

TITLE = "Only an excerpt of a blog post"
EXCERPT = "The excerpt the feed carried, and nothing more."


@pytest.fixture
def pages() -> Iterator[PageServer]:
    yield from serving()


def folder_with(tmp_path: Path, pages: PageServer, path: str) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir(exist_ok=True)
    text = news_doc(TITLE, url=pages.url(path), provider=("Local Blog", "127.0.0.1"), topics=("Software",))
    text = text.replace("---\ntitle:", f"---\nexcerpt: \"{EXCERPT}\"\ntitle:", 1)
    (folder / "post.md").write_text(text, encoding="utf-8")
    (folder / "other.md").write_text(news_doc("Another story", url="https://news.example/other"), encoding="utf-8")
    return folder


def press_f(qtbot: QtBot, window: MainWindow) -> None:
    window.article_list.setFocus()
    qtbot.keyClick(window.article_list, Qt.Key.Key_F)


def test_f_shows_the_full_text_and_search_finds_it(qtbot: QtBot, make_window: WindowFactory, tmp_path: Path,
                                                   pages: PageServer) -> None:  # fmt: skip
    window = make_window([folder_with(tmp_path, pages, "/page/readability-ebb-org")])
    select_title(window, TITLE)
    qtbot.wait(100)
    assert pages.requests == []  # shown, and nothing fetched
    assert "Software Freedom Conservancy" not in window.detail.plain_text()
    press_f(qtbot, window)
    qtbot.waitUntil(lambda: "Fetched from 127.0.0.1 on" in window.detail.plain_text(), timeout=15_000)
    text = window.detail.plain_text()
    assert "Software Freedom Conservancy" in text and EXCERPT in text
    assert "https://lwn.net/Articles/770966/" in anchors(window.detail.browser.document())  # a link, shown
    assert [p for p, _cookie, _referrer in pages.requests] == ["/page/readability-ebb-org"]
    assert pages.requests[0][1:] == (None, None)  # no cookie, no referrer
    assert window.detail.fulltext_button.text() == "Fetch Again"
    # search finds a word that was only in the full text
    window.search_bar.field.setText("conservancy")
    window.search_bar.flush()
    settle(qtbot, window)
    assert titles(window) == [TITLE]


def test_shown_again_offline_and_fetched_again(qtbot: QtBot, make_window: WindowFactory, tmp_path: Path,
                                               pages: PageServer, monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    window = make_window([folder_with(tmp_path, pages, "/page/readability-ebb-org")])
    select_title(window, TITLE)
    window.registry["load_fulltext"].trigger()
    qtbot.waitUntil(lambda: "Fetched from 127.0.0.1" in window.detail.plain_text(), timeout=15_000)
    select_title(window, "Another story")
    assert "Conservancy" not in window.detail.plain_text()
    pages.httpd.shutdown()  # offline: connections are refused
    pages.httpd.server_close()
    rendered: list[str] = []  # the article pane renders the article with its stored full text once
    render = detail_pane.render_article
    monkeypatch.setattr(detail_pane, "render_article", lambda article, **k: (rendered.append(article.title), render(article, **k))[1])
    select_title(window, TITLE)
    assert rendered == [TITLE]
    assert "Fetched from 127.0.0.1" in window.detail.plain_text()
    assert "Software Freedom Conservancy" in window.detail.plain_text()
    assert len(pages.requests) == 1
    # the pane's own button fetches it again: the server is gone, so it says why, and keeps the text
    window.detail.fulltext_button.click()
    qtbot.waitUntil(lambda: "could not be loaded" in window.detail.plain_text(), timeout=25_000)
    assert "Software Freedom Conservancy" in window.detail.plain_text()


@pytest.mark.parametrize(
    ("path", "reason"),
    [("/forbidden", "HTTP 403"), ("/login-wall", "the page has no article text"), ("/pdf", "is not HTML")],
)
def test_failures_say_why_and_keep_the_excerpt(qtbot: QtBot, make_window: WindowFactory, tmp_path: Path,
                                               pages: PageServer, path: str, reason: str) -> None:  # fmt: skip
    window = make_window([folder_with(tmp_path, pages, path)])
    select_title(window, TITLE)
    press_f(qtbot, window)
    qtbot.waitUntil(lambda: "could not be loaded" in window.detail.plain_text(), timeout=15_000)
    text = window.detail.plain_text()
    assert reason in text and EXCERPT in text and "Fetched from" not in text


def test_a_trusted_source_loads_as_shown_and_remote_off_fetches_nothing(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path, pages: PageServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = make_window([folder_with(tmp_path, pages, "/page/readability-ebb-org")])
    select_title(window, "Another story")
    select_title(window, TITLE)
    action = window.registry["always_fulltext"]
    assert action.isEnabled() and not action.isChecked() and "127.0.0.1" in action.text()
    qtbot.wait(100)
    assert pages.requests == []
    stored = window.library.fulltext
    read_here: list[str] = []
    monkeypatch.setattr(window.library, "fulltext", lambda article_id: (read_here.append(article_id), stored(article_id))[1])
    action.trigger()  # always load this source: it loads now, and whenever shown
    assert Settings().fulltext_sources == ["127.0.0.1"]
    assert "Loading the full text from 127.0.0.1" in window.detail.plain_text()  # said at once
    assert read_here == []  # (none is stored: the pane shows none; the library is not asked again)
    qtbot.waitUntil(lambda: "Fetched from 127.0.0.1" in window.detail.plain_text(), timeout=15_000)
    assert len(pages.requests) == 1
    # remote images off: nothing is fetched, not even with F
    window.settings.remote_images = False
    window.apply_setting("remote_images")
    assert not window.registry["load_fulltext"].isEnabled()
    window.fulltext.load()
    qtbot.wait(200)
    assert len(pages.requests) == 1


def test_preferences_list_the_trusted_sources(qtbot: QtBot, make_window: WindowFactory, tmp_path: Path,
                                              pages: PageServer) -> None:  # fmt: skip
    from reader.ui.preferences import show_preferences

    window = make_window([folder_with(tmp_path, pages, "/forbidden")])
    window.settings.fulltext_sources = ["news.example", "127.0.0.1"]
    select_title(window, "Another story")
    assert window.registry["always_fulltext"].isChecked()
    dialog = show_preferences(window)
    qtbot.addWidget(dialog)
    box = dialog.fulltext_sources
    assert box.sources() == ["127.0.0.1", "news.example"]
    box.source_list.setCurrentRow(1)
    box.remove_button.click()
    assert window.settings.fulltext_sources == ["127.0.0.1"]
    assert not window.registry["always_fulltext"].isChecked()  # applied at once
    dialog.close()


def test_the_excerpt_is_not_shown_twice_and_scripts_stay_text() -> None:
    import time

    from reader.article import Article, Kind, Provider
    from reader.fulltext import PARAGRAPH, Block, FullText, Run
    from reader.ui.detail_pane import render_article

    first = "The first paragraph of the article, which the feed carried as its excerpt."
    article = Article(id="a", path="/x.md", kind=Kind.NEWS, title="T", excerpt=first, body="", published=None,
                      url="https://news.example/a", amp_url=None, provider=Provider("News", "news.example"), topics=(), images=())  # fmt: skip
    full = FullText("https://news.example/a", time.time(), (
        Block(PARAGRAPH, (Run(first),)),
        Block(PARAGRAPH, (Run("<script>alert(1)</script> and a "), Run("link", "https://other.example/"), Run(" and "),
                          Run("another", "javascript:alert(1)"))),
    ))  # fmt: skip
    page = render_article(article, fulltext=full)
    assert page.count("which the feed carried") == 1
    assert "&lt;script&gt;" in page and "<script>" not in page
    assert '<a href="https://other.example/">link</a>' in page and "javascript:" not in page
    before = render_article(article)  # not fetched yet: the excerpt, and the page offers the full text
    assert before.count("which the feed carried") == 1 and "Load the full text</a> from news.example" in before


def test_closing_the_window_cuts_a_fetch_short(qtbot: QtBot, make_window: WindowFactory, tmp_path: Path,
                                               pages: PageServer) -> None:  # fmt: skip
    import time

    window = make_window([folder_with(tmp_path, pages, "/stall")])
    select_title(window, TITLE)
    press_f(qtbot, window)
    qtbot.waitUntil(lambda: len(pages.requests) == 1, timeout=10_000)
    assert "Loading the full text from 127.0.0.1" in window.detail.plain_text()
    started = time.monotonic()
    window.close()  # the server still stalls: the fetch is cancelled, not waited for (20 s)
    assert time.monotonic() - started < 5
    assert not window.fulltext.loader._thread.isRunning()
