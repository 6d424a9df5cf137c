"""Feeds in the window: feed files next to documents, subscriptions under Feeds with their
unread counts and errors, File > Subscribe, OPML import and export, the refresh interval.
Feeds are served by a local HTTP server on 127.0.0.1 that the tests start."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from reader import subscriptions
from reader.library import View, ViewKind
from reader.ui.main_window import MainWindow

from .helpers import SEED_TITLES, WindowFactory, select_title, settle, sidebar_sections, titles

FEEDS = Path(__file__).resolve().parents[1] / "data" / "feeds"
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def feed_bodies() -> dict[str, bytes]:
    """What :func:`feed_server` serves, by path (a test may change it between fetches)."""
    return {"/rss": (FEEDS / "rss20.xml").read_bytes(), "/json": (FEEDS / "jsonfeed11.json").read_bytes()}


@pytest.fixture
def feed_server(feed_bodies: dict[str, bytes]) -> Iterator[str]:
    bodies = feed_bodies

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802 - the http.server API
            body = bodies.get(self.path)
            self.send_response(200 if body else 404)
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            self.wfile.write(body or b"")

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def mixed_dir(docs_dir: Path) -> Path:
    """The seeds and three feed files (RSS, Atom, JSON Feed) in one folder."""
    for name in ("rss20.xml", "atom10.atom", "jsonfeed11.json"):
        shutil.copy(FEEDS / name, docs_dir / name)
    return docs_dir


def wait_feeds(qtbot: QtBot, window: MainWindow) -> None:
    with qtbot.waitSignal(window.feeds.finished, timeout=15_000):
        pass
    settle(qtbot, window)


def show_fetched_feed(qtbot: QtBot, window: MainWindow, feed_server: str) -> None:
    """Subscribe to the server's RSS feed (3 entries), fetch it and show its view."""
    sub = subscriptions.subscribe(window.library, feed_server + "/rss")
    window.feed_control.show_feeds()
    wait = qtbot.waitSignal(window.feeds.finished, timeout=15_000)
    window.feed_control.refresh_feeds()
    wait.wait()
    settle(qtbot, window)
    window.sidebar.select(View(ViewKind.FEED, sub.path))
    qtbot.waitUntil(lambda: len(titles(window)) == 3)


def test_documents_and_feed_files_in_one_window(make_window: WindowFactory, mixed_dir: Path) -> None:
    window = make_window([mixed_dir])
    shown = titles(window)
    assert set(SEED_TITLES.values()) <= set(shown)
    for title in ("Ferry timetable changes for winter", "Nytt bibliotek invigs", "First snow on the pass"):
        assert title in shown
    assert len(shown) == len(SEED_TITLES) + 3 + 2 + 2
    sources = sidebar_sections(window)["Sources"]
    assert sources["Harbour Gazette"] == "3 / 3"
    assert window.status_label.text() == f"{len(shown)} articles · 0 problems"


def test_subscribe_lists_the_feed_with_its_unread_count(
    qtbot: QtBot, window: MainWindow, feed_server: str
) -> None:
    assert "Feeds" not in sidebar_sections(window)
    window.ask_feed_url = lambda: feed_server + "/rss"
    with qtbot.waitSignal(window.feeds.finished, timeout=15_000):
        qtbot.keyClick(window, Qt.Key.Key_S, CTRL_SHIFT)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: sidebar_sections(window).get("Feeds", {}).get("Harbour Gazette") == "3 / 3")
    # The new feed is the current view: its articles are listed.
    assert window.view_key == View(ViewKind.FEED, subscriptions.subscriptions(window.library)[0].path)
    qtbot.waitUntil(lambda: sorted(titles(window)) == [
        "Ferry timetable changes for winter", "Fish market moves indoors", "Lighthouse open day"])  # fmt: skip
    # Reading one lowers its count; All Articles has the seeds and the feed.
    qtbot.keyClick(window.article_list, Qt.Key.Key_J)
    qtbot.waitUntil(lambda: sidebar_sections(window)["Feeds"]["Harbour Gazette"] == "2 / 3", timeout=5000)
    window.sidebar.select(View(ViewKind.ALL))
    qtbot.waitUntil(lambda: len(titles(window)) == len(SEED_TITLES) + 3)


