"""Find the documents under files and folders.

Every regular file in a folder (recursively) is a candidate document, except:

* hidden files and folders (a name starting with ``.``),
* files whose suffix says they are something else (images, archives, media, office files,
  databases ...), so a folder of saved pages with their pictures reads cleanly,
* notes about the folder itself: ``README``, ``SOURCE``, ``LICENSE``, ``COPYING``,
  ``CHANGELOG``, ``NOTICE`` and ``AUTHORS`` with any suffix.

A file named explicitly is always a candidate. Symbolic links are followed; a folder reached
twice (a link loop) is walked once. The walk never raises: unreadable folders are reported
through ``on_error``.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable, Iterator

#: Suffixes of files that are never news documents.
SKIPPED_SUFFIXES = frozenset(
    """
    .png .jpg .jpeg .gif .webp .bmp .tif .tiff .ico .svg .heic .avif .psd
    .mp3 .mp4 .m4a .m4v .mov .avi .mkv .webm .wav .flac .ogg .opus
    .zip .gz .tgz .bz2 .xz .zst .7z .rar .tar .jar .whl .deb .rpm .dmg .iso
    .pdf .doc .docx .xls .xlsx .ppt .pptx .odt .ods .odp .epub
    .db .sqlite .sqlite3 .db-wal .db-shm .sqlite-wal .sqlite-shm .pyc .so .dll .exe .o .a
    .woff .woff2 .ttf .otf .eot .css .js .map .lock .swp .tmp .part .crdownload
    """.split()
)
FOLDER_NOTES = frozenset({"readme", "source", "license", "licence", "copying", "changelog", "notice", "authors"})


def is_candidate(name: str) -> bool:
    """Whether a file called ``name`` found in a folder is read as a document."""
    if name.startswith(".") or name.endswith("~"):
        return False
    if name.partition(".")[0].lower() in FOLDER_NOTES:
        return False
    # The suffix as Path(name).suffix gives it (a name ending in "." has none), without
    # building a Path: a sync asks this for every file it finds.
    dot = name.rfind(".")
    return not (0 < dot < len(name) - 1 and name[dot:].lower() in SKIPPED_SUFFIXES)


def iter_document_paths(
    paths: Iterable[str | os.PathLike[str]],
    on_error: Callable[[str, OSError], None] | None = None,
) -> Iterator[str]:
    """Every candidate document under ``paths``, in a stable (sorted) order, each once."""
    seen_dirs: set[tuple[int, int]] = set()
    seen_files: set[str] = set()
    for root in paths:
        name = os.fspath(root)
        try:
            info = os.stat(name)
        except OSError as error:
            if on_error:
                on_error(name, error)
            continue
        if stat.S_ISDIR(info.st_mode):
            yield from _walk(name, info, seen_dirs, seen_files, on_error)
        elif name not in seen_files:
            seen_files.add(name)
            yield name


def _walk(
    top: str,
    info: os.stat_result,
    seen_dirs: set[tuple[int, int]],
    seen_files: set[str],
    on_error: Callable[[str, OSError], None] | None,
) -> Iterator[str]:
    stack = [(top, info)]
    while stack:
        folder, folder_info = stack.pop()
        key = (folder_info.st_dev, folder_info.st_ino)
        if key in seen_dirs:
            continue
        seen_dirs.add(key)
        try:
            with os.scandir(folder) as entries:
                items = sorted(entries, key=lambda e: e.name)
        except OSError as error:
            if on_error:
                on_error(folder, error)
            continue
        subfolders = []
        for entry in items:
            if entry.name.startswith("."):
                continue
            try:
                if entry.is_dir():
                    subfolders.append((entry.path, entry.stat()))
                    continue
            except OSError:
                pass  # a broken or looping link: read as a file, the parser says what is wrong
            if is_candidate(entry.name) and entry.path not in seen_files:
                seen_files.add(entry.path)
                yield entry.path
        stack.extend(reversed(subfolders))


def is_walked(path: str, roots: Iterable[str]) -> bool:
    """Whether a walk of ``roots`` reaches ``path`` (a file or folder, which need not exist
    any more): it is one of them, or lies under one with no hidden folder on the way and,
    when it is an existing file, a name :func:`is_candidate` accepts. For a folder watcher,
    which hears of every file in the tree."""
    for root in roots:
        if path == root:
            return True
        folder = root.rstrip(os.sep) + os.sep
        if not path.startswith(folder):
            continue
        parts = path[len(folder) :].split(os.sep)
        if any(part.startswith(".") for part in parts):
            return False
        if os.path.isfile(path) and not is_candidate(parts[-1]):
            return False
        return True
    return False

