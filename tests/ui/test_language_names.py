"""``lang:`` takes every language name the window shows (Qt's, in the sidebar and the article
pane) and finds the documents shown under it, whichever code they were stored with."""

from __future__ import annotations

from pathlib import Path

from reader import language_names
from reader.language import NAMES
from reader.library import Library
from reader.search import parse_query
from reader.ui.languages import language_name, names_table


def test_the_core_holds_the_names_qt_gives() -> None:
    # when this fails after a Qt upgrade: python -m reader.ui.languages > reader/language_names.py
    assert language_names.CODES == names_table()


def test_lang_takes_every_name_the_window_shows_for_every_code() -> None:
    codes = {code for found in names_table().values() for code in found} | set(NAMES.values())
    assert len(codes) > 500
    wrong = {}
    for code in sorted(codes):
        shown = language_name(code)  # what the sidebar lists documents stored with ``code`` under
        searched = parse_query(f'lang:"{shown}"').params
        if code not in searched:
            wrong[code] = (shown, searched)
    assert wrong == {}


def test_lang_by_a_shown_name_finds_the_documents_listed_under_it(tmp_path: Path) -> None:
    declared = ["lo", "no", "nb", "nn", "gd", "tl", "fil", "mi", "iw", "he", "bn", "si", "sv", "swe"]
    docs = tmp_path / "docs"
    docs.mkdir()
    for code in declared:
        (docs / f"{code}.md").write_text(
            f'---\ntitle: "Document {code}"\nlanguage: {code}\npublishedDateTime: 2020-02-11T10:00:00Z\n'
            f'webUrl: "https://example.org/{code}"\n---\nText.\n',
            encoding="utf-8",
        )
    with Library(tmp_path / "data") as library:
        library.sync([docs])
        assert set(library.counts().languages) == set(declared)  # (``no`` stays Norwegian, not false)
        for code in declared:
            shown = language_name(code)
            found = {row.title for row in library.rows(library.article_rowids(query=f'lang:"{shown}"')).values()}
            assert found == {f"Document {other}" for other in declared if language_name(other) == shown}, shown
        # the names without their accents or case, and CLD2's names, find them too
        for query, codes in [("lang:maori", {"mi"}), ('lang:"norwegian bokmal"', {"no", "nb"}), ("lang:Tagalog", {"tl", "fil"})]:
            found = {row.title for row in library.rows(library.article_rowids(query=query)).values()}
            assert found == {f"Document {code}" for code in codes}, query
