#!/usr/bin/env python3
"""Pair precision and recall of story grouping on the labelled pairs of the real feeds.

    python bench/stories_feeds_eval.py [-v]

Syncs ``tests/data/feeds-real`` into a fresh library (grouping as the window does) and
judges the pairs of ``tests/data/stories_feeds_gold.json`` (its note says how they were
chosen and labelled): a pair labelled the same event is found when both items are in one
story, a pair labelled different is an error when they are. Prints the figures of all pairs
and of each kind (one post's copies, two outlets, one outlet, a catalogue's entries); ``-v``
lists every pair judged wrong with its two titles. The rules for one outlet's items were made
by reading these feeds before they were labelled, and the rule of two short titles
(:func:`reader.stories.titles.other_entry`) was chosen on these pairs: the figures are not of
unseen input (``bench/RESULTS.md``). Asserts nothing.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any, NamedTuple

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from reader.library import Library  # noqa: E402

GOLD = REPO / "tests" / "data" / "stories_feeds_gold.json"
FEEDS = REPO / "tests" / "data" / "feeds-real"


class Figures(NamedTuple):
    precision: float
    recall: float
    pairs: int
    together: int  #: pairs labelled different that the grouping puts together
    apart: int  #: pairs labelled the same that it keeps apart


class MissingItem(Exception):
    """A labelled item is not the article of the feeds it was (no article has its id, or that
    article has another title)."""


def grouped(library: Library) -> tuple[dict[str, str], dict[str, str]]:
    """The story of every article of ``library`` (an article in no story of two or more is a
    story of its own), and its title."""
    db = library.db
    story = dict(db.execute("SELECT article, story FROM story_members"))
    titles = {article: title or "" for article, title in db.execute("SELECT id, title FROM articles")}
    return {article: story.get(article, article) for article in titles}, titles


def stories_of(work: Path, folder: Path = FEEDS) -> tuple[dict[str, str], dict[str, str]]:
    """:func:`grouped` of ``folder`` synced into a library under ``work``."""
    with Library(work / "data") as library:
        library.sync([folder])
        return grouped(library)


def judge(stories: dict[str, str], titles: dict[str, str],
          gold: dict[str, Any]) -> tuple[dict[str, Figures], list[dict[str, Any]]]:
    """The figures of all pairs (``"all"``) and of each kind, and the pairs judged wrong, by the
    ``stories`` and ``titles`` of :func:`grouped`."""
    missing = sorted(article for article, item in gold["items"].items() if titles.get(article) != item["title"])
    if missing:
        raise MissingItem(f"{len(missing)} labelled items are not the feeds' articles they were: {', '.join(missing[:5])}")
    counts: dict[str, list[int]] = {}
    wrong = []
    for pair in gold["pairs"]:
        together = stories[pair["a"]] == stories[pair["b"]]
        for kind in ("all", pair["kind"]):
            found = counts.setdefault(kind, [0, 0, 0, 0])  # (same together, different together, same apart, pairs)
            found[3] += 1
            if together:
                found[0 if pair["same"] else 1] += 1
            elif pair["same"]:
                found[2] += 1
        if together != pair["same"]:
            wrong.append(pair)
    figures = {kind: Figures(tp / (tp + fp) if tp + fp else 1.0, tp / (tp + fn) if tp + fn else 1.0, n, fp, fn)
               for kind, (tp, fp, fn, n) in counts.items()}
    return figures, wrong


def main() -> int:
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as work:
        stories, titles = stories_of(Path(work))
    figures, wrong = judge(stories, titles, gold)
    for kind in ["all", *sorted(k for k in figures if k != "all")]:
        f = figures[kind]
        print(f"{kind:<12} {f.pairs:>4} pairs  precision {f.precision:.3f}  recall {f.recall:.3f}  "
              f"({f.together} pairs of two events together, {f.apart} of one event apart)")
    if "-v" in sys.argv:
        items = gold["items"]
        for pair in wrong:
            label = "apart, one event" if pair["same"] else "together, two events"
            print(f"  {label} ({pair['kind']}): {items[pair['a']]['title']}  ~  {items[pair['b']]['title']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
