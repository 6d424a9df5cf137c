"""Marks and their undo, as the window makes them: read and starred, one article at a time
(shown at once, written on the query thread, the counts adjusted meanwhile), a whole story
while stories are collapsed, a whole view (Shift+A), and Ctrl+Z.

The library writes the marks (:class:`reader.ui.queries.Queries`, on its thread); this
controller keeps what was asked for and not written yet, and what Ctrl+Z undoes."""

from __future__ import annotations

import enum
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from PySide6.QtCore import QObject, QTimer

from reader.article import Article
from reader.library import Counts, Library, Scope, Undo, View, ViewKind, today_bounds
from reader.search import Query, uses_state
from reader.ui.actions import undo_note
from reader.ui.article_list import ArticleListModel
from reader.ui.detail_pane import DetailPane
from reader.ui.messages import Kind
from reader.ui.queries import Job, MarkJob, MarkReadJob, Queries, RuleJob, UndoJob
from reader.ui.settings import NEVER
from reader.wording import plural
from reader.ui.view_data import PROBLEMS, TRENDS, Key, ShownSaved, StateChange, adjusted, all_read

#: After marking articles one by one, the library counts again once this long has passed
#: without another mark (the counts shown are adjusted at once meanwhile).
RECOUNT_MS = 500


@dataclass(eq=False)
class Step:
    """One step Ctrl+Z undoes, in its place on the undo stack: the order the user acted in.
    A write that answers later (Shift+A, a rule applied to the articles here) has its place
    kept from the key press on, ``undo`` None until it is written."""

    order: int  #: when the user acted (steps are undone from the latest)
    generation: int  #: the folder it was made in (see :meth:`MarksController.forget`)
    undo: Undo | None = None
    job: MarkReadJob | RuleJob | None = None  #: the write it waits for, while it does
    #: Ctrl+Z was pressed for it before it was written: it is undone as soon as it is.
    taken_back: bool = False


class Written(enum.Enum):
    """What became of a step that was written (:meth:`MarksController.written`)."""

    KEPT = "kept"  #: on the undo stack: Ctrl+Z undoes it
    BELOW = "below"  #: on the undo stack under steps made since it was asked: undone after them
    UNDOING = "undoing"  #: Ctrl+Z was pressed for it meanwhile: undone now (after those taken back before it)
    NOTHING = "nothing"  #: it changed nothing (or failed): nothing to undo
    DROPPED = "dropped"  #: another folder was opened meanwhile: its steps are gone


class MarksHost(Protocol):
    """What the controller needs of the window it serves."""

    library: Library
    detail: DetailPane
    article_model: ArticleListModel
    queries: Queries
    scope: Scope
    counts: Counts | None
    view_key: Key
    #: The saved search the view shows (view_data.shown_saved).
    shown_saved: ShownSaved | None
    query: Query | None
    collapsed: bool
    #: Milliseconds an article is shown before it is marked read (settings.NEVER: not).
    mark_read_delay: int

    @property
    def search_malformed(self) -> bool: ...

    def show_counts(self, counts: Counts) -> None: ...

    def refresh(self) -> None: ...

    def notify(self, text: str, kind: Kind = Kind.INFO) -> None: ...


