"""Export a list of articles as Markdown or CSV: titles, sources, dates and links, and the
full text of those whose page was fetched (:mod:`reader.fulltext`).

Links are exported only when they are http or https, with tracking parameters removed (as
they are opened and copied). CSV cells that a spreadsheet would run as a formula (starting
with ``=``, ``+``, ``-`` or ``@``) are prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import enum
import io
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from reader.article import Article
from reader.fulltext import FullText, markdown
from reader.library import Library
from reader.urls import is_safe_link, strip_tracking


class ExportFormat(enum.StrEnum):
    MARKDOWN = "markdown"
    CSV = "csv"

    @property
    def suffix(self) -> str:
        return ".md" if self is ExportFormat.MARKDOWN else ".csv"


@dataclass(frozen=True, slots=True)
class ExportRow:
    """One exported article."""

    title: str
    source: str | None
    domain: str | None
    published: datetime | None
    url: str | None
    topics: tuple[str, ...] = ()
    read: bool = False
    starred: bool = False
    labels: tuple[str, ...] = ()  #: the user's labels on it
    fulltext: FullText | None = None  #: fetched from the article's page, when it was

    @classmethod
    def of(
        cls,
        article: Article,
        *,
        read: bool = False,
        starred: bool = False,
        labels: tuple[str, ...] = (),
        fulltext: FullText | None = None,
    ) -> ExportRow:
        url = strip_tracking(article.url) if article.url and is_safe_link(article.url) else None
        return cls(
            title=article.title,
            source=article.provider.name if article.provider else None,
            domain=article.provider.domain if article.provider else None,
            published=article.published,
            url=url,
            topics=tuple(article.topics),
            read=read,
            starred=starred,
            labels=labels,
            fulltext=fulltext,
        )


def collect(library: Library, rowids: Iterable[int]) -> list[ExportRow]:
    """The articles of ``rowids`` (in that order) as the library has them now."""
    rows = []
    wanted = list(rowids)
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        articles, marks = library.articles(chunk), library.rows(chunk)
        full = library.fulltexts([a.id for a in articles.values()])
        for rowid in chunk:
            article, mark = articles.get(rowid), marks.get(rowid)
            if article is not None and mark is not None:
                rows.append(
                    ExportRow.of(article, read=mark.read, starred=mark.starred, labels=mark.labels, fulltext=full.get(article.id))
                )
    return rows


#: Articles read from the library per query when exporting.
_CHUNK = 500


CSV_COLUMNS = ("title", "source", "domain", "published", "url", "topics", "read", "starred", "labels",
               "full_text", "full_text_url", "full_text_fetched")  # fmt: skip
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_MARKDOWN_SPECIAL = "\\`*_[]<>#|"


def iso_date(moment: datetime | None) -> str:
    """``2020-02-05T22:56:00Z`` (UTC), or an empty string."""
    if moment is None:
        return ""
    return moment.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def _markdown_text(text: str) -> str:
    """``text`` on one line with Markdown's special characters escaped."""
    flat = " ".join(text.split())
    return "".join("\\" + c if c in _MARKDOWN_SPECIAL else c for c in flat)


def _markdown_url(url: str) -> str:
    """A link target that cannot end the link early."""
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29").replace("<", "%3C").replace(">", "%3E")


def to_markdown(rows: Iterable[ExportRow], heading: str) -> str:
    """A Markdown document: a heading, then one list item per article — its title (linked
    when it has a link), then source, date and topics."""
    items = list(rows)
    noun = "article" if len(items) == 1 else "articles"
    lines = [f"# {_markdown_text(heading)}", "", f"{len(items):,} {noun}, exported by Reader.", ""]
    for row in items:
        title = _markdown_text(row.title)
        head = f"[{title}]({_markdown_url(row.url)})" if row.url else title
        meta = [_markdown_text(row.source) if row.source else "No source"]
        if row.domain and row.source and row.domain.lower() != row.source.lower():
            meta[0] += f" ({_markdown_text(row.domain)})"
        meta.append(row.published.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC") if row.published else "undated")
        if row.topics:
            meta.append(", ".join(_markdown_text(t) for t in row.topics))
        if row.starred:
            meta.append("starred")
        if row.labels:
            meta.append("labels: " + ", ".join(_markdown_text(label) for label in row.labels))
        lines.append(f"- {head}  ")
        lines.append(f"  {' · '.join(meta)}")
        if row.fulltext is not None:  # indented under its item
            lines.append("")
            lines.append(f"  {_markdown_text(fetched_line(row.fulltext))}")
            lines.append("")
            lines.extend(f"  {line}" if line else "" for line in markdown(row.fulltext).splitlines())
            lines.append("")
    return "\n".join(lines) + "\n"


def fetched_line(full: FullText) -> str:
    """"Fetched from example.org on 2024-11-05" (UTC)."""
    day = datetime.fromtimestamp(full.fetched, timezone.utc).strftime("%Y-%m-%d")
    return f"Fetched from {full.site} on {day}"


def _cell(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def to_csv(rows: Iterable[ExportRow]) -> str:
    """CSV with a header row (:data:`CSV_COLUMNS`); dates in ISO 8601 UTC, topics and labels
    joined by ``; ``, read and starred as ``yes`` / ``no``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow([
            _cell(row.title),
            _cell(row.source or ""),
            _cell(row.domain or ""),
            iso_date(row.published),
            row.url or "",
            _cell("; ".join(row.topics)),
            "yes" if row.read else "no",
            "yes" if row.starred else "no",
            _cell("; ".join(row.labels)),
            _cell(row.fulltext.text) if row.fulltext else "",
            row.fulltext.url if row.fulltext and is_safe_link(row.fulltext.url) else "",
            iso_date(datetime.fromtimestamp(row.fulltext.fetched, timezone.utc)) if row.fulltext else "",
        ])
    return out.getvalue()


def render(rows: Sequence[ExportRow], fmt: ExportFormat, heading: str) -> str:
    return to_markdown(rows, heading) if fmt is ExportFormat.MARKDOWN else to_csv(rows)


def write_export(path: str | os.PathLike[str], rows: Sequence[ExportRow], fmt: ExportFormat, heading: str) -> Path:
    """Write the export to ``path`` (UTF-8; replaced if it exists) and return the path.
    Raises OSError when it cannot be written."""
    target = Path(path)
    text = render(rows, fmt, heading)
    # newline="" keeps the CSV's CRLF row ends as they are.
    with open(target, "w", encoding="utf-8", newline="") as handle:
        handle.write(text)
    return target
