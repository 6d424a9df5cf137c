"""Rules: a saved search that carries actions, applied to articles as they arrive (on a
sync, a refresh, a folder watcher's change), in the same transaction that stores them.

Actions: ``read`` (mark read), ``star``, ``hide`` (hide from All and Unread; the article
stays in its saved search and its other views, and searches typed in All or Unread leave it
out) and ``label:NAME`` (add a label).

Each article is looked at once, when it first arrives: the ids the rules have seen are kept
(``rules_seen``), so an article read again, moved, or gone and back is not acted on again.
Articles in the library when a rule is made are seen already: a rule never touches them,
unless the user asks to apply it to them (:meth:`_Rules.apply_rule`, which can be undone).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence

from reader.library.labels import LABEL_COLUMN, clean_label, spelled_label
from reader.library.marks import _Marks
from reader.library.saved import _SavedSearches
from reader.library.schema import ARTICLES_FTS_COLUMNS, FOLDED_COLUMNS
from reader.library.values import LibraryError, SavedSearch, Undo
from reader.search import Query, parse_query

#: The actions a rule can take (besides ``label:NAME``).
ACTIONS = ("read", "star", "hide")


def check_actions(actions: Iterable[str]) -> tuple[str, ...]:
    """``actions`` as stored (duplicates dropped); raises LibraryError for an unknown one."""
    clean: list[str] = []
    for action in actions:
        if action.lower().startswith(LABEL_COLUMN):
            action = LABEL_COLUMN + clean_label(action[len(LABEL_COLUMN) :])
        elif action.lower() in ACTIONS:
            action = action.lower()
        else:
            raise LibraryError(f"unknown rule action {action!r} (known: {', '.join(ACTIONS)}, label:NAME)")
        if action not in clean:
            clean.append(action)
    return tuple(clean)


def apply_to_arriving(db: sqlite3.Connection, ids: Sequence[str]) -> None:
    """Apply every rule to the articles ``ids`` just stored (inside the caller's
    transaction), those the rules have not seen before; one query per rule, over them only."""
    if not ids or not db.execute("SELECT 1 FROM saved_searches WHERE actions != '[]' LIMIT 1").fetchone():
        return
    db.execute("CREATE TEMP TABLE IF NOT EXISTS rules_new (rowid INTEGER PRIMARY KEY)")
    db.execute("DELETE FROM temp.rules_new")
    db.execute(
        "INSERT OR IGNORE INTO temp.rules_new SELECT w.rowid FROM json_each(?) j JOIN articles w ON w.id = j.value "
        "WHERE j.value NOT IN (SELECT id FROM rules_seen)",
        (json.dumps(list(ids)),),
    )
    if not db.execute("SELECT 1 FROM temp.rules_new LIMIT 1").fetchone():
        return
    db.execute("INSERT OR IGNORE INTO rules_seen(id) SELECT w.id FROM temp.rules_new n JOIN articles w ON w.rowid = n.rowid")
    text_index = False
    for name, text, actions in db.execute(
        "SELECT name, query, actions FROM saved_searches WHERE actions != '[]' ORDER BY position"
    ).fetchall():
        query = _parsed(text)
        if query is None:
            continue
        if (query.match or any("articles_fts" in w for w in query.where)) and not text_index:
            _index_arriving(db)  # (a big sync indexes its text in bulk later: these are not in it yet)
            text_index = True
        matched = _matching(db, query, "a.rowid IN temp.rules_new")
        if matched:
            _act(db, matched, json.loads(actions))
            db.execute("UPDATE saved_searches SET acted = acted + ? WHERE name = ?", (len(matched), name))


def _index_arriving(db: sqlite3.Connection) -> None:
    """The searchable text of the arriving articles, in a temporary full-text index of its own."""
    db.execute(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.rules_fts USING fts5({ARTICLES_FTS_COLUMNS}, "
        "tokenize='unicode61 remove_diacritics 2')"
    )
    db.execute("DELETE FROM temp.rules_fts")
    db.execute(
        f"INSERT INTO temp.rules_fts(rowid, {ARTICLES_FTS_COLUMNS}) SELECT rowid, {FOLDED_COLUMNS} FROM articles "
        "WHERE rowid IN temp.rules_new"
    )


def _matching(db: sqlite3.Connection, query: Query, within: str) -> list[str]:
    """The ids of the articles ``within`` (a condition on ``entries a``) that match ``query``,
    its words looked up in the arriving articles' index (:func:`_index_arriving`)."""
    where = [within, *(w.replace("articles_fts", "rules_fts") for w in query.where)]
    params: list[object] = list(query.params)
    source = "entries a"
    if query.match:
        source = "rules_fts JOIN entries a ON a.rowid = rules_fts.rowid"
        where.insert(0, "rules_fts MATCH ?")
        params.insert(0, query.match)
    return [row[0] for row in db.execute(f"SELECT a.id FROM {source} WHERE {' AND '.join(where)}", params)]


