"""Loading, as the window shows it: the open folders read into the library on the loader
thread (at start, on F5, when the folder watcher hears of changes), its progress and the
library's totals in the status bar, the list and counts refreshed as documents arrive,
and story grouping after a load.

The reading is :meth:`reader.library.Library.sync`'s (:class:`reader.ui.loader.Loader`,
on its thread); this controller decides when to load and what the status bar says."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QLabel, QProgressBar

from reader.library import Counts, Library, Scope, SyncBatch, SyncReport
from reader.ui.article_list import ArticleListModel
from reader.ui.detail_pane import DetailPane
from reader.ui.loader import Loader
from reader.ui.messages import Kind
from reader.ui.queries import Queries
from reader.ui.sidebar import Sidebar
from reader.ui.status import folder_name, library_summary, quoted
from reader.ui.watcher import FolderWatcher

#: While a start only looks for changes, the library's totals show after this long (a
#: start that reads documents says "Loading 3 / 10" before: no totals flicker by).
CHECKING_SHOWN_MS = 600
#: While loading, the list and counts are refreshed at most this often ...
REFRESH_MS = 300
#: ... and, as the list grows, at most once per this many milliseconds per 1,000 rows
#: listed (up to REFRESH_MAX_MS): each refresh lists and counts everything again, which on
#: a big load would keep the query thread busy competing with the load and the window.
REFRESH_MS_PER_1000_ROWS = 20
REFRESH_MAX_MS = 2000
#: A load waits this long at most for the first list and counts (see LoadingController.start).
LOAD_WAIT_MS = 5000
#: ... and starts this long after they arrived (when they showed something).
LOAD_SETTLE_MS = 250


class LoadingHost(Protocol):
    """What the controller needs of the window it serves."""

    library: Library
    paths: list[str]
    scope: Scope
    counts: Counts | None
    queries: Queries
    article_model: ArticleListModel
    detail: DetailPane
    watcher: FolderWatcher
    progress: QProgressBar
    status_label: QLabel
    grouping_label: QLabel
    sidebar: Sidebar

    def refresh(self) -> None: ...

    def reload(self) -> None: ...

    def notify(self, text: str, kind: Kind = Kind.INFO) -> None: ...

    def library_changed(self) -> None: ...

    def update_empty_text(self) -> None: ...


class LoadingController(QObject):
    def __init__(self, host: LoadingHost, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.host = host
        self.loading = False
        self._parsing = False  #: the current load is reading documents (not just looking for changes)
        self.last_report: SyncReport | None = None
        self._version = host.library.written_elsewhere()  #: the library's when the window last looked (see _written_elsewhere)
        self._load_waiting = False  #: a load waits for the first answers (see start)
        #: The library's totals wait for the counts asked for after a load (no stale totals).
        self._awaiting_counts = False
        #: A start that only looks for changes shows the library's totals (after a moment).
        self._checking_shown = True
        self.loader = Loader(host.library.reopen, self)
        self.loader.batch.connect(self._on_batch)
        self.loader.finished.connect(self._on_loaded)
        self.loader.failed.connect(self.on_failed)
        self.loader.warned.connect(self.show_warning)
        self.loader.grouped.connect(self._on_grouped)
        self.loader.grouping_progress.connect(self._on_grouping_progress)
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_MS)
        self._refresh_timer.timeout.connect(self.host.refresh)
        self._gone: list[str] = []  #: the open folders found gone (after the last load)
        if host.watcher is not None:
            host.watcher.ready.connect(self.load_when_shown)

    def counts_shown(self) -> None:
        """New counts are shown: the library's totals follow (unless a load reads documents)."""
        if self._awaiting_counts and not self.loading:
            self._awaiting_counts = False
        if not self.loading:
            self._parsing = False
        if not self.loading or not self._parsing:
            self.show_status()

    def stop(self) -> None:
        """No more loading (the window closes)."""
        self._refresh_timer.stop()
        self.loader.stop()

    def start(self) -> None:
        """Start watching the paths for changes and loading them. The load begins once the
        list and the counts asked for have arrived (or after :data:`LOAD_WAIT_MS`): a load
        that finds nothing new still scans every file, which competes with showing what the
        library already has (for the processor, and for Python's interpreter lock). It also
        waits for the watch to be set up: a file added while the load runs is heard of, and
        read after it (see :meth:`_watch`)."""
        self._watch()
        self.loading = True
        self._parsing = False
        self.host.progress.setRange(0, 0)
        self.host.progress.show()
        self.host.status_label.setText("Loading…")
        self._checking_shown = False
        QTimer.singleShot(CHECKING_SHOWN_MS, self, self._show_checking)
        self._load_waiting = True
        QTimer.singleShot(LOAD_WAIT_MS, self, self._load_now)
        self.load_when_shown()

    def _show_checking(self) -> None:
        self._checking_shown = True
        if not self._parsing:
            self.show_status()

    def load_when_shown(self) -> None:
        watching = self.host.watcher is not None and self.host.watcher.starting
        if self._load_waiting and not self.host.queries.busy and not watching:
            # Once what arrived is painted; at once when there is nothing to show yet.
            QTimer.singleShot(LOAD_SETTLE_MS if self.host.article_model.rowCount() else 0, self, self._load_now)

    def _load_now(self) -> None:
        if self._load_waiting:
            self._load_waiting = False
            self._watch_before_load()
            self.loader.load(self.host.paths)

    def reload(self) -> None:
        """Read the folders again (and watch them again where their watch no longer holds:
        a folder deleted and made again, or swapped for another)."""
        self._watch()
        self._watch_before_load()
        self.loading = True
        self._parsing = False
        self.loader.load(self.host.paths)

    def _watch(self) -> None:
        """Watch the paths (the watch under way stays, unless it no longer holds)."""
        if self.host.watcher is not None:
            self.host.watcher.watch(self.host.paths)

    def _watch_before_load(self) -> None:
        """A load begins: a watch still being set up reads the paths again once it is (a
        file added after the load looked and before the watch held is read then)."""
        if self.host.watcher is not None:
            self.host.watcher.read_again_when_set_up()

    def files_changed(self, paths: list[str]) -> None:
        """The watcher heard of these paths (none: too many to name): read just them."""
        self.loading = True
        self._parsing = False
        self.loader.load(self.host.paths, paths or None)

    def _on_batch(self, batch: SyncBatch) -> None:
        if batch.total:
            self.host.progress.setRange(0, batch.total)
            self.host.progress.setValue(batch.done)
            self.host.progress.show()
            if batch.parsed or self.host.counts is None:  # (a check that finds nothing new keeps the counts)
                self._parsing = True
                self.host.status_label.setText(f"Loading {batch.done:,} / {batch.total:,}")
        if batch.changed or batch.removed or batch.problems:
            if not self._refresh_timer.isActive():
                rows = self.host.article_model.rowCount()
                self._refresh_timer.start(
                    min(REFRESH_MAX_MS, max(REFRESH_MS, rows * REFRESH_MS_PER_1000_ROWS // 1000))
                )

    def _on_loaded(self, report: SyncReport) -> None:
        self.loading = self.loader.running
        self.last_report = report
        self._checking_shown = True
        waiting = self._refresh_timer.isActive()
        self._refresh_timer.stop()
        # (what another process stored meanwhile is no file this load reads, but it is written)
        written = self._written_elsewhere()
        if waiting or report.parsed or report.removed_files or self.host.counts is None or written:
            self.host.queries.invalidate_counts()  # a count read before the load's end is stale
            # (the status follows the new counts; the open article's coverage, the removals
            # and edits, which are stored with the stories worked out again without them)
            self.host.library_changed()
            # "Loading 5 / 5" stays until they arrive (not the totals from before the load).
            self._awaiting_counts = not self.loading and self._parsing
        if self.host.watcher is not None:
            self.host.watcher.watch(self.host.paths)  # (again, where a folder was swapped unheard of)
            self._tell_gone(self.host.watcher.gone)
        if not self.loading:
            self.show_status()
            self.host.progress.hide()

    def _tell_gone(self, gone: list[str]) -> None:
        """Say which open folders went (deleted or moved away: their articles left the
        list) and which came back."""
        went = [path for path in gone if path not in self._gone]
        back = [path for path in self._gone if path not in gone]
        self._gone = gone
        if went:
            one = len(went) == 1
            self.host.notify(
                f"{_names(went)} {'is' if one else 'are'} gone (deleted or moved away): "
                f"{'its' if one else 'their'} articles show again when {'it is' if one else 'they are'} back.",
                Kind.WARNING,
            )
        elif back:
            self.host.notify(f"{_names(back)} {'is' if len(back) == 1 else 'are'} back.", Kind.INFO)
        if went or back:
            self.host.update_empty_text()

    @property
    def gone_names(self) -> list[str]:
        """Their names, as the window shows them."""
        return [folder_name(path) for path in self._gone]

    def _written_elsewhere(self) -> bool:
        """Whether the library was written to since the window last looked, other than by the
        window itself (which shows its own writes as it makes them): by a load, a grouping,
        another process (a command, a second window)."""
        version, self._version = self._version, self.host.library.written_elsewhere()
        return version != self._version

    @property
    def grouping(self) -> bool:
        """Whether new articles are still being grouped into stories (after a load)."""
        return self.loader.grouping

    def _on_grouping_progress(self, done: int, total: int) -> None:
        self.host.grouping_label.setText(f"Grouping stories {done:,} / {total:,}")
        self.host.grouping_label.setVisible(done < total)
        self.host.sidebar.sidebar_model.set_grouping(done < total)

    def _on_grouped(self, count: int) -> None:
        """Stories were formed after a load: Top Stories, the collapsed list and the open
        article's coverage follow (all at once: the grouping is written in one step)."""
        self.host.grouping_label.hide()
        self.host.sidebar.sidebar_model.set_grouping(False)
        written = self._written_elsewhere()
        if count or written:  # (0: nothing to group, unless another process grouped meanwhile)
            self.host.library_changed()
        else:
            self.host.update_empty_text()  # (Top Stories no longer says they are being grouped)

    def library_damaged(self, message: str) -> None:
        """The GUI thread's connection found the library file damaged and started a new one
        (the operation it was in goes on): the loader reads the documents into it."""
        self.host.notify(message, Kind.ERROR)
        QTimer.singleShot(0, self.host.reload)

    def show_warning(self, message: str) -> None:
        self.host.notify(message, Kind.ERROR)

    def on_failed(self, message: str) -> None:
        self.loading = self.loader.running
        self.host.progress.hide()
        self.host.notify(message, Kind.ERROR)

    def show_status(self) -> None:
        """The library's totals (or what its load is doing) at the right of the status bar."""
        if self.host.counts is None or self._awaiting_counts:
            return
        total, problems = self.host.counts.all.total, self.host.counts.problems
        if self._gone and not self.loading:
            self.host.status_label.setText(f"{library_summary(total, problems)} · {_names(self._gone)} gone")
            return
        if self.loading and not self._parsing:
            if not self._checking_shown:
                return  # "Loading…" for a moment: the load may be about to read documents
            if not total and not problems:
                self.host.status_label.setText("Loading…")  # a first open: nothing to check yet
                return
            self.host.status_label.setText(f"{library_summary(total, problems)} · checking for changes…")
            return
        self.host.status_label.setText(library_summary(total, problems))


def _names(paths: list[str]) -> str:
    """``“docs”`` or ``“docs”, “notes”``."""
    return quoted([folder_name(path) for path in paths])