def test_a_failing_feed_shows_its_error_in_the_sidebar(
    qtbot: QtBot, window: MainWindow, feed_server: str
) -> None:
    subscriptions.subscribe(window.library, feed_server + "/json")
    subscriptions.subscribe(window.library, feed_server + "/gone")
    window.feed_control.show_feeds()
    with qtbot.waitSignal(window.feeds.finished, timeout=15_000):
        qtbot.keyClick(window, Qt.Key.Key_F5)
    settle(qtbot, window)
    feeds = sidebar_sections(window)["Feeds"]
    assert feeds["Mountain Post"] == "2 / 2"
    assert feeds[feed_server.removeprefix("http://") + "/gone"] == "0 / 0"  # (named without the scheme)
    model = window.sidebar.sidebar_model
    index = model.index_of(View(ViewKind.FEED, subscriptions.subscription(window.library, feed_server + "/gone").path))  # type: ignore[union-attr]
    assert "Last refresh failed: HTTP 404 Not Found" in model.data(index, Qt.ItemDataRole.ToolTipRole)
    assert "1 failed" in window.statusBar().currentMessage()
    assert not [d for d in window.findChildren(QDialog) if d.isVisible()]  # no dialog, ever
    assert window.sidebar.select(model.key(index))  # type: ignore[arg-type]
    settle(qtbot, window)
    assert window.article_model.rowCount() == 0
    assert window.article_list.empty_text == "This feed could not be fetched: HTTP 404 Not Found\nPress F5 to try again."


def test_nothing_is_fetched_unless_asked(qtbot: QtBot, window: MainWindow, feed_server: str) -> None:
    subscriptions.subscribe(window.library, feed_server + "/rss")
    window.feed_control.show_feeds()
    assert not window.feeds.running and not window.feed_control.timer.isActive()
    window.feed_control.set_feed_refresh(15)
    assert window.feed_control.timer.isActive() and window.feed_control.timer.interval() == 15 * 60_000
    window.feed_control.set_feed_refresh(0)
    assert not window.feed_control.timer.isActive()


