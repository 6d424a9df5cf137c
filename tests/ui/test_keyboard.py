"""Every key of the README's keyboard table, pressed on the focused widget, with its effect."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QFileDialog, QWidget
from pytestqt.qtbot import QtBot

from reader.library import View, ViewKind
from reader.ui.actions import ACTIONS, native_text
from reader.ui.help import ShortcutHelp
from reader.ui.main_window import MainWindow
from reader.ui.sidebar import PROBLEMS

from .helpers import (
    SEED_ORDER,
    SEED_TITLES,
    WindowFactory,
    current_title,
    news_doc,
    select_title,
    settle,
    sidebar_counts,
    sidebar_current_label,
    titles,
    wait_loaded,
)

README = Path(__file__).resolve().parents[2] / "README.md"

Key = Qt.Key | str
NO_MODIFIER = Qt.KeyboardModifier.NoModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
CTRL = Qt.KeyboardModifier.ControlModifier

TRACKED_URL = "https://tracked.example/news/story?id=7&utm_source=feed&utm_medium=rss&fbclid=abc"
CLEAN_URL = "https://tracked.example/news/story?id=7"
TRACKED_TITLE = "A story with tracking parameters"


def focused(window: MainWindow) -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None and widget.window() is window
    return widget


def press(qtbot: QtBot, window: MainWindow, key: Key, modifier: Qt.KeyboardModifier = NO_MODIFIER) -> None:
    """A key press and release on the widget that has the keyboard, as a user types it."""
    assert window.isActiveWindow()
    qtbot.keyClick(focused(window), key, modifier)


def is_read(window: MainWindow, title: str) -> bool:
    row = window.article_model.list_row(titles(window).index(title))
    assert row is not None
    return row.read


@pytest.fixture
def tracked_window(make_window: WindowFactory, docs_dir: Path) -> MainWindow:
    """The seeds and, first in the list, a document whose link carries tracking parameters."""
    (docs_dir / "tracked.md").write_text(
        news_doc(TRACKED_TITLE, url=TRACKED_URL, published="2021-06-01T08:00:00Z"), encoding="utf-8"
    )
    return make_window([docs_dir])


# --------------------------------------------------------------------------- moving


def test_focus_starts_on_the_list(window: MainWindow) -> None:
    assert focused(window) is window.article_list


def test_j_and_k_move_the_selection_and_mark_read(qtbot: QtBot, window: MainWindow) -> None:
    press(qtbot, window, "j")
    assert current_title(window) == SEED_ORDER[0]
    press(qtbot, window, "j")
    press(qtbot, window, "j")
    assert current_title(window) == SEED_ORDER[2]
    press(qtbot, window, "k")
    assert current_title(window) == SEED_ORDER[1]
    assert window.detail.article is not None and window.detail.article.title == SEED_ORDER[1]
    assert [is_read(window, t) for t in SEED_ORDER] == [True, True, True, False, False]
    assert sidebar_counts(window)["Unread"] == "2"
    for _ in range(10):
        press(qtbot, window, "j")
    assert current_title(window) == SEED_ORDER[-1]  # stops at the end


def test_down_and_up_move_the_selection(qtbot: QtBot, window: MainWindow) -> None:
    press(qtbot, window, "j")
    press(qtbot, window, Qt.Key.Key_Down)
    assert current_title(window) == SEED_ORDER[1]
    assert is_read(window, SEED_ORDER[1])
    press(qtbot, window, Qt.Key.Key_Up)
    assert current_title(window) == SEED_ORDER[0]


def test_n_and_p_go_to_unread_articles(qtbot: QtBot, window: MainWindow) -> None:
    select_title(window, SEED_ORDER[1])
    select_title(window, SEED_ORDER[0])
    press(qtbot, window, "n")  # skips SEED_ORDER[1], already read
    assert current_title(window) == SEED_ORDER[2]
    press(qtbot, window, "n")
    assert current_title(window) == SEED_ORDER[3]
    press(qtbot, window, "p")  # everything before is read now
    assert current_title(window) == SEED_ORDER[3]
    assert window.statusBar().currentMessage() == "No more unread articles in this view"
    press(qtbot, window, "n")
    assert current_title(window) == SEED_ORDER[4]
    press(qtbot, window, "n")
    assert current_title(window) == SEED_ORDER[4]
    assert sidebar_counts(window)["Unread"] == "0"


def test_space_pages_the_article_then_goes_to_the_next_unread(qtbot: QtBot, window: MainWindow) -> None:
    select_title(window, SEED_TITLES["swedish"])  # long enough to scroll
    bar = window.detail.browser.verticalScrollBar()
    assert bar.maximum() > 0 and bar.value() == 0
    press(qtbot, window, Qt.Key.Key_Space)
    assert bar.value() > 0
    assert current_title(window) == SEED_TITLES["swedish"]
    press(qtbot, window, Qt.Key.Key_Space, SHIFT)
    assert bar.value() == 0
    for _ in range(50):
        if current_title(window) != SEED_TITLES["swedish"]:
            break
        before = bar.value()
        press(qtbot, window, Qt.Key.Key_Space)
        assert bar.value() > before or current_title(window) != SEED_TITLES["swedish"]
    assert current_title(window) == SEED_TITLES["plain"]  # the next unread
    assert bar.value() == 0


# --------------------------------------------------------------------------- the article


def test_m_toggles_read(qtbot: QtBot, window: MainWindow) -> None:
    press(qtbot, window, "j")
    assert is_read(window, SEED_ORDER[0])
    assert sidebar_counts(window)["Unread"] == "4"
    press(qtbot, window, "m")
    assert not is_read(window, SEED_ORDER[0])
    assert window.detail.state_label.text() == "Unread"
    assert sidebar_counts(window)["Unread"] == "5"
    assert sidebar_counts(window)["Chicago Tribune"] == "1 / 1"
    press(qtbot, window, "m")
    assert is_read(window, SEED_ORDER[0])
    assert window.detail.state_label.text() == "Read"
    assert sidebar_counts(window)["Unread"] == "4"


def test_s_toggles_star(qtbot: QtBot, window: MainWindow) -> None:
    press(qtbot, window, "j")
    press(qtbot, window, "s")
    assert window.detail.star_button.isChecked()  # at once; written on the query thread
    settle(qtbot, window)
    assert window.library.is_starred(window.detail.article.id)  # type: ignore[union-attr]
    assert window.article_model.list_row(0).starred  # type: ignore[union-attr]
    assert sidebar_counts(window)["Starred"] == "0 / 1"
    window.sidebar.select(View(ViewKind.STARRED))
    settle(qtbot, window)
    assert titles(window) == [SEED_ORDER[0]]
    window.sidebar.select(View(ViewKind.ALL))
    settle(qtbot, window)
    assert titles(window) == SEED_ORDER
    assert current_title(window) == SEED_ORDER[0]  # still current, and still shown
    assert window.detail.star_button.isChecked()
    press(qtbot, window, "s")
    assert not window.detail.star_button.isChecked()
    assert sidebar_counts(window)["Starred"] == "0 / 0"


def test_o_opens_the_clean_link(qtbot: QtBot, tracked_window: MainWindow) -> None:
    window = tracked_window
    press(qtbot, window, "j")
    assert current_title(window) == TRACKED_TITLE
    press(qtbot, window, "o")
    assert window.open_url.urls == [CLEAN_URL]  # type: ignore[attr-defined]


def test_enter_opens_the_clean_link(qtbot: QtBot, tracked_window: MainWindow) -> None:
    window = tracked_window
    press(qtbot, window, "j")
    press(qtbot, window, Qt.Key.Key_Return)
    press(qtbot, window, Qt.Key.Key_Enter)
    assert window.open_url.urls == [CLEAN_URL, CLEAN_URL]  # type: ignore[attr-defined]


def test_o_without_a_link_opens_nothing(qtbot: QtBot, window: MainWindow, opened: list[str]) -> None:
    press(qtbot, window, "o")  # nothing selected
    select_title(window, SEED_TITLES["plain"])
    press(qtbot, window, "o")
    assert opened == []
    assert window.statusBar().currentMessage() == "This article has no link"


def test_c_copies_the_clean_link(qtbot: QtBot, tracked_window: MainWindow) -> None:
    window = tracked_window
    QGuiApplication.clipboard().setText("before")
    press(qtbot, window, "j")
    press(qtbot, window, "c")
    assert QGuiApplication.clipboard().text() == CLEAN_URL
    select_title(window, SEED_TITLES["plain"])
    press(qtbot, window, "c")
    assert QGuiApplication.clipboard().text() == CLEAN_URL  # nothing to copy: unchanged
    assert window.open_url.urls == []  # type: ignore[attr-defined]


def test_shift_a_marks_the_view_read_and_ctrl_z_undoes(qtbot: QtBot, window: MainWindow) -> None:
    press(qtbot, window, "j")  # one read before
    window.sidebar.select(View(ViewKind.TOPIC, "AI"))
    settle(qtbot, window)
    press(qtbot, window, "A", SHIFT)
    settle(qtbot, window)
    counts = sidebar_counts(window)
    assert counts["AI"] == "0 / 3"
    assert counts["Unread"] == "2"  # the two plain-text seeds have no topic
    assert all(is_read(window, t) for t in titles(window))
    press(qtbot, window, "z", CTRL)
    settle(qtbot, window)
    counts = sidebar_counts(window)
    assert counts["AI"] == "2 / 3"
    assert counts["Unread"] == "4"
    assert is_read(window, SEED_ORDER[0])  # read before Shift+A, so still read
    assert not is_read(window, SEED_ORDER[1])
    press(qtbot, window, "z", CTRL)
    assert window.statusBar().currentMessage() == "Nothing to undo"


# --------------------------------------------------------------------------- search and focus


@pytest.mark.parametrize("key, modifier", [("/", NO_MODIFIER), ("f", CTRL)], ids=["slash", "ctrl-f"])
def test_slash_and_ctrl_f_focus_search_and_esc_returns(
    qtbot: QtBot, window: MainWindow, key: str, modifier: Qt.KeyboardModifier
) -> None:
    press(qtbot, window, key, modifier)
    assert focused(window) is window.search_bar.field
    qtbot.keyClicks(window.search_bar.field, "tribune")
    qtbot.waitUntil(lambda: titles(window) == [SEED_TITLES["tribune"]])
    press(qtbot, window, Qt.Key.Key_Escape)
    assert window.search_bar.field.text() == ""
    assert focused(window) is window.article_list
    settle(qtbot, window)
    assert titles(window) == SEED_ORDER


def test_letters_typed_in_the_search_field_do_not_fire_actions(qtbot: QtBot, window: MainWindow) -> None:
    press(qtbot, window, "j")
    press(qtbot, window, "/")
    field = window.search_bar.field
    for letter in "jkmnpsoc":
        press(qtbot, window, letter)
    press(qtbot, window, "A", SHIFT)
    press(qtbot, window, "?")
    press(qtbot, window, "[")
    press(qtbot, window, "]")
    press(qtbot, window, Qt.Key.Key_Space)
    assert field.text() == "jkmnpsocA?[] "
    assert focused(window) is field
    assert window.open_url.urls == []  # type: ignore[attr-defined]
    assert window.findChild(ShortcutHelp) is None
    assert window.sidebar.current_key() == View(ViewKind.ALL)
    assert window.detail.article is not None and window.detail.article.title == SEED_ORDER[0]
    assert not window.library.is_starred(window.detail.article.id)
    assert sidebar_counts(window)["Unread"] == "4"
    press(qtbot, window, Qt.Key.Key_Left)  # moves the cursor, not the focus
    assert focused(window) is field
    assert field.cursorPosition() == len(field.text()) - 1


def test_right_and_left_move_focus_between_panes(qtbot: QtBot, window: MainWindow) -> None:
    press(qtbot, window, "j")
    press(qtbot, window, Qt.Key.Key_Right)
    assert focused(window) is window.detail.browser
    press(qtbot, window, Qt.Key.Key_Right)
    assert focused(window) is window.detail.browser
    press(qtbot, window, Qt.Key.Key_Left)
    assert focused(window) is window.article_list
    press(qtbot, window, Qt.Key.Key_Left)
    assert focused(window) is window.sidebar
    press(qtbot, window, Qt.Key.Key_Left)
    assert focused(window) is window.sidebar
    press(qtbot, window, Qt.Key.Key_Right)
    assert focused(window) is window.article_list
    assert current_title(window) == SEED_ORDER[0]  # Left and Right did not move the selection


def test_tab_and_shift_tab_move_focus_between_panes(qtbot: QtBot, make_window: WindowFactory, tmp_path: Path, seeds_dir: Path) -> None:
    # An article without links: in one with links, Tab first steps through its links (the
    # plain-text seed alone: with the others it shows its story's coverage, which has links).
    (tmp_path / "alone").mkdir()
    shutil.copy(seeds_dir / "002_9f8ef219818b8861.txt", tmp_path / "alone")
    window = make_window([tmp_path / "alone"])
    select_title(window, SEED_TITLES["plain"])
    window.sidebar.setFocus()
    press(qtbot, window, Qt.Key.Key_Tab)
    assert focused(window) is window.article_list
    press(qtbot, window, Qt.Key.Key_Tab)
    assert focused(window) is window.detail.browser
    press(qtbot, window, Qt.Key.Key_Backtab, SHIFT)
    assert focused(window) is window.article_list
    press(qtbot, window, Qt.Key.Key_Backtab, SHIFT)
    assert focused(window) is window.sidebar


def test_brackets_step_through_the_sidebar(qtbot: QtBot, window: MainWindow) -> None:
    press(qtbot, window, "]")
    assert sidebar_current_label(window) == "Unread"
    assert window.sidebar.current_key() == View(ViewKind.UNREAD)
    press(qtbot, window, "]")
    assert sidebar_current_label(window) == "Starred"
    settle(qtbot, window)
    assert titles(window) == []
    press(qtbot, window, "]")
    press(qtbot, window, "]")
    assert sidebar_current_label(window) == "Top Stories"
    settle(qtbot, window)
    assert len(titles(window)) == 1  # the seeds are one story
    press(qtbot, window, "]")
    assert sidebar_current_label(window) == "Trends"
    assert window.stack.currentWidget() is window.trends_view
    press(qtbot, window, "]")
    assert sidebar_current_label(window) == "Problems"
    assert window.stack.currentWidget() is window.problems_list
    press(qtbot, window, "]")
    assert sidebar_current_label(window) == "AI"  # section headers are skipped
    settle(qtbot, window)
    assert len(titles(window)) == 3
    press(qtbot, window, "[")
    assert window.sidebar.current_key() == PROBLEMS
    for _ in range(10):
        press(qtbot, window, "[")
    assert sidebar_current_label(window) == "All Articles"
    settle(qtbot, window)
    assert titles(window) == SEED_ORDER


def test_ctrl_digits_choose_the_smart_views(qtbot: QtBot, window: MainWindow) -> None:
    press(qtbot, window, "j")
    press(qtbot, window, "2", CTRL)
    assert window.sidebar.current_key() == View(ViewKind.UNREAD)
    assert sidebar_current_label(window) == "Unread"
    settle(qtbot, window)
    assert titles(window) == SEED_ORDER[1:]
    press(qtbot, window, "3", CTRL)
    assert sidebar_current_label(window) == "Starred"
    settle(qtbot, window)
    assert titles(window) == []
    press(qtbot, window, "4", CTRL)
    assert sidebar_current_label(window) == "Today"
    settle(qtbot, window)
    assert titles(window) == []  # the seeds are from 2020
    press(qtbot, window, "1", CTRL)
    assert sidebar_current_label(window) == "All Articles"
    settle(qtbot, window)
    assert titles(window) == SEED_ORDER


# --------------------------------------------------------------------------- files and the window


def test_f5_reloads_changed_documents(qtbot: QtBot, window: MainWindow, docs_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    window.watcher.stop()
    monkeypatch.setattr(window.watcher, "watch", lambda paths: None)  # only F5 may reload here
    (docs_dir / "new.md").write_text(news_doc("Written after the start", published="2021-01-01T00:00:00Z"), encoding="utf-8")
    with qtbot.waitSignal(window.loader.finished, timeout=10_000):
        press(qtbot, window, Qt.Key.Key_F5)
    wait_loaded(qtbot, window)
    assert titles(window)[0] == "Written after the start"
    assert window.status_label.text() == "6 articles · 0 problems"


def test_ctrl_o_opens_another_folder(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / "only.md").write_text(news_doc("The only article over there"), encoding="utf-8")
    asked: list[str] = []

    def choose(parent: QWidget, caption: str, directory: str = "") -> str:
        asked.append(directory)
        return str(other)

    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(choose))
    with qtbot.waitSignal(window.loader.finished, timeout=10_000):
        press(qtbot, window, "o", CTRL)
    wait_loaded(qtbot, window)
    assert asked and Path(asked[0]).name == "docs"
    assert window.windowTitle() == "other — Reader"
    assert titles(window) == ["The only article over there"]
    assert window.status_label.text() == "1 article · 0 problems"


def test_ctrl_o_cancelled_changes_nothing(qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *args, **kwargs: ""))
    press(qtbot, window, "o", CTRL)
    assert window.windowTitle() == "docs — Reader"
    assert titles(window) == SEED_ORDER


def help_dialog(window: MainWindow) -> ShortcutHelp:
    dialogs = [d for d in window.findChildren(ShortcutHelp) if d.isVisible()]
    assert len(dialogs) == 1
    return dialogs[0]


def test_question_mark_shows_every_shortcut(qtbot: QtBot, window: MainWindow) -> None:
    press(qtbot, window, "?")
    dialog = help_dialog(window)
    table = dialog.table
    rows = [tuple(table.item(r, c).text() for c in range(3)) for r in range(table.rowCount())]
    with_keys = [spec for spec in ACTIONS if spec.shortcuts or spec.also]
    assert len(rows) == len(with_keys)
    for (keys, text, menu), spec in zip(rows, with_keys, strict=True):
        assert text.startswith(spec.text.replace("&", "").replace("…", ""))
        assert menu == spec.menu
        assert keys, spec.name
    shown_keys = {key.lower() for keys, _, _ in rows for key in keys.split(" / ")}
    for key in readme_keys():
        assert key.lower() in shown_keys, f"{key} from the README is missing from the help"
    dialog.reject()
    qtbot.waitUntil(lambda: not window.findChildren(ShortcutHelp) or not dialog.isVisible())


def test_ctrl_q_quits(qtbot: QtBot, window: MainWindow) -> None:
    from PySide6.QtCore import QThread

    thread = window.loader.findChild(QThread)
    assert thread is not None and thread.isRunning()
    press(qtbot, window, "q", CTRL)
    assert not window.isVisible()
    assert thread.isFinished()


# --------------------------------------------------------------------------- the table itself


def readme_keys() -> list[str]:
    """The keys of the README's keyboard table, one by one ("Ctrl+1 … Ctrl+4" expanded)."""
    text = README.read_text(encoding="utf-8")
    section = text.split("### Keyboard", 1)[1].split("\n\n", 2)[2]
    keys: list[str] = []
    for line in section.splitlines():
        if not line.startswith("| ") or line.startswith(("| key", "|---")):
            if keys:
                break
            continue
        cell = line.split("|")[1].strip().replace("`", "")
        if "…" in cell:
            first, last = (part.strip() for part in cell.split("…"))
            prefix, start = first.rsplit("+", 1)
            keys += [f"{prefix}+{n}" for n in range(int(start), int(last.rsplit("+", 1)[1]) + 1)]
            continue
        keys += [k.strip() for k in re.split(r" / |, ", cell) if k.strip()]
    return keys


