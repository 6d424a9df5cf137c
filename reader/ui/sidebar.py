"""The topic sidebar: smart views, then feeds (subscriptions), topics, sources and
languages, with counts."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from PySide6.QtCore import QAbstractItemModel, QEvent, QModelIndex, QPersistentModelIndex, QSignalBlocker, Qt, Signal
from PySide6.QtGui import QFont, QFontMetricsF
from PySide6.QtWidgets import QAbstractItemView, QApplication, QHeaderView, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QTreeView, QWidget

from reader.display import NAME_CHARS, TIP_CHARS, clip, clip_middle, cut_apart
from reader.library import Count, Counts, View, ViewKind
from reader.ui import icons
from reader.ui.languages import language_name
from reader.ui.view_data import PROBLEMS, TRENDS, Key
from reader.wording import plural

ModelIndex = QModelIndex | QPersistentModelIndex


class SidebarRole(enum.IntEnum):
    VIEW = Qt.ItemDataRole.UserRole + 1  #: the View of an item (None for section headers)
    IS_PROBLEMS = Qt.ItemDataRole.UserRole + 2


@dataclass
class _Node:
    label: str  #: the whole name (shown cut in the middle when the sidebar is too narrow)
    key: Key | None  #: None for a section header
    icon: str
    parent: _Node | None = None
    children: list[_Node] = field(default_factory=list)
    count: Count | None = None
    tip: str = ""
    position: int = 0  #: the row under its parent

    def row(self) -> int:
        return self.position

    def add(self, child: _Node) -> None:
        child.parent, child.position = self, len(self.children)
        self.children.append(child)


_TOP = View(ViewKind.TOP)
SMART_VIEWS: tuple[tuple[str, Key, str], ...] = (
    ("All Articles", View(ViewKind.ALL), "all"),
    ("Unread", View(ViewKind.UNREAD), "unread"),
    ("Starred", View(ViewKind.STARRED), "starred"),
    ("Today", View(ViewKind.TODAY), "today"),
    ("Top Stories", _TOP, "top"),
    ("Trends", TRENDS, "trends"),
    ("Problems", PROBLEMS, "problems"),
)


def _count_of(counts: Counts, key: Key | None) -> Count | None:
    if key is None:
        return None
    if key == TRENDS:
        return None
    return Count(counts.problems, 0) if key == PROBLEMS else counts.of(key)  # type: ignore[arg-type]


def _names(counts: Counts) -> tuple[tuple[str, ...], ...]:
    """The topics, sources and languages of ``counts`` (what decides the sidebar's items)."""
    return (tuple(counts.topics), tuple(counts.sources), tuple(counts.languages), tuple(counts.saved), tuple(counts.labels))


@dataclass(frozen=True, slots=True)
class FeedItem:
    """A subscription as the sidebar lists it."""

    path: str  #: its feed file (the value of its FEED view)
    name: str
    error: str | None = None  #: why its last refresh failed

    @property
    def key(self) -> View:
        return View(ViewKind.FEED, self.path)


def _build_tree(counts: Counts, descriptions: dict[Key, str], feeds: tuple[FeedItem, ...] = ()) -> _Node:
    root = _Node("", None, "")
    views = _Node("Views", None, "all")
    root.add(views)
    for label, key, icon in SMART_VIEWS:
        views.add(_Node(label, key, icon, count=_count_of(counts, key)))
    _add_section(root, "Searches", ViewKind.SAVED, "saved-search", counts.saved)
    if feeds:
        section = _Node("Feeds", None, "feed")
        root.add(section)
        for feed in feeds:
            tip = f"Last refresh failed: {feed.error}" if feed.error else ""
            section.add(_Node(clip_middle(feed.name, NAME_CHARS), feed.key, "feed-error" if feed.error else "feed",
                              count=counts.of(feed.key), tip=tip))
    _add_section(root, "Labels", ViewKind.LABEL, "label", counts.labels)
    sections = (
        ("Topics", ViewKind.TOPIC, "topic", counts.topics),
        ("Sources", ViewKind.SOURCE, "source", counts.sources),
        ("Languages", ViewKind.LANGUAGE, "language", counts.languages),
    )
    for title, kind, icon, facet in sections:
        if not facet:
            continue
        section = _Node(title, None, icon)
        root.add(section)
        for name, count in facet.items():
            key = View(kind, name)
            tip = descriptions.get(key, "")
            label = clip_middle(name, NAME_CHARS)
            if kind == ViewKind.LANGUAGE:
                label = language_name(name)
                tip = tip or f"Search with lang:{name}"
            section.add(_Node(label, key, icon, count=count, tip=tip))
    return root


def _add_section(root: _Node, title: str, kind: ViewKind, icon: str, items: dict[str, Count]) -> None:
    """A section of the user's own views (saved searches, labels), when there are any."""
    if not items:
        return
    section = _Node(title, None, icon)
    root.add(section)
    for name, count in items.items():
        section.add(_Node(clip_middle(name, NAME_CHARS), View(kind, name), icon, count=count))


def _shape(root: _Node) -> list[tuple[str, list[Key | None]]]:
    return [(s.label, [n.key for n in s.children]) for s in root.children]


class SidebarModel(QAbstractItemModel):
    """Two columns: the name and the counts (``unread / total``)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._root = _Node("", None, "")
        self._counts = Counts()
        self._problems = 0
        #: Whether stories are being grouped (after a load): Top Stories' count is not known yet.
        self._grouping = False
        self._descriptions: dict[Key, str] = {}
        self._feeds: tuple[FeedItem, ...] = ()
        self._build()

    # -------------------------------------------------------------- building

    def _build(self) -> None:
        self._root = _build_tree(self._counts, self._descriptions, self._feeds)

    def set_feeds(self, feeds: tuple[FeedItem, ...]) -> None:
        """The subscriptions to list under Feeds (with their errors)."""
        if feeds != self._feeds:
            self.beginResetModel()
            self._feeds = feeds
            self._build()
            self.endResetModel()

    def feeds(self) -> tuple[FeedItem, ...]:
        return self._feeds

    def set_counts(self, counts: Counts) -> list[str] | None:
        """Show ``counts``; rebuilds only when the set of items changed. Returns the count
        texts that changed, or None after a rebuild."""
        previous, self._counts = self._counts, counts
        if _names(counts) != _names(previous):
            tree = _build_tree(counts, self._descriptions, self._feeds)
            if _shape(tree) != _shape(self._root):
                self.beginResetModel()
                self._root = tree
                self.endResetModel()
                return None
        changed_texts = []
        for section_row, section in enumerate(self._root.children):
            first = last = -1
            for node in section.children:
                count = _count_of(counts, node.key)
                if count != node.count:
                    node.count = count
                    if first < 0:
                        first = node.position
                    last = node.position
                    changed_texts.append(_count_text(node, self._grouping))
            if first >= 0:
                # One range per section, from its first changed item to its last: the view
                # repaints its whole viewport for any range of rows anyway, and each signal
                # costs it (and Python) about as much as a range of 200 rows (~20 µs), so
                # one per changed item was most of a refresh while a load changes scattered
                # counts.
                parent = self.index(section_row, 0)
                self.dataChanged.emit(self.index(first, 0, parent), self.index(last, 1, parent))
        return changed_texts

    def set_grouping(self, grouping: bool) -> None:
        """Whether stories are being grouped: until they are, Top Stories shows "…" rather
        than a count of none (it keeps a count it has: a load's new articles join it)."""
        if grouping != self._grouping:
            self._grouping = grouping
            index = self.index_of(_TOP)
            if index.isValid():
                self.dataChanged.emit(index, index.siblingAtColumn(1))

    def same_items(self, counts: Counts) -> bool:
        """Whether ``counts`` would only change numbers here (no item comes or goes)."""
        return _names(counts) == _names(self._counts)

    def count_texts(self) -> list[str]:
        """The text of every count shown."""
        return [_count_text(node, self._grouping) for section in self._root.children for node in section.children]

    def counts(self) -> Counts:
        return self._counts

    def sections(self) -> list[_Node]:
        return self._root.children

    def set_descriptions(self, descriptions: dict[Key, str]) -> None:
        """Tooltips for topics and sources (from taxonomy files)."""
        self._descriptions = descriptions
        for section in self._root.children:
            for node in section.children:
                if node.key is not None:
                    node.tip = descriptions.get(node.key, "")

    # -------------------------------------------------------------- lookup

    def index_of(self, key: Key) -> QModelIndex:
        for section_row, section in enumerate(self._root.children):
            for row, node in enumerate(section.children):
                if node.key == key:
                    return self.index(row, 0, self.index(section_row, 0))
        return QModelIndex()

    def keys(self) -> list[Key]:
        """Every selectable item, top to bottom."""
        return [n.key for s in self._root.children for n in s.children if n.key is not None]

    def key(self, index: ModelIndex) -> Key | None:
        return self._node(index).key if index.isValid() else None

    def _node(self, index: ModelIndex) -> _Node:
        return index.internalPointer() if index.isValid() else self._root

    # -------------------------------------------------------------- Qt model

    def index(self, row: int, column: int, parent: ModelIndex = QModelIndex()) -> QModelIndex:
        node = self._node(parent)
        if parent.isValid() and parent.column() != 0:
            return QModelIndex()
        if 0 <= row < len(node.children) and 0 <= column < 2:
            return self.createIndex(row, column, node.children[row])
        return QModelIndex()

    def parent(self, index: ModelIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        node: _Node = index.internalPointer()
        parent = node.parent
        if parent is None or parent is self._root:
            return QModelIndex()
        return self.createIndex(parent.row(), 0, parent)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._node(parent).children)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 2

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        # Asked for every row a count changed in (by the view, on dataChanged): kept cheap.
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return _HEADER_FLAGS if index.internalPointer().key is None else _ITEM_FLAGS

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        node = self._node(index)
        header = node.key is None
        if role == Qt.ItemDataRole.DisplayRole:
            if index.column() == 0:
                return node.label
            return _count_text(node, self._grouping) if not header else None
        if role == Qt.ItemDataRole.DecorationRole and index.column() == 0 and not header:
            return icons.item_icon(node.icon)
        if role == Qt.ItemDataRole.FontRole and header:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and not header:
            return _tooltip(node, self._grouping)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            if node.icon == "feed-error":  # a failed feed says so (and why) to a screen reader too
                return ", ".join(_tooltip(node).splitlines())
            return node.label if header else f"{node.label}, {_counted(node, self._grouping)}"
        if role == SidebarRole.VIEW:
            return node.key if isinstance(node.key, View) else None
        if role == SidebarRole.IS_PROBLEMS:
            return node.key == PROBLEMS
        return None


#: A section header; an item (it never has children, so the view does not ask for them).
_HEADER_FLAGS = Qt.ItemFlag.ItemIsEnabled
_ITEM_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren


def _ungrouped(node: _Node, grouping: bool) -> bool:
    """Whether ``node`` is Top Stories with no count yet while stories are being grouped."""
    return grouping and node.key == _TOP and not (node.count and node.count.total)


def _count_text(node: _Node, grouping: bool = False) -> str:
    count = node.count or Count()
    if node.key == TRENDS:
        return ""
    if _ungrouped(node, grouping):
        return "…"
    if node.key == PROBLEMS:
        return f"{count.total:,}" if count.total else ""
    if isinstance(node.key, View) and node.key.kind == ViewKind.UNREAD:
        return f"{count.unread:,}"
    return f"{count.unread:,} / {count.total:,}"


def _counted(node: _Node, grouping: bool = False) -> str:
    count = node.count or Count()
    if node.key == TRENDS:
        return "Topics and sources that rose most in the library's last week or month"
    if _ungrouped(node, grouping):
        return "stories are being grouped"
    if node.key == PROBLEMS:
        return f"{plural(count.total, 'document')} could not be read"
    return f"{count.unread:,} unread of {plural(count.total, 'article')}"


def _tooltip(node: _Node, grouping: bool = False) -> str:
    """The whole name (the sidebar may show it cut), its counts and its description."""
    lines = [node.label, _counted(node, grouping)]
    if node.tip:
        lines.append(clip(node.tip, TIP_CHARS))
    return "\n".join(lines)


class _NameDelegate(QStyledItemDelegate):
    """Draws a name too long for its row cut in the middle, as the view would, unless that
    would read like another name of its section ("AI …are" for both "AI Hardware" and "AI in
    Healthcare"): then it keeps more of where they differ (see :func:`cut_apart`)."""

    #: Cuts remembered, at most (the names shown and the widths tried lately).
    KEPT = 4096

    def __init__(self, parent: QTreeView) -> None:
        super().__init__(parent)
        self._cuts: dict[tuple[int, str, int, str], str] = {}

    def forget(self) -> None:
        """The names changed (or the font): cut them anew."""
        self._cuts.clear()

    def initStyleOption(self, option: QStyleOptionViewItem, index: ModelIndex) -> None:
        super().initStyleOption(option, index)
        text = option.text
        if index.column() != 0 or not text or index.internalPointer().key is None:
            return
        widget = option.widget
        style = widget.style() if widget is not None else QApplication.style()
        # (the room the style gives the text: its rectangle less its margins, as it elides)
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, widget) + 1
        room = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, option, widget).width() - 2 * margin
        metrics = option.fontMetrics
        if metrics.horizontalAdvance(text) <= room:
            return
        node: _Node = index.internalPointer()
        key = (id(node.parent), text, room, option.font.key())
        cut = self._cuts.get(key)
        if cut is None:
            others = (n.label for n in node.parent.children) if node.parent is not None else ()
            plain = metrics.elidedText(text, Qt.TextElideMode.ElideMiddle, room)
            exact = QFontMetricsF(option.font)  # (the style lays the text out in fractions of a pixel)
            cut = cut_apart(text, others, lambda t: exact.horizontalAdvance(t) <= room, plain)
            if len(self._cuts) >= self.KEPT:
                self._cuts.clear()
            self._cuts[key] = cut
        option.text = cut


