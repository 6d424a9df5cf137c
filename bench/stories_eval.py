#!/usr/bin/env python3
"""Pair precision and recall of story grouping on the hand-labelled gold set.

    python bench/stories_eval.py

Syncs each set of folders into a fresh library (grouping them as the app does):
``tests/data/corpus`` with ``seeds`` (documents sampled over ten years);
``tests/data/window`` and ``tests/data/window2`` (the documents of eleven days of the same
archive, as a user's folder would hold them); ``tests/data/week2023`` (six documents of
one busy week with long related lists), ``tests/data/week2022``, ``tests/data/may2023``,
``tests/data/jul2023``, ``tests/data/sep2023``, ``tests/data/nov2023``, ``tests/data/feb2023``,
``tests/data/dec2023``, ``tests/data/apr2023``, ``tests/data/aug2023``, ``tests/data/jan2023``,
``tests/data/jun2023``, ``tests/data/mar2023``, ``tests/data/feb2024``, ``tests/data/mar2024``,
``tests/data/jan2024``, ``tests/data/oct2023``, ``tests/data/dec2022``, ``tests/data/jun2022``,
``tests/data/sep2022``, ``tests/data/nov2021``, ``tests/data/feb2022``, ``tests/data/jun2021``,
``tests/data/aug2021`` and ``tests/data/aug2021b`` (four to eight each of twenty-four other spans). Then, for every labelled pair of
``tests/data/stories_gold.json`` (its ``set``: ``corpus`` when not given), asks whether the
two items landed in one story: two documents when they have the same story; a related entry
(``FILE#N``) when a story holds it as a version (or it is the link of a document of that
story). An item in no story is a story of its own, and two items with one link (a related
entry two documents list, or one that is a document of the library) are one item. Prints
precision and recall for each part (and how many of its pairs labelled different are
together), the parts rules were tuned on (``tune`` to ``tune29``) apart from those only
measured (``held-out``, ``heldout2b``, ``heldout3``, ``heldout4``, ``heldout5``, ``heldout6``,
``heldout7``, ``heldout8``, ``heldout9``, ``heldout10``, ``heldout11``, ``heldout12``,
``heldout13``, ``heldout14``, ``heldout15``,
``heldout16``, ``heldout17``, ``heldout18``, ``heldout19``,
``heldout20``, ``heldout21``, ``heldout22``, ``heldout23``, ``heldout24``, ``heldout25``, ``heldout26``, ``heldout27``, ``heldout28``, ``heldout29``), then for
all, and how many pairs labelled different the same-labels contradict (``-v``: which, and
every pair the grouping gets wrong with the date and title of each item, of the tuning
parts only). ``--one-library``: the same with every set's documents in one library (one
folder of an archive: a set's words weighed by their rarity among the others' documents
too, as in a user's library of thousands, rather than among a few) instead of a library each.
``--orders N``: the grouping run N more times, each with every article's related entries
taken in another fixed order (sorted by an MD5 of the run's number and the entry's link,
the same each time; :meth:`~reader.stories.matching.Grouper.entry_order`), and for each part
its figures in the grouping's own order beside their range over all the orders, and in how
many orders it meets the aim (:data:`AIM`): how much a part's figures hang on that order.
"""

from __future__ import annotations

import hashlib
import json
import random
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from reader.article import Article  # noqa: E402
from reader.documents import parse_path  # noqa: E402
from reader.library import Library  # noqa: E402
from reader.stories.matching import Grouper  # noqa: E402
from reader.stories.model import Related  # noqa: E402
from reader.stories.storage import identity_key, related_key  # noqa: E402

GOLD = REPO / "tests" / "data" / "stories_gold.json"
#: The parts rules were tuned on (their errors were read); every other part is only measured.
TUNING = ("tune", "tune2", "tune3", "tune4", "tune5", "tune6", "tune7", "tune8", "tune9", "tune10", "tune11", "tune12",
          "tune13", "tune14", "tune15", "tune16", "tune17", "tune18", "tune19",
          "tune20", "tune21", "tune22", "tune23", "tune24", "tune25", "tune26", "tune27", "tune28", "tune29")
