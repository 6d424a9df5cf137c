"""What Reader remembers between runs that is not the library's: preferences (folders,
theme, font size, zoom, when to mark read, remote images) and the window's state (geometry,
splitter, columns, sort, the last view and article or problem). Stored with QSettings in the
platform's settings folder (on Linux ``~/.config/reader/Reader.ini``)."""

from __future__ import annotations

import enum
import os
from collections.abc import Sequence

from PySide6.QtCore import QByteArray, QSettings

from reader.filenames import restored, stored
from reader.library import Sort, View, ViewKind
from reader.ui.view_data import PROBLEMS, TRENDS, Key

APP_NAME = "Reader"
ORGANIZATION = "reader"

#: Automatic refresh intervals of subscriptions offered (minutes; 0: only when asked; the
#: Preferences name the current key of Reload in its label).
FEED_REFRESH_INTERVALS = {0: "Only when I ask", 15: "Every 15 minutes", 30: "Every 30 minutes",
                          60: "Every hour", 180: "Every 3 hours"}
#: Mark-read delays offered (milliseconds); NEVER leaves marking to the user (the Preferences
#: name the current key of Mark Read / Unread in its label).
NEVER = -1
MARK_READ_DELAYS: dict[int, str] = {0: "Immediately", 1000: "After 1 second", 2000: "After 2 seconds",
                                    5000: "After 5 seconds", NEVER: "Never"}
#: Detail-pane zoom steps (one step is one point of font size).
ZOOM_MIN, ZOOM_MAX = -5, 15
#: Font sizes offered in points; 0 is the system's size.
FONT_MIN, FONT_MAX = 7, 24


class Theme(enum.StrEnum):
    SYSTEM = "system"
    LIGHT = "light"
    DARK = "dark"


