"""Finding documents under files and folders."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from reader import scan
from reader.scan import is_candidate, iter_document_paths


def make(root: Path, *names: str, content: str = "Headline\n\nText.\n") -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)


def relative(paths: list[str], root: Path) -> list[str]:
    return [os.path.relpath(p, root) for p in paths]


def walk(*roots: Path, errors: list | None = None) -> list[str]:
    on_error = (lambda path, error: errors.append((path, error))) if errors is not None else None
    return list(iter_document_paths(roots, on_error=on_error))


# --------------------------------------------------------------------------- which names


@pytest.mark.parametrize(
    "name",
    [
        "2020-02-05-story.md",
        "story.txt",
        "story",
        "theguardian.com",
        "00-ai.yaml",
        "notes.markdown",
        "readme-about-robots.md",  # only a name that is exactly README (any suffix) is a note
        "Sources-of-AI.md",
        "photo.png.",  # a name that ends with "." has no suffix
        "2020.02.05 story.md",
    ],
)
def test_candidates(name: str) -> None:
    assert is_candidate(name)


@pytest.mark.parametrize(
    "name",
    [
        ".hidden.md",
        ".DS_Store",
        "draft.md~",
        "photo.jpg",
        "PHOTO.JPEG",
        "image.png",
        "clip.mp4",
        "archive.zip",
        "backup.tar.gz",
        "report.final.PDF",
        "paper.pdf",
        "library.sqlite3",
        "library.db-wal",
        "README",
        "README.md",
        "readme.txt",
        "SOURCE.md",
        "LICENSE",
        "LICENSE.txt",
        "COPYING",
        "CHANGELOG.md",
        "NOTICE",
        "AUTHORS.rst",
    ],
)
def test_not_candidates(name: str) -> None:
    assert not is_candidate(name)


# --------------------------------------------------------------------------- walking


def test_hidden_files_and_folders_are_skipped(tmp_path: Path) -> None:
    make(tmp_path, "a.md", ".hidden.md", ".git/config", ".cache/story.md", "sub/.secret.md", "sub/b.md")
    assert relative(walk(tmp_path), tmp_path) == ["a.md", os.path.join("sub", "b.md")]


def test_media_archives_and_notes_are_skipped(tmp_path: Path) -> None:
    make(
        tmp_path,
        "story.md",
        "story.jpg",
        "story.png",
        "pages.zip",
        "README.md",
        "SOURCE.md",
        "LICENSE",
        "assets/logo.svg",
        "assets/site.css",
        "assets/site.js",
        "draft.md~",
    )
    assert relative(walk(tmp_path), tmp_path) == ["story.md"]


def test_the_corpus_folder_note_is_skipped(corpus_dir: Path) -> None:
    found = [Path(p) for p in walk(corpus_dir)]
    assert corpus_dir / "SOURCE.md" not in found
    assert len(found) == 100
    assert sum(1 for p in found if p.parent.name == "_data") == 4


def test_a_file_named_explicitly_is_always_yielded(tmp_path: Path) -> None:
    make(tmp_path, ".hidden.md", "README.md", "picture.jpg", "story.md~")
    named = [tmp_path / ".hidden.md", tmp_path / "README.md", tmp_path / "picture.jpg", tmp_path / "story.md~"]
    assert walk(*named) == [str(p) for p in named]


def test_order_is_sorted_and_stable(tmp_path: Path) -> None:
    make(tmp_path, "b.md", "a.md", "C.md", "z/2.md", "z/1.md", "m/x.md", "m/deeper/y.md", "10.md", "9.md")
    expected = [
        "10.md",
        "9.md",
        "C.md",
        "a.md",
        "b.md",
        os.path.join("m", "x.md"),
        os.path.join("m", "deeper", "y.md"),
        os.path.join("z", "1.md"),
        os.path.join("z", "2.md"),
    ]
    assert relative(walk(tmp_path), tmp_path) == expected
    assert relative(walk(tmp_path), tmp_path) == expected


def test_each_path_once_across_roots(tmp_path: Path) -> None:
    make(tmp_path, "a.md", "sub/b.md")
    found = walk(tmp_path, tmp_path / "sub", tmp_path / "a.md", tmp_path)
    assert relative(found, tmp_path) == ["a.md", os.path.join("sub", "b.md")]


def test_roots_keep_their_order(tmp_path: Path) -> None:
    make(tmp_path, "one/z.md", "two/a.md")
    assert relative(walk(tmp_path / "two", tmp_path / "one"), tmp_path) == [
        os.path.join("two", "a.md"),
        os.path.join("one", "z.md"),
    ]


def test_a_symlink_loop_between_folders_is_walked_once(tmp_path: Path) -> None:
    make(tmp_path, "a/one.md", "b/two.md")
    (tmp_path / "a" / "to-b").symlink_to(tmp_path / "b")
    (tmp_path / "b" / "to-a").symlink_to(tmp_path / "a")
    (tmp_path / "a" / "self").symlink_to(tmp_path / "a")
    started = time.perf_counter()
    found = walk(tmp_path)
    assert time.perf_counter() - started < 2.0
    # Each folder once, whichever way it was reached first.
    assert len(found) == 2
    assert found[0] == str(tmp_path / "a" / "one.md")
    assert {Path(p).resolve() for p in found} == {
        (tmp_path / "a" / "one.md").resolve(),
        (tmp_path / "b" / "two.md").resolve(),
    }


def test_a_symlinked_folder_is_followed(tmp_path: Path) -> None:
    make(tmp_path, "elsewhere/story.md")
    (tmp_path / "root").mkdir()
    (tmp_path / "root" / "linked").symlink_to(tmp_path / "elsewhere")
    assert relative(walk(tmp_path / "root"), tmp_path) == [os.path.join("root", "linked", "story.md")]


def test_broken_and_looping_file_links_are_yielded_for_the_parser_to_report(tmp_path: Path) -> None:
    (tmp_path / "dangling.md").symlink_to(tmp_path / "missing.md")
    (tmp_path / "loop1.md").symlink_to(tmp_path / "loop2.md")
    (tmp_path / "loop2.md").symlink_to(tmp_path / "loop1.md")
    assert relative(walk(tmp_path), tmp_path) == ["dangling.md", "loop1.md", "loop2.md"]


def test_a_folder_named_like_a_document_is_walked(tmp_path: Path) -> None:
    make(tmp_path, "x.md/inside.md", "photo.jpg/inside.txt")
    assert relative(walk(tmp_path), tmp_path) == [
        os.path.join("photo.jpg", "inside.txt"),
        os.path.join("x.md", "inside.md"),
    ]


def test_a_missing_root_is_reported(tmp_path: Path) -> None:
    errors: list = []
    assert walk(tmp_path / "nope", errors=errors) == []
    assert [path for path, _ in errors] == [str(tmp_path / "nope")]
    assert isinstance(errors[0][1], FileNotFoundError)


def test_a_missing_root_without_on_error_is_ignored(tmp_path: Path) -> None:
    make(tmp_path, "a.md")
    assert relative(list(iter_document_paths([tmp_path / "nope", tmp_path])), tmp_path) == ["a.md"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read a folder with mode 000")
def test_an_unreadable_folder_is_reported(tmp_path: Path) -> None:
    make(tmp_path, "a.md", "locked/secret.md", "z.md")
    (tmp_path / "locked").chmod(0)
    errors: list = []
    try:
        found = walk(tmp_path, errors=errors)
    finally:
        (tmp_path / "locked").chmod(0o755)
    assert relative(found, tmp_path) == ["a.md", "z.md"]
    assert [path for path, _ in errors] == [str(tmp_path / "locked")]
    assert isinstance(errors[0][1], PermissionError)


def test_a_folder_that_cannot_be_listed_is_reported_and_the_walk_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The same as above, but works as root too: listing the folder fails.
    make(tmp_path, "a.md", "locked/secret.md", "open/b.md")
    real_scandir = os.scandir
    locked = str(tmp_path / "locked")

    def scandir(path: str):  # type: ignore[no-untyped-def]
        if os.fspath(path) == locked:
            raise PermissionError(13, "Permission denied", locked)
        return real_scandir(path)

    monkeypatch.setattr(scan.os, "scandir", scandir)
    errors: list = []
    found = walk(tmp_path, errors=errors)
    assert relative(found, tmp_path) == ["a.md", os.path.join("open", "b.md")]
    assert [path for path, _ in errors] == [locked]
    # Without on_error the walk goes on quietly.
    assert relative(walk(tmp_path), tmp_path) == ["a.md", os.path.join("open", "b.md")]


def test_thousands_of_files_deep_in_nested_folders(tmp_path: Path) -> None:
    depth, per_level = 50, 40
    expected: set[str] = set()
    folder = tmp_path
    for level in range(depth):
        folder = folder / f"level{level:02d}"
        folder.mkdir()
        for n in range(per_level):
            path = folder / f"doc{n:03d}.md"
            path.write_bytes(b"x")
            expected.add(str(path))
        (folder / f"skip{level}.png").write_bytes(b"x")
    started = time.perf_counter()
    found = walk(tmp_path)
    assert time.perf_counter() - started < 5.0
    assert len(found) == depth * per_level == 2000
    assert set(found) == expected
    assert len(set(found)) == len(found)
    # Shallower files first, each folder's files in name order.
    assert found[0] == str(tmp_path / "level00" / "doc000.md")
    assert found[-1].endswith(os.path.join("level49", "doc039.md"))


def test_a_special_file_named_explicitly_is_yielded(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    assert walk(fifo) == [str(fifo)]


def test_the_walk_is_lazy(tmp_path: Path) -> None:
    make(tmp_path, "a.md", "b.md")
    iterator = iter_document_paths([tmp_path])
    assert next(iterator) == str(tmp_path / "a.md")
