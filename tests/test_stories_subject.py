"""A report whose title shares with a story's titles nothing but its subject, a firm's name,
is that firm's other news, however alike the texts (reader.stories.subjects: only_subject).
The press releases are of the shape of bench/make_corpus.py's: one firm's two pieces of news
in one week, each excerpt with the firm's name and one boilerplate sentence."""

from __future__ import annotations

import pytest
from rapidfuzz.utils import default_process

from reader import stories
from reader.stories import matching, subjects
from reader.stories.model import Item, Related
from reader.stories.related import EntryStories
from reader.stories.titles import aside

_BASE = 1_600_000_000.0
_BOILERPLATE = "Founded in Leeds, Blue Heron Bio builds software for hospitals and laboratories."
_PARTNERS = ("Blue Heron Bio partners on a protein-folding model",
             "Blue Heron Bio has partnered on a protein-folding model with two universities. " + _BOILERPLATE)
_UNVEILS = ("Blue Heron Bio unveils predictive policing software",
            "Blue Heron Bio has unveiled predictive policing software for three cities. " + _BOILERPLATE)
_AGAIN = ("Why Blue Heron Bio wants to partner on protein-folding models",
          "Blue Heron Bio has partnered on a protein-folding model, its chief said. " + _BOILERPLATE)


_CROPS = ("tomatoes", "beans", "peas", "onions", "leeks", "carrots", "kale", "chard", "squash", "lettuce", "radishes",
          "parsnips", "turnips", "garlic", "spinach", "celery", "fennel", "sorrel")


def _grouped(*documents: tuple[str, str], lists: bool = False) -> tuple[stories.Grouper, list[str]]:
    """The grouper after a library of other news and then ``documents`` (title and excerpt),
    six hours apart, the first listing the second when ``lists``; and their ids."""
    grouper = stories.Grouper()
    for n, crop in enumerate(_CROPS):  # (words the library has seen: what rarity weighs against)
        title = f"Gardening note: {crop} in a cold spring"
        grouper.add(Item(f"f{n}", _BASE - 86_400 * (40 - n), stories.read_words(title, f"Sow {crop} under glass."),
                         frozenset(), title=default_process(title)))
    ids = []
    for n, (title, excerpt) in enumerate(documents):
        related = ()
        if lists and n == 0:
            second = documents[1]
            related = (Related(f"b.example/{1}", second[0], second[1], _BASE + 6 * 3_600),)
        grouper.add(Item(f"d{n}", _BASE + n * 6 * 3_600, stories.read_words(title, excerpt), frozenset({f"b.example/{n}"}),
                         related, default_process(title), aside=aside(title)))  # (as the library reads them)
        ids.append(f"d{n}")
    return grouper, ids


def _cosine(first: tuple[str, str], second: tuple[str, str]) -> float:
    """The cosine of ``second`` with the story ``first`` started, as matching weighs them."""
    grouper, _ = _grouped(first)
    vector = grouper.weights.vector(stories.read_words(*second))
    return grouper._cosine(vector, grouper.groups["d0"])


def test_one_firms_other_news_the_same_week_is_another_story() -> None:
    assert _cosine(_PARTNERS, _UNVEILS) >= matching.SIMILAR  # (the texts alone would join them)
    grouper, (first, second) = _grouped(_PARTNERS, _UNVEILS)
    assert grouper.story_of[first] != grouper.story_of[second]


def test_a_report_naming_what_happened_alike_joins() -> None:
    grouper, (first, second) = _grouped(_PARTNERS, _AGAIN)
    assert grouper.story_of[first] == grouper.story_of[second]
    assert grouper.evidence[second].startswith("similar to the story")


def test_a_listed_report_still_joins() -> None:
    """A document listing the other as related coverage links them: the link decides."""
    grouper, (first, second) = _grouped(_PARTNERS, _UNVEILS, lists=True)
    assert grouper.story_of[first] == grouper.story_of[second]


_NAMES = frozenset({"@blue", "@heron", "@bio", "@pga", "@tour", "@aws", "@facebook"})


