"""The article model: immutable, typed values that every other layer passes around.

Nothing here parses or stores anything; :mod:`reader.documents` builds these values from
files and :mod:`reader.library` keeps them. All datetimes are timezone-aware UTC.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import datetime
from types import MappingProxyType
from typing import TypeAlias

#: A JSON-compatible value, as kept for front-matter fields Reader does not model.
JSON: TypeAlias = "None | bool | int | float | str | list[JSON] | dict[str, JSON]"
#: Whole numbers (quality, heat, image sizes, a numeric filter's value, a count) are SQLite's
#: 64-bit integers: one outside this range cannot be stored or compared.
MIN_INT, MAX_INT = -(2**63), 2**63 - 1



class Kind(enum.StrEnum):
    """What a document turned out to be."""

    NEWS = "news"  #: YAML front matter describing one article
    TEXT = "text"  #: plain article text, no front matter
    TAXONOMY = "taxonomy"  #: a topic, tag or organization definition (metadata)


@dataclass(frozen=True, slots=True)
class Image:
    url: str
    width: int | None = None
    height: int | None = None
    title: str | None = None


@dataclass(frozen=True, slots=True)
class Provider:
    """The outlet that published an article."""

    name: str
    domain: str | None = None
    icon_url: str | None = None


@dataclass(frozen=True, slots=True)
class Related:
    """Coverage of the same story by another outlet, as listed inside a document."""

    title: str
    url: str | None = None
    excerpt: str | None = None
    published: datetime | None = None
    provider: Provider | None = None
    quality: int | None = None
    images: tuple[Image, ...] = ()


@dataclass(frozen=True, slots=True)
class Article:
    """One news article, from front matter or from plain text.

    ``id`` is stable: derived from the canonical URL when the document has one, otherwise
    from the text, so the same document has the same id across runs, moves and re-parses.
    Fields a document does not carry are ``None`` (or empty), never invented.
    """

    id: str
    path: str
    kind: Kind
    title: str
    excerpt: str | None = None
    body: str = ""
    published: datetime | None = None
    url: str | None = None
    amp_url: str | None = None
    provider: Provider | None = None
    topics: tuple[str, ...] = ()
    images: tuple[Image, ...] = ()
    related: tuple[Related, ...] = ()
    quality: int | None = None
    heat: int | None = None
    featured: bool = False
    language: str | None = None
    #: Front-matter fields Reader does not model, kept (JSON-compatible) rather than dropped.
    #: The opaque ``secured`` blob is not kept.
    extra: Mapping[str, JSON] = field(default_factory=lambda: MappingProxyType({}), hash=False, compare=False)
    #: What reading the document set aside, one line each (a placeholder date read as no
    #: date): ``reader check`` prints them. Not kept by the library.
    notes: tuple[str, ...] = field(default=(), hash=False, compare=False)


@dataclass(frozen=True, slots=True)
class Taxonomy:
    """A topic, tag or organization definition: metadata that enriches articles."""

    id: str
    path: str
    taxonomy: str  #: "topic", "tag", "organization" or whatever the file says
    name: str
    domain: str | None = None
    description: str | None = None
    keywords: tuple[str, ...] = ()
    parents: tuple[str, ...] = ()

    kind = Kind.TAXONOMY


@dataclass(frozen=True, slots=True)
class Problem:
    """A document that could not be read, with a one-line reason a person understands."""

    path: str
    reason: str


#: What parsing one document gives.
Document: TypeAlias = Article | Taxonomy | Problem


def unstorable(doc: Article | Taxonomy) -> str | None:
    """Why the library cannot store ``doc`` — a text of it that is not Unicode text: a lone
    surrogate, which a JSON file can write (``"\\ud83d"``) — with the reason the library
    records it as a problem for; None when it can. (Its path is not text it stores as it is:
    a file name that is not UTF-8 is stored escaped; see :mod:`reader.filenames`.)"""
    for name in (f.name for f in fields(doc) if f.name != "path"):
        for text in _texts(getattr(doc, name)):
            if text.isascii():
                continue
            try:
                text.encode("utf-8")
            except UnicodeEncodeError as error:
                return f"could not be stored: {error}"
    return None


def _texts(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, (tuple, list)):
        for item in value:
            yield from _texts(item)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _texts(key)
            yield from _texts(item)
    elif is_dataclass(value) and not isinstance(value, type):
        for f in fields(value):
            yield from _texts(getattr(value, f.name))
