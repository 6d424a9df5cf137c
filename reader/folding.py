"""Folding text for comparison: the words of the search index and of a query
(:func:`search_text`), and names the user gives, such as labels and saved searches
(:func:`name_key`). Pure functions.

The search index (SQLite FTS5, tokenizer ``unicode61``) splits text into words at every
character that is not a letter, digit or private-use character, and ignores case, and
Latin accents only. :func:`search_text` goes further, character by character, on both the
text indexed and the words searched for, so each finds the other:

* case is folded the Unicode way (``ß`` and ``SS`` are ``ss``), compatibility forms are
  replaced by their plain form (the ligature ``ﬁ`` is ``fi``, full-width ``Ａ`` is ``A``,
  half-width ``ｶ`` is ``カ``), and a Kana letter with a voiced sound mark after it is the
  letter they make (half-width ``ｶﾞ``, and ``カ`` followed by the combining U+3099, are ``ガ``);
* the accents of Latin and Greek letters are dropped (``καραντίνας`` is ``καραντινας``), and
  Cyrillic ``ё`` is ``е``; other Cyrillic letters keep theirs (``й`` is not ``и``), and the
  marks of other scripts are kept (they are part of the letter: Japanese ``ブ`` is not ``フ``);
* each Chinese character, Hiragana and Katakana character stands apart (as a word of its
  own: these are written without spaces, and a query of several of them is then a phrase of
  them, found inside a longer run), by a zero-width space on each side (with the sound
  marks after it).

A letter or digit becomes only letters and digits, and anything else stays as it is, so the
folded text has exactly the words of the text with its Chinese and Japanese characters set
apart (:func:`spaced`): the search's snippets are cut from that and then have the zero-width
spaces taken out (:data:`SPACER`).
"""

from __future__ import annotations

import re
import unicodedata
from typing import overload

#: What sets a Chinese or Japanese character apart (a zero-width space: not a word character
#: to the index, and nothing to see).
SPACER = "\u200b"

#: The (semi-)voiced sound marks that follow a Kana letter: combining, and half-width.
_MARKS = "\u3099\u309a\uff9e\uff9f"
_CJK = re.compile(
    "(["
    "\u3005-\u3007"  # 々 〆 〇
    "\u3040-\u309f"  # Hiragana
    "\u30a0-\u30ff"  # Katakana
    "\u31f0-\u31ff"  # Katakana phonetic extensions
    "\u3400-\u4dbf"  # CJK unified ideographs, extension A
    "\u4e00-\u9fff"  # CJK unified ideographs
    "\uf900-\ufaff"  # CJK compatibility ideographs
    "\uff66-\uff9f"  # half-width Katakana
    "\U00020000-\U0003134f"  # CJK unified ideographs, extensions B-G
    f"][{_MARKS}]*)"  # (a letter with the marks after it: one character to the reader)
)
#: A Kana letter and the voiced sound mark after it (``ｶﾞ``, or ``カ`` and U+3099 as text
#: written decomposed has it).
_VOICED = re.compile(f"[\u3040-\u3098\u309d-\u30ff\u31f0-\u31ff\uff66-\uff9d][{_MARKS}]")
_CJK_SPACED = SPACER + r"\1" + SPACER
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def _is_word_char(ch: str) -> bool:
    category = unicodedata.category(ch)
    return category[0] in "LN" or category == "Co"


def _fold_char(ch: str) -> str:
    """The folded form of one character (see the module's text)."""
    if not _is_word_char(ch):
        return ch
    code = ord(ch)
    if 0x0400 <= code <= 0x04FF and ch not in "ёЁ":  # Cyrillic: only ё is folded
        return ch.lower()
    if 0xAC00 <= code <= 0xD7A3:  # Hangul syllables: kept whole (not split into their letters)
        return ch
    folded = unicodedata.normalize("NFKC", ch.casefold())
    if any(unicodedata.combining(c) for c in unicodedata.normalize("NFD", folded)):
        bare = "".join(c for c in unicodedata.normalize("NFD", folded) if not 0x0300 <= ord(c) <= 0x036F)
        folded = unicodedata.normalize("NFC", bare)
    folded = "".join(c for c in folded if _is_word_char(c))
    return folded or ch


class _Folds(dict[int, str]):
    """Each character's folded form, worked out the first time it is met (for str.translate)."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = _fold_char(chr(code))
        return folded


_FOLDS = _Folds()


def _fold_run(match: re.Match[str]) -> str:
    return match.group().translate(_FOLDS)


def _composed(match: re.Match[str]) -> str:
    """A letter and its voiced sound mark as the one letter they make (``ガ``), when there
    is one (NFKC: half-width forms are full-width then); else as they are."""
    composed = unicodedata.normalize("NFKC", match.group())
    return composed if len(composed) == 1 else match.group()


def spaced(text: str | None) -> str | None:
    """``text`` with each Chinese and Japanese character set apart by :data:`SPACER`."""
    if not text or text.isascii():
        return text
    return _CJK.sub(_CJK_SPACED, text)


def search_text(text: str | None) -> str | None:
    """``text`` as the search index takes it and a query's words are looked up: folded
    (see the module's text). ASCII text is left as it is (the index folds its case)."""
    if not text or text.isascii():
        return text
    return _NON_ASCII.sub(_fold_run, _CJK.sub(_CJK_SPACED, _VOICED.sub(_composed, text)))


def name_key(name: str) -> str:
    """What two names the user gave are compared by: equal when they differ only in case
    (any script: ``Läsa`` and ``LÄSA``, ``Åsa`` and ``åsa``) or in how an accented letter is
    encoded."""
    return unicodedata.normalize("NFC", name).casefold()


@overload
def nfc(text: str) -> str: ...
@overload
def nfc(text: str | None) -> str | None: ...
def nfc(text: str | None) -> str | None:
    """``text`` in one Unicode spelling (NFC): "Café" written with "é" or with "e" and a
    combining accent is one name. ASCII text, None and anything not a string (a value
    SQLite hands over) are returned as they are."""
    return unicodedata.normalize("NFC", text) if isinstance(text, str) and not text.isascii() else text
