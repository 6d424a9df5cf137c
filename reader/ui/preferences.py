"""File > Preferences (Ctrl+,): folders to open, when to mark read, remote images, feed
refreshing, theme and font size (the General page), and the keys of the actions (the Keys
page, :mod:`reader.ui.keys_page`). Every change is saved and applied at once (there is no OK
to press).

The dialog knows only the :class:`Settings`: it writes a change there and says which one
changed (:attr:`PreferencesDialog.changed`); whoever opened it applies it."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from typing import Protocol

from PySide6.QtCore import QEvent, QMargins, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from reader.filenames import restored, shown, stored
from reader.paths import bundled_seeds
from reader.ui.keymap import KeyMap
from reader.ui.keys_page import KeysPage
from reader.ui.fulltext_prefs import FullTextSources
from reader.ui.actions import key_text
from reader.ui.settings import FEED_REFRESH_INTERVALS, FONT_MAX, FONT_MIN, MARK_READ_DELAYS, NEVER, Settings, Theme
from reader.ui.theme import ThemeManager, error_colour

def keyed_labels(keys: Mapping[str, Sequence[str]] | None) -> dict[str, str]:
    """The choices of the General page that name a key, with the actions' current ``keys``
    (by action name; None: the defaults): "never" (mark read), "on_request" (images),
    "only_asked" (refresh feeds)."""
    mark, images, reload = (key_text(name, keys) for name in ("toggle_read", "load_images", "reload"))
    return {
        "never": f"Never (press {mark})" if mark else "Never (Article > Mark Read / Unread)",
        "on_request": f"On request (press {images})" if images else "On request (Article > Load Images)",
        "only_asked": f"Only when I press {reload}" if reload else "Only when I choose File > Reload",
    }


THEME_LABELS = {Theme.SYSTEM: "Follow the system", Theme.LIGHT: "Light", Theme.DARK: "Dark"}


def ask_folder(parent: QWidget, start: str) -> str:
    """The platform's folder dialog; an empty string when cancelled."""
    return QFileDialog.getExistingDirectory(parent, "Add a folder of news documents", start)


class Looks(Protocol):
    """What has a look: its settings and the theme manager that applies them."""

    settings: Settings
    theme: ThemeManager


class PreferencesHost(Looks, Protocol):
    """What the preferences are opened over: a window with settings, showing ``paths``,
    that applies a changed setting (by its name in :class:`Settings`)."""

    paths: list[str]

    def apply_setting(self, name: str) -> None: ...

    def open_paths(self, paths: Sequence[str]) -> None: ...


def apply_look(host: Looks) -> None:
    """The theme and font size from ``host``'s settings, applied to the application."""
    host.theme.apply(host.settings.theme)
    host.theme.set_font_size(host.settings.font_size)


