"""The window as it was left: geometry, splitter, columns, sort, zoom, the last view (Problems
and Trends too) and the last article (or problem) are restored when the window is built, and saved a moment after they change
(so a killed process or a session that ends keeps them), when the application is about to
quit, when the desktop session ends and when the window closes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from PySide6.QtGui import QGuiApplication

from reader.library import View, ViewKind
from reader.ui.view_data import PROBLEMS, TRENDS, Key, Listing
from reader.ui.settings import Settings

#: A change is saved once this long has passed without another (a drag, a run of j j j).
SAVE_DELAY_MS = 1000

if TYPE_CHECKING:
    from reader.ui.main_window import MainWindow
    from reader.ui.queries import ListJob


class WindowMemory(QObject):
    """Restores ``window`` from ``settings`` now (the view and article once the sidebar and
    the list have arrived) and saves it when the window closes."""

    def __init__(self, window: MainWindow, settings: Settings) -> None:
        super().__init__(window)
        self._closed = False
        self.window = window
        self.settings = settings
        states = settings.window_state()
        if "geometry" in states:
            window.restoreGeometry(states["geometry"])
        if "window" in states:
            window.restoreState(states["window"])
        if "splitter" in states:
            window.splitter.restoreState(states["splitter"])
        if "sidebar_columns" in states:
            window.sidebar.header().restoreState(states["sidebar_columns"])
        if "list_columns" in states:
            window.article_list.horizontalHeader().restoreState(states["list_columns"])
        sort = settings.sort
        if sort is not None and sort != window.sort:
            window.set_sort(sort)
        window.detail.set_zoom(settings.zoom)
        #: What is still to be restored (once it can be: the view needs its sidebar item,
        #: the article the view's list, the problem the list of problems).
        self.pending_view: Key | None = settings.view
        self.pending_article: str | None = settings.article if self.pending_view != PROBLEMS else None
        self.pending_problem: str | None = settings.problem if self.pending_view == PROBLEMS else None
        if self.pending_view == View(ViewKind.ALL):
            self.pending_view = None
        #: The article of the list's current row, when it is not the article open (a
        #: version opened from the story timeline).
        self.pending_row: str | None = settings.row if self.pending_article is not None else None
        if self.pending_article is not None:
            window.restored_rowid = window.library.rowid_of(self.pending_row or self.pending_article)
        window.queries.counted.connect(self._on_counted)
        window.queries.listed.connect(self._on_listed)
        window.installEventFilter(self)
        if "splitter" in states:
            window.sidebar_sized = settings.sidebar_sized  # (else fitted to its names again: the font may have changed)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_DELAY_MS)
        self._timer.timeout.connect(self.save)
        window.splitter.splitterMoved.connect(self.changed)
        window.sidebar.header().sectionResized.connect(self.changed)
        window.article_list.horizontalHeader().sectionResized.connect(self.changed)
        window.sidebar.selected.connect(self.changed)
        window.article_list.selectionModel().currentChanged.connect(self.changed)
        window.problems_list.selectionModel().currentChanged.connect(self.changed)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.save_now)
            if isinstance(app, QGuiApplication):
                app.commitDataRequest.connect(self.save_now)  # the desktop session ends

    def changed(self, *_args: object) -> None:
        """Something to remember changed: saved once things have been still for a moment."""
        if not self._closed:
            self._timer.start()

    def save_now(self, *_args: object) -> None:
        if not self._closed:
            self.save()

    @property
    def restoring(self) -> bool:
        return self.pending_view is not None or self.pending_article is not None or self.pending_problem is not None

    def _on_counted(self, *_counts: object) -> None:
        view, self.pending_view = self.pending_view, None
        if view is not None and not self.window.sidebar.select(view):
            self.pending_article = self.pending_problem = None  # that view is gone (and with it, where the article was)
            self.window.restored_rowid = None
        elif view == TRENDS and self.pending_article is not None:  # (Trends lists no articles: the pane shows it beside)
            article_id, self.pending_article = self.pending_article, None
            self.pending_row, self.window.restored_rowid = None, None
            self.window.show_unopened(article_id)

    def _on_listed(self, _job: ListJob, result: object) -> None:
        if self.pending_view is None and self.pending_problem is not None and isinstance(result, list):
            path, self.pending_problem = self.pending_problem, None
            self.window.show_problem(path)  # (when it is still a problem)
            return
        if self.pending_view is not None or self.pending_article is None or not isinstance(result, Listing):
            return
        article_id, self.pending_article = self.pending_article, None
        row_id, self.pending_row = self.pending_row, None
        self.window.restored_rowid = None
        rowid = self.window.library.rowid_of(row_id or article_id)
        if rowid is not None and self.window.article_list.current_rowid() is None:
            self.window.show_row(rowid, article_id)  # (shown as it was left: not marked read by showing it)

    def save(self) -> None:
        self._timer.stop()
        window = self.window
        self.settings.save_window_state({
            "geometry": window.saveGeometry(),
            "window": window.saveState(),
            "splitter": window.splitter.saveState(),
            "sidebar_columns": window.sidebar.header().saveState(),
            "list_columns": window.article_list.horizontalHeader().saveState(),
        })
        self.settings.sidebar_sized = window.sidebar_sized
        self.settings.sort = window.sort
        # (what is still to be restored is what was left: a save meanwhile keeps it)
        if self.pending_view is not None:
            self.settings.view = self.pending_view
        else:
            self.settings.view = window.view_key
        if self.pending_problem is not None:
            self.settings.problem = self.pending_problem
        else:
            problem = window.problems_list.current_problem() if window.view_key == PROBLEMS else None
            self.settings.problem = problem.path if problem is not None else None
        if self.pending_article is not None:
            self.settings.article, self.settings.row = self.pending_article, self.pending_row
        else:
            article = window.detail.article
            self.settings.article = article.id if article is not None else None
            current = window.article_list.current_rowid() if isinstance(window.view_key, View) else None
            row = window.library.row(current) if article is not None and current is not None else None
            self.settings.row = row.id if row is not None and row.id != self.settings.article else None
        self.settings.zoom = window.detail.zoom
        self.settings.sync()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window:
            kind = event.type()
            if kind == QEvent.Type.Close:
                self.save()
                self._closed = True
            elif kind in (QEvent.Type.Resize, QEvent.Type.Move, QEvent.Type.WindowStateChange):
                self.changed()
        return False
