"""How words are weighed by rarity (reader.stories.weights), on hand-made words."""

from __future__ import annotations

import math
from collections.abc import Iterable

import pytest

from reader.stories.text import Words
from reader.stories.weights import NAME_WEIGHT, OUTLET_MIN, RECENT_DAYS, Weights


def _words(words: Iterable[str], names: Iterable[str] = (), openers: Iterable[str] = ()) -> Words:
    return Words(frozenset(words), frozenset(names), frozenset(openers))


def _counted(*articles: set[str]) -> Weights:
    weights = Weights()
    for words in articles:
        weights.count(_words(words))
    return weights


def test_a_word_weighs_by_how_few_articles_had_it() -> None:
    """Four articles counted: "market" in all four weighs log(5) + 1 - log(5) = 1, "venmo" in one
    log(5) + 1 - log(2), a word none had log(5) + 1; the vector is of unit length."""
    weights = _counted({"market", "venmo"}, {"market"}, {"market"}, {"market"})
    vector = weights.vector(_words({"market", "venmo", "zorblax"}))
    raw = {"market": 1.0, "venmo": math.log(5) + 1 - math.log(2), "zorblax": math.log(5) + 1}
    norm = math.sqrt(sum(w * w for w in raw.values()))
    assert vector == pytest.approx({k: w / norm for k, w in raw.items()})


def test_a_dated_article_counts_for_recent_days_only() -> None:
    """A dated article counts until one dated more than RECENT_DAYS after it is counted; then
    its words weigh as words no article had (and stay known, at a count of 0). An article
    counted without a date counts for good."""
    day = 86_400.0
    weights = Weights()
    weights.count(_words({"saga", "old"}), when=0.0)
    weights.count(_words({"undated"}))
    weights.count(_words({"other"}), when=RECENT_DAYS * day)  # (RECENT_DAYS after it: it counts still)
    assert (weights.n, weights.df["saga"]) == (3, 1)
    weights.count(_words({"later"}), when=RECENT_DAYS * day + 1.0)
    assert (weights.n, weights.df["saga"], weights.df["undated"]) == (3, 0, 1)
    vector = weights.vector(_words({"saga", "zorblax", "other"}))
    assert vector["saga"] == pytest.approx(vector["zorblax"]) and vector["other"] < vector["saga"]
    # (an undated article is weighed by every article ever counted: 4 of them, one with "saga")
    ever = weights.weigh(_words({"saga", "zorblax"}), ever=True)[0]
    raw = {"saga": math.log(5) + 1 - math.log(2), "zorblax": math.log(5) + 1}
    norm = math.sqrt(sum(w * w for w in raw.values()))
    assert ever == pytest.approx({k: w / norm for k, w in raw.items()})


def test_a_name_weighs_more_under_its_own_key_after_the_words() -> None:
    weights = _counted({"clearview"}, {"other"})
    vector, names, names_sq = weights.weigh(_words({"clearview", "faces"}, names={"clearview"}))
    assert vector["@clearview"] == pytest.approx(NAME_WEIGHT * vector["clearview"])
    assert names == {"@clearview"} and list(vector)[-1] == "@clearview"
    assert names_sq == pytest.approx(vector["@clearview"] ** 2)
    assert weights.key("clearview") is weights.key("clearview")  # (one string for every vector)


def test_a_sentence_opener_is_a_name_once_an_article_had_it_capitalised_inside_a_sentence() -> None:
    weights = Weights()
    opener = _words({"investors", "left"}, openers={"investors"})
    assert "@investors" not in weights.vector(opener)
    weights.capitalise(_words({"investors"}, names={"investors"}))
    assert "@investors" in weights.vector(opener)


def test_an_outlets_boilerplate_weighs_less_in_its_articles() -> None:
    """Once an outlet has OUTLET_MIN articles counted, a term all of them had is left out of its
    next article, a term half of them had weighs half; other outlets' articles are weighed as
    before."""
    weights = Weights()
    for n in range(OUTLET_MIN + 1):
        weights.count(_words({"einsatzort", "alarm" if n % 2 else f"call{n}"}), "brigade")
    for n in range(20):
        weights.count(_words({f"other{n}"}), "elsewhere")
    words = _words({"einsatzort", "alarm", "fire"})
    plain = weights.weigh(words)[0]
    own = weights.weigh(words, outlet="brigade")[0]
    assert "einsatzort" in plain and "einsatzort" not in own
    assert own["alarm"] / own["fire"] == pytest.approx(0.5 * plain["alarm"] / plain["fire"])
    assert weights.weigh(words, outlet="elsewhere")[0] == plain


def test_extra_counts_are_added_to_the_articles_counted() -> None:
    """The undated articles' words: "" how many more articles, each word how many of them had it."""
    weights = _counted({"venmo"}, {"market"})
    extra = weights.vector(_words({"venmo", "market"}), {"": 2, "venmo": 2})
    assert extra == _counted({"venmo"}, {"market"}, {"venmo"}, {"venmo"}).vector(_words({"venmo", "market"}))


def test_each_weight_is_the_formulas_own_float_for_every_count() -> None:
    """Weights are looked up in a table of log(c + 1), grown as articles are counted: each is
    exactly log(n + 1) + 1 - log(df + 1), unit-scaled (not merely close), for every count a word
    can have, with the undated articles' extra counts beyond the articles counted too."""
    weights = Weights()
    n = 40
    for i in range(n):  # ("w<c>" is in c of the n articles)
        weights.count(_words({f"w{c}" for c in range(i + 1, n + 1)}))
    extra = {"": 7, "w3": 7, "w40": 5}
    for c in range(n + 1):
        words = _words({f"w{c}", "never"})
        for more in (None, extra):
            vector = weights.vector(words, more)
            counted = n + 1 + (more[""] if more else 0)
            raw = {k: math.log(counted) + 1.0 - math.log(weights.df.get(k, 0) + (more or {}).get(k, 0) + 1) for k in vector}
            norm = math.sqrt(sum(w * w for w in raw.values()))
            assert vector == {k: w / norm for k, w in raw.items()}
