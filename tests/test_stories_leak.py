"""The reports of Microsoft's 38 TB leak (September 2023) in one story: those the Tech Report's
document lists in words of their own, and those a later document's list names."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.library import Library
from tests.libraries import folder_library
from tests.test_stories_related import _stories_of_entries

#: The Tech Report's document of the leak (19 September 2023). Its entries #3 ("Microsoft AI
#: Employee Accidentally Leaks 38TB of Data", 18 September) and #8 ("Microsoft AI researchers
#: leaked 38TB worth of private company data", 19 September) report the leak in words of their
#: own; #17, "Microsoft AI Data Exposure: 5 Things To Know", is an explainer of it.
LEAK = "2023-09-20-38-terabytes-of-sensitive-data-accidentally-exposed-by-microsoft-ai-researchers.md"
#: Microsoft's event of 21 September 2023 (ZDNet's list of its products): its entries #24
#: ("Microsoft AI Team Accidentally Leaks 38TB of Confidential Corporate Data") and #32
#: ("Microsoft AI Researchers Accidentally Exposed 38TB of Sensitive Data") report the leak.
EVENT = "2023-09-21-every-product-microsoft-unveiled-at-its-surface-and-ai-event-today.md"


@pytest.fixture(scope="module")
def september(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    yield from folder_library(tmp_path_factory, Path(__file__).parent / "data" / "sep2023")


def test_the_reports_the_document_left_alone_are_in_its_story_and_its_explainer_is_not(september: Library) -> None:
    """(The document's story takes the entries of its list left alone like it and its reports.)"""
    story, entries = _stories_of_entries(september, LEAK)
    assert entries[3] == entries[8] == story
    assert entries[17] != story


def test_the_reports_a_later_list_names_are_in_the_leaks_story(september: Library) -> None:
    """(They join the story's group of reports.)"""
    leak, _ = _stories_of_entries(september, LEAK)
    event, entries = _stories_of_entries(september, EVENT)
    assert event != leak
    assert entries[24] == entries[32] == leak
