"""One owner for a worker object on its own QThread, written once for the loader, the feed
refresh and the query thread.

The owner (GUI side) makes the thread, moves the worker onto it and starts it. Work is
asked for by the owner's own signals connected to the worker's ``@Slot`` methods (queued:
the slot runs on the worker thread); answers come back by the worker's signals connected
to the owner's ``@Slot`` methods (queued again: they run on the GUI thread). After
:meth:`ThreadOwner.stop` answers still on their way are dropped (:attr:`stopped`), since
whoever listened may be gone.

These threads keep the GUI thread's priority. They share Python's interpreter lock with it,
so one given a lower priority (a higher nice value) would, on a busy machine, be kept
waiting for a processor while it holds the lock -- and the GUI thread waits for the lock
all that time (stalls of 50-130 ms during a first import, measured). What takes the
processor for long runs in worker processes of their own, which do give way to the window
(:mod:`reader.library.parsing`)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Generic, TypeVar

from PySide6.QtCore import QObject, QThread

if TYPE_CHECKING:
    from reader.library import Library

log = logging.getLogger(__name__)


class Worker(QObject):
    """A worker object: its slots run on the owner's thread."""

    def close(self) -> None:
        """Release what the worker opened (its library connection), after the thread ended."""


class LibraryWorker(Worker):
    """A worker with a library connection of its own, opened on its thread by
    :meth:`library` at the first job (``open_library`` is called there) and closed by
    :meth:`close`."""

    def __init__(self, open_library: Callable[[], Library]) -> None:
        super().__init__()
        self._open_library = open_library
        self._library: Library | None = None

    def library(self) -> Library:
        """The worker's connection, opened on the first call (on the worker's thread)."""
        if self._library is None:
            self._library = self._open_library()
            self._opened(self._library)
        return self._library

    def _opened(self, library: Library) -> None:
        """``library`` was just opened (on the worker's thread)."""

    def close(self) -> None:
        if self._library is not None:
            self._library.close()
            self._library = None


W = TypeVar("W", bound=Worker)


class ThreadOwner(QObject, Generic[W]):
    """Owns ``worker`` and the thread it lives on (named ``name``, "reader-loader")."""

    def __init__(self, worker: W, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread = QThread(self)
        self._thread.setObjectName(name)
        self._worker = worker
        worker.moveToThread(self._thread)
        self._stopped = False

    def _start_thread(self) -> None:
        """Start the thread (once the signals are connected)."""
        self._thread.start()

    @property
    def stopped(self) -> bool:
        return self._stopped

    def stop(self, timeout_ms: int = 5000) -> None:
        """Stop for good: :meth:`_stopping` cancels or drops the work, then the thread is
        asked to end (interruption requested, its event loop quit) and waited for; one
        that takes longer than ``timeout_ms`` gets :meth:`_stop_slowly`, then is ended by
        force. The worker is closed last."""
        if self._stopped:
            return
        self._stopped = True
        self._stopping()
        self._thread.requestInterruption()
        self._thread.quit()
        if not self._thread.wait(timeout_ms) and not self._stop_slowly(timeout_ms):
            log.warning("the thread %s did not stop in time", self._thread.objectName())
            self._thread.terminate()
            self._thread.wait()
        self._worker.close()

    def _stopping(self) -> None:
        """Cancel what runs and drop what waits (before the thread is asked to end)."""

    def _stop_slowly(self, timeout_ms: int) -> bool:
        """The thread did not end within ``timeout_ms``: one more try (True: it ended)."""
        return False
