#!/usr/bin/env python3
"""How fast feed files are read: parsing generated RSS 2.0, Atom 1.0 and JSON Feed files of
E entries each (feedparser, nh3), then a first and a second sync of a folder of F such
files. Prints figures; asserts nothing.

    python bench/feeds.py [FILES] [ENTRIES]     # default 60 files of 50 entries
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

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
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
