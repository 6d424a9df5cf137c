#!/usr/bin/env python3
"""Search the bars of story grouping together, on the tuning parts of the gold set alone.

    python bench/stories_bars.py --minutes 45 --seed 2
    python bench/stories_bars.py --held-out '{"LINKED": 0.35}'

Each bar of :data:`GRID` is a module constant of ``reader/stories/matching.py``,
``reader/stories/related.py`` or ``reader/stories/weights.py``. A trial copies ``reader/`` and ``bench/`` into a folder of
its own, writes its values into the copy's source (default arguments take them too), and
runs ``bench/stories_eval.py``'s grouping there in a fresh process: the tuning parts' pairs,
a library per set and one library. From the bars as they are, each round changes one to
three bars of the best so far to other values of their grids (at random, by ``--seed``),
tries as many such trials at once as ``--workers``, and keeps a trial that scores more:

    score = the mean of the two recalls
            − the mean over the two modes of 15 × the precision lost below the start's
            + the mean over the two modes of the precision gained

so recall is bought with precision only at fifteen to one or better. (``SIMILAR`` also
moves ``RELATED_SIMILAR``, which is defined as it.) Prints every trial that scores more, how
many trials failed, and at the end the best bars as assignments. The held-out parts are
never looked at by the search: ``--held-out BARS`` (JSON: name to value) measures them
once, for the bars as they are and for ``BARS``. Checks nothing of the grouping.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

#: The bars searched: (module, constant) -> the values tried.
GRID: dict[tuple[str, str], tuple[float, ...]] = {
    ("matching", "SIMILAR"): (0.32, 0.35, 0.38, 0.40, 0.42, 0.45, 0.50),
    ("matching", "SIMILAR_PER_DAY"): (0.05, 0.075, 0.10, 0.125, 0.15, 0.2),
    ("matching", "LINKED"): (0.2, 0.25, 0.30, 0.35, 0.4),
    ("matching", "NAMES_SIMILAR"): (0.3, 0.35, 0.40, 0.45, 0.5, 0.55, 0.6),
    ("matching", "ENTRY_TITLE_COSINE"): (0.2, 0.25, 0.30, 0.35, 0.4),
    ("related", "ENTRIES_SIMILAR"): (0.22, 0.25, 0.28, 0.3, 0.33, 0.36, 0.4),
    ("related", "SIBLINGS_SIMILAR"): (0.14, 0.17, 0.20, 0.23, 0.26),
    ("related", "REPORTS_SIMILAR"): (0.12, 0.15, 0.18, 0.21, 0.25, 0.29, 0.33),
    ("related", "ADOPT_SIMILAR"): (0.35, 0.40, 0.45, 0.50, 0.55, 0.60, 0.65),
    ("related", "ADOPT_MOST_SIMILAR"): (0.25, 0.28, 0.32, 0.36, 0.4),
    ("related", "LIST_SIMILAR"): (0.20, 0.22, 0.25, 0.30, 0.35, 0.40, 0.45),
    ("related", "LIST_PER_DAY"): (0.1, 0.2, 0.3, 0.4, 0.5, 0.6),
    ("related", "ADOPT_MORE_SIMILAR"): (0.22, 0.26, 0.30, 0.34, 0.38),
    ("weights", "RECENT_DAYS"): (60.0, 90.0, 120.0, 180.0, 365.0),
}
#: Precision lost below the start's costs this much recall; precision gained counts as itself.
LOST = 15.0

_TRIAL = r"""
import json, sys, tempfile
from pathlib import Path
sys.path.insert(0, sys.argv[1] + "/bench")
import stories_eval as E
pairs = json.loads(E.GOLD.read_text(encoding="utf-8"))["pairs"]
tuning = sys.argv[2] == "tuning"
chosen = [dict(p, part="x") for p in pairs if (p["part"] in E.TUNING) == tuning]
out = {}
for mode, one in (("set", False), ("one", True)):
    with tempfile.TemporaryDirectory() as work:
        stories = E.predicted_stories(Path(work), one)
    f = E.evaluate(stories, chosen)["x"]
    out[mode] = [f.precision, f.recall, f.together]
print(json.dumps(out))
"""

Bars = dict[tuple[str, str], float]
Result = dict[str, list[float]]


class SearchError(Exception):
    """The code or a trial is not what the search can read."""


def current() -> Bars:
    """The bars as the source has them."""
    bars: Bars = {}
    for module, name in GRID:
        text = (REPO / "reader" / "stories" / f"{module}.py").read_text(encoding="utf-8")
        found = re.search(rf"^{name} = ([0-9.]+)$", text, flags=re.M)
        if found is None:
            raise SearchError(f"no line '{name} = <number>' in reader/stories/{module}.py")
        bars[(module, name)] = float(found[1])
    return bars


def _copy(folder: Path, bars: Bars) -> None:
    """``reader/`` and ``bench/`` in ``folder``, with ``bars`` written in."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    shutil.copytree(REPO / "reader", folder / "reader", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "bench", folder / "bench", ignore=shutil.ignore_patterns("__pycache__", "out"))
    for name in ("tests", "seeds"):
        (folder / name).symlink_to(REPO / name, target_is_directory=True)
    for (module, name), value in bars.items():
        path = folder / "reader" / "stories" / f"{module}.py"
        text, count = re.subn(rf"^{name} = [0-9.]+$", f"{name} = {value!r}", path.read_text(encoding="utf-8"), flags=re.M)
        if count != 1:  # (else the trial would quietly run the bar as it is)
            raise SearchError(f"{count} lines '{name} = <number>' in {path}")
        path.write_text(text, encoding="utf-8")


