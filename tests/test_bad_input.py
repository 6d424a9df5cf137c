"""The catalogue of bad input (``tests/data/bad/``, ``tests/data/tricky/`` and what
``tests/data/make_bad.py`` makes): every entry through the parser and ``reader check``,
within bounded time and memory."""

from __future__ import annotations

import dataclasses
import io
import json
import os
import stat
import subprocess
import sys
import time
import tracemalloc
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from reader import cli, documents
from reader.library import sync as library_sync
from reader.article import Article, Kind, Problem
from reader.documents import parse_bytes, parse_path
from reader.library import Library
from reader.scan import iter_document_paths
from scripts import MAKE_BAD, load_script

TESTS_DIR = Path(__file__).resolve().parent
REPO_DIR = TESTS_DIR.parent
DATA_DIR = TESTS_DIR / "data"
BAD_DIR = DATA_DIR / "bad"
TRICKY_DIR = DATA_DIR / "tricky"
LONG_DIR = DATA_DIR / "long"


make_bad = load_script(MAKE_BAD)
BAD: dict[str, str] = {e.name: e.expect for e in make_bad.bad_entries()}
TRICKY: dict[str, str] = {e.name: e.expect for e in make_bad.tricky_entries()}
#: The generated inputs that are problems, and their reasons.
GENERATED_PROBLEMS: dict[str, str] = {name: reason for name, (reason, _) in make_bad.GENERATED.items() if reason}
#: Root reads a file of mode 000: then the unreadable entry reads fine (and a refusal is simulated).
IGNORES_PERMISSIONS = make_bad.ignores_permissions()
#: Generous bounds for any one bad input (the figures are printed: run with -s to see them).
MAX_SECONDS = 2.0
MAX_BYTES = 200 * 1024 * 1024


def assert_one_line(reason: str) -> None:
    assert reason and reason == reason.strip()
    assert "\n" not in reason and "\r" not in reason
    assert "Traceback" not in reason and "could not be read (" not in reason  # a parser bug


