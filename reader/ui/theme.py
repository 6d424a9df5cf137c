"""Light and dark palettes on Qt's Fusion style, the interface font size, and following the
system's colour scheme. Icons are drawn again in the new colours (see :mod:`reader.ui.icons`)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

from reader.ui import icons
from reader.ui.settings import Theme

Role, Group = QPalette.ColorRole, QPalette.ColorGroup

#: The dark palette: soft contrast (no pure black or white), a blue highlight and links
#: light enough to read on it.
DARK: dict[QPalette.ColorRole, str] = {
    Role.Window: "#2b2d30",
    Role.WindowText: "#e3e3e3",
    Role.Base: "#1f2023",
    Role.AlternateBase: "#2b2d30",
    Role.ToolTipBase: "#3a3d41",
    Role.ToolTipText: "#e3e3e3",
    Role.PlaceholderText: "#9a9da3",
    Role.Text: "#e3e3e3",
    Role.Button: "#35373b",
    Role.ButtonText: "#e3e3e3",
    Role.BrightText: "#ff6b6b",
    Role.Light: "#4a4d52",
    Role.Midlight: "#3e4145",
    Role.Mid: "#2f3134",
    Role.Dark: "#19191b",
    Role.Shadow: "#0d0d0e",
    Role.Highlight: "#3d6fb6",
    Role.HighlightedText: "#ffffff",
    Role.Link: "#8ab4f8",
    Role.LinkVisited: "#c58af9",
}
#: The light palette: Fusion's, with a blue highlight and darker grey for secondary text.
LIGHT: dict[QPalette.ColorRole, str] = {
    Role.Window: "#efefef",
    Role.WindowText: "#1d1d1f",
    Role.Base: "#ffffff",
    Role.AlternateBase: "#f5f5f5",
    Role.ToolTipBase: "#ffffdc",
    Role.ToolTipText: "#1d1d1f",
    Role.PlaceholderText: "#6b6e75",
    Role.Text: "#1d1d1f",
    Role.Button: "#efefef",
    Role.ButtonText: "#1d1d1f",
    Role.BrightText: "#d00000",
    Role.Highlight: "#2f6fd0",
    Role.HighlightedText: "#ffffff",
    Role.Link: "#1a5fb4",
    Role.LinkVisited: "#7d3cb5",
}


def error_colour(colours: QPalette) -> str:
    """The colour of a mistake's text (a search that cannot be run, a refused key), readable
    on ``colours``' window: a darker red on light windows, a lighter one on dark windows."""
    return "#ff8a80" if colours.color(Role.Window).lightness() < 128 else "#c0392b"


def palette(dark: bool) -> QPalette:
    """The light or the dark palette (disabled text greyed out in both)."""
    base = QStyleFactory.create("Fusion")
    result = QPalette(base.standardPalette()) if base is not None else QPalette()
    for role, colour in (DARK if dark else LIGHT).items():
        result.setColor(role, QColor(colour))
    disabled = QColor("#7a7c80" if dark else "#a0a0a0")
    for role in (Role.WindowText, Role.Text, Role.ButtonText):
        result.setColor(Group.Disabled, role, disabled)
    return result


def system_is_dark() -> bool:
    return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark


def is_dark(theme: Theme, system_dark: bool) -> bool:
    """Whether ``theme`` means dark, given what the system prefers."""
    return theme == Theme.DARK or (theme == Theme.SYSTEM and system_dark)


class ThemeManager(QObject):
    """Applies a theme and a font size to the application, and re-applies the theme when the
    system's colour scheme changes while the theme follows it."""

    changed = Signal(bool)  #: dark or not, after the palette changed

    def __init__(self, app: QApplication, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.theme = Theme.SYSTEM
        self.dark: bool | None = None
        self._default_point_size = app.font().pointSizeF()
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._system_changed)

    def apply(self, theme: Theme) -> None:
        """Use ``theme`` (at once: palette, style and icons)."""
        self.theme = theme
        self._set_dark(is_dark(theme, system_is_dark()))

    def _system_changed(self, scheme: Qt.ColorScheme) -> None:
        if self.theme == Theme.SYSTEM:
            self._set_dark(scheme == Qt.ColorScheme.Dark)

    def _set_dark(self, dark: bool) -> None:
        if self.app.style().name().lower() != "fusion":
            self.app.setStyle("Fusion")
        self.dark = dark
        icons.clear_cache()  # before the widgets hear of the new palette and draw again
        self.app.setPalette(palette(dark))
        self.changed.emit(dark)

    def set_font_size(self, points: int) -> None:
        """The interface's font size in points (0: the system's)."""
        font = QFont(self.app.font())
        font.setPointSizeF(float(points) if points > 0 else self._default_point_size)
        self.app.setFont(font)
