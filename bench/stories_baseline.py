#!/usr/bin/env python3
"""What the similarity of two texts alone gives on the gold set, beside Reader's stories.

    python bench/stories_baseline.py [--one-library] [--apart] [--model DIR]

Groups every set as ``bench/stories_eval.py`` does (Reader's figures), then reads the same
items as grouping reads them: a document's title and excerpt (or the lead of a plain
text), a related entry's title and excerpt, each a unit vector of its words weighted by
their rarity among the set's documents, names counting double
(:class:`~reader.stories.weights.Weights`, as the grouper weighs them once every document
is counted, an outlet's boilerplate weighing as much as any word). Every labelled pair is then judged by the cosine of its two items' vectors
alone, at each bar of :data:`BARS`:

* **pairwise**: a pair is together when its cosine reaches the bar;
* **single link**: every two gold items of a set whose cosine reaches the bar are joined,
  and the groups are what those joins chain together (as one link each would); a pair is
  together when its items are in one group. Only the labelled items are joined: the other
  articles and entries of a library would chain more, so this favours the words alone.

Two items with one link are one item. For the tuning parts and the held-out parts apart it
prints precision / recall (pairs of different events together) at each bar; then, for each
kind, the bar giving the tuning parts the most recall at a precision of 0.95 or more, and
that bar's figures on the held-out parts (chosen on the one, measured on the other). No
time, no links, no rules: how much of Reader's figures the words alone would give.
``--apart``: then the pairs of the tuning parts that Reader's stories keep apart, labelled the
same / different, by whether both items come from one document's file (the document and its
list), the hours between their dates and their cosine (what a rule joining them would have
to tell apart). ``--model DIR``: the items' vectors are a sentence-embedding model's instead
(a sentence-transformers model folder; that package is not one of Reader's: install it
beside Reader to measure), each of an item's title and excerpt as grouping reads them, with
the time that takes. Then for each kind of vector also Reader's stories with every pair at
the bar within :data:`WITHIN` hours of each other added (an upper bound of what such a rule
would add: a pair added joins no other); ``--apart`` then bands the model's cosines by the
words' bands (:data:`COSINES`). Prints the figures; asserts nothing.
"""

from __future__ import annotations

import json
import math
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable
from functools import partial
from operator import mul
from pathlib import Path
from typing import NamedTuple

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import stories_eval as ev  # noqa: E402

from reader.library import Library  # noqa: E402
from reader.stories import storage  # noqa: E402
from reader.stories.text import read_words  # noqa: E402
from reader.stories.weights import Weights  # noqa: E402

#: The cosines a pair (or a join) is judged at.
BARS = (0.10, 0.15, 0.20, 0.25, 0.30, 0.35, 0.40, 0.45, 0.50, 0.60)
#: ... with ``--model`` (a sentence-embedding model's cosines are higher).
MODEL_BARS = (0.50, 0.55, 0.60, 0.65, 0.70, 0.75, 0.80, 0.85, 0.90)
#: Hours apart within which a pair at the bar is added to Reader's stories (the added pairs' figures).
WITHIN = (6, 24)

Vector = dict[str, float]
Pair = dict[str, object]


class Read(NamedTuple):
    """A gold item as the words alone see it."""

    key: str  #: its article's id, or its link's key: two items with one key are one item
    vector: Vector | tuple[float, ...]  #: its words', or (``--model``) a model's unit vector
    #: its date (an undated entry's: that of the first document listing it), as grouping takes it
    published: float | None = None
    text: str = ""  #: its title and excerpt (or lead), as grouping reads them


def cosine(a: Vector | tuple[float, ...], b: Vector | tuple[float, ...]) -> float:
    """The cosine of two unit vectors (of words, or of a model's dimensions)."""
    if not isinstance(a, dict) or not isinstance(b, dict):
        return math.fsum(map(mul, a, b))
    if len(a) > len(b):
        a, b = b, a
    get = b.get
    return sum(weight * get(term, 0.0) for term, weight in a.items())


