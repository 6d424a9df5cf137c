"""One command tree: global options before or after the command, words that start with ``-``,
unknown words, the window's paths, and what each command imports."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from reader import cli, library
from reader.cli import main


def _hits(out: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.getvalue().splitlines()]


def _seeds_without_topics(seeds_dir: Path) -> int:
    """The seeds without a front matter, so without topics (plain text): the others have AI."""
    return sum(not p.read_text(encoding="utf-8").startswith("---") for p in seeds_dir.iterdir())


@pytest.mark.parametrize(
    "argv",
    [
        ["--data-dir", "{data}", "search", "--json", "clearview", "{seeds}"],
        ["search", "--json", "clearview", "{seeds}", "--data-dir", "{data}"],
        ["search", "--data-dir={data}", "--json", "clearview", "{seeds}"],
    ],
    ids=["before", "after", "equals"],
)
def test_the_data_dir_goes_before_or_after_the_command(argv: list[str], seeds_dir: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    out = io.StringIO()
    assert main([a.format(data=data, seeds=seeds_dir) for a in argv], out=out) == 0
    assert len(out.getvalue().splitlines()) == 5  # every seed names Clearview
    assert any(data.iterdir())  # the library was made there


@pytest.mark.parametrize("where", ["before", "after"])
def test_check_takes_the_data_dir(where: str, seeds_dir: Path, tmp_path: Path) -> None:
    option = ["--data-dir", str(tmp_path / "data")]
    argv = [*option, "check", str(seeds_dir)] if where == "before" else ["check", *option, str(seeds_dir)]
    out = io.StringIO()
    assert main(argv, out=out) == 0
    assert out.getvalue().splitlines()[-1] == "5 documents: 5 ok, 0 problems"


@pytest.mark.parametrize(
    "words",
    [["-topic:AI", "{seeds}"], ["--", "-topic:AI", "{seeds}"], ["--json", "-topic:AI", "{seeds}", "--limit", "9"]],
    ids=["bare", "double-dash", "among-options"],
)
def test_a_query_may_start_with_a_minus(words: list[str], seeds_dir: Path, tmp_path: Path) -> None:
    out = io.StringIO()
    argv = ["search", "--json", "--data-dir", str(tmp_path / "data"), *(w.format(seeds=seeds_dir) for w in words)]
    assert main(argv, out=out) == 0
    hits = _hits(out)
    assert len(hits) == _seeds_without_topics(seeds_dir) == 2
    assert all(hit["topics"] == [] for hit in hits)


def test_an_unknown_word_is_an_unknown_command_or_path(capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exit_info:
        main(["bogus"])
    assert exit_info.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == "reader: error: unknown command or path: bogus"


def test_opml_export_into_a_missing_folder_is_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "missing" / "x.opml"
    assert main(["opml", "export", str(target), "--data-dir", str(tmp_path / "data")]) == 2
    err = capsys.readouterr().err
    assert err == f"reader opml: {target}: No such file or directory\n"
    assert not target.parent.exists()


@pytest.mark.parametrize(
    ("argv", "paths", "data"),
    [
        ([], [], None),
        (["{seeds}"], ["{seeds}"], None),
        (["--data-dir", "{data}", "{seeds}"], ["{seeds}"], "{data}"),
        (["{seeds}", "--data-dir", "{data}"], ["{seeds}"], "{data}"),
        (["--", "{seeds}"], ["{seeds}"], None),
    ],
    ids=["nothing", "path", "option-first", "option-last", "double-dash"],
)
def test_paths_open_the_window(
    argv: list[str], paths: list[str], data: str | None, seeds_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reader.ui.app

    calls: list[tuple[list[str], str | None]] = []
    monkeypatch.setattr(reader.ui.app, "run", lambda p, d: calls.append((list(p), d)) or 0)
    fill = {"seeds": str(seeds_dir), "data": str(tmp_path / "data")}
    assert main([a.format(**fill) for a in argv]) == 0
    assert calls == [([p.format(**fill) for p in paths], data.format(**fill) if data else None)]


def test_the_help_and_sort_names_agree_with_the_library() -> None:
    assert cli.ENV_DATA_DIR == library.ENV_DATA_DIR
    assert cli.SORTS == tuple(str(s) for s in library.Sort)
    assert cli.DEFAULT_SORT == str(library.Sort.RANK)


def test_bundled_seeds_is_still_importable_from_the_cli() -> None:
    from reader.paths import bundled_seeds

    assert cli.bundled_seeds is bundled_seeds
    assert sorted(p.name for p in bundled_seeds().iterdir() if p.suffix == ".txt")


HEAVY = ("reader.library", "feedparser", "reader.stories", "reader.subscriptions", "sqlite3")


def _modules_after(argv: list[str], cwd: Path) -> set[str]:
    code = (
        "import sys, io, json\n"
        "from reader.cli import main\n"
        "try:\n"
        f"    main({argv!r}, out=io.StringIO())\n"
        "except SystemExit:\n"
        "    pass\n"
        "sys.stderr.write(json.dumps(sorted(sys.modules)))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=cwd, timeout=60)
    return set(json.loads(result.stderr.splitlines()[-1]))


def test_version_and_help_import_no_library(tmp_path: Path) -> None:
    for argv in (["--version"], ["--help"]):
        modules = _modules_after(argv, tmp_path)
        assert "reader.cli" in modules
        assert not modules & {*HEAVY, "yaml", "reader.documents"}, argv


def test_check_imports_feedparser_only_for_a_feed(seeds_dir: Path, tmp_path: Path) -> None:
    modules = _modules_after(["check", str(seeds_dir)], tmp_path)
    assert "reader.documents" in modules
    assert not modules & set(HEAVY)
    feed = Path(__file__).parent / "data" / "feeds" / "atom10.atom"
    modules = _modules_after(["check", str(feed)], tmp_path)
    assert "feedparser" in modules
    assert "reader.library" not in modules


def test_a_command_help_names_the_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["search", "--help"])
    assert exit_info.value.code == 0
    usage = capsys.readouterr().out
    assert usage.startswith("usage: reader search [-h] [--data-dir DIR]")
    assert "QUERY [PATH ...]" in usage
