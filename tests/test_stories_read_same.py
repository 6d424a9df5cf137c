"""Reading an article for story grouping gives what it gave before it was made quicker.

The functions below are copies of ``read_words`` (reader/stories/text.py), the quick link
identity and ``_read`` (reader/stories/storage.py) as they were written before: the
reference. The module's versions must return equal words, names and openers, the same link
keys, and equal items and rows, for random texts and links and for every document of
tests/data/corpus and the seeds. (The order in which a set of words iterates is not
compared: it already changes from one process to the next with the hash seed of strings,
so the stories cannot depend on it.)
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from sys import intern
from typing import Any
from urllib.parse import urlsplit

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from rapidfuzz.utils import default_process

from reader.library import Library
from reader.stories import storage, text
from reader.stories.model import Item, Related
from reader.stories.titles import aside
from reader.stories.text import NOT_NAMES, STOP_WORDS, Words
from reader.urls import _AMP_PATH
from reader.urls import identity_key as careful_identity_key

# ----------------------------------------------------------------- the reference: text.py

WORDS = re.compile(r"[^\W\d_](?:[\w&-]*\w)?")
LONG_WORDS = re.compile(r"[^\W\d_][\w&-]+\w")
LONG_ASCII_WORDS = re.compile(r"[a-z][a-z0-9_&-]+[a-z0-9_]")
CAPITAL = text._CAPITAL  # (the letters are the module's definition: how words are found is what is compared)
CAPITALISED = re.compile(rf"[{CAPITAL}](?<![\w&-].)(?:[\w&-]*\w)?")
FIRST = re.compile(rf"[{CAPITAL}](?:[\w&-]*\w)?")
DASH = r"(?:[–—-]\s+)?"
OPENING = re.compile(
    rf"(?:[.!?…:;։\u037e](?:[\"'”’)]|\s*»)*\s+{DASH}|\n\s*{DASH}|[\"“‘(«„]\s*{DASH}|(?<![\w&-])['’])([{CAPITAL}](?:[\w&-]*\w)?)")


def reference_read_words(title: str, text: str) -> Words:
    lower = f"{title}\n{text}".lower()
    words = set((LONG_ASCII_WORDS if lower.isascii() else LONG_WORDS).findall(lower))
    words -= STOP_WORDS
    long_words = [w for w in WORDS.findall(title) if len(w) >= 4]
    letters = [c for c in title if c.isalpha()]
    capitals = title.isupper() and 2 * sum(c.isupper() for c in letters) > len(letters)
    headline = capitals or (len(long_words) > 2 and sum([w[0].isupper() for w in long_words]) >= 0.6 * len(long_words))
    source = text if headline else f"{title}\n{text}"
    capitalised = CAPITALISED.findall(source)
    opens = OPENING.findall(source)
    first = FIRST.match(source)
    if first:
        opens.insert(0, first[0])
    opening = set(opens)
    candidates = set(capitalised)
    inside = candidates - opening
    inside.update([w for w in opening if capitalised.count(w) > opens.count(w)])
    names = {w.lower() for w in inside}
    openers = {w.lower() for w in opening - inside}
    if headline:
        openers.update([w.lower() for w in long_words if w[0].isupper()])
        if not capitals:
            candidates.update(CAPITALISED.findall(title))
    special = {w.lower() for w in candidates if len(w) >= 2 and not w[1:].islower() and any(c.isupper() for c in w[1:])}
    names |= special
    names -= NOT_NAMES
    return Words(frozenset(map(intern, words)), frozenset(map(intern, names)), frozenset(map(intern, openers - names - NOT_NAMES)))


# -------------------------------------------------------------- the reference: storage.py

careful_key = lru_cache(maxsize=65_536)(careful_identity_key)
PLAIN_LINK = re.compile(r"https?://(?:www\.)?([a-z0-9.-]+)(/[^?#\s&%;]*)?", re.IGNORECASE)


def reference_identity_key(url: str) -> str:
    plain = PLAIN_LINK.fullmatch(url)
    if plain is None:
        return careful_key(url)
    path = plain[2] or ""
    if "mp" in path.lower():
        path = _AMP_PATH.sub("", path)
    return plain[1].lower() + path.rstrip("/")


def reference_related_key(entry: dict[str, Any]) -> str | None:
    url = entry.get("url")
    if url:
        return reference_identity_key(url)
    title = (entry.get("title") or "").strip().lower()
    return "title:" + title if title else None


def reference_outlet(provider: Any, domain: Any, url: Any = None) -> str | None:
    """The outlet: its provider's domain, or else the host of its link, or else its
    provider's name (no "www.", lower case)."""
    if domain:
        found = str(domain).lower()
        return intern(found[4:] if found.startswith("www.") else found) or None
    if isinstance(url, str) and url:
        try:
            host = urlsplit(url).hostname
        except ValueError:
            host = None
        if host:
            return intern(host[4:] if host.startswith("www.") else host)
    return intern(str(provider or "").lower()) or None


