"""A data folder that cannot be written gives a read-only session; a write that fails is a
message in the status bar, never a crash."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from reader.library import Library
from reader.ui.main_window import MainWindow

from .helpers import activate, select_title, titles, wait_loaded


@pytest.fixture
def blocked_data_dir(tmp_path: Path) -> Path:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be")
    return blocker / "data"


def test_read_only_data_folder_gives_a_working_read_only_session(
    qtbot: QtBot, docs_dir: Path, blocked_data_dir: Path
) -> None:
    from reader.ui.app import create_window

    window = create_window([docs_dir], data_dir=blocked_data_dir)
    qtbot.addWidget(window)
    window.show()
    activate(qtbot, window)
    wait_loaded(qtbot, window)
    try:
        assert len(titles(window)) == 5
        badge = window.findChild(QLabel, "readOnlyBadge")
        assert badge is not None and badge.isVisible()
        assert "cannot be written" in badge.toolTip()
        select_title(window, titles(window)[0])
        row = window.article_model.list_row(0)
        assert row is not None and row.read  # marks work for the session
    finally:
        window.close()


def test_a_failed_write_is_reported_not_raised(qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    from reader.library import LibraryError

    def full(*_args: object, **_kwargs: object) -> None:
        raise LibraryError("the library could not be written: database or disk is full")

    monkeypatch.setattr(Library, "_write_state", full)
    select_title(window, titles(window)[0])
    window.actions["toggle_star"].trigger()
    assert "Not saved" in window.statusBar().currentMessage()
    assert "disk is full" in window.statusBar().currentMessage()


def test_a_relative_unwritable_data_folder_holding_a_library_opens_read_only(
    qtbot: QtBot, docs_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``reader --data-dir data`` (relative) on a folder that cannot be written and already
    holds a library: the window opens on a copy (root writes anywhere: refusal simulated)."""
    import os

    from reader.ui.app import create_window

    with Library(tmp_path / "data") as library:
        library.sync([docs_dir])
    monkeypatch.chdir(tmp_path)
    real_access = os.access
    blocked = (tmp_path / "data").resolve()
    monkeypatch.setattr(os, "access", lambda p, m, **k: False if Path(p).resolve() == blocked else real_access(p, m, **k))
    window = create_window([docs_dir], data_dir="data")
    qtbot.addWidget(window)
    window.show()
    wait_loaded(qtbot, window)
    try:
        assert len(titles(window)) == 5
        assert window.library.read_only is not None and str(blocked) in window.library.read_only
    finally:
        window.close()
