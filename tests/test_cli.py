"""``reader check``: one line (or JSON object) per document and an exit status."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import reader
from reader.cli import main

JSON_KEYS = {
    "path",
    "ok",
    "id",
    "kind",
    "title",
    "published",
    "url",
    "provider",
    "domain",
    "topics",
    "images",
    "related",
    "language",
    "error",
    "notes",
}

SEED_TITLES = [
    "AI company must stop scraping user images from social media sites, top tech firms say",
    "Facebook, YouTube, Twitter warn Clearview face-recognition service to stop harvesting images",
    "Facebook Joins YouTube & LinkedIn, Warns Clearview AI To Stop Scraping Images From Their Platforms",
    "Facebook gick med i YouTube, Twitter och betaltjänsten Venmo krävde på onsdagen att ett…",
    "Twitter demands AI company stops 'collecting faces'",
]


def run(*argv: str) -> tuple[int, list[str]]:
    out = io.StringIO()
    code = main(list(argv), out=out)
    return code, out.getvalue().splitlines()


def check_seed_lines(lines: list[str], seeds_dir: Path) -> None:
    assert len(lines) == 6
    assert lines[-1] == "5 documents: 5 ok, 0 problems"
    names = sorted(p.name for p in seeds_dir.iterdir())
    for line, name, title in zip(lines, names, SEED_TITLES, strict=False):  # (lines: and a summary)
        assert line.startswith("ok ")
        assert os.path.join(seeds_dir.name, name) in line
        assert f"“{title}”" in line
    assert "news · 2020-02-05 · Global News ·" in lines[0]
    assert "news · 2020-02-06 · Chicago Tribune ·" in lines[1]
    assert "text · undated · no source ·" in lines[2]
    assert "text · undated · no source ·" in lines[3]
    assert "news · 2020-01-23 · BBC ·" in lines[4]


def test_check_seeds(seeds_dir: Path) -> None:
    code, lines = run("check", str(seeds_dir))
    assert code == 0
    check_seed_lines(lines, seeds_dir)


def test_check_without_paths_reads_the_bundled_seeds(seeds_dir: Path) -> None:
    code, lines = run("check")
    assert code == 0
    check_seed_lines(lines, seeds_dir)
    assert all(str(seeds_dir.resolve()) in line for line in lines[:-1])


def test_check_a_folder_with_a_broken_file(tmp_path: Path, seeds_dir: Path) -> None:
    (tmp_path / "good.txt").write_bytes((seeds_dir / "004_a6c4789921a3cca4.txt").read_bytes())
    (tmp_path / "broken.md").write_text("---\ntitle: never closed\n")
    code, lines = run("check", str(tmp_path))
    assert code == 1
    assert lines == [
        f"problem   {tmp_path / 'broken.md'}: front matter never closed (no '---' line after the one on line 1)",
        f"ok        {tmp_path / 'good.txt'}: news · 2020-01-23 · BBC · “Twitter demands AI company stops 'collecting faces'”",
        "2 documents: 1 ok, 1 problem",
    ]


def test_check_a_single_broken_file(tmp_path: Path) -> None:
    broken = tmp_path / "image.md"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(16))
    code, lines = run("check", str(broken))
    assert code == 1
    assert lines[0] == f"problem   {broken}: not a text document: it is a PNG image"


def test_check_a_nonexistent_path_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nope"
    with pytest.raises(SystemExit) as exit_info:
        run("check", str(missing))
    assert exit_info.value.code == 2
    assert "no such file or folder" in capsys.readouterr().err


def test_check_json(seeds_dir: Path) -> None:
    code, lines = run("check", "--json", str(seeds_dir))
    assert code == 0
    records = [json.loads(line) for line in lines]
    assert len(records) == 5
    for record in records:
        assert set(record) == JSON_KEYS
        assert record["ok"] is True
        assert record["error"] is None
        assert len(record["id"]) == 16
    first = records[0]
    assert first["path"] == str(seeds_dir / "000_7070b5ed28950557.txt")
    assert first["kind"] == "news"
    assert first["title"] == SEED_TITLES[0]
    assert first["published"] == "2020-02-05T22:56:00Z"
    assert first["url"] == "https://globalnews.ca/news/6512311/clearview-ai-tech-firms-social-media/"
    assert first["provider"] == "Global News"
    assert first["domain"] == "globalnews.ca"
    assert first["topics"] == ["AI"]
    assert (first["images"], first["related"]) == (0, 1)
    assert first["language"] == "en"
    second = records[1]
    assert second["topics"] == ["AI", "Computer Vision"]
    assert (second["images"], second["related"]) == (1, 3)
    swedish = records[3]
    assert swedish["kind"] == "text"
    assert swedish["title"] == SEED_TITLES[3]
    assert (swedish["published"], swedish["url"], swedish["provider"], swedish["domain"]) == (None, None, None, None)
    assert swedish["topics"] == []
    assert records[4]["published"] == "2020-01-23T15:31:00Z"


def test_check_json_problem_record(tmp_path: Path) -> None:
    (tmp_path / "empty.md").write_bytes(b"")
    code, lines = run("check", "--json", str(tmp_path))
    assert code == 1
    assert len(lines) == 1  # no summary line in JSON mode
    record = json.loads(lines[0])
    assert set(record) == JSON_KEYS
    assert record["ok"] is False
    assert record["error"] == "empty file"
    assert record["path"] == str(tmp_path / "empty.md")
    assert record["id"] is None and record["title"] is None


def test_check_json_corpus(corpus_dir: Path) -> None:
    code, lines = run("check", "--json", str(corpus_dir))
    assert code == 0
    records = [json.loads(line) for line in lines]
    assert len(records) == 100
    assert all(record["ok"] is True for record in records)
    for record in records:
        if record["kind"] == "taxonomy":
            assert set(record) == JSON_KEYS | {"taxonomy"}
        else:
            assert set(record) == JSON_KEYS
            assert record["kind"] == "news"
            assert len(record["published"]) == 20 and record["published"].endswith("Z")
    taxonomies = {Path(r["path"]).name: (r["taxonomy"], r["title"]) for r in records if r["kind"] == "taxonomy"}
    assert taxonomies == {
        "00-ai.yaml": ("topic", "AI"),
        "nlp.yaml": ("tag", "nlp"),
        "techcrunch.com.md": ("organization", "TechCrunch"),
        "theguardian.com": ("organization", "The Guardian"),
    }


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"], out=io.StringIO())
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"reader {reader.__version__}"
    assert reader.__version__ == "0.1.0"


def test_check_end_to_end_in_a_subprocess(seeds_dir: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "reader", "check", str(seeds_dir)],
        capture_output=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    lines = result.stdout.decode("utf-8").splitlines()
    check_seed_lines(lines, seeds_dir)
    assert result.stderr == b""


def test_check_says_an_entry_with_a_lone_surrogate_is_a_problem_as_the_library_does(tmp_path: Path) -> None:
    """JSON can write a lone surrogate (``\\ud83d``), which is not text: the library records
    such an entry as a problem, and `reader check` prints it as one (no traceback)."""
    from reader.library import Library

    feed = tmp_path / "feed.json"
    feed.write_text(json.dumps({
        "version": "https://jsonfeed.org/version/1.1", "title": "JF",
        "items": [{"id": "1", "url": "https://example.org/a", "title": "Lone \ud83d surrogate", "content_text": "x"},
                  {"id": "2", "url": "https://example.org/b", "title": "Fine", "content_text": "y"}],
    }), encoding="ascii")  # fmt: skip
    result = subprocess.run(
        [sys.executable, "-m", "reader", "check", str(feed)], capture_output=True, timeout=60,
        env={**os.environ, "PYTHONUTF8": "1"},
    )  # fmt: skip
    assert result.returncode == 1 and result.stderr == b"", result.stderr.decode("utf-8", "replace")
    lines = result.stdout.decode("utf-8").splitlines()
    with Library(tmp_path / "data") as lib:
        lib.sync([feed], group=False)
        [problem] = lib.problems()
    assert f"problem   {problem.path}: {problem.reason}" in lines
    assert "surrogates not allowed" in problem.reason
    assert any(line.startswith("ok ") and "“Fine”" in line for line in lines)
    assert lines[-1] == "2 documents: 1 ok, 1 problem"


def test_the_headless_modules_do_not_import_qt() -> None:
    code = (
        "import sys\n"
        "import reader, reader.article, reader.documents, reader.plaintext, reader.scan, reader.urls, reader.cli\n"
        "from reader.cli import main\n"
        "import io\n"
        "main(['check', '--json'], out=io.StringIO())\n"
        "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6', 'qtawesome', 'reader.ui'))))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_one_document_is_said_in_the_singular(seeds_dir: Path) -> None:
    out = io.StringIO()
    assert main(["check", str(seeds_dir / "004_a6c4789921a3cca4.txt")], out=out) == 0
    assert out.getvalue().splitlines()[-1] == "1 document: 1 ok, 0 problems"


def test_help_says_that_paths_open_the_window(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    usage = capsys.readouterr().out
    first, second = usage.splitlines()[:2]
    assert first.startswith("usage: reader [--data-dir DIR] [PATH ...]") and "open the window" in first
    assert "COMMAND" in second


def test_refresh_list_without_subscriptions_says_so(tmp_path: Path) -> None:
    out = io.StringIO()
    assert main(["refresh", "--list", "--data-dir", str(tmp_path / "data")], out=out) == 0
    assert out.getvalue() == "No subscriptions yet (add one with: reader subscribe URL)\n"


def test_data_dir_may_come_before_the_command_as_the_usage_says(tmp_path: Path) -> None:
    out = io.StringIO()
    assert main(["--data-dir", str(tmp_path / "data"), "refresh", "--list"], out=out) == 0
    assert out.getvalue() == "No subscriptions yet (add one with: reader subscribe URL)\n"


def test_a_read_only_data_folder_is_warned_about_once(seeds_dir: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    for command in (["stories"], ["search", "clearview"]):
        result = subprocess.run(
            [sys.executable, "-m", "reader", command[0], "--data-dir", str(blocker), *command[1:], str(seeds_dir)],
            capture_output=True, text=True, cwd=tmp_path, timeout=120,
        )
        assert result.returncode == 0, result.stderr
        warnings = [line for line in result.stderr.splitlines() if "cannot be written" in line]
        assert len(warnings) == 1 and warnings[0].startswith("reader: "), result.stderr
