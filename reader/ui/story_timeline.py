"""The story timeline in the article pane: every dated version of the open article's story
as a mark on a time axis (your time zone) — documents in the library filled, related
entries of other outlets hollow, this article larger and ringed — outlets named where
their names fit (in a tooltip otherwise), and "first: Global News, Feb 5 22:56 · 8 outlets
over 2 days" above it.

The timeline and the pane's coverage list select together: a version picked here (Left,
Right, Home, End or a click) is selected in the list, and a link of the list reached with
Tab picks its mark here. Enter (or a double click) opens a version that is in the library."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, QRegularExpression, QSize, Qt, QUrl, Signal
from PySide6.QtGui import (
    QFocusEvent,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QTextCursor,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QVBoxLayout, QWidget

from reader.display import LIST_ITEMS
from reader.stories import Context, Version
from reader.timeline import local_time, short_moment, story_line
from reader.ui.detail_pane import COVERAGE

if TYPE_CHECKING:
    from reader.ui.main_window import MainWindow

#: The coverage list's heading in the article pane, on a line of its own ("Coverage: 3 outlets").
_COVERAGE_HEADING = QRegularExpression(rf"^{COVERAGE}: [\d,]+ outlets?$")
#: How far the marks reach from the axis: this article's ring (6 + 3) and its pen, and a pixel.
RING = 11.0
#: The room kept between the widget's edges and what it draws, and at least between two names.
EDGE = 4.0
GAP = 6.0
#: Marks closer than this (a mark's width) are drawn on one spot: a name over one is over both.
SAME_SPOT = 9.0
#: A name keeps this far from the centre of another mark (a mark's radius and its pen).
CLEAR = 5.25
_KEYS = {
    Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Home, Qt.Key.Key_End, Qt.Key.Key_Return, Qt.Key.Key_Enter,
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Mark:
    version: Version
    when: datetime
    this: bool  #: the article the pane shows


def marks_of(context: Context | None, article_id: str | None) -> list[Mark]:
    """The dated versions of the story (two or more versions), oldest first."""
    story = context.story if context is not None else None
    if story is None or len(story.versions) < 2:
        return []
    return [
        Mark(v, v.published, v.article_id is not None and v.article_id == article_id)
        for v in story.versions
        if v.published is not None  # (a placeholder date is none: reader.timefmt.from_timestamp)
    ]


def describe(mark: Mark) -> str:
    local = local_time(mark.when)
    where = "this article" if mark.this else "in your library" if mark.version.in_library else "not in your library"
    return f"{mark.version.outlet or 'No source'}, {short_moment(local)}: {mark.version.title} ({where})"


class StoryTimeline(QWidget):
    picked = Signal(object)  #: the Mark picked (keyboard or click)
    open_requested = Signal(str)  #: the article id of a version in the library (Enter)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("storyTimeline")
        self.setAccessibleName("Story timeline")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.marks: list[Mark] = []
        self.line = ""
        self._first: str | None = None  # (the summary line's parts, to shorten its outlet)
        self._times: list[datetime] = []
        self._outlets = 0
        self.current: int | None = None
        self.hide()

    def sizeHint(self) -> QSize:
        return QSize(300, self._height())

    def minimumSizeHint(self) -> QSize:
        return QSize(100, self._height())

    def set_story(self, context: Context | None, article_id: str | None) -> None:
        self.marks = marks_of(context, article_id)
        story = context.story if context is not None else None
        if self.marks and story is not None:
            self._first = self.marks[0].version.outlet
            self._times = [m.when for m in self.marks]
            self._outlets = story.outlets
            self.line = story_line(self._first, self._times, self._outlets)
        else:
            self._first, self._times, self._outlets = None, [], 0
            self.line = ""
        self.current = next((i for i, m in enumerate(self.marks) if m.this), None)
        self.setVisible(bool(self.marks))
        self._describe()
        self.update()

    def _describe(self) -> None:
        rows = "\n".join(describe(m) for m in self.marks)
        picked = f"Picked: {describe(self.marks[self.current])}. " if self.current is not None and self.marks else ""
        self.setAccessibleDescription(f"{picked}{self.line}. Left and Right go through the versions, Enter opens one in your library.\n{rows}")

    # -------------------------------------------------------------- geometry

    def _small_font(self) -> QFont:
        font = QFont(self.font())
        if font.pointSizeF() > 0:
            font.setPointSizeF(max(6.5, font.pointSizeF() * 0.85))
        return font

    def _axis(self) -> tuple[float, float, float]:
        """(left, right, y) of the time axis."""
        line = QFontMetrics(self._small_font()).height()
        return 24.0, self.width() - 24.0, 2 * line + RING + 10.0

    def _height(self) -> int:
        """The height of what is drawn, top to bottom: the summary line, the names, the
        marks on the axis, the days under them and a margin (so it follows the font: Qt
        asks again when the font or the style changes)."""
        _left, _right, y = self._axis()
        return math.ceil(y + RING + QFontMetrics(self._small_font()).height() + EDGE)

    def summary(self) -> tuple[QRectF, str]:
        """(box, text) of the summary line above the names: when it is too long for the
        widget the first outlet's name is shortened ("…"), then left out, then the first
        moment, so the count of outlets and the span show as long as they fit."""
        metrics = QFontMetrics(self._small_font())
        left, right, _y = self._axis()
        room = int(right - left)
        text = self.line
        first = self._first
        if metrics.horizontalAdvance(text) > room and first:
            rest = metrics.horizontalAdvance(text) - metrics.horizontalAdvance(first)
            shortest = metrics.horizontalAdvance(first[:3] + "…")
            width = room - rest
            while width >= shortest and metrics.horizontalAdvance(text) > room:
                text = story_line(metrics.elidedText(first, Qt.TextElideMode.ElideRight, width), self._times, self._outlets)
                width -= 2
            if metrics.horizontalAdvance(text) > room:
                text = story_line(None, self._times, self._outlets)
        if metrics.horizontalAdvance(text) > room:
            text = text.rsplit(" · ", 1)[-1]  # the count and the span alone ("…0:05 · 3 outlets": a cut date)
        if metrics.horizontalAdvance(text) > room:
            text = metrics.elidedText(text, Qt.TextElideMode.ElideRight, room)
        return QRectF(left, 2, right - left, metrics.height()), text

    def positions(self) -> list[QPointF]:
        """Where each mark is drawn (evenly spread when all share one moment)."""
        if not self.marks:
            return []
        left, right, y = self._axis()
        low = self.marks[0].when.timestamp()
        high = self.marks[-1].when.timestamp()
        span = high - low
        points = []
        for i, mark in enumerate(self.marks):
            share = (mark.when.timestamp() - low) / span if span > 0 else (i + 1) / (len(self.marks) + 1)
            points.append(QPointF(left + share * (right - left), y))
        return points

    def index_at(self, point: QPointF) -> int | None:
        best, distance = None, 10.0
        for i, p in enumerate(self.positions()):
            d = abs(p.x() - point.x()) + abs(p.y() - point.y()) / 3
            if d < distance:
                best, distance = i, d
        return best

    # -------------------------------------------------------------- painting

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self.marks:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.Text)
        faint = palette.color(QPalette.ColorRole.PlaceholderText)
        accent = palette.color(QPalette.ColorRole.Highlight)
        font = self._small_font()
        painter.setFont(font)
        left, right, y = self._axis()
        painter.setPen(text)
        box, line = self.summary()
        painter.drawText(box, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, line)
        painter.setPen(QPen(faint, 1))
        painter.drawLine(QPointF(left, y), QPointF(right, y))
        points = self.positions()
        for box, name, strong in self.names():
            painter.setPen(text if strong else faint)
            painter.drawText(box, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, name)
        for i, (mark, point) in enumerate(zip(self.marks, points, strict=True)):
            radius = 6.0 if mark.this else 4.5
            if mark.version.in_library:
                painter.setPen(QPen(accent, 1.5))
                painter.setBrush(accent)
            else:
                painter.setPen(QPen(faint, 1.5))
                painter.setBrush(palette.color(QPalette.ColorRole.Base))
            painter.drawEllipse(point, radius, radius)
            if mark.this:
                painter.setPen(QPen(text, 1.5))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawEllipse(point, radius + 3, radius + 3)
            if i == self.current and self.hasFocus():
                painter.setPen(QPen(accent, 1, Qt.PenStyle.DotLine))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRect(QRectF(point.x() - 11, point.y() - 11, 22, 22))
        # The first and last days under the axis.
        painter.setPen(faint)
        for box, day in self.days():
            painter.drawText(box, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, day)
        painter.end()

    def names(self) -> list[tuple[QRectF, str, bool]]:
        """(box, outlet, in the library) of the names drawn above the marks. This article's
        outlet is named first, then those of the other documents in the library, then those
        of the related entries (oldest first in each), as room allows — names that fit whole
        before any shortened one: each name over its own mark (centred on it where it can
        be), inside the widget, over no name named before it and no other mark (but one
        drawn on the same spot), shortened with "…" to its room (at most a third of the
        widget), and left out when not even a few letters fit. This article's outlet is
        named even between marks too close for it."""
        if not self.marks:
            return []
        metrics = QFontMetrics(self._small_font())
        _left, _right, y = self._axis()
        top = y - RING - metrics.height()
        xs = [p.x() for p in self.positions()]
        edges = (EDGE, self.width() - EDGE)
        gap = max(GAP, metrics.horizontalAdvance("m"))  # (between two names: wider with the font)
        longest = max(1.0, (edges[1] - edges[0]) / 3)
        order = sorted(range(len(self.marks)), key=lambda i: (not self.marks[i].this, not self.marks[i].version.in_library, i))
        taken: list[tuple[float, float]] = []
        names: dict[int, tuple[QRectF, str, bool]] = {}

        def room(i: int) -> tuple[float, float]:
            """(low, high): where mark i's name may lie, clear of the other marks and names."""
            x = xs[i]
            low, high = edges
            for j, other in enumerate(xs):
                if j != i and abs(other - x) > SAME_SPOT:
                    if other < x:
                        low = max(low, other + CLEAR)
                    else:
                        high = min(high, other - CLEAR)
            for start, end in taken:
                if end <= x:
                    low = max(low, end + gap)
                elif start >= x:
                    high = min(high, start - gap)
                else:
                    low = high = x  # another name is over this mark
            return low, high

        for whole in (True, False):
            for i in order:
                if i in names:
                    continue
                mark, x = self.marks[i], xs[i]
                name = mark.version.outlet or "No source"
                low, high = room(i)
                full = metrics.horizontalAdvance(name) + 1
                shortest = full if whole else min(full, metrics.horizontalAdvance(name[:3] + "…") + 1)
                if mark.this:
                    shortest = min(full, metrics.horizontalAdvance(name[:3] + "…") + 1)
                    if high - low < shortest or not low <= x - 2 <= x + 2 <= high:
                        low, high = edges  # (named first: no name is taken yet)
                width = min(high - low, longest)
                if width < shortest or not low <= x - 2 <= x + 2 <= high:  # (over its own mark)
                    continue
                text = name if full <= width else metrics.elidedText(name, Qt.TextElideMode.ElideRight, int(width) - 1)
                width = metrics.horizontalAdvance(text) + 1
                x0 = min(max(x - width / 2, low), high - width)
                names[i] = (QRectF(x0, top, width, metrics.height()), text, mark.version.in_library)
                taken.append((x0, x0 + width))
        return sorted(names.values(), key=lambda n: n[0].left())

    def days(self) -> list[tuple[QRectF, str]]:
        """(box, day and time) of the first and last marks, under the axis and its marks."""
        if not self.marks:
            return []
        metrics = QFontMetrics(self._small_font())
        left, right, y = self._axis()
        days = []
        for mark, at_left in ((self.marks[0], True), (self.marks[-1], False)):
            local = local_time(mark.when)
            day = short_moment(local)
            width = metrics.horizontalAdvance(day) + 1
            x = max(4.0, left - 8) if at_left else min(self.width() - 4.0, right + 8) - width
            days.append((QRectF(x, y + RING, width, metrics.height()), day))
        return days

    # -------------------------------------------------------------- input

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent) and event.key() in _KEYS:
            if event.modifiers() in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier):
                event.accept()  # the timeline's keys, not the window's shortcuts (Ctrl+Shift+Right stays Widen Pane)
                return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        n = len(self.marks)
        if key in (Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Home, Qt.Key.Key_End) and n:
            current = self.current
            if key == Qt.Key.Key_Home:
                target = 0
            elif key == Qt.Key.Key_End:
                target = n - 1
            elif current is None:  # no version picked (an undated article): Right from the first, Left from the last
                target = 0 if key == Qt.Key.Key_Right else n - 1
            else:
                target = current + (1 if key == Qt.Key.Key_Right else -1)
            self.pick(max(0, min(n - 1, target)))
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.open_current()
        else:
            super().keyPressEvent(event)

    def pick(self, index: int | None, *, tell: bool = True) -> None:
        if index == self.current:
            return
        self.current = index
        self._describe()
        self.update()
        if tell and index is not None:
            self.picked.emit(self.marks[index])

    def open_current(self) -> None:
        if self.current is not None and self.marks[self.current].version.article_id:
            self.open_requested.emit(self.marks[self.current].version.article_id)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        index = self.index_at(event.position())
        if index is not None:
            self.pick(index)
        super().mousePressEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if self.index_at(event.position()) is not None:
            self.open_current()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        index = self.index_at(event.position())
        if index is not None:
            QToolTip.showText(event.globalPosition().toPoint(), describe(self.marks[index]), self)
        else:
            QToolTip.hideText()
        super().mouseMoveEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.update()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.update()


