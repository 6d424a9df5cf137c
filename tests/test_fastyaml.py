"""reader.fastyaml against PyYAML, the reference.

:func:`reader.fastyaml.load` must give exactly what ``yaml.load(text, Loader=CSafeLoader)``
gives (same types all the way down: bool is not int, aware is not naive, key order) or
:data:`~reader.fastyaml.DECLINED`; whenever PyYAML raises, it must decline. Checked over the
real corpus, the seeds, the tricky and bad catalogues and a generated corpus, at the level of
front-matter text and of whole documents (``parse_bytes`` with the fast path on and off),
and over hypothesis-generated front matter: PyYAML dumps of random values and hand-made YAML
with plain scalars that look like other types.
"""

from __future__ import annotations

import math
import re
import string
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from reader import documents, fastyaml
from reader.article import Article, Problem
from reader.documents import parse_bytes
from scripts import MAKE_CORPUS, load_script

try:
    from yaml import CSafeLoader as ReferenceLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as ReferenceLoader  # type: ignore[assignment]

pytestmark = pytest.mark.skipif(not fastyaml.AVAILABLE, reason="rapidyaml is not installed")

TESTS_DIR = Path(__file__).resolve().parent
REPO_DIR = TESTS_DIR.parent
REAL_DIRS = (TESTS_DIR / "data" / "corpus", REPO_DIR / "seeds")
CATALOGUE_DIRS = (TESTS_DIR / "data" / "tricky", TESTS_DIR / "data" / "bad")
GENERATED_COUNT = 1_500
#: At most this share of real and generated front matter may be left to PyYAML.
MAX_DECLINED_SHARE = 0.02

DECLINED = fastyaml.DECLINED
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --------------------------------------------------------------------------- comparing


def assert_same(fast: Any, slow: Any, where: str = "value") -> None:
    """``fast`` and ``slow`` are equal with the same type at every node: bool is not int,
    1.0 is not 1, an aware datetime is not a naive one, and keys come in the same order."""
    assert type(fast) is type(slow), f"{where}: {type(fast).__name__} {fast!r} != {type(slow).__name__} {slow!r}"
    if isinstance(slow, dict):
        assert len(fast) == len(slow), f"{where}: {fast!r} != {slow!r}"
        for n, ((fast_key, fast_value), (slow_key, slow_value)) in enumerate(zip(fast.items(), slow.items(), strict=True)):
            assert_same(fast_key, slow_key, f"{where}: key {n}")
            assert_same(fast_value, slow_value, f"{where}[{slow_key!r}]")
    elif isinstance(slow, (list, tuple)):
        assert len(fast) == len(slow), f"{where}: {fast!r} != {slow!r}"
        for n, (fast_item, slow_item) in enumerate(zip(fast, slow, strict=True)):
            assert_same(fast_item, slow_item, f"{where}[{n}]")
    elif isinstance(slow, float):
        if math.isnan(slow):
            assert math.isnan(fast), f"{where}: {fast!r} != nan"
        else:
            assert fast == slow and math.copysign(1, fast) == math.copysign(1, slow), f"{where}: {fast!r} != {slow!r}"
    elif isinstance(slow, datetime):
        assert (fast.tzinfo is None) == (slow.tzinfo is None), f"{where}: {fast!r} != {slow!r}"
        assert type(fast.tzinfo) is type(slow.tzinfo) and fast.utcoffset() == slow.utcoffset(), f"{where}: {fast!r} != {slow!r}"
        assert fast.replace(tzinfo=None) == slow.replace(tzinfo=None), f"{where}: {fast!r} != {slow!r}"
    else:
        assert fast == slow, f"{where}: {fast!r} != {slow!r}"


