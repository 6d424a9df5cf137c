"""Two models of one product launched together are two stories."""

from __future__ import annotations

import pytest
from rapidfuzz.utils import default_process

from reader import stories
from reader.stories import matching, related
from reader.stories.model import Item, Related
from reader.stories.titles import other_model
from reader.stories.related import EntryStories
from reader.stories.text import read_words

_DAY = 86_400.0
_START = 1_600_000_000.0
_FILLER = [Item(f"f{n}", _START + n * 0.01 * _DAY, read_words(f"Unrelated note {n} on gardening", "Tomatoes and beans."),
                frozenset({f"example.org/f{n}"})) for n in range(30)]
_DAY1 = _START + _DAY
#: Two reports of one launch, and the launch of another model at the same summit.
_PHONE = (Related("a.org/z8", "Kestrel unveils its Zephyr 8 Gen 2 phone chip with faster AI",
                  "Kestrel unveiled the Zephyr 8 Gen 2 chip for phones at its summit in Maui on Tuesday, with faster AI.", _DAY1),
          Related("b.org/z8", "Kestrel Zephyr 8 Gen 2 brings faster AI to phones",
                  "At its Maui summit Kestrel showed the Zephyr 8 Gen 2, a phone chip with faster AI.", _DAY1))
_HEADSET = Related("c.org/x2", "Kestrel launches Zephyr X2 Gen 1 chip for headsets",
                   "Kestrel launched the Zephyr X2 Gen 1 chip for headsets at its summit in Maui on Tuesday.", _DAY1)


def _names(*words: str) -> dict[str, float]:
    return {"@" + word: 1.0 for word in words}


@pytest.mark.parametrize(("title", "others", "names", "expected"), [
    ("qualcomm launches snapdragon ar2 gen 1 chip", ["qualcomm snapdragon 8 gen 2 delivers more ai"], ("snapdragon",), True),
    ("qualcomm launches snapdragon ar2 gen 1 chip", ["qualcomm snapdragon 8 gen 2 delivers more ai"], (), False),  # (no name)
    ("snapdragon 8 gen 2 benchmarks", ["qualcomm snapdragon 8 gen 2 delivers more ai"], ("snapdragon",), False),  # (the same model)
    ("snapdragon 8 gen 2 against snapdragon 8 gen 1", ["qualcomm snapdragon 8 gen 2 delivers more ai"], ("snapdragon",), False),
    ("apple iphone 15 goes on sale", ["apple unveils the iphone 15 and iphone 15 pro"], ("iphone", "apple"), False),
    ("apple iphone 15 goes on sale", ["apple iphone 14 sales slow"], ("iphone",), True),
    ("ibm to replace 7 800 jobs with ai", ["ibm to replace 30 of back office jobs"], ("ibm",), False),  # (a verb's number)
    ("openai releases gpt 4", ["openai unveils its newest model"], ("gpt", "openai"), False),  # (theirs names none)
    # (a title in title case makes its verbs names: a count or a year after one is no model)
    ("artificial intelligence to replace 30 per cent of ibm s roles", ["ibm to replace 7 800 jobs with ai"], ("replace", "ibm"), False),
    ("ces 2024 opens in las vegas", ["ces 2023 opens in las vegas"], ("ces",), False),
    ("nvidia ships the h100 to clouds", ["nvidia ships the a100 to clouds"], ("nvidia",), False),  # ("the" follows it)
    ("nvidia h100 ships to clouds", ["nvidia a100 ships to clouds"], ("nvidia",), True),
])
def test_another_model_of_one_product(title: str, others: list[str], names: tuple[str, ...], expected: bool) -> None:
    assert other_model(title, others, _names(*names)) is expected


def test_the_words_of_a_title_are_read_normalised() -> None:
    assert other_model(default_process("Qualcomm Launches Snapdragon AR2 Gen 1 Chip"),
                       [default_process("Qualcomm Snapdragon 8 Gen 2 Delivers More AI")], _names("snapdragon"))