@pytest.mark.parametrize(("title", "titles", "only"), [
    # one run of names shared, nothing of what happened: the subject's other news
    ("Blue Heron Bio unveils predictive policing software", ["Blue Heron Bio partners on a protein-folding model"], True),
    # something of what happened shared
    ("Blue Heron Bio partners on robots", ["Blue Heron Bio partners on a protein-folding model"], False),
    # two names apart: a deal of two parties
    ("PGA Tour signs up with AWS, looks to AI", ["PGA Tour partners with AWS for cloud services"], False),
    # a plural is its singular
    ("Facebook discovers fakes", ["Facebook removes fake accounts"], False),
    # a title of names alone says nothing of what happened: it tells nothing apart
    ("Blue Heron Bio", ["Blue Heron Bio"], False),
    ("Blue Heron Bio", ["Blue Heron Bio partners on a protein-folding model"], False),
    # nothing shared at all: the texts decide
    ("Generative AI comes to Amazon Web Services", ["Blue Heron Bio partners on a protein-folding model"], False),
])
def testonly_subject(title: str, titles: list[str], only: bool) -> None:
    assert subjects.only_subject(default_process(title).split(), [default_process(t) for t in titles], _NAMES) is only


def _entries_grouped(*reports: tuple[str, str]) -> dict[str, str | None]:
    """The entry story of each of ``reports`` (title and excerpt), related entries that two
    columns of one day list, the first the first report, the second the others (no document
    reports them: stories of related entries alone); by key."""
    grouper = stories.Grouper()
    entries = EntryStories(grouper)
    for n, crop in enumerate(_CROPS):
        title = f"Gardening note: {crop} in a cold spring"
        item = Item(f"f{n}", _BASE - 86_400 * (40 - n), stories.read_words(title, f"Sow {crop} under glass."), frozenset(),
                    (Related(f"garden.example/{n}", title, f"Sow {crop} under glass.", None),), default_process(title))
        grouper.add(item)
        entries.add(item)
    keys = [f"r{n}.example/report" for n in range(len(reports))]
    lists = [[0], list(range(1, len(reports)))]
    for n, listed in enumerate(lists):
        title = f"Column {n}: the week in software"
        item = Item(f"c{n}", _BASE + n * 3_600, stories.read_words(title, f"Thoughts {n} on many things."), frozenset(),
                    tuple(Related(keys[k], *reports[k], _BASE + n * 3_600) for k in listed), default_process(title))
        grouper.add(item)
        entries.add(item)
    return {key: grouper.claimed.get(key) for key in keys}


def test_one_firms_other_news_stays_out_of_a_story_of_entries() -> None:
    """Two reports of the partnership, listed by one column, and the firm's other news listed
    by another the same day: as alike as the reports of one event, by the firm's name and its
    boilerplate, and kept apart by the titles."""
    partners_again = ("Blue Heron Bio partners with universities on a protein-folding model", _AGAIN[1])
    held = _entries_grouped(_PARTNERS, partners_again)
    assert held["r0.example/report"] is not None and held["r0.example/report"] == held["r1.example/report"]
    held = _entries_grouped(_PARTNERS, _UNVEILS)
    assert held["r0.example/report"] is None or held["r0.example/report"] != held["r1.example/report"]


# ------------------------------------------------------- one subject, one word more: the texts tell

_TITLES = ["bayview autonomy sells self driving trucks in texas", "bayview autonomy open sources self driving trucks"]
_STORY = frozenset({"bayview", "autonomy", "sells", "self-driving", "trucks", "texas", "sold", "haulier", "fleet", "pilots",
                    "trial", "routes"})
_CHATBOT = frozenset({"bayview", "autonomy", "sells", "chatbot", "sold", "customers", "hospitals", "engineers", "showed",
                      "regulation", "experts"})
_SUBJECT = frozenset({"@bayview", "@autonomy"})


def _other_object(title: str, text: frozenset[str], story: frozenset[str] = _STORY, titles: list[str] = _TITLES) -> bool:
    vector = {word: 1.0 for word in text} | {name: 2.0 for name in _SUBJECT}
    centroid = {word: 1.0 for word in story} | {name: 2.0 for name in _SUBJECT}
    return subjects.other_object(title.split(), text, titles, subjects.words_of_titles(titles), _SUBJECT, vector, centroid)