def _start(folder: Path, bars: Bars, which: str) -> subprocess.Popen[str]:
    """A trial of ``bars`` on the ``which`` parts ("tuning" or "held-out"), started in ``folder``."""
    _copy(folder, bars)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.Popen([sys.executable, "-c", _TRIAL, str(folder), which], stdout=subprocess.PIPE, text=True, env=env)


def _finish(process: subprocess.Popen[str]) -> Result | None:
    """The figures a trial printed, or None when it failed."""
    out, _ = process.communicate()
    lines = out.strip().splitlines()
    if process.returncode != 0 or not lines:
        return None
    try:
        result: Result = json.loads(lines[-1])
    except json.JSONDecodeError:
        return None
    return result


def score(result: Result, start: Result) -> float:
    """What the search maximises (see the module)."""
    total = 0.0
    for mode in ("set", "one"):
        lost = result[mode][0] - start[mode][0]
        total += result[mode][1] / 2 + (LOST * lost if lost < 0 else lost) / 2
    return total


def _show(result: Result) -> str:
    """A trial's figures, as the README writes them."""
    return "; ".join(f"{'a library per set' if m == 'set' else 'one library'} {p:.3f} / {r:.3f} ({t:.0f} together)"
                     for m, (p, r, t) in result.items())


def _changed(bars: Bars, start: Bars) -> str:
    """The bars ``bars`` changes from ``start``."""
    return ", ".join(f"{name} {start[(module, name)]} → {value}" for (module, name), value in bars.items()
                     if value != start[(module, name)]) or "none"


def _measure(work: Path, bars: list[Bars], which: str) -> list[Result | None]:
    """Trials of each of ``bars`` at once, one folder each under ``work``."""
    processes = [_start(work / f"w{i}", b, which) for i, b in enumerate(bars)]
    return [_finish(p) for p in processes]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--held-out", metavar="BARS", help="measure the held-out parts once, as they are and with BARS")
    args = parser.parse_args()
    if args.workers < 1:
        parser.error("--workers must be 1 or more")
    start = current()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if args.held_out:
            names = {name: (module, name) for module, name in GRID}
            asked = json.loads(args.held_out)
            unknown = sorted(set(asked) - set(names))
            if unknown:
                parser.error(f"not a bar of the search: {', '.join(unknown)}")
            chosen = dict(start)
            chosen.update({names[name]: float(value) for name, value in asked.items()})
            before, after = _measure(work, [start, chosen], "held-out")
            print(f"held-out, the bars as they are: {_show(before) if before else 'failed'}")
            print(f"held-out, {_changed(chosen, start)}: {_show(after) if after else 'failed'}")
            return 0
        first = _measure(work, [start], "tuning")[0]
        if first is None:
            raise SearchError("the evaluation of the bars as they are failed")
        print(f"as they are: {_show(first)}", flush=True)
        rng = random.Random(args.seed)
        best, best_score = start, score(first, first)
        seen = {tuple(sorted(start.items()))}
        deadline = time.monotonic() + args.minutes * 60
        trials = failed = 0
        while time.monotonic() < deadline:
            batch: list[Bars] = []
            while len(batch) < args.workers:
                trial = dict(best)
                for bar in rng.sample(sorted(GRID), rng.choice((1, 1, 2, 2, 3))):
                    trial[bar] = rng.choice([v for v in GRID[bar] if v != trial[bar]])
                if tuple(sorted(trial.items())) not in seen:
                    seen.add(tuple(sorted(trial.items())))
                    batch.append(trial)
            for trial, result in zip(batch, _measure(work, batch, "tuning"), strict=True):
                trials += 1
                if result is None:
                    failed += 1
                elif score(result, first) > best_score + 1e-9:
                    best, best_score = trial, score(result, first)
                    print(f"trial {trials}: {_show(result)} — {_changed(trial, start)}", flush=True)
        print(f"{trials} trials ({failed} failed); the best bars:")
        for (module, name), value in best.items():
            print(f"  {module}.{name} = {value}{'' if value == start[(module, name)] else '  (was ' + str(start[(module, name)]) + ')'}")
        print("held-out not measured: --held-out " + json.dumps({n: v for (m, n), v in best.items() if v != start[(m, n)]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
