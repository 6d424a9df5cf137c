"""Story storage: grouping the library's articles into the story tables. No Qt.

Membership lives in its own tables (created by :mod:`reader.library.schema`):
``story_members`` (which story each article is in and why), ``story_related`` (the related
entries a story holds as versions), ``stories`` (one row per story, what Top stories ranks)
and ``story_state`` (counters that say whether the stored grouping is still the grouping of
the library's articles).

:func:`group` brings the grouping up to date. New articles that all come after everything
grouped so far (the usual case: newer news) are appended to the grouping state kept in
memory for this connection; anything else (an older article, a change, a removal, another
connection's write) groups the whole library again, which gives the same stories as any
other way of adding the same articles (see :mod:`reader.stories.matching`). Until it is,
the tables hold the last grouping, whole, without the articles that left (:func:`forget`).
"""

from __future__ import annotations

import gc
import hashlib
import json
import re
import secrets
import threading
from sys import intern
import sqlite3
from array import array
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter
from pathlib import Path
from typing import Any

from rapidfuzz.utils import default_process

from reader.stories.matching import Grouper
from reader.stories.model import Group, Item, Related
from reader.stories.related import EntryGroup, EntryStories
from reader.stories.text import LEAD_CHARS, read_words
from reader.stories.titles import aside
from reader import urls as _urls
from reader.timefmt import EARLIEST_STAMP, LATEST_STAMP
from reader.urls import _AMP_PATH, domain_host, site_of
from reader.urls import identity_key as _identity_key

_careful_key = lru_cache(maxsize=65_536)(_identity_key)
# A plain link (http or https, a host of letters, digits, dots and dashes, a path without
# query, fragment, entity, escape or space; or with only the query of an AMP page, "?amp=1"
# or "?outputType=amp", which the identity leaves out): its identity key without taking it
# apart. (Letter case spelled out, not ignored: ignoring it makes the engine fold the case
# of every character; İ ı ſ and the Kelvin sign are the other characters that matched.)
_PLAIN_LINK = re.compile(
    r"[hH][tT][tT][pP][sSſ]?://(?:[wW][wW][wW]\.)?([a-zA-Z0-9.\-İıſ\u212a]+)(/[^?#\s&%;]*)?(\?amp=1|\?outputType=amp)?"
)


def identity_key(url: str) -> str:
    """:func:`reader.urls.identity_key`, quicker for plain links (the same key)."""
    plain = _PLAIN_LINK.fullmatch(url)
    # (a link with an AMP query used to go the careful way; it still does when the quick
    # key of the link without it could differ: a host of "www." alone, which the careful
    # key leaves out, or characters other than ASCII, such as "httpſ", no scheme to it)
    if plain is None or (plain[3] and (plain[1].lower() == "www." or not url.isascii())):
        return _careful_key(url)
    path = plain[2] or ""
    if "mp" in path.lower():  # (an AMP path: /amp/ or .amp.html)
        path = _AMP_PATH.sub("", path)
    return plain[1].lower() + path.rstrip("/")


_ROWS_SQL = (
    f"SELECT id, kind, title, excerpt, substr(body, 1, {LEAD_CHARS}), published, url, amp_url, provider, domain, "
    "quality, heat, json_extract(data, '$.related'), language FROM articles"
)
#: ``_ROWS_SQL`` with empty texts: what :class:`Row` needs of an article (its words are not read).
_ROW_DATA_SQL = (
    "SELECT id, kind, '', '', '', published, url, amp_url, provider, domain, quality, heat, "
    "json_extract(data, '$.related'), language FROM articles"
)
#: json.loads' decoder without the checks around it (see :func:`_read`).
_decode_json = json.JSONDecoder().raw_decode
#: Articles read (and grouped) at a time when the whole library is grouped.
_STEP = 1_000
#: What orders the articles for grouping, and their links.
_ORDER_SQL = "SELECT rowid, id, published, url, amp_url FROM articles"
#: ``_ROWS_SQL`` of a batch of rowids, the rowid first.
_BATCH_SQL = "SELECT rowid, " + _ROWS_SQL.removeprefix("SELECT ") + " WHERE rowid IN (SELECT value FROM json_each(?))"


