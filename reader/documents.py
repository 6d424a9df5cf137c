"""Turn one document (bytes or a path) into an :class:`Article`, a :class:`Taxonomy` or a
:class:`Problem`.

Four kinds of documents are understood:

* news documents: YAML front matter between a first line ``---`` and a closing ``---``
  (or ``...``), optionally followed by a body;
* plain article text with no front matter;
* taxonomy definitions (a ``taxonomy:`` key), as front matter or as a whole ``.yaml`` file;
* feed files (RSS, Atom, JSON Feed), recognised by their content and read by
  :mod:`reader.feeds` into a :class:`~reader.feeds.Feed` of many articles.

:func:`parse_bytes` and :func:`parse_path` never raise: anything that cannot be read becomes
a :class:`Problem` with a one-line reason. YAML is read with PyYAML's safe loader (the C one
from libyaml when present); the unsafe loaders are never used.
"""

from __future__ import annotations

import errno
import hashlib
import math
import os
import re
import stat
import unicodedata
from collections.abc import Mapping
from datetime import date, datetime, timezone
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

import yaml

from reader.article import MAX_INT, MIN_INT, JSON, Article, Document, Image, Kind, Problem, Provider, Related, Taxonomy
from reader import fastyaml, language
from reader.feeds import looks_like_feed, parse_feed_bytes
from reader.folding import nfc
from reader.plaintext import read_plain_text
from reader.timefmt import dated
from reader.urls import clean_url, identity_key

try:  # libyaml is ~8x faster; the pure-Python loader gives the same values.
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader  # type: ignore[assignment]

#: Files larger than this are refused without being read (news documents are a few kB).
MAX_FILE_BYTES = 5 * 1024 * 1024
#: Deepest nesting of lists and mappings accepted in front matter.
MAX_NESTING = 64
#: Most values (after expanding YAML aliases) accepted in the fields Reader keeps.
MAX_VALUES = 20_000
MAX_TITLE_CHARS = 1_000
YAML_SUFFIXES = frozenset({".yaml", ".yml"})

#: Front-matter keys that become Article fields (everything else goes to ``extra``).
_URL_KEYS = ("originalUrl", "webUrl", "sourceUrl", "url")
_AMP_KEYS = ("ampWebUrl", "ampUrl")
_LANGUAGE_KEYS = ("language", "lang")
_MODELLED = frozenset(
    {
        "title",
        "excerpt",
        "publishedDateTime",
        *_URL_KEYS,
        *_AMP_KEYS,
        "quality",
        "heat",
        "published",
        "provider",
        "topics",
        "images",
        "related",
        *_LANGUAGE_KEYS,
    }
)
#: Opaque values that are neither shown nor kept.
_DROPPED = frozenset({"secured"})

_CLOSING = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
#: Characters YAML refuses anywhere in a document (control characters, U+FFFE, U+FFFF), and
#: those it reads as line breaks where the file has none (U+0085, U+2028, U+2029): a NEL
#: pasted into an unquoted title would otherwise end the value mid-line.
_NOT_YAML = re.compile("[^\t\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_DEEP_INDENT = re.compile(r"^[ \t]{200,}", re.MULTILINE)
_LONG_INDENT = " " * 200
_COMPACT_RUN = re.compile(r"(?:[-?][ \t]+){%d,}" % MAX_NESTING)

#: Bytes that are printable Latin-1 characters (or tab, LF, CR) on their own.
_LATIN_BYTES = frozenset(b"\t\n\r" + bytes(range(0x20, 0x7F)) + bytes(range(0xA0, 0x100)))

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a zip archive"),
    (b"%PDF", "a PDF file"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"RIFF", "a RIFF (WebP, WAV or AVI) file"),
    (b"\x7fELF", "a program"),
    (b"SQLite format 3\x00", "an SQLite database"),
)


class _Invalid(Exception):
    """A field that cannot be used; its message is the Problem's reason."""


#: What a value of a YAML type must be, for reasons (``!!int ''`` is not a whole number).
_TAG_NAMES = {"int": "a whole number", "float": "a number", "bool": "true or false", "timestamp": "a date"}


