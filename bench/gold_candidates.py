#!/usr/bin/env python3
"""The pairs of items of a folder worth labelling by hand for the story gold set.

    python bench/gold_candidates.py tests/data/window > pairs.json
    python bench/gold_candidates.py tests/data/week2023 --entries --items items.txt > pairs.json

The items are the folder's documents (by file name) and, with ``--entries``, the entries of
their ``related`` lists too (``FILE#N``: the N-th entry of FILE's list, counted as
``bench/stories_eval.py`` counts them, i.e. as the library stores the list: an entry with
neither a title nor a link is not counted). An entry's words are those of its title and
excerpt, and its date its own (or its document's when it has none). Two entries with one link
are one item (the first, by file name and place in the list, is kept), and an entry whose link
is that of a document of the folder is that document (it is left out), as the evaluation
script takes them.

Chooses pairs without Reader's grouping (so labels are not drawn towards what Reader does): a
plain bag of words of each item's title and excerpt (lower-cased words of three letters or
more, a short list of function words left out), each word weighted by its rarity among the
items (``log(n / df)``), and the cosine of two items' vectors. A pair is a candidate when both
are dated within :data:`WINDOW_DAYS` days of each other and their cosine is at least ``--min``;
and each item is paired with its ``--top`` most similar ones as well (near misses), so that
every item that shares rare words with another appears in some pair. Prints a JSON list of
``{"a", "b", "cosine", "shared"}``, most similar first (the same list on every run); labelling
is left to a person.
``--items FILE`` writes every item (its id, date, outlet, title and excerpt, one block each)
to FILE, for reading them all in one place.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from datetime import datetime
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reader.article import Article, Provider  # noqa: E402
from reader.documents import parse_path  # noqa: E402
from reader.stories.storage import identity_key, related_key  # noqa: E402

WINDOW_DAYS = 16
_WORD = re.compile(r"[^\W\d_][\w'-]*[^\W_]", re.UNICODE)
_FUNCTION = frozenset(
    """
    about after all also and any are been but can could for from had has have her his how into its may more new not
    now one our out over said says than that the their them then there these they this those through
    was were what when which who will with would you your
    """.split()
)


class Item(NamedTuple):
    """A document (its file name) or a related entry (``FILE#N``) to be paired."""

    id: str
    title: str
    excerpt: str
    published: datetime
    outlet: str


def _outlet(provider: Provider | None, url: str | None) -> str:
    if provider is not None and (provider.domain or provider.name):
        return provider.domain or provider.name
    return urlsplit(url).hostname or "" if url else ""


def read_items(folder: Path, entries: bool = False) -> list[Item]:
    """The dated documents of ``folder`` in file-name order and (``entries``) after each its
    related entries, one item for each link (see the module's docstring)."""
    articles = []
    for path in sorted(folder.glob("*.md")):
        doc = parse_path(path)
        if isinstance(doc, Article) and doc.published is not None:
            articles.append((path.name, doc))
    seen = {identity_key(link) for _, doc in articles for link in (doc.url, doc.amp_url) if link}
    items = []
    for name, doc in articles:
        assert doc.published is not None
        items.append(Item(name, doc.title, doc.excerpt or "", doc.published, _outlet(doc.provider, doc.url)))
        if not entries:
            continue
        for n, entry in enumerate(doc.related):  # (numbered as bench/stories_eval.py numbers them)
            key = related_key({"url": entry.url, "title": entry.title})
            if key is None or key in seen:
                continue
            seen.add(key)
            items.append(Item(f"{name}#{n}", entry.title, entry.excerpt or "", entry.published or doc.published,
                              _outlet(entry.provider, entry.url)))
    return items


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if len(w) >= 3 and w not in _FUNCTION}


def candidates(items: list[Item], least: float = 0.12, top: int = 2) -> list[dict[str, object]]:
    """The pairs of ``items`` worth labelling (cosine at least ``least``, or among an item's
    ``top`` most similar), most similar first."""
    words = {item.id: _words(f"{item.title}\n{item.excerpt}") for item in items}
    when = {item.id: item.published for item in items}
    df: dict[str, int] = {}
    for found in words.values():
        for w in found:
            df[w] = df.get(w, 0) + 1
    n = len(items)
    vectors = {}
    for name, found in words.items():
        weights = {w: math.log(n / df[w]) for w in found if df[w] < n}
        norm = math.sqrt(sum(v * v for v in weights.values())) or 1.0
        vectors[name] = {w: v / norm for w, v in weights.items()}
    names = list(words)
    scored: dict[tuple[str, str], float] = {}
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            if abs((when[a] - when[b]).total_seconds()) > WINDOW_DAYS * 86_400:
                continue
            va, vb = vectors[a], vectors[b]
            cosine = sum(v * vb[w] for w, v in va.items() if w in vb)
            if cosine > 0:
                scored[(a, b)] = cosine
    chosen = {pair for pair, cosine in scored.items() if cosine >= least}
    for name in names:
        mine = sorted(((c, pair) for pair, c in scored.items() if name in pair), reverse=True)
        chosen.update(pair for _, pair in mine[:top])
    return [
        {"a": a, "b": b, "cosine": round(scored[(a, b)], 3),
         "shared": sorted(vectors[a].keys() & vectors[b].keys(), key=lambda w: (-vectors[a][w] * vectors[b][w], w))[:8]}
        for a, b in sorted(chosen, key=lambda pair: (-scored[pair], pair))
    ]


def listing(items: list[Item]) -> str:
    """Every item as a block of its id, date, outlet, title and excerpt."""
    return "".join(
        f"{item.id}\n  date:    {item.published.isoformat()}\n  outlet:  {item.outlet}\n"
        f"  title:   {item.title}\n  excerpt: {item.excerpt}\n\n"
        for item in items
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--min", type=float, default=0.12, help="cosine that makes a pair a candidate")
    parser.add_argument("--top", type=int, default=2, help="most similar items paired with each")
    parser.add_argument("--entries", action="store_true", help="take the documents' related entries as items too")
    parser.add_argument("--items", type=Path, help="write every item (id, date, outlet, title, excerpt) to this file")
    args = parser.parse_args()

    items = read_items(args.folder, entries=args.entries)
    out = candidates(items, least=args.min, top=args.top)
    if args.items is not None:
        args.items.write_text(listing(items), encoding="utf-8")
    json.dump(out, sys.stdout, indent=1, ensure_ascii=False)
    print()
    documents = sum("#" not in item.id for item in items)
    print(f"{len(out)} pairs of {len(items)} dated items ({documents} documents)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