#: The folders of each set, grouped in a library of their own.
SETS = {
    "corpus": (REPO / "tests" / "data" / "corpus", REPO / "seeds"),
    "window": (REPO / "tests" / "data" / "window",),
    "window2": (REPO / "tests" / "data" / "window2",),
    "week2023": (REPO / "tests" / "data" / "week2023",),
    "week2022": (REPO / "tests" / "data" / "week2022",),
    "may2023": (REPO / "tests" / "data" / "may2023",),
    "jul2023": (REPO / "tests" / "data" / "jul2023",),
    "sep2023": (REPO / "tests" / "data" / "sep2023",),
    "nov2023": (REPO / "tests" / "data" / "nov2023",),
    "feb2023": (REPO / "tests" / "data" / "feb2023",),
    "dec2023": (REPO / "tests" / "data" / "dec2023",),
    "apr2023": (REPO / "tests" / "data" / "apr2023",),
    "aug2023": (REPO / "tests" / "data" / "aug2023",),
    "jan2023": (REPO / "tests" / "data" / "jan2023",),
    "jun2023": (REPO / "tests" / "data" / "jun2023",),
    "mar2023": (REPO / "tests" / "data" / "mar2023",),
    "feb2024": (REPO / "tests" / "data" / "feb2024",),
    "mar2024": (REPO / "tests" / "data" / "mar2024",),
    "jan2024": (REPO / "tests" / "data" / "jan2024",),
    "oct2023": (REPO / "tests" / "data" / "oct2023",),
    "dec2022": (REPO / "tests" / "data" / "dec2022",),
    "jun2022": (REPO / "tests" / "data" / "jun2022",),
    "sep2022": (REPO / "tests" / "data" / "sep2022",),
    "nov2021": (REPO / "tests" / "data" / "nov2021",),
    "feb2022": (REPO / "tests" / "data" / "feb2022",),
    "jun2021": (REPO / "tests" / "data" / "jun2021",),
    "aug2021": (REPO / "tests" / "data" / "aug2021",),
    "aug2021b": (REPO / "tests" / "data" / "aug2021b",),
}


#: The precision and recall every part aims at (the README's "Below the aim of 0.95 / 0.90").
AIM = (0.95, 0.90)


def entry_order(run: int) -> Callable[[Related], str]:
    """The order of each article's related entries in run ``run``: 0 the grouping's own
    (by link), another a fixed order of its own (by an MD5 of the run and the link)."""
    if run == 0:
        return Grouper.entry_order
    return lambda entry: hashlib.md5(f"{run}:{entry.key}".encode()).hexdigest()


def predicted_stories(work: Path, one_library: bool = False, order: int = 0) -> dict[str, dict[str, str | None]]:
    """The story of every item (file name or ``FILE#N``) of the gold documents, by set
    (``one_library``: every set's documents grouped together in one library, as one folder
    of a user's archive: each set's words weighed by their rarity among the other sets'
    documents too; ``order``: each article's related entries in the order of that run,
    :func:`entry_order`)."""
    own = Grouper.__dict__["entry_order"]
    Grouper.entry_order = staticmethod(entry_order(order))  # type: ignore[method-assign]
    try:
        return _predicted(work, one_library)
    finally:
        Grouper.entry_order = own  # type: ignore[method-assign]


def _predicted(work: Path, one_library: bool) -> dict[str, dict[str, str | None]]:
    if one_library:
        folders = tuple(dict.fromkeys(folder for group in SETS.values() for folder in group))
        together = _grouped(work / "all", folders)
        return dict.fromkeys(SETS, together)
    return {name: _grouped(work / name, folders) for name, folders in SETS.items()}


def _grouped(work: Path, folders: tuple[Path, ...]) -> dict[str, str | None]:
    folder = work / "docs"
    folder.mkdir(parents=True)
    for source in folders:
        for path in source.iterdir():
            if path.is_file() and path.name != "SOURCE.md":
                shutil.copy(path, folder / path.name)
    with Library(work / "data") as library:
        library.sync([folder])
        db = library.db
        story_of = dict(db.execute("SELECT article, story FROM story_members"))
        claimed = dict(db.execute("SELECT key, story FROM story_related"))
        # (every article has a story, one of its own when alone; an entry in no story is a
        # story of one: two items with one link are one item)
        return {name: None if item is None else story_of.get(item) or claimed.get(item) or f"alone:{item}"
                for name, item in item_names(library).items()}


def item_names(library: Library) -> dict[str, str | None]:
    """The item each name of the gold set is in ``library``: a file's article (by id), and a
    related entry ``FILE#N`` by its key (:func:`~reader.stories.storage.related_key`), or the
    article whose link that is (two items with one link are one item); None for an entry with
    neither link nor title."""
    by_url: dict[str, str] = {}
    rows = library.db.execute("SELECT id, url, amp_url, json_extract(data, '$.related') FROM articles").fetchall()
    for article_id, url, amp_url, _ in rows:
        for link in (url, amp_url):
            if link:
                by_url[identity_key(link)] = article_id
    out: dict[str, str | None] = {}
    for article_id, _, _, related in rows:
        for file in library.paths(article_id):  # (one article may come from two files)
            name = Path(file).name
            out[name] = article_id
            for n, entry in enumerate(json.loads(related or "[]")):
                key = related_key(entry) if isinstance(entry, dict) else None
                out[f"{name}#{n}"] = by_url.get(key, key) if key else None
    return out


