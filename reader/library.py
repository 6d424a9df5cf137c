"""The library: an SQLite index of parsed documents, the user's read/starred state, and
full-text search. Plain Python, no Qt; the window, the CLI and the tests drive this API.

One :class:`Library` wraps one connection and belongs to one thread; a background loader
opens its own. The database is in WAL mode, so a window can read while a loader writes.

Identity and state
    Articles are keyed by their stable id (see :mod:`reader.documents`). Read and starred
    state lives in its own table keyed by that id, so it survives re-parses, moves and an
    article disappearing and coming back. Each article also has a small integer ``rowid``
    that list models hold instead of objects.

Duplicates
    Two files that carry the same article (the same canonical URL) are one article that
    remembers both paths. When their contents differ, the most recently modified file
    wins (ties go to the path that sorts first); when it goes away the next one is read.

Scope
    Every query can be limited to the articles found under some files and folders
    (``scope``), so a window opened on one folder shows that folder while the library keeps
    everything it has seen.
"""

from __future__ import annotations

import enum
import errno
import functools
import json
import logging
import os
import shutil
import signal
import sqlite3
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from reader import feeds
from reader.article import Article, Document, Image, Kind, Problem, Provider, Related, Taxonomy
from reader.documents import parse_path
from reader import stories
from reader.scan import is_walked, iter_document_paths
from reader.search import Query, parse_query

log = logging.getLogger(__name__)

SCHEMA_VERSION = 6
DB_FILENAME = "library.sqlite3"
ENV_DATA_DIR = "READER_DATA_DIR"
TODAY_SECONDS = 24 * 60 * 60


class LibraryError(Exception):
    """The library cannot be opened or used; the message is meant for the user."""


class _CannotWrite(Exception):
    """The data folder or the library file cannot be written (a read-only session follows)."""


def _is_write_failure(error: sqlite3.Error) -> bool:
    text = str(error).lower()
    return any(
        phrase in text
        for phrase in ("readonly", "read-only", "unable to open database file", "disk is full", "disk i/o error")
    )


def default_data_dir() -> Path:
    """``$READER_DATA_DIR`` if set, else the platform's user data folder for Reader."""
    env = os.environ.get(ENV_DATA_DIR)
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("reader", appauthor=False))


# --------------------------------------------------------------------------- values


class ViewKind(enum.StrEnum):
    ALL = "all"
    UNREAD = "unread"
    STARRED = "starred"
    TODAY = "today"
    TOPIC = "topic"
    SOURCE = "source"
    LANGUAGE = "language"
    FEED = "feed"  #: the entries of one feed file (value: its path), e.g. a subscription
    TOP = "top"  #: Top stories: one article per story, best score first


@dataclass(frozen=True, slots=True)
class View:
    """Which articles to list: a smart view, or one topic, source or language."""

    kind: ViewKind = ViewKind.ALL
    value: str | None = None

    def __str__(self) -> str:
        return f"{self.kind}:{self.value}" if self.value is not None else str(self.kind)


class Sort(enum.StrEnum):
    NEWEST = "newest"
    OLDEST = "oldest"
    TITLE = "title"
    SOURCE = "source"
    HEAT = "heat"
    QUALITY = "quality"
    RANK = "rank"  #: best search match first (newest first without search words)


#: ORDER BY for each sort, on ``entries a``. (SQLite's DESC puts NULL last, so undated
#: articles come last in the newest-first order, which is the index ``entries_newest``.)
_ORDER = {
    Sort.NEWEST: "a.published DESC, a.title COLLATE NOCASE, a.rowid",
    Sort.OLDEST: "a.published IS NULL, a.published ASC, a.title COLLATE NOCASE, a.rowid",
    Sort.TITLE: "a.title COLLATE NOCASE, a.published DESC, a.rowid",
    Sort.SOURCE: "a.provider IS NULL, a.provider COLLATE NOCASE, a.published DESC, a.rowid",
    Sort.HEAT: "a.heat IS NULL, a.heat DESC, a.published DESC, a.rowid",
    Sort.QUALITY: "a.quality IS NULL, a.quality DESC, a.published DESC, a.rowid",
}

Scope = tuple[str, ...]


def make_scope(paths: Iterable[str | os.PathLike[str]]) -> Scope:
    """A scope covering ``paths`` (absolute, normalised)."""
    return tuple(os.path.abspath(os.fspath(p)) for p in paths)


class ListRow(NamedTuple):
    """What an article list shows for one article."""

    rowid: int
    id: str
    title: str
    provider: str | None
    domain: str | None
    published: float | None  #: seconds since the epoch (UTC), None when undated
    read: bool
    starred: bool
    heat: int | None
    quality: int | None
    kind: str


@dataclass(frozen=True, slots=True)
class Count:
    total: int = 0
    unread: int = 0


@dataclass(frozen=True, slots=True)
class Counts:
    """Total and unread counts of every view, for a sidebar."""

    all: Count = Count()
    unread: Count = Count()
    starred: Count = Count()
    today: Count = Count()
    topics: dict[str, Count] = field(default_factory=dict)
    sources: dict[str, Count] = field(default_factory=dict)
    languages: dict[str, Count] = field(default_factory=dict)
    problems: int = 0
    #: Feed files with entries in the library, by path (subscriptions are looked up here).
    feeds: dict[str, Count] = field(default_factory=dict)
    top: Count = Count()  #: Top stories: the articles leading a story

    def of(self, view: View) -> Count:
        match view.kind:
            case ViewKind.TOPIC:
                return self.topics.get(view.value or "", Count())
            case ViewKind.SOURCE:
                return self.sources.get(view.value or "", Count())
            case ViewKind.LANGUAGE:
                return self.languages.get(view.value or "", Count())
            case ViewKind.FEED:
                return self.feeds.get(view.value or "", Count())
            case _:
                return getattr(self, str(view.kind))  # type: ignore[no-any-return]


@dataclass(frozen=True, slots=True)
class SyncBatch:
    """Progress of a sync: reported after each committed batch."""

    done: int  #: files handled so far (parsed or found unchanged)
    total: int  #: files found under the synced paths
    changed: tuple[str, ...] = ()  #: ids of articles added or changed in this batch
    removed: tuple[str, ...] = ()  #: ids of articles that left the library in this batch
    problems: tuple[Problem, ...] = ()  #: documents of this batch that could not be read
    parsed: int = 0  #: files parsed in this batch


@dataclass(frozen=True, slots=True)
class SyncReport:
    files: int = 0
    parsed: int = 0
    unchanged: int = 0
    removed_files: int = 0
    problems: int = 0
    cancelled: bool = False
    seconds: float = 0.0


@dataclass(frozen=True, slots=True)
class Undo:
    """What :meth:`Library.mark_view_read` changed, for :meth:`Library.undo`."""

    ids: tuple[str, ...]
    column: str
    previous: bool


@dataclass(frozen=True, slots=True)
class SearchHit:
    row: ListRow
    url: str | None
    topics: tuple[str, ...]
    #: Matching text with each match wrapped in :data:`MARK_START` / :data:`MARK_END`.
    snippet: str


MARK_START, MARK_END = "\ue000", "\ue001"


# --------------------------------------------------------------------------- schema

