"""Stories of related entries alone. No Qt, no SQL.

A document often lists, as related coverage, several reports of one event that it does not
report itself (a commentary lists the news it comments on; an explainer lists the launch).
No document of the library is a version of that event, so :class:`~reader.stories.matching.Grouper`
never makes a story of it: it lets a related entry into a story only when a document of the
library joined that story. :class:`EntryStories` makes those stories:

* it takes the related entries of each article right after the grouper has placed that
  article (so in the same one order, and the document's own story claims first), leaving
  out the entries a story already holds, the links of the library's own articles and the
  entries it has already seen, and those a story of documents takes as copies of a headline
  it holds (:meth:`~reader.stories.matching.Grouper.take_copy`);
* an entry joins the open entry story whose centroid (the sum of its entries' unit vectors,
  weighted by rarity as the grouper weighs an article's words) it is most similar to, at
  least :data:`ENTRIES_SIMILAR` and :data:`SIMILAR_PER_DAY` more for each day its time lies
  beyond :data:`SAME_TIME_HOURS` from the mean time of the group's entries (:func:`~reader.stories.matching.later`: a
  saga's next event, days later in the same words, is another story); or at least
  :data:`~reader.stories.matching.SAME_TITLE_COSINE` (with nothing more for time) when its
  title is the headline of one of its entries again
  (:func:`~reader.stories.titles.same_headline`, the only way a piece about the news,
  :func:`~reader.stories.titles.aside`, joins a group or another entry joins its); or it
  starts one. Its title must share with the group's headlines (and, for the group of the
  reports a story of documents took, with that story's titles) more than one name or one
  run of names (:func:`~reader.stories.subjects.only_subject`: a firm's other news of the
  week shares its name and boilerplate, not what happened). The groups it is
  compared with share two of its rarest words (the words of its title first among equally
  rare ones; an index of the open groups' words, as the grouper finds candidate stories);
  its words and names are read only when there is one, and a group of one entry
  reads its entry's when one comes near. Entries are taken in the order of their keys, so
  an entry that started a group alone may meet the story its article's later entries made
  only after them: once all of an article's entries are placed, a story of two or more that
  they started joins the story that holds a copy of one of its headlines (a wire report's
  copy placed before the story of its other copies had grown to it may have started one
  with a sibling), and each entry that is still alone
  looks again at the groups of two entries or more (their centroids have grown since), on
  the same terms (or at :data:`SIBLINGS_SIMILAR`, and more for time as above, with a group
  that holds another entry of that article and, with it, spans at most :data:`SIBLING_DAYS`:
  one document's reports of one day's news in other words). Only a group of two entries or
  more is a story: its entries are then claimed, as a document's story claims them, so one related
  entry is in at most one story;
* once a document's entries are placed, the open stories of entries that hold entries of its
  list become one, the two most alike first, while their centroids meet at :data:`LIST_SIMILAR` (and
  :data:`LIST_PER_DAY` more for each day their mean dates lie apart beyond
  :data:`SAME_TIME_HOURS`), within the window and :data:`~reader.stories.model.MAX_VERSIONS`,
  pieces about the news and other models of a product apart (:meth:`EntryStories._merge_list`):
  entries placed one at a time, each against the stories of that moment, start several
  stories of one event worded apart, and a document listing both says they may be one;
* a document that starts a story of its own takes the entry story of entries it lists that
  it is most similar to (cosine with its centroid at least :data:`ADOPT_SIMILAR` — its own, or,
  for a story of entries that began from :data:`~reader.stories.matching.AGAIN_BEFORE_HOURS` before
  it to :data:`~reader.stories.matching.AGAIN_HOURS` after it (:func:`_around`: however late its
  last entry), that of it and the reports of its
  list its story took together, as the entries it left are compared again; or at least
  :data:`ADOPT_MOST_SIMILAR` for such a story that holds most of its list,
  :data:`ADOPT_MOST_ENTRIES` of the entries it lists and :data:`ADOPT_MOST_SHARE` of them or
  more (:func:`_most_of`) — or at least
  :data:`~reader.stories.matching.SAME_TITLE_COSINE` when its headline is the headline of half
  of those entries or more reworded, :func:`_titles_agree`: a document whose excerpt says little;
  within the window and :data:`~reader.stories.model.MAX_VERSIONS`; a piece about the news, or a
  story of such pieces, only as a copy of one headline): its entries are claimed by the
  document's story from then on (:meth:`EntryStories._adopt`). Many outlets' reports of an
  event listed by an earlier document, and then a document of the library reporting it, are
  one story; with it (or with the reports of its list it claimed, when it took no entry
  story), that story takes the other open entry stories of entries of its list
  that meet the document and what it took, summed, at :data:`ADOPT_MORE_SIMILAR` (and
  :data:`LIST_PER_DAY` more for each day apart), the most similar first
  (:meth:`EntryStories._take_more`): one event's reports worded apart, which met one another
  below :data:`LIST_SIMILAR`;
* then that story takes the entries of the document's list still alone, dated around it,
  that are at least :data:`REPORTS_SIMILAR` to it together with the reports of its list it took
  (:meth:`EntryStories._take_left`): reports of its news in other words, that met the
  document alone below a claim's bar and found no story of entries left to join (the copies
  of their headlines go with them, as with a claim: :meth:`~reader.stories.matching.Grouper.hold_copies`);
* an entry's time is its own date, or the date of the document that lists it; the stories
  are bounded by :data:`~reader.stories.model.WINDOW_DAYS` and
  :data:`~reader.stories.model.MAX_VERSIONS` like any other.

Everything depends only on the articles and their one order, so the stories are the same
whatever order the articles were added in.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field
from operator import mul

from rapidfuzz import fuzz

from reader.stories.matching import (_ZEROS, AGAIN_BEFORE_HOURS, AGAIN_HOURS, CANDIDATE_TERMS, CANDIDATES_MAX, ENTRY_TITLE,
                                     SAME_TITLE_COSINE, Grouper, later)
from reader.stories.matching import SAME_TIME_HOURS as SAME_TIME_HOURS  # (the bars of time, matching's: named here too)
from reader.stories.matching import SIMILAR_PER_DAY as SIMILAR_PER_DAY
from reader.stories.model import MAX_VERSIONS, WINDOW, Group, Item, Related, Span
from reader.stories.subjects import only_subject
from reader.stories.text import STOP_WORDS, read_words
from reader.stories.titles import aside, other_model, other_models, same_headline

# ENTRIES_SIMILAR, SIBLINGS_SIMILAR, REPORTS_SIMILAR, LIST_SIMILAR and LIST_PER_DAY below, with
# matching's SIMILAR_PER_DAY, were chosen together by one search of the bars on the gold set's
# tuning parts (``bench/stories_bars.py``; they were 0.3, 0.20, 0.25, 0.35, 0.4 and 0.10, each
# chosen alone before). The held-out parts, measured once after: the README's "How good they are".

#: Cosine between a related entry and an entry story's centroid that makes it a version of
#: it (as for a related entry and a document's story, :data:`~reader.stories.matching.RELATED_SIMILAR`).
ENTRIES_SIMILAR = 0.28
#: ... or at least this for an entry still alone after its article's entries are placed, with
#: an entry story that holds another entry of that article (one it lists, whichever document
#: listed it first) and, with the entry, spans at most SIBLING_DAYS: one document listing
#: reports of one day's news in other words.
SIBLINGS_SIMILAR = 0.17
SIBLING_DAYS = 1
#: Cosine between a related entry still alone once its article's entries are placed and the
#: story that article started, together with the reports of its list that story took, that
#: makes the story take it (:meth:`EntryStories._take_left`): that document's reports of its
#: news in other words.
REPORTS_SIMILAR = 0.18
#: ... when it is dated from AGAIN_BEFORE_HOURS before that article to AGAIN_HOURS after it,
#: or up to this many hours after it when the story took a report of that article's list
#: dated within SAME_TIME_HOURS of it. An archive lists the reports of an event as they come
#: out, and a document published the evening before most of them lists reports of the next
#: day (Google's merger of DeepMind and Brain: ZDNet's "DeepMind melds with Google's Brain
#: Team", 18 hours after the document, at 0.53 with it and its reports; the Indian Express's
#: at 29 hours, 0.60); a follow-up comes after the reports, alone (1,500 employees' petition
#: the day after a firing, at 0.56, 13 hours from the nearest report taken). Chosen on the gold
#: set's tuning parts: 24 hours took two thirds of what 36 took, 48 no more.
LEFT_AFTER_HOURS = 36
# (An entry dated more than SAME_TIME_HOURS from the mean date of a group's entries needs
# SIMILAR_PER_DAY more cosine for each day beyond to join it, in EntryStories._best, as an
# article joining a story does: the reports of one event come out together, while the next
# events of one saga (a chatbot's odd answers, then its maker's explanation, then its cap on
# chats) come days apart in the same words, and a story of entries alone has no document's
# text to tell them apart by. Both are matching's.)

#: Cosine between a document that starts a story and an entry story of entries it lists
#: that makes its story take that one (:meth:`EntryStories._adopt`).
ADOPT_SIMILAR = 0.45
#: ... or only ADOPT_MOST_SIMILAR for an entry story around its time (:func:`_around`) that
#: holds at least ADOPT_MOST_ENTRIES of the entries it lists and ADOPT_MOST_SHARE of its list:
#: most of a document's list reporting one event is the list of that event's reports, and
#: a document whose excerpt says little of the event meets them below ADOPT_SIMILAR
#: (Qualcomm's of the Snapdragon 8 Gen 2, Google's of its Workspace features, Ars Technica's
#: of a US judge's ruling on AI-made art, at 0.346 with five of its seven entries; the EU's
#: deal on its AI Act at 0.328 with ten, Meta's plan to build general intelligence at 0.325).
#: Not lower: a document whose list is mostly another event's reports of its day meets them
#: at 0.29–0.31 (Anthropic's Claude and GPT-4's reports, a piece on car assistants and
#: Microsoft's ethics-team cut; those stories began around the documents, so only this bar
#: keeps them apart), and Intel's launch document, at 0.26 with the fifteen reports of its
#: list, is left to them.
ADOPT_MOST_SIMILAR = 0.32
ADOPT_MOST_ENTRIES = 4
ADOPT_MOST_SHARE = 0.4

#: Cosine between the centroids of two open entry stories that each hold an entry of one
#: document's list that makes them one story (:meth:`EntryStories._merge_list`), and how much
#: more for each day their entries' mean dates lie apart beyond :data:`SAME_TIME_HOURS` (four
#: times an entry's :data:`SIMILAR_PER_DAY`, as the linkage's
#: :attr:`~reader.stories.linkage.Bounds.per_day` was to it:
#: two stories of one saga's events of the same week, Microsoft explaining its Bing chatbot's
#: odd answers and then capping its chats, meet as closely as one event's reports). First
#: chosen on the gold set's tuning parts (0.35: the lowest bar keeping their precision at 0.95
#: or more, each set in a library of its own and all in one), then with the other bars (above).
LIST_SIMILAR = 0.25
LIST_PER_DAY = 0.5
#: Cosine between a document's story that took an entry story (:meth:`EntryStories._adopt`),
#: the document and that story together (or, when it took none, the document and the
#: reports of its list it claimed), and another open entry story of entries of its list
#: that makes it take that one too (each compared with that sum, the most similar first), with
#: :data:`LIST_PER_DAY` more for each day their mean dates lie apart beyond
#: :data:`SAME_TIME_HOURS` (:meth:`EntryStories._take_more`): the stories of one event's reports
#: worded apart that met below :data:`LIST_SIMILAR` ("Amazon joins generative AI race, targets
#: cloud customers" beside "Amazon Unveils Bedrock", when that was 0.35), once a document
#: reporting it says what they have in common. Chosen on the gold set's tuning parts: 0.32 left
#: the White House's meeting with the heads of AI firms in two stories (0.313), 0.28 joined two
#: events of one part; the search of the bars together kept it.
ADOPT_MORE_SIMILAR = 0.30

#: The id of an entry story starts with this (an article's id never does).
PREFIX = "entries:"
#: ... and that of the group of the reports a story of documents took (never a story's id).
REPORTS_PREFIX = "reports:"

_DAY = 86_400.0


@dataclass(slots=True)
class EntryGroup(Span):
    """A group of related entries being formed (a story once it holds two)."""

    id: str
    first: float | None
    last: float | None
    keys: list[str] = field(default_factory=list)
    centroid: dict[str, float] = field(default_factory=dict)
    sq: float = 0.0  #: squared length of the centroid
    terms: list[str] = field(default_factory=list)  #: its terms in the index of open groups
    headlines: list[str] = field(default_factory=list)  #: its entries' titles long enough to be headlines (normalised)
    #: ... each with its entry's date (an undated one's: its article's), when it has one
    dated_headlines: list[tuple[str, float]] = field(default_factory=list)
    #: The title and excerpt of its one entry, while its words are not read (no entry came
    #: near it yet): the centroid is empty until then.
    unread: tuple[str, str] | None = None
    aside: bool = False  #: its entries are pieces about the news, not reports of it (:func:`~reader.stories.titles.aside`)
    dates: float = 0.0  #: the sum of its entries' dates (an undated one's: its article's)
    dated: int = 0  #: how many dates that sum holds

    def fits(self, when: float | None) -> bool:
        """Whether an entry dated ``when`` may join: the story is not full, and it stays
        :meth:`within <reader.stories.model.Span.within>` the window."""
        return len(self.keys) < MAX_VERSIONS and self.within(when)


def _add(centroid: dict[str, float], vector: dict[str, float]) -> float:
    """Add ``vector`` to ``centroid``; returns their dot product before it (|c + v|² = |c|² +
    2 c·v + |v|²), summed in C in the order of ``vector``."""
    get = centroid.get
    dot: float = sum(map(mul, vector.values(), map(get, vector, _ZEROS)))
    for key, weight in vector.items():
        centroid[key] = get(key, 0.0) + weight
    return dot


def _around(when: float | None, group: EntryGroup) -> bool:
    """Whether ``group`` began around ``when``: its first entry dated from
    :data:`~reader.stories.matching.AGAIN_BEFORE_HOURS` before it to
    :data:`~reader.stories.matching.AGAIN_HOURS` after it — the reports a document sums up,
    not the follow-ups after it. However late its last: the reports of one event that began
    with the document go on for a day or two (those of the White House's meeting with the
    heads of AI firms ran from 4 May 2023 into the 5th; a late copy, a law firm's note),
    while a follow-up's reports begin later."""
    if when is None or group.first is None:
        return False
    return when - group.first <= AGAIN_BEFORE_HOURS * 3_600 and group.first - when <= AGAIN_HOURS * 3_600


def _most_of(group: EntryGroup, item: Item) -> bool:
    """Whether ``group`` holds most of ``item``'s list: at least :data:`ADOPT_MOST_ENTRIES` of
    the entries it lists and :data:`ADOPT_MOST_SHARE` of them (each link once). Only its own
    entries count: the reports of the event that other documents' lists brought to the story
    say nothing of what this list is about."""
    listed = {entry.key for entry in item.related}
    mine = sum(key in listed for key in group.keys)
    return mine >= ADOPT_MOST_ENTRIES and mine / len(listed) >= ADOPT_MOST_SHARE


def _titles_agree(headline: str, group: EntryGroup) -> bool:
    """Whether the headline ``headline`` (normalised, long enough to be one: a title of a
    word or two, "Nvidia", is in every title that has that word) agrees at least
    :data:`~reader.stories.matching.ENTRY_TITLE` (rapidfuzz token-set ratio) with the
    headlines of at least half of ``group``'s entries: their title reworded."""
    agree = sum(fuzz.token_set_ratio(headline, other) >= ENTRY_TITLE for other in group.headlines)
    return 2 * agree >= len(group.keys)


class EntryStories:
    """The entry stories of one grouping: :meth:`add` every dated article right after
    :meth:`Grouper.add <reader.stories.matching.Grouper.add>` has placed it."""

    def __init__(self, grouper: Grouper) -> None:
        self._grouper = grouper
        #: The entry stories (two entries or more), by id.
        self.stories: dict[str, EntryGroup] = {}
        #: The article whose related entry each claimed key is (the first that listed it).
        self.holders: dict[str, str] = {}
        #: The entry stories a document's story took (:meth:`_adopt`, :meth:`_take_more`), or
        #: another entry story did (:meth:`_merge_list`), and their keys, in order, since the
        #: last :meth:`written` (their rows are replaced by those of the story that took them).
        self.adopted: list[tuple[str, tuple[str, ...]]] = []
        self._open: dict[str, EntryGroup] = {}  #: groups entries can still join (singles too)
        self._seen: dict[str, str] = {}  #: key of an entry of an open group -> the group
        self._considered: set[str] = set()  #: key of every entry grouped (open or not)
        self._index: dict[str, set[str]] = {}  #: rare term -> open groups
        #: (date, group) of the open groups, the earliest first (a heap: an entry's date may be
        #: any, and one dated far ahead must not keep the groups after it open)
        self._opened: list[tuple[float, str]] = []
        #: The open groups of the reports a story of documents took (:meth:`_gather_reports`):
        #: group -> that story. An entry that joins one is that story's.
        self._reports: dict[str, str] = {}

    def written(self) -> None:
        """The stories so far are written: forget which entry stories were taken."""
        self.adopted.clear()

    def pending(self, key: str) -> bool:
        """Whether an open group holds the entry ``key`` (a story may still claim it; a
        story's group of reports holds only the entries that story claimed)."""
        group = self._seen.get(key)
        return group is not None and group not in self._reports

    def considered(self, key: str) -> bool:
        """Whether the entry ``key`` was grouped (a new article with that link, which would
        have kept it out, may change what grouping the whole library again gives)."""
        return key in self._considered

    def add(self, item: Item) -> list[str]:
        """Group the related entries of ``item``, the article the grouper placed last; returns
        the entry stories that changed."""
        when = item.published
        opened = self._opened
        if when is not None:
            while opened and opened[0][0] < when - WINDOW:
                self._close(heapq.heappop(opened)[1])
        if not item.related:
            return []
        grouper = self._grouper
        claimed, library, seen = grouper.claimed, grouper.library_urls, self._seen
        if all(r.key in claimed or r.key in library or r.key in seen for r in item.related):
            taken: list[str] = []
            self._merge_list(item, taken)
            taken = self._adopt(item, taken)
            self._gather_reports(item)
            return taken
        changed: list[str] = []
        alone: list[tuple[Related, EntryGroup, list[str], float | None]] = []
        for entry in sorted(item.related, key=Grouper.entry_order):
            key = entry.key
            if key in claimed or key in library or key in seen:
                continue
            if grouper.take_copy(entry, item):
                continue  # (a copy of a headline a story of documents holds)
            at = entry.published if entry.published is not None else when
            rare = self._rare(entry)
            kind = aside(entry.title)
            candidates = [g for g in (self._open[s] for s in Grouper._candidates(rare, self._index)) if self._may_join(g, at)]
            vector = None
            found = None
            if candidates:  # (only then are its words read: most entries stay alone)
                vector = grouper.entry_vector(entry)  # (the grouper may have read it already)
                found = self._best(vector, candidates, grouper.entry_headline(entry), kind=kind,
                                   entry_title=grouper.entry_title(entry), when=at)
            if found is None:
                group = EntryGroup(f"{PREFIX}{item.id}#{key}", at, at, aside=kind)
                self._open[group.id] = group
                if at is not None:
                    heapq.heappush(opened, (at, group.id))
                if vector is None:
                    group.unread = (entry.title, entry.excerpt)
                alone.append((entry, group, rare, at))
            else:
                group = found
            self._place(group, entry, item.id, vector, rare, at, changed)
        # an entry that started a group of its own and that no later entry of this article
        # joined: the groups it was compared with have grown since, so it looks again (its
        # own group among the candidates found, one more of them)
        listed = {entry.key for entry in item.related}
        for _, started, _, _ in alone:  # (a story this article's entries started: its headline may be another's)
            if started.headlines and started.id in self.stories:
                self._copies_join(started, item, changed)
        for entry, single, rare, at in alone:
            if len(single.keys) != 1:
                continue
            candidates = [g for g in (self._open[s] for s in Grouper._candidates(rare, self._index, CANDIDATES_MAX + 1))
                          if g is not single and len(g.keys) >= 2 and self._may_join(g, at)]
            if not candidates:
                continue
            vector = grouper.entry_vector(entry)
            found = self._best(vector, candidates, grouper.entry_headline(entry), kind=single.aside,
                               entry_title=grouper.entry_title(entry), when=at)
            if found is None and at is not None:
                siblings = [g for g in candidates if g.first is not None and g.last is not None
                            and max(g.last, at) - min(g.first, at) <= SIBLING_DAYS * _DAY
                            and any(k in listed for k in g.keys)
                            and not other_model(grouper.entry_title(entry), g.headlines, vector)]
                if siblings:
                    found = self._best(vector, siblings, None, SIBLINGS_SIMILAR, single.aside, when=at)
            if found is not None:
                self._close(single.id)  # (its place in the queue of open groups is skipped when it comes up)
                self._place(found, entry, item.id, vector, rare, at, changed)
        self._merge_list(item, changed)
        changed = self._adopt(item, changed)
        if alone:
            self._take_left(item, alone)
        self._gather_reports(item)
        return changed

    def _merge_list(self, item: Item, changed: list[str]) -> None:
        """The open entry stories that hold entries of ``item``'s list become one, two at a
        time, the most similar first, while their centroids meet at :data:`LIST_SIMILAR` (and
        more for time) within the bounds: the entries of one list are placed one at a time,
        each against the groups of that moment, so one event's reports worded apart may have
        started several ("Amazon Is Joining the Generative AI Race", "AWS wades into generative
        AI fray with Bedrock service"), and a document listing both is a sign they are one.
        Pieces about the news and other models of a product stay apart. The story that leaves is
        :attr:`adopted` (its rows are replaced); ``changed`` gets the one it joined."""
        groups = [group for group in map(self.stories.__getitem__, self._stories_of(item))
                  if group.id in self._open and not group.aside and group.sq > 0]
        while len(groups) > 1:
            best: tuple[float, int, int] | None = None
            for i, a in enumerate(groups):
                for j in range(i + 1, len(groups)):
                    b = groups[j]
                    if len(a.keys) + len(b.keys) > MAX_VERSIONS or not (a.fits(b.first) and a.fits(b.last)):
                        continue
                    more = later(a.dates / a.dated if a.dated else None, b.dates, b.dated, LIST_PER_DAY)
                    small, large = (a.centroid, b.centroid) if len(a.centroid) <= len(b.centroid) else (b.centroid, a.centroid)
                    cosine = sum(map(mul, small.values(), map(large.get, small, _ZEROS))) / math.sqrt(a.sq * b.sq)
                    if cosine < LIST_SIMILAR + more or other_models(a.headlines, b.headlines):
                        continue
                    if best is None or cosine > best[0]:
                        best = (cosine, i, j)
            if best is None:
                return
            a, b = groups[best[1]], groups[best[2]]
            into, other = (a, b) if (-len(a.keys), a.id) < (-len(b.keys), b.id) else (b, a)
            self._absorb(into, other)
            groups.remove(other)
            changed[:] = [story for story in changed if story != other.id]
            if into.id not in changed:
                changed.append(into.id)

    def _absorb(self, into: EntryGroup, other: EntryGroup) -> None:
        """The entry story ``other`` joins ``into`` (both open): its entries are ``into``'s."""
        into.sq += 2.0 * _add(into.centroid, other.centroid) + other.sq
        into.keys.extend(other.keys)
        into.dates += other.dates
        into.dated += other.dated
        into.stretch(other.first)
        into.stretch(other.last)
        into.headlines.extend(other.headlines)
        into.dated_headlines.extend(other.dated_headlines)
        claimed, seen, index = self._grouper.claimed, self._seen, self._index
        for key in other.keys:
            claimed[key] = into.id
            seen[key] = into.id
        for term in other.terms:
            if term not in into.terms:
                index.setdefault(term, set()).add(into.id)
                into.terms.append(term)
        keys = tuple(other.keys)
        self._close(other.id)  # (while it is a story: its entries keep their holders)
        del self.stories[other.id]
        self.adopted.append((other.id, keys))

    def _gather_reports(self, item: Item) -> None:
        """The related entries of ``item``'s list that its story (of documents) holds join that
        story's group of reports (started now when there is none open): a group of related
        entries like any other, found and joined on the same terms, except that an entry that
        joins it is the story's (:meth:`_place`). So a report of the event that a later
        document lists — one that does not join the story — goes with the reports the story
        holds, as it would go with a story of related entries alone that held them: the
        reports of Microsoft's 38 TB leak that the list of Microsoft's event three days later
        names join the leak's story; the copies of its headline listed before go with it, as
        with a claim (:meth:`~reader.stories.matching.Grouper.hold_copies`). A piece about the
        news leads no such group."""
        grouper = self._grouper
        story_id = grouper.story_of.get(item.id)
        story = grouper.groups.get(story_id) if story_id is not None else None
        if story is None or story.aside:
            return
        claimed = grouper.claimed
        taken = [entry for entry in item.related if claimed.get(entry.key) == story_id and entry.key not in self._seen]
        if not taken:
            return
        reports_id = REPORTS_PREFIX + story.id
        group = self._open.get(reports_id)
        started = group is None
        if group is None:
            group = EntryGroup(reports_id, None, None)
            self._open[reports_id] = group
            self._reports[reports_id] = story.id
        when = item.published
        for entry in taken:  # (each link once: the list may name one twice)
            if entry.key in self._seen:
                continue
            at = entry.published if entry.published is not None else when
            self._join(group, entry.key, item.id, grouper.entry_vector(entry), self._rare(entry), at)
            title = grouper.entry_headline(entry)
            if title is not None:
                group.headlines.append(title)
        if started and group.first is not None:
            heapq.heappush(self._opened, (group.first, reports_id))

    def _take_left(self, item: Item, alone: list[tuple[Related, EntryGroup, list[str], float | None]]) -> None:
        """The entries of ``item``'s list still alone (each in a group of its own that nothing
        joined, ``alone``) dated around it (:data:`~reader.stories.matching.AGAIN_BEFORE_HOURS`
        before it to :data:`~reader.stories.matching.AGAIN_HOURS` after, or to
        :data:`LEFT_AFTER_HOURS` after when that story took a report of the list of its hours,
        :data:`~reader.stories.matching.SAME_TIME_HOURS`) go to the story
        ``item`` started when they are :data:`REPORTS_SIMILAR` to it together with the reports
        of its list that story took: one document's reports of its news in other words ("Microsoft
        AI Employee Accidentally Leaks 38TB of Data" met the 38 TB leak's document alone below
        the 0.40 of a claim, and no story of entries was left for it to join). An entry
        still alone is one no other story wanted; a piece about the news, or another model of
        a product, stays apart."""
        grouper = self._grouper
        story = grouper.groups[item.id] if grouper.story_of.get(item.id) == item.id else None
        when = item.published
        if story is None or len(story.members) != 1 or story.aside or when is None:
            return
        left = [(entry, single, at) for entry, single, _, at in alone
                if len(single.keys) == 1 and single.id in self._open and not single.aside and at is not None
                and at - when <= LEFT_AFTER_HOURS * 3_600 and when - at <= AGAIN_BEFORE_HOURS * 3_600 and story.fits(at)]
        if not left:  # (joined since, or taken, or out of its time)
            return
        together = self._with_reports(item, story.id, grouper.placed)
        if together is None:
            return  # (its story took none of its list: nothing says what its reports say)
        reports, length = together
        get = reports.get
        claimed = grouper.claimed
        times = [entry.published for entry in item.related if entry.published is not None and claimed.get(entry.key) == story.id]
        for entry, single, at in left:
            if not story.fits(at):
                continue  # (the entries taken before it filled the story: MAX_VERSIONS)
            if at - when > AGAIN_HOURS * 3_600 and not any(abs(at - time) <= SAME_TIME_HOURS * 3_600 for time in times):
                continue  # (later than the document, and than the reports it took: a follow-up)
            if grouper._reach_of(entry, reports, length * length) < REPORTS_SIMILAR:
                continue  # (most are not read)
            vector = grouper.entry_vector(entry)
            if (sum(map(mul, vector.values(), map(get, vector, _ZEROS))) / length < REPORTS_SIMILAR
                    or other_model(grouper.entry_title(entry), story.titles, vector)):
                continue
            self._close(single.id)
            grouper.take(story, entry.key, item.id, entry.published)
            grouper.hold_copies(story, entry, when)  # (copies of one headline are one report)

    def _copies_join(self, started: EntryGroup, item: Item, changed: list[str]) -> None:
        """``started``, a story of entries of ``item`` alone that they started now, joins the
        story at least as large that holds a copy of one of its headlines, when there is one
        within the bounds (the first by id): the entries of one list are placed
        one at a time, so a copy of a wire report placed before the story that holds another
        copy of it had grown to it may have started a story of its own with a sibling. Copies
        of one headline are one report, here as everywhere."""
        found = next((group for group in sorted((self._open[s] for s in Grouper._candidates(started.terms, self._index,
                                                                                             CANDIDATES_MAX + 1)),
                                                key=lambda group: group.id)
                      if group is not started and group.id in self.stories and group.headlines
                      and len(started.keys) <= len(group.keys) <= MAX_VERSIONS - len(started.keys)
                      and self._may_join(group, started.first) and self._may_join(group, started.last)
                      and any(same_headline(title, group.headlines) for title in started.headlines)), None)
        if found is None:
            return
        grouper = self._grouper
        keys = list(started.keys)
        entries = {entry.key: entry for entry in item.related}
        del self.stories[started.id]
        changed[:] = [story for story in changed if story != started.id]  # (never written: it started now)
        self._close(started.id)  # (its place in the queue of open groups is skipped when it comes up)
        when = item.published
        for key in keys:
            entry = entries[key]
            at = entry.published if entry.published is not None else when
            self._place(found, entry, item.id, grouper.entry_vector(entry), self._rare(entry), at, changed)

    def _adopt(self, item: Item, changed: list[str]) -> list[str]:
        """When ``item`` started a story of its own, its story takes the entry story of the
        entries it lists that it is most similar to (at least :data:`ADOPT_SIMILAR`, itself or,
        for entries around its time (:func:`_around`), itself with the reports of its list its
        story took, :meth:`_with_reports`; or :data:`ADOPT_MOST_SIMILAR` for such entries when
        they are most of its list, :func:`_most_of`; or
        :data:`~reader.stories.matching.SAME_TITLE_COSINE` when its headline is theirs reworded,
        :func:`_titles_agree`; within the story's bounds): the document reports the event
        those entries report, which no document had before it; it holds their headlines (a
        copy listed later joins it, as for a claim). ``changed`` without the story taken; the
        taken one is :attr:`adopted`."""
        grouper = self._grouper
        story = grouper.groups[item.id] if grouper.story_of.get(item.id) == item.id else None
        if story is None or len(story.members) != 1:
            return changed
        vector = grouper.placed
        together: tuple[dict[str, float], float] | None = None  # (worked out when first needed)
        looked = False
        best: tuple[float, str] | None = None
        for found in self._stories_of(item):
            group = self.stories[found]
            if not group.sq or story.versions + len(group.keys) > MAX_VERSIONS:
                continue
            if (group.aside or story.aside) and not (story.headlines and group.headlines
                                                     and same_headline(story.headlines[0], group.headlines)):
                continue  # (a piece about the news meets others only as a copy of one headline)
            if not (story.fits(group.first) and story.fits(group.last)):
                continue
            if item.title and other_model(item.title, group.headlines, vector):
                continue  # (another model of one product)
            centroid = group.centroid
            cosine = sum(map(mul, vector.values(), map(centroid.get, vector, _ZEROS))) / math.sqrt(group.sq)
            around = _around(item.published, group)
            if around:
                if not looked:
                    together, looked = self._with_reports(item, story.id, vector), True
                if together is not None:
                    reports, length = together  # (it and the reports of its list it took, as one)
                    cosine = max(cosine, sum(map(mul, reports.values(), map(centroid.get, reports, _ZEROS)))
                                 / math.sqrt(group.sq) / length)
            if cosine < ADOPT_SIMILAR and not (
                    (around and cosine >= ADOPT_MOST_SIMILAR and _most_of(group, item))
                    or (cosine >= SAME_TITLE_COSINE and story.headlines and _titles_agree(story.headlines[0], group))):
                continue  # (as similar as a report of it; or most of its list, and alike; or its title one of theirs reworded)
            if best is None or (-cosine, found) < (-best[0], best[1]):
                best = (cosine, found)
        taken: set[str] = set()
        if best is not None:
            group = self.stories[best[1]]
            combined = dict(group.centroid)  # (the document and the story it took, as one)
            sq = group.sq + 2.0 * _add(combined, vector) + 1.0
            dates, dated = group.dates, group.dated
            if item.published is not None:
                dates, dated = dates + item.published, dated + 1
            titles = [*story.titles, *group.headlines]
            self._take_story(story, group)
            taken.add(group.id)
            rest = self._open_stories_of(item)
        else:  # (it took none: the document and the reports of its list its story took, as one)
            rest = self._open_stories_of(item)
            if not rest:
                return changed
            if not looked:
                together = self._with_reports(item, story.id, vector)
            when = item.published
            if together is None or when is None:
                return changed  # (its story took none of its list: nothing says what its reports say)
            combined, length = together
            sq = length * length
            claimed = grouper.claimed
            claims = [entry for entry in item.related if claimed.get(entry.key) == story.id]
            dates = when + sum(entry.published if entry.published is not None else when for entry in claims)
            dated = 1 + len(claims)
            titles = [*story.titles, *map(grouper.entry_title, claims)]
        taken.update(self._take_more(story, rest, combined, sq, dates, dated, titles))
        return [s for s in changed if s not in taken]

    def _open_stories_of(self, item: Item) -> list[EntryGroup]:
        """The open entry stories (not of pieces about the news) that hold entries of ``item``'s
        list, by id."""
        return [group for group in map(self.stories.__getitem__, self._stories_of(item)) if group.sq > 0 and not group.aside]

    def _stories_of(self, item: Item) -> list[str]:
        """The entry stories that hold entries of ``item``'s list, by id (its few entries looked
        up in :attr:`stories`, which holds every story so far, not the other way round)."""
        stories, seen = self.stories, self._seen
        return sorted({story for story in (seen.get(r.key) for r in item.related) if story is not None and story in stories})

    def _take_more(self, story: Group, rest: list[EntryGroup], combined: dict[str, float], sq: float, dates: float,
                   dated: int, titles: list[str]) -> list[str]:
        """``story``, a story a document started that took an entry story or reports of its list
        (``combined``, of squared length ``sq``: the sum of the document's vector and that story's
        centroid, or the document's vector and the reports' unit vectors; ``dates`` and ``dated``:
        the sum of their dates, how many; ``titles``: their titles, normalised), takes more of
        ``rest``, the other open entry stories of entries of its list, the most similar first,
        each that meets the sum at :data:`ADOPT_MORE_SIMILAR` (and :data:`LIST_PER_DAY` more for
        each day their mean dates lie apart beyond :data:`SAME_TIME_HOURS`) within the story's
        bounds. Each is compared with that sum as it was, not with the stories taken added: one
        taken on the bar would bring in others that meet only it (Microsoft's Llama 2 reports,
        listed by its pricing of Copilot the same day, one after another). Pieces about the
        news stay apart, and so do the stories whose headlines name another model of a product
        than those titles and the headlines of the stories taken before do
        (:func:`~reader.stories.titles.other_models`). Returns the stories taken (:attr:`adopted`)."""
        taken: list[str] = []
        if story.aside:
            return taken
        length = math.sqrt(sq)
        mean = dates / dated if dated else None
        meeting = []
        for group in rest:
            centroid = group.centroid
            cosine = sum(map(mul, centroid.values(), map(combined.get, centroid, _ZEROS))) / length / math.sqrt(group.sq)
            if cosine >= ADOPT_MORE_SIMILAR + later(mean, group.dates, group.dated, LIST_PER_DAY):
                meeting.append((cosine, group))
        meeting.sort(key=lambda found: -found[0])  # (the most similar first; ties in the order of ids)
        for _, group in meeting:
            if (story.versions + len(group.keys) > MAX_VERSIONS or not (story.fits(group.first) and story.fits(group.last))
                    or other_models(group.headlines, titles)):
                continue
            titles = [*titles, *group.headlines]
            taken.append(group.id)
            self._take_story(story, group)
        return taken

    def _take_story(self, story: Group, group: EntryGroup) -> None:
        """The story of documents ``story`` takes the entry story ``group``: its entries are
        claimed by it, its headlines held; ``group`` is :attr:`adopted`."""
        grouper = self._grouper
        del self.stories[group.id]
        claimed = grouper.claimed
        for key in group.keys:
            claimed[key] = story.id
            grouper.listed_by[key] = self.holders[key]
            story.claims.append(key)
        story.stretch(group.first)
        story.stretch(group.last)
        for title, at in group.dated_headlines:  # (copies of one headline are one report)
            grouper.hold_headline(story, title, at)
        self._close(group.id)
        self.adopted.append((group.id, tuple(group.keys)))

    def _with_reports(self, item: Item, story: str, vector: dict[str, float]) -> tuple[dict[str, float], float] | None:
        """The sum of ``vector`` (``item``'s, which started ``story``) and the unit vectors of
        the entries of its list that its story took, and its length; None when it took none."""
        grouper = self._grouper
        claimed = grouper.claimed
        taken = [entry for entry in item.related if claimed.get(entry.key) == story]
        if not taken:
            return None
        together, sq = grouper.with_entries(vector, taken)
        return together, math.sqrt(sq)

    def _place(self, group: EntryGroup, entry: Related, holder: str, vector: dict[str, float] | None, rare: list[str],
               when: float | None, changed: list[str]) -> None:
        """Put ``entry`` into ``group``; a group of two entries or more is a story, and claims
        them (``changed``: the entry stories that changed)."""
        self._join(group, entry.key, holder, vector, rare, when)
        title = self._grouper.entry_headline(entry)
        if title is not None:
            group.headlines.append(title)
            if when is not None:
                group.dated_headlines.append((title, when))
        story = self._reports.get(group.id)
        if story is not None:  # (a story of documents' reports: the entry is that story's)
            grouper = self._grouper
            grouper.take(grouper.groups[story], entry.key, holder, entry.published)
            if when is not None:
                grouper.hold_copies(grouper.groups[story], entry, when)  # (as for a claim)
            return
        if len(group.keys) >= 2:
            claimed = self._grouper.claimed
            if group.id not in self.stories:
                self.stories[group.id] = group
                for earlier in group.keys[:-1]:
                    claimed[earlier] = group.id
            claimed[entry.key] = group.id
            if group.id not in changed:
                changed.append(group.id)

    def _rare(self, entry: Related) -> list[str]:
        """The rarest words of an entry (one regular expression, shared with the grouper;
        rarity among the articles so far; among equally rare words, those of its title
        first, one more over the title): what finds the groups it may join."""
        df = self._grouper.weights.df.get
        words = {w for w in self._grouper.entry_tokens(entry) if len(w) > 2} - STOP_WORDS
        title = self._grouper.entry_title_words(entry)
        return [w for _, _, w in sorted([(df(w, 0), w not in title, w) for w in words])[:CANDIDATE_TERMS]]

    def _may_join(self, group: EntryGroup, when: float | None) -> bool:
        if not group.fits(when):
            return False
        story = self._reports.get(group.id)
        if story is not None:  # (and within the story of documents' bounds)
            return self._grouper.groups[story].fits(when)
        # (a group of one entry that a document's story claimed since is no group any more)
        return len(group.keys) != 1 or self._grouper.claimed.get(group.keys[0], group.id) == group.id

    def _best(self, vector: dict[str, float], candidates: list[EntryGroup], title: str | None,
              similar: float = ENTRIES_SIMILAR, kind: bool = False, entry_title: str = "",
              when: float | None = None) -> EntryGroup | None:
        """The group the entry of ``vector`` joins, if any (``title``: its :func:`~reader.stories.titles.is_headline`;
        ``similar``: the cosine it needs, and more the further ``when``, its date, is from a
        group's entries', :func:`~reader.stories.matching.later`; ``kind``: whether it is a piece about the news, which
        joins a group of the other kind only by its headline; ``entry_title``: its title
        normalised, which must not name another model of a product, :func:`~reader.stories.titles.other_model`)."""
        best: tuple[float, str] | None = None
        found: EntryGroup | None = None
        words: list[str] = []
        names: frozenset[str] | None = None  # (its title's words and its names: read when first asked)
        for group in candidates:
            if group.unread is not None:  # its one entry's words, read now that one came near
                group.centroid = self._grouper.weights.vector(read_words(*group.unread))
                group.sq, group.unread = 1.0 if group.centroid else 0.0, None
            story = group.id
            centroid = group.centroid
            dot = sum(map(mul, vector.values(), map(centroid.get, vector, _ZEROS)))  # (in C, in the same order)
            cosine = dot / math.sqrt(group.sq) if group.sq > 0 else 0.0
            if cosine < similar + later(when, group.dates, group.dated) or group.aside or kind:
                if cosine < SAME_TITLE_COSINE or title is None or not group.headlines or not same_headline(title, group.headlines):
                    continue
            if entry_title and other_model(entry_title, group.headlines, vector):
                continue  # (another model of one product)
            if entry_title:
                if names is None:
                    words, names = entry_title.split(), frozenset([k for k in vector if k[0] == "@"])
                if only_subject(words, self._titles(group), names):
                    continue  # (one subject's other news)
            rank = (-round(cosine, 9), story)
            if best is None or rank < best:
                best, found = rank, group
        return found

    def _titles(self, group: EntryGroup) -> list[str]:
        """The titles ``group`` is told by: its headlines, and for the group of the reports a
        story of documents took, that story's titles too (what its members report)."""
        story = self._reports.get(group.id)
        return group.headlines if story is None else [*self._grouper.groups[story].titles, *group.headlines]

    def _join(self, group: EntryGroup, key: str, holder: str, vector: dict[str, float] | None, rare: list[str],
              when: float | None) -> None:
        if vector and not group.centroid:  # (its first vector: the same floats as summing into an empty one)
            group.centroid = dict(vector)
            group.sq += 1.0
        elif vector:
            group.sq += 2.0 * _add(group.centroid, vector) + 1.0  # (|v| = 1)
        group.keys.append(key)
        if when is not None:
            group.dates += when
            group.dated += 1
            group.stretch(when)
        self.holders[key] = holder
        self._seen[key] = group.id
        self._considered.add(key)
        index = self._index
        for term in rare:
            if term not in group.terms:
                index.setdefault(term, set()).add(group.id)
                group.terms.append(term)

    def _close(self, story: str) -> None:
        """No entry can join ``story`` any more: forget what only finding it needed."""
        group = self._open.pop(story, None)
        self._reports.pop(story, None)
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
        group.centroid, group.terms, group.headlines, group.dated_headlines, group.unread = {}, [], [], [], None
