"""The reports a story of documents holds are a group of related entries that the reports
later lists name join."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader import stories
from reader.stories.model import Item, Related
from reader.stories.related import ENTRIES_SIMILAR, REPORTS_PREFIX, SAME_TIME_HOURS, SIMILAR_PER_DAY, EntryStories
from reader.stories.text import read_words
from tests.test_stories_adopt import _write, appended_and_whole
from tests.test_stories_claim_again import _DAY, _FILLER, _REPORT, _START

#: Another report of the document's news (its hiring pause), in the words of its report.
_HALT = ("Kestrel Dynamics halts hiring for back-office roles",
         "The robot maker Kestrel Dynamics halted hiring for back-office roles that robots could do, its chief executive said.")
_DOCUMENT = ("Kestrel Dynamics pauses hiring", "The firm said on Monday it would pause hiring.")


def _listed_later(text: tuple[str, str], hours: float, column_hours: float = 6,
                  report: Related = _REPORT) -> tuple[stories.Grouper, EntryStories, Related, float]:
    """The document (day 1) lists ``report``, which its story takes; a column on other news
    ``column_hours`` later lists an entry of title and excerpt ``text`` dated ``hours`` after
    the document. Returns the entry and its cosine with the report."""
    entry = Related("three.org/halt", *text, _START + _DAY + hours * 3_600)
    grouper = stories.Grouper()
    entries = EntryStories(grouper)
    document = Item("doc", _START + _DAY, read_words(*_DOCUMENT), frozenset({"example.org/doc"}), (report,))
    column = Item("column", _START + _DAY + column_hours * 3_600, read_words("Column on the week", "Thoughts about many things."),
                  frozenset({"example.org/column"}), (entry,))
    cosine = 0.0
    for item in [*_FILLER, document, column]:
        grouper.add(item)
        if item is column:
            cosine = sum(w * grouper.entry_vector(report).get(k, 0.0) for k, w in grouper.entry_vector(entry).items())
        entries.add(item)
    return grouper, entries, entry, cosine


@pytest.mark.parametrize("hours", [-20, 6, 30])
def test_a_report_a_later_list_names_joins_the_story_that_holds_the_reports_it_is_like(hours: float) -> None:
    grouper, entries, entry, cosine = _listed_later(_HALT, hours, column_hours=max(hours, 6))
    assert cosine >= ENTRIES_SIMILAR + SIMILAR_PER_DAY * max(0.0, abs(hours) / 24 - SAME_TIME_HOURS / 24)  # (the texts)
    assert grouper.story_of["column"] == "column"  # (the column is other news)
    assert grouper.claimed == {_REPORT.key: "doc", entry.key: "doc"}
    assert grouper.groups["doc"].claims == [_REPORT.key, entry.key]
    assert not entries.stories  # (no story of related entries alone)


@pytest.mark.parametrize(("text", "hours"), [
    (_HALT, 72),  # (three days later: it would need more)
    (("Kestrel Dynamics opens a robot plant in Ohio", "Kestrel Dynamics opened a robot plant in Ohio on Monday."), 6),
    ((f"Analysis: {_HALT[0]}", _HALT[1]), 6),  # (a piece about the news)
])
def test_a_later_report_other_news_or_a_piece_about_the_news_stays_out(text: tuple[str, str], hours: float) -> None:
    grouper, entries, entry, _ = _listed_later(text, hours)
    assert entry.key not in grouper.claimed and entries.pending(entry.key)


def test_a_story_that_holds_no_report_gathers_none() -> None:
    """(A document whose story took none of its list: the reports of a later list meet
    no group of reports, and make a story of their own only together.)"""
    unlike = Related("one.org/garden", "Tomato growers expect a wet summer", "Growers of tomatoes expect rain.", _START + _DAY)
    grouper, entries, entry, _ = _listed_later(_HALT, 6, report=unlike)
    assert grouper.claimed == {} and entries.pending(entry.key)
    assert not any(group.startswith(REPORTS_PREFIX) for group in entries._open)


def test_a_report_a_later_list_names_is_taken_when_appended_as_when_grouped_at_once(tmp_path: Path) -> None:
    entry = Related("three.org/halt", *_HALT, None)
    found, expected = appended_and_whole(
        tmp_path, lambda folder: _write(folder, "doc.md", *_DOCUMENT, "11-28", (_REPORT,)),
        lambda folder: _write(folder, "column.md", "Column on the week", "Thoughts about many things.", "11-29", (entry,)))
    assert found == expected
    assert {key: story for key, story, _, _ in found[1]} == {"one.org/hiring": "doc.md", "three.org/halt": "doc.md"}


def test_a_copy_listed_before_of_a_report_that_joins_is_taken_with_it() -> None:
    """A piece of the hour before lists a copy of the later report's headline under another
    link, with an excerpt of its own news (the report is more like the story's reports than
    like it); once the report joins the story's reports, the story takes the copy too, as it
    takes the copies of any entry it claims."""
    title = "Kestrel Dynamics halts hiring for roles robots could do"
    copy = Related("zero.org/halt", title, "Port robots unloaded the freighter at night; the harbour's other news, "
                   "the tides and the ferries, in brief.", _START + _DAY - 3_600)
    entry = Related("three.org/halt", title, "Kestrel Dynamics will halt hiring for back-office roles that robots could do, "
                    "its chief executive said.", _START + _DAY + 6 * 3_600)
    grouper = stories.Grouper()
    entries = EntryStories(grouper)
    earlier = Item("earlier", _START + _DAY - 3_600, read_words("Harbour robots unload the freighter at night", "Port robots worked."),
                   frozenset({"example.org/earlier"}), (copy,))
    document = Item("doc", _START + _DAY, read_words(*_DOCUMENT), frozenset({"example.org/doc"}), (_REPORT,))
    column = Item("column", _START + _DAY + 6 * 3_600, read_words("Column on the week", "Thoughts about many things."),
                  frozenset({"example.org/column"}), (entry,))
    for item in [*_FILLER, earlier, document, column]:
        grouper.add(item)
        entries.add(item)
    assert grouper.claimed == {_REPORT.key: "doc", entry.key: "doc", copy.key: "doc"}
    assert grouper.listed_by[copy.key] == "earlier"
    assert not entries.stories
