"""The Trends smart view: the rising topics and sources of the library, opened with Enter."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from reader.library import View, ViewKind
from reader.ui.main_window import MainWindow
from reader.ui.view_data import PROBLEMS, TRENDS

from .helpers import news_doc, settle, titles


def write_docs(folder: Path, moments: list[datetime], *, topic: str, provider: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i, moment in enumerate(moments):
        slug = f"{topic}-{i}".replace(" ", "-").lower()
        text = news_doc(
            f"{topic}: distinct headline number {i} about {slug}",
            url=f"https://{provider.replace(' ', '').lower()}.example/{slug}",
            published=f"{moment:%Y-%m-%dT%H:%M:%SZ}",
            provider=(provider, f"{provider.replace(' ', '').lower()}.example"),
            topics=(topic,),
        )
        (folder / f"{slug}.md").write_text(text, encoding="utf-8")


def test_trends_list_the_surge_and_enter_opens_it(make_window, tmp_path: Path, qtbot: QtBot) -> None:  # type: ignore[no-untyped-def]
    newest = datetime(2024, 3, 31, 12, tzinfo=timezone.utc)
    docs = tmp_path / "surge"
    # Computer Vision: 9 articles in the last 30 days, none in the 30 before; Steady: 2 and 2.
    write_docs(docs, [newest - timedelta(days=d) for d in range(9)], topic="Computer Vision", provider="Lens Daily")
    write_docs(docs, [newest - timedelta(days=d) for d in (3, 20, 40, 50)], topic="Steady", provider="Calm Times")
    window: MainWindow = make_window([docs])
    assert window.sidebar.select(TRENDS)
    view = window.trends_view
    assert window.stack.currentWidget() is view
    qtbot.waitUntil(lambda: view.trends_model.rowCount() > 0)
    texts = [view.trends_model.index(r, 0).data() for r in range(view.trends_model.rowCount())]
    assert texts == ["Computer Vision new, 9 articles", "Lens Daily new, 9 articles"]
    accessible = view.trends_model.index(0, 0).data(Qt.ItemDataRole.AccessibleTextRole)
    assert accessible.startswith("Topic Computer Vision new, 9 articles in the last 30 days") and accessible.endswith("0, 9")
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.sidebar.current_key() == View(ViewKind.TOPIC, "Computer Vision"))
    qtbot.waitUntil(lambda: len(titles(window)) == 9)
    settle(qtbot, window)


def test_trends_reached_from_problems_show_no_problem_in_the_article_pane(window: MainWindow, qtbot: QtBot) -> None:
    assert window.sidebar.select(PROBLEMS)
    qtbot.waitUntil(lambda: "No problem selected." in window.detail.browser.toPlainText())
    assert window.sidebar.select(TRENDS)
    assert window.stack.currentWidget() is window.trends_view
    assert "No problem selected." not in window.detail.browser.toPlainText()
    assert window.detail.browser.toPlainText() == "No article selected."
    settle(qtbot, window)
