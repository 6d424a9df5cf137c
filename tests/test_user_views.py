"""The user's own views in the library: saved searches (counts, listing, order, names) and
labels (kept by article id through re-syncs, moves, an article gone and back, kill -9, and
undone), and both in the query language, exports and the CLI."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader import cli
from reader.export import ExportFormat, collect, render
from reader.library import Count, Library, LibraryError, Sort, View, ViewKind, make_scope
from reader.search import QueryError

ROOT = Path(os.path.abspath(__file__)).parent.parent


def news(title: str, url: str, topics: list[str], body: str, published: str = "2020-01-02T03:04:05Z") -> str:
    lines = ["---", f"title: {json.dumps(title)}", f"webUrl: {json.dumps(url)}", f"publishedDateTime: {published}"]
    lines += ["topics:"] + [f"  - {json.dumps(t)}" for t in topics]
    return "\n".join([*lines, "---", body]) + "\n"


#: Twelve documents made here, so what each query finds is known from how they were made:
#: even numbers have the topic Even, every third one mentions "walrus", all mention "story".
N = 12


def make_docs(folder: Path, start: int = 0, n: int = N) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(start, start + n):
        topics = ["Even"] if i % 2 == 0 else ["Odd"]
        body = f"Story number {i}." + (" A walrus was seen." if i % 3 == 0 else "")
        path = folder / f"doc{i:03d}.md"
        path.write_text(news(f"Story {i}", f"https://example.com/{i}", topics, body), encoding="utf-8")
        paths.append(path)
    return paths


@pytest.fixture
def lib(tmp_path: Path) -> Iterator[Library]:
    library = Library(tmp_path / "data")
    yield library
    library.close()


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    make_docs(folder)
    return folder


def ids_by_title(lib: Library) -> dict[str, str]:
    """Every article's id by its title (those a rule hid from All too: every document has a topic)."""
    rowids = [r for topic in ("Even", "Odd") for r in lib.article_rowids(View(ViewKind.TOPIC, topic))]
    return {row.title: row.id for row in lib.rows(rowids).values()}


# --------------------------------------------------------------------------- saved searches


QUERIES = {  # query -> the numbers of the documents it finds (from make_docs)
    "topic:Even": {i for i in range(N) if i % 2 == 0},
    "walrus": {i for i in range(N) if i % 3 == 0},
    "walrus -topic:Even": {i for i in range(N) if i % 3 == 0 and i % 2},
    "story -walrus": {i for i in range(N) if i % 3},
    "topic:Odd is:unread": {i for i in range(N) if i % 2 and i not in (1, 5)},  # 1 and 5 are read below
}


def test_saved_search_counts_equal_search_over_the_same_query(lib: Library, docs: Path) -> None:
    lib.sync([docs])
    titles = ids_by_title(lib)
    lib.set_read([titles["Story 1"], titles["Story 5"], titles["Story 0"]])
    for name, query in enumerate(QUERIES):
        lib.save_search(f"s{name}", query)
    counts = lib.counts()
    assert list(counts.saved) == [f"s{n}" for n in range(len(QUERIES))]  # in the order saved
    for name, (query, numbers) in enumerate(QUERIES.items()):
        hits = lib.search(query, limit=None)
        assert {int(h.row.title.split()[1]) for h in hits} == numbers, query
        unread = {n for n in numbers if n not in (0, 1, 5)}
        assert counts.saved[f"s{name}"] == Count(len(hits), sum(not h.row.read for h in hits)) == Count(len(numbers), len(unread))
        # the saved search's view lists the same articles as the search
        listed = lib.article_rowids(View(ViewKind.SAVED, f"s{name}"))
        assert sorted(listed) == sorted(h.row.rowid for h in hits)
    # counts follow reading
    lib.set_read([titles["Story 2"]])
    assert lib.counts().saved["s0"] == Count(6, 4)  # 0 and 2 of the even ones read


