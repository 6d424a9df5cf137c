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
from watchdog.observers.api import BaseObserver, ObservedWatch

from reader.scan import is_candidate

log = logging.getLogger(__name__)

#: Quiet time after the last change before a reload (so a copy of many files is one reload).
DEBOUNCE_MS = 400
#: More changed paths than this in one go (a big copy or checkout) make one full reload.
MAX_PATHS = 2000
#: Quiet time after a watched folder itself went or came back before its watch is set up again.
REWATCH_MS = 100
#: How often the watched paths are looked at (a stat each): a folder that went with no event
#: heard of it (a folder above it renamed, a drive unmounted) is found within this time.
CHECK_MS = 2000


def _identity(path: str, known: dict[str, tuple[int, int] | None] | None = None) -> tuple[int, int] | None:
    """Which folder the watch of ``path`` is on now (device and inode): the folder ``path``
    names; for a file (opened on its own), or while there is nothing at ``path``, the nearest
    folder above it that exists (where its return is heard of). A file saved by writing
    another and renaming it over (as editors do) is another file in the same folder: its
    watch still holds. ``known``: the folders looked at already in one pass, and theirs."""
    folder = path if os.path.isdir(path) else _nearest_existing(path)
    if known is not None and folder in known:
        return known[folder]
    try:
        info = os.stat(folder)
    except OSError:
        found = None
    else:
        found = info.st_dev, info.st_ino
    if known is not None:
        known[folder] = found
    return found


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
        self._check_timer = QTimer(self)
        self._check_timer.setInterval(CHECK_MS)
        self._check_timer.timeout.connect(self._check)
        self._lock = threading.Lock()
        self._observer: BaseObserver | None = None
        self._handler: _Handler | None = None
        #: Each watched path's watches (its folder's, and the folder's above it: shared by
        #: the paths in one folder). A path whose watch no longer holds has its own set up
        #: again; the others' go on, so that nothing changed in them meanwhile is missed.
        self._watches: dict[str, list[ObservedWatch]] = {}
        self._setup: threading.Thread | None = None
        self._starting = False
        self._setting_up: list[str] = []  #: the paths whose watch is being set up
        self._cancel = threading.Event()
        self._watching: list[str] | None = None
        #: What each watched path was when its watch was set up (see :func:`_identity`).
        self._identities: dict[str, tuple[int, int] | None] = {}
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

    def _stale(self) -> list[str]:
        """The watched paths whose watch no longer holds (each folder looked at once: the
        files of one folder opened on their own share it)."""
        known: dict[str, tuple[int, int] | None] = {}
        return [p for p, identity in self._identities.items() if p in self._moved or _identity(p, known) != identity]

    def watch(self, paths: Sequence[str]) -> None:
        """Watch ``paths`` (instead of what was watched), set up in the background. The
        same paths again leave the running watch alone (so no change is missed), unless it
        no longer holds: a path names another folder than when it was set up (one was
        deleted and made again, or swapped for another, unheard of). Then that path's watch
        is set up again, and it is named as changed once it is."""
        paths = list(paths)
        if self._watching == paths and (self._observer is not None or self.starting):
            if not self.starting:
                self._set_up_again(self._stale())
            return
        self._restart(paths, [])

    def read_again_when_set_up(self) -> None:
        """A watch is still being set up (a load began before it held): the paths it is for
        are named as changed once it is, so that what changed in between is read then."""
        if self.starting:
            self._read_after = list(self._setting_up)

    def _on_root_event(self, paths: list[str]) -> None:
        if self._watching is not None:
            self._moved.update(dict.fromkeys(p for p in paths if p in self._identities))
            if not self.starting:  # (else once the set-up under way is done)
                self._rewatch_timer.start()

    def _check(self) -> None:
        """Whether each watched path is still what it was: a folder above it renamed, or a
        drive unmounted, tells its watch nothing (only its folder's own deletion is heard of)."""
        if self._watching is not None and not self.starting and not self._rewatch_timer.isActive():
            stale = self._stale()
            if stale:
                self._on_root_event(stale)

    def _rewatch(self) -> None:
        """A watched folder itself went or came back: its watch is set up again (for what
        its name holds now) and the paths whose folder changed are read again."""
        if self._watching is not None and not self.starting:
            self._set_up_again(self._stale())

    def _set_up_again(self, stale: list[str]) -> None:
        """Set up the watch of the ``stale`` paths again (the others' goes on), and name them
        as changed once it is."""
        if not stale:
            self._moved = {}
            return
        if self._observer is None or self._handler is None or self._watching is None:
            self._restart(self._watching or stale, stale)
            return
        self._identities.update((path, _identity(path)) for path in stale)  # (before the watch)
        self._moved = {}
        self._begin(stale, stale, self._observe_again, (self._observer, self._handler))

    def _restart(self, paths: list[str], read: list[str]) -> None:
        self._end()
        self._check_timer.start()
        self._watching = paths
        self._identities = {path: _identity(path) for path in paths}  # (before the watch: a change after it is seen)
        self._moved = {}
        self._begin(paths, read, self._observe, ())

    def _begin(self, paths: list[str], read: list[str], observe: Callable[..., None], args: tuple[object, ...]) -> None:
        """Set up the watch of ``paths`` on a thread of its own (``observe``), naming ``read``
        as changed once it is."""
        self._read_after = read
        self._setting_up = paths
        self._cancel = threading.Event()
        self._starting = True
        self._setup = threading.Thread(
            target=self._start, args=(observe, (*args, paths, self._cancel), self._cancel), name="reader-watch-setup", daemon=True
        )
        self._setup.start()

    def _start(self, observe: Callable[..., None], args: tuple[object, ...], cancel: threading.Event) -> None:  # on the setup thread
        try:
            observe(*args)
        finally:
            self._set_up.emit(cancel)  # queued to the GUI thread

    def _on_set_up(self, cancel: threading.Event) -> None:
        if cancel is self._cancel and self._starting:
            self._starting = False
            self._setting_up = []
            read, self._read_after = self._read_after, []
            if read:
                self._note(read)  # (heard from now on: what changed before is read now)
            if self._moved:  # (a folder went or came back while the watch was set up)
                self._rewatch_timer.start()
            self.ready.emit()

    @staticmethod
    def _schedule(observer: BaseObserver, handler: _Handler, paths: list[str], shared: dict[str, ObservedWatch]) -> dict[str, list[ObservedWatch]]:
        """Watch each of ``paths`` (recursively, when a folder) and the folder above it (for
        its going and coming back; ``shared``: those already watched)."""
        watches: dict[str, list[ObservedWatch]] = {}
        for path in paths:
            targets = [(path, True)] if os.path.isdir(path) else []
            parent = _nearest_existing(path)
            if parent != path:
                targets.append((parent, False))
            watches[path] = []
            for target, recursive in targets:
                if not recursive and target in shared:
                    watches[path].append(shared[target])
                    continue
                try:
                    watch = observer.schedule(handler, target, recursive=recursive)
                except OSError as error:  # e.g. gone meanwhile, or out of inotify watches
                    log.warning("cannot watch %s: %s", target, error)
                    continue
                watches[path].append(watch)
                if not recursive:
                    shared[target] = watch
        return watches

    def _observe(self, paths: list[str], cancel: threading.Event) -> None:  # on the setup thread
        observer = Observer()
        handler = _Handler(self._note, self._ignore, paths, self._root_event.emit)
        watches = self._schedule(observer, handler, paths, {})
        if not any(watches.values()):
            return
        observer.daemon = True
        try:
            observer.start()
        except OSError as error:  # e.g. out of inotify watches
            log.warning("cannot watch %s: %s", ", ".join(paths), error)
            return
        with self._lock:
            if not cancel.is_set():
                self._observer, self._handler, self._watches = observer, handler, watches
                return
        observer.stop()
        observer.join(timeout=2)

    def _observe_again(
        self, observer: BaseObserver, handler: _Handler, paths: list[str], cancel: threading.Event
    ) -> None:  # on the setup thread
        """Set up the watch of ``paths`` again on the running ``observer``: their watches
        that no other path shares end, and the folders their names hold now are watched."""
        with self._lock:
            kept = {watch for path, watches in self._watches.items() if path not in paths for watch in watches}
            shared = {
                str(watch.path): watch
                for path, watches in self._watches.items()
                if path not in paths
                for watch in watches
                if not watch.is_recursive
            }
            ending = [watch for path in paths for watch in self._watches.get(path, ()) if watch not in kept]
        for watch in dict.fromkeys(ending):
            try:
                observer.unschedule(watch)
            except KeyError:
                pass  # (already ended)
        if cancel.is_set():
            return
        watches = self._schedule(observer, handler, paths, shared)
        with self._lock:
            if not cancel.is_set():
                self._watches.update(watches)

    def stop(self) -> None:
        self._timer.stop()
        self._rewatch_timer.stop()
        self._check_timer.stop()
        self._end()
        self._watching = None
        self._identities = {}
        self._watches = {}
        self._moved = {}
        self._read_after = []

    def _end(self) -> None:
        """Stop watching (what was heard and not yet emitted stays, to be emitted)."""
        self._cancel.set()
        self._starting = False
        self._setting_up = []
        if self._setup is not None:
            self._setup.join(timeout=5)
            self._setup = None
        with self._lock:
            observer, self._observer, self._handler, self._watches = self._observer, None, None, {}
        if observer is not None:
            observer.stop()
            observer.join(timeout=2)
