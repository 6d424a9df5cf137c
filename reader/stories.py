"""Stories: the articles that report the same news, grouped across outlets. No Qt.

Two articles belong to one story when one of these holds (the test is symmetric):

1. **a link** — one lists the other among its ``related`` coverage (the same page after
   :func:`reader.urls.identity_key`: scheme, ``www.``, trailing slash, AMP variants and
   tracking parameters ignored), or both carry the same normalised title (their own, or a
   related entry's); published at most :data:`LINK_DAYS` apart;
2. **near-duplicate text** — rapidfuzz's token-sort ratio of the normalised titles is at least
   :data:`TITLE_MIN`, or of the excerpts (the lead of plain text) at least :data:`TEXT_MIN`;
   published at most :data:`LINK_DAYS` apart;
3. **the same names** — at least :data:`NAMES_MIN` proper names (capitalised words: people,
   companies, places) in common, covering at least :data:`NAMES_SHARE` of the smaller set,
   of which at least two are not common in the library; published at most
   :data:`NAMES_DAYS` apart. Names carry across languages, so a translation joins its story.

Undated articles (plain text) pass every time condition. Grouping is the transitive closure
of these links. It is incremental: :func:`update` looks up only the new articles' candidates
through an index of keys (links, titles, names, title words) and merges the stories they link
to; it never regroups the library. It is deterministic: articles are taken in id order within
a batch and a story is named after its smallest member id. A key shared by more than
:func:`common_limit` articles (a name like "Google" in a big library) is too common to
propose candidates or to count as a rare name.

Membership lives in its own tables (``story_members``, ``story_keys``, ``stories``); a
trigger forgets an article's rows when the library deletes it (its story is not split).

The **Top stories** score (0–100) of a story, see :data:`SCORE_SQL`::

    40 × min(outlets, 8) / 8  +  25 × heat / 100  +  15 × quality / 100  +  20 × recency

with heat and quality the highest among its documents (missing or negative counts as 0),
outlets the distinct outlets among its documents and matching related coverage, and recency
1 for a story whose last version is the newest article in the library, falling linearly to 0
at :data:`RECENCY_DAYS` older.
"""

from __future__ import annotations

import bisect
import functools
import json
import re
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import Any

from rapidfuzz import fuzz
from rapidfuzz.utils import default_process

from reader.urls import identity_key as _identity_key

#: Related entries repeat the same links from document to document: normalise each once.
identity_key = functools.lru_cache(maxsize=65_536)(_identity_key)

# Thresholds, chosen on the real corpus (tests/data/corpus) and the seeds by scoring every
# pair of their 103 articles (see the README, "How stories are grouped"):
# - titles: same-story pairs score 85-100, the best different-story pair 65 -> 80;
# - excerpts: same-story pairs 81 (the seeds' two AP rewrites), different stories <= 72 -> 75;
# - names: same-story pairs share 5-8 names covering 0.6-1.0 of the smaller set; the closest
#   different-story pairs share 5-6 covering at most 0.45 (market reports naming the same
#   vendors) -> at least 4 names covering at least half.
TITLE_MIN = 80
#: A related-coverage link counts when the two titles also agree loosely (token-set ratio):
#: the linked corpus pairs that are one story score 65-89, those that are not 50-58.
LINK_TITLE_MIN = 62
TEXT_MIN = 75
NAMES_MIN = 4
NAMES_SHARE = 0.5
#: Most days between two versions linked by a related entry, a title or near-duplicate text.
LINK_DAYS = 14
#: Most days between two versions linked only by the names they share.
NAMES_DAYS = 21
#: Recency falls to 0 for a story whose last version is this much older than the newest article.
RECENCY_DAYS = 14
#: Documents of a story a related entry is compared with, besides the one listing it.
COVERAGE_PEERS = 8
#: Characters of plain text (the lead) that stand in for an excerpt and give names.
LEAD_CHARS = 1_500

_DAY = 86_400.0

