"""Stories (reader.stories): grouping the seeds and the real corpus, incrementally and
deterministically; Top stories' score and order; inferred topics; the `reader stories` command."""

from __future__ import annotations

import io
import json
import shutil
import textwrap
from pathlib import Path

import pytest

from reader import cli, stories
from reader.library import Count, Library, View, ViewKind

# --------------------------------------------------------------------------- the seeds

# The five seeds are one story: letters demanding that Clearview AI stop scraping faces.
#   000 Global News, 5 Feb 2020   (AP text: Venmo joined YouTube and Twitter ...)
#   001 Chicago Tribune, 6 Feb    (AP text: Facebook joined YouTube, Twitter and Venmo ...)
#       -> same names with 000 (Clearview, AI, Venmo, YouTube, New York ...) and near the same
#          excerpt (token-sort ratio 81);
#   002 plain English text, undated (Facebook joins YouTube & LinkedIn, warns Clearview AI)
#       -> the same names as 001/000 (Facebook, YouTube, LinkedIn, Venmo, Clearview ...);
#   003 plain Swedish text, undated (a translation of the AP story)
#       -> names carry across the language: Clearview, YouTube, Twitter, Venmo, Instagram ...;
#   004 BBC, 23 Jan 2020 (Twitter demands Clearview stop "collecting faces")
#       -> two weeks earlier; AI, Clearview, Facebook, Twitter in common with 001.
# The Tribune's related entries (an ACLU piece on airports, a Herta Security press release)
# are another story and must stay out; St. Louis Post-Dispatch (000's related entry, the AP
# text again) and The Daily Dot (004's, Twitter's letter) are versions of it.
SEEDS = ["000_7070b5ed28950557.txt", "001_19301bc74b7f561c.txt", "002_9f8ef219818b8861.txt",
         "003_75b339a3634bcf13.txt", "004_a6c4789921a3cca4.txt"]


def groups(library: Library) -> list[set[str]]:
    """Stories of two or more documents, as sets of file names."""
    by_story: dict[str, set[str]] = {}
    for article_id, story in library.db.execute("SELECT article, story FROM story_members"):
        name = Path(library.paths(article_id)[0]).name
        by_story.setdefault(story, set()).add(name)
    return sorted((g for g in by_story.values() if len(g) > 1), key=lambda g: sorted(g))


@pytest.fixture
def seeds_library(tmp_path: Path, seeds_dir: Path) -> Library:
    library = Library(tmp_path / "data")
    library.sync([seeds_dir])
    yield library
    library.close()


def test_the_seeds_are_one_story(seeds_library: Library) -> None:
    assert groups(seeds_library) == [set(SEEDS)]


def test_the_seed_story_lists_every_version_in_time_order(seeds_library: Library) -> None:
    (story,) = stories.all_stories(seeds_library.db)
    outlets = [v.outlet for v in story.versions]
    assert outlets == ["The Daily Dot", "BBC", "St. Louis Post-Dispatch", "Global News", "Chicago Tribune", None, None]
    assert [v.in_library for v in story.versions] == [False, True, False, True, True, True, True]
    assert story.outlets == 5
    titles = " ".join(v.title for v in story.versions)
    assert "Herta Security" not in titles and "Nightmare Vision" not in titles
    assert story.first is not None and story.first.isoformat() == "2020-01-23T15:01:00+00:00"
    assert story.last is not None and story.last.isoformat() == "2020-02-06T19:37:00+00:00"


def test_why_each_seed_joined(seeds_library: Library) -> None:
    reasons = {}
    for name in SEEDS:
        (article_id,) = [i for (i,) in seeds_library.db.execute("SELECT id FROM articles") if seeds_library.paths(i)[0].endswith(name)]
        joined = stories.evidence_of(seeds_library.db, article_id)
        reasons[name] = joined[1] if joined else None
    assert sum(r is None for r in reasons.values()) == 1  # the first one grouped joined nothing
    assert all(r is None or r.startswith("the same names:") or r.startswith("similar") for r in reasons.values())
    assert "clearview" in " ".join(r for r in reasons.values() if r)


