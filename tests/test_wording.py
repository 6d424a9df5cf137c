"""Counts in words, one definition for the command line and the window."""

from __future__ import annotations

from reader.wording import plural


def test_plural_counts_as_people_read_them() -> None:
    assert plural(1, "article") == "1 article"
    assert plural(0, "article") == "0 articles"
    assert plural(2000, "document") == "2,000 documents"  # thousands grouped
    assert plural(1, "saved search", "saved searches") == "1 saved search"
    assert plural(3, "saved search", "saved searches") == "3 saved searches"


def test_the_command_line_and_the_window_say_counts_the_same_way() -> None:
    from reader import cli
    from reader.ui import marks, status

    assert cli.plural is plural and marks.plural is plural and status.plural is plural
