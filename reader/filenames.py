"""File names that are not text: as the library stores them, and as they are shown.

A file name need not be text: on Linux it is bytes, and a name written by an old archive
tool or on a USB stick may be Latin-1 (``caf\\xe9.md``), which is not UTF-8. Python hands
such a name over with the odd bytes as lone surrogates (``'caf\\udce9.md'``, the
"surrogateescape" of :func:`os.fsdecode`), which SQLite's text cannot hold. The library
stores every path in a form it can hold (:func:`stored`) and gives it back exactly
(:func:`restored`), so such a file is read, found again, watched and forgotten like any other.

The stored form of a path that is valid text is the path itself (unless it holds the rare
escape character U+FFFF, a Unicode noncharacter); a lone surrogate becomes the escape and four
hex digits, the escape itself two escapes. The mapping works character by character, so a
folder's stored form is a prefix of its files' (ranges of paths under a folder still work).
"""

from __future__ import annotations

import re

#: The escape: a noncharacter, which no text is meant to hold.
ESCAPE = "\uffff"
_ODD = re.compile("[\ud800-\udfff\uffff]")
#: A byte of a name that is not UTF-8, as Python gives it (a lone surrogate).
SURROGATE = re.compile("[\ud800-\udfff]")
_ESCAPED = re.compile("\uffff(?:\uffff|[0-9a-f]{4})")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return ESCAPE * 2 if char == ESCAPE else f"{ESCAPE}{ord(char):04x}"


def _unescape(match: re.Match[str]) -> str:
    text = match.group()
    return ESCAPE if text == ESCAPE * 2 else chr(int(text[1:], 16))


def stored(path: str) -> str:
    """The form of ``path`` the library stores (valid text; the path itself when it is)."""
    if path.isascii():
        return path
    return _ODD.sub(_escape, path)


def restored(text: str) -> str:
    """The path whose stored form is ``text`` (the inverse of :func:`stored`)."""
    if ESCAPE not in text:
        return text
    return _ESCAPED.sub(_unescape, text)


def shown(path: str) -> str:
    """``path`` as text that can be shown or printed anywhere: a byte of the name that is
    not UTF-8 becomes the replacement character (``caf�.md``)."""
    if path.isascii():
        return path
    return SURROGATE.sub("\ufffd", path)
