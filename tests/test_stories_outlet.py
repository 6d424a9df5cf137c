"""A story of one outlet's articles alone: an article of that outlet joins it only when its title
shares a word with the story's (reader.stories.subjects.title_apart). One outlet's items share
its template and boilerplate; its follow-ups of one event name the event again."""

from __future__ import annotations

from dataclasses import replace

import pytest
from rapidfuzz.utils import default_process

from reader import stories
from reader.stories import matching, model, subjects, titles

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
    monkeypatch.setattr(subjects, "WITHIN_LETTERS", 100)  # (only whole words in common)
    assert follow_up() == {"a": "a", "b": "b"}


def test_a_link_between_them_is_evidence_enough() -> None:
    """An item that lists the story's member (a catalogue's page of a game's other edition)
    joins by the link, whatever its title."""
    first = replace(_article("a", 1, "Valorant", _NOTICE, "catalogue.example"), url_keys=frozenset({"catalogue.example/a"}))
    linked = replace(_article("b", 2, "Battlefield 2042", _NOTICE, "catalogue.example"),
                     related=(model.Related("catalogue.example/a", "Valorant", "", None),))
    assert _grouped(first, linked) == {"a": "a", "b": "a"}


def _notice(name: str) -> str:
    return f"The game {name} was newly added to the catalogue. " + _NOTICE


