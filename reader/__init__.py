"""Reader: a fast, private, keyboard-first desktop reader for folders of news documents.

The package root and its plain modules (article, documents, scan, urls, plaintext, cli)
import no Qt; the window lives in :mod:`reader.ui`.
"""

__version__ = "0.1.0"