_SCHEMA_V1 = """
CREATE TABLE articles (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    path TEXT NOT NULL,
    source_mtime INTEGER NOT NULL DEFAULT 0,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    excerpt TEXT,
    body TEXT NOT NULL DEFAULT '',
    published REAL,
    url TEXT,
    amp_url TEXT,
    provider TEXT,
    domain TEXT,
    provider_icon TEXT,
    topics TEXT NOT NULL DEFAULT '',
    quality INTEGER,
    heat INTEGER,
    featured INTEGER NOT NULL DEFAULT 0,
    language TEXT,
    data TEXT NOT NULL DEFAULT '{}',
    added REAL NOT NULL,
    read INTEGER NOT NULL DEFAULT 0,
    starred INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX articles_published ON articles(published);
CREATE INDEX articles_unread ON articles(read, published);
CREATE INDEX articles_starred ON articles(starred) WHERE starred;
CREATE INDEX articles_provider ON articles(provider COLLATE NOCASE);
CREATE INDEX articles_domain ON articles(domain);
CREATE INDEX articles_language ON articles(language);

CREATE TABLE article_topics (
    topic TEXT NOT NULL COLLATE NOCASE,
    article INTEGER NOT NULL REFERENCES articles(rowid) ON DELETE CASCADE,
    PRIMARY KEY (topic, article)
) WITHOUT ROWID;
CREATE INDEX article_topics_article ON article_topics(article);

-- One row per document file found under a synced path.
CREATE TABLE files (
    path TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime INTEGER NOT NULL,
    kind TEXT NOT NULL,          -- news, text, taxonomy or problem
    article TEXT,                -- article or taxonomy id
    problem TEXT                 -- the reason, for kind = problem
) WITHOUT ROWID;
CREATE INDEX files_article ON files(article);

-- The user's state, keyed by article id: outlives the article rows.
CREATE TABLE state (
    id TEXT PRIMARY KEY,
    read INTEGER NOT NULL DEFAULT 0,
    starred INTEGER NOT NULL DEFAULT 0,
    changed REAL NOT NULL
) WITHOUT ROWID;

CREATE TABLE taxonomy (
    id TEXT PRIMARY KEY,
    taxonomy TEXT NOT NULL,
    name TEXT NOT NULL COLLATE NOCASE,
    domain TEXT,
    description TEXT,
    keywords TEXT NOT NULL DEFAULT '[]',
    parents TEXT NOT NULL DEFAULT '[]'
) WITHOUT ROWID;
CREATE INDEX taxonomy_name ON taxonomy(name);
CREATE INDEX taxonomy_domain ON taxonomy(domain);

-- Settings of the library itself. fts_upto: articles with a larger rowid are not in the
-- full-text index yet (a big sync indexes in bulk, which is several times faster).
CREATE TABLE meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID;
INSERT INTO meta(key, value) VALUES ('fts_upto', 9223372036854775807);

CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, excerpt, body, provider, domain, topics,
    content='articles', content_rowid='rowid',
    tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles
WHEN new.rowid <= (SELECT value FROM meta WHERE key = 'fts_upto') BEGIN
    INSERT INTO articles_fts(rowid, title, excerpt, body, provider, domain, topics)
    VALUES (new.rowid, new.title, new.excerpt, new.body, new.provider, new.domain, new.topics);
END;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles
WHEN old.rowid <= (SELECT value FROM meta WHERE key = 'fts_upto') BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, excerpt, body, provider, domain, topics)
    VALUES ('delete', old.rowid, old.title, old.excerpt, old.body, old.provider, old.domain, old.topics);
END;
CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, excerpt, body, provider, domain, topics
ON articles WHEN old.rowid <= (SELECT value FROM meta WHERE key = 'fts_upto') BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, excerpt, body, provider, domain, topics)
    VALUES ('delete', old.rowid, old.title, old.excerpt, old.body, old.provider, old.domain, old.topics);
    INSERT INTO articles_fts(rowid, title, excerpt, body, provider, domain, topics)
    VALUES (new.rowid, new.title, new.excerpt, new.body, new.provider, new.domain, new.topics);
END;
"""

# Version 2: what the list shows, sorts, filters and counts on -- and the read and starred
# marks -- move into a narrow table, ``entries``, one row per article, kept in step with
# ``articles`` by triggers. Listing, counting and marking 100,000 articles then touch a few
# megabytes instead of the wide article rows (body, excerpt, JSON), and the list's default
# order is an index.
_SCHEMA_V2 = """
DROP INDEX articles_published;
DROP INDEX articles_unread;
DROP INDEX articles_starred;
DROP INDEX articles_provider;
DROP INDEX articles_domain;
DROP INDEX articles_language;

CREATE TABLE entries (
    rowid INTEGER PRIMARY KEY,   -- = articles.rowid
    id TEXT NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    published REAL,
    provider TEXT,
    domain TEXT,
    language TEXT,
    quality INTEGER,
    heat INTEGER,
    read INTEGER NOT NULL DEFAULT 0,
    starred INTEGER NOT NULL DEFAULT 0
);
INSERT INTO entries(rowid, id, kind, title, published, provider, domain, language, quality, heat, read, starred)
SELECT rowid, id, kind, title, published, provider, domain, language, quality, heat, read, starred FROM articles;
ALTER TABLE articles DROP COLUMN read;
ALTER TABLE articles DROP COLUMN starred;

-- Newest first is the list's default order (undated last: DESC puts NULL last).
CREATE INDEX entries_newest ON entries(published DESC, title COLLATE NOCASE);
CREATE INDEX entries_starred ON entries(starred) WHERE starred;
CREATE INDEX entries_provider ON entries(provider COLLATE NOCASE);
CREATE INDEX entries_domain ON entries(domain);
CREATE INDEX entries_language ON entries(language);

CREATE TRIGGER entries_insert AFTER INSERT ON articles BEGIN
    INSERT INTO entries(rowid, id, kind, title, published, provider, domain, language, quality, heat, read, starred)
    VALUES (new.rowid, new.id, new.kind, new.title, new.published, new.provider, new.domain, new.language,
            new.quality, new.heat,
            coalesce((SELECT read FROM state WHERE id = new.id), 0),
            coalesce((SELECT starred FROM state WHERE id = new.id), 0));
END;
CREATE TRIGGER entries_update AFTER UPDATE ON articles BEGIN
    UPDATE entries SET id = new.id, kind = new.kind, title = new.title, published = new.published,
        provider = new.provider, domain = new.domain, language = new.language, quality = new.quality,
        heat = new.heat
    WHERE rowid = new.rowid;
END;
-- While an article is in the library its marks live in its entry (so marking 100,000
-- articles read is one narrow UPDATE); when it leaves, they are kept in ``state`` for the
-- day it comes back.
CREATE TRIGGER entries_delete AFTER DELETE ON articles BEGIN
    INSERT INTO state(id, read, starred, changed)
    SELECT e.id, e.read, e.starred, CAST(strftime('%s', 'now') AS REAL) FROM entries e
    WHERE e.rowid = old.rowid AND (e.read OR e.starred OR EXISTS (SELECT 1 FROM state s WHERE s.id = e.id))
    ON CONFLICT(id) DO UPDATE SET read = excluded.read, starred = excluded.starred, changed = excluded.changed;
    DELETE FROM entries WHERE rowid = old.rowid;
END;
"""

# Version 3: feed subscriptions (see reader.subscriptions). ``path`` is the fetched copy,
# synced like any feed file; etag and last_modified make the next fetch conditional.
_SCHEMA_V3 = """
CREATE TABLE subscriptions (
    url TEXT PRIMARY KEY,
    title TEXT,
    path TEXT NOT NULL,
    etag TEXT,
    last_modified TEXT,
    checked REAL,
    updated REAL,
    error TEXT,
    added REAL NOT NULL
) WITHOUT ROWID;
"""

# Version 5: a subscription's copy is named relative to the data folder (``feeds/…``), so
# a data folder moved or copied keeps its subscriptions; ``fetched_url`` is the address the
# copy came from (after redirects: the base of its relative links).
_SCHEMA_V5 = """
ALTER TABLE subscriptions ADD COLUMN fetched_url TEXT;
UPDATE subscriptions SET path = 'feeds/' || replace(path, rtrim(path, replace(path, '/', '')), '')
WHERE path LIKE '/%';
"""

#: Schema version -> the script that upgrades the previous version to it.
MIGRATIONS: dict[int, str] = {
    1: _SCHEMA_V1, 2: _SCHEMA_V2, 3: _SCHEMA_V3, 4: stories.MIGRATION_V4, 5: _SCHEMA_V5, 6: stories.MIGRATION,
}

