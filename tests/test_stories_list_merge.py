"""Stories of related entries that one document's list shows to be one (reader.stories.related:
EntryStories._merge_list). The texts are made up: each entry has words of the event (shared by
all four), words of its pair (shared with one other entry) and words of its own, all equally
rare, so the cosines are the texts' own (checked in each test)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from reader import stories
from reader.library import Library
from reader.stories.model import Item, Related
from reader.stories.related import ENTRIES_SIMILAR, LIST_PER_DAY, LIST_SIMILAR, SAME_TIME_HOURS, EntryStories
from reader.stories.text import read_words

_BASE = 1_600_000_000.0
_DAY = 86_400.0


def _words(prefix: str, count: int) -> str:
    return " ".join(f"{prefix}{n}" for n in range(count))


def _texts() -> dict[str, tuple[str, str]]:
    """Four reports of one event: a.org and b.org worded alike, c.org and d.org worded alike
    (title, excerpt; twenty words each: four of the event, four of the pair, twelve of its own)."""
    event = _words("ccev", 4)
    out = {}
    for n, (key, pair) in enumerate((("a.org/1", "p"), ("b.org/2", "p"), ("c.org/3", "q"), ("d.org/4", "q"))):
        out[key] = (f"zz{pair}{n}a zz{pair}{n}b", f"{event} {_words('gg' + pair, 4)} {_words(f'uu{n}', 10)}")
    return out


def _entry(key: str, days: float = 0.0) -> Related:
    return Related(key, *_texts()[key], _BASE + days * _DAY)


def _item(item_id: str, days: float, *entries: Related) -> Item:
    words = read_words(f"Column {item_id} on the week", f"Thoughts {item_id} about many things.")
    return Item(item_id, _BASE + days * _DAY, words, frozenset({f"example.org/{item_id}"}), entries)


def _group(*items: Item) -> tuple[stories.Grouper, EntryStories]:
    grouper = stories.Grouper()
    entries = EntryStories(grouper)
    for item in items:
        grouper.add(item)
        entries.add(item)
    return grouper, entries


def _cosine(u: dict[str, float], v: dict[str, float]) -> float:
    return sum(w * v.get(k, 0.0) for k, w in u.items()) / math.sqrt(sum(w * w for w in u.values()) * sum(w * w for w in v.values()))


def _centroid(*vectors: dict[str, float]) -> dict[str, float]:
    out: dict[str, float] = {}
    for vector in vectors:
        for k, w in vector.items():
            out[k] = out.get(k, 0.0) + w
    return out


@pytest.mark.parametrize(("days", "one"), [(0.0, True), (0.4, True), (2.0, False), (-2.0, False)])
def test_two_stories_of_entries_one_list_holds_become_one_unless_days_apart(days: float, one: bool) -> None:
    """One document lists the four reports, taken in the order of their keys: a.org and b.org
    make a story; c.org is below the bar with it and starts another, which d.org joins. Their
    centroids meet at LIST_SIMILAR or more: once the list is placed they are one story, unless
    the pairs lie days apart (more asked for each day beyond half a day)."""
    grouper, entries = _group(_item("doc", max(days, 0.0) + 0.01, _entry("a.org/1"), _entry("b.org/2"),
                                    _entry("c.org/3", days), _entry("d.org/4", days)))
    a, b, c, d = (grouper.entry_vector(Related(k, *t, None)) for k, t in _texts().items())
    assert _cosine(a, b) >= ENTRIES_SIMILAR and _cosine(c, d) >= ENTRIES_SIMILAR  # (what the texts say)
    assert max(_cosine(c, _centroid(a, b)), _cosine(d, _centroid(a, b))) < ENTRIES_SIMILAR
    together = _cosine(_centroid(a, b), _centroid(c, d))
    assert LIST_SIMILAR <= together < LIST_SIMILAR + LIST_PER_DAY * (2.0 - SAME_TIME_HOURS / 24)
    found = sorted(sorted(story.keys) for story in entries.stories.values())
    if one:
        assert found == [["a.org/1", "b.org/2", "c.org/3", "d.org/4"]]
        (story,) = entries.stories.values()
        assert {grouper.claimed[k] for k in story.keys} == {story.id}
        assert story.dated == 4 and story.first == _BASE + min(days, 0.0) * _DAY
    else:
        assert found == [["a.org/1", "b.org/2"], ["c.org/3", "d.org/4"]]


def test_stories_of_other_lists_become_one_only_when_a_list_holds_both() -> None:
    """a.org and b.org listed by one column, c.org and d.org by another: two stories, however
    alike (nothing says they are one event); a third column listing b.org and c.org joins them,
    and the story that left is one the next writing replaces."""
    first = _item("one", 0.01, _entry("a.org/1"), _entry("b.org/2"))
    second = _item("two", 0.02, _entry("c.org/3"), _entry("d.org/4"))
    grouper, entries = _group(first, second)
    assert sorted(sorted(s.keys) for s in entries.stories.values()) == [["a.org/1", "b.org/2"], ["c.org/3", "d.org/4"]]
    left = grouper.claimed["c.org/3"]
    entries.written()
    third = _item("three", 0.03, _entry("b.org/2"), _entry("c.org/3"))
    grouper.add(third)
    changed = entries.add(third)
    (story,) = entries.stories.values()
    assert sorted(story.keys) == ["a.org/1", "b.org/2", "c.org/3", "d.org/4"]
    assert changed == [story.id] and story.id != left
    assert entries.adopted == [(left, ("c.org/3", "d.org/4"))]
    assert entries.holders["c.org/3"] == "two"  # (the copy of the column that listed it first)


def _column(folder: Path, name: str, when: str, keys: tuple[str, ...]) -> None:
    texts = _texts()
    lines = ["---", f"title: {json.dumps(f'Column {name} on gardening')}", 'excerpt: "Tomatoes and beans."',
             f"publishedDateTime: {when}", f"webUrl: https://{name}.example/{name}", "type: article", "provider:",
             f"  name: {name}.example", "related:"]
    for key in keys:
        title, excerpt = texts[key]
        lines += [f"  - title: {json.dumps(title)}", f"    excerpt: {json.dumps(excerpt)}", f"    webUrl: https://{key}",
                  f"    publishedDateTime: {when}"]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.md").write_text("\n".join([*lines, "---", "", "Tomatoes and beans.", ""]), encoding="utf-8")


def _stored(library: Library) -> tuple[list[tuple[str, ...]], ...]:
    db = library.db
    return (sorted((k, s, str(e)) for k, s, _, e in db.execute("SELECT key, story, article, entry FROM story_related")),
            sorted(tuple(map(str, row)) for row in db.execute("SELECT * FROM stories")))


def test_a_list_that_joins_two_stored_stories_of_entries_stores_what_one_grouping_does(tmp_path: Path) -> None:
    """The third column comes after the two stories of entries were written: the library's
    rows are those of grouping the three columns at once (one story, the other's row gone)."""
    every = {"one": ("2023-03-10T08:00:00Z", ("a.org/1", "b.org/2")), "two": ("2023-03-10T09:00:00Z", ("c.org/3", "d.org/4")),
             "three": ("2023-03-10T10:00:00Z", ("b.org/2", "c.org/3"))}
    for name, (when, keys) in every.items():
        _column(tmp_path / "all", name, when, keys)
    with Library(tmp_path / "at-once") as library:
        library.sync([tmp_path / "all"])
        at_once = _stored(library)
    assert len({story for _, story, _ in at_once[0]}) == 1 and len(at_once[0]) == 4
    with Library(tmp_path / "added") as library:
        folder = tmp_path / "docs"
        for name in ("one", "two"):
            _column(folder, name, *every[name])
        library.sync([folder])
        assert len({story for _, story, _ in _stored(library)[0]}) == 2
        _column(folder, "three", *every["three"])
        library.sync([folder])
        assert _stored(library) == at_once