def _entry_stories() -> dict[str, list[str]]:
    """A column lists, of one day, two reports of one launch and the launch of the other model."""
    grouper = stories.Grouper()
    entries = EntryStories(grouper)
    column = Item("column", _DAY1, read_words("Column on the week", "Thoughts about many things."),
                  frozenset({"example.org/column"}), (*_PHONE, _HEADSET))
    for item in [*_FILLER, column]:
        grouper.add(item)
        entries.add(item)
    return {story: group.keys for story, group in entries.stories.items()}


def test_the_launch_of_another_model_of_that_day_stays_out_of_the_launchs_story() -> None:
    assert _entry_stories() == {"entries:column#a.org/z8": ["a.org/z8", "b.org/z8"]}


def test_without_the_models_told_apart_one_days_entries_of_one_list_would_be_one_story(monkeypatch: pytest.MonkeyPatch) -> None:
    """(What the rule changes: the entries of one list of one day join at a low bar.)"""
    monkeypatch.setattr(related, "other_model", lambda *args: False)
    monkeypatch.setattr(matching, "other_model", lambda *args: False)
    assert _entry_stories() == {"entries:column#a.org/z8": ["a.org/z8", "b.org/z8", "c.org/x2"]}


def test_a_document_of_one_model_does_not_take_the_reports_of_the_other() -> None:
    grouper = stories.Grouper()
    title = "Kestrel unveils its Zephyr 8 Gen 2 phone chip with faster AI"
    document = Item("doc", _DAY1, read_words(title, "Kestrel unveiled the Zephyr 8 Gen 2 chip for phones at its Maui summit."),
                    frozenset({"example.org/doc"}), (_HEADSET, _PHONE[1]), title=default_process(title))
    for item in [*_FILLER, document]:
        grouper.add(item)
    assert grouper.claimed == {"b.org/z8": "doc"}


def _item(item_id: str, title: str, excerpt: str, when: float | None) -> Item:
    return Item(item_id, when, read_words(title, excerpt), frozenset({f"{item_id}.org/news"}), title=default_process(title))


def test_an_undated_article_of_another_model_stays_out_whether_or_not_the_story_is_still_open() -> None:
    """An undated article compares with every story, those no dated article can join any more
    (a later article closed them) as well: a story closed by an unrelated note dated weeks
    later keeps the undated launch of the other model out as it did while it was open."""
    phone = [_item("a", "Kestrel unveils its Zephyr 8 Gen 2 phone chip with faster AI",
                   "Kestrel unveiled the Zephyr 8 Gen 2 chip for phones at its summit in Maui on Tuesday, with faster AI.", _DAY1),
             _item("b", "Kestrel Zephyr 8 Gen 2 brings faster AI to phones",
                   "At its Maui summit Kestrel showed the Zephyr 8 Gen 2, a phone chip with faster AI.", _DAY1 + 3_600)]
    headset = _item("u", "Kestrel launches Zephyr X2 Gen 1 chip at its Maui summit",
                    "Kestrel launched the Zephyr X2 Gen 1 chip at its summit in Maui on Tuesday, with faster AI for headsets.", None)
    same = _item("v", "Kestrel Zephyr chip at its Maui summit brings faster AI",
                 "Kestrel launched the Zephyr chip at its summit in Maui on Tuesday, with faster AI for headsets.", None)
    later = _item("z", "Gardening tips for the autumn", "Plant tulips now.", _DAY1 + 40 * _DAY)
    found = []
    for dated in ([*_FILLER, *phone], [*_FILLER, *phone, later]):
        grouper = stories.Grouper()
        for item in dated:
            grouper.add(item)
        found.append(grouper.place_undated([headset, same])[0])
    assert grouper.groups["a"].packed is not None  # (closed by the later note)
    assert found[0] == found[1] == {"u": "u", "v": "a"}  # (the article naming no model joins)
