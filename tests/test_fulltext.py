"""The whole article on request (reader.fulltext, reader.library.fulltext, `reader
fulltext`): pages fetched from a local server on 127.0.0.1 only -- saved article pages from
readability's test data matched against that project's expected output, redirects, a page
over the cap, a stall, a login wall, a non-HTML answer, HTTP errors, javascript: and file:
addresses -- and the full text stored, searched and exported."""

from __future__ import annotations

import json
import re
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import lxml.html
import pytest

from reader import fulltext
from reader.cli import main
from reader.export import ExportFormat, ExportRow, render
from reader.fetch import Abort, CutShort, FetchError, NotHttp, RedirectRefused, TimedOut, TooLarge
from reader.fulltext import CODE, HEADING, ITEM, PARAGRAPH, QUOTE, ROW, FullText, FullTextError, load
from reader.library import Library
from tests.page_server import PAGES, SAVED, PageServer, serving

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture
def pages() -> Iterator[PageServer]:
    yield from serving()


@pytest.fixture
def lib(tmp_path: Path) -> Iterator[Library]:
    with Library(tmp_path / "data") as library:
        yield library


def expected_words(name: str) -> Counter[str]:
    """The words of the project's own expected output for page ``name``."""
    text = lxml.html.fromstring((PAGES / name / "expected.html").read_bytes()).text_content()
    return Counter(re.findall(r"\w+", text.lower()))


# --------------------------------------------------------------------------- the saved pages


@pytest.mark.parametrize("name", SAVED)
def test_saved_pages_give_the_expected_article(pages: PageServer, name: str) -> None:
    full = load(pages.url(f"/page/{name}"))
    got, want = Counter(re.findall(r"\w+", full.text.lower())), expected_words(name)
    common = sum((got & want).values())
    assert common / sum(got.values()) >= 0.9, "precision"
    assert common / sum(want.values()) >= 0.9, "recall"
    assert full.url == pages.url(f"/page/{name}") and full.site == "127.0.0.1"


def test_links_are_kept_with_their_text(pages: PageServer) -> None:
    full = load(pages.url("/page/readability-ebb-org"))
    links = {(run.text, run.url) for block in full.blocks for run in block.runs if run.url}
    # (as in the page, and in readability's expected output)
    assert ("his resignation from the Free Software Foundation (FSF)", "https://www.fsf.org/news/richard-m-stallman-resigns") in links
    assert ("restraint, not with impunity", "https://lwn.net/Articles/770966/") in links


def test_a_blog_post_keeps_its_code_list_quote_and_image(pages: PageServer) -> None:
    # (as in the page and in readability's expected output for it)
    full = load(pages.url("/page/readability-001"))
    kinds = {(b.kind, b.text.split("\n")[0]) for b in full.blocks}
    code = next(b.text for b in full.blocks if b.kind == CODE and b.text.startswith("// cow.js"))
    assert '  function Cow(name) {\n    this.name = name || "Anon cow";\n  }' in code  # lines and indentation
    assert (ITEM, "The HTML test file must be served over HTTP for the adapter to be loaded.") in kinds
    quote = next(b.text for b in full.blocks if b.kind == QUOTE)
    assert quote.startswith("Drinking game for web devs:\n(1) Think of a noun\n(2) Google")
    assert (PARAGRAPH, "And its test suite, powered by Mocha and Chai:") in kinds
    assert [(i.url, i.alt) for i in full.images] == [(pages.url("/static/code/2013/blanket-coverage.png"), "screenshot")]


def test_trafilatura_pages_keep_links_images_and_tables(pages: PageServer) -> None:
    # trafilatura's own expectations for these pages of its test data (tests/unit_tests.py):
    # '<ref target="testlink.html">link</ref>', '<graphic src="test.jpg" title="Example image"/>',
    # and "localhost:80" from a table -- here resolved against the page's address.
    sample = load(pages.url("/page/trafilatura-http-sample"))
    links = [(run.text, run.url) for block in sample.blocks for run in block.runs if run.url]
    assert ("link", pages.url("/page/testlink.html")) in links
    assert [(i.url, i.alt) for i in sample.images] == [(pages.url("/page/test.jpg"), "Example image")]
    assert "localhost:80" in load(pages.url("/page/trafilatura-apache")).text