@pytest.mark.parametrize(("title", "text", "story", "other"), [
    # the firm and the verb in common, and the texts tell two objects: the firm's other news
    ("bayview autonomy sells its chatbot", _CHATBOT, _STORY, True),
    # the story's texts tell of its chatbot: one news told in other words
    ("bayview autonomy sells its chatbot", _CHATBOT, _STORY | {"chatbot"}, False),
    # its text tells of the trucks ("self-driving" by its parts, as a title writes it)
    ("bayview autonomy sells its chatbot", _CHATBOT | {"self-driving"}, _STORY, False),
    # a feed's item of a title alone tells nothing: left to the other rules
    ("bayview autonomy sells its chatbot", frozenset({"bayview", "autonomy", "sells", "chatbot"}), _STORY, False),
    # ... nor does a story of titles alone
    ("bayview autonomy sells its chatbot", _CHATBOT, frozenset({"bayview", "autonomy", "sells", "self-driving", "trucks",
                                                                 "texas"}), False),
    # two words of what happened in common: something of it alike
    ("bayview autonomy sells trucks to a haulier", _CHATBOT | {"trucks", "haulier"}, _STORY, False),
    # one word more written with a hyphen, two as a title is normalised: one word
    ("bayview autonomy open sources its chatbot", _CHATBOT - {"sells"} | {"open-sources"}, _STORY | {"open-sourced"}, True),
    # the subject alone in common: the rule of one subject's other news (only_subject), not this one
    ("bayview autonomy unveils its chatbot", _CHATBOT - {"sells"} | {"unveils"}, _STORY, False),
])
def test_one_subjects_other_object(title: str, text: frozenset[str], story: frozenset[str], other: bool) -> None:
    assert _other_object(title, text, story) is other


_BOILERPLATE_BAYVIEW = "Founded in Oakland, Bayview Autonomy builds software for fleets and hospitals."
_TRUCKS = ("Bayview Autonomy sells self-driving trucks in Texas",
           "Bayview Autonomy has sold self-driving trucks to a haulier in Texas, which will run them on two routes. "
           + _BOILERPLATE_BAYVIEW)
_CHATBOT_NEWS = ("Bayview Autonomy sells its chatbot",
                 "Bayview Autonomy has sold its chatbot to clinics, engineers showed. " + _BOILERPLATE_BAYVIEW)
_LORRIES = ("Bayview Autonomy sells its robot lorries",
            "Bayview Autonomy has sold self-driving trucks it calls robot lorries to a haulier, for two routes. "
            + _BOILERPLATE_BAYVIEW)


def test_one_firms_other_object_the_same_week_is_another_story() -> None:
    """The firm's chatbot sold three days after its trucks: as alike by the firm, the verb and
    the boilerplate as reports of one sale, and apart by what each text tells; a report of
    the trucks under another title joins."""
    assert _cosine(_TRUCKS, _CHATBOT_NEWS) >= matching.SIMILAR  # (the texts alone would join them)
    grouper, (first, second) = _grouped(_TRUCKS, _CHATBOT_NEWS)
    assert grouper.story_of[first] != grouper.story_of[second]
    grouper, (first, second) = _grouped(_TRUCKS, _LORRIES)
    assert grouper.story_of[first] == grouper.story_of[second]


def test_a_piece_about_the_news_is_left_to_the_other_rules() -> None:
    """An analysis names its event in other words than the reports do (the New York Times's
    "News Analysis: Russian Intervention in American Election Was No One-Off" beside its "What
    Intelligence Agencies Concluded About the Russian Attack on the U.S. Election"), so its
    text tells nothing of another object: its texts decide."""
    analysis = ("Analysis: Bayview Autonomy sells its chatbot", _CHATBOT_NEWS[1])
    assert aside(analysis[0])  # (labelled as commentary: a piece about the news)
    grouper, (first, second) = _grouped(_TRUCKS, analysis)
    assert grouper.story_of[first] == grouper.story_of[second]
