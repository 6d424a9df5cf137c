"""The permanent part of the status bar, on its right: what the current view holds, story
grouping's progress, the load's progress and the library's totals, and a badge for a
read-only session. (Messages that come and go on its left are :mod:`reader.ui.messages`'.)"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QFrame, QLabel, QProgressBar, QStatusBar, QWidget


@dataclass(frozen=True, slots=True)
class StatusWidgets:
    view_label: QLabel  #: what the current view holds ("15 articles · 3 unread in AI")
    grouping_label: QLabel  #: "Grouping stories 300 / 1,200" after a load
    progress: QProgressBar  #: how far a load is
    status_label: QLabel  #: the library's totals, or what its load is doing


def build_status_widgets(bar: QStatusBar, parent: QWidget, read_only: str | None) -> StatusWidgets:
    """Add the permanent widgets to ``bar``; ``read_only``: why the session is read-only."""
    progress = QProgressBar(parent)
    progress.setObjectName("loadProgress")
    progress.setMaximumWidth(220)
    progress.setTextVisible(False)
    progress.hide()
    progress.setAccessibleName("Loading progress")
    progress.setAccessibleDescription("How many documents of the open folders have been read")
    view_label = QLabel(parent)
    view_label.setObjectName("statusView")
    view_label.setAccessibleName("This view")
    view_label.setAccessibleDescription("How many articles the current view holds, and how many are unread")
    status_label = QLabel(parent)
    status_label.setObjectName("statusCount")
    status_label.setAccessibleName("Library")
    status_label.setAccessibleDescription("How many articles and problems the open folders and feeds have")
    status_label.setToolTip("The open folders and feeds")
    # Story grouping after a load says how far it is here, apart from the messages that
    # come and go on the left (a failed feed, a mark), which it must not cover.
    grouping_divider = _divider(parent)
    grouping_divider.setObjectName("statusGroupingRule")
    grouping_label = _GroupingLabel(grouping_divider, parent)
    grouping_label.setObjectName("statusGrouping")
    grouping_label.setAccessibleName("Grouping stories")
    grouping_label.hide()
    bar.addPermanentWidget(grouping_label)
    bar.addPermanentWidget(grouping_divider)
    bar.addPermanentWidget(view_label)
    bar.addPermanentWidget(_divider(parent))
    bar.addPermanentWidget(progress)
    bar.addPermanentWidget(status_label)
    if read_only:
        badge = QLabel("Read-only session", parent)
        badge.setObjectName("readOnlyBadge")
        badge.setToolTip(read_only)
        badge.setAccessibleName("Read-only session")
        badge.setAccessibleDescription(read_only)
        bar.addPermanentWidget(badge)
    return StatusWidgets(view_label, grouping_label, progress, status_label)


def _divider(parent: QWidget) -> QFrame:
    divider = QFrame(parent)
    divider.setFrameShape(QFrame.Shape.VLine)
    divider.setFrameShadow(QFrame.Shadow.Sunken)
    return divider


class _GroupingLabel(QLabel):
    """The grouping's progress, with a rule on its right that shows and hides with it (its
    figures would otherwise run into the view's)."""

    def __init__(self, divider: QFrame, parent: QWidget) -> None:
        super().__init__(parent)
        self._divider = divider

    def setVisible(self, visible: bool) -> None:  # noqa: N802 - Qt's name (hide() and show() come here too)
        super().setVisible(visible)
        self._divider.setVisible(visible)