def test_assert_same_is_strict():
    for fast, slow in [
        (1, True),
        (0, False),
        (1.0, 1),
        ({"a": 1}, {"a": True}),
        ({1: "a"}, {True: "a"}),
        ({"a": 1, "b": 2}, {"b": 2, "a": 1}),
        ([None], [""]),
        (datetime(2020, 2, 5, 10), datetime(2020, 2, 5, 10, tzinfo=timezone.utc)),
        (datetime(2020, 2, 5, 10, tzinfo=timezone.utc), datetime(2020, 2, 5, 12, tzinfo=timezone(timedelta(hours=2)))),
        (date(2020, 2, 5), datetime(2020, 2, 5)),
        (0.0, -0.0),
        (float("nan"), 1.0),
        ("1", 1),
    ]:
        with pytest.raises(AssertionError):
            assert_same(fast, slow)
    assert_same({"a": [float("nan"), {1: None}]}, {"a": [float("nan"), {1: None}]})


def reference(text: str) -> tuple[bool, Any]:
    """``(True, value)`` from PyYAML, or ``(False, error)`` when it raises."""
    try:
        return True, yaml.load(text, Loader=ReferenceLoader)  # noqa: S506 - a safe loader
    except Exception as error:  # YAMLError, or ValueError from a constructor (2020-02-30)
        return False, error


def check_load(text: str) -> Any:
    """fastyaml's value for ``text`` (or DECLINED), after checking it against PyYAML."""
    fast = fastyaml.load(text)
    ok, slow = reference(text)
    if not ok:
        assert fast is DECLINED, f"PyYAML raises {type(slow).__name__} ({slow}) but fastyaml gives {fast!r} for {text!r}"
    elif fast is not DECLINED:
        assert_same(fast, slow, f"load({text!r})")
    return fast


# --------------------------------------------------------------------------- documents


def _load_make_corpus():
    return load_script(MAKE_CORPUS)


def _files(folder: Path) -> Iterator[tuple[str, bytes]]:
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            yield path.relative_to(REPO_DIR).as_posix(), path.read_bytes()


@pytest.fixture(scope="module")
def real_files() -> list[tuple[str, bytes]]:
    """The corpus (with ``_data``) and the seeds."""
    files = [item for folder in REAL_DIRS for item in _files(folder)]
    assert len(files) > 100
    return files


@pytest.fixture(scope="module")
def catalogue_files() -> list[tuple[str, bytes]]:
    """The tricky and bad documents."""
    files = [item for folder in CATALOGUE_DIRS for item in _files(folder)]
    assert len(files) > 30
    return files


@pytest.fixture(scope="module")
def generated_files(tmp_path_factory) -> list[tuple[str, bytes]]:
    """A generated corpus of :data:`GENERATED_COUNT` documents (news, plain text, broken)."""
    directory = tmp_path_factory.mktemp("generated")
    info = _load_make_corpus().make_corpus(GENERATED_COUNT, directory, seed=0)
    files = [(path.relative_to(directory).as_posix(), path.read_bytes()) for path in sorted(info.paths)]
    assert len(files) == GENERATED_COUNT
    return files


def front_matter(data: bytes, path: str) -> str | None:
    """The YAML text of a document, split the way documents.py splits it (None when the
    document has none: plain text, not UTF-8, never closed ...)."""
    try:
        text = documents.decode(data)
    except Exception:  # noqa: BLE001 - UTF-16, binary, invalid UTF-8: no YAML to compare
        return None
    if Path(path).suffix.lower() in documents.YAML_SUFFIXES:
        return text
    first_line, newline, rest = text.partition("\n")
    if first_line.rstrip() != "---" or not newline:
        return None
    closing = re.search(r"^(?:---|\.\.\.)[ \t]*$", rest, re.MULTILINE)
    return None if closing is None else rest[: closing.start()]


def _nests_too_deeply(text: str) -> bool:
    """Whether documents.py refuses ``text`` for its depth before any YAML loader sees it
    (libyaml would overflow the C stack on it)."""
    try:
        documents._check_depth(text)
    except documents._Invalid:
        return True
    return False


