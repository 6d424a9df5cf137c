"""The detail pane: one article, readable, with its links made safe.

Everything taken from a document is escaped before it is placed in the page, so document
text is always shown as text and never interpreted as markup. Nothing is loaded from the
network: images are listed as placeholders with their titles and sizes until the user asks
to load them (Article > Load Images); loaded images are shown from memory, and the page never
loads any other resource.
"""

from __future__ import annotations

import html
import time
import unicodedata
from urllib.parse import quote, unquote

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QEvent, QUrl, Qt, Signal
from PySide6.QtGui import QFontMetricsF, QImage, QPalette, QResizeEvent, QTextCursor
from PySide6.QtWidgets import QHBoxLayout, QLabel, QTextBrowser, QToolButton, QVBoxLayout, QWidget

from reader.article import Article, Problem
from reader.library import Count
from reader.subscriptions import Subscription
from reader.filenames import shown
from reader.display import (
    LIST_ITEMS,
    NAME_CHARS,
    TEXT_CHARS,
    TIP_CHARS,
    breakable,
    cased_names,
    kept_spaces,
    clip,
    clip_middle,
    more,
)
from reader.stories import FORMULA, Context, Story, not_itself, not_versions
from reader.plaintext import HEADING, PREFORMATTED, blocks, within
from reader.timefmt import from_timestamp, full_date, relative_date
from reader.fulltext import FullText
from reader.ui import icons
from reader.ui.actions import key_text, with_key
from reader.ui.fulltext_view import FETCH_AGAIN, offer_html, render_fulltext, status_html, with_page_images
from reader.ui.languages import language_name
from reader.urls import is_safe_link
from reader.wording import plural

TOPIC_SCHEME = "reader-topic"

_STYLE = """
a {{ color: {link}; }}
h1 {{ font-size: 150%; font-weight: 600; margin-bottom: 4px; }}
p {{ margin-top: 0; margin-bottom: 12px; line-height: 150%; }}
.meta {{ color: {muted}; }}
.excerpt {{ font-style: italic; }}
.chips a {{ text-decoration: none; }}
.placeholder {{ color: {muted}; }}
.figure {{ line-height: 100%; }}
h3 {{ font-size: 105%; font-weight: 600; margin-top: 18px; }}
h2 {{ font-size: 120%; font-weight: 600; margin-top: 18px; margin-bottom: 8px; }}
pre {{ font-family: monospace; white-space: pre-wrap; margin-top: 0; margin-bottom: 12px; }}
.quote {{ font-style: italic; }}
"""

#: The heading of a story's coverage list ("Coverage: 3 outlets"; the story timeline finds the list by it).
COVERAGE = "Coverage"


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


#: First Strong Isolate ... Pop Directional Isolate: text between them takes its own direction
#: and leaves the rest of its line (and the line's direction) alone.
FSI, PDI = "\u2068", "\u2069"
#: Left-to-right mark: a line that starts with an isolated value starts with it, as Qt takes
#: a line's direction from its first strong letter, inside an isolate or not.
LRM = "\u200e"


def _v(text: str, *, first: bool = False) -> str:
    """A document value placed in a line among other words (a source's name, a topic, a
    title in a list), escaped, and isolated when it holds right-to-left letters (Arabic,
    Hebrew ...): the line keeps the interface's direction and order ("Name (domain) · date"),
    and the value reads in its own. ``first``: the value starts its line (which then starts
    left to right)."""
    escaped = _e(text)
    if any(unicodedata.bidirectional(c) in ("R", "AL") for c in text):
        return f"{LRM if first else ''}{FSI}{escaped}{PDI}"
    return escaped


def _link(url: str | None, text: str, *, first: bool = False) -> str:
    """``text`` (bounded) as a link to ``url`` when that is http or https (``first``: it
    starts its line, see :func:`_v`)."""
    shown = _v(clip(text, TITLE_CHARS), first=first)
    if url and is_safe_link(url):
        return f'<a href="{_e(url)}">{shown}</a>'
    return shown


#: A title is at most 1,000 characters (longer ones are a problem); related titles are cut there too.
TITLE_CHARS = 1_000
IMAGE_SCHEME = "reader-image"
#: Text lines are kept about this many characters long, however wide the pane (easier to read).
LINE_CHARACTERS = 75
#: The article's text is this many points larger than the interface's.
READING_POINTS = 1.5
#: The widest a loaded image is drawn by the page alone (the pane's browser then fits each
#: to its text's width, never wider than the image: ArticleBrowser.fit_images).
IMAGE_MAX_WIDTH = 560
#: Why images are not offered for loading while fetching is off.
REMOTE_OFF = "not loaded — remote images are off in Preferences"
#: Image states: not in the mapping (not asked for), LOADING, LOADED, or a reason it failed.
LOADING, LOADED = "loading…", "loaded"


