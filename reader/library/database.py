"""The connection: opening (with a read-only session when the data folder cannot be
written), moving a damaged file aside and rebuilding from what can still be read, and write
transactions (with marks going before a sync's next batch)."""

from __future__ import annotations

import errno
import functools
import logging
import os
import shutil
import sqlite3
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self, cast

from reader import feeds
from reader.filenames import restored
from reader.library import schema
from reader.library.schema import FTS_ALL, SCHEMA_VERSION
from reader.library.values import DB_FILENAME, LibraryError, Scope, SyncReport, default_data_dir

if TYPE_CHECKING:
    from reader.library import Library

log = logging.getLogger(__name__)

#: While a first import loads (:meth:`_Database._loading`), the write-ahead log is copied
#: into the library file every this many pages (~40 MB) rather than SQLite's 1,000.
LOADING_CHECKPOINT_PAGES = 10_000


#: How every connection commits: on disk before the commit returns (but see ``_loading``).
_SYNCHRONOUS = "FULL"

#: How long (seconds) an operation waits for another connection (another process's too) that
#: holds the library file before it fails with "locked".
BUSY_TIMEOUT = 10.0


class _CannotWrite(Exception):
    """The data folder or the library file cannot be written (a read-only session follows)."""


def _is_write_failure(error: sqlite3.Error) -> bool:
    text = str(error).lower()
    return any(
        phrase in text
        for phrase in ("readonly", "read-only", "unable to open database file", "disk is full", "disk i/o error")
    )


