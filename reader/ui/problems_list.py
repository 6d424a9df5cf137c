"""The Problems view: every document that could not be read, with its reason and path."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from reader.article import Problem

ModelIndex = QModelIndex | QPersistentModelIndex
HEADERS = ("Document", "Reason")


class ProblemsModel(QAbstractTableModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.problems: list[Problem] = []

    def set_problems(self, problems: list[Problem]) -> None:
        self.beginResetModel()
        self.problems = list(problems)
        self.endResetModel()

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.problems)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        problem = self.problems[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return problem.path if index.column() == 0 else problem.reason
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{problem.path}: {problem.reason}"
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
        self.setAccessibleDescription("Documents that could not be read, with the reason")
        self.problems_model = ProblemsModel(self)
        self.setModel(self.problems_model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.verticalHeader().hide()
        self.setWordWrap(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.resizeSection(0, 260)
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)

    def current_problem(self) -> Problem | None:
        index = self.currentIndex()
        return self.problems_model.problems[index.row()] if index.isValid() else None

    def step(self, delta: int) -> bool:
        count = self.problems_model.rowCount()
        current = self.currentIndex()
        row = current.row() + delta if current.isValid() else 0
        if not 0 <= row < count:
            return False
        self.setCurrentIndex(self.problems_model.index(row, 0))
        return True
