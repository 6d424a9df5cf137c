"""The document parser: seeds field by field, the real corpus, broken input, files on disk."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader import documents
from reader.article import Article, Image, Kind, Problem, Provider, Taxonomy
from reader.documents import MAX_FILE_BYTES, parse_bytes, parse_path
from reader.scan import iter_document_paths
from reader.urls import is_safe_link

UTC = timezone.utc
HEX16 = re.compile(r"[0-9a-f]{16}")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def front(text: str) -> bytes:
    """A document whose front matter is ``text`` (dedented)."""
    return ("---\n" + textwrap.dedent(text).strip("\n") + "\n---\n").encode("utf-8")


def parsed(data: bytes, path: str = "doc.md") -> Article:
    doc = parse_bytes(data, path)
    assert isinstance(doc, Article), doc
    return doc


def problem(data: bytes, path: str = "doc.md") -> str:
    doc = parse_bytes(data, path)
    assert isinstance(doc, Problem), doc
    assert doc.path == path
    return doc.reason


# --------------------------------------------------------------------------- the seeds
#
# Every expected value below was copied by hand from the seed files, not computed.

SEED_000 = "000_7070b5ed28950557.txt"
SEED_001 = "001_19301bc74b7f561c.txt"
SEED_002 = "002_9f8ef219818b8861.txt"
SEED_003 = "003_75b339a3634bcf13.txt"
SEED_004 = "004_a6c4789921a3cca4.txt"
SEED_NAMES = [SEED_000, SEED_001, SEED_002, SEED_003, SEED_004]

EXPECTED_NEWS = {
    SEED_000: dict(
        title="AI company must stop scraping user images from social media sites, top tech firms say",
        excerpt=(
            "Payment service Venmo joined YouTube and Twitter on Wednesday in demanding that a facial "
            "recognition company stop harvesting user images to identify the people in them, which the "
            "startup does as part of its work with police. Venmo said Wednesday it is sending a "
            "cease-and-desist letter to New York-based Clearview AI. The small firm has drawn ..."
        ),
        published=utc(2020, 2, 5, 22, 56),
        url="https://globalnews.ca/news/6512311/clearview-ai-tech-firms-social-media/",
        amp_url="https://globalnews.ca/news/6512311/clearview-ai-tech-firms-social-media/amp/",
        provider=Provider(name="Global News", domain="globalnews.ca", icon_url=None),
        topics=("AI",),
        image_count=0,
        first_image=None,
        related_count=1,
        first_related=dict(
            title="YouTube, Venmo: AI firm must stop scraping faces from sites",
            url="https://www.stltoday.com/news/national/youtube-venmo-ai-firm-must-stop-scraping-faces-from-sites/"
            "article_78d9898b-e5b1-53d2-88fc-d485916aa751.html",
            published=utc(2020, 2, 5, 20, 5),
            provider=Provider(name="St. Louis Post-Dispatch", domain="stltoday.com"),
            quality=57,
            image=Image(
                url="https://bloximages.newyork1.vip.townnews.com/stltoday.com/content/tncms/assets/v3/editorial/"
                "6/76/67626ad7-5a62-5ad6-869f-e8453f7a52fd/5e3b1f807ecd6.image.jpg?resize=1024%2C682",
                width=1024,
                height=682,
            ),
        ),
        quality=30,
        heat=-1,
        featured=False,
        extra={
            "category": "news",
            "type": "article",
            "cdnAmpWebUrl": "https://globalnews-ca.cdn.ampproject.org/c/s/globalnews.ca/news/6512311/"
            "clearview-ai-tech-firms-social-media/amp/",
        },
    ),
    SEED_001: dict(
        title="Facebook, YouTube, Twitter warn Clearview face-recognition service to stop harvesting images",
        excerpt=(
            "Facebook joined YouTube, Twitter and payment service Venmo on Wednesday in demanding that a "
            "facial recognition company stop harvesting user images to identify the people in them, which "
            "the startup does as part of its work with police. Facebook said it has demanded New York-based "
            "Clearview AI stop accessing or using information from its flagship ..."
        ),
        published=utc(2020, 2, 6, 19, 37),
        url="https://www.chicagotribune.com/business/"
        "ct-biz-clearview-face-recognition-20200206-mlk7347uvfe7ldqgfr3qrxq2lm-story.html",
        amp_url="https://www.chicagotribune.com/business/"
        "ct-biz-clearview-face-recognition-20200206-mlk7347uvfe7ldqgfr3qrxq2lm-story.html?outputType=amp",
        provider=Provider(name="Chicago Tribune", domain="chicagotribune.com", icon_url=None),
        topics=("AI", "Computer Vision"),
        image_count=1,
        first_image=Image(
            url="https://www.chicagotribune.com/resizer/EVhzXiNn0fjNzE2DbtVmB06lF-s=/1200x0/top/"
            "arc-anglerfish-arc2-prod-tronc.s3.amazonaws.com/public/OE6AB6SZOFGDVFZJFPF5Z6M2PQ.jpg",
            width=1200,
            height=800,
            title="Facebook, YouTube, Twitter warn Clearview face-recognition service to stop harvesting images",
        ),
        # The last two entries share a title but are different pages: both are kept.
        related_count=3,
        first_related=dict(
            title="The Government's Nightmare Vision for Face Recognition at Airports and Beyond",
            url="https://www.aclu.org/news/privacy-technology/"
            "the-governments-nightmare-vision-for-face-recognition-at-airports-and-beyond/",
            published=utc(2020, 2, 6, 22, 51),
            provider=Provider(name="Aclu.org", domain="aclu.org"),
            quality=51,
            image=Image(url="https://www.aclu.org/news/images/share/default_fb_share.png", width=1200, height=630),
        ),
        quality=33,
        heat=-1,
        featured=False,
        extra={
            "category": "news",
            "type": "article",
            "cdnAmpWebUrl": "https://www-chicagotribune-com.cdn.ampproject.org/c/s/www.chicagotribune.com/business/"
            "ct-biz-clearview-face-recognition-20200206-mlk7347uvfe7ldqgfr3qrxq2lm-story.html?outputType=amp",
        },
    ),
    SEED_004: dict(
        title="Twitter demands AI company stops 'collecting faces'",
        excerpt=(
            "Twitter has demanded an AI company stop taking images from its website. Clearview has already "
            "amassed more than three billion photographs from sites including Facebook and Twitter. They are "
            "used by the FBI and Department of Homeland Security and more than 600 other law-enforcement "
            "agencies around the world to identify suspects. In a cease-and ..."
        ),
        published=utc(2020, 1, 23, 15, 31),
        url="https://www.bbc.com/news/technology-51220654",
        amp_url="https://www.bbc.com/news/amp/technology-51220654",
        provider=Provider(name="BBC", domain="bbc.com", icon_url="/assets/images/organizations/bbc.com-50x50.jpg"),
        topics=("AI",),
        image_count=1,
        first_image=Image(
            url="https://ichef.bbci.co.uk/news/1024/cpsprodpb/12995/production/_110618167_gettyimages-1160977168.jpg",
            width=1024,
            height=576,
            title="Twitter demands AI company stops 'collecting faces'",
        ),
        related_count=1,
        first_related=dict(
            title="Twitter sends cease-and-desist letter to facial recognition firm scraping its images",
            url="https://www.dailydot.com/layer8/twitter-clearview-cease-and-desist/",
            published=utc(2020, 1, 23, 15, 1),
            provider=Provider(name="The Daily Dot", domain="dailydot.com"),
            quality=52,
            image=Image(
                url="https://www.dailydot.com/wp-content/uploads/2020/01/Twitter-Clearview-AI-Cease-And-Desist-1024x512.jpg",
                width=1024,
                height=512,
            ),
        ),
        quality=87,
        heat=97,
        featured=True,
        extra={
            "category": "news",
            "type": "article",
            "cdnAmpUrl": "https://www-bbc-com.cdn.ampproject.org/c/s/www.bbc.com/news/amp/technology-51220654",
        },
    ),
}


def test_there_are_five_seeds(seeds_dir: Path) -> None:
    assert sorted(p.name for p in seeds_dir.iterdir()) == SEED_NAMES


@pytest.mark.parametrize("name", sorted(EXPECTED_NEWS))
def test_news_seed_fields(seeds_dir: Path, name: str) -> None:
    want = EXPECTED_NEWS[name]
    doc = parse_path(seeds_dir / name)
    assert isinstance(doc, Article), doc
    assert doc.kind is Kind.NEWS
    assert doc.path == str(seeds_dir / name)
    assert doc.title == want["title"]
    assert doc.excerpt == want["excerpt"]
    assert doc.body == ""
    assert doc.published == want["published"]
    assert doc.published.utcoffset().total_seconds() == 0
    assert doc.url == want["url"]
    assert doc.amp_url == want["amp_url"]
    assert doc.provider == want["provider"]
    assert doc.topics == want["topics"]
    assert len(doc.images) == want["image_count"]
    if want["first_image"] is not None:
        assert doc.images[0] == want["first_image"]
    assert len(doc.related) == want["related_count"]
    related, expected = doc.related[0], want["first_related"]
    assert related.title == expected["title"]
    assert related.url == expected["url"]
    assert related.published == expected["published"]
    assert related.provider == expected["provider"]
    assert related.quality == expected["quality"]
    assert related.images == (expected["image"],)
    assert doc.quality == want["quality"]
    assert doc.heat == want["heat"]
    assert doc.featured is want["featured"]
    assert doc.language == "en"  # detected: the seed declares none
    # Unmodelled fields are kept as they were written; the opaque blob is not.
    assert "secured" not in doc.extra
    for key, value in want["extra"].items():
        assert doc.extra[key] == value
    # Modelled fields are not duplicated into extra.
    for key in ("title", "excerpt", "publishedDateTime", "provider", "topics", "related", "quality", "published"):
        assert key not in doc.extra


def test_seed_001_keeps_both_related_entries_with_the_same_title(seeds_dir: Path) -> None:
    doc = parse_path(seeds_dir / SEED_001)
    assert isinstance(doc, Article)
    second, third = doc.related[1], doc.related[2]
    assert second.title == third.title
    assert second.url == (
        "https://www.prnewswire.com/news-releases/herta-security-lauded-by-frost--sullivan-for-delivering-"
        "cutting-edge-real-time-facial-recognition-and-detection-deployment-301003793.html"
    )
    assert third.url == (
        "https://www.prnewswire.com/in/news-releases/herta-security-lauded-by-frost-amp-sullivan-for-delivering-"
        "cutting-edge-real-time-facial-recognition-and-detection-deployment-879892037.html"
    )
    assert third.published == utc(2020, 2, 13, 2, 52)


def test_english_plain_text_seed(seeds_dir: Path) -> None:
    doc = parse_path(seeds_dir / SEED_002)
    assert isinstance(doc, Article), doc
    assert doc.kind is Kind.TEXT
    # The first line reads like a headline, so it is the title.
    assert doc.title == (
        "Facebook Joins YouTube & LinkedIn, Warns Clearview AI To Stop Scraping Images From Their Platforms"
    )
    assert doc.excerpt == (
        "Not very long ago, Clearview AI - a facial recognition software, became a part of severe criticism "
        "for matching people’s faces with billions of images scraped off social media platforms and sharing "
        "them with security agencies."
    )
    assert doc.body.startswith("Not very long ago, Clearview AI")
    assert doc.body.endswith("Previous Post Next Post")
    assert "Photo: Getty Images" in doc.body
    _assert_nothing_invented(doc)


def test_swedish_plain_text_seed(seeds_dir: Path) -> None:
    doc = parse_path(seeds_dir / SEED_003)
    assert isinstance(doc, Article), doc
    assert doc.kind is Kind.TEXT
    # The first paragraph is a photo caption "... (AP Photo/Patrick Semansky)"; the title comes
    # from the first sentence of the next paragraph, cut at a word with an ellipsis.
    assert doc.title == "Facebook gick med i YouTube, Twitter och betaltjänsten Venmo krävde på onsdagen att ett…"
    assert len(doc.title) <= 90
    assert "Semansky" not in doc.title
    assert doc.excerpt == (
        "Facebook gick med i YouTube, Twitter och betaltjänsten Venmo krävde på onsdagen att ett "
        "ansiktsigenkänningsföretag skulle sluta skörda användarbilder för att identifiera personerna i dem, "
        "vilket startupen gör som en del av sitt arbete med polisen."
    )
    # No headline line: the body is the whole text, caption included.
    text = (seeds_dir / SEED_003).read_text(encoding="utf-8")
    assert doc.body == text.strip()
    assert doc.body.startswith("Denna 20 mars, 2018 filbild")
    assert doc.body.endswith("© 2020 The Associated Press. Alla rättigheter förbehållna.")
    _assert_nothing_invented(doc)


def _assert_nothing_invented(doc: Article) -> None:
    assert doc.published is None
    assert doc.url is None
    assert doc.amp_url is None
    assert doc.provider is None
    assert doc.topics == ()
    assert doc.images == ()
    assert doc.related == ()
    assert doc.quality is None
    assert doc.heat is None
    assert doc.featured is False
    assert dict(doc.extra) == {}


# --------------------------------------------------------------------------- ids


@pytest.mark.parametrize("name", SEED_NAMES)
def test_seed_ids_are_stable_and_survive_a_copy(seeds_dir: Path, tmp_path: Path, name: str) -> None:
    first = parse_path(seeds_dir / name)
    second = parse_path(seeds_dir / name)
    assert isinstance(first, Article) and isinstance(second, Article)
    assert HEX16.fullmatch(first.id), first.id
    assert first.id == second.id
    copy = tmp_path / "elsewhere" / "renamed-copy.md"
    copy.parent.mkdir()
    shutil.copyfile(seeds_dir / name, copy)
    moved = parse_path(copy)
    assert isinstance(moved, Article)
    assert moved.path == str(copy)
    assert moved.id == first.id


def test_seed_ids_are_all_different(seeds_dir: Path) -> None:
    ids = {parse_path(seeds_dir / name).id for name in SEED_NAMES}  # type: ignore[union-attr]
    assert len(ids) == 5


@pytest.mark.parametrize(
    "variant",
    [
        "https://www.example.com/news/story-1",
        "https://example.com/news/story-1",
        "https://example.com/news/story-1/",
        "http://example.com/news/story-1",
        "HTTPS://WWW.EXAMPLE.COM/news/story-1/",
        "https://example.com/news/story-1?utm_source=twitter&utm_medium=social",
        "https://www.example.com/news/story-1/?fbclid=abc123#comments",
        "  https://example.com/news/story-1  ",
    ],
)
def test_the_same_url_written_differently_gives_the_same_id(variant: str) -> None:
    base = parsed(front("title: One\nwebUrl: https://example.com/news/story-1"))
    other = parsed(front(f"title: Another title\nexcerpt: different\nwebUrl: '{variant}'"))
    assert other.id == base.id


@pytest.mark.parametrize(
    "different",
    [
        "https://example.com/news/story-2",
        "https://example.org/news/story-1",
        "https://news.example.com/news/story-1",
        "https://example.com/news/story-1?page=2",
        "https://example.com/News/Story-1",
    ],
)
def test_different_urls_give_different_ids(different: str) -> None:
    base = parsed(front("title: One\nwebUrl: https://example.com/news/story-1"))
    other = parsed(front(f"title: One\nwebUrl: '{different}'"))
    assert other.id != base.id


def test_text_ids_follow_the_content() -> None:
    a = parsed(b"A headline\n\nThe first paragraph.\n\nThe second paragraph.\n")
    again = parsed(b"A headline\n\nThe first paragraph.\n\nThe second paragraph.\n", "other/place.txt")
    changed_body = parsed(b"A headline\n\nThe first paragraph.\n\nA different second paragraph.\n")
    changed_title = parsed(b"Another headline\n\nThe first paragraph.\n\nThe second paragraph.\n")
    assert HEX16.fullmatch(a.id)
    assert again.id == a.id
    assert len({a.id, changed_body.id, changed_title.id}) == 3


def test_text_ids_ignore_line_endings_and_spacing() -> None:
    lf = parsed(b"A headline\n\nThe first   paragraph.\n\nThe second paragraph.\n")
    crlf = parsed(b"A headline\r\n\r\nThe first paragraph.\r\n\r\nThe second paragraph.\r\n")
    assert crlf.id == lf.id


def test_front_matter_without_url_is_identified_by_content() -> None:
    a = parsed(front("title: Same\nexcerpt: one"))
    b = parsed(front("title: Same\nexcerpt: two"))
    a_again = parsed(front("title: Same\nexcerpt: one\ntype: article"))
    assert a.id != b.id
    assert a_again.id == a.id


# --------------------------------------------------------------------------- the corpus


def _corpus_documents(corpus_dir: Path) -> list:
    return [parse_path(path) for path in iter_document_paths([corpus_dir])]


def test_every_corpus_document_parses(corpus_dir: Path) -> None:
    docs = _corpus_documents(corpus_dir)
    problems = [doc for doc in docs if isinstance(doc, Problem)]
    assert problems == []
    assert len(docs) == 100  # 96 news documents and 4 taxonomy files; SOURCE.md is a folder note
    assert not any(Path(doc.path).name == "SOURCE.md" for doc in docs)
    articles = [doc for doc in docs if isinstance(doc, Article)]
    assert len(articles) == 96
    # One story was saved twice, a day apart, with the same link: one id for both.
    assert len({doc.id for doc in articles}) == 95
    twice = [doc for doc in articles if "google-cloud-team-releases-automl-natural-language" in doc.path]
    assert [Path(doc.path).name[:10] for doc in twice] == ["2019-12-24", "2019-12-25"]
    assert twice[0].id == twice[1].id
    assert twice[0].url == "https://www.infoq.com/news/2019/12/google-cloud-automl/"
    for doc in articles:
        assert doc.kind is Kind.NEWS
        assert doc.title
        assert doc.published is not None
        assert doc.published.tzinfo is not None
        assert doc.published.utcoffset().total_seconds() == 0
        assert is_safe_link(doc.url), doc.path
        assert doc.provider is not None and doc.provider.name
        assert "secured" not in doc.extra
        assert HEX16.fullmatch(doc.id)


def test_corpus_taxonomies(corpus_dir: Path) -> None:
    by_name = {Path(doc.path).name: doc for doc in _corpus_documents(corpus_dir) if isinstance(doc, Taxonomy)}
    assert sorted(by_name) == ["00-ai.yaml", "nlp.yaml", "techcrunch.com.md", "theguardian.com"]
    ai = by_name["00-ai.yaml"]
    assert (ai.taxonomy, ai.name, ai.id) == ("topic", "AI", "topic:ai")
    assert ai.keywords == ("artificial intelligence", "ai")
    assert ai.kind is Kind.TAXONOMY
    nlp = by_name["nlp.yaml"]  # no name: the _id stands in
    assert (nlp.taxonomy, nlp.name, nlp.id) == ("tag", "nlp", "tag:nlp")
    assert nlp.parents == ("artificial-intelligence",)
    assert nlp.description is not None and nlp.description.startswith("Natural language processing (NLP) is a")
    techcrunch = by_name["techcrunch.com.md"]
    assert (techcrunch.taxonomy, techcrunch.name, techcrunch.domain) == ("organization", "TechCrunch", "techcrunch.com")
    guardian = by_name["theguardian.com"]  # no suffix, front matter
    assert (guardian.taxonomy, guardian.name, guardian.domain) == ("organization", "The Guardian", "theguardian.com")
    assert guardian.description is None


def test_corpus_original_url_wins_and_the_other_link_is_kept(corpus_dir: Path) -> None:
    doc = parse_path(corpus_dir / "2019-06-28-police-body-camera-maker-decides-against-using-facial-recognition.md")
    assert isinstance(doc, Article), doc
    assert doc.title == "Police Body Camera Maker Decides Against Using Facial Recognition"
    assert doc.url == "https://futurism.com/police-body-camera-facial-recognition"
    assert doc.extra["webUrl"] == (
        "https://www.aclu.org/blog/privacy-technology/surveillance-technologies/amazons-face-recognition-falsely-matched-28"
    )
    assert doc.published == utc(2019, 6, 27, 18, 36)
    assert doc.provider == Provider(name="Futurism", domain="futurism.com")
    assert doc.topics == ("AI", "Computer Vision")
    assert doc.images == (
        Image(url="https://www.aclu.org/sites/default/files/field_image/featured_image.jpg", width=1160, height=768),
    )
    assert doc.related == ()
    assert doc.quality is None and doc.heat is None and doc.featured is False


def test_corpus_same_original_and_web_url_is_not_repeated_in_extra(corpus_dir: Path) -> None:
    doc = parse_path(corpus_dir / "2021-03-02-rbac-support-is-now-generally-available-on-azure-machine-learning.md")
    assert isinstance(doc, Article), doc
    assert doc.url == "https://www.neowin.net/news/rbac-support-is-now-generally-available-on-azure-machine-learning/"
    assert "webUrl" not in doc.extra
    assert "originalUrl" not in doc.extra


def test_corpus_html_entities_in_urls_are_decoded(corpus_dir: Path) -> None:
    doc = parse_path(corpus_dir / "2021-12-07-inside-tesla-as-elon-musk-pushed-an-unflinching-vision-for-self-driving-cars.md")
    assert isinstance(doc, Article), doc
    assert doc.topics == ("AI in Autos", "AI")
    assert len(doc.related) == 10
    mercury = doc.related[2]
    assert mercury.provider == Provider(name="Mercury News", domain="mercurynews.com")
    assert mercury.images[0].url == (
        "https://www.mercurynews.com/wp-content/uploads/2021/11/SJM-Z-WALTERS-OPED-1102.jpg?w=1024&h=783"
    )
    assert doc.related[3].images[0].url.endswith("SJM-Z-WALTERS-OPED-1102-1.jpg?w=1024&h=783")
    assert doc.related[3].images[0].height == 782
    assert doc.quality == 56 and doc.heat == -1


# --------------------------------------------------------------------------- broken input


def _alias_bomb() -> bytes:
    lines = ["title: Harmless title", 'lol0: &lol0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 10):
        refs = ", ".join([f"*lol{level - 1}"] * 9)
        lines.append(f"lol{level}: &lol{level} [{refs}]")
    return ("---\n" + "\n".join(lines) + "\n---\n").encode()


BROKEN = [
    ("empty", b"", "empty file"),
    ("only-blank-space", b"  \n\t\n   \n", "only blank space"),
    ("only-dashes", b"---\n", "never closed"),
    ("only-dashes-no-newline", b"---", "never closed"),
    ("never-closed", b"---\ntitle: An article\nexcerpt: text\n\nThe body.\n", "never closed"),
    ("list", front("- one\n- two"), "front matter is a list, not a set of fields"),
    ("scalar", front("just some words"), "front matter is text, not a set of fields"),
    ("number", front("42"), "front matter is a number"),
    ("empty-front-matter", b"---\n---\nbody\n", "front matter is empty"),
    ("blank-front-matter", b"---\n\n   \n---\nbody\n", "front matter is empty"),
    ("null-front-matter", front("~"), "front matter is empty"),
    ("missing-title", front("excerpt: no title here"), "title is missing"),
    ("empty-title", front("title: ''"), "title is missing"),
    ("blank-title", front("title: '   '"), "title is missing"),
    ("utf-16-le-bom", "---\ntitle: x\n---\n".encode("utf-16"), "UTF-16"),
    ("utf-16-be-bom", b"\xfe\xff" + "---\ntitle: x\n---\n".encode("utf-16-be"), "UTF-16"),
    ("utf-16-no-bom", "A headline\n\ntext".encode("utf-16-le"), "encoded as UTF-16"),
    ("utf-16-be-no-bom", "---\ntitle: Café\n---\n".encode("utf-16-be"), "encoded as UTF-16"),
    ("16-bit-numbers", bytes(range(256)) * 4, "NUL bytes"),
    ("png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(40), "PNG image"),
    ("jpeg", b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(20), "JPEG image"),
    ("zip", b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(40), "zip archive"),
    ("pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF file"),
    ("nul-bytes", b"A headline\n\nSome text\x00\x00\x00 more text", "NUL bytes"),
    ("title-number", front("title: 42"), "title is a number, not text"),
    ("title-list", front("title: [one, two]"), "title is a list, not text"),
    ("title-mapping", front("title: {a: b}"), "title is a set of fields, not text"),
    ("title-bool", front("title: yes"), "title is true/false, not text"),
    ("topics-string", front("title: t\ntopics: AI"), "topics is text, not a list"),
    ("topics-item-list", front("title: t\ntopics: [[AI]]"), "topics item 1 is a list"),
    ("images-mapping", front("title: t\nimages: {url: 'https://x.com/a.jpg'}"), "images is a set of fields, not a list"),
    ("images-item-number", front("title: t\nimages: [7]"), "images item 1 is a number"),
    ("image-width-text", front("title: t\nimages: [{url: a.jpg, width: wide}]"), "images item 1 width: 'wide'"),
    ("quality-high", front("title: t\nquality: high"), "quality: 'high' is not a whole number"),
    ("quality-fraction", front("title: t\nquality: 2.5"), "quality: '2.5' is not a whole number"),
    ("quality-bool", front("title: t\nquality: true"), "quality is true/false, not a number"),
    ("heat-list", front("title: t\nheat: [1]"), "heat: '[1]' is not a whole number"),
    ("published-text", front("title: t\npublished: maybe"), "published: 'maybe' is not true or false"),
    ("date-yesterday", front("title: t\npublishedDateTime: yesterday"), "publishedDateTime: 'yesterday' is not a date"),
    ("date-2020-13-45", front("title: t\npublishedDateTime: 2020-13-45"), "line 3: '2020-13-45' is not a date (month must be in 1..12)"),
    ("date-2020-13-45-quoted", front("title: t\npublishedDateTime: '2020-13-45'"), "'2020-13-45' is not a date"),
    ("date-number", front("title: t\npublishedDateTime: 1580943360"), "publishedDateTime is a number, not a date"),
    ("provider-list", front("title: t\nprovider: [BBC]"), "provider is a list"),
    ("related-text", front("title: t\nrelated: [something]"), "related item 1 is text, not a set of fields"),
    ("related-date", front("title: t\nrelated: [{title: r, publishedDateTime: soon}]"), "related item 1 publishedDateTime"),
    ("url-number", front("title: t\nwebUrl: 12"), "webUrl is a number, not text"),
    ("long-title", front("title: " + "a" * 100_000), "title is 100,000 characters long"),
    ("python-tag", front("title: t\nx: !!python/object/apply:os.system ['true']"), "could not determine a constructor"),
    ("int-tag-empty", front("title: t\nx: !!int ''"), "line 3: '' is not a whole number"),
    ("int-tag-sign", front("title: t\nx: [1, !!int '-']"), "line 3: '-' is not a whole number"),
    ("float-tag-empty", front("title: t\nx: !!float ''"), "line 3: '' is not a number"),
    ("bool-tag-maybe", front("title: t\nx: !!bool maybe"), "line 3: 'maybe' is not true or false"),
    ("timestamp-tag-text", front("title: t\n\nx: !!timestamp yesterday"), "line 4: 'yesterday' is not a date"),
    ("unhashable-key", front("title: t\n? [a, b]\n: c"), "unhashable key"),
    ("taxonomy-without-name", front("taxonomy: topic\ndescription: d"), "topic definition without a name or _id"),
    ("alias-bomb", _alias_bomb(), "alias bomb"),
    ("self-referencing-alias", front("title: t\nloop: &a [*a]"), "nested too deeply"),
    ("flow-nesting-10000", front("title: t\nx: " + "[" * 10_000 + "]" * 10_000), "nested too deeply"),
    ("flow-nesting-unclosed", front("title: t\nx: " + "[" * 10_000), "nested too deeply"),
    ("mapping-nesting-10000", front("title: t\nx: " + "{a: " * 10_000 + "}" * 10_000), "nested too deeply"),
    ("block-nesting", front("title: t\nx:\n" + "".join(" " * i + "k:\n" for i in range(1, 400))), "nested too deeply"),
    ("compact-nesting-50000", front("title: t\nx:\n  " + "- " * 50_000 + "deep"), "nested too deeply"),
    ("compact-nesting-top-level", front("- " * 50_000 + "deep"), "nested too deeply"),
    ("question-mark-nesting", front("? " * 50_000 + "deep"), "nested too deeply"),
]


@pytest.mark.parametrize(("data", "expected"), [case[1:] for case in BROKEN], ids=[case[0] for case in BROKEN])
def test_broken_input_is_a_problem(data: bytes, expected: str) -> None:
    started = time.perf_counter()
    reason = problem(data)
    assert time.perf_counter() - started < 2.0
    assert expected in reason
    assert "\n" not in reason and reason.strip() == reason


def test_the_alias_bomb_is_refused_quickly() -> None:
    started = time.perf_counter()
    reason = problem(_alias_bomb())
    assert time.perf_counter() - started < 0.5
    assert "more than 20,000 values" in reason


def test_an_alias_bomb_inside_the_modelled_fields_is_refused_quickly() -> None:
    # 1,500 related entries that all share one list of 1,500 images: 2,250,000 images if built.
    images = ", ".join(["{url: 'https://x.com/i.jpg'}"] * 1500)
    related = ", ".join(["*r"] * 1500)
    data = front(f"title: t\nimages: &i [{images}]\nrelated: [&r {{title: r, images: *i}}, {related}]")
    started = time.perf_counter()
    reason = problem(data)
    assert time.perf_counter() - started < 2.0
    assert "alias bomb" in reason


def test_a_provider_icon_alias_bomb_is_refused_quickly() -> None:
    icons = ", ".join(["{url: 'https://x.com/i.jpg'}"] * 1500)
    related = ", ".join(["*r"] * 1500)
    data = front(f"title: t\nprovider: &p {{name: P, images: [{icons}]}}\nrelated: [&r {{title: r, provider: *p}}, {related}]")
    started = time.perf_counter()
    reason = problem(data)
    assert time.perf_counter() - started < 2.0
    assert "alias bomb" in reason


# Inputs that used to overflow libyaml's C stack (a segfault takes the whole process with it,
# so they run in a child process).
CRASHERS = [
    ("flow-100000", "deep.md", "'---\\ntitle: t\\nx: ' + '[' * 100_000 + ']' * 100_000 + '\\n---\\n'"),
    ("flow-100000-unclosed", "deep.md", "'---\\nx: ' + '[' * 100_000 + '\\n---\\n'"),
    ("mapping-100000", "deep.md", "'---\\ntitle: t\\nx: ' + '{a: ' * 100_000 + '}' * 100_000 + '\\n---\\n'"),
    ("compact-100000", "deep.md", "'---\\nx:\\n  ' + '- ' * 100_000 + 'deep\\n---\\n'"),
    ("yaml-file-flow-100000", "deep.yaml", "'x: ' + '[' * 100_000"),
]


@pytest.mark.parametrize(("path", "expression"), [case[1:] for case in CRASHERS], ids=[case[0] for case in CRASHERS])
def test_very_deep_nesting_does_not_crash(path: str, expression: str) -> None:
    code = (
        "from reader.documents import parse_bytes\n"
        f"doc = parse_bytes(({expression}).encode(), {path!r})\n"
        "print(type(doc).__name__, getattr(doc, 'reason', ''))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr  # a negative code is a crash (-11: segfault)
    assert result.stdout.startswith("Problem ")
    assert "nested too deeply" in result.stdout


def test_yaml_syntax_error_names_the_file_line() -> None:
    data = (
        b"---\n"  # 1
        b"title: Fine\n"  # 2
        b"excerpt: Also fine\n"  # 3
        b"provider:\n"  # 4
        b"  name: BBC\n"  # 5
        b"topics: [AI\n"  # 6
        b"quality: 3\n"  # 7  <- the unclosed list is noticed here
        b"---\n"
        b"Body text.\n"
    )
    reason = problem(data)
    assert reason.startswith("line 7: "), reason


def test_yaml_syntax_error_line_of_a_bad_mapping() -> None:
    data = b"---\ntitle: Fine\nexcerpt: one: two\n---\n"
    assert problem(data).startswith("line 3: ")


def test_yaml_syntax_error_line_with_crlf_and_bom() -> None:
    data = b"\xef\xbb\xbf---\r\ntitle: Fine\r\nexcerpt: x\r\nheat: 1\r\nexcerpt2: one: two\r\n---\r\n"
    assert problem(data).startswith("line 5: ")


def test_yaml_syntax_error_line_after_unicode_line_separators() -> None:
    # YAML counts U+2028 and U+0085 as line breaks; the reason must still name the file line.
    data = front('title: "one\u2028two\x85three"\nexcerpt: fine\nbad: one: two')
    assert problem(data).startswith("line 4: ")


def test_yaml_syntax_error_line_in_a_yaml_file() -> None:
    # A whole-YAML file has no opening '---': its first line is line 1.
    assert problem(b"taxonomy: topic\nname: AI\ndescription: a: b\n", "topic.yml").startswith("line 3: ")


def test_tab_indentation_is_explained() -> None:
    data = b"---\ntitle: Fine\nprovider:\n\tname: BBC\n---\n"
    reason = problem(data)
    assert reason.startswith("line 4: ")
    assert "tab" in reason


def test_invalid_utf8_names_the_line() -> None:
    data = b"---\ntitle: Caf\xc3\xa9 fine\nexcerpt: caf\xe9 latin-1\n---\n"
    reason = problem(data)
    assert "UTF-8" in reason
    assert "line 3" in reason
    assert "0xE9" in reason


def test_invalid_utf8_names_the_line_with_crlf_and_lone_cr_endings() -> None:
    crlf = b"---\r\ntitle: t\r\nexcerpt: x\r\nbad: \xff\r\n---\r\n"
    lone_cr = b"---\rtitle: t\rexcerpt: x\rbad: \xff\r---\r"
    assert "line 4" in problem(crlf)
    assert "line 4" in problem(lone_cr)


def test_out_of_range_dates_are_undated_not_a_crash() -> None:
    # Valid ISO dates that cannot be expressed in UTC by Python's datetime: placeholders at
    # the calendar's ends, like 0001-01-01T00:00:00Z itself, so no date (and a note says so).
    for value in ("'0001-01-01T00:00:00+01:00'", "0001-01-01T00:00:00+01:00", "'9999-12-31T23:59:59-01:00'"):
        doc = parsed(front(f"title: t\npublishedDateTime: {value}"))
        assert doc.published is None
        (note,) = doc.notes
        assert note.startswith("publishedDateTime: ") and note.endswith("is a placeholder, not a date (years 2 to 9998 are dates): undated")


def test_a_bad_port_in_a_url_does_not_break_the_document() -> None:
    for url in ("http://example.com:abc/x", "http://example.com:99999/x"):
        doc = parsed(front(f"title: t\nwebUrl: '{url}'"))
        assert doc.url == url
        assert HEX16.fullmatch(doc.id)


def test_multi_line_values_still_give_a_one_line_reason() -> None:
    reason = problem(front('title: t\nquality: "very\\nhigh"'))
    assert "\n" not in reason
    assert "quality" in reason


# --------------------------------------------------------------------------- odd but fine


def test_crlf_line_endings() -> None:
    lf = parsed(b"---\ntitle: A title\nexcerpt: An excerpt\nwebUrl: https://x.com/a\n---\nBody line one\nline two\n")
    crlf = parsed(b"---\r\ntitle: A title\r\nexcerpt: An excerpt\r\nwebUrl: https://x.com/a\r\n---\r\nBody line one\r\nline two\r\n")
    assert (crlf.title, crlf.excerpt, crlf.url, crlf.body) == ("A title", "An excerpt", "https://x.com/a", "Body line one\nline two")
    assert crlf.id == lf.id


def test_lone_cr_line_endings() -> None:
    doc = parsed(b"---\rtitle: A title\rtopics:\r  - AI\r  - Robots\r---\rBody line one\rline two\r")
    assert doc.kind is Kind.NEWS
    assert doc.title == "A title"
    assert doc.topics == ("AI", "Robots")
    assert doc.body == "Body line one\nline two"


def test_lone_cr_plain_text() -> None:
    doc = parsed(b"A headline\r\rFirst paragraph.\rSecond line.\r")
    assert doc.kind is Kind.TEXT
    assert doc.title == "A headline"
    assert doc.body == "First paragraph.\nSecond line."


def test_utf8_byte_order_mark() -> None:
    doc = parsed(b"\xef\xbb\xbf---\ntitle: With a BOM\n---\n")
    assert doc.kind is Kind.NEWS
    assert doc.title == "With a BOM"
    text = parsed(b"\xef\xbb\xbfPlain headline\n\nBody.")
    assert text.title == "Plain headline"


def test_control_characters_in_a_title_become_spaces() -> None:
    raw = parsed(b'---\ntitle: "Big\x01news\x1btoday\x7f!"\n---\n')
    assert raw.title == "Big news today !"
    escaped = parsed(b'---\ntitle: "Big\\x01news\\ttoday\\x85!"\n---\n')
    assert escaped.title == "Big news today !"
    plain = parsed(b"Big\x02news\x03today\n\nThe text.")
    assert plain.title == "Big news today"


def test_line_breaks_only_yaml_sees_do_not_split_an_unquoted_title() -> None:
    # YAML 1.1 ends a line at NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR; the file does not.
    for char in ("\x85", "\u2028", "\u2029"):
        doc = parsed(f"---\ntitle: Big{char}news\nexcerpt: one{char}two\n---\n".encode())
        assert (doc.title, doc.excerpt) == ("Big news", "one two"), repr(char)


def test_a_document_of_only_control_characters_has_no_title_to_show() -> None:
    doc = parse_bytes(b"\x01\x02\x03\n\x04", "doc.txt")
    assert isinstance(doc, Problem)
    assert "no text" in doc.reason
    # A line of control characters before the headline is not the headline.
    text = parsed(b"\x01\x02\nThe real headline\n\nThe text.")
    assert text.title == "The real headline"


def test_right_to_left_titles_are_kept() -> None:
    title = "الذكاء الاصطناعي يكتب الأخبار GPT-4 בינה מלאכותית"
    doc = parsed(front(f'title: "{title}"'))
    assert doc.title == title
    plain = parsed(f"{title}\n\nטקסט.".encode())
    assert plain.title == title


def test_front_matter_closed_with_dots_and_trailing_spaces() -> None:
    dots = parsed(b"---\ntitle: Dots\n...\nThe body.\n")
    assert (dots.title, dots.body) == ("Dots", "The body.")
    spaces = parsed(b"---  \ntitle: Spaces\n---   \nThe body.\n")
    assert (spaces.title, spaces.body) == ("Spaces", "The body.")


def test_body_after_front_matter_is_kept() -> None:
    doc = parsed(b"---\ntitle: T\n---\n\n\nFirst paragraph.\n\nSecond paragraph.\n\n")
    assert doc.body == "First paragraph.\n\nSecond paragraph."


def test_unmodelled_values_are_kept_as_json() -> None:
    doc = parsed(
        front(
            """
            title: T
            when: 2020-02-05T22:56:00Z
            day: 2020-02-05
            binary: !!binary aGVsbG8=
            infinite: .inf
            tags: !!set {a, b}
            nested: {a: [1, 2.5, null, true]}
            5: five
            secured: "opaque"
            """
        )
    )
    assert doc.extra["when"] == "2020-02-05T22:56:00+00:00"
    assert doc.extra["day"] == "2020-02-05"
    assert doc.extra["binary"] == "<5 bytes of binary data>"
    assert doc.extra["infinite"] == "inf"
    assert sorted(doc.extra["tags"]) == ["a", "b"]  # type: ignore[arg-type]
    assert doc.extra["nested"] == {"a": [1, 2.5, None, True]}
    assert doc.extra["5"] == "five"
    assert "secured" not in doc.extra
    with pytest.raises(TypeError):
        doc.extra["new"] = 1  # type: ignore[index]


def test_dates_become_aware_utc() -> None:
    cases = {
        "2020-02-05T22:56:00Z": utc(2020, 2, 5, 22, 56),
        "'2020-02-05T22:56:00Z'": utc(2020, 2, 5, 22, 56),
        "'2020-02-05T23:56:00+01:00'": utc(2020, 2, 5, 22, 56),
        "2020-02-05T17:56:00-05:00": utc(2020, 2, 5, 22, 56),
        "'2020-02-05 22:56'": utc(2020, 2, 5, 22, 56),
        "2020-02-05": utc(2020, 2, 5),
        "''": None,
        "": None,
    }
    for written, expected in cases.items():
        doc = parsed(front(f"title: t\npublishedDateTime: {written}"))
        assert doc.published == expected, written
        if expected is not None:
            assert doc.published.utcoffset().total_seconds() == 0


def test_field_shapes_that_are_accepted() -> None:
    doc = parsed(
        front(
            """
            title: "  Spaced   out\ttitle  "
            provider: BBC
            topics: [AI, "  AI ", Robots, "", ~]
            images: ["https://x.com/a.jpg", {url: ""}, {url: "https://x.com/b.jpg", width: "640", height: 480.0}]
            related: [{webUrl: "https://y.com/r"}, {}]
            quality: "42"
            heat: ""
            published: yes
            """
        )
    )
    assert doc.title == "Spaced out title"
    assert doc.provider == Provider(name="BBC")
    assert doc.topics == ("AI", "Robots")
    assert doc.images == (Image(url="https://x.com/a.jpg"), Image(url="https://x.com/b.jpg", width=640, height=480))
    assert len(doc.related) == 1
    assert doc.related[0].title == "https://y.com/r"  # no title: the link stands in
    assert doc.quality == 42
    assert doc.heat is None
    assert doc.featured is True


def test_url_precedence_and_alternatives() -> None:
    doc = parsed(
        front(
            """
            title: t
            url: https://d.com/x
            sourceUrl: https://c.com/x
            webUrl: https://b.com/x
            originalUrl: https://a.com/x
            ampUrl: https://a.com/x/amp2
            ampWebUrl: https://a.com/x/amp
            """
        )
    )
    assert doc.url == "https://a.com/x"
    assert doc.amp_url == "https://a.com/x/amp"
    assert doc.extra["webUrl"] == "https://b.com/x"
    assert doc.extra["sourceUrl"] == "https://c.com/x"
    assert doc.extra["url"] == "https://d.com/x"


def test_a_yaml_file_is_read_whole() -> None:
    doc = parse_bytes(b"taxonomy: tag\n_id: robots\nname: Robots\nkeywords: robot\n", "robots.YML")
    assert isinstance(doc, Taxonomy)
    assert (doc.taxonomy, doc.name, doc.id, doc.keywords) == ("tag", "Robots", "tag:robots", ("robot",))
    # The same text in a file that is not .yaml is plain text.
    text = parse_bytes(b"taxonomy: tag\n_id: robots\nname: Robots\n", "robots.txt")
    assert isinstance(text, Article) and text.kind is Kind.TEXT


def test_a_plain_text_that_starts_with_a_rule_later_is_text() -> None:
    doc = parsed(b"Headline\n---\nBody text.\n")
    assert doc.kind is Kind.TEXT
    assert doc.title == "Headline"


# --------------------------------------------------------------------------- files on disk


def test_parse_path_missing_file(tmp_path: Path) -> None:
    doc = parse_path(tmp_path / "gone.md")
    assert isinstance(doc, Problem)
    assert doc.path == str(tmp_path / "gone.md")
    assert "disappeared" in doc.reason


def test_parse_path_folder(tmp_path: Path) -> None:
    doc = parse_path(tmp_path)
    assert isinstance(doc, Problem)
    assert "folder" in doc.reason


def test_parse_path_too_large_is_refused_without_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    big = tmp_path / "big.md"
    with open(big, "wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)  # sparse: nothing is written
    opened: list[object] = []
    monkeypatch.setattr(documents, "open", lambda *a, **k: opened.append(a) or open(*a, **k), raising=False)
    started = time.perf_counter()
    doc = parse_path(big)
    assert time.perf_counter() - started < 0.5
    assert isinstance(doc, Problem)
    assert "too large" in doc.reason
    assert "5.0 MB" in doc.reason
    assert opened == []
    # The spy does see the files parse_path reads.
    small = tmp_path / "small.md"
    small.write_text("Headline\n\nText.")
    assert isinstance(parse_path(small), Article)
    assert len(opened) == 1


def test_parse_path_file_exactly_at_the_limit_is_read(tmp_path: Path) -> None:
    doc_path = tmp_path / "limit.txt"
    doc_path.write_bytes(b"Headline\n\n" + b"x" * (MAX_FILE_BYTES - 10))
    assert doc_path.stat().st_size == MAX_FILE_BYTES
    doc = parse_path(doc_path)
    assert isinstance(doc, Article), doc
    assert doc.title == "Headline"


def _stat_says(monkeypatch: pytest.MonkeyPatch, path: Path, size: int) -> None:
    """Make os.stat report ``size`` for ``path``: the file changes between stat and read."""
    real_stat = os.stat

    def stat(name: object, *args: object, **kwargs: object) -> os.stat_result:
        info = real_stat(name, *args, **kwargs)  # type: ignore[arg-type]
        if not isinstance(name, (str, os.PathLike)) or os.fspath(name) != str(path):
            return info
        fields = list(info)
        fields[6] = size  # st_size
        return os.stat_result(fields)

    monkeypatch.setattr(os, "stat", stat)


def test_parse_path_reads_all_of_a_file_that_grew_since_stat(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    doc_path = tmp_path / "growing.md"
    doc_path.write_bytes(b"---\ntitle: Grown\n---\n" + b"More text. " * 1000)
    _stat_says(monkeypatch, doc_path, 10)
    doc = parse_path(doc_path)
    assert isinstance(doc, Article), doc
    assert doc.title == "Grown"
    assert doc.body == "More text. " * 1000


def test_parse_path_refuses_a_file_that_grew_past_the_limit_since_stat(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = tmp_path / "big.md"
    with open(big, "wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 100)
    _stat_says(monkeypatch, big, 10)
    doc = parse_path(big)
    assert isinstance(doc, Problem)
    assert doc.reason == "too large: more than 5.0 MB"


def test_parse_path_device_is_not_a_regular_file(tmp_path: Path) -> None:
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero")
    link = tmp_path / "zero.md"
    link.symlink_to("/dev/zero")
    started = time.perf_counter()
    doc = parse_path(link)
    assert time.perf_counter() - started < 0.5
    assert isinstance(doc, Problem)
    assert "not a regular file" in doc.reason


def test_parse_path_fifo_is_not_read(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    doc = parse_path(fifo)  # opening a FIFO would block forever
    assert isinstance(doc, Problem)
    assert "not a regular file" in doc.reason


def test_parse_path_symlink_loop(tmp_path: Path) -> None:
    (tmp_path / "a.md").symlink_to(tmp_path / "b.md")
    (tmp_path / "b.md").symlink_to(tmp_path / "a.md")
    doc = parse_path(tmp_path / "a.md")
    assert isinstance(doc, Problem)
    assert "loops" in doc.reason


def test_parse_path_follows_a_good_symlink(tmp_path: Path, seeds_dir: Path) -> None:
    link = tmp_path / "link.md"
    link.symlink_to(seeds_dir / SEED_004)
    doc = parse_path(link)
    assert isinstance(doc, Article)
    assert doc.path == str(link)
    assert doc.title == "Twitter demands AI company stops 'collecting faces'"


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read a file with mode 000")
def test_parse_path_unreadable_file(tmp_path: Path) -> None:
    locked = tmp_path / "locked.md"
    locked.write_text("---\ntitle: secret\n---\n")
    locked.chmod(0)
    try:
        doc = parse_path(locked)
    finally:
        locked.chmod(0o644)
    assert isinstance(doc, Problem)
    assert "permission denied" in doc.reason


def test_parse_path_accepts_str_and_pathlike(seeds_dir: Path) -> None:
    as_str = parse_path(str(seeds_dir / SEED_000))
    as_path = parse_path(seeds_dir / SEED_000)
    assert isinstance(as_str, Article) and isinstance(as_path, Article)
    assert as_str.path == as_path.path == str(seeds_dir / SEED_000)


# --------------------------------------------------------------------------- properties

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _check_document(doc: object, path: str) -> None:
    assert isinstance(doc, (Article, Taxonomy, Problem))
    assert doc.path == path
    if isinstance(doc, Problem):
        assert doc.reason
        assert "\n" not in doc.reason
        assert "could not be read (" not in doc.reason, doc.reason  # that would be a bug in the parser
    elif isinstance(doc, Article):
        assert HEX16.fullmatch(doc.id)
        assert doc.title and doc.title == doc.title.strip()
        assert not _CONTROL.search(doc.title)
        assert len(doc.title) <= documents.MAX_TITLE_CHARS
        if doc.published is not None:
            assert doc.published.utcoffset().total_seconds() == 0
    else:
        assert doc.name


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_raise(data: bytes) -> None:
    _check_document(parse_bytes(data, "fuzz.md"), "fuzz.md")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=500).map(lambda text: "---\n" + text + "\n---\n" + text))
def test_arbitrary_text_in_front_matter_never_raises(text: str) -> None:
    _check_document(parse_bytes(text.encode("utf-8", "surrogatepass"), "fuzz.md"), "fuzz.md")


KNOWN_KEYS = [
    "title",
    "excerpt",
    "publishedDateTime",
    "originalUrl",
    "webUrl",
    "sourceUrl",
    "url",
    "ampWebUrl",
    "ampUrl",
    "quality",
    "heat",
    "published",
    "provider",
    "topics",
    "images",
    "related",
    "secured",
    "taxonomy",
    "name",
    "_id",
    "domain",
    "keywords",
    "parents",
    "description",
    "width",
    "height",
]

_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(["2020-02-05T22:56:00Z", "2020-13-45", "https://www.example.com/a?utm_source=x", "yesterday"]),
)
_keys = st.one_of(st.sampled_from(KNOWN_KEYS), st.text(max_size=10))
_values = st.recursive(
    _scalars,
    lambda children: st.one_of(st.lists(children, max_size=3), st.dictionaries(_keys, children, max_size=3)),
    max_leaves=8,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.dictionaries(_keys, _values, max_size=6),
    st.one_of(st.none(), st.text(min_size=1, max_size=20)),
    st.sampled_from(["doc.md", "doc.yaml"]),
)
def test_random_front_matter_never_raises(fields: dict, title: str | None, path: str) -> None:
    if title is not None:  # often a usable title, so the other fields get read too
        fields["title"] = title
    dumped = yaml.safe_dump(fields, allow_unicode=True)
    data = dumped if path.endswith(".yaml") else "---\n" + dumped + "---\nBody.\n"
    _check_document(parse_bytes(data.encode("utf-8", "surrogatepass"), path), path)


#: Fields of the values inside a document (provider, images, related entries).
INNER_FIELDS = [
    "title", "name", "domain", "url", "webUrl", "originalUrl", "width", "height", "images", "provider",
    "publishedDateTime", "quality", "excerpt",
]  # fmt: skip
TAXONOMY_FIELDS = ["taxonomy", "name", "_id", "domain", "description", "keywords", "parents"]

_zones = st.integers(-(24 * 60 - 1), 24 * 60 - 1).map(lambda minutes: timezone(timedelta(minutes=minutes)))
_dates = st.one_of(st.dates(), st.datetimes(), st.datetimes(timezones=_zones))
_odd_text = st.sampled_from(
    ["", "   ", "yesterday", "2020-13-45", "2020-02-05T22:56:00Z", "0001-01-01T00:00:00+01:00", "high", "42", " 7 ",
     "1e400", "https://www.example.com/a?utm_source=x#top", "javascript:alert(1)", "~", "yes", "\t", "\x00\x1b\x85"]
)  # fmt: skip
_any_leaf = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    _dates,
    _odd_text,
)
_inner_keys = st.one_of(st.sampled_from(INNER_FIELDS), st.text(max_size=8), st.integers(), st.none(), st.dates())
#: Any YAML value: scalars of every type, lists and mappings nested a few levels.
_any_value = st.recursive(
    _any_leaf,
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(_inner_keys, children, max_size=5)),
    max_leaves=12,
)


def _or_anything(shape: st.SearchStrategy[object]) -> st.SearchStrategy[object]:
    """Usually a value of the right shape (so the parser goes on to the next field), else
    anything at all."""
    return st.one_of(shape, shape, _any_value)


_text = st.one_of(st.text(min_size=1, max_size=40), _odd_text)
_url = st.one_of(st.sampled_from(["https://news.example/a", "http://x.example:99999/b", "//x", "ftp://y/z"]), _text)
_image = _or_anything(
    st.one_of(
        _url,
        st.fixed_dictionaries({"url": _or_anything(_url)}, optional={"width": _any_leaf, "height": _any_leaf, "title": _any_leaf}),
    )
)
_provider = _or_anything(
    st.one_of(
        _text,
        st.fixed_dictionaries(
            {}, optional={"name": _or_anything(_text), "domain": _or_anything(_text), "images": st.lists(_image, max_size=2)}
        ),
    )
)
_related = _or_anything(
    st.fixed_dictionaries(
        {},
        optional={
            "title": _or_anything(_text), "webUrl": _or_anything(_url), "originalUrl": _any_leaf, "excerpt": _any_leaf,
            "publishedDateTime": _or_anything(_dates), "provider": _provider, "quality": _any_leaf,
            "images": _or_anything(st.lists(_image, max_size=2)),
        },
    )
)  # fmt: skip
#: Every field a news document may have, each usually of its shape, else of any type.
NEWS_FIELDS: dict[str, st.SearchStrategy[object]] = {
    "title": _or_anything(_text),
    "excerpt": _or_anything(_text),
    "publishedDateTime": _or_anything(st.one_of(_dates, _dates.map(str))),
    **{key: _or_anything(_url) for key in ("webUrl", "sourceUrl", "originalUrl", "url", "ampWebUrl", "ampUrl")},
    "provider": _provider,
    "topics": _or_anything(st.lists(_text, max_size=4)),
    "images": _or_anything(st.lists(_image, max_size=3)),
    "related": _or_anything(st.lists(_related, max_size=3)),
    "quality": _or_anything(st.integers()),
    "heat": _or_anything(st.integers()),
    "published": _or_anything(st.booleans()),
    "secured": _any_value,
    "category": _any_value,
}


@st.composite
def _front_matter(draw: st.DrawFn) -> dict[object, object]:
    keys = draw(st.lists(st.sampled_from(sorted(NEWS_FIELDS)), unique=True, max_size=len(NEWS_FIELDS)))
    fields: dict[object, object] = {key: draw(NEWS_FIELDS[key]) for key in keys}
    if draw(st.integers(0, 9)) < 8:  # usually a title that can be read, so the other fields are too
        fields["title"] = draw(st.text(min_size=1, max_size=40).filter(str.strip))
    if draw(st.integers(0, 9)) == 7:  # now and then a taxonomy definition
        fields.update(draw(st.dictionaries(st.sampled_from(TAXONOMY_FIELDS), _or_anything(_text), min_size=1, max_size=5)))
    fields.update(draw(st.dictionaries(st.text(max_size=10), _any_value, max_size=2)))
    if fields and draw(st.integers(0, 9)) >= 7:  # one value under several keys: YAML writes an alias
        shared = draw(_any_value)
        for key in draw(st.lists(st.sampled_from(sorted(NEWS_FIELDS) + INNER_FIELDS), min_size=2, max_size=4)):
            fields[key] = shared
    return fields


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(_front_matter(), st.sampled_from(["doc.md", "doc.yaml"]), st.sampled_from([False, True, None]))
def test_known_fields_with_random_types_and_values_never_raise(
    fields: dict[object, object], path: str, flow: bool | None
) -> None:
    dumped = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False, default_flow_style=flow)
    data = dumped if path.endswith(".yaml") else "---\n" + dumped + "---\nBody.\n"
    doc = parse_bytes(data.encode("utf-8", "surrogatepass"), path)
    _check_document(doc, path)  # an Article, a Taxonomy or a Problem with a one-line reason
    if isinstance(doc, Problem):
        assert doc.reason == doc.reason.strip()


@settings(max_examples=100, deadline=None)
@given(st.text(min_size=1, max_size=80).filter(lambda t: t.strip()))
def test_any_text_title_survives_a_round_trip(title: str) -> None:
    doc = parse_bytes(("---\n" + yaml.safe_dump({"title": title}) + "---\n").encode("utf-8", "surrogatepass"))
    _check_document(doc, "")
    visible = [c for c in title if not c.isspace() and not _CONTROL.match(c)]
    if isinstance(doc, Article):
        # Every visible character survives, in order; runs of blank space become one space.
        assert [c for c in doc.title if not c.isspace()] == visible
        assert "  " not in doc.title
    else:  # only a title made of nothing visible is refused
        assert visible == []
        assert doc.reason == "title is missing"


LINES = st.lists(st.sampled_from(["---", "...", "--- ", "...\t", "---x", "----", " ---", "-- -", "..", "a: 1", ""]), max_size=8)


@settings(max_examples=400, deadline=None)
@given(lines=LINES)
def test_the_closing_line_is_the_first_line_the_pattern_finds(lines):
    """The front matter ends at the first later line that is ``---`` or ``...`` (trailing
    spaces and tabs allowed): the quick search finds what the regular expression finds."""
    text = "---\n" + "\n".join(lines)
    expected = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE).search(text, 4)
    found = documents._closing_line(text, 3)
    assert (found.span() if found else None) == (expected.span() if expected else None)


def test_a_title_too_long_is_named_by_its_field(tmp_path: Path) -> None:
    """A short title, and a related entry whose title is too long: the reason names the
    related entry's title (the full way and the lean way of a sync's workers alike)."""
    from reader import documents

    long_title = "Google opens Bard " + "x" * 1_000
    data = front(
        'title: "Google opens Bard to the public"\n'
        "related:\n"
        '  - title: "A related report"\n    webUrl: "https://a.example/1"\n'
        f'  - title: "{long_title}"\n    webUrl: "https://b.example/2"'
    )
    expected = "related item 2 title is 1,018 characters long (at most 1,000)"
    assert problem(data) == expected
    path = tmp_path / "short-title.md"
    path.write_bytes(data)
    before = documents._fast_yaml
    try:
        documents.use_fast_yaml(True)
        lean = documents.parse_path_lean(path)
    finally:
        documents.use_fast_yaml(before)
    assert isinstance(lean, Problem) and lean.reason == expected
    assert problem(front(f'title: "{long_title}"')) == "title is 1,018 characters long (at most 1,000)"


CAFE_NFC, CAFE_NFD = "Caf\u00e9", "Cafe\u0301"  # "Café" spelled two ways (one code point, or e + a combining accent)


@pytest.mark.parametrize("parse", [parse_path, documents.parse_path_lean])
def test_topic_and_source_names_have_one_unicode_spelling(tmp_path: Path, parse: object) -> None:
    names = []
    for i, spelling in enumerate((CAFE_NFC, CAFE_NFD)):
        path = tmp_path / f"{i}.md"
        path.write_text(
            f'---\ntitle: "Article {i}"\npublishedDateTime: 2024-05-1{i}T10:00:00Z\nwebUrl: "https://example.org/{i}"\n'
            f'provider:\n  name: "{spelling} Times"\n  domain: example.org\ntopics:\n  - "{spelling}"\n  - "{spelling} Society"\n---\nBody {i}.\n',
            encoding="utf-8",
        )
        doc = parse(path)  # type: ignore[operator]
        provider = doc.provider if isinstance(doc, documents.NewsFields) else doc.provider.name  # type: ignore[union-attr]
        names.append((provider, doc.topics))
    assert names[0] == names[1] == (f"{CAFE_NFC} Times", (CAFE_NFC, f"{CAFE_NFC} Society"))


def test_a_taxonomy_name_has_one_unicode_spelling() -> None:
    doc = parse_bytes(f"---\ntaxonomy: topic\n_id: cafe\nname: {CAFE_NFD}\n---\n".encode(), "cafe.md")
    assert isinstance(doc, Taxonomy) and doc.name == CAFE_NFC
