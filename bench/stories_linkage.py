#!/usr/bin/env python3
"""Stories by linkage of whole groups (their centroids), day by day, against the single pass, on the gold set.

    python bench/stories_linkage.py [--one-library] [--as-read] [--bar 0.2] [--span-days 2] ...
    python bench/stories_linkage.py --time DIR

A measurement of another way to group, not what Reader does yet. Reader groups in one pass
(:mod:`reader.stories.matching`, :mod:`reader.stories.related`): each article and each
related entry, in one order, joins the story whose centroid it meets best at that moment.
Here every item of a set — its documents and the related entries they list, each link once —
is grouped by :func:`reader.stories.linkage.link` (groups met by their centroids within bounds, day by day;
the options set them, their defaults are :class:`~reader.stories.linkage.Bounds`'), each
item's vector weighted by the rarity of its words among the library's dated articles, counted
as the single pass counts them (:class:`~reader.stories.weights.Weights`), all of them
(``--as-read``: those up to it, in the one order: an item's weights then never change with
the articles after it).

Each set is synced into a library of its own (``--one-library``: all in one) as
``bench/stories_eval.py`` does; prints pair precision and recall for every part, the single
pass's and the linkage's side by side, then over the tuning parts, the held-out parts and all.
The parts, the labels and how pairs count are ``bench/stories_eval.py``'s. ``--time DIR``
times :func:`~reader.stories.linkage.link` alone on the documents of DIR instead (a corpus
of ``bench/make_corpus.py``): CPU seconds, median of 3, with the largest group and the
longest span; then the last 1,000 documents added one at a time, each with its entries
(:meth:`~reader.stories.linkage.Linker.add`), the others first: milliseconds of CPU an
addition, and whether the groups are :func:`~reader.stories.linkage.link`'s. The cyclic
garbage collector is off throughout, as in the library's grouping.
"""

from __future__ import annotations

import argparse
import gc
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import stories_eval  # noqa: E402

from reader.library import Library  # noqa: E402
from reader.stories import storage  # noqa: E402
from reader.stories.model import Item  # noqa: E402
from reader.stories.linkage import Bounds, Linker, Point, link  # noqa: E402
from reader.stories.text import read_words  # noqa: E402
from reader.stories.titles import aside  # noqa: E402
from reader.stories.weights import Weights  # noqa: E402

DEFAULTS = Bounds()


def read_points(db_rows: list[tuple[object, ...]], as_read: bool = False) -> tuple[dict[str, Point], dict[str, list[str]]]:
    """Every item of the library's articles, with its vector weighed as the grouper weighs it
    once all the dated articles are counted (``as_read``: once the dated articles up to it are
    counted, in their order, each with the entries of its list; the undated ones at the end);
    and each article's list (item ids)."""
    items = sorted((storage._read(row)[0] for row in db_rows), key=lambda i: i.order)
    weights = Weights()
    by_url = {key: item.id for item in items for key in item.url_keys}
    points: dict[str, Point] = {}
    lists: dict[str, list[str]] = {}

    def take(item: Item) -> None:
        points[item.id] = Point(weights.vector(item.words), item.published, item.title, item.aside)
        listed = lists.setdefault(item.id, [])
        for entry in item.related:
            name = by_url.get(entry.key, entry.key)
            listed.append(name)
            if name not in points:  # (a document's own vector replaces the one of its listing)
                when = entry.published if entry.published is not None else item.published
                points[name] = Point(weights.vector(read_words(entry.title, entry.excerpt)), when, entry.title.lower(), aside(entry.title),
                                     item.published)  # (it comes with the first document that lists it)

    for item in items:
        if item.published is not None:  # (counted as the grouper counts it)
            weights.capitalise(item.words)
            weights.count(item.words, item.outlet)
            if as_read:
                take(item)
    for item in items:
        if not as_read or item.published is None:
            take(item)
    return points, lists


def grouped(work: Path, folders: tuple[Path, ...], bounds: Bounds, as_read: bool = False
            ) -> tuple[dict[str, str | None], dict[str, str | None]]:
    """The story of every item of the gold documents (file name or ``FILE#N``): the single
    pass's (as ``bench/stories_eval.py`` finds it) and the linkage's."""
    single = stories_eval._grouped(work, folders)
    with Library(work / "data") as library:
        db = library.db
        rows = db.execute(storage._ROWS_SQL).fetchall()
        points, lists = read_points(rows, as_read)
        groups = link(points, lists, bounds)
        names = stories_eval.item_names(library)
    return single, {name: None if item is None else groups.get(item) for name, item in names.items()}


def _time(folder: Path, bounds: Bounds) -> int:
    """Sync ``folder`` into a fresh library (no grouping), read its items as the grouper reads
    them, and time :func:`link` on them."""
    with tempfile.TemporaryDirectory() as work, Library(Path(work)) as library:
        library.sync([folder], group=False)
        rows = library.db.execute(storage._ROWS_SQL).fetchall()
    points, lists = read_points(rows, as_read=True)
    collecting = gc.isenabled()
    gc.disable()  # (as the library's grouping does: a collection of the whole heap would be timed too)
    try:
        seconds = []
        for _ in range(3):
            started = time.process_time()
            groups = link(points, lists, bounds)
            seconds.append(time.process_time() - started)
        adds = _time_adds(points, lists, bounds)
    finally:
        if collecting:
            gc.enable()
    members: dict[str, list[str]] = {}
    for name, group in groups.items():
        members.setdefault(group, []).append(name)
    spans = [max(d) - min(d) for names in members.values() if (d := [t for n in names if (t := points[n].when) is not None])]
    cpu = statistics.median(seconds)
    print(f"{len(rows):,} articles, {len(points):,} items: link() {cpu:.2f} s of CPU (median of 3), "
          f"{cpu / len(rows) * 1e6:.0f} us an article; {sum(len(m) > 1 for m in members.values()):,} groups of two or more, "
          f"the largest {max(map(len, members.values()))} items, the longest span {max(spans, default=0) / 86_400:.1f} days")
    print(adds)
    return 0