MIGRATION = """
-- Story grouping (reader.stories): which story each article belongs to, and why.
CREATE TABLE story_members (
    article TEXT PRIMARY KEY,      -- articles.id
    story TEXT NOT NULL,           -- the smallest member id
    evidence TEXT,                 -- JSON {"with": id, "reason": text} for the link that joined it
    signature TEXT                 -- JSON: what the grouping compares (see Signature)
) WITHOUT ROWID;
CREATE INDEX story_members_story ON story_members(story);
-- Keys an article offers for finding candidates: u: own link, r: related link, t: title,
-- rt: related title, n: name, w: title word; with the article's time (-1: undated), so that
-- a lookup reads only the articles close enough in time.
CREATE TABLE story_keys (
    key TEXT NOT NULL,
    published REAL NOT NULL,
    article TEXT NOT NULL,
    PRIMARY KEY (key, published, article)
) WITHOUT ROWID;
CREATE INDEX story_keys_article ON story_keys(article);
-- One row per story: what the Top stories view ranks.
CREATE TABLE stories (
    story TEXT PRIMARY KEY,
    lead TEXT,                     -- the article shown for the story
    members INTEGER NOT NULL,      -- documents in the library
    versions INTEGER NOT NULL,     -- documents plus matching related coverage
    outlets INTEGER NOT NULL,
    first REAL,
    last REAL,
    heat INTEGER,
    quality INTEGER
) WITHOUT ROWID;
CREATE INDEX stories_lead ON stories(lead);
CREATE TRIGGER story_forget AFTER DELETE ON articles BEGIN
    DELETE FROM story_members WHERE article = old.id;
    DELETE FROM story_keys WHERE article = old.id;
    UPDATE stories SET lead = (
        SELECT m.article FROM story_members m WHERE m.story = stories.story ORDER BY m.article LIMIT 1
    ) WHERE lead = old.id;
    DELETE FROM stories WHERE lead IS NULL;
END;
"""

_NEWEST = "(SELECT max(published) FROM entries)"  # the index entries_newest: no scan
#: The Top stories score of the ``stories`` row ``s`` (see the module docstring).
SCORE_SQL = (
    "(40.0 * min(s.outlets, 8) / 8 + 25.0 * max(coalesce(s.heat, 0), 0) / 100"
    " + 15.0 * max(coalesce(s.quality, 0), 0) / 100"
    f" + 20.0 * max(0.0, 1.0 - (coalesce({_NEWEST} - s.last, {RECENCY_DAYS * _DAY})) / {RECENCY_DAYS * _DAY}))"
)
#: Condition on ``articles a``: the article leads a story of two or more versions.
TOP_SQL = "a.id IN (SELECT lead FROM stories WHERE versions >= 2)"
#: Order of the Top stories view: best score first.
TOP_ORDER = f"(SELECT {SCORE_SQL} FROM stories s WHERE s.lead = a.id) DESC, a.published DESC, a.rowid"


# --------------------------------------------------------------------------- records


@dataclass(frozen=True, slots=True)
class Version:
    """One version of a story: a document in the library or a related entry naming one."""

    title: str
    outlet: str | None  #: provider name (or domain)
    domain: str | None
    published: datetime | None
    url: str | None
    article_id: str | None  #: set when the version is a document in the library
    excerpt: str | None = None

    @property
    def in_library(self) -> bool:
        return self.article_id is not None


@dataclass(frozen=True, slots=True)
class Signature:
    """What the grouping compares, for one article or related entry."""

    id: str | None
    title: str  #: normalised (rapidfuzz's default_process)
    text: str  #: normalised excerpt or lead
    published: float | None
    url_keys: frozenset[str]
    related_keys: frozenset[str]
    related_titles: frozenset[str]
    names: frozenset[str]
    words: frozenset[str]

    def keys(self) -> set[str]:
        """The keys this article is found under."""
        keys = {"u:" + k for k in self.url_keys} | {"r:" + k for k in self.related_keys}
        keys |= {"rt:" + t for t in self.related_titles}
        keys |= {"n:" + n for n in self.names} | {"w:" + w for w in self.words}
        if self.title:
            keys.add("t:" + self.title)
        return keys

    def exact_lookups(self) -> set[str]:
        """Keys of other articles that would link to this one exactly."""
        keys = {"r:" + k for k in self.url_keys} | {"u:" + k for k in self.related_keys}
        keys |= {"t:" + t for t in self.related_titles}
        if self.title:
            keys |= {"t:" + self.title, "rt:" + self.title}
        return keys

    def fuzzy_lookups(self) -> set[str]:
        return {"n:" + n for n in self.names} | {"w:" + w for w in self.words}


def _dump(sig: Signature) -> str:
    return json.dumps(
        [sig.title, sig.text, sig.published, sorted(sig.url_keys), sorted(sig.related_keys),
         sorted(sig.related_titles), sorted(sig.names)],
        ensure_ascii=False,
    )


