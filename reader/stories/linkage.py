"""Stories by linkage of whole groups: the items of a day grouped together with the open groups. No Qt, no SQL.

The grouping that :mod:`reader.stories.matching` and :mod:`reader.stories.related` do places
each article and each related entry once, in one order, against the stories of that moment;
one event's reports worded apart end up in several stories. Here the items (documents and
related entries, each with its unit vector of rarity-weighted words and names) are grouped
together: the two groups whose centroids (the sums of their items' vectors) are the most
similar become one, again and again, while that cosine reaches :attr:`Bounds.bar` and they
stay within the bounds. A group is met as a whole: an item close to one member and far from
the rest does not join it (no chain through one link).

Day by day (:class:`Linker`): each day (UTC) the items that come that day (a document on its
date, a related entry with the first document that lists it) and the items of the groups
still open are grouped again, from single items. A group whose last item lies more than
:attr:`Bounds.span_days` before the start of a day is final from that day: it is never taken
apart again, and an item that comes later but is dated before (a related entry listed first
by a later document) does not join it. A final group is met again only through a document's
list: while a document that lists, or is listed by, one of its documents within
:attr:`Bounds.linked_days` is grouped again, it is one unit among those single items, met as
a whole (its value with another unit counts every pair of their items), and it stays one unit
in the group it joins. So the final groups of the items up to a day never depend on the items
that come after it but through such a link: newer items are added with the same groups as
grouping everything at once (:func:`link`), and a day regroups only the items of the last
days (and the final groups their documents' lists name).

How similar two groups are: ``(cA · cB + own × links) / (‖cA‖ ‖cB‖)``, with ``cA`` the sum
of A's unit vectors and ``links`` the pairs of a document and an entry of its own list
between them (each counts :attr:`Bounds.own` more): the sum of the cosines of all their pairs
of items, over the lengths of their centroids — a group of reports worded alike has a long
centroid and asks more of a newcomer than one of reports worded apart. Two groups are
compared only when they hold a pair of items of :attr:`Bounds.pair` or more, within
:attr:`Bounds.span_days` of each other. The value of every pair of items within the span
that have a word in common (or a list link) is found once, as the later of them comes; a
merged group's sums with the others are its two parts' added. A pair of items more than the
span apart counts for nothing (two groups that hold one may not join anyway), but for two
documents one of which lists the other, within :attr:`Bounds.linked_days`. The values are
kept in dense tables (numpy), an item still open a row of them and a day's group a row of
that day's: the new items' pairs are found a day at a time from one index of the open items'
terms, and a merge adds one row into another. Each sum is still added one term after
another in the order of the terms' words, so it is the same whichever item comes first and
however the items are split into additions.

The bounds:

* a group spans at most :attr:`Bounds.span_days` (its items' dates; an entry without one
  takes its document's) and holds at most :attr:`Bounds.most` items; two groups whose mean
  dates lie more than 12 hours apart need :attr:`Bounds.per_day` more for each day beyond
  (a saga's next event, days later in the same words, is another story);
* copies of one headline (the same words, long enough to be a headline:
  :func:`~reader.stories.titles.is_headline`) are one report: two groups that hold copies of
  one need nothing more for the days between them (the span still bounds them);
* two groups that hold two documents one of which lists the other (the archive's own
  "related" coverage, one event reported over days in other words) need nothing more for
  the days between them, count :attr:`Bounds.own_documents` for that pair, and may span up to
  :attr:`Bounds.linked_days` together (a final group is met again for it, whole);
* a piece about the news (:func:`~reader.stories.titles.aside`) joins nothing but copies of
  its own headline (a group of nothing but those);
* two groups whose titles each name a subject, missing from the other's words, stay apart
  (two firms' press releases of one mould): a name of the title (a key of its vector "@…"
  found in its title) that, among the items come so far dated up to the span after it, at
  most :attr:`Bounds.subjects` items name and hold as a word;
* an item without a date is placed afterwards, in the group whose dated items it meets best
  on average by its words alone, at the bar or more (:func:`_place_undated`: neither its
  headline nor its lists count there).

The result depends only on the items, never on the order they are given in, nor on how
they are split into additions of later days: ties are broken by date and name. Measured
against the single pass on the gold set by ``bench/stories_linkage.py``; Reader's grouping
(:mod:`reader.stories.storage`) does not use it yet.
"""

from __future__ import annotations

