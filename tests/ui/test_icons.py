"""Icons by meaning (reader.ui.icons): every glyph draws, in the colour asked for."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from reader.ui import icons


@pytest.mark.parametrize("name", sorted(icons.GLYPHS))
def test_every_icon_draws_in_its_colour(qtbot: QtBot, name: str) -> None:
    image = icons.icon(name, QColor("#c00000")).pixmap(24, 24).toImage()
    drawn = [image.pixelColor(x, y) for x in range(image.width()) for y in range(image.height())]
    opaque = [c for c in drawn if c.alpha() > 200]
    assert len(opaque) > 10, f"{name} drew nothing"
    assert all(c.red() > 150 and c.green() < 60 and c.blue() < 60 for c in opaque)


def test_item_icons_are_drawn_once_at_each_size(qtbot: QtBot) -> None:
    drawn = icons.item_icon("starred", icons.STAR_COLOUR)
    assert drawn is icons.item_icon("starred", icons.STAR_COLOUR)
    assert sorted(size.width() for size in drawn.availableSizes()) == list(icons.ITEM_ICON_SIZES)
