"""Icons by meaning, drawn by qtawesome and coloured from the palette (so dark mode works)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_API", "pyside6")  # keep qtpy (used by qtawesome) from probing other bindings

import qtawesome as qta
from PySide6.QtGui import QColor, QIcon, QPalette
from PySide6.QtWidgets import QApplication

GLYPHS: dict[str, str] = {
    "all": "mdi6.inbox",
    "unread": "mdi6.email-outline",
    "starred": "mdi6.star",
    "unstarred": "mdi6.star-outline",
    "today": "mdi6.calendar-today",
    "problems": "mdi6.alert-circle-outline",
    "topic": "mdi6.tag-outline",
    "topics": "mdi6.tag-multiple-outline",
    "source": "mdi6.newspaper-variant-outline",
    "language": "mdi6.translate",
    "open": "mdi6.open-in-new",
    "copy": "mdi6.content-copy",
    "read": "mdi6.email-open-outline",
    "mark-all": "mdi6.check-all",
    "search": "mdi6.magnify",
    "reload": "mdi6.refresh",
    "folder": "mdi6.folder-open-outline",
    "help": "mdi6.keyboard-outline",
    "quit": "mdi6.exit-to-app",
    "undo": "mdi6.undo",
    "image": "mdi6.image-outline",
    "web": "mdi6.web",
    "next": "mdi6.arrow-down",
    "previous": "mdi6.arrow-up",
    "next-unread": "mdi6.page-next-outline",
    "previous-unread": "mdi6.page-previous-outline",
    "sort": "mdi6.sort",
}

STAR_COLOUR = QColor("#e0a100")
_cache: dict[tuple[str, str], QIcon] = {}


def icon(name: str, colour: QColor | None = None) -> QIcon:
    """The icon for ``name`` (a key of :data:`GLYPHS`), in the palette's text colour."""
    if colour is None:
        app = QApplication.instance()
        palette = app.palette() if isinstance(app, QApplication) else QPalette()
        colour = palette.color(QPalette.ColorRole.WindowText)
    key = (name, colour.name())
    cached = _cache.get(key)
    if cached is None:
        disabled = QColor(colour)
        disabled.setAlphaF(0.4)
        cached = qta.icon(GLYPHS[name], color=colour, color_disabled=disabled)
        _cache[key] = cached
    return cached


def clear_cache() -> None:
    """Forget drawn icons (after the palette changes)."""
    _cache.clear()
