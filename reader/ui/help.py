"""The keyboard shortcut help window, built from the action registry with the keys the user
chose (Preferences > Keys)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reader.ui.actions import help_rows


class ShortcutHelp(QDialog):
    """Every action with keys: ``keys`` by action name (as :attr:`ActionRegistry.keys` holds
    them), or the default keys."""

    def __init__(self, parent: QWidget | None = None, keys: Mapping[str, Sequence[str]] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutHelp")
        self.setWindowTitle("Keyboard Shortcuts")
        self.setAccessibleName("Keyboard shortcuts")
        self.setAccessibleDescription("Every action's keys, its name and its menu")
        layout = QVBoxLayout(self)
        rows = help_rows(keys)
        table = QTableWidget(len(rows), 3, self)
        table.setObjectName("shortcutTable")
        table.setAccessibleName("Shortcuts")
        table.setAccessibleDescription("One row per action: its keys, what it does, and the menu it is in")
        table.setHorizontalHeaderLabels(["Keys", "Action", "Menu"])
        table.verticalHeader().hide()
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        for row, values in enumerate(rows):
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if column == 0:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                table.setItem(row, column, item)
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(table)
        self.table = table
        note = QLabel("Change these keys in File > Preferences, page Keys.", self)
        note.setObjectName("shortcutNote")
        layout.addWidget(note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        for button in buttons.buttons():
            button.setAccessibleName("Close")
            button.setAccessibleDescription("Closes the list of keyboard shortcuts")
        layout.addWidget(buttons)
        self.resize(720, 640)
        table.setFocus(Qt.FocusReason.OtherFocusReason)
