"""Shared fixtures. Qt must run headless, so the platform is chosen before anything imports it."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

TESTS_DIR = Path(__file__).resolve().parent
REPO_DIR = TESTS_DIR.parent


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The five seed documents shipped with Reader."""
    return REPO_DIR / "seeds"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """About a hundred real news documents (and four taxonomy files under ``_data/``)."""
    return TESTS_DIR / "data" / "corpus"


@pytest.fixture
def time_zone() -> Iterator[Callable[[str], None]]:
    """``time_zone("Europe/Stockholm")``: the process's local time zone (TZ) for the rest of
    one test; the zone before is restored after it."""
    before = os.environ.get("TZ")

    def set_zone(name: str) -> None:
        os.environ["TZ"] = name
        time.tzset()

    yield set_zone
    if before is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = before
    time.tzset()  # (the C library keeps the zone it read last until told to read TZ again)


@pytest.fixture(params=["America/New_York", "Asia/Tokyo"])
def zone(request: pytest.FixtureRequest, time_zone: Callable[[str], None]) -> str:
    """Each test using it runs in a zone west of UTC (a local date behind UTC's) and in one
    east of it (ahead); its name."""
    time_zone(request.param)
    return str(request.param)


@pytest.fixture
def swedish_dates(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The C library's dates in Swedish (``LC_TIME``, as Qt sets it from a Swedish desktop) for
    one test: a Swedish locale of the system's, else one compiled with ``localedef`` (LOCPATH);
    skipped where neither exists. The locale before is restored after it."""
    import locale
    import shutil
    import subprocess

    before = locale.setlocale(locale.LC_TIME)
    names = ("sv_SE.UTF-8", "sv_SE.utf8", "sv_SE")

    def use() -> str | None:
        for name in names:
            try:
                return locale.setlocale(locale.LC_TIME, name)
            except locale.Error:
                continue
        return None

    chosen = use()
    if chosen is None and shutil.which("localedef"):
        folder = tmp_path_factory.mktemp("locales")
        made = subprocess.run(["localedef", "-i", "sv_SE", "-f", "UTF-8", str(folder / "sv_SE.UTF-8")], capture_output=True)
        if made.returncode == 0:
            monkeypatch.setenv("LOCPATH", str(folder))
            chosen = use()
    if chosen is None:
        pytest.skip("no Swedish locale on this machine (and no localedef to make one)")
    yield chosen
    locale.setlocale(locale.LC_TIME, before)
