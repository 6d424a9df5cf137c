"""``reader stats``: articles per period, as text and JSON."""

from __future__ import annotations

import io
import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from reader.cli import main

ROOT = Path(os.path.abspath(__file__)).parent.parent
SEEDS = ROOT / "seeds"


def stats(*args: str | Path) -> tuple[int, str]:
    out = io.StringIO()
    code = main(["stats", *map(str, args)], out=out)
    return code, out.getvalue()


@pytest.fixture
def stockholm(time_zone: Callable[[str], None]) -> None:
    time_zone("Europe/Stockholm")


def test_days_of_the_seeds_in_the_local_zone(tmp_path: Path, stockholm: None) -> None:
    # The seeds are dated 2020-01-23T15:31Z (BBC), 2020-02-05T22:56Z (Global News: Feb 5,
    # 23:56 in Stockholm) and 2020-02-06T19:37Z (Chicago Tribune); two plain texts are undated.
    code, out = stats("--data-dir", tmp_path / "data", "--by", "day", "--json", SEEDS)
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    counted = {r["period"]: r["articles"] for r in rows if r["articles"]}
    assert counted == {"Jan 23, 2020": 1, "Feb 5, 2020": 1, "Feb 6, 2020": 1, "undated": 2}
    feb_5 = next(r for r in rows if r["period"] == "Feb 5, 2020")
    assert feb_5["start"] == "2020-02-05T00:00:00+01:00" and feb_5["unread"] == 1


def test_a_query_narrows_and_a_week_groups(tmp_path: Path, stockholm: None) -> None:
    code, out = stats("--data-dir", tmp_path / "data", "clearview", SEEDS, "--by", "week")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:5] == ["Week", "of", "Jan", "20,", "2020"] and lines[0].split()[5] == "1"
    assert lines[2].split()[5] == "2"  # Feb 5 and Feb 6
    assert lines[-1].startswith("3 articles over 3 weeks")


def test_nothing_found_and_a_bad_query(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert stats("--data-dir", tmp_path / "data", "zebrafinchnothing", SEEDS)[0] == 1
    assert stats("--data-dir", tmp_path / "data", "after:someday", SEEDS)[0] == 2
    assert "after: needs a date" in capsys.readouterr().err
