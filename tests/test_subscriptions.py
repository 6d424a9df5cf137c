"""Subscriptions (reader.subscriptions, reader.fetch): fetched from a local HTTP server on
127.0.0.1 that the tests start -- conditional GET and 304, redirects and their limit, http
and https only, oversize bodies, a server that stalls, errors kept per feed -- and OPML."""

from __future__ import annotations

import json
import threading
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from reader import subscriptions as subs
from reader.fetch import CutShort, FetchError, NotHttp, RedirectRefused, TimedOut, TooLarge, fetch
from reader.library import Library, View, ViewKind
from tests.page_server import LocalServer, serve

FEEDS = Path(__file__).resolve().parent / "data" / "feeds"
RSS = (FEEDS / "rss20.xml").read_bytes()
ATOM = (FEEDS / "atom10.atom").read_bytes()


class Server(LocalServer):
    """A small feed server; ``requests`` records (path, If-None-Match, If-Modified-Since)."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str | None, str | None]] = []
        self.release = threading.Event()
        self.bodies = {"/rss": RSS, "/atom": ATOM}
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
                self.send_response(status)
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                if "Content-Length" not in (headers or {}):
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if body:
                    self.wfile.write(body)

            def do_GET(self) -> None:  # noqa: N802 - the http.server API
                path = self.path
                owner.requests.append((path, self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since")))
                if path in owner.bodies:
                    tag = f'"{hash(owner.bodies[path]) & 0xFFFF}"'
                    if self.headers.get("If-None-Match") == tag:
                        self.send(304)
                        return
                    self.send(200, owner.bodies[path], {"ETag": tag, "Last-Modified": "Tue, 05 Nov 2024 08:00:00 GMT",
                                                         "Content-Type": "application/rss+xml"})  # fmt: skip
                elif path.startswith("/hop/"):
                    left = int(path.rsplit("/", 1)[1])
                    self.send(302 if left else 301, headers={"Location": f"/hop/{left - 1}" if left else "/rss"})
                elif path == "/loop":
                    self.send(302, headers={"Location": "/loop"})
                elif path == "/to-ftp":
                    self.send(302, headers={"Location": "ftp://127.0.0.1/feed.xml"})
                elif path == "/big":
                    self.send(200, b"<rss>" + b" " * 300_000)
                elif path == "/big-unsized":
                    self.send_response(200)
                    self.end_headers()  # no length: read until the connection closes
                    for _ in range(40):
                        self.wfile.write(b" " * 10_000)
                    self.close_connection = True
                elif path == "/stall":
                    self.send_response(200)
                    self.send_header("Content-Length", "1000")
                    self.end_headers()
                    self.wfile.write(b"<rss version='2.0'>")
                    self.wfile.flush()
                    owner.release.wait(30)  # until the test ends
                elif path == "/page":
                    self.send(200, b"<!doctype html><html><body>Not a feed</body></html>")
                else:
                    self.send(404, b"no such feed")

        self._listen(Handler)


def _serving() -> Iterator[Server]:
    """A local server for one test, shut down after it."""
    yield from serve(Server())


@pytest.fixture
def server() -> Iterator[Server]:
    yield from _serving()


@pytest.fixture
def lib(tmp_path: Path) -> Iterator[Library]:
    with Library(tmp_path / "data") as library:
        yield library


# --------------------------------------------------------------------------- fetch


def test_fetch_and_conditional_get(server: Server) -> None:
    got = fetch(server.url("/rss"))
    assert got.body == RSS and not got.not_modified and got.etag
    again = fetch(server.url("/rss"), etag=got.etag, last_modified=got.last_modified)
    assert again.not_modified and again.body == b""
    assert server.requests[-1] == ("/rss", got.etag, "Tue, 05 Nov 2024 08:00:00 GMT")


def test_redirects_are_followed_up_to_a_limit(server: Server) -> None:
    got = fetch(server.url("/hop/3"))
    assert got.body == RSS and got.url == server.url("/rss")
    assert got.permanent_url is None  # some hops were temporary
    with pytest.raises(FetchError, match="more than 2 redirects"):
        fetch(server.url("/hop/3"), max_redirects=2)
    with pytest.raises(FetchError, match="redirects"):
        fetch(server.url("/loop"))


def test_only_http_and_https(server: Server) -> None:
    for url, scheme in (("file:///etc/passwd", "file"), ("ftp://example.com/feed", "ftp"), ("javascript:alert(1)", "javascript"), ("feed.xml", "")):
        with pytest.raises(NotHttp, match="only http and https") as caught:
            fetch(url)
        assert caught.value.scheme == scheme  # (the kind of failure, and what it was about)
    with pytest.raises(NotHttp, match="only http and https"):
        fetch(server.url("/to-ftp"))  # not by a redirect either
    assert [r[0] for r in server.requests] == ["/to-ftp"]


def test_oversize_bodies_are_refused(server: Server) -> None:
    with pytest.raises(TooLarge, match="too large: 300005 bytes") as caught:
        fetch(server.url("/big"), max_bytes=100_000)
    assert (caught.value.max_bytes, caught.value.size) == (100_000, 300_005)
    with pytest.raises(TooLarge, match="too large: more than 100000 bytes") as caught:
        fetch(server.url("/big-unsized"), max_bytes=100_000)
    assert (caught.value.max_bytes, caught.value.size) == (100_000, None)


def test_a_stalling_server_times_out(server: Server) -> None:
    with pytest.raises(TimedOut, match="timed out"):
        fetch(server.url("/stall"), timeout=0.5)


def test_a_fetch_can_be_cancelled_from_another_thread(server: Server, lib: Library) -> None:
    from reader.fetch import Abort

    stalled = subs.subscribe(lib, server.url("/stall"))
    later = subs.subscribe(lib, server.url("/zz"))  # listed (and fetched) after /stall
    abort = Abort()
    results: list[subs.Refreshed] = []
    worker = threading.Thread(target=lambda: results.extend(subs.refresh(lib.reopen(), timeout=600, abort=abort)))
    worker.start()
    while not server.requests:  # the stalled request has arrived
        threading.Event().wait(0.01)
    abort.cancel()
    worker.join()
    assert results == [subs.Refreshed(stalled.url, False, error="cancelled")]  # the next one is not fetched
    assert [s.error for s in subs.subscriptions(lib)] == [None, None]  # a cancel is nobody's fault
    assert "/zz" not in [r[0] for r in server.requests] and later.checked is None


def test_a_body_cut_short_is_an_error(server: Server) -> None:
    server.release.set()  # the stalling server hangs up after its first bytes
    with pytest.raises(CutShort, match="closed before the whole feed arrived"):
        fetch(server.url("/stall"))


def test_http_errors_and_refused_connections(server: Server) -> None:
    with pytest.raises(FetchError, match="HTTP 404"):
        fetch(server.url("/missing"))
    port = server.httpd.server_address[1]
    server.httpd.shutdown()
    server.httpd.server_close()
    with pytest.raises(FetchError, match="could not connect"):
        fetch(f"http://127.0.0.1:{port}/rss", timeout=5)


# --------------------------------------------------------------------------- subscriptions


def test_subscribe_refresh_and_read(server: Server, lib: Library) -> None:
    sub = subs.subscribe(lib, server.url("/rss"))
    assert sub.title is None and server.requests == []  # subscribing fetches nothing
    assert lib.counts().feeds[sub.path].total == 0
    (result,) = subs.refresh(lib)
    assert result.ok and result.changed
    sub = subs.subscription(lib, sub.url)
    assert sub is not None and sub.title == "Harbour Gazette" and sub.error is None
    view = View(ViewKind.FEED, subs.feed_view_value(sub))
    titles = sorted(r.title for r in lib.rows(lib.article_rowids(view)).values())
    assert titles == ["Ferry timetable changes for winter", "Fish market moves indoors", "Lighthouse open day"]
    assert lib.counts().feeds[sub.path].unread == 3
    assert [h.row.title for h in lib.search("crossings")] == ["Ferry timetable changes for winter"]
    lib.set_read([lib.search("crossings")[0].row.id])
    assert lib.counts().feeds[sub.path].unread == 2
    # The next refresh asks conditionally and the server says 304: nothing changes.
    (again,) = subs.refresh(lib)
    assert again.ok and not again.changed
    assert server.requests[-1][1] is not None and server.requests[-1][2] is not None
    assert lib.counts().feeds[sub.path] == lib.counts().of(view)
    # The feed changes on the server: the new entries arrive, the marks stay.
    server.bodies["/rss"] = RSS.replace(b"Lighthouse open day", b"Lighthouse closed")
    (third,) = subs.refresh(lib)
    assert third.changed
    assert "Lighthouse closed" in {r.title for r in lib.rows(lib.article_rowids(view)).values()}
    assert lib.counts().feeds[sub.path].unread == 2


def test_a_feed_that_moved_for_good_is_followed(server: Server, lib: Library) -> None:
    moved = subs.subscribe(lib, server.url("/hop/0"))  # 301 to /rss
    temporary = subs.subscribe(lib, server.url("/hop/1"))  # 302, then 301
    results = subs.refresh(lib)
    assert all(r.ok for r in results)
    assert sorted(r.url for r in results) == sorted([server.url("/rss"), temporary.url])
    urls = [s.url for s in subs.subscriptions(lib)]
    assert server.url("/rss") in urls and moved.url not in urls
    assert temporary.url in urls  # not every hop was permanent: the address stays
    assert subs.subscription(lib, server.url("/rss")).path == moved.path  # type: ignore[union-attr]


def test_errors_are_kept_per_feed(server: Server, lib: Library) -> None:
    good = subs.subscribe(lib, server.url("/atom"))
    bad = [subs.subscribe(lib, server.url(p)) for p in ("/missing", "/page", "/stall", "/big")]
    results = subs.refresh(lib, timeout=0.5, max_bytes=100_000)
    assert {r.url: r.ok for r in results} == {good.url: True, **{b.url: False for b in bad}}
    errors = {s.url: s.error for s in subs.subscriptions(lib)}
    assert errors[good.url] is None
    assert errors[server.url("/missing")] == "HTTP 404 Not Found"
    assert "did not return a feed" in (errors[server.url("/page")] or "")
    assert "timed out" in (errors[server.url("/stall")] or "")
    assert "too large" in (errors[server.url("/big")] or "")
    assert lib.counts().feeds[good.path].total == 2
    # A feed that worked and then fails keeps its articles and says why.
    del server.bodies["/atom"]
    subs.refresh(lib, [good.url])
    assert subs.subscription(lib, good.url).error == "HTTP 404 Not Found"  # type: ignore[union-attr]
    assert lib.counts().feeds[good.path].total == 2


def test_short_names_tell_subscriptions_apart() -> None:
    def sub(url: str, title: str | None = None) -> subs.Subscription:
        return subs.Subscription(url, title, "/data/feeds/x.feed")

    listed = [
        sub("http://127.0.0.1:18761/feed.xml"),
        sub("http://127.0.0.1:18762/feed.xml"),
        sub("https://www.example.org/blog/", "Blog"),
        sub("https://other.example/news/feed", "blog"),
        sub("https://third.example/feed", "Harbour Gazette"),
        sub("http://127.0.0.1:1876/news/feed.xml"),
        sub("http://127.0.0.1:1876/sport/feed.xml"),
    ]
    assert list(subs.short_names(listed).values()) == [
        "127.0.0.1:18761/feed.xml",
        "127.0.0.1:18762/feed.xml",
        "Blog (example.org/blog)",
        "blog (other.example/news/feed)",
        "Harbour Gazette",
        "news/feed.xml (127.0.0.1:1876)",  # the same host: what differs comes first
        "sport/feed.xml (127.0.0.1:1876)",
    ]


def test_subscribe_refuses_other_schemes(lib: Library) -> None:
    with pytest.raises(subs.SubscriptionError, match="only http and https"):
        subs.subscribe(lib, "file:///home/feed.xml")
    assert subs.subscriptions(lib) == []


def test_unsubscribe_removes_its_articles(server: Server, lib: Library) -> None:
    sub = subs.subscribe(lib, server.url("/rss"))
    subs.refresh(lib)
    assert lib.counts().all.total == 3
    assert subs.unsubscribe(lib, sub.url)
    assert lib.counts().all.total == 0 and subs.subscriptions(lib) == []
    assert not subs.unsubscribe(lib, sub.url)


# --------------------------------------------------------------------------- OPML


OPML = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="1.0">
  <head><title>From another reader</title></head>
  <body>
    <outline text="News">
      <outline type="rss" text="Harbour &amp; Co" xmlUrl="https://gazette.example.org/feed"/>
      <outline type="rss" title="Mountain Post" text="MP" xmlUrl="https://mountain.example.org/feed.json"/>
    </outline>
    <outline type="rss" text="Again" xmlUrl="https://gazette.example.org/feed"/>
    <outline type="rss" text="Local file" xmlUrl="file:///etc/feed.xml"/>
    <outline text="Just a folder"/>
  </body>
</opml>
"""


