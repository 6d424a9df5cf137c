"""The one registry of user actions: menus, toolbar, shortcuts and the help screen all come
from :data:`ACTIONS`."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenuBar, QToolBar, QWidget

from reader.ui import icons


@dataclass(frozen=True, slots=True)
class ActionSpec:
    name: str
    text: str
    menu: str
    shortcuts: tuple[str, ...] = ()
    #: Keys that do the same through the focused widget (shown in help, not bound here).
    also: tuple[str, ...] = ()
    icon: str | None = None
    toolbar: bool = False
    tip: str = ""


MENUS = ("File", "Go", "Article", "View", "Help")
#: The menu bar's titles; Alt and the underlined letter opens the menu.
MENU_TITLES: dict[str, str] = {name: f"&{name}" for name in MENUS}

ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("open_folder", "&Open Folder…", "File", ("Ctrl+O",), icon="folder", tip="Read the documents in another folder"),
    ActionSpec("subscribe", "&Subscribe to Feed…", "File", ("Ctrl+Shift+S",), icon="subscribe",
               tip="Add an RSS, Atom or JSON Feed by its web address and fetch it"),
    ActionSpec("import_opml", "&Import Subscriptions (OPML)…", "File",
               tip="Subscribe to the feeds of an OPML file from another feed reader (fetched at the next Reload)"),
    ActionSpec("export_opml", "E&xport Subscriptions (OPML)…", "File", tip="Save the subscriptions as an OPML file"),
    ActionSpec("unsubscribe", "U&nsubscribe", "File",
               tip="Remove the feed selected in the sidebar and its articles (read and starred marks are kept)"),
    ActionSpec("reload", "&Reload", "File", ("F5",), icon="reload", toolbar=True,
               tip="Read changed documents again and fetch the subscribed feeds"),
    ActionSpec("export", "&Export…", "File", ("Ctrl+E",), icon="export",
               tip="Save the current view or the starred articles as Markdown or CSV"),
    ActionSpec("preferences", "&Preferences…", "File", ("Ctrl+,",), icon="preferences",
               tip="Folders, when to mark read, remote images, theme, font size and keys"),
    ActionSpec("quit", "&Quit", "File", ("Ctrl+Q",), icon="quit"),
    ActionSpec("next_article", "&Next Article", "Go", ("J",), also=("Down",), icon="next"),
    ActionSpec("previous_article", "&Previous Article", "Go", ("K",), also=("Up",), icon="previous"),
    ActionSpec("next_unread", "Next &Unread", "Go", ("N",), icon="next-unread", toolbar=True),
    ActionSpec("previous_unread", "Previous Unr&ead", "Go", ("P",), icon="previous-unread"),
    ActionSpec("page_down", "Page Down / Next Unread", "Go", ("Space",), tip="Scroll the article; at its end, go to the next unread"),
    ActionSpec("page_up", "Page Up", "Go", ("Shift+Space",)),
    ActionSpec("next_view", "Next Sidebar Item", "Go", ("]",)),
    ActionSpec("previous_view", "Previous Sidebar Item", "Go", ("[",)),
    ActionSpec("view_all", "&All Articles", "Go", ("Ctrl+1",), icon="all"),
    ActionSpec("view_unread", "Unrea&d", "Go", ("Ctrl+2",), icon="unread"),
    ActionSpec("view_starred", "&Starred", "Go", ("Ctrl+3",), icon="starred"),
    ActionSpec("view_today", "&Today", "Go", ("Ctrl+4",), icon="today"),
    ActionSpec("view_top", "Top Sto&ries", "Go", ("Ctrl+5",), icon="top",
               tip="One article per story, best score first (outlets, heat, quality, recency)"),
    ActionSpec("focus_next", "Focus Next Pane", "Go", ("Right",), also=("Tab",), tip="Sidebar → list → article"),
    ActionSpec("focus_previous", "Focus Previous Pane", "Go", ("Left",), also=("Shift+Tab",)),
    ActionSpec("focus_search", "Searc&h", "Go", ("/", "Ctrl+F"), icon="search", tip="Esc clears the search and returns to the list"),
    ActionSpec("focus_story", "Story Time&line", "Go", ("Shift+T",),
               tip="The open article's story over time: Left/Right pick a version (selected in its coverage), Enter opens it"),
    ActionSpec("toggle_read", "Mark &Read / Unread", "Article", ("M",), icon="read", toolbar=True),
    ActionSpec("toggle_star", "&Star / Unstar", "Article", ("S",), icon="starred", toolbar=True),
    ActionSpec("open_original", "&Open Original", "Article", ("O",), also=("Enter",), icon="open", toolbar=True,
               tip="Open the article's web page in your browser (http and https only)"),
    ActionSpec("copy_link", "&Copy Link", "Article", ("C",), icon="copy"),
    ActionSpec("load_images", "Load &Images", "Article", ("I",), icon="image",
               tip="Fetch this article's images from the web (nothing is fetched unless you ask)"),
    ActionSpec("label_article", "&Labels…", "Article", ("L",), icon="label",
               tip="Put your own labels on the article (with completion; commas between labels)"),
    ActionSpec("load_fulltext", "Load &Full Text", "Article", ("F",), icon="fulltext",
               tip="Fetch the article's web page and show its whole text (again: fetch it anew)"),
    ActionSpec("always_fulltext", "Always Load Full Text from This Source", "Article",
               tip="Load the full text of this source's articles as they are shown (Preferences lists them)"),
    ActionSpec("mark_all_read", "Mark &All in View Read", "Article", ("Shift+A",), icon="mark-all", toolbar=True),
    ActionSpec("undo", "&Undo", "Article", ("Ctrl+Z",), icon="undo",
               tip="Undo the last marking read of a view or a story, change of labels or rule applied"),
    ActionSpec("sort_newest", "Sort by Date (&Newest First)", "View"),
    ActionSpec("sort_oldest", "Sort by Date (Oldest &First)", "View"),
    ActionSpec("sort_title", "Sort by T&itle", "View"),
    ActionSpec("sort_source", "Sort by &Source", "View"),
    ActionSpec("sort_heat", "Sort by &Heat", "View"),
    ActionSpec("zoom_in", "&Zoom In", "View", ("Ctrl+=", "Ctrl++"), icon="zoom-in", tip="Larger article text"),
    ActionSpec("zoom_out", "Zoom &Out", "View", ("Ctrl+-",), icon="zoom-out", tip="Smaller article text"),
    ActionSpec("zoom_reset", "&Actual Size", "View", ("Ctrl+0",), tip="Article text at its normal size"),
    ActionSpec("widen_pane", "&Widen Pane", "View", ("Ctrl+Shift+Right",),
               tip="Make the focused pane (sidebar, list or article) wider; remembered"),
    ActionSpec("narrow_pane", "Narrow &Pane", "View", ("Ctrl+Shift+Left",),
               tip="Make the focused pane narrower; remembered"),
    ActionSpec("collapse_stories", "&Collapse Stories", "View", ("G",), icon="stories",
               tip="One row per story with its number of outlets; marking it read marks every copy read"),
    ActionSpec("save_search", "Sa&ve Search…", "View", ("Ctrl+S",), icon="saved-search",
               tip="Keep the search typed under a name: it is listed under Searches in the sidebar"),
    ActionSpec("edit_search", "&Edit Saved Search…", "View", ("Shift+F2",), tip="Change the query of the saved search shown"),
    ActionSpec("rename_search", "&Rename Saved Search…", "View", ("F2",)),
    ActionSpec("move_search_up", "Move Saved Search &Up", "View", ("Alt+Shift+Up",)),
    ActionSpec("move_search_down", "&Move Saved Search Down", "View", ("Alt+Shift+Down",)),
    ActionSpec("edit_rule", "Saved Search Ru&le…", "View", ("Ctrl+Shift+R",),
               tip="Mark read, star, label or hide the articles of the saved search shown as they arrive"),
    ActionSpec("delete_search", "&Delete Saved Search…", "View", ("Del",), tip="Forget the saved search shown (its articles stay)"),
    ActionSpec("show_timeline", "Show &Timeline", "View", ("T",),
               tip="Articles per day, week or month above the list; Left/Right and Enter show one period, Esc goes back"),
    ActionSpec("help", "&Keyboard Shortcuts", "Help", ("?",), icon="help"),
)

#: Each action's spec by its name.
SPECS: dict[str, ActionSpec] = {spec.name: spec for spec in ACTIONS}
SORT_ACTIONS = ("sort_newest", "sort_oldest", "sort_title", "sort_source", "sort_heat")
#: The text of ``sort_newest`` in Top Stories, which lists its stories by their score in that
#: order (stories of one score newest first).
SORT_NEWEST_IN_TOP = "Sort by Score, Then &Newest"


class ActionRegistry:
    """Creates a :class:`QAction` for every :class:`ActionSpec`, bound to ``handlers``, with
    the keys of ``keys`` (by action name; an action missing there has its default keys).

    The keys are window shortcuts. A text field that has the keyboard claims the keys that
    type into it (Qt's ShortcutOverride: printable keys, alone or with Shift; Left, Right,
    Home, End ...), so a single-letter key never fires while the user types, whichever
    action it is bound to."""

    def __init__(
        self,
        window: QWidget,
        handlers: Mapping[str, Callable[[], object]],
        keys: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        self.actions: dict[str, QAction] = {}
        self._window = window
        self._handlers = handlers
        #: Stand-ins that take a disabled action's keys (see :meth:`explain_when_disabled`).
        self._stand_ins: dict[str, QAction] = {}
        #: Texts that the view shown gives actions instead of their own (see _describe).
        self._texts: dict[str, str] = {}
        for spec in ACTIONS:
            action = QAction(spec.text, window)
            action.setObjectName(spec.name)
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            handler = handlers[spec.name]
            action.triggered.connect(lambda _checked=False, h=handler: h())
            window.addAction(action)
            self.actions[spec.name] = action
        self.keys: dict[str, tuple[str, ...]] = {}
        self.set_keys(keys or {})
        for name in (*SORT_ACTIONS, "collapse_stories", "always_fulltext"):
            self.actions[name].setCheckable(True)
        self.refresh_icons()

    def set_keys(self, keys: Mapping[str, Sequence[str]]) -> None:
        """Bind the keys of ``keys`` (portable key sequences by action name; the defaults for
        an action missing there) at once: shortcuts, menus and tooltips follow."""
        self.keys = {spec.name: tuple(keys.get(spec.name, spec.shortcuts)) for spec in ACTIONS}
        for spec in ACTIONS:
            action = self.actions[spec.name]
            action.setShortcuts([QKeySequence.fromString(s, QKeySequence.SequenceFormat.PortableText) for s in self.keys[spec.name]])
            if spec.name in self._stand_ins:
                self._stand_ins[spec.name].setShortcuts(action.shortcuts())
            self._describe(spec)

    def _describe(self, spec: ActionSpec) -> None:
        """The tooltip and status tip of the action of ``spec``: its text (or the one the
        view shown gives it, :meth:`set_default_sort_text`) and its keys."""
        action = self.actions[spec.name]
        tip = self._texts.get(spec.name, spec.text).replace("&", "")
        shortcuts = self.keys[spec.name]
        if shortcuts:
            tip += f" ({' / '.join(native_text(s) for s in shortcuts)})"
        action.setToolTip(tip + (f"\n{spec.tip}" if spec.tip else ""))
        action.setStatusTip(spec.tip or tip)

    def explain_when_disabled(self, name: str) -> None:
        """While the action ``name`` is disabled (greyed out in its menu), its keys still call
        its handler, which then says in the status bar why nothing is done."""
        action = self.actions[name]
        stand_in = QAction(self._window)
        stand_in.setObjectName(f"{name}_disabled")
        stand_in.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        stand_in.setShortcuts(action.shortcuts())
        stand_in.setEnabled(not action.isEnabled())
        handler = self._handlers[name]
        stand_in.triggered.connect(lambda _checked=False: handler())
        action.enabledChanged.connect(lambda on: stand_in.setEnabled(not on))
        self._window.addAction(stand_in)
        self._stand_ins[name] = stand_in

    def refresh_icons(self) -> None:
        """Draw the icons (again) in the palette's colours."""
        for spec in ACTIONS:
            if spec.icon:
                self.actions[spec.name].setIcon(icons.icon(spec.icon))

    def set_default_sort_text(self, top: bool) -> None:
        """Call ``sort_newest`` what it does in Top Stories (``top``: :data:`SORT_NEWEST_IN_TOP`)
        or elsewhere (its own text)."""
        spec = SPECS["sort_newest"]
        if top:
            self._texts[spec.name] = SORT_NEWEST_IN_TOP
        else:
            self._texts.pop(spec.name, None)
        self.actions[spec.name].setText(self._texts.get(spec.name, spec.text))
        self._describe(spec)

    def __getitem__(self, name: str) -> QAction:
        return self.actions[name]

    def key_text(self, name: str) -> str:
        """The current first key of ``name`` as the platform spells it; "" when it has none."""
        return key_text(name, self.keys)

    def build_menus(self, menubar: QMenuBar) -> None:
        menus = {name: menubar.addMenu(MENU_TITLES[name]) for name in MENUS}
        for spec in ACTIONS:
            menu = menus[spec.menu]
            if spec.name in _SEPARATE_BEFORE and not menu.isEmpty():
                menu.addSeparator()
            menu.addAction(self.actions[spec.name])

    def build_toolbar(self, toolbar: QToolBar) -> None:
        for spec in ACTIONS:
            if spec.toolbar:
                toolbar.addAction(self.actions[spec.name])


