"""The search language, parsed into SQL for the library (SQLite FTS5). Pure functions.

A query is a list of terms separated by spaces. Every term must match:

==========================  =========================================================
``clearview``               a word (in the title, excerpt, body, source or topics)
``"cease and desist"``      an exact phrase
``faci*``                   words starting with ``faci``
``venmo OR paypal``         either term (``OR`` binds two neighbouring terms)
``-twitter``                must not match (also ``-topic:AI``, ``-is:read`` ...); ``NOT twitter``
``topic:AI``                articles with that topic (``topic:"Computer Vision"``)
``source:bbc.com``          by provider name or domain, whole (``source:"Global News"``)
``label:later``              with one of your labels (``-label:later``: without it)
``lang:sv``                 by language, a code or a name (``lang:Swedish``)
``is:unread`` ``is:read``   by state; also ``is:starred``, ``is:unstarred``
``before:2020-02-01``       published before that day (UTC)
``after:2020-02-01``        published on or after that day (UTC)
``heat>=50``                by heat; also ``quality>=N`` and ``>``, ``<``, ``<=``, ``=``
==========================  =========================================================

``before:`` and ``after:`` also take a moment, ``after:2020-02-01T00:00+01:00`` (without
an offset: UTC); the volume chart narrows a list to a period in the reader's time zone so.

Words are matched without regard to case or accents, and so are filter names (``Topic:``,
``Quality>=``); ``OR`` and ``NOT`` are operators in capitals only (``-OR``, ``-NOT``: the word excluded). A malformed query raises
:class:`QueryError`, whose message says what is wrong and where.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timezone

from reader.article import MAX_INT, MIN_INT
from reader.filenames import SURROGATE
from reader.folding import name_key, search_text
from reader.language import codes_of

FILTERS = ("topic", "source", "lang", "is", "before", "after", "label")
NUMERIC = ("heat", "quality")
STATES = ("unread", "read", "starred", "unstarred")

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<neg>-)?(?P<num>(?i:heat|quality))(?P<op>>=|<=|>|<|=)(?P<numval>\S*)
  | (?P<neg2>-)?(?P<name>[A-Za-z]+):(?P<value>"[^"]*"?|\S*)
  | (?P<neg3>-)?(?P<phrase>"[^"]*"?)
  | (?P<neg4>-)?(?P<word>[^\s"]+)
    """,
    re.VERBOSE,
)


class QueryError(ValueError):
    """A query that cannot be run. ``position`` is the 0-based column of the problem."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(f"{message} (at column {position + 1})")
        self.message = message
        self.position = position


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed query: a full-text part and SQL conditions on ``articles AS a``.

    ``where`` is a list of SQL conditions to AND together, with ``params`` in order.
    ``match`` is the FTS5 expression the article must match (or None).
    """

    text: str
    match: str | None = None
    where: tuple[str, ...] = ()
    params: tuple[object, ...] = field(default=())

    @property
    def is_empty(self) -> bool:
        return self.match is None and not self.where


def _fts_string(text: str) -> str:
    """``text`` as an FTS5 string: matched literally, whatever syntax it holds, folded as
    the indexed text is (:func:`reader.folding.search_text`)."""
    # FTS5 reads its query as a C string: a NUL would end it mid-string.
    return '"' + (search_text(text) or "").replace("\0", " ").replace('"', '""') + '"'


