"""Reading stories back: a story's versions, its rank, what the article pane and the
collapsed list show. No Qt."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from reader.article import Related as RelatedEntry
from reader.stories.score import PARTS, SCORE_SQL, SHARES_SQL, newest_sql
from reader.stories.storage import related_key
from reader.timefmt import EARLIEST_STAMP, LATEST_STAMP, from_timestamp
from reader.urls import site_of

#: Condition on ``articles a``: the article leads a story of two or more versions.
TOP_SQL = "a.id IN (SELECT lead FROM stories WHERE versions >= 2)"
#: Whether the article ``entries a`` and every other copy of its story are read: a row of the
#: collapsed list stands for them all.
READ_SQL = (
    "(a.read AND NOT EXISTS (SELECT 1 FROM story_members m JOIN story_members o ON o.story = m.story "
    "JOIN articles w ON w.id = o.article JOIN entries b ON b.rowid = w.rowid WHERE m.article = a.id AND NOT b.read))"
)
#: Order of the Top stories view among stories of the same score.
TOP_TIES = "a.published DESC, a.id"
#: Order of the Top stories view: best score first.
TOP_ORDER = f"(SELECT {SCORE_SQL} FROM stories s WHERE s.lead = a.id) DESC, {TOP_TIES}"
#: Which of a story's documents ``e`` (the narrow ``entries`` rows) leads it, the first in
#: this order: a news document before other kinds, then the highest quality, then the
#: earliest (undated last: a stored time that is no date too, see
#: :func:`reader.timefmt.from_timestamp`), then the id. It is the rule the grouping stores in
#: ``stories.lead`` (:mod:`reader.stories.storage`) written as SQL, for the documents of a
#: scope; tests check that the two pick the same lead.
LEAD_ORDER = (
    "e.kind != 'news', -coalesce(e.quality, 0), "
    f"CASE WHEN e.published >= {EARLIEST_STAMP!r} AND e.published < {LATEST_STAMP!r} THEN e.published ELSE 9e999 END, e.id"
)


def _leads_sql(within: str | None) -> str:
    """(story, id) of every story of two or more versions and the document Top stories
    lists it by: its lead; within a scope (``within``, a condition on its documents ``e``),
    only the stories with a document in it, each by its lead among those (:data:`LEAD_ORDER`)."""
    if within is None:
        return "SELECT story, lead AS id FROM stories WHERE versions >= 2"
    # (the stories looked up once each, for the lead only: a fifth quicker at 100,000)
    return (
        "SELECT l.story, l.id FROM (SELECT m.story, e.id, "
        f"row_number() OVER (PARTITION BY m.story ORDER BY {LEAD_ORDER}) AS place "
        f"FROM entries e JOIN story_members m ON m.article = e.id WHERE {within}) l "
        "JOIN stories s ON s.story = l.story WHERE l.place = 1 AND s.versions >= 2"
    )


def top_order(within: str | None = None) -> str:
    """Order of the Top stories view (:func:`top_sql`): :data:`TOP_ORDER` for the whole
    library; within a scope, where a story is listed by another of its documents than its
    lead, by the score of the article's story."""
    if within is None:
        return TOP_ORDER
    return f"(SELECT {SCORE_SQL} FROM story_members m JOIN stories s ON s.story = m.story WHERE m.article = a.id) DESC, {TOP_TIES}"


def top_sql(within: str | None = None) -> str:
    """Condition on ``articles a`` (or ``entries a``): the article is the one Top stories
    lists for its story. ``within`` (None: the whole library, :data:`TOP_SQL`) is a scope,
    a condition without parameters on a story's documents ``e`` (the narrow ``entries``
    rows): see :func:`_leads_sql`."""
    return TOP_SQL if within is None else f"a.id IN (SELECT id FROM ({_leads_sql(within)}))"


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
    amp_url: str | None = None  #: a document's AMP link (a related entry may name it by that)

    @property
    def in_library(self) -> bool:
        return self.article_id is not None


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


