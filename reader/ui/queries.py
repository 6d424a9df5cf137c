"""Library work for the window, off the GUI thread.

A :class:`QueryWorker` on its own thread, with its own library connection, counts the
sidebar's views, lists the current view, looks for the next unread article far down a list,
writes the marks made in the window (so the GUI thread never waits for a sync's write lock),
marks the articles a list shows read, sets a saved search's rule and applies it to the
articles there (and undoes these). :class:`Queries`, on the GUI thread, hands it
one job at a time and passes the answers on by signals:

* reads are coalesced: while a job runs, only the latest request of each kind waits;
* every list and count request carries a generation, and an answer to an older generation
  than the window's (it changed view, query, sort or folder, or changed counts itself since)
  is dropped, never shown;
* writes run in the order they were asked for, before any read asked for after them.

Neither object touches a widget or a model; the worker sends only plain values.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal, Slot

from reader.library import Counts, Library, LibraryError, Scope, Sort, Undo, View, ViewKind
from reader.search import Query
from reader.ui.threads import LibraryWorker, ThreadOwner
from reader.ui.view_data import PROBLEMS, Key, Listing, prepare_listing

log = logging.getLogger(__name__)

#: Rows the worker reads at a time when it looks for the next unread article (growing).
UNREAD_CHUNK_ROWS = 1000
UNREAD_CHUNK_MAX = 32_000


# --------------------------------------------------------------------------- jobs


@dataclass(frozen=True, slots=True)
class CountJob:
    generation: int
    scope: Scope
    stories: bool = False  #: Top stories' unread: those with an unread copy (stories collapsed)


@dataclass(frozen=True, slots=True)
class ListJob:
    """The rowids of an article view (a :class:`Listing`), or the Problems view's problems."""

    generation: int
    key: Key
    query: Query | None
    sort: Sort
    scope: Scope
    reset: bool  #: a different list (view, query, sort or folder), not a newer one
    collapse: bool = False  #: one row per story (see reader.stories.collapse)
    keep: int | None = None  #: ... the open article's row standing for its story
    #: The row the article open was opened from, listed whatever the view's conditions
    #: (opening it made it read in Unread), and the search's when ``same_search`` (the
    #: search it was listed by): see Library.article_rowids.
    opened: int | None = None
    same_search: bool = False


@dataclass(frozen=True, slots=True)
class UnreadJob:
    """Find the first unread article in ``rowids`` from ``start`` on, going by ``delta``."""

    generation: int  #: the list generation when asked
    rowids: list[int]  #: the list shown when asked (not changed afterwards)
    start: int
    delta: int
    origin: int | None  #: the rowid that was current when asked
    stories: bool = False  #: each row stands for its story (stories collapsed): unread when a copy is


@dataclass(frozen=True, slots=True)
class MarkReadJob:
    """Mark the articles a list showed read (see Library.mark_rows_read): ``rowids``, and
    with ``stories`` every copy of their stories up to ``upto``. ``scope``: the list's, as
    the window had it when asked."""

    scope: Scope
    rowids: Sequence[int]  #: the list shown (not changed afterwards)
    stories: bool = False  #: each row stands for its story (stories collapsed): every copy too
    upto: int | None = None  #: the library's last rowid before the list was read


@dataclass(frozen=True, slots=True)
class UndoJob:
    undo: Undo


@dataclass(frozen=True, slots=True)
class MarkJob:
    """Mark articles read or unread (``column`` "read") or starred or not ("starred"):
    written here, so the GUI thread never waits for a sync's write lock."""

    ids: tuple[str, ...]
    column: str
    value: bool


@dataclass(frozen=True, slots=True)
class RuleJob:
    """Give the saved search ``name`` the rule ``actions`` and, when ``existing``, apply it
    to the articles in the library (a write over every article it matches)."""

    name: str
    actions: tuple[str, ...]
    existing: bool


@dataclass(frozen=True, slots=True)
class StoryJob:
    """An article's story as the article pane shows it (see reader.stories.context), its
    place in Top stories counted within ``scope``."""

    article_id: str
    scope: Scope | None = None


