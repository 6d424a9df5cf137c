"""How long the real window (offscreen) takes to show its first article, cold and warm.

    python bench/window_start.py [N ...]

Measures the bundled seeds and generated folders of N documents (default 10000): from
``create_window`` to the first article row painted in the list, and to the end of loading,
first on an empty library (cold) and then again on the same library (warm). Prints a table.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer  # noqa: E402

from reader.paths import bundled_seeds  # noqa: E402
from reader.ui.app import create_window, ensure_app  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_corpus import make_corpus  # noqa: E402


def measure(paths: list[str], data_dir: Path) -> tuple[float, float, int]:
    """(seconds to first article painted, seconds to loaded, rows)."""
    app = ensure_app()
    started = time.perf_counter()
    window = create_window(paths, data_dir)
    window.show()
    first = loaded = None
    loop = QEventLoop()

    def poll() -> None:
        nonlocal first, loaded
        if first is None and window.article_model.rowCount() > 0:
            window.article_list.viewport().repaint()
            first = time.perf_counter() - started
        if loaded is None and not window.loading and window.last_report is not None:
            loaded = time.perf_counter() - started
        if first is not None and loaded is not None:
            loop.quit()

    timer = QTimer()
    timer.setInterval(1)
    timer.timeout.connect(poll)
    timer.start()
    QTimer.singleShot(600_000, loop.quit)
    loop.exec()
    timer.stop()
    rows = window.article_model.rowCount()
    window.close()
    window.deleteLater()
    QCoreApplication.processEvents()
    del app
    return first or float("nan"), loaded or float("nan"), rows


def main(argv: list[str]) -> None:
    sizes = [int(a) for a in argv] or [10_000]
    print(f"{'documents':>10} {'library':>8} {'first article':>14} {'all loaded':>11} {'rows':>7}")
    with tempfile.TemporaryDirectory() as tmp:
        cases: list[tuple[str, list[str]]] = [("seeds", [str(bundled_seeds())])]
        for n in sizes:
            folder = Path(tmp) / f"corpus-{n}"
            make_corpus(n, folder)
            cases.append((f"{n:,}", [str(folder)]))
        for label, paths in cases:
            data = Path(tmp) / f"data-{label}"
            for state in ("cold", "warm"):
                first, loaded, rows = measure(paths, data)
                print(f"{label:>10} {state:>8} {first * 1000:>11.0f} ms {loaded:>9.2f} s {rows:>7,}")


if __name__ == "__main__":
    main(sys.argv[1:])
