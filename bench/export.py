#!/usr/bin/env python3
"""How long File > Export takes: collecting N articles from the library (one read per
article) and formatting them as Markdown and as CSV. Prints figures; asserts nothing.

    python bench/export.py [N]      # default 10,000 generated documents
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_corpus import make_corpus  # noqa: E402

from reader.export import collect, to_csv, to_markdown  # noqa: E402
from reader.library import Library, View, make_scope  # noqa: E402


def main(argv: list[str]) -> int:
    n = int(argv[0]) if argv else 10_000
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        make_corpus(n, corpus)
        with Library(Path(tmp) / "data") as library:
            library.sync([corpus])
            rowids = library.article_rowids(View(), scope=make_scope([corpus]))
            start = time.perf_counter()
            rows = collect(library, rowids)
            collected = time.perf_counter() - start
            start = time.perf_counter()
            markdown = to_markdown(rows, "All Articles")
            as_markdown = time.perf_counter() - start
            start = time.perf_counter()
            csv_text = to_csv(rows)
            as_csv = time.perf_counter() - start
    print(f"{len(rows):,} articles")
    print(f"collect from the library: {collected * 1000:8.0f} ms ({len(rows) / collected:,.0f} articles/s)")
    print(f"format as Markdown:       {as_markdown * 1000:8.0f} ms ({len(markdown) / 1e6:.1f} MB)")
    print(f"format as CSV:            {as_csv * 1000:8.0f} ms ({len(csv_text) / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
