"""Stories (reader.stories): grouping the seeds and the real corpus, incrementally and
deterministically; Top stories' score and order; inferred topics; the `reader stories` command."""

from __future__ import annotations

import io
from collections.abc import Iterator
import threading
import json
import re
import shutil
import sqlite3
import sys
import textwrap
import types
from dataclasses import replace
from pathlib import Path

import pytest

from typing import Any

from hypothesis import HealthCheck, given, settings
from rapidfuzz.utils import default_process
from hypothesis import strategies as st
from scripts import REPO_DIR, load_script

from reader import cli, stories
from reader.library import Count, Library, LibraryError, View, ViewKind
from reader.stories import matching, model, storage
from reader.stories.related import PREFIX as ENTRY_PREFIX, EntryStories
from libraries import folder_library

# --------------------------------------------------------------------------- the seeds

# The five seeds are one story: letters demanding that Clearview AI stop scraping faces.
#   000 Global News, 5 Feb 2020; 001 Chicago Tribune, 6 Feb (the AP text); 002 plain English
#   text, undated; 003 plain Swedish text, undated (a translation); 004 BBC, 23 Jan 2020
#   (Twitter demands Clearview stop "collecting faces").
# The Tribune's related entries (an ACLU piece on airports, a Herta Security press release)
# are other news and must stay out.
SEEDS = ["000_7070b5ed28950557.txt", "001_19301bc74b7f561c.txt", "002_9f8ef219818b8861.txt",
         "003_75b339a3634bcf13.txt", "004_a6c4789921a3cca4.txt"]
GOLD = Path(__file__).parent / "data" / "stories_gold.json"
CORPUS = Path(__file__).parent / "data" / "corpus"
WINDOW = Path(__file__).parent / "data" / "window"
WINDOW2 = Path(__file__).parent / "data" / "window2"
WEEK2023 = Path(__file__).parent / "data" / "week2023"
WEEK2022 = Path(__file__).parent / "data" / "week2022"
MAY2023 = Path(__file__).parent / "data" / "may2023"
JUL2023 = Path(__file__).parent / "data" / "jul2023"
SEP2023 = Path(__file__).parent / "data" / "sep2023"
NOV2023 = Path(__file__).parent / "data" / "nov2023"
FEB2023 = Path(__file__).parent / "data" / "feb2023"
DEC2023 = Path(__file__).parent / "data" / "dec2023"
APR2023 = Path(__file__).parent / "data" / "apr2023"
AUG2023 = Path(__file__).parent / "data" / "aug2023"
JAN2023 = Path(__file__).parent / "data" / "jan2023"
JUN2023 = Path(__file__).parent / "data" / "jun2023"
MAR2023 = Path(__file__).parent / "data" / "mar2023"
FEB2024 = Path(__file__).parent / "data" / "feb2024"
MAR2024 = Path(__file__).parent / "data" / "mar2024"
JAN2024 = Path(__file__).parent / "data" / "jan2024"
OCT2023 = Path(__file__).parent / "data" / "oct2023"
DEC2022 = Path(__file__).parent / "data" / "dec2022"
JUN2022 = Path(__file__).parent / "data" / "jun2022"
SEP2022 = Path(__file__).parent / "data" / "sep2022"
NOV2021 = Path(__file__).parent / "data" / "nov2021"
FEB2022 = Path(__file__).parent / "data" / "feb2022"
JUN2021 = Path(__file__).parent / "data" / "jun2021"
AUG2021 = Path(__file__).parent / "data" / "aug2021"
AUG2021B = Path(__file__).parent / "data" / "aug2021b"
SEEDS_DIR = REPO_DIR / "seeds"


def groups(library: Library) -> list[set[str]]:
    """Stories of two or more documents, as sets of file names."""
    by_story: dict[str, set[str]] = {}
    for article_id, story in library.db.execute("SELECT article, story FROM story_members"):
        name = Path(library.paths(article_id)[0]).name
        by_story.setdefault(story, set()).add(name)
    return sorted((g for g in by_story.values() if len(g) > 1), key=lambda g: sorted(g))


def held(library: Library) -> list[list[str]]:
    """The related entries each story holds (stories of related entries alone too)."""
    by_story: dict[str, list[str]] = {}
    for key, story in library.db.execute("SELECT key, story FROM story_related ORDER BY key"):
        by_story.setdefault(story, []).append(key)
    return sorted(by_story.values())


@pytest.fixture
def seeds_library(tmp_path: Path, seeds_dir: Path) -> Library:
    library = Library(tmp_path / "data")
    library.sync([seeds_dir])
    yield library
    library.close()


def _window_library(tmp_path_factory: pytest.TempPathFactory, window: Path) -> Iterator[Library]:
    """The documents of ``window`` (not its SOURCE.md) in one library."""
    yield from folder_library(tmp_path_factory, window, "20*.md")


@pytest.fixture(scope="module")
def window_library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    """The documents of eleven days of the archive's folder of news (tests/data/window, March 2021)."""
    yield from _window_library(tmp_path_factory, WINDOW)


def _story_of_file(library: Library, name: str) -> str | None:
    (article_id,) = [a for (a,) in library.db.execute("SELECT id FROM articles") if Path(library.paths(a)[0]).name == name]
    return stories.story_of(library.db, article_id)


def test_two_reports_of_one_study_with_one_headline_are_one_story(window_library: Library) -> None:
    """Medical Xpress (4 March) and ScienceDaily (5 March) report one study with one headline
    and excerpts that share a sentence; the later one's own words (its other sentences) are
    rarer than those it shares, and no article before it has them: they cannot find a story."""
    first = _story_of_file(window_library, "2021-03-04-artificial-intelligence-reveals-current-drugs-that-may-help-combat-alzheimers-disease.md")
    second = _story_of_file(window_library, "2021-03-06-artificial-intelligence-reveals-current-drugs-that-may-help-combat-alzheimers-disease.md")
    assert first is not None and first == second


@pytest.fixture(scope="module")
def window2_library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    """Every document of 2019-12-16 to 2019-12-26 of the archive (tests/data/window2)."""
    yield from _window_library(tmp_path_factory, WINDOW2)


def test_a_copy_of_a_report_under_its_headline_with_another_excerpt_joins_its_story(window2_library: Library) -> None:
    """The New York Times's report of Facebook's takedown (20 December) and a copy of it a day
    later under its headline again ("... new fakes ... AI generated ..."), whose excerpt is
    another paragraph of it: their words meet at a cosine of about 0.2."""
    first = _story_of_file(window2_library, "2019-12-20-facebook-discovers-fakes-that-show-evolution-of-disinformation.md")
    copy = _story_of_file(window2_library, "2019-12-21-facebook-discovers-new-fakes-that-show-evolution-ai-generated-disinformation.md")
    assert first is not None and first == copy
    (article_id,) = [a for (a,) in window2_library.db.execute("SELECT id FROM articles")
                     if Path(window2_library.paths(a)[0]).name.startswith("2019-12-21-facebook-discovers")]
    assert (stories.evidence_of(window2_library.db, article_id) or "").startswith("the same headline")


def test_a_report_joins_the_story_it_reports_rather_than_one_it_is_linked_to(window2_library: Library) -> None:
    """The Chicago Tribune (26 December) reports NIST's study of bias in face recognition, as
    the Washington Post and Technology Review did on the 20th; related coverage links it to
    AP's feature on cities curbing the police's face recognition, which it resembles less
    (a link is evidence only together with real similarity)."""
    tribune = _story_of_file(window2_library, "2019-12-26-many-facial-recognition-systems-are-biased-says-us-study.md")
    post = _story_of_file(window2_library, "2019-12-20-federal-study-confirms-racial-bias-of-many-facial-recognition-systems"
                                           "-casts-doubt-on-their-expanding-use.md")
    ap = _story_of_file(window2_library, "2019-12-17-why-some-cities-and-states-balk-at-face-recognition-tech.md")
    assert tribune is not None and tribune == post and tribune != ap


def test_press_releases_of_three_firms_of_one_mould_are_three_stories(window_library: Library) -> None:
    """"ElectrifAi / XAPP AI / TensorIoT achieves AWS Machine Learning Competency status in
    Applied AI": three firms' own announcements on one day, every word alike but the firm."""
    firms = ["2021-03-11-electrifai-achieves-aws-machine-learning-competency-status-in-applied-ai.md",
             "2021-03-11-xapp-ai-achieves-aws-machine-learning-competency-status-in-applied-ai.md",
             "2021-03-11-tensoriot-achieves-aws-machine-learning-competency-status-applied-ai-and-machine-learning-operations.md"]
    found = [_story_of_file(window_library, name) for name in firms]
    assert len({story for story in found if story is not None}) == sum(story is not None for story in found)


def _article(item_id: str, hours: float, title: str, excerpt: str) -> stories.Item:
    return stories.Item(item_id, 1_600_000_000.0 + hours * 3_600, stories.read_words(title, excerpt), frozenset(),
                        title=default_process(title))


def _grouped(*items: stories.Item) -> dict[str, str]:
    grouper = stories.Grouper()
    for n in range(20):  # (words the library has seen: what rarity weighs against)
        grouper.add(_article(f"f{n}", n * 0.01, f"Gardening note {n}", f"The allotment society met about tomatoes {n}."))
    for item in items:
        grouper.add(item)
    return {item.id: grouper.story_of[item.id] for item in items}


def test_two_firms_of_one_mould_are_apart_however_alike_the_rest() -> None:
    excerpt = "announced today that it has achieved the Cloudhub partner status in applied robotics, for its work with Cloudhub customers."
    first = _article("a", 1, "Acmeco achieves Cloudhub partner status in applied robotics", f"Robotics firm Acmeco {excerpt}")
    second = _article("b", 2, "Bravoly achieves Cloudhub partner status in applied robotics", f"Robotics firm Bravoly {excerpt}")
    grouper = stories.Grouper()
    assert grouper.weights.vector(first.words).keys() & grouper.weights.vector(second.words).keys()  # (everything but the firm)
    placed = _grouped(first, second)
    assert placed["a"] != placed["b"]


def test_a_report_that_brings_a_new_name_still_joins_the_story_that_named_its_subject() -> None:
    """The second report names the agency (new to the library) in its title; the story's
    subject (Ganymede) is in it too, so they are about one thing."""
    first = _article("a", 1, "Rover lands on the Ganymede ice shelf",
                     "The Zephyrine rover landed on the Ganymede ice shelf overnight, its operators at Kestrel Dynamics said.")
    second = _article("b", 3, "Spaceagency confirms rover landed on the Ganymede ice shelf",
                      "The Zephyrine rover built by Kestrel Dynamics landed on the Ganymede ice shelf, Spaceagency said.")
    placed = _grouped(first, second)
    assert placed["a"] == placed["b"]


_PLANT = ("Acmeco opens a robotics plant in Leeds",
          "Acmeco opened its robotics plant in Leeds on Monday, where 300 engineers will build warehouse arms.")
_PLANT_AGAIN = ("Acmeco's Leeds robotics plant opens",
                "The robotics plant Acmeco built in Leeds opened on Monday; 300 engineers will build warehouse arms there.")
_RECALL = ("Acmeco recalls warehouse arms built in Leeds",
           "Acmeco recalled the warehouse arms its Leeds plant builds after faults were found.")


@pytest.mark.parametrize(("hours", "linked", "joins"), [(6.0, False, True), (24.0, False, True), (72.0, False, False),
                                                        (-72.0, False, False), (72.0, True, True), (240.0, True, True)])
def test_the_same_companys_news_days_later_needs_more_similarity(hours: float, linked: bool, joins: bool) -> None:
    """Two reports of a plant's opening are a story; a report of the company's recall of what
    the plant builds (the same names and trade words, a cosine between the bar and the bar plus
    SIMILAR_PER_DAY for two and a half days) joins it a day later, not three days before or
    after — unless it lists one of the reports as related coverage (ten days later too, when
    no cosine could reach the bar)."""
    grouper = stories.Grouper()
    for n in range(20):  # (words the library has seen before)
        grouper.add(_article(f"f{n}", n * 0.01 - 200, f"Gardening note {n}", f"The allotment society met about tomatoes {n}."))
    story = [stories.Item("a", 1_600_000_000.0, stories.read_words(*_PLANT), frozenset({"news.example/plant"}),
                          title=default_process(_PLANT[0])), _article("b", 1, *_PLANT_AGAIN)]
    recall = _article("c", hours, *_RECALL)
    if linked:
        recall = replace(recall, related=(model.Related("news.example/plant", *_PLANT, 1_600_000_000.0),))
    for item in sorted([*story, recall], key=lambda item: item.order):
        grouper.add(item)
    assert grouper.story_of["a"] == grouper.story_of["b"]
    assert (grouper.story_of["c"] == grouper.story_of["a"]) is joins
    if joins and not linked:  # (how similar it is: as similar a day later as three days later)
        cosine = float(re.search(r"\((0\.\d+)\)", grouper.evidence["c"])[1])  # type: ignore[index]
        assert matching.SIMILAR + matching.SIMILAR_PER_DAY * 0.5 < cosine < matching.SIMILAR + matching.SIMILAR_PER_DAY * 2.4
    if linked:
        assert grouper.evidence["c"].startswith("related coverage")


