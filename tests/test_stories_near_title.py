"""A related entry dated around the document that lists it, whose title is one of its story's
reworded, is a version of that story even when its excerpt says little of the event
(reader.stories.matching: Grouper._near_title). The titles and excerpts are those of
BuzzFeed's plan to write content with AI (tests/data/jan2023): the report of its stock, and
a report listed under it whose excerpt is a teaser."""

from __future__ import annotations

import pytest
from rapidfuzz import fuzz
from rapidfuzz.utils import default_process

from reader import stories
from reader.stories import matching
from reader.stories.model import Item, Related

_BASE = 1_674_754_140.0  # (2023-01-26 17:29 UTC)
_TITLE = "BuzzFeed stock rises 150% as company plans to use AI to create content"
_EXCERPT = "Buzzfeed is planning to heavily lean on AI-generated content, CEO Jonah Peretti said in a memo to staff on Thursday."
_TEASER = ("Learn More Buzzfeed just stumbled into its latest listicle idea: Top 5 Ways AI Can Scale Your Business. "
           "On Thursday, the millennial-focused digital publishing...")
_REWORDED = "BuzzFeed Will Start Using AI to Create Content"


def _claimed(title: str, hours: float, document: tuple[str, str] = (_TITLE, _EXCERPT), excerpt: str = _TEASER) -> tuple[bool, float]:
    """Whether the story of the report of BuzzFeed's stock (or of another ``document``, its title
    and excerpt) claims the entry of ``title`` and the teaser (or ``excerpt``), dated ``hours``
    after it; and the entry's cosine with that story."""
    grouper = stories.Grouper()
    for n in range(20):  # (words the library has seen: what rarity weighs against)
        grouper.add(Item(f"f{n}", _BASE - 86_400 * 20 + n, stories.read_words(f"Gardening note {n}", f"Tomatoes {n}."),
                         frozenset(), title=default_process(f"Gardening note {n}")))
    entry = Related("fool.example/buzzfeed", title, excerpt, _BASE + hours * 3_600)
    grouper.add(Item("stock", _BASE, stories.read_words(*document), frozenset({"aol.example/buzzfeed"}), (entry,),
                     default_process(document[0])))
    return grouper.claimed.get(entry.key) == "stock", grouper._entry_cosine(entry, grouper.groups["stock"])


def test_the_titles_agree_as_much_as_the_rule_asks_and_the_excerpt_says_little() -> None:
    ratio = fuzz.token_set_ratio(default_process(_REWORDED), default_process(_TITLE))
    assert matching.ENTRY_TITLE_NEAR <= ratio < matching.ENTRY_TITLE  # (below the bar of a title agreeing alone)
    claimed, cosine = _claimed(_REWORDED, 4.0)
    assert matching.SAME_TITLE_COSINE <= cosine < matching.ENTRY_TITLE_COSINE
    assert claimed


@pytest.mark.parametrize("hours", [-40.0, 0.0, 20.0])
def test_an_entry_around_the_document_is_claimed(hours: float) -> None:
    assert _claimed(_REWORDED, hours)[0]


@pytest.mark.parametrize("hours", [-50.0, 30.0])
def test_an_entry_further_in_time_is_not(hours: float) -> None:
    """Two days before the document or more than a day after: a follow-up may say as much."""
    assert not _claimed(_REWORDED, hours)[0]


def test_a_piece_about_the_news_is_not() -> None:
    """A question under a title as alike is a piece about the news, not a report of it."""
    question = "Will BuzzFeed start using AI to create content?"
    assert fuzz.token_set_ratio(default_process(question), default_process(_TITLE)) >= matching.ENTRY_TITLE_NEAR
    assert not _claimed(question, 4.0)[0]


def test_a_title_agreeing_less_is_not() -> None:
    other = "BuzzFeed shares soar on plans for more quizzes"
    assert fuzz.token_set_ratio(default_process(other), default_process(_TITLE)) < matching.ENTRY_TITLE_NEAR
    assert not _claimed(other, 4.0)[0]


_ADS = ("Ironclad Sensors expands generative AI for ads",
        "Ironclad Sensors expanded its generative AI for advertisers on Monday, the company said in a statement.")
_ADS_ENTRY = "Its new model drafts banners and jingles for brands, a spokesperson wrote on Monday."


def test_another_firm_doing_the_same_is_not() -> None:
    """Titles of one mould, "<firm> <does> generative AI for ads", agree though the firms differ
    (as much as a report retitled, and below the bar of a title agreeing alone): the entry
    whose title puts another name first than the story's titles, none of which names it, is
    another firm's news, however alike."""
    title = "DeepMind invests in generative AI for ads"
    assert matching.ENTRY_TITLE_NEAR <= fuzz.token_set_ratio(default_process(title), default_process(_ADS[0])) < matching.ENTRY_TITLE
    found, cosine = _claimed(title, 2.0, _ADS, _ADS_ENTRY)
    assert matching.SAME_TITLE_COSINE <= cosine < matching.RELATED_SIMILAR
    assert not found
