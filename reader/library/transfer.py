"""What the user made in the library, carried to another machine: saved searches (with
their rules) and label names (:func:`user_settings`), and the marks on articles — read,
starred and labels — by article id and URL (:func:`marks`). Restoring checks everything
first and writes in one transaction: a file that cannot be used changes nothing."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from reader.folding import name_key
from reader.library.labels import clean_label, spelled_label
from reader.library.rules import _Rules, check_actions
from reader.library.values import LibraryError, SavedSearch
from reader.search import QueryError, parse_query, with_not_as_word


@dataclass(frozen=True, slots=True)
class MarkedArticle:
    """The user's marks on one article, as carried between machines."""

    id: str
    url: str | None
    read: bool
    starred: bool
    labels: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class MarksRestored:
    by_id: int  #: articles found by their id
    by_url: int  #: articles found by their URL (another id here)
    kept: int  #: not in the library, with marks: kept by id for the day they arrive
    seen: int = 0  #: not in the library and without marks: only noted as seen by the rules


def check_saved_searches(items: Any, not_as_word: bool = False) -> list[SavedSearch]:
    """``items`` (from a settings file) as saved searches; raises ValueError saying what is wrong.
    ``not_as_word``: the file was written by a Reader that searched a capital NOT as a word
    (:func:`reader.search.with_not_as_word` keeps what its queries find)."""
    if not isinstance(items, list):
        raise ValueError("saved_searches must be a list")
    found: list[SavedSearch] = []
    names: set[str] = set()
    for n, item in enumerate(items, 1):
        where = f"saved search {n}"
        if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not isinstance(item.get("query"), str):
            raise ValueError(f"{where}: needs a name and a query (text)")
        name = " ".join(item["name"].split())
        if not name or name_key(name) in names:
            raise ValueError(f"{where}: its name is empty or given twice")
        names.add(name_key(name))
        # (a query this Reader does not understand, as one written for another version, is
        # kept as the library keeps one: it matches nothing and its rule acts on nothing
        # until it is edited; see :func:`not_understood`)
        actions = item.get("actions", [])
        if not isinstance(actions, list) or not all(isinstance(a, str) for a in actions):
            raise ValueError(f"{where} ({name}): actions must be a list of texts")
        try:
            query = item["query"].strip()
            found.append(SavedSearch(name, with_not_as_word(query) if not_as_word else query, check_actions(actions)))
        except LibraryError as error:
            raise ValueError(f"{where} ({name}): {error}") from None
    return found


def not_understood(saved: Sequence[SavedSearch]) -> list[tuple[SavedSearch, str]]:
    """The saved searches of ``saved`` whose query this Reader does not understand, each
    with what is wrong with it."""
    found = []
    for search in saved:
        try:
            parse_query(search.query)
        except QueryError as error:
            found.append((search, str(error)))
    return found


def check_labels(items: Any) -> list[str]:
    if not isinstance(items, list) or not all(isinstance(n, str) for n in items):
        raise ValueError("labels must be a list of names")
    try:
        return [clean_label(n) for n in items]
    except LibraryError as error:
        raise ValueError(f"labels: {error}") from None


def check_marks(items: Any) -> list[MarkedArticle]:
    """``items`` (from a marks file) as marked articles; raises ValueError saying what is wrong."""
    if not isinstance(items, list):
        raise ValueError("articles must be a list")
    found = []
    for n, item in enumerate(items, 1):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str) or not item["id"]:
            raise ValueError(f"article {n}: needs an id (text)")
        url, labels = item.get("url"), item.get("labels", [])
        if url is not None and not isinstance(url, str):
            raise ValueError(f"article {n}: url must be text or null")
        if not isinstance(item.get("read", False), bool) or not isinstance(item.get("starred", False), bool):
            raise ValueError(f"article {n}: read and starred must be true or false")
        try:
            names = tuple(check_labels(labels))
        except ValueError as error:
            raise ValueError(f"article {n}: {error}") from None
        found.append(MarkedArticle(item["id"], url, item.get("read", False), item.get("starred", False), names))
    return found


