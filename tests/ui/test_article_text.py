"""The article pane shows a text's headings as headings and its preformatted text (code,
verse, tables) with its lines and indentation in a fixed-pitch font; all of it as text."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QColor, QFontInfo, QFontMetricsF, QImage, QTextBlock, QTextDocument
from pytestqt.qtbot import QtBot

from reader.article import Article, Image, Kind
from reader.display import SPACE_CHARS, TEXT_CHARS
from reader.ui.detail_pane import DetailPane

from .helpers import WindowFactory, anchors, select_title

FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Code Blog</title><link>https://code.example/</link>
<item><title>Writing a tiny server</title><link>https://code.example/server</link><guid>s1</guid>
<description><![CDATA[<p>Python ships a web server in its standard library.</p>
<h2>The code</h2><p>Save this as serve.py:</p>
<pre><code>def main():
    handler = Handler
    serve(handler)</code></pre>
<h2>Not &lt;b&gt;bold&lt;/b&gt;</h2><p>Run it and open the address.</p>
<pre>  &lt;a href="https://evil.example/"&gt;a link&lt;/a&gt;
    &lt;script&gt;alert(1)&lt;/script&gt;</pre>]]></description></item>
</channel></rss>
"""


def find_block(document: QTextDocument, start: str) -> QTextBlock:
    block = document.begin()
    while block.isValid():
        if block.text().startswith(start):
            return block
        block = block.next()
    raise AssertionError(f"no block starts with {start!r}")


def test_headings_and_preformatted_text_keep_their_shape(make_window: WindowFactory, tmp_path: Path) -> None:
    folder = tmp_path / "feeds"
    folder.mkdir()
    (folder / "code.xml").write_text(FEED, encoding="utf-8")
    window = make_window([folder])
    select_title(window, "Writing a tiny server")
    document = window.detail.browser.document()
    text = window.detail.plain_text()
    # the code's lines and indentation, as the feed wrote them
    assert "def main():\n    handler = Handler\n    serve(handler)" in text
    code = find_block(document, "def main():")
    assert QFontInfo(code.charFormat().font()).fixedPitch()
    prose = find_block(document, "Python ships")
    assert not QFontInfo(prose.charFormat().font()).fixedPitch()
    # the headings are headings, larger than the text and bold
    heading = find_block(document, "The code")
    assert heading.blockFormat().headingLevel() == 2
    assert heading.charFormat().font().pointSizeF() > prose.charFormat().font().pointSizeF()
    assert find_block(document, "Save this").blockFormat().headingLevel() == 0
    # markup in a heading or in preformatted text is text
    assert find_block(document, "Not <b>bold</b>").blockFormat().headingLevel() == 2
    assert '  <a href="https://evil.example/">a link</a>\n    <script>alert(1)</script>' in text
    assert "https://evil.example/" not in anchors(document)


#: Seconds to show a page, at most (it takes ~0.02 s; loose: a shared, busy machine).
LOOSE_BUDGET_S = 3.0


def test_a_preformatted_block_with_a_huge_run_of_spaces_shows_at_once(qtbot: QtBot) -> None:
    # kept spaces are laid out by Qt one by one: 70,000 of them took more than a minute
    pane = DetailPane()
    qtbot.addWidget(pane)
    pane.resize(800, 600)
    pane.show()
    body = "Columns:\n\nname\n" + " " * (TEXT_CHARS - 100) + "value"
    started = time.perf_counter()
    pane.show_article(Article(id="1", path="wide.txt", kind="text", title="Wide", body=body))
    pane.repaint()
    assert time.perf_counter() - started < LOOSE_BUDGET_S
    shown = pane.plain_text()
    assert shown.endswith("\nname\n" + " " * SPACE_CHARS + "value")
    assert " " * (SPACE_CHARS + 1) not in shown