def not_versions(related: Sequence[RelatedEntry], versions: Iterable[Version]) -> tuple[RelatedEntry, ...]:
    """The entries of ``related`` (an article's related coverage) that none of ``versions``
    is: matched as the grouping matches them, by the identity of their links (or their
    titles, without one), so another copy of an entry, or the link (or AMP link) of a
    document of the story, is one of the versions too."""
    shown = {related_key({"url": v.url, "title": v.title}) for v in versions}
    shown.update([related_key({"url": v.amp_url}) for v in versions if v.amp_url])  # (as the grouping knows a document)
    return tuple(r for r in related if related_key({"url": r.url, "title": r.title}) not in shown)


def not_itself(related: Sequence[RelatedEntry], url: str | None, amp_url: str | None) -> tuple[RelatedEntry, ...]:
    """The entries of ``related`` (an article's related coverage) that are not the article
    itself: a related list that holds the article's own link, its AMP link or another spelling
    of either (http:// for https://) names no other coverage. Matched by the identity of their
    links, as the grouping matches them (an entry without a link is never the article)."""
    own = {related_key({"url": link}) for link in (url, amp_url) if link}
    if not own:
        return tuple(related)
    return tuple(r for r in related if not r.url or related_key({"url": r.url}) not in own)


def _when(stamp: float | None) -> datetime | None:
    return from_timestamp(float(stamp)) if isinstance(stamp, (int, float)) else None  # (a placeholder: none)


def story_of(db: sqlite3.Connection, article_id: str) -> str | None:
    found = db.execute("SELECT story FROM story_members WHERE article = ?", (article_id,)).fetchone()
    return str(found[0]) if found else None


def members(db: sqlite3.Connection, article_id: str) -> list[str]:
    """The ids of every document in the story of ``article_id`` (itself at least)."""
    story = story_of(db, article_id)
    if story is None:
        return [article_id]
    return [r[0] for r in db.execute("SELECT article FROM story_members WHERE story = ? ORDER BY article", (story,))]


def _versions(db: sqlite3.Connection, story: str) -> tuple[list[Version], list[tuple[str, ...]]]:
    versions: list[Version] = []
    topics: list[tuple[str, ...]] = []
    for article_id, title, provider, domain, published, url, excerpt, topic_text, amp_url in db.execute(
        "SELECT a.id, a.title, a.provider, a.domain, a.published, a.url, a.excerpt, a.topics, a.amp_url "
        "FROM story_members m JOIN articles a ON a.id = m.article WHERE m.story = ? ORDER BY a.id",
        (story,),
    ):
        # (the outlet by its name, or else its domain, or else the host of its link: see storage._outlet)
        versions.append(Version(title, provider or domain or site_of(url) or None, domain, _when(published), url, article_id, excerpt,
                                amp_url))
        topics.append(tuple(t for t in (topic_text or "").split("\n") if t))
    for related_json, entry in db.execute(
        "SELECT json_extract(a.data, '$.related'), r.entry FROM story_related r JOIN articles a ON a.id = r.article "
        "WHERE r.story = ? ORDER BY r.key",
        (story,),
    ):
        entries: list[Any] = json.loads(related_json or "[]")
        if not 0 <= entry < len(entries) or not isinstance(entries[entry], dict):
            continue
        found = entries[entry]
        source = found.get("provider") or {}
        domain = (source.get("domain") or "").lower() or None
        versions.append(
            Version(found.get("title") or "", source.get("name") or domain or site_of(found.get("url")) or None, domain,
                    _when(found.get("published")),
                    found.get("url"), None, found.get("excerpt"))
        )
    never = datetime.min.replace(tzinfo=timezone.utc)
    versions.sort(key=lambda v: (v.published is None, v.published or never, v.title))
    return versions, topics


def load(db: sqlite3.Connection, story: str) -> Story | None:
    """The story named ``story``, with every version."""
    found = db.execute(
        f"SELECT s.outlets, s.heat, s.quality, {SCORE_SQL}, {SHARES_SQL} FROM stories s WHERE s.story = ?", (story,)
    ).fetchone()
    if found is None:
        return None
    versions, topic_lists = _versions(db, story)
    if not versions:
        return None
    topics = tuple(dict.fromkeys(t for ts in topic_lists for t in ts))
    recency = float(found[4 + [name for name, _, _ in PARTS].index("recency")])
    return Story(story, tuple(versions), int(found[0]), float(found[3]), found[1], found[2], recency, topics)


