"""Counts as people read them, for the command line and the window alike. No Qt."""

from __future__ import annotations


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """``1 article``, ``2,000 articles``; ``nouns`` is the plural when it is not ``noun`` + s
    (``1 saved search``, ``2 saved searches``)."""
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {nouns or noun + 's'}"
