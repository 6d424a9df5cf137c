"""The sidebar over several count refreshes, as during a first import: the counts shown, the
selection, and which rows are told to repaint."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from reader.library import Count, Counts, View, ViewKind
from reader.ui.main_window import MainWindow
from reader.ui.sidebar import Sidebar

AI, SPACE, ROBOTS = (View(ViewKind.TOPIC, name) for name in ("AI", "Space", "Robots"))
WIRE = View(ViewKind.SOURCE, "Wire")


def shown(sidebar: Sidebar, key: View) -> str:
    model = sidebar.sidebar_model
    return str(model.data(model.index_of(key).siblingAtColumn(1)))


def repainted(changes: list[tuple[QModelIndex, QModelIndex]], sidebar: Sidebar, key: View) -> bool:
    """Whether a dataChanged range covered ``key``'s row (both its columns)."""
    index = sidebar.sidebar_model.index_of(key)
    return any(
        first.parent() == index.parent() and first.row() <= index.row() <= last.row()
        and first.column() == 0 and last.column() == 1
        for first, last in changes
    )


def test_counts_refreshed_repaint_one_range_per_section_over_the_rows_that_changed(qtbot: QtBot) -> None:
    science = View(ViewKind.TOPIC, "Science")
    sidebar = Sidebar()
    qtbot.addWidget(sidebar)
    sidebar.show()
    sidebar.set_counts(Counts(all=Count(4, 4), unread=Count(4, 4), topics={"AI": Count(3, 3), "Space": Count(1, 1)},
                              sources={"Wire": Count(4, 4)}))
    assert sidebar.select(SPACE)
    assert (shown(sidebar, AI), shown(sidebar, SPACE), shown(sidebar, WIRE)) == ("3 / 3", "1 / 1", "4 / 4")

    # More rows arrive: new topics appear (the items change), numbers grow.
    sidebar.set_counts(Counts(all=Count(10, 10), unread=Count(10, 10),
                              topics={"AI": Count(5, 5), "Robots": Count(2, 2), "Science": Count(1, 1), "Space": Count(2, 2)},
                              sources={"Wire": Count(10, 10)}))
    assert (shown(sidebar, AI), shown(sidebar, ROBOTS), shown(sidebar, science), shown(sidebar, SPACE)) == (
        "5 / 5", "2 / 2", "1 / 1", "2 / 2")
    assert sidebar.current_key() == SPACE
    assert sidebar.sidebar_model.key(sidebar.currentIndex()) == SPACE

    # Same items, some numbers change; Space's articles are read (its unread count goes to 0).
    # Robots and Space change, Science between them does not, nor AI before them.
    changes: list[tuple[QModelIndex, QModelIndex]] = []
    resets: list[None] = []
    sidebar.sidebar_model.dataChanged.connect(lambda first, last, *_: changes.append((first, last)))
    sidebar.sidebar_model.modelReset.connect(lambda: resets.append(None))
    sidebar.set_counts(Counts(all=Count(13, 11), unread=Count(11, 11),
                              topics={"AI": Count(5, 5), "Robots": Count(3, 3), "Science": Count(1, 1), "Space": Count(2, 0)},
                              sources={"Wire": Count(13, 11)}))
    assert resets == []
    assert (shown(sidebar, AI), shown(sidebar, ROBOTS), shown(sidebar, SPACE), shown(sidebar, WIRE)) == (
        "5 / 5", "3 / 3", "0 / 2", "11 / 13")
    assert shown(sidebar, View(ViewKind.UNREAD)) == "11"
    assert repainted(changes, sidebar, SPACE) and repainted(changes, sidebar, ROBOTS) and repainted(changes, sidebar, WIRE)
    # one range per section with changes, from its first changed row to its last
    topics = sidebar.sidebar_model.index_of(AI).parent()
    assert len([first for first, _ in changes if first.parent() == topics]) == 1
    assert len(changes) == len({first.parent().row() for first, _ in changes})
    assert repainted(changes, sidebar, science)  # (inside the topics' range)
    assert not repainted(changes, sidebar, AI)  # unchanged, before the range: not touched
    assert not repainted(changes, sidebar, View(ViewKind.STARRED))
    assert sidebar.current_key() == SPACE and sidebar.sidebar_model.key(sidebar.currentIndex()) == SPACE
    tip = sidebar.sidebar_model.data(sidebar.sidebar_model.index_of(SPACE), Qt.ItemDataRole.ToolTipRole)
    assert tip == "Space\n0 unread of 2 articles"

    # The very same counts again: nothing to repaint.
    changes.clear()
    sidebar.set_counts(sidebar.counts())
    assert changes == [] and resets == []


