"""The search field: the library's query language, results as you type, errors inline."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLabel, QLineEdit, QToolButton, QVBoxLayout, QWidget

from reader.search import Query, QueryError, parse_query
from reader.ui import icons
from reader.ui.actions import with_key
from reader.ui.theme import error_colour

DEBOUNCE_MS = 200


class SearchField(QLineEdit):
    """Esc clears the search; Esc, Enter and Down hand the keyboard back to the list."""

    leave = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_Escape:
            self.clear()
        if key in (Qt.Key.Key_Escape, Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Down):
            self.leave.emit()
            return
        super().keyPressEvent(event)


class SearchBar(QWidget):
    """Emits :attr:`query_changed` with a parsed Query (None when empty) after typing
    pauses; a malformed query shows its message below the field instead."""

    query_changed = Signal(object)
    query_failed = Signal(str)  #: a malformed query: what is wrong with it, and where
    done = Signal()  #: Esc, Enter or Down: go back to the list

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 2)
        layout.setSpacing(2)
        self.field = SearchField(self)
        self.field.setObjectName("searchField")
        self.field.setClearButtonEnabled(True)
        self.search_action = self.field.addAction(icons.icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.set_keys(None)
        self.field.setAccessibleName("Search")
        self.field.setAccessibleDescription("Search articles; see Help for filters like topic:, source:, is:unread")
        for button in self.field.findChildren(QToolButton):  # the field's icon and its clear button
            clear = button.defaultAction() is not self.search_action
            button.setAccessibleName("Clear search" if clear else "Search icon")
            button.setAccessibleDescription("Empty the search field (Esc)" if clear else "Type in the field to search")
        layout.addWidget(self.field)
        self.error = QLabel(self)
        self.error.setObjectName("searchError")
        self.error.setWordWrap(False)  # one line, always: the layout stays still
        self.error.setStyleSheet(f"color: {error_colour(self.palette())};")
        self.error.setAccessibleName("Search error")
        self.error.setAccessibleDescription("What is wrong with the search, and where")
        # The line is kept when hidden, so nothing below moves when a mistake shows.
        policy = self.error.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.error.setSizePolicy(policy)
        self.error.setText(" ")
        self.error.hide()
        layout.addWidget(self.error)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.flush)
        self.field.textChanged.connect(lambda _text: self._timer.start())
        self.field.leave.connect(self._leave)
        self._last: str | None = ""

    def set_keys(self, keys: Mapping[str, Sequence[str]] | None) -> None:
        """Name the current keys of Search (by action name; None: the defaults) in the
        field's placeholder and tooltip."""
        self.field.setPlaceholderText(with_key("Search: words, topic:AI, -twitter", "focus_search", keys))
        self.search_action.setToolTip(with_key("Search articles", "focus_search", keys, every=True))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "search_action"):
            self.search_action.setIcon(icons.icon("search"))  # in the new palette's colours
            self.error.setStyleSheet(f"color: {error_colour(self.palette())};")

    def flush(self) -> None:
        """Apply the text now (instead of after the pause)."""
        self._timer.stop()
        text = self.field.text().strip()
        if text == self._last:
            return
        query: Query | None = None
        if text:
            try:
                query = parse_query(text)
            except QueryError as error:
                message = f"{error.message} — at column {error.position + 1}"
                self.error.setText(message)
                self.error.setToolTip(message)
                self.error.show()
                self._last = None  # the same query as before, once fixed, is applied again
                self.query_failed.emit(message)
                return
        self.error.hide()
        self._last = text
        self.query_changed.emit(query)

    def _leave(self) -> None:
        self.flush()
        self.done.emit()

    def clear(self) -> None:
        self.field.clear()
        self.flush()
