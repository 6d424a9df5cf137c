"""A copy of a headline listed after a story took it joins that story."""

from __future__ import annotations

from pathlib import Path

from reader import stories
from reader.stories.matching import COPY_DAYS
from reader.stories.model import Item, Related
from reader.stories.related import EntryStories
from reader.stories.text import read_words
from tests.test_stories_adopt import _write, appended_and_whole

_DAY = 86_400.0
_START = 1_600_000_000.0
_FILLER = [Item(f"f{n}", _START - 5 * _DAY + n * 0.01 * _DAY, read_words(f"Unrelated note {n} on gardening", "Tomatoes and beans."),
                frozenset({f"example.org/f{n}"})) for n in range(30)]
_HEADLINE = "Kestrel Dynamics pauses hiring for roles robots could do"
_EXCERPT = "Kestrel Dynamics will pause hiring for back-office roles that robots could do, its chief executive said."


def _grouped(days_later: float) -> tuple[stories.Grouper, EntryStories]:
    """A report lists a wire story (taken by its story); another document, of other news and
    ``days_later``, lists a copy of that wire story under another link (another outlet's)."""
    grouper = stories.Grouper()
    entries = EntryStories(grouper)
    report = Item("report", _START, read_words("Kestrel Dynamics pauses hiring", _EXCERPT), frozenset({"example.org/report"}),
                  (Related("one.org/hiring", _HEADLINE, _EXCERPT, _START),))
    copy = Related("two.org/hiring", _HEADLINE, "The company said it would pause hiring.", _START + days_later * _DAY)
    other = Item("other", _START + days_later * _DAY, read_words("Harbour robots unload the freighter at night", "Port robots worked."),
                 frozenset({"example.org/other"}), (copy,))
    for item in [*_FILLER, report, other]:
        grouper.add(item)
        entries.add(item)
    return grouper, entries


def test_a_copy_listed_later_joins_the_story_that_holds_its_headline() -> None:
    grouper, entries = _grouped(1)
    assert grouper.story_of["other"] == "other"
    assert grouper.claimed == {"one.org/hiring": "report", "two.org/hiring": "report"}
    assert grouper.listed_by["two.org/hiring"] == "other"
    assert not entries.stories


def test_a_copy_listed_days_later_joins_the_reports_the_story_holds() -> None:
    """More than COPY_DAYS after: not as a copy the story takes itself, but as a copy of the
    headline of a report it holds (its group of reports), as it would join a story of
    related entries alone that held that report."""
    grouper, entries = _grouped(COPY_DAYS + 1)
    assert grouper.claimed == {"one.org/hiring": "report", "two.org/hiring": "report"}
    assert not entries.stories


def test_a_copy_beyond_the_storys_window_stays_out() -> None:
    grouper, _ = _grouped(17)
    assert grouper.claimed == {"one.org/hiring": "report"}


def test_appended_the_same_as_grouped_at_once(tmp_path: Path) -> None:
    found, expected = appended_and_whole(
        tmp_path,
        lambda folder: _write(folder, "report.md", "Kestrel Dynamics pauses hiring", _EXCERPT, "11-27",
                              (Related("one.org/hiring", _HEADLINE, _EXCERPT, None),)),
        lambda folder: _write(folder, "other.md", "Harbour robots unload the freighter at night", "Port robots worked.", "11-28",
                              (Related("two.org/hiring", _HEADLINE, "The company said it would pause hiring.", None),)))
    assert found == expected
    assert {key: story for key, story, _, _ in found[1]} == {"one.org/hiring": "report.md", "two.org/hiring": "report.md"}
    (row,) = [row for row in found[2] if row[0] == "report.md"]
    assert row[2:4] == (3, 3)  # (versions: the report and both copies; outlets: its own and the two links')