def render_article(
    article: Article,
    starred: bool = False,
    paths: list[str] | None = None,
    images: Mapping[str, str] | None = None,
    image_sizes: Mapping[str, tuple[int, int]] | None = None,
    story: Context | None = None,
    fulltext: FullText | None = None,
    fulltext_status: str | None = None,
    keys: Mapping[str, Sequence[str]] | None = None,
    remote: bool = True,
    excerpt_repeated: bool | None = None,
) -> str:
    """The article as an HTML page (every document value escaped, and bounded: see
    :mod:`reader.display`). ``story``: what the library knows of the article's story
    (coverage, Top stories rank, inferred topics). ``fulltext``: the text fetched from its
    page, shown in place of the document's text; ``fulltext_status``: how fetching it goes
    (loading, or why it failed: the excerpt and text stay). ``keys``: the keys of the
    actions, by name, for the hints that name them (None: the defaults). ``remote``: whether
    images and full texts may be fetched (Preferences > Remote images); when not, the page
    offers neither and says why its images are not loaded. ``excerpt_repeated``: what
    :func:`is_excerpt_repeated` says of the article and ``fulltext`` (None: worked out here)."""
    parts = [f"<h1>{_e(clip(article.title, TITLE_CHARS))}</h1>"]
    meta = []
    if article.provider:
        source = _v(clip(article.provider.name), first=True)
        if article.provider.domain and article.provider.domain.lower() != article.provider.name.lower():
            source += f" ({_v(clip(article.provider.domain))})"
        meta.append(source)
    else:
        meta.append("No source")
    meta.append(_e(full_date(article.published)))
    if article.language:
        meta.append(_e(language_name(article.language)))
    if starred:
        meta.append("★ Starred")
    parts.append(f'<p class="meta">{" · ".join(meta)}</p>')
    if article.topics:
        parts.append(f'<p class="chips">Topics: {_chips(article.topics)}</p>')
    elif story is not None and story.inferred_topics:
        parts.append(f'<p class="chips">Topics (inferred from its story): {_chips(story.inferred_topics)}</p>')
    if excerpt_repeated is None:
        excerpt_repeated = is_excerpt_repeated(article, fulltext)
    if article.excerpt and not excerpt_repeated:
        parts.append(f'<p class="excerpt">{_e(breakable(clip(article.excerpt, TEXT_CHARS)))}</p>')
    body = article.body or ""
    if fulltext_status:
        parts.append(status_html(fulltext_status))
    elif fulltext is None and article.url and is_safe_link(article.url) and remote:
        parts.append(offer_html(article.url, keys))
    if fulltext is not None:
        parts.extend(render_fulltext(fulltext, keys, again=remote))
        body = ""
    for block in blocks(body[:TEXT_CHARS]):
        # headings and preformatted text keep their shape; every block is escaped text
        if block.kind == HEADING:
            parts.append(f"<h2>{_e(block.text)}</h2>")
        elif block.kind == PREFORMATTED:
            parts.append(f"<pre>{_e(breakable(kept_spaces(block.text)))}</pre>")
        else:
            parts.append(f"<p>{_e(breakable(block.text))}</p>")
    if len(body) > TEXT_CHARS:
        parts.append(f'<p class="placeholder">The text goes on for {len(body) - TEXT_CHARS:,} more characters '
                     f"(shown here are the first {TEXT_CHARS:,}; the whole text is in the file).</p>")
    if not article.body and not article.excerpt and fulltext is None:
        parts.append('<p class="placeholder">This document has no text.</p>')
    if article.images:
        states = images or {}
        asked = any(image.url in states for image in article.images)
        load = key_text("load_images", keys)
        if asked:
            note = ""
        elif not remote:
            note = f", {REMOTE_OFF}"
        else:
            note = f", not loaded — press {load} to load" if load else ", not loaded — Article > Load Images"
        count = len(article.images)
        parts.append(f"<h3>Images ({count}{note})</h3>")
        for number, image in enumerate(article.images[:LIST_ITEMS]):
            width, height = (image_sizes or {}).get(image.url, (image.width, image.height))  # (a loaded one's own)
            size = f"{width} × {height}" if width and height else "size unknown"
            titled = bool(image.title and image.title.strip())
            label = clip(image.title) if image.title and titled else f"Image {number + 1} of {count}"
            state = states.get(image.url)
            if state == LOADED:
                # (a starting width: the pane's browser fits it to its text, ArticleBrowser.fit_images)
                width = min(IMAGE_MAX_WIDTH, width or IMAGE_MAX_WIDTH)
                parts.append(f'<p class="figure"><img src="{IMAGE_SCHEME}:{number}" width="{width}"><br>'
                             f'<span class="meta">{_v(label, first=True)} — {_e(size)}</span></p>')
            else:
                status = f" ({_e(clip(state))})" if state else ""
                # its caption, or its place among the images ("Image 2 of 3", not "Image: Image 2 of 3")
                placeholder = f"Image: {_v(label)}" if titled else _e(label)  # (not a value: "Image 2 of 3")
                parts.append(f'<p class="placeholder">{placeholder} — {_e(size)}{status}</p>')
        if count > LIST_ITEMS:
            parts.append(f'<p class="placeholder">{more(count, LIST_ITEMS)}</p>')
    related = not_itself(article.related, article.url, article.amp_url)  # (an article is no coverage of itself)
    heading = "Related coverage"
    if story is not None and story.story is not None and len(story.story.versions) >= 2:
        parts.extend(_coverage(article, story))
        related = not_versions(related, story.story.versions)
        heading = "Related, not this story"
    for listed in story.listed if story is not None else ():
        parts.extend(_listed(listed))
        related = not_versions(related, listed.versions)
        heading = "Other related coverage"
    if related:
        parts.append(f"<h3>{heading} ({len(related)})</h3>")
        items = []
        ordered = sorted(related, key=lambda r: (r.published is None, r.published))
        for entry in ordered[:LIST_ITEMS]:
            source = entry.provider.name if entry.provider else "Unknown source"
            when = relative_date(entry.published) if entry.published else "undated"
            items.append(f'<li>{_link(entry.url, entry.title, first=True)}<br><span class="meta">{_v(clip(source), first=True)} · '
                         f'{_e(when)}</span></li>')
        if len(ordered) > LIST_ITEMS:
            items.append(f"<li>{more(len(ordered), LIST_ITEMS)}</li>")
        parts.append("<ul>" + "".join(items) + "</ul>")
    if article.url:
        parts.append(f'<p class="meta">Original: {_link(article.url, clip_middle(article.url))}</p>')
    if paths:
        label = "File" if len(paths) == 1 else "Files"
        shown_paths = "<br>".join(_v(clip_middle(shown(p), NAME_CHARS)) for p in paths[:LIST_ITEMS])
        parts.append(f'<p class="meta">{label}: {shown_paths}</p>')
    return "".join(parts)


