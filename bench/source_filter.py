#!/usr/bin/env python3
"""`source:` with and without the index of the entries' sources (a first import builds it
at its end: until then a search in the window reads the entries without it).

    python bench/make_corpus.py 20000 bench/out/c20k
    python bench/source_filter.py bench/out/c20k

Loads the documents into a new library, then times each query (best of --runs, whole
searches as `reader search` runs them) with the index, and again with it dropped. Prints
the figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from reader.library import Library


def best_ms(library: Library, query: str, runs: int) -> tuple[float, int]:
    best, found = float("inf"), 0
    for _ in range(runs):
        start = time.perf_counter()
        found = len(library.search(query, limit=None))
        best = min(best, time.perf_counter() - start)
    return best * 1000, found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    data = Path(tempfile.mkdtemp(prefix="source-bench-"))
    try:
        with Library(data) as library:
            library.sync([args.corpus])
            counts = library.counts()
            sources = sorted(counts.sources, key=lambda s: -counts.sources[s].total)
            domain = library.db.execute("SELECT domain FROM entries WHERE provider = ? LIMIT 1", (sources[0],)).fetchone()[0]
            queries = [f'source:"{sources[0]}"', f'source:"{sources[-1]}"', f"source:{domain}", f'-source:"{sources[0]}"']
            print(f"{len(library.article_rowids()):,} articles, {len(sources):,} sources")
            for state in ("with the index", "without the index"):
                if state == "without the index":
                    library.db.execute("DROP INDEX entries_provider")
                for query in queries:
                    ms, found = best_ms(library, query, args.runs)
                    print(f"{state:18} {query:40} {ms:8.1f} ms  {found:,} found")
    finally:
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
