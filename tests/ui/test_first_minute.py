"""What a user notices in the first minute: names that fit the sidebar, titles on two lines,
a status bar that says what the view holds, empty views that say what they are for, words
that read well, and a window that remembers itself however the program ends."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QMessageLogContext, QSettings, Qt, QtMsgType
from PySide6.QtGui import QFont, QFontMetrics
from pytestqt.qtbot import QtBot

from reader.library import SyncBatch, View, ViewKind
from reader.ui import app as ui_app
from reader.ui.article_list import ArticleDelegate, title_lines
from reader.ui.main_window import MainWindow
from reader.ui.panes import PANE_STEP, SIDEBAR_MAX, SIDEBAR_MIN
from reader.ui.settings import Settings
from reader.ui.sidebar import PROBLEMS

from .helpers import SEED_TITLES, WindowFactory, news_doc, select_title, settle
from .test_preferences import restore_look  # noqa: F401  (a fixture)

REPO_DIR = Path(__file__).resolve().parent.parent.parent

# Sources whose names share a start (as "Business Insider" and "Business Insider India" do in
# the archive the corpus comes from), and topics longer than the sidebar's default width.
SOURCES = {
    "Business Insider": "businessinsider.com",
    "Business Insider India": "businessinsider.in",
    "Natural Language Processing Weekly": "nlp.example",
}
TOPICS = ("Computer Vision", "Machine Learning", "Natural Language Processing")


@pytest.fixture
def outlets_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "outlets"
    folder.mkdir()
    for n, (name, domain) in enumerate(SOURCES.items()):
        (folder / f"{n}.md").write_text(
            news_doc(f"Story {n} from {name}", url=f"https://{domain}/{n}", provider=(name, domain), topics=TOPICS),
            encoding="utf-8",
        )
    return folder


# --------------------------------------------------------------------------- 1. the sidebar


def test_the_sidebar_fits_its_names_within_limits(make_window: WindowFactory, outlets_dir: Path) -> None:
    window = make_window([outlets_dir])
    sidebar = window.sidebar
    width = window.splitter.sizes()[0]
    assert SIDEBAR_MIN <= width <= SIDEBAR_MAX
    name_column = sidebar.header().sectionSize(0)
    metrics = sidebar.fontMetrics()
    # Every source and topic fits whole (they fit within the upper limit).
    assert max(metrics.horizontalAdvance(n) for n in (*SOURCES, *TOPICS)) + 24 < SIDEBAR_MAX
    assert width > 230  # wider than the default, which cut these names
    for name in (*SOURCES, *TOPICS):
        room = name_column - sidebar.indentation() - sidebar.iconSize().width() - 8
        assert metrics.horizontalAdvance(name) <= room, name


def test_at_a_large_font_the_views_names_stay_whole_and_the_article_buttons_shrink_to_their_icons(
    make_window: WindowFactory, docs_dir: Path, qtbot: QtBot, restore_look: None  # noqa: F811
) -> None:
    """Preferences > Font size at 24 pt in a 1,200-pixel window: the sidebar widens with the
    font (up to a quarter of the window, or its usual limit), so "All Articles" and "Top Stories" are not cut to
    "A…s"; the article pane's buttons give up their names first (their icons stay, named for
    screen readers and in tooltips) so that it can narrow (at 24 pt it could not be made
    narrower than 649 pixels, even by hand)."""
    window = make_window([docs_dir])  # (the seeds: short names, a narrow sidebar at first)
    window.resize(1200, 760)
    detail, sidebar = window.detail, window.sidebar
    qtbot.waitUntil(lambda: detail.width() > 0)
    assert detail.open_button.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonTextBesideIcon
    window.theme.set_font_size(24)
    qtbot.waitUntil(lambda: sidebar.font().pointSize() == 24)

    def room() -> int:
        return sidebar.header().sectionSize(0) - sidebar.indentation() - sidebar.iconSize().width() - 8

    qtbot.waitUntil(lambda: max(sidebar.fontMetrics().horizontalAdvance(n) for n in ("All Articles", "Top Stories")) <= room())
    assert window.splitter.sizes()[0] <= max(SIDEBAR_MAX, window.splitter.width() // 4)
    for button, name in ((detail.open_button, "Open Original"), (detail.copy_button, "Copy Link"), (detail.star_button, "Star")):
        assert button.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonIconOnly and button.accessibleName() == name
        assert button.toolTip().startswith(("Open", "Copy", "Star"))
    assert detail.minimumSizeHint().width() < 300


def test_a_sidebar_nobody_sized_is_fitted_again_at_the_next_start_and_at_each_font_size(
    make_window: WindowFactory, docs_dir: Path, qtbot: QtBot, restore_look: None  # noqa: F811
) -> None:
    """The panes are remembered at every quit; a sidebar the user never sized is still fitted
    to its names at the next start (it was taken as sized by hand, so at 24 pt its names were
    cut to "…"), and narrows again when the font does."""
    first = make_window([docs_dir])
    first.resize(1200, 760)
    settle(qtbot, first)
    assert not first.sidebar_sized
    first.close()
    window = make_window([docs_dir])
    window.resize(1200, 760)
    settle(qtbot, window)
    assert not window.sidebar_sized
    sidebar = window.sidebar
    usual = window.splitter.sizes()[0]

    def room() -> int:
        return sidebar.header().sectionSize(0) - sidebar.indentation() - sidebar.iconSize().width() - 8

    window.theme.set_font_size(24)
    qtbot.waitUntil(lambda: sidebar.font().pointSize() == 24)
    qtbot.waitUntil(lambda: max(sidebar.fontMetrics().horizontalAdvance(n) for n in ("All Articles", "Top Stories")) <= room())
    window.theme.set_font_size(0)  # (the system's again)
    qtbot.waitUntil(lambda: abs(window.splitter.sizes()[0] - usual) <= 2)


def test_a_name_cut_in_the_sidebar_is_cut_in_the_middle_and_whole_in_its_tooltip(
    make_window: WindowFactory, outlets_dir: Path
) -> None:
    window = make_window([outlets_dir])
    sidebar = window.sidebar
    assert sidebar.textElideMode() == Qt.TextElideMode.ElideMiddle  # "Busine…India" and "Busine…nsider" differ
    model = sidebar.sidebar_model
    for name in SOURCES:
        index = model.index_of(View(ViewKind.SOURCE, name))
        assert model.data(index, Qt.ItemDataRole.ToolTipRole).splitlines()[0] == name
        assert model.data(index, Qt.ItemDataRole.AccessibleTextRole).startswith(f"{name}, ")
    # Squeezed, the two Business Insiders are told apart by their ends.
    metrics = sidebar.fontMetrics()
    cut = [metrics.elidedText(n, Qt.TextElideMode.ElideMiddle, 90) for n in ("Business Insider", "Business Insider India")]
    assert cut[0] != cut[1]


def test_keys_widen_and_narrow_the_focused_pane_and_it_is_remembered(
    qtbot: QtBot, make_window: WindowFactory, docs_dir: Path
) -> None:
    window = make_window([docs_dir])
    window.resize(760, 580)  # (the offscreen screen is 800 × 800)
    settle(qtbot, window)
    window.sidebar.setFocus()
    before = window.splitter.sizes()
    keys = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(window, Qt.Key.Key_Left, keys)  # the sidebar narrower: the article pane takes it
    after = window.splitter.sizes()
    assert after == [before[0] - PANE_STEP, before[1], before[2] + PANE_STEP]
    window.article_list.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_Right, keys)  # the list wider: the article pane gives it
    narrowed = window.splitter.sizes()
    assert narrowed == [after[0], after[1] + PANE_STEP, after[2] - PANE_STEP]
    assert window.sidebar_sized  # no longer fitted to its names
    window.close()

    second = make_window([docs_dir])
    settle(qtbot, second)
    assert second.splitter.sizes() == narrowed


# --------------------------------------------------------------------------- 2. two-line titles


def test_titles_take_two_lines_in_rows_of_one_height(window: MainWindow) -> None:
    font = window.article_list.font()
    bold = QFont(font)
    bold.setBold(True)
    line = QFontMetrics(bold).lineSpacing()
    assert window.article_list.rowHeight(0) >= 3 * line  # two of title, one of source and date
    assert len({window.article_list.rowHeight(r) for r in range(window.article_model.rowCount())}) == 1

    title = SEED_TITLES["plain"]  # "Facebook Joins YouTube & LinkedIn, Warns Clearview AI To Stop ..."
    width = QFontMetrics(bold).horizontalAdvance(title) * 2 // 3
    first, second = title_lines(title, bold, width)
    assert first and second and not second.endswith("…")
    assert f"{first} {second}" == title  # broken at a word, nothing lost
    assert QFontMetrics(bold).horizontalAdvance(first) <= width

    first, second = title_lines(title, bold, width // 3)  # too long for two lines: cut with "…"
    assert second.endswith("…") and title.startswith(first)
    assert title_lines("Short", bold, 400) == ("Short", "")
    word = "x" * 400  # one word longer than the line breaks anywhere
    first, second = title_lines(word, bold, 200)
    assert 0 < len(first) < 400 and second.endswith("…")
    assert ArticleDelegate.row_height(font) == window.article_list.rowHeight(0)


# --------------------------------------------------------------------------- 4. the status bar


def test_the_status_bar_says_what_the_view_holds_beside_the_library(qtbot: QtBot, window: MainWindow) -> None:
    # The seeds: three are about AI; the Swedish one is the only one in Swedish.
    assert window.view_label.text() == "5 articles · 5 unread in All Articles"
    assert window.status_label.text() == "5 articles · 0 problems"
    assert window.sidebar.select(View(ViewKind.TOPIC, "AI"))
    settle(qtbot, window)
    assert window.view_label.text() == "3 articles · 3 unread in AI"
    window.article_list.select_row(0)  # marks it read
    qtbot.waitUntil(lambda: window.view_label.text() == "3 articles · 2 unread in AI")
    assert window.sidebar.select(View(ViewKind.LANGUAGE, "sv"))
    settle(qtbot, window)
    assert window.view_label.text() == "1 article · 1 unread in Swedish"
    assert window.sidebar.select(PROBLEMS)
    assert window.view_label.text() == "No problems"
    assert window.status_label.text() == "5 articles · 0 problems"  # the library, all along


def test_no_stale_totals_show_at_the_end_of_a_first_load(qtbot: QtBot, make_window: WindowFactory, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    for n in range(5):
        (docs / f"{n}.md").write_text(news_doc(f"Story {n}", url=f"https://news.example/{n}"), encoding="utf-8")
    window = make_window([docs], wait=False)
    shown: list[str] = []
    original = window.status_label.setText

    def record(text: str) -> None:
        shown.append(text)
        original(text)

    window.status_label.setText = record  # type: ignore[method-assign]
    qtbot.waitUntil(lambda: window.last_report is not None and not window.loading, timeout=30_000)
    settle(qtbot, window)
    assert shown[-1] == "5 articles · 0 problems"
    assert not [t for t in shown if "articles" in t and t != "5 articles · 0 problems"], shown  # no "0 articles"
    assert "checking for changes" not in " ".join(shown)  # a first open has nothing to check


def test_the_library_totals_wait_for_the_counts_after_a_load(window: MainWindow) -> None:
    counts = window.counts
    assert counts is not None
    window.load_control.loading, window.load_control._parsing = True, False
    window.load_control._on_batch(SyncBatch(done=5, total=5, changed=("an-id",), parsed=5))
    window.load_control._refresh_timer.stop()
    assert window.status_label.text() == "Loading 5 / 5"
    window.loader.running = False  # type: ignore[misc]
    window.load_control._on_loaded(window.last_report)  # type: ignore[arg-type]
    assert window.status_label.text() == "Loading 5 / 5"  # not the totals counted before the load
    window.show_counts(counts)
    assert window.status_label.text() == "5 articles · 0 problems"


# --------------------------------------------------------------------------- 5. empty views


@pytest.mark.parametrize(
    ("key", "words"),
    [
        (View(ViewKind.STARRED), "Press s on an article to star it"),
        (View(ViewKind.TODAY), "Nothing published in the last 24 hours"),
    ],
)
def test_an_empty_view_says_what_it_is_for(qtbot: QtBot, window: MainWindow, key: View, words: str) -> None:
    assert window.article_model.rowCount() == 5
    assert window.article_list.accessibleDescription().endswith("with a dot")  # (rows: nothing to say)
    assert window.sidebar.select(key)
    settle(qtbot, window)
    assert window.article_model.rowCount() == 0  # the seeds are from 2020 and nothing is starred
    assert words in window.article_list.empty_text
    assert words in window.article_list.accessibleDescription()
    image = window.article_list.viewport().grab().toImage()
    colours = {image.pixel(x, y) for x in range(0, image.width(), 4) for y in range(0, min(80, image.height()), 2)}
    assert len(colours) > 2  # the text is painted
    assert window.sidebar.select(View(ViewKind.ALL))
    settle(qtbot, window)
    assert window.article_model.rowCount() == 5
    assert window.article_list.accessibleDescription().endswith("with a dot")


def test_a_search_that_finds_nothing_says_so(qtbot: QtBot, window: MainWindow) -> None:
    window.search_bar.field.setText("nosuchwordanywhere")
    window.search_bar.flush()
    settle(qtbot, window)
    assert window.article_model.rowCount() == 0
    assert window.article_list.empty_text.startswith("No articles match this search")
    assert window.view_label.text() == "0 matches in All Articles"


# --------------------------------------------------------------------------- 7. words


def test_the_article_pane_names_languages_and_images(qtbot: QtBot, make_window: WindowFactory, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    text = news_doc("Harbour cranes are replaced", body="The port replaced three cranes this week.").replace(
        "topics:",
        "images:\n  - url: https://news.example/img/a_h.jpg?w=1280\n    width: 1280\n    height: 855\n"
        "  - url: https://news.example/img/b.jpg\n    caption: The new cranes at dawn\n"
        "  - url: https://news.example/img/c.jpg\nlanguage: sv\ntopics:",
    )
    (docs / "cranes.md").write_text(text, encoding="utf-8")
    window = make_window([docs])
    select_title(window, "Harbour cranes are replaced")
    page = window.detail.plain_text()
    assert "Swedish" in page.splitlines()[1]  # the declared language, by name
    assert "Image 1 of 3 — 1280 × 855" in page  # no raw file name
    assert "Image: The new cranes at dawn — size unknown" in page  # its caption
    assert "Image 3 of 3" in page
    assert "Image: Image" not in page  # (said once)
    assert "a_h.jpg" not in page
    assert "press i to load" in page


def test_the_search_placeholder_fits_its_field(window: MainWindow) -> None:
    field = window.search_bar.field
    room = field.width() - 2 * field.height()  # the search icon and the clear button
    assert field.fontMetrics().horizontalAdvance(field.placeholderText()) < room


def test_a_first_open_says_loading_not_checking(window: MainWindow) -> None:
    counts = window.counts
    assert counts is not None
    empty = type(counts)()
    window.load_control.loading, window.load_control._parsing, window.load_control._checking_shown = True, False, True
    window.show_counts(empty)
    assert window.status_label.text() == "Loading…"


# --------------------------------------------------------------------------- 9. no display


def test_without_a_display_the_window_says_so_in_one_line(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    result = subprocess.run(
        [sys.executable, "-m", "reader", "--data-dir", str(tmp_path / "data")],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr == "reader: no display: run Reader in a desktop session\n"


def test_has_display() -> None:
    assert not ui_app.has_display({}, "linux")
    assert ui_app.has_display({"DISPLAY": ":0"}, "linux")
    assert ui_app.has_display({"WAYLAND_DISPLAY": "wayland-0"}, "linux")
    assert ui_app.has_display({"QT_QPA_PLATFORM": "offscreen"}, "linux")
    assert not ui_app.has_display({"QT_QPA_PLATFORM": "xcb"}, "linux")
    assert ui_app.has_display({}, "darwin")


def test_qt_messages_that_say_nothing_are_not_logged(caplog: pytest.LogCaptureFixture) -> None:
    context = QMessageLogContext()
    with caplog.at_level(logging.DEBUG, logger="reader.qt"):
        ui_app._qt_message(QtMsgType.QtWarningMsg, context, "This plugin does not support propagateSizeHints()")
        ui_app._qt_message(QtMsgType.QtWarningMsg, context, "QPainter::begin: Paint device returned engine == 0")
    assert [r.getMessage() for r in caplog.records] == ["QPainter::begin: Paint device returned engine == 0"]


# --------------------------------------------------------------------------- 10. window state


DRIVER = """
import sys
from PySide6.QtCore import QTimer
from reader.library import Sort, View, ViewKind
from reader.ui import app