def is_excerpt_repeated(article: Article, fulltext: FullText | None) -> bool:
    """Whether the article's excerpt is a part of its text, or of the full text fetched from
    its page (:func:`reader.plaintext.within`): then it is shown once, in the text. Only the
    text the page shows is looked at."""
    excerpt = article.excerpt
    if not excerpt:
        return False
    if within(excerpt, (article.body or "")[:TEXT_CHARS]):
        return True
    return fulltext is not None and within(excerpt, fulltext.text[:TEXT_CHARS])


def _chips(topics: Sequence[str]) -> str:
    """Topics as links that open them (at most :data:`LIST_ITEMS`, each name bounded)."""
    chips = " ".join(
        f'<a href="{TOPIC_SCHEME}:{quote(t, safe="")}">&nbsp;{_v(clip(t))}&nbsp;</a>' for t in topics[:LIST_ITEMS]
    )
    return chips + (f" {more(len(topics), LIST_ITEMS)}" if len(topics) > LIST_ITEMS else "")


def _coverage(article: Article, context: Context) -> list[str]:
    """The story's versions in time order (which are in the library), why the article is in
    the story, and why the story ranks where it does in Top stories."""
    story = context.story
    assert story is not None
    outlets = story.outlets
    parts = [f"<h3>{COVERAGE}: {plural(outlets, 'outlet')}</h3>", "<ul>"]
    for version in story.versions[:LIST_ITEMS]:
        source = clip(version.outlet or "No source")
        when = full_date(version.published) if version.published else "undated"
        if version.article_id == article.id:
            where = "this article"
        elif version.in_library:
            where = "in your library"
        else:
            where = "not in your library"
        title = _link(version.url, version.title, first=True)
        if version.in_library:
            title = f"<b>{title}</b>"
        parts.append(f'<li>{title}<br><span class="meta">{_v(source, first=True)} · {_e(when)} · {where}</span></li>')
    if len(story.versions) > LIST_ITEMS:
        parts.append(f"<li>{more(len(story.versions), LIST_ITEMS)}</li>")
    parts.append("</ul>")
    if context.joined:
        reason = cased_names(context.joined, "\n".join((article.title, article.excerpt or "", article.body[:TEXT_CHARS])))
        parts.append(f'<p class="meta">In this story: {_v(clip(reason, TIP_CHARS))}.</p>')
    ranking = context.ranking
    if ranking is not None:
        place = f"#{ranking.rank} of {ranking.of}" if ranking.rank else "not listed"
        parts.append(f"<h3>Top stories: {_e(place)} · score {ranking.score:.1f} of 100</h3>")
        terms = " + ".join(f"{_e(name)} {_e(value)} → {points:.1f}" for name, value, points in ranking.parts)
        parts.append(f'<p class="meta">{terms}<br>Score = {_e(FORMULA)}.</p>')
    return parts


