"""Through Qt's accessibility interface (what a screen reader is given): every pane and
control has a name and a description, and read and starred states are given as words."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QDialog,
    QLineEdit,
    QSpinBox,
    QTextEdit,
    QToolBar,
    QWidget,
)
from pytestqt.qtbot import QtBot

from reader.ui.help import ShortcutHelp
from reader.ui.main_window import MainWindow
from reader.ui.preferences import show_preferences

from .helpers import SEED_TITLES, select_title

#: The kinds of widget a user works with (and a screen reader must name).
CONTROLS = (QAbstractButton, QAbstractItemView, QComboBox, QLineEdit, QSpinBox, QTextEdit, QToolBar)


def unnamed(top: QWidget) -> list[str]:
    """Controls under ``top`` (shown ones) lacking an accessible name or description."""
    missing = []
    for widget in [top, *top.findChildren(QWidget)]:
        if not widget.isVisibleTo(top) or not (widget is top or isinstance(widget, CONTROLS)):
            continue
        if widget.parent() is not None and isinstance(widget.parent(), QComboBox | QSpinBox | QAbstractItemView):
            continue  # a part of a named control (its line edit, its popup, its viewport)
        interface = QAccessible.queryAccessibleInterface(widget)
        assert interface is not None and interface.isValid()
        name = interface.text(QAccessible.Text.Name)
        description = interface.text(QAccessible.Text.Description)
        if not name.strip() or not description.strip():
            missing.append(f"{type(widget).__name__} {widget.objectName()!r} name={name!r} description={description!r}")
    return missing


def test_every_control_of_the_window_is_named_and_described(window: MainWindow) -> None:
    assert unnamed(window) == []


def test_the_panes_are_named(window: MainWindow) -> None:
    names = {
        QAccessible.queryAccessibleInterface(w).text(QAccessible.Text.Name)
        for w in (window.sidebar, window.article_list, window.detail.browser, window.search_bar.field)
    }
    assert names == {"Sidebar", "Articles", "Article text", "Search"}


def test_the_dialogs_are_named_and_described(qtbot: QtBot, window: MainWindow) -> None:
    preferences = show_preferences(window)
    qtbot.waitExposed(preferences)
    assert unnamed(preferences) == []
    preferences.close()
    window.registry["export"].trigger()
    export = window.findChild(QDialog, "exportDialog")
    assert export is not None
    assert unnamed(export) == []
    export.reject()
    help_dialog = ShortcutHelp(window)
    help_dialog.show()
    qtbot.waitExposed(help_dialog)
    assert unnamed(help_dialog) == []
    help_dialog.reject()


def _row_text(window: MainWindow, title: str) -> str:
    """What the list's accessible interface says for the row of ``title``."""
    table = QAccessible.queryAccessibleInterface(window.article_list)
    texts = []
    for i in range(table.childCount()):
        child = table.child(i)
        if child is not None:
            texts.append(child.text(QAccessible.Text.Name))
    found = [t for t in texts if t.startswith(title)]
    assert len(found) == 1, texts
    return found[0]


def test_read_and_starred_are_said_in_words(qtbot: QtBot, window: MainWindow) -> None:
    bbc = SEED_TITLES["bbc"]
    assert _row_text(window, bbc).endswith("Unread.")
    select_title(window, bbc)  # opening marks it read
    window.marks.toggle_star()
    assert _row_text(window, bbc).endswith("Read, starred.")
    assert window.detail.state_label.text() == "Read · Starred"
    state = QAccessible.queryAccessibleInterface(window.detail.state_label)
    assert state.text(QAccessible.Text.Name) == "Read · Starred"
    row = window.article_model.index(window.article_list.current_row() or 0)
    assert window.article_model.data(row, Qt.ItemDataRole.ToolTipRole).endswith("Read, starred.")
