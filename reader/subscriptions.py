"""Feed subscriptions: feeds by URL, kept in the library, fetched only when the user asks.

Each subscription's last good copy is a file in the data folder (``feeds/``, named relative
to the data folder, so a data folder moved or copied keeps its subscriptions), synced into
the library like any feed file, so its entries are articles like any other (search,
views, read and starred marks). A refresh fetches with :mod:`reader.fetch` (conditional
GET, timeout, size cap, limited redirects, http and https only), parses what arrived once
(relative links resolved against the subscription's address) and keeps a failure on the
subscription it belongs to; one feed failing never stops the others. A copy stored but not
yet in the library (a refresh killed between the two) is synced the next time
(:func:`sync_copies`). No Qt: the window runs :func:`refresh` on a worker thread, the CLI
runs it directly.

OPML (the usual way feed readers exchange subscription lists) is read and written here too.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from xml.sax.saxutils import quoteattr

from reader.article import Document, Problem
from reader.documents import parse_bytes, parse_path
from reader.feeds import Feed, looks_like_feed, parse_feed_bytes
from reader.fetch import MAX_BYTES, TIMEOUT_SECONDS, Abort, FetchError, check_url, fetch
from reader.library import Library, SyncReport

FEEDS_FOLDER = "feeds"
#: A refresh brings the library up to date every this many new copies (or bytes of them).
SYNC_FEEDS = 25
SYNC_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Subscription:
    url: str
    title: str | None
    path: str  #: the stored copy of the feed, absolute (it need not exist before the first fetch)
    error: str | None = None  #: why the last refresh failed, or None
    checked: float | None = None  #: when it was last fetched (seconds since the epoch)
    updated: float | None = None  #: when a new copy last arrived
    fetched_url: str | None = None  #: where the copy came from (after redirects)

    @property
    def name(self) -> str:
        return self.title or self.url


def short_url(url: str) -> str:
    """``url`` as a name: without ``http://``, ``www.`` and a trailing slash."""
    parts = urlsplit(url)
    host = parts.netloc.removeprefix("www.")
    rest = url.split(parts.netloc, 1)[1] if parts.netloc else url
    return (host + rest).rstrip("/") or url


def short_names(subs: Sequence[Subscription]) -> dict[str, str]:
    """A short name for each subscription (by URL) that tells it from the others, for a
    narrow list: its title, else its address without the scheme (``example.org/feed.xml``);
    a title that another subscription has too is followed by the address. Untitled ones of
    the same host lead with what tells them apart, their path (``news/feed.xml
    (127.0.0.1:1876)``): a narrow list cuts a long name in the middle."""
    hosts: dict[str, int] = {}
    for sub in subs:
        if not sub.title:
            host = urlsplit(sub.url).netloc.removeprefix("www.")
            hosts[host] = hosts.get(host, 0) + 1

    def short(sub: Subscription) -> str:
        if sub.title:
            return sub.title
        name = short_url(sub.url)
        host = urlsplit(sub.url).netloc.removeprefix("www.")
        rest = name.removeprefix(host).lstrip("/")
        return f"{rest} ({host})" if host and rest and hosts.get(host, 0) > 1 else name

    counts: dict[str, int] = {}
    for sub in subs:
        counts[short(sub).casefold()] = counts.get(short(sub).casefold(), 0) + 1
    return {
        sub.url: short(sub) if counts[short(sub).casefold()] == 1 or not sub.title else f"{sub.title} ({short_url(sub.url)})"
        for sub in subs
    }


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


def _stored_name(url: str) -> str:
    """Where a new subscription's copy is kept, relative to the data folder."""
    digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]
    return f"{FEEDS_FOLDER}/{digest}.feed"


def copy_path(library: Library, stored: str) -> str:
    """The absolute path of a copy kept as ``stored`` (relative to the data folder)."""
    return os.path.abspath(os.path.join(library.data_dir, stored))


def _subscription(library: Library, row: Sequence[object]) -> Subscription:
    """A row of :meth:`Library.subscription_rows` as a :class:`Subscription`."""
    url, title, stored, *rest = row
    return Subscription(str(url), title, copy_path(library, str(stored)), *rest)  # type: ignore[arg-type]


def subscriptions(library: Library) -> list[Subscription]:
    """Every subscription, by name."""
    return [_subscription(library, row) for row in library.subscription_rows()]