def _listed(story: Story) -> list[str]:
    """An event among the article's related coverage (:func:`reader.stories.reading.listed`):
    a story of related entries alone (no document of the library reports it), or another
    document's story that holds several of them; the article shows its coverage."""
    outlets = story.outlets
    parts = [f"<h3>One event among its related coverage: {plural(outlets, 'outlet')}</h3>", "<ul>"]
    for version in story.versions[:LIST_ITEMS]:
        source = clip(version.outlet or "No source")
        when = full_date(version.published) if version.published else "undated"
        title = _link(version.url, version.title, first=True)
        if version.in_library:
            title = f"<b>{title}</b>"
        where = "in your library" if version.in_library else "not in your library"
        parts.append(f'<li>{title}<br><span class="meta">{_v(source, first=True)} · {_e(when)} · {where}</span></li>')
    if len(story.versions) > LIST_ITEMS:
        parts.append(f"<li>{more(len(story.versions), LIST_ITEMS)}</li>")
    parts.append("</ul>")
    return parts


def render_problem(problem: Problem, keys: Mapping[str, Sequence[str]] | None = None) -> str:
    reload = key_text("reload", keys)
    return (
        "<h1>This document could not be read</h1>"
        f"<p><b>{_e(clip(problem.reason, TIP_CHARS))}</b></p>"
        f'<p class="meta">{_e(shown(problem.path))}</p>'
        f"<p>Fix the file and it is read again automatically{f' (or press {_e(reload)})' if reload else ''}.</p>"
    )


# --------------------------------------------------------------------------- a feed's state


def render_feed(
    sub: Subscription,
    name: str,
    count: Count | None,
    *,
    every_minutes: int = 0,
    next_refresh: float | None = None,
    fetching: bool = False,
    now: float | None = None,
    keys: Mapping[str, Sequence[str]] | None = None,
) -> str:
    """A subscription's state, for its view when no article is selected: its address, when
    it was last fetched and what went wrong, when it is fetched next, its articles
    (``keys``: the actions' keys for the hints, by name; None: the defaults)."""
    reload, first = key_text("reload", keys), key_text("next_article", keys)
    now = time.time() if now is None else now
    parts = [f"<h1>{_e(name)}</h1>", '<p class="meta">Subscribed feed</p>']
    if fetching:
        parts.append("<p><b>Fetching it now…</b></p>")
    if sub.error:
        parts.append(f"<p><b>The last refresh failed: {_e(sub.error)}</b></p>")
        if count is not None and count.total:
            parts.append("<p>The articles it had before are kept.</p>")
        else:
            parts.append("<p>No copy of it has been fetched, so it has no articles yet.</p>")
    elif sub.checked is None:
        parts.append("<p>It has not been fetched yet.</p>")

    def when(stamp: float | None, never: str) -> str:
        if stamp is None:
            return never
        moment = from_timestamp(stamp)
        ago = relative_date(moment, from_timestamp(now))
        if ago == "now":
            return f"{full_date(moment)} (just now)"
        return f"{full_date(moment)} ({ago} ago)" if ago[0].isdigit() else full_date(moment)

    rows = [
        ("Address", _link(sub.url, sub.url)),
        ("Last fetched", _e(when(sub.checked, "never") + (" — failed" if sub.error and sub.checked else ""))),
        ("Last new copy", _e(when(sub.updated, "none yet"))),
    ]
    if sub.fetched_url and sub.fetched_url != sub.url:
        rows.insert(1, ("Fetched from", _link(sub.fetched_url, sub.fetched_url)))
    if fetching:
        upcoming = "now"
    elif every_minutes and next_refresh is not None:
        minutes = max(0, round((next_refresh - now) / 60))
        upcoming = f"in {minutes} min (every {every_minutes} min while the window is open)" if minutes else "in less than a minute"
    else:
        asked = f"when you press {reload}" if reload else "when you choose File > Reload"
        upcoming = f"{asked} (Preferences can refresh feeds every so often)"
    rows.append(("Next refresh", _e(upcoming)))
    if count is not None:
        rows.append(("Articles", _e(f"{count.total:,}, {count.unread:,} unread")))
    parts.append("<p>" + "<br>".join(f"{label}: {value}" for label, value in rows) + "</p>")
    hints = [f"{first} for its first article"] if first and count and count.total else []
    if reload:
        hints.append(f"{reload} to fetch it again")
    if hints:
        parts.append(f'<p class="meta">Press {_e(", ".join(hints))}.</p>')
    return "".join(parts)