class Figures(NamedTuple):
    """What :func:`evaluate` finds for one part."""

    precision: float
    recall: float
    pairs: int
    different: int  #: pairs labelled different
    together: int  #: ... of which the grouping puts together
    #: 95 % intervals of precision and recall (:func:`intervals`), when asked for.
    precision_range: tuple[float, float] | None = None
    recall_range: tuple[float, float] | None = None


#: Resamples of :func:`intervals`, and the seed of their random draws (the same figures each run).
RESAMPLES = 2000
SEED = 14


def evaluate(stories: dict[str, dict[str, str | None]], pairs: list[dict[str, object]],
             ranges: bool = False) -> dict[str, Figures]:
    """The figures of each part (the tuning parts first) and of all (``ranges``: with their
    95 % intervals, :func:`intervals`)."""
    out = {}
    parts = sorted(dict.fromkeys(str(p["part"]) for p in pairs), key=lambda part: part not in TUNING)
    for part in parts + ["all"]:
        chosen = [p for p in pairs if part == "all" or p["part"] == part]
        counts = _counts(stories, chosen)
        tp, fp, fn = (sum(c[i] for c in counts.values()) for i in range(3))
        figures = Figures(_ratio(tp, tp + fp), _ratio(tp, tp + fn), len(chosen), len(chosen) - tp - fn, fp)
        if ranges:
            precision_range, recall_range = intervals(counts)
            figures = figures._replace(precision_range=precision_range, recall_range=recall_range)
        out[part] = figures
    return out


def _counts(stories: dict[str, dict[str, str | None]], pairs: list[dict[str, object]]) -> dict[str, tuple[int, int, int]]:
    """How many pairs of each document (:func:`_document`) the grouping gets right as the same
    (true positives), puts together though different (false positives) and keeps apart though
    the same (false negatives)."""
    counts: dict[str, list[int]] = {}
    for pair in pairs:
        found = counts.setdefault(_document(pair), [0, 0, 0])
        together = _together(stories, pair)
        if together:
            found[0 if pair["same"] else 1] += 1
        elif pair["same"]:
            found[2] += 1
    return {document: (tp, fp, fn) for document, (tp, fp, fn) in counts.items()}


def _document(pair: dict[str, object]) -> str:
    """The document a pair is counted with: the first by name of the files its items come from
    (a related entry ``FILE#N`` comes from FILE); the pairs of one document are not
    independent (they share its words and its related entries)."""
    return min(_item(pair, "a").partition("#")[0], _item(pair, "b").partition("#")[0])


def intervals(counts: dict[str, tuple[int, int, int]]) -> tuple[tuple[float, float], tuple[float, float]]:
    """95 % intervals of precision and recall: the 2.5th and 97.5th percentiles over
    :data:`RESAMPLES` resamples of the documents, with replacement (a bootstrap by document,
    :func:`_document`; each resample keeps every pair of the documents drawn)."""
    rows = list(counts.values())
    draw = random.Random(SEED).choices
    precisions, recalls = [], []
    for _ in range(RESAMPLES):
        sample = draw(rows, k=len(rows))
        tp, fp, fn = (sum(row[i] for row in sample) for i in range(3))
        precisions.append(_ratio(tp, tp + fp))
        recalls.append(_ratio(tp, tp + fn))
    return _middle(precisions), _middle(recalls)


def _middle(values: list[float]) -> tuple[float, float]:
    values = sorted(values)
    return values[int(0.025 * (len(values) - 1))], values[int(0.975 * (len(values) - 1))]


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 1.0


def _together(stories: dict[str, dict[str, str | None]], pair: dict[str, object]) -> bool:
    of_set = stories[str(pair.get("set", "corpus"))]
    a, b = of_set[str(pair["a"])], of_set[str(pair["b"])]
    return a is not None and a == b


def contradictions(pairs: list[dict[str, object]]) -> list[dict[str, object]]:
    """The pairs labelled different whose items the same-labels join anyway: a story is one
    group, so two items each the same event as a third (or as a chain of them) are in one
    story. No grouping gets these and the same-labels all right."""
    parent: dict[str, str] = {}

    def find(item: str) -> str:
        parent.setdefault(item, item)
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    for pair in pairs:
        if pair["same"]:
            parent[find(_item(pair, "a"))] = find(_item(pair, "b"))
    return [p for p in pairs if not p["same"] and find(_item(p, "a")) == find(_item(p, "b"))]


def _item(pair: dict[str, object], end: str) -> str:
    """An item named with its set (one file may be in two sets, grouped apart)."""
    return f"{pair.get('set', 'corpus')}:{pair[end]}"


def wrong(stories: dict[str, dict[str, str | None]], pairs: list[dict[str, object]]) -> list[dict[str, object]]:
    return [p for p in pairs if _together(stories, p) != p["same"]]