def _load(article_id: str, data: str) -> Signature:
    title, text, published, urls, related, related_titles, found = json.loads(data)
    return Signature(article_id, title, text, published, frozenset(urls), frozenset(related),
                     frozenset(related_titles), frozenset(found), frozenset())


def _signatures(db: sqlite3.Connection, ids: Iterable[str]) -> dict[str, Signature]:
    """The stored signatures of ``ids``."""
    return {
        row[0]: _load(row[0], row[1])
        for row in db.execute(
            "SELECT article, signature FROM story_members WHERE article IN (SELECT value FROM json_each(?)) "
            "AND signature IS NOT NULL",
            (json.dumps(sorted(set(ids))),),
        )
    }


def signature(
    *,
    id: str | None,
    title: str,
    excerpt: str | None,
    body: str = "",
    published: float | None = None,
    urls: Iterable[str | None] = (),
    related: Sequence[dict[str, Any]] = (),
    with_names: bool = True,
) -> Signature:
    """The signature of an article (or of a related entry: no ``related``, no ``body``)."""
    lead = excerpt or body[:LEAD_CHARS]
    rel_keys = frozenset(identity_key(r["url"]) for r in related if r.get("url"))
    rel_titles = frozenset(t for t in (default_process(r.get("title") or "") for r in related) if t)
    norm_title = default_process(title)
    return Signature(
        id=id,
        title=norm_title,
        text=default_process(lead or ""),
        published=published,
        url_keys=frozenset(identity_key(u) for u in urls if u),
        related_keys=rel_keys,
        related_titles=rel_titles,
        names=names(title, " ".join(p for p in (excerpt, body[:LEAD_CHARS]) if p)) if with_names else frozenset(),
        words=frozenset(w for w in norm_title.split() if len(w) >= 4 and not w.isdigit()),
    )


#: Between two words: the end of a sentence (punctuation then space) or a line break.
_SENTENCE_BREAK = re.compile(r"[.!?:;…]\s|\n")
_TOKEN = re.compile(r"[^\W\d_][\w'’.&-]*", re.UNICODE)
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")


def _name_of(token: str) -> str | None:
    token = _POSSESSIVE.sub("", token.rstrip(".-&'’")).split("-")[0]
    return token.lower() if len(token) >= 2 else None


def _is_special(token: str) -> bool:
    """All capitals (AI, FBI) or a capital inside (YouTube, LinkedIn, McDonald)."""
    letters = [c for c in token if c.isalpha()]
    return len(letters) >= 2 and (all(c.isupper() for c in letters) or any(c.isupper() for c in letters[1:]))


#: Words that open English sentences with a capital and are no names (five letters or more;
#: shorter sentence openers never count), and day and month names, which are never names here.
_NOT_NAMES = frozenset(
    """
    about above according across after again against ahead along already also although among
    another around based because before being below beside besides between beyond both could
    despite during earlier either every finally first following further furthermore given having
    however indeed instead itself later meanwhile moreover never nothing other others otherwise
    overall perhaps previously rather recently since still their there these third those though
    three through today under unless until using where whether which while within without would
    yesterday monday tuesday wednesday thursday friday saturday sunday
    january february march april may june july august september october november december
    """.split()
)


def names(title: str, text: str) -> frozenset[str]:
    """Proper names in ``title`` and ``text``: capitalised words, lower-cased.

    A sentence's first word counts only when it is written specially (``AI``, ``YouTube``) or
    is at least five letters long and never written in lower case in the text (``Clearview``
    yes, ``While`` or ``The`` no). A title in headline case (most words capitalised) gives only
    its specially written words.
    """
    text_tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]
    lower_words = {t for _, _, t in text_tokens if t.islower()}
    found: set[str] = set()
    title_words = _TOKEN.findall(title)
    long_words = [w for w in title_words if len(w) >= 4]
    headline = len(long_words) > 2 and sum(w[0].isupper() for w in long_words) >= 0.6 * len(long_words)
    if headline:
        found.update(n for n in (_name_of(w) for w in title_words if _is_special(w)) if n and n not in _NOT_NAMES)
        sources = [(text, text_tokens)]
    else:
        sources = [(title, [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(title)]), (text, text_tokens)]
    for source, tokens in sources:
        previous_end = -1
        for start, end, token in tokens:
            first = previous_end < 0 or _SENTENCE_BREAK.search(source, previous_end - 1, start) is not None
            previous_end = end
            if not token[0].isupper():
                continue
            if first and not _is_special(token):
                bare = token.rstrip(".,")
                if len(bare) < 5 or bare.lower() in lower_words:
                    continue
            name = _name_of(token)
            if name and name not in _NOT_NAMES:
                found.add(name)
    return frozenset(found)


