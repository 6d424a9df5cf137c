"""The Problems view's pane follows the list when it is read again: a problem whose file is
gone leaves the pane (as the article open does when it leaves the list), and a problem whose
reason changed shows the new reason."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from reader.ui.main_window import MainWindow
from reader.ui.sidebar import PROBLEMS

from .helpers import BROKEN_DOC, BROKEN_REASON, WindowFactory, settle, wait_loaded


def problems_window(qtbot: QtBot, make_window: WindowFactory, docs_dir: Path) -> MainWindow:
    """The seeds with two broken files, Problems shown, the first problem (a.md) open."""
    (docs_dir / "a.md").write_text(BROKEN_DOC, encoding="utf-8")
    (docs_dir / "b.md").write_text(BROKEN_DOC, encoding="utf-8")
    window = make_window([docs_dir])
    window.watcher.stop()  # (F5 reads the changes: the watcher does not race it)
    assert window.sidebar.select(PROBLEMS)
    settle(qtbot, window)
    assert window.problems_list.problems_model.rowCount() == 2
    window.problems_list.setFocus()
    qtbot.keyClick(window.problems_list, "j")
    assert window.detail.problem is not None and window.detail.problem.path == str(docs_dir / "a.md")
    return window


def reload(qtbot: QtBot, window: MainWindow) -> None:
    before = window.last_report
    qtbot.keyClick(window.problems_list, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: window.last_report is not before, timeout=30_000)  # (a load ended)
    wait_loaded(qtbot, window)
    settle(qtbot, window)


def test_a_problem_whose_file_is_gone_leaves_the_pane(qtbot: QtBot, make_window: WindowFactory, docs_dir: Path) -> None:
    window = problems_window(qtbot, make_window, docs_dir)
    (docs_dir / "a.md").unlink()
    reload(qtbot, window)
    model = window.problems_list.problems_model
    assert [p.path for p in model.problems] == [str(docs_dir / "b.md")]
    assert window.problems_list.current_problem() is None
    assert window.detail.problem is None  # not the problem of a file that is gone
    assert "a.md" not in window.detail.plain_text()
    assert "No problem selected" in window.detail.plain_text()


def test_a_problem_whose_reason_changed_shows_the_new_reason(
    qtbot: QtBot, make_window: WindowFactory, docs_dir: Path
) -> None:
    window = problems_window(qtbot, make_window, docs_dir)
    assert window.detail.problem is not None and window.detail.problem.reason.startswith(BROKEN_REASON)
    (docs_dir / "a.md").write_text("---\ntitle: [a list never closed\n---\n", encoding="utf-8")  # closed, but no YAML
    reload(qtbot, window)
    current = window.problems_list.current_problem()
    assert current is not None and current.path == str(docs_dir / "a.md")
    assert not current.reason.startswith(BROKEN_REASON)
    assert window.detail.problem == current
    assert current.reason in window.detail.plain_text()
