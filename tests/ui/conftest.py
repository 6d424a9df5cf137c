"""Fixtures for the window tests: a main window on a copy of the seeds (or any folder),
loaded, shown and active, with the browser replaced by a recorder; generated folders."""

from __future__ import annotations

import shutil
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from reader.library import Library
from reader.ui.app import create_window
from reader.ui.main_window import MainWindow

from .helpers import UrlRecorder, WindowFactory, activate, wait_loaded, write_generated

UI_DIR = Path(__file__).resolve().parent

#: The offscreen platform warns whenever a top-level window with a minimum size is shown;
#: it says nothing about Reader.
OFFSCREEN_NOISE = r"This plugin does not support propagateSizeHints\(\)"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if UI_DIR in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE, extend=True))


# --------------------------------------------------------------------------- settings


@pytest.fixture(autouse=True)
def settings_dir(tmp_path: Path) -> Path:
    """Every test keeps its settings (preferences, window state) in its own folder, never
    in the user's."""
    directory = tmp_path / "settings"
    directory.mkdir()
    for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
        QSettings.setPath(QSettings.Format.IniFormat, scope, str(directory))
    return directory


# --------------------------------------------------------------------------- folders


@pytest.fixture(scope="session")
def generated_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """2,000 generated news documents and one broken file (read-only: do not change it)."""
    directory = tmp_path_factory.mktemp("generated") / "docs"
    write_generated(directory, 2000)
    return directory


@pytest.fixture(scope="session")
def generated_library(tmp_path_factory: pytest.TempPathFactory, generated_dir: Path) -> Path:
    """A data folder whose library has ``generated_dir`` synced (built once; do not change it:
    :func:`generated_data_dir` gives a test its own copy)."""
    data = tmp_path_factory.mktemp("generated-library") / "data"
    with Library(data) as library:
        library.sync([str(generated_dir)])  # with its stories: the window has nothing left to do
    return data


@pytest.fixture
def generated_data_dir(data_dir: Path, generated_library: Path) -> Path:
    """The test's data folder, holding a copy of :func:`generated_library`: a window on
    ``generated_dir`` starts warm instead of parsing 2,000 files first."""
    shutil.copytree(generated_library, data_dir)
    return data_dir


@pytest.fixture
def docs_dir(tmp_path: Path, seeds_dir: Path) -> Path:
    """A copy of the seeds that a test may change."""
    target = tmp_path / "docs"
    shutil.copytree(seeds_dir, target)
    return target


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


# --------------------------------------------------------------------------- windows


@pytest.fixture
def make_window(qtbot: QtBot, data_dir: Path) -> Iterator[WindowFactory]:
    """``make_window(paths, wait=True)``: a shown, active main window on ``paths``."""
    windows: list[MainWindow] = []

    def make(paths: Sequence[Path], *, wait: bool = True) -> MainWindow:
        window = create_window(list(paths), data_dir=data_dir)
        windows.append(window)
        qtbot.addWidget(window)
        window.open_url = UrlRecorder()
        window.show()
        if wait:
            activate(qtbot, window)
            wait_loaded(qtbot, window)
        return window

    yield make
    for window in windows:
        window.close()  # stops the watcher and the loader thread, closes the library
    QApplication.processEvents()  # deliver what was queued before the close


@pytest.fixture
def window(make_window: WindowFactory, docs_dir: Path) -> MainWindow:
    """The main window on a copy of the seeds: loaded, shown and active."""
    return make_window([docs_dir])


@pytest.fixture
def opened(window: MainWindow) -> list[str]:
    """The URLs ``window`` handed to the browser."""
    recorder = window.open_url
    assert isinstance(recorder, UrlRecorder)
    return recorder.urls