def check_front_matter(text: str) -> Any:
    """fastyaml against PyYAML on ``text`` as it is and as documents.py hands it over (stray
    control characters made spaces); the latter's result."""
    if _nests_too_deeply(text):
        fastyaml.load(text)  # must not crash; PyYAML is not asked
        return DECLINED
    handed_over = documents._NOT_YAML.sub(" ", text)
    if handed_over != text:
        check_load(text)
    return check_load(handed_over)


def test_front_matter_loads_the_same_in_every_document(real_files, catalogue_files, generated_files):
    declined: list[str] = []
    counted = 0
    for group, files in (("real", real_files), ("catalogue", catalogue_files), ("generated", generated_files)):
        for path, data in files:
            if group != "generated":
                # The whole file as YAML too: bodies, plain text and broken files are good
                # differential input (multi-document streams, long plain scalars, errors).
                text = data.decode("utf-8", "surrogateescape")
                if not _nests_too_deeply(text):
                    check_load(text)
            front = front_matter(data, path)
            if front is None:
                continue
            value = check_front_matter(front)
            if group != "catalogue":
                counted += 1
                if value is DECLINED:
                    declined.append(path)
    assert counted > 1_400
    assert len(declined) <= MAX_DECLINED_SHARE * counted, f"{len(declined)} of {counted} declined: {declined[:20]}"


# --------------------------------------------------------------------------- parse_bytes


@pytest.fixture
def fast_switch():
    """Restores documents.py's fast-YAML switch after the test."""
    before = documents._fast_yaml
    try:
        yield documents.use_fast_yaml
    finally:
        documents.use_fast_yaml(before)
    assert documents._fast_yaml == before


def assert_same_document(fast: object, slow: object, path: str) -> None:
    assert type(fast) is type(slow), f"{path}: {fast!r} != {slow!r}"
    assert fast == slow, path
    assert repr(fast) == repr(slow), path  # bool is not int, aware is not naive, in fields too
    if isinstance(slow, Article):
        assert isinstance(fast, Article)
        assert_same(dict(fast.extra), dict(slow.extra), f"{path}: extra")
    if isinstance(slow, Problem):
        assert isinstance(fast, Problem) and fast.reason == slow.reason, path


def parse_both(data: bytes, path: str) -> tuple[object, object]:
    """``parse_bytes`` with the fast path on and off; the switch is restored after."""
    before = documents._fast_yaml
    try:
        documents.use_fast_yaml(False)
        slow = parse_bytes(data, path)
        documents.use_fast_yaml(True)
        fast = parse_bytes(data, path)
    finally:
        documents.use_fast_yaml(before)
    return fast, slow


def test_documents_parse_the_same_with_the_fast_path(fast_switch, monkeypatch, real_files, catalogue_files, generated_files):
    results: list[object] = []
    real_load = fastyaml.load

    def spy(text: str) -> Any:
        results.append(real_load(text))
        return results[-1]

    monkeypatch.setattr(fastyaml, "load", spy)
    kinds: dict[str, int] = {}
    for path, data in real_files + catalogue_files + generated_files:
        fast, slow = parse_both(data, path)
        assert_same_document(fast, slow, path)
        kinds[type(slow).__name__] = kinds.get(type(slow).__name__, 0) + 1
    # The fast path really ran, and nearly always gave the value itself.
    assert len(results) > 1_400
    assert sum(result is DECLINED for result in results) <= MAX_DECLINED_SHARE * len(results)
    assert kinds["Article"] > 1_400 and kinds["Problem"] > 30 and kinds["Taxonomy"] >= 3


def test_the_switch_is_used_and_restored(fast_switch, monkeypatch):
    before = documents._fast_yaml
    calls: list[str] = []
    monkeypatch.setattr(fastyaml, "load", lambda text: calls.append(text) or DECLINED)
    data = b"---\ntitle: Hello\nquality: 3\n---\nBody\n"
    fast, slow = parse_both(data, "a.md")
    assert calls == ["title: Hello\nquality: 3\n"]  # only with the switch on; declined, so PyYAML
    assert_same_document(fast, slow, "a.md")
    assert isinstance(fast, Article) and fast.quality == 3
    assert documents._fast_yaml is before
    fast_switch(True)
    assert parse_bytes(data, "a.md") == slow and len(calls) == 2