class _Transfer(_Rules):
    """Carrying the user's things (methods of :class:`reader.library.Library`)."""

    def user_settings(self) -> dict[str, Any]:
        """Saved searches (with their rules) and label names, as plain data for a settings file."""
        return {
            "saved_searches": [{"name": s.name, "query": s.query, "actions": list(s.actions)} for s in self.saved_searches()],
            "labels": self.labels(),
        }

    def restore_user_settings(self, saved: Sequence[SavedSearch], labels: Sequence[str]) -> None:
        """Add or replace (by name) these saved searches, first in the order, and add these
        labels, in one transaction (checked before: see :func:`check_saved_searches`).
        Rules act only on articles that arrive afterwards."""
        with self._transaction(urgent=True) as db:
            new_names = {name_key(s.name): s.name for s in saved}
            others = []
            for (name,) in db.execute("SELECT name FROM saved_searches ORDER BY position, name").fetchall():
                if name_key(name) in new_names:  # (replaced below: the same name in another case is the same)
                    db.execute("UPDATE saved_searches SET name = ? WHERE name = ?", (new_names[name_key(name)], name))
                else:
                    others.append(name)
            for search in saved:
                db.execute(
                    "INSERT INTO saved_searches(name, query, position, actions) VALUES (?, ?, 0, ?) "
                    "ON CONFLICT(name) DO UPDATE SET name = excluded.name, query = excluded.query, actions = excluded.actions",
                    (search.name, search.query, json.dumps(list(search.actions))),
                )
            order = [s.name for s in saved] + others
            db.executemany("UPDATE saved_searches SET position = ? WHERE name = ?", list(enumerate(order, 1)))
            for label in labels:
                spelled_label(db, label)
            if any(s.actions for s in saved):
                db.execute("INSERT OR IGNORE INTO rules_seen(id) SELECT id FROM articles")

    def marks(self) -> list[MarkedArticle]:
        """Every article this library has seen — each in the library, each kept for when it
        comes back (it has a mark, or the rules have seen it) — with its marks (read, starred,
        labels; none for most) and its URL when the library has it. A library that imports
        the list knows which articles were here before (see :meth:`restore_marks`)."""
        db = self._db
        found: dict[str, list[Any]] = {}
        for article_id, url, read, starred in db.execute(
            "SELECT w.id, w.url, a.read, a.starred FROM articles w JOIN entries a ON a.rowid = w.rowid"
        ):
            found[article_id] = [url, bool(read), bool(starred)]
        for article_id, read, starred in db.execute(
            "SELECT id, read, starred FROM state WHERE (read OR starred) AND id NOT IN (SELECT id FROM articles)"
        ):
            found[article_id] = [None, bool(read), bool(starred)]
        for (article_id,) in db.execute(
            "SELECT id FROM article_labels UNION SELECT id FROM rules_seen"
        ):
            found.setdefault(article_id, [None, False, False])
        labels = self._labels_by_id(list(found))
        return [
            MarkedArticle(article_id, url, read, starred, labels.get(article_id, ()))
            for article_id, (url, read, starred) in sorted(found.items())
        ]

    def restore_marks(self, items: Sequence[MarkedArticle]) -> MarksRestored:
        """Put these marks on the articles: found by id, else by URL, else kept by id for
        the day the article arrives. Marks are added (an article read here stays read).
        Every article named (with marks or without) was seen by the rules of the library it
        comes from: the rules here do not act on it when it arrives either. One transaction."""
        by_id = by_url = kept = seen_only = 0
        with self._transaction(urgent=True) as db:
            known = {
                row[0]
                for row in db.execute(
                    "SELECT id FROM articles WHERE id IN (SELECT value FROM json_each(?))", (json.dumps([i.id for i in items]),)
                )
            }
            wanted = [i.url for i in items if i.id not in known and i.url]
            by_link: dict[str, str] = {}
            for url, found_id in db.execute(  # (one pass over the articles for every URL)
                "SELECT url, id FROM articles WHERE url IN (SELECT value FROM json_each(?)) ORDER BY rowid DESC",
                (json.dumps(wanted),),
            ):
                by_link[url] = found_id  # (the first article with that link wins)
            read: list[str] = []
            starred: list[str] = []
            labelled: dict[str, list[str]] = {}
            seen: set[str] = set()
            for item in items:
                article_id = item.id
                if article_id in known:
                    by_id += 1
                elif item.url and item.url in by_link:
                    article_id, by_url = by_link[item.url], by_url + 1
                elif item.read or item.starred or item.labels:
                    kept += 1
                else:
                    seen_only += 1
                if item.read:
                    read.append(article_id)
                if item.starred:
                    starred.append(article_id)
                for label in item.labels:
                    labelled.setdefault(label, []).append(article_id)
                seen.update((item.id, article_id))
            db.execute(
                "INSERT OR IGNORE INTO rules_seen(id) SELECT value FROM json_each(?)", (json.dumps(sorted(seen)),)
            )
            self._write_state(read, "read", True)
            self._write_state(starred, "starred", True)
            for label, ids in labelled.items():
                spelled = spelled_label(db, label)
                self._write_label(ids, spelled, True)
        return MarksRestored(by_id, by_url, kept, seen_only)


def marks_json(items: Sequence[MarkedArticle]) -> list[Mapping[str, Any]]:
    return [
        {"id": i.id, "url": i.url, "read": i.read, "starred": i.starred, "labels": list(i.labels)} for i in items
    ]


__all__ = ["MarkedArticle", "MarksRestored", "check_labels", "check_marks", "check_saved_searches", "marks_json", "not_understood"]
