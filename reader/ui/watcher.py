"""Notice documents added, changed or removed in the open folders (watchdog, debounced)."""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence

from PySide6.QtCore import QObject, QTimer, Signal
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from reader.scan import is_candidate

log = logging.getLogger(__name__)

#: Quiet time after the last change before a reload (so a copy of many files is one reload).
DEBOUNCE_MS = 400


class _Handler(FileSystemEventHandler):
    def __init__(self, notify: Signal, ignore: str) -> None:
        self._notify = notify
        self._ignore = ignore

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        for path in (event.src_path, getattr(event, "dest_path", "")):
            if not path:
                continue
            path = os.fsdecode(path)
            if self._ignore and path.startswith(self._ignore):
                continue
            name = os.path.basename(path)
            if event.is_directory or is_candidate(name):
                self._notify.emit()  # from watchdog's thread: queued to the GUI thread
                return


class FolderWatcher(QObject):
    """Emits :attr:`changed` once the watched paths have been quiet for a moment."""

    changed = Signal()
    _raw = Signal()

    def __init__(self, ignore: str = "", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ignore = os.path.abspath(ignore) + os.sep if ignore else ""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.changed)
        self._raw.connect(self._timer.start)
        self._observer: Observer | None = None

    def watch(self, paths: Sequence[str]) -> None:
        self.stop()
        observer = Observer()
        handler = _Handler(self._raw, self._ignore)
        watched = 0
        for path in paths:
            target = path if os.path.isdir(path) else os.path.dirname(os.path.abspath(path))
            try:
                observer.schedule(handler, target, recursive=os.path.isdir(path))
                watched += 1
            except OSError as error:
                log.warning("cannot watch %s: %s", path, error)
        if watched:
            observer.daemon = True
            observer.start()
            self._observer = observer

    def stop(self) -> None:
        self._timer.stop()
        if self._observer is not None:
            self._observer.stop()
            self._observer.join(timeout=2)
            self._observer = None