class StoryTimelineController(QObject):
    """Puts the timeline above the article pane's text, keeps it on the pane's story, and
    keeps it and the coverage list on the same version."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        detail = window.detail
        self.timeline = StoryTimeline(detail)
        layout = detail.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(1, self.timeline)  # under the buttons, above the text
        detail.story_shown.connect(self.refresh)
        detail.browser.highlighted.connect(self._on_link)  # (the mouse over a link)
        detail.browser.installEventFilter(self)  # (Tab to a link: Qt sends no signal of it)
        self.timeline.picked.connect(self._select_in_list)
        self.timeline.open_requested.connect(self.open)
        self.refresh()

    def refresh(self) -> None:
        detail = self.window.detail
        article = detail.article
        self.timeline.set_story(detail.story if article is not None else None, article.id if article else None)

    def _on_link(self, url: QUrl) -> None:
        """A link of the coverage list reached (Tab, or the mouse): its mark is picked. The
        links are compared as URLs (a version's link may be percent-encoded, and Qt's text of
        the link decodes it: "caf%C3%A9" is "café")."""
        index = next((i for i, m in enumerate(self.timeline.marks) if m.version.url and QUrl(m.version.url) == url), None)
        if index is not None:
            self.timeline.pick(index, tell=False)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if (event.type() == QEvent.Type.KeyRelease and isinstance(event, QKeyEvent)
                and event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab)):
            self._on_cursor()
        return False

    def _on_cursor(self) -> None:
        """A link reached with Tab or Shift+Tab (Qt selects its text, and sends no signal of
        it): that link's mark is picked."""
        cursor = self.window.detail.browser.textCursor()
        if cursor.hasSelection():
            inside = QTextCursor(cursor)
            inside.setPosition(cursor.selectionStart() + 1)  # (the format of the selection's first character)
            href = inside.charFormat().anchorHref()
            if href:
                self._on_link(QUrl(href))

    def _select_in_list(self, mark: Mark) -> None:
        """Select the version's title in the coverage list (after the Coverage heading): the
        item at the version's place among the story's versions, which the list shows in
        that order (two versions may have the same title)."""
        detail = self.window.detail
        story = detail.story.story if detail.story is not None else None
        if story is None:
            return
        place = next((i for i, v in enumerate(story.versions) if v is mark.version), None)
        browser = detail.browser
        start = browser.document().find(_COVERAGE_HEADING)  # (its own line: not "coverage:" in the text)
        if place is None or start.isNull():
            return
        items = start.block().next().textList()
        if items is None or place >= min(items.count(), LIST_ITEMS):
            return
        item = items.item(place)
        title = item.text().split("\u2028")[0]  # (the item's first line: its meta follows a <br>)
        cursor = QTextCursor(item)
        cursor.setPosition(item.position() + len(title.encode("utf-16-le")) // 2, QTextCursor.MoveMode.KeepAnchor)
        browser.setTextCursor(cursor)
        browser.ensureCursorVisible()

    def open(self, article_id: str) -> None:
        """Open a version in the library: selected in the list when the list has it, else
        shown in the pane (while stories are collapsed, the list is asked for again: the
        version open stands for its story's row, when the view holds it)."""
        window = self.window
        rowid = window.library.rowid_of(article_id)
        if rowid is None:
            return
        if window.article_model.row_of(rowid) >= 0 and window.article_list.select_rowid(rowid):
            return
        article = window.library.article(rowid)
        if article is not None:  # (shown as the list shows one: marked read as it says)
            window.show_opened(article, rowid)
            if window.collapsed:
                window.refresh()