_ROW_COLUMNS = "a.rowid, a.id, a.title, a.provider, a.domain, a.published, a.read, a.starred, a.heat, a.quality, a.kind"


def _list_row(row: Sequence[Any]) -> ListRow:
    return ListRow(row[0], row[1], row[2], row[3], row[4], row[5], bool(row[6]), bool(row[7]), row[8], row[9], row[10])


# --------------------------------------------------------------------------- the library


class Library:
    """An open library database. Use as a context manager or call :meth:`close`."""

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
        self._scope_cache: tuple[Scope, tuple[int, int], bool] | None = None
        if self._fts_upto() != FTS_ALL and not self._db.in_transaction:
            self._finish_interrupted_index()

    # ---------------------------------------------------------------- opening

    def _open_session(self, reason: str) -> sqlite3.Connection:
        """A read-only session: the library (if it can be read) is copied to a temporary
        folder and used from there, so reading works and nothing in the data folder changes."""
        original = self.path
        self._session_dir = Path(tempfile.mkdtemp(prefix="reader-session-"))
        self.path = self._session_dir / DB_FILENAME
        if original.is_file():
            try:
                source = sqlite3.connect(f"{original.as_uri()}?immutable=1", uri=True)
                target = sqlite3.connect(self.path)
                try:
                    source.backup(target)
                finally:
                    target.close()
                    source.close()
            except sqlite3.Error as error:
                log.warning("could not copy the library for a read-only session: %s", error)
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
        connection): index what is missing, unless another connection is writing."""
        try:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.execute("ROLLBACK")
        except sqlite3.OperationalError:
            return  # a loader is busy; it indexes when it finishes
        self._index_pending(finish=True)

    @property
    def db(self) -> sqlite3.Connection:
        """The connection, for core modules that keep tables of their own (:mod:`reader.stories`)."""
        return self._db

    def interrupt(self) -> None:
        """Abort the statement this connection is running (safe from any thread)."""
        self._db.interrupt()

    def reopen(self) -> Library:
        """Another connection to the same library (for another thread)."""
        return Library(self.path.parent)

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
            self._migrate(db, version)
        return db

    def _connect(self) -> sqlite3.Connection:
        try:
            return sqlite3.connect(self.path, isolation_level=None, timeout=10, check_same_thread=False)
        except sqlite3.Error as error:
            raise LibraryError(f"cannot open the library {self.path}: {error}") from error

    @staticmethod
    def _configure(db: sqlite3.Connection) -> None:
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = FULL")  # a commit is on disk before it returns (power cuts)
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
            self._scope_cache = None
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
        from reader import subscriptions  # (it builds on this module)

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
        files = 0
        for first in range(0, len(existing), REBUILD_STEP):  # (a scope of many paths is a long SQL condition)
            files += self.sync(existing[first : first + REBUILD_STEP], group=False).files
        if self.rebuild_when_damaged and salvage.subscriptions:
            files += subscriptions.sync_copies(self, group=False).files
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
        self._scope_cache = None

    def _migrate(self, db: sqlite3.Connection, version: int) -> None:
        """Create or upgrade the schema, in one transaction; the version is read again
        inside it, so two connections opening a new file at once (threads of the window
        after a damaged file was replaced) do it once."""
        db.execute("BEGIN IMMEDIATE")
        try:
            current = db.execute("PRAGMA user_version").fetchone()[0]
            for target in range(max(version, current) + 1, SCHEMA_VERSION + 1):
                for statement in _statements(MIGRATIONS[target]):
                    db.execute(statement)
                db.execute(f"PRAGMA user_version = {target}")
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise

    def stories(self, ids: set[str] | None = None) -> list[stories.Story]:
        """Every story of two or more versions (of the articles ``ids``): see
        :func:`reader.stories.all_stories`."""
        return stories.all_stories(self._db, ids)

    def close(self) -> None:
        self._db.close()
        if self._session_dir is not None:
            shutil.rmtree(self._session_dir, ignore_errors=True)
            self._session_dir = None

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _transaction(self, *, urgent: bool = False) -> Iterator[sqlite3.Connection]:
        """One write transaction. A failure to write (a full disk, a file made read-only, a
        lock held too long) rolls back and becomes a :class:`LibraryError` for the user.

        ``urgent`` (a mark the user made): goes before the next transaction of any other
        connection of this process that is not urgent (a sync's next batch waits for it),
        so a mark waits at most for the batch being written, not for the whole sync.
        """
        if urgent:
            with _TURNS.urgent():
                yield from self._write()
        else:
            _TURNS.let_urgent_go_first()
            yield from self._write()

    def _write(self) -> Iterator[sqlite3.Connection]:
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            raise LibraryError(f"the library could not be written: {error}") from error
        try:
            yield self._db
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

    def _scope_sql(self, scope: Scope | None) -> tuple[str, list[object]]:
        """The scope as a condition on ``articles a``.

        The rowids of the articles in scope are kept in a temporary table, rebuilt only
        when the library changed since (a commit here, or by another connection, such as a
        loader's), so per-action queries such as counts stay cheap on large libraries.
        """
        if scope is None:
            return "1", []
        version = (self._db.execute("PRAGMA data_version").fetchone()[0], self._writes)
        if self._scope_cache is None or self._scope_cache[:2] != (scope, version):
            whole = self._covers_library(scope)
            if not whole:
                where, params = _article_scope_sql(scope)
                self._db.execute("CREATE TEMP TABLE IF NOT EXISTS scope_articles (rowid INTEGER PRIMARY KEY)")
                self._db.execute("DELETE FROM temp.scope_articles")
                self._db.execute(f"INSERT INTO temp.scope_articles SELECT a.rowid FROM entries a WHERE {where}", params)
            self._scope_cache = (scope, version, whole)
        return ("1", []) if self._scope_cache[2] else ("a.rowid IN temp.scope_articles", [])

    def _covers_library(self, scope: Scope) -> bool:
        """Whether every file the library knows lies in ``scope`` (the usual case: the
        window shows the folders the library was made from). Then the scope needs no
        condition at all. One index probe per gap between the scope's paths."""
        pieces: list[tuple[str, str, bool]] = []  # (low, high, high included)
        for root in scope:
            folder = root.rstrip(os.sep) + os.sep
            pieces.append((root, root, True))
            pieces.append((folder, folder[:-1] + chr(ord(os.sep) + 1), False))
        pieces.sort()
        edge, included = "", False  # everything below `edge` (and it, if included) is covered
        for low, high, high_included in pieces:
            if low > edge or (low == edge and not included):
                above = ">" if included else ">="
                found = self._db.execute(
                    f"SELECT 1 FROM files WHERE path {above} ? AND path < ? LIMIT 1", (edge, low)
                ).fetchone()
                if found:
                    return False
            if (high, high_included) > (edge, included):
                edge, included = high, high_included
        above = ">" if included else ">="
        return self._db.execute(f"SELECT 1 FROM files WHERE path {above} ? LIMIT 1", (edge,)).fetchone() is None

    # ---------------------------------------------------------------- full-text index

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
                db.execute("INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')")
            else:
                db.execute(
                    "INSERT INTO articles_fts(rowid, title, excerpt, body, provider, domain, topics) "
                    "SELECT rowid, title, excerpt, body, provider, domain, topics FROM articles WHERE rowid > ?",
                    (upto,),
                )
            new_upto = FTS_ALL if finish else db.execute("SELECT coalesce(max(rowid), 0) FROM articles").fetchone()[0]
            db.execute("UPDATE meta SET value = ? WHERE key = 'fts_upto'", (new_upto,))

    def _unindexed(self) -> int:
        upto = self._fts_upto()
        if upto == FTS_ALL:
            return 0
        # max(rowid) is one index lookup; new rowids only grow, so this counts them closely enough
        return int(self._db.execute("SELECT coalesce(max(rowid), 0) FROM articles").fetchone()[0]) - upto

    # ---------------------------------------------------------------- sync

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
        changed files are parsed; files that are gone leave the index (with their articles,
        unless another file carries them). Each batch is committed before ``progress`` is
        called with it; ``cancelled`` is asked while scanning and between documents, so a
        sync stops within a few documents of being cancelled (what was committed stays).
        A path that does not exist is a problem, unless ``gone_ok``: then what the library
        had from it is simply forgotten.

        New articles are grouped into stories at the end, unless not ``group``: then the
        caller runs :meth:`group_stories` when it suits (the window does it after a load,
        in the background). Articles that changed are grouped again at once either way.

        Many files (:data:`PARALLEL_MIN_FILES` or more) are parsed in ``processes`` worker
        processes (default: one per core), which use the fast YAML reader; ``parse``, a hook
        for tests, replaces the parsing and keeps it in this process.
        """
        started = time.monotonic()
        is_cancelled = cancelled or (lambda: False)
        roots = make_scope(paths)
        found: dict[str, tuple[int, int]] = {}
        scan_problems: list[Problem] = []

        def unreadable(path: str, error: OSError) -> None:
            if gone_ok and isinstance(error, FileNotFoundError) and path in roots:
                return  # (what it held is forgotten below)
            scan_problems.append(Problem(os.path.abspath(path), f"folder could not be read: {error.strerror or error}"))

        for path in iter_document_paths(roots, on_error=unreadable):
            found[path] = _signature(path)
            if len(found) % 256 == 0 and is_cancelled():
                return SyncReport(files=len(found), cancelled=True, seconds=time.monotonic() - started)
        known = {row[0]: (row[1], row[2]) for row in self._files_in(roots)}
        todo = [p for p, signature in found.items() if known.get(p) != signature]
        gone = [p for p in known if p not in found and feeds.feed_of(p) not in found]
        total = len(found)
        unchanged = done = total - len(todo)

        removed: tuple[str, ...] = ()
        if gone:
            with self._transaction():
                removed, reread = self._forget_files(gone)
            for path in reread:  # may lie outside ``paths`` (a copy synced from elsewhere)
                found.setdefault(path, _signature(path))
            todo.extend(p for p in reread if p not in todo)
        if progress and (removed or scan_problems or not todo):
            progress(SyncBatch(done=done, total=total, removed=removed, problems=tuple(scan_problems)))

        parsed = problems = 0
        cancel = False
        queued = set(todo)
        pending = todo
        if len(todo) >= BULK_INDEX_MIN_FILES:
            self._defer_fts()
        while pending and not cancel:
            parallel = parse is None and len(pending) >= PARALLEL_MIN_FILES and (processes or _default_processes()) > 1
            batches = (
                _parse_in_processes(pending, found, batch_size, is_cancelled, processes or _default_processes())
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
                            changed, gone_ids, reread, updated = self._store(prepared, found)
                            stories.forget(self._db, updated)  # (grouped again below, or by the caller)
                    except Exception as error:
                        if not _is_document_failure(error):
                            raise
                        # One document could not be stored: store them one by one, and
                        # that one becomes a problem (the others are stored as usual).
                        prepared, (changed, gone_ids, reread, updated) = self._store_each(prepared, found)
                    for path in reread:  # another file now supplies an article this batch dropped
                        if path not in queued:
                            queued.add(path)
                            found.setdefault(path, _signature(path))
                            rereads.append(path)
                    batch_problems = tuple(Problem(p.path, p.problem or "") for p in prepared if p.kind == "problem")
                    parsed += len(batch)
                    problems += len(batch_problems)
                    done = min(total, done + len(batch))
                    if self._unindexed() >= BULK_INDEX_STEP:  # keep search close behind the load
                        self._index_pending(finish=False)
                    if progress:
                        progress(SyncBatch(done, total, changed, gone_ids, batch_problems, len(batch)))
                    if cancel or is_cancelled():
                        cancel = True
                        break
            if parsed - before < len(pending):  # the parser stopped early: cancelled
                cancel = True
            pending = rereads
        self._index_pending(finish=True)
        if group:
            self.group_stories(is_cancelled)
        return SyncReport(
            files=total,
            parsed=parsed,
            unchanged=unchanged,
            removed_files=len(gone),
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
        return self._db.execute(f"SELECT path, size, mtime FROM files WHERE {where}", params).fetchall()

    def _forget_files(self, paths: Sequence[str]) -> tuple[tuple[str, ...], list[str]]:
        """Drop ``paths`` from the index; returns the ids of articles that left and the
        files to read again because they now carry an article whose source went away."""
        db = self._db
        ids = {row[0] for row in db.execute(_IN_JSON.format("SELECT article FROM files WHERE path IN"), (json.dumps(paths),)) if row[0]}
        db.execute(_IN_JSON.format("DELETE FROM files WHERE path IN"), (json.dumps(paths),))
        return self._drop_orphans(ids)

    def _drop_orphans(self, ids: Iterable[str]) -> tuple[tuple[str, ...], list[str]]:
        db = self._db
        removed: list[str] = []
        reread: list[str] = []
        for article_id in sorted(ids):
            holders = db.execute("SELECT path FROM files WHERE article = ? ORDER BY path", (article_id,)).fetchall()
            if not holders:
                if db.execute("DELETE FROM articles WHERE id = ?", (article_id,)).rowcount:
                    removed.append(article_id)
                db.execute("DELETE FROM taxonomy WHERE id = ?", (article_id,))
                continue
            source = db.execute("SELECT path FROM articles WHERE id = ?", (article_id,)).fetchone()
            if source is not None and source[0] not in {h[0] for h in holders}:
                reread.append(self._newest(article_id))
        return tuple(removed), reread

    def _newest(self, article_id: str) -> str:
        row = self._db.execute(
            "SELECT path FROM files WHERE article = ? ORDER BY mtime DESC, path LIMIT 1", (article_id,)
        ).fetchone()
        return feeds.feed_of(str(row[0])) or str(row[0])  # an entry is read from its feed file

    def _store(
        self, batch: Sequence[Prepared], found: dict[str, tuple[int, int]]
    ) -> tuple[tuple[str, ...], tuple[str, ...], list[str], list[str]]:
        """Write one parsed batch: files, taxonomy, articles (new ones in bulk), topics.
        Returns the ids of articles added or changed, of those removed, the files to read
        again, and the ids of the articles that were in the library and changed."""
        db = self._db
        now = time.time()
        batch, dropped = _expand_feeds(db, batch, found)
        paths = json.dumps([p.path for p in batch])
        previous = {row[0]: row[1] for row in db.execute(_IN_JSON.format("SELECT path, article FROM files WHERE path IN"), (paths,))}
        files = []
        for item in batch:
            size, mtime = found.get(item.path, (-1, -1))
            files.append((item.path, size, mtime, item.kind, item.id, item.problem))
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
            db.executemany(_INSERT_ARTICLE, [(*item.values, now) for item in fresh])
            db.executemany(_INSERT_TOPIC, [(topic, item.id) for item in fresh for topic in item.topics])
        updated = [item.id for item in again if self._put_article(item)]
        changed = [item.id for item in fresh] + updated
        stale = ({old for old in previous.values() if old} | dropped) - {item.id for item in batch if item.id}
        removed, reread = self._drop_orphans(stale)
        return tuple(dict.fromkeys(i for i in changed if i)), removed, reread, [i for i in updated if i]

    def _store_each(
        self, batch: Sequence[Prepared], found: dict[str, tuple[int, int]]
    ) -> tuple[list[Prepared], tuple[tuple[str, ...], tuple[str, ...], list[str], list[str]]]:
        """:meth:`_store` one document at a time, each in a savepoint:
        a document that fails is stored as a problem with the reason. Returns the batch as
        stored and what :meth:`_store` returns for all of it."""
        stored: list[Prepared] = []
        changed: list[str] = []
        removed: list[str] = []
        reread: list[str] = []
        updated: list[str] = []
        with self._transaction() as db:
            for item in batch:
                db.execute("SAVEPOINT document")
                try:
                    result = self._store([item], found)
                    stories.forget(db, result[3])  # (grouped again after the sync, or by the caller)
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
                        result = self._store([item], found)
                db.execute("RELEASE document")
                stored.append(item)
                changed += result[0]
                removed += result[1]
                reread += result[2]
                updated += result[3]
        return stored, (tuple(dict.fromkeys(changed)), tuple(dict.fromkeys(removed)), reread, updated)

    def _store_feed_apart(
        self, feed: Prepared, found: dict[str, tuple[int, int]]
    ) -> tuple[tuple[tuple[str, ...], tuple[str, ...], list[str], list[str]], list[Prepared]]:
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
        stories.forget(db, result[3])  # (grouped again after the sync, or by the caller)
        problems = [Prepared(path, "problem", None, None, (), reason) for path, reason in bad.items()]
        if problems:
            self._store(problems, found)
        return result, problems

    def _put_article(self, item: Prepared) -> bool:
        """Update an article already in the library from ``item``; False when a newer file
        already supplies it."""
        db = self._db
        assert item.values is not None
        article_id, path, mtime = item.values[0], item.values[1], item.values[2]
        existing = db.execute("SELECT rowid, path, source_mtime FROM articles WHERE id = ?", (article_id,)).fetchone()
        if existing is None:  # pragma: no cover - callers check; kept for safety
            db.executemany(_INSERT_ARTICLE, [(*item.values, time.time())])
            db.executemany(_INSERT_TOPIC, [(topic, article_id) for topic in item.topics])
            return True
        if existing[1] != path:
            holder = db.execute("SELECT 1 FROM files WHERE path = ? AND article = ?", (existing[1], article_id)).fetchone()
            # The same order as _newest: the latest mtime, then the path that sorts first.
            newer = existing[2] > mtime or (existing[2] == mtime and existing[1] < path)
            if holder and newer:
                return False
        rowid = existing[0]
        assignments = ", ".join(f"{c} = ?" for c in _ARTICLE_COLUMNS.split(", ")[1:])
        db.execute(f"UPDATE articles SET {assignments} WHERE rowid = ?", (*item.values[1:], rowid))
        db.execute("DELETE FROM article_topics WHERE article = ?", (rowid,))
        db.executemany("INSERT OR IGNORE INTO article_topics(topic, article) VALUES (?, ?)", [(t, rowid) for t in item.topics])
        return True

    # ---------------------------------------------------------------- reading

    def article_rowids(
        self,
        view: View = View(),
        *,
        query: Query | str | None = None,
        sort: Sort = Sort.NEWEST,
        scope: Scope | None = None,
        limit: int | None = None,
    ) -> list[int]:
        """The rowids of the articles in ``view`` (and matching ``query``), in order."""
        sql, params = self._select("a.rowid", view, query, sort, scope)
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [row[0] for row in self._db.execute(sql, params)]

    def rows(self, rowids: Sequence[int]) -> dict[int, ListRow]:
        """List rows for ``rowids`` (those still in the library)."""
        sql = _IN_JSON.format(f"SELECT {_ROW_COLUMNS} FROM entries a WHERE a.rowid IN")
        return {row[0]: _list_row(row) for row in self._db.execute(sql, (json.dumps(list(rowids)),))}

    def row(self, rowid: int) -> ListRow | None:
        return self.rows([rowid]).get(rowid)

    def rowid_of(self, article_id: str) -> int | None:
        found = self._db.execute("SELECT rowid FROM articles WHERE id = ?", (article_id,)).fetchone()
        return int(found[0]) if found else None

    def article(self, key: int | str) -> Article | None:
        """The whole article, by rowid or id."""
        column = "rowid" if isinstance(key, int) else "id"
        found = self._db.execute(f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE {column} = ?", (key,)).fetchone()
        return _article_from_row(found) if found else None

    def articles(self, rowids: Sequence[int]) -> dict[int, Article]:
        """Whole articles for ``rowids`` (those still in the library), in one query."""
        sql = _IN_JSON.format(f"SELECT rowid, {_ARTICLE_COLUMNS} FROM articles WHERE rowid IN")
        return {row[0]: _article_from_row(row[1:]) for row in self._db.execute(sql, (json.dumps(list(rowids)),))}

    def is_read(self, article_id: str) -> bool:
        return self._mark(article_id, "read")

    def is_starred(self, article_id: str) -> bool:
        return self._mark(article_id, "starred")

    def _mark(self, article_id: str, column: str) -> bool:
        """An article's mark: from its entry while it is in the library, else as kept."""
        assert column in ("read", "starred")
        found = self._db.execute(
            f"SELECT e.{column} FROM articles w JOIN entries e ON e.rowid = w.rowid WHERE w.id = ?", (article_id,)
        ).fetchone()
        if found is None:
            found = self._db.execute(f"SELECT {column} FROM state WHERE id = ?", (article_id,)).fetchone()
        return bool(found and found[0])

    def paths(self, article_id: str) -> list[str]:
        """Every file that carries the article."""
        return [r[0] for r in self._db.execute("SELECT path FROM files WHERE article = ? ORDER BY path", (article_id,))]

    def problems(self, scope: Scope | None = None) -> list[Problem]:
        where, params = _file_scope_sql(scope, "path")
        sql = f"SELECT path, problem FROM files WHERE kind = 'problem' AND {where} ORDER BY path"
        return [Problem(path, reason) for path, reason in self._db.execute(sql, params)]

    def taxonomies(self) -> list[Taxonomy]:
        rows = self._db.execute(
            "SELECT id, taxonomy, name, domain, description, keywords, parents FROM taxonomy ORDER BY taxonomy, name"
        ).fetchall()
        return [_taxonomy_from_row(r) for r in rows]

    def describe_topic(self, name: str) -> Taxonomy | None:
        """The topic or tag definition whose name or id matches ``name``."""
        row = self._db.execute(
            "SELECT id, taxonomy, name, domain, description, keywords, parents FROM taxonomy "
            "WHERE taxonomy IN ('topic', 'tag') AND (name = ? OR id = ? OR id = ?) "
            "ORDER BY taxonomy = 'topic' DESC LIMIT 1",
            (name, f"topic:{name.lower()}", f"tag:{name.lower()}"),
        ).fetchone()
        return _taxonomy_from_row(row) if row else None

    def describe_source(self, name: str | None, domain: str | None = None) -> Taxonomy | None:
        """The organization definition matching a provider's domain or name."""
        row = self._db.execute(
            "SELECT id, taxonomy, name, domain, description, keywords, parents FROM taxonomy "
            "WHERE taxonomy = 'organization' AND (domain = ? OR name = ?) "
            "ORDER BY domain = ? DESC LIMIT 1",
            ((domain or "").lower(), name or "", (domain or "").lower()),
        ).fetchone()
        return _taxonomy_from_row(row) if row else None

    def counts(self, scope: Scope | None = None, now: float | None = None) -> Counts:
        """Total and unread counts for every view.

        Totals per source, language and topic come from indexes alone. Unread counts come
        from whichever is fewer, the read or the unread articles: one pass over those, so
        a library that is all unread (or all read) is counted about as fast as an empty one.
        """
        db = self._db
        where, params = self._scope_sql(scope)
        since = (time.time() if now is None else now) - TODAY_SECONDS
        total, unread, starred, starred_unread, today, today_unread = db.execute(
            "SELECT count(*), total(read = 0), total(starred), total(starred AND read = 0), "
            "total(published >= ?), total(published >= ? AND read = 0) "
            f"FROM entries a NOT INDEXED WHERE {where}",
            (since, since, *params),
        ).fetchone()
        unread = int(unread)
        count_read = unread > total - unread  # then the read ones are fewer: count those
        few = "a.read = 1" if count_read else "a.read = 0"

        def tally(totals_sql: str, few_sql: str, fold: bool) -> dict[str, Count]:
            """{name: Count} from (name, n) rows of all articles and of the few."""
            key = (lambda name: name.translate(_ASCII_LOWER)) if fold else (lambda name: name)
            names: dict[str, str] = {}
            totals: dict[str, int] = {}
            for name, n in db.execute(totals_sql, params):
                if name:
                    names.setdefault(key(name), name)
                    totals[key(name)] = totals.get(key(name), 0) + n
            few_counts: dict[str, int] = {}
            for name, n in db.execute(few_sql, params):
                if name:
                    few_counts[key(name)] = few_counts.get(key(name), 0) + n
            return {
                names[k]: Count(n, n - few_counts.get(k, 0) if count_read else few_counts.get(k, 0))
                for k, n in totals.items()
            }

        # (GROUP BY ... COLLATE NOCASE walks the NOCASE index in order: no sorting.)
        sources = tally(
            f"SELECT a.provider, count(*) FROM entries a WHERE {where} GROUP BY a.provider COLLATE NOCASE",
            f"SELECT a.provider, count(*) FROM entries a NOT INDEXED WHERE {where} AND {few} GROUP BY a.provider",
            fold=True,
        )
        languages = tally(
            f"SELECT a.language, count(*) FROM entries a WHERE {where} GROUP BY a.language",
            f"SELECT a.language, count(*) FROM entries a NOT INDEXED WHERE {where} AND {few} GROUP BY a.language",
            fold=False,
        )
        topic_scope = where.replace("a.rowid", "t.article")
        topics = tally(
            f"SELECT t.topic, count(*) FROM article_topics t WHERE {topic_scope} GROUP BY t.topic COLLATE NOCASE",
            "SELECT t.topic, count(*) FROM entries a NOT INDEXED JOIN article_topics t INDEXED BY article_topics_article "
            f"ON t.article = a.rowid WHERE {where} AND {few} GROUP BY t.topic COLLATE NOCASE",
            fold=True,
        )
        top, top_unread = db.execute(
            f"SELECT count(*), total(a.read = 0) FROM entries a WHERE {where} AND {stories.TOP_SQL}", params
        ).fetchone()
        file_where, file_params = _file_scope_sql(scope, "path")
        problems = db.execute(f"SELECT count(*) FROM files WHERE kind = 'problem' AND {file_where}", file_params).fetchone()[0]
        return Counts(
            all=Count(total, unread),
            unread=Count(unread, unread),
            starred=Count(int(starred), int(starred_unread)),
            today=Count(int(today), int(today_unread)),
            topics=dict(sorted(topics.items(), key=lambda item: item[0].translate(_ASCII_LOWER))),
            sources=dict(sorted(sources.items(), key=lambda item: item[0].translate(_ASCII_LOWER))),
            languages=dict(sorted(languages.items())),
            problems=problems,
            feeds=self._feed_counts(),
            top=Count(int(top), int(top_unread)),
        )

    def _feed_counts(self) -> dict[str, Count]:
        """Entries and unread entries of every feed file of a subscription (by the copy's
        path, which is kept relative to the data folder)."""
        counts = {}
        root = os.path.join(os.path.abspath(self.data_dir), "")
        for path, total, unread in self._db.execute(
            "SELECT ? || s.path, count(e.rowid), coalesce(sum(e.read = 0), 0) FROM subscriptions s "
            "LEFT JOIN files f ON f.path >= ? || s.path || ? AND f.path < ? || s.path || ? "
            "LEFT JOIN articles w ON w.id = f.article LEFT JOIN entries e ON e.rowid = w.rowid GROUP BY s.path",
            (root, root, feeds.ENTRY_MARK, root, os.sep + "$"),
        ):
            counts[path] = Count(total, int(unread))
        return counts

    def search(
        self,
        query: Query | str,
        *,
        sort: Sort = Sort.RANK,
        scope: Scope | None = None,
        limit: int | None = 50,
        view: View = View(),
    ) -> list[SearchHit]:
        """Articles matching ``query``, with highlighted snippets."""
        parsed = parse_query(query) if isinstance(query, str) else query
        snippet = (
            f"snippet(articles_fts, -1, '{MARK_START}', '{MARK_END}', '…', 16)" if parsed.match else "w.excerpt"
        )
        columns = f"{_ROW_COLUMNS}, w.url, w.topics, {snippet}"
        sql, params = self._select(columns, view, parsed, sort, scope, wide=True)
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        hits = []
        for row in self._db.execute(sql, params):
            topics = tuple(t for t in row[12].split("\n") if t)
            hits.append(SearchHit(_list_row(row), row[11], topics, row[13] or ""))
        return hits

    def _select(
        self,
        columns: str,
        view: View,
        query: Query | str | None,
        sort: Sort,
        scope: Scope | None,
        *,
        unread_only: bool = False,
        wide: bool = False,
    ) -> tuple[str, list[object]]:
        """SELECT ``columns`` FROM ``entries a`` (joined with the wide ``articles w`` when
        ``wide``, and with the full-text index when the query has words)."""
        parsed = parse_query(query) if isinstance(query, str) else query
        where: list[str] = ["a.read = 0"] if unread_only else []
        params: list[object] = []
        view_sql, view_params = _view_sql(view)
        if view_sql:
            where.append(view_sql)
            params.extend(view_params)
        if scope is not None:
            scope_sql, scope_params = self._scope_sql(scope)
            where.append(scope_sql)
            params.extend(scope_params)
        source = "entries a"
        order = _ORDER.get(sort, _ORDER[Sort.NEWEST])
        if view.kind is ViewKind.TOP and sort in (Sort.NEWEST, Sort.RANK):
            order = stories.TOP_ORDER
        if parsed is not None:
            if parsed.match:
                source = "articles_fts JOIN entries a ON a.rowid = articles_fts.rowid"
                where.insert(0, "articles_fts MATCH ?")
                params.insert(0, parsed.match)
                if sort is Sort.RANK:
                    order = "articles_fts.rank, a.published DESC"
            where.extend(parsed.where)
            params.extend(parsed.params)
        if wide:
            source += " JOIN articles w ON w.rowid = a.rowid"
        sql = f"SELECT {columns} FROM {source}"
        if where:
            sql += " WHERE " + " AND ".join(where)
        return sql + f" ORDER BY {order}", params

    # ---------------------------------------------------------------- state

    def set_read(self, ids: Iterable[str], read: bool = True) -> None:
        self._set_state(list(ids), "read", read)

    def set_starred(self, ids: Iterable[str], starred: bool = True) -> None:
        self._set_state(list(ids), "starred", starred)

    def toggle_read(self, article_id: str) -> bool:
        """Flip read/unread; returns the new value."""
        value = not self.is_read(article_id)
        self.set_read([article_id], value)
        return value

    def toggle_starred(self, article_id: str) -> bool:
        value = not self.is_starred(article_id)
        self.set_starred([article_id], value)
        return value

    def mark_view_read(
        self, view: View = View(), *, query: Query | str | None = None, scope: Scope | None = None
    ) -> Undo:
        """Mark every unread article of a view read (one statement); undo with :meth:`undo`."""
        sql, params = self._select("a.rowid", view, query, Sort.NEWEST, scope, unread_only=True)
        sql = sql[: sql.rindex(" ORDER BY ")]  # order does not matter here
        plain = "SELECT a.rowid FROM entries a WHERE "
        with self._transaction(urgent=True) as db:
            if sql.startswith(plain):  # no search words: straight over the narrow entries
                where = sql.removeprefix(plain)
            else:  # the full-text match, once
                db.execute("CREATE TEMP TABLE IF NOT EXISTS marked (rowid INTEGER PRIMARY KEY)")
                db.execute("DELETE FROM temp.marked")
                db.execute(f"INSERT INTO temp.marked {sql}", params)
                where, params = "a.rowid IN temp.marked", []
            # One string rather than 100,000 rows: several times faster to fetch.
            joined = db.execute(f"SELECT group_concat(a.id, char(10)) FROM entries a WHERE {where}", params).fetchone()[0]
            db.execute(f"UPDATE entries AS a SET read = 1 WHERE {where}", params)
        ids = joined.split("\n") if joined else []
        return Undo(tuple(ids), "read", False)

    def undo(self, undo: Undo) -> None:
        self._set_state(list(undo.ids), undo.column, undo.previous)

    def _set_state(self, ids: list[str], column: str, value: bool) -> None:
        with self._transaction(urgent=True):
            self._write_state(ids, column, value)

    def _write_state(self, ids: list[str], column: str, value: bool) -> None:
        assert column in ("read", "starred")
        payload = json.dumps(ids)
        self._db.execute(
            _IN_JSON.format(f"UPDATE entries SET {column} = ? WHERE rowid IN (SELECT rowid FROM articles WHERE id IN") + ")",
            (int(value), payload),
        )
        # Ids not in the library (yet): kept, and given to the article when it arrives.
        self._db.execute(
            f"INSERT INTO state(id, {column}, changed) SELECT value, ?, ? FROM json_each(?) "
            "WHERE value NOT IN (SELECT id FROM articles) "
            f"ON CONFLICT(id) DO UPDATE SET {column} = excluded.{column}, changed = excluded.changed",
            (int(value), time.time(), payload),
        )


# --------------------------------------------------------------------------- SQL helpers


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


def _guarded(method: Callable[..., Any]) -> Callable[..., Any]:
    """``method`` of :class:`Library`, recovering once from a library file found damaged
    while it runs (see :meth:`Library._recover`) and then running again on the new file."""

    @functools.wraps(method)
    def guarded(self: Library, *args: Any, **kwargs: Any) -> Any:
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


#: Library methods that recover from a damaged file (every public method that reads or writes).
_GUARDED = (
    "sync", "sync_changes", "group_stories", "article_rowids", "rows", "row", "rowid_of", "article", "articles",
    "is_read", "is_starred", "paths", "problems", "taxonomies", "describe_topic", "describe_source", "counts",
    "search", "set_read", "set_starred", "toggle_read", "toggle_starred", "mark_view_read", "undo", "stories",
)  # fmt: skip
for _name in _GUARDED:
    setattr(Library, _name, _guarded(getattr(Library, _name)))


def _statements(script: str) -> Iterator[str]:
    """The SQL statements of ``script`` one by one (a trigger's body stays whole)."""
    statement = ""
    for piece in script.split(";"):
        statement += piece + ";"
        if sqlite3.complete_statement(statement):
            if statement.strip(" \t\n;"):
                yield statement
            statement = ""


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
    paths = {row[0] for row in _rows_by_key(db, "files", "path", "path")}
    paths.update(row[0] for row in _rows_by_rowid(db, "articles", "path"))
    found.paths = sorted(p for p in paths if isinstance(p, str))
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


def _is_corruption(error: sqlite3.Error) -> bool:
    """Whether ``error`` says the file is not a (sound) database, rather than e.g. locked."""
    code = getattr(error, "sqlite_errorcode", None)
    return code is not None and code & 0xFF in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)


_IN_JSON = "{} (SELECT value FROM json_each(?))"
#: Lower-cases ASCII letters only, as SQLite's NOCASE collation compares.
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")

#: ``fts_upto`` when every article is in the full-text index.
FTS_ALL = 9223372036854775807
#: At least this many files to parse make a sync index search text in bulk ...
BULK_INDEX_MIN_FILES = 1000
#: ... every this many new articles (and at the end).
BULK_INDEX_STEP = 20_000
#: Files synced at a time when a damaged library is rebuilt from the files it knew.
REBUILD_STEP = 500
#: At least this many files to parse make a sync use worker processes.
PARALLEL_MIN_FILES = 400
#: Files a worker parses per task (small, so a cancel is quick and progress is smooth).
CHUNK_FILES = 100
_ARTICLE_KINDS = frozenset({"news", "text"})

_UPSERT_FILE = (
    "INSERT INTO files(path, size, mtime, kind, article, problem) VALUES (?, ?, ?, ?, ?, ?) "
    "ON CONFLICT(path) DO UPDATE SET size = excluded.size, mtime = excluded.mtime, "
    "kind = excluded.kind, article = excluded.article, problem = excluded.problem"
)
_INSERT_TOPIC = "INSERT OR IGNORE INTO article_topics(topic, article) SELECT ?, rowid FROM articles WHERE id = ?"


class Prepared(NamedTuple):
    """One parsed document, ready to be written (small and cheap to send between processes)."""

    path: str
    kind: str  #: news, text, taxonomy or problem
    id: str | None
    values: tuple[Any, ...] | None  #: article or taxonomy row
    topics: tuple[str, ...] = ()
    problem: str | None = None


def prepare(doc: Document | feeds.Feed, path: str, mtime: int) -> Prepared:
    if isinstance(doc, feeds.Feed):  # one file, many articles: expanded by _store
        return Prepared(path, "feed", None, tuple(prepare(a, a.path, mtime) for a in doc.articles))
    if isinstance(doc, Problem):
        return Prepared(path, "problem", None, None, (), doc.reason)
    if isinstance(doc, Taxonomy):
        row = (doc.id, doc.taxonomy, doc.name, doc.domain, doc.description, json.dumps(doc.keywords), json.dumps(doc.parents))
        return Prepared(path, "taxonomy", doc.id, row)
    return Prepared(path, str(doc.kind), doc.id, _article_values(doc, mtime), doc.topics)


def _expand_feeds(
    db: sqlite3.Connection, batch: Sequence[Prepared], found: dict[str, tuple[int, int]]
) -> tuple[list[Prepared], set[str]]:
    """A parsed feed file becomes a file row of its own plus one row per entry (under
    :func:`reader.feeds.entry_path`); entries a feed file no longer has (or all of them,
    when it is no longer a readable feed) are dropped. Returns the batch to store and the
    ids of the dropped entries' articles."""
    paths = json.dumps([item.path for item in batch])
    was_feed = {row[0] for row in db.execute(_IN_JSON.format("SELECT path FROM files WHERE kind = 'feed' AND path IN"), (paths,))}
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
        kept = {entry.path for entry in entries}
        low, high = item.path + feeds.ENTRY_MARK, item.path + os.sep + chr(ord("#") + 1)
        for path, article in db.execute("SELECT path, article FROM files WHERE path >= ? AND path < ?", (low, high)).fetchall():
            if path not in kept:
                db.execute("DELETE FROM files WHERE path = ?", (path,))
                if article:
                    dropped.add(article)
    return out, dropped


def parse_prepared(items: Sequence[tuple[str, int]]) -> list[Prepared]:
    """Parse and prepare documents (run in worker processes)."""
    return [prepare(parse_path(path), path, mtime) for path, mtime in items]


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
) -> Iterator[tuple[list[str], list[Prepared]]]:
    """Parse in this process, batch by batch, asking ``is_cancelled`` every few files.
    ``start`` and ``done``: a first batch already partly parsed elsewhere."""
    if start:
        head = list(todo[: max(0, batch_size - len(start))])
        docs = [parse_path(path) for path in head]
        yield list(start) + head, list(done) + [prepare(d, p, found.get(p, (-1, -1))[1]) for p, d in zip(head, docs)]
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
        yield batch, [prepare(doc, path, found.get(path, (-1, -1))[1]) for path, doc in zip(batch, docs)]


