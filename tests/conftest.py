"""Shared fixtures. Qt must run headless, so the platform is chosen before anything imports it."""

from __future__ import annotations

import os

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
