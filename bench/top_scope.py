#!/usr/bin/env python3
"""Time Top stories and the counts in a scope: the whole library, and one folder of it.

    python bench/make_corpus.py 10000 bench/out/c10k
    python bench/top_scope.py bench/out/c10k            # syncs into a temporary library
    python bench/top_scope.py bench/out/c10k --data D   # or into (and then reuses) D

Syncs the corpus and groups its stories, then times, for a scope that covers the library
(the usual case: the window shows the folders the library was made from) and for a scope
of one folder of it (``--folder``, by default the corpus' first year): ``Library.counts``,
the Top stories list (its rowids, in order) and what the article pane shows of the story of
each of the first 50 listed (``Library.story_context``: its versions and its "#k of N").
Medians of ``--runs`` runs, after one run that builds what the scope keeps between queries
(the scope's articles are looked up again after any write). Prints the figures; asserts
nothing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reader.library import Library, View, ViewKind  # noqa: E402
from reader.library.values import make_scope  # noqa: E402


def _median_ms(work: Callable[[], object], runs: int) -> float:
    work()  # (the scope's table of articles is built once per scope and library state)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def _measure(library: Library, name: str, scope: tuple[str, ...], runs: int) -> None:
    top = View(ViewKind.TOP)
    rowids = library.article_rowids(top, scope=scope)
    ids = [row.id for row in library.rows(rowids[:50]).values()]
    counts = library.counts(scope)
    print(f"{name}: {counts.all.total:,} articles, {len(rowids):,} top stories (sidebar {counts.top.total:,})")
    print(f"  Library.counts            {_median_ms(lambda: library.counts(scope), runs):8.2f} ms")
    print(f"  Top stories list          {_median_ms(lambda: library.article_rowids(top, scope=scope), runs):8.2f} ms")
    if ids:
        per = _median_ms(lambda: [library.story_context(i, scope) for i in ids], runs) / len(ids)
        print(f"  article pane's story      {per:8.2f} ms each (the first {len(ids)} of the list)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--data", type=Path, help="the library's data folder (default: a temporary one)")
    parser.add_argument("--folder", help="the folder of the corpus the narrow scope shows (default: its first)")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    corpus = args.corpus.resolve()
    folder = corpus / args.folder if args.folder else min(p for p in corpus.iterdir() if p.is_dir())
    with tempfile.TemporaryDirectory() as temporary:
        data = args.data or Path(temporary) / "lib"
        with Library(data) as library:
            started = time.perf_counter()
            library.sync([corpus])
            print(f"synced and grouped in {time.perf_counter() - started:.1f} s")
            _measure(library, "whole library", make_scope([corpus]), args.runs)
            _measure(library, f"one folder ({folder.name})", make_scope([folder]), args.runs)


if __name__ == "__main__":
    main()
