"""Refreshing subscriptions in the background: a worker on its own thread runs
:func:`reader.subscriptions.refresh` (plain Python, no Qt) with its own library connection
and reports by queued signals. It never touches a widget or a model. It also brings the
library up to date with the stored copies when the window opens
(:func:`reader.subscriptions.sync_copies`: a data folder moved, a refresh cut short)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, Signal, Slot

from reader import subscriptions
from reader.fetch import Abort
from reader.library import Library, LibraryError, SyncReport
from reader.ui.threads import LibraryWorker, ThreadOwner

log = logging.getLogger(__name__)


class FeedRefreshWorker(LibraryWorker):
    """Lives on the refresh thread."""

    progress = Signal(object)  #: Refreshed, after each feed
    finished = Signal(object)  #: list[Refreshed]
    failed = Signal(str)
    synced = Signal(object)  #: SyncReport after the stored copies were synced, or why not (str)

    def __init__(self, open_library: Callable[[], Library]) -> None:
        super().__init__(open_library)
        #: Stops the refresh from another thread (see :meth:`FeedRefresher.stop`).
        self.abort = Abort()

    @Slot()
    def sync_copies(self) -> None:
        try:
            library = self.library()
            synced = subscriptions.sync_copies(library, group=False)
            report: SyncReport | str = synced
            if synced.parsed:  # (as a refresh does; the loader groups only what it read)
                library.group_stories(lambda: self.abort.cancelled)
        except LibraryError as error:
            report = str(error)
        except Exception as error:  # report, never let a worker die silently
            log.exception("syncing the feeds' copies failed")
            report = f"Reading the subscribed feeds failed: {error}"
        self.synced.emit(report)

    @Slot(object)
    def refresh(self, urls: Sequence[str] | None) -> None:
        try:
            results = subscriptions.refresh(self.library(), urls, progress=self.progress.emit, abort=self.abort)
        except LibraryError as error:
            self.failed.emit(str(error))
            return
        except Exception as error:  # report, never let a worker die silently
            log.exception("refreshing feeds failed")
            self.failed.emit(f"Refreshing feeds failed: {error}")
            return
        self.finished.emit(results)


class FeedRefresher(ThreadOwner[FeedRefreshWorker]):
    """Owns the refresh thread. :meth:`refresh` fetches (after the running refresh, if any)."""

    progress = Signal(object)
    finished = Signal(object)
    failed = Signal(str)
    synced = Signal(object)  #: SyncReport (see :meth:`sync_copies`)
    _start = Signal(object)
    _sync = Signal()

    def __init__(self, open_library: Callable[[], Library], parent: QObject | None = None) -> None:
        super().__init__(FeedRefreshWorker(open_library), "reader-feeds", parent)
        self._start.connect(self._worker.refresh)
        self._sync.connect(self._worker.sync_copies)
        self._worker.synced.connect(self._synced)
        self._worker.progress.connect(self._progress)
        self._worker.finished.connect(self._done)
        self._worker.failed.connect(self._failed)
        self.running = False
        self._pending: list[str] | None = None
        self._pending_all = False
        self._start_thread()

    def refresh(self, urls: Sequence[str] | None = None) -> None:
        """Fetch the subscriptions of ``urls`` (None: all of them)."""
        if self._stopped:
            return
        if self.running:  # afterwards, merged with anything else asked for meanwhile
            if urls is None:
                self._pending_all = True
            else:
                self._pending = list(dict.fromkeys([*(self._pending or []), *urls]))
            return
        self.running = True
        self._start.emit(None if urls is None else list(urls))

    def sync_copies(self) -> None:
        """Bring the library up to date with the stored copies (nothing is fetched); a
        refresh asked for meanwhile follows it."""
        if not self._stopped:
            self._sync.emit()

    @Slot(object)
    def _synced(self, report: object) -> None:
        if not self._stopped:
            self.synced.emit(report)

    @Slot(object)
    def _progress(self, result: subscriptions.Refreshed) -> None:
        if not self._stopped:
            self.progress.emit(result)

    @Slot(object)
    def _done(self, results: list[subscriptions.Refreshed]) -> None:
        self.running = False
        if not self._stopped:
            self.finished.emit(results)
            self._next()

    @Slot(str)
    def _failed(self, message: str) -> None:
        self.running = False
        if not self._stopped:
            self.failed.emit(message)
            self._next()

    def _next(self) -> None:
        if self._pending_all:
            self._pending_all, self._pending = False, None
            self.refresh(None)
        elif self._pending:
            urls, self._pending = self._pending, None
            self.refresh(urls)

    def stop(self, timeout_ms: int = 30000) -> None:
        """Cancel the refresh (a fetch in progress is cut off) and end the thread."""
        super().stop(timeout_ms)

    def _stopping(self) -> None:
        self._worker.abort.cancel()
