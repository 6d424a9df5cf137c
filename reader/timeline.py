"""Volume over time: articles counted per day, week or month in the reader's time zone.

Plain Python (no Qt, no SQL). The library counts articles per *local day* with an SQL
expression made here (:func:`day_sql`); this module turns those day counts into periods
(:func:`bucket`), names them, and writes the search terms that select the same articles
(:meth:`Bucket.query_terms`), so a chart's bar and a search agree to the article.

A local day is counted from the instant the clock first shows that date to the instant it
first shows the next one, summer time included (a day may last 23 or 25 hours). Where a
zone turns its clock back across midnight, the hour that would fall on the day before is
kept on the new day, so days never go backwards.
"""

from __future__ import annotations

import bisect
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone, tzinfo
from enum import StrEnum

from reader.timefmt import EARLIEST_STAMP, LATEST_STAMP, local, month_abbr, month_name
from reader.wording import plural

DAY = 86400
#: Days since 1970-01-01 are shifted by this many while SQL truncates them (CAST rounds
#: toward zero; shifted, every date after the year -800 is positive, so it floors).
_SHIFT_DAYS = 1_000_000
_EPOCH = date(1970, 1, 1)


class Step(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"


#: The longest span (in days) counted per day, and per week; longer ones per month.
DAYS_MAX = 62
WEEKS_MAX = 2 * 366


def choose_step(first_day: int, last_day: int) -> Step:
    """Days, weeks or months, so a span gets a readable number of bars (at most ~100)."""
    span = last_day - first_day + 1
    if span <= DAYS_MAX:
        return Step.DAY
    if span <= WEEKS_MAX:
        return Step.WEEK
    return Step.MONTH


# --------------------------------------------------------------------------- the zone


def _offset(moment: int, zone: tzinfo | None) -> int:
    """Seconds east of UTC at ``moment`` in ``zone`` (None: the system's zone)."""
    if zone is None:
        return time.localtime(moment).tm_gmtoff
    offset = datetime.fromtimestamp(moment, zone).utcoffset()
    return int(offset.total_seconds()) if offset is not None else 0


class Zone:
    """A time zone's offsets over a span of time, as segments ``(start, offset)``: from
    ``start`` on (until the next segment) the local date is ``(t + offset) // DAY``."""

    def __init__(self, low: float, high: float, zone: tzinfo | None = None) -> None:
        self.zone = zone
        # (a month each side: the first and last periods reach beyond the articles)
        start = int(low // DAY) * DAY - 40 * DAY
        end = int(high // DAY) * DAY + 40 * DAY
        segments: list[tuple[int, int]] = [(start, _offset(start, zone))]
        previous = start
        for sample in range(start + DAY, end + 1, DAY):
            if _offset(sample, zone) != segments[-1][1]:
                self._add_changes(segments, previous, sample)
            previous = sample
        self.starts = [s for s, _ in segments]
        self.offsets = [o for _, o in segments]

    def _add_changes(self, segments: list[tuple[int, int]], low: int, high: int) -> None:
        """The offset changed between ``low`` and ``high``: find the second (and any later
        change before ``high``), keeping days going forwards (a clock turned back across
        midnight keeps the old offset until the new one reaches the same day)."""
        old = segments[-1][1]
        while True:
            a, b = low, high  # _offset(a) == old, _offset(b) != old
            while b - a > 1:
                middle = (a + b) // 2
                if _offset(middle, self.zone) == old:
                    a = middle
                else:
                    b = middle
            change = b
            offset = _offset(change, self.zone)
            day_before = (change + old) // DAY
            if (change + offset) // DAY < day_before:
                # Until the new offset reaches that day, the old one names the day.
                segments.append((day_before * DAY - offset, offset))
            else:
                segments.append((change, offset))
            if _offset(high, self.zone) == offset:
                return
            low, old = change, offset

    def offset_at(self, moment: float) -> int:
        return self.offsets[max(0, bisect.bisect_right(self.starts, moment) - 1)]

    def day_of(self, moment: float) -> int:
        """The local day (days since 1970-01-01) of ``moment``."""
        return int((moment + self.offset_at(moment)) // DAY)

    def day_start(self, day: int) -> int:
        """The first instant whose local day is ``day`` (or later)."""
        for i in range(len(self.starts)):
            end = self.starts[i + 1] if i + 1 < len(self.starts) else None
            candidate = max(self.starts[i], day * DAY - self.offsets[i])
            if end is None or candidate < end:
                if end is None or self.day_of(candidate) >= day:
                    return candidate
        raise AssertionError("unreachable: the last segment has no end")  # pragma: no cover

    def local(self, moment: float) -> datetime:
        """``moment`` as an aware datetime with the zone's offset at that instant."""
        return datetime.fromtimestamp(moment, timezone(timedelta(seconds=self.offset_at(moment))))


def day_sql(zone: Zone, column: str = "a.published") -> tuple[str, list[object]]:
    """An SQL expression for the local day of ``column`` (days since 1970-01-01), with its
    parameters: a tree of CASEs over the zone's segments (a few comparisons a row). NULL
    for a moment that is no date (outside :data:`reader.timefmt.EARLIEST` ..
    :data:`~reader.timefmt.LATEST`): it counts as undated."""
    params: list[object] = [EARLIEST_STAMP, LATEST_STAMP]

    def offset(low: int, high: int) -> str:  # segments low .. high-1
        if high - low == 1:
            params.append(zone.offsets[low])
            return "?"
        middle = (low + high) // 2
        params.append(zone.starts[middle])
        sql = f"CASE WHEN {column} < ? THEN {offset(low, middle)} ELSE {offset(middle, high)} END"
        return sql

    expression = offset(0, len(zone.starts))
    day = f"(CAST(({column} + {expression} + {_SHIFT_DAYS * DAY}) / {DAY} AS INTEGER) - {_SHIFT_DAYS})"
    return f"(CASE WHEN {column} >= ? AND {column} < ? THEN {day} END)", params


# --------------------------------------------------------------------------- periods


def day_date(day: int) -> date:
    return _EPOCH + timedelta(days=day)


def _period_start(day: int, step: Step) -> int:
    """The first day of the period ``day`` lies in (weeks start on Monday)."""
    if step is Step.DAY:
        return day
    if step is Step.WEEK:
        return day - day_date(day).weekday()
    d = day_date(day)
    return (date(d.year, d.month, 1) - _EPOCH).days


def _next_period(start: int, step: Step) -> int:
    if step is Step.DAY:
        return start + 1
    if step is Step.WEEK:
        return start + 7
    d = day_date(start)
    following = date(d.year + 1, 1, 1) if d.month == 12 else date(d.year, d.month + 1, 1)
    return (following - _EPOCH).days


def _moment_term(moment: datetime) -> str:
    """A moment as ``after:``/``before:`` take it: a plain date at UTC midnight, else the
    local date and time with its offset."""
    offset = moment.utcoffset()
    if offset == timedelta(0) and (moment.hour, moment.minute, moment.second) == (0, 0, 0):
        return moment.date().isoformat()
    spec = "seconds" if moment.second or (offset is not None and offset.seconds % 60) else "minutes"
    return moment.isoformat(timespec=spec)


@dataclass(frozen=True, slots=True)
class Bucket:
    """One period: from ``start`` (included) to ``end`` (excluded), with its counts."""

    first_day: int  #: its first local day (days since 1970-01-01)
    end_day: int  #: the first local day after it
    step: Step
    start: datetime  #: aware, in the zone's offset at that instant
    end: datetime
    total: int
    unread: int

    @property
    def read(self) -> int:
        return self.total - self.unread

    @property
    def label(self) -> str:
        """ "Feb 5, 2020", "Week of Feb 3, 2020" or "February 2020"."""
        d = day_date(self.first_day)
        if self.step is Step.MONTH:
            return f"{month_name(d)} {d.year}"
        text = f"{month_abbr(d)} {d.day}, {d.year}"
        return f"Week of {text}" if self.step is Step.WEEK else text

    @property
    def short_label(self) -> str:
        d = day_date(self.first_day)
        return f"{month_abbr(d)} {d.year}" if self.step is Step.MONTH else f"{month_abbr(d)} {d.day}"

    def query_terms(self) -> str:
        """The search terms for this period: ``after:… before:…``."""
        return f"after:{_moment_term(self.start)} before:{_moment_term(self.end)}"


@dataclass(frozen=True, slots=True)
class Volume:
    """Articles per period, oldest first, every period from the first to the last one
    (empty ones included); ``undated`` articles are in none."""

    step: Step
    buckets: tuple[Bucket, ...] = ()
    undated: int = 0

    @property
    def total(self) -> int:
        return sum(b.total for b in self.buckets)

    @property
    def peak(self) -> int:
        return max((b.total for b in self.buckets), default=0)

    def table(self) -> list[tuple[str, int, int]]:
        """(period, articles, unread) for each period: the chart as text."""
        return [(b.label, b.total, b.unread) for b in self.buckets]

    def summary(self, short: bool = False) -> str:
        """One line: how many articles over how many periods (``short``: fewer words, for a
        narrow chart: "3,172 articles, Nov 2005 – Aug 2026 (139 undated)")."""
        if not self.buckets:
            return f"No dated articles ({self.undated:,} undated)" if self.undated else "No articles"
        first, last = self.buckets[0], self.buckets[-1]
        if short:
            if self.step is Step.MONTH:
                since, until = first.short_label, last.short_label
            else:  # (a day, or a week by its first day, with its year)
                since, until = first.label.removeprefix("Week of "), last.label.removeprefix("Week of ")
            text = f"{plural(self.total, 'article')}, {since} – {until}"
        else:
            noun = {Step.DAY: "day", Step.WEEK: "week", Step.MONTH: "month"}[self.step]
            text = f"{plural(self.total, 'article')} over {plural(len(self.buckets), noun)}, {first.label} – {last.label}"
        if self.undated:
            text += f" ({self.undated:,} undated)"
        return text


def bucket(days: Mapping[int, tuple[int, int]], zone: Zone, step: Step | None = None, undated: int = 0) -> Volume:
    """Periods from per-day ``(total, unread)`` counts (keys: local days)."""
    if not days:
        return Volume(step or Step.DAY, (), undated)
    first, last = min(days), max(days)
    step = step or choose_step(first, last)
    sums: dict[int, list[int]] = {}
    for day, (total, unread) in days.items():
        counts = sums.setdefault(_period_start(day, step), [0, 0])
        counts[0] += total
        counts[1] += unread
    buckets = []
    start = _period_start(first, step)
    while start <= last:
        following = _next_period(start, step)
        total, unread = sums.get(start, (0, 0))
        buckets.append(
            Bucket(
                start,
                following,
                step,
                zone.local(zone.day_start(start)),
                zone.local(zone.day_start(following)),
                total,
                unread,
            )
        )
        start = following
    return Volume(step, tuple(buckets), undated)


def spark(values: Iterable[int]) -> str:
    """Counts as a line of block characters (for text)."""
    values = list(values)
    peak = max(values, default=0)
    blocks = " ▁▂▃▄▅▆▇█"
    if peak <= 0:
        return " " * len(values)
    return "".join(blocks[0 if v <= 0 else max(1, round(v / peak * 8))] for v in values)


# --------------------------------------------------------------------------- a story's span


def local_time(moment: datetime, zone: tzinfo | None = None) -> datetime:
    """``moment`` in ``zone`` (None: the system's time zone); a moment that is no date
    (:func:`reader.timefmt.dated`) stays as it is, in UTC, rather than overflow."""
    return local(moment, zone) or moment


def short_moment(moment: datetime) -> str:
    """"Feb 5 22:56" (``moment`` as it is: see :func:`local_time`)."""
    return f"{month_abbr(moment)} {moment.day} {moment:%H:%M}"


def story_line(first_outlet: str | None, times: list[datetime], outlets: int, zone: tzinfo | None = None) -> str:
    """"first: Global News, Feb 5 22:56 · 8 outlets over 2 days" (calendar days in ``zone``)."""
    if not times:
        return f"{plural(outlets, 'outlet')}, undated"
    first, last = local_time(min(times), zone), local_time(max(times), zone)
    days = (last.date() - first.date()).days + 1
    span = "on one day" if days == 1 else f"over {days} days"
    who = f"{first_outlet}, " if first_outlet else ""
    return f"first: {who}{short_moment(first)} · {plural(outlets, 'outlet')} {span}"


# --------------------------------------------------------------------------- trends

#: Periods a trend's sparkline shows (the last one is the recent period).
TREND_PERIODS = 8
#: A topic or source rises only with at least this many articles in the recent period.
TREND_MIN_RECENT = 3
#: ... and at least half again as many as in the period before (24 after 23 is no trend,
#: and "↑ 1.0×" would read as none).
TREND_MIN_RATIO = 1.5


@dataclass(frozen=True, slots=True)
class Trend:
    """A topic or source whose volume rose in the library's last period against the one before."""

    kind: str  #: "topic" or "source"
    name: str
    series: tuple[int, ...]  #: articles per period, oldest first; the last is the recent one
    days: int  #: the length of a period

    @property
    def recent(self) -> int:
        return self.series[-1]

    @property
    def before(self) -> int:
        return self.series[-2] if len(self.series) > 1 else 0

    @property
    def change(self) -> str:
        """"↑ 3.4×", or "new" when the period before had none."""
        return f"↑ {self.recent / self.before:.1f}×" if self.before else "new"

    @property
    def text(self) -> str:
        """"Computer Vision ↑ 3.4×, 41 articles"."""
        return f"{self.name} {self.change}, {plural(self.recent, 'article')}"

    @property
    def _rank(self) -> tuple[float, int]:
        return ((self.recent + 1) / (self.before + 1), self.recent)


def rising(series: Mapping[tuple[str, str], list[int]], days: int, limit: int = 8) -> list[Trend]:
    """The topics and sources (keys ``(kind, name)``) that rose most, by the ratio of their
    last period to the one before (each plus one, so a few new articles do not outrank a
    real surge), at most ``limit`` of each kind."""
    found: dict[str, list[Trend]] = {}
    for (kind, name), counts in series.items():
        trend = Trend(kind, name, tuple(counts), days)
        if trend.recent >= TREND_MIN_RECENT and trend.recent >= TREND_MIN_RATIO * trend.before:
            found.setdefault(kind, []).append(trend)
    result: list[Trend] = []
    for kind in ("topic", "source"):
        result += sorted(found.get(kind, []), key=lambda t: (-t._rank[0], -t._rank[1], t.name.casefold()))[:limit]
    return result
