"""File > Export: the current view or the starred articles, as Markdown or CSV. The
formatting is :mod:`reader.export`'s; this is the dialog that asks what and where. The
articles are read and the file written on a thread of its own (with its own connection to
the library): 10,000 articles take seconds, and the window stays responsive meanwhile."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from reader.export import ExportFormat, collect, write_export
from reader.library import Library, LibraryError
from reader.ui.actions import literal
from reader.ui.messages import Kind, Notify
from reader.wording import plural


#: What to export.
CURRENT, STARRED = "current", "starred"


def ask_save_path(parent: QWidget, suggested: str, fmt: ExportFormat) -> str:
    """The platform's save dialog; an empty string when cancelled."""
    pattern = "Markdown (*.md)" if fmt is ExportFormat.MARKDOWN else "CSV (*.csv)"
    path, _ = QFileDialog.getSaveFileName(parent, "Export articles", suggested, pattern)
    return path


class _Export(QObject):
    """Reads the articles and writes the file on a thread; ``done`` brings the result (the
    path and the number of articles, or a message) to the GUI thread. Not parented: it
    lives as long as its thread needs it, whatever happens to the dialog."""

    done = Signal(object)

    def __init__(self, open_library: Callable[[], Library], rowids: list[int], path: str, fmt: ExportFormat,
                 heading: str) -> None:
        super().__init__()
        self._work = (open_library, rowids, path, fmt, heading)
        self.worker_thread = threading.Thread(target=self._run, name="reader-export", daemon=True)

    def _run(self) -> None:
        open_library, rowids, path, fmt, heading = self._work
        try:
            library = open_library()
            try:
                rows = collect(library, rowids)
            finally:
                library.close()
            self.done.emit((write_export(path, rows, fmt, heading), len(rows)))
        except OSError as error:
            self.done.emit(f"Not saved: could not write {path}: {error.strerror or error}")
        except LibraryError as error:
            self.done.emit(f"Not saved: {error}")


