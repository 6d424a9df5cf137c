"""Feed files (reader.feeds): RSS 0.91/1.0/2.0, Atom 0.3/1.0 and JSON Feed 1/1.1 read into
articles, broken and mislabelled feeds, and feed files in the library (many articles per file)."""

from __future__ import annotations

import os
import shutil
from datetime import datetime, timezone
from pathlib import Path

import pytest

from reader.article import Kind, Problem
from reader.documents import parse_bytes, parse_path
from reader.feeds import Feed, entry_id, entry_path, feed_of, looks_like_feed, parse_feed_bytes
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