def _parse_in_processes(
    todo: Sequence[str],
    found: dict[str, tuple[int, int]],
    batch_size: int,
    is_cancelled: Callable[[], bool],
    processes: int,
) -> Iterator[tuple[list[str], list[Prepared]]]:
    """Parse in worker processes (spawned: never fork a process with threads or Qt),
    yielding results in order, a batch at a time; stops quickly when cancelled."""
    import multiprocessing
    from collections import deque
    from concurrent.futures import Future, ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    chunks = [list(todo[i : i + CHUNK_FILES]) for i in range(0, len(todo), CHUNK_FILES)]
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(max_workers=processes, mp_context=context, initializer=_init_worker)
    in_flight: deque[tuple[list[str], Future[list[Prepared]]]] = deque()
    ahead = processes * 3
    next_chunk = 0
    batch: list[str] = []
    prepared: list[Prepared] = []
    try:
        while next_chunk < len(chunks) or in_flight:
            while next_chunk < len(chunks) and len(in_flight) < ahead:
                chunk = chunks[next_chunk]
                items = [(path, found.get(path, (-1, -1))[1]) for path in chunk]
                in_flight.append((chunk, pool.submit(parse_prepared, items)))
                next_chunk += 1
            if is_cancelled():
                return
            chunk, future = in_flight.popleft()
            batch += chunk
            try:
                prepared += future.result()
            except BrokenProcessPool as error:  # workers could not start or died: go on here
                log.warning("parsing in worker processes failed (%s); parsing in this process", error)
                rest = chunk + [p for c, _f in in_flight for p in c] + [p for c in chunks[next_chunk:] for p in c]
                in_flight.clear()
                next_chunk = len(chunks)
                batch = batch[: len(batch) - len(chunk)]
                yield from _parse_here(rest, found, batch_size, is_cancelled, None, start=batch, done=prepared)
                return
            if len(batch) >= batch_size or not in_flight:
                yield batch, prepared
                batch, prepared = [], []
    finally:
        pool.shutdown(wait=False, cancel_futures=True)

