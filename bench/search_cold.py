#!/usr/bin/env python3
"""A cold `reader search x DIR` (an empty library: every file read, parsed and indexed; no
story grouping) against a plain PyYAML CSafeLoader loop over the same files, interleaved.

    python bench/make_corpus.py 20000 bench/out/c20k
    python bench/search_cold.py bench/out/c20k --runs 3

Each run starts both as fresh processes, one after the other; prints every time and the
medians. Asserts nothing.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

YAML_LOOP = r"""
import sys, yaml
from reader.scan import iter_document_paths
loader = getattr(yaml, "CSafeLoader")
n = 0
for path in iter_document_paths([sys.argv[1]]):
    with open(path, "rb") as f:
        data = f.read()
    text = data.decode("utf-8", "replace")
    if text.startswith("---"):
        end = text.find("\n---", 3)
        front = text[3:end] if end >= 0 else text[3:]
        try:
            yaml.load(front, Loader=loader)
        except Exception:  # (broken files: syntax errors, impossible dates ...)
            pass
    n += 1
print(n)
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    reader = [sys.executable, "-m", "reader"]
    searches, loops = [], []
    for run in range(args.runs):
        data = Path(tempfile.mkdtemp())
        try:
            started = time.perf_counter()
            subprocess.run([*reader, "search", "x", args.corpus, "--data-dir", str(data)], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, check=False)
            searches.append(time.perf_counter() - started)
        finally:
            shutil.rmtree(data, ignore_errors=True)
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", YAML_LOOP, args.corpus], stdout=subprocess.DEVNULL, check=True)
        loops.append(time.perf_counter() - started)
        print(f"run {run + 1}: reader search (cold) {searches[-1]:.1f} s, PyYAML CSafeLoader loop {loops[-1]:.1f} s")
    print(f"median: reader search (cold) {statistics.median(searches):.1f} s, "
          f"PyYAML CSafeLoader loop {statistics.median(loops):.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
