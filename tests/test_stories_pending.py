"""Stories between a sync that changed or removed articles and the grouping after it: the
stored grouping stays the last one, whole — a changed article in its story, a removed one
simply absent from it — and every row agrees with what its story holds; the next grouping
replaces it. `reader stories` groups what a sync left before it prints."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

from reader import cli, stories
from reader.library import Library, View, ViewKind
from reader.stories.storage import _outlet, outlet_count

# The seeds (see tests/test_stories.py): 000 Global News, 5 Feb 2020, whose related entries
# are one St. Louis Post-Dispatch piece ("YouTube, Venmo: AI firm must stop scraping faces
# from sites"); 001 Chicago Tribune, 6 Feb (the AP text), which lists an ACLU piece and two
# copies of a Herta Security press release; 002 and 003 plain texts (English, Swedish),
# undated, no source; 004 BBC, 23 Jan. 000–003 are one story.
GLOBAL, TRIBUNE, PLAIN, SWEDISH, BBC = (
    "000_7070b5ed28950557.txt", "001_19301bc74b7f561c.txt", "002_9f8ef219818b8861.txt", "003_75b339a3634bcf13.txt",
    "004_a6c4789921a3cca4.txt",
)
STLTODAY = "YouTube, Venmo: AI firm must stop scraping faces from sites"


def ids_of(library: Library) -> dict[str, str]:
    """{file name: article id}"""
    return {Path(library.paths(a)[0]).name: a for (a,) in library.db.execute("SELECT id FROM articles")}


def outlet_key(version: stories.Version) -> str | None:
    """A version's outlet, by the rule the stories count by."""
    return _outlet(version.outlet, version.domain, version.url)


def assert_rows_agree(library: Library) -> None:
    """Every story row says what the story holds: its lead and documents are in the library,
    its counts are those of the versions it lists, and Top Stories' count is its length."""
    db = library.db
    present = {a for (a,) in db.execute("SELECT id FROM articles")}
    assert {a for (a,) in db.execute("SELECT article FROM story_members")} <= present
    assert {a for (a,) in db.execute("SELECT article FROM story_related")} <= present
    for story, lead, members, versions, outlets in db.execute(
        "SELECT story, lead, members, versions, outlets FROM stories"
    ).fetchall():
        assert lead is None or lead in present
        loaded = stories.load(db, story)
        assert loaded is not None
        assert members == len(loaded.members) and versions == len(loaded.versions)
        assert outlets == outlet_count({outlet_key(v) for v in loaded.versions})
    top = stories.top_story_ids(db)
    assert library.counts().top.total == len(top) == len(library.article_rowids(View(ViewKind.TOP)))


def groups(library: Library) -> list[set[str]]:
    by_story: dict[str, set[str]] = {}
    for article, story in library.db.execute("SELECT article, story FROM story_members"):
        by_story.setdefault(story, set()).add(Path(library.paths(article)[0]).name)
    return sorted((g for g in by_story.values() if len(g) > 1), key=sorted)


def fresh_groups(tmp_path: Path, folder: Path) -> list[set[str]]:
    with Library(tmp_path / "fresh") as library:
        library.sync([folder])
        return groups(library)


def test_a_removed_lead_leaves_its_story_whole_without_it_until_grouped_again(tmp_path: Path, seeds_dir: Path) -> None:
    folder = tmp_path / "docs"
    shutil.copytree(seeds_dir, folder)
    with Library(tmp_path / "data") as library:
        library.sync([folder])
        ids = ids_of(library)
        story = stories.story_of(library.db, ids[GLOBAL])
        assert story is not None and stories.leads(library.db, ids[TRIBUNE])
        (folder / TRIBUNE).unlink()
        library.sync([folder], group=False)  # as the window syncs: grouping follows later

        assert sorted(library.story_members(ids[GLOBAL])) == sorted([ids[GLOBAL], ids[PLAIN], ids[SWEDISH]])
        loaded = stories.load(library.db, story)
        assert loaded is not None
        # what is left: Global News and its St. Louis Post-Dispatch entry, two plain texts
        assert loaded.outlets == 2 and len(loaded.versions) == 4
        assert [v.title for v in loaded.versions if not v.in_library] == [STLTODAY]
        (lead,) = [library.rows([r])[r] for r in library.article_rowids(View(ViewKind.TOP))]
        assert lead.id in loaded.members
        ranking = stories.ranking(library.db, lead.id)
        assert ranking is not None and (ranking.rank, ranking.of) == (1, 1)
        kept, outlets = library.collapse_stories(library.article_rowids())
        assert sorted(outlets.values()) == [2] and len(kept) == 2  # the story and the BBC
        # the Herta Security releases the Tribune listed were a story of related entries alone
        assert library.db.execute("SELECT count(*) FROM stories WHERE members = 0").fetchone()[0] == 0
        assert_rows_agree(library)

        assert library.group_stories() == 4
        assert_rows_agree(library)
        assert groups(library) == fresh_groups(tmp_path, folder)