_ARTICLE_COLUMNS = (
    "id, path, source_mtime, kind, title, excerpt, body, published, url, amp_url, provider, domain, "
    "provider_icon, topics, quality, heat, featured, language, data"
)
#: (The trigger ``entries_insert`` adds the article's list entry, with the user's marks.)
_INSERT_ARTICLE = f"INSERT INTO articles({_ARTICLE_COLUMNS}, added) VALUES ({', '.join('?' * 20)})"


def _signature(path: str) -> tuple[int, int]:
    """Size and modification time (ns) of the file at ``path``; (-1, -1) when it cannot be
    read (parsing says why)."""
    try:
        info = os.stat(path)
    except OSError:
        return (-1, -1)
    return (info.st_size, info.st_mtime_ns)


def _view_sql(view: View) -> tuple[str, list[object]]:
    match view.kind:
        case ViewKind.ALL:
            return "", []
        case ViewKind.UNREAD:
            return "a.read = 0", []
        case ViewKind.STARRED:
            return "a.starred = 1", []
        case ViewKind.TODAY:
            return "a.published >= ?", [time.time() - TODAY_SECONDS]
        case ViewKind.TOPIC:
            return "a.rowid IN (SELECT t.article FROM article_topics t WHERE t.topic = ?)", [view.value]
        case ViewKind.SOURCE:
            return "a.provider = ? COLLATE NOCASE", [view.value]
        case ViewKind.LANGUAGE:
            return "a.language = ?", [view.value]
        case ViewKind.FEED:
            low = (view.value or "") + feeds.ENTRY_MARK
            return "a.rowid IN (SELECT w.rowid FROM files f JOIN articles w ON w.id = f.article WHERE f.path >= ? AND f.path < ?)", [low, low[:-1] + "$"]
        case ViewKind.TOP:
            return stories.TOP_SQL, []
    raise ValueError(f"unknown view {view}")  # pragma: no cover


