"""One bad document, a full disk, an unwritable data folder or a damaged library file never
stops the others: what the library does on a user's worst day."""

from __future__ import annotations

import dataclasses
import io
import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from reader import cli
from reader.article import Article, Document
from reader.documents import parse_path
from reader.library import Library

ROOT = Path(os.path.abspath(__file__)).parent.parent
SEEDS = ROOT / "seeds"


def news(n: int, extra: str = "") -> str:
    return (
        f"---\ntitle: Good story number {n}\nwebUrl: https://news.example/story/{n}\n"
        f"publishedDateTime: 2020-02-05T10:00:00Z\nheat: {n}\n{extra}---\nBody {n}.\n"
    )


def folder_of_good_documents(folder: Path, n: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        path = folder / f"good-{i:05d}.md"
        path.write_text(news(i), encoding="utf-8")
        paths.append(path)
    return paths


# --------------------------------------------------------------------------- one bad document


def test_a_number_past_64_bits_is_that_documents_problem_and_the_rest_is_stored(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    folder_of_good_documents(docs, 300)
    (docs / "bad-heat.md").write_text(news(9999, "").replace("heat: 9999", "heat: 9223372036854775808"), encoding="utf-8")
    (docs / "bad-quality.md").write_text(news(9998, "quality: -9223372036854775809\n"), encoding="utf-8")
    with Library(tmp_path / "data") as lib:
        report = lib.sync([docs])
        problems = {Path(p.path).name: p.reason for p in lib.problems()}
        assert lib.counts().all.total == 300
    assert report.problems == 2
    assert problems == {
        "bad-heat.md": "heat: '9223372036854775808' is out of range (whole numbers run from -2^63 to 2^63 - 1)",
        "bad-quality.md": "quality: '-9223372036854775809' is out of range (whole numbers run from -2^63 to 2^63 - 1)",
    }
    # reader check agrees with the sync
    out = io.StringIO()
    assert cli.main(["check", str(docs)], out=out) == 1
    assert out.getvalue().splitlines()[-1] == "302 documents: 300 ok, 2 problems"


def test_a_document_that_cannot_be_stored_is_its_own_problem(tmp_path: Path) -> None:
    """Whatever makes storing one document fail (here a parser that let a value through that
    SQLite refuses), the others of its batch are stored."""
    docs = tmp_path / "docs"
    paths = folder_of_good_documents(docs, 50)
    victim = str(paths[17])

    def parse(batch: Sequence[str]) -> list[Document]:
        parsed = [parse_path(p) for p in batch]
        return [
            dataclasses.replace(d, heat=2**70) if p == victim and isinstance(d, Article) else d
            for p, d in zip(batch, parsed, strict=True)
        ]

    with Library(tmp_path / "data") as lib:
        report = lib.sync([docs], parse=parse, batch_size=20)
        problems = lib.problems()
        assert lib.counts().all.total == 49
        assert len(lib.search("good", limit=None)) == 49
    assert report.problems == 1 and report.parsed == 50
    assert [p.path for p in problems] == [victim]
    assert problems[0].reason.startswith("could not be stored: ")
    assert "too large" in problems[0].reason and "\n" not in problems[0].reason


# --------------------------------------------------------------------------- the command line


def _fill_the_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every connection opened from now on finds the disk full (SQLite's own page limit at
    the file's present size: any write that needs a new page fails with SQLITE_FULL)."""
    configure = Library._configure

    def full(db: sqlite3.Connection) -> None:
        configure(db)
        pages = db.execute("PRAGMA page_count").fetchone()[0]
        db.execute(f"PRAGMA max_page_count = {pages}")

    monkeypatch.setattr(Library, "_configure", staticmethod(full))


@pytest.mark.parametrize(
    "command",
    [
        ["search", "story", "{docs}"],
        ["search", "story", "{docs}", "--json"],
        ["stories", "{docs}"],
        ["opml", "import", "{opml}"],
    ],
)
def test_a_full_disk_is_one_line_and_exit_status_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    docs = tmp_path / "docs"
    folder_of_good_documents(docs, 300)
    opml = tmp_path / "subs.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><head/><body>'
        + "".join(f'<outline type="rss" xmlUrl="https://news.example/{i}.xml"/>' for i in range(400))
        + "</body></opml>",
        encoding="utf-8",
    )
    data = tmp_path / "data"
    Library(data).close()  # an empty library, then the disk is full
    _fill_the_disk(monkeypatch)
    argv = [part.format(docs=docs, opml=opml) for part in command] + ["--data-dir", str(data)]
    status = cli.main(argv, out=io.StringIO())
    err = capsys.readouterr().err
    assert status == 2, err
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"reader {command[0]}: "), err
    assert "full" in lines[0]


def test_a_full_disk_in_a_child_process_is_one_line(tmp_path: Path) -> None:
    """The real program, as a user runs it: the full disk met in the middle of a search."""
    docs = tmp_path / "docs"
    folder_of_good_documents(docs, 300)
    data = tmp_path / "data"
    Library(data).close()
    script = (
        "import sys\n"
        "from reader import cli\n"
        "from reader.library import Library\n"
        "configure = Library._configure\n"
        "def full(db):\n"
        "    configure(db)\n"
        "    db.execute('PRAGMA max_page_count = %d' % db.execute('PRAGMA page_count').fetchone()[0])\n"
        "Library._configure = staticmethod(full)\n"
        "sys.exit(cli.main(sys.argv[1:]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, "search", "story", str(docs), "--data-dir", str(data)],
        capture_output=True, text=True, timeout=120, cwd=ROOT,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr, result.stderr
    assert result.stderr.startswith("reader search: the library could not be written: database or disk is full")


def _refuse_writing(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """``folder`` cannot be written (root writes anywhere: the refusal is simulated)."""
    real_access = os.access
    target = folder.resolve()
    monkeypatch.setattr(
        os, "access", lambda path, mode, **kw: False if Path(path).resolve() == target else real_access(path, mode, **kw)
    )


@pytest.mark.parametrize("how", ["option", "environment"])
def test_a_relative_unwritable_data_dir_holding_a_library_gives_a_read_only_session(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], how: str
) -> None:
    monkeypatch.chdir(tmp_path)
    docs = tmp_path / "docs"
    folder_of_good_documents(docs, 5)
    with Library(tmp_path / "data") as lib:
        lib.sync([docs])
    _refuse_writing(monkeypatch, tmp_path / "data")
    if how == "option":
        argv = ["search", "story", "--data-dir", "data"]
    else:
        monkeypatch.setenv("READER_DATA_DIR", "data")
        argv = ["search", "story"]
    out = io.StringIO()
    assert cli.main(argv, out=out) == 0
    assert len(out.getvalue().splitlines()) == 5
    err = capsys.readouterr().err.splitlines()
    # said once (not once more by logging), and naming the real folder
    assert len(err) == 1 and "cannot be written" in err[0] and str(tmp_path / "data") in err[0], err


def test_subscribing_in_a_read_only_session_says_it_cannot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    Library(data).close()
    _refuse_writing(monkeypatch, data)
    out = io.StringIO()
    status = cli.main(["subscribe", "--no-fetch", "https://news.example/feed.xml", "--data-dir", str(data)], out=out)
    err = capsys.readouterr().err
    assert status == 2 and out.getvalue() == ""
    assert "reader subscribe: cannot subscribe in a read-only session" in err
    monkeypatch.undo()
    with Library(data) as lib:
        assert lib.db.execute("SELECT count(*) FROM subscriptions").fetchone()[0] == 0


# --------------------------------------------------------------------------- commits still in the write-ahead log

LOG_WRITER = r"""
import os, signal, sys
from reader.library import Library

first, second, data, how = sys.argv[1:5]
lib = Library(data)
lib.sync([first])
lib.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the file holds the first sync ...
lib.db.execute("PRAGMA wal_autocheckpoint = 0")  # ... and what follows is only in the log
lib.sync([second])
rows = lib.rows(lib.article_rowids()).values()
lib.set_read([row.id for row in rows if row.title in ("Good story number 0", "Good story number 1", "Good story number 100")])
lib.set_starred([row.id for row in rows if row.title == "Good story number 1"])
lib.save_search("later", "story")
sys.stdout.write("committed\n")
sys.stdout.flush()
if how == "killed":
    os.kill(os.getpid(), signal.SIGKILL)  # never closed: nothing is copied from the log to the file
sys.stdin.read()  # still running (with the library open) until told to stop
"""


def _commit_into_the_log(tmp_path: Path, how: str) -> tuple[Path, subprocess.Popen[str]]:
    """A data folder whose last commits (5 articles synced, 3 read marks, a star, a saved
    search) are only in its write-ahead log: the process that made them is killed, or still
    running. Returns the data folder and that process."""
    folder_of_good_documents(tmp_path / "first", 10)
    (tmp_path / "second").mkdir()
    for n in range(100, 105):
        (tmp_path / "second" / f"good-{n}.md").write_text(news(n), encoding="utf-8")
    data = tmp_path / "data"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    writer = subprocess.Popen(
        [sys.executable, "-c", LOG_WRITER, str(tmp_path / "first"), str(tmp_path / "second"), str(data), how],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True,
    )  # fmt: skip
    assert writer.stdout is not None and writer.stdout.readline() == "committed\n", writer.communicate()
    if how == "killed":
        writer.communicate(timeout=60)
        assert writer.returncode == -signal.SIGKILL
    assert (data / "library.sqlite3-wal").stat().st_size > 0
    return data, writer


def _assert_everything_committed(lib: Library) -> None:
    rows = {row.title: row for row in lib.rows(lib.article_rowids()).values()}
    assert len(rows) == 15
    assert sorted(title for title, row in rows.items() if row.read) == [
        "Good story number 0", "Good story number 1", "Good story number 100",
    ]  # fmt: skip
    assert [title for title, row in rows.items() if row.starred] == ["Good story number 1"]
    assert [search.name for search in lib.saved_searches()] == ["later"]


@pytest.mark.parametrize("how", ["killed", "running"])
def test_a_read_only_session_holds_the_commits_still_in_the_write_ahead_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    data, writer = _commit_into_the_log(tmp_path, how)
    try:
        before = {path.name: path.read_bytes() for path in data.iterdir() if path.name != "library.sqlite3-shm"}
        _refuse_writing(monkeypatch, data)
        with Library(data) as lib:
            assert lib.read_only is not None
            _assert_everything_committed(lib)
            lib.set_read([row.id for row in lib.rows(lib.article_rowids()).values()])  # kept in the session's copy
        assert {path.name: path.read_bytes() for path in data.iterdir() if path.name != "library.sqlite3-shm"} == before
    finally:
        writer.communicate()  # (a running writer stops when its input ends)
    monkeypatch.undo()
    with Library(data) as lib:  # the data folder's library, as it was left
        _assert_everything_committed(lib)


def test_a_read_only_session_copies_the_file_and_its_log_when_the_log_cannot_be_read_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder that cannot be written holding a write-ahead log without its index
    (``-shm``): SQLite cannot read the library in place (it cannot make the index there),
    so the file and its log are copied and the log is read into the copy. (Root writes
    anywhere, so SQLite's refusal is simulated; the next test sees it for real.)"""
    from reader.library import database

    data, _writer = _commit_into_the_log(tmp_path, "killed")
    (data / "library.sqlite3-shm").unlink()
    before = {path.name: path.read_bytes() for path in data.iterdir()}
    _refuse_writing(monkeypatch, data)

    def refused(path: Path) -> sqlite3.Connection:
        assert path == data / "library.sqlite3"
        raise sqlite3.OperationalError("unable to open database file")

    monkeypatch.setattr(database, "_open_to_read", refused)
    with Library(data) as lib:
        assert lib.read_only is not None
        _assert_everything_committed(lib)
    assert {path.name: path.read_bytes() for path in data.iterdir()} == before


@pytest.mark.parametrize("code", [sqlite3.SQLITE_BUSY, sqlite3.SQLITE_READONLY])
def test_a_library_in_use_elsewhere_that_cannot_be_read_in_place_is_not_copied_file_by_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, code: int
) -> None:
    """The library cannot be read in place for another reason than a missing index (busy
    past the wait; another user's index that cannot be written) while its index (``-shm``)
    is there: a Reader may have it open and be writing, so a copy of the file and then of
    its log could be of two moments. The session starts empty, and says why."""
    from reader.library import database

    data, writer = _commit_into_the_log(tmp_path, "running")
    try:
        assert (data / "library.sqlite3-shm").exists()
        _refuse_writing(monkeypatch, data)

        def refused(path: Path) -> sqlite3.Connection:
            error = sqlite3.OperationalError("database is locked" if code == sqlite3.SQLITE_BUSY else "attempt to write a readonly database")
            error.sqlite_errorcode = code  # type: ignore[attr-defined]
            raise error

        monkeypatch.setattr(database, "_open_to_read", refused)
        with caplog.at_level("WARNING", logger="reader.library.database"), Library(data) as lib:
            assert lib.read_only is not None
            assert lib.counts().all.total == 0
        assert "could not copy the library for a read-only session" in caplog.text
    finally:
        writer.communicate()


def test_a_library_that_cannot_be_opened_in_place_is_copied_file_by_file_also_beside_an_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite cannot open the library in place at all (``SQLITE_CANTOPEN``), beside an index
    left by a Reader that was killed: the file and its log are copied, with every commit."""
    from reader.library import database

    data, _writer = _commit_into_the_log(tmp_path, "killed")
    assert (data / "library.sqlite3-shm").exists()
    _refuse_writing(monkeypatch, data)

    def refused(path: Path) -> sqlite3.Connection:
        error = sqlite3.OperationalError("unable to open database file")
        error.sqlite_errorcode = sqlite3.SQLITE_CANTOPEN  # type: ignore[attr-defined]
        raise error

    monkeypatch.setattr(database, "_open_to_read", refused)
    with Library(data) as lib:
        assert lib.read_only is not None
        _assert_everything_committed(lib)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes in a folder with mode 555")
@pytest.mark.parametrize("left", ["log and index", "log alone", "closed"])
def test_a_folder_that_cannot_be_written_gives_a_session_with_every_commit(tmp_path: Path, left: str) -> None:
    data, _writer = _commit_into_the_log(tmp_path, "killed")
    if left == "log alone":
        (data / "library.sqlite3-shm").unlink()
    elif left == "closed":
        Library(data).close()  # (the log is copied into the file and removed)
        assert not (data / "library.sqlite3-wal").exists()
    before = {path.name: path.read_bytes() for path in data.iterdir()}
    for path in data.iterdir():  # as on a disk mounted read-only
        path.chmod(0o444)
    data.chmod(0o555)
    try:
        with Library(data) as lib:
            assert lib.read_only is not None
            _assert_everything_committed(lib)
        assert {path.name: path.read_bytes() for path in data.iterdir()} == before
    finally:
        data.chmod(0o755)


# --------------------------------------------------------------------------- two processes, one new data folder

OPENER = r"""
import sys
from reader.library import Library

sys.stdout.write("ready\n")
sys.stdout.flush()
for line in sys.stdin:  # one new data folder a line, opened as soon as it comes
    try:
        Library(line.rstrip("\n")).close()
        answer = "ok"
    except Exception as error:
        answer = f"{type(error).__name__}: {error}"
    sys.stdout.write(answer.replace("\n", " ") + "\n")
    sys.stdout.flush()
"""

ROUNDS = 40


def test_two_processes_creating_a_new_data_folder_at_once_both_open_it(tmp_path: Path) -> None:
    """A window and a command (or two commands) started together on a data folder that does
    not exist yet: both open it, and there is one library, made once."""
    from reader.library import SCHEMA_VERSION

    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    openers = [
        subprocess.Popen([sys.executable, "-c", OPENER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, text=True)
        for _ in range(2)
    ]
    answers: list[list[str]] = []
    try:
        for opener in openers:
            assert opener.stdout is not None and opener.stdout.readline() == "ready\n"
        for n in range(ROUNDS):  # the same new folder to both at the same moment, again and again
            for opener in openers:
                assert opener.stdin is not None
                opener.stdin.write(f"{tmp_path / str(n) / 'data'}\n")
            for opener in openers:
                opener.stdin.flush()  # type: ignore[union-attr]
            answers.append([opener.stdout.readline().rstrip("\n") for opener in openers])  # type: ignore[union-attr]
    finally:
        for opener in openers:
            opener.communicate(timeout=60)
    assert [pair for pair in answers if pair != ["ok", "ok"]] == []
    for n in range(ROUNDS):
        data = tmp_path / str(n) / "data"
        # (nothing moved aside as unreadable; the log may stay when both closed at once)
        assert {path.name for path in data.iterdir()} <= {"library.sqlite3", "library.sqlite3-wal", "library.sqlite3-shm"}
        db = sqlite3.connect(data / "library.sqlite3")
        try:
            assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
            assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert db.execute("SELECT count(*) FROM story_state").fetchone()[0] == 1  # (one row, made with the tables)
        finally:
            db.close()


def test_a_new_library_file_another_connection_is_writing_is_waited_for(tmp_path: Path) -> None:
    """The moment the race above hits: another connection holds the write lock of the new,
    empty library file (as another process does while it switches it to the write-ahead
    log) when this one switches it; SQLite refuses at once rather than wait, and the
    opening waits for the other rather than fail."""
    import threading

    from reader.library import SCHEMA_VERSION

    data = tmp_path / "data"
    data.mkdir()
    other = sqlite3.connect(data / "library.sqlite3", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    opened: list[object] = []

    def open_it() -> None:
        try:
            with Library(data) as lib:
                opened.append(lib.db.execute("PRAGMA user_version").fetchone()[0])
        except Exception as error:  # (a failure to open is the answer looked at below)
            opened.append(error)

    opener = threading.Thread(target=open_it)
    opener.start()
    opener.join(timeout=0.5)
    assert opened == []  # still waiting for the other connection
    other.execute("ROLLBACK")
    other.close()
    opener.join(timeout=30)
    assert opened == [SCHEMA_VERSION]


def test_the_cli_counts_every_problem_known_under_its_paths(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A sync that was interrupted (or any earlier one) read the bad files already; this run
    finds them unchanged, and still says how many there are."""
    docs = tmp_path / "docs"
    folder_of_good_documents(docs, 30)
    for n in range(3):
        (docs / f"bad-{n}.md").write_text("---\ntitle: [unclosed\n---\n", encoding="utf-8")
    data = tmp_path / "data"
    with Library(data) as lib:
        lib.sync([docs], cancelled=iter([False] * 40 + [True] * 1000).__next__, batch_size=10)
        assert len(lib.problems()) == 3
    assert cli.main(["search", "story", str(docs), "--data-dir", str(data)], out=io.StringIO()) == 0
    assert capsys.readouterr().err == "reader: 3 documents could not be read (see: reader check PATH)\n"


# --------------------------------------------------------------------------- a damaged library file

CORPUS = ROOT / "tests" / "data" / "corpus"


def _damage(db_file: Path, tables: Sequence[str], pages: int, seed: int = 7) -> list[tuple[str, int, int]]:
    """Overwrite ``pages`` pages of each of ``tables`` (leaf pages, from the middle) with
    random bytes, as a failing disk would. Returns (table, page number, rows on it)."""
    import random

    db = sqlite3.connect(db_file)
    try:
        size = db.execute("PRAGMA page_size").fetchone()[0]
        chosen = []
        for table in tables:
            leaves = db.execute(
                "SELECT pageno, ncell FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno", (table,)
            ).fetchall()
            assert leaves, table
            middle = max(0, len(leaves) // 2 - pages // 2)
            chosen += [(table, page, cells) for page, cells in leaves[middle : middle + pages]]
    finally:
        db.close()
    noise = random.Random(seed)
    with open(db_file, "r+b") as handle:
        for _table, page, _cells in chosen:
            handle.seek((page - 1) * size)
            handle.write(bytes(noise.getrandbits(8) for _ in range(size)))
    return chosen


@pytest.fixture
def marked_library(tmp_path: Path) -> tuple[Path, Path, dict[str, tuple[bool, bool]]]:
    """A library of the corpus and the seeds (copied), with every third article marked read
    and every fifth starred; closed (so everything is in the main file)."""
    import shutil

    docs = tmp_path / "docs"
    shutil.copytree(CORPUS, docs / "corpus")
    shutil.copytree(SEEDS, docs / "seeds")
    data = tmp_path / "data"
    marks: dict[str, tuple[bool, bool]] = {}
    with Library(data) as lib:
        lib.sync([docs])
        rows = lib.rows(lib.article_rowids())
        for n, row in enumerate(sorted(rows.values(), key=lambda r: r.id)):
            read, starred = n % 3 == 0, n % 5 == 0
            if read:
                lib.set_read([row.id])
            if starred:
                lib.set_starred([row.id])
            marks[row.id] = (read, starred)
        lib.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return docs, data, marks


def _reference_search(tmp_path: Path, docs: Path, query: str) -> list[str]:
    with Library(tmp_path / "reference") as ref:
        ref.sync([docs])
        return [hit.row.id for hit in ref.search(query, limit=None)]


@pytest.mark.parametrize("operation", ["search", "sync", "counts", "set_read"])
def test_damaged_pages_found_by_any_operation_are_rebuilt_keeping_the_marks(
    tmp_path: Path,
    marked_library: tuple[Path, Path, dict[str, tuple[bool, bool]]],
    operation: str,
) -> None:
    docs, data, marks = marked_library
    _damage(data / "library.sqlite3", ["articles", "articles_fts_data", "article_topics", "sqlite_autoindex_articles_1"], pages=2)
    with Library(data) as lib:  # opens fine: the damage is inside
        assert lib.warnings == []
        if operation == "search":
            hits = [hit.row.id for hit in lib.search("facebook", limit=None)]
            assert hits == _reference_search(tmp_path, docs, "facebook") and hits
        elif operation == "sync":
            for path in docs.rglob("*"):  # every document edited: every article is written again
                os.utime(path, (path.stat().st_mtime + 60,) * 2)
            report = lib.sync([docs])
            assert report.problems == 0
        elif operation == "counts":
            assert lib.counts().all.total == len(marks)
        else:
            some = sorted(marks)[1]
            lib.set_read([some])
            marks[some] = (True, marks[some][1])
        assert len(lib.warnings) == 1 and "damaged" in lib.warnings[0]
        kept = [p.name for p in data.iterdir() if p.name.startswith("library.sqlite3.corrupt-")]
        assert len(kept) == 1 and kept[0] in lib.warnings[0]
        # rebuilt from the documents: everything is there, searchable, with its marks
        assert lib.counts().all.total == len(marks)
        assert len(lib.search("clearview", limit=None)) == len(_reference_search(tmp_path, docs, "clearview"))
        assert {row.id: (row.read, row.starred) for row in lib.rows(lib.article_rowids()).values()} == marks
        assert lib.problems() == []
    with Library(data) as again:  # the new file is sound
        assert again.db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert again.warnings == []


def test_marks_on_readable_pages_are_kept_when_the_marks_themselves_are_damaged(
    tmp_path: Path, marked_library: tuple[Path, Path, dict[str, tuple[bool, bool]]]
) -> None:
    docs, data, marks = marked_library
    damaged = _damage(data / "library.sqlite3", ["entries"], pages=1)
    lost_at_most = sum(cells for _t, _p, cells in damaged)
    with Library(data) as lib:
        lib.search("facebook")
        assert lib.counts().all.total == len(marks)
        now = {row.id: (row.read, row.starred) for row in lib.rows(lib.article_rowids()).values()}
    marked = {i for i, m in marks.items() if any(m)}
    kept = {i for i in marked if now[i] == marks[i]}
    assert len(marked) - len(kept) <= lost_at_most < len(marked)
    assert all(not any(now[i]) for i in marks if i not in marked)  # nothing marked that was not


def test_the_cli_on_a_damaged_library_rebuilds_it_and_says_so_in_one_line(
    tmp_path: Path, marked_library: tuple[Path, Path, dict[str, tuple[bool, bool]]]
) -> None:
    docs, data, _marks = marked_library
    _damage(data / "library.sqlite3", ["articles", "articles_fts_data"], pages=2)
    result = subprocess.run(
        [sys.executable, "-m", "reader", "search", "facebook", str(docs), "--data-dir", str(data)],
        capture_output=True, text=True, timeout=300, cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "damaged" in lines[0] and "was kept as library.sqlite3.corrupt-" in lines[0], lines
    assert len(result.stdout.splitlines()) == len(_reference_search(tmp_path, docs, "facebook"))


# --------------------------------------------------------------------------- durability and turns


def test_commits_are_on_disk_before_they_return(tmp_path: Path) -> None:
    """synchronous=FULL: in WAL mode NORMAL may lose the last commits on a power cut."""
    with Library(tmp_path / "data") as lib:
        assert lib.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert lib.db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        other = lib.reopen()
        try:
            assert other.db.execute("PRAGMA synchronous").fetchone()[0] == 2
        finally:
            other.close()


def test_a_mark_goes_before_the_next_batch_of_a_sync(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A sync commits batch after batch; a mark asked for while a batch is being written is
    written before the sync's next batch starts (SQLite's lock, polled, would let the sync
    take it again at once, batch after batch)."""
    import threading

    docs = tmp_path / "docs"
    folder_of_good_documents(docs, 60)
    data = tmp_path / "data"
    Library(data).close()
    order: list[str] = []
    in_batch = threading.Event()
    go_on = threading.Event()
    store = Library._store

    def slow_first_store(self: Library, *args: object, **kwargs: object) -> object:
        order.append("batch")
        if len(order) == 1:  # the first batch holds the write lock until the mark waits for it
            in_batch.set()
            go_on.wait(10)
        return store(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Library, "_store", slow_first_store)

    def mark() -> None:
        with Library(data) as window:
            in_batch.wait(10)
            threading.Timer(0.3, go_on.set).start()
            window.set_read(["some-id"])
            order.append("mark")

    marker = threading.Thread(target=mark)
    marker.start()
    with Library(data) as loader:
        loader.sync([docs], batch_size=10, group=False)
    marker.join()
    assert order.count("batch") == 6
    assert order[:3] == ["batch", "mark", "batch"], order


def test_a_write_abandoned_while_it_waits_for_the_lock_is_rolled_back_once_it_gets_it(tmp_path: Path) -> None:
    """SQLite's wait for another connection's write lock does not end on an interrupt: a
    write abandoned meanwhile still gets the lock when it is free, and must change nothing."""
    import threading

    from reader.library import LibraryError

    docs = tmp_path / "docs"
    folder_of_good_documents(docs, 3)
    data = tmp_path / "data"
    with Library(data) as lib:
        lib.sync([docs])
        ids = [i for (i,) in lib.db.execute("SELECT id FROM articles")]
    holder = sqlite3.connect(data / "library.sqlite3", isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    outcome: list[object] = []
    with Library(data) as window:
        def mark() -> None:
            try:
                outcome.append(window.mark_rows_read([1, 2, 3]))
            except LibraryError as error:
                outcome.append(error)

        marker = threading.Thread(target=mark)
        marker.start()
        marker.join(0.3)  # (waiting for the lock)
        window.abandon_writes()
        holder.execute("ROLLBACK")
        holder.close()
        marker.join(10)
        assert len(outcome) == 1 and isinstance(outcome[0], LibraryError), outcome
        with pytest.raises(LibraryError):
            window.set_read(ids[:1])  # (and every later write)
    with Library(data) as lib:
        assert not any(lib.is_read(i) for i in ids)


def test_a_feed_entry_that_cannot_be_stored_is_its_own_problem(tmp_path: Path) -> None:
    from reader.feeds import Feed

    docs = tmp_path / "docs"
    folder_of_good_documents(docs, 5)
    items = "".join(
        f"<item><title>Entry {n}</title><link>https://feed.example/{n}</link><guid>e{n}</guid></item>" for n in range(3)
    )
    feed_file = docs / "feed.xml"
    feed_file.write_text(f'<?xml version="1.0"?><rss version="2.0"><channel><title>F</title>{items}</channel></rss>', "utf-8")

    def parse(batch: Sequence[str]) -> list[Document]:
        parsed = [parse_path(p) for p in batch]
        out: list[Document] = []
        for doc in parsed:
            if isinstance(doc, Feed):
                articles = tuple(dataclasses.replace(a, heat=2**70) if a.title == "Entry 1" else a for a in doc.articles)
                doc = dataclasses.replace(doc, articles=articles)  # type: ignore[assignment]
            out.append(doc)
        return out

    with Library(tmp_path / "data") as lib:
        report = lib.sync([docs], parse=parse)
        stored = sorted(row.title for row in lib.rows(lib.article_rowids()).values())
        problems = lib.problems()
    assert stored == ["Entry 0", "Entry 2"] + [f"Good story number {n}" for n in range(5)]
    assert len(problems) == 1 and problems[0].path.startswith(str(feed_file))
    assert problems[0].reason.startswith("could not be stored: ")
    assert report.problems == 1


def test_saved_searches_and_labels_are_kept_when_a_damaged_library_is_rebuilt(
    tmp_path: Path, marked_library: tuple[Path, Path, dict[str, tuple[bool, bool]]]
) -> None:
    docs, data, marks = marked_library
    some = sorted(marks)[:3]
    with Library(data) as lib:
        lib.save_search("Faces", "facebook")
        lib.set_rule("Faces", ["label:faces"])
        for article in some:
            lib.set_labels(article, ["kept"])
        lib.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    _damage(data / "library.sqlite3", ["articles", "articles_fts_data"], pages=2)
    with Library(data) as lib:
        lib.search("facebook")
        assert len(lib.warnings) == 1 and "damaged" in lib.warnings[0]
        assert [(s.name, s.query, s.actions) for s in lib.saved_searches()] == [("Faces", "facebook", ("label:faces",))]
        assert all(lib.labels_of(article) == ("kept",) for article in some)
        assert lib.counts().labels["kept"].total == 3
        assert "faces" not in lib.labels()  # the rebuild is no arrival: the rule acted on nothing


def test_full_texts_are_kept_when_a_damaged_library_is_rebuilt(
    marked_library: tuple[Path, Path, dict[str, tuple[bool, bool]]],
) -> None:
    from reader.fulltext import PARAGRAPH, Block, FullText, Run

    _docs, data, marks = marked_library
    some = sorted(marks)[2]
    full = FullText("https://example.org/page", 1_700_000_000.0, (Block(PARAGRAPH, (Run("A zanzibarian word only here."),)),))
    with Library(data) as lib:
        lib.store_fulltext(some, full, "a title")
        lib.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    _damage(data / "library.sqlite3", ["articles", "articles_fts_data"], pages=2)
    with Library(data) as lib:
        lib.search("facebook", limit=None)  # meets the damage: moved aside and rebuilt
        assert len(lib.warnings) == 1 and "damaged" in lib.warnings[0]
        assert lib.fulltext(some) == full
        assert [hit.row.id for hit in lib.search("zanzibarian")] == [some]


def test_a_rebuilt_library_gives_no_rowid_the_damaged_one_gave(
    marked_library: tuple[Path, Path, dict[str, tuple[bool, bool]]],
) -> None:
    """A list read from the damaged file (in another Reader) names no article of the new one."""
    docs, data, marks = marked_library
    with Library(data) as lib:
        Path(lib.db.execute("SELECT path FROM articles ORDER BY rowid DESC LIMIT 1").fetchone()[0]).unlink()
        lib.sync([docs])  # (the largest rowid given is now that of an article removed)
        given = lib.db.execute("SELECT value FROM meta WHERE key = 'rowid_high'").fetchone()[0]
        assert given > lib.last_rowid()
        lib.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    _damage(data / "library.sqlite3", ["articles", "articles_fts_data"], pages=2)
    with Library(data) as lib:
        lib.search("facebook", limit=None)  # meets the damage: moved aside and rebuilt
        assert len(lib.warnings) == 1 and "damaged" in lib.warnings[0]
        assert lib.counts().all.total == len(marks) - 1
        assert lib.db.execute("SELECT min(rowid) FROM articles").fetchone()[0] == given + 1
