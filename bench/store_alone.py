#!/usr/bin/env python3
"""The storing side of a first import alone: ``Library.sync`` into an empty library with the
parsing replaced by rows prepared beforehand (scan, store in batches, the deferred indexes,
the search index), so that what storing costs shows apart from the workers.

    python bench/store_alone.py prepare CORPUS ROWS.pickle   # parse once, keep the rows
    python bench/store_alone.py compare CORPUS ROWS.pickle --rounds 3 \\
        --variant current --variant batch=1000 --variant checkpoint=10000 --variant sync=NORMAL

``compare`` runs each variant in a fresh process, in turns (round after round), into a new
library folder next to the rows file, and prints CPU and wall time per document of the
syncing process with the 1-minute load average when each run started. A variant is
``current`` (the code as it is) or any of ``batch=N`` (``sync(batch_size=N)``),
``checkpoint=N`` (``PRAGMA wal_autocheckpoint = N`` on the sync's connection) and
``sync=NORMAL|FULL`` (``PRAGMA synchronous`` on it), joined with ``+``; ``DIR@`` before it runs the code checked out in ``DIR`` (say, the
commit before a change: ``git archive HEAD | tar -x -C DIR``). ``ROWS`` given as
``-``: the files are parsed for real (worker processes), so the whole import is timed (the
CPU time is then the syncing process's alone).
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Generator, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reader.library import Library  # noqa: E402
from reader.library import sync as sync_module  # noqa: E402
from reader.library.parsing import Prepared, _Listed  # noqa: E402


def prepare(corpus: str, rows_file: str) -> None:
    """Sync ``corpus`` once for real (worker processes) and keep every prepared row."""
    rows: dict[str, Prepared] = {}
    real = sync_module._parse_in_processes

    def keeping(*args: Any) -> Generator[tuple[list[str], list[Prepared]], None, None]:
        for batch, prepared in real(*args):
            rows.update((item.path, item) for item in prepared)
            yield batch, prepared

    sync_module._parse_in_processes = keeping  # type: ignore[assignment]
    data = Path(rows_file).with_suffix(".prepare-library")
    shutil.rmtree(data, ignore_errors=True)
    with Library(data) as library:
        report = library.sync([corpus], group=False)
    shutil.rmtree(data, ignore_errors=True)
    with open(rows_file, "wb") as out:
        pickle.dump(rows, out, protocol=pickle.HIGHEST_PROTOCOL)
    print(f"{len(rows)} rows of {report.files} files kept in {rows_file}", file=sys.stderr)


def run_one(corpus: str, rows_file: str, variant: str, data: str) -> dict[str, Any]:
    """One sync of ``corpus`` into the empty library ``data`` with the kept rows."""
    rows: dict[str, Prepared] = {}
    if rows_file != "-":
        with open(rows_file, "rb") as source:
            rows = pickle.load(source)

    def from_rows(
        todo: Sequence[str] | Any, found: Any, batch_size: int, is_cancelled: Any, processes: int
    ) -> Generator[tuple[list[str], list[Prepared]], None, None]:
        feed = _Listed(todo) if isinstance(todo, Sequence) else todo
        while batch := feed.take(batch_size):
            yield batch, [rows[path] for path in batch]

    if rows_file != "-":  # ("-": the real parsing, in worker processes: the whole import)
        sync_module._parse_in_processes = from_rows  # type: ignore[assignment]
    options: dict[str, Any] = {"group": False, "processes": 2}
    pragmas: list[str] = []
    for part in variant.split("+"):
        if part == "current":
            continue
        key, _, value = part.partition("=")
        if key == "batch":
            options["batch_size"] = int(value)
        elif key == "checkpoint":
            pragmas.append(f"PRAGMA wal_autocheckpoint = {int(value)}")
        elif key == "sync":
            pragmas.append(f"PRAGMA synchronous = {value}")
        else:
            raise SystemExit(f"unknown variant {part!r}")
    shutil.rmtree(data, ignore_errors=True)
    load = os.getloadavg()[0]
    with Library(data) as library:
        for pragma in pragmas:
            library.db.execute(pragma)
        cpu, wall = time.process_time(), time.monotonic()
        report = library.sync([corpus], **options)
        cpu, wall = time.process_time() - cpu, time.monotonic() - wall
        stored = library.db.execute("SELECT count(*) FROM files").fetchone()[0]
    shutil.rmtree(data, ignore_errors=True)
    return {"files": report.files, "stored": stored, "cpu": cpu, "wall": wall, "load": load}


def compare(corpus: str, rows_file: str, variants: list[str], rounds: int, workdir: str) -> None:
    results: dict[str, list[dict[str, Any]]] = {v: [] for v in variants}
    data = str(Path(rows_file).with_suffix(".library")) if rows_file != "-" else os.path.join(workdir, "store-alone-library")
    for round_no in range(rounds):
        for variant in variants:
            code, _, settings = variant.rpartition("@")  # (DIR@...: the code checked out in DIR)
            script = os.path.join(code, "bench", "store_alone.py") if code else __file__
            out = subprocess.run(
                [sys.executable, script, "_one", corpus, rows_file, settings, data],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            result = json.loads(out)
            results[variant].append(result)
            n = result["files"]
            print(
                f"round {round_no + 1} {variant}: cpu {result['cpu'] / n * 1e6:.0f} µs/doc, "
                f"wall {result['wall'] / n * 1e6:.0f} µs/doc ({result['wall']:.2f} s), load {result['load']:.1f}",
                file=sys.stderr,
            )
    print("| variant | N | CPU per document | wall per document | wall | load at start |")
    print("|---|---:|---|---|---|---|")
    for variant, runs in results.items():
        n = runs[0]["files"]
        cpu = [r["cpu"] / n * 1e6 for r in runs]
        wall = [r["wall"] / n * 1e6 for r in runs]
        print(
            f"| {variant} | {n:,} | {statistics.median(cpu):.0f} µs ({min(cpu):.0f}–{max(cpu):.0f}) "
            f"| {statistics.median(wall):.0f} µs ({min(wall):.0f}–{max(wall):.0f}) "
            f"| {' · '.join(format(r['wall'], '.2f') + ' s' for r in runs)} "
            f"| {min(r['load'] for r in runs):.1f}–{max(r['load'] for r in runs):.1f} |"
        )


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "_one":
        print(json.dumps(run_one(*sys.argv[2:6])))
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("prepare", help="parse a corpus once and keep its rows")
    p.add_argument("corpus")
    p.add_argument("rows")
    c = sub.add_parser("compare", help="store the kept rows, variants in turns")
    c.add_argument("corpus")
    c.add_argument("rows")
    c.add_argument("--variant", action="append", default=[], help="see above; repeat to compare")
    c.add_argument("--rounds", type=int, default=3)
    c.add_argument("--workdir", default=tempfile.gettempdir(), help="where the library goes when ROWS is -")
    args = parser.parse_args()
    if args.command == "prepare":
        prepare(args.corpus, args.rows)
    else:
        compare(args.corpus, args.rows, args.variant or ["current"], args.rounds, args.workdir)


if __name__ == "__main__":
    main()