def evidence(a: Signature, b: Signature, is_common: Callable[[str], bool] = lambda name: False) -> str | None:
    """Why ``a`` and ``b`` report the same story, or None. Symmetric in ``a`` and ``b``."""
    days = 0.0 if a.published is None or b.published is None else abs(a.published - b.published) / _DAY
    if days <= LINK_DAYS:
        if a.title and a.title == b.title:
            return "the same title"
        if a.title and b.title and fuzz.token_set_ratio(a.title, b.title) >= LINK_TITLE_MIN:
            if a.url_keys & b.related_keys or b.url_keys & a.related_keys:
                return "lists the other as related coverage"
            if a.title in b.related_titles or b.title in a.related_titles:
                return "lists the other's title as related coverage"
        if a.title and b.title:
            score = fuzz.token_sort_ratio(a.title, b.title)
            if score >= TITLE_MIN:
                return f"similar titles ({score:.0f}%)"
        if a.text and b.text:
            score = fuzz.token_sort_ratio(a.text, b.text)
            if score >= TEXT_MIN:
                return f"similar excerpts ({score:.0f}%)"
    if days <= NAMES_DAYS and a.names and b.names:
        shared = a.names & b.names
        if len(shared) >= NAMES_MIN and len(shared) >= NAMES_SHARE * min(len(a.names), len(b.names)):
            rare = sorted(n for n in shared if not is_common(n))
            if len(rare) >= 2:
                return "the same names: " + ", ".join(sorted(shared)[:8])
    return None


# --------------------------------------------------------------------------- storage

_ARTICLE_SQL = (
    "SELECT id, kind, title, excerpt, substr(body, 1, {lead}), published, url, amp_url, provider, domain, "
    "topics, quality, heat, json_extract(data, '$.related') FROM articles WHERE id IN (SELECT value FROM json_each(?))"
).format(lead=LEAD_CHARS)


@dataclass(frozen=True, slots=True)
class _Row:
    id: str
    kind: str
    title: str
    excerpt: str | None
    lead: str
    published: float | None
    url: str | None
    amp_url: str | None
    provider: str | None
    domain: str | None
    topics: tuple[str, ...]
    quality: int | None
    heat: int | None
    related: tuple[dict[str, Any], ...]

    def signature(self) -> Signature:
        return signature(
            id=self.id,
            title=self.title,
            excerpt=self.excerpt,
            body=self.lead,
            published=self.published,
            urls=(self.url, self.amp_url),
            related=self.related,
        )

    @property
    def outlet(self) -> str | None:
        return (self.domain or self.provider or "").lower() or None


def _rows(db: sqlite3.Connection, ids: Iterable[str]) -> dict[str, _Row]:
    out = {}
    for row in db.execute(_ARTICLE_SQL, (json.dumps(sorted(set(ids))),)):
        related = tuple(r for r in json.loads(row[13] or "[]") if isinstance(r, dict) and r.get("title"))
        topics = tuple(t for t in (row[10] or "").split("\n") if t)
        out[row[0]] = _Row(row[0], row[1], row[2], row[3], row[4] or "", row[5], row[6], row[7], row[8], row[9], topics, row[11], row[12], related)
    return out


#: Smallest number of articles under one key that makes the key too common.
COMMON_MIN = 50
#: ... or this share of the library, when larger.
COMMON_SHARE = 0.01


def common_limit(articles: int) -> int:
    """More articles than this under one key make it too common to count."""
    return max(COMMON_MIN, int(articles * COMMON_SHARE))


def ungrouped(db: sqlite3.Connection, limit: int = 500) -> list[str]:
    """Up to ``limit`` articles not grouped yet (say, from a library made before stories)."""
    return [
        r[0]
        for r in db.execute(
            "SELECT a.id FROM articles a WHERE NOT EXISTS (SELECT 1 FROM story_members m WHERE m.article = a.id) "
            "ORDER BY a.id LIMIT ?",
            (limit,),
        )
    ]