def leads(db: sqlite3.Connection, article_id: str, within: str | None = None) -> bool:
    """Whether the article is the one Top Stories lists for its story (within the scope
    ``within``: see :func:`top_sql`)."""
    if within is None:
        return db.execute("SELECT 1 FROM stories WHERE lead = ? AND versions >= 2", (article_id,)).fetchone() is not None
    found = db.execute(
        "SELECT e.id FROM story_members m JOIN articles w ON w.id = m.article JOIN entries e ON e.rowid = w.rowid "
        "JOIN stories s ON s.story = m.story "
        f"WHERE m.story = (SELECT story FROM story_members WHERE article = ?) AND s.versions >= 2 AND {within} "
        f"ORDER BY {LEAD_ORDER} LIMIT 1",
        (article_id,),
    ).fetchone()
    return found is not None and found[0] == article_id


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


def evidence_of(db: sqlite3.Connection, article_id: str) -> str | None:
    """Why the article is in its story (None for the story's first version)."""
    found = db.execute("SELECT evidence FROM story_members WHERE article = ?", (article_id,)).fetchone()
    return str(found[0]) if found and found[0] else None


def top_story_ids(db: sqlite3.Connection) -> list[str]:
    """Stories of two or more versions, best score first (the Top stories order)."""
    return list(top_places(db))


#: The places of Top stories, worked out once for the state they were read in (the grouping's
#: generation and the articles' changes, the newest article recency counts from, the scope):
#: the article pane asks for its story's place at every article opened, and reading them all
#: takes some 40 ms at 100,000 documents, on the GUI thread. Per connection (its id; the
#: generation, new at every grouping written, tells one library's state from another's).
_places: dict[int, tuple[tuple[Any, ...], dict[str, int]]] = {}
_NEWEST_SQL = f"SELECT {newest_sql()}"


def top_places(db: sqlite3.Connection, within: str | None = None, scope: Hashable = None) -> dict[str, int]:
    """Each story Top stories lists (within the scope ``within``: see :func:`top_sql`) and its
    place there, from 1, in that order: best score first, ties in the list's order
    (:data:`TOP_TIES`). Do not change the dict. Kept for the state of the stories it was read
    in; with a condition ``within``, only when ``scope`` names what it holds (a condition on a
    temporary table of the scope's articles reads alike for every scope)."""
    key: tuple[Any, ...] | None = None
    if within is None or scope is not None:
        state = db.execute("SELECT generation, changes FROM story_state").fetchone()
        key = (state, db.execute(_NEWEST_SQL).fetchone()[0], within, scope)
        found = _places.get(id(db))
        if found is not None and found[0] == key:
            return found[1]
    if within is None:
        listed_sql = "FROM stories s JOIN articles a ON a.id = s.lead WHERE s.versions >= 2"
    else:
        listed_sql = f"FROM ({_leads_sql(within)}) l JOIN stories s ON s.story = l.story JOIN articles a ON a.id = l.id"
    places = {row[0]: place for place, row in enumerate(
        db.execute(f"SELECT s.story {listed_sql} ORDER BY {SCORE_SQL} DESC, {TOP_TIES}"), 1)}
    if key is not None:
        _places[id(db)] = (key, places)
    return places


def ranking(
    db: sqlite3.Connection,
    article_id: str,
    story: Story | None = None,
    within: str | None = None,
    scope: Hashable = None,
) -> Ranking | None:
    """The score of the story of ``article_id``, its parts, and its place in Top stories
    (within the scope ``within``, which ``scope`` names: see :func:`top_sql`): its row's place
    in the list, ties in the list's order (:func:`top_places`)."""
    story = story or story_for(db, article_id)
    if story is None:
        return None
    found = db.execute(f"SELECT {SHARES_SQL} FROM stories s WHERE s.story = ?", (story.id,)).fetchone()
    if found is None:
        return None
    places = top_places(db, within, scope)
    shown = {
        "outlets": str(story.outlets),
        "heat": str(story.heat) if story.heat is not None else "none",
        "quality": str(story.quality) if story.quality is not None else "none",
        "recency": f"{story.recency:.2f}",
    }
    parts = tuple((name, shown[name], weight * float(share)) for (name, weight, _), share in zip(PARTS, found, strict=True))
    return Ranking(places.get(story.id), len(places), story.score, parts)