class _Loader(SafeLoader):
    """The safe loader, saying which value it could not build and where.

    PyYAML's constructors fail with whatever Python raises on values such as 2020-13-45,
    ``!!int ''``, ``!!bool maybe`` or ``!!timestamp yesterday`` (ValueError, IndexError,
    KeyError, AttributeError); that becomes a YAML error on the value's line.
    """

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except (ValueError, LookupError, AttributeError, TypeError) as error:
            tag = str(node.tag).rpartition(":")[2]
            problem = f"'{_short(node.value)}' is not {_TAG_NAMES.get(tag, f'a valid !!{tag}')}"
            if tag == "timestamp" and isinstance(error, ValueError) and str(error):
                problem += f" ({_short(str(error), 60)})"  # e.g. month must be in 1..12
            raise yaml.constructor.ConstructorError(None, None, problem, node.start_mark) from None


# --------------------------------------------------------------------------- entry points


def parse_path(path: str | os.PathLike[str]) -> Document:
    """Read and parse the file at ``path``. Never raises."""
    name = os.fspath(path)
    data = _read(name)
    return data if isinstance(data, Problem) else parse_bytes(data, name)


def parse_path_lean(path: str | os.PathLike[str]) -> Document | NewsFields:
    """:func:`parse_path`, except that a news document whose front matter the fast YAML
    reader read (see :func:`use_fast_yaml`) comes back as :class:`NewsFields`: the values
    the library stores, built without the :class:`Article` (and its images, related
    entries and provider) in between. Anything unusual takes the full way. Never raises."""
    name = os.fspath(path)
    data = _read(name)
    if isinstance(data, Problem):
        return data
    return _parse_safely(data, name, lean=True)


def _read(name: str) -> bytes | Problem:
    """The content of the file ``name``, or why it cannot be read."""
    try:
        info = os.stat(name)
        if stat.S_ISDIR(info.st_mode):
            return Problem(name, "is a folder, not a document")
        if not stat.S_ISREG(info.st_mode):
            return Problem(name, "not a regular file (a device, pipe or socket)")
        if info.st_size > MAX_FILE_BYTES:
            return Problem(name, f"too large: {_size(info.st_size)} (documents may be at most {_size(MAX_FILE_BYTES)})")
        with open(name, "rb") as handle:
            # Asking for the size found lets read() allocate that much, not 5 MB every time.
            data = handle.read(info.st_size + 1)
            if len(data) > info.st_size:  # grew since: read on, up to the limit
                data += handle.read(MAX_FILE_BYTES + 1 - len(data))
    except OSError as error:
        return Problem(name, _os_reason(error))
    if len(data) > MAX_FILE_BYTES:  # grew between stat and read
        return Problem(name, f"too large: more than {_size(MAX_FILE_BYTES)}")
    return data


def parse_bytes(data: bytes, path: str = "") -> Document:
    """Parse the content of one document. ``path`` names it (and its suffix picks YAML
    files). Never raises."""
    document = _parse_safely(data, path, lean=False)
    assert not isinstance(document, NewsFields)  # (only when lean)
    return document


def _parse_safely(data: bytes, path: str, *, lean: bool) -> Document | NewsFields:
    try:
        return _parse(data, path, lean=lean)
    except _Invalid as invalid:
        return Problem(path, _one_line(str(invalid)))
    except RecursionError:
        return Problem(path, "nested too deeply")
    except MemoryError:
        return Problem(path, "too large to read")
    except Exception as error:  # a bug, not the document's fault; still never crash
        return Problem(path, _one_line(f"could not be read ({type(error).__name__}: {error})"))


# --------------------------------------------------------------------------- decoding