def _file_scope_sql(scope: Scope | None, column: str) -> tuple[str, list[object]]:
    """A condition on a files path column: the file is one of, or under one of, ``scope``."""
    if scope is None:
        return "1", []
    if not scope:
        return "0", []
    conditions, params = [], []
    for root in scope:
        folder = root.rstrip(os.sep) + os.sep
        # Paths under `folder` sort between folder + "/" and folder + "0" ("0" follows "/").
        conditions.append(f"({column} = ? OR ({column} >= ? AND {column} < ?))")
        params.extend([root, folder, folder[:-1] + chr(ord(os.sep) + 1)])
    return "(" + " OR ".join(conditions) + ")", params


def _article_scope_sql(scope: Scope | None) -> tuple[str, list[object]]:
    """The scope as a condition on articles (the slow, always-correct form)."""
    if scope is None:
        return "1", []
    where, params = _file_scope_sql(scope, "f.path")
    return f"a.id IN (SELECT f.article FROM files f WHERE {where})", params


def _timestamp(moment: datetime | None) -> float | None:
    return moment.timestamp() if moment is not None else None


def _datetime(stamp: float | None) -> datetime | None:
    return datetime.fromtimestamp(stamp, timezone.utc) if stamp is not None else None


def _image_json(image: Image) -> dict[str, object]:
    return {"url": image.url, "width": image.width, "height": image.height, "title": image.title}


