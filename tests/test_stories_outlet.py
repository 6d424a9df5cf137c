"""A story of one outlet's articles alone: an article of that outlet joins it only when its title
shares a word with the story's (reader.stories.matching.title_apart). One outlet's items share
its template and boilerplate; its follow-ups of one event name the event again."""

from __future__ import annotations

from dataclasses import replace

import pytest
from rapidfuzz.utils import default_process

from reader import stories
from reader.stories import matching

#: A catalogue's notice, the same for every item but its title (../shared/feeds-real has such a
#: feed: games and the state of their anti-cheat under Linux).
_NOTICE = ("The game was newly added to the catalogue and its status is broken: the anti-cheat denies "
           "players on the platform, and the developers have announced nothing about support so far.")
_TRAFFIC = ("Antalet omkomna i vägtrafiken under sommarmånaderna har ökat jämfört med förra året, "
            "visar Transportstyrelsens preliminära statistik som publicerades på måndagen.")


def _article(item_id: str, hours: float, title: str, text: str, outlet: str | None) -> stories.Item:
    return stories.Item(item_id, 1_600_000_000.0 + hours * 3_600, stories.read_words(title, text), frozenset(),
                        title=default_process(title), outlet=outlet)


def _grouped(*items: stories.Item) -> dict[str, str]:
    grouper = stories.Grouper()
    for n in range(20):  # (words the library has seen: what rarity weighs against)
        grouper.add(_article(f"f{n}", n * 0.01, f"Gardening note {n}", f"The allotment society met about tomatoes {n}.",
                             "garden.example"))
    for item in items:
        grouper.add(item)
    return {item.id: grouper.story_of[item.id] for item in items}


def test_one_outlets_items_whose_titles_share_nothing_are_apart() -> None:
    found = _grouped(_article("a", 1, "Valorant", _NOTICE, "catalogue.example"),
                     _article("b", 2, "Battlefield 2042", _NOTICE, "catalogue.example"),
                     _article("c", 3, "Valorant", _NOTICE, "catalogue.example"))
    assert found == {"a": "a", "b": "b", "c": "a"}  # (the same item's notice again joins it)


def test_two_outlets_reports_whose_titles_share_nothing_are_one_story() -> None:
    """The rule holds for a story of one outlet's articles: two outlets that tell the same in
    other titles are two reports of one event, as their texts say."""
    found = _grouped(_article("a", 1, "Valorant", _NOTICE, "catalogue.example"),
                     _article("b", 2, "Battlefield 2042", _NOTICE, "mirror.example"))
    assert found == {"a": "a", "b": "a"}


def test_a_word_within_a_compound_is_a_word_in_common(monkeypatch: pytest.MonkeyPatch) -> None:
    """A local paper's follow-ups of one event reworded in compounds (Swedish, German): a word of
    WITHIN_LETTERS letters or more within another title word is shared."""
    def follow_up() -> dict[str, str]:
        return _grouped(_article("a", 1, "Dystra siffror för sommartrafiken", _TRAFFIC, "intranet.example"),
                        _article("b", 5, "Antalet döda i trafiken ökar", _TRAFFIC, "intranet.example"))

    assert follow_up() == {"a": "a", "b": "a"}
    monkeypatch.setattr(matching, "WITHIN_LETTERS", 100)  # (only whole words in common)
    assert follow_up() == {"a": "a", "b": "b"}


def test_a_link_between_them_is_evidence_enough() -> None:
    """An item that lists the story's member (a catalogue's page of a game's other edition)
    joins by the link, whatever its title."""
    first = replace(_article("a", 1, "Valorant", _NOTICE, "catalogue.example"), url_keys=frozenset({"catalogue.example/a"}))
    linked = replace(_article("b", 2, "Battlefield 2042", _NOTICE, "catalogue.example"),
                     related=(matching.Related("catalogue.example/a", "Valorant", "", None),))
    assert _grouped(first, linked) == {"a": "a", "b": "a"}
