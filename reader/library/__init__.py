"""The library: an SQLite index of parsed documents, the user's read/starred state, and
full-text search. Plain Python, no Qt; the window, the CLI and the tests drive this API.

One :class:`Library` wraps one connection and belongs to one thread; a background loader
opens its own. The database is in WAL mode, so a window can read while a loader writes.

Identity and state
    Articles are keyed by their stable id (see :mod:`reader.documents`). Read and starred
    state lives in its own table keyed by that id, so it survives re-parses, moves and an
    article disappearing and coming back. Each article also has a small integer ``rowid``
    that list models hold instead of objects.

Duplicates
    Two files that carry the same article (the same canonical URL) are one article that
    remembers both paths. When their contents differ, the most recently modified file
    wins (ties go to the path that sorts first); when it goes away the next one is read.

Scope
    Every query can be limited to the articles found under some files and folders
    (``scope``), so a window opened on one folder shows that folder while the library keeps
    everything it has seen.

The package, one job a module:

* :mod:`~reader.library.values` — what the library takes and hands out (views, rows, counts);
* :mod:`~reader.library.schema` — every table, index and trigger; new files and upgrades;
* :mod:`~reader.library.database` — the connection: opening, read-only sessions, damaged
  files moved aside and rebuilt, write transactions;
* :mod:`~reader.library.sync` — files to rows, the full-text index, grouping into stories;
* :mod:`~reader.library.parsing` — the parse pool (worker processes);
* :mod:`~reader.library.reading` — rows, articles, counts, search;
* :mod:`~reader.library.marks` — read and starred;
* :mod:`~reader.library.labels`, :mod:`~reader.library.saved` and
  :mod:`~reader.library.rules` — the user's labels on articles, saved searches, and the
  rules that act on articles as they arrive; :mod:`~reader.library.transfer` carries them
  and the marks to another machine;
* :mod:`~reader.library.story_access` and :mod:`~reader.library.subscription_rows` — what
  :mod:`reader.stories` and :mod:`reader.subscriptions` read and write;
* :mod:`~reader.library.volume` — articles per day, week or month (see :mod:`reader.timeline`);
* :mod:`~reader.library.codec` — rows <-> :class:`~reader.article.Article`;
* :mod:`~reader.library.fulltext` — full texts fetched from articles' pages.

Only this package touches the connection.
"""

from __future__ import annotations

from reader.library.database import _guarded
from reader.library.fulltext import _FullTexts
from reader.library.marks import _Marks
from reader.library.transfer import _Transfer
from reader.library.schema import FTS_ALL, SCHEMA_VERSION
from reader.library.story_access import _Stories
from reader.library.subscription_rows import SUBSCRIPTION_COLUMNS, _SubscriptionRows
from reader.library.sync import BULK_INDEX_MIN_FILES, BULK_INDEX_STEP, _Sync
from reader.library.volume import _Volume
from reader.library.values import (
    DB_FILENAME, ENV_DATA_DIR, MARK_END, MARK_START, TODAY_SECONDS, Count, Counts, LibraryError, ListRow, Scope,
    SavedSearch, SearchHit, Sort, SyncBatch, SyncReport, Undo, View, ViewKind, default_data_dir, make_scope,
    today_bounds,
)  # fmt: skip

__all__ = [
    "BULK_INDEX_MIN_FILES", "BULK_INDEX_STEP", "DB_FILENAME", "ENV_DATA_DIR", "FTS_ALL", "MARK_END", "MARK_START",
    "SCHEMA_VERSION", "SUBSCRIPTION_COLUMNS", "TODAY_SECONDS", "Count", "Counts", "Library", "LibraryError", "ListRow",
    "SavedSearch", "Scope", "SearchHit", "Sort", "SyncBatch", "SyncReport", "Undo", "View", "ViewKind", "default_data_dir",
    "make_scope", "today_bounds",
]  # fmt: skip


class Library(_Sync, _Transfer, _Marks, _Stories, _SubscriptionRows, _FullTexts, _Volume):
    """An open library database. Use as a context manager or call :meth:`close`.

    One class made of parts, one module each (mixins over :class:`~.database._Database`,
    which holds the connection): every part needs the same connection, the same write
    transactions and the same recovery from a damaged file (which re-syncs and so reaches
    across parts), so passing one object between separate classes would only add a layer
    of forwarding; a caller still sees one object with one flat set of methods. Each part
    is read on its own in its module; this class only puts them together and guards them.
    """


#: Library methods that recover from a damaged file (every public method that reads or writes).
_GUARDED = (
    "sync", "sync_changes", "group_stories", "article_rowids", "rows", "row", "rowid_of", "article", "articles",
    "is_read", "is_starred", "paths", "problems", "taxonomies", "describe_topic", "describe_source", "counts",
    "search", "ranks", "set_read", "set_starred", "toggle_read", "toggle_starred", "mark_view_read", "undo", "stories",
    "mark_rows_read", "last_rowid", "story_rowids",
    "story_members", "story_context", "leads_story", "collapse_stories", "covers_library",
    "subscription_rows", "add_subscription", "remove_subscription", "rename_subscription", "record_subscription",
    "subscription_validators", "knows_file", "feed_files", "move_feed_file",
    "saved_searches", "saved_search", "save_search", "rename_search", "edit_search", "move_search", "delete_search",
    "labels", "add_labels", "labels_of", "set_labels", "label_articles", "rules", "set_rule", "apply_rule",
    "user_settings", "restore_user_settings", "marks", "restore_marks",
    "store_fulltext", "fulltext", "fulltexts", "article_id_for_url",
    "volume", "trends",
)  # fmt: skip
for _name in _GUARDED:
    setattr(Library, _name, _guarded(getattr(Library, _name)))
del _name
