"""The preferences and the keys of the settings file, as plain data for ``reader settings
export`` / ``import`` (the library's part, saved searches and labels, is
:mod:`reader.library.transfer`'s). Window state (geometry, the last view) stays behind: it
belongs to this machine's screen."""

from __future__ import annotations

from typing import Any

from reader.ui import keymap
from reader.ui.actions import SPECS
from reader.ui.settings import FEED_REFRESH_INTERVALS, FONT_MAX, FONT_MIN, MARK_READ_DELAYS, ZOOM_MAX, ZOOM_MIN, Settings, Theme

#: The settings group of the keys the user chose (see :mod:`reader.ui.keymap`).
KEYS_GROUP = keymap.GROUP


def export_preferences(settings: Settings) -> dict[str, Any]:
    return {
        "folders": settings.folders,
        "mark_read_delay": settings.mark_read_delay,
        "feed_refresh_minutes": settings.feed_refresh_minutes,
        "remote_images": settings.remote_images,
        "theme": str(settings.theme),
        "font_size": settings.font_size,
        "zoom": settings.zoom,
        "fulltext_sources": settings.fulltext_sources,
    }


def export_keys(settings: Settings) -> dict[str, str]:
    """The entries of the ``keys/`` group as the window uses them (:attr:`keymap.KeyMap.chosen`,
    those that differ from the defaults): not a key the window does not use (one no action may
    have, one given to two actions, one that cannot be read, one of an action this Reader has
    not), which another Reader would refuse."""
    keys = keymap.KeyMap(settings.store)
    return {
        name: keymap.SEPARATOR.join(chosen) for name, chosen in keys.chosen.items() if chosen != keymap.DEFAULTS[name]
    }


def check_preferences(preferences: Any) -> dict[str, Any]:
    """``preferences`` from a settings file, checked; raises ValueError saying what is wrong."""
    if not isinstance(preferences, dict):
        raise ValueError("preferences must be an object")
    checks: dict[str, tuple[str, Any]] = {
        "folders": ("a list of folder paths", lambda v: isinstance(v, list) and all(isinstance(f, str) and f for f in v)),
        "mark_read_delay": (f"one of {sorted(MARK_READ_DELAYS)}", lambda v: _is_int(v) and v in MARK_READ_DELAYS),
        "feed_refresh_minutes": (f"one of {sorted(FEED_REFRESH_INTERVALS)}", lambda v: _is_int(v) and v in FEED_REFRESH_INTERVALS),
        "remote_images": ("true or false", lambda v: isinstance(v, bool)),
        "theme": (f"one of {', '.join(t.value for t in Theme)}", lambda v: isinstance(v, str) and v in {t.value for t in Theme}),
        "font_size": (f"0 or {FONT_MIN} to {FONT_MAX}", lambda v: _is_int(v) and (v == 0 or FONT_MIN <= v <= FONT_MAX)),
        "zoom": (f"{ZOOM_MIN} to {ZOOM_MAX}", lambda v: _is_int(v) and ZOOM_MIN <= v <= ZOOM_MAX),
        "fulltext_sources": ("a list of sources (domains such as example.org)", lambda v: isinstance(v, list) and all(
            isinstance(s, str) and s.strip() and not any(c.isspace() for c in s.strip()) for s in v
        )),  # fmt: skip
    }
    for name, value in preferences.items():
        if name not in checks:
            raise ValueError(f"unknown preference {name!r} (known: {', '.join(checks)})")
        what, ok = checks[name]
        if not ok(value):  # (each check tests the value's type first)
            raise ValueError(f"preference {name!r} must be {what}, not {value!r}")
    return dict(preferences)


def check_keys(keys: Any) -> tuple[dict[str, str], list[str], list[keymap.Dropped]]:
    """``keys`` from a settings file, checked (raises ValueError saying what is wrong): the
    entries to keep, the names of the actions this Reader has not (skipped: a Reader of another
    version may have actions this one has not), and the keys skipped because the window would
    not use them (what the Keys page refuses: a key no action may have, one key for two
    actions; an action left with none of its keys keeps its default keys)."""
    if not isinstance(keys, dict) or not all(isinstance(k, str) and k and isinstance(v, str) for k, v in keys.items()):
        raise ValueError("keys must be an object of action names and key texts")
    parsed: dict[str, tuple[str, ...]] = {}
    for name, value in keys.items():
        found = keymap.parse_value(value)
        if found is None:
            raise ValueError(f"the key of {name!r} cannot be read: {value!r}")
        parsed[name] = found
    resolved = keymap.resolve({name: found for name, found in parsed.items() if name in SPECS})
    kept = {name: keymap.SEPARATOR.join(resolved.chosen[name]) for name in parsed if name in resolved.chosen}
    return kept, [name for name in keys if name not in SPECS], resolved.dropped


def import_preferences(settings: Settings, preferences: dict[str, Any], keys: dict[str, str] | None) -> bool:
    """Write checked ``preferences`` and (when given) ``keys`` (they replace the ``keys/`` group).
    False when the settings file could not be written (nothing of them is kept)."""
    for name, value in preferences.items():
        setattr(settings, name, Theme(value) if name == "theme" else value)
    if keys is not None:
        store = settings.store
        store.remove(KEYS_GROUP)
        store.beginGroup(KEYS_GROUP)
        try:
            for name, value in keys.items():
                store.setValue(name, value)
        finally:
            store.endGroup()
    return settings.sync()


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
