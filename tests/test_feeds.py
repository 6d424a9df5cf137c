"""Feed files (reader.feeds): RSS 0.91/1.0/2.0, Atom 0.3/1.0 and JSON Feed 1/1.1 read into
articles, broken and mislabelled feeds, and feed files in the library (many articles per file)."""

from __future__ import annotations

import json
import os
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.article import Kind, Problem
from reader.documents import parse_bytes, parse_path
from reader.feeds import Feed, entry_id, entry_path, feed_of, looks_like_feed, parse_feed_bytes
from reader.feeds_dates import parse_date
from reader.library import Library, View, ViewKind, make_scope

FEEDS = Path(__file__).resolve().parent / "data" / "feeds"
SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def feed(name: str) -> Feed:
    parsed = parse_path(FEEDS / name)
    assert isinstance(parsed, Feed), parsed
    return parsed


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=timezone.utc)  # type: ignore[misc]


# --------------------------------------------------------------------------- formats


def test_rss20_entries_become_articles() -> None:
    parsed = feed("rss20.xml")
    assert parsed.version == "rss20"
    assert parsed.title == "Harbour Gazette"
    ferry, lighthouse, market = parsed.articles
    assert ferry.kind is Kind.NEWS
    assert ferry.title == "Ferry timetable changes for winter"
    assert ferry.url == "https://gazette.example.org/2024/ferry-winter"  # ?utm_source=rss only tracks
    assert ferry.published == utc(2024, 11, 5, 7, 30)
    assert ferry.provider is not None and ferry.provider.name == "Harbour Gazette"
    assert ferry.provider.domain == "gazette.example.org"
    assert ferry.topics == ("Transport", "Harbour")
    assert ferry.language == "en"
    assert ferry.excerpt == "Fewer crossings from December."
    # content:encoded is the body, as text: the script and the tracking pixel are gone.
    assert ferry.body == "The ferry company will run fewer crossings from December.\n\nTickets bought earlier stay valid."
    assert [i.url for i in ferry.images] == [
        "https://gazette.example.org/img/ferry.jpg",
        "https://gazette.example.org/img/ferry-thumb.jpg",
    ]
    assert (ferry.images[1].width, ferry.images[1].height) == (120, 80)
    # An audio enclosure is not an image; an item without a date stays undated.
    assert lighthouse.images == () and lighthouse.published is None
    # Two items with one guid are one article (the first).
    assert market.title == "Fish market moves indoors"
    assert market.url is None
    assert len({a.id for a in parsed.articles}) == 3


def test_ids_are_stable_and_shared_with_documents_of_the_same_url() -> None:
    first, again = feed("rss20.xml"), feed("rss20.xml")
    assert [a.id for a in first.articles] == [a.id for a in again.articles]
    # The link decides the id, tracking parameters aside: a document with that URL is the same article.
    doc = parse_bytes(b"---\ntitle: Ferry\nwebUrl: https://gazette.example.org/2024/ferry-winter\n---\n", "ferry.md")
    assert not isinstance(doc, (Problem, Feed))
    assert doc.id == first.articles[0].id
    # Without a link, the guid within its feed.
    assert first.articles[2].id == entry_id(None, "gazette-1003", "https://gazette.example.org/", "", "")
    assert first.articles[0].path == entry_path(str(FEEDS / "rss20.xml"), first.articles[0].id)
    assert feed_of(first.articles[0].path) == str(FEEDS / "rss20.xml")
    assert feed_of(str(FEEDS / "rss20.xml")) is None


def test_rss091_in_latin1() -> None:
    parsed = feed("rss091.rss")
    assert parsed.version.startswith("rss091")
    assert [a.title for a in parsed.articles] == ["Brücke wird saniert", "Schützenfest"]
    assert parsed.articles[0].body == "Die alte Brücke ist ab Montag gesperrt."
    assert parsed.articles[0].language == "de"
    assert all(a.published is None for a in parsed.articles)


def test_rss10_rdf() -> None:
    (comet,) = feed("rss10.rdf").articles
    assert comet.title == "A comet returns"
    assert comet.published == utc(2024, 11, 3, 5)
    assert comet.topics == ("Astronomy",)
    assert comet.url == "https://science.example.net/notes/comet"


def test_atom10() -> None:
    parsed = feed("atom10.atom")
    assert parsed.version == "atom10"
    assert parsed.title == "Stadsbladet"  # HTML in the title is reduced to text
    library, unlinked = parsed.articles
    assert library.published == utc(2024, 11, 5, 9, 15)  # only <updated>: that date
    assert library.body == "Biblioteket öppnar på lördag.\n\n• Sagostund\n\n• Bokcirkel"
    assert "javascript" not in library.body
    assert library.topics == ("Kultur",)
    assert [i.url for i in library.images] == ["https://stadsbladet.example.se/bild.png"]
    assert library.language == "sv"
    assert unlinked.url is None
    assert unlinked.published == utc(2024, 11, 4, 6)  # <published> wins over <updated>
    assert unlinked.body == "Inlägg utan länk."


def test_atom03() -> None:
    parsed = feed("atom03.xml")
    assert parsed.version == "atom03"
    (hello,) = parsed.articles
    assert hello.title == "Hello from 2003"
    assert hello.published == utc(2003, 12, 13, 12, 29, 29)
    assert hello.url == "http://oldblog.example.com/2003/12/hello"