class PreferencesDialog(QDialog):
    """Edits ``settings``; each change is saved at once and told by :attr:`changed` (the
    folders to show by :attr:`folders_changed`).

    The folder list is what the window shows (``shown_folders``); editing it shows the list
    and saves it as the folders to open, all but the bundled seeds shown in place of an empty
    list (they are saved only when added by hand)."""

    #: The name of the setting just saved ("mark_read_delay", "theme" ...; "keys" for any key).
    changed = Signal(str)
    #: The folders to show now (the list; the fallback ones when it was emptied).
    folders_changed = Signal(object)  # (a list of str: a Qt list would drop a byte of a name that is not UTF-8)

    def __init__(
        self,
        settings: Settings,
        shown_folders: Sequence[str],
        fallback_folders: Callable[[], list[str]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("preferencesDialog")
        self.setWindowTitle("Preferences")
        self.setAccessibleName("Preferences")
        self.setAccessibleDescription("Folders, marking read, remote images, theme, font size and keys; changes apply at once")
        self.settings = settings
        #: The folders shown when the list is emptied (the bundled seeds).
        self.fallback_folders = fallback_folders
        #: Asks for a folder to add (tests replace it).
        self.ask_folder: Callable[[QWidget, str], str] = ask_folder
        outer = QVBoxLayout(self)
        self.pages = QTabWidget(self)
        self.pages.setObjectName("preferencePages")
        self.pages.setAccessibleName("Preference pages")
        self.pages.setAccessibleDescription("General preferences, and the keys of the actions")
        outer.addWidget(self.pages)
        # (scrolled: at a large font the page is taller than many screens)
        self.general_scroll = QScrollArea(self.pages)
        self.general_scroll.setObjectName("generalPage")
        self.general_scroll.setWidgetResizable(True)
        self.general_scroll.setFrameShape(QFrame.Shape.NoFrame)
        general = self.general_page = QWidget(self.general_scroll)
        general.setAccessibleName("General")
        general.setAccessibleDescription("Folders, marking read, remote images, feeds, theme and font size")
        self.general_scroll.setWidget(general)
        self.pages.addTab(self.general_scroll, "&General")
        layout = QVBoxLayout(general)

        folders = QGroupBox("Folders", self)
        folders.setAccessibleName("Folders")
        folders_layout = QVBoxLayout(folders)
        self.folder_list = QListWidget(folders)
        self.folder_list.setObjectName("folderList")
        self.folder_list.setAccessibleName("Folders to open and watch")
        self.folder_list.setAccessibleDescription(
            "Reader shows the articles of all these folders together and notices changes in them; "
            "they open when Reader starts without a path"
        )
        saved = self.settings.folders
        #: Folders listed (shown) and not saved: the fallback ones shown for want of any.
        self.unsaved: set[str] = set()
        if not saved and list(shown_folders) == self.fallback_folders():
            self.unsaved = set(shown_folders)
        for folder in shown_folders:
            self._add_item(folder)
        folders_layout.addWidget(self.folder_list)
        #: Said while the window shows other folders than the saved ones (given at start).
        self.folders_note = QLabel(folders)
        self.folders_note.setObjectName("foldersNote")
        self.folders_note.setWordWrap(True)
        if self.saved_folders() != saved:
            others = [shown(f) for f in saved if f not in self.folders()]
            self.folders_note.setText(
                "Reader shows the folders it was started with. A change here saves this list as the "
                "folders to open" + (f", in place of: {', '.join(others)}." if others else ".")
            )
        folders_layout.addWidget(self.folders_note)
        self.folders_note.setVisible(bool(self.folders_note.text()))
        row = QHBoxLayout()
        self.add_button = QPushButton("&Add Folder…", folders)
        self.add_button.setAccessibleDescription("Choose another folder to show and watch")
        self.remove_button = QPushButton("&Remove Folder", folders)
        self.remove_button.setAccessibleDescription("Stop showing and watching the selected folder")
        self.add_button.clicked.connect(self.add_folder)
        self.remove_button.clicked.connect(self.remove_folder)
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        self.remove_button.setEnabled(bool(self.saved_folders()))
        row.addStretch(1)
        folders_layout.addLayout(row)
        layout.addWidget(folders)

        form = QFormLayout()
        self.mark_read_box = QComboBox(self)
        self.mark_read_box.setObjectName("markReadDelay")
        self.mark_read_box.setAccessibleName("Mark articles read")
        self.mark_read_box.setAccessibleDescription("How long an article is shown before it counts as read")
        for delay, label in MARK_READ_DELAYS.items():
            self.mark_read_box.addItem(label, delay)
        self.mark_read_box.setCurrentIndex(self.mark_read_box.findData(self.settings.mark_read_delay))
        self.mark_read_box.currentIndexChanged.connect(self._mark_read_changed)
        form.addRow("&Mark read when shown:", self.mark_read_box)

        self.images_box = QComboBox(self)
        self.images_box.setObjectName("remoteImages")
        self.images_box.setAccessibleName("Remote images")
        self.images_box.addItem("On request", True)
        self.images_box.addItem("Off (never fetched, nor full texts)", False)
        self.images_box.setCurrentIndex(0 if self.settings.remote_images else 1)
        self.images_box.currentIndexChanged.connect(self._images_changed)
        form.addRow("Remote &images:", self.images_box)

        self.feeds_box = QComboBox(self)
        self.feeds_box.setObjectName("feedRefresh")
        self.feeds_box.setAccessibleName("Refresh feeds")
        self.feeds_box.setAccessibleDescription("Whether subscribed feeds are fetched by themselves while Reader is open")
        for minutes, label in FEED_REFRESH_INTERVALS.items():
            self.feeds_box.addItem(label, minutes)
        self.feeds_box.setCurrentIndex(max(0, self.feeds_box.findData(self.settings.feed_refresh_minutes)))
        self.feeds_box.currentIndexChanged.connect(self._feeds_changed)
        form.addRow("Refresh f&eeds:", self.feeds_box)

        self.theme_box = QComboBox(self)
        self.theme_box.setObjectName("theme")
        self.theme_box.setAccessibleName("Theme")
        self.theme_box.setAccessibleDescription("Light or dark colours, or those the system prefers")
        for theme, label in THEME_LABELS.items():
            self.theme_box.addItem(label, str(theme))
        self.theme_box.setCurrentIndex(self.theme_box.findData(str(self.settings.theme)))
        self.theme_box.currentIndexChanged.connect(self._theme_changed)
        form.addRow("&Theme:", self.theme_box)

        self.font_box = QSpinBox(self)
        self.font_box.setObjectName("fontSize")
        self.font_box.setAccessibleName("Font size")
        self.font_box.setAccessibleDescription("The interface's font size in points; the article text follows it")
        self.font_box.setRange(FONT_MIN - 1, FONT_MAX)
        self.font_box.setSpecialValueText("System default")  # shown for the minimum, FONT_MIN - 1
        self.font_box.setSuffix(" pt")
        self.font_box.setValue(self.settings.font_size or FONT_MIN - 1)
        self.font_box.valueChanged.connect(self._font_changed)
        form.addRow("&Font size:", self.font_box)
        layout.addLayout(form)
        self.fulltext_sources = FullTextSources(settings, self)
        self.fulltext_sources.changed.connect(self.changed)
        layout.addWidget(self.fulltext_sources)

        #: Said when the settings file cannot be written (changes then last until Reader closes).
        self.unsaved_note = QLabel(self)
        self.unsaved_note.setObjectName("preferencesNotSaved")
        self.unsaved_note.setWordWrap(True)
        self.unsaved_note.hide()
        outer.addWidget(self.unsaved_note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
        self.close_button.setAccessibleDescription("Close; changes are already saved")
        outer.addWidget(buttons)
        self.changed.connect(self._check_saved)
        self.folder_list.setFocus(Qt.FocusReason.OtherFocusReason)

        self.keys_page = KeysPage(KeyMap(settings.store), self.pages)
        self.keys_page.changed.connect(lambda: self.changed.emit("keys"))
        self.keys_page.changed.connect(self._name_keys)
        self.pages.addTab(self.keys_page, "&Keys")
        self._name_keys()

    def sizeHint(self) -> QSize:
        """As wide as the General page needs; as tall too, but no taller than the screen
        (the page scrolls then)."""
        hint = super().sizeHint()
        page = self.general_page.sizeHint()
        outer = self.layout()
        margins = outer.contentsMargins() if outer is not None else QMargins()
        # (around the page: the tabs' bar and frame, the note when shown, Close, the margins)
        chrome = (self.pages.tabBar().sizeHint().height() + self.close_button.sizeHint().height()
                  + margins.top() + margins.bottom() + 2 * (outer.spacing() if outer is not None else 6) + 8
                  + (self.unsaved_note.sizeHint().height() if self.unsaved_note.isVisible() else 0))  # fmt: skip
        hint = hint.expandedTo(QSize(page.width() + self.general_scroll.verticalScrollBar().sizeHint().width() + 40,
                                     page.height() + chrome))  # fmt: skip
        screen = (self.screen() or QGuiApplication.primaryScreen()).availableGeometry()
        return hint.boundedTo(QSize(screen.width() - 40, screen.height() - 60))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange and self.isVisible():
            # (grown or shrunk with the font, once its pages have it; never past the screen)
            QTimer.singleShot(0, self.fit)

    def fit(self) -> None:
        """Take the size the General page asks for, within the screen."""
        self.resize(self.sizeHint())

    def _name_keys(self) -> None:
        """The choices that name a key say its current key."""
        keys = self.keys_page.keymap.all()
        labels = keyed_labels(keys)
        self.mark_read_box.setItemText(self.mark_read_box.findData(NEVER), labels["never"])
        self.images_box.setItemText(0, labels["on_request"])
        self.feeds_box.setItemText(self.feeds_box.findData(0), labels["only_asked"])
        images, full = key_text("load_images", keys), key_text("load_fulltext", keys)
        self.images_box.setAccessibleDescription(
            f"Whether article images{f' ({images})' if images else ''} and full texts{f' ({full})' if full else ''} "
            "may be fetched from the web; off: nothing is fetched"
        )
        self.fulltext_sources.set_keys(keys)

    # -------------------------------------------------------------- changes

    def folders(self) -> list[str]:
        return [restored(self.folder_list.item(i).data(Qt.ItemDataRole.UserRole)) for i in range(self.folder_list.count())]

    def saved_folders(self) -> list[str]:
        """The folders listed that are saved (all but the fallback ones shown for want of any)."""
        return [folder for folder in self.folders() if folder not in self.unsaved]

    def _add_item(self, folder: str) -> None:
        """List ``folder``, shown printable, kept whole (a name not UTF-8 too: Qt's text would
        drop its odd bytes)."""
        item = QListWidgetItem()
        item.setData(Qt.ItemDataRole.UserRole, stored(folder))
        self.folder_list.addItem(item)
        self._name_item(item)

    def _name_item(self, item: QListWidgetItem) -> None:
        folder = restored(item.data(Qt.ItemDataRole.UserRole))
        note = " (the bundled seeds, shown while no folder is chosen: not saved)" if folder in self.unsaved else ""
        item.setText(shown(folder) + note)
        item.setToolTip(shown(folder) + note)

    def add_folder(self) -> None:
        start = self.folders()[-1] if self.folders() else ""
        folder = self.ask_folder(self, start)
        if not folder:
            return
        folder = os.path.abspath(folder)
        if folder in self.unsaved:  # (chosen by hand: saved from now on)
            self.unsaved.discard(folder)
            row = self.folders().index(folder)
            self._name_item(self.folder_list.item(row))
            self.folder_list.setCurrentRow(row)
            self._folders_changed()
        elif folder not in self.folders():
            self._add_item(folder)
            self.folder_list.setCurrentRow(self.folder_list.count() - 1)
            self._folders_changed()

    def remove_folder(self) -> None:
        row = self.folder_list.currentRow()
        if row >= 0 and self.saved_folders():  # (the fallback ones alone stay: the window shows them)
            self.folder_list.takeItem(row)
            self._folders_changed()

    def _folders_changed(self) -> None:
        self.folders_note.hide()
        self.settings.folders = self.saved_folders()
        self.changed.emit("folders")
        if not self.folders():  # (the window shows the fallback ones: listed, not saved)
            fallback = self.fallback_folders()
            self.unsaved = set(fallback)
            for folder in fallback:
                self._add_item(folder)
        self.remove_button.setEnabled(bool(self.saved_folders()))
        self.folders_changed.emit(self.folders())

    def _check_saved(self) -> None:
        """After a change: say so when the settings file cannot be written."""
        if self.settings.sync() or self.unsaved_note.isVisible():
            return
        text = (f"Changes cannot be saved: {self.settings.path()} cannot be written. "
                "They apply until Reader closes.")
        self.unsaved_note.setText(text)
        self.unsaved_note.setStyleSheet(f"color: {error_colour(self.palette())};")
        self.unsaved_note.show()
        self.close_button.setAccessibleDescription("Close; changes cannot be saved and apply until Reader closes")

    def _mark_read_changed(self) -> None:
        self.settings.mark_read_delay = int(self.mark_read_box.currentData())
        self.changed.emit("mark_read_delay")

    def _images_changed(self) -> None:
        self.settings.remote_images = bool(self.images_box.currentData())
        self.changed.emit("remote_images")

    def _feeds_changed(self) -> None:
        self.settings.feed_refresh_minutes = int(self.feeds_box.currentData())
        self.changed.emit("feed_refresh_minutes")

    def _theme_changed(self) -> None:
        self.settings.theme = Theme(self.theme_box.currentData())
        self.changed.emit("theme")

    def _font_changed(self, value: int) -> None:
        self.settings.font_size = value if value >= FONT_MIN else 0
        self.changed.emit("font_size")


def show_preferences(host: PreferencesHost) -> PreferencesDialog:
    """Open the preferences over ``host`` (emptying the folder list shows the seeds). One
    window at a time: when it is open already, it is raised and given the keyboard (two would
    each hold their own copy of the keys and could give one key to two actions)."""
    assert isinstance(host, QWidget)
    for dialog in host.findChildren(PreferencesDialog):
        if dialog.isVisible():
            dialog.raise_()
            dialog.activateWindow()
            return dialog
    dialog = PreferencesDialog(host.settings, host.paths, lambda: [str(bundled_seeds())], host)
    dialog.changed.connect(host.apply_setting)
    dialog.folders_changed.connect(host.open_paths)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    dialog.fit()  # (Qt's first size follows the wrapped texts' height for a width, not the page)
    return dialog
