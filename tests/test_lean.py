"""The lean way of a parallel sync against the full way.

Worker processes read a news document with the fast YAML reader and build the rows the
library stores straight from its fields (:func:`reader.documents.parse_path_lean`, then
:func:`reader.library.codec._news_values`), without an :class:`Article` in between. The
full way -- PyYAML, the :class:`Article`, then its row -- is the reference: for every
document the two must give the same row, value for value and type for type; anything the
lean way is unsure of goes the full way; and the library (its tables, and the Article that
``Library.article()`` gives back) is the same whichever way filled it.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reader import documents, fastyaml
from reader.article import Article, Problem
from reader.documents import NewsFields, parse_path, parse_path_lean
from reader.library import Library
from reader.library.parsing import Prepared, _parse_in_processes, prepare
from scripts import MAKE_CORPUS, load_script

pytestmark = pytest.mark.skipif(not fastyaml.AVAILABLE, reason="rapidyaml is not installed")

TESTS_DIR = Path(__file__).resolve().parent
REPO_DIR = TESTS_DIR.parent
DATA_DIRS = (
    TESTS_DIR / "data" / "corpus",
    TESTS_DIR / "data" / "tricky",
    TESTS_DIR / "data" / "bad",
    TESTS_DIR / "data" / "long",
    REPO_DIR / "seeds",
)
MTIME = 1_580_000_000_000_000_000


@pytest.fixture
def fast_yaml() -> Iterator[None]:
    """The fast reader on (as in a sync's workers) for the test, off again after."""
    before = documents._fast_yaml
    documents.use_fast_yaml(True)
    yield
    documents.use_fast_yaml(before)


def both_ways(path: str) -> tuple[Prepared, Prepared, bool]:
    """The stored form of ``path`` the full way (PyYAML) and the lean way (fast reader on),
    and whether the lean way built it itself."""
    documents.use_fast_yaml(False)
    full = prepare(parse_path(path), path, MTIME)
    documents.use_fast_yaml(True)
    read = parse_path_lean(path)
    return full, prepare(read, path, MTIME), isinstance(read, NewsFields)


def assert_same_rows(full: Prepared, lean: Prepared) -> None:
    # repr as well: 1 == 1.0 == True, but a row must keep the type too
    assert lean == full and repr(lean) == repr(full), f"{full.path}:\nfull {full!r}\nlean {lean!r}"


def _files(*folders: Path) -> list[str]:
    return [str(p) for folder in folders for p in sorted(folder.rglob("*")) if p.is_file()]


def test_every_test_document_is_stored_the_same_either_way(fast_yaml):
    lean_count = 0
    files = _files(*DATA_DIRS)
    for path in files:
        full, lean, built = both_ways(path)
        assert_same_rows(full, lean)
        lean_count += built
        if built:
            assert full.kind == "news"
    # The lean way really ran: on nearly every real news document (the corpus and seeds).
    news = sum(1 for path in _files(TESTS_DIR / "data" / "corpus", REPO_DIR / "seeds") if path.endswith(".md"))
    assert news > 90 and lean_count >= 0.9 * news


def test_a_generated_corpus_is_stored_the_same_either_way(fast_yaml, tmp_path):
    info = load_script(MAKE_CORPUS).make_corpus(600, tmp_path, seed=3, broken_fraction=0.05, plain_fraction=0.05)
    built = 0
    for path in map(str, sorted(info.paths)):
        full, lean, by_lean = both_ways(path)
        assert_same_rows(full, lean)
        built += by_lean
    assert info.broken >= 20 and info.plain >= 20
    assert built >= 0.95 * info.news


#: Front matter (after ``---``) that the lean way must store exactly as the full way does:
#: odd types it leaves to the full way, and values it must build the same.
ODD_DOCUMENTS = {
    "plain": "title: A plain news item\nwebUrl: https://example.com/a\n",
    "title-list": "title: [a, b]\n",
    "title-number": "title: 12\n",
    "title-missing-with-url": "webUrl: https://example.com/a\nexcerpt: no title\n",
    "title-control": "title: \"Tab\\there\\u0007bell\"\n",
    "title-too-long": "title: " + "x" * 1_001 + "\n",
    "provider-string": "title: T\nprovider: '  The Daily  '\n",
    "provider-blank": "title: T\nprovider: '  '\n",
    "provider-list": "title: T\nprovider: [a]\n",
    "provider-domain-only": "title: T\nprovider:\n  domain: Example.COM\n",
    "provider-icon": "title: T\nprovider:\n  name: N\n  images:\n    - url: ' http://x.org/i.png '\n    - y\n",
    "provider-name-number": "title: T\nprovider:\n  name: 3\n",
    "images-mapping": "title: T\nimages:\n  url: x\n",
    "images-strings": "title: T\nimages: [a.png, '', b.png]\n",
    "images-item-number": "title: T\nimages: [1]\n",
    "image-sizes": "title: T\nimages:\n  - url: a.png\n    width: '12'\n    height: 7.0\n    caption: c\n",
    "image-width-bad": "title: T\nimages:\n  - url: a.png\n    width: wide\n",
    "image-width-bool": "title: T\nimages:\n  - url: a.png\n    width: yes\n",
    "image-title-and-bad-caption": "title: T\nimages:\n  - url: a.png\n    title: t\n    caption: [1]\n",
    "image-no-title-bad-caption": "title: T\nimages:\n  - url: a.png\n    caption: [1]\n",
    "related-string": "title: T\nrelated: [x]\n",
    "related-mapping": "title: T\nrelated:\n  title: x\n",
    "related-empty": "title: T\nrelated:\n  - excerpt: nothing else\n    quality: bad\n",
    "related-url-only": "title: T\nrelated:\n  - url: http://example.com/r\n    publishedDateTime: 2020-02-05 10:00:00+02:00\n",
    "related-full": (
        "title: T\nrelated:\n  - title: R\n    originalUrl: ''\n    webUrl: https://Example.com/r?utm_source=x\n"
        "    excerpt: ' e '\n    publishedDateTime: '2020-02-05T10:00:00'\n    provider: {name: P, domain: P.org}\n"
        "    quality: 5\n    images: [{url: i.png, width: 1}]\n    type: article\n"
    ),
    "related-bad-date": "title: T\nrelated:\n  - title: R\n    publishedDateTime: yesterday\n",
    "related-provider-list": "title: T\nrelated:\n  - title: R\n    provider: [x]\n",
    "quality-string": "title: T\nquality: ' 17 '\nheat: -1\n",
    "quality-float": "title: T\nquality: 17.0\n",
    "quality-fraction": "title: T\nquality: 17.5\n",
    "quality-bool": "title: T\nquality: true\n",
    "heat-huge": "title: T\nheat: 99999999999999999999\n",
    "published-maybe": "title: T\npublished: maybe\n",
    "published-yes": "title: T\npublished: yes\n",
    "date-string": "title: T\npublishedDateTime: '2020-02-05T10:00:00Z'\n",
    "date-date": "title: T\npublishedDateTime: 2020-02-05\n",
    "date-offset": "title: T\npublishedDateTime: 2020-02-05T10:00:00+05:30\n",
    "date-number": "title: T\npublishedDateTime: 5\n",
    "topics-string": "title: T\ntopics: AI\n",
    "topics-repeated": "title: T\ntopics: [AI, ' AI ', 'Machine   Learning', '', null]\n",
    "topics-number": "title: T\ntopics: [1]\n",
    "language-declared": "title: T\nlanguage: sv\n",
    "language-odd": "title: T\nlang: [sv]\n",
    "urls": (
        "title: T\noriginalUrl: https://a.example/x\nwebUrl: https://b.example/y\nurl: https://a.example/x\n"
        "ampWebUrl: ''\nampUrl: https://a.example/amp\n"
    ),
    "url-number": "title: T\nwebUrl: 5\n",
    "extra": (
        "title: T\ncategory: news\n1: one\ntrue: yes\nwhen: 2020-02-05\nat: 2020-02-05T10:00:00\n"
        "nested: {a: [1, 2.5, .inf, .nan, null, {b: c}]}\nsecured: dropped\n"
    ),
    "extra-url-key": "title: T\nwebUrl: https://a.example/x\nurl: [odd]\n",
    "extra-deep": "title: T\nextra:" + "".join("\n" + " " * n + "a:" for n in range(1, 70)) + " x\n",
    "excerpt-number": "title: T\nexcerpt: 3\n",
    "anchors": "title: &t T\nexcerpt: *t\n",
    "tagged": "title: !!str 12\n",
    "taxonomy": "taxonomy: topic\nname: AI\n",
}


@pytest.mark.parametrize("front", ODD_DOCUMENTS.values(), ids=ODD_DOCUMENTS.keys())
@pytest.mark.parametrize("body", ["", "Body text.\n\nMore."])
def test_odd_documents_are_stored_the_same_either_way(fast_yaml, tmp_path, front, body):
    path = tmp_path / "doc.md"
    path.write_text("---\n" + front + "---\n" + body, encoding="utf-8")
    full, lean, _built = both_ways(str(path))
    assert_same_rows(full, lean)


@pytest.mark.parametrize("name", ["plain", "related-full", "urls", "extra", "provider-icon", "image-sizes", "topics-repeated"])
def test_the_lean_way_builds_ordinary_news_itself(fast_yaml, tmp_path, name):
    path = tmp_path / "doc.md"
    path.write_text("---\n" + ODD_DOCUMENTS[name] + "---\nBody.\n", encoding="utf-8")
    assert isinstance(parse_path_lean(path), NewsFields)


@pytest.mark.parametrize(
    "name", ["title-list", "title-missing-with-url", "provider-list", "images-mapping", "related-bad-date",
             "quality-fraction", "published-maybe", "anchors", "extra-deep", "taxonomy"]  # fmt: skip
)
def test_what_the_lean_way_is_unsure_of_goes_the_full_way(fast_yaml, tmp_path, name):
    path = tmp_path / "doc.md"
    path.write_text("---\n" + ODD_DOCUMENTS[name] + "---\n", encoding="utf-8")
    read = parse_path_lean(path)
    assert not isinstance(read, NewsFields)
    documents.use_fast_yaml(False)
    assert read == parse_path(path)


def test_the_lean_way_needs_the_fast_reader(tmp_path):
    path = tmp_path / "doc.md"
    path.write_text("---\n" + ODD_DOCUMENTS["plain"] + "---\n", encoding="utf-8")
    before = documents._fast_yaml
    documents.use_fast_yaml(False)
    try:
        assert isinstance(parse_path_lean(path), Article)  # PyYAML read it: the full way
    finally:
        documents.use_fast_yaml(before)


def test_an_unreadable_file_is_the_same_problem_either_way(tmp_path):
    assert parse_path_lean(tmp_path / "missing.md") == parse_path(tmp_path / "missing.md")
    assert isinstance(parse_path_lean(tmp_path), Problem)


# --------------------------------------------------------------------------- the library


def _table(db: sqlite3.Connection, sql: str) -> list[tuple[Any, ...]]:
    return sorted(db.execute(sql).fetchall(), key=repr)


TABLES = {
    "articles": "SELECT id, path, source_mtime, kind, title, excerpt, body, published, url, amp_url, provider, "
    "domain, provider_icon, topics, quality, heat, featured, language, data FROM articles",
    "entries": "SELECT id, kind, title, published, provider, domain, language, quality, heat, read, starred FROM entries",
    "topics": "SELECT t.topic, a.id FROM article_topics t JOIN articles a ON a.rowid = t.article",
    "files": "SELECT path, size, mtime, kind, article, problem FROM files",
    "taxonomy": "SELECT * FROM taxonomy",
    "search": "SELECT a.id FROM articles_fts f JOIN articles a ON a.rowid = f.rowid WHERE articles_fts MATCH 'the'",
}


def test_a_parallel_sync_stores_what_the_full_way_stores(tmp_path, monkeypatch):
    """Worker processes (the lean way, fast reader) and this process (the full way, PyYAML)
    fill two libraries from the same folder: every table holds the same rows, and
    ``Library.article()`` gives the Article that parsing the file gives."""
    folder = tmp_path / "docs"
    for source in DATA_DIRS[:4]:
        shutil.copytree(source, folder / source.name)
    load_script(MAKE_CORPUS).make_corpus(150, folder / "generated", seed=5, broken_fraction=0.05)
    monkeypatch.setattr("reader.library.sync.PARALLEL_MIN_FILES", 1)  # workers even for a few hundred files
    monkeypatch.setattr("reader.library.sync.BULK_INDEX_MIN_FILES", 1)
    parallel: list[Any] = []

    def in_processes(todo: Any, *args: Any) -> Any:
        parallel.append(todo)  # (a list, or the scan going on: its files to parse)
        return _parse_in_processes(todo, *args)

    monkeypatch.setattr("reader.library.sync._parse_in_processes", in_processes)
    with Library(tmp_path / "lean") as lean, Library(tmp_path / "full") as full:
        lean_report = lean.sync([folder], processes=2, batch_size=64, group=False)
        full_report = full.sync([folder], parse=lambda paths: [parse_path(p) for p in paths], batch_size=64, group=False)
        assert [len(getattr(todo, "todo", todo)) for todo in parallel] == [lean_report.parsed]  # (the full way: here)
        assert not isinstance(parallel[0], list)  # parsed as the scan found the files
        assert lean_report.parsed == full_report.parsed > 250
        assert lean_report.problems == full_report.problems > 30
        for name, sql in TABLES.items():
            lean_rows, full_rows = _table(lean._db, sql), _table(full._db, sql)
            assert lean_rows, name
            assert lean_rows == full_rows and repr(lean_rows) == repr(full_rows), name
        ids = [row[0] for row in lean._db.execute("SELECT id FROM articles ORDER BY id")]
        assert len(ids) > 200
        for article_id in ids:
            article = lean.article(article_id)
            assert article is not None
            parsed = parse_path(article.path)
            assert isinstance(parsed, Article)
            assert article == full.article(article_id) == parsed
            assert dict(article.extra) == dict(parsed.extra)