def _time_adds(points: dict[str, Point], lists: dict[str, list[str]], bounds: Bounds) -> str:
    """Time :meth:`Linker.add` as a library grows: the last 1,000 documents added one at a
    time in the order they come, each with its entries (the others added at once first; CPU
    of each addition), and their groups checked against :func:`link`'s."""
    documents = sorted((name for name in lists if points[name].when is not None), key=lambda n: (points[n].when, n))
    batches: list[tuple[float, dict[str, Point]]] = []
    taken: set[str] = set()
    for name in documents:
        batch = [name] + [n for n in lists[name] if n in points and n not in taken and n not in lists]
        taken.update(batch)
        batches.append((points[name].when or 0.0, {n: points[n] for n in batch}))
    for name, point in points.items():  # (an entry of undated documents alone comes on its own date)
        if name not in taken and point.when is not None:
            batches.append((point.comes if point.comes is not None else point.when, {name: point}))
    batches.sort(key=lambda batch: batch[0])
    rest = {n: p for n, p in points.items() if p.when is None}  # (undated: placed, never late)
    last = 1_000
    linker = Linker(bounds)
    before = {n: p for _, batch in batches[:-last] for n, p in batch.items()}
    linker.add(before, {d: lists[d] for d in before if d in lists})  # (the others at once)
    seconds = []
    for _, batch in batches[-last:]:
        started = time.process_time()
        linker.add(batch, {d: lists[d] for d in batch if d in lists})
        seconds.append(time.process_time() - started)
    linker.add(rest, {d: lists[d] for d in rest if d in lists})
    same = linker.groups() == link(points, lists, bounds)
    seconds.sort()
    return (f"adding the last {len(seconds):,} documents one at a time (each with its entries): median "
            f"{statistics.median(seconds) * 1e3:.1f} ms, 99th percentile {seconds[len(seconds) * 99 // 100] * 1e3:.1f} ms, "
            f"the most {seconds[-1] * 1e3:.1f} ms; the groups {'the same as' if same else 'NOT those of'} link()'s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--one-library", action="store_true")
    parser.add_argument("--bar", type=float, default=DEFAULTS.bar)
    parser.add_argument("--pair", type=float, default=DEFAULTS.pair)
    parser.add_argument("--span-days", type=float, default=DEFAULTS.span_days)
    parser.add_argument("--per-day", type=float, default=DEFAULTS.per_day)
    parser.add_argument("--own", type=float, default=DEFAULTS.own)
    parser.add_argument("--subjects", type=int, default=DEFAULTS.subjects)
    parser.add_argument("--as-read", action="store_true", help="weigh each item's words as they are read, not at the end")
    parser.add_argument("--no-asides", action="store_true", help="let pieces about the news join too")
    parser.add_argument("--time", metavar="DIR", help="time the grouping of the documents of DIR (bench/make_corpus.py makes "
                        "one) instead: CPU seconds of link() alone, weights as read, median of 3")
    args = parser.parse_args()
    bounds = Bounds(bar=args.bar, pair=args.pair, span_days=args.span_days, per_day=args.per_day, own=args.own,
                    subjects=args.subjects, asides=not args.no_asides)
    if args.time:
        return _time(Path(args.time), bounds)
    pairs = json.loads(stories_eval.GOLD.read_text(encoding="utf-8"))["pairs"]
    single: dict[str, dict[str, str | None]] = {}
    linked: dict[str, dict[str, str | None]] = {}
    with tempfile.TemporaryDirectory() as work:
        if args.one_library:
            folders = tuple(dict.fromkeys(f for group in stories_eval.SETS.values() for f in group))
            one, other = grouped(Path(work) / "all", folders, bounds, args.as_read)
            single, linked = dict.fromkeys(stories_eval.SETS, one), dict.fromkeys(stories_eval.SETS, other)
        else:
            for name, folders in stories_eval.SETS.items():
                single[name], linked[name] = grouped(Path(work) / name, folders, bounds, args.as_read)
                shutil.rmtree(Path(work) / name)
    tuning = [p for p in pairs if p["part"] in stories_eval.TUNING]
    held = [p for p in pairs if p["part"] not in stories_eval.TUNING]
    print(f"{'part':<10} {'pairs':>5}  single pass P / R (together)   linkage P / R (together)")
    before, after = stories_eval.evaluate(single, pairs), stories_eval.evaluate(linked, pairs)
    for chosen, label in ((tuning, "tuning"), (held, "held-out all")):
        before[label], after[label] = stories_eval.evaluate(single, chosen)["all"], stories_eval.evaluate(linked, chosen)["all"]
    before["all"], after["all"] = before.pop("all"), after.pop("all")  # (last)
    for part in before:
        b, a = before[part], after[part]
        print(f"{part:<10} {b.pairs:>5}  {b.precision:.3f} / {b.recall:.3f} ({b.together:>3})"
              f"            {a.precision:.3f} / {a.recall:.3f} ({a.together:>3})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