@dataclass(slots=True)
class Row:
    """What the stories table needs of one article."""

    id: str
    kind: str
    published: float | None
    outlet: str | None
    heat: int | None
    quality: int | None
    #: related entry key -> (outlet, published, its place in the article's related list)
    related_outlets: dict[str, tuple[str | None, float | None, int]]


#: The related entries of an article that lists none (one for all: never changed).
_NO_OUTLETS: dict[str, tuple[str | None, float | None, int]] = {}
#: The words of an article whose words are not read (:func:`_read`).
_NO_WORDS = read_words("", "")


def related_key(entry: dict[str, Any]) -> str | None:
    url = entry.get("url")
    if url:
        return identity_key(url)
    title = (entry.get("title") or "").strip().lower()
    return "title:" + title if title else None


def _outlet(provider: Any, domain: Any, url: Any = None) -> str | None:
    """The outlet of a document or of a related entry, the one rule every view counts by: its
    provider's domain, or else the host of its link, or else its provider's name (a domain
    and a host without "www.", all in lower case: one outlet written three ways is one; a
    domain written as a page's address counts by its host, :func:`~reader.urls.domain_host`);
    None when it has none of them (a plain text: see :func:`outlet_count`)."""
    found = domain_host(domain) or site_of(url) or str(provider or "").lower()
    return intern(found) or None  # (one string per outlet)


def outlet_count(outlets: set[str | None]) -> int:
    """How many outlets a story of these versions' outlets (:func:`_outlet`) has: at least
    one, however many of its versions have none known (a plain text is one outlet)."""
    return len(outlets - {None}) or 1


def _dated(stamp: Any) -> float | None:
    """A stored time as grouping takes it: None when there is none or it is no date (a
    placeholder such as Go's zero time, which an earlier Reader stored as the year 1), as
    everything shown takes it (:func:`reader.timefmt.from_timestamp`)."""
    if isinstance(stamp, (int, float)) and EARLIEST_STAMP <= stamp < LATEST_STAMP:
        return float(stamp)
    return None


def _read(row: tuple[Any, ...], words: bool = True) -> tuple[Item, Row]:
    """An article as matching sees it, and what its story's row takes from it (``words``:
    False when only the row and the article's place in the order are wanted: its words are
    not read)."""
    (article_id, kind, title, excerpt, lead, published, url, amp_url, provider, domain, quality, heat, related_json, language) = row
    published = _dated(published)
    language = intern(language) if language else None
    entries: list[Related] = []
    outlets: dict[str, tuple[str | None, float | None, int]] = {}
    if related_json:
        # (decoded by the decoder itself, without json.loads' checks around it; json.loads
        # when the text is not exactly one JSON document, such as space around it or another
        # type, for the same result or error)
        try:
            found, end = _decode_json(related_json)
        except (ValueError, TypeError):
            end = -1
        if end != len(related_json):
            found = json.loads(related_json)
        for place, entry in enumerate(found):
            if not isinstance(entry, dict) or not entry.get("title"):
                continue
            key = related_key(entry)
            if key is None or key in outlets:
                continue
            when = _dated(entry.get("published"))
            source = entry.get("provider") or {}
            outlets[key] = (_outlet(source.get("name"), source.get("domain"), entry.get("url")), when, place)
            entries.append(Related(key, str(entry["title"]), str(entry.get("excerpt") or ""), when))
    urls = frozenset(map(identity_key, filter(None, (url, amp_url))))
    outlet = _outlet(provider, domain, url or amp_url)
    info = Row(article_id, intern(kind), published, outlet, heat, quality, outlets or _NO_OUTLETS)
    if not words:
        return Item(article_id, published, _NO_WORDS, urls, tuple(entries), language=language, outlet=outlet), info
    item = Item(article_id, published, read_words(title or "", excerpt or lead or ""), urls, tuple(entries),
                default_process(title or ""), language, outlet, aside(title or ""))
    return item, info


