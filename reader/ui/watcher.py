"""Notice documents added, changed or removed in the open folders (watchdog, debounced),
and the open folders' own going and coming back (deleted and made again, swapped for another)."""

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
#: Quiet time after a watched folder itself went or came back before its watch is set up again.
REWATCH_MS = 100


def _identity(path: str) -> tuple[int, int] | str:
    """Which folder or file ``path`` names now (device and inode); when there is none, the
    nearest folder above it that exists (where its return is heard of)."""
    try:
        info = os.stat(path)
    except OSError:
        return _nearest_existing(path)
    return info.st_dev, info.st_ino


def _nearest_existing(path: str) -> str:
    folder = os.path.dirname(path)
    while not os.path.isdir(folder) and os.path.dirname(folder) != folder:
        folder = os.path.dirname(folder)
    return folder


class _Handler(FileSystemEventHandler):
    """Runs on watchdog's thread: notes the paths under the watched ones and pokes the GUI
    thread (queued); an event of a watched folder itself, or of a folder above it (gone,
    moved away, made again, moved in), calls ``root_event`` with the watched paths it
    concerns instead."""

    def __init__(
        self,
        note: Callable[[list[str]], None],
        ignore: str,
        roots: Sequence[str],
        root_event: Callable[[list[str]], None],
    ) -> None:
        self._note = note
        self._ignore = ignore
        self._roots = frozenset(roots)
        self._folders = tuple(root.rstrip(os.sep) + os.sep for root in roots)
        self._root_event = root_event

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        if event.is_directory and event.event_type == "modified":
            return  # a file in it changed: that file has an event of its own
        paths = []
        roots: list[str] = []
        for path in (event.src_path, getattr(event, "dest_path", "")):
            if not path:
                continue
            path = os.fsdecode(path)
            if event.is_directory and (path in self._roots or not path.startswith(self._folders)):
                # a watched folder itself, or one above it: its watch no longer holds (read again once it does)
                below = path.rstrip(os.sep) + os.sep
                concerned = [root for root in self._roots if root == path or root.startswith(below)]
                if concerned:
                    roots += concerned
                    continue
            if path not in self._roots and not path.startswith(self._folders):
                continue  # (the folder above a watched one, watched for its return, or a file's neighbours)
            if self._ignore and path.startswith(self._ignore):
                continue
            if event.is_directory or is_candidate(os.path.basename(path)):
                paths.append(path)
        if paths:
            self._note(paths)
        if roots:
            self._root_event(roots)


