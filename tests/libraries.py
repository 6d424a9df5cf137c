"""Libraries of the test data's folders, for module-scoped fixtures."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.library import Library


def folder_library(tmp_path_factory: pytest.TempPathFactory, source: Path, pattern: str = "*.md") -> Iterator[Library]:
    """A library of the files of ``source`` that match ``pattern``, copied to a folder of
    their own and synced (grouped) there."""
    folder = tmp_path_factory.mktemp(source.name)
    for path in source.glob(pattern):
        if path.is_file():
            shutil.copy(path, folder / path.name)
    with Library(tmp_path_factory.mktemp("data")) as library:
        library.sync([folder])
        yield library