# --------------------------------------------------------------------------- hypothesis: dumps

FIELD_NAMES = (
    "title",
    "excerpt",
    "publishedDateTime",
    "originalUrl",
    "webUrl",
    "sourceUrl",
    "url",
    "ampWebUrl",
    "ampUrl",
    "cdnAmpWebUrl",
    "quality",
    "heat",
    "published",
    "provider",
    "name",
    "domain",
    "images",
    "width",
    "height",
    "topics",
    "related",
    "secured",
    "category",
    "type",
    "taxonomy",
    "_id",
    "description",
    "keywords",
    "parents",
)
#: Strings that a YAML 1.1 resolver may read as something else when they are not quoted.
LOOKALIKES = (
    "yes", "Yes", "YES", "no", "No", "NO", "y", "Y", "n", "N", "on", "On", "ON", "off", "Off", "OFF",
    "true", "True", "TRUE", "false", "False", "FALSE", "tRUE", "yEs",
    "null", "Null", "NULL", "nULL", "~", "",
    "0", "-0", "+0", "00", "012", "09", "0x1F", "0X1F", "0x_1f", "0o17", "0b101", "0b_1", "-0b11", "1_000", "_1", "1_", "1__0",
    "123456789012345678901234567890", "-98765432109876543210", "+12",
    "1:30", "-1:30", "190:20:30", "1:30.5", "1:60", "1:3", "20:30:40.5",
    ".inf", ".Inf", ".INF", "-.inf", "+.inf", ".nan", ".NaN", ".NAN", "inf", "nan", "NaN",
    "1.0", "1.", ".5", "-.5", "+1.5", "1e3", "1.0e3", "1.0e+3", "1.0E-3", "1_000.5", "6.8523015e+5", "0.", "-0.0", "1e", "e3",
    "2020-02-05", "2020-2-5", "2020-02-5", "20-02-05", "2020-02-30", "2020-13-45", "0001-01-01", "9999-12-31",
    "2020-02-05T10:00:00Z", "2020-02-05t10:00:00z", "2020-02-05T10:00:00", "2020-02-05 10:00:00",
    "2020-02-05 10:00:00.5 +02:00", "2020-02-05T10:00:00.123456789-05:30", "2020-02-05T10:00:00+5",
    "2020-02-05   10:00:00 Z", "2020-02-05T1:00:00Z", "2020-02-05T25:00:00Z", "2020-02-05T10:00:00+24:00",
    "<<", "=", "-", "--", "---", "...", "?", ":", "!", "&", "*", "|", ">", "#", "%", "@", "`", ",",
    "- a", "? a", ": a", "a: b", "a:b", "a #b", "a#b", "#a", "@a", "`a", "!a", "&a", "*a", "%a", "|a", ">a",
    "[a]", "{a: b}", "a]", "a}", "a, b", "'a'", '"a"', "it's", 'say "hi"', "a\\nb", "\\", "C:\\dir",
    " lead", "trail ", "two  spaces", "a\nb", "a\n\nb", "\n", "line\n", "a\tb", "\t", "a\rb", "\x85", "\u2028", "\ufeff",
    "\x00", "\x07", "\x7f", "\x9f", "\ufffe",
    "\u00e9t\u00e9", "\u65e5\u672c\u8a9e", "\u0627\u0644\u0639\u0631\u0628\u064a\u0629", "\U0001f600", "\u200b", "\u00a0",
    "https://example.com/a?b=c&d=e#f", "http://x.com/a:b", "mailto:a@b.c", "a: b: c", "{{ template }}", "[[wiki]]",
)  # fmt: skip


