"""The ``reader`` command: ``reader check``, ``reader search`` and the other headless commands.

Exit status: 0 when everything was fine, 1 when a document had a problem (or nothing matched),
2 on usage errors and when the library cannot be used (a full disk, a read-only data folder for
a command that must save, a damaged file that could not be rebuilt): always one line, never a
traceback.
"""

from __future__ import annotations

import argparse
import codecs
import io
import json
import logging
import os
import sys
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from reader import __version__, user_cli
from reader.article import MAX_INT, Article, Problem, Taxonomy, unstorable
from reader.display import ELLIPSIS, printable
from reader.filenames import SURROGATE
from reader.paths import bundled_seeds
from reader.scan import iter_document_paths
from reader.timefmt import from_timestamp
from reader.wording import plural

# The rest of the core is imported by the commands that use it, so that `reader --version`,
# `reader --help` and `reader check` on documents start quickly (tests/test_cli_imports.py).
if TYPE_CHECKING:
    from reader import stories, subscriptions
    from reader.article import Document
    from reader.library import Library, Scope, SearchHit
    from reader.search import QueryError

__all__ = ["bundled_seeds", "main", "build_parser"]  # bundled_seeds: also importable from here, as before

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
#: The width of the source column of ``reader search`` and ``reader stories``.
SOURCE_WIDTH = 24
#: ``reader.library.ENV_DATA_DIR`` and the values of ``reader.library.Sort`` (spelled out here so
#: that ``--help`` needs no library; a test checks they agree).
ENV_DATA_DIR = "READER_DATA_DIR"
SORTS = ("newest", "oldest", "title", "source", "heat", "quality", "rank")
DEFAULT_SORT = "rank"


def iso_utc(moment: datetime | None) -> str | None:
    """``2020-02-05T22:56:00Z`` (UTC, ``Z`` suffix), or None."""
    if moment is None:
        return None
    return moment.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def _json_line(value: object) -> str:
    """``value`` as one line of JSON (characters as they are), a byte of a file's name that is
    not UTF-8 as a ``\\udcXX`` escape: the line is UTF-8, and ``json.loads`` gives the name back."""
    text = json.dumps(value, ensure_ascii=False)
    return text if text.isascii() else SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _names_as_they_are(stream: TextIO) -> None:
    """Have ``stream`` write a file name that is not UTF-8 as its own bytes, as ``ls`` and
    ``find`` do, rather than fail on it (standard output, Python's default in a UTF-8 locale)
    or write it escaped (standard error: ``\\udce9``)."""
    if not isinstance(stream, io.TextIOWrapper):
        return
    if stream.errors == "strict" or (stream.errors == "backslashreplace" and codecs.lookup(stream.encoding).name == "utf-8"):
        stream.reconfigure(errors="surrogateescape")


def document_json(doc: Document) -> dict[str, object]:
    """The JSON object ``reader check --json`` prints for one document."""
    record: dict[str, object] = {
        "path": doc.path,
        "ok": not isinstance(doc, Problem),
        "id": None,
        "kind": None,
        "title": None,
        "published": None,
        "url": None,
        "provider": None,
        "domain": None,
        "topics": [],
        "images": 0,
        "related": 0,
        "language": None,
        "error": None,
        "notes": [],
    }
    if isinstance(doc, Problem):
        record["error"] = doc.reason
    elif isinstance(doc, Taxonomy):
        record.update(id=doc.id, kind=str(doc.kind), title=doc.name, domain=doc.domain, taxonomy=doc.taxonomy)
    else:
        record.update(
            id=doc.id,
            kind=str(doc.kind),
            title=doc.title,
            published=iso_utc(doc.published),
            url=doc.url,
            provider=doc.provider.name if doc.provider else None,
            domain=doc.provider.domain if doc.provider else None,
            topics=list(doc.topics),
            images=len(doc.images),
            related=len(doc.related),
            language=doc.language,
            notes=list(doc.notes),
        )
    return record


def document_line(doc: Document) -> str:
    """The line ``reader check`` prints for one document."""
    if isinstance(doc, Problem):
        return f"problem   {doc.path}: {printable(doc.reason)}"
    if isinstance(doc, Taxonomy):
        return f"ok        {doc.path}: taxonomy {printable(doc.taxonomy)} “{printable(doc.name)}”"
    notes = "".join(f"\n          note: {printable(note)}" for note in doc.notes)  # (a placeholder date ...)
    return f"ok        {doc.path}: {_summary(doc)}{notes}"


