"""``reader settings export|import`` and ``reader marks export|import``: what a user carries
to a new machine, and a file that cannot be used changes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from PySide6.QtCore import QSettings

from reader import cli
from reader.library import Library
from reader.ui.settings import Settings, Theme
from test_user_views import N, ids_by_title, make_docs


@pytest.fixture(autouse=True)
def settings_dir(tmp_path: Path) -> Path:
    """The settings file of every test in its own folder, never the user's."""
    directory = tmp_path / "settings"
    directory.mkdir()
    for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
        QSettings.setPath(QSettings.Format.IniFormat, scope, str(directory))
    return directory


def run(*argv: str) -> int:
    return cli.main([str(a) for a in argv])


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A library with saved searches, a rule, labels and marks; preferences and keys set."""
    docs = tmp_path / "docs"
    make_docs(docs)
    with Library(tmp_path / "data") as lib:
        lib.sync([docs])
        titles = ids_by_title(lib)
        lib.save_search("Walrus", "walrus")
        lib.save_search("Even", "topic:Even -is:read")
        lib.set_rule("Walrus", ["star", "label:zoo"])
        lib.set_labels(titles["Story 1"], ["later", "work"])
        lib.add_labels(["unused"])
        lib.set_read([titles["Story 2"], titles["Story 3"]])
        lib.set_starred([titles["Story 3"]])
    settings = Settings()
    settings.theme = Theme.DARK
    settings.font_size = 14
    settings.mark_read_delay = 2000
    settings.folders = [str(docs)]
    settings.fulltext_sources = ["lwn.net", "example.org"]
    settings.store.setValue("keys/toggle_star", "F")
    settings.store.setValue("keys/copy_link", "")  # cleared by the user
    settings.sync()
    return tmp_path


def test_settings_travel_to_a_new_machine(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    exported = home / "settings.json"
    assert run("--data-dir", home / "data", "settings", "export", exported) == 0
    data = json.loads(exported.read_text(encoding="utf-8"))
    assert data["saved_searches"] == [
        {"name": "Walrus", "query": "walrus", "actions": ["star", "label:zoo"]},
        {"name": "Even", "query": "topic:Even -is:read", "actions": []},
    ]
    assert data["labels"] == ["later", "unused", "work"]
    assert data["keys"] == {"toggle_star": "F", "copy_link": ""}
    assert data["preferences"]["fulltext_sources"] == ["example.org", "lwn.net"]
    # the new machine: an empty library and settings
    store = Settings().store
    store.clear()
    store.sync()
    assert run("--data-dir", home / "new", "settings", "import", exported) == 0
    assert "Imported 2 saved searches, 3 labels" in capsys.readouterr().out
    settings = Settings()
    assert (settings.theme, settings.font_size, settings.mark_read_delay) == (Theme.DARK, 14, 2000)
    assert settings.folders == [str(home / "docs")]
    assert settings.fulltext_sources == ["example.org", "lwn.net"]
    assert settings.store.value("keys/toggle_star") == "F" and settings.store.value("keys/copy_link") == ""
    with Library(home / "new") as lib:
        assert [(s.name, s.query, s.actions) for s in lib.saved_searches()] == [
            ("Walrus", "walrus", ("star", "label:zoo")), ("Even", "topic:Even -is:read", ()),
        ]  # fmt: skip
        assert lib.labels() == ["later", "unused", "work"]
        # the rule works there, on what arrives
        lib.sync([home / "docs"])
        assert lib.counts().labels["zoo"].total == 4


def test_a_query_this_reader_does_not_understand_is_kept_and_said(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Queries this Reader does not understand (a NOT with nothing after it; a heat of 20
    # digits, which an earlier Reader accepted): the rest of the file is imported, and so
    # are they, matching nothing until edited.
    data = {
        "format": "reader-settings", "version": 2,
        "saved_searches": [
            {"name": "Keep me", "query": "walrus", "actions": []},
            {"name": "Trailing", "query": "story NOT", "actions": ["star"]},
            {"name": "Hot", "query": "heat>=99999999999999999999", "actions": []},
        ],
        "labels": ["later"],
        "preferences": {"font_size": 15},
        "keys": {"toggle_star": "G"},
    }  # fmt: skip
    file = home / "old.json"
    file.write_text(json.dumps(data), encoding="utf-8")
    assert run("--data-dir", home / "new", "settings", "import", file) == 0
    out = capsys.readouterr().out
    assert "Imported 3 saved searches, 1 label, 1 preference and 1 key" in out
    assert "Kept the saved search 'Trailing', whose query this Reader does not understand (NOT needs a word" in out
    assert "it matches nothing and its rule acts on nothing until you edit its query" in out
    assert "Kept the saved search 'Hot', whose query this Reader does not understand (heat>= takes" in out
    assert "Keep me" not in out
    settings = Settings()
    assert settings.font_size == 15 and settings.store.value("keys/toggle_star") == "G"
    with Library(home / "new") as lib:
        assert [(s.name, s.query, s.actions) for s in lib.saved_searches()] == [
            ("Keep me", "walrus", ()), ("Trailing", "story NOT", ("star",)), ("Hot", "heat>=99999999999999999999", ()),
        ]  # fmt: skip
        assert lib.labels() == ["later"]
        lib.sync([home / "docs"])  # its rule acts on nothing
        assert len(lib.search("story", limit=None)) == N and lib.search("is:starred", limit=None) == []
    # and the library's own export of it is imported again the same way
    assert run("--data-dir", home / "new", "settings", "export", home / "again.json") == 0
    assert run("--data-dir", home / "third", "settings", "import", home / "again.json") == 0
    assert "Imported 3 saved searches" in capsys.readouterr().out


@pytest.mark.parametrize(
    "text, message",
    [
        ("{not json", "is not JSON"),
        ('{"format": "something else", "version": 1}', "is not a reader-settings file"),
        ('{"format": "reader-settings", "version": 9}', "version 9"),
        ('{"format": "reader-settings", "version": 1, "saved_searches": [{"name": "A", "query": "a", "actions": ["burn"]}]}',
         "unknown rule action"),
        ('{"format": "reader-settings", "version": 1, "saved_searches": [{"name": "A", "query": "a"}], '
         '"preferences": {"theme": "purple"}}', "preference 'theme' must be"),
        ('{"format": "reader-settings", "version": 1, "labels": ["ok"], "keys": {"toggle_star": 7}}', "keys must be"),
        ('{"format": "reader-settings", "version": 1, "keys": {"toggle_star": "Ctrl+Nonsense"}}', "cannot be read"),
        ('{"format": "reader-settings", "version": 1, "colours": {}}', "unknown part"),
        ('{"format": "reader-settings", "version": 1, "labels": ["ok"], '
         '"preferences": {"zoom": 2, "fulltext_sources": "lwn.net"}}', "preference 'fulltext_sources' must be a list"),
        ('{"format": "reader-settings", "version": 1, "preferences": {"fulltext_sources": ["lwn.net", "two words"]}}',
         "preference 'fulltext_sources' must be a list"),
        *((f'{{"format": "reader-settings", "version": 1, "preferences": {{"{name}": {value}}}}}', f"preference '{name}' must be")
          for name in ("theme", "zoom", "font_size", "mark_read_delay", "feed_refresh_minutes", "remote_images", "folders",
                       "fulltext_sources")
          for value in ('["dark"]', '{"a": 1}', '"3"', "null", "1.5")
          if not (name in ("folders", "fulltext_sources") and value == '["dark"]')),  # (a list of texts is right there)
    ],
)
def test_a_settings_file_that_cannot_be_used_changes_nothing(
    home: Path, text: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = home / "bad.json"
    bad.write_text(text, encoding="utf-8")
    settings_file = Path(Settings().path())
    before_settings = settings_file.read_bytes()
    with Library(home / "data") as lib:
        before = lib.user_settings()
    assert run("--data-dir", home / "data", "settings", "import", bad) == 2
    error = capsys.readouterr().err
    assert message in error and "nothing was changed" in error
    assert settings_file.read_bytes() == before_settings
    with Library(home / "data") as lib:
        assert lib.user_settings() == before


def test_marks_travel_by_id_and_by_url(home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    exported = home / "marks.json"
    assert run("--data-dir", home / "data", "marks", "export", exported) == 0
    data = json.loads(exported.read_text(encoding="utf-8"))
    # every article is listed (those without marks too: see the next test), each once
    assert sorted(a["url"] for a in data["articles"]) == sorted(f"https://example.com/{i}" for i in range(N))
    data["articles"] = [a for a in data["articles"] if a["read"] or a["starred"] or a["labels"]]
    assert {(a["url"], a["read"], a["starred"], tuple(a["labels"])) for a in data["articles"]} == {
        ("https://example.com/1", False, False, ("later", "work")),
        ("https://example.com/2", True, False, ()),
        ("https://example.com/3", True, True, ()),
    }
    # Another library: story 1 known under another id (found by URL), story 2 by its id,
    # and one article not there yet (kept for when it comes).
    later = next(a for a in data["articles"] if a["url"].endswith("/1"))
    later["id"] = "another-id"
    make_docs(tmp_path / "new-docs", 1, 2)  # stories 1 and 2
    with Library(home / "new") as lib:
        lib.sync([tmp_path / "new-docs"])
    exported.write_text(json.dumps(data), encoding="utf-8")
    assert run("--data-dir", home / "new", "marks", "import", exported) == 0
    assert "1 found by id, 1 by URL, 1 kept for when they arrive" in capsys.readouterr().out
    with Library(home / "new") as lib:
        titles = ids_by_title(lib)
        assert lib.labels_of(titles["Story 1"]) == ("later", "work")
        assert lib.is_read(titles["Story 2"])
        make_docs(tmp_path / "new-docs", 3, 1)
        lib.sync([tmp_path / "new-docs"])
        story3 = ids_by_title(lib)["Story 3"]
        assert lib.is_read(story3) and lib.is_starred(story3)
    # a broken marks file changes nothing
    exported.write_text('{"format": "reader-marks", "version": 1, "articles": [{"id": "x", "read": "yes"}]}', encoding="utf-8")
    assert run("--data-dir", home / "new", "marks", "import", exported) == 2
    assert "read and starred must be true or false" in capsys.readouterr().err


def test_keys_chosen_in_preferences_travel_as_they_were_chosen(home: Path) -> None:
    """Keys as the key map reads them (a key with a comma, which QSettings reads back as a
    list; an action with two keys) come out of an export and an import as they went in."""
    from reader.ui.keymap import KeyMap

    store = Settings().store
    chosen = KeyMap(store)
    chosen.set_keys("copy_link", ["Y", "Ctrl+Shift+Y"])
    store.sync()
    # a key with a comma, written by hand without quotes (QSettings reads it as a list)
    ini = Path(store.fileName())
    text = ini.read_text(encoding="utf-8").replace("toggle_star=F\n", "toggle_star=Alt+,\n")
    assert "toggle_star=Alt+,\n" in text
    ini.write_text(text, encoding="utf-8")
    store = Settings().store
    assert isinstance(store.value("keys/toggle_star"), list)
    exported = home / "keys.json"
    assert run("--data-dir", home / "data", "settings", "export", exported) == 0
    keys = json.loads(exported.read_text(encoding="utf-8"))["keys"]
    assert keys["toggle_star"] == "Alt+,"
    store.clear()
    store.sync()
    assert run("--data-dir", home / "new", "settings", "import", exported) == 0
    again = KeyMap(Settings().store)
    assert again.keys("toggle_star") == ("Alt+,",)
    assert again.keys("copy_link") == ("Y", "Ctrl+Shift+Y")


@pytest.mark.parametrize("marks_first", [False, True])
def test_rules_do_not_act_on_the_articles_of_an_imported_marks_file(
    home: Path, tmp_path: Path, marks_first: bool
) -> None:
    """A new machine gets the settings (with the rule: walrus -> star, label zoo) and the marks,
    then the documents: the articles the old library had were seen by its rule (made after
    they arrived, so it left them alone, and the user starred only Story 3): they arrive
    as they were. An article the old library never had is acted on."""
    settings, marks = home / "settings.json", home / "marks.json"
    assert run("--data-dir", home / "data", "settings", "export", settings) == 0
    assert run("--data-dir", home / "data", "marks", "export", marks) == 0
    steps = [("marks", marks), ("settings", settings)]
    for command, file in steps if marks_first else steps[::-1]:
        assert run("--data-dir", home / "new", command, "import", file) == 0
    make_docs(home / "docs", N, 3)  # stories 12 (walrus), 13 and 14: new to both machines
    with Library(home / "new") as lib:
        lib.sync([home / "docs"])
        titles = ids_by_title(lib)
        starred = {title for title, i in titles.items() if lib.is_starred(i)}
        zoo = {title for title, i in titles.items() if "zoo" in lib.labels_of(i)}
    assert starred == {"Story 3", "Story 12"}
    assert zoo == {"Story 12"}


def test_imports_in_a_read_only_session_are_refused(home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A data folder that cannot be written (here: a file) keeps nothing: both imports say so
    with status 2, as `reader opml import` does, and write nothing (not the preferences either)."""
    settings, marks = home / "settings.json", home / "marks.json"
    assert run("--data-dir", home / "data", "settings", "export", settings) == 0
    assert run("--data-dir", home / "data", "marks", "export", marks) == 0
    settings_file = Path(Settings().path())
    before = settings_file.read_bytes()
    not_a_folder = tmp_path / "not-a-folder"
    not_a_folder.write_text("", encoding="utf-8")
    capsys.readouterr()
    for command, file in (("marks", marks), ("settings", settings)):
        assert run("--data-dir", not_a_folder, command, "import", file) == 2
        err = capsys.readouterr().err
        assert f"reader {command}: cannot import in a read-only session" in err
    assert settings_file.read_bytes() == before
    assert not_a_folder.read_bytes() == b""


