#!/usr/bin/env python3
"""Write a deterministic corpus of synthetic news documents, for benchmarks and tests.

The documents are shaped like the real ones in ``tests/data/corpus`` and ``seeds``:

* news documents (most of them): YAML front matter between ``---`` lines with ``category``,
  ``title``, ``excerpt``, ``publishedDateTime``, ``webUrl`` (sometimes ``ampWebUrl`` and
  ``cdnAmpWebUrl``), ``type``, ``quality``/``heat``/``published`` (on about two thirds),
  ``provider`` (one of 200 made-up outlets), ``topics`` (1-3 of 60), sometimes ``images``
  and ``related`` and always ``secured``; about one in five has a body after the closing
  ``---``. Documents come in *stories* (several outlets covering the same news within a
  few days); ``related`` entries of a story's documents point at the ``webUrl`` of the
  story's other documents, so story grouping can be tested, and each news file's expected
  values name its story (``bench/stories_truth.py`` scores a grouping against them);
* plain article text (``plain_fraction``, about 3%): a headline line, a blank line and
  paragraphs; about a quarter of them Swedish-like;
* broken files (``broken_fraction``, about 1%) with varied faults: front matter never
  closed, YAML syntax errors, no title, invalid UTF-8, empty files, a title that is a list,
  impossible dates, UTF-16, binary data ...

News documents are stored as ``DIR/YYYY/MM/YYYY-MM-DD-slug.md``; plain-text (``.txt``) and
broken files land in those folders or in a few others (``inbox``, ``clippings`` ...). The
same ``n`` and ``seed`` always give byte-identical files: everything is drawn from one
``random.Random`` seeded with ``seed`` (the 200 outlets from a fixed seed of their own),
nothing depends on the clock, the platform or hash order.

Use it as a script::

    python bench/make_corpus.py 100000 bench/out/corpus --seed 1   # bench/out/ is git-ignored

or import it and call :func:`make_corpus` (or :func:`generate`, which yields each file's
bytes with the values ``reader check --json`` is expected to report for it).

Existing files in the target folder are left alone (files with the same names are
overwritten), so write into an empty folder.
"""

import argparse
import base64
import bisect
import random
import re
import sys
import time
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache, lru_cache
from json.encoder import encode_basestring
from pathlib import Path

# --------------------------------------------------------------------------- word lists

#: The topics of the real corpus first, then made-up ones: 60 in all.
TOPICS = (
    "AI",
    "AI Ethics",
    "AI Hardware",
    "AI in Autos",
    "AI in Healthcare",
    "AI in Robotics",
    "AWS AI",
    "Computer Vision",
    "Facebook AI",
    "Google AI",
    "IBM AI",
    "Machine Learning",
    "Microsoft AI",
    "Natural Language Processing",
    "Deep Learning",
    "Reinforcement Learning",
    "Generative AI",
    "Large Language Models",
    "Speech Recognition",
    "Facial Recognition",
    "Autonomous Vehicles",
    "Drones",
    "Chatbots",
    "Data Science",
    "Big Data",
    "Cloud Computing",
    "Edge AI",
    "Quantum Computing",
    "Cybersecurity",
    "Privacy",
    "AI Policy",
    "AI Regulation",
    "AI Startups",
    "AI Research",
    "AI Chips",
    "AI in Finance",
    "AI in Education",
    "AI in Retail",
    "AI in Manufacturing",
    "AI in Agriculture",
    "AI in Energy",
    "AI in Law",
    "AI in Media",
    "AI in Gaming",
    "AI in Space",
    "AI in Security",
    "Nvidia AI",
    "Apple AI",
    "Baidu AI",
    "OpenAI",
    "DeepMind",
    "Tesla Autopilot",
    "Smart Cities",
    "Internet of Things",
    "AR/VR",
    "Neural Networks",
    "Recommender Systems",
    "MLOps",
    "Open Source AI",
    "Bioinformatics",
)
assert len(TOPICS) == 60 and len(set(TOPICS)) == 60

COMPANIES = (
    "Google", "Amazon", "Microsoft", "IBM", "Nvidia", "Tesla", "Facebook", "Meta", "OpenAI",
    "Apple", "Baidu", "Samsung", "Intel", "Waymo", "DeepMind", "Uber", "Toyota", "Alibaba",
    "Tencent", "Huawei", "Salesforce", "Oracle", "Adobe", "Qualcomm", "AMD", "Sony",
    "Hugging Face", "Anthropic", "Clearview AI", "Palantir", "Spotify", "Volvo Cars",
    "Ericsson", "Siemens", "Bosch", "SAP", "Zalando", "Klarna", "Northvolt", "Einride",
    "Latentia", "NeuroForge", "Brightpath AI", "Kvantum Labs", "Öresund Robotics",
    "Société Cognitive", "DeepHarbor", "Vireo Systems", "Quillmind", "Sagebrush Analytics",
    "Mímir Data", "Nordlys AI", "Zürich Vision", "Cortexa", "Helix Robotics", "Tandem Minds",
    "Lumenary", "Ångström Compute", "Polaris Health AI", "Fjällräven Labs", "Kraków Dynamics",
    "São Paulo Machines", "Bayview Autonomy", "Gradient Street", "Tensorfield", "Acme Vision",
    "Blue Heron Bio", "Maplewood Robotics", "Synapse Freight", "Ironclad Sensors",
)

PEOPLE = (
    "Sundar Pichai", "Satya Nadella", "Jensen Huang", "Elon Musk", "Yann LeCun", "Fei-Fei Li",
    "Andrew Ng", "Demis Hassabis", "Sam Altman", "Timnit Gebru", "Geoffrey Hinton",
    "Zoë Lindqvist", "José Ramírez", "Søren Ødegaard", "Łucja Wiśniewska", "Jürgen Köhler",
    "Émilie Dubois", "Ahmet Yılmaz", "Nguyễn Văn An", "Björn Åkesson", "Chloé Martín",
    "Françoise Léger", "Øystein Dahl", "Małgorzata Nowak", "Ingrid Sjöström", "Raúl Peña",
    "Priya Raman", "Kenji Watanabe", "Amara Okafor", "Dmitri Volkov", "Mei Chen",
)

PLACES = (
    "San Francisco", "Seattle", "London", "Berlin", "Stockholm", "Tokyo", "Shenzhen", "Toronto",
    "Paris", "Austin", "Boston", "Bangalore", "Tel Aviv", "Singapore", "Zürich", "Göteborg",
    "Malmö", "Montréal", "São Paulo", "Kraków", "Oslo", "Helsinki", "Munich", "Seoul",
)