def _timezones() -> st.SearchStrategy[timezone]:
    return st.integers(-(23 * 60 + 59), 23 * 60 + 59).map(lambda minutes: timezone(timedelta(minutes=minutes)))


SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(-(2**100), 2**100),
    st.floats(),
    st.sampled_from([float("inf"), float("-inf"), float("nan"), 0.0, -0.0, 1e300, 5e-324]),
    st.text(max_size=30),
    st.text(alphabet=string.printable, max_size=30),
    st.sampled_from(LOOKALIKES),
    st.dates(),
    st.datetimes(timezones=st.none() | st.just(timezone.utc) | _timezones()),
)
KEYS = st.one_of(
    st.sampled_from(FIELD_NAMES),
    st.sampled_from(LOOKALIKES),
    st.text(max_size=12),
    st.integers(-1000, 1000),
    st.booleans(),
    st.none(),
    st.dates(),
    st.floats(allow_nan=False),
)
VALUES = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(KEYS, children, max_size=3),
    max_leaves=8,
)
FRONT_MATTER = st.dictionaries(KEYS, VALUES, max_size=6)
DUMP_OPTIONS = st.fixed_dictionaries(
    {
        "default_flow_style": st.sampled_from([True, False, None]),
        "default_style": st.sampled_from([None, None, None, '"', "'", "|", ">"]),
        "allow_unicode": st.booleans(),
        "width": st.sampled_from([1, 10, 20, 40, 80, 1_000, 100_000]),
        "sort_keys": st.booleans(),
        "indent": st.sampled_from([2, 3, 4, 8]),
        "explicit_start": st.booleans(),
    }
)


def _dump(value: Any, options: dict[str, Any]) -> str:
    try:
        return yaml.safe_dump(value, **options)
    except TypeError:  # sort_keys with keys of different types
        return yaml.safe_dump(value, **{**options, "sort_keys": False})


def check_document(front: str, body: str = "Body.\n") -> None:
    """``front`` as the front matter of a document: the same with the fast path on and off."""
    data = ("---\n" + front.removeprefix("---\n") + "---\n" + body).encode("utf-8", "surrogatepass")
    fast, slow = parse_both(data, "doc.md")
    assert_same_document(fast, slow, repr(data))


@SETTINGS
@given(value=FRONT_MATTER, options=DUMP_OPTIONS, body=st.sampled_from(["", "Body.\n", "\n\nTwo\n\nparagraphs\n"]))
@example(value={"title": "yes", "quality": "0x1F", "when": "2020-02-05"}, options={"default_flow_style": False}, body="")
@example(value={"title": "On", "published": "yes", "quality": "012"}, options={}, body="")
@example(value={"a": "x" * 30 + "\n" + "y" * 30}, options={"width": 10, "allow_unicode": False}, body="")
@example(value={"k" * 1100: 1}, options={}, body="")
@example(value={"t": "\x85\u2028\ufeff"}, options={"allow_unicode": True}, body="")
def test_dumped_front_matter_loads_the_same(value, options, body):
    text = _dump(value, options)
    check_load(text)
    check_load(text.rstrip("\n"))  # the end of the text without its line break
    if isinstance(value, dict) and "title" not in value:
        text = _dump({"title": "A title", **value}, options)
    check_document(text, body)


# --------------------------------------------------------------------------- hypothesis: hand-made YAML

#: Plain scalars as they would be typed: look-alikes of other types, words, numbers, and
#: runs of YAML's indicator characters (mostly invalid where they start a scalar).
def _plain(alphabet: str, size: int) -> st.SearchStrategy[str]:
    return st.text(alphabet=alphabet, min_size=1, max_size=size).map(lambda text: text.strip() or "x")