@dataclass(frozen=True, slots=True)
class Context:
    """Everything the article pane shows about an article's story."""

    story: Story | None
    ranking: Ranking | None
    inferred_topics: tuple[str, ...]
    joined: str | None  #: why it is in its story (None for the story's first version)
    #: Stories of related entries alone (no document of the library reports them) that the
    #: article lists among its related coverage: see :func:`listed`.
    listed: tuple[Story, ...] = ()


def context(db: sqlite3.Connection, article_id: str, within: str | None = None, scope: Hashable = None) -> Context:
    """What the article pane shows of the story of ``article_id``; its place in Top stories
    within the scope ``within``, which ``scope`` names (see :func:`ranking`)."""
    story = story_for(db, article_id)
    return Context(
        story,
        ranking(db, article_id, story, within, scope) if story is not None else None,
        inferred_topics(db, article_id),
        evidence_of(db, article_id),
        listed(db, article_id),
    )


def listed(db: sqlite3.Connection, article_id: str) -> tuple[Story, ...]:
    """The events ``article_id`` lists as related coverage, other than its own story's: the
    stories made of related entries alone (see :mod:`reader.stories.related`) that hold one
    of its related entries (no document of the library reports that event), and the stories
    of other documents that hold two or more of them (a document of the library that reports
    the event took its story of entries: see :mod:`reader.stories.related`)."""
    found = db.execute("SELECT json_extract(data, '$.related') FROM articles WHERE id = ?", (article_id,)).fetchone()
    entries = json.loads(found[0]) if found and found[0] else []
    keys = sorted({key for e in entries if isinstance(e, dict) and (key := related_key(e)) is not None})
    if not keys:
        return ()
    own = story_of(db, article_id)
    ids = [
        story
        for story, members, held in db.execute(
            "SELECT r.story, s.members, count(*) FROM story_related r JOIN stories s ON s.story = r.story "
            "WHERE r.key IN (SELECT value FROM json_each(?)) GROUP BY r.story ORDER BY r.story",
            (json.dumps(keys),),
        )
        if story != own and (members == 0 or held >= 2)
    ]
    return tuple(story for story in (load(db, i) for i in ids) if story is not None)


#: Each article's row, story and the story's outlets, of the stories of two versions or more.
_OUTLETS_SQL = (
    "SELECT a.rowid, m.story, s.outlets FROM story_members m "
    "JOIN articles a ON a.id = m.article JOIN stories s ON s.story = m.story WHERE s.versions >= 2"
)


def collapse(db: sqlite3.Connection, rowids: Sequence[int], keep: int | None = None) -> tuple[list[int], dict[int, int]]:
    """``rowids`` with every story reduced to its first row; and, for each kept row of a
    story of two or more versions (every story Top stories lists: a document and a related
    entry are two), its number of outlets. ``keep``: the row of the article open, which
    stands for its story in that place instead (when it is among ``rowids``), so that the
    article stays open whichever copy comes first."""
    grouped = {rowid: (story, outlets) for rowid, story, outlets in db.execute(_OUTLETS_SQL)}
    kept: list[int] = []
    counts: dict[int, int] = {}
    seen: set[str] = set()
    kept_story = grouped[keep][0] if keep is not None and keep in grouped and keep in rowids else None
    for rowid in rowids:
        found = grouped.get(rowid)
        if found is None:
            kept.append(rowid)
            continue
        story, outlets = found
        if story in seen:
            continue
        seen.add(story)
        if story == kept_story:
            rowid = keep  # type: ignore[assignment]  # (kept_story is set only with keep)
        kept.append(rowid)
        counts[rowid] = max(int(outlets), 1)
    return kept, counts


def outlets_of(db: sqlite3.Connection, rowids: Sequence[int]) -> dict[int, int]:
    """The number of outlets of the story of each of ``rowids`` that is in a story of two or
    more versions (as :func:`collapse` counts them): what a row of Top stories, a story by
    its lead, says of its story."""
    return {
        rowid: max(int(outlets), 1)
        for rowid, _, outlets in db.execute(f"{_OUTLETS_SQL} AND a.rowid IN (SELECT value FROM json_each(?))",
                                            (json.dumps(list(rowids)),))
    }


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
