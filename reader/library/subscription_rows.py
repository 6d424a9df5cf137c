"""The subscriptions' rows (what :mod:`reader.subscriptions` keeps about each feed it
fetches), and renaming a feed file's rows when its copy moved to another data folder."""

from __future__ import annotations

from reader import feeds
from reader.filenames import restored, stored
from reader.library.database import _Database

#: The columns :meth:`_SubscriptionRows.subscription_rows` returns, in order.
SUBSCRIPTION_COLUMNS = "url, title, path, error, checked, updated, fetched_url"
#: Columns :meth:`_SubscriptionRows.record_subscription` may set.
_RECORDED = frozenset({"title", "etag", "last_modified", "checked", "updated", "error", "fetched_url"})


class _SubscriptionRows(_Database):
    """Subscription rows (methods of :class:`reader.library.Library`)."""

    def subscription_rows(self, url: str | None = None) -> list[tuple[object, ...]]:
        """Every subscription (or the one at ``url``) as :data:`SUBSCRIPTION_COLUMNS`, by name."""
        sql = f"SELECT {SUBSCRIPTION_COLUMNS} FROM subscriptions"
        if url is not None:
            return self._db.execute(f"{sql} WHERE url = ?", (url,)).fetchall()
        return self._db.execute(f"{sql} ORDER BY coalesce(title, url) COLLATE NOCASE").fetchall()

    def add_subscription(self, url: str, title: str | None, path: str, added: float) -> None:
        """Subscribe to ``url``, its copy kept at ``path`` (relative to the data folder); an
        existing subscription keeps its copy and gets ``title`` only if it had none."""
        with self._transaction() as db:
            db.execute(
                "INSERT INTO subscriptions(url, title, path, added) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(url) DO UPDATE SET title = coalesce(subscriptions.title, excluded.title)",
                (url, title, path, added),
            )

    def remove_subscription(self, url: str) -> None:
        with self._transaction() as db:
            db.execute("DELETE FROM subscriptions WHERE url = ?", (url,))

    def rename_subscription(self, url: str, new_url: str) -> None:
        with self._transaction() as db:
            db.execute("UPDATE subscriptions SET url = ? WHERE url = ?", (new_url, url))

    def record_subscription(self, url: str, values: dict[str, object]) -> None:
        """Set the columns ``values`` of the subscription at ``url``."""
        assert values and set(values) <= _RECORDED, values
        assignments = ", ".join(f"{column} = ?" for column in values)
        with self._transaction() as db:
            db.execute(f"UPDATE subscriptions SET {assignments} WHERE url = ?", (*values.values(), url))

    def subscription_validators(self, url: str) -> tuple[str | None, str | None]:
        """The ETag and Last-Modified of the subscription's last fetch (for a conditional one)."""
        found = self._db.execute("SELECT etag, last_modified FROM subscriptions WHERE url = ?", (url,)).fetchone()
        return (found[0], found[1]) if found else (None, None)

    def knows_file(self, path: str) -> bool:
        """Whether the library has a row for the file at ``path``."""
        return self._db.execute("SELECT 1 FROM files WHERE path = ?", (stored(path),)).fetchone() is not None

    def feed_files(self) -> list[str]:
        """The paths of every feed file the library knows, in order."""
        return [restored(row[0]) for row in self._db.execute("SELECT path FROM files WHERE kind = 'feed' ORDER BY path")]

    def move_feed_file(self, old: str, new: str) -> None:
        """The rows of the feed file ``old`` and of its entries become those of ``new``."""
        old, new = stored(old), stored(new)
        low, high = feeds.entry_range(old)
        with self._transaction() as db:
            for table in ("files", "articles"):
                db.execute(
                    f"UPDATE {table} SET path = ? || substr(path, ?) WHERE path = ? OR (path >= ? AND path < ?)",
                    (new, len(old) + 1, old, low, high),
                )
