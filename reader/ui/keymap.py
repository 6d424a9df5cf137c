"""The keys the user chose for the actions of the registry (Preferences > Keys).

Stored in Reader's settings file (QSettings, see :mod:`reader.ui.settings`) under the group
``keys/``, one entry per action whose keys differ from the defaults of
:data:`reader.ui.actions.ACTIONS`::

    [keys]
    toggle_star=X
    reload=Ctrl+R
    focus_search="/; Ctrl+K"
    copy_link=

- the entry's name is the action's name (``ActionSpec.name``);
- its value is a key sequence as ``QKeySequence.toString(PortableText)`` writes it ("Ctrl+R",
  "Shift+A", "X"); an action with several keys has them joined by ``"; "``, as
  ``QKeySequence.listToString(PortableText)`` does;
- an empty value means the user cleared the action's keys (it has none);
- an action without an entry has its default keys; restoring the defaults removes the entry.

Settings export writes the entries as they are used (:attr:`KeyMap.chosen`); import skips
the keys that would not be used. A value that cannot be read (a hand-edited file) is ignored
with a log message, and the action keeps its default keys. When a stored key is also another
action's default key, the stored choice wins and the other action loses that key (logged), so
that no key is ever bound to two actions. A stored key that no action may have
(:data:`REFUSED`: the keys the lists and fields use, Esc, Alt with a menu's letter), or that
an action earlier in the registry chose, is not used (logged, and the window's status bar
says so: :attr:`KeyMap.dropped`); an action left with none of its stored keys keeps its
default keys (:func:`resolve`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import NamedTuple

from PySide6.QtCore import QKeyCombination, QSettings, Qt
from PySide6.QtGui import QKeySequence

from reader.ui.actions import ACTIONS, SPECS, ActionSpec, menu_keys, native_text

log = logging.getLogger(__name__)

GROUP = "keys"
PORTABLE = QKeySequence.SequenceFormat.PortableText
#: How several keys of one action are joined in one value.
SEPARATOR = "; "


class KeyConflict(ValueError):
    """A key (:attr:`key`, portable) that another action (:attr:`owner`) already has."""

    def __init__(self, key: str, owner: ActionSpec) -> None:
        self.key = key
        self.owner = owner
        super().__init__(f"{native_text(key)} is already the key of {action_label(owner)}")


def action_label(spec: ActionSpec) -> str:
    """An action's name as its menu shows it, without the mnemonic and the ellipsis."""
    return spec.text.replace("&", "").replace("…", "")


def normalize(key: str) -> str | None:
    """``key`` in its portable spelling ("ctrl+f" -> "Ctrl+F"); None when it is no key.

    Shift+Tab is Shift+Tab however it was recorded: X11 sends it as Backtab (recorded
    "Backtab", or "Shift+Backtab" with the Shift held)."""
    sequence = QKeySequence.fromString(key.strip(), PORTABLE)
    combinations = [sequence[i] for i in range(sequence.count())]  # type: ignore[index]  # (operator[] is not in the stubs)
    if not combinations or any(combination.key() == Qt.Key.Key_unknown for combination in combinations):
        return None
    if any(combination.key() == Qt.Key.Key_Backtab for combination in combinations):
        combinations = [
            QKeyCombination(c.keyboardModifiers() | Qt.KeyboardModifier.ShiftModifier, Qt.Key.Key_Tab) if c.key() == Qt.Key.Key_Backtab else c
            for c in combinations
        ]
        sequence = QKeySequence(*combinations)
    return sequence.toString(PORTABLE) or None


def parse_value(value: object) -> tuple[str, ...] | None:
    """The keys of a stored value (empty: cleared); None when it cannot be read.

    QSettings reads an unquoted value holding commas ("Ctrl+K, Ctrl+C", "Ctrl+,") as a list of
    strings; it is joined back as it was written."""
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        value = ", ".join(value)
    if not isinstance(value, str):
        return None
    if not value.strip():
        return ()
    keys: list[str] = []
    for part in value.split(SEPARATOR):
        key = normalize(part)
        if key is None:
            return None
        if key not in keys:
            keys.append(key)
    return tuple(keys)


