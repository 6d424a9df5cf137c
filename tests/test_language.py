"""Languages: declared by a document, or detected from its text (reader.language)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader import language
from reader.article import Article
from reader.documents import parse_bytes, parse_path
from reader.library import Library, View, ViewKind

SEED_LANGUAGES = {
    "000_7070b5ed28950557.txt": "en",
    "001_19301bc74b7f561c.txt": "en",
    "002_9f8ef219818b8861.txt": "en",  # plain text
    "003_75b339a3634bcf13.txt": "sv",  # plain text, Swedish
    "004_a6c4789921a3cca4.txt": "en",
}


@pytest.mark.parametrize("name", sorted(SEED_LANGUAGES))
def test_every_seed_has_its_language(seeds_dir: Path, name: str) -> None:
    doc = parse_path(seeds_dir / name)
    assert isinstance(doc, Article)
    assert doc.language == SEED_LANGUAGES[name]


def test_the_corpus_is_english(corpus_dir: Path) -> None:
    found = {}
    for path in sorted(corpus_dir.glob("*.md")):
        doc = parse_path(path)
        if isinstance(doc, Article):
            found[path.name] = doc.language
    assert len(found) > 90
    assert {name: lang for name, lang in found.items() if lang != "en"} == {}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Der Bundestag hat am Donnerstag ein neues Gesetz zur künstlichen Intelligenz beschlossen, "
         "das den Einsatz von Gesichtserkennung durch die Polizei streng begrenzt.", "de"),
        ("Le gouvernement français a présenté mercredi un projet de loi sur l'intelligence artificielle "
         "qui encadre la reconnaissance faciale dans les lieux publics.", "fr"),
        ("El gobierno español aprobó el martes una ley que limita el uso del reconocimiento facial "
         "por parte de la policía en espacios públicos.", "es"),
    ],
)
def test_detects_other_languages(text: str, expected: str) -> None:
    assert language.detect("", text) == expected


def test_detection_is_deterministic(seeds_dir: Path) -> None:
    text = (seeds_dir / "003_75b339a3634bcf13.txt").read_text(encoding="utf-8")
    assert {language.detect(text) for _ in range(20)} == {"sv"}


@pytest.mark.parametrize("text", ["", "   ", "12345 67", "\ud800 lone surrogate"])
def test_nothing_to_detect_gives_none(text: str) -> None:
    assert language.detect(text) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [("en", "en"), ("sv-SE", "sv"), ("pt_BR", "pt"), ("EN", "en"), (" de ", "de"), ("english!", None), (3, None), (None, None)],
)
def test_declared_language_tags(value: object, expected: str | None) -> None:
    assert language.declared(value) == expected


def test_a_declared_language_wins_over_detection() -> None:
    doc = parse_bytes(b'---\ntitle: "Facial recognition is everywhere now"\nlanguage: de-AT\n---\n', "doc.md")
    assert isinstance(doc, Article)
    assert doc.language == "de"
    assert "language" not in doc.extra
    undeclared = parse_bytes(b'---\ntitle: "Facial recognition is everywhere now, say the regulators in Brussels"\n---\n', "doc.md")
    assert isinstance(undeclared, Article) and undeclared.language == "en"


def test_language_facet_and_filter_on_the_seeds(tmp_path: Path, seeds_dir: Path) -> None:
    with Library(tmp_path / "data") as library:
        library.sync([seeds_dir])
        counts = library.counts()
        assert {k: c.total for k, c in counts.languages.items()} == {"en": 4, "sv": 1}
        swedish = library.article_rowids(View(ViewKind.LANGUAGE, "sv"))
        assert [library.row(r).title for r in swedish] == [parse_path(seeds_dir / "003_75b339a3634bcf13.txt").title]  # type: ignore[union-attr]
        assert library.article_rowids(query="lang:sv") == swedish


ENGLISH_TITLE = "Facial recognition is everywhere now, say the regulators in Brussels"


@pytest.mark.parametrize("fast", [False, True])
@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("language: no", "no"),  # Norwegian, which YAML 1.1 reads as false
        ("language: NO   # Norwegian", "no"),
        ("lang: No", "no"),
        ("language: 'no'", "no"),
        ("language: false", "en"),  # not a language: detected
        ("language: off", "en"),
        ("language: yes", "en"),
        ("language: nb", "nb"),
    ],
)
def test_language_no_is_norwegian_not_false(line: str, expected: str, fast: bool) -> None:
    from reader import documents

    data = f'---\ntitle: "{ENGLISH_TITLE}"\n{line}\n---\n'.encode()
    documents.use_fast_yaml(fast)
    try:
        doc = parse_bytes(data, "doc.md")
        lean = documents._parse_safely(data, "doc.md", lean=True)  # (the sync's way)
    finally:
        documents.use_fast_yaml(False)
    assert isinstance(doc, Article) and doc.language == expected
    assert lean.language == expected  # type: ignore[union-attr]
    yaml_file = parse_bytes(f'title: "{ENGLISH_TITLE}"\n{line}\n'.encode(), "doc.yaml")
    assert isinstance(yaml_file, Article) and yaml_file.language == expected
