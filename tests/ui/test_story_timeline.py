"""The story timeline in the article pane: its marks are the story's versions, it and the
coverage list select together, Enter opens a version in the library."""

from __future__ import annotations

from collections.abc import Callable
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QRectF, Qt, QUrl
from PySide6.QtGui import QFontMetrics
from pytestqt.qtbot import QtBot

from reader.ui.main_window import MainWindow
from reader.ui.settings import Theme
from reader.ui.story_timeline import StoryTimeline

from .helpers import SEED_TITLES, news_doc, select_title, settle
from .test_preferences import restore_look  # noqa: F401  (a fixture)

WINDOW2 = Path(__file__).parent.parent / "data" / "window2"


@pytest.fixture
def utc(time_zone: Callable[[str], None]) -> None:
    time_zone("UTC")


@pytest.fixture
def tribune(utc: None, make_window, docs_dir: Path, qtbot: QtBot) -> MainWindow:  # type: ignore[no-untyped-def]
    window: MainWindow = make_window([docs_dir])
    select_title(window, SEED_TITLES["tribune"])
    timeline = window.story_timeline.timeline
    qtbot.waitUntil(lambda: window.detail.story is not None and window.detail.story.story is not None and timeline.isVisible())
    return window


def test_the_marks_are_the_story_versions(tribune: MainWindow) -> None:
    timeline = tribune.story_timeline.timeline
    story = tribune.detail.story.story  # type: ignore[union-attr]
    assert story is not None
    dated = [v for v in story.versions if v.published is not None]
    assert [m.version for m in timeline.marks] == dated
    assert [m.this for m in timeline.marks] == [v.article_id == tribune.detail.article.id for v in dated]  # type: ignore[union-attr]
    # Read from the seeds: the Tribune (2020-02-06T19:37Z) and Global News (2020-02-05T22:56Z)
    # are documents; the St. Louis Post-Dispatch entry related to them (2020-02-05T20:05Z) is not.
    outlets = {m.version.outlet: m.version.in_library for m in timeline.marks}
    assert outlets["Chicago Tribune"] and outlets["Global News"] and not outlets["St. Louis Post-Dispatch"]
    assert timeline.line == f"first: St. Louis Post-Dispatch, Feb 5 20:05 · {story.outlets} outlets over 2 days"
    assert "Global News, Feb 5 22:56" in timeline.accessibleDescription()


def test_the_timeline_and_the_coverage_list_select_together_and_enter_opens(tribune: MainWindow, qtbot: QtBot) -> None:
    timeline = tribune.story_timeline.timeline
    timeline.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.waitUntil(timeline.hasFocus)
    qtbot.keyClick(timeline, Qt.Key.Key_Home)
    first = timeline.marks[0]
    assert first.version.outlet == "St. Louis Post-Dispatch"
    assert tribune.detail.browser.textCursor().selectedText() == first.version.title
    qtbot.keyClick(timeline, Qt.Key.Key_Return)  # not in the library: nothing opens
    assert tribune.detail.article is not None and tribune.detail.article.title == SEED_TITLES["tribune"]
    global_news = next(i for i, m in enumerate(timeline.marks) if m.version.outlet == "Global News")
    while timeline.current != global_news:
        qtbot.keyClick(timeline, Qt.Key.Key_Right)
    assert tribune.detail.browser.textCursor().selectedText() == SEED_TITLES["global"]
    qtbot.keyClick(timeline, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tribune.detail.article is not None and tribune.detail.article.title == SEED_TITLES["global"])
    # The list reached by Tab (the keys, not a signal sent by hand): a link of the coverage
    # list picks its mark; and the mouse over a link too.
    browser = tribune.detail.browser
    browser.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.waitUntil(browser.hasFocus)
    for _ in range(40):
        if browser.textCursor().selectedText() == SEED_TITLES["tribune"]:
            break
        qtbot.keyClick(browser, Qt.Key.Key_Tab)
    assert browser.textCursor().selectedText() == SEED_TITLES["tribune"]
    assert timeline.marks[timeline.current].version.outlet == "Chicago Tribune"  # type: ignore[index]
    global_url = next(m.version.url for m in timeline.marks if m.version.outlet == "Global News")
    browser.highlighted.emit(QUrl(global_url))
    assert timeline.marks[timeline.current].version.outlet == "Global News"  # type: ignore[index]
    settle(qtbot, tribune)


