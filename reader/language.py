"""The language of an article: the one its document declares, or one detected from its text.

Detection uses CLD2 (Chromium's compact language detector, through ``pycld2``): its tables
are compiled into the extension, so it is deterministic, needs no network and no model
download, and costs a few tens of microseconds per document — cheap enough to run on every
document while a sync parses them in worker processes. Pure functions; no Qt.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

import pycld2

#: Characters of text looked at: the title, excerpt and start of the body say enough.
SAMPLE_CHARS = 2_000

_TAG = re.compile(r"^([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{1,8})*$")


def declared(value: object) -> str | None:
    """A language a document declares (``en``, ``sv-SE``, ``pt_BR``), as its lower-case
    primary subtag (``en``, ``sv``, ``pt``); None when it is not a language tag."""
    if not isinstance(value, str):
        return None
    found = _TAG.match(value.strip())
    return found.group(1).lower() if found else None


def detect(*parts: str | None) -> str | None:
    """The language of the text made of ``parts`` (title, excerpt, body) as an ISO 639-1 code
    (``en``, ``sv``), or None when the text is too short or mixed to say reliably."""
    text = "\n".join(p for p in parts if p)[:SAMPLE_CHARS]
    if not text.strip():
        return None
    try:
        reliable, _bytes, details = pycld2.detect(text, isPlainText=True)
    except (pycld2.error, UnicodeError):  # text CLD2 refuses (lone surrogates ...): nothing to say
        return None
    code = details[0][1] if details else "un"
    if not reliable or code in ("un", "xxx"):
        return None
    return code.split("-")[0].lower()


def _names() -> dict[str, str]:
    """Language names (lower case, ``scots gaelic``) -> ISO 639 codes, from the languages
    CLD2 knows (its pseudo-languages, ``X_…`` and ``Ignore``, left out)."""
    table: dict[str, str] = {}
    for name, code in pycld2.LANGUAGES:
        if name.startswith("X_") or code in ("un", "xxx") or code.startswith("xx"):
            continue
        primary = code.split("-")[0].lower()
        key = name.replace("_", " ").lower()
        table.setdefault(key, primary)
    table.pop("chineset", None)  # CLD2's name for traditional Chinese: still ``zh``
    return table


#: Language names -> codes: ``english`` -> ``en``.
NAMES: dict[str, str] = _names()
_CODES = frozenset(NAMES.values())


def _folded(name: str) -> str:
    """``name`` as names are compared: spaces and underscores as one space, without case or
    accents (``Norwegian Bokmål``, ``norwegian bokmal``)."""
    text = unicodedata.normalize("NFKD", " ".join(name.replace("_", " ").split()))
    return "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()


@cache
def _shown() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """The names the window shows (:mod:`reader.language_names`) as written and folded ->
    their codes, and every code it names -> all the codes of that name (``iw``: he, iw, heb).
    Made when first asked for (a search by language), not by every command that reads documents."""
    from reader.language_names import CODES

    folded = {_folded(name): codes for name, codes in CODES.items()}
    return CODES, folded, {code: codes for codes in CODES.values() for code in codes}


def codes_of(value: str) -> tuple[str, ...] | None:
    """The codes of the documents in the language ``value`` names, the first its own: a code
    (``en``, ``sv-SE``, ``swe``: with the other codes of that language, as ``sv, swe``), a
    name the window shows (``Norwegian Bokmål``, ``Scottish Gaelic``; case and accents do
    not matter) or one CLD2 gives (``Scots Gaelic``, ``Tagalog``); None when it is neither.
    A name spelled as the window shows it wins over a code of the same letters (``Ga`` is
    the language Ga, ``ga`` Irish)."""
    shown, shown_folded, same_language = _shown()
    text = " ".join(value.replace("_", " ").split())
    code = declared(text)
    if text in shown and not (code is not None and text == code):
        return shown[text]
    if code is not None and code in same_language:
        return tuple(dict.fromkeys((code, *same_language[code])))
    key = _folded(text)
    found = list(shown_folded.get(key, ()))
    if key in NAMES:  # (CLD2's code, with the other codes of its language)
        found += [NAMES[key], *same_language.get(NAMES[key], ())]
    if found:
        return tuple(dict.fromkeys(found))
    return (code,) if code is not None else None
