"""Stories on the real feeds (tests/data/feeds-real) against pairs labelled by reading them
(tests/data/stories_feeds_gold.json, its note says how): ``bench/stories_feeds_eval.py``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from scripts import REPO_DIR, load_script

from reader.library import Library

EVAL = load_script(REPO_DIR / "bench" / "stories_feeds_eval.py")
GOLD: dict[str, Any] = json.loads(EVAL.GOLD.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def feed_library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    library = Library(tmp_path_factory.mktemp("feeds") / "data")
    library.sync([EVAL.FEEDS])
    yield library
    library.close()


@pytest.fixture(scope="module")
def figures(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    found, _ = EVAL.judge(EVAL.stories_of(tmp_path_factory.mktemp("grouped")), GOLD)
    return found


def test_every_labelled_item_is_an_article_of_the_feeds(feed_library: Library) -> None:
    """The labels name articles by id: each is still the article labelled (its title and feed)."""
    rows = {i: t for i, t in feed_library.db.execute("SELECT id, title FROM articles")}
    for article, item in GOLD["items"].items():
        assert rows.get(article) == item["title"], article
        assert sorted(Path(p).name for p in feed_library.paths(article)) == item["feeds"], article


def test_each_pair_is_of_the_kind_its_outlets_say() -> None:
    items, catalogues = GOLD["items"], set(GOLD["catalogues"])
    assert {p["kind"] for p in GOLD["pairs"]} == {"two outlets", "one outlet", "catalogue"}
    for pair in GOLD["pairs"]:
        a, b = items[pair["a"]]["outlet"], items[pair["b"]]["outlet"]
        kind = "two outlets" if a != b else "catalogue" if a in catalogues else "one outlet"
        assert pair["kind"] == kind, pair
    assert len({(p["a"], p["b"]) for p in GOLD["pairs"]}) == len(GOLD["pairs"])


def test_judging_counts_pairs_together_and_apart() -> None:
    gold = {"items": dict.fromkeys("abcde", {}), "pairs": [
        {"a": "a", "b": "b", "same": True, "kind": "one outlet"},    # together: found
        {"a": "a", "b": "c", "same": True, "kind": "one outlet"},    # apart: missed
        {"a": "d", "b": "e", "same": False, "kind": "two outlets"},  # together: wrong
        {"a": "c", "b": "d", "same": False, "kind": "two outlets"},  # apart: right
    ]}
    found, wrong = EVAL.judge({"a": "s", "b": "s", "c": "c", "d": "t", "e": "t"}, gold)
    assert found["all"] == EVAL.Figures(0.5, 0.5, 4, 1, 1)
    assert found["one outlet"] == EVAL.Figures(1.0, 0.5, 2, 0, 1)
    assert found["two outlets"] == EVAL.Figures(0.0, 1.0, 2, 1, 0)
    assert [(p["a"], p["b"]) for p in wrong] == [("a", "c"), ("d", "e")]
    with pytest.raises(EVAL.MissingItem):
        EVAL.judge({"a": "s"}, gold)


def test_reports_of_one_event_by_other_outlets_are_one_story(figures: dict[str, Any]) -> None:
    assert figures["two outlets"].precision >= 0.95 and figures["two outlets"].recall >= 0.90


def test_one_outlets_news_keeps_precision_first(figures: dict[str, Any]) -> None:
    """One outlet's news of one event together, its other news apart (follow-ups of the airport
    shooting, the Olympic helmet ban; not two statements of one politician)."""
    assert figures["one outlet"].precision >= 0.95 and figures["one outlet"].recall >= 0.90


@pytest.mark.xfail(reason="a catalogue's entries 0.90 / 0.68: one game's entry posted again days later apart, "
                          "four reviews of Legend's M134D kits together; all pairs 0.97 / 0.87", strict=True)
def test_every_kind_meets_the_target(figures: dict[str, Any]) -> None:
    for kind, found in figures.items():
        assert found.precision >= 0.95 and found.recall >= 0.90, kind