_SEPARATE_BEFORE = frozenset(
    {"subscribe", "reload", "export", "quit", "zoom_in", "widen_pane", "page_down", "next_view", "view_all", "focus_next", "mark_all_read", "collapse_stories",
     "save_search"}
)


def literal(text: str) -> str:
    """``text`` (a name from a document, a feed or the user: "Arts & Culture") to be shown as
    it is in a button's, an action's or a buddy label's text, where "&" marks the underlined
    letter: each "&" doubled ("&&" shows one)."""
    return text.replace("&", "&&")


def menu_keys() -> dict[str, str]:
    """The keys that open the menus of the menu bar ("Alt+F"), with the menu each opens."""
    portable = QKeySequence.SequenceFormat.PortableText
    return {key: name for name in MENUS if (key := QKeySequence.mnemonic(MENU_TITLES[name]).toString(portable))}


def native_text(key: str) -> str:
    """A key sequence as the platform spells it ("Ctrl+O", "⌘O"); single letters as typed ("j")."""
    if len(key) == 1 and key.isalpha():
        return key.lower()
    sequence = QKeySequence.fromString(key, QKeySequence.SequenceFormat.PortableText)
    return sequence.toString(QKeySequence.SequenceFormat.NativeText) or key


def key_text(name: str, keys: Mapping[str, Sequence[str]] | None = None, *, every: bool = False) -> str:
    """The key of the action ``name`` as the platform spells it ("F5", "Ctrl+O", "j") for
    texts that name it: its first key in ``keys`` (by action name, as
    :attr:`ActionRegistry.keys` holds the keys the user chose), its default key when ``keys``
    is None or has no entry for it; "" when it has no key. ``every``: all its keys, joined
    by " or "."""
    bound = keys.get(name, _DEFAULT_KEYS[name]) if keys is not None else _DEFAULT_KEYS[name]
    shown = [native_text(k) for k in bound]
    return " or ".join(shown) if every else (shown[0] if shown else "")


