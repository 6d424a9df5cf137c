"""How much each word of an article weighs: its rarity among the recent articles counted so far. No Qt, no SQL.

Both groupings weigh words the same way: the single pass (:mod:`reader.stories.matching`)
counts each dated article once it is placed, so an article's weights are those of the
articles before it; the linkage (:mod:`reader.stories.linkage`) is given the vectors.

* A term's weight is ``log(n + 1) + 1 - log(df + 1)``: ``n`` the articles counted, ``df`` those
  that had the term. "Market", "report" or a big company's name weigh little once the news
  has many of them.
* Rarity is the news's of the last :data:`RECENT_DAYS` days: a dated article counts from its
  time until an article dated more than that later is counted. A saga's words that were
  everywhere months ago ("EU", "AI Act", "landmark" around the EU's deal of December) are
  rare again when its next event comes (the Parliament's vote in March), and weigh as the
  words of any news; what is everywhere now weighs little.
* A name (capitalised inside a sentence, or written specially: AI, YouTube) weighs
  :data:`NAME_WEIGHT` times more, under its own key ("@" and the name): the same name
  written alike in every language. A capitalised sentence opener is a name only when an
  article counted so far had it capitalised inside a sentence (:meth:`Weights.capitalise`).
* An outlet's own boilerplate weighs little: once an article's outlet has :data:`OUTLET_MIN`
  articles counted, each of its terms weighs ``1 - share`` times as much, the share of that
  outlet's last :data:`OUTLET_LAST` articles that had it (left out when all of them did): a
  fire brigade's "Einsatzort … Alarmierung …" or a vendor's "About Acme" paragraph is rare in
  the library but in most of that outlet's articles.

A vector is a unit vector (a dict of key to weight); its names' keys come after its words.
"""

from __future__ import annotations

import math
from collections import Counter, deque
from collections.abc import Callable, Iterable
from itertools import islice, repeat
from operator import mul, sub
from sys import intern

from reader.stories.text import NOT_SPREAD, Words

#: A name counts this many times a word.
NAME_WEIGHT = 2.0

#: A dated article counts in the words' rarity for this many days from its time: rarity among
#: the news of a quarter of a year. Chosen on the gold set's tuning parts: in one library of
#: every set, 60 days or fewer lost recall, 90 to 240 days gained precision and recall alike
#: over counting every article ever (as before); a library of one set (a few weeks) changed
#: by a few pairs.
RECENT_DAYS = 90

#: An outlet's words weigh less in its article once it has this many articles counted before
#: it: its boilerplate ("About Acme: …", a fire brigade's "Einsatzort … Alarmierung …") is
#: rare in the library but in most of its own articles.
OUTLET_MIN = 3

#: The share of an outlet's articles holding a term is counted over its last this many
#: articles (in the one order): what it writes now. A list's notices written from one
#: template for a while ("<game> was newly added and is \"Broken\"") are most of its recent
#: articles but a smaller share of all it ever wrote, and a feed's lines change over years.
OUTLET_LAST = 50

NO_NAMES: frozenset[str] = frozenset()

_DAY = 86_400.0
_consume: Callable[[Iterable[object]], None] = deque[object](maxlen=0).extend  #: runs an iterator to its end


