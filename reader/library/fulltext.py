"""Full texts fetched from articles' pages (:mod:`reader.fulltext`): stored with the date
they were fetched, keyed by article id (so a full text outlives a re-read of its file, like
the marks), and searched from then on through an index of their own (``fulltexts_fts``)
that the search joins to the articles' (see :func:`match_source`)."""

from __future__ import annotations

import sqlite3

from reader.fulltext import FullText
from reader.library.codec import _ROW_COLUMNS, _list_row
from reader.library.reading import _Reading
from reader.library.values import Scope, SearchHit, Sort, View
from reader.search import Query


class _FullTexts(_Reading):
    """Stored full texts (methods of :class:`reader.library.Library`)."""

    def store_fulltext(self, article_id: str, full: FullText, title: str = "") -> None:
        """Keep ``full`` as the full text of ``article_id`` (replacing an earlier one)."""
        with self._transaction() as db:
            db.execute(
                "INSERT INTO fulltexts(id, url, fetched, title, text, data) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(id) DO UPDATE SET url = excluded.url, fetched = excluded.fetched, "
                "title = excluded.title, text = excluded.text, data = excluded.data",
                (article_id, full.url, full.fetched, title, full.text, full.to_json()),
            )

    def fulltext(self, article_id: str) -> FullText | None:
        """The stored full text of ``article_id``, or None."""
        row = self._db.execute("SELECT url, fetched, data FROM fulltexts WHERE id = ?", (article_id,)).fetchone()
        return FullText.from_json(row[0], row[1], row[2]) if row else None

    def fulltexts(self, article_ids: list[str]) -> dict[str, FullText]:
        """The stored full texts of those of ``article_ids`` that have one."""
        found: dict[str, FullText] = {}
        for start in range(0, len(article_ids), 500):
            chunk = article_ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for article_id, url, fetched, data in self._db.execute(
                f"SELECT id, url, fetched, data FROM fulltexts WHERE id IN ({marks})", chunk
            ):
                found[article_id] = FullText.from_json(url, fetched, data)
        return found

    def article_id_for_url(self, url: str) -> str | None:
        """The id of an article whose link is ``url``, or None."""
        row = self._db.execute("SELECT id FROM articles WHERE url = ? ORDER BY rowid LIMIT 1", (url,)).fetchone()
        return str(row[0]) if row else None


#: The condition an article of ``entries a`` meets when the words (the match expression,
#: twice) are in its own text or in its full text; for orders other than rank.
MATCH_EITHER = (
    "a.rowid IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? UNION SELECT w.rowid FROM fulltexts_fts "
    "JOIN fulltexts f ON f.rowid = fulltexts_fts.rowid JOIN articles w ON w.id = f.id WHERE fulltexts_fts MATCH ?)"
)


def match_source() -> tuple[str, str]:
    """For a search with words, when the library holds full texts: the FROM clause that
    finds the articles matching the words in their own text or in their full text (each
    article once, with the better rank), and the ORDER BY term for rank. Its SQL takes the
    match expression twice (the articles', the full texts'). Snippets are made afterwards
    for the rows shown only (:func:`snippets`): made for every match, they cost a search
    of a common prefix seconds."""
    source = (
        "(SELECT rowid, min(rank) AS rank FROM ("
        "SELECT rowid, rank FROM articles_fts WHERE articles_fts MATCH ? "
        "UNION ALL SELECT w.rowid, fulltexts_fts.rank "
        "FROM fulltexts_fts JOIN fulltexts f ON f.rowid = fulltexts_fts.rowid JOIN articles w ON w.id = f.id "
        "WHERE fulltexts_fts MATCH ?) GROUP BY rowid) m JOIN entries a ON a.rowid = m.rowid"
    )
    return source, "m.rank"


def snippets(db: sqlite3.Connection, match: str, rowids: list[int]) -> dict[int, str]:
    """The snippet of each article of ``rowids`` for ``match``: from its own text, else
    from its full text. (One pass over each index's matches, the snippet made only for
    these rows: a query per row would expand a prefix such as ``a*`` again each time.)"""
    from reader.folding import SPACER
    from reader.library.values import MARK_END, MARK_START

    if not rowids:
        return {}
    marks = f"'{MARK_START}', '{MARK_END}', '…', 16"
    shown = ",".join(str(int(rowid)) for rowid in rowids)
    found: dict[int, str] = {}
    for rowid, text in db.execute(
        f"SELECT * FROM (SELECT rowid, CASE WHEN rowid IN ({shown}) THEN snippet(articles_fts, -1, {marks}) END AS s "
        "FROM articles_fts WHERE articles_fts MATCH ?) WHERE s IS NOT NULL",
        (match,),
    ):
        found[rowid] = str(text).replace(SPACER, "")
    if len(found) < len(rowids):
        for rowid, text in db.execute(
            f"SELECT * FROM (SELECT w.rowid, CASE WHEN w.rowid IN ({shown}) THEN snippet(fulltexts_fts, -1, {marks}) END AS s "
            "FROM fulltexts_fts JOIN fulltexts f ON f.rowid = fulltexts_fts.rowid JOIN articles w ON w.id = f.id "
            "WHERE fulltexts_fts MATCH ?) WHERE s IS NOT NULL",
            (match,),
        ):
            found.setdefault(rowid, str(text).replace(SPACER, ""))
    return found


def search_with_fulltexts(
    library: _Reading, query: Query | None, match: str, sort: Sort, scope: Scope | None, limit: int | None, view: View
) -> list[SearchHit]:
    """:meth:`~reader.library.Library.search` for a query with words (whether or not the
    library holds full texts): the matching rows first (narrow: the list's table only),
    then the wide columns and the snippets of those shown. (Joined to the wide rows and
    with a snippet made for every match, a ranked search of a common prefix such as
    ``com*`` took twice as long.) ``match`` is the words the snippets show: the query's,
    with those of the saved search in a saved search's view."""
    sql, params = library._select("a.rowid", view, query, sort, scope)
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    db = library._db
    rowids = [row[0] for row in db.execute(sql, params)]
    found: dict[int, SearchHit] = {}
    for start in range(0, len(rowids), 500):
        chunk = rowids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for row in db.execute(
            f"SELECT {_ROW_COLUMNS}, w.url, w.topics FROM entries a JOIN articles w ON w.rowid = a.rowid "
            f"WHERE a.rowid IN ({marks})",
            chunk,
        ):
            topics = tuple(t for t in row[12].split("\n") if t)
            found[row[0]] = SearchHit(_list_row(row), row[11], topics, "")
    texts = snippets(db, match, rowids)
    return [SearchHit(hit.row, hit.url, hit.topics, texts.get(rowid, "")) for rowid in rowids if (hit := found.get(rowid))]
