"""Sync: bring the library up to date with the files under some paths (scan, parse,
store in batches), keep the full-text index up to date, and group new articles into stories."""

from __future__ import annotations

import functools
import itertools
import json
import logging
import os
import sqlite3
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from contextlib import ExitStack, closing, nullcontext
from typing import Any, Concatenate, ParamSpec, TypeVar

from reader import feeds, stories
from reader.article import Document, Problem
from reader.filenames import restored, shown, stored
from reader.library import rules
from reader.library.codec import _ARTICLE_COLUMNS, _IN_JSON, _INSERT_ARTICLE
from reader.library.database import _Database, _is_corruption, bulk_load
from reader.library.parsing import (
    PARALLEL_MIN_FILES,
    Prepared,
    _default_processes,
    _parse_here,
    _parse_in_processes,
)
from reader.library.reading import _file_scope_sql
from reader.library.schema import FTS_ALL, index_articles
from reader.library.values import LibraryError, Scope, SyncBatch, SyncReport, make_scope
from reader.scan import is_walked, iter_document_paths

log = logging.getLogger(__name__)

#: At least this many files to parse make a sync index search text in bulk ...
BULK_INDEX_MIN_FILES = 1000


#: ... every this many new articles (and at the end).
BULK_INDEX_STEP = 20_000


#: A big sync (:data:`BULK_INDEX_MIN_FILES` or more files to read) into a library holding at
#: most one article for this many of them is a first import: it builds the secondary indexes
#: of the list entries and of the files after loading, in bulk (see :meth:`_Sync._defer_indexes`).
#: (When it parses files as the scan finds them, the files found when parsing starts count.)
FIRST_IMPORT_RATIO = 4


#: The tables whose secondary indexes a first import builds at its end. (The topics' index by
#: article is kept: changing an article looks its topics up by it, and the counts name it.)
_DEFERRED_TABLES = ("entries", "files")
#: Indexes of those tables a first import keeps up to date all the same: the list's own order,
#: newest first, which the window shows (and the timeline and trends read) while the import
#: goes on — without it each refresh of the list sorts every article loaded so far. Dates
#: mostly arrive in order (a folder's files sort by date), so keeping it costs little.
_KEPT_INDEXES = ("entries_newest",)


_ARTICLE_KINDS = frozenset({"news", "text"})


_UPSERT_FILE = (
    "INSERT INTO files(path, size, mtime, kind, article, problem) VALUES (?, ?, ?, ?, ?, ?) "
    "ON CONFLICT(path) DO UPDATE SET size = excluded.size, mtime = excluded.mtime, "
    "kind = excluded.kind, article = excluded.article, problem = excluded.problem"
)


#: The keys in ``meta`` of the articles syncs are to drop at their end (see :meth:`_Sync._leave`):
#: each sync notes its own under ``leaving:<process id>:<process start>:<token>``, so that a
#: sync that ends (in this process or another: a second window, a ``reader`` command) leaves
#: those of a sync still running to it (:func:`_owner_running`). (``leaving`` alone: a note
#: of a Reader from before, which had one for every sync.)
_LEAVING = "leaving"
#: The tokens of the syncs running in this process: a note of this process under another
#: token is one a sync that raised left to the next sync.
_RUNNING: set[str] = set()


#: The columns an article read again may change (all but its id).
_PUT_COLUMNS = _ARTICLE_COLUMNS.split(", ")[1:]
#: Those that say which file it was read from: no story takes anything from them.
_WHERE_FROM = frozenset({"path", "source_mtime"})


_INSERT_TOPIC = "INSERT OR IGNORE INTO article_topics(topic, article) SELECT ?, rowid FROM articles WHERE id = ?"


_P = ParamSpec("_P")
_T = TypeVar("_T")


def _running(method: Callable[Concatenate[Any, _P], _T]) -> Callable[Concatenate[Any, _P], _T]:
    """:meth:`_Sync.sync`, with the key of the articles it is to drop (:data:`_LEAVING`) and
    counted among the syncs running in this process until it ends, whichever way (cancelled,
    done, or raising: its note is then left to the next sync)."""

    @functools.wraps(method)
    def run(self: Any, /, *args: _P.args, **kwargs: _P.kwargs) -> _T:
        token = uuid.uuid4().hex
        self._leaving_key = f"{_LEAVING}:{_this_process()}:{token}"
        _RUNNING.add(token)
        try:
            return method(self, *args, **kwargs)
        finally:
            _RUNNING.discard(token)

    return run