def _refused() -> dict[str, str]:
    """The keys no action may have, with why: the keys the focused widget uses itself (an
    action's ``also`` keys, such as Down in the list and Tab; Enter stands for Return too; the
    lists' Home, End, Page Up and Page Down), Esc, which cancels, and Alt with a menu's
    underlined letter (Alt+F), which opens that menu. Bound to an action, such a key would run
    it everywhere instead of doing its own work (or would do neither)."""
    refused: dict[str, str] = {}
    for spec in ACTIONS:
        for also in spec.also:
            for key in (also, "Return") if normalize(also) == "Enter" else (also,):
                portable = normalize(key)
                if portable is not None:
                    refused[portable] = f"the lists and fields use it (in the article list: {action_label(spec)})"
    for key in ("Home", "End", "PgUp", "PgDown"):
        refused[key] = "the lists and fields use it"
    refused["Esc"] = "it cancels (it clears the search field, leaves a timeline and closes dialogs)"
    for key, menu in menu_keys().items():
        portable = normalize(key)
        if portable is not None:
            refused[portable] = f"it opens the {menu} menu"
    return refused


DEFAULTS: dict[str, tuple[str, ...]] = {
    spec.name: tuple(k for k in (normalize(s) for s in spec.shortcuts) if k is not None) for spec in ACTIONS
}
#: The keys no action may have (portable), with the reason.
REFUSED: dict[str, str] = _refused()


class KeyRefused(ValueError):
    """A key (:attr:`key`, portable) that no action may have, and why (:attr:`reason`)."""

    def __init__(self, key: str, reason: str) -> None:
        self.key = key
        self.reason = reason
        super().__init__(f"{native_text(key)} cannot be an action's key: {reason}")


def check_key(key: str) -> str:
    """``key`` in its portable spelling, if an action may have it: raises :class:`KeyRefused`
    for a key no action may have (see :data:`REFUSED`) and ValueError for no key. The Keys
    page and ``reader settings import`` both check keys with it."""
    portable = normalize(key)
    if portable is None:
        raise ValueError(f"{key!r} is not a key")
    reason = REFUSED.get(portable)
    if reason is not None:
        raise KeyRefused(portable, reason)
    return portable


class Dropped(NamedTuple):
    """A key stored for an action (:attr:`name`) that is not used, and why (:attr:`reason`:
    no action may have it, or an action earlier in the registry has it); :attr:`fallback`
    when the action has none of its stored keys left and so keeps its default keys."""

    name: str
    key: str
    reason: str
    fallback: bool


class Resolved(NamedTuple):
    #: Every action's keys.
    keys: dict[str, tuple[str, ...]]
    #: The stored entries as they are used, by action name (an entry none of whose keys is
    #: used is not among them: that action keeps its default keys).
    chosen: dict[str, tuple[str, ...]]
    dropped: list[Dropped]


def resolve(stored: Mapping[str, tuple[str, ...]]) -> Resolved:
    """The keys of every action given the ``keys/`` entries ``stored`` (action name -> keys,
    as :func:`parse_value` reads them; names of no action are left out). A key no action may
    have (:data:`REFUSED`) is not used, nor one an action earlier in the registry chose; an
    action left with none of its stored keys (but not cleared on purpose: an empty value) keeps
    its default keys, except those another action chose. A default key another action chose is
    taken from the action that has it by default."""
    taken: dict[str, str] = {}  # key -> the action that chose it
    chosen: dict[str, tuple[str, ...]] = {}
    dropped: list[tuple[str, str, str]] = []
    for spec in ACTIONS:  # (the registry's order decides between two stored choices)
        if spec.name not in stored:
            continue
        kept = []
        for key in stored[spec.name]:
            if key in REFUSED:
                reason = str(KeyRefused(key, REFUSED[key]))
            elif key in taken:
                reason = str(KeyConflict(key, SPECS[taken[key]]))
            else:
                taken[key] = spec.name
                kept.append(key)
                continue
            dropped.append((spec.name, key, reason))
        if kept or not stored[spec.name]:
            chosen[spec.name] = tuple(kept)
    keys = dict(DEFAULTS)
    keys.update(chosen)
    for name in DEFAULTS:
        if name in chosen:
            continue
        lost = [key for key in DEFAULTS[name] if key in taken]
        if lost:
            log.info("%s: the default key %s is now the key of %s", name, ", ".join(lost), taken[lost[0]])
            keys[name] = tuple(key for key in DEFAULTS[name] if key not in taken)
    return Resolved(keys, chosen, [Dropped(name, key, reason, name not in chosen) for name, key, reason in dropped])


