"""bench/run.py writes its figures into bench/RESULTS.md without losing the rounds written
there after its table."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts import REPO_DIR, load_script

run = load_script(REPO_DIR / "bench" / "run.py")

_OLD = ("# Benchmark results\n\nCommand: `python bench/run.py`\n\n| old table |\n\n"
        "## First import (`--sync-only`)\n\nCommand: `python bench/run.py --sync-only`\n\n| old sync |\n\n"
        "## Story grouping (`bench/stories.py`)\n\nA round written by hand.\n")


def test_a_whole_run_replaces_its_table_and_keeps_every_section(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    results = tmp_path / "RESULTS.md"
    results.write_text(_OLD)
    monkeypatch.setattr(run, "RESULTS_FILE", results)
    run.write_head("# Benchmark results\n\nCommand: `python bench/run.py`\n\n| new table |\n")
    text = results.read_text()
    assert "| new table |" in text and "| old table |" not in text
    assert text.endswith(_OLD[_OLD.index("## First import"):])
    assert text.count("# Benchmark results") == 1


def test_a_first_import_run_replaces_its_own_section(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    results = tmp_path / "RESULTS.md"
    results.write_text(_OLD)
    monkeypatch.setattr(run, "RESULTS_FILE", results)
    run.write_section(run.SYNC_SECTION, f"{run.SYNC_SECTION}\n\nCommand: `python bench/run.py --sync-only`\n\n| new sync |\n")
    text = results.read_text()
    assert "| new sync |" in text and "| old sync |" not in text
    assert "| old table |" in text and "A round written by hand." in text


def test_a_first_run_writes_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    results = tmp_path / "RESULTS.md"
    monkeypatch.setattr(run, "RESULTS_FILE", results)
    run.write_head("# Benchmark results\n\n| table |\n")
    assert results.read_text() == "# Benchmark results\n\n| table |\n"