def with_key(text: str, name: str, keys: Mapping[str, Sequence[str]] | None = None, *, every: bool = False) -> str:
    """``text (key)`` with the key of the action ``name`` (see :func:`key_text`); ``text``
    alone when the action has no key."""
    key = key_text(name, keys, every=every)
    return f"{text} ({key})" if key else text


def undo_note(keys: Mapping[str, Sequence[str]] | None = None) -> str:
    """" — Ctrl+Z undoes" with the current key of Undo; "" when it has none."""
    key = key_text("undo", keys)
    return f" — {key} undoes" if key else ""


_DEFAULT_KEYS: dict[str, tuple[str, ...]] = {spec.name: spec.shortcuts for spec in ACTIONS}


def help_rows(keys: Mapping[str, Sequence[str]] | None = None) -> list[tuple[str, str, str]]:
    """(keys, what they do, menu) for every action that has keys, for the help screen: the
    keys of ``keys`` (by action name, as :attr:`ActionRegistry.keys` holds them) or the defaults."""
    rows = []
    for spec in ACTIONS:
        bound = keys.get(spec.name, spec.shortcuts) if keys is not None else spec.shortcuts
        shown = [native_text(k) for k in bound] + list(spec.also)
        if shown:
            text = spec.text.replace("&", "").replace("…", "")
            if spec.tip:
                text += f" — {spec.tip}"
            rows.append((" / ".join(shown), text, spec.menu))
    return rows
