#!/usr/bin/env python3
"""Stories by average linkage of every item, against the single pass, on the gold set.

    python bench/stories_linkage.py [--one-library] [--bar 0.15] [--span-days 2] ...

A measurement of another way to group, not what Reader does. Reader groups in one pass
(:mod:`reader.stories.matching`, :mod:`reader.stories.related`): each article and each
related entry, in one order, joins the story whose centroid it meets best at that moment.
Here every item of a set — its documents and the related entries they list, each link once
— is grouped at once instead, by average linkage: the two groups whose items are the most
similar on average (the mean cosine of all their pairs, with each item's vector weighted by
the rarity of its words among the library's articles, as the grouper weighs them at the end
of the grouping) become one, again and again, while that mean reaches ``--bar`` and they
stay within these bounds:

* ``--span-days``: a group spans at most that many days (its items' dates; an entry without
  one takes its document's), and two groups whose mean dates lie more than 12 hours apart
  need ``--per-day`` more mean cosine for each day beyond;
* a piece about the news (:func:`reader.stories.titles.aside`: an explainer, a listicle, an
  opinion) joins nothing;
* two groups whose titles each put first a name (``--subjects``: one that at most that many
  items of the library name) that the other never names stay apart (two firms' press
  releases of one mould);
* ``--own``: the similarity of a document and an entry of its own list counts that much more;
* at most :data:`~reader.stories.matching.MAX_VERSIONS` items a group.

Each set is synced into a library of its own (``--one-library``: all in one) as
``bench/stories_eval.py`` does; prints pair precision and recall for every part, the single
pass's and the linkage's side by side, then over the tuning parts, the held-out parts and all.
The parts, the labels and how pairs count are ``bench/stories_eval.py``'s.
"""

from __future__ import annotations

import argparse
import heapq
import json
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import stories_eval  # noqa: E402

from reader.library import Library  # noqa: E402
from reader.stories import matching, storage  # noqa: E402
from reader.stories.titles import aside  # noqa: E402

_DAY = 86_400.0
_WORD = re.compile(r"\w+")


@dataclass
class Point:
    """One item to group: a document, or a related entry (each link once)."""

    vector: dict[str, float]
    when: float | None
    title: str
    aside: bool


@dataclass
class Settings:
    bar: float = 0.15
    span_days: float = 2.0
    per_day: float = 0.4
    own: float = 0.1
    subjects: int = 1  #: 0: no subjects
    asides: bool = True


def read_points(db_rows: list[tuple[object, ...]]) -> tuple[dict[str, Point], dict[str, list[str]]]:
    """Every item of the library's articles, with its vector as the grouper weighs it once all
    the dated articles are counted; and each article's list (item ids)."""
    items = sorted((storage._read(row)[0] for row in db_rows), key=lambda i: i.order)
    grouper = matching.Grouper(key for item in items for key in item.url_keys)
    for item in items:
        if item.published is not None:
            grouper.add(item)  # (counts its words: the rarity of every word at the end)
    by_url = {key: item.id for item in items for key in item.url_keys}
    points: dict[str, Point] = {}
    lists: dict[str, list[str]] = {}
    for item in items:
        points[item.id] = Point(grouper._vector(item.words), item.published, item.title, item.aside)
    for item in items:
        listed = lists.setdefault(item.id, [])
        for entry in item.related:
            name = by_url.get(entry.key, entry.key)
            listed.append(name)
            if name not in points:
                when = entry.published if entry.published is not None else item.published
                points[name] = Point(dict(grouper.entry_vector(entry)), when, entry.title.lower(), aside(entry.title))
    return points, lists