class ExportDialog(QDialog):
    """Asks what to export (the current view, or the starred articles) and in which format;
    Save asks where and writes the file. ``view_name`` None: the current view lists no
    articles (Problems, Trends), and only the starred ones are offered."""

    def __init__(
        self,
        library: Library,
        view_name: str | None,
        view_rowids: Callable[[], Sequence[int]],
        starred_rowids: Callable[[], Sequence[int]],
        folder: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle("Export Articles")
        self.setAccessibleName("Export articles")
        self.setAccessibleDescription("Save the current view or the starred articles as Markdown or CSV")
        self.library = library
        self.view_name = view_name
        self.view_rowids = view_rowids
        self.starred_rowids = starred_rowids
        self.folder = folder
        #: Asks for the file to write (tests replace it).
        self.ask_path: Callable[[QWidget, str, ExportFormat], str] = ask_save_path
        #: The file written by the last export, and how many articles it holds.
        self.written: tuple[Path, int] | None = None
        self.error: str | None = None
        self._running: _Export | None = None

        layout = QVBoxLayout(self)
        what = QGroupBox("Articles", self)
        what.setAccessibleName("Articles to export")
        what_layout = QVBoxLayout(what)
        self.current_button = QRadioButton(f"&Current view: {literal(view_name or '')}", what)
        self.current_button.setAccessibleDescription("The articles listed now, in their order, with the search applied")
        self.starred_button = QRadioButton("S&tarred articles", what)
        self.starred_button.setAccessibleDescription("Every starred article in the open folders")
        first = self.current_button if view_name is not None else self.starred_button  # (the current view's, when there is one)
        first.setChecked(True)
        self.what_group = QButtonGroup(self)
        for button in (self.current_button, self.starred_button):
            self.what_group.addButton(button)
            what_layout.addWidget(button)
        self.current_button.setVisible(view_name is not None)
        layout.addWidget(what)

        how = QGroupBox("Format", self)
        how.setAccessibleName("Export format")
        how_layout = QVBoxLayout(how)
        self.markdown_button = QRadioButton("&Markdown (a list of linked titles)", how)
        self.markdown_button.setAccessibleDescription("A .md file: titles as links, then source, date and topics")
        self.csv_button = QRadioButton("CS&V (for spreadsheets)", how)
        self.csv_button.setAccessibleDescription("A .csv file: title, source, domain, published, url, topics, read, starred")
        self.markdown_button.setChecked(True)
        self.format_group = QButtonGroup(self)
        for button in (self.markdown_button, self.csv_button):
            self.format_group.addButton(button)
            how_layout.addWidget(button)
        layout.addWidget(how)

        self.error_label = QLabel(self)
        self.error_label.setObjectName("exportError")
        self.error_label.setAccessibleName("Export error")
        self.error_label.setAccessibleDescription("Why the export could not be written")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        layout.addWidget(self.error_label)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("&Save…")
        buttons.button(QDialogButtonBox.StandardButton.Save).setAccessibleDescription("Choose a file and write the export")
        # (named here: some desktops' own "&Cancel" would share Alt+C with the current view; Esc cancels)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Cancel")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleDescription("Close without exporting")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.buttons = buttons
        first.setFocus(Qt.FocusReason.OtherFocusReason)

    @property
    def what(self) -> str:
        return STARRED if self.starred_button.isChecked() else CURRENT

    @property
    def format(self) -> ExportFormat:
        return ExportFormat.CSV if self.csv_button.isChecked() else ExportFormat.MARKDOWN

    def heading(self) -> str:
        return "Starred articles" if self.what == STARRED or self.view_name is None else self.view_name

    def save(self) -> None:
        """Ask where, write the file, and close; stays open with the reason when it fails."""
        fmt = self.format
        name = "starred" if self.what == STARRED or self.view_name is None else _file_name(self.view_name)
        path = self.ask_path(self, os.path.join(self.folder, name + fmt.suffix), fmt)
        if not path:
            return
        if not Path(path).suffix:
            path += fmt.suffix
        rowids = list(self.starred_rowids() if self.what == STARRED else self.view_rowids())
        self._running = _Export(self.library.reopen, rowids, path, fmt, self.heading())
        self._running.done.connect(self._finished)
        self.buttons.setEnabled(False)
        self.error_label.setText(f"Exporting {plural(len(rowids), 'article')}…")
        self.error_label.show()
        self._running.worker_thread.start()

    @property
    def busy(self) -> bool:
        return self._running is not None

    def _finished(self, result: tuple[Path, int] | str) -> None:
        self._running = None
        self.buttons.setEnabled(True)
        if isinstance(result, str):
            self.error = result
            self.error_label.setText(result)
            return
        self.error = None
        self.written = result
        self.accept()

    def reject(self) -> None:
        if not self.busy:  # (an export that runs finishes first; it is quick)
            super().reject()


def _file_name(view_name: str) -> str:
    """A file name made from a view's name ("Topic: AI" -> "topic-ai")."""
    cleaned = "".join(c.lower() if c.isalnum() else "-" for c in view_name)
    return "-".join(part for part in cleaned.split("-") if part) or "articles"


def show_export(
    parent: QWidget,
    library: Library,
    view_name: str | None,
    view_rowids: Callable[[], Sequence[int]],
    starred_rowids: Callable[[], Sequence[int]],
    folder: str,
    notify: Notify,
) -> ExportDialog:
    """Open the export dialog over ``parent`` for the view called ``view_name`` (None: one
    that lists no articles; its rows and the starred ones are asked for when written);
    ``notify`` says what was written."""
    dialog = ExportDialog(library, view_name, view_rowids, starred_rowids, folder, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def done() -> None:
        if dialog.written is not None:
            path, count = dialog.written
            notify(f"Exported {plural(count, 'article')} to {path}", Kind.INFO)

    dialog.accepted.connect(done)
    dialog.show()
    return dialog