def test_a_plain_text_documents_first_paragraph_shows_once(qtbot: QtBot, tmp_path: Path) -> None:
    """A plain-text document's excerpt is its first paragraph: hard-wrapped, or longer than an
    excerpt (cut with "…"), it is shown once, as the text; an excerpt of other words stays."""
    from reader.documents import parse_path

    pane = DetailPane()
    qtbot.addWidget(pane)
    long_first = "The council voted on Tuesday to expand the bus network " + "across the city and its suburbs " * 12 + "by May."
    cases = {
        "wrapped.txt": ("A headline for the plain text\n\nThe first paragraph is wrapped\nover two lines of the file.\n\n"
                        "A second paragraph.\n", "The first paragraph is wrapped"),
        "long.txt": (f"City expands bus network\n\n{long_first}\n\nA second paragraph.\n", "The council voted on Tuesday"),
    }
    for name, (text, start) in cases.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        article = parse_path(path)
        assert isinstance(article, Article) and article.excerpt and article.excerpt.startswith(start)
        pane.show_article(article)
        shown = pane.plain_text()
        assert shown.count(start) == 1, name
        assert "A second paragraph." in shown
    # an excerpt that is not the text's own first paragraph is shown above it
    other = Article(id="x", path="x.md", kind=Kind.NEWS, title="T", excerpt="More buses will run from May…",
                    body="The council voted on Tuesday.\n\nMore buses will run\nfrom June.")
    pane.show_article(other)
    shown = pane.plain_text()
    assert "More buses will run from May…" in shown and "The council voted on Tuesday." in shown


def drawn_image_widths(pane: DetailPane) -> list[float]:
    """The widths the pane's page draws its images at."""
    widths = []
    block = pane.browser.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fmt = it.fragment().charFormat()
            if fmt.isImageFormat():
                widths.append(fmt.toImageFormat().width())
            it += 1
        block = block.next()
    return widths


def test_loaded_images_fit_the_pane_and_follow_its_width(qtbot: QtBot) -> None:
    wide, small = "https://news.example/wide.png", "https://news.example/small.png"
    article = Article(id="i", path="i.md", kind=Kind.NEWS, title="Pictures", body="Some text.",
                      images=(Image(wide, 1000, 600), Image(small)))
    pane = DetailPane()
    qtbot.addWidget(pane)
    pane.resize(480, 700)
    pane.show()
    qtbot.waitExposed(pane)
    pane.show_article(article)
    assert pane.image_urls() == [wide, small]
    for url, (width, height) in ((wide, (1000, 600)), (small, (40, 30))):
        image = QImage(width, height, QImage.Format.Format_RGB32)
        image.fill(QColor("#3a7"))
        pane.image_loaded(url, image)
    qtbot.wait(50)
    viewport = pane.browser.viewport().width()
    drawn = drawn_image_widths(pane)
    assert len(drawn) == 2 and 300 < drawn[0] < viewport and drawn[1] == 40  # never wider than the image
    assert pane.browser.horizontalScrollBar().maximum() == 0  # nothing to scroll sideways
    document = pane.browser.document()
    block = document.begin()
    while "1000 × 600" not in block.text():
        block = block.next()
    line = QFontMetricsF(document.defaultFont()).lineSpacing()
    # the image's block: the image (at its aspect ratio) and its caption, no gap between them
    assert document.documentLayout().blockBoundingRect(block).height() < drawn[0] * 0.6 + 3 * line
    pane.resize(1600, 700)  # wider: as wide as the text, at most the image's own 1000 px
    qtbot.waitUntil(lambda: drawn_image_widths(pane)[0] > drawn[0])
    assert drawn_image_widths(pane)[0] <= 1000 and drawn_image_widths(pane)[1] == 40
    pane.resize(360, 700)  # narrower again
    qtbot.waitUntil(lambda: drawn_image_widths(pane)[0] < pane.browser.viewport().width())
    assert pane.browser.horizontalScrollBar().maximum() == 0


