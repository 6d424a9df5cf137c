#!/usr/bin/env python3
"""Word precision and recall of the full text Reader extracts from saved article pages.

    python bench/fulltext_eval.py
    python bench/fulltext_eval.py --search DIR   # also: what full texts cost a search (DIR: bench/make_corpus.py N DIR)

For every page of ``tests/data/fulltext`` that carries its project's expected output
(``expected.html``: Mozilla Readability's test pages), the page is served from a local
server on 127.0.0.1 and read as key F reads it (:func:`reader.fulltext.load`), and its
words are compared with the words of the expected output (both lower-cased, ``\\w+``,
counted as multisets): precision = common words / extracted words, recall = common words /
expected words. Prints one line per page, then the totals over all words; the aim is 0.9
for each. Nothing was tuned on these pages (trafilatura runs with its defaults).

With ``--search DIR`` it also syncs DIR into a fresh library and times searches (median of
5, ``Library.search`` with its default limit of 50) before and after 200 of its articles
get a full text (the saved ebb.org page's): a library with full texts searches both
indexes and joins them.
"""

from __future__ import annotations

import re
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import lxml.html  # noqa: E402

from reader.fulltext import load  # noqa: E402
from tests.page_server import PAGES, SAVED, serving  # noqa: E402

TARGET = 0.9


def words(text: str) -> Counter[str]:
    return Counter(re.findall(r"\w+", text.lower()))


def search_cost(directory: Path) -> None:
    import statistics
    import tempfile

    from reader.library import Library, View

    queries = ["facial", "faci*", '"machine learning"', "a*", "clearview -twitter", "conservancy"]
    with tempfile.TemporaryDirectory() as data, Library(data) as lib:
        started = time.perf_counter()
        lib.sync([directory])
        print(f"\nsynced {directory} in {time.perf_counter() - started:.1f} s: {lib.counts().all.total:,} articles")

        def timings() -> list[tuple[float, float]]:
            out = []
            for query in queries:
                runs, lists = [], []
                for _ in range(5):
                    started = time.perf_counter()
                    lib.search(query)
                    runs.append(time.perf_counter() - started)
                    started = time.perf_counter()
                    lib.article_rowids(View(), query=query)  # the window's list: every match
                    lists.append(time.perf_counter() - started)
                out.append((statistics.median(runs) * 1000, statistics.median(lists) * 1000))
            return out

        before = timings()
        full = load_saved("readability-ebb-org")
        rows = lib.rows(lib.article_rowids()[:200])
        for row in rows.values():
            lib.store_fulltext(row.id, full, row.title)
        after = timings()
        print(f"{'':<22} {'search, top 50':>31} {'every match (the list)':>31}")
        print(f"{'query':<22} {'no full texts':>15} {'200 full texts':>15} {'no full texts':>15} {'200 full texts':>15}")
        for query, (b, lb), (a, la) in zip(queries, before, after, strict=True):
            print(f"{query:<22} {b:>12.1f} ms {a:>12.1f} ms {lb:>12.1f} ms {la:>12.1f} ms")


def load_saved(name: str):  # type: ignore[no-untyped-def]
    from reader.fulltext import FullText, extract

    blocks, images = extract((PAGES / name / "source.html").read_bytes(), "http://127.0.0.1/page")
    return FullText("http://127.0.0.1/page", time.time(), tuple(blocks), tuple(images))


def main() -> int:
    server = serving()
    pages = next(server)
    total_common = total_got = total_want = 0
    print(f"{'page':<24} {'extracted':>9} {'expected':>9} {'precision':>9} {'recall':>7} {'time':>8}")
    try:
        for name in SAVED:
            want = words(lxml.html.fromstring((PAGES / name / "expected.html").read_bytes()).text_content())
            started = time.perf_counter()
            full = load(pages.url(f"/page/{name}"))
            elapsed = time.perf_counter() - started
            got = words(full.text)
            common = sum((got & want).values())
            n_got, n_want = sum(got.values()), sum(want.values())
            total_common, total_got, total_want = total_common + common, total_got + n_got, total_want + n_want
            print(f"{name:<24} {n_got:>9,} {n_want:>9,} {common / n_got:>9.3f} {common / n_want:>7.3f} {elapsed * 1000:>6.0f} ms")
    finally:
        next(server, None)
    precision, recall = total_common / total_got, total_common / total_want
    print(f"{'all words':<24} {total_got:>9,} {total_want:>9,} {precision:>9.3f} {recall:>7.3f}")
    met = precision >= TARGET and recall >= TARGET
    print(f"target {TARGET} for each: {'met' if met else 'NOT met'}")
    if "--search" in sys.argv:
        search_cost(Path(sys.argv[sys.argv.index("--search") + 1]))
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
