"""The whole article on request: fetch an article's web page and keep its main text. No Qt.

Nothing is fetched unless the user asks for that article (key F, ``reader fulltext``) or
said to always load the full text of its source. The page is fetched by
:func:`reader.fetch.fetch`, with the limits every request of Reader has (http and https
only at every hop, at most 5 redirects, none from a public address to a private, loopback
or link-local one, one 20 s limit for the whole request, a 5 MB cap, cancellable); no
cookies and no referrer are sent, and nothing in the page is run (no JavaScript) or loaded
(no images, styles or frames). An answer that is not HTML is refused.

The main text is found by trafilatura (its XML output, read here into :class:`Block`\\ s):
headings, paragraphs, list items, quotes, code and table rows, with their links (shown,
never followed) and the page's images listed (fetched only when the user asks).
Failures are :class:`FullTextError` with a one-line reason.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

from reader.fetch import MAX_BYTES, TIMEOUT_SECONDS, Abort, CutShort, FetchError, NotHttp, RedirectRefused, TimedOut, TooLarge, fetch
from reader.urls import is_safe_link, site_of
from reader.wording import plural

#: A page whose main text has fewer words than this has no article text (a login wall, an
#: index page, a cookie notice).
MIN_WORDS = 40
#: What a page request accepts.
HTML_ACCEPT = "text/html, application/xhtml+xml;q=0.9"
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_HTML_START = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S)

#: Kinds of :class:`Block`.
HEADING, PARAGRAPH, ITEM, QUOTE, CODE, ROW = "heading", "paragraph", "item", "quote", "code", "row"
KINDS = (HEADING, PARAGRAPH, ITEM, QUOTE, CODE, ROW)


class FullTextError(Exception):
    """The page could not be fetched or has no article text; the message says why."""


@dataclass(frozen=True, slots=True)
class Run:
    """A piece of a block's text; ``url`` when it is a link (http or https only)."""

    text: str
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Block:
    """One block of the main text. ``level``: a heading's level (1-6), a list item's depth
    (1 for a top-level item); ``number``: an ordered list item's number (0: a bullet)."""

    kind: str
    runs: tuple[Run, ...]
    level: int = 0
    number: int = 0

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


@dataclass(frozen=True, slots=True)
class PageImage:
    url: str
    alt: str | None = None


@dataclass(frozen=True, slots=True)
class FullText:
    """The main text of ``url`` (where the page came from, after redirects), fetched at
    ``fetched`` (seconds since the epoch)."""

    url: str
    fetched: float
    blocks: tuple[Block, ...]
    images: tuple[PageImage, ...] = field(default=())

    @property
    def site(self) -> str:
        return site_of(self.url)

    @property
    def text(self) -> str:
        """The text, plain: blocks apart by blank lines (what search indexes)."""
        return "\n\n".join(block.text for block in self.blocks)

    @property
    def words(self) -> int:
        return len(self.text.split())

    def to_json(self) -> str:
        """The blocks and images as JSON (how the library keeps them)."""
        blocks = [
            {"k": b.kind, "r": [[r.text, r.url] if r.url else [r.text] for r in b.runs],
             **({"l": b.level} if b.level else {}), **({"n": b.number} if b.number else {})}
            for b in self.blocks
        ]  # fmt: skip
        images = [[i.url, i.alt] if i.alt else [i.url] for i in self.images]
        return json.dumps({"blocks": blocks, "images": images}, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, url: str, fetched: float, data: str) -> FullText:
        value = json.loads(data)
        blocks = tuple(
            Block(
                str(b["k"]) if b.get("k") in KINDS else PARAGRAPH,
                tuple(Run(str(r[0]), str(r[1]) if len(r) > 1 and r[1] else None) for r in b.get("r", [])),
                int(b.get("l", 0)),
                int(b.get("n", 0)),
            )
            for b in value.get("blocks", [])
        )
        images = tuple(PageImage(str(i[0]), str(i[1]) if len(i) > 1 and i[1] else None) for i in value.get("images", []))
        return cls(url, fetched, blocks, images)


# --------------------------------------------------------------------------- fetching


def load(
    url: str,
    *,
    abort: Abort | None = None,
    timeout: float = TIMEOUT_SECONDS,
    max_bytes: int = MAX_BYTES,
    now: float | None = None,
) -> FullText:
    """Fetch the page at ``url`` and extract its main text; :class:`FullTextError` says
    why not (the address, the network, HTTP, not HTML, no article text)."""
    try:
        page = fetch(url, timeout=timeout, max_bytes=max_bytes, abort=abort, accept=HTML_ACCEPT)
    except FetchError as error:
        raise FullTextError(_reason(error, timeout)) from None
    if not is_html(page.content_type, page.body):
        kind = (page.content_type or "no content type").split(";", 1)[0].strip()
        raise FullTextError(f"the page is not HTML ({kind}): only web pages are read")
    blocks, images = extract(page.body, page.url)
    words = sum(len(block.text.split()) for block in blocks)
    if words < MIN_WORDS:
        found = f" (only {plural(words, 'word')} found)" if words else ""
        raise FullTextError(f"the page has no article text{found}")
    return FullText(page.url, time.time() if now is None else now, tuple(blocks), tuple(images))