def test_saved_search_counts_keep_to_the_scope(lib: Library, tmp_path: Path) -> None:
    make_docs(tmp_path / "a", 0, 6)
    make_docs(tmp_path / "b", 6, 6)
    lib.sync([tmp_path / "a", tmp_path / "b"])
    lib.save_search("even", "topic:Even")
    assert lib.counts().saved["even"] == Count(6, 6)
    assert lib.counts(make_scope([tmp_path / "b"])).saved["even"] == Count(3, 3)  # 6, 8, 10


def test_a_saved_search_searched_further(lib: Library, docs: Path) -> None:
    lib.sync([docs])
    lib.save_search("even", "topic:Even")
    rows = lib.rows(lib.article_rowids(View(ViewKind.SAVED, "even"), query="walrus"))
    assert sorted(r.title for r in rows.values()) == ["Story 0", "Story 6"]
    assert lib.article_rowids(View(ViewKind.SAVED, "no such search")) == []


def test_saved_searches_are_named_ordered_edited_and_deleted(lib: Library, docs: Path) -> None:
    lib.sync([docs])
    lib.save_search("  Even   ones ", "topic:Even")
    lib.save_search("Walrus", "walrus")
    lib.save_search("Odd", "topic:Odd")
    assert [s.name for s in lib.saved_searches()] == ["Even ones", "Walrus", "Odd"]
    with pytest.raises(LibraryError, match="already"):
        lib.save_search("walrus", "story")  # names are told apart without regard to case
    with pytest.raises(QueryError):
        lib.save_search("bad", "topic:")
    with pytest.raises(LibraryError):
        lib.save_search("   ", "story")
    assert lib.move_search("Odd", -1) is True
    assert lib.move_search("Even ones", -1) is False  # first already
    assert [s.name for s in lib.saved_searches()] == ["Even ones", "Odd", "Walrus"]
    assert lib.rename_search("Odd", "Odd ones") == "Odd ones"
    with pytest.raises(LibraryError, match="already"):
        lib.rename_search("Odd ones", "WALRUS")
    lib.rename_search("Walrus", "walrus")  # a new case of its own name is fine
    with pytest.raises(QueryError):
        lib.edit_search("walrus", "heat>=x")
    assert lib.saved_search("WALRUS") is not None and lib.saved_search("walrus").query == "walrus"  # type: ignore[union-attr]
    lib.edit_search("walrus", "walrus topic:Even")
    assert lib.counts().saved == {"Even ones": Count(6, 6), "Odd ones": Count(6, 6), "walrus": Count(2, 2)}
    lib.delete_search("Even ones")
    assert [s.name for s in lib.saved_searches()] == ["Odd ones", "walrus"]
    with pytest.raises(LibraryError):
        lib.delete_search("Even ones")
    # kept in the library file
    path = lib.data_dir
    lib.close()
    with Library(path) as again:
        assert [(s.name, s.query) for s in again.saved_searches()] == [("Odd ones", "topic:Odd"), ("walrus", "walrus topic:Even")]


