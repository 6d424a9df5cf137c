"""Stories as the library's readers see them: a story's members and context, the Top
stories lead, the collapsed list. The grouping itself is :mod:`reader.stories`; these
methods hand it this library's connection, so no caller needs the connection."""

from __future__ import annotations

from collections.abc import Sequence

from reader import stories
from reader.stories import Context, Story
from reader.library.reading import STORY_OTHERS_SQL, _Reading
from reader.library.values import Scope


class _Stories(_Reading):
    """Stories (methods of :class:`reader.library.Library`)."""

    def stories(self, ids: set[str] | None = None) -> list[Story]:
        """Every story of two or more versions (of the articles ``ids``): see
        :func:`reader.stories.all_stories`."""
        return stories.all_stories(self._db, ids)

    def story_members(self, article_id: str) -> list[str]:
        """The ids of every document in the story of ``article_id`` (itself at least)."""
        return stories.members(self._db, article_id)

    def story_context(self, article_id: str, scope: Scope | None = None) -> Context:
        """The story of ``article_id``, its rank (in Top stories within ``scope``), inferred
        topics and why it joined."""
        within = self._story_scope(scope)
        # (the scope and the library's state its articles were read in name what the condition holds)
        return stories.context(self._db, article_id, within, None if within is None else self._scope_cache)

    def story_rowids(self, rowid: int) -> list[int]:
        """The rows of every other document of the story of the article at ``rowid`` (none
        when it is in no story)."""
        return [found[0] for found in self._db.execute(STORY_OTHERS_SQL, (rowid,))]

    def leads_story(self, article_id: str, scope: Scope | None = None) -> bool:
        """Whether the article is the one Top stories lists for its story (within ``scope``)."""
        return stories.leads(self._db, article_id, self._story_scope(scope))

    def story_outlets(self, rowids: Sequence[int]) -> dict[int, int]:
        """The outlets of the story of each of ``rowids`` in a story of two or more versions:
        see :func:`reader.stories.outlets_of`."""
        return stories.outlets_of(self._db, rowids)

    def collapse_stories(self, rowids: Sequence[int], keep: int | None = None) -> tuple[list[int], dict[int, int]]:
        """``rowids`` with every story reduced to its first row (or ``keep``, the open
        article's, for its story), and the outlets of each kept row of a story: see
        :func:`reader.stories.collapse`."""
        return stories.collapse(self._db, rowids, keep)
