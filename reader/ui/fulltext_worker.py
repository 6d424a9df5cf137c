"""Loading an article's full text in the background: a worker on its own thread fetches the
page and extracts its main text (:func:`reader.fulltext.load`, plain Python), keeps it in the
library through its own connection, and reports by queued signals. It never touches a
widget. One page at a time; closing the window cuts a fetch in progress short."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal, Slot

from reader import fulltext
from reader.fetch import Abort
from reader.library import Library, LibraryError
from reader.ui.threads import LibraryWorker, ThreadOwner

log = logging.getLogger(__name__)


class FullTextWorker(LibraryWorker):
    """Lives on the full-text thread."""

    loaded = Signal(str, object)  #: article id, FullText (stored)
    failed = Signal(str, str)  #: article id, why

    def __init__(self, open_library: Callable[[], Library]) -> None:
        super().__init__(open_library)
        #: Stops the fetch in progress from another thread (see :meth:`FullTextLoader.stop`).
        self.abort = Abort()

    @Slot(str, str, str)
    def load(self, article_id: str, url: str, title: str) -> None:
        try:
            full = fulltext.load(url, abort=self.abort)
        except fulltext.FullTextError as error:
            self.failed.emit(article_id, str(error))
            return
        except Exception as error:  # report, never let a worker die silently
            log.exception("loading the full text of %s failed", url)
            self.failed.emit(article_id, f"could not read the page: {type(error).__name__}: {error}")
            return
        try:
            self.library().store_fulltext(article_id, full, title)
        except LibraryError as error:  # shown all the same; it says it was not kept
            log.warning("the full text of %s was not kept: %s", article_id, error)
            self.failed.emit(article_id, f"the text was fetched but could not be kept: {error}")
            return
        self.loaded.emit(article_id, full)


class FullTextLoader(ThreadOwner[FullTextWorker]):
    """Owns the full-text thread. :meth:`load` asks for one article's page; :attr:`loaded`
    and :attr:`failed` answer on the GUI thread. :attr:`pending` holds the ids asked for
    and not answered yet."""

    loaded = Signal(str, object)
    failed = Signal(str, str)
    _load = Signal(str, str, str)

    def __init__(self, open_library: Callable[[], Library], parent: QObject | None = None) -> None:
        super().__init__(FullTextWorker(open_library), "reader-fulltext", parent)
        self._load.connect(self._worker.load)
        self._worker.loaded.connect(self._loaded)
        self._worker.failed.connect(self._failed)
        self.pending: set[str] = set()
        self._start_thread()

    def load(self, article_id: str, url: str, title: str = "") -> bool:
        """Fetch ``url`` as the page of ``article_id`` (after any page asked for before);
        False when it is already on its way."""
        if self._stopped or article_id in self.pending:
            return False
        self.pending.add(article_id)
        self._load.emit(article_id, url, title)
        return True

    @Slot(str, object)
    def _loaded(self, article_id: str, full: fulltext.FullText) -> None:
        self.pending.discard(article_id)
        if not self._stopped:
            self.loaded.emit(article_id, full)

    @Slot(str, str)
    def _failed(self, article_id: str, reason: str) -> None:
        self.pending.discard(article_id)
        if not self._stopped:
            self.failed.emit(article_id, reason)

    def _stopping(self) -> None:
        self._worker.abort.cancel()