def test_json_feed_11() -> None:
    parsed = feed("jsonfeed11.json")
    assert parsed.version == "json1"
    snow, note = parsed.articles  # the string among the items is skipped
    assert snow.title == "First snow on the pass"
    assert snow.body == "The pass closed at noon."  # the iframe is gone
    assert snow.published == utc(2024, 11, 2, 11)
    assert snow.topics == ("Weather", "Roads")
    assert [i.url for i in snow.images] == ["https://mountain.example.org/img/snow.jpg"]
    assert snow.provider is not None and snow.provider.name == "Mountain Post"
    # No title: the first line of the text; no date: undated.
    assert note.title == "A note without a title or a date."
    assert note.body == "A note without a title or a date.\nSecond line."
    assert note.published is None
    assert [i.url for i in note.images] == ["https://mountain.example.org/img/map.png"]


def test_json_feed_10() -> None:
    (one,) = feed("jsonfeed10.json").articles
    assert (one.title, one.body, one.published) == ("One", "Just one.", utc(2024, 10, 1))


def test_broken_xml_keeps_what_can_be_read() -> None:
    parsed = feed("broken.xml")
    assert [a.title for a in parsed.articles] == ["Still readable & unescaped", "Second"]
    assert parsed.articles[0].body == "Text with unclosed tags"


def test_wrong_declared_encoding_is_read() -> None:
    (cafe,) = feed("wrong-encoding.xml").articles
    assert cafe.title == "Café re-opens"
    assert cafe.body == "Crème brûlée is back."


@pytest.mark.parametrize(
    ("name", "reason"),
    [("truncated.rss", "broken feed"), ("broken.json", "broken JSON feed")],
)
def test_unreadable_feeds_are_problems(name: str, reason: str) -> None:
    parsed = parse_path(FEEDS / name)
    assert isinstance(parsed, Problem)
    assert parsed.reason.startswith(reason)


def test_recognised_by_content_not_name() -> None:
    assert looks_like_feed(b'<?xml version="1.0"?>\n<!-- hi -->\n<rss version="2.0">')
    assert looks_like_feed(b"\xef\xbb\xbf<feed xmlns='http://www.w3.org/2005/Atom'>")
    assert looks_like_feed(b"<rdf:RDF xmlns:rdf='x'>")
    assert looks_like_feed(b'{"version": "https://jsonfeed.org/version/1.1", "items": []}')
    assert not looks_like_feed(b'{"version": "1.0"}')
    assert not looks_like_feed(b"<html><body>rss</body></html>")
    assert not looks_like_feed(b"---\ntitle: A feed of thoughts\n---\n")
    # A document named .xml that is not a feed is read as before.
    doc = parse_bytes(b"<note>Remember the milk</note>\n", "note.xml")
    assert not isinstance(doc, Feed)


RSS_TEXT = (FEEDS / "rss20.xml").read_text(encoding="utf-8")
PHP_WARNING = (
    "<br />\n<b>Warning</b>:  count(): Parameter must be an array in <b>/srv/www/init.php</b> on line <b>746</b><br />\n"
)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"])
@pytest.mark.parametrize("declared", ["as it is", "none", "UTF-8 (wrong)"])
def test_feeds_in_utf16_and_utf32_are_read(encoding: str, declared: str) -> None:
    """With a byte-order mark (``utf-16``, ``utf-32``) or without, the XML declaration naming
    the encoding, none or a wrong one: the feed of tests/data/feeds/rss20.xml all the same."""
    text = {
        "as it is": RSS_TEXT.replace('encoding="UTF-8"', f'encoding="{encoding.upper()}"'),
        "none": RSS_TEXT.split("?>", 1)[1].lstrip(),
        "UTF-8 (wrong)": RSS_TEXT,
    }[declared]
    data = text.encode(encoding)
    assert looks_like_feed(data)
    parsed = parse_bytes(data, "wide.xml")
    assert isinstance(parsed, Feed) and parsed.title == "Harbour Gazette"
    assert [a.title for a in parsed.articles] == ["Ferry timetable changes for winter", "Lighthouse open day", "Fish market moves indoors"]


@pytest.mark.parametrize(
    "junk", [PHP_WARNING, PHP_WARNING * 3, "\ufeff" + PHP_WARNING, "<b>Notice</b>: Undefined index: page<br />"]
)
@pytest.mark.parametrize("declaration", [True, False])
def test_a_feed_after_a_servers_warning_is_read(junk: str, declaration: bool) -> None:
    """A PHP warning printed before the feed (its XML declaration or its root element)."""
    feed = RSS_TEXT if declaration else RSS_TEXT.split("?>", 1)[1].lstrip()
    data = (junk + feed).encode("utf-8")
    assert looks_like_feed(data)
    parsed = parse_bytes(data, "feed.php")
    assert isinstance(parsed, Feed) and parsed.title == "Harbour Gazette" and len(parsed.articles) == 3