def _reason(error: FetchError, timeout: float) -> str:
    """A fetch failure said for a page rather than a feed, from its kind."""
    match error:
        case TimedOut():
            return f"timed out after {timeout:g} s"
        case TooLarge(max_bytes=max_bytes):
            return f"the page is larger than {max_bytes / (1024 * 1024):g} MB (the download was stopped)"
        case NotHttp(scheme=scheme):
            return f"only http and https pages can be fetched, not {scheme or 'this'!r}"
        case RedirectRefused() | CutShort():
            return error.said_of("page")
    return str(error)  # (HTTP statuses, connection failures, too many redirects: as they are)


def is_html(content_type: str | None, body: bytes) -> bool:
    """Whether an answer is a web page: its Content-Type says HTML, or, without one, its
    start does."""
    if content_type:
        return content_type.split(";", 1)[0].strip().lower() in _HTML_TYPES
    return bool(_HTML_START.match(body[:4096]))


# --------------------------------------------------------------------------- extraction


def extract(html: bytes | str, url: str | None = None) -> tuple[list[Block], list[PageImage]]:
    """The main text of the page ``html`` (links resolved against ``url``) as blocks, and
    the images in it; nothing when trafilatura finds no main text."""
    import trafilatura  # (imported when first needed: it takes a while)
    from lxml import etree

    found = trafilatura.extract(
        html,  # (without its address: trafilatura would take relative links from the site's root)
        output_format="xml",
        include_comments=False,
        include_tables=True,
        include_images=True,
        include_links=True,
        include_formatting=True,
        with_metadata=False,
        deduplicate=False,
    )
    if not found:
        return [], []
    root = etree.fromstring(found.encode("utf-8"), etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False))
    main = root.find("main")
    reading = _Reading(_base(html, url))
    if main is not None:
        reading.container(main, depth=0)
    return reading.blocks, reading.images


_BASE = re.compile(rb"""<base\s[^>]*?href\s*=\s*["']?([^"'\s>]+)""", re.I)


def _base(html: bytes | str, url: str | None) -> str | None:
    """What relative links of the page are relative to: its ``<base href>`` (resolved
    against ``url``), else ``url``."""
    head = html[:65536].encode("utf-8", "replace") if isinstance(html, str) else html[:65536]
    found = _BASE.search(head)
    if found is None:
        return url
    href = found.group(1).decode("utf-8", "replace")
    return urljoin(url, href) if url else href