@dataclass
class _Builder:
    text: str
    # Each positive full-text term is a list of alternatives (OR-ed); terms are AND-ed.
    groups: list[list[str]] = field(default_factory=list)
    negative: list[str] = field(default_factory=list)
    where: list[str] = field(default_factory=list)
    params: list[object] = field(default_factory=list)
    pending_or: int | None = None
    pending_not: int | None = None  #: where a NOT waiting for its term is
    # The term read last: "word" (a positive word or phrase), "excluded" or "filter",
    # with its position. OR may only follow a positive word or phrase.
    last: tuple[str, int] | None = None

    def add_or(self, position: int) -> None:
        if self.last is None or self.pending_or is not None:
            raise QueryError("OR needs a word or phrase before it", position)
        kind, at = self.last
        if kind == "excluded":
            raise QueryError("OR cannot join an excluded term", at)
        if kind == "filter":
            raise QueryError("OR can only join words and phrases, not filters", at)
        self.pending_or = position

    def add_fts(self, expr: str, negated: bool, position: int) -> None:
        if negated:
            if self.pending_or is not None:
                raise QueryError("OR cannot join an excluded term", position)
            if expr not in self.negative:  # (a term repeated is searched once: each costs the snippets)
                self.negative.append(expr)
        elif self.pending_or is not None:
            if expr not in self.groups[-1]:  # the term before OR was a positive word or phrase
                self.groups[-1].append(expr)
            self.pending_or = None
        else:
            self.groups.append([expr])
        self.last = ("excluded" if negated else "word", position)

    def add_sql(self, sql: str, params: list[object], negated: bool, position: int) -> None:
        if self.pending_or is not None:
            raise QueryError("OR can only join words and phrases, not filters", position)
        # IS NOT TRUE, not NOT: an article without the field (NULL) does not match the
        # filter, so it belongs to the negation (-source:bbc.com keeps undated plain texts).
        self.where.append(f"({sql}) IS NOT TRUE" if negated else f"({sql})")
        self.params.extend(params)
        self.last = ("filter", position)


#: The conditions of ``is:unread`` ... on ``articles AS a``.
STATE_SQL = {"unread": "a.read = 0", "read": "a.read = 1", "starred": "a.starred = 1", "unstarred": "a.starred = 0"}


def uses_state(query: Query) -> bool:
    """Whether the articles ``query`` finds change with their read or starred marks (it has
    an ``is:`` filter)."""
    return any(f"({sql})" in condition for condition in query.where for sql in STATE_SQL.values())


def parse_query(text: str) -> Query:
    """Parse ``text`` into a :class:`Query`. Raises :class:`QueryError`."""
    stray = SURROGATE.search(text)  # (a command line's byte that is not UTF-8, kept as a surrogate)
    if stray is not None:
        raise QueryError("a byte here is not UTF-8 text (write the query in UTF-8)", stray.start())
    b = _Builder(text)
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:  # pragma: no cover - the word alternative matches anything else
            raise QueryError("cannot read this", pos)
        start, pos = m.start(), m.end()
        if m.group("space"):
            continue
        if m.group("word") == "NOT" and not m.group("neg4"):  # excludes the term after it, as - does (-NOT: the word excluded)
            if b.pending_not is not None:
                raise QueryError("NOT needs a word, phrase or filter after it", b.pending_not)
            b.pending_not = start
            continue
        excluded = bool(m.group("neg") or m.group("neg2") or m.group("neg3") or m.group("neg4"))
        if b.pending_not is not None:
            if excluded:
                raise QueryError("NOT and - both exclude: use one", start)
            excluded, b.pending_not = True, None
        if m.group("num"):
            _numeric(b, m, start, excluded)
        elif m.group("name"):
            _filter(b, m, start, excluded)
        elif m.group("phrase") is not None:
            phrase = m.group("phrase")
            if len(phrase) < 2 or not phrase.endswith('"'):
                raise QueryError("this quote is never closed", start + bool(m.group("neg3")))
            inner = " ".join(phrase[1:-1].split())
            if not inner:
                raise QueryError("empty phrase", start)
            if not any(ch.isalnum() for ch in inner):
                raise QueryError(f"'{m.group()}' has no letters or digits to search for", start)
            b.add_fts(_fts_string(inner), excluded, start)
        else:
            word = m.group("word")
            if word == "OR" and not m.group("neg4"):
                if excluded:  # (after NOT)
                    raise QueryError("NOT needs a word, phrase or filter after it", start)
                b.add_or(start)
                continue
            b.add_fts(_word(word, m.group(), start), excluded, start)
    if b.pending_not is not None:
        raise QueryError("NOT needs a word, phrase or filter after it", b.pending_not)
    if b.pending_or is not None:
        raise QueryError("OR needs a word or phrase after it", b.pending_or)
    return _finish(b)


