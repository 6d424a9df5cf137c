"""A document's story that took a story of related entries takes the other stories of entries of
its list that meet it and that story together (reader.stories.related: EntryStories._take_more).
The texts are made up: four reports of one event, a.org and b.org worded alike, c.org and d.org
worded alike (five words of the event, four of the pair, twenty-one of its own and two of its title); a column lists
the four, a report of the event lists two of them. The cosines the grouping sees are checked in
each test."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from reader import stories
from reader.library import Library
from reader.stories.model import Item, Related
from reader.stories.related import (ADOPT_MORE_SIMILAR, ADOPT_SIMILAR, LIST_PER_DAY, LIST_SIMILAR, SAME_TIME_HOURS,
                                    EntryStories)
from reader.stories.text import read_words
from tests.test_stories_list_merge import _centroid as _sum
from tests.test_stories_list_merge import _cosine

_BASE = 1_600_000_000.0
_DAY = 86_400.0
_KEYS = ("a.org/1", "b.org/2", "c.org/3", "d.org/4")


def _words(prefix: str, count: int) -> str:
    return " ".join(f"{prefix}{n}" for n in range(count))


#: How many words of the event each of the four reports has (the report of the event has
#: them all, or one less).
_EVENT = 5


def _texts() -> dict[str, tuple[str, str]]:
    out = {}
    for n, (key, pair) in enumerate(zip(_KEYS, "ppqq", strict=True)):
        out[key] = (f"zz{pair}{n}a zz{pair}{n}b", f"{_words('ccev', _EVENT)} {_words('gg' + pair, 4)} {_words(f'uu{n}', 21)}")
    return out


def _report(event: int, own: int = 1) -> tuple[str, str]:
    """The title and excerpt of a report of the event: ``event`` of its words, a.org's and
    b.org's four words of their own, and ``own`` of its own."""
    return "zzdoc1 zzdoc2 report", f"{_words('ccev', event)} {_words('ggp', 4)} {_words('vvdoc', own)}"


def _entries(days: float) -> tuple[Related, ...]:
    """The four reports, c.org and d.org dated ``days`` after the other two."""
    texts = _texts()
    return tuple(Related(key, *texts[key], _BASE + (days * _DAY if key in _KEYS[2:] else 0.0)) for key in _KEYS)


def _column(listed: tuple[Related, ...]) -> tuple[stories.Grouper, EntryStories]:
    """A grouping of a column (on other news) that lists ``listed``."""
    grouper = stories.Grouper()
    entries = EntryStories(grouper)
    column = Item("column", _BASE + 0.01 * _DAY, read_words("Column on the week", "Thoughts about many things."),
                  frozenset({"example.org/column"}), listed)
    grouper.add(column)
    entries.add(column)
    return grouper, entries


@pytest.mark.parametrize(("event", "days", "takes"), [(_EVENT, 0.0, True), (_EVENT - 1, 0.0, False), (_EVENT, 2.0, False)])
def test_a_document_takes_the_stories_of_its_list_that_meet_it_with_the_story_it_took(event: int, days: float,
                                                                                      takes: bool) -> None:
    """The column's list makes two stories of entries, whose centroids meet below LIST_SIMILAR.
    The report (all five words of the event, or four) meets a.org's and b.org's story at
    ADOPT_SIMILAR or more and takes it; with it, it meets c.org's and d.org's at
    ADOPT_MORE_SIMILAR (and takes that too) or just below; c.org and d.org two days later ask
    LIST_PER_DAY more a day."""
    listed = _entries(days)
    grouper, entries = _column(listed)
    first, second = sorted(entries.stories.values(), key=lambda group: group.keys)
    assert (first.keys, second.keys) == (list(_KEYS[:2]), list(_KEYS[2:]))
    ab, cd = dict(first.centroid), dict(second.centroid)
    assert _cosine(ab, cd) < LIST_SIMILAR
    report = Item("report", _BASE + 0.3 * _DAY, read_words(*_report(event)), frozenset({"example.org/report"}),
                  (listed[1], listed[2]))
    grouper.add(report)
    vector = grouper.placed
    assert _cosine(vector, ab) >= ADOPT_SIMILAR > _cosine(vector, cd)
    together = _cosine(_sum(vector, ab), cd)
    if event == _EVENT:
        assert ADOPT_MORE_SIMILAR <= together
        if days:  # (the report and a.org's story dated 0.1 days on average: the days ask more)
            assert together < ADOPT_MORE_SIMILAR + LIST_PER_DAY * (days - 0.1 - SAME_TIME_HOURS / 24)
        else:
            assert together < ADOPT_MORE_SIMILAR + 0.02
    else:
        assert ADOPT_MORE_SIMILAR - 0.02 < together < ADOPT_MORE_SIMILAR
    entries.written()
    entries.add(report)
    assert grouper.story_of["report"] == "report"
    story = grouper.groups["report"]
    if takes:
        assert sorted(story.claims) == list(_KEYS) and not entries.stories
        assert entries.adopted == [(first.id, _KEYS[:2]), (second.id, _KEYS[2:])]
        assert {grouper.claimed[key] for key in _KEYS} == {"report"}
    else:
        assert sorted(story.claims) == list(_KEYS[:2]) and list(entries.stories) == [second.id]
        assert entries.adopted == [(first.id, _KEYS[:2])]
        assert {grouper.claimed[key] for key in _KEYS[2:]} == {second.id}
    # (each entry the report's story holds is the column's, which listed it first)
    assert {key: grouper.listed_by.get(key) for key in _KEYS} == {key: "column" if takes or key in _KEYS[:2] else None
                                                                    for key in _KEYS}


