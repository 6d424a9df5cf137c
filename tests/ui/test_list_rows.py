"""The article list's rows: the "Source · date" line sits right under the title, whether the
title takes one line or two; rows keep one height (the spare room is at the bottom)."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter
from PySide6.QtWidgets import QStyleOptionViewItem, QWidget
from pytestqt.qtbot import QtBot

from reader.library import ListRow
from reader.ui.article_list import ArticleDelegate, ArticleListModel

WIDTH = 420


def inked_bands(title: str, qtbot: QtBot) -> tuple[list[tuple[int, int]], int]:
    """The bands of pixel rows with ink in a painted row holding ``title`` (top, bottom),
    and the font's line spacing."""
    row = ListRow(1, "a", title, "Alpha News", "alpha.example", 1_600_000_000.0, True, False, None, None, "news")
    model = ArticleListModel(lambda rowids: {rowid: row for rowid in rowids})
    model.set_rowids([1], reset=True)
    widget = QWidget()
    qtbot.addWidget(widget)
    font = QFont(widget.font())
    delegate = ArticleDelegate()
    option = QStyleOptionViewItem()
    option.font = font
    option.palette = widget.palette()
    option.rect = QRect(0, 0, WIDTH, ArticleDelegate.row_height(font))
    image = QImage(option.rect.size(), QImage.Format.Format_RGB32)
    background = QColor(Qt.GlobalColor.white)
    image.fill(background)
    painter = QPainter(image)
    delegate.paint(painter, option, model.index(0, 0))
    painter.end()
    inked = [y for y in range(image.height()) if any(image.pixelColor(x, y) != background for x in range(image.width()))]
    bands: list[tuple[int, int]] = []
    for y in inked:
        if bands and y == bands[-1][1] + 1:
            bands[-1] = (bands[-1][0], y)
        else:
            bands.append((y, y))
    return bands, QFontMetrics(font).lineSpacing()


def test_the_source_line_follows_a_one_line_title(qtbot: QtBot) -> None:
    bands, line = inked_bands("Short title", qtbot)
    assert len(bands) == 2  # the title, then source and date
    (_, title_bottom), (meta_top, meta_bottom) = bands
    assert meta_top - title_bottom < line  # no empty line between them
    height = ArticleDelegate.row_height(QWidget().font())
    assert height - meta_bottom > line  # the spare line is at the bottom


def test_the_source_line_follows_a_two_line_title(qtbot: QtBot) -> None:
    bands, line = inked_bands("A much longer title that cannot fit on one line of the list at this width, so it wraps", qtbot)
    title_bottom, meta_top = bands[-2][1], bands[-1][0]
    assert bands[0][0] < bands[-2][1] - line  # two lines of title above
    assert meta_top - title_bottom < line