def reference_read(row: tuple[Any, ...]) -> tuple[Item, storage.Row]:
    (article_id, kind, title, excerpt, lead, published, url, amp_url, provider, domain, quality, heat, related_json, language) = row
    entries: list[Related] = []
    outlets: dict[str, tuple[str | None, float | None, int]] = {}
    if related_json:
        for place, entry in enumerate(json.loads(related_json)):
            if not isinstance(entry, dict) or not entry.get("title"):
                continue
            key = reference_related_key(entry)
            if key is None or key in outlets:
                continue
            when = entry.get("published")
            when = float(when) if isinstance(when, (int, float)) else None
            source = entry.get("provider") or {}
            outlets[key] = (reference_outlet(source.get("name"), source.get("domain"), entry.get("url")), when, place)
            entries.append(Related(key, str(entry["title"]), str(entry.get("excerpt") or ""), when))
    urls = frozenset(reference_identity_key(u) for u in (url, amp_url) if u)
    outlet = reference_outlet(provider, domain, url or amp_url)
    item = Item(article_id, published, reference_read_words(title or "", excerpt or lead or ""), urls, tuple(entries),
                default_process(title or ""), language or None, outlet, aside(title or ""))
    return item, storage.Row(article_id, intern(kind), published, outlet, heat, quality, outlets or {})


# ------------------------------------------------------------------------------ checks


def assert_same_words(title: str, body: str) -> None:
    got, want = text.read_words(title, body), reference_read_words(title, body)
    assert (got.words, got.names, got.openers) == (want.words, want.names, want.openers), (title, body)


# What the patterns and the rules care about: capitals (ASCII, Latin-1, Greek, Turkish İ, a
# title-case letter), small letters (ß, ı, Swedish å ä ö), letters and digits of other
# scripts (CJK, Arabic-Indic digits, superscripts), sentence ends, quotes and brackets that
# open and close, apostrophes, hyphens, ampersands, underscores, digits, spaces of several
# kinds and line breaks; and words that are stop words, names that are not names.
PIECES = st.sampled_from([
    "A", "a", "Z", "z", "x", "É", "é", "Å", "å", "Ä", "ä", "Ö", "ö", "ß", "İ", "ı", "Þ", "Σ", "σ", "ǅ", "Ω", "Ș", "ș", "Ấ", "ấ", "Ґ", "Ե", "ր", "Ἀ", "Ｎ", "ｎ",
    "0", "1", "9", "²", "٣", "_", "&", "-", "'", "’", ".", "!", "?", "…", ":", ";", "\"", "“", "”", "‘", "(", ")",
    "«", "»", " »", " ", "  ", "\n", "\n\n", "\t", "\u00a0", "\u2003", "中", "—",
    "The", "the", "and", "Analysts", "Investors", "Clearview", "YouTube", "AI", "FBI", "iPhone", "Monday", "Mr",
    "Dr.", "Företaget", "och", "Venmo", "Apple", "apple", "COVID-19", "AT&T", "self-driving", "Clearview's",
    "Zürich", "Øresund", "ÅÄÖ", "Ab1", "A1", "x-Ray", "aBc", "Über", "Γειά", "Straße", "İstanbul", "3D",
    "UN", "Un", "Le", "LE", "Mit", "MIT", "Montag",
])
TEXTS = st.lists(PIECES, max_size=40).map("".join)
TITLES = st.lists(st.sampled_from([
    "Apple", "Buys", "Clearview", "And", "The", "Of", "in", "to", "Venmo", "Stops", "Scraping", "Faces", "AI", " ", " ",
    " ", ": ", "-", "Zürich", "Företaget", "köper", "Ägaren", "Über", "Σύνοψη", "3D", "\n", "’s", "“", "”",
]), max_size=14).map("".join)


@settings(max_examples=1500, deadline=None)
@given(TITLES, TEXTS)
@example("Clearview AI told to stop scraping faces", "Venmo and YouTube demand that Clearview stop.")
@example("", "Investors left. Then Investors met Clearview. Analysts wrote.")
@example("Apple Buys The Venmo Of Zürich", "Apple said so. Shares of Apple rose. \"Apple\" fell.")
@example("Företaget Köper Ägaren", "Företaget köpte. Ägaren sa: ”Nej”. Företaget och Ägaren")
@example("İstanbul", "İİ İstanbul. ǅemal ǅ")
def test_words_as_before_on_random_texts(title: str, body: str) -> None:
    assert_same_words(title, body)


@settings(max_examples=300, deadline=None)
@given(TITLES, st.lists(PIECES, min_size=150, max_size=400).map("".join))
@example("", "Zorbatron ships Quillex." + "\n" * 2000 + "end of the excerpt.")
@example("", "\n".join(f"Company{i % 70} Holdings. Then Company{i % 90} met Venmo" for i in range(300)))
@example("", "Zorbatron ships." + " " * 20_000 + "» x " + "'" * 20_000 + ". »" * 5_000 + "’ Quillex")
def test_words_as_before_on_long_texts(title: str, body: str) -> None:
    """Texts of many capitalised words (counted, not looked up in a list) and of long runs of
    spaces and line breaks."""
    assert_same_words(title, body)


