#!/usr/bin/env python3
"""The pairs of documents of a folder worth labelling by hand for the story gold set.

    python bench/gold_candidates.py tests/data/window > pairs.json

Chooses pairs without Reader's grouping (so labels are not drawn towards what Reader does): a
plain bag of words of each document's title and excerpt (lower-cased words of three letters or
more, a short list of function words left out), each word weighted by its rarity in the folder
(``log(n / df)``), and the cosine of two documents' vectors. A pair is a candidate when both are
dated within :data:`WINDOW_DAYS` days of each other and their cosine is at least ``--min``; and
each document is paired with its ``--top`` most similar ones as well (near misses), so that every
document that shares rare words with another appears in some pair. Prints a JSON list of
``{"a", "b", "cosine", "shared"}``, most similar first; labelling is left to a person.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reader.article import Article  # noqa: E402
from reader.documents import parse_path  # noqa: E402

WINDOW_DAYS = 16
_WORD = re.compile(r"[^\W\d_][\w'-]*[^\W_]", re.UNICODE)
_FUNCTION = frozenset(
    """
    about after all also and any are been but can could for from had has have her his how into its may more new not
    now one our out over said says than that the their them then there these they this those through
    was were what when which who will with would you your
    """.split()
)


def _read(path: Path) -> tuple[str, str, datetime | None]:
    doc = parse_path(path)
    if not isinstance(doc, Article):
        return "", "", None
    return doc.title, doc.excerpt or "", doc.published


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if len(w) >= 3 and w not in _FUNCTION}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--min", type=float, default=0.12, help="cosine that makes a pair a candidate")
    parser.add_argument("--top", type=int, default=2, help="most similar documents paired with each")
    args = parser.parse_args()

    docs = {}
    for path in sorted(args.folder.glob("*.md")):
        title, excerpt, when = _read(path)
        if when is not None:
            docs[path.name] = (_words(f"{title}\n{excerpt}"), when)
    df: dict[str, int] = {}
    for words, _ in docs.values():
        for w in words:
            df[w] = df.get(w, 0) + 1
    n = len(docs)
    vectors = {}
    for name, (words, _) in docs.items():
        weights = {w: math.log(n / df[w]) for w in words if df[w] < n}
        norm = math.sqrt(sum(v * v for v in weights.values())) or 1.0
        vectors[name] = {w: v / norm for w, v in weights.items()}
    names = list(docs)
    scored: dict[tuple[str, str], float] = {}
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            if abs((docs[a][1] - docs[b][1]).total_seconds()) > WINDOW_DAYS * 86_400:
                continue
            va, vb = vectors[a], vectors[b]
            cosine = sum(v * vb[w] for w, v in va.items() if w in vb)
            if cosine > 0:
                scored[(a, b)] = cosine
    chosen = {pair for pair, cosine in scored.items() if cosine >= args.min}
    for name in names:
        mine = sorted(((c, pair) for pair, c in scored.items() if name in pair), reverse=True)
        chosen.update(pair for _, pair in mine[: args.top])
    out = [
        {"a": a, "b": b, "cosine": round(scored[(a, b)], 3),
         "shared": sorted(vectors[a].keys() & vectors[b].keys(), key=lambda w: -vectors[a][w] * vectors[b][w])[:8]}
        for a, b in sorted(chosen, key=lambda pair: -scored[pair])
    ]
    json.dump(out, sys.stdout, indent=1, ensure_ascii=False)
    print()
    print(f"{len(out)} pairs of {n} dated documents", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