class _Database:
    """One connection to one library file, and what keeps it usable."""

    if TYPE_CHECKING:  # (given by the sync part of :class:`reader.library.Library`)
        sync: Callable[..., SyncReport]
        _index_pending: Callable[..., None]
        _fts_upto: Callable[[], int]
        _deferred_indexes: Callable[[], dict[str, str]]
        _build_deferred_indexes: Callable[[], None]

    def __init__(self, data_dir: str | os.PathLike[str] | None = None) -> None:
        # Absolute, so a relative --data-dir or $READER_DATA_DIR means the same folder to
        # every connection and can be written as a file URI (a read-only session copies it).
        self.data_dir = Path(os.path.abspath(data_dir if data_dir is not None else default_data_dir()))
        self.path = self.data_dir / DB_FILENAME
        #: Things the user should be told about opening (e.g. a corrupt file moved aside).
        self.warnings: list[str] = []
        #: Called with each warning added after opening (e.g. a damaged file rebuilt).
        self.on_warning: Callable[[str], None] | None = None
        #: Whether a damaged file found while in use is rebuilt here and now from the files
        #: it knew (False: only a new file is started; the caller syncs, e.g. on a thread).
        self.rebuild_when_damaged = True
        #: Why this session's changes are not saved (the data folder cannot be written), or None.
        self.read_only: str | None = None
        self._session_dir: Path | None = None
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            if not os.access(self.data_dir, os.W_OK):
                raise PermissionError(errno.EACCES, "permission denied")
            self._db = self._open()
        except (OSError, _CannotWrite) as error:
            reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
            self._db = self._open_session(reason)
        self._file_id = _file_id(self.path)  #: the file this connection opened (see _recover)
        self._guarding = False  #: inside a public method that recovers from a damaged file
        self._writes = 0  #: commits made through this connection
        self._loading_now = False  #: in :meth:`_loading` (commits not synced to disk one by one)
        self._writes_abandoned = False  #: see :meth:`abandon_writes`
        self._scope_cache: tuple[Scope, tuple[int, int], bool] | None = None
        #: The last answer of _Reading._rankable: the match, the library's state (and the
        #: most matches ranked), the answer.
        self._rank_cache: tuple[str, tuple[tuple[int, int], int], bool] | None = None
        if not self._db.in_transaction and (self._fts_upto() != FTS_ALL or self._deferred_indexes()):
            self._finish_interrupted_index()

    def _open_session(self, reason: str) -> sqlite3.Connection:
        """A read-only session: the library (if it can be read) is copied to a temporary
        folder and used from there, so reading works and nothing in the data folder changes."""
        original = self.path
        self._session_dir = Path(tempfile.mkdtemp(prefix="reader-session-"))
        self.path = self._session_dir / DB_FILENAME
        if original.is_file():
            _copy_for_session(original, self.path)
        self.read_only = (
            f"The data folder {self.data_dir} cannot be written ({reason}): "
            "documents are read as usual, but read and starred marks are not saved after you quit."
        )
        log.info(self.read_only)  # (told through ``warnings``: logging it too would say it twice)
        self.warnings.append(self.read_only)
        try:
            return self._open()
        except _CannotWrite as error:
            raise LibraryError(f"cannot open a temporary library in {self._session_dir}: {error}") from error

    def _finish_interrupted_index(self) -> None:
        """A sync that indexed in bulk was stopped (killed, or still running in another
        connection): build the indexes it left for its end and index the search text that
        is missing, unless another connection is writing or loading in bulk in this process."""
        if _BULK_LOADS.get(self._file_id):
            return  # a loader of this process builds them when it finishes
        try:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.execute("ROLLBACK")
        except sqlite3.OperationalError:
            return  # a loader is busy; it indexes when it finishes
        self._build_deferred_indexes()
        self._index_pending(finish=True)

    @property
    def db(self) -> sqlite3.Connection:
        """The connection, for tests and benchmarks that look into the tables (the rest of
        Reader goes through the methods of :class:`~reader.library.Library`)."""
        return self._db

    def interrupt(self) -> None:
        """Abort the statement this connection is running (safe from any thread)."""
        self._db.interrupt()

    def abandon_writes(self) -> None:
        """Roll back the write transaction this connection runs and refuse every later one
        (a :class:`LibraryError`): its work is no longer wanted (safe from any thread). A
        write still waiting for another connection's write lock is rolled back once it gets
        it (SQLite does not interrupt that wait), before it changes anything."""
        self._writes_abandoned = True
        self._db.interrupt()

    def reopen(self) -> Self:
        """Another connection to the same library (for another thread)."""
        return type(self)(self.path.parent)

    def _open(self) -> sqlite3.Connection:
        db = self._connect()
        try:
            # Read the version before changing anything (even the journal mode): a library
            # written by a newer Reader must be left exactly as it is.
            version = db.execute("PRAGMA user_version").fetchone()[0]
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()
            if version <= SCHEMA_VERSION:
                self._configure(db)
        except sqlite3.DatabaseError as error:
            db.close()
            if not _is_corruption(error):
                if _is_write_failure(error):
                    raise _CannotWrite(str(error)) from error
                if isinstance(error, sqlite3.OperationalError) and "locked" in str(error):
                    raise LibraryError(f"the library {self.path} is locked by another program") from error
                raise LibraryError(f"cannot open the library {self.path}: {error}") from error
            self._move_aside(str(error))
            db = self._connect()
            try:
                self._configure(db)
            except sqlite3.Error as again:
                db.close()
                raise LibraryError(f"cannot open the library {self.path}: {again}") from again
            version = 0
        if version > SCHEMA_VERSION:
            db.close()
            raise LibraryError(
                f"the library {self.path} was written by a newer Reader (schema {version}; "
                f"this Reader knows up to {SCHEMA_VERSION}). It was left untouched."
            )
        if version < SCHEMA_VERSION:
            try:
                self._migrate(db, version)
            except BaseException as error:
                db.close()  # (a connection left open would keep the file busy)
                if not isinstance(error, sqlite3.Error):
                    raise
                if _is_write_failure(error):
                    raise _CannotWrite(str(error)) from error
                raise LibraryError(
                    f"cannot open the library {self.path}: upgrading it from schema {version} failed: {error}"
                ) from error
        return db

    def _migrate(self, db: sqlite3.Connection, version: int) -> None:
        """Create or upgrade the schema (:mod:`reader.library.schema`), in one transaction;
        the version is read again inside it, so two connections opening a new file at once
        (threads of the window after a damaged file was replaced) do it once."""
        db.execute("BEGIN IMMEDIATE")
        try:
            schema.upgrade(db, max(version, db.execute("PRAGMA user_version").fetchone()[0]))
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise

    def _connect(self) -> sqlite3.Connection:
        try:
            db = sqlite3.connect(self.path, isolation_level=None, timeout=BUSY_TIMEOUT, check_same_thread=False)
        except sqlite3.Error as error:
            raise LibraryError(f"cannot open the library {self.path}: {error}") from error
        schema.register_functions(db)
        return db

    @staticmethod
    def _configure(db: sqlite3.Connection) -> None:
        _when_alone(db, "PRAGMA journal_mode = WAL")
        db.execute(f"PRAGMA synchronous = {_SYNCHRONOUS}")  # a commit is on disk before it returns (power cuts)
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("PRAGMA temp_store = MEMORY")

    def _move_aside(self, reason: str, *, say: bool = True) -> Path:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        target = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        n = 1
        while any(Path(str(target) + suffix).exists() for suffix in ("", "-wal", "-shm")):
            n += 1  # never overwrite a file kept before
            target = self.path.with_name(f"{self.path.name}.corrupt-{stamp}-{n}")
        for suffix in ("", "-wal", "-shm"):
            source = Path(str(self.path) + suffix)
            if source.exists():
                shutil.move(source, str(target) + suffix)
        if say:
            message = f"The library file was unreadable ({reason}); it was kept as {target.name} and a new one was started."
            log.info(message)
            self.warnings.append(message)
        return target

    def _recover(self, error: sqlite3.DatabaseError) -> None:
        """The library file turned out to be damaged in the middle of an operation: keep it
        aside, start a new one with the marks and subscriptions that can still be read from
        it, and rebuild the index from the documents it knew (read again from their files)."""
        log.info("the library file is damaged: %s", error)
        with _RECOVERING:  # one connection of this process at a time moves the file aside
            if _file_id(self.path) != self._file_id:
                # Another connection (another thread) found it first and started a new file.
                self._reconnect()
                return
            salvage = _salvage(self._db)
            self._db.close()
            target = self._move_aside(str(error), say=False)
            self._db = self._open()
            self._file_id = _file_id(self.path)
            self._scope_cache = self._rank_cache = None
            with self._transaction() as db:
                db.executemany(
                    "INSERT INTO state(id, read, starred, changed) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT(id) DO UPDATE SET read = excluded.read, starred = excluded.starred",
                    [(id_, read, starred, time.time()) for id_, (read, starred) in salvage.marks.items()],
                )
                db.executemany(
                    "INSERT OR IGNORE INTO subscriptions(url, title, path, etag, last_modified, checked, updated, error, added, "
                    "fetched_url) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    salvage.subscriptions,
                )
                for table, _key, columns in _USER_TABLES:  # saved searches, labels, rules' state
                    slots = ", ".join("?" * len(columns.split(", ")))
                    db.executemany(f"INSERT OR IGNORE INTO {table}({columns}) VALUES ({slots})", salvage.user.get(table, []))
                db.executemany(  # full texts fetched from articles' pages (reader.library.fulltext)
                    "INSERT OR IGNORE INTO fulltexts(id, url, fetched, title, text, data) VALUES (?, ?, ?, ?, ?, ?)",
                    salvage.fulltexts,
                )
                db.execute("UPDATE meta SET value = max(value, ?) WHERE key = 'rowid_high'", (salvage.rowid_high,))
        from reader import subscriptions  # (it builds on this package)

        # A subscription's copy (here, or at a former place of a data folder moved or copied)
        # is read again as a feed from the address it came from, so its relative links resolve.
        copies = {os.path.basename(str(row[2])) for row in salvage.subscriptions}
        tail = os.sep + subscriptions.FEEDS_FOLDER + os.sep
        paths = dict.fromkeys(
            path
            for path in (feeds.feed_of(p) or p for p in salvage.paths)
            if not (os.path.basename(path) in copies and tail + os.path.basename(path) in path)
        )
        existing = [p for p in paths if os.path.lexists(p)] if self.rebuild_when_damaged else []
        files = self.sync(existing, group=False).files if existing else 0
        if self.rebuild_when_damaged and salvage.subscriptions:
            files += subscriptions.sync_copies(cast("Library", self), group=False).files
        marks = sum(1 for read, starred in salvage.marks.values() if read or starred)
        built = (
            f"a new one was built from your documents ({files:,} files read again)"
            if self.rebuild_when_damaged
            else "a new one is being built from your documents"
        )
        message = (
            f"The library file was damaged ({' '.join(str(error).split())}); it was kept as {target.name}, "
            f"{built} and {marks:,} read or starred marks that could still be read were kept."
        )
        log.info(message)
        self.warnings.append(message)
        if self.on_warning is not None:
            self.on_warning(message)

    def _reconnect(self) -> None:
        self._db.close()
        self._db = self._open()
        self._file_id = _file_id(self.path)
        self._scope_cache = self._rank_cache = None

    def _state(self) -> tuple[int, int]:
        """What changes whenever the library does: a commit here, or by another connection
        (such as a loader's). Answers kept for the library as it was are keyed on it."""
        return self._db.execute("PRAGMA data_version").fetchone()[0], self._writes

    def written_elsewhere(self) -> int:
        """What changes whenever another connection (a loader's, another process's) commits
        to the library; this connection's own writes leave it as it is."""
        return int(self._db.execute("PRAGMA data_version").fetchone()[0])

    def close(self) -> None:
        self._db.close()
        if self._session_dir is not None:
            shutil.rmtree(self._session_dir, ignore_errors=True)
            self._session_dir = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _loading(self) -> Iterator[None]:
        """While a first import loads files into this connection: its commits are not
        synced to disk one by one (``synchronous = NORMAL``; with the write-ahead log a power
        cut may lose the last batches, never damage the file, and a lost batch loses its file
        rows too, so the next sync reads those files again) and the log is checkpointed
        every :data:`LOADING_CHECKPOINT_PAGES` pages. A mark written meanwhile (an urgent
        transaction, on this connection or any other) is synced as always, and with it
        every batch before it. Both settings are back as :meth:`_configure` makes them when
        this ends, however it ends, so the last commits of the import are synced too."""
        db = self._db
        pages = db.execute("PRAGMA wal_autocheckpoint").fetchone()[0]
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute(f"PRAGMA wal_autocheckpoint = {LOADING_CHECKPOINT_PAGES}")
        self._loading_now = True
        try:
            yield
        finally:
            self._loading_now = False
            db = self._db  # (a new connection, when a damaged file was replaced meanwhile)
            db.execute(f"PRAGMA wal_autocheckpoint = {int(pages)}")
            db.execute(f"PRAGMA synchronous = {_SYNCHRONOUS}")

    @contextmanager
    def _transaction(self, *, urgent: bool = False) -> Iterator[sqlite3.Connection]:
        """One write transaction. A failure to write (a full disk, a file made read-only, a
        lock held too long) rolls back and becomes a :class:`LibraryError` for the user.

        ``urgent`` (a mark the user made): goes before the next transaction of any other
        connection of this process that is not urgent (a sync's next batch waits for it),
        so a mark waits at most for the batch being written, not for the whole sync.
        """
        if urgent:
            with _TURNS.urgent(), self._synced():
                yield from self._write()
        else:
            _TURNS.let_urgent_go_first()
            yield from self._write()

    @contextmanager
    def _synced(self) -> Iterator[None]:
        """Commits synced to disk one by one, also while :meth:`_loading`."""
        if not self._loading_now:
            yield
            return
        self._db.execute(f"PRAGMA synchronous = {_SYNCHRONOUS}")
        try:
            yield
        finally:
            self._db.execute("PRAGMA synchronous = NORMAL")

    def _write(self) -> Iterator[sqlite3.Connection]:
        if self._writes_abandoned:
            raise LibraryError(_ABANDONED)
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            raise LibraryError(f"the library could not be written: {error}") from error
        try:
            if self._writes_abandoned:  # (while it waited for the lock)
                raise LibraryError(_ABANDONED)
            yield self._db
            if self._writes_abandoned:
                raise LibraryError(_ABANDONED)
            self._db.execute("COMMIT")
        except BaseException as error:
            if self._db.in_transaction:
                try:
                    self._db.execute("ROLLBACK")
                except sqlite3.DatabaseError:  # a damaged file; the error below says why
                    pass
            if isinstance(error, sqlite3.OperationalError):
                raise LibraryError(f"the library could not be written: {error}") from error
            raise
        self._writes += 1


