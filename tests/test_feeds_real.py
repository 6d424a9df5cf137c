"""Real feeds from other projects' public test data (tests/data/feeds-real, SOURCE.md there),
each held to expectations written from reading the file or from its source project's own
tests (EXPECTATIONS.json there, every expectation saying where it came from): entry count,
and the title, link and date of sample entries. ``python bench/feeds_real.py`` prints the
score line. Every file is also read the ways a user gets it: from a folder holding it, and
subscribed to from a local web server (127.0.0.1)."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from datetime import datetime
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest
from scripts import REPO_DIR, load_script

from reader import subscriptions as subs
from reader.feeds import Feed, parse_feed_bytes
from reader.library import Library, View, ViewKind
from reader.urls import strip_tracking
from tests.page_server import LocalServer, serve

FEEDS_REAL = load_script(REPO_DIR / "bench" / "feeds_real.py")
EXPECTED = FEEDS_REAL.expectations()
DATA: Path = FEEDS_REAL.DATA


def test_every_file_has_expectations_with_their_source() -> None:
    files = {p.name for p in DATA.iterdir() if p.name not in ("SOURCE.md", "EXPECTATIONS.json")}
    assert len(files) == 68
    assert files == set(EXPECTED)
    for name, expected in EXPECTED.items():
        assert expected["count_source"], name
        assert len(expected["entries"]) >= 1, name
        assert all(entry["source"] for entry in expected["entries"]), name
    # Every file is listed in SOURCE.md with its licence.
    source = (DATA / "SOURCE.md").read_text(encoding="utf-8")
    assert all(f"| {name} |" in source for name in files)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_real_feed_reads_as_its_publisher_meant(name: str) -> None:
    result = FEEDS_REAL.compare(name, EXPECTED[name])
    assert result.problems == []
    assert result.checks["count"] == [1, 1]
    assert result.checks["title"][1] == result.checks["link"][1] == result.checks["date"][1] == len(EXPECTED[name]["entries"])


def test_the_score_line_counts_disagreements() -> None:
    wrong = dict(EXPECTED["kagi-rss20-tumblr-untitled-posts.xml"])
    wrong["count"] = 19
    wrong["entries"] = [dict(e, date=None) for e in wrong["entries"][:1]]
    result = FEEDS_REAL.compare("kagi-rss20-tumblr-untitled-posts.xml", wrong)
    assert not result.agrees and result.checks["count"] == [0, 1] and result.checks["date"] == [0, 1]
    assert FEEDS_REAL.score([result]) == (
        "feeds-real: files 0/1, entries 19/19, counts 0/1, titles 1/1, links 1/1, dates 0/1"
    )


# --------------------------------------------------------------------------- the ways users read them


class FeedServer(LocalServer):
    """Every file of feeds-real at ``/<its name>``, as a web server sends a feed."""

    def __init__(self) -> None:
        self.release = threading.Event()

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 - the http.server API
                name = self.path.lstrip("/")
                body = (DATA / name).read_bytes() if name in EXPECTED else b"no such feed"
                self.send_response(200 if name in EXPECTED else 404)
                self.send_header("Content-Type", "application/xml")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self._listen(Handler)


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    yield from serve(FeedServer())


def held_to_expectations(lib: Library, feed_path: str, name: str, *, links: bool) -> list[str]:
    """How the library's articles of the feed file at ``feed_path`` disagree with the
    expectations of ``name`` (entry count; title, date and, if ``links``, link of every
    sample entry, found among the articles by its title)."""
    expected: dict[str, Any] = EXPECTED[name]
    articles = list(lib.articles(lib.article_rowids(View(ViewKind.FEED, feed_path))).values())
    wrong = [] if len(articles) == expected["count"] else [f"{name}: {len(articles)} entries, expected {expected['count']}"]
    for sample in expected["entries"]:
        want = " ".join((sample.get("title") or sample.get("title_starts") or "").split())
        found = [a for a in articles if (" ".join(a.title.split())).startswith(want)] if want else articles
        date = datetime.fromisoformat(sample["date"].replace("Z", "+00:00")) if sample["date"] else None
        link = strip_tracking(sample["link"]) if sample["link"] else None
        if not any(a.published == date and (not links or a.url == link) for a in found):
            wrong.append(f"{name}: no entry {want!r} of {sample['date']}" + (f" linking {link}" if links else ""))
    return wrong


def test_every_real_feed_reads_from_a_folder(tmp_path: Path) -> None:
    folder = tmp_path / "feeds"
    folder.mkdir()
    for name in EXPECTED:
        shutil.copyfile(DATA / name, folder / name)
    with Library(tmp_path / "data") as lib:
        lib.sync([folder], processes=1)
        assert lib.problems() == []
        wrong = [w for name in sorted(EXPECTED) for w in held_to_expectations(
            lib, str(folder / name), name, links="base_url" not in EXPECTED[name]
        )]  # fmt: skip
    assert wrong == []


def test_every_real_feed_reads_subscribed(tmp_path: Path, feed_server: FeedServer) -> None:
    """Each file subscribed to and fetched: not refused, and read as from a file (its
    relative links resolve against the local address, so an expectation of links written
    for the address the publisher served it from is not held)."""
    with Library(tmp_path / "data") as lib:
        for name in EXPECTED:
            subs.subscribe(lib, feed_server.url("/" + name))
        results = subs.refresh(lib)
        assert [(r.url, r.error) for r in results if not r.ok] == []
        wrong = []
        for sub in subs.subscriptions(lib):
            name = sub.url.rsplit("/", 1)[1]
            wrong += held_to_expectations(lib, sub.path, name, links="base_url" not in EXPECTED[name])
    assert wrong == []


# --------------------------------------------------------------------------- text of entries


def real_feed(name: str) -> Any:
    parsed = parse_feed_bytes((DATA / name).read_bytes(), name)
    assert isinstance(parsed, Feed), parsed
    return parsed


def test_what_an_iframe_holds_is_not_shown_as_text() -> None:
    """The five reviews of the real Blogger feed end with a Bandcamp player, an ``<iframe>``
    holding a link to the album (which browsers never show): each text ends with the review's
    last line before it, and no markup."""
    bodies = {a.title: a.body for a in real_feed("kagi-atom-blogger.xml").articles}
    last_lines = {
        "Bronze Hall - Embers of the Dawn (2026)": "Rating: 3.5/5",
        "Krallice - Dimensional Bleedthrough (2009) Review": "4 out of 5 [Excellent]",
        "Fleshgod Apocalypse - King (2016) Review": "Website: Facebook // Shop",
        "Whitechapel - The Valley (2019) Review": "Website: Homepage",
        "Nemorous - What Remains When Hope Has Failed (2025) Review": "Website: Facebook",
    }
    for title, last in last_lines.items():
        assert bodies[title].endswith("\n" + last), (title, bodies[title][-120:])
    assert not any("<a " in body or "bandcamp.com" in body for body in bodies.values())


def test_a_title_element_in_the_content_is_not_text() -> None:
    """Tim Bray's real feed: the "Stéphane Dion" entry's XHTML content opens with the page's
    ``<title>`` (which browsers never show in the page) before its one paragraph."""
    (dion,) = [a for a in real_feed("nodefp-atom-ongoing-xmlbase.atom").articles if a.title == "Stéphane Dion"]
    text = " ".join(dion.body.split())
    assert text.startswith("So the Liberals picked the pencil-neck geek with the bad hair, and his acceptance speech")
    assert text.endswith("there are lots of countries whose citizens are looking at worse choices.")


def test_double_encoded_no_break_spaces_leave_no_paragraph_of_a_lone_letter() -> None:
    """The real Le Parisien feed wrote its text in UTF-8 read as Windows-1252 once more
    ("dÃ©signer"); the Faustine entry ends with no-break spaces so read ("Â" and U+00A0),
    five of them alone on their lines, the feed's last one trimmed to "Â": nothing to show."""
    articles = real_feed("chfr-rss20-leparisien-no-guid.xml").articles
    (faustine,) = [a for a in articles if a.title == "L'oeil de Faustine. Plusieurs reines pour une galette"]
    assert faustine.body.endswith(
        "La tradition voudrait que le hasard se charge de désigner qui portera la couronne. "
        "Mais Faustine en a décidé autrement."
    )
    assert not any(p.strip() == "Â" for a in articles for p in a.body.split("\n\n"))


