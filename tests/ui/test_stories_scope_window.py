"""Top Stories in a window that shows one folder of a library of two: the sidebar's count,
the list and the article pane's "#k of N" agree, and a story whose lead lies in the other
folder is listed by its first report in the folder shown."""

from __future__ import annotations

import re
from pathlib import Path

from pytestqt.qtbot import QtBot

from reader.library import Library, View, ViewKind

from .helpers import news_doc, select_title, settle, sidebar_counts, titles

VOLCANO = "Volcano erupts near Reykjavik, flights cancelled"
COUNCIL = "City council approves new bicycle lanes downtown"


def _write(folder: Path, name: str, title: str, hour: int, outlet: str) -> None:
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(
        news_doc(title, url=f"https://{outlet}.example/{name}", published=f"2024-03-24T{hour:02d}:00:00Z",
                 provider=(outlet.title(), f"{outlet}.example")),
        encoding="utf-8",
    )


def test_top_stories_in_a_folder_of_the_library(qtbot: QtBot, make_window, tmp_path: Path, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    shown, other = tmp_path / "shown", tmp_path / "other"
    # The volcano: first reported by an outlet whose file is in the other folder (its lead),
    # then by two in the folder shown; the council story: two outlets, both shown.
    _write(other, "volcano-first.md", VOLCANO, 8, "first")
    _write(shown, "volcano-second.md", VOLCANO, 9, "second")
    _write(shown, "volcano-third.md", VOLCANO, 10, "third")
    _write(shown, "council-one.md", COUNCIL, 9, "one")
    _write(shown, "council-two.md", COUNCIL, 10, "two")
    with Library(data_dir) as library:  # (the other folder, read into the library earlier)
        library.sync([other])
    window = make_window([shown])
    settle(qtbot, window)
    window.sidebar.select(View(ViewKind.TOP))
    settle(qtbot, window)
    listed = titles(window)
    assert sorted(listed) == [COUNCIL, VOLCANO]
    assert sidebar_counts(window)["Top Stories"].endswith(" 2")
    for place, title in enumerate(listed, 1):
        select_title(window, title)
        if title == VOLCANO:  # listed by the second report: the first in the folder shown
            assert window.detail.article is not None
            assert window.library.paths(window.detail.article.id)[0].endswith("volcano-second.md")
        # (worked out on the query thread: the window shows part of the library)
        qtbot.waitUntil(lambda: "Top stories:" in window.detail.plain_text())
        line = next(line for line in window.detail.plain_text().splitlines() if line.startswith("Top stories:"))
        found = re.match(r"Top stories: #(\d+) of (\d+)", line)
        assert found is not None and (int(found[1]), int(found[2])) == (place, 2)
