"""Counts as people read them, for the command line and the window alike. No Qt."""

from __future__ import annotations


def plural(count: int, noun: str) -> str:
    """``1 article``, ``2,000 articles``."""
    return f"{count:,} {noun}" + ("" if count == 1 else "s")
