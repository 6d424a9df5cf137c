"""The search language (reader.search) and its results when run by a real Library.

Expected result sets come from an oracle in this file that reads the seed and corpus
documents itself (PyYAML for front matter, a plain tokenizer for words), never from the
code under test.
"""

from __future__ import annotations

import math
import os
import re
import sqlite3
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.article import Article, Document
from reader.documents import parse_path
from reader.library import MARK_START, Library, Scope, Sort, make_scope
from reader.search import Query, QueryError, parse_query

ROOT = Path(os.path.abspath(__file__)).parent.parent
SEEDS = ROOT / "seeds"
CORPUS = ROOT / "tests" / "data" / "corpus"

# Titles read from the seed files.
T000 = "AI company must stop scraping user images from social media sites, top tech firms say"
T001 = "Facebook, YouTube, Twitter warn Clearview face-recognition service to stop harvesting images"
T002 = "Facebook Joins YouTube & LinkedIn, Warns Clearview AI To Stop Scraping Images From Their Platforms"
T004 = "Twitter demands AI company stops 'collecting faces'"
S000, S001, S002, S003, S004 = sorted(p.name for p in SEEDS.iterdir())


# --------------------------------------------------------------------------- the oracle

_CLOSING = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)
_URL_KEYS = ("originalUrl", "webUrl", "sourceUrl", "url")


