"""The background loader: a worker object on its own thread runs :meth:`Library.sync` and
reports batches to the GUI by queued signals. It never touches a widget or a model."""

from __future__ import annotations

import gc
import logging
import os
import sys
import threading
from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, Signal, Slot

from reader.library import Library, LibraryError, SyncBatch, SyncReport
from reader.ui.threads import LibraryWorker, ThreadOwner

log = logging.getLogger(__name__)

#: The interpreter's switch interval while stories are grouped (seconds; 0.005 otherwise):
#: see :meth:`LoaderWorker._group`.
GROUPING_SWITCH_INTERVAL = 0.0001

#: Loaders of this process that are loading or grouping (see :func:`_hold_collector`).
_busy_loaders = 0


def _hold_collector() -> None:
    """A load begins: the objects already in the process (the modules, Qt's wrappers, the
    window: most of what the garbage collector tracks) are frozen, so that the collector
    leaves them alone until :func:`_release_collector`. A full collection that the load's
    allocations set off, in whichever thread makes them, then looks at the few objects made
    since instead of every object of the window -- tens of milliseconds in which it holds
    the interpreter and the GUI thread cannot run (the longest stall of a first import)."""
    global _busy_loaders
    if _busy_loaders == 0:
        gc.freeze()
    _busy_loaders += 1


def _release_collector() -> None:
    """The last running load (and its grouping) ended: the collector looks at every object again."""
    global _busy_loaders
    _busy_loaders -= 1
    if _busy_loaders == 0:
        gc.unfreeze()


#: Loaders of this process grouping stories, and the switch interval before the first began.
_grouping: list[float] = []


def _switch_quickly() -> None:
    """A grouping begins: the interpreter switches threads every :data:`GROUPING_SWITCH_INTERVAL`."""
    _grouping.append(sys.getswitchinterval())
    sys.setswitchinterval(GROUPING_SWITCH_INTERVAL)


def _switch_as_before() -> None:
    """A grouping ended: when it was the last, the interval is as it was before the first."""
    before = _grouping.pop()
    if not _grouping:
        sys.setswitchinterval(before)


class LoaderWorker(LibraryWorker):
    """Lives on the loader thread; opens its own library connection there."""

    batch = Signal(object)  #: SyncBatch, after each committed batch
    finished = Signal(object)  #: SyncReport
    failed = Signal(str)
    grouped = Signal(int)  #: articles grouped into stories after a load (then idle)
    warned = Signal(str)  #: something the user should know (a damaged library file rebuilt)
    grouping_progress = Signal(int, int)  #: (articles grouped, of how many) while grouping

    def __init__(self, open_library: Callable[[], Library]) -> None:
        super().__init__(open_library)
        self._cancel = threading.Event()
        #: Set while new articles are being grouped into stories after a load.
        self.grouping = threading.Event()

    @Slot(object, object)
    def sync(self, paths: Sequence[str], changed: Sequence[str] | None = None) -> None:
        """Sync ``paths``; or, given ``changed``, just those paths under them."""
        self._cancel.clear()
        try:
            library = self.library()
            progress, cancelled = self.batch.emit, self._cancel.is_set
            if changed is None:
                report = library.sync(paths, progress=progress, cancelled=cancelled, group=False)
            else:
                report = library.sync_changes(changed, paths, progress=progress, cancelled=cancelled, group=False)
        except LibraryError as error:
            self.failed.emit(str(error))
            return
        except Exception as error:  # report, never let a worker die silently
            log.exception("loading failed")
            self.failed.emit(f"Loading failed: {error}")
            return
        self.finished.emit(report)
        self._group()

    def _group(self) -> None:
        """Group the new articles into stories: after the load, so they show at once; in
        small steps, each committed, until done or the next load (or quitting) cancels it."""
        assert self._library is not None
        self.grouping.set()
        # Grouping is Python through and through, on this thread of the window's interpreter:
        # each time the GUI thread lets the interpreter lock go (every SQLite call of a key
        # press) it would wait up to the switch interval (5 ms) to have it back, some 40
        # times a key. A shorter interval while grouping keeps the keys quick.
        _switch_quickly()
        try:
            grouped = self._library.group_stories(self._cancel.is_set, progress=self.grouping_progress.emit)
        except LibraryError as error:  # (a full disk, a lock held too long: the last grouping stays)
            log.warning("stories not grouped: %s", error)
            self.warned.emit(f"Stories were not grouped: {error}")
            grouped = 0
        except Exception as error:  # report, never let a worker die silently
            log.exception("grouping stories failed")
            self.warned.emit(f"Stories were not grouped: {error}")
            grouped = 0
        finally:
            _switch_as_before()
            self.grouping.clear()
        self.grouped.emit(grouped)

    def cancel(self) -> None:
        """Ask a running sync to stop after its current batch (any thread)."""
        self._cancel.set()

    def _opened(self, library: Library) -> None:
        library.on_warning = self.warned.emit


