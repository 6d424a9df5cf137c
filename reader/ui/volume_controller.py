"""The volume chart's controller: asks the query thread for the volume of each list shown,
narrows the list to a chosen period through the search field (``after:… before:…``, so the
user sees it and can edit it), and undoes that with Esc. View > Show Timeline (T) shows or
hides the chart (remembered)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent

from reader.library import View
from reader.timeline import Bucket, Volume
from reader.ui.messages import Kind
from reader.ui.queries import ListJob, VolumeJob
from reader.ui.view_data import PROBLEMS, TRENDS

if TYPE_CHECKING:
    from reader.ui.main_window import MainWindow

SHOWN_KEY = "view/timeline"


class VolumeController(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.chart = window.volume_chart
        #: The search texts before each narrowing (Esc goes back one).
        self.history: list[str] = []
        self._terms: str | None = None  #: the terms the last narrowing added
        self._applied: str | None = None  #: the search text the last narrowing (or undo) set
        #: When the last list and its volume were shown (time.perf_counter; for benchmarks).
        self.list_shown_at: float | None = None
        self.volume_shown_at: float | None = None
        shown = window.settings.store.value(SHOWN_KEY, True)
        self.shown = shown not in (False, "false", "0", 0)
        action = window.registry["show_timeline"]
        action.setCheckable(True)
        action.setChecked(self.shown)
        self.fit_view()
        window.queries.listed.connect(self._on_list)
        window.queries.volume_found.connect(self._on_volume)
        window.queries.counted.connect(self._on_counted)  # (marks change the unread parts)
        self.chart.chosen.connect(self.narrow)
        self.chart.restore.connect(self.restore)
        self.chart.leave.connect(lambda: window.article_list.setFocus(Qt.FocusReason.ShortcutFocusReason))
        window.article_list.installEventFilter(self)
        window.search_bar.query_changed.connect(self._on_search)

    def toggle(self) -> None:
        """Show the chart (and give it the keyboard) or hide it."""
        self.shown = not self.shown
        self.window.settings.store.setValue(SHOWN_KEY, self.shown)
        self.window.registry["show_timeline"].setChecked(self.shown)
        had_focus = self.chart.hasFocus()  # (asked before hiding it moves the focus on)
        self.fit_view()
        if self.shown:
            self.ask()
            if self.chart.isVisibleTo(self.window):
                self.chart.setFocus(Qt.FocusReason.ShortcutFocusReason)
        elif had_focus or self.window.focusWidget() is None:
            self.window.article_list.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def fit_view(self) -> None:
        """The chart shows when it is on, except beside Problems (documents that could not
        be read have no dates: an empty chart would only take room)."""
        self.chart.setVisible(self.shown and self.window.view_key != PROBLEMS)

    def _view(self) -> View | None:
        """The view charted: the list's, or the whole library's beside Trends."""
        key = self.window.view_key
        return key if isinstance(key, View) else View() if key == TRENDS else None

    def ask(self) -> None:
        """Ask for the counts of what the window shows (shown when they arrive)."""
        window = self.window
        view = self._view()
        if view is not None and window._query_error is None:
            query = window.query if view == window.view_key else None
            window.queries.request_volume(view, query, window.scope)
        else:
            self.chart.set_volume(None)

    def _on_list(self, job: ListJob, _result: object) -> None:
        self.list_shown_at = time.perf_counter()
        if self.shown:
            self.ask()

    def _on_counted(self, _counts: object) -> None:
        if self.shown:
            self.ask()

    def _on_volume(self, job: VolumeJob, volume: Volume) -> None:
        if job.view == self._view():
            self.chart.set_volume(volume)
            self.volume_shown_at = time.perf_counter()
        self.window.load_control.load_when_shown()  # (a first load waits for the queries)

    # -------------------------------------------------------------- narrowing

    def narrow(self, bucket: Bucket) -> None:
        """Show only the articles of ``bucket``'s period: its terms go into the search field
        (replacing the ones a narrowing put there before)."""
        field = self.window.search_bar.field
        text = field.text().strip()
        base = text
        if self._terms and (text == self._terms or text.endswith(" " + self._terms)):
            base = text[: len(text) - len(self._terms)].strip()
        self.history.append(text)
        self._terms = bucket.query_terms()
        self._apply(f"{base} {self._terms}".strip())
        self.window.notify(f"Showing {bucket.label} — Esc goes back", Kind.INFO)

    def restore(self) -> bool:
        """Undo the last narrowing (Esc). False when there was none."""
        if not self.history:
            return False
        text = self.history.pop()
        self._terms = None
        self._apply(text)
        self.window.notify("Showing every period again" if not self.history else "Back one step", Kind.INFO)
        return True

    def _on_search(self, _query: object) -> None:
        """A search typed by hand: Esc no longer goes back through narrowings."""
        if self.window.search_bar.field.text().strip() != self._applied:
            self.history.clear()
            self._terms = None
            self.chart.can_restore = False

    def _apply(self, text: str) -> None:
        self._applied = text
        self.window.search_bar.field.setText(text)
        self.window.search_bar.flush()
        self.chart.can_restore = bool(self.history)
        self.chart.pick(None)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Esc in the list undoes a narrowing, too."""
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Escape and self.history:
            return self.restore()
        return super().eventFilter(watched, event)
