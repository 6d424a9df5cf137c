"""``reader fulltext ID|URL``: fetch an article's page, print its main text and keep it in
the library (searched from then on), as key F does in the window (:mod:`reader.fulltext`)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, TextIO
from urllib.parse import urlsplit

from reader import fulltext
from reader.display import printable
from reader.export import fetched_line

if TYPE_CHECKING:
    from reader.library import Library

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def run(args: argparse.Namespace, out: TextIO, open_library: Callable[[argparse.Namespace], Library | None]) -> int:
    from reader.library import LibraryError

    target = args.target.strip()
    library = open_library(args)
    if library is None:
        return EXIT_USAGE
    with library:
        try:
            if urlsplit(target).scheme:  # an address (any scheme: the fetch says which are refused)
                url, article_id = target, library.article_id_for_url(target)
            else:
                article = library.article(target)
                if article is None:
                    sys.stderr.write(f"reader fulltext: no article {target!r} in the library (an id from reader search --json, or an address)\n")
                    return EXIT_USAGE
                if not article.url:
                    sys.stderr.write(f"reader fulltext: the article {target!r} has no web address to fetch\n")
                    return EXIT_FAILED
                url, article_id = article.url, article.id
            try:
                full = fulltext.load(url)
            except fulltext.FullTextError as error:
                sys.stderr.write(f"reader fulltext: {url}: {error}\n")
                return EXIT_FAILED
            if article_id is not None:
                stored = library.article(article_id)
                library.store_fulltext(article_id, full, stored.title if stored else "")
        except LibraryError as error:
            sys.stderr.write(f"reader fulltext: {error}\n")
            return EXIT_USAGE
    out.write(f"{printable(fetched_line(full))} ({printable(full.url)})\n\n{printable(fulltext.markdown(full), lines=True)}")
    if full.images:
        out.write(f"\nImages in the page ({len(full.images)}, not fetched):\n")
        out.writelines(f"- {printable(image.alt or 'untitled')}: {printable(image.url)}\n" for image in full.images)
    return EXIT_OK