def test_reader_search_saved(tmp_path: Path, docs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    with Library(data) as lib:
        lib.sync([docs])
        lib.save_search("Walrus", "walrus -topic:Even")
    assert cli.main(["--data-dir", str(data), "search", "--saved", "walrus", "--sort", "title"]) == 0
    out = capsys.readouterr().out
    assert [line.split("  ")[-1].strip() for line in out.splitlines()] == ["Story 3", "Story 9"]
    assert cli.main(["--data-dir", str(data), "search", "--saved", "nothing"]) == 2
    assert "Walrus" in capsys.readouterr().err  # the names it has
    # with PATHs: searched within them
    assert cli.main(["--data-dir", str(data), "search", "--saved", "Walrus", str(docs / "doc003.md")]) == 0
    assert capsys.readouterr().out.count("Story") == 1


def test_reader_search_saved_lists_what_the_window_lists_articles_a_rule_hid_too(
    tmp_path: Path, docs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    with Library(data) as lib:
        lib.sync([docs])
        lib.save_search("Walrus", "walrus -topic:Even")
        lib.set_rule("Walrus", ["hide"])
        lib.apply_rule("Walrus")  # Story 3 and Story 9 (odd, walrus: make_docs) hidden from All
        window = lib.rows(lib.article_rowids(View(ViewKind.SAVED, "Walrus"), sort=Sort.TITLE))
        assert [row.title for row in window.values()] == ["Story 3", "Story 9"]
    for sort in ("title", "rank"):
        assert cli.main(["--data-dir", str(data), "search", "--saved", "walrus", "--sort", sort, "--json"]) == 0
        hits = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
        assert sorted(hit["title"] for hit in hits) == ["Story 3", "Story 9"]
        assert all("walrus" in hit["snippet"].lower() for hit in hits)  # the saved query's words are marked
    # a plain search in All still leaves them out (README: "searches typed in All or Unread leave it out")
    assert cli.main(["--data-dir", str(data), "search", "walrus -topic:Even"]) == 1


# --------------------------------------------------------------------------- labels


def test_labels_are_counted_searched_and_listed(lib: Library, docs: Path) -> None:
    lib.sync([docs])
    titles = ids_by_title(lib)
    lib.set_labels(titles["Story 1"], ["Later", "work"])
    lib.set_labels(titles["Story 2"], ["later"])  # the same label as Later
    lib.set_read([titles["Story 2"]])
    assert lib.labels() == ["Later", "work"]
    assert lib.labels_of(titles["Story 1"]) == ("Later", "work")
    assert lib.labels_of(titles["Story 2"]) == ("Later",)
    counts = lib.counts()
    assert counts.labels == {"Later": Count(2, 1), "work": Count(1, 1)}
    assert {h.row.title for h in lib.search("label:later", limit=None)} == {"Story 1", "Story 2"}
    assert len(lib.search("-label:LATER", limit=None)) == N - 2
    assert {h.row.title for h in lib.search("label:work walrus OR number", limit=None)} == {"Story 1"}
    rows = lib.rows(lib.article_rowids(View(ViewKind.LABEL, "later")))
    assert sorted((r.title, r.labels) for r in rows.values()) == [("Story 1", ("Later", "work")), ("Story 2", ("Later",))]
    lib.add_labels(["empty"])
    assert lib.counts().labels["empty"] == Count(0, 0)  # a label on nothing is listed too


def test_labels_survive_resync_moves_and_an_article_gone_and_back(lib: Library, docs: Path, tmp_path: Path) -> None:
    lib.sync([docs])
    titles = ids_by_title(lib)
    lib.set_labels(titles["Story 4"], ["keep"])
    # changed on disk and read again
    path = docs / "doc004.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Story number 4.", "Story number four."), encoding="utf-8")
    os.utime(path, (path.stat().st_mtime + 10, path.stat().st_mtime + 10))
    assert lib.sync([docs]).parsed == 1
    assert lib.labels_of(titles["Story 4"]) == ("keep",)
    # moved to another folder
    other = tmp_path / "other"
    other.mkdir()
    os.rename(docs / "doc004.md", other / "moved.md")
    lib.sync([docs, other])
    assert lib.paths(titles["Story 4"]) == [str(other / "moved.md")]
    assert lib.labels_of(titles["Story 4"]) == ("keep",)
    assert [r.title for r in lib.rows(lib.article_rowids(query="label:keep")).values()] == ["Story 4"]
    # gone (its new folder not synced yet), then back
    third = tmp_path / "third"
    third.mkdir()
    os.rename(other / "moved.md", third / "doc004.md")
    lib.sync([other])
    assert lib.rowid_of(titles["Story 4"]) is None
    assert lib.article_rowids(query="label:keep") == []
    assert lib.counts().labels["keep"] == Count(0, 0)
    lib.sync([third])
    assert lib.counts().labels["keep"] == Count(1, 1)


def test_a_label_change_is_undone_in_one_step(lib: Library, docs: Path) -> None:
    lib.sync([docs])
    article = ids_by_title(lib)["Story 7"]
    lib.set_labels(article, ["a", "b"])
    undo = lib.set_labels(article, ["b", "c", "d"])  # a off; c, d on
    assert lib.labels_of(article) == ("b", "c", "d")
    lib.undo(undo)
    assert lib.labels_of(article) == ("a", "b")
    assert lib.set_labels(article, ["A", "b"]).ids == ()  # nothing changed: nothing to undo