def subscription(library: Library, url: str) -> Subscription | None:
    """The subscription at ``url``, however either address is spelled: the one stored as
    ``url``, else the one whose address is ``url``'s in :func:`reader.fetch.check_url`'s
    spelling (``HTTP://Host/feed#top`` is ``http://host/feed``), also when it was stored in
    another spelling (by a Reader that did not write addresses in that spelling yet)."""
    rows = library.subscription_rows(url)
    if rows:
        return _subscription(library, rows[0])
    try:
        wanted = check_url(url)
    except FetchError:
        return None
    rows = library.subscription_rows(wanted)
    if rows:
        return _subscription(library, rows[0])
    for row in library.subscription_rows():
        try:
            same = check_url(str(row[0])) == wanted
        except FetchError:
            continue
        if same:
            return _subscription(library, row)
    return None


def subscribe(library: Library, url: str, title: str | None = None) -> Subscription:
    """Add a subscription (nothing is fetched). Subscribing twice is harmless, also in
    another spelling of the address (:func:`subscription`)."""
    try:
        url = check_url(url)
    except FetchError as error:
        raise SubscriptionError(str(error)) from None
    existing = subscription(library, url)
    if existing is not None:
        url = existing.url  # (it gets ``title`` only if it had none)
    library.add_subscription(url, title or None, _stored_name(url), time.time())
    found = subscription(library, url)
    assert found is not None
    return found


def unsubscribe(library: Library, url: str) -> bool:
    """Remove a subscription and its articles (read and starred marks are kept, as for any
    article that leaves), also those the library has from the copy at a former place of a
    data folder moved or copied. False when there was no such subscription (in any spelling
    of the address: :func:`subscription`)."""
    found = subscription(library, url)
    if found is None:
        return False
    former = _former_places(library, [found]).get(found.path, [])  # (a data folder moved or copied)
    library.remove_subscription(found.url)
    try:
        os.remove(found.path)
    except FileNotFoundError:
        pass
    library.sync([found.path], gone_ok=True, group=not former)
    for n, path in enumerate(former, 1):
        # The rows the library has for the copy at a former place of the data folder: named
        # as the copy (gone now), so the sync forgets them as it forgets any file that went.
        library.move_feed_file(path, found.path)
        library.sync([found.path], gone_ok=True, group=n == len(former))
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
    changed and bring the library up to date with it (new copies parsed once, and synced a
    batch of feeds at a time while the others are fetched). ``abort`` stops it from another thread (the feed being fetched fails as
    cancelled; the others are not fetched). ``urls`` may be spelled in any way
    (:func:`subscription`); one of no subscription is not fetched (see :func:`not_subscribed`)."""
    wanted = {found.url for url in urls if (found := subscription(library, url)) is not None} if urls is not None else None
    results: list[Refreshed] = []
    pending: dict[str, Feed] = {}  # new copies, parsed, not yet synced
    size = 0
    # A data folder moved or copied: the library's rows of the copies follow them first, or a
    # new copy read at its place now would leave the rows at the former one behind.
    _follow_moved_copies(library, subscriptions(library))
    for sub in subscriptions(library):
        if wanted is not None and sub.url not in wanted:
            continue
        if abort is not None and abort.cancelled:
            break
        outcome, parsed = _refresh_one(library, sub, timeout, max_bytes, abort)
        if parsed is not None:
            pending[sub.path] = parsed
            size += os.path.getsize(sub.path)
        if len(pending) >= SYNC_FEEDS or size >= SYNC_BYTES:
            # A sync of many feeds costs much less than one per feed (stories are grouped
            # once), and what was fetched shows while the rest is fetched.
            library.sync(list(pending), parse=_parser(library, pending))
            pending, size = {}, 0
        results.append(outcome)
        if progress:
            progress(outcome)
    if pending:
        library.sync(list(pending), parse=_parser(library, pending))
    sync_copies(library)  # (and any copy a refresh cut short stored but never synced)
    return results


def not_subscribed(library: Library, urls: Iterable[str]) -> list[str]:
    """Those of ``urls`` that are no subscription's address, in any spelling."""
    return [url for url in urls if subscription(library, url) is None]


def sync_copies(library: Library, *, group: bool = True) -> SyncReport:
    """Bring the library up to date with the stored copies of the subscriptions: those that
    changed since the library read them (a copy stored by a refresh that was stopped before
    its sync) are read again; unchanged ones cost a look at their size and time. When the
    data folder was moved or copied, the library's rows of the copies at their former place
    move to where the copies are now (marks, stories and all). ``group``: as for
    :meth:`Library.sync`."""
    subs = subscriptions(library)
    if not subs:
        return SyncReport()
    _follow_moved_copies(library, subs)
    return library.sync([s.path for s in subs], gone_ok=True, parse=_parser(library, {}), group=group)