PLAIN = st.one_of(
    st.sampled_from([s for s in LOOKALIKES if s and s.strip() == s and not set(s) & set("\n\t\r\x85\u2028")]),
    _plain("abcXYZ019 ._/-", 12),
    _plain("0123456789_:.eE+-", 10),
    _plain("ab0 #:,@`'\"!&*%|>[]{}.~=<-?", 6),
    _plain("aZ9 \u00e9\u65e5\U0001f600\u00a0", 6),
)
ESCAPES = (
    "\\n", "\\t", "\\\\", '\\"', "\\/", "\\ ", "\\0", "\\a", "\\e", "\\N", "\\_", "\\L", "\\P",
    "\\x41", "\\u00e9", "\\U0001F600", "\\q", "\\x4",
)  # fmt: skip
QUOTED_PIECES = st.lists(st.sampled_from(list("ab Z9:#,-'\"[]{}\u00e9\\ ") + list(ESCAPES)), max_size=8)


@st.composite
def double_quoted(draw) -> str:
    pieces = draw(QUOTED_PIECES)
    if draw(st.integers(0, 9)):  # mostly valid: quotes and lone backslashes escaped
        pieces = ["\\" + piece if piece in ('"', "\\") else piece for piece in pieces]
    return '"' + "".join(pieces) + '"'


@st.composite
def single_quoted(draw) -> str:
    inside = "".join(piece for piece in draw(QUOTED_PIECES) if len(piece) == 1)
    if draw(st.integers(0, 9)):  # mostly valid: quotes doubled
        inside = inside.replace("'", "''")
    return "'" + inside + "'"


INLINE_LEAF = st.one_of(PLAIN, PLAIN, double_quoted(), single_quoted())


@st.composite
def flow(draw) -> str:
    sep = draw(st.sampled_from([", ", ",", " , ", ",\n  "]))
    end = draw(st.sampled_from(["", "", ",", " "]))
    if draw(st.booleans()):
        return "[" + sep.join(draw(st.lists(st.one_of(INLINE_LEAF, INLINE_LEAF, st.just("[a, b]")), max_size=4))) + end + "]"
    pairs = draw(st.lists(st.tuples(INLINE_LEAF, st.sampled_from([": ", ": ", ":", " : ", ": \n  "]), INLINE_LEAF), max_size=4))
    return "{" + sep.join(key + colon + value for key, colon, value in pairs) + end + "}"


INLINE = st.one_of(PLAIN, PLAIN, PLAIN, double_quoted(), single_quoted(), flow())
KEY = st.one_of(st.sampled_from(FIELD_NAMES), PLAIN, PLAIN, double_quoted(), single_quoted())
COMMENT = st.sampled_from(["", "", "", "", " # comment", "  #", " #: x"])
BLANK_OR_COMMENT = st.sampled_from(["", "", "# comment", "  # indented comment", "   "])
BLOCK_HEADERS = st.sampled_from(["|", ">", "|-", ">-", "|+", ">+", "|1", ">2", "|2-", ">1+", "|+1", "| # c", ">-  "])
BLOCK_LINES = st.lists(
    st.sampled_from(
        ["text", "more text", "", "", "  more indented", " one more", "  ", "\u00e9\U0001f600"]
        + ["x: y", "# not a comment", "- item", "> quoted", "---", "a \\ b"]
    ),
    max_size=5,
)
MULTILINE_PARTS = st.lists(st.one_of(PLAIN, st.just("")), min_size=1, max_size=3)