@dataclass(slots=True)
class _Cache:
    grouper: Grouper
    generation: int
    changes: int
    rows: dict[str, Row]
    undated: dict[str, Item]
    entries: EntryStories  #: the stories of related entries alone
    late: dict[str, str] | None = None  #: where the undated articles went
    late_evidence: dict[str, str] | None = None
    #: The largest rowid of the articles grouped: while this grouping is the library's, every
    #: article with a larger one (and only such) may be new (a rowid is never given twice).
    rowid_high: int = 0


#: The grouping state of the connections that grouped last (by id), to append new articles to.
_cache: dict[int, _Cache] = {}
#: How many connections' grouping states are kept (each is some memory: ~1 kB an article).
CACHED = 2


_cache_lock = threading.Lock()


def forget_cache(db: sqlite3.Connection) -> None:
    with _cache_lock:
        _cache.pop(id(db), None)


def _state(db: sqlite3.Connection) -> tuple[int, int, int]:
    """(changes, grouped, generation): the library must be grouped again from the start while
    ``changes != grouped``, as it must when it was grouped by other rules (grouped then reads
    -1): when the rules stored are not this Reader's, or were stored with another grouping
    than the one there now (:func:`_rules_mark`)."""
    found = db.execute(f"SELECT changes, grouped, generation, ({_RULES_SQL}) FROM story_state").fetchone()
    if not found:
        return (0, 0, 0)
    return (int(found[0]), int(found[1]) if found[3] == _rules_mark(int(found[2])) else -1, int(found[2]))


#: Where the rules the library was last grouped by are kept (:func:`_rules_mark`).
_RULES_SQL = "SELECT value FROM meta WHERE key = 'story_rules'"


def _rules_mark(generation: int) -> str:
    """What the library keeps of the rules a grouping was written by: :func:`rules` with the
    generation that grouping wrote. A Reader that keeps no rules (one from before them)
    writes a grouping, or appends to one, with a new generation but leaves the rules as they
    were: they no longer go with the grouping, which is then grouped again, once."""
    return f"{rules()} {generation}"


def _write_generation(db: sqlite3.Connection, grouped: int | None = None) -> None:
    """A new generation for the grouping just written (``grouped``: the changes it took in,
    when it is the whole library's), with this Reader's rules beside it."""
    generation = secrets.randbits(62)
    if grouped is None:
        db.execute("UPDATE story_state SET generation = ?", (generation,))
    else:
        db.execute("UPDATE story_state SET grouped = ?, generation = ?", (grouped, generation))
    db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('story_rules', ?)", (_rules_mark(generation),))


#: The modules whose code decides the stories stored (see :func:`rules`): every module of Reader
#: the grouping imports, however deep (``tests/test_stories.py`` checks that none is missing).
_GROUPING_MODULES = ("stories.matching", "stories.model", "stories.related", "stories.storage", "stories.subjects",
                     "stories.text", "stories.titles", "stories.weights", "language", "timefmt", "urls")


@lru_cache(maxsize=1)
def rules() -> str:
    """The rules of this Reader's grouping: a digest of the source of the modules that decide
    what is stored (reading words, matching, stories of related entries, storing, link
    identities, languages, valid dates; not what only shows it). A library grouped by other
    rules is grouped again from the start, once, so that its stories never depend on which
    Reader grouped it."""
    digest = hashlib.sha256()
    root = Path(_urls.__file__).parent
    for name in _GROUPING_MODULES:
        path = root.joinpath(*name.split(".")).with_suffix(".py")
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


#: The ids of the articles not grouped yet, in order: one merge of two indexes in id order
#: (a few times quicker than looking each article up in ``story_members``).
_UNGROUPED_SQL = "SELECT id FROM articles EXCEPT SELECT article FROM story_members"
#: ... of those with a rowid above one: each of those few looked up (the merge reads both
#: tables whole: 22 ms at 100,000 articles, for every grouping asked for).
_UNGROUPED_AFTER_SQL = ("SELECT id FROM articles WHERE rowid > ? "
                        "AND NOT EXISTS (SELECT 1 FROM story_members WHERE article = articles.id)")