def update(db: sqlite3.Connection, ids: Iterable[str]) -> set[str]:
    """Group the articles ``ids`` (new or changed) into stories; returns the stories touched.

    Runs inside the caller's transaction. Only the given articles are looked at, with the
    candidates their keys find.
    """
    rows = _rows(db, ids)
    if not rows:
        return set()
    total = int(db.execute("SELECT count(*) FROM articles").fetchone()[0])
    limit = common_limit(total)
    df_cache: dict[str, int] = {}

    def df(key: str) -> int:
        if key not in df_cache:
            df_cache[key] = int(db.execute(
                "SELECT count(*) FROM (SELECT 1 FROM story_keys WHERE key = ? LIMIT ?)", (key, limit + 1)
            ).fetchone()[0])
        return df_cache[key]

    def is_common(name: str) -> bool:
        return df("n:" + name) > limit

    touched: set[str] = set()
    db.executemany("DELETE FROM story_keys WHERE article = ?", [(i,) for i in rows])
    for article_id in sorted(rows):
        row = rows[article_id]
        sig = row.signature()
        exact = sig.exact_lookups()
        fuzzy = {k for k in sig.fuzzy_lookups() if df(k) <= limit}
        hits: dict[str, int] = {}
        strong: set[str] = set()
        lookups = sorted(exact | fuzzy)
        # Only articles close enough in time can link (undated ones always can).
        low, high = (-1e18, 1e18) if sig.published is None else (sig.published - NAMES_DAYS * _DAY, sig.published + NAMES_DAYS * _DAY)
        sql = "SELECT article, key FROM story_keys WHERE key IN (SELECT value FROM json_each(?)) AND published BETWEEN ? AND ?"
        params: list[object] = [json.dumps(lookups), low, high]
        if sig.published is not None:
            sql += " UNION ALL SELECT article, key FROM story_keys WHERE key IN (SELECT value FROM json_each(?)) AND published = -1"
            params.append(params[0])
        for other, key in db.execute(sql, params):
            if other == article_id:
                continue
            if key in exact:
                strong.add(other)
            else:
                hits[other] = hits.get(other, 0) + 1
        candidates = sorted(strong | {o for o, n in hits.items() if n >= 2})
        links: list[tuple[str, str]] = []
        if candidates:
            others = _signatures(db, candidates)
            for other_id in candidates:
                other_sig = others.get(other_id)
                if other_sig is None:
                    continue
                if other_sig.published is None and sig.published is not None:
                    # An undated document is as old as the story it joined, for the time limits.
                    span = _span(db, other_id)
                    if span is not None:
                        other_sig = replace(other_sig, published=min(max(sig.published, span[0]), span[1]))
                reason = evidence(sig, other_sig, is_common)
                if reason:
                    links.append((other_id, reason))
        if sig.published is None and links:
            # An undated document (plain text) joins one story, the one it links to most, so it
            # cannot bridge stories that lie months apart.
            by_story: dict[str, list[tuple[str, str]]] = {}
            for link in links:
                by_story.setdefault(story_of(db, link[0]) or link[0], []).append(link)
            links = min(by_story.items(), key=lambda item: (-len(item[1]), item[0]))[1]
        touched |= _join(db, article_id, links)
        db.execute("UPDATE story_members SET signature = ? WHERE article = ?", (_dump(sig), article_id))
        keys = sorted(sig.keys())
        stamp = -1.0 if sig.published is None else sig.published
        db.executemany(
            "INSERT OR IGNORE INTO story_keys(key, published, article) VALUES (?, ?, ?)", [(k, stamp, article_id) for k in keys]
        )
        for key in keys:
            if key in df_cache:
                df_cache[key] += 1
    for story in sorted(touched):
        _refresh(db, story)
    return touched


def _span(db: sqlite3.Connection, article_id: str) -> tuple[float, float] | None:
    """First and last time of the story of ``article_id``, when it has dated versions."""
    found = db.execute(
        "SELECT s.first, s.last FROM story_members m JOIN stories s ON s.story = m.story WHERE m.article = ?",
        (article_id,),
    ).fetchone()
    return (found[0], found[1]) if found and found[0] is not None else None


