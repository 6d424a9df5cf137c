"""Top stories as a scope sees them: a library of two folders, the window showing one. Every
story of two or more versions with a document in the scope is listed, by the document of it
there that the lead rule picks; the counts, the list and each story's rank agree; the rule
that picks a lead within a scope is the rule the grouping stores. And the collapsed list
shows the outlets of every story Top stories lists."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_stories import CORPUS, SEEDS_DIR, WINDOW2, write

from reader import stories
from reader.library import Library, View, ViewKind
from reader.library.values import Scope, make_scope

TOP = View(ViewKind.TOP)


@pytest.fixture(scope="module")
def two_folders(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Library, Path, Path]]:
    """Folder ``a`` and folder ``b``, one library.

    * volcano: four outlets on 24 March; the best of them (quality 90) in ``b``; in ``a``
      qualities 50, 70 and 70 (the last a day later) and one without a quality;
    * chip: two outlets, both in ``b``;
    * council and harbour: two outlets each in ``a``, the same hour, no heat or quality (the
      same score: the list's order breaks the tie).
    """
    root = tmp_path_factory.mktemp("scope")
    a, b = root / "a", root / "b"
    a.mkdir()
    b.mkdir()
    volcano = "Volcano erupts near Reykjavik, flights cancelled"
    write(b, "volcano-best.md", volcano, day=24, domain="v1.example", quality=90)
    write(a, "volcano-50.md", volcano, day=24, domain="v2.example", quality=50)
    write(a, "volcano-70.md", volcano, day=24, domain="v3.example", quality=70)
    write(a, "volcano-70-later.md", volcano, day=25, domain="v4.example", quality=70)
    write(a, "volcano-none.md", volcano, day=24, domain="v5.example")
    for i in range(2):
        write(b, f"chip{i}.md", "Chip maker unveils record breaking quantum processor", day=20, domain=f"c{i}.example")
        write(a, f"council{i}.md", "City council approves new bicycle lanes downtown", day=31, domain=f"k{i}.example")
        write(a, f"harbour{i}.md", "Harbour robots unload the container freighter at night", day=31, domain=f"h{i}.example")
    with Library(root / "data") as library:
        library.sync([a, b])
        yield library, a, b


def _listed(library: Library, scope: Scope) -> dict[str, str]:
    """Top stories within ``scope``: {story (the start of its files' names): the file listed}."""
    rows = library.rows(library.article_rowids(TOP, scope=scope))
    names = [Path(library.paths(row.id)[0]).name for row in rows.values()]
    listed = {name.removesuffix(".md").split("-")[0].rstrip("0123456789"): name for name in names}
    assert len(listed) == len(names)  # (one row per story)
    return listed


def _id(library: Library, folder: Path, name: str) -> str:
    found = library.db.execute("SELECT article FROM files WHERE path = ?", (str(folder / name),)).fetchone()
    assert found is not None
    return str(found[0])


def test_a_scope_lists_every_story_with_a_document_there_by_its_lead_there(two_folders: tuple[Library, Path, Path]) -> None:
    library, a, b = two_folders
    whole, only_a, only_b = make_scope([a, b]), make_scope([a]), make_scope([b])
    listed = _listed(library, whole)
    assert sorted(listed) == ["chip", "council", "harbour", "volcano"] and listed["volcano"] == "volcano-best.md"
    # In a: the volcano by its best document there (quality 70, the earlier of two), the chip
    # story (nothing of it in a) not at all; in b, the volcano by the one document there.
    listed = _listed(library, only_a)
    assert sorted(listed) == ["council", "harbour", "volcano"] and listed["volcano"] == "volcano-70.md"
    listed = _listed(library, only_b)
    assert sorted(listed) == ["chip", "volcano"] and listed["volcano"] == "volcano-best.md"
    for scope, count in ((whole, 4), (only_a, 3), (only_b, 2)):
        assert library.counts(scope).top.total == count
    assert library.leads_story(_id(library, a, "volcano-70.md"), only_a)
    assert not library.leads_story(_id(library, a, "volcano-70.md"), whole)
    assert not library.leads_story(_id(library, a, "volcano-50.md"), only_a)
    assert library.leads_story(_id(library, b, "volcano-best.md"), whole)
    assert library.leads_story(_id(library, b, "volcano-best.md"))
    assert not library.leads_story(_id(library, b, "volcano-best.md"), only_a)


@pytest.mark.parametrize("folders", [("a", "b"), ("a",), ("b",)])
def test_the_rank_the_article_pane_shows_is_the_place_in_the_list(
    two_folders: tuple[Library, Path, Path], folders: tuple[str, ...]
) -> None:
    library, a, b = two_folders
    scope: Scope = make_scope([{"a": a, "b": b}[f] for f in folders])
    listed = library.article_rowids(TOP, scope=scope)
    rows = library.rows(listed)
    council, harbour = (_id(library, a, name) for name in ("council0.md", "harbour1.md"))
    council_story, harbour_story = (library.story_context(i, scope).story for i in (council, harbour))
    assert council_story is not None and harbour_story is not None
    assert council_story.score == harbour_story.score  # (a tie, which the list's order breaks)
    assert library.counts(scope).top.total == len(listed)
    for place, rowid in enumerate(listed, 1):
        # every version of a listed story (in the scope or not) ranks its story where it is listed
        for member in library.story_members(rows[rowid].id):
            ranking = library.story_context(member, scope).ranking
            assert ranking is not None and (ranking.rank, ranking.of) == (place, len(listed))
    if folders == ("a",):  # a story with no document in the scope is not listed
        ranking = library.story_context(_id(library, b, "chip0.md"), scope).ranking
        assert ranking is not None and (ranking.rank, ranking.of) == (None, 3)


def test_the_top_stories_list_and_count_in_a_scope_agree_on_the_real_corpus(tmp_path: Path) -> None:
    """The corpus and the seeds in one library, the window showing the corpus alone."""
    library = Library(tmp_path / "data")
    library.sync([CORPUS, SEEDS_DIR])
    for scope in (make_scope([CORPUS, SEEDS_DIR]), make_scope([CORPUS]), make_scope([SEEDS_DIR])):
        listed = library.article_rowids(TOP, scope=scope)
        assert library.counts(scope).top.total == len(listed)
        rows = library.rows(listed)
        ranks = [library.story_context(rows[r].id, scope).ranking for r in listed]
        assert [(r.rank, r.of) if r else None for r in ranks] == [(i, len(listed)) for i in range(1, len(listed) + 1)]
    library.close()


def _stored_and_sql_leads(library: Library) -> tuple[list[tuple[str, str]], list[tuple[str | None, str]]]:
    stored = library.db.execute("SELECT story, lead FROM stories WHERE versions >= 2 AND lead IS NOT NULL ORDER BY story").fetchall()
    # (a scope that holds every document: each story by its lead among all of them)
    sql = library.db.execute(f"SELECT a.id FROM articles a WHERE {stories.top_sql('1')}").fetchall()
    by_sql = sorted((stories.story_of(library.db, i), i) for (i,) in sql)
    return stored, by_sql


def test_the_lead_rule_within_a_scope_is_the_rule_the_grouping_stores(
    two_folders: tuple[Library, Path, Path], tmp_path: Path
) -> None:
    library, _, _ = two_folders
    stored, by_sql = _stored_and_sql_leads(library)
    assert stored == by_sql and len(stored) == 4
    # The corpus, the seeds (plain texts among the documents of a story) and window2.
    with Library(tmp_path / "data") as other:
        other.sync([CORPUS, SEEDS_DIR, WINDOW2])
        stored, by_sql = _stored_and_sql_leads(other)
        assert stored == by_sql and len(stored) > 10


def test_a_collapsed_story_of_one_document_and_a_related_entry_shows_its_outlets(tmp_path: Path) -> None:
    """TheHealthSite's report of a leukaemia study lists, as related, the Deccan Chronicle's
    report of the same study: a story of two versions, two outlets, which Top stories lists."""
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(WINDOW2 / "2019-12-22-artificial-intelligence-can-help-detect-blood-cancer-study.md", folder)
    library = Library(tmp_path / "data")
    library.sync([folder])
    (rowid,) = library.article_rowids()
    assert library.article_rowids(TOP) == [rowid]
    assert library.collapse_stories([rowid]) == ([rowid], {rowid: 2})
    library.close()


def test_a_document_dated_1970_01_01_is_dated_when_the_lead_is_chosen(tmp_path: Path) -> None:
    """The earliest of two equal reports leads its story, also when it was published at the
    very start of 1970 (timestamp 0, a date and not "undated"), by both rules."""
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, when, domain in (("late.md", "1970-01-01T12:00:00Z", "b.example"), ("early.md", "1970-01-01T00:00:00Z", "a.example")):
        (folder / name).write_text(
            "---\ntitle: \"Zorblax unveils the quantum toaster at the Lisbon fair\"\n"
            "excerpt: \"Zorblax showed its quantum toaster to buyers at the Lisbon fair on Monday.\"\n"
            f"publishedDateTime: {when}\nwebUrl: \"https://{domain}/{name}\"\n"
            f"provider:\n  name: \"{domain}\"\n  domain: \"{domain}\"\n---\n",
            encoding="utf-8",
        )
    with Library(tmp_path / "data") as library:
        library.sync([folder])
        stored, by_sql = _stored_and_sql_leads(library)
        (early,) = [a for (a,) in library.db.execute("SELECT id FROM articles WHERE published = 0")]
        assert [lead for _, lead in stored] == [early] and by_sql == stored



def test_stories_of_one_score_and_date_are_listed_in_one_order_whatever_was_added_first(tmp_path: Path) -> None:
    """Two stories of the same score whose leads have the same date are in Top stories (and
    ``reader stories``) in one order, not in the order their folders were added."""
    folders = {}
    for name, title in (("council", "City council approves new bicycle lanes downtown"),
                        ("harbour", "Harbour robots unload the container freighter at night")):
        folders[name] = tmp_path / name
        folders[name].mkdir()
        for i in range(2):
            write(folders[name], f"{name}{i}.md", title, day=31, domain=f"{name[0]}{i}.example")
    orders = []
    for added in (["council", "harbour"], ["harbour", "council"]):
        with Library(tmp_path / f"data-{added[0]}") as library:
            for name in added:
                library.sync([folders[name]])
            leads = [library.db.execute("SELECT lead FROM stories WHERE story = ?", (story,)).fetchone()[0]
                     for story in stories.top_story_ids(library.db)]
            rowids = library.article_rowids(TOP)
            rows = library.rows(rowids)
            orders.append((leads, [rows[rowid].id for rowid in rowids]))
    assert len(orders[0][1]) == 2
    assert orders[0] == orders[1]