@dataclass(frozen=True, slots=True)
class VolumeJob:
    """Articles per day, week or month of a view and query (see reader.timeline)."""

    generation: int  #: the list generation when asked
    view: View
    query: Query | None
    scope: Scope


@dataclass(frozen=True, slots=True)
class TrendsJob:
    """The topics and sources that rose most lately (see reader.timeline.rising)."""

    scope: Scope


Job = CountJob | ListJob | UnreadJob | MarkReadJob | UndoJob | StoryJob | MarkJob | RuleJob | VolumeJob | TrendsJob
#: What the query thread writes (see :func:`write_job`), and the same as a tuple for isinstance.
WriteJob = MarkReadJob | UndoJob | MarkJob | RuleJob
WRITES = (MarkReadJob, UndoJob, MarkJob, RuleJob)


# --------------------------------------------------------------------------- the worker


class QueryWorker(LibraryWorker):
    """Lives on the query thread; opens its own library connection there on the first job."""

    done = Signal(object, object)  #: the job, its result
    failed = Signal(object, str)  #: the job, a message for the user
    warned = Signal(str)  #: something the user should know (a damaged library file rebuilt)

    def __init__(self, open_library: Callable[[], Library]) -> None:
        super().__init__(open_library)
        self._interrupted = threading.Event()
        self._abandoned = threading.Event()  #: see :meth:`abandon_writes`
        #: The last article list sent, by generation: later lists of it are told apart from it.
        self._listed: tuple[int, list[int]] | None = None

    @Slot(object)
    def run(self, job: Job) -> None:
        try:
            result = self._run(self.library(), job)
        except LibraryError as error:
            self.failed.emit(job, str(error))
            return
        except Exception as error:  # report, never let a worker die silently
            if not self._interrupted.is_set():
                log.exception("a library query failed")
            self.failed.emit(job, f"The library could not be read: {error}")
            return
        self.done.emit(job, result)

    def _run(self, library: Library, job: Job) -> object:
        match job:
            case CountJob():
                return library.counts(job.scope, collapsed=job.stories)
            case ListJob(key=key) if key == PROBLEMS:
                return library.problems(job.scope)
            case ListJob(key=View() as view):
                upto = library.last_rowid()  # (before the list: what arrives meanwhile is newer)
                rowids = library.article_rowids(view, query=job.query, sort=job.sort, scope=job.scope, opened=job.opened,
                                                same_search=job.same_search)
                outlets = articles = None
                if job.collapse:
                    articles = len(rowids)
                    rowids, outlets = library.collapse_stories(rowids, job.keep)
                elif view.kind is ViewKind.TOP:  # (a story a row, by its lead: its outlets too)
                    outlets = library.story_outlets(rowids)
                base = None
                if not job.reset and self._listed is not None and self._listed[0] == job.generation:
                    base = self._listed[1]
                self._listed = (job.generation, rowids)
                return prepare_listing(rowids, base, outlets, articles, upto=upto, stories=job.collapse)
            case UnreadJob():
                return _find_unread(library, job)
            case StoryJob():
                return library.story_context(job.article_id, job.scope)
            case VolumeJob():
                return library.volume(job.view, query=job.query, scope=job.scope)
            case TrendsJob():
                return library.trends(job.scope)
            case MarkReadJob() | UndoJob() | MarkJob() | RuleJob():
                return write_job(library, job)
        raise TypeError(f"not a query job: {job!r}")  # pragma: no cover

    def interrupt(self) -> None:
        """Abort the statement running now, if any (from any thread: SQLite allows it)."""
        self._interrupted.set()
        if self._library is not None:
            self._library.interrupt()

    def abandon_writes(self) -> None:
        """Roll back the write running now and write nothing more (from any thread; see
        Library.abandon_writes): the window quits, and that write was taken back."""
        self._abandoned.set()
        self._interrupted.set()
        if self._library is not None:
            self._library.abandon_writes()

    def _opened(self, library: Library) -> None:
        library.on_warning = self.warned.emit
        if self._abandoned.is_set():  # (asked while the connection was being opened)
            library.abandon_writes()


