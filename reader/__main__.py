"""``python -m reader``: the same as the ``reader`` command."""

import sys

from reader.cli import main

if __name__ == "__main__":  # not when a sync's worker process imports this module again
    sys.exit(main())