class FolderWatcher(QObject):
    """Emits :attr:`changed` with the paths added, changed or removed, once the watched
    paths have been quiet for a moment (an empty list: too many to name, reload everything).

    Setting up a watch walks every folder under the paths (inotify watches one folder at a
    time), which takes a while on a large tree: it is done on a short-lived thread of its own
    (:attr:`ready` once it is done).

    A watch follows a folder, not its name: the folder above each path is watched too, and
    when a watched folder itself goes (deleted, moved away) or comes back (made again, another
    moved in its place) the watch is set up again, for the folder now at that name (or, while
    there is none, for the folder above). Once it is, that path is named as changed: it is
    read again whole, so what changed in it before the new watch held is not missed.
    """

    #: The paths (a list of str). A Python object: as a Qt list, a name's bytes that are
    #: not UTF-8 would be lost on the way.
    changed = Signal(object)
    #: A watch was set up (or could not be): changes from now on are heard.
    ready = Signal()
    _raw = Signal()
    _root_event = Signal(object)  #: (the watched paths whose folder went or came back)
    _set_up = Signal(object)  #: (the set-up's cancel event: which set-up ended)

    def __init__(self, ignore: str = "", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ignore = os.path.abspath(ignore) + os.sep if ignore else ""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._emit)
        self._raw.connect(self._timer.start)
        #: A folder's going and coming back come in bursts (a swap is two moves): the watch
        #: is set up again once, after the burst.
        self._rewatch_timer = QTimer(self)
        self._rewatch_timer.setSingleShot(True)
        self._rewatch_timer.setInterval(REWATCH_MS)
        self._rewatch_timer.timeout.connect(self._rewatch)
        self._root_event.connect(self._on_root_event)
        self._set_up.connect(self._on_set_up)
        self._lock = threading.Lock()
        self._observer: BaseObserver | None = None
        self._setup: threading.Thread | None = None
        self._starting = False
        self._cancel = threading.Event()
        self._watching: list[str] | None = None
        #: What each watched path was when its watch was set up (see :func:`_identity`).
        self._identities: dict[str, tuple[int, int] | str] = {}
        self._moved: dict[str, None] = {}  #: watched paths whose folder went or came back since
        self._read_after: list[str] = []  #: paths named as changed once the watch is set up
        self._changed: dict[str, None] = {}  #: paths heard of since the last emit (ordered)
        self._overflow = False

    def _note(self, paths: list[str]) -> None:  # on watchdog's thread (or the setup thread)
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
        return self._starting

    @property
    def gone(self) -> list[str]:
        """The watched paths that are not there (deleted or moved away; watched for their return)."""
        return [path for path in self._watching or () if not os.path.exists(path)]

    def _holds(self) -> bool:
        """Whether the watch set up still watches what the paths name now."""
        return not self._moved and all(_identity(p) == identity for p, identity in self._identities.items())

    def _stale(self) -> list[str]:
        """The watched paths whose watch no longer holds."""
        return [p for p, identity in self._identities.items() if p in self._moved or _identity(p) != identity]

    def watch(self, paths: Sequence[str]) -> None:
        """Watch ``paths`` (instead of what was watched), set up in the background. The
        same paths again leave the running watch alone (so no change is missed), unless it
        no longer holds: a path names another folder than when it was set up (one was
        deleted and made again, or swapped for another, unheard of). Then it is set up again,
        and those paths are named as changed once it is."""
        paths = list(paths)
        if self._watching == paths and (self._observer is not None or self.starting):
            if not self.starting and not self._holds():
                self._restart(paths, self._stale())
            return
        self._restart(paths, [])

    def read_again_when_set_up(self) -> None:
        """The watch is still being set up (a load began before it held): every watched path
        is named as changed once it is, so that what changed in between is read then."""
        if self.starting and self._watching is not None:
            self._read_after = list(self._watching)

    def _on_root_event(self, paths: list[str]) -> None:
        if self._watching is not None:
            self._moved.update(dict.fromkeys(p for p in paths if p in self._identities))
            self._rewatch_timer.start()

    def _rewatch(self) -> None:
        """A watched folder itself went or came back: the watch is set up again (for what
        its name holds now) and the paths whose folder changed are read again."""
        if self._watching is not None and not self.starting and not self._holds():
            self._restart(self._watching, self._stale())
        elif self._moved:
            self._rewatch_timer.start()  # (once the set-up under way is done)

    def _restart(self, paths: list[str], read: list[str]) -> None:
        self._end()
        self._watching = paths
        self._identities = {path: _identity(path) for path in paths}  # (before the watch: a change after it is seen)
        self._moved = {}
        self._read_after = read
        self._cancel = threading.Event()
        self._starting = True
        self._setup = threading.Thread(
            target=self._start, args=(paths, self._cancel), name="reader-watch-setup", daemon=True
        )
        self._setup.start()

    def _start(self, paths: list[str], cancel: threading.Event) -> None:  # on the setup thread
        try:
            self._observe(paths, cancel)
        finally:
            self._set_up.emit(cancel)  # queued to the GUI thread

    def _on_set_up(self, cancel: threading.Event) -> None:
        if cancel is self._cancel and self._starting:
            self._starting = False
            read, self._read_after = self._read_after, []
            if read:
                self._note(read)  # (heard from now on: what changed before is read now)
            self.ready.emit()

    def _observe(self, paths: list[str], cancel: threading.Event) -> None:  # on the setup thread
        observer = Observer()
        handler = _Handler(self._note, self._ignore, paths, self._root_event.emit)
        watched = 0
        above: set[str] = set()  # (the folders above the paths: to hear of a path going or coming back)
        for path in paths:
            targets = [(path, True)] if os.path.isdir(path) else []
            parent = os.path.dirname(path) if os.path.exists(path) else _nearest_existing(path)
            if parent not in above and parent != path:
                above.add(parent)
                targets.append((parent, False))
            for target, recursive in targets:
                try:
                    observer.schedule(handler, target, recursive=recursive)
                    watched += 1
                except OSError as error:
                    log.warning("cannot watch %s: %s", target, error)
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
        self._rewatch_timer.stop()
        self._end()
        self._watching = None
        self._identities = {}
        self._moved = {}
        self._read_after = []

    def _end(self) -> None:
        """Stop watching (what was heard and not yet emitted stays, to be emitted)."""
        self._cancel.set()
        self._starting = False
        if self._setup is not None:
            self._setup.join(timeout=5)
            self._setup = None
        with self._lock:
            observer, self._observer = self._observer, None
        if observer is not None:
            observer.stop()
            observer.join(timeout=2)