@pytest.mark.parametrize(
    "data",
    [
        b'<!DOCTYPE html>\n<html><body><p>Our feed:</p><rss version="2.0"><channel></channel></rss></body></html>',
        b'<html><head><title>Feeds</title></head><body><pre><?xml version="1.0"?>\n<rss version="2.0"></pre></body></html>',
        b'<head><meta charset="utf-8"><title>Feeds</title></head>\n<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">',
        b'Notes on feeds. A feed starts so:\n<?xml version="1.0"?>\n<rss version="2.0"><channel></channel></rss>\n',
        b'---\ntitle: How feeds work\n---\n<?xml version="1.0"?>\n<rss version="2.0"><channel></channel></rss>\n',
        "Plain text, in UTF-16, about <rss> feeds.".encode("utf-16"),
        '<!DOCTYPE html><html><body><feed xmlns="http://www.w3.org/2005/Atom"></feed></body></html>'.encode("utf-16-le"),
        b"<note>Remember the <feedback> form</note>",
        b'<!-- markdownlint-disable -->\n# How to publish a feed\n\n```xml\n<?xml version="1.0"?>\n<rss version="2.0"><channel>'
        b"<title>Example</title><item><title>Hello world</title></item></channel></rss>\n```\n",
        b'<p align="center"><img src="logo.png" width="120"></p>\n\nOur podcast feed is plain RSS:\n\n    <rss version="2.0">\n'
        b"      <channel><title>Pod</title></channel>\n    </rss>\n",
        b'<br>\nDear editor, please find our feed below.\n<rss version="2.0"><channel><title>Letters</title><item>'
        b"<title>A letter</title></item></channel></rss>\n",
        b"<br />\n<b>Warning</b>: x in <b>/a.php</b> on line <b>1</b><br />\n<!DOCTYPE html><html><body><p>Subscribe to our"
        b' feed:</p><pre>\n<rss version="2.0"><channel><title>Example</title><item><title>An item</title></item></channel>'
        b"</rss></pre></body></html>\n",
    ],
    ids=["html page", "html page quoting a feed", "html head", "plain text", "front matter", "utf-16 text", "utf-16 page", "xml note",
         "markdown note opening with a comment", "readme opening with a logo", "letter opening with a line break",
         "server's warning before a page quoting a feed"],
)
def test_web_pages_and_text_are_not_feeds(data: bytes) -> None:
    assert not looks_like_feed(data)
    assert not isinstance(parse_bytes(data, "page.xml"), Feed)


def test_empty_feed_has_no_articles() -> None:
    parsed = parse_feed_bytes(b"<rss version='2.0'><channel><title>Quiet</title></channel></rss>", "quiet.xml")
    assert isinstance(parsed, Feed) and parsed.articles == () and parsed.title == "Quiet"


# --------------------------------------------------------------------------- in the library


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    news = tmp_path / "News"
    shutil.copytree(SEEDS, news)
    for name in ("rss20.xml", "atom10.atom", "jsonfeed11.json", "truncated.rss"):
        shutil.copy(FEEDS / name, news / name)
    return news


def titles(lib: Library, view: View = View(), **options: object) -> list[str]:
    rows = lib.rows(lib.article_rowids(view, **options))  # type: ignore[arg-type]
    return sorted(row.title for row in rows.values())


def test_a_folder_of_documents_and_feeds(folder: Path, tmp_path: Path) -> None:
    with Library(tmp_path / "data") as lib:
        report = lib.sync([folder])
        assert report.files == len(list(SEEDS.iterdir())) + 4
        assert report.problems == 1  # the truncated feed
        all_titles = titles(lib)
        assert len(all_titles) == len(list(SEEDS.iterdir())) + 3 + 2 + 2
        assert "Ferry timetable changes for winter" in all_titles
        assert "Nytt bibliotek invigs" in all_titles
        counts = lib.counts(make_scope([folder]))
        assert counts.sources["Harbour Gazette"].total == 3
        assert counts.topics["Transport"].total == 1
        assert counts.languages["sv"].total == 3  # the two entries of the Swedish feed and the Swedish seed
        hits = lib.search("crossings")
        assert [h.row.title for h in hits] == ["Ferry timetable changes for winter"]
        # The scope of one feed file is its entries.
        assert titles(lib, scope=make_scope([folder / "atom10.atom"])) == ["Nytt bibliotek invigs", "Utan länk"]
        ferry = lib.article(hits[0].row.id)
        assert ferry is not None and ferry.topics == ("Transport", "Harbour")
        assert lib.paths(ferry.id) == [entry_path(str(folder / "rss20.xml"), ferry.id)]
        # A second sync reads nothing again and keeps every entry.
        again = lib.sync([folder])
        assert again.parsed == 0 and titles(lib) == all_titles


def test_feed_changes_reach_the_library(folder: Path, tmp_path: Path) -> None:
    path = folder / "rss20.xml"
    with Library(tmp_path / "data") as lib:
        lib.sync([folder])
        ferry = lib.search("crossings")[0].row
        lib.set_read([ferry.id])
        # An entry leaves the feed; the others stay with their marks.
        text = path.read_text(encoding="utf-8")
        start = text.index("<item>\n      <title>Lighthouse")
        path.write_text(text[:start] + text[text.index("</item>", start) + len("</item>") :], encoding="utf-8")
        os.utime(path, ns=(1, 1))
        lib.sync_changes([path], [folder])
        assert "Lighthouse open day" not in titles(lib)
        assert lib.is_read(ferry.id)
        assert lib.counts().sources["Harbour Gazette"].total == 2
        # The feed breaks: its entries leave and it is listed as a problem.
        path.write_bytes(b"<rss version='2.0'><channel><item><title>")
        lib.sync_changes([path], [folder])
        assert "Ferry timetable changes for winter" not in titles(lib)
        assert str(path) in [p.path for p in lib.problems()]
        # It is removed: nothing of it stays.
        path.unlink()
        lib.sync_changes([path], [folder])
        assert all(not p.startswith(str(path)) for p in (q.path for q in lib.problems()))
        assert lib.counts().sources.get("Harbour Gazette") is None


