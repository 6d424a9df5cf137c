"""The schema: every table, index and trigger of a library (the subscriptions' and the
stories' included), written once here.

A new file gets the current schema at once (:func:`create_all`); a file written by an older
Reader is brought up to date by the named steps of :data:`UPGRADES`, one per schema
version, each in the same transaction. The current schema and an old file upgraded step by
step are the same (``tests/test_library_schema.py`` compares them), so a step that changes a
table must change the current schema the same way.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator

from reader import folding
from reader.article import MAX_INT
from reader.search import with_not_as_word

#: ``fts_upto`` when every article is in the full-text index (SQLite's largest integer).
FTS_ALL = MAX_INT

SCHEMA_VERSION = 11

# --------------------------------------------------------------------------- pieces

_ARTICLE_COLUMNS = """
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    path TEXT NOT NULL,
    source_mtime INTEGER NOT NULL DEFAULT 0,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    excerpt TEXT,
    body TEXT NOT NULL DEFAULT '',
    published REAL,
    url TEXT,
    amp_url TEXT,
    provider TEXT,
    domain TEXT,
    provider_icon TEXT,
    topics TEXT NOT NULL DEFAULT '',
    quality INTEGER,
    heat INTEGER,
    featured INTEGER NOT NULL DEFAULT 0,
    language TEXT,
    data TEXT NOT NULL DEFAULT '{}',
    added REAL NOT NULL"""

#: The wide article rows, the topics, the files, the marks kept for absent articles, the
#: taxonomy and the library's settings (the full-text index: _ARTICLES_FTS).
_CORE = """
CREATE TABLE article_topics (
    topic TEXT NOT NULL COLLATE NOCASE,
    article INTEGER NOT NULL REFERENCES articles(rowid) ON DELETE CASCADE,
    PRIMARY KEY (topic, article)
) WITHOUT ROWID;
CREATE INDEX article_topics_article ON article_topics(article);

-- One row per document file found under a synced path.
CREATE TABLE files (
    path TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime INTEGER NOT NULL,
    kind TEXT NOT NULL,          -- news, text, taxonomy or problem
    article TEXT,                -- article or taxonomy id
    problem TEXT                 -- the reason, for kind = problem
) WITHOUT ROWID;
CREATE INDEX files_article ON files(article);

-- The user's state, keyed by article id: outlives the article rows.
CREATE TABLE state (
    id TEXT PRIMARY KEY,
    read INTEGER NOT NULL DEFAULT 0,
    starred INTEGER NOT NULL DEFAULT 0,
    changed REAL NOT NULL
) WITHOUT ROWID;

CREATE TABLE taxonomy (
    id TEXT PRIMARY KEY,
    taxonomy TEXT NOT NULL,
    name TEXT NOT NULL COLLATE NOCASE,
    domain TEXT,
    description TEXT,
    keywords TEXT NOT NULL DEFAULT '[]',
    parents TEXT NOT NULL DEFAULT '[]'
) WITHOUT ROWID;
CREATE INDEX taxonomy_name ON taxonomy(name);
CREATE INDEX taxonomy_domain ON taxonomy(domain);

-- Settings of the library itself. fts_upto: articles with a larger rowid are not in the
-- full-text index yet (a big sync indexes in bulk, which is several times faster).
CREATE TABLE meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID;
INSERT INTO meta(key, value) VALUES ('fts_upto', 9223372036854775807);

"""

# The search index of the articles' text: the folded text indexed (reader.folding:
# search_text), its snippets cut from the text with Chinese and Japanese characters set apart
# (spaced), so each word of one is a word of the other. (Functions every connection has:
# register_functions.)
_ARTICLES_FTS = """
CREATE VIEW articles_fts_text AS
SELECT rowid, spaced(title) AS title, spaced(excerpt) AS excerpt, spaced(body) AS body,
    spaced(provider) AS provider, spaced(domain) AS domain, spaced(topics) AS topics FROM articles;
CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, excerpt, body, provider, domain, topics,
    content='articles_fts_text', content_rowid='rowid',
    tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles
WHEN new.rowid <= (SELECT value FROM meta WHERE key = 'fts_upto') BEGIN
    INSERT INTO articles_fts(rowid, title, excerpt, body, provider, domain, topics)
    VALUES (new.rowid, search_text(new.title), search_text(new.excerpt), search_text(new.body),
        search_text(new.provider), search_text(new.domain), search_text(new.topics));
END;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles
WHEN old.rowid <= (SELECT value FROM meta WHERE key = 'fts_upto') BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, excerpt, body, provider, domain, topics)
    VALUES ('delete', old.rowid, search_text(old.title), search_text(old.excerpt), search_text(old.body),
        search_text(old.provider), search_text(old.domain), search_text(old.topics));
END;
CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, excerpt, body, provider, domain, topics
ON articles WHEN old.rowid <= (SELECT value FROM meta WHERE key = 'fts_upto') BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, excerpt, body, provider, domain, topics)
    VALUES ('delete', old.rowid, search_text(old.title), search_text(old.excerpt), search_text(old.body),
        search_text(old.provider), search_text(old.domain), search_text(old.topics));
    INSERT INTO articles_fts(rowid, title, excerpt, body, provider, domain, topics)
    VALUES (new.rowid, search_text(new.title), search_text(new.excerpt), search_text(new.body),
        search_text(new.provider), search_text(new.domain), search_text(new.topics));
END;
"""

# What the list shows, sorts, filters and counts on -- and the read and starred marks --
# live in a narrow table, ``entries``, one row per article, kept in step with ``articles``
# by triggers. Listing, counting and marking 100,000 articles then touch a few megabytes
# instead of the wide article rows (body, excerpt, JSON), and the list's default order is
# an index.
_ENTRIES_TABLE = """
CREATE TABLE entries (
    rowid INTEGER PRIMARY KEY,   -- = articles.rowid
    id TEXT NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    published REAL,
    provider TEXT,
    domain TEXT,
    language TEXT,
    quality INTEGER,
    heat INTEGER,
    read INTEGER NOT NULL DEFAULT 0,
    starred INTEGER NOT NULL DEFAULT 0
);
"""

_ENTRIES_INDEXES = """
-- Newest first is the list's default order (undated last: DESC puts NULL last).
CREATE INDEX entries_newest ON entries(published DESC, title COLLATE NOCASE);
CREATE INDEX entries_starred ON entries(starred) WHERE starred;
CREATE INDEX entries_provider ON entries(provider COLLATE NOCASE);
CREATE INDEX entries_domain ON entries(domain);
CREATE INDEX entries_language ON entries(language);

CREATE TRIGGER entries_insert AFTER INSERT ON articles BEGIN
    INSERT INTO entries(rowid, id, kind, title, published, provider, domain, language, quality, heat, read, starred)
    VALUES (new.rowid, new.id, new.kind, new.title, new.published, new.provider, new.domain, new.language,
            new.quality, new.heat,
            coalesce((SELECT read FROM state WHERE id = new.id), 0),
            coalesce((SELECT starred FROM state WHERE id = new.id), 0));
END;
CREATE TRIGGER entries_update AFTER UPDATE ON articles BEGIN
    UPDATE entries SET id = new.id, kind = new.kind, title = new.title, published = new.published,
        provider = new.provider, domain = new.domain, language = new.language, quality = new.quality,
        heat = new.heat
    WHERE rowid = new.rowid;
