"""Preferences > Keys: every action of the registry with its keys; change a key by pressing
the new one, add or clear keys, restore the defaults (of one action or all). A key another
action has is refused, naming that action; a key no action may have (the lists' own keys,
Esc, Alt with a menu's letter: :func:`reader.ui.keymap.check_key`) is refused, saying why. Each change is saved (see :mod:`reader.ui.keymap`
for how) and told by :attr:`KeysPage.changed`; whoever opened the page binds the new keys."""

from __future__ import annotations

import enum

from PySide6.QtCore import QEvent, QKeyCombination, Qt, Signal
from PySide6.QtGui import QFocusEvent, QFont, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QKeySequenceEdit,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reader.ui.actions import ACTIONS, SPECS, native_text
from reader.ui.keymap import DEFAULTS, PORTABLE, KeyConflict, KeyMap, KeyRefused, action_label, normalize
from reader.ui.theme import error_colour

NAME_ROLE = Qt.ItemDataRole.UserRole


class Capture(enum.Enum):
    REPLACE = "replace"  #: the key pressed becomes the action's only key
    ADD = "add"  #: the key pressed is added to the action's keys


class KeyCapture(QKeySequenceEdit):
    """Takes one key combination while it has the keyboard (:attr:`captured`, in portable
    text); Esc gives up (:attr:`cancelled`). It takes every other key, Tab and Ctrl+Q
    included, so it is reached only by the page's buttons (or a click), never by Tab."""

    captured = Signal(str)
    cancelled = Signal()
    #: It has the keyboard: the next key pressed is taken.
    focused = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMaximumSequenceLength(1)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        field = self.findChild(QLineEdit)
        if field is not None:  # (Qt's own field inside, shown to screen readers)
            field.setPlaceholderText("Change or Add, then press a key")
            field.setAccessibleName("New key")
            field.setAccessibleDescription("Shows the key pressed for the selected action")
        self.editingFinished.connect(self._finished)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.focused.emit()

    def event(self, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab)
        ):
            # Tab and Shift+Tab are taken as the key pressed (the page refuses them), not as a
            # move of the focus that would leave the page waiting for a key.
            modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            key = QKeySequence(QKeyCombination(modifiers, Qt.Key(event.key()))).toString(PORTABLE)
            self.clear()
            self.captured.emit(normalize(key) or key)  # (Backtab is Shift+Tab)
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and event.modifiers() == Qt.KeyboardModifier.NoModifier:
            self.clear()
            self.cancelled.emit()
            return
        super().keyPressEvent(event)

    def _finished(self) -> None:
        sequence = self.keySequence()
        self.clear()
        if not sequence.isEmpty():
            self.captured.emit(sequence.toString(PORTABLE))


class ActionTable(QTreeWidget):
    """The actions, one row each; Enter asks to change the current one's key, Delete to clear it."""

    change_requested = Signal()
    clear_requested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if event.modifiers() == Qt.KeyboardModifier.NoModifier and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.change_requested.emit()
            return
        if event.modifiers() == Qt.KeyboardModifier.NoModifier and key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.clear_requested.emit()
            return
        super().keyPressEvent(event)


