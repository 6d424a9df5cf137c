"""Taxonomy definitions matched to sidebar names, with the corpus's four definitions."""

from __future__ import annotations

from pathlib import Path

from reader.article import Taxonomy
from reader.documents import parse_path
from reader.taxonomy import source_descriptions, topic_descriptions


def corpus_taxonomies(corpus_dir: Path) -> list[Taxonomy]:
    found = [parse_path(path) for path in sorted((corpus_dir / "_data").iterdir())]
    assert all(isinstance(item, Taxonomy) for item in found)
    return found  # type: ignore[return-value]


def test_sources_match_an_organization_by_domain_or_name(corpus_dir: Path) -> None:
    taxonomies = corpus_taxonomies(corpus_dir)
    # techcrunch.com.md: name TechCrunch, domain techcrunch.com, a description;
    # theguardian.com: no description (nothing to show).
    found = source_descriptions(taxonomies, ["TechCrunch", "techcrunch.com", "The Guardian", "Nobody"])
    assert set(found) == {"TechCrunch", "techcrunch.com"}
    assert found["TechCrunch"].startswith("TechCrunch is a leading technology media property")


def test_topics_match_a_topic_or_tag_by_name_or_id(corpus_dir: Path) -> None:
    taxonomies = corpus_taxonomies(corpus_dir)
    # nlp.yaml: a tag with _id nlp and a description; 00-ai.yaml: topic AI without one.
    found = topic_descriptions(taxonomies, ["NLP", "nlp", "AI", "Computer Vision"])
    assert set(found) == {"NLP", "nlp"}
    assert found["NLP"].startswith("Natural language processing (NLP) is a subfield")


def test_a_topic_definition_is_taken_before_a_tag() -> None:
    tag = Taxonomy("tag:ml", "", "tag", "ml", description="the tag")
    topic = Taxonomy("topic:ml", "", "topic", "ml", description="the topic")
    assert topic_descriptions([tag, topic], ["ML", "ml"]) == {"ML": "the topic", "ml": "the topic"}
