"""The detail pane: one article, readable, with its links made safe.

Everything taken from a document is escaped before it is placed in the page, so document
text is always shown as text and never interpreted as markup. Nothing is loaded from the
network: images are listed as placeholders with their titles and sizes until the user asks
to load them (Article > Load Images); loaded images are shown from memory, and the page never
loads any other resource.
"""

from __future__ import annotations

import html
from urllib.parse import quote, unquote

from collections.abc import Mapping

from PySide6.QtCore import QEvent, QUrl, Qt, Signal
from PySide6.QtGui import QFontMetricsF, QImage, QPalette, QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QTextBrowser, QToolButton, QVBoxLayout, QWidget

from reader.article import Article, Problem
from reader.stories import FORMULA, Context
from reader.plaintext import paragraphs
from reader.timefmt import full_date, relative_date
from reader.ui import icons
from reader.urls import is_safe_link

TOPIC_SCHEME = "reader-topic"

_STYLE = """
a {{ color: {link}; }}
h1 {{ font-size: 150%; font-weight: 600; margin-bottom: 4px; }}
p {{ margin-top: 0; margin-bottom: 12px; line-height: 150%; }}
.meta {{ color: {muted}; }}
.excerpt {{ font-style: italic; }}
.chips a {{ text-decoration: none; }}
.placeholder {{ color: {muted}; }}
h3 {{ font-size: 105%; font-weight: 600; margin-top: 18px; }}
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _link(url: str | None, text: str) -> str:
    if url and is_safe_link(url):
        return f'<a href="{_e(url)}">{_e(text)}</a>'
    return _e(text)


IMAGE_SCHEME = "reader-image"
#: Text lines are kept about this many characters long, however wide the pane (easier to read).
LINE_CHARACTERS = 75
#: The article's text is this many points larger than the interface's.
READING_POINTS = 1.5
IMAGE_MAX_WIDTH = 560
#: Image states: not in the mapping (not asked for), LOADING, LOADED, or a reason it failed.
LOADING, LOADED = "loading…", "loaded"


def render_article(
    article: Article,
    starred: bool = False,
    paths: list[str] | None = None,
    images: Mapping[str, str] | None = None,
    image_widths: Mapping[str, int] | None = None,
    story: Context | None = None,
) -> str:
    """The article as an HTML page (every document value escaped). ``story``: what the
    library knows of the article's story (coverage, Top stories rank, inferred topics)."""
    parts = [f"<h1>{_e(article.title)}</h1>"]
    meta = []
    if article.provider:
        source = article.provider.name
        if article.provider.domain and article.provider.domain.lower() != source.lower():
            source += f" ({article.provider.domain})"
        meta.append(_e(source))
    else:
        meta.append("No source")
    meta.append(_e(full_date(article.published)))
    if article.language:
        meta.append(_e(article.language))
    if starred:
        meta.append("★ Starred")
    parts.append(f'<p class="meta">{" · ".join(meta)}</p>')
    if article.topics:
        chips = " ".join(
            f'<a href="{TOPIC_SCHEME}:{quote(t, safe="")}">&nbsp;{_e(t)}&nbsp;</a>' for t in article.topics
        )
        parts.append(f'<p class="chips">Topics: {chips}</p>')
    elif story is not None and story.inferred_topics:
        chips = " ".join(
            f'<a href="{TOPIC_SCHEME}:{quote(t, safe="")}">&nbsp;{_e(t)}&nbsp;</a>' for t in story.inferred_topics
        )
        parts.append(f'<p class="chips">Topics (inferred from its story): {chips}</p>')
    if article.excerpt and article.excerpt not in (article.body or ""):
        parts.append(f'<p class="excerpt">{_e(article.excerpt)}</p>')
    for paragraph in paragraphs(article.body):
        parts.append(f"<p>{_e(paragraph)}</p>")
    if not article.body and not article.excerpt:
        parts.append('<p class="placeholder">This document has no text.</p>')
    if article.images:
        states = images or {}
        asked = any(image.url in states for image in article.images)
        note = "" if asked else ", not loaded — press I to load"
        parts.append(f"<h3>Images ({len(article.images)}{note})</h3>")
        for number, image in enumerate(article.images):
            size = f"{image.width} × {image.height}" if image.width and image.height else "size unknown"
            label = image.title or image.url.rsplit("/", 1)[-1] or image.url
            state = states.get(image.url)
            if state == LOADED:
                width = min(IMAGE_MAX_WIDTH, (image_widths or {}).get(image.url, IMAGE_MAX_WIDTH))
                parts.append(f'<p><img src="{IMAGE_SCHEME}:{number}" width="{width}"><br>'
                             f'<span class="meta">{_e(label)} — {_e(size)}</span></p>')
            else:
                status = f" ({_e(state)})" if state else ""
                parts.append(f'<p class="placeholder">Image: {_e(label)} — {_e(size)}{status}</p>')
    related = article.related
    heading = "Related coverage"
    if story is not None and story.story is not None and len(story.story.versions) >= 2:
        parts.extend(_coverage(article, story))
        shown = {(v.url, v.title) for v in story.story.versions}
        related = tuple(r for r in related if (r.url, r.title) not in shown)
        heading = "Related, not this story"
    if related:
        parts.append(f"<h3>{heading} ({len(related)})</h3>")
        items = []
        for entry in sorted(related, key=lambda r: (r.published is None, r.published)):
            source = entry.provider.name if entry.provider else "Unknown source"
            when = relative_date(entry.published) if entry.published else "undated"
            items.append(f'<li>{_link(entry.url, entry.title)}<br><span class="meta">{_e(source)} · {_e(when)}</span></li>')
        parts.append("<ul>" + "".join(items) + "</ul>")
    if article.url:
        parts.append(f'<p class="meta">Original: {_link(article.url, article.url)}</p>')
    if paths:
        label = "File" if len(paths) == 1 else "Files"
        parts.append(f'<p class="meta">{label}: {"<br>".join(_e(p) for p in paths)}</p>')
    return "".join(parts)


