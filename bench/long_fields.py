"""How long the window takes to show an article with one very long value.

    python bench/long_fields.py [REPEATS]

Writes each long-field document of the bad-input catalogue (``tests/data/make_bad.py``:
links of 100,000 to 1,250,000 characters, a 250,000-character topic, a 100,000-character
source, texts that are one 200,000- or 4,000,000-character word, a 1,000,000-character
excerpt) into a folder of its own, opens the window on it (offscreen) and times selecting the
article until the window is painted: the median of REPEATS (default 3) selections. Prints a
table. Before the article pane bounded what it lays out (``reader/display.py``), the same
took 6 s (a 100,000-character link), 21-51 s (300,000), 164 s (1,250,000) and 28 s (the
topic); the target is well under a second.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication  # noqa: E402

from reader.ui.app import create_window, ensure_app  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from scripts import MAKE_BAD, load_script  # noqa: E402

make_bad = load_script(MAKE_BAD)
TARGET_S = 0.5


def measure(name: str, data: bytes, folder: Path, repeats: int) -> tuple[float, float]:
    """(median seconds to show the article, seconds to load the folder)."""
    app = ensure_app()
    docs = folder / name.removesuffix(".md")
    docs.mkdir()
    (docs / name).write_bytes(data)
    started = time.perf_counter()
    window = create_window([str(docs)], folder / f"data-{name}")
    window.show()
    while window.loading or window.article_model.rowCount() == 0:
        app.processEvents()
        time.sleep(0.005)
    loaded = time.perf_counter() - started
    times = []
    for _ in range(repeats):
        window.detail.show_article(None)
        window.article_list.clearSelection()
        window.article_list.setCurrentIndex(window.article_model.index(-1))
        QCoreApplication.processEvents()
        started = time.perf_counter()
        window.article_list.select_row(0)
        window.grab()
        times.append(time.perf_counter() - started)
    window.close()
    QCoreApplication.processEvents()
    return statistics.median(times), loaded


def main(argv: list[str]) -> int:
    repeats = int(argv[0]) if argv else 3
    entries = [*make_bad.long_field_entries(), *make_bad.long_field_entries(huge=True)]
    print(f"{'document':<28} {'size':>10} {'shown (median)':>15} {'loaded':>8}")
    worst = 0.0
    with tempfile.TemporaryDirectory() as folder:
        for entry in entries:
            shown, loaded = measure(entry.name, entry.data, Path(folder), repeats)
            worst = max(worst, shown)
            print(f"{entry.name:<28} {len(entry.data):>10,} {shown * 1000:>12.0f} ms {loaded:>7.2f}s", flush=True)
    print(f"worst {worst * 1000:.0f} ms (target: under {TARGET_S * 1000:.0f} ms): {'met' if worst < TARGET_S else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
