"""Undated articles placed again after an append (reader.stories.matching.Grouper.place_undated):
the stories each finds by its terms are kept only while none of those terms' stories changed."""

from __future__ import annotations

from dataclasses import replace

import pytest
from rapidfuzz.utils import default_process

from reader import stories
from reader.stories import matching

#: The words of one report (lower case: no names; late in the alphabet, so that they are
#: among the terms an article's story is found by, of words equally rare), and other words
#: that dilute its first telling.
_TITLE = "Volcano warning"
_REPORT = "volcano warning villagers vent wind yards"
_OTHER = ("parliament budget pension reform teachers strike rail museum opening concert review football "
          "harbour crane bridge repair library hours bakery prices cinema festival orchestra marathon "
          "route frost garden allotment tomatoes chess tournament knitting")


def _article(item_id: str, hours: float, title: str, excerpt: str) -> stories.Item:
    return stories.Item(item_id, 1_600_000_000.0 + hours * 3_600, stories.read_words(title, excerpt), frozenset(),
                        title=default_process(title))


def _undated() -> stories.Item:
    return replace(_article("u", 0, _TITLE, _REPORT), published=None)


def _first_telling() -> stories.Item:
    return _article("early", 0, _TITLE, f"{_REPORT} {_OTHER}")


def _again() -> stories.Item:
    # (weeks later, past the window: a story of its own, with the undated article's words again)
    return _article("late", 24 * 3 * matching.WINDOW_DAYS, _TITLE, _REPORT)


def test_an_append_that_changes_the_stories_of_its_terms_finds_them_again(monkeypatch: pytest.MonkeyPatch) -> None:
    grouper = stories.Grouper()
    grouper.add(_first_telling())
    calls: list[list[str]] = []  # (the terms undated articles looked their stories up by: in every story's)
    candidates = matching.Grouper._candidates

    def looked_up(rare: list[str], index: dict[str, set[str]], most: int = 0) -> list[str]:
        if index is grouper._all:
            calls.append(rare)
        return candidates(rare, index, most)

    monkeypatch.setattr(matching.Grouper, "_candidates", staticmethod(looked_up))
    story_of, _ = grouper.place_undated([_undated()])
    assert story_of == {"u": "u"}  # (the first telling says much else: not similar enough)
    assert len(calls) == 1
    assert grouper.place_undated([_undated()])[0] == story_of  # (nothing changed: its stories are not looked up again)
    assert len(calls) == 1
    grouper.add(_again())
    assert grouper.story_of["late"] == "late"
    story_of, evidence = grouper.place_undated([_undated()])
    # (the same terms in the same order find their stories again: one more story holds them)
    assert calls[-1] == calls[0] and len(calls) == 2
    assert story_of == {"u": "late"}
    fresh = stories.Grouper()
    fresh.add(_first_telling())
    fresh.add(_again())
    assert fresh.place_undated([_undated()]) == (story_of, evidence)
