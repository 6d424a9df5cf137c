"""An article whose related coverage lists the article itself (its link, its AMP link, the
http:// spelling of either): the article pane never lists it as coverage of itself, alone
in its library as in a story."""

from __future__ import annotations

import textwrap
from pathlib import Path

from reader.article import Related as Entry
from reader.library import Library
from reader.stories import not_itself
from reader.ui.detail_pane import render_article

_TITLE = "Google opens its Bard AI chatbot to the public in the US and UK"
_EXCERPT = "Google is opening access to Bard, its AI chatbot rival to OpenAI's ChatGPT, to users in the US and UK."


def _entry(url: str, title: str = _TITLE, provider: str = "Selfref Times", excerpt: str = _EXCERPT) -> str:
    return textwrap.indent(textwrap.dedent(f"""\
        - title: "{title}"
          excerpt: "{excerpt}"
          publishedDateTime: 2023-03-21T21:00:00Z
          webUrl: "{url}"
          provider:
            name: {provider}
        """), "  ")


def test_an_article_alone_does_not_list_itself_as_related_coverage(tmp_path: Path) -> None:
    """A lone document lists itself three times (its link, its AMP link written with a slash,
    its link over http:// without "www.") and one other outlet's report of other news: the pane
    lists that report alone ("Related coverage (3)" listed the document itself three times)."""
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "self.md").write_text(textwrap.dedent(f"""\
        ---
        title: "{_TITLE}"
        excerpt: "{_EXCERPT}"
        publishedDateTime: 2023-03-21T21:00:00Z
        webUrl: "https://www.selfref.example/news/google-bard-public"
        ampWebUrl: "https://amp.selfref.example/news/google-bard-public"
        provider:
          name: Selfref Times
          domain: selfref.example
        related:
        """) + _entry("https://www.selfref.example/news/google-bard-public")
        + _entry("https://amp.selfref.example/news/google-bard-public/")
        + _entry("http://selfref.example/news/google-bard-public")
        + _entry("https://other.example/tech/bing-ads", "Microsoft puts adverts in Bing's answers", "Other Post",
                 "Sponsored links now appear beside the search engine's written answers.")
        + "---\n", encoding="utf-8")
    with Library(tmp_path / "data") as library:
        library.sync([folder])
        (rowid,) = library.article_rowids()
        article = library.article(rowid)
        assert article is not None and len(article.related) == 4  # (the document as read)
        html = render_article(article, story=library.story_context(article.id))
    assert "Related coverage (1)" in html
    assert "Microsoft puts adverts in Bing" in html
    assert html.count("selfref.example/news/google-bard-public") == 2  # the Original link (its address and its text) only


def test_an_entry_without_a_link_is_never_the_article() -> None:
    """An entry is the article only by its link: one without a link (under the article's own
    title) is listed."""
    related = (Entry(_TITLE), Entry(_TITLE, "https://selfref.example/news/google-bard-public"))
    assert not_itself(related, "https://www.selfref.example/news/google-bard-public/", None) == (related[0],)
    assert not_itself(related, None, None) == related