class ArticleBrowser(QTextBrowser):
    """A text browser that loads nothing by itself: only images the pane was given."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.images: dict[str, QImage] = {}

    def fit_line_length(self) -> None:
        """Side margins that keep lines about :data:`LINE_CHARACTERS` long."""
        document = self.document()
        width = QFontMetricsF(document.defaultFont()).averageCharWidth() * LINE_CHARACTERS
        side = max(document.documentMargin(), (self.viewport().width() - width) / 2)
        frame = document.rootFrame()
        fmt = frame.frameFormat()
        if abs(fmt.leftMargin() - side) > 0.5 or abs(fmt.rightMargin() - side) > 0.5:
            fmt.setLeftMargin(side)
            fmt.setRightMargin(side)
            frame.setFrameFormat(fmt)
        self.fit_images()

    def text_width(self) -> int:
        """The width the page's text has, whether or not the vertical scroll bar shows (so an
        image fitted to it does not make the bar come and go)."""
        bar = self.verticalScrollBar()
        viewport = self.viewport().width() + (bar.width() if bar.isVisible() else 0) - bar.sizeHint().width()
        fmt = self.document().rootFrame().frameFormat()
        return max(16, int(viewport - fmt.leftMargin() - fmt.rightMargin()) - 2)

    def fit_images(self) -> None:
        """Draw each loaded image as wide as it is, at most as wide as the text: it never
        runs off the pane's edge, and follows the pane as it is resized."""
        if not self.images:
            return
        available = self.text_width()
        document = self.document()
        cursor: QTextCursor | None = None
        block = document.begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                fragment = it.fragment()
                fmt = fragment.charFormat()
                if fmt.isImageFormat():
                    image_format = fmt.toImageFormat()
                    image = self.images.get(image_format.name())
                    if image is not None:
                        width = min(image.width(), available)
                        if abs(image_format.width() - width) > 0.5:
                            image_format.setWidth(width)
                            image_format.setHeight(image.height() * width / max(1, image.width()))
                            cursor = cursor or QTextCursor(document)
                            cursor.setPosition(fragment.position())
                            cursor.setPosition(fragment.position() + fragment.length(), QTextCursor.MoveMode.KeepAnchor)
                            cursor.setCharFormat(image_format)
                it += 1
            block = block.next()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_line_length()

    def loadResource(self, kind: int, name: QUrl | str) -> object:
        url = name if isinstance(name, QUrl) else QUrl(name)
        if url.scheme() == IMAGE_SCHEME:
            return self.images.get(url.toString())
        return None