def _coverage(article: Article, context: Context) -> list[str]:
    """The story's versions in time order (which are in the library), why the article is in
    the story, and why the story ranks where it does in Top stories."""
    story = context.story
    assert story is not None
    outlets = story.outlets
    parts = [f"<h3>Coverage: {outlets} outlet{'' if outlets == 1 else 's'}</h3>", "<ul>"]
    for version in story.versions:
        source = version.outlet or "No source"
        when = full_date(version.published) if version.published else "undated"
        if version.article_id == article.id:
            where = "this article"
        elif version.in_library:
            where = "in your library"
        else:
            where = "not in your library"
        title = _link(version.url, version.title)
        if version.in_library:
            title = f"<b>{title}</b>"
        parts.append(f'<li>{title}<br><span class="meta">{_e(source)} · {_e(when)} · {where}</span></li>')
    parts.append("</ul>")
    if context.joined:
        parts.append(f'<p class="meta">In this story: {_e(context.joined)}.</p>')
    ranking = context.ranking
    if ranking is not None:
        place = f"#{ranking.rank} of {ranking.of}" if ranking.rank else "not listed"
        parts.append(f"<h3>Top stories: {_e(place)} · score {ranking.score:.1f} of 100</h3>")
        terms = " + ".join(f"{_e(name)} {_e(value)} → {points:.1f}" for name, value, points in ranking.parts)
        parts.append(f'<p class="meta">{terms}<br>Score = {_e(FORMULA)}.</p>')
    return parts


def render_problem(problem: Problem) -> str:
    return (
        "<h1>This document could not be read</h1>"
        f"<p><b>{_e(problem.reason)}</b></p>"
        f'<p class="meta">{_e(problem.path)}</p>'
        "<p>Fix the file and it is read again automatically (or press F5).</p>"
    )


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

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_line_length()

    def loadResource(self, kind: int, name: QUrl) -> object:
        if name.scheme() == IMAGE_SCHEME:
            return self.images.get(name.toString())
        return None


