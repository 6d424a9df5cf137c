"""The Qt models, checked by Qt's model tester, and how the article list model reports changes."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from pytestqt.modeltest import ModelTester

from reader.article import Problem
from reader.library import Count, Counts, Library, ListRow, View, ViewKind
from reader.ui.article_list import MAX_INSERT_RUNS, ArticleListModel, ArticleRole
from reader.ui.problems_list import ProblemsModel
from reader.ui.sidebar import PROBLEMS, SidebarModel, SidebarRole
from reader.ui.view_data import TRENDS, StateChange, adjusted, all_read, prepare_listing


#: Both of pytest-qt's model testers: its Python one and Qt's QAbstractItemModelTester.
TESTERS = pytest.mark.parametrize("force_py", [True, False], ids=["python-tester", "qt-tester"])


@pytest.fixture
def library(tmp_path: Path, seeds_dir: Path) -> Iterator[Library]:
    with Library(tmp_path / "data") as library:
        library.sync([seeds_dir])
        yield library


@TESTERS
def test_article_list_model_over_a_library(qtmodeltester: ModelTester, library: Library, force_py: bool) -> None:
    model = ArticleListModel(library.rows)
    model.set_rowids(library.article_rowids())
    qtmodeltester.check(model, force_py=force_py)  # and the tester watches every change below
    assert model.rowCount() == 5
    first = model.index(0)
    row = model.data(first, ArticleRole.ROW)
    assert isinstance(row, ListRow)
    assert model.data(first) == row.title == "Facebook, YouTube, Twitter warn Clearview face-recognition service to stop harvesting images"
    assert model.data(first, ArticleRole.ROWID) == row.rowid == model.rowids()[0]
    assert model.data(first, ArticleRole.ID) == row.id
    assert model.data(first, ArticleRole.READ) is False
    assert model.data(first, ArticleRole.STARRED) is False
    assert "Chicago Tribune" in model.data(first, Qt.ItemDataRole.ToolTipRole)
    assert model.data(model.index(4), Qt.ItemDataRole.ToolTipRole).endswith("No source · undated. Unread.")

    library.set_starred([row.id])
    model.refresh_rows([row.rowid])  # the tester watches the signals this sends
    assert model.data(first, ArticleRole.STARRED) is True
    model.set_rowids(library.article_rowids(View(ViewKind.STARRED)))  # a removal: a reset
    assert model.rowCount() == 1
    model.set_rowids(library.article_rowids())  # insertions around the kept row
    assert model.rowCount() == 5
    model.set_rowids([], reset=True)
    assert model.rowCount() == 0


@TESTERS
def test_sidebar_model_with_counts(qtmodeltester: ModelTester, library: Library, force_py: bool) -> None:
    model = SidebarModel()
    assert model.rowCount() == 1 and model.rowCount(model.index(0, 0)) == 7  # empty: only the views
    model.set_counts(library.counts())
    qtmodeltester.check(model, force_py=force_py)  # and the tester watches every change below
    assert model.keys()[:7] == [
        View(ViewKind.ALL), View(ViewKind.UNREAD), View(ViewKind.STARRED), View(ViewKind.TODAY), View(ViewKind.TOP), TRENDS,
        PROBLEMS,
    ]
    assert View(ViewKind.TOPIC, "Computer Vision") in model.keys()
    ai = model.index_of(View(ViewKind.TOPIC, "AI"))
    assert ai.isValid() and model.data(ai) == "AI"
    assert model.data(ai.siblingAtColumn(1)) == "3 / 3"
    assert model.data(ai, SidebarRole.VIEW) == View(ViewKind.TOPIC, "AI")
    assert model.data(ai, Qt.ItemDataRole.ToolTipRole) == "AI\n3 unread of 3 articles"  # the whole name first
    assert model.data(model.index_of(PROBLEMS), SidebarRole.IS_PROBLEMS) is True
    assert model.data(model.index_of(PROBLEMS), SidebarRole.VIEW) is None
    header = model.parent(ai)
    assert model.data(header) == "Topics"
    assert not model.flags(header) & Qt.ItemFlag.ItemIsSelectable

    resets: list[None] = []
    changes: list[tuple[QModelIndex, QModelIndex]] = []
    model.modelReset.connect(lambda: resets.append(None))
    model.dataChanged.connect(lambda first, last, *_: changes.append((first, last)))
    library.set_read([library.rows(library.article_rowids()).popitem()[1].id])
    model.set_counts(library.counts())  # same items, new numbers: no reset
    assert resets == [] and changes
    model.set_counts(Counts(all=Count(1, 1), topics={"New Topic": Count(1, 1)}, problems=2))  # new items: a reset
    assert len(resets) == 1
    assert model.data(model.index_of(PROBLEMS).siblingAtColumn(1)) == "2"
    assert [model.data(model.index(r, 0)) for r in range(model.rowCount())] == ["Views", "Topics"]


@TESTERS
def test_problems_model(qtmodeltester: ModelTester, force_py: bool) -> None:
    model = ProblemsModel()
    model.set_problems([Problem("/docs/a.md", "front matter never closed"), Problem("/docs/b.md", "title is missing")])
    qtmodeltester.check(model, force_py=force_py)  # and the tester watches every change below
    assert model.rowCount() == 2 and model.columnCount() == 2
    assert model.data(model.index(1, 0)) == "title is missing"  # the reason first
    assert model.data(model.index(1, 1)) == "/docs/b.md"  # no folder opened: the whole path
    assert model.data(model.index(0, 0), Qt.ItemDataRole.AccessibleTextRole) == "/docs/a.md: front matter never closed"
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Reason"
    assert model.data(model.index(1, 1), Qt.ItemDataRole.ToolTipRole) == "title is missing\n/docs/b.md"
    model.set_problems([])
    assert model.rowCount() == 0


# --------------------------------------------------------------------------- insertion runs


def fake_rows(rowids: Sequence[int]) -> dict[int, ListRow]:
    return {r: ListRow(r, f"id{r}", f"Title {r}", None, None, None, False, False, None, None, "news") for r in rowids}


class Recorder:
    """The structural signals a model sends."""

    def __init__(self, model: ArticleListModel) -> None:
        self.events: list[tuple[str, int, int] | str] = []
        model.rowsInserted.connect(lambda _parent, first, last: self.events.append(("inserted", first, last)))
        model.rowsRemoved.connect(lambda _parent, first, last: self.events.append(("removed", first, last)))
        model.rowsMoved.connect(lambda *_: self.events.append("moved"))
        model.modelReset.connect(lambda: self.events.append("reset"))
        model.layoutChanged.connect(lambda *_: self.events.append("layout"))

    def take(self) -> list[tuple[str, int, int] | str]:
        events, self.events = self.events, []
        return events


@pytest.fixture
def list_model(qtmodeltester: ModelTester) -> ArticleListModel:
    model = ArticleListModel(fake_rows)
    qtmodeltester.check(model, force_py=True)  # and the tester watches every change below
    return model


def titles_of(model: ArticleListModel) -> list[str]:
    return [model.data(model.index(r)) for r in range(model.rowCount())]


def test_pure_insertions_are_inserted_rows_not_a_reset(list_model: ArticleListModel) -> None:
    model = list_model
    recorder = Recorder(model)
    model.set_rowids([10, 20, 30])
    assert recorder.take() == [("inserted", 0, 2)]
    model.set_rowids([5, 10, 11, 12, 20, 30, 40])
    assert recorder.take() == [("inserted", 0, 0), ("inserted", 2, 3), ("inserted", 6, 6)]
    assert model.rowids() == [5, 10, 11, 12, 20, 30, 40]
    assert titles_of(model) == [f"Title {r}" for r in (5, 10, 11, 12, 20, 30, 40)]
    assert model.row_of(12) == 3 and model.row_of(99) == -1


def test_unchanged_rowids_repaint_without_structure_changes(list_model: ArticleListModel) -> None:
    model = list_model
    model.set_rowids([1, 2, 3])
    recorder = Recorder(model)
    changed: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda first, last, *_: changed.append((first.row(), last.row())))
    model.set_rowids([1, 2, 3])
    assert recorder.take() == []
    assert changed == [(0, 2)]


@pytest.mark.parametrize(
    "new",
    [
        pytest.param([1, 3], id="removal"),
        pytest.param([3, 2, 1], id="reorder"),
        pytest.param([1, 2, 4], id="replacement"),
        pytest.param([2, 1, 3, 4], id="swap-and-insert"),
        pytest.param([], id="emptied"),
    ],
)
def test_anything_but_insertions_resets(list_model: ArticleListModel, new: list[int]) -> None:
    model = list_model
    model.set_rowids([1, 2, 3])
    recorder = Recorder(model)
    model.set_rowids(new)
    assert recorder.take() == ["reset"]
    assert model.rowids() == new
    assert titles_of(model) == [f"Title {r}" for r in new]


def test_asked_reset_and_too_many_runs_reset(list_model: ArticleListModel) -> None:
    model = list_model
    model.set_rowids([2, 4])
    recorder = Recorder(model)
    model.set_rowids([1, 2, 4], reset=True)
    assert recorder.take() == ["reset"]

    old = list(range(0, 400, 2))  # even numbers
    model.set_rowids(old, reset=True)
    recorder.take()
    runs = MAX_INSERT_RUNS + 1
    model.set_rowids(sorted(old + [2 * i + 1 for i in range(runs)]))  # one odd after each of the first evens
    assert recorder.take() == ["reset"]
    model.set_rowids(sorted(old + [2 * i + 1 for i in range(runs)] + [1001, 1003]))
    assert recorder.take() == [("inserted", model.rowCount() - 2, model.rowCount() - 1)]


def test_rows_are_fetched_on_demand() -> None:
    asked: list[list[int]] = []

    def fetch(rowids: Sequence[int]) -> dict[int, ListRow]:
        asked.append(list(rowids))
        return fake_rows(rowids)

    model = ArticleListModel(fetch)
    model.set_rowids(list(range(1000)))
    assert asked == []
    assert model.data(model.index(500)) == "Title 500"
    assert len(asked) == 1 and 500 in asked[0] and len(asked[0]) < 1000
    model.data(model.index(501))
    assert len(asked) == 1  # cached
    model.refresh_rows([501])
    model.data(model.index(501))
    assert asked[-1] == [501] or 501 in asked[-1]


# --------------------------------------------------------------------------- prepared elsewhere


def test_a_listing_prepared_off_the_gui_thread_inserts_rows(list_model: ArticleListModel) -> None:
    model = list_model
    model.set_rowids([10, 20, 30])
    recorder = Recorder(model)
    listing = prepare_listing([5, 10, 20, 25, 30], base=model.rowids())
    assert listing.runs == [(0, [5]), (3, [25])] and listing.positions == {5: 0, 10: 1, 20: 2, 25: 3, 30: 4}
    model.set_listing(listing)
    assert recorder.take() == [("inserted", 0, 0), ("inserted", 3, 3)]
    assert model.rowids() == [5, 10, 20, 25, 30] and model.row_of(25) == 3
    assert titles_of(model) == [f"Title {r}" for r in (5, 10, 20, 25, 30)]

    stale = prepare_listing([5, 10, 20, 25, 30, 40], base=[1, 2])  # prepared from another list
    model.set_listing(stale)
    assert recorder.take() == [("inserted", 5, 5)]  # worked out again here
    model.set_listing(prepare_listing([5, 40], base=model.rowids()))  # removals: a reset
    assert recorder.take() == ["reset"]
    assert model.row_of(40) == 1 and model.row_of(10) == -1
    model.set_listing(prepare_listing([40, 5], base=model.rowids()), reset=True)
    assert recorder.take() == ["reset"]
    assert titles_of(model) == ["Title 40", "Title 5"]


def test_counts_adjusted_for_one_article_and_for_all_read() -> None:
    counts = Counts(
        all=Count(5, 4),
        unread=Count(4, 4),
        starred=Count(1, 0),
        today=Count(2, 2),
        topics={"AI": Count(3, 3), "Space": Count(2, 1)},
        sources={"BBC": Count(1, 1), "Other": Count(4, 3)},
        languages={"en": Count(5, 4)},
        problems=2,
    )
    read = StateChange(("ai",), "bbc", "en", today=True, was_read=False, read=True, was_starred=False, starred=False)
    after = adjusted(counts, read)
    assert (after.all, after.unread, after.starred, after.today) == (Count(5, 3), Count(3, 3), Count(1, 0), Count(2, 1))
    assert after.topics == {"AI": Count(3, 2), "Space": Count(2, 1)}  # topics and sources match without case
    assert after.sources == {"BBC": Count(1, 0), "Other": Count(4, 3)}
    assert after.languages == {"en": Count(5, 3)} and after.problems == 2
    star = StateChange(("AI",), "BBC", None, today=False, was_read=False, read=False, was_starred=False, starred=True)
    assert adjusted(counts, star).starred == Count(2, 1) and adjusted(counts, star).unread == counts.unread
    assert adjusted(counts, StateChange((), None, None, False, True, True, False, False)) is counts  # no change

    none_unread = all_read(counts)
    assert none_unread.all == Count(5, 0) and none_unread.unread == Count(0, 0) and none_unread.starred == Count(1, 0)
    assert none_unread.topics == {"AI": Count(3, 0), "Space": Count(2, 0)} and none_unread.problems == 2
