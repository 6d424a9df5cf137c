"""The repository's scripts (not package modules), loaded once for the tests."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

REPO_DIR = Path(__file__).resolve().parent.parent
MAKE_BAD = REPO_DIR / "tests" / "data" / "make_bad.py"
MAKE_CORPUS = REPO_DIR / "bench" / "make_corpus.py"


def load_script(path: Path) -> ModuleType:
    """The module in ``path``, imported once (under a name made from its path)."""
    name = "reader_script_" + path.stem
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]