def ungrouped(db: sqlite3.Connection, limit: int = 500, after: int = 0) -> list[str]:
    """Up to ``limit`` articles not grouped yet (``after``: a rowid every article at or below
    which is known to be grouped)."""
    if after > 0:  # (in order of id, not by its index: that would read every article's)
        return [r[0] for r in db.execute(_UNGROUPED_AFTER_SQL + " ORDER BY +id LIMIT ?", (after, limit))]
    return [r[0] for r in db.execute(_UNGROUPED_SQL + " ORDER BY 1 LIMIT ?", (limit,))]


def pending(db: sqlite3.Connection) -> int:
    """How many articles wait to be grouped (all of them when the library must be grouped again)."""
    changes, grouped, _ = _state(db)
    if changes != grouped:
        return int(db.execute("SELECT count(*) FROM articles").fetchone()[0])
    return int(db.execute(f"SELECT count(*) FROM ({_UNGROUPED_SQL})").fetchone()[0])


def stories_of(db: sqlite3.Connection, ids: Iterable[str]) -> set[str]:
    """The stories the articles ``ids`` are in, or hold related entries of (as stored)."""
    wanted = json.dumps(sorted(set(ids)))
    return {
        r[0]
        for r in db.execute(
            "SELECT story FROM story_members WHERE article IN (SELECT value FROM json_each(?)) "
            "UNION SELECT story FROM story_related WHERE article IN (SELECT value FROM json_each(?))",
            (wanted, wanted),
        )
    }


#: Article id -> what the rows of its stories take from it (:func:`row_values`).
RowValues = dict[str, tuple[Any, ...]]


def row_values(db: sqlite3.Connection, ids: Iterable[str]) -> RowValues:
    """What the rows of stories take from the articles ``ids``: give it to :func:`forget`,
    asked before they change."""
    found = db.execute(_ROW_DATA_SQL + " WHERE id IN (SELECT value FROM json_each(?))", (json.dumps(sorted(set(ids))),))
    return {row[0]: row for row in found}


def forget(
    db: sqlite3.Connection, ids: Iterable[str], before: RowValues | None = None, stories: Iterable[str] = ()
) -> None:
    """The articles ``ids`` changed (``before``: their :func:`row_values` before, when known),
    and the ``stories`` lost articles that left the library (:func:`stories_of` them, asked
    before they left): the library must be grouped again (inside the caller's transaction).

    Until it is, the stored grouping stays the last one, whole: a changed article stays in
    its story, one that left is simply absent from it (the trigger ``story_forget`` took its
    membership). The rows of the stories that lost an article, or whose articles changed in
    what those rows take from them, are worked out again from what they hold now
    (:func:`_refresh`), so no reader of the tables meets a story counting, or led by, an
    article that is not there any more; the next grouping replaces them all in one step."""
    ids = sorted(set(ids))
    touched = set(stories)
    if ids:
        db.execute("UPDATE story_state SET changes = changes + 1")
        if before is not None:  # (a changed text alone changes no story's row)
            now = row_values(db, ids)
            ids = [i for i in ids if before.get(i) != now.get(i)]
        if ids:
            touched |= stories_of(db, ids)
    _refresh(db, touched)


