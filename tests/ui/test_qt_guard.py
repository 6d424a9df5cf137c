"""Guards against a broken Qt binding.

PySide6 6.12.0 on Python 3.11 corrupts the reference count of ``None`` on every call into
Qt; the interpreter aborts once it reaches zero. pyproject.toml pins PySide6 below 6.12.
"""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QCoreApplication


def test_qt_calls_do_not_leak_none(qapp) -> None:  # type: ignore[no-untyped-def]
    before = sys.getrefcount(None)
    for _ in range(500):
        QCoreApplication.processEvents()
    assert sys.getrefcount(None) - before > -50


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="the refcount bug is only known on Python 3.11")
def test_pyside6_is_below_6_12_on_python_3_11() -> None:
    import PySide6

    major, minor = (int(part) for part in PySide6.__version_info__[:2])
    assert (major, minor) < (6, 12), f"PySide6 {PySide6.__version__} corrupts refcounts on Python 3.11"