def _write(folder: Path, name: str, title: str, excerpt: str, when: str, keys: tuple[str, ...],
           texts: dict[str, tuple[str, str]] | None = None) -> None:
    texts = texts or _texts()
    lines = ["---", f"title: {json.dumps(title)}", f"excerpt: {json.dumps(excerpt)}", f"publishedDateTime: {when}",
             f"webUrl: https://{name}.example/{name}", "type: article", "provider:", f"  name: {name}.example", "related:"]
    for key in keys:
        lines += [f"  - title: {json.dumps(texts[key][0])}", f"    excerpt: {json.dumps(texts[key][1])}",
                  f"    webUrl: https://{key}", "    publishedDateTime: 2023-03-10T08:00:00Z"]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.md").write_text("\n".join([*lines, "---", "", excerpt, ""]), encoding="utf-8")


def _stored(library: Library) -> tuple[list[tuple[str, ...]], ...]:
    db = library.db
    return (sorted((k, s, str(a), str(e)) for k, s, a, e in db.execute("SELECT key, story, article, entry FROM story_related")),
            sorted(tuple(map(str, row)) for row in db.execute("SELECT * FROM stories")))


def _at_once_and_appended(tmp_path: Path, column: tuple[Any, ...], report: tuple[Any, ...],
                          texts: dict[str, tuple[str, str]] | None = None) -> tuple[Any, Any]:
    """The rows of one sync of the column and the report, and those of the column alone;
    syncing the report after the column writes the rows of the sync of both."""
    for document in (column, report):
        _write(tmp_path / "all", *document, texts=texts)
    with Library(tmp_path / "at-once") as library:
        library.sync([tmp_path / "all"])
        at_once = _stored(library)
    with Library(tmp_path / "added") as library:
        _write(tmp_path / "docs", *column, texts=texts)
        library.sync([tmp_path / "docs"])
        first = _stored(library)
        _write(tmp_path / "docs", *report, texts=texts)
        library.sync([tmp_path / "docs"])
        assert _stored(library) == at_once
    return at_once, first


def test_a_report_appended_stores_what_grouping_it_with_the_column_at_once_does(tmp_path: Path) -> None:
    """The report comes after the column's two stories of entries were written: the library's
    rows are those of grouping both at once (one story of the report with the four entries,
    both stories of entries gone)."""
    column = ("column", "Column on the week", "Thoughts about many things.", "2023-03-10T08:15:00Z", _KEYS)
    report = ("report", *_report(_EVENT), "2023-03-10T15:00:00Z", _KEYS[1:3])
    at_once, first = _at_once_and_appended(tmp_path, column, report)
    assert len(at_once[0]) == 4 and len({story for _, story, _, _ in at_once[0]}) == 1
    assert len({story for _, story, _, _ in first[0]}) == 2


