"""Volume over time: how many articles of a view (and a query) were published per day,
week or month, counted by SQLite. The periods and the time zone are :mod:`reader.timeline`'s."""

from __future__ import annotations

from datetime import tzinfo

from reader.library.reading import _Reading
from reader.library.values import Scope, Sort, View
from reader.search import Query, parse_query
from reader.timeline import Step, Volume, Zone, bucket, day_sql


class _Volume(_Reading):
    """Volumes (methods of :class:`reader.library.Library`)."""

    def volume(
        self,
        view: View = View(),
        *,
        query: Query | str | None = None,
        scope: Scope | None = None,
        zone: tzinfo | None = None,
        step: Step | None = None,
    ) -> Volume:
        """Articles (and unread ones) per period of the articles ``view`` and ``query``
        list, in ``zone`` (None: the system's time zone); ``step`` None chooses days,
        weeks or months from the span. Two passes: the span, then one count per day."""
        parsed = parse_query(query) if isinstance(query, str) else query
        sql, params = self._select("a.published, a.read", view, parsed, Sort.NEWEST, scope)
        rows = sql.rsplit(" ORDER BY ", 1)[0]  # (order does not matter to counts)
        low, high, undated = self._db.execute(f"SELECT min(published), max(published), count(*) - count(published) FROM ({rows})", params).fetchone()
        if low is None:
            return Volume(step or Step.DAY, (), undated)
        local = Zone(low, high, zone)
        day, day_params = day_sql(local, "published")
        days = {
            d: (total, int(unread))
            for d, total, unread in self._db.execute(
                f"SELECT {day} AS d, count(*), total(read = 0) FROM ({rows}) WHERE published IS NOT NULL GROUP BY d",
                [*day_params, *params],
            )
        }
        return bucket(days, local, step, undated)