@st.composite
def value_lines(draw, indent: int, depth: int) -> tuple[str, list[str]]:
    """What follows ``key:`` or ``-``: text for the same line and the lines after it."""
    kind = draw(st.sampled_from("iiiiibme" + ("MSS" if depth < 2 else "")))
    if kind == "i":  # inline: plain, quoted or flow
        return " " + draw(INLINE) + draw(COMMENT), []
    if kind == "e":  # empty
        return draw(st.sampled_from(["", " ", " ~", " # nothing"])), []
    if kind == "b":  # a block scalar
        inner = " " * (indent + draw(st.integers(1, 3)))
        lines = [inner + line if line else line for line in draw(BLOCK_LINES)]
        return " " + draw(BLOCK_HEADERS), lines + draw(st.sampled_from([[], [""], [inner], ["", ""]]))
    if kind == "m":  # a plain or quoted scalar over several lines
        first = draw(INLINE_LEAF)
        inner = " " * (indent + draw(st.integers(0, 3)))
        lines = [inner + part if part else "" for part in draw(MULTILINE_PARTS)]
        if first[0] in "'\"":  # the quote closes on the last line
            lines[-1] += first[-1]
            first = first[:-1]
        return " " + first, lines
    if kind == "M":
        return draw(COMMENT), draw(block_map(indent + draw(st.integers(1, 4)), depth + 1))
    return draw(COMMENT), draw(block_seq(indent + draw(st.integers(0, 3)), depth + 1))


@st.composite
def block_map(draw, indent: int = 0, depth: int = 0) -> list[str]:
    lines: list[str] = []
    for _ in range(draw(st.integers(1, 3))):
        key = draw(KEY)
        same_line, after = draw(value_lines(indent, depth))
        form = draw(st.integers(0, 19))
        if form == 0:  # an explicit key
            lines += [" " * indent + "? " + key, " " * indent + ":" + same_line]
        elif form == 1:  # blank before the colon
            lines.append(" " * indent + key + " :" + same_line)
        else:
            lines.append(" " * indent + key + ":" + same_line)
        lines += after
        if form == 2:
            lines.append(draw(BLANK_OR_COMMENT))
    return lines


@st.composite
def block_seq(draw, indent: int = 0, depth: int = 0) -> list[str]:
    lines: list[str] = []
    for _ in range(draw(st.integers(1, 3))):
        if depth < 2 and draw(st.integers(0, 3)) == 0:  # - key: value (a compact mapping)
            entries = draw(block_map(indent + 2, depth + 1))
            lines.append(" " * indent + "- " + entries[0][indent + 2 :])
            lines += entries[1:]
        else:
            same_line, after = draw(value_lines(indent, depth))
            lines.append(" " * indent + "-" + same_line)
            lines += after
    return lines


@st.composite
def hand_made_yaml(draw) -> str:
    lines = draw(block_map()) if draw(st.integers(0, 5)) else draw(block_seq())
    start = draw(st.sampled_from(["", "", "", "---\n", "--- # start\n", "# comment\n", "\n"]))
    end = draw(st.sampled_from(["\n", "\n", "\n", "", "\n\n", "\n# end\n", "\n...\n", "\n---\n"]))
    return start + "\n".join(lines) + end


@SETTINGS
@given(text=hand_made_yaml())
@example(text="title: yes\nquality: 0x1F\nwhen: 2020-02-05\nat: 1:30\n")
@example(text="yes: no\n0x1F: 1_000\n2020-02-05: 2020-02-05T10:00:00Z\n~: .inf\n")
@example(text="a: |\n  x")
@example(text="a: >+\n  x\n\n")
@example(text="'a': '' \n\"b\": \"\\u00e9\"\n")
@example(text="a: 'b\n  c': d\n")
@example(text="- x: \"a\n   b\": c\n")
@example(text="{a\n b: c}\n")
@example(text="[a:, b]\n")
@example(text="[?x]\n")
@example(text="- ? title\n  : >1+\n    \n")
@example(text="? title\n: | -\n")
@example(text="? title\n: {yes: yes, yes: yes, yes: a #b}\n")  # a comment swallows the flow mapping's end
def test_hand_made_yaml_loads_the_same(text):
    check_load(text)
    if text.rstrip("\n"):
        check_document("title: A title\n" + text.removeprefix("---\n").rstrip("\n") + "\n")


# --------------------------------------------------------------------------- declining

