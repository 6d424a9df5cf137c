"""Which articles report the same news: an online, single-pass grouping. No Qt, no SQL.

Articles are taken in one fixed order: dated ones by (time, id), then undated ones by id.
Each is compared with the stories still open at its time and joins the one it is most
similar to, or starts a new one:

* **Words weighted by rarity** (IDF, :mod:`reader.stories.weights`). An article's vector
  holds its words (title and excerpt, or the lead of a plain text) and its names, each
  weighted by ``log((n + 1) / (df + 1)) + 1`` where ``n`` and ``df`` count the articles
  *before it* in that order (as a news stream would have seen them), of the last
  :data:`~reader.stories.weights.RECENT_DAYS` days, so earlier decisions never change when
  later articles arrive, and "market", "report" or a big company's name weigh little once
  the recent news has many of them. Names (capitalised inside a sentence, or
  written specially: AI, YouTube) weigh :data:`~reader.stories.weights.NAME_WEIGHT` times
  more; a capitalised sentence opener is a name only when an article so far had it
  capitalised inside a sentence.
* **An outlet's own boilerplate weighs little.** Once an article's outlet (:attr:`~reader.stories.model.Item.outlet`)
  has :data:`~reader.stories.weights.OUTLET_MIN` articles before it, each of its terms weighs
  ``1 - share`` times as much, the share of those articles (its last
  :data:`~reader.stories.weights.OUTLET_LAST`) that had it: a fire brigade's "Einsatzort …
  Alarmierung …" or a vendor's "About Acme" paragraph is rare in the library but in most of
  that outlet's articles. Related entries and undated articles are weighed without it
  (rarity counts articles only).
* **Cohesive stories.** An article joins a story when it is similar to the story as a whole:
  the cosine between its vector and the story's centroid (the sum of its members' unit
  vectors) is at least :data:`SIMILAR`; or at least :data:`LINKED` when one lists the other
  (or both list the same page) as related coverage (:meth:`Grouper._best`: sharing their own
  link is not); or the names alone (written the same in
  any language) reach :data:`NAMES_SIMILAR` with :data:`NAMES_MIN` names in common; or
  :data:`SAME_TITLE_COSINE` when its title is a member's headline again (:func:`~reader.stories.titles.same_headline`,
  the story holding half of the title's words; installments of a series, titles that differ
  in a number or a date, are not: :func:`~reader.stories.titles.installments`; nor are two
  titles that each name a name the other does not, two firms doing the same: :func:`~reader.stories.subjects.other_names`). One link
  never chains stories together: only the centroid counts.
* **Not two subjects.** A dated article and a story in its language that each have a
  subject the other never mentions (names in a title that no article had before:
  :meth:`Grouper._subjects`) stay apart however similar the rest: several firms' press
  releases of one mould. (Across languages a title's place names are translated —
  Germany, Tyskland, Allemagne — so there they are no sign of another subject.)
* **Not one subject's other news.** An article whose title shares with a story's titles
  nothing but one name or one run of names (:func:`~reader.stories.subjects.only_subject`), a firm's, joins it only
  as related coverage: the same firm's other news of the week shares its name, three times
  over in its text, and its boilerplate, while reports of one event name something of what
  happened alike, or nothing alike at all. Nor does a dated one whose title shares the
  subject and one word more ("sells"), when its other title words are in none of the
  story's texts and the story's title words not in its text, each having a text of its own
  (:func:`~reader.stories.subjects.other_object`): the firm's other sale of the week. (A piece about the news, an
  analysis, names its event in other words by its nature: that rule is not asked of it.)
* **Pieces about the news apart.** A related entry whose title is a question, an explainer's,
  a first-person account's, a reaction's or labelled as commentary, a column or a digest
  ("Analysis: …", "AI Weekly: …") (:func:`~reader.stories.titles.aside`) and a story of reports (or an entry that is a
  report and a story of such a piece) meet only as copies of one headline
  (:func:`~reader.stories.titles.same_headline`): an explainer of a launch shares the launch's words.
* **One model of a product.** An article or a related entry whose title follows a name with
  another designation than the story's titles do ("Snapdragon AR2" against "Snapdragon 8":
  :func:`~reader.stories.titles.other_model`) is not a version of it: two models launched together are two launches.
* **Bounded in time.** A story covers at most :data:`~reader.stories.model.WINDOW_DAYS` days from its first version
  to its last; a dated article can join only a story whose first version is at most that
  much older. A story holds at most :data:`~reader.stories.model.MAX_VERSIONS` versions. Further in time needs more
  similarity: a dated article more than :data:`SAME_TIME_HOURS` from the mean date of the
  story's dated members needs :data:`SIMILAR_PER_DAY` more cosine for each day beyond
  (unless they are linked as related coverage, which asks for its own bar, or its title is one
  of the story's headlines again): one company's news of next week shares its name and its
  trade's words, not the event.
* **Related entries.** A related entry of a member becomes a version of the story (shown in
  its coverage) when it is similar to the story
  (:data:`RELATED_SIMILAR`; :data:`ENTRY_TITLE_COSINE` when its title agrees with a
  member's, :data:`ENTRY_TITLE`; or only :data:`SAME_TITLE_COSINE` when its title is a member's
  headline again, :func:`~reader.stories.titles.same_headline`: a copy of one report with another excerpt), lies
  in its time window and no story has claimed it before: one related entry belongs to at
  most one story. Several articles may list one entry, each with its own copy (date,
  outlet): the story holds the copy of the article it claimed the entry from
  (:attr:`Grouper.listed_by`), the one its time window was checked on. A story that takes
  an entry takes the copies of its headline (the same title under another link, within
  :data:`COPY_DAYS`) listed before it that no story holds, and a copy listed later joins it
  (:meth:`Grouper.take_copy`, before the stories of related entries alone are looked at).
  The entries of the list of an
  article that starts a story that the story left, dated from :data:`AGAIN_BEFORE_HOURS`
  before it to :data:`AGAIN_HOURS` after it, are compared once more, with the story and the
  reports of that list it took together: a document's excerpt often says little, and the
  reports it sums up restate the news in words it lacks (:meth:`Grouper._claim_again`). A link between two articles (one lists the
  other, or both list the same page) makes them candidates and lowers the bar to
  :data:`LINKED` (or titles that agree, :data:`LINKED_TITLE`).

Undated articles (plain text) come last: each joins the dated story, of any time, it is
most similar to, or stays alone (nothing would bound a story of undated articles in time);
their words count towards rarity too, they do not change the dated stories' centroids, and
their related entries are left out of stories (nothing would bound them in time either).
With no time to bound it, an undated article's title must share a word with the story's
titles (:func:`~reader.stories.subjects.title_apart`), in the story's language a word that is no name
(:func:`~reader.stories.subjects.names_alone_shared`), and the rule of one subject's other news holds against every
story, closed ones too (they keep their titles): a plain text that meets a story of another
year by a name and a few words of its trade is no report of it. So must a dated article's
joining a story whose members are all of its own outlet: one outlet's items share its
template and boilerplate, and its follow-ups of one event name it again. There a title
that shares names alone with theirs, and is none of them, is another thing
(:func:`~reader.stories.subjects.names_alone_shared`): a catalogue's "Far Cry 2" is not its "Far Cry", nor one
person's other news of the week the first; a short title that is none of theirs, all short
too, names another thing (:func:`~reader.stories.titles.other_entry`): a catalogue's "Grand
Theft Auto Online" is not its "Grand Theft Auto V", whatever words the editions' names share,
which need not be known as names; and a title that is another installment than
each of theirs (each has a number, a day or a month the other has not:
:func:`~reader.stories.titles.installments`) is another event: a fire brigade's call-outs
of one kind on two days, a podcast's two episodes.

Candidates come from an inverted index of the :data:`CANDIDATE_TERMS` rarest terms of each
member of the stories open at the time, so an article is compared with a handful of stories,
never with the library; it looks them up by its rarest terms that an article before it has.
A related entry's words are read only when they could reach the bar (:meth:`Grouper._reach`:
a bound from one pass over its words). The result depends only on the set of articles:
adding them in any order or batches gives the same stories (a batch that ends after everything grouped so far is
simply appended; any other is grouped again from the start).
"""

