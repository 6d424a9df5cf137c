#!/usr/bin/env python3
"""A folder of documents renamed as a whole: how long the sync that follows takes, how many
articles keep their rowid (the same article, so a list shown before still names it), and how
long grouping the stories takes after it (as the window does after a load).

    python bench/moved_folder.py 10000 --workdir bench/out/moved --rounds 3
    python bench/moved_folder.py 10000 --workdir bench/out/moved --code OLD --code .

The corpus comes from ``bench/make_corpus.py`` (``make_corpus(n, dir)``), made once in
``WORKDIR/corpus-N/top/a`` and reused. Each run is a fresh process with a new library:
``sync([top], group=False)`` and ``group_stories()`` (not timed), ``top/a`` renamed to
``top/b``, then the timed ``sync([top], group=False)`` -- as the window loads -- and the timed
``group_stories()`` the window runs afterwards, in the background (how many articles it
grouped again: none, when nothing but the files' paths changed), and the folder renamed back. ``--code DIR`` runs the Reader checked out in
DIR (say, the commit before a change: ``git archive COMMIT | tar -x -C DIR``); given more
than once, the runs take turns, round after round. Prints one line per run and the medians.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def child(top: Path, data: Path) -> dict[str, object]:
    """One run, in this process (the code on ``sys.path`` first)."""
    from reader.library import Library

    a, b = top / "a", top / "b"
    with Library(data) as lib:
        lib.sync([str(top)], group=False)
        lib.group_stories()
        before = dict(lib.db.execute("SELECT id, rowid FROM articles").fetchall())
        a.rename(b)
        try:
            load = os.getloadavg()[0]
            started, cpu = time.perf_counter(), time.process_time()
            report = lib.sync([str(top)], group=False)
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
            started = time.perf_counter()
            regrouped = lib.group_stories()
            grouping = time.perf_counter() - started
        finally:
            b.rename(a)
        after = dict(lib.db.execute("SELECT id, rowid FROM articles").fetchall())
    kept = sum(1 for i, rowid in before.items() if after.get(i) == rowid)
    return {
        "seconds": seconds,
        "cpu": cpu,
        "parsed": report.parsed,
        "removed_files": report.removed_files,
        "articles": len(after),
        "kept": kept,
        "grouping": grouping,
        "regrouped": regrouped,
        "load": load,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("n", type=int, nargs="?", default=10_000)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--code", action="append", type=Path, default=None, help="a Reader checkout to run (default: this one)")
    parser.add_argument("--_child", nargs=3, metavar=("CODE", "TOP", "DATA"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args._child:
        code, top, data = args._child
        sys.path.insert(0, code)
        print(json.dumps(child(Path(top), Path(data))))
        return

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="reader-moved-"))
    top = workdir / f"corpus-{args.n}" / "top"
    if not (top / "a").is_dir():
        sys.path.insert(0, str(HERE))
        from make_corpus import make_corpus

        make_corpus(args.n, top / "a")
    codes = [c.resolve() for c in args.code] if args.code else [HERE.parent]
    figures: dict[Path, list[float]] = {c: [] for c in codes}
    cpus: dict[Path, list[float]] = {c: [] for c in codes}
    groupings: dict[Path, list[float]] = {c: [] for c in codes}
    for round_ in range(args.rounds):
        for code in codes:
            data = workdir / "library"
            shutil.rmtree(data, ignore_errors=True)
            out = subprocess.run(
                [sys.executable, __file__, "--_child", str(code), str(top), str(data)],
                check=True,
                capture_output=True,
                text=True,
                cwd=str(workdir),
            ).stdout
            run = json.loads(out.strip().splitlines()[-1])
            figures[code].append(float(run["seconds"]))
            cpus[code].append(float(run["cpu"]))
            groupings[code].append(float(run["grouping"]))
            print(
                f"round {round_ + 1} {code}: {run['seconds']:.2f} s (the syncing process's CPU {run['cpu']:.2f} s; "
                f"the parsing workers' is not counted), parsed {run['parsed']:,}, "
                f"files removed {run['removed_files']:,}, articles {run['articles']:,}, "
                f"rowids kept {run['kept']:,}; then grouping {run['grouping']:.2f} s, "
                f"{run['regrouped']:,} articles grouped again; load {run['load']:.2f}",
                flush=True,
            )
    for code, seconds in figures.items():
        cpu, grouping = cpus[code], groupings[code]
        print(
            f"median {code}: {statistics.median(seconds):.2f} s ({min(seconds):.2f}-{max(seconds):.2f} s) for a folder of "
            f"{args.n:,} files renamed; the syncing process's CPU {statistics.median(cpu):.2f} s ({min(cpu):.2f}-{max(cpu):.2f} s); "
            f"grouping after it {statistics.median(grouping):.2f} s ({min(grouping):.2f}-{max(grouping):.2f} s)"
        )


if __name__ == "__main__":
    main()
