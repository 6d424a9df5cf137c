"""The labelled weeks' (and spans') documents synced one at a time, each newer than the ones before,
write what one sync of them all writes: the append path (a document's story taking the
entries it left again, taking a story of related entries alone, copies of a headline listed
later joining the story that holds it) ends where grouping the whole folder does."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from test_stories import (APR2023, AUG2021, AUG2021B, AUG2023, DEC2022, DEC2023, FEB2022, FEB2023, FEB2024, JAN2023, JAN2024, JUL2023,
                          JUN2021, JUN2022, JUN2023, MAR2023, MAR2024, MAY2023, NOV2021, NOV2023, OCT2023, SEP2022, SEP2023, WEEK2022,
                          WEEK2023, shown)

from reader.library import Library
from reader.stories import storage

_PUBLISHED = re.compile(r"^publishedDateTime:\s*\"?([^\"\n]+)", re.MULTILINE)  # (the document's own, not its entries')


def _in_date_order(folder: Path) -> list[Path]:
    paths = [p for p in folder.glob("*.md") if p.name != "SOURCE.md"]
    dates = {p: _PUBLISHED.findall(p.read_text(encoding="utf-8")) for p in paths}
    assert all(len(found) == 1 for found in dates.values())  # (every one dated, once)
    return sorted(paths, key=lambda p: (dates[p][0], p.name))


@pytest.mark.parametrize("source", [WEEK2022, WEEK2023, FEB2023, MAY2023, JUL2023, SEP2023, NOV2023, DEC2023, APR2023, AUG2023,
                                    JAN2023, JUN2023, MAR2023, FEB2024, MAR2024, JAN2024, OCT2023, DEC2022, JUN2022, SEP2022,
                                    NOV2021, FEB2022, JUN2021, AUG2021, AUG2021B],
                                    ids=lambda p: p.name)
def test_documents_synced_one_at_a_time_write_what_one_sync_writes(
        tmp_path: Path, source: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    appended: list[int] = []
    append = storage._append

    def counted(*args: Any) -> int | None:
        done = append(*args)
        if done is not None:
            appended.append(done)
        return done

    monkeypatch.setattr(storage, "_append", counted)
    folder = tmp_path / "docs"
    folder.mkdir()
    with Library(tmp_path / "data") as library:
        paths = _in_date_order(source)
        for path in paths:
            shutil.copy(path, folder / path.name)
            library.sync([folder])
        found = shown(library)
    # most syncs after the first were appended to the grouping kept in memory, not grouped again (a
    # document that an earlier one lists as a related entry is grouped again with them: the entry is it)
    assert 2 * len(appended) > len(paths) - 1 and len(appended) >= 2
    with Library(tmp_path / "fresh") as library:
        library.sync([folder])
        expected = shown(library)
    assert found == expected