from __future__ import annotations

import math
from collections import Counter, deque
from collections.abc import Callable, Iterable
from dataclasses import replace
from functools import partial
from itertools import chain, repeat
from operator import mul

from rapidfuzz import fuzz, process
from rapidfuzz.utils import default_process

from reader.stories.model import MAX_VERSIONS, WINDOW, Group, Item, Match, Related
from reader.stories.subjects import (names_alone_shared, only_subject, other_names, other_object,
                                     other_subjects, title_apart, words_of_titles)
from reader.stories.text import STOP_WORDS, Words, read_words, word_set
from reader.stories.titles import aside, installments, is_headline, other_entry, other_model, same_headline
from reader.stories.weights import NO_NAMES as _NO_NAMES
from reader.stories.weights import Weights

#: Cosine with the story's centroid that makes an article a version of it.
SIMILAR = 0.40
#: A dated article more than SAME_TIME_HOURS from the mean date of a story's dated members
#: needs SIMILAR_PER_DAY more cosine (and cosine of names) for each day beyond to join it
#: (:meth:`Grouper._best`), unless they are linked (one lists the other, or both list the same
#: page: then :data:`LINKED` or :data:`LINKED_TITLE`, as at any time) or it is a copy of one
#: of the story's headlines: the reports of one event come out together, while one company's
#: next news, days later, shares its name and the words of its trade. (A related entry joining
#: a story of entries alone needs as much more: :mod:`reader.stories.related`.) Chosen with
#: related's bars in one search on the gold set's tuning parts (``bench/stories_bars.py``; 0.10 before).
SAME_TIME_HOURS = 12
SIMILAR_PER_DAY = 0.125
#: ... when one lists the other as related coverage (or both list the same page).
LINKED = 0.30
#: ... or when linked so and the titles agree this much (rapidfuzz token-set ratio, 0-100).
LINKED_TITLE = 60
#: Cosine with a story that makes a related entry whose title is one of the story's headlines
#: again (:func:`~reader.stories.titles.same_headline`: copies of one report, or its title
#: reworded) a version of it (or of a group of entries), and a document a member of one.
SAME_TITLE_COSINE = 0.10
#: Most days between two copies of one headline (related entries under other links with the
#: same title, as rapidfuzz's default_process writes it) that one story holds together: a
#: story that takes one takes the copies listed before it that no story holds.
COPY_DAYS = 2
#: Cosine of the names alone (and names in common) that is enough too: translations.
NAMES_SIMILAR = 0.40
NAMES_MIN = 4
#: Cosine between a related entry and the story that makes the entry a version of it: the
#: same as for an article (a commentary's related entries are often follow-ups and reactions
#: that share the story's names).
RELATED_SIMILAR = SIMILAR
#: ... or at least this when its title agrees with a member's this much (rapidfuzz token-set
#: ratio, 0-100): one report under a title reworded.
ENTRY_TITLE_COSINE = 0.30
ENTRY_TITLE = 80
#: ... or at least SAME_TITLE_COSINE when its title agrees with a member's this much (and
#: names no other firm first: a title of one mould agrees as much), for a
#: report (not a piece about the news) dated around the article that lists it, from
#: AGAIN_BEFORE_HOURS before it to NEAR_HOURS after it (:meth:`Grouper._near_title`): a report
#: whose excerpt is a teaser or another paragraph. Chosen on the gold set's tuning parts: of
#: the entries left alone at the end that a member listed within a day, those that are no
#: pieces about the news and whose title agrees 74 or more with the story's titles (its
#: members' and its reports') were 13 of the story's event and none of another; a day after the article at most: 48 hours put 8
#: more pairs of different events together, 12 lost reports of Google's $2 billion for
#: Anthropic.
ENTRY_TITLE_NEAR = 74
NEAR_HOURS = 24
#: Hours after an article that starts a story, and before it, within which a related entry
#: it lists that its story left is compared again, with the story and the reports of its list
#: the story took (:meth:`Grouper._claim_again`): the reports it sums up come before it, and
#: those after it may be follow-ups.
AGAIN_HOURS = 12
AGAIN_BEFORE_HOURS = 48
#: Terms of each article that find candidate stories (its rarest).
CANDIDATE_TERMS = 12
#: A term held by more stories than this proposes none (it is not rare).
POSTING_MAX = 100
#: ... for an undated article, which may join a story of any time.
UNDATED_CANDIDATES = 10
#: Rare terms a candidate story shares with the article at least (linked ones need none).
SHARED_MIN = 2
#: Most candidate stories compared with one article (those sharing the most rare terms).
CANDIDATES_MAX = 8
#: More stories than this in an article's postings are counted with a Counter (in C) rather
#: than a loop (quicker for a few).
_MANY_POSTINGS = 64


#: How the evidence of an article that joined by its names alone starts (its names follow).
NAMES_REASON = "the same names"
_DAY = 86_400.0
#: What a story that no article can join any more keeps of its links and titles.
_NONE: set[str] = set()
_NO_TITLES: list[str] = []
_ZEROS = repeat(0.0)  #: (the default of each lookup in a centroid)