@settings(max_examples=600, deadline=None)
@given(st.text(max_size=80), st.text(max_size=200))
def test_words_as_before_on_any_characters(title: str, body: str) -> None:
    assert_same_words(title, body)


def test_the_spelled_out_classes_are_the_unicode_ones() -> None:
    # (every character below the limit: in the spelled-out class exactly when the class of
    # the plain pattern takes it)
    letter, word = text._spelled_classes()
    letter_re, word_re = re.compile(f"[{letter}]"), re.compile(f"[{word}]")
    plain_letter, plain_word = re.compile(r"[^\W\d_]"), re.compile(r"\w")
    for code in range(ord(text._SPELLED_BELOW)):
        c = chr(code)
        assert bool(letter_re.match(c)) == bool(plain_letter.match(c)), hex(code)
        assert bool(word_re.match(c)) == bool(plain_word.match(c)), hex(code)


HOSTS = st.lists(st.sampled_from(["www.", "WWW.", "example", "Ex-Ample", "co", ".", "uk", "k", "K", "\u212a", "ſ", "İ", "ı",
                                  "é", "0", "-", "_", ":8080", "@", "news"]), min_size=0, max_size=5).map("".join)
PATHS = st.lists(st.sampled_from(["/", "a", "B", "/amp", "/amp/", ".amp.html", ".html", "-", "%20", " ", "&#038;",
                                  ";", "é", "x", "2023", "//"]), max_size=6).map("".join)
QUERIES = st.sampled_from(["", "?amp=1", "?outputType=amp", "?AMP=1", "?amp=2", "?amp=1&x=2", "?utm_source=x",
                           "?outputtype=AMP", "#top", "?amp=1#top", "?"])


@settings(max_examples=1500, deadline=None)
@given(st.sampled_from(["https://", "http://", "HTTPS://", "Http://", "httpſ://", "ftp://", "https:/", ""]),
       HOSTS, PATHS, QUERIES)
@example("https://", "www.", "/x", "?amp=1")
@example("https://", "www.www.", "/x", "?amp=1")
@example("https://", "example.com", "", "?outputType=amp")
def test_link_keys_as_before(scheme: str, host: str, path: str, query: str) -> None:
    url = scheme + host + path + query
    assert storage.identity_key(url) == reference_identity_key(url)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_link_keys_as_before_on_any_characters(url: str) -> None:
    assert storage.identity_key(url) == reference_identity_key(url)
    assert storage.identity_key("https://" + url) == reference_identity_key("https://" + url)


# ------------------------------------------------------- the real documents and the seeds

CORPUS = Path(__file__).parent / "data" / "corpus"
SEEDS = Path(__file__).parent.parent / "seeds"


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    """tests/data/corpus and the seeds in one library (not grouped)."""
    folder = tmp_path_factory.mktemp("docs")
    for path in [*CORPUS.iterdir(), *SEEDS.iterdir()]:
        if path.is_file():
            shutil.copy(path, folder / path.name)
    with Library(tmp_path_factory.mktemp("data")) as library:
        library.sync([folder], group=False)
        yield library


def test_every_document_and_related_entry_read_as_before(documents: Library) -> None:
    rows = documents.db.execute(storage._ROWS_SQL).fetchall()
    assert len(rows) >= 100  # (the corpus's news documents and the five seeds)
    entries = 0
    for row in rows:
        item, data = storage._read(row)
        want_item, want_data = reference_read(row)
        assert item == want_item and data == want_data, row[0]
        title, excerpt, lead = row[2] or "", row[3] or "", row[4] or ""
        for body in {excerpt, lead, excerpt or lead}:  # (the excerpt, the lead of a plain text)
            assert_same_words(title, body)
        for entry in item.related:  # (what matching reads of a related entry)
            assert_same_words(entry.title, entry.excerpt)
            entries += 1
    assert entries >= 150  # (199 different related entries)


def outcome(read: Any, row: tuple[Any, ...]) -> Any:
    try:
        return read(row)
    except Exception as error:  # (the same error for the same broken row)
        return type(error)


@pytest.mark.parametrize("related", [
    None, "", "[]", " []", "[] ", "\n[]\n", "[] x", "\ufeff[]", "{}", "5", 5, "\"text\"", "[1, null, \"x\", {}]",
    '[{"title": "A", "url": "https://www.example.com/a/amp/?amp=1"}, {"title": "A"}, {"title": " B "}]',
    ' [{"title": "Kept", "excerpt": 3, "published": 1.5e9, "provider": {"name": "N", "domain": "D.com"}}] ',
    '[{"title": "No link"}, {"title": "No link"}, {"title": 7, "url": "http://x.org/7"}, {"title": ""}]',
    '[{"title": "T", "url": "https://a.com/x"}] [{"title": "U"}]', "[{\"title\": \"T\", \"published\": true}",
])
def test_related_entries_of_any_json_read_as_before(related: Any) -> None:
    row = ("id1", "news", "A Title", "An excerpt.", None, 1.0e9, "https://a.com/1", None, "P", None, 5, 3, related, "en")
    assert outcome(storage._read, row) == outcome(reference_read, row)
