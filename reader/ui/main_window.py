"""The main window: the composition root that builds the panes, the models, the loader and
the actions, and wires their signals. Decisions about data are the library's.

The GUI thread never waits for a query over the whole library: counts, the lists of views
and marking a whole view read run on the query thread (:mod:`reader.ui.queries`) and are
shown when they arrive. What stays here is small: one article, its mark, a screen of rows."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import partial

from PySide6.QtCore import QEvent, QSignalBlocker, Qt, QTimer, QUrl
from PySide6.QtGui import QCloseEvent, QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from reader import stories, subscriptions
from reader.feeds import feed_of
from reader.article import Article, Problem, Taxonomy
from reader.library import (
    Count,
    Counts,
    Library,
    LibraryError,
    ListRow,
    Scope,
    Sort,
    SyncReport,
    View,
    ViewKind,
    make_scope,
)
from reader.search import Query
from reader.taxonomy import source_descriptions, topic_descriptions
from reader.ui.actions import SORT_ACTIONS, ActionRegistry
from reader.ui.article_list import ArticleList, ArticleListModel
from reader.ui.detail_pane import DetailPane
from reader.ui.drops import DropOpener
from reader.ui.export_dialog import ExportDialog, show_export
from reader.ui.feeds_controller import FeedsController
from reader.ui.help import ShortcutHelp
from reader.ui.label_picker import LabelsController
from reader.ui.images import ImageFetcher
from reader.ui.keymap import KeyMap, dropped_text
from reader.ui.fulltext_controller import FullTextController
from reader.ui.loading_controller import LoadingController
from reader.ui.marks import MarksController
from reader.ui.messages import Kind, show
from reader.ui.panes import PANE_STEP, fit_sidebar, resize_pane
from reader.ui.preferences import show_preferences
from reader.ui.problems_list import ProblemsList
from reader.ui.queries import Job, ListJob, MarkJob, MarkReadJob, Queries, RuleJob, StoryJob, UndoJob, UnreadJob, write_job
from reader.ui.saved_searches import SavedSearchesController
from reader.ui.search_bar import SearchBar
from reader.ui.settings import ZOOM_MAX, ZOOM_MIN, Settings
from reader.ui.sidebar import Sidebar
from reader.ui.view_data import PROBLEMS, TRENDS, Key, Listing, ShownSaved, shown_saved
from reader.ui.trends_view import TrendsController, TrendsView
from reader.ui.volume_chart import VolumeChart
from reader.ui.volume_controller import VolumeController
from reader.ui.status import empty_text, folder_name, view_summary
from reader.wording import plural
from reader.ui.status_bar import build_status_widgets
from reader.ui.story_timeline import StoryTimelineController
from reader.ui.theme import ThemeManager
from reader.ui.watcher import FolderWatcher
from reader.ui.window_memory import WindowMemory
from reader.urls import is_safe_link, strip_tracking

log = logging.getLogger(__name__)

#: What a write still waiting at quit is called in the log when it cannot be done.
_WRITE_NAMES: dict[type, str] = {MarkJob: "mark", MarkReadJob: "mark-all-read", UndoJob: "undo", RuleJob: "rule"}


#: Rows n and p look through here before they ask the query thread to look further.
UNREAD_SCAN_ROWS = 300
SORT_LABELS: dict[Sort, str] = {
    Sort.NEWEST: "Newest first",
    Sort.OLDEST: "Oldest first",
    Sort.TITLE: "Title",
    Sort.SOURCE: "Source",
    Sort.HEAT: "Heat",
}
#: What the sort box calls the default order in Top Stories, which lists its stories by their
#: score in that order (stories of one score newest first; the View menu's:
#: :data:`~reader.ui.actions.SORT_NEWEST_IN_TOP`).
TOP_SORT_LABEL = "Top score first"


class MainWindow(QMainWindow):
    def __init__(
        self, paths: Sequence[str | os.PathLike[str]], library: Library, settings: Settings | None = None
    ) -> None:
        super().__init__()
        #: The row current when the window was last closed (the article open, or the row a
        #: version open was opened from), until it is shown again: listed in its view whatever
        #: its marks, as the row of the article open is (see _request_list).
        self.restored_rowid: int | None = None
        self.setObjectName("mainWindow")
        self.setAccessibleName("Reader")
        self.setAccessibleDescription("Sidebar of views, list of articles, and the selected article")
        self.library = library
        self.settings = settings if settings is not None else Settings()
        #: Milliseconds an article is shown before it is marked read (settings.NEVER: not).
        self.mark_read_delay = self.settings.mark_read_delay
        self._settings_unsaved_told = False  #: whether the status bar said preferences cannot be saved
        self.remote_images = self.settings.remote_images
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        self.theme = ThemeManager(app, self)
        self.paths = [os.path.abspath(os.fspath(p)) for p in paths]
        self.scope = self._make_scope()
        self.view_key: Key = View(ViewKind.ALL)
        #: The saved search the view shows: read when the view or the library changes.
        self.shown_saved: ShownSaved | None = None
        self.query: Query | None = None
        self.matches: int | None = None  #: articles the search found (None: no search)
        self.sort = Sort.NEWEST
        #: One row per story (key G); marking such a row read marks every copy read.
        self.collapsed = False
        #: The view, query and folders of the list shown (asked for again in the same view,
        #: a list keeps the row the article open was opened from: see _request_list).
        self._shown_as: tuple[Key, Query | None, Scope] | None = None
        #: While a list shown puts back the row an article was opened from: it is not opened.
        self._keeping_row = False
        #: The counts the sidebar shows (None until first counted).
        self.counts: Counts | None = None
        #: Counts the library answered, to be shown in the next event-loop turn, with the
        #: count generation they were asked in (None: none waiting).
        self._counted_waiting: tuple[int, Counts] | None = None
        #: The taxonomy definitions (None: to be read again), and the topics and sources
        #: they were matched to.
        self._taxonomies: list[Taxonomy] | None = None
        self._described: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())
        self._described_after: SyncReport | None = None  #: the load they were read after
        #: The sidebar was sized by hand (or restored): it is no longer fitted to its names.
        self.sidebar_sized = False
        self._query_error: str | None = None  #: the search field holds a malformed query
        #: How links are handed to the browser (tests replace it).
        self.open_url: Callable[[QUrl], object] = QDesktopServices.openUrl
        #: Ask for a feed's address, a file to open and a file to save (tests replace them).
        self.ask_feed_url: Callable[[], str] = self._ask_feed_url
        self.ask_open_path: Callable[[str, str], str] = self._ask_open_path
        self.ask_save_path: Callable[[str, str], str] = self._ask_save_path
        self.saved_searches = SavedSearchesController(self)
        self.labels = LabelsController(self)
        self._build()
        self.queries = Queries(library.reopen, self)
        self.queries.counted.connect(self._counted)
        self.queries.listed.connect(self._on_list)
        self.queries.found_unread.connect(self._on_unread_found)
        self.queries.story_found.connect(self._on_story)
        self.queries.failed.connect(self._on_query_failed)
        self.queries.rule_set.connect(self.saved_searches.on_rule_set)
        self.queries.failed.connect(self.saved_searches.on_rule_failed)
        self.marks = MarksController(self, self)
        self.images = ImageFetcher(library.path.parent / "images", self)
        self.images.loaded.connect(self.detail.image_loaded)
        self.images.failed.connect(self.detail.image_failed)
        self.images.finished.connect(self._images_finished)
        self.fulltext = FullTextController(self, self)
        self.feed_control = FeedsController(self, self.settings.feed_refresh_minutes, self)
        self.feeds = self.feed_control.refresher
        self.watcher = FolderWatcher(ignore=str(library.data_dir), parent=self)
        self.load_control = LoadingController(self, self)
        self.loader = self.load_control.loader
        self.queries.warned.connect(self.load_control.show_warning)
        self.feeds.failed.connect(self.load_control.on_failed)
        self.watcher.changed.connect(self.load_control.files_changed)
        self.set_remote_images(self.remote_images)
        self.drops = DropOpener(self, self.open_paths, (self.detail.browser.viewport(), self.search_bar.field))
        self._update_title()
        with QSignalBlocker(self.sidebar):  # the view is asked for below, once
            self.sidebar.select(self.view_key)
        self._request_list(new=True)  # the first screen first, then the counts
        self.queries.request_counts(self.scope)
        if self._keys_dropped:  # (keys of the settings file the window does not use)
            self.notify(dropped_text(self._keys_dropped), Kind.WARNING)
        self.feed_control.tell_failed()  # (a warning about the library, below, matters more)
        for warning in library.warnings:
            self.notify(warning, Kind.ERROR)
        # A damaged library file met here (on the GUI thread) gets a new file at once; the
        # loader then reads the documents into it on its thread.
        library.rebuild_when_damaged = False
        library.on_warning = self.load_control.library_damaged
        self.memory = WindowMemory(self, self.settings)
        self.volume_control = VolumeController(self)
        self.story_timeline = StoryTimelineController(self)
        self.trends_control = TrendsController(self)

    def notify(self, text: str, kind: Kind = Kind.INFO) -> None:
        """Say ``text`` on the left of the status bar, for as long as its ``kind`` stays."""
        show(self.statusBar(), text, kind)

    # ------------------------------------------------------------------ building

    def _build(self) -> None:
        self.resize(1200, 760)
        self.sidebar = Sidebar(self)
        self.search_bar = SearchBar(self)
        self.article_model = ArticleListModel(self._list_rows, self)
        self.article_list = ArticleList(self.article_model, self)
        self.problems_list = ProblemsList(self)
        self.trends_view = TrendsView(self)
        self.detail = DetailPane(self)
        self.volume_chart = VolumeChart(self)

        self.sort_box = QComboBox(self)
        self.sort_box.setObjectName("sortBox")
        self.sort_box.setAccessibleName("Sort articles by")
        self.sort_box.setAccessibleDescription("The order of the article list (also in the View menu)")
        self.sort_box.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        # (as wide as its longest item: "Top score first" in Top Stories, see _name_default_sort)
        self.sort_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for sort, label in SORT_LABELS.items():
            self.sort_box.addItem(label, sort)
        self.sort_box.activated.connect(lambda i: self.set_sort(self.sort_box.itemData(i)))

        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.article_list)
        self.stack.addWidget(self.problems_list)
        self.stack.addWidget(self.trends_view)
        middle = QWidget(self)
        column = QVBoxLayout(middle)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 6, 0)
        top.addWidget(self.search_bar, 1)
        top.addWidget(self.sort_box, 0, Qt.AlignmentFlag.AlignTop)
        column.addLayout(top)
        column.addWidget(self.volume_chart)
        column.addWidget(self.stack, 1)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(middle)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setStretchFactor(2, 2)
        self.splitter.setSizes([230, 400, 570])
        self.splitter.setChildrenCollapsible(False)
        self.splitter.splitterMoved.connect(lambda *_: setattr(self, "sidebar_sized", True))
        self.setCentralWidget(self.splitter)

        handlers = {name: self._safely(handler) for name, handler in self._handlers().items()}
        keymap = KeyMap(self.settings.store)
        self.registry = ActionRegistry(self, handlers, keymap.all())
        self._keys_dropped = keymap.dropped  # (said once the window is built)
        for name in ("load_images", "load_fulltext"):  # (off in Preferences: their keys say so)
            self.registry.explain_when_disabled(name)
        self.search_bar.set_keys(self.registry.keys)
        self.detail.set_keys(self.registry.keys)
        self.registry.build_menus(self.menuBar())
        toolbar = QToolBar("Toolbar", self)
        toolbar.setObjectName("toolbar")
        toolbar.setMovable(False)
        toolbar.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        toolbar.setAccessibleName("Toolbar")
        toolbar.setAccessibleDescription("Reload, next unread, mark read, star, open original, mark all read")
        self.registry.build_toolbar(toolbar)
        self.addToolBar(toolbar)
        self.registry[f"sort_{self.sort}"].setChecked(True)

        status = build_status_widgets(self.statusBar(), self, self.library.read_only)
        self.view_label, self.grouping_label = status.view_label, status.grouping_label
        self.progress, self.status_label = status.progress, status.status_label

        self.sidebar.selected.connect(self.show_view)
        self.search_bar.query_changed.connect(self.set_query)
        self.search_bar.query_failed.connect(self._on_query_error)
        self.search_bar.done.connect(lambda: self._focus_list())
        self.article_list.selectionModel().selectionChanged.connect(self._article_changed)
        self.article_list.activated.connect(lambda _index: self.open_original())
        self.problems_list.selectionModel().currentChanged.connect(
            lambda *_: self.detail.show_problem(self.problems_list.current_problem())
        )
        self.detail.topic_requested.connect(lambda topic: self.sidebar.select(View(ViewKind.TOPIC, topic)))
        self.detail.link_requested.connect(self.open_link)
        self.detail.open_button.clicked.connect(self.open_original)
        self.detail.copy_button.clicked.connect(self.copy_link)
        self.detail.star_button.clicked.connect(lambda: self.marks.toggle_star())
        QWidget.setTabOrder(self.sidebar, self.article_list)
        QWidget.setTabOrder(self.article_list, self.detail.browser)
        QWidget.setTabOrder(self.detail.browser, self.search_bar.field)
        self.article_list.setFocus()

    def _safely(self, handler: Callable[[], object]) -> Callable[[], object]:
        """``handler``, with a library that cannot be written reported in the status bar."""

        def run() -> object:
            try:
                return handler()
            except LibraryError as error:
                self.notify(f"Not saved: {error}", Kind.ERROR)
                return None

        return run

    def _handlers(self) -> dict[str, Callable[[], object]]:
        return {
            "open_folder": self.choose_folder,
            "subscribe": lambda: self.feed_control.subscribe(),
            "import_opml": lambda: self.feed_control.import_opml(),
            "export_opml": lambda: self.feed_control.export_opml(),
            "unsubscribe": lambda: self.feed_control.unsubscribe(),
            "reload": self.reload,
            "export": self.export,
            "preferences": lambda: show_preferences(self),
            "quit": self.close,
            "next_article": lambda: self.step(1),
            "previous_article": lambda: self.step(-1),
            "next_unread": lambda: self.step_unread(1),
            "previous_unread": lambda: self.step_unread(-1),
            "page_down": lambda: self.page(1),
            "page_up": lambda: self.page(-1),
            "next_view": lambda: self.sidebar.step(1),
            "previous_view": lambda: self.sidebar.step(-1),
            "view_all": lambda: self.sidebar.select(View(ViewKind.ALL)),
            "view_unread": lambda: self.sidebar.select(View(ViewKind.UNREAD)),
            "view_starred": lambda: self.sidebar.select(View(ViewKind.STARRED)),
            "view_today": lambda: self.sidebar.select(View(ViewKind.TODAY)),
            "view_top": lambda: self.sidebar.select(View(ViewKind.TOP)),
            "collapse_stories": self.toggle_collapse,
            "show_timeline": lambda: self.volume_control.toggle(),
            "focus_next": lambda: self.cycle_focus(1),
            "focus_previous": lambda: self.cycle_focus(-1),
            "focus_search": self.focus_search,
            "focus_story": self.focus_story,
            "toggle_read": lambda: self.marks.toggle_read(),
            "toggle_star": lambda: self.marks.toggle_star(),
            "open_original": self.open_original,
            "copy_link": self.copy_link,
            "load_images": self.load_images,
            "load_fulltext": lambda: self.fulltext.load(),
            "always_fulltext": lambda: self.fulltext.toggle_always(),
            "mark_all_read": lambda: self.marks.mark_all_read(),
            "undo": lambda: self.marks.undo(),
            **{name: partial(self.set_sort, Sort(name.removeprefix("sort_"))) for name in SORT_ACTIONS},
            "zoom_in": lambda: self.zoom(self.detail.zoom + 1),
            "zoom_out": lambda: self.zoom(self.detail.zoom - 1),
            "zoom_reset": lambda: self.zoom(0),
            "widen_pane": lambda: self.resize_pane(PANE_STEP),
            "narrow_pane": lambda: self.resize_pane(-PANE_STEP),
            "help": self.show_help,
            "label_article": self.labels.pick,
            **self.saved_searches.handlers(),
        }

    # ------------------------------------------------------------------ loading

    def start(self) -> None:
        """Load the open folders and watch them (see :meth:`LoadingController.start`)."""
        self.load_control.start()

    def reload(self) -> None:
        """Read the folders again and fetch the subscriptions (F5)."""
        self.load_control.reload()
        self.feed_control.refresh_feeds()

    @property
    def loading(self) -> bool:
        """Whether the open folders are being read."""
        return self.load_control.loading

    @property
    def last_report(self) -> SyncReport | None:
        """What the last load found (None before one ended)."""
        return self.load_control.last_report

    @property
    def grouping(self) -> bool:
        """Whether new articles are still being grouped into stories (after a load)."""
        return self.load_control.grouping

    # ------------------------------------------------------------------ feeds

    def _make_scope(self) -> tuple[str, ...]:
        """The open folders and the subscriptions' copies: what the window lists."""
        return make_scope([*self.paths, subscriptions.feeds_folder(self.library)])

    def _ask_feed_url(self) -> str:
        url, ok = QInputDialog.getText(self, "Subscribe to Feed", "Web address of the feed (RSS, Atom or JSON Feed):")
        return url.strip() if ok else ""

    def _ask_open_path(self, title: str, filters: str) -> str:
        return QFileDialog.getOpenFileName(self, title, os.path.expanduser("~"), filters)[0]

    def _ask_save_path(self, title: str, filters: str) -> str:
        start = os.path.join(os.path.expanduser("~"), "subscriptions.opml")
        return QFileDialog.getSaveFileName(self, title, start, filters)[0]

    # ------------------------------------------------------------------ refreshing

    @property
    def busy(self) -> bool:
        """Whether library work the window asked for (or will ask for shortly) is not done."""
        return self.queries.busy or self.marks.recounting

    def refresh(self) -> None:
        """Ask for the current view and the counts again (shown when they arrive)."""
        self._request_list()
        self.queries.request_counts(self.scope)

    def _request_list(self, *, new: bool = False, reset: bool = False) -> None:
        """Ask for the current view's list; ``new`` when it is another list (a view, query,
        sort or folder) rather than a newer one: answers to earlier requests are dropped.
        In the view shown, the row the article open was opened from stays listed whatever
        the view's conditions (and the search's, when it is the search shown), which the
        user's own marks may have made it miss: read by opening it in Unread, unstarred in
        Starred, read under a search for ``is:unread``."""
        if self.view_key == TRENDS:
            self.trends_control.request()
            return
        if self._query_error is not None and self.view_key != PROBLEMS:  # (no results until the search is fixed)
            return
        asked_as = (self.view_key, self.query, self.scope)
        shown = self._shown_as
        same_view = shown is not None and shown[0] == asked_as[0] and shown[2] == asked_as[2]
        opened = self.article_list.current_rowid() if same_view and self.detail.article is not None else None
        if opened is None and self.detail.article is None:
            opened = self.restored_rowid  # (read when it was left open in Unread: shown again all the same)
        self.queries.request_list(self.view_key, self.query, self.sort, self.scope, new=new, collapse=self.collapsed,
                                  keep=self._open_rowid(), opened=opened, same_search=shown == asked_as, reset=reset)

    def _open_rowid(self) -> int | None:
        """The row of the article open in the pane (not the list's current row when it was
        opened from the story timeline), or None."""
        article = self.detail.article
        return self.library.rowid_of(article.id) if article is not None else None

    def _on_list(self, job: ListJob, result: Listing | list[Problem]) -> None:
        if isinstance(result, Listing):
            opened = self._open_rowid()
            listed = result.positions if result.positions is not None else result.rowids
            if opened is not None and opened != job.keep and opened not in listed:
                # Asked for while another article was open (j right after a sort or g): it
                # is listed for that one, and may have lost the one open now. Asked again.
                self._request_list(reset=job.reset)
                return
            same = self._shown_as == (job.key, job.query, job.scope)
            self._shown_as = (job.key, job.query, job.scope)
            self._show_listing(result, reset=job.reset, same=same)
            # (the articles that match, as the view's own count says: a collapsed row holds several)
            matches = (len(result.rowids) if result.articles is None else result.articles) if job.query is not None else None
            if matches != self.matches:
                self.matches = matches
                self._show_view_status()
            self.update_empty_text()
        else:
            self._show_problems(result, reset=job.reset)
        self.load_control.load_when_shown()

    def _show_listing(self, listing: Listing, *, reset: bool, same: bool = False) -> None:
        """Show the rows of the view. The article open stays open: its row is the current
        one when the list holds it (standing for its story while stories are collapsed);
        else the row it was opened from stays current (a version opened from the story
        timeline that the list does not hold); else, when the list is the one shown
        asked for again (``same``), the row standing for its story in Top Stories (which
        lists it by another document when its lead changed). Showing a list opens nothing
        and marks nothing read."""
        current = self.article_list.current_rowid()
        opened = self._open_rowid()
        self.article_model.set_listing(listing, reset=reset)
        keep = opened if opened is not None and self.article_model.row_of(opened) >= 0 else current
        if same and opened is not None and (keep is None or self.article_model.row_of(keep) < 0):
            keep = self._story_row(opened)
        if keep is not None and self.article_list.current_rowid() != keep:
            self._select_quietly(keep)
        self._update_detail()

    def _story_row(self, rowid: int) -> int | None:
        """In Top Stories, the row listing the story of the article at ``rowid`` by another
        of its documents (its lead, when that changed while the article was open); else None."""
        if not isinstance(self.view_key, View) or self.view_key.kind is not ViewKind.TOP:
            return None
        return next((other for other in self.library.story_rowids(rowid) if self.article_model.row_of(other) >= 0), None)

    def _select_quietly(self, rowid: int) -> bool:
        """Make ``rowid``'s row the current one without opening its article (the pane keeps
        what it shows). False when the list does not hold it."""
        if self.article_model.row_of(rowid) < 0:
            return False
        self._keeping_row = True
        try:
            return self.article_list.select_rowid(rowid)
        finally:
            self._keeping_row = False

    def show_row(self, rowid: int, article_id: str | None = None) -> bool:
        """Make ``rowid``'s row current and show its article, or ``article_id`` (a version
        opened from the story timeline beside the row it was opened from), without opening
        it: nothing is marked read (the window as it was last closed, shown again). False
        when the list does not hold the row (nor, in Top Stories, another row listing its
        story: the article is then shown beside that one)."""
        if not self._select_quietly(rowid):
            story_row = self._story_row(rowid)
            if story_row is None or not self._select_quietly(story_row):
                return False
        article = self.library.article(article_id) if article_id is not None else None
        if article is not None and article != self.detail.article:
            self._show_article(article)
        else:
            self._update_detail()  # (nothing is open: the current row's article, not marked read)
        return True

    def show_unopened(self, article_id: str) -> bool:
        """Show ``article_id`` in the pane without opening it (nothing is marked read): the
        article left open beside Trends, which lists no articles, shown again. False when
        the library no longer has it."""
        article = self.library.article(article_id)
        if article is None:
            return False
        self._show_article(article)
        return True

    def show_problem(self, path: str) -> bool:
        """Make the problem of the file ``path`` current and show it (the problem left open,
        shown again). False when the Problems list does not hold it."""
        if not self.problems_list.select_path(path):
            return False
        current = self.problems_list.current_problem()
        if current != self.detail.problem:  # (a new current row has shown it already)
            self.detail.show_problem(current)
        return True

    def _show_problems(self, problems: list[Problem], *, reset: bool) -> None:
        """Show the problems; the one current stays current while the list holds its file,
        and the pane follows: its reason as read now, or nothing once it is gone (as the
        article pane does when the article open leaves the list)."""
        current = self.problems_list.current_problem()
        self.problems_list.problems_model.set_problems(problems, self.paths)
        if current is not None:
            self.problems_list.select_path(current.path)
        now = self.problems_list.current_problem()
        if reset or now != self.detail.problem:
            self.detail.show_problem(now)

    def _counted(self, counts: Counts) -> None:
        """Counts answered by the library that change only numbers are shown in a later
        event-loop turn than the one they arrive in (while a load runs a list often arrives
        in the same one, and its rows and the sidebar's counts together kept the window
        busy for longer at a time). Only the newest waiting counts are shown; none after the
        window changed its counts itself in between (as an answer dropped by the query
        thread). Counts that bring or remove sidebar items are shown at once (what listens
        to the answer may look for an item)."""
        if self.counts is None or not self.sidebar.sidebar_model.same_items(counts):
            self._counted_waiting = None
            self.show_counts(counts)
            return
        if self._counted_waiting is None:
            QTimer.singleShot(0, self, self._show_counted)
        self._counted_waiting = (self.queries.count_generation, counts)

    def _show_counted(self) -> None:
        waiting, self._counted_waiting = self._counted_waiting, None
        if waiting is not None and waiting[0] == self.queries.count_generation:
            self.show_counts(waiting[1])

    def show_counts(self, counts: Counts) -> None:
        self.counts = counts
        self._show_descriptions(counts)
        self.sidebar.set_counts(counts)
        if self.detail.showing_feed:
            self.feed_control.show_feed_state()
        self.load_control.counts_shown()
        self._show_view_status()
        self.update_empty_text()
        self._fit_sidebar()
        self.load_control.load_when_shown()

    def _show_descriptions(self, counts: Counts) -> None:
        """Topics and sources get the descriptions of the taxonomy files as tooltips (read
        again after a load, which may have brought new ones)."""
        names = (tuple(counts.topics), tuple(counts.sources))
        report = self.load_control.last_report
        if self._taxonomies is not None and names == self._described and report is self._described_after:
            return
        if self._taxonomies is None or report is not self._described_after:
            self._taxonomies = self.library.taxonomies()
            self._described_after = report
        self._described = names
        tips: dict[Key, str] = {
            View(ViewKind.TOPIC, name): text for name, text in topic_descriptions(self._taxonomies, names[0]).items()
        }
        tips.update(
            (View(ViewKind.SOURCE, name), text) for name, text in source_descriptions(self._taxonomies, names[1]).items()
        )
        self.sidebar.sidebar_model.set_descriptions(tips)

    def _show_view_status(self) -> None:
        """What the current view holds, beside the library's totals."""
        name = self.sidebar.label_of(self.view_key) or "All Articles"
        if self._query_error is not None:
            self.view_label.setText("Search not run: fix it to see results")
            return
        if self.counts is None:
            self.view_label.setText("")
            return
        if self.view_key == PROBLEMS:
            self.view_label.setText(view_summary(name, Count(self.counts.problems, 0), problems=True))
            return
        if self.view_key == TRENDS:
            self.view_label.setText("Trends: topics and sources that rose most lately")
            return
        assert isinstance(self.view_key, View)
        self.view_label.setText(view_summary(name, self.counts.of(self.view_key), matches=self.matches))

    def _update_detail(self) -> None:
        """Keep the article pane in step with the list: the article open as the library has
        it now (its file may have changed), or nothing when the list lost it and the row it
        was opened from. (With none open, the current row's article, not marked read.)"""
        rowid = self.article_list.current_rowid()
        shown = self.detail.article
        article = self.library.article(shown.id if shown is not None else rowid) if rowid is not None else None
        if article is None:
            if not self.feed_control.show_feed_state() and (self.detail.article is not None or self.detail.showing_feed):
                self.detail.show_article(None)
        elif article != self.detail.article:
            self._show_article(article)

    # ------------------------------------------------------------------ views

    def show_view(self, key: Key) -> None:
        """Show another view. Its list is asked for; until it arrives the list shows what
        it showed (and the current article stays, if the new list has it)."""
        previous, self.view_key = self.view_key, key
        self.shown_saved = shown_saved(self.library, key)
        self.volume_control.fit_view()
        if key == PROBLEMS:
            self.stack.setCurrentWidget(self.problems_list)
            self.detail.show_problem(self.problems_list.current_problem())
        elif key == TRENDS:
            self.stack.setCurrentWidget(self.trends_view)
            if self.volume_control.shown:
                self.volume_control.ask()  # (the whole library's, beside the trends)
        else:
            self.stack.setCurrentWidget(self.article_list)
        if previous == PROBLEMS and key != PROBLEMS:
            self.detail.show_article(None)  # the current article comes back if the view has it
        self._show_view_status()
        self._name_default_sort()
        self._request_list(new=True)

    def _name_default_sort(self) -> None:
        """Call the default order what it is in the view shown: the score in Top Stories (see
        :data:`TOP_SORT_LABEL`), the date elsewhere."""
        top = isinstance(self.view_key, View) and self.view_key.kind is ViewKind.TOP
        self.sort_box.setItemText(self.sort_box.findData(Sort.NEWEST), TOP_SORT_LABEL if top else SORT_LABELS[Sort.NEWEST])
        self.registry.set_default_sort_text(top)

    @property
    def search_malformed(self) -> bool:
        """Whether the search in the field is malformed (the list shows no results)."""
        return self._query_error is not None

    def set_query(self, query: Query | None) -> None:
        if self._query_error is not None:
            self._query_error = None
            self._show_view_status()  # ("Search not run" no more)
        self.query = query
        if self.view_key in (PROBLEMS, TRENDS):
            self.sidebar.select(View(ViewKind.ALL))  # which asks for the list
            return
        self._request_list(new=True)

    def _on_query_error(self, message: str) -> None:
        """A malformed search: no results are shown (not the last query's), until it is fixed."""
        self._query_error = message
        self.queries.list_generation += 1  # answers on their way are for the query before
        self._shown_as = None
        if self.view_key != PROBLEMS:
            self._show_listing(Listing([]), reset=True)
        self.update_empty_text()
        self._show_view_status()

    def update_empty_text(self) -> None:
        """What the list says when it holds nothing: what the view is for, and how to fill it."""
        self.article_list.set_empty_text(self._empty_text())

    def _empty_text(self) -> str:
        key = self.view_key
        feed = next((f for f in self.sidebar.sidebar_model.feeds() if f.key == key), None)
        return empty_text(
            key,
            query_error=self._query_error is not None,
            first_load=self.loading and self.counts is not None and not self.counts.all.total,
            searching=self.query is not None,
            feed_error=feed.error if feed is not None else None,
            keys=self.registry.keys,
            grouping=self.loading or self.grouping,  # (stories are grouped after the load)
            gone=self.load_control.gone_names,
            saved_error=self.shown_saved.error if self.shown_saved is not None else None,
        )

    def resize_pane(self, delta: int) -> None:
        """Widen (``delta`` > 0) or narrow the focused pane (see :func:`panes.resize_pane`)."""
        if resize_pane(self.splitter, self.focusWidget(), delta):
            self.sidebar_sized = True

    def _fit_sidebar(self) -> None:
        """Size the sidebar to its names (within limits) until it is sized by hand."""
        if not self.sidebar_sized:
            fit_sidebar(self.splitter, self.sidebar.preferred_width())

    def set_sort(self, sort: Sort) -> None:
        self.sort = sort
        for name in SORT_ACTIONS:
            self.registry[name].setChecked(name == f"sort_{sort}")
        self.sort_box.setCurrentIndex(max(0, self.sort_box.findData(sort)))
        self._request_list(new=True)  # the current article stays current, scrolled to
        if hasattr(self, "memory"):
            self.memory.changed()

    # ------------------------------------------------------------------ articles

    def _article_changed(self, *_selection: object) -> None:
        if self._keeping_row:
            return  # (a list shown puts the row back; the pane keeps what is open)
        row = self.article_list.current_row()
        listed = self.article_model.list_row(row) if row is not None else None
        if listed is not None and self.detail.article is not None and listed.id == self.detail.article.id:
            return
        article = self.library.article(listed.rowid) if listed is not None else None
        if article is None:
            if not self.feed_control.show_feed_state():
                self.detail.show_article(None)
            return
        assert listed is not None
        self.show_opened(article, listed.rowid)

    def show_opened(self, article: Article, rowid: int) -> None:
        """Show ``article`` (at ``rowid``), opened: marked read as the preferences say."""
        read, starred = self.marks.article_shown(article, rowid)
        self._show_article(article, read=read, starred=starred)

    def _show_article(self, article: Article, *, read: bool | None = None, starred: bool | None = None) -> None:
        full, status = self.fulltext.to_show(article)  # (shown with it: the article is rendered once)
        self.detail.show_article(
            article,
            read=self.marks.is_read(article.id) if read is None else read,
            starred=self.marks.is_starred(article.id) if starred is None else starred,
            # (a feed entry names its feed file)
            paths=list(dict.fromkeys(feed_of(p) or p for p in self.library.paths(article.id))),
            story=self.story_context(article.id),
            fulltext=full,
            fulltext_status=status,
        )
        self.detail.set_labels(self.library.labels_of(article.id))
        self.fulltext.article_shown(article, full)

    def story_context(self, article_id: str) -> stories.Context | None:
        """The story of ``article_id`` for the article pane: at once (a story holds at most
        100 versions: some 15 ms); but when the window shows only part of the library, None
        now, and the query thread works it out and the pane shows it when it arrives: its
        rank within the folders shown needs the articles there (some 10-20 ms at 10,000 after
        any write, such as a mark)."""
        if self.library.covers_library(self.scope):
            return self.library.story_context(article_id, self.scope)
        self.queries.request_story(article_id, self.scope)
        return None

    def library_changed(self) -> None:
        """The library was written other than by the window's own marks (a load, a grouping,
        a feed fetch, an unsubscribe, another Reader: a command, a second window): the
        lists, the counts, the subscriptions, and the open article's marks and story follow."""
        self.shown_saved = shown_saved(self.library, self.view_key)  # (its query may be another)
        self.refresh()
        self.feed_control.show_feeds()  # (a command may have subscribed or unsubscribed)
        if self.detail.article is not None:
            self.marks.update_detail_state()  # (another Reader may have marked or labelled it)
            self.detail.set_labels(self.library.labels_of(self.detail.article.id))
            context = self.story_context(self.detail.article.id)
            if context is not None:
                self.detail.set_story(context)

    def _on_story(self, job: StoryJob, context: stories.Context) -> None:
        if self.detail.article is not None and self.detail.article.id == job.article_id:
            self.detail.set_story(context)

    def _list_rows(self, rowids: Sequence[int]) -> dict[int, ListRow]:
        """The list's rows: while stories are collapsed, a row is read only when every copy
        of its story is (it stands for them all)."""
        return self.library.rows(rowids, stories=self.collapsed)

    def toggle_collapse(self) -> None:
        """One row per story (with its number of outlets), or every article again."""
        self.collapsed = not self.collapsed
        self.registry["collapse_stories"].setChecked(self.collapsed)
        self.notify("Stories collapsed" if self.collapsed else "Stories expanded", Kind.INFO)
        self._request_list(new=True)
        self.queries.collapsed = self.collapsed  # (Top stories' unread: those whose row is, as it shows)
        self.queries.invalidate_counts()
        self.queries.request_counts(self.scope)

    def current_article_id(self) -> str | None:
        return self.detail.article.id if self.detail.article else None

    def step(self, delta: int) -> None:
        if self.view_key == PROBLEMS:
            self.problems_list.step(delta)
        elif self.view_key == TRENDS:
            self.trends_view.step(delta)
        else:
            self.article_list.step(delta)

    def step_unread(self, delta: int) -> bool:
        """Go to the next (+1) or previous (-1) unread article: near ones at once, far ones
        when the query thread has found them. True when the selection moved now."""
        if self.view_key in (PROBLEMS, TRENDS):
            return False
        row, resume = self.article_list.find_unread(delta, UNREAD_SCAN_ROWS)
        if row is not None:
            return self.article_list.select_row(row)
        if resume is not None:
            rowids = self.article_model.rowids()
            self.queries.find_unread(rowids, resume, delta, self.article_list.current_rowid(), self.collapsed)
            return False
        self.notify("No more unread articles in this view", Kind.INFO)
        return False

    def _on_unread_found(self, job: UnreadJob, row: int | None) -> None:
        if job.generation != self.queries.list_generation or self.article_list.current_rowid() != job.origin:
            return  # another list, or the user moved on meanwhile
        if row is None:
            self.notify("No more unread articles in this view", Kind.INFO)
        elif not self.article_list.select_rowid(job.rowids[row]):
            self.step_unread(job.delta)  # that one left the list meanwhile: look again

    def page(self, direction: int) -> None:
        if not self.detail.page(direction) and direction > 0:
            self.step_unread(1)

    def _on_query_failed(self, job: Job, message: str) -> None:
        if isinstance(job, (MarkJob, RuleJob)):
            return  # (the marks' and the saved searches' own to tell)
        if not isinstance(job, (MarkReadJob, UndoJob)):
            self.notify(message, Kind.ERROR)
        self.load_control.load_when_shown()

    # ------------------------------------------------------------------ links

    def open_original(self) -> None:
        article = self.detail.article
        if article is None:
            return
        if not article.url:
            self.notify("This article has no link", Kind.INFO)
            return
        self.open_link(article.url)

    def open_link(self, url: str) -> None:
        if not is_safe_link(url):
            self.notify(f"Not opened: only http and https links are opened ({url[:80]})", Kind.WARNING)
            return
        clean = strip_tracking(url)
        self.open_url(QUrl(clean))
        self.notify(f"Opened {clean[:100]}", Kind.INFO)

    def load_images(self) -> None:
        """Fetch the current article's images (the only way Reader goes to the network)."""
        if self.detail.article is None:
            return
        if not self.remote_images:
            self.notify("Remote images are off (File > Preferences)", Kind.INFO)
            return
        urls = self.detail.image_urls()
        if not urls:
            self.notify("This article has no images to load", Kind.INFO)
            return
        self.notify(f"Loading {plural(len(urls), 'image')}…", Kind.PROGRESS)
        self.images.fetch(urls)

    def _images_finished(self, loaded: int, reasons: list[str]) -> None:
        """Every image asked for loaded or failed: say so (in place of "Loading 7 images…")."""
        if not reasons:
            self.notify(f"Loaded {plural(loaded, 'image')}", Kind.INFO)
            return
        why = list(dict.fromkeys(r.removeprefix("not loaded: ") for r in reasons))
        shown = "; ".join(why[:2]) + ("; …" if len(why) > 2 else "")
        self.notify(f"Images: {loaded:,} loaded, {len(reasons):,} not loaded ({shown})", Kind.WARNING)

    def copy_link(self) -> None:
        article = self.detail.article
        if article is None or not is_safe_link(article.url):
            self.notify("This article has no link to copy", Kind.INFO)
            return
        QGuiApplication.clipboard().setText(strip_tracking(article.url or ""))
        self.notify("Link copied", Kind.INFO)

    # ------------------------------------------------------------------ focus and dialogs

    def _panes(self) -> list[QWidget]:
        middle: QWidget = self.problems_list if self.view_key == PROBLEMS else self.article_list
        if self.view_key == TRENDS:
            middle = self.trends_view
        return [self.sidebar, middle, self.detail.browser]

    def cycle_focus(self, delta: int) -> None:
        panes = self._panes()
        focused = self.focusWidget()
        position = next((i for i, pane in enumerate(panes) if pane is focused), 1)
        target = panes[max(0, min(len(panes) - 1, position + delta))]
        target.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _focus_list(self) -> None:
        self._panes()[1].setFocus(Qt.FocusReason.ShortcutFocusReason)

    def focus_story(self) -> None:
        """The keyboard to the open article's story timeline (when its story has one)."""
        timeline = self.story_timeline.timeline
        if timeline.isVisible() and timeline.marks:
            timeline.setFocus(Qt.FocusReason.ShortcutFocusReason)
        else:
            self.notify("This article's story has no versions in time to show", Kind.INFO)

    def focus_search(self) -> None:
        self.search_bar.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_bar.field.selectAll()

    def keep_settings(self) -> None:
        """Write the preferences now; say once when they cannot be kept."""
        self._say_if_unsaved(self.settings.sync())

    def _say_if_unsaved(self, saved: bool) -> None:
        """Say once that the preferences cannot be kept, when ``saved`` is False."""
        if not saved and not self._settings_unsaved_told:
            self._settings_unsaved_told = True
            self.notify(f"Preferences cannot be saved ({self.settings.path()} cannot be written): "
                        "changes last until Reader closes", Kind.ERROR)

    def apply_setting(self, name: str) -> None:
        """The setting ``name`` of :attr:`settings` changed (in the preferences, which wrote
        the settings file): use it."""
        settings = self.settings
        self._say_if_unsaved(settings.saved())  # (written by the preferences: not written again)
        match name:
            case "mark_read_delay":
                self.mark_read_delay = settings.mark_read_delay
                self.marks.delay_changed()
            case "remote_images":
                self.set_remote_images(settings.remote_images)
            case "feed_refresh_minutes":
                self.feed_control.set_feed_refresh(settings.feed_refresh_minutes)
            case "theme":
                self.theme.apply(settings.theme)
            case "font_size":
                self.theme.set_font_size(settings.font_size)
            case "keys":
                self.registry.set_keys(KeyMap(settings.store).all())
                self._name_keys()
            case "fulltext_sources":
                self.fulltext.update_action(self.detail.article)

    def _name_keys(self) -> None:
        """The texts that name a key say the keys just chosen."""
        keys = self.registry.keys
        self.search_bar.set_keys(keys)
        self.detail.set_keys(keys)
        self.update_empty_text()
        if self.detail.showing_feed:
            self.feed_control.show_feed_state()

    def set_remote_images(self, on: bool) -> None:
        """Whether Load Images (I) may fetch images from the web."""
        self.remote_images = on
        self.registry["load_images"].setEnabled(on)
        self.fulltext.set_allowed(on)
        self.detail.set_remote(on)

    def zoom(self, steps: int) -> None:
        """Show the article's text at zoom ``steps`` (0: normal), remembered."""
        steps = max(ZOOM_MIN, min(ZOOM_MAX, steps))
        self.detail.set_zoom(steps)
        self.settings.zoom = steps
        self.notify("Article text at normal size" if steps == 0 else f"Zoom {steps:+d}", Kind.INFO)

    def show_help(self) -> ShortcutHelp:
        dialog = ShortcutHelp(self, self.registry.keys)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def export(self) -> ExportDialog:
        """File > Export: the current view (as the sidebar names it) or the starred articles
        (only those from a view that lists no articles, as Problems and Trends)."""
        key = self.view_key
        name: str | None = None  # (Problems and Trends list no articles: only the starred ones are offered)
        if isinstance(key, View):
            label = self.sidebar.label_of(key)
            if key.value is not None:  # "Topic: AI", "Feed: Harbour Gazette" (a feed's name, not its file)
                name = f"{key.kind.capitalize()}: {label or key.value}"
            else:
                name = label or "All Articles"
            name += " (searched)" if self.query is not None else ""
        folder = self.paths[0] if self.paths and os.path.isdir(self.paths[0]) else os.path.expanduser("~")
        return show_export(
            self,
            self.library,
            name,
            self.article_model.rowids,
            lambda: self.library.article_rowids(View(ViewKind.STARRED), sort=self.sort, scope=self.scope),
            folder,
            self.notify,
        )

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Open a folder of news documents", self.paths[0] if self.paths else "")
        if folder:
            self.open_paths([folder])

    def open_paths(self, paths: Sequence[str | os.PathLike[str]]) -> None:
        """Show the documents under ``paths`` instead (loading them in the background)."""
        self.paths = [os.path.abspath(os.fspath(p)) for p in paths]
        self.scope = self._make_scope()
        self.marks.forget()
        self._update_title()
        self.watcher.stop()
        self._request_list(new=True)
        self.queries.invalidate_counts()
        self.queries.request_counts(self.scope)
        self.start()

    def _update_title(self) -> None:
        names = ", ".join(folder_name(p) for p in self.paths) or "no folder"
        self.setWindowTitle(f"{names} — Reader")

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        # (a palette may change before the registry is built: there are no icons to draw yet)
        registry: ActionRegistry | None = getattr(self, "registry", None)
        if event.type() == QEvent.Type.PaletteChange and registry is not None:
            registry.refresh_icons()  # drawn again in the new palette's colours
        if event.type() == QEvent.Type.FontChange and registry is not None:
            QTimer.singleShot(0, self._fit_sidebar)  # (its names' widths follow the font; once every pane has it)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.marks.stop()
        self.images.cancel()
        self.fulltext.stop()
        self.watcher.stop()
        self.feed_control.stop()
        self.load_control.stop()
        self._counted_waiting = None  # (counts waiting for the next turn are not shown: the library closes)
        unwritten = self.queries.take_waiting_writes()
        # (a Shift+A or a rule Ctrl+Z waits for was taken back before it was done: left out,
        # also when it is being written now: rolled back; a rule is still saved)
        unwritten = [replace(job, existing=False) if isinstance(job, RuleJob) and self.marks.taken_back(job) else job
                     for job in unwritten if not (isinstance(job, MarkReadJob) and self.marks.taken_back(job))]
        self.queries.stop(cancel=self.marks.taken_back)  # (lets another write that runs finish)
        if isinstance(self.queries.cancelled, RuleJob):
            unwritten.insert(0, replace(self.queries.cancelled, existing=False))
        # (the undos of steps Ctrl+Z took back after one of those: they waited for its undo)
        unwritten += [UndoJob(undo) for undo in self.marks.undos_left()]
        for job in unwritten:  # writes still waiting: done here (no sync holds the lock now)
            try:
                write_job(self.library, job)  # (a rule is applied to the articles here too when asked)
            except LibraryError as error:
                log.warning("a %s was not saved at quit: %s", _WRITE_NAMES[type(job)], error)
        self.library.close()
        super().closeEvent(event)