STRUCTURED = b"""<!DOCTYPE html><html><head><title>T</title></head><body>
<nav><a href="/">Home</a> <a href="/about">About</a></nav>
<article><h1>The title of the page</h1>
<p>The first paragraph has a <a href="/other/page.html">relative link</a> and <b>bold</b> words; it is long enough to
be the article's text, as the rest of it is, and goes on a little more.</p>
<h2>A section heading</h2>
<p>The second paragraph goes on with more words about the subject, so that there is some article text here.</p>
<ul><li>the first point of a list</li><li>the second point, with <a href="javascript:alert(1)">a script link</a></li></ul>
<ol><li>step one</li><li>step two</li></ol>
<blockquote><p>A quoted sentence that someone said about the matter at hand.</p></blockquote>
<pre><code>def f(x):
    return x + 1
</code></pre>
<figure><img src="/img/photo.jpg" alt="A photo of the harbour"><figcaption>The harbour at dawn</figcaption></figure>
<table><tr><th>Name</th><th>Value</th></tr><tr><td>alpha</td><td>1</td></tr></table>
<p>The last paragraph closes the article with a few more words to read.<br>After a line break.</p>
</article><footer>Copyright notice of the site</footer><script>document.write("never run")</script></body></html>"""


def test_headings_lists_quotes_code_and_images_are_kept() -> None:
    blocks, images = fulltext.extract(STRUCTURED, "http://news.example/a/story.html")
    shapes = [(b.kind, b.text) for b in blocks]
    assert (HEADING, "A section heading") in shapes
    assert (ITEM, "the first point of a list") in shapes
    assert [(b.text, b.number) for b in blocks if b.kind == ITEM][2:] == [("step one", 1), ("step two", 2)]
    assert (QUOTE, "A quoted sentence that someone said about the matter at hand.") in shapes
    assert (CODE, "def f(x):\n    return x + 1") in shapes
    assert (ROW, "alpha · 1") in shapes
    last = [b for b in blocks if b.kind == PARAGRAPH][-1]
    assert last.text == "The last paragraph closes the article with a few more words to read.\nAfter a line break."
    first = next(b for b in blocks if b.kind == PARAGRAPH)
    assert ("relative link", "http://news.example/other/page.html") in [(r.text, r.url) for r in first.runs]
    # a javascript: link is shown as text, never as a link
    script = next(b for b in blocks if "script link" in b.text)
    assert all(run.url is None for run in script.runs)
    assert [(i.url, i.alt) for i in images] == [("http://news.example/img/photo.jpg", "A photo of the harbour")]
    assert "never run" not in " ".join(b.text for b in blocks)
    assert "Copyright notice" not in " ".join(b.text for b in blocks)


def test_json_and_markdown_keep_the_shape() -> None:
    blocks, images = fulltext.extract(STRUCTURED, "http://news.example/a/story.html")
    full = FullText("http://news.example/a/story.html", 1_700_000_000.0, tuple(blocks), tuple(images))
    assert FullText.from_json(full.url, full.fetched, full.to_json()) == full
    text = fulltext.markdown(full)
    assert "## A section heading" in text.splitlines() or "#### A section heading" in text.splitlines()
    assert "- the first point of a list" in text.splitlines()
    assert "1. step one" in text.splitlines()
    assert "> A quoted sentence that someone said about the matter at hand." in text.splitlines()
    assert "```\ndef f(x):\n    return x + 1\n```" in text
    assert "[relative link](http://news.example/other/page.html)" in text


# --------------------------------------------------------------------------- limits and failures


