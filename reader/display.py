"""How much of a document's values is shown: every value is bounded before it is laid out.

A document may carry a link of a million characters or a topic of 250,000 (they pass
``reader check``); laying such text out takes Qt minutes, and nobody reads it. What the
window shows is cut to these lengths (the library, exports and ``--json`` keep the whole
value). Pure functions; no Qt.
"""

from __future__ import annotations

import re

#: A name: source, domain, topic, language, image or related title, a file's path.
NAME_CHARS = 200
#: A link's text (cut in the middle, so its start and end show); the link itself is kept.
LINK_CHARS = 120
#: The excerpt, and the article's text.
TEXT_CHARS = 200_000
#: A run of this many characters without a space may be broken anywhere (laying out one
#: unbroken run costs time that grows with the square of its length: 10,000 characters
#: take 30 ms, 20,000 90 ms, a million minutes).
WORD_CHARS = 1_000
#: A run of spaces or tabs in preformatted text (kept there) is cut to this many characters
#: (Qt took more than a minute to lay out a run of 70,000 kept spaces; no indentation is this deep).
SPACE_CHARS = 100
#: Topics, images, related entries and story versions listed, at most.
LIST_ITEMS = 100
#: A tooltip's text.
TIP_CHARS = 1_000

ELLIPSIS = "…"
_LONG_RUN = re.compile(r"\S{%d}" % WORD_CHARS)
_LONG_SPACE = re.compile(r"[ \t]{%d,}" % (SPACE_CHARS + 1))


def clip(text: str, limit: int = NAME_CHARS) -> str:
    """``text``, cut to at most ``limit`` characters with "…" at the end."""
    if len(text) <= limit:
        return text
    return text[: max(0, limit - 1)].rstrip() + ELLIPSIS


def clip_middle(text: str, limit: int = LINK_CHARS) -> str:
    """``text``, cut to at most ``limit`` characters by "…" in the middle (a link's start
    and end both show; two long names that differ at the end stay apart)."""
    if len(text) <= limit:
        return text
    head = limit // 2
    tail = limit - 1 - head
    return text[:head] + ELLIPSIS + (text[-tail:] if tail else "")


def breakable(text: str) -> str:
    """``text`` with a zero-width space after every :data:`WORD_CHARS` characters without a
    space (so a line may break there)."""
    if len(text) < WORD_CHARS:
        return text
    return _LONG_RUN.sub(lambda m: m.group(0) + "\u200b", text)


def kept_spaces(text: str) -> str:
    """Preformatted ``text`` with every run of spaces or tabs cut to :data:`SPACE_CHARS`."""
    return _LONG_SPACE.sub(lambda m: m.group(0)[:SPACE_CHARS], text)


def more(total: int, shown: int) -> str:
    """"… and 5 more" when ``total`` is more than ``shown``, else ""."""
    return f"… and {total - shown:,} more" if total > shown else ""


#: A story's evidence when names decided: "the same names (4): ai, clearview, york" (the
#: count is optional; see reader.stories.matching.NAMES_REASON).
_NAMES_EVIDENCE = re.compile(r"(the same names(?: \(\d+\))?: )(.*)", re.DOTALL)


def cased_names(reason: str, text: str) -> str:
    """A story's evidence ("the same names (3): ai, clearview, york": names are compared in
    lower case) with each name as ``text`` writes it ("AI, Clearview, York"); others as they are."""
    evidence = _NAMES_EVIDENCE.fullmatch(reason)
    if evidence is None:
        return reason
    shown = []
    for name in evidence.group(2).split(", "):
        found = re.search(r"(?<!\w)" + re.escape(name) + r"(?!\w)", text, re.IGNORECASE) if name else None
        shown.append(found.group(0) if found else name)
    return evidence.group(1) + ", ".join(shown)
