"""Dates as people read them: "3 h", "Feb 5, 2020", "Wednesday, February 5, 2020, 23:56"."""

from __future__ import annotations

from datetime import datetime, timezone

UNDATED = "undated"


def relative_date(moment: datetime | None, now: datetime | None = None) -> str:
    """A short date for lists: ``now``, ``12 min``, ``3 h``, ``4 d``, ``Feb 5``, ``Feb 5, 2020``."""
    if moment is None:
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
    local = moment.astimezone()
    if local.year == now.astimezone().year and seconds > 0:
        return f"{local:%b} {local.day}"
    return f"{local:%b} {local.day}, {local.year}"


def full_date(moment: datetime | None) -> str:
    """The date and time in the local time zone, spelled out."""
    if moment is None:
        return UNDATED
    local = moment.astimezone()
    zone = local.tzname() or ""
    return f"{local:%A, %B} {local.day}, {local.year}, {local:%H:%M} {zone}".rstrip()


def from_timestamp(stamp: float | None) -> datetime | None:
    return datetime.fromtimestamp(stamp, timezone.utc) if stamp is not None else None