def _when_alone(db: sqlite3.Connection, sql: str) -> None:
    """Run ``sql``, which needs the file to itself for a moment, waiting up to
    :data:`BUSY_TIMEOUT` while another connection is using it. SQLite refuses at once rather
    than wait when switching a new file to the write-ahead log while another connection holds
    its write lock: two processes creating a new data folder together (a window and a command)
    both switch the same new file, and the one refused goes on once the other has switched it."""
    deadline = time.monotonic() + BUSY_TIMEOUT
    pause = 0.001
    while True:
        try:
            db.execute(sql).fetchall()
            return
        except sqlite3.OperationalError as error:
            if getattr(error, "sqlite_errorcode", 0) & 0xFF != sqlite3.SQLITE_BUSY or time.monotonic() >= deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.05)


def _open_to_read(path: Path) -> sqlite3.Connection:
    """A connection that only reads ``path`` (as it is after its last commit)."""
    return sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)


def _copy_for_session(original: Path, copy: Path) -> None:
    """Copy the library ``original`` to ``copy`` (a new file) for a read-only session, with
    everything committed to it: also the commits still only in its write-ahead log (``-wal``:
    left by a Reader that was killed, or by one still running elsewhere)."""
    try:
        # Read as any reader does: through the log, with its index (``-shm``) beside it, so
        # a Reader still writing elsewhere is seen at one commit, whole.
        source = _open_to_read(original)
        try:
            target = sqlite3.connect(copy)
            try:
                source.backup(target)
            finally:
                target.close()
        finally:
            source.close()
        return
    except sqlite3.Error as error:
        # A folder that cannot be written has no room for the log's index when none was left
        # there; then nothing has the library open (every connection keeps that index), and a
        # copy of the file and of its log is whole: SQLite reads the log into the copy. Any
        # other failure (the library busy past the wait, another user's index that cannot be
        # written, a damaged file) may be with a Reader writing it elsewhere: a copy of the
        # file and then of its log could be of two moments, so the session starts empty.
        cannot_open = getattr(error, "sqlite_errorcode", 0) & 0xFF == sqlite3.SQLITE_CANTOPEN
        if _is_corruption(error) or (Path(f"{original}-shm").exists() and not cannot_open):
            log.warning("could not copy the library for a read-only session: %s", error)
            for suffix in ("", "-journal", "-wal"):  # (whatever the try above left in the copy's folder)
                Path(f"{copy}{suffix}").unlink(missing_ok=True)
            return
        log.debug("the library is copied file by file for a read-only session: %s", error)
    for suffix in ("", "-journal", "-wal"):  # (whatever the try above left in the copy's folder)
        Path(f"{copy}{suffix}").unlink(missing_ok=True)
    for suffix in ("", "-wal"):
        try:
            shutil.copyfile(f"{original}{suffix}", f"{copy}{suffix}")
        except FileNotFoundError:
            pass  # (no log: everything is in the file)
        except OSError as error:
            log.warning("could not copy the library for a read-only session: %s", error)
            if not suffix:
                copy.unlink(missing_ok=True)  # (the session starts with an empty library)
                return


