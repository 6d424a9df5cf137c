"""Documents with one very long value (a link of 1.25 million characters, a topic of 250,000,
a text that is one 4-million-character word): they pass ``reader check``, and the window
shows each at once, with what it lays out bounded (``reader/display.py``).

Selecting such an article took Qt 6 s (a 100,000-character link) to minutes (1.25 million)
before. ``bench/long_fields.py`` times it; the budget asserted here is loose on purpose (a
shared, busy machine): it tells a bounded page (~0.1 s) from an unbounded one (seconds to
minutes)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from reader.display import LINK_CHARS, NAME_CHARS, TEXT_CHARS
from reader.library import View, ViewKind
from scripts import MAKE_BAD, load_script

from .helpers import WindowFactory, sidebar_sections

make_bad = load_script(MAKE_BAD)
LONG_DIR = Path(__file__).resolve().parent.parent / "data" / "long"
COMMITTED = {e.name: e for e in make_bad.long_field_entries()}
HUGE = {e.name: e for e in make_bad.long_field_entries(huge=True)}
#: Seconds to select the article and paint the window, at most (it takes ~0.1 s).
LOOSE_BUDGET_S = 3.0


def write(folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    if name in COMMITTED:
        target.write_bytes((LONG_DIR / name).read_bytes())  # the catalogue's file, as committed
    else:
        target.write_bytes(HUGE[name].data)
    return target


@pytest.mark.parametrize("name", [*sorted(COMMITTED), *sorted(HUGE)])
def test_an_article_with_a_long_field_shows_at_once(qtbot: QtBot, make_window: WindowFactory, tmp_path: Path, name: str) -> None:
    write(tmp_path / "docs", name)
    window = make_window([tmp_path / "docs"])
    assert window.article_model.rowCount() == 1
    window.article_list.setFocus()
    started = time.perf_counter()
    assert window.article_list.select_row(0)
    qtbot.waitUntil(lambda: window.detail.article is not None)
    window.grab()  # the list, the sidebar and the article painted
    elapsed = time.perf_counter() - started
    assert elapsed < LOOSE_BUDGET_S, f"{name}: {elapsed:.2f} s"

    text = window.detail.plain_text()
    assert text.startswith(make_bad.TITLE)
    assert len(text) < TEXT_CHARS + 5_000  # bounded, whatever the document holds
    article = window.detail.article
    assert article is not None
    if len(article.url or "") > LINK_CHARS:
        shown = next(line for line in text.splitlines() if line.startswith("Original: "))
        assert len(shown) == len("Original: ") + LINK_CHARS and "…" in shown
        assert shown.removeprefix("Original: ").startswith(article.url[: LINK_CHARS // 2])
        window.open_original()
        assert window.open_url.urls == [article.url]  # type: ignore[union-attr]  # the whole link opens
    if len(article.body) > TEXT_CHARS:
        assert f"The text goes on for {len(article.body) - TEXT_CHARS:,} more characters" in text
    for name_shown in [*article.topics, article.provider.name if article.provider else ""]:
        if len(name_shown) > NAME_CHARS:
            assert name_shown[: NAME_CHARS // 2] in text and name_shown not in text


def test_a_long_topic_is_cut_in_the_sidebar_and_whole_in_its_tooltip(make_window: WindowFactory, tmp_path: Path) -> None:
    write(tmp_path / "docs", "long-topic-250000.md")
    window = make_window([tmp_path / "docs"])
    topic = "t" * 250_000
    names = list(sidebar_sections(window)["Topics"])
    assert sorted(len(n) for n in names) == [2, NAME_CHARS]  # AI, and the long one cut
    model = window.sidebar.sidebar_model
    index = model.index_of(View(ViewKind.TOPIC, topic))
    assert index.isValid()
    assert window.sidebar.select(View(ViewKind.TOPIC, topic))  # still opens its articles
    assert window.sidebar.preferred_width() < 2_000