def test_a_document_and_a_feed_entry_with_one_url_are_one_article(folder: Path, tmp_path: Path) -> None:
    doc = folder / "ferry.md"
    doc.write_text("---\ntitle: Ferry (document)\nwebUrl: https://gazette.example.org/2024/ferry-winter\n---\nText.\n")
    with Library(tmp_path / "data") as lib:
        lib.sync([folder])
        ids = [r.id for r in lib.rows(lib.article_rowids()).values() if r.title.startswith("Ferry")]
        assert len(ids) == 1
        doc.unlink()
        lib.sync_changes([doc], [folder])  # the feed still carries it: read again from the feed
        article = lib.article(ids[0])
        assert article is not None and article.title == "Ferry timetable changes for winter"


def test_views_over_feed_entries(folder: Path, tmp_path: Path) -> None:
    with Library(tmp_path / "data") as lib:
        lib.sync([folder])
        assert titles(lib, View(ViewKind.SOURCE, "Mountain Post")) == [
            "A note without a title or a date.",
            "First snow on the pass",
        ]
        assert titles(lib, View(ViewKind.TOPIC, "Weather")) == ["First snow on the pass"]


# --------------------------------------------------------------------------- as publishers mean them


def parsed_feed(data: bytes, base_url: str | None = None) -> Feed:
    assert looks_like_feed(data)
    parsed = parse_feed_bytes(data, "/f/feed", base_url=base_url)
    assert isinstance(parsed, Feed), parsed
    return parsed


def rss(items: str, channel: str = "<title>C</title><link>https://c.example/</link>") -> bytes:
    return f'<?xml version="1.0"?><rss version="2.0"><channel>{channel}{items}</channel></rss>'.encode()


def atom(entries: str, head: str = "<title>A</title>", base: str = "") -> bytes:
    xml_base = f' xml:base="{base}"' if base else ""
    return f'<feed xmlns="http://www.w3.org/2005/Atom"{xml_base}>{head}{entries}</feed>'.encode()


def test_json_feed_with_escaped_slashes_or_a_late_version_is_a_feed() -> None:
    escaped = (
        b'{"version":"https:\\/\\/jsonfeed.org\\/version\\/1","title":"T",'
        b'"items":[{"id":"1","url":"https:\\/\\/e.example\\/1","title":"A"}]}'
    )
    (one,) = parsed_feed(escaped).articles
    assert (one.title, one.url) == ("A", "https://e.example/1")
    late = json.dumps({"title": "T", "description": "x" * 5000, "items": [{"id": "1", "title": "B"}],
                       "version": "https://jsonfeed.org/version/1.1"}).encode()  # fmt: skip
    assert [a.title for a in parsed_feed(late).articles] == ["B"]


def test_json_feed_version_over_http() -> None:
    data = b'{"version":"http://jsonfeed.org/version/1","title":"T","items":[{"id":"1","title":"C"}]}'
    assert [a.title for a in parsed_feed(data).articles] == ["C"]


def test_entries_with_one_page_and_different_anchors_or_guids_stay_apart() -> None:
    anchors = "".join(
        f"<item><title>Post {n}</title><link>https://b.example/day.html#a{n}</link><guid>g{n}</guid></item>"
        for n in range(1, 8)
    )
    shared = (
        "<item><title>Sponsor</title><link>https://shop.example/p</link><guid>s1</guid></item>"
        "<item><title>Review</title><link>https://shop.example/p</link><guid>s2</guid></item>"
    )
    parsed = parsed_feed(rss(anchors + shared))
    assert [a.title for a in parsed.articles] == [f"Post {n}" for n in range(1, 8)] + ["Sponsor", "Review"]
    assert len({a.id for a in parsed.articles}) == 9
    assert parsed.articles[0].url == "https://b.example/day.html#a1"
    # A repeated guid is still one entry; without guids, link (with fragment) and title decide.
    repeated = parsed_feed(rss(shared + shared.replace("Sponsor", "Sponsor again")))
    assert [a.title for a in repeated.articles] == ["Sponsor", "Review"]
    unguided = parsed_feed(rss(
        "<item><title>X</title><link>https://b.example/p#1</link></item>"
        "<item><title>X</title><link>https://b.example/p#1</link></item>"
        "<item><title>X</title><link>https://b.example/p#2</link></item>"
    ))  # fmt: skip
    assert len(unguided.articles) == 2
    # An entry whose page no other entry links keeps the id a document of that URL has.
    doc = parse_bytes(b"---\ntitle: Page\nwebUrl: https://solo.example/p\n---\n", "p.md")
    solo = parsed_feed(rss(shared + "<item><title>Solo</title><link>https://solo.example/p</link><guid>x</guid></item>"))
    assert not isinstance(doc, (Problem, Feed)) and solo.articles[-1].id == doc.id


