"""Feed files: RSS 0.9x/1.0/2.0, Atom 0.3/1.0 and JSON Feed 1.x, read into articles.

One feed file holds many articles. :func:`parse_feed_bytes` turns it into a :class:`Feed`
(its title and its entries as :class:`~reader.article.Article` values) or a
:class:`~reader.article.Problem`; it never raises. Parsing is feedparser's (it copes with
broken XML and wrong encodings); JSON Feeds are read with the json module.

In the library each entry is kept under a path of its own, the feed file's path followed by
``/#`` and the entry's id (:func:`entry_path`), so the usual rules hold: a folder's scope
covers its feeds' entries, an entry that leaves the feed leaves the library, and an entry
whose link is also a document's is one article.

HTML in feeds is sanitised with nh3 and shown as text: no markup, script or remote
resource from a feed ever reaches the window. Images (enclosures and media) are listed and
loaded only when the user asks, like those of documents.
"""

from __future__ import annotations

import calendar
import hashlib
import html
import json
import os
import re
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser
import nh3
from feedparser.datetimes import _parse_date

from reader.article import Article, Image, Kind, Problem, Provider
from reader.urls import clean_url, identity_key, is_safe_link

#: Marks an entry inside a feed file in a library path: ``/news/feed.xml/#<id>``.
ENTRY_MARK = os.sep + "#"
MAX_TITLE_CHARS = 1_000
MAX_EXCERPT_CHARS = 2_000

_XML_ROOT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(rss|feed|RDF)\b")
_JSON_VERSION = re.compile(rb'"version"\s*:\s*"https?://jsonfeed\.org/version/')
_BLOCK_END = re.compile(r"</(?:p|div|li|h[1-6]|blockquote|pre|tr|table|ul|ol)>|<br\s*/?>", re.IGNORECASE)
_LIST_ITEM = re.compile(r"<li>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")
_SPACES = re.compile(r"[ \t\r\f\v\xa0]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")
_KEPT_TAGS = {"p", "br", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "tr", "table"}


@dataclass(frozen=True, slots=True)
class Feed:
    """A feed file: its title, its home page and its entries (one article each)."""

    path: str
    title: str | None
    link: str | None
    articles: tuple[Article, ...]
    version: str = ""  #: what feedparser calls the format, e.g. ``rss20``, ``atom10``, ``json1``


