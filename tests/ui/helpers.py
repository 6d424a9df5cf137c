"""Helpers shared by the window tests: documents to write, readers of the window's state."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from reader.ui.main_window import MainWindow

#: ``make_window(paths, wait=True)`` (the fixture of that name).
WindowFactory = Callable[..., MainWindow]

#: How long a first load may take in a test (generous: CI machines are slow).
LOAD_TIMEOUT_MS = 30_000

SEED_TITLES = {
    "tribune": "Facebook, YouTube, Twitter warn Clearview face-recognition service to stop harvesting images",
    "global": "AI company must stop scraping user images from social media sites, top tech firms say",
    "bbc": "Twitter demands AI company stops 'collecting faces'",
    "swedish": "Facebook gick med i YouTube, Twitter och betaltjänsten Venmo krävde på onsdagen att ett…",
    "plain": "Facebook Joins YouTube & LinkedIn, Warns Clearview AI To Stop Scraping Images From Their Platforms",
}
#: The seeds in the list's default order (newest first, undated last by title).
SEED_ORDER = [SEED_TITLES[k] for k in ("tribune", "global", "bbc", "swedish", "plain")]


def titles(window: MainWindow) -> list[str]:
    model = window.article_model
    return [model.data(model.index(row)) for row in range(model.rowCount())]


def current_title(window: MainWindow) -> str | None:
    index = window.article_list.currentIndex()
    return window.article_model.data(index) if index.isValid() else None


def select_title(window: MainWindow, title: str) -> None:
    row = titles(window).index(title)
    assert window.article_list.select_row(row)
    assert window.detail.article is not None and window.detail.article.title == title


def sidebar_sections(window: MainWindow) -> dict[str, dict[str, str]]:
    """{section: {item: count text}} as the sidebar shows them."""
    model = window.sidebar.sidebar_model
    sections: dict[str, dict[str, str]] = {}
    for section_row in range(model.rowCount()):
        section = model.index(section_row, 0)
        items = sections.setdefault(model.data(section), {})
        for row in range(model.rowCount(section)):
            items[model.data(model.index(row, 0, section))] = model.data(model.index(row, 1, section)) or ""
    return sections


def sidebar_counts(window: MainWindow) -> dict[str, str]:
    """{item: count text} over every section."""
    return {name: count for items in sidebar_sections(window).values() for name, count in items.items()}


def sidebar_current_label(window: MainWindow) -> str:
    index = window.sidebar.currentIndex()
    return str(window.sidebar.sidebar_model.data(index.siblingAtColumn(0)))


def anchors(document: QTextDocument) -> list[str]:
    """Every link target in a rich-text document."""
    found = []
    block = document.begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            fragment = iterator.fragment()
            if fragment.isValid() and fragment.charFormat().isAnchor():
                found.append(fragment.charFormat().anchorHref())
            iterator += 1
        block = block.next()
    return found


# --------------------------------------------------------------------------- documents

SOURCES = (("Alpha News", "alpha.example"), ("Beta Times", "beta.example"), ("Gamma Post", "gamma.example"),
           ("Delta Daily", "delta.example"))
TOPICS = ("Robots", "Space", "Climate", "Health", "Chips")
BROKEN_DOC = "---\ntitle: never closed\nexcerpt: the front matter has no end\n"
BROKEN_REASON = "front matter never closed"


def news_doc(
    title: str,
    *,
    url: str = "https://news.example/story",
    published: str = "2020-03-01T12:00:00Z",
    provider: tuple[str, str] = ("Example News", "news.example"),
    topics: Sequence[str] = ("AI",),
    body: str = "",
    related: Sequence[tuple[str, str]] = (),
) -> str:
    """The text of a front-matter news document (values are YAML-quoted)."""

    def q(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    lines = [
        "---",
        f"title: {q(title)}",
        f"publishedDateTime: {published}",
        f"webUrl: {q(url)}",
        "provider:",
        f"  name: {q(provider[0])}",
        f"  domain: {q(provider[1])}",
        "topics:",
        *(f"  - {q(t)}" for t in topics),
    ]
    if related:
        lines.append("related:")
        for related_title, related_url in related:
            lines += [f"  - title: {q(related_title)}", f"    webUrl: {q(related_url)}",
                      "    provider:", '      name: "Other Outlet"']
    lines.append("---")
    return "\n".join(lines) + "\n" + body + ("\n" if body else "")


def write_generated(directory: Path, n: int) -> None:
    """``n`` simple news documents (``doc-00000.md`` ...) and one broken one."""
    directory.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        day, month = 1 + i % 28, 1 + (i // 28) % 12
        text = news_doc(
            f"Generated story number {i}",
            url=f"https://{SOURCES[i % 4][1]}/news/{i}",
            published=f"2019-{month:02d}-{day:02d}T{i % 24:02d}:{i % 60:02d}:00Z",
            provider=SOURCES[i % 4],
            topics=(TOPICS[i % 5],),
            body=f"Body of generated story {i}, with the word uniqueword{i} in it.",
        )
        (directory / f"doc-{i:05d}.md").write_text(text, encoding="utf-8")
    (directory / "broken.md").write_text(BROKEN_DOC, encoding="utf-8")


# --------------------------------------------------------------------------- windows

class UrlRecorder:
    """Stands in for the browser: records what the window would open."""

    def __init__(self) -> None:
        self.urls: list[str] = []

    def __call__(self, url: QUrl) -> bool:
        self.urls.append(url.toString())
        return True


def wait_loaded(qtbot: QtBot, window: MainWindow, timeout: int = LOAD_TIMEOUT_MS) -> None:
    """Wait until no load is running (and at least one has finished), its articles are
    grouped into stories, what the window asked the query thread for since has arrived,
    and the folders are watched."""
    qtbot.waitUntil(
        lambda: window.last_report is not None
        and not window.loading
        and not window.grouping
        and not window.busy
        and not window.watcher.starting,
        timeout=timeout,
    )


def settle(qtbot: QtBot, window: MainWindow, timeout: int = LOAD_TIMEOUT_MS) -> None:
    """Wait until every answer the window asked the query thread for (lists of views,
    counts, marking a view read) has arrived and is shown, and no recount is due."""
    qtbot.waitUntil(lambda: not window.busy, timeout=timeout)


def activate(qtbot: QtBot, window: QWidget) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def type_query(qtbot: QtBot, window: MainWindow, text: str) -> None:
    """Type ``text`` into the search field (what was there is cleared first)."""
    field = window.search_bar.field
    field.setFocus()
    field.clear()
    qtbot.keyClicks(field, text)