def test_opml_import_and_round_trip(lib: Library, tmp_path: Path) -> None:
    done = subs.import_opml(lib, OPML)
    added, skipped = done.added, done.skipped
    assert [s.url for s in added] == ["https://gazette.example.org/feed", "https://mountain.example.org/feed.json"]
    assert [s.title for s in added] == ["Harbour & Co", "Mountain Post"]
    assert len(skipped) == 1 and skipped[0].startswith("file:///etc/feed.xml")
    exported = subs.export_opml(subs.subscriptions(lib)).encode("utf-8")
    assert subs.read_opml(exported) == [
        ("https://gazette.example.org/feed", "Harbour & Co"),
        ("https://mountain.example.org/feed.json", "Mountain Post"),
    ]
    # Into a fresh library: the same subscriptions.
    with Library(tmp_path / "other") as other:
        subs.import_opml(other, exported)
        assert [(s.url, s.title) for s in subs.subscriptions(other)] == [(s.url, s.title) for s in subs.subscriptions(lib)]


def test_an_untitled_feed_keeps_no_title_through_opml(server: Server, lib: Library, tmp_path: Path) -> None:
    """Exported before its first fetch, a feed has no title: the OPML file names it as the
    sidebar does, without a title, and the library that reads the file takes the feed's own
    title when it fetches it (rss20.xml's channel title is "Harbour Gazette")."""
    subs.subscribe(lib, server.url("/rss"))
    exported = subs.export_opml(subs.subscriptions(lib))
    outline = ElementTree.fromstring(exported).find("body/outline")
    assert outline is not None and outline.get("title") is None
    assert outline.get("text") == server.url("/rss").removeprefix("http://")
    with Library(tmp_path / "other") as other:
        subs.import_opml(other, exported.encode("utf-8"))
        assert [s.title for s in subs.subscriptions(other)] == [None]
        subs.refresh(other)
        assert [s.title for s in subs.subscriptions(other)] == ["Harbour Gazette"]