END;
-- While an article is in the library its marks live in its entry (so marking 100,000
-- articles read is one narrow UPDATE); when it leaves, they are kept in ``state`` for the
-- day it comes back.
CREATE TRIGGER entries_delete AFTER DELETE ON articles BEGIN
    INSERT INTO state(id, read, starred, changed)
    SELECT e.id, e.read, e.starred, CAST(strftime('%s', 'now') AS REAL) FROM entries e
    WHERE e.rowid = old.rowid AND (e.read OR e.starred OR EXISTS (SELECT 1 FROM state s WHERE s.id = e.id))
    ON CONFLICT(id) DO UPDATE SET read = excluded.read, starred = excluded.starred, changed = excluded.changed;
    DELETE FROM entries WHERE rowid = old.rowid;
END;
"""

# Feed subscriptions (see reader.subscriptions). ``path`` is the fetched copy, named
# relative to the data folder (``feeds/…``), synced like any feed file; etag and
# last_modified make the next fetch conditional; ``fetched_url`` is the address the copy
# came from (after redirects; its relative links resolve against ``url``).
_SUBSCRIPTION_COLUMNS = """
    url TEXT PRIMARY KEY,
    title TEXT,
    path TEXT NOT NULL,
    etag TEXT,
    last_modified TEXT,
    checked REAL,
    updated REAL,
    error TEXT,
    added REAL NOT NULL"""

#: The grouping of reader.stories.
_STORY_TABLES = """
CREATE TABLE story_members (
    article TEXT PRIMARY KEY,      -- articles.id
    story TEXT NOT NULL,           -- the id of its first member
    evidence TEXT                  -- why it joined (NULL for the first member)
) WITHOUT ROWID;
CREATE INDEX story_members_story ON story_members(story);
-- The related entries a story holds as versions: the entry number ``entry`` of ``article``.
CREATE TABLE story_related (
    key TEXT PRIMARY KEY,          -- its link's identity (reader.urls.identity_key)
    story TEXT NOT NULL,
    article TEXT NOT NULL,
    entry INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX story_related_story ON story_related(story);
CREATE TABLE stories (
    story TEXT PRIMARY KEY,
    lead TEXT,                     -- the article shown for the story
    members INTEGER NOT NULL,      -- documents in the library
    versions INTEGER NOT NULL,     -- documents plus related entries it holds
    outlets INTEGER NOT NULL,
    first REAL,
    last REAL,
    heat INTEGER,
    quality INTEGER
) WITHOUT ROWID;
CREATE INDEX stories_lead ON stories(lead);
-- changes: bumped when an article leaves or changes; grouped: its value at the last full
-- grouping; generation: a new random number at every grouping write (so that grouping state
-- kept in memory is never taken for another library's or another connection's).
CREATE TABLE story_state (one INTEGER PRIMARY KEY CHECK (one = 1), changes INTEGER NOT NULL,
    grouped INTEGER NOT NULL, generation INTEGER NOT NULL);
INSERT INTO story_state VALUES (1, 0, 0, 0);
CREATE TRIGGER story_forget AFTER DELETE ON articles BEGIN
    DELETE FROM story_members WHERE article = old.id;
    DELETE FROM stories WHERE lead = old.id;  -- (until the library is grouped again)
    UPDATE story_state SET changes = changes + 1;
END;
"""

# The user's own views: saved searches (with the actions of their rules), labels and the
# labels on articles. Labels are kept by article id, like the marks in ``state``: they
# outlive the article rows (moves, re-syncs, an article gone and back). ``rules_seen``
# holds the ids of articles the rules have looked at (each arriving article once).
_USER_VIEWS = """
CREATE TABLE IF NOT EXISTS saved_searches (
    name TEXT PRIMARY KEY COLLATE NOCASE,
    query TEXT NOT NULL,
    position INTEGER NOT NULL,
    actions TEXT NOT NULL DEFAULT '[]',   -- a JSON list of rule actions (see reader.library.rules)
    acted INTEGER NOT NULL DEFAULT 0      -- articles its rule acted on
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS labels (name TEXT PRIMARY KEY COLLATE NOCASE) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS article_labels (
    label TEXT NOT NULL COLLATE NOCASE,
    id TEXT NOT NULL,                     -- articles.id
    PRIMARY KEY (label, id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS article_labels_id ON article_labels(id);
CREATE TABLE IF NOT EXISTS hidden (id TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS rules_seen (id TEXT PRIMARY KEY) WITHOUT ROWID;
"""

#: Full texts fetched from articles' pages (reader.fulltext), keyed by article id like the
#: marks, so they outlive the article rows; searched through their own full-text index.
_FULLTEXT_TABLES = """
CREATE TABLE IF NOT EXISTS fulltexts (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,       -- articles.id
    url TEXT NOT NULL,             -- the page it came from (after redirects)
    fetched REAL NOT NULL,         -- when (seconds since the epoch)
    title TEXT NOT NULL DEFAULT '',-- the article's title when fetched (searched with the text)
    text TEXT NOT NULL,            -- the text, plain (what is searched)
    data TEXT NOT NULL             -- its blocks, links and images (JSON)
);
CREATE VIEW IF NOT EXISTS fulltexts_fts_text AS
SELECT rowid, spaced(title) AS title, spaced(text) AS text FROM fulltexts;
CREATE VIRTUAL TABLE IF NOT EXISTS fulltexts_fts USING fts5(
    title, text, content='fulltexts_fts_text', content_rowid='rowid',
    tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER IF NOT EXISTS fulltexts_fts_insert AFTER INSERT ON fulltexts BEGIN
    INSERT INTO fulltexts_fts(rowid, title, text) VALUES (new.rowid, search_text(new.title), search_text(new.text));
END;
CREATE TRIGGER IF NOT EXISTS fulltexts_fts_delete AFTER DELETE ON fulltexts BEGIN
    INSERT INTO fulltexts_fts(fulltexts_fts, rowid, title, text)
    VALUES ('delete', old.rowid, search_text(old.title), search_text(old.text));
END;
CREATE TRIGGER IF NOT EXISTS fulltexts_fts_update AFTER UPDATE ON fulltexts BEGIN
    INSERT INTO fulltexts_fts(fulltexts_fts, rowid, title, text)
    VALUES ('delete', old.rowid, search_text(old.title), search_text(old.text));
    INSERT INTO fulltexts_fts(rowid, title, text) VALUES (new.rowid, search_text(new.title), search_text(new.text));
END;
"""

# A rowid is never given to a second article, so a list's rowids (and the largest rowid
# read before it, see Library.mark_rows_read) never name an article added after it was
# read. SQLite gives a new row the largest rowid + 1, so the rowid of the article with the
# largest one, removed, would be given again: ``rowid_high`` in ``meta`` keeps the largest
# rowid an article removed had (or the largest at the upgrade to schema 9), and a new
# article's rowid is one more than both (codec._INSERT_ARTICLE). (``entries`` takes its
# article's rowid.) Cheaper than AUTOINCREMENT, which would need the wide table rebuilt.
_LASTING_ROWIDS = """
INSERT OR IGNORE INTO meta(key, value) SELECT 'rowid_high', coalesce(max(rowid), 0) FROM articles;
CREATE TRIGGER IF NOT EXISTS articles_rowid_high AFTER DELETE ON articles
WHEN old.rowid > (SELECT value FROM meta WHERE key = 'rowid_high') BEGIN
    UPDATE meta SET value = old.rowid WHERE key = 'rowid_high';
END;
"""

# --------------------------------------------------------------------------- a new file

_CURRENT = (
    f"CREATE TABLE articles (\n{_ARTICLE_COLUMNS}\n);\n"
    + _CORE
    + _ARTICLES_FTS
    + _ENTRIES_TABLE
    + _ENTRIES_INDEXES
    + f"CREATE TABLE subscriptions (\n{_SUBSCRIPTION_COLUMNS},\n    fetched_url TEXT\n) WITHOUT ROWID;\n"
    + _STORY_TABLES
    + _USER_VIEWS
    + _FULLTEXT_TABLES
    + _LASTING_ROWIDS
)


def register_functions(db: sqlite3.Connection) -> None:
    """Give ``db`` the functions the schema's triggers and views call (every connection to
    a library needs them: the search index is written by triggers)."""
    db.create_function("search_text", 1, folding.search_text, deterministic=True)
    db.create_function("spaced", 1, folding.spaced, deterministic=True)
    db.create_function("name_key", 1, _name_key, deterministic=True)


def _name_key(name: str | None) -> str | None:
    return None if name is None else folding.name_key(name)


def create_all(db: sqlite3.Connection) -> None:
    """Create the current schema in the new, empty library ``db`` (inside the caller's
    transaction) and set its version."""
    register_functions(db)
    for statement in _statements(_CURRENT):
        db.execute(statement)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


# --------------------------------------------------------------------------- old files


def _to_entries(db: sqlite3.Connection) -> None:
    """Version 2: the narrow ``entries`` table; the marks move there from ``articles``."""
    drop_article_indexes = "".join(
        f"DROP INDEX articles_{name};\n" for name in ("published", "unread", "starred", "provider", "domain", "language")
    )
    move_marks = """
INSERT INTO entries(rowid, id, kind, title, published, provider, domain, language, quality, heat, read, starred)
SELECT rowid, id, kind, title, published, provider, domain, language, quality, heat, read, starred FROM articles;
ALTER TABLE articles DROP COLUMN read;
ALTER TABLE articles DROP COLUMN starred;
"""
    _run(db, drop_article_indexes + _ENTRIES_TABLE + move_marks + _ENTRIES_INDEXES)


def _to_subscriptions(db: sqlite3.Connection) -> None:
    """Version 3: feed subscriptions (copies then named by absolute path)."""
    _run(db, f"CREATE TABLE subscriptions (\n{_SUBSCRIPTION_COLUMNS}\n) WITHOUT ROWID;\n")


def _to_first_stories(db: sqlite3.Connection) -> None:
    """Version 4: a first grouping of stories (replaced by version 6)."""
    _run(db, """CREATE TABLE story_members (article TEXT PRIMARY KEY, story TEXT NOT NULL, evidence TEXT, signature TEXT) WITHOUT ROWID;
CREATE TABLE story_keys (key TEXT NOT NULL, published REAL NOT NULL, article TEXT NOT NULL,
    PRIMARY KEY (key, published, article)) WITHOUT ROWID;
CREATE TABLE stories (story TEXT PRIMARY KEY, lead TEXT, members INTEGER NOT NULL, versions INTEGER NOT NULL,
    outlets INTEGER NOT NULL, first REAL, last REAL, heat INTEGER, quality INTEGER) WITHOUT ROWID;
""")


def _to_relative_copies(db: sqlite3.Connection) -> None:
    """Version 5: a subscription's copy is named relative to the data folder, so a data
    folder moved or copied keeps its subscriptions; ``fetched_url`` is where it came from."""
    _run(db, """ALTER TABLE subscriptions ADD COLUMN fetched_url TEXT;
UPDATE subscriptions SET path = 'feeds/' || replace(path, rtrim(path, replace(path, '/', '')), '')
WHERE path LIKE '/%';
""")


def _to_stories(db: sqlite3.Connection) -> None:
    """Version 6: the grouping of reader.stories (it starts afresh whatever was there)."""
    _run(db, """DROP TRIGGER IF EXISTS story_forget;
DROP TABLE IF EXISTS story_related;
DROP TABLE IF EXISTS story_state;
DROP TABLE IF EXISTS story_keys;
DROP TABLE IF EXISTS story_members;
DROP TABLE IF EXISTS stories;
""" + _STORY_TABLES)


def _to_user_views(db: sqlite3.Connection) -> None:
    """Version 7: saved searches and their rules, labels, articles hidden by a rule."""
    _run(db, _USER_VIEWS)
def _to_fulltexts(db: sqlite3.Connection) -> None:
    """Version 8: full texts fetched from articles' pages, with their own search index."""
    _run(db, _FULLTEXT_TABLES)


def _to_lasting_rowids(db: sqlite3.Connection) -> None:
    """Version 9: an article's rowid is never given to another article (the largest one a
    removed article had is kept); every article keeps its rowid."""
    _run(db, _LASTING_ROWIDS)


def _to_folding(db: sqlite3.Connection) -> None:
    """Version 10: the search index holds folded text (reader.folding: case and accents of
    every script, Chinese and Japanese characters one by one): both indexes are made again.
    Names that differ only in case, in any script, are one name from now on: labels that
    differ so (``Läsa``, ``LÄSA``) become one, saved searches that do are told apart. A
    capital ``NOT`` excludes the term after it from now on: a saved query's ``NOT``, a word
    until now, is written ``"NOT"`` (it and its rule find what they found)."""
    register_functions(db)
    _merge_labels(db)
    _tell_saved_searches_apart(db)
    for name, query in db.execute("SELECT name, query FROM saved_searches").fetchall():
        fixed = with_not_as_word(query)
        if fixed != query:
            db.execute("UPDATE saved_searches SET query = ? WHERE name = ?", (fixed, name))
    _run(db, """DROP TRIGGER IF EXISTS articles_fts_insert;
DROP TRIGGER IF EXISTS articles_fts_delete;
DROP TRIGGER IF EXISTS articles_fts_update;
DROP TABLE IF EXISTS articles_fts;
DROP VIEW IF EXISTS articles_fts_text;
DROP TRIGGER IF EXISTS fulltexts_fts_insert;
DROP TRIGGER IF EXISTS fulltexts_fts_delete;
DROP TRIGGER IF EXISTS fulltexts_fts_update;
DROP TABLE IF EXISTS fulltexts_fts;
DROP VIEW IF EXISTS fulltexts_fts_text;
""" + _ARTICLES_FTS + _FULLTEXT_TABLES)
    # (articles past fts_upto are indexed later, by the sync that deferred them)
    db.execute(
        f"INSERT INTO articles_fts(rowid, {ARTICLES_FTS_COLUMNS}) SELECT rowid, {FOLDED_COLUMNS} FROM articles "
        "WHERE rowid <= (SELECT value FROM meta WHERE key = 'fts_upto')"
    )
    db.execute(
        "INSERT INTO fulltexts_fts(rowid, title, text) SELECT rowid, search_text(title), search_text(text) FROM fulltexts"
    )


def _merge_labels(db: sqlite3.Connection) -> None:
    """Labels whose names differ only in case (:func:`reader.folding.name_key`) become the
    one of them on the most articles (of those on as many, the first alphabetically), with
    the articles of all of them."""
    groups: dict[str, list[str]] = {}
    for (name,) in db.execute("SELECT name FROM labels ORDER BY name").fetchall():
        groups.setdefault(folding.name_key(name), []).append(name)
    for names in groups.values():
        if len(names) < 2:
            continue
        used = {n: db.execute("SELECT count(*) FROM article_labels WHERE label = ?", (n,)).fetchone()[0] for n in names}
        kept = max(names, key=lambda n: used[n])  # (max keeps the first of equals)
        for name in names:
            if name != kept:
                db.execute("UPDATE OR IGNORE article_labels SET label = ? WHERE label = ?", (kept, name))
                db.execute("DELETE FROM article_labels WHERE label = ?", (name,))
                db.execute("DELETE FROM labels WHERE name = ?", (name,))


def _tell_saved_searches_apart(db: sqlite3.Connection) -> None:
    """Saved searches whose names differ only in case: the first in the user's order keeps
    its name, each other one is given it with `` (2)``, `` (3)`` ... (their queries may
    differ: they are not merged)."""
    names = [row[0] for row in db.execute("SELECT name FROM saved_searches ORDER BY position, name").fetchall()]
    taken = {folding.name_key(n) for n in names}
    seen: set[str] = set()
    for name in names:
        key = folding.name_key(name)
        if key not in seen:
            seen.add(key)
            continue
        n = 2
        while folding.name_key(f"{name} ({n})") in taken:
            n += 1
        db.execute("UPDATE saved_searches SET name = ? WHERE name = ?", (f"{name} ({n})", name))
        taken.add(folding.name_key(f"{name} ({n})"))


def _to_nfc_names(db: sqlite3.Connection) -> None:
    """Version 11: topic, source and label names in one Unicode spelling (NFC), as documents
    are read now ("Café" with "é" or with "e" and a combining accent is one name). A file whose
    article's source or topics, or whose taxonomy entry's name, is spelled otherwise is read
    again at its folder's next sync (its size is forgotten); labels are renamed in place (two
    spellings of one label become one)."""
    db.create_function("nfc", 1, folding.nfc, deterministic=True)
    _run(db, """UPDATE files SET size = -1 WHERE article IN (
    SELECT id FROM articles WHERE provider <> nfc(provider) OR topics <> nfc(topics)
    UNION ALL SELECT id FROM taxonomy WHERE name <> nfc(name));
UPDATE OR IGNORE labels SET name = nfc(name) WHERE name <> nfc(name);
DELETE FROM labels WHERE name <> nfc(name);
UPDATE OR IGNORE article_labels SET label = nfc(label) WHERE label <> nfc(label);
DELETE FROM article_labels WHERE label <> nfc(label);
""")
    for name, actions in db.execute("SELECT name, actions FROM saved_searches WHERE actions <> '[]'").fetchall():
        stored = json.loads(actions)
        spelled = [folding.nfc(action) for action in stored]  # (a rule's label:NAME)
        if spelled != stored:
            db.execute("UPDATE saved_searches SET actions = ? WHERE name = ?", (json.dumps(list(dict.fromkeys(spelled))), name))


#: Schema version -> the step that upgrades a file of the version before it.
UPGRADES: dict[int, Callable[[sqlite3.Connection], None]] = {
    2: _to_entries,
    3: _to_subscriptions,
    4: _to_first_stories,
    5: _to_relative_copies,
    6: _to_stories,
    7: _to_user_views,
    8: _to_fulltexts,
    9: _to_lasting_rowids,
    10: _to_folding,
    11: _to_nfc_names,
}


#: The columns of ``articles_fts``, and the same of ``articles`` as they are indexed.
ARTICLES_FTS_COLUMNS = "title, excerpt, body, provider, domain, topics"
FOLDED_COLUMNS = ", ".join(f"search_text({c})" for c in ARTICLES_FTS_COLUMNS.split(", "))


def index_articles(db: sqlite3.Connection, after: int) -> None:
    """Add the articles with a rowid above ``after`` to the search index, in one statement."""
    db.execute(
        f"INSERT INTO articles_fts(rowid, {ARTICLES_FTS_COLUMNS}) SELECT rowid, {FOLDED_COLUMNS} FROM articles "
        "WHERE rowid > ?",
        (after,),
    )


def upgrade(db: sqlite3.Connection, version: int) -> None:
    """Bring ``db``, at schema ``version`` (0: a new file), to :data:`SCHEMA_VERSION`
    (inside the caller's transaction), each step setting the version it reaches."""
    if version == 0:
        create_all(db)
        return
    for target in range(version + 1, SCHEMA_VERSION + 1):
        UPGRADES[target](db)
        db.execute(f"PRAGMA user_version = {target}")


def _run(db: sqlite3.Connection, script: str) -> None:
    for statement in _statements(script):
        db.execute(statement)


def _statements(script: str) -> Iterator[str]:
    """The SQL statements of ``script`` one by one (a trigger's body stays whole)."""
    statement = ""
    for piece in script.split(";"):
        statement += piece + ";"
        if sqlite3.complete_statement(statement):
            if statement.strip(" \t\n;"):
                yield statement
            statement = ""
