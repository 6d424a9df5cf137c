"""The volume chart above the list: counts of the list per period, narrowing by a bar and
undoing it with Esc, the palette's colours, and text for screen readers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timezone
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPalette
from pytestqt.qtbot import QtBot

from reader.library import Library, View, ViewKind
from reader.timeline import Step, Zone, bucket
from reader.ui.main_window import MainWindow
from reader.ui.view_data import PROBLEMS
from reader.ui import volume_chart
from reader.ui.volume_chart import VolumeChart

from .helpers import SEED_ORDER, SEED_TITLES, settle, titles
from .test_preferences import restore_look  # noqa: F401  (a fixture)


@pytest.fixture
def utc(time_zone: Callable[[str], None]) -> None:
    """The seeds' days as in UTC (their times are given in UTC)."""
    time_zone("UTC")


@pytest.fixture
def charted(utc: None, make_window, docs_dir: Path, qtbot: QtBot) -> MainWindow:  # type: ignore[no-untyped-def]
    window: MainWindow = make_window([docs_dir])
    qtbot.waitUntil(lambda: window.volume_chart.volume is not None and window.volume_chart.volume.total == 3)
    return window


def test_the_chart_counts_the_list_per_day(charted: MainWindow) -> None:
    volume = charted.volume_chart.volume
    assert volume is not None
    # The seeds: BBC on 2020-01-23, Global News on 2020-02-05, the Tribune on 2020-02-06; two undated.
    counted = {b.label: b.total for b in volume.buckets if b.total}
    assert counted == {"Jan 23, 2020": 1, "Feb 5, 2020": 1, "Feb 6, 2020": 1}
    assert volume.step is Step.DAY and len(volume.buckets) == 15 and volume.undated == 2
    assert charted.volume_chart.isVisible()


def test_the_chart_follows_the_font_size(charted: MainWindow, qtbot: QtBot, restore_look: None) -> None:  # noqa: F811
    """Preferences > Font size runs from 7 to 24 pt: the caption and the periods' names grow
    with it, and the bars keep their room between them (at 24 pt they had 2 pixels)."""
    chart = charted.volume_chart
    heights = []
    for points in (7, 12, 18, 24):
        charted.theme.set_font_size(points)
        qtbot.waitUntil(lambda points=points: chart.font().pointSize() == points)  # type: ignore[misc]
        qtbot.waitUntil(lambda: chart.height() == chart.sizeHint().height())
        area, line = chart._areas()
        assert area.height() >= 36, (points, area)
        assert line + 2 <= area.top() and area.bottom() + 2 + line <= chart.height(), (points, area, line)
        heights.append(chart.height())
    assert heights == sorted(set(heights)), heights


def _axis_texts(chart: VolumeChart, monkeypatch: pytest.MonkeyPatch) -> list[tuple[QRectF, str]]:
    """The texts painted under the bars, each with the rectangle it covers."""
    drawn: list[tuple[QRectF, str]] = []

    class Recording(QPainter):
        def drawText(self, *args: object) -> None:  # type: ignore[override]
            if len(args) == 3 and isinstance(args[0], QRectF):
                rect, flags, text = args
                drawn.append((self.boundingRect(rect, flags, text), str(text)))  # type: ignore[call-overload]
            super().drawText(*args)  # type: ignore[call-overload]

    monkeypatch.setattr(volume_chart, "QPainter", Recording)
    chart.grab()
    monkeypatch.undo()
    area, _line = chart._areas()
    return [(rect, text) for rect, text in drawn if rect.top() > area.bottom()]


def test_the_axis_labels_never_overlap(
    charted: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, restore_look: None  # noqa: F811
) -> None:
    chart = charted.volume_chart
    texts = _axis_texts(chart, monkeypatch)
    assert [text for _rect, text in texts] == ["Jan 23", "Feb 6", "peak 1"]  # (room for all three)
    charted.theme.set_font_size(24)
    qtbot.waitUntil(lambda: chart.font().pointSize() == 24)
    for width in (420, 300, 200, 120):
        chart.setFixedWidth(width)
        texts = _axis_texts(chart, monkeypatch)
        assert texts and texts[0][1] == "Jan 23", width  # the first period's name always
        for i, (rect, text) in enumerate(texts):
            assert 0 <= rect.left() and rect.right() <= chart.width(), (width, text)
            for other, other_text in texts[i + 1 :]:
                assert not rect.intersects(other), (width, text, other_text)


