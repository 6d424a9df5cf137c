"""One bad document, a full disk, an unwritable data folder or a damaged library file never
stops the others: what the library does on a user's worst day."""

from __future__ import annotations

import dataclasses
import io
import os
import sqlite3
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from reader import cli
from reader.article import Article, Document
from reader.documents import parse_path
from reader.library import Library, LibraryError

ROOT = Path(os.path.abspath(__file__)).parent.parent
SEEDS = ROOT / "seeds"


def news(n: int, extra: str = "") -> str:
    return (
        f"---\ntitle: Good story number {n}\nwebUrl: https://news.example/story/{n}\n"
        f"publishedDateTime: 2020-02-05T10:00:00Z\nheat: {n}\n{extra}---\nBody {n}.\n"
    )


def folder_of_good_documents(folder: Path, n: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        path = folder / f"good-{i:05d}.md"
        path.write_text(news(i), encoding="utf-8")
        paths.append(path)
    return paths


# --------------------------------------------------------------------------- one bad document


def test_a_number_past_64_bits_is_that_documents_problem_and_the_rest_is_stored(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    folder_of_good_documents(docs, 300)
    (docs / "bad-heat.md").write_text(news(9999, "").replace("heat: 9999", "heat: 9223372036854775808"), encoding="utf-8")
    (docs / "bad-quality.md").write_text(news(9998, "quality: -9223372036854775809\n"), encoding="utf-8")
    with Library(tmp_path / "data") as lib:
        report = lib.sync([docs])
        problems = {Path(p.path).name: p.reason for p in lib.problems()}
        assert lib.counts().all.total == 300
    assert report.problems == 2
    assert problems == {
        "bad-heat.md": "heat: '9223372036854775808' is out of range (whole numbers run from -2^63 to 2^63 - 1)",
        "bad-quality.md": "quality: '-9223372036854775809' is out of range (whole numbers run from -2^63 to 2^63 - 1)",
    }
    # reader check agrees with the sync
    out = io.StringIO()
    assert cli.main(["check", str(docs)], out=out) == 1
    assert out.getvalue().splitlines()[-1] == "302 documents: 300 ok, 2 problems"


def test_a_document_that_cannot_be_stored_is_its_own_problem(tmp_path: Path) -> None:
    """Whatever makes storing one document fail (here a parser that let a value through that
    SQLite refuses), the others of its batch are stored."""
    docs = tmp_path / "docs"
    paths = folder_of_good_documents(docs, 50)
    victim = str(paths[17])

    def parse(batch: Sequence[str]) -> list[Document]:
        parsed = [parse_path(p) for p in batch]
        return [
            dataclasses.replace(d, heat=2**70) if p == victim and isinstance(d, Article) else d
            for p, d in zip(batch, parsed)
        ]

    with Library(tmp_path / "data") as lib:
        report = lib.sync([docs], parse=parse, batch_size=20)
        problems = lib.problems()
        assert lib.counts().all.total == 49
        assert len(lib.search("good", limit=None)) == 49
    assert report.problems == 1 and report.parsed == 50
    assert [p.path for p in problems] == [victim]
    assert problems[0].reason.startswith("could not be stored: ")
    assert "too large" in problems[0].reason and "\n" not in problems[0].reason
