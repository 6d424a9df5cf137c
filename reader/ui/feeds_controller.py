"""The subscriptions, as the window shows them: listed under Feeds in the sidebar, fetched
in the background (on F5 and every few minutes), subscribed to, unsubscribed from, imported
and exported as OPML. A subscription's view with no article shown shows the feed itself.

The fetching is :mod:`reader.subscriptions`' (on the refresh thread,
:class:`reader.ui.feed_refresh.FeedRefresher`); this controller decides what the window
asks and says."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject, QTimer

from reader import subscriptions
from reader.library import Counts, Library, SyncReport, View, ViewKind
from reader.ui.actions import key_text
from reader.ui.detail_pane import DetailPane, render_feed
from reader.ui.feed_refresh import FeedRefresher
from reader.ui.messages import Kind
from reader.ui.queries import Queries
from reader.ui.sidebar import FeedItem, Sidebar
from reader.wording import plural
from reader.ui.view_data import Key

log = logging.getLogger(__name__)


class FeedsHost(Protocol):
    """What the controller needs of the window it serves."""

    library: Library
    sidebar: Sidebar
    detail: DetailPane
    queries: Queries
    view_key: Key
    counts: Counts | None

    def refresh(self) -> None: ...

    def library_changed(self) -> None: ...

    def notify(self, text: str, kind: Kind = Kind.INFO) -> None: ...

    def ask_feed_url(self) -> str: ...

    def ask_open_path(self, title: str, filters: str) -> str: ...

    def ask_save_path(self, title: str, filters: str) -> str: ...


class FeedsController(QObject):
    def __init__(self, host: FeedsHost, refresh_minutes: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.host = host
        self.library = host.library
        #: The refresh thread's owner (its ``failed`` is the window's to show).
        self.refresher = FeedRefresher(self.library.reopen, self)
        self.refresher.finished.connect(self._on_feeds_refreshed)
        self.refresher.progress.connect(self._on_feed_refreshed)
        self.refresher.synced.connect(self._on_copies_synced)
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.refresh_feeds)
        #: Subscriptions by their copy's path (the value of their FEED view), and their names.
        self._subs: dict[str, subscriptions.Subscription] = {}
        self._feed_names: dict[str, str] = {}
        self.set_feed_refresh(refresh_minutes)
        self.show_feeds()
        if self._subs:  # the library may not have the copies as they are (a folder moved ...)
            self.refresher.sync_copies()

    def tell_failed(self) -> None:
        """Say which subscriptions failed at their last refresh (when the window opens)."""
        failed = [s for s in self._subs.values() if s.error]
        if failed:
            self.host.notify(
                f"{plural(len(failed), 'feed')} failed at the last refresh: "
                f"{', '.join(self._feed_names[s.path] for s in failed[:3])}{' …' if len(failed) > 3 else ''}"
                " — select one under Feeds to see why",
                Kind.ERROR,
            )

    def show_feeds(self) -> None:
        """List the subscriptions (names, errors) in the sidebar."""
        try:
            subs = subscriptions.subscriptions(self.library)
        except Exception as error:  # e.g. a library from before subscriptions, read-only
            log.warning("could not list subscriptions: %s", error)
            subs = []
        names = subscriptions.short_names(subs)
        self._subs = {s.path: s for s in subs}
        self._feed_names = {s.path: names[s.url] for s in subs}
        self.host.sidebar.set_feeds(tuple(FeedItem(s.path, names[s.url], s.error) for s in subs))
        if self.host.detail.showing_feed:
            self.show_feed_state()

    def show_feed_state(self) -> bool:
        """In a subscription's view with no article shown, the article pane shows the feed:
        its address, last fetch and error, next refresh and articles. False when the view
        is not a subscription's."""
        key = self.host.view_key
        sub = self._subs.get(key.value or "") if isinstance(key, View) and key.kind == ViewKind.FEED else None
        if sub is None:
            return False
        assert isinstance(key, View)
        timer = self.timer
        counts = self.host.counts
        self.host.detail.show_feed(
            render_feed(
                sub,
                self._feed_names.get(sub.path, sub.name),
                counts.of(key) if counts is not None else None,
                every_minutes=timer.interval() // 60_000 if timer.isActive() else 0,
                next_refresh=time.time() + timer.remainingTime() / 1000 if timer.isActive() else None,
                fetching=self.refresher.running,
                keys=self.host.detail.keys,
            )
        )
        return True

    def _on_copies_synced(self, report: SyncReport | str) -> None:
        if isinstance(report, str):
            self.host.notify(report, Kind.ERROR)
            return
        if report.parsed or report.removed_files:
            self.host.library_changed()

    def refresh_feeds(self, urls: Sequence[str] | None = None) -> bool:
        """Fetch the subscriptions (all, or ``urls``) in the background. False when there
        are none."""
        if urls is None:
            self.show_feeds()  # (another Reader may have subscribed since)
            if not self.host.sidebar.sidebar_model.feeds():
                return False
        self.refresher.refresh(urls)
        self.host.notify("Fetching feeds…", Kind.PROGRESS)
        if self.host.detail.showing_feed:
            self.show_feed_state()
        return True

    def set_feed_refresh(self, minutes: int) -> None:
        """Refresh the subscriptions every ``minutes`` while the window is open (0: only on F5)."""
        if minutes > 0:
            self.timer.start(minutes * 60_000)
        else:
            self.timer.stop()

    def _on_feed_refreshed(self, result: subscriptions.Refreshed) -> None:
        if result.changed:
            self.host.refresh()  # its new articles show while the others are fetched

    def _on_feeds_refreshed(self, results: list[subscriptions.Refreshed]) -> None:
        self.host.library_changed()  # (the feeds' errors and names too)
        failed = [r for r in results if not r.ok]
        text = f"Fetched {plural(len(results) - len(failed), 'feed')}"
        if failed:
            text += f"; {len(failed):,} failed (see Feeds in the sidebar)"
        self.host.notify(text, Kind.WARNING if failed else Kind.INFO)

    def subscribe(self) -> None:
        """File > Subscribe to Feed: add it, list it and fetch it."""
        url = self.host.ask_feed_url()
        if not url:
            return
        try:
            sub = subscriptions.subscribe(self.library, url)
        except subscriptions.SubscriptionError as error:
            self.host.notify(f"Not subscribed: {error}", Kind.WARNING)
            return
        self.show_feeds()
        self.host.sidebar.select(View(ViewKind.FEED, sub.path))
        self.refresh_feeds([sub.url])

    def unsubscribe(self) -> None:
        """File > Unsubscribe: the feed selected in the sidebar."""
        key = self.host.view_key
        found = [s for s in subscriptions.subscriptions(self.library) if isinstance(key, View) and key == View(ViewKind.FEED, s.path)]
        if not found:
            self.host.notify("Select a feed under Feeds in the sidebar first", Kind.INFO)
            return
        if self.refresher.running:
            self.host.notify("Feeds are being fetched; try again in a moment", Kind.INFO)
            return
        subscriptions.unsubscribe(self.library, found[0].url)
        self.host.sidebar.select(View(ViewKind.ALL))
        self.host.queries.invalidate_counts()
        self.host.library_changed()  # (the feed gone from the sidebar too)
        self.host.notify(f"Unsubscribed from {found[0].name}", Kind.INFO)

    def import_opml(self) -> None:
        path = self.host.ask_open_path("Import subscriptions", "OPML files (*.opml *.xml);;All files (*)")
        if not path:
            return
        try:
            done = subscriptions.import_opml(self.library, Path(path).read_bytes())
        except OSError as error:
            self.host.notify(f"Not imported: {error.strerror or error}", Kind.WARNING)
            return
        except subscriptions.SubscriptionError as error:
            self.host.notify(f"Not imported: {error}", Kind.WARNING)
            return
        self.show_feeds()
        text = f"Imported {plural(len(done.added), 'subscription')}"
        if done.already:
            text += f", {len(done.already):,} already subscribed"
        if done.added:
            reload = key_text("reload", self.host.detail.keys)
            text += f" — {f'press {reload}' if reload else 'choose File > Reload'} to fetch them"
        if done.skipped:
            text += f" ({len(done.skipped):,} skipped: {done.skipped[0]})"
        self.host.notify(text, Kind.INFO)

    def export_opml(self) -> None:
        subs = subscriptions.subscriptions(self.library)
        if not subs:
            self.host.notify("There are no subscriptions to export", Kind.INFO)
            return
        path = self.host.ask_save_path("Export subscriptions", "OPML files (*.opml)")
        if not path:
            return
        try:
            Path(path).write_text(subscriptions.export_opml(subs), encoding="utf-8")
        except OSError as error:
            self.host.notify(f"Not saved: {error.strerror or error}", Kind.ERROR)
            return
        self.host.notify(f"Saved {plural(len(subs), 'subscription')} to {path}", Kind.INFO)

    def stop(self) -> None:
        """Stop refreshing (the window closes)."""
        self.timer.stop()
        self.refresher.stop()