def _refresh(db: sqlite3.Connection, touched: Iterable[str]) -> None:
    """Write the rows of the stories ``touched`` again (``stories`` and ``story_related``)
    from the members they have now and the articles as they are now, the way a grouping
    writes them: its lead, counts, times, heat and quality, and which member holds each
    related entry it claims (at the entry's place in that member's list now). A claim that
    neither the article holding it (outside the story for a copy of its headline) nor any
    member lists any more is dropped, and so is a story left without a document, or a story
    of related entries alone left with fewer than two."""
    touched = sorted(set(touched))
    if not touched:
        return
    wanted = json.dumps(touched)
    members: dict[str, list[str]] = {s: [] for s in touched}
    for article, story in db.execute(
        "SELECT article, story FROM story_members WHERE story IN (SELECT value FROM json_each(?))", (wanted,)
    ):
        members[story].append(article)
    claims: dict[str, list[tuple[str, str]]] = {s: [] for s in touched}
    for key, story, holder in db.execute(
        "SELECT key, story, article FROM story_related WHERE story IN (SELECT value FROM json_each(?)) ORDER BY key",
        (wanted,),
    ):
        claims[story].append((key, holder))
    entry_only = {  # (stories of related entries alone)
        r[0]
        for r in db.execute("SELECT story FROM stories WHERE members = 0 AND story IN (SELECT value FROM json_each(?))", (wanted,))
    }
    needed = sorted({a for m in members.values() for a in m} | {h for c in claims.values() for _, h in c})
    found = [
        _read(row, words=False)
        for row in db.execute(_ROW_DATA_SQL + " WHERE id IN (SELECT value FROM json_each(?))", (json.dumps(needed),))
    ]
    rows = {row.id: row for _, row in found}
    order = {item.id: item.order for item, _ in found}
    # The same writers as a grouping's, on the stories as they stand (the grouping state of
    # just them: their members in the order of grouping, their claims).
    grouper = Grouper()
    entries = EntryStories(grouper)
    snapshot = _Cache(grouper, 0, 0, rows, {}, entries)
    by_story: dict[str, list[str]] = {}
    kept: list[tuple[str, str]] = []
    for story in touched:
        if story in entry_only:
            keys = [key for key, holder in claims[story] if holder in rows and key in rows[holder].related_outlets]
            if len(keys) >= 2:
                entries.stories[story] = EntryGroup(story, None, None, keys=keys)
                entries.holders.update((key, holder) for key, holder in claims[story] if key in keys)
                kept.extend((key, story) for key in keys)
            continue
        present = sorted((a for a in members[story] if a in rows), key=order.__getitem__)
        if not present:
            continue
        keys = []
        for key, holder in claims[story]:
            # (the copy shown stays its holder's while that still lists it, else the first member's
            # that does; a copy of a headline a story took is held by an article outside it)
            listing = holder if holder in rows and key in rows[holder].related_outlets else next(
                (a for a in present if key in rows[a].related_outlets), None)
            if listing is not None:
                keys.append(key)
                grouper.listed_by[key] = listing
        grouper.groups[story] = Group(story, None, None, members=present, claims=keys)
        kept.extend((key, story) for key in keys)
        by_story[story] = present
    db.execute("DELETE FROM story_related WHERE story IN (SELECT value FROM json_each(?))", (wanted,))
    db.execute("DELETE FROM stories WHERE story IN (SELECT value FROM json_each(?))", (wanted,))
    _write_claims(db, snapshot, kept)
    _write_stories(db, snapshot, by_story)
    _write_entry_stories(db, snapshot, entries.stories)


Progress = Callable[[int, int], None]


def group(
    db: sqlite3.Connection,
    transaction: Callable[[], Any],
    progress: Progress | None = None,
    cancelled: Callable[[], bool] = lambda: False,
) -> int:
    """Bring the grouping up to date; returns how many articles were grouped (0: nothing to
    do, or cancelled). ``transaction()`` is a context manager holding one write
    transaction; ``progress(done, total)`` is called as articles are grouped.

    When anything fails (a write: the disk is full), the grouping state kept in memory is
    forgotten, as it may already hold what the library does not: the next grouping starts
    from the library."""
    try:
        return _group(db, transaction, progress, cancelled)
    except BaseException:
        forget_cache(db)
        raise


