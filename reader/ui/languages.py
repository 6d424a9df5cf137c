"""Languages by name for the window: ``sv`` is shown as "Swedish" (Qt's locale data knows
the names); the code stays what ``lang:`` and the library use.

``lang:`` takes every name shown here: :mod:`reader.language_names` holds them for the core
(which has no Qt), made by ``python -m reader.ui.languages > reader/language_names.py`` and
checked against Qt by the tests."""

from __future__ import annotations

import itertools
import string
from functools import lru_cache

import PySide6
from PySide6.QtCore import QLocale


@lru_cache(maxsize=512)
def language_name(code: str) -> str:
    """The English name of the language ``code`` ("English", "Swedish"); the code itself
    when Qt does not know it."""
    return _name(code)


def _name(code: str) -> str:
    language = QLocale.codeToLanguage(code, QLocale.LanguageCodeType.AnyLanguageCode)
    if language in (QLocale.Language.AnyLanguage, QLocale.Language.C):
        return code
    return QLocale.languageToString(language)


def names_table() -> dict[str, tuple[str, ...]]:
    """Every name :func:`language_name` gives -> the codes it gives it for: each code a
    document can be stored with (two or three letters, lower case: ISO 639-1, -2 and -3,
    and the older ones Qt knows, such as ``iw``)."""
    letters = string.ascii_lowercase
    two = ("".join(p) for p in itertools.product(letters, repeat=2))
    three = ("".join(p) for p in itertools.product(letters, repeat=3))
    table: dict[str, list[str]] = {}
    for code in itertools.chain(two, three):
        name = _name(code)
        if name != code:
            table.setdefault(name, []).append(code)
    return {name: tuple(codes) for name, codes in sorted(table.items())}


def names_module() -> str:
    """The source of :mod:`reader.language_names`."""
    lines = [
        '"""The names the window gives languages (Qt\'s locale data) -> the codes of documents it',
        "gives each name, for ``lang:``. Made by ``python -m reader.ui.languages`` (see",
        f'reader/ui/languages.py) with PySide6 {PySide6.__version__}; do not edit."""',
        "",
        "CODES: dict[str, tuple[str, ...]] = {",
    ]
    for name, codes in names_table().items():
        quoted = ", ".join(f'"{code}"' for code in codes) + ("," if len(codes) == 1 else "")
        lines.append(f'    "{name}": ({quoted}),')
    lines.append("}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(names_module(), end="")
