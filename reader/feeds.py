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

import dataclasses
import hashlib
import html
import json
import os
import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import nh3

from reader import language as languages
from reader.article import Article, Image, Kind, Problem, Provider
from reader.display import TEXT_CHARS
from reader.feeds_dates import parse_date
from reader.folding import nfc
from reader.plaintext import starts
from reader.urls import clean_url, identity_key, is_safe_link, strip_tracking

#: Marks an entry inside a feed file in a library path: ``/news/feed.xml/#<id>``.
ENTRY_MARK = os.sep + "#"
MAX_TITLE_CHARS = 1_000
MAX_EXCERPT_CHARS = 2_000

_XML_ROOT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(rss|feed|RDF)\b")
#: The prologue before the root: an XML declaration, comments, processing instructions and a
#: doctype, which may carry an internal subset (``<!DOCTYPE rss [ <!ENTITY ...> ]>``).
_PROLOGUE = re.compile(rb"<\?.*?\?>|<!--.*?-->|<!DOCTYPE(?:[^\[>]|\[.*?\])*>", re.DOTALL)
#: Where a feed starts after leading junk (a server's warning printed before it): its XML
#: declaration or its root element ...
_FEED_START = re.compile(rb"<\?xml\b|" + _XML_ROOT.pattern)
#: ... when the junk is a server's message, as PHP prints one in HTML (``<br />
#: <b>Warning</b>:  count(): …``): markup that merely quotes a feed further on (a note opening
#: with a comment, a README with a logo, a web page) is no feed.
_SERVER_MESSAGE = re.compile(
    rb"(?:\s|<br\s*/?>)*(?:<b>)?(?:PHP )?(?:Warning|Notice|Deprecated|Strict Standards|(?:Catchable )?Fatal error|Parse error)"
    rb"(?:</b>)?:", re.IGNORECASE,
)
#: ... and no web page between the messages and the feed.
_WEB_PAGE = re.compile(rb"<(?:!doctype\s+html|html|head|body|title|meta|p|pre|div)\b", re.IGNORECASE)
#: Byte-order marks and, without one, how ``<`` starts a document in UTF-32 and UTF-16
#: (the XML specification's appendix F); UTF-32 first, whose marks start like UTF-16's.
_WIDE_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"),
)  # fmt: skip
_WIDE_STARTS = (
    (re.compile(rb"[^\x00]\x00\x00\x00"), "utf-32-le"), (re.compile(rb"\x00\x00\x00[^\x00]"), "utf-32-be"),
    (re.compile(rb"[^\x00]\x00[^\x00]\x00"), "utf-16-le"), (re.compile(rb"\x00[^\x00]\x00[^\x00]"), "utf-16-be"),
)  # fmt: skip
#: The encoding an XML declaration names (replaced when a wide encoding is read as UTF-8).
_DECLARED_ENCODING = re.compile(rb"""^(\s*<\?xml\b[^>]*?\bencoding\s*=\s*)(["'])[^"']*\2""")
#: A JSON Feed's version, also with the escaped slashes PHP's ``json_encode`` writes.
_JSON_VERSION = re.compile(rb'"version"\s*:\s*"https?:(?:\\?/){2}jsonfeed\.org\\?/version\\?/')
_JSON_VERSION_URL = re.compile(r"https?://jsonfeed\.org/version/")
#: A ``<link>`` element of a feed whose href is empty: no link at all (feedparser would make
#: it the base URL, the feed's own address).
_LINK_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?link\b[^>]*>")
_EMPTY_HREF = re.compile(rb"""\bhref\s*=\s*(?:""|'')""")
_NO_HREF = b'href="x-no-link:"'
_HTML_TYPES = ("text/html", "application/xhtml+xml", "html", "xhtml")
_IMAGE_SUFFIX = re.compile(r"\.(?:jpe?g|png|gif|webp|avif|bmp|svg)(?:$|[?#])", re.IGNORECASE)
#: UTF-8 read as Windows-1252 or Latin-1 ("FÃ¶rder", "Ð’ ÐœÐ¾Ñ..."): a lead byte's character
#: followed by continuation bytes' characters. Only then is ftfy asked (it decides).
_CP1252_HIGH = (
    "\x80-\xbf\u20ac\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u017d\u2018"
    "\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u017e\u0178"
)
_STRAY_NBSP = re.compile("(?<=\\S)\xc2(?=\\s|$)")
_LONE_NBSP = re.compile("\xc2(?=\\s|$)")
_MOJIBAKE = re.compile(f"[\xc2-\xdf][{_CP1252_HIGH}]|[\xe0-\xef][{_CP1252_HIGH}]{{2}}")
_BLOCK_START = re.compile(r"<(?:p|div|li|h[1-6]|blockquote|tr|table|ul|ol)>", re.IGNORECASE)
_PRE = re.compile(r"<pre>(.*?)</pre>", re.IGNORECASE | re.DOTALL)
_BLOCK_END = re.compile(r"</(?:p|div|li|h[1-6]|blockquote|pre|tr|table|ul|ol)>|<br\s*/?>", re.IGNORECASE)
_LIST_ITEM = re.compile(r"<li>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")
#: HTML that is wholly markup: an element's opening tag first, a closing tag last.
_OPENING_TAG = re.compile(r"<[A-Za-z][\w-]*(?:\s[^<>]*)?>")
_CLOSING_TAG = re.compile(r"</[A-Za-z][\w-]*\s*>$")
_SPACES = re.compile(r"[ \t\r\f\v\xa0]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")
_KEPT_TAGS = {"p", "br", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "tr", "table"}
#: Elements dropped with all they hold, as a browser never shows it as the page's text: code
#: and styles, a frame's content (raw text, ``<a href=…>`` and all), what stands in for
#: scripts, frames and plug-ins, inert templates, the document title, and the fallback of
#: media and canvas for browsers that cannot play them. (nh3 drops ``<svg>`` and ``<math>``
#: whole anyway; an ``<object>``'s fallback is shown, as browsers show it without the plug-in.)
_DROPPED_TAGS = {
    "script", "style", "iframe", "noscript", "noembed", "noframes", "template", "title",
    "video", "audio", "canvas", "datalist",
}  # fmt: skip


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
    or a JSON object naming a jsonfeed.org version anywhere in it): then it is read as a feed,
    whatever the file is called. XML and JSON may be in UTF-16 or UTF-32 (with a byte-order mark or
    not), and XML may follow a server's messages printed before it in markup (PHP's
    ``<br /><b>Warning</b>: …<?xml …?><rss>``), as the feed parser reads it."""
    stripped = _as_utf8(data).lstrip(b"\xef\xbb\xbf \t\r\n")  # (UTF-16 and UTF-32 are rare: read whole)
    if stripped.startswith(b"{"):
        return _JSON_VERSION.search(stripped) is not None  # key order is free: look everywhere
    if not stripped.startswith(b"<"):
        return False
    head = stripped[:65536]
    # Skip the XML declaration, comments, processing instructions and a doctype.
    rest = _PROLOGUE.sub(b"", head).lstrip()
    if _XML_ROOT.match(rest):
        return True
    start = _FEED_START.search(head) if _SERVER_MESSAGE.match(head) else None
    if start is None or _WEB_PAGE.search(head, 0, start.start()):  # (a page after the messages, quoting a feed)
        return False
    return _XML_ROOT.match(_PROLOGUE.sub(b"", head[start.start() :]).lstrip()) is not None


def _wide_encoding(data: bytes) -> str | None:
    """UTF-16 or UTF-32 (which of them) when ``data`` starts with its byte-order mark or, without
    one, with a character in it that is ASCII (``<``, a space); else None."""
    first = data[:4]
    if b"\x00" not in first and not first.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None  # (most documents: at once)
    for bom, encoding in _WIDE_BOMS:
        if data.startswith(bom):
            return encoding
    for start, encoding in _WIDE_STARTS:
        if start.match(data):
            return encoding
    return None


def _as_utf8(data: bytes) -> bytes:
    """``data`` in UTF-8 when it is in UTF-16 or UTF-32 (its XML declaration then naming
    UTF-8); other bytes as they are (the feed parser finds their encoding)."""
    encoding = _wide_encoding(data)
    if encoding is None:
        return data
    text = data.decode(encoding, errors="replace").removeprefix("\ufeff").encode("utf-8")
    return _DECLARED_ENCODING.sub(rb"\1\2utf-8\2", text, count=1)


def entry_path(feed_path: str, article_id: str) -> str:
    """The library path of one entry of the feed file at ``feed_path``."""
    return f"{feed_path}{ENTRY_MARK}{article_id}"


def entry_range(feed_path: str) -> tuple[str, str]:
    """The range of library paths (low included, high not) holding the entries of the feed
    file at ``feed_path``: every :func:`entry_path` of it, and no other path."""
    return feed_path + ENTRY_MARK, feed_path + ENTRY_MARK[:-1] + chr(ord(ENTRY_MARK[-1]) + 1)


def feed_of(path: str) -> str | None:
    """The feed file an entry path belongs to, or None for any other path."""
    head, mark, tail = path.rpartition(ENTRY_MARK)
    return head if mark and tail and os.sep not in tail else None


def parse_feed_bytes(data: bytes, path: str = "", base_url: str | None = None) -> Feed | Problem:
    """Parse a feed file's bytes. Never raises.

    ``base_url`` is the address the feed comes from, if any (a subscription's). Relative links
    are resolved against the ``xml:base`` in force, then the feed's own absolute alternate
    (home page) or self link, then ``base_url``; a link still relative after that is no link.
    (The home-page link itself, when relative, against the self link before ``base_url``.)
    """
    try:
        data = _as_utf8(data)
        if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
            return _parse_json_feed(data, path, base_url)
        return _parse_with_feedparser(data, path, base_url)
    except Exception as error:  # a bug, not the feed's fault; never crash
        return Problem(path, f"feed could not be read ({type(error).__name__}: {error})")


@dataclass(slots=True)
class _Entry:
    """One entry before ids are given: what makes it distinct within its feed, and its article."""

    key: tuple[str, ...]
    guid: str
    article: Article


# --------------------------------------------------------------------------- XML feeds


def _parse_with_feedparser(data: bytes, path: str, base_url: str | None) -> Feed | Problem:
    # sanitize_html=False: nh3 does it (below) on everything that is shown; feedparser
    # must not resolve relative links against the network either (it never fetches).
    data = _LINK_TAG.sub(lambda m: _EMPTY_HREF.sub(_NO_HREF, m.group()), data)
    import feedparser  # ~45 ms: paid only when a feed is read (not by `reader check` on documents)

    parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    channel = parsed.get("feed", {})
    if not parsed.entries and not parsed.get("version") and not parsed.get("bozo"):
        return Problem(path, "not a feed feedparser recognises")
    feed_title = _title(channel.get("title_detail"), channel.get("title")) or None
    fetched = _link(base_url, None)
    self_link = _link(next((k.get("href") for k in channel.get("links") or () if k.get("rel") == "self"), None), fetched)
    # A relative home-page link is resolved against the feed's own (self) address before the
    # one it was fetched from: what the feed says of itself does not change from fetch to fetch.
    atom = str(parsed.get("version") or "").startswith("atom")
    feed_link = _feed_link(channel, self_link or fetched, atom)
    base = feed_link or self_link or fetched
    language = _language(channel.get("language"))
    source = nfc(feed_title)  # the articles' source: one Unicode spelling, as documents.py keeps names
    entries = [_entry(entry, path, source, feed_link, base, language, atom) for entry in parsed.entries]
    articles = _distinct(entries, path, feed_link or feed_title or "")
    if not articles and parsed.get("bozo"):  # broken, and nothing could be saved from it
        return Problem(path, f"broken feed: {_reason(parsed.get('bozo_exception'))}")
    return Feed(path, feed_title, feed_link, articles, parsed.get("version") or "")


def _entry(
    entry: Any, path: str, feed_title: str | None, feed_link: str | None, base: str | None, language: str | None,
    atom: bool,
) -> _Entry | None:  # fmt: skip
    link = _entry_link(entry, base, atom)
    guid = str(entry.get("id") or "").strip()
    content = ""
    content_language = None
    for part in entry.get("content") or ():
        if part.get("value"):
            content = part["value"]
            content_language = part.get("language")
            break
    summary = entry.get("summary") or ""
    title = _title(entry.get("title_detail"), entry.get("title"))
    published = _date(entry, "published", "updated", "created")
    topics = tuple(dict.fromkeys(t for t in (_text(tag.get("term") or tag.get("label")) for tag in entry.get("tags") or ()) if t))
    images: list[Image] = []
    for enclosure in entry.get("enclosures") or ():
        kind = str(enclosure.get("type") or "")
        if kind.startswith("image/") or (not kind and _IMAGE_SUFFIX.search(str(enclosure.get("href") or ""))):
            _add_image(images, enclosure.get("href"), base, None, None)
    for media in entry.get("media_content") or ():
        if _is_image(media):
            _add_image(images, media.get("url"), base, media.get("width"), media.get("height"))
    for thumb in entry.get("media_thumbnail") or ():
        _add_image(images, thumb.get("url"), base, thumb.get("width"), thumb.get("height"))
    declared = (
        _language(content_language)
        or _language((entry.get("title_detail") or {}).get("language"))
        or _language((entry.get("summary_detail") or {}).get("language"))
        or language
    )
    return _make(path, link, guid, feed_link, title, content, summary, published, feed_title, topics, images, declared)


def _feed_link(channel: Any, base: str | None, atom: bool) -> str | None:
    """The feed's home page: in Atom its HTML alternate link, else any alternate link, never
    its id (which feedparser makes the link when there is none: ``<id>3</id>``); in RSS its
    ``<link>``."""
    if not atom:
        return _link(channel.get("link"), base)
    return _alternate_link(channel, base)


def _alternate_link(item: Any, base: str | None) -> str | None:
    """The HTML alternate link of a feed or an entry, else any alternate link (a PDF, an MP3 ...)."""
    alternate = [k for k in item.get("links") or () if k.get("rel", "alternate") == "alternate" and _link(k.get("href"), base)]
    for candidates in ([k for k in alternate if str(k.get("type") or "text/html") in _HTML_TYPES], alternate):
        if candidates:
            return _link(candidates[0].get("href"), base)
    return None


def _entry_link(entry: Any, base: str | None, atom: bool) -> str | None:
    """An entry's link: its HTML alternate link, else any alternate link (a PDF, an MP3 ...).
    In RSS feedparser also takes a guid that is a permalink; in Atom an id is never a link."""
    link = _alternate_link(entry, base)
    if link is not None or atom:
        return link
    if entry.get("guidislink"):  # a guid is a permalink only when it is an address itself
        return _link(entry.get("link"), None)
    return _link(entry.get("link"), base)


def _is_image(media: Any) -> bool:
    """A ``media:content`` that is an image: so typed, or untyped with an image's address or size."""
    medium, kind = str(media.get("medium") or ""), str(media.get("type") or "")
    if medium or kind:
        return medium == "image" or kind.startswith("image/")
    return bool(_IMAGE_SUFFIX.search(str(media.get("url") or "")) or media.get("width") or media.get("height"))


def _date(entry: Any, *keys: str) -> datetime | None:
    """The first of the entry's dates (as written) that can be read with confidence."""
    for key in keys:
        moment = parse_date(dict.get(entry, key))  # not .get: feedparser would stand in "published" for "updated"
        if moment is not None:
            return moment
    return None


# --------------------------------------------------------------------------- JSON Feed


def _parse_json_feed(data: bytes, path: str, base_url: str | None) -> Feed | Problem:
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return Problem(path, "broken JSON feed: not UTF-8")
    except ValueError as error:
        return Problem(path, f"broken JSON feed: {error}")
    if not isinstance(document, dict) or not _JSON_VERSION_URL.match(str(document.get("version", ""))):
        return Problem(path, "not a JSON Feed (no jsonfeed.org version)")
    items = document.get("items")
    if not isinstance(items, list):
        return Problem(path, "broken JSON feed: items is not a list")
    feed_title = _plain(document.get("title")) or None
    fetched = _link(base_url, None)
    self_link = _link(document.get("feed_url"), fetched)
    feed_link = _link(document.get("home_page_url"), self_link or fetched)
    base = feed_link or self_link or fetched
    language = _language(document.get("language"))
    source = nfc(feed_title)  # the articles' source: one Unicode spelling, as documents.py keeps names
    entries: list[_Entry | None] = []
    for item in items:
        if not isinstance(item, dict):
            continue
        link = _link(item.get("url") or item.get("external_url"), base)
        guid = str(item.get("id") or "").strip()
        content_text = _string(item.get("content_text"))
        content = _unescaped_once_more(_string(item.get("content_html")), content_text) or html.escape(content_text)
        summary = html.escape(_string(item.get("summary")))  # plain text in JSON Feed
        published = parse_date(item.get("date_published")) or parse_date(item.get("date_modified"))
        tags = item.get("tags")
        tags = tags if isinstance(tags, list) else []
        topics = tuple(dict.fromkeys(t for t in (_text(tag) for tag in tags if isinstance(tag, str)) if t))
        images: list[Image] = []
        for key in ("image", "banner_image"):
            _add_image(images, item.get(key), base, None, None)
        for attachment in item.get("attachments") or ():
            if isinstance(attachment, dict) and str(attachment.get("mime_type", "")).startswith("image/"):
                _add_image(images, attachment.get("url"), base, None, None)
        title = _plain(item.get("title"))
        declared = _language(item.get("language")) or language
        entries.append(
            _make(path, link, guid, feed_link, title, content, summary, published, source, topics, images, declared)
        )
    return Feed(path, feed_title, feed_link, _distinct(entries, path, feed_link or feed_title or ""), "json1")


def _unescaped_once_more(markup: str, text: str) -> str:
    """A JSON Feed's ``content_html``, read once more when it was escaped twice: no tag of its
    own, and once read as HTML wholly markup (an opening tag first, a closing tag last) which
    its ``content_text``, if any, does not quote (then the markup is the text). HTML that
    quotes markup on purpose (a code sample in ``<pre>``) has tags of its own and stays."""
    if "<" in markup or "&lt;" not in markup:
        return markup
    once = html.unescape(markup).strip()
    opening = _OPENING_TAG.match(once)
    if opening is None or not _CLOSING_TAG.search(once) or opening.group() in text:
        return markup
    return once


# --------------------------------------------------------------------------- building


def _make(
    path: str,
    link: str | None,
    guid: str,
    feed_link: str | None,
    title: str,
    content: str,
    summary: str,
    published: datetime | None,
    feed_title: str | None,
    topics: tuple[str, ...],
    images: list[Image],
    declared: str | None,
) -> _Entry | None:
    """An entry's article (its id given later by :func:`_distinct`), or None when nothing can name it
    (no title, no text and no link)."""
    body = _html_text(content or summary)  # (repaired as it is read, like the title)
    excerpt = _short(_html_text(summary)) if summary else None
    if excerpt and body and starts(excerpt, body[:TEXT_CHARS]):
        excerpt = None  # the summary is the start of the text: shown once
    # Without a title, the first line of the text; without text either (a video, a photo),
    # the address the entry links to.
    title = _clean_title(title or _first_line(body) or (excerpt or "") or _bare(link))
    if not title:
        return None
    domain = urlsplit(feed_link or link or "").hostname
    topics = tuple(dict.fromkeys(nfc(topic) for topic in topics))  # (one spelling, as documents.py keeps it)
    provider = Provider(feed_title, domain) if feed_title else (Provider(domain, domain) if domain else None)
    article = Article(
        id="",
        path="",
        kind=Kind.NEWS,
        title=title,
        excerpt=excerpt or None,
        body=body,
        published=published,
        url=link,
        provider=provider,
        topics=topics,
        images=tuple(images),
        language=declared or languages.detect(title, excerpt, body),
    )
    if guid:
        key: tuple[str, ...] = ("guid", guid)
    elif link:
        key = ("link", link, title)
    else:
        key = ("text", title, body, published.isoformat() if published else "")
    return _Entry(key, guid, article)


def _distinct(entries: list[_Entry | None], path: str, feed: str) -> tuple[Article, ...]:
    """The feed's distinct entries with their ids.

    Entries are distinct unless their guid (without one: their link, fragment included, and
    title; without a link either: their title, text and date) repeats; the first wins. An
    entry's id comes from its canonical link, the id a document with that URL has (without a
    link: from its guid, else its text), unless another entry of the feed would get the same id
    (two posts about one page, posts at ``page#a1`` and ``page#a2``, two posts of one text on
    different days): such entries take their id from what makes them distinct.
    """
    kept: dict[tuple[str, ...], _Entry] = {}
    for entry in entries:
        if entry is not None and entry.key not in kept:
            kept[entry.key] = entry
    ids = {key: entry_id(e.article.url, e.guid, feed, e.article.title, e.article.body) for key, e in kept.items()}
    shared = {i for i, n in Counter(ids.values()).items() if n > 1}
    articles: dict[str, Article] = {}
    for key, entry in kept.items():
        article_id = _local_id(feed, key) if ids[key] in shared else ids[key]
        url = strip_tracking(entry.article.url) if entry.article.url else None
        articles[article_id] = dataclasses.replace(entry.article, id=article_id, path=entry_path(path, article_id), url=url)
    return tuple(articles.values())


def entry_id(link: str | None, guid: str, feed: str, title: str, body: str) -> str:
    """A stable id: from the entry's link (the same id a document with that URL has), else
    from its guid within its feed, else from its text."""
    if link:
        return hashlib.sha256(b"url\0" + identity_key(link).encode("utf-8", "surrogatepass")).hexdigest()[:16]
    if guid:
        return hashlib.sha256(b"guid\0" + f"{feed}\n{guid}".encode("utf-8", "surrogatepass")).hexdigest()[:16]
    normal = " ".join(f"{title}\n{body}".split())
    return hashlib.sha256(b"text\0" + normal.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _local_id(feed: str, key: tuple[str, ...]) -> str:
    """An id from what makes an entry distinct within its feed."""
    text = "\0".join((feed, *key))
    return hashlib.sha256(b"entry\0" + text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _repair(text: str) -> str:
    """``text`` with UTF-8 that was read as Windows-1252 on its way into the feed put right
    (ftfy; feedparser repairs only what round-trips through Latin-1). Done before whitespace
    is tidied: a no-break space so read is "Â" and a no-break space, which ftfy must see."""
    twice_read_nbsp = "\xc2\xa0" in text
    if _MOJIBAKE.search(text):
        import ftfy  # only for the few feeds that need it

        text = ftfy.fix_encoding(text)
    if "\xc2" not in text:
        return text
    # Where the space of such a no-break space went, as feeds trim their titles and texts, a
    # word-final "Â" is left, which no language writes; in a text with other no-break spaces
    # so read, also an "Â" alone (the last of a run of them on lines of their own).
    return (_LONE_NBSP if twice_read_nbsp else _STRAY_NBSP).sub("", text)


def _bare(link: str | None) -> str:
    """A link as a name: without its scheme."""
    return link.split("://", 1)[-1] if link else ""


def sanitise_html(markup: str) -> str:
    """``markup`` reduced by nh3 to a few block elements, without attributes, and without
    scripts, styles, frames and the other elements whose content is no text to a reader
    (:data:`_DROPPED_TAGS`)."""
    return nh3.clean(
        markup, tags=_KEPT_TAGS, clean_content_tags=_DROPPED_TAGS, attributes={}, url_schemes=set(), strip_comments=True
    )


def _html_text(markup: str) -> str:
    """Feed HTML as plain text with blank lines between paragraphs; headings are paragraphs of
    their own and preformatted text keeps its lines and indentation."""
    if not markup:
        return ""
    if "<" not in markup and "&" not in markup:
        return _tidy(_repair(markup))
    clean = sanitise_html(markup)
    blocks: list[str] = []
    at = 0
    for pre in _PRE.finditer(clean):
        blocks.append(_flow_text(clean[at : pre.start()]))
        blocks.append(_pre_text(pre.group(1)))
        at = pre.end()
    blocks.append(_flow_text(clean[at:]))
    return "\n\n".join(b for b in blocks if b)


def _flow_text(clean: str) -> str:
    clean = _LIST_ITEM.sub("\n\n• ", clean)
    clean = _BLOCK_START.sub("\n\n", clean)
    clean = _BLOCK_END.sub("\n\n", clean)
    return _tidy(_repair(html.unescape(_TAG.sub("", clean))))


def _pre_text(clean: str) -> str:
    """Preformatted text: lines and indentation kept, no blank lines inside (they would split it)."""
    text = _repair(html.unescape(_TAG.sub("", re.sub(r"<br\s*/?>", "\n", clean, flags=re.IGNORECASE))))
    lines = [line.rstrip().replace("\t", "    ") for line in text.replace("\r\n", "\n").split("\n")]
    return "\n".join(line for line in lines if line.strip()).strip("\n")


def _tidy(text: str) -> str:
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def _text(value: object) -> str:
    """A title-like value that may hold HTML as one line of plain text."""
    if not isinstance(value, str):
        return ""
    if "<" in value or "&" in value:
        value = html.unescape(_TAG.sub("", nh3.clean(value, tags=set(), clean_content_tags=_DROPPED_TAGS)))
    return " ".join(_repair(value).split())


def _plain(value: object) -> str:
    """A plain-text value as one line: what looks like a tag is text. (Repaired first,
    :func:`_repair`: a no-break space read as "Â" and a space is what ftfy looks for, which
    making it one line would take apart.)"""
    return " ".join(_repair(value).split()) if isinstance(value, str) else ""


def _title(detail: Any, value: object) -> str:
    """A feed or entry title as feedparser typed it: only HTML titles are HTML."""
    kind = str((detail or {}).get("type") or "text/html")
    return _text(value) if kind in _HTML_TYPES else _plain(value)


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
    return languages.declared(value)


def _reason(error: object) -> str:
    text = " ".join(str(error or "not well-formed").split())
    return text[:200]