def _summary(article: Article) -> str:
    when = article.published.date().isoformat() if article.published else "undated"
    source = article.provider.name if article.provider else "no source"
    return f"{article.kind} · {when} · {printable(source)} · “{printable(article.title)}”"


def _existing_paths(paths: Sequence[str], parser: argparse.ArgumentParser) -> list[str]:
    missing = [p for p in paths if not os.path.lexists(p)]
    if missing:
        parser.error("no such file or folder: " + ", ".join(missing))
    return list(paths) if paths else [str(bundled_seeds())]


def cmd_check(args: argparse.Namespace, parser: argparse.ArgumentParser, out: TextIO) -> int:
    from reader.documents import parse_path  # (feedparser is imported only when a feed is read)

    paths = _existing_paths(args.paths, parser)
    total = problems = 0

    def unreadable_folder(path: str, error: OSError) -> None:
        nonlocal total, problems
        total += 1
        problems += 1
        emit(Problem(path, f"folder could not be read: {error.strerror or error}"))

    def emit(doc: Document) -> None:
        if args.json:
            out.write(_json_line(document_json(doc)) + "\n")
        else:
            out.write(document_line(doc) + "\n")

    for path in iter_document_paths(paths, on_error=unreadable_folder):
        parsed = parse_path(path)
        # A feed: each of its entries.
        for doc in (parsed,) if isinstance(parsed, (Article, Taxonomy, Problem)) else parsed.articles:
            if not isinstance(doc, Problem) and (reason := unstorable(doc)):
                doc = Problem(doc.path, reason)  # (as the library records it)
            total += 1
            problems += isinstance(doc, Problem)
            emit(doc)
    if not args.json:
        out.write(f"{plural(total, 'document')}: {total - problems:,} ok, {plural(problems, 'problem')}\n")
    return EXIT_PROBLEMS if problems else EXIT_OK


def _open_library(args: argparse.Namespace) -> Library | None:
    """The library of ``--data-dir`` (its warnings printed), or None when it cannot be opened."""
    from reader.library import Library, LibraryError

    try:
        library = Library(_data_dir(args))
    except LibraryError as error:
        sys.stderr.write(f"reader: {error}\n")
        return None
    for warning in library.warnings:
        sys.stderr.write(f"reader: {warning}\n")
    def warn(warning: str) -> None:
        sys.stderr.write(f"reader: {warning}\n")

    library.on_warning = warn
    return library


def _sync_given_paths(
    library: Library, args: argparse.Namespace, parser: argparse.ArgumentParser, *, group: bool = True
) -> Scope | None:
    """Sync the PATHs the command was given (one that does not exist is a usage error) and
    return their scope; None when none were given (the whole library, as last synced).
    Stories are brought up to date only when ``group``."""
    from reader.library import make_scope

    if not args.paths:
        return None
    paths = [p for p in args.paths if os.path.lexists(p)]
    if len(paths) < len(args.paths):
        parser.error("no such file or folder: " + ", ".join(sorted(set(args.paths) - set(paths))))
    library.sync(paths, group=group)
    scope = make_scope(paths)
    # Every problem known under the paths, also those of files an earlier (perhaps
    # interrupted) sync read and this one found unchanged.
    problems = len(library.problems(scope))
    if problems:
        sys.stderr.write(f"reader: {plural(problems, 'document')} could not be read (see: reader check PATH)\n")
    return scope


def _say_query_error(command: str, query: str, error: QueryError) -> None:
    """The mistake in ``query``, with a caret under where it is."""
    sys.stderr.write(f"reader {command}: {error.message}\n  {query}\n  {' ' * error.position}^\n")


