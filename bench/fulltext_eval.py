#!/usr/bin/env python3
"""Word precision and recall of the full text Reader extracts from saved article pages.

    python bench/fulltext_eval.py

For every page of ``tests/data/fulltext`` that carries its project's expected output
(``expected.html``: Mozilla Readability's test pages), the page is served from a local
server on 127.0.0.1 and read as key F reads it (:func:`reader.fulltext.load`), and its
words are compared with the words of the expected output (both lower-cased, ``\\w+``,
counted as multisets): precision = common words / extracted words, recall = common words /
expected words. Prints one line per page, then the totals over all words; the aim is 0.9
for each. Nothing was tuned on these pages (trafilatura runs with its defaults).
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
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
