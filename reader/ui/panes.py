"""The three panes side by side (sidebar, list, article) in one splitter: widening the
focused one from the keyboard, and fitting the sidebar to its names."""

from __future__ import annotations

from PySide6.QtWidgets import QSplitter, QWidget

#: Ctrl+Shift+Right / Left widen / narrow the focused pane by this many pixels.
PANE_STEP = 40
#: The sidebar is sized to its names within these widths (at a large font, the widest grows:
#: :func:`sidebar_limit`).
SIDEBAR_MIN, SIDEBAR_MAX = 180, 340
#: ... up to this many average characters of its font, and a quarter of the window.
SIDEBAR_CHARS = 34
#: No pane is made narrower than this by the keyboard (nor than its own minimum).
PANE_MIN = 60


def _pane(splitter: QSplitter, index: int) -> QWidget:
    widget = splitter.widget(index)
    assert widget is not None  # (the splitter holds three panes)
    return widget


def resize_pane(splitter: QSplitter, focused: QWidget | None, delta: int) -> bool:
    """Widen (``delta`` > 0) or narrow the pane holding ``focused`` (the list when none
    does): the article pane gives or takes the width; for itself, the list. True when the
    sizes changed (they are then told by ``splitterMoved``, as a drag of the handle is)."""
    pane = 1
    for index in range(3):
        widget = _pane(splitter, index)
        if focused is not None and (focused is widget or widget.isAncestorOf(focused)):
            pane = index
    other = 1 if pane == 2 else 2
    sizes = splitter.sizes()
    minimum = (_pane(splitter, pane).minimumSizeHint().width(), _pane(splitter, other).minimumSizeHint().width())
    step = max(-(sizes[pane] - max(PANE_MIN, minimum[0])), min(delta, sizes[other] - max(PANE_MIN, minimum[1])))
    if not step:
        return False
    sizes[pane] += step
    sizes[other] -= step
    splitter.setSizes(sizes)
    splitter.splitterMoved.emit(sizes[0], 1)  # (remembered like a drag of the handle)
    return True


def sidebar_limit(splitter: QSplitter) -> int:
    """The widest the sidebar is sized to its names: SIDEBAR_MAX, or at a large font
    SIDEBAR_CHARS average characters of the sidebar's font, within a quarter of the window."""
    chars = _pane(splitter, 0).fontMetrics().averageCharWidth() * SIDEBAR_CHARS
    return max(SIDEBAR_MAX, min(chars, splitter.width() // 4))


def fit_sidebar(splitter: QSplitter, preferred: int) -> None:
    """Size the first pane to ``preferred`` (within SIDEBAR_MIN and :func:`sidebar_limit`);
    the last pane gives (or takes) the width, down to its own minimum."""
    width = max(SIDEBAR_MIN, min(sidebar_limit(splitter), preferred))
    sizes = splitter.sizes()
    if sizes[0] == width or sum(sizes) <= 0:
        return
    spare = sizes[2] - _pane(splitter, 2).minimumSizeHint().width()
    width = min(width, sizes[0] + max(0, spare))
    if width == sizes[0]:
        return
    sizes[2] += sizes[0] - width
    sizes[0] = width
    splitter.setSizes(sizes)
