"""Links between articles as evidence of one story (reader.stories.matching): an article that
lists another as related coverage, or is listed by it, or lists the same page, meets a lower
bar; two articles that merely share their own link (a podcast feed gives every item the
channel's link) do not. And "the same headline": installments of a series, whose titles differ
in a number or a date, are not one headline again."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.utils import default_process

from reader import stories
from reader.library import Library
from reader.stories import titles
from reader.stories.model import Related
from reader.stories.titles import installments, same_headline
from reader.stories.text import CALENDAR_OTHER, NOT_NAMES

FEEDS = Path(__file__).parent / "data" / "feeds-real"
_DAY = 86_400.0
_START = 1_579_460_400.0  # 2020-01-19 19:00 UTC

# Two items of a podcast feed (pfp-rss20-buzzsprout-shared-link.xml, written anew): one
# word in common ("podcast"), titles whose token-set ratio is 61.
_TRAILER = ("Check out our new podcast!",
            "Studio Talk is the newest show from the people at Acme Audio. Listen on your favorite app.")
_EPISODE = ("The Key to Making Your Podcast Stand Out // Eric Nuzum",
            "In this bonus episode, Travis sits down with Eric Nuzum, who created TED Radio Hour and Invisibilia.")


def _item(item_id: str, days: float, title: str, excerpt: str, url: str, *related: str) -> stories.Item:
    return stories.Item(item_id, _START + days * _DAY, stories.read_words(title, excerpt), frozenset({url}),
                        tuple(Related(key, "A page elsewhere", "", None) for key in related),
                        title=default_process(title), language="en", outlet="studiotalk.example")


def _grouped(*items: stories.Item) -> stories.Grouper:
    grouper = stories.Grouper()
    for item in items:
        grouper.add(item)
    return grouper


@pytest.mark.parametrize(("trailer_lists", "episode_lists", "episode_link", "joined"), [
    ((), (), "studiotalk.example", False),  # one channel link for both, nothing listed
    ((), (), "studiotalk.example/ep2", False),  # links of their own, nothing listed
    ((), ("studiotalk.example",), "studiotalk.example/ep2", True),  # the episode lists the trailer
    (("studiotalk.example/ep2",), (), "studiotalk.example/ep2", True),  # the trailer lists the episode
    (("elsewhere.example/review",), ("elsewhere.example/review",), "studiotalk.example/ep2", True),  # one page both list
    (("studiotalk.example",), ("studiotalk.example",), "studiotalk.example", False),  # each lists only itself
])
def test_only_a_related_listing_is_related_coverage(trailer_lists: tuple[str, ...], episode_lists: tuple[str, ...],
                                                   episode_link: str, joined: bool) -> None:
    """The lower bar for linked coverage needs a listing: one lists the other, or both list the
    same page. The two items share one word and titles alike (token-set ratio 61), far below
    the bar of a similarity of texts; sharing the channel's link says nothing of their news
    (it joined them, "related coverage, and similar (0.61): podcast"), nor does a list that
    names only the item itself."""
    trailer = _item("trailer", 0.0, *_TRAILER, "studiotalk.example", *trailer_lists)
    episode = _item("episode", 4.4, *_EPISODE, episode_link, *episode_lists)
    grouper = _grouped(trailer, episode)
    assert (grouper.story_of["episode"] == grouper.story_of["trailer"]) is joined
    if joined:  # (by the titles: the evidence says so, and calls no ratio of titles a similarity)
        assert grouper.evidence["episode"] == "related coverage, and the titles agree (61 %): podcast"


def test_related_coverage_similar_by_its_text_says_its_cosine() -> None:
    """Linked and similar by their texts (a cosine of 0.30 or more, below 0.40): the evidence
    gives that cosine."""
    excerpt = "Kestrel Dynamics said its Zephyrine rover landed on the Ganymede ice shelf."
    first = _item("first", 0.0, "Zephyrine rover lands on Ganymede", excerpt, "one.example/rover")
    second = _item("second", 0.5, "Kestrel celebrates its rover's landing",
                   "Engineers at Kestrel Dynamics cheered as the Zephyrine rover touched down; the mission now "
                   "turns to drilling, sampling, mapping and a long winter of analysis.", "two.example/rover",
                   "one.example/rover")
    grouper = _grouped(first, second)
    evidence = grouper.evidence.get("second", "")
    assert grouper.story_of["second"] == "first"
    assert evidence.startswith("related coverage, and similar (0.3")


def _library_of(tmp_path: Path, *feeds: str) -> Library:
    folder = tmp_path / "feeds"
    folder.mkdir()
    for name in feeds:
        shutil.copy(FEEDS / name, folder)
    library = Library(tmp_path / "data")
    library.sync([folder])
    return library


def _stories_of(library: Library) -> dict[str, tuple[str, str | None]]:
    """Each article's title -> its story and its evidence."""
    return {title: (story, evidence) for title, story, evidence in library.db.execute(
        "SELECT a.title, m.story, m.evidence FROM articles a JOIN story_members m ON m.article = a.id")}