class _Sync(_Database):
    """Sync, the full-text index and grouping (methods of :class:`reader.library.Library`)."""

    #: During a sync, the articles that may be left as another file's copy than their
    #: newest's (:meth:`_settle`).
    _unsettled: set[str]
    #: During a sync, the articles that lost their last file, to leave at its end unless a
    #: file read meanwhile carries them (:meth:`_leave`).
    _leaving: set[str]
    #: During a sync, the key in ``meta`` it notes those under (:data:`_LEAVING`).
    _leaving_key: str

    def _fts_upto(self) -> int:
        return int(self._db.execute("SELECT value FROM meta WHERE key = 'fts_upto'").fetchone()[0])

    def _defer_fts(self) -> None:
        """From now on, new articles are indexed in bulk by :meth:`_index_pending`."""
        if self._fts_upto() == FTS_ALL:
            with self._transaction() as db:
                db.execute(
                    "UPDATE meta SET value = (SELECT coalesce(max(rowid), 0) FROM articles) WHERE key = 'fts_upto'"
                )

    def _index_pending(self, *, finish: bool) -> None:
        """Add the articles not yet in the full-text index to it, in one statement (and,
        when ``finish``, index new articles one by one again)."""
        upto = self._fts_upto()
        if upto == FTS_ALL:
            return
        with self._transaction() as db:
            if upto == 0:
                db.execute("INSERT INTO articles_fts(articles_fts) VALUES ('delete-all')")
            index_articles(db, upto)
            new_upto = FTS_ALL if finish else db.execute("SELECT coalesce(max(rowid), 0) FROM articles").fetchone()[0]
            db.execute("UPDATE meta SET value = ? WHERE key = 'fts_upto'", (new_upto,))

    def _deferred_indexes(self) -> dict[str, str]:
        """The indexes a first import dropped and has not built yet: {name: its CREATE INDEX}."""
        row = self._db.execute("SELECT value FROM meta WHERE key = 'deferred_indexes'").fetchone()
        return dict(json.loads(row[0])) if row else {}

    def _held(self) -> int:
        """How many articles the library holds."""
        return int(self._db.execute("SELECT count(*) FROM entries").fetchone()[0])

    def _defer_indexes(self) -> None:
        """A first import: drop the secondary indexes of the list entries and the files now
        (but :data:`_KEPT_INDEXES`),
        to be built in bulk by :meth:`_build_deferred_indexes` at its end (several times
        cheaper than keeping them up to date row by row, like the full-text index). Their
        definitions are kept in ``meta`` in the same transaction, so a sync killed part-way
        leaves a library that the next open completes; queries meanwhile give the same
        results, only more slowly."""
        with self._transaction() as db:
            deferred = self._deferred_indexes()
            present = db.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN "
                f"({', '.join('?' * len(_DEFERRED_TABLES))}) AND name NOT IN ({', '.join('?' * len(_KEPT_INDEXES))})",
                _DEFERRED_TABLES + _KEPT_INDEXES,
            ).fetchall()
            if not present:
                return
            deferred.update(present)
            db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('deferred_indexes', ?)", (json.dumps(deferred),))
            for name, _sql in present:
                db.execute(f'DROP INDEX "{name}"')

    def _build_deferred_indexes(self) -> None:
        """Build the indexes a first import dropped (:meth:`_defer_indexes`), in one transaction."""
        if not self._deferred_indexes():
            return
        with self._transaction() as db:
            present = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
            for name, sql in self._deferred_indexes().items():
                if name not in present:
                    db.execute(sql)
            db.execute("DELETE FROM meta WHERE key = 'deferred_indexes'")

    def _unindexed(self) -> int:
        upto = self._fts_upto()
        if upto == FTS_ALL:
            return 0
        # max(rowid) is one index lookup; new rowids only grow, so this counts them closely enough
        return int(self._db.execute("SELECT coalesce(max(rowid), 0) FROM articles").fetchone()[0]) - upto

    @_running
    def sync(
        self,
        paths: Iterable[str | os.PathLike[str]],
        *,
        progress: Callable[[SyncBatch], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
        batch_size: int = 200,
        parse: Callable[[Sequence[str]], Sequence[Document]] | None = None,
        processes: int | None = None,
        gone_ok: bool = False,
        group: bool = True,
    ) -> SyncReport:
        """Bring the library up to date with the documents under ``paths``.

        Unchanged files (same size and modification time) are not read again; new and
        changed files are parsed; files that are gone leave the index, and their articles
        that no other file carries leave once the sync has read every file (or is
        cancelled): an article whose file was renamed or moved keeps its row. Each batch is committed before ``progress`` is
        called with it; ``cancelled`` is asked while scanning and between documents, so a
        sync stops within a few documents of being cancelled (what was committed stays).
        A path that does not exist is a problem, unless ``gone_ok``: then what the library
        had from it is simply forgotten.

        New articles are grouped into stories at the end, unless not ``group``: then the
        caller runs :meth:`group_stories` when it suits (the window does it after a load,
        in the background). Until then, articles that changed or left keep the stories as
        last grouped (see :func:`reader.stories.forget`), and new ones are in none.

        Many files (:data:`PARALLEL_MIN_FILES` or more) are parsed in ``processes`` worker
        processes (default: one per core), which use the fast YAML reader and build the
        rows of a news document straight from its fields (the lean way of
        :func:`reader.documents.parse_path_lean`: the same rows as the full way); this
        process stores finished batches while the workers parse the next few. ``parse``, a
        hook for tests, replaces the parsing and keeps it in this process.
        """
        started = time.monotonic()
        is_cancelled = cancelled or (lambda: False)
        roots = make_scope(paths)
        scan_problems: list[Problem] = []

        def unreadable(path: str, error: OSError) -> None:
            if gone_ok and isinstance(error, FileNotFoundError) and path in roots:
                return  # (what it held is forgotten below)
            scan_problems.append(Problem(os.path.abspath(path), f"folder could not be read: {error.strerror or error}"))

        self._unsettled = set()
        self._leaving = set()
        settled: set[str] = set()  # (files read again by _settle)
        known = {row[0]: (row[1], row[2]) for row in self._files_in(roots)}
        scan = _Scan(roots, known, unreadable)
        found, todo = scan.found, scan.todo
        # Into a part of the library that is empty (nothing there can be gone), many files are
        # parsed as they are found: the workers start while the scan goes on.
        streaming = not known and parse is None and (processes or _default_processes()) > 1
        enough = max(PARALLEL_MIN_FILES, BULK_INDEX_MIN_FILES)
        held: int | None = None  # (articles in the library, when asked)
        while scan.advance():
            if is_cancelled():
                return SyncReport(files=scan.files, cancelled=True, seconds=time.monotonic() - started)
            if streaming and len(todo) >= enough:
                if held is None:  # enough to tell a first import as below
                    held = self._held()
                    enough = max(enough, held * FIRST_IMPORT_RATIO)
                if len(todo) >= enough:
                    break
        gone = [] if not scan.finished else [p for p in known if p not in found and feeds.feed_of(p) not in found]
        total = scan.files
        unchanged = done = total - len(todo)

        removed: tuple[str, ...] = ()
        forgotten = 0  # (copies outside ``paths`` found gone when they were to be read again)
        if gone:
            with self._transaction():
                reread = self._forget_files(gone)
                self._mark_unsettled(self._unsettled)
            # (may lie outside ``paths``: a copy synced from elsewhere)
            reread, forgotten = self._still_there(reread, found)
            todo.extend(p for p in reread if p not in scan.queued)
            scan.queued.update(reread)
        if not todo:  # no file to read could carry the articles whose files are gone
            removed = self._drop_leaving()
        if progress and (removed or scan_problems or not todo):
            progress(SyncBatch(done=done, total=total, removed=removed, problems=tuple(scan_problems)))
        told = len(scan_problems)  # (reported)

        parsed = problems = 0
        cancel = False
        queued = scan.queued
        pending = todo
        bulk = len(todo) >= BULK_INDEX_MIN_FILES
        with bulk_load(self._file_id) if bulk else nullcontext(), ExitStack() as loading:  # (other connections leave the indexes to this one)
            if bulk and (self._held() if held is None else held) * FIRST_IMPORT_RATIO <= len(todo):  # a first import
                self._defer_indexes()
                loading.enter_context(self._loading())  # (commits not synced one by one until the end)
            if bulk:
                self._defer_fts()
            while pending and not cancel:
                parallel = parse is None and len(pending) >= PARALLEL_MIN_FILES and (processes or _default_processes()) > 1
                feed = scan if pending is todo and not scan.finished else pending  # (finds the rest meanwhile)
                batches = (
                    _parse_in_processes(feed, found, batch_size, is_cancelled, processes or _default_processes())
                    if parallel
                    else _parse_here(pending, found, batch_size, is_cancelled, parse)
                )
                rereads: list[str] = []
                before = parsed
                with closing(batches):
                    for batch, prepared in batches:
                        if len(prepared) < len(batch):  # cancelled part-way: keep what was read
                            batch = batch[: len(prepared)]
                            cancel = True
                        if not batch:
                            cancel = True
                            break
                        try:
                            with self._transaction():
                                changed, reread, updated = self._store(prepared, found)
                        except Exception as error:
                            if not _is_document_failure(error):
                                raise
                            # One document could not be stored: store them one by one, and
                            # that one becomes a problem (the others are stored as usual).
                            prepared, (changed, reread, updated) = self._store_each(prepared, found)
                        # another file now supplies an article this batch dropped
                        reread, gone_copies = self._still_there([p for p in reread if p not in queued], found)
                        queued.update(reread)
                        rereads += reread
                        forgotten += gone_copies
                        batch_problems = tuple(Problem(p.path, p.problem or "") for p in prepared if p.kind == "problem")
                        parsed += len(batch)
                        problems += len(batch_problems)
                        if len(scan_problems) > told:  # folders the scan could not read since
                            batch_problems += tuple(scan_problems[told:])
                            told = len(scan_problems)
                        total = scan.files
                        done = min(total, done + len(batch))
                        if self._unindexed() >= BULK_INDEX_STEP:  # keep search close behind the load
                            self._index_pending(finish=False)
                        if progress:
                            progress(SyncBatch(done, total, changed, (), batch_problems, len(batch)))
                        if cancel or is_cancelled():
                            cancel = True
                            break
                if parsed - before < len(pending):  # the parser stopped early: cancelled
                    cancel = True
                if not rereads and not cancel:
                    rereads, gone_copies = self._settle(found, settled)
                    forgotten += gone_copies
                pending = rereads
            loading.close()  # (the last commits, below, are synced, and every batch before them)
            self._build_deferred_indexes()
            # Every file is read (or the sync was cancelled): what no file carries now leaves.
            left = self._drop_leaving()
            if progress and left:
                progress(SyncBatch(done, scan.files, removed=left))
            self._index_pending(finish=True)
        total = scan.files
        if group:
            self.group_stories(is_cancelled)
        return SyncReport(
            files=total,
            parsed=parsed,
            unchanged=unchanged,
            removed_files=len(gone) + forgotten,
            problems=problems + len(scan_problems),
            cancelled=cancel,
            seconds=time.monotonic() - started,
        )

    def sync_changes(
        self, changed: Iterable[str | os.PathLike[str]], roots: Iterable[str | os.PathLike[str]], **options: Any
    ) -> SyncReport:
        """Bring the library up to date with just the ``changed`` paths (files or folders
        added, changed or removed, as a folder watcher reports them) under ``roots``: only
        those are looked at, so one changed file among 100,000 is one file read. Paths a sync
        of ``roots`` would not read (outside them, hidden, not documents) are ignored.
        ``options`` are those of :meth:`sync`."""
        scope = make_scope(roots)
        paths = [p for p in dict.fromkeys(make_scope(changed)) if is_walked(p, scope)]
        if not paths:
            return SyncReport()
        return self.sync(paths, gone_ok=True, **options)

    def group_stories(
        self, cancelled: Callable[[], bool] = lambda: False, progress: Callable[[int, int], None] | None = None
    ) -> int:
        """Bring the stories up to date (:mod:`reader.stories`): the articles in no story yet,
        or the whole library when articles left or changed. ``progress(done, total)`` is
        called as it goes; ``cancelled`` is asked in between (nothing is written then).
        Returns how many articles were grouped."""
        return stories.group(self._db, self._transaction, progress, cancelled)

    def _files_in(self, scope: Scope) -> list[tuple[str, int, int]]:
        where, params = _file_scope_sql(scope, "path")
        rows = self._db.execute(f"SELECT path, size, mtime FROM files WHERE {where}", params).fetchall()
        return [(restored(path), size, mtime) for path, size, mtime in rows]

    def _forget_files(self, paths: Sequence[str]) -> list[str]:
        """Drop ``paths`` from the index; their articles that no other file carries leave
        at the end of the sync (:meth:`_leave`). Returns the files to read again because
        they now carry an article whose source went away."""
        db = self._db
        names = json.dumps([stored(path) for path in paths])
        ids = {row[0] for row in db.execute(_IN_JSON.format("SELECT article FROM files WHERE path IN"), (names,)) if row[0]}
        db.execute(_IN_JSON.format("DELETE FROM files WHERE path IN"), (names,))
        return self._drop_orphans(ids)

    def _drop_orphans(self, ids: Iterable[str]) -> list[str]:
        """The articles ``ids`` lost a file: those no file carries any more are to leave
        (:meth:`_leave`); returns the files to read again because they now carry an article
        whose copy is not the newest left (its source went away, or a newer copy than its
        source, yet to be read again, did: the newest copy left is then read again)."""
        db = self._db
        orphans: list[str] = []
        held: list[str] = []
        for article_id in sorted(ids):
            if db.execute("SELECT 1 FROM files WHERE article = ? LIMIT 1", (article_id,)).fetchone() is None:
                orphans.append(article_id)
            else:
                held.append(article_id)
        reread = self._unsettled_files(held)
        # (read again by _settle too, should this sync have read that file already)
        self._unsettled.update(held)
        self._leave(orphans)
        return reread

    def _leave(self, ids: Sequence[str]) -> None:
        """The articles ``ids`` lost their last file: they leave the library at the end of the
        sync (:meth:`_drop_leaving`), once it has read every file, unless one of those carries
        them (the file renamed or moved, a copy in another file): then its text replaces
        theirs in their row (:meth:`_put_article`), so they keep their rowid, and a list shown
        before still names them. Noted in ``meta`` too, under this sync's own key, in the
        caller's transaction, so that a sync that stops before its end (killed, or raising)
        leaves them to the next one, and another that ends meanwhile leaves them alone."""
        if not ids:
            return
        self._leaving.update(ids)
        self._db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (self._leaving_key, json.dumps(sorted(self._leaving))))

    def _drop_leaving(self) -> tuple[str, ...]:
        """The articles to leave (:meth:`_leave`: this sync's, and any noted by a sync no
        longer running, in this process or another: stopped before its end; but not those of
        another sync still running) that no file carries now leave, in one transaction;
        returns their ids."""
        notes_sql = f"SELECT key, value FROM meta WHERE key = '{_LEAVING}' OR key LIKE '{_LEAVING}:%'"
        if not self._leaving and not self._db.execute(notes_sql).fetchone():
            return ()
        removed: list[str] = []
        with self._transaction() as db:
            notes: list[tuple[str, str]] = []
            theirs: set[str] = set()  # (left to those syncs, which may yet read a file that carries them)
            for key, value in db.execute(notes_sql).fetchall():
                if key == self._leaving_key or not _owner_running(key):
                    notes.append((key, value))
                else:
                    theirs.update(json.loads(value))
            ids = sorted(self._leaving.union(*(json.loads(value) for _key, value in notes)) - theirs)
            orphans = [i for i in ids if db.execute("SELECT 1 FROM files WHERE article = ? LIMIT 1", (i,)).fetchone() is None]
            touched = stories.stories_of(db, orphans) if orphans else set()  # (asked while they are there)
            for article_id in orphans:
                if db.execute("DELETE FROM articles WHERE id = ?", (article_id,)).rowcount:
                    removed.append(article_id)
                db.execute("DELETE FROM taxonomy WHERE id = ?", (article_id,))
            if removed:
                stories.forget(db, (), stories=touched)  # (their stories stay, without them, until grouped again)
            db.executemany("DELETE FROM meta WHERE key = ?", [(key,) for key, _value in notes])
        self._leaving.clear()
        return tuple(removed)

    def _newest_holder(self, article_id: str) -> str | None:
        """The path (of a file, or of a feed's entry) of the newest copy of the article."""
        newest = self._newest_copy(article_id)
        return None if newest is None else newest[0]

    def _newest_copy(self, article_id: str) -> tuple[str, int] | None:
        """(path, mtime) of the newest copy of the article: the most recently modified file
        that carries it, then the path that sorts first."""
        row = self._db.execute(
            "SELECT path, mtime FROM files WHERE article = ? ORDER BY mtime DESC, path LIMIT 1", (article_id,)
        ).fetchone()
        return None if row is None else (restored(row[0]), int(row[1]))

    def _unsettled_files(self, ids: Iterable[str]) -> list[str]:
        """The files (a feed's entry: its feed file) of the newest copies of the articles
        ``ids`` that are not (yet) the article's copy."""
        paths: list[str] = []
        for article_id in sorted(ids):
            source = self._db.execute("SELECT path, source_mtime FROM articles WHERE id = ?", (article_id,)).fetchone()
            newest = self._newest_copy(article_id)
            if source is None or newest is None or (restored(source[0]), source[1]) == newest:
                continue
            paths.append(feeds.feed_of(newest[0]) or newest[0])
        return paths

    def _mark_unsettled(self, ids: Iterable[str]) -> None:
        """In the transaction that left an article of ``ids`` as another copy than its newest
        file's (:attr:`_unsettled`): that file counts as changed (its size is forgotten) until
        it is read again, so that a sync stopped before then (cancelled, a crash) leaves it
        for the next sync to read."""
        for path in self._unsettled_files(self._unsettled.intersection(ids)):
            self._db.execute("UPDATE files SET size = -1 WHERE path = ?", (stored(path),))

    def _settle(self, found: dict[str, tuple[int, int]], settled: set[str]) -> tuple[list[str], int]:
        """The files to read again, though this sync may have read them already, so that each
        article that may be left as another copy than its newest file's as it is now
        (:attr:`_unsettled`) becomes that: the most recently modified file wins, whatever
        order the sync read them in. Each file is read again so at most once a sync (``settled``).
        A file that is gone is forgotten instead (see :meth:`_still_there`, which also
        gives the other value returned)."""
        keep: list[str] = []
        forgotten = 0
        # (a file found gone may leave another article as another copy than its newest)
        while self._unsettled and not keep:
            paths: list[str] = []
            for path in dict.fromkeys(self._unsettled_files(self._unsettled)):
                if path not in settled:
                    settled.add(path)
                    paths.append(path)
            self._unsettled.clear()
            keep, gone = self._still_there(paths, found)
            forgotten += gone
        return keep, forgotten

    def _still_there(self, paths: Iterable[str], found: dict[str, tuple[int, int]]) -> tuple[list[str], int]:
        """Of ``paths``, files the library knows that are to be read again (copies of an
        article, which may lie outside the synced paths), those still there, with their
        signatures noted in ``found``. A file that is gone is forgotten, as a sync of its
        folder would do (its articles leave, unless another copy carries them: that copy is
        looked at in turn). Returns the files to read and how many files were forgotten."""
        keep: list[str] = []
        forgotten = 0
        todo = list(dict.fromkeys(paths))  # (one feed file per entry that lost its copy: once)
        while todo:
            path = todo.pop(0)
            if not _is_gone(path):
                found.setdefault(path, _signature(path))
                keep.append(path)
                continue
            low, high = feeds.entry_range(stored(path))  # (a feed file: its entries' rows too)
            rows = self._db.execute("SELECT path FROM files WHERE path >= ? AND path < ?", (low, high)).fetchall()
            with self._transaction():
                reread = self._forget_files([path, *(restored(row[0]) for row in rows)])
                self._mark_unsettled(self._unsettled)
            forgotten += 1
            todo += [p for p in reread if p not in keep and p not in todo]
        return keep, forgotten

    def _store(
        self, batch: Sequence[Prepared], found: dict[str, tuple[int, int]]
    ) -> tuple[tuple[str, ...], list[str], list[str]]:
        """Write one parsed batch: files, taxonomy, articles (new ones in bulk), topics; the
        stories of articles changed are told (:func:`reader.stories.forget`); articles no
        file carries any more are to leave (:meth:`_leave`). Returns the ids of articles
        added or changed, the files to read again, and the ids of the articles that were in
        the library and changed."""
        db = self._db
        now = time.time()
        batch, dropped = _expand_feeds(db, batch, found)
        paths = json.dumps([stored(p.path) for p in batch])
        previous = {row[0]: row[1] for row in db.execute(_IN_JSON.format("SELECT path, article FROM files WHERE path IN"), (paths,))}
        files = []
        for item in batch:
            size, mtime = found.get(item.path, (-1, -1))
            files.append((stored(item.path), size, mtime, item.kind, item.id, item.problem and shown(item.problem)))
        db.executemany(_UPSERT_FILE, files)
        taxonomies = [item.values for item in batch if item.kind == "taxonomy" and item.values]
        if taxonomies:
            db.executemany(
                "INSERT OR REPLACE INTO taxonomy(id, taxonomy, name, domain, description, keywords, parents) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                taxonomies,
            )
        articles = [item for item in batch if item.kind in _ARTICLE_KINDS and item.values]
        existing = {
            row[0]
            for row in db.execute(_IN_JSON.format("SELECT id FROM articles WHERE id IN"), (json.dumps([a.id for a in articles]),))
        }
        fresh: list[Prepared] = []
        again: list[Prepared] = []
        for item in articles:
            (again if item.id in existing else fresh).append(item)
            existing.add(item.id)  # a second copy in this batch takes the careful path
        if fresh:
            db.executemany(_INSERT_ARTICLE, [(*(item.values or ()), now) for item in fresh])
            db.executemany(_INSERT_TOPIC, [(topic, item.id) for item in fresh for topic in item.topics])
            rules.apply_to_arriving(db, [item.id for item in fresh if item.id])  # (the user's rules, same transaction)
        before = stories.row_values(db, [item.id for item in again if item.id]) if again else None
        put = [(item.id, self._put_article(item)) for item in again]
        updated = [i for i, columns in put if columns is not None]
        changed = [item.id for item in fresh] + updated
        stale = ({old for old in previous.values() if old} | dropped) - {item.id for item in batch if item.id}
        reread = self._drop_orphans(stale)
        self._mark_unsettled({item.id for item in batch if item.id} | stale)
        # (grouped again after the sync, or by the caller; an article read from another file
        # alone, moved or renamed, changes no story: the caller hears of it all the same)
        stories.forget(db, [i for i, columns in put if i and columns and not columns <= _WHERE_FROM], before)
        return tuple(dict.fromkeys(i for i in changed if i)), reread, [i for i in updated if i]

    def _store_each(
        self, batch: Sequence[Prepared], found: dict[str, tuple[int, int]]
    ) -> tuple[list[Prepared], tuple[tuple[str, ...], list[str], list[str]]]:
        """:meth:`_store` one document at a time, each in a savepoint:
        a document that fails is stored as a problem with the reason. Returns the batch as
        stored and what :meth:`_store` returns for all of it."""
        stored: list[Prepared] = []
        changed: list[str] = []
        reread: list[str] = []
        updated: list[str] = []
        with self._transaction() as db:
            for item in batch:
                db.execute("SAVEPOINT document")
                try:
                    result = self._store([item], found)
                except Exception as error:
                    if not _is_document_failure(error):
                        raise
                    db.execute("ROLLBACK TO document")
                    log.info("%s could not be stored: %s", item.path, error, exc_info=error)
                    if item.kind == "feed" and item.values:  # a feed file: only its bad entries
                        result, problems = self._store_feed_apart(item, found)
                        stored.extend(problems)
                    else:
                        item = Prepared(item.path, "problem", None, None, (), _one_line(f"could not be stored: {error}"))
                        try:
                            result = self._store([item], found)
                        except Exception as again:  # not even as a problem: reported, not kept
                            if not _is_document_failure(again):
                                raise
                            db.execute("ROLLBACK TO document")
                            log.warning("%s could not be stored, not even as a problem: %s", shown(item.path), again)
                            result = ((), [], [])
                db.execute("RELEASE document")
                stored.append(item)
                changed += result[0]
                reread += result[1]
                updated += result[2]
        return stored, (tuple(dict.fromkeys(changed)), reread, updated)

    def _store_feed_apart(
        self, feed: Prepared, found: dict[str, tuple[int, int]]
    ) -> tuple[tuple[tuple[str, ...], list[str], list[str]], list[Prepared]]:
        """Store a feed file one of whose entries cannot be stored: each entry is tried alone
        (and undone), then the feed is stored with the good ones and each bad one becomes a
        problem of its own. Returns what :meth:`_store` returns, and the problems."""
        db = self._db
        entries: tuple[Prepared, ...] = feed.values or ()
        bad: dict[str, str] = {}
        for entry in entries:
            found.setdefault(entry.path, found.get(feed.path, (-1, -1)))
            db.execute("SAVEPOINT entry")
            try:
                self._store([entry], found)
            except Exception as error:
                if not _is_document_failure(error):
                    raise
                bad[entry.path] = _one_line(f"could not be stored: {error}")
            db.execute("ROLLBACK TO entry")
            db.execute("RELEASE entry")
        good = tuple(entry for entry in entries if entry.path not in bad)
        result = self._store([feed._replace(values=good)], found)
        problems = [Prepared(path, "problem", None, None, (), reason) for path, reason in bad.items()]
        if problems:
            self._store(problems, found)
        return result, problems

    def _put_article(self, item: Prepared) -> set[str] | None:
        """Update an article already in the library from ``item``: returns the columns that
        changed (of :data:`_PUT_COLUMNS`), or None when a newer file already supplies it."""
        db = self._db
        assert item.values is not None
        article_id, path, mtime = item.values[0], item.values[1], item.values[2]
        existing = db.execute(f"SELECT rowid, {', '.join(_PUT_COLUMNS)} FROM articles WHERE id = ?", (article_id,)).fetchone()
        if existing is None:  # pragma: no cover - callers check; kept for safety
            db.executemany(_INSERT_ARTICLE, [(*item.values, time.time())])
            db.executemany(_INSERT_TOPIC, [(topic, article_id) for topic in item.topics])
            return set(_PUT_COLUMNS)
        # The same order as _newest_copy: the latest mtime, then the path that sorts first.
        if existing[1] != path:
            holder = db.execute("SELECT mtime FROM files WHERE path = ? AND article = ?", (existing[1], article_id)).fetchone()
            if holder or self._newest_copy(article_id) != (restored(path), mtime):
                # Another copy than the article's, as the file is now: whichever of the two
                # wins, a third copy the library knows may be newer still (this file was the
                # newest, read again by _settle, and is older now; the article's file carries
                # another article now, and a copy not read in this sync is newer).
                self._unsettled.add(article_id)
            if holder and (holder[0] > mtime or (holder[0] == mtime and existing[1] < path)):
                return None
        elif mtime < existing[2]:  # its own file, older than when it was read (restored): another may be newer
            newest = self._newest_holder(article_id)
            if newest is not None and newest != restored(path):
                # Its text, as the file is now, is the article's until that file's copy, read
                # again (_settle), replaces it; until then that file counts as changed (_store).
                self._unsettled.add(article_id)
        rowid = existing[0]
        # Only what differs: a file moved changes its path, not the searched text (whose
        # index the trigger would write again for each column named).
        changed = [(c, new) for c, new, old in zip(_PUT_COLUMNS, item.values[1:], existing[1:], strict=True) if new != old]
        if changed:
            assignments = ", ".join(f"{c} = ?" for c, _ in changed)
            db.execute(f"UPDATE articles SET {assignments} WHERE rowid = ?", (*(new for _, new in changed), rowid))
        db.execute("DELETE FROM article_topics WHERE article = ?", (rowid,))
        db.executemany("INSERT OR IGNORE INTO article_topics(topic, article) VALUES (?, ?)", [(t, rowid) for t in item.topics])
        return {c for c, _ in changed}