def _provider_json(provider: Provider | None) -> dict[str, object] | None:
    if provider is None:
        return None
    return {"name": provider.name, "domain": provider.domain, "icon_url": provider.icon_url}


def _article_values(article: Article, mtime: int) -> tuple[object, ...]:
    data = {
        "images": [_image_json(i) for i in article.images],
        "related": [
            {
                "title": r.title,
                "url": r.url,
                "excerpt": r.excerpt,
                "published": _timestamp(r.published),
                "provider": _provider_json(r.provider),
                "quality": r.quality,
                "images": [_image_json(i) for i in r.images],
            }
            for r in article.related
        ],
        "extra": dict(article.extra),
    }
    provider = article.provider
    return (
        article.id,
        article.path,
        mtime,
        str(article.kind),
        article.title,
        article.excerpt,
        article.body,
        _timestamp(article.published),
        article.url,
        article.amp_url,
        provider.name if provider else None,
        provider.domain.lower() if provider and provider.domain else None,
        provider.icon_url if provider else None,
        "\n".join(article.topics),
        article.quality,
        article.heat,
        int(article.featured),
        article.language,
        json.dumps(data, ensure_ascii=False),
    )


def _image(data: dict[str, Any]) -> Image:
    return Image(url=data["url"], width=data.get("width"), height=data.get("height"), title=data.get("title"))


