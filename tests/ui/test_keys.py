"""Keys you choose (Preferences > Keys): a key changed by pressing the new one works at once
and the old one no longer does; a key another action has is refused; keys are cleared and
restored; the help and the menus show the chosen keys; single letters still type in the
search field; what the settings file holds under ``keys/``."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot

from reader.library import View, ViewKind
from reader.ui.actions import ACTIONS, MENUS, ActionRegistry
from reader.ui.help import ShortcutHelp
from reader.ui.keymap import KeyMap, KeyRefused, check_key
from reader.ui.keys_page import KeysPage
from reader.ui.main_window import MainWindow
from reader.ui.preferences import PreferencesDialog
from reader.ui.settings import Settings

from .conftest import OFFSCREEN_NOISE
from .helpers import SEED_ORDER, WindowFactory, activate
from .test_keyboard import focused, press

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
PORTABLE = QKeySequence.SequenceFormat.PortableText


def stored_keys() -> dict[str, object]:
    """The ``keys/`` group of the settings file, as written there."""
    store = Settings().store
    store.sync()
    store.beginGroup("keys")
    try:
        return {name: store.value(name) for name in store.childKeys()}
    finally:
        store.endGroup()


def write_keys(settings_dir: Path, text: str) -> None:
    """A ``[keys]`` group written by hand into the settings file."""
    path = Path(Settings().path())
    assert settings_dir in path.parents
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("[keys]\n" + text, encoding="utf-8")


def open_keys(qtbot: QtBot, window: MainWindow) -> KeysPage:
    """Preferences (Ctrl+,) on its Keys page (Alt+K)."""
    press(qtbot, window, ",", CTRL)
    dialog = window.findChild(PreferencesDialog)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    activate(qtbot, dialog)
    qtbot.keyClick(dialog, "k", Qt.KeyboardModifier.AltModifier)
    assert dialog.pages.currentWidget() is dialog.keys_page
    return dialog.keys_page


def close_keys(qtbot: QtBot, window: MainWindow, page: KeysPage) -> None:
    dialog = page.window()
    qtbot.keyClick(page.table, Qt.Key.Key_Escape)  # (Esc in the list closes the dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    activate(qtbot, window)


def change_key(qtbot: QtBot, page: KeysPage, name: str, key: str, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """Select ``name``, press Enter, then the new key, as a user does."""
    page.select(name)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert page.capture.hasFocus()
    qtbot.keyClick(page.capture, key, modifier)


def native(key: str) -> str:
    return QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)


def starred(window: MainWindow) -> bool:
    return window.detail.star_button.isChecked()


# --------------------------------------------------------------------------- in the window


def test_a_changed_key_works_at_once_and_the_old_one_no_longer_does(qtbot: QtBot, window: MainWindow) -> None:
    press(qtbot, window, "j")
    page = open_keys(qtbot, window)
    change_key(qtbot, page, "toggle_star", "x")
    assert page.table.hasFocus()  # back in the list, for the next change
    assert page.items["toggle_star"].text(1) == "x"
    assert page.items["toggle_star"].font(1).bold()  # changed from the default
    assert stored_keys() == {"toggle_star": "X"}
    close_keys(qtbot, window, page)
    press(qtbot, window, "s")
    assert not starred(window)
    assert focused(window) is window.article_list
    press(qtbot, window, "x")
    assert starred(window)
    # The menu and the toolbar's tooltip say the new key.
    action = window.registry["toggle_star"]
    assert [k.toString(PORTABLE) for k in action.shortcuts()] == ["X"]
    assert action.toolTip().startswith("Star / Unstar (x)")


def test_a_key_of_another_action_is_refused_and_that_action_named(qtbot: QtBot, window: MainWindow) -> None:
    page = open_keys(qtbot, window)
    change_key(qtbot, page, "toggle_star", "o", CTRL)
    assert "Ctrl+O is already the key of Open Folder" in page.message.text()
    assert page.items["toggle_star"].text(1) == "s"
    change_key(qtbot, page, "toggle_star", "j")
    assert "j is already the key of Next Article" in page.message.text()
    # Down reaches Next Article through the list: it cannot be given to another action either.
    change_key(qtbot, page, "copy_link", Qt.Key.Key_Down)
    assert "Down cannot be an action's key" in page.message.text()
    assert stored_keys() == {}
    close_keys(qtbot, window, page)
    press(qtbot, window, "j")
    press(qtbot, window, "s")
    assert starred(window)


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("next_article", Qt.Key.Key_Down),  # the action's own key in the list, but also the sidebar's, the pane's ...
        ("previous_article", Qt.Key.Key_Up),
        ("open_original", Qt.Key.Key_Return),  # Return in the search field runs the search
        ("open_original", Qt.Key.Key_Enter),
        ("copy_link", Qt.Key.Key_Home),
        ("copy_link", Qt.Key.Key_End),
        ("toggle_star", Qt.Key.Key_PageUp),
        ("toggle_star", Qt.Key.Key_PageDown),
    ],
)
def test_the_keys_the_lists_and_fields_use_are_refused_for_every_action(
    qtbot: QtBot, window: MainWindow, name: str, key: Qt.Key
) -> None:
    page = open_keys(qtbot, window)
    keys = page.keymap.keys(name)
    change_key(qtbot, page, name, key)
    assert page.message.text().startswith("Not changed: ")
    assert "cannot be an action's key: the lists and fields use it" in page.message.text()
    assert page.keymap.keys(name) == keys
    assert stored_keys() == {}


def test_keys_the_lists_and_fields_use_written_into_the_file_are_not_bound(
    qtbot: QtBot, make_window: WindowFactory, docs_dir: Path, settings_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    write_keys(settings_dir, "next_article=Down\nopen_original=Return\nprevious_article=\"Up; K\"\ncopy_link=End\n")
    with caplog.at_level(logging.WARNING, logger="reader.ui.keymap"):
        window = make_window([docs_dir])
    assert "keys/next_article: Down cannot be an action's key" in caplog.text
    # an action left with none of its stored keys keeps its default keys
    assert window.registry.keys["next_article"] == ("J",)
    assert window.registry.keys["open_original"] == ("O",)
    assert window.registry.keys["previous_article"] == ("K",)
    assert window.registry.keys["copy_link"] == ("C",)
    # Down still moves in the sidebar (not the article list) ...
    window.sidebar.setFocus()
    view = window.sidebar.current_key()
    press(qtbot, window, Qt.Key.Key_Down)
    assert window.sidebar.current_key() != view
    assert focused(window) is window.sidebar
    # ... and Return in the search field runs the search, opening no web page.
    press(qtbot, window, "/")
    qtbot.keyClicks(window.search_bar.field, "a")
    press(qtbot, window, Qt.Key.Key_Return)
    assert window.open_url.urls == []  # type: ignore[attr-defined]


def test_shift_tab_as_x11_sends_it_is_refused(qtbot: QtBot, window: MainWindow) -> None:
    # X11 sends Shift+Tab as Backtab (with Shift held); it is Shift+Tab, which moves the focus back.
    page = open_keys(qtbot, window)
    change_key(qtbot, page, "copy_link", Qt.Key.Key_Backtab, SHIFT)
    assert page.message.text().startswith(f"Not changed: {native('Shift+Tab')} cannot be an action's key")
    assert page.keymap.keys("copy_link") == ("C",)
    assert stored_keys() == {}


def test_backtab_written_into_the_file_is_shift_tab_and_not_bound(
    qtbot: QtBot, make_window: WindowFactory, docs_dir: Path, settings_dir: Path
) -> None:
    write_keys(settings_dir, "copy_link=Backtab\ntoggle_star=Shift+Backtab\nload_images=Ctrl+Backtab\n")
    window = make_window([docs_dir])
    assert window.registry.keys["copy_link"] == ("C",)  # (its default keys)
    assert window.registry.keys["toggle_star"] == ("S",)
    assert window.registry.keys["load_images"] == ("Ctrl+Shift+Tab",)
    press(qtbot, window, "j")
    QGuiApplication.clipboard().setText("before")
    press(qtbot, window, Qt.Key.Key_Backtab, SHIFT)  # as X11 sends Shift+Tab: the focus moves back
    assert focused(window) is window.sidebar
    assert not starred(window)
    assert QGuiApplication.clipboard().text() == "before"


@pytest.mark.qt_log_ignore(OFFSCREEN_NOISE, r"This plugin does not support raise\(\)", extend=True)  # (offscreen only)
def test_ctrl_comma_again_raises_the_open_preferences_rather_than_a_second(qtbot: QtBot, window: MainWindow) -> None:
    page = open_keys(qtbot, window)
    dialog = page.window()
    activate(qtbot, window)
    press(qtbot, window, ",", CTRL)
    qtbot.waitUntil(dialog.isActiveWindow)
    shown = [d for d in window.findChildren(PreferencesDialog) if d.isVisible()]
    assert shown == [dialog]
    # So one key cannot go to two actions through two pages, each with its own keys.
    change_key(qtbot, page, "toggle_star", "x")
    change_key(qtbot, page, "copy_link", "x")
    assert "x is already the key of Star / Unstar" in page.message.text()
    assert stored_keys() == {"toggle_star": "X"}


def test_alt_and_a_menus_letter_is_refused(qtbot: QtBot, window: MainWindow) -> None:
    page = open_keys(qtbot, window)
    change_key(qtbot, page, "copy_link", "f", Qt.KeyboardModifier.AltModifier)
    assert page.message.text() == f"Not changed: {native('Alt+F')} cannot be an action's key: it opens the File menu"
    assert page.keymap.keys("copy_link") == ("C",)
    assert stored_keys() == {}


def test_every_menus_alt_letter_is_refused(qtbot: QtBot, window: MainWindow) -> None:
    # The letters of the menus the window shows, read from its menu bar.
    titles = [action.text() for action in window.menuBar().actions()]
    assert titles
    for title in titles:
        letter = QKeySequence.mnemonic(title)
        assert not letter.isEmpty(), f"{title} has no underlined letter"
        with pytest.raises(KeyRefused, match=f"opens the {title.replace('&', '')} menu"):
            check_key(letter.toString(PORTABLE))


def test_no_default_key_is_one_the_keys_page_refuses() -> None:
    for spec in ACTIONS:
        for key in spec.shortcuts:
            check_key(key)


def test_every_menu_the_registry_builds_has_unique_underlined_letters(qtbot: QtBot) -> None:
    host = QMainWindow()
    qtbot.addWidget(host)
    registry = ActionRegistry(host, {spec.name: lambda: None for spec in ACTIONS})
    registry.build_menus(host.menuBar())
    menus = [action.menu() for action in host.menuBar().actions()]
    assert len(menus) == len(MENUS)
    for menu in [host.menuBar(), *menus]:
        letters: dict[str, str] = {}
        for action in menu.actions():
            letter = QKeySequence.mnemonic(action.text()).toString(PORTABLE)
            if letter:
                assert letter not in letters, f"{menu.title() or 'menu bar'}: {letters[letter]!r} and {action.text()!r} both have {letter}"
                letters[letter] = action.text()


@pytest.mark.parametrize(
    ("key", "shown"), [(Qt.Key.Key_Tab, "Tab"), (Qt.Key.Key_Backtab, "Shift+Tab")]  # (Backtab alone: as some systems send Shift+Tab)
)
def test_tab_while_waiting_for_a_key_is_taken_and_refused(qtbot: QtBot, window: MainWindow, key: Qt.Key, shown: str) -> None:
    page = open_keys(qtbot, window)
    change_key(qtbot, page, "copy_link", key)
    assert page.message.text().startswith(f"Not changed: {native(shown)} cannot be an action's key")
    assert page.table.hasFocus()  # waiting no more
    assert page.keymap.keys("copy_link") == ("C",)
    assert stored_keys() == {}


def test_esc_while_waiting_for_a_key_changes_nothing_and_keeps_the_dialog(qtbot: QtBot, window: MainWindow) -> None:
    page = open_keys(qtbot, window)
    page.select("toggle_star")
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert page.capture.hasFocus()
    qtbot.keyClick(page.capture, Qt.Key.Key_Escape)
    assert page.window().isVisible()
    assert page.table.hasFocus()
    assert page.message.text() == "Not changed"
    assert page.keymap.keys("toggle_star") == ("S",)
    assert stored_keys() == {}


def test_a_cleared_key_no_longer_fires_and_is_stored_empty(qtbot: QtBot, window: MainWindow) -> None:
    press(qtbot, window, "j")
    page = open_keys(qtbot, window)
    page.select("toggle_star")
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    assert page.items["toggle_star"].text(1) == "—"
    assert stored_keys() == {"toggle_star": ""}
    close_keys(qtbot, window, page)
    press(qtbot, window, "s")
    assert not starred(window)
    assert window.registry["toggle_star"].shortcuts() == []
    window.registry["toggle_star"].trigger()  # still in the Article menu
    assert starred(window)


def test_restore_defaults_of_one_action_and_of_all(qtbot: QtBot, window: MainWindow) -> None:
    press(qtbot, window, "j")
    page = open_keys(qtbot, window)
    change_key(qtbot, page, "toggle_star", "x")
    change_key(qtbot, page, "copy_link", "y")
    page.select("focus_search")
    page.add_button.click()
    qtbot.keyClick(page.capture, "k", CTRL)
    assert page.items["focus_search"].text(1) == f"/ or {native('Ctrl+F')} or {native('Ctrl+K')}"
    assert stored_keys() == {"toggle_star": "X", "copy_link": "Y", "focus_search": "/; Ctrl+F; Ctrl+K"}
    page.select("toggle_star")
    assert page.restore_button.isEnabled()
    page.restore_button.click()
    assert page.items["toggle_star"].text(1) == "s"
    assert not page.restore_button.isEnabled()
    assert stored_keys() == {"copy_link": "Y", "focus_search": "/; Ctrl+F; Ctrl+K"}
    assert [k.toString(PORTABLE) for k in window.registry["toggle_star"].shortcuts()] == ["S"]
    page.restore_all_button.click()
    assert stored_keys() == {}
    assert page.items["copy_link"].text(1) == "c"
    close_keys(qtbot, window, page)
    press(qtbot, window, "s")
    assert starred(window)
    press(qtbot, window, "k", CTRL)
    assert focused(window) is window.article_list  # Ctrl+K is no key any more


def test_restoring_a_default_another_action_took_keeps_it_there(qtbot: QtBot, window: MainWindow) -> None:
    page = open_keys(qtbot, window)
    change_key(qtbot, page, "toggle_star", "x")
    change_key(qtbot, page, "copy_link", "s")  # the key Star had
    page.select("toggle_star")
    page.restore_button.click()
    assert page.keymap.keys("toggle_star") == ()
    assert page.message.text() == "Star / Unstar: no key (of its default keys, s stays with Copy Link)"
    assert page.keymap.keys("copy_link") == ("S",)


def test_the_help_shows_the_chosen_keys(qtbot: QtBot, window: MainWindow) -> None:
    page = open_keys(qtbot, window)
    change_key(qtbot, page, "toggle_star", "x")
    change_key(qtbot, page, "help", Qt.Key.Key_F1)
    close_keys(qtbot, window, page)
    press(qtbot, window, "?")
    assert window.findChild(ShortcutHelp) is None  # ? is no key any more
    press(qtbot, window, Qt.Key.Key_F1)
    dialog = window.findChild(ShortcutHelp)
    assert dialog is not None
    table = dialog.table
    rows = {table.item(r, 1).text().split(" — ")[0]: table.item(r, 0).text() for r in range(table.rowCount())}
    assert rows["Star / Unstar"] == "x"
    assert rows["Keyboard Shortcuts"] == "F1"
    assert rows["Copy Link"] == "c"
    dialog.reject()


def test_a_remapped_single_letter_does_not_fire_in_the_search_field(
    qtbot: QtBot, make_window: WindowFactory, docs_dir: Path, settings_dir: Path
) -> None:
    # Star gets X; Starred (Ctrl+3, a key with a modifier) gets the single letter V.
    write_keys(settings_dir, "toggle_star=X\nview_starred=V\n")
    window = make_window([docs_dir])
    press(qtbot, window, "j")
    press(qtbot, window, "/")
    field = window.search_bar.field
    for letter in "xvsXV":
        press(qtbot, window, letter, SHIFT if letter.isupper() else Qt.KeyboardModifier.NoModifier)
    assert field.text() == "xvsXV"
    assert focused(window) is field
    assert not starred(window)
    assert window.sidebar.current_key() == View(ViewKind.ALL)
    press(qtbot, window, Qt.Key.Key_Escape)
    assert focused(window) is window.article_list
    press(qtbot, window, "x")  # in the list they do
    assert starred(window)
    press(qtbot, window, "v")
    assert window.sidebar.current_key() == View(ViewKind.STARRED)


def test_a_key_that_cannot_be_read_falls_back_to_the_default(
    qtbot: QtBot, make_window: WindowFactory, docs_dir: Path, settings_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    write_keys(settings_dir, "toggle_star=Ctrl+Bogus\ncopy_link=Ctrl+Shift+C\nno_such_action=Q\n")
    with caplog.at_level(logging.WARNING, logger="reader.ui.keymap"):
        window = make_window([docs_dir])
    assert "keys/toggle_star = 'Ctrl+Bogus' in the settings file is not a key" in caplog.text
    assert "keys/no_such_action" in caplog.text
    assert [k.toString(PORTABLE) for k in window.registry["toggle_star"].shortcuts()] == ["S"]
    assert [k.toString(PORTABLE) for k in window.registry["copy_link"].shortcuts()] == ["Ctrl+Shift+C"]
    assert window.registry["quit"].shortcut().toString(PORTABLE) == "Ctrl+Q"
    press(qtbot, window, "j")
    press(qtbot, window, "s")
    assert starred(window)
    assert SEED_ORDER[0] == window.detail.article.title  # type: ignore[union-attr]


def test_a_refused_key_in_the_file_leaves_the_default_key_and_the_status_bar_says_so(
    qtbot: QtBot, make_window: WindowFactory, docs_dir: Path, settings_dir: Path
) -> None:
    """A key an earlier Reader accepted (Home, one key for two actions) does not leave the
    action without a key: it keeps its default keys (not one another action chose), and the
    status bar says which keys of the settings file are not used."""
    write_keys(settings_dir, "view_all=Home\nview_unread=X\nnext_unread=X\nview_starred=Ctrl+1\n")
    window = make_window([docs_dir])
    keys = window.registry.keys
    assert keys["view_all"] == ()  # (its default, Ctrl+1, is the key chosen for view_starred)
    assert keys["view_starred"] == ("Ctrl+1",)
    assert keys["next_unread"] == ("X",)
    assert keys["view_unread"] == ("Ctrl+2",)
    message = window.statusBar().currentMessage()
    assert message == (  # (a letter as typed)
        f"Keys in the settings file not used: {native('Home')} for All Articles, x for Unread;"
        " All Articles and Unread keep their default keys"
    )
    press(qtbot, window, "2", CTRL)
    assert window.sidebar.current_key() == View(ViewKind.UNREAD)
    press(qtbot, window, "1", CTRL)
    assert window.sidebar.current_key() == View(ViewKind.STARRED)


def test_a_file_without_refused_keys_says_nothing_about_keys(make_window: WindowFactory, docs_dir: Path, settings_dir: Path) -> None:
    write_keys(settings_dir, "toggle_star=X\n")
    window = make_window([docs_dir])
    assert "Keys" not in window.statusBar().currentMessage()


# --------------------------------------------------------------------------- the settings file


def keymap() -> KeyMap:
    return KeyMap(Settings().store)


def test_only_changed_actions_are_stored_in_portable_text() -> None:
    keys = keymap()
    keys.set_keys("copy_link", ["ctrl+shift+c"])
    keys.set_keys("toggle_read", ["M"])  # its default: no entry
    keys.set_keys("zoom_in", ["Ctrl+="])  # one of its two defaults
    keys.clear("help")
    assert stored_keys() == {"copy_link": "Ctrl+Shift+C", "zoom_in": "Ctrl+=", "help": ""}
    again = keymap()
    assert again.keys("copy_link") == ("Ctrl+Shift+C",)
    assert again.keys("zoom_in") == ("Ctrl+=",)
    assert again.keys("help") == ()
    assert again.keys("toggle_read") == ("M",)


def test_a_hand_edited_file_is_read_as_written(settings_dir: Path) -> None:
    # Unquoted, QSettings reads "Ctrl+K, Ctrl+C" and "Ctrl+," as lists of strings.
    write_keys(settings_dir, "copy_link=Ctrl+K, Ctrl+C\nexport=Ctrl+,\npreferences=\"Ctrl+;\"\nfocus_search=\"ctrl+f; /\"\n")
    keys = keymap()
    assert keys.keys("copy_link") == ("Ctrl+K, Ctrl+C",)
    assert keys.keys("export") == ("Ctrl+,",)
    assert keys.keys("preferences") == ("Ctrl+;",)
    assert keys.keys("focus_search") == ("Ctrl+F", "/")


def test_a_stored_key_wins_over_another_actions_default(settings_dir: Path, caplog: pytest.LogCaptureFixture) -> None:
    # A hand-edited file (or a later default) must not bind one key to two actions.
    write_keys(settings_dir, "copy_link=S\nreload=Down\n")
    keys = keymap()
    assert keys.keys("copy_link") == ("S",)
    assert keys.keys("toggle_star") == ()
    assert keys.keys("reload") == ("F5",)  # Down is the lists' own: its default key
    assert "keys/reload: Down cannot be an action's key" in caplog.text
    owners: dict[str, str] = {}
    for name, bound in keys.all().items():
        for key in bound:
            assert key not in owners, f"{key} is bound to {owners.get(key)} and {name}"
            owners[key] = name


def test_the_dialog_names_a_key_change(qtbot: QtBot) -> None:
    dialog = PreferencesDialog(Settings(), [], list)
    qtbot.addWidget(dialog)
    dialog.keys_page.select("toggle_star")
    with qtbot.waitSignal(dialog.changed) as told:
        dialog.keys_page.clear_keys()
    assert told.args == ["keys"]
    assert QSettings(Settings().path(), QSettings.Format.IniFormat).value("keys/toggle_star") == ""


def test_every_control_of_the_keys_page_is_named_and_described(qtbot: QtBot, window: MainWindow) -> None:
    from .test_accessibility import unnamed

    page = open_keys(qtbot, window)
    assert unnamed(page.window()) == []
