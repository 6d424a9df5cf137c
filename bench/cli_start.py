"""How long the ``reader`` command takes to start: ``--version``, ``--help`` and ``check`` on
the bundled seeds, against a bare Python, with the imports that cost most.

    python bench/cli_start.py [RUNS]

Each case runs RUNS times (default 10) as a fresh ``python -m reader …`` process; the median
and the range of the wall-clock times are printed. Then ``python -X importtime`` of each case
gives the total import time and the five most expensive top-level imports.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASES: list[tuple[str, list[str]]] = [
    ("bare python (python -c pass)", ["-c", "pass"]),
    ("reader --version", ["-m", "reader", "--version"]),
    ("reader --help", ["-m", "reader", "--help"]),
    ("reader check (the seeds)", ["-m", "reader", "check"]),
]


def wall(args: list[str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, check=False)
        times.append(time.perf_counter() - start)
    return times


def imports(args: list[str]) -> tuple[float, list[tuple[float, str]]]:
    """(total import seconds, the five dearest top-level imports as (seconds, name))."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", *args], capture_output=True, text=True, cwd=ROOT, check=False
    )
    total = 0.0
    top: list[tuple[float, str]] = []
    for line in result.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _self, cumulative, name = line[len("import time:") :].split("|")
        if not name[1:].startswith(" "):  # a top-level import (nested ones are indented)
            seconds = int(cumulative) / 1e6
            total += seconds
            top.append((seconds, name.strip()))
    return total, sorted(top, reverse=True)[:5]


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}; {runs} runs per case\n")
    print(f"| {'case':<30} | median | range |")
    print(f"|{'-' * 32}|-------:|------:|")
    for label, args in CASES:
        times = wall(args, runs)
        print(f"| {label:<30} | {statistics.median(times) * 1000:4.0f} ms | {min(times) * 1000:.0f}–{max(times) * 1000:.0f} ms |")
    print()
    for label, args in CASES[1:]:
        total, top = imports(args)
        dearest = ", ".join(f"{name} {seconds * 1000:.0f} ms" for seconds, name in top)
        print(f"{label}: imports {total * 1000:.0f} ms (dearest: {dearest})")


if __name__ == "__main__":
    main()