def test_real_feeds_items_sharing_their_feeds_link_are_not_related_coverage(tmp_path: Path) -> None:
    """Two real feeds whose items share a link: Buzzsprout's podcast feed gives every item the
    channel's link, and a blog gives its posts the one page with an #anchor each (one
    identity). Neither lists related coverage, so no item is anyone's related coverage: the
    podcast's trailer and an interview are two things, and so are the posts "Alpines.js" and
    "HTMX"."""
    with _library_of(tmp_path, "pfp-rss20-buzzsprout-shared-link.xml", "kagi-rss20-same-page-anchor-links.xml") as library:
        (listing,) = library.db.execute("SELECT count(*) FROM articles WHERE json_array_length(json_extract(data, '$.related')) > 0").fetchone()
        placed = _stories_of(library)
    assert listing == 0  # (the feeds as read: nothing lists related coverage)
    assert not [title for title, (_, evidence) in placed.items() if (evidence or "").startswith("related coverage")]
    assert placed["Check out our new podcast!"][0] != placed["The Key to Making Your Podcast Stand Out // Eric Nuzum"][0]
    assert placed["Alpines.js"][0] != placed["HTMX"][0]


# ----------------------------------------------------------------------- the same headline

@pytest.mark.parametrize(("title", "other"), [
    ("MVC postback for users without JavaScript - Post 1", "MVC postback for users without JavaScript - Post 2"),
    ("Minutes of the mozilla.org Staff Meeting of Wednesday 4th January 2006",
     "Minutes of the mozilla.org Staff Meeting of Monday 9th January 2006"),
    ("Prince William County wellness calendar, Aug. 16-23", "Prince William County wellness calendar, Aug. 9-16"),
    ("Crónica de la reunión del consejo del lunes en Sevilla", "Crónica de la reunión del consejo del jueves en Sevilla"),
    ("Notes from the first week of the Rust compiler team", "Notes from the second week of the Rust compiler team"),
    # (December is 12 as the 12th is: once in the first, twice in the second)
    ("Minutes of the mozilla.org Staff Meeting of Monday 5th December 2005",
     "Minutes of the mozilla.org Staff Meeting of Monday 12th December 2005"),
])
def test_installments_of_a_series_are_not_one_headline(title: str, other: str) -> None:
    """Titles that differ in a number, an ordinal, a day or a month (any language whose days
    and months Reader knows) are two installments, however alike the rest."""
    mine, theirs = default_process(title), default_process(other)
    assert installments(mine, theirs)
    assert not same_headline(mine, [theirs])


