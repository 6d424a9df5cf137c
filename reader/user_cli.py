"""The commands of the user's own views: ``reader rules`` (list the rules of saved searches
and how many articles each acted on, or give a saved search its actions)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from reader.library import Library

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2

#: The commands added here (see reader.cli.COMMANDS).
COMMANDS = ("rules",)

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
                    out.write(f"{saved.name}: applied to {acted:,} article{'' if acted == 1 else 's'} in the library\n")
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
