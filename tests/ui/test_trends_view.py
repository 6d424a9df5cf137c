"""The Trends smart view: the rising topics and sources of the library, opened with Enter."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QFont, QFontMetrics, QImage, QPainter
from PySide6.QtWidgets import QApplication, QStyleOptionViewItem
from pytestqt.qtbot import QtBot

from reader.library import View, ViewKind
from reader.timeline import Trend
from reader.ui.main_window import MainWindow
from reader.ui.trends_view import TrendDelegate, TrendsModel
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


def test_a_rows_counts_stay_whole_at_large_font_sizes(qapp: QApplication) -> None:
    """At 14 pt and more the row's second line no longer fits whole: its shorter forms keep
    "before: N" in sight rather than cutting it off mid-word."""
    model = TrendsModel()
    model.set_trends([Trend("topic", "Computer Vision", (0, 1, 0, 2, 1, 0, 2, 41), 30)])
    delegate = TrendDelegate()
    drawn: list[tuple[QRectF, QRectF, str]] = []  # (the room given, the room taken, the text)

    class Recording(QPainter):
        def drawText(self, *args: object) -> None:  # type: ignore[override]
            rect, flags, text = args
            drawn.append((QRectF(rect), self.boundingRect(rect, flags, text), str(text)))  # type: ignore[call-overload]
            super().drawText(*args)  # type: ignore[call-overload]

    for points, width in ((10, 420), (14, 420), (24, 420), (24, 300), (24, 200)):
        font = QFont(qapp.font())
        font.setPointSize(points)
        option = QStyleOptionViewItem()
        option.font = font
        option.fontMetrics = QFontMetrics(font)
        option.palette = qapp.palette()
        option.rect = QRect(0, 0, width, delegate.sizeHint(option, model.index(0, 0)).height())
        drawn.clear()
        image = QImage(width, option.rect.height(), QImage.Format.Format_ARGB32)
        painter = Recording(image)
        painter.setFont(font)
        delegate.paint(painter, option, model.index(0, 0))
        painter.end()
        (_first, (room, used, second)) = drawn
        assert used.width() <= room.width() + 0.5, (points, width, second)  # nothing cut off
        if width >= 420:  # (the list at 24 pt in a window of 1,200 pixels)
            assert second.endswith("41, before: 2"), (points, width, second)
        if points == 10:
            assert second == "Topic · last 30 days: 41, before: 2"