class MarksController(QObject):
    def __init__(self, host: MarksHost, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.host = host
        self.library = host.library
        #: What Ctrl+Z undoes, the last first (in the order the user acted in).
        self.undo_stack: list[Step] = []
        self._orders = itertools.count()
        #: Bumped when another folder is shown: steps made before are no longer its to undo.
        self._generation = 0
        #: Steps whose write has not answered yet (on the stack, or taken back by Ctrl+Z).
        self._waiting_steps: list[Step] = []
        #: Steps Ctrl+Z took back and whose undo is not sent yet, first taken back first:
        #: behind one whose write has not answered, the others wait, so that they are undone
        #: in the order Ctrl+Z was pressed (see :meth:`_send_undos`).
        self._taken_back: list[Step] = []
        #: Steps being undone on the query thread, by their undo job (put back if it fails).
        self._undoing: list[tuple[UndoJob, Step]] = []
        self._marking = 0  #: mark-all-read jobs not answered yet
        #: Articles marked one by one while a mark-all-read was under way: its undo leaves them.
        self._marked_meanwhile: set[str] = set()
        #: Marks queued for the query thread and not written yet, by article id (how many).
        self._marks_waiting: dict[str, int] = {}
        queries = host.queries
        queries.marked.connect(self._on_marked)
        queries.undone.connect(self._on_undone)
        queries.saved.connect(self._on_mark_saved)
        queries.failed.connect(self._on_failed)
        #: After marks made here (shown at once), the library counts again a little later.
        self._recount_timer = QTimer(self)
        self._recount_timer.setSingleShot(True)
        self._recount_timer.setInterval(RECOUNT_MS)
        self._recount_timer.timeout.connect(lambda: self.host.queries.request_counts(self.host.scope))
        self._mark_read_timer = QTimer(self)
        self._mark_read_timer.setSingleShot(True)
        self._mark_read_timer.timeout.connect(self._mark_shown_read)
        #: Whether stories were collapsed when the article the delay waits on was shown.
        self._shown_collapsed = False

    @property
    def recounting(self) -> bool:
        """Whether the library is about to count again after marks made here."""
        return self._recount_timer.isActive()

    def article_shown(self, article: Article, rowid: int) -> tuple[bool, bool]:
        """``article`` (at ``rowid``) is shown now: marked read at once or after the delay
        the preferences say (while stories are collapsed, with every copy of its story: the
        row stands for them all). Its (read, starred) marks, as shown."""
        read, starred = self.is_read(article.id), self.is_starred(article.id)
        self._mark_read_timer.stop()
        copies = self._copies(article.id)
        if read and all(copies.values()):
            return read, starred
        if self.host.mark_read_delay == 0:
            if not read:
                self.set_marks(article, read=True, was=(read, starred))
            self.mark_story(article.id, True, own=not read, copies=copies)
            read = True
            self.host.article_model.refresh_rows([rowid])
        elif self.host.mark_read_delay != NEVER:
            self._shown_collapsed = self.host.collapsed
            self._mark_read_timer.start(self.host.mark_read_delay)
        return read, starred

    def delay_changed(self) -> None:
        """The mark-read delay changed (Preferences): an article whose delay is running gets
        the new one at once: Never stops it, Immediately marks it read now, another delay
        starts again from now (the article's time on screen counts from the change)."""
        if not self._mark_read_timer.isActive():
            return
        delay = self.host.mark_read_delay
        if delay == NEVER:
            self._mark_read_timer.stop()
        elif delay == 0:
            self._mark_read_timer.stop()
            self._mark_shown_read()
        else:
            self._mark_read_timer.start(delay)

    def _mark_shown_read(self) -> None:
        """The article shown long enough (see Preferences) is marked read (with its story's
        copies, :meth:`article_shown`, when its row stood for the story both when it was shown
        and now: g in between changed what the row stands for, and the delay reads no more than
        was opened and is still shown)."""
        article = self.host.detail.article
        if article is None:
            return
        read, copies = self.is_read(article.id), self._copies(article.id) if self._shown_collapsed else {}
        if read and all(copies.values()):
            return
        if not read:
            self.set_marks(article, read=True)
        self.mark_story(article.id, True, own=not read, copies=copies)
        self._after_state_change(article.id)

    def _copies(self, article_id: str) -> dict[str, bool]:
        """While stories are collapsed, the read mark of every other copy of the story of
        ``article_id`` (its row stands for them all: it is read when they and it are); else none."""
        if not self.host.collapsed:
            return {}
        return {i: self.is_read(i) for i in self.library.story_members(article_id) if i != article_id}

    def set_marks(
        self,
        article: Article,
        *,
        read: bool | None = None,
        starred: bool | None = None,
        was: tuple[bool, bool] | None = None,
    ) -> bool:
        """Mark one article: shown at once, written on the query thread (a sync may hold
        the write lock; the GUI thread never waits for it). The sidebar's counts change at
        once; the query thread counts again behind. ``was``: its (read, starred) marks
        before, when known. A mark that cannot be saved says so when that is known."""
        was_read, was_starred = was or (self.is_read(article.id), self.is_starred(article.id))
        if read is not None:
            self._queue_mark([article.id], "read", read)
        if starred is not None:
            self._queue_mark([article.id], "starred", starred)
        published = article.published.timestamp() if article.published is not None else None
        since, until = today_bounds()
        change = StateChange(
            topics=article.topics,
            source=article.provider.name if article.provider else None,
            language=article.language,
            today=published is not None and since <= published <= until,
            was_read=was_read,
            read=was_read if read is None else read,
            was_starred=was_starred,
            starred=was_starred if starred is None else starred,
            top=self.library.leads_story(article.id),
            labels=self.library.labels_of(article.id),
            saved=self._saved_holding(article),
        )
        self.host.queries.invalidate_counts()  # a count read before this write would undo it
        if self.host.counts is None:
            self.host.queries.request_counts(self.host.scope)
        else:
            self.host.show_counts(adjusted(self.host.counts, change))
            self._recount_timer.start()  # one recount after a run of marks (j j j ...)
        return True

    def _saved_holding(self, article: Article) -> tuple[str, ...]:
        """The saved searches known to hold ``article`` before and after a mark: the one
        shown, when the article is the one open from its list and its query does not depend
        on marks (``is:unread`` ...). Whether other saved searches hold it would take running
        their queries: the recount tells."""
        saved, shown = self.host.shown_saved, self.host.detail.article
        if saved is None or saved.query is None or shown is None or shown.id != article.id:
            return ()
        return () if uses_state(saved.query) else (saved.name,)

    def _queue_mark(self, ids: Sequence[str], column: str, value: bool) -> None:
        """Show the mark at once (list and article) and have the query thread write it."""
        if self._marking and column == "read":
            self._marked_meanwhile.update(ids)
        for article_id in ids:
            self._marks_waiting[article_id] = self._marks_waiting.get(article_id, 0) + 1
            self.host.article_model.pending_marks.setdefault(article_id, {})[column] = value
        self.host.queries.set_marks(ids, column, value)

    def _mark_written(self, job: MarkJob) -> None:
        """``job`` is done (written or not): what the library says is shown again."""
        for article_id in job.ids:
            left = self._marks_waiting.get(article_id, 0) - 1
            if left > 0:
                self._marks_waiting[article_id] = left
            else:
                self._marks_waiting.pop(article_id, None)
                self.host.article_model.pending_marks.pop(article_id, None)
        rowids = [r for r in (self.library.rowid_of(i) for i in job.ids[:50]) if r is not None]
        self.host.article_model.refresh_rows(rowids if len(job.ids) <= 50 else None)
        self.update_detail_state()

    def _on_mark_saved(self, job: MarkJob) -> None:
        self._mark_written(job)

    def is_read(self, article_id: str) -> bool:
        """The article's read mark, as made (perhaps not yet written)."""
        pending = self.host.article_model.pending_marks.get(article_id)
        if pending and "read" in pending:
            return pending["read"]
        return self.library.is_read(article_id)

    def is_starred(self, article_id: str) -> bool:
        pending = self.host.article_model.pending_marks.get(article_id)
        if pending and "starred" in pending:
            return pending["starred"]
        return self.library.is_starred(article_id)

    def mark_story(self, article_id: str, read: bool, own: bool = True, copies: dict[str, bool] | None = None) -> bool:
        """While stories are collapsed, a story's row stands for every copy: mark them all
        (``article_id`` itself is marked already: ``own`` when that changed it; ``copies``:
        :meth:`_copies`, when known), as one step Ctrl+Z undoes, and say so. True when other
        copies were marked."""
        if not self.host.collapsed:
            return False
        others = [i for i, was in (self._copies(article_id) if copies is None else copies).items() if was != read]
        if not others:
            return False
        # (the row's own article is written with them, unchanged or again: the row, which
        # shows them all, is fetched again once they are written)
        self._queue_mark([article_id, *others], "read", read)
        marked = (article_id, *others) if own else tuple(others)
        self.push(Undo(marked, "read", not read))
        self.host.notify(
            f"Marked {plural(len(marked), 'article')} {'read' if read else 'unread'}{undo_note(self.host.detail.keys)}",
            Kind.INFO,
        )
        self.host.queries.invalidate_counts()
        self.host.queries.request_counts(self.host.scope)
        self.host.article_model.refresh_rows()
        return True

    def toggle_read(self) -> None:
        """Mark the article shown read or unread (while stories are collapsed, its row: every
        copy of its story). The user's mark stands: a mark by the delay no longer comes."""
        article = self.host.detail.article
        if article is None:
            return
        self._mark_read_timer.stop()
        was, copies = self.is_read(article.id), self._copies(article.id)
        read = not (was and all(copies.values()))
        if was != read:
            self.set_marks(article, read=read)
        story = self.mark_story(article.id, read, own=was != read, copies=copies)
        self._after_state_change(article.id)
        if not story:
            self.host.notify("Marked read" if read else "Marked unread", Kind.INFO)

    def toggle_star(self) -> None:
        article = self.host.detail.article
        if article is None:
            return
        starred = not self.is_starred(article.id)
        if self.set_marks(article, starred=starred):
            self._after_state_change(article.id)
            self.host.notify("Starred" if starred else "Unstarred", Kind.INFO)

    def _after_state_change(self, article_id: str) -> None:
        rowid = self.library.rowid_of(article_id)
        if rowid is not None:
            self.host.article_model.refresh_rows([rowid])
        self.update_detail_state()

    def update_detail_state(self) -> None:
        if self.host.detail.article is not None:
            article_id = self.host.detail.article.id
            self.host.detail.set_state(read=self.is_read(article_id), starred=self.is_starred(article_id))

    def mark_all_read(self) -> None:
        """Mark every unread article the list shows read, as it shows them now (while stories
        are collapsed, with every copy of their stories: the rows stand for them), on the
        query thread; no article that arrived since the list was read (another Reader's
        sync, a load here), though the view may hold it by then. The list and the counts
        follow when it is done (in All and Unread they are shown read at once; the library
        counts again behind)."""
        if self.host.view_key in (PROBLEMS, TRENDS):
            return
        if self.host.search_malformed:  # (the list shows no results: nothing to mark)
            self.host.notify("Nothing marked: the search is not run until it is fixed", Kind.INFO)
            return
        assert isinstance(self.host.view_key, View)
        if not self._marking:
            self._marked_meanwhile.clear()
        self._marking += 1
        model = self.host.article_model  # (its list is never changed in place: see Listing)
        self.reserve(self.host.queries.mark_read(self.host.scope, model.rowids(), stories=model.stories, upto=model.upto))
        self.host.notify("Marking read…", Kind.PROGRESS)
        if self.host.counts is not None and self.host.query is None and self.host.view_key.kind in (ViewKind.ALL, ViewKind.UNREAD) \
                and model.rowids():
            # Everything in the folders becomes read (as far as the counts shown know: the
            # recount once it is written tells of articles that arrived since the list was
            # read): shown at once, while the library writes.
            self.host.queries.invalidate_counts()
            self.host.show_counts(all_read(self.host.counts))
            self.host.article_model.show_all_read()
            if self.host.detail.article is not None:
                self.host.detail.set_state(read=True, starred=self.is_starred(self.host.detail.article.id))

    def _on_marked(self, job: MarkReadJob, undo: Undo) -> None:
        self._marking -= 1
        if self._marked_meanwhile:  # (written after it, in order: the undo must not unmark them)
            undo = Undo(tuple(i for i in undo.ids if i not in self._marked_meanwhile), undo.column, undo.previous)
        self.host.queries.request_counts(self.host.scope)  # (what was shown at once, counted)
        done = self.written(job, undo)
        if not undo.ids:
            self.host.notify("Nothing unread here", Kind.INFO)
            return
        self.host.article_model.refresh_rows()
        self.update_detail_state()
        if done in (Written.KEPT, Written.BELOW):  # (the note only when Ctrl+Z undoes it next)
            note = undo_note(self.host.detail.keys) if done is Written.KEPT else ""
            self.host.notify(f"Marked {plural(len(undo.ids), 'article')} read{note}", Kind.INFO)
        elif done is Written.DROPPED:  # (another folder is open now: nothing to undo there)
            self.host.notify(f"Marked {plural(len(undo.ids), 'article')} read in the folder open before", Kind.INFO)

    def push(self, undo: Undo) -> None:
        """A step the user just made, written already or on its way (in order with the
        writes that follow): Ctrl+Z undoes it next."""
        self.undo_stack.append(Step(next(self._orders), self._generation, undo))

    def reserve(self, job: MarkReadJob | RuleJob) -> None:
        """The user just asked for ``job``, a write whose undo is known once it is written:
        its place on the undo stack is kept from now on (:meth:`written` fills it), so that a
        step made meanwhile stays above it, and Ctrl+Z pressed for it meanwhile waits for it."""
        step = Step(next(self._orders), self._generation, job=job)
        self.undo_stack.append(step)
        self._waiting_steps.append(step)

    def written(self, job: MarkReadJob | RuleJob, undo: Undo | None) -> Written:
        """``job`` is done (``undo`` puts back what it changed; None: it failed or changed
        nothing): its place on the undo stack is filled, or it is undone now when Ctrl+Z
        was pressed for it meanwhile."""
        step = next((s for s in self._waiting_steps if s.job is job), None)
        if step is None:  # (no place was kept: nothing Ctrl+Z undoes)
            return Written.NOTHING
        self._waiting_steps.remove(step)
        step.job, step.undo = None, undo
        changed = undo is not None and bool(undo.ids)
        if step.taken_back:
            self._send_undos()  # (it, and those taken back after it, when it was the first)
            return Written.UNDOING if changed else Written.NOTHING
        if step not in self.undo_stack:  # (cleared: another folder was opened meanwhile)
            return Written.DROPPED if changed else Written.NOTHING
        if not changed:
            self.undo_stack.remove(step)
            return Written.NOTHING
        return Written.KEPT if self.undo_stack[-1] is step else Written.BELOW

    def forget(self) -> None:
        """Another folder is shown: nothing made in the one before is undone from here (a
        step still being written is left off when it answers, but one Ctrl+Z was pressed
        for already is still undone, and not put back here when that fails)."""
        self._generation += 1
        self.undo_stack.clear()
        self._undoing.clear()

    def taken_back(self, job: Job) -> bool:
        """Whether ``job`` (a Shift+A or a rule applied here, not written yet) was taken back
        with Ctrl+Z: undone once written."""
        return any(step.job is job and step.taken_back for step in self._waiting_steps)

    def undo(self) -> None:
        """Ctrl+Z: undo the last step made; one not written yet (Shift+A, a rule applied here)
        is undone as soon as it is, and the steps Ctrl+Z takes back meanwhile after it."""
        if not self.undo_stack:
            self.host.notify("Nothing to undo", Kind.INFO)
            return
        step = self.undo_stack.pop()
        if step.undo is None:
            step.taken_back = True  # (see written)
        self._taken_back.append(step)
        self._send_undos()

    def _send_undos(self) -> None:
        """Send the undos of the steps taken back, first taken back first, up to one whose
        write has not answered yet (the rest wait for it; one that changed nothing is left out)."""
        while self._taken_back and self._taken_back[0].job is None:
            step = self._taken_back.pop(0)
            if step.undo is not None and step.undo.ids:
                self._undo(step)

    def undos_left(self) -> list[Undo]:
        """The undos of steps taken back that still wait for a step taken back before them
        (written at quit: that one's write is left out or rolled back then), in order."""
        return [step.undo for step in self._taken_back if step.job is None and step.undo is not None and step.undo.ids]

    def _undo(self, step: Step) -> None:
        assert step.undo is not None
        self._undoing.append((self.host.queries.undo(step.undo), step))
        self.host.notify("Undoing…", Kind.PROGRESS)

    def _on_undone(self, undo: Undo) -> None:
        self._undoing = [(job, step) for job, step in self._undoing if job.undo is not undo]
        self.host.article_model.refresh_rows()
        self.host.refresh()  # the list too: the articles put back may belong in the view again
        self.update_detail_state()
        if undo.column.startswith("label:"):  # (a label change: see reader.ui.label_picker)
            article = self.host.detail.article
            if article is not None:
                self.host.detail.set_labels(self.library.labels_of(article.id))
            self.host.notify("Labels put back as they were", Kind.INFO)
            return
        if undo.also or undo.column == "hidden":  # (a rule applied to the articles here)
            self.host.queries.invalidate_counts()
            self.host.queries.request_counts(self.host.scope)
            self.host.notify("The rule's changes were undone", Kind.INFO)
            return
        self.host.notify(f"Marked {plural(len(undo.ids), 'article')} {'read' if undo.previous else 'unread'} again", Kind.INFO)

    def _on_failed(self, job: Job, message: str) -> None:
        """A mark, a mark-all-read or an undo was not written: say so, and show the marks
        as the library has them."""
        host = self.host
        if isinstance(job, MarkJob):
            self._mark_written(job)
            host.notify(f"Not saved: {message}", Kind.ERROR)
            host.queries.invalidate_counts()
            host.queries.request_counts(host.scope)
        elif isinstance(job, MarkReadJob):
            self._marking -= 1
            self.written(job, None)
            host.notify(f"Not saved: {message}", Kind.ERROR)
            host.article_model.refresh_rows()  # as the library has them (shown read at once)
            host.queries.invalidate_counts()
            host.queries.request_counts(host.scope)
        elif isinstance(job, UndoJob):
            undoing = next((step for undone, step in self._undoing if undone is job), None)
            self._undoing = [(j, s) for j, s in self._undoing if j is not job]
            # (still there to undo, in its place: unless it was made in the folder open before)
            if undoing is not None and undoing.generation == self._generation:
                self.undo_stack.append(undoing)
                self.undo_stack.sort(key=lambda step: step.order)
            host.notify(f"Not saved: {message}", Kind.ERROR)

    def stop(self) -> None:
        """No more marks by timer (the window closes)."""
        self._mark_read_timer.stop()
        self._recount_timer.stop()