class _Reading:
    """Walks trafilatura's XML (``head``, ``p``, ``list``/``item``, ``quote``, ``code``,
    ``table``/``row``/``cell``, ``graphic``; ``ref``, ``hi``, ``lb`` inline)."""

    def __init__(self, base: str | None) -> None:
        self.base = base
        self.blocks: list[Block] = []
        self.images: list[PageImage] = []
        self._seen_images: set[str] = set()

    def container(self, element: Any, depth: int, kind: str = PARAGRAPH) -> None:
        if element.text and element.text.strip():
            self._add(kind, [Run(_flat(element.text))])
        for child in element:
            tag = child.tag
            if tag == "head":
                level = int(str(child.get("rend", "h2"))[1:] or 2) if str(child.get("rend", "")).startswith("h") else 2
                self._add(HEADING, self.runs(child), level=max(1, min(6, level)))
            elif tag == "p":
                self._add(kind, self.runs(child))
            elif tag == "list":
                self.items(child, depth + 1)
            elif tag == "quote":
                if any(c.tag in ("p", "list", "head") for c in child):
                    self.container(child, depth, QUOTE)
                else:
                    self._add(QUOTE, self.runs(child))
            elif tag == "code":
                self._add(CODE, [Run("".join(child.itertext()).strip("\n"))])
            elif tag == "table":
                for row in child.iter("row"):
                    cells = [" ".join("".join(cell.itertext()).split()) for cell in row if cell.tag == "cell"]
                    self._add(ROW, [Run(" · ".join(c for c in cells if c))])
            elif tag == "graphic":
                self.image(child)
            elif tag in ("div", "main", "section"):
                self.container(child, depth, kind)
            else:  # anything else trafilatura may emit: its text as a paragraph
                self._add(kind, self.runs(child))
            if child.tail and child.tail.strip():
                self._add(kind, [Run(_flat(child.tail))])

    def items(self, element: Any, depth: int) -> None:
        ordered = str(element.get("rend", "")).lower() == "ol"
        number = 0
        for item in element:
            if item.tag != "item":
                continue
            number += 1
            nested = [c for c in item if c.tag == "list"]
            runs = self.runs(item, skip=("list",))
            if "".join(r.text for r in runs).strip():
                self._add(ITEM, runs, level=depth, number=number if ordered else 0)
            for sub in nested:
                self.items(sub, depth + 1)

    def runs(self, element: Any, skip: tuple[str, ...] = ()) -> list[Run]:
        runs: list[Run] = []

        def walk(node: Any) -> Iterator[Run]:
            if node.text:
                yield Run(_flat(node.text))
            for child in node:
                if child.tag in skip:
                    pass
                elif child.tag == "ref":
                    target = child.get("target")
                    text = _flat("".join(child.itertext()))
                    yield Run(text, self._link(target))
                elif child.tag == "lb":
                    yield Run("\n")
                elif child.tag == "graphic":
                    self.image(child)
                else:
                    yield from walk(child)
                if child.tail:
                    yield Run(_flat(child.tail))

        for run in walk(element):
            if runs and runs[-1].url == run.url and run.url is None:
                runs[-1] = Run(runs[-1].text + run.text)
            else:
                runs.append(run)
        return runs

    def image(self, element: Any) -> None:
        source = element.get("src")
        url = self._link(source)
        if url and url not in self._seen_images:
            self._seen_images.add(url)
            alt = " ".join(str(element.get("alt") or element.get("title") or "").split()) or None
            self.images.append(PageImage(url, alt))

    def _link(self, target: str | None) -> str | None:
        if not target:
            return None
        url = urljoin(self.base, target.strip()) if self.base else target.strip()
        return url if is_safe_link(url) else None

    def _add(self, kind: str, runs: list[Run], level: int = 0, number: int = 0) -> None:
        if kind == CODE:
            cleaned = [r for r in runs if r.text.strip()]
        else:
            cleaned = _tidy(runs)
        if cleaned:
            self.blocks.append(Block(kind, tuple(cleaned), level, number))


def _flat(text: str) -> str:
    """The page's white space (line ends included) as single spaces: only ``<br>`` breaks a line."""
    return re.sub(r"\s+", " ", text)


def _tidy(runs: list[Run]) -> list[Run]:
    """Runs with white space made single spaces (a line break kept), the ends trimmed."""
    out: list[Run] = []
    for run in runs:
        lines = [" ".join(part.split()) for part in run.text.split("\n")]
        text = "\n".join(lines) if len(lines) > 1 else lines[0]
        if run.text[:1].isspace() and text[:1] != "\n":
            text = " " + text
        if run.text[-1:].isspace() and text[-1:] != "\n" and text.strip():
            text += " "
        if text:
            out.append(Run(text, run.url))
    # collapse doubled spaces where runs meet, then trim the ends
    merged: list[Run] = []
    for run in out:
        if merged and merged[-1].text.endswith((" ", "\n")) and run.text.startswith(" "):
            run = Run(run.text.lstrip(" "), run.url)
        if run.text:
            merged.append(run)
    while merged and not merged[0].text.strip():
        merged.pop(0)
    while merged and not merged[-1].text.strip():
        merged.pop()
    if not merged:
        return []
    merged[0] = Run(merged[0].text.lstrip(), merged[0].url)
    merged[-1] = Run(merged[-1].text.rstrip(), merged[-1].url)
    return merged


def markdown(full: FullText) -> str:
    """The text as Markdown (for export): headings, lists, quotes, code and links kept."""
    lines: list[str] = []
    for block in full.blocks:
        if lines and lines[-1] and block.kind != ITEM:
            lines.append("")  # (after a list)
        text = "".join(f"[{_md(r.text)}]({r.url.replace(')', '%29').replace(' ', '%20')})" if r.url else _md(r.text)
                       for r in block.runs)  # fmt: skip
        if block.kind == HEADING:
            lines.append("#" * min(6, block.level + 2) + " " + text.replace("\n", " "))
        elif block.kind == ITEM:
            marker = f"{block.number}." if block.number else "-"
            lines.append("  " * max(0, block.level - 1) + f"{marker} " + text.replace("\n", " "))
            continue
        elif block.kind == QUOTE:
            lines.append("\n".join("> " + line for line in text.split("\n")))
        elif block.kind == CODE:
            fence = "````" if "```" in block.text else "```"
            lines.append(f"{fence}\n{block.text}\n{fence}")
        else:
            lines.append(text.replace("\n", "  \n"))
        lines.append("")
    return "\n".join(lines).strip() + "\n"


def _md(text: str) -> str:
    return re.sub(r"([\\`*_\[\]<>#])", r"\\\1", text)