def test_exports_carry_labels(lib: Library, docs: Path) -> None:
    lib.sync([docs])
    lib.set_labels(ids_by_title(lib)["Story 3"], ["work", "later"])
    rows = collect(lib, lib.article_rowids(query="walrus", sort=Sort.TITLE))
    markdown = render(rows, ExportFormat.MARKDOWN, "Walrus")
    assert "· labels: later, work" in markdown
    table = list(csv.reader(io.StringIO(render(rows, ExportFormat.CSV, "Walrus"))))
    assert table[0][7:9] == ["starred", "labels"]
    assert [row[8] for row in table[1:]] == ["", "later; work", "", ""]  # 0, 3, 6, 9


CHILD = r"""
import sys
from reader.library import Library

docs, data = sys.argv[1], sys.argv[2]
lib = Library(data)
lib.sync([docs])
ids = sorted(row.id for row in lib.rows(lib.article_rowids()).values())
step = 0
while True:
    article = ids[step % len(ids)]
    labels = [f"l{step % 5}", f"m{step % 3}"]
    sys.stdout.write(f"begin {article}\n")
    sys.stdout.flush()
    lib.set_labels(article, labels)
    sys.stdout.write(f"set {article} {','.join(labels)}\n")
    sys.stdout.flush()
    step += 1
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_labels_committed_before_a_kill_9_stay(tmp_path: Path, docs: Path) -> None:
    data = tmp_path / "data"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    process = subprocess.Popen([sys.executable, "-c", CHILD, str(docs), str(data)], stdout=subprocess.PIPE, env=env, text=True)
    lines: list[str] = []

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            if not line.endswith("\n"):
                break
            lines.append(line.rstrip("\n"))
            if sum(1 for x in lines if x.startswith("set ")) == 40:
                process.send_signal(signal.SIGKILL)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(timeout=60)
    assert process.wait(timeout=30) == -signal.SIGKILL
    process.stdout.close()  # type: ignore[union-attr]
    expected: dict[str, tuple[str, ...]] = {}
    pending = None
    for line in lines:
        word, article, *rest = line.split()
        if word == "begin":
            pending = article
        else:
            expected[article] = tuple(sorted(rest[0].split(",")))
            pending = None
    assert len(expected) >= 10
    with Library(data) as lib:
        for article, labels in expected.items():
            if article != pending:
                assert lib.labels_of(article) == labels, article


# --------------------------------------------------------------------------- rules


def test_a_rule_acts_once_on_each_arriving_article_and_never_on_those_already_there(lib: Library, tmp_path: Path) -> None:
    make_docs(tmp_path / "a", 0, 6)
    lib.sync([tmp_path / "a"])
    lib.save_search("walrus", "walrus")
    lib.set_rule("walrus", ["read", "star", "label:Zoo", "hide"])
    assert lib.counts().saved["walrus"] == Count(2, 2)  # 0 and 3 were there before: untouched
    make_docs(tmp_path / "b", 6, 6)
    lib.sync([tmp_path / "a", tmp_path / "b"])
    titles = ids_by_title(lib)
    acted = {"Story 6", "Story 9"}  # the walrus documents among the new ones
    for title, article in titles.items():
        assert lib.is_read(article) == lib.is_starred(article) == (title in acted), title
        assert lib.labels_of(article) == (("Zoo",) if title in acted else ()), title
    assert lib.rules()[0].acted == 2
    # hidden from All and Unread, still in the saved search, its label and searches there
    assert lib.counts().all == Count(10, 10) and lib.counts().unread == Count(10, 10)
    assert len(lib.article_rowids()) == 10
    assert lib.counts().saved["walrus"] == Count(4, 2)
    assert lib.counts().labels["Zoo"] == Count(2, 0)
    # the user unmarks one; reading it again, moving it, and it leaving and coming back do not act again
    lib.set_read([titles["Story 6"]], False)
    path = tmp_path / "b" / "doc006.md"
    path.write_text(path.read_text(encoding="utf-8") + "More walrus.\n", encoding="utf-8")
    os.utime(path, (path.stat().st_mtime + 10, path.stat().st_mtime + 10))
    assert lib.sync([tmp_path / "a", tmp_path / "b"]).parsed == 1
    os.rename(path, tmp_path / "a" / "moved.md")
    lib.sync([tmp_path / "a", tmp_path / "b"])
    os.rename(tmp_path / "a" / "moved.md", tmp_path / "away.md")
    lib.sync([tmp_path / "a", tmp_path / "b"])
    assert lib.rowid_of(titles["Story 6"]) is None
    os.rename(tmp_path / "away.md", tmp_path / "a" / "back.md")
    lib.sync([tmp_path / "a", tmp_path / "b"])
    assert lib.rowid_of(titles["Story 6"]) is not None
    assert not lib.is_read(titles["Story 6"])
    assert lib.rules()[0].acted == 2


def test_rules_with_words_act_during_a_big_sync_that_indexes_text_later(
    lib: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader.library import sync as library_sync

    monkeypatch.setattr(library_sync, "BULK_INDEX_MIN_FILES", 5)  # the text of a big sync is indexed in bulk afterwards
    lib.save_search("walrus, not even", "walrus -topic:Even")
    lib.save_search("no walrus", "-walrus topic:Even")
    lib.set_rule("walrus, not even", ["label:odd walrus"])
    lib.set_rule("no walrus", ["star"])
    make_docs(tmp_path / "docs")
    lib.sync([tmp_path / "docs"], batch_size=4)
    titles = ids_by_title(lib)
    assert {t for t, i in titles.items() if lib.labels_of(i)} == {"Story 3", "Story 9"}
    assert {t for t, i in titles.items() if lib.is_starred(i)} == {"Story 2", "Story 4", "Story 8", "Story 10"}
    assert [r.acted for r in lib.rules()] == [2, 4]


def test_a_rule_acts_in_the_transaction_that_stores_the_articles(lib: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from reader import stories

    lib.save_search("all", "story")
    lib.set_rule("all", ["label:seen"])

    def fail(*_args: object) -> None:
        raise MemoryError("out of memory")  # (a failure of the library, not of a document: the sync stops)

    monkeypatch.setattr(stories, "forget", fail)  # (called in the same transaction, after the store)
    make_docs(tmp_path / "docs", 0, 3)
    with pytest.raises(MemoryError):
        lib.sync([tmp_path / "docs"])
    assert lib.counts().all.total == 0
    assert lib.counts().labels.get("seen", Count()) == Count() and lib.rules()[0].acted == 0
    monkeypatch.undo()
    lib.sync([tmp_path / "docs"])
    assert lib.counts().labels["seen"] == Count(3, 3)
    assert lib.rules()[0].acted == 3


def test_apply_to_existing_is_undone_in_one_step(lib: Library, docs: Path) -> None:
    lib.sync([docs])
    titles = ids_by_title(lib)
    lib.set_read([titles["Story 0"]])  # already read: its mark is not the rule's to undo
    lib.save_search("walrus", "walrus")
    lib.set_rule("walrus", ["read", "hide", "label:zoo"])
    assert lib.counts().all == Count(N, N - 1)  # setting a rule acts on nothing
    undo = lib.apply_rule("walrus")
    assert lib.counts().all == Count(N - 4, N - 4)
    assert all(lib.is_read(titles[f"Story {i}"]) for i in (0, 3, 6, 9))
    lib.undo(undo)
    assert lib.counts().all == Count(N, N - 1)
    assert lib.is_read(titles["Story 0"]) and not lib.is_read(titles["Story 3"])
    assert lib.counts().labels["zoo"] == Count(0, 0)
    with pytest.raises(LibraryError, match="unknown rule action"):
        lib.set_rule("walrus", ["delete"])


def test_reader_rules_lists_and_sets_rules(tmp_path: Path, docs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    with Library(data) as lib:
        lib.sync([docs])
        lib.save_search("Walrus", "walrus")
    assert cli.main(["--data-dir", str(data), "rules"]) == 1
    assert "No rules yet" in capsys.readouterr().out
    assert cli.main(["--data-dir", str(data), "rules", "set", "walrus", "star", "label:zoo", "--existing"]) == 0
    out = capsys.readouterr().out
    assert "applied to 4 articles" in out
    assert out.splitlines()[-1] == "Walrus\twalrus\tstar, label:zoo\t0 acted on"
    assert cli.main(["--data-dir", str(data), "rules", "set", "walrus", "explode"]) == 2
    assert "unknown rule action" in capsys.readouterr().err
    make_docs(tmp_path / "more", 12, 3)  # 12 has a walrus
    assert cli.main(["--data-dir", str(data), "search", "walrus", str(docs), str(tmp_path / "more")]) == 0
    capsys.readouterr()
    assert cli.main(["--data-dir", str(data), "rules"]) == 0
    assert capsys.readouterr().out == "Walrus\twalrus\tstar, label:zoo\t1 acted on\n"


def test_a_saved_query_this_reader_refuses_fails_alone(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A saved search kept by an earlier Reader whose query this one refuses (a number too big
    for SQLite) matches nothing: the counts, the other rules and the sync go on."""
    import sqlite3

    from reader.library import DB_FILENAME

    data = tmp_path / "data"
    make_docs(tmp_path / "a", 0, 6)
    with Library(data) as lib:
        lib.sync([tmp_path / "a"])
        lib.save_search("Hot", "walrus")
        lib.save_search("Walrus", "walrus")
        for name in ("Hot", "Walrus"):
            lib.set_rule(name, ["star"])
    with sqlite3.connect(data / DB_FILENAME) as db:  # as the earlier Reader saved it
        db.execute("UPDATE saved_searches SET query = 'heat>=99999999999999999999 OR walrus' WHERE name = 'Hot'")
    db.close()
    with Library(data) as lib:
        assert lib.counts().saved == {"Hot": Count(0, 0), "Walrus": Count(2, 2)}
        assert lib.article_rowids(View(ViewKind.SAVED, "Hot")) == []
        make_docs(tmp_path / "b", 6, 6)
        lib.sync([tmp_path / "a", tmp_path / "b"])
        assert lib.problems() == []
        assert lib.counts().all == Count(N, N)
        titles = ids_by_title(lib)
        assert {t for t, i in titles.items() if lib.is_starred(i)} == {"Story 6", "Story 9"}  # by the other rule
        assert [(r.name, r.acted) for r in lib.rules()] == [("Hot", 0), ("Walrus", 2)]
        with pytest.raises(LibraryError, match="not understood"):
            lib.apply_rule("Hot")
    assert cli.main(["--data-dir", str(data), "search", "--saved", "hot"]) == 2
    err = capsys.readouterr().err
    assert "heat>= takes a whole number of at most 18 digits" in err and "Traceback" not in err


