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