def test_coverage_in_an_articles_own_words_does_not_hide_the_list(
    utc: None, make_window, docs_dir: Path, qtbot: QtBot  # type: ignore[no-untyped-def]
) -> None:
    """"Live coverage: updates follow." in the text comes before the list's heading: the
    timeline still selects its version in the list."""
    seed = docs_dir / "001_19301bc74b7f561c.txt"
    seed.write_text(seed.read_text(encoding="utf-8") + "\nLive coverage: updates follow.\n", encoding="utf-8")
    window: MainWindow = make_window([docs_dir])
    select_title(window, SEED_TITLES["tribune"])
    timeline = window.story_timeline.timeline
    qtbot.waitUntil(lambda: timeline.isVisible() and bool(timeline.marks))
    assert "Live coverage: updates follow." in window.detail.plain_text()
    timeline.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.waitUntil(timeline.hasFocus)
    qtbot.keyClick(timeline, Qt.Key.Key_Home)
    assert window.detail.browser.textCursor().selectedText() == timeline.marks[0].version.title


def test_a_version_opened_from_the_timeline_is_marked_read(tribune: MainWindow, qtbot: QtBot) -> None:
    """In Top Stories the Global News version is no row of the list: opened from the
    timeline it is shown, and marked read as any article shown (the delay is "at once")."""
    tribune.article_list.setFocus()
    qtbot.keyClick(tribune.article_list, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, tribune)
    select_title(tribune, SEED_TITLES["tribune"])
    timeline = tribune.story_timeline.timeline
    qtbot.waitUntil(lambda: timeline.isVisible() and bool(timeline.marks))
    global_news = next(i for i, m in enumerate(timeline.marks) if m.version.outlet == "Global News")
    version = timeline.marks[global_news].version
    assert version.article_id is not None and not tribune.library.is_read(version.article_id)
    timeline.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.waitUntil(timeline.hasFocus)
    qtbot.keyClick(timeline, Qt.Key.Key_Home)
    while timeline.current != global_news:
        qtbot.keyClick(timeline, Qt.Key.Key_Right)
    qtbot.keyClick(timeline, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tribune.detail.article is not None and tribune.detail.article.title == SEED_TITLES["global"])
    qtbot.waitUntil(lambda: tribune.library.is_read(version.article_id))  # type: ignore[arg-type]


def test_no_timeline_without_a_story(utc: None, make_window, docs_dir: Path, qtbot: QtBot) -> None:  # type: ignore[no-untyped-def]
    window: MainWindow = make_window([docs_dir])
    select_title(window, SEED_TITLES["bbc"])  # a story of its own
    qtbot.waitUntil(lambda: window.detail.article is not None and window.detail.article.title == SEED_TITLES["bbc"])
    assert not window.story_timeline.timeline.isVisible() and window.story_timeline.timeline.marks == []


def test_names_and_days_clear_the_marks_and_stay_inside(tribune: MainWindow) -> None:
    timeline = tribune.story_timeline.timeline
    texts = [box for box, _name, _strong in timeline.names()] + [box for box, _day in timeline.days()]
    assert len(timeline.days()) == 2 and timeline.names()
    assert_names_read_right(timeline)  # (each name is a mark's outlet, whole or shortened)
    this = next(point for mark, point in zip(timeline.marks, timeline.positions(), strict=True) if mark.this)
    ring = QRectF(this.x() - 10.5, this.y() - 10.5, 21, 21)  # radius 6 + 3, pen 1.5
    inside = QRectF(timeline.rect())
    for box in texts:
        assert not box.intersects(ring), box
        assert inside.contains(box), box
    for point in timeline.positions():
        mark = QRectF(point.x() - 5.25, point.y() - 5.25, 10.5, 10.5)  # radius 4.5, pen 1.5
        assert not any(box.intersects(mark) for box in texts)


#: A study's story in tests/data/window2, read from its files: Medical Xpress (20 Dec) and
#: Science Daily (23 Dec) report it under the same title; Medindia, The Asian Age and
#: ETHealthworld.com under titles of their own.
LEUKEMIA = [
    "2019-12-20-artificial-intelligence-tracks-down-leukemia.md",
    "2019-12-23-artificial-intelligence-tracks-down-leukemia.md",
    "2019-12-23-artificial-intelligence-that-tracks-down-leukemia-discovered.md",
    "2019-12-26-artificial-intelligence-can-now-track-down-blood-cancer.md",
    "2019-12-26-artificial-intelligence-tracks-down-acute-myeloid-leukaemia.md",
]