def _group(
    db: sqlite3.Connection, transaction: Callable[[], Any], progress: Progress | None, cancelled: Callable[[], bool]
) -> int:
    while True:
        changes, grouped_at, generation = _state(db)
        cache = _cache.get(id(db))
        if cache is not None and (cache.generation != generation or cache.changes != changes or changes != grouped_at):
            cache = None
        # (the articles not grouped yet matter only when the grouping stored is the library's:
        # else it is grouped again whole; while that is the grouping kept here, those are the
        # articles added since, whose rowids are larger than any it grouped)
        new_ids = ungrouped(db, 1 << 62, cache.rowid_high if cache is not None else 0) if changes == grouped_at else []
        if not new_ids and changes == grouped_at:
            return 0
        if cache is not None:
            done = _append(db, cache, new_ids, transaction, progress)
            if done is not None:
                return done
            continue  # not all after the rest, or someone else wrote: from the start
        result = _group_all(db, progress, cancelled)
        if result is None:
            return 0
        with transaction():
            now = _state(db)
            if now[0] != changes or now[2] != generation:
                continue  # another connection wrote meanwhile: again
            _write_all(db, result, changes)
        return len(result.rows)


def _group_all(db: sqlite3.Connection, progress: Progress | None, cancelled: Callable[[], bool]) -> _Cache | None:
    # Hundreds of thousands of small objects, none in a reference cycle: the cyclic garbage
    # collector would walk them again and again (a third of the time at 100,000 articles).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _group_all_now(db, progress, cancelled)
    finally:
        if collecting:
            gc.enable()


def _group_all_now(db: sqlite3.Connection, progress: Progress | None, cancelled: Callable[[], bool]) -> _Cache | None:
    # First only what orders the articles (and their links, which the grouping needs from the
    # start); then their texts, a batch at a time in that order, each article grouped as soon
    # as it is read: the words of the whole library are never held at once.
    keys: list[tuple[int, float, str, int]] = []
    library_urls: set[str] = set()
    for rowid, article_id, stored, url, amp_url in db.execute(_ORDER_SQL):
        published = _dated(stored)
        keys.append((0, published, article_id, rowid) if published is not None else (1, 0.0, article_id, rowid))
        library_urls.update(identity_key(u) for u in (url, amp_url) if u)
    keys.sort()  # (the order of Item.order: ids are unique)
    order = array("q", [k[3] for k in keys])
    del keys
    total = len(order)
    if progress:
        progress(0, total)
    grouper = Grouper(library_urls)
    entries = EntryStories(grouper)
    del library_urls
    info: dict[str, Row] = {}
    undated: dict[str, Item] = {}
    step = _STEP
    for start in range(0, total, step):
        batch = order[start:start + step]
        place = {rowid: i for i, rowid in enumerate(batch)}
        found = [_read(row[1:]) for row in sorted(db.execute(_BATCH_SQL, (json.dumps(batch.tolist()),)),
                                                  key=lambda r: place[r[0]])]
        for item, data in found:
            info[item.id] = data
            if item.published is None:
                undated[item.id] = item
            else:
                grouper.add(item)
                entries.add(item)
        del found  # (their texts are freed: a batch read, then grouped, is quicker than one by one)
        if cancelled():
            return None
        if progress:
            progress(start + len(batch), total)
    if progress:
        progress(total, total)
    claimed, pending = grouper.claimed, entries.pending
    # (a copy of a headline is kept under the article whose listing a story may still take,
    # which need not be the listing its entry story was decided on)
    copies = grouper.copies_listed()
    for row in info.values():  # only the related entries a story holds (or may) are needed from now on
        if row.related_outlets:
            copied = copies.get(row.id, ())
            row.related_outlets = {k: v for k, v in row.related_outlets.items() if k in claimed or pending(k) or k in copied}
    return _Cache(grouper, 0, 0, info, undated, entries, rowid_high=max(order, default=0))


def _place_undated(cache: _Cache) -> None:
    cache.late, cache.late_evidence = cache.grouper.place_undated(cache.undated.values())


def _members(cache: _Cache) -> tuple[dict[str, str], dict[str, str]]:
    _place_undated(cache)
    assert cache.late is not None and cache.late_evidence is not None
    return {**cache.grouper.story_of, **cache.late}, {**cache.grouper.evidence, **cache.late_evidence}