def test_an_edited_article_stays_in_its_story_until_grouped_again(tmp_path: Path, seeds_dir: Path) -> None:
    folder = tmp_path / "docs"
    shutil.copytree(seeds_dir, folder)
    with Library(tmp_path / "data") as library:
        library.sync([folder])
        ids = ids_of(library)
        story = stories.story_of(library.db, ids[GLOBAL])
        before = sorted(library.story_members(ids[GLOBAL]))
        assert len(before) == 4
        # Global News gets hot, and lists another piece before the St. Louis one: the entry
        # its story holds moves to the second place of its list.
        path = folder / GLOBAL
        text = path.read_text(encoding="utf-8")
        assert text.count("heat: -1\n") == 1 and text.count("related:\n") == 1
        path.write_text(text.replace("heat: -1\n", "heat: 60\n").replace("related:\n", (
            'related:\n  - title: "Harbour cranes idle after strike"\n'
            '    webUrl: "https://harbour.example/cranes"\n    provider:\n      name: Harbour News\n'
        )), encoding="utf-8")
        library.sync([folder], group=False)

        assert stories.story_of(library.db, ids[GLOBAL]) == story
        assert sorted(library.story_members(ids[GLOBAL])) == before
        loaded = stories.load(library.db, story)  # type: ignore[arg-type]
        assert loaded is not None
        assert [v.title for v in loaded.versions if not v.in_library] == [STLTODAY]
        assert loaded.outlets == 3 and len(loaded.versions) == 5
        assert loaded.heat == 60  # (the others: -1, and none for the plain texts)
        kept, outlets = library.collapse_stories(library.article_rowids())
        assert sorted(outlets.values()) == [3] and len(kept) == 2
        assert_rows_agree(library)

        assert library.group_stories() == 5
        assert_rows_agree(library)
        assert groups(library) == fresh_groups(tmp_path, folder)


def test_a_retitled_article_stays_in_its_story_and_the_rows_stay_as_they_were(tmp_path: Path, seeds_dir: Path) -> None:
    folder = tmp_path / "docs"
    shutil.copytree(seeds_dir, folder)
    with Library(tmp_path / "data") as library:
        library.sync([folder])
        ids = ids_of(library)
        story = stories.story_of(library.db, ids[TRIBUNE])
        rows = library.db.execute("SELECT * FROM stories ORDER BY story").fetchall()
        related = library.db.execute("SELECT * FROM story_related ORDER BY key").fetchall()
        path = folder / TRIBUNE
        text = path.read_text(encoding="utf-8")
        old_title = '\ntitle: "Facebook, YouTube, Twitter warn Clearview face-recognition service'
        assert text.count(old_title) == 1  # (its own title; it lists itself as related too)
        path.write_text(text.replace(old_title, '\ntitle: "Facebook, YouTube, Twitter warn Clearview AI'), encoding="utf-8")
        library.sync([folder], group=False)
        assert stories.story_of(library.db, ids[TRIBUNE]) == story
        assert library.db.execute("SELECT * FROM stories ORDER BY story").fetchall() == rows
        assert library.db.execute("SELECT * FROM story_related ORDER BY key").fetchall() == related
        assert stories.pending(library.db) == 5  # (grouped again from the start when asked)
        assert_rows_agree(library)


def test_a_story_of_related_entries_alone_follows_its_holders_list_until_grouped_again(
    tmp_path: Path, seeds_dir: Path
) -> None:
    folder = tmp_path / "docs"
    shutil.copytree(seeds_dir, folder)
    herta = "Herta Security Lauded by Frost & Sullivan for Delivering Cutting-edge, Real-time Facial Recognition and Detection Deployment"
    with Library(tmp_path / "data") as library:
        library.sync([folder])
        (story,) = [s for (s,) in library.db.execute("SELECT story FROM stories WHERE members = 0")]
        loaded = stories.load(library.db, story)
        assert loaded is not None and [v.title for v in loaded.versions] == [herta, herta]
        # The Tribune lists another piece first: its two copies of the Herta Security release
        # (PR Newswire) move one place down its list.
        path = folder / TRIBUNE
        text = path.read_text(encoding="utf-8")
        assert text.count("related:\n") == 1
        path.write_text(text.replace("related:\n", (
            'related:\n  - title: "Harbour cranes idle after strike"\n'
            '    webUrl: "https://harbour.example/cranes"\n    provider:\n      name: Harbour News\n'
        )), encoding="utf-8")
        library.sync([folder], group=False)
        loaded = stories.load(library.db, story)
        assert loaded is not None and [v.title for v in loaded.versions] == [herta, herta]
        assert loaded.outlets == 1
        assert_rows_agree(library)


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return cli.main(list(argv), out), out.getvalue()


def test_reader_stories_groups_what_a_search_synced(tmp_path: Path, seeds_dir: Path) -> None:
    folder = tmp_path / "docs"
    shutil.copytree(seeds_dir, folder)
    data = ("--data-dir", str(tmp_path / "data"))
    assert run("search", "clearview", str(folder), *data)[0] == 0  # syncs, does not group
    code, text = run("stories", *data)
    assert code == 0
    assert text.startswith("Story · 3 outlets · 5 versions · 2020-02-05 ")

    (folder / GLOBAL).unlink()
    assert run("search", "clearview", str(folder), *data)[0] == 0
    code, text = run("stories", *data)
    assert code == 0
    header, *versions = text.splitlines()
    # what it lists: the Tribune and the two plain texts (no source)
    assert header.startswith("Story · 1 outlet · 3 versions · ")
    assert len(versions) == 3 and not any("Global News" in v or "related entry" in v for v in versions)
