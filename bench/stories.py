#!/usr/bin/env python3
"""Time story grouping (reader.stories) and language detection on a generated corpus.

    python bench/make_corpus.py 10000 bench/out/c10k
    python bench/stories.py bench/out/c10k

Syncs the corpus into a fresh library without grouping, then times grouping every article
(wall clock and this process's CPU time: the machine may be shared), three times; prints
the largest story and the longest span, and how the CPU time splits between reading the
articles' words and matching them; then adds documents newer than all the others one
at a time and times grouping each (the append path); then groups all again in a fresh
process for the peak memory (RSS) grouping takes. Prints the figures; asserts nothing.
Also times language detection per document over up to 2,000 of the corpus files.
"""

from __future__ import annotations

import argparse
import gc
import multiprocessing
import resource
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
from reader.stories import storage  # noqa: E402
from reader.stories.related import EntryStories  # noqa: E402

NEWER = """---
title: "Harbour robots {i} unload the {word} freighter at night"
excerpt: "Port authority robots {i} unloaded the {word} freighter overnight, the operator said."
publishedDateTime: 2031-01-{day:02d}T{hour:02d}:00:00Z
webUrl: "https://news.example/harbour-{i}"
provider:
  name: "Harbour News {i}"
  domain: "harbour{i}.example"
---
"""


def _group_memory(path: str) -> tuple[int, float, float, float]:
    """Group the library at ``path`` again, all of it: how many articles, this process's peak
    RSS (MB) before and after, and the seconds it took."""
    with Library(Path(path)) as library:
        library.db.execute("UPDATE story_state SET changes = changes + 1")  # group all again
        library.db.commit()
        before = _peak_rss()
        started = time.perf_counter()
        count = library.group_stories()
        seconds = time.perf_counter() - started
        return count, before, _peak_rss(), seconds


def _peak_rss() -> float:
    """This process's peak RSS in MB: VmHWM (ru_maxrss of a process started from a big one
    counts the parent's size)."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return int(next(line for line in status.splitlines() if line.startswith("VmHWM:")).split()[1]) / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus")
    parser.add_argument("--repeat", type=int, default=3)
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

    with tempfile.TemporaryDirectory() as data, Library(Path(data) / "lib") as library:
        started = time.perf_counter()
        report = library.sync([args.corpus], group=False)
        print(f"sync without grouping: {report.files:,} files in {time.perf_counter() - started:.1f} s")
        db = library.db
        walls, cpus = [], []
        for _ in range(args.repeat):
            db.execute("UPDATE story_state SET changes = changes + 1")  # group all again
            db.commit()
            wall, cpu = time.perf_counter(), time.process_time()
            grouped = library.group_stories()
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
        wall, cpu = statistics.median(walls), statistics.median(cpus)
        print(f"grouping {grouped:,} articles: {wall:.2f} s wall ({grouped / wall:,.0f} articles/s), "
              f"{cpu:.2f} s CPU ({grouped / cpu:,.0f} articles/s); runs: " + ", ".join(f"{w:.2f}" for w in walls))
        multi = db.execute("SELECT count(*), coalesce(sum(members), 0) FROM stories WHERE members > 1").fetchone()
        print(f"stories of two or more documents: {multi[0]:,} holding {multi[1]:,} articles")
        alone = db.execute("SELECT count(*), coalesce(sum(versions), 0), coalesce(max(versions), 0) FROM stories "
                           "WHERE members = 0").fetchone()
        print(f"stories of related entries alone: {alone[0]:,} holding {alone[1]:,} entries (largest {alone[2]})")
        big = db.execute(
            "SELECT members, versions, outlets, (last - first) / 86400.0, datetime(first, 'unixepoch'), "
            "datetime(last, 'unixepoch') FROM stories ORDER BY versions DESC, members DESC LIMIT 1"
        ).fetchone()
        when = f"{big[3]:.1f} days ({big[4]} – {big[5]})" if big[3] is not None else "undated"
        print(f"largest story: {big[0]} documents, {big[1]} versions, {big[2]} outlets, {when}")
        dated = db.execute(
            "SELECT members, versions, outlets, (last - first) / 86400.0 FROM stories WHERE first IS NOT NULL "
            "ORDER BY versions DESC, members DESC LIMIT 1"
        ).fetchone()
        print(f"largest dated story: {dated[0]} documents, {dated[1]} versions, {dated[2]} outlets, {dated[3]:.1f} days")
        # Where the time goes: reading each article's words (and links) against matching.
        rows = db.execute(storage._ROWS_SQL).fetchall()
        collecting = gc.isenabled()
        gc.disable()
        try:
            cpu = time.process_time()
            items = sorted((storage._read(row)[0] for row in rows), key=lambda i: i.order)
            reading = time.process_time() - cpu
            grouper = stories.Grouper(key for item in items for key in item.url_keys)
            entries = EntryStories(grouper)
            cpu = time.process_time()
            for item in items:
                if item.published is not None:
                    grouper.add(item)
                    entries.add(item)
            matching = time.process_time() - cpu
            cpu = time.process_time()
            grouper.place_undated(item for item in items if item.published is None)
            undated = time.process_time() - cpu
        finally:
            if collecting:
                gc.enable()
        del rows, items, grouper, entries
        print(f"of which (CPU, per article): reading words and links {reading / grouped * 1e6:.0f} us, "
              f"matching the dated ones (and their related entries) {matching / grouped * 1e6:.0f} us, placing the undated ones "
              f"{undated * 1000:.0f} ms in all")
        span = db.execute("SELECT max(last - first) / 86400.0 FROM stories").fetchone()[0]
        print(f"longest span of a story: {span:.1f} days (window {stories.WINDOW_DAYS} days)")
        started = time.perf_counter()
        top = stories.top_story_ids(db)
        print(f"Top stories order ({len(top):,} stories): {(time.perf_counter() - started) * 1000:.0f} ms")

        folder = Path(data) / "newer"
        folder.mkdir()
        times = []
        for i in range(20):
            path = folder / f"newer-{i}.md"
            path.write_text(NEWER.format(i=i, day=1 + i // 2, hour=10 + i % 2, word="blue" if i % 2 else "red"),
                            encoding="utf-8")  # each newer than the one before
            library.sync([folder], group=False)
            started = time.perf_counter()
            library.group_stories()
            times.append(time.perf_counter() - started)
        print(f"grouping one newer document: median {statistics.median(times) * 1000:.1f} ms, "
              f"max {max(times) * 1000:.1f} ms (20 added one at a time)")
        with multiprocessing.get_context("spawn").Pool(1) as pool:  # (a fresh process: its own peak)
            count, before, after, seconds = pool.apply(_group_memory, (str(Path(data) / "lib"),))
        print(f"peak RSS of grouping {count:,} articles again (a fresh process): {before:.0f} MB before, {after:.0f} MB "
              f"after, +{after - before:.0f} MB ({(after - before) * 1024 * 1024 / count:,.0f} bytes per article); "
              f"{seconds:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