create = app.create_window

def create_and_change(*args, **kwargs):
    window = create(*args, **kwargs)
    def change():
        window.set_sort(Sort.TITLE)
        window.sidebar.select(View(ViewKind.TOPIC, "AI"))
        print("changed", flush=True)
    QTimer.singleShot(1500, change)
    return window

app.create_window = create_and_change
sys.exit(app.run([sys.argv[1]], sys.argv[2]))
"""


@pytest.mark.parametrize(("kill", "wait"), [(signal.SIGTERM, 0.0), (signal.SIGKILL, 2.5)], ids=["sigterm", "sigkill-after-a-pause"])
def test_the_window_state_outlives_the_process(tmp_path: Path, seeds_dir: Path, kill: int, wait: float) -> None:
    """SIGTERM (a logout, ``kill``): the application quits and saves on the way out. SIGKILL
    gives no such chance: what changed a moment before is saved already."""
    config = tmp_path / "config"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(config), "PYTHONPATH": str(REPO_DIR)}
    with subprocess.Popen(
        [sys.executable, "-c", DRIVER, str(seeds_dir), str(tmp_path / "data")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=tmp_path,
    ) as process:
        try:
            assert process.stdout is not None
            assert process.stdout.readline().strip() == "changed"
            time.sleep(wait)
            process.send_signal(kill)
            _out, errors = process.communicate(timeout=30)
        finally:
            if process.poll() is None:
                process.kill()
                process.communicate()
    if kill == signal.SIGTERM:
        assert process.returncode == 0, errors  # it quit, as it does from the menu
    ini = config / "reader" / "Reader.ini"
    assert ini.is_file(), errors
    settings = Settings(QSettings(str(ini), QSettings.Format.IniFormat))
    assert settings.view == View(ViewKind.TOPIC, "AI")
    assert str(settings.sort) == "title"
    assert "splitter" in settings.window_state() and "geometry" in settings.window_state()
