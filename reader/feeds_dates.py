"""Dates as feeds write them, read strictly: a date that cannot be read with confidence is
undated, never a different day.

The rule (also in the README):

- RFC 822 / RFC 2822 dates (``Sat, 07 Sep 2002 09:42:31 GMT``) with or without the weekday,
  in any language's weekday (``Fr,`` ``Mi,``), with one or more spaces, with a two-digit year
  (``07 Dec 17``: 2017; 50–99 are 1950–1999) and a numeric offset or a well-known zone name
  (GMT, UTC, UT, Z, EST/EDT, CST/CDT, MST/MDT, PST/PDT, CET/CEST, …);
- ISO 8601 / RFC 3339 (``2022-09-10``, ``2019-05-18T10:58:46.123+03:00``,
  ``2019-05-18 10:58:46 +0300``), a date alone meaning midnight;
- year first with slashes or dots (``2020/1/10 14:33:00``);
- month name first (``January 5, 2020 10:00``).

A date without a zone is UTC. An unknown zone name, a day/month order that cannot be told
(``03/04/2020``), a day that does not exist, a placeholder year (1 or 9999: see
:func:`reader.timefmt.dated`) or anything else is *undated*. Pure functions; no Qt.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from reader.timefmt import dated

_MONTHS = {
    # English, then the forms other languages' feeds commonly use where they differ.
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
    "sept": 9, "mär": 3, "mrz": 3, "mai": 5, "okt": 10, "dez": 12,
}  # fmt: skip

#: Zone names whose offset is not in doubt (hours east of UTC).
_ZONES = {
    "z": 0, "ut": 0, "utc": 0, "gmt": 0, "wet": 0, "west": 1, "bst": 1,
    "cet": 1, "cest": 2, "met": 1, "mest": 2, "eet": 2, "eest": 3, "msk": 3,
    "est": -5, "edt": -4, "cst": -6, "cdt": -5, "mst": -7, "mdt": -6, "pst": -8, "pdt": -7,
    "akst": -9, "akdt": -8, "hst": -10, "jst": 9, "kst": 9, "aest": 10, "aedt": 11,
}  # fmt: skip

_TIME = r"(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:[.,]\d+)?)?"
_ZONE = r"(?P<zone>[+-]\d{2}:?\d{2}|[+-]\d{2}|[A-Za-z]{1,5})"

_RFC822 = re.compile(
    r"(?:[^\W\d_]+\.?(?:,\s*|\s+))?"  # a weekday in any language, or none
    r"(?P<d>\d{1,2})[\s-]+(?P<mon>[^\W\d_]{3,9})\.?[\s-]+(?P<y>\d{4}|\d{2})"
    rf"(?:,?\s+{_TIME})?(?:\s*{_ZONE})?"
)
_ISO = re.compile(
    r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
    rf"(?:(?:T|\s+){_TIME})?\s*{_ZONE}?"
)
_YEAR_FIRST = re.compile(
    r"(?P<y>\d{4})(?P<sep>[/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})"
    rf"(?:(?:T|\s+){_TIME})?(?:\s*{_ZONE})?"
)
_MONTH_FIRST = re.compile(
    r"(?:[^\W\d_]+\.?(?:,\s*|\s+))?"
    r"(?P<mon>[^\W\d_]{3,9})\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})"
    rf"(?:,?\s+{_TIME})?(?:\s*{_ZONE})?"
)
#: ``(GMT)`` style comments and a trailing "Uhr"/"h" are noise.
_NOISE = re.compile(r"\s*\((?:[A-Za-z ]+)\)\s*$")


def parse_date(text: object) -> datetime | None:
    """``text`` as an aware UTC datetime, or None when it cannot be read with confidence."""
    if not isinstance(text, str):
        return None
    value = " ".join(text.split())
    value = _NOISE.sub("", value)
    if not value or len(value) > 80:
        return None
    for pattern in (_ISO, _RFC822, _YEAR_FIRST, _MONTH_FIRST):
        found = pattern.fullmatch(value)
        if found is not None:
            return _build(found)
    return None


def _build(found: re.Match[str]) -> datetime | None:
    parts = found.groupdict()
    year = int(parts["y"])
    if len(parts["y"]) == 2:
        year += 2000 if year < 50 else 1900
    if parts.get("mon") is not None:
        month = _MONTHS.get(parts["mon"].lower()[:4]) or _MONTHS.get(parts["mon"].lower()[:3])
        if month is None:
            return None
    else:
        month = int(parts["m"])
    offset = _offset(parts.get("zone"))
    if offset is None:
        return None
    try:
        moment = datetime(
            year, month, int(parts["d"]),
            int(parts["h"] or 0), int(parts["mi"] or 0), int(parts["s"] or 0),
            tzinfo=timezone(offset),
        )  # fmt: skip
        return dated(moment.astimezone(timezone.utc))  # (0001-01-01, 9999-12-31: placeholders)
    except (ValueError, OverflowError):  # 31 February, hour 25, before the year 1 ...: no day
        return None


def _offset(zone: str | None) -> timedelta | None:
    if not zone:
        return timedelta(0)  # no zone: UTC
    if zone[0] in "+-":
        digits = zone[1:].replace(":", "")
        hours, minutes = int(digits[:2]), int(digits[2:] or 0)
        if hours > 14 or minutes > 59:
            return None
        sign = -1 if zone[0] == "-" else 1
        return sign * timedelta(hours=hours, minutes=minutes)
    offset = _ZONES.get(zone.lower())
    return None if offset is None else timedelta(hours=offset)
