"""Languages by name for the window: ``sv`` is shown as "Swedish" (Qt's locale data knows
the names); the code stays what ``lang:`` and the library use."""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QLocale


@lru_cache(maxsize=512)
def language_name(code: str) -> str:
    """The English name of the language ``code`` ("English", "Swedish"); the code itself
    when Qt does not know it."""
    language = QLocale.codeToLanguage(code, QLocale.LanguageCodeType.AnyLanguageCode)
    if language in (QLocale.Language.AnyLanguage, QLocale.Language.C):
        return code
    return QLocale.languageToString(language)