def test_plain_text_seeds_inherit_the_story_topics(seeds_library: Library) -> None:
    by_name = {Path(seeds_library.paths(i)[0]).name: i for (i,) in seeds_library.db.execute("SELECT id FROM articles")}
    assert stories.inferred_topics(seeds_library.db, by_name[SEEDS[2]]) == ("AI", "Computer Vision")
    assert stories.inferred_topics(seeds_library.db, by_name[SEEDS[3]]) == ("AI", "Computer Vision")
    assert stories.inferred_topics(seeds_library.db, by_name[SEEDS[0]]) == ()  # it has topics of its own


# --------------------------------------------------------------------------- the real corpus

# Checked by hand: every document in a group reports the same news.
CORPUS_GROUPS = [
    # NIST's study of bias in face recognition (related links, 20-26 Dec 2019)
    {"2019-12-20-federal-study-confirms-racial-bias-of-many-facial-recognition-systems-casts-doubt-on-their-expanding-use.md",
     "2019-12-20-a-us-government-study-confirms-most-face-recognition-systems-are-racist.md",
     "2019-12-26-many-facial-recognition-systems-are-biased-says-us-study.md"},
    # AI finds leukaemia in blood (same title, related link)
    {"2019-12-20-artificial-intelligence-tracks-down-leukemia.md",
     "2019-12-23-artificial-intelligence-tracks-down-leukemia.md",
     "2019-12-26-artificial-intelligence-tracks-down-acute-myeloid-leukaemia.md"},
    # AI finds drugs against Alzheimer's (same title)
    {"2021-03-04-artificial-intelligence-reveals-current-drugs-that-may-help-combat-alzheimers-disease.md",
     "2021-03-06-artificial-intelligence-reveals-current-drugs-that-may-help-combat-alzheimers-disease.md"},
    # The PGA Tour signs with AWS (same names: PGA, Tour, AWS, Amazon, Rekognition)
    {"2021-03-03-pga-tour-partners-with-aws-for-cloud-services.md",
     "2021-03-03-pga-tour-signs-up-with-aws-looks-to-ai-as-engagement-driver.md"},
    # Google opens Bard to the public (related link)
    {"2023-03-22-googles-bard-ai-chatbot-has-now-been-released-to-the-public.md",
     "2023-03-22-the-morning-after-google-expands-access-to-its-ai-chatbot-bard.md"},
]

# Checked by hand: close in words, links or time, but different news -- never one story.
CORPUS_NON_GROUPS = [
    # a related link to an unrelated piece: what NLP is / Google's AutoML Natural Language
    ("2019-12-21-what-is-natural-language-processing-nlp.md", "2019-12-24-google-cloud-team-releases-automl-natural-language.md"),
    # one outlet's two market reports (one lists the other as related)
    ("2019-12-16-computer-vision-market-key-players-and-production-information-analysis-with-forecast-2026.md",
     "2019-12-24-machine-translationmt-system-market-in-depth-analysis-report-2019.md"),
    # warehouse robots: a market outlook, and a robot learning to sort 11 days later
    ("2020-01-23-warehouse-robotics-to-reach-new-heights.md", "2020-02-03-a-warehouse-robot-learns-to-sort-out-the-tricky-stuff.md"),
    # AI against Covid-19, two months apart
    ("2020-04-10-how-ai-is-helping-in-the-fight-against-covid-19.md", "2020-06-16-how-ai-technology-is-leading-the-charge-against-covid-19.md"),
    # Facebook, AI and Instagram, but a year later than the seeds' story
    ("2021-03-05-facebook-trains-ai-to-see-using-1-billion-public-instagram-photos.md", "SEEDS"),
    # two AWS competency press releases ten days apart
    ("2021-03-01-core-scientific-achieves-aws-high-performance-computing-competency-status.md",
     "2021-03-11-electrifai-achieves-aws-machine-learning-competency-status-in-applied-ai.md"),
    # Facebook and fake accounts vs Facebook's AI chief on AR glasses
    ("2019-12-21-facebook-twitter-remove-ai-powered-fake-accounts-with-pro-trump-messages.md",
     "2019-12-22-facebooks-ai-research-chief-talks-ar-glasses-ai-and-machine-learning.md"),
    # Tesla: three different stories over a year
    ("2021-12-07-inside-tesla-as-elon-musk-pushed-an-unflinching-vision-for-self-driving-cars.md",
     "2022-06-13-whos-driving-that-car-tesla-crashes-cast-cloud-over-autopilot-feature.md"),
    ("2022-06-13-whos-driving-that-car-tesla-crashes-cast-cloud-over-autopilot-feature.md",
     "2022-11-16-tesla-tells-us-of-new-fatal-crashes-involving-automated-driving.md"),
    # facial recognition bans, a year apart
    ("2021-05-22-campaigners-predict-us-federal-facial-recognition-regulation.md",
     "2022-05-10-tally-of-facial-recognition-bans-being-overturned-keeps-growing.md"),
]


