"""Documents whose file names are not UTF-8 (a Latin-1 ``café.md`` from an old archive or a
USB stick): read like any other, found again, forgotten when gone, and printed without a
crash. The files are made in tmp_path by each test (a repository should not hold such names);
a test skips where the file system refuses them (macOS, Windows)."""

from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path

import pytest

from reader import filenames
from tests.test_library import Counting
from reader.cli import main
from reader.library import Library, make_scope
from reader.library import sync as library_sync

#: "café.md" in Latin-1: the byte 0xE9 is not UTF-8.
LATIN1_NAME = b"caf\xe9.md"


def doc(title: str, url: str, body: str = "Body.") -> bytes:
    return f'---\ntitle: "{title}"\noriginalUrl: "{url}"\n---\n\n{body}\n'.encode()


def put(folder: Path, name: bytes, content: bytes, mtime: float | None = None) -> str:
    """Write a file named by the bytes ``name`` under ``folder``; its path as Python gives it."""
    path = os.path.join(os.fsencode(folder), name)
    try:
        with open(path, "wb") as handle:
            handle.write(content)
    except OSError as error:  # (a file system that takes only UTF-8 names)
        pytest.skip(f"this file system refuses a name that is not UTF-8: {error}")
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return os.fsdecode(path)


def odd_folder(tmp_path: Path) -> tuple[Path, str]:
    """A folder holding café.md (Latin-1 name, "Hello") and ok.md ("Other")."""
    folder = tmp_path / "docs"
    folder.mkdir()
    bad = put(folder, LATIN1_NAME, doc("Hello", "https://example.com/1"))
    put(folder, b"ok.md", doc("Other", "https://example.com/2", "Body two."))
    return folder, bad




def titles(lib: Library) -> list[str]:
    rows = lib.rows(lib.article_rowids())
    return sorted(row.title for row in rows.values())


def test_the_stored_form_of_a_path_is_text_and_gives_the_path_back() -> None:
    for path in ["/a/b.md", "/a/é/ü.md", os.fsdecode(b"/a/caf\xe9.md"), "/x/\uffff/\uffffdce9\udce9.md", "\ud800z"]:
        text = filenames.stored(path)
        text.encode("utf-8")  # (what SQLite's text takes)
        assert filenames.restored(text) == path
    assert filenames.stored("/a/é/ü.md") == "/a/é/ü.md"
    # Character by character: a folder's stored form begins its files'.
    folder = os.fsdecode(b"/m/Archiv\xed")
    assert filenames.stored(folder + "/x.md").startswith(filenames.stored(folder) + "/")
    assert filenames.shown(os.fsdecode(b"/a/caf\xe9.md")) == "/a/caf\ufffd.md"


def test_a_file_whose_name_is_not_utf8_is_read_like_any_other(tmp_path: Path) -> None:
    folder, bad = odd_folder(tmp_path)
    with Library(tmp_path / "data") as lib:
        report = lib.sync([folder])
        assert (report.parsed, report.problems) == (2, 0)
        assert titles(lib) == ["Hello", "Other"]
        assert lib.problems() == []
        hello = lib.search("hello")[0].row
        assert lib.paths(hello.id) == [bad]  # the very name, to open the file by
        article = lib.article(hello.id)
        assert article is not None and article.path == bad
        assert os.path.exists(article.path)
        assert sorted(h.row.title for h in lib.search("body", scope=make_scope([folder]))) == ["Hello", "Other"]
        # Found again unchanged: not read again.
        hook = Counting()
        assert lib.sync([folder], parse=hook).unchanged == 2 and hook.paths == []
        # Edited: read again.
        put(folder, LATIN1_NAME, doc("Hello again", "https://example.com/1"), mtime=os.stat(bad).st_mtime + 10)
        hook = Counting()
        lib.sync([folder], parse=hook)
        assert hook.paths == [bad] and titles(lib) == ["Hello again", "Other"]
        # Gone: forgotten, once.
        os.remove(bad)
        report = lib.sync([folder])
        assert (report.removed_files, report.problems) == (1, 0)
        assert titles(lib) == ["Other"]
        assert lib.sync([folder]).removed_files == 0