def test_a_version_whose_title_another_has_selects_its_own_item(
    utc: None, make_window, tmp_path: Path, qtbot: QtBot  # type: ignore[no-untyped-def]
) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    for name in LEUKEMIA:
        shutil.copy(WINDOW2 / name, folder / name)
    window: MainWindow = make_window([folder])
    select_title(window, "Artificial Intelligence That Tracks Down Leukemia Discovered")
    timeline = window.story_timeline.timeline
    qtbot.waitUntil(lambda: len(timeline.marks) == 5)
    for outlet in ("Science Daily", "Medical Xpress", "Medindia"):
        timeline.pick(next(i for i, m in enumerate(timeline.marks) if m.version.outlet == outlet))
        cursor = window.detail.browser.textCursor()
        item = cursor.block().text().split("\u2028")
        assert cursor.selectedText() == item[0] == timeline.marks[timeline.current].version.title  # type: ignore[index]
        assert item[1].startswith(f"{outlet} · ")  # the item's own line: its outlet and date


def test_a_link_reached_with_tab_picks_its_mark_when_it_has_percent_encoding(
    utc: None, make_window, tmp_path: Path, qtbot: QtBot  # type: ignore[no-untyped-def]
) -> None:
    """Three outlets report one unveiling; one link has a percent-encoded "é". Tab through the
    coverage list: each version's link picks that version's mark, that one too."""
    folder = tmp_path / "docs"
    folder.mkdir()
    body = "Zorblax Industries unveiled the Quixotron robot arm in Helsinki on Tuesday, Zorblax said."
    outlets = [
        ("a.md", "Zorblax unveils Quixotron robot arm in Helsinki", "https://alpha.example/news/caf%C3%A9-zorblax",
         "2020-03-01T10:00:00Z", ("Alpha News", "alpha.example")),
        ("b.md", "Zorblax unveils Quixotron robot arm in Helsinki today", "https://beta.example/news/zorblax",
         "2020-03-01T12:00:00Z", ("Beta Times", "beta.example")),
        ("c.md", "Zorblax unveils Quixotron robot arm at Helsinki show", "https://gamma.example/news/zorblax",
         "2020-03-01T14:00:00Z", ("Gamma Post", "gamma.example")),
    ]
    for name, title, url, published, provider in outlets:
        (folder / name).write_text(news_doc(title, url=url, published=published, provider=provider, body=body), encoding="utf-8")
    window: MainWindow = make_window([folder])
    select_title(window, outlets[2][1])
    timeline = window.story_timeline.timeline
    qtbot.waitUntil(lambda: len(timeline.marks) == 3)
    browser = window.detail.browser
    browser.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.waitUntil(browser.hasFocus)
    picked: dict[str, str | None] = {}
    for _ in range(20):
        qtbot.keyClick(browser, Qt.Key.Key_Tab)
        selected = browser.textCursor().selectedText()
        if selected in (o[1] for o in outlets) and selected not in picked:
            picked[selected] = timeline.marks[timeline.current].version.outlet if timeline.current is not None else None
        if len(picked) == 3:
            break
    assert picked == {title: provider[0] for _, title, _, _, provider in outlets}
    settle(qtbot, window)


# --------------------------------------------------------------- what is drawn, and where

#: Marks closer than a mark's width (radius 4.5) are drawn on one spot.
ONE_SPOT = 9.0


def assert_drawn_inside(timeline: StoryTimeline) -> None:
    """The summary line, the names, the marks (this article's ring: radius 6 + 3, pen 1.5)
    and the days all lie inside the widget."""
    inside = QRectF(timeline.rect())
    boxes = [timeline.summary()[0]] + [box for box, _n, _s in timeline.names()] + [box for box, _d in timeline.days()]
    for box in boxes:
        assert inside.contains(box), (box, inside)
    for mark, point in zip(timeline.marks, timeline.positions(), strict=True):
        reach = 10.5 if mark.this else 5.25
        assert inside.contains(QRectF(point.x() - reach, point.y() - reach, 2 * reach, 2 * reach)), (point, inside)


def assert_names_read_right(timeline: StoryTimeline) -> None:
    """Each name is over a mark of its outlet and over no other mark (but one on the same
    spot), over no other name, whole or shortened with "…"; this article's outlet is named
    over its mark."""
    names = timeline.names()
    points = [p.x() for p in timeline.positions()]
    for k, (box, text, _strong) in enumerate(names):
        under = [i for i, x in enumerate(points) if box.left() <= x <= box.right()]
        assert under, (text, box)
        assert max(points[i] for i in under) - min(points[i] for i in under) < ONE_SPOT, (text, box, under)
        outlets = {timeline.marks[i].version.outlet or "No source" for i in under}
        assert text in outlets or (text.endswith("…") and any(o.startswith(text[:-1]) for o in outlets)), (text, outlets)
        for other, _text, _strong in names[k + 1 :]:
            assert not box.intersects(other), (text, _text)
    this = next(i for i, m in enumerate(timeline.marks) if m.this)
    outlet = timeline.marks[this].version.outlet or "No source"
    assert any(
        box.left() <= points[this] <= box.right() and outlet.startswith(text.rstrip("…")) for box, text, _s in names
    ), (outlet, names)


