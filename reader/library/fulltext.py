"""Full texts fetched from articles' pages (:mod:`reader.fulltext`): stored with the date
they were fetched, keyed by article id (so a full text outlives a re-read of its file, like
the marks), and searched from then on through an index of their own (``fulltexts_fts``)
that the search joins to the articles' (see :func:`match_source`)."""

from __future__ import annotations

from reader.fulltext import FullText
from reader.library.reading import _Reading


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

    def forget_fulltext(self, article_id: str) -> bool:
        """Remove the stored full text of ``article_id``; whether there was one."""
        with self._transaction() as db:
            return db.execute("DELETE FROM fulltexts WHERE id = ?", (article_id,)).rowcount > 0

    def article_id_for_url(self, url: str) -> str | None:
        """The id of an article whose link is ``url``, or None."""
        row = self._db.execute("SELECT id FROM articles WHERE url = ? ORDER BY rowid LIMIT 1", (url,)).fetchone()
        return str(row[0]) if row else None


def match_source(snippet: bool) -> tuple[str, str, str]:
    """For a search with words, when the library holds full texts: the FROM clause that
    finds the articles matching the words in their own text or in their full text (each
    article once, the better rank kept), the ORDER BY term for rank, and the snippet
    column. Its SQL takes the match expression twice (the articles', the full texts')."""
    from reader.library.values import MARK_END, MARK_START

    def snip(table: str) -> str:
        return f", snippet({table}, -1, '{MARK_START}', '{MARK_END}', '…', 16) AS snip" if snippet else ""

    source = (
        "(SELECT rowid, min(rank) AS rank" + (", snip" if snippet else "") + " FROM ("
        f"SELECT rowid, rank{snip('articles_fts')} FROM articles_fts WHERE articles_fts MATCH ? "
        f"UNION ALL SELECT e.rowid, fulltexts_fts.rank{snip('fulltexts_fts')} "
        "FROM fulltexts_fts JOIN fulltexts f ON f.rowid = fulltexts_fts.rowid JOIN entries e ON e.id = f.id "
        "WHERE fulltexts_fts MATCH ?) GROUP BY rowid) m JOIN entries a ON a.rowid = m.rowid"
    )
    return source, "m.rank", "m.snip"
