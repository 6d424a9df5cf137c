"""The Top stories score, written once. No Qt.

A story's score is out of 100: four parts, each a share between 0 and 1 (capped) times
its weight::

    40 × min(outlets, 8) / 8                      outlets: distinct outlets among its versions
  + 25 × min(heat, 100) / 100                     heat: the highest among its documents
  + 15 × min(quality, 100) / 100                  quality: the highest among its documents
  + 20 × recency                                  1 for the newest story, 0 at RECENCY_DAYS older

(missing or negative heat and quality count as 0). The SQL that ranks Top stories and the
parts the article pane shows both come from :data:`PARTS`.

Recency is measured from the newest article dated no later than now (in a library of old
documents, its newest one; with every article dated later, the newest of all): one
document dated in the far future would otherwise take every other story's recency to 0.
A story whose last version is after that reference counts as the newest (1).
"""

from __future__ import annotations

#: Recency falls to 0 for a story whose last version is this much older than the newest article.
RECENCY_DAYS = 14
_DAY = 86_400.0
#: The newest article not dated after now (else the newest): the index entries_newest, no scan.
def newest_sql(where: str = "1", now: str = "CAST(strftime('%s', 'now') AS REAL)") -> str:
    """The newest article's time (of the articles ``entries a`` that ``where`` holds) not
    after ``now`` (SQL), or, all of them dated later, the newest of all: what recency and
    Trends measure from (one document dated in the year 2500 must not move it)."""
    return (f"coalesce((SELECT max(a.published) FROM entries a WHERE a.published <= {now} AND {where}), "
            f"(SELECT max(a.published) FROM entries a WHERE {where}))")


_NEWEST = newest_sql()

#: (name, weight, SQL for its share in 0..1 of the ``stories`` row ``s``).
PARTS: tuple[tuple[str, float, str], ...] = (
    ("outlets", 40.0, "min(s.outlets, 8) / 8.0"),
    ("heat", 25.0, "min(max(coalesce(s.heat, 0), 0), 100) / 100.0"),
    ("quality", 15.0, "min(max(coalesce(s.quality, 0), 0), 100) / 100.0"),
    (
        "recency",
        20.0,
        f"max(0.0, min(1.0, 1.0 - (coalesce({_NEWEST} - s.last, {RECENCY_DAYS * _DAY})) / {RECENCY_DAYS * _DAY}))",
    ),
)
#: The score of the ``stories`` row ``s``.
SCORE_SQL = "(" + " + ".join(f"{weight} * ({share})" for _, weight, share in PARTS) + ")"
#: Each part's share, in the order of :data:`PARTS`.
SHARES_SQL = ", ".join(f"({share})" for _, _, share in PARTS)
#: The formula, as the article pane shows it.
FORMULA = (
    "40 × min(outlets, 8)/8 + 25 × min(heat, 100)/100 + 15 × min(quality, 100)/100 + 20 × recency "
    f"(1 for the newest article in the library not dated after now, 0 at {RECENCY_DAYS} days older)"
)