def test_readme_table_is_read_completely() -> None:
    assert readme_keys() == [
        "j", "Down", "k", "Up", "n", "p", "Space", "Shift+Space", "m", "s", "o", "Enter", "c", "i", "f", "Shift+A", "Ctrl+Z",
        "/", "Ctrl+F", "Left", "Right", "Shift+Tab", "Tab", "[", "]",
        "g", "t", "Shift+T", "Ctrl+1", "Ctrl+2", "Ctrl+3", "Ctrl+4", "Ctrl+5", "F5", "Ctrl+O", "Ctrl+Shift+S", "Ctrl+E", "Ctrl+,", "Ctrl+=",
        "Ctrl++", "Ctrl+-", "Ctrl+0", "Ctrl+Shift+Right", "Ctrl+Shift+Left", "?", "Ctrl+Q",
        "l", "Ctrl+S", "F2", "Shift+F2", "Alt+Shift+Up", "Alt+Shift+Down", "Ctrl+Shift+R", "Del",
    ]  # fmt: skip


def test_every_shortcut_of_the_registry_is_in_the_readme() -> None:
    documented = {key.lower() for key in readme_keys()}
    missing = [f"{spec.name}: {key}" for spec in ACTIONS for key in (*spec.shortcuts, *spec.also)
               if native_text(key).lower() not in documented and key.lower() not in documented]
    assert missing == []


