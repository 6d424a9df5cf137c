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
from reader.stories.storage import identity_key

EVAL = load_script(REPO_DIR / "bench" / "stories_feeds_eval.py")
GOLD: dict[str, Any] = json.loads(EVAL.GOLD.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def feed_library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    with Library(tmp_path_factory.mktemp("feeds") / "data") as library:
        library.sync([EVAL.FEEDS])
        yield library


@pytest.fixture(scope="module")
def figures(feed_library: Library) -> dict[str, Any]:
    found, _ = EVAL.judge(*EVAL.grouped(feed_library), GOLD)
    return found


def test_every_labelled_item_is_an_article_of_the_feeds(feed_library: Library) -> None:
    """The labels name articles by id: each is still the article labelled (its title, link and
    the feed files it comes from)."""
    rows = {i: (t, u) for i, t, u in feed_library.db.execute("SELECT id, title, url FROM articles")}
    for article, item in GOLD["items"].items():
        assert rows.get(article) == (item["title"], item["url"]), article
        assert sorted(Path(p).parent.name for p in feed_library.paths(article)) == item["feeds"], article
    assert all(name.endswith((".xml", ".atom", ".rss", ".json", ".rdf")) for item in GOLD["items"].values() for name in item["feeds"])


def test_each_pair_is_of_the_kind_its_items_say() -> None:
    items, catalogues = GOLD["items"], set(GOLD["catalogues"])

    def kind(a: dict[str, Any], b: dict[str, Any]) -> str:
        if (a["url"] and b["url"] and identity_key(a["url"]) == identity_key(b["url"])) or (
                (a["title"], a["published"]) == (b["title"], b["published"])):
            return "copies"
        if a["outlet"] != b["outlet"]:
            return "two outlets"
        return "catalogue" if a["outlet"] in catalogues else "one outlet"

    assert {p["kind"] for p in GOLD["pairs"]} == {"copies", "two outlets", "one outlet", "catalogue"}
    for pair in GOLD["pairs"]:
        assert pair["kind"] == kind(items[pair["a"]], items[pair["b"]]), pair
    assert len({(p["a"], p["b"]) for p in GOLD["pairs"]}) == len(GOLD["pairs"])


def test_judging_counts_pairs_together_and_apart() -> None:
    gold = {"items": {k: {"title": k.upper()} for k in "abcde"}, "pairs": [
        {"a": "a", "b": "b", "same": True, "kind": "one outlet"},    # together: found
        {"a": "a", "b": "c", "same": True, "kind": "one outlet"},    # apart: missed
        {"a": "d", "b": "e", "same": False, "kind": "two outlets"},  # together: wrong
        {"a": "c", "b": "d", "same": False, "kind": "two outlets"},  # apart: right
    ]}
    titles = {k: k.upper() for k in "abcde"}
    found, wrong = EVAL.judge({"a": "s", "b": "s", "c": "c", "d": "t", "e": "t"}, titles, gold)
    assert found["all"] == EVAL.Figures(0.5, 0.5, 4, 1, 1)
    assert found["one outlet"] == EVAL.Figures(1.0, 0.5, 2, 0, 1)
    assert found["two outlets"] == EVAL.Figures(0.0, 1.0, 2, 1, 0)
    assert [(p["a"], p["b"]) for p in wrong] == [("a", "c"), ("d", "e")]
    with pytest.raises(EVAL.MissingItem):  # (an id no article has)
        EVAL.judge({"a": "s"}, {"a": "A"}, gold)
    with pytest.raises(EVAL.MissingItem):  # (an id now of another article)
        EVAL.judge(dict.fromkeys("abcde", "s"), {**titles, "e": "Another"}, gold)


def test_reports_of_one_event_by_other_outlets_are_one_story(figures: dict[str, Any]) -> None:
    assert figures["two outlets"].precision >= 0.95 and figures["two outlets"].recall >= 0.90


def test_one_post_read_twice_is_one_story(figures: dict[str, Any]) -> None:
    assert figures["copies"].precision >= 0.95 and figures["copies"].recall >= 0.90


def test_one_outlets_news_keeps_precision_first(figures: dict[str, Any]) -> None:
    """One outlet's other news apart from a story of its own (one subject's other news, another
    installment, another entry of a catalogue...)."""
    assert figures["one outlet"].precision >= 0.95


@pytest.mark.xfail(reason="a catalogue's entries 0.90 / 0.68: one game's entry posted again days later apart, "
                          "four reviews of Legend's M134D kits together; one outlet's news 0.97 / 0.89; "
                          "all pairs 0.97 / 0.87", strict=True, raises=AssertionError)
def test_every_kind_meets_the_target(figures: dict[str, Any]) -> None:
    for kind, found in figures.items():
        assert found.precision >= 0.95 and found.recall >= 0.90, kind