def test_redirects_are_followed_up_to_the_limit(pages: PageServer) -> None:
    full = load(pages.url("/moved/readability-ebb-org"))
    assert full.url == pages.url("/page/readability-ebb-org")
    assert load(pages.url("/hop/4")).url == pages.url(f"/page/{SAVED[0]}")  # 5 redirects
    with pytest.raises(FullTextError, match="more than 5 redirects"):
        load(pages.url("/hop/5"))


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/login-wall", r"^the page has no article text"),
        ("/forbidden", r"^HTTP 403 Forbidden$"),
        ("/pdf", r"^the page is not HTML \(application/pdf\)"),
        ("/big", r"^the page is larger than 5 MB"),
        ("/to-file", r"only http and https"),
        ("/nothing-here", r"^HTTP 404 Not Found$"),
    ],
)
def test_failures_say_why(pages: PageServer, path: str, reason: str) -> None:
    with pytest.raises(FullTextError, match=reason):
        load(pages.url(path))


@pytest.mark.parametrize("url", ["javascript:alert(document.cookie)", "file:///etc/passwd", "ftp://127.0.0.1/a", "data:text/html,<p>x"])
def test_only_http_and_https_pages(url: str) -> None:
    with pytest.raises(FullTextError, match=r"^only http and https pages can be fetched, not '[a-z]+'$"):
        load(url)


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (TimedOut(), "timed out after 0.5 s"),
        (TooLarge(1024 * 1024), "the page is larger than 1 MB (the download was stopped)"),
        (NotHttp("ftp"), "only http and https pages can be fetched, not 'ftp'"),
        (
            RedirectRefused("public", "intranet.test", ["127.0.0.1 is loopback"]),
            "refused a redirect from a public address to intranet.test (127.0.0.1 is loopback): "
            "a page may not send Reader to this machine, the local network or link-local addresses",
        ),
        (CutShort(), "the connection closed before the whole page arrived"),
    ],
)
def test_a_fetch_failure_is_said_for_a_page_by_its_kind(
    monkeypatch: pytest.MonkeyPatch, error: FetchError, reason: str
) -> None:
    error.args = ("worded some other way",)  # the kind says what happened, not the words

    def failing(*_args: object, **_kwargs: object) -> None:
        raise error

    monkeypatch.setattr(fulltext, "fetch", failing)
    with pytest.raises(FullTextError) as caught:
        load("http://news.example/a", timeout=0.5)
    assert str(caught.value) == reason


def test_other_fetch_failures_are_said_as_they_are(monkeypatch: pytest.MonkeyPatch) -> None:
    def failing(*_args: object, **_kwargs: object) -> None:
        raise FetchError("HTTP 500 Internal Server Error")

    monkeypatch.setattr(fulltext, "fetch", failing)
    with pytest.raises(FullTextError, match=r"^HTTP 500 Internal Server Error$"):
        load("http://news.example/a")


def test_a_stalling_page_times_out(pages: PageServer) -> None:
    started = time.monotonic()
    with pytest.raises(FullTextError, match=r"^timed out after 0.5 s$"):
        load(pages.url("/stall"), timeout=0.5)
    assert time.monotonic() - started < 5


def test_a_fetch_can_be_cancelled(pages: PageServer) -> None:
    abort = Abort()
    threading.Timer(0.3, abort.cancel).start()
    with pytest.raises(FullTextError, match="cancelled"):
        load(pages.url("/stall"), abort=abort)


def test_no_cookies_no_referrer_and_html_sniffed(pages: PageServer) -> None:
    full = load(pages.url("/untyped/readability-ebb-org"))  # no Content-Type: the page's start says HTML
    assert full.words > 100
    assert pages.requests == [("/untyped/readability-ebb-org", None, None)]


# --------------------------------------------------------------------------- the library


def news_folder(tmp_path: Path, url: str) -> Path:
    """A folder with one news document linking ``url`` (and the seeds)."""
    folder = tmp_path / "news"
    folder.mkdir()
    for seed in SEEDS.iterdir():
        (folder / seed.name).write_bytes(seed.read_bytes())
    (folder / "zz-page.md").write_text(
        f"---\ntitle: Only an excerpt here\nexcerpt: The excerpt of a long blog post.\nwebUrl: {url}\n"
        "provider:\n  name: Local Blog\n  domain: 127.0.0.1\npublishedDateTime: 2019-10-15T09:11:00Z\n---\n",
        encoding="utf-8",
    )
    return folder