def looks_like_feed(data: bytes) -> bool:
    """Whether ``data`` starts like a feed (an ``rss``, ``feed`` or ``rdf:RDF`` root element,
    or a JSON object naming a jsonfeed.org version): then it is read as a feed, whatever
    the file is called."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"{"):
        return _JSON_VERSION.search(head) is not None
    if not head.startswith(b"<"):
        return False
    # Skip the XML declaration, comments, processing instructions and a doctype.
    rest = re.sub(rb"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>", b"", head, flags=re.DOTALL).lstrip()
    found = _XML_ROOT.match(rest)
    return found is not None


def entry_path(feed_path: str, article_id: str) -> str:
    """The library path of one entry of the feed file at ``feed_path``."""
    return f"{feed_path}{ENTRY_MARK}{article_id}"


def feed_of(path: str) -> str | None:
    """The feed file an entry path belongs to, or None for any other path."""
    head, mark, tail = path.rpartition(ENTRY_MARK)
    return head if mark and tail and os.sep not in tail else None


def parse_feed_bytes(data: bytes, path: str = "", *, base_url: str | None = None) -> Feed | Problem:
    """Parse a feed file's bytes. ``base_url`` (where the feed was fetched from) resolves
    relative links when the feed itself gives no base. Never raises."""
    try:
        if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
            return _parse_json_feed(data, path, base_url)
        return _parse_with_feedparser(data, path, base_url)
    except Exception as error:  # a bug, not the feed's fault; never crash
        return Problem(path, f"feed could not be read ({type(error).__name__}: {error})")


# --------------------------------------------------------------------------- XML feeds


def _parse_with_feedparser(data: bytes, path: str, base_url: str | None = None) -> Feed | Problem:
    # sanitize_html=False: nh3 does it (below) on everything that is shown; feedparser
    # must not resolve relative links against the network either (it never fetches).
    parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    channel = parsed.get("feed", {})
    if not parsed.entries and not parsed.get("version") and not parsed.get("bozo"):
        return Problem(path, "not a feed feedparser recognises")
    feed_title = _text(channel.get("title")) or None
    feed_link = _link(channel.get("link"), None)
    language = _language(channel.get("language"))
    base = feed_link or _base(base_url)
    articles: dict[str, Article] = {}
    for entry in parsed.entries:
        article = _entry_article(entry, path, feed_title, feed_link, base, language)
        if article is not None and article.id not in articles:  # a repeated guid: the first wins
            articles[article.id] = article
    if not articles and parsed.get("bozo"):  # broken, and nothing could be saved from it
        return Problem(path, f"broken feed: {_reason(parsed.get('bozo_exception'))}")
    return Feed(path, feed_title, feed_link, tuple(articles.values()), parsed.get("version") or "")


def _entry_article(
    entry: Any, path: str, feed_title: str | None, feed_link: str | None, base: str | None, language: str | None
) -> Article | None:
    link = _link(entry.get("link"), base)
    guid = entry.get("id") or ""
    content = ""
    for part in entry.get("content") or ():
        if part.get("value"):
            content = part["value"]
            break
    summary = entry.get("summary") or ""
    body = _html_text(content or summary)
    excerpt = _short(_html_text(summary)) if summary else None
    title = _clean_title(_text(entry.get("title")) or _first_line(body) or (excerpt or ""))
    if not title:
        return None
    published = _struct_time(entry.get("published_parsed")) or _struct_time(entry.get("updated_parsed"))
    topics = tuple(dict.fromkeys(t for t in (_text(tag.get("term") or tag.get("label")) for tag in entry.get("tags") or ()) if t))
    images: list[Image] = []
    for enclosure in entry.get("enclosures") or ():
        if str(enclosure.get("type", "")).startswith("image/"):
            _add_image(images, enclosure.get("href"), base, None, None)
    for media in entry.get("media_content") or ():
        if media.get("medium") == "image" or str(media.get("type", "")).startswith("image/"):
            _add_image(images, media.get("url"), base, media.get("width"), media.get("height"))
    for thumb in entry.get("media_thumbnail") or ():
        _add_image(images, thumb.get("url"), base, thumb.get("width"), thumb.get("height"))
    return _article(path, link, guid, feed_link, title, excerpt, body, published, feed_title, topics, images, language)


# --------------------------------------------------------------------------- JSON Feed


def _parse_json_feed(data: bytes, path: str, base_url: str | None = None) -> Feed | Problem:
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return Problem(path, "broken JSON feed: not UTF-8")
    except ValueError as error:
        return Problem(path, f"broken JSON feed: {error}")
    if not isinstance(document, dict) or not str(document.get("version", "")).startswith("https://jsonfeed.org/version/"):
        return Problem(path, "not a JSON Feed (no jsonfeed.org version)")
    items = document.get("items")
    if not isinstance(items, list):
        return Problem(path, "broken JSON feed: items is not a list")
    feed_title = _text(document.get("title")) or None
    feed_link = _link(document.get("home_page_url"), None)
    language = _language(document.get("language"))
    base = feed_link or _base(base_url)
    articles: dict[str, Article] = {}
    for item in items:
        if not isinstance(item, dict):
            continue
        link = _link(item.get("url") or item.get("external_url"), base)
        guid = str(item.get("id") or "")
        content = _string(item.get("content_html")) or html.escape(_string(item.get("content_text")))
        summary = _string(item.get("summary"))
        body = _html_text(content or summary)
        excerpt = _short(_html_text(summary)) if summary else None
        title = _clean_title(_text(item.get("title")) or _first_line(body))
        if not title:
            continue
        published = _iso_time(item.get("date_published")) or _iso_time(item.get("date_modified"))
        tags = item.get("tags") if isinstance(item.get("tags"), list) else []
        topics = tuple(dict.fromkeys(t for t in (_text(tag) for tag in tags if isinstance(tag, str)) if t))
        images: list[Image] = []
        for key in ("image", "banner_image"):
            _add_image(images, item.get(key), base, None, None)
        for attachment in item.get("attachments") or ():
            if isinstance(attachment, dict) and str(attachment.get("mime_type", "")).startswith("image/"):
                _add_image(images, attachment.get("url"), base, None, None)
        article = _article(path, link, guid, feed_link, title, excerpt, body, published, feed_title, topics, images, language)
        if article.id not in articles:
            articles[article.id] = article
    return Feed(path, feed_title, feed_link, tuple(articles.values()), "json1")


# --------------------------------------------------------------------------- building


def _article(
    path: str,
    link: str | None,
    guid: str,
    feed_link: str | None,
    title: str,
    excerpt: str | None,
    body: str,
    published: datetime | None,
    feed_title: str | None,
    topics: tuple[str, ...],
    images: list[Image],
    language: str | None,
) -> Article:
    article_id = entry_id(link, guid, feed_link or feed_title or "", title, body)
    domain = urlsplit(feed_link or link or "").hostname
    provider = Provider(feed_title, domain) if feed_title else (Provider(domain, domain) if domain else None)
    return Article(
        id=article_id,
        path=entry_path(path, article_id),
        kind=Kind.NEWS,
        title=title,
        excerpt=excerpt or None,
        body=body,
        published=published,
        url=link,
        provider=provider,
        topics=topics,
        images=tuple(images),
        language=language,
    )


def entry_id(link: str | None, guid: str, feed: str, title: str, body: str) -> str:
    """A stable id: from the entry's link (the same id a document with that URL has), else
    from its guid within its feed, else from its text."""
    if link:
        return hashlib.sha256(b"url\0" + identity_key(link).encode("utf-8", "surrogatepass")).hexdigest()[:16]
    if guid:
        return hashlib.sha256(b"guid\0" + f"{feed}\n{guid}".encode("utf-8", "surrogatepass")).hexdigest()[:16]
    normal = " ".join(f"{title}\n{body}".split())
    return hashlib.sha256(b"text\0" + normal.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def sanitise_html(markup: str) -> str:
    """``markup`` reduced by nh3 to a few block elements, without attributes, scripts or styles."""
    return nh3.clean(markup, tags=_KEPT_TAGS, attributes={}, url_schemes=set(), strip_comments=True)


def _html_text(markup: str) -> str:
    """Feed HTML as plain text with blank lines between paragraphs."""
    if not markup:
        return ""
    if "<" not in markup and "&" not in markup:
        return _tidy(markup)
    clean = sanitise_html(markup)
    clean = _LIST_ITEM.sub("• ", clean)
    clean = _BLOCK_END.sub("\n\n", clean)
    return _tidy(html.unescape(_TAG.sub("", clean)))


def _tidy(text: str) -> str:
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def _text(value: object) -> str:
    """A title-like value as one line of plain text (feed titles may hold HTML)."""
    if not isinstance(value, str):
        return ""
    if "<" in value or "&" in value:
        value = html.unescape(_TAG.sub("", nh3.clean(value, tags=set())))
    return " ".join(value.split())


def _string(value: object) -> str:
    return value if isinstance(value, str) else ""


def _clean_title(title: str) -> str:
    title = " ".join(title.split())
    return title[:MAX_TITLE_CHARS]


def _first_line(text: str) -> str:
    line = text.strip().split("\n", 1)[0] if text.strip() else ""
    return line[:120] + ("…" if len(line) > 120 else "")


def _short(text: str) -> str | None:
    if not text:
        return None
    return text if len(text) <= MAX_EXCERPT_CHARS else text[: MAX_EXCERPT_CHARS - 1].rstrip() + "…"


def _link(value: object, base: str | None) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    url = clean_url(value.strip())
    if base and not urlsplit(url).scheme:
        url = urljoin(base, url)
    return url if is_safe_link(url) else None


def _base(url: str | None) -> str | None:
    """The address a feed was fetched from, as a base for its relative links (last resort)."""
    return url if url and urlsplit(url).scheme in ("http", "https") else None


def _add_image(images: list[Image], url: object, base: str | None, width: object, height: object) -> None:
    link = _link(url, base)
    if link and link.startswith(("http://", "https://")) and all(i.url != link for i in images):
        images.append(Image(link, _int(width), _int(height)))


def _int(value: object) -> int | None:
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def _language(value: object) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    primary = value.strip().replace("_", "-").split("-")[0].lower()
    return primary if primary.isalpha() and 2 <= len(primary) <= 3 else None


def _struct_time(value: time.struct_time | None) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), timezone.utc)
    except (OverflowError, ValueError, OSError):
        return None


def _iso_time(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return _struct_time(_parse_date(value))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def _reason(error: object) -> str:
    text = " ".join(str(error or "not well-formed").split())
    return text[:200]
