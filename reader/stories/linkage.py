"""Stories by average linkage: every item grouped at once. No Qt, no SQL.

The grouping that :mod:`reader.stories.matching` and :mod:`reader.stories.related` do places
each article and each related entry once, in one order, against the stories of that moment;
one event's reports worded apart end up in several stories. Here every item (a document or
a related entry, each with its unit vector of rarity-weighted words and names) is grouped
at once: the two groups whose pairs of items are the most similar on average become one,
again and again, while that mean reaches :attr:`Bounds.bar` and they stay within the bounds.
A group is met as a whole: an item close to one member and far from the rest does not join
it (no chain through one link).

The mean of two groups is that of every pair of their items: ``(cA · cB + own × links) /
(|A| |B|)``, with ``cA`` the sum of A's unit vectors and ``links`` the pairs of a document
and an entry of its own list between them (each counts :attr:`Bounds.own` more). Only two
groups holding a pair of items at the bar or more can reach it on average (a mean is at most
its largest term), so only those pairs are looked for, among items within
:attr:`Bounds.span_days` of each other (no group spans more).

The bounds:

* a group spans at most :attr:`Bounds.span_days` (its items' dates; an entry without one
  takes its document's) and holds at most :attr:`Bounds.most` items; two groups whose mean
  dates lie more than 12 hours apart need :attr:`Bounds.per_day` more for each day beyond
  (a saga's next event, days later in the same words, is another story);
* copies of one headline (the same words, long enough to be a headline:
  :func:`~reader.stories.titles.is_headline`) are one report: two groups that hold copies of
  one need nothing more for the days between them (the span still bounds them);
* a piece about the news (:func:`~reader.stories.titles.aside`) joins nothing but copies of
  its own headline (a group of nothing but those);
* two groups whose titles each name a subject (a name, a key of its vector "@…" found in its
  title) that at most :attr:`Bounds.subjects` items name, missing from the other's words,
  stay apart (two firms' press releases of one mould);
* an item without a date is placed afterwards, in the group whose dated items it meets best
  on average by its words alone, at the bar or more (:func:`_place_undated`: neither its
  headline nor its lists count there).

The result depends only on the items, never on the order they are given in: they are
numbered by date and id, and ties are broken by those numbers. Measured against the single
pass on the gold set by ``bench/stories_linkage.py``; Reader's grouping
(:mod:`reader.stories.storage`) does not use it yet.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from reader.stories.matching import CANDIDATE_TERMS, MAX_VERSIONS, POSTING_MAX
from reader.stories.titles import is_headline

_DAY = 86_400.0
#: Mean dates closer than this need nothing more (:attr:`Bounds.per_day`).
_SAME_TIME = 0.5 * _DAY
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Point:
    """One item to group."""

    vector: Mapping[str, float]  #: its unit vector (a name's key starts with "@")
    when: float | None  #: its date (a related entry without one: its document's)
    title: str  #: its title, in lower case
    aside: bool = False  #: a piece about the news (:func:`~reader.stories.titles.aside`)


@dataclass(frozen=True, slots=True)
class Bounds:
    """What two groups must meet to become one (chosen on the gold set's tuning parts)."""

    bar: float = 0.15  #: mean cosine of their pairs
    span_days: float = 2.0  #: the most a group spans
    per_day: float = 0.4  #: more mean for each day their mean dates lie apart beyond 12 hours
    own: float = 0.1  #: more for a pair of a document and an entry of its own list
    subjects: int = 1  #: a title's name that at most this many items name is its subject (0: none)
    asides: bool = True  #: pieces about the news join nothing but copies of their headline
    most: int = MAX_VERSIONS  #: the most items a group holds


@dataclass(slots=True)
class _Group:
    members: list[int]
    centroid: dict[str, float]  #: the sum of its items' unit vectors
    first: float | None
    last: float | None
    date_sum: float
    dated: int
    subjects: set[str]
    aside: bool
    headlines: set[str]  #: its items' headlines (:func:`_headline`)
    #: The one headline all its items are copies of, if they are (None: any other group)
    copies_of: str | None
    version: int = 0  #: how many times it grew (a mean worked out before is stale)


def link(points: Mapping[str, Point], lists: Mapping[str, Sequence[str]] | None = None,
         bounds: Bounds = Bounds()) -> dict[str, str]:
    """The group of every item of ``points``, named by its first item (by date, then id).

    ``lists``: the items each document lists (its related entries, or other documents),
    by id; a pair of a document and an item of its list counts :attr:`Bounds.own` more."""
    ids = sorted(points, key=lambda name: (points[name].when is None, points[name].when or 0.0, name))
    at = {name: i for i, name in enumerate(ids)}
    items = [points[name] for name in ids]
    span = bounds.span_days * _DAY
    listed = _listed(lists or {}, at)
    subjects = _subjects(items, bounds.subjects)
    groups = []
    for i, p in enumerate(items):
        headline = _headline(p.title)
        groups.append(_Group([i], dict(p.vector), p.when, p.when, p.when or 0.0, int(p.when is not None), subjects[i],
                             bounds.asides and p.aside, {headline} if headline else set(), headline))
    sums = _pairs(items, listed, span, bounds)
    heap: list[tuple[float, int, int, int, int]] = []
    for i, others in enumerate(sums):
        for j, total in others.items():
            if i < j and total >= bounds.bar:
                heapq.heappush(heap, (-total, i, j, 0, 0))
    while heap:
        negative, i, j, version_i, version_j = heapq.heappop(heap)
        a, b = groups[i], groups[j]
        if not (a.members and b.members) or a.version != version_i or b.version != version_j:
            continue  # (one of them joined another, or grew: its mean was pushed again)
        if not _may_join(a, b, -negative, span, bounds):
            continue
        _merge(groups, sums, listed, i, j, bounds)
        size = len(a.members)
        for k, total in sums[i].items():
            mean = total / (size * len(groups[k].members))
            if mean >= bounds.bar:
                heapq.heappush(heap, (-mean, min(i, k), max(i, k), groups[min(i, k)].version, groups[max(i, k)].version))
    dated = [g for g in groups if g.members and g.dated]
    _place_undated(items, groups, dated, bounds)
    out: dict[str, str] = {}
    for group in groups:
        if group.members:
            lead = ids[min(group.members)]
            for m in group.members:
                out[ids[m]] = lead
    return out


def _headline(title: str) -> str | None:
    """The title's words, joined, when they are a headline (:func:`~reader.stories.titles.is_headline`):
    a copy of it (its punctuation aside) has the same; None for a shorter title."""
    words = " ".join(_WORD.findall(title))
    return words if is_headline(words) else None


def _listed(lists: Mapping[str, Sequence[str]], at: Mapping[str, int]) -> dict[int, set[int]]:
    """Each item's partners by a list: a document and the items of its list, both ways."""
    out: dict[int, set[int]] = {}
    for document, names in lists.items():
        a = at.get(document)
        if a is None:
            continue
        for name in names:
            b = at.get(name)
            if b is not None and b != a:
                out.setdefault(a, set()).add(b)
                out.setdefault(b, set()).add(a)
    return out


def _subjects(items: Sequence[Point], most: int) -> list[set[str]]:
    """The names in each item's title that at most ``most`` items name (its subjects)."""
    if not most:
        return [set() for _ in items]
    named: dict[str, int] = {}
    for p in items:
        for key in p.vector:
            if key[0] == "@":
                named[key] = named.get(key, 0) + 1
    out = []
    for p in items:
        words = set(_WORD.findall(p.title))
        out.append({k for k in p.vector if k[0] == "@" and k[1:] in words and named[k] <= most})
    return out


def _pairs(items: Sequence[Point], listed: Mapping[int, set[int]], span: float, bounds: Bounds) -> list[dict[int, float]]:
    """For every item, the items within ``span`` whose pair with it reaches the bar (with what
    a list adds), and that pair's value: two groups can reach it on average only when they
    hold such a pair. (Every pair with a term in common is summed: pruning the common terms'
    lists by how much they could add — all-pairs prefix filtering — found the same pairs half
    as slowly again on the generated corpus of 10,000, whose words weigh much alike.)"""
    near: list[dict[int, float]] = [{} for _ in items]
    postings: dict[str, list[int]] = {}
    order = [i for i, p in enumerate(items) if p.when is not None and p.vector]  # (by date already)
    for i in order:
        found: dict[int, float] = {}
        when = items[i].when or 0.0
        vector = items[i].vector
        for term, weight in vector.items():
            posting = postings.setdefault(term, [])
            for j in reversed(posting):
                if when - (items[j].when or 0.0) > span:
                    break
                found[j] = found.get(j, 0.0) + weight * items[j].vector[term]
            posting.append(i)
        partners = listed.get(i, ())
        for j, cosine in found.items():
            total = cosine + (bounds.own if j in partners else 0.0)
            if total >= bounds.bar:
                near[i][j] = near[j][i] = total
    for i, partners in listed.items():  # (a listed pair with no word in common: its link alone)
        for j in partners:
            first, second = items[i].when, items[j].when
            if i < j and j not in near[i] and first is not None and second is not None and abs(first - second) <= span:
                theirs = items[j].vector
                total = sum([w * theirs.get(k, 0.0) for k, w in items[i].vector.items()]) + bounds.own
                if total >= bounds.bar:
                    near[i][j] = near[j][i] = total
    return near


def _total(groups: Sequence[_Group], listed: Mapping[int, set[int]], i: int, j: int, bounds: Bounds) -> float:
    """The sum of the values of every pair of an item of group ``i`` and one of group ``j``:
    the dot product of their centroids, and what their list links add."""
    a, b = groups[i], groups[j]
    small, large = (a.centroid, b.centroid) if len(a.centroid) <= len(b.centroid) else (b.centroid, a.centroid)
    total = sum([w * large.get(k, 0.0) for k, w in small.items()])
    if listed and bounds.own:
        theirs = set(b.members)
        total += bounds.own * sum(len(listed.get(m, set()) & theirs) for m in a.members)
    return total


def _may_join(a: _Group, b: _Group, mean: float, span: float, bounds: Bounds) -> bool:
    copies = not a.headlines.isdisjoint(b.headlines)  # (one report twice: a copy of one headline)
    if (a.aside or b.aside) and (a.copies_of is None or a.copies_of != b.copies_of):
        return False  # (a piece about the news: only with copies of its own headline)
    if len(a.members) + len(b.members) > bounds.most:
        return False
    if a.subjects and b.subjects and not a.subjects <= b.centroid.keys() and not b.subjects <= a.centroid.keys():
        return False  # (each names a subject the other never does)
    if a.dated and b.dated and not copies:
        apart = abs(a.date_sum / a.dated - b.date_sum / b.dated) - _SAME_TIME
        if apart > 0 and mean < bounds.bar + bounds.per_day * apart / _DAY:
            return False
    times = [t for t in (a.first, a.last, b.first, b.last) if t is not None]
    return not times or max(times) - min(times) <= span


def _merge(groups: list[_Group], sums: list[dict[int, float]], listed: Mapping[int, set[int]], i: int, j: int,
           bounds: Bounds) -> None:
    """``j`` joins ``i``: its members, centroid, dates and neighbours become ``i``'s; the sum of
    the new group's pairs with each neighbour is the sum of its two parts' (each worked out
    from the centroids when it was not kept: a group that was no neighbour of one of them)."""
    a, b = groups[i], groups[j]
    mine, theirs = sums[i], sums[j]
    merged: dict[int, float] = {}
    for k in mine.keys() | theirs.keys():
        if k == i or k == j:
            continue
        first = mine.get(k)
        second = theirs.get(k)
        merged[k] = (_total(groups, listed, i, k, bounds) if first is None else first) + (
            _total(groups, listed, j, k, bounds) if second is None else second)
    a.members += b.members
    centroid = a.centroid
    for key, weight in b.centroid.items():
        centroid[key] = centroid.get(key, 0.0) + weight
    times = [t for t in (a.first, a.last, b.first, b.last) if t is not None]
    a.first, a.last = (min(times), max(times)) if times else (None, None)
    a.date_sum += b.date_sum
    a.dated += b.dated
    a.subjects |= b.subjects
    a.headlines |= b.headlines
    a.copies_of = a.copies_of if a.copies_of == b.copies_of else None
    a.aside = a.aside or b.aside  # (a piece about the news and its copies: nothing else joins them)
    a.version += 1
    b.members, b.centroid = [], {}
    for k in theirs:
        sums[k].pop(j, None)
    for k, total in merged.items():
        sums[k][i] = total
    sums[i] = merged
    sums[j] = {}


def _place_undated(items: Sequence[Point], groups: list[_Group], dated: list[_Group], bounds: Bounds) -> None:
    """Each undated item (not a piece about the news) joins the group (not one of a piece about
    the news) whose dated items it meets best on average, at the bar or more (the groups as
    they were before any joined). Only its words count (no list links, no subjects), and only
    the groups that hold one of the :data:`~reader.stories.matching.CANDIDATE_TERMS` of its
    terms that the fewest groups hold are compared (a term of more than
    :data:`~reader.stories.matching.POSTING_MAX` groups finds none): a group that shares only
    common words with it is not looked at."""
    index: dict[str, list[int]] = {}
    for n, group in enumerate(dated):
        if not group.aside:
            for key in group.centroid:
                index.setdefault(key, []).append(n)
    counts = [g.dated for g in dated]
    for i, p in enumerate(items):
        if p.when is not None or not p.vector or (bounds.asides and p.aside):
            continue
        rare = sorted((len(found), key) for key in p.vector if (found := index.get(key)) and len(found) <= POSTING_MAX)
        candidates = sorted({n for _, key in rare[:CANDIDATE_TERMS] for n in index[key]})
        best: tuple[float, _Group] | None = None
        for n in candidates:
            group = dated[n]
            if len(group.members) >= bounds.most:
                continue
            centroid = group.centroid
            mean = sum([w * centroid.get(k, 0.0) for k, w in p.vector.items()]) / counts[n]
            if mean >= bounds.bar and (best is None or mean > best[0]):
                best = (mean, group)
        if best is not None:
            best[1].members.append(i)
            groups[i].members = []
