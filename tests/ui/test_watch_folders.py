"""The window follows an open folder as it is, whatever happened to it: deleted and made
again, swapped for another (a sync tool, a checkout of another branch), or changed while
the first load ran. (Waits are generous; nothing here is timed.)"""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication
from pytestqt.qtbot import QtBot
from watchdog.observers.api import BaseObserver

from reader.library import Library
from reader.ui import watcher as watcher_module

from .helpers import SEED_TITLES, WindowFactory, news_doc, titles, wait_loaded

#: Changes show up within this time (watchdog, debounced; the watch set up again first).
WATCH_TIMEOUT_MS = 10_000


def _write(folder: Path, name: str, title: str) -> None:
    (folder / name).write_text(news_doc(title, url=f"https://news.example/{name}"), encoding="utf-8")


def test_a_folder_deleted_and_made_again_is_followed_again(
    qtbot: QtBot, make_window: WindowFactory, docs_dir: Path, seeds_dir: Path
) -> None:
    window = make_window([docs_dir])
    assert set(titles(window)) == set(SEED_TITLES.values())
    shutil.rmtree(docs_dir)
    # The window says the folder went (not just an empty list).
    qtbot.waitUntil(lambda: not titles(window) and "gone" in window.status_label.text(), timeout=WATCH_TIMEOUT_MS)
    assert "“docs”" in window.status_label.text()
    assert "“docs” is gone" in window.article_list.empty_text
    shutil.copytree(seeds_dir, docs_dir)
    qtbot.waitUntil(lambda: set(titles(window)) == set(SEED_TITLES.values()), timeout=WATCH_TIMEOUT_MS)
    wait_loaded(qtbot, window)
    assert "gone" not in window.status_label.text()
    # ... and changes in the folder made again are heard (no F5).
    _write(docs_dir, "later.md", "Added to the folder made again")
    qtbot.waitUntil(lambda: "Added to the folder made again" in titles(window), timeout=WATCH_TIMEOUT_MS)
    (docs_dir / "later.md").unlink()
    qtbot.waitUntil(lambda: "Added to the folder made again" not in titles(window), timeout=WATCH_TIMEOUT_MS)


def test_a_folder_swapped_for_another_is_followed(qtbot: QtBot, make_window: WindowFactory, docs_dir: Path) -> None:
    """``mv docs docs.old && mv docs.new docs``, as a sync tool or a checkout does."""
    window = make_window([docs_dir])
    new = docs_dir.parent / "docs.new"
    new.mkdir()
    swapped = [f"Only in the new folder {n}" for n in range(3)]
    for n, title in enumerate(swapped):
        _write(new, f"new-{n}.md", title)
    os.rename(docs_dir, docs_dir.parent / "docs.old")
    os.rename(new, docs_dir)
    qtbot.waitUntil(lambda: sorted(titles(window)) == sorted(swapped), timeout=WATCH_TIMEOUT_MS)
    wait_loaded(qtbot, window)
    # A change in the old folder (now docs.old) is not the open folder's ...
    _write(docs_dir.parent / "docs.old", "old.md", "Written in the old folder")
    # ... a change in the new one is.
    _write(docs_dir, "later.md", "Added to the swapped-in folder")
    qtbot.waitUntil(lambda: "Added to the swapped-in folder" in titles(window), timeout=WATCH_TIMEOUT_MS)
    wait_loaded(qtbot, window)
    assert sorted(titles(window)) == sorted([*swapped, "Added to the swapped-in folder"])