def _join(db: sqlite3.Connection, article_id: str, links: list[tuple[str, str]]) -> set[str]:
    """Put ``article_id`` in one story with every article it links to (merging stories)."""
    stories = {article_id}
    current = db.execute("SELECT story FROM story_members WHERE article = ?", (article_id,)).fetchone()
    if current:
        stories.add(current[0])
    for other, _reason in links:
        found = db.execute("SELECT story FROM story_members WHERE article = ?", (other,)).fetchone()
        stories.add(found[0] if found else other)
        if not found:  # pragma: no cover - every stored article has a membership row
            db.execute("INSERT INTO story_members(article, story) VALUES (?, ?)", (other, other))
    story = min(stories)
    merged = sorted(stories - {story})
    if merged:
        db.execute(
            "UPDATE story_members SET story = ? WHERE story IN (SELECT value FROM json_each(?))",
            (story, json.dumps(merged)),
        )
        db.execute("DELETE FROM stories WHERE story IN (SELECT value FROM json_each(?))", (json.dumps(merged),))
    if links:
        why = json.dumps({"with": links[0][0], "reason": links[0][1]})
        db.execute(
            "INSERT INTO story_members(article, story, evidence) VALUES (?, ?, ?) "
            "ON CONFLICT(article) DO UPDATE SET story = excluded.story, evidence = excluded.evidence",
            (article_id, story, why),
        )
    else:
        db.execute(
            "INSERT INTO story_members(article, story) VALUES (?, ?) ON CONFLICT(article) DO UPDATE SET story = excluded.story",
            (article_id, story),
        )
    return {story}


def _refresh(db: sqlite3.Connection, story: str) -> None:
    """Recompute the ``stories`` row of ``story`` from its members."""
    ids = [r[0] for r in db.execute("SELECT article FROM story_members WHERE story = ?", (story,))]
    rows = _rows(db, ids)
    if not rows:
        db.execute("DELETE FROM stories WHERE story = ?", (story,))
        return
    versions = _versions(rows, _signatures(db, rows))
    outlets = {(v.domain or v.outlet or "").lower() for v in versions} - {""}
    times = [v.published.timestamp() for v in versions if v.published]
    heats = [r.heat for r in rows.values() if r.heat is not None]
    qualities = [r.quality for r in rows.values() if r.quality is not None]
    lead = min(rows.values(), key=lambda r: (r.kind != "news", -(r.quality or 0), r.published or float("inf"), r.id))
    db.execute(
        "INSERT OR REPLACE INTO stories(story, lead, members, versions, outlets, first, last, heat, quality) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (story, lead.id, len(rows), len(versions), len(outlets), min(times, default=None), max(times, default=None),
         max(heats, default=None), max(qualities, default=None)),
    )


def _when(stamp: float | None) -> datetime | None:
    return datetime.fromtimestamp(stamp, timezone.utc) if stamp is not None else None