def cmd_search(args: argparse.Namespace, parser: argparse.ArgumentParser, out: TextIO) -> int:
    from reader.library import Sort, View, ViewKind
    from reader.library.reading import RANKED_MATCHES_MAX
    from reader.search import QueryError, parse_query

    if args.saved is not None:  # every PATH given is a path then
        args.paths = [p for p in (args.query, *args.paths) if p is not None]
    elif args.query is None:
        parser.error("give a QUERY, or --saved NAME")
    library = None
    view = View()
    if args.saved is not None:
        library = _open_library(args)
        if library is None:
            return EXIT_USAGE
        saved = library.saved_search(args.saved)
        if saved is None:
            names = ", ".join(s.name for s in library.saved_searches()) or "none yet"
            library.close()
            sys.stderr.write(f"reader search: no saved search called {args.saved!r} (saved: {names})\n")
            return EXIT_USAGE
        args.query = saved.query
        view = View(ViewKind.SAVED, saved.name)  # as the window lists it: rules that hide do not hide here
    try:
        query = parse_query(args.query)
    except QueryError as error:
        if library is not None:
            library.close()
        _say_query_error("search", args.query, error)
        return EXIT_USAGE
    if library is None:
        library = _open_library(args)
    if library is None:
        return EXIT_USAGE
    if args.limit < 0:
        parser.error("--limit must be 0 (no limit) or more")
    limit = args.limit if 0 < args.limit <= MAX_INT else None  # (more than SQLite counts: all of them)
    with library:
        scope = _sync_given_paths(library, args, parser, group=False)  # a search needs no stories
        searched = None if view.kind is ViewKind.SAVED else query  # (the view holds the saved query)
        hits = library.search(searched, sort=Sort(args.sort), scope=scope, limit=limit, view=view)
        newest_instead = bool(hits) and Sort(args.sort) is Sort.RANK and bool(query.match) and not library.ranks(query)
        more = 0
        if limit is not None and len(hits) == limit:
            more = len(library.article_rowids(view, query=searched, scope=scope)) - len(hits)
            suggested = limit + more
    for hit in hits:
        if args.json:
            out.write(json.dumps(_hit_json(hit), ensure_ascii=False) + "\n")
        else:
            row = hit.row
            moment = from_timestamp(row.published)  # (0 is 1970-01-01, a date)
            when = moment.date().isoformat() if moment is not None else "undated   "
            out.write(f"{when}  {cell(printable(row.provider or '-'))}  {printable(row.title)}\n")
    if more > 0:
        note = f"… and {more:,} more (use --limit {suggested} or --limit 0 for all)\n"
        (sys.stderr if args.json else out).write(note)
    if newest_instead:
        sys.stderr.write(
            f"reader search: newest first, not best match first: more than {RANKED_MATCHES_MAX:,} articles match"
            " (a longer word or a condition narrows the search)\n"
        )
    return EXIT_OK if hits else EXIT_PROBLEMS


def cell(text: str, width: int = SOURCE_WIDTH) -> str:
    """``text`` in a column of ``width`` characters: padded, or cut with "…"."""
    if len(text) > width:
        return text[: width - 1] + ELLIPSIS
    return f"{text:<{width}}"


def cmd_stories(args: argparse.Namespace, parser: argparse.ArgumentParser, out: TextIO) -> int:
    library = _open_library(args)
    if library is None:
        return EXIT_USAGE
    with library:
        ids = None
        scope = _sync_given_paths(library, args, parser)
        if scope is None:  # (what a sync without grouping, such as `reader search`'s, left)
            library.group_stories()
        else:
            rowids = library.article_rowids(scope=scope)
            ids = {row.id for row in library.rows(rowids).values()}
        found = library.stories(ids)
    for story in found:
        if args.json:
            out.write(json.dumps(_story_json(story), ensure_ascii=False) + "\n")
            continue
        span = " – ".join(dict.fromkeys(_minute(t) for t in (story.first, story.last) if t)) or "undated"
        out.write(
            f"Story · {plural(story.outlets, 'outlet')} · {plural(len(story.versions), 'version')} · "
            f"{span}{' UTC' if story.first else ''} · score {story.score:.1f}\n"
        )
        for version in story.versions:
            when = _minute(version.published) if version.published else "undated"
            mark = "" if version.in_library else "  (related entry, not in the library)"
            out.write(f"  {when:<16}  {cell(printable(version.outlet or 'No source'))}  {printable(version.title)}{mark}\n")
    return EXIT_OK if found else EXIT_PROBLEMS