def test_opml_import_and_export(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    source = tmp_path / "in.opml"
    source.write_text(
        '<opml version="2.0"><body><outline text="Harbour" xmlUrl="https://gazette.example.org/feed"/>'
        '<outline text="Mountain" xmlUrl="https://mountain.example.org/feed.json"/></body></opml>'
    )
    window.ask_open_path = lambda title, filters: str(source)
    window.registry["import_opml"].trigger()
    assert list(sidebar_sections(window)["Feeds"]) == ["Harbour", "Mountain"]
    assert "Imported 2 subscriptions" in window.statusBar().currentMessage()
    assert "to fetch them" in window.statusBar().currentMessage()
    assert not window.feeds.running  # imported, not fetched
    # Again: both feeds are there already, nothing new to fetch.
    window.registry["import_opml"].trigger()
    assert window.statusBar().currentMessage() == "Imported 0 subscriptions, 2 already subscribed"
    target = tmp_path / "out.opml"
    window.ask_save_path = lambda title, filters: str(target)
    window.registry["export_opml"].trigger()
    assert subscriptions.read_opml(target.read_bytes()) == [
        ("https://gazette.example.org/feed", "Harbour"),
        ("https://mountain.example.org/feed.json", "Mountain"),
    ]


def test_subscribe_refuses_other_addresses(window: MainWindow) -> None:
    window.ask_feed_url = lambda: "file:///etc/passwd"
    window.registry["subscribe"].trigger()
    assert "Not subscribed: only http and https" in window.statusBar().currentMessage()
    assert "Feeds" not in sidebar_sections(window)


def test_unsubscribe_the_selected_feed(qtbot: QtBot, window: MainWindow, feed_server: str) -> None:
    window.registry["unsubscribe"].trigger()
    assert "Select a feed" in window.statusBar().currentMessage()
    window.ask_feed_url = lambda: feed_server + "/rss"
    with qtbot.waitSignal(window.feeds.finished, timeout=15_000):
        window.registry["subscribe"].trigger()
    settle(qtbot, window)
    qtbot.waitUntil(lambda: len(titles(window)) == 3)
    window.registry["unsubscribe"].trigger()
    settle(qtbot, window)
    assert "Feeds" not in sidebar_sections(window)
    assert window.view_key == View(ViewKind.ALL)
    qtbot.waitUntil(lambda: sorted(titles(window)) == sorted(SEED_TITLES.values()))
    assert subscriptions.subscriptions(window.library) == []


def test_preferences_turn_on_a_refresh_interval(qtbot: QtBot, window: MainWindow) -> None:
    from reader.ui.preferences import show_preferences

    dialog = show_preferences(window)
    box = dialog.feeds_box
    assert box.currentData() == 0 and not window.feed_control.timer.isActive()
    box.setCurrentIndex(box.findData(60))
    assert window.settings.feed_refresh_minutes == 60
    assert window.feed_control.timer.isActive() and window.feed_control.timer.interval() == 60 * 60_000
    box.setCurrentIndex(box.findData(0))
    assert not window.feed_control.timer.isActive()
    dialog.reject()


def test_closing_the_window_cuts_a_slow_fetch_short(qtbot: QtBot, window: MainWindow) -> None:
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    accepted: list[socket.socket] = []
    thread = threading.Thread(target=lambda: accepted.append(listener.accept()[0]), daemon=True)
    thread.start()
    subscriptions.subscribe(window.library, f"http://127.0.0.1:{listener.getsockname()[1]}/never-answers")
    window.feed_control.show_feeds()
    window.feed_control.refresh_feeds()
    qtbot.waitUntil(lambda: bool(accepted))  # the request is waiting for an answer that never comes
    worker_thread = window.feeds._thread
    window.close()
    assert worker_thread.isFinished()
    for sock in (*accepted, listener):
        sock.close()


def closed_port() -> int:
    """A port on 127.0.0.1 with nothing listening."""
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = int(sock.getsockname()[1])
    sock.close()
    return port


def test_a_failed_feed_says_so_to_keyboard_users(
    qtbot: QtBot, make_window: WindowFactory, docs_dir: Path, data_dir: Path
) -> None:
    """Two feeds on 127.0.0.1 ports where nothing listens: each has a name of its own in
    the sidebar; selecting one with the keyboard shows, in the article pane, why it failed,
    when it was fetched, when it will be next, and its address; the status bar said at
    start-up that feeds had failed."""
    from reader.library import Library

    urls = [f"http://127.0.0.1:{closed_port()}/feeds/news.xml", f"http://127.0.0.1:{closed_port()}/feeds/news.xml"]
    with Library(data_dir) as lib:
        for url in urls:
            subscriptions.subscribe(lib, url)
        subscriptions.refresh(lib, timeout=5)
    window = make_window([docs_dir])
    assert "2 feeds failed at the last refresh" in window.statusBar().currentMessage()
    names = list(sidebar_sections(window)["Feeds"])
    assert len(set(names)) == 2 and all(url.removeprefix("http://") in names for url in urls)
    window.sidebar.setFocus()
    for url in urls:
        window.sidebar.select(View(ViewKind.ALL))
        target = View(ViewKind.FEED, subscriptions.subscription(window.library, url).path)  # type: ignore[union-attr]
        for _ in range(20):  # ] goes to the next sidebar item
            if window.view_key == target:
                break
            qtbot.keyClick(window.sidebar, Qt.Key.Key_BracketRight)
        assert window.view_key == target
        settle(qtbot, window)
        text = window.detail.plain_text()
        assert url.removeprefix("http://") in text.splitlines()[0]  # its name, as a heading
        assert "The last refresh failed: could not connect" in text
        assert f"Address: {url}" in text
        assert "Last fetched: " in text and "failed" in text
        assert "Next refresh: when you press F5" in text
        assert "Articles: 0, 0 unread" in text
        assert titles(window) == []
        model = window.sidebar.sidebar_model
        spoken = model.data(model.index_of(target), Qt.ItemDataRole.AccessibleTextRole)
        assert "Last refresh failed: could not connect" in spoken  # a screen reader hears why
    # With a refresh interval, the next refresh is given in minutes.
    window.feed_control.set_feed_refresh(30)
    window.feed_control.show_feeds()
    assert "Next refresh: in 30 min (every 30 min while the window is open)" in window.detail.plain_text()
    # An article selected shows the article; none selected, the feed again.
    window.sidebar.select(View(ViewKind.ALL))
    settle(qtbot, window)
    assert window.detail.plain_text().strip() == "No article selected."


def test_the_pane_shows_a_working_feed_until_an_article_is_chosen(
    qtbot: QtBot, window: MainWindow, feed_server: str
) -> None:
    show_fetched_feed(qtbot, window, feed_server)
    text = window.detail.plain_text()
    assert text.startswith("Harbour Gazette") and "Articles: 3, 3 unread" in text and "failed" not in text
    assert "Last new copy: " in text and "none yet" not in text
    qtbot.keyClick(window.article_list, Qt.Key.Key_J)
    assert window.detail.article is not None and window.detail.article.title in titles(window)


def test_export_names_a_feeds_view_as_the_sidebar_does(
    qtbot: QtBot, window: MainWindow, feed_server: str, tmp_path: Path
) -> None:
    from .test_export_dialog import open_export, save

    show_fetched_feed(qtbot, window, feed_server)
    dialog = open_export(qtbot, window, tmp_path / "feed.md")
    assert dialog.current_button.text() == "&Current view: Feed: Harbour Gazette"  # (the feed's title, rss20.xml)
    save(qtbot, dialog)
    assert dialog.asked[0][0].endswith("feed-harbour-gazette.md")  # type: ignore[attr-defined]
    text = (tmp_path / "feed.md").read_text(encoding="utf-8")
    assert text.startswith("# Feed: Harbour Gazette\n") and ".feed" not in text
    assert "Lighthouse open day" in text


def test_a_moved_data_folder_shows_its_subscriptions(
    qtbot: QtBot, make_window: WindowFactory, docs_dir: Path, data_dir: Path, feed_server: str, tmp_path: Path
) -> None:
    """The data folder moved since the feed was fetched: the window lists its articles
    under the feed and in All Articles, with nothing fetched."""
    from reader.library import Library

    with Library(tmp_path / "before") as lib:
        subscriptions.subscribe(lib, feed_server + "/rss")
        subscriptions.refresh(lib)
    shutil.move(tmp_path / "before", data_dir)
    window = make_window([docs_dir])
    sub = subscriptions.subscriptions(window.library)[0]
    qtbot.waitUntil(lambda: sidebar_sections(window).get("Feeds", {}).get("Harbour Gazette") == "3 / 3", timeout=10_000)
    window.sidebar.select(View(ViewKind.FEED, sub.path))
    qtbot.waitUntil(lambda: len(titles(window)) == 3)
    assert not window.feeds.running  # (nothing was fetched)


def _rss(*items: tuple[str, str, str, str]) -> bytes:
    """A feed of (title, excerpt, link, date) items."""
    body = "".join(
        f"<item><title>{title}</title><description>{excerpt}</description><link>{link}</link><pubDate>{date}</pubDate></item>"
        for title, excerpt, link, date in items
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><link>https://wire.example/</link>{body}</channel></rss>'.encode()


def test_a_fetch_that_changes_the_open_articles_story_shows_its_coverage_anew(
    qtbot: QtBot, make_window: WindowFactory, docs_dir: Path, feed_server: str, feed_bodies: dict[str, bytes]
) -> None:
    """A feed brings another outlet's copy of the open seed's report, then drops it: the
    article pane's coverage follows each fetch, as it follows a load."""
    global_news = (docs_dir / "000_7070b5ed28950557.txt").read_text(encoding="utf-8")
    excerpt = global_news.split('excerpt: "', 1)[1].split('"', 1)[0]
    copy = (SEED_TITLES["global"], excerpt, "https://wire.example/clearview-copy", "Thu, 06 Feb 2020 08:00:00 GMT")
    other = ("Ferry timetable changes for winter", "The ferry runs less often.", "https://wire.example/ferry", "Thu, 06 Feb 2020 09:00:00 GMT")
    feed_bodies["/wire"] = _rss(other)
    window = make_window([docs_dir])
    subscriptions.subscribe(window.library, feed_server + "/wire")
    window.feed_control.show_feeds()
    window.feed_control.refresh_feeds()
    wait_feeds(qtbot, window)
    select_title(window, SEED_TITLES["global"])
    qtbot.waitUntil(lambda: window.detail.story is not None)
    article_id = window.detail.article.id if window.detail.article is not None else ""

    def versions() -> tuple[int, int]:
        """(versions in the pane, versions of the article's story in the library)"""
        shown, stored = window.detail.story, window.library.story_context(article_id, window.scope)
        assert shown is not None and shown.story is not None and stored.story is not None
        return len(shown.story.versions), len(stored.story.versions)

    before, _ = versions()
    feed_bodies["/wire"] = _rss(other, copy)
    window.feed_control.refresh_feeds()
    wait_feeds(qtbot, window)
    assert versions() == (before + 1, before + 1)
    feed_bodies["/wire"] = _rss(other)
    window.reload()  # F5: the copy is gone from the feed
    wait_feeds(qtbot, window)
    assert versions() == (before, before)
