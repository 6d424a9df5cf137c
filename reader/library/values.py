"""The values the library hands out and takes: views, sorts, scopes, rows, counts,
sync reports and errors. No SQL here."""

from __future__ import annotations

import enum
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from reader.article import Problem


DB_FILENAME = "library.sqlite3"


ENV_DATA_DIR = "READER_DATA_DIR"


TODAY_SECONDS = 24 * 60 * 60


def today_bounds(now: float | None = None) -> tuple[float, float]:
    """The first and last time of Today: the 24 hours up to ``now`` (the clock's when not
    given), not what is dated after it."""
    until = time.time() if now is None else now
    return until - TODAY_SECONDS, until


class LibraryError(Exception):
    """The library cannot be opened or used; the message is meant for the user."""


def default_data_dir() -> Path:
    """``$READER_DATA_DIR`` if set, else the platform's user data folder for Reader."""
    env = os.environ.get(ENV_DATA_DIR)
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("reader", appauthor=False))


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
    SAVED = "saved"  #: a saved search (value: its name)
    LABEL = "label"  #: the articles with one of the user's labels (value: the label)


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
    labels: tuple[str, ...] = ()  #: the user's labels on it


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
    #: Saved searches by name, in the user's order.
    saved: dict[str, Count] = field(default_factory=dict)
    #: Every label by name (those on no article too), in alphabetical order.
    labels: dict[str, Count] = field(default_factory=dict)

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
            case ViewKind.SAVED:
                return self.saved.get(view.value or "", Count())
            case ViewKind.LABEL:
                return self.labels.get(view.value or "", Count())
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
    """What :meth:`Library.mark_view_read` or :meth:`Library.mark_rows_read` changed, for
    :meth:`Library.undo`. ``column`` is ``read``, ``starred``, ``hidden`` or ``label:NAME``;
    ``also``: more changes undone with it."""

    ids: tuple[str, ...]
    column: str
    previous: bool
    also: tuple[Undo, ...] = ()


@dataclass(frozen=True, slots=True)
class SavedSearch:
    """A query kept under a name; with ``actions``, a rule (see :mod:`reader.library.rules`)."""

    name: str
    query: str
    actions: tuple[str, ...] = ()
    acted: int = 0  #: articles its rule acted on


@dataclass(frozen=True, slots=True)
class SearchHit:
    row: ListRow
    url: str | None
    topics: tuple[str, ...]
    #: Matching text with each match wrapped in :data:`MARK_START` / :data:`MARK_END`.
    snippet: str


MARK_START, MARK_END = "\ue000", "\ue001"