def _claimed_case(event: int, days: float) -> tuple[stories.Grouper, EntryStories, dict[str, float], dict[str, float],
                                                   dict[str, float]]:
    """A column lists c.org and d.org (``event`` words of the event, four of their pair, four
    of their own, dated ``days`` after the others): a story of entries. The report (four words
    of the event, four of a.org's) lists a.org, which its story claims, and c.org. Returns the
    grouper, the entry stories, the report's vector, a.org's and the story's centroid as the
    report came."""
    own = Related("a.org/1", "zzpa zzpb", f"{_words('ccev', 4)} {_words('ggp', 4)} {_words('uua', 4)}", _BASE)
    listed = tuple(Related(key, f"zzq{key[0]} zzq{key[0]}b", f"{_words('ccev', event)} {_words('ggq', 4)} {_words('uu' + key[0], 4)}",
                           _BASE + days * _DAY) for key in _KEYS[2:])
    grouper, entries = _column(listed)
    (story,) = entries.stories.values()
    centroid = dict(story.centroid)
    report = Item("report", _BASE + 0.3 * _DAY, read_words(*_report(4, 6)), frozenset({"example.org/report"}), (own, listed[0]))
    grouper.add(report)
    vector = grouper.placed
    entries.add(report)
    return grouper, entries, vector, grouper.entry_vector(own), centroid


@pytest.mark.parametrize(("event", "days", "takes"), [(4, 0.0, True), (3, 0.0, False), (4, 2.0, False)])
def test_a_document_whose_story_claimed_reports_takes_the_stories_of_its_list_that_meet_them(event: int, days: float,
                                                                                           takes: bool) -> None:
    """The report's story claims a.org (a report of its list alike enough to it) and takes no
    story of entries (c.org's and d.org's meets it below ADOPT_SIMILAR, and below
    ADOPT_MORE_SIMILAR too); the report and a.org together meet that story at
    ADOPT_MORE_SIMILAR (it is taken), or below it with three words of the event, or too many
    days away."""
    grouper, entries, vector, reported, centroid = _claimed_case(event, days)
    assert grouper.claimed["a.org/1"] == "report" and grouper.groups["report"].members == ["report"]
    alone, together = _cosine(vector, centroid), _cosine(_sum(vector, reported), centroid)
    if event == 4:
        assert alone < ADOPT_MORE_SIMILAR <= together
        if days:  # (the report and a.org dated 0.15 days on average: the days ask more)
            assert together < ADOPT_MORE_SIMILAR + LIST_PER_DAY * (days - 0.15 - SAME_TIME_HOURS / 24)
        else:
            assert together < ADOPT_MORE_SIMILAR + 0.03
    else:
        assert ADOPT_MORE_SIMILAR - 0.05 < together < ADOPT_MORE_SIMILAR
    story = grouper.groups["report"]
    if takes:
        assert sorted(story.claims) == ["a.org/1", *_KEYS[2:]] and not entries.stories
        assert [keys for _, keys in entries.adopted] == [_KEYS[2:]]
        assert {grouper.claimed[key] for key in _KEYS[2:]} == {"report"}
    else:
        assert story.claims == ["a.org/1"] and len(entries.stories) == 1 and not entries.adopted


def test_a_report_that_claimed_its_reports_appended_stores_what_grouping_at_once_does(tmp_path: Path) -> None:
    """As above through the library: the column's story of c.org and d.org written first, then
    the report that claims a.org and takes that story; the rows are those of one sync of both."""
    texts = {"a.org/1": ("zzpa zzpb", f"{_words('ccev', 4)} {_words('ggp', 4)} {_words('uua', 4)}"),
             **{key: (f"zzq{key[0]} zzq{key[0]}b", f"{_words('ccev', 4)} {_words('ggq', 4)} {_words('uu' + key[0], 4)}")
                for key in _KEYS[2:]}}
    column = ("column", "Column on the week", "Thoughts about many things.", "2023-03-10T08:15:00Z", _KEYS[2:])
    report = ("report", *_report(4, 6), "2023-03-10T15:00:00Z", ("a.org/1", _KEYS[2]))
    at_once, first = _at_once_and_appended(tmp_path, column, report, texts)
    assert len(at_once[0]) == 3 and len({story for _, story, _, _ in at_once[0]}) == 1
    assert len(first[0]) == 2