def _parser(library: Library, parsed: dict[str, Feed]) -> Callable[[Sequence[str]], list[Document]]:
    """Parsing for a sync of copies: what a refresh parsed already is used as it is; a copy
    read from its file has its relative links resolved against its subscription's address."""
    bases = {s.path: s.url for s in subscriptions(library)}

    def parse(paths: Sequence[str]) -> list[Document]:
        return [parsed.get(path) or _parse_copy(path, bases.get(path)) for path in paths]  # type: ignore[misc]

    return parse


def _parse_copy(path: str, base_url: str | None) -> Document:
    if base_url is None:
        return parse_path(path)
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError:
        return parse_path(path)  # (which says why)
    if len(data) <= MAX_BYTES and looks_like_feed(data):
        return parse_feed_bytes(data, path, base_url=base_url)  # type: ignore[return-value]
    return parse_bytes(data, path) if len(data) <= MAX_BYTES else parse_path(path)


def _follow_moved_copies(library: Library, subs: Sequence[Subscription]) -> None:
    """For each copy the library does not have at its place: rows it has for the copy under
    another data folder (``…/feeds/<name>``, where this one was moved or copied from) are
    renamed to the copy's place now, with its entries, so nothing is parsed again or lost."""
    missing = [s for s in subs if os.path.exists(s.path) and not library.knows_file(s.path)]
    for new, old in _former_places(library, missing).items():
        library.move_feed_file(old[0], new)  # (the first, if several)


def _former_places(library: Library, subs: Sequence[Subscription]) -> dict[str, list[str]]:
    """Where the library has rows for the copies of ``subs`` other than their place now: at
    ``…/feeds/<name>`` under another data folder, which this one was moved or copied from.
    By the copy's path now."""
    if not subs:
        return {}
    wanted = {os.path.basename(s.path): s.path for s in subs}
    tail = os.sep + FEEDS_FOLDER + os.sep
    former: dict[str, list[str]] = {}
    for path in library.feed_files():
        name = os.path.basename(path)
        if name in wanted and path.endswith(tail + name) and path != wanted[name]:
            former.setdefault(wanted[name], []).append(path)
    return former


def _refresh_one(
    library: Library, sub: Subscription, timeout: float, max_bytes: int, abort: Abort | None
) -> tuple[Refreshed, Feed | None]:
    """Fetch one subscription and store what arrived; with the feed parsed when it changed."""
    etag, last_modified = library.subscription_validators(sub.url)
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
            return Refreshed(_moved(library, sub.url, got.permanent_url), True), None
        if not looks_like_feed(got.body):
            raise FetchError("the address did not return a feed (RSS, Atom or JSON Feed)")
        old = Path(sub.path).read_bytes() if have_copy else None
        # Relative links are resolved against the subscription's address (its new one when it
        # moved for good), not wherever a temporary redirect led this time: so an entry's link,
        # and the id that comes from it, is the same from fetch to fetch.
        base = _address_after(library, sub.url, got.permanent_url)
        changed = old != got.body or base != sub.url
        parsed = parse_feed_bytes(got.body, sub.path, base_url=base) if changed else None
        if isinstance(parsed, Problem):
            raise FetchError(parsed.reason)
    except FetchError as error:
        if abort is not None and abort.cancelled:  # not the feed's fault: nothing to keep
            return Refreshed(sub.url, False, error=str(error)), None
        _record(library, sub.url, checked=now, error=str(error))
        return Refreshed(sub.url, False, error=str(error)), None
    if changed:
        Path(sub.path).parent.mkdir(parents=True, exist_ok=True)
        partial = sub.path + ".part"
        with open(partial, "wb") as handle:
            handle.write(got.body)
        os.replace(partial, sub.path)
    _record(
        library, sub.url, checked=now, error=None, etag=got.etag, last_modified=got.last_modified,
        title=sub.title or (parsed.title if parsed else None), updated=now if changed else None,
        fetched_url=got.url,
    )  # fmt: skip
    return Refreshed(_moved(library, sub.url, got.permanent_url), True, changed=changed), parsed


def _moved(library: Library, url: str, new_url: str | None) -> str:
    """A feed that moved permanently (301/308) is subscribed at its new address (unless
    that is a subscription of its own already). Returns the subscription's address."""
    after = _address_after(library, url, new_url)
    if after != url:
        library.rename_subscription(url, after)
    return after


