"""Rarity among the recent news (reader.stories.weights.RECENT_DAYS): a saga's words that were
everywhere months ago weigh as any news's words when its next event comes."""

from __future__ import annotations

import pytest
from rapidfuzz.utils import default_process

from reader import stories
from reader.stories import weights

_DAY = 86_400.0


def _article(item_id: str, days: float, title: str, text: str) -> stories.Item:
    return stories.Item(item_id, 1_600_000_000.0 + days * _DAY, stories.read_words(title, text), frozenset(),
                        title=default_process(title), outlet=f"{item_id}.example")


def _grouped() -> dict[str, str]:
    """A winter of the act's debates, one a day; twenty days of other news; then, five months after
    the debates began, two outlets' reports of the act's final vote, in other words but the saga's."""
    grouper = stories.Grouper()
    for n in range(40):
        grouper.add(_article(f"debate{n}", n, f"Lawmakers debate the landmark act, round {n}",
                             f"Parliament lawmakers argued over the landmark act's final vote, clause{n} and "
                             f"amendment{n}."))
    for n in range(40):
        grouper.add(_article(f"other{n}", 110 + n / 2, f"Harbour news {n}",
                             f"The harbour{n} welcomed ferry{n} and cargo{n} this week."))
    reports = (_article("vote1", 150, "Parliament approves landmark act in final vote",
                        "Lawmakers approved the landmark act by a wide margin on Wednesday evening."),
               _article("vote2", 150.2, "Lawmakers pass landmark act: final parliament vote",
                        "Supporters cheered in the chamber as the landmark act passed, opponents walked out."))
    for item in reports:
        grouper.add(item)
    return {item.id: grouper.story_of[item.id] for item in reports}


def test_a_sagas_next_event_is_one_story_when_its_words_are_no_longer_everywhere() -> None:
    """Five months on, the debates no longer count: the two reports share the saga's words,
    which weigh as much as their own again, and are one story."""
    assert _grouped() == {"vote1": "vote1", "vote2": "vote1"}


def test_a_word_only_articles_too_old_to_count_had_finds_no_candidate_story() -> None:
    """A dated article looks for candidate stories by its rarest terms that an article before
    it had; a term only articles older than RECENT_DAYS had points at no open story (those
    closed long ago), so it is not among them. An undated article, compared with every story,
    looks by any term an article ever had."""
    grouper = stories.Grouper()
    grouper.add(_article("old", 0, "Quarry blast rattles valley", "A quarry blast rattled the valley town."))
    grouper.add(_article("new", 100, "Tremor felt downtown", "A tremor was felt downtown on Monday."))
    words = stories.read_words("Quarry tremor", "The quarry and the tremor.")
    dated = grouper._terms_of(grouper.weights.vector(words))[1]
    undated = grouper._terms_of(grouper.weights.weigh(words, ever=True)[0], ever=True)[1]
    assert "tremor" in dated and "quarry" not in dated
    assert {"tremor", "quarry"} <= set(undated)


def test_counting_every_article_ever_kept_them_apart(monkeypatch: pytest.MonkeyPatch) -> None:
    """(What the test above would have met before rarity was the recent news's.)"""
    monkeypatch.setattr(weights, "RECENT_DAYS", 100_000)
    assert _grouped() == {"vote1": "vote1", "vote2": "vote2"}