import heapq
import re
from bisect import bisect_right, insort
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from reader.stories.matching import CANDIDATE_TERMS, POSTING_MAX
from reader.stories.model import MAX_VERSIONS
from reader.stories.titles import is_headline

_DAY = 86_400.0
#: Mean dates closer than this need nothing more (:attr:`Bounds.per_day`).
_SAME_TIME = 0.5 * _DAY
#: Terms by number (sorted), each one's slot and weight (:meth:`Linker._index`)
_Index = tuple[npt.NDArray[np.intp], npt.NDArray[np.intp], npt.NDArray[np.float64]]
#: At most so many keys (a new item and a slot) of new items' pairs are counted at once
_CELLS = 1 << 22
#: The fewest slots the tables hold
_SLOTS = 64
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Point:
    """One item to group."""

    vector: Mapping[str, float]  #: its unit vector (a name's key starts with "@")
    when: float | None  #: its date (a related entry without one: its document's)
    title: str  #: its title, in lower case
    aside: bool = False  #: a piece about the news (:func:`~reader.stories.titles.aside`)
    #: When it comes to be grouped, if not on its date: a related entry comes with the first
    #: document that lists it
    comes: float | None = None


@dataclass(frozen=True, slots=True)
class Bounds:
    """What two groups must meet to become one (chosen on the gold set's tuning parts)."""

    bar: float = 0.2  #: the cosine of their centroids (with what list links add)
    pair: float = 0.15  #: two groups are compared when they hold a pair of items this similar
    span_days: float = 2.0  #: the most a group spans
    per_day: float = 0.4  #: more for each day their mean dates lie apart beyond 12 hours
    own: float = 0.1  #: more for a pair of a document and an entry of its own list
    #: Two groups that hold two documents one of which lists the other may span this much (or the
    #: span, if longer), with nothing more asked for the days between (one event's reports over a week)
    linked_days: float = 7.0
    own_documents: float = 0.2  #: more (instead of :attr:`own`) for such a pair of documents
    #: A title's name that at most this many items name and hold as a word is its subject (0: none)
    subjects: int = 1
    asides: bool = True  #: pieces about the news join nothing but copies of their headline
    most: int = MAX_VERSIONS  #: the most items a group holds


@dataclass(slots=True)
class _Group:
    members: list[int]
    centroid: dict[str, float]  #: the sum of its items' unit vectors (none kept once it is final)
    first: float | None
    last: float | None
    date_sum: float
    dated: int
    subjects: set[str]
    aside: bool
    headlines: set[str]  #: its items' headlines (:func:`_headline`)
    #: The one headline all its items are copies of, if they are (None: any other group)
    copies_of: str | None
    square: float = 1.0  #: the squared length of its centroid
    #: The items (by number) that a document of it lists or is listed by, documents both
    linked: set[int] = field(default_factory=set)
    version: int = 0  #: how many times it grew (a value worked out before is stale)
    items: int = 1  #: how many items it holds


@dataclass(slots=True)
class _Done:
    """A group of the days grouped: its items' names, in order (the first names it), and its sums."""

    names: list[str]
    group: _Group
    #: The final groups it took whole (met again through a document's list): each stays one
    cores: list[_Done] = field(default_factory=list)


class Late(ValueError):
    """An item that comes before the last day grouped: only grouping every item again places it."""


def link(points: Mapping[str, Point], lists: Mapping[str, Sequence[str]] | None = None,
         bounds: Bounds = Bounds()) -> dict[str, str]:
    """The group of every item of ``points``, named by its first item (by date, then name).

    ``lists``: the items each document lists (its related entries, or other documents),
    by name; a pair of a document and an item of its list counts :attr:`Bounds.own` more."""
    linker = Linker(bounds)
    linker.add(points, lists)
    return linker.groups()