def test_an_empty_href_is_no_link() -> None:
    data = atom(
        '<entry><title>One</title><link rel="alternate" href=""/><id>tag:1</id></entry>'
        '<entry><title>Two</title><link rel="alternate" href=""/><id>tag:2</id></entry>',
        head='<title>A</title><link rel="alternate" href=""/>',
        base="https://a.example/blog/",
    )
    parsed = parsed_feed(data)
    assert parsed.link is None
    assert [(a.title, a.url) for a in parsed.articles] == [("One", None), ("Two", None)]


def test_relative_links_resolve_against_xml_base_then_the_feed_then_the_fetched_address() -> None:
    entry = '<entry><title>Plex</title><link href="/blog/2013/01/30/Plex"/><id>tag:p</id></entry>'
    self_only = atom(entry, head='<title>J</title><link rel="self" href="https://j.example/feed.xml"/>')
    assert parsed_feed(self_only).articles[0].url == "https://j.example/blog/2013/01/30/Plex"
    based = atom(entry, head='<title>J</title><link rel="self" href="https://j.example/feed.xml"/>',
                 base="https://base.example/")  # fmt: skip
    assert parsed_feed(based).articles[0].url == "https://base.example/blog/2013/01/30/Plex"
    # Jekyll's default feed: every link relative, even its own.
    jekyll = atom(entry, head='<title>J</title><link rel="self" href="/feed.xml"/><link rel="alternate" href="/"/>')
    assert parsed_feed(jekyll).articles[0].url is None
    fetched = parsed_feed(jekyll, base_url="https://site.example/feed.xml")
    assert fetched.link == "https://site.example/"
    assert fetched.articles[0].url == "https://site.example/blog/2013/01/30/Plex"
    relative_rss = rss("<item><title>R</title><link>news/r.html</link></item>", channel="<title>C</title>")
    assert parsed_feed(relative_rss, base_url="http://r.example/feeds/all.rss").articles[0].url == (
        "http://r.example/feeds/news/r.html"
    )
    images = rss('<item><title>I</title><link>/i</link><enclosure url="/a.jpg" type="image/jpeg"/></item>')
    assert [i.url for i in parsed_feed(images).articles[0].images] == ["https://c.example/a.jpg"]


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2020/1/10 14:33:00", utc(2020, 1, 10, 14, 33)),
        ("Sat, 07 Sep 2002 09:42:31 GMT", utc(2002, 9, 7, 9, 42, 31)),
        ("Fr, 06 Jan 2017 10:00:00 +0100", utc(2017, 1, 6, 9)),  # a German weekday
        ("07 Jan 2017 17:12:53 +0300", utc(2017, 1, 7, 14, 12, 53)),
        ("Thu, 07 Dec 17 10:00:29 -0800", utc(2017, 12, 7, 18, 0, 29)),
        ("Fri,  7 Apr 2006 00:00:00 EST", utc(2006, 4, 7, 5)),
        ("2020-03-27 15:45:23", utc(2020, 3, 27, 15, 45, 23)),  # no zone: UTC
        ("2022-09-10", utc(2022, 9, 10)),
        ("2019-05-18 10:58:46 +0300", utc(2019, 5, 18, 7, 58, 46)),
        ("2016-03-02T12:00:00.123-05:00", utc(2016, 3, 2, 17, 0)),
        ("January 5, 2020 10:00", utc(2020, 1, 5, 10)),
        ("03/04/2020", None),  # March or April: not read
        ("2020-02-30T10:00:00Z", None),
        ("Mon, 01 Jan 2020 10:00:00 XYZ", None),  # a zone nobody knows
        ("yesterday", None),
    ],
)
def test_dates_are_read_strictly_or_not_at_all(written: str, expected: datetime | None) -> None:
    assert parse_date(written) == expected
    item = rss(f"<item><title>D</title><link>https://d.example/1</link><pubDate>{written}</pubDate></item>")
    assert parsed_feed(item).articles[0].published == expected


def test_plain_text_titles_keep_what_looks_like_a_tag() -> None:
    data = b'{"version":"https://jsonfeed.org/version/1","items":[{"id":"1","title":"Die R\\u00fcckkehr von <i> und <b>"}]}'
    assert parsed_feed(data).articles[0].title == "Die Rückkehr von <i> und <b>"
    plain = atom('<entry><title type="text">Why &lt;blink&gt; died</title><id>tag:b</id></entry>')
    assert parsed_feed(plain).articles[0].title == "Why <blink> died"
    marked = atom('<entry><title type="html">Why &lt;b&gt;bold&lt;/b&gt; won</title><id>tag:c</id></entry>')
    assert parsed_feed(marked).articles[0].title == "Why bold won"
    escaped_twice = rss("<item><title>Rock &amp;amp; Roll</title><link>https://d.example/r</link></item>")
    assert parsed_feed(escaped_twice).articles[0].title == "Rock & Roll"


def test_an_alternate_link_that_is_not_html_is_the_link() -> None:
    data = atom(
        '<entry><title>Paper</title><link rel="alternate" type="application/pdf" href="https://p.example/a.pdf"/>'
        "<id>https://p.example/ids/1</id></entry>"
        '<entry><title>Id only</title><id>https://p.example/ids/2</id></entry>'
    )
    paper, id_only = parsed_feed(data).articles
    assert paper.url == "https://p.example/a.pdf"
    assert id_only.url is None  # an Atom id is a name, not a link


