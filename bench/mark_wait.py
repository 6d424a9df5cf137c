#!/usr/bin/env python3
"""How long a mark waits while a sync writes: a first sync of N generated documents, then
the grouping of its articles into stories, run on a thread of its own (as the window's
loader does, parsing in worker processes), while
another connection marks an article read every 20 ms (as the window does when you press
m). Prints the waits of the marks; asserts nothing.

    python bench/mark_wait.py [N]          # default 10,000 documents
    python bench/mark_wait.py [N] --unfair # without the turn a mark gets before a sync's next batch
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.make_corpus import make_corpus  # noqa: E402
from reader.library import database as library_database  # noqa: E402
from reader.library import Library  # noqa: E402


def main() -> int:
    n = int(next((a for a in sys.argv[1:] if a.isdigit()), "10000"))
    if "--unfair" in sys.argv:
        library_database._TURNS.let_urgent_go_first = lambda: None  # type: ignore[method-assign]
    with tempfile.TemporaryDirectory() as tmp:
        docs, data = Path(tmp) / "docs", Path(tmp) / "data"
        make_corpus(n, docs, seed=1)
        with Library(data) as first:
            first.set_read(["not-yet-an-article"])  # the schema exists before the race starts
        done = threading.Event()
        synced: dict[str, float] = {}

        def sync() -> None:
            with Library(data) as loader:
                started = time.perf_counter()
                loader.sync([docs], group=False)
                synced["seconds"] = time.perf_counter() - started
                loader.group_stories()  # then the window groups the new articles into stories
                synced["grouped"] = time.perf_counter() - started
            done.set()

        waits: list[float] = []
        with Library(data) as window:
            thread = threading.Thread(target=sync)
            thread.start()
            read = False
            while not done.is_set():
                read = not read
                started = time.perf_counter()
                window.set_read(["some-article-id"], read)
                waits.append(time.perf_counter() - started)
                time.sleep(0.02)
            thread.join()
    waits.sort()
    p95 = waits[int(0.95 * (len(waits) - 1))]
    print(
        f"{n:,} documents synced in {synced['seconds']:.1f} s, grouped by {synced['grouped']:.1f} s; {len(waits)} marks meanwhile: "
        f"median {statistics.median(waits) * 1000:.1f} ms, p95 {p95 * 1000:.0f} ms, worst {waits[-1] * 1000:.0f} ms"
        + (" (unfair: no turns)" if "--unfair" in sys.argv else "")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
