"""Icons by meaning, drawn by qtawesome and coloured from the palette (so dark mode works)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_API", "pyside6")  # keep qtpy (used by qtawesome) from probing other bindings

import qtawesome as qta
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QIcon, QPalette
from PySide6.QtWidgets import QApplication

GLYPHS: dict[str, str] = {
    "all": "mdi6.inbox",
    "unread": "mdi6.email-outline",
    "starred": "mdi6.star",
    "unstarred": "mdi6.star-outline",
    "today": "mdi6.calendar-today",
    "top": "mdi6.fire",
    "trends": "mdi6.trending-up",
    "stories": "mdi6.newspaper-variant-multiple",
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
    "fulltext": "mdi6.text-box-outline",
    "web": "mdi6.web",
    "next": "mdi6.arrow-down",
    "previous": "mdi6.arrow-up",
    "next-unread": "mdi6.page-next-outline",
    "previous-unread": "mdi6.page-previous-outline",
    "sort": "mdi6.sort",
    "export": "mdi6.export-variant",
    "preferences": "mdi6.cog-outline",
    "zoom-in": "mdi6.magnify-plus-outline",
    "zoom-out": "mdi6.magnify-minus-outline",
    "feed": "mdi6.rss",
    "feed-error": "mdi6.alert-circle-outline",
    "subscribe": "mdi6.rss",
    "saved-search": "mdi6.folder-search-outline",
    "label": "mdi6.label-outline",
}

STAR_COLOUR = QColor("#e0a100")
_cache: dict[tuple[str, str], QIcon] = {}
_font: list[object] = []  #: the one icon font, once loaded


def _iconic() -> object:
    """qtawesome's drawing object with just the font :data:`GLYPHS` use. ``qta.icon``
    loads all twelve bundled fonts at the first call, which keeps the window from
    appearing for some 60 ms; Reader needs one of them."""
    if not _font:
        fonts = [f for f in getattr(qta, "_BUNDLED_FONTS", ()) if f[0] == "mdi6"]
        try:
            _font.append(qta.IconicFont(*fonts) if fonts else qta)
        except Exception:  # noqa: BLE001 - a qtawesome that changed inside: the public way
            _font.append(qta)
    return _font[0]


def icon(name: str, colour: QColor | None = None) -> QIcon:
    """The icon for ``name`` (a key of :data:`GLYPHS`), in the palette's text colour."""
    colour = _colour(colour)
    key = (name, colour.name())
    cached = _cache.get(key)
    if cached is None:
        disabled = QColor(colour)
        disabled.setAlphaF(0.4)
        cached = _iconic().icon(GLYPHS[name], color=colour, color_disabled=disabled)  # type: ignore[attr-defined]
        _cache[key] = cached
    return cached


#: Sizes (in device-independent pixels) an item icon is drawn at in advance.
ITEM_ICON_SIZES = (16, 24, 32)
_item_cache: dict[tuple[str, str], QIcon] = {}


def item_icon(name: str, colour: QColor | None = None) -> QIcon:
    """:func:`icon`, drawn once into pixmaps: for item views, which paint their icons again
    and again (qtawesome draws each time, in Python, which competes with everything else
    running Python in the background)."""
    colour = _colour(colour)
    key = (name, colour.name())
    cached = _item_cache.get(key)
    if cached is None:
        drawn = icon(name, colour)
        cached = QIcon()
        for size in ITEM_ICON_SIZES:
            cached.addPixmap(drawn.pixmap(QSize(size, size)))
        _item_cache[key] = cached
    return cached


def _colour(colour: QColor | None) -> QColor:
    """``colour``, or the palette's text colour."""
    if colour is not None:
        return colour
    app = QApplication.instance()
    palette = app.palette() if isinstance(app, QApplication) else QPalette()
    return palette.color(QPalette.ColorRole.WindowText)


def clear_cache() -> None:
    """Forget drawn icons (after the palette changes)."""
    _cache.clear()
    _item_cache.clear()
