"""Subscriptions (reader.subscriptions, reader.fetch): fetched from a local HTTP server on
127.0.0.1 that the tests start -- conditional GET and 304, redirects and their limit, http
and https only, oversize bodies, a server that stalls, errors kept per feed -- and OPML."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from reader import subscriptions as subs
from reader.fetch import FetchError, fetch
from reader.library import Library, View, ViewKind

FEEDS = Path(__file__).resolve().parent / "data" / "feeds"
RSS = (FEEDS / "rss20.xml").read_bytes()
ATOM = (FEEDS / "atom10.atom").read_bytes()


class Server:
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

        class Quiet(ThreadingHTTPServer):
            block_on_close = False

            def handle_error(self, request: object, client_address: object) -> None:
                pass  # a client that hangs up on an oversize body is expected here

        self.httpd = Quiet(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return self.base + path


@pytest.fixture
def server() -> Iterator[Server]:
    served = Server()
    served.thread.start()
    yield served
    served.release.set()
    served.httpd.shutdown()
    served.httpd.server_close()


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
    for url in ("file:///etc/passwd", "ftp://example.com/feed", "javascript:alert(1)", "feed.xml"):
        with pytest.raises(FetchError, match="only http and https"):
            fetch(url)
    with pytest.raises(FetchError, match="only http and https"):
        fetch(server.url("/to-ftp"))  # not by a redirect either
    assert [r[0] for r in server.requests] == ["/to-ftp"]


def test_oversize_bodies_are_refused(server: Server) -> None:
    with pytest.raises(FetchError, match="too large: 300005 bytes"):
        fetch(server.url("/big"), max_bytes=100_000)
    with pytest.raises(FetchError, match="too large: more than 100000 bytes"):
        fetch(server.url("/big-unsized"), max_bytes=100_000)


def test_a_stalling_server_times_out(server: Server) -> None:
    with pytest.raises(FetchError, match="timed out"):
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
    with pytest.raises(FetchError, match="closed before the whole feed arrived"):
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
    added, skipped = subs.import_opml(lib, OPML)
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