def with_not_as_word(text: str) -> str:
    """``text``, a query of a Reader that searched a capital ``NOT`` as a word (before it
    excluded the term after it), with each such ``NOT`` written as the phrase ``"NOT"``:
    it finds what it found there (``-NOT`` is the word excluded, as it was)."""
    out, pos = [], 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:  # pragma: no cover - the word alternative matches anything else
            break
        out.append('"NOT"' if m.group("word") == "NOT" and not m.group("neg4") else m.group())
        pos = m.end()
    return "".join(out) + text[pos:]


def _word(word: str, token: str, position: int) -> str:
    """The FTS5 expression for ``word`` (``token`` is how the query spells it, for messages)."""
    prefix = word.endswith("*")
    core = word.rstrip("*")
    if not core:
        raise QueryError("'*' must follow the start of a word, as in faci*", position)
    if not any(ch.isalnum() for ch in core):
        raise QueryError(f"'{token}' has no letters or digits to search for", position)
    return _fts_string(core) + ("*" if prefix else "")


def _numeric(b: _Builder, m: re.Match[str], start: int, negated: bool) -> None:
    name, op, value = m.group("num").lower(), m.group("op"), m.group("numval")
    try:
        number = int(value)
    except ValueError:
        raise QueryError(f"{name}{op} needs a whole number, as in {name}>=50", m.start("numval")) from None
    if not MIN_INT <= number <= MAX_INT:  # (SQLite's integers: a bigger one cannot be compared)
        raise QueryError(f"{name}{op} takes a whole number of at most 18 digits", m.start("numval"))
    b.add_sql(f"a.{name} {op} ?", [number], negated, start)


def _filter_value(m: re.Match[str]) -> tuple[str, int]:
    raw = m.group("value")
    if raw.startswith('"'):
        if len(raw) < 2 or not raw.endswith('"'):
            raise QueryError("this quote is never closed", m.start("value"))
        raw = raw[1:-1]
    return " ".join(raw.split()), m.start("value")


# The spellings of a topic or an outlet whose name is ? once case is set aside in any
# script (? is its reader.folding.name_key; name_key is an SQL function of the library):
# each name that differs in more than ASCII case (NOCASE, the index's order) is looked at
# once, and the index then finds the articles of those. A topic's names are looked at one
# index step apart; an outlet's in one pass over the list's entries (the names listed once,
# then looked at): its index is absent while a first import runs, and each step would
# then read every entry.
_SPELLINGS_OF_TOPIC = (
    "(WITH RECURSIVE d(topic) AS (SELECT min(topic) FROM article_topics UNION ALL "
    "SELECT (SELECT min(topic) FROM article_topics WHERE topic > d.topic) FROM d WHERE d.topic IS NOT NULL) "
    "SELECT topic FROM d WHERE name_key(topic) = ?)"
)
_SPELLINGS_OF_PROVIDER = (
    "(WITH d(provider) AS MATERIALIZED (SELECT DISTINCT provider COLLATE NOCASE FROM entries) "
    "SELECT provider FROM d WHERE name_key(provider) = ?)"
)


