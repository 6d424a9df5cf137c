"""Volume over time: periods in the reader's time zone, counted by SQLite, agree with search."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.library import Library, View, ViewKind
from reader.search import QueryError, parse_query
from reader.timeline import Step, Zone, bucket, choose_step

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def write_docs(folder: Path, moments: list[datetime | None], *, topic: str = "Testing", provider: str = "Test News") -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i, moment in enumerate(moments):
        when = f"publishedDateTime: {moment.astimezone(timezone.utc):%Y-%m-%dT%H:%M:%SZ}\n" if moment else ""
        (folder / f"{provider.replace(' ', '')}-{topic.replace(' ', '')}-{i:04d}.md").write_text(
            f'---\ncategory: news\ntitle: "Article {i} of {topic}"\nexcerpt: "Some words"\n{when}'
            f'webUrl: "https://example.com/{provider.replace(" ", "")}/{topic.replace(" ", "")}/{i}"\n'
            f"type: article\nprovider:\n  name: {provider}\n  domain: example.com\ntopics:\n  - {topic}\n---\n",
            encoding="utf-8",
        )


def test_days_follow_the_local_clock_across_summer_time(tmp_path: Path) -> None:
    # Stockholm went to summer time on 2021-03-28 at 01:00 UTC (02:00 -> 03:00 local) and back
    # on 2021-10-31 at 01:00 UTC (03:00 -> 02:00 local).
    moments = [
        datetime(2021, 3, 27, 22, 59, tzinfo=timezone.utc),  # 23:59 CET, March 27
        datetime(2021, 3, 27, 23, 0, tzinfo=timezone.utc),  # 00:00 CET, March 28
        datetime(2021, 3, 28, 21, 59, tzinfo=timezone.utc),  # 23:59 CEST, March 28 (a 23-hour day)
        datetime(2021, 3, 28, 22, 0, tzinfo=timezone.utc),  # 00:00 CEST, March 29
        None,
    ]
    write_docs(tmp_path / "docs", moments)
    with Library(tmp_path / "data") as library:
        library.sync([str(tmp_path / "docs")])
        volume = library.volume(zone=STOCKHOLM)
        assert volume.step is Step.DAY
        assert [(b.label, b.total) for b in volume.buckets] == [("Mar 27, 2021", 1), ("Mar 28, 2021", 2), ("Mar 29, 2021", 1)]
        assert volume.undated == 1
        march_28 = volume.buckets[1]
        assert march_28.end - march_28.start == timedelta(hours=23)
        assert march_28.query_terms() == "after:2021-03-28T00:00+01:00 before:2021-03-29T00:00+02:00"
        # In UTC the same articles fall on other days.
        assert [b.total for b in library.volume(zone=timezone.utc).buckets] == [2, 2]
        assert library.volume(zone=timezone.utc).buckets[0].query_terms() == "after:2021-03-27 before:2021-03-28"


def test_the_system_zone_is_used_when_none_is_given(tmp_path: Path, time_zone: Callable[[str], None]) -> None:
    write_docs(tmp_path / "docs", [datetime(2021, 10, 30, 22, 30, tzinfo=timezone.utc)])  # 00:30 CEST, Oct 31
    time_zone("Europe/Stockholm")
    with Library(tmp_path / "data") as library:
        library.sync([str(tmp_path / "docs")])
        (only,) = library.volume().buckets
        assert only.label == "Oct 31, 2021"
        assert only.end - only.start == timedelta(hours=25)


def test_span_chooses_days_weeks_or_months() -> None:
    assert choose_step(0, 61) is Step.DAY
    assert choose_step(0, 62) is Step.WEEK
    assert choose_step(0, 700) is Step.WEEK
    assert choose_step(0, 800) is Step.MONTH


def test_weeks_start_on_monday_and_months_on_the_first(tmp_path: Path) -> None:
    # 2020-02-05 was a Wednesday; 2020-03-02 a Monday.
    write_docs(tmp_path / "docs", [datetime(2020, 2, 5, 12, tzinfo=timezone.utc), datetime(2020, 3, 2, 12, tzinfo=timezone.utc)])
    with Library(tmp_path / "data") as library:
        library.sync([str(tmp_path / "docs")])
        weeks = library.volume(zone=timezone.utc, step=Step.WEEK).buckets
        assert weeks[0].label == "Week of Feb 3, 2020" and weeks[-1].label == "Week of Mar 2, 2020"
        assert [b.total for b in weeks] == [1, 0, 0, 0, 1]
        months = library.volume(zone=timezone.utc, step=Step.MONTH).buckets
        assert [(b.label, b.total) for b in months] == [("February 2020", 1), ("March 2020", 1)]


def test_a_clock_turned_back_across_midnight_never_makes_a_day_go_backwards() -> None:
    # A made-up zone at UTC+1 whose clock, at 00:30 on June 1, 2020 (23:30 UTC), is turned
    # back to 23:30 on May 31 (UTC+0): local May 31 23:30-00:30 happens twice.
    from datetime import tzinfo

    change = datetime(2020, 5, 31, 23, 30)  # UTC
    local_change = datetime(2020, 6, 1, 0, 30)

    class Turned(tzinfo):
        def utcoffset(self, dt: datetime | None) -> timedelta:
            assert dt is not None
            return timedelta(hours=1 if not dt.fold and dt.replace(tzinfo=None) < local_change else 0)

        def fromutc(self, dt: datetime) -> datetime:
            moment = dt.replace(tzinfo=None)
            if moment < change:
                return dt + timedelta(hours=1)
            return dt.replace(fold=int(moment < local_change))

        def dst(self, dt: datetime | None) -> timedelta:
            return timedelta(0)

        def tzname(self, dt: datetime | None) -> str:
            return "Turned"

    instant = change.replace(tzinfo=timezone.utc).timestamp()
    june_1 = (date(2020, 6, 1) - date(1970, 1, 1)).days
    zone = Zone(instant - 5 * 86400, instant + 5 * 86400, Turned())
    assert zone.offset_at(instant - 1) == 3600 and zone.offset_at(instant + 3601) == 0
    assert zone.day_of(instant - 1) == june_1  # 00:29:59 on June 1
    assert zone.day_of(instant + 60) == june_1  # the clock says 23:31 May 31: still June 1 here
    assert zone.day_of(instant + 3600) == june_1  # 00:30 June 1 again
    days = [zone.day_of(instant + s) for s in range(-7200, 7200, 60)]
    assert days == sorted(days)
    assert zone.day_start(june_1) == instant - 1800  # 00:00 June 1 at UTC+1


def test_after_and_before_take_a_moment_with_an_offset() -> None:
    query = parse_query("after:2020-02-05T00:00+01:00 before:2020-02-06T12:30")
    assert query.params == (
        datetime(2020, 2, 4, 23, 0, tzinfo=timezone.utc).timestamp(),
        datetime(2020, 2, 6, 12, 30, tzinfo=timezone.utc).timestamp(),
    )
    with pytest.raises(QueryError, match="needs a date like"):
        parse_query("after:2020-02-05T25:00")


# --------------------------------------------------------------------------- the property

#: Moments near the summer-time changes of many zones (March, April, September to November).
near_changes = st.builds(
    lambda year, month, day, minutes: datetime(year, month, day, tzinfo=timezone.utc) + timedelta(minutes=minutes),
    st.integers(1995, 2030),
    st.sampled_from([3, 4, 9, 10, 11]),
    st.integers(1, 28),
    st.integers(0, 3 * 24 * 60),
)
anywhen = st.datetimes(datetime(1975, 1, 1), datetime(2035, 1, 1)).map(lambda d: d.replace(tzinfo=timezone.utc))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    moments=st.lists(st.one_of(near_changes, anywhen), min_size=1, max_size=12),
    zone=st.one_of(st.sampled_from([STOCKHOLM, ZoneInfo("America/New_York"), ZoneInfo("America/Santiago"), ZoneInfo("Australia/Lord_Howe")]), st.timezones()),
    step=st.sampled_from([None, Step.DAY, Step.WEEK, Step.MONTH]),
    read=st.sets(st.integers(0, 11)),
)
def test_period_counts_equal_search_counts(moments: list[datetime], zone: ZoneInfo, step: Step | None, read: set[int]) -> None:
    spread = max(moments) - min(moments)
    if step is Step.DAY and spread > timedelta(days=400) or step is Step.WEEK and spread > timedelta(days=3000):
        step = Step.MONTH  # (keeps the number of periods, and searches, small)
    with tempfile.TemporaryDirectory() as folder:
        write_docs(Path(folder) / "docs", list(moments))
        with Library(Path(folder) / "data") as library:
            library.sync([str(Path(folder) / "docs")])
            ids = [library.row(r).id for r in library.article_rowids()]  # type: ignore[union-attr]
            library.set_read([i for n, i in enumerate(ids) if n in read], True)
            volume = library.volume(zone=zone, step=step)
            assert volume.total == len(moments)
            for b in volume.buckets:
                assert b.start < b.end
                found = library.article_rowids(query=b.query_terms())
                assert len(found) == b.total, (b, zone)
                assert len(library.article_rowids(query=b.query_terms() + " is:unread")) == b.unread
            for earlier, later in zip(volume.buckets, volume.buckets[1:], strict=False):
                assert earlier.end == later.start
            # Each article lies in the period of its local date (as the zone's clock shows it).
            for moment in moments:
                local = moment.astimezone(zone).date()
                holding = [b for b in volume.buckets if b.start <= moment < b.end]
                assert len(holding) == 1
                epoch = date(1970, 1, 1)
                assert holding[0].first_day <= (local - epoch).days < holding[0].end_day, (moment, zone)


def test_volume_of_a_view_and_a_query(tmp_path: Path) -> None:
    write_docs(tmp_path / "docs", [datetime(2020, 2, d, 12, tzinfo=timezone.utc) for d in (1, 1, 2)], topic="Alpha")
    write_docs(tmp_path / "docs", [datetime(2020, 2, 3, 12, tzinfo=timezone.utc)], topic="Beta")
    with Library(tmp_path / "data") as library:
        library.sync([str(tmp_path / "docs")])
        assert [b.total for b in library.volume(View(ViewKind.TOPIC, "Alpha"), zone=timezone.utc).buckets] == [2, 1]
        assert [b.total for b in library.volume(query="topic:Beta", zone=timezone.utc).buckets] == [1]
        assert library.volume(query="nothingmatchesthis", zone=timezone.utc).buckets == ()


# --------------------------------------------------------------------------- trends


def test_trends_find_the_surge(tmp_path: Path) -> None:
    from datetime import timezone as tz

    newest = datetime(2024, 3, 31, 12, tzinfo=tz.utc)
    week = timedelta(days=7)
    # Computer Vision: 2 articles in the week before the last, 7 in the last one (3.5 times).
    write_docs(tmp_path / "docs", [newest - week - timedelta(days=d) for d in (1, 3)], topic="Computer Vision")
    write_docs(tmp_path / "docs", [newest - timedelta(days=d % 6, hours=d) for d in range(7)], topic="Computer Vision", provider="Lens Daily")
    # Steady: 5 a week for eight weeks; Fading: 6, then 1.
    write_docs(tmp_path / "docs", [newest - timedelta(days=7 * w + 1) for w in range(8) for _ in range(5)], topic="Steady", provider="Calm Times")
    write_docs(tmp_path / "docs", [newest - week - timedelta(days=2)] * 6 + [newest - timedelta(days=2)], topic="Fading", provider="Old Wire")
    # Creeping: 4, then 5 (more, but not half again as many: no trend).
    write_docs(tmp_path / "docs", [newest - week - timedelta(days=3)] * 4 + [newest - timedelta(days=3)] * 5, topic="Creeping", provider="Slow Post")
    with Library(tmp_path / "data") as library:
        library.sync([str(tmp_path / "docs")])
        found = library.trends(days=7)
        topics = [t for t in found if t.kind == "topic"]
        assert [t.name for t in topics] == ["Computer Vision"]
        (vision,) = topics
        assert (vision.recent, vision.before) == (7, 2)
        assert vision.text == "Computer Vision ↑ 3.5×, 7 articles"
        assert len(vision.series) == 8 and sum(vision.series) == 9
        sources = [t for t in found if t.kind == "source"]
        assert [t.name for t in sources] == ["Lens Daily"] and sources[0].change == "new"
        # Fewer than 50 articles in the last week: periods of 30 days.
        assert all(t.days == 30 for t in library.trends())


def test_the_summary_of_an_empty_or_undated_view_says_what_it_holds() -> None:
    zone = Zone(0, 86400, timezone.utc)
    assert bucket({}, zone).summary() == "No articles"
    assert bucket({}, zone, undated=3).summary() == "No dated articles (3 undated)"
    assert bucket({0: (2, 1)}, zone, undated=1).summary().endswith("(1 undated)")


def test_the_short_summary_keeps_the_counts_and_the_dates_with_their_years() -> None:
    """A narrow chart's caption: the same counts and range in fewer words (the periods'
    count goes, months are abbreviated, a week is named by its first day)."""
    zone = Zone(0, 86400, timezone.utc)
    days = bucket({0: (2, 1), 40: (1, 0)}, zone, step=Step.DAY, undated=1)  # (1 January and 10 February 1970)
    assert days.summary() == "3 articles over 41 days, Jan 1, 1970 – Feb 10, 1970 (1 undated)"
    assert days.summary(short=True) == "3 articles, Jan 1, 1970 – Feb 10, 1970 (1 undated)"
    weeks = bucket({0: (2, 1), 40: (1, 0)}, zone, step=Step.WEEK)  # (weeks from Monday 29 December 1969)
    assert weeks.summary() == "3 articles over 7 weeks, Week of Dec 29, 1969 – Week of Feb 9, 1970"
    assert weeks.summary(short=True) == "3 articles, Dec 29, 1969 – Feb 9, 1970"
    months = bucket({0: (2, 1), 800: (1, 1)}, zone, step=Step.MONTH)  # (to 11 March 1972)
    assert months.summary(short=True) == "3 articles, Jan 1970 – Mar 1972"
    assert bucket({}, zone, undated=3).summary(short=True) == "No dated articles (3 undated)"


def test_day_and_month_names_are_english_whatever_the_locale(swedish_dates: str, time_zone: Callable[[str], None]) -> None:
    """Under a Swedish LC_TIME the C library names 20 December 2019 "fredag" and "dec"; the
    window's words are English, and so are its dates (the README's "Feb 5, 2020",
    "Wednesday, February 5, 2020")."""
    import locale

    from reader.timefmt import full_date, relative_date
    from reader.timeline import short_moment, story_line

    time_zone("UTC")
    assert locale.setlocale(locale.LC_TIME) == swedish_dates
    assert f"{date(2019, 12, 20):%A %B}" == "fredag december"  # the locale is in force
    moment = datetime(2019, 12, 20, 18, 53, tzinfo=timezone.utc)
    assert full_date(moment) == "Friday, December 20, 2019, 18:53 UTC"
    assert relative_date(moment, now=datetime(2020, 3, 1, tzinfo=timezone.utc)) == "Dec 20, 2019"
    assert relative_date(moment, now=datetime(2019, 12, 31, tzinfo=timezone.utc)) == "Dec 20"
    assert short_moment(moment) == "Dec 20 18:53"
    later = datetime(2019, 12, 23, 17, 48, tzinfo=timezone.utc)
    assert story_line("The Daily Beast", [moment, later], 8, timezone.utc) == "first: The Daily Beast, Dec 20 18:53 · 8 outlets over 4 days"
    zone = Zone(moment.timestamp(), moment.timestamp(), timezone.utc)
    day = zone.day_of(moment.timestamp())
    labels = {step: bucket({day: (1, 1)}, zone, step).buckets[0] for step in Step}
    assert (labels[Step.DAY].label, labels[Step.DAY].short_label) == ("Dec 20, 2019", "Dec 20")
    assert labels[Step.WEEK].label == "Week of Dec 16, 2019"  # (a Monday)
    assert (labels[Step.MONTH].label, labels[Step.MONTH].short_label) == ("December 2019", "Dec 2019")
