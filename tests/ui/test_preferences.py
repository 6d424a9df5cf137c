"""Preferences (Ctrl+,), themes, zoom, and dropping folders on the window: each change is
applied at once and remembered."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QColor, QDragEnterEvent, QDropEvent, QImage, QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from reader.paths import bundled_seeds
from reader.ui import icons
from reader.ui.actions import ActionRegistry
from reader.ui.main_window import MainWindow
from reader.ui.preferences import PreferencesDialog, apply_look
from reader.ui.settings import NEVER, Settings, Theme
from reader.ui.theme import is_dark

from .helpers import SEED_TITLES, WindowFactory, news_doc, select_title, titles, wait_loaded
from .test_keyboard import press

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def restore_look(qapp: QApplication) -> Iterator[None]:
    """Themes change the whole application: put its style, palette and font back after."""
    style, palette, font = qapp.style().name(), QPalette(qapp.palette()), qapp.font()
    yield
    qapp.setStyle(style)
    qapp.setPalette(palette)
    qapp.setFont(font)
    icons.clear_cache()


def open_preferences(qtbot: QtBot, window: MainWindow) -> PreferencesDialog:
    press(qtbot, window, ",", CTRL)
    dialog = window.findChild(PreferencesDialog)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def is_read(window: MainWindow, title: str) -> bool:
    row = window.article_model.list_row(titles(window).index(title))
    assert row is not None
    return row.read


def brightness(icon_image: QImage) -> float:
    """The mean lightness of the opaque pixels of an icon."""
    values = [
        QColor(icon_image.pixel(x, y)).lightnessF()
        for x in range(icon_image.width())
        for y in range(icon_image.height())
        if QColor.fromRgba(icon_image.pixel(x, y)).alpha() > 200
    ]
    assert values
    return sum(values) / len(values)


# --------------------------------------------------------------------------- folders


def test_ctrl_comma_opens_preferences_with_the_open_folders(qtbot: QtBot, window: MainWindow, docs_dir: Path) -> None:
    dialog = open_preferences(qtbot, window)
    assert dialog.folders() == [str(docs_dir)]


def test_added_folders_are_shown_together_and_remembered(
    qtbot: QtBot, window: MainWindow, docs_dir: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / "extra.md").write_text(news_doc("An article from the other folder", url="https://o.example/1"))
    dialog = open_preferences(qtbot, window)
    dialog.ask_folder = lambda _parent, _start: str(other)
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert window.paths == [str(docs_dir), str(other)]
    wait_loaded(qtbot, window)
    assert "An article from the other folder" in titles(window)
    assert SEED_TITLES["bbc"] in titles(window)
    assert Settings().folders == [str(docs_dir), str(other)]

    dialog.folder_list.setCurrentRow(0)
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    assert window.paths == [str(other)]
    wait_loaded(qtbot, window)
    assert titles(window) == ["An article from the other folder"]
    assert Settings().folders == [str(other)]


def test_the_list_shows_the_folders_given_at_start_and_a_change_keeps_them_shown(
    qtbot: QtBot, make_window: WindowFactory, docs_dir: Path, tmp_path: Path
) -> None:
    saved, other = tmp_path / "saved", tmp_path / "other"
    for folder in (saved, other):
        folder.mkdir()
        (folder / "a.md").write_text(news_doc(f"An article from {folder.name}", url=f"https://o.example/{folder.name}"))
    settings = Settings()
    settings.folders = [saved]
    settings.sync()
    window = make_window([docs_dir])
    dialog = open_preferences(qtbot, window)
    assert dialog.folders() == window.paths == [str(docs_dir)]
    assert dialog.folders_note.isVisible() and str(saved) in dialog.folders_note.text()
    dialog.ask_folder = lambda _parent, _start: str(other)
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert window.paths == dialog.folders() == [str(docs_dir), str(other)]
    assert Settings().folders == [str(docs_dir), str(other)]
    assert not dialog.folders_note.isVisible()
    wait_loaded(qtbot, window)
    assert SEED_TITLES["bbc"] in titles(window) and "An article from other" in titles(window)


def test_the_seeds_shown_for_want_of_folders_are_listed_and_never_saved_unasked(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    seeds = str(bundled_seeds())
    other = tmp_path / "other"
    other.mkdir()
    (other / "a.md").write_text(news_doc("An article from the other folder", url="https://o.example/1"))
    window = make_window([])
    dialog = open_preferences(qtbot, window)
    assert dialog.folders() == window.paths == [seeds]
    assert "not saved" in dialog.folder_list.item(0).text()
    assert not dialog.remove_button.isEnabled()  # (the window shows them while no folder is chosen)
    dialog.ask_folder = lambda _parent, _start: str(other)
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert window.paths == dialog.folders() == [seeds, str(other)]  # nothing shown is dropped
    assert Settings().folders == [str(other)]  # nor are the seeds saved
    wait_loaded(qtbot, window)
    dialog.folder_list.setCurrentRow(0)
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    assert window.paths == dialog.folders() == [str(other)] and Settings().folders == [str(other)]
    wait_loaded(qtbot, window)
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    assert window.paths == dialog.folders() == [seeds] and Settings().folders == []
    wait_loaded(qtbot, window)
    dialog.ask_folder = lambda _parent, _start: seeds  # chosen by hand: saved
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert window.paths == dialog.folders() == [seeds] and Settings().folders == [seeds]
    assert "not saved" not in dialog.folder_list.item(0).text()


def test_remembered_folders_open_when_no_path_is_given(
    qtbot: QtBot, make_window: WindowFactory, docs_dir: Path
) -> None:
    settings = Settings()
    settings.folders = [docs_dir]
    settings.sync()
    window = make_window([])
    assert window.paths == [str(docs_dir)]
    assert SEED_TITLES["bbc"] in titles(window)


# --------------------------------------------------------------------------- marking read


def test_mark_read_never_leaves_articles_unread(qtbot: QtBot, window: MainWindow) -> None:
    dialog = open_preferences(qtbot, window)
    dialog.mark_read_box.setCurrentIndex(dialog.mark_read_box.findData(NEVER))
    assert Settings().mark_read_delay == NEVER
    select_title(window, SEED_TITLES["bbc"])
    qtbot.wait(50)  # (events delivered; nothing is waiting to mark it)
    assert not window.marks._mark_read_timer.isActive()
    assert not is_read(window, SEED_TITLES["bbc"])
    window.marks.toggle_read()  # m still marks it
    assert is_read(window, SEED_TITLES["bbc"])


def test_mark_read_after_a_delay(qtbot: QtBot, window: MainWindow) -> None:
    dialog = open_preferences(qtbot, window)
    dialog.mark_read_box.setCurrentIndex(dialog.mark_read_box.findData(1000))
    select_title(window, SEED_TITLES["bbc"])
    assert not is_read(window, SEED_TITLES["bbc"])  # (no event has been handled since)
    assert window.marks._mark_read_timer.isActive()
    qtbot.waitUntil(lambda: is_read(window, SEED_TITLES["bbc"]), timeout=10_000)
    assert window.detail.state_label.text() == "Read"


def test_never_chosen_while_the_delay_runs_leaves_the_article_shown_unread(qtbot: QtBot, window: MainWindow) -> None:
    dialog = open_preferences(qtbot, window)
    dialog.mark_read_box.setCurrentIndex(dialog.mark_read_box.findData(1000))
    select_title(window, SEED_TITLES["bbc"])
    assert window.marks._mark_read_timer.isActive()
    dialog.mark_read_box.setCurrentIndex(dialog.mark_read_box.findData(NEVER))
    assert not window.marks._mark_read_timer.isActive()
    qtbot.wait(1500)  # (longer than the delay chosen first)
    assert not is_read(window, SEED_TITLES["bbc"])


def test_a_delay_changed_while_it_runs_applies_to_the_article_shown(qtbot: QtBot, window: MainWindow) -> None:
    dialog = open_preferences(qtbot, window)
    dialog.mark_read_box.setCurrentIndex(dialog.mark_read_box.findData(5000))
    select_title(window, SEED_TITLES["bbc"])
    dialog.mark_read_box.setCurrentIndex(dialog.mark_read_box.findData(1000))
    timer = window.marks._mark_read_timer
    assert timer.isActive() and timer.interval() == 1000  # counted again from the change
    qtbot.waitUntil(lambda: is_read(window, SEED_TITLES["bbc"]), timeout=4000)
    select_title(window, SEED_TITLES["global"])
    assert timer.isActive()
    dialog.mark_read_box.setCurrentIndex(dialog.mark_read_box.findData(0))
    assert is_read(window, SEED_TITLES["global"])  # Immediately: at once
    assert not timer.isActive()


def test_preferences_that_cannot_be_saved_are_said_so_once(
    qtbot: QtBot, make_window: WindowFactory, docs_dir: Path, settings_dir: Path
) -> None:
    (settings_dir / "reader" / "Reader.ini").mkdir(parents=True)  # (a folder where the file goes)
    window = make_window([docs_dir])
    dialog = open_preferences(qtbot, window)
    assert dialog.unsaved_note.isHidden()
    dialog.mark_read_box.setCurrentIndex(dialog.mark_read_box.findData(NEVER))
    assert dialog.unsaved_note.isVisible() and "cannot be saved" in dialog.unsaved_note.text()
    assert "cannot be saved" in dialog.close_button.accessibleDescription()
    assert window.statusBar().currentMessage().startswith("Preferences cannot be saved")
    window.statusBar().clearMessage()
    dialog.images_box.setCurrentIndex(dialog.images_box.findData(False))
    assert window.statusBar().currentMessage() == ""  # (said once)
    assert window.mark_read_delay == NEVER  # (applied all the same)


def test_saved_preferences_say_nothing_more(qtbot: QtBot, window: MainWindow) -> None:
    dialog = open_preferences(qtbot, window)
    dialog.mark_read_box.setCurrentIndex(dialog.mark_read_box.findData(NEVER))
    assert dialog.unsaved_note.isHidden() and window.statusBar().currentMessage() == ""


def test_a_preference_changed_is_written_once(qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    """The settings file is written once per change (the preferences write it, the window
    reads whether it could), and what was changed is in it."""
    dialog = open_preferences(qtbot, window)
    syncs: list[None] = []
    sync = Settings.sync
    monkeypatch.setattr(Settings, "sync", lambda self: syncs.append(None) or sync(self))
    dialog.mark_read_box.setCurrentIndex(dialog.mark_read_box.findData(NEVER))
    assert len(syncs) == 1 and window.mark_read_delay == NEVER
    assert Settings().mark_read_delay == NEVER  # (read from the file)


def test_moving_on_before_the_delay_leaves_the_first_unread(qtbot: QtBot, window: MainWindow) -> None:
    window.mark_read_delay = 1000
    select_title(window, SEED_TITLES["bbc"])
    select_title(window, SEED_TITLES["global"])
    qtbot.waitUntil(lambda: is_read(window, SEED_TITLES["global"]), timeout=10_000)
    assert not is_read(window, SEED_TITLES["bbc"])


# --------------------------------------------------------------------------- remote images


def test_remote_images_off_fetches_nothing(qtbot: QtBot, window: MainWindow) -> None:
    requested: list[list[str]] = []
    window.images.fetch = lambda urls: requested.append(list(urls))  # type: ignore[method-assign]
    dialog = open_preferences(qtbot, window)
    dialog.images_box.setCurrentIndex(dialog.images_box.findData(False))
    assert Settings().remote_images is False
    assert not window.registry["load_images"].isEnabled()
    select_title(window, SEED_TITLES["bbc"])
    window.load_images()
    assert requested == []
    assert "off" in window.statusBar().currentMessage()
    dialog.images_box.setCurrentIndex(dialog.images_box.findData(True))
    window.article_list.setFocus()
    press(qtbot, window, "i")
    assert len(requested) == 1


def test_remote_off_the_pane_offers_no_fetching_and_the_keys_say_why(qtbot: QtBot, window: MainWindow) -> None:
    select_title(window, SEED_TITLES["tribune"])  # one image, and a web page on chicagotribune.com
    detail = window.detail
    assert "press i to load" in detail.plain_text() and "Load the full text from" in detail.plain_text()
    assert detail.fulltext_button.isEnabled()
    window.settings.remote_images = False
    window.apply_setting("remote_images")
    text = detail.plain_text()
    assert "press i to load" not in text and "Load the full text" not in text
    assert "remote images are off in Preferences" in text
    assert not detail.fulltext_button.isEnabled()
    assert not window.registry["load_images"].isEnabled() and not window.registry["load_fulltext"].isEnabled()
    window.article_list.setFocus()
    for key, said in (("i", "Remote images are off"), ("f", "Fetching from the web is off")):
        window.statusBar().clearMessage()
        press(qtbot, window, key)
        assert said in window.statusBar().currentMessage()
    select_title(window, SEED_TITLES["bbc"])  # (another article: the same)
    assert "Load the full text" not in detail.plain_text() and not detail.fulltext_button.isEnabled()
    window.settings.remote_images = True
    window.apply_setting("remote_images")
    assert "Load the full text from" in detail.plain_text() and detail.fulltext_button.isEnabled()


# --------------------------------------------------------------------------- theme and font


def test_dark_and_light_themes_apply_at_once(qtbot: QtBot, window: MainWindow, restore_look: None) -> None:
    dialog = open_preferences(qtbot, window)
    dialog.theme_box.setCurrentIndex(dialog.theme_box.findData("dark"))
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    assert app.style().name().lower() == "fusion"
    assert app.palette().color(QPalette.ColorRole.Window).lightnessF() < 0.3
    assert Settings().theme == Theme.DARK
    # Widgets hear of the new palette through posted events; then icons are drawn in light ink.
    qtbot.waitUntil(lambda: brightness(window.registry["reload"].icon().pixmap(32, 32).toImage()) > 0.6)
    qtbot.waitUntil(lambda: brightness(window.detail.copy_button.icon().pixmap(32, 32).toImage()) > 0.6)
    assert app.palette().color(QPalette.ColorRole.Link).name() in window.detail.browser.document().defaultStyleSheet()

    dialog.theme_box.setCurrentIndex(dialog.theme_box.findData("light"))
    assert app.palette().color(QPalette.ColorRole.Window).lightnessF() > 0.7
    qtbot.waitUntil(lambda: brightness(window.registry["reload"].icon().pixmap(32, 32).toImage()) < 0.4)
    assert app.palette().color(QPalette.ColorRole.Link).name() in window.detail.browser.document().defaultStyleSheet()


def test_following_the_system(qtbot: QtBot, window: MainWindow, restore_look: None) -> None:
    assert is_dark(Theme.SYSTEM, True) and not is_dark(Theme.SYSTEM, False)
    assert is_dark(Theme.DARK, False) and not is_dark(Theme.LIGHT, True)
    window.theme.apply(Theme.SYSTEM)
    window.theme._system_changed(Qt.ColorScheme.Dark)  # as when the desktop turns dark
    assert window.theme.dark
    window.theme._system_changed(Qt.ColorScheme.Light)
    assert window.theme.dark is False
    window.theme.apply(Theme.DARK)
    window.theme._system_changed(Qt.ColorScheme.Light)  # a chosen theme stays
    assert window.theme.dark


def test_font_size_applies_to_the_interface_and_the_article(
    qtbot: QtBot, window: MainWindow, restore_look: None
) -> None:
    select_title(window, SEED_TITLES["bbc"])
    dialog = open_preferences(qtbot, window)
    dialog.font_box.setValue(15)
    assert Settings().font_size == 15
    assert QApplication.font().pointSizeF() == 15
    qtbot.waitUntil(lambda: window.article_list.font().pointSizeF() == 15)  # (told by a posted event)
    qtbot.waitUntil(lambda: window.detail.browser.font().pointSizeF() == 16.5)
    dialog.font_box.setValue(dialog.font_box.minimum())  # "System default"
    assert Settings().font_size == 0


def test_the_look_is_applied_from_the_settings(make_window: WindowFactory, docs_dir: Path, restore_look: None) -> None:
    settings = Settings()
    settings.theme = Theme.DARK
    settings.font_size = 13
    window = make_window([docs_dir])
    apply_look(window)
    assert QApplication.palette().color(QPalette.ColorRole.Base).lightnessF() < 0.3
    assert QApplication.font().pointSizeF() == 13


# --------------------------------------------------------------------------- zoom


def test_zoom_keys_change_the_article_text_and_are_remembered(qtbot: QtBot, window: MainWindow) -> None:
    select_title(window, SEED_TITLES["bbc"])
    size = window.detail.browser.font().pointSizeF()
    press(qtbot, window, "=", CTRL)
    press(qtbot, window, "=", CTRL)
    assert window.detail.zoom == 2
    assert window.detail.browser.font().pointSizeF() == size + 2
    assert Settings().zoom == 2
    press(qtbot, window, "-", CTRL)
    assert window.detail.browser.font().pointSizeF() == size + 1
    press(qtbot, window, "0", CTRL)
    assert window.detail.zoom == 0
    assert window.detail.browser.font().pointSizeF() == size
    assert Settings().zoom == 0
    assert window.detail.article is not None and window.detail.article.title == SEED_TITLES["bbc"]


def test_article_lines_stay_readable_on_a_wide_pane(window: MainWindow) -> None:
    select_title(window, SEED_TITLES["bbc"])
    window.resize(1600, 700)
    window.splitter.setSizes([200, 300, 1100])
    QApplication.processEvents()
    browser = window.detail.browser
    frame = browser.document().rootFrame().frameFormat()
    text_width = browser.viewport().width() - frame.leftMargin() - frame.rightMargin()
    average = browser.fontMetrics().averageCharWidth()
    assert 60 * average < text_width < 90 * average


# --------------------------------------------------------------------------- drag and drop


@pytest.mark.parametrize("target", ["window", "article", "search"])
def test_dropping_a_folder_opens_it(qtbot: QtBot, window: MainWindow, tmp_path: Path, target: str) -> None:
    dropped = tmp_path / "dropped"
    dropped.mkdir()
    (dropped / "one.md").write_text(news_doc("A dropped article", url="https://d.example/1"))
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(dropped))])
    mime.setText(str(dropped))  # (file managers offer the path as text too)
    widget = {"window": window, "article": window.detail.browser.viewport(), "search": window.search_bar.field}[target]
    enter = QDragEnterEvent(QPoint(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPoint(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, drop)
    assert window.paths == [str(dropped)]
    assert window.search_bar.field.text() == ""
    wait_loaded(qtbot, window)
    assert titles(window) == ["A dropped article"]


def test_dragging_web_links_is_refused(window: MainWindow) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl("https://example.com/page")])
    enter = QDragEnterEvent(QPoint(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    enter.ignore()
    QApplication.sendEvent(window, enter)
    assert not enter.isAccepted()


def test_a_palette_change_before_the_actions_are_built_is_harmless(
    qtbot: QtBot, make_window: WindowFactory, docs_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A palette may change while the window is being built (a theme applied, the system's
    # scheme switching): there are no action icons to draw again yet. (The window's own
    # ``actions()`` method must not be taken for the registry.)
    build = MainWindow._build

    def build_after_a_palette_change(self: MainWindow) -> None:
        QApplication.sendEvent(self, QEvent(QEvent.Type.PaletteChange))
        build(self)

    monkeypatch.setattr(MainWindow, "_build", build_after_a_palette_change)
    window = make_window([docs_dir], wait=False)
    assert isinstance(window.registry, ActionRegistry)
    QApplication.sendEvent(window, QEvent(QEvent.Type.PaletteChange))  # and after: icons drawn again
    assert not window.registry["reload"].icon().isNull()


def test_at_the_largest_font_the_dialog_fits_the_screen_and_scrolls(
    qtbot: QtBot, window: MainWindow, restore_look: None
) -> None:
    dialog = open_preferences(qtbot, window)
    dialog.font_box.setValue(24)
    qtbot.waitUntil(lambda: dialog.font().pointSize() == 24)
    screen = dialog.screen().availableGeometry()
    qtbot.waitUntil(lambda: dialog.height() <= screen.height())
    assert dialog.width() <= screen.width()
    scroll = dialog.general_scroll.verticalScrollBar()
    # (taller than the room: it scrolls, once the scroll area has laid out its grown page,
    # which it does on a posted layout request, not at once)
    qtbot.waitUntil(lambda: scroll.maximum() > 0)
    dialog.general_scroll.ensureWidgetVisible(dialog.font_box)
    assert scroll.value() > 0 and dialog.font_box.visibleRegion().boundingRect().height() == dialog.font_box.height()


def test_the_dialog_saves_a_change_and_names_it(qtbot: QtBot, tmp_path: Path) -> None:
    # The dialog knows the settings only: whoever opened it applies what it names.
    settings = Settings()
    dialog = PreferencesDialog(settings, [str(tmp_path)], lambda: ["/fallback"])
    qtbot.addWidget(dialog)
    assert dialog.folders() == [str(tmp_path)]
    with qtbot.waitSignal(dialog.changed) as told:
        dialog.mark_read_box.setCurrentIndex(dialog.mark_read_box.findData(NEVER))
    assert told.args == ["mark_read_delay"] and Settings().mark_read_delay == NEVER
    with qtbot.waitSignal(dialog.changed) as told:
        dialog.images_box.setCurrentIndex(1)
    assert told.args == ["remote_images"] and Settings().remote_images is False
    dialog.folder_list.setCurrentRow(0)
    with qtbot.waitSignal(dialog.folders_changed) as shown:
        dialog.remove_folder()
    assert shown.args == [["/fallback"]] and Settings().folders == []
