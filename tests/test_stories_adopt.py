"""A document that starts a story takes the story of related entries alone it reports."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from reader import stories
from reader.library import Library
from reader.stories.model import Item, Related
from reader.stories.related import ADOPT_MOST_ENTRIES, ADOPT_MOST_SHARE, ADOPT_MOST_SIMILAR, ADOPT_SIMILAR, EntryStories
from reader.stories.storage import related_key
from reader.stories.text import read_words
from libraries import folder_library
from tests.test_stories import GOLD, MAY2023, shown

_DAY = 86_400.0
_START = 1_600_000_000.0
_LANDING = "The Zephyrine rover landed on the Ganymede ice shelf after a decade in transit, its operators at Kestrel Dynamics said."
#: Two reports of the landing, as related entries.
_REPORTS = (Related("one.org/rover", "Zephyrine rover lands on Ganymede ice shelf", _LANDING, None),
            Related("two.org/rover", "Kestrel Dynamics lands its Zephyrine rover on Ganymede", _LANDING, None))
_FILLER = [Item(f"f{n}", _START + n * 0.01 * _DAY, read_words(f"Unrelated note {n} on gardening", "Tomatoes and beans."),
                frozenset({f"example.org/f{n}"})) for n in range(30)]


def _grouped(title: str, excerpt: str, *listed: Related) -> tuple[stories.Grouper, EntryStories]:
    """A column lists the two reports (an entry story), then a document (``title``,
    ``excerpt``) listing ``listed`` comes a day later."""
    grouper = stories.Grouper()
    entries = EntryStories(grouper)
    column = Item("column", _START + _DAY, read_words("Column on the week", "Thoughts about many things."),
                  frozenset({"example.org/column"}), _REPORTS)
    document = Item("doc", _START + 2 * _DAY, read_words(title, excerpt), frozenset({"example.org/doc"}), listed)
    for item in [*_FILLER, column, document]:
        grouper.add(item)
        entries.add(item)
    return grouper, entries


def test_a_document_reporting_the_event_of_an_entry_story_it_lists_takes_that_story() -> None:
    grouper, entries = _grouped("Zephyrine rover lands on Ganymede", _LANDING, _REPORTS[1])
    assert grouper.claimed == {"one.org/rover": "doc", "two.org/rover": "doc"}
    assert not entries.stories
    assert grouper.groups["doc"].claims == ["one.org/rover", "two.org/rover"]


@pytest.mark.parametrize("listed", [False, True])
def test_a_document_of_other_news_or_that_lists_none_of_its_entries_leaves_the_entry_story(listed: bool) -> None:
    if listed:  # (other news, listing one of the reports)
        grouper, entries = _grouped("Kestrel Dynamics opens a factory in Oslo", "The factory will build drills.", _REPORTS[1])
    else:  # (the same news, listing none of them)
        grouper, entries = _grouped("Zephyrine rover lands on Ganymede", _LANDING)
    (story,) = entries.stories.values()
    assert story.keys == ["one.org/rover", "two.org/rover"]
    assert grouper.claimed == {"one.org/rover": story.id, "two.org/rover": story.id}
    vector = grouper.placed
    cosine = sum(w * story.centroid.get(k, 0.0) for k, w in vector.items()) / story.sq ** 0.5
    assert (cosine < ADOPT_SIMILAR) is listed


def _write(folder: Path, name: str, title: str, excerpt: str, day: str, related: tuple[Related, ...]) -> None:
    lines = [f'---\ntitle: "{title}"\nexcerpt: "{excerpt}"\npublishedDateTime: 2022-{day}T10:00:00Z\n'
             f'webUrl: "https://{name[:-3]}.example/news"\nprovider:\n  name: {name[:-3]}\nrelated:\n']
    lines += [f'  - title: "{r.title}"\n    excerpt: "{r.excerpt}"\n    webUrl: "https://{r.key}"\n' for r in related]
    (folder / name).write_text("".join(lines) + "---\n", encoding="utf-8")


def appended_and_whole(tmp_path: Path, first: Callable[[Path], None], then: Callable[[Path], None]) -> tuple[Any, Any]:
    """What the grouping shows (:func:`shown`) when a library of the folder ``first`` writes
    is synced again after ``then`` writes more (an append), and when a fresh library syncs
    the whole folder at once."""
    folder = tmp_path / "docs"
    folder.mkdir()
    first(folder)
    with Library(tmp_path / "data") as library:
        library.sync([folder])
        then(folder)
        library.sync([folder])
        found = shown(library)
    with Library(tmp_path / "fresh") as library:
        library.sync([folder])
        return found, shown(library)


def test_a_document_appended_takes_the_entry_story_as_grouping_all_at_once_does(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    _write(folder, "column.md", "Column on the week", "Thoughts about many things.", "11-27", _REPORTS)
    with Library(tmp_path / "data") as library:
        library.sync([folder])
        before = shown(library)
        monkeypatch.setattr(stories.storage, "_group_all", lambda *a: pytest.fail("grouped again instead of appended"))
        _write(folder, "report.md", "Zephyrine rover lands on Ganymede", _LANDING, "11-28", _REPORTS[1:])
        library.sync([folder])
        found = shown(library)
        monkeypatch.undo()
    with Library(tmp_path / "fresh") as library:
        library.sync([folder])
        expected = shown(library)
    assert {s for _, s, _, _ in before[1]} == {"entries:column.md#one.org/rover"}  # (a story of entries alone first)
    assert {s for _, s, _, _ in found[1]} == {"report.md"}
    assert found == expected


def test_the_column_still_shows_the_event_it_lists_once_a_document_took_its_story(tmp_path: Path) -> None:
    """The column's pane showed the two reports it lists as one event among its related
    coverage; once a document of the library reports the event and takes that story, the
    column shows the document's story there (the document in the library, the reports not)."""
    folder = tmp_path / "docs"
    folder.mkdir()
    _write(folder, "column.md", "Column on the week", "Thoughts about many things.", "11-27", _REPORTS)
    with Library(tmp_path / "data") as library:
        library.sync([folder])
        (column,) = [a for (a,) in library.db.execute("SELECT id FROM articles")]
        (event,) = stories.reading.listed(library.db, column)
        assert [v.in_library for v in event.versions] == [False, False]
        _write(folder, "report.md", "Zephyrine rover lands on Ganymede", _LANDING, "11-28", _REPORTS[1:])
        library.sync([folder])
        (report,) = [a for (a,) in library.db.execute("SELECT id FROM articles") if a != column]
        (event,) = stories.reading.listed(library.db, column)
        assert event.id == stories.story_of(library.db, report) and event.members == (report,)
        assert sorted(v.in_library for v in event.versions) == [False, False, True]
        assert stories.reading.listed(library.db, report) == ()  # (its own story is its coverage)