@pytest.mark.parametrize(
    ("attributes", "title"),
    [
        ('title="{url}" text="{url}"', None),  # how Reader wrote an untitled feed before
        ('text="{url}"', None),
        ('text="example.org/feed.xml"', None),
        ('title="{url}" text="Real name"', "Real name"),
        ('title="Its title" text="{url}"', "Its title"),
    ],
)
def test_an_opml_name_that_is_only_the_address_is_no_title(attributes: str, title: str | None) -> None:
    url = "https://www.example.org/feed.xml"
    data = f'<opml version="2.0"><body><outline {attributes.format(url=url)} xmlUrl="{url}"/></body></opml>'
    assert subs.read_opml(data.encode("utf-8")) == [(url, title)]


OTHER_READERS = b"""<?xml version="1.0"?>
<opml version="1.1"><head><title>Other reader</title></head><body>
<outline text="Tech" title="Tech">
  <outline text="A" type="rss" xmlUrl="HTTP://News.Example.org/feed.xml"/>
  <outline text="A again" type="rss" xmlUrl="http://news.example.org/feed.xml"/>
  <outline text="A frag" type="rss" xmlUrl="http://news.example.org/feed.xml#top"/>
  <outline text="Other" type="rss" xmlURL="http://other.example.org/Feed.xml"/>
</outline></body></opml>
"""