def test_items_never_have_children_sections_do(qtbot: QtBot) -> None:
    sidebar = Sidebar()
    qtbot.addWidget(sidebar)
    sidebar.set_counts(Counts(topics={"AI": Count(1, 1)}))
    model = sidebar.sidebar_model
    ai = model.index_of(AI)
    assert model.flags(ai) & Qt.ItemFlag.ItemNeverHasChildren and model.flags(ai) & Qt.ItemFlag.ItemIsSelectable
    assert model.rowCount(ai) == 0
    header = model.parent(ai)
    assert not model.flags(header) & Qt.ItemFlag.ItemNeverHasChildren and model.rowCount(header) == 1
    assert not model.flags(header) & Qt.ItemFlag.ItemIsSelectable


def test_the_count_column_widens_for_a_longer_count(qtbot: QtBot) -> None:
    sidebar = Sidebar()
    qtbot.addWidget(sidebar)
    sidebar.show()
    sidebar.set_counts(Counts(all=Count(2, 1), topics={"AI": Count(1, 1), "Space": Count(1, 0)}))
    before = sidebar.header().sectionSize(1)
    long_text = "123,456 / 1,234,567"
    sidebar.set_counts(Counts(all=Count(1_234_569, 123_457), topics={"AI": Count(1_234_567, 123_456), "Space": Count(2, 1)}))
    assert shown(sidebar, AI) == long_text
    width = sidebar.header().sectionSize(1)
    assert width > before and width >= sidebar.fontMetrics().horizontalAdvance(long_text)
    sidebar.set_counts(Counts(all=Count(3, 1), topics={"AI": Count(1, 1), "Space": Count(2, 0)}))
    assert sidebar.header().sectionSize(1) == width  # a refresh does not narrow it (no twitching)


def test_counts_answered_show_in_a_later_turn_and_only_the_newest(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    qtbot.waitUntil(lambda: not window.queries.busy and not window.load_control.loading)
    QApplication.processEvents()
    counts = window.counts
    assert counts is not None and "AI" in counts.topics
    older = replace(counts, topics={**counts.topics, "AI": Count(7, 7)})
    newer = replace(counts, topics={**counts.topics, "AI": Count(8, 6)})
    shown_counts: list[Counts] = []
    show_counts = window.show_counts
    monkeypatch.setattr(window, "show_counts", lambda c: (shown_counts.append(c), show_counts(c)))

    window.queries.counted.emit(older)
    window.queries.counted.emit(newer)
    assert window.counts is counts and shown_counts == []  # not in the turn they arrived in
    qtbot.waitUntil(lambda: window.counts is newer)
    assert shown_counts == [newer]  # the older one, superseded, is not shown at all
    assert shown(window.sidebar, AI) == "6 / 8"

    # The window changes its counts itself before a waiting answer is shown: it is dropped.
    window.queries.counted.emit(older)
    window.queries.invalidate_counts()
    for _ in range(3):
        QApplication.processEvents()
    assert window.counts is newer and shown_counts == [newer]
    assert shown(window.sidebar, AI) == "6 / 8"


def test_counts_waiting_when_the_window_closes_are_not_shown(qtbot: QtBot, window: MainWindow) -> None:
    """An answer waiting for the next event-loop turn when the window closes is dropped: the
    library it would read the sidebar's descriptions from is closed by then."""
    qtbot.waitUntil(lambda: not window.queries.busy and not window.load_control.loading)
    QApplication.processEvents()
    counts = window.counts
    assert counts is not None and "AI" in counts.topics
    window.queries.counted.emit(replace(counts, topics={**counts.topics, "AI": Count(9, 9)}))
    window.close()
    for _ in range(3):
        QApplication.processEvents()  # (an exception in the event loop fails the test)
    assert window.counts is counts