class Settings:
    """Typed access to Reader's QSettings. ``store`` defaults to the user's INI file (tests
    give one in a temporary folder)."""

    def __init__(self, store: QSettings | None = None) -> None:
        self.store = store if store is not None else QSettings(
            QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APP_NAME
        )

    def path(self) -> str:
        return self.store.fileName()

    def sync(self) -> bool:
        """Write what changed to the settings file; False when it cannot be written (a
        read-only or full disk, a folder in its place): what changed lasts until Reader closes."""
        self.store.sync()
        return self.saved()

    def saved(self) -> bool:
        """Whether the last :meth:`sync` could write the settings file (it is not written again).
        Only an access error says it could not: a format error is Qt's reading of a malformed
        file, which it writes all the same."""
        return self.store.status() != QSettings.Status.AccessError

    # -------------------------------------------------------------- helpers

    def _int(self, key: str, default: int) -> int:
        value = self.store.value(key, default)
        if not isinstance(value, (int, float, str)):
            return default
        try:
            return int(value)
        except ValueError:
            return default

    def _strings(self, key: str) -> list[str]:
        """A list of texts (QSettings gives one text alone as a string)."""
        value = self.store.value(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, (list, tuple)):
            return []
        return [str(v) for v in value if str(v)]

    def _text(self, key: str) -> str | None:
        """A text, or None when none is kept."""
        value = self.store.value(key)
        return str(value) if value else None

    def _set_text(self, key: str, value: str | None) -> None:
        """Keep ``value`` (None or empty: keep none)."""
        if value:
            self.store.setValue(key, value)
        else:
            self.store.remove(key)

    def _bytes(self, key: str) -> QByteArray | None:
        value = self.store.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    # -------------------------------------------------------------- preferences

    @property
    def folders(self) -> list[str]:
        """Folders opened when Reader starts without paths (all shown together)."""
        return [restored(folder) for folder in self._strings("folders")]

    @folders.setter
    def folders(self, folders: Sequence[str | os.PathLike[str]]) -> None:
        unique = list(dict.fromkeys(os.path.abspath(os.fspath(f)) for f in folders))
        if unique:
            self.store.setValue("folders", [stored(folder) for folder in unique])  # (a name not UTF-8 too)
        else:
            self.store.remove("folders")

    @property
    def mark_read_delay(self) -> int:
        """Milliseconds an article stays selected before it is marked read; :data:`NEVER`."""
        value = self._int("mark_read_delay", 0)
        return value if value in MARK_READ_DELAYS else 0

    @mark_read_delay.setter
    def mark_read_delay(self, value: int) -> None:
        self.store.setValue("mark_read_delay", int(value))

    @property
    def feed_refresh_minutes(self) -> int:
        """Minutes between automatic refreshes of the subscriptions; 0: only on F5 (the default)."""
        value = self._int("feed_refresh_minutes", 0)
        return value if value in FEED_REFRESH_INTERVALS else 0

    @feed_refresh_minutes.setter
    def feed_refresh_minutes(self, minutes: int) -> None:
        self.store.setValue("feed_refresh_minutes", int(minutes))

    @property
    def remote_images(self) -> bool:
        """Whether images may be fetched when asked for (I); off: never."""
        return str(self.store.value("remote_images", "on-request")) != "off"

    @remote_images.setter
    def remote_images(self, on: bool) -> None:
        self.store.setValue("remote_images", "on-request" if on else "off")

    @property
    def fulltext_sources(self) -> list[str]:
        """Sources (domains, "example.org") whose articles' full text loads when shown; none
        by default. Remote images off (:attr:`remote_images`) turns this off too."""
        return self._strings("fulltext_sources")

    @fulltext_sources.setter
    def fulltext_sources(self, sources: Sequence[str]) -> None:
        unique = sorted(dict.fromkeys(s.strip().lower() for s in sources if s.strip()))
        if unique:
            self.store.setValue("fulltext_sources", unique)
        else:
            self.store.remove("fulltext_sources")

    @property
    def theme(self) -> Theme:
        try:
            return Theme(str(self.store.value("theme", Theme.SYSTEM)))
        except ValueError:
            return Theme.SYSTEM

    @theme.setter
    def theme(self, theme: Theme) -> None:
        self.store.setValue("theme", str(theme))

    @property
    def font_size(self) -> int:
        """The interface's font size in points; 0 for the system's."""
        value = self._int("font_size", 0)
        return value if value == 0 or FONT_MIN <= value <= FONT_MAX else 0

    @font_size.setter
    def font_size(self, points: int) -> None:
        self.store.setValue("font_size", int(points))

    @property
    def zoom(self) -> int:
        return max(ZOOM_MIN, min(ZOOM_MAX, self._int("zoom", 0)))

    @zoom.setter
    def zoom(self, steps: int) -> None:
        self.store.setValue("zoom", int(steps))

    # -------------------------------------------------------------- window state

    def window_state(self) -> dict[str, QByteArray]:
        """The saved states by name (geometry, window, splitter, sidebar, list columns)."""
        found = {}
        for name in ("geometry", "window", "splitter", "sidebar_columns", "list_columns"):
            value = self._bytes(f"window/{name}")
            if value is not None:
                found[name] = value
        return found

    def save_window_state(self, states: dict[str, QByteArray]) -> None:
        for name, value in states.items():
            self.store.setValue(f"window/{name}", value)

    @property
    def sidebar_sized(self) -> bool:
        """Whether the user sized the sidebar (by hand or by key): then it is not fitted to
        its names any more."""
        return str(self.store.value("window/sidebar_sized", "false")).lower() == "true"

    @sidebar_sized.setter
    def sidebar_sized(self, sized: bool) -> None:
        self.store.setValue("window/sidebar_sized", "true" if sized else "false")

    @property
    def sort(self) -> Sort | None:
        try:
            return Sort(str(self.store.value("window/sort", "")))
        except ValueError:
            return None

    @sort.setter
    def sort(self, sort: Sort) -> None:
        self.store.setValue("window/sort", str(sort))

    @property
    def view(self) -> Key | None:
        """The last view shown: a library view, Problems or Trends (None: nothing saved)."""
        kind = str(self.store.value("window/view_kind", ""))
        if kind in (PROBLEMS, TRENDS):
            return kind
        value = self.store.value("window/view_value")
        try:
            return View(ViewKind(kind), restored(str(value)) if value not in (None, "") else None)
        except ValueError:
            return None

    @view.setter
    def view(self, view: Key | None) -> None:
        if view is None:
            self.store.remove("window/view_kind")
            self.store.remove("window/view_value")
        elif isinstance(view, View):
            self.store.setValue("window/view_kind", str(view.kind))
            self.store.setValue("window/view_value", stored(view.value or ""))  # (a feed's copy: a path)
        else:
            self.store.setValue("window/view_kind", view)
            self.store.remove("window/view_value")

    @property
    def problem(self) -> str | None:
        """The path of the last problem open (in the Problems view)."""
        text = self._text("window/problem")
        return restored(text) if text else None

    @problem.setter
    def problem(self, path: str | None) -> None:
        self._set_text("window/problem", path and stored(path))  # (a name not UTF-8 kept whole)

    @property
    def article(self) -> str | None:
        """The id of the last article open."""
        return self._text("window/article")

    @article.setter
    def article(self, article_id: str | None) -> None:
        self._set_text("window/article", article_id)

    @property
    def row(self) -> str | None:
        """The id of the article of the list's current row when the last article open was
        another (a version opened from the story timeline beside its row)."""
        return self._text("window/row")

    @row.setter
    def row(self, article_id: str | None) -> None:
        self._set_text("window/row", article_id)
