"""A Kana letter and the voiced sound mark after it are one letter to the search, however
written (full-width, half-width, decomposed), and the folded text keeps the words of the text
it shows (the snippets are cut from that)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from reader.folding import search_text, spaced
from reader.library import MARK_END, MARK_START, Library


def _titles(library: Library, query: str) -> set[str]:
    return {hit.row.title for hit in library.search(query, limit=None)}


def _newsdoc(title: str, hour: int) -> str:
    return (
        f'---\ntitle: "{title}"\npublishedDateTime: 2020-02-05T1{hour}:00:00Z\nwebUrl: "https://example.jp/{hour}"\n'
        f"language: ja\n---\n{title}\n"
    )


def test_kana_with_a_voiced_mark_is_one_letter_however_written(tmp_path: Path) -> None:
    # ガス (gas) and パン (bread): full-width, half-width (ｶﾞｽ: the mark a character of its
    # own) and decomposed (カ followed by the combining mark U+3099, as NFD writes it)
    docs = tmp_path / "docs"
    docs.mkdir()
    written = {"full": "ガス パン", "half": "ｶﾞｽ ﾊﾟﾝ", "nfd": "カ\u3099ス ハ\u309aン"}
    for hour, (name, title) in enumerate(written.items()):
        (docs / f"{name}.md").write_text(_newsdoc(title, hour), encoding="utf-8")
    with Library(tmp_path / "data") as library:
        library.sync([docs])
        everything = set(written.values())
        for query in ("ガス", "ｶﾞｽ", "カ\u3099ス", "パン", "ﾊﾟﾝ", '"ガス パン"'):
            assert _titles(library, query) == everything, query
        assert not _titles(library, "カス") and not _titles(library, "ハン")  # (other words)
        [hit] = [h for h in library.search("ガス", limit=None) if h.row.title == written["half"]]
        assert hit.snippet == f"{MARK_START}ｶﾞｽ{MARK_END} ﾊﾟﾝ"  # the text as written


def _token_counts(texts: dict[int, str]) -> dict[int, int]:
    """How many words the search index finds in each text."""
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE words USING fts5(text, tokenize='unicode61 remove_diacritics 2')")
    db.execute("CREATE VIRTUAL TABLE v USING fts5vocab(words, 'instance')")
    db.executemany("INSERT INTO words(rowid, text) VALUES (?, ?)", texts.items())
    counts = dict(db.execute("SELECT doc, count(*) FROM v GROUP BY doc").fetchall())
    db.close()
    return {key: counts.get(key, 0) for key in texts}


def test_the_folded_text_has_the_words_of_the_text_it_shows() -> None:
    # A snippet is cut from the text as written (spaced) at the words the index found in
    # the folded text: each must have as many words as the other, for every character, and
    # for every letter of the Chinese and Japanese ranges followed by each sound mark.
    marks = "\u3099\u309a\uff9e\uff9f"
    texts = [f"qq{chr(c)}zz" for c in range(0x80, 0x3134F) if not 0xD800 <= c <= 0xDFFF]
    texts += [f"qq{chr(c)}{mark}zz" for c in range(0x3000, 0x3200) for mark in marks]
    texts += [f"qq{chr(c)}{mark}{mark}x" for c in range(0xFF61, 0xFFA0) for mark in marks]
    folded = _token_counts(dict(enumerate(search_text(t) or "" for t in texts)))
    shown = _token_counts(dict(enumerate(spaced(t) or "" for t in texts)))
    differ = [texts[key] for key in folded if folded[key] != shown[key]]
    assert not differ, differ[:10]