def cmd_stats(args: argparse.Namespace, parser: argparse.ArgumentParser, out: TextIO) -> int:
    """Articles per day, week or month of the articles QUERY finds (all of them without)."""
    from reader.search import QueryError, parse_query
    from reader.timeline import Step, spark

    if args.query is not None and os.path.lexists(args.query):  # `reader stats FOLDER`: no query
        args.paths, args.query = [args.query, *args.paths], None
    try:
        query = parse_query(args.query) if args.query else None
    except QueryError as error:
        _say_query_error("stats", args.query, error)
        return EXIT_USAGE
    library = _open_library(args)
    if library is None:
        return EXIT_USAGE
    with library:
        scope = _sync_given_paths(library, args, parser, group=False)
        volume = library.volume(query=query, scope=scope, step=Step(args.by) if args.by else None)
    if args.json:
        for b in volume.buckets:
            row = {"period": b.label, "step": str(b.step), "start": b.start.isoformat(), "end": b.end.isoformat()}
            out.write(json.dumps({**row, "articles": b.total, "unread": b.unread}, ensure_ascii=False) + "\n")
        if volume.undated:
            out.write(json.dumps({"period": "undated", "articles": volume.undated}) + "\n")
    else:
        width = max((len(b.label) for b in volume.buckets), default=0)
        bars = spark(b.total for b in volume.buckets)
        for b, bar in zip(volume.buckets, bars, strict=True):
            out.write(f"{b.label:<{width}}  {b.total:>7,}  {b.unread:>7,} unread  {bar}\n")
        out.write(volume.summary() + "\n")
    return EXIT_OK if volume.buckets or volume.undated else EXIT_PROBLEMS


def _minute(moment: datetime | None) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M") if moment else ""


def _story_json(story: stories.Story) -> dict[str, object]:
    return {
        "story": story.id,
        "outlets": story.outlets,
        "first": iso_utc(story.first),
        "last": iso_utc(story.last),
        "score": round(story.score, 1),
        "topics": list(story.topics),
        "titles": [v.title for v in story.versions],
        "versions": [
            {
                "title": v.title,
                "outlet": v.outlet,
                "domain": v.domain,
                "published": iso_utc(v.published),
                "url": v.url,
                "in_library": v.in_library,
                "id": v.article_id,
            }
            for v in story.versions
        ],
    }


def _hit_json(hit: SearchHit) -> dict[str, object]:
    from reader.library import MARK_END, MARK_START

    row = hit.row
    return {
        "id": row.id,
        "title": row.title,
        "published": iso_utc(from_timestamp(row.published)),
        "provider": row.provider,
        "domain": row.domain,
        "url": hit.url,
        "topics": list(hit.topics),
        "read": row.read,
        "starred": row.starred,
        "snippet": hit.snippet.replace(MARK_START, "[").replace(MARK_END, "]"),
    }


def _print_refreshed(library: Library, results: Sequence[subscriptions.Refreshed], out: TextIO) -> int:
    from reader import subscriptions

    counts = library.counts().feeds
    failed = 0
    for result in results:
        sub = subscriptions.subscription(library, result.url)
        name = printable(sub.name if sub else result.url)
        if result.ok:
            count = counts.get(sub.path) if sub else None
            news = "changed" if result.changed else "no change since the last fetch"
            total, unread = (count.total, count.unread) if count else (0, 0)
            out.write(f"ok      {name} ({news}; {plural(total, 'article')}, {unread:,} unread)\n")
        else:
            failed += 1
            out.write(f"failed  {name}: {printable(result.error or '')}\n")
    return EXIT_PROBLEMS if failed else EXIT_OK


def cmd_subscribe(args: argparse.Namespace, parser: argparse.ArgumentParser, out: TextIO) -> int:
    from reader import subscriptions
    from reader.library import LibraryError

    library = _open_library(args)
    if library is None:
        return EXIT_USAGE
    with library:
        if library.read_only:
            sys.stderr.write(f"reader subscribe: cannot subscribe in a read-only session ({_why_read_only(library)})\n")
            return EXIT_USAGE
        before = {s.url for s in subscriptions.subscriptions(library)}
        try:
            sub = subscriptions.subscribe(library, args.url)
        except (subscriptions.SubscriptionError, LibraryError) as error:
            sys.stderr.write(f"reader subscribe: {error}\n")
            return EXIT_USAGE
        out.write(f"{'already subscribed' if sub.url in before else 'subscribed'} to {printable(sub.url)}\n")
        if args.no_fetch:
            return EXIT_OK
        return _print_refreshed(library, subscriptions.refresh(library, [sub.url]), out)