def test_opml_from_other_readers_names_each_feed_once(lib: Library, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """One feed spelled with an upper-case scheme or host, or with a #fragment, is one feed;
    ``xmlURL`` (as some readers write it) is read; a second import adds nothing and says so."""
    from reader.cli import main

    assert subs.read_opml(OTHER_READERS) == [
        ("http://news.example.org/feed.xml", "A"), ("http://other.example.org/Feed.xml", "Other"),
    ]  # fmt: skip
    opml = tmp_path / "other.opml"
    opml.write_bytes(OTHER_READERS)
    data = ["--data-dir", str(tmp_path / "cli")]
    assert main(["opml", "import", str(opml), *data]) == 0
    assert capsys.readouterr().out == "2 subscriptions imported (nothing fetched yet: run reader refresh)\n"
    assert main(["opml", "import", str(opml), *data]) == 0
    assert capsys.readouterr().out == "0 subscriptions imported, 2 already subscribed\n"
    assert main(["subscribe", "--no-fetch", "HTTP://NEWS.example.org/feed.xml#x", *data]) == 0
    assert capsys.readouterr().out == "already subscribed to http://news.example.org/feed.xml\n"
    added = subs.import_opml(lib, OTHER_READERS).added
    assert [s.url for s in added] == ["http://news.example.org/feed.xml", "http://other.example.org/Feed.xml"]
    again = subs.import_opml(lib, OTHER_READERS)
    assert (again.added, again.skipped) == ([], []) and [s.url for s in again.already] == [s.url for s in added]
    assert subs.unsubscribe(lib, "http://News.example.org/feed.xml#top")
    assert [s.url for s in subs.subscriptions(lib)] == ["http://other.example.org/Feed.xml"]


def test_a_subscription_stored_in_another_spelling_is_found_in_any_spelling(
    server: Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An earlier Reader stored the address as it was typed (``HTTP://…/rss#top``): subscribing
    in the usual spelling adds no second subscription (its articles are not doubled), and
    unsubscribe finds it in any spelling."""
    from reader.cli import main

    old = server.url("/rss").replace("http://", "HTTP://") + "#top"
    with Library(tmp_path / "data") as lib:
        lib.add_subscription(old, None, "feeds/old.feed", 1.0)  # (as the earlier Reader stored it)
    data = ["--data-dir", str(tmp_path / "data")]
    assert main(["subscribe", "--no-fetch", server.url("/rss"), *data]) == 0
    assert capsys.readouterr().out == f"already subscribed to {old}\n"
    assert main(["refresh", *data]) == 0
    assert "ok      Harbour Gazette (changed; 3 articles, 3 unread)" in capsys.readouterr().out
    assert [r[0] for r in server.requests] == ["/rss"]
    with Library(tmp_path / "data") as lib:
        assert [s.url for s in subs.subscriptions(lib)] == [old]
        assert subs.subscribe(lib, server.url("/rss") + "#x", "A title").url == old
        assert len(subs.subscriptions(lib)) == 1
    assert main(["unsubscribe", server.url("/rss").replace("http://", "Http://"), *data]) == 0
    with Library(tmp_path / "data") as lib:
        assert subs.subscriptions(lib) == [] and lib.counts().all.total == 0


def test_refresh_finds_a_feed_in_another_spelling_and_names_an_address_of_no_subscription(
    server: Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from reader.cli import main

    data = ["--data-dir", str(tmp_path / "data")]
    assert main(["subscribe", "--no-fetch", server.url("/rss"), *data]) == 0
    capsys.readouterr()
    assert main(["refresh", server.url("/rss").replace("http://", "HTTP://") + "#top", *data]) == 0
    assert "ok      Harbour Gazette (changed; 3 articles, 3 unread)" in capsys.readouterr().out
    server.requests.clear()
    assert main(["refresh", server.url("/nothing"), *data]) == 1
    out, err = capsys.readouterr()
    assert (out, err) == ("", f"reader refresh: not subscribed to {server.url('/nothing')}\n")
    assert server.requests == []
    # with a subscribed one: that one is fetched all the same
    assert main(["refresh", server.url("/nothing"), server.url("/rss"), *data]) == 1
    out, err = capsys.readouterr()
    assert "ok      Harbour Gazette (no change since the last fetch" in out and "not subscribed to" in err
    assert [r[0] for r in server.requests] == ["/rss"]


def test_an_address_spelled_another_way_is_not_a_move(server: Server) -> None:
    """Fetching ``HTTP://127.0.0.1:…/rss#top`` fetches the feed there; no redirect, so the
    feed did not move (its subscription keeps the address as it was stored)."""
    got = fetch(server.url("/rss").replace("http://", "HTTP://") + "#top")
    assert got.body == RSS and got.permanent_url is None
    assert server.requests[-1][0] == "/rss"


def test_opml_2_with_its_namespace_is_read() -> None:
    data = (b'<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0" xmlns="http://opml.org/spec2"><body>'
            b'<outline text="ns" xmlUrl="http://127.0.0.1:8765/ns.xml"/></body></opml>\n')  # fmt: skip
    assert subs.read_opml(data) == [("http://127.0.0.1:8765/ns.xml", "ns")]


def test_opml_export_leaves_out_what_xml_forbids(tmp_path: Path) -> None:
    """A feed's title may hold control characters (JSON Feed allows them); the OPML file is
    well-formed all the same, and reads back without them."""
    odd = subs.Subscription("https://example.org/feed.json", "Ctl \x1b[31m red\x00\ufffe\x85 title", str(tmp_path / "f"))
    exported = subs.export_opml([odd]).encode("utf-8")
    assert subs.read_opml(exported) == [("https://example.org/feed.json", "Ctl [31m red\x85 title")]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"<html><body/></html>", "not an OPML file"),
        (b"<opml><body><outline", "not a readable OPML file"),
        (b'<!DOCTYPE opml [<!ENTITY a "aaaa">]><opml/>', "declares entities"),
    ],
)
def test_bad_opml(data: bytes, reason: str) -> None:
    with pytest.raises(subs.SubscriptionError, match=reason):
        subs.read_opml(data)


# --------------------------------------------------------------------------- the commands


def test_commands(server: Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from reader.cli import main

    data = ["--data-dir", str(tmp_path / "data")]
    assert main(["subscribe", server.url("/rss"), *data]) == 0
    out = capsys.readouterr().out
    assert "ok      Harbour Gazette (changed; 3 articles, 3 unread)" in out
    assert main(["subscribe", "--no-fetch", server.url("/rss"), *data]) == 0
    assert capsys.readouterr().out == f"already subscribed to {server.url('/rss')}\n"
    assert main(["subscribe", server.url("/missing"), *data]) == 1
    assert "failed  " + server.url("/missing") + ": HTTP 404 Not Found" in capsys.readouterr().out
    assert main(["subscribe", "ftp://example.com/x", *data]) == 2
    assert main(["refresh", "--list", *data]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert f"{server.url('/rss')}\tHarbour Gazette\t3 unread\tok" in listed
    assert any(line.endswith("error: HTTP 404 Not Found") for line in listed)
    assert main(["refresh", server.url("/rss"), *data]) == 0
    assert "(no change since the last fetch; 3 articles" in capsys.readouterr().out
    assert main(["search", "crossings", *data]) == 0
    assert "Ferry timetable changes for winter" in capsys.readouterr().out
    opml = tmp_path / "subs.opml"
    assert main(["opml", "export", str(opml), *data]) == 0
    assert main(["unsubscribe", server.url("/missing"), *data]) == 0
    capsys.readouterr()
    assert main(["opml", "import", str(opml), "--data-dir", str(tmp_path / "other")]) == 0
    assert "2 subscriptions imported" in capsys.readouterr().out
    assert main(["opml", "export", "--data-dir", str(tmp_path / "other")]) == 0
    assert [url for url, _t in subs.read_opml(capsys.readouterr().out.encode())] == [server.url("/rss"), server.url("/missing")]


def test_commands_print_no_control_characters_a_feed_sent(
    server: Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A feed's text may carry terminal escape sequences (here ESC [31m, which turns a terminal
    red, and a C1 CSI): what the commands print has none of them."""
    from reader.cli import main

    server.bodies["/ctl"] = json.dumps({
        "version": "https://jsonfeed.org/version/1.1", "title": "Ctl \x1b[31m red \x9b2J title",
        "items": [{"id": "1", "url": "https://example.org/jf1", "title": "Entry", "content_text": "walrus"}],
    }).encode("utf-8")  # fmt: skip
    data = ["--data-dir", str(tmp_path / "data")]
    runs = [["subscribe", server.url("/ctl")], ["refresh"], ["refresh", "--list"], ["search", "walrus"]]
    for argv in runs:
        assert main([*argv, *data]) == 0
        out = capsys.readouterr().out
        assert "Ctl \ufffd[31m red \ufffd2J title" in out
        assert not any(0x00 <= ord(c) < 0x20 and c not in "\t\n" or 0x7F <= ord(c) <= 0x9F for c in out), (argv, out)


def test_check_lists_each_entry_of_a_feed(capsys: pytest.CaptureFixture[str]) -> None:
    from reader.cli import main

    assert main(["check", str(FEEDS / "rss20.xml")]) == 0
    out = capsys.readouterr().out
    assert "Ferry timetable changes for winter" in out and out.endswith("3 documents: 3 ok, 0 problems\n")


def test_a_trickling_server_is_cut_off_at_the_time_limit(server: Server) -> None:
    """Bytes that keep coming, slowly, do not extend the time limit of the whole request."""
    import socket as sockets

    listener = sockets.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    stop = threading.Event()

    def trickle() -> None:
        client, _ = listener.accept()
        client.recv(4096)
        client.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n")
        while not stop.wait(0.05):
            try:
                client.sendall(b" ")
            except OSError:
                break
        client.close()

    thread = threading.Thread(target=trickle, daemon=True)
    thread.start()
    try:
        with pytest.raises(FetchError, match="timed out"):
            fetch(f"http://127.0.0.1:{listener.getsockname()[1]}/feed", timeout=0.5)
    finally:
        stop.set()
        thread.join()
        listener.close()


def test_headers_trickling_in_are_cut_off_at_the_time_limit() -> None:
    """The time limit covers the headers too: a server that sends one header line at a
    time (each well within any per-read timeout) is cut off, not waited for."""
    import socket as sockets

    listener = sockets.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    stop = threading.Event()
    finished: list[bool] = []

    def trickle() -> None:
        client, _ = listener.accept()
        client.recv(4096)
        try:
            client.sendall(b"HTTP/1.1 200 OK\r\n")
            for n in range(30):  # 3 s of headers, then a whole, valid answer
                stop.wait(0.1)
                client.sendall(f"X-Line-{n}: slow\r\n".encode())
            client.sendall(b"Content-Length: " + str(len(RSS)).encode() + b"\r\n\r\n" + RSS)
            finished.append(True)  # every header was taken: the client waited for them all
        except OSError:  # the client hung up meanwhile
            finished.append(False)
        client.close()

    thread = threading.Thread(target=trickle, daemon=True)
    thread.start()
    try:
        with pytest.raises(FetchError, match="timed out"):
            fetch(f"http://127.0.0.1:{listener.getsockname()[1]}/feed", timeout=0.5)
        thread.join()
        assert finished == [False]  # it hung up while the headers were still coming
    finally:
        thread.join()
        listener.close()


@pytest.fixture
def public_server(server: Server, monkeypatch: pytest.MonkeyPatch) -> Server:
    """``server`` taken for a public address (its port says so); names under ``.test``
    resolve to 127.0.0.1; and no connection is ever made to any other address."""
    import socket as sockets

    from reader import fetch as fetching

    port = server.httpd.server_address[1]
    real_kind = fetching.address_kind
    monkeypatch.setattr(fetching, "address_kind", lambda a: fetching.PUBLIC if a[1] == port else real_kind(a))
    real_resolve = fetching.resolve
    server.lookups = []  # type: ignore[attr-defined]

    def resolve(host: str, p: int) -> list[tuple[int, tuple[object, ...]]]:
        server.lookups.append(host)  # type: ignore[attr-defined]
        return [(sockets.AF_INET, ("127.0.0.1", p))] if host.endswith(".test") else real_resolve(host, p)

    monkeypatch.setattr(fetching, "resolve", resolve)
    real_connect = sockets.socket.connect

    def connect(self: sockets.socket, address: object) -> None:
        if not isinstance(address, tuple) or address[0] != "127.0.0.1":
            raise AssertionError(f"the test tried to connect to {address!r}")
        real_connect(self, address)

    monkeypatch.setattr(sockets.socket, "connect", connect)
    return server


def redirect_to(server: Server, location: str) -> str:
    server.bodies = dict(server.bodies)
    path = f"/to/{len(server.requests)}-{abs(hash(location))}"

    original = server.httpd.RequestHandlerClass.do_GET

    def do_get(handler: BaseHTTPRequestHandler) -> None:
        if handler.path == path:
            server.requests.append((path, None, None))
            handler.send_response(302)
            handler.send_header("Location", location)
            handler.send_header("Content-Length", "0")
            handler.end_headers()
        else:
            original(handler)

    server.httpd.RequestHandlerClass.do_GET = do_get  # type: ignore[method-assign]
    return server.url(path)


@pytest.fixture
def internal() -> Iterator[Server]:
    """A second server: an address on this machine (loopback, as it is)."""
    yield from _serving()


def test_a_redirect_from_a_public_address_to_a_private_one_is_refused(
    public_server: Server, internal: Server, lib: Library
) -> None:
    inside = internal.httpd.server_address[1]
    for target, kind in [
        ("http://169.254.169.254/latest/meta-data/", "link-local"),  # the cloud metadata address
        ("http://10.0.0.8/feed.xml", "private"),
        (f"http://127.0.0.1:{inside}/rss", "loopback"),
        ("http://[::1]/feed", "loopback"),
        ("http://0.0.0.0/feed", "loopback"),
        ("http://[::ffff:192.168.1.1]/feed", "private"),
    ]:
        with pytest.raises(FetchError, match=f"refused a redirect from a public address .* is {kind}"):
            fetch(redirect_to(public_server, target))
    # A name is looked up once, and the address it gives is the one checked (and used).
    public_server.lookups.clear()  # type: ignore[attr-defined]
    with pytest.raises(RedirectRefused, match=r"refused a redirect .*intranet\.test \(127\.0\.0\.1 is loopback\)") as caught:
        fetch(redirect_to(public_server, f"http://intranet.test:{inside}/rss"))
    assert (caught.value.came_from, caught.value.host, caught.value.refused) == ("public", "intranet.test", ("127.0.0.1 is loopback",))
    assert public_server.lookups.count("intranet.test") == 1  # type: ignore[attr-defined]
    assert internal.requests == []  # never asked
    # The subscription says why.
    sub = subs.subscribe(lib, redirect_to(public_server, "http://169.254.169.254/"))
    (result,) = subs.refresh(lib)
    assert not result.ok and "169.254.169.254 is link-local" in (subs.subscription(lib, sub.url).error or "")  # type: ignore[union-attr]


def test_redirects_that_stay_public_or_local_are_followed(public_server: Server) -> None:
    port = public_server.httpd.server_address[1]
    # public -> public (a name that resolves to the "public" address)
    got = fetch(redirect_to(public_server, f"http://cdn.test:{port}/rss"))
    assert got.body == RSS and got.url == f"http://cdn.test:{port}/rss"



def test_a_local_feed_may_redirect_locally(internal: Server, public_server: Server) -> None:
    """A feed the user gave as a local address is fetched, and may redirect to another
    local address (loopback to loopback)."""
    inside = internal.httpd.server_address[1]
    got = fetch(redirect_to(internal, f"http://localhost.test:{inside}/rss"))
    assert got.body == RSS and public_server.requests == []


def test_address_kinds() -> None:
    from reader.fetch import LINK_LOCAL, LOOPBACK, PRIVATE, PUBLIC, address_kind

    assert [address_kind((a, 80)) for a in ("93.184.216.34", "2606:2800:220:1::1")] == [PUBLIC, PUBLIC]
    assert [address_kind((a, 80)) for a in ("127.0.0.1", "127.8.9.1", "::1", "0.0.0.0", "::ffff:127.0.0.1")] == [LOOPBACK] * 5
    assert [address_kind((a, 80)) for a in ("169.254.169.254", "fe80::1%eth0", "::ffff:169.254.169.254")] == [LINK_LOCAL] * 3
    assert [address_kind((a, 80)) for a in ("10.1.2.3", "172.16.0.1", "192.168.0.1", "fd00::1", "100.64.0.1")] == [PRIVATE] * 5


# --------------------------------------------------------------------------- copies


RELATIVE = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Relative blog</title>
  <id>tag:relative.example,2024:feed</id>
  <updated>2024-11-05T12:00:00Z</updated>
  <entry>
    <title>Plex</title>
    <link href="2013/01/30/Plex"/>
    <id>tag:relative.example,2024:1</id>
    <updated>2024-11-05T09:15:00Z</updated>
  </entry>
  <entry>
    <title>Rooted</title>
    <link href="/about/"/>
    <id>tag:relative.example,2024:2</id>
    <updated>2024-11-05T09:16:00Z</updated>
  </entry>
</feed>
"""


def urls_of(lib: Library, sub: subs.Subscription) -> set[str | None]:
    rowids = lib.article_rowids(View(ViewKind.FEED, sub.path))
    return {a.url for a in lib.articles(rowids).values()}


def test_relative_links_resolve_against_the_subscriptions_address(server: Server, lib: Library, tmp_path: Path) -> None:
    """A feed without a base of its own: its relative links are resolved against the
    address subscribed, also when its copy is read again (a library rebuilt, say)."""
    server.bodies["/blog/feed.atom"] = RELATIVE
    sub = subs.subscribe(lib, server.url("/blog/feed.atom"))
    (result,) = subs.refresh(lib)
    assert result.ok
    expected = {server.url("/blog/2013/01/30/Plex"), server.url("/about/")}
    assert urls_of(lib, sub) == expected
    lib.close()
    (tmp_path / "data" / "library.sqlite3").unlink()
    with Library(tmp_path / "data") as fresh:
        subs.subscribe(fresh, sub.url)
        subs.sync_copies(fresh)  # nothing fetched: the copy read against the address subscribed
        again = subs.subscription(fresh, sub.url)
        assert again is not None and urls_of(fresh, again) == expected


def changing_redirect(server: Server) -> tuple[str, list[str]]:
    """An address that redirects temporarily (302) to wherever the last of the list says."""
    targets: list[str] = []
    original = server.httpd.RequestHandlerClass.do_GET

    def do_get(handler: BaseHTTPRequestHandler) -> None:
        if handler.path == "/feed":
            server.requests.append(("/feed", None, None))
            handler.send_response(302)
            handler.send_header("Location", targets[-1])
            handler.send_header("Content-Length", "0")
            handler.end_headers()
        else:
            original(handler)

    server.httpd.RequestHandlerClass.do_GET = do_get  # type: ignore[method-assign]
    return server.url("/feed"), targets


@pytest.mark.parametrize("feed", ["relative", "intertwingly"])
def test_where_a_temporary_redirect_leads_changes_no_entry(server: Server, lib: Library, feed: str) -> None:
    """A temporary redirect leads elsewhere from one fetch to the next: the entries keep
    their links, ids and read marks. Sam Ruby's real feed (a relative home-page link, an
    absolute self link) resolves its links against its self link, as node-feedparser's
    test says; a feed without either, against the address subscribed."""
    body = RELATIVE if feed == "relative" else (FEEDS.parent / "feeds-real" / "nodefp-atom-intertwingly-xhtml.atom").read_bytes()
    server.bodies["/a/feed.atom"] = body
    server.bodies["/b/c/feed.atom"] = body.replace(b"</feed>", b"<!-- served from b -->\n</feed>")  # (a new copy)
    url, targets = changing_redirect(server)
    targets.append(server.url("/a/feed.atom"))
    sub = subs.subscribe(lib, url)
    subs.refresh(lib)
    links = urls_of(lib, sub)
    if feed == "intertwingly":
        assert "http://intertwingly.net/blog/2012/07/16/Inhibiting-Suspend" in links and len(links) == 20
    else:
        assert links == {server.url("/2013/01/30/Plex"), server.url("/about/")}
    rowids = lib.article_rowids(View(ViewKind.FEED, sub.path))
    ids = {a.id for a in lib.articles(rowids).values()}
    lib.set_read(sorted(ids))
    targets.append(server.url("/b/c/feed.atom"))
    (result,) = subs.refresh(lib)
    assert result.ok and result.url == url
    again = subs.subscription(lib, url)
    assert again is not None and again.fetched_url == server.url("/b/c/feed.atom")  # (shown in the feed's pane)
    assert urls_of(lib, sub) == links
    assert {a.id for a in lib.articles(lib.article_rowids(View(ViewKind.FEED, sub.path))).values()} == ids
    assert lib.counts().feeds[sub.path].unread == 0


def test_a_feed_that_moved_for_good_resolves_against_its_new_address(server: Server, lib: Library) -> None:
    server.bodies["/blog/feed.atom"] = RELATIVE
    old = server.url("/moved/feed.atom")
    original = server.httpd.RequestHandlerClass.do_GET

    def do_get(handler: BaseHTTPRequestHandler) -> None:
        if handler.path == "/moved/feed.atom":
            handler.send_response(301)
            handler.send_header("Location", "/blog/feed.atom")
            handler.send_header("Content-Length", "0")
            handler.end_headers()
        else:
            original(handler)

    server.httpd.RequestHandlerClass.do_GET = do_get  # type: ignore[method-assign]
    subs.subscribe(lib, old)
    (result,) = subs.refresh(lib)
    assert result.ok and result.url == server.url("/blog/feed.atom")
    sub = subs.subscription(lib, result.url)
    assert sub is not None and urls_of(lib, sub) == {server.url("/blog/2013/01/30/Plex"), server.url("/about/")}


def test_a_damaged_library_rebuilt_reads_the_copies_against_the_address_fetched(server: Server, tmp_path: Path) -> None:
    """The library file of a copied data folder is damaged: the library rebuilt reads the
    stored copy (here, not at the folder it was copied from) as a feed from its address."""
    import random
    import shutil
    import sqlite3

    server.bodies["/blog/feed.atom"] = RELATIVE
    with Library(tmp_path / "data") as lib:
        sub = subs.subscribe(lib, server.url("/blog/feed.atom"))
        subs.refresh(lib)
    expected = {server.url("/blog/2013/01/30/Plex"), server.url("/about/")}
    shutil.copytree(tmp_path / "data", tmp_path / "copy")
    db_file = tmp_path / "copy" / "library.sqlite3"
    db = sqlite3.connect(db_file)
    size = db.execute("PRAGMA page_size").fetchone()[0]
    pages = [p for (p,) in db.execute("SELECT pageno FROM dbstat WHERE name IN ('articles', 'articles_fts_data')")]
    db.close()
    noise = random.Random(3)
    with open(db_file, "r+b") as handle:
        for page in pages:
            handle.seek((page - 1) * size)
            handle.write(bytes(noise.getrandbits(8) for _ in range(size)))
    with Library(tmp_path / "copy") as rebuilt:
        rebuilt.search("plex")  # (finds the damage: the file is rebuilt)
        assert rebuilt.counts().all.total == 2
        assert any("damaged" in w for w in rebuilt.warnings), rebuilt.warnings
        again = subs.subscription(rebuilt, sub.url)
        assert again is not None and urls_of(rebuilt, again) == expected
        paths = [p for a in rebuilt.article_rowids() for p in rebuilt.paths(rebuilt.article(a).id)]  # type: ignore[union-attr]
        assert len(paths) == 2 and all(p.startswith(str(tmp_path / "copy")) for p in paths)


def test_refresh_parses_each_feed_once(server: Server, lib: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    import feedparser

    calls: list[int] = []
    real = feedparser.parse
    monkeypatch.setattr(feedparser, "parse", lambda *a, **k: calls.append(1) or real(*a, **k))
    for path in ("/rss", "/atom"):
        subs.subscribe(lib, server.url(path))
    assert all(r.changed for r in subs.refresh(lib))
    assert len(calls) == 2 and lib.counts().all.total == 5
    server.bodies["/rss"] = RSS.replace(b"Lighthouse open day", b"Lighthouse closed")
    subs.refresh(lib)  # one changed (parsed once), one answered 304 (not parsed)
    assert len(calls) == 3


def test_a_refresh_stopped_between_storing_and_syncing_is_caught_up(
    server: Server, lib: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A refresh killed after the new copy (and its validators) were stored but before the
    library read it: the next refresh, answered 304, brings the library up to date."""
    sub = subs.subscribe(lib, server.url("/rss"))

    def killed(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt  # as abrupt as it gets in-process: nothing after it runs

    with monkeypatch.context() as patch:
        patch.setattr(Library, "sync", killed)
        with pytest.raises(KeyboardInterrupt):
            subs.refresh(lib)
    assert Path(sub.path).exists() and lib.counts().all.total == 0  # stored, not synced
    (again,) = subs.refresh(lib)
    assert again.ok and not again.changed and server.requests[-1][1] is not None  # a 304
    assert lib.counts().feeds[sub.path].total == 3 and lib.counts().all.total == 3
    # Killed between storing the copy and its validators: the server sends the same bytes.
    server.bodies["/rss"] = RSS.replace(b"Lighthouse open day", b"Lighthouse closed")
    with monkeypatch.context() as patch:
        patch.setattr(subs, "_record", lambda *a, **k: None)
        patch.setattr(Library, "sync", killed)
        with pytest.raises(KeyboardInterrupt):
            subs.refresh(lib)
    (third,) = subs.refresh(lib)
    assert third.ok and not third.changed  # the same bytes as the copy
    assert "Lighthouse closed" in {r.title for r in lib.rows(lib.article_rowids()).values()}


def moved_library(tmp_path: Path, server: Server, *, copy: bool) -> tuple[Path, str, str]:
    """A library with a subscription, one entry read, its data folder then moved (or
    copied). Returns the new data folder, the subscription's URL and the read entry's id."""
    import shutil

    with Library(tmp_path / "data") as lib:
        sub = subs.subscribe(lib, server.url("/rss"))
        subs.refresh(lib)
        read_id = lib.search("crossings")[0].row.id
        lib.set_read([read_id])
    (shutil.copytree if copy else shutil.move)(tmp_path / "data", tmp_path / "elsewhere")
    return tmp_path / "elsewhere", sub.url, read_id


@pytest.mark.parametrize("copy", [False, True], ids=["moved", "copied"])
def test_a_data_folder_moved_or_copied_keeps_its_subscriptions(server: Server, tmp_path: Path, copy: bool) -> None:
    from reader.library import make_scope

    data, url, read_id = moved_library(tmp_path, server, copy=copy)
    with Library(data) as lib:
        sub = subs.subscription(lib, url)
        assert sub is not None and sub.path == str(data / "feeds" / Path(sub.path).name)
        subs.sync_copies(lib)  # (the window does it as it starts; a refresh does it too)
        view = View(ViewKind.FEED, sub.path)
        scope = make_scope([subs.feeds_folder(lib)])  # what the window lists
        assert len(lib.article_rowids(view, scope=scope)) == 3
        assert lib.counts(scope).feeds[sub.path] == lib.counts(scope).of(view) == lib.counts(scope).all
        assert lib.counts(scope).all.total == 3 and lib.counts(scope).all.unread == 2 and lib.is_read(read_id)
        assert all(p.startswith(str(data)) for a in lib.article_rowids() for p in lib.paths(lib.article(a).id))  # type: ignore[union-attr]
        (result,) = subs.refresh(lib)  # and the next refresh is conditional, as before
        assert result.ok and not result.changed and len(lib.article_rowids(view, scope=scope)) == 3
    if copy:  # the original is as it was
        with Library(tmp_path / "data") as original:
            sub = subs.subscription(original, url)
            assert sub is not None and sub.path.startswith(str(tmp_path / "data"))
            assert original.counts().feeds[sub.path].total == 3


def test_refresh_list_counts_the_articles_of_a_data_folder_moved(server: Server, tmp_path: Path) -> None:
    import io

    from reader.cli import main

    data, url, _read_id = moved_library(tmp_path, server, copy=False)
    requests = len(server.requests)
    out = io.StringIO()
    assert main(["refresh", "--list", "--data-dir", str(data)], out=out) == 0
    assert out.getvalue().split("\t")[:3] == [url, "Harbour Gazette", "2 unread"]  # 3 entries, 1 read
    assert len(server.requests) == requests  # nothing fetched


def test_a_library_from_before_keeps_its_subscriptions_when_moved(server: Server, tmp_path: Path) -> None:
    """Libraries written before copies were named relative to the data folder (schema 4,
    absolute paths) are upgraded: moved afterwards, they keep their subscriptions."""
    import shutil
    import sqlite3

    with Library(tmp_path / "data") as lib:
        sub = subs.subscribe(lib, server.url("/rss"))
        subs.refresh(lib)
    db = sqlite3.connect(tmp_path / "data" / "library.sqlite3")
    db.executescript(
        f"ALTER TABLE subscriptions DROP COLUMN fetched_url; UPDATE subscriptions SET path = '{sub.path}'; "
        "PRAGMA user_version = 4;"
    )
    db.close()
    shutil.move(tmp_path / "data", tmp_path / "elsewhere")
    with Library(tmp_path / "elsewhere") as lib:
        moved = subs.subscription(lib, sub.url)
        assert moved is not None and moved.path == str(tmp_path / "elsewhere" / "feeds" / Path(sub.path).name)
        subs.sync_copies(lib)
        assert lib.counts().feeds[moved.path].total == 3


def entry_rows(lib: Library) -> list[str]:
    """Every path the library has a row for (files and feed entries)."""
    return [row[0] for row in lib._db.execute("SELECT path FROM files")]


@pytest.mark.parametrize("copy", [False, True], ids=["moved", "copied"])
def test_unsubscribe_in_a_data_folder_moved_or_copied_removes_its_articles(
    server: Server, tmp_path: Path, copy: bool
) -> None:
    """Unsubscribing is the first thing done after the data folder was moved or copied: the
    feed's articles leave with it, though the library had them under the former place."""
    data, url, _read_id = moved_library(tmp_path, server, copy=copy)
    with Library(data) as lib:
        assert subs.unsubscribe(lib, url)
        assert lib.counts().all.total == 0 and lib.search("crossings") == [] and entry_rows(lib) == []
        subs.sync_copies(lib)
        assert subs.refresh(lib) == [] and lib.counts().all.total == 0
    if copy:  # the original keeps its subscription and articles
        with Library(tmp_path / "data") as original:
            assert subs.subscription(original, url) is not None and original.counts().all.total == 3


def test_unsubscribe_removes_the_rows_of_the_copy_at_every_place(server: Server, tmp_path: Path) -> None:
    """A library that has the copy's rows both at its place now and at a former one (as an
    earlier refresh could leave them): unsubscribing removes them all."""
    data, url, _read_id = moved_library(tmp_path, server, copy=True)
    with Library(data) as lib:
        sub = subs.subscription(lib, url)
        assert sub is not None
        lib.sync([sub.path])  # read at its place now, the rows at the former place kept
        assert len(entry_rows(lib)) == 8 and lib.counts().all.total == 3
        assert subs.unsubscribe(lib, url)
        assert lib.counts().all.total == 0 and entry_rows(lib) == []


def test_a_refresh_in_a_data_folder_moved_follows_the_copies_first(server: Server, tmp_path: Path) -> None:
    """The first refresh after a move brings a new copy, from which an entry has left: it
    leaves the library (the rows at the former place were not kept beside the new ones)."""
    data, url, read_id = moved_library(tmp_path, server, copy=False)
    server.bodies["/rss"] = RSS.replace(b"<title>Lighthouse open day</title>", b"<title>Lighthouse closed</title>")
    with Library(data) as lib:
        (result,) = subs.refresh(lib)
        assert result.ok and result.changed
        titles = {r.title for r in lib.rows(lib.article_rowids()).values()}
        assert "Lighthouse closed" in titles and "Lighthouse open day" not in titles and len(titles) == 3
        assert all(p.startswith(str(data)) for p in entry_rows(lib)) and lib.is_read(read_id)


def test_feeds_served_from_one_host_are_not_one_outlet(server: Server, lib: Library) -> None:
    """Two Atom feeds with an id that is no address and no home-page link (as the real
    StarCraft II feed), served from this machine: each entry's outlet is the host it links
    to, not the host the feeds came from."""
    server.bodies["/sc2.atom"] = (FEEDS.parent / "feeds-real" / "chfr-atom-battlenet-xhtml.xml").read_bytes()
    server.bodies["/other.atom"] = ATOM_ID_ONLY
    for path in ("/sc2.atom", "/other.atom"):
        subs.subscribe(lib, server.url(path))
    assert all(r.ok for r in subs.refresh(lib))
    domains = {a.provider.domain for a in lib.articles(lib.article_rowids()).values() if a.provider}
    assert domains == {"us.battle.net", "harbour.example.org"}


ATOM_ID_ONLY = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Harbour notes</title>
  <id>7</id>
  <updated>2024-11-05T12:00:00Z</updated>
  <entry>
    <title>Tides this week</title>
    <link href="https://harbour.example.org/tides"/>
    <id>7-1</id>
    <updated>2024-11-05T09:15:00Z</updated>
  </entry>
</feed>
"""