def test_a_bar_narrows_the_list_and_esc_restores_it(charted: MainWindow, qtbot: QtBot) -> None:
    chart = charted.volume_chart
    chart.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.waitUntil(chart.hasFocus)
    qtbot.keyClick(chart, Qt.Key.Key_End)  # the last day, Feb 6
    qtbot.keyClick(chart, Qt.Key.Key_Left)  # Feb 5
    assert chart.picked() is not None and chart.picked().label == "Feb 5, 2020"  # type: ignore[union-attr]
    qtbot.keyClick(chart, Qt.Key.Key_Return)
    assert charted.search_bar.field.text() == "after:2020-02-05 before:2020-02-06"
    qtbot.waitUntil(lambda: titles(charted) == [SEED_TITLES["global"]])
    # The narrowed list's own volume comes next: a day.
    qtbot.waitUntil(lambda: chart.volume is not None and len(chart.volume.buckets) == 1)
    qtbot.keyClick(chart, Qt.Key.Key_Escape)
    assert charted.search_bar.field.text() == ""
    qtbot.waitUntil(lambda: titles(charted) == SEED_ORDER)
    settle(qtbot, charted)


def test_a_click_narrows_within_a_search_and_esc_in_the_list_restores(charted: MainWindow, qtbot: QtBot) -> None:
    charted.search_bar.field.setText("clearview")
    charted.search_bar.flush()
    found = len(charted.library.article_rowids(query="clearview"))
    qtbot.waitUntil(lambda: len(titles(charted)) == found)
    chart = charted.volume_chart
    qtbot.waitUntil(lambda: chart.volume is not None and chart.volume.total == 3)
    first = chart.bar_rects()[0]
    qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=QPoint(int(first.center().x()), int(first.center().y())))
    assert charted.search_bar.field.text() == "clearview after:2020-01-23 before:2020-01-24"
    qtbot.waitUntil(lambda: titles(charted) == [SEED_TITLES["bbc"]])
    charted.article_list.setFocus()
    qtbot.waitUntil(charted.article_list.hasFocus)
    qtbot.keyClick(charted.article_list, Qt.Key.Key_Escape)
    assert charted.search_bar.field.text() == "clearview"
    qtbot.waitUntil(lambda: len(titles(charted)) == found)
    settle(qtbot, charted)


def test_show_timeline_hides_and_shows_the_chart(charted: MainWindow, qtbot: QtBot) -> None:
    action = charted.registry["show_timeline"]
    assert action.isCheckable() and action.isChecked() and action.shortcut().toString() == "T"
    assert action in charted.menuBar().actions()[3].menu().actions()  # View
    action.trigger()
    assert not charted.volume_chart.isVisible() and not action.isChecked()
    action.trigger()
    assert charted.volume_chart.isVisible() and charted.volume_chart.hasFocus()
    settle(qtbot, charted)


def test_t_with_the_chart_focused_hides_it_and_gives_the_keyboard_to_the_list(charted: MainWindow, qtbot: QtBot) -> None:
    chart = charted.volume_chart
    chart.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.waitUntil(chart.hasFocus)
    qtbot.keyClick(chart, Qt.Key.Key_T)
    assert not chart.isVisible()
    assert charted.article_list.hasFocus()  # not the sidebar, where hiding the chart moved it
    settle(qtbot, charted)


def test_no_empty_chart_beside_problems(charted: MainWindow, qtbot: QtBot) -> None:
    assert charted.sidebar.select(PROBLEMS)
    settle(qtbot, charted)
    assert charted.view_key == PROBLEMS
    assert not charted.volume_chart.isVisible()  # (undated problems: nothing to chart)
    charted.sidebar.select(View(ViewKind.ALL))
    settle(qtbot, charted)
    assert charted.volume_chart.isVisible() and charted.registry["show_timeline"].isChecked()
    charted.sidebar.select(PROBLEMS)
    charted.registry["show_timeline"].trigger()  # off, then on again beside Problems: still hidden
    charted.registry["show_timeline"].trigger()
    assert not charted.volume_chart.isVisible()
    charted.sidebar.select(View(ViewKind.ALL))
    assert charted.volume_chart.isVisible()


def _volume():  # type: ignore[no-untyped-def]
    # Two days: 3 articles (1 unread), then 2 (2 unread), in UTC.
    zone = Zone(18000 * 86400, 18001 * 86400, timezone.utc)
    return bucket({18000: (3, 1), 18001: (2, 2)}, zone)