def similarity(a: Read, b: Read) -> float:
    """The cosine of two items: 1 for one item under two names."""
    return 1.0 if a.key == b.key else cosine(a.vector, b.vector)


def read_items(library: Library) -> dict[str, Read]:
    """Every gold name's item in ``library`` (:func:`stories_eval.item_names`) with its vector."""
    weights = Weights()
    words = {}
    dates: dict[str, float | None] = {}
    texts: dict[str, str] = {}
    for row in library.db.execute(storage._ROWS_SQL).fetchall():
        item = storage._read(row)[0]
        words[item.id] = item.words
        dates[item.id] = item.published
        texts[item.id] = _text(row[2], row[3] or row[4])
        for entry in item.related:
            if entry.key not in words:
                words[entry.key] = read_words(entry.title, entry.excerpt)
                dates[entry.key] = entry.published or item.published
                texts[entry.key] = _text(entry.title, entry.excerpt)
        weights.capitalise(item.words)
        weights.count(item.words)
    return {name: Read(key, weights.vector(words[key]), dates[key], texts[key]) for name, key in ev.item_names(library).items()
            if key is not None and key in words}


def _text(title: str | None, excerpt: str | None) -> str:
    """What a model reads of an item: its title and excerpt (or lead), as grouping reads them."""
    return f"{title or ''}\n{excerpt or ''}".strip()


def embedded(items: dict[str, dict[str, Read]], model_dir: str) -> tuple[dict[str, dict[str, Read]], float]:
    """Each set's ``items`` with a sentence-transformers model's unit vectors of their texts
    (each text once), and the seconds that took."""
    from sentence_transformers import SentenceTransformer  # (not one of Reader's packages)

    model = SentenceTransformer(model_dir, device="cpu")
    texts = sorted({read.text for read in _all(items)})
    started = time.perf_counter()
    vectors = model.encode(texts, batch_size=64, normalize_embeddings=True, show_progress_bar=False)
    took = time.perf_counter() - started
    of_text = {text: tuple(map(float, vector)) for text, vector in zip(texts, vectors, strict=True)}
    done: dict[int, dict[str, Read]] = {}  # (one library's items are every set's: done once)
    for read in items.values():
        if id(read) not in done:
            done[id(read)] = {name: item._replace(vector=of_text[item.text]) for name, item in read.items()}
    return {set_name: done[id(read)] for set_name, read in items.items()}, took


def single_link(items: dict[str, Read], bar: float, similar: dict[tuple[str, str], float] | None = None) -> dict[str, str]:
    """The group of each item (a representative's name): every two items at ``bar`` or
    more joined, transitively (``similar``: every two items' similarity worked out before, by
    :func:`similarities`)."""
    similar = similar if similar is not None else similarities(items)
    parent = {name: name for name in items}

    def find(name: str) -> str:
        while parent[name] != name:
            parent[name] = parent[parent[name]]
            name = parent[name]
        return name

    for (a, b), value in similar.items():
        if value >= bar:
            parent[find(a)] = find(b)
    return {name: find(name) for name in sorted(items)}


def similarities(items: dict[str, Read]) -> dict[tuple[str, str], float]:
    """The similarity of every two items (their names in order)."""
    names = sorted(items)
    return {(a, b): similarity(items[a], items[b]) for i, a in enumerate(names) for b in names[i + 1:]}


class Counts(NamedTuple):
    precision: float
    recall: float
    together: int  #: pairs labelled different put together


def counts(pairs: Iterable[Pair], together: Callable[[Pair], bool]) -> Counts:
    """Pair precision and recall of a judgement ``together``."""
    tp = fp = fn = 0
    for pair in pairs:
        joined = together(pair)
        if joined and pair["same"]:
            tp += 1
        elif joined:
            fp += 1
        elif pair["same"]:
            fn += 1
    return Counts(ev._ratio(tp, tp + fp), ev._ratio(tp, tp + fn), fp)