def cmd_unsubscribe(args: argparse.Namespace, parser: argparse.ArgumentParser, out: TextIO) -> int:
    from reader import subscriptions

    library = _open_library(args)
    if library is None:
        return EXIT_USAGE
    with library:
        if library.read_only:
            sys.stderr.write(f"reader unsubscribe: cannot unsubscribe in a read-only session ({_why_read_only(library)})\n")
            return EXIT_USAGE
        if not subscriptions.unsubscribe(library, args.url.strip()):
            sys.stderr.write(f"reader unsubscribe: not subscribed to {args.url}\n")
            return EXIT_PROBLEMS
    out.write(f"unsubscribed from {args.url.strip()}\n")
    return EXIT_OK


def cmd_refresh(args: argparse.Namespace, parser: argparse.ArgumentParser, out: TextIO) -> int:
    from reader import subscriptions

    library = _open_library(args)
    if library is None:
        return EXIT_USAGE
    with library:
        if args.list:
            subscriptions.sync_copies(library)  # (copies only: a data folder moved is followed)
            counts = library.counts().feeds
            subs = subscriptions.subscriptions(library)
            if not subs:
                out.write("No subscriptions yet (add one with: reader subscribe URL)\n")
            for sub in subs:
                count = counts.get(sub.path)
                state = f"error: {sub.error}" if sub.error else ("never fetched" if sub.checked is None else "ok")
                fields = (sub.url, sub.name, f"{count.unread if count else 0} unread", state)
                out.write("\t".join(printable(field) for field in fields) + "\n")
            return EXIT_OK
        unknown = subscriptions.not_subscribed(library, args.urls or [])
        for url in unknown:
            sys.stderr.write(f"reader refresh: not subscribed to {printable(url)}\n")
        if unknown and len(unknown) == len(args.urls):
            return EXIT_PROBLEMS
        status = _print_refreshed(library, subscriptions.refresh(library, args.urls or None), out)
        return EXIT_PROBLEMS if unknown else status


def cmd_fulltext(args: argparse.Namespace, parser: argparse.ArgumentParser, out: TextIO) -> int:
    from reader.fulltext_cli import run

    return run(args, out, _open_library)


def cmd_opml(args: argparse.Namespace, parser: argparse.ArgumentParser, out: TextIO) -> int:
    from reader import subscriptions
    from reader.library import LibraryError

    library = _open_library(args)
    if library is None:
        return EXIT_USAGE
    with library:
        if args.action == "export":
            text = subscriptions.export_opml(subscriptions.subscriptions(library))
            if args.file in (None, "-"):
                out.write(text)
                return EXIT_OK
            try:
                Path(args.file).write_text(text, encoding="utf-8")
            except OSError as error:  # a missing folder, no permission, a full disk: one line
                sys.stderr.write(f"reader opml: {args.file}: {error.strerror or error}\n")
                return EXIT_USAGE
            return EXIT_OK
        if args.file is None:
            parser.error("opml import needs a FILE")
        if library.read_only:
            sys.stderr.write(f"reader opml: cannot import in a read-only session ({_why_read_only(library)})\n")
            return EXIT_USAGE
        try:
            data = sys.stdin.buffer.read() if args.file == "-" else Path(args.file).read_bytes()
            done = subscriptions.import_opml(library, data)
        except OSError as error:
            sys.stderr.write(f"reader opml: {args.file}: {error.strerror or error}\n")
            return EXIT_USAGE
        except (subscriptions.SubscriptionError, LibraryError) as error:
            sys.stderr.write(f"reader opml: {error}\n")
            return EXIT_USAGE
        for line in done.skipped:
            sys.stderr.write(f"reader opml: skipped {printable(line)}\n")
        there = f", {len(done.already):,} already subscribed" if done.already else ""
        fetch = " (nothing fetched yet: run reader refresh)" if done.added else ""
        out.write(f"{plural(len(done.added), 'subscription')} imported{there}{fetch}\n")
        return EXIT_PROBLEMS if done.skipped else EXIT_OK


