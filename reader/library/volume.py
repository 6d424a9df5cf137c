"""Volume over time: how many articles of a view (and a query) were published per day,
week or month, counted by SQLite. The periods and the time zone are :mod:`reader.timeline`'s."""

from __future__ import annotations

import time
from datetime import tzinfo

from reader.library.reading import _Reading
from reader.library.values import Scope, Sort, View
from reader.search import Query, parse_query
from reader.stories.score import newest_sql
from reader.timefmt import EARLIEST_STAMP, LATEST_STAMP
from reader.timeline import DAY, TREND_PERIODS, Step, Trend, Volume, Zone, bucket, day_sql, rising


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
        weeks or months from the span. One pass over the articles: the zone's offsets are
        worked out over the whole library's span (two index probes), and SQL counts per
        local day (undated articles in a group of their own)."""
        parsed = parse_query(query) if isinstance(query, str) else query
        sql, params = self._select("a.published, a.read", view, parsed, Sort.NEWEST, scope)
        rows = sql.rsplit(" ORDER BY ", 1)[0]  # (order does not matter to counts)
        low, high = self._db.execute(
            "SELECT (SELECT min(published) FROM entries WHERE published >= ?1 AND published < ?2), "
            "(SELECT max(published) FROM entries WHERE published >= ?1 AND published < ?2)",
            (EARLIEST_STAMP, LATEST_STAMP),  # (moments that are no date count as undated)
        ).fetchone()
        local = self._zone(low if low is not None else 0.0, high if high is not None else 0.0, zone)
        day, day_params = day_sql(local, "published")
        days: dict[int, tuple[int, int]] = {}
        undated = 0
        for d, total, unread in self._db.execute(
            f"SELECT {day} AS d, count(*), total(read = 0) FROM ({rows}) GROUP BY d", [*day_params, *params]
        ):
            if d is None:
                undated = total
            else:
                days[d] = (total, int(unread))
        return bucket(days, local, step, undated)

    def _zone(self, low: float, high: float, zone: tzinfo | None) -> Zone:
        """The zone's offsets over the library's span, kept while the span stays."""
        key = (low, high, zone)
        cached: tuple[object, Zone] | None = getattr(self, "_zone_cache", None)
        if cached is None or cached[0] != key:
            cached = (key, Zone(low, high, zone))
            self._zone_cache = cached
        return cached[1]

    def trends(self, scope: Scope | None = None, *, days: int | None = None, limit: int = 8) -> list[Trend]:
        """The topics and sources whose volume rose most in the library's last week (or
        month, when its last week holds fewer than 50 articles) against the period before;
        the periods end at the newest article (a library of old documents has trends too) not
        dated after now (as Top stories' recency: one document dated in the year 2500 would
        leave every period empty), or, all of them dated later, the newest of all."""
        where, params = self._scope_sql(scope)
        newest = self._db.execute(f"SELECT {newest_sql(where, '?')}", [time.time(), *params, *params]).fetchone()[0]
        if newest is None:
            return []
        if days is None:
            recent = self._db.execute(
                f"SELECT count(*) FROM entries a WHERE a.published > ? AND a.published <= ? AND {where}",
                [newest - 7 * DAY, newest, *params],
            ).fetchone()[0]
            days = 7 if recent >= 50 else 30
        span = days * DAY
        since = newest - TREND_PERIODS * span
        period = f"CAST((? - a.published) / {span} AS INTEGER)"
        series: dict[tuple[str, str], list[int]] = {}

        def add(kind: str, rows: object) -> None:
            for name, back, n in rows:  # type: ignore[attr-defined]
                if name and 0 <= back < TREND_PERIODS:
                    counts = series.setdefault((kind, name), [0] * TREND_PERIODS)
                    counts[TREND_PERIODS - 1 - back] += n

        add("topic", self._db.execute(
            # (the recent articles first, by the date index; then their topics)
            f"SELECT t.topic, {period} AS back, count(*) FROM entries a INDEXED BY entries_newest "
            "CROSS JOIN article_topics t ON t.article = a.rowid "
            f"WHERE a.published > ? AND a.published <= ? AND {where} GROUP BY t.topic, back",
            [newest, since, newest, *params],
        ))  # fmt: skip
        add("source", self._db.execute(
            f"SELECT a.provider, {period} AS back, count(*) FROM entries a INDEXED BY entries_newest "
            f"WHERE a.published > ? AND a.published <= ? AND {where} GROUP BY a.provider COLLATE NOCASE, back",
            [newest, since, newest, *params],
        ))  # fmt: skip
        return rising(series, days, limit)