def test_media_content_without_type_is_an_image_by_its_address_or_size() -> None:
    ns = 'xmlns:media="http://search.yahoo.com/mrss/"'
    data = (
        f'<rss version="2.0" {ns}><channel><title>N</title><item><title>M</title><link>https://n.example/m</link>'
        '<media:content url="https://n.example/a.jpg"/>'
        '<media:content url="https://n.example/photo?id=2" width="460" height="300"/>'
        '<media:content url="https://n.example/v.mp4" type="video/mp4" width="640"/>'
        '<media:content url="https://n.example/clip" medium="video"/>'
        "</item></channel></rss>"
    ).encode()
    images = parsed_feed(data).articles[0].images
    assert [(i.url, i.width) for i in images] == [("https://n.example/a.jpg", None), ("https://n.example/photo?id=2", 460)]


ENGLISH = (
    "The city council voted on Tuesday to extend the harbour promenade by two kilometres, "
    "after a long debate about the cost of the work and the noise it will bring to the "
    "people who live along the water. Construction is expected to start in the spring."
)
SWEDISH = (
    "Kommunfullmäktige röstade på tisdagen för att förlänga strandpromenaden med två "
    "kilometer, efter en lång debatt om vad arbetet kostar och om bullret det kommer att "
    "föra med sig för dem som bor längs vattnet. Bygget väntas börja till våren."
)


def test_entries_get_a_language_from_their_text() -> None:
    items = (
        f"<item><title>Promenade</title><link>https://l.example/1</link><description>{ENGLISH}</description></item>"
        f"<item><title>Strandpromenaden</title><link>https://l.example/2</link><description>{SWEDISH}</description></item>"
    )
    english, swedish = parsed_feed(rss(items)).articles
    assert (english.language, swedish.language) == ("en", "sv")
    # A language the feed declares is kept.
    declared = parsed_feed(rss(items, channel="<title>C</title><language>de-DE</language>")).articles
    assert [a.language for a in declared] == ["de", "de"]
    json_feed = json.dumps({"version": "https://jsonfeed.org/version/1.1",
                            "items": [{"id": "1", "title": "S", "content_text": SWEDISH}]}).encode()  # fmt: skip
    assert parsed_feed(json_feed).articles[0].language == "sv"


def test_entries_in_the_library_have_their_language(tmp_path: Path) -> None:
    folder = tmp_path / "News"
    folder.mkdir()
    (folder / "feed.xml").write_bytes(rss(
        f"<item><title>Promenade</title><link>https://l.example/1</link><description>{ENGLISH}</description></item>"
        f"<item><title>Strandpromenaden</title><link>https://l.example/2</link><description>{SWEDISH}</description></item>"
    ))  # fmt: skip
    with Library(tmp_path / "data") as lib:
        lib.sync([folder])
        languages = lib.counts(make_scope([folder])).languages
        assert (languages["en"].total, languages["sv"].total) == (1, 1)


def test_the_summary_that_starts_the_text_shows_once_and_links_lose_tracking() -> None:
    content = "<p>The ferry company will run fewer crossings from December on.</p><p>Tickets stay valid.</p>"
    item = (
        "<item><title>Ferry</title><link>https://g.example/f?id=3&amp;utm_source=rss&amp;utm_medium=feed</link>"
        "<description>The ferry company will run fewer crossings from December [&#8230;]</description>"
        f"<content:encoded><![CDATA[{content}]]></content:encoded></item>"
    )
    data = rss(item).replace(b'version="2.0"', b'version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"')
    (ferry,) = parsed_feed(data).articles
    assert ferry.excerpt is None
    assert ferry.body == "The ferry company will run fewer crossings from December on.\n\nTickets stay valid."
    assert ferry.url == "https://g.example/f?id=3"
    other = data.replace(b"The ferry company will run fewer crossings from December [", b"Fewer crossings. [")
    assert parsed_feed(other).articles[0].excerpt == "Fewer crossings. […]"


def test_headings_and_preformatted_text_keep_their_shape() -> None:
    content = (
        "Intro<h2>How to</h2><p>Run this:</p>"
        "<pre><code>def main():\n    print('hi')\n\n    return 0</code></pre><p>Done.</p>"
    )
    data = json.dumps({"version": "https://jsonfeed.org/version/1",
                       "items": [{"id": "1", "title": "Code", "content_html": content}]}).encode()  # fmt: skip
    body = parsed_feed(data).articles[0].body
    assert body == "Intro\n\nHow to\n\nRun this:\n\ndef main():\n    print('hi')\n    return 0\n\nDone."


