"""``reader search``: output, exit status, options and where the library lives."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
from pathlib import Path

import pytest

from reader.cli import main
from reader.library import DB_FILENAME, ENV_DATA_DIR

ROOT = Path(os.path.abspath(__file__)).parent.parent
SEEDS = ROOT / "seeds"
CORPUS = ROOT / "tests" / "data" / "corpus"

# Read from the seed files: the three front-matter seeds about Clearview, all topic AI.
GLOBAL = ("2020-02-05", "Global News", "AI company must stop scraping user images from social media sites, top tech firms say")
TRIBUNE = ("2020-02-06", "Chicago Tribune", "Facebook, YouTube, Twitter warn Clearview face-recognition service to stop harvesting images")
BBC = ("2020-01-23", "BBC", "Twitter demands AI company stops 'collecting faces'")


def line(when: str, source: str, title: str) -> str:
    return f"{when}  {source:<24}  {title}"


def search(*args: str | Path) -> tuple[int, str]:
    out = io.StringIO()
    code = main(["search", *map(str, args)], out=out)
    return code, out.getvalue()


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "data"


def test_topic_and_word_prints_the_three_seeds(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = search("--data-dir", data, "topic:AI clearview", SEEDS)
    assert code == 0
    assert sorted(out.splitlines()) == sorted(line(*r) for r in (GLOBAL, TRIBUNE, BBC))
    assert capsys.readouterr().err == ""
    assert (data / DB_FILENAME).is_file()


def test_nothing_found_exits_1(data: Path) -> None:
    assert search("--data-dir", data, "clearview -clearview", SEEDS) == (1, "")
    assert search("--data-dir", data, "topic:Sport", SEEDS) == (1, "")


@pytest.mark.parametrize(
    ("query", "message", "column"),
    [
        ('clearview "cease', "this quote is never closed", 10),
        ("clearview OR", "OR needs a word or phrase after it", 10),
        ("foo:bar", "unknown filter 'foo:'", 0),
        ("is:maybe", "is: takes unread, read, starred or unstarred", 3),
    ],
)
def test_malformed_query_exits_2_with_a_caret(
    data: Path, capsys: pytest.CaptureFixture[str], query: str, message: str, column: int
) -> None:
    code, out = search("--data-dir", data, query, SEEDS)
    assert (code, out) == (2, "")
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("reader search: ") and message in err[0]
    assert err[1:] == [f"  {query}", "  " + " " * column + "^"]
    assert not data.exists()  # refused before the library was opened


def test_a_query_argument_that_is_not_utf8_is_refused_in_a_subprocess(data: Path) -> None:
    """A Latin-1 é from a script or an old terminal: the mistake, status 2, no traceback."""
    import subprocess
    import sys

    for command in ("search", "stats"):
        result = subprocess.run(
            [sys.executable, "-m", "reader", "--data-dir", str(data), command, b"caf\xe9", str(SEEDS)],
            capture_output=True, timeout=60, env={**os.environ, "LC_ALL": "C.UTF-8"},
        )  # fmt: skip
        assert result.returncode == 2, result.stderr
        assert result.stderr.splitlines() == [
            f"reader {command}: a byte here is not UTF-8 text (write the query in UTF-8)".encode(),
            b"  caf\xe9",
            b"     ^",
        ]
        assert result.stdout == b""


def test_json_lines(data: Path) -> None:
    code, out = search("--data-dir", data, "--json", "topic:AI clearview", SEEDS)
    assert code == 0
    records = [json.loads(text) for text in out.splitlines()]
    assert len(records) == 3
    for record in records:
        assert {"id", "title", "published", "provider", "url", "topics", "snippet"} <= set(record)
        assert re.search(r"\[clearview\]", record["snippet"], re.IGNORECASE), record["snippet"]
        assert "\ue000" not in record["snippet"] and "\ue001" not in record["snippet"]
        assert re.fullmatch(r"[0-9a-f]{16}", record["id"])
    by_title = {r["title"]: r for r in records}
    bbc = by_title[BBC[2]]
    assert (bbc["published"], bbc["provider"], bbc["url"], bbc["topics"]) == (
        "2020-01-23T15:31:00Z", "BBC", "https://www.bbc.com/news/technology-51220654", ["AI"]
    )
    tribune = by_title[TRIBUNE[2]]
    assert tribune["published"] == "2020-02-06T19:37:00Z"
    assert tribune["topics"] == ["AI", "Computer Vision"]
    assert tribune["url"].startswith("https://www.chicagotribune.com/business/ct-biz-clearview-face-recognition-")
    assert by_title[GLOBAL[2]]["url"] == "https://globalnews.ca/news/6512311/clearview-ai-tech-firms-social-media/"
    assert len({r["id"] for r in records}) == 3


def test_json_snippet_marks_every_word_and_phrase(data: Path) -> None:
    code, out = search("--data-dir", data, "--json", 'venmo "cease and desist"', SEEDS)
    assert code == 0
    snippets = [json.loads(text)["snippet"] for text in out.splitlines()]
    assert snippets
    assert all("[" in s and "]" in s for s in snippets)
    assert any(re.search(r"\[venmo\]", s, re.IGNORECASE) for s in snippets)


def test_limit(data: Path) -> None:
    # Three seeds are about AI and mention Clearview (see test_sort); all five mention Clearview.
    code, out = search("--data-dir", data, "--limit", "1", "--sort", "newest", "topic:AI clearview", SEEDS)
    assert (code, out.splitlines()) == (0, [line(*TRIBUNE), "… and 2 more (use --limit 3 or --limit 0 for all)"])
    code, out = search("--data-dir", data, "--limit", "2", "clearview", SEEDS)
    assert code == 0 and len(out.splitlines()) == 3 and out.splitlines()[-1].startswith("… and 3 more")
    code, out = search("--data-dir", data, "--limit", "5", "clearview", SEEDS)
    assert code == 0 and len(out.splitlines()) == 5 and "more" not in out  # all of them: nothing to add


def test_limit_0_prints_every_match(data: Path) -> None:
    code, out = search("--data-dir", data, "--limit", "0", "clearview", SEEDS)
    assert code == 0 and len(out.splitlines()) == 5 and "more" not in out


def test_a_limit_beyond_what_sqlite_counts_prints_every_match(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert search("--data-dir", data, "topic:AI clearview", SEEDS, "--limit", "99999999999999999999") == search(
        "--data-dir", data, "topic:AI clearview", SEEDS, "--limit", "0"
    )
    assert capsys.readouterr().err == ""


def test_a_negative_limit_is_a_usage_error(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        search("--data-dir", data, "--limit", "-1", "clearview", SEEDS)
    assert caught.value.code == 2
    assert "--limit must be 0 (no limit) or more" in capsys.readouterr().err


def test_the_more_line_of_json_output_goes_to_standard_error(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = search("--data-dir", data, "--limit", "1", "--json", "clearview", SEEDS)
    assert code == 0 and len(out.splitlines()) == 1 and json.loads(out)
    assert "… and 4 more" in capsys.readouterr().err


def test_language_names_are_accepted(data: Path) -> None:
    # The Swedish seed is the only one in Swedish (detected from its text).
    code, by_code = search("--data-dir", data, "lang:sv", SEEDS)
    assert code == 0 and len(by_code.splitlines()) == 1
    for name in ("lang:swedish", "lang:Swedish"):
        assert search("--data-dir", data, name, SEEDS) == (0, by_code)
    assert search("--data-dir", data, "lang:English", SEEDS)[1].count("\n") == 4


def test_an_unknown_language_is_a_malformed_query(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = search("--data-dir", data, "lang:klingonese", SEEDS)
    assert code == 2 and out == ""
    assert "'klingonese' is not a language" in capsys.readouterr().err


def test_a_long_source_is_cut_with_an_ellipsis(tmp_path: Path) -> None:
    doc = tmp_path / "docs" / "long.md"
    doc.parent.mkdir()
    doc.write_text("---\ntitle: Harbour news\nprovider:\n  name: The Very Long Name of a Regional Gazette\n---\nText.\n",
                   encoding="utf-8")
    code, out = search("--data-dir", tmp_path / "data", "harbour", doc.parent)
    assert code == 0
    assert "  The Very Long Name of a…  Harbour news" in out  # 23 characters and "…": 24


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("newest", [TRIBUNE, GLOBAL, BBC]),
        ("oldest", [BBC, GLOBAL, TRIBUNE]),
        ("title", [GLOBAL, TRIBUNE, BBC]),
        ("source", [BBC, TRIBUNE, GLOBAL]),
        ("heat", [BBC, TRIBUNE, GLOBAL]),  # 97, then -1 and -1 newest first
        ("quality", [BBC, TRIBUNE, GLOBAL]),  # 87, 33, 30
    ],
)
def test_sort(data: Path, sort: str, expected: list[tuple[str, str, str]]) -> None:
    code, out = search("--data-dir", data, "--sort", sort, "topic:AI clearview", SEEDS)
    assert (code, out.splitlines()) == (0, [line(*r) for r in expected])


def test_undated_plain_texts_print_undated(data: Path) -> None:
    code, out = search("--data-dir", data, "--sort", "newest", "clearview", SEEDS)
    lines = out.splitlines()
    assert code == 0 and len(lines) == 5
    assert lines[:3] == [line(*TRIBUNE), line(*GLOBAL), line(*BBC)]
    assert all(text.startswith("undated     -  ") for text in lines[3:])


def test_reader_data_dir_is_used_without_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_DATA_DIR, str(tmp_path / "from-env"))
    code, out = search("topic:AI clearview", SEEDS)
    assert code == 0 and len(out.splitlines()) == 3
    assert (tmp_path / "from-env" / DB_FILENAME).is_file()
    # and the library there is the one searched later, without paths
    assert search("--sort", "oldest", "clearview twitter")[1].splitlines()[0] == line(*BBC)


def test_data_dir_option_wins_over_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_DATA_DIR, str(tmp_path / "from-env"))
    assert search("--data-dir", tmp_path / "option", "clearview", SEEDS)[0] == 0
    assert (tmp_path / "option" / DB_FILENAME).is_file()
    assert not (tmp_path / "from-env").exists()


def test_without_paths_the_whole_library_as_last_synced(tmp_path: Path, data: Path) -> None:
    seeds = Path(shutil.copytree(SEEDS, tmp_path / "seeds"))
    corpus = Path(shutil.copytree(CORPUS, tmp_path / "corpus"))
    assert search("--data-dir", data, "clearview", seeds)[0] == 0
    assert search("--data-dir", data, "waymo", corpus)[0] == 0

    # with a path, only the articles under it
    code, out = search("--data-dir", data, "--limit", "500", "topic:AI", seeds)
    assert (code, len(out.splitlines())) == (0, 3)

    # without: everything synced so far, even files deleted since (the library is not re-synced)
    (seeds / "004_a6c4789921a3cca4.txt").unlink()
    ai_urls = set()
    for path in corpus.glob("*.md"):
        text = path.read_text(encoding="utf-8")
        topics = re.search(r"^topics:\n((?:  - .*\n)+)", text, re.MULTILINE)
        if topics and "  - AI\n" in topics.group(1).replace('"', ""):
            url = [re.search(rf"^{key}: \"?([^\"\n]+)", text, re.MULTILINE) for key in ("originalUrl", "webUrl")]
            ai_urls.add(next(u.group(1) for u in url if u))
    code, out = search("--data-dir", data, "--limit", "500", "topic:AI")
    assert code == 0
    assert len(out.splitlines()) == 3 + len(ai_urls) == 98
    assert line(*BBC) in out.splitlines()
    code, out = search("--data-dir", data, "--sort", "oldest", "clearview twitter")
    assert out.splitlines()[0] == line(*BBC)


def test_missing_path_is_a_usage_error(data: Path, tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as caught:
        search("--data-dir", data, "clearview", tmp_path / "nowhere")
    assert caught.value.code == 2


def test_unwritable_data_folder_searches_in_a_read_only_session(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    code, out = search("--data-dir", blocker / "data", "clearview", SEEDS)
    assert code == 0 and len(out.splitlines()) == 5  # every seed mentions Clearview
    err = capsys.readouterr().err
    assert err.startswith("reader: ") and "cannot be written" in err
    assert blocker.read_text(encoding="utf-8") == "not a folder"


def test_a_search_too_wide_to_rank_says_it_lists_newest_first(
    data: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import reader.library.reading as reading

    # "clearview" is in all five seeds (read from the files; the two plain-text ones are
    # undated): ranked while five may be, newest first (with a line on standard error saying
    # so) when fewer may.
    monkeypatch.setattr(reading, "RANKED_MATCHES_MAX", 5)
    code, out = search("--data-dir", data, "clearview", SEEDS)
    assert code == 0 and len(out.splitlines()) == 5
    assert capsys.readouterr().err == ""
    monkeypatch.setattr(reading, "RANKED_MATCHES_MAX", 4)
    code, out = search("--data-dir", data, "clearview", SEEDS)
    assert code == 0
    assert out.splitlines()[:3] == [line(*TRIBUNE), line(*GLOBAL), line(*BBC)]  # newest first
    err = capsys.readouterr().err
    assert err.startswith("reader search: newest first, not best match first: more than 4 articles match")
    search("--data-dir", data, "--sort", "newest", "clearview", SEEDS)
    assert capsys.readouterr().err == ""  # asked for: nothing to say
    search("--data-dir", data, "topic:AI", SEEDS)
    assert capsys.readouterr().err == ""  # conditions only: newest first, as documented


def test_a_ranked_search_counts_its_matches_once(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Whether a search is ranked (and whether to say it is not) takes counting its matches:
    once per search, however many times the answer is needed."""
    import sqlite3

    import reader.library.database as database

    statements: list[str] = []
    connect = sqlite3.connect

    def traced(*args: object, **kwargs: object) -> sqlite3.Connection:
        connection = connect(*args, **kwargs)  # type: ignore[arg-type]
        connection.set_trace_callback(statements.append)
        return connection

    monkeypatch.setattr(database.sqlite3, "connect", traced)
    code, out = search("--data-dir", data, "--limit", "2", "clearview", SEEDS)  # ranked; "… and 3 more"
    assert code == 0 and len(out.splitlines()) == 3
    assert sum("SELECT count(*) FROM (SELECT 1 FROM articles_fts WHERE articles_fts MATCH" in s for s in statements) == 1


@pytest.mark.parametrize(
    "args",
    [
        ["clearview", "--limit", "1", "SEEDS"],
        ["clearview", "--limit=1", "SEEDS"],
        ["clearview", "SEEDS", "--limit", "1"],
        ["--limit", "1", "clearview", "SEEDS"],
        ["clearview", "--data-dir", "DATA", "--limit", "1", "SEEDS"],
        ["-nosuchword", "--limit", "1", "SEEDS"],
    ],
)
def test_options_go_anywhere_among_the_query_and_paths(data: Path, tmp_path: Path, args: list[str]) -> None:
    words = [str(SEEDS) if a == "SEEDS" else str(data) if a == "DATA" else a for a in args]
    if "DATA" not in args:
        words = ["--data-dir", str(data), *words]
    code, out = search(*words)
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 2 and lines[1].startswith("… and ")  # one article, then how many more