def test_preferences_that_cannot_be_written_are_not_said_to_be_imported(
    home: Path, tmp_path: Path, settings_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    request: pytest.FixtureRequest,
) -> None:
    request.addfinalizer(lambda: QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(settings_dir)))
    good = home / "p.json"
    good.write_text('{"format": "reader-settings", "version": 1, "labels": ["x"], "preferences": {"zoom": 3}}', encoding="utf-8")
    blocked = tmp_path / "a-file"
    blocked.write_text("", encoding="utf-8")
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(blocked))
    # refused before anything changes
    assert run("--data-dir", home / "new", "settings", "import", good) == 2
    assert "cannot be written; nothing was changed" in capsys.readouterr().err
    with Library(home / "new") as lib:
        assert lib.labels() == []
    # and when writing fails all the same, it says so
    monkeypatch.setattr(QSettings, "isWritable", lambda self: True)
    assert run("--data-dir", home / "new", "settings", "import", good) == 2
    out, err = capsys.readouterr()
    assert "Imported" not in out and "could not be written: the preferences and keys were not kept" in err


def test_marks_import_counts_in_words(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    one = home / "one.json"
    one.write_text('{"format": "reader-marks", "version": 1, "articles": [{"id": "x", "read": true}]}', encoding="utf-8")
    assert run("--data-dir", home / "new", "marks", "import", one) == 0
    assert capsys.readouterr().out.startswith("Marks of 1 article: 0 found by id")


def test_marks_import_counts_as_kept_only_articles_with_marks(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A file naming articles not here, most without marks (an export lists every article the
    library has seen): only those with marks are kept; the others are only noted as seen."""
    articles = [{"id": f"a{i}", "url": f"https://elsewhere.example/{i}"} for i in range(10_000)]
    articles[:3] = [{"id": "r", "read": True}, {"id": "s", "starred": True}, {"id": "l", "labels": ["later"]}]
    file = home / "many.json"
    file.write_text(json.dumps({"format": "reader-marks", "version": 1, "articles": articles}), encoding="utf-8")
    assert run("--data-dir", home / "new", "marks", "import", file) == 0
    assert capsys.readouterr().out == (
        "Marks of 10,000 articles: 0 found by id, 0 by URL, 3 kept for when they arrive;"
        " 9,997 others, not here and without marks, noted as seen by the rules\n"
    )


def test_keys_of_actions_this_reader_does_not_have_are_skipped_and_said_to_be(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = home / "keys.json"
    file.write_text('{"format": "reader-settings", "version": 1, "keys": {"x": "Ctrl+Q", "toggle_star": "S"}}', encoding="utf-8")
    assert run("--data-dir", home / "new", "settings", "import", file) == 0
    assert "and 1 key (skipped 1 key of actions this Reader does not have: x)" in capsys.readouterr().out
    store = Settings().store
    assert store.value("keys/toggle_star") == "S" and store.value("keys/x") is None


def test_files_with_a_byte_order_mark_are_read(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Windows' Notepad saves UTF-8 with a byte order mark: the files are read all the same."""
    settings, marks = home / "s.json", home / "m.json"
    settings.write_bytes(b'\xef\xbb\xbf{"format": "reader-settings", "version": 1, "labels": ["Work"]}\n')
    marks.write_bytes(b'\xef\xbb\xbf{"format": "reader-marks", "version": 1, "articles": [{"id": "x", "starred": true}]}\n')
    assert run("--data-dir", home / "new", "settings", "import", settings) == 0
    assert run("--data-dir", home / "new", "marks", "import", marks) == 0
    with Library(home / "new") as lib:
        assert lib.labels() == ["Work"] and [m.id for m in lib.marks() if m.starred] == ["x"]


@pytest.mark.parametrize(
    "keys, kept, said",
    [
        ({"view_unread": "Esc"}, {},
         ["Skipped the key of 'view_unread': Esc cannot be an action's key: it cancels (it clears the search field, leaves a"
          " timeline and closes dialogs) ('view_unread' keeps its default keys)"]),
        ({"toggle_star": "Backtab"}, {},
         ["Skipped the key of 'toggle_star': Shift+Tab cannot be an action's key: the lists and fields use it"]),
        ({"next_article": "Down", "reload": "R"}, {"reload": "R"},
         ["Skipped the key of 'next_article': Down cannot be an action's key: the lists and fields use it"]),
        ({"open_original": "O; Return"}, {"open_original": "O"},
         ["Skipped the key of 'open_original': Return cannot be an action's key"]),
        ({"copy_link": "Alt+F"}, {}, ["Skipped the key of 'copy_link': Alt+F cannot be an action's key: it opens the File menu"]),
        ({"view_all": "Home", "view_starred": "Ctrl+3, Alt+A"}, {"view_starred": "Ctrl+3, Alt+A"},
         ["Skipped the key of 'view_all': Home cannot be an action's key: the lists and fields use it ('view_all' keeps its default keys)"]),
        # one key for two actions: the first in the menus has it (as the window gives it)
        ({"copy_link": "X", "toggle_star": "X"}, {"toggle_star": "X"},
         ["Skipped the key of 'copy_link': x is already the key of Star / Unstar ('copy_link' keeps its default keys)"]),
    ],
)
def test_settings_import_skips_the_keys_the_keys_page_refuses_and_keeps_the_rest(
    home: Path, keys: dict[str, str], kept: dict[str, str], said: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """A key the window would not use (an earlier Reader wrote such keys into the settings file,
    and its export carried them) is skipped and named with the reason; the rest of the file is
    imported: saved searches, labels, preferences and the other keys."""
    file = home / "old.json"
    file.write_text(json.dumps({"format": "reader-settings", "version": 1, "saved_searches": [{"name": "Climate", "query": "climate"}],
                                "labels": ["todo"], "preferences": {"zoom": 3}, "keys": keys}), encoding="utf-8")
    assert run("--data-dir", home / "new", "settings", "import", file) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"Imported 1 saved search, 1 label, 1 preference and {len(kept)} key{'' if len(kept) == 1 else 's'}"
    assert len(out) == 1 + len(said) and all(line.startswith(start) for line, start in zip(out[1:], said, strict=True))
    with Library(home / "new") as lib:
        assert [s.name for s in lib.saved_searches()] == ["Climate"] and lib.labels() == ["todo"]
    settings = Settings()
    assert settings.zoom == 3
    store = settings.store
    store.beginGroup("keys")
    try:
        assert {name: store.value(name) for name in store.childKeys()} == kept
    finally:
        store.endGroup()


def test_settings_export_writes_only_the_keys_the_window_uses(home: Path, settings_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Keys an earlier Reader accepted and wrote into the settings file (Home, Alt+A, one key
    for two actions) are not exported: the file imports on another machine, everything in it."""
    store = Settings().store
    for name, value in (("view_all", "Home"), ("view_starred", "Ctrl+3, Alt+A"), ("view_unread", "X"), ("next_unread", "X"),
                        ("reload", "Alt+A; R"), ("no_such_action", "Q"), ("help", "Ctrl+Bogus")):
        store.setValue(f"keys/{name}", value)
    store.sync()
    exported = home / "settings.json"
    assert run("--data-dir", home / "data", "settings", "export", exported) == 0
    keys = json.loads(exported.read_text(encoding="utf-8"))["keys"]
    # next_unread comes first in the menus: X is its key; view_unread keeps its default (not exported)
    assert keys == {"toggle_star": "F", "copy_link": "", "view_starred": "Ctrl+3, Alt+A", "next_unread": "X", "reload": "R"}
    settings_dir_b = home / "settings-b"
    settings_dir_b.mkdir()
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(settings_dir_b))
    capsys.readouterr()
    assert run("--data-dir", home / "other", "settings", "import", exported) == 0
    assert capsys.readouterr().out == "Imported 2 saved searches, 3 labels, 8 preferences and 5 keys\n"
    with Library(home / "other") as lib:
        assert sorted(s.name for s in lib.saved_searches()) == ["Even", "Walrus"]




def test_a_settings_file_of_version_1_keeps_its_capital_not_a_word(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Settings files of version 1 were written by a Reader that searched a capital NOT as a
    word: their saved queries are read with it written "NOT", so a saved search and its rule
    find what they found there (as the library's upgrade does with its own); the export is of
    version 2, whose NOT excludes."""
    data = {
        "format": "reader-settings", "version": 1,
        "saved_searches": [
            {"name": "Not", "query": "NOT twitter", "actions": ["star"]},
            {"name": "Trailing", "query": "story NOT", "actions": []},
            {"name": "Minus", "query": "walrus -NOT", "actions": []},
        ],
    }  # fmt: skip
    file = home / "v1.json"
    file.write_text(json.dumps(data), encoding="utf-8")
    assert run("--data-dir", home / "new", "settings", "import", file) == 0
    assert "does not understand" not in capsys.readouterr().out
    with Library(home / "new") as lib:
        assert [(s.name, s.query) for s in lib.saved_searches()] == [
            ("Not", '"NOT" twitter'), ("Trailing", 'story "NOT"'), ("Minus", "walrus -NOT"),
        ]  # fmt: skip
    out = home / "v2.json"
    assert run("--data-dir", home / "new", "settings", "export", out) == 0
    exported = json.loads(out.read_text(encoding="utf-8"))
    assert exported["version"] == 2 and exported["saved_searches"][0]["query"] == '"NOT" twitter'