@pytest.fixture(scope="module")
def corpus_library(tmp_path_factory: pytest.TempPathFactory, corpus_dir: Path, seeds_dir: Path) -> Library:
    folder = tmp_path_factory.mktemp("mixed")
    for path in [*corpus_dir.glob("*.md"), *seeds_dir.iterdir()]:
        if path.name != "SOURCE.md":
            shutil.copy(path, folder / path.name)
    library = Library(tmp_path_factory.mktemp("data"))
    library.sync([folder])
    yield library
    library.close()


def test_corpus_groups_are_the_hand_checked_ones(corpus_library: Library) -> None:
    found = groups(corpus_library)
    assert set(SEEDS) in found
    assert sorted((g for g in found if g != set(SEEDS)), key=lambda g: sorted(g)) == sorted(CORPUS_GROUPS, key=lambda g: sorted(g))


@pytest.mark.parametrize(("one", "other"), CORPUS_NON_GROUPS, ids=[a[:30] for a, _ in CORPUS_NON_GROUPS])
def test_corpus_non_groups_stay_apart(corpus_library: Library, one: str, other: str) -> None:
    story = {Path(corpus_library.paths(a)[0]).name: s for a, s in corpus_library.db.execute("SELECT article, story FROM story_members")}
    others = [story[n] for n in SEEDS] if other == "SEEDS" else [story[other]]
    assert story[one] not in others


def test_grouping_does_not_depend_on_the_order(tmp_path: Path, corpus_dir: Path, seeds_dir: Path, corpus_library: Library) -> None:
    with Library(tmp_path / "data") as library:
        library.sync([seeds_dir])  # the seeds first, then the corpus
        library.sync([corpus_dir])
        assert groups(library) == groups(corpus_library)


# --------------------------------------------------------------------------- incremental