def _filter(b: _Builder, m: re.Match[str], start: int, negated: bool) -> None:
    name = m.group("name").lower()
    if name not in FILTERS:
        known = ", ".join(f"{f}:" for f in FILTERS)
        raise QueryError(f"unknown filter '{m.group('name')}:' (known: {known}; quote a word to search for it)", start)
    value, at = _filter_value(m)
    if not value:
        raise QueryError(f"{name}: needs a value", at)
    if name == "topic":
        sql = f"a.rowid IN (SELECT t.article FROM article_topics t WHERE t.topic IN {_SPELLINGS_OF_TOPIC})"
        b.add_sql(sql, [name_key(value)], negated, start)
    elif name == "source":
        domain = value.lower().removeprefix("www.")
        if "." not in domain.strip("."):  # a name, or a bare top-level domain: not every .com site
            sql = f"(a.provider COLLATE NOCASE IN {_SPELLINGS_OF_PROVIDER} OR a.domain = ?)"
            b.add_sql(sql, [name_key(value), domain], negated, start)
            return
        pattern = "%." + re.sub(r"([\\%_])", r"\\\1", domain)  # subdomains; no wildcards
        sql = f"(a.provider COLLATE NOCASE IN {_SPELLINGS_OF_PROVIDER} OR a.domain = ? OR a.domain LIKE ? ESCAPE '\\')"
        b.add_sql(sql, [name_key(value), domain, pattern], negated, start)
    elif name == "label":  # the user's labels, kept by article id
        # (name_key once per label, not per labelled article: the labels' index finds their articles)
        sql = "a.id IN (SELECT l.id FROM article_labels l WHERE l.label IN (SELECT name FROM labels WHERE name_key(name) = ?))"
        b.add_sql(sql, [name_key(value)], negated, start)
    elif name == "lang":
        codes = codes_of(value)
        if codes is None:
            raise QueryError(f"lang: '{value}' is not a language (a code like en or sv, or a name like English)", at)
        b.add_sql(f"a.language IN ({', '.join('?' * len(codes))})", list(codes), negated, start)
    elif name == "is":
        state = value.lower()
        if state not in STATES:
            raise QueryError(f"is: takes {', '.join(STATES[:-1])} or {STATES[-1]}", at)
        b.add_sql(STATE_SQL[state], [], negated, start)
    else:  # before / after
        moment = _moment(name, value, at)
        sql = "a.published < ?" if name == "before" else "a.published >= ?"
        b.add_sql(sql, [moment], negated, start)


def combine(first: Query, second: Query | None) -> Query:
    """Articles matching both ``first`` and ``second`` (a saved search searched further)."""
    if second is None or second.is_empty:
        return first
    if first.is_empty:
        return second
    parts = [f"({m})" for m in (first.match, second.match) if m]
    match = " AND ".join(parts) if parts else None
    return Query(
        text=f"{first.text} {second.text}",
        match=match,
        where=first.where + second.where,
        params=first.params + second.params,
    )
def _moment(name: str, value: str, at: int) -> float:
    """``before:``/``after:``'s value as a timestamp: a date (its midnight UTC), or a date
    and time, with an offset or in UTC (2020-02-05T00:00+01:00)."""
    try:
        if len(value) <= 10:
            day = date.fromisoformat(value)
            return datetime(day.year, day.month, day.day, tzinfo=timezone.utc).timestamp()
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise QueryError(f"{name}: needs a date like 2020-02-05 (or 2020-02-05T00:00+01:00)", at) from None
    return (moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)).timestamp()


def _finish(b: _Builder) -> Query:
    parts = []
    for group in b.groups:
        part = group[0] if len(group) == 1 else "(" + " OR ".join(group) + ")"
        if part not in parts:
            parts.append(part)
    match = " AND ".join(parts) if parts else None
    where = list(b.where)
    params = list(b.params)
    if b.negative:
        where.append("a.rowid NOT IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)")
        params.append(" OR ".join(b.negative))
        # (nor in a full text fetched from its page: see reader.library.fulltext)
        where.append("a.id NOT IN (SELECT f.id FROM fulltexts_fts JOIN fulltexts f ON f.rowid = fulltexts_fts.rowid "
                     "WHERE fulltexts_fts MATCH ?)")
        params.append(" OR ".join(b.negative))
    return Query(text=b.text, match=match, where=tuple(where), params=tuple(params))
