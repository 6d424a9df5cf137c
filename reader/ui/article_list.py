"""The article list: a model over the library's query (rowids only, rows fetched on demand),
a delegate that paints each row, and the view."""

from __future__ import annotations

import enum
from collections import OrderedDict
from collections.abc import Callable, Sequence
from datetime import datetime, timezone

from PySide6.QtCore import QAbstractListModel, QEvent, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPaintEvent, QPalette, QTextLayout, QTextOption
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from reader.display import NAME_CHARS, clip
from reader.library import ListRow
from reader.timefmt import from_timestamp, relative_date
from reader.ui import icons
from reader.ui.view_data import MAX_INSERT_RUNS, Listing, insertion_runs

ModelIndex = QModelIndex | QPersistentModelIndex

#: Rows fetched around a missing one, and rows kept in memory.
FETCH_AHEAD = 150
CACHE_ROWS = 4000


class ArticleRole(enum.IntEnum):
    ROW = Qt.ItemDataRole.UserRole + 1  #: the ListRow
    ROWID = Qt.ItemDataRole.UserRole + 2
    ID = Qt.ItemDataRole.UserRole + 3
    READ = Qt.ItemDataRole.UserRole + 4
    STARRED = Qt.ItemDataRole.UserRole + 5
    OUTLETS = Qt.ItemDataRole.UserRole + 6  #: outlets of a collapsed story's row (0: not one)


