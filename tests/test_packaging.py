"""What ships: the README's pictures, the desktop entry, the icon and the help. (The wheel
itself is built, installed into a fresh environment and run by .ci/run.)"""

from __future__ import annotations

import configparser
import importlib.metadata
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


def test_the_distribution_has_a_name_of_its_own() -> None:
    """``reader`` on PyPI is another project (whose import package is also ``reader``)."""
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    name = config["project"]["name"]
    assert name == "reader-desktop"
    assert name in importlib.metadata.packages_distributions()["reader"]  # this checkout, installed
    assert importlib.metadata.distribution(name).entry_points.select(group="console_scripts", name="reader")
    wheel = re.sub(r"[-_.]+", "_", name)  # as the wheel's file is named
    assert f"/dist/{wheel}-*.whl" in (REPO / ".ci" / "run").read_text(encoding="utf-8")
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"`{name}`" in readme and "cannot share one environment" in readme


def test_every_package_of_reader_ships() -> None:
    """A sub-package missing from the list installs a wheel that cannot start."""
    listed = set(tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    found = {".".join(init.parent.relative_to(REPO).parts) for init in (REPO / "reader").rglob("__init__.py")}
    assert found <= listed, sorted(found - listed)