_ABANDONED = "the write was abandoned: it is no longer wanted"


class _Turns:
    """Who writes next, among the connections of this process. SQLite's busy handler polls
    (every 100 ms at most), so a sync that starts its next batch as soon as it commits the
    last holds the write lock nearly all the time, and a mark made meanwhile could wait for
    seconds; here a sync's next transaction waits while a mark is waiting for its turn."""

    #: The longest a transaction that is not urgent waits for urgent ones (then it goes).
    MAX_WAIT = 2.0

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._urgent = 0

    @contextmanager
    def urgent(self) -> Iterator[None]:
        with self._changed:
            self._urgent += 1
        try:
            yield
        finally:
            with self._changed:
                self._urgent -= 1
                self._changed.notify_all()

    def let_urgent_go_first(self) -> None:
        if self._urgent:  # (read without the lock: a quick look, usually 0)
            with self._changed:
                self._changed.wait_for(lambda: self._urgent == 0, timeout=self.MAX_WAIT)


_TURNS = _Turns()


#: Held while a connection of this process replaces a damaged library file.
_RECOVERING = threading.Lock()


#: Library files (by :func:`_file_id`) that connections of this process are loading in bulk
#: (indexes and search text left for the end of the sync), and how many.
_BULK_LOADS: dict[tuple[int, int] | None, int] = {}
_BULK_LOADS_LOCK = threading.Lock()