def _address_after(library: Library, url: str, new_url: str | None) -> str:
    """The address of the subscription at ``url`` once it follows a permanent move to
    ``new_url`` (None: none), as :func:`_moved` does."""
    if not new_url or new_url == url or subscription(library, new_url) is not None:
        return url
    return new_url


def _record(library: Library, url: str, **values: object) -> None:
    keep_if_none = {"title", "updated"}
    library.record_subscription(url, {c: v for c, v in values.items() if v is not None or c not in keep_if_none})


def feed_view_value(sub: Subscription) -> str:
    """The value of the library view that lists a subscription's articles."""
    return sub.path


# --------------------------------------------------------------------------- OPML


def read_opml(data: bytes) -> list[tuple[str, str | None]]:
    """(feed URL, title) of every outline with an ``xmlUrl`` (spelled in any case, as other
    readers write it: ``xmlURL``) in an OPML file (OPML 2.0's namespace or none), in order,
    each feed once (its address as :func:`reader.fetch.check_url` spells it: ``HTTP://Host/f``
    and ``http://host/f#top`` are one feed). Raises SubscriptionError when the file is not OPML."""
    if b"<!ENTITY" in data:
        raise SubscriptionError("the OPML file declares entities, which Reader does not read")
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        raise SubscriptionError(f"not a readable OPML file: {error}") from None
    if _local_name(root.tag).lower() != "opml":
        raise SubscriptionError("not an OPML file (its root is not <opml>)")
    found: dict[str, str | None] = {}
    for outline in root.iter():
        if _local_name(outline.tag) != "outline":
            continue
        url = next((value.strip() for key, value in outline.attrib.items() if key.lower() == "xmlurl" and value.strip()), "")
        try:
            url = check_url(url) if url else url
        except FetchError:
            pass  # (kept as it is: importing it says why it is skipped)
        if url and url not in found:
            names = ((outline.get(key) or "").strip() for key in ("title", "text"))
            found[url] = next((name for name in names if name and not _is_address(name, url)), None)
    return list(found.items())


def _local_name(tag: str) -> str:
    """An element's name without its namespace (``{http://opml.org/spec2}opml`` -> ``opml``)."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _is_address(name: str, url: str) -> bool:
    """Whether ``name`` is only the feed's address (as an export writes an untitled feed, or
    as the sidebar shows it): no title, which the feed's own then fills in."""
    host = urlsplit(url).netloc.removeprefix("www.")
    short = short_url(url)
    rest = short.removeprefix(host).lstrip("/")
    return name in (url, short, f"{rest} ({host})")


@dataclass(frozen=True, slots=True)
class OpmlImported:
    """What importing an OPML file did."""

    added: list[Subscription]  #: the feeds subscribed to now
    already: list[Subscription]  #: those subscribed to before (a title they lacked is taken)
    skipped: list[str]  #: a line for each outline that could not be used


def import_opml(library: Library, data: bytes) -> OpmlImported:
    """Subscribe to every feed of an OPML file (nothing is fetched)."""
    before = {sub.url for sub in subscriptions(library)}
    added: list[Subscription] = []
    already: list[Subscription] = []
    skipped: list[str] = []
    for url, title in read_opml(data):
        try:
            sub = subscribe(library, url, title)
        except SubscriptionError as error:
            skipped.append(f"{url}: {error}")
            continue
        (already if sub.url in before else added).append(sub)
    return OpmlImported(added, already, skipped)


#: Characters XML 1.0 does not allow in a document (most control characters, lone
#: surrogates, U+FFFE and U+FFFF): a feed's title may hold them, an OPML file may not.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_attribute(text: str) -> str:
    """``text`` as a quoted XML attribute, without the characters XML 1.0 forbids."""
    return quoteattr(_NOT_XML.sub("", text))


def export_opml(subs: Sequence[Subscription]) -> str:
    """An OPML 2.0 document listing ``subs`` (well-formed whatever their titles hold)."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<opml version="2.0">',
        "  <head><title>Reader subscriptions</title></head>",
        "  <body>",
    ]
    names = short_names(subs)
    for sub in subs:
        # An untitled feed: its text is what the sidebar shows, and it has no title (the
        # feed's own fills it in wherever the file is read; see _is_address).
        text, title = (sub.title, f" title={_xml_attribute(sub.title)}") if sub.title else (names[sub.url], "")
        lines.append(f'    <outline type="rss" text={_xml_attribute(text)}{title} xmlUrl={_xml_attribute(sub.url)}/>')
    lines += ["  </body>", "</opml>", ""]
    return "\n".join(lines)