def test_the_timeline_follows_the_font_size_in_both_looks(
    tribune: MainWindow, qtbot: QtBot, restore_look: None  # noqa: F811
) -> None:
    """Preferences > Font size runs from 7 to 24 pt: the timeline grows with it (light and
    dark), and everything it draws stays inside it."""
    timeline = tribune.story_timeline.timeline
    heights = {}
    for theme in (Theme.LIGHT, Theme.DARK):
        tribune.theme.apply(theme)
        for points in (7, 12, 18, 24):
            tribune.theme.set_font_size(points)
            qtbot.waitUntil(lambda points=points: timeline.font().pointSize() == points)  # type: ignore[misc]
            qtbot.waitUntil(lambda: timeline.height() == timeline.sizeHint().height())
            assert_drawn_inside(timeline)
            heights[theme, points] = timeline.height()
    assert heights[Theme.LIGHT, 7] < heights[Theme.LIGHT, 12] < heights[Theme.LIGHT, 18] < heights[Theme.LIGHT, 24]


#: The story of Facebook's takedown of fake accounts in tests/data/window2: Forbes (20 Dec
#: 23:35) reports it five hours after The Daily Beast and as The New York Times does.
FORBES = "Facebook Removes Hundreds of Fake Pro-Trump Accounts Using AI-Generated Profile Photos"


@pytest.mark.parametrize("width", [1280, 1000])
def test_this_articles_outlet_is_named_over_its_own_mark(
    utc: None, make_window, tmp_path: Path, qtbot: QtBot, width: int  # type: ignore[no-untyped-def]
) -> None:
    folder = tmp_path / "docs"
    shutil.copytree(WINDOW2, folder)
    window: MainWindow = make_window([folder])
    window.resize(width, 800)
    select_title(window, FORBES)
    timeline = window.story_timeline.timeline
    qtbot.waitUntil(lambda: len(timeline.marks) > 2)
    qtbot.waitUntil(lambda: timeline.width() < width / 2)
    this = next(m for m in timeline.marks if m.this)
    assert this.version.outlet == "Forbes"
    assert "Forbes" in [text for _box, text, _s in timeline.names()]
    assert_names_read_right(timeline)
    assert_drawn_inside(timeline)


LONG_OUTLET = (
    "The Extraordinarily Long-Named Regional Morning Herald and Evening Gazette of Greater Metropolitan Springfield"
)


def test_long_outlet_names_are_shortened_and_the_summary_keeps_its_figures(
    utc: None, make_window, tmp_path: Path, qtbot: QtBot, restore_look: None  # type: ignore[no-untyped-def]  # noqa: F811
) -> None:
    """Three reports of one unveiling, one by an outlet of a 110-character name, each listing
    a syndicated copy by that outlet's network (28 Feb 07:00): four outlets over three days."""
    folder = tmp_path / "docs"
    folder.mkdir()
    title = "Zorblatt Quantum Robotics unveils Kestrelwing autonomous pollination drone swarm for Dutch greenhouse tomatoes"
    excerpt = "Zorblatt Quantum Robotics said its Kestrelwing drone swarm pollinates greenhouse tomatoes in Westland."
    reports = [
        ("a", "2021-03-01T08:00:00Z", "Alpha Wire", "alphawire.example", title),
        ("b", "2021-03-01T12:00:00Z", LONG_OUTLET, "herald.example", title + " (updated)"),
        ("c", "2021-03-02T09:30:00Z", "Gamma Post", "gamma.example", title + " says company"),
    ]
    for slug, published, outlet, domain, headline in reports:
        (folder / f"{slug}.md").write_text(
            f'---\ntitle: "{headline}"\nexcerpt: "{excerpt}"\npublishedDateTime: {published}\n'
            f"webUrl: https://{domain}/news/{slug}\nprovider:\n  name: \"{outlet}\"\n  domain: {domain}\n"
            f'topics:\n  - Robotics\nrelated:\n  - title: "{title} (syndicated copy)"\n    excerpt: "{excerpt}"\n'
            f"    publishedDateTime: 2021-02-28T07:00:00Z\n    webUrl: https://syndication.example/z/{slug}\n"
            f'    provider:\n      name: "{LONG_OUTLET} Syndication Network"\n---\nBody.\n',
            encoding="utf-8",
        )
    window: MainWindow = make_window([folder])
    window.resize(1280, 800)
    select_title(window, title)
    timeline = window.story_timeline.timeline
    qtbot.waitUntil(lambda: len(timeline.marks) >= 4)
    qtbot.waitUntil(lambda: timeline.width() < 640)
    assert next(m for m in timeline.marks if m.this).version.outlet == "Alpha Wire"
    names = [text for _box, text, _s in timeline.names()]
    assert "Alpha Wire" in names and any(n.startswith("The Extraordinarily") and n.endswith("…") for n in names)
    assert_names_read_right(timeline)
    assert_drawn_inside(timeline)
    box, line = timeline.summary()
    assert line.startswith("first: The Extraordinarily") and "…, Feb 28 07:00" in line
    assert line.endswith(" · 4 outlets over 3 days")
    assert QFontMetrics(timeline._small_font()).horizontalAdvance(line) <= box.width()
    assert timeline.line.startswith(f"first: {LONG_OUTLET} Syndication Network, Feb 28 07:00")  # (whole for screen readers)
    # Narrower still (a large font in a narrow pane): the first moment goes whole, never cut
    window.theme.set_font_size(24)
    qtbot.waitUntil(lambda: timeline.font().pointSize() == 24)
    window.splitter.setSizes([200, 700, 380])
    qtbot.waitUntil(lambda: timeline.width() < 380)
    box, line = timeline.summary()
    assert line in ("4 outlets over 3 days", QFontMetrics(timeline._small_font()).elidedText(
        "4 outlets over 3 days", Qt.TextElideMode.ElideRight, int(box.width())))
    assert QFontMetrics(timeline._small_font()).horizontalAdvance(line) <= box.width()


