"""Dates at the edges of time: placeholders such as Go's zero time 0001-01-01T00:00:00Z and
9999-12-31T23:59:59Z are no date (one rule, :func:`reader.timefmt.dated`), in every time
zone; 1970-01-01T00:00:00Z is a date; a document dated in the future leaves recency alone."""

from __future__ import annotations

import io
import json
import textwrap
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from reader import stories
from reader.article import Article
from reader.cli import main
from reader.documents import parse_bytes
from reader.library import Library, View, ViewKind
from reader.timefmt import EARLIEST, LATEST, from_timestamp, full_date, relative_date
from reader.timeline import story_line

UTC = timezone.utc

YEAR_1 = '---\ntitle: "A document of Go\'s zero time"\npublishedDateTime: 0001-01-01T00:00:00Z\noriginalUrl: https://past.example/ms\n---\n'
YEAR_9999 = '---\ntitle: "A document from the far future"\npublishedDateTime: 9999-12-31T23:59:59Z\noriginalUrl: https://future.example/x\n---\n'
RELATED = textwrap.dedent("""\
    ---
    title: "Clearview AI told to stop scraping faces from YouTube"
    publishedDateTime: 2021-03-01T10:00:00Z
    originalUrl: https://a.example/clearview
    related:
      - {title: "YouTube tells Clearview AI to stop scraping faces", url: "https://k.example/x", publishedDateTime: "0001-01-01T00:00:00Z"}
    ---
    """)


def run(*argv: str | Path) -> tuple[int, str]:
    out = io.StringIO()
    return main([str(a) for a in argv], out), out.getvalue()


def article(text: str) -> Article:
    parsed = parse_bytes(text.encode(), "doc.md")
    assert isinstance(parsed, Article), parsed
    return parsed


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "year1.md").write_text(YEAR_1, encoding="utf-8")
    (folder / "year9999.md").write_text(YEAR_9999, encoding="utf-8")
    (folder / "rel.md").write_text(RELATED, encoding="utf-8")
    return folder


# --------------------------------------------------------------------------- reading


def test_placeholder_dates_are_no_date_and_say_so() -> None:
    year_1 = article(YEAR_1)
    assert year_1.published is None
    assert year_1.notes == ("publishedDateTime: '0001-01-01T00:00:00+00:00' is a placeholder, not a date (years 2 to 9998 are dates): undated",)
    assert article(YEAR_9999).published is None and len(article(YEAR_9999).notes) == 1
    # Before the year 1 in UTC (it was "out of range", a problem): no date either.
    assert article(YEAR_1.replace("00:00:00Z", "00:00:00+01:00")).published is None
    related = article(RELATED)
    assert related.published == datetime(2021, 3, 1, 10, tzinfo=UTC)
    assert related.related[0].published is None
    assert related.notes == ("related item 1 publishedDateTime: '0001-01-01T00:00:00Z' is a placeholder, not a date (years 2 to 9998 are dates): undated",)


def test_the_years_2_to_9998_are_dates() -> None:
    assert article(YEAR_1.replace("0001-01-01T00:00:00Z", "0002-01-01T00:00:00Z")).published == datetime(2, 1, 1, tzinfo=UTC)
    late = article(YEAR_9999.replace("9999-12-31T23:59:59Z", "9998-12-31T23:59:59Z"))
    assert late.published == datetime(9998, 12, 31, 23, 59, 59, tzinfo=UTC) and late.notes == ()
    assert article(YEAR_1.replace("0001-01-01T00:00:00Z", "1970-01-01T00:00:00Z")).published == datetime(1970, 1, 1, tzinfo=UTC)


def test_reader_check_says_why_a_document_is_undated(docs: Path) -> None:
    code, out = run("check", docs)
    assert code == 0
    lines = out.splitlines()
    year_1 = lines.index(next(line for line in lines if line.endswith("year1.md: news · undated · no source · “A document of Go's zero time”")))
    note = "publishedDateTime: '0001-01-01T00:00:00+00:00' is a placeholder, not a date (years 2 to 9998 are dates): undated"
    assert lines[year_1 + 1] == f"          note: {note}"
    assert lines[-1] == "3 documents: 3 ok, 0 problems"
    code, out = run("check", "--json", docs / "rel.md")
    (record,) = [json.loads(line) for line in out.splitlines()]
    assert record["published"] == "2021-03-01T10:00:00Z"
    assert record["notes"] == ["related item 1 publishedDateTime: '0001-01-01T00:00:00Z' is a placeholder, not a date (years 2 to 9998 are dates): undated"]