def _versions(rows: dict[str, _Row], signatures: dict[str, Signature]) -> list[Version]:
    """Every version of a story whose documents are ``rows``: the documents, then the related
    entries of any of them that are coverage of the story themselves (by :func:`evidence`
    against the document listing them or one of the :data:`COVERAGE_PEERS` documents of the
    story closest in time), each once; ordered by time."""
    members = {r.id: signatures.get(r.id) or r.signature() for r in rows.values()}
    timeline = sorted((sig.published or 0.0, key) for key, sig in members.items())
    seen_urls = set().union(*(s.url_keys for s in members.values()))
    seen_titles = {s.title for s in members.values()}
    out = [
        Version(r.title, r.provider or r.domain, r.domain, _when(r.published), r.url, r.id, r.excerpt)
        for r in rows.values()
    ]
    for row in sorted(rows.values(), key=lambda r: r.id):
        for entry in row.related:
            url = entry.get("url")
            key = identity_key(url) if url else None
            entry_sig = signature(id=None, title=entry["title"], excerpt=entry.get("excerpt"), published=entry.get("published"), urls=(url,), with_names=False)
            if (key and key in seen_urls) or entry_sig.title in seen_titles:
                continue
            # The document listing it, then the documents closest in time (at most
            # COVERAGE_PEERS); names last: finding them costs more than the rest together.
            at = bisect.bisect_left(timeline, (entry_sig.published or 0.0, ""))
            window = timeline[max(0, at - COVERAGE_PEERS // 2) : at + COVERAGE_PEERS // 2 + 1]
            others = [members[row.id], *(members[key] for _, key in window if key != row.id)]
            if not any(evidence(entry_sig, sig) for sig in others):
                entry_sig = replace(entry_sig, names=names(entry["title"], entry.get("excerpt") or ""))
                if not any(evidence(entry_sig, sig) for sig in others):
                    continue
            if key:
                seen_urls.add(key)
            seen_titles.add(entry_sig.title)
            provider = entry.get("provider") or {}
            domain = (provider.get("domain") or "").lower() or None
            out.append(Version(entry["title"], provider.get("name") or domain, domain, _when(entry.get("published")), url, None, entry.get("excerpt")))
    return sorted(out, key=lambda v: (v.published is None, v.published or datetime.min.replace(tzinfo=timezone.utc), v.title))


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True, slots=True)
class Story:
    """A story as shown: its versions in time order and its place in Top stories."""

    id: str
    versions: tuple[Version, ...]
    outlets: int
    score: float
    heat: int | None
    quality: int | None
    recency: float
    topics: tuple[str, ...]  #: every topic of its documents

    @property
    def members(self) -> tuple[str, ...]:
        return tuple(v.article_id for v in self.versions if v.article_id)

    @property
    def first(self) -> datetime | None:
        return next((v.published for v in self.versions if v.published), None)

    @property
    def last(self) -> datetime | None:
        return max((v.published for v in self.versions if v.published), default=None)


@dataclass(frozen=True, slots=True)
class Ranking:
    """Why an article's story ranks where it does in Top stories."""

    rank: int | None  #: 1-based place in Top stories; None when not listed there
    of: int  #: how many stories Top stories lists
    score: float
    parts: tuple[tuple[str, str, float], ...]  #: (component, value shown, points)


def story_of(db: sqlite3.Connection, article_id: str) -> str | None:
    found = db.execute("SELECT story FROM story_members WHERE article = ?", (article_id,)).fetchone()
    return str(found[0]) if found else None


def members(db: sqlite3.Connection, article_id: str) -> list[str]:
    """The ids of every document in the story of ``article_id`` (itself at least)."""
    story = story_of(db, article_id)
    if story is None:
        return [article_id]
    return [r[0] for r in db.execute("SELECT article FROM story_members WHERE story = ? ORDER BY article", (story,))]


def load(db: sqlite3.Connection, story: str) -> Story | None:
    """The story named ``story``, with every version."""
    ids = [r[0] for r in db.execute("SELECT article FROM story_members WHERE story = ?", (story,))]
    rows = _rows(db, ids)
    found = db.execute(
        f"SELECT s.outlets, s.heat, s.quality, {SCORE_SQL}, "
        f"max(0.0, 1.0 - (coalesce({_NEWEST} - s.last, {RECENCY_DAYS * _DAY})) / {RECENCY_DAYS * _DAY}) FROM stories s WHERE s.story = ?",
        (story,),
    ).fetchone()
    if not rows or found is None:
        return None
    topics = tuple(dict.fromkeys(t for r in sorted(rows.values(), key=lambda r: r.id) for t in r.topics))
    return Story(story, tuple(_versions(rows, _signatures(db, rows))), int(found[0]), float(found[3]), found[1], found[2], float(found[4]), topics)


def size(db: sqlite3.Connection, article_id: str) -> int:
    """How many documents the story of ``article_id`` has (1 when it is in none): what
    loading its :func:`context` costs grows with this."""
    found = db.execute(
        "SELECT s.members FROM story_members m JOIN stories s ON s.story = m.story WHERE m.article = ?", (article_id,)
    ).fetchone()
    return int(found[0]) if found else 1


def story_for(db: sqlite3.Connection, article_id: str) -> Story | None:
    story = story_of(db, article_id)
    return load(db, story) if story else None


def inferred_topics(db: sqlite3.Connection, article_id: str) -> tuple[str, ...]:
    """Topics a plain-text document takes from the story it joined (none for other kinds,
    or when it has topics of its own)."""
    row = db.execute("SELECT kind, topics FROM articles WHERE id = ?", (article_id,)).fetchone()
    if row is None or row[0] != "text" or row[1]:
        return ()
    story = story_of(db, article_id)
    if story is None:
        return ()
    topics: dict[str, None] = {}
    for (value,) in db.execute(
        "SELECT a.topics FROM story_members m JOIN articles a ON a.id = m.article WHERE m.story = ? ORDER BY a.id", (story,)
    ):
        topics.update(dict.fromkeys(t for t in (value or "").split("\n") if t))
    return tuple(topics)


def evidence_of(db: sqlite3.Connection, article_id: str) -> tuple[str, str] | None:
    """(title of the article it linked to, reason) for the link that put it in its story."""
    found = db.execute("SELECT evidence FROM story_members WHERE article = ?", (article_id,)).fetchone()
    if not found or not found[0]:
        return None
    data = json.loads(found[0])
    title = db.execute("SELECT title FROM articles WHERE id = ?", (data["with"],)).fetchone()
    return (title[0] if title else data["with"], data["reason"])


def top_story_ids(db: sqlite3.Connection) -> list[str]:
    """Stories of two or more versions, best score first (the Top stories order)."""
    return [
        r[0]
        for r in db.execute(
            f"SELECT s.story FROM stories s JOIN articles a ON a.id = s.lead WHERE s.versions >= 2 "
            f"ORDER BY {SCORE_SQL} DESC, a.published DESC, a.rowid"
        )
    ]


def ranking(db: sqlite3.Connection, article_id: str, story: Story | None = None) -> Ranking | None:
    """The score of the story of ``article_id``, its parts, and its place in Top stories."""
    story = story or story_for(db, article_id)
    if story is None:
        return None
    listed = db.execute(
        "SELECT count(*), total(s.story = ?) FROM stories s WHERE s.versions >= 2", (story.id,)
    ).fetchone()
    rank = None
    if listed[1]:
        better = db.execute(
            f"SELECT count(*) FROM stories s WHERE s.versions >= 2 AND {SCORE_SQL} > ?", (story.score,)
        ).fetchone()[0]
        rank = int(better) + 1
    heat = max(story.heat or 0, 0)
    quality = max(story.quality or 0, 0)
    parts = (
        ("outlets", str(story.outlets), 40.0 * min(story.outlets, 8) / 8),
        ("heat", str(story.heat) if story.heat is not None else "none", 25.0 * heat / 100),
        ("quality", str(story.quality) if story.quality is not None else "none", 15.0 * quality / 100),
        ("recency", f"{story.recency:.2f}", 20.0 * story.recency),
    )
    return Ranking(rank, int(listed[0]), story.score, parts)


@dataclass(frozen=True, slots=True)
class Context:
    """Everything the article pane shows about an article's story."""

    story: Story | None
    ranking: Ranking | None
    inferred_topics: tuple[str, ...]
    joined: tuple[str, str] | None  #: (title of the article it linked to, reason)


def context(db: sqlite3.Connection, article_id: str) -> Context:
    story = story_for(db, article_id)
    return Context(
        story,
        ranking(db, article_id, story) if story is not None else None,
        inferred_topics(db, article_id),
        evidence_of(db, article_id),
    )


def collapse(db: sqlite3.Connection, rowids: Sequence[int]) -> tuple[list[int], dict[int, int]]:
    """``rowids`` with every story reduced to its first row; and, for each kept row of a
    story of two or more documents, its number of outlets."""
    grouped = {
        rowid: (story, outlets)
        for rowid, story, outlets in db.execute(
            "SELECT a.rowid, m.story, coalesce(s.outlets, 1) FROM story_members m "
            "JOIN articles a ON a.id = m.article LEFT JOIN stories s ON s.story = m.story "
            "WHERE m.story IN (SELECT story FROM story_members GROUP BY story HAVING count(*) > 1)"
        )
    }
    kept: list[int] = []
    counts: dict[int, int] = {}
    seen: set[str] = set()
    for rowid in rowids:
        found = grouped.get(rowid)
        if found is None:
            kept.append(rowid)
            continue
        story, outlets = found
        if story in seen:
            continue
        seen.add(story)
        kept.append(rowid)
        counts[rowid] = max(int(outlets), 1)
    return kept, counts


def all_stories(db: sqlite3.Connection, ids: Iterable[str] | None = None) -> list[Story]:
    """Stories of two or more versions (those with a member among ``ids``, when given), in
    the Top stories order."""
    wanted = None if ids is None else set(ids)
    out = []
    for story in top_story_ids(db):
        if wanted is not None:
            if not any(r[0] in wanted for r in db.execute("SELECT article FROM story_members WHERE story = ?", (story,))):
                continue
        loaded = load(db, story)
        if loaded is not None:
            out.append(loaded)
    return out
