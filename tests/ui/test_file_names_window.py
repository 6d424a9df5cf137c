"""The window on documents whose file names are not UTF-8 (a Latin-1 ``café.md``): read and
listed like any other, a broken one shown in Problems under a printable name, and the folder
watcher passing such a name on whole. (Made in tmp_path; skipped where the file system
refuses such names.)"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from reader.ui import watcher as watcher_module
from reader.article import Article
from reader.documents import parse_path
from reader.library import View, ViewKind
from reader.ui.detail_pane import render_article, render_problem
from reader.ui.preferences import show_preferences
from reader.ui.settings import Settings
from reader.ui.sidebar import PROBLEMS

from .helpers import BROKEN_DOC, BROKEN_REASON, WindowFactory, news_doc, settle, titles, wait_loaded


def put(folder: Path, name: bytes, text: str) -> str:
    path = os.path.join(os.fsencode(folder), name)
    try:
        with open(path, "wb") as handle:
            handle.write(text.encode("utf-8"))
    except OSError as error:
        pytest.skip(f"this file system refuses a name that is not UTF-8: {error}")
    return os.fsdecode(path)


def test_the_window_reads_such_files_and_shows_a_broken_one_in_problems(
    qtbot: QtBot, make_window: WindowFactory, docs_dir: Path
) -> None:
    good = put(docs_dir, b"caf\xe9.md", news_doc("Latin-1 named", url="https://news.example/latin"))
    broken = put(docs_dir, b"br\xfbl\xe9.md", BROKEN_DOC)
    window = make_window([docs_dir])
    settle(qtbot, window)
    assert window.status_label.text() == "6 articles · 1 problem"  # (the five seeds, café.md; brûlé.md)
    assert window.sidebar.select(PROBLEMS)
    settle(qtbot, window)
    model = window.problems_list.problems_model
    assert [p.path for p in model.problems] == [broken]
    assert model.data(model.index(0, 0)).startswith(BROKEN_REASON)
    assert model.data(model.index(0, 1)) == "br\ufffdl\ufffd.md"  # (as Qt can show it: nothing dropped)
    assert model.data(model.index(0, 1), Qt.ItemDataRole.ToolTipRole).endswith("/br\ufffdl\ufffd.md")
    assert "br\ufffdl\ufffd.md" in render_problem(model.problems[0])
    window.problems_list.setFocus()
    qtbot.keyClick(window.problems_list, "j")
    assert window.detail.problem is not None and window.detail.problem.path == broken
    article = parse_path(good)
    assert isinstance(article, Article)
    assert "File: " + str(docs_dir) + "/caf\ufffd.md" in render_article(article, paths=[good])
    window.settings.problem = broken
    assert window.settings.problem == broken  # (remembered whole, to be open again next time)


def test_the_watcher_passes_a_name_that_is_not_utf8_on_whole(qtbot: QtBot) -> None:
    """Qt's own list type would drop the byte (``caf.md``): the sync would then look for a
    file that is not there, and the change would go unread."""
    name = os.fsdecode(b"/n/caf\xe9.md")
    watcher = watcher_module.FolderWatcher()
    with qtbot.waitSignal(watcher.changed, timeout=5000) as blocker:
        watcher._note([name])
    assert blocker.args == [[name]]


def test_a_folder_whose_name_is_not_utf8_survives_preferences_and_the_title(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    """A folder named in Latin-1 opened from the command line: the window's title shows it
    printable, and adding a second folder in Preferences opens and remembers the first one
    whole (Qt's list and text would drop its byte: ``Archiv`` for ``Archiv\\xe9``)."""
    folder = os.fsdecode(os.path.join(os.fsencode(tmp_path), b"Archiv\xe9"))
    try:
        os.mkdir(folder)
    except OSError as error:
        pytest.skip(f"this file system refuses a name that is not UTF-8: {error}")
    put(Path(folder), b"one.md", news_doc("From the Latin-1 folder", url="https://news.example/archiv"))
    other = tmp_path / "other"
    other.mkdir()
    (other / "two.md").write_text(news_doc("From the other folder", url="https://news.example/other"), encoding="utf-8")
    window = make_window([Path(folder)])
    settle(qtbot, window)
    assert window.windowTitle() == "Archiv\ufffd — Reader"
    dialog = show_preferences(window)
    assert dialog.folders() == [folder]
    assert dialog.folder_list.item(0).text() == os.path.join(str(tmp_path), "Archiv\ufffd")
    dialog.ask_folder = lambda _parent, _start: str(other)
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert window.paths == [folder, str(other)]
    assert Settings().folders == [folder, str(other)]
    wait_loaded(qtbot, window)
    assert sorted(titles(window)) == ["From the Latin-1 folder", "From the other folder"]


def test_a_feed_view_under_a_data_folder_not_utf8_is_remembered_whole(qtbot: QtBot) -> None:
    """The view open at quit is a feed's copy, a path under the data folder, whose name may be
    Latin-1 too: it comes back whole (Qt's text would drop the byte)."""
    copy = os.fsdecode(b"/home/u/Daten\xe9/feeds/0a1b2c.xml")
    settings = Settings()
    settings.view = View(ViewKind.FEED, copy)
    assert Settings().view == View(ViewKind.FEED, copy)
