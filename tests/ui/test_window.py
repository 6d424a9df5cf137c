"""The window on the seeds: panes, sidebar counts, the article pane, and document text that
must stay text."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QTextCursor, QTextDocument
from PySide6.QtWidgets import QLineEdit, QTableView, QTextBrowser, QTreeView, QWidget
from pytestqt.qtbot import QtBot

from reader.library import View, ViewKind
from reader.ui.main_window import MainWindow

from .helpers import (
    SEED_ORDER,
    SEED_TITLES,
    WindowFactory,
    anchors,
    current_title,
    news_doc,
    select_title,
    settle,
    sidebar_counts,
    sidebar_sections,
    titles,
)


def test_window_shows_the_seeds(window: MainWindow) -> None:
    assert window.isVisible()
    assert window.article_model.rowCount() == 5
    assert titles(window) == SEED_ORDER
    assert window.status_label.text() == "5 articles · 0 problems"
    assert not window.progress.isVisible()
    assert window.windowTitle() == "docs — Reader"


def test_panes_have_object_names(window: MainWindow) -> None:
    assert isinstance(window.findChild(QTreeView, "topicSidebar"), QTreeView)
    assert isinstance(window.findChild(QTableView, "articleList"), QTableView)
    assert isinstance(window.findChild(QWidget, "articleDetail"), QWidget)
    assert isinstance(window.findChild(QLineEdit, "searchField"), QLineEdit)
    assert window.findChild(QTextBrowser, "articleText") is window.detail.browser


def test_home_and_end_go_to_the_first_and_last_article(qtbot: QtBot, window: MainWindow) -> None:
    window.article_list.setFocus()
    qtbot.keyClick(window.article_list, Qt.Key.Key_End)
    assert current_title(window) == SEED_ORDER[-1]
    assert window.detail.article is not None and window.detail.article.title == SEED_ORDER[-1]
    qtbot.keyClick(window.article_list, Qt.Key.Key_Home)
    assert current_title(window) == SEED_ORDER[0]
    qtbot.keyClick(window.article_list, Qt.Key.Key_Down)
    assert current_title(window) == SEED_ORDER[1]


def test_sidebar_lists_views_topics_and_sources_with_counts(window: MainWindow) -> None:
    sections = sidebar_sections(window)
    assert list(sections) == ["Views", "Topics", "Sources", "Languages"]
    assert sections["Views"] == {
        "All Articles": "5 / 5",
        "Unread": "5",
        "Starred": "0 / 0",
        "Today": "0 / 0",
        "Top Stories": "1 / 1",
        "Trends": "",
        "Problems": "",
    }
    assert sections["Topics"] == {"AI": "3 / 3", "Computer Vision": "1 / 1"}
    assert sections["Sources"] == {"BBC": "1 / 1", "Chicago Tribune": "1 / 1", "Global News": "1 / 1"}
    assert sections["Languages"] == {"English": "4 / 4", "Swedish": "1 / 1"}  # detected from the text, by name
    assert window.sidebar.current_key() == View(ViewKind.ALL)


def test_counts_follow_reading(window: MainWindow) -> None:
    select_title(window, SEED_TITLES["tribune"])  # AI, Computer Vision; Chicago Tribune
    counts = sidebar_counts(window)
    assert counts["All Articles"] == "4 / 5"
    assert counts["Unread"] == "4"
    assert counts["AI"] == "2 / 3"
    assert counts["Computer Vision"] == "0 / 1"
    assert counts["Chicago Tribune"] == "0 / 1"
    assert counts["BBC"] == "1 / 1"


def test_changing_view_keeps_the_current_article_when_it_is_still_listed(qtbot: QtBot, window: MainWindow) -> None:
    select_title(window, SEED_TITLES["bbc"])
    assert window.sidebar.select(View(ViewKind.TOPIC, "AI"))
    assert window.detail.article is not None and window.detail.article.title == SEED_TITLES["bbc"]  # meanwhile too
    settle(qtbot, window)
    assert titles(window) == [SEED_TITLES[k] for k in ("tribune", "global", "bbc")]
    assert window.detail.article is not None and window.detail.article.title == SEED_TITLES["bbc"]
    assert window.article_list.current_rowid() == window.library.rowid_of(window.detail.article.id)
    assert window.sidebar.select(View(ViewKind.TOPIC, "Computer Vision"))  # without it
    settle(qtbot, window)
    assert window.article_list.current_rowid() is None
    assert window.detail.article is None
    assert "No article selected." in window.detail.plain_text()


def test_topic_and_source_views_filter_the_list(qtbot: QtBot, window: MainWindow) -> None:
    assert window.sidebar.select(View(ViewKind.TOPIC, "Computer Vision"))
    settle(qtbot, window)
    assert titles(window) == [SEED_TITLES["tribune"]]
    assert window.sidebar.select(View(ViewKind.SOURCE, "BBC"))
    settle(qtbot, window)
    assert titles(window) == [SEED_TITLES["bbc"]]
    assert window.sidebar.select(View(ViewKind.TOPIC, "AI"))
    settle(qtbot, window)
    assert titles(window) == [SEED_TITLES[k] for k in ("tribune", "global", "bbc")]


def test_detail_pane_shows_the_article(window: MainWindow) -> None:
    select_title(window, SEED_TITLES["tribune"])
    text = window.detail.plain_text()
    assert text.startswith(SEED_TITLES["tribune"])
    assert "Chicago Tribune (chicagotribune.com)" in text
    assert "2020" in text
    assert "Topics:" in text and "AI" in text and "Computer Vision" in text
    assert "Coverage: 3 outlets" in text  # the seeds' story (see tests/test_stories.py)
    # its two copies of one Herta Security press release are one event it lists (a story of
    # related entries alone), the ACLU piece is other news
    assert "One event among its related coverage: 1 outlet" in text
    assert text.count("Herta Security Lauded by Frost & Sullivan") == 2
    assert "Other related coverage (1)" in text
    assert "The Government's Nightmare Vision for Face Recognition at Airports and Beyond" in text
    assert "Aclu.org" in text
    assert "Images (1, not loaded — press i to load)" in text
    # The placeholder is words, not an emoji a machine may have no font for.
    assert f"Image: {SEED_TITLES['tribune']} — 1200 × 800" in text
    assert "docs/001_19301bc74b7f561c.txt" in text.replace("\\", "/")
    links = anchors(window.detail.browser.document())
    assert "https://www.aclu.org/news/privacy-technology/the-governments-nightmare-vision-for-face-recognition-at-airports-and-beyond/" in links
    assert "reader-topic:Computer%20Vision" in links
    assert window.detail.open_button.isEnabled()
    assert window.detail.copy_button.isEnabled()
    assert window.detail.state_label.text() == "Read"


def test_plain_text_seed_is_undated_without_source(window: MainWindow) -> None:
    select_title(window, SEED_TITLES["plain"])
    text = window.detail.plain_text()
    assert "No source" in text
    assert "undated" in text
    assert "Topics:" not in text
    assert "Clearview CEO Hoan Ton-That" in text
    assert not window.detail.open_button.isEnabled()
    assert not window.detail.copy_button.isEnabled()
    assert window.detail.star_button.isEnabled()


def test_no_article_selected_at_first(window: MainWindow) -> None:
    assert window.detail.article is None
    assert "No article selected." in window.detail.plain_text()


def test_topic_link_opens_the_topic(qtbot: QtBot, window: MainWindow) -> None:
    select_title(window, SEED_TITLES["tribune"])
    window.detail.browser.anchorClicked.emit(QUrl("reader-topic:Computer%20Vision"))
    assert window.sidebar.current_key() == View(ViewKind.TOPIC, "Computer Vision")
    settle(qtbot, window)
    assert titles(window) == [SEED_TITLES["tribune"]]


HOSTILE_TITLE = "<script>alert(1)</script><b>x</b>"
HOSTILE_BODY = 'Body with <img src="https://evil.example/x.png" onerror="alert(2)"> and <a href="javascript:alert(3)">a link</a>.'


def test_document_html_is_shown_as_text(make_window: WindowFactory, docs_dir: Path) -> None:
    (docs_dir / "hostile.md").write_text(
        news_doc(
            HOSTILE_TITLE,
            url="https://hostile.example/story",
            published="2021-01-01T00:00:00Z",
            provider=("<i>Evil</i> Source", "hostile.example"),
            topics=("<u>Topic</u>",),
            body=HOSTILE_BODY,
            related=[("Run <script>me</script>", "javascript:alert(4)"), ("Fine coverage", "https://fine.example/a")],
        ),
        encoding="utf-8",
    )
    window = make_window([docs_dir])
    assert titles(window)[0] == HOSTILE_TITLE
    select_title(window, HOSTILE_TITLE)
    text = window.detail.plain_text()
    assert HOSTILE_TITLE in text
    assert HOSTILE_BODY in text
    assert "<i>Evil</i> Source" in text
    assert "<u>Topic</u>" in text
    assert "Run <script>me</script>" in text
    document = window.detail.browser.document()
    links = anchors(document)
    assert not any(link.lower().startswith("javascript:") for link in links)
    assert "https://fine.example/a" in links
    assert "https://evil.example/x.png" not in links
    assert not any(is_image(document, position) for position in range(document.characterCount()))


def is_image(document: QTextDocument, position: int) -> bool:
    cursor = QTextCursor(document)
    cursor.setPosition(position)
    return cursor.charFormat().isImageFormat()


def test_unsafe_related_link_is_not_opened(window: MainWindow, opened: list[str]) -> None:
    select_title(window, SEED_TITLES["bbc"])
    window.detail.browser.anchorClicked.emit(QUrl("javascript:alert(1)"))
    assert opened == []
    assert "Not opened" in window.statusBar().currentMessage()
    window.detail.browser.anchorClicked.emit(QUrl("https://www.dailydot.com/layer8/twitter-clearview-cease-and-desist/?utm_source=x"))
    assert opened == ["https://www.dailydot.com/layer8/twitter-clearview-cease-and-desist/"]


def test_taxonomy_descriptions_are_the_tooltips_of_topics_and_sources(
    make_window: WindowFactory, corpus_dir: Path, tmp_path: Path
) -> None:
    # The corpus's _data/ folder defines the organization techcrunch.com ("TechCrunch is a
    # leading technology media property, …") and the tag nlp ("Natural language processing
    # (NLP) is a subfield of artificial intelligence …"); no article there has the topic
    # "NLP", so one is added beside it.
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "nlp.md").write_text(news_doc("Parsing the news", topics=("NLP",)), encoding="utf-8")
    window = make_window([corpus_dir, extra])
    model = window.sidebar.sidebar_model

    def tooltip(kind: ViewKind, name: str) -> str:
        index = model.index_of(View(kind, name))
        assert index.isValid(), name
        return str(model.data(index, Qt.ItemDataRole.ToolTipRole))

    assert "TechCrunch is a leading technology media property" in tooltip(ViewKind.SOURCE, "TechCrunch")
    assert "Natural language processing (NLP) is a subfield" in tooltip(ViewKind.TOPIC, "NLP")
    # A topic without a description (AI's definition has none) gets only its name and counts.
    assert tooltip(ViewKind.TOPIC, "AI").splitlines()[0] == "AI"
    assert len(tooltip(ViewKind.TOPIC, "AI").splitlines()) == 2