def main() -> int:
    pairs = json.loads(GOLD.read_text(encoding="utf-8"))["pairs"]
    one_library = "--one-library" in sys.argv
    if "--orders" in sys.argv:
        return _orders(pairs, int(sys.argv[sys.argv.index("--orders") + 1]), one_library)
    with tempfile.TemporaryDirectory() as work:
        stories = predicted_stories(Path(work), one_library)
    for part, figures in evaluate(stories, pairs, ranges=True).items():
        kind = "tuned on" if part in TUNING else "all" if part == "all" else "measured only"
        print(f"{part:<9} {figures.pairs:>4} pairs  precision {figures.precision:.3f} {_range(figures.precision_range)}  "
              f"recall {figures.recall:.3f} {_range(figures.recall_range)}  "
              f"(of {figures.different} different, {figures.together} together; {kind})")
    clashes = contradictions(pairs)
    if clashes:
        by_part = {part: sum(p["part"] == part for p in clashes) for part in dict.fromkeys(str(p["part"]) for p in clashes)}
        print(f"{len(clashes)} pairs labelled different are joined by the same-labels of the set (a story is one group), "
              "so no grouping gets them all right: " + ", ".join(f"{n} in {part}" for part, n in by_part.items()))
    if "-v" in sys.argv:  # (of the tuning parts only: the others stay unread)
        for pair in clashes:
            if pair["part"] in TUNING:
                print(f"  contradicted ({pair['part']}): {pair['a']}  ~  {pair['b']}")
        for pair in wrong(stories, pairs):
            if pair["part"] in TUNING:
                print(f"  wrong ({'same' if pair['same'] else 'different'}, {pair['part']}): {pair['a']}  ~  {pair['b']}")
                for end in ("a", "b"):
                    print(f"      {_title(str(pair.get('set', 'corpus')), str(pair[end]))}")
    return 0


def meets(figures: Figures) -> bool:
    """Whether ``figures`` reach the :data:`AIM`."""
    return figures.precision >= AIM[0] and figures.recall >= AIM[1]


def over_orders(runs: list[dict[str, Figures]]) -> dict[str, tuple[Figures, tuple[float, float], tuple[float, float], int]]:
    """For each part: its figures in the first run (the grouping's own order), the range of
    its precision and of its recall over all the runs, and in how many runs it meets the aim."""
    out = {}
    for part, own in runs[0].items():
        each = [run[part] for run in runs]
        precisions, recalls = [f.precision for f in each], [f.recall for f in each]
        out[part] = (own, (min(precisions), max(precisions)), (min(recalls), max(recalls)), sum(map(meets, each)))
    return out


def _orders(pairs: list[dict[str, object]], more: int, one_library: bool) -> int:
    runs = []
    for run in range(more + 1):
        with tempfile.TemporaryDirectory() as work:
            runs.append(evaluate(predicted_stories(Path(work), one_library, run), pairs))
    table = over_orders(runs)
    for part, (own, precisions, recalls, met) in table.items():
        print(f"{part:<9} {own.pairs:>5} pairs  precision {own.precision:.3f} ({precisions[0]:.3f}-{precisions[1]:.3f})  "
              f"recall {own.recall:.3f} ({recalls[0]:.3f}-{recalls[1]:.3f})  together {own.together:>3} "
              f"({min(r[part].together for r in runs)}-{max(r[part].together for r in runs)})"
              + ("" if part == "all" else f"  meets {AIM[0]:.2f} / {AIM[1]:.2f} in {met} of {len(runs)}"))
    always = [part for part, row in table.items() if part != "all" and row[3] == len(runs)]
    some = [part for part, row in table.items() if part != "all" and 0 < row[3] < len(runs)]
    print(f"In the grouping's own order and {more} others (ranges over all {len(runs)}): "
          f"{len(always)} parts meet the aim in every order ({', '.join(always) or 'none'}), "
          f"{len(some)} in some ({', '.join(some) or 'none'}).")
    return 0


def _range(bounds: tuple[float, float] | None) -> str:
    return f"({bounds[0]:.2f}-{bounds[1]:.2f})" if bounds else ""


def _title(set_name: str, item: str) -> str:
    """The date and title of an item (a document of the set's folders, or ``FILE#N``)."""
    name, _, n = item.partition("#")
    for folder in SETS[set_name]:
        doc = parse_path(folder / name)
        if isinstance(doc, Article):
            if n:
                entry = doc.related[int(n)]
                doc_title, when = entry.title, entry.published
            else:
                doc_title, when = doc.title, doc.published
            return f"{when:%Y-%m-%d}  {doc_title}" if when else f"undated     {doc_title}"
    return item


if __name__ == "__main__":
    sys.exit(main())