class Grouper:
    """The grouping state: feed it articles in :attr:`~reader.stories.model.Item.order` (:meth:`add`), then
    :meth:`place_undated` places the undated ones."""

    def __init__(self, library_urls: Iterable[str] = ()) -> None:
        #: The links of every article of the library: a related entry naming one of them is
        #: never claimed (the article itself is the version).
        self.library_urls = set(library_urls)
        self.groups: dict[str, Group] = {}
        self.story_of: dict[str, str] = {}
        self.evidence: dict[str, str] = {}
        self.claimed: dict[str, str] = {}  #: related entry key -> story
        #: related entry key -> the article whose listing of it a story of documents claimed
        #: (its date is the one the claim was decided on: the version the story shows)
        self.listed_by: dict[str, str] = {}
        self.last: tuple[int, float, str] | None = None  #: order of the last dated article
        self.weights = Weights()  #: the words' rarity among the recent dated articles grouped so far
        self._open: dict[str, set[str]] = {}  #: rare term -> stories open now
        self._terms: dict[str, list[str]] = {}  #: story -> its terms in _open
        self._opened: deque[tuple[float, str]] = deque()
        self._all: dict[str, set[str]] = {}  #: rare term -> every story (for undated articles)
        self._common: set[str] = set()  #: terms of more than POSTING_MAX stories (not in _all any more)
        self._linked: dict[str, str] = {}  #: link (own or related) -> the first story with it
        self._listing: dict[str, str] = {}  #: related entry's link -> the first story that lists it
        #: The undated articles placed last (ids and words), how many of them have each word, and
        #: the terms each may have in its vector.
        self._undated: tuple[tuple[tuple[str, Words], ...], dict[str, int], list[frozenset[str]]] | None = None
        #: Undated article -> the terms it found its candidate stories by when placed last, and
        #: those stories (:meth:`place_undated`); and the terms whose stories in :attr:`_all`
        #: may have changed since (None until undated articles are first placed): the same
        #: terms of stories unchanged find the same stories again, after an append.
        self._undated_found: dict[str, tuple[list[str], list[str]]] = {}
        self._all_changed: set[str] | None = None
        #: (undated article, packed story it was compared with when placed last) -> the weights
        #: of that story's centroid on the terms the article may have: a packed story never
        #: changes, and a few terms of it are all that comparing reads.
        self._undated_centroids: dict[tuple[str, str], dict[str, float]] = {}
        #: Packed story an undated article was compared with when placed last -> its :func:`~reader.stories.subjects.words_of_titles`.
        self._closed_words: dict[str, frozenset[str]] = {}
        #: The tokens and unit vectors of the related entries of the article counted last
        #: (:meth:`entry_tokens`, :meth:`entry_vector`): the stories of documents and those of
        #: related entries alone (:mod:`reader.stories.related`) read each entry once.
        self._entry_tokens: dict[Related, set[str]] = {}
        self._entry_vectors: dict[Related, dict[str, float]] = {}
        self._entry_titles: dict[Related, set[str]] = {}
        self._entry_normal: dict[Related, str] = {}
        self._entry_headlines: dict[Related, str | None] = {}
        #: headline -> the related entries under it that no story took when their article was
        #: placed (key, date, the article that listed it, that article's time); and each of
        #: them as (that time, headline), in order (to forget them once no story can take them)
        self._copies: dict[str, list[tuple[str, float, str, float]]] = {}
        #: Headline -> the open story of documents that holds a copy of it (a member's title, or
        #: a related entry it took), and that copy's date: :meth:`take_copy`.
        self._holding: dict[str, tuple[str, float]] = {}
        self._copied: deque[tuple[float, str]] = deque()
        #: The vector of the dated article placed last.
        self.placed: dict[str, float] = {}

    # ----------------------------------------------------------------- vectors

    def _count(self, words: Words, outlet: str | None = None, when: float | None = None) -> None:
        """Count a dated article, of the time ``when`` (:meth:`Weights.count <reader.stories.weights.Weights.count>`):
        the entries' vectors read before are stale."""
        if self._entry_vectors:
            self._entry_vectors = {}
        if self._entry_tokens:
            self._entry_tokens = {}
        if self._entry_titles:
            self._entry_titles = {}
        if self._entry_normal:
            self._entry_normal = {}
        if self._entry_headlines:
            self._entry_headlines = {}
        self.weights.count(words, outlet, when)

    def _terms_of(self, vector: dict[str, float], ever: bool = False) -> tuple[list[str], list[str]]:
        """The :data:`CANDIDATE_TERMS` rarest terms of ``vector`` (what its story is found by
        in the index of open stories); and its rarest terms that an article before it has (of
        the last :data:`~reader.stories.weights.RECENT_DAYS` days; ``ever``: any, for an undated
        article, compared with every story): what finds its candidate stories. A term no
        article has is in no story's index, so the rarest of all (its own words) would find
        nothing, while the words it shares with one earlier article are the ones that point at
        that article's story."""
        ranked = sorted(zip(vector.values(), vector, strict=True), reverse=True)
        df = self.weights.df
        has = df.__contains__ if ever else df.get  # (a count of 0: only articles too old to count had it)
        probe = []
        for _, k in ranked:
            if has(k[1:] if k[0] == "@" else k):
                probe.append(k)
                if len(probe) == CANDIDATE_TERMS:
                    break
        return [k for _, k in ranked[:CANDIDATE_TERMS]], probe

    @staticmethod
    def _dots(vector: dict[str, float], centroid: dict[str, float]) -> tuple[float, float, int, set[str]]:
        """The dot product of ``vector`` with ``centroid``; of their names alone; how many
        names they share; and the terms they share."""
        keys = vector.keys() & centroid.keys()
        if not keys:
            return 0.0, 0.0, 0, keys
        mine, its = vector.__getitem__, centroid.__getitem__
        # (in C, summed in the order of ``keys``, as a loop over them would)
        names = [key for key in keys if key[0] == "@"]
        dot_names = sum(map(mul, map(mine, names), map(its, names))) if names else 0.0
        return sum(map(mul, map(mine, keys), map(its, keys))), dot_names, len(names), keys

    def _cosine(self, vector: dict[str, float], group: Group) -> float:
        """The cosine between ``vector`` and ``group``'s centroid."""
        dot = self._dots(vector, group.centroid)[0]
        return dot / math.sqrt(group.sq) if group.sq > 0 else 0.0

    @staticmethod
    def _names_norm(vector: dict[str, float]) -> float:
        return math.sqrt(sum(w * w for k, w in vector.items() if k[0] == "@"))

    @staticmethod
    def _accepts(match: Match) -> str | None:
        if match.cosine >= SIMILAR + match.later:
            return f"similar to the story ({match.cosine:.2f})"
        if match.linked and match.cosine >= LINKED:
            return f"related coverage, and similar ({match.cosine:.2f})"
        if match.linked and match.title >= LINKED_TITLE:  # (a title's agreement is no similarity of texts)
            return f"related coverage, and the titles agree ({match.title:.0f} %)"
        if match.names_cosine >= NAMES_SIMILAR + (0.0 if match.linked else match.later) and match.shared_names >= NAMES_MIN:
            return f"{NAMES_REASON} ({match.shared_names})"
        if match.headline and match.cosine >= SAME_TITLE_COSINE:
            return f"the same headline, and similar ({match.cosine:.2f})"
        return None

    def _best(self, vector: dict[str, float], item: Item, candidates: Iterable[str], groups: Callable[[str], Group],
              listed: frozenset[str], names: frozenset[str] | None = None,
              names_sq: float | None = None, subjects: frozenset[str] = frozenset(),
              headline: bool | None = None,
              unpack: Callable[[Group], tuple[dict[str, float], frozenset[str]]] | None = None,
              ) -> tuple[Group, Match, str] | None:
        """The story among ``candidates`` that ``item`` (its unit ``vector``; ``names``: the
        keys of its names, and ``names_sq`` their squared length, when known; ``headline``:
        whether its title is one, :func:`~reader.stories.titles.is_headline`, when known; ``unpack``: the weights of a
        packed story's centroid on every term ``item`` may have, and its :func:`~reader.stories.subjects.words_of_titles`,
        for an undated article, the only kind a packed story is compared with) joins, if any
        (a packed one with those weights as its centroid):
        the cosine, the links, the titles and :meth:`_accepts` for each, worked out inline (the hot path:
        most candidates are not accepted, and no Match is made for them)."""
        best: tuple[float, float, str] | None = None
        found: tuple[Group, Match, dict[str, float]] | None = None
        # (its words, then its names, as keys and weights: one lookup in each candidate's centroid per term)
        if names is None or names_sq is None:
            names = frozenset(k for k in vector if k[0] == "@")
            names_norm = self._names_norm(vector)
            word_keys = [k for k in vector if k not in names]
            word_weights = list(map(vector.__getitem__, word_keys))
            name_keys = list(names)
            name_weights = list(map(vector.__getitem__, name_keys))
        else:
            names_norm = math.sqrt(names_sq)
            size = len(vector) - len(names)  # (from Weights.weigh: its names come last)
            word_keys, word_weights = list(vector), list(vector.values())
            name_keys, name_weights = word_keys[size:], word_weights[size:]
            del word_keys[size:], word_weights[size:]
        own = item.url_keys
        has_links = bool(listed or own)
        when = item.published
        sqrt = math.sqrt
        if headline is None:
            headline = bool(item.title) and is_headline(item.title)
        mine = item.title if headline else None  # (already normalised)
        language = item.language
        # (its headline's words that the story must hold half of, for its headline to be one of the story's:
        # read when a story is first compared by its headline)
        title_words: list[str] | None = None
        words = item.title.split() if item.title and names else None  # (its title's words, when it has names)
        for story in candidates:
            group = groups(story)
            if not group.fits(when):
                continue
            theirs: frozenset[str] | None = None  # (its titles' words, when asked)
            if group.packed is None:
                centroid = group.centroid
            else:  # (a story no dated article can join: an undated article's terms in it, :meth:`place_undated`)
                assert unpack is not None
                centroid, theirs = unpack(group)
            get = centroid.get
            # (in C, in the order of the loop over its terms that adds the weights of those the
            # centroid has: a term it lacks adds 0.0, which leaves the sum as it is)
            dot = sum(map(mul, word_weights, map(get, word_keys, _ZEROS)), 0.0)
            if name_keys:
                dot_names = sum(map(mul, name_weights, map(get, name_keys, _ZEROS)), 0.0)
                shared = sum(map(centroid.__contains__, name_keys))
                dot += dot_names
            else:
                dot_names, shared = 0.0, 0
            cosine = dot / sqrt(group.sq) if group.sq > 0 else 0.0
            names_cosine = dot_names / sqrt(group.sq_names) / names_norm if group.sq_names > 0 and names_norm > 0 else 0.0
            related = group.related
            linked = has_links and bool(
                (listed and not (listed.isdisjoint(group.urls) and listed.isdisjoint(related)))
                or (related and not own.isdisjoint(related)))
            title = 0.0
            if linked and item.title and cosine < SIMILAR:  # (only then do the titles count)
                title = max((fuzz.token_set_ratio(item.title, t) for t in group.titles if t), default=0.0)
            same = False
            more = later(when, group.dates, group.dated)  # (further in time than half a day: more similarity, unless linked)
            if not (cosine >= SIMILAR + more or (linked and (cosine >= LINKED or title >= LINKED_TITLE))
                    or (names_cosine >= NAMES_SIMILAR + (0.0 if linked else more) and shared >= NAMES_MIN)):
                # (a copy of one report under its headline, with another excerpt)
                if cosine < SAME_TITLE_COSINE or mine is None or not group.headlines:
                    continue  # (_accepts)
                if title_words is None:
                    title_words = [w for w in mine.split() if len(w) > 2 and w not in STOP_WORDS]
                if (2 * sum(map(centroid.__contains__, title_words)) < len(title_words)
                        or not same_headline(mine, group.headlines)
                        or other_names(mine, vector, group.headlines, centroid)):
                    continue  # (_accepts)
                same = True
            # (an undated article, or one joining a story of its own outlet's alone: its title must
            # share a word with the story's)
            told = when is None or (item.outlet is not None and group.outlet == item.outlet)
            if not linked and (words or (told and item.title)):
                if theirs is None:
                    theirs = words_of_titles(group.titles)
                if words and only_subject(words, group.titles, names, theirs):
                    continue  # (one subject's other news)
                if (words and when is not None and not same and not item.aside
                        and other_object(words, item.words.words, group.titles, theirs, names, vector, centroid)):
                    continue  # (one subject's other news, its texts tell)
                if told and item.title:
                    said = words or item.title.split()  # (its title's words, read once)
                    if title_apart(said, theirs):
                        continue  # (nothing of what happened in common)
                    if when is not None and item.title not in group.titles and names_alone_shared(said, theirs, names):
                        continue  # (one outlet's items: names alone in common, under another title)
                    if when is not None and other_entry(item.title, group.titles):
                        continue  # (one outlet's catalogue: another entry's name)
                    if when is not None and all(installments(item.title, other) for other in group.titles):
                        continue  # (another installment of one outlet's series)
                    if (when is None and (language is None or not group.languages or language in group.languages)
                            and names_alone_shared(said, theirs, names)):
                        continue  # (an undated article: names alone in common, in one language)
            if (subjects and group.subjects and (language is None or not group.languages or language in group.languages)
                    and self._other_subjects(subjects, vector, group.subjects, centroid)):
                continue  # (two subjects, in one language)
            if item.title and other_model(item.title, group.titles, vector):
                continue  # (another model of one product)
            match = Match(cosine, names_cosine, shared, linked, title, dot, dot_names, vector.keys() & centroid.keys(), same,
                          more)
            # (rounded: two stories equally similar by their names must not be told apart by
            # rounding errors, which differ with the order the centroids were summed in)
            rank = (-round(max(match.cosine, match.names_cosine), 9), -round(match.cosine, 9), story)
            if best is None or rank < best:
                best, found = rank, (group, match, centroid)
        if found is None:
            return None
        reason = self._accepts(found[1])
        assert reason is not None
        group = found[0]
        if group.packed is not None:  # (what it was compared by is what the reason reads)
            group = replace(group, centroid=found[2])
        return group, found[1], reason

    def _subjects(self, item: Item, names: frozenset[str]) -> frozenset[str]:
        """The names in ``item``'s title (``names``: the keys of its names in its vector) that
        no article before it had: what a press release or one of a series of reports is about
        (the firm of "ElectrifAi achieves AWS competency", beside "XAPP AI achieves AWS
        competency"). Two reports of one event name its subject alike, so at most one of them
        brings it in."""
        if not item.title or not names:
            return _NO_NAMES
        df = self.weights.df
        new = [key[1:] for key in names if key[1:] not in df]
        if not new:
            return _NO_NAMES
        title = set(item.title.split())
        return frozenset([name for name in new if name in title])

    def _other_subjects(self, subjects: frozenset[str], vector: dict[str, float], theirs: frozenset[str],
                        centroid: dict[str, float]) -> bool:
        """Whether an article and a story are about different subjects: each has a subject
        (:meth:`_subjects`) the other never mentions. Then no similarity joins them: two firms'
        press releases of one mould, or one series' reports on two markets, share every word
        but those."""
        at = self.weights.key
        if all(name in centroid or at(name) in centroid for name in subjects):
            return False
        return not all(name in vector or at(name) in vector for name in theirs)

    @staticmethod
    def _candidates(rare: list[str], index: dict[str, set[str]], most: int = 0) -> list[str]:
        # (a term of more stories than POSTING_MAX is too common to point at one)
        postings = [found for found in map(index.get, rare) if found and len(found) <= POSTING_MAX]
        if len(postings) < SHARED_MIN:
            return []
        hits: dict[str, int]
        if sum(map(len, postings)) > _MANY_POSTINGS:  # (an undated article's: counted in C)
            hits = Counter(chain.from_iterable(postings))
        else:  # (a few stories each: a loop is quicker than a Counter)
            hits = {}
            get = hits.get
            for found in postings:
                for story in found:
                    hits[story] = get(story, 0) + 1
        most = most or CANDIDATES_MAX
        chosen = sorted([story for story, n in hits.items() if n >= SHARED_MIN])
        if len(chosen) > most:  # those sharing the most terms (a stable sort: ties in that order)
            chosen.sort(key=hits.__getitem__, reverse=True)
            del chosen[most:]
        return chosen

    @staticmethod
    def entry_order(entry: Related) -> str:
        """What one article's related entries are grouped in the order of, by the claims of its
        story and by the stories of entries alone: their links. Each entry placed changes the
        centroid the next one meets, so another fixed order gives other stories for some;
        ``python bench/stories_eval.py --orders N`` measures how much."""
        return entry.key

    @staticmethod
    def _listed(item: Item) -> frozenset[str]:
        """The keys of the related entries ``item`` lists, but its own links (an article
        that lists itself lists no other coverage)."""
        if not item.related:
            return _NO_NAMES
        return frozenset([r.key for r in item.related]).difference(item.url_keys)

    @staticmethod
    def _why(vector: dict[str, float], group: Group, match: Match, reason: str) -> str:
        """``reason``, and the terms that weigh most in it: the shared names when the names
        decided (:data:`NAMES_REASON`), else the shared terms."""
        centroid = group.centroid
        keys = [k for k in match.shared if k[0] == "@"] if reason.startswith(NAMES_REASON) else match.shared
        # (rounded: terms that weigh alike are shown in the order of their words, not in that of
        # rounding errors, which differ with the order a set of words is summed in, run to run)
        shared = sorted([(-round(vector[k] * centroid[k], 9), k) for k in keys])[:12]
        terms = list(dict.fromkeys(k.lstrip("@") for _, k in shared))[:6]
        return f"{reason}: " + ", ".join(terms) if terms else reason

    # ----------------------------------------------------------------- dated articles

    def add(self, item: Item) -> None:
        """Group the dated ``item``, which comes after every article added so far."""
        when = item.published
        assert when is not None
        order = item.order
        assert self.last is None or order > self.last, "articles are grouped in order"
        self.last = order
        opened = self._opened
        while opened and opened[0][0] < when - WINDOW:
            self._close(opened.popleft()[1])
        if self._copied and self._copied[0][0] < when - WINDOW:
            self._forget_copies(when - WINDOW)
        words = item.words
        self.weights.capitalise(words)
        vector, names, names_sq = self.weights.weigh(words, None, item.outlet)
        rare, probe = self._terms_of(vector)
        candidates = self._candidates(probe, self._open)
        listed = self._listed(item)
        if self._linked:
            # (the stories it lists a member of, or that list the same page; those that list it)
            known, listing, still_open = self._linked, self._listing, self._terms
            linked = {known[k] for k in listed if k in known}
            linked.update([listing[k] for k in item.url_keys if k in listing])
            if linked:
                linked = {s for s in linked if s in still_open}.difference(candidates)  # (still open)
                candidates.extend(sorted(linked))
        self.placed = vector  # (what a story of related entries alone is compared with: EntryStories)
        subjects = self._subjects(item, names)
        headline = is_headline(item.title)  # (already normalised)
        found = self._best(vector, item, candidates, self.groups.__getitem__, listed, names, names_sq,
                           subjects, headline) if candidates else None
        if found is None:
            group = Group(item.id, when, when, aside=item.aside)
            self.groups[item.id] = group
            self._terms[item.id] = []
            opened.append((when, item.id))
            self._join(group, item, vector, rare, 0.0, 0.0, names_sq, listed, headline)
        else:
            group, match, reason = found
            self.evidence[item.id] = self._why(vector, group, match, reason)
            self._join(group, item, vector, rare, match.dot, match.dot_names, names_sq, listed, headline)
        if subjects:
            group.subjects = group.subjects | subjects
        self._count(words, item.outlet, item.published)
        if item.related:
            self._claim(group, item)

    def _join(self, group: Group, item: Item, vector: dict[str, float], rare: list[str],
              dot: float, dot_names: float, names_sq: float, listed: frozenset[str], headline: bool) -> None:
        story = group.id
        group.members.append(item.id)
        if len(group.members) == 1:
            group.outlet = item.outlet or ""
        elif group.outlet != item.outlet:
            group.outlet = ""  # (members of two outlets, or of none known)
        group.add_vector(vector, dot, dot_names, names_sq)
        group.stretch(item.published)
        if item.published is not None:
            group.dates += item.published
            group.dated += 1
        group.urls.update(item.url_keys)
        if listed:
            group.related.update(listed)
        group.titles.append(item.title)
        if item.language is not None and item.language not in group.languages:
            group.languages = group.languages | {item.language}
        if headline:  # (its title is one: is_headline)
            group.headlines.append(item.title)
            if item.published is not None:
                self._hold(group, item.title, item.published)
        linked, listing = self._linked, self._listing
        for key in item.url_keys:
            linked.setdefault(key, story)
        for key in listed:
            linked.setdefault(key, story)
            listing.setdefault(key, story)
        self.story_of[item.id] = story
        terms = self._terms.get(story)
        if terms is not None:
            index = self._open
            for term in rare:
                found = index.get(term)
                if found is None:
                    index[term] = {story}
                else:
                    found.add(story)
            terms.extend(rare)
        every, common = self._all, self._common
        if self._all_changed is not None:
            self._all_changed.update(rare)
        for term in rare:
            found = every.get(term)
            if found is None:
                if term not in common:
                    every[term] = {story}
            else:
                found.add(story)
                if len(found) > POSTING_MAX:  # (it never proposes a story again: forgotten)
                    del every[term]
                    common.add(term)

    def _close(self, story: str) -> None:
        """No article can join ``story`` any more: forget what only finding it needed."""
        for term in self._terms.pop(story, ()):
            found = self._open.get(term)
            if found is not None:
                found.discard(story)
                if not found:
                    del self._open[term]
        group = self.groups[story]
        for key in group.urls | group.related:
            if self._linked.get(key) == story:
                del self._linked[key]
        for key in group.related:
            if self._listing.get(key) == story:
                del self._listing[key]
        holding = self._holding
        for title in group.held:
            if holding.get(title, ("",))[0] == story:
                del holding[title]
        group.urls, group.related, group.headlines = _NONE, _NONE, _NO_TITLES  # (one for all: never changed)
        group.held = _NO_TITLES
        group.pack()

    def _hold(self, group: Group, title: str, when: float) -> None:
        """``group`` holds a copy of the headline ``title``, dated ``when`` (the first story to)."""
        if title not in self._holding:
            self._holding[title] = (group.id, when)
            group.held.append(title)

    def take_copy(self, entry: Related, item: Item) -> bool:
        """Whether an open story of documents holds a copy of the headline of ``entry`` (of the
        article ``item``, placed last, whose story left it), dated at most :data:`COPY_DAYS`
        from it, and takes it: copies of one headline are one report, whichever came first."""
        title = self.entry_headline(entry)
        found = self._holding.get(title) if title is not None else None
        if found is None:
            return False
        story, date = found
        group = self.groups[story]
        when = item.published
        assert when is not None
        at = entry.published if entry.published is not None else when
        if abs(at - date) > COPY_DAYS * _DAY or not group.fits(entry.published):
            return False
        self.take(group, entry.key, item.id, entry.published)
        return True

    def take(self, group: Group, key: str, holder: str, when: float | None) -> None:
        """``group`` holds the related entry ``key`` as the article ``holder`` lists it (dated ``when``)."""
        self.claimed[key] = group.id
        self.listed_by[key] = holder
        group.claims.append(key)
        group.stretch(when)

    def hold_copies(self, group: Group, entry: Related, when: float) -> None:
        """``group`` took ``entry``, a related entry of the article placed last (dated ``when``):
        it holds the entry's headline (a copy listed later joins it, :meth:`take_copy`) and
        takes the copies of it listed before that no story took, dated at most :data:`COPY_DAYS`
        from it."""
        title = self.entry_headline(entry)
        if title is not None:
            self.hold_headline(group, title, entry.published if entry.published is not None else when)

    def hold_headline(self, group: Group, title: str, at: float) -> None:
        """:meth:`hold_copies` for the headline ``title`` of an entry dated ``at``."""
        self._hold(group, title, at)
        for key, date, holder, _ in self._copies.get(title, ()):
            if key in self.claimed or abs(date - at) > COPY_DAYS * _DAY or not group.fits(date):
                continue
            self.take(group, key, holder, date)

    def _forget_copies(self, before: float) -> None:
        """Forget the related entries left by articles older than ``before`` (a story's
        window before the article placed now), so that what is kept for :data:`COPY_DAYS`
        stays bounded however long the library."""
        copied, copies = self._copied, self._copies
        while copied and copied[0][0] < before:
            title = copied.popleft()[1]
            found = copies.get(title)  # (None: forgotten with an earlier copy)
            if found is not None:
                kept = [copy for copy in found if copy[3] >= before]
                if kept:
                    copies[title] = kept
                else:
                    del copies[title]

    def copies_listed(self) -> dict[str, set[str]]:
        """Article -> the keys of the related entries it listed that a story may still take
        as copies of a headline (:data:`COPY_DAYS`): the listing a claim is decided on."""
        listed: dict[str, set[str]] = {}
        for found in self._copies.values():
            for key, _, holder, _ in found:
                listed.setdefault(holder, set()).add(key)
        return listed

    def _claim(self, group: Group, item: Item) -> None:
        left: list[Related] = []
        taken: list[Related] = []
        for entry in sorted(item.related, key=Grouper.entry_order):
            if entry.key in self.claimed or entry.key in self.library_urls:
                continue
            if not group.fits(entry.published):
                left.append(entry)
                continue
            reach = self._reach(entry, group)
            if reach < SAME_TITLE_COSINE:
                left.append(entry)
                continue  # (most entries: their words are not read)
            # (its words are read only now, when the bound allows a claim: most never get here;
            # a piece about the news and a report of it are one story only by one headline)
            cosine = self._entry_cosine(entry, group) if reach >= ENTRY_TITLE_COSINE and not (group.aside or aside(entry.title)) else None
            if cosine is not None and ENTRY_TITLE_COSINE <= cosine < RELATED_SIMILAR and self._titles_agree(entry, group):
                cosine = RELATED_SIMILAR  # (as similar as it needs to be)
            elif (cosine is None or cosine < RELATED_SIMILAR) and self._near_title(entry, group, item):
                cosine = RELATED_SIMILAR
            if cosine is None or cosine < RELATED_SIMILAR:  # (then its title must be a headline of the story again)
                if not group.headlines or (cosine is not None and cosine < SAME_TITLE_COSINE):
                    left.append(entry)
                    continue
                title = self.entry_headline(entry)
                if title is None or not same_headline(title, group.headlines):
                    left.append(entry)
                    continue
                if cosine is None and self._entry_cosine(entry, group) < SAME_TITLE_COSINE:
                    left.append(entry)
                    continue
            if other_model(self.entry_title(entry), group.titles, self.entry_vector(entry)):
                left.append(entry)
                continue  # (another model of one product)
            self.take(group, entry.key, item.id, entry.published)
            taken.append(entry)
        when = item.published
        assert when is not None
        if taken and left and len(group.members) == 1 and not group.aside:  # (a document that starts its story)
            left = self._claim_again(group, item, when, taken, left)
        for entry in taken:
            self.hold_copies(group, entry, when)
        copies = self._copies
        for entry in left:  # (a story may take it as a copy of its headline later; undated: its article's date)
            title = self.entry_headline(entry)
            if title is not None:
                copies.setdefault(title, []).append(
                    (entry.key, entry.published if entry.published is not None else when, item.id, when))
                self._copied.append((when, title))

    def _claim_again(self, group: Group, item: Item, when: float, taken: list[Related],
                     left: list[Related]) -> list[Related]:
        """``item`` started the story ``group``: the entries of ``left`` dated at most
        :data:`AGAIN_BEFORE_HOURS` before it and :data:`AGAIN_HOURS` after it (or undated) that
        are as similar as a report (:data:`RELATED_SIMILAR`) to the story together with the
        reports of the list it took, ``taken``, are taken too (added to ``taken``); returns the
        entries still left. A document's excerpt often says little, and the reports it sums up
        restate the news in words it lacks ("IBM to pause hiring for jobs that AI could do, says
        CEO Arvind Krishna" met the document alone at 0.38, the document with its reports at
        0.59; reports of Microsoft's 38 TB leak a day before the Tech Report's document); later
        reports are left as they were (follow-ups, reactions: the petition the day after a
        firing), and so are the lists of articles that join a story (a daily newsletter lists
        the day's other news). The story's centroid stays as it was: its reports are not its
        members."""
        centroid, sq = self.with_entries(group.centroid, taken)
        if sq <= 0:
            return left
        get = centroid.get
        length = math.sqrt(sq)
        still: list[Related] = []
        for entry in left:
            at = entry.published if entry.published is not None else when
            if (at - when > AGAIN_HOURS * 3_600 or when - at > AGAIN_BEFORE_HOURS * 3_600 or not group.fits(entry.published)
                    or aside(entry.title)):
                still.append(entry)
                continue
            if self._reach_of(entry, centroid, sq) < RELATED_SIMILAR:  # (most entries are not read)
                still.append(entry)
                continue
            vector = self.entry_vector(entry)
            if (sum(map(mul, vector.values(), map(get, vector, _ZEROS))) / length < RELATED_SIMILAR
                    or other_model(self.entry_title(entry), group.titles, vector)):
                still.append(entry)
                continue
            self.take(group, entry.key, item.id, entry.published)
            taken.append(entry)
        return still

    def _near_title(self, entry: Related, group: Group, item: Item) -> bool:
        """Whether ``entry``, listed by ``item`` (a member of ``group``), is a report of the
        story under its title reworded though its excerpt says little: dated from
        :data:`AGAIN_BEFORE_HOURS` before ``item`` to :data:`NEAR_HOURS` after it (undated: at
        ``item``'s time), a title that agrees with a member's at least :data:`ENTRY_TITLE_NEAR`
        and puts no other name first than they do (:func:`~reader.stories.subjects.other_subjects`), no piece about the
        news (nor the story one of them), and a cosine with the story of at least
        :data:`SAME_TITLE_COSINE`. "BuzzFeed Will Start Using AI to Create Content", whose
        excerpt is a teaser, met "BuzzFeed stock rises 150% as company plans to use AI to create
        content" at 0.16 (a title agreeing 77)."""
        when = item.published
        if when is None or group.aside:
            return False
        at = entry.published if entry.published is not None else when
        if at - when > NEAR_HOURS * 3_600 or when - at > AGAIN_BEFORE_HOURS * 3_600:
            return False
        if not self._titles_agree(entry, group, ENTRY_TITLE_NEAR):
            return False
        if aside(entry.title) or self._entry_cosine(entry, group) < SAME_TITLE_COSINE:
            return False
        return not other_subjects(self.entry_title(entry), self.entry_vector(entry), group.titles, group.centroid)

    def _titles_agree(self, entry: Related, group: Group, agree: float = ENTRY_TITLE) -> bool:
        """Whether the title of ``entry`` agrees with a member's at least ``agree``."""
        return process.extractOne(self.entry_title(entry), group.titles, scorer=fuzz.token_set_ratio, processor=None,
                                  score_cutoff=agree) is not None

    def entry_tokens(self, entry: Related) -> set[str]:
        """The lower-cased words of a related entry of the article counted last (one regular
        expression, read once however many times it is asked for; do not change the set)."""
        found = self._entry_tokens.get(entry)
        if found is None:  # (no word spans the title's end: the same words as title and excerpt read together)
            found = self._entry_tokens[entry] = self.entry_title_words(entry) | word_set(entry.excerpt.lower())
        return found

    def entry_title_words(self, entry: Related) -> set[str]:
        """The lower-cased words of the title of a related entry of the article counted last
        (read once; do not change the set)."""
        found = self._entry_titles.get(entry)
        if found is None:
            found = self._entry_titles[entry] = word_set(entry.title.lower())
        return found

    def entry_title(self, entry: Related) -> str:
        """The title of a related entry of the article counted last, normalised (rapidfuzz's
        default_process; worked out once)."""
        found = self._entry_normal.get(entry)
        if found is None:
            found = self._entry_normal[entry] = default_process(entry.title)
        return found

    def entry_headline(self, entry: Related) -> str | None:
        """The :func:`~reader.stories.titles.is_headline` of a related entry of the article counted last (worked out once)."""
        if entry in self._entry_headlines:
            return self._entry_headlines[entry]
        title = self.entry_title(entry)
        found = self._entry_headlines[entry] = title if is_headline(title) else None
        return found

    def _entry_cosine(self, entry: Related, group: Group) -> float:
        return self._cosine(self.entry_vector(entry), group)

    def entry_vector(self, entry: Related) -> dict[str, float]:
        """The unit vector of a related entry of the article counted last, weighted by rarity
        among the articles so far (read once however many times it is asked for, until the
        next article is counted; do not change it)."""
        found = self._entry_vectors.get(entry)
        if found is None:
            found = self._entry_vectors[entry] = self.weights.vector(read_words(entry.title, entry.excerpt))
        return found

    def _reach(self, entry: Related, group: Group) -> float:
        """The most the cosine of ``entry`` with the story can be, from its words alone (one
        regular expression): its vector is a unit vector on some of these words and names, so
        its cosine is at most the length of the centroid on them over the centroid's length
        (Cauchy–Schwarz; a little more, for rounding). Most entries are left out by this."""
        return self._reach_of(entry, group.centroid, group.sq)

    def _reach_of(self, entry: Related, centroid: dict[str, float], sq: float) -> float:
        """:meth:`_reach` against ``centroid``, whose squared length is ``sq``."""
        get = centroid.get
        reach = 0.0
        for token in self.entry_tokens(entry):
            word, name = get(token), get("@" + token)
            if word is not None:
                reach += word * word
            if name is not None:
                reach += name * name
        return math.sqrt(reach * (1.0 + 1e-9) / sq) if sq > 0 else 0.0

    def with_entries(self, vector: dict[str, float], entries: Iterable[Related]) -> tuple[dict[str, float], float]:
        """A copy of ``vector`` with the unit vectors of ``entries`` (related entries of the
        article counted last) added, and its squared length: a story and the reports of one
        list it took, together."""
        together = dict(vector)
        get = together.get
        for entry in entries:
            for key, weight in self.entry_vector(entry).items():
                together[key] = get(key, 0.0) + weight
        weights = list(together.values())
        return together, sum(map(mul, weights, weights))

    # ----------------------------------------------------------------- undated articles

    def place_undated(self, undated: Iterable[Item]) -> tuple[dict[str, str], dict[str, str]]:
        """Where the undated articles go (they come last in the order, so this is worked out
        again after every change): into the dated story they are most similar to, or alone
        (without a time, nothing bounds a story of undated articles). The dated stories'
        centroids stay as they are; and why."""
        extra: dict[str, int] = {}
        story_of: dict[str, str] = {}
        evidence: dict[str, str] = {}
        undated = sorted(undated, key=lambda i: i.id)
        known = tuple([(item.id, item.words) for item in undated])
        if self._undated is not None and self._undated[0] == known:
            _, counts, terms = self._undated  # (the same undated articles as last time: an append)
        else:
            counts = {"": len(undated)}  # words of the undated articles ("": how many)
            for item in undated:
                for word in item.words.words | item.words.names | item.words.openers:
                    counts[word] = counts.get(word, 0) + 1
            # (every term each may have in its vector: its words, and its names and sentence openers as names)
            terms = [frozenset([*item.words.words, *["@" + name for name in item.words.names | item.words.openers]])
                     for item in undated]
            self._undated = (known, counts, terms)
            self._undated_centroids = {}  # (kept for the terms each had: others now)
        groups = self.groups.__getitem__
        held = self._all.__contains__
        # (the stories each found by its terms last time, kept when none of those terms' stories
        # changed since: what finding them costs most of, again after every append)
        changed, before = self._all_changed, self._undated_found
        found_now: dict[str, tuple[list[str], list[str]]] = {}
        # (and a packed story's weights on the terms each may have: the dict of a whole centroid,
        # made again for every candidate after every append, was a third of the time)
        centroids_before, centroids_now = self._undated_centroids, {}
        # (and the words of a packed story's titles, which never change)
        words_before, words_now = self._closed_words, {}

        def unpack(group: Group, article: str, its_terms: frozenset[str]) -> tuple[dict[str, float], frozenset[str]]:
            key = (article, group.id)
            found = centroids_before.get(key)
            if found is None:
                assert group.packed is not None
                keys, weights = group.packed
                found = {k: w for k, w in zip(keys, weights, strict=True) if k in its_terms}
            centroids_now[key] = found
            theirs = words_before.get(group.id)
            if theirs is None:
                theirs = words_of_titles(group.titles)
            words_now[group.id] = theirs
            return found, theirs

        for item, its_terms in zip(undated, terms, strict=True):
            if sum(map(held, its_terms)) < SHARED_MIN:
                # (no story holds two of its terms, of which its candidates' are some: it stays
                # alone, and its words are not weighed; most plain texts of an archive of news)
                story_of[item.id] = item.id
                continue
            vector, names, names_sq = self.weights.weigh(item.words, counts, ever=True)
            probe = self._terms_of(vector, ever=True)[1]
            last = before.get(item.id)
            if last is not None and changed is not None and last[0] == probe and changed.isdisjoint(probe):
                candidates = last[1]
            else:
                candidates = self._candidates(probe, self._all, UNDATED_CANDIDATES)
            found_now[item.id] = (probe, candidates)
            found = self._best(vector, item, candidates, groups, self._listed(item), names, names_sq,
                               unpack=partial(unpack, article=item.id, its_terms=its_terms))
            if found is None or found[0].versions + extra.get(found[0].id, 0) >= MAX_VERSIONS:
                story_of[item.id] = item.id
                continue
            group, match, reason = found
            evidence[item.id] = self._why(vector, group, match, reason)
            extra[group.id] = extra.get(group.id, 0) + 1
            story_of[item.id] = group.id
        self._undated_found, self._all_changed, self._undated_centroids = found_now, set(), centroids_now
        self._closed_words = words_now
        return story_of, evidence


def later(when: float | None, dates: float, dated: int, per_day: float = SIMILAR_PER_DAY) -> float:
    """How much more cosine than its bar something dated ``when`` needs to join a group whose
    ``dated`` members' dates sum to ``dates``: ``per_day`` for each day beyond
    :data:`SAME_TIME_HOURS` from their mean date (none without a date)."""
    if when is None or not dated:
        return 0.0
    days = abs(when - dates / dated) / _DAY - SAME_TIME_HOURS / 24
    return per_day * days if days > 0.0 else 0.0