def link(points: dict[str, Point], lists: dict[str, list[str]], settings: Settings) -> dict[str, int]:
    """The group of every item (an index), by average linkage within the bounds."""
    ids = list(points)
    at = {name: i for i, name in enumerate(ids)}
    vectors = [points[name].vector for name in ids]
    times = [points[name].when for name in ids]
    # the sums of the pairs' cosines between groups (each item its own group to start with),
    # only for items within span_days of each other: no group spans more
    sums: list[dict[int, float]] = [{} for _ in ids]
    span = settings.span_days * _DAY
    dated = sorted((i for i in range(len(ids)) if times[i] is not None and vectors[i]), key=lambda i: times[i] or 0.0)
    postings: dict[str, list[int]] = {}
    for i in dated:
        found: dict[int, float] = {}
        when = times[i] or 0.0
        for term, weight in vectors[i].items():
            posting = postings.setdefault(term, [])
            for j in reversed(posting):
                if when - (times[j] or 0.0) > span:
                    break
                found[j] = found.get(j, 0.0) + weight * vectors[j][term]
            posting.append(i)
        for j, cosine in found.items():
            sums[i][j] = sums[j][i] = cosine
    if settings.own:
        for article, listed in lists.items():
            a = at[article]
            for name in dict.fromkeys(listed):
                j = at[name]
                if j != a and j in sums[a]:
                    sums[a][j] += settings.own
                    sums[j][a] = sums[a][j]
    # the names each item's title puts first that at most `subjects` items name
    named: dict[str, int] = {}
    for vector in vectors:
        for term in vector:
            if term[0] == "@":
                named[term] = named.get(term, 0) + 1
    subjects: list[set[str]] = []
    for name, vector in zip(ids, vectors, strict=True):
        words = set(_WORD.findall(points[name].title.lower()))
        subjects.append({t for t in vector if t[0] == "@" and t[1:] in words and named[t] <= settings.subjects}
                        if settings.subjects else set())
    terms = [set(vector) for vector in vectors]
    size = [1] * len(ids)
    first = list(times)
    last = list(times)
    date_sum = [t or 0.0 for t in times]
    date_count = [int(t is not None) for t in times]
    alive = [True] * len(ids)
    apart = [settings.asides and points[name].aside for name in ids]
    members = [[i] for i in range(len(ids))]
    heap = [(-s, i, j) for i in range(len(ids)) for j, s in sums[i].items() if j > i and s >= settings.bar]
    heapq.heapify(heap)
    while heap:
        negative, i, j = heapq.heappop(heap)
        if not (alive[i] and alive[j]):
            continue
        mean = sums[i].get(j, 0.0) / (size[i] * size[j])
        if abs(mean + negative) > 1e-12:  # (a group changed since: its mean is in the heap again)
            continue
        if apart[i] or apart[j] or size[i] + size[j] > matching.MAX_VERSIONS:
            continue
        if subjects[i] and subjects[j] and not subjects[i] <= terms[j] and not subjects[j] <= terms[i]:
            continue
        if date_count[i] and date_count[j]:
            days = abs(date_sum[i] / date_count[i] - date_sum[j] / date_count[j]) / _DAY - 0.5
            if days > 0 and mean < settings.bar + settings.per_day * days:
                continue
        bounds = [t for t in (first[i], first[j], last[i], last[j]) if t is not None]
        if bounds and max(bounds) - min(bounds) > span:
            continue
        alive[j] = False  # j joins i
        for k, s in sums[j].items():
            if k != i and alive[k]:
                sums[i][k] = sums[k][i] = sums[i].get(k, 0.0) + s
                del sums[k][j]
        sums[i].pop(j, None)
        size[i] += size[j]
        members[i] += members[j]
        terms[i] |= terms[j]
        subjects[i] |= subjects[j]
        date_sum[i] += date_sum[j]
        date_count[i] += date_count[j]
        first[i] = min(bounds) if bounds else None
        last[i] = max(bounds) if bounds else None
        for k, s in sums[i].items():
            if alive[k] and s / (size[i] * size[k]) >= settings.bar:
                heapq.heappush(heap, (-s / (size[i] * size[k]), min(i, k), max(i, k)))
    return {ids[m]: i for i in range(len(ids)) if alive[i] for m in members[i]}


