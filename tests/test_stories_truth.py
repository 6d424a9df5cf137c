"""bench/stories_truth.py: groupings scored against the stories a generated corpus was made of."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from scripts import REPO_DIR, load_script

truth_script = load_script(REPO_DIR / "bench" / "stories_truth.py")
make_corpus = load_script(REPO_DIR / "bench" / "make_corpus.py")


def test_pairs_are_counted_against_the_stories_made() -> None:
    """Two groups of two; a, b and c made one story, d (no story known) is one of its own:
    of the two pairs together one is right (a, b), and of the three pairs of one story one is
    found."""
    groups = {"a": "g1", "b": "g1", "c": "g2", "d": "g2"}
    stories = {"a": 7, "b": 7, "c": 7}
    assert truth_script.score(groups, stories) == (
        "precision 0.500, recall 0.333 (1 of 2 pairs together are of two stories; 3 pairs of one story); "
        "largest group 2 documents")
    assert truth_script.score({name: name for name in groups}, stories, "items").startswith("precision 1.000, recall 0.000")


def test_a_folder_must_hold_the_corpus_of_its_size_and_seed(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    make_corpus.make_corpus(60, folder, seed=4)
    made = truth_script.truth(60, 4, folder)
    assert made and all(isinstance(story, int) for story in made.values())
    with pytest.raises(SystemExit, match="is not the file"):
        truth_script.truth(60, 5, folder)
    (folder / "extra.md").write_text("---\ntitle: x\n---\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="holds files"):
        truth_script.truth(60, 4, folder)


def test_it_scores_both_groupings_of_a_small_corpus(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "argv", ["stories_truth.py", "400", "--seed", "6"])
    assert truth_script.main() == 0
    out = capsys.readouterr().out
    figures = re.findall(r"^(Reader's stories|linkage), documents.*?: precision (\d\.\d+), recall (\d\.\d+)", out, re.M)
    assert [name for name, _, _ in figures] == ["Reader's stories"] * 2 + ["linkage"] * 2
    assert all(0.5 < float(value) <= 1.0 for _, precision, recall in figures for value in (precision, recall))