def test_a_copy_of_a_storys_headline_joins_it_days_later() -> None:
    """A copy of one report under its headline, with another excerpt, joins its story ten days
    later (within the story's window), however far the bar for its cosine has risen."""
    title = "Acmeco opens its new robotics plant in Leeds with three hundred engineers"
    first = _article("a", 0, title, "Acmeco opened its robotics plant in Leeds on Monday, where engineers will build warehouse arms.")
    copy = _article("c", 240, title, "The company said the Yorkshire site would supply customers across Europe from next year.")
    grouper = stories.Grouper()
    for n in range(20):
        grouper.add(_article(f"f{n}", n * 0.01 - 200, f"Gardening note {n}", f"The allotment society met about tomatoes {n}."))
    grouper.add(first)
    grouper.add(copy)
    assert grouper.story_of["c"] == grouper.story_of["a"]
    assert grouper.evidence["c"].startswith("the same headline")


def test_two_firms_doing_the_same_are_not_one_headline_again() -> None:
    """Two firms the library knows by name, each open-sourcing an airport face scanner: their
    titles are one headline but for the firm, and that is not a copy of one report."""
    grouper = stories.Grouper()
    for n in range(20):
        grouper.add(_article(f"f{n}", n * 0.01 - 200, f"Gardening note {n}", f"The allotment society met about tomatoes {n}."))
    grouper.add(_article("k", -100, "Phone makers meet in Madrid", "Executives of Huawei and of Synapse Freight met in Madrid on Tuesday."))
    grouper.add(_article("a", 0, "Huawei open-sources a facial recognition system for airports",
                         "The Chinese firm Huawei released the code of its airport face scanners on Monday."))
    grouper.add(_article("b", 2, "Synapse Freight open-sources a facial recognition system for airports",
                         "The logistics group Synapse Freight published its border-control software for anyone to reuse."))
    assert matching.same_headline("synapse freight open sources a facial recognition system for airports",
                                  ["huawei open sources a facial recognition system for airports"])  # (but for the firm)
    assert grouper.story_of["b"] != grouper.story_of["a"]


def test_the_ap_seeds_and_the_plain_texts_are_one_story(seeds_library: Library) -> None:
    assert groups(seeds_library) == [set(SEEDS[:4])]


@pytest.mark.xfail(reason="the BBC seed (Twitter's letter, 13 days earlier, in other words) stays apart", strict=True)
def test_the_seeds_are_one_story(seeds_library: Library) -> None:
    assert groups(seeds_library) == [set(SEEDS)]


def test_the_seed_story_keeps_out_the_other_news_it_lists(seeds_library: Library) -> None:
    (story,) = stories.all_stories(seeds_library.db)
    titles = " ".join(v.title for v in story.versions)
    assert "Herta Security" not in titles and "Nightmare Vision" not in titles
    assert "St. Louis Post-Dispatch" in [v.outlet for v in story.versions]  # 000's related entry: the AP text


def test_why_each_seed_joined(seeds_library: Library) -> None:
    reasons = [stories.evidence_of(seeds_library.db, i) for (i,) in seeds_library.db.execute("SELECT id FROM articles")]
    joined = [r for r in reasons if r]
    assert len(joined) == 3  # the two others started a story
    assert all("clearview" in r or "venmo" in r for r in joined)


def test_plain_text_seeds_inherit_the_story_topics(seeds_library: Library) -> None:
    by_name = {Path(seeds_library.paths(i)[0]).name: i for (i,) in seeds_library.db.execute("SELECT id FROM articles")}
    assert stories.inferred_topics(seeds_library.db, by_name[SEEDS[2]]) == ("AI", "Computer Vision")
    assert stories.inferred_topics(seeds_library.db, by_name[SEEDS[3]]) == ("AI", "Computer Vision")
    assert stories.inferred_topics(seeds_library.db, by_name[SEEDS[0]]) == ()  # it has topics of its own


# --------------------------------------------------------------------------- the gold set


def _parts_by_document(pairs: list[dict[str, Any]], set_name: str) -> dict[str, set[str]]:
    """The parts of the pairs of the set ``set_name``, by the first 20 characters of each
    pair's document (the first by name of its items' files)."""
    parts: dict[str, set[str]] = {}
    for p in pairs:
        if p.get("set") == set_name:
            parts.setdefault(min(p["a"].split("#")[0], p["b"].split("#")[0])[:20], set()).add(p["part"])
    return parts


def test_the_rules_digest_reads_every_module_the_grouping_imports() -> None:
    """A library grouped by other rules is grouped again (storage.rules): a change to any module
    of Reader that the grouping imports, however deep, changes the digest."""
    root = Path(storage.__file__).parent.parent

    def source(name: str) -> Path:
        return root.joinpath(*name.split(".")).with_suffix(".py")

    seen: set[str] = set()
    waiting = ["stories.storage"]
    while waiting:
        name = waiting.pop()
        if name in seen or not source(name).exists():  # (a package, not a module)
            continue
        seen.add(name)
        text = source(name).read_text(encoding="utf-8")
        waiting.extend(re.findall(r"^from reader\.([\w.]+) import", text, flags=re.M))
        for package, names in re.findall(r"^from reader(\.stories)? import ([^#(]+)$", text, flags=re.M):
            waiting.extend((package or ".").lstrip(".") + ("." if package else "") + part.split()[0]
                           for part in names.split(","))
    assert seen == set(storage._GROUPING_MODULES)
    assert {"stories.titles", "stories.weights", "language", "timefmt", "urls"} <= seen  # (the walk finds them)


def test_the_gold_sets_note_describes_every_part() -> None:
    """Each part the pairs name is told in the gold set's note: what its documents are, how
    its pairs were chosen and labelled, and whether rules may be tuned on it."""
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    parts = {p["part"] for p in gold["pairs"]} | {p["set"] for p in gold["pairs"] if "set" in p}
    assert {part for part in parts if f"'{part}'" not in gold["note"]} == set()


#: The parts of each later labelling, in order: rules may be tuned on the first of each, the second
#: is only measured ("heldout2" was split into "tune2" and "heldout2b").
_SPANS: tuple[tuple[str, str], ...] = (("tune2", "heldout2b"), *((f"tune{n}", f"heldout{n}") for n in range(3, 30)))
#: Every part of the gold set, in order.
_PARTS: tuple[str, ...] = ("tune", "held-out", *(part for span in _SPANS for part in span))

#: How each later span was split by document before labelling (a pair goes with the document
#: of its items whose name sorts first, by its first 20 characters): the documents of its part
#: rules may be tuned on, and those of its part that is only measured.
_SPLITS: dict[str, tuple[str, tuple[str, ...], str, tuple[str, ...]]] = {
    # the two documents whose lists are nearly one list are tuned on, the other four only measured
    "sep2023": ("tune9", ("2023-09-20-38-teraby", "2023-09-20-ai-startu"), "heldout9",
                ("2023-09-20-intels-ne", "2023-09-21-amazon-un", "2023-09-21-every-pro", "2023-09-21-openais-n")),
    # the executive order and the two documents of OpenAI's DevDay are tuned on, the three of the OpenAI
    # board's week only measured
    "nov2023": ("tune10", ("2023-10-30-biden-unv", "2023-11-07-openai-un", "2023-11-08-openai-ta"), "heldout10",
                ("2023-11-16-microsoft", "2023-11-20-wall-stre", "2023-11-23-what-does")),
    # the three documents of Bing's chatbot are tuned on, Baidu's and Meta's only measured
    "feb2023": ("tune11", ("2023-02-17-i-tried-b", "2023-02-17-i-want-to", "2023-02-21-bings-ai-"), "heldout11",
                ("2023-02-22-baidu-to-", "2023-02-24-meta-to-l")),
    # the three documents of Google's Gemini are only measured, the other five tuned on
    "dec2023": ("tune12", ("2023-12-09-eu-agrees", "2023-12-11-open-sour", "2023-12-13-openai-to", "2023-12-15-intel-lau", "2023-12-15-mistral-a"), "heldout12",
                ("2023-12-07-google-up", "2023-12-12-everythin", "2023-12-13-google-la")),
    # the three documents of Elon Musk's successive events (the open letter, X.AI) are only measured, the
    # other four tuned on
    "apr2023": ("tune13", ("2023-04-12-did-that-", "2023-04-14-generativ", "2023-04-17-photograp", "2023-04-21-google-co"), "heldout13",
                ("2023-03-31-elon-musk", "2023-04-15-elon-musk", "2023-04-16-elon-musk")),
    # the three documents of Nvidia's successive events (the GH200 chip, its results) are only measured, the
    # other four tuned on
    "aug2023": ("tune14", ("2023-08-09-openai-ju", "2023-08-14-anthropic", "2023-08-19-openai-ma", "2023-08-22-us-judge-"), "heldout14",
                ("2023-08-09-nvidia-in", "2023-08-24-nvidia-ri", "2023-08-24-nvidia-su")),
    # the three documents of Microsoft's successive events (the Azure OpenAI Service, its job cuts, its
    # investment in OpenAI, its results) are only measured, CNET's and BuzzFeed's tuned on (BuzzFeed's second
    # document is the first of none of its pairs)
    "jan2023": ("tune15", ("2023-01-24-cnets-ai-", "2023-01-27-ai-will-s"), "heldout15",
                ("2023-01-18-microsoft", "2023-01-23-microsoft", "2023-01-24-microsoft")),
    # the chip makers' two documents (Nvidia's trillion, AMD's MI300X) are only measured, the other six tuned on
    "jun2023": ("tune16", ("2023-06-13-the-last-", "2023-06-14-paul-mcca", "2023-06-15-europe-vo", "2023-06-16-google-wa", "2023-06-16-mercedes-"), "heldout16",
                ("2023-05-31-ai-demand", "2023-06-14-amd-unvei")),
    # Microsoft's three documents (GitHub's Copilot X, a column whose list is Microsoft's events of those
    # days, Security Copilot) tuned on, the other five only measured
    "mar2023": ("tune17", ("2023-03-22-github-te", "2023-03-25-chatgpt-a", "2023-03-28-microsoft"), "heldout17",
                ("2023-03-22-enchanted", "2023-03-22-the-morni", "2023-03-23-adobe-lau", "2023-03-23-ai-platfo", "2023-03-23-mozilla-l")),
    # Google's four documents (Gemini's images of people paused, the apology, the chief executive's memo) only
    # measured, Sora's tuned on
    "feb2024": ("tune18", ("2024-02-17-openais-n",), "heldout18",
                ("2024-02-22-google-pa", "2024-02-23-google-ha", "2024-02-25-google-pa", "2024-02-28-google-ce")),
    # Musk's three documents (his suit against OpenAI, then Grok to be open-sourced) and Claude 3's only
    # measured; Inflection-2.5's, Devin's and the AI Act's tuned on
    "mar2024": ("tune19", ("2024-03-08-inflectio", "2024-03-13-cognition", "2024-03-13-europe-pa"), "heldout19",
                ("2024-03-01-elon-musk", "2024-03-02-elon-musk", "2024-03-04-anthropic", "2024-03-12-elon-musk")),
    # the saga of 20-31 January (Taylor Swift's images, Nadella's answer, X's block, and Microsoft's and
    # OpenAI's events around them) only measured; Samsung's and Meta's tuned on
    "jan2024": ("tune20", ("2024-01-19-here-come", "2024-01-19-metas-art"), "heldout20",
                ("2024-01-20-openai-ce", "2024-01-25-ftc-launc", "2024-01-26-explicit-", "2024-01-27-asked-abo", "2024-01-31-microsoft")),
    # Nvidia's and the US export rules' four documents (the loophole report, the rules, their effect a week
    # later) only measured; Pixel 8, Anthropic's two and the summit's run-up tuned on
    "oct2023": ("tune21", ("2023-10-05-google-un", "2023-10-19-universal", "2023-10-28-after-ama", "2023-10-28-can-rishi"), "heldout21",
                ("2023-10-13-nvidia-st", "2023-10-18-how-the-u", "2023-10-18-us-furthe", "2023-10-25-nvidia-sa")),
    # alternately by file name: the launch report, the BBC's first week and AlphaCode's tuned on (re:Invent's
    # recap, the fifth, is the first of no pair: both of its pairs were left undecided), the Guardian's,
    # Lensa's and Nature's only measured
    "dec2022": ("tune22", ("2022-12-02-openai-de", "2022-12-07-chatgpt-n", "2022-12-09-deepminds"), "heldout22",
                ("2022-12-05-ai-bot-ch", "2022-12-07-lensa-ais", "2022-12-09-ai-bot-ch")),
    # the Washington Post's report of the engineer who thinks LaMDA is sentient, whose list of 62 holds most
    # of the affair's pairs, only measured; the other six tuned on
    "jun2022": ("tune23", ("2022-06-14-has-googl", "2022-06-16-dalle-min", "2022-06-21-copilot-g", "2022-06-22-microsoft",
                           "2022-06-23-amazons-a", "2022-06-26-googles-a"), "heldout23", ("2022-06-11-the-googl",)),
    # Tesla's two documents (the previews of AI Day, the Optimus robot unveiled), whose lists hold most of the
    # pairs, only measured; Whisper's, DALL-E's, the AI Bill of Rights', Imagen Video's and AlphaTensor's tuned on
    "sep2022": ("tune24", ("2022-09-22-whisper-a", "2022-09-29-dall-es-a", "2022-10-05-white-hou", "2022-10-06-googles-n",
                           "2022-10-07-deepminds"), "heldout24", ("2022-09-24-tesla-ai-", "2022-10-02-elon-musk")),
    # the Financial Times' document on Facebook's shutdown of face recognition, whose list of 60 holds most of
    # the pairs, only measured; the other six (Tesla's recall, Isomorphic Labs, Nvidia's two, AI in home
    # buying, Clearview in Australia) tuned on
    "nov2021": ("tune25", ("2021-11-02-tesla-iss", "2021-11-04-alphabet-", "2021-11-09-nvidia-an", "2021-11-11-nvidia-an",
                           "2021-11-12-ai-home-b", "2021-11-18-unwelcome"), "heldout25", ("2021-11-04-facebooks",)),
    # the three documents of the IRS and ID.me (the plan criticised, then dropped) only measured; Meta's
    # supercomputer, Tesla's recall and AlphaCode tuned on
    "feb2022": ("tune26", ("2022-01-25-meta-anno", "2022-02-01-tesla-rec", "2022-02-03-alphacode"), "heldout26",
                ("2022-01-27-the-irs-n", "2022-01-31-facial-re", "2022-02-11-irs-rever")),
    # Tesla's two documents (Full Self-Driving beta 9's date confirmed, then its release) only measured; the EU
    # call for a ban on facial recognition, Copilot's two and the crash-reporting order tuned on
    "jun2021": ("tune27", ("2021-06-22-eu-data-p", "2021-06-29-github-la", "2021-06-30-automaker", "2021-07-06-githubs-n"),
                "heldout27", ("2021-07-08-elon-musk", "2021-07-11-tesla-fin")),
    # Tesla's two documents (NHTSA's Autopilot probe, then AI Day) only measured; IBM's Telum, Waymo in San
    # Francisco, Toyota's shuttle and Facebook's "primates" label tuned on
    "aug2021": ("tune28", ("2021-08-23-ibm-unvei", "2021-08-24-googles-w", "2021-08-27-toyota-ha", "2021-09-04-facebook-"),
                "heldout28", ("2021-08-16-us-probin", "2021-08-20-tesla-unv")),
    # the same weeks from other outlets: Tesla's two documents (the probe, the senators' letter to the FTC)
    # only measured; Cerebras' CS-2 and Toyota's shuttle tuned on
    "aug2021b": ("tune29", ("2021-08-25-cerebras-", "2021-08-28-toyota-su"), "heldout29",
                 ("2021-08-17-us-launch", "2021-08-18-dem-senat")),
}


