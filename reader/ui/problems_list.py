"""The Problems view: every document that could not be read, the reason first and whole, then
its path relative to the opened folder."""

from __future__ import annotations

import os
from collections.abc import Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from reader.article import Problem
from reader.display import NAME_CHARS, TIP_CHARS, clip, clip_middle
from reader.filenames import shown

ModelIndex = QModelIndex | QPersistentModelIndex
HEADERS = ("Reason", "Document")
REASON, DOCUMENT = 0, 1
#: The reason column is as wide as its longest reason, up to this share of the view.
REASON_SHARE = 0.65


def relative_path(path: str, roots: Sequence[str]) -> str:
    """``path`` relative to the opened folder it is under (``sub/broken.md``); a file opened
    by itself, or under none of them, by its whole path."""
    for root in sorted(roots, key=len, reverse=True):
        if os.path.isdir(root) and path.startswith(root.rstrip(os.sep) + os.sep):
            return os.path.relpath(path, root)
    return path


class ProblemsModel(QAbstractTableModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.problems: list[Problem] = []
        self._shown: list[str] = []  #: the paths as shown (relative to the opened folders)

    def set_problems(self, problems: list[Problem], roots: Sequence[str] = ()) -> None:
        self.beginResetModel()
        self.problems = list(problems)
        self._shown = [shown(relative_path(p.path, roots)) for p in self.problems]
        self.endResetModel()

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.problems)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        problem = self.problems[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            if index.column() == REASON:
                return clip(problem.reason, TIP_CHARS)
            return clip_middle(self._shown[index.row()], NAME_CHARS * 2)
        if role == Qt.ItemDataRole.ToolTipRole:
            return clip(f"{problem.reason}\n{shown(problem.path)}", TIP_CHARS * 2)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{self._shown[index.row()]}: {clip(problem.reason, TIP_CHARS)}"
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return HEADERS[section]
        return None


class ProblemsList(QTableView):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("problemsList")
        self.setAccessibleName("Problems")
        self.setAccessibleDescription("Documents that could not be read: the reason, then the file")
        self.problems_model = ProblemsModel(self)
        self.setModel(self.problems_model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        rows = self.verticalHeader()
        rows.hide()
        # Two lines a row (all of one height): a long reason wraps instead of being cut.
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().lineSpacing() * 2 + 8)
        self.setWordWrap(True)
        header = self.horizontalHeader()
        header.setSectionResizeMode(REASON, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.resizeSection(REASON, 260)
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # (a path's folder and name both show)
        self.problems_model.modelReset.connect(self.fit_reason)

    def fit_reason(self) -> None:
        """The reason column as wide as its longest reason (within :data:`REASON_SHARE`;
        longer ones wrap to a second line)."""
        metrics = self.fontMetrics()
        reasons = {self.problems_model.data(self.problems_model.index(r, REASON)) for r in range(self.problems_model.rowCount())}
        widest = max((metrics.horizontalAdvance(str(r)) for r in reasons), default=0) + 16
        limit = int(max(self.width(), 400) * REASON_SHARE)
        self.horizontalHeader().resizeSection(REASON, max(120, min(limit, widest)))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.fit_reason()

    def current_problem(self) -> Problem | None:
        index = self.currentIndex()
        return self.problems_model.problems[index.row()] if index.isValid() else None

    def select_path(self, path: str) -> bool:
        """Make the problem of the file ``path`` current; False when the list does not hold it."""
        paths = [problem.path for problem in self.problems_model.problems]
        if path not in paths:
            return False
        self.setCurrentIndex(self.problems_model.index(paths.index(path), 0))
        return True

    def step(self, delta: int) -> bool:
        count = self.problems_model.rowCount()
        current = self.currentIndex()
        row = current.row() + delta if current.isValid() else 0
        if not 0 <= row < count:
            return False
        self.setCurrentIndex(self.problems_model.index(row, 0))
        return True
