"""Reading: list rows, whole articles, counts, search, problems and taxonomy, each within a
view, a query and a scope."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence

from reader import feeds, stories
from reader.article import Article, Problem, Taxonomy
from reader.filenames import restored, stored
from reader.folding import name_key
from reader.library.codec import _ARTICLE_COLUMNS, _IN_JSON, _ROW_COLUMNS, _article_from_row, _list_row, _taxonomy_from_row
from reader.library.database import _Database
from reader.library.values import (
    Count,
    Counts,
    ListRow,
    Scope,
    SearchHit,
    Sort,
    View,
    ViewKind,
    today_bounds,
)
from reader.search import Query, combine, parse_query

#: ORDER BY for each sort, on ``entries a``. (SQLite's DESC puts NULL last, so undated
#: articles come last in the newest-first order, which is the index ``entries_newest``.)
_ORDER = {
    Sort.NEWEST: "a.published DESC, a.title COLLATE NOCASE, a.rowid",
    Sort.OLDEST: "a.published IS NULL, a.published ASC, a.title COLLATE NOCASE, a.rowid",
    Sort.TITLE: "a.title COLLATE NOCASE, a.published DESC, a.rowid",
    Sort.SOURCE: "a.provider IS NULL, a.provider COLLATE NOCASE, a.published DESC, a.rowid",
    Sort.HEAT: "a.heat IS NULL, a.heat DESC, a.published DESC, a.rowid",
    Sort.QUALITY: "a.quality IS NULL, a.quality DESC, a.published DESC, a.rowid",
}


#: A search matching more articles than this is ordered newest first rather than by
#: relevance: ranking scores every match (some 2-3 µs each, so 50 ms at about 20,000).
RANKED_MATCHES_MAX = 20_000
#: The list's columns when each row stands for its whole story (stories collapsed).
_STORY_ROW_COLUMNS = _ROW_COLUMNS.replace("a.read,", f"{stories.READ_SQL},")

#: The rowids of the other documents of the story of the article whose rowid is the parameter.
STORY_OTHERS_SQL = (
    "SELECT w.rowid FROM story_members m JOIN story_members o ON o.story = m.story JOIN articles w ON w.id = o.article "
    "WHERE m.article = (SELECT id FROM articles WHERE rowid = ?) AND o.article != m.article"
)

#: Lower-cases ASCII letters only, as SQLite's NOCASE collation compares.
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


class _Reading(_Database):
    """Reading (methods of :class:`reader.library.Library`)."""

    def _scope_sql(self, scope: Scope | None) -> tuple[str, list[object]]:
        """The scope as a condition on ``articles a``.

        The rowids of the articles in scope are kept in a temporary table, rebuilt only
        when the library changed since (a commit here, or by another connection, such as a
        loader's), so per-action queries such as counts stay cheap on large libraries.
        """
        if scope is None:
            return "1", []
        version = self._state()
        if self._scope_cache is None or self._scope_cache[:2] != (scope, version):
            whole = self._covers_library(scope)
            if not whole:
                where, params = _article_scope_sql(scope)
                self._db.execute("CREATE TEMP TABLE IF NOT EXISTS scope_articles (rowid INTEGER PRIMARY KEY)")
                self._db.execute("DELETE FROM temp.scope_articles")
                self._db.execute(f"INSERT INTO temp.scope_articles SELECT a.rowid FROM entries a WHERE {where}", params)
            self._scope_cache = (scope, version, whole)
        return ("1", []) if self._scope_cache[2] else ("a.rowid IN temp.scope_articles", [])

    def covers_library(self, scope: Scope | None) -> bool:
        """Whether ``scope`` holds every file of the library (None: the whole library)."""
        return scope is None or self._covers_library(scope)

    def _story_scope(self, scope: Scope | None) -> str | None:
        """The scope as a condition on a story's documents ``e`` (the narrow ``entries``
        rows); None when it covers the whole library (no condition: Top stories is the
        stored leads, see :func:`reader.stories.top_sql`)."""
        where, params = self._scope_sql(scope)
        assert not params, "a story's scope is a condition without parameters"
        return None if where == "1" else where.replace("a.rowid", "e.rowid")

    def _covers_library(self, scope: Scope) -> bool:
        """Whether every file the library knows lies in ``scope`` (the usual case: the
        window shows the folders the library was made from). Then the scope needs no
        condition at all. One index probe per gap between the scope's paths."""
        pieces: list[tuple[str, str, bool]] = []  # (low, high, high included)
        for root in map(stored, scope):
            folder = root.rstrip(os.sep) + os.sep
            pieces.append((root, root, True))
            pieces.append((folder, folder[:-1] + chr(ord(os.sep) + 1), False))
        pieces.sort()
        edge, included = "", False  # everything below `edge` (and it, if included) is covered
        for low, high, high_included in pieces:
            if low > edge or (low == edge and not included):
                above = ">" if included else ">="
                found = self._db.execute(
                    f"SELECT 1 FROM files WHERE path {above} ? AND path < ? LIMIT 1", (edge, low)
                ).fetchone()
                if found:
                    return False
            if (high, high_included) > (edge, included):
                edge, included = high, high_included
        above = ">" if included else ">="
        return self._db.execute(f"SELECT 1 FROM files WHERE path {above} ? LIMIT 1", (edge,)).fetchone() is None

    def article_rowids(
        self,
        view: View = View(),
        *,
        query: Query | str | None = None,
        sort: Sort = Sort.NEWEST,
        scope: Scope | None = None,
        limit: int | None = None,
        opened: int | None = None,
        same_search: bool = False,
    ) -> list[int]:
        """The rowids of the articles in ``view`` (and matching ``query``), in order.
        ``opened``: the row of the article open, listed in its place while it is open
        (when it is within ``scope``) whatever the view's conditions, which marking it may
        have made it miss (read by opening it in Unread, unstarred in Starred); with
        ``same_search`` (the search it was listed by, asked for again) whatever the search's
        conditions too (``is:unread``). In Top stories, which lists a story once, only while
        no other document of its story is listed (its lead changed while it was open). Not
        with ``Sort.RANK``."""
        sql, params = self._select("a.rowid", view, query, sort, scope, opened=opened, same_search=same_search)
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [row[0] for row in self._db.execute(sql, params)]

    def rows(self, rowids: Sequence[int], stories: bool = False) -> dict[int, ListRow]:
        """List rows for ``rowids`` (those still in the library). ``stories``: each row
        stands for every copy of its story (stories collapsed), so it is read only when they
        all are."""
        sql = _IN_JSON.format(f"SELECT {_STORY_ROW_COLUMNS if stories else _ROW_COLUMNS} FROM entries a WHERE a.rowid IN")
        found = {row[0]: _list_row(row) for row in self._db.execute(sql, (json.dumps(list(rowids)),))}
        labels = self._labels_by_id([row.id for row in found.values()])
        if labels:
            found = {rowid: row._replace(labels=labels.get(row.id, ())) for rowid, row in found.items()}
        return found

    def _labels_by_id(self, ids: Sequence[str]) -> dict[str, tuple[str, ...]]:
        """The labels of the articles ``ids`` (those that have some), each set in name order."""
        labels: dict[str, list[str]] = {}
        sql = _IN_JSON.format("SELECT id, label FROM article_labels WHERE id IN") + " ORDER BY label COLLATE NOCASE"
        for article_id, label in self._db.execute(sql, (json.dumps(list(ids)),)):
            labels.setdefault(article_id, []).append(label)
        return {article_id: tuple(names) for article_id, names in labels.items()}

    def row(self, rowid: int) -> ListRow | None:
        return self.rows([rowid]).get(rowid)

    def rowid_of(self, article_id: str) -> int | None:
        found = self._db.execute("SELECT rowid FROM articles WHERE id = ?", (article_id,)).fetchone()
        return int(found[0]) if found else None

    def article(self, key: int | str) -> Article | None:
        """The whole article, by rowid or id."""
        column = "rowid" if isinstance(key, int) else "id"
        found = self._db.execute(f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE {column} = ?", (key,)).fetchone()
        return _article_from_row(found) if found else None

    def articles(self, rowids: Sequence[int]) -> dict[int, Article]:
        """Whole articles for ``rowids`` (those still in the library), in one query."""
        sql = _IN_JSON.format(f"SELECT rowid, {_ARTICLE_COLUMNS} FROM articles WHERE rowid IN")
        return {row[0]: _article_from_row(row[1:]) for row in self._db.execute(sql, (json.dumps(list(rowids)),))}

    def is_read(self, article_id: str) -> bool:
        return self._mark(article_id, "read")

    def is_starred(self, article_id: str) -> bool:
        return self._mark(article_id, "starred")

    def _mark(self, article_id: str, column: str) -> bool:
        """An article's mark: from its entry while it is in the library, else as kept."""
        assert column in ("read", "starred")
        found = self._db.execute(
            f"SELECT e.{column} FROM articles w JOIN entries e ON e.rowid = w.rowid WHERE w.id = ?", (article_id,)
        ).fetchone()
        if found is None:
            found = self._db.execute(f"SELECT {column} FROM state WHERE id = ?", (article_id,)).fetchone()
        return bool(found and found[0])

    def paths(self, article_id: str) -> list[str]:
        """Every file that carries the article."""
        return [restored(r[0]) for r in self._db.execute("SELECT path FROM files WHERE article = ? ORDER BY path", (article_id,))]

    def problems(self, scope: Scope | None = None) -> list[Problem]:
        where, params = _file_scope_sql(scope, "path")
        sql = f"SELECT path, problem FROM files WHERE kind = 'problem' AND {where} ORDER BY path"
        return [Problem(restored(path), reason) for path, reason in self._db.execute(sql, params)]

    def taxonomies(self) -> list[Taxonomy]:
        rows = self._db.execute(
            "SELECT id, taxonomy, name, domain, description, keywords, parents FROM taxonomy ORDER BY taxonomy, name"
        ).fetchall()
        return [_taxonomy_from_row(r) for r in rows]

    def describe_topic(self, name: str) -> Taxonomy | None:
        """The topic or tag definition whose name or id matches ``name``."""
        row = self._db.execute(
            "SELECT id, taxonomy, name, domain, description, keywords, parents FROM taxonomy "
            "WHERE taxonomy IN ('topic', 'tag') AND (name = ? OR id = ? OR id = ?) "
            "ORDER BY taxonomy = 'topic' DESC LIMIT 1",
            (name, f"topic:{name.lower()}", f"tag:{name.lower()}"),
        ).fetchone()
        return _taxonomy_from_row(row) if row else None

    def describe_source(self, name: str | None, domain: str | None = None) -> Taxonomy | None:
        """The organization definition matching a provider's domain or name."""
        row = self._db.execute(
            "SELECT id, taxonomy, name, domain, description, keywords, parents FROM taxonomy "
            "WHERE taxonomy = 'organization' AND (domain = ? OR name = ?) "
            "ORDER BY domain = ? DESC LIMIT 1",
            ((domain or "").lower(), name or "", (domain or "").lower()),
        ).fetchone()
        return _taxonomy_from_row(row) if row else None

    def counts(self, scope: Scope | None = None, now: float | None = None, collapsed: bool = False) -> Counts:
        """Total and unread counts for every view (``collapsed``: a Top story is unread while any
        copy of it is, as its row shows while stories are collapsed).

        Totals per source, language and topic come from indexes alone. Unread counts come
        from whichever is fewer, the read or the unread articles: one pass over those, so
        a library that is all unread (or all read) is counted about as fast as an empty one.
        """
        db = self._db
        where, params = self._scope_sql(scope)
        since, until = today_bounds(now)
        total, unread, starred, starred_unread, today, today_unread = db.execute(
            "SELECT count(*), total(read = 0), total(starred), total(starred AND read = 0), "
            "total(published BETWEEN ? AND ?), total(published BETWEEN ? AND ? AND read = 0) "
            f"FROM entries a NOT INDEXED WHERE {where}",
            (since, until, since, until, *params),
        ).fetchone()
        unread = int(unread)
        count_read = unread > total - unread  # then the read ones are fewer: count those
        few = "a.read = 1" if count_read else "a.read = 0"

        def tally(totals_sql: str, few_sql: str, fold: bool) -> dict[str, Count]:
            """{name: Count} from (name, n) rows of all articles and of the few."""

            def key(name: str) -> str:
                return name.translate(_ASCII_LOWER) if fold else name

            names: dict[str, str] = {}
            totals: dict[str, int] = {}
            for name, n in db.execute(totals_sql, params):
                if name:
                    names.setdefault(key(name), name)
                    totals[key(name)] = totals.get(key(name), 0) + n
            few_counts: dict[str, int] = {}
            for name, n in db.execute(few_sql, params):
                if name:
                    few_counts[key(name)] = few_counts.get(key(name), 0) + n
            return {
                names[k]: Count(n, n - few_counts.get(k, 0) if count_read else few_counts.get(k, 0))
                for k, n in totals.items()
            }

        # (GROUP BY ... COLLATE NOCASE walks the NOCASE index in order: no sorting.)
        sources = tally(
            f"SELECT a.provider, count(*) FROM entries a WHERE {where} GROUP BY a.provider COLLATE NOCASE",
            f"SELECT a.provider, count(*) FROM entries a NOT INDEXED WHERE {where} AND {few} GROUP BY a.provider",
            fold=True,
        )
        languages = tally(
            f"SELECT a.language, count(*) FROM entries a WHERE {where} GROUP BY a.language",
            f"SELECT a.language, count(*) FROM entries a NOT INDEXED WHERE {where} AND {few} GROUP BY a.language",
            fold=False,
        )
        topic_scope = where.replace("a.rowid", "t.article")
        topics = tally(
            f"SELECT t.topic, count(*) FROM article_topics t WHERE {topic_scope} GROUP BY t.topic COLLATE NOCASE",
            "SELECT t.topic, count(*) FROM entries a NOT INDEXED JOIN article_topics t INDEXED BY article_topics_article "
            f"ON t.article = a.rowid WHERE {where} AND {few} GROUP BY t.topic COLLATE NOCASE",
            fold=True,
        )
        top, top_unread = db.execute(
            f"SELECT count(*), total(NOT {stories.READ_SQL if collapsed else 'a.read'}) FROM entries a "
            f"WHERE {where} AND {stories.top_sql(self._story_scope(scope))}",
            params,
        ).fetchone()
        file_where, file_params = _file_scope_sql(scope, "path")
        problems = db.execute(f"SELECT count(*) FROM files WHERE kind = 'problem' AND {file_where}", file_params).fetchone()[0]
        # Articles a rule hid are not in All and Unread.
        hidden, hidden_unread = db.execute(
            "SELECT count(*), total(a.read = 0) FROM hidden h JOIN articles w ON w.id = h.id "
            f"JOIN entries a ON a.rowid = w.rowid WHERE {where}",
            params,
        ).fetchone()
        shown_unread = unread - int(hidden_unread)
        return Counts(
            all=Count(total - hidden, shown_unread),
            unread=Count(shown_unread, shown_unread),
            starred=Count(int(starred), int(starred_unread)),
            today=Count(int(today), int(today_unread)),
            topics=dict(sorted(topics.items(), key=lambda item: item[0].translate(_ASCII_LOWER))),
            sources=dict(sorted(sources.items(), key=lambda item: item[0].translate(_ASCII_LOWER))),
            languages=dict(sorted(languages.items())),
            problems=problems,
            feeds=self._feed_counts(),
            top=Count(int(top), int(top_unread)),
            saved=self._saved_counts(scope),
            labels=self._label_counts(where, params),
        )

    def _saved_counts(self, scope: Scope | None) -> dict[str, Count]:
        """Total and unread articles of every saved search, in the user's order: one count
        per search, over the narrow entries (and the full-text index when it has words)."""
        counts: dict[str, Count] = {}
        for (name,) in self._db.execute("SELECT name FROM saved_searches ORDER BY position, name").fetchall():
            sql, params = self._select("count(*), total(a.read = 0)", View(ViewKind.SAVED, name), None, Sort.NEWEST, scope)
            total, unread = self._db.execute(sql[: sql.rindex(" ORDER BY ")], params).fetchone()
            counts[name] = Count(total, int(unread))
        return counts

    def _label_counts(self, where: str, params: list[object]) -> dict[str, Count]:
        """Total and unread articles of every label (within the scope condition ``where``)."""
        found = {
            name: Count(total, int(unread))
            for name, total, unread in self._db.execute(
                "SELECT l.label, count(*), total(a.read = 0) FROM article_labels l JOIN articles w ON w.id = l.id "
                f"JOIN entries a ON a.rowid = w.rowid WHERE {where} GROUP BY l.label COLLATE NOCASE",
                params,
            )
        }
        names = [row[0] for row in self._db.execute("SELECT name FROM labels ORDER BY name COLLATE NOCASE")]
        by_key = {name_key(name): count for name, count in found.items()}
        return {name: by_key.get(name_key(name), Count()) for name in names}

    def _feed_counts(self) -> dict[str, Count]:
        """Entries and unread entries of every feed file of a subscription (by the copy's
        path, which is kept relative to the data folder)."""
        counts = {}
        root = stored(os.path.join(os.path.abspath(self.data_dir), ""))
        low, high = feeds.entry_range("")  # (what follows a feed file's path)
        for path, total, unread in self._db.execute(
            "SELECT ? || s.path, count(e.rowid), coalesce(sum(e.read = 0), 0) FROM subscriptions s "
            "LEFT JOIN files f ON f.path >= ? || s.path || ? AND f.path < ? || s.path || ? "
            "LEFT JOIN articles w ON w.id = f.article LEFT JOIN entries e ON e.rowid = w.rowid GROUP BY s.path",
            (root, root, low, root, high),
        ):
            counts[restored(path)] = Count(total, int(unread))
        return counts

    def search(
        self,
        query: Query | str | None,
        *,
        sort: Sort = Sort.RANK,
        scope: Scope | None = None,
        limit: int | None = 50,
        view: View = View(),
    ) -> list[SearchHit]:
        """Articles matching ``query`` in ``view``, with highlighted snippets: the rows
        :meth:`article_rowids` gives for the same view, query, sort and scope. In a saved
        search's view, ``query`` (None: nothing more) searches within the saved one."""
        parsed = parse_query(query) if isinstance(query, str) else query
        words = self._saved_query(view.value, parsed) if view.kind is ViewKind.SAVED else parsed
        if words is not None and words.match:  # the rows shown first, then their wide columns and snippets
            from reader.library.fulltext import search_with_fulltexts

            return search_with_fulltexts(self, parsed, words.match, sort, scope, limit, view)
        columns = f"{_ROW_COLUMNS}, w.url, w.topics, w.excerpt"
        sql, params = self._select(columns, view, parsed, sort, scope, wide=True)
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        hits = []
        for row in self._db.execute(sql, params):
            topics = tuple(t for t in row[12].split("\n") if t)
            hits.append(SearchHit(_list_row(row), row[11], topics, row[13] or ""))
        return hits

    def _select(
        self,
        columns: str,
        view: View,
        query: Query | str | None,
        sort: Sort,
        scope: Scope | None,
        *,
        unread_only: bool = False,
        wide: bool = False,
        opened: int | None = None,
        same_search: bool = False,
    ) -> tuple[str, list[object]]:
        """SELECT ``columns`` FROM ``entries a`` (joined with the wide ``articles w`` when
        ``wide``, and with the full-text index when the query has words); ``opened`` and
        ``same_search``: see :meth:`article_rowids`."""
        parsed = parse_query(query) if isinstance(query, str) else query
        if opened is not None and sort is not Sort.RANK and not unread_only:
            return self._select_keeping(columns, view, parsed, sort, scope, opened, same_search, wide)
        if view.kind is ViewKind.SAVED:  # the saved query, searched further by ``query``
            parsed = self._saved_query(view.value, parsed)
            view_sql, view_params = "", list[object]()  # (articles a rule hid from All stay in their saved search)
        elif view.kind is ViewKind.TOP:  # (within a scope, each story by its lead there)
            view_sql, view_params = stories.top_sql(self._story_scope(scope)), []
        else:
            view_sql, view_params = _view_sql(view)
        where: list[str] = ["a.read = 0"] if unread_only else []
        params: list[object] = []
        if view_sql:
            where.append(view_sql)
            params.extend(view_params)
        if scope is not None:
            scope_sql, scope_params = self._scope_sql(scope)
            where.append(scope_sql)
            params.extend(scope_params)
        source = "entries a"
        order = _ORDER.get(sort, _ORDER[Sort.NEWEST])
        if view.kind is ViewKind.TOP and sort in (Sort.NEWEST, Sort.RANK):
            order = stories.top_order(self._story_scope(scope))
        if parsed is not None:
            if parsed.match and self._has_fulltexts():  # the words may be in a fetched full text
                from reader.library.fulltext import MATCH_EITHER, match_source

                if sort is Sort.RANK and self._rankable(parsed.match):
                    source, rank = match_source()
                    params[:0] = [parsed.match, parsed.match]
                    order = f"{rank}, a.published DESC, a.rowid"
                else:  # (no rank needed: a condition, cheaper)
                    where.insert(0, MATCH_EITHER)
                    params[:0] = [parsed.match, parsed.match]
            elif parsed.match and sort is Sort.RANK and not self._rankable(parsed.match):
                # Many matches, newest first: down the list's order, picking the matches
                # (the '+' keeps SQLite from looking each one up and sorting them all).
                where.insert(0, "+a.rowid IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)")
                params.insert(0, parsed.match)
            elif parsed.match:
                source = "articles_fts JOIN entries a ON a.rowid = articles_fts.rowid"
                where.insert(0, "articles_fts MATCH ?")
                params.insert(0, parsed.match)
                if sort is Sort.RANK:
                    order = "articles_fts.rank, a.published DESC, a.rowid"
            where.extend(parsed.where)
            params.extend(parsed.params)
        if wide:
            source += " JOIN articles w ON w.rowid = a.rowid"
        sql = f"SELECT {columns} FROM {source}"
        if where:
            sql += " WHERE " + " AND ".join(where)
        return sql + f" ORDER BY {order}", params

    def _select_keeping(
        self,
        columns: str,
        view: View,
        search: Query | None,
        sort: Sort,
        scope: Scope | None,
        opened: int,
        same_search: bool,
        wide: bool,
    ) -> tuple[str, list[object]]:
        """:meth:`_select` listing ``opened`` too, whatever the view's conditions (and the
        search's with ``same_search``): every condition in the WHERE clause (words too), so
        that one row can be let through them."""
        view_where: list[str]
        view_params: list[object]
        if view.kind is ViewKind.SAVED:
            view_where, view_params = self._conditions(self._saved_query(view.value, None))
        elif view.kind is ViewKind.TOP:
            view_where, view_params = [stories.top_sql(self._story_scope(scope))], []
        else:
            view_sql, view_params = _view_sql(view)
            view_where = [view_sql]
        search_where, search_params = self._conditions(search) if search is not None else ([], [])
        if same_search:
            view_where, view_params = view_where + search_where, view_params + search_params
            search_where, search_params = [], []
        kept = " AND ".join(view_where) or "1"
        scope_where: list[str] = []
        scope_params: list[object] = []
        if scope is not None:
            scope_sql, scope_params = self._scope_sql(scope)
            scope_where = [scope_sql]
        if view.kind is ViewKind.TOP and self._listed_by_another(
            opened, [*search_where, f"({kept})", *scope_where], [*search_params, *view_params, *scope_params]
        ):
            # Top Stories lists a story once: by another of its documents now (its lead
            # changed while the article was open), not beside it.
            return self._select(columns, view, search, sort, scope, wide=wide)
        where = [*search_where, f"(({kept}) OR a.rowid = ?)", *scope_where]
        params = [*search_params, *view_params, opened, *scope_params]
        order = _ORDER.get(sort, _ORDER[Sort.NEWEST])
        if view.kind is ViewKind.TOP and sort is Sort.NEWEST:
            order = stories.top_order(self._story_scope(scope))
        source = "entries a JOIN articles w ON w.rowid = a.rowid" if wide else "entries a"
        return f"SELECT {columns} FROM {source} WHERE {' AND '.join(where)} ORDER BY {order}", params

    def _listed_by_another(self, rowid: int, where: list[str], params: list[object]) -> bool:
        """Whether another document of the story of ``rowid`` meets the conditions ``where``
        (on ``entries a``, with ``params``): a row of the list stands for its story."""
        sql = f"SELECT 1 FROM entries a WHERE a.rowid IN ({STORY_OTHERS_SQL}) AND {' AND '.join(where)} LIMIT 1"
        return self._db.execute(sql, [rowid, *params]).fetchone() is not None

    def _conditions(self, query: Query) -> tuple[list[str], list[object]]:
        """``query`` as conditions on ``entries a`` (its words too, in their own text or
        in a fetched full text), with their parameters."""
        where: list[str] = []
        params: list[object] = []
        if query.match:
            if self._has_fulltexts():
                from reader.library.fulltext import MATCH_EITHER

                where.append(MATCH_EITHER)
                params.extend([query.match, query.match])
            else:
                where.append("a.rowid IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)")
                params.append(query.match)
        where.extend(query.where)
        params.extend(query.params)
        return where, params

    def _saved_query(self, name: str | None, query: Query | None) -> Query:
        """The query of the saved search ``name`` searched further by ``query`` (one that
        matches nothing when there is no such saved search)."""
        found = self._db.execute("SELECT query FROM saved_searches WHERE name = ?", (name,)).fetchone()
        return combine(_parsed(found[0]) if found else Query("", where=("0",)), query)

    def ranks(self, query: Query | str) -> bool:
        """Whether :meth:`search` with ``sort=Sort.RANK`` lists ``query``'s matches best
        first: a query of conditions only is listed newest first, and so is one with words
        matching more than :data:`RANKED_MATCHES_MAX` articles."""
        parsed = parse_query(query) if isinstance(query, str) else query
        if not parsed.match:
            return False
        return self._rankable(parsed.match)

    def _rankable(self, match: str) -> bool:
        """Whether the articles matching ``match`` are few enough to order by relevance:
        scoring is done for every match, so a search matching more than
        :data:`RANKED_MATCHES_MAX` articles (``com*`` or a very common word in a big
        library) is ordered newest first instead. Counted once while the library stays as
        it is (a search and the question whether it was ranked ask the same)."""
        version = (self._state(), RANKED_MATCHES_MAX)
        if self._rank_cache is not None and self._rank_cache[:2] == (match, version):
            return self._rank_cache[2]
        found = self._db.execute(
            "SELECT count(*) FROM (SELECT 1 FROM articles_fts WHERE articles_fts MATCH ? LIMIT ?)",
            (match, RANKED_MATCHES_MAX + 1),
        ).fetchone()[0]
        self._rank_cache = (match, version, int(found) <= RANKED_MATCHES_MAX)
        return self._rank_cache[2]

    def _has_fulltexts(self) -> bool:
        """Whether any full text was fetched (searches then look in them too)."""
        return bool(self._db.execute("SELECT EXISTS (SELECT 1 FROM fulltexts)").fetchone()[0])


def _view_sql(view: View) -> tuple[str, list[object]]:
    match view.kind:
        case ViewKind.ALL:  # (without the articles a rule hid)
            return _NOT_HIDDEN, []
        case ViewKind.UNREAD:
            return f"a.read = 0 AND {_NOT_HIDDEN}", []
        case ViewKind.STARRED:
            return "a.starred = 1", []
        case ViewKind.TODAY:
            return "a.published BETWEEN ? AND ?", list(today_bounds())  # (not what is dated after now)
        case ViewKind.TOPIC:
            return "a.rowid IN (SELECT t.article FROM article_topics t WHERE t.topic = ?)", [view.value]
        case ViewKind.SOURCE:
            return "a.provider = ? COLLATE NOCASE", [view.value]
        case ViewKind.LANGUAGE:
            return "a.language = ?", [view.value]
        case ViewKind.FEED:
            low, high = feeds.entry_range(stored(view.value or ""))
            return "a.rowid IN (SELECT w.rowid FROM files f JOIN articles w ON w.id = f.article WHERE f.path >= ? AND f.path < ?)", [low, high]
        case ViewKind.TOP:
            return stories.TOP_SQL, []
        case ViewKind.LABEL:
            return "a.id IN (SELECT l.id FROM article_labels l WHERE l.label = ?)", [view.value]
    raise ValueError(f"unknown view {view}")  # pragma: no cover


#: Not hidden from All and Unread by a rule (see reader.library.rules).
_NOT_HIDDEN = "a.id NOT IN (SELECT h.id FROM hidden h)"


def _parsed(text: str) -> Query:
    """A saved query as parsed now (one the language no longer takes matches nothing)."""
    try:
        return parse_query(text)
    except ValueError:
        return Query(text, where=("0",))


#: Most roots of a scope written as one condition each (more are passed as JSON).
_SCOPE_TERMS = 100


def _file_scope_sql(scope: Scope | None, column: str) -> tuple[str, list[object]]:
    """A condition on a files path column: the file is one of, or under one of, ``scope``."""
    if scope is None:
        return "1", []
    if not scope:
        return "0", []
    # Paths under a folder sort between folder + "/" and folder + "0" ("0" follows "/").
    ranges = [
        (root, folder, folder[:-1] + chr(ord(os.sep) + 1))
        for root in map(stored, scope)
        for folder in [root.rstrip(os.sep) + os.sep]
    ]
    if len(ranges) > _SCOPE_TERMS:
        # (a condition per root would pass SQLite's limit on an expression's depth, 1,000:
        # the roots as one JSON parameter, each looked up in the files' index)
        return (
            f"{column} IN (SELECT p.path FROM json_each(?) r JOIN files p "
            "ON p.path = json_extract(r.value, '$[0]') OR (p.path >= json_extract(r.value, '$[1]') "
            "AND p.path < json_extract(r.value, '$[2]')))"
        ), [json.dumps(ranges)]
    conditions = [f"({column} = ? OR ({column} >= ? AND {column} < ?))"] * len(ranges)
    return "(" + " OR ".join(conditions) + ")", [value for bounds in ranges for value in bounds]


def _article_scope_sql(scope: Scope | None) -> tuple[str, list[object]]:
    """The scope as a condition on articles (the slow, always-correct form)."""
    if scope is None:
        return "1", []
    where, params = _file_scope_sql(scope, "f.path")
    return f"a.id IN (SELECT f.article FROM files f WHERE {where})", params
