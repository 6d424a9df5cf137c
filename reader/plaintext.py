"""Plain article text: find a title, an excerpt and the body paragraphs.

Plain-text documents carry no metadata. The title is the first line when it reads like a
headline; otherwise it is made from the first sentence of the first paragraph that is not a
photo caption. Nothing else (date, source, topics) is invented.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: A headline is one short line: at most this many characters ...
HEADLINE_MAX_CHARS = 160
#: ... and this many words, and it does not end like a sentence.
HEADLINE_MAX_WORDS = 24
#: A title made from a sentence is cut (at a word) to about this length.
DERIVED_TITLE_CHARS = 90
EXCERPT_CHARS = 300

# "(AP Photo/Patrick Semansky)", "(Foto: TT)", "Photo: Getty Images", "(Bild: Reuters)"
_CAPTION_CREDIT = re.compile(
    r"(\((?:[^()]*\b)?(?:photo|foto|bild|image|picture|getty|reuters|afp)\b[^()]*\)\s*$)"
    r"|(^(?:photo|foto|bild|image)\s*:)",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’)]*\s+(?=[\"“‘(]*[A-ZÅÄÖÆØÉÜ0-9])")
_BLANK_LINES = re.compile(r"\n\s*\n")
#: How an excerpt that is only the start of a text ends: "…", "...", "[…]", "[...]".
_CUT_SHORT = re.compile(r"(?:\s*(?:\[\s*(?:…|\.\.\.)\s*\]|…|\.\.\.))+\s*$")
#: An excerpt shorter than this, or cut shorter than this, says more than the text it starts
#: (a summary "Photo…" of the text "Photo gallery: ...").
REPEAT_MIN_CHARS = 20


@dataclass(frozen=True, slots=True)
class PlainText:
    title: str
    excerpt: str | None
    body: str


def paragraphs(text: str) -> list[str]:
    """Paragraphs of ``text``: separated by blank lines, or one per line when it has none."""
    blocks = [b.strip() for b in _BLANK_LINES.split(text) if b.strip()]
    if len(blocks) <= 1:
        blocks = [line.strip() for line in text.splitlines() if line.strip()]
    return [" ".join(b.split()) for b in blocks]


def starts(excerpt: str, text: str) -> bool:
    """Whether ``excerpt`` is only the start of ``text`` (maybe cut short with "…"), whatever
    its line breaks and spaces: a feed's summary that is its text cut short, kept as no
    excerpt of its own (one that is another part of the text is kept: it is the article's
    summary in lists, searches and exports)."""
    start = " ".join(_CUT_SHORT.sub("", excerpt).split())
    return len(start) >= REPEAT_MIN_CHARS and " ".join(text.split()).startswith(start)


def within(excerpt: str, text: str) -> bool:
    """Whether ``excerpt`` is a part of ``text`` (maybe cut short with "…": then at least
    :data:`REPEAT_MIN_CHARS` of it), whatever its line breaks and spaces: a summary the text
    shows already, a plain-text document's first paragraph, a sentence quoted from the middle
    of a paragraph — then it need not be shown above the text too."""
    whole = " ".join(excerpt.split())
    part = " ".join(_CUT_SHORT.sub("", excerpt).split())
    if not part or (part != whole and len(part) < REPEAT_MIN_CHARS):
        return False
    return part in " ".join(text.split())


#: Kinds of :func:`blocks`.
TEXT, HEADING, PREFORMATTED = "text", "heading", "preformatted"
#: A heading inside the text is at most this many words (titles may be longer).
HEADING_MAX_WORDS = 12
_NOT_HEADING_START = re.compile(r"^(?:[•\-*–—>|]|\d+[.)]\s)")
_NOT_HEADING_END = (".", ",", ";", ":", "!", "\u2026", ")", "]", '"', "”", "’", "'")


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph of the text as it is shown: ``kind`` is :data:`TEXT` (whitespace runs made
    one space), :data:`HEADING` (one line) or :data:`PREFORMATTED` (lines and indentation kept)."""

    kind: str
    text: str


