"""How a full text (:mod:`reader.fulltext`) shows in the article pane: a "Fetched from
<site> on <date>" line with a way to fetch it again, then its headings, paragraphs, lists,
quotes, code and table rows as escaped text; links are shown (opened only when clicked, in
the browser, http and https only) and the page's images are listed with the article's.
Plain functions that return HTML; the pane places it."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import replace

from reader.article import Article, Image
from reader.display import TEXT_CHARS, breakable, clip, kept_spaces
from reader.fulltext import CODE, HEADING, ITEM, QUOTE, ROW, Block, FullText
from reader.urls import site_of
from reader.timefmt import from_timestamp, full_date
from reader.ui.actions import key_text
from reader.urls import is_safe_link

#: The pane's link that fetches the full text again (key F does the same).
FETCH_AGAIN = "reader-fulltext:again"


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _key(keys: Mapping[str, Sequence[str]] | None) -> str:
    """" (f)": the current key of Load Full Text (``keys``: see :func:`key_text`), or nothing."""
    key = key_text("load_fulltext", keys)
    return f" ({_e(key)})" if key else ""


def fetched_html(full: FullText, keys: Mapping[str, Sequence[str]] | None = None, *, again: bool = True) -> str:
    """"Fetched from <site> on <date>", with a way to fetch it again when ``again`` (fetching
    is allowed)."""
    when = full_date(from_timestamp(full.fetched))
    if not again:
        return f'<p class="meta">Fetched from <b>{_e(clip(full.site))}</b> on {_e(when)}</p>'
    return (f'<p class="meta">Fetched from <b>{_e(clip(full.site))}</b> on {_e(when)} · '
            f'<a href="{FETCH_AGAIN}">Fetch again</a>{_key(keys)}</p>')  # fmt: skip


def offer_html(url: str, keys: Mapping[str, Sequence[str]] | None = None) -> str:
    """The page's own way to load the full text of an article with a web address."""
    return (f'<p class="meta"><a href="{FETCH_AGAIN}">Load the full text</a> from '
            f"{_e(clip(site_of(url)))}{_key(keys)}</p>")  # fmt: skip


def status_html(status: str) -> str:
    return f'<p class="placeholder"><b>{_e(clip(status, 1_000))}</b></p>'


def _runs(block: Block) -> str:
    out = []
    for run in block.runs:
        text = _e(breakable(run.text)).replace("\n", "<br>")
        out.append(f'<a href="{_e(run.url)}">{text}</a>' if run.url and is_safe_link(run.url) else text)
    return "".join(out)


def render_fulltext(full: FullText, keys: Mapping[str, Sequence[str]] | None = None, *, again: bool = True) -> list[str]:
    """The full text as HTML pieces (every value escaped; the first
    :data:`~reader.display.TEXT_CHARS` characters of text); ``again``: offer to fetch it again."""
    parts = [fetched_html(full, keys, again=again)]
    lists: list[str] = []  # the open lists, innermost last ("ul" or "ol")
    shown = 0
    for block in full.blocks:
        if block.kind == ITEM:
            tag = "ol" if block.number else "ul"
            while len(lists) > block.level or (len(lists) == block.level and lists and lists[-1] != tag):
                parts.append(f"</{lists.pop()}>")
            while len(lists) < max(1, block.level):
                lists.append(tag)
                parts.append(f"<{tag}>")
            parts.append(f"<li>{_runs(block)}</li>")
        else:
            while lists:
                parts.append(f"</{lists.pop()}>")
            if block.kind == HEADING:
                level = "h2" if block.level <= 2 else "h3"
                parts.append(f"<{level}>{_runs(block)}</{level}>")
            elif block.kind == QUOTE:
                parts.append(f'<blockquote><p class="quote">{_runs(block)}</p></blockquote>')
            elif block.kind == CODE:
                parts.append(f"<pre>{_e(breakable(kept_spaces(block.text)))}</pre>")
            elif block.kind == ROW:
                parts.append(f'<p class="row">{_runs(block)}</p>')
            else:
                parts.append(f"<p>{_runs(block)}</p>")
        shown += len(block.text)
        if shown > TEXT_CHARS:
            total = len(full.text)
            while lists:
                parts.append(f"</{lists.pop()}>")
            parts.append(f'<p class="placeholder">The text goes on for {max(0, total - shown):,} more characters '
                         f"(shown here are the first {shown:,}).</p>")  # fmt: skip
            break
    while lists:
        parts.append(f"</{lists.pop()}>")
    return parts


def with_page_images(article: Article, full: FullText | None) -> Article:
    """``article`` with the images of its fetched page listed after its own (loaded with
    key I, like them)."""
    if full is None or not full.images:
        return article
    known = {image.url for image in article.images}
    extra = tuple(Image(i.url, title=i.alt or "Image in the page") for i in full.images if i.url not in known)
    return replace(article, images=article.images + extra) if extra else article