def test_focusing_the_list_opens_and_marks_nothing(qtbot: QtBot, window: MainWindow) -> None:
    """Tab into the list makes an item current (Qt's default) but opens nothing: no article
    is marked read until one is chosen with a key or a click."""
    window.sidebar.setFocus()
    press(qtbot, window, Qt.Key.Key_Tab)
    assert focused(window) is window.article_list
    assert window.detail.article is None
    assert not any(is_read(window, title) for title in titles(window))
    press(qtbot, window, "j")
    assert current_title(window) == titles(window)[0]
    assert is_read(window, titles(window)[0])


def test_i_asks_for_the_images_of_the_current_article(qtbot: QtBot, window: MainWindow) -> None:
    select_title(window, SEED_TITLES["bbc"])  # one image, on a host that is not contacted here
    requested: list[list[str]] = []
    window.images.fetch = lambda urls: requested.append(list(urls))  # type: ignore[method-assign]
    window.article_list.setFocus()
    press(qtbot, window, "i")
    assert requested == [["https://ichef.bbci.co.uk/news/1024/cpsprodpb/12995/production/_110618167_gettyimages-1160977168.jpg"]]
    assert "loading" in window.detail.plain_text()
    select_title(window, SEED_TITLES["plain"])
    press(qtbot, window, "i")
    assert len(requested) == 1
    assert "no images" in window.statusBar().currentMessage()


