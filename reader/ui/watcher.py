"""Notice documents added, changed or removed in the open folders (watchdog, debounced)."""

from __future__ import annotations

import logging
import os
import threading
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
    """Emits :attr:`changed` once the watched paths have been quiet for a moment.

    Setting up a watch walks every folder under the paths (inotify watches one folder at a
    time), which takes a while on a large tree: it is done on a short-lived thread of its own.
    """

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
        self._lock = threading.Lock()
        self._observer: Observer | None = None
        self._setup: threading.Thread | None = None
        self._cancel = threading.Event()

    @property
    def starting(self) -> bool:
        """Whether a watch is still being set up."""
        return self._setup is not None and self._setup.is_alive()

    def watch(self, paths: Sequence[str]) -> None:
        """Watch ``paths`` (instead of what was watched), set up in the background."""
        self.stop()
        self._cancel = threading.Event()
        self._setup = threading.Thread(
            target=self._start, args=(list(paths), self._cancel), name="reader-watch-setup", daemon=True
        )
        self._setup.start()

    def _start(self, paths: list[str], cancel: threading.Event) -> None:  # on the setup thread
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
        if not watched:
            return
        observer.daemon = True
        try:
            observer.start()
        except OSError as error:  # e.g. out of inotify watches
            log.warning("cannot watch %s: %s", ", ".join(paths), error)
            return
        with self._lock:
            if not cancel.is_set():
                self._observer = observer
                return
        observer.stop()
        observer.join(timeout=2)

    def stop(self) -> None:
        self._timer.stop()
        self._cancel.set()
        if self._setup is not None:
            self._setup.join(timeout=5)
            self._setup = None
        with self._lock:
            observer, self._observer = self._observer, None
        if observer is not None:
            observer.stop()
            observer.join(timeout=2)
