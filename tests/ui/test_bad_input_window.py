"""The window on a folder of bad input (``tests/data/bad/`` and what ``make_bad.py`` makes):
the good documents load as usual and every bad file is in the Problems view with its reason."""

from __future__ import annotations

import shutil
from pathlib import Path

from pytestqt.qtbot import QtBot

from reader.ui.main_window import MainWindow
from reader.ui.sidebar import PROBLEMS
from scripts import MAKE_BAD, load_script

from .helpers import SEED_TITLES, WindowFactory, settle, sidebar_counts, titles

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
BAD_DIR = DATA_DIR / "bad"
TWO_SEEDS = {"001_19301bc74b7f561c.txt": SEED_TITLES["tribune"], "004_a6c4789921a3cca4.txt": SEED_TITLES["bbc"]}


make_bad = load_script(MAKE_BAD)
BAD: dict[str, str] = {e.name: e.expect for e in make_bad.bad_entries()}
#: Root reads a file of mode 000: then the unreadable entry reads fine.
IGNORES_PERMISSIONS = make_bad.ignores_permissions()


def shown_problems(qtbot: QtBot, window: MainWindow) -> dict[str, str]:
    """{file name: reason} as the Problems view shows them, after stepping through every row
    (each one shown in the detail pane)."""
    assert window.sidebar.select(PROBLEMS)
    assert window.stack.currentWidget() is window.problems_list
    settle(qtbot, window)
    model = window.problems_list.problems_model
    shown = {}
    for row in range(model.rowCount()):
        reason, path = model.data(model.index(row, 0)), model.data(model.index(row, 1))
        assert "\n" not in reason
        shown[Path(path).name] = reason
    assert len(shown) == model.rowCount()  # one row per file
    window.problems_list.setFocus()
    for _ in range(model.rowCount()):
        qtbot.keyClick(window.problems_list, "j")
        problem = window.problems_list.current_problem()
        assert problem is not None
        text = window.detail.plain_text()
        assert "This document could not be read" in text
        assert problem.reason in text
    return shown


def test_the_window_lists_every_catalogue_file_with_its_reason(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path, seeds_dir: Path
) -> None:
    docs = tmp_path / "docs"
    shutil.copytree(BAD_DIR, docs / "bad")
    for name in TWO_SEEDS:
        shutil.copyfile(seeds_dir / name, docs / name)
    window = make_window([docs])

    assert titles(window) == list(TWO_SEEDS.values())  # the good documents load as usual
    assert window.status_label.text() == f"2 articles · {len(BAD)} problems"
    assert sidebar_counts(window)["Problems"] == str(len(BAD))
    shown = shown_problems(qtbot, window)
    assert sorted(shown) == sorted(BAD)
    for name, reason in shown.items():
        assert make_bad.reason_matches(reason, BAD[name]), (name, reason)


def test_the_window_on_what_make_bad_generates(qtbot: QtBot, make_window: WindowFactory, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    made = make_bad.make_generated(docs, deep=False)
    try:
        window = make_window([docs])
        expected = {
            name: reason
            for name, (reason, _) in make_bad.GENERATED.items()
            if reason and name in made and not (IGNORES_PERMISSIONS and name == "unreadable.md")  # root reads it
        }
        readable = ["Inside a folder named like a document"]
        if IGNORES_PERMISSIONS:
            readable.append("A document nobody may read")
        assert sorted(titles(window)) == sorted(readable)  # the folder loop adds nothing twice
        shown = shown_problems(qtbot, window)
        assert sorted(shown) == sorted(expected)
        for name, reason in shown.items():
            assert make_bad.reason_matches(reason, expected[name]), (name, reason)
    finally:
        (docs / "unreadable.md").chmod(0o644)