def test_a_story_of_another_model_of_a_product_is_not_taken_with_the_others() -> None:
    """As the first case, with a.org's and b.org's titles ending "Snapdragon 8" and c.org's and
    d.org's "Snapdragon AR2" (two launches of one summit; sixteen words of their own, so that the
    longer titles leave each pair alike enough), under a report whose title names no
    model: it takes the story of the one, and the other meets the two at ADOPT_MORE_SIMILAR or
    more but stays apart, its headlines naming another model than the headlines taken do."""
    listed = tuple(Related(key, " ".join(f"zz{key[0]}{n}" for n in range(5)) + (" snapdragon 8" if key in _KEYS[:2] else " snapdragon ar2"),
                           f"{_words('ccev', _EVENT)} {_words('gg' + ('p' if key in _KEYS[:2] else 'q'), 4)} {_words('uu' + key[0], 16)}",
                           _BASE) for key in _KEYS)
    grouper, entries = _column(listed)
    first, second = sorted(entries.stories.values(), key=lambda group: group.keys)
    ab, cd = dict(first.centroid), dict(second.centroid)
    report = Item("report", _BASE + 0.3 * _DAY, read_words("Qualcomm summit report", _report(_EVENT)[1]),
                  frozenset({"example.org/report"}), (listed[1], listed[2]))
    grouper.add(report)
    vector = grouper.placed
    assert _cosine(vector, ab) >= ADOPT_SIMILAR and _cosine(_sum(vector, ab), cd) >= ADOPT_MORE_SIMILAR
    entries.add(report)
    assert sorted(grouper.groups["report"].claims) == list(_KEYS[:2]) and list(entries.stories) == [second.id]


def test_a_story_that_meets_only_a_story_taken_is_not_taken() -> None:
    """A column lists three pairs of reports: a.org and b.org (five words of the event, four of
    their pair), c.org and d.org (five words of the event, six of their pair), e.org and f.org
    (two words of the event, two of c.org's and d.org's pair, two of a.org's and b.org's, one of
    the report's own, five of their own pair): three stories of entries, below LIST_SIMILAR with
    one another. The report takes a.org's story; with it, c.org's meets the two at
    ADOPT_MORE_SIMILAR and is taken. e.org's meets the report and a.org's story below the bar,
    and those and c.org's story above it: it stays apart (taken, it would have come in
    through c.org's story alone: a chain)."""
    def text(key: str) -> tuple[str, str]:
        k = key[0]
        if k in "ab":
            return f"zzp{k}1 zzp{k}2", f"{_words('ccev', 5)} {_words('ggp', 4)} {_words('uu' + k, 19)}"
        if k in "cd":
            return f"zzq{k}1 zzq{k}2", f"{_words('ccev', 5)} {_words('ggq', 6)} {_words('uu' + k, 18)}"
        return (f"zzr{k}1 zzr{k}2",
                f"{_words('ccev', 2)} {_words('ggq', 2)} {_words('ggp', 2)} {_words('ggr', 5)} {_words('vvdoc', 1)} {_words('uu' + k, 8)}")

    keys = (*_KEYS, "e.org/5", "f.org/6")
    listed = tuple(Related(key, *text(key), _BASE) for key in keys)
    grouper, entries = _column(listed)
    first, second, third = sorted(entries.stories.values(), key=lambda group: group.keys)
    ab, cd, ef = dict(first.centroid), dict(second.centroid), dict(third.centroid)
    assert max(_cosine(ab, cd), _cosine(cd, ef), _cosine(ab, ef)) < LIST_SIMILAR
    report = Item("report", _BASE + 0.3 * _DAY, read_words(*_report(5)), frozenset({"example.org/report"}),
                  (listed[1], listed[2], listed[4]))
    grouper.add(report)
    vector = grouper.placed
    assert _cosine(vector, ab) >= ADOPT_SIMILAR > max(_cosine(vector, cd), _cosine(vector, ef))
    assert _cosine(_sum(vector, ab), cd) >= ADOPT_MORE_SIMILAR > _cosine(_sum(vector, ab), ef)
    assert _cosine(_sum(vector, ab, cd), ef) >= ADOPT_MORE_SIMILAR + 0.02
    entries.add(report)
    assert sorted(grouper.groups["report"].claims) == list(_KEYS)
    assert list(entries.stories) == [third.id] and {grouper.claimed[key] for key in keys[4:]} == {third.id}
