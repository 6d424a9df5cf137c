"""The synthetic corpus generator in bench/make_corpus.py."""

from datetime import datetime, timedelta
from pathlib import Path

from reader.article import Article, Kind, Problem
from reader.documents import parse_bytes, parse_path
from scripts import load_script

BENCH_SCRIPT = Path(__file__).resolve().parent.parent / "bench" / "make_corpus.py"


mc = load_script(BENCH_SCRIPT)


def _tree(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def test_same_seed_gives_byte_identical_files(tmp_path):
    first = mc.make_corpus(300, tmp_path / "a", seed=7)
    second = mc.make_corpus(300, tmp_path / "b", seed=7)
    other = mc.make_corpus(300, tmp_path / "c", seed=8)
    assert _tree(tmp_path / "a") == _tree(tmp_path / "b")
    assert [p.relative_to(tmp_path / "a") for p in first.paths] == [p.relative_to(tmp_path / "b") for p in second.paths]
    assert _tree(tmp_path / "a") != _tree(tmp_path / "c")
    assert other.files == 300


def test_counts_match_what_was_written(tmp_path):
    info = mc.make_corpus(300, tmp_path, seed=1)
    on_disk = _tree(tmp_path)
    assert info.files == len(info.paths) == len(set(info.paths)) == len(on_disk) == 300
    assert (info.news, info.plain, info.broken) == (300 - 9 - 3, 9, 3)
    assert info.size_bytes == sum(len(data) for data in on_disk.values())
    assert len(info.plain_paths) == info.plain and all(p.suffix == ".txt" for p in info.plain_paths)
    assert len(info.broken_paths) == info.broken
    news = [p for p in info.paths if p not in set(info.plain_paths) | set(info.broken_paths)]
    for path in news:  # DIR/YYYY/MM/YYYY-MM-DD-slug.md
        year, month = path.parent.parent.name, path.parent.name
        assert path.suffix == ".md" and path.name.startswith(f"{year}-{month}-")


def test_documents_parse_as_intended(tmp_path):
    info = mc.make_corpus(300, tmp_path, seed=2)
    expected = list(mc.generate(300, seed=2))
    assert [tmp_path / item.relpath for item in expected] == info.paths
    broken = set(info.broken_paths)
    for path, item in zip(info.paths, expected, strict=True):
        doc = parse_path(path)
        if path in broken:
            assert isinstance(doc, Problem), path
            continue
        assert isinstance(doc, Article), (path, doc)
        want = item.expect
        assert doc.title == want["title"]
        if path in info.plain_paths:
            assert doc.kind is Kind.TEXT and doc.body
            continue
        assert doc.kind is Kind.NEWS
        assert doc.url == want["url"]
        assert doc.published is not None and doc.published.strftime("%Y-%m-%dT%H:%M:%SZ") == want["published"]
        assert doc.provider is not None and (doc.provider.name, doc.provider.domain) == (want["provider"], want["domain"])
        assert list(doc.topics) == want["topics"] and 1 <= len(doc.topics) <= 3
        assert (doc.quality, doc.heat, doc.featured) == (want["quality"], want["heat"], want["featured"])
        assert [r.url for r in doc.related] == want["related_urls"]
        assert doc.url.split("/")[2].removeprefix("www.") == doc.provider.domain


def test_every_kind_of_fault_is_a_problem():
    broken = [item for item in mc.generate(1200, seed=3) if item.kind == "broken"]
    assert {item.expect["fault"] for item in broken} == set(mc.FAULTS)
    for item in broken:
        doc = parse_bytes(item.data, item.relpath)
        assert isinstance(doc, Problem), item.expect["fault"]
        assert item.expect["error"] in doc.reason


def test_all_200_providers_appear():
    first_of: dict[tuple[str, str], object] = {}
    for item in mc.generate(3000, seed=4):
        if item.kind == "news":
            first_of.setdefault((item.expect["provider"], item.expect["domain"]), item)
    assert len(first_of) == 200
    assert len({domain for _, domain in first_of}) == 200
    for (name, domain), item in first_of.items():  # parsing one document per provider is enough
        doc = parse_bytes(item.data, item.relpath)
        assert isinstance(doc, Article) and doc.provider is not None
        assert (doc.provider.name, doc.provider.domain) == (name, domain)


def test_related_entries_point_at_other_documents(tmp_path):
    info = mc.make_corpus(300, tmp_path, seed=5)
    articles = [doc for doc in map(parse_path, info.paths) if isinstance(doc, Article) and doc.kind is Kind.NEWS]
    urls = [doc.url for doc in articles]
    assert len(set(urls)) == len(urls)
    links = [(doc.url, r.url) for doc in articles for r in doc.related]
    inside = [(source, target) for source, target in links if target in set(urls)]
    assert len(inside) >= 10
    assert all(source != target for source, target in inside)
    assert len(inside) < len(links)  # and some point at outlets outside the corpus


def test_script_entry_point(tmp_path, capsys):
    assert mc.main(["50", str(tmp_path / "out"), "--seed", "3"]) == 0
    assert "wrote 50 files" in capsys.readouterr().out
    assert len(_tree(tmp_path / "out")) == 50


def test_each_news_document_names_its_story():
    """A story is one piece of news: one to six documents within three days either side of
    its date; the related entries that are documents of the corpus are of the same story."""
    news = [item for item in mc.generate(2000, seed=4) if item.kind == "news"]
    by_url = {item.expect["url"]: item for item in news}
    stories: dict[int, list[mc.GeneratedFile]] = {}
    for item in news:
        stories.setdefault(item.expect["story"], []).append(item)
    assert 1 <= min(map(len, stories.values())) and max(map(len, stories.values())) <= 6
    assert sum(len(items) > 1 for items in stories.values()) > 200
    for items in stories.values():
        dates = [datetime.strptime(item.expect["published"], "%Y-%m-%dT%H:%M:%SZ") for item in items]
        assert max(dates) - min(dates) <= timedelta(days=6)
    listed = [(item, by_url[url]) for item in news for url in item.expect["related_urls"] if url in by_url]
    assert len(listed) > 200
    assert all(item.expect["story"] == other.expect["story"] for item, other in listed)