def _write_all(db: sqlite3.Connection, cache: _Cache, changes: int) -> None:
    story_of, evidence = _members(cache)
    db.execute("DELETE FROM story_members")
    db.execute("DELETE FROM story_related")
    db.execute("DELETE FROM stories")
    # (each table's rows in the order of its key: a B-tree filled in order is written about
    # three times quicker at 100,000 rows than in the order of the articles)
    db.executemany(
        "INSERT INTO story_members(article, story, evidence) VALUES (?, ?, ?)",
        sorted([(a, s, evidence.get(a)) for a, s in story_of.items()], key=itemgetter(0)),
    )
    _write_claims(db, cache, cache.grouper.claimed.items())
    by_story: dict[str, list[str]] = {}
    for article, story in story_of.items():
        by_story.setdefault(story, []).append(article)
    _write_stories(db, cache, by_story)
    _write_entry_stories(db, cache, cache.entries.stories)
    cache.entries.written()
    _write_generation(db, changes)
    cache.generation = _state(db)[2]
    cache.changes = changes
    with _cache_lock:  # (connections on other threads group too)
        _cache.pop(id(db), None)
        _cache[id(db)] = cache
        while len(_cache) > CACHED:
            del _cache[next(iter(_cache))]


def _write_claims(db: sqlite3.Connection, cache: _Cache, claims: Iterable[tuple[str, str]]) -> None:
    rows = []
    for key, story in claims:
        group = cache.grouper.groups.get(story)
        # (the article whose listing of the entry the claim was decided on: its copy is shown)
        holder = cache.entries.holders[key] if group is None else cache.grouper.listed_by[key]
        rows.append((key, story, holder, cache.rows[holder].related_outlets[key][2]))
    rows.sort(key=itemgetter(0))
    db.executemany("INSERT OR REPLACE INTO story_related(key, story, article, entry) VALUES (?, ?, ?, ?)", rows)


def _write_stories(db: sqlite3.Connection, cache: _Cache, by_story: dict[str, list[str]]) -> None:
    out = []
    for story, members in by_story.items():
        rows = [cache.rows[m] for m in members if m in cache.rows]
        if not rows:
            continue
        group = cache.grouper.groups.get(story)
        claims = group.claims if group is not None else []
        outlets = {r.outlet for r in rows}
        times = [r.published for r in rows if r.published is not None]
        listed_by = cache.grouper.listed_by
        for key in claims:  # (each entry as listed by the article it was claimed from)
            outlet, when, _ = cache.rows[listed_by[key]].related_outlets[key]
            outlets.add(outlet)
            if when is not None:
                times.append(when)
        heats = [r.heat for r in rows if r.heat is not None]
        qualities = [r.quality for r in rows if r.quality is not None]
        lead = min(rows, key=lambda r: (r.kind != "news", -(r.quality or 0), float("inf") if r.published is None else r.published, r.id))
        out.append((story, lead.id, len(rows), len(rows) + len(claims), outlet_count(outlets), min(times, default=None),
                    max(times, default=None), max(heats, default=None), max(qualities, default=None)))
    out.sort(key=itemgetter(0))
    db.executemany(
        "INSERT OR REPLACE INTO stories(story, lead, members, versions, outlets, first, last, heat, quality) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        out,
    )


def _write_entry_stories(db: sqlite3.Connection, cache: _Cache, stories: Iterable[str]) -> None:
    """The rows of stories of related entries alone: no document of the library is one of
    their versions, so they lead no row of Top stories (``lead`` is NULL)."""
    out = []
    for story in stories:
        group = cache.entries.stories[story]
        outlets: set[str | None] = set()
        times: list[float] = []
        for key in group.keys:
            row = cache.rows[cache.entries.holders[key]]
            outlet, when, _ = row.related_outlets[key]
            outlets.add(outlet)
            when = when if when is not None else row.published
            if when is not None:
                times.append(when)
        out.append((story, None, 0, len(group.keys), outlet_count(outlets), min(times, default=None), max(times, default=None),
                    None, None))
    db.executemany(
        "INSERT OR REPLACE INTO stories(story, lead, members, versions, outlets, first, last, heat, quality) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        out,
    )


