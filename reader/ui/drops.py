"""Files and folders dropped onto the window are opened (as if named on the command line)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QEvent, QMimeData, QObject
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QWidget


def dropped_paths(mime: QMimeData | None) -> list[str]:
    """The local files and folders in a drag (other URLs are ignored)."""
    if mime is None or not mime.hasUrls():
        return []
    return [url.toLocalFile() for url in mime.urls() if url.isLocalFile() and url.toLocalFile()]


class DropOpener(QObject):
    """Accepts drags of local files and folders onto ``widget`` and hands a drop's paths to
    ``open_paths``. ``children`` that take drops of their own (a text field would insert the
    paths as text) are watched too, so a folder dropped anywhere on the window opens."""

    def __init__(
        self, widget: QWidget, open_paths: Callable[[list[str]], object], children: Iterable[QWidget] = ()
    ) -> None:
        super().__init__(widget)
        self.open_paths = open_paths
        for target in (widget, *children):
            target.setAcceptDrops(True)
            target.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(event, (QDragEnterEvent, QDragMoveEvent)):
            if dropped_paths(event.mimeData()):
                event.acceptProposedAction()
                return True
            return False
        if isinstance(event, QDropEvent) and event.type() == QEvent.Type.Drop:
            paths = dropped_paths(event.mimeData())
            if paths:
                event.acceptProposedAction()
                self.open_paths(paths)
                return True
        return False
