#!/usr/bin/env python3
"""How long story grouping takes to read the words of one very long excerpt.

    python bench/long_texts.py

A news document's excerpt has no length limit, and its words are read again at every
grouping from the start. Times ``reader.stories.text.read_words`` (best of 3) on excerpts of
4,000, 16,000 and 64,000 lines of four shapes: blank lines, a name a line, spaced blank
lines after sentence ends, and quotes that open a line. The time should grow with the
length, not with its square: before the sentence-opener pattern read a run of line breaks
once, 16,000 blank lines took 5 s and 32,000 capitalised line openers 18 s. Prints a table;
asserts nothing.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reader.stories.text import read_words  # noqa: E402

SHAPES = {
    "blank lines": lambda n: "Zorbatron ships Quillex." + "\n" * n + "end of the excerpt.",
    "a name a line": lambda n: "\n".join(f"Company{i} Holdings" for i in range(n)),
    "spaced blank lines": lambda n: "A.\n \n \n" * n + "x",
    "quotes opening lines": lambda n: '"\n' * n + "x",
}


def main() -> None:
    sizes = (4_000, 16_000, 64_000)
    print(f"{'excerpt of N lines':<22}" + "".join(f"{n:>12,}" for n in sizes))
    for name, make in SHAPES.items():
        cells = []
        for n in sizes:
            text = make(n)
            best = min(_time(text) for _ in range(3))
            cells.append(f"{best * 1000:>9.1f} ms")
        print(f"{name:<22}" + "".join(cells))


def _time(text: str) -> float:
    start = time.perf_counter()
    read_words("Zorbatron ships Quillex", text)
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
