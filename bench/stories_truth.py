#!/usr/bin/env python3
"""Pair precision and recall of story grouping against the stories a generated corpus was made of.

    python bench/stories_truth.py 10000 [--seed 0] [--dir DIR]

``bench/make_corpus.py`` plans its news documents in stories: one piece of news (a company,
a verb and an object) reported by one to six outlets within three days either side of a
date, the stories drawn independently of one another. Each news file's expected values name
its story (``story``). This writes the corpus of ``N`` documents and ``--seed`` into a
temporary folder (``--dir``: that corpus, written before by ``make_corpus.py`` with the same
``N`` and seed; every file is checked to be the one the generator gives), syncs it into a
fresh library as the app does (grouping its stories), and prints, for Reader's stories and
for the grouping by linkage (:func:`reader.stories.linkage.link`, not what Reader does yet,
with its vectors as ``bench/stories_linkage.py --time`` weighs them): over every two
documents, the pairs in one group that are of one story (precision) and the pairs of one
story in one group (recall), with how many pairs of two stories are together, and the
largest group; then the same over every two items, the documents and the related entries
that are no document of the corpus (one item each, by its link: ``story_related`` for
Reader's). A plain-text document is a story of its own, and so is such an entry: the
generator lists besides a document's own story's documents articles of other news, of a
company, verb and object drawn anew, dated within two days of it.

The generator's stories are its own truth, not a reader's: two of its stories may name the
same company a day apart, and its excerpts draw their sentences after the first from one
pool of 3,000, so two unrelated documents may share a sentence word for word (more often the
larger the corpus). Prints the figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Mapping
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import make_corpus  # noqa: E402
import stories_linkage  # noqa: E402

from reader.library import Library  # noqa: E402
from reader.stories import storage  # noqa: E402


def truth(n: int, seed: int, folder: Path | None) -> dict[str, int]:
    """The story of every news file of the corpus (by its path relative to the folder); with
    ``folder``, each file is first checked to be the generator's."""
    stories: dict[str, int] = {}
    paths: set[str] = set()
    for item in make_corpus.generate(n, seed):
        paths.add(item.relpath)
        if folder is not None and (not (folder / item.relpath).is_file()
                                   or (folder / item.relpath).read_bytes() != item.data):
            raise SystemExit(f"{folder / item.relpath} is not the file of the corpus of {n} documents and seed {seed}")
        if item.kind == "news":
            stories[item.relpath] = item.expect["story"]
    if folder is not None:
        more = sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file())
        more = [path for path in more if path not in paths]
        if more:
            raise SystemExit(f"{folder} holds files the corpus of {n} documents and seed {seed} has not: {more[0]} …")
    return stories


def pair_counts(groups: Mapping[str, object], stories: Mapping[str, int]) -> tuple[int, int, int]:
    """Of the pairs of items of ``groups`` (each item's group): how many are in one group, how
    many of those are of one story of ``stories`` (each news document's; any other item a story
    of its own), and how many are of one story."""
    def pairs(counts: Counter[object]) -> int:
        return sum(k * (k - 1) // 2 for k in counts.values())

    made = Counter(groups.values())
    true = Counter(stories.get(name, name) for name in groups)
    both = Counter((group, stories.get(name, name)) for name, group in groups.items())
    return pairs(made), pairs(both), pairs(true)


def score(groups: Mapping[str, str], stories: Mapping[str, int], what: str = "documents") -> str:
    """Pair precision and recall of ``groups`` (each item's group) against ``stories``
    (:func:`pair_counts`), with the largest group."""
    together, right, wanted = pair_counts(groups, stories)
    made = Counter(groups.values())
    precision = right / together if together else 1.0
    recall = right / wanted if wanted else 1.0
    return (f"precision {precision:.3f}, recall {recall:.3f} ({together - right:,} of {together:,} pairs together "
            f"are of two stories; {wanted:,} pairs of one story); largest group {max(made.values(), default=0)} {what}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("n", type=int, help="how many documents")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--dir", type=Path, help="the corpus, written before by bench/make_corpus.py with N and --seed")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        folder = args.dir
        if folder is None:
            folder = Path(work) / "corpus"
            make_corpus.make_corpus(args.n, folder, args.seed)
        folder = folder.resolve()
        stories = truth(args.n, args.seed, args.dir and folder)
        with Library(Path(work) / "library") as library:
            started = time.perf_counter()
            library.sync([folder])
            print(f"{args.n:,} documents, seed {args.seed}: {len(set(stories.values())):,} stories of "
                  f"{len(stories):,} news documents; synced and grouped in {time.perf_counter() - started:.1f} s")
            ids = {row[0]: Path(row[1]).relative_to(folder).as_posix()
                   for row in library.db.execute("SELECT id, path FROM articles")}
            story_of = dict(library.db.execute("SELECT article, story FROM story_members").fetchall())
            claimed = dict(library.db.execute("SELECT key, story FROM story_related").fetchall())
            rows = library.db.execute(storage._ROWS_SQL).fetchall()
        by_path = {path: stories[path] for path in ids.values() if path in stories}
        reader = {ids[name]: story_of.get(name, name) for name in ids}
        items = [storage._read(row, words=False)[0] for row in rows]
        own = {key for item in items for key in item.url_keys}
        entries = sorted({entry.key for item in items for entry in item.related if entry.key not in own})
        print(f"Reader's stories, documents: {score(reader, by_path)}")
        print(f"Reader's stories, documents and {len(entries):,} related entries: "
              f"{score({**reader, **{key: claimed.get(key, key) for key in entries}}, by_path, 'items')}")
        collecting = gc.isenabled()
        gc.disable()  # (as the library's grouping does)
        try:
            points, lists = stories_linkage.read_points(rows, as_read=True)
            linked = stories_linkage.link(points, lists)
        finally:
            if collecting:
                gc.enable()
        print(f"linkage, documents: {score({ids[name]: linked[name] for name in ids}, by_path)}")
        print(f"linkage, documents and related entries: "
              f"{score({**{ids[name]: linked[name] for name in ids}, **{key: linked[key] for key in entries}}, by_path, 'items')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