def blocks(text: str) -> list[Block]:
    """The paragraphs of ``text`` (as :func:`paragraphs` splits them), each with its shape.

    The text is plain (a feed's HTML was made plain text, see :mod:`reader.feeds`), so the
    shape is read from the text itself, cautiously:

    - *preformatted*: a paragraph of two or more lines of which one begins with a space or a
      tab (indentation only code, verse or tables have; wrapped prose is shown as prose);
    - *heading*: a paragraph of one line that reads like a headline (at most
      :data:`HEADING_MAX_WORDS` words, no sentence or list punctuation at either end) and is
      followed by a paragraph of text or preformatted text (a heading introduces something;
      a run of short lines such as a table's rows or a list stays text);
    - anything else is text.
    """
    raw = [b.strip("\n").rstrip() for b in _BLANK_LINES.split(text)]
    raw = [b for b in raw if b.strip()]
    if len(raw) <= 1:
        lines = [line for line in text.splitlines() if line.strip()]
        if not any(line[:1].isspace() for line in lines[1:]):
            raw = [line.strip() for line in lines]
    shaped: list[Block] = []
    for block in raw:
        lines = block.split("\n")
        if len(lines) >= 2 and any(line[:1] in (" ", "\t") for line in lines):
            shaped.append(Block(PREFORMATTED, "\n".join(line.rstrip() for line in lines)))
        else:
            shaped.append(Block(TEXT, " ".join(block.split())))
    for at, block in enumerate(shaped[:-1]):
        following = shaped[at + 1]
        if block.kind == TEXT and _heading_like(block.text) and (
            following.kind == PREFORMATTED or (following.kind == TEXT and not _heading_like(following.text))
        ):
            shaped[at] = Block(HEADING, block.text)
    return shaped


def _heading_like(line: str) -> bool:
    return (
        looks_like_headline(line)
        and len(line.split()) <= HEADING_MAX_WORDS
        and not line.endswith(_NOT_HEADING_END)
        and not _NOT_HEADING_START.match(line)
    )


def looks_like_headline(line: str) -> bool:
    line = line.strip()
    if not line or len(line) > HEADLINE_MAX_CHARS:
        return False
    if len(line.split()) > HEADLINE_MAX_WORDS:
        return False
    if line.endswith((".", ",", ";", ":")) and not line.endswith("..."):
        return False
    return not is_caption(line)


def is_caption(paragraph: str) -> bool:
    """True for a photo caption or credit line rather than article text."""
    return bool(_CAPTION_CREDIT.search(paragraph.strip()))


def first_sentence(paragraph: str) -> str:
    parts = _SENTENCE_END.split(paragraph.strip(), maxsplit=1)
    return parts[0].strip()


def shorten(text: str, limit: int) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if text[limit - 1] != " ":  # the cut falls inside a word: end before it, if not too early
        space = cut.rfind(" ")
        if space > limit // 2:
            cut = cut[:space]
    return cut.rstrip(" ,;:-–—") + "…"


def read_plain_text(text: str) -> PlainText | None:
    """Title, excerpt and body of a plain-text article; ``None`` when it holds no text."""
    lines = [line.strip() for line in text.splitlines()]
    first_index = next((i for i, line in enumerate(lines) if line), None)
    if first_index is None:
        return None
    first_line = lines[first_index]
    if looks_like_headline(first_line):
        title = " ".join(first_line.split())
        body = "\n".join(lines[first_index + 1 :]).strip()
    else:
        title = ""
        body = text.strip()
    paras = paragraphs(body)
    prose = [p for p in paras if not is_caption(p)] or paras
    if not title:
        source = prose[0] if prose else first_line
        title = shorten(first_sentence(source), DERIVED_TITLE_CHARS)
    excerpt = shorten(prose[0], EXCERPT_CHARS) if prose else None
    return PlainText(title=title, excerpt=excerpt, body=body)
