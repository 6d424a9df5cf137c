"""What story matching reads from one article: its words and its name candidates. No Qt.

One regular expression pass per text gives every word with what stands before it, so a
capitalised word is known to open a sentence or not. Nothing here depends on the rest of
the library; :mod:`reader.stories.matching` decides, with what the library has seen, which
capitalised sentence openers are names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Characters of plain text (the lead) that stand in for an excerpt.
LEAD_CHARS = 1_500

# A word, with the sentence break (if any) right before it. The text is given a leading
# ". " so that its first word counts as a sentence opener.
_WORDS = re.compile(r"([.!?…:;]['\"”’)]*\s+|\n\s*|[\"“‘(]\s*)?([^\W\d_][\w'’&-]*)")
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")

#: Words that carry no news: English (and a few Swedish) function words and the words every
#: article and press release uses. Rarity in the library (IDF) weighs the rest.
STOP_WORDS = frozenset(
    """
    a about above according across after again against ahead all almost along already also although always am
    among an and another any anyone anything are around as at based be became because become been before being
    below between beyond both but by can could did do does doing done down during each either else even ever
    every few first for from further get gets getting given go going got had has have having he her here hers
    him his how however if in including into is it its itself just last later least less like made make makes
    many may me more most much must my near new news next no nor not now of off often on once one only or other
    others our out over own per perhaps rather really said same says see seen she should since so some still
    such than that the their them then there these they this those though through to today too two under until
    up upon us use used using very via was we well were what when where whether which while who whom whose why
    will with within without would year years yet you your
    och att det som en på är för med den till av inte om ett har de jag var sig men ska kan så vid eller
    """.split()
)

#: Capitalised words that are never names (days, months, titles of address).
NOT_NAMES = frozenset(
    """
    monday tuesday wednesday thursday friday saturday sunday january february march april may june july
    august september october november december mr mrs ms dr the a an i
    """.split()
)


def _special(token: str) -> bool:
    """All capitals (AI, FBI) or a capital inside (YouTube, LinkedIn): a name anywhere."""
    letters = [c for c in token if c.isalpha()]
    return len(letters) >= 2 and (all(c.isupper() for c in letters) or any(c.isupper() for c in letters[1:]))


@dataclass(frozen=True, slots=True)
class Words:
    """The words of one text, lower-cased."""

    words: frozenset[str]  #: every word of three letters or more that is not a stop word
    names: frozenset[str]  #: capitalised inside a sentence, or written specially (AI, YouTube)
    openers: frozenset[str]  #: capitalised only where a sentence (or a headline) starts


def read_words(title: str, text: str) -> Words:
    """The words of ``title`` and ``text`` (an excerpt or the lead of a plain text).

    A headline in title case (most long words capitalised) gives only openers: its
    capitals say nothing about names.
    """
    words: set[str] = set()
    names: set[str] = set()
    openers: set[str] = set()
    title_tokens = _WORDS.findall(". " + title)
    long_words = [t for _, t in title_tokens if len(t) >= 4]
    headline = len(long_words) > 2 and sum(t[0].isupper() for t in long_words) >= 0.6 * len(long_words)
    for tokens, in_headline in ((title_tokens, headline), (_WORDS.findall(". " + text), False)):
        for before, token in tokens:
            word = _POSSESSIVE.sub("", token).strip("-'’&").lower()
            if len(word) < 2:
                continue
            if token[0].isupper():
                if word in NOT_NAMES:
                    pass
                elif _special(token):
                    names.add(word)
                elif before or in_headline:
                    openers.add(word)
                else:
                    names.add(word)
            if len(word) >= 3 and word not in STOP_WORDS:
                words.add(word)
    return Words(frozenset(words), frozenset(names), frozenset(openers - names))
