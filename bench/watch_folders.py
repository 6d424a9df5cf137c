#!/usr/bin/env python3
"""What following an open folder costs, on N generated documents (in dated folders): setting
up the folder watch (which the window's first load now waits for, alongside its first list
and counts), the first load itself for scale, and reading the folder again when nothing in
it changed (what a folder made again or swapped in, and a load that began before its watch
held, cost on top of what changed). Medians of 3; asserts nothing.

    python bench/watch_folders.py [N]        # default 10,000 documents
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer  # noqa: E402

from bench.make_corpus import make_corpus  # noqa: E402
from reader.library import Library  # noqa: E402
from reader.ui.watcher import FolderWatcher  # noqa: E402


def _watch_setup(docs: Path) -> float:
    watcher = FolderWatcher()
    loop = QEventLoop()
    watcher.ready.connect(loop.quit)
    QTimer.singleShot(60_000, loop.quit)
    started = time.perf_counter()
    watcher.watch([str(docs)])
    loop.exec()
    seconds = time.perf_counter() - started
    watcher.stop()
    return seconds


def main() -> int:
    n = int(next((a for a in sys.argv[1:] if a.isdigit()), "10000"))
    _app = QCoreApplication.instance() or QCoreApplication(sys.argv[:1])  # (kept while the watcher runs)
    with tempfile.TemporaryDirectory() as tmp:
        docs = Path(tmp) / "docs"
        make_corpus(n, docs, seed=1)
        folders = sum(1 for _ in os.walk(docs))
        files = sum(len(f) for _, _, f in os.walk(docs))
        setups, loads, checks = [], [], []
        for run in range(3):
            setups.append(_watch_setup(docs))
            with Library(Path(tmp) / f"data{run}") as library:
                started = time.perf_counter()
                library.sync([docs], group=False)
                loads.append(time.perf_counter() - started)
                started = time.perf_counter()
                library.sync_changes([docs], [docs], group=False)
                checks.append(time.perf_counter() - started)
    print(f"{files:,} files in {folders:,} folders (medians of 3)")
    print(f"  watch set-up (every folder watched):         {statistics.median(setups) * 1000:8.0f} ms")
    print(f"  first load (parsing every file, no grouping): {statistics.median(loads) * 1000:8.0f} ms")
    print(f"  reading the folder again, nothing changed:    {statistics.median(checks) * 1000:8.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