def _append(
    db: sqlite3.Connection, cache: _Cache, new_ids: list[str], transaction: Callable[[], Any], progress: Progress | None
) -> int | None:
    """Append ``new_ids`` to the grouping in ``cache``; None when they do not all come after
    it (or another connection wrote meanwhile): then the library is grouped again."""
    with transaction():
        changes, _, generation = _state(db)
        if generation != cache.generation or changes != cache.changes:
            forget_cache(db)
            return None
        found = [
            _read(row)
            for row in db.execute(
                _ROWS_SQL + " WHERE id IN (SELECT value FROM json_each(?))", (json.dumps(new_ids),)
            )
        ]
        items = sorted((item for item, _ in found), key=lambda i: i.order)
        grouper = cache.grouper
        if any(i.published is not None and grouper.last is not None and i.order < grouper.last for i in items) or any(
            key in grouper.claimed or cache.entries.considered(key) for i in items for key in i.url_keys
        ):  # before the rest, or a related entry already held as a version (or grouped): group all again
            forget_cache(db)
            return None
        grouper.library_urls.update(key for i in items for key in i.url_keys)
        if cache.late is None:
            _place_undated(cache)
        old_late, old_evidence = dict(cache.late or {}), cache.late_evidence or {}
        claimed_before = len(grouper.claimed)
        for item, row in found:
            cache.rows[item.id] = row
        dated: list[str] = []
        entry_stories: dict[str, None] = {}
        for item in items:
            if item.published is None:
                cache.undated[item.id] = item
            else:
                grouper.add(item)
                entry_stories.update(dict.fromkeys(cache.entries.add(item)))
                dated.append(item.id)
        _place_undated(cache)
        late = cache.late or {}
        late_evidence, dated_evidence = cache.late_evidence or {}, grouper.evidence
        story_of = {a: grouper.story_of[a] for a in dated}
        story_of.update((a, s) for a, s in late.items() if old_late.get(a) != s)
        touched = set(story_of.values()) | {old_late[a] for a in story_of if a in old_late}
        # (a story of documents that took a copy of one of its headlines a new article lists)
        touched.update(story for _, story in list(grouper.claimed.items())[claimed_before:] if story in grouper.groups)
        # (an undated article that stays in its story is written again when why it joined
        # changed: its similarity and the terms shown change with the words counted before it)
        story_of.update((a, s) for a, s in late.items() if a not in story_of and late_evidence.get(a) != old_evidence.get(a))
        db.executemany(
            "INSERT OR REPLACE INTO story_members(article, story, evidence) VALUES (?, ?, ?)",
            [(a, s, late_evidence.get(a, dated_evidence.get(a))) for a, s in story_of.items()],
        )
        # (the entries of an entry story a document's story, or another entry story, took are claimed by it now)
        adopted = cache.entries.adopted
        _write_claims(db, cache, list(grouper.claimed.items())[claimed_before:]
                      + [(key, grouper.claimed[key]) for _, keys in adopted for key in keys])
        by_story: dict[str, list[str]] = {s: [] for s in touched}
        for story in touched:
            group = grouper.groups.get(story)
            if group is not None:
                by_story[story].extend(group.members)
        for article, story in late.items():
            if story in by_story:
                by_story[story].append(article)
        db.execute("DELETE FROM stories WHERE story IN (SELECT value FROM json_each(?))",
                   (json.dumps(sorted(touched | {story for story, _ in adopted})),))
        _write_stories(db, cache, by_story)
        _write_entry_stories(db, cache, [s for s in entry_stories if s in cache.entries.stories])
        cache.entries.written()
        _write_generation(db)
        cache.generation = _state(db)[2]
        high = db.execute("SELECT max(rowid) FROM articles WHERE id IN (SELECT value FROM json_each(?))",
                          (json.dumps(new_ids),)).fetchone()[0]
        cache.rowid_high = max(cache.rowid_high, high or 0)
        if progress:
            progress(len(new_ids), len(new_ids))
    return len(new_ids)
