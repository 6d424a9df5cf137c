"""Feed subscriptions: feeds by URL, kept in the library, fetched only when the user asks.

Each subscription's last good copy is a file in the data folder (``feeds/``), synced into
the library like any feed file, so its entries are articles like any other (search,
views, read and starred marks). A refresh fetches with :mod:`reader.fetch` (conditional
GET, timeout, size cap, limited redirects, http and https only) and keeps a failure on the
subscription it belongs to; one feed failing never stops the others. No Qt: the window
runs :func:`refresh` on a worker thread, the CLI runs it directly.

OPML (the usual way feed readers exchange subscription lists) is read and written here too.
"""

from __future__ import annotations

import hashlib
import os
import time
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import quoteattr

from reader.feeds import ENTRY_MARK, Feed, looks_like_feed, parse_feed_bytes
from reader.fetch import MAX_BYTES, TIMEOUT_SECONDS, Abort, FetchError, check_url, fetch
from reader.library import Library

FEEDS_FOLDER = "feeds"


@dataclass(frozen=True, slots=True)
class Subscription:
    url: str
    title: str | None
    path: str  #: the stored copy of the feed (it need not exist before the first fetch)
    error: str | None = None  #: why the last refresh failed, or None
    checked: float | None = None  #: when it was last fetched (seconds since the epoch)
    updated: float | None = None  #: when a new copy last arrived

    @property
    def name(self) -> str:
        return self.title or self.url


@dataclass(frozen=True, slots=True)
class Refreshed:
    """The outcome of refreshing one subscription."""

    url: str  #: the subscription's address (its new one, when it moved for good)
    ok: bool
    changed: bool = False  #: a new copy arrived (not a 304 or the same bytes)
    error: str | None = None


class SubscriptionError(Exception):
    """A subscription request that cannot be carried out; the message is for the user."""


def feeds_folder(library: Library) -> Path:
    """Where the fetched copies of subscriptions are kept (add it to a window's scope)."""
    return library.data_dir / FEEDS_FOLDER


def _stored_path(library: Library, url: str) -> str:
    digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]
    return os.path.abspath(feeds_folder(library) / f"{digest}.feed")


def subscriptions(library: Library) -> list[Subscription]:
    """Every subscription, by name."""
    rows = library._db.execute(
        "SELECT url, title, path, error, checked, updated FROM subscriptions ORDER BY coalesce(title, url) COLLATE NOCASE"
    ).fetchall()
    return [Subscription(*row) for row in rows]


def subscription(library: Library, url: str) -> Subscription | None:
    row = library._db.execute(
        "SELECT url, title, path, error, checked, updated FROM subscriptions WHERE url = ?", (url,)
    ).fetchone()
    return Subscription(*row) if row else None


def subscribe(library: Library, url: str, title: str | None = None) -> Subscription:
    """Add a subscription (nothing is fetched). Subscribing twice is harmless."""
    try:
        url = check_url(url)
    except FetchError as error:
        raise SubscriptionError(str(error)) from None
    with library._transaction() as db:
        db.execute(
            "INSERT INTO subscriptions(url, title, path, added) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(url) DO UPDATE SET title = coalesce(subscriptions.title, excluded.title)",
            (url, title or None, _stored_path(library, url), time.time()),
        )
    found = subscription(library, url)
    assert found is not None
    return found


def unsubscribe(library: Library, url: str) -> bool:
    """Remove a subscription and its articles (read and starred marks are kept, as for any
    article that leaves). False when there was no such subscription."""
    found = subscription(library, url)
    if found is None:
        return False
    with library._transaction() as db:
        db.execute("DELETE FROM subscriptions WHERE url = ?", (url,))
    try:
        os.remove(found.path)
    except FileNotFoundError:
        pass
    library.sync([found.path], gone_ok=True)
    return True


def refresh(
    library: Library,
    urls: Iterable[str] | None = None,
    *,
    timeout: float = TIMEOUT_SECONDS,
    max_bytes: int = MAX_BYTES,
    progress: Callable[[Refreshed], None] | None = None,
    abort: Abort | None = None,
) -> list[Refreshed]:
    """Fetch the subscriptions (all, or those of ``urls``) one after another, store what
    changed and bring the library up to date with it. ``abort`` stops it from another
    thread (the feed being fetched fails as cancelled; the others are not fetched)."""
    wanted = set(urls) if urls is not None else None
    results: list[Refreshed] = []
    changed_paths: list[str] = []
    for sub in subscriptions(library):
        if wanted is not None and sub.url not in wanted:
            continue
        if abort is not None and abort.cancelled:
            break
        outcome = _refresh_one(library, sub, timeout, max_bytes, abort)
        if outcome.changed:
            changed_paths.append(sub.path)
        results.append(outcome)
        if progress:
            progress(outcome)
    if changed_paths:
        library.sync(changed_paths)
    return results