class DetailPane(QWidget):
    """Title, metadata, text, images and coverage of the current article."""

    topic_requested = Signal(str)
    link_requested = Signal(str)

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
        self.open_button = self._button("Open Original", "open", "Open the article's web page in your browser (O)")
        self.copy_button = self._button("Copy Link", "copy", "Copy the article's link (C)")
        self.star_button = self._button("Star", "unstarred", "Star or unstar (S)")
        self.star_button.setCheckable(True)
        for button in (self.open_button, self.copy_button, self.star_button):
            bar.addWidget(button)
        bar.addStretch(1)
        self.state_label = QLabel(self)
        # (no fixed accessible name: a screen reader reads its text, "Read · Starred")
        self.state_label.setAccessibleDescription("Whether the article is read or unread, and starred")
        bar.addWidget(self.state_label)
        layout.addLayout(bar)
        self.browser = ArticleBrowser(self)
        self.browser.setObjectName("articleText")
        self.browser.setAccessibleName("Article text")
        self.browser.setAccessibleDescription(
            "Title, source, date, topics, text, images and coverage of the article; Space pages down"
        )
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
        self._read = False
        self._paths: list[str] | None = None
        self.story: Context | None = None
        #: url -> state of the current article's images (see LOADING, LOADED)
        self.image_states: dict[str, str] = {}
        self._loaded: dict[str, QImage] = {}
        self.show_article(None)

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
            if self.article is not None:
                self.set_state(read=self._read, starred=self.star_button.isChecked())
            else:
                self.star_button.setIcon(icons.icon("unstarred"))
            self._apply_style()
            self._refresh()

    def _button(self, text: str, icon: str, tip: str) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setIcon(icons.icon(icon))
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        button.setToolTip(tip)
        button.setAccessibleName(text)
        button.setAccessibleDescription(tip)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # reached by their keys (o, c, s)
        return button

    def show_article(self, article: Article | None, *, read: bool = False, starred: bool = False,
                     paths: list[str] | None = None, story: Context | None = None) -> None:
        self.article = article
        self.story = story
        has_link = bool(article and is_safe_link(article.url))
        self.open_button.setEnabled(has_link)
        self.copy_button.setEnabled(has_link)
        self.star_button.setEnabled(article is not None)
        if article is None:
            self.image_states.clear()
            self._loaded.clear()
            self.state_label.clear()
            self._set_html('<p class="placeholder">No article selected.</p>')
            return
        self.set_state(read=read, starred=starred)
        self._paths = paths
        known = {image.url for image in article.images}
        self.image_states = {url: state for url, state in self.image_states.items() if url in known}
        self._loaded = {url: image for url, image in self._loaded.items() if url in known}
        self._render()

    def set_story(self, story: Context | None) -> None:
        """Show the open article's story anew (stories are formed after a load)."""
        if self.article is not None and story != self.story:
            self.story = story
            self._render(keep_position=True)

    def _render(self, keep_position: bool = False) -> None:
        if self.article is None:
            return
        images = self.article.images
        self.browser.images = {
            f"{IMAGE_SCHEME}:{n}": self._loaded[i.url] for n, i in enumerate(images) if i.url in self._loaded
        }
        widths = {url: image.width() for url, image in self._loaded.items()}
        page = render_article(
            self.article, paths=self._paths, images=self.image_states, image_widths=widths, story=self.story
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

    def show_problem(self, problem: Problem | None) -> None:
        self.article = None
        for button in (self.open_button, self.copy_button, self.star_button):
            button.setEnabled(False)
        self.state_label.clear()
        self._set_html(render_problem(problem) if problem else '<p class="placeholder">No problem selected.</p>')

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
            self.topic_requested.emit(unquote(url.path()))
        else:
            self.link_requested.emit(url.toString())