def tokens(text: str) -> list[str]:
    """Words as the full-text index sees them: case and accents folded."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return re.findall(r"[^\W_]+", folded.lower())


@dataclass
class Doc:
    key: str  #: file name (the first one, for files that carry the same article)
    columns: list[list[str]]  #: tokens of each indexed column
    published: datetime | None = None
    provider: str | None = None
    domain: str | None = None
    topics: tuple[str, ...] = ()
    heat: int | None = None
    quality: int | None = None

    def has_word(self, word: str) -> bool:
        return any(word in column for column in self.columns)

    def has_prefix(self, prefix: str) -> bool:
        return any(t.startswith(prefix) for column in self.columns for t in column)

    def has_phrase(self, phrase: str) -> bool:
        want = tokens(phrase)
        return any(
            column[i : i + len(want)] == want for column in self.columns for i in range(len(column) - len(want) + 1)
        )

    def matches(self, text: str) -> bool:
        """``text`` as a word, ``text*`` as a prefix, ``"text"`` as a phrase."""
        if text.startswith('"'):
            return self.has_phrase(text.strip('"'))
        if text.endswith("*"):
            return self.has_prefix(text.rstrip("*").lower())
        return self.has_word(text.lower())


def _moment(value: object) -> datetime | None:
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    return None


def read_docs(paths: list[Path]) -> list[Doc]:
    by_url: dict[str, Doc] = {}
    docs = []
    for path in sorted(paths, key=lambda p: p.name):
        text = path.read_text(encoding="utf-8")
        if not text.startswith("---\n"):
            docs.append(Doc(path.name, [tokens(text)]))
            continue
        closing = _CLOSING.search(text, 4)
        assert closing is not None
        fm = yaml.safe_load(text[4 : closing.start()])
        provider = fm.get("provider") or {}
        topics = tuple(fm.get("topics") or ())
        columns = [fm.get("title"), fm.get("excerpt"), text[closing.end() :], provider.get("name"), provider.get("domain")]
        doc = Doc(
            key=path.name,
            columns=[tokens(c or "") for c in columns] + [tokens(" \n ".join(topics))],
            published=_moment(fm.get("publishedDateTime")),
            provider=provider.get("name"),
            domain=provider.get("domain"),
            topics=topics,
            heat=fm.get("heat"),
            quality=fm.get("quality"),
        )
        url = next((fm[k] for k in _URL_KEYS if fm.get(k)), None)
        if url is None:
            docs.append(doc)
        elif url not in by_url:  # the same article from two files: one result
            by_url[url] = doc
            docs.append(doc)
    return docs


SEED_DOCS = read_docs(list(SEEDS.iterdir()))
CORPUS_DOCS = read_docs([p for p in CORPUS.glob("*.md") if p.name != "SOURCE.md"])
ALL_DOCS = SEED_DOCS + CORPUS_DOCS


def expect(docs: list[Doc], predicate: Callable[[Doc], bool]) -> set[str]:
    return {d.key for d in docs if predicate(d)}


# --------------------------------------------------------------------------- the library


@pytest.fixture(scope="module")
def lib(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    library = Library(tmp_path_factory.mktemp("data"))
    report = library.sync([SEEDS, CORPUS])
    assert report.problems == 0
    yield library
    library.close()


SEED_SCOPE: Scope = make_scope([SEEDS])


def found(lib: Library, query: str | Query, scope: Scope | None = None) -> set[str]:
    """The file names of the articles ``query`` finds (the first file of each article)."""
    hits = lib.search(query, scope=scope, limit=None)
    ids = [h.row.id for h in hits]
    assert len(ids) == len(set(ids)), "an article was listed twice"
    return {os.path.basename(min(lib.paths(i))) for i in ids}


def seeds(lib: Library, query: str) -> set[str]:
    return found(lib, query, SEED_SCOPE)


def titles(lib: Library, query: str, scope: Scope | None = SEED_SCOPE) -> set[str]:
    return {h.row.title for h in lib.search(query, scope=scope, limit=None)}


def test_oracle_reads_the_documents() -> None:
    assert len(SEED_DOCS) == 5 and len(CORPUS_DOCS) == 95  # two corpus files share a URL
    assert {d.key for d in SEED_DOCS if d.topics} == {S000, S001, S004}


def test_library_holds_what_the_oracle_reads(lib: Library) -> None:
    assert found(lib, "") == {d.key for d in ALL_DOCS}


# --------------------------------------------------------------------------- words


def test_topic_and_word_finds_the_three_clearview_seeds(lib: Library) -> None:
    assert titles(lib, "topic:AI clearview") == {T000, T001, T004}
    assert seeds(lib, "topic:AI clearview") == {S000, S001, S004}


def test_a_word_matches_every_indexed_field(lib: Library) -> None:
    assert seeds(lib, "clearview") == {S000, S001, S002, S003, S004}
    assert found(lib, "clearview") == expect(ALL_DOCS, lambda d: d.has_word("clearview"))
    # the provider name, the domain and the topics are searched too
    assert seeds(lib, "tribune") == {S001}
    assert seeds(lib, "globalnews") == {S000}
    assert found(lib, "vision") == expect(ALL_DOCS, lambda d: d.has_word("vision"))
    assert found(lib, "vision") > expect(ALL_DOCS, lambda d: any(t.startswith("vision") for t in d.columns[0]))


def test_words_ignore_case_and_accents(lib: Library) -> None:
    assert seeds(lib, "CLEARVIEW") == seeds(lib, "clearview")
    # 003 is Swedish: "betaltjänsten", "skörda"
    assert seeds(lib, "betaltjansten") == {S003}
    assert seeds(lib, "skorda") == {S003}
    assert seeds(lib, "SKÖRDA") == {S003}


@pytest.mark.parametrize(
    "words",
    [
        ["clearview", "venmo"],
        ["facebook", "instagram"],
        ["facial", "recognition", "police"],
        ["tesla", "crashes"],
        ["google", "bard", "chatbot"],
    ],
)
def test_words_are_all_required(lib: Library, words: list[str]) -> None:
    want = expect(ALL_DOCS, lambda d: all(d.has_word(w) for w in words))
    assert found(lib, " ".join(words)) == want
    assert want, "a query that finds nothing proves little"
    assert want < expect(ALL_DOCS, lambda d: d.has_word(words[0]))


def test_words_venmo_and_clearview_on_the_seeds(lib: Library) -> None:
    assert seeds(lib, "clearview venmo") == {S000, S001, S002, S003}


@pytest.mark.parametrize(
    "phrase", ['"cease and desist"', '"facial recognition"', '"self-driving car"', '"natural language processing"']
)
def test_exact_phrase(lib: Library, phrase: str) -> None:
    want = expect(ALL_DOCS, lambda d: d.has_phrase(phrase.strip('"')))
    assert found(lib, phrase) == want
    assert want


def test_phrase_differs_from_its_words(lib: Library) -> None:
    # "cease-and-desist" (000) and "cease and desist letter" (002) are the phrase;
    # 004's excerpt ends "In a cease-and ..." and is not.
    assert seeds(lib, '"cease and desist"') == {S000, S002}
    assert seeds(lib, '"desist and cease"') == set()
    assert seeds(lib, "cease") >= {S000, S002, S004}


def test_phrase_spaces_are_normalised(lib: Library) -> None:
    assert seeds(lib, '"  cease   and desist "') == {S000, S002}


@pytest.mark.parametrize("prefix", ["faci*", "recogn*", "autonom*", "nvid*", "wa*"])
def test_prefix(lib: Library, prefix: str) -> None:
    want = expect(ALL_DOCS, lambda d: d.has_prefix(prefix.rstrip("*")))
    assert found(lib, prefix) == want
    assert want > expect(ALL_DOCS, lambda d: d.has_word(prefix.rstrip("*")))


def test_prefix_inside_a_phrase_is_not_a_prefix(lib: Library) -> None:
    assert found(lib, '"faci*"') == expect(ALL_DOCS, lambda d: d.has_word("faci"))


def test_or_of_two_words(lib: Library) -> None:
    assert seeds(lib, "venmo OR paypal") == {S000, S001, S002, S003}
    assert seeds(lib, "paypal") == {S003}
    want = expect(ALL_DOCS, lambda d: d.has_word("waymo") or d.has_word("tesla"))
    assert found(lib, "waymo OR tesla") == want


def test_or_binds_its_two_neighbours(lib: Library) -> None:
    # clearview linkedin OR waymo is clearview AND (linkedin OR waymo): the LinkedIn seeds;
    # (clearview AND linkedin) OR waymo would add the Waymo articles.
    want = expect(ALL_DOCS, lambda d: d.has_word("clearview") and (d.has_word("linkedin") or d.has_word("waymo")))
    assert want == {S002, S003}
    waymo = expect(ALL_DOCS, lambda d: d.has_word("waymo"))
    assert waymo and not waymo & want
    assert found(lib, "clearview linkedin OR waymo") == want
    assert found(lib, "waymo OR linkedin clearview") == want


def test_or_chains_and_mixes_phrases_and_prefixes(lib: Library) -> None:
    parts = ["waymo", '"facial recognition"', "nvid*"]
    want = expect(ALL_DOCS, lambda d: any(d.matches(p) for p in parts))
    assert found(lib, " OR ".join(parts)) == want
    want_and = expect(ALL_DOCS, lambda d: d.has_word("tesla") and any(d.matches(p) for p in parts))
    assert found(lib, "tesla " + " OR ".join(parts)) == want_and


def test_lowercase_or_is_a_word(lib: Library) -> None:
    assert found(lib, "venmo or paypal") == expect(ALL_DOCS, lambda d: all(d.has_word(w) for w in ("venmo", "or", "paypal")))


def test_excluded_word(lib: Library) -> None:
    assert seeds(lib, "clearview -twitter") == {S002}
    assert seeds(lib, "-venmo") == {S004}
    assert found(lib, "facial -police") == expect(ALL_DOCS, lambda d: d.has_word("facial") and not d.has_word("police"))


def test_excluded_phrase_and_prefix(lib: Library) -> None:
    assert seeds(lib, 'clearview -"cease and desist"') == {S001, S003, S004}
    assert found(lib, "facial -recogn*") == expect(ALL_DOCS, lambda d: d.has_word("facial") and not d.has_prefix("recogn"))


@pytest.mark.parametrize(
    ("query", "predicate"),
    [
        ("facial NOT police", lambda d: d.has_word("facial") and not d.has_word("police")),
        ('clearview NOT "cease and desist"', lambda d: d.has_word("clearview") and not d.has_phrase("cease and desist")),
        ("clearview NOT twitt*", lambda d: d.has_word("clearview") and not d.has_prefix("twitt")),
        ("NOT topic:AI facial", lambda d: d.has_word("facial") and "ai" not in {t.lower() for t in d.topics}),
        ("NOT heat>=50", lambda d: not (d.heat is not None and d.heat >= 50)),
        ("not", lambda d: d.has_word("not")),  # lower case: a word, as or is
        # a minus before NOT makes it the word excluded, as -OR is: nothing after it is excluded
        ("-NOT facial", lambda d: d.has_word("facial") and not d.has_word("not")),
        ("facial -NOT", lambda d: d.has_word("facial") and not d.has_word("not")),
        ("-OR facial", lambda d: d.has_word("facial") and not d.has_word("or")),
    ],
)
def test_not_excludes_the_term_after_it(lib: Library, query: str, predicate: Callable[[Doc], bool]) -> None:
    want = expect(ALL_DOCS, predicate)
    assert found(lib, query) == want
    assert want
    assert seeds(lib, "clearview NOT twitter") == seeds(lib, "clearview -twitter") == {S002}


def test_only_exclusions(lib: Library) -> None:
    assert found(lib, "-ai -the") == expect(ALL_DOCS, lambda d: not d.has_word("ai") and not d.has_word("the"))


# --------------------------------------------------------------------------- relevance order


def bm25_order(docs: list[Doc], prefix: str) -> list[str]:
    """The articles with a word starting with ``prefix``, best first, by Okapi BM25 as SQLite
    documents it for FTS5 (k1 1.2, b 0.75, every column weighing 1, an idf of at least
    1e-6), the newer first on equal scores."""
    lengths = [sum(len(column) for column in d.columns) for d in docs]
    average = sum(lengths) / len(docs)
    hits = {d.key: sum(t.startswith(prefix) for column in d.columns for t in column) for d in docs}
    matching = [d for d in docs if hits[d.key]]
    idf = math.log((len(docs) - len(matching) + 0.5) / (len(matching) + 0.5))
    idf = idf if idf > 0 else 1e-6
    size = dict(zip((d.key for d in docs), lengths, strict=True))

    def score(d: Doc) -> float:
        f = hits[d.key]
        return idf * f * 2.2 / (f + 1.2 * (0.25 + 0.75 * size[d.key] / average))

    def newest(d: Doc) -> float:
        return -d.published.timestamp() if d.published else math.inf

    return [d.key for d in sorted(matching, key=lambda d: (-round(score(d) / idf, 9), newest(d)))]


def ranked(lib: Library, query: str) -> list[str]:
    return [os.path.basename(min(lib.paths(h.row.id))) for h in lib.search(query, limit=None)]


@pytest.mark.parametrize("prefix", ["faci*", "recogn*", "wa*"])
def test_prefix_search_is_ordered_by_bm25(lib: Library, prefix: str) -> None:
    want = bm25_order(ALL_DOCS, prefix.rstrip("*"))
    assert len(want) >= 5
    assert ranked(lib, prefix) == want
    assert lib.search(prefix, limit=3) == lib.search(prefix, limit=None)[:3]


def test_a_search_matching_too_many_to_rank_is_newest_first(lib: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    import reader.library.reading as reading

    by_rank = bm25_order(ALL_DOCS, "wa")
    monkeypatch.setattr(reading, "RANKED_MATCHES_MAX", len(by_rank))
    assert ranked(lib, "wa*") == by_rank  # (as many as may be ranked)
    assert lib.ranks("wa*") and not lib.ranks("topic:AI")
    monkeypatch.setattr(reading, "RANKED_MATCHES_MAX", len(by_rank) - 1)
    assert not lib.ranks("wa*") and lib.ranks("waymo")
    newest = expect(ALL_DOCS, lambda d: d.has_prefix("wa"))
    dated = sorted((d for d in ALL_DOCS if d.key in newest and d.published), key=lambda d: d.published, reverse=True)
    got = ranked(lib, "wa*")
    assert got != by_rank and set(got) == newest
    assert got[: len(dated)] == [d.key for d in dated]
    hits = lib.search("wa*", limit=5)
    assert [os.path.basename(min(lib.paths(h.row.id))) for h in hits] == got[:5]
    assert all(MARK_START in h.snippet for h in hits)
    assert lib.article_rowids(query="wa*", sort=Sort.RANK) == lib.article_rowids(query="wa*", sort=Sort.NEWEST)


def test_too_many_to_rank_with_full_texts_is_newest_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import reader.library.reading as reading
    from reader.fulltext import Block, FullText, Run

    newest = sorted((d for d in CORPUS_DOCS if d.has_prefix("waym")), key=lambda d: d.published or 0, reverse=True)
    assert len(newest) >= 3 and all(d.published for d in newest)
    with Library(tmp_path / "data") as library:
        library.sync([CORPUS])
        oldest = library.search("waym*", sort=Sort.OLDEST, limit=1)[0].row
        text = FullText("http://news.example/a", 1.0, (Block("p", (Run("Waymo " * 40),)),))
        library.store_fulltext(oldest.id, text, oldest.title)  # (now the best match by far)
        assert library.search("waym*", limit=1)[0].row.id == oldest.id
        monkeypatch.setattr(reading, "RANKED_MATCHES_MAX", len(newest) - 1)
        hits = library.search("waym*", limit=None)
        assert [os.path.basename(min(library.paths(h.row.id))) for h in hits] == [d.key for d in newest]


# --------------------------------------------------------------------------- filters


def test_topic_filter(lib: Library) -> None:
    assert seeds(lib, "topic:AI") == {S000, S001, S004}
    assert seeds(lib, "topic:ai") == {S000, S001, S004}
    want = expect(ALL_DOCS, lambda d: "Computer Vision" in d.topics)
    assert found(lib, 'topic:"Computer Vision"') == want
    assert found(lib, 'topic:"computer   vision"') == want
    assert S001 in want and len(want) == 14
    assert found(lib, "topic:Computer") == set()  # a topic name, not a word of it


def test_excluded_topic(lib: Library) -> None:
    assert seeds(lib, "-topic:AI") == {S002, S003}  # plain texts have no topics
    want = expect(ALL_DOCS, lambda d: "AI" in d.topics and "Computer Vision" not in d.topics)
    assert found(lib, 'topic:AI -topic:"Computer Vision"') == want


@pytest.mark.parametrize("value", ["bbc.com", "BBC", "bbc", "www.bbc.com", "BBC.COM"])
def test_source_by_name_or_domain(lib: Library, value: str) -> None:
    assert titles(lib, f"source:{value}") == {T004}
    assert titles(lib, f"source:{value}", scope=None) == {T004}


def test_source_with_spaces_and_exclusion(lib: Library) -> None:
    assert titles(lib, 'source:"Global News"') == {T000}
    assert titles(lib, "source:globalnews.ca") == {T000}
    assert seeds(lib, "source:chicagotribune.com") == {S001}
    # articles without a source are not from bbc.com: they stay in the exclusion
    assert seeds(lib, "-source:bbc.com") == {S000, S001, S002, S003}
    want = expect(ALL_DOCS, lambda d: d.domain != "techcrunch.com")
    assert found(lib, "-source:techcrunch.com") == want
    assert found(lib, "source:techcrunch.com") == expect(ALL_DOCS, lambda d: d.domain == "techcrunch.com") != set()


@pytest.mark.parametrize("value", ["com", "COM", ".com", "ca", "org"])
def test_a_bare_top_level_domain_is_no_source(lib: Library, value: str) -> None:
    # (a source named so, or a domain that is only that: none in the corpus)
    assert found(lib, f"source:{value}") == expect(ALL_DOCS, lambda d: d.domain == value.lower() or (d.provider or "").lower() == value.lower()) == set()
    assert found(lib, f"-source:{value}") == expect(ALL_DOCS, lambda d: True)


def test_source_is_not_a_pattern(lib: Library) -> None:
    assert found(lib, "source:%") == set()
    assert found(lib, "source:_bc.com") == set()
    assert found(lib, "source:b%") == set()
    assert found(lib, "source:.com") == set()


@pytest.mark.parametrize(
    ("query", "predicate"),
    [
        ("heat>=50", lambda d: d.heat is not None and d.heat >= 50),
        ("heat>74", lambda d: d.heat is not None and d.heat > 74),
        ("heat<0", lambda d: d.heat is not None and d.heat < 0),
        ("heat<=-1", lambda d: d.heat is not None and d.heat <= -1),
        ("heat=74", lambda d: d.heat == 74),
        ("quality>=80", lambda d: d.quality is not None and d.quality >= 80),
        ("quality<33", lambda d: d.quality is not None and d.quality < 33),
        ("quality=30", lambda d: d.quality == 30),
        ("-heat>=50", lambda d: not (d.heat is not None and d.heat >= 50)),
        ("quality>=50 heat<50", lambda d: d.quality is not None and d.quality >= 50 and d.heat is not None and d.heat < 50),
        # the largest and smallest whole numbers SQLite holds
        ("heat<=9223372036854775807", lambda d: d.heat is not None),
        ("quality>-9223372036854775808", lambda d: d.quality is not None),
        ("-heat>=9223372036854775807", lambda d: True),
    ],
)
def test_numeric_filters(lib: Library, query: str, predicate: Callable[[Doc], bool]) -> None:
    want = expect(ALL_DOCS, predicate)
    assert found(lib, query) == want
    assert want


@pytest.mark.parametrize(
    ("query", "predicate"),
    [
        ("Quality>=80", lambda d: d.quality is not None and d.quality >= 80),
        ("HEAT>=50", lambda d: d.heat is not None and d.heat >= 50),
        ("-Heat<0", lambda d: not (d.heat is not None and d.heat < 0)),
        ("Topic:AI", lambda d: "ai" in {t.lower() for t in d.topics}),
    ],
)
def test_filter_names_ignore_case(lib: Library, query: str, predicate: Callable[[Doc], bool]) -> None:
    want = expect(ALL_DOCS, predicate)
    assert found(lib, query) == want
    assert want


def test_numeric_filters_on_the_seeds(lib: Library) -> None:
    assert titles(lib, "heat>=50") == {T004}
    assert titles(lib, "quality=30") == {T000}
    assert titles(lib, "quality>30 quality<87") == {T001}


def _day(text: str) -> datetime:
    return datetime.combine(date.fromisoformat(text), datetime.min.time(), timezone.utc)


@pytest.mark.parametrize(
    ("query", "predicate"),
    [
        ("before:2020-01-01", lambda d: d.published is not None and d.published < _day("2020-01-01")),
        ("after:2021-03-05", lambda d: d.published is not None and d.published >= _day("2021-03-05")),
        (
            "after:2019-12-20 before:2019-12-24",
            lambda d: d.published is not None and _day("2019-12-20") <= d.published < _day("2019-12-24"),
        ),
        ("-before:2021-01-01", lambda d: d.published is None or d.published >= _day("2021-01-01")),
    ],
)
def test_date_filters(lib: Library, query: str, predicate: Callable[[Doc], bool]) -> None:
    want = expect(ALL_DOCS, predicate)
    assert found(lib, query) == want
    assert want


def test_date_filters_on_the_seeds(lib: Library) -> None:
    assert titles(lib, "after:2020-02-06") == {T001}  # 2020-02-06T19:37Z
    assert titles(lib, "before:2020-02-06 after:2020-02-05") == {T000}  # 2020-02-05T22:56Z
    assert titles(lib, "before:2020-02-01") == {T004}  # undated plain texts are not before anything
    assert seeds(lib, "-before:2020-02-01") == {S000, S001, S002, S003}


@pytest.fixture
def small(tmp_path: Path) -> Iterator[Library]:
    """A library of the seeds, with state of its own."""
    library = Library(tmp_path / "data")
    library.sync([SEEDS])
    yield library
    library.close()


def test_state_filters(small: Library) -> None:
    rows = {os.path.basename(small.paths(r.id)[0]): r for r in small.rows(small.article_rowids()).values()}
    small.set_read([rows[S000].id, rows[S002].id])
    small.set_starred([rows[S002].id, rows[S004].id])
    assert found(small, "is:read") == {S000, S002}
    assert found(small, "is:unread") == {S001, S003, S004}
    assert found(small, "is:starred") == {S002, S004}
    assert found(small, "is:unstarred") == {S000, S001, S003}
    assert found(small, "IS:Starred -is:read") == {S004}
    assert found(small, "is:unread clearview -is:starred") == {S001, S003}
    small.set_read([rows[S000].id], False)
    assert found(small, "is:read") == {S002}


def test_lang_filter(tmp_path: Path) -> None:
    """Languages come from the documents; the parse hook supplies them here."""
    languages = {S000: "en", S001: "en", S003: "sv"}

    def parse(batch: Sequence[str]) -> list[Document]:
        docs: list[Document] = []
        for path in batch:
            doc = parse_path(path)
            assert isinstance(doc, Article)
            docs.append(replace(doc, language=languages.get(os.path.basename(path))))
        return docs

    with Library(tmp_path / "data") as library:
        library.sync([SEEDS], parse=parse)
        assert found(library, "lang:sv") == {S003}
        assert found(library, "lang:SV") == {S003}
        assert found(library, "lang:en") == {S000, S001}
        assert found(library, "lang:de") == set()
        assert found(library, "-lang:en") == {S002, S003, S004}  # unknown language is not English
        assert found(library, "clearview -lang:sv -lang:en") == {S002, S004}


def test_filters_and_words_together(lib: Library) -> None:
    want = expect(
        ALL_DOCS,
        lambda d: "Computer Vision" in d.topics and d.has_word("facial") and not d.has_word("police")
        and d.published is not None and d.published >= _day("2020-01-01"),
    )
    assert found(lib, 'topic:"Computer Vision" facial -police after:2020-01-01') == want
    assert want


# --------------------------------------------------------------------------- parsing


def test_parse_words_phrases_prefixes_or() -> None:
    assert parse_query("clearview venmo").match == '"clearview" AND "venmo"'
    assert parse_query('"cease and desist"').match == '"cease and desist"'
    assert parse_query("faci*").match == '"faci"*'
    assert parse_query("a b OR c").match == '"a" AND ("b" OR "c")'
    assert parse_query("a OR b OR c d").match == '("a" OR "b" OR "c") AND "d"'
    q = parse_query("-twitter")
    assert q.match is None and q.params == ('"twitter"', '"twitter"')  # (the article's text, its full text)


def test_a_term_repeated_is_searched_once(lib: Library) -> None:
    # (each term costs the ranking and the snippets of every match: 2,000 of one word took seconds)
    many = " OR ".join(["clearview"] * 2000)
    assert parse_query(many).match == parse_query("clearview").match == '"clearview"'
    assert parse_query("a b a OR b OR a -c -c a").match == '"a" AND "b" AND ("a" OR "b")'
    assert parse_query("-c -c").params == ('"c"', '"c"')
    assert found(lib, many) == found(lib, "clearview") != set()


def test_parse_filters_become_sql_conditions() -> None:
    q = parse_query('topic:"Computer Vision" heat>=50 is:unread')
    assert q.match is None
    assert len(q.where) == 3
    assert q.params == ("computer vision", 50)  # (a topic is compared folded: reader.folding.name_key)
    assert not q.is_empty


@pytest.mark.parametrize("text", ["", "   ", "\t\n"])
def test_empty_query(text: str) -> None:
    q = parse_query(text)
    assert q.is_empty and q.match is None and q.where == ()


# --------------------------------------------------------------------------- FTS syntax is literal


# Each query is read as the terms on the right: words, or "phrases" where one term holds
# several words (FTS5 would have read NEAR(, ^, :, {col}, +, AND, NOT as operators).
@pytest.mark.parametrize(
    ("query", "terms"),
    [
        ("NEAR(clearview", ['"near clearview"']),
        ("NEAR(clearview venmo)", ['"near clearview"', "venmo"]),
        ("^clearview", ["clearview"]),
        ("clearview^", ["clearview"]),
        ("(clearview)", ["clearview"]),
        ("clearview)", ["clearview"]),
        ("+clearview", ["clearview"]),
        (":clearview", ["clearview"]),
        ("12:30", ['"12 30"']),
        ("{title}:clearview", ['"title clearview"']),
        ("clearview AND", ["clearview", "and"]),
        ("clearview not twitter", ["clearview", "not", "twitter"]),  # (NOT in capitals excludes: see above)
        ("NEAR", ["near"]),
        ("clear*view", ['"clear view"']),
        ('say"clearview"', ["say", "clearview"]),
        ("face-recognition", ['"face recognition"']),
        ("a\x00clearview", ['"a clearview"']),
    ],
)
def test_fts_syntax_in_words_is_searched_literally(lib: Library, query: str, terms: list[str]) -> None:
    assert found(lib, query) == expect(ALL_DOCS, lambda d: all(d.matches(t) for t in terms))


def test_title_colon_is_not_a_column_filter(lib: Library) -> None:
    # FTS5 would read title:clearview as "clearview in the title"; Reader refuses the
    # unknown filter instead of passing it through.
    with pytest.raises(QueryError):
        parse_query("title:clearview")
    assert found(lib, '"title:clearview"') == expect(ALL_DOCS, lambda d: d.has_phrase("title clearview"))


_ALPHABET = st.sampled_from(
    list('ab "*-:()^+{}[],.\\\'\x00é_%') + ["OR", "NEAR", "AND", "NOT", "topic:", "source:", "heat>=", "is:", "lang:", "after:", " "]
    + ["5", "99999999999999999999", "\udce9", "Quality<"]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_ALPHABET, max_size=10).map("".join))
def test_any_text_is_a_query_error_or_runs(lib: Library, text: str) -> None:
    try:
        query = parse_query(text)
    except QueryError as error:
        assert 0 <= error.position <= len(text)
        return
    try:
        lib.search(query, limit=3)
        lib.article_rowids(query=query, limit=3)
    except sqlite3.Error as error:  # pragma: no cover - the failure being tested for
        pytest.fail(f"{text!r} reached SQLite as syntax: {error}")


# --------------------------------------------------------------------------- malformed queries


@pytest.mark.parametrize(
    ("query", "message", "position"),
    [
        ('clearview "cease and', "this quote is never closed", 10),
        ('-"cease', "this quote is never closed", 1),
        ('topic:"Computer Vision', "this quote is never closed", 6),
        ("clearview foo:bar", "unknown filter 'foo:'", 10),
        ("-title:x", "unknown filter 'title:'", 0),
        ("heat:50", "unknown filter 'heat:'", 0),
        ("topic:", "topic: needs a value", 6),
        ('source:""', "source: needs a value", 7),
        ("a lang: b", "lang: needs a value", 7),
        ("before:2020-13-01", "before: needs a date like 2020-02-05", 7),
        ("after:yesterday", "after: needs a date like 2020-02-05", 6),
        ("heat>=lots", "heat>= needs a whole number", 6),
        ("quality<3.5", "quality< needs a whole number", 8),
        ("heat>=", "heat>= needs a whole number", 6),
        # beyond SQLite's 64-bit integers: nothing could be compared with them
        ("heat>=99999999999999999999", "heat>= takes a whole number of at most 18 digits", 6),
        ("a -quality<-9223372036854775809", "quality< takes a whole number of at most 18 digits", 11),
        ("heat=9223372036854775808", "heat= takes a whole number of at most 18 digits", 5),
        ("is:maybe", "is: takes unread, read, starred or unstarred", 3),
        ("is:", "is: needs a value", 3),
        ("OR clearview", "OR needs a word or phrase before it", 0),
        ("clearview OR", "OR needs a word or phrase after it", 10),
        ("a OR OR b", "OR needs a word or phrase before it", 5),
        ("a OR b OR", "OR needs a word or phrase after it", 7),
        ("topic:AI OR clearview", "OR can only join words and phrases, not filters", 0),
        ("clearview topic:AI OR venmo", "OR can only join words and phrases, not filters", 10),
        ("clearview OR topic:AI", "OR can only join words and phrases, not filters", 13),
        ("clearview OR heat>=5", "OR can only join words and phrases, not filters", 13),
        ("a OR -b", "OR cannot join an excluded term", 5),
        ("a -b OR c", "OR cannot join an excluded term", 2),
        ("*", "'*' must follow the start of a word", 0),
        ("clearview **", "'*' must follow the start of a word", 10),
        ("!!!", "'!!!' has no letters or digits to search for", 0),
        ("a ---", "'---' has no letters or digits to search for", 2),
        ('""', "empty phrase", 0),
        ("NOT", "NOT needs a word, phrase or filter after it", 0),
        ("clearview NOT", "NOT needs a word, phrase or filter after it", 10),
        ("NOT NOT a", "NOT needs a word, phrase or filter after it", 0),
        ("a NOT OR b", "NOT needs a word, phrase or filter after it", 6),
        ("a NOT -b", "NOT and - both exclude: use one", 6),
        ("a OR NOT b", "OR cannot join an excluded term", 9),
        ("NOT a OR b", "OR cannot join an excluded term", 4),
        # a command line's byte that is not UTF-8 (Python keeps it as a lone surrogate)
        ("caf\udce9 topic:AI", "a byte here is not UTF-8 text", 3),
        ("topic:\udcff", "a byte here is not UTF-8 text", 6),
        ('"..."', "has no letters or digits to search for", 0),
    ],
)
def test_malformed_query(query: str, message: str, position: int) -> None:
    with pytest.raises(QueryError) as caught:
        parse_query(query)
    error = caught.value
    assert message in error.message
    assert error.position == position
    assert str(error) == f"{error.message} (at column {position + 1})"
    assert isinstance(error, ValueError)


def test_unknown_filter_message_names_the_known_ones() -> None:
    with pytest.raises(QueryError) as caught:
        parse_query("foo:bar")
    for name in ("topic:", "source:", "lang:", "is:", "before:", "after:"):
        assert name in caught.value.message


def test_library_search_raises_query_error(lib: Library) -> None:
    with pytest.raises(QueryError):
        lib.search('"unclosed')
    with pytest.raises(QueryError):
        lib.article_rowids(query="OR")