#: (third person, base form, past participle, -ing form)
VERBS = (
    ("acquires", "acquire", "acquired", "acquiring"),
    ("launches", "launch", "launched", "launching"),
    ("unveils", "unveil", "unveiled", "unveiling"),
    ("tests", "test", "tested", "testing"),
    ("bans", "ban", "banned", "banning"),
    ("invests in", "invest in", "invested in", "investing in"),
    ("open-sources", "open-source", "open-sourced", "open-sourcing"),
    ("expands", "expand", "expanded", "expanding"),
    ("rolls out", "roll out", "rolled out", "rolling out"),
    ("drops", "drop", "dropped", "dropping"),
    ("partners on", "partner on", "partnered on", "partnering on"),
    ("builds", "build", "built", "building"),
    ("pauses", "pause", "paused", "pausing"),
    ("sells", "sell", "sold", "selling"),
    ("trains", "train", "trained", "training"),
    ("delays", "delay", "delayed", "delaying"),
    ("bets on", "bet on", "bet on", "betting on"),
    ("doubles down on", "double down on", "doubled down on", "doubling down on"),
)

OBJECTS = (
    "AI startup Latent Logic", "a chip for neural networks", "its self-driving taxi service",
    "a facial recognition system for airports", "new privacy rules for voice assistants",
    "a $40 million funding round", "a robot that sorts warehouse parcels", "its chatbot",
    "speech recognition for Swedish", "AI tools for radiologists", "a deepfake detector",
    "cloud GPUs for researchers", "a language model for code", "driverless delivery vans",
    "an AI lab in Europe", "machine learning for cancer screening", "smart glasses",
    "a drone inspection service", "an open dataset of street images", "its autopilot software",
    "a supercomputer for climate research", "AI-powered hiring tools", "a recommendation engine",
    "body cameras with face matching", "an AI that writes subtitles", "predictive policing software",
    "a quantum computing service", "robot vacuum cleaners", "a medical imaging startup",
    "an AI painting robot", "voice cloning technology", "a fraud detection platform",
    "warehouse automation", "a translation app for 100 languages", "edge AI cameras",
    "self-driving trucks in Texas", "a fact-checking bot", "AI tutors for schools",
    "crop-monitoring satellites", "an energy-saving data center", "emotion recognition software",
    "a humanoid robot", "generative AI for ads", "a protein-folding model",
)

FIELDS = (
    "machine learning", "computer vision", "natural language processing", "generative AI",
    "edge AI", "robotics", "deep learning", "facial recognition", "self-driving cars",
    "AI ethics", "speech recognition", "reinforcement learning", "AI chips", "data science",
    "large language models", "AI in healthcare", "predictive analytics", "MLOps",
)

AREAS = (
    "healthcare", "retail", "banking", "farming", "logistics", "journalism", "policing",
    "education", "insurance", "manufacturing", "law", "recruiting", "sports", "music",
)

WHEN = (
    "next year", "by 2025", "this summer", "before Christmas", "in Europe", "in 2021",
    "within months", "despite criticism", "after a long delay", "in three US cities",
)

QUOTES = (
    "We are only at the beginning", "AI won't replace doctors", "This changes everything",
    "Data is the new oil", "Nobody saw this coming", "The robots are not coming for your job",
    "Trust has to be earned", "It's not magic, it's statistics", "Regulate us, please",
    "We moved too fast",
)

MARKET_PHRASES = (
    "market key players and production information analysis with forecast",
    "market size, share and growth analysis",
    "market statistical analysis and forecast to",
    "market in-depth analysis report",
    "industry outlook: rise in demand presents opportunities,",
)

# Sentence parts for excerpts and bodies.
_S_SUBJECTS = (
    "The company", "Researchers", "The startup", "Critics", "Analysts", "The team", "Regulators",
    "Engineers", "The new system", "The study", "Investors", "Privacy advocates", "The report",
    "Officials", "Hospitals", "Developers", "The lawsuit", "Customers",
)
_S_VERBS = (
    "said", "found", "warned", "argued", "announced", "showed", "claimed", "noted", "estimated",
    "reported", "confirmed", "suggested", "added",
)
_S_CLAUSES = (
    "that the model outperformed human experts on most tasks",
    "that the technology is still far from ready for public roads",
    "that demand for GPUs will keep growing for years",
    "that facial recognition systems misidentify some groups more often than others",
    "that the data was collected without consent",
    "that the tool would be available to developers later this year",
    "that accuracy improved by 12 percent over the previous version",
    "that the pilot program cut waiting times in half",
    "that more than 2,500 positions remain unfilled",
    "that the robots can work alongside people in warehouses",
    "that the algorithm learned to recognise objects it had never seen",
    "that regulation is needed before the systems are deployed widely",
    "that the results have been published in a peer-reviewed journal",
    "that the deal was worth an undisclosed sum",
    "that the software flagged thousands of suspicious transactions",
    "that training the network took several weeks on a cluster of GPUs",
    "that the chatbot sometimes invents facts",
    "that users will be able to opt out",
    "that the cameras will be switched off by default",
    "that the project would create hundreds of jobs",
)
_S_TAILS = (
    "", "", "", " in a statement on Wednesday", " in an interview", " on Tuesday",
    " at a conference in {place}", " according to people familiar with the matter",
    " in a blog post", " during an earnings call", " in a filing with regulators",
)
_S_EXTRA = (
    "The move comes as competition in {field} heats up.",
    "{person} called the results “remarkable” but cautioned against overstating them.",
    "Shares rose 3 percent in early trading.",
    "The company did not respond to a request for comment.",
    "It is the latest sign that {field} is moving from the lab into everyday products.",
    "{company} declined to say how many customers use the service.",
    "The system was trained on millions of labelled images.",
    "Similar projects are under way in {place} and elsewhere.",
    "“We want to get this right,” {person} said.",
    "The findings raise new questions about the use of {field} in {area}.",
    "Last year, {company} faced criticism over a similar product.",
    "The technology is expected to reach consumers within two years.",
    "Some experts remain sceptical.",
    "Details of the agreement were not disclosed.",
    "Read more: what {field} can and cannot do.",
)

