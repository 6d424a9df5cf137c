"""Marks: read and starred, one article or a whole view at a time, and undo."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable, Sequence

from reader.library.codec import _IN_JSON
from reader.library.labels import LABEL_COLUMN, _Labels
from reader.library.reading import _Reading
from reader.library.values import Scope, Sort, Undo, View
from reader.search import Query


class _Marks(_Labels, _Reading):
    """Read and starred marks (methods of :class:`reader.library.Library`)."""

    def set_read(self, ids: Iterable[str], read: bool = True) -> None:
        self._set_state(list(ids), "read", read)

    def set_starred(self, ids: Iterable[str], starred: bool = True) -> None:
        self._set_state(list(ids), "starred", starred)

    def toggle_read(self, article_id: str) -> bool:
        """Flip read/unread; returns the new value."""
        value = not self.is_read(article_id)
        self.set_read([article_id], value)
        return value

    def toggle_starred(self, article_id: str) -> bool:
        value = not self.is_starred(article_id)
        self.set_starred([article_id], value)
        return value

    def mark_view_read(
        self, view: View = View(), *, query: Query | str | None = None, scope: Scope | None = None,
        stories: bool = False,
    ) -> Undo:
        """Mark every unread article ``view`` (and ``query``, within ``scope``) holds when
        this runs read, in one statement; undo with :meth:`undo`. That is the view as it is
        now, articles another process added a moment ago included: to mark what a list
        showed, and nothing that arrived since, use :meth:`mark_rows_read` with its rowids.
        ``stories``: with every copy of their stories (the view's rows stand for their
        stories: stories collapsed), wherever those are."""
        sql, params = self._select("a.rowid", view, query, Sort.NEWEST, scope, unread_only=not stories)
        sql = sql[: sql.rindex(" ORDER BY ")]  # order does not matter here
        plain = "SELECT a.rowid FROM entries a WHERE "
        with self._transaction(urgent=True) as db:
            if sql.startswith(plain) and not stories:  # no search words: straight over the narrow entries
                return self._mark_where_read(sql.removeprefix(plain), params)
            _fill_marked(db, sql, params)  # the full-text match (or the view's articles), once
            if stories:
                _add_copies(db)
            return self._mark_where_read(_MARKED_UNREAD, [])

    def mark_rows_read(self, rowids: Sequence[int], *, stories: bool = False, upto: int | None = None) -> Undo:
        """Mark the articles at ``rowids`` read, and no other: a list as it was shown
        (:meth:`article_rowids`), whatever the view holds now. Those still unread and still
        at those rowids are marked, in one transaction; undo with :meth:`undo`.
        ``stories``: each rowid stands for its story (stories collapsed,
        :meth:`collapse_stories`), so every copy of it is marked too, wherever it is listed
        -- but not a copy with a rowid above ``upto`` (:meth:`last_rowid` read before the
        list was: an article added since, which the row did not stand for when it was shown;
        None: every copy)."""
        with self._transaction(urgent=True) as db:
            # (in order: a table filled in the order of its key takes half the time)
            _fill_marked(db, "SELECT value FROM json_each(?)", [json.dumps(sorted(rowids))])
            if stories:
                _add_copies(db, upto)
            return self._mark_where_read(_MARKED_UNREAD, [])

    def last_rowid(self) -> int:
        """The largest rowid an article has now (0: none). Articles added later get larger
        rowids (a rowid is never given twice, not even the largest one of an article removed):
        read it before a list to tell them apart (see :meth:`mark_rows_read`)."""
        return int(self._db.execute("SELECT coalesce(max(rowid), 0) FROM entries").fetchone()[0])

    def _mark_where_read(self, where: str, params: Sequence[object]) -> Undo:
        """Mark the articles of ``entries a`` that match ``where`` read (inside a write
        transaction); the Undo that puts them back."""
        # One string rather than 100,000 rows: several times faster to fetch.
        joined = self._db.execute(f"SELECT group_concat(a.id, char(10)) FROM entries a WHERE {where}", params).fetchone()[0]
        self._db.execute(f"UPDATE entries AS a SET read = 1 WHERE {where}", params)
        ids = joined.split("\n") if joined else []
        return Undo(tuple(ids), "read", False)

    def undo(self, undo: Undo) -> None:
        """Put back what ``undo`` (and the changes it carries in ``also``) changed, at once."""
        with self._transaction(urgent=True):
            for step in (undo, *undo.also):
                if step.column.startswith(LABEL_COLUMN):
                    self._write_label(list(step.ids), step.column.removeprefix(LABEL_COLUMN), step.previous)
                elif step.column == "hidden":
                    self._write_hidden(list(step.ids), step.previous)
                else:
                    self._write_state(list(step.ids), step.column, step.previous)

    def _set_state(self, ids: list[str], column: str, value: bool) -> None:
        with self._transaction(urgent=True):
            self._write_state(ids, column, value)

    def _write_hidden(self, ids: list[str], hidden: bool) -> None:
        """Hide articles from All and Unread (a rule's action), or show them again."""
        payload = json.dumps(ids)
        if hidden:
            self._db.execute("INSERT OR IGNORE INTO hidden(id) SELECT value FROM json_each(?)", (payload,))
        else:
            self._db.execute("DELETE FROM hidden WHERE id IN (SELECT value FROM json_each(?))", (payload,))

    def _write_state(self, ids: list[str], column: str, value: bool) -> None:
        assert column in ("read", "starred")
        payload = json.dumps(ids)
        self._db.execute(
            _IN_JSON.format(f"UPDATE entries SET {column} = ? WHERE rowid IN (SELECT rowid FROM articles WHERE id IN") + ")",
            (int(value), payload),
        )
        # Ids not in the library (yet): kept, and given to the article when it arrives.
        self._db.execute(
            f"INSERT INTO state(id, {column}, changed) SELECT value, ?, ? FROM json_each(?) "
            "WHERE value NOT IN (SELECT id FROM articles) "
            f"ON CONFLICT(id) DO UPDATE SET {column} = excluded.{column}, changed = excluded.changed",
            (int(value), time.time(), payload),
        )


#: The articles of the temporary table ``marked`` not read yet (a condition on ``entries a``).
_MARKED_UNREAD = "a.rowid IN temp.marked AND a.read = 0"


def _fill_marked(db: sqlite3.Connection, select: str, params: Sequence[object]) -> None:
    """Gather the rowids ``select`` gives, and only those, in the temporary table ``marked``."""
    db.execute("CREATE TEMP TABLE IF NOT EXISTS marked (rowid INTEGER PRIMARY KEY)")
    db.execute("DELETE FROM temp.marked")
    db.execute(f"INSERT OR IGNORE INTO temp.marked {select}", params)


def _add_copies(db: sqlite3.Connection, upto: int | None = None) -> None:
    """Add the other copies of the stories of the articles in ``marked``, wherever they are
    (none with a rowid above ``upto``). SQLite reads them all before it adds."""
    newer, params = ("", []) if upto is None else (" AND w.rowid <= ?", [upto])
    db.execute(
        "INSERT OR IGNORE INTO temp.marked SELECT w.rowid FROM entries e "
        "JOIN story_members m ON m.article = e.id JOIN story_members o ON o.story = m.story "
        f"JOIN articles w ON w.id = o.article WHERE e.rowid IN temp.marked{newer}",
        params,
    )
