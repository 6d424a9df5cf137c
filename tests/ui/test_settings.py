"""What the window remembers between runs (QSettings, in the test's own settings folder):
geometry, splitter, columns, sort, zoom, the last view and article; and the preferences."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from reader.library import Sort, View, ViewKind
from reader.ui.settings import NEVER, Settings, Theme
from reader.ui.sidebar import PROBLEMS
from reader.ui.view_data import TRENDS

from .helpers import BROKEN_DOC, SEED_TITLES, WindowFactory, current_title, select_title, settle


def test_settings_live_in_the_test_folder(settings_dir: Path) -> None:
    settings = Settings()
    assert Path(settings.path()).parent.parent == settings_dir
    assert Path(settings.path()).name == "Reader.ini"


def test_the_window_is_restored_on_the_next_run(
    qtbot: QtBot, make_window: WindowFactory, docs_dir: Path, settings_dir: Path
) -> None:
    first = make_window([docs_dir])
    first.resize(760, 580)  # (the offscreen screen is 800 × 800)
    first.splitter.setSizes([150, 250, 340])
    first.sidebar_sized = True  # (as a drag of the handles does; else the sidebar fits its names)
    sidebar_width = first.sidebar.header().sectionSize(0)
    first.set_sort(Sort.TITLE)
    first.sidebar.select(View(ViewKind.TOPIC, "AI"))
    settle(qtbot, first)
    select_title(first, SEED_TITLES["bbc"])
    first.zoom(3)
    splitter_sizes = first.splitter.sizes()
    first.close()
    assert (settings_dir / "reader" / "Reader.ini").is_file()

    second = make_window([docs_dir])
    qtbot.waitUntil(lambda: not second.memory.restoring)
    settle(qtbot, second)
    assert (second.width(), second.height()) == (760, 580)
    assert second.splitter.sizes() == splitter_sizes
    assert second.sidebar.header().sectionSize(0) == sidebar_width
    assert second.sort == Sort.TITLE
    assert second.registry["sort_title"].isChecked()
    assert second.view_key == View(ViewKind.TOPIC, "AI")
    assert current_title(second) == SEED_TITLES["bbc"]
    assert second.detail.article is not None and second.detail.article.title == SEED_TITLES["bbc"]
    assert second.detail.zoom == 3


def test_a_view_that_is_gone_leaves_all_articles(qtbot: QtBot, make_window: WindowFactory, docs_dir: Path) -> None:
    settings = Settings()
    settings.view = View(ViewKind.TOPIC, "No Such Topic")
    settings.article = "no-such-article"
    settings.sync()
    window = make_window([docs_dir])
    qtbot.waitUntil(lambda: not window.memory.restoring)
    settle(qtbot, window)
    assert window.view_key == View(ViewKind.ALL)
    assert window.detail.article is None


def test_problems_left_open_are_shown_again_with_the_problem_open(
    qtbot: QtBot, make_window: WindowFactory, docs_dir: Path
) -> None:
    (docs_dir / "a.md").write_text(BROKEN_DOC, encoding="utf-8")
    (docs_dir / "b.md").write_text(BROKEN_DOC, encoding="utf-8")
    first = make_window([docs_dir])
    first.sidebar.select(View(ViewKind.STARRED))
    assert first.sidebar.select(PROBLEMS)
    settle(qtbot, first)
    first.problems_list.setFocus()
    qtbot.keyClick(first.problems_list, "j")
    qtbot.keyClick(first.problems_list, "j")  # the second problem: b.md
    assert first.detail.problem is not None and first.detail.problem.path == str(docs_dir / "b.md")
    first.close()

    second = make_window([docs_dir])
    qtbot.waitUntil(lambda: not second.memory.restoring)
    settle(qtbot, second)
    assert second.view_key == PROBLEMS
    assert second.stack.currentWidget() is second.problems_list
    current = second.problems_list.current_problem()
    assert current is not None and current.path == str(docs_dir / "b.md")
    assert second.detail.problem == current


def test_problems_left_open_whose_problem_is_gone_show_none_open(
    qtbot: QtBot, make_window: WindowFactory, docs_dir: Path
) -> None:
    (docs_dir / "a.md").write_text(BROKEN_DOC, encoding="utf-8")
    (docs_dir / "b.md").write_text(BROKEN_DOC, encoding="utf-8")
    first = make_window([docs_dir])
    assert first.sidebar.select(PROBLEMS)
    settle(qtbot, first)
    first.problems_list.setFocus()
    qtbot.keyClick(first.problems_list, "j")  # a.md
    first.close()
    (docs_dir / "a.md").unlink()

    second = make_window([docs_dir])
    qtbot.waitUntil(lambda: not second.memory.restoring)
    settle(qtbot, second)
    assert second.view_key == PROBLEMS
    assert [p.path for p in second.problems_list.problems_model.problems] == [str(docs_dir / "b.md")]
    assert second.problems_list.current_problem() is None and second.detail.problem is None


def test_trends_left_open_are_shown_again_with_the_article_beside_them(
    qtbot: QtBot, make_window: WindowFactory, docs_dir: Path
) -> None:
    first = make_window([docs_dir])
    first.article_list.setFocus()
    select_title(first, SEED_TITLES["bbc"])
    settle(qtbot, first)
    qtbot.keyClick(first.article_list, "m")  # unread again: showing it at the next start marks nothing
    qtbot.waitUntil(lambda: not first.library.is_read(first.detail.article.id if first.detail.article else ""))
    assert first.sidebar.select(TRENDS)
    settle(qtbot, first)
    first.close()

    second = make_window([docs_dir])
    qtbot.waitUntil(lambda: not second.memory.restoring)
    settle(qtbot, second)
    assert second.view_key == TRENDS
    assert second.stack.currentWidget() is second.trends_view
    assert second.detail.article is not None and second.detail.article.title == SEED_TITLES["bbc"]
    assert not second.library.is_read(second.detail.article.id)


def test_preferences_round_trip(settings_dir: Path, tmp_path: Path) -> None:
    settings = Settings()
    assert (settings.folders, settings.mark_read_delay, settings.remote_images, settings.theme, settings.font_size,
            settings.zoom) == ([], 0, True, Theme.SYSTEM, 0, 0)
    settings.folders = [tmp_path / "a", tmp_path / "b", tmp_path / "a"]
    settings.mark_read_delay = NEVER
    settings.remote_images = False
    settings.theme = Theme.DARK
    settings.font_size = 14
    settings.zoom = 99
    settings.sync()
    again = Settings(QSettings(settings.path(), QSettings.Format.IniFormat))
    assert again.folders == [str(tmp_path / "a"), str(tmp_path / "b")]
    assert again.mark_read_delay == NEVER
    assert again.remote_images is False
    assert again.theme == Theme.DARK
    assert again.font_size == 14
    assert again.zoom == 15  # clamped to the largest zoom


def test_nonsense_in_the_settings_file_gives_defaults(settings_dir: Path) -> None:
    settings = Settings()
    for key, value in (("mark_read_delay", "soon"), ("theme", "purple"), ("font_size", 300), ("zoom", "x"),
                       ("window/sort", "sideways"), ("window/view_kind", "nothing")):
        settings.store.setValue(key, value)
    assert settings.mark_read_delay == 0
    assert settings.theme == Theme.SYSTEM
    assert settings.font_size == 0
    assert settings.zoom == 0
    assert settings.sort is None
    assert settings.view is None


def test_a_settings_file_with_a_malformed_line_is_written_and_said_to_be(settings_dir: Path) -> None:
    """A settings file with a line Qt cannot read ("[General" without its "]") is still
    written: Qt reports the reading's format error, which says nothing of the writing, so
    a preference changed is kept and not said to be lost."""
    path = Path(Settings().path())
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("[General\ntheme=light\n", encoding="utf-8")
    settings = Settings()
    settings.theme = Theme.DARK
    assert settings.sync() and settings.saved()
    assert "theme=dark" in path.read_text(encoding="utf-8")