def test_a_watch_that_no_longer_holds_is_set_up_again_by_a_reload(
    qtbot: QtBot, make_window: WindowFactory, docs_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder swapped unheard of (its events lost): F5 watches the folder now at that name."""
    # (the swap goes unheard)
    monkeypatch.setattr(watcher_module.FolderWatcher, "_on_root_event", lambda *_: None, raising=False)
    window = make_window([docs_dir])
    new = docs_dir.parent / "docs.new"
    new.mkdir()
    _write(new, "new.md", "Only in the new folder")
    os.rename(docs_dir, docs_dir.parent / "docs.old")
    os.rename(new, docs_dir)
    QCoreApplication.processEvents()
    window.reload()
    qtbot.waitUntil(lambda: titles(window) == ["Only in the new folder"], timeout=WATCH_TIMEOUT_MS)
    wait_loaded(qtbot, window)
    _write(docs_dir, "later.md", "Added after the reload")
    qtbot.waitUntil(lambda: "Added after the reload" in titles(window), timeout=WATCH_TIMEOUT_MS)


def test_a_file_added_while_the_first_load_runs_is_read_after_it(
    qtbot: QtBot, make_window: WindowFactory, docs_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file lands after the first load looked through the folder and before it ended."""
    sync = Library.sync
    added: list[bool] = []

    def sync_then_add(library: Library, *args: Any, **kwargs: Any) -> Any:
        report = sync(library, *args, **kwargs)
        if not added:
            added.append(True)
            _write(docs_dir, "during.md", "Added while the first load ran")
        return report

    monkeypatch.setattr(Library, "sync", sync_then_add)
    window = make_window([docs_dir])
    assert added
    qtbot.waitUntil(lambda: "Added while the first load ran" in titles(window), timeout=WATCH_TIMEOUT_MS)
    wait_loaded(qtbot, window)
    assert sorted(titles(window)) == sorted([*SEED_TITLES.values(), "Added while the first load ran"])


def test_a_load_that_began_before_the_watch_held_reads_the_folder_again(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What changed between a load's look at the folder and the watch holding is not lost:
    the folder is named as changed once the watch is set up."""
    folder = tmp_path / "docs"
    folder.mkdir()
    observe = watcher_module.FolderWatcher._observe
    gate = threading.Event()

    def slow_observe(self: watcher_module.FolderWatcher, *args: Any) -> None:
        gate.wait(10)
        observe(self, *args)

    monkeypatch.setattr(watcher_module.FolderWatcher, "_observe", slow_observe)
    watcher = watcher_module.FolderWatcher()
    try:
        watcher.watch([str(folder)])
        assert watcher.starting
        watcher.read_again_when_set_up()
        with qtbot.waitSignal(watcher.changed, timeout=WATCH_TIMEOUT_MS) as blocker:
            gate.set()
        assert blocker.args == [[str(folder)]]
    finally:
        gate.set()
        watcher.stop()


def test_a_folder_watched_again_leaves_the_other_folders_watched(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Watching two folders, one is swapped for another: a file written in the other one
    while the swapped one's watch is set up again is heard (its watch went on)."""
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    watcher = watcher_module.FolderWatcher()
    heard: list[str] = []
    watcher.changed.connect(heard.extend)
    try:
        with qtbot.waitSignal(watcher.ready, timeout=WATCH_TIMEOUT_MS):
            watcher.watch([str(a), str(b)])
        schedule = BaseObserver.schedule

        def schedule_and_write(observer: BaseObserver, handler: Any, path: Any, **kwargs: Any) -> Any:
            if os.fspath(path) == str(a) and not (b / "new.md").exists():
                _write(b, "new.md", "Written in b while a was watched again")
            return schedule(observer, handler, path, **kwargs)

        monkeypatch.setattr(BaseObserver, "schedule", schedule_and_write)
        new = tmp_path / "a.new"
        new.mkdir()
        os.rename(a, tmp_path / "a.old")
        os.rename(new, a)
        qtbot.waitUntil(lambda: str(a) in heard, timeout=WATCH_TIMEOUT_MS)
        assert (b / "new.md").exists()
        qtbot.waitUntil(lambda: str(b / "new.md") in heard, timeout=WATCH_TIMEOUT_MS)
    finally:
        watcher.stop()


def test_a_file_opened_on_its_own_saved_by_renaming_over_it_keeps_its_watch(qtbot: QtBot, tmp_path: Path) -> None:
    """Editors (and ``sed -i``) save by writing another file and renaming it over: the watch,
    on the folder above the file, still holds, and is not set up again."""
    folder = tmp_path / "docs"
    folder.mkdir()
    _write(folder, "one.md", "First version")
    path = str(folder / "one.md")
    watcher = watcher_module.FolderWatcher()
    try:
        with qtbot.waitSignal(watcher.ready, timeout=WATCH_TIMEOUT_MS):
            watcher.watch([path])
        for version in ("Second version", "Third version"):
            _write(folder, ".one.md.swp", version)
            with qtbot.waitSignal(watcher.changed, timeout=WATCH_TIMEOUT_MS) as blocker:
                os.replace(folder / ".one.md.swp", path)
            assert blocker.args == [[path]]
            watcher.watch([path])  # (as every load's end does)
            assert not watcher.starting
    finally:
        watcher.stop()


def test_a_folder_whose_parent_is_renamed_goes_and_comes_back(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path, seeds_dir: Path
) -> None:
    """``mv p p2`` with p/docs open: no event reaches the watch of docs or of p (the folder
    moved is p itself), yet docs is gone from where it was opened; and back with ``mv p2 p``."""
    parent = tmp_path / "p"
    docs = parent / "docs"
    shutil.copytree(seeds_dir, docs)
    window = make_window([docs])
    assert set(titles(window)) == set(SEED_TITLES.values())
    os.rename(parent, tmp_path / "p2")
    qtbot.waitUntil(lambda: not titles(window) and "“docs” gone" in window.status_label.text(), timeout=WATCH_TIMEOUT_MS)
    os.rename(tmp_path / "p2", parent)
    qtbot.waitUntil(lambda: set(titles(window)) == set(SEED_TITLES.values()), timeout=WATCH_TIMEOUT_MS)
    wait_loaded(qtbot, window)
    assert "gone" not in window.status_label.text()
    _write(docs, "later.md", "Added after the parent came back")
    qtbot.waitUntil(lambda: "Added after the parent came back" in titles(window), timeout=WATCH_TIMEOUT_MS)
