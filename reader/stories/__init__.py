"""Stories: the articles that report the same news, grouped across outlets. No Qt.

One job per module:

* :mod:`~reader.stories.text` — the words and name candidates of one article;
* :mod:`~reader.stories.weights` — how much each word weighs: its rarity among the recent articles counted;
* :mod:`~reader.stories.model` — an article and a story being formed, as grouping sees them;
* :mod:`~reader.stories.matching` — which articles form one story (the rules are there);
* :mod:`~reader.stories.titles` — what a title says: a headline again, another model of a
  product, a piece about the news;
* :mod:`~reader.stories.subjects` — what a title shares with a story's titles: one subject's
  other news, nothing in common, names alone;
* :mod:`~reader.stories.related` — the stories of related entries no document of the library reports;
* :mod:`~reader.stories.linkage` — every item grouped by the centroids of whole groups, day by day as the
  items come (measured against the grouping above by ``bench/stories_linkage.py``; the
  tables do not use it yet);
* :mod:`~reader.stories.storage` — the tables, and grouping the library into them;
* :mod:`~reader.stories.reading` — a story's versions, its rank, the collapsed list;
* :mod:`~reader.stories.score` — the Top stories score, written once.
"""

from reader.stories.matching import Grouper
from reader.stories.model import MAX_VERSIONS, WINDOW_DAYS, Item
from reader.stories.reading import (
    LEAD_ORDER,
    READ_SQL,
    TOP_ORDER,
    TOP_SQL,
    Context,
    Ranking,
    Story,
    Version,
    all_stories,
    collapse,
    context,
    evidence_of,
    inferred_topics,
    leads,
    load,
    members,
    not_itself,
    not_versions,
    outlets_of,
    ranking,
    story_for,
    story_of,
    top_order,
    top_sql,
    top_story_ids,
)
from reader.stories.score import FORMULA, SCORE_SQL
from reader.stories.storage import forget, group, pending, row_values, stories_of, ungrouped
from reader.stories.text import read_words

__all__ = [
    "FORMULA", "LEAD_ORDER", "MAX_VERSIONS", "READ_SQL", "SCORE_SQL", "TOP_ORDER", "TOP_SQL", "WINDOW_DAYS",
    "Context", "Grouper", "Item", "Ranking", "Story", "Version", "all_stories", "collapse", "context", "evidence_of",
    "forget", "group", "inferred_topics", "leads", "load", "members", "not_itself", "not_versions", "outlets_of", "pending", "ranking",
    "read_words", "row_values", "stories_of", "story_for", "story_of", "top_order", "top_sql", "top_story_ids", "ungrouped",
]
