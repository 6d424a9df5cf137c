"""Taxonomy definitions matched to the names the sidebar lists: which topic or tag
describes a topic, which organization a source (the same rules as
``Library.describe_topic`` and ``Library.describe_source``, over names in bulk)."""

from __future__ import annotations

from collections.abc import Iterable

from reader.article import Taxonomy


def topic_descriptions(taxonomies: Iterable[Taxonomy], topics: Iterable[str]) -> dict[str, str]:
    """The description of each of ``topics`` that a topic or tag definition gives: the
    definition named so, or whose id is the topic's name in lower case (``tag:nlp`` for
    "NLP"); a topic's definition is taken before a tag's."""
    by_name: dict[str, Taxonomy] = {}
    by_id: dict[str, Taxonomy] = {}
    for item in taxonomies:
        if item.taxonomy in ("topic", "tag") and item.description:
            for index, key in ((by_name, item.name), (by_id, item.id)):
                held = index.get(key)
                if held is None or (held.taxonomy != "topic" and item.taxonomy == "topic"):
                    index[key] = item
    found: dict[str, str] = {}
    for topic in topics:
        lower = topic.lower()
        candidates = [by_name.get(topic), by_id.get(f"topic:{lower}"), by_id.get(f"tag:{lower}")]
        matches = [c for c in candidates if c is not None]
        if matches:
            best = next((c for c in matches if c.taxonomy == "topic"), matches[0])
            found[topic] = best.description or ""
    return found


def source_descriptions(taxonomies: Iterable[Taxonomy], sources: Iterable[str]) -> dict[str, str]:
    """The description of each of ``sources`` (a provider's name) that an organization
    definition gives: the one with that name, or with that domain ("techcrunch.com")."""
    by_name: dict[str, str] = {}
    by_domain: dict[str, str] = {}
    for item in taxonomies:
        if item.taxonomy == "organization" and item.description:
            by_name.setdefault(item.name, item.description)
            if item.domain:
                by_domain.setdefault(item.domain.lower(), item.description)
    found: dict[str, str] = {}
    for source in sources:
        description = by_domain.get(source.lower()) or by_name.get(source)
        if description:
            found[source] = description
    return found
