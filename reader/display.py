"""How much of a document's values is shown: every value is bounded before it is laid out.

A document may carry a link of a million characters or a topic of 250,000 (they pass
``reader check``); laying such text out takes Qt minutes, and nobody reads it. What the
window shows is cut to these lengths (the library, exports and ``--json`` keep the whole
value). Pure functions; no Qt.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable

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


def cut_apart(name: str, others: Iterable[str], fits: Callable[[str], bool], plain: str) -> str:
    """``name`` cut to fit (``fits`` tells whether a text does) so that it does not read
    like one of ``others``: ``plain`` (``name`` cut in the middle, as Qt cuts it), unless
    another name starts and ends as that does ("AI …are" for "AI Hardware" and "AI in
    Healthcare"); then the cut of a start and an end of ``name`` that no other name has,
    nearest to the middle and keeping the most characters ("AI H…re", "AI i…are"); ``plain``
    when every cut that fits reads like another name (or is the same: a name listed twice)."""
    n = len(name)
    head, ellipsis, tail = plain.partition(ELLIPSIS)
    if not ellipsis or not name.startswith(head) or not name.endswith(tail) or len(head) + len(tail) >= n:
        return plain  # (not a cut of name: nothing to choose from)
    # Another name reads like name[:h] + "…" + name[n-t:] when it starts with those h
    # characters, ends with those t, and is at least h + t long: what matters of each other
    # name is how many characters it shares with name at the start and at the end.
    alike = []
    first, last = name[:1], name[-1:]
    for other in set(others):
        if other == name or (other[:1] != first and other[-1:] != last):  # (most names: quickly)
            continue
        start = _shared(name, other)
        end = _shared(name[::-1], other[::-1])
        if start or end:
            alike.append((start, end, len(other)))

    def apart(h: int, t: int) -> bool:
        return not any(start >= h and end >= t and size >= h + t for start, end, size in alike)

    if apart(len(head), len(tail)):
        return plain
    middle = len(head)
    best: tuple[int, int] | None = None
    t = n - 1
    for h in range(n):  # the longest end that fits after each start (shorter as the start grows)
        t = min(t, n - 1 - h)
        while t >= 0 and not fits(name[:h] + ELLIPSIS + name[n - t:]):
            t -= 1
        if t < 0:
            break
        if (h or t) and apart(h, t) and (best is None or (abs(h - middle), -h - t) < (abs(best[0] - middle), -sum(best))):
            best = (h, t)
    if best is None:
        return plain
    return name[: best[0]] + ELLIPSIS + name[n - best[1]:]


def _shared(a: str, b: str) -> int:
    """How many characters ``a`` and ``b`` share at their start."""
    return len(os.path.commonprefix([a, b]))


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


#: C0 and C1 control characters (escape sequences start with one), and lone surrogates.
_NOT_PRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_NOT_PRINTABLE_IN_LINES = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
REPLACEMENT = "\ufffd"


def printable(text: str, lines: bool = False) -> str:
    """``text`` from a document, a feed or a web page, safe to print to a terminal: every
    control character (a feed's title may carry escape sequences that recolour or retitle the
    terminal) and every lone surrogate (which no output encoding takes) becomes "�";
    ``lines``: tabs and line breaks are kept."""
    return (_NOT_PRINTABLE_IN_LINES if lines else _NOT_PRINTABLE).sub(REPLACEMENT, text)
