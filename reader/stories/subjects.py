"""What a title shares with a story's titles, and what that tells: one subject's other news,
nothing of what happened in common, names alone, other firms first. No Qt, no SQL.

:class:`~reader.stories.matching.Grouper` asks these before an article or a related entry
joins a story that its words are similar to (:mod:`reader.stories.related` asks
:func:`only_subject` too). Titles are normalised as rapidfuzz's ``default_process`` writes
them; a vector's and a centroid's names are its keys that start with "@"
(:mod:`reader.stories.weights`):

* :func:`only_subject` — a title that shares one name or one run of names alone, its subject's
  other news;
* :func:`other_object` — ... and one word more, when the texts tell of another thing it did;
* :func:`title_apart` — no word in common;
* :func:`names_alone_shared` — names alone in common;
* :func:`other_subjects` — two firms doing the same under titles of one mould;
* :func:`other_names` — two headlines, each naming a name the other does not.
"""

from __future__ import annotations

from collections.abc import Iterable

from reader.stories.text import STOP_WORDS

#: A word of a title this long or longer within another one is a word two titles share
#: (:func:`title_apart`: a compound's part; "Israel" in "Israeli", shorter, is not).
WITHIN_LETTERS = 7
#: Words of its own text (beyond the titles) that an article and a story each need for
#: :func:`other_object` to read what they tell: a feed's item of a title alone tells nothing.
TEXT_WORDS = 5


def _singular(word: str) -> str:
    """``word`` without a plural's "s" (a title's "fakes" is a report's "fake")."""
    return word[:-1] if len(word) > 3 and word[-1] == "s" else word


def _stem(word: str) -> str:
    """``word`` without an English "-ing" or "-ed" when it is long enough ("hacking" and
    "hacked" are "hack"), else its :func:`_singular`."""
    if len(word) > 5 and word.endswith("ing"):
        return word[:-3]
    if len(word) > 4 and word.endswith("ed"):
        return word[:-2]
    return _singular(word)


def only_subject(words: list[str], titles: list[str], names: frozenset[str], theirs: frozenset[str] | None = None) -> bool:
    """Whether a title (its normalised ``words``) shares with a story's normalised ``titles``
    nothing but one name or one run of names (``names``: the keys of its names; short and
    stop words left out), its subject: that subject's other news. "Blue Heron Bio partners on
    a protein-folding model" and "Blue Heron Bio unveils predictive policing software" the same
    week share the firm and nothing of what it did, while their texts, the firm's name three
    times over and its boilerplate, meet as closely as two reports of one event; reports of
    one event name something of what happened alike ("PGA Tour signs up with AWS" beside "PGA
    Tour partners with AWS": two names apart), or nothing alike at all (their texts decide).
    A title of names alone ("Lost Ark", a game's notices; "Battlefield V") says nothing of
    what happened, so it tells nothing apart. (``theirs``: :func:`words_of_titles` of ``titles``,
    when known.)"""
    if theirs is None:
        theirs = words_of_titles(titles)
    runs, others, said = _shared(words, theirs, names)
    return runs == 1 and not others and said


def _shared(words: list[str], theirs: frozenset[str], names: frozenset[str]) -> tuple[int, list[str], bool]:
    """What a title (its normalised ``words``; ``names``: the keys of its names) shares with
    a story's titles (their :func:`words_of_titles`, ``theirs``), short and stop words left
    out: its runs of names in common, its other words in common, and whether it has a word
    that is no name at all."""
    runs, others, inside, said = 0, [], False, False
    for word in words:
        if len(word) > 2 and word not in STOP_WORDS:
            named = "@" + word in names
            said = said or not named
            if _singular(word) in theirs:
                if named:
                    runs += not inside
                    inside = True
                    continue
                others.append(word)
        inside = False
    return runs, others, said


def other_object(words: list[str], text: frozenset[str], titles: list[str], theirs: frozenset[str], names: frozenset[str],
                 vector: dict[str, float], centroid: dict[str, float]) -> bool:
    """Whether a title (its normalised ``words``; ``text``: its article's words, title and
    text; ``names``: the keys of its names; ``vector``: the article's) that shares with a
    story's normalised ``titles`` (their :func:`words_of_titles`, ``theirs``; ``centroid``:
    the story's) its subject, one name or one run of names, and one word more tells of another
    thing the subject did ("open-sources", normalised "open sources", is one word): its other
    words of four letters or more (no names) are in none of the story's texts, and the
    story's titles' other words are not in its text, though each has a text of its own
    (:data:`TEXT_WORDS` words beyond the titles). "Bayview Autonomy sells its chatbot" beside
    "Bayview Autonomy sells self-driving trucks in Texas" three days before; "Hungary: Magyar launches anti-Orban election campaign" beside "Orban says EU
    bigger threat to Hungary than Russia". Reports of one event say what happened in other
    words too, but each names something of it that the other's text tells (a word of a title
    in two words, "self-driving", counts by its parts); and a feed's item of a title alone
    tells nothing of that, so it is left to the other rules."""
    runs, others, _ = _shared(words, theirs, names)
    if runs != 1 or not (len(others) == 1 or (len(others) == 2 and "-".join(others) in text)):
        return False  # (one word more: one written with a hyphen too, "open-sources")
    new = [word for word in words if len(word) > 3 and word not in STOP_WORDS and "@" + word not in names
           and _singular(word) not in theirs]
    mine = set(words)
    if not new or sum(word not in mine for word in text) < TEXT_WORDS:
        return False
    told = _word_parts(centroid)
    if sum(_singular(word) not in theirs for word in told) < TEXT_WORDS or any(word in told for word in new):
        return False
    read = _word_parts(vector)
    singular = {_singular(word) for word in words}
    theirs_new = [word for title in titles if title for word in title.split() if len(word) > 3 and word not in STOP_WORDS
                  and "@" + word not in centroid and _singular(word) not in singular]
    return bool(theirs_new) and not any(word in read for word in theirs_new)