def test_left_and_right_from_an_undated_article_pick_the_last_and_the_first_version(
    utc: None, window: MainWindow, qtbot: QtBot
) -> None:
    """The Swedish seed has no date, so no mark is its own: Shift+T then Right picks the
    oldest version (St. Louis Post-Dispatch, 5 Feb 20:05), Left the newest (Chicago Tribune)."""
    timeline = window.story_timeline.timeline
    for key, outlet in ((Qt.Key.Key_Right, "St. Louis Post-Dispatch"), (Qt.Key.Key_Left, "Chicago Tribune")):
        select_title(window, SEED_TITLES["bbc"])
        select_title(window, SEED_TITLES["swedish"])
        qtbot.waitUntil(lambda: len(timeline.marks) == 3)
        assert timeline.current is None
        window.article_list.setFocus(Qt.FocusReason.OtherFocusReason)
        qtbot.keyClick(window.article_list, Qt.Key.Key_T, Qt.KeyboardModifier.ShiftModifier)
        qtbot.waitUntil(timeline.hasFocus)
        qtbot.keyClick(timeline, key)
        assert timeline.current is not None and timeline.marks[timeline.current].version.outlet == outlet


def test_the_window_dates_are_english_on_a_swedish_desktop(tribune: MainWindow, swedish_dates: str) -> None:
    """Read from the seeds: the Tribune's report is dated 2020-02-06T19:37Z (a Thursday), the
    story's first version 2020-02-05T20:05Z."""
    select_title(tribune, SEED_TITLES["global"])
    select_title(tribune, SEED_TITLES["tribune"])
    timeline = tribune.story_timeline.timeline
    assert "Thursday, February 6, 2020, 19:37 UTC" in tribune.detail.plain_text()
    assert "Feb 5 20:05 ·" in timeline.line and "Feb 5 20:05 ·" in timeline.summary()[1]
    assert [day for _box, day in timeline.days()] == ["Feb 5 20:05", "Feb 6 19:37"]


def test_widen_and_narrow_pane_work_while_the_timeline_has_the_keyboard(tribune: MainWindow, qtbot: QtBot) -> None:
    """Ctrl+Shift+Left/Right are Narrow/Widen Pane there too: the timeline takes Left and
    Right only without modifiers."""
    tribune.resize(760, 580)  # (the offscreen screen is 800 × 800)
    settle(qtbot, tribune)
    timeline = tribune.story_timeline.timeline
    timeline.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.waitUntil(timeline.hasFocus)
    picked = timeline.current
    keys = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    before = tribune.splitter.sizes()
    qtbot.keyClick(timeline, Qt.Key.Key_Left, keys)  # the article pane narrower
    narrowed = tribune.splitter.sizes()
    assert narrowed[2] < before[2]
    qtbot.keyClick(timeline, Qt.Key.Key_Right, keys)
    assert tribune.splitter.sizes()[2] > narrowed[2]
    assert timeline.current == picked
    assert timeline.hasFocus()