def _act(db: sqlite3.Connection, ids: list[str], actions: Iterable[str]) -> list[Undo]:
    """Do ``actions`` to the articles ``ids``; what undoes each change (only the articles it changed)."""
    payload = json.dumps(ids)
    steps: list[Undo] = []
    for action in actions:
        if action in ("read", "star"):
            column = "read" if action == "read" else "starred"
            changed = [r[0] for r in db.execute(
                f"SELECT a.id FROM entries a WHERE a.{column} = 0 AND a.id IN (SELECT value FROM json_each(?))", (payload,)
            )]  # fmt: skip
            db.execute(
                f"UPDATE entries SET {column} = 1 WHERE rowid IN "
                "(SELECT w.rowid FROM articles w WHERE w.id IN (SELECT value FROM json_each(?)))",
                (payload,),
            )
            steps.append(Undo(tuple(changed), column, False))
        elif action == "hide":
            changed = [r[0] for r in db.execute(
                "SELECT value FROM json_each(?) WHERE value NOT IN (SELECT id FROM hidden)", (payload,)
            )]  # fmt: skip
            db.execute("INSERT OR IGNORE INTO hidden(id) SELECT value FROM json_each(?)", (payload,))
            steps.append(Undo(tuple(changed), "hidden", False))
        elif action.startswith(LABEL_COLUMN):
            label = action[len(LABEL_COLUMN) :]
            label = spelled_label(db, label)
            changed = [r[0] for r in db.execute(
                "SELECT value FROM json_each(?) WHERE value NOT IN (SELECT id FROM article_labels WHERE label = ?)",
                (payload, label),
            )]  # fmt: skip
            db.execute("INSERT OR IGNORE INTO article_labels(label, id) SELECT ?, value FROM json_each(?)", (label, payload))
            steps.append(Undo(tuple(changed), LABEL_COLUMN + label, False))
    return [step for step in steps if step.ids]


def _parsed(text: str) -> Query | None:
    try:
        return parse_query(text)
    except ValueError:
        return None


class _Rules(_SavedSearches, _Marks):
    """Rules (methods of :class:`reader.library.Library`)."""

    def rules(self) -> list[SavedSearch]:
        """The saved searches that carry actions, in the user's order."""
        return [s for s in self.saved_searches() if s.actions]

    def set_rule(self, name: str, actions: Iterable[str]) -> SavedSearch:
        """Give the saved search ``name`` these ``actions`` (none: no rule). Articles in the
        library now are left alone (see :meth:`apply_rule`)."""
        clean = check_actions(actions)
        with self._transaction(urgent=True) as db:
            found = db.execute("SELECT name, query, acted FROM saved_searches WHERE name = ?", (name,)).fetchone()
            if found is None:
                raise LibraryError(f"there is no saved search called {name!r}")
            db.execute("UPDATE saved_searches SET actions = ? WHERE name = ?", (json.dumps(list(clean)), name))
            # Everything here now was here before the rule: it acts only on what arrives from now on.
            db.execute("INSERT OR IGNORE INTO rules_seen(id) SELECT id FROM articles")
        return SavedSearch(found[0], found[1], clean, found[2])

    def apply_rule(self, name: str) -> Undo:
        """Apply the rule of the saved search ``name`` to the articles in the library that
        match it now; returns what :meth:`undo` takes to put them back as they were."""
        with self._transaction(urgent=True) as db:
            found = db.execute("SELECT query, actions FROM saved_searches WHERE name = ?", (name,)).fetchone()
            if found is None:
                raise LibraryError(f"there is no saved search called {name!r}")
            query = _parsed(found[0])
            if query is None:
                raise LibraryError(f"the query of {name!r} is not understood: {found[0]!r}")
            # The articles its saved search lists: words in their own text or in a fetched full text.
            where, params = self._conditions(query)
            matched = [row[0] for row in db.execute(f"SELECT a.id FROM entries a WHERE {' AND '.join(where) or '1'}", params)]
            steps = _act(db, matched, json.loads(found[1]))
        if not steps:
            return Undo((), "read", False)
        return Undo(steps[0].ids, steps[0].column, steps[0].previous, tuple(steps[1:]))
