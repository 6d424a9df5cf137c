"""The article pane shows a text's headings as headings and its preformatted text (code,
verse, tables) with its lines and indentation in a fixed-pitch font; all of it as text."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtGui import QFontInfo, QTextBlock, QTextDocument
from pytestqt.qtbot import QtBot

from reader.article import Article, Kind
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
