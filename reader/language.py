"""The language of an article: the one its document declares, or one detected from its text.

Detection uses CLD2 (Chromium's compact language detector, through ``pycld2``): its tables
are compiled into the extension, so it is deterministic, needs no network and no model
download, and costs a few tens of microseconds per document — cheap enough to run on every
document while a sync parses them in worker processes. Pure functions; no Qt.
"""

from __future__ import annotations

import re

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


def code_of(value: str) -> str | None:
    """The language code ``value`` stands for: a code (``en``, ``sv-SE``: ``en``, ``sv``) or
    a name (``English``, ``swedish``, ``Scots Gaelic``); None when it is neither."""
    text = " ".join(value.replace("_", " ").split()).lower()
    if text in NAMES:
        return NAMES[text]
    return declared(text)