def _why_read_only(library: Library) -> str:
    return f"the data folder {library.data_dir} cannot be written: nothing would be saved"


def _data_dir(args: argparse.Namespace) -> Path:
    from reader.library import default_data_dir

    return Path(args.data_dir) if getattr(args, "data_dir", None) else default_data_dir()


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help=f"where the library lives (default: ${ENV_DATA_DIR} or the user data folder)",
    )
    parser = argparse.ArgumentParser(
        prog="reader",
        usage="reader [--data-dir DIR] [PATH ...]       open the window on these files and folders\n"
        "       reader [--data-dir DIR] COMMAND ...     a command without a window (below)",
        description="A fast, private, keyboard-first reader for folders of news documents. Without "
        "a COMMAND, reader opens its window: on the PATHs given, or else on the folders of its "
        "preferences (or the bundled seeds).",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"reader {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", prog="reader")
    # Without a COMMAND the window opens: main() puts this hidden command in front of the PATHs.
    window = commands.add_parser(WINDOW, parents=[common], usage=parser.usage, add_help=False)
    window.add_argument("paths", nargs="*", metavar="PATH")
    check = commands.add_parser(
        "check",
        parents=[common],
        help="read documents and report each one (no window)",
        description="Read every document under PATH (default: the bundled seeds) and print one "
        "line per document, then a summary. Exit status 1 when any document has a problem.",
    )
    check.add_argument("paths", nargs="*", metavar="PATH", help="files and folders to read")
    check.add_argument("--json", action="store_true", help="print one JSON object per document")
    check.set_defaults(run=cmd_check)
    search = commands.add_parser(
        "search",
        parents=[common],
        usage="reader search [-h] [--data-dir DIR] [--sort SORT] [--limit N] [--json] QUERY [PATH ...]\n"
        "       reader search [-h] [--data-dir DIR] [--sort SORT] [--limit N] [--json] --saved NAME [PATH ...]",
        help="search the library (see the README for the query language)",
        description="Print the articles matching QUERY: date, source and title, best match first. "
        "Given PATHs, they are synced into the library first and only articles under them are "
        "searched. Exit status 0 when something matched, 1 when nothing did, 2 on errors.",
    )
    search.add_argument("query", nargs="?", metavar="QUERY", help="e.g. 'topic:AI clearview' or '\"cease and desist\" -twitter'")
    search.add_argument("paths", nargs="*", metavar="PATH", help="files and folders to sync and search")
    search.add_argument("--sort", choices=SORTS, default=DEFAULT_SORT, help="order (default: rank)")
    search.add_argument("--limit", type=int, default=50, metavar="N", help="at most N results (default 50; 0: all)")
    search.add_argument("--json", action="store_true", help="print one JSON object per result")
    search.add_argument("--saved", metavar="NAME", help="run the saved search NAME (then every PATH is a path)")
    search.set_defaults(run=cmd_search)
    story_parser = commands.add_parser(
        "stories",
        parents=[common],
        help="print the stories: the articles that report the same news, by outlet",
        description="Print every story of two or more versions (documents in the library and "
        "matching related coverage), best Top stories score first: its outlets, first and last "
        "time, and each version's time, outlet and title. Given PATHs, they are synced into the "
        "library first and only stories with a document under them are printed. What is not "
        "grouped yet is grouped first, with or without PATHs. Exit status 0 "
        "when a story was printed, 1 when there was none, 2 on errors.",
    )
    story_parser.add_argument("paths", nargs="*", metavar="PATH", help="files and folders to sync and group")
    story_parser.add_argument("--json", action="store_true", help="print one JSON object per story")
    story_parser.set_defaults(run=cmd_stories)
    stats = commands.add_parser(
        "stats",
        parents=[common],
        help="print how many articles were published per day, week or month",
        description="Print the articles QUERY finds (all articles without one) per day, week or month "
        "in your time zone, with the unread ones; the period is chosen from the span unless --by "
        "says. A first word that names an existing file or folder is a PATH, not a QUERY. Exit "
        "status 0 when something was counted, 1 when nothing was, 2 on errors.",
    )
    stats.add_argument("query", nargs="?", metavar="QUERY", help="e.g. 'topic:AI' (default: every article)")
    stats.add_argument("paths", nargs="*", metavar="PATH", help="files and folders to sync and count")
    stats.add_argument("--by", choices=["day", "week", "month"], help="the period (default: from the span)")
    stats.add_argument("--json", action="store_true", help="print one JSON object per period")
    stats.set_defaults(run=cmd_stats)
    subscribe = commands.add_parser(
        "subscribe",
        parents=[common],
        help="subscribe to a feed by URL and fetch it",
        description="Add an RSS, Atom or JSON Feed subscription (http or https) to the library and "
        "fetch it once. Exit status 1 when the fetch failed (the subscription stays).",
    )
    subscribe.add_argument("url", metavar="URL")
    subscribe.add_argument("--no-fetch", action="store_true", help="only add it; fetch on the next refresh")
    subscribe.set_defaults(run=cmd_subscribe)
    unsubscribe = commands.add_parser(
        "unsubscribe", parents=[common], help="remove a subscription and its articles", description="Remove a subscription."
    )
    unsubscribe.add_argument("url", metavar="URL")
    unsubscribe.set_defaults(run=cmd_unsubscribe)
    refresh = commands.add_parser(
        "refresh",
        parents=[common],
        help="fetch the subscribed feeds",
        description="Fetch every subscription (or the URLs given), conditionally, and print one line "
        "per feed. Exit status 1 when any feed failed.",
    )
    refresh.add_argument("urls", nargs="*", metavar="URL", help="only these subscriptions")
    refresh.add_argument("--list", action="store_true", help="list the subscriptions instead (nothing is fetched)")
    refresh.set_defaults(run=cmd_refresh)
    opml = commands.add_parser(
        "opml",
        parents=[common],
        help="import or export subscriptions as OPML",
        description="opml import FILE subscribes to every feed in an OPML file (nothing is fetched); "
        "opml export [FILE] writes the subscriptions as OPML 2.0 (default: to standard output).",
    )
    opml.add_argument("action", choices=["import", "export"])
    opml.add_argument("file", nargs="?", metavar="FILE", help="the OPML file ('-' for standard input or output)")
    opml.set_defaults(run=cmd_opml)
    full = commands.add_parser(
        "fulltext",
        parents=[common],
        help="fetch an article's web page and print its main text (kept in the library)",
        description="Fetch the page of the article ID (from reader search --json) or the address URL, "
        "print its main text and keep it with the article, where search finds it from then on. "
        "Exit status 1 when the page could not be fetched or has no article text, 2 on errors.",
    )
    full.add_argument("target", metavar="ID|URL")
    full.set_defaults(run=cmd_fulltext)
    user_cli.add_parsers(commands, common, _open_library)
    return parser


