"""Saved searches: queries kept under a name, in the user's order (their counts are read
with the other counts, see :meth:`~reader.library.reading._Reading.counts`)."""

from __future__ import annotations

import json

from reader.folding import name_key
from reader.library.database import _Database
from reader.library.values import LibraryError, SavedSearch
from reader.search import parse_query


def _clean_name(name: str) -> str:
    clean = " ".join(name.split())
    if not clean:
        raise LibraryError("a saved search needs a name")
    return clean


class _SavedSearches(_Database):
    """Saved searches (methods of :class:`reader.library.Library`)."""

    def saved_searches(self) -> list[SavedSearch]:
        """Every saved search, in the user's order."""
        return [
            SavedSearch(name, query, tuple(json.loads(actions)), acted)
            for name, query, actions, acted in self._db.execute(
                "SELECT name, query, actions, acted FROM saved_searches ORDER BY position, name"
            )
        ]

    def saved_search(self, name: str) -> SavedSearch | None:
        """The saved search called ``name`` (case does not matter, in any script: see
        :func:`reader.folding.name_key`), or None."""
        key = name_key(" ".join(name.split()))
        return next((s for s in self.saved_searches() if name_key(s.name) == key), None)

    def save_search(self, name: str, query: str) -> SavedSearch:
        """Keep ``query`` under ``name`` (last in the order). Raises
        :class:`~reader.search.QueryError` for a malformed query and :class:`LibraryError`
        when the name is taken."""
        name = _clean_name(name)
        parse_query(query)
        with self._transaction(urgent=True) as db:
            if (taken := self.saved_search(name)) is not None:
                raise LibraryError(f"there is already a saved search called {taken.name!r}")
            db.execute(
                "INSERT INTO saved_searches(name, query, position) "
                "VALUES (?, ?, (SELECT coalesce(max(position), 0) + 1 FROM saved_searches))",
                (name, query.strip()),
            )
        return SavedSearch(name, query.strip())

    def rename_search(self, name: str, new_name: str) -> str:
        """Give the saved search ``name`` another name; returns it."""
        new_name = _clean_name(new_name)
        with self._transaction(urgent=True) as db:
            found, other = self.saved_search(name), self.saved_search(new_name)
            if found is None:
                raise LibraryError(f"there is no saved search called {name!r}")
            if other is not None and other.name != found.name:  # (its own name in another case is no other)
                raise LibraryError(f"there is already a saved search called {other.name!r}")
            db.execute("UPDATE saved_searches SET name = ? WHERE name = ?", (new_name, found.name))
        return new_name

    def edit_search(self, name: str, query: str) -> None:
        """Change the query of the saved search ``name`` (raises QueryError when malformed)."""
        parse_query(query)
        with self._transaction(urgent=True) as db:
            found = self.saved_search(name)
            if found is None:
                raise LibraryError(f"there is no saved search called {name!r}")
            db.execute("UPDATE saved_searches SET query = ? WHERE name = ?", (query.strip(), found.name))

    def move_search(self, name: str, delta: int) -> bool:
        """Move the saved search ``name`` up (``delta`` < 0) or down in the order; False at an end."""
        names = [s.name for s in self.saved_searches()]
        folded = [name_key(n) for n in names]
        if name_key(name) not in folded:
            raise LibraryError(f"there is no saved search called {name!r}")
        at = folded.index(name_key(name))
        to = max(0, min(len(names) - 1, at + delta))
        if to == at:
            return False
        names.insert(to, names.pop(at))
        with self._transaction(urgent=True) as db:
            db.executemany("UPDATE saved_searches SET position = ? WHERE name = ?", list(enumerate(names, 1)))
        return True

    def delete_search(self, name: str) -> SavedSearch:
        """Forget the saved search ``name`` (and its rule); returns what it was."""
        found = self.saved_search(name)
        if found is None:
            raise LibraryError(f"there is no saved search called {name!r}")
        with self._transaction(urgent=True) as db:
            db.execute("DELETE FROM saved_searches WHERE name = ?", (found.name,))
        return found
