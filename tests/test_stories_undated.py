"""Undated articles placed again after an append (reader.stories.matching.Grouper.place_undated):
the stories each finds by its terms are kept only while none of those terms' stories changed."""

from __future__ import annotations

from dataclasses import replace

import pytest
from rapidfuzz.utils import default_process

from reader import stories
from reader.stories import matching, model, subjects

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
    return _article("late", 24 * 3 * model.WINDOW_DAYS, _TITLE, _REPORT)


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


def test_a_title_apart_shares_no_word_of_what_happened() -> None:
    def apart(title: str, titles: list[str]) -> bool:
        return subjects.title_apart(title.split(), subjects.words_of_titles(titles))

    assert apart("wild card games kick off playoffs", ["822 the shortest super bowl"])
    assert not apart("japan recalls envoys over new comfort women statue",
                     ["japan recalls envoy to south korea over comfort woman statue"])
    assert not apart("dock strikes spread", ["the dock strike"])  # (a plural as its singular)
    assert apart("the end of it", ["the start of it", "and so on"])  # (stop and short words are no word of what happened)
    assert not apart("of it", ["dock strike"])
    assert not apart("dock strike", ["", "of it"])


_STRIKE = ("Dock workers at the Rotterdam container terminal walked out on Monday, halting cranes and "
           "leaving freighters waiting at anchor while the union and port operators negotiate wages.")


def _closed_strike_story() -> stories.Grouper:
    grouper = stories.Grouper()
    for n in range(20):  # (words the library has seen: what rarity weighs against)
        grouper.add(_article(f"f{n}", n * 0.01, f"Gardening note {n}", f"The allotment society met about tomatoes {n}."))
    grouper.add(_article("a", 1, "Dock workers strike at Rotterdam terminal", _STRIKE))
    grouper.add(_article("b", 2, "Rotterdam dock strike halts cranes", _STRIKE))
    assert grouper.story_of["b"] == "a"
    # (weeks later: the strike's story is closed, packed, and keeps its titles)
    grouper.add(_article("later", 24 * 2 * model.WINDOW_DAYS, "Gardening note later", "The allotment society met."))
    assert grouper.groups["a"].packed is not None and grouper.groups["a"].titles
    return grouper


def _undated_article(item_id: str, title: str) -> stories.Item:
    return replace(_article(item_id, 0, title, _STRIKE), published=None)


@pytest.mark.parametrize("rules", [("title_apart",), ("only_subject", "names_alone_shared")])
def test_an_undated_article_joins_a_story_only_with_a_word_of_what_happened_in_common(
        rules: tuple[str, ...], monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a date, nothing bounds the story an undated article joins: its title must share a
    word with the story's titles (:func:`~reader.stories.subjects.title_apart`), and not only a
    name, a subject's (:func:`~reader.stories.subjects.only_subject`), a closed story's too."""
    report = _undated_article("report", "Terminal strike continues")
    elsewhere = _undated_article("elsewhere", "Harvest festival weekend")  # (its text the strike's: only the title differs)
    subject = _undated_article("subject", "Rotterdam celebrates its marathon")  # (a name, and nothing of what happened)
    placed, _ = _closed_strike_story().place_undated([report, elsewhere, subject])
    assert placed == {"report": "a", "elsewhere": "elsewhere", "subject": "subject"}
    # (those rules are what keep its article apart: without them, the same text joins; a name
    # alone in common is one subject's other news, and names alone are no word of what happened)
    for rule in rules:
        monkeypatch.setattr(matching, rule, lambda *args: False)
    placed, _ = _closed_strike_story().place_undated([report, elsewhere, subject])
    assert placed["elsewhere" if rules == ("title_apart",) else "subject"] == "a"


def test_names_alone_in_common_are_no_word_of_what_happened() -> None:
    names = frozenset({"@north", "@korean", "@south", "@korea"})
    theirs = subjects.words_of_titles(["south korea to deploy laser weapons to target north korean drones"])
    assert subjects.names_alone_shared("chatty and funny elite north korean defector becomes media star in south".split(),
                                       theirs, names)
    assert not subjects.names_alone_shared("south korea deploys laser weapons".split(), theirs, names)  # (and "laser")
    assert not subjects.names_alone_shared("elite defector becomes media star".split(), theirs, names)  # (nothing shared)


_MAERSK = ("Dock workers at the Maersk container terminal in Rotterdam walked out on Monday, halting cranes "
           "and leaving freighters waiting at anchor while the union and Maersk negotiate wages.")


@pytest.mark.parametrize(("language", "joins"), [(None, False), ("en", False), ("sv", True)])
def test_an_undated_article_sharing_names_alone_joins_only_across_languages(language: str | None, joins: bool) -> None:
    """Two runs of names in common ("Maersk", "Rotterdam") say nothing of what happened in one
    language; across two, names are all that two titles of one report can share."""
    grouper = stories.Grouper()
    for n in range(20):
        grouper.add(_article(f"f{n}", n * 0.01, f"Gardening note {n}", f"The allotment society met about tomatoes {n}."))
    for item_id, hours, title in (("a", 1, "Maersk dock workers strike at Rotterdam terminal"),
                                  ("b", 2, "Maersk crane strike spreads in Rotterdam")):
        grouper.add(replace(_article(item_id, hours, title, _MAERSK), language="en"))
    grouper.add(_article("later", 24 * 2 * model.WINDOW_DAYS, "Gardening note later", "The allotment society met."))
    undated = replace(_article("u", 0, "Maersk sponsors the Rotterdam marathon", _MAERSK), published=None, language=language)
    placed, _ = grouper.place_undated([undated])
    assert placed == {"u": "a" if joins else "u"}