def test_right_to_left_names_leave_the_lines_order_alone(qtbot: QtBot) -> None:
    """An Arabic source, a Hebrew topic, an Arabic related title and outlet: each line that
    names them keeps the interface's left-to-right order ("Name (domain) · date · language"),
    each name reads in its own direction (isolated), and an Arabic paragraph stays right to left."""
    from reader.article import Provider, Related

    when = datetime(2020, 2, 5, 19, 56, tzinfo=UTC)
    article = Article(
        id="r", path="r.md", kind=Kind.NEWS, title="الذكاء الاصطناعي يتعلم قراءة الأخبار", published=when,
        provider=Provider("أخبار المثال", "news.example"), topics=("בינה מלאכותית", "AI"), language="ar",
        body="قالت الشركة يوم الأربعاء إن النظام الجديد يعمل.",
        related=(Related("عنوان آخر", "https://other.example/a", published=when, provider=Provider("مصدر آخر")),),
    )
    pane = DetailPane()
    qtbot.addWidget(pane)
    pane.show_article(article)
    directions = {}
    block = pane.browser.document().begin()
    while block.isValid():
        directions[block.text()] = block.textDirection()
        block = block.next()
    LTR, RTL = Qt.LayoutDirection.LeftToRight, Qt.LayoutDirection.RightToLeft
    meta = next(text for text in directions if "UTC" in text)
    assert "\u2068أخبار المثال\u2069 (news.example) · " in meta and directions[meta] == LTR
    chips = next(text for text in directions if text.startswith("Topics:"))
    assert "\u2068בינה מלאכותית\u2069" in chips and directions[chips] == LTR
    related = next(text for text in directions if "عنوان آخر" in text)
    assert "\u2068مصدر آخر\u2069 · " in related and directions[related] == LTR
    assert directions[article.body] == RTL and directions[article.title] == RTL  # (alone on their lines)


def test_a_topic_link_opens_the_topic_it_names(qtbot: QtBot) -> None:
    """Topic names with percent signs, slashes and other URL characters open themselves (a
    name like "%41" was decoded twice and opened "A")."""
    topics = ("%41", "a%2Fb", "100%", "a/b", "R&D", "x?y#z", "Ä ö", "C++")
    pane = DetailPane()
    qtbot.addWidget(pane)
    pane.show_article(Article(id="t", path="t.md", kind=Kind.NEWS, title="Topics", topics=topics))
    links = [href for href in anchors(pane.browser.document()) if href.startswith("reader-topic:")]
    assert len(links) == len(topics)
    opened: list[str] = []
    pane.topic_requested.connect(opened.append)
    for href in links:
        pane.browser.anchorClicked.emit(QUrl(href))  # (what a click on the link emits)
    assert opened == list(topics)


def test_a_summary_quoted_from_the_middle_of_the_text_is_shown_once() -> None:
    """Real feed entries whose summary is a sentence from the middle of a paragraph of their
    text (Daring Fireball's "A lot of people are jumping to the conclusion …", two Boing Boing
    posts): the pane shows it once, in the text, not above it as well."""
    from reader.feeds import Feed, parse_feed_bytes
    from reader.ui.detail_pane import is_excerpt_repeated

    data = Path(__file__).resolve().parent.parent / "data" / "feeds-real"
    for name, words in (
        ("cocos-atom-daringfireball-shared-links.atom", "jumping to the conclusion"),
        ("gopkgrss-rss20-boingboing.rss", "created this stunning time-lapse"),
        ("gopkgrss-rss20-boingboing.rss", "loved a computer"),
    ):
        parsed = parse_feed_bytes((data / name).read_bytes(), name)
        assert isinstance(parsed, Feed)
        entry = next(a for a in parsed.articles if words in (a.excerpt or ""))
        assert words in (entry.body or "") and not (entry.body or "").startswith(entry.excerpt or "")
        assert is_excerpt_repeated(entry, None), name