class Loader(ThreadOwner[LoaderWorker]):
    """Owns the loader thread. :meth:`load` runs a sync (queued if one is running)."""

    batch = Signal(object)
    finished = Signal(object)
    failed = Signal(str)
    grouped = Signal(int)  #: articles grouped into stories after a load
    warned = Signal(str)
    grouping_progress = Signal(int, int)  #: (articles grouped, of how many) while grouping
    _start = Signal(object, object)

    def __init__(self, open_library: Callable[[], Library], parent: QObject | None = None) -> None:
        """``open_library`` opens the loader's own connection (called on the loader thread)."""
        super().__init__(LoaderWorker(open_library), "reader-loader", parent)
        self._start.connect(self._worker.sync)
        self._worker.batch.connect(self._batch)
        self._worker.finished.connect(self._done)
        self._worker.failed.connect(self._failed)
        self._worker.grouped.connect(self._grouped)
        self._worker.warned.connect(self.warned)
        self._worker.grouping_progress.connect(self._grouping_progress)
        self.running = False
        self._grouping = False
        #: What to load when the running sync ends: (paths, changed paths or None for all).
        self._pending: tuple[list[str], list[str] | None] | None = None
        self._holding = False  #: (holds the collector: loading or grouping)
        self._start_thread()

    def load(self, paths: Sequence[str], changed: Sequence[str] | None = None) -> None:
        """Sync ``paths`` -- or, given ``changed`` (what a folder watcher heard of), only
        those paths under them. Asked while a sync runs, it follows that one (requests
        for the same paths are merged: a full one wins over changes)."""
        if self._stopped:
            return
        paths = [os.fspath(p) for p in paths]
        wanted = None if changed is None else [os.fspath(p) for p in changed]
        if self.running:
            if self._pending is not None and self._pending[0] == paths and wanted is not None:
                earlier = self._pending[1]
                wanted = None if earlier is None else list(dict.fromkeys([*earlier, *wanted]))
            self._pending = (paths, wanted)
            return
        self.running = True
        self._hold(True)
        self._worker.cancel()  # stories being grouped give way to the load (and go on after it)
        self._start.emit(paths, wanted)

    @property
    def grouping(self) -> bool:
        """Whether the worker groups new articles into stories, after the last load (until
        :attr:`grouped` is delivered)."""
        return self._grouping

    # What the worker sent before stop() is delivered afterwards; it is dropped then, since
    # whoever listens may be gone (the window closes its library right after stopping).

    @Slot(object)
    def _batch(self, batch: SyncBatch) -> None:
        if not self._stopped:
            self.batch.emit(batch)

    @Slot(object)
    def _done(self, report: SyncReport) -> None:
        self.running = False
        self._grouping = True  # the worker groups the new articles next
        if not self._stopped:
            self.finished.emit(report)
            self._next()

    @Slot(int)
    def _grouped(self, count: int) -> None:
        self._grouping = False
        self._hold(self.running)
        if not self._stopped:
            self.grouped.emit(count)

    @Slot(int, int)
    def _grouping_progress(self, done: int, total: int) -> None:
        if not self._stopped:
            self.grouping_progress.emit(done, total)

    @Slot(str)
    def _failed(self, message: str) -> None:
        self.running = False
        if not self._stopped:
            self.failed.emit(message)
            self._next()
        self._hold(self.running)  # (no grouping after a failed load)

    def _next(self) -> None:
        if self._pending is not None and not self._stopped:
            (paths, changed), self._pending = self._pending, None
            self.load(paths, changed)

    def _stopping(self) -> None:
        """Cancel any sync (the thread ends after the current batch)."""
        self._pending = None
        self._worker.cancel()
        self._hold(False)

    def _hold(self, busy: bool) -> None:
        """Hold the collector (:func:`_hold_collector`) while this loader is ``busy``
        loading or grouping stories after a load, and release it once it is not."""
        if busy and not self._holding:
            _hold_collector()
        elif not busy and self._holding:
            _release_collector()
        self._holding = busy


__all__ = ["Loader", "LoaderWorker", "SyncBatch", "SyncReport"]