#: An explainer of the landing, filed twice under two links (copies of one headline: an
#: entry story), and the landing's words in their excerpt.
_EXPLAINERS = (Related("three.org/rover", "What can the Zephyrine rover do on the Ganymede ice shelf?", _LANDING, None),
               Related("four.org/rover", "What can the Zephyrine rover do on the Ganymede ice shelf?", _LANDING, None))


@pytest.mark.parametrize(("title", "adopted"), [
    ("What can the Zephyrine rover do on the Ganymede ice shelf?", True),  # (a third copy of the explainer)
    ("Why did Kestrel Dynamics send the Zephyrine rover to Ganymede?", False),  # (another piece about it)
])
def test_a_piece_about_the_news_takes_a_story_of_entries_only_as_a_copy_of_its_headline(title: str, adopted: bool) -> None:
    grouper = stories.Grouper()
    entries = EntryStories(grouper)
    column = Item("column", _START + _DAY, read_words("Column on the week", "Thoughts about many things."),
                  frozenset({"example.org/column"}), _EXPLAINERS)
    document = Item("doc", _START + 2 * _DAY, read_words(title, _LANDING), frozenset({"example.org/doc"}), _EXPLAINERS[1:],
                    stories.matching.default_process(title), aside=stories.titles.aside(title))
    for item in [*_FILLER, column, document]:
        grouper.add(item)
        entries.add(item)
    assert document.aside
    assert (grouper.claimed == {"three.org/rover": "doc", "four.org/rover": "doc"}) is adopted
    if not adopted:  # (as similar as a report would need to be: kept apart by its headline alone)
        (story,) = entries.stories.values()
        cosine = sum(w * story.centroid.get(k, 0.0) for k, w in grouper.placed.items()) / story.sq ** 0.5
        assert cosine >= ADOPT_SIMILAR
    else:
        assert not entries.stories