#: Hours between two items' dates, and cosines, that :func:`apart` counts pairs by (each the top of a band).
HOURS = (6, 24, 72)
COSINES = (0.1, 0.2, 0.3)


def band(value: float, tops: tuple[float, ...]) -> int:
    """The band of ``value`` among ``tops`` (0: below the first; len(tops): at the last or over)."""
    return next((n for n, top in enumerate(tops) if value < top), len(tops))


def apart(pairs: Iterable[Pair], items: dict[str, dict[str, Read]], together: Callable[[Pair], bool]) -> Counter[tuple[bool, int, int, bool]]:
    """The pairs ``together`` keeps apart, counted by (both from one document's file, the band
    of the hours between their dates — :data:`HOURS`, len(HOURS) + 1 when either has none —,
    the band of their cosine, :data:`COSINES`, labelled the same)."""
    out: Counter[tuple[bool, int, int, bool]] = Counter()
    for pair in pairs:
        if together(pair):
            continue
        of_set = items[_set(pair)]
        a, b = of_set[str(pair["a"])], of_set[str(pair["b"])]
        one_list = str(pair["a"]).partition("#")[0] == str(pair["b"]).partition("#")[0]
        hours = band(abs(a.published - b.published) / 3600, HOURS) if a.published and b.published else len(HOURS) + 1
        out[(one_list, hours, band(similarity(a, b), COSINES), bool(pair["same"]))] += 1
    return out


def _set(pair: Pair) -> str:
    """The set a pair's items are in (``corpus`` when it names none)."""
    return str(pair.get("set", "corpus"))


def best_bar(by_bar: dict[float, Counts], precision: float = ev.AIM[0]) -> float | None:
    """The bar with the most recall at ``precision`` or more (the lowest such bar on a tie)."""
    fit = [(c.recall, -bar) for bar, c in by_bar.items() if c.precision >= precision]
    return -max(fit)[1] if fit else None


