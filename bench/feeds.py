#!/usr/bin/env python3
"""How fast feed files are read: parsing generated RSS 2.0, Atom 1.0 and JSON Feed files of
E entries each (feedparser, nh3), then a first and a second sync of a folder of F such
files, then `reader refresh` of the same F files served as subscriptions by a local HTTP
server on 127.0.0.1 (a first refresh into a new library, then one where every feed answers
304), medians of 3 runs interleaved with the folder's. Prints figures; asserts nothing.

    python bench/feeds.py [FILES] [ENTRIES]     # default 60 files of 50 entries
"""

from __future__ import annotations

import contextlib
import io
import json
import statistics
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reader import subscriptions  # noqa: E402
from reader.cli import main as reader_main  # noqa: E402
from reader.feeds import Feed, parse_feed_bytes  # noqa: E402
from reader.library import Library  # noqa: E402

BODY = "<p>Paragraph one of entry {n}, with <b>some</b> markup &amp; an <a href='https://x.example/'>link</a>.</p>" * 4


def rss(feed: int, entries: int) -> bytes:
    items = "".join(
        f"<item><title>Entry {n} of feed {feed}</title><link>https://rss{feed}.example.org/{n}</link>"
        f"<pubDate>Tue, 05 Nov 2024 08:{n % 60:02d}:00 GMT</pubDate><category>Topic {n % 7}</category>"
        f"<description><![CDATA[{BODY.format(n=n)}]]></description></item>"
        for n in range(entries)
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>RSS {feed}</title><link>https://rss{feed}.example.org/</link>{items}</channel></rss>'.encode()


def atom(feed: int, entries: int) -> bytes:
    items = "".join(
        f'<entry><title>Entry {n}</title><link href="https://atom{feed}.example.org/{n}"/><id>tag:a,{n}</id>'
        f'<updated>2024-11-05T08:{n % 60:02d}:00Z</updated><content type="html">{BODY.format(n=n).replace("&", "&amp;").replace("<", "&lt;")}</content></entry>'
        for n in range(entries)
    )
    return f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Atom {feed}</title>{items}</feed>'.encode()


def jsonfeed(feed: int, entries: int) -> bytes:
    items = [
        {"id": str(n), "url": f"https://json{feed}.example.org/{n}", "title": f"Entry {n}",
         "content_html": BODY.format(n=n), "date_published": "2024-11-05T08:00:00Z"}
        for n in range(entries)
    ]  # fmt: skip
    return json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": f"JSON {feed}", "items": items}).encode()


def main(argv: list[str]) -> int:
    files = int(argv[0]) if argv else 60
    entries = int(argv[1]) if len(argv) > 1 else 50
    makers = {"RSS 2.0": rss, "Atom 1.0": atom, "JSON Feed 1.1": jsonfeed}
    print(f"{files} feed files of {entries} entries each")
    for name, make in makers.items():
        data = [make(i, entries) for i in range(max(1, files // 3))]
        start = time.perf_counter()
        count = 0
        for blob in data:
            parsed = parse_feed_bytes(blob, "/bench/feed")
            assert isinstance(parsed, Feed)
            count += len(parsed.articles)
        seconds = time.perf_counter() - start
        print(f"parse {name:14} {count:6,} entries in {seconds:6.2f} s  ({count / seconds:8,.0f} entries/s)")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "feeds"
        folder.mkdir()
        for i in range(files):
            make = list(makers.values())[i % 3]
            (folder / f"feed{i}.xml").write_bytes(make(i, entries))
        with Library(Path(tmp) / "data") as library:
            start = time.perf_counter()
            report = library.sync([folder])
            first = time.perf_counter() - start
            total = library.counts().all.total
            start = time.perf_counter()
            library.sync([folder])
            second = time.perf_counter() - start
        print(f"first sync  {report.files} files, {total:,} articles in {first:6.2f} s ({total / first:8,.0f} articles/s)")
        print(f"second sync (nothing changed) in {second * 1000:6.1f} ms")
        folder_runs, refresh_runs, again_runs = [], [], []
        with _serve(folder) as base:
            for run in range(3):
                with Library(Path(tmp) / f"folder{run}") as library:
                    start = time.perf_counter()
                    library.sync([folder])
                    folder_runs.append(time.perf_counter() - start)
                data_dir = Path(tmp) / f"subscribed{run}"
                with Library(data_dir) as library:
                    for i in range(files):
                        subscriptions.subscribe(library, f"{base}/feed{i}.xml")
                refresh_runs.append(_refresh(data_dir))
                again_runs.append(_refresh(data_dir))
                with Library(data_dir) as library:
                    assert library.counts().all.total == total, "the refresh did not bring every entry"
        folder_s, refresh_s = statistics.median(folder_runs), statistics.median(refresh_runs)
        print(f"folder, first sync            {folder_s:6.2f} s  (median of 3)")
        print(f"reader refresh, first         {refresh_s:6.2f} s  ({refresh_s / folder_s:.2f}x the folder's)")
        print(f"reader refresh, all 304       {statistics.median(again_runs):6.2f} s")
    return 0


def _refresh(data_dir: Path) -> float:
    """Seconds `reader refresh` takes (its output is dropped)."""
    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        code = reader_main(["refresh", "--data-dir", str(data_dir)])
    assert code == 0, "a feed failed"
    return time.perf_counter() - start


@contextlib.contextmanager
def _serve(folder: Path):  # type: ignore[no-untyped-def]
    """The files of ``folder`` over HTTP on 127.0.0.1, with ETags (so a second fetch is a 304)."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802 - the http.server API
            path = folder / self.path.lstrip("/")
            body = path.read_bytes() if path.is_file() else b""
            tag = f'"{len(body)}-{path.stat().st_mtime_ns if body else 0}"'
            if body and self.headers.get("If-None-Match") == tag:
                self.send_response(304)
                self.end_headers()
                return
            self.send_response(200 if body else 404)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("ETag", tag)
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
