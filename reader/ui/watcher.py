"""Notice documents added, changed or removed in the open folders (watchdog, debounced)."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, QTimer, Signal
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver

from reader.scan import is_candidate

log = logging.getLogger(__name__)

#: Quiet time after the last change before a reload (so a copy of many files is one reload).
DEBOUNCE_MS = 400
#: More changed paths than this in one go (a big copy or checkout) make one full reload.
MAX_PATHS = 2000


class _Handler(FileSystemEventHandler):
    """Runs on watchdog's thread: notes the paths and pokes the GUI thread (queued)."""

    def __init__(self, note: Callable[[list[str]], None], ignore: str) -> None:
        self._note = note
        self._ignore = ignore

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        if event.is_directory and event.event_type == "modified":
            return  # a file in it changed: that file has an event of its own
        paths = []
        for path in (event.src_path, getattr(event, "dest_path", "")):
            if not path:
                continue
            path = os.fsdecode(path)
            if self._ignore and path.startswith(self._ignore):
                continue
            if event.is_directory or is_candidate(os.path.basename(path)):
                paths.append(path)
        if paths:
            self._note(paths)


class FolderWatcher(QObject):
    """Emits :attr:`changed` with the paths added, changed or removed, once the watched
    paths have been quiet for a moment (an empty list: too many to name, reload everything).

    Setting up a watch walks every folder under the paths (inotify watches one folder at a
    time), which takes a while on a large tree: it is done on a short-lived thread of its own.
    """

    #: The paths (a list of str). A Python object: as a Qt list, a name's bytes that are
    #: not UTF-8 would be lost on the way.
    changed = Signal(object)
    _raw = Signal()

    def __init__(self, ignore: str = "", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ignore = os.path.abspath(ignore) + os.sep if ignore else ""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._emit)
        self._raw.connect(self._timer.start)
        self._lock = threading.Lock()
        self._observer: BaseObserver | None = None
        self._setup: threading.Thread | None = None
        self._cancel = threading.Event()
        self._watching: list[str] | None = None
        self._changed: dict[str, None] = {}  #: paths heard of since the last emit (ordered)
        self._overflow = False

    def _note(self, paths: list[str]) -> None:  # on watchdog's thread
        with self._lock:
            if len(self._changed) < MAX_PATHS:
                self._changed.update(dict.fromkeys(paths))
            else:
                self._overflow = True
        self._raw.emit()  # queued to the GUI thread

    def _emit(self) -> None:
        with self._lock:
            paths = [] if self._overflow else list(self._changed)
            self._changed, self._overflow = {}, False
        self.changed.emit(paths)

    @property
    def starting(self) -> bool:
        """Whether a watch is still being set up."""
        return self._setup is not None and self._setup.is_alive()

    def watch(self, paths: Sequence[str]) -> None:
        """Watch ``paths`` (instead of what was watched), set up in the background. The
        same paths again leave the running watch alone (so no change is missed)."""
        if self._watching == list(paths) and (self._observer is not None or self.starting):
            return
        self.stop()
        self._watching = list(paths)
        self._cancel = threading.Event()
        self._setup = threading.Thread(
            target=self._start, args=(list(paths), self._cancel), name="reader-watch-setup", daemon=True
        )
        self._setup.start()

    def _start(self, paths: list[str], cancel: threading.Event) -> None:  # on the setup thread
        observer = Observer()
        handler = _Handler(self._note, self._ignore)
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
        self._watching = None
        self._cancel.set()
        if self._setup is not None:
            self._setup.join(timeout=5)
            self._setup = None
        with self._lock:
            observer, self._observer = self._observer, None
        if observer is not None:
            observer.stop()
            observer.join(timeout=2)