def test_a_folder_whose_name_is_not_utf8_is_a_scope_like_any_other(tmp_path: Path) -> None:
    """A folder named in Latin-1 ("Archivé") holding a document with a Latin-1 name: synced,
    the scope of a search, and the watcher's way (just the changed file)."""
    try:
        os.mkdir(os.path.join(os.fsencode(tmp_path), b"Archiv\xe9"))
    except OSError as error:
        pytest.skip(f"this file system refuses a name that is not UTF-8: {error}")
    folder = Path(os.fsdecode(os.path.join(os.fsencode(tmp_path), b"Archiv\xe9")))
    other = tmp_path / "other"
    other.mkdir()
    put(other, b"x.md", doc("Elsewhere", "https://example.com/9"))
    bad = put(folder, LATIN1_NAME, doc("Hello", "https://example.com/1"))
    with Library(tmp_path / "data") as lib:
        assert lib.sync([folder, other]).problems == 0
        assert [h.row.title for h in lib.search("body", scope=make_scope([folder]))] == ["Hello"]
        assert not lib.covers_library(make_scope([folder])) and lib.covers_library(make_scope([folder, other]))
        put(folder, LATIN1_NAME, doc("Hello, edited", "https://example.com/1"), mtime=os.stat(bad).st_mtime + 10)
        report = lib.sync_changes([bad], [folder])
        assert (report.files, report.parsed) == (1, 1)
        assert [h.row.title for h in lib.search("body", scope=make_scope([folder]))] == ["Hello, edited"]
        os.remove(bad)
        assert lib.sync_changes([bad], [folder]).removed_files == 1
        assert titles(lib) == ["Elsewhere"]


def test_a_broken_document_whose_name_is_not_utf8_is_a_problem_under_its_name(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    bad = put(folder, LATIN1_NAME, b"---\ntitle: [unclosed\n---\n")
    put(folder, b"ok.md", doc("Other", "https://example.com/2"))
    with Library(tmp_path / "data") as lib:
        report = lib.sync([folder])
        assert report.problems == 1 and titles(lib) == ["Other"]
        assert [p.path for p in lib.problems()] == [bad]
        hook = Counting()
        lib.sync([folder], parse=hook)
        assert hook.paths == []  # (a problem found again unchanged is not read again either)


def test_a_document_that_cannot_be_stored_even_as_a_problem_leaves_the_others_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The last resort: a path the library cannot store at all (as such a name was before)
    is reported, and every other document of its batch is stored; the sync goes on."""
    folder = tmp_path / "docs"
    folder.mkdir()
    put(folder, b"unstorable.md", doc("Hello", "https://example.com/1"))
    put(folder, b"ok.md", doc("Other", "https://example.com/2"))
    real = library_sync.stored

    def stored(path: str) -> str:
        if "unstorable" in path:
            raise UnicodeEncodeError("utf-8", path, 0, 1, "surrogates not allowed")
        return real(path)

    monkeypatch.setattr(library_sync, "stored", stored)
    with Library(tmp_path / "data") as lib:
        problems = []
        report = lib.sync([folder], progress=lambda batch: problems.extend(batch.problems))
        assert report.problems == 1 and titles(lib) == ["Other"]
        assert [os.path.basename(p.path) for p in problems] == ["unstorable.md"]
        assert "could not be stored" in problems[0].reason


def _strict_stdout(monkeypatch: pytest.MonkeyPatch) -> io.BytesIO:
    """Standard output as in a UTF-8 locale: a lone surrogate cannot be written by default."""
    raw = io.BytesIO()
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(raw, encoding="utf-8", errors="strict", write_through=True))
    return raw


def test_the_commands_print_such_a_name_as_its_own_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder, bad = odd_folder(tmp_path)
    data = str(tmp_path / "data")
    raw = _strict_stdout(monkeypatch)
    assert main(["check", str(folder)]) == 0
    out = raw.getvalue()
    assert b"/docs/caf\xe9.md: news" in out and out.endswith(b"2 documents: 2 ok, 0 problems\n")
    raw = _strict_stdout(monkeypatch)
    assert main(["check", "--json", str(folder)]) == 0
    lines = raw.getvalue().decode("utf-8").splitlines()  # (the JSON lines are UTF-8)
    assert sorted(json.loads(line)["path"] for line in lines) == sorted([bad, str(folder / "ok.md")])
    raw = _strict_stdout(monkeypatch)
    assert main(["--data-dir", data, "search", "body", str(folder)]) == 0
    assert sorted(line.split()[-1] for line in raw.getvalue().decode("utf-8").splitlines()) == ["Hello", "Other"]


def test_a_missing_path_not_utf8_is_named_as_its_own_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Standard error as Python sets it in a UTF-8 locale (odd bytes escaped, ``\\udce9``):
    the message names the path as the user typed it."""
    raw = io.BytesIO()
    monkeypatch.setattr(sys, "stderr", io.TextIOWrapper(raw, encoding="utf-8", errors="backslashreplace", write_through=True))
    missing = os.fsdecode(os.path.join(os.fsencode(tmp_path), b"gon\xe9"))
    with pytest.raises(SystemExit):
        main(["check", missing])
    assert b"no such file or folder: " + os.fsencode(missing) in raw.getvalue()
