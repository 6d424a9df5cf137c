"""Status messages: widgets and controllers say *what* happened and of which kind; this
module alone decides how long each kind stays on the left of the status bar.

The permanent part on the right (the view's and the library's summaries, the load's
progress, story grouping) is kept up to date by the window, not here."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from PySide6.QtWidgets import QStatusBar


class Kind(StrEnum):
    #: A key's echo or a hint ("Starred", "Link copied", "Nothing to undo").
    INFO = "info"
    #: Work that runs in the background and says so again when it is done ("Marking read…").
    PROGRESS = "progress"
    #: Something was refused or not done; the user may act on it ("Not subscribed: …").
    WARNING = "warning"
    #: Something went wrong that the user should read: a failed load or fetch, a damaged library.
    ERROR = "error"


#: How long each kind of message stays, in milliseconds (a newer message replaces it before).
DURATION_MS: dict[Kind, int] = {
    Kind.INFO: 5000,
    Kind.PROGRESS: 10000,
    Kind.WARNING: 8000,
    Kind.ERROR: 15000,
}

#: What controllers and dialogs are given to say something: ``notify(text, kind)``.
Notify = Callable[[str, Kind], None]


def show(bar: QStatusBar, text: str, kind: Kind = Kind.INFO) -> None:
    """Show ``text`` on the left of ``bar`` for as long as its ``kind`` stays."""
    bar.showMessage(text, DURATION_MS[kind])