class KeysPage(QWidget):
    """Shows and changes ``keymap``; :attr:`changed` is emitted after every saved change."""

    changed = Signal()

    def __init__(self, keymap: KeyMap, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("keysPage")
        self.setAccessibleName("Keys")
        self.setAccessibleDescription("The keys of every action; change, add or clear them, or restore the defaults")
        self.keymap = keymap
        self._mode = Capture.REPLACE
        layout = QVBoxLayout(self)

        self.table = ActionTable(self)
        self.table.setObjectName("keysTable")
        self.table.setAccessibleName("Actions and their keys")
        self.table.setAccessibleDescription(
            "Every action with its keys; Enter changes the key of the selected action, Delete clears its keys"
        )
        self.table.setColumnCount(3)
        self.table.setHeaderLabels(["Action", "Keys", "Menu"])
        self.table.setRootIsDecorated(False)
        self.table.setUniformRowHeights(True)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.items: dict[str, QTreeWidgetItem] = {}
        for spec in ACTIONS:
            item = QTreeWidgetItem([action_label(spec), "", spec.menu])
            item.setData(0, NAME_ROLE, spec.name)
            if spec.tip:
                item.setToolTip(0, spec.tip)
            self.table.addTopLevelItem(item)
            self.items[spec.name] = item
        header = self.table.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemDoubleClicked.connect(lambda *_: self.start_capture(Capture.REPLACE))
        self.table.change_requested.connect(lambda: self.start_capture(Capture.REPLACE))
        self.table.clear_requested.connect(self.clear_keys)
        self.table.currentItemChanged.connect(lambda *_: self._current_changed())
        self.table.setMinimumSize(620, 400)
        layout.addWidget(self.table, 1)

        row = QHBoxLayout()
        self.capture_label = QLabel("New key:", self)
        self.capture = KeyCapture(self)
        self.capture.setObjectName("keyCapture")
        self.capture.setAccessibleName("New key")
        self.capture.setAccessibleDescription("Press the new key for the selected action; Esc cancels")
        self.capture.captured.connect(self._captured)
        self.capture.cancelled.connect(self._cancelled)
        self.capture.focused.connect(self._prompt)
        self.capture_label.setBuddy(self.capture)
        row.addWidget(self.capture_label)
        row.addWidget(self.capture, 1)
        self.change_button = self._button("&Change Key…", "Press a key to replace the selected action's keys with it")
        self.change_button.clicked.connect(lambda: self.start_capture(Capture.REPLACE))
        self.add_button = self._button("A&dd Key…", "Press a key to give the selected action another key")
        self.add_button.clicked.connect(lambda: self.start_capture(Capture.ADD))
        self.clear_button = self._button("C&lear Keys", "The selected action gets no key (it stays in its menu)")
        self.clear_button.clicked.connect(self.clear_keys)
        for button in (self.change_button, self.add_button, self.clear_button):
            row.addWidget(button)
        layout.addLayout(row)

        self.message = QLabel(" ", self)
        self.message.setObjectName("keysMessage")
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Keys message")
        self.message.setAccessibleDescription("What the last change did, or why it was refused")
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.message)

        restore = QHBoxLayout()
        restore.addStretch(1)
        self.restore_button = self._button("&Restore Default", "The selected action's default keys back")
        self.restore_button.clicked.connect(self.restore_default)
        self.restore_all_button = self._button("Restore All Defa&ults", "Every action's default keys back")
        self.restore_all_button.clicked.connect(self.restore_all)
        restore.addWidget(self.restore_button)
        restore.addWidget(self.restore_all_button)
        layout.addLayout(restore)

        self._show_keys()
        self.table.setCurrentItem(self.items[ACTIONS[0].name])
        self.table.resizeColumnToContents(1)

    def _button(self, text: str, description: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setAutoDefault(False)  # (Enter in the list changes a key; it presses no button)
        button.setAccessibleName(text.replace("&", "").replace("…", ""))
        button.setAccessibleDescription(description)
        return button

    # -------------------------------------------------------------- showing

    def _show_keys(self) -> None:
        bold = QFont(self.table.font())
        bold.setBold(True)
        for name, item in self.items.items():
            also = list(SPECS[name].also)
            text = self._keys_text(name, none="—")
            if also:
                text += f" (also {' or '.join(also)})"
            item.setText(1, text)
            default = self.keymap.is_default(name)
            item.setFont(1, bold if not default else self.table.font())
            defaults = " or ".join(native_text(k) for k in DEFAULTS[name]) or "no key"
            item.setToolTip(1, "Default" if default else f"Changed; the default is {defaults}")
        self._current_changed()

    def _current_changed(self) -> None:
        name = self.current_name()
        self.restore_button.setEnabled(name is not None and not self.keymap.is_default(name))
        self.clear_button.setEnabled(name is not None and bool(self.keymap.keys(name)))

    def current_name(self) -> str | None:
        item = self.table.currentItem()
        return str(item.data(0, NAME_ROLE)) if item is not None else None

    def select(self, name: str) -> None:
        """Make the action ``name`` the selected one."""
        self.table.setCurrentItem(self.items[name])

    def say(self, text: str, *, refused: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(f"color: {error_colour(self.palette())};" if refused else "")

    # -------------------------------------------------------------- changing

    def start_capture(self, mode: Capture) -> None:
        """Wait for the new key of the selected action (``mode``: replace or add)."""
        name = self.current_name()
        if name is None:
            return
        self._mode = mode
        self.capture.clear()
        self.capture.setFocus(Qt.FocusReason.OtherFocusReason)
        self._prompt()

    def _prompt(self) -> None:
        name = self.current_name()
        if name is not None:
            verb = "another key for" if self._mode is Capture.ADD else "the new key for"
            self.say(f"Press {verb} {action_label(SPECS[name])} (Esc: cancel)")

    def _captured(self, key: str) -> None:
        name = self.current_name()
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        if name is None:
            return
        spec = SPECS[name]
        shown = native_text(key)
        try:
            if self._mode is Capture.ADD:
                self.keymap.add_key(name, key)
            else:
                self.keymap.set_keys(name, [key])
        except (KeyConflict, KeyRefused) as refused:  # (each says which key, and why)
            self.say(f"Not changed: {refused}", refused=True)
            return
        except ValueError:
            self.say(f"Not changed: {shown} cannot be used as a key", refused=True)
            return
        self._changed(f"{action_label(spec)}: {self._keys_text(name)}")

    def _cancelled(self) -> None:
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        self.say("Not changed")

    def clear_keys(self) -> None:
        name = self.current_name()
        if name is None or not self.keymap.keys(name):
            return
        self.keymap.clear(name)
        self._changed(f"{action_label(SPECS[name])}: no key (still in the {SPECS[name].menu} menu)")

    def restore_default(self) -> None:
        name = self.current_name()
        if name is None:
            return
        left_out = self.keymap.restore(name)
        text = f"{action_label(SPECS[name])}: {self._keys_text(name)}"
        if left_out:
            kept = ", ".join(f"{native_text(key)} stays with {action_label(owner)}" for key, owner in left_out)
            text += f" (of its default keys, {kept})"
        else:
            text += " (the default)"
        self._changed(text)

    def restore_all(self) -> None:
        self.keymap.restore_all()
        self._changed("Every action has its default keys again")

    def _keys_text(self, name: str, none: str = "no key") -> str:
        """The keys of ``name`` as the platform spells them ("/ or Ctrl+F")."""
        return " or ".join(native_text(k) for k in self.keymap.keys(name)) or none

    def _changed(self, text: str) -> None:
        self._show_keys()
        self.say(text)
        self.changed.emit()

