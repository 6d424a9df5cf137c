"""The commands of the user's own views: ``reader rules`` (list the rules of saved searches
and how many articles each acted on, or give a saved search its actions), ``reader settings
export|import FILE`` (saved searches, rules, label names, keys and preferences) and
``reader marks export|import FILE`` (read, starred and labels, by article id and URL)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from reader.wording import plural

if TYPE_CHECKING:
    from reader.library import Library

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2

#: The commands added here (see reader.cli.COMMANDS).
COMMANDS = ("rules", "settings", "marks")

SETTINGS_FORMAT, MARKS_FORMAT = "reader-settings", "reader-marks"
#: The versions of each file this Reader writes and reads. Settings 2: a saved query's capital
#: NOT excludes the term after it (in a settings file of version 1 it is the word "NOT").
SETTINGS_VERSION, MARKS_VERSION = 2, 1
_READS = {SETTINGS_FORMAT: (1, 2), MARKS_FORMAT: (1,)}

OpenLibrary = Callable[[argparse.Namespace], "Library | None"]


def add_parsers(commands: argparse._SubParsersAction, common: argparse.ArgumentParser, open_library: OpenLibrary) -> None:  # type: ignore[type-arg]
    rules = commands.add_parser(
        "rules",
        parents=[common],
        help="list the rules of saved searches, or set one",
        description="Without arguments: every saved search that carries actions, with its query, its "
        "actions and how many articles it acted on. 'reader rules set NAME ACTION ...' gives the saved "
        "search NAME these actions for the articles that arrive from now on (read, star, hide, label:NAME; "
        "none: no rule); --existing applies them to the articles in the library now too.",
    )
    rules.add_argument("action", nargs="?", choices=["set"], help="set the actions of a saved search")
    rules.add_argument("name", nargs="?", metavar="NAME", help="the saved search")
    rules.add_argument("actions", nargs="*", metavar="ACTION", help="read, star, hide or label:NAME")
    rules.add_argument("--existing", action="store_true", help="apply them to the articles in the library now too")
    rules.set_defaults(run=lambda args, parser, out: cmd_rules(args, parser, out, open_library))
    settings = commands.add_parser(
        "settings",
        parents=[common],
        help="export or import saved searches, rules, labels, keys and preferences (JSON)",
        description="export: write the saved searches (with their rules), the label names, the keys you "
        "chose and the preferences to FILE ('-': standard output). import: read them from FILE; saved "
        "searches of the same name are replaced, labels added, preferences and keys set. A file that "
        "cannot be used is refused with the reason, and nothing is changed.",
    )
    settings.add_argument("action", choices=["export", "import"])
    settings.add_argument("file", metavar="FILE")
    settings.set_defaults(run=lambda args, parser, out: cmd_settings(args, parser, out, open_library))
    marks = commands.add_parser(
        "marks",
        parents=[common],
        help="export or import read and starred marks and labels (JSON, by article id and URL)",
        description="export: write every article the library has seen, with its id, URL, read and starred "
        "marks and labels, to FILE ('-': standard output). import: put them on the articles of this library, "
        "found by id, else by URL, else kept by id for the day the article arrives; marks are added, never "
        "taken off, and the rules here do not act on an article the file names when it arrives.",
    )
    marks.add_argument("action", choices=["export", "import"])
    marks.add_argument("file", metavar="FILE")
    marks.set_defaults(run=lambda args, parser, out: cmd_marks(args, parser, out, open_library))


def cmd_rules(args: argparse.Namespace, parser: argparse.ArgumentParser, out: TextIO, open_library: OpenLibrary) -> int:
    from reader.library import LibraryError

    if args.action is None and (args.name or args.actions or args.existing):
        parser.error("to give a saved search actions: reader rules set NAME ACTION ...")
    if args.action == "set" and not args.name:
        parser.error("rules set needs the NAME of a saved search")
    library = open_library(args)
    if library is None:
        return EXIT_USAGE
    with library:
        try:
            if args.action == "set":
                saved = library.saved_search(args.name)
                if saved is None:
                    sys.stderr.write(f"reader rules: no saved search called {args.name!r}\n")
                    return EXIT_USAGE
                library.set_rule(saved.name, args.actions)
                if args.existing and args.actions:
                    undo = library.apply_rule(saved.name)
                    acted = len({i for step in (undo, *undo.also) for i in step.ids})
                    out.write(f"{saved.name}: applied to {plural(acted, 'article')} in the library\n")
        except LibraryError as error:
            sys.stderr.write(f"reader rules: {error}\n")
            return EXIT_USAGE
        rules = library.rules()
        if not rules:
            out.write("No rules yet (give a saved search actions: reader rules set NAME read|star|hide|label:NAME)\n")
            return EXIT_PROBLEMS
        for rule in rules:
            out.write(f"{rule.name}\t{rule.query}\t{', '.join(rule.actions)}\t{rule.acted:,} acted on\n")
    return EXIT_OK


def _write_json(data: object, file: str, out: TextIO, command: str) -> int:
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if file == "-":
        out.write(text)
        return EXIT_OK
    try:
        Path(file).write_text(text, encoding="utf-8")
    except OSError as error:
        sys.stderr.write(f"reader {command}: {file}: {error.strerror or error}\n")
        return EXIT_USAGE
    return EXIT_OK


def _read_json(file: str, kind: str) -> dict[str, Any]:
    """The JSON object of ``file`` (a file of ``kind``); raises ValueError saying what is wrong."""
    try:
        # (a byte order mark, as Windows' Notepad writes one, is no part of the JSON)
        text = sys.stdin.read().removeprefix("\ufeff") if file == "-" else Path(file).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise ValueError(f"{file}: {getattr(error, 'strerror', None) or error}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"{file} is not JSON: {error.msg} at line {error.lineno}, column {error.colno}") from None
    if not isinstance(data, dict) or data.get("format") != kind:
        raise ValueError(f"{file} is not a {kind} file (it has no \"format\": \"{kind}\")")
    versions = _READS[kind]
    if data.get("version") not in versions:
        known = " or ".join(str(v) for v in versions)
        raise ValueError(f"{file}: version {data.get('version')!r} is not one this Reader reads ({known})")
    return data


def cmd_settings(args: argparse.Namespace, parser: argparse.ArgumentParser, out: TextIO, open_library: OpenLibrary) -> int:
    from reader.library import LibraryError
    from reader.library.transfer import check_labels, check_saved_searches, not_understood
    from reader.ui import settings_transfer
    from reader.ui.settings import Settings

    settings = Settings()
    if args.action == "import":  # everything is checked before anything changes
        try:
            data = _read_json(args.file, SETTINGS_FORMAT)
            unknown = set(data) - {"format", "version", "saved_searches", "labels", "preferences", "keys"}
            if unknown:
                raise ValueError(f"unknown part {sorted(unknown)[0]!r}")
            saved = check_saved_searches(data.get("saved_searches", []), not_as_word=data["version"] == 1)
            labels = check_labels(data.get("labels", []))
            preferences = settings_transfer.check_preferences(data.get("preferences", {}))
            keys, skipped, dropped = settings_transfer.check_keys(data["keys"]) if "keys" in data else (None, [], [])
        except ValueError as error:
            sys.stderr.write(f"reader settings: {error}; nothing was changed\n")
            return EXIT_USAGE
    library = open_library(args)
    if library is None:
        return EXIT_USAGE
    with library:
        if args.action == "export":
            data = {"format": SETTINGS_FORMAT, "version": SETTINGS_VERSION, **library.user_settings(),
                    "preferences": settings_transfer.export_preferences(settings),
                    "keys": settings_transfer.export_keys(settings)}  # fmt: skip
            return _write_json(data, args.file, out, "settings")
        if _refused_read_only(library, "settings"):
            return EXIT_USAGE
        if (preferences or keys is not None) and not settings.store.isWritable():
            sys.stderr.write(f"reader settings: the settings file {settings.path()} cannot be written; nothing was changed\n")
            return EXIT_USAGE
        try:
            library.restore_user_settings(saved, labels)
        except LibraryError as error:
            sys.stderr.write(f"reader settings: {error}; nothing was changed\n")
            return EXIT_USAGE
    searches = plural(len(saved), "saved search", "saved searches")
    label_count = plural(len(labels), "label")
    what = (
        f"{searches}, {label_count},"
        f" {plural(len(preferences), 'preference')} and {plural(len(keys or {}), 'key')}"
    )
    if not settings_transfer.import_preferences(settings, preferences, keys):
        sys.stderr.write(
            f"reader settings: the settings file {settings.path()} could not be written: the preferences and keys "
            f"were not kept ({searches} and {label_count} were)\n"
        )
        return EXIT_USAGE
    if skipped:
        what += f" (skipped {plural(len(skipped), 'key')} of actions this Reader does not have: {', '.join(skipped)})"
    out.write(f"Imported {what}\n")
    for search, wrong in not_understood(saved):
        rule = " and its rule acts on nothing" if search.actions else ""
        out.write(
            f"Kept the saved search {search.name!r}, whose query this Reader does not understand ({wrong}): "
            f"it matches nothing{rule} until you edit its query (Shift+F2 in the window)\n"
        )
    for key in dropped:  # (the keys the window would not use)
        kept = f" ({key.name!r} keeps its default keys)" if key.fallback else ""
        out.write(f"Skipped the key of {key.name!r}: {key.reason}{kept}\n")
    return EXIT_OK


def _refused_read_only(library: Library, command: str) -> bool:
    """Say so and return True when ``library`` is read-only (nothing imported would be kept)."""
    if not library.read_only:
        return False
    sys.stderr.write(
        f"reader {command}: cannot import in a read-only session (the data folder {library.data_dir} "
        "cannot be written: nothing would be saved)\n"
    )
    return True


def cmd_marks(args: argparse.Namespace, parser: argparse.ArgumentParser, out: TextIO, open_library: OpenLibrary) -> int:
    from reader.library import LibraryError
    from reader.library.transfer import check_marks, marks_json

    if args.action == "import":
        try:
            data = _read_json(args.file, MARKS_FORMAT)
            items = check_marks(data.get("articles", []))
        except ValueError as error:
            sys.stderr.write(f"reader marks: {error}; nothing was changed\n")
            return EXIT_USAGE
    library = open_library(args)
    if library is None:
        return EXIT_USAGE
    with library:
        if args.action == "export":
            data = {"format": MARKS_FORMAT, "version": MARKS_VERSION, "articles": marks_json(library.marks())}
            return _write_json(data, args.file, out, "marks")
        if _refused_read_only(library, "marks"):
            return EXIT_USAGE
        try:
            done = library.restore_marks(items)
        except LibraryError as error:
            sys.stderr.write(f"reader marks: {error}; nothing was changed\n")
            return EXIT_USAGE
    seen = f"; {plural(done.seen, 'other')}, not here and without marks, noted as seen by the rules" if done.seen else ""
    out.write(f"Marks of {plural(len(items), 'article')}: {done.by_id:,} found by id, {done.by_url:,} by URL, "
              f"{done.kept:,} kept for when they arrive{seen}\n")  # fmt: skip
    return EXIT_OK
