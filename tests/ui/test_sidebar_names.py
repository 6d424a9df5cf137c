"""Names cut to fit the sidebar stay apart from the other names of their section."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QStyle, QStyleOptionViewItem
from pytestqt.qtbot import QtBot

from reader.display import ELLIPSIS
from reader.library import Count, Counts, View, ViewKind
from reader.ui.sidebar import Sidebar

#: Topics of the window2 test data whose names share their start, and two sources that do.
TOPICS = ("AI", "AI Hardware", "AI in Autos", "AI in Finance", "AI in Healthcare", "AWS AI")
SOURCES = ("Business Insider", "Business Insider India")


def reads_as(cut: str, name: str) -> bool:
    """Whether ``cut`` could be ``name`` cut in the middle (its start, "…", its end)."""
    head, ellipsis, tail = cut.partition(ELLIPSIS)
    if not ellipsis:
        return cut == name
    return name.startswith(head) and name.endswith(tail) and len(name) >= len(head) + len(tail)


def drawn(sidebar: Sidebar, index: QModelIndex) -> tuple[str, bool]:
    """The text the sidebar draws for ``index`` (its delegate's, as the style gets it), and
    whether it fits the room the style gives it (or the style would cut it again)."""
    option = QStyleOptionViewItem()
    sidebar.initViewItemOption(option)
    option.rect = sidebar.visualRect(index)
    sidebar.itemDelegateForIndex(index).initStyleOption(option, index)
    style = sidebar.style()
    margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, sidebar) + 1
    room = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, option, sidebar).width() - 2 * margin
    return option.text, QFontMetricsF(option.font).horizontalAdvance(option.text) <= room


def test_names_cut_to_fit_read_as_themselves_alone(qtbot: QtBot) -> None:
    sidebar = Sidebar()
    qtbot.addWidget(sidebar)
    sidebar.sidebar_model.set_counts(Counts(
        topics={name: Count(12, 120) for name in TOPICS}, sources={name: Count(1, 1) for name in SOURCES}))
    font = sidebar.font()
    font.setPointSize(24)  # (as with font_size=24 in the settings)
    sidebar.setFont(font)
    # as narrow as "AI Hardware" is without its last four letters, beside the counts
    name_room = sidebar.fontMetrics().horizontalAdvance("AI Hard")
    sidebar.resize(name_room + sidebar.header().sectionSize(1) + sidebar.iconSize().width() + 60, 900)
    sidebar.show()
    qtbot.waitExposed(sidebar)
    model = sidebar.sidebar_model
    for names, kind in ((TOPICS, ViewKind.TOPIC), (SOURCES, ViewKind.SOURCE)):
        for name in names:
            index = model.index_of(View(kind, name))
            text, fits = drawn(sidebar, index)
            assert fits, (name, text)
            assert [other for other in names if reads_as(text, other)] == [name], (name, text)
            assert model.data(index, Qt.ItemDataRole.ToolTipRole).splitlines()[0] == name  # whole in the tooltip
    cut = [drawn(sidebar, model.index_of(View(ViewKind.TOPIC, name)))[0] for name in ("AI Hardware", "AI in Healthcare")]
    assert all(ELLIPSIS in text for text in cut), cut  # (the width did force cutting)