def decode(data: bytes) -> str:
    """``data`` as text with ``\\n`` line endings. Raises :class:`_Invalid`."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _Invalid("encoded as UTF-16; Reader reads UTF-8 documents")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    head = data[:8192]
    for magic, what in _MAGIC:
        if head.startswith(magic):
            raise _Invalid(f"not a text document: it is {what}")
    if b"\x00" in head:
        if _looks_like_utf16(head):
            raise _Invalid("encoded as UTF-16; Reader reads UTF-8 documents")
        raise _Invalid("not a text document: it holds binary data (NUL bytes)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        before = data[: error.start]  # lines end with LF, CRLF or a lone CR
        line = before.count(b"\n") + before.count(b"\r") - before.count(b"\r\n") + 1
        raise _Invalid(f"not UTF-8: line {line} has the invalid byte 0x{data[error.start]:02X}") from None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _looks_like_utf16(head: bytes) -> bool:
    """Whether ``head`` reads as UTF-16 text without a byte-order mark: nearly every pair of
    bytes is a Latin character and a NUL, in one order or the other."""
    pairs = len(head) // 2
    if pairs < 4:
        return False
    first, second = head[0 : 2 * pairs : 2], head[1 : 2 * pairs : 2]
    for low, high in ((first, second), (second, first)):
        latin = sum(1 for lo, hi in zip(low, high, strict=False) if hi == 0 and lo in _LATIN_BYTES)
        if latin >= 0.9 * pairs:
            return True
    return False


def _parse(data: bytes, path: str, *, lean: bool = False) -> Document | NewsFields:
    if not data:
        raise _Invalid("empty file")
    if looks_like_feed(data):  # RSS, Atom or JSON Feed: many articles (see reader.feeds)
        return parse_feed_bytes(data, path)  # type: ignore[return-value]
    text = decode(data)
    if not text.strip():
        raise _Invalid("empty file (only blank space)")
    if Path(path).suffix.lower() in YAML_SUFFIXES:
        fields = _spelled_language(_load_yaml(text, first_line=1), text)
        return _from_fields(fields, "", path)
    first_newline = text.find("\n")
    first_line = text if first_newline < 0 else text[:first_newline]
    if first_line.rstrip() != "---":
        return _from_plain_text(text, path)
    closing = _closing_line(text, first_newline) if first_newline >= 0 else None
    if closing is None:
        raise _Invalid("front matter never closed (no '---' line after the one on line 1)")
    front = text[first_newline + 1 : closing.start()]
    body = text[closing.end() :].strip("\n")
    fields, fast = _load_yaml_how(front, first_line=2)
    fields = _spelled_language(fields, front)
    if lean and fast and type(fields) is dict and "taxonomy" not in fields:
        try:
            return _news_fields(fields, body)
        except Exception:  # anything unusual: the full way, which words any problem
            pass
    return _from_fields(fields, body, path)


def _closing_line(text: str, newline: int) -> re.Match[str] | None:
    """The first line after the one ending at ``newline`` that closes front matter: what
    ``_CLOSING.search(text, newline + 1)`` finds, with the regular expression tried only
    where a line starts with ``---`` or ``...`` (several times faster on a long text)."""
    found: re.Match[str] | None = None
    for marker in ("\n---", "\n..."):
        at = text.find(marker, newline)
        while at >= 0 and (found is None or at < found.start()):
            match = _CLOSING.match(text, at + 1)
            if match:
                found = match
                break
            at = text.find(marker, at + 1)
    return found


_fast_yaml = False


def use_fast_yaml(enabled: bool) -> None:
    """Read front matter with :mod:`reader.fastyaml` in this process (PyYAML whenever it
    declines). Meant for sync worker processes; see that module."""
    global _fast_yaml
    _fast_yaml = enabled and fastyaml.AVAILABLE


def _load_yaml(source: str, first_line: int) -> Mapping[Any, Any]:
    """The YAML mapping in ``source`` (which starts on file line ``first_line``)."""
    return _load_yaml_how(source, first_line)[0]


def _load_yaml_how(source: str, first_line: int) -> tuple[Mapping[Any, Any], bool]:
    """:func:`_load_yaml`, and whether the fast reader gave it (it declines aliases, tags,
    nesting deeper than :data:`MAX_NESTING` ...)."""
    if not source.strip():
        raise _Invalid("front matter is empty")
    # Stray control characters (pasted from web pages) would make YAML refuse the whole
    # document, or split a value; they become spaces, as they do in titles. The length
    # stays the same.
    source = _NOT_YAML.sub(" ", source)
    _check_depth(source)
    value = fastyaml.load(source) if _fast_yaml else fastyaml.DECLINED
    fast = value is not fastyaml.DECLINED
    try:
        if not fast:
            value = yaml.load(source, Loader=_Loader)  # noqa: S506 - a safe loader
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        problem = error.problem or error.context or "invalid YAML"
        where = ""
        if mark is not None:
            # Counted from the character index, so it is the file's line whatever YAML
            # counts as a line break.
            line = source.count("\n", 0, mark.index) + first_line
            where = f"line {line}: "
            if _tab_indented(source, mark.index):
                problem = "indented with a tab (YAML indents with spaces)"
        raise _Invalid(f"{where}{problem}") from None
    except yaml.YAMLError as error:
        raise _Invalid(f"invalid YAML: {error}") from None
    except ValueError as error:  # the constructor met e.g. the timestamp 2020-13-45
        raise _Invalid(f"front matter holds an impossible value ({error})") from None
    if value is None:
        raise _Invalid("front matter is empty")
    if not isinstance(value, Mapping):
        raise _Invalid(f"front matter is {_describe(value)}, not a set of fields")
    return value, fast


def _tab_indented(source: str, index: int) -> bool:
    """Whether ``index`` points into the indentation of its line and that holds a tab."""
    lead = source[source.rfind("\n", 0, index) + 1 : index + 1]
    return "\t" in lead and not lead.strip(" \t")


_TOO_DEEP = f"front matter is nested too deeply (more than {MAX_NESTING} levels)"
#: How libyaml words its own nesting limit (1,000 levels), which can fire before ours.
_LIBYAML_TOO_DEEP = "exceeded maximum nesting depth"


_TOO_MANY = f"front matter has too many values (more than {MAX_VALUES:,})"
#: Characters before which a YAML node can start (besides a line's start): flow and block
#: indicators. A document with few of them cannot hold many values.
_NODE_MARKS = (",", "[", "{", "-", ":", "?")


def _check_depth(source: str) -> None:
    """Refuse nesting deeper than :data:`MAX_NESTING`, and more than :data:`MAX_VALUES`
    values, while parsing and before anything is built.

    libyaml composes nodes recursively and overflows the C stack on very deep input, and
    both YAML readers build every node of a long list (a 5 MB list is a million nodes and
    hundreds of megabytes) before a limit on the result could apply; so this must happen
    first. The cheap tests only send suspicious input to the exact check, which walks
    parser events (iteratively, one at a time), counts depth and values, and stops at the
    first one over a limit.
    """
    has_tabs = "\t" in source
    deep = (
        source.count("[") + source.count("{") > MAX_NESTING
        # (the substring counts are cheap and rule the regular expressions out for most text)
        or ((has_tabs or _LONG_INDENT in source) and _DEEP_INDENT.search(source) is not None)
        or (
            (has_tabs or source.count("- ") + source.count("? ") >= MAX_NESTING)
            and _COMPACT_RUN.search(source) is not None
        )
    )
    # Every node starts a line or follows one of _NODE_MARKS, and one mark starts at most a
    # few nodes (``{a`` is a mapping, a key and its empty value): a bound on the values.
    many = len(source) > MAX_VALUES and 3 * (source.count("\n") + sum(map(source.count, _NODE_MARKS)) + 1) > MAX_VALUES
    if not (deep or many):
        return
    depth = values = 0
    #: For each open collection: whether it is a mapping, and how many nodes it holds so far.
    open_nodes: list[list[int]] = []
    try:
        for event in yaml.parse(source, Loader=SafeLoader):
            if isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent, yaml.CollectionStartEvent)):
                if open_nodes:
                    parent = open_nodes[-1]
                    if not (parent[0] and parent[1] % 2 == 0):  # a mapping's keys are not values
                        values += 1
                        if values > MAX_VALUES:
                            raise _Invalid(_TOO_MANY)
                    parent[1] += 1
                if isinstance(event, yaml.CollectionStartEvent):
                    depth += 1
                    if depth > MAX_NESTING:
                        raise _Invalid(_TOO_DEEP)
                    open_nodes.append([isinstance(event, yaml.MappingStartEvent), 0])
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
                open_nodes.pop()
    except yaml.YAMLError as error:
        # libyaml 0.2.6 and later (in PyYAML 6.0.4's wheels) refuse deep flow nesting in
        # the scanner, which reads ahead of the events counted here.
        if _LIBYAML_TOO_DEEP in str(error):
            raise _Invalid(_TOO_DEEP) from None
        return  # the real load reports the syntax error with its line


# --------------------------------------------------------------------------- building


def _from_plain_text(text: str, path: str) -> Article:
    # Control characters are not text: a line of them must not become an empty title.
    plain = read_plain_text(_CONTROL.sub(" ", text))
    if plain is None:
        raise _Invalid("no text (only blank space and control characters)")
    title = _clean_title(plain.title)
    return Article(
        id=_content_id(title, plain.excerpt, plain.body),
        path=path,
        kind=Kind.TEXT,
        title=title,
        excerpt=plain.excerpt,
        body=plain.body,
        language=language.detect(title, plain.excerpt, plain.body),
    )


def _from_fields(fields: Mapping[Any, Any], body: str, path: str) -> Article | Taxonomy:
    if "taxonomy" in fields:
        return _taxonomy(fields, path)
    title = _clean_title(_text(fields, "title"))
    if not title:
        raise _Invalid("title is missing")
    excerpt = _text(fields, "excerpt")
    url = _first_url(fields, _URL_KEYS)
    amp_url = _first_url(fields, _AMP_KEYS)
    extra = _extra(fields)
    for key in ("webUrl", "sourceUrl", "url"):  # the alternative link, when it differs
        other = _url(fields, key)
        if other and other != url and key not in extra:
            extra[key] = other
    notes: list[str] = []
    published = _datetime(fields, "publishedDateTime", notes)
    provider = _provider(fields.get("provider"))  # (in this order: the first fault is the one named)
    topics = _topics(fields)
    images = _images(fields.get("images"), "images")
    related = _related(fields, notes)
    return Article(
        id=_url_id(url) if url else _content_id(title, excerpt, body),
        path=path,
        kind=Kind.NEWS,
        title=title,
        excerpt=excerpt,
        body=body,
        published=published,
        url=url,
        amp_url=amp_url,
        provider=provider,
        topics=topics,
        images=images,
        related=related,
        quality=_int(fields, "quality"),
        heat=_int(fields, "heat"),
        featured=_bool(fields, "published"),
        language=_language(fields) or language.detect(title, excerpt, body),
        extra=MappingProxyType(extra),
        notes=tuple(notes),
    )


#: ``language: no`` (Norwegian), which YAML 1.1 reads as false, at the top of front matter.
_NO_LANGUAGE = re.compile(r"^(language|lang)[ \t]*:[ \t]+(?:no|No|NO)[ \t]*(?:#.*)?$", re.MULTILINE)


def _spelled_language(fields: Any, source: str) -> Any:
    """``fields`` with a language YAML read as false because it is spelled ``no`` (the code
    of Norwegian) as that code; ``false`` or ``off`` stay no language."""
    if not isinstance(fields, dict) or not any(fields.get(key) is False for key in _LANGUAGE_KEYS):
        return fields
    spelled = {found.group(1) for found in _NO_LANGUAGE.finditer(source)}
    keys = [key for key in _LANGUAGE_KEYS if fields.get(key) is False and key in spelled]
    return {**fields, **dict.fromkeys(keys, "no")} if keys else fields


def _language(fields: Mapping[Any, Any]) -> str | None:
    """The language the document declares, if any (detection fills in the rest)."""
    for key in _LANGUAGE_KEYS:
        found = language.declared(fields.get(key))
        if found:
            return found
    return None


def _taxonomy(fields: Mapping[Any, Any], path: str) -> Taxonomy:
    kind = _text(fields, "taxonomy") or "taxonomy"
    key = _text(fields, "_id")
    name = nfc(_text(fields, "name") or key)
    if not name:
        raise _Invalid(f"{kind} definition without a name or _id")
    return Taxonomy(
        id=f"{kind}:{key or name}".lower(),
        path=path,
        taxonomy=kind,
        name=name,
        domain=_text(fields, "domain"),
        description=_text(fields, "description"),
        keywords=_text_list(fields, "keywords"),
        parents=_text_list(fields, "parents"),
    )


def _url_id(url: str) -> str:
    return hashlib.sha256(b"url\0" + identity_key(url).encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _content_id(title: str, excerpt: str | None, body: str) -> str:
    normal = "\n".join(" ".join(part.split()) for part in (title, excerpt or "", body))
    normal = unicodedata.normalize("NFC", normal)
    return hashlib.sha256(b"text\0" + normal.encode("utf-8", "surrogatepass")).hexdigest()[:16]


# --------------------------------------------------------------------------- the lean way


class NewsFields(NamedTuple):
    """A news document as the library keeps it, built straight from its front matter (see
    :func:`parse_path_lean`): what an :class:`Article` would hold, with its images, related
    entries and unmodelled fields already as JSON-compatible values (the shape the library
    writes), and the provider as three values."""

    id: str
    title: str
    excerpt: str | None
    body: str
    published: datetime | None
    url: str | None
    amp_url: str | None
    provider: str | None
    provider_domain: str | None
    provider_icon: str | None
    topics: tuple[str, ...]
    images: list[dict[str, JSON]]
    related: list[dict[str, JSON]]
    quality: int | None
    heat: int | None
    featured: bool
    language: str | None
    extra: dict[str, JSON]


class _Unsure(Exception):
    """The lean way does not build this document: the full way does (and words any problem)."""


def _news_fields(fields: dict[Any, Any], body: str) -> NewsFields:
    """What :func:`_from_fields` gives for a news document, as :class:`NewsFields`.

    Only for fields the fast YAML reader gave (no aliases, nesting within
    :data:`MAX_NESTING`, so the value limits of :func:`_extra` cannot apply); anything else
    unusual raises, and the caller takes the full way. ``tests/test_lean.py`` holds the two
    ways together, row by row.
    """
    title = _clean_title(_text(fields, "title"))
    if not title:
        raise _Unsure
    excerpt = _text(fields, "excerpt")
    url = _first_url(fields, _URL_KEYS)
    extra: dict[str, JSON] = {}
    budget = [MAX_VALUES]
    for key, value in fields.items():
        name = str(key)
        if name not in _MODELLED and name not in _DROPPED:
            extra[name] = _to_json(value, budget, 0)
    for key in ("webUrl", "sourceUrl", "url"):  # the alternative link, when it differs
        other = _url(fields, key)
        if other and other != url and key not in extra:
            extra[key] = other
    provider = _lean_provider(fields.get("provider"))
    return NewsFields(
        id=_url_id(url) if url else _content_id(title, excerpt, body),
        title=title,
        excerpt=excerpt,
        body=body,
        published=_datetime(fields, "publishedDateTime"),
        url=url,
        amp_url=_first_url(fields, _AMP_KEYS),
        provider=provider[0] if provider else None,
        provider_domain=provider[1] if provider else None,
        provider_icon=provider[2] if provider else None,
        topics=_topics(fields),
        images=_lean_images(fields.get("images")),
        related=_lean_related(fields.get("related")),
        quality=_int(fields, "quality"),
        heat=_int(fields, "heat"),
        featured=_bool(fields, "published"),
        language=_language(fields) or language.detect(title, excerpt, body),
        extra=extra,
    )


def _lean_provider(value: object) -> tuple[str, str | None, str | None] | None:
    """:func:`_provider` as (name, domain, icon URL)."""
    if value is None:
        return None
    if type(value) is str:
        text = nfc(value.strip())
        return (text, None, None) if text else None
    if type(value) is not dict:
        raise _Unsure
    name = nfc(_as_text(value.get("name"), ""))
    domain = _as_text(value.get("domain"), "")
    icons = _lean_images(value.get("images"))
    if not (name or domain):
        return None
    return (name or domain or "", domain, icons[0]["url"] if icons else None)  # type: ignore[return-value]


def _lean_images(value: object) -> list[dict[str, JSON]]:
    """:func:`_images`, as the library writes them."""
    if value is None:
        return []
    if type(value) is not list:
        raise _Unsure
    images: list[dict[str, JSON]] = []
    for item in value:
        if type(item) is str:
            item = {"url": item}
        if type(item) is not dict:
            raise _Unsure
        url = _as_text(item.get("url"), "")
        if not url:
            continue
        images.append(
            {
                "url": clean_url(url),
                "width": _as_int(item.get("width"), ""),
                "height": _as_int(item.get("height"), ""),
                "title": _as_text(item.get("title"), "") or _as_text(item.get("caption"), ""),
            }
        )
    return images


def _lean_related(value: object) -> list[dict[str, JSON]]:
    """:func:`_related`, as the library writes it."""
    if value is None:
        return []
    if type(value) is not list:
        raise _Unsure
    entries: list[dict[str, JSON]] = []
    for item in value:
        if type(item) is not dict:
            raise _Unsure
        url = None
        for key in _URL_KEYS:
            text = _as_text(item.get(key), "")
            if text:
                url = clean_url(text)
                break
        title = _clean_title(_as_text(item.get("title"), "")) or url
        if not title:
            continue
        published = _as_datetime(item.get("publishedDateTime"), "")
        provider = _lean_provider(item.get("provider"))
        entries.append(
            {
                "title": title,
                "url": url,
                "excerpt": _as_text(item.get("excerpt"), ""),
                "published": published.timestamp() if published is not None else None,
                "provider": {"name": provider[0], "domain": provider[1], "icon_url": provider[2]} if provider else None,
                "quality": _as_int(item.get("quality"), ""),
                "images": _lean_images(item.get("images")),  # type: ignore[dict-item]
            }
        )
    return entries


# --------------------------------------------------------------------------- fields


def _describe(value: object) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, (datetime, date)):
        return "a date"
    if isinstance(value, str):
        return "text"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, Mapping):
        return "a set of fields"
    if isinstance(value, bytes):
        return "binary data"
    return f"a {type(value).__name__}"


def _short(value: object, limit: int = 40) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _as_text(value: object, label: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    raise _Invalid(f"{label} is {_describe(value)}, not text")


def _text(fields: Mapping[Any, Any], key: str) -> str | None:
    return _as_text(fields.get(key), key)


def _text_list(fields: Mapping[Any, Any], key: str) -> tuple[str, ...]:
    value = fields.get(key)
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise _Invalid(f"{key} is {_describe(value)}, not a list")
    items = (_as_text(item, f"{key} item {n}") for n, item in enumerate(value, 1))
    return tuple(dict.fromkeys(item for item in items if item))


def _clean_title(title: str | None, label: str = "title") -> str:
    """``title`` on one line; ``label`` names the field in the reason it is refused for."""
    if not title:
        return ""
    if len(title) > MAX_TITLE_CHARS:
        raise _Invalid(f"{label} is {len(title):,} characters long (at most {MAX_TITLE_CHARS:,})")
    return " ".join(_CONTROL.sub(" ", title).split())


def _url(fields: Mapping[Any, Any], key: str) -> str | None:
    value = _text(fields, key)
    return clean_url(value) if value else None


def _first_url(fields: Mapping[Any, Any], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        url = _url(fields, key)
        if url:
            return url
    return None


def _as_datetime(value: object, label: str, notes: list[str] | None = None) -> datetime | None:
    """``value`` as an aware UTC datetime; None for none, and for a moment that is no date
    (:func:`reader.timefmt.dated`), which adds a line saying so to ``notes``."""
    if value is None:
        return None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
        except ValueError:
            raise _Invalid(f"{label}: '{_short(text)}' is not a date") from None
    else:
        raise _Invalid(f"{label} is {_describe(value)}, not a date")
    try:
        utc = dated(moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc))
    except OverflowError:  # e.g. 0001-01-01T00:00:00+01:00 is before year 1 in UTC
        utc = None
    if utc is None:
        # A placeholder such as Go's zero time 0001-01-01T00:00:00Z: no date (timefmt.dated).
        if notes is not None:
            shown = value.isoformat() if isinstance(value, (date, datetime)) else _short(value)
            notes.append(f"{label}: '{shown}' is a placeholder, not a date (years 2 to 9998 are dates): undated")
    return utc


def _datetime(fields: Mapping[Any, Any], key: str, notes: list[str] | None = None) -> datetime | None:
    return _as_datetime(fields.get(key), key, notes)


def _as_int(value: object, label: str) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise _Invalid(f"{label} is true/false, not a number")
    number: int | None = None
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and math.isfinite(value) and value.is_integer():
        number = int(value)
    elif isinstance(value, str):
        try:
            number = int(value.strip())
        except ValueError:
            pass
    if number is None:
        raise _Invalid(f"{label}: '{_short(value)}' is not a whole number")
    if not MIN_INT <= number <= MAX_INT:  # (a problem, never a number made up)
        raise _Invalid(f"{label}: '{_short(value)}' is out of range (whole numbers run from -2^63 to 2^63 - 1)")
    return number


def _int(fields: Mapping[Any, Any], key: str) -> int | None:
    return _as_int(fields.get(key), key)


def _bool(fields: Mapping[Any, Any], key: str) -> bool:
    value = fields.get(key)
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    raise _Invalid(f"{key}: '{_short(value)}' is not true or false")


def _provider(value: object) -> Provider | None:
    if value is None:
        return None
    if isinstance(value, str):
        text = nfc(value.strip())
        return Provider(name=text) if text else None
    if not isinstance(value, Mapping):
        raise _Invalid(f"provider is {_describe(value)}, not a name or a set of fields")
    name = nfc(_as_text(value.get("name"), "provider name"))
    domain = _as_text(value.get("domain"), "provider domain")
    icons = _images(value.get("images"), "provider images")
    if not (name or domain):
        return None
    return Provider(name=name or domain or "", domain=domain, icon_url=icons[0].url if icons else None)


def _topics(fields: Mapping[Any, Any]) -> tuple[str, ...]:
    value = fields.get("topics")
    if value is None:
        return ()
    if not isinstance(value, list):
        raise _Invalid(f"topics is {_describe(value)}, not a list")
    topics = (_as_text(item, f"topics item {n}") for n, item in enumerate(value, 1))
    return tuple(dict.fromkeys(" ".join(nfc(t).split()) for t in topics if t))


def _images(value: object, label: str) -> tuple[Image, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise _Invalid(f"{label} is {_describe(value)}, not a list")
    images = []
    for n, item in enumerate(value, 1):
        if isinstance(item, str):
            item = {"url": item}
        if not isinstance(item, Mapping):
            raise _Invalid(f"{label} item {n} is {_describe(item)}, not a set of fields")
        url = _as_text(item.get("url"), f"{label} item {n} url")
        if not url:
            continue
        images.append(
            Image(
                url=clean_url(url),
                width=_as_int(item.get("width"), f"{label} item {n} width"),
                height=_as_int(item.get("height"), f"{label} item {n} height"),
                title=_as_text(item.get("title"), f"{label} item {n} title")
                or _as_text(item.get("caption"), f"{label} item {n} caption"),
            )
        )
    return tuple(images)


def _related(fields: Mapping[Any, Any], notes: list[str] | None = None) -> tuple[Related, ...]:
    value = fields.get("related")
    if value is None:
        return ()
    if not isinstance(value, list):
        raise _Invalid(f"related is {_describe(value)}, not a list")
    entries = []
    for n, item in enumerate(value, 1):
        label = f"related item {n}"
        if not isinstance(item, Mapping):
            raise _Invalid(f"{label} is {_describe(item)}, not a set of fields")
        url = None
        for key in _URL_KEYS:
            text = _as_text(item.get(key), f"{label} {key}")
            if text:
                url = clean_url(text)
                break
        title = _clean_title(_as_text(item.get("title"), f"{label} title"), f"{label} title") or url
        if not title:
            continue
        entries.append(
            Related(
                title=title,
                url=url,
                excerpt=_as_text(item.get("excerpt"), f"{label} excerpt"),
                published=_as_datetime(item.get("publishedDateTime"), f"{label} publishedDateTime", notes),
                provider=_provider(item.get("provider")),
                quality=_as_int(item.get("quality"), f"{label} quality"),
                images=_images(item.get("images"), f"{label} images"),
            )
        )
    return tuple(entries)


def _extra(fields: Mapping[Any, Any]) -> dict[str, JSON]:
    """Fields Reader does not model, as JSON-compatible values.

    Every field, modelled or not, counts against :data:`MAX_VALUES` and :data:`MAX_NESTING`:
    YAML aliases could otherwise make e.g. ``related`` x ``images`` build millions of values.
    """
    budget = [MAX_VALUES]
    extra: dict[str, JSON] = {}
    for key, value in fields.items():
        name = str(key)
        if name in _DROPPED:
            continue
        converted = _to_json(value, budget, 0)
        if name not in _MODELLED:
            extra[name] = converted
    return extra


def _to_json(value: object, budget: list[int], depth: int) -> JSON:
    budget[0] -= 1
    if budget[0] < 0:
        # (Values written out are counted while parsing: only aliases get here.)
        raise _Invalid(f"front matter expands to more than {MAX_VALUES:,} values through YAML aliases (an alias bomb)")
    if depth > MAX_NESTING:
        raise _Invalid(_TOO_DEEP)
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=timezone.utc)).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _to_json(v, budget, depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_to_json(v, budget, depth + 1) for v in value]
    if isinstance(value, bytes):
        return f"<{len(value)} bytes of binary data>"
    return str(value)


# --------------------------------------------------------------------------- helpers


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.0f} kB"
    return f"{n} bytes"


def _os_reason(error: OSError) -> str:
    if error.errno == errno.ENOENT:
        return "the file disappeared before it could be read"
    if error.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if error.errno == errno.ELOOP:
        return "a symbolic link that loops"
    if error.errno == errno.EISDIR:
        return "is a folder, not a document"
    return f"could not be read: {error.strerror or error}"
