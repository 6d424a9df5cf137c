"""Saved searches and labels in the window, by keyboard: save the search typed (Ctrl+S),
see it counted under Searches, open it, rename and delete it; label an article (l) and
undo it (Ctrl+Z)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from reader.library import Library, View, ViewKind
from reader.ui.label_picker import LabelPicker
from reader.ui.main_window import MainWindow

from .helpers import SEED_TITLES, activate, news_doc, select_title, settle, sidebar_current_label, sidebar_sections, titles
from .test_keyboard import CTRL, SHIFT, focused, press
from .test_loading import WATCH_TIMEOUT_MS

#: The seeds that mention LinkedIn (read from the files: the Swedish one and the plain text).
LINKEDIN = sorted([SEED_TITLES["swedish"], SEED_TITLES["plain"]])


def test_save_a_search_by_keyboard_see_it_counted_and_open_it(qtbot: QtBot, window: MainWindow) -> None:
    asked: list[str] = []
    answers = iter(["Networks", "Social networks"])
    window.saved_searches.ask_text = lambda title, label, text: (asked.append(title), next(answers))[1]
    press(qtbot, window, "/")
    qtbot.keyClicks(focused(window), "linkedin")
    qtbot.waitUntil(lambda: sorted(titles(window)) == LINKEDIN)
    press(qtbot, window, "s", CTRL)  # in the search field
    assert asked == ["Save Search"]
    settle(qtbot, window)
    qtbot.waitUntil(lambda: sidebar_sections(window).get("Searches") == {"Networks": "2 / 2"})
    assert sidebar_current_label(window) == "Networks"  # opened, the field emptied
    assert window.search_bar.field.text() == ""
    assert sorted(titles(window)) == LINKEDIN
    # reading changes its count
    window.article_list.setFocus()
    select_title(window, LINKEDIN[0])
    window.marks.set_marks(window.detail.article, read=True)  # type: ignore[arg-type]
    settle(qtbot, window)
    qtbot.waitUntil(lambda: sidebar_sections(window)["Searches"] == {"Networks": "1 / 2"})
    # another view, then back to it from the sidebar by keyboard: ] walks the sidebar
    press(qtbot, window, "1", CTRL)
    settle(qtbot, window)
    assert len(titles(window)) == 5
    for _ in range(7):  # All, Unread, Starred, Today, Top Stories, Trends, Problems, then Searches
        press(qtbot, window, "]")
    assert window.view_key == View(ViewKind.SAVED, "Networks")
    settle(qtbot, window)
    assert sorted(titles(window)) == LINKEDIN
    # F2 renames it
    press(qtbot, window, Qt.Key.Key_F2)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: sidebar_sections(window).get("Searches") == {"Social networks": "1 / 2"})
    assert window.view_key == View(ViewKind.SAVED, "Social networks")
    assert window.library.saved_search("social networks") is not None
    # Del deletes it, once confirmed
    questions: list[str] = []
    window.saved_searches.confirm = lambda question: (questions.append(question), False)[1]
    press(qtbot, window, Qt.Key.Key_Delete)
    assert window.library.saved_searches() != []
    window.saved_searches.confirm = lambda question: True
    press(qtbot, window, Qt.Key.Key_Delete)
    settle(qtbot, window)
    assert window.library.saved_searches() == []
    assert "Searches" not in sidebar_sections(window)
    assert window.view_key == View(ViewKind.ALL)


def test_ctrl_s_without_a_search_says_what_to_do(qtbot: QtBot, window: MainWindow) -> None:
    asked: list[str] = []
    window.saved_searches.ask_text = lambda title, label, text: (asked.append(title), "name")[1]
    press(qtbot, window, "s", CTRL)
    assert asked == [] and window.library.saved_searches() == []
    press(qtbot, window, "/")
    qtbot.keyClicks(focused(window), "topic:")  # malformed: not saved either
    press(qtbot, window, "s", CTRL)
    assert asked == [] and window.library.saved_searches() == []


def test_label_an_article_by_keyboard_and_undo_it(qtbot: QtBot, window: MainWindow) -> None:
    window.article_list.setFocus()
    select_title(window, SEED_TITLES["bbc"])
    article = window.detail.article
    assert article is not None
    press(qtbot, window, "l")
    picker = window.labels.picker
    assert isinstance(picker, LabelPicker)
    qtbot.waitUntil(picker.isVisible)
    qtbot.keyClicks(picker.field, "later, work")
    qtbot.keyClick(picker.field, Qt.Key.Key_Return)
    activate(qtbot, window)
    assert window.library.labels_of(article.id) == ("later", "work")
    assert "later, work" in window.detail.labels_label.text()
    row = window.article_model.list_row(titles(window).index(SEED_TITLES["bbc"]))
    assert row is not None and row.labels == ("later", "work")
    settle(qtbot, window)
    labels = sidebar_sections(window)["Labels"]
    assert list(labels) == ["later", "work"] and all(count.endswith("/ 1") for count in labels.values())
    # l again: what is typed is added to the labels there
    press(qtbot, window, "l")
    again = window.labels.picker
    assert again is not None and again is not picker
    qtbot.waitUntil(again.isVisible)
    qtbot.keyClicks(again.field, "urgent")
    qtbot.keyClick(again.field, Qt.Key.Key_Return)
    activate(qtbot, window)
    assert window.library.labels_of(article.id) == ("later", "urgent", "work")
    press(qtbot, window, "z", CTRL)  # (one step back: later and work again)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: window.library.labels_of(article.id) == ("later", "work"))
    # label: in the search field finds it
    press(qtbot, window, "/")
    qtbot.keyClicks(focused(window), "label:later")
    qtbot.waitUntil(lambda: titles(window) == [SEED_TITLES["bbc"]])
    press(qtbot, window, Qt.Key.Key_Escape)
    settle(qtbot, window)
    # Ctrl+Z takes the labels off again
    press(qtbot, window, "z", CTRL)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: window.library.labels_of(article.id) == ())
    assert window.detail.labels_label.text() == ""
    assert all(count.endswith("/ 0") for count in sidebar_sections(window)["Labels"].values())


def test_the_label_picker_completes_the_label_being_typed(qtbot: QtBot, window: MainWindow) -> None:
    window.library.add_labels(["later", "work"])
    window.article_list.setFocus()
    select_title(window, SEED_TITLES["global"])
    press(qtbot, window, "l")
    picker = window.labels.picker
    assert picker is not None
    completer = picker.field.completer()
    assert completer.splitPath("work, la") == ["la"]
    picker.field.setText("work, la")
    completer.setCompletionPrefix("la")
    assert completer.currentCompletion() == "work, later, "  # the label completed, the others kept
    qtbot.keyClick(picker.field, Qt.Key.Key_Escape)  # Esc leaves the labels as they were
    assert window.library.labels_of(window.detail.article.id) == ()  # type: ignore[union-attr]


def test_give_a_saved_search_a_rule_apply_it_here_and_undo_it(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the rule is written and applied off the window's thread (a write over every match)
    writers: list[threading.Thread] = []
    for name in ("set_rule", "apply_rule"):
        method = getattr(Library, name)
        monkeypatch.setattr(Library, name, lambda self, *a, _m=method, **k: (writers.append(threading.current_thread()), _m(self, *a, **k))[1])
    window.library.save_search("Networks", "linkedin")
    window.saved_searches._changed(added="Networks")
    settle(qtbot, window)
    assert window.sidebar.select(View(ViewKind.SAVED, "Networks"))
    settle(qtbot, window)
    window.article_list.setFocus()
    press(qtbot, window, "r", CTRL | SHIFT)
    dialog = window.saved_searches.rule_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    qtbot.keyClicks(dialog.label, "net")
    dialog.existing.setFocus()
    qtbot.keyClick(dialog.existing, Qt.Key.Key_Space)
    dialog.hide_box.setFocus()
    qtbot.keyClick(dialog.hide_box, Qt.Key.Key_Space)
    qtbot.keyClick(dialog.label, Qt.Key.Key_Return)
    activate(qtbot, window)
    qtbot.waitUntil(lambda: len(writers) == 2)
    assert threading.main_thread() not in writers
    rule = window.library.rules()
    assert [(r.name, r.actions) for r in rule] == [("Networks", ("hide", "label:net"))]
    settle(qtbot, window)
    assert sidebar_sections(window)["Labels"] == {"net": "2 / 2"}
    assert sidebar_sections(window)["Views"]["All Articles"] == "3 / 3"  # the two hidden from All
    press(qtbot, window, "z", CTRL)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: sidebar_sections(window)["Labels"] == {"net": "0 / 0"})
    assert sidebar_sections(window)["Views"]["All Articles"] == "5 / 5"


def test_ctrl_z_pressed_while_a_rule_is_being_applied_undoes_it_once_done(qtbot: QtBot, window: MainWindow) -> None:
    window.library.save_search("Networks", "linkedin")
    window.saved_searches._changed(added="Networks")
    settle(qtbot, window)
    window.article_list.setFocus()
    window.saved_searches.set_rule("Networks", ["hide"], True)  # the two LinkedIn seeds
    press(qtbot, window, "z", CTRL)  # before the query thread has answered
    settle(qtbot, window)
    qtbot.waitUntil(lambda: not window.queries.busy)
    assert len(window.library.article_rowids()) == 5  # none hidden from All any more
    assert window.marks.undo_stack == []
    assert sidebar_sections(window)["Views"]["All Articles"] == "5 / 5"


def test_a_rule_applied_to_one_article_says_one_article(qtbot: QtBot, window: MainWindow) -> None:
    window.library.save_search("Swedish", "betaltjänsten")  # a word only the Swedish seed has
    told: list[str] = []
    window.statusBar().messageChanged.connect(told.append)
    window.saved_searches.set_rule("Swedish", ["star"], True)
    qtbot.waitUntil(lambda: any("applied to" in m for m in told))
    assert any("Rule saved and applied to 1 article here" in m for m in told), told


def test_marks_made_while_a_rule_is_set_are_in_a_later_mark_all_reads_undo(qtbot: QtBot, window: MainWindow) -> None:
    window.library.save_search("Networks", "linkedin")
    select_title(window, SEED_TITLES["global"])
    article = window.detail.article
    assert article is not None
    window.saved_searches.set_rule("Networks", ["star"], True)  # on the query thread
    if not window.marks.is_read(article.id):
        window.marks.toggle_read()
    window.marks.toggle_read()  # unread again, asked while the rule is being set
    assert not window.marks.is_read(article.id)
    window.marks.mark_all_read()  # written after both: it marks the article read
    qtbot.waitUntil(lambda: not window.queries.busy)
    settle(qtbot, window)
    assert window.library.is_read(article.id)
    window.marks.undo()  # puts back what Shift+A changed, this article included
    qtbot.waitUntil(lambda: not window.queries.busy)
    settle(qtbot, window)
    assert not window.library.is_read(article.id)


def test_saved_search_and_label_counts_follow_documents_as_they_load(
    qtbot: QtBot, window: MainWindow, docs_dir: Path
) -> None:
    window.library.save_search("Networks", "linkedin")
    window.library.add_labels(["later"])
    window.saved_searches._changed(added="Networks")
    settle(qtbot, window)
    assert sidebar_sections(window)["Searches"] == {"Networks": "2 / 2"}
    assert sidebar_sections(window)["Labels"] == {"later": "0 / 0"}
    added = docs_dir / "added.md"
    added.write_text(news_doc("LinkedIn joins in", url="https://news.example/linkedin"), encoding="utf-8")
    qtbot.waitUntil(lambda: sidebar_sections(window)["Searches"] == {"Networks": "3 / 3"}, timeout=WATCH_TIMEOUT_MS)
    window.library.label_articles([window.library.article(window.library.article_rowids(query="joins")[0]).id], "later")  # type: ignore[union-attr]
    added.unlink()
    qtbot.waitUntil(lambda: sidebar_sections(window)["Searches"] == {"Networks": "2 / 2"}, timeout=WATCH_TIMEOUT_MS)
    assert sidebar_sections(window)["Labels"] == {"later": "0 / 0"}  # its article left (the label stays for its return)
    added.write_text(news_doc("LinkedIn joins in", url="https://news.example/linkedin"), encoding="utf-8")
    qtbot.waitUntil(lambda: sidebar_sections(window)["Labels"] == {"later": "1 / 1"}, timeout=WATCH_TIMEOUT_MS)


def test_a_saved_search_this_reader_does_not_understand_says_so_and_is_edited(qtbot: QtBot, window: MainWindow) -> None:
    """A saved search kept by an earlier Reader with a query this one refuses (a number too
    big for SQLite): the sidebar counts it as empty, its view says what is wrong; Shift+F2 mends it."""
    import sqlite3

    from reader.library import DB_FILENAME

    window.library.save_search("Hot", "linkedin")
    with sqlite3.connect(Path(window.library.data_dir) / DB_FILENAME) as db:  # as the earlier Reader saved it
        db.execute("UPDATE saved_searches SET query = 'heat>=99999999999999999999' WHERE name = 'Hot'")
    db.close()
    window.queries.invalidate_counts()
    window.queries.request_counts(window.scope)
    qtbot.waitUntil(lambda: sidebar_sections(window).get("Searches") == {"Hot": "0 / 0"})  # (not the 2 of linkedin)
    window.sidebar.select(View(ViewKind.SAVED, "Hot"))
    settle(qtbot, window)
    assert titles(window) == []
    assert window.article_list.empty_text == (
        "This saved search's query is not understood: heat>= takes a whole number of at most 18 digits.\nEdit it (Shift+F2)."
    )
    assert sidebar_sections(window)["Searches"] == {"Hot": "0 / 0"}
    window.saved_searches.ask_text = lambda title, label, text: "linkedin"
    press(qtbot, window, Qt.Key.Key_F2, SHIFT)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: sorted(titles(window)) == LINKEDIN)
    assert "not understood" not in window.article_list.empty_text


def test_the_saved_search_shown_is_read_once_per_view(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The query of the saved search shown is read and parsed when its view is shown (or the
    library changes), not again for each list and count the view is given."""
    window.library.save_search("Nets", "linkedin")
    window.queries.invalidate_counts()
    window.queries.request_counts(window.scope)
    qtbot.waitUntil(lambda: "Nets" in sidebar_sections(window).get("Searches", {}))
    window.sidebar.select(View(ViewKind.SAVED, "Nets"))
    settle(qtbot, window)
    read: list[str] = []
    saved_search = window.library.saved_search
    monkeypatch.setattr(window.library, "saved_search", lambda name: read.append(name) or saved_search(name))
    window.refresh()  # a list and counts again
    settle(qtbot, window)
    assert sorted(titles(window)) == LINKEDIN and read == []
    window.library_changed()
    settle(qtbot, window)
    assert read == ["Nets"]