class _Scan:
    """The files under the synced paths, found a slice at a time (a :class:`PathFeed`), so
    that parsing can start before the scan ends: ``found`` holds the signature of every file
    found so far, ``todo`` those whose signature is not the one ``known``."""

    #: Files looked at per step.
    STEP = 256

    def __init__(self, roots: Scope, known: dict[str, tuple[int, int]], on_error: Callable[[str, OSError], None]) -> None:
        self.found: dict[str, tuple[int, int]] = {}
        self.todo: list[str] = []
        self.queued: set[str] = set()  #: in ``todo``, or queued for parsing by the sync
        self.files = 0  #: found so far (``found`` may hold other files the sync reads again)
        self.finished = False
        self._known = known
        self._paths = iter_document_paths(roots, on_error=on_error)
        self._taken = 0

    def advance(self) -> bool:
        """Look at the next few files; False once every file was found."""
        if self.finished:
            return False
        looked = 0
        for path in itertools.islice(self._paths, self.STEP):
            looked += 1
            signature = self.found[path] = _signature(path)
            if self._known.get(path) != signature and path not in self.queued:
                self.todo.append(path)
                self.queued.add(path)
        self.files += looked
        self.finished = looked < self.STEP
        return not self.finished

    def take(self, n: int) -> list[str]:
        """The next ``n`` files to parse (scanning on as needed)."""
        while len(self.todo) - self._taken < n and self.advance():
            pass
        taken = self.todo[self._taken : self._taken + n]
        self._taken += len(taken)
        return taken