def run_check(*paths: str | os.PathLike[str]) -> tuple[subprocess.CompletedProcess[str], list[dict[str, object]]]:
    """``reader check --json PATHS`` in a child process, and its records."""
    result = subprocess.run(
        [sys.executable, "-m", "reader", "check", "--json", *map(str, paths)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        cwd=REPO_DIR,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    assert "Traceback" not in result.stderr, result.stderr
    assert result.stderr == ""
    return result, [json.loads(line) for line in result.stdout.splitlines()]


def by_name(records: list[dict[str, object]]) -> dict[str, dict[str, object]]:
    named = {Path(str(r["path"])).name: r for r in records}
    assert len(named) == len(records), "a file was reported twice"
    return named


# --------------------------------------------------------------------------- the committed catalogue


def test_the_script_made_the_committed_catalogue(tmp_path: Path) -> None:
    """The files on disk are what make_bad.py writes (run it with --catalogue after a change)."""
    make_bad.write_catalogue(tmp_path)
    for folder in ("bad", "tricky", "long"):
        committed = {p.name: p.read_bytes() for p in (DATA_DIR / folder).iterdir()}
        written = {p.name: p.read_bytes() for p in (tmp_path / folder).iterdir()}
        assert sorted(committed) == sorted(written)
        # zlib's output may differ between builds: the PNG is checked below instead.
        for name in committed.keys() - {"png-image.md"}:
            assert committed[name] == written[name], f"{folder}/{name} differs from what make_bad.py writes"


def test_the_catalogue_folders_hold_only_listed_files() -> None:
    listed = set(BAD) | {"README.md"}
    assert {p.name for p in BAD_DIR.iterdir()} == listed
    assert {p.name for p in TRICKY_DIR.iterdir()} == set(TRICKY) | {"README.md"}
    # Every file is a document to the folder walk; the README is a folder note.
    assert sorted(Path(p).name for p in iter_document_paths([BAD_DIR])) == sorted(BAD)
    assert sorted(Path(p).name for p in iter_document_paths([TRICKY_DIR])) == sorted(TRICKY)


def test_the_binary_entries_are_real_files() -> None:
    png = (BAD_DIR / "png-image.md").read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    chunks, position = [], 8
    while position < len(png):
        length = int.from_bytes(png[position : position + 4], "big")
        kind, payload = png[position + 4 : position + 8], png[position + 8 : position + 8 + length]
        crc = int.from_bytes(png[position + 8 + length : position + 12 + length], "big")
        assert crc == zlib.crc32(kind + payload)
        chunks.append((kind, payload))
        position += 12 + length
    assert [kind for kind, _ in chunks] == [b"IHDR", b"IDAT", b"IEND"]
    assert zlib.decompress(chunks[1][1]) == b"\x00\x80"
    with zipfile.ZipFile(BAD_DIR / "zip-archive.md") as archive:
        assert archive.testzip() is None
        assert archive.namelist() == ["robots-recycling.md"]


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_entry_is_a_problem(name: str) -> None:
    started = time.perf_counter()
    doc = parse_path(BAD_DIR / name)
    assert time.perf_counter() - started < MAX_SECONDS
    assert isinstance(doc, Problem), doc
    assert doc.path == str(BAD_DIR / name)
    assert_one_line(doc.reason)
    assert make_bad.reason_matches(doc.reason, BAD[name]), doc.reason


def test_reader_check_json_on_the_catalogue() -> None:
    result, records = run_check(BAD_DIR)
    assert result.returncode == 1
    assert len(records) == len(BAD)  # one line per bad file, nothing else
    named = by_name(records)
    assert sorted(named) == sorted(BAD)
    for name, record in named.items():
        assert record["ok"] is False, name
        assert isinstance(record["error"], str)
        assert_one_line(record["error"])
        assert make_bad.reason_matches(record["error"], BAD[name]), (name, record["error"])
        assert record["id"] is None and record["title"] is None


def test_reader_check_text_on_the_catalogue() -> None:
    out = io.StringIO()
    assert cli.main(["check", str(BAD_DIR)], out=out) == 1
    lines = out.getvalue().splitlines()
    assert lines[-1] == f"{len(BAD)} documents: 0 ok, {len(BAD)} problems"
    assert all(line.startswith("problem   ") for line in lines[:-1])
    assert len(lines) == len(BAD) + 1


def _reference() -> Article:
    doc = parse_bytes(make_bad.news(), "reference.md")
    assert isinstance(doc, Article)
    return doc


@pytest.mark.parametrize("name", sorted(TRICKY))
def test_tricky_entry_reads_fine(name: str) -> None:
    doc = parse_path(TRICKY_DIR / name)
    assert isinstance(doc, Article), doc
    assert doc.kind is Kind.NEWS
    assert doc.title == TRICKY[name]
    # Everything else is read as from the plain LF document (the language is detected from
    # the title too, so it is the title's business).
    reference = _reference()
    blank = {"path": "", "title": "", "language": None}
    assert dataclasses.replace(doc, **blank) == dataclasses.replace(reference, **blank)
    assert doc.body == make_bad.BODY.strip("\n")
    assert dict(doc.extra) == dict(reference.extra)


def _long_value(name: str, doc: Article) -> str:
    """The long value of the long-field document ``name`` (``long-link-100000.md``: its link)."""
    field = name.split("-")[1]
    if field == "link":
        return doc.url or ""
    if field == "topic":
        return max(doc.topics, key=len)
    if field == "source":
        return doc.provider.name if doc.provider else ""
    if field == "excerpt":
        return doc.excerpt or ""
    return doc.body


@pytest.mark.parametrize("entry", [*make_bad.long_field_entries(), *make_bad.long_field_entries(huge=True)],
                         ids=lambda e: e.name)
def test_a_long_field_reads_fine_and_whole(entry: Any) -> None:
    doc = parse_bytes(entry.data, entry.name)
    assert isinstance(doc, Article), doc
    assert doc.title == entry.expect
    length = int(entry.name.removesuffix(".md").rsplit("-", 1)[1])  # the length its name gives
    assert len(_long_value(entry.name, doc)) == length


def test_reader_check_on_the_long_folder() -> None:
    result, records = run_check(LONG_DIR)
    assert result.returncode == 0
    assert sorted(by_name(records)) == sorted(e.name for e in make_bad.long_field_entries())
    assert all(r["ok"] for r in records)


def test_reader_check_json_on_the_tricky_folder() -> None:
    result, records = run_check(TRICKY_DIR)
    assert result.returncode == 0
    named = by_name(records)
    assert sorted(named) == sorted(TRICKY)
    for name, record in named.items():
        assert record["ok"] is True and record["error"] is None
        assert record["title"] == TRICKY[name]
        assert record["published"] == "2020-02-05T22:56:00Z"
        assert record["topics"] == ["AI", "Robotics"]


# --------------------------------------------------------------------------- what the script makes


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    directory = tmp_path_factory.mktemp("bad") / "generated"
    made = make_bad.make_generated(directory)
    assert set(made) <= set(make_bad.GENERATED)
    yield directory
    (directory / "unreadable.md").chmod(0o644)


def _expected_problems(directory: Path) -> dict[str, str]:
    expected = {name: reason for name, reason in GENERATED_PROBLEMS.items() if os.path.lexists(directory / name)}
    if IGNORES_PERMISSIONS:  # root may read a file with mode 000
        expected.pop("unreadable.md")
    return expected


def test_the_script_makes_what_it_says(generated: Path) -> None:
    large = generated / "too-large-50mb.md"
    assert large.stat().st_size == 50 * 1024 * 1024 > documents.MAX_FILE_BYTES
    assert os.readlink(generated / "symlink-loop.md") == "symlink-loop.md"
    assert stat.S_IMODE((generated / "unreadable.md").stat().st_mode) == 0
    assert (generated / "folder-named-like-a-document.md").is_dir()
    assert (generated / "folder-loop").resolve() == generated.resolve()
    files = list((generated / "deep").rglob("*.md"))
    assert len(files) == 3000
    assert max(len(p.relative_to(generated / "deep").parts) for p in files) == 102  # branch + 100 + file


@pytest.mark.parametrize("name", sorted(GENERATED_PROBLEMS))
def test_generated_entry_is_a_problem(generated: Path, name: str) -> None:
    path = generated / name
    if not os.path.lexists(path):
        pytest.skip(f"{name} cannot be made here")
    started = time.perf_counter()
    doc = parse_path(path)
    assert time.perf_counter() - started < MAX_SECONDS
    if name == "unreadable.md" and IGNORES_PERMISSIONS:
        assert isinstance(doc, Article)  # root reads it; the simulated case below is refused
        return
    assert isinstance(doc, Problem), doc
    assert_one_line(doc.reason)
    assert make_bad.reason_matches(doc.reason, GENERATED_PROBLEMS[name]), doc.reason


def test_a_folder_named_like_a_document_is_walked(generated: Path) -> None:
    folder = generated / "folder-named-like-a-document.md"
    assert [Path(p).name for p in iter_document_paths([folder])] == ["inside.md"]
    result, records = run_check(folder)
    assert result.returncode == 0
    assert [(Path(str(r["path"])).name, r["ok"], r["title"]) for r in records] == [
        ("inside.md", True, "Inside a folder named like a document")
    ]


def test_reader_check_json_on_the_generated_folder(generated: Path) -> None:
    started = time.perf_counter()
    result, records = run_check(generated)
    seconds = time.perf_counter() - started
    assert result.returncode == 1
    paths = [Path(str(r["path"])) for r in records]
    assert len(set(paths)) == len(paths)  # the folder loop is walked once
    assert not any("folder-loop" in p.parts for p in paths)
    problems = {p.name: r["error"] for p, r in zip(paths, records, strict=True) if not r["ok"]}
    expected = _expected_problems(generated)
    assert sorted(problems) == sorted(expected)
    for name, reason in problems.items():
        assert isinstance(reason, str) and make_bad.reason_matches(reason, expected[name]), (name, reason)
    deep = [p for p in paths if "deep" in p.relative_to(generated).parts[:1]]
    assert len(deep) == 3000  # every one of the thousands of files, each ok
    assert "inside.md" in {p.name for p in paths}
    assert len(records) == 3000 + 1 + len(expected) + (1 if IGNORES_PERMISSIONS else 0)
    print(f"\nreader check --json on {len(records):,} generated files: {seconds:.2f} s")


def test_thousands_of_files_and_the_catalogue_sync_into_the_library(generated: Path, tmp_path: Path) -> None:
    """A sync this large parses in worker processes (with the fast YAML reader where it is
    available): the catalogue must give the same problems there."""
    started = time.perf_counter()
    big = {name: GENERATED_PROBLEMS[name] for name in ("list-5mb.md", "flow-list-5mb.md")}
    expected = {**BAD, **big}
    with Library(tmp_path / "data") as library:
        report = library.sync([generated / "deep", BAD_DIR, *(generated / name for name in big)])
        counts = library.counts()
        problems = library.problems()
    seconds = time.perf_counter() - started
    assert (report.files, report.parsed, report.problems) == (3000 + len(expected), 3000 + len(expected), len(expected))
    assert counts.all.total == 3000
    reasons = {Path(p.path).name: p.reason for p in problems}
    assert sorted(reasons) == sorted(expected)
    for name, reason in reasons.items():
        assert make_bad.reason_matches(reason, expected[name]), (name, reason)
    print(f"\nLibrary.sync of 3,000 files 100 folders deep and the catalogue: {seconds:.2f} s")


# --------------------------------------------------------------------------- between the scan and the read


def _lose(how: str, path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make ``path`` disappear, or unreadable (root reads anything: then the OS's refusal is
    simulated)."""
    if how == "deleted":
        path.unlink()
    elif not IGNORES_PERMISSIONS:
        path.chmod(0)
    else:
        real_open = open

        def refusing_open(file: object, *args: object, **kwargs: object) -> object:
            if os.fspath(file) == str(path):  # type: ignore[arg-type]
                raise PermissionError(13, "Permission denied", str(path))
            return real_open(file, *args, **kwargs)  # type: ignore[call-overload]

        monkeypatch.setattr(documents, "open", refusing_open, raising=False)


LOSSES = [("deleted", "the file disappeared before it could be read"), ("unreadable", "permission denied")]


def _folder(tmp_path: Path, seeds_dir: Path) -> tuple[Path, Path]:
    docs = tmp_path / "docs"
    docs.mkdir()
    for name in ("001_19301bc74b7f561c.txt", "004_a6c4789921a3cca4.txt"):
        (docs / name).write_bytes((seeds_dir / name).read_bytes())
    victim = docs / "victim.md"
    victim.write_bytes(make_bad.news())
    return docs, victim


@pytest.mark.parametrize(("how", "reason"), LOSSES)
def test_reader_check_when_a_file_goes_between_scan_and_read(
    tmp_path: Path, seeds_dir: Path, monkeypatch: pytest.MonkeyPatch, how: str, reason: str
) -> None:
    docs, victim = _folder(tmp_path, seeds_dir)
    real_scan = cli.iter_document_paths

    def scan_then_lose(paths: object, on_error: Callable[[str, OSError], None] | None = None) -> Iterator[str]:
        for path in real_scan(paths, on_error=on_error):  # type: ignore[arg-type]
            if path == str(victim):  # found by the walk; gone before parse_path reads it
                _lose(how, victim, monkeypatch)
            yield path

    monkeypatch.setattr(cli, "iter_document_paths", scan_then_lose)
    out = io.StringIO()
    try:
        assert cli.main(["check", "--json", str(docs)], out=out) == 1
    finally:
        if victim.exists():
            victim.chmod(0o644)
    named = by_name([json.loads(line) for line in out.getvalue().splitlines()])
    assert sorted(named) == ["001_19301bc74b7f561c.txt", "004_a6c4789921a3cca4.txt", "victim.md"]
    assert named["victim.md"]["ok"] is False
    assert named["victim.md"]["error"] == reason
    assert all(named[n]["ok"] for n in named if n != "victim.md")


@pytest.mark.parametrize(("how", "reason"), LOSSES)
def test_library_sync_when_a_file_goes_between_scan_and_read(
    tmp_path: Path, seeds_dir: Path, monkeypatch: pytest.MonkeyPatch, how: str, reason: str
) -> None:
    docs, victim = _folder(tmp_path, seeds_dir)
    real_scan = library_sync.iter_document_paths

    def scan_then_lose(paths: object, on_error: Callable[[str, OSError], None] | None = None) -> Iterator[str]:
        yield from real_scan(paths, on_error=on_error)  # type: ignore[arg-type]
        _lose(how, victim, monkeypatch)  # the scan is over; the reading starts

    monkeypatch.setattr(library_sync, "iter_document_paths", scan_then_lose)
    try:
        with Library(tmp_path / "data") as library:
            report = library.sync([docs])
            problems = library.problems()
            counts = library.counts()
    finally:
        if victim.exists():
            victim.chmod(0o644)
    assert (report.files, report.problems) == (3, 1)
    assert [(Path(p.path).name, p.reason) for p in problems] == [("victim.md", reason)]
    assert counts.all.total == 2  # the other documents load as usual


# --------------------------------------------------------------------------- bounded time and memory


def _all_bad_paths(generated: Path) -> list[Path]:
    paths = [BAD_DIR / name for name in sorted(BAD)]
    return paths + [generated / name for name in sorted(GENERATED_PROBLEMS) if os.path.lexists(generated / name)]


def test_every_bad_input_is_quick_and_small(generated: Path) -> None:
    figures = []
    for path in _all_bad_paths(generated):
        started = time.perf_counter()
        doc = parse_path(path)
        seconds = time.perf_counter() - started
        tracemalloc.start()
        try:
            parse_path(path)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        figures.append((seconds, peak, path.name, type(doc).__name__))
        assert seconds < MAX_SECONDS, path.name
        assert peak < MAX_BYTES, path.name
    figures.sort(reverse=True)
    print("\nslowest bad inputs (in this process; Python heap peak from tracemalloc):")
    for seconds, peak, name, kind in figures[:8]:
        print(f"  {name:32} {seconds * 1000:8.1f} ms {peak / 1e6:8.2f} MB  {kind}")


#: Run in a fresh process: parse one file, and report time, memory and bytes read. On Linux
#: the peak resident size is VmHWM, reset just before parsing (ru_maxrss would include the
#: parent's memory: Linux keeps it across fork and exec).
MEASURE = r"""
import json, resource, sys, time, tracemalloc
from reader import documents
from reader.documents import parse_bytes, parse_path

documents.use_fast_yaml(sys.argv[2] == "fast")  # the sync's worker processes read with it

def proc(name, field):
    try:
        with open(f"/proc/self/{name}") as handle:
            return int(dict(line.split(":", 1) for line in handle.read().splitlines())[field].split()[0])
    except (OSError, KeyError, ValueError):
        return None

def rss():  # (now, peak) in bytes
    now, peak = proc("status", "VmRSS"), proc("status", "VmHWM")
    if now is not None and peak is not None:
        return now * 1024, peak * 1024
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * (1 if sys.platform == "darwin" else 1024)
    return peak, peak

parse_bytes(b"---\ntitle: warm up\ntopics: [a]\n---\n", "warm-up.md")
try:
    with open("/proc/self/clear_refs", "w") as handle:
        handle.write("5")  # resets VmHWM to the current size
except OSError:
    pass
rss_before, _ = rss()
read_before = proc("io", "rchar")
started = time.perf_counter()
doc = parse_path(sys.argv[1])
seconds = time.perf_counter() - started
read_after = proc("io", "rchar")
_, rss_peak = rss()
tracemalloc.start()
parse_path(sys.argv[1])
traced = tracemalloc.get_traced_memory()[1]
tracemalloc.stop()
print(json.dumps({
    "kind": type(doc).__name__, "reason": getattr(doc, "reason", None), "seconds": seconds,
    "rss_peak": rss_peak, "rss_growth": max(0, rss_peak - rss_before), "traced_peak": traced,
    "bytes_read": None if read_before is None or read_after is None else read_after - read_before,
}))
"""

SLOWEST = [
    "alias-bomb.md",
    "deep-nesting-10000.md",
    "deep-nesting-10000-block.md",
    "title-100000-chars.md",
    "too-large-50mb.md",
    "list-5mb.md",
    "flow-list-5mb.md",
]


@pytest.mark.parametrize("yaml_path", ["pyyaml", "fast"])
@pytest.mark.parametrize("name", SLOWEST)
def test_the_slowest_bad_inputs_are_bounded_in_a_fresh_process(generated: Path, name: str, yaml_path: str) -> None:
    path = BAD_DIR / name if name in BAD else generated / name
    result = subprocess.run(
        [sys.executable, "-c", MEASURE, str(path), yaml_path], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr  # a negative code is a crash
    figures = json.loads(result.stdout)
    assert figures["kind"] == "Problem"
    assert figures["seconds"] < MAX_SECONDS
    assert figures["rss_growth"] < MAX_BYTES
    assert figures["traced_peak"] < MAX_BYTES
    if figures["bytes_read"] is not None:
        assert figures["bytes_read"] <= path.stat().st_size + 64 * 1024  # read once at most
        if name == "too-large-50mb.md":
            assert figures["bytes_read"] < 64 * 1024  # refused without being read
    print(
        f"\n{name} ({yaml_path}): {figures['seconds'] * 1000:.1f} ms, process peak RSS {figures['rss_peak'] / 1e6:.1f} MB "
        f"(+{figures['rss_growth'] / 1e6:.1f} MB while parsing), Python heap peak {figures['traced_peak'] / 1e6:.2f} MB, "
        f"read {figures['bytes_read']} bytes — {figures['reason']}"
    )


@pytest.mark.parametrize("fast", [False, True])
@pytest.mark.parametrize(("items", "ok"), [(19_998, True), (19_999, False)])
def test_the_value_limit_counts_what_the_document_holds(
    fast: bool, items: int, ok: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Values are the title, the list and its items (keys are not values): 20,000 of them
    are read, 20,001 are too many, in block and flow style, on either YAML path."""
    monkeypatch.setattr(documents, "_fast_yaml", fast and documents.fastyaml.AVAILABLE)
    for listed in ("".join(f"  - item {n}\n" for n in range(items)), "  [" + ", ".join(f"i{n}" for n in range(items)) + "]\n"):
        doc = parse_bytes(f"---\ntitle: Many items\nitems:\n{listed}---\n".encode(), "many.md")
        if ok:
            assert isinstance(doc, Article) and len(doc.extra["items"]) == items  # type: ignore[arg-type]
        else:
            assert isinstance(doc, Problem) and doc.reason == "front matter has too many values (more than 20,000)"
