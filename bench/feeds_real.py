#!/usr/bin/env python3
"""How well Reader reads real feeds: every file of ``tests/data/feeds-real/`` against its
expectations in ``EXPECTATIONS.json`` there (entry count; title, link and date of sample
entries, written from reading the files and from their source projects' own tests, never
from Reader's output). Prints the score line and every disagreement.

    python bench/feeds_real.py [-v]     # -v: also the files that agree

Comparison rules (the expectations say what the publisher meant; Reader shows it so):
- titles: whitespace runs count as one space; ``title_starts`` (an entry without a title,
  named by the start of its text) must start Reader's title;
- links: equal after tracking parameters (``utm_*`` ...) are removed from the expectation,
  as Reader removes them from every link it shows; ``null`` means no link;
- dates: the same instant (UTC); ``null`` means undated.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reader.feeds import Feed, parse_feed_bytes  # noqa: E402
from reader.urls import strip_tracking  # noqa: E402

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "feeds-real"
EXPECTATIONS = DATA / "EXPECTATIONS.json"


@dataclass
class Result:
    """How one file agrees with its expectations: checks made and disagreements found."""

    name: str
    expected_entries: int = 0
    found_entries: int = 0
    checks: dict[str, list[int]] = field(default_factory=lambda: {k: [0, 0] for k in ("count", "title", "link", "date")})
    problems: list[str] = field(default_factory=list)

    def check(self, kind: str, ok: bool, message: str) -> None:
        self.checks[kind][1] += 1
        if ok:
            self.checks[kind][0] += 1
        else:
            self.problems.append(message)

    @property
    def agrees(self) -> bool:
        return not self.problems


def expectations() -> dict[str, Any]:
    return json.loads(EXPECTATIONS.read_text(encoding="utf-8"))["files"]


def compare(name: str, expected: dict[str, Any]) -> Result:
    """Parse one file as Reader does and hold it to its expectations."""
    result = Result(name, expected_entries=expected["count"])
    parsed = parse_feed_bytes((DATA / name).read_bytes(), str(DATA / name), base_url=expected.get("base_url"))
    if not isinstance(parsed, Feed):
        result.check("count", False, f"not read as a feed: {parsed.reason}")
        return result
    articles = parsed.articles
    result.found_entries = len(articles)
    result.check("count", len(articles) == expected["count"], f"{len(articles)} entries, expected {expected['count']}")
    for sample in expected["entries"]:
        index = sample["index"]
        if not -len(articles) <= index < len(articles):
            for kind in ("title", "link", "date"):
                result.check(kind, False, f"[{index}] missing")
            continue
        article = articles[index]
        title = " ".join(article.title.split())
        if "title_starts" in sample:
            want = " ".join(sample["title_starts"].split())
            result.check("title", title.startswith(want), f"[{index}] title {title!r}, expected to start {want!r}")
        else:
            want = " ".join((sample["title"] or "").split())
            result.check("title", title == want, f"[{index}] title {title!r}, expected {want!r}")
        link = strip_tracking(sample["link"]) if sample["link"] else None
        result.check("link", article.url == link, f"[{index}] link {article.url!r}, expected {link!r}")
        date = datetime.fromisoformat(sample["date"].replace("Z", "+00:00")) if sample["date"] else None
        shown = article.published.isoformat() if article.published else None
        result.check("date", article.published == date, f"[{index}] date {shown}, expected {sample['date']}")
    return result


def score(results: list[Result]) -> str:
    """The score line: files, entries, counts, titles, links and dates agreeing."""
    totals = {k: [sum(r.checks[k][0] for r in results), sum(r.checks[k][1] for r in results)] for k in results[0].checks}
    files = sum(r.agrees for r in results)
    found = sum(min(r.found_entries, r.expected_entries) for r in results)
    expected = sum(r.expected_entries for r in results)
    parts = [f"files {files}/{len(results)}", f"entries {found}/{expected}"]
    parts += [f"{kind}s {ok}/{total}" for kind, (ok, total) in totals.items()]
    return "feeds-real: " + ", ".join(parts)


def main(argv: list[str]) -> int:
    results = [compare(name, expected) for name, expected in sorted(expectations().items())]
    for result in results:
        if result.problems or "-v" in argv:
            print(f"{result.name}: {'agrees' if result.agrees else ''}")
            for problem in result.problems:
                print(f"    {problem}")
    print(score(results))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