def write_job(library: Library, job: WriteJob) -> object:
    """Write a mark, a mark-all-read, an undo or a rule (on the query thread, or at quit
    when it still waits). Returns what the window is told: the mark job written,
    mark-all-read's Undo, the Undo done, or the rule's Undo (None: not applied to the
    articles here)."""
    match job:
        case MarkJob():
            (library.set_read if job.column == "read" else library.set_starred)(job.ids, job.value)
            return job
        case MarkReadJob():
            return library.mark_rows_read(job.rowids, stories=job.stories, upto=job.upto)
        case UndoJob():
            library.undo(job.undo)
            return job.undo
        case RuleJob():
            library.set_rule(job.name, job.actions)
            return library.apply_rule(job.name) if job.existing and job.actions else None


def _find_unread(library: Library, job: UnreadJob) -> int | None:
    """The row of the first unread article from ``job.start`` on, or None."""
    rowids, row, delta = job.rowids, job.start, job.delta
    size = UNREAD_CHUNK_ROWS
    while 0 <= row < len(rowids):
        end = min(len(rowids), row + size) if delta > 0 else max(-1, row - size)
        rows = range(row, end, delta)
        found = library.rows([rowids[r] for r in rows], stories=job.stories)
        for r in rows:
            item = found.get(rowids[r])
            if item is not None and not item.read:
                return r
        row = end
        size = min(size * 2, UNREAD_CHUNK_MAX)
    return None


# --------------------------------------------------------------------------- the front end