COMMANDS = ("check", "search", "stories", "subscribe", "unsubscribe", "refresh", "opml", "fulltext", "stats", *user_cli.COMMANDS)
#: The hidden command of ``reader [PATH ...]`` (the window); no user types it.
WINDOW = "(window)"


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _takes_value(parser: argparse.ArgumentParser, option: str) -> bool | None:
    """Whether ``option`` (a ``--long`` one may be abbreviated, as argparse allows) is followed
    by a value; None when ``parser`` does not know it (or it is ambiguous)."""
    options = {name: action.nargs != 0 for action in parser._actions for name in action.option_strings}
    if option in options:
        return options[option]
    found = [name for name in options if option.startswith("--") and name.startswith(option)]
    return options[found[0]] if len(found) == 1 else None


def _first_word(argv: Sequence[str], parser: argparse.ArgumentParser) -> int | None:
    """The index of the first word (command or path) in ``argv``, skipping options and their
    values; ``len(argv)`` when there is none, None when ``--help`` or ``--version`` comes first."""
    index = 0
    while index < len(argv):
        word = argv[index]
        if word == "--" or not word.startswith("-") or word == "-":
            return index
        name = word.split("=", 1)[0]
        if name in ("-h", "--help", "--version") or (name.startswith("--") and len(name) > 2 and "--help".startswith(name)):
            return None
        if "=" not in word and _takes_value(parser, name):
            index += 1
        index += 1
    return len(argv)


