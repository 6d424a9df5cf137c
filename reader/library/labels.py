"""Labels: the user's own tags on articles, kept by article id (like the read and starred
marks, they outlive moves, re-syncs and an article gone and back)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable

from reader.folding import name_key, nfc
from reader.library.database import _Database
from reader.library.values import LibraryError, Undo

#: ``Undo.column`` of a label change: this prefix and the label's name.
LABEL_COLUMN = "label:"


def clean_label(name: str) -> str:
    """``name`` as a label: spaces folded; no commas (they separate labels where typed); in
    one Unicode spelling (NFC: "Café" with "é" or with "e" and a combining accent is one)."""
    clean = " ".join(nfc(name).replace(",", " ").split())
    if not clean:
        raise LibraryError("a label needs a name")
    return clean


def spelled_label(db: sqlite3.Connection, name: str) -> str:
    """The label ``name`` as it is spelled in ``labels``, made first when there is none
    that differs from it only in case (inside a write transaction)."""
    existing = db.execute("SELECT name FROM labels WHERE name_key(name) = ? LIMIT 1", (name_key(name),)).fetchone()
    if existing is not None:
        return str(existing[0])
    db.execute("INSERT INTO labels(name) VALUES (?)", (name,))
    return name


class _Labels(_Database):
    """Labels (methods of :class:`reader.library.Library`)."""

    def labels(self) -> list[str]:
        """Every label's name, alphabetically."""
        return [row[0] for row in self._db.execute("SELECT name FROM labels ORDER BY name COLLATE NOCASE")]

    def add_labels(self, names: Iterable[str]) -> list[str]:
        """Make labels (those that exist already are left as they are); returns the names."""
        clean = [clean_label(n) for n in names]
        with self._transaction(urgent=True) as db:
            return [spelled_label(db, n) for n in clean]

    def labels_of(self, article_id: str) -> tuple[str, ...]:
        """The labels on the article ``article_id`` (in the library or not), alphabetically."""
        return tuple(
            row[0]
            for row in self._db.execute(
                "SELECT label FROM article_labels WHERE id = ? ORDER BY label COLLATE NOCASE", (article_id,)
            )
        )

    def set_labels(self, article_id: str, names: Iterable[str]) -> Undo:
        """Give the article ``article_id`` exactly the labels ``names`` (new ones are made);
        returns what :meth:`undo` takes to put the labels back as they were."""
        wanted = {name_key(n): n for n in map(clean_label, names)}
        before = {name_key(n): n for n in self.labels_of(article_id)}
        with self._transaction(urgent=True) as db:
            # (a label's stored spelling is its name in ``labels``)
            spelled = {name_key(n): n for n in (spelled_label(db, n) for n in wanted.values())}
            added = [spelled[k] for k in wanted if k not in before]
            removed = [before[k] for k in before if k not in wanted]
            for name in added:
                self._write_label([article_id], name, True)
            for name in removed:
                self._write_label([article_id], name, False)
        steps = [Undo((article_id,), LABEL_COLUMN + n, False) for n in added]
        steps += [Undo((article_id,), LABEL_COLUMN + n, True) for n in removed]
        if not steps:
            return Undo((), LABEL_COLUMN, False)
        return Undo(steps[0].ids, steps[0].column, steps[0].previous, tuple(steps[1:]))

    def label_articles(self, ids: Iterable[str], name: str, on: bool = True) -> None:
        """Put the label ``name`` on the articles ``ids`` (or take it off)."""
        name = clean_label(name)
        with self._transaction(urgent=True) as db:
            self._write_label(list(ids), spelled_label(db, name), on)

    def _write_label(self, ids: list[str], name: str, on: bool) -> None:
        """(Inside a write transaction.)"""
        payload = json.dumps(ids)
        if on:
            self._db.execute("INSERT OR IGNORE INTO labels(name) VALUES (?)", (name,))
            self._db.execute(
                "INSERT OR IGNORE INTO article_labels(label, id) SELECT ?, value FROM json_each(?)", (name, payload)
            )
        else:
            self._db.execute(
                "DELETE FROM article_labels WHERE label = ? AND id IN (SELECT value FROM json_each(?))", (name, payload)
            )