MUST_DECLINE = {
    "anchor": "a: &x 1\n",
    "alias": "a: &x 1\nb: *x\n",
    "anchored mapping": "base: &base\n  a: 1\n",
    "alias in a list": "a: &x [1]\nb: [*x, *x]\n",
    "merge key": "base: &x {a: 1}\nc:\n  <<: *x\n  b: 2\n",
    "merge key, plain": "<<: {a: 1}\n",
    "merge key, alone": "a:\n  <<: b\n",
    "str tag": "a: !!str 1\n",
    "int tag": "a: !!int '12'\n",
    "binary tag": "a: !!binary aGk=\n",
    "custom tag": "a: !custom x\n",
    "tag on a mapping": "a: !!map {b: 1}\n",
    "verbatim tag": "a: !<tag:yaml.org,2002:str> 1\n",
    "empty tag": "a: !\n",
    "complex key (list)": "? [a, b]\n: c\n",
    "complex key (mapping)": "? {a: b}\n: c\n",
    "flow complex key": "{[a]: b}\n",
    "tab in a value": "a: b\tc\n",
    "tab indentation": "a:\n\tb: 1\n",
    "tab after the colon": "a:\t1\n",
    "CR line ends": "a: 1\r\nb: 2\r\n",
    "lone CR": "a: 1\rb: 2\n",
    "value key": "=: a\n",
    "unclosed flow list": "a: [b, c\n",
    "unclosed quote": 'a: "b\n',
    "bad indentation": "a:\n  b: 1\n c: 2\n",
    "two colons": "a: b: c\n",
    "two documents": "a: 1\n---\nb: 2\n",
    "stray document end": "...\na: 1\n",
    "directive": "%YAML 1.1\n---\na: 1\n",
    "unknown directive": "%FOO bar\n---\na: 1\n",
    "reserved indicator": "a: @b\n",
    "backquote": "a: `b\n",
    "closing bracket": "a: ]\n",
    "control character": "a: b\x01c\n",
    "DEL": "a: \x7f\n",
    "NEL": "a: b\x85c\n",
    "line separator": "a: b\u2028c\n",
    "escaped line separators after an escaped backslash": 'k: "\\\\a\\L\\L"\n',
    "escaped paragraph separator": 'k: "\\P"\n',
    "byte order mark on a line": "a: x\n\ufeffb: 1\n",
    "no key": ": x\n",
    "empty explicit key": "? \n: x\n",
    "multi-line quoted key": 'a:\n  "b\n  c": d\n',
    "multi-line flow key": "{a\n b: c}\n",
    "colon before a flow indicator": "{a:, b}\n",
    "key over 1024 characters": "k" * 1025 + ": v\n",
    "impossible date": "a: 2020-02-30\n",
    "impossible month": "a: 2020-13-45\n",
    "block scalar at the end": "a: |\n  x",
    "text after a block scalar header": "a: | -\n  text\n",
    "indentation indicator, blank lines only": "a: |1\n   \n",
    "nested too deeply for Python": "[" * 5_000 + "]" * 5_000 + "\n",
    "lone surrogate": "a: \udc80\n",
}


@pytest.mark.parametrize("text", MUST_DECLINE.values(), ids=MUST_DECLINE.keys())
def test_declines(text):
    assert fastyaml.load(text) is DECLINED
    if not text.startswith("[" * 100):
        check_load(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "---\n",
        "# only a comment\n",
        "a: 1\n",
        "title: yes\nquality: 0x1F\nheat: 0o17\nold: 012\nbig: 1_000\ntime: 1:30\ninf: .inf\nnothing: ~\n",
        "d: 2020-02-05\nt: 2020-02-05T10:00:00Z\nu: 2020-02-05 10:00:00.5 +02:00\n",
        "'yes': \"no\"\n'': ''\n",
        "a: |-\n  x\n  y\nb: >+\n  z\n\nc: 1\n",
        "topics: [AI, 'Machine Learning', \"Deep\\tLearning\"]\n",
        "a: b # comment\n# c\n",
        "- a\n- b: c\n  d: e\n-\n",
    ],
)
def test_plain_front_matter_is_not_declined(text):
    assert check_load(text) is not DECLINED
