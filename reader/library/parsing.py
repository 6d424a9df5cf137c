"""The parse pool: documents parsed into :class:`Prepared` rows, in this process or in
worker processes (spawned, never forked), batch by batch, stopping quickly when cancelled."""

from __future__ import annotations

import json
import logging
import os
import signal
import sys
from collections.abc import Callable, Generator, Sequence
from typing import Any, NamedTuple, Protocol

from reader import feeds
from reader.article import Document, Problem, Taxonomy
from reader.documents import NewsFields, parse_path, parse_path_lean
from reader.library.codec import _article_values, _news_values

log = logging.getLogger(__name__)

#: At least this many files to parse make a sync use worker processes.
PARALLEL_MIN_FILES = 400


#: Files a worker parses per task (small, so a cancel is quick and progress is smooth).
CHUNK_FILES = 100


class PathFeed(Protocol):
    """Paths to parse that are still being found (a folder scan going on while the first
    ones are parsed)."""

    def take(self, n: int) -> list[str]:
        """Up to ``n`` more paths (fewer only at the end; none when there are no more)."""
        ...

    def advance(self) -> bool:
        """Find a few more paths (called while waiting for the workers); False when all are found."""
        ...


class _Listed:
    """A :class:`PathFeed` of paths all found already."""

    def __init__(self, paths: Sequence[str]) -> None:
        self._paths = paths
        self._next = 0

    def take(self, n: int) -> list[str]:
        taken = list(self._paths[self._next : self._next + n])
        self._next += len(taken)
        return taken

    def advance(self) -> bool:
        return False


class Prepared(NamedTuple):
    """One parsed document, ready to be written (small and cheap to send between processes)."""

    path: str
    kind: str  #: news, text, taxonomy or problem
    id: str | None
    values: tuple[Any, ...] | None  #: article or taxonomy row
    topics: tuple[str, ...] = ()
    problem: str | None = None


def prepare(doc: Document | feeds.Feed | NewsFields, path: str, mtime: int) -> Prepared:
    if isinstance(doc, NewsFields):  # read the lean way
        return Prepared(path, "news", doc.id, _news_values(doc, path, mtime), doc.topics)
    if isinstance(doc, feeds.Feed):  # one file, many articles: expanded by _store
        return Prepared(path, "feed", None, tuple(prepare(a, a.path, mtime) for a in doc.articles))
    if isinstance(doc, Problem):
        return Prepared(path, "problem", None, None, (), doc.reason)
    if isinstance(doc, Taxonomy):
        row = (doc.id, doc.taxonomy, doc.name, doc.domain, doc.description, json.dumps(doc.keywords), json.dumps(doc.parents))
        return Prepared(path, "taxonomy", doc.id, row)
    return Prepared(path, str(doc.kind), doc.id, _article_values(doc, mtime), doc.topics)


def parse_prepared(items: Sequence[tuple[str, int]]) -> list[Prepared]:
    """Parse and prepare documents (run in worker processes): the lean way
    (:func:`reader.documents.parse_path_lean`), which gives the same rows."""
    return [prepare(parse_path_lean(path), path, mtime) for path, mtime in items]


def _init_worker() -> None:
    from reader import documents, fastyaml

    _die_with_parent()
    if hasattr(os, "nice"):
        os.nice(10)  # parsing gives way to the window
    documents.use_fast_yaml(True)
    fastyaml.silence_native_stderr()


def _die_with_parent() -> None:
    """On Linux, have the kernel end this worker when the process that started it ends
    (even by kill -9), so no worker outlives Reader."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL)
        if os.getppid() == 1:  # the parent ended before we asked
            os._exit(1)
    except (OSError, AttributeError):  # pragma: no cover - not Linux after all
        pass


def _default_processes() -> int:
    return max(1, min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1))


def _parse_here(
    todo: Sequence[str],
    found: dict[str, tuple[int, int]],
    batch_size: int,
    is_cancelled: Callable[[], bool],
    parse: Callable[[Sequence[str]], Sequence[Document]] | None,
    *,
    start: Sequence[str] = (),
    done: Sequence[Prepared] = (),
) -> Generator[tuple[list[str], list[Prepared]], None, None]:
    """Parse in this process, batch by batch, asking ``is_cancelled`` every few files.
    ``start`` and ``done``: a first batch already partly parsed elsewhere."""
    if start:
        head = list(todo[: max(0, batch_size - len(start))])
        docs = [parse_path(path) for path in head]
        yield list(start) + head, list(done) + [prepare(d, p, found.get(p, (-1, -1))[1]) for p, d in zip(head, docs, strict=True)]
        todo = todo[len(head) :]
    for first in range(0, len(todo), batch_size):
        if is_cancelled():
            return
        batch = list(todo[first : first + batch_size])
        if parse is not None:
            docs = list(parse(batch))
        else:
            docs = []
            for path in batch:
                if len(docs) % 8 == 0 and is_cancelled():
                    break
                docs.append(parse_path(path))
        yield batch, [prepare(doc, path, found.get(path, (-1, -1))[1]) for path, doc in zip(batch, docs, strict=False)]  # (fewer when cancelled)


def _parse_in_processes(
    todo: Sequence[str] | PathFeed,
    found: dict[str, tuple[int, int]],
    batch_size: int,
    is_cancelled: Callable[[], bool],
    processes: int,
) -> Generator[tuple[list[str], list[Prepared]], None, None]:
    """Parse in worker processes (spawned: never fork a process with threads or Qt),
    yielding results in order, a batch at a time; stops quickly when cancelled. ``todo``
    may be a :class:`PathFeed` still finding paths: the workers start on the first ones,
    and the feed goes on (:meth:`PathFeed.advance`) while this process waits for them."""
    import multiprocessing
    from collections import deque
    from concurrent.futures import Future, ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    feed = _Listed(todo) if isinstance(todo, Sequence) else todo
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(max_workers=processes, mp_context=context, initializer=_init_worker)
    in_flight: deque[tuple[list[str], Future[list[Prepared]]]] = deque()
    ahead = processes * 3
    more = True
    answered = False  # (a worker has sent back its first chunk)
    batch: list[str] = []
    prepared: list[Prepared] = []
    try:
        while True:
            while more and len(in_flight) < ahead:
                chunk = feed.take(CHUNK_FILES)
                if not chunk:
                    more = False
                    break
                items = [(path, found.get(path, (-1, -1))[1]) for path in chunk]
                in_flight.append((chunk, pool.submit(parse_prepared, items)))
            if not in_flight:
                break
            if is_cancelled():
                return
            chunk, future = in_flight.popleft()
            # The scan goes on while this process waits -- once the workers have started (the
            # scan would take the processor from their start-up).
            while answered and not future.done() and feed.advance():
                pass
            batch += chunk
            try:
                prepared += future.result()
                answered = True
            except BrokenProcessPool as error:  # workers could not start or died: go on here
                log.warning("parsing in worker processes failed (%s); parsing in this process", error)
                rest = chunk + [p for c, _f in in_flight for p in c] + feed.take(sys.maxsize)
                in_flight.clear()
                batch = batch[: len(batch) - len(chunk)]
                yield from _parse_here(rest, found, batch_size, is_cancelled, None, start=batch, done=prepared)
                return
            if len(batch) >= batch_size or not in_flight:
                yield batch, prepared
                batch, prepared = [], []
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