@pytest.mark.parametrize(("title", "other"), [
    ("Apple unveils its foldable iPhone at an event on Aug. 3, 2021",
     "Apple unveils its foldable iPhone at an event on August 3rd 2021"),  # one date written two ways
    ("Clearview AI ordered to stop scraping faces in Canada",
     "Clearview AI ordered to stop scraping faces in Canada (updated 2020)"),  # a copy that adds a date
    ("Clearview AI ordered to stop scraping faces in Canada", "Clearview AI told to stop scraping faces in Canada"),
    # one number or date written two ways
    ("Tesla posts $1.5 billion profit in third quarter as deliveries climb",
     "Tesla posts $1.5bn profit in 3rd quarter as deliveries climb"),
    ("Storm leaves 250,000 homes without power across the coast", "Storm leaves 250000 homes without power across the coast"),
    ("City council sets the vote for Feb 18, 2021 after long debate",
     "City council sets the vote for 18/02/2021 after long debate"),
    ("Streik der Lokführer am 4. Januar legt den Verkehr lahm", "Streik der Lokführer am 4. Jänner legt den Verkehr lahm"),
    ("Streik der Lokführer am 4. Jan. legt den Verkehr lahm", "Streik der Lokführer am 4. Januar legt den Verkehr lahm"),
    ("Huelga general convocada para el 1 de mayo en Madrid", "Huelga general convocada para el 1º de mayo en Madrid"),
])
def test_copies_of_one_headline_are_still_one(title: str, other: str) -> None:
    mine, theirs = default_process(title), default_process(other)
    assert not installments(mine, theirs)
    assert same_headline(mine, [theirs])


_MARKS = st.sampled_from(["1", "2", "5", "12", "12th", "2005", "december", "dec", "monday", "first", "post", "minutes", "of"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_MARKS, min_size=1, max_size=8), st.lists(_MARKS, max_size=4), st.lists(_MARKS, min_size=1, max_size=8))
def test_installments_are_told_by_marks_counted(words: list[str], more: list[str], others: list[str]) -> None:
    """Installments are symmetric; a title is none of itself, of itself with words added (a
    copy that adds a date) or of its words in another order. A mark that one title has more
    times than the other tells them apart as a mark the other lacks does: "… 5th December"
    and "… 12th December" (December is 12)."""
    title, other = " ".join(words), " ".join(others)
    assert not installments(title, title)
    assert not installments(title, " ".join(words + more)) and not installments(" ".join(words + more), title)
    assert not installments(title, " ".join(reversed(words)))
    assert installments(title, other) == installments(other, title)
    assert installments(f"{title} 12th december", f"{title} 5th december")


def test_every_day_and_month_reader_knows_is_read_as_its_number() -> None:
    """The days and months of every language the words of a text know (English's among the
    words never names), so that one date in two languages' words is one date."""
    english = NOT_NAMES - {"mr", "mrs", "ms", "dr", "the", "a", "an", "i"}
    assert (english | CALENDAR_OTHER) <= titles._DATING.keys()
    assert titles._DATING["jänner"] == titles._DATING["jan"] == titles._DATING["janvier"] == 1
    assert titles._DATING["sonntag"] == titles._DATING["sunday"] != 7


def test_real_feeds_installments_are_apart(tmp_path: Path) -> None:
    """A blog's two posts of one series ("… - Post 1", "… - Post 2") and mozillaZine's minutes
    of two staff meetings (Wednesday 4th and Monday 9th January 2006; Monday 5th and 12th
    December 2005) joined as "the same headline" at a cosine far below the bar."""
    with _library_of(tmp_path, "kagi-rss20-declared-utf16-is-utf8.xml", "laminas-atom03-mozillazine-iso-8859-1.xml") as library:
        placed = _stories_of(library)
    post = "MVC postback for users without JavaScript - Post "
    minutes = "Minutes of the mozilla.org Staff Meeting of "
    assert placed[post + "1"][0] != placed[post + "2"][0]
    assert placed[minutes + "Wednesday 4th January 2006"][0] != placed[minutes + "Monday 9th January 2006"][0]
    assert placed[minutes + "Monday 5th December 2005"][0] != placed[minutes + "Monday 12th December 2005"][0]