def test_a_json_feeds_html_escaped_twice_is_read_as_html() -> None:
    """The real Human Who Codes JSON Feed escaped every ``content_html`` once more (``&lt;p&gt;``
    and no tag); its ``content_text`` (Markdown) has the same text without markup. Read as the
    HTML it is: paragraphs, headings and code samples, their lines and indentation kept."""
    articles = real_feed("kagi-json-humanwhocodes-minified.json").articles
    assert len(articles) == 10
    assert not any("<p>" in a.body or "<a href" in a.body or "</" in a.body for a in articles)
    (keys,) = [a for a in articles if a.title == "Using your own Supabase signing keys"]
    paragraphs = keys.body.split("\n\n")
    assert paragraphs[:4] == [
        "Supabase uses JWT signing keys to sign authentication tokens. By default, Supabase generates a new signing"
        " key on startup, but you can also use your own signing keys. This is useful if you want to generate your own"
        " tokens or if you want to use the same signing keys across multiple Supabase instances.",
        "Generate a signing key",
        "First, generate a new signing key using the Supabase CLI:",
        "npx supabase gen signing-key --algorithm ES256",
    ]
    assert '{\n  "kty": "EC",\n  "d": "N8sXo9n2e5Z19sXo9n2e5Z1",' in keys.body
    # A code sample's own angle brackets are its text.
    (workers,) = [a for a in articles if a.title == "Run multiple Cloudflare workers locally"]
    assert 'const app = new Hono<{ Bindings: Bindings }>();\napp.all("/:worker/*", (c) => {' in workers.body


def test_a_summary_that_is_not_only_the_start_of_the_text_stays_the_articles_summary() -> None:
    """CPython's release entries have the summary "Python 3.11.16" and a text whose first
    paragraph is that line: the summary is kept (lists, exports and search snippets show it);
    only a summary that is the text cut short is dropped."""
    parsed = parse_feed_bytes((DATA / "youpdated-atom-github-releases-cpython.atom").read_bytes(), "cpython.atom")
    assert isinstance(parsed, Feed)
    release = next(a for a in parsed.articles if a.title == "v3.11.16")
    assert release.excerpt == "Python 3.11.16"