def grouped(work: Path, folders: tuple[Path, ...], settings: Settings) -> tuple[dict[str, str | None], dict[str, str | None]]:
    """The story of every item of the gold documents (file name or ``FILE#N``): the single
    pass's (as ``bench/stories_eval.py`` finds it) and the linkage's."""
    single = stories_eval._grouped(work, folders)
    with Library(work / "data") as library:
        db = library.db
        rows = db.execute(storage._ROWS_SQL).fetchall()
        points, lists = read_points(rows)
        groups = link(points, lists, settings)
        by_url: dict[str, str] = {}
        files: list[tuple[str, str, list[object]]] = []
        for article_id, url, amp_url, related in db.execute(
                "SELECT id, url, amp_url, json_extract(data, '$.related') FROM articles"):
            for address in (url, amp_url):
                if address:
                    by_url[storage.identity_key(address)] = article_id
            for file in library.paths(article_id):
                files.append((Path(file).name, article_id, json.loads(related or "[]")))
    linked: dict[str, str | None] = {}
    for name, article_id, related in files:
        linked[name] = f"g{groups[article_id]}"
        for n, entry in enumerate(related):
            key = storage.related_key(entry) if isinstance(entry, dict) else None
            item = by_url.get(key, key) if key else None
            linked[f"{name}#{n}"] = f"g{groups[item]}" if item in groups else None
    return single, linked


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--one-library", action="store_true")
    parser.add_argument("--bar", type=float, default=Settings.bar)
    parser.add_argument("--span-days", type=float, default=Settings.span_days)
    parser.add_argument("--per-day", type=float, default=Settings.per_day)
    parser.add_argument("--own", type=float, default=Settings.own)
    parser.add_argument("--subjects", type=int, default=Settings.subjects)
    parser.add_argument("--no-asides", action="store_true", help="let pieces about the news join too")
    args = parser.parse_args()
    settings = Settings(args.bar, args.span_days, args.per_day, args.own, args.subjects, not args.no_asides)
    pairs = json.loads(stories_eval.GOLD.read_text(encoding="utf-8"))["pairs"]
    single: dict[str, dict[str, str | None]] = {}
    linked: dict[str, dict[str, str | None]] = {}
    with tempfile.TemporaryDirectory() as work:
        if args.one_library:
            folders = tuple(dict.fromkeys(f for group in stories_eval.SETS.values() for f in group))
            one, other = grouped(Path(work) / "all", folders, settings)
            single, linked = dict.fromkeys(stories_eval.SETS, one), dict.fromkeys(stories_eval.SETS, other)
        else:
            for name, folders in stories_eval.SETS.items():
                single[name], linked[name] = grouped(Path(work) / name, folders, settings)
                shutil.rmtree(Path(work) / name)
    tuning = [p for p in pairs if p["part"] in stories_eval.TUNING]
    held = [p for p in pairs if p["part"] not in stories_eval.TUNING]
    print(f"{'part':<10} {'pairs':>5}  single pass P / R (together)   linkage P / R (together)")
    before, after = stories_eval.evaluate(single, pairs), stories_eval.evaluate(linked, pairs)
    before["all"], after["all"] = before.pop("all"), after.pop("all")  # (last)
    for chosen, label in ((tuning, "tuning"), (held, "held-out all")):
        before[label], after[label] = stories_eval.evaluate(single, chosen)["all"], stories_eval.evaluate(linked, chosen)["all"]
    before["all"], after["all"] = before.pop("all"), after.pop("all")
    for part in before:
        b, a = before[part], after[part]
        print(f"{part:<10} {b.pairs:>5}  {b.precision:.3f} / {b.recall:.3f} ({b.together:>3})"
              f"            {a.precision:.3f} / {a.recall:.3f} ({a.together:>3})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