@contextmanager
def bulk_load(file_id: tuple[int, int] | None) -> Iterator[None]:
    """While a sync of this process loads the library ``file_id`` in bulk: other connections
    of this process that open it leave the indexes it defers to it, rather than building them
    in the middle of its load."""
    with _BULK_LOADS_LOCK:
        _BULK_LOADS[file_id] = _BULK_LOADS.get(file_id, 0) + 1
    try:
        yield
    finally:
        with _BULK_LOADS_LOCK:
            _BULK_LOADS[file_id] -= 1
            if not _BULK_LOADS[file_id]:
                del _BULK_LOADS[file_id]


def _guarded(method: Callable[..., Any]) -> Callable[..., Any]:
    """``method`` of :class:`Library`, recovering once from a library file found damaged
    while it runs (see :meth:`Library._recover`) and then running again on the new file."""

    @functools.wraps(method)
    def guarded(self: _Database, *args: Any, **kwargs: Any) -> Any:
        if self._guarding:  # called from another public method: that one recovers
            return method(self, *args, **kwargs)
        if self._file_id != _file_id(self.path):  # another connection moved a damaged file aside
            self._reconnect()
        self._guarding = True
        try:
            try:
                return method(self, *args, **kwargs)
            except sqlite3.DatabaseError as error:
                if not _is_corruption(error):
                    raise
                try:
                    self._recover(error)
                except sqlite3.DatabaseError as again:
                    raise LibraryError(f"the library {self.path} is damaged and could not be rebuilt: {again}") from again
            try:
                return method(self, *args, **kwargs)
            except sqlite3.DatabaseError as again:
                if not _is_corruption(again):
                    raise
                raise LibraryError(f"the library {self.path} is damaged and could not be rebuilt: {again}") from again
        finally:
            self._guarding = False

    return guarded