def test_shift_t_gives_the_keyboard_to_the_story_timeline(qtbot: QtBot, window: MainWindow) -> None:
    select_title(window, SEED_TITLES["tribune"])
    timeline = window.story_timeline.timeline
    qtbot.waitUntil(lambda: timeline.isVisible() and bool(timeline.marks))
    window.article_list.setFocus()
    press(qtbot, window, "T", SHIFT)
    qtbot.waitUntil(timeline.hasFocus)
    press(qtbot, window, Qt.Key.Key_Home)  # (the timeline's own keys now)
    assert window.detail.browser.textCursor().selectedText() == timeline.marks[0].version.title
    select_title(window, SEED_TITLES["bbc"])  # a story of its own: no timeline
    qtbot.waitUntil(lambda: not timeline.isVisible())
    window.article_list.setFocus()
    press(qtbot, window, "T", SHIFT)
    assert window.statusBar().currentMessage() == "This article's story has no versions in time to show"


def test_down_from_the_search_field_then_down_opens_the_first_result(qtbot: QtBot, window: MainWindow) -> None:
    """Down leaves the search field for the list (its first row focused, nothing opened);
    the next Down opens the first result, as j does, rather than skipping it."""
    press(qtbot, window, "/")
    qtbot.keyClicks(window.search_bar.field, "harvesting")  # (three of the seeds)
    qtbot.waitUntil(lambda: len(titles(window)) < len(SEED_ORDER))
    settle(qtbot, window)
    results = titles(window)
    assert len(results) >= 2
    press(qtbot, window, Qt.Key.Key_Down)
    assert focused(window) is window.article_list
    assert window.detail.article is None
    press(qtbot, window, Qt.Key.Key_Down)
    assert current_title(window) == results[0]
    assert window.detail.article is not None and window.detail.article.title == results[0]
    press(qtbot, window, Qt.Key.Key_Down)
    assert current_title(window) == results[1]
