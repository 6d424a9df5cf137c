"""Stories of related entries alone (reader.stories.related), on real documents of
tests/data/corpus. What each document lists was read by hand (tests/data/stories_gold.json
labels the same pairs)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader import stories
from reader.library import Library
from reader.stories import storage
from reader.stories.model import Item, Related
from reader.stories.related import (ENTRIES_SIMILAR, PREFIX, SAME_TIME_HOURS, SIBLINGS_SIMILAR, SIMILAR_PER_DAY, EntryGroup,
                                    EntryStories)
from reader.stories.storage import related_key
from reader.stories.text import WORDS, read_words
from libraries import folder_library

CORPUS = Path(__file__).parent / "data" / "corpus"
#: A local piece on a Tesla crash in Columbus. Its entries #0 and #2 to #8 report NHTSA's
#: figures of crashes with driver-assist systems (273 Teslas, 90 Hondas, nearly 400 in all);
#: #1 is Elon Musk saying self-driving decides what Tesla is worth: other news.
CRASHES = "2022-06-13-whos-driving-that-car-tesla-crashes-cast-cloud-over-autopilot-feature.md"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    """The corpus in one library (rarity is the corpus's, as the gold set is measured)."""
    yield from folder_library(tmp_path_factory, CORPUS)


def _entry_keys(library: Library, name: str) -> tuple[str, list[str]]:
    """The id of the document ``name`` and the keys of its related entries, in order."""
    (article_id,) = [a for (a,) in library.db.execute("SELECT id FROM articles")
                     if Path(library.paths(a)[0]).name == name]
    related = library.db.execute("SELECT json_extract(data, '$.related') FROM articles WHERE id = ?",
                                 (article_id,)).fetchone()[0]
    return article_id, [related_key(e) or "" for e in json.loads(related)]


def test_entries_that_report_one_event_the_document_only_lists_are_a_story_of_their_own(corpus: Library) -> None:
    library = corpus
    article_id, keys = _entry_keys(library, CRASHES)
    held = dict(library.db.execute("SELECT key, story FROM story_related"))
    nhtsa = {held.get(keys[n]) for n in (2, 3, 5, 6, 7)}
    assert len(nhtsa) == 1 and None not in nhtsa
    (story,) = nhtsa
    assert held.get(keys[1]) != story  # Musk's remark is other news
    assert story.startswith(PREFIX)  # not the document's story: it reports a crash in Columbus
    assert library.db.execute("SELECT story FROM story_members WHERE article = ?", (article_id,)).fetchone()[0] != story
    versions = sum(s == story for s in held.values())
    row = library.db.execute("SELECT lead, members, versions FROM stories WHERE story = ?", (story,)).fetchone()
    assert row == (None, 0, versions)  # no document of the library leads it: not in Top stories
    assert story not in stories.top_story_ids(library.db)
    listed = stories.context(library.db, article_id).listed  # what the article pane shows
    (shown,) = [s for s in listed if s.id == story]
    assert len(shown.versions) == versions and not any(v.in_library for v in shown.versions)
    assert {"11Alive", "Detroit News", "Click2Houston", "Madison.com", "Nasdaq"} <= {v.outlet for v in shown.versions}
    assert all(s.id.startswith(PREFIX) and s.id != held.get(keys[1]) for s in listed)


def _entry(key: str, title: str, excerpt: str) -> Related:
    return Related(key, title, excerpt, None)


def _item(item_id: str, day: float, *entries: Related) -> Item:
    words = read_words(f"Column {item_id} on the week", f"Thoughts {item_id} about many things.")
    return Item(item_id, 1_600_000_000.0 + day * 86_400, words, frozenset({f"example.org/{item_id}"}), entries)


_LAUNCH = ("Zephyrine rover lands on Ganymede ice shelf", "The Zephyrine rover landed on the Ganymede ice shelf, "
           "its operators at Kestrel Dynamics said.")


@pytest.mark.parametrize("apart_days", [3.0, 40.0])
def test_an_entry_story_is_bounded_in_time_and_an_entry_is_in_one_story(apart_days: float) -> None:
    grouper = stories.Grouper()
    entries = EntryStories(grouper)
    filler = [_item(f"f{n}", n * 0.01, _entry(f"other.org/{n}", f"Unrelated note {n} on gardening", "Tomatoes.")) for n in range(30)]
    for item in filler:
        grouper.add(item)
        entries.add(item)
    first = _item("a", 1.0, _entry("one.org/rover", *_LAUNCH), _entry("two.org/rover", *_LAUNCH))
    later = _item("b", 1.0 + apart_days, _entry("three.org/rover", *_LAUNCH), _entry("one.org/rover", *_LAUNCH))
    for item in (first, later):
        grouper.add(item)
        entries.add(item)
    claimed = {k: s for k, s in grouper.claimed.items() if "rover" in k}
    assert claimed["one.org/rover"] == claimed["two.org/rover"]  # (one.org, listed twice, counted once)
    if apart_days < stories.WINDOW_DAYS:
        assert claimed.get("three.org/rover") == claimed["one.org/rover"]
        assert entries.stories[claimed["one.org/rover"]].keys == ["one.org/rover", "two.org/rover", "three.org/rover"]
    else:
        assert "three.org/rover" not in claimed  # alone, too late for the first story


def test_an_entry_dated_far_ahead_keeps_no_other_entry_group_open() -> None:
    """An article lists an entry dated 2099 (a typo); one listed months later by another
    article is grouped again from scratch: two articles five months apart list the same two
    reports of one launch, and the later one's entries make a story of their own, as they do
    without the typo."""
    def grouped(with_typo: bool) -> dict[str, str]:
        grouper = stories.Grouper()
        entries = EntryStories(grouper)
        first = [_entry("two.org/rover", *_LAUNCH)]
        if with_typo:
            first.append(Related("fair.org/pottery", "Pottery fair schedule", "Pottery.", 4_070_908_800.0))
        items = [_item("a", 0.0, *first), _item("b", 150.0, _entry("two.org/rover", *_LAUNCH), _entry("one.org/rover", *_LAUNCH))]
        for item in items:
            grouper.add(item)
            entries.add(item)
        return {k: s for k, s in grouper.claimed.items() if "rover" in k}

    assert grouped(with_typo=False) == grouped(with_typo=True) != {}


def test_a_new_document_that_is_a_grouped_entry_groups_the_library_again(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Appending would leave the entry where it was grouped (even once its group can take no
    entry any more, as here); grouping everything again (the stories of any
    order of adding) never groups an entry that is an article of the library."""
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(CORPUS / CRASHES, folder / CRASHES)
    with Library(tmp_path / "data") as library:
        library.sync([folder])
        _, keys = _entry_keys(library, CRASHES)
        entries = storage._cache[id(library.db)].entries
        assert entries.considered(keys[1])  # Musk's remark: no story of the library claimed it
        (folder / "later.md").write_text(  # a month later: its group can take no entry any more
            "---\ntitle: \"Harbour robots unload the freighter at night\"\n"
            "excerpt: \"Port authority robots unloaded the freighter overnight.\"\n"
            "publishedDateTime: 2022-07-15T10:00:00Z\nwebUrl: \"https://example.org/harbour\"\n---\n", encoding="utf-8")
        library.sync([folder])
        assert not entries.pending(keys[1]) and entries.considered(keys[1])
        full = storage._group_all
        calls: list[int] = []
        monkeypatch.setattr(storage, "_group_all", lambda *a: (calls.append(1), full(*a))[1])
        related = json.loads(library.db.execute("SELECT json_extract(data, '$.related') FROM articles").fetchone()[0])
        (folder / "musk.md").write_text(
            "---\ntitle: \"Elon Musk says solving self-driving is the difference between Tesla being worth a lot or nothing\"\n"
            "excerpt: \"Elon Musk made an interesting comment about Tesla's effort to develop self-driving.\"\n"
            f"publishedDateTime: 2022-07-20T10:00:00Z\nwebUrl: \"{related[1]['url']}\"\n---\n", encoding="utf-8")
        library.sync([folder])
        assert calls == [1]
        assert keys[1] not in dict(library.db.execute("SELECT key, story FROM story_related"))


class _Unshared(stories.Grouper):
    """A grouper that reads a related entry's words again each time they are asked for."""

    def entry_tokens(self, entry: Related) -> set[str]:
        return set(WORDS.findall(f"{entry.title}\n{entry.excerpt}".lower()))

    def entry_vector(self, entry: Related) -> dict[str, float]:
        return self.weights.vector(read_words(entry.title, entry.excerpt))


def _group_entries(grouper: stories.Grouper, items: list[Item]) -> tuple[dict[str, str], dict[str, list[str]], dict[str, list[str]]]:
    entries = EntryStories(grouper)
    for item in items:
        if item.published is not None:
            grouper.add(item)
            entries.add(item)
    claims = {story: list(group.claims) for story, group in grouper.groups.items() if group.claims}
    return dict(grouper.claimed), claims, {story: group.keys for story, group in entries.stories.items()}


def test_an_entry_read_once_for_both_kinds_of_story_gives_the_same_stories(corpus: Library) -> None:
    """The grouper and the stories of entries alone share each entry's words and vector: the
    same claims and entry stories as reading them afresh each time, on the real documents."""
    items = sorted((storage._read(row)[0] for row in corpus.db.execute(storage._ROWS_SQL)), key=lambda i: i.order)
    shared = _group_entries(stories.Grouper(k for i in items for k in i.url_keys), items)
    fresh = _group_entries(_Unshared(k for i in items for k in i.url_keys), items)
    assert shared == fresh
    assert len(shared[0]) >= 20 and shared[2]  # (entries claimed by both kinds of story)


def test_an_entry_vector_is_read_again_once_the_next_article_is_counted() -> None:
    """Two articles list the same entry; the words of the articles between them make its words
    commoner: the second article's entry weighs them as the library does then."""
    entry = _entry("one.org/rover", *_LAUNCH)
    grouper = stories.Grouper()
    grouper.add(_item("a", 1.0, entry))
    before = grouper.entry_vector(entry)
    assert before == grouper.weights.vector(read_words(entry.title, entry.excerpt))
    for n in range(5):
        grouper.add(Item(f"z{n}", 1_600_000_000.0 + (1.1 + n * 0.01) * 86_400,
                         read_words(f"Zephyrine update {n}", "Kestrel Dynamics reports on the Zephyrine."), frozenset()))
    grouper.add(_item("b", 2.0, entry))
    after = grouper.entry_vector(entry)
    assert after == grouper.weights.vector(read_words(entry.title, entry.excerpt))
    assert after["zephyrine"] < before["zephyrine"]  # (commoner now)
    assert grouper.entry_tokens(entry) == set(WORDS.findall(f"{entry.title}\n{entry.excerpt}".lower()))


def _two_entries(first: tuple[str, str], second: tuple[str, str]) -> EntryStories:
    grouper = stories.Grouper()
    entries = EntryStories(grouper)
    filler = [_item(f"f{n}", n * 0.01, _entry(f"other.org/{n}", f"Unrelated note {n} on gardening", "Tomatoes.")) for n in range(30)]
    for item in [*filler, _item("a", 1.0, _entry("one.org/q", *first), _entry("two.org/q", *second))]:
        grouper.add(item)
        entries.add(item)
    return entries


def _rounds(entries: EntryStories) -> list[EntryGroup]:
    return [s for s in entries.stories.values() if "one.org/q" in s.keys or "two.org/q" in s.keys]


#: Two reports of one funding round: one headline (reworded), excerpts that share little.
_ROUND = ("Quillfeather, a startup out of Poland, picks up $8.6M for its pick-and-place harbour robots",
          "Now a startup is widening the scope of what those machines can do on the quays, where much of the "
          "hardware still seems clunky and outmoded next to the software that steers it.")
_ROUND_AGAIN = ("Quillfeather's pick-and-place harbour robots raise $8.6M",
                "Since automation relieves dock workers of tedious tasks, the company claimed its arms offer "
                "high flexibility and cut the cost per lift, added the founders in a statement on Tuesday.")


def test_two_entries_with_one_headline_are_one_story_though_their_excerpts_differ() -> None:
    (story,) = _rounds(_two_entries(_ROUND, _ROUND_AGAIN))
    assert story.keys == ["one.org/q", "two.org/q"]
    # (their words alone are not enough: it is the headline)
    grouper = stories.Grouper()
    a, b = grouper.weights.vector(read_words(*_ROUND)), grouper.weights.vector(read_words(*_ROUND_AGAIN))
    assert sum(w * b.get(k, 0.0) for k, w in a.items()) < ENTRIES_SIMILAR


def test_a_short_headline_in_common_is_not_enough() -> None:
    short = "Quillfeather harbour robots raise $8.6M"  # (five words: too few to be one headline)
    assert not _rounds(_two_entries((short, _ROUND[1]), (short, _ROUND_AGAIN[1])))


def _words(prefix: str, count: int) -> str:
    return " ".join(f"{prefix}{n}" for n in range(count))


def test_an_entry_alone_looks_again_once_the_other_entries_of_its_article_formed_a_story() -> None:
    """Three entries of one article, taken in the order of their keys: the first shares a
    quarter of its words with each of the two others, which share more than a third of theirs
    with each other. Compared with each alone it is below the bar; compared with the story
    the two made (their centroid) it is above it: the entry joins that story."""
    x_y, x_z, y_z = _words("aaxy", 5), _words("abxz", 5), _words("acyz", 7)
    first = _entry("a.org/x", "zzxa zzxb", f"{x_y} {x_z} {_words('zzxc', 8)}")  # 20 words each
    second = _entry("b.org/y", "zzya zzyb", f"{x_y} {y_z} {_words('zzyc', 6)}")
    third = _entry("c.org/z", "zzza zzzb", f"{x_z} {y_z} {_words('zzzc', 6)}")
    grouper = stories.Grouper()
    entries = EntryStories(grouper)
    item = _item("a", 1.0, third, first, second)
    grouper.add(item)
    entries.add(item)
    vectors = [grouper.entry_vector(e) for e in (first, second, third)]
    cosine = [[sum(w * v.get(k, 0.0) for k, w in u.items()) for v in vectors] for u in vectors]
    assert cosine[0][1] < ENTRIES_SIMILAR and cosine[0][2] < ENTRIES_SIMILAR <= cosine[1][2]  # (what the texts say)
    (story,) = entries.stories.values()
    assert story.keys == ["b.org/y", "c.org/z", "a.org/x"]
    assert grouper.claimed["a.org/x"] == story.id


def test_a_story_an_articles_entries_started_joins_the_story_holding_a_copy_of_its_headline() -> None:
    """Five entries of one article, taken in the order of their keys: a wire report (c) and
    its copy (d) under one headline, c with the preview's words, d with the launch's. c comes
    before d has joined the launch's story (a, b), so it starts a story of its own, which e,
    another preview, joins; d joins the launch's story (its words). Copies of one headline
    are one report: once the article's entries are placed, the story c started joins the
    launch's story."""
    launch, preview = _words("ppl", 20), _words("qqp", 20)
    copied = "wwc0 wwc1 wwc2 wwc3 wwc4 wwc5"  # (six words: a headline)
    a = _entry("a.org/1", "wwa0 wwa1 wwa2 wwa3 wwa4 wwa5", launch)
    b = _entry("b.org/2", "wwb0 wwb1 wwb2 wwb3 wwb4 wwb5", launch)
    c = _entry("c.org/3", copied, preview)
    d = _entry("d.org/4", copied, launch)
    e = _entry("e.org/5", "wwe0 wwe1 wwe2 wwe3 wwe4 wwe5", preview)
    grouper = stories.Grouper()
    entries = EntryStories(grouper)
    item = _item("a", 1.0, e, d, c, b, a)
    grouper.add(item)
    entries.add(item)
    (story,) = entries.stories.values()
    assert sorted(story.keys) == ["a.org/1", "b.org/2", "c.org/3", "d.org/4", "e.org/5"]
    assert story.keys[:3] == ["a.org/1", "b.org/2", "d.org/4"]  # (the launch's story, which c's joined)
    assert {grouper.claimed[key] for key in story.keys} == {story.id}
    # (what the texts say: c and d meet only by their headline; c and e by their words)
    c_vector, d_vector, e_vector = (grouper.entry_vector(x) for x in (c, d, e))
    assert sum(w * d_vector.get(k, 0.0) for k, w in c_vector.items()) < ENTRIES_SIMILAR
    assert sum(w * e_vector.get(k, 0.0) for k, w in c_vector.items()) >= ENTRIES_SIMILAR


#: CBS on Timnit Gebru's exit from Google (4 December 2020). Its related entries, read by
#: hand: #4 Outlook India reports the exit too; #3 a petition of 1,500 employees and #5 a staff
#: meeting days later are follow-ups, other events that share the story's names.
GEBRU = "2020-12-05-google-ai-researcher-timnit-gebrus-exit-sparks-ethics-bias-concerns.md"


def _stories_of_entries(library: Library, name: str) -> tuple[str, list[str | None]]:
    """The story of the document ``name``, and the story that holds each of its related entries."""
    article_id, keys = _entry_keys(library, name)
    story = library.db.execute("SELECT story FROM story_members WHERE article = ?", (article_id,)).fetchone()[0]
    held = dict(library.db.execute("SELECT key, story FROM story_related"))
    return story, [held.get(key) for key in keys]


def test_a_story_keeps_the_follow_ups_its_document_lists_out(corpus: Library) -> None:
    story, entries = _stories_of_entries(corpus, GEBRU)
    assert entries[4] == story
    assert entries[3] != story and entries[5] != story


#: ScienceDaily's report of one leukaemia study (23 December 2019); its related entries #0
#: (Medindia, "Artificial Intelligence That Tracks Down Leukemia Discovered") and #1
#: ("... tracks down acute myeloid leukaemia") report the same study, retitled, with excerpts
#: that share few of its words.
LEUKAEMIA = "2019-12-23-artificial-intelligence-tracks-down-leukemia.md"


def test_a_report_retitled_joins_the_story_of_the_document_that_lists_it(corpus: Library) -> None:
    story, entries = _stories_of_entries(corpus, LEUKAEMIA)
    assert entries[0] == story


def test_a_report_of_the_same_days_news_in_other_words_joins_its_siblings_story(corpus: Library) -> None:
    """CRASHES's entry #4 ("Self-driving and driver-assist technology linked to hundreds of
    crashes, U.S. data shows": nearly 400 crashes, the regulator's first release of data)
    reports the same figures as #0 and #2 to #8, in other words, the same day: it is in their
    story; Musk's remark (#1) is not."""
    _, keys = _entry_keys(corpus, CRASHES)
    held = dict(corpus.db.execute("SELECT key, story FROM story_related"))
    nhtsa = {held.get(keys[n]) for n in (0, 2, 3, 4, 5, 6, 7, 8)}
    assert len(nhtsa) == 1 and None not in nhtsa
    assert held.get(keys[1]) not in nhtsa


#: Bard's opening: the first report's entry #4 (Computerworld, 21 March 2023) and a digest's
#: entry #13 (ARN, the same day) are one headline, "Google opens sign-ups for its Bard AI
#: chatbot", under two links; both documents report the opening.
BARD = "2023-03-22-googles-bard-ai-chatbot-has-now-been-released-to-the-public.md"
BARD_DIGEST = "2023-03-22-the-morning-after-google-expands-access-to-its-ai-chatbot-bard.md"


def test_two_copies_of_one_headline_are_in_one_story(corpus: Library) -> None:
    story, entries = _stories_of_entries(corpus, BARD)
    digest, digest_entries = _stories_of_entries(corpus, BARD_DIGEST)
    assert story == digest  # (both report the opening)
    assert entries[4] == digest_entries[13] == story


def _siblings(shared: int, first_day: float = 1.0, listed_apart: bool = False,
              listed_before: bool = False) -> tuple[EntryStories, list[float]]:
    """An article lists three entries, taken in the order of their keys: the last two share
    most of their words (a story of two entries); the first shares ``shared`` of its 20 words
    with each of them (dated ``first_day``, the article's day being 1; ``listed_apart``: listed
    by another article of that day instead; ``listed_before``: another article of that day
    listed the last two before it). Returns the entry stories and the cosines of the first
    with the other two and with their centroid."""
    common, own = _words("ccyz", 10), _words("aaxy", shared)
    first = Related("a.org/x", "zzxa zzxb", f"{own} {_words('zzxc', 20 - shared)}",
                    1_600_000_000.0 + first_day * 86_400)
    second = _entry("b.org/y", "zzya zzyb", f"{own} {common} {_words('zzyc', 8)}")
    third = _entry("c.org/z", "zzza zzzb", f"{own} {common} {_words('zzzc', 8)}")
    grouper = stories.Grouper()
    entries = EntryStories(grouper)
    items = [_item("a", 1.0, third, second), _item("b", 1.0, first)] if listed_apart else [_item("a", 1.0, third, first, second)]
    if listed_before:
        items.insert(0, _item("p", 0.99, third, second))
    for item in items:
        grouper.add(item)
        entries.add(item)
    u, v, w = (grouper.entry_vector(e) for e in (first, second, third))
    centroid = {k: v.get(k, 0.0) + w.get(k, 0.0) for k in v.keys() | w.keys()}
    dot = sum(x * centroid.get(k, 0.0) for k, x in u.items())
    cosines = [sum(x * v.get(k, 0.0) for k, x in u.items()), sum(x * w.get(k, 0.0) for k, x in u.items()),
               dot / sum(x * x for x in centroid.values()) ** 0.5]
    return entries, cosines


@pytest.mark.parametrize("listed_before", [False, True])
def test_an_entry_of_the_same_article_and_day_joins_the_story_of_its_siblings_at_a_lower_bar(listed_before: bool) -> None:
    """(``listed_before``: whichever article of the day listed its siblings first.)"""
    entries, cosines = _siblings(5, listed_before=listed_before)
    assert max(cosines) < ENTRIES_SIMILAR and cosines[2] >= SIBLINGS_SIMILAR  # (what the texts say)
    (story,) = entries.stories.values()
    assert story.keys == ["b.org/y", "c.org/z", "a.org/x"]


@pytest.mark.parametrize(("shared", "first_day", "listed_apart"), [
    (3, 1.0, False),  # less similar than SIBLINGS_SIMILAR
    (5, 2.5, False),  # a day and a half later: other news
    (5, 1.0, True),  # listed by another article: no sign that it is news of the same day
])
def test_an_entry_less_alike_a_later_day_or_of_another_article_stays_alone(shared: int, first_day: float,
                                                                           listed_apart: bool) -> None:
    entries, cosines = _siblings(shared, first_day, listed_apart)
    assert cosines[2] < ENTRIES_SIMILAR
    if first_day == 1.0 and not listed_apart:
        assert cosines[2] < SIBLINGS_SIMILAR  # (what the texts say)
    (story,) = entries.stories.values()
    assert story.keys == ["b.org/y", "c.org/z"]


_LANDING = "Zephyrine rover lands on Ganymede ice shelf after a decade in transit"


def _copies(days_apart: float, headline: str = _LANDING) -> dict[str, str]:
    """A column lists a report under ``headline`` (one.org) that is none of its news; a day
    later (``days_apart`` after that report) a report of the landing lists the same headline
    under another link (two.org). What each is claimed by."""
    grouper = stories.Grouper()
    filler = [_item(f"f{n}", n * 0.01, _entry(f"other.org/{n}", f"Unrelated note {n} on gardening", "Tomatoes.")) for n in range(30)]
    column = _item("a", 1.0, Related("one.org/rover", headline, "Operators cheered in the control room.",
                                     1_600_000_000.0 + 1.0 * 86_400))
    words = read_words(_LANDING, "The Zephyrine rover landed on the Ganymede ice shelf, its operators at Kestrel Dynamics said.")
    when = 1_600_000_000.0 + (1.0 + days_apart) * 86_400
    report = Item("b", when, words, frozenset({"example.org/b"}),
                  (Related("two.org/rover", _LANDING, "Kestrel Dynamics said the Zephyrine rover landed on Ganymede.", when),))
    for item in [*filler, column, report]:
        grouper.add(item)
    return {k: s for k, s in grouper.claimed.items() if "rover" in k}


def test_a_story_takes_the_copies_of_a_headline_it_holds_listed_before_it() -> None:
    claimed = _copies(1.0)
    assert claimed == {"two.org/rover": "b", "one.org/rover": "b"}


@pytest.mark.parametrize(("days_apart", "headline"), [
    (3.0, _LANDING),  # three days apart: another day's report under that headline
    (1.0, _LANDING.replace("Ganymede", "Europa")),  # another headline
])
def test_a_headline_days_apart_or_another_one_is_no_copy(days_apart: float, headline: str) -> None:
    assert _copies(days_apart, headline) == {"two.org/rover": "b"}


def test_copies_left_long_before_are_forgotten_and_not_taken() -> None:
    """Two columns list the headline under two links the same day; a report of the landing
    twenty days later, under a third link, takes neither (they are forgotten: a story's
    window has passed since)."""
    grouper = stories.Grouper()
    left = [_item(c, day, Related(f"{c}.org/rover", _LANDING, "Operators cheered in the control room.", None))
            for c, day in (("a", 1.0), ("b", 1.5))]
    words = read_words(_LANDING, "The Zephyrine rover landed on the Ganymede ice shelf, its operators at Kestrel Dynamics said.")
    when = 1_600_000_000.0 + 21.0 * 86_400
    report = Item("r", when, words, frozenset({"example.org/r"}),
                  (Related("two.org/rover", _LANDING, "Kestrel Dynamics said the Zephyrine rover landed on Ganymede.", when),))
    for item in [*left, report]:
        grouper.add(item)
    assert {k: s for k, s in grouper.claimed.items() if "rover" in k} == {"two.org/rover": "r"}


def _document(folder: Path, name: str, title: str, text: str, when: str, url: str,
              related: tuple[tuple[str, str, str | None, str], ...] = ()) -> None:
    """A news document ``name`` in ``folder``; ``related``: (title, excerpt, date or None, link)."""
    lines = ["---", f"title: {json.dumps(title)}", f"excerpt: {json.dumps(text)}", f"publishedDateTime: {when}",
             f"webUrl: {url}", "type: article", "provider:", f"  name: {url.split('/')[2]}"]
    if related:
        lines.append("related:")
        for entry_title, excerpt, entry_when, link in related:
            lines += [f"  - title: {json.dumps(entry_title)}", f"    excerpt: {json.dumps(excerpt)}",
                      f"    webUrl: {link}", "    provider:", f"      name: {link.split('/')[2]}"]
            if entry_when is not None:
                lines.append(f"    publishedDateTime: {entry_when}")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text("\n".join([*lines, "---", "", text, ""]), encoding="utf-8")


_CHEERED = "Operators cheered in the control room."


def _columns(folder: Path, dated: bool) -> None:
    """Two columns list the landing's headline under one.org (none of their news): one on
    1 January, one on 16 January (a story's window apart); a third column lists nothing."""
    when = {"z.md": "2023-01-01T10:00:00Z", "a.md": "2023-01-16T12:00:00Z"}
    for name, title, text, link in (
            ("z.md", "Gardening column: tomatoes and beans this spring", "Tomatoes want sun and patience; beans climb.",
             "https://garden.example/z"),
            ("a.md", "Cooking column: soups for the winter evenings", "Lentils, onions and a slow simmer make a soup.",
             "https://cook.example/a")):
        _document(folder, name, title, text, when[name], link,
                  ((_LANDING, _CHEERED, when[name] if dated else None, "https://one.org/rover"),))
    _document(folder, "w.md", "Chess column: openings for club players", "The Sicilian defence rewards careful study.",
              "2023-01-17T22:00:00Z", "https://chess.example/w")


def _landing(folder: Path) -> None:
    """The report of the landing, 18 January, listing it under two.org: a copy of the
    headline the second column listed within COPY_DAYS."""
    _document(folder, "b.md", _LANDING, "The Zephyrine rover landed on the Ganymede ice shelf, its operators at Kestrel Dynamics said.",
              "2023-01-18T10:00:00Z", "https://news.example/b",
              ((_LANDING, "Kestrel Dynamics said the Zephyrine rover landed on Ganymede.", "2023-01-18T10:00:00Z",
                "https://two.org/rover"),))


def _grouping(library: Library) -> tuple[list[tuple[str, ...]], ...]:
    """The stored grouping, by file name."""
    name = {a: Path(library.paths(a)[0]).name for (a,) in library.db.execute("SELECT id FROM articles")}
    db = library.db
    return (sorted((name[a], name.get(s, s)) for a, s in db.execute("SELECT article, story FROM story_members")),
            sorted((k, name.get(s, s), name[a], str(e)) for k, s, a, e in db.execute("SELECT key, story, article, entry FROM story_related")),
            sorted((name.get(s, s), *map(str, rest)) for s, *rest in db.execute("SELECT * FROM stories")))


@pytest.mark.parametrize("dated", [True, False])
def test_a_copy_taken_by_a_document_added_later_is_grouped_as_when_all_are_grouped_at_once(tmp_path: Path, dated: bool) -> None:
    """The first listing of one.org's entry is a story's window before the second: what is
    kept of the first grouping must still hold the second column's listing, which the
    landing's story takes as a copy of its headline when the report is added."""
    _columns(tmp_path / "first", dated)
    _landing(tmp_path / "later")
    with Library(tmp_path / "at-once") as library:
        library.sync([tmp_path / "first", tmp_path / "later"])
        at_once = _grouping(library)
    assert ("one.org/rover", "b.md", "a.md", "0") in at_once[1]  # (the copy, as the second column lists it)
    with Library(tmp_path / "added") as library:
        library.sync([tmp_path / "first"])
        library.sync([tmp_path / "first", tmp_path / "later"], group=False)  # (as the window: grouped next)
        assert library.group_stories() == 1  # (appended to the grouping kept)
        assert stories.pending(library.db) == 0
        assert _grouping(library) == at_once


@pytest.mark.parametrize(("edited", "old", "new"), [
    ("a.md", "publishedDateTime: 2023-01-16T12:00:00Z", "publishedDateTime: 2023-01-16T13:00:00Z"),
    ("b.md", "type: article", "type: article\nquality: 40"),
])
def test_a_copy_of_the_headline_stays_in_its_story_when_a_document_changes_until_grouped_again(
        tmp_path: Path, edited: str, old: str, new: str) -> None:
    """The second column (which holds the copy, outside the story) is dated an hour later, or
    the report (the story's document) gets a quality: the story keeps its three versions
    until the library is grouped again."""
    folder = tmp_path / "docs"
    _columns(folder, dated=True)
    _landing(folder)
    with Library(tmp_path / "data") as library:
        library.sync([folder])
        grouped = _grouping(library)
        assert ("one.org/rover", "b.md", "a.md", "0") in grouped[1]
        (versions,) = [v for (v,) in library.db.execute("SELECT versions FROM stories WHERE members = 1 AND versions > 1")]
        assert versions == 3  # (the report, its own entry and the copy)
        path = folder / edited
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        library.sync([folder], group=False)
        assert _grouping(library)[1] == grouped[1]
        assert [v for (v,) in library.db.execute("SELECT versions FROM stories WHERE members = 1 AND versions > 1")] == [3]


_LIFTOFF = "Zorvane rocket lifted off from Kelmora spaceport carrying Brightwell satellites into orbit after delays"
_REHEARSAL = ("Quintar observers expect Vashtek engineers fueling tanks overnight before Tuesday countdown rehearsal "
              "weather permitting")
_MISSION = "Kelmora spaceport hosts Zorvane rocket mission debut"  # (two outlets' copy of one wire headline)


def _launch_lists(folder: Path, names: tuple[str, ...]) -> None:
    """Two columns of 10 March 2023 about other things list reports of one rocket launch:
    ``p.md`` two reports of the lift-off; ``x.md`` a wire report under one headline twice
    (c.org with the rehearsal's words, d.org with the lift-off's) and a report of the
    rehearsal. A third column lists nothing."""
    when = "2023-03-10T10:00:00Z"
    lists = {
        "p.md": ("Science column: bird migration in spring", "Swallows and storks return north each spring.",
                 "2023-03-10T08:00:00Z",
                 (("Brightwell satellites reach orbit aboard new rocket", _LIFTOFF, when, "https://a.org/1"),
                  ("Launch success for Kelmora as satellites deployed", _LIFTOFF + " said officials", when,
                   "https://b.org/2"))),
        "x.md": ("Weekly roundup of gardening and cooking columns", "Tomatoes beans lentils soups simmer patience.",
                 "2023-03-10T12:00:00Z",
                 (("Countdown rehearsal planned as engineers fuel tanks", _REHEARSAL + " again", when, "https://e.org/5"),
                  (_MISSION, _REHEARSAL, when, "https://c.org/3"),
                  (_MISSION, _LIFTOFF + " today", when, "https://d.org/4"))),
        "f.md": ("City council debates parking fees downtown", "Council members argued about meters and fees.",
                 "2023-03-09T12:00:00Z", ()),
    }
    for name in names:
        title, text, published, related = lists[name]
        _document(folder, name, title, text, published, f"https://{name[0]}.example/{name[0]}", related)


@pytest.mark.parametrize("first", [("f.md", "p.md"), ("f.md", "x.md"), ("f.md", "p.md", "x.md")])
def test_a_story_of_entries_joining_one_written_before_is_stored_as_when_all_are_grouped_at_once(
        tmp_path: Path, first: tuple[str, ...]) -> None:
    """x.md's entries, taken in the order of their keys: c.org starts a story the rehearsal's
    report joins, d.org joins p.md's story of the lift-off; c.org's story then joins that
    one, which holds its headline. Grouped with p.md's story already stored, or p.md added
    after x.md, the rows are those of one grouping of all; removing either column leaves
    the rows of a grouping of the other."""
    everything = ("f.md", "p.md", "x.md")
    _launch_lists(tmp_path / "all", everything)
    with Library(tmp_path / "at-once") as library:
        library.sync([tmp_path / "all"])
        at_once = _grouping(library)
    assert sorted(key for key, _, _, _ in at_once[1]) == ["a.org/1", "b.org/2", "c.org/3", "d.org/4", "e.org/5"]
    (story,) = {story for _, story, _, _ in at_once[1]}  # (one story of the five reports, p.md's first)
    assert story.startswith(PREFIX) and story.endswith("#a.org/1")
    folder = tmp_path / "docs"
    with Library(tmp_path / "appended") as library:
        _launch_lists(folder, first)
        library.sync([folder])
        _launch_lists(folder, everything)
        library.sync([folder])
        assert _grouping(library) == at_once
        for removed in ("x.md", "p.md"):
            (folder / removed).unlink()
            library.sync([folder])
            kept = tuple(name for name in everything if name != removed)
            _launch_lists(tmp_path / f"without-{removed}", kept)
            with Library(tmp_path / f"data-without-{removed}") as alone:
                alone.sync([tmp_path / f"without-{removed}"])
                assert _grouping(library) == _grouping(alone)
            _launch_lists(folder, everything)
            library.sync([folder])
            assert _grouping(library) == at_once


#: One report of a harbour's robot launch, and another in partly other words.
_QUAY = ("Quillfeather harbour robots unload the first freighter at Gdynia",
         "Quillfeather's robots unloaded a freighter at the Gdynia quay overnight, the port authority said.")
_QUAY_AGAIN = ("Gdynia port authority praises Quillfeather robots after freighter trial",
               "The port authority of Gdynia praised the Quillfeather robots, which unloaded a freighter in a "
               "night trial watched by dock workers and union delegates from Szczecin and Rostock.")


@pytest.mark.parametrize(("days", "joins"), [(0.0, True), (0.5, True), (1.0, True), (3.0, False), (-3.0, False)])
def test_an_entry_days_from_a_story_of_entries_needs_more_similarity(days: float, joins: bool) -> None:
    """Two copies of one report, dated the same day, are a story of entries; another report of
    the harbour's trial in partly other words (a cosine between the bar and the bar plus
    SIMILAR_PER_DAY for two and a half days) joins it when dated within a day of theirs, and
    stays alone three days before or after: the next event of one saga, days later, in the
    same words (a preview of an event and its recap, three days apart), is another story."""
    grouper = stories.Grouper()
    entries = EntryStories(grouper)
    filler = [_item(f"f{n}", n * 0.01, _entry(f"other.org/{n}", f"Unrelated note {n} on gardening", "Tomatoes.")) for n in range(30)]
    base = 1_600_000_000.0 + 5 * 86_400
    story = _item("a", 5.0, Related("one.org/q", *_QUAY, base), Related("two.org/q", *_QUAY, base))
    other = _item("b", 5.0 + max(days, 0.0) + 0.01, Related("three.org/q", *_QUAY_AGAIN, base + days * 86_400))
    for item in [*filler, story, other]:
        grouper.add(item)
        entries.add(item)
    (group,) = [s for s in entries.stories.values() if "one.org/q" in s.keys]
    # (the two copies' centroid points where either copy's vector does)
    copy, vector = (grouper.entry_vector(Related(key, *text, None)) for key, text in (("one.org/q", _QUAY), ("three.org/q", _QUAY_AGAIN)))
    cosine = sum(w * copy.get(k, 0.0) for k, w in vector.items())
    assert ENTRIES_SIMILAR + 0.05 < cosine < ENTRIES_SIMILAR + SIMILAR_PER_DAY * (3.0 - SAME_TIME_HOURS / 24)  # (the texts)
    assert ("three.org/q" in group.keys) is joins
    assert group.dated == len(group.keys) and group.dates == pytest.approx(base * 2 + (days * 86_400 + base if joins else 0.0))
