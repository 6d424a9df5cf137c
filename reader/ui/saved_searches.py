"""Saved searches in the window: save the search typed (Ctrl+S), rename (F2), edit the
query (Shift+F2), move up and down (Alt+Shift+Up / Down), give a rule (Ctrl+Shift+R) and
delete (Del) the saved search selected in the sidebar. The library keeps them; their counts
come with the others."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from reader.library import Count, LibraryError, SavedSearch, Undo, View, ViewKind
from reader.search import QueryError, parse_query
from reader.ui.actions import undo_note, with_key
from reader.ui.marks import Written
from reader.ui.messages import Kind
from reader.ui.queries import Job, RuleJob
from reader.ui.view_data import shown_saved
from reader.wording import plural

if TYPE_CHECKING:
    from reader.ui.main_window import MainWindow


def ask_text(parent: QWidget, title: str, label: str, text: str) -> str | None:
    """A line of text from the user, or None when cancelled."""
    value, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal, text)
    return value if ok else None


def confirm(parent: QWidget, question: str) -> bool:
    answer = QMessageBox.question(parent, "Reader", question)
    return answer == QMessageBox.StandardButton.Yes


class SavedSearchesController(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        #: Ask for a line of text (title, label, initial text) and a yes or no (tests replace them).
        self.ask_text: Callable[[str, str, str], str | None] = lambda title, label, text: ask_text(window, title, label, text)
        self.confirm: Callable[[str], bool] = lambda q: confirm(window, q)
        self.rule_dialog: RuleDialog | None = None  #: the rule dialog opened last

    def handlers(self) -> dict[str, Callable[[], object]]:
        return {
            "save_search": self.save,
            "edit_search": self.edit,
            "rename_search": self.rename,
            "move_search_up": lambda: self.move(-1),
            "move_search_down": lambda: self.move(1),
            "delete_search": self.delete,
            "edit_rule": self.edit_rule,
        }

    def current(self) -> str | None:
        """The name of the saved search shown, or None."""
        key = self.window.view_key
        return key.value if isinstance(key, View) and key.kind is ViewKind.SAVED else None

    def save(self) -> None:
        """Keep the search typed under a name; the sidebar shows it, and it is opened."""
        window = self.window
        text = window.search_bar.field.text().strip()
        if not text:
            window.notify(with_key("Type a search first, then save it", "save_search", window.registry.keys), Kind.INFO)
            return
        try:
            parse_query(text)
        except QueryError as error:
            window.notify(f"Not saved: {error.message}", Kind.ERROR)
            return
        name = self.ask_text("Save Search", f"Name for the search {text!r}:", "")
        if not name or not name.strip():
            return
        try:
            saved = window.library.save_search(name, text)
        except LibraryError as error:
            window.notify(f"Not saved: {error}", Kind.ERROR)
            return
        self._changed(added=saved.name)
        window.search_bar.clear()  # the saved search holds it now
        window.sidebar.select(View(ViewKind.SAVED, saved.name))
        window.notify(f"Saved search {saved.name!r}: it is under Searches in the sidebar", Kind.INFO)

    def rename(self) -> None:
        name = self._current_or_say()
        if name is None:
            return
        new = self.ask_text("Rename Saved Search", "New name:", name)
        if not new or not new.strip() or new.strip() == name:
            return
        try:
            new = self.window.library.rename_search(name, new)
        except LibraryError as error:
            self.window.notify(f"Not renamed: {error}", Kind.ERROR)
            return
        self._changed(renamed=(name, new))
        self.window.sidebar.select(View(ViewKind.SAVED, new))
        self.window.notify(f"Renamed to {new!r}", Kind.INFO)

    def edit(self) -> None:
        name = self._current_or_say()
        if name is None:
            return
        saved = self.window.library.saved_search(name)
        if saved is None:
            return
        text = self.ask_text("Edit Saved Search", f"Query of {name!r}:", saved.query)
        if text is None or not text.strip() or text.strip() == saved.query:
            return
        try:
            self.window.library.edit_search(name, text)
        except QueryError as error:
            self.window.notify(f"Not changed: {error.message} (at column {error.position + 1})", Kind.ERROR)
            return
        except LibraryError as error:
            self.window.notify(f"Not changed: {error}", Kind.ERROR)
            return
        self._changed()
        self.window.show_view(self.window.view_key)  # its list, with the new query
        self.window.notify(f"Saved search {name!r} now searches {text.strip()!r}", Kind.INFO)

    def move(self, delta: int) -> None:
        name = self._current_or_say()
        if name is None:
            return
        if self.window.library.move_search(name, delta):
            self._changed(order=[s.name for s in self.window.library.saved_searches()])
            self.window.sidebar.select(View(ViewKind.SAVED, name))

    def delete(self) -> None:
        name = self._current_or_say()
        if name is None or not self.confirm(f"Delete the saved search {name!r}? Its articles stay."):
            return
        try:
            self.window.library.delete_search(name)
        except LibraryError as error:
            self.window.notify(f"Not deleted: {error}", Kind.ERROR)
            return
        self._changed(removed=name)
        self.window.sidebar.select(View(ViewKind.ALL))
        self.window.notify(f"Deleted the saved search {name!r}", Kind.INFO)

    def edit_rule(self) -> RuleDialog | None:
        """The rule of the saved search shown: what happens to matching articles as they arrive."""
        name = self._current_or_say()
        saved = self.window.library.saved_search(name) if name is not None else None
        if saved is None:
            return None
        dialog = RuleDialog(saved, self.window.library.labels(), self.window, undo=self.window.registry.key_text("undo"))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.set_rule(saved.name, dialog.chosen_actions(), dialog.existing.isChecked()))
        self.rule_dialog = dialog
        dialog.open()
        return dialog

    def set_rule(self, name: str, actions: list[str], existing: bool) -> None:
        """Written on the query thread (applied to every matching article here, it is a
        write over many rows): :meth:`on_rule_set` follows."""
        window = self.window
        job = window.queries.set_rule(name, actions, existing)
        if existing and actions:
            window.marks.reserve(job)  # (its place on the undo stack: Ctrl+Z meanwhile waits for it)
            window.notify("Applying the rule…", Kind.PROGRESS)

    def on_rule_set(self, job: RuleJob, undo: Undo | None) -> None:
        window = self.window
        done = window.marks.written(job, undo)
        if undo is not None and undo.ids:
            changed = len({i for step in (undo, *undo.also) for i in step.ids})
            if done is Written.DROPPED:  # (another folder is open now: nothing to undo there)
                window.notify(f"Rule saved and applied to {plural(changed, 'article')} in the folder open before", Kind.INFO)
            else:
                note = undo_note(window.registry.keys) if done is Written.KEPT else ""
                window.notify(f"Rule saved and applied to {plural(changed, 'article')} here{note}", Kind.INFO)
            window.article_model.refresh_rows()
            window.show_view(window.view_key)
        else:
            window.notify(f"Rule of {job.name!r}: {', '.join(job.actions) or 'none'}", Kind.INFO)
        self._changed()

    def on_rule_failed(self, job: Job, message: str) -> None:
        if isinstance(job, RuleJob):
            self.window.marks.written(job, None)
            self.window.notify(f"Not saved: {message}", Kind.ERROR)

    def _current_or_say(self) -> str | None:
        name = self.current()
        if name is None:
            self.window.notify("Select a saved search in the sidebar first (under Searches)", Kind.INFO)
        return name

    def _changed(
        self,
        *,
        added: str | None = None,
        removed: str | None = None,
        renamed: tuple[str, str] | None = None,
        order: list[str] | None = None,
    ) -> None:
        """The sidebar shows the change at once (with counts as known); the library counts again."""
        window = self.window
        window.shown_saved = shown_saved(window.library, window.view_key)  # (its query or name may be another)
        if window.counts is not None:
            saved = dict(window.counts.saved)
            if added is not None:
                saved[added] = Count()
            if removed is not None:
                saved.pop(removed, None)
            if renamed is not None:
                saved = {renamed[1] if n == renamed[0] else n: c for n, c in saved.items()}
            if order is not None:
                saved = {n: saved.get(n, Count()) for n in order}
            window.show_counts(replace(window.counts, saved=saved))
        window.queries.invalidate_counts()
        window.queries.request_counts(window.scope)


class RuleDialog(QDialog):
    """The actions of a saved search's rule, for articles as they arrive."""

    def __init__(
        self, saved: SavedSearch, known_labels: list[str], parent: QWidget | None = None, *, undo: str = "Ctrl+Z"
    ) -> None:
        super().__init__(parent)
        self.setObjectName("ruleDialog")
        self.setWindowTitle(f"Rule of {saved.name}")
        layout = QVBoxLayout(self)
        about = QLabel(
            f"When articles matching “{saved.query}” arrive (on load, reload or a feed refresh), Reader will:", self
        )
        about.setWordWrap(True)
        layout.addWidget(about)
        actions = set(saved.actions)
        self.read_box = QCheckBox("Mark them &read", self)
        self.star_box = QCheckBox("S&tar them", self)
        self.hide_box = QCheckBox("&Hide them from All and Unread (they stay here and in their topics)", self)
        for box, action in ((self.read_box, "read"), (self.star_box, "star"), (self.hide_box, "hide")):
            box.setChecked(action in actions)
            layout.addWidget(box)
        row = QHBoxLayout()
        label_title = QLabel("Add the &label:", self)
        self.label = QLineEdit(self)
        self.label.setObjectName("ruleLabel")
        self.label.setPlaceholderText("none")
        self.label.setText(next((a.removeprefix("label:") for a in saved.actions if a.startswith("label:")), ""))
        completer = QCompleter(known_labels, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.label.setCompleter(completer)
        label_title.setBuddy(self.label)
        row.addWidget(label_title)
        row.addWidget(self.label, 1)
        layout.addLayout(row)
        undoes = f" ({undo} undoes)" if undo else ""
        self.existing = QCheckBox(f"Also apply it now to the matching articles already here{undoes}", self)
        layout.addWidget(self.existing)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def chosen_actions(self) -> list[str]:
        chosen = [a for box, a in ((self.read_box, "read"), (self.star_box, "star"), (self.hide_box, "hide")) if box.isChecked()]
        label = " ".join(self.label.text().replace(",", " ").split())
        return chosen + ([f"label:{label}"] if label else [])
