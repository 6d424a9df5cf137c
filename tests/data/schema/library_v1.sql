-- A Reader library at schema version 1, the oldest one: the tables as version 1 of
-- Reader created them (written out here so that the upgrade tests do not
-- depend on the code they test). Written for Reader's tests; no third-party content.
CREATE TABLE articles (
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
    added REAL NOT NULL,
    read INTEGER NOT NULL DEFAULT 0,
    starred INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX articles_published ON articles(published);
CREATE INDEX articles_unread ON articles(read, published);
CREATE INDEX articles_starred ON articles(starred) WHERE starred;
CREATE INDEX articles_provider ON articles(provider COLLATE NOCASE);
CREATE INDEX articles_domain ON articles(domain);
CREATE INDEX articles_language ON articles(language);

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

CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, excerpt, body, provider, domain, topics,
    content='articles', content_rowid='rowid',
    tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles
WHEN new.rowid <= (SELECT value FROM meta WHERE key = 'fts_upto') BEGIN
    INSERT INTO articles_fts(rowid, title, excerpt, body, provider, domain, topics)
    VALUES (new.rowid, new.title, new.excerpt, new.body, new.provider, new.domain, new.topics);
END;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles
WHEN old.rowid <= (SELECT value FROM meta WHERE key = 'fts_upto') BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, excerpt, body, provider, domain, topics)
    VALUES ('delete', old.rowid, old.title, old.excerpt, old.body, old.provider, old.domain, old.topics);
END;
CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, excerpt, body, provider, domain, topics
ON articles WHEN old.rowid <= (SELECT value FROM meta WHERE key = 'fts_upto') BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, excerpt, body, provider, domain, topics)
    VALUES ('delete', old.rowid, old.title, old.excerpt, old.body, old.provider, old.domain, old.topics);
    INSERT INTO articles_fts(rowid, title, excerpt, body, provider, domain, topics)
    VALUES (new.rowid, new.title, new.excerpt, new.body, new.provider, new.domain, new.topics);
END;
PRAGMA user_version = 1;
