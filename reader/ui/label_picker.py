"""Labels in the window: ``l`` opens a small picker for the current article's labels (typed
with completion, separated by commas); the change is written at once and Ctrl+Z undoes it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QStringListModel, Qt
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QCompleter, QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from reader.library import Count, LibraryError
from reader.ui.actions import literal
from reader.ui.messages import Kind

if TYPE_CHECKING:
    from reader.ui.main_window import MainWindow


def split_labels(text: str) -> list[str]:
    """The labels typed in ``text`` (separated by commas), without empty ones or repeats."""
    seen: dict[str, str] = {}
    for part in text.split(","):
        name = " ".join(part.split())
        if name:
            seen.setdefault(name.casefold(), name)
    return list(seen.values())


class _LastWordCompleter(QCompleter):
    """Completes the label being typed: the text after the last comma."""

    def splitPath(self, path: str) -> list[str]:
        return [path.rsplit(",", 1)[-1].strip()]

    def pathFromIndex(self, index: object) -> str:
        chosen = super().pathFromIndex(index)  # type: ignore[arg-type]
        widget = self.widget()
        typed = widget.text() if isinstance(widget, QLineEdit) else ""
        head = typed.rsplit(",", 1)[0] + ", " if "," in typed else ""
        return head + chosen + ", "


class _LabelField(QLineEdit):
    """What is typed adds to the labels there: focus does not select them (the first key
    would replace them all)."""

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.deselect()
        self.end(False)


class LabelPicker(QDialog):
    """The labels of one article, as a line of text: Enter keeps them, Esc leaves them."""

    def __init__(self, title: str, labels: Sequence[str], known: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("labelPicker")
        self.setWindowTitle("Labels")
        self.setAccessibleName("Labels")
        layout = QVBoxLayout(self)
        about = QLabel(f"Labels of “{literal(title[:80])}” (separate them with commas):", self)  # (a buddy's label: & is a mnemonic)
        about.setWordWrap(True)
        layout.addWidget(about)
        self.field = _LabelField(self)
        self.field.setObjectName("labelField")
        self.field.setAccessibleName("Labels")
        self.field.setAccessibleDescription("Your labels on the article, separated by commas; Tab completes")
        self.field.setPlaceholderText("e.g. later, work")
        self.field.setText(", ".join(labels) + (", " if labels else ""))
        completer = _LastWordCompleter(QStringListModel(list(known), self), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.field.setCompleter(completer)
        layout.addWidget(self.field)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        about.setBuddy(self.field)
        self.setMinimumWidth(420)
        self.field.setFocus()

    def labels(self) -> list[str]:
        return split_labels(self.field.text())


class LabelsController(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.picker: LabelPicker | None = None  #: the picker open now

    def pick(self) -> LabelPicker | None:
        """Open the label picker for the article shown."""
        article = self.window.detail.article
        if article is None:
            self.window.notify("Select an article first to label it", Kind.INFO)
            return None
        library = self.window.library
        picker = LabelPicker(article.title, library.labels_of(article.id), library.labels(), self.window)
        picker.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        picker.accepted.connect(lambda: self.apply(article.id, picker.labels()))
        picker.destroyed.connect(lambda: setattr(self, "picker", None))
        self.picker = picker
        picker.open()
        return picker

    def apply(self, article_id: str, labels: Sequence[str]) -> None:
        """Give the article ``labels`` (written at once; Ctrl+Z undoes it)."""
        window = self.window
        try:
            undo = window.library.set_labels(article_id, labels)
        except LibraryError as error:
            window.notify(f"Not saved: {error}", Kind.ERROR)
            return
        if not undo.ids:
            return
        window.marks.push(undo)
        self.shown(article_id)
        names = window.library.labels()
        if window.counts is not None and set(window.counts.labels) != set(names):
            labels_now = {n: window.counts.labels.get(n, Count()) for n in names}
            window.show_counts(replace(window.counts, labels=labels_now))
        window.queries.invalidate_counts()
        window.queries.request_counts(window.scope)
        window.notify(("Labels: " + ", ".join(labels)) if labels else "Labels removed", Kind.INFO)

    def shown(self, article_id: str) -> None:
        """Show the article's labels as the library has them (list row and article pane)."""
        window = self.window
        rowid = window.library.rowid_of(article_id)
        if rowid is not None:
            window.article_model.refresh_rows([rowid])
        if window.detail.article is not None and window.detail.article.id == article_id:
            window.detail.set_labels(window.library.labels_of(article_id))