def test_palette_change_recolours_the_bars(qtbot: QtBot) -> None:
    chart = VolumeChart()
    qtbot.addWidget(chart)
    chart.resize(200, 80)
    chart.set_volume(_volume())
    rect = chart.bar_rects()[1]  # all unread: the whole bar in the highlight colour
    point = QPoint(int(rect.center().x()), int(rect.bottom()) - 3)

    def colour_at() -> QColor:
        return chart.grab().toImage().pixelColor(point)

    palette = chart.palette()
    palette.setColor(QPalette.ColorRole.Highlight, QColor("#1060d0"))
    chart.setPalette(palette)
    assert colour_at().name() == "#1060d0"
    palette.setColor(QPalette.ColorRole.Highlight, QColor("#e04010"))
    chart.setPalette(palette)
    assert colour_at().name() == "#e04010"


def test_the_counts_are_there_as_text(qtbot: QtBot) -> None:
    chart = VolumeChart()
    qtbot.addWidget(chart)
    chart.set_volume(_volume())
    assert chart.accessibleName() == "Articles over time"
    description = chart.accessibleDescription()
    # Day 18000 since 1970-01-01 is 2019-04-14.
    assert "5 articles over 2 days" in description
    assert "Apr 14, 2019\t3\t1" in description and "Apr 15, 2019\t2\t2" in description
    chart.pick(0)
    assert chart.accessibleDescription().startswith("Apr 14, 2019: 3 articles, 1 unread")


def test_one_refresh_counts_the_chart_once(charted: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    """A refresh asks for the list and the counts; both answers want the chart counted again,
    but the chart is counted once (the second answer finds the count asked for already)."""
    settle(qtbot, charted)
    calls: list[View] = []
    volume = Library.volume
    monkeypatch.setattr(Library, "volume", lambda self, view=View(), **k: (calls.append(view), volume(self, view, **k))[1])
    charted.refresh()
    qtbot.waitUntil(lambda: len(calls) >= 1)
    settle(qtbot, charted)
    assert calls == [View()]


def _painted_caption(chart: VolumeChart, monkeypatch: pytest.MonkeyPatch) -> str:
    """The text painted above the bars."""
    drawn: list[str] = []

    class Recording(QPainter):
        def drawText(self, *args: object) -> None:  # type: ignore[override]
            if len(args) == 3 and isinstance(args[0], QRectF) and args[0].top() < chart._areas()[0].top():
                drawn.append(str(args[2]))
            super().drawText(*args)  # type: ignore[call-overload]

    monkeypatch.setattr(volume_chart, "QPainter", Recording)
    chart.grab()
    monkeypatch.undo()
    assert len(drawn) == 1
    return drawn[0]


def test_a_narrow_chart_says_its_summary_in_fewer_words(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    """The caption's words where they fit; in a narrow pane the summary without the periods'
    count (the same counts and range), and only where even that does not fit, cut with an
    ellipsis. Screen readers get the whole caption at any width."""
    chart = VolumeChart()
    qtbot.addWidget(chart)
    volume = bucket({18000: (3, 1), 18001: (2, 2)}, Zone(18000 * 86400, 18001 * 86400, timezone.utc), undated=139)
    chart.set_volume(volume)
    full, short = volume.summary(), volume.summary(short=True)
    assert full == "5 articles over 2 days, Apr 14, 2019 – Apr 15, 2019 (139 undated)"
    metrics = QFontMetrics(chart._small_font())
    margins = chart.width() - int(chart._areas()[0].width())
    chart.resize(metrics.horizontalAdvance(full) + margins + 4, 80)
    assert _painted_caption(chart, monkeypatch) == full
    chart.resize(metrics.horizontalAdvance(full) + margins - 4, 80)
    assert _painted_caption(chart, monkeypatch) == short
    chart.resize(metrics.horizontalAdvance(short) // 2 + margins, 80)
    cut = _painted_caption(chart, monkeypatch)
    assert cut.endswith("…") and short.startswith(cut[:-1])
    assert chart.accessibleDescription().startswith(full)
    chart.can_restore = True  # (a narrowing to undo: its hint is kept while it fits)
    chart.resize(metrics.horizontalAdvance(short + " — Esc goes back") + margins + 4, 80)
    assert _painted_caption(chart, monkeypatch) == short + " — Esc goes back"
