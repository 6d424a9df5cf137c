"""Plain data the views, the window and the query thread share: the keys of the sidebar's
items, an article listing prepared off the GUI thread, and counts adjusted for a mark
shown at once. No Qt here: the query thread builds these without touching a widget."""

from __future__ import annotations

from dataclasses import dataclass, replace

from reader.library import Count, Counts, Library, View, ViewKind
from reader.search import Query, QueryError, parse_query

#: The Problems item is not a library view; it has its own key.
PROBLEMS = "problems"
#: Nor is Trends (it lists topics and sources: see reader.ui.trends_view).
TRENDS = "trends"
Key = View | str


@dataclass(frozen=True, slots=True)
class ShownSaved:
    """The saved search a view shows, read once when the view or the library changes (not
    for every list, count or mark)."""

    name: str  #: as the library spells it
    query: Query | None  #: None: its query is malformed
    error: str | None  #: what is wrong with its query


def shown_saved(library: Library, key: Key) -> ShownSaved | None:
    """The saved search the view ``key`` shows (None: not a saved search's view, or none of that name)."""
    if not isinstance(key, View) or key.kind != ViewKind.SAVED or not key.value:
        return None
    saved = library.saved_search(key.value)
    if saved is None:
        return None
    try:
        return ShownSaved(saved.name, parse_query(saved.query), None)
    except QueryError as error:
        return ShownSaved(saved.name, None, error.message)

#: More separate insertions than this in one refresh reset the model instead.
MAX_INSERT_RUNS = 40


@dataclass(frozen=True, slots=True)
class Listing:
    """The rowids of a view, with what the model would otherwise work out on the GUI thread
    (the row of each rowid, and how the list grew from ``base``): see :func:`prepare_listing`.

    A model takes ``rowids`` over as it is: nobody may change that list afterwards."""

    rowids: list[int]
    positions: dict[int, int] | None = None
    base: list[int] | None = None  #: the list ``runs`` was worked out from
    runs: list[tuple[int, list[int]]] | None = None  #: insertions from ``base``; None: not only insertions
    outlets: dict[int, int] | None = None  #: collapsed stories: rowid -> number of outlets
    articles: int | None = None  #: how many articles its rows hold (None: one a row)
    #: The library's last rowid before the list was read (Library.last_rowid): articles
    #: with a larger one arrived after it (None: not known).
    upto: int | None = None
    stories: bool = False  #: each row stands for its story (stories collapsed)


def prepare_listing(rowids: list[int], base: list[int] | None = None, outlets: dict[int, int] | None = None,
                    articles: int | None = None, *, upto: int | None = None, stories: bool = False) -> Listing:
    """A :class:`Listing` of ``rowids`` (on any thread: it touches no Qt object). ``base``,
    the list a model shows now, lets an update that only adds rows be inserted, not reset;
    ``articles``: how many articles the rows hold (stories collapsed); ``upto`` and
    ``stories``: see :class:`Listing`."""
    positions = dict(zip(rowids, range(len(rowids)), strict=True))
    runs = insertion_runs(base, rowids) if base is not None else None
    return Listing(rowids, positions, base, runs, outlets, articles, upto, stories)


def insertion_runs(old: list[int], new: list[int]) -> list[tuple[int, list[int]]] | None:
    """When ``new`` is ``old`` with rows inserted, the insertions as (position, rowids)
    in ascending order of position in ``new``; None otherwise."""
    if len(new) == len(old):
        return [] if new == old else None
    if len(new) < len(old):
        return None
    if not old:
        return [(0, list(new))]
    runs: list[tuple[int, list[int]]] = []
    i = 0
    for j, value in enumerate(new):
        if i < len(old) and old[i] == value:
            i += 1
            continue
        if runs and runs[-1][0] + len(runs[-1][1]) == j:
            runs[-1][1].append(value)
        else:
            runs.append((j, [value]))
        if len(runs) > MAX_INSERT_RUNS:
            return runs
    return runs if i == len(old) else None


@dataclass(frozen=True, slots=True)
class StateChange:
    """One article's read or starred state changed: what its sidebar items need to know."""

    topics: tuple[str, ...]
    source: str | None
    language: str | None
    today: bool  #: whether the article is in the Today view
    was_read: bool
    read: bool
    was_starred: bool
    starred: bool
    top: bool = False  #: whether the article leads a story in Top Stories
    labels: tuple[str, ...] = ()  #: the user's labels on the article
    #: Saved searches known to hold the article whatever its marks (others are recounted).
    saved: tuple[str, ...] = ()


def adjusted(counts: Counts, change: StateChange) -> Counts:
    """``counts`` as they are after ``change`` (an estimate shown at once, until the
    library's recount arrives). Topics, sources, labels and saved searches match without
    regard to ASCII case, as the library groups them."""
    unread = int(not change.read) - int(not change.was_read)
    starred = int(change.starred) - int(change.was_starred)
    starred_unread = int(change.starred and not change.read) - int(change.was_starred and not change.was_read)
    if not unread and not starred:
        return counts

    def plus(count: Count, total: int, more_unread: int) -> Count:
        return Count(max(0, count.total + total), max(0, count.unread + more_unread))

    def facet(items: dict[str, Count], names: tuple[str, ...]) -> dict[str, Count]:
        wanted = {_nocase(n) for n in names if n}
        if not unread or not wanted:
            return items
        return {name: plus(c, 0, unread) if _nocase(name) in wanted else c for name, c in items.items()}

    return replace(
        counts,
        all=plus(counts.all, 0, unread),
        unread=plus(counts.unread, unread, unread),
        starred=plus(counts.starred, starred, starred_unread),
        today=plus(counts.today, 0, unread) if change.today else counts.today,
        top=plus(counts.top, 0, unread) if change.top else counts.top,
        topics=facet(counts.topics, change.topics),
        sources=facet(counts.sources, (change.source or "",)),
        languages={k: plus(c, 0, unread) if k == change.language else c for k, c in counts.languages.items()},
        labels=facet(counts.labels, change.labels),
        saved=facet(counts.saved, change.saved),
    )



def all_read(counts: Counts) -> Counts:
    """``counts`` with every article read."""

    def read(items: dict[str, Count]) -> dict[str, Count]:
        return {name: Count(c.total, 0) for name, c in items.items()}

    return replace(
        counts,
        all=Count(counts.all.total, 0),
        unread=Count(),
        starred=Count(counts.starred.total, 0),
        today=Count(counts.today.total, 0),
        topics=read(counts.topics),
        sources=read(counts.sources),
        languages=read(counts.languages),
        feeds=read(counts.feeds),
        top=Count(counts.top.total, 0),
        saved=read(counts.saved),
        labels=read(counts.labels),
    )

_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _nocase(text: str) -> str:
    """SQLite's NOCASE: only ASCII letters fold."""
    return text.translate(_ASCII_LOWER)