def _file_id(path: Path) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_dev, info.st_ino)


@dataclass
class _Salvage:
    """What could still be read from a damaged library file."""

    marks: dict[str, tuple[int, int]] = field(default_factory=dict)  #: id -> (read, starred)
    subscriptions: list[tuple[Any, ...]] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)  #: the document files it knew
    user: dict[str, list[tuple[Any, ...]]] = field(default_factory=dict)  #: table -> rows (see _USER_TABLES)
    fulltexts: list[tuple[Any, ...]] = field(default_factory=list)
    #: The largest rowid an article had (the new file gives none up to it again: a list
    #: read from the damaged file names no article of the new one).
    rowid_high: int = 0


#: The user's own things kept in the library: (table, key to read it by, columns).
_USER_TABLES = (
    ("saved_searches", "name", "name, query, position, actions, acted"),
    ("labels", "name", "name"),
    ("article_labels", "label || char(10) || id", "label, id"),
    ("hidden", "id", "id"),
    ("rules_seen", "id", "id"),
)


def _salvage(db: sqlite3.Connection) -> _Salvage:
    """Read what can be read from a damaged library, row by row around damaged pages."""
    found = _Salvage()
    for id_, read, starred in _rows_by_key(db, "state", "id", "id, read, starred"):
        found.marks[id_] = (read, starred)
    for id_, read, starred in _rows_by_rowid(db, "entries", "id, read, starred"):
        if read or starred or id_ in found.marks:  # (marks of articles in the library live here)
            found.marks[id_] = (read, starred)
    found.subscriptions = list(
        _rows_by_key(db, "subscriptions", "url", "url, title, path, etag, last_modified, checked, updated, error, added, fetched_url")
    )
    for table, key, columns in _USER_TABLES:
        found.user[table] = list(_rows_by_key(db, table, key, columns))
    found.fulltexts = list(_rows_by_rowid(db, "fulltexts", "id, url, fetched, title, text, data"))
    paths = {row[0] for row in _rows_by_key(db, "files", "path", "path")}
    paths.update(row[0] for row in _rows_by_rowid(db, "articles", "path"))
    found.paths = sorted(restored(p) for p in paths if isinstance(p, str))
    for sql in ("SELECT value FROM meta WHERE key = 'rowid_high'", "SELECT max(rowid) FROM articles", "SELECT max(rowid) FROM entries"):
        try:
            value = (db.execute(sql).fetchone() or (None,))[0]
        except sqlite3.DatabaseError:
            continue
        if isinstance(value, int):
            found.rowid_high = max(found.rowid_high, value)
    return found