def test_a_feed_with_an_inline_dtd_is_a_feed_and_external_entities_read_nothing(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    data = (
        f'<?xml version="1.0"?>\n<!DOCTYPE rss [\n  <!ENTITY site "Harbour">\n'
        f'  <!ENTITY leak SYSTEM "file://{secret}">\n]>\n'
        '<rss version="2.0"><channel><title>&site; News</title>'
        "<item><title>Tide &leak; tables</title><link>https://h.example/t</link></item></channel></rss>"
    ).encode()
    assert looks_like_feed(data)
    parsed = parse_bytes(data, "dtd.xml")
    assert isinstance(parsed, Feed)
    (tide,) = parsed.articles
    assert "TOP-SECRET" not in tide.title and tide.title.startswith("Tide")
    assert parsed.title == "Harbour News"


def test_text_passed_through_windows_1252_is_put_right() -> None:
    # What such feeds hold: each UTF-8 byte read as Windows-1252 (bytes it lacks kept as Latin-1).
    mojibake = "".join(
        bytes([b]).decode("cp1252") if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D) else chr(b)
        for b in "В Москве сильный мороз".encode()
    )
    assert mojibake.startswith("Ð’ ÐœÐ¾Ñ\x81ÐºÐ²Ðµ")
    item = rss(f"<item><title>{mojibake}</title><link>https://y.example/1</link></item>")
    assert parsed_feed(item).articles[0].title == "В Москве сильный мороз"
    untouched = rss("<item><title>Über naïve “quotes”, São Paulo — Ñandú</title><link>https://y.example/2</link></item>")
    assert parsed_feed(untouched).articles[0].title == "Über naïve “quotes”, São Paulo — Ñandú"


def test_a_no_break_space_passed_through_windows_1252_leaves_no_stray_letter() -> None:
    """U+00A0 as UTF-8 read as Windows-1252 is "Â" and a no-break space: inside a title it
    is a space again, and at its end (where feeds trim it) nothing; a real "Â" stays."""
    nbsp = "\u00c2\u00a0"
    items = (f"<item><title>Fort Lauderdale airport{nbsp}</title><link>https://z.example/1</link></item>"
             f"<item><title>Podcast Hosting Platforms of 2023{nbsp}– Review</title><link>https://z.example/2</link></item>"
             "<item><title>ÂGE D'OR: Âme et âme</title><link>https://z.example/3</link></item>")
    assert [a.title for a in parsed_feed(rss(items)).articles] == [
        "Fort Lauderdale airport", "Podcast Hosting Platforms of 2023 – Review", "ÂGE D'OR: Âme et âme"]


def test_elements_a_browser_never_shows_as_text_are_dropped_with_what_they_hold() -> None:
    """What frames, scripts' and plug-ins' stand-ins, templates and media fallbacks hold is no
    text of the entry; an ``<object>``'s fallback is (browsers show it without the plug-in)."""
    hidden = (
        "<iframe src='https://v.example/'><a href='https://v.example/a'>Album</a></iframe>",
        "<noscript><img src='https://i.example/1.jpg'><p>Enable scripts</p></noscript>",
        "<noembed><b>No embed</b></noembed>", "<noframes><b>No frames</b></noframes>",
        "<template><p>Template</p></template>", "<title>Page title</title>",
        "<video src='v.mp4'>Your browser cannot play <b>video</b></video>",
        "<audio src='a.mp3'>Your browser cannot play audio</audio>", "<canvas>Chart</canvas>",
        "<datalist><option>Choice</option></datalist>", "<script>alert(1)</script>", "<style>p {}</style>",
    )
    for markup in hidden:
        html = f"<p>Before.</p>{markup}<p>After.</p>".replace("&", "&amp;").replace("<", "&lt;")
        item = rss(f"<item><title>T</title><link>https://h.example/1</link><description>{html}</description></item>")
        assert parsed_feed(item).articles[0].body == "Before.\n\nAfter.", markup
    shown = "<p>Before.</p><object data='m.swf'><param name='q' value='1'>Download the <b>talk</b></object>"
    item = rss(f"<item><title>T</title><link>https://h.example/2</link><description><![CDATA[{shown}]]></description></item>")
    assert parsed_feed(item).articles[0].body == "Before.\n\nDownload the talk"


def test_json_feed_html_quoting_markup_on_purpose_stays_quoted() -> None:
    """Only ``content_html`` with no tag of its own that is wholly markup once read is read once
    more; markup quoted in real HTML, in text that is not wholly markup, or in ``content_text``
    too is text."""
    items = [
        {"id": "1", "title": "A", "content_html": "<p>Write</p><pre>&lt;p&gt;Hi&lt;/p&gt;</pre>"},
        {"id": "2", "title": "B", "content_html": "&lt;div&gt; is a block element"},
        {"id": "3", "title": "C", "content_html": "&lt;b&gt;Bold&lt;/b&gt;", "content_text": "<b>Bold</b>"},
        {"id": "4", "title": "D", "content_html": "&lt;p&gt;One&lt;/p&gt;&lt;p&gt;Two &amp;amp; three&lt;/p&gt;", "content_text": "One\n\nTwo & three"},
    ]
    data = json.dumps({"version": "https://jsonfeed.org/version/1.1", "items": items}).encode()
    assert [a.body for a in parsed_feed(data).articles] == [
        "Write\n\n<p>Hi</p>", "<div> is a block element", "<b>Bold</b>", "One\n\nTwo & three"]


def test_a_guid_that_is_not_an_address_is_no_link() -> None:
    item = rss("<item><title>Episode</title><guid>efb004f1-bbfc-4d95-832d-56a11e0b0095</guid></item>")
    assert parsed_feed(item).articles[0].url is None
    permalink = rss("<item><title>Episode</title><guid>https://p.example/ep/1</guid></item>")
    assert parsed_feed(permalink).articles[0].url == "https://p.example/ep/1"


def test_entries_without_a_title_are_named_by_their_text_or_link() -> None:
    items = (
        "<item><link>https://t.example/post/1</link><description>&lt;iframe src='https://v.example/'&gt;&lt;/iframe&gt;</description></item>"
        "<item><link>https://t.example/post/2</link><description>Octopus riding a shark.</description></item>"
    )
    video, text = parsed_feed(rss(items)).articles
    assert video.title == "t.example/post/1"
    assert text.title == "Octopus riding a shark."


