"""What grouping works on: an article and its related entries as matching sees them, a story
being formed, and how an article compares with one. No Qt, no SQL.

:mod:`reader.stories.storage` reads each stored article into an :class:`Item`;
:class:`~reader.stories.matching.Grouper` forms :class:`Group` stories of them and
:mod:`reader.stories.related` stories of their :class:`Related` entries, each bounded in time
by :data:`WINDOW_DAYS` (:class:`Span`) and in size by :data:`MAX_VERSIONS`.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field
from operator import mul
from typing import NamedTuple

from reader.stories.text import Words
from reader.stories.weights import NO_NAMES as _NO_NAMES

#: Most days from a story's first version to its last.
WINDOW_DAYS = 16
#: Most versions (documents and related entries) of one story.
MAX_VERSIONS = 100
_DAY = 86_400.0
WINDOW = WINDOW_DAYS * _DAY
#: What a story that no article can join any more keeps of its centroid (:meth:`Group.pack`).
_NO_CENTROID: dict[str, float] = {}


@dataclass(frozen=True, slots=True)
class Related:
    """A related entry of an article, as matching sees it."""

    key: str  #: the identity of its link (or of its title, when it has none)
    title: str
    excerpt: str
    published: float | None


@dataclass(frozen=True, slots=True)
class Item:
    """An article, as matching sees it."""

    id: str
    published: float | None
    words: Words
    url_keys: frozenset[str]
    related: tuple[Related, ...] = ()
    title: str = ""  #: normalised (rapidfuzz's default_process)
    language: str | None = None  #: as detected (None: not known)
    outlet: str | None = None  #: its outlet (the provider's domain, the link's host or the provider's name)
    aside: bool = False  #: its title is of a piece about the news rather than a report of it (:func:`~reader.stories.titles.aside`)

    @property
    def order(self) -> tuple[int, float, str]:
        """Its place in the one order articles are grouped in."""
        return (0, self.published, self.id) if self.published is not None else (1, 0.0, self.id)


class Span:
    """The dates of a story being formed (:class:`Group`, and a story of related entries),
    from its earliest version's (``first``) to its latest's (``last``)."""

    __slots__ = ("first", "last")
    first: float | None
    last: float | None

    def stretch(self, when: float | None) -> None:
        if when is not None:
            self.first = when if self.first is None else min(self.first, when)
            self.last = when if self.last is None else max(self.last, when)

    def within(self, when: float | None) -> bool:
        """Whether a version dated ``when`` keeps it within :data:`WINDOW_DAYS` (asked of every
        candidate: no max or min called)."""
        first, last = self.first, self.last
        if when is None or first is None or last is None:
            return True
        return (last if last > when else when) - (first if first < when else when) <= WINDOW


@dataclass(slots=True)
class Group(Span):
    """A story being formed."""

    id: str  #: the id of its first member
    first: float | None
    last: float | None
    members: list[str] = field(default_factory=list)
    claims: list[str] = field(default_factory=list)  #: keys of the related entries it holds
    dates: float = 0.0  #: the sum of its dated members' dates
    dated: int = 0  #: how many of its members are dated
    centroid: dict[str, float] = field(default_factory=dict)
    sq: float = 0.0  #: squared length of the centroid
    sq_names: float = 0.0  #: ... of its names alone
    urls: set[str] = field(default_factory=set)
    related: set[str] = field(default_factory=set)
    #: Its members' titles, normalised (kept once no dated article can join it: undated
    #: articles are told apart by them, :func:`~reader.stories.subjects.title_apart`,
    #: :func:`~reader.stories.subjects.only_subject`, :func:`~reader.stories.titles.other_model`).
    titles: list[str] = field(default_factory=list)
    headlines: list[str] = field(default_factory=list)  #: ... those long enough to be headlines (:func:`~reader.stories.titles.is_headline`)
    #: The names its members' titles put first that no article had before them (:meth:`~reader.stories.matching.Grouper._subjects`).
    subjects: frozenset[str] = _NO_NAMES
    languages: frozenset[str] = _NO_NAMES  #: its members' languages (those known)
    aside: bool = False  #: its first member is a piece about the news (:func:`~reader.stories.titles.aside`), not a report of it
    #: The outlet of every member, while they have one and the same; else "".
    outlet: str = ""
    #: Its centroid's keys and weights, in order, once no article can join it (:meth:`pack`).
    packed: tuple[tuple[str, ...], array[float]] | None = None
    #: The headlines of its members and of the related entries it took that no story held
    #: before it (a related entry listed later under one of them joins it: :meth:`~reader.stories.matching.Grouper.take_copy`).
    held: list[str] = field(default_factory=list)

    @property
    def versions(self) -> int:
        return len(self.members) + len(self.claims)

    def fits(self, when: float | None) -> bool:
        """Whether a version dated ``when`` may join: the story is not full (no property asked),
        and it stays :meth:`within <Span.within>` the window."""
        return len(self.members) + len(self.claims) < MAX_VERSIONS and self.within(when)

    def add_vector(self, vector: dict[str, float], dot: float = 0.0, dot_names: float = 0.0,
                   names_sq: float | None = None) -> None:
        """Add the unit ``vector`` to the centroid, whose dot products with it (and of the
        names alone) are ``dot`` and ``dot_names``: |c + v|² = |c|² + 2 c·v + |v|²
        (``names_sq``: the squared length of its names alone, when known)."""
        centroid = self.centroid
        get = centroid.get
        for key, weight in vector.items():
            centroid[key] = get(key, 0.0) + weight
        weights = list(vector.values())
        sq = sum(map(mul, weights, weights))
        if names_sq is None:
            names_sq = sum([w * w for k, w in vector.items() if k[0] == "@"])
        self.sq += 2.0 * dot + sq
        self.sq_names += 2.0 * dot_names + names_sq

    def pack(self) -> None:
        """Keep the centroid in a quarter of the memory: only undated articles still compare
        with it (by the weights :meth:`~reader.stories.matching.Grouper.place_undated` reads of it), and nothing adds to it any more."""
        self.packed = (tuple(self.centroid), array("d", self.centroid.values()))  # (the same floats)
        self.centroid = _NO_CENTROID


class Match(NamedTuple):
    """How an article compares with a story (a tuple: one is made for every candidate)."""

    cosine: float
    names_cosine: float
    shared_names: int
    linked: bool
    title: float = 0.0  #: best token-set ratio of the titles, when linked (and the cosine is below :data:`~reader.stories.matching.SIMILAR`)
    dot: float = 0.0  #: the dot product with the story's centroid (before the article joins)
    dot_names: float = 0.0  #: ... of the names alone
    shared: frozenset[str] | set[str] = frozenset()  #: the terms they have in common
    headline: bool = False  #: its title is a member's headline again (:func:`~reader.stories.titles.same_headline`)
    #: The more cosine it needs, dated further than :data:`~reader.stories.matching.SAME_TIME_HOURS` from the story's
    #: members (:data:`~reader.stories.matching.SIMILAR_PER_DAY`; when linked, the bars of a link ask no more)
    later: float = 0.0