def main() -> int:
    one_library = "--one-library" in sys.argv
    model = sys.argv[sys.argv.index("--model") + 1] if "--model" in sys.argv else None
    pairs: list[Pair] = json.loads(ev.GOLD.read_text(encoding="utf-8"))["pairs"]
    items: dict[str, dict[str, Read]] = {}
    with tempfile.TemporaryDirectory() as work:
        stories = ev.predicted_stories(Path(work), one_library)
        for name in ["all"] if one_library else list(ev.SETS):
            with Library(Path(work) / name / "data") as library:
                read = read_items(library)
            for set_name in ev.SETS if one_library else [name]:
                items[set_name] = read
    if model is not None:
        items, took = embedded(items, model)
    known = [(p, a, b) for p in pairs
             if (a := items[_set(p)].get(str(p["a"]))) is not None and (b := items[_set(p)].get(str(p["b"]))) is not None]
    pairs = [p for p, _, _ in known]
    halves = {"tuning": [p for p in pairs if p["part"] in ev.TUNING], "held-out": [p for p in pairs if p["part"] not in ev.TUNING]}

    def reader_together(pair: Pair) -> bool:
        return ev._together(stories, pair)

    reader = {half: counts(chosen, reader_together) for half, chosen in halves.items()}
    cosines = {id(p): similarity(a, b) for p, a, b in known}
    hours = {id(p): abs(a.published - b.published) / 3600 if a.published and b.published else math.inf for p, a, b in known}
    gold: dict[str, dict[str, Read]] = {}  # (the items of each set's labelled pairs)
    for p, a, b in known:
        gold.setdefault(_set(p), {}).update({str(p["a"]): a, str(p["b"]): b})
    bars = MODEL_BARS if model is not None else BARS
    similar = {set_name: similarities(read) for set_name, read in gold.items()}
    groups = {bar: {set_name: single_link(read, bar, similar[set_name]) for set_name, read in gold.items()} for bar in bars}

    def near(pair: Pair, bar: float) -> bool:
        return cosines[id(pair)] >= bar

    def linked(pair: Pair, bar: float) -> bool:
        of_set = groups[bar][_set(pair)]
        return of_set[str(pair["a"])] == of_set[str(pair["b"])]

    def added(pair: Pair, bar: float, within: float) -> bool:
        return reader_together(pair) or (cosines[id(pair)] >= bar and hours[id(pair)] <= within)

    kinds: dict[str, dict[str, dict[float, Counts]]] = {"pairwise": {}, "single link": {}}
    kinds.update({f"Reader's stories and every pair at the bar within {within} hours": {} for within in WITHIN})
    for half, chosen in halves.items():
        kinds["pairwise"][half] = {bar: counts(chosen, partial(near, bar=bar)) for bar in bars}
        kinds["single link"][half] = {bar: counts(chosen, partial(linked, bar=bar)) for bar in bars}
        for within in WITHIN:
            kinds[f"Reader's stories and every pair at the bar within {within} hours"][half] = {
                bar: counts(chosen, partial(added, bar=bar, within=within)) for bar in bars}
    print(f"{'one library' if one_library else 'a library per set'}; {len(pairs)} pairs "
          f"({len(halves['tuning'])} tuning, {len(halves['held-out'])} held-out)")
    if model is not None:
        texts = len({read.text for read in _all(items)})
        print(f"vectors of {model}: {texts} texts in {took:.1f} s, {texts / took:.0f} a second")
    for half, c in reader.items():
        print(f"Reader's stories, {half}: {c.precision:.3f} / {c.recall:.3f} ({c.together} different together)")
    for kind, by_half in kinds.items():
        print(f"\n{kind}: bar  tuning  |  held-out")
        for bar in bars:
            t, h = by_half["tuning"][bar], by_half["held-out"][bar]
            print(f"  {bar:.2f}  {t.precision:.3f} / {t.recall:.3f} ({t.together})  |  {h.precision:.3f} / {h.recall:.3f} ({h.together})")
        chosen_bar = best_bar(by_half["tuning"])
        if chosen_bar is None:
            print(f"  no bar gives the tuning parts a precision of {ev.AIM[0]:.2f}")
        else:
            t, h = by_half["tuning"][chosen_bar], by_half["held-out"][chosen_bar]
            print(f"  most recall at precision >= {ev.AIM[0]:.2f} on the tuning parts: bar {chosen_bar:.2f}, "
                  f"{t.precision:.3f} / {t.recall:.3f}; held-out at that bar {h.precision:.3f} / {h.recall:.3f} ({h.together} together)")
    if "--apart" in sys.argv:  # (of the tuning parts only: the held-out parts' errors stay unread)
        _print_apart(apart(halves["tuning"], items, reader_together))
    return 0


def _all(items: dict[str, dict[str, Read]]) -> Iterable[Read]:
    """Every item of every set (one library's once)."""
    seen: set[int] = set()
    for read in items.values():
        if id(read) not in seen:
            seen.add(id(read))
            yield from read.values()


def _print_apart(table: Counter[tuple[bool, int, int, bool]]) -> None:
    hours = [f"< {HOURS[0]} h", *(f"{a}-{b} h" for a, b in zip(HOURS, HOURS[1:], strict=False)), f">= {HOURS[-1]} h", "undated"]
    cosines = [f"< {COSINES[0]}", *(f"{a}-{b}" for a, b in zip(COSINES, COSINES[1:], strict=False)), f">= {COSINES[-1]}"]
    print("\nPairs of the tuning parts kept apart, labelled the same / different: by list, hours apart, cosine")
    print(f"  {'':24}" + "".join(f"{c:>12}" for c in cosines))
    for one_list in (True, False):
        for h, label in enumerate(hours):
            cells = [(table[(one_list, h, c, True)], table[(one_list, h, c, False)]) for c in range(len(cosines))]
            if any(same or different for same, different in cells):
                row = f"{'one list' if one_list else 'two lists'}, {label}"
                print(f"  {row:24}" + "".join(f"{f'{same} / {different}':>12}" for same, different in cells))


if __name__ == "__main__":
    sys.exit(main())