def test_the_gold_set_is_labelled_and_split() -> None:
    pairs = json.loads(GOLD.read_text(encoding="utf-8"))["pairs"]
    assert len(pairs) >= 150
    kinds = " ".join(p["kind"] for p in pairs)
    assert "related entr" in kinds and "two documents" in kinds
    assert {p["part"] for p in pairs} == set(_PARTS)
    # each later labelling has its pairs (the first nine a hundred or more, the later ones fifty)
    for n, (tuned, measured) in enumerate(_SPANS):
        assert sum(p["part"] in (tuned, measured) for p in pairs) >= (100 if n < 9 else 50), tuned
    # the later labellings are split by document (a pair goes with the document of its items
    # whose name sorts first): those documents, sorted by name, alternate between the halves
    for tuned, measured in (("tune2", "heldout2b"), ("tune3", "heldout3"), ("tune4", "heldout4"), ("tune5", "heldout5"),
                            ("tune7", "heldout7"), ("tune8", "heldout8")):
        halves: dict[str, set[str]] = {}
        for p in pairs:
            if p["part"] in (tuned, measured):
                halves.setdefault(min(p["a"].split("#")[0], p["b"].split("#")[0]), set()).add(p["part"])
        assert [halves[d] for d in sorted(halves)] == [{(tuned, measured)[i % 2]} for i in range(len(halves))]
    # week2022's pairs are split by document too, not alternately: the one document whose list
    # holds most of them is only measured, the other five are tuned on
    week2022: dict[str, set[str]] = {}
    for p in pairs:
        if p.get("set") == "week2022":
            week2022.setdefault(min(p["a"].split("#")[0], p["b"].split("#")[0]), set()).add(p["part"])
    assert len(week2022) == 5 and sum(parts == {"heldout6"} for parts in week2022.values()) == 1
    assert all(parts in ({"tune6"}, {"heldout6"}) for parts in week2022.values())
    for name, (tuned_part, tuned, measured_part, measured) in _SPLITS.items():
        assert _parts_by_document(pairs, name) == {**{d: {tuned_part} for d in tuned}, **{d: {measured_part} for d in measured}}, name
    # each pair names documents of its set's folders as the evaluation groups them (no set: the
    # corpus and the seeds), and every folder the evaluation groups is one of the test data's
    sets = load_script(REPO_DIR / "bench" / "stories_eval.py").SETS
    assert [folder.resolve() for folder in sets["corpus"]] == [CORPUS.resolve(), SEEDS_DIR.resolve()]
    assert {folder.resolve() for name, folders in sets.items() if name != "corpus" for folder in folders} == {
        folder.resolve() for folder in (WINDOW, WINDOW2, WEEK2023, WEEK2022, MAY2023, JUL2023, SEP2023, NOV2023, FEB2023,
                                        DEC2023, APR2023, AUG2023, JAN2023, JUN2023, MAR2023, FEB2024, MAR2024, JAN2024,
                                        OCT2023, DEC2022, JUN2022, SEP2022, NOV2021, FEB2022, JUN2021,
                                        AUG2021, AUG2021B)}
    for p in pairs:
        folders = sets[str(p.get("set", "corpus"))]
        for item in (p["a"], p["b"]):
            assert any((folder / item.split("#")[0]).is_file() for folder in folders), item
    assert sum(p["same"] for p in pairs) >= 50 and sum(not p["same"] for p in pairs) >= 100
    # no pair is labelled twice (in either order): it would count twice in its part's figures
    labelled = [(str(p.get("set", "corpus")), *sorted((p["a"], p["b"]))) for p in pairs]
    assert len(labelled) == len(set(labelled))


def test_the_evaluation_finds_labels_that_contradict_each_other() -> None:
    evaluation = load_script(REPO_DIR / "bench" / "stories_eval.py")
    pairs: list[dict[str, object]] = [
        {"a": "x", "b": "y", "same": True, "part": "one"},
        {"a": "z", "b": "y", "same": True, "part": "two"},
        {"a": "x", "b": "z", "same": False, "part": "two"},  # x ~ y ~ z: one story
        {"a": "x", "b": "w", "same": False, "part": "two"},
    ]
    assert evaluation.contradictions(pairs) == [pairs[2]]


def test_the_evaluation_draws_the_pairs_of_a_document_together() -> None:
    """The intervals resample documents, not pairs: one document's ten wrong pairs and
    another's ten right ones are two draws, so precision may be 0 or 1 (a resample of pairs
    would keep it near 0.5)."""
    evaluation = load_script(REPO_DIR / "bench" / "stories_eval.py")
    pairs: list[dict[str, object]] = [
        *({"a": "d1.md#0", "b": f"d1.md#{n}", "same": False, "part": "p"} for n in range(1, 11)),
        *({"a": "d2.md", "b": f"d2.md#{n}", "same": True, "part": "p"} for n in range(10)),
    ]
    stories = {"corpus": {**{f"d1.md#{n}": "s1" for n in range(11)}, "d2.md": "s2", **{f"d2.md#{n}": "s2" for n in range(10)}}}
    figures = evaluation.evaluate(stories, pairs, ranges=True)["p"]
    assert (figures.precision, figures.recall) == (0.5, 1.0)
    assert figures.precision_range == (0.0, 1.0) and figures.recall_range == (1.0, 1.0)
    assert evaluation.evaluate(stories, pairs)["p"].precision_range is None


def test_the_evaluation_ranges_each_part_over_the_orders() -> None:
    """--orders: a part's figures in the grouping's own order (the first run) beside their
    range over every run, and in how many runs it meets the aim (0.95 / 0.90)."""
    evaluation = load_script(REPO_DIR / "bench" / "stories_eval.py")
    figures = evaluation.Figures
    runs = [{"p": figures(0.96, 0.91, 10, 2, 0), "q": figures(0.80, 0.95, 10, 2, 1)},
            {"p": figures(1.00, 0.85, 10, 2, 0), "q": figures(0.94, 0.99, 10, 2, 1)},
            {"p": figures(0.95, 0.90, 10, 2, 0), "q": figures(0.70, 0.50, 10, 2, 1)}]
    table = evaluation.over_orders(runs)
    assert table["p"] == (runs[0]["p"], (0.95, 1.00), (0.85, 0.91), 2)  # (the aim met on its bars, not the second run)
    assert table["q"] == (runs[0]["q"], (0.70, 0.94), (0.50, 0.99), 0)


