"""Pieces about the news (questions, explainers, first-person accounts) and reports of it."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest

from reader import stories
from reader.library import Library
from reader.stories.model import Item, Related
from reader.stories.titles import aside
from reader.stories.related import ENTRIES_SIMILAR, EntryStories
from reader.stories.storage import related_key
from reader.stories.text import read_words
from libraries import folder_library

WEEK = Path(__file__).parent / "data" / "week2023"
#: OpenAI's release of GPT-4 (14 March 2023). Its related entries, read by hand: #22 and #26
#: report the release; #4 (Forbes, "What You Need To Know About GPT-4 …") and #9 (AP, "What
#: can ChatGPT maker's new AI model GPT-4 do?") explain it; #25 ("I Got a First Look at
#: OpenAI's GPT-4. Here's How It's Going to Revolutionize Industries …") is a columnist's view.
GPT4 = "2023-03-15-openai-releases-gpt-4-artificial-intelligence-that-can-see-and-do-taxes.md"
#: General Motors' car assistant (14 March 2023); its related entry #2 reports Microsoft's cut
#: of its AI ethics team. Microsoft's cut as Reuters reported it lists #10, "Elon Musk Questions
#: Microsoft's Decision to Layoff AI Ethics Team": a reaction, not the event.
CAR = "2023-03-14-the-tech-behind-chatgpt-could-power-your-next-cars-ai-driving-assistant.md"
CUT = "2023-03-15-microsoft-cuts-team-focused-on-ai-ethics-report-says.md"


@pytest.mark.parametrize(("title", "expected"), [
    ("What can ChatGPT maker's new AI model GPT-4 do?", True),
    ("GPT-4 Is Here: What Can ChatGPT Maker's New AI Model Do?", True),
    ("What You Need To Know About GPT-4 The Just Released Successor To Generative AI ChatGPT", True),
    ("I Got a First Look at OpenAI's GPT-4. Here's How It's Going to Revolutionize Industries Worldwide", True),
    ("The Zephyrine landing explained", True),
    ("Elon Musk Questions Microsoft's Decision to Layoff AI Ethics Team", True),
    ("Lightning AI CEO slams OpenAI’s GPT-4 paper as “masquerading as research”", True),
    ("Microsoft faces questions over the cut of its AI ethics team", False),
    ("Questions remain over the cause of the Autopilot crash", False),
    ("OpenAI unveils GPT-4, its most advanced AI language model", False),
    ("Ethics or Profit? Microsoft's Layoffs Reportedly Target AI Team Amid Google Rivalry", False),
    ("Google's Bard AI chatbot is now open to users in the US and UK. Here's how it works", False),
    ("IBM to sell Watson Health assets", False),
    ("I tried the new Bing and it was weird", True),
    ("I Sverige ökar användningen av artificiell intelligens i vården", False),  # ("I": "in")
    ("I dag lanserar OpenAI sin nya språkmodell GPT-4", False),
    ("I ricercatori italiani presentano un nuovo modello linguistico", False),  # ("I": "the")
    ("I'm a Tesla owner and I tried the new self-driving beta", True),
    ("I’ve used Bard for a week and it is not ready", True),
    ("We asked ChatGPT to write a listicle in the style of Buzzfeed. It's obvious why Buzzfeed is going to start using OpenAI tech.",
     True),  # (the outlet's own trial)
    ("We tried the new Bing and it was weird", True),
    ("We could see federal regulation on face recognition as early as next week", False),  # (no trial)
    ("We moved too fast, says the chief executive", False),
    ("We put safety first, says OpenAI's chief executive", False),  # (a quote without its marks)
    ("We compared Bard and ChatGPT on fifty questions", True),
    ("We vragen ChatGPT om een lijstje", False),  # (Dutch "we": no verb of a trial in English)
    ("Is GPT-4 the end of homework?!", True),
    ("GPT-4 能做什么？", True),
    ("ماذا يستطيع GPT-4 أن يفعل؟", True),
    ("OpenAI releases GPT-4!", False),
    ("ChatGPT and Generative AI: Our Guide to 2023's Most Talked-About Technology", True),
    ("A guide to the EU's new AI rules", True),
    ("Microsoft AI Data Exposure: 5 Things To Know", True),
    ("Five things you need to know about the EU’s new AI Act", True),
    ("Things to come: the EU agrees its AI Act", False),
    ("Microsoft Is All-In on AI: 2 Ways It Will Benefit", True),  # (a listicle)
    ("You can jump the waitlist for Microsoft's AI Bing chat. Here's how.", True),  # (a guide)
    ("Microsoft's Bing AI chatbot has said a lot of weird things. Here's a list.", True),
    ("Technology Is About to Radically Redefine the Luxury Car. Here’s How.", True),
    ("Microsoft just launched a Notion AI competitor called Loop. Here's how you can access it", False),
    ("How AI chatbots could change online search", True),  # (a speculative explainer)
    ("How Generative AI Could Disrupt Creative Work", True),
    ("ChatGPT: how it will change search", True),
    ("What Chatbot Bloopers Reveal About the Future of AI", True),
    ("What OpenAI's wave of releases says about 2024", True),
    ("How Microsoft cut 10,000 jobs in a week", False),
    ("Microsoft says how it will cut jobs", False),
    ("Google intensifies its bid to lead AI race, announces Google DeepMind: Here's what it means", False),
    ("The AI Wars Between Microsoft And Google: 8 Lessons For Entrepreneurs", True),
    ("4 things Claude AI can do that ChatGPT can't", True),
    ("Three reasons Nvidia's results beat the forecasts", True),
    ("10 takeaways from Google I/O", True),
    ("Five quick tips for writing prompts", True),
    ("Waymo finds new ways to test its driverless cars", False),  # (no number: a report)
    ("Galaxy AI: 3 Samsung Galaxy S24 features for monolingual travelers", True),  # (up to four words before what it counts)
    ("5 Artificial Intelligence Stocks to Consider", True),
    ("Five open-source AI tools to know", True),
    ("Microsoft unveils 3 new Copilot features for Word", False),  # (inside a sentence: a report)
    ("Seven AI companies commit to safeguards", False),
    ("2 Chinese firms launch AI tools to rival ChatGPT", False),  # (a subject and its verb)
    ("Six Flags adds AI features to its app", False),  # (a name)
    ("2 million apps removed from Google Play over AI scams", False),  # (an amount)
    ("$1 trillion wiped off tech stocks as AI fears mount", False),  # (a sum)
    ("2024 brings new AI features to Chrome", False),  # (a year)
    ("Top 10 AI tools for writers", True),
    ("Forbes Daily: How European Union’s AI Act Aims To Regulate The Technology", True),  # (a newsletter)
    ("The Daily Show's host takes on AI", False),
    ("Microsoft cuts 10,000 jobs as it bets on AI", False),
    ("OpenAI names three new board members", False),
    ("Google adds three new ways to shop with AI", False),  # (inside a sentence: a report)
    ("OpenAI fired Altman for two reasons, filing says", False),
    ("FBI received 2,000 tips on AI-made images", False),
    ("The two part ways after a year", False),
    ("I'm an AI-prompt engineer. Here are 3 ways to use ChatGPT.", True),
    ("AI stocks - 3 reasons to buy now", True),
    ("How To Write Code With ChatGPT", True),
    ("LLaMA 2: How to access and use Meta’s versatile open-source chatbot right now", True),
    ("Microsoft lays off team that taught employees how to make AI tools responsibly", False),
    ("Machine learning: the big risks and how to manage them", False),
    ("Google publishes guidelines for its Bard chatbot", False),
    ("Guide Dogs for the Blind trials an AI route planner", False),
    ("AI Weekly: In firing Timnit Gebru, Google puts commercial interests ahead of ethics", True),  # (a column)
    ("Analysis: Why IBM paused hiring", True),
    ("Opinion : the rover should have stayed home", True),
    ("Data Digest: AI jobs", True),
    ("Analysis：the rover's landing", True),  # (a fullwidth colon)
    ("«Analysis»: the rover's landing", True),
    ("“Explainer: what the EU's AI rules ban”", True),
    ("Review: the Pixel 8's AI camera", True),
    ("Microsoft: new Copilot pricing for business", False),  # (a name before the colon)
    ("Watch Live: President Biden announces AI commitments", False),
    ("US report: AI firms agree to safeguards", False),
    ("Larry Magid: the week Google's Bard opened", False),  # (a columnist's name: not told from a subject's)
    ("Review of the year in AI: the launches", False),
])
def test_a_question_an_explainer_or_a_first_person_account_is_a_piece_about_the_news(title: str, expected: bool) -> None:
    assert aside(title) is expected


def _item(item_id: str, day: float, *entries: Related, title: str = "", excerpt: str = "") -> Item:
    title, excerpt = title or f"Column {item_id} on the week", excerpt or f"Thoughts {item_id} about many things."
    return Item(item_id, 1_600_000_000.0 + day * 86_400, read_words(title, excerpt), frozenset({f"example.org/{item_id}"}),
                entries, stories.matching.default_process(title), aside=aside(title))


_FILLER = [_item(f"f{n}", n * 0.01, Related(f"other.org/{n}", f"Unrelated note {n} on gardening", "Tomatoes.", None))
           for n in range(30)]
_EXCERPT = "The Zephyrine rover landed on the Ganymede ice shelf, its operators at Kestrel Dynamics said."
_REPORT = Related("one.org/rover", "Zephyrine rover lands on Ganymede ice shelf", _EXCERPT, None)
_QUESTION = Related("two.org/rover", "What can the Zephyrine rover do on Ganymede?", _EXCERPT, None)
_EXPLAINER = Related("three.org/rover", "Zephyrine rover on Ganymede explained", _EXCERPT, None)
_REPORT_AGAIN = Related("four.org/rover", "Kestrel Dynamics says its Zephyrine rover is on Ganymede", _EXCERPT, None)


def _entry_stories(*entries: Related, alike: bool = True) -> list[list[str]]:
    grouper = stories.Grouper()
    found = EntryStories(grouper)
    for item in [*_FILLER, _item("a", 1.0, *entries)]:
        grouper.add(item)
        found.add(item)
    vectors = [grouper.entry_vector(e) for e in entries]
    if alike:
        assert all(sum(w * v.get(k, 0.0) for k, w in vectors[0].items()) >= ENTRIES_SIMILAR for v in vectors)  # (as alike as reports)
    return sorted(sorted(s.keys) for s in found.stories.values() if any("rover" in k for k in s.keys))


def test_reports_of_one_event_are_one_story_and_the_pieces_about_it_stay_apart() -> None:
    assert _entry_stories(_REPORT, _QUESTION, _EXPLAINER, _REPORT_AGAIN) == [["four.org/rover", "one.org/rover"]]


def test_copies_of_one_explainer_are_one_story_with_or_without_its_question_mark() -> None:
    copy = Related("five.org/rover", "What can the Zephyrine rover do on Ganymede", "Another paragraph of it.", None)
    assert _entry_stories(_QUESTION, copy, alike=False) == [["five.org/rover", "two.org/rover"]]


def test_a_story_of_a_report_does_not_take_an_explainer_it_lists() -> None:
    grouper = stories.Grouper()
    report = _item("b", 1.0, _REPORT, _QUESTION, title=_REPORT.title, excerpt=_EXCERPT)
    for item in [*_FILLER, report]:
        grouper.add(item)
    assert grouper.claimed == {"one.org/rover": "b"}


@pytest.fixture(scope="module")
def week(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    yield from folder_library(tmp_path_factory, WEEK)


def _keys(week: Library, name: str) -> list[str | None]:
    (article_id,) = [a for (a,) in week.db.execute("SELECT id FROM articles") if Path(week.paths(a)[0]).name == name]
    related = week.db.execute("SELECT json_extract(data, '$.related') FROM articles WHERE id = ?", (article_id,)).fetchone()[0]
    return [related_key(e) for e in json.loads(related)]


def _held(library: Library) -> dict[str, str]:
    """The story that holds each related entry a story holds."""
    return dict(library.db.execute("SELECT key, story FROM story_related"))


@pytest.fixture(scope="module")
def span(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[str], Library]]:
    """The library of a folder of tests/data, by name, synced (grouped) once for the module."""
    with ExitStack() as stack:
        made: dict[str, Library] = {}

        def library(name: str) -> Library:
            if name not in made:
                made[name] = stack.enter_context(contextmanager(folder_library)(tmp_path_factory, Path(__file__).parent / "data" / name))
            return made[name]
        yield library


def test_a_reaction_to_the_news_is_apart_from_its_reports(week: Library) -> None:
    held = _held(week)
    assert held[_keys(week, CAR)[2]] != held.get(_keys(week, CUT)[10])


def test_the_release_of_gpt4_and_the_pieces_about_it_are_apart(week: Library) -> None:
    keys = _keys(week, GPT4)
    held = _held(week)
    release = held[keys[22]]
    assert held[keys[26]] == release
    assert all(held.get(keys[n]) != release for n in (4, 9, 25))


#: BuzzFeed's plan to write quizzes with OpenAI's tools (26 January 2023). Its related entries,
#: read by hand: #4, #7 and #9 report the plan; #5 ("We asked ChatGPT to write a listicle in the
#: style of Buzzfeed. …") is Business Insider's own trial of ChatGPT, a piece about the news.
BUZZFEED = "2023-01-27-ai-will-start-writing-buzzfeeds-notorious-personalized-quizzes.md"


def test_an_outlets_own_trial_of_the_tool_is_apart_from_the_reports_of_the_plan(span: Callable[[str], Library]) -> None:
    january = span("jan2023")
    keys, held = _keys(january, BUZZFEED), _held(january)
    plan = held[keys[4]]
    assert held[keys[7]] == plan and held[keys[9]] == plan
    assert held.get(keys[5]) != plan


#: Microsoft's successive events of 21-28 March 2023. GitHub's Copilot X (22 March), read by
#: hand: the GitHub document's related entry #0 (VentureBeat, "GitHub unveils Copilot X …") and
#: the plugins column's #24 (Visual Studio Magazine, "New, Advanced GPT-4 AI Model Comes to
#: GitHub Copilot …") report it; the column's #7 ("Microsoft Is All-In on AI: 2 Ways It Will
#: Benefit") is a listicle on Microsoft's stock, a piece about the news.
COPILOT_X = "2023-03-22-github-teases-copilot-x-powered-by-gpt-4.md"
PLUGINS = ("2023-03-25-chatgpt-as-a-platform-gets-bigger-and-bolder-as-openai-rolls-out-plugins-for-all-kinds-of-add-on-apps-"
           "stewing-up-ai-ethics-and-ai-law.md")


def test_a_listicle_on_the_news_is_apart_from_its_reports(span: Callable[[str], Library]) -> None:
    march = span("mar2023")
    launch, column, held = _keys(march, COPILOT_X), _keys(march, PLUGINS), _held(march)
    story = held[launch[0]]
    assert held[column[24]] == story
    assert held.get(column[7]) != story


#: Samsung's Galaxy S24 (17 January 2024). The related entries of a document on it, read by
#: hand: #0 (Google, "The power of Google AI comes to the new Samsung Galaxy S24 series") and #4
#: ("Samsung's Galaxy S24 Phones Call on Google's AI to Spruce Up Their Smarts") report the
#: launch; #2 ("Galaxy AI: 3 Samsung Galaxy S24 features for monolingual travelers") is a
#: listicle about it.
GALAXY = "2024-01-19-here-comes-the-ai-phone-samsung-galaxy-s24-ultra.md"


def test_a_listicle_of_a_phones_features_is_apart_from_the_launch(span: Callable[[str], Library]) -> None:
    january = span("jan2024")
    entries, held = _keys(january, GALAXY), _held(january)
    assert held[entries[0]] == held[entries[4]]
    assert held.get(entries[2]) != held[entries[0]]


#: A week of Bing's chatbot (15-18 February 2023). The related entries of a document on it,
#: read by hand: #0 ("Microsoft explains Bing's bizarre AI chat behavior") and #22 (GeekWire,
#: "Microsoft now says AI-powered Bing chatbot is 'not a replacement or substitute for the search
#: engine'") report Microsoft's account of its odd answers; #14 ("You can jump the waitlist for
#: Microsoft's AI Bing chat. Here's how.") is a guide and #25 ("Microsoft's Bing AI chatbot has
#: said a lot of weird things. Here's a list.") a list: pieces about the news. Another document's
#: #0 ("What Chatbot Bloopers Reveal About the Future of AI") is an essay on them.
BING = "2023-02-17-i-tried-bings-ai-chatbot-and-it-solved-my-biggest-problems-with-chatgpt.md"
UNSETTLED = "2023-02-17-i-want-to-destroy-whatever-i-want-bings-ai-chatbot-unsettles-us-reporter.md"


def test_a_guide_or_a_list_on_the_news_is_apart_from_its_reports(span: Callable[[str], Library]) -> None:
    february = span("feb2023")
    keys, held = _keys(february, BING), _held(february)
    account = held[keys[22]]
    assert held[keys[0]] == account
    assert held.get(keys[14]) != account and held.get(keys[25]) != account
    assert held.get(_keys(february, UNSETTLED)[0]) != account