def _rows_by_key(db: sqlite3.Connection, table: str, key: str, columns: str, step: int = 256) -> Iterator[tuple[Any, ...]]:
    """Every readable row of ``table`` (keyed by the text column ``key``): read in key order
    from the start and from the end, up to the damage on either side."""
    seen: set[Any] = set()
    for order, compare, start in (("ASC", ">", ""), ("DESC", "<", "\U0010ffff" * 4)):
        last = start
        while True:
            try:
                rows = db.execute(
                    f"SELECT {key}, {columns} FROM {table} WHERE {key} {compare} ? ORDER BY {key} {order} LIMIT {step}",
                    (last,),
                ).fetchall()
            except sqlite3.DatabaseError:
                break
            fresh = [row for row in rows if row[0] not in seen]
            if not rows or (order == "DESC" and not fresh):
                break
            for row in fresh:
                seen.add(row[0])
                yield row[1:]
            last = rows[-1][0]


def _rows_by_rowid(db: sqlite3.Connection, table: str, columns: str, step: int = 256) -> Iterator[tuple[Any, ...]]:
    """Every readable row of the rowid table ``table``: a range at a time, and one row at
    a time in a range that meets a damaged page."""
    try:
        high = db.execute(f"SELECT max(rowid) FROM {table}").fetchone()[0] or 0
    except sqlite3.DatabaseError:
        high = 0
    if not high:
        for other in ("entries", "articles"):
            try:
                high = max(high, db.execute(f"SELECT max(rowid) FROM {other}").fetchone()[0] or 0)
            except sqlite3.DatabaseError:
                pass
    for low in range(1, high + 1, step):
        try:
            rows = db.execute(f"SELECT {columns} FROM {table} WHERE rowid BETWEEN ? AND ?", (low, low + step - 1)).fetchall()
        except sqlite3.DatabaseError:
            rows = []
            for rowid in range(low, min(high, low + step - 1) + 1):
                try:
                    rows.extend(db.execute(f"SELECT {columns} FROM {table} WHERE rowid = ?", (rowid,)).fetchall())
                except sqlite3.DatabaseError:
                    continue
        yield from rows


def _is_corruption(error: sqlite3.Error) -> bool:
    """Whether ``error`` says the file is not a (sound) database, rather than e.g. locked."""
    code = getattr(error, "sqlite_errorcode", None)
    return code is not None and code & 0xFF in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)
