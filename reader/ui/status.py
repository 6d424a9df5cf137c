"""What the status bar says: the current view's summary and the library's, as text.

The status bar has two kinds of text. Temporary messages ("Starred", "Marked 5 articles
read", a failed fetch) are shown with ``QStatusBar.showMessage`` on its left and go away by
themselves. The permanent part on its right is two labels kept up to date by the window:
what the current view holds ("15 articles · 3 unread in AI", or "37 matches in AI" while
searching) and the library beside it ("156 articles · 0 problems", or its loading state).
"""

from __future__ import annotations

from reader.library import Count


def plural(count: int, noun: str) -> str:
    """``1 article``, ``2,000 articles``."""
    return f"{count:,} {noun}" + ("" if count == 1 else "s")


def view_summary(name: str, count: Count | None, *, matches: int | None = None, problems: bool = False) -> str:
    """What the view called ``name`` holds: its articles and unread ones (``count``), the
    number of ``matches`` of a search, or its documents that could not be read
    (``problems``)."""
    if matches is not None:
        return f"{matches:,} {'match' if matches == 1 else 'matches'} in {name}"
    if count is None:
        return ""
    if problems:
        return f"{plural(count.total, 'document')} could not be read" if count.total else "No problems"
    return f"{plural(count.total, 'article')} · {count.unread:,} unread in {name}"


def library_summary(articles: int, problems: int) -> str:
    """The open folders and feeds: ``156 articles · 0 problems``."""
    return f"{plural(articles, 'article')} · {plural(problems, 'problem')}"
