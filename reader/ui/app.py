"""Application start: QApplication, logging, the exception hook, and the main window."""

from __future__ import annotations

import logging
import os
import sys
import traceback
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from reader import __version__
from reader.cli import bundled_seeds
from reader.library import Library, LibraryError, default_data_dir
from reader.ui.main_window import MainWindow
from reader.ui.preferences import apply_look
from reader.ui.settings import APP_NAME, ORGANIZATION, Settings

log = logging.getLogger("reader")
_qt_log = logging.getLogger("reader.qt")

__all__ = ["APP_NAME", "ORGANIZATION", "app_icon", "create_window", "ensure_app", "run"]


def _qt_message(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    level = {
        QtMsgType.QtDebugMsg: logging.DEBUG,
        QtMsgType.QtInfoMsg: logging.INFO,
        QtMsgType.QtWarningMsg: logging.WARNING,
        QtMsgType.QtCriticalMsg: logging.ERROR,
        QtMsgType.QtFatalMsg: logging.CRITICAL,
    }.get(kind, logging.WARNING)
    _qt_log.log(level, "%s", message)


def _excepthook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
    """Unexpected errors: logged, and shown once in a dialog instead of killing the app."""
    text = "".join(traceback.format_exception(kind, error, tb))
    log.error("unexpected error:\n%s", text)
    app = QApplication.instance()
    if isinstance(app, QApplication) and app.activeWindow() is not None:
        box = QMessageBox(QMessageBox.Icon.Critical, APP_NAME, f"Something went wrong: {error}", parent=app.activeWindow())
        box.setDetailedText(text)
        box.exec()


def ensure_app(argv: Sequence[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    app = QApplication(list(argv or [sys.argv[0]]))
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("reader")
    app.setWindowIcon(app_icon())
    return app


def app_icon() -> QIcon:
    """Reader's icon (shipped inside the package)."""
    return QIcon(str(resources.files("reader.ui").joinpath("resources/reader.svg")))


def create_window(
    paths: Sequence[str | os.PathLike[str]],
    data_dir: str | os.PathLike[str] | None = None,
    settings: Settings | None = None,
) -> MainWindow:
    """Build the main window on ``paths`` (not yet shown) and start loading them. Without
    paths: the folders of the preferences, or else the bundled seeds.

    A QApplication must exist. Raises :class:`LibraryError` when the library cannot be opened.
    """
    settings = settings if settings is not None else Settings()
    if not paths:
        paths = settings.folders or [str(bundled_seeds())]
    library = Library(Path(data_dir) if data_dir is not None else default_data_dir())
    window = MainWindow(paths, library, settings)
    window.setWindowIcon(app_icon())
    window.start()
    return window


def run(paths: Sequence[str], data_dir: str | None = None) -> int:
    """The ``reader`` command without a subcommand: open the window."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    app = ensure_app(sys.argv[:1])
    qInstallMessageHandler(_qt_message)
    sys.excepthook = _excepthook
    try:
        window = create_window(paths, data_dir)
    except LibraryError as error:
        QMessageBox.critical(None, APP_NAME, str(error))
        return 2
    apply_look(window)
    window.show()
    window.raise_()
    window.activateWindow()
    return app.exec()
