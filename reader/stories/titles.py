"""What a title says, for grouping: one headline again, another model of a product, a piece
about the news. No Qt, no SQL.

:mod:`reader.stories.matching` and :mod:`reader.stories.related` ask these of the titles of
articles and related entries, normalised as rapidfuzz's ``default_process`` writes them
(but :func:`aside`, which reads a title as written):

* :func:`same_headline` — copies of one report (or its title reworded) under other links,
  but not installments of a series (:func:`installments`: "… Post 1" and "… Post 2");
* :func:`other_model` — a title that follows a name with another model's designation than a
  story's titles do ("Snapdragon AR2" against "Snapdragon 8"): two launches, not one;
* :func:`aside` — a question, an explainer, a guide, a first-person account, a reaction, or a
  title labelled as commentary or a digest: a piece about the news, not a report of it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from collections.abc import Set as AbstractSet
from itertools import repeat

from rapidfuzz import fuzz, process

from reader import language

#: Titles this alike (rapidfuzz token-set ratio, 0-100), each of at least SAME_TITLE_WORDS
#: words of three characters or more, are one headline (copies of one report, or its title
#: reworded): :func:`same_headline`.
SAME_TITLE = 90
SAME_TITLE_WORDS = 6
#: No designations (what a story of titles without any keeps: :func:`models`).
NO_MODELS: dict[str, frozenset[str]] = {}


def same_headline(title: str, headlines: Iterable[str]) -> bool:
    """Whether ``title`` is one of the ``headlines`` again (each normalised, :func:`is_headline`): a
    token-set ratio of at least :data:`SAME_TITLE`, and not another installment of a series
    (:func:`installments`)."""
    best = process.extractOne(title, headlines, scorer=fuzz.token_set_ratio, processor=None, score_cutoff=SAME_TITLE)
    if best is None:
        return False  # (most calls: one pass in C)
    if not installments(title, best[0]):
        return True
    return any(not installments(title, found) for found, _, _ in process.extract_iter(
        title, headlines, scorer=fuzz.token_set_ratio, processor=None, score_cutoff=SAME_TITLE))


def other_model(title: str, others: Iterable[str], vector: dict[str, float]) -> bool:
    """Whether the normalised ``title`` names another model of a product than the normalised
    ``others`` (a story's titles) do: a name (a key of ``vector``, the title's article's or
    entry's) that it and one of them follow with a designation (a word with a digit:
    "Snapdragon 8", "Snapdragon AR2", "iPhone 15", "GPT-4"), none of theirs its. Qualcomm's
    "Snapdragon AR2 Gen 1" and "Snapdragon 8 Gen 2", launched at one summit, are two launches."""
    mine = _designations(title, lambda word: "@" + word in vector)
    if not mine:
        return False  # (most titles)
    theirs: dict[str, set[str]] = {}
    for other in others:
        for word, marks in _designations(other, mine.__contains__).items():
            theirs.setdefault(word, set()).update(marks)
    return _another(mine, theirs)


def other_models(titles: Iterable[str], others: Iterable[str]) -> bool:
    """Whether the normalised ``titles`` (one story's) follow a word with other designations
    than ``others`` (another story's) do, and none of theirs: two models of a product
    (:func:`other_model`, for two stories' titles)."""
    return _another(models(titles), models(others))


def models(titles: Iterable[str]) -> dict[str, frozenset[str]]:
    """Each word of the normalised ``titles`` that a word with a digit follows, with those words
    (:func:`other_model` asks only about the words that are names of the title it compares)."""
    found: dict[str, set[str]] = {}
    for title in titles:
        for word, marks in _designations(title, _any_word).items():
            found.setdefault(word, set()).update(marks)
    return {word: frozenset(marks) for word, marks in found.items()} if found else NO_MODELS


def _another(mine: Mapping[str, AbstractSet[str]], theirs: Mapping[str, AbstractSet[str]]) -> bool:
    """Whether a name of ``mine`` that ``theirs`` has too has none of its designations there."""
    return any(word in theirs and theirs[word].isdisjoint(marks) for word, marks in mine.items())


def _any_word(word: str) -> bool:
    return True


def _designations(title: str, named: Callable[[str], bool]) -> dict[str, set[str]]:
    """The words of a normalised title that ``named`` tells are names, each with the model
    designations that follow it (:data:`_DESIGNATION`: "8", "15", "AR2", "H100"; not a year
    or a count, "2023", "7,800": a headline in title case makes its verbs names too, and
    "Replace 30 %" and "replace 7,800 jobs" are no two models)."""
    if not _DIGIT.search(title):
        return {}
    found: dict[str, set[str]] = {}
    tokens = _THOUSANDS.sub("", title).split()
    for word, after in zip(tokens, tokens[1:], strict=False):
        if _DESIGNATION.fullmatch(after) and named(word):
            found.setdefault(word, set()).add(after)
    return found


_DIGIT = re.compile(r"\d")
#: A model's designation: a number of one or two digits, or letters and digits of at most five.
_DESIGNATION = re.compile(r"\d{1,2}|(?=[a-z]*\d)(?=\d*[a-z])[a-z\d]{2,5}")


def installments(title: str, other: str) -> bool:
    """Whether two normalised titles are installments of a series rather than one headline:
    each has a number, an ordinal, a day or a month the other has not ("… - Post 1" and "…
    - Post 2"; "… Meeting of Wednesday 4th January 2006" and "… of Monday 9th January
    2006"), or more times than the other has it ("… Monday 5th December 2005" and "… Monday
    12th December 2005": December is 12 as the 12th is, once in the first and twice in the
    second), as :func:`_calendar` reads them. A number or a date only one of them adds ("…
    (updated 2020)") does not tell that."""
    mine, theirs = _calendar(title), _calendar(other)
    return not (mine <= theirs or theirs <= mine)


#: A title of this many words or fewer (normalised) names a thing more than it tells news: a
#: catalogue's entry ("Granado Espada (KOR)", "Grand Theft Auto Online"), a product, a game.
#: Chosen on the labelled pairs of the real feeds (tests/data/stories_feeds_gold.json): at 3
#: two editions named in four words stay one story ("Grand Theft Auto Online" and "… V"); at 5
#: a local paper's follow-ups of one event part ("Antalet döda i trafiken ökar" and "Dystra
#: siffror för sommartrafiken"), as one outlet's reports under titles this short would.
NAME_TITLE_WORDS = 4


def other_entry(title: str, others: Iterable[str]) -> bool:
    """Whether a normalised title and each of ``others`` are names of things
    (:data:`NAME_TITLE_WORDS` words or fewer) and it is none of them: one catalogue's entries
    under two names are two things, whichever names they share ("Granado Espada" and "Granado
    Espada Japan", "Summoners War" and "Summoners War Chronicles"), where a report's title
    tells what happened in more words. Titles are compared word by word (a normalised title
    keeps a space where it had punctuation: "Summoners War: Chronicles" and "Summoners War –
    Chronicles" are one title); an empty title (an untitled member, or one of punctuation
    alone) says nothing and is passed over; False when no title of ``others`` is left."""
    mine = title.split()
    if not mine or len(mine) > NAME_TITLE_WORDS:
        return False
    named = False
    for other in others:
        theirs = other.split()
        if not theirs:
            continue
        if theirs == mine or len(theirs) > NAME_TITLE_WORDS:
            return False
        named = True
    return named


def _calendar(title: str) -> frozenset[tuple[int | str, int]]:
    """The numbers, ordinals, days and months of a normalised title, each written one way, so
    that two copies that write one number or date differently are not installments: a number
    as its digits' value ("9th", "1º", "$1.5bn" as 1 and 5 like "$1.5 billion", "250,000" as
    250000 like "250000"), an ordinal word and a month (of the languages Reader knows the
    months of: "aug", "August", "Jänner", "janvier") as their number (so "Feb 18, 2021" is
    "18/02/2021"), a day as the day of the week. Each with the count of its times so far (1
    the first time, 2 the second), so that one set holds another only when it holds each mark
    as many times."""
    marks: list[int | str] = []
    for token in _THOUSANDS.sub("", title).split():
        known = _DATING.get(token)
        if known is not None:
            marks.append(known)
        else:
            marks.extend([int(digits) for digits in _DIGITS.findall(token)])
    if len(marks) == len(set(marks)):  # (each once: the common case)
        return frozenset(zip(marks, repeat(1)))
    times: Counter[int | str] = Counter()
    counted = []
    for mark in marks:
        times[mark] += 1
        counted.append((mark, times[mark]))
    return frozenset(counted)


def _numbered(rows: tuple[str, ...], kind: str = "") -> dict[str, int | str]:
    """Each word of ``rows[n]`` numbered n + 1 (as ``kind`` and the number, when given)."""
    return {word: f"{kind}{n}" if kind else n for n, row in enumerate(rows, start=1) for word in row.split()}


#: The months (and their short forms) and the days of English and of the languages Reader
#: knows them of (:data:`reader.stories.text.CALENDAR_OTHER`), and the English ordinal words,
#: by their number.
_DATING = {
    **_numbered((
        "january jan janvier januar jänner enero gennaio janeiro januari",
        "february feb février februar febrero febbraio fevereiro februari",
        "march mar märz marzo março maart marts",
        "april apr avril abril aprile",
        "may mai maggio maio mei maj",
        "june jun juin juni junio giugno junho",
        "july jul juillet juli luglio julho",
        "august aug août agosto augustus augusti",
        "september sep sept septembre septiembre setiembre settembre setembro",
        "october oct octobre oktober octubre ottobre outubro",
        "november nov novembre noviembre novembro",
        "december dec décembre dezember diciembre dicembre dezembro desember",
    )),
    **_numbered(("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
                 "eleventh", "twelfth")),
    **_numbered((
        "monday lundi montag lunes lunedì segunda maandag måndag mandag",
        "tuesday mardi dienstag martes martedì terça dinsdag tisdag tirsdag",
        "wednesday mercredi mittwoch miércoles mercoledì quarta woensdag onsdag",
        "thursday jeudi donnerstag jueves giovedì quinta donderdag torsdag",
        "friday vendredi freitag viernes venerdì sexta vrijdag fredag",
        "saturday samedi samstag sonnabend sábado sabato zaterdag lördag lørdag",
        "sunday dimanche sonntag domingo domenica zondag söndag søndag",
    ), "day "),
}
_DIGITS = re.compile(r"\d+")
#: A space between digits and three more (a normalised "250,000", "250 000"): one number.
_THOUSANDS = re.compile(r"(?<=\d) (?=\d{3}(?!\S))")


def is_headline(title: str) -> bool:
    """Whether the normalised ``title`` is long enough to be told apart as a headline: at
    least :data:`SAME_TITLE_WORDS` words of three characters or more (a short title is too
    easily part of another)."""
    return len(_LONG_TOKENS.findall(title)) >= SAME_TITLE_WORDS


_LONG_TOKENS = re.compile(r"[^ ]{3,}")


def aside(title: str) -> bool:
    """Whether ``title`` (as written) is that of a piece about the news rather than a report
    of it: a question ("What can GPT-4 do?"), an explainer ("What you need to know about …",
    "… explained", "Five things to know about …", "Our guide to …", "How to use …", "… Here's
    how.", "How AI chatbots could change online search", "What chatbot bloopers reveal about …"),
    a listicle ("… 2 Ways It Will Benefit", "8 Lessons For Entrepreneurs", "… Here's a
    list."), a first-person
    account ("I got a first look at …", "We asked ChatGPT to write …": the outlet's own trial) or
    a reaction ("Elon Musk questions …", "… slams …"), or a title labelled as commentary, a
    column or a digest ("Analysis: …", "AI Weekly: …", "Data Digest: …"). A report of the news and such a piece are not one story
    however many words they share: an explainer of a launch repeats the launch's words. The
    words are English ones; a title that starts with "I" (or "We" and a verb of a trial) is a
    first-person one only when it is in English ("I Sverige …", "I dag …", "I ricercatori …" are
    reports: there "I" is "in" or "the"; "We could see federal regulation …" is no trial)."""
    lowered = title.lower()
    if lowered.rstrip(_CLOSING).endswith(_QUESTION_MARKS):
        return True
    if lowered.startswith(_FIRST_PERSON):  # (rare: its language is told only then)
        return language.detect(title) == "en"
    if ":" in lowered or "：" in lowered:
        label = _LABEL.match(lowered)
        if label is not None and label[1] in _LABELS:
            return True
    if "how to " in lowered and _GUIDE.match(lowered):
        return True
    if lowered.rstrip(_CLOSING + ".").endswith(_GUIDE_ENDS):
        return True
    if ("how " in lowered or "what " in lowered) and _SPECULATION.match(lowered):
        return True
    if not any(word in lowered for word in _ASIDE_WORDS):
        return False  # (most titles: a few scans of a short string)
    if _LISTICLE.search(lowered):
        return True
    words = _LETTERS.findall(lowered)
    spaced = f" {' '.join(words)} "
    if any(phrase in spaced for phrase in _ASIDE_PHRASES):
        return True
    return any(word in _ASIDE_VERBS or (word == "questions" and n > 0 and words[n - 1] not in _NOT_ASKING)
               for n, word in enumerate(words))  # ("faces questions", "Questions remain": the news asks them; "Musk questions …")


#: What may follow a title's question mark (a closing quote, a bracket, an exclamation mark).
_CLOSING = " \t\"'”’»)]!"
#: Question marks: Latin, fullwidth (Chinese, Japanese) and Arabic.
_QUESTION_MARKS = ("?", "？", "؟")
#: How a first-person title starts (in English: see :func:`aside`): "I", or "We" and a verb of
#: the outlet's own trial (not "We put …", "We let …": a quote without its marks, "We put safety
#: first, says …", is a report).
_FIRST_PERSON = ("i ", "i'm ", "i’m ", "i've ", "i’ve ", "i'd ", "i’d ", "i'll ", "i’ll ",
                 *(f"we {verb} " for verb in ("asked", "tried", "tested", "compared")))
_LETTERS = re.compile(r"[a-z]+")
#: Words that end a piece about the news's title ("… explained") or are its verb ("… slams …"),
#: and the phrases that make one ("what you need to know").
_ASIDE_VERBS = frozenset(("explained", "explainer", "slams", "criticizes", "criticises", "blasts", "mocks"))
_ASIDE_PHRASES = (*(f" what {who} {need}know " for who in ("you", "we") for need in ("", "need to ", "should ")),
                  " what to know ", " things to know ", " things you need to know ", " everything you need ", " guide to ",
                  " reacts to ", " responds to ", " weighs in ")
#: A guide's title: "How to …", or after a short label and a colon ("ChatGPT: how to use …"); a
#: report may say "how to" later on ("… taught employees how to make AI tools responsibly").
_GUIDE = re.compile(r"\W*(?:[^:：]{1,40}[:：]\s*)?how to ")
#: How a guide's or a list's title ends, after what it is about: "You can jump the waitlist for
#: Microsoft's AI Bing chat. Here's how.", "Bing's chatbot has said a lot of weird things. Here's a
#: list." ("… Here's how it works" is a report that explains).
_GUIDE_ENDS = tuple(f"{here} {what}" for here in ("here's", "here’s", "here is") for what in ("how", "a list"))
#: A speculative explainer's title: "How …" and a modal verb within five words ("How AI chatbots
#: could change online search", "How Generative AI Could Disrupt Creative Work"), or "What …
#: reveal(s) / say(s) / tell(s) us about …" ("What Chatbot Bloopers Reveal About the Future of
#: AI"), at its start or after a short label and a colon.
_SPECULATION = re.compile(r"\W*(?:[^:：]{1,40}[:：]\s*)?(?:how (?:[^ ]+ ){1,5}(?:could|will|can|might|may|should|would)\b"
                          r"|what (?:[^ ]+ ){1,6}(?:reveals?|says?|tells? us) about\b)")
#: A title's label: up to three words before a colon at its start; the last is the kind of
#: piece ("AI Weekly: …", "Opinion: …", "Forbes Daily: …", a newsletter).
_LABEL = re.compile(r"""\W*(?:[a-z][a-z-]* ){0,2}([a-z][a-z-]*)[»"'”’]? ?[:：]""")
_LABELS = frozenset(("analysis", "column", "comment", "commentary", "daily", "digest", "editorial", "explainer", "newsletter",
                     "op-ed", "opinion", "podcast", "recap", "review", "roundup", "weekly"))
_NOT_ASKING = frozenset(("faces", "raises", "answers", "new", "more"))
#: What a listicle counts: ways, reasons, things, lessons, takeaways, tips; features, tools,
#: apps, stocks.
_LISTED = ("ways", "reasons", "things", "lessons", "takeaways", "tips", "features", "tools", "apps", "stocks")
#: A listicle's title: a number (not a year, a sum, an amount or a share), at most four words,
#: none a plural or a verb in -s, and what it counts (:data:`_LISTED`), at the title's start or
#: a sentence's, or after a label's colon ("Microsoft Is All-In on AI: 2 Ways It Will Benefit",
#: "8 Lessons For Entrepreneurs", "… Here are 3 ways to use ChatGPT", "Galaxy AI: 3 Samsung
#: Galaxy S24 features for monolingual travelers", "5 Artificial Intelligence Stocks to
#: Consider"): a piece about the news, however many of its words it shares. A subject and its
#: verb are a report's ("2 Chinese firms launch AI tools …", "Six Flags adds AI features …",
#: "2 million apps removed …"), and so are the words inside a sentence ("Google adds three new
#: ways to shop with AI").
_LISTICLE = re.compile(r"(?:^|[:.!?|–—]\s|\s-\s)[^\w$€£]*(?:here are |top )?(?:\d{1,3}|two|three|four|five|six|seven|eight|nine|ten) "
                       r"(?!(?:million|billion|trillion|thousand|hundred|percent|in) )"
                       r"(?:(?![\w'’-]*[^su]s )[\w'’-]+ ){0,4}(?:" + "|".join(_LISTED) + r")\b")
#: A word of each of those: a title without any is no such piece.
_ASIDE_WORDS = tuple(sorted(_ASIDE_VERBS | {"questions", "know", "need", "guide", "reacts", "responds", "weighs", *_LISTED}))