def test_a_rule_applied_now_acts_on_exactly_what_its_saved_search_lists_full_texts_too(lib: Library, docs: Path) -> None:
    import time

    from reader.fulltext import Block, FullText, Run

    lib.sync([docs])
    titles = ids_by_title(lib)

    def fetched(title: str, text: str) -> None:
        lib.store_fulltext(titles[title], FullText(f"https://example.com/{title}", time.time(), (Block("p", (Run(text),)),)), title)

    fetched("Story 1", "A walrus is in the fetched page only.")  # (its document has none)
    fetched("Story 2", "A zebra is in the fetched page only.")
    lib.save_search("walrus", "walrus")
    lib.save_search("even, no zebra", "topic:Even -zebra")
    lib.set_rule("walrus", ["star"])
    lib.set_rule("even, no zebra", ["label:calm"])
    lib.apply_rule("walrus")
    lib.apply_rule("even, no zebra")
    listed = {name: {row.id for row in lib.rows(lib.article_rowids(View(ViewKind.SAVED, name))).values()} for name in ("walrus", "even, no zebra")}
    assert listed["walrus"] == {titles[f"Story {i}"] for i in (0, 1, 3, 6, 9)}  # from how the documents were made
    assert listed["even, no zebra"] == {titles[f"Story {i}"] for i in (0, 4, 6, 8, 10)}
    assert {i for i in titles.values() if lib.is_starred(i)} == listed["walrus"]
    assert {i for i in titles.values() if lib.labels_of(i)} == listed["even, no zebra"]
