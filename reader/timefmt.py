"""Dates as people read them: "3 h", "Feb 5, 2020", "Wednesday, February 5, 2020, 23:56".

The names of days and months are English here, whatever the desktop's locale (the window's
words are English, and the C library's ``%A %B %b`` follow ``LC_TIME``, which Qt sets from
the desktop): :func:`month_name`, :func:`month_abbr` and :func:`weekday_name` name them for
every date Reader shows.

Also the one rule for which moments are dates at all (:func:`dated`): every place that
turns a moment into a local date goes through :func:`local`, so a moment at the edges of
the calendar is "undated" everywhere rather than an error in one time zone.
"""

from __future__ import annotations

from datetime import date, datetime, timezone, tzinfo

UNDATED = "undated"

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def month_name(day: date) -> str:
    """"February" (in English, whatever the locale)."""
    return MONTHS[day.month - 1]


def month_abbr(day: date) -> str:
    """"Feb": the month's first three letters (in English, whatever the locale)."""
    return MONTHS[day.month - 1][:3]


def weekday_name(day: date) -> str:
    """"Wednesday" (in English, whatever the locale)."""
    return WEEKDAYS[day.weekday()]

#: The dates Reader keeps and shows run from the year 2 to the year 9998 (UTC; the end is
#: excluded). The years 1 and 9999 hold other programs' placeholders for "no date" (Go's
#: zero time 0001-01-01T00:00:00Z, .NET's DateTime.MinValue and MaxValue, 9999-12-31 for
#: "never"), and within a day of the calendar's ends a time zone west or east of UTC has
#: no local date to show; a year's margin keeps every zone, week and month in the calendar.
EARLIEST = datetime(2, 1, 1, tzinfo=timezone.utc)
LATEST = datetime(9999, 1, 1, tzinfo=timezone.utc)
#: The same bounds as seconds since 1970 (for SQL over stored timestamps).
EARLIEST_STAMP = EARLIEST.timestamp()
LATEST_STAMP = LATEST.timestamp()


def dated(moment: datetime | None) -> datetime | None:
    """``moment`` (aware) when it is a date Reader shows, else None: it counts as undated."""
    if moment is None or not EARLIEST <= moment < LATEST:
        return None
    return moment


def local(moment: datetime | None, zone: tzinfo | None = None) -> datetime | None:
    """``moment`` in ``zone`` (None: the system's time zone), or None when it is no date
    (see :func:`dated`): within the bounds every zone has a local date for it."""
    moment = dated(moment)
    if moment is None:
        return None
    return moment.astimezone(zone) if zone is not None else moment.astimezone()


def relative_date(moment: datetime | None, now: datetime | None = None) -> str:
    """A short date for lists: ``now``, ``12 min``, ``3 h``, ``4 d``, ``Feb 5``, ``Feb 5, 2020``."""
    shown = local(moment)
    if moment is None or shown is None:
        return UNDATED
    now = now or datetime.now(timezone.utc)
    seconds = (now - moment).total_seconds()
    if -60 < seconds < 60:
        return "now"
    if 0 < seconds < 3600:
        return f"{int(seconds // 60)} min"
    if 0 < seconds < 86400:
        return f"{int(seconds // 3600)} h"
    if 0 < seconds < 7 * 86400:
        return f"{int(seconds // 86400)} d"
    this_year = local(now)
    if this_year is not None and shown.year == this_year.year and seconds > 0:
        return f"{month_abbr(shown)} {shown.day}"
    return f"{month_abbr(shown)} {shown.day}, {shown.year}"


def full_date(moment: datetime | None) -> str:
    """The date and time in the local time zone, spelled out."""
    shown = local(moment)
    if shown is None:
        return UNDATED
    zone = shown.tzname() or ""
    return f"{weekday_name(shown)}, {month_name(shown)} {shown.day}, {shown.year}, {shown:%H:%M} {zone}".rstrip()


def from_timestamp(stamp: float | None) -> datetime | None:
    """A stored timestamp as an aware UTC datetime, or None (none, or no date: :func:`dated`)."""
    if stamp is None or not EARLIEST_STAMP <= stamp < LATEST_STAMP:
        return None
    return datetime.fromtimestamp(stamp, timezone.utc)
