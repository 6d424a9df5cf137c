"""Stories of related entries alone. No Qt, no SQL.

A document often lists, as related coverage, several reports of one event that it does not
report itself (a commentary lists the news it comments on; an explainer lists the launch).
No document of the library is a version of that event, so :class:`~reader.stories.matching.Grouper`
never makes a story of it: it lets a related entry into a story only when a document of the
library joined that story. :class:`EntryStories` makes those stories:

* it takes the related entries of each article right after the grouper has placed that
  article (so in the same one order, and the document's own story claims first), leaving
  out the entries a story already holds, the links of the library's own articles and the
  entries it has already seen;
* an entry joins the open entry story whose centroid (the sum of its entries' unit vectors,
  weighted by rarity as the grouper weighs an article's words) it is most similar to, at
  least :data:`ENTRIES_SIMILAR`; or it starts one. Only a group of two entries or more is
  a story: its entries are then claimed, as a document's story claims them, so one related
  entry is in at most one story;
* an entry's time is its own date, or the date of the document that lists it; the stories
  are bounded by :data:`~reader.stories.matching.WINDOW_DAYS` and
  :data:`~reader.stories.matching.MAX_VERSIONS` like any other.

Everything depends only on the articles and their one order, so the stories are the same
whatever order the articles were added in.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field

from reader.stories.matching import MAX_VERSIONS, WINDOW, Grouper, Item
from reader.stories.text import read_words

#: Cosine between a related entry and an entry story's centroid that makes it a version of
#: it (as for a related entry and a document's story, :data:`~reader.stories.matching.RELATED_SIMILAR`).
ENTRIES_SIMILAR = 0.3

#: The id of an entry story starts with this (an article's id never does).
PREFIX = "entries:"


@dataclass(slots=True)
class EntryGroup:
    """A group of related entries being formed (a story once it holds two)."""

    id: str
    first: float | None
    last: float | None
    keys: list[str] = field(default_factory=list)
    centroid: dict[str, float] = field(default_factory=dict)
    sq: float = 0.0  #: squared length of the centroid
    terms: list[str] = field(default_factory=list)  #: its terms in the index of open groups

    def fits(self, when: float | None) -> bool:
        if len(self.keys) >= MAX_VERSIONS:
            return False
        if when is None or self.first is None or self.last is None:
            return True
        return max(self.last, when) - min(self.first, when) <= WINDOW


class EntryStories:
    """The entry stories of one grouping: :meth:`add` every dated article right after
    :meth:`Grouper.add <reader.stories.matching.Grouper.add>` has placed it."""

    def __init__(self, grouper: Grouper) -> None:
        self._grouper = grouper
        #: The entry stories (two entries or more), by id.
        self.stories: dict[str, EntryGroup] = {}
        #: The article whose related entry each claimed key is (the first that listed it).
        self.holders: dict[str, str] = {}
        self._open: dict[str, EntryGroup] = {}  #: groups entries can still join (singles too)
        self._seen: dict[str, str] = {}  #: key of an entry of an open group -> the group
        self._index: dict[str, set[str]] = {}  #: rare term -> open groups
        self._opened: deque[tuple[float, str]] = deque()

    def pending(self, key: str) -> bool:
        """Whether an open group holds the entry ``key`` (a new article with that link would
        change what the grouping of the whole library gives)."""
        return key in self._seen

    def add(self, item: Item) -> list[str]:
        """Group the related entries of ``item``, the article the grouper placed last; returns
        the entry stories that changed."""
        when = item.published
        opened = self._opened
        if when is not None:
            while opened and opened[0][0] < when - WINDOW:
                self._close(opened.popleft()[1])
        if not item.related:
            return []
        grouper = self._grouper
        claimed, library, seen = grouper.claimed, grouper.library_urls, self._seen
        if all(r.key in claimed or r.key in library or r.key in seen for r in item.related):
            return []
        changed: list[str] = []
        for entry in sorted(item.related, key=lambda r: r.key):
            key = entry.key
            if key in claimed or key in library or key in seen:
                continue
            at = entry.published if entry.published is not None else when
            vector = grouper._vector(read_words(entry.title, entry.excerpt))
            if not vector:
                continue
            rare = grouper._rare(vector)
            found = self._best(vector, rare, at)
            if found is None:
                group = EntryGroup(f"{PREFIX}{item.id}#{key}", at, at)
                self._open[group.id] = group
                if at is not None:
                    opened.append((at, group.id))
            else:
                group = found
            self._join(group, key, item.id, vector, rare, at)
            if len(group.keys) >= 2:
                if group.id not in self.stories:
                    self.stories[group.id] = group
                    for earlier in group.keys[:-1]:
                        claimed[earlier] = group.id
                claimed[key] = group.id
                if group.id not in changed:
                    changed.append(group.id)
        return changed

    def _best(self, vector: dict[str, float], rare: list[str], when: float | None) -> EntryGroup | None:
        best: tuple[float, str] | None = None
        found: EntryGroup | None = None
        claimed = self._grouper.claimed
        for story in Grouper._candidates(rare, self._index):
            group = self._open[story]
            if not group.fits(when):
                continue
            if len(group.keys) == 1 and claimed.get(group.keys[0], group.id) != group.id:
                continue  # (its one entry was claimed by a document's story since)
            centroid = group.centroid
            dot = sum(w * centroid.get(k, 0.0) for k, w in vector.items())
            cosine = dot / math.sqrt(group.sq) if group.sq > 0 else 0.0
            if cosine < ENTRIES_SIMILAR:
                continue
            rank = (-round(cosine, 9), story)
            if best is None or rank < best:
                best, found = rank, group
        return found

    def _join(self, group: EntryGroup, key: str, holder: str, vector: dict[str, float], rare: list[str],
              when: float | None) -> None:
        centroid = group.centroid
        get = centroid.get
        dot = sum(w * get(k, 0.0) for k, w in vector.items())
        for k, w in vector.items():
            centroid[k] = get(k, 0.0) + w
        group.sq += 2.0 * dot + 1.0  # (|c + v|² with |v| = 1)
        group.keys.append(key)
        if when is not None:
            group.first = when if group.first is None else min(group.first, when)
            group.last = when if group.last is None else max(group.last, when)
        self.holders[key] = holder
        self._seen[key] = group.id
        index = self._index
        for term in rare:
            if term not in group.terms:
                index.setdefault(term, set()).add(group.id)
                group.terms.append(term)

    def _close(self, story: str) -> None:
        """No entry can join ``story`` any more: forget what only finding it needed."""
        group = self._open.pop(story, None)
        if group is None:
            return
        for term in group.terms:
            found = self._index.get(term)
            if found is not None:
                found.discard(story)
                if not found:
                    del self._index[term]
        for key in group.keys:
            if self._seen.get(key) == story:
                del self._seen[key]
        if story not in self.stories:
            for key in group.keys:
                self.holders.pop(key, None)
        group.centroid, group.terms = {}, []
