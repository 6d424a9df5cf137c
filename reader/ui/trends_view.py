"""The Trends smart view: the topics and sources whose volume rose most in the library's
last week or month against the period before, each with a sparkline and its change
("Computer Vision ↑ 3.4×, 41 articles"). Enter, or a click, opens the topic or source."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QAbstractItemView, QListView, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from reader.library import View, ViewKind
from reader.timeline import Trend
from reader.ui.view_data import TRENDS

if TYPE_CHECKING:
    from reader.ui.main_window import MainWindow

TrendRole = Qt.ItemDataRole.UserRole + 1
_Index = QModelIndex | QPersistentModelIndex


def _kind_and_period(trend: Trend) -> tuple[str, str]:
    """What the trend is of ("Topic", "Source") and its period ("week", "N days")."""
    return ("Topic" if trend.kind == "topic" else "Source"), ("week" if trend.days == 7 else f"{trend.days} days")


def accessible_text(trend: Trend) -> str:
    kind, per = _kind_and_period(trend)
    series = ", ".join(str(n) for n in trend.series)
    return f"{kind} {trend.text} in the last {per}; articles per {per}, oldest first: {series}"


def counts_line(trend: Trend, metrics: QFontMetrics, width: float) -> str:
    """The row's second line in ``width`` pixels: the longest of its forms that fits ("Topic ·
    last week: 7, before: 2", "last week: 7, before: 2", "7, before: 2"), cut at the end only
    when not even the shortest does (the counts are what it is for)."""
    kind, per = _kind_and_period(trend)
    counts = f"{trend.recent:,}, before: {trend.before:,}"
    forms = (f"{kind} · last {per}: {counts}", f"last {per}: {counts}", counts)
    for form in forms:
        if metrics.horizontalAdvance(form) <= width:
            return form
    return metrics.elidedText(forms[-1], Qt.TextElideMode.ElideRight, int(width))


class TrendsModel(QAbstractListModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.trends: list[Trend] = []

    def set_trends(self, trends: list[Trend]) -> None:
        self.beginResetModel()
        self.trends = list(trends)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.trends)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self.trends):
            return None
        trend = self.trends[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return trend.text
        if role in (Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.ToolTipRole):
            return accessible_text(trend)
        if role == TrendRole:
            return trend
        return None


class TrendDelegate(QStyledItemDelegate):
    """Kind and text on the left, the sparkline on the right, in the palette's colours."""

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        return QSize(200, option.fontMetrics.height() * 2 + 10)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        trend = index.data(TrendRole)
        if not isinstance(trend, Trend):
            return
        painter.save()
        rect = QRectF(option.rect)
        palette: QPalette = option.palette
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if selected:
            painter.fillRect(rect, palette.color(QPalette.ColorRole.Highlight))
        text = palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        faint = QColor(text)
        faint.setAlphaF(0.6)
        spark_width = min(120.0, rect.width() * 0.35)
        line = option.fontMetrics.height()
        text_rect = QRectF(rect.left() + 8, rect.top() + 4, rect.width() - spark_width - 24, line)
        painter.setPen(text)
        metrics = option.fontMetrics
        painter.drawText(text_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         metrics.elidedText(trend.text, Qt.TextElideMode.ElideRight, int(text_rect.width())))  # fmt: skip
        painter.setPen(faint)
        painter.drawText(text_rect.translated(0, line + 2), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         counts_line(trend, metrics, text_rect.width()))  # fmt: skip
        # The sparkline: one bar a period, the recent one in the accent colour.
        area = QRectF(rect.right() - spark_width - 8, rect.top() + 6, spark_width, rect.height() - 12)
        peak = max(1, max(trend.series))
        slot = area.width() / len(trend.series)
        accent = palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Highlight)
        for i, n in enumerate(trend.series):
            height = max(1.0, area.height() * n / peak) if n else 0.0
            bar = QRectF(area.left() + i * slot + 1, area.bottom() - height, max(1.0, slot - 2), height)
            painter.fillRect(bar, accent if i == len(trend.series) - 1 else faint)
        painter.restore()


class TrendsView(QListView):
    opened = Signal(object)  #: the View of the topic or source chosen

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trendsList")
        self.setAccessibleName("Trends")
        self.setAccessibleDescription("Topics and sources that rose most lately; Enter opens one")
        self.trends_model = TrendsModel(self)
        self.setModel(self.trends_model)
        self.setItemDelegate(TrendDelegate(self))
        self.setUniformItemSizes(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.activated.connect(self._open)
        self.clicked.connect(self._open)
        #: Asked for and not answered yet (the first time): the view says so.
        self.waiting = True

    def set_trends(self, trends: list[Trend]) -> None:
        self.waiting = False
        self.trends_model.set_trends(trends)
        if trends:
            self.setCurrentIndex(self.trends_model.index(0, 0))

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self.trends_model.rowCount():
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(
                QRectF(self.viewport().rect()).adjusted(12, 24, -12, 0),
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap,
                "Looking for the topics and sources that rose…" if self.waiting else "No topic or source rose in the library's last week or month.",
            )
            painter.end()

    def _open(self, index: QModelIndex) -> None:
        trend = index.data(TrendRole)
        if isinstance(trend, Trend):
            self.opened.emit(View(ViewKind.TOPIC if trend.kind == "topic" else ViewKind.SOURCE, trend.name))

    def step(self, delta: int) -> None:
        row = max(0, min(self.trends_model.rowCount() - 1, (self.currentIndex().row() if self.currentIndex().isValid() else -1) + delta))
        if self.trends_model.rowCount():
            self.setCurrentIndex(self.trends_model.index(row, 0))


class TrendsController(QObject):
    """Asks the query thread for the trends when the view is shown (and after counts, while
    it is), and opens the topic or source chosen in the sidebar."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.view: TrendsView = window.trends_view
        window.queries.trends_found.connect(self._on_trends)
        window.queries.counted.connect(lambda _counts: self.request() if window.view_key == TRENDS else None)
        self.view.opened.connect(lambda view: window.sidebar.select(view))

    def request(self) -> None:
        self.window.queries.request_trends(self.window.scope)

    def _on_trends(self, trends: list[Trend]) -> None:
        self.view.set_trends(trends)