class DetailPane(QWidget):
    """Title, metadata, text, images and coverage of the current article."""

    topic_requested = Signal(str)
    link_requested = Signal(str)
    fulltext_requested = Signal()  #: the Full Text button or the pane's "Fetch again"
    story_shown = Signal()  #: another article or story is shown (see story_timeline)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("articleDetail")
        self.setAccessibleName("Article")
        self.setAccessibleDescription("The selected article: title, source, date, topics, text and coverage")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        bar = QHBoxLayout()
        bar.setContentsMargins(8, 4, 8, 4)
        #: The actions' keys, by name, that the tooltips and the page name (None: the defaults).
        self.keys: Mapping[str, Sequence[str]] | None = None
        self.open_button = self._button("Open Original", "open")
        self.copy_button = self._button("Copy Link", "copy")
        self.star_button = self._button("Star", "unstarred")
        self.star_button.setCheckable(True)
        self.fulltext_button = self._button("Full Text", "fulltext")
        self.fulltext_button.clicked.connect(self.fulltext_requested)
        self._bar = bar
        # (it never makes the pane wider than it was without it: it hides when there is no room)
        self.fulltext_button.setMinimumWidth(1)
        for button in (self.open_button, self.copy_button, self.star_button, self.fulltext_button):
            bar.addWidget(button)
        bar.addStretch(1)
        self.labels_label = QLabel(self)
        self.labels_label.setObjectName("articleLabels")
        self.labels_label.setContentsMargins(0, 0, 12, 0)
        bar.addWidget(self.labels_label)
        self.state_label = QLabel(self)
        # (no fixed accessible name: a screen reader reads its text, "Read · Starred")
        self.state_label.setAccessibleDescription("Whether the article is read or unread, and starred")
        bar.addWidget(self.state_label)
        layout.addLayout(bar)
        self.browser = ArticleBrowser(self)
        self.browser.setObjectName("articleText")
        self.browser.setAccessibleName("Article text")
        self._name_keys()
        self.browser.setOpenLinks(False)
        self.browser.setOpenExternalLinks(False)
        self.browser.setTabChangesFocus(True)
        self.browser.setFrameShape(QTextBrowser.Shape.NoFrame)
        self.browser.document().setDocumentMargin(18)
        #: Zoom steps (points added to the text's size; Ctrl+= / Ctrl+- / Ctrl+0).
        self.zoom = 0
        self._page = ""
        self._apply_style()
        self.browser.anchorClicked.connect(self._anchor)
        layout.addWidget(self.browser, 1)
        self.setFocusProxy(self.browser)
        self.article: Article | None = None
        self.showing_feed = False  #: a subscription's state is shown (see show_feed)
        self.problem: Problem | None = None  #: the problem shown (see show_problem)
        self._read = False
        self._paths: list[str] | None = None
        self.story: Context | None = None
        #: url -> state of the current article's images (see LOADING, LOADED)
        self.image_states: dict[str, str] = {}
        self._loaded: dict[str, QImage] = {}
        #: The text fetched from the article's page (shown in place of its text), and how
        #: fetching it goes (see :meth:`set_fulltext`).
        self.fulltext: FullText | None = None
        self.fulltext_status: str | None = None
        #: is_excerpt_repeated of the article and full text shown (not worked out per render)
        self._excerpt_repeated = False
        #: Whether images and full texts may be fetched (Preferences > Remote images).
        self.remote = True
        self.show_article(None)

    def _fit_bar(self) -> None:
        """Open Original, Copy Link and Star show their names when the pane is wide enough
        for them and its labels, else their icons alone (their names stay their tooltips and
        accessible names): at a large font the pane can narrow so that the sidebar and the
        list keep room. The Full Text button shows when the pane is wide enough for every
        button with its name (when narrower, the page's own "Load the full text" link and
        key F remain)."""
        button = self.fulltext_button
        if not hasattr(self, "state_label"):  # (the bar is being built)
            return
        named = (self.open_button, self.copy_button, self.star_button)
        spacing = self._bar.spacing()
        margins = self._bar.contentsMargins()
        labels = self.state_label.sizeHint().width() + self.labels_label.sizeHint().width()
        fixed = margins.left() + margins.right() + labels + 5 * spacing + 120
        needed = sum(self._named_width(b) for b in named) + fixed
        style = Qt.ToolButtonStyle.ToolButtonTextBesideIcon if self.width() >= needed else Qt.ToolButtonStyle.ToolButtonIconOnly
        for each in named:
            each.setMinimumWidth(self._icon_width(each))  # (the pane may narrow to their icons)
            if each.toolButtonStyle() != style:
                each.setToolButtonStyle(style)
        wide = style == Qt.ToolButtonStyle.ToolButtonTextBesideIcon and self.width() >= needed + self._named_width(button)
        if button.isVisibleTo(self) != wide:
            button.setVisible(wide)

    @staticmethod
    def _named_width(button: QToolButton) -> int:
        """The width of ``button`` with its icon and name."""
        return button.fontMetrics().horizontalAdvance(button.text()) + button.iconSize().width() + 24

    @staticmethod
    def _icon_width(button: QToolButton) -> int:
        """The width of ``button`` with its icon alone."""
        return button.iconSize().width() + 12

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_bar()

    def _apply_style(self) -> None:
        """Colours from the palette, the reading font and the zoom, into the page."""
        palette = self.palette()
        self.browser.document().setDefaultStyleSheet(
            _STYLE.format(
                muted=palette.color(QPalette.ColorRole.PlaceholderText).name(),
                link=palette.color(QPalette.ColorRole.Link).name(),
            )
        )
        font = self.font()
        font.setPointSizeF(max(4.0, font.pointSizeF() + READING_POINTS + self.zoom))
        self.browser.setFont(font)
        self.browser.document().setDefaultFont(font)

    def set_zoom(self, steps: int) -> None:
        """Show the article's text ``steps`` points larger (smaller when negative)."""
        self.zoom = steps
        self._apply_style()
        self._refresh()

    def _refresh(self) -> None:
        """Lay the page out again (after the palette, the font or the zoom changed)."""
        if self.article is not None:
            self._render(keep_position=True)
        else:
            position = self.browser.verticalScrollBar().value()
            self._set_html(self._page)
            self.browser.verticalScrollBar().setValue(position)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.FontChange) and hasattr(self, "_read"):
            self.open_button.setIcon(icons.icon("open"))
            self.copy_button.setIcon(icons.icon("copy"))
            self.fulltext_button.setIcon(icons.icon("fulltext"))
            self._fit_bar()
            if self.article is not None:
                self.set_state(read=self._read, starred=self.star_button.isChecked())
            else:
                self.star_button.setIcon(icons.icon("unstarred"))
            self._apply_style()
            self._refresh()

    def set_keys(self, keys: Mapping[str, Sequence[str]] | None) -> None:
        """Name the actions' current ``keys`` (by action name) in the tooltips and the page."""
        self.keys = keys
        self._name_keys()
        if self.article is not None:
            self._render(keep_position=True)
        elif self.problem is not None:
            self.show_problem(self.problem)

    def _name_keys(self) -> None:
        keys = self.keys
        for button, tip, name in (
            (self.open_button, "Open the article's web page in your browser", "open_original"),
            (self.copy_button, "Copy the article's link", "copy_link"),
            (self.star_button, "Star or unstar", "toggle_star"),
            (self.fulltext_button, "Load the whole article from its web page", "load_fulltext"),
        ):
            button.setToolTip(with_key(tip, name, keys))
            button.setAccessibleDescription(button.toolTip())
        page = key_text("page_down", keys)
        self.browser.setAccessibleDescription(
            "Title, source, date, topics, text, images and coverage of the article" + (f"; {page} pages down" if page else "")
        )
        label = key_text("label_article", keys)
        tip = f"Your labels on this article ({label} changes them)" if label else "Your labels on this article"
        self.labels_label.setToolTip(tip)
        self.labels_label.setAccessibleDescription(tip)

    def _button(self, text: str, icon: str) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setIcon(icons.icon(icon))
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        button.setAccessibleName(text)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # reached by their keys (o, c, s)
        return button

    def show_article(self, article: Article | None, *, read: bool = False, starred: bool = False,
                     paths: list[str] | None = None, story: Context | None = None,
                     fulltext: FullText | None = None, fulltext_status: str | None = None) -> None:
        """Show ``article`` (rendered once), with its stored ``fulltext`` or with how
        loading it goes (``fulltext_status``) when known (see :meth:`set_fulltext`)."""
        if article is None or self.article is None or article.id != self.article.id:
            self.fulltext, self.fulltext_status = None, None  # (another article)
        if fulltext is not None or fulltext_status is not None:
            self.fulltext = fulltext if fulltext is not None else self.fulltext
            self.fulltext_status = fulltext_status
        article = with_page_images(article, self.fulltext) if article is not None else None
        self.article = article
        self.story = story
        self.showing_feed = False
        self.problem = None
        has_link = bool(article and is_safe_link(article.url))
        self.open_button.setEnabled(has_link)
        self.copy_button.setEnabled(has_link)
        self._fit_fulltext_button()
        self.fulltext_button.setText("Fetch Again" if self.fulltext is not None else "Full Text")
        self.star_button.setEnabled(article is not None)
        if article is None:
            self.image_states.clear()
            self._loaded.clear()
            self.state_label.clear()
            self.labels_label.clear()
            self._fit_bar()
            self._set_html('<p class="placeholder">No article selected.</p>')
            self.story_shown.emit()
            return
        self.set_state(read=read, starred=starred)
        self._paths = paths
        known = {image.url for image in article.images}
        self.image_states = {url: state for url, state in self.image_states.items() if url in known}
        self._loaded = {url: image for url, image in self._loaded.items() if url in known}
        self._excerpt_repeated = is_excerpt_repeated(article, self.fulltext)
        self._render()
        self.story_shown.emit()

    def set_remote(self, on: bool) -> None:
        """Whether images and full texts may be fetched: the Full Text button and the page's
        offers follow."""
        self.remote = on
        self._fit_fulltext_button()
        self._render(keep_position=True)

    def _fit_fulltext_button(self) -> None:
        """The Full Text button works for an article with a link, when fetching is allowed."""
        self.fulltext_button.setEnabled(self.remote and self.article is not None and is_safe_link(self.article.url))

    def set_fulltext(self, full: FullText | None, status: str | None = None) -> None:
        """Show ``full`` (the text fetched from the current article's page; None: keep what
        is shown) and ``status`` (loading, or why it failed; None: nothing to say)."""
        if self.article is None:
            return
        if full is not None:
            self.fulltext = full
            self.article = with_page_images(self.article, full)
            self._excerpt_repeated = is_excerpt_repeated(self.article, full)
            self.fulltext_button.setText("Fetch Again")
            self._fit_bar()
        self.fulltext_status = status
        self._render(keep_position=True)

    def set_story(self, story: Context | None) -> None:
        """Show the open article's story anew (stories are formed after a load)."""
        if self.article is not None and story != self.story:
            self.story = story
            self._render(keep_position=True)
            self.story_shown.emit()

    def _render(self, keep_position: bool = False) -> None:
        if self.article is None:
            return
        images = self.article.images
        self.browser.images = {
            f"{IMAGE_SCHEME}:{n}": self._loaded[i.url] for n, i in enumerate(images) if i.url in self._loaded
        }
        sizes = {url: (image.width(), image.height()) for url, image in self._loaded.items()}
        page = render_article(
            self.article, paths=self._paths, images=self.image_states, image_sizes=sizes, story=self.story,
            fulltext=self.fulltext, fulltext_status=self.fulltext_status, keys=self.keys, remote=self.remote,
            excerpt_repeated=self._excerpt_repeated,
        )
        position = self.browser.verticalScrollBar().value()
        self._set_html(page)
        if keep_position:
            self.browser.verticalScrollBar().setValue(position)

    def image_urls(self) -> list[str]:
        """The current article's image URLs not loaded yet; marks them as loading."""
        if self.article is None:
            return []
        urls = [i.url for i in self.article.images if self.image_states.get(i.url) != LOADED]
        for url in urls:
            self.image_states[url] = LOADING
        self._render(keep_position=True)
        return urls

    def image_loaded(self, url: str, image: QImage) -> None:
        if url in self.image_states:
            self.image_states[url] = LOADED
            self._loaded[url] = image
            self._render(keep_position=True)

    def image_failed(self, url: str, reason: str) -> None:
        if url in self.image_states:
            self.image_states[url] = reason
            self._render(keep_position=True)

    def set_state(self, *, read: bool, starred: bool) -> None:
        self._read = read
        self.star_button.setChecked(starred)
        self.star_button.setIcon(icons.icon("starred", icons.STAR_COLOUR) if starred else icons.icon("unstarred"))
        self.star_button.setText("Starred" if starred else "Star")
        self.state_label.setText(("Read" if read else "Unread") + (" · Starred" if starred else ""))
        self._fit_bar()  # (the star's name and the state take room)

    def set_labels(self, labels: Sequence[str]) -> None:
        """Show the user's labels on the article."""
        self.labels_label.setText(("Labels: " + ", ".join(labels)) if labels else "")
        self._fit_bar()

    def show_problem(self, problem: Problem | None) -> None:
        self.problem = problem
        self.article = None
        self.showing_feed = False
        for button in (self.open_button, self.copy_button, self.star_button, self.fulltext_button):
            button.setEnabled(False)
        self.state_label.clear()
        self.labels_label.clear()
        self._set_html(render_problem(problem, self.keys) if problem else '<p class="placeholder">No problem selected.</p>')

    def show_feed(self, page: str) -> None:
        """Show a subscription's state (:func:`render_feed`) in place of an article."""
        self.article = None
        self.problem = None
        self.showing_feed = True
        for button in (self.open_button, self.copy_button, self.star_button, self.fulltext_button):
            button.setEnabled(False)
        self.state_label.clear()
        self.labels_label.clear()
        if page != self._page:
            self._set_html(page)

    def _set_html(self, page: str) -> None:
        self._page = page
        self.browser.document().setHtml(page)
        self.browser.fit_line_length()
        self.browser.verticalScrollBar().setValue(0)

    def html(self) -> str:
        return self.browser.toHtml()

    def plain_text(self) -> str:
        return self.browser.toPlainText()

    def page(self, direction: int) -> bool:
        """Scroll a page down (+1) or up (-1); False when already at that end."""
        bar = self.browser.verticalScrollBar()
        before = bar.value()
        bar.setValue(before + direction * max(1, bar.pageStep() - 40))
        return bar.value() != before

    def _anchor(self, url: QUrl) -> None:
        if url.scheme() == TOPIC_SCHEME:
            self.topic_requested.emit(unquote(url.path(QUrl.ComponentFormattingOption.FullyEncoded)))  # (decoded once)
        elif url.toString() == FETCH_AGAIN:
            self.fulltext_requested.emit()
        else:
            self.link_requested.emit(url.toString())

