"""Application start: QApplication, logging, the exception hook, and the main window."""

from __future__ import annotations

import logging
import os
import signal
import sys
import traceback
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QMessageLogContext, QSocketNotifier, QtMsgType, qInstallMessageHandler
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from reader import __version__
from reader.paths import bundled_seeds
from reader.library import Library, LibraryError, default_data_dir
from reader.ui.main_window import MainWindow
from reader.ui.preferences import apply_look
from reader.ui.settings import APP_NAME, ORGANIZATION, Settings

log = logging.getLogger("reader")
_qt_log = logging.getLogger("reader.qt")

__all__ = ["APP_NAME", "ORGANIZATION", "app_icon", "create_window", "ensure_app", "run"]


#: Qt's messages that say nothing about Reader (and would be logged on every start).
HARMLESS_QT_MESSAGES = (
    # Window managers and the offscreen platform that do not take minimum sizes as hints.
    "This plugin does not support propagateSizeHints()",
)

#: What is said, and the exit status, when there is no display to open the window on.
NO_DISPLAY = "no display: run Reader in a desktop session"
EXIT_NO_DISPLAY = 1


def has_display(environ: Mapping[str, str] = os.environ, platform: str = sys.platform) -> bool:
    """Whether a window can be shown: on Linux and the BSDs, an X or Wayland display (or a
    Qt platform chosen that needs none, like ``offscreen``); elsewhere, always."""
    if not platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return True
    chosen = environ.get("QT_QPA_PLATFORM", "").split(":")[0].split(";")[0].strip()
    if chosen and chosen not in ("xcb", "wayland", "wayland-egl"):
        return True  # offscreen, minimal, vnc, eglfs, linuxfb: no display server needed
    return bool(environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"))


def _qt_message(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    if message in HARMLESS_QT_MESSAGES:
        return
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


def _quit_on_signals(app: QApplication) -> QSocketNotifier | None:
    """Quit cleanly (the window's state saved, the library closed) on SIGTERM, SIGHUP and
    SIGINT: Python notes the signal, a byte on a socket wakes Qt's event loop, and the
    application quits. Returns the notifier (keep it alive)."""
    import socket

    try:
        reader_end, writer_end = socket.socketpair()
        reader_end.setblocking(False)
        writer_end.setblocking(False)
        signal.set_wakeup_fd(writer_end.fileno())
    except (OSError, ValueError):  # not the main thread, or no sockets: default handling
        return None
    notifier = QSocketNotifier(reader_end.fileno(), QSocketNotifier.Type.Read, app)

    def woken() -> None:
        try:
            reader_end.recv(64)
        except OSError:  # nothing to read after all
            pass

    notifier.activated.connect(woken)
    notifier.sockets = (reader_end, writer_end)  # type: ignore[attr-defined]  # (kept open with it)
    for number in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        signal.signal(number, lambda *_: app.quit())
    return notifier


def run(paths: Sequence[str], data_dir: str | None = None) -> int:
    """The ``reader`` command without a subcommand: open the window."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    if not has_display():
        sys.stderr.write(f"reader: {NO_DISPLAY}\n")
        return EXIT_NO_DISPLAY
    qInstallMessageHandler(_qt_message)  # (before Qt says anything)
    app = ensure_app(sys.argv[:1])
    notifier = _quit_on_signals(app)
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
    try:
        return app.exec()
    finally:
        if notifier is not None:
            signal.set_wakeup_fd(-1)