@pytest.mark.parametrize("names", [("Far Cry", "Far Cry 2"), ("Counter-Strike", "Counter-Strike Online")])
def test_one_outlets_items_under_two_names_are_apart(names: tuple[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    """A catalogue's items whose titles share names alone (a name written with hyphens counts
    by its parts) are two things, however alike their template; the same title again is the
    same thing (subjects.names_alone_shared, asked of one outlet's items)."""
    first, second = names
    monkeypatch.setattr(matching, "other_entry", lambda *_: False)  # (this rule alone)

    def catalogue() -> dict[str, str]:
        return _grouped(_article("a", 1, first, _notice(first), "catalogue.example"),
                        _article("b", 2, second, _notice(second), "catalogue.example"),
                        _article("c", 3, first, _notice(first), "catalogue.example"))

    assert catalogue() == {"a": "a", "b": "b", "c": "a"}
    monkeypatch.setattr(matching, "names_alone_shared", lambda *_: False)
    assert catalogue() == {"a": "a", "b": "a", "c": "a"}  # (without the rule, one word and the template join them)


def _opening(name: str) -> str:
    """A catalogue's notice that opens with the entry's name, as the real feed's do: the words
    of the name that open it are no names (nothing else has them inside a sentence)."""
    return f"{name} was newly added to the catalogue. " + _NOTICE


@pytest.mark.parametrize("names", [("Ragnarok Online Prime", "Ragnarok Online 2"), ("Granado Espada", "Granado Espada Japan"),
                                   ("Infestation: Survivor Stories 2020", "Infestation: Survivor Stories Revival"),
                                   ("Summoners War", "Summoners War: Chronicles")])
def test_one_outlets_entries_under_two_short_titles_are_apart(names: tuple[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    """A catalogue's entries under two short titles (titles.NAME_TITLE_WORDS words or fewer) are
    two things, even when the words their names share are not known as names; the same title
    again is the same entry (titles.other_entry, asked of one outlet's items)."""
    first, second = names

    def catalogue(outlet: str = "catalogue.example") -> dict[str, str]:
        return _grouped(_article("a", 1, first, _opening(first), "catalogue.example"),
                        _article("b", 2, second, _opening(second), outlet),
                        _article("c", 3, first, _opening(first), "catalogue.example"))

    assert catalogue() == {"a": "a", "b": "b", "c": "a"}
    two_outlets = catalogue("mirror.example")
    monkeypatch.setattr(matching, "other_entry", lambda *_: False)
    assert catalogue() == {"a": "a", "b": "a", "c": "a"}  # (without the rule, the names' words and the template join them)
    assert catalogue("mirror.example") == two_outlets  # (two outlets' items: the rule is not asked)


def test_only_short_titles_name_other_entries() -> None:
    assert titles.other_entry("granado espada japan", ["granado espada", "granado espada  kor "])
    assert not titles.other_entry("granado espada", ["granado espada", "granado espada japan"])  # (its own title again)
    assert not titles.other_entry("granado espada japan", ["granado espada is back online in japan after a week"])
    assert not titles.other_entry("gunman named as the airport shooting suspect", ["airport shooting"])
    assert not titles.other_entry("granado espada", [])
    assert not titles.other_entry("granado espada", ["", "  "])  # (untitled members say nothing)
    assert titles.other_entry("granado espada", ["", "granado espada japan"])
    assert not titles.other_entry("summoners war  chronicles", ["summoners war   chronicles"])  # (one title, other punctuation)


def test_two_names_of_two_outlets_are_left_to_their_texts() -> None:
    """The rule holds for one outlet's items: two outlets' notices are two reports."""
    found = _grouped(_article("a", 1, "Far Cry", _notice("Far Cry"), "catalogue.example"),
                     _article("b", 2, "Far Cry 2", _notice("Far Cry 2"), "mirror.example"))
    assert found == {"a": "a", "b": "a"}


def test_names_alone_in_common_count_a_hyphenated_name_by_its_parts() -> None:
    """"Counter-Strike" is one name of a vector and two words of a normalised title; a word of
    what happened in common ("servers") is no name."""
    theirs = subjects.words_of_titles(["counter strike"])
    assert subjects.names_alone_shared(["counter", "strike", "online"], theirs, frozenset({"@counter-strike", "@online"}))
    assert not subjects.names_alone_shared(["counter", "strike", "online"], theirs, frozenset({"@online"}))
    assert not subjects.names_alone_shared(["counter", "strike", "servers", "down"], subjects.words_of_titles(["counter strike servers"]),
                                           frozenset({"@counter-strike"}))


#: A fire brigade's call-out notice, one template for every call-out of its kind.
_CALL_OUT = ("Die Stadtfeuerwehr wurde zu einem Insekteneinsatz alarmiert. Ein Wespennest im Dachbereich "
             "eines Wohnhauses wurde von den Einsatzkräften entfernt. Eingesetzte Fahrzeuge: KDO, LFA.")


def test_one_outlets_installments_of_a_series_are_apart(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two call-outs of one brigade under one title but for its date and time, or a
    podcast's two episodes, are two events: each title has a number or a date the other has
    not (titles.installments). The same notice again is one."""
    def brigade() -> dict[str, str]:
        return _grouped(_article("a", 1, "[06.08.2018 - 18:08 Uhr] Insekteneinsatz", _CALL_OUT, "brigade.example"),
                        _article("b", 49, "[08.08.2018 - 17:45 Uhr] Insekteneinsatz", _CALL_OUT, "brigade.example"),
                        _article("c", 50, "[08.08.2018 - 17:45 Uhr] Insekteneinsatz", _CALL_OUT, "brigade.example"))

    assert brigade() == {"a": "a", "b": "b", "c": "b"}
    monkeypatch.setattr(matching, "installments", lambda *_: False)
    assert brigade() == {"a": "a", "b": "a", "c": "a"}  # (without the rule, the template joins them)


def test_installments_of_two_outlets_are_left_to_their_texts() -> None:
    """The rule holds for one outlet's items: another outlet's notice of the call-out, stamped
    at another minute, is a report of it."""
    found = _grouped(_article("a", 1, "[06.08.2018 - 18:08 Uhr] Insekteneinsatz", _CALL_OUT, "brigade.example"),
                     _article("b", 2, "[06.08.2018 - 18:10 Uhr] Insekteneinsatz", _CALL_OUT, "paper.example"))
    assert found == {"a": "a", "b": "a"}


def test_one_word_in_two_forms_is_a_word_in_common() -> None:
    """A paper's follow-up of the hacking report says "hacking" where the first said "hack":
    a word of what happened in common, not names alone (an English "-ing" or "-ed" left out)."""
    theirs = subjects.words_of_titles([default_process("Donald Trump's aides say president-elect open to Russian hack info")])
    names = frozenset({"@donald", "@trump", "@russian"})
    assert not subjects.names_alone_shared(default_process("Trump calls Russian hacking controversy 'political witch hunt'").split(),
                                           theirs, names)
    assert subjects.names_alone_shared(default_process("Trump calls Russian envoys home").split(), theirs, names)
    assert not subjects.names_alone_shared(["russia", "hacked", "emails"], subjects.words_of_titles(["russian hacking report"]),
                                           frozenset({"@russia"}))  # ("hacked" is "hacking" again; "russia" is not "russian")