def _provider(data: dict[str, Any] | None) -> Provider | None:
    if not data:
        return None
    return Provider(name=data["name"], domain=data.get("domain"), icon_url=data.get("icon_url"))


def _article_from_row(row: Sequence[Any]) -> Article:
    (id_, path, _mtime, kind, title, excerpt, body, published, url, amp_url, provider, domain, icon,
     topics, quality, heat, featured, language, data_json) = row  # fmt: skip
    data = json.loads(data_json)
    return Article(
        id=id_,
        path=path,
        kind=Kind(kind),
        title=title,
        excerpt=excerpt,
        body=body,
        published=_datetime(published),
        url=url,
        amp_url=amp_url,
        provider=Provider(provider, domain, icon) if provider else None,
        topics=tuple(t for t in topics.split("\n") if t),
        images=tuple(_image(i) for i in data.get("images", ())),
        related=tuple(
            Related(
                title=r["title"],
                url=r.get("url"),
                excerpt=r.get("excerpt"),
                published=_datetime(r.get("published")),
                provider=_provider(r.get("provider")),
                quality=r.get("quality"),
                images=tuple(_image(i) for i in r.get("images", ())),
            )
            for r in data.get("related", ())
        ),
        quality=quality,
        heat=heat,
        featured=bool(featured),
        language=language,
        extra=MappingProxyType(data.get("extra", {})),
    )


def _taxonomy_from_row(row: Sequence[Any]) -> Taxonomy:
    id_, kind, name, domain, description, keywords, parents = row
    return Taxonomy(
        id=id_,
        path="",
        taxonomy=kind,
        name=name,
        domain=domain,
        description=description,
        keywords=tuple(json.loads(keywords)),
        parents=tuple(json.loads(parents)),
    )
