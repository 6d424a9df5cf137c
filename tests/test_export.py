"""Export as Markdown and CSV (no Qt)."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timezone
from pathlib import Path

import pytest

import reader.export as export_module
from reader.export import CSV_COLUMNS, ExportFormat, ExportRow, collect, to_csv, to_markdown, write_export
from reader.library import Library, View, ViewKind, make_scope

WHEN = datetime(2020, 2, 5, 22, 56, tzinfo=timezone.utc)

ROWS = [
    ExportRow("Twitter demands AI company stops 'collecting faces'", "BBC News", "bbc.com", WHEN,
              "https://www.bbc.com/news/technology-51220654", ("AI", "Privacy"), read=True, starred=True),
    ExportRow("A [bracketed] *title* with `code` and (parens)", None, None, None, None),
    ExportRow("=HYPERLINK(\"http://evil\")", "-Minus Source", "x.example", WHEN, "https://x.example/a b(1)", ("@at",)),
]


def test_markdown_lists_titles_links_sources_and_dates() -> None:
    text = to_markdown(ROWS, "Starred articles")
    lines = text.splitlines()
    assert lines[0] == "# Starred articles"
    assert lines[2] == "3 articles, exported by Reader."
    assert "- [Twitter demands AI company stops 'collecting faces'](https://www.bbc.com/news/technology-51220654)  " in lines
    assert "  BBC News (bbc.com) · 2020-02-05 22:56 UTC · AI, Privacy · starred" in lines


def test_markdown_escapes_what_would_change_the_markup() -> None:
    text = to_markdown(ROWS, "View")
    assert "- A \\[bracketed\\] \\*title\\* with \\`code\\` and (parens)  " in text  # no link: no URL
    assert "  No source · undated" in text
    assert "(https://x.example/a%20b%281%29)" in text  # the link cannot end early


def test_markdown_of_nothing() -> None:
    assert to_markdown([], "Unread") == "# Unread\n\n0 articles, exported by Reader.\n\n"


def test_csv_has_a_header_and_one_row_per_article() -> None:
    rows = list(csv.reader(io.StringIO(to_csv(ROWS))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert rows[1] == [
        "Twitter demands AI company stops 'collecting faces'", "BBC News", "bbc.com", "2020-02-05T22:56:00Z",
        "https://www.bbc.com/news/technology-51220654", "AI; Privacy", "yes", "yes", "", "", "", "",
    ]  # (labels, then the last three: a full text fetched from its page, none here)
    assert rows[2] == ["A [bracketed] *title* with `code` and (parens)", "", "", "", "", "", "no", "no", "", "", "", ""]
    assert len(rows) == 4


def test_csv_cells_never_run_as_spreadsheet_formulas() -> None:
    row = list(csv.reader(io.StringIO(to_csv(ROWS))))[3]
    assert row[0] == "'=HYPERLINK(\"http://evil\")"
    assert row[1] == "'-Minus Source"
    assert row[5] == "'@at"


def test_write_export_writes_utf8(tmp_path: Path) -> None:
    row = ExportRow("Facebook gick med i YouTube — ”citat”", "SVT", None, WHEN, None)
    target = write_export(tmp_path / "out.csv", [row], ExportFormat.CSV, "x")
    data = target.read_bytes()
    assert data.startswith(b"title,source,")
    assert "Facebook gick med i YouTube — ”citat”".encode() in data
    assert data.count(b"\r\n") == 2
    assert ExportFormat.MARKDOWN.suffix == ".md" and ExportFormat.CSV.suffix == ".csv"


@pytest.mark.parametrize("chunk", [2, 500])
def test_collect_reads_the_library(tmp_path: Path, seeds_dir: Path, monkeypatch: pytest.MonkeyPatch, chunk: int) -> None:
    monkeypatch.setattr(export_module, "_CHUNK", chunk)
    with Library(tmp_path / "data") as library:
        library.sync([seeds_dir])
        scope = make_scope([seeds_dir])
        rowids = library.article_rowids(View(ViewKind.ALL), scope=scope)
        first = library.article(rowids[0])
        assert first is not None
        library.set_starred([first.id])
        rows = collect(library, rowids)
        assert [r.title for r in rows] == [library.article(r).title for r in rowids]  # type: ignore[union-attr]
        assert rows[0].starred and not rows[1].starred
        bbc = next(r for r in rows if r.source == "BBC")
        assert bbc.url is not None and bbc.url.startswith("https://")
        assert bbc.published is not None
        plain = [r for r in rows if r.source is None]
        assert plain and all(r.published is None for r in plain)