def _expand_feeds(
    db: sqlite3.Connection, batch: Sequence[Prepared], found: dict[str, tuple[int, int]]
) -> tuple[list[Prepared], set[str]]:
    """A parsed feed file becomes a file row of its own plus one row per entry (under
    :func:`reader.feeds.entry_path`); entries a feed file no longer has (or all of them,
    when it is no longer a readable feed) are dropped. Returns the batch to store and the
    ids of the dropped entries' articles."""
    paths = json.dumps([stored(item.path) for item in batch])
    was_feed = {restored(row[0]) for row in db.execute(_IN_JSON.format("SELECT path FROM files WHERE kind = 'feed' AND path IN"), (paths,))}
    if not was_feed and all(item.kind != "feed" for item in batch):
        return list(batch), set()
    out: list[Prepared] = []
    dropped: set[str] = set()
    for item in batch:
        if item.kind != "feed":
            out.append(item)
            if item.path not in was_feed:
                continue
        entries: tuple[Prepared, ...] = item.values or () if item.kind == "feed" else ()
        if item.kind == "feed":
            out.append(item._replace(values=None))
            for entry in entries:
                found[entry.path] = found.get(item.path, (-1, -1))
            out.extend(entries)
        kept = {stored(entry.path) for entry in entries}
        low, high = feeds.entry_range(stored(item.path))
        for path, article in db.execute("SELECT path, article FROM files WHERE path >= ? AND path < ?", (low, high)).fetchall():
            if path not in kept:
                db.execute("DELETE FROM files WHERE path = ?", (path,))
                if article:
                    dropped.add(article)
    return out, dropped