def test_a_new_document_joins_its_story_without_regrouping(tmp_path: Path, seeds_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    for name in SEEDS[:4]:
        shutil.copy(seeds_dir / name, folder / name)
    with Library(tmp_path / "data") as library:
        library.sync([folder])
        assert groups(library) == [set(SEEDS[:4])]
        seen: list[list[str]] = []
        update = stories.update
        monkeypatch.setattr(stories, "update", lambda db, ids: (seen.append(list(ids)), update(db, ids))[1])
        shutil.copy(seeds_dir / SEEDS[4], folder / SEEDS[4])
        library.sync([folder])
        assert [len(ids) for ids in seen if ids] == [1]  # only the new article was looked at
        assert groups(library) == [set(SEEDS)]


def test_removing_a_document_leaves_the_story(tmp_path: Path, seeds_dir: Path) -> None:
    folder = tmp_path / "docs"
    shutil.copytree(seeds_dir, folder)
    with Library(tmp_path / "data") as library:
        library.sync([folder])
        (folder / SEEDS[4]).unlink()
        library.sync([folder])
        assert groups(library) == [set(SEEDS[:4])]
        (story,) = stories.all_stories(library.db)
        assert "BBC" not in [v.outlet for v in story.versions]


def test_a_library_without_stories_is_grouped_on_the_next_sync(tmp_path: Path, seeds_dir: Path) -> None:
    with Library(tmp_path / "data") as library:
        library.sync([seeds_dir])
        library.db.executescript("DELETE FROM story_members; DELETE FROM story_keys; DELETE FROM stories;")
        assert groups(library) == []
        library.sync([seeds_dir])  # nothing changed on disk: the catch-up groups them
        assert groups(library) == [set(SEEDS)]


# --------------------------------------------------------------------------- evidence


def sig(title: str, excerpt: str = "", published: float | None = 0.0, url: str | None = None,
        related: list[dict[str, object]] | None = None) -> stories.Signature:
    return stories.signature(id=None, title=title, excerpt=excerpt, published=published, urls=(url,), related=related or [])


def test_links_need_the_titles_to_agree_a_little() -> None:
    listing = sig("Warehouse robots learn new tricks", related=[{"title": "x", "url": "https://www.b.example/robots/amp/"}])
    listed = sig("Robots in the warehouse learn tricks", url="http://b.example/robots")
    assert stories.evidence(listing, listed) == "lists the other as related coverage"  # www, scheme, AMP ignored
    unrelated = sig("What is natural language processing?", url="https://b.example/robots/")
    assert stories.evidence(listing, unrelated) is None


def test_time_limits() -> None:
    day = 86_400.0
    a = sig("Artificial intelligence tracks down leukemia", published=0)
    assert stories.evidence(a, sig("Artificial intelligence tracks down leukemia", published=13 * day)) == "the same title"
    assert stories.evidence(a, sig("Artificial intelligence tracks down leukemia", published=15 * day)) is None
    assert stories.evidence(a, sig("Artificial intelligence tracks down leukemia", published=None)) == "the same title"


def test_names_cross_languages_but_not_sentence_openers() -> None:
    english = stories.names("", "Facebook joined YouTube, Twitter and payment service Venmo. Clearview AI was told to stop.")
    assert {"facebook", "youtube", "twitter", "venmo", "clearview", "ai"} <= english
    swedish = stories.names("", "Facebook gick med i YouTube, Twitter och betaltjänsten Venmo. Clearview AI ska sluta.")
    assert len(english & swedish) >= 6
    assert stories.names("", "While the study was new. However, nobody knew. The end came on Thursday.") == frozenset()


# --------------------------------------------------------------------------- Top stories


def write(folder: Path, name: str, title: str, *, day: int, domain: str, heat: int | None = None,
          quality: int | None = None, excerpt: str = "") -> None:
    extra = "".join(f"{key}: {value}\n" for key, value in (("heat", heat), ("quality", quality)) if value is not None)
    (folder / name).write_text(textwrap.dedent(f"""\
        ---
        title: "{title}"
        excerpt: "{excerpt}"
        publishedDateTime: 2024-03-{day:02d}T12:00:00Z
        webUrl: "https://{domain}/{name}"
        provider:
          name: "{domain}"
          domain: "{domain}"
        """) + extra + "---\n", encoding="utf-8")


@pytest.fixture
def ranked(tmp_path: Path) -> Library:
    """Three stories: three outlets last week; two outlets, hot and good, a month ago; two
    outlets today, no scores. And one lone article."""
    folder = tmp_path / "docs"
    folder.mkdir()
    for i, domain in enumerate(["a.example", "b.example", "c.example"]):
        write(folder, f"wide{i}.md", "Volcano erupts near Reykjavik, flights cancelled", day=24, domain=domain)
    for i, domain in enumerate(["d.example", "e.example"]):
        write(folder, f"hot{i}.md", "Chip maker unveils record breaking quantum processor", day=1, domain=domain, heat=100, quality=90)
    for i, domain in enumerate(["f.example", "g.example"]):
        write(folder, f"new{i}.md", "City council approves new bicycle lanes downtown", day=31, domain=domain)
    write(folder, "lone.md", "Local bakery wins national bread award", day=31, domain="h.example", heat=100, quality=100)
    library = Library(tmp_path / "data")
    library.sync([folder])
    yield library
    library.close()


def test_top_stories_order_and_score(ranked: Library) -> None:
    rows = ranked.rows(ranked.article_rowids(View(ViewKind.TOP)))
    order = [rows[r].title for r in ranked.article_rowids(View(ViewKind.TOP))]
    # wide: 40*3/8 + 20*(1 - 7/14) = 25.0; new: 40*2/8 + 20 = 30.0;
    # hot: 40*2/8 + 25*100/100 + 15*90/100 + 20*0 = 48.5 (30 days old)
    assert order == [
        "Chip maker unveils record breaking quantum processor",
        "City council approves new bicycle lanes downtown",
        "Volcano erupts near Reykjavik, flights cancelled",
    ]
    scores = []
    for rowid in ranked.article_rowids(View(ViewKind.TOP)):
        ranking = stories.ranking(ranked.db, rows[rowid].id)
        assert ranking is not None
        scores.append(round(ranking.score, 1))
        assert ranking.of == 3
        assert round(sum(points for _, _, points in ranking.parts), 1) == round(ranking.score, 1)
    assert scores == [48.5, 30.0, 25.0]
    assert [stories.ranking(ranked.db, rows[r].id).rank for r in ranked.article_rowids(View(ViewKind.TOP))] == [1, 2, 3]  # type: ignore[union-attr]
    assert ranked.counts().top.total == 3


def test_collapse_keeps_one_row_per_story(ranked: Library) -> None:
    rowids = ranked.article_rowids()
    kept, outlets = stories.collapse(ranked.db, rowids)
    assert len(rowids) == 8 and len(kept) == 4
    assert sorted(outlets.values()) == [2, 2, 3]
    assert kept == [r for r in rowids if r in set(kept)]  # the order is kept


# --------------------------------------------------------------------------- the command


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return cli.main(list(argv), out), out.getvalue()


def test_reader_stories_prints_the_seed_story(tmp_path: Path, seeds_dir: Path) -> None:
    code, text = run("stories", str(seeds_dir), "--data-dir", str(tmp_path / "data"))
    assert code == 0
    lines = text.splitlines()
    assert lines[0].startswith("Story · 5 outlets · 7 versions · 2020-01-23 15:01 – 2020-02-06 19:37 UTC · score ")
    assert "Twitter demands AI company stops 'collecting faces'" in lines[2]
    assert lines[1].endswith("(related entry, not in the library)")
    assert len(lines) == 8


def test_reader_stories_json(tmp_path: Path, seeds_dir: Path) -> None:
    code, text = run("stories", "--json", str(seeds_dir), "--data-dir", str(tmp_path / "data"))
    assert code == 0
    (record,) = [json.loads(line) for line in text.splitlines()]
    assert record["outlets"] == 5
    assert (record["first"], record["last"]) == ("2020-01-23T15:01:00Z", "2020-02-06T19:37:00Z")
    assert len(record["titles"]) == 7 and sum(v["in_library"] for v in record["versions"]) == 5
    assert record["topics"] == ["AI", "Computer Vision"]


def test_reader_stories_without_stories(tmp_path: Path, seeds_dir: Path) -> None:
    (tmp_path / "one").mkdir()
    shutil.copy(seeds_dir / SEEDS[2], tmp_path / "one")
    code, text = run("stories", str(tmp_path / "one"), "--data-dir", str(tmp_path / "data"))
    assert (code, text) == (1, "")


def test_a_sync_can_leave_grouping_for_later(tmp_path: Path, seeds_dir: Path) -> None:
    """The window loads without grouping (articles show at once) and groups afterwards."""
    with Library(tmp_path / "data") as library:
        library.sync([seeds_dir], group=False)
        assert len(stories.ungrouped(library.db)) == 5
        assert library.counts().top == Count(0, 0)
        assert library.group_stories(batch_size=2) == 5
        assert stories.ungrouped(library.db) == []
        assert library.counts().top == Count(1, 1)
        assert library.group_stories() == 0