def test_the_evaluation_groups_in_another_order_and_puts_the_grouping_s_back(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Run 0 is the grouping's own order (by link); another run sorts a list's entries in a
    fixed order of its own, the same each time; the grouping's order is back afterwards."""
    evaluation = load_script(REPO_DIR / "bench" / "stories_eval.py")
    entries = [model.Related(f"site.example/{n}", f"Title {n}", "", None) for n in range(12)]
    by_link = sorted(entries, key=lambda entry: entry.key)
    assert sorted(entries, key=evaluation.entry_order(0)) == by_link
    other = sorted(entries, key=evaluation.entry_order(3))
    assert other != by_link and other == sorted(reversed(entries), key=evaluation.entry_order(3))
    assert sorted(entries, key=evaluation.entry_order(4)) != other
    seen: list[Any] = []
    monkeypatch.setattr(evaluation, "SETS", {"seeds": (SEEDS_DIR,)})
    monkeypatch.setattr(evaluation, "entry_order", lambda run: lambda entry: seen.append(run) or entry.key)
    own = matching.Grouper.__dict__["entry_order"]
    stories = evaluation.predicted_stories(tmp_path, order=3)
    assert seen and set(seen) == {3}  # (the seeds' lists were sorted in run 3's order)
    assert matching.Grouper.__dict__["entry_order"] is own
    assert set(stories["seeds"]) >= set(SEEDS)


def test_one_order_decides_both_steps_that_take_a_list_s_entries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The claims of an article's story and the stories of entries alone take its list in the
    one order of Grouper.entry_order (what --orders of the evaluation changes)."""
    callers: set[str] = set()

    def order(entry: model.Related) -> str:
        callers.add(sys._getframe(1).f_code.co_name)  # (the function that sorts)
        return entry.key

    monkeypatch.setattr(matching.Grouper, "entry_order", staticmethod(order))
    with Library(tmp_path / "data") as library:
        library.sync([SEEDS_DIR])
    assert callers == {"_claim", "add"}


def test_gold_candidates_take_related_entries_as_items(tmp_path: Path) -> None:
    """With entries, a document's related entries are items numbered as the evaluation
    numbers them (an entry without title or link not counted), one item for each link (a
    document's link is that document), and paired by their own words."""
    candidates = load_script(REPO_DIR / "bench" / "gold_candidates.py")
    (tmp_path / "a.md").write_text(textwrap.dedent("""\
        ---
        title: "Zorblax unveils the quantum toaster"
        publishedDateTime: 2023-03-14T10:00:00Z
        webUrl: "https://one.example/toaster"
        related:
          - excerpt: "no title and no link"
          - title: "Lamp maker Brightco doubles its output"
            webUrl: "https://two.example/lamps"
          - title: "Brightco lamps: output doubled"
            webUrl: "https://three.example/lamps/"
          - title: "Brightco doubles lamp output"
            webUrl: "https://three.example/lamps"
          - title: "Zorblax toaster, seen elsewhere"
            webUrl: "https://www.four.example/gadgets"
        ---
        """), encoding="utf-8")
    (tmp_path / "b.md").write_text(textwrap.dedent("""\
        ---
        title: "Gadget roundup of the week"
        publishedDateTime: 2023-03-15T10:00:00Z
        webUrl: "https://four.example/gadgets"
        ---
        """), encoding="utf-8")
    items = candidates.read_items(tmp_path, entries=True)
    assert [item.id for item in items] == ["a.md", "a.md#0", "a.md#1", "b.md"]
    assert items[1].title == "Lamp maker Brightco doubles its output" and items[1].outlet == "two.example"
    assert items[1].published == items[0].published  # (no date of its own: its document's)
    pairs = {(p["a"], p["b"]) for p in candidates.candidates(items)}
    assert ("a.md#0", "a.md#1") in pairs
    assert "a.md#0\n" in candidates.listing(items)
    assert [item.id for item in candidates.read_items(tmp_path)] == ["a.md", "b.md"]


@pytest.fixture(scope="module")
def gold_evaluation(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, dict[str, Any]]:
    """The evaluation script, and the stories of every set of the gold set."""
    evaluation = load_script(REPO_DIR / "bench" / "stories_eval.py")
    return evaluation, evaluation.predicted_stories(tmp_path_factory.mktemp("gold"))


def test_the_evaluation_can_group_every_set_in_one_library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """--one-library: the sets' documents in one library, so a set's words are weighed among
    the other sets' documents too (the seeds' story is the same whichever way)."""
    evaluation = load_script(REPO_DIR / "bench" / "stories_eval.py")
    monkeypatch.setattr(evaluation, "SETS", {"seeds": (SEEDS_DIR,), "week2022": (WEEK2022,)})
    apart = evaluation.predicted_stories(tmp_path / "apart")
    together = evaluation.predicted_stories(tmp_path / "together", one_library=True)
    assert together["seeds"] is together["week2022"]
    assert set(together["seeds"]) == set(apart["seeds"]) | set(apart["week2022"])
    seeds = sorted(name for name in apart["seeds"] if "#" not in name)
    assert len({apart["seeds"][name] for name in seeds}) == len({together["seeds"][name] for name in seeds})


@pytest.fixture(scope="module")
def gold_figures(gold_evaluation: tuple[Any, dict[str, Any]]) -> dict[str, Any]:
    evaluation, predicted = gold_evaluation
    return evaluation.evaluate(predicted, json.loads(GOLD.read_text(encoding="utf-8"))["pairs"])


def test_gold_pairs_of_the_parts_rules_were_tuned_on(gold_evaluation: tuple[Any, dict[str, Any]]) -> None:
    """What the rules were chosen for, kept: precision first (the parts their thresholds were
    chosen on; not tune7 and tune8, labelled after them: 0.95 / 0.28 and 0.99 / 0.77 as they came)."""
    evaluation, predicted = gold_evaluation
    pairs = [p for p in json.loads(GOLD.read_text(encoding="utf-8"))["pairs"] if p["part"] in ("tune", "tune2", "tune3", "tune4", "tune5", "tune6")]
    tuned = evaluation.evaluate(predicted, pairs)["all"]
    assert tuned.precision >= 0.90 and tuned.recall >= 0.75


def test_the_windows_keep_precision_first(gold_figures: dict[str, Any]) -> None:
    """The two windows of real documents (a user's folder): look-alike news kept apart on
    both, and the first window's few real stories found."""
    for part in ("tune3", "heldout3", "tune4", "heldout4"):
        assert gold_figures[part].precision >= 0.95, part
    for part in ("tune3", "heldout3"):
        assert gold_figures[part].recall >= 0.90, part


@pytest.mark.xfail(
    reason="tune 0.96 / 0.77, tune2 1.00 / 0.897, held-out 0.905 / 0.68, heldout2b 0.97 / 0.74, tune4 0.95 / 0.88, heldout4 0.95 / "
           "0.73, heldout5 0.89 / 0.91, tune6 0.97 / 0.67, heldout6 0.98 / 0.74, heldout9 0.89 / 0.54, tune10 "
           "1.00 / 0.897, heldout10 0.71 / 0.82, tune11 0.80 / 0.82, heldout11 1.00 / 0.78, tune12 0.87 / "
           "0.95, heldout12 0.86 / 0.94, tune14 1.00 / 0.74, heldout14 0.85 / 0.66, tune15 0.947 / 0.80, "
           "heldout16 0.94 / 1.00, tune17 0.73 / 0.46, heldout17 0.82 / 0.87, tune18 0.83 / 1.00, heldout18 "
           "0.71 / 0.67, tune19 0.99 / 0.86, heldout19 0.87 / 0.96, tune20 0.94 / 1.00, heldout20 0.77 / 0.79, "
           "tune21 0.97 / 0.895, heldout21 0.96 / 0.81, tune22 1.00 / 0.78, heldout22 0.67 / 0.36, tune23 0.76 "
           "/ 0.23, heldout23 0.96 / 0.85, tune24 0.949 / 0.87, heldout24 0.93 / 0.86, heldout26 0.89 / 0.27, "
           "tune27 0.98 / 0.897, heldout27 0.79 / 0.33, tune28 0.996 / 0.75, heldout28 0.93 / 0.94, tune29 "
           "0.91 / 0.83: below the 0.95 / 0.90 target (tune3, heldout3, tune5, tune7, heldout7, tune8, heldout8, "
           "tune9, tune13, heldout13, heldout15, tune16, tune25, heldout25, tune26 and heldout29 meet it)", strict=True
)
def test_gold_pairs_meet_the_target(gold_figures: dict[str, Any]) -> None:
    for part in _PARTS:
        precision, recall = gold_figures[part].precision, gold_figures[part].recall
        assert precision >= 0.95 and recall >= 0.90


def test_the_readme_names_the_parts_that_meet_the_target(gold_figures: dict[str, Any]) -> None:
    """The README's "Below the aim of 0.95 / 0.90 on every part but …" names the parts that
    meet it, all of them."""
    text = " ".join((REPO_DIR / "README.md").read_text(encoding="utf-8").split())
    found = re.search(r"Below the aim of 0\.95 / 0\.90 on every part but (.*?)\. ", text)
    assert found is not None
    meeting = {part for part, figures in gold_figures.items()
               if part != "all" and figures.precision >= 0.95 and figures.recall >= 0.90}
    assert set(re.findall(r"`([\w-]+)`", found[1])) == meeting


# --------------------------------------------------------------------------- order, window, size


def _corpus_files(count: int, seed: int) -> list[tuple[str, bytes]]:
    make = load_script(REPO_DIR / "bench" / "make_corpus.py")
    return [(f.relpath.replace("/", "_"), f.data) for f in make.generate(count, seed)]


#: 120 generated documents (stories of several outlets, plain texts, broken files).
_GENERATED = _corpus_files(120, 3)
#: ... and the real ones: the corpus and the seeds.
_REAL = [(p.name, p.read_bytes()) for folder in (REPO_DIR / "tests" / "data" / "corpus", REPO_DIR / "seeds")
         for p in sorted(folder.iterdir()) if p.is_file() and p.name != "SOURCE.md"]
_expected: list[tuple[list[set[str]], list[list[str]]]] = []


@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
@given(order=st.randoms(use_true_random=False), cuts=st.lists(st.integers(1, 219), min_size=1, max_size=3))
def test_adding_documents_in_any_order_gives_the_same_stories(tmp_path_factory: pytest.TempPathFactory, order: Any, cuts: list[int]) -> None:
    files = _GENERATED + _REAL
    folder = tmp_path_factory.mktemp("docs")
    shuffled = list(files)
    order.shuffle(shuffled)
    with Library(tmp_path_factory.mktemp("data")) as library:
        start = 0
        for end in [*sorted(set(cuts)), len(shuffled)]:
            for name, data in shuffled[start:end]:
                (folder / name).write_bytes(data)
            library.sync([folder])
            start = end
        found = groups(library), held(library)
    if not _expected:  # one sync of all of them, once
        _expected.append(_one_sync_groups(tmp_path_factory.mktemp("once")))
    assert len(_expected[0][0]) >= 3 and len(_expected[0][1]) >= 3
    assert found == _expected[0]


def _one_sync_groups(tmp: Path) -> tuple[list[set[str]], list[list[str]]]:
    (tmp / "docs").mkdir()
    for name, data in _GENERATED + _REAL:
        (tmp / "docs" / name).write_bytes(data)
    with Library(tmp / "data") as library:
        library.sync([tmp / "docs"])
        return groups(library), held(library)


@settings(max_examples=2, deadline=None, suppress_health_check=list(HealthCheck))
@given(seed=st.integers(0, 50))
def test_no_story_spans_more_than_the_window_or_exceeds_100_versions(tmp_path_factory: pytest.TempPathFactory, seed: int) -> None:
    folder = tmp_path_factory.mktemp("corpus")
    for name, data in _corpus_files(1500, seed):
        (folder / name).write_bytes(data)
    with Library(tmp_path_factory.mktemp("data")) as library:
        library.sync([folder])
        spans = library.db.execute("SELECT max(last - first), max(versions), count(*) FROM stories WHERE versions > 1").fetchone()
    assert spans[2] > 10  # stories were formed
    assert spans[0] <= stories.WINDOW_DAYS * 86_400
    assert spans[1] <= stories.MAX_VERSIONS


def test_the_stories_of_generated_documents_are_the_ones_they_were_made_of(tmp_path: Path) -> None:
    """3,000 generated documents over six years: some 1,400 stories, each one piece of news
    reported by one to six outlets within three days either side of its date, and a company's
    other news days before or after in the words of its trade. Of the pairs of documents
    Reader puts in one story, 90 % or more are of one story of the generator's; and it puts
    85 % or more of those pairs in one story (a plain text is a story of its own)."""
    make = load_script(REPO_DIR / "bench" / "make_corpus.py")
    files = list(make.generate(3000, 3))
    folder = tmp_path / "docs"
    folder.mkdir()
    made: dict[str, int] = {}
    for generated in files:
        name = generated.relpath.replace("/", "_")
        (folder / name).write_bytes(generated.data)
        if generated.kind == "news":
            made[name] = generated.expect["story"]
    with Library(tmp_path / "data") as library:
        library.sync([folder])
        found = {Path(path).name: story for path, story in library.db.execute(
            "SELECT path, coalesce(story, id) FROM articles LEFT JOIN story_members ON article = id")}
    assert len(found) == sum(generated.kind != "broken" for generated in files)
    together, right, wanted = load_script(REPO_DIR / "bench" / "stories_truth.py").pair_counts(found, made)
    assert wanted > 2000  # (stories were made)
    assert right / together >= 0.9, (right, together)
    assert right / wanted >= 0.85, (right, wanted)


def test_grouping_while_reading_and_packing_closed_stories_changes_no_story(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The library is grouped a batch at a time as it is read, and the centroids of stories
    no article can join any more are packed: the same stories, evidence and claims as every
    article read first and fed, in order, to a grouping that packs nothing."""
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, data in _corpus_files(1200, 5):
        (folder / name).write_bytes(data)
    monkeypatch.setattr(storage, "_STEP", 64)  # (many batches)
    with Library(tmp_path / "data") as library:
        library.sync([folder])
        db = library.db
        members = {a: (s, e) for a, s, e in db.execute("SELECT article, story, evidence FROM story_members")}
        held = dict(db.execute("SELECT key, story FROM story_related").fetchall())
        grouper = storage._cache[id(db)].grouper
        items = sorted((storage._read(row)[0] for row in db.execute(storage._ROWS_SQL)), key=lambda i: i.order)
    # undated articles placed in stories that were packed: the packed centroids were read
    assert any(grouper.groups[members[i.id][0]].packed is not None for i in items
               if i.published is None and members[i.id][0] != i.id)
    monkeypatch.setattr(model.Group, "pack", lambda self: None)
    plain = stories.Grouper(key for item in items for key in item.url_keys)
    entries = EntryStories(plain)
    for item in items:
        if item.published is not None:
            plain.add(item)
            entries.add(item)
    late, late_evidence = plain.place_undated(i for i in items if i.published is None)
    evidence = {**plain.evidence, **late_evidence}
    assert not any(g.packed for g in plain.groups.values())
    assert len(members) == len(items) > 1000
    assert members == {a: (s, evidence.get(a)) for a, s in {**plain.story_of, **late}.items()}
    assert held == plain.claimed


def test_a_story_stops_at_100_versions() -> None:
    grouper = stories.Grouper()
    words = stories.read_words("Clearview AI told to stop scraping faces", "Venmo and YouTube demand that Clearview stop.")
    for i in range(150):
        grouper.add(stories.Item(f"{i:04d}", 1_000_000.0 + i, words, frozenset()))
    sizes = sorted(len(g.members) for g in grouper.groups.values())
    assert sizes == [50, 100]


# --------------------------------------------------------------------------- incremental


def test_a_newer_document_is_appended_without_grouping_again(tmp_path: Path, seeds_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    for name in (SEEDS[4], SEEDS[0]):  # 23 Jan, 5 Feb
        shutil.copy(seeds_dir / name, folder / name)
    with Library(tmp_path / "data") as library:
        library.sync([folder])
        full = storage._group_all
        calls: list[int] = []
        monkeypatch.setattr(storage, "_group_all", lambda *a: (calls.append(1), full(*a))[1])
        shutil.copy(seeds_dir / SEEDS[1], folder / SEEDS[1])  # 6 Feb: after the rest
        library.sync([folder])
        assert calls == []
        assert groups(library) == [{SEEDS[0], SEEDS[1]}]


def test_removing_a_document_groups_as_if_it_never_came(tmp_path: Path, seeds_dir: Path) -> None:
    folder = tmp_path / "docs"
    shutil.copytree(seeds_dir, folder)
    with Library(tmp_path / "data") as library:
        library.sync([folder])
        (folder / SEEDS[0]).unlink()
        library.sync([folder])
        after = groups(library)
    (tmp_path / "fresh").mkdir()
    for name in SEEDS[1:]:
        shutil.copy(seeds_dir / name, tmp_path / "fresh" / name)
    with Library(tmp_path / "data2") as library:
        library.sync([tmp_path / "fresh"])
        assert groups(library) == after


def test_a_library_without_stories_is_grouped_on_the_next_sync(tmp_path: Path, seeds_dir: Path) -> None:
    with Library(tmp_path / "data") as library:
        library.sync([seeds_dir])
        expected = groups(library)
        library.db.executescript("DELETE FROM story_members; DELETE FROM stories;")
        storage.forget_cache(library.db)
        assert groups(library) == []
        library.sync([seeds_dir])  # nothing changed on disk: the catch-up groups them
        assert groups(library) == expected


def test_a_library_grouped_by_other_rules_is_grouped_again_once(seeds_library: Library) -> None:
    """A library an earlier Reader grouped (other rules: here the seeds' story split in two,
    as such rules might have left it) is grouped again from the start by this one, once,
    though no document changed; then nothing waits."""
    db = seeds_library.db
    expected = groups(seeds_library)
    assert len(expected[0]) == 4  # (the BBC seed is apart: see test_the_seeds_are_one_story)
    storage.forget_cache(db)  # (another process: nothing of this grouping in memory)
    with seeds_library._transaction():
        apart = db.execute("SELECT min(article) FROM story_members GROUP BY story HAVING count(*) = 4").fetchone()[0]
        db.execute("UPDATE story_members SET story = ? WHERE article = ?", (apart, apart))
        db.execute("UPDATE meta SET value = 'an earlier Reader' WHERE key = 'story_rules'")
    assert groups(seeds_library) != expected
    assert stories.pending(db) == 5
    assert seeds_library.group_stories() == 5
    assert groups(seeds_library) == expected
    assert stories.pending(db) == 0 and seeds_library.group_stories() == 0


@pytest.mark.parametrize(
    "old_write",
    [
        "UPDATE story_state SET grouped = changes, generation = 12345",  # grouping the whole library
        "UPDATE story_state SET generation = 12345",  # appending newer articles to its grouping
    ],
    ids=["grouped", "appended"],
)
def test_a_grouping_written_by_a_reader_that_keeps_no_rules_is_grouped_again_once(
        seeds_library: Library, old_write: str) -> None:
    """A Reader from before the rules were kept (it writes the grouping and a new generation
    in story_state, and nothing in meta: as the Reader of commit 1ab339d did) groups a
    library this one grouped; its stories (here the seeds' story split in two) are grouped
    again from the start by this Reader, once, though the rules kept are this Reader's."""
    db = seeds_library.db
    expected = groups(seeds_library)
    assert len(expected[0]) == 4  # (the BBC seed is apart: see test_the_seeds_are_one_story)
    storage.forget_cache(db)  # (another process: nothing of this grouping in memory)
    kept_rules = db.execute("SELECT value FROM meta WHERE key = 'story_rules'").fetchone()
    with seeds_library._transaction():
        apart = db.execute("SELECT min(article) FROM story_members GROUP BY story HAVING count(*) = 4").fetchone()[0]
        db.execute("UPDATE story_members SET story = ? WHERE article = ?", (apart, apart))
        db.execute(old_write)
    assert db.execute("SELECT value FROM meta WHERE key = 'story_rules'").fetchone() == kept_rules
    assert groups(seeds_library) != expected
    assert stories.pending(db) == 5
    assert seeds_library.group_stories() == 5
    assert groups(seeds_library) == expected
    assert stories.pending(db) == 0 and seeds_library.group_stories() == 0


#: 0001-01-01T00:00:00Z (Go's zero time, a placeholder for "no date") as Readers stored it
#: before they knew it for one: a time in the year 1.
YEAR_ONE = -62_135_596_800


def test_placeholder_dates_an_earlier_reader_stored_group_as_undated(tmp_path: Path, seeds_dir: Path) -> None:
    """A library where an earlier Reader stored Go's zero time as the year 1 (an article's
    date, a related entry's) groups as a library made afresh, where they are undated: the
    copy of the Global News seed dated 0001-01-01 is in its story, the study's report named
    by a related entry dated 0001-01-01 is still a version of its story, and the Global News
    report, dated, leads its story by both lead rules (the stored one and Top stories' SQL)."""
    folder = tmp_path / "docs"
    folder.mkdir()
    seed = (seeds_dir / SEEDS[0]).read_text(encoding="utf-8")
    (folder / "dated.md").write_text(seed, encoding="utf-8")
    copy = "\n".join(
        "publishedDateTime: 0001-01-01T00:00:00Z" if line.startswith("publishedDateTime:")
        else 'webUrl: "https://example.org/copy-of-the-report"' if line.startswith("webUrl:")
        else line
        for line in seed.splitlines() if not line.startswith("ampWebUrl:")
    )
    (folder / "placeholder.md").write_text(copy + "\n", encoding="utf-8")
    study = (WINDOW2 / "2019-12-22-artificial-intelligence-can-help-detect-blood-cancer-study.md").read_text(encoding="utf-8")
    (folder / "study.md").write_text(study.replace("2019-12-26T11:12:00Z", "0001-01-01T00:00:00Z"), encoding="utf-8")

    def grouping(library: Library) -> tuple[object, ...]:
        db = library.db
        name = {a: Path(library.paths(a)[0]).name for (a,) in db.execute("SELECT id FROM articles")}
        evidence = sorted((name[a], e) for a, e in db.execute("SELECT article, evidence FROM story_members"))
        rows = sorted((name.get(lead), members, versions, outlets, first, last) for lead, members, versions, outlets, first, last
                      in db.execute("SELECT lead, members, versions, outlets, first, last FROM stories"))
        leads = sorted(name[a] for (a,) in db.execute(f"SELECT a.id FROM articles a WHERE {stories.top_sql('1')}"))
        return groups(library), evidence, held(library), rows, leads

    with Library(tmp_path / "fresh") as library:
        library.sync([folder])
        expected = grouping(library)
        assert expected[0] == [{"dated.md", "placeholder.md"}]
        assert any(key.startswith("deccanchronicle.com/") for keys in expected[2] for key in keys)
        assert expected[4] == ["dated.md", "study.md"]
    with Library(tmp_path / "data") as library:
        library.sync([folder])
        db = library.db
        with library._transaction():  # (as the earlier Reader stored them)
            db.execute("UPDATE articles SET published = ? WHERE published IS NULL", (YEAR_ONE,))
            db.execute("UPDATE articles SET data = json_set(data, '$.related[0].published', ?) "
                       "WHERE url LIKE 'https://www.thehealthsite.com/%'", (YEAR_ONE,))
            assert db.execute("SELECT count(*) FROM articles WHERE published = ? OR data LIKE ?",
                              (YEAR_ONE, f"%{YEAR_ONE}%")).fetchone()[0] == 2
            db.execute("UPDATE story_state SET changes = changes + 1")  # (to be grouped again from the start)
        storage.forget_cache(db)
        assert library.group_stories() == 3
        placeholder = next(r for r in library.rows(library.article_rowids()).values()
                           if library.paths(r.id)[0].endswith("placeholder.md"))
        assert placeholder.published == YEAR_ONE and library.article(placeholder.id).published is None  # (shown undated)
        assert grouping(library) == expected


def test_reader_search_does_not_group(tmp_path: Path, seeds_dir: Path) -> None:
    code, _ = run("search", "clearview", str(seeds_dir), "--data-dir", str(tmp_path / "data"))
    assert code == 0
    with Library(tmp_path / "data") as library:
        assert stories.pending(library.db) == 5


# --------------------------------------------------------------------------- names


def test_names_cross_languages_but_not_sentence_openers() -> None:
    english = stories.read_words("", "Facebook joined YouTube, Twitter and payment service Venmo. Clearview AI was told to stop.")
    assert {"youtube", "twitter", "venmo", "ai"} <= english.names
    assert {"facebook", "clearview"} <= english.openers  # sentence openers: names only if seen inside one
    swedish = stories.read_words("", "Facebook gick med i YouTube, Twitter och betaltjänsten Venmo. Clearview AI ska sluta.")
    assert english.names & swedish.names >= {"youtube", "twitter", "venmo", "ai"}
    plain = stories.read_words("", "Analysts said the deal was new. Investors were calm. Engineers agreed on Thursday.")
    assert plain.names == frozenset()


def test_a_word_capitalised_inside_a_sentence_as_often_as_at_its_start_is_a_name() -> None:
    once_each = stories.read_words("", "Apple said so. Shares of Apple rose.")
    assert "apple" in once_each.names and "shares" in once_each.openers
    only_openings = stories.read_words("", "Apple said so. Apple rose. \"Apple\" fell.")
    assert "apple" in only_openings.openers and "apple" not in only_openings.names
    assert {"rose", "fell", "shares"} <= once_each.words | only_openings.words
    assert "so" not in once_each.words and "of" not in once_each.words  # (three letters or more, no stop words)


def test_related_entries_left_unread_could_not_have_joined(tmp_path: Path, seeds_dir: Path) -> None:
    """A related entry is read only when its words can reach the bar: the bound must never be
    below the cosine it stands for (checked on every related entry of the real documents,
    against the story of the document that lists it)."""
    folder = tmp_path / "docs"
    folder.mkdir()
    for source in (REPO_DIR / "tests" / "data" / "corpus", seeds_dir):
        for path in source.iterdir():
            if path.is_file() and path.name != "SOURCE.md":
                shutil.copy(path, folder / path.name)
    with Library(tmp_path / "data") as library:
        library.sync([folder], group=False)
        items = sorted((storage._read(row)[0] for row in library.db.execute(storage._ROWS_SQL)), key=lambda i: i.order)
    grouper = stories.Grouper()
    checked = reached = 0
    for item in items:
        if item.published is None:
            continue
        grouper.add(item)
        group = grouper.groups[grouper.story_of[item.id]]
        for entry in item.related:
            cosine = grouper._cosine(grouper.weights.vector(stories.read_words(entry.title, entry.excerpt)), group)
            assert grouper._reach(entry, group) >= cosine * 0.999, entry.title
            checked += 1
            reached += cosine > 0.05
    assert checked >= 150 and reached >= 100


def test_a_sentence_opener_is_a_name_once_seen_inside_a_sentence() -> None:
    grouper = stories.Grouper()
    first = stories.read_words("", "Investors liked it. The firm Clearview said so.")
    grouper.add(stories.Item("a", 0.0, first, frozenset()))
    vector = grouper.weights.vector(stories.read_words("", "Clearview stopped. Investors left."))
    assert "@clearview" in vector and "@investors" not in vector


# --------------------------------------------------------------------------- Top stories


def write(folder: Path, name: str, title: str, *, day: int, domain: str, heat: int | None = None,
          quality: int | None = None, excerpt: str = "") -> None:
    extra = "".join(f"{key}: {value}\n" for key, value in (("heat", heat), ("quality", quality)) if value is not None)
    (folder / name).write_text(textwrap.dedent(f"""\
        ---
        title: "{title}"
        excerpt: "{excerpt}"
        publishedDateTime: 2024-03-{day:02d}T12:00:00Z
        webUrl: "https://{domain}/{name}"
        provider:
          name: "{domain}"
          domain: "{domain}"
        """) + extra + "---\n", encoding="utf-8")


@pytest.fixture
def ranked(tmp_path: Path) -> Library:
    """Three stories: three outlets last week; two outlets, hot and good, a month ago; two
    outlets today, no scores. And one lone article."""
    folder = tmp_path / "docs"
    folder.mkdir()
    for i, domain in enumerate(["a.example", "b.example", "c.example"]):
        write(folder, f"wide{i}.md", "Volcano erupts near Reykjavik, flights cancelled", day=24, domain=domain)
    for i, domain in enumerate(["d.example", "e.example"]):
        write(folder, f"hot{i}.md", "Chip maker unveils record breaking quantum processor", day=1, domain=domain, heat=100, quality=90)
    for i, domain in enumerate(["f.example", "g.example"]):
        write(folder, f"new{i}.md", "City council approves new bicycle lanes downtown", day=31, domain=domain)
    write(folder, "lone.md", "Local bakery wins national bread award", day=31, domain="h.example", heat=100, quality=100)
    library = Library(tmp_path / "data")
    library.sync([folder])
    yield library
    library.close()


def test_top_stories_order_and_score(ranked: Library) -> None:
    rows = ranked.rows(ranked.article_rowids(View(ViewKind.TOP)))
    order = [rows[r].title for r in ranked.article_rowids(View(ViewKind.TOP))]
    # wide: 40*3/8 + 20*(1 - 7/14) = 25.0; new: 40*2/8 + 20 = 30.0;
    # hot: 40*2/8 + 25*100/100 + 15*90/100 + 20*0 = 48.5 (30 days old)
    assert order == [
        "Chip maker unveils record breaking quantum processor",
        "City council approves new bicycle lanes downtown",
        "Volcano erupts near Reykjavik, flights cancelled",
    ]
    scores = []
    for rowid in ranked.article_rowids(View(ViewKind.TOP)):
        ranking = stories.ranking(ranked.db, rows[rowid].id)
        assert ranking is not None
        scores.append(round(ranking.score, 1))
        assert ranking.of == 3
        assert round(sum(points for _, _, points in ranking.parts), 1) == round(ranking.score, 1)
    assert scores == [48.5, 30.0, 25.0]
    assert [stories.ranking(ranked.db, rows[r].id).rank for r in ranked.article_rowids(View(ViewKind.TOP))] == [1, 2, 3]  # type: ignore[union-attr]
    assert ranked.counts().top.total == 3


def test_collapse_keeps_one_row_per_story(ranked: Library) -> None:
    rowids = ranked.article_rowids()
    kept, outlets = stories.collapse(ranked.db, rowids)
    assert len(rowids) == 8 and len(kept) == 4
    assert sorted(outlets.values()) == [2, 2, 3]
    assert kept == [r for r in rowids if r in set(kept)]  # the order is kept


def test_top_stories_rows_say_their_storys_outlets(ranked: Library) -> None:
    """Each row of Top stories (a story by its lead) with its story's outlets, as its
    collapsed row counts them; every copy of a story with the same; a document in no story
    of two versions with none."""
    top = ranked.article_rowids(View(ViewKind.TOP))
    rowids = ranked.article_rowids()
    _, collapsed = ranked.collapse_stories(rowids)
    assert sorted(ranked.story_outlets(top).values()) == sorted(collapsed.values()) == [2, 2, 3]
    every = ranked.story_outlets(rowids)
    for rowid in rowids:
        others = ranked.story_rowids(rowid)
        assert {every.get(r) for r in [rowid, *others]} == {every.get(rowid)}
    assert [r for r in rowids if r not in every] == [r for r in rowids if not ranked.story_rowids(r)]
    assert len(every) == 7 and ranked.story_outlets([]) == {}


# --------------------------------------------------------------------------- the command


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return cli.main(list(argv), out), out.getvalue()


def test_reader_stories_prints_the_seed_story(tmp_path: Path, seeds_dir: Path) -> None:
    code, text = run("stories", str(seeds_dir), "--data-dir", str(tmp_path / "data"))
    assert code == 0
    lines = text.splitlines()
    assert lines[0].startswith("Story · 3 outlets · 5 versions · 2020-02-05 ")
    assert "(related entry, not in the library)" in text and "St. Louis Post-Dispatch" in text
    assert "YouTube, Venmo: AI firm must stop scraping faces from sites" in text
    assert len(lines) == 6


def test_reader_stories_json(tmp_path: Path, seeds_dir: Path) -> None:
    code, text = run("stories", "--json", str(seeds_dir), "--data-dir", str(tmp_path / "data"))
    assert code == 0
    (record,) = [json.loads(line) for line in text.splitlines()]
    assert record["outlets"] == 3
    assert len(record["titles"]) == 5 and sum(v["in_library"] for v in record["versions"]) == 4
    assert record["topics"] == ["AI", "Computer Vision"]
    assert 0 <= record["score"] <= 100


def test_reader_stories_without_stories(tmp_path: Path, seeds_dir: Path) -> None:
    (tmp_path / "one").mkdir()
    shutil.copy(seeds_dir / SEEDS[2], tmp_path / "one")
    code, text = run("stories", str(tmp_path / "one"), "--data-dir", str(tmp_path / "data"))
    assert (code, text) == (1, "")


def test_a_sync_can_leave_grouping_for_later(tmp_path: Path, seeds_dir: Path) -> None:
    """The window loads without grouping (articles show at once) and groups afterwards."""
    with Library(tmp_path / "data") as library:
        library.sync([seeds_dir], group=False)
        assert len(stories.ungrouped(library.db)) == 5
        assert library.counts().top == Count(0, 0)
        seen: list[tuple[int, int]] = []
        assert library.group_stories(progress=lambda done, total: seen.append((done, total))) == 5
        assert seen and all(total == 5 for _, total in seen)
        assert stories.ungrouped(library.db) == []
        assert library.counts().top == Count(1, 1)
        assert library.group_stories() == 0


def test_ungrouped_lists_the_articles_without_a_story_in_id_order(tmp_path: Path, seeds_dir: Path) -> None:
    with Library(tmp_path / "data") as library:
        library.sync([seeds_dir])
        ids = sorted(a for (a,) in library.db.execute("SELECT id FROM articles"))
        assert stories.ungrouped(library.db) == [] and stories.pending(library.db) == 0
        left = [ids[3], ids[0], ids[4]]
        library.db.executemany("DELETE FROM story_members WHERE article = ?", [(a,) for a in left])
        assert stories.ungrouped(library.db) == sorted(left)
        assert stories.ungrouped(library.db, 2) == sorted(left)[:2]
        assert stories.pending(library.db) == 3
        library.db.rollback()


def test_the_score_is_out_of_100(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    for i in range(12):  # twelve outlets, heat 179 and quality 167: every part beyond its cap
        write(folder, f"w{i}.md", "Volcano erupts near Reykjavik, flights cancelled", day=24, domain=f"o{i}.example",
              heat=179, quality=167)
    with Library(tmp_path / "data") as library:
        library.sync([folder])
        (story,) = stories.all_stories(library.db)
        assert story.score == pytest.approx(100.0)
        ranking = stories.ranking(library.db, story.members[0])
        assert ranking is not None
        assert [round(points, 1) for _, _, points in ranking.parts] == [40.0, 25.0, 15.0, 20.0]


def test_concurrent_syncs_give_the_stories_of_one_sync(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, data in _GENERATED:
        (folder / name).write_bytes(data)
    halves = [tmp_path / "a", tmp_path / "b"]
    for half in halves:
        half.mkdir()
    for i, (name, data) in enumerate(_GENERATED):
        (halves[i % 2] / name).write_bytes(data)
    errors: list[BaseException] = []

    def sync(path: Path) -> None:
        try:
            with Library(tmp_path / "data") as library:
                library.sync([path])
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    Library(tmp_path / "data").close()  # (made first: two processes creating one library is another matter)
    threads = [threading.Thread(target=sync, args=(half,)) for half in halves]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with Library(tmp_path / "data") as library:
        library.sync([folder])  # (the files are the same: nothing to read, nothing to group)
        by_id = {i: set() for (i,) in library.db.execute("SELECT DISTINCT story FROM story_members")}
        for article, story in library.db.execute("SELECT article, story FROM story_members"):
            by_id[story].add(article)
        concurrent = sorted(sorted(g) for g in by_id.values() if len(g) > 1)
    with Library(tmp_path / "once") as library:
        library.sync([halves[0], halves[1]])
        by_id = {i: set() for (i,) in library.db.execute("SELECT DISTINCT story FROM story_members")}
        for article, story in library.db.execute("SELECT article, story FROM story_members"):
            by_id[story].add(article)
        once = sorted(sorted(g) for g in by_id.values() if len(g) > 1)
    assert len(once) >= 3 and concurrent == once


def test_the_places_are_read_once_and_again_when_the_stories_change(ranked: Library, tmp_path: Path) -> None:
    """The article pane asks for a story's place at every article opened: the places are read
    once for a state of the stories, and again when it changes (here a grouping that took
    two newer reports of the volcano in)."""
    def places_read(ids: list[str]) -> tuple[list[int | None], int]:
        executed: list[str] = []
        ranked.db.set_trace_callback(executed.append)
        try:
            ranks = [stories.ranking(ranked.db, i).rank for i in ids]  # type: ignore[union-attr]
        finally:
            ranked.db.set_trace_callback(None)
        return ranks, sum("ORDER BY" in sql and "SELECT s.story" in sql for sql in executed)

    def top_ids() -> list[str]:
        top = ranked.article_rowids(View(ViewKind.TOP))
        rows = ranked.rows(top)
        return [rows[r].id for r in top]

    ids = top_ids()
    assert places_read(ids)[0] == [1, 2, 3]
    assert places_read(ids) == ([1, 2, 3], 0)  # (read before, for this state)
    for i, domain in enumerate(["i.example", "j.example"]):
        write(tmp_path / "docs", f"late{i}.md", "Volcano erupts near Reykjavik, flights cancelled", day=31, domain=domain)
    ranked.sync([tmp_path / "docs"])
    assert places_read(top_ids()) == ([1, 2, 3], 1)  # (the list's order, read again once)


@pytest.mark.parametrize("url", [
    "https://www.Example.com/a/b/", "http://example.com/a/b/amp/", "https://example.com/story.amp.html",
    "https://example.com/a?utm_source=x", "https://example.com:8080/a", "https://example.com/a%20b",
    "https://example.com/a#top", "https://example.com/a&#038;b", "https://example.com", "https://ex-ample.co.uk/x.html",
])
def test_quick_link_keys_are_the_identity_keys(url: str) -> None:
    from reader.urls import identity_key

    assert storage.identity_key(url) == identity_key(url)


def test_top_stories_count_and_rank_agree_before_grouping_again(ranked: Library, tmp_path: Path) -> None:
    rows = ranked.rows(ranked.article_rowids(View(ViewKind.TOP)))
    lead = next(r for r in rows.values() if r.title.startswith("Chip maker"))
    other = next(r for r in rows.values() if r.title.startswith("Volcano"))
    (tmp_path / "docs" / Path(ranked.paths(lead.id)[0]).name).unlink()
    ranked.sync([tmp_path / "docs"], group=False)  # the story lost its lead; not grouped again yet
    ranking = stories.ranking(ranked.db, other.id)
    assert ranking is not None
    assert ranked.counts().top.total == ranking.of == 2
    ranked.group_stories()
    ranking = stories.ranking(ranked.db, other.id)
    assert ranking is not None and ranked.counts().top.total == ranking.of == 2  # (one document left: no story)


# --------------------------------------------------------------------------- what a story shows


def shown(library: Library) -> tuple[dict[str, tuple[str, str | None]], list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Everything the grouping writes, by file name: each document's story and why it joined;
    each held related entry, its story and the document (and place) whose copy of it is
    shown; each story's row (members, versions, outlets, first and last time)."""
    db = library.db
    names = {a: Path(library.paths(a)[0]).name for (a,) in db.execute("SELECT id FROM articles")}

    def story_name(story: str) -> str:
        if story in names:
            return names[story]
        article, _, key = story.removeprefix(ENTRY_PREFIX).partition("#")  # (a story of related entries alone)
        return f"{ENTRY_PREFIX}{names[article]}#{key}"

    members = {names[a]: (story_name(s), e) for a, s, e in db.execute("SELECT article, story, evidence FROM story_members")}
    related = sorted((k, story_name(s), names[a], e) for k, s, a, e in db.execute("SELECT key, story, article, entry FROM story_related"))
    rows = sorted((story_name(s), *rest) for s, *rest in db.execute(
        "SELECT story, members, versions, outlets, first, last FROM stories"))
    return members, related, rows


def _zorblax(name: str, day: int, related: str = "") -> tuple[str, bytes]:
    """A report of the Zorblax toaster (``related``: its related list, YAML; its title told
    apart by its name, not after a name: "Oslo (m1)" and "Oslo (m2)" would name two models)."""
    return name, textwrap.dedent(f"""\
        ---
        title: "Quibble Labs unveils Zorblax quantum toaster ({name[:-3]}) in Oslo"
        excerpt: "Quibble Labs showed its Zorblax quantum toaster to reporters in Oslo."
        publishedDateTime: 2020-03-{day:02d}T10:00:00Z
        webUrl: "https://{name[:-3]}.example/zorblax"
        provider:
          name: {name[:-3].upper()} News
          domain: {name[:-3]}.example
        """).encode() + related.encode() + b"---\n"


def _entry(date: str | None, outlet: str) -> str:
    """The related entry K (one page) as one document lists it: its own date and outlet."""
    return "".join([
        "related:\n",
        '  - title: "Zorblax quantum toaster unveiled in Oslo by Quibble Labs"\n',
        '    excerpt: "Quibble Labs unveiled the Zorblax quantum toaster in Oslo on Monday."\n',
        '    webUrl: "https://k.example/zorblax-toaster"\n',
        f"    publishedDateTime: {date}\n" if date else "",
        f"    provider:\n      name: {outlet}\n      domain: {outlet.split()[0].lower()}.example\n",
    ])


# Three reports of one event list the same related entry K, each its own copy: m1 (1 March)
# dates it 5 February (too early for a story that starts on 1 March: 25 days > 16), m2
# (3 March) gives no date, m3 (4 March) dates it 2 March. Only m2's copy fits when its story
# claims K (m3's comes after the claim): the story shows that copy — undated, of New Outlet —
# and covers 1 to 4 March with four outlets (m1, m2, m3 and New Outlet).
_HOLDER_FILES = [
    _zorblax("m1.md", 1, _entry("2020-02-05T10:00:00Z", "Old Outlet")),
    ("l.md", b'---\ntitle: "Stock markets close higher on Monday"\nexcerpt: "Markets rose across Europe."\n'
             b"publishedDateTime: 2020-03-02T10:00:00Z\nwebUrl: https://l.example/markets\n---\n"),
    _zorblax("m2.md", 3, _entry(None, "New Outlet")),
    _zorblax("m3.md", 4, _entry("2020-03-02T10:00:00Z", "Third Outlet")),
]


@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
@given(order=st.permutations(range(len(_HOLDER_FILES))), cuts=st.lists(st.integers(1, len(_HOLDER_FILES) - 1), max_size=3))
def test_an_entry_listed_with_other_dates_shows_the_copy_its_story_claimed_in_any_order(
        tmp_path_factory: pytest.TempPathFactory, order: list[int], cuts: list[int]) -> None:
    folder = tmp_path_factory.mktemp("docs")
    with Library(tmp_path_factory.mktemp("data")) as library:
        start = 0
        for end in [*sorted(set(cuts)), len(order)]:
            for i in order[start:end]:
                name, data = _HOLDER_FILES[i]
                (folder / name).write_bytes(data)
            library.sync([folder])
            start = end
        (story,) = library.stories()
        found = shown(library)
    assert {v.title[:16] for v in story.versions} == {"Quibble Labs unv", "Zorblax quantum "}
    (entry,) = [v for v in story.versions if not v.in_library]
    assert (entry.published, entry.outlet) == (None, "New Outlet")
    assert (story.first.isoformat(), story.last.isoformat()) == ("2020-03-01T10:00:00+00:00", "2020-03-04T10:00:00+00:00")
    assert story.outlets == 4
    (held_entry,) = found[1]
    assert held_entry[2] == "m2.md"
    (row,) = [r for r in found[2] if r[2] > 1]
    assert row[4:] == (1583056800.0, 1583316000.0) and row[5] - row[4] <= stories.WINDOW_DAYS * 86_400


def _news(folder: Path, name: str, title: str, excerpt: str, day: str) -> None:
    (folder / name).write_text(f'---\ntitle: "{title}"\nexcerpt: "{excerpt}"\npublishedDateTime: 2022-{day}T10:00:00Z\n'
                               f'webUrl: "https://{name[:-3]}.example/news"\nprovider:\n  name: {name[:-3]}\n---\n',
                               encoding="utf-8")


def test_appending_newer_documents_writes_what_grouping_them_at_once_writes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Newer documents are appended to the grouping kept in memory; what is written then is
    what grouping every document at once writes — why an undated article joined too, which
    changes with every document counted before it (its similarity, the terms it shares)."""
    folder = tmp_path / "docs"
    folder.mkdir()
    _news(folder, "a.md", "Ericsson tests edge AI cameras in San Francisco",
          "Ericsson said its privacy team in San Francisco will test edge AI cameras next year.", "11-27")
    (folder / "note.txt").write_text("Ericsson trains new privacy rules for cameras\n\n"
                                     "Ericsson in San Francisco trains privacy rules for AI cameras.\n", encoding="utf-8")
    with Library(tmp_path / "data") as library:
        library.sync([folder])
        before = shown(library)
        full = storage._group_all
        monkeypatch.setattr(storage, "_group_all", lambda *a: pytest.fail("grouped again instead of appended"))
        _news(folder, "b.md", "Privacy rules for voice assistants", "Regulators in San Francisco discuss privacy.", "12-01")
        library.sync([folder])
        _news(folder, "c.md", "Edge AI cameras market grows", "Analysts expect the edge AI cameras market to grow.", "12-02")
        library.sync([folder])
        found = shown(library)
        monkeypatch.setattr(storage, "_group_all", full)
    with Library(tmp_path / "fresh") as library:
        library.sync([folder])
        expected = shown(library)
    assert before[0]["note.txt"][0] == expected[0]["note.txt"][0] == "a.md"  # (it joined a's story, and stays)
    assert before[0]["note.txt"][1] != expected[0]["note.txt"][1]  # (why changed: the words counted before it did)
    assert found == expected


def test_a_grouping_that_fails_to_write_leaves_the_next_one_to_start_from_the_library(
        tmp_path: Path, seeds_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    for name in (SEEDS[4], SEEDS[0]):  # 23 Jan, 5 Feb
        shutil.copy(seeds_dir / name, folder / name)
    with Library(tmp_path / "data") as library:
        library.sync([folder])
        shutil.copy(seeds_dir / SEEDS[1], folder / SEEDS[1])  # 6 Feb: appended
        library.sync([folder], group=False)
        written = storage._write_entry_stories

        def full(*args: Any) -> None:  # the disk is full while the append writes
            monkeypatch.setattr(storage, "_write_entry_stories", written)
            raise sqlite3.OperationalError("database or disk is full")

        monkeypatch.setattr(storage, "_write_entry_stories", full)
        with pytest.raises(LibraryError):
            library.group_stories()
        assert stories.pending(library.db) == 1
        assert library.group_stories() == 3  # (the library grouped again: the append was forgotten)
        assert stories.pending(library.db) == 0
        found = shown(library)
    with Library(tmp_path / "fresh") as library:
        library.sync([folder])
        assert found == shown(library)
    assert groups_of(found) == [{SEEDS[0], SEEDS[1]}]


def groups_of(found: tuple[dict[str, tuple[str, str | None]], Any, Any]) -> list[set[str]]:
    """The stories of two or more documents in what :func:`shown` found."""
    by_story: dict[str, set[str]] = {}
    for name, (story, _) in found[0].items():
        by_story.setdefault(story, set()).add(name)
    return sorted((g for g in by_story.values() if len(g) > 1), key=sorted)


def test_every_view_counts_the_outlets_of_documents_without_a_provider_alike(tmp_path: Path) -> None:
    """Two reports without a provider, at links of two hosts: two outlets; two reports with
    neither a provider nor a link: one outlet at least, never none — in `reader stories`,
    the article pane's coverage (a story as loaded) and the collapsed list alike."""
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, day, link in (("a", 1, "originalUrl: https://www.a.example/clearview\n"),
                            ("b", 2, "originalUrl: https://b.example/clearview\n"), ("c", 3, ""), ("d", 4, "")):
        title = ("Clearview AI told to stop scraping faces from YouTube and Venmo" if name in "ab"
                 else "Volcano erupts near Reykjavik and flights across Iceland are cancelled")
        title += f" ({name})"  # (each its own document)
        (folder / f"{name}.md").write_text(
            f'---\ntitle: "{title}"\npublishedDateTime: 2021-03-0{day}T10:00:00Z\n{link}---\n', encoding="utf-8")
    with Library(tmp_path / "data") as library:
        library.sync([folder])
        by_title = {s.versions[0].title[:9]: s for s in library.stories()}
        assert {t: s.outlets for t, s in by_title.items()} == {"Clearview": 2, "Volcano e": 1}
        # (and each version is shown by the outlet it is counted as: the host of its link)
        assert [v.outlet for v in by_title["Clearview"].versions] == ["a.example", "b.example"]
        assert [v.outlet for v in by_title["Volcano e"].versions] == [None, None]
        rowids = library.article_rowids()
        _, counts = library.collapse_stories(rowids)
        rows = library.rows(rowids)
        assert sorted((rows[r].title[:9], n) for r, n in counts.items()) == [("Clearview", 2), ("Volcano e", 1)]
    code, text = run("stories", "--json", str(folder), "--data-dir", str(tmp_path / "data"))
    assert code == 0
    assert sorted((r["titles"][0][:9], r["outlets"]) for r in map(json.loads, text.splitlines())) == [
        ("Clearview", 2), ("Volcano e", 1)]


def test_related_entries_that_are_versions_of_the_story_by_their_links_are_not_listed_again() -> None:
    """The article pane lists under "Related, not this story" only what the story does not
    hold: another document's copy of an entry (the same link written with "www." and a slash,
    another title), an entry that is a document of the story, an entry without a link by its
    title; not an entry of other news."""
    from reader.article import Related as Entry
    from reader.stories import Version, not_versions

    versions = [
        Version("Robot arm beats Carlsen", "Gamma", None, None, "https://gamma.example/world/robot-arm-carlsen", None),
        Version("Beta's report", "Beta", None, None, "https://beta.example/news/1", "beta-doc"),
        Version("No link here", "Delta", None, None, None, None),
    ]
    related = (
        Entry("Robot arm beats Carlsen - Gamma Post", "https://www.gamma.example/world/robot-arm-carlsen/"),
        Entry("Beta, under another title", "https://beta.example/news/1"),
        Entry("no link HERE "),
        Entry("Volcano erupts", "https://epsilon.example/volcano"),
    )
    assert not_versions(related, versions) == (related[3],)


def test_an_entry_that_names_a_document_of_the_story_by_its_amp_link_is_not_listed_again(tmp_path: Path) -> None:
    """The grouping knows a document by its link and by its AMP link: an entry that names the
    AMP link is that document, a version of the story, not "Related, not this story"."""
    folder = tmp_path / "docs"
    folder.mkdir()
    title, excerpt = "Zorbatron ships the Quillex quantum chip", "Zorbatron shipped its Quillex quantum chip to Krendal labs on Monday."
    (folder / "d.md").write_text(textwrap.dedent(f"""\
        ---
        title: "{title}"
        excerpt: "{excerpt}"
        publishedDateTime: 2024-03-04T10:00:00Z
        webUrl: "https://d.example/2024/quillex"
        ampUrl: "https://amp.d.example/2024/quillex"
        provider:
          name: D
          domain: d.example
        ---
        """), encoding="utf-8")
    (folder / "e.md").write_text(textwrap.dedent(f"""\
        ---
        title: "{title}, says Krendal"
        excerpt: "{excerpt}"
        publishedDateTime: 2024-03-04T12:00:00Z
        webUrl: "https://e.example/quillex"
        provider:
          name: E
          domain: e.example
        related:
          - title: "{title}"
            url: "https://amp.d.example/2024/quillex"
            publishedDateTime: 2024-03-04T10:00:00Z
        ---
        """), encoding="utf-8")
    with Library(tmp_path / "data") as library:
        library.sync([folder])
        e = next(a for a in (library.article(r) for r in library.article_rowids(View(ViewKind.ALL))) if a and a.url.startswith("https://e."))
        context = stories.context(library.db, e.id)
        assert context.story is not None and len(context.story.versions) == 2
        assert stories.not_versions(e.related, context.story.versions) == ()


def test_one_outlet_written_three_ways_is_one_outlet() -> None:
    """A provider's domain with "www.", a link's host, and a provider named but with a link:
    one outlet; a provider known by its name alone is its name."""
    from reader.stories.storage import _outlet, outlet_count

    spellings = [
        _outlet("Reuters", "www.Reuters.com"),
        _outlet(None, None, "https://www.reuters.com/world/a"),
        _outlet("Reuters UK", None, "https://reuters.com/world/b"),
        _outlet("reuters.com", "reuters.com", "https://example.org/syndicated"),
    ]
    assert set(spellings) == {"reuters.com"} and outlet_count(set(spellings)) == 1
    assert _outlet("The Daily Dot", None) == "the daily dot" and _outlet(None, None) is None


def test_a_domain_written_as_a_page_address_counts_by_its_host() -> None:
    """Two documents of tests/data/aug2021 give a page's address as their provider's domain
    (CBS News' "cbsnews.com/news/u-s-probing-…/"; a related entry of CNBC's "com/2021/08/24/waymo-…"):
    the first is CBS News' outlet, the second names no host, so its link's host counts."""
    from reader.stories.storage import _outlet

    cbs = "cbsnews.com/news/u-s-probing-autopilot-problems-on-765000-tesla-vehicles/"
    assert _outlet(cbs, cbs, "https://www.cbsnews.com/news/u-s-probing-autopilot-problems-on-765000-tesla-vehicles/") == "cbsnews.com"
    assert _outlet("CBS News", "https://www.CBSNews.com/", None) == "cbsnews.com"
    waymo = "com/2021/08/24/waymo-opens-self-driving-car-testing-to-some-san-francisco-residents.html"  # (its name too)
    assert _outlet(waymo, waymo, "https://www.cnbc.com/2021/08/24/waymo-opens.html") == "cnbc.com"
    text = (AUG2021 / "2021-08-16-us-probing-autopilot-problems-on-765000-tesla-vehicles.md").read_text(encoding="utf-8")
    assert f"  domain: {cbs}\n" in text  # (as the archive writes it)


def test_an_article_joined_by_its_names_says_which_names(tmp_path: Path) -> None:
    """The Swedish seed joins its story by the names it shares (written the same in any
    language): its evidence names those names and no other word."""
    with Library(tmp_path / "data") as library:
        library.sync([SEEDS_DIR])
        (swedish,) = [a for (a,) in library.db.execute("SELECT id FROM articles WHERE language = 'sv'")]
        evidence = stories.evidence_of(library.db, swedish)
    assert evidence is not None and evidence.startswith("the same names (")
    names = evidence.split(": ", 1)[1].split(", ")
    assert set(names) <= {"youtube", "twitter", "facebook", "venmo", "clearview", "ai", "google", "linkedin", "new", "york"}, names


def test_one_event_reported_in_two_languages_is_one_story(tmp_path: Path) -> None:
    """An English and a French report of one announcement, each title naming the country in
    its language (tests/data/languages/SOURCE.md): the titles' place names are translations,
    not two subjects (that rule keeps apart press releases of one mould in one language)."""
    with Library(tmp_path / "data") as library:
        library.sync([REPO_DIR / "tests" / "data" / "languages"])
        assert [len(s.members) for s in library.stories()] == [2]


def test_candidate_stories_are_those_sharing_the_most_rare_terms_however_many_postings() -> None:
    """An undated article's rare terms may each point at up to POSTING_MAX stories (they are
    counted another way then): the candidates are the stories sharing at least SHARED_MIN of
    its terms, those sharing the most first and, among equals, by id."""
    def named(numbers: range) -> set[str]:
        return {f"s{n:02d}" for n in numbers}

    few = {"a": named(range(0, 4)), "b": named(range(2, 6)), "c": named(range(3, 7))}
    assert stories.Grouper._candidates(["a", "b", "c", "x"], few) == ["s02", "s03", "s04", "s05"]
    many = {"a": named(range(0, 40)), "b": named(range(20, 60)), "c": named(range(30, 70))}  # (120 postings)
    assert stories.Grouper._candidates(["a", "b", "c"], many) == [f"s{n}" for n in range(30, 38)]  # (3 shared; 8 at most)
    assert stories.Grouper._candidates(["a", "b", "c"], many, 12) == [f"s{n}" for n in range(30, 40)] + ["s20", "s21"]
    assert stories.Grouper._candidates(["a"], many) == []  # (one term in common is not enough)


def test_terms_that_weigh_alike_are_shown_in_the_order_of_their_words() -> None:
    """The evidence names the terms shared that weigh most; two that weigh the same, whatever
    rounding errors their sums carry (0.1 + 0.2 + 0.3 is not 0.3 + 0.2 + 0.1 in floats, and the
    order a set of words is summed in differs run to run), come in the order of their words."""
    assert 0.1 + 0.2 + 0.3 != 0.3 + 0.2 + 0.1
    group = stories.Grouper().groups.setdefault("s", model.Group("s", None, None))
    group.centroid = {"zinc": 0.1 + 0.2 + 0.3, "acme": 0.3 + 0.2 + 0.1, "yard": 0.2}
    vector = {"zinc": 1.0, "acme": 1.0, "yard": 1.0}
    match = model.Match(0.5, 0.0, 0, False, shared=set(vector))
    assert matching.Grouper._why(vector, group, match, "similar to the story (0.50)").endswith(": acme, zinc, yard")


def test_an_undated_article_no_story_shares_two_terms_with_is_alone_unweighed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Undated articles are placed again after every change: one whose terms no story holds two
    of (a plain text on other things) stays alone without its words being weighed; one that
    shares the story's words is weighed and joins it."""
    grouper = stories.Grouper()
    for n in range(20):
        grouper.add(_article(f"f{n}", n * 0.01, f"Gardening note {n}", f"The allotment society met about tomatoes {n}."))
    grouper.add(_article("a", 1, *_PLANT))
    grouper.add(_article("b", 2, *_PLANT_AGAIN))
    weighed: list[object] = []
    weigh = grouper.weights.weigh
    monkeypatch.setattr(grouper.weights, "weigh", lambda words, *args, **kw: weighed.append(words) or weigh(words, *args, **kw))
    lonely = replace(_article("u1", 0, "Quarterly minutes", "The choir rehearsed hymns in the chapel on Sunday evening."),
                     published=None)
    plant = replace(_article("u2", 0, *_PLANT), published=None)
    story_of, _ = grouper.place_undated([lonely, plant])
    assert story_of == {"u1": "u1", "u2": grouper.story_of["a"]}
    assert weighed == [plant.words]


def test_the_baseline_judges_pairs_by_their_words_alone() -> None:
    """bench/stories_baseline.py: pairwise, a pair is together at its own cosine; single link
    chains a ~ b ~ c though a and c share no word; one link under two names is one item."""
    baseline = load_script(REPO_DIR / "bench" / "stories_baseline.py")
    read = baseline.Read
    items = {"a": read("1", {"x": 0.8, "y": 0.6}), "b": read("2", {"y": 0.6, "z": 0.8}), "c": read("3", {"z": 1.0}),
             "d": read("4", {"w": 1.0}), "d2": read("4", {"v": 1.0})}
    assert baseline.similarity(items["a"], items["b"]) == pytest.approx(0.36)
    assert baseline.similarity(items["a"], items["c"]) == 0.0
    assert baseline.similarity(items["d"], items["d2"]) == 1.0  # (one link under two names)
    groups = baseline.single_link(items, 0.3)
    assert groups["a"] == groups["b"] == groups["c"] != groups["d"] == groups["d2"]
    assert len(set(baseline.single_link(items, 0.9).values())) == 4
    pairs = [{"a": "a", "b": "b", "same": True}, {"a": "a", "b": "c", "same": False}, {"a": "b", "b": "c", "same": True},
             {"a": "c", "b": "d", "same": True}]
    joined = baseline.counts(pairs, lambda p: groups[p["a"]] == groups[p["b"]])
    assert joined == baseline.Counts(2 / 3, 2 / 3, 1)
    counts = baseline.Counts
    by_bar = {0.2: counts(0.90, 0.95, 9), 0.3: counts(0.95, 0.80, 3), 0.4: counts(0.97, 0.80, 1), 0.5: counts(1.0, 0.5, 0)}
    assert baseline.best_bar(by_bar) == 0.3  # (the most recall at 0.95 or more; the lowest bar on a tie)
    assert baseline.best_bar({0.2: counts(0.90, 0.95, 9)}) is None
    # (a model's vectors are sequences of its dimensions)
    assert baseline.similarity(read("5", (0.6, 0.8)), read("6", (1.0, 0.0))) == pytest.approx(0.6)
    similar = baseline.similarities(items)
    assert len(similar) == 10 and similar[("a", "b")] == pytest.approx(0.36) and similar[("d", "d2")] == 1.0
    assert baseline.single_link(items, 0.3, similar) == groups


def test_the_baseline_reads_each_text_once_with_a_model(monkeypatch: pytest.MonkeyPatch) -> None:
    """--model: every item's vector is the model's unit vector of its text, each text encoded
    once, and one library's items (every set's) replaced once."""
    baseline = load_script(REPO_DIR / "bench" / "stories_baseline.py")
    encoded: list[list[str]] = []

    class Model:
        def __init__(self, folder: str, device: str) -> None:
            assert (folder, device) == ("a-model", "cpu")

        def encode(self, texts: list[str], **options: object) -> list[list[float]]:
            assert options["normalize_embeddings"] is True
            encoded.append(texts)
            return [[1.0, 0.0] if "Venmo" in text else [0.0, 1.0] for text in texts]

    monkeypatch.setitem(sys.modules, "sentence_transformers", types.SimpleNamespace(SentenceTransformer=Model))
    read = baseline.Read
    venmo, twitter = baseline._text("Venmo joins", "A letter"), baseline._text("Twitter", None)
    assert (venmo, twitter) == ("Venmo joins\nA letter", "Twitter")
    whole = {"d.md": read("d", {"x": 1.0}, 1.0, venmo), "d.md#0": read("e", {"y": 1.0}, 2.0, venmo),
             "f.md": read("f", {"x": 1.0}, None, twitter)}
    items, took = baseline.embedded({"jan": whole, "feb": whole, "mar": {"g.md": read("g", {}, None, twitter)}}, "a-model")
    assert encoded == [sorted([venmo, twitter])] and took >= 0.0
    assert items["jan"] is items["feb"] and items["jan"]["d.md#0"] == read("e", (1.0, 0.0), 2.0, venmo)
    assert baseline.similarity(items["jan"]["d.md"], items["jan"]["d.md#0"]) == 1.0
    assert baseline.similarity(items["jan"]["d.md"], items["jan"]["f.md"]) == 0.0
    assert items["mar"]["g.md"].vector == (0.0, 1.0)


def test_the_baseline_reads_every_gold_item_as_grouping_weighs_it(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Every document and related entry of a library gets a unit vector of its words, and
    an entry whose link is a document of the library is that document."""
    baseline = load_script(REPO_DIR / "bench" / "stories_baseline.py")
    opened = folder_library(tmp_path_factory, REPO_DIR / "tests" / "data" / "dec2023")
    library = next(opened)  # (open while ``opened`` is held)
    items = baseline.read_items(library)
    documents = {name for name in items if "#" not in name}
    assert len(documents) == 8 and len(items) > 100
    for item in items.values():
        assert sum(w * w for w in item.vector.values()) == pytest.approx(1.0)
    ids = {row[0] for row in library.db.execute("SELECT id FROM articles")}
    assert {items[name].key for name in documents} == ids
    # (an entry listing another document of the library is that document: one item)
    listed = [name for name in items if "#" in name and items[name].key in ids]
    assert listed and all(baseline.similarity(items[name], items[next(d for d in documents if items[d].key == items[name].key)]) == 1.0
                          for name in listed)


def test_the_baseline_counts_the_pairs_kept_apart_by_list_hours_and_cosine() -> None:
    """--apart: each pair the stories keep apart counted once, by whether both items come from
    one document's file, the band of the hours between them and the band of their cosine."""
    baseline = load_script(REPO_DIR / "bench" / "stories_baseline.py")
    assert [baseline.band(v, (0.1, 0.2, 0.3)) for v in (0.0, 0.1, 0.25, 0.3, 0.9)] == [0, 1, 2, 3, 3]
    read = baseline.Read
    hour = 3600.0
    items = {"corpus": {"d.md": read("d", {"x": 1.0}, 100 * hour), "d.md#0": read("e0", {"x": 0.6, "y": 0.8}, 103 * hour),
                        "d.md#1": read("e1", {"z": 1.0}, 130 * hour), "f.md": read("f", {"y": 1.0}, None)}}
    pairs = [{"a": "d.md", "b": "d.md#0", "same": True}, {"a": "d.md", "b": "d.md#1", "same": False},
             {"a": "d.md#0", "b": "f.md", "same": True}, {"a": "d.md", "b": "f.md", "same": False}]
    table = baseline.apart(pairs, items, lambda p: p["b"] == "f.md" and p["a"] == "d.md")  # (the last together)
    assert table == {(True, 0, 3, True): 1,  # one list, 3 hours, cosine 0.6
                     (True, 2, 0, False): 1,  # one list, 30 hours, cosine 0
                     (False, 4, 3, True): 1}  # two files, one undated, cosine 0.8
