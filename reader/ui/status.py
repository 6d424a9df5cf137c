"""What the status bar says: the current view's summary and the library's, as text.

The status bar has two kinds of text. Temporary messages ("Starred", "Marked 5 articles
read", a failed fetch) are shown by ``notify(text, kind)`` (:mod:`reader.ui.messages`) on its
left and go away by themselves. The permanent part on its right is two labels kept up to date by the window:
what the current view holds ("15 articles · 3 unread in AI", or "37 matches in AI" while
searching) and the library beside it ("156 articles · 0 problems", or its loading state).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence

from reader.filenames import shown
from reader.library import Count, View, ViewKind
from reader.ui.actions import key_text, with_key
from reader.wording import plural


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


def empty_texts(keys: Mapping[str, Sequence[str]] | None = None) -> dict[ViewKind, str]:
    """What an empty view is for, and how to fill it, naming the actions' ``keys`` (by
    action name, see :func:`~reader.ui.actions.key_text`; None: the defaults)."""
    star = key_text("toggle_star", keys)
    how_star = f"Press {star} on an article to star it" if star else "Star an article (Article > Star / Unstar)"
    return {
        ViewKind.ALL: f"No articles yet.\n{with_key('Open a folder of news documents', 'open_folder', keys)}, drop one "
                      f"here, or {with_key('subscribe to a feed', 'subscribe', keys)}.",
        ViewKind.UNREAD: "Nothing unread: you are up to date.",
        ViewKind.STARRED: f"No starred articles.\n{how_star}; starred articles are kept here.",
        ViewKind.TODAY: "Nothing published in the last 24 hours.",
        ViewKind.TOP: "No stories yet.\nArticles from several outlets about the same news form stories; "
                      "they show here best first.",
    }


def empty_text(
    key: View | str,
    *,
    query_error: bool,
    first_load: bool,
    searching: bool,
    feed_error: str | None = None,
    keys: Mapping[str, Sequence[str]] | None = None,
    grouping: bool = False,
    gone: Sequence[str] = (),
    saved_error: str | None = None,
) -> str:
    """What the list of ``key`` says when it holds nothing: a malformed search
    (``query_error``), a first load under way, a search that found nothing, or what the
    view is for (a feed's: ``feed_error``, why its last fetch failed), naming the actions'
    ``keys`` (None: the defaults). ``grouping``: stories are being grouped (after a load),
    so Top Stories says so rather than that there are none. ``gone``: the names of the open
    folders that are gone, said by All Articles and Unread rather than how to fill them.
    ``saved_error``: what is wrong with the query of the saved search ``key`` (one kept by
    an earlier Reader that this one does not take), which then lists nothing."""
    if query_error:
        return "No results until the search is fixed (its mistake is under the field; Esc clears it)."
    if first_load:
        return "Loading…"
    if searching:
        return "No articles match this search.\nEsc clears it."
    if not isinstance(key, View):
        return ""
    if saved_error is not None and key.kind == ViewKind.SAVED:
        return f"This saved search's query is not understood: {saved_error}.\n{with_key('Edit it', 'edit_search', keys)}."
    if gone and key.kind in (ViewKind.ALL, ViewKind.UNREAD):
        names = quoted(gone)
        if len(gone) == 1:  # (a folder, or a file opened alone)
            return f"{names} is gone (deleted or moved away).\nIts articles show again when it is back."
        return f"{names} are gone (deleted or moved away).\nTheir articles show again when they are back."
    if grouping and key.kind == ViewKind.TOP:
        return "Grouping stories…\nThey show here, best first, as soon as they are grouped."
    if key.kind == ViewKind.FEED:
        reload = key_text("reload", keys)
        if feed_error:
            again = f"Press {reload} to try again." if reload else "File > Reload tries again."
            return f"This feed could not be fetched: {feed_error}\n{again}"
        return "No articles from this feed yet.\n" + (f"Press {reload} to fetch it." if reload else "File > Reload fetches it.")
    return empty_texts(keys).get(key.kind, "No articles here.")


def folder_name(path: str) -> str:
    """An open folder's name (or a file's, opened on its own) as the window shows it."""
    return shown(os.path.basename(path.rstrip(os.sep)) or path)


def quoted(names: Sequence[str]) -> str:
    """``“docs”`` or ``“docs”, “notes”``."""
    return ", ".join(f"“{name}”" for name in names)