class Linker:
    """Items grouped day by day as they come (see the module): :meth:`add` newer items, then
    :meth:`groups` — the same groups as :func:`link` of them all at once."""

    def __init__(self, bounds: Bounds = Bounds()) -> None:
        self.bounds = bounds
        self._span = bounds.span_days * _DAY
        self._points: dict[str, Point] = {}
        #: Each item's partners by a list, both ways, whether they came yet or not (a link counts
        #: once both came: only items come are ever looked at together)
        self._listed: dict[str, set[str]] = {}
        #: Each dated item's squared length (its group's, alone)
        self._squares: dict[str, float] = {}
        #: Each key's first dates (:attr:`Bounds.subjects` and one more): those of the items come
        #: so far whose vector holds it, in order — whether more than so many are dated up to a time
        self._dates: dict[str, list[float]] = {}
        #: The items that may still be grouped again: their terms, and their places (slots) in
        #: two tables of their pairs within the span (a word in common or a list link): the values
        #: (0: none) and which reach :attr:`Bounds.pair`
        self._slot: dict[str, int] = {}
        self._terms: dict[str, int] = {}  #: each term's number
        #: Each of those items' terms (by number) and their weights, in the order of the terms' words
        self._vectors: dict[str, tuple[npt.NDArray[np.intp], npt.NDArray[np.float64]]] = {}
        self._whens: npt.NDArray[np.float64] = np.zeros(0)  #: the date of the item in each slot
        self._free: list[int] = []  #: the slots of items made final, for the next ones
        self._values: npt.NDArray[np.float64] = np.zeros((0, 0))
        self._adjacent: npt.NDArray[np.bool_] = np.zeros((0, 0), dtype=bool)
        self._final: dict[str, _Done] = {}  #: by its first item
        #: Each document's final group (met again, whole, through the document's list)
        self._home: dict[str, _Done] = {}
        self._open: list[_Done] = []  #: the last day's groups that may still grow
        self._day: int | None = None  #: the last day grouped
        self._undated: list[str] = []
        self._documents: set[str] = set()  #: the items that list others (their lists given)
        #: How far apart two documents that list one another may be (never less than the span)
        self._linked = max(self._span, bounds.linked_days * _DAY)
        #: Each dated item's headline (:func:`_headline`) and the names of its vector in its title
        self._titles: dict[str, tuple[str | None, set[str]]] = {}

    def add(self, points: Mapping[str, Point], lists: Mapping[str, Sequence[str]] | None = None) -> None:
        """Add the items ``points`` and the lists of the new documents among them (``lists``,
        as :func:`link` takes them). Raises :class:`Late`, having added nothing, when one of
        them comes on a day before the last day grouped (that day itself is grouped again)."""
        coming: list[tuple[float, float, str]] = []
        for name, point in points.items():
            if name in self._points:
                raise ValueError(f"{name!r} is grouped already")
            comes = point.when if point.comes is None else point.comes
            if point.when is not None and comes is not None:
                coming.append((comes, point.when, name))
        coming.sort()
        if coming and self._day is not None and _day_of(coming[0][0]) < self._day:
            raise Late(coming[0][2])
        self._points.update(points)
        self._undated += [name for name, point in points.items() if point.when is None]
        self._documents.update(lists or ())
        for document, names in (lists or {}).items():
            for name in names:
                if name != document:
                    self._listed.setdefault(name, set()).add(document)
                    self._listed.setdefault(document, set()).add(name)
        start = 0
        while start < len(coming):
            day = _day_of(coming[start][0])
            end = start
            while end < len(coming) and _day_of(coming[end][0]) == day:
                end += 1
            names = [name for _, _, name in coming[start:end]]
            start = end
            if day != self._day:  # (else the last day again, with its new items)
                self._close(day * _DAY)
            self._step(day, names, self._come(names))

    def groups(self) -> dict[str, str]:
        """The group of every item added, named by its first item (by date, then name)."""
        done = [*self._final.values(), *self._open]
        out = {name: d.names[0] for d in done for name in d.names}
        out.update((name, name) for name in self._undated)
        out.update(_place_undated(self._points, sorted(self._undated), done, self.bounds))
        return out

    def _come(self, names: Sequence[str]) -> _Index:
        """Count the new items' terms, and find their pairs among the items that may still be
        grouped again, within the span of each other: the value of each pair with a word in
        common or a list link, and which of them reach :attr:`Bounds.pair`. A pair's value is
        the sum of its terms' products in the order of the terms' words, one after another,
        whichever of the two items comes first. Returns the index of the terms of the items
        that may still be grouped again, the new ones among them (:meth:`_index`)."""
        bounds, points, slot, terms = self.bounds, self._points, self._slot, self._terms
        self._make_room(len(names))
        for name in names:
            point = points[name]
            when = point.when or 0.0
            words = _WORD.findall(point.title)
            title = set(words)
            self._titles[name] = (_headline(words), {key for key in point.vector if key[0] == "@" and key[1:] in title})
            self._squares[name] = sum([w * w for w in sorted(point.vector.values())])
            if bounds.subjects:
                most = bounds.subjects
                for key in point.vector:
                    dates = self._dates.setdefault(key, [])
                    if len(dates) <= most or when < dates[-1]:
                        insort(dates, when)
                        del dates[most + 1:]
            items = sorted(point.vector.items())
            self._vectors[name] = (np.array([terms.setdefault(key, len(terms)) for key, _ in items], dtype=np.intp),
                                   np.array([weight for _, weight in items], dtype=np.float64))
            slot[name] = self._free.pop()
            self._whens[slot[name]] = when
        table = self._index()
        # (the new items' slots come after every other's: a new item meets those before it)
        rank = np.full(len(self._whens), -1, dtype=np.intp)
        rank[[slot[name] for name in names]] = np.arange(len(names))
        step = max(1, _CELLS // len(self._whens))  # (so many new items at a time: their tables bounded)
        for start in range(0, len(names), step):
            self._pairs(names[start:start + step], start, rank, table)
        return table

    def _index(self) -> _Index:
        """The terms of every item in a slot, by number (sorted: a term's range is found by
        halving), with each one's slot and weight."""
        names = list(self._slot)
        if not names:
            return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp), np.zeros(0)
        vectors = [self._vectors[name] for name in names]
        numbers = np.concatenate([ids for ids, _ in vectors])
        order = np.argsort(numbers, kind="stable")
        slots = np.repeat(np.array([self._slot[name] for name in names], dtype=np.intp), [len(ids) for ids, _ in vectors])
        return numbers[order], slots[order], np.concatenate([weights for _, weights in vectors])[order]

    def _pairs(self, names: Sequence[str], first: int, rank: npt.NDArray[np.intp], table: _Index) -> None:
        """Find the pairs of the new items ``names`` (the ``first`` of them and on, by ``rank``)
        with the items in a slot come before them (``table``: :meth:`_index`), within the span of
        each other, and keep their values (with their list links) and which reach the pair's bar."""
        bounds, listed, slot, whens = self.bounds, self._listed, self._slot, self._whens
        mine = [self._vectors[name] for name in names]
        counts = [len(ids) for ids, _ in mine]
        size = len(names) * len(whens)  # (a key for each new item and slot)
        if not sum(counts):
            cosines, present = np.zeros(size), np.zeros(size, dtype=bool)
        else:
            ids = np.concatenate([ids for ids, _ in mine])
            weights = np.concatenate([ws for _, ws in mine])
            positions = np.repeat(np.arange(len(names)), counts)
            starts, ends = np.searchsorted(table[0], ids, "left"), np.searchsorted(table[0], ids, "right")
            found = _expand(starts, ends)
            entry = np.repeat(np.arange(len(ids)), ends - starts)
            others = table[1][found]
            before = rank[others] < positions[entry] + first
            entry, found, others = entry[before], found[before], others[before]
            keys = positions[entry] * len(whens) + others
            # (one key after another in the order of each new item's terms: a pair's sum as it was;
            # as floats even when no term is found: bincount then gives integers)
            cosines = np.bincount(keys, weights=weights[entry] * table[2][found], minlength=size).astype(np.float64, copy=False)
            present = np.bincount(keys, minlength=size) > 0
        # (a pair with a list link: its link counts, within the week for two documents)
        linked: dict[int, float] = {}
        for position, name in enumerate(names):
            if name not in listed:
                continue
            document = name in self._documents
            for other in listed[name]:
                if (at := slot.get(other)) is None or rank[at] >= position + first:
                    continue
                both = document and other in self._documents
                pair = position * len(whens) + at
                present[pair] = False
                if abs(whens[at] - whens[slot[name]]) <= (self._linked if both else self._span):
                    linked[pair] = bounds.own_documents if both else bounds.own
        keys = np.flatnonzero(present)
        news = np.array([slot[name] for name in names], dtype=np.intp)
        rows, columns = news[keys // len(whens)], keys % len(whens)
        near = np.abs(whens[columns] - whens[rows]) <= self._span
        rows, columns, values = rows[near], columns[near], cosines[keys[near]]
        if linked:
            extra = np.array(list(linked), dtype=np.intp)
            rows = np.concatenate([rows, news[extra // len(whens)]])
            columns = np.concatenate([columns, extra % len(whens)])
            values = np.concatenate([values, cosines[extra] + np.array(list(linked.values()))])
        close = values >= bounds.pair
        for a, b in ((rows, columns), (columns, rows)):
            self._values[a, b] = values
            self._adjacent[a, b] = close

    def _make_room(self, more: int) -> None:
        """Slots for ``more`` items more: the tables grow (twice as large, or more) when too few are free."""
        if len(self._free) < more:
            self._resize(max(2 * len(self._values), len(self._slot) + more, _SLOTS))

    def _resize(self, size: int) -> None:
        """Tables of ``size`` slots, the items in a slot renumbered in order from the first."""
        names = list(self._slot)
        old, kept = np.array([self._slot[name] for name in names], dtype=np.intp), len(names)
        values, adjacent, whens = np.zeros((size, size)), np.zeros((size, size), dtype=bool), np.zeros(size)
        values[:kept, :kept] = self._values[np.ix_(old, old)]
        adjacent[:kept, :kept] = self._adjacent[np.ix_(old, old)]
        whens[:kept] = self._whens[old]
        self._values, self._adjacent, self._whens = values, adjacent, whens
        self._slot.update(zip(names, range(kept), strict=True))  # (in place: its users keep it)
        self._free = list(range(size - 1, kept - 1, -1))

    def _close(self, start: float) -> None:
        """Make final the open groups whose last item lies more than the span before ``start``
        (no item dated from then on may join them but through a document's list, met as a
        whole), and forget their items' pairs and terms."""
        still = []
        freed: list[int] = []
        for done in self._open:
            if (done.group.last or 0.0) >= start - self._span:
                still.append(done)
                continue
            self._final[done.names[0]] = done
            done.cores = []  # (met again, it is one whole)
            # (what only grouping again needs: its centroid is summed again if it is met again)
            done.group.centroid, done.group.linked = {}, set()
            for name in done.names:
                if name in self._documents:
                    self._home[name] = done
                self._titles.pop(name, None)
                self._squares.pop(name, None)
                self._vectors.pop(name, None)
                if (slot := self._slot.pop(name, None)) is not None:
                    freed.append(slot)
        if len(self._values) > _SLOTS and 4 * len(self._slot) <= len(self._values):
            self._resize(max(2 * len(self._slot), _SLOTS))  # (after a day of many items)
        elif freed:
            gone = np.array(freed, dtype=np.intp)
            for table in (self._values, self._adjacent):
                table[gone, :] = 0
                table[:, gone] = 0
            self._free += freed
        self._open = still

    def _step(self, day: int, today: list[str], table: _Index) -> None:
        """Group again, from single items, the items of the groups open and those ``today``
        (come on ``day``; ``table``: the index of their terms); a final group taken whole stays
        one (a unit), and a final group that holds a document listed by, or listing, one of
        those single items' documents within :attr:`Bounds.linked_days` is met again, whole."""
        self._day = day
        points, bounds, documents, listed = self._points, self.bounds, self._documents, self._listed
        cores = [core for done in self._open for core in done.cores]
        held = {name for core in cores for name in core.names}
        single = [name for done in self._open for name in done.names if name not in held] + today
        for name in single:
            if name in documents and name in listed:
                when = points[name].when or 0.0
                for other in listed[name]:
                    home = self._home.get(other)
                    if (home is not None and self._final.get(home.names[0]) is home
                            and abs((points[other].when or 0.0) - when) <= self._linked):
                        del self._final[home.names[0]]
                        home.group.centroid = _centroid(points, home.names)
                        cores.append(home)
        units: list[tuple[float, str, _Done | None]] = [(points[n].when or 0.0, n, None) for n in single]
        units += [(points[core.names[0]].when or 0.0, core.names[0], core) for core in cores]
        units.sort(key=lambda unit: (unit[0], unit[1]))
        held_by = [core.names if core is not None else [name] for _, name, core in units]  # (each unit's items)
        at = {n: i for i, names in enumerate(held_by) for n in names}
        names = [name for _, name, core in units if core is None]
        subjects = dict(zip(names, self._subjects(names), strict=True)) if bounds.subjects else {}
        groups = []
        for i, (_, name, core) in enumerate(units):
            if core is None:
                p = points[name]
                headline = self._titles[name][0]
                groups.append(_Group([i], dict(p.vector), p.when, p.when, p.when or 0.0, 1, subjects.get(name, set()),
                                     bounds.asides and p.aside, {headline} if headline else set(), headline,
                                     self._squares[name]))
                if name in documents and name in listed:
                    groups[i].linked = {at[o] for o in listed[name] if o in at and o in documents}
            else:
                g = core.group
                groups.append(_Group([i], dict(g.centroid), g.first, g.last, g.date_sum, g.dated, set(g.subjects),
                                     g.aside, set(g.headlines), g.copies_of, g.square, items=g.items))
                groups[i].linked = {at[o] for n in core.names if n in documents
                                    for o in listed.get(n, ()) if o in at and at[o] != i and o in documents}
        # (the single items' pairs as found; the units taken whole, their values worked out)
        places = np.array([i for i, unit in enumerate(units) if unit[2] is None], dtype=np.intp)
        slots = np.array([self._slot[name] for name in names], dtype=np.intp)
        sums, adjacent = self._values[np.ix_(slots, slots)], self._adjacent[np.ix_(slots, slots)]
        if cores:  # (their rows and columns among the single items')
            size = len(units)
            sums, single_sums = np.zeros((size, size)), sums
            adjacent, single_adjacent = np.zeros((size, size), dtype=bool), adjacent
            sums[np.ix_(places, places)] = single_sums
            adjacent[np.ix_(places, places)] = single_adjacent
            del single_sums, single_adjacent
            self._meet_whole(units, at, groups, sums, adjacent, places, slots, table)
        _cluster(groups, sums, adjacent, self._span, bounds)
        opened = []
        for group in groups:
            if not group.members:
                continue
            whole = [core for i in group.members if (core := units[i][2]) is not None]
            members = sorted((n for i in group.members for n in held_by[i]), key=lambda n: (points[n].when or 0.0, n))
            opened.append(_Done(members, group, whole))
        self._open = opened

    def _meet_whole(self, units: Sequence[tuple[float, str, _Done | None]], at: Mapping[str, int],
                    groups: list[_Group], sums: npt.NDArray[np.float64], adjacent: npt.NDArray[np.bool_],
                    places: npt.NDArray[np.intp], slots: npt.NDArray[np.intp], table: _Index) -> None:
        """The values of each unit taken whole (a final group met again) with every other unit
        of the day (``units``, by number; ``at``: each item's; ``places``: the single items',
        whose ``slots`` those are; ``table``: the index of their terms) into ``sums``: every
        pair of their items and every list link between them; a neighbour when it reaches
        :attr:`Bounds.pair`. Its dot product with an item is the sum of their terms' products
        in the order of the terms' words."""
        bounds, documents, listed, terms = self.bounds, self._documents, self._listed, self._terms
        numbers, held, weights = table
        where = np.full(len(units), -1, dtype=np.intp)
        where[places] = np.arange(len(places))
        for i, (_, _, core) in enumerate(units):
            if core is None:
                continue
            centroid = core.group.centroid
            links: dict[int, float] = {}  # (its list links with each unit, in one order)
            for name in core.names:
                for partner in sorted(listed.get(name, ())):
                    j = at.get(partner, i)
                    if j != i:
                        both = name in documents and partner in documents
                        links[j] = links.get(j, 0.0) + (bounds.own_documents if both else bounds.own)
            items = sorted(centroid.items())
            ids = np.array([terms[key] for key, _ in items], dtype=np.intp)
            starts, ends = np.searchsorted(numbers, ids, "left"), np.searchsorted(numbers, ids, "right")
            found = _expand(starts, ends)
            mine = np.array([weight for _, weight in items])[np.repeat(np.arange(len(ids)), ends - starts)]
            # (as floats even when no term is found: bincount then gives integers)
            dots = np.bincount(held[found], weights=weights[found] * mine, minlength=len(self._whens))
            totals = dots.astype(np.float64, copy=False)[slots]
            for j, more in links.items():
                if where[j] >= 0:
                    totals[where[j]] += more
            met = totals > 0.0
            sums[i, places[met]] = sums[places[met], i] = totals[met]
            close = places[met & (totals >= bounds.pair)]
            adjacent[i, close] = adjacent[close, i] = True
            for j, (_, _, other_core) in enumerate(units):
                if other_core is None or j <= i:
                    continue
                small, large = sorted((centroid, groups[j].centroid), key=len)
                total = sum([w * large.get(k, 0.0) for k, w in sorted(small.items())]) + links.get(j, 0.0)
                if total > 0.0:
                    sums[i, j] = sums[j, i] = total
                    if total >= bounds.pair:
                        adjacent[i, j] = adjacent[j, i] = True

    def _subjects(self, names: Sequence[str]) -> list[set[str]]:
        """Each item's subjects: the names in its title that at most :attr:`Bounds.subjects`
        items name, and hold as a word, among those come so far dated up to the span after it."""
        most = self.bounds.subjects
        out: list[set[str]] = []
        for name in names:
            named = self._titles[name][1]
            if not named:
                out.append(set())
                continue
            limit = (self._points[name].when or 0.0) + self._span
            out.append({key for key in named if bisect_right(self._dates[key], limit) <= most
                        and bisect_right(self._dates.get(key[1:], []), limit) <= most})
        return out


def _day_of(when: float) -> int:
    return int(when // _DAY)


def _cluster(groups: list[_Group], sums: npt.NDArray[np.float64], adjacent: npt.NDArray[np.bool_], span: float,
             bounds: Bounds) -> None:
    """Merge the groups (single items, by date and name) while two that hold a pair of
    :attr:`Bounds.pair` (``adjacent``) reach the bar within the bounds, the most similar first
    (ties: the earlier items first). ``sums``: the values of every two groups' pairs of items
    within the span (none beyond it: two groups that hold such a pair may not join anyway)."""
    squares = np.array([group.square for group in groups], dtype=np.float64)
    first, second = np.nonzero(np.triu(adjacent, 1))
    values = _values(sums[first, second], squares[first] * squares[second])
    keep = values >= bounds.bar
    heap = [(-value, i, j, 0, 0) for value, i, j in zip(values[keep].tolist(), first[keep].tolist(),
                                                         second[keep].tolist(), strict=True)]
    heapq.heapify(heap)
    while heap:
        negative, i, j, version_i, version_j = heapq.heappop(heap)
        a, b = groups[i], groups[j]
        if not (a.members and b.members) or a.version != version_i or b.version != version_j:
            continue  # (one of them joined another, or grew: its value was pushed again)
        if not _may_join(a, b, -negative, span, bounds):
            continue
        _merge(groups, sums, adjacent, i, j)
        squares[i] = a.square
        others = adjacent[i].nonzero()[0]
        if not len(others):
            continue
        values = _values(sums[i, others], a.square * squares[others])
        keep = values >= bounds.bar
        for value, k in zip(values[keep].tolist(), others[keep].tolist(), strict=True):
            heapq.heappush(heap, (-value, min(i, k), max(i, k), groups[min(i, k)].version, groups[max(i, k)].version))


def _values(totals: npt.NDArray[np.float64], products: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """How similar groups are, from the sums of their pairs' values and the products of their
    centroids' squared lengths: each sum over the product's root (a group of items without
    words meets none)."""
    values: npt.NDArray[np.float64] = totals / np.where(products > 0.0, np.sqrt(products), np.inf)
    return values


def _expand(starts: npt.NDArray[np.intp], ends: npt.NDArray[np.intp]) -> npt.NDArray[np.intp]:
    """The numbers of the ranges from each of ``starts`` up to its end in ``ends``, one range after another."""
    counts = ends - starts
    offsets = np.repeat(starts - np.cumsum(counts) + counts, counts)
    numbers: npt.NDArray[np.intp] = np.arange(len(offsets), dtype=np.intp) + offsets
    return numbers


def _headline(words: Sequence[str]) -> str | None:
    """A title's words, joined, when they are a headline (:func:`~reader.stories.titles.is_headline`):
    a copy of it (its punctuation aside) has the same; None for a shorter title."""
    joined = " ".join(words)
    return joined if is_headline(joined) else None


def _may_join(a: _Group, b: _Group, value: float, span: float, bounds: Bounds) -> bool:
    linked = bool(a.linked) and not a.linked.isdisjoint(b.members)  # (a document lists one of the other's)
    # (one report twice, a copy of one headline; or documents linked: nothing more for the days between)
    copies = linked or not a.headlines.isdisjoint(b.headlines)
    if (a.aside or b.aside) and (a.copies_of is None or a.copies_of != b.copies_of):
        return False  # (a piece about the news: only with copies of its own headline)
    if a.items + b.items > bounds.most:
        return False
    if a.subjects and b.subjects and not a.subjects <= b.centroid.keys() and not b.subjects <= a.centroid.keys():
        return False  # (each names a subject the other never does)
    if a.dated and b.dated and not copies:
        apart = abs(a.date_sum / a.dated - b.date_sum / b.dated) - _SAME_TIME
        if apart > 0 and value < bounds.bar + bounds.per_day * apart / _DAY:
            return False
    times = [t for t in (a.first, a.last, b.first, b.last) if t is not None]
    return not times or max(times) - min(times) <= (max(span, bounds.linked_days * _DAY) if linked else span)


def _merge(groups: list[_Group], sums: npt.NDArray[np.float64], adjacent: npt.NDArray[np.bool_], i: int,
           j: int) -> None:
    """``j`` joins ``i``: its members, centroid, dates and neighbours become ``i``'s; the sum of
    the new group's pairs with each other group is the sum of its two parts'."""
    a, b = groups[i], groups[j]
    # (``j``'s row and column, and ``i``'s own sum, are never read again: no group neighbours ``j``, none itself)
    row = sums[i]
    row += sums[j]
    sums[:, i] = row
    near = adjacent[i]
    near |= adjacent[j]
    near[i] = near[j] = False
    adjacent[:, i] = near
    adjacent[:, j] = False
    small, large = (a.centroid, b.centroid) if len(a.centroid) <= len(b.centroid) else (b.centroid, a.centroid)
    a.square += b.square + 2.0 * sum([w * large.get(k, 0.0) for k, w in sorted(small.items())])
    a.members += b.members
    a.items += b.items
    for key, weight in small.items():  # (the smaller added into the larger)
        large[key] = large.get(key, 0.0) + weight
    a.centroid = large
    times = [t for t in (a.first, a.last, b.first, b.last) if t is not None]
    a.first, a.last = (min(times), max(times)) if times else (None, None)
    a.date_sum += b.date_sum
    a.dated += b.dated
    a.subjects |= b.subjects
    a.headlines |= b.headlines
    a.linked |= b.linked
    a.copies_of = a.copies_of if a.copies_of == b.copies_of else None
    a.aside = a.aside or b.aside  # (a piece about the news and its copies: nothing else joins them)
    a.version += 1
    b.members, b.centroid = [], {}


def _centroid(points: Mapping[str, Point], names: Sequence[str]) -> dict[str, float]:
    """The sum of the vectors of the items ``names``, in that order."""
    centroid: dict[str, float] = {}
    get = centroid.get
    for name in names:
        for key, weight in points[name].vector.items():
            centroid[key] = get(key, 0.0) + weight
    return centroid


def _place_undated(points: Mapping[str, Point], undated: Sequence[str], done: Sequence[_Done],
                   bounds: Bounds) -> dict[str, str]:
    """Where each undated item (not a piece about the news) goes: the group (not one of a
    piece about the news) whose dated items it meets best on average, at the bar or more (the
    groups as they were before any joined). Only its words count (no list links, no
    subjects), and only the groups that hold one of the
    :data:`~reader.stories.matching.CANDIDATE_TERMS` of its terms that the fewest groups hold
    are compared (a term of more than :data:`~reader.stories.matching.POSTING_MAX` groups
    finds none): a group that shares only common words with it is not looked at."""
    index: dict[str, list[int]] = {}
    for n, d in enumerate(done):
        if not d.group.aside:
            for key in {key for name in d.names for key in points[name].vector}:
                index.setdefault(key, []).append(n)
    centroids: dict[int, dict[str, float]] = {}  # (summed again for the groups compared)
    sizes = [len(d.names) for d in done]
    out: dict[str, str] = {}
    for name in undated:
        p = points[name]
        if not p.vector or (bounds.asides and p.aside):
            continue
        rare = sorted((len(found), key) for key in p.vector if (found := index.get(key)) and len(found) <= POSTING_MAX)
        candidates = sorted({n for _, key in rare[:CANDIDATE_TERMS] for n in index[key]})
        terms = sorted(p.vector.items())
        best: tuple[float, tuple[float, str], int] | None = None
        for n in candidates:
            if sizes[n] >= bounds.most:
                continue
            group = done[n].group
            centroid = centroids.get(n) or centroids.setdefault(n, _centroid(points, done[n].names))
            mean = sum([w * centroid.get(k, 0.0) for k, w in terms]) / group.dated
            first = done[n].names[0]
            # (a tie: the group of the earlier first item, by date and name)
            if mean >= bounds.bar and (best is None or mean > best[0] or (mean == best[0] and (points[first].when or 0.0, first) < best[1])):
                best = (mean, (points[first].when or 0.0, first), n)
        if best is not None:
            sizes[best[2]] += 1
            out[name] = done[best[2]].names[0]
    return out