class ArticleListModel(QAbstractListModel):
    """Holds the ordered rowids of a view; asks ``fetch`` for rows as they are painted."""

    def __init__(self, fetch: Callable[[Sequence[int]], dict[int, ListRow]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._fetch = fetch
        self._rowids: list[int] = []
        self._positions: dict[int, int] | None = None
        self._cache: OrderedDict[int, ListRow] = OrderedDict()
        self._outlets: dict[int, int] = {}
        self.now = datetime.now(timezone.utc)
        #: Every row shows as read until the rows are fetched again (a mark-all-read the
        #: library is still writing; see :meth:`show_all_read`).
        self._all_read = False
        #: Marks made but not yet written (article id -> {"read"/"starred": value}), shown
        #: at once; the window keeps this mapping (see MainWindow._queue_mark).
        self.pending_marks: dict[str, dict[str, bool]] = {}
        #: Whether each row stands for its story (stories collapsed), and the library's last
        #: rowid when the list was read (None: not known): see Listing.
        self.stories = False
        self.upto: int | None = None

    # -------------------------------------------------------------- contents

    def rowids(self) -> list[int]:
        return self._rowids

    def set_rowids(self, rowids: list[int], *, reset: bool = False) -> None:
        """Show ``rowids``. Pure insertions become batched ``beginInsertRows`` calls (so
        the view keeps its place while a load goes on); anything else resets the model."""
        self.set_listing(Listing(rowids), reset=reset)

    def set_listing(self, listing: Listing, *, reset: bool = False) -> None:
        """Show ``listing.rowids``, as :meth:`set_rowids`, using what ``listing`` worked out
        when it was prepared from the list shown now."""
        self.now = datetime.now(timezone.utc)
        self._cache.clear()
        self._all_read = False
        self._outlets = listing.outlets or {}
        self.stories, self.upto = listing.stories, listing.upto
        rowids = listing.rowids
        if reset:
            runs = None
        elif listing.base is not None and listing.base is self._rowids:
            runs = listing.runs
        else:
            runs = insertion_runs(self._rowids, rowids)
        if runs is None or len(runs) > MAX_INSERT_RUNS:
            self.beginResetModel()
            self._rowids = rowids
            self._positions = listing.positions
            self.endResetModel()
            return
        if runs:
            growing = list(self._rowids)  # the list given last time is never changed in place
            for position, values in runs:
                self.beginInsertRows(QModelIndex(), position, position + len(values) - 1)
                growing[position:position] = values
                self._rowids = growing
                self._positions = None
                self.endInsertRows()
        self._rowids = rowids  # equal to ``growing`` now
        self._positions = listing.positions
        if self._rowids:  # the rows kept may have changed too (the cache is gone): repaint them
            self.dataChanged.emit(self.index(0), self.index(len(self._rowids) - 1))

    def row_of(self, rowid: int) -> int:
        """The row showing ``rowid``, or -1."""
        if self._positions is None:
            self._positions = {r: i for i, r in enumerate(self._rowids)}
        return self._positions.get(rowid, -1)

    def show_all_read(self) -> None:
        """Show every row read at once, before the library has them so; the next fetch
        of the rows (:meth:`refresh_rows`, a new list) shows what the library says."""
        self._all_read = True
        if self._rowids:
            self.dataChanged.emit(self.index(0), self.index(len(self._rowids) - 1))

    def list_row(self, row: int) -> ListRow | None:
        found = self._list_row(row)
        if found is not None and self.pending_marks:
            pending = self.pending_marks.get(found.id)
            if pending:
                found = found._replace(read=pending.get("read", found.read), starred=pending.get("starred", found.starred))
        if found is not None and self._all_read and not found.read:
            return found._replace(read=True)
        return found

    def _list_row(self, row: int) -> ListRow | None:
        if not 0 <= row < len(self._rowids):
            return None
        rowid = self._rowids[row]
        found = self._cache.get(rowid)
        if found is None:
            start = max(0, row - FETCH_AHEAD // 3)
            wanted = [r for r in self._rowids[start : row + FETCH_AHEAD] if r not in self._cache]
            for key, value in self._fetch(wanted).items():
                self._cache[key] = value
            while len(self._cache) > CACHE_ROWS:
                self._cache.popitem(last=False)
            found = self._cache.get(rowid)
        return found

    def refresh_rows(self, rowids: Sequence[int] | None = None) -> None:
        """Fetch ``rowids`` again (all when None) and repaint them."""
        if rowids is None:
            self._cache.clear()
            self._all_read = False
            if self._rowids:
                self.dataChanged.emit(self.index(0), self.index(len(self._rowids) - 1))
            return
        for rowid in rowids:
            self._cache.pop(rowid, None)
            row = self.row_of(rowid)
            if row >= 0:
                self.dataChanged.emit(self.index(row), self.index(row))

    # -------------------------------------------------------------- Qt model

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rowids)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        if role == ArticleRole.ROWID:
            return self._rowids[index.row()]
        if role == ArticleRole.OUTLETS:
            return self._outlets.get(self._rowids[index.row()], 0)
        row = self.list_row(index.row())
        if row is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return row.title
        if role == ArticleRole.ROW:
            return row
        if role == ArticleRole.ID:
            return row.id
        if role == ArticleRole.READ:
            return row.read
        if role == ArticleRole.STARRED:
            return row.starred
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return _spoken(row, self.now, self._outlets.get(row.rowid, 0))
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren


def source_and_date(row: ListRow, now: datetime, outlets: int = 0) -> str:
    source = clip(row.provider, NAME_CHARS) if row.provider else "No source"
    text = f"{source} · {relative_date(from_timestamp(row.published), now)}"
    if outlets:
        text += f" · {outlets} outlet{'s' if outlets != 1 else ''}"
    if row.labels:
        text += " · labels: " + ", ".join(row.labels)
    return text


def _spoken(row: ListRow, now: datetime, outlets: int = 0) -> str:
    state = ["read" if row.read else "unread"]
    if row.starred:
        state.append("starred")
    return f"{row.title}. {source_and_date(row, now, outlets)}. {', '.join(state).capitalize()}."


def title_lines(title: str, font: QFont, width: int) -> tuple[str, str]:
    """``title`` in two lines of ``width`` pixels: the first broken at a word (anywhere in a
    word longer than the line), the second cut with "…" when the title goes on. Laid out
    with a QTextLayout (no rich-text document): a few microseconds a row."""
    layout = QTextLayout(title, font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(option)
    layout.beginLayout()
    line = layout.createLine()
    if line.isValid():
        line.setLineWidth(max(1, width))
    layout.endLayout()
    end = line.textStart() + line.textLength() if line.isValid() else len(title)
    first, rest = title[:end].rstrip(), title[end:].strip()
    if not rest:
        return first, ""
    return first, QFontMetrics(font).elidedText(rest, Qt.TextElideMode.ElideRight, width)


class ArticleDelegate(QStyledItemDelegate):
    """Three lines per article: the title in up to two lines (bold when unread, with a dot)
    and source · date right under it; a star at the right when starred. Every row has the
    same height, room for two title lines (the view lays out nothing): a one-line title
    leaves the spare line at the bottom. Colours come from the palette."""

    PADDING = 6
    TITLE_LINES = 2

    @classmethod
    def row_height(cls, font: QFont) -> int:
        bold = QFont(font)
        bold.setBold(True)
        line = max(QFontMetrics(font).lineSpacing(), QFontMetrics(bold).lineSpacing())
        return line * (cls.TITLE_LINES + 1) + cls.PADDING * 3

    def sizeHint(self, option: QStyleOptionViewItem, index: ModelIndex) -> QSize:
        return QSize(200, self.row_height(option.font))

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: ModelIndex) -> None:
        row: ListRow | None = index.data(ArticleRole.ROW)
        style = option.widget.style() if option.widget else None
        painter.save()
        try:
            selected = bool(option.state & QStyle.StateFlag.State_Selected)
            if style is not None:
                style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter, option.widget)
            if row is None:
                return
            palette = option.palette
            group = QPalette.ColorGroup.Active if option.state & QStyle.StateFlag.State_Active else QPalette.ColorGroup.Inactive
            text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
            text_colour = palette.color(group, text_role)
            rect = option.rect.adjusted(self.PADDING, self.PADDING, -self.PADDING, -self.PADDING)
            metrics = QFontMetrics(option.font)
            line = metrics.lineSpacing()
            dot = line // 2
            title_left = rect.left() + dot + self.PADDING
            star_width = line + self.PADDING if row.starred else 0

            if not row.read:
                painter.setRenderHint(QPainter.RenderHint.Antialiasing)
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(text_colour if selected else palette.color(group, QPalette.ColorRole.Highlight))
                painter.drawEllipse(rect.left(), rect.top() + (line - dot) // 2, dot, dot)

            title_font = QFont(option.font)
            title_font.setBold(not row.read)
            painter.setFont(title_font)
            painter.setPen(text_colour)
            title_width = rect.right() - title_left - star_width
            first, second = title_lines(row.title, title_font, title_width)
            for number, text in enumerate((first, second)):
                if text:
                    line_rect = QRect(title_left, rect.top() + number * line, title_width, line)
                    painter.drawText(line_rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), text)

            painter.setFont(option.font)
            secondary = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.PlaceholderText
            painter.setPen(palette.color(group, secondary))
            # right under the title (one line or two); a one-line title leaves the room below
            meta_top = rect.top() + (2 if second else 1) * line + self.PADDING
            meta_rect = QRect(title_left, meta_top, rect.right() - title_left, line)
            model = index.model()
            now = model.now if isinstance(model, ArticleListModel) else datetime.now(timezone.utc)
            outlets = index.data(ArticleRole.OUTLETS) or 0
            meta = metrics.elidedText(source_and_date(row, now, outlets), Qt.TextElideMode.ElideRight, meta_rect.width())
            painter.drawText(meta_rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), meta)

            if row.starred:
                star = icons.item_icon("starred", icons.STAR_COLOUR)
                star.paint(painter, QRect(rect.right() - line, rect.top(), line, line))
        finally:
            painter.restore()