# A small Swedish vocabulary for Swedish-like plain-text articles.
_SV_SUBJECTS = (
    "Regeringen", "Forskare vid Lunds universitet", "Bolaget", "Polisen", "Företaget",
    "Myndigheten", "Kommunen", "Experter", "Region Skåne", "Forskarna i Umeå", "Banken",
    "Fackförbundet", "Datainspektionen", "Startupbolaget", "Sjukhuset",
)
_SV_VERBS = (
    "meddelade", "uppger", "har presenterat", "planerar", "kritiserar", "utvecklar", "testar",
    "investerar i", "varnar för", "satsar på", "stoppar", "utreder",
)
_SV_OBJECTS = (
    "en ny tjänst för ansiktsigenkänning", "artificiell intelligens i vården",
    "självkörande bussar", "ett nytt datacenter i Luleå", "maskininlärning mot bedrägerier",
    "språkmodeller på svenska", "robotar i hemtjänsten", "AI i skolan", "smarta kameror",
    "automatiserade beslut", "digitala vårdcentraler", "drönare för leveranser",
)
_SV_TAILS = (
    "under onsdagen", "enligt Dagens Nyheter", "i ett pressmeddelande", "redan nästa år",
    "trots kritik från forskare", "i Stockholm", "på tisdagen", "i Göteborg", "enligt TT",
    "i en intervju med SVT",
)
_SV_EXTRA = (
    "Det är första gången tekniken används i Sverige.",
    "Kritikerna menar att integriteten inte har utretts tillräckligt.",
    "Enligt bolaget ska systemet vara i drift före årsskiftet.",
    "Projektet finansieras delvis av Vinnova.",
    "– Vi vill vara försiktiga, säger {person}.",
    "Frågan väntas tas upp i riksdagen i höst.",
    "Flera kommuner har visat intresse för tekniken.",
    "Hur mycket det kostar vill företaget inte berätta.",
)

# --------------------------------------------------------------------------- outlets

_PLACE_WORDS = (
    "Harborview", "Lakeside", "Midland", "Pacific", "Northern", "Capital", "Metro", "Valley",
    "Ridgeway", "Coastal", "Riverside", "Granite", "Prairie", "Summit", "Bayside", "Westfield",
    "Oakland", "Hudson", "Cascade", "Evergreen", "Redwood", "Ironbridge", "Silverlake", "Fairview",
)
_TECH_WORDS = (
    "Tech", "Silicon", "Data", "Robot", "Circuit", "Quantum", "Byte", "Neural", "Cloud", "Future",
    "Machine", "Digital", "Signal", "Pixel", "Vector", "Logic", "Kernel", "Gadget", "Compute",
    "Code", "Wired", "Algorithm", "Sensor", "Matrix",
)
_PAPER_WORDS = (
    "Times", "Tribune", "Post", "Herald", "Gazette", "Chronicle", "Dispatch", "Ledger",
    "Observer", "Journal", "Courier", "Examiner", "Bulletin", "Register", "Star", "Sentinel",
)
_MEDIA_WORDS = (
    "Wire", "Insider", "Review", "Weekly", "Today", "News", "Digest", "Report", "Beat", "Monitor",
    "Daily", "Brief", "Hub", "Radar", "Pulse", "Watch", "Magazine", "Journal", "World", "Times",
)
_NON_ASCII_OUTLETS = (
    ("Göteborgs Teknikblad", "gbgteknik.se"),
    ("Malmö Nyheter", "malmonyheter.se"),
    ("Umeå-Kuriren", "umeakuriren.se"),
    ("Zürcher Digital", "zuercherdigital.ch"),
    ("Le Numérique", "lenumerique.fr"),
    ("São Paulo Tech", "sptech.com.br"),
    ("Kraków Wire", "krakowwire.pl"),
    ("Århus Stiftstidende Tech", "aarhustech.dk"),
    ("Tromsø Teknologi", "tromsotek.no"),
    ("Die Künstliche", "kuenstliche.de"),
)
_TLDS = (".com",) * 10 + (".net", ".org", ".co.uk", ".io", ".news", ".ca", ".com.au", ".de", ".in")
_SECTIONS = ("news", "tech", "business", "science", "innovation", "ai", "world", "health")
_AUTHORS = ("jdoe", "mkhan", "alindqvist", "rpatel", "tnguyen", "ebrown", "skim", "lmoreau")


@dataclass(frozen=True, slots=True)
class Outlet:
    """A made-up news provider."""

    name: str
    domain: str
    host: str  #: the host of its article URLs (the domain, sometimes with "www.")
    style: int  #: which URL pattern its articles use
    section: str
    author: str
    block: str  #: the rendered ``provider:`` block at the top level
    nested_block: str  #: the same, indented for a ``related`` entry


_PLAIN_SAFE = re.compile(r"[A-Za-z][A-Za-z0-9 .'&-]*[A-Za-z0-9.]")
_YAML_WORDS = frozenset("y n yes no on off true false null".split())


def yaml_str(text: str) -> str:
    """``text`` as a YAML double-quoted scalar: a JSON string (valid YAML), non-ASCII kept.

    Fine for the text generated here (no DEL or Unicode line separators)."""
    return encode_basestring(text)


def yaml_plain_or_quoted(text: str) -> str:
    """``text`` unquoted when that is safe, as the real documents often have it."""
    if _PLAIN_SAFE.fullmatch(text) and text.lower() not in _YAML_WORDS and ": " not in text:
        return text
    return yaml_str(text)


@lru_cache(maxsize=1)
def outlets() -> tuple[Outlet, ...]:
    """The 200 providers, the same for every seed."""
    rng = random.Random(200)
    names: dict[str, str] = {}
    for name, domain in _NON_ASCII_OUTLETS:
        names[name] = domain
    while len(names) < 200:
        form = rng.random()
        if form < 0.3:
            name = f"The {rng.choice(_PLACE_WORDS)} {rng.choice(_PAPER_WORDS)}"
        elif form < 0.55:
            name = f"{rng.choice(_TECH_WORDS)} {rng.choice(_MEDIA_WORDS)}"
        elif form < 0.7:
            name = f"{rng.choice(_PLACE_WORDS)} {rng.choice(_PAPER_WORDS)}"
        elif form < 0.8:
            name = f"{rng.choice(_TECH_WORDS)}{rng.choice(_MEDIA_WORDS).lower()}"
        elif form < 0.88:
            name = f"{rng.choice(_TECH_WORDS)} {rng.choice(_MEDIA_WORDS)}.com"
        elif form < 0.94:
            name = f"{rng.choice(_PLACE_WORDS)}-{rng.choice(_PAPER_WORDS)}"
        else:
            name = f"{rng.choice(_TECH_WORDS)} & {rng.choice(_TECH_WORDS)} {rng.choice(_MEDIA_WORDS)}"
        if name in names:
            continue
        stem = re.sub(r"[^a-z0-9]", "", name.lower().removeprefix("the ").removesuffix(".com"))
        domain = stem + (".com" if name.endswith(".com") else rng.choice(_TLDS))
        if domain in names.values():
            continue
        names[name] = domain
    result = []
    for name, domain in names.items():
        host = ("www." + domain) if rng.random() < 0.4 else domain
        shown = yaml_plain_or_quoted(name)
        result.append(
            Outlet(
                name=name,
                domain=domain,
                host=host,
                style=rng.randrange(6),
                section=rng.choice(_SECTIONS),
                author=rng.choice(_AUTHORS),
                block=f"provider:\n  name: {shown}\n  domain: {domain}\n",
                nested_block=f"    provider:\n      name: {shown}\n      domain: {domain}\n",
            )
        )
    rng.shuffle(result)
    return tuple(result)


