"""Where Reader finds what it ships with: the bundled seed documents.

Plain Python and cheap to import (the command line, the window and the tests all ask it).
"""

from __future__ import annotations

from pathlib import Path


def bundled_seeds() -> Path:
    """The folder of seed documents shipped with Reader (opened when no path is given)."""
    checkout = Path(__file__).resolve().parent.parent / "seeds"
    if checkout.is_dir():
        return checkout
    from importlib import resources  # (only an installed Reader needs it)

    # (``reader.seeds`` has no __init__.py: its own resources.files() would be a
    # MultiplexedPath, whose str() is no path.)
    return Path(str(resources.files("reader").joinpath("seeds")))
