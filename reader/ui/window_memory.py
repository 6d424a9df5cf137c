"""The window as it was left: geometry, splitter, columns, sort, zoom, the last view and the
last article are restored when the window is built and saved when it closes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject

from reader.library import View, ViewKind
from reader.ui.article_list import Listing
from reader.ui.settings import Settings

if TYPE_CHECKING:
    from reader.ui.main_window import MainWindow
    from reader.ui.queries import ListJob


class WindowMemory(QObject):
    """Restores ``window`` from ``settings`` now (the view and article once the sidebar and
    the list have arrived) and saves it when the window closes."""

    def __init__(self, window: MainWindow, settings: Settings) -> None:
        super().__init__(window)
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
        #: the article the view's list).
        self.pending_view: View | None = settings.view
        self.pending_article: str | None = settings.article
        if self.pending_view == View(ViewKind.ALL):
            self.pending_view = None
        window.queries.counted.connect(self._on_counted)
        window.queries.listed.connect(self._on_listed)
        window.installEventFilter(self)

    @property
    def restoring(self) -> bool:
        return self.pending_view is not None or self.pending_article is not None

    def _on_counted(self, *_counts: object) -> None:
        view, self.pending_view = self.pending_view, None
        if view is not None and not self.window.sidebar.select(view):
            self.pending_article = None  # that view is gone (and with it, where the article was)

    def _on_listed(self, _job: ListJob, result: object) -> None:
        if self.pending_view is not None or self.pending_article is None or not isinstance(result, Listing):
            return
        article_id, self.pending_article = self.pending_article, None
        rowid = self.window.library.rowid_of(article_id)
        if rowid is not None and self.window.article_list.current_rowid() is None:
            self.window.article_list.select_rowid(rowid)

    def save(self) -> None:
        window = self.window
        self.settings.save_window_state({
            "geometry": window.saveGeometry(),
            "window": window.saveState(),
            "splitter": window.splitter.saveState(),
            "sidebar_columns": window.sidebar.header().saveState(),
            "list_columns": window.article_list.horizontalHeader().saveState(),
        })
        self.settings.sort = window.sort
        self.settings.view = window.view_key if isinstance(window.view_key, View) else None
        self.settings.article = window.detail.article.id if window.detail.article is not None else None
        self.settings.zoom = window.detail.zoom
        self.settings.sync()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Close:
            self.save()
        return False
