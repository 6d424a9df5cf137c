"""What ships: the README's pictures, the desktop entry, the icon and the help. (The wheel
itself is built, installed into a fresh environment and run by .ci/run.)"""

from __future__ import annotations

import configparser
import io
import re
import tomllib
from pathlib import Path

import pytest

from reader.cli import main

REPO = Path(__file__).resolve().parents[1]


def test_the_readme_pictures_exist() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    pictures = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", readme)
    assert {"resources/screenshots/window-light.png", "resources/screenshots/window-dark.png"} <= set(pictures)
    for picture in pictures:
        assert (REPO / picture).is_file(), picture


def test_the_desktop_entry_starts_reader_with_its_icon() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    entry.read(REPO / "resources" / "reader.desktop", encoding="utf-8")
    section = entry["Desktop Entry"]
    assert section["Type"] == "Application"
    assert section["Exec"].split()[0] == "reader"
    assert section["Icon"] == "reader"
    assert section["Terminal"] == "false"
    assert section["Categories"].endswith(";")


def test_the_icon_is_package_data() -> None:
    icon = REPO / "reader" / "ui" / "resources" / "reader.svg"
    assert icon.read_text(encoding="utf-8").lstrip().startswith("<?xml")
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    package_data = config["tool"]["setuptools"]["package-data"]
    assert "resources/*.svg" in package_data["reader.ui"]
    assert config["project"]["scripts"]["reader"] == "reader.cli:main"


def test_help_names_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"], out=io.StringIO())
    assert exit_info.value.code == 0
    text = capsys.readouterr().out
    assert "check" in text and "search" in text and "--data-dir" in text