# --------------------------------------------------------------------------- helpers

START = datetime(2018, 1, 1)
SPAN_MINUTES = (datetime(2024, 1, 1) - START) // timedelta(minutes=1)  # six years
DAY = 24 * 60

_FOLD = str.maketrans({"’": "", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "ß": "ss", "æ": "ae", "Æ": "AE", "đ": "d", "ı": "i"})
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_IMAGE_SIZES = ((1200, 630), (1200, 800), (1024, 512), (1024, 682), (580, 387), (670, 377), (1280, 720), (640, 427), (1199, 675))


@lru_cache(maxsize=1 << 16)  # titles repeat; this is the costliest string work per document
def slugify(text: str, limit: int = 80) -> str:
    """``Waymo acquires AI startup Latent Logic`` -> ``waymo-acquires-ai-startup-latent-logic``."""
    text = text.replace("'", "")  # "Facebook's" -> "facebooks", as real slugs have it
    ascii_text = text if text.isascii() else unicodedata.normalize("NFKD", text.translate(_FOLD)).encode("ascii", "ignore").decode()
    slug = _NON_ALNUM.sub("-", ascii_text.lower()).strip("-")
    if len(slug) > limit:
        cut = slug.rfind("-", 0, limit)
        slug = slug[: cut if cut > limit // 2 else limit].strip("-")
    return slug or "untitled"


# Moments are whole minutes after START (ints): cheaper to draw and format than datetimes.


@cache
def _day(day: int) -> tuple[str, str, str]:
    """("2019", "12", "16") for day number ``day`` after START."""
    moment = START + timedelta(days=day)
    return f"{moment.year:04d}", f"{moment.month:02d}", f"{moment.day:02d}"


_HOUR_MINUTE = tuple(f"{h:02d}:{m:02d}" for h in range(24) for m in range(60))


def iso(minute: int) -> str:
    """``2019-12-16T13:23:00Z``"""
    y, m, d = _day(minute // DAY)
    return f"{y}-{m}-{d}T{_HOUR_MINUTE[minute % DAY]}:00Z"


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _shorten(text: str, limit: int) -> str:
    """Cut at a word before ``limit`` and end with `` ...`` like the real excerpts."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > 0 else limit].rstrip(" ,;:") + " ..."


def _is_headline(line: str) -> bool:
    """What reader.plaintext accepts as a headline line (kept simple and strict here)."""
    return len(line) <= 150 and len(line.split()) <= 22 and not line.endswith((".", ",", ";", ":"))


# --------------------------------------------------------------------------- results


@dataclass
class CorpusInfo:
    """What :func:`make_corpus` wrote."""

    directory: Path
    news: int = 0
    plain: int = 0
    broken: int = 0
    files: int = 0
    size_bytes: int = 0
    #: every file written, in the order written
    paths: list[Path] = field(default_factory=list)
    plain_paths: list[Path] = field(default_factory=list)
    broken_paths: list[Path] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class GeneratedFile:
    """One file of the corpus, before it is written."""

    relpath: str  #: relative to the corpus folder, "/"-separated
    kind: str  #: "news", "plain" or "broken"
    data: bytes
    #: What ``reader check --json`` should report: for news and plain documents ``ok``,
    #: ``kind``, ``title``, ``published``, ``url``, ``provider``, ``domain``, ``topics``,
    #: ``images`` and ``related`` (counts), plus ``quality``, ``heat``, ``featured`` and
    #: ``related_urls`` (Article fields the JSON does not show), and for news documents
    #: ``story``: the number of the story it belongs to (the generator's own: the documents of
    #: one story report one piece of news); for broken files ``ok`` (False), ``fault`` and
    #: ``error`` (a piece of the expected reason).
    expect: dict


#: Faults of broken files: name -> a piece of the reason Reader gives. The first six come
#: first so that even small corpora have them.
FAULTS = {
    "unclosed": "never closed",
    "yaml-error": "line ",
    "no-title": "title is missing",
    "invalid-utf8": "not UTF-8",
    "empty": "empty file",
    "title-list": "title is a list",
    "bad-date": "not a date",  # or "an impossible value" for dates such as 2019-02-30
    "topics-not-list": "topics is text",
    "utf16": "UTF-16",
    "binary": "not a text document",
    "front-matter-list": "front matter is a list",
    "not-a-number": "not a whole number",
}
_FAULT_NAMES = tuple(FAULTS)


# --------------------------------------------------------------------------- the generator


class _FastRandom(random.Random):
    """``random.Random`` with cheaper ``choice``/``randint``/``randrange`` (one ``random()``
    call each instead of rejection sampling): generation spends most of its time drawing."""

    def choice(self, seq):  # type: ignore[override]
        return seq[int(self.random() * len(seq))]

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))

    def randrange(self, start: int, stop: int | None = None, step: int = 1) -> int:  # type: ignore[override]
        if stop is None:
            start, stop = 0, start
        return start + step * int(self.random() * ((stop - start + step - 1) // step))


class _Doc:
    """A planned news document (all but its related entries and body)."""

    __slots__ = ("story", "number", "outlet", "moment", "title", "slug", "url", "excerpt", "topics", "scores", "relpath")

    def __init__(self) -> None:
        self.story: list[_Doc] | None = None
        self.number = 0  #: its story's number (the stories planned before it)
        self.scores: tuple[int, int, bool] | None = None


class _Generator:
    """Plans and renders the files of one corpus; every draw comes from ``self.rng``."""

    def __init__(self, seed: int) -> None:
        self.rng = _FastRandom(seed)
        self.outlets = outlets()
        count = len(self.outlets)
        weights = [1.0 / (rank + 8) ** 0.9 for rank in range(count)]
        total = 0.0
        self.outlet_cum: list[float] = []
        for weight in weights:
            total += weight
            self.outlet_cum.append(total)
        self.outlet_order = list(range(count))
        self.rng.shuffle(self.outlet_order)  # the first news documents cover every outlet
        self.used_urls: set[str] = set()
        self.used_paths: set[str] = set()
        self.sentences = [self._sentence() for _ in range(3000)]
        self.sv_sentences = [self._sv_sentence() for _ in range(400)]
        self.topic_lines = {t: f"  - {yaml_plain_or_quoted(t)}\n" for t in TOPICS}
        self.extra_topics = TOPICS[1:]
        self.news_count = 0
        self.story_count = 0
        self.noise = base64.b64encode(self.rng.randbytes(48_000)).decode()

    # ----------------------------------------------------------------------- text

    def _fill(self, template: str) -> str:
        rng = self.rng
        if "{" not in template:
            return template
        return template.format(
            place=rng.choice(PLACES),
            field=rng.choice(FIELDS),
            person=rng.choice(PEOPLE),
            company=rng.choice(COMPANIES),
            area=rng.choice(AREAS),
        )

    def _sentence(self) -> str:
        rng = self.rng
        if rng.random() < 0.3:
            return self._fill(rng.choice(_S_EXTRA))
        tail = self._fill(rng.choice(_S_TAILS))
        return f"{rng.choice(_S_SUBJECTS)} {rng.choice(_S_VERBS)}{tail} {rng.choice(_S_CLAUSES)}."

    def _sv_sentence(self) -> str:
        rng = self.rng
        if rng.random() < 0.25:
            return rng.choice(_SV_EXTRA).format(person=rng.choice(PEOPLE))
        return f"{rng.choice(_SV_SUBJECTS)} {rng.choice(_SV_VERBS)} {rng.choice(_SV_OBJECTS)} {rng.choice(_SV_TAILS)}."

    def paragraph(self, swedish: bool = False) -> str:
        pool = self.sv_sentences if swedish else self.sentences
        rng = self.rng
        return " ".join(rng.choice(pool) for _ in range(rng.choice((1, 2, 2, 3, 3, 4, 5, 7))))

    def title(self, subject: str, verb: tuple[str, str, str, str], obj: str) -> str:
        rng = self.rng
        v3, v1, vpp, ving = verb
        pick = rng.randrange(20)
        if pick < 5:
            return f"{subject} {v3} {obj}"
        if pick == 5:
            return f"{subject} to {v1} {obj} {rng.choice(WHEN)}"
        if pick == 6:
            return f"How {subject} is {ving} {obj}"
        if pick == 7:
            return f"Report: {subject} {v3} {obj}"
        if pick == 8:
            return f"{subject} has {vpp} {obj}"
        if pick == 9:
            return f"{subject} {v3} {obj}: what it means for {rng.choice(AREAS)}"
        if pick == 10:
            return f"Why {subject} wants to {v1} {obj}"
        if pick == 11:
            return f"“{rng.choice(QUOTES)}”: {rng.choice(PEOPLE)} on why {subject} {v3} {obj}"
        if pick == 12:
            return f"{rng.choice(PEOPLE)} says {subject} will {v1} {obj}"
        if pick == 13:
            return f"{subject} {v3} {obj} in {rng.choice(PLACES)}"
        if pick == 14:
            return f"Exclusive: {subject} reportedly {v3} {obj}"
        if pick == 15:
            return f'{subject} {v3} "{obj}" amid {rng.choice(FIELDS)} push'
        if pick == 16:
            return f"{subject}'s plan to {v1} {obj} draws scrutiny"
        if pick == 17:
            return f"After {rng.randint(2, 9)} years, {subject} {v3} {obj}"
        if pick == 18:
            return f"{subject} {v3} {obj} — and {rng.choice(COMPANIES)} is watching"
        return f"{subject} {v3} {obj} #{rng.choice(FIELDS).replace(' ', '')}"

    def generic_title(self, year: int) -> str:
        rng = self.rng
        field_ = rng.choice(FIELDS)
        pick = rng.randrange(10)
        if pick == 0:
            return f"What is {field_}?"
        if pick == 1:
            return f"{rng.randint(3, 12)} ways {field_} is changing {rng.choice(AREAS)}"
        if pick == 2:
            phrase = rng.choice(MARKET_PHRASES)
            return _upper_first(f"{field_} {phrase} {year + rng.randint(1, 3)}-{year + rng.randint(4, 8)}")
        if pick == 3:
            return f"Top {rng.choice((5, 10, 20, 25))} {field_} startups to watch in {year}"
        if pick == 4:
            return f"Q&A: {rng.choice(PEOPLE)} on {field_}"
        if pick == 5:
            return _upper_first(f"the state of {field_} in {year}")
        if pick == 6:
            return f'{rng.choice(PEOPLE)}: "{rng.choice(QUOTES)}"'
        if pick == 7:
            return f"Why {year + 1} is going to be another huge year for {field_}"
        if pick == 8:
            return f"Opinion: {field_} needs rules, not hype"
        return f"'{_upper_first(field_)}' explained: a beginner's guide"

    def excerpt(self, subject: str, verb: tuple[str, str, str, str], obj: str) -> str:
        rng = self.rng
        lead = f"{subject} has {verb[2]} {obj}, {rng.choice(_S_SUBJECTS).lower()} {rng.choice(_S_VERBS)}."
        text = " ".join([lead] + [rng.choice(self.sentences) for _ in range(rng.randint(1, 4))])
        return _shorten(text, rng.randint(160, 320))

    # ----------------------------------------------------------------------- urls

    def article_url(self, outlet: Outlet, moment: int, slug: str) -> str:
        rng = self.rng
        y, m, d = _day(moment // DAY)
        while True:
            num = rng.randrange(100_000, 99_999_999)
            style = outlet.style
            if style == 0:
                url = f"https://{outlet.host}/{y}/{m}/{d}/{slug}/"
            elif style == 1:
                url = f"https://{outlet.host}/news/{y}-{m}-{slug}.html"
            elif style == 2:
                url = f"https://{outlet.host}/{outlet.section}/{slug}-{num}"
            elif style == 3:
                url = f"https://{outlet.host}/{y}/{m}/{slug}-{num}.html"
            elif style == 4:
                url = f"https://{outlet.host}/sites/{outlet.author}/{y}/{m}/{d}/{slug}/"
            else:
                url = f"https://{outlet.host}/{outlet.section}/{num}/{slug}"
            if url not in self.used_urls:
                self.used_urls.add(url)
                return url
            slug = f"{slug}-{rng.randint(2, 99)}"

    @staticmethod
    def amp_urls(outlet: Outlet, url: str, variant: int) -> tuple[str, str]:
        if url.endswith("/"):
            amp = url + "amp/"
        elif url.endswith(".html") and variant:
            amp = url[:-5] + ".amp.html"
        else:
            amp = url + ("?outputType=amp" if variant else "?amp=1")
        cdn_host = outlet.host.replace("-", "--").replace(".", "-")
        return amp, f"https://{cdn_host}.cdn.ampproject.org/c/s/{amp.removeprefix('https://')}"

    def image_url(self, outlet: Outlet, moment: int, slug: str, size: tuple[int, int]) -> str:
        rng = self.rng
        y, m, d = _day(moment // DAY)
        pick = rng.randrange(4)
        if pick == 0:
            return f"https://{outlet.host}/wp-content/uploads/{y}/{m}/{slug[:40]}-{size[0]}x{size[1]}.jpg"
        if pick == 1:
            return f"https://cdn.{outlet.domain}/images/{rng.getrandbits(64):016x}.jpg"
        if pick == 2:
            return f"https://images.{outlet.domain}/{rng.randrange(10**7, 10**8)}/{rng.getrandbits(48):012x}.png?w={size[0]}"
        return f"https://i.{outlet.domain}/{y}/{m}/{d}/{rng.getrandbits(40):010x}-image.jpeg"

    # ----------------------------------------------------------------------- planning

    def pick_outlet(self) -> Outlet:
        index = self.news_count
        self.news_count += 1
        if index < len(self.outlet_order):
            return self.outlets[self.outlet_order[index]]
        index = bisect.bisect(self.outlet_cum, self.rng.random() * self.outlet_cum[-1])
        return self.outlets[min(index, len(self.outlets) - 1)]

    def plan_news(self, count: int) -> list[_Doc]:
        rng = self.rng
        docs: list[_Doc] = []
        while len(docs) < count:
            size = 1 if rng.random() < 0.55 else rng.choice((2, 2, 2, 3, 3, 4, 5, 6))
            size = min(size, count - len(docs))
            subject = rng.choice(COMPANIES)
            verb = rng.choice(VERBS)
            obj = rng.choice(OBJECTS)
            topics = ["AI"] if rng.random() < 0.85 else []
            wanted = rng.choice((1, 1, 2, 2, 2, 3))
            while len(topics) < wanted:
                extra = rng.choice(self.extra_topics)
                if extra not in topics:
                    topics.append(extra)
            base = rng.randrange(SPAN_MINUTES)
            story: list[_Doc] = []
            number = self.story_count
            self.story_count += 1
            generic = size == 1 and rng.random() < 0.25
            for _ in range(size):
                doc = _Doc()
                doc.story = story
                doc.number = number
                doc.outlet = self.pick_outlet()
                minute = min(max(base + rng.randint(-3 * DAY, 3 * DAY), 0), SPAN_MINUTES - 1)
                doc.moment = minute
                doc.title = self.generic_title(int(_day(minute // DAY)[0])) if generic else self.title(subject, verb, obj)
                doc.slug = slugify(doc.title)
                doc.url = self.article_url(doc.outlet, doc.moment, doc.slug)
                doc.excerpt = self.excerpt(subject, verb, obj)
                doc.topics = tuple(topics if rng.random() < 0.8 else topics[:1])
                if rng.random() < 2 / 3:
                    quality = rng.randint(0, 167)
                    heat_pick = rng.random()
                    heat = -1 if heat_pick < 0.45 else min(quality, 179) if heat_pick < 0.75 else rng.randint(0, 179)
                    doc.scores = (quality, heat, rng.random() < 0.35)
                y, m, _ = _day(minute // DAY)
                doc.relpath = self.unique_path(f"{y}/{m}", minute, doc.slug, ".md")
                story.append(doc)
                docs.append(doc)
        return docs

    def unique_path(self, folder: str, moment: int, slug: str, suffix: str) -> str:
        y, m, d = _day(moment // DAY)
        stem = f"{folder}/{y}-{m}-{d}-{slug}"
        path = stem + suffix
        n = 2
        while path in self.used_paths:
            path = f"{stem}-{n}{suffix}"
            n += 1
        self.used_paths.add(path)
        return path

    def other_folder(self, moment: int) -> str:
        rng = self.rng
        y, m, _ = _day(moment // DAY)
        if rng.random() < 0.6:
            return f"{y}/{m}"
        return rng.choice(("inbox", "unsorted", "clippings", f"archive/{y}", "inbox/to read"))

    # ----------------------------------------------------------------------- rendering

    def images_block(self, outlet: Outlet, moment: int, slug: str, title: str | None, indent: str) -> tuple[str, int]:
        rng = self.rng
        count = 1 if rng.random() < 0.85 else rng.randint(2, 3)
        parts = [f"{indent}images:\n"]
        for _ in range(count):
            size = rng.choice(_IMAGE_SIZES)
            url = self.image_url(outlet, moment, slug, size)
            parts.append(f"{indent}  - url: {yaml_str(url) if rng.random() < 0.5 else url}\n")
            parts.append(f"{indent}    width: {size[0]}\n{indent}    height: {size[1]}\n")
            if title and rng.random() < 0.5:
                parts.append(f"{indent}    title: {yaml_str(title)}\n")
            if rng.random() < 0.15:
                parts.append(f"{indent}    isCached: true\n")
        return "".join(parts), count

    def related_entry(self, title: str, excerpt: str, moment: int, url: str, outlet: Outlet, quality: int | None, slug: str) -> str:
        rng = self.rng
        parts = [
            f"  - title: {yaml_str(title)}\n",
            f"    excerpt: {yaml_str(excerpt)}\n",
            f"    publishedDateTime: {iso(moment)}\n",
            f"    webUrl: {url}\n",
        ]
        if rng.random() < 0.3:
            amp, cdn = self.amp_urls(outlet, url, rng.randrange(2))
            parts.append(f"    ampWebUrl: {amp}\n    cdnAmpWebUrl: {cdn}\n")
        parts.append("    type: article\n")
        parts.append(outlet.nested_block)
        parts.append(f"    quality: {quality if quality is not None else rng.randint(0, 167)}\n")
        if rng.random() < 0.6:
            parts.append(self.images_block(outlet, moment, slug, None, "    ")[0])
        return "".join(parts)

    def related_block(self, doc: _Doc) -> tuple[str, list[str]]:
        rng = self.rng
        assert doc.story is not None
        siblings = [other for other in doc.story if other is not doc]
        wanted = rng.randint(1, 5)
        chosen = rng.sample(siblings, min(len(siblings), wanted))
        parts = ["related:\n"]
        urls = []
        for other in chosen:
            quality = other.scores[0] if other.scores else None
            parts.append(self.related_entry(other.title, other.excerpt, other.moment, other.url, other.outlet, quality, other.slug))
            urls.append(other.url)
        for _ in range(wanted - len(chosen)):  # articles that are not in the corpus
            outlet = rng.choice(self.outlets)
            moment = min(max(doc.moment + rng.randint(-2 * DAY, 2 * DAY), 0), SPAN_MINUTES - 1)
            subject, verb, obj = rng.choice(COMPANIES), rng.choice(VERBS), rng.choice(OBJECTS)
            title = self.title(subject, verb, obj)
            slug = slugify(title)
            url = self.article_url(outlet, moment, slug)
            parts.append(self.related_entry(title, self.excerpt(subject, verb, obj), moment, url, outlet, None, slug))
            urls.append(url)
        return "".join(parts), urls

    def secured(self) -> str:
        """An opaque blob like the real ones (cut from one pool of random base64)."""
        rng, noise = self.rng, self.noise
        start = rng.randrange(len(noise) - 500)
        blob = noise[start : start + rng.randrange(200, 440, 4)]
        start = rng.randrange(len(noise) - 500)
        return f'secured: "{blob};{noise[start : start + 22]}=="\n'

    def render_news(self, doc: _Doc, with_related: bool = True) -> tuple[list[str], str, dict]:
        """The front-matter pieces (without the ``---`` lines), the body and what to expect."""
        rng = self.rng
        outlet = doc.outlet
        quote_urls = rng.random() < 0.5
        url_text = yaml_str(doc.url) if quote_urls else doc.url
        head = [
            "category: news\n",
            f"title: {yaml_str(doc.title)}\n",
            f"excerpt: {yaml_str(doc.excerpt)}\n",
            f"publishedDateTime: {iso(doc.moment)}\n",
            f"webUrl: {url_text}\n",
        ]
        if rng.random() < 0.4:
            amp, cdn = self.amp_urls(outlet, doc.url, rng.randrange(2))
            if quote_urls:
                amp, cdn = yaml_str(amp), yaml_str(cdn)
            head.append(f"ampWebUrl: {amp}\ncdnAmpWebUrl: {cdn}\n")
        head.append("type: article\n" if rng.random() < 0.97 else "type: video\n")
        if doc.scores:
            quality, heat, featured = doc.scores
            head.append(f"quality: {quality}\nheat: {heat}\npublished: {'true' if featured else 'false'}\n")
        pieces = ["".join(head), outlet.block, "topics:\n" + "".join(self.topic_lines[t] for t in doc.topics)]
        images = 0
        if rng.random() < 0.75:
            block, images = self.images_block(outlet, doc.moment, doc.slug, doc.title, "")
            pieces.append(block)
        related_urls: list[str] = []
        in_story = doc.story is not None and len(doc.story) > 1
        if with_related and rng.random() < (0.45 if in_story else 0.15):
            block, related_urls = self.related_block(doc)
            pieces.append(block)
        pieces.append(self.secured())
        body = ""
        if rng.random() < 0.2:
            body = "\n\n".join(self.paragraph() for _ in range(rng.randint(1, 8)))
        quality, heat, featured = doc.scores if doc.scores else (None, None, False)
        expect = {
            "ok": True,
            "kind": "news",
            "title": doc.title,
            "published": iso(doc.moment),
            "url": doc.url,
            "provider": outlet.name,
            "domain": outlet.domain,
            "topics": list(doc.topics),
            "images": images,
            "related": len(related_urls),
            "quality": quality,
            "heat": heat,
            "featured": featured,
            "related_urls": related_urls,
            "story": doc.number,
        }
        return pieces, body, expect

    @staticmethod
    def assemble(pieces: list[str], body: str) -> bytes:
        text = "---\n" + "\n".join(pieces) + "---\n\n"
        if body:
            text += body + "\n"
        return text.encode("utf-8")

    def news_file(self, doc: _Doc) -> GeneratedFile:
        pieces, body, expect = self.render_news(doc)
        return GeneratedFile(doc.relpath, "news", self.assemble(pieces, body), expect)

    def plain_file(self) -> GeneratedFile:
        rng = self.rng
        moment = rng.randrange(SPAN_MINUTES)
        swedish = rng.random() < 0.25
        while True:
            if swedish:
                title = f"{rng.choice(_SV_SUBJECTS)} {rng.choice(_SV_VERBS)} {rng.choice(_SV_OBJECTS)}"
            elif rng.random() < 0.2:
                title = self.generic_title(int(_day(moment // DAY)[0]))
            else:
                title = self.title(rng.choice(COMPANIES), rng.choice(VERBS), rng.choice(OBJECTS))
            if _is_headline(title):
                break
        paragraphs = [self.paragraph(swedish) for _ in range(rng.randint(2, 9))]
        if not swedish and rng.random() < 0.3:
            paragraphs.insert(0, f"By {rng.choice(PEOPLE)}, {rng.choice(PLACES)}")
        text = title + "\n\n" + "\n\n".join(paragraphs) + "\n"
        relpath = self.unique_path(self.other_folder(moment), moment, slugify(title), ".txt")
        return GeneratedFile(relpath, "plain", text.encode("utf-8"), {"ok": True, "kind": "text", "title": title})

    def broken_file(self, number: int) -> GeneratedFile:
        rng = self.rng
        fault = _FAULT_NAMES[number % len(_FAULT_NAMES)]
        doc = self.plan_news(1)[0]  # a stand-alone story, never related to from elsewhere
        self.used_paths.discard(doc.relpath)
        pieces, body, _ = self.render_news(doc, with_related=False)
        suffix = ".md"
        error = FAULTS[fault]
        head = pieces[0]
        if fault == "unclosed":
            data = ("---\n" + "\n".join(pieces)).encode("utf-8")
        elif fault == "yaml-error":
            variant = number // len(_FAULT_NAMES) % 4
            if variant == 0:  # a quote never closed
                pieces[0] = head.replace(f"title: {yaml_str(doc.title)}", f"title: {yaml_str(doc.title)[:-1]}")
            elif variant == 1:  # a flow list never closed
                pieces[2] = "topics: [AI, Computer Vision\n"
            elif variant == 2:  # a tab where indentation belongs
                pieces[1] = pieces[1].replace("\n  name:", "\n\tname:", 1)
            else:  # a key indented less than its siblings
                pieces[1] = pieces[1].replace("\n  domain:", "\n domain:", 1)
            data = self.assemble(pieces, body)
        elif fault == "no-title":
            pieces[0] = head.replace(f"title: {yaml_str(doc.title)}\n", "")
            data = self.assemble(pieces, body)
        elif fault == "invalid-utf8":
            data = self.assemble(pieces, body).replace(b'excerpt: "', b'excerpt: "Malm\xf6 \x96 ', 1)
        elif fault == "empty":
            data = b"" if rng.random() < 0.5 else b"\n  \n\n"
            suffix = rng.choice((".md", ".txt"))
        elif fault == "title-list":
            as_list = f"title:\n  - {yaml_str(doc.title)}\n  - {yaml_str(doc.slug)}\n"
            pieces[0] = head.replace(f"title: {yaml_str(doc.title)}\n", as_list)
            data = self.assemble(pieces, body)
        elif fault == "bad-date":
            bad = rng.choice(("last Tuesday", "2019-02-30T10:00:00Z", "16/12/2019 13:23", "2020-13-01"))
            error = "not a date" if "/" in bad or " " in bad else "impossible value"
            pieces[0] = head.replace(f"publishedDateTime: {iso(doc.moment)}", f"publishedDateTime: {bad}")
            data = self.assemble(pieces, body)
        elif fault == "topics-not-list":
            pieces[2] = f"topics: {doc.topics[0]}\n"
            data = self.assemble(pieces, body)
        elif fault == "utf16":
            data = b"\xff\xfe" + self.assemble(pieces, body).decode("utf-8").encode("utf-16-le")
        elif fault == "binary":
            data = b"\x89PNG\r\n\x1a\n" + rng.randbytes(rng.randint(200, 2000))
        elif fault == "front-matter-list":
            data = f"---\n- {yaml_str(doc.title)}\n- {doc.url}\n---\n".encode()
        else:  # not-a-number
            if "\nquality: " in head:
                pieces[0] = re.sub(r"\nquality: \d+", "\nquality: very high", head, count=1)
            else:
                pieces[0] = head.replace("\ntype: ", "\nquality: high\ntype: ", 1)
            data = self.assemble(pieces, body)
        relpath = self.unique_path(self.other_folder(doc.moment), doc.moment, doc.slug, suffix)
        return GeneratedFile(relpath, "broken", data, {"ok": False, "fault": fault, "error": error})


def _count(n: int, fraction: float) -> int:
    return int(n * fraction + 0.5)


def generate(n: int, seed: int = 0, *, broken_fraction: float = 0.01, plain_fraction: float = 0.03) -> Iterator[GeneratedFile]:
    """The ``n`` files of the corpus for ``seed``, in a fixed order (nothing is written)."""
    if n < 0:
        raise ValueError("n must not be negative")
    if not (0 <= broken_fraction <= 1 and 0 <= plain_fraction <= 1 and broken_fraction + plain_fraction <= 1):
        raise ValueError("the fractions must be between 0 and 1 and add up to at most 1")
    gen = _Generator(seed)
    broken = _count(n, broken_fraction)
    plain = min(_count(n, plain_fraction), n - broken)
    kinds = ["news"] * (n - broken - plain) + ["plain"] * plain + ["broken"] * broken
    gen.rng.shuffle(kinds)
    news_docs = iter(gen.plan_news(n - broken - plain))
    broken_number = 0
    for kind in kinds:
        if kind == "news":
            yield gen.news_file(next(news_docs))
        elif kind == "plain":
            yield gen.plain_file()
        else:
            yield gen.broken_file(broken_number)
            broken_number += 1


def make_corpus(
    n: int,
    directory: Path,
    seed: int = 0,
    *,
    broken_fraction: float = 0.01,
    plain_fraction: float = 0.03,
) -> CorpusInfo:
    """Write ``n`` documents under ``directory`` (created when missing); see the module help."""
    directory = Path(directory)
    info = CorpusInfo(directory=directory)
    made: set[str] = set()
    for item in generate(n, seed, broken_fraction=broken_fraction, plain_fraction=plain_fraction):
        folder, _, _ = item.relpath.rpartition("/")
        if folder not in made:
            (directory / folder).mkdir(parents=True, exist_ok=True)
            made.add(folder)
        path = directory / item.relpath
        with open(path, "wb") as handle:
            handle.write(item.data)
        _count_file(info, item, path)
    return info


def _count_file(info: CorpusInfo, item: GeneratedFile, path: Path) -> None:
    info.files += 1
    info.size_bytes += len(item.data)
    info.paths.append(path)
    if item.kind == "news":
        info.news += 1
    elif item.kind == "plain":
        info.plain += 1
        info.plain_paths.append(path)
    else:
        info.broken += 1
        info.broken_paths.append(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write N synthetic news documents under DIR (deterministic).")
    parser.add_argument("n", type=int, metavar="N", help="how many files to write")
    parser.add_argument("directory", type=Path, metavar="DIR", help="where to write them (created when missing)")
    parser.add_argument("--seed", type=int, default=0, help="the same N and seed give identical files (default 0)")
    parser.add_argument("--broken-fraction", type=float, default=0.01, metavar="F", help="share of broken files (default 0.01)")
    parser.add_argument(
        "--plain-fraction", type=float, default=0.03, metavar="F", help="share of plain-text files (default 0.03)"
    )
    args = parser.parse_args(argv)
    if args.n < 0:
        parser.error("N must not be negative")
    started = time.perf_counter()
    try:
        info = make_corpus(args.n, args.directory, args.seed, broken_fraction=args.broken_fraction, plain_fraction=args.plain_fraction)
    except ValueError as error:
        parser.error(str(error))
    seconds = time.perf_counter() - started
    print(
        f"wrote {info.files:,} files to {info.directory} ({info.news:,} news, {info.plain:,} plain text, "
        f"{info.broken:,} broken; {info.size_bytes / 1e6:.1f} MB) in {seconds:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