# --------------------------------------------------------------------------- local dates


def test_local_dates_at_the_edges_in_zones_west_and_east_of_utc(zone: str) -> None:
    # The first moment that is a date, 0002-01-01T00:00Z: still the year 1 in New York
    # (local mean time, 4 h 56 min behind), the year 2 in Tokyo (9 h 19 min ahead).
    west = zone == "America/New_York"
    assert relative_date(EARLIEST) == ("Dec 31, 1" if west else "Jan 1, 2")
    # (0001-01-01 is a Monday in the proleptic Gregorian calendar, and the year 1 has 365 days.)
    assert full_date(EARLIEST).startswith("Monday, December 31, 1," if west else "Tuesday, January 1, 2,")
    # The last one, 9998-12-31T23:59:59Z: the next day in Tokyo, the year 9999.
    last = LATEST - timedelta(seconds=1)
    assert relative_date(last) == ("Dec 31, 9998" if west else "Jan 1, 9999")
    assert full_date(last).startswith("Thursday, December 31, 9998," if west else "Friday, January 1, 9999,")
    for placeholder in (datetime(1, 1, 1, tzinfo=UTC), datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)):
        assert relative_date(placeholder) == "undated" and full_date(placeholder) == "undated"
        assert from_timestamp(placeholder.timestamp()) is None
    assert from_timestamp(0.0) == datetime(1970, 1, 1, tzinfo=UTC)
    # A story's line: of the dated versions (a placeholder's stamp is none, above).
    assert story_line("A", [datetime(2021, 3, 1, 10, tzinfo=UTC)], 3).endswith("· 3 outlets on one day")
    assert story_line("A", [], 1) == "1 outlet, undated"


def placeholder_stamps(library: Library) -> None:
    """The placeholders as a library written before the rule kept them (as timestamps)."""
    for name, moment in (("year1.md", datetime(1, 1, 1, tzinfo=UTC)), ("year9999.md", datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC))):
        (article_id,) = [a for (a,) in library.db.execute("SELECT id FROM articles") if Path(library.paths(a)[0]).name == name]
        for table in ("articles", "entries"):
            library.db.execute(f"UPDATE {table} SET published = ? WHERE id = ?", (moment.timestamp(), article_id))


@pytest.mark.parametrize("stored_before", [False, True], ids=["read-now", "stored-before"])
def test_stats_count_placeholders_as_undated(docs: Path, tmp_path: Path, zone: str, stored_before: bool) -> None:
    data = tmp_path / "data"
    with Library(data) as library:
        library.sync([str(docs)])
        if stored_before:
            placeholder_stamps(library)
        for volume in (library.volume(), library.volume(zone=ZoneInfo(zone))):  # (the system's zone, and named)
            assert [(b.label, b.total) for b in volume.buckets] == [("Mar 1, 2021", 1)]
            assert volume.undated == 2
    code, out = run("stats", "--data-dir", data)
    assert code == 0
    assert out.splitlines()[-1] == "1 article over 1 day, Mar 1, 2021 – Mar 1, 2021 (2 undated)"


# --------------------------------------------------------------------------- search


def test_search_prints_1970_01_01_as_a_date(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "epoch.md").write_text(YEAR_1.replace("0001-01-01T00:00:00Z", "1970-01-01T00:00:00Z"), encoding="utf-8")
    (folder / "year1.md").write_text(YEAR_1.replace("https://past.example/ms", "https://past.example/zero"), encoding="utf-8")
    code, out = run("search", "zero", folder, "--data-dir", tmp_path / "data", "--sort", "oldest")
    assert code == 0
    assert [line[:10] for line in out.splitlines()] == ["1970-01-01", "undated   "]
    code, out = run("search", "zero", "--data-dir", tmp_path / "data", "--sort", "oldest", "--json")
    assert [json.loads(line)["published"] for line in out.splitlines()] == ["1970-01-01T00:00:00Z", None]


# --------------------------------------------------------------------------- recency


def write(folder: Path, name: str, title: str, when: str, domain: str, heat: int | None = None, quality: int | None = None) -> None:
    extra = "".join(f"{key}: {value}\n" for key, value in (("heat", heat), ("quality", quality)) if value is not None)
    (folder / name).write_text(
        f'---\ntitle: "{title}"\nexcerpt: "{title}."\npublishedDateTime: {when}\nwebUrl: "https://{domain}/{name}"\n'
        f'provider:\n  name: "{domain}"\n  domain: "{domain}"\n{extra}---\n',
        encoding="utf-8",
    )


