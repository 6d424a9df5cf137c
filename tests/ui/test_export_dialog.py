"""File > Export (Ctrl+E): the current view or the starred articles, to Markdown or CSV."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QDialogButtonBox, QGroupBox, QLabel
from pytestqt.qtbot import QtBot

from reader.export import ExportFormat
from reader.library import View, ViewKind
from reader.ui.export_dialog import ExportDialog
from reader.ui.main_window import MainWindow
from reader.ui.sidebar import PROBLEMS, TRENDS

from .helpers import SEED_TITLES, select_title, settle, titles
from .test_keyboard import press


def open_export(qtbot: QtBot, window: MainWindow, target: Path) -> ExportDialog:
    press(qtbot, window, "e", Qt.KeyboardModifier.ControlModifier)
    dialog = window.findChild(ExportDialog)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    asked: list[tuple[str, ExportFormat]] = []

    def ask(_parent: object, suggested: str, fmt: ExportFormat) -> str:
        asked.append((suggested, fmt))
        return str(target)

    dialog.ask_path = ask
    dialog.asked = asked  # type: ignore[attr-defined]
    return dialog


def save(qtbot: QtBot, dialog: ExportDialog) -> None:
    """Press Save; wait until the export (on its own thread) has finished."""
    button = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.busy)


def test_the_current_view_to_markdown(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    window.sidebar.select(View(ViewKind.TOPIC, "AI"))
    settle(qtbot, window)
    listed = titles(window)
    assert 0 < len(listed) < 5
    dialog = open_export(qtbot, window, tmp_path / "ai")  # no suffix given: .md is added
    assert dialog.current_button.text() == "&Current view: Topic: AI"
    save(qtbot, dialog)
    assert dialog.asked[0][0].endswith("topic-ai.md")  # type: ignore[attr-defined]
    text = (tmp_path / "ai.md").read_text(encoding="utf-8")
    assert text.startswith("# Topic: AI\n")
    assert [line for line in text.splitlines() if line.startswith("- ")] == [
        line for line in text.splitlines() if line.startswith("- [")
    ]
    positions = [text.index(title) for title in listed]
    assert positions == sorted(positions)  # in the list's order
    assert "Exported" in window.statusBar().currentMessage()


def test_the_starred_articles_to_csv(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    select_title(window, SEED_TITLES["bbc"])
    window.marks.toggle_star()
    select_title(window, SEED_TITLES["plain"])
    window.marks.toggle_star()
    qtbot.waitUntil(lambda: not window.busy)  # the marks are written
    dialog = open_export(qtbot, window, tmp_path / "starred.csv")
    dialog.starred_button.setChecked(True)
    dialog.csv_button.setChecked(True)
    save(qtbot, dialog)
    with open(tmp_path / "starred.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {row["title"] for row in rows} == {SEED_TITLES["bbc"], SEED_TITLES["plain"]}
    assert all(row["starred"] == "yes" for row in rows)
    bbc = next(row for row in rows if row["title"] == SEED_TITLES["bbc"])
    assert bbc["source"] == "BBC" and bbc["published"].startswith("2020-01-23") and bbc["url"].startswith("https://")


def test_a_file_that_cannot_be_written_is_said_and_the_dialog_stays(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    dialog = open_export(qtbot, window, tmp_path / "no-such-folder" / "x.md")
    save(qtbot, dialog)
    assert dialog.isVisible()
    assert dialog.error_label.isVisible() and "Not saved" in dialog.error_label.text()


def test_cancelling_the_file_choice_writes_nothing(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    dialog = open_export(qtbot, window, tmp_path / "x.md")
    dialog.ask_path = lambda *_args: ""
    save(qtbot, dialog)
    assert dialog.isVisible()
    assert list(tmp_path.glob("*.md")) == []


def mnemonic(text: str) -> str | None:
    """The letter after a single "&" in ``text`` (Alt with it presses the control)."""
    plain = text.replace("&&", "")
    at = plain.find("&")
    return plain[at + 1].lower() if at >= 0 and at + 1 < len(plain) else None


def test_every_control_has_a_key_of_its_own(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    dialog = open_export(qtbot, window, tmp_path / "x.md")
    texts = [b.text() for b in dialog.findChildren(QAbstractButton) if b.isVisibleTo(dialog)]
    texts += [g.title() for g in dialog.findChildren(QGroupBox)]
    letters = [m for m in map(mnemonic, texts) if m]
    assert len(letters) >= 4 and len(letters) == len(set(letters)), texts
    # Alt with a radio button's letter chooses it, and nothing else
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    for button in (dialog.starred_button, dialog.csv_button):
        key = getattr(Qt.Key, f"Key_{(mnemonic(button.text()) or '').upper()}")
        qtbot.keyClick(QApplication.focusWidget(), key, Qt.KeyboardModifier.AltModifier)
        qtbot.waitUntil(button.isChecked, timeout=2000)  # (a mnemonic clicks after a moment)
    assert dialog.asked == [] and dialog.isVisible()  # type: ignore[attr-defined]


@pytest.mark.parametrize("view", [PROBLEMS, TRENDS])
def test_a_view_without_articles_offers_the_starred_ones(qtbot: QtBot, window: MainWindow, tmp_path: Path, view: str) -> None:
    select_title(window, SEED_TITLES["bbc"])
    window.marks.toggle_star()
    qtbot.waitUntil(lambda: not window.busy)
    assert window.sidebar.select(view)
    settle(qtbot, window)
    dialog = open_export(qtbot, window, tmp_path / "out.md")
    assert not dialog.current_button.isVisibleTo(dialog) and dialog.starred_button.isChecked()
    save(qtbot, dialog)
    assert dialog.asked[0][0].endswith("starred.md")  # type: ignore[attr-defined]
    text = (tmp_path / "out.md").read_text(encoding="utf-8")
    assert text.startswith("# Starred articles\n") and SEED_TITLES["bbc"] in text
    assert "Exported 1 article " in window.statusBar().currentMessage()


# --------------------------------------------------------------------------- names holding "&"


def shown(text: str) -> str:
    """A button's or an action's text as Qt shows it: "&&" is an "&", a single "&" marks the
    underlined letter (and is not shown)."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def test_a_view_name_holding_an_ampersand_shows_it_and_no_stray_underlined_letter(window: MainWindow, tmp_path: Path) -> None:
    dialog = ExportDialog(window.library, "Source: Arts & Culture Weekly", lambda: [], lambda: [], str(tmp_path), window)
    text = dialog.current_button.text()
    assert shown(text) == "Current view: Source: Arts & Culture Weekly"
    assert text.count("&") - 2 * text.count("&&") == 1 and mnemonic(text) == "c"  # its own letter only
    dialog.close()


def test_other_names_put_into_button_texts_show_their_ampersand(qtbot: QtBot, window: MainWindow) -> None:
    from reader.article import Article, Kind, Provider
    from reader.ui.label_picker import LabelPicker

    picker = LabelPicker("Q&A: what the farm bill does", [], [], window)
    qtbot.addWidget(picker)
    about = picker.findChild(QLabel)
    assert about is not None and about.buddy() is picker.field  # (so "&" marks a letter there)
    assert shown(about.text()) == "Labels of “Q&A: what the farm bill does” (separate them with commas):"
    article = Article(id="x", path="x.md", kind=Kind.NEWS, title="t", provider=Provider("B&Q", domain="b&q.example"))
    window.fulltext.update_action(article)
    assert shown(window.registry["always_fulltext"].text()) == "Always Load Full Text from b&q.example"