def _dashed_words_as_words(argv: Sequence[str], parser: argparse.ArgumentParser) -> list[str]:
    """The arguments of a command, with a word that starts with one ``-`` and is no option of
    the command (``reader search -topic:AI``: a negated search term) read as a word, and its
    options taken wherever they are (``reader search clearview --limit 1 seeds``): the
    options are put first, then ``--``, then the words, in their order."""
    options: list[str] = []
    words: list[str] = []
    dashed = moved = False
    index = 0
    while index < len(argv):
        word = argv[index]
        if word == "--":
            words.extend(argv[index + 1 :])
            break
        name = word.split("=", 1)[0]
        takes_value = _takes_value(parser, name) if word.startswith("-") and word != "-" else None
        if word.startswith("--") or takes_value is not None:
            moved = moved or bool(words)  # (argparse takes no option between two words)
            options.append(word)
            if takes_value and "=" not in word and index + 1 < len(argv):
                options.append(argv[index + 1])
                index += 1
        elif word.startswith("-") and word != "-":
            words.append(word)
            dashed = True
        else:
            words.append(word)
        index += 1
    return [*options, "--", *words] if dashed or moved else list(argv)


def _with_command(argv: Sequence[str], parser: argparse.ArgumentParser) -> list[str]:
    """``argv`` as the one tree of ``parser`` reads it: global options may come before or after
    the command; without a command, the hidden window command goes in front of the PATHs; a
    first word that is neither a command nor an existing path is a usage error."""
    argv = list(argv)
    index = _first_word(argv, parser)
    if index is None:  # --help or --version: the top level answers
        return argv
    word = argv[index] if index < len(argv) else None
    commands = _subcommands(parser)
    if word in COMMANDS:
        return [*argv[: index + 1], *_dashed_words_as_words(argv[index + 1 :], commands[word])]
    if word is not None and word != "--" and not os.path.lexists(word):
        parser.error(f"unknown command or path: {word}")
    return [*argv[:index], WINDOW, *argv[index:]]


class _StderrLog(logging.Handler):
    """The core's warnings (a read-only session, …) on standard error as ``reader: …``, when
    nothing else handles them (else Python's last resort prints them bare, besides)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sys.stderr.write(f"reader: {record.getMessage()}\n")
        except Exception:  # noqa: BLE001  (as logging.Handler.handleError: never raise here)
            self.handleError(record)


_STDERR_LOG = _StderrLog(logging.WARNING)


def _log_to_stderr() -> None:
    """Send the core's warnings to standard error, unless logging is set up already (a test
    run, a program that imports Reader): then theirs."""
    logger = logging.getLogger("reader")
    if _STDERR_LOG not in logger.handlers and not logging.getLogger().handlers:
        logger.addHandler(_STDERR_LOG)


def _library_failure(error: Exception) -> str | None:
    """The line for an error of the library (a full disk, a damaged file …), or None for any
    other error. (Neither module is imported to ask: a command that did not load them cannot
    have raised their errors.)"""
    library = sys.modules.get("reader.library")
    if library is not None and isinstance(error, library.LibraryError):
        return str(error)
    sqlite3 = sys.modules.get("sqlite3")
    if sqlite3 is not None and isinstance(error, sqlite3.Error):
        return f"the library could not be used: {error}"
    return None


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    _names_as_they_are(sys.stderr)  # ("no such file or folder: …")
    parser = build_parser()
    args = parser.parse_args(_with_command(sys.argv[1:] if argv is None else argv, parser))
    if args.command == WINDOW:
        # Without paths, the window opens the folders of its preferences (or the seeds).
        paths = _existing_paths(args.paths, parser) if args.paths else []
        from reader.ui.app import run  # Qt is loaded only for the window

        return run(paths, getattr(args, "data_dir", None))
    _log_to_stderr()
    if out is None:
        _names_as_they_are(sys.stdout)
    try:
        return int(args.run(args, parser, out or sys.stdout))
    except BrokenPipeError:  # `reader check | head`
        sys.stderr.close()
        return EXIT_OK
    except Exception as error:  # e.g. a full disk: one line, never a traceback
        reason = _library_failure(error)
        if reason is None:
            raise
        sys.stderr.write(f"reader {args.command}: {' '.join(reason.split())}\n")
        return EXIT_USAGE