#: An excerpt that says little of the landing (a document that takes the reports' story by its title).
_SAYS_LITTLE = ("Our correspondent writes from the control room in the small hours, with coffee and cake, tired engineers, "
                "blinking screens, telemetry charts and a cheering crowd of families and friends.")


@pytest.mark.parametrize(("title", "adopted"), [
    ("Rover lands safely on the Ganymede ice shelf", True),  # (the reports' headline reworded)
    ("Kestrel Dynamics has a long night at mission control", False),  # (agrees with none of them)
    ("Kestrel Dynamics", False),  # (a name alone: in one report's title, but no headline)
])
def test_a_document_saying_little_but_titled_as_the_reports_takes_their_story(title: str, adopted: bool) -> None:
    """A document whose excerpt says little of the event (a cosine with the entry story's
    centroid below ADOPT_SIMILAR) takes the story when its title is the reports' headline
    reworded (token-set ratio at least ENTRY_TITLE with half of them or more; a title of a
    name alone is in every title with that name, and takes none)."""
    grouper = stories.Grouper()
    entries = EntryStories(grouper)
    column = Item("column", _START + _DAY, read_words("Column on the week", "Thoughts about many things."),
                  frozenset({"example.org/column"}), _REPORTS)
    document = Item("doc", _START + 2 * _DAY, read_words(title, _SAYS_LITTLE), frozenset({"example.org/doc"}), _REPORTS[1:],
                    stories.matching.default_process(title))
    for item in [*_FILLER, column, document]:
        grouper.add(item)
        if item is document:  # (how similar it is to the entry story, before it may take it)
            (story,) = entries.stories.values()
            cosine = sum(w * story.centroid.get(k, 0.0) for k, w in grouper.placed.items()) / story.sq ** 0.5
            assert stories.matching.SAME_TITLE_COSINE <= cosine < ADOPT_SIMILAR
        entries.add(item)
    assert (grouper.claimed == {"one.org/rover": "doc", "two.org/rover": "doc"}) is adopted
    assert bool(entries.stories) is not adopted