def test_entries_of_one_text_on_different_days_stay_apart() -> None:
    items = "".join(
        f"<item><title>Fresh Start</title><description>Same.</description><pubDate>0{d} Mar 2023 00:00:00 GMT</pubDate></item>"
        for d in (1, 2)
    ) + "<item><title>Fresh Start</title><description>Same.</description><pubDate>01 Mar 2023 00:00:00 GMT</pubDate></item>"
    parsed = parsed_feed(rss(items))
    assert [a.published for a in parsed.articles] == [utc(2023, 3, 1), utc(2023, 3, 2)]
    assert len({a.id for a in parsed.articles}) == 2


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_reading_a_date_never_raises_and_gives_utc(text: str) -> None:
    moment = parse_date(text)
    assert moment is None or moment.utcoffset() == timedelta(0)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200), st.sampled_from(["", "https://b.example/feed/", "not a url"]))
def test_parsing_a_feed_never_fails_on_junk(junk: str, base_url: str) -> None:
    for data in (
        rss(f"<item><title>{junk}</title><link>{junk}</link><pubDate>{junk}</pubDate></item>").replace(b"\0", b""),
        json.dumps({"version": "https://jsonfeed.org/version/1", "items": [{"id": junk, "title": junk, "url": junk}]}).encode(),
    ):
        parsed = parse_feed_bytes(data, "/f", base_url=base_url or None)
        # A Problem is fine for broken XML; "could not be read" would be a bug caught.
        assert isinstance(parsed, Feed) or not parsed.reason.startswith("feed could not be read"), parsed


def test_a_relative_home_page_link_resolves_against_the_self_link() -> None:
    """Sam Ruby's real feed: a relative home-page link ("/blog/"), an absolute self link.
    node-feedparser's test (test/xmlbase.js) resolves the feed's link to
    http://intertwingly.net/blog/; wherever the feed was fetched from, so do its entries."""
    data = (FEEDS.parent / "feeds-real" / "nodefp-atom-intertwingly-xhtml.atom").read_bytes()
    seen = []
    for base in (None, "http://127.0.0.2:8080/feed.atom", "https://mirror.example.net/x/y.atom"):
        feed = parse_feed_bytes(data, "sam.atom", base_url=base)
        assert isinstance(feed, Feed) and feed.link == "http://intertwingly.net/blog/"
        seen.append([(a.id, a.url) for a in feed.articles])
    assert seen[0] == seen[1] == seen[2] and seen[0][0][1] == "http://intertwingly.net/blog/2012/07/16/Inhibiting-Suspend"


def test_an_atom_feeds_id_is_never_its_link() -> None:
    """The real StarCraft II feed: ``<id>3</id>`` and no feed ``<link>``. Wherever it was
    fetched from, it has no home page, and each entry's outlet is the host it links to."""
    data = (FEEDS.parent / "feeds-real" / "chfr-atom-battlenet-xhtml.xml").read_bytes()
    seen = []
    for base in (None, "https://feeds.example-cdn.net/blizzard/sc2.xml", "http://127.0.0.1:8080/x.atom"):
        feed = parse_feed_bytes(data, "sc2.xml", base_url=base)
        assert isinstance(feed, Feed) and feed.link is None and len(feed.articles) == 11
        assert {a.provider.domain for a in feed.articles if a.provider} == {"us.battle.net"}
        seen.append([a.id for a in feed.articles])
    assert seen[0] == seen[1] == seen[2]
    # An Atom feed whose id is an address, with a self link only (USGS): no home page either.
    usgs = parse_feed_bytes((FEEDS.parent / "feeds-real" / "rome-atom-usgs-earthquakes-self-only.xml").read_bytes(), "q.atom")
    assert isinstance(usgs, Feed) and usgs.link is None


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-32-be"])
def test_a_json_feed_in_utf16_or_utf32_is_read(encoding: str) -> None:
    """JSON text may be UTF-16 or UTF-32 too (RFC 8259 before 2017 allowed them): read as the
    same feed in UTF-8."""
    text = (FEEDS / "jsonfeed11.json").read_text(encoding="utf-8")
    assert looks_like_feed(text.encode(encoding))
    wide, plain = parse_feed_bytes(text.encode(encoding), "wide.json"), parse_feed_bytes(text.encode("utf-8"), "wide.json")
    assert isinstance(plain, Feed) and plain.articles
    assert isinstance(wide, Feed) and [a.title for a in wide.articles] == [a.title for a in plain.articles]


def test_feed_topics_and_title_have_one_unicode_spelling() -> None:
    nfc, nfd = "Caf\u00e9", "Cafe\u0301"
    rss = (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{nfd} Wire</title>'
        "<link>https://wire.example/</link><item><title>One</title><link>https://wire.example/1</link>"
        f"<category>{nfd}</category><category>{nfc}</category></item></channel></rss>"
    ).encode()
    feed = parse_feed_bytes(rss, "wire.xml")
    assert isinstance(feed, Feed)
    (article,) = feed.articles
    assert article.topics == (nfc,) and article.provider is not None and article.provider.name == f"{nfc} Wire"