def test_stored_searched_and_kept_through_a_new_sync(pages: PageServer, lib: Library, tmp_path: Path) -> None:
    folder = news_folder(tmp_path, pages.url("/page/readability-ebb-org"))
    lib.sync([folder])
    (hit,) = lib.search("excerpt blog")
    article = lib.article(hit.row.rowid)
    assert article is not None and article.url
    assert lib.search("conservancy") == [] and lib.fulltext(article.id) is None
    full = load(article.url)
    lib.store_fulltext(article.id, full, article.title)
    assert lib.fulltext(article.id) == full
    (hit,) = lib.search("conservancy")  # a word only in the full text
    assert hit.row.id == article.id and "\ue000Conservancy\ue001" in hit.snippet
    assert [h.row.id for h in lib.search("excerpt conservancy")] == [article.id]  # the title and the full text
    assert article.id not in {h.row.id for h in lib.search("-conservancy")}
    assert [h.row.id for h in lib.search("excerpt blog")] == [article.id]  # its own text still found
    # the document changes and is read again: its full text stays
    document = folder / "zz-page.md"
    document.write_text(document.read_text(encoding="utf-8").replace("Only an excerpt", "Only one excerpt"), encoding="utf-8")
    lib.sync([folder])
    assert lib.article(article.id).title == "Only one excerpt here"  # type: ignore[union-attr]
    assert [h.row.id for h in lib.search("conservancy")] == [article.id]
    again = FullText(full.url, full.fetched + 60, full.blocks[:1], ())
    lib.store_fulltext(article.id, again, article.title)  # fetched again: replaces it
    assert lib.fulltext(article.id) == again and lib.search("conservancy") == []


def test_exported_with_the_article(lib: Library) -> None:
    lib.sync([SEEDS])
    article = lib.article(lib.search("clearview", limit=1)[0].row.rowid)
    assert article is not None
    blocks, images = fulltext.extract(STRUCTURED, "http://news.example/a/story.html")
    full = FullText("http://news.example/a/story.html", 1_700_000_000.0, tuple(blocks), tuple(images))
    row = ExportRow.of(article, fulltext=full)
    markdown = render([row], ExportFormat.MARKDOWN, "Export")
    assert "Fetched from news.example on 2023-11-14" in markdown and "- the first point of a list" in markdown
    csv = render([row], ExportFormat.CSV, "Export")
    assert csv.splitlines()[0].endswith(",full_text,full_text_url,full_text_fetched")
    assert "2023-11-14T22:13:20Z" in csv and "A quoted sentence" in csv


# --------------------------------------------------------------------------- reader fulltext


def test_command_by_id_and_by_url(pages: PageServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = str(tmp_path / "data")
    folder = news_folder(tmp_path, pages.url("/page/readability-ebb-org"))
    assert main(["--data-dir", data, "search", "excerpt blog", str(folder), "--json"]) == 0
    article_id = json.loads(capsys.readouterr().out)["id"]
    assert main(["--data-dir", data, "search", "conservancy"]) == 1
    capsys.readouterr()
    # by id: the article's page, fetched, printed and kept (searched from then on)
    assert main(["--data-dir", data, "fulltext", article_id]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Fetched from 127.0.0.1 on ") and "Software Freedom Conservancy" in out
    assert main(["--data-dir", data, "search", "conservancy", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["id"] == article_id
    # an article without a link says so
    with Library(data) as library:
        plain = library.article(library.search("clearview", limit=1)[0].row.rowid)
    assert plain is not None and not plain.url
    assert main(["--data-dir", data, "fulltext", plain.id]) == 1
    assert "has no web address" in capsys.readouterr().err
    # an address: fetched and printed
    assert main(["--data-dir", data, "fulltext", pages.url("/moved/readability-ebb-org")]) == 0
    assert "Software Freedom Conservancy" in capsys.readouterr().out
    assert main(["--data-dir", data, "fulltext", pages.url("/login-wall")]) == 1
    assert "the page has no article text" in capsys.readouterr().err
    assert main(["--data-dir", data, "fulltext", "javascript:alert(1)"]) == 1
    assert "only http and https" in capsys.readouterr().err
    assert main(["--data-dir", data, "fulltext", "no-such-id"]) == 2
    assert "no article" in capsys.readouterr().err