def _this_process() -> str:
    """``<id>:<start>`` of this process, as :data:`_LEAVING` names it."""
    import psutil  # (only when syncing: not on every start)

    pid = os.getpid()
    return f"{pid}:{psutil.Process(pid).create_time():.2f}"


def _owner_running(key: str) -> bool:
    """Whether the sync that noted the articles to drop under ``key`` (:data:`_LEAVING`) still
    runs: one of this process still counted among :data:`_RUNNING`, or another process with
    the id noted, started when noted (not one given that id since) and not ended."""
    parts = key.split(":")
    if len(parts) != 4:  # (a Reader's from before: it noted no owner)
        return False
    try:
        pid, started = int(parts[1]), float(parts[2])
    except ValueError:
        return False
    if pid == os.getpid():
        return parts[3] in _RUNNING
    import psutil

    try:
        process = psutil.Process(pid)
        return abs(process.create_time() - started) < 1 and process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False
    except psutil.Error:  # (cannot be told: it may still run)
        return True


def _is_document_failure(error: BaseException) -> bool:
    """Whether ``error``, raised while storing a batch, may be one document's fault (a value
    SQLite refuses, a bug met by odd data), rather than the library's (a full disk, a lock,
    a damaged file), which stops the sync."""
    if isinstance(error, (LibraryError, sqlite3.OperationalError, MemoryError)):
        return False
    if isinstance(error, sqlite3.DatabaseError) and _is_corruption(error):
        return False
    return isinstance(error, Exception)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _is_gone(path: str) -> bool:
    """Whether there is no file at ``path`` (any more)."""
    try:
        os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return True
    except OSError:  # (there, but cannot be looked at: reading it says why)
        return False
    return False


def _signature(path: str) -> tuple[int, int]:
    """Size and modification time (ns) of the file at ``path``; (-1, -1) when it cannot be
    read (parsing says why)."""
    try:
        info = os.stat(path)
    except OSError:
        return (-1, -1)
    return (info.st_size, info.st_mtime_ns)