#: Cursor moves that, with no article open, open the first article (down) or the last (up).
_FROM_NONE_DOWN = (QAbstractItemView.CursorAction.MoveDown, QAbstractItemView.CursorAction.MoveNext,
                   QAbstractItemView.CursorAction.MovePageDown, QAbstractItemView.CursorAction.MoveHome)
_FROM_NONE = (*_FROM_NONE_DOWN, QAbstractItemView.CursorAction.MoveUp, QAbstractItemView.CursorAction.MovePrevious,
              QAbstractItemView.CursorAction.MovePageUp, QAbstractItemView.CursorAction.MoveEnd)


class ArticleList(QTableView):
    """The article list view: one column of rows of one height. A table rather than a
    QListView, because a list view lays out every row (again after each insertion) before
    it paints, which takes a second or more at 100,000 rows; a table with fixed row heights
    paints the first screen at once, at a million rows too."""

    def __init__(self, model: ArticleListModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("articleList")
        self.setAccessibleName("Articles")
        self.setAccessibleDescription("The articles of the selected view; unread ones are bold with a dot")
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTabKeyNavigation(False)  # Tab moves on to the next pane
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setCornerButtonEnabled(False)
        self.horizontalHeader().hide()
        self.horizontalHeader().setStretchLastSection(True)
        rows = self.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.setModel(model)
        self.setItemDelegate(ArticleDelegate(self))
        self.article_model = model
        #: What the list says when it holds no rows (see :meth:`set_empty_text`).
        self.empty_text = ""
        self._fit_rows()

    def set_empty_text(self, text: str) -> None:
        """What to say in the list while it holds no rows: what the view is for, and how to
        fill it (also given to screen readers as the list's description)."""
        if text != self.empty_text:
            self.empty_text = text
            self.viewport().update()
        base = "The articles of the selected view; unread ones are bold with a dot"
        self.setAccessibleDescription(f"{base}. {text}" if text and not self.article_model.rowCount() else base)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self.empty_text and not self.article_model.rowCount():
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            area = self.viewport().rect().adjusted(24, 24, -24, -24)
            painter.drawText(area, int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap),
                             self.empty_text)
            painter.end()

    def _fit_rows(self) -> None:
        rows = self.verticalHeader()
        height = ArticleDelegate.row_height(self.font())
        rows.setMinimumSectionSize(min(rows.minimumSectionSize(), height))
        rows.setDefaultSectionSize(height)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit_rows()

    def moveCursor(self, action: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier) -> QModelIndex:
        """Home and End go to the first and last article (a table's go along the row). With
        no article open (a row made current by focus alone is not open, as for
        :meth:`current_row`), a move starts from none, as :meth:`step` does: Down opens the
        first article, Up the last."""
        move = QAbstractItemView.CursorAction
        if self.current_row() is None and action in _FROM_NONE:
            target = self.article_model.index(0 if action in _FROM_NONE_DOWN else self.article_model.rowCount() - 1)
            if target.isValid() and target == self.currentIndex():
                self.setCurrentIndex(target)  # (Qt selects nothing when the cursor stays where it is)
            return target
        if action in (move.MoveHome, move.MoveEnd):
            modifiers |= Qt.KeyboardModifier.ControlModifier
        return super().moveCursor(action, modifiers)

    def current_row(self) -> int | None:
        """The row of the open article: the current item, when it is also selected (focus
        alone makes an item current without opening it)."""
        index = self.currentIndex()
        if index.isValid() and self.selectionModel().isSelected(index):
            return index.row()
        return None

    def current_rowid(self) -> int | None:
        row = self.current_row()
        return self.article_model.rowids()[row] if row is not None else None

    def select_row(self, row: int) -> bool:
        if not 0 <= row < self.article_model.rowCount():
            return False
        index = self.article_model.index(row)
        self.setCurrentIndex(index)
        self.scrollTo(index)
        return True

    def select_rowid(self, rowid: int) -> bool:
        return self.select_row(self.article_model.row_of(rowid))

    def step(self, delta: int) -> bool:
        current = self.current_row()
        row = current + delta if current is not None else (0 if delta > 0 else self.article_model.rowCount() - 1)
        return self.select_row(row)

    def find_unread(self, delta: int, limit: int) -> tuple[int | None, int | None]:
        """Look for the next (+1) or previous (-1) unread article among at most ``limit``
        rows: (its row, None); (None, the row to go on from) when the limit was reached
        first; (None, None) when there is none."""
        model = self.article_model
        current = self.current_row()
        row = current if current is not None else (-1 if delta > 0 else model.rowCount())
        row += delta
        for _ in range(limit):
            if not 0 <= row < model.rowCount():
                return None, None
            found = model.list_row(row)
            if found is not None and not found.read:
                return row, None
            row += delta
        return None, (row if 0 <= row < model.rowCount() else None)