def _refresh_one(library: Library, sub: Subscription, timeout: float, max_bytes: int, abort: Abort | None) -> Refreshed:
    etag, last_modified = library._db.execute(
        "SELECT etag, last_modified FROM subscriptions WHERE url = ?", (sub.url,)
    ).fetchone()
    have_copy = os.path.exists(sub.path)
    now = time.time()
    try:
        got = fetch(
            sub.url,
            etag=etag if have_copy else None,
            last_modified=last_modified if have_copy else None,
            timeout=timeout,
            max_bytes=max_bytes,
            abort=abort,
        )
        if got.not_modified:
            _record(library, sub.url, checked=now, error=None)
            return Refreshed(_moved(library, sub.url, got.permanent_url), True)
        if not looks_like_feed(got.body):
            raise FetchError("the address did not return a feed (RSS, Atom or JSON Feed)")
        parsed = parse_feed_bytes(got.body, sub.path)
        if not isinstance(parsed, Feed):
            raise FetchError(parsed.reason)
    except FetchError as error:
        if abort is not None and abort.cancelled:  # not the feed's fault: nothing to keep
            return Refreshed(sub.url, False, error=str(error))
        _record(library, sub.url, checked=now, error=str(error))
        return Refreshed(sub.url, False, error=str(error))
    Path(sub.path).parent.mkdir(parents=True, exist_ok=True)
    old = Path(sub.path).read_bytes() if have_copy else None
    changed = old != got.body
    if changed:
        partial = sub.path + ".part"
        with open(partial, "wb") as handle:
            handle.write(got.body)
        os.replace(partial, sub.path)
    _record(
        library, sub.url, checked=now, error=None, etag=got.etag, last_modified=got.last_modified,
        title=sub.title or parsed.title, updated=now if changed else None,
    )  # fmt: skip
    return Refreshed(_moved(library, sub.url, got.permanent_url), True, changed=changed)


def _moved(library: Library, url: str, new_url: str | None) -> str:
    """A feed that moved permanently (301/308) is subscribed at its new address (unless
    that is a subscription of its own already). Returns the subscription's address."""
    if not new_url or new_url == url or subscription(library, new_url) is not None:
        return url
    with library._transaction() as db:
        db.execute("UPDATE subscriptions SET url = ? WHERE url = ?", (new_url, url))
    return new_url


def _record(library: Library, url: str, **values: object) -> None:
    keep_if_none = {"title", "updated"}
    assignments, params = [], []
    for column, value in values.items():
        if value is None and column in keep_if_none:
            continue
        assignments.append(f"{column} = ?")
        params.append(value)
    with library._transaction() as db:
        db.execute(f"UPDATE subscriptions SET {', '.join(assignments)} WHERE url = ?", (*params, url))


def feed_view_value(sub: Subscription) -> str:
    """The value of the library view that lists a subscription's articles."""
    return sub.path


# --------------------------------------------------------------------------- OPML


def read_opml(data: bytes) -> list[tuple[str, str | None]]:
    """(feed URL, title) of every outline with an ``xmlUrl`` in an OPML file, in order,
    each URL once. Raises SubscriptionError when the file is not OPML."""
    if b"<!ENTITY" in data:
        raise SubscriptionError("the OPML file declares entities, which Reader does not read")
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        raise SubscriptionError(f"not a readable OPML file: {error}") from None
    if root.tag.lower() != "opml":
        raise SubscriptionError("not an OPML file (its root is not <opml>)")
    found: dict[str, str | None] = {}
    for outline in root.iter("outline"):
        url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
        if url and url not in found:
            found[url] = (outline.get("title") or outline.get("text") or "").strip() or None
    return list(found.items())


def import_opml(library: Library, data: bytes) -> tuple[list[Subscription], list[str]]:
    """Subscribe to every feed of an OPML file (nothing is fetched). Returns the
    subscriptions and a line for each outline that was skipped."""
    added, skipped = [], []
    for url, title in read_opml(data):
        try:
            added.append(subscribe(library, url, title))
        except SubscriptionError as error:
            skipped.append(f"{url}: {error}")
    return added, skipped


def export_opml(subs: Sequence[Subscription]) -> str:
    """An OPML 2.0 document listing ``subs``."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<opml version="2.0">',
        "  <head><title>Reader subscriptions</title></head>",
        "  <body>",
    ]
    for sub in subs:
        lines.append(f'    <outline type="rss" text={quoteattr(sub.name)} title={quoteattr(sub.name)} xmlUrl={quoteattr(sub.url)}/>')
    lines += ["  </body>", "</opml>", ""]
    return "\n".join(lines)


def entry_range(path: str) -> tuple[str, str]:
    """The range of library paths holding the entries of the feed file at ``path``."""
    return path + ENTRY_MARK, path + os.sep + chr(ord("#") + 1)