def test_a_document_taking_the_entry_story_by_its_title_groups_as_at_once_when_appended_retitled_or_removed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A document appended takes the column's story of the two reports by its title (its
    excerpt says little of the landing); retitled as another piece, or removed, it leaves
    them a story of entries alone again: each time what one sync of the folder as it is writes."""
    folder = tmp_path / "docs"
    folder.mkdir()

    def at_once(name: str) -> tuple[Any, ...]:
        with Library(tmp_path / name) as fresh:
            fresh.sync([folder])
            return shown(fresh)

    _write(folder, "column.md", "Column on the week", "Thoughts about many things.", "11-27", _REPORTS)
    with Library(tmp_path / "data") as library:
        library.sync([folder])
        full = stories.storage._group_all
        monkeypatch.setattr(stories.storage, "_group_all", lambda *a: pytest.fail("grouped again instead of appended"))
        _write(folder, "doc.md", "Rover lands safely on the Ganymede ice shelf", _SAYS_LITTLE, "11-28", _REPORTS[1:])
        library.sync([folder])
        monkeypatch.setattr(stories.storage, "_group_all", full)
        found = shown(library)
        assert {s for _, s, _, _ in found[1]} == {"doc.md"}
        assert found == at_once("appended")
        _write(folder, "doc.md", "Kestrel Dynamics has a long night at mission control", _SAYS_LITTLE, "11-28", _REPORTS[1:])
        library.sync([folder])
        found = shown(library)
        assert {s for _, s, _, _ in found[1]} == {"entries:column.md#one.org/rover"}
        assert found == at_once("retitled")
        _write(folder, "doc.md", "Rover lands safely on the Ganymede ice shelf", _SAYS_LITTLE, "11-28", _REPORTS[1:])
        library.sync([folder])
        assert {s for _, s, _, _ in shown(library)[1]} == {"doc.md"}
        (folder / "doc.md").unlink()
        library.sync([folder])
        found = shown(library)
        assert {s for _, s, _, _ in found[1]} == {"entries:column.md#one.org/rover"}
        assert found == at_once("removed")


#: Four reports of one harbour trial, of the hours before a document that lists them, each in
#: words of its own besides the trial's.
_TRIAL = (("Quillfeather robots unload a freighter at Gdynia",
           "The machines worked through the night at the container terminal, the port authority said."),
          ("Gdynia port authority praises Quillfeather robots",
           "Dockers watched the robots unload a freighter from Rotterdam in six hours."),
          ("Quillfeather's harbour robots pass Gdynia freighter trial",
           "The Polish start-up's cranes lifted 400 containers without a stop."),
          ("Robots unload a freighter at Gdynia in night trial",
           "Quillfeather says its software steered every lift on the quay."))
#: A document on the trial whose excerpt says little of it: below ADOPT_SIMILAR with the story of
#: the four reports, and below the bar with each of them.
_BALTIC = ("Quillfeather robots unload ships in Baltic ports",
           "The Polish start-up says its machines now work overnight in three Baltic harbours after a trial on the "
           "quay, the port authority said.")
#: Other news of that day.
_OTHER = (("Pottery fair draws crowds in Lund", "Potters from Skane sold bowls and jugs."),
          ("Cheese makers win prize in Bern", "A cave-aged gruyere took the gold medal."),
          ("Kite flyers gather on Fano beach", "Hundreds of kites filled the sky over the dunes."),
          ("Jazz quartet tours Norway", "The quartet plays eleven towns in two weeks."),
          ("Tulip harvest begins early in Lisse", "Growers blame a warm March for the early bloom."),
          ("Chess prodigy wins open in Reykjavik", "The twelve-year-old beat three grandmasters."),
          ("Rowing club restores old boathouse", "Volunteers replaced the roof and the jetty."),
          ("Poetry prize shortlist announced", "Six collections made the list this year."))


def _trial_listed(hours: Sequence[int], others: int) -> tuple[stories.Grouper, EntryStories, set[str]]:
    """The document on the trial (:data:`_BALTIC`), listing reports of it (:data:`_TRIAL`) dated
    ``hours`` from it and ``others`` other news of its day, grouped after the filler; and the
    keys of the reports."""
    when = _START + 2 * _DAY
    listed = [Related(f"r{n}.org/quay", title, excerpt, when + 3_600 * hour)
              for n, ((title, excerpt), hour) in enumerate(zip(_TRIAL[:len(hours)], hours, strict=True))]
    listed += [Related(f"o{n}.org/news", title, excerpt, when) for n, (title, excerpt) in enumerate(_OTHER[:others])]
    grouper = stories.Grouper()
    entries = EntryStories(grouper)
    document = Item("doc", when, read_words(*_BALTIC), frozenset({"example.org/doc"}), tuple(listed))
    for item in [*_FILLER, document]:
        grouper.add(item)
        entries.add(item)
    return grouper, entries, {r.key for r in listed[:len(hours)]}


@pytest.mark.parametrize(("reports", "others", "takes"), [(4, 2, True), (4, 8, False), (3, 1, False)])
def test_a_document_takes_the_story_of_most_of_its_list_at_a_lower_bar(reports: int, others: int, takes: bool) -> None:
    """A document whose excerpt says little of the event (below ADOPT_SIMILAR with the story of
    its reports, and below the bar with each) takes the story of the reports of its list
    around its time at ADOPT_MOST_SIMILAR when that story holds ADOPT_MOST_ENTRIES of its
    entries and ADOPT_MOST_SHARE of its list: four reports among six entries; not four among
    twelve (a list of the day's news), nor three among four."""
    grouper, entries, trial = _trial_listed([-n for n in range(reports)], others)
    if takes:
        assert {k for k, story in grouper.claimed.items() if story == "doc"} == trial
        assert not entries.stories
    else:
        (story,) = [s for s in entries.stories.values() if trial & set(s.keys)]
        assert set(story.keys) == trial and not any(s == "doc" for s in grouper.claimed.values())
        vector = grouper.placed
        cosine = sum(w * story.centroid.get(k, 0.0) for k, w in vector.items()) / story.sq ** 0.5
        assert ADOPT_MOST_SIMILAR <= cosine < ADOPT_SIMILAR  # (what the texts say: only the share keeps it apart)


#: Two more reports of the harbour trial, which a column lists before the document.
_MORE_TRIAL = (("Polish start-up's robots unload a freighter at Gdynia",
                "The port authority said Quillfeather's machines worked overnight on the quay."),
               ("Robots do the dockers' night shift at Gdynia",
                "Quillfeather's machines unloaded a freighter overnight on the quay, the port authority said."))


@pytest.mark.parametrize(("column", "reports", "others", "takes"), [
    ((0, 1, 2, 3, 4, 5), 1, 1, False),  # (one report of a story of six that the column made: one of its entries)
    ((4, 5), 3, 1, False),  # (three of the five reports of the story: three of its entries, as without the column)
    ((4, 5), 4, 2, True),  # (four of its six entries: the column's two reports are taken with them)
])
def test_only_the_entries_a_document_lists_count_towards_most_of_its_list(
        column: tuple[int, ...], reports: int, others: int, takes: bool) -> None:
    """The share is of the document's own list: a story of entries that a column's list made
    of other reports of the event holds ADOPT_MOST_ENTRIES and ADOPT_MOST_SHARE of it only
    when the document lists that many of them itself (a document listing one report of a
    story of six, between a cosine of ADOPT_MOST_SIMILAR and ADOPT_SIMILAR, is no list of its
    reports)."""
    when = _START + 2 * _DAY
    trial = [Related(f"r{n}.org/quay", title, excerpt, when - 3_600 * (n + 1))
             for n, (title, excerpt) in enumerate(_TRIAL + _MORE_TRIAL)]
    listed = trial[:reports] + [Related(f"o{n}.org/news", title, excerpt, when) for n, (title, excerpt) in enumerate(_OTHER[:others])]
    grouper = stories.Grouper()
    entries = EntryStories(grouper)
    earlier = Item("column", when - 1_800, read_words("Column on the week", "Thoughts about many things."),
                   frozenset({"example.org/column"}), tuple(trial[n] for n in column))
    document = Item("doc", when, read_words(*_BALTIC), frozenset({"example.org/doc"}), tuple(listed))
    for item in [*_FILLER, earlier, document]:
        grouper.add(item)
        if item is document:  # (one story of the reports, as similar to the document as the rule asks)
            (story,) = entries.stories.values()
            cosine = sum(w * story.centroid.get(k, 0.0) for k, w in grouper.placed.items()) / story.sq ** 0.5
            assert ADOPT_MOST_SIMILAR <= cosine < ADOPT_SIMILAR
        entries.add(item)
    held = {r.key for r in trial[:reports]} | {trial[n].key for n in column}
    assert len(held) >= ADOPT_MOST_ENTRIES and len(held) >= ADOPT_MOST_SHARE * len(listed)  # (the story's size would do)
    assert ({k for k, story in grouper.claimed.items() if story == "doc"} == held) is takes
    assert bool(entries.stories) is not takes


@pytest.mark.parametrize(("folder", "document", "reports"), [
    ("week2023", "2023-03-15-google-previews-generative-ai-features-for-workspace-users-developers.md", 5),
    ("week2022", "2022-11-18-qualcomm-debuts-latest-flagship-snapdragon-chip-and-a-new-ai-platform.md", 5),
    ("aug2023", "2023-08-22-us-judge-art-created-solely-by-artificial-intelligence-cannot-be-copyrighted.md", 5),
    ("dec2023", "2023-12-09-eu-agrees-landmark-rules-on-artificial-intelligence.md", 10),
    ("jan2024", "2024-01-19-metas-artificial-general-intelligence-ceo-mark-zuckerbergs-new-focus.md", 10),
])
@pytest.mark.parametrize("plan", ["one at a time", "reversed, two or three at a time"])
def test_documents_that_take_the_story_of_most_of_their_list_group_as_at_once_in_any_order(
        tmp_path: Path, folder: str, document: str, reports: int, plan: str) -> None:
    """Google's Workspace document, Qualcomm's Snapdragon document, Ars Technica's of a US
    judge's ruling on AI-made art, the EU's deal on its AI Act (0.328) and Meta's plan to
    build general intelligence (0.325) take the story of the reports of their lists by its
    share (below ADOPT_SIMILAR): synced one document at a time in
    the order of their names (Qualcomm's, whose link an earlier document lists, grouped again
    with it) or two and three at a time from the newest, the library holds what one sync of
    the folder writes."""
    source = Path(__file__).parent / "data" / folder
    files = sorted(p for p in source.iterdir() if p.suffix == ".md")
    with Library(tmp_path / "whole") as library:
        library.sync([source])
        expected = shown(library)
    assert sum(story == document for _, story, _, _ in expected[1]) >= reports  # (the story of the reports, taken)
    docs = tmp_path / "docs"
    docs.mkdir()
    if plan == "one at a time":
        batches = [[p] for p in files]
    else:
        files.reverse()
        batches = []
        while files:
            batches.append(files[:3 if len(batches) % 2 else 2])
            del files[:len(batches[-1])]
    with Library(tmp_path / "data") as library:
        for batch in batches:
            for path in batch:
                shutil.copyfile(path, docs / path.name)
            library.sync([docs])
        assert shown(library) == expected


@pytest.mark.parametrize(("hours", "takes"), [
    ((1, 2, 3, 30), True),  # (the reports began with the document; a late one came a day after)
    ((1, 2, 3, 4), True),
    ((-30, -20, -10, -2), True),  # (the reports it sums up, from the day before)
    ((14, 15, 16, 40), False),  # (reports that began half a day after it: a follow-up's)
])
def test_a_document_takes_the_story_of_its_reports_that_began_around_it(hours: tuple[int, ...], takes: bool) -> None:
    """Whether a story of related entries is around a document (the lower bar of most of its
    list) is told by when the story began — its first entry from AGAIN_BEFORE_HOURS before
    the document to AGAIN_HOURS after it — however late its last: reports of one event go on
    for a day or two, while a follow-up's begin later."""
    grouper, entries, trial = _trial_listed(hours, 2)
    assert ({k for k, story in grouper.claimed.items() if story == "doc"} == trial) is takes
    if not takes:
        (story,) = entries.stories.values()
        assert set(story.keys) == trial  # (the reports are one story all the same, of their own)


#: The White House's meeting with the heads of AI firms (4 May 2023): ZDNet's document lists
#: the meeting's reports of 4 and 5 May (and pieces about it).
MEETING = "2023-05-04-openai-microsoft-and-alphabet-ceos-to-discuss-ai-with-biden-administration-today.md"


def test_a_document_takes_the_story_of_its_reports_that_went_on_into_the_next_day(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The reports of the meeting began with the document and went on into the next day:
    the story of them is around it, and its story takes them. Of the entries of its list that
    the gold labels call its event (15), its story holds at least ten (four when the story's
    last report had to be within AGAIN_HOURS of it)."""
    gold = json.loads(GOLD.read_text(encoding="utf-8"))["pairs"]
    labels = {(p["b"] if p["a"] == MEETING else p["a"]): p["same"] for p in gold
              if p.get("set") == "may2023" and MEETING in (p["a"], p["b"])}
    same = {int(item.split("#")[1]) for item, label in labels.items() if label and item.startswith(MEETING + "#")}
    assert len(same) == 15
    with contextmanager(folder_library)(tmp_path_factory, MAY2023) as library:
        (article,) = [a for (a,) in library.db.execute("SELECT id FROM articles") if Path(library.paths(a)[0]).name == MEETING]
        (story,) = library.db.execute("SELECT story FROM story_members WHERE article = ?", (article,)).fetchone()
        related = json.loads(library.db.execute("SELECT json_extract(data, '$.related') FROM articles WHERE id = ?",
                                                (article,)).fetchone()[0])
        held = dict(library.db.execute("SELECT key, story FROM story_related"))
    taken = {n for n, entry in enumerate(related) if held.get(related_key(entry)) == story}
    assert len(taken & same) >= 10
