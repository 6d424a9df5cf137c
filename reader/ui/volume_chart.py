"""The volume chart above the article list: the articles of the list per day, week or month
(unread apart from read), drawn with QPainter in the palette's colours.

The chart only shows a :class:`reader.timeline.Volume` and says which period the user
chose (:attr:`VolumeChart.chosen`: a click, or Enter on the period picked with Left/Right);
what that does to the list is the controller's (:mod:`reader.ui.volume_controller`)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFocusEvent, QFont, QFontMetrics, QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from reader.timeline import Bucket, Volume

BARS_HEIGHT = 40  #: the bars' area (the caption above it and the periods' names under it follow the font)
BAR_MAX = 36  #: the widest a bar is drawn (a few periods do not make slabs)
#: Keys the chart handles itself while focused (the window binds Left and Right to moving
#: between panes).
_KEYS = {
    Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Home, Qt.Key.Key_End,
    Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape,
}  # fmt: skip


def colours(palette: QPalette) -> tuple[QColor, QColor, QColor]:
    """(unread bars, read bars, the picked period's background) from ``palette``."""
    unread = palette.color(QPalette.ColorRole.Highlight)
    read = QColor(palette.color(QPalette.ColorRole.Text))
    read.setAlphaF(0.28)
    picked = QColor(unread)
    picked.setAlphaF(0.16)
    return unread, read, picked


def describe(bucket: Bucket) -> str:
    """ "February 2020: 41 articles, 12 unread"."""
    noun = "article" if bucket.total == 1 else "articles"
    return f"{bucket.label}: {bucket.total:,} {noun}, {bucket.unread:,} unread"


class VolumeChart(QWidget):
    chosen = Signal(object)  #: the Bucket clicked or entered
    restore = Signal()  #: Esc: undo the last narrowing
    leave = Signal()  #: Esc with nothing to undo: back to the list

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("volumeChart")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Articles over time")
        self.volume: Volume | None = None
        #: The period picked with the keyboard (or last clicked), by index.
        self.current: int | None = None
        #: Whether Esc has a narrowing to undo (the controller says).
        self.can_restore = False
        self._describe()

    def sizeHint(self) -> QSize:
        return QSize(300, self._height())

    def minimumSizeHint(self) -> QSize:
        return QSize(100, self._height())

    def _height(self) -> int:
        """The caption's line, the bars and the periods' names under them (so it follows the
        font: Qt asks again when the font or the style changes)."""
        line = QFontMetrics(self._small_font()).height()
        return BARS_HEIGHT + 2 * line + 6

    # -------------------------------------------------------------- data

    def set_volume(self, volume: Volume | None) -> None:
        """Show ``volume`` (None: nothing to show, as for the Problems view)."""
        picked = self.picked()
        self.volume = volume
        self.current = None
        if picked is not None and volume is not None:
            self.current = next((i for i, b in enumerate(volume.buckets) if b.first_day == picked.first_day), None)
        self._describe()
        self.update()

    def picked(self) -> Bucket | None:
        if self.volume is None or self.current is None or not 0 <= self.current < len(self.volume.buckets):
            return None
        return self.volume.buckets[self.current]

    def table_text(self) -> str:
        """The counts as a table (period, articles, unread), one period a line, for screen
        readers; periods without articles are left out."""
        if self.volume is None:
            return ""
        rows = [f"{label}\t{total:,}\t{unread:,}" for label, total, unread in self.volume.table() if total]
        return "\n".join(["Period\tArticles\tUnread", *rows])

    def caption(self) -> str:
        return self._captions()[0]

    def _captions(self) -> list[str]:
        """The caption, then shorter forms of it for a narrow chart: without its hint, and
        the summary in fewer words."""
        picked = self.picked()
        if picked is not None:
            text = describe(picked)
            return [text + " — Enter shows it", text] if self.hasFocus() else [text]
        if self.volume is None:
            return ["No articles over time to show"]
        text, short = self.volume.summary(), self.volume.summary(short=True)
        if self.can_restore:
            return [text + " — Esc goes back", short + " — Esc goes back", short]
        return [text, short]

    def fitted_caption(self, width: int, metrics: QFontMetrics) -> str:
        """The caption as painted ``width`` pixels wide: the first of its forms that fits
        (:meth:`_captions`), else the shortest cut with an ellipsis."""
        forms = self._captions()
        fitting = next((text for text in forms if metrics.horizontalAdvance(text) <= width), None)
        return fitting if fitting is not None else metrics.elidedText(forms[-1], Qt.TextElideMode.ElideRight, width)

    def _describe(self) -> None:
        self.setAccessibleDescription(f"{self.caption()}. Left and Right pick a period, Enter shows only its articles, Esc goes back.\n" + self.table_text())

    # -------------------------------------------------------------- geometry

    def _areas(self) -> tuple[QRectF, float]:
        """The bars' area and the height of a line of small text."""
        line = QFontMetrics(self._small_font()).height()
        area = QRectF(self.rect()).adjusted(8, line + 4, -8, -(line + 2))
        return area, line

    def _small_font(self) -> QFont:
        font = QFont(self.font())
        if font.pointSizeF() > 0:
            font.setPointSizeF(max(6.5, font.pointSizeF() * 0.85))
        return font

    def bar_rects(self) -> list[QRectF]:
        """The slot of each period (the full height of the bars' area)."""
        if self.volume is None or not self.volume.buckets:
            return []
        area, _line = self._areas()
        n = len(self.volume.buckets)
        slot = area.width() / n
        return [QRectF(area.left() + i * slot, area.top(), slot, area.height()) for i in range(n)]

    def axis_labels(self) -> list[tuple[QRectF, str]]:
        """The texts under the bars and where each goes: the first period's name on the left,
        the last's on the right and the peak in the middle, each only where it fits beside
        those before it (the peak goes first when space is short, then the last; none overlap)."""
        if self.volume is None or not self.volume.buckets:
            return []
        area, line = self._areas()
        metrics = QFontMetrics(self._small_font())
        gap = metrics.horizontalAdvance("  ")
        top = area.bottom() + 2

        def placed(text: str, x: float) -> tuple[QRectF, str]:
            return QRectF(x, top, metrics.horizontalAdvance(text), line), text

        first = placed(self.volume.buckets[0].short_label, area.left())
        chosen = [first] if first[0].right() <= area.right() else []
        if chosen and len(self.volume.buckets) > 1:
            text = self.volume.buckets[-1].short_label
            last = placed(text, area.right() - metrics.horizontalAdvance(text))
            if last[0].left() >= first[0].right() + gap:
                chosen.append(last)
        if chosen:
            text = f"peak {self.volume.peak:,}"
            peak = placed(text, area.center().x() - metrics.horizontalAdvance(text) / 2)
            if all(peak[0].left() >= r.right() + gap or peak[0].right() + gap <= r.left() for r, _ in chosen):
                chosen.append(peak)
        return chosen

    def index_at(self, x: float) -> int | None:
        for i, rect in enumerate(self.bar_rects()):
            if rect.left() <= x < rect.right():
                return i
        return None

    # -------------------------------------------------------------- painting

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        palette = self.palette()
        unread_colour, read_colour, picked_colour = colours(palette)
        text_colour = palette.color(QPalette.ColorRole.Text)
        faint = palette.color(QPalette.ColorRole.PlaceholderText)
        area, line = self._areas()
        painter.setFont(self._small_font())
        painter.setPen(text_colour)
        caption = self.fitted_caption(int(area.width()), QFontMetrics(painter.font()))
        painter.drawText(QRectF(area.left(), 2, area.width(), line), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, caption)
        rects = self.bar_rects()
        if self.volume is None or not rects:
            painter.end()
            return
        ratio = self.devicePixelRatioF() or 1.0

        def snap(value: float) -> float:  # to whole device pixels: crisp edges at any ratio
            return round(value * ratio) / ratio

        peak = max(1, self.volume.peak)
        for i, (bucket, slot) in enumerate(zip(self.volume.buckets, rects, strict=True)):
            if i == self.current:
                painter.fillRect(slot, picked_colour)
            gap = slot.width() * 0.18 if slot.width() >= 4 else 0.0
            width = min(BAR_MAX, slot.width() - gap)
            left, right = snap(slot.center().x() - width / 2), snap(slot.center().x() + width / 2)
            if right - left < 1 / ratio:
                right = left + 1 / ratio
            bottom = snap(area.bottom())
            total_top = snap(area.bottom() - area.height() * bucket.total / peak)
            unread_top = snap(area.bottom() - area.height() * bucket.unread / peak)
            if bucket.total and total_top > bottom - 1 / ratio:
                total_top = bottom - 1 / ratio  # one pixel at least for a period that has articles
            if bucket.unread and unread_top > bottom - 1 / ratio:
                unread_top = bottom - 1 / ratio
            painter.fillRect(QRectF(left, total_top, right - left, unread_top - total_top), read_colour)
            painter.fillRect(QRectF(left, unread_top, right - left, bottom - unread_top), unread_colour)
        # The base line and the first and last periods' names.
        painter.setPen(QPen(faint, 0))
        painter.drawLine(QPointF(area.left(), snap(area.bottom()) + 0.5), QPointF(area.right(), snap(area.bottom()) + 0.5))
        for rect, text in self.axis_labels():
            painter.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)
        if self.hasFocus():
            pen = QPen(palette.color(QPalette.ColorRole.Highlight), 1)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5))
        painter.end()

    # -------------------------------------------------------------- input

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent) and event.key() in _KEYS:
            if event.modifiers() in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier):
                event.accept()  # the chart's, not the window's shortcuts'
                return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        count = len(self.volume.buckets) if self.volume is not None else 0
        if key in (Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Home, Qt.Key.Key_End) and count:
            if key == Qt.Key.Key_Home or (self.current is None and key == Qt.Key.Key_Right):
                target = 0
            elif key == Qt.Key.Key_End or self.current is None:
                target = count - 1
            else:
                target = self.current + (1 if key == Qt.Key.Key_Right else -1)
            self.pick(max(0, min(count - 1, target)))
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            picked = self.picked()
            if picked is not None:
                self.chosen.emit(picked)
        elif key == Qt.Key.Key_Escape:
            if self.can_restore:
                self.restore.emit()
            else:
                self.leave.emit()
        else:
            super().keyPressEvent(event)

    def pick(self, index: int | None) -> None:
        self.current = index
        self._describe()
        self.update()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        index = self.index_at(event.position().x())
        if event.button() == Qt.MouseButton.LeftButton and index is not None and self.volume is not None:
            self.pick(index)
            self.chosen.emit(self.volume.buckets[index])
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        index = self.index_at(event.position().x())
        if index is not None and self.volume is not None:
            tip = describe(self.volume.buckets[index]) + "\nClick to show only these articles"
            QToolTip.showText(event.globalPosition().toPoint(), tip, self)
        else:
            QToolTip.hideText()
        super().mouseMoveEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self._describe()
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.update()