class Queries(ThreadOwner[QueryWorker]):
    """Owns the query thread (GUI side). Results arrive by the signals below, only while
    they are still wanted."""

    counted = Signal(object)  #: Counts
    listed = Signal(object, object)  #: the ListJob, and a Listing (or a list of Problems)
    found_unread = Signal(object, object)  #: the UnreadJob, and the row found or None
    marked = Signal(object, object)  #: the MarkReadJob, and its Undo
    undone = Signal(object)  #: the Undo undone
    saved = Signal(object)  #: the MarkJob written
    rule_set = Signal(object, object)  #: the RuleJob written, and its Undo (None: not applied)
    story_found = Signal(object, object)  #: the StoryJob, and its stories.Context
    volume_found = Signal(object, object)  #: the VolumeJob, and its timeline.Volume
    trends_found = Signal(object)  #: a list of timeline.Trend
    failed = Signal(object, str)  #: the job, a message for the user
    warned = Signal(str)  #: something the user should know, told by the query thread
    _run = Signal(object)

    def __init__(self, open_library: Callable[[], Library], parent: QObject | None = None) -> None:
        """``open_library`` opens the worker's own connection (called on the query thread)."""
        super().__init__(QueryWorker(open_library), "reader-queries", parent)
        self._run.connect(self._worker.run)
        self._worker.done.connect(self._done)
        self._worker.failed.connect(self._failed)
        self._worker.warned.connect(self.warned)
        #: Bumped when the list asked for is a different one: older answers are dropped.
        self.list_generation = 0
        #: Bumped when older counts would be wrong (see :meth:`invalidate_counts`).
        self.count_generation = 0
        #: Stories are collapsed in the window: a Top story is unread while any copy is.
        self.collapsed = False
        self._in_flight: Job | None = None
        self._cancel: Callable[[Job], bool] | None = None  #: see :meth:`stop`
        self._cancelled: WriteJob | None = None
        self._writes: deque[WriteJob] = deque()
        #: Waiting reads by kind, each with the order in which its kind was first asked for.
        self._reads: dict[type, tuple[int, Job]] = {}
        self._order = itertools.count()
        self._start_thread()

    # -------------------------------------------------------------- asking

    @property
    def busy(self) -> bool:
        """Whether a job runs or waits."""
        return self._in_flight is not None or bool(self._writes) or bool(self._reads)

    def request_counts(self, scope: Scope) -> None:
        self._ask(CountJob(self.count_generation, scope, self.collapsed))

    def invalidate_counts(self) -> None:
        """Drop the answer of the count running now (the window changed its counts itself
        since, and an answer read before that change would undo it). A count still waiting
        will read after the change: it stays."""
        self.count_generation += 1
        waiting = self._reads.get(CountJob)
        if waiting is not None and isinstance(waiting[1], CountJob):
            self._reads[CountJob] = (waiting[0], CountJob(self.count_generation, waiting[1].scope, waiting[1].stories))

    def request_list(
        self, key: Key, query: Query | None, sort: Sort, scope: Scope, *, new: bool, collapse: bool = False,
        keep: int | None = None, opened: int | None = None, same_search: bool = False, reset: bool = False,
    ) -> None:
        """Ask for the list of ``key``: ``new`` when it is another list than the one asked
        for before (answers to earlier requests are then dropped). ``keep``: the open
        article's row, which stands for its story when stories are collapsed; ``opened``
        and ``same_search``: see :class:`ListJob`; ``reset``: shown as a different list
        though not a new one (asked again for an answer that was not shown)."""
        if new:
            self.list_generation += 1
        waiting = self._reads.get(ListJob)
        reset = new or reset or (waiting is not None and isinstance(waiting[1], ListJob) and waiting[1].reset)
        self._ask(ListJob(self.list_generation, key, query, sort, scope, reset, collapse, keep, opened, same_search))

    def find_unread(self, rowids: list[int], start: int, delta: int, origin: int | None, stories: bool = False) -> None:
        self._ask(UnreadJob(self.list_generation, rowids, start, delta, origin, stories))

    def request_story(self, article_id: str, scope: Scope | None = None) -> None:
        """Ask for the story of ``article_id`` (an earlier request still waiting is dropped)."""
        self._ask(StoryJob(article_id, scope))

    def request_volume(self, view: View, query: Query | None, scope: Scope) -> None:
        """Ask for the volume over time of a list (dropped when the list changes first).
        The same volume being read already is not asked for again (a refresh's list and
        counts both ask for it as they arrive); one still waiting is replaced by the new
        request, as any waiting read of its kind is."""
        job = VolumeJob(self.list_generation, view, query, scope)
        if job == self._in_flight:
            return
        self._ask(job)

    def request_trends(self, scope: Scope) -> None:
        self._ask(TrendsJob(scope))

    def mark_read(self, scope: Scope, rowids: Sequence[int], stories: bool = False, upto: int | None = None) -> MarkReadJob:
        """Mark the articles of the list shown read (see :class:`MarkReadJob`); ``marked``
        or ``failed`` tells when it is done (with the job returned here)."""
        job = MarkReadJob(scope, rowids, stories, upto)
        self._ask(job)
        return job

    def undo(self, undo: Undo) -> UndoJob:
        """Undo ``undo`` (in order with the other writes); ``undone`` or ``failed`` tells when
        it is done (with the job returned here)."""
        job = UndoJob(undo)
        self._ask(job)
        return job

    def set_marks(self, ids: Sequence[str], column: str, value: bool) -> MarkJob:
        """Write a mark on the query thread (in order with the other writes); ``saved`` or
        ``failed`` tells when it is done."""
        job = MarkJob(tuple(ids), column, value)
        self._ask(job)
        return job

    def set_rule(self, name: str, actions: Sequence[str], existing: bool) -> RuleJob:
        """Write a saved search's rule (and apply it to the articles here when
        ``existing``) on the query thread; ``rule_set`` or ``failed`` tells when it is done
        (with the job returned here)."""
        job = RuleJob(name, tuple(actions), existing)
        self._ask(job)
        return job

    def take_waiting_writes(self) -> list[WriteJob]:
        """The writes not done yet (marks, mark-all-reads, undos, rules), in order, taken out
        of the queue (to be written at quit with :func:`write_job`)."""
        kept, self._writes = list(self._writes), deque()
        return kept

    def _ask(self, job: Job) -> None:
        if self._stopped:
            return
        if isinstance(job, WRITES):
            self._writes.append(job)
        else:
            waiting = self._reads.get(type(job))
            self._reads[type(job)] = (waiting[0] if waiting else next(self._order), job)
        self._dispatch()

    @staticmethod
    def _priority(item: tuple[int, Job]) -> tuple[int, int]:
        """Someone waits for a new list, the next unread article or a story: those first; then the
        others in the order they were first asked for (so refreshes take turns)."""
        order, job = item
        urgent = isinstance(job, (UnreadJob, StoryJob)) or (isinstance(job, ListJob) and job.reset)
        if isinstance(job, VolumeJob):
            return (2, order)  # a chart waits for the counts and lists people read
        return (0 if urgent else 1, order)

    def _dispatch(self) -> None:
        if self._in_flight is not None or self._stopped:
            return
        job: Job
        if self._writes:
            job = self._writes.popleft()
        elif self._reads:
            _order, job = min(self._reads.values(), key=self._priority)
            del self._reads[type(job)]
        else:
            return
        self._in_flight = job
        self._run.emit(job)

    # -------------------------------------------------------------- answers
    # What the worker sent before stop() arrives afterwards; it is dropped then, since the
    # window that asked may be gone.

    @Slot(object, object)
    def _done(self, job: Job, result: object) -> None:
        self._in_flight = None
        if self._stopped:
            return
        self._dispatch()  # the worker goes on while the answer is shown
        match job:
            case CountJob() if job.generation == self.count_generation:
                assert isinstance(result, Counts)
                self.counted.emit(result)
            case ListJob() if job.generation == self.list_generation:
                assert isinstance(result, (Listing, list))
                self.listed.emit(job, result)
            case UnreadJob():
                self.found_unread.emit(job, result)
            case MarkReadJob():
                self.marked.emit(job, result)
            case UndoJob():
                self.undone.emit(job.undo)
            case MarkJob():
                self.saved.emit(job)
            case RuleJob():
                self.rule_set.emit(job, result)
            case StoryJob():
                self.story_found.emit(job, result)
            case VolumeJob() if job.generation == self.list_generation:
                self.volume_found.emit(job, result)
            case TrendsJob():
                self.trends_found.emit(result)
            case _:
                log.debug("dropped the answer to a stale request %r", job)

    @Slot(object, str)
    def _failed(self, job: Job, message: str) -> None:
        self._in_flight = None
        if self._stopped:
            return
        self._dispatch()
        self.failed.emit(job, message)

    # -------------------------------------------------------------- stopping

    def stop(self, timeout_ms: int = 5000, cancel: Callable[[Job], bool] | None = None) -> None:
        """Drop what waits and end the thread. A read that runs is interrupted (nobody
        wants its answer); a write may finish, unless it takes longer than ``timeout_ms``:
        then it is interrupted too (and rolled back) -- or unless ``cancel`` says so of it
        (the user took it back): then it is rolled back at once (when it waits for another
        connection's write lock, as soon as it gets it): :attr:`cancelled` tells."""
        self._cancel = cancel
        super().stop(timeout_ms)

    @property
    def cancelled(self) -> WriteJob | None:
        """The write :meth:`stop` rolled back as its ``cancel`` asked (None: none)."""
        return self._cancelled

    def _stopping(self) -> None:
        self._writes.clear()
        self._reads.clear()
        running, self._in_flight = self._in_flight, None  # its answer, if it comes, is dropped
        if running is not None and not isinstance(running, WRITES):
            self._worker.interrupt()
        elif running is not None and self._cancel is not None and self._cancel(running):
            self._cancelled = running
            self._worker.abandon_writes()

    def _stop_slowly(self, timeout_ms: int) -> bool:
        log.warning("a library write took too long at quit; it was interrupted")
        self._worker.interrupt()
        return self._thread.wait(timeout_ms)


__all__ = [
    "CountJob", "Job", "ListJob", "MarkJob", "MarkReadJob", "Queries", "QueryWorker", "RuleJob", "UndoJob", "UnreadJob", "VolumeJob", "TrendsJob",
    "WriteJob", "write_job",
]  # fmt: skip