class Sidebar(QTreeView):
    """The sidebar view. Emits :attr:`selected` with a View or :data:`PROBLEMS`."""

    selected = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("topicSidebar")
        self.setAccessibleName("Sidebar")
        self.setAccessibleDescription("Smart views, saved searches, feeds, labels, topics, sources and languages with unread and total counts")
        self.setHeaderHidden(True)
        self.setRootIsDecorated(False)
        self.setItemsExpandable(False)
        self.setUniformRowHeights(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # "Business Insider India" and "Business Insider" stay apart when cut: "Busine…India";
        # "AI Hardware" and "AI in Healthcare" too: "AI H…are", "AI …care" (see _NameDelegate).
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.names = _NameDelegate(self)
        self.setItemDelegateForColumn(0, self.names)
        self.sidebar_model = SidebarModel(self)
        self.setModel(self.sidebar_model)
        self.sidebar_model.modelReset.connect(self.names.forget)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # Sized from the count texts (see _fit_counts), not by asking every item on each change.
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        self._fit_counts()
        self.expandAll()
        self.sidebar_model.modelReset.connect(self.expandAll)
        self.selectionModel().currentRowChanged.connect(self._current_changed)
        self._current: Key | None = None

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        key = self.sidebar_model.key(current.siblingAtColumn(0))
        if key is not None and key != self._current:
            self._current = key
            self.selected.emit(key)

    def current_key(self) -> Key | None:
        return self._current

    def label_of(self, key: Key) -> str | None:
        """The name the sidebar gives ``key`` ("AI", "Swedish", "All Articles")."""
        index = self.sidebar_model.index_of(key)
        return self.sidebar_model.data(index) if index.isValid() else None  # type: ignore[return-value]

    def preferred_width(self) -> int:
        """The width that shows every name and count whole (the window keeps it within limits)."""
        metrics = self.fontMetrics()
        bold = QFont(self.font())
        bold.setBold(True)
        names = [node.label for section in self.sidebar_model.sections() for node in section.children]
        widest = max((metrics.horizontalAdvance(n) for n in names), default=0)
        icon = self.iconSize().width() if self.iconSize().isValid() else 16
        frame = 2 * self.frameWidth() + self.verticalScrollBar().sizeHint().width()
        return widest + icon + self.indentation() + 24 + self.header().sectionSize(1) + frame

    def select(self, key: Key) -> bool:
        index = self.sidebar_model.index_of(key)
        if not index.isValid():
            return False
        self.setCurrentIndex(index)
        return True

    def step(self, delta: int) -> None:
        """Select the next (+1) or previous (-1) item, skipping section headers."""
        keys = self.sidebar_model.keys()
        if not keys:
            return
        position = keys.index(self._current) if self._current in keys else -1
        self.select(keys[max(0, min(len(keys) - 1, position + delta))])

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange and hasattr(self, "sidebar_model"):
            self._fit_counts()  # (all of them: at a smaller font the column narrows again)

    def _fit_counts(self, changed: list[str] | None = None) -> None:
        """Size the count column to its widest text: to all of them (``changed`` None), or
        wide enough for ``changed`` too (it never narrows then, so it does not twitch)."""
        metrics = self.fontMetrics()
        margin = self.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self) + 1
        texts = self.sidebar_model.count_texts() if changed is None else changed
        if changed is not None and changed:
            # Only a text that might be wider than the column is measured: one of n characters
            # is at most n times its widest character wide (a count refresh during a load
            # changes hundreds of texts, nearly all of them shorter than the widest).
            widest_char = max(metrics.horizontalAdvance(c) for c in set("".join(changed)))
            room = self.header().sectionSize(1) - 2 * margin - 6
            texts = [text for text in set(changed) if len(text) * widest_char > room]
        width = max((metrics.horizontalAdvance(text) for text in texts), default=0) + 2 * margin + 6
        if changed is not None:
            width = max(width, self.header().sectionSize(1))
        if self.header().sectionSize(1) != width:
            self.header().resizeSection(1, width)

    def counts(self) -> Counts:
        """The counts shown."""
        return self.sidebar_model.counts()

    def set_feeds(self, feeds: tuple[FeedItem, ...]) -> None:
        """List these subscriptions under Feeds; the selection stays where it was."""
        current = self._current
        self.sidebar_model.set_feeds(feeds)
        self._fit_counts()
        if current is not None and not self.selectionModel().hasSelection():
            with QSignalBlocker(self):
                found = self.select(current)
            if not found:
                self.select(View(ViewKind.ALL))

    def set_counts(self, counts: Counts) -> None:
        current = self._current
        self._fit_counts(self.sidebar_model.set_counts(counts))
        if current is not None and not self.selectionModel().hasSelection():
            if not self.select(current):
                self.select(View(ViewKind.ALL))
