"""The measurement of grouping by average linkage (``bench/stories_linkage.py``): its rules
on small hand-made vectors, and that it runs on a set of the gold set."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest

from tests.scripts import REPO_DIR, load_script

_DAY = 86_400.0


@pytest.fixture(scope="module")
def linkage() -> Any:
    return load_script(REPO_DIR / "bench" / "stories_linkage.py")


def _unit(**weights: float) -> dict[str, float]:
    norm = math.sqrt(sum(w * w for w in weights.values()))
    return {k.replace("_", "@", 1) if k.startswith("_") else k: w / norm for k, w in weights.items()}


def _point(linkage: Any, vector: dict[str, float], day: float, title: str = "", aside: bool = False) -> Any:
    return linkage.Point(vector, 1.7e9 + day * _DAY, title, aside)


def test_a_group_is_met_as_a_whole_not_through_one_link(linkage: Any) -> None:
    """a ~ b and b ~ c, but a and c share nothing: a and b become one group, whose mean with c
    (half of b's) is under the bar — no chain."""
    points = {
        "a": _point(linkage, _unit(zorblax=1.0, toaster=1.0), 0),
        "b": _point(linkage, _unit(zorblax=1.0, toaster=1.0, brightco=0.8), 0.1),
        "c": _point(linkage, _unit(brightco=1.0, lamps=0.3), 0.2),
    }
    settings = linkage.Settings(bar=0.3, own=0.0, subjects=0)
    groups = linkage.link(points, {}, settings)
    assert groups["a"] == groups["b"] != groups["c"]
    # (c meets b at ~0.47 alone: with b as its only partner, a single link would take it)
    cosine = sum(w * points["c"].vector.get(k, 0.0) for k, w in points["b"].vector.items())
    assert cosine >= settings.bar


def test_bounds_keep_groups_apart(linkage: Any) -> None:
    """The same words three days later (beyond the span), or a piece about the news, stay apart;
    a day later they need more similarity (here they have it: identical words)."""
    same = _unit(zorblax=1.0, toaster=1.0)
    points = {
        "a": _point(linkage, same, 0),
        "b": _point(linkage, dict(same), 1.0),
        "c": _point(linkage, dict(same), 4.0),
        "d": _point(linkage, dict(same), 0.1, aside=True),
    }
    groups = linkage.link(points, {}, linkage.Settings(own=0.0, subjects=0))
    assert groups["a"] == groups["b"]
    assert len({groups["a"], groups["c"], groups["d"]}) == 3
    # half a day past the 12 hours, at 0.4 a day more: a cosine of 0.3 is not enough then
    weaker = {"a": _point(linkage, _unit(zorblax=1.0, toaster=1.0), 0),
              "b": _point(linkage, _unit(zorblax=1.0, lamps=2.0), 1.0)}
    cosine = sum(w * weaker["b"].vector.get(k, 0.0) for k, w in weaker["a"].vector.items())
    assert 0.15 + 0.4 * 0.5 > cosine >= 0.15
    groups = linkage.link(weaker, {}, linkage.Settings(own=0.0, subjects=0))
    assert groups["a"] != groups["b"]
    weaker["b"] = _point(linkage, weaker["b"].vector, 0.4)
    groups = linkage.link(weaker, {}, linkage.Settings(own=0.0, subjects=0))
    assert groups["a"] == groups["b"]


def test_two_subjects_keep_press_releases_of_one_mould_apart(linkage: Any) -> None:
    """Two firms' releases, word for word the same but for the firm each title names first (a
    name no other item has): apart; with subjects not checked, one group."""
    points = {
        "a": _point(linkage, _unit(_acme=1.0, achieves=1.0, competency=1.0, partner=1.0), 0, "acme achieves competency"),
        "b": _point(linkage, _unit(_zeta=1.0, achieves=1.0, competency=1.0, partner=1.0), 0.1, "zeta achieves competency"),
    }
    assert linkage.link(points, {}, linkage.Settings(own=0.0))["a"] != linkage.link(points, {}, linkage.Settings(own=0.0))["b"]
    groups = linkage.link(points, {}, linkage.Settings(own=0.0, subjects=0))
    assert groups["a"] == groups["b"]


def test_a_document_and_an_entry_of_its_list_count_more(linkage: Any) -> None:
    points = {
        "doc": _point(linkage, _unit(bedrock=1.0, amazon=1.0, launch=1.0), 0),
        "entry": _point(linkage, _unit(bedrock=1.0, cloud=1.0, titan=1.0, models=1.0), 0.2),
    }
    settings = linkage.Settings(bar=0.35, subjects=0)
    assert linkage.link(points, {}, settings)["doc"] != linkage.link(points, {}, settings)["entry"]
    groups = linkage.link(points, {"doc": ["entry"]}, settings)
    assert groups["doc"] == groups["entry"]


def test_it_measures_a_set_of_the_gold_set(linkage: Any, tmp_path: Path) -> None:
    """Both groupings of one set, every item named as the evaluation names them."""
    evaluation = load_script(REPO_DIR / "bench" / "stories_eval.py")
    single, linked = linkage.grouped(tmp_path, evaluation.SETS["week2022"], linkage.Settings())
    assert set(single) == set(linked) and len(linked) > 50
    assert any("#" in name for name in linked)
    assert len({g for g in linked.values() if g is not None}) < len(linked)  # (some items grouped)
