"""A story compares the related entries of one list it left again, with the reports it took;
then takes those still alone that are like it and its reports."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from reader import stories
from reader.stories import matching, model
from reader.stories.matching import AGAIN_BEFORE_HOURS, AGAIN_HOURS, RELATED_SIMILAR, SAME_TIME_HOURS
from reader.stories.model import Item, Related
from reader.stories.related import ADOPT_SIMILAR, LEFT_AFTER_HOURS, REPORTS_SIMILAR, EntryStories
from reader.stories.text import read_words
from tests.test_stories_adopt import _write, appended_and_whole

_DAY = 86_400.0
_START = 1_600_000_000.0
_FILLER = [Item(f"f{n}", _START + n * 0.01 * _DAY, read_words(f"Unrelated note {n} on gardening", "Tomatoes and beans."),
                frozenset({f"example.org/f{n}"})) for n in range(30)]
#: A report that restates the document's news (taken by the document's story alone).
_REPORT = Related("one.org/hiring", "Kestrel Dynamics pauses hiring for roles robots could do",
                  "Kestrel Dynamics will pause hiring for back-office roles that robots could do, chief executive "
                  "Arvid Norquist said.", _START + _DAY)
#: Another report of it in other words: none of the document's.
_OTHER_WORDS = ("Norquist says robots could do a third of back-office roles",
                "Chief executive Arvid Norquist expects robots to take a third of back-office roles within five years.")


def _grouped(title: str, hours: float, earlier: tuple[Item, ...] = ()) -> tuple[stories.Grouper, Related]:
    """A document that says little lists the report and another entry (``title``, in the
    report's words, dated ``hours`` after the document); ``earlier``: articles before it."""
    other = Related("two.org/roles", title, _OTHER_WORDS[1], _START + _DAY + hours * 3_600)
    grouper = stories.Grouper()
    document = Item("doc", _START + _DAY, read_words("Kestrel Dynamics pauses hiring", "The firm said on Monday it would pause hiring."),
                    frozenset({"example.org/doc"}), (_REPORT, other))
    for item in [*_FILLER, *earlier, document]:
        grouper.add(item)
    group = grouper.groups[grouper.story_of["doc"]]
    assert grouper._cosine(grouper.entry_vector(_REPORT), group) >= RELATED_SIMILAR  # (taken by the document alone)
    assert grouper._cosine(grouper.entry_vector(other), group) < RELATED_SIMILAR  # (not by the document alone)
    return grouper, other


@pytest.mark.parametrize("hours", [1, -3, AGAIN_HOURS, -30, -AGAIN_BEFORE_HOURS])
def test_an_entry_of_the_same_day_like_the_reports_taken_is_taken(hours: float) -> None:
    grouper, other = _grouped(_OTHER_WORDS[0], hours)
    assert grouper.claimed == {_REPORT.key: "doc", other.key: "doc"}
    assert grouper.groups["doc"].claims == [_REPORT.key, other.key]


@pytest.mark.parametrize(("title", "hours"), [
    (_OTHER_WORDS[0], AGAIN_HOURS + 1),  # (a later report: a follow-up, a reaction)
    (_OTHER_WORDS[0], 2 * 24),
    (_OTHER_WORDS[0], -AGAIN_BEFORE_HOURS - 1),  # (long before)
    (f"Analysis: {_OTHER_WORDS[0]}", 1),  # (a piece about the news)
])
def test_a_later_entry_or_a_piece_about_the_news_is_left(title: str, hours: float) -> None:
    grouper, other = _grouped(title, hours)
    assert grouper.claimed == {_REPORT.key: "doc"}


@pytest.mark.parametrize("joins", [False, True])
def test_only_a_document_that_starts_a_story_has_its_list_read_again(joins: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """(A newsletter that joins a story lists the day's other news.)"""
    again: list[str] = []
    read_again = stories.Grouper._claim_again
    monkeypatch.setattr(stories.Grouper, "_claim_again",
                        lambda self, group, item, *rest: again.append(item.id) or read_again(self, group, item, *rest))
    first = Item("first", _START + _DAY - 3_600, read_words("Kestrel Dynamics pauses hiring", "The firm said it would pause hiring."),
                 frozenset({"example.org/first"}))
    grouper, _ = _grouped(_OTHER_WORDS[0], 1, (first,) if joins else ())
    assert grouper.story_of["doc"] == ("first" if joins else "doc")
    assert grouper.claimed[_REPORT.key] == grouper.story_of["doc"]
    assert again == ([] if joins else ["doc"])


def test_appended_the_same_as_grouped_at_once(tmp_path: Path) -> None:
    other = Related("two.org/roles", *_OTHER_WORDS, None)
    found, expected = appended_and_whole(
        tmp_path, lambda folder: _write(folder, "column.md", "Column on the week", "Thoughts about many things.", "11-27", (other,)),
        lambda folder: _write(folder, "doc.md", "Kestrel Dynamics pauses hiring", "The firm said on Monday it would pause hiring.",
                              "11-28", (_REPORT, other)))
    assert found == expected
    assert {key: story for key, story, _, _ in found[1]} == {"one.org/hiring": "doc.md", "two.org/roles": "doc.md"}


def _column_then_document(hours_before: float, second_title: str = "Kestrel chief Norquist says robots could do back-office roles",
                          ) -> tuple[Related, Related, Item, Item, list[Item]]:
    """A column ``hours_before`` the document lists two reports in other words (a story of
    related entries alone; the second titled ``second_title``); the document, which says
    little, lists the first and a report of its own words. Returns the two reports, the
    column, the document and the articles before them (for the words' rarity)."""
    at = _START + _DAY - hours_before * 3_600
    first = Related("x.org/roles", *_OTHER_WORDS, at)
    second = Related("y.org/roles", second_title,
                     "Arvid Norquist, chief executive of Kestrel Dynamics, said robots could do a third of back-office roles.", at)
    column = Item("column", at, read_words("Column on the week", "Thoughts about many things."), frozenset({"example.org/column"}),
                  (first, second))
    document = Item("doc", _START + _DAY, read_words("Kestrel Dynamics pauses hiring", "The firm said on Monday it would pause hiring."),
                    frozenset({"example.org/doc"}), (_REPORT, first))
    filler = [replace(item, published=_START - 5 * _DAY + n * 0.01 * _DAY) for n, item in enumerate(_FILLER)]
    return first, second, column, document, filler


@pytest.mark.parametrize(("hours_before", "adopted"), [(20, True), (AGAIN_BEFORE_HOURS + 12, False)])
def test_a_document_takes_a_story_of_entries_like_it_and_its_reports_together(hours_before: float, adopted: bool) -> None:
    """A column lists two reports in other words (a story of related entries alone); a document
    that says little lists one of them and a report of its own words: it takes the column's
    story when that story is like it and its report together, and of the reports it sums up
    (not too long before it)."""
    first, second, column, document, filler = _column_then_document(hours_before)
    grouper = stories.Grouper()
    entries = EntryStories(grouper)
    cosines: list[float] = []
    adopt = entries._adopt

    def measured(item: Item, changed: list[str]) -> list[str]:
        if item.id == "doc":  # (the document alone against the column's story)
            (story,) = entries.stories.values()
            cosines.append(sum(w * story.centroid.get(k, 0.0) for k, w in grouper.placed.items()) / story.sq ** 0.5)
        return adopt(item, changed)

    entries._adopt = measured  # type: ignore[method-assign]
    for item in [*filler, column, document]:
        grouper.add(item)
        entries.add(item)
    assert cosines and cosines[0] < ADOPT_SIMILAR  # (not by the document alone)
    if adopted:
        assert grouper.claimed == {_REPORT.key: "doc", first.key: "doc", second.key: "doc"} and not entries.stories
    else:
        assert grouper.claimed[_REPORT.key] == "doc" and grouper.claimed[first.key] == grouper.claimed[second.key] != "doc"


#: A report of the document's news in words of its report and not of the document's: below
#: RELATED_SIMILAR with the document and its report together, so no claim takes it.
_LEFT = ("Robot maker to stop recruiting office staff",
         "The maker of warehouse robots will stop recruiting office staff, chief executive Arvid Norquist told investors.")


def _left_alone(text: tuple[str, str], hours: float, first: bool = True,
                report_hours: float = 0.0) -> tuple[stories.Grouper, EntryStories, Related, list[float]]:
    """The document lists its report (dated ``report_hours`` after it) and the entry of title
    and excerpt ``text`` (dated ``hours`` after it), which starts a group of its own that
    nothing joins; ``first``: the document starts its story (else an earlier article of its
    news started it). Returns the cosines of the entry with the document alone and with the
    document and its report together."""
    entry = Related("two.org/office", *text, _START + _DAY + hours * 3_600)
    report = replace(_REPORT, published=_START + _DAY + report_hours * 3_600)
    grouper = stories.Grouper()
    entries = EntryStories(grouper)
    document = Item("doc", _START + _DAY, read_words("Kestrel Dynamics pauses hiring", "The firm said on Monday it would pause hiring."),
                    frozenset({"example.org/doc"}), (report, entry))
    earlier = Item("earlier", _START + _DAY - 3_600, document.words, frozenset({"example.org/earlier"}))
    cosines: list[float] = []
    for item in [*_FILLER, *(() if first else (earlier,)), document]:
        grouper.add(item)
        if item is document:
            group = grouper.groups[grouper.story_of["doc"]]
            together, sq = grouper.with_entries(grouper.placed, [report])
            vector = grouper.entry_vector(entry)
            cosines = [grouper._cosine(vector, group), sum(w * together.get(k, 0.0) for k, w in vector.items()) / sq ** 0.5]
        entries.add(item)
    return grouper, entries, entry, cosines


@pytest.mark.parametrize(("hours", "report_hours"), [
    (1, 0), (-30, 0), (AGAIN_HOURS, 0), (-AGAIN_BEFORE_HOURS, 0),
    # (later, up to a day and a half: the next day's reports a document of the evening before
    # lists, when the story took one of those hours)
    (AGAIN_HOURS + 6, AGAIN_HOURS + 1), (LEFT_AFTER_HOURS, LEFT_AFTER_HOURS - SAME_TIME_HOURS),
])
def test_an_entry_left_alone_like_the_document_and_its_reports_joins_its_story(hours: float, report_hours: float) -> None:
    grouper, entries, entry, cosines = _left_alone(_LEFT, hours, report_hours=report_hours)
    assert cosines[0] < REPORTS_SIMILAR <= cosines[1] < RELATED_SIMILAR  # (no claim takes it; what the texts say)
    assert grouper.claimed == {_REPORT.key: "doc", entry.key: "doc"}
    assert grouper.groups["doc"].claims == [_REPORT.key, entry.key]
    assert not entries.pending(entry.key) and not entries.stories


@pytest.mark.parametrize(("text", "hours", "first", "report_hours"), [
    (_LEFT, AGAIN_HOURS + 1, True, 0),  # (a later report than those taken: a follow-up, a reaction)
    (_LEFT, AGAIN_HOURS + 1 + SAME_TIME_HOURS, True, AGAIN_HOURS),
    (_LEFT, LEFT_AFTER_HOURS + 1, True, LEFT_AFTER_HOURS - 1),  # (too late whatever was taken)
    (_LEFT, -AGAIN_BEFORE_HOURS - 1, True, 0),  # (long before)
    ((f"Analysis: {_LEFT[0]}", _LEFT[1]), 1, True, 0),  # (a piece about the news)
    (("Robot maker stops recruiting clerks", "Kestrel will stop recruiting clerks, its boss said."), 1, True, 0),  # (less alike)
    (_LEFT, 1, False, 0),  # (a document that joins a story: a newsletter lists the day's other news)
])
def test_a_later_less_alike_entry_a_piece_about_the_news_or_the_list_of_a_joining_document_stays_alone(
        text: tuple[str, str], hours: float, first: bool, report_hours: float) -> None:
    grouper, entries, entry, cosines = _left_alone(text, hours, first, report_hours)
    assert cosines[1] < RELATED_SIMILAR
    assert entry.key not in grouper.claimed and entries.pending(entry.key)


def test_an_entry_left_alone_is_taken_when_appended_as_when_grouped_at_once(tmp_path: Path) -> None:
    entry = Related("two.org/office", *_LEFT, None)
    found, expected = appended_and_whole(
        tmp_path, lambda folder: _write(folder, "column.md", "Column on the week", "Thoughts about many things.", "11-27", ()),
        lambda folder: _write(folder, "doc.md", "Kestrel Dynamics pauses hiring", "The firm said on Monday it would pause hiring.",
                              "11-28", (_REPORT, entry)))
    assert found == expected
    assert {key: story for key, story, _, _ in found[1]} == {"one.org/hiring": "doc.md", "two.org/office": "doc.md"}



def test_a_copy_of_the_headline_of_an_entry_left_alone_listed_later_joins_the_story_that_took_it(tmp_path: Path) -> None:
    """Copies of one headline are one report: another outlet's copy of the entry the
    document's story took, listed hours later by a document of other news, joins that story
    (before, it met the entry's group of one closed and stayed alone)."""
    found, expected = appended_and_whole(
        tmp_path, lambda folder: (_write(folder, "column.md", "Column on the week", "Thoughts about many things.", "11-27", ()),
                                  _write(folder, "doc.md", "Kestrel Dynamics pauses hiring",
                                         "The firm said on Monday it would pause hiring.", "11-28",
                                         (_REPORT, Related("two.org/office", *_LEFT, None)))),
        lambda folder: _write(folder, "weather.md", "Weather in Oslo turns cold", "Snow fell in Oslo overnight.", "11-28",
                              (Related("three.org/office", *_LEFT, None),)))
    assert found == expected
    assert {key: story for key, story, _, _ in found[1]} == {
        "one.org/hiring": "doc.md", "two.org/office": "doc.md", "three.org/office": "doc.md"}


#: A third report of the document's news, in words of its own: like the document and its
#: report together (below RELATED_SIMILAR), not like _LEFT (the two stay apart).
_LEFT_TOO = ("Norquist says back-office roles go to robots", "Kestrel's chief says machines will fill the roles.")


def test_entries_left_alone_fill_the_story_up_to_its_bound_and_no_further(monkeypatch: pytest.MonkeyPatch) -> None:
    first = Related("two.org/office", *_LEFT, _START + _DAY + 3_600)
    second = Related("three.org/roles", *_LEFT_TOO, _START + _DAY + 7_200)

    def grouped() -> stories.Grouper:
        grouper = stories.Grouper()
        entries = EntryStories(grouper)
        document = Item("doc", _START + _DAY, read_words("Kestrel Dynamics pauses hiring", "The firm said on Monday it would pause hiring."),
                        frozenset({"example.org/doc"}), (_REPORT, first, second))
        for item in [*_FILLER, document]:
            grouper.add(item)
            if item is document:
                together, sq = grouper.with_entries(grouper.placed, [_REPORT])
                for entry in (first, second):  # (no claim takes either: only the entries left alone do)
                    vector = grouper.entry_vector(entry)
                    assert REPORTS_SIMILAR <= sum(w * together.get(k, 0.0) for k, w in vector.items()) / sq ** 0.5 < RELATED_SIMILAR
            entries.add(item)
        assert not entries.stories
        return grouper

    assert grouped().groups["doc"].claims == [_REPORT.key, second.key, first.key]
    for module in (model, matching):  # (a story's own test, Group.fits, and the claims' count)
        monkeypatch.setattr(module, "MAX_VERSIONS", 3)  # (the document, its report and one more)
    story = grouped().groups["doc"]
    assert story.claims == [_REPORT.key, second.key] and story.versions == 3


def test_a_copy_of_the_headline_of_an_entry_of_a_story_taken_listed_later_joins_the_document_story() -> None:
    """A document takes the column's story of two reports (as above); a piece on other news
    the next day lists another outlet's copy of the headline of the report only the column
    listed: copies of one headline are one report, in the document's story too."""
    headline = "Kestrel chief expects machines to take over a third of clerical work"
    first, second, column, document, filler = _column_then_document(20, headline)
    copy = Related("z.org/roles", headline, "The wire's report, in brief.", _START + 2 * _DAY)
    grouper = stories.Grouper()
    entries = EntryStories(grouper)
    other = Item("other", _START + 2 * _DAY, read_words("Harbour robots unload the freighter at night", "Port robots worked."),
                 frozenset({"example.org/other"}), (copy,))
    for item in [*filler, column, document, other]:
        grouper.add(item)
        entries.add(item)
    assert grouper.claimed == {_REPORT.key: "doc", first.key: "doc", second.key: "doc", copy.key: "doc"}
    assert grouper.listed_by[copy.key] == "other"
