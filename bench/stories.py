#!/usr/bin/env python3
"""Time story grouping (reader.stories) and language detection on a generated corpus.

    python bench/make_corpus.py 10000 bench/out/c10k
    python bench/stories.py bench/out/c10k

Syncs the corpus into a fresh library (grouping as it goes, as the app does), then clears
the story tables and times grouping every article again on its own, in batches of 200 (the
sync's batch size), as the incremental path does it. Prints the figures; asserts nothing.
Also times language detection per document over up to 2,000 of the corpus files.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reader import language, stories  # noqa: E402
from reader.article import Article  # noqa: E402
from reader.documents import parse_path  # noqa: E402
from reader.library import Library  # noqa: E402
from reader.scan import iter_document_paths  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus")
    parser.add_argument("--batch", type=int, default=200)
    args = parser.parse_args()

    paths = list(iter_document_paths([args.corpus]))[:2000]
    docs = [d for d in (parse_path(p) for p in paths) if isinstance(d, Article)]
    samples = []
    for _ in range(3):
        started = time.perf_counter()
        for doc in docs:
            language.detect(doc.title, doc.excerpt, doc.body)
        samples.append((time.perf_counter() - started) / max(1, len(docs)))
    print(f"language detection: {statistics.median(samples) * 1e6:.0f} us per document ({len(docs)} documents)")

    with tempfile.TemporaryDirectory() as data, Library(data) as library:
        started = time.perf_counter()
        report = library.sync([args.corpus])
        print(f"sync with grouping: {report.files} files in {time.perf_counter() - started:.1f} s")
        db = library._db
        ids = [row[0] for row in db.execute("SELECT id FROM articles ORDER BY rowid")]
        db.executescript("DELETE FROM story_members; DELETE FROM story_keys; DELETE FROM stories;")
        started = time.perf_counter()
        for first in range(0, len(ids), args.batch):
            with library._transaction():
                stories.update(db, ids[first : first + args.batch])
        seconds = time.perf_counter() - started
        grouped = db.execute(
            "SELECT count(*), sum(n) FROM (SELECT count(*) AS n FROM story_members GROUP BY story HAVING n > 1)"
        ).fetchone()
        print(f"grouping {len(ids):,} articles: {seconds:.2f} s ({len(ids) / seconds:,.0f} articles/s)")
        print(f"stories of two or more documents: {grouped[0]:,} holding {grouped[1] or 0:,} articles")
        started = time.perf_counter()
        top = stories.top_story_ids(db)
        print(f"Top stories order ({len(top):,} stories): {(time.perf_counter() - started) * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
