"""What story matching reads from one article: its words and its name candidates. No Qt.

A few regular expression passes per text give its words, its capitalised words and those
that open a sentence, so a capitalised word is known to open a sentence or not. Nothing
here depends on the rest of the library; :mod:`reader.stories.matching` decides, with what
the library has seen, which capitalised sentence openers are names.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from itertools import filterfalse
from sys import intern
from typing import NamedTuple

#: Characters of plain text (the lead) that stand in for an excerpt.
LEAD_CHARS = 1_500

# Words: a letter, then letters, digits, "&" or "-", ending on a letter or digit (an
# apostrophe ends a word, so "Clearview's" gives "clearview").
WORDS = re.compile(r"[^\W\d_](?:[\w&-]*\w)?")
# ... of three characters or more (the same words, the shorter ones left out); the same
# pattern for a text of ASCII characters only, where it finds the same words sooner
_LONG_WORDS = re.compile(r"[^\W\d_][\w&-]+\w")
_LONG_ASCII_WORDS = re.compile(r"[a-z][a-z0-9_&-]+[a-z0-9_]")
# ... and WORDS for a lower-cased text of ASCII characters alone (the same words, sooner)
_ASCII_WORDS = re.compile(r"[a-z](?:[a-z0-9_&-]*[a-z0-9_])?")
# ... and for a text of other characters, all below U+3000 (Latin, Greek, Cyrillic, general
# punctuation such as curly quotes and dashes): the classes spelled out character by
# character, which the engine looks up in a table instead of asking Unicode's database about
# every character (the same words, about a third sooner).
_SPELLED_BELOW = "\u3000"
_BEYOND_SPELLED = re.compile(f"[{_SPELLED_BELOW}-\U0010ffff]")


def _spelled_classes() -> tuple[str, str]:
    """The characters below :data:`_SPELLED_BELOW` that ``[^\\W\\d_]`` and ``\\w`` match, as the
    contents of two character classes (ranges)."""
    letter, word = re.compile(r"[^\W\d_]"), re.compile(r"\w")
    classes = []
    for pattern in (letter, word):
        ranges, start = [], -1
        for code in range(ord(_SPELLED_BELOW) + 1):
            inside = code < ord(_SPELLED_BELOW) and pattern.match(chr(code)) is not None
            if inside and start < 0:
                start = code
            elif not inside and start >= 0:
                ranges.append(re.escape(chr(start)) + (f"-{re.escape(chr(code - 1))}" if code - 1 > start else ""))
                start = -1
        classes.append("".join(ranges))
    return classes[0], classes[1]


@cache
def _spelled_words() -> re.Pattern[str]:
    letter, word = _spelled_classes()  # (~10 ms, once, at the first text that needs it)
    return re.compile(f"[{letter}][{word}&-]+[{word}]")

#: Capital letters: Latin with its accented letters (Latin-1, Latin Extended-A and -B: Polish
#: Ł, Romanian Ș and Ț; Latin Extended Additional: Vietnamese Ấ, Ộ),
#: Greek (with its polytonic letters: Ἀ), Cyrillic (with its supplement: Ukrainian Ґ, Kazakh
#: Қ) and Armenian (Երևան), as the contents of a character class. Other scripts have none.
_CAPITAL = "A-Z" + "".join(
    chr(code) for start, end in ((0xC0, 0x250), (0x370, 0x590), (0x1E00, 0x2000))
    for code in range(start, end) if chr(code).isupper() and not 0x3E2 <= code <= 0x3EF  # (Coptic's, in Greek's block)
)
# Every capitalised word; and those that open a sentence: at the start, after . ! ? … : ;
# (and the Armenian full stop ։ and the Greek question mark U+037E) (and a closing quote), after a line break, or after a quote or bracket that opens (and
# after a dash that opens a quote). Each pattern starts with the characters it can start
# with, so the regular expression engine
# skips to them (not trying an alternation or a look-behind at every character):
# _CAPITALISED checks what stands before the capital after it, and the start of the text
# is left to _FIRST.
_CAPITALISED = re.compile(rf"[{_CAPITAL}](?<![\w&-].)(?:[\w&-]*\w)?")
_FIRST = re.compile(rf"[{_CAPITAL}](?:[\w&-]*\w)?")
# (a quote may open with a dash, as Swedish and Danish write one: ". – Vi säger"; or with „ or «;
# not with », which closes a French one: after ". »" or ".»" a sentence opens; a single quote
# opens one when it stands before the capital and after no letter: ": 'My moment'", not
# "Clearview's"). After a line break, a quote or a bracket, the spaces
# before the capital are taken up to the next line break only: that line break starts the
# match itself, so a run of blank lines is read once, not once from each of its line breaks
# (16,000 blank lines took 5 s); the spaces before a closing » are taken at once, never given
# back (possessive: a long run of spaces is read once).
_OPENING = re.compile(
    rf"[.!?…:;։\u037e\n\"“‘(«„'’](?:(?<=[.!?…:;։\u037e])(?:[\"'”’)]|\s*+»)*+\s+(?:[–—-]\s+)?|(?<=[\n\"“‘(«„])[^\S\n]*(?:[–—-]\s+)?"
    rf"|(?<=['’])(?<![\w&-].))([{_CAPITAL}](?:[\w&-]*\w)?)"
)
#: Capitalised words of a text beyond which they are counted once each, not looked up in the
#: list for every word that opens a sentence (a long excerpt of one name a line took seconds).
_FEW_CAPITALISED = 64
# Words of four characters or more (the same words as WORDS, the shorter ones left out); and
# the first letters of those words alone (one character each: no new string to make)
_TITLE_WORDS = re.compile(r"[^\W\d_][\w&-]{2,}\w")
_TITLE_FIRSTS = re.compile(r"([^\W\d_])[\w&-]{2,}\w")
_TITLE_ASCII_FIRSTS = re.compile(r"([a-zA-Z])[a-zA-Z0-9_&-]{2,}[a-zA-Z0-9_]")  # (the same, in ASCII)

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
#: The days and months of the other languages Reader meets (below): words that date an article
#: as a number does, never its subject.
CALENDAR_OTHER = frozenset(
    """
    lundi mardi mercredi jeudi vendredi samedi dimanche janvier février avril mai juin juillet août
    septembre octobre novembre décembre
    montag dienstag mittwoch donnerstag freitag samstag sonnabend sonntag januar jänner februar märz juni
    juli oktober dezember
    lunes martes miércoles jueves viernes sábado enero febrero marzo abril junio agosto septiembre
    setiembre octubre noviembre diciembre
    lunedì martedì mercoledì giovedì venerdì sabato domenica gennaio febbraio aprile maggio giugno luglio
    settembre ottobre dicembre
    segunda terça quarta quinta sexta sábado janeiro fevereiro março maio junho julho setembro outubro
    novembro dezembro
    maandag dinsdag woensdag donderdag vrijdag zaterdag zondag januari februari maart mei augustus
    måndag tisdag onsdag torsdag fredag lördag söndag mandag tirsdag lørdag søndag maj augusti marts desember
    """.split()
)
#: The function words (articles, prepositions, pronouns, conjunctions), days and months of the
#: other languages Reader meets, which open sentences ("Le feu a pris", "Die Ursache ist unklar")
#: and stand inside them in the names of newspapers and brands ("Le Monde", "Die Zeit", "EN
#: IMAGES"): capitalised inside a sentence of one article, one makes no other article's sentence
#: opener a name (:meth:`reader.stories.weights.Weights.capitalise`), so French and German sentences
#: that open with "Le" or "Die" name nothing. Inside a sentence, or in capitals, each is a name as
#: any word (Las Vegas, Des Moines, Heung-min Son, Firefox OS, the UN).
NOT_SPREAD = frozenset(
    """
    le la les l un une des du de d et en au aux à dans par pour sur avec sans sous chez selon après avant
    depuis pendant entre vers lors ce cet cette ces son sa ses leur leurs il elle ils elles on nous vous je
    c j qu qui que mais ou où donc car ne pas

    der die das den dem des ein eine einer eines einem einen in im am zum zur und oder aber mit von vom für
    auf aus bei beim nach seit um über unter vor zu zwischen durch gegen ohne sie er es wir ihr ich du
    sein seine dieser diese dieses auch wie als wenn dass weil

    el los las lo una unos unas y o del al con por para sin sobre desde hasta según tras su sus se

    gli uno di della delle dei degli dello alla alle nel nella nei per tra fra su sul sulla da dal
    dalla non

    os as um uma uns umas do da dos das no na nas ao aos pelo pela pelos pelas em com sem não

    het een van op te voor aan bij uit naar door dat dit zijn haar hij zij wij ze niet ook

    och att det som ett på är för med till av inte om har jag var sig men ska kan så vid eller hon vi
    og at er fra ikke
    """.split()
) | CALENDAR_OTHER
_STOP_WORD, _NOT_NAME = STOP_WORDS.__contains__, NOT_NAMES.__contains__


def _mostly_capitals(title: str) -> bool:
    """Whether most letters of ``title`` (one that :meth:`str.isupper` says is in capitals) are
    capitals: letters without case (Chinese, an ʻokina) are left out by str.isupper."""
    letters = [c for c in title if c.isalpha()]
    capitals = sum(map(str.isupper, letters))
    return capitals > len(letters) - capitals


class Words(NamedTuple):
    """The words of one text, lower-cased. (A named tuple: made quicker than a frozen
    dataclass, and as unchangeable.)"""

    words: frozenset[str]  #: every word of three letters or more that is not a stop word
    names: frozenset[str]  #: capitalised inside a sentence, or written specially (AI, YouTube)
    openers: frozenset[str]  #: capitalised only where a sentence (or a headline) starts


def word_set(lower: str) -> set[str]:
    """The words (:data:`WORDS`) of the lower-cased text ``lower``."""
    return set((_ASCII_WORDS if lower.isascii() else WORDS).findall(lower))


def read_words(title: str, text: str) -> Words:
    """The words of ``title`` and ``text`` (an excerpt or the lead of a plain text).

    A few regular expressions over the whole text, no loop over its words. A capitalised word
    is a name when it stands inside a sentence at least once more often than it opens one;
    a headline in title case (most long words capitalised) gives only openers: its capitals
    say nothing about names.
    """
    source = f"{title}\n{text}"
    lower = source.lower()
    if lower.isascii():
        found = _LONG_ASCII_WORDS.findall(lower)
    elif _BEYOND_SPELLED.search(lower) is None:
        found = _spelled_words().findall(lower)
    else:
        found = _LONG_WORDS.findall(lower)
    firsts = (_TITLE_ASCII_FIRSTS if title.isascii() else _TITLE_FIRSTS).findall(title)  # (of the title's long words)
    # (a title in capitals says nothing of which of its words are names; "NASA 宣布 新的 登月 计划"
    # is not one: most of its letters have no case, which str.isupper leaves out; "… FOR HAWAIʻI" is)
    capitals = title.isupper() and _mostly_capitals(title)
    headline = capitals or (len(firsts) > 2 and sum(map(str.isupper, firsts)) >= 0.6 * len(firsts))
    if headline:
        source = text
    capitalised = _CAPITALISED.findall(source)
    opens = _OPENING.findall(source)  # (each also among the capitalised)
    first = _FIRST.match(source)
    if first:  # (the text starts with a capital: a sentence opens there)
        opens.append(first[0])
    opening = set(opens)
    candidates = set(capitalised)
    # a name: more often capitalised than at the start of a sentence
    inside = candidates - opening
    if len(capitalised) <= _FEW_CAPITALISED:
        inside.update([w for w in opening if capitalised.count(w) > opens.count(w)])
    else:
        times, opened = Counter(capitalised), Counter(opens)
        inside.update([w for w in opening if times[w] > opened[w]])
    names = set(map(str.lower, inside))
    openers = set(map(str.lower, opening - inside))
    if headline:
        openers.update([w.lower() for w in _TITLE_WORDS.findall(title) if w[0].isupper()])
        if not capitals:
            candidates.update(_CAPITALISED.findall(title))
    # written specially, a name anywhere: all capitals (AI, FBI) or a capital inside (YouTube)
    names.update([w.lower() for w in candidates if len(w) >= 2 and not w[1:].islower() and any(c.isupper() for c in w[1:])])
    openers -= names
    # (one string per word, however many articles have it; the stop words and the words that
    # are never names left out on the way, not looked up one by one in the sets)
    return Words(frozenset(map(intern, filterfalse(_STOP_WORD, found))), frozenset(map(intern, filterfalse(_NOT_NAME, names))),
                 frozenset(map(intern, filterfalse(_NOT_NAME, openers))))