class Weights:
    """The counts words are weighed by: :meth:`count` each article in order, :meth:`vector` or
    :meth:`weigh` any words by the counts so far."""

    def __init__(self) -> None:
        #: term -> how many articles that count had it (0: only articles too old to count had it)
        self.df: dict[str, int] = {}
        self.n = 0  #: how many articles were counted (and count still: of the last RECENT_DAYS)
        #: the time and the terms of each dated article that counts still, oldest first
        self._recent: deque[tuple[float, tuple[str, ...]]] = deque()
        #: term -> how many articles that no longer count had it, and how many those are: an
        #: undated article, which has no time of its own, is weighed by every article (``ever``)
        self._gone: dict[str, int] = {}
        self._n_gone = 0
        #: outlet -> term -> how many of its last OUTLET_LAST articles had it ("": how many those are)
        self._outlets: dict[str, Counter[str]] = {}
        self._outlet_last: dict[str, deque[tuple[str, ...]]] = {}  #: outlet -> the terms of those articles
        #: seen capitalised inside a sentence (not the other languages' function words: NOT_SPREAD)
        self._capitalised: set[str] = set()
        self._keys: dict[str, str] = {}  #: name -> its key in vectors ("@" and the name, one string)
        #: log(c + 1) at index c, for every count c so far: a term's weight is a lookup in it, not
        #: a logarithm worked out again for every term of every article (the same floats)
        self._logs: list[float] = [0.0]

    def _logs_to(self, top: int) -> list[float]:
        """:attr:`_logs`, up to the count ``top`` at least."""
        logs = self._logs
        if len(logs) <= top:
            logs.extend(map(math.log, range(len(logs) + 1, top + 2)))
        return logs

    def capitalise(self, words: Words) -> None:
        """Note the names of an article's ``words``: its sentence openers and those of the
        articles weighed from now on are names when it had them capitalised inside a sentence."""
        self._capitalised.update(words.names.difference(NOT_SPREAD))

    def count(self, words: Words, outlet: str | None = None, when: float | None = None) -> None:
        """Count an article (its ``words``, and its ``outlet``'s last articles): the weights change.
        ``when``, its time (articles are counted in the order of time): the articles dated more
        than :data:`RECENT_DAYS` before it no longer count."""
        df = self.df
        recent = self._recent
        start = when - RECENT_DAYS * _DAY if when is not None else None
        if start is not None and recent and recent[0][0] < start:
            gone = self._gone
            gone_get = gone.get
            while recent and recent[0][0] < start:
                for word in recent.popleft()[1]:  # (a term whose count falls to 0 stays: one an article had)
                    df[word] -= 1
                    gone[word] = gone_get(word, 0) + 1
                self.n -= 1
                self._n_gone += 1
        self.n += 1
        get = df.get
        terms = words.words | words.names | words.openers
        for word in terms:
            df[word] = get(word, 0) + 1
        kept = tuple(terms)  # (a quarter of the set's memory)
        if when is not None:
            recent.append((when, kept))
        if outlet is not None:
            counts = self._outlets.get(outlet)
            if counts is None:
                counts = self._outlets[outlet] = Counter()
                self._outlet_last[outlet] = deque()
            last = self._outlet_last[outlet]
            if len(last) < OUTLET_LAST:
                counts[""] += 1
            else:  # (its oldest of them no longer counts: each of its terms one less, in C)
                oldest = last.popleft()
                _consume(map(counts.__setitem__, oldest, map(sub, map(counts.__getitem__, oldest), repeat(1))))
            last.append(kept)
            counts.update(kept)  # (counted in C)

    def vector(self, words: Words, extra: dict[str, int] | None = None) -> dict[str, float]:
        """The unit vector of ``words``, weighted by rarity among the articles counted (and
        the ``extra`` counts: ``""`` how many more articles, each term how many of them had it)."""
        return self.weigh(words, extra)[0]

    def weigh(self, words: Words, extra: dict[str, int] | None = None,
              outlet: str | None = None, ever: bool = False) -> tuple[dict[str, float], frozenset[str], float]:
        """:meth:`vector` (its outlet's boilerplate weighing less, see the module, when
        ``outlet`` is given and ``extra`` is not; ``ever``: by every article counted, those
        older than :data:`RECENT_DAYS` too, as an undated article is); the keys of its names;
        and the squared length of its names alone (what a grouping would otherwise find again
        by looking at every key)."""
        get: Callable[[str, int], int] = self.df.get
        n1 = self.n + 1
        if ever and self._n_gone:
            n1 += self._n_gone
            get = self._count_ever
        log = math.log
        at = self.key
        if extra:
            more = extra.get
            n1 += extra[""]
            log_n = log(n1) + 1.0
            logs = self._logs_to(n1 - 1)  # (log(c + 1) of a count c, of at most n1 - 1 articles)
            vector = {w: log_n - logs[get(w, 0) + more(w, 0)] for w in words.words}
            size = len(vector)
            for name in self.names(words):
                vector[at(name)] = NAME_WEIGHT * (log_n - logs[get(name, 0) + more(name, 0)])
        elif outlet is not None and (counts := self._outlets.get(outlet)) is not None and counts[""] >= OUTLET_MIN:
            # (its outlet's own boilerplate weighs less: times 1 - the share of its earlier articles
            # holding the term, left out when all of them did)
            log_n = log(n1) + 1.0
            logs = self._logs_to(n1 - 1)
            held = counts.get
            seen = counts[""]
            share = 1.0 / seen
            vector = {w: (log_n - logs[get(w, 0)]) * (1.0 - h * share) for w in words.words if (h := held(w, 0)) < seen}
            size = len(vector)
            for name in self.names(words):
                h = held(name, 0)
                if h < seen:
                    vector[at(name)] = NAME_WEIGHT * (log_n - logs[get(name, 0)]) * (1.0 - h * share)
        else:
            log_n = log(n1) + 1.0
            logs = self._logs_to(n1 - 1)
            vector = {w: log_n - logs[get(w, 0)] for w in words.words}
            size = len(vector)
            for name in self.names(words):
                vector[at(name)] = NAME_WEIGHT * (log_n - logs[get(name, 0)])
        weights = list(vector.values())
        norm = math.sqrt(sum(map(mul, weights, weights))) or 1.0
        unit = {k: w / norm for k, w in vector.items()}
        if len(unit) == size:
            return unit, NO_NAMES, 0.0
        # (its names come after its words: a word never starts with "@", see text.WORDS)
        names = [w / norm for w in weights[size:]]
        return unit, frozenset(islice(unit, size, None)), sum(map(mul, names, names))

    def _count_ever(self, term: str, default: int = 0) -> int:
        """How many articles counted ever had ``term`` (those that no longer count too)."""
        return self.df.get(term, default) + self._gone.get(term, 0)

    def key(self, name: str) -> str:
        """The key of a name in a vector: "@" and the name."""
        found = self._keys.get(name)
        if found is None:
            found = self._keys[name] = intern("@" + name)
        return found

    def names(self, words: Words) -> list[str]:
        """Its names: those written as names, and its sentence openers that an article counted
        so far had capitalised inside a sentence."""
        if not words.openers:
            return list(words.names)
        return [*words.names, *(words.openers & self._capitalised)]
