"""Text in colour stays readable in both themes: a search's mistake under the field."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor, QPalette, QRegion
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from reader.ui.main_window import MainWindow
from reader.ui.settings import Theme

from .test_keyboard import focused, press
from .test_preferences import restore_look  # noqa: F401  (a fixture)


def contrast(a: QColor, b: QColor) -> float:
    """WCAG 2 contrast ratio of two colours."""

    def luminance(colour: QColor) -> float:
        def channel(c: float) -> float:
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

        return 0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF()) + 0.0722 * channel(colour.blueF())

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("theme", [Theme.LIGHT, Theme.DARK])
def test_a_search_mistake_is_readable(qtbot: QtBot, window: MainWindow, theme: Theme, restore_look: None) -> None:  # noqa: F811
    window.theme.apply(theme)
    press(qtbot, window, "/")
    qtbot.keyClicks(focused(window), "topic:")
    error = window.search_bar.error
    qtbot.waitUntil(error.isVisible)
    image = error.grab().toImage()
    # (the label paints no background of its own: the window's shows through)
    background = window.palette().color(QPalette.ColorRole.Window)
    image.fill(background)
    error.render(image, QPoint(), QRegion(), QWidget.RenderFlag.DrawChildren)  # its text alone
    ink = max((image.pixelColor(x, y) for x in range(image.width()) for y in range(image.height())),
              key=lambda colour: contrast(colour, background))  # fmt: skip
    assert contrast(ink, background) >= 4.5
    assert ink.red() > ink.green() + 40  # still red: a mistake