def dropped_text(dropped: Iterable[Dropped]) -> str:
    """One short sentence on the stored keys that are not used (for the status bar; the log
    has the reasons)."""
    dropped = list(dropped)
    said = ", ".join(f"{native_text(d.key)} for {action_label(SPECS[d.name])}" for d in dropped)
    fallback = list(dict.fromkeys(action_label(SPECS[d.name]) for d in dropped if d.fallback))
    text = f"Keys in the settings file not used: {said}"
    if len(fallback) == 1:
        text += f"; {fallback[0]} keeps its default keys"
    elif fallback:
        text += f"; {', '.join(fallback[:-1])} and {fallback[-1]} keep their default keys"
    return text


class KeyMap:
    """The keys of every action: the defaults, changed by what ``store`` holds under
    ``keys/``. Every change is written to ``store`` at once."""

    def __init__(self, store: QSettings) -> None:
        self.store = store
        self._keys: dict[str, tuple[str, ...]] = dict(DEFAULTS)
        #: The entries of ``keys/`` as they are used (see :class:`Resolved`).
        self.chosen: dict[str, tuple[str, ...]] = {}
        #: The stored keys that are not used, and why.
        self.dropped: list[Dropped] = []
        self._load()

    # -------------------------------------------------------------- reading

    def _load(self) -> None:
        stored: dict[str, tuple[str, ...]] = {}
        self.store.beginGroup(GROUP)
        try:
            names = self.store.childKeys()
            for name in names:
                value = self.store.value(name)
                if name not in SPECS:
                    log.warning("keys/%s in the settings file names no action: ignored", name)
                    continue
                keys = parse_value(value)
                if keys is None:
                    log.warning("keys/%s = %r in the settings file is not a key: the default keys are used", name, value)
                    continue
                stored[name] = keys
        finally:
            self.store.endGroup()
        resolved = resolve(stored)
        self._keys = resolved.keys
        self.chosen = resolved.chosen
        self.dropped = resolved.dropped
        for dropped in self.dropped:
            log.warning("keys/%s: %s; not used", dropped.name, dropped.reason)

    def keys(self, name: str) -> tuple[str, ...]:
        """The portable keys of the action ``name`` (its first is shown in menus)."""
        return self._keys[name]

    def all(self) -> dict[str, tuple[str, ...]]:
        """Every action's keys, by name."""
        return dict(self._keys)

    def is_default(self, name: str) -> bool:
        return self._keys[name] == DEFAULTS[name]

    def owner(self, key: str, *, besides: str | None = None) -> ActionSpec | None:
        """The action (other than ``besides``) that ``key`` reaches, if any."""
        for spec in ACTIONS:
            if spec.name != besides and key in self._keys[spec.name]:
                return spec
        return None

    # -------------------------------------------------------------- changing

    def set_keys(self, name: str, keys: Iterable[str]) -> None:
        """Give the action ``name`` exactly ``keys`` (none: it is cleared).

        Raises :class:`KeyRefused` for a key no action may have (:func:`check_key`) and
        :class:`KeyConflict` when another action has one of them; then nothing is changed."""
        normalized: list[str] = []
        for key in keys:
            portable = check_key(key)
            owner = self.owner(portable, besides=name)
            if owner is not None:
                raise KeyConflict(portable, owner)
            if portable not in normalized:
                normalized.append(portable)
        self._keys[name] = tuple(normalized)
        self._store(name)

    def add_key(self, name: str, key: str) -> None:
        """Give ``name`` another key (see :meth:`set_keys`)."""
        self.set_keys(name, (*self._keys[name], key))

    def clear(self, name: str) -> None:
        self.set_keys(name, ())

    def restore(self, name: str) -> list[tuple[str, ActionSpec]]:
        """The default keys of ``name`` back. A default key another action has meanwhile
        stays with it: those are returned, with the action that has them."""
        left_out = [(key, owner) for key in DEFAULTS[name] if (owner := self.owner(key, besides=name)) is not None]
        self.set_keys(name, [key for key in DEFAULTS[name] if key not in dict(left_out)])
        return left_out

    def restore_all(self) -> None:
        """Every action's default keys back; the ``keys/`` group is emptied."""
        self._keys = dict(DEFAULTS)
        self.store.remove(GROUP)

    def _store(self, name: str) -> None:
        key = f"{GROUP}/{name}"
        if self._keys[name] == DEFAULTS[name]:
            self.store.remove(key)
        else:
            self.store.setValue(key, SEPARATOR.join(self._keys[name]))