def _word_parts(vector: dict[str, float]) -> set[str]:
    """The words of ``vector`` (not its names), each written with hyphens also by its parts,
    as a normalised title writes it ("self-driving" as "self" and "driving")."""
    return {part for key in vector if key[0] != "@" for part in key.split("-")}


def words_of_titles(titles: Iterable[str]) -> frozenset[str]:
    """The words of normalised ``titles``, each plural as its singular."""
    return frozenset([_singular(word) for title in titles if title for word in title.split()])


def title_apart(words: list[str], theirs: frozenset[str]) -> bool:
    """Whether a title (its normalised ``words``) shares no word with a story's titles (their
    :func:`words_of_titles`, ``theirs``) though both have such words: short and stop words left
    out, a plural as its singular, and a word of :data:`WITHIN_LETTERS` letters or more within
    another counts as shared (a compound: "trafiken" in "sommartrafiken", "korsning" in
    "olyckskorsningen").

    Asked of an undated article, which no time bounds: a plain text that meets a story of any
    year at a cosine of 0.45 by "Super Bowl" or by "Israeli", "Netanyahu" and "Benjamin"
    ("Wild-card games kick off playoffs" against "The Shortest Super Bowl"; "Israel throws a
    U.N. tantrum" against Netanyahu's call for a soldier's pardon) reports no event of it,
    while a report of one names something of it alike ("Japan recalls envoys over new 'comfort
    women' statue" beside "Japan recalls envoy to South Korea over comfort-woman statue").
    And of an article joining a story whose members are all of its own outlet: one outlet's
    items share its template and boilerplate (a catalogue's "… was newly added and is
    'Broken'" under "Valorant" and "Battlefield 2042"; a repository's commits; a club's blog
    posts), while its follow-ups of one event name it again."""
    mine = [_singular(word) for word in words if len(word) > 2 and word not in STOP_WORDS]
    if not mine or not theirs.isdisjoint(mine):
        return False
    content = [word for word in theirs if len(word) > 2 and word not in STOP_WORDS]
    if not content:
        return False
    return not any((a in b and len(a) >= WITHIN_LETTERS) or (b in a and len(b) >= WITHIN_LETTERS)
                   for a in mine if len(a) >= WITHIN_LETTERS for b in content)


def names_alone_shared(words: list[str], theirs: frozenset[str], names: frozenset[str]) -> bool:
    """Whether every word a title (its normalised ``words``; ``names``: the keys of its names)
    shares with a story's titles (their :func:`words_of_titles`, ``theirs``) is a name, and it
    shares one at least (short and stop words left out, a plural as its singular). Asked of an
    undated article in the story's language: "Chatty and funny, elite North Korean defector
    becomes media star in South" shares "North", "Korean" and "South" with "South Korea to
    deploy laser weapons to target North Korean drones", nothing of what happened. (In
    another language names are all two titles can share: the Swedish report of the seeds.)
    A name written with hyphens counts by its parts: a normalised title splits "Counter-Strike",
    one name of a vector, in two words. Asked too of a dated article joining a story of its
    own outlet's alone under another title: one outlet's follow-ups of one event name
    something of what happened again, while its items under two names (a catalogue's "Far
    Cry" and "Far Cry 2"), or one person's or one country's other news of the week, share the
    names alone, and their template or their trade's words in the text."""
    shared = []
    stems: set[str] | None = None  # (one word in two forms is a word in common: "hacking" beside "hack")
    for word in words:
        if len(word) > 2 and word not in STOP_WORDS:
            if _singular(word) not in theirs:
                if stems is None:
                    stems = {_stem(their) for their in theirs}
                if _stem(word) not in stems:
                    continue
            shared.append(word)
    if not shared:
        return False
    parts: set[str] | None = None
    for word in shared:
        if "@" + word in names:
            continue
        if parts is None:  # (rarely: most shared words are no names, and the answer is known at the first)
            parts = {part for key in names if "-" in key for part in key[1:].split("-")}
        if word not in parts:
            return False
    return True


def other_subjects(title: str, vector: dict[str, float], titles: list[str], centroid: dict[str, float]) -> bool:
    """Whether ``title`` (its entry's or article's ``vector``) and a story's ``titles`` (its
    ``centroid``) put other names first: the first name of ``title`` is in none of the titles,
    and none of their first names is in ``title``. Two firms doing the same thing under titles
    of one mould ("DeepMind invests in generative AI for ads", "Ironclad Sensors expands
    generative AI for ads") share every word but their subjects."""
    words = title.split()
    mine = next((word for word in words if "@" + word in vector), None)
    if mine is None or any(mine in other.split() for other in titles):
        return False
    firsts = {first for first in (next((word for word in other.split() if "@" + word in centroid), None) for other in titles)
              if first is not None}
    return bool(firsts) and firsts.isdisjoint(words)


def other_names(title: str, vector: dict[str, float], headlines: Iterable[str], centroid: dict[str, float]) -> bool:
    """Whether ``title`` (its article's ``vector``) and a story's ``headlines`` (its ``centroid``)
    each name a name the other does not."""
    words = set(title.split())
    theirs = {word for headline in headlines for word in headline.split()}
    if all(word in theirs for word in words if "@" + word in vector):
        return False
    return any(word not in words for word in theirs if "@" + word in centroid)