@pytest.fixture
def ranked(tmp_path: Path) -> Iterator[tuple[Library, Path]]:
    """Three stories of March 2024: three outlets on the 24th; two outlets, hot and good, on
    the 1st; two outlets on the 31st (the newest articles)."""
    folder = tmp_path / "docs"
    folder.mkdir()
    for i, domain in enumerate(["a.example", "b.example", "c.example"]):
        write(folder, f"wide{i}.md", "Volcano erupts near Reykjavik, flights cancelled", "2024-03-24T12:00:00Z", domain)
    for i, domain in enumerate(["d.example", "e.example"]):
        write(folder, f"hot{i}.md", "Chip maker unveils record breaking quantum processor", "2024-03-01T12:00:00Z", domain, 100, 90)
    for i, domain in enumerate(["f.example", "g.example"]):
        write(folder, f"new{i}.md", "City council approves new bicycle lanes downtown", "2024-03-31T12:00:00Z", domain)
    with Library(tmp_path / "data") as library:
        library.sync([folder])
        yield library, folder


def scores(library: Library) -> dict[str, float]:
    rowids = library.article_rowids(View(ViewKind.TOP))
    rows = library.rows(rowids)
    found = {}
    for rowid in rowids:
        ranking = stories.ranking(library.db, rows[rowid].id)
        assert ranking is not None
        found[rows[rowid].title.split()[0]] = round(ranking.score, 1)
    return found


def test_a_document_dated_in_the_future_leaves_the_recency_of_others_alone(ranked: tuple[Library, Path]) -> None:
    library, folder = ranked
    # hot: 40*2/8 + 25 + 15*0.9 + 20*0 (30 days older than the newest) = 48.5;
    # new: 40*2/8 + 20*1 = 30.0; wide: 40*3/8 + 20*(1 - 7/14) = 25.0.
    expected = {"Chip": 48.5, "City": 30.0, "Volcano": 25.0}
    assert scores(library) == expected
    write(folder, "far.md", "Local bakery wins national bread award", "2500-06-01T00:00:00Z", "h.example")
    library.sync([folder])
    assert scores(library) == expected
    # A story dated after now counts as the newest: 40*2/8 + 20*1.
    for i, domain in enumerate(["i.example", "j.example"]):
        write(folder, f"comet{i}.md", "Comet lands on the roof of the town hall of Uppsala", "2500-06-01T00:00:00Z", domain)
    library.sync([folder])
    assert scores(library) == {**expected, "Comet": 30.0}


def test_trends_end_at_the_newest_article_not_after_now(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    newest = datetime(2024, 3, 31, 12, tzinfo=UTC)
    # Computer Vision: 1 article in the week before the last, 4 in the last one.
    moments = [newest - timedelta(days=9)] + [newest - timedelta(days=d) for d in range(4)]
    for i, moment in enumerate(moments):
        write(folder, f"cv{i}.md", f"Computer vision report number {i}", f"{moment:%Y-%m-%dT%H:%M:%SZ}", "lens.example")
    with Library(tmp_path / "data") as library:
        library.sync([folder])
        assert [(t.name, t.recent, t.before) for t in library.trends(days=7)] == [("lens.example", 4, 1)]
        write(folder, "far.md", "Local bakery wins national bread award", "2500-06-01T00:00:00Z", "bakery.example")
        library.sync([folder])
        assert [(t.name, t.recent, t.before) for t in library.trends(days=7)] == [("lens.example", 4, 1)]


def test_trends_leave_out_what_is_dated_after_now_even_within_a_period_of_the_newest(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    newest = datetime.now(UTC) - timedelta(days=1)
    # Computer Vision: 1 article in the week before the last, 4 in the last one (newest a day ago).
    moments = [newest - timedelta(days=9)] + [newest - timedelta(days=d) for d in range(4)]
    # and 3 dated two days from now: less than a week after the newest, but after now
    moments += [datetime.now(UTC) + timedelta(days=2, hours=h) for h in range(3)]
    for i, moment in enumerate(moments):
        write(folder, f"cv{i}.md", f"Computer vision report number {i}", f"{moment:%Y-%m-%dT%H:%M:%SZ}", "lens.example")
    with Library(tmp_path / "data") as library:
        library.sync([folder])
        assert [(t.name, t.recent, t.before, tuple(t.series[-2:])) for t in library.trends(days=7)] == [("lens.example", 4, 1, (1, 4))]
