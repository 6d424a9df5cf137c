"""The whole article on request, in the window: key F (Article > Load Full Text, the pane's
Full Text button) fetches the shown article's page on the full-text thread
(:mod:`reader.ui.fulltext_worker`) and shows its main text in the article pane; a text
fetched before is shown again from the library, offline. Sources the user trusts
(Article > Always Load Full Text from This Source, listed in Preferences) load it as their
articles are shown. Remote images off in Preferences turns all of this off."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot

from reader.article import Article
from reader.fulltext import FullText
from reader.urls import domain_host, site_of
from reader.library import LibraryError
from reader.ui.actions import literal
from reader.ui.fulltext_worker import FullTextLoader
from reader.ui.messages import Kind
from reader.urls import is_safe_link

if TYPE_CHECKING:
    from reader.ui.main_window import MainWindow

#: Why nothing is fetched while fetching is off.
FETCHING_OFF = "Fetching from the web is off (File > Preferences > Remote images)"


def source_of(article: Article) -> str | None:
    """The source an "always load" choice is kept for: the article's domain (its provider's,
    else its link's host), without ``www.``."""
    domain = article.provider.domain if article.provider and article.provider.domain else None
    name = domain_host(domain) or site_of(article.url)
    return name or None


class FullTextController(QObject):
    def __init__(self, window: MainWindow, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.window = window
        self.loader = FullTextLoader(window.library.reopen, self)
        self.loader.loaded.connect(self._loaded)
        self.loader.failed.connect(self._failed)
        window.detail.fulltext_requested.connect(self.load)

    @property
    def allowed(self) -> bool:
        return bool(self.window.remote_images)

    def to_show(self, article: Article) -> tuple[FullText | None, str | None]:
        """What the pane shows with ``article`` from the start (in the same render): its
        stored full text, else that it is loading (being fetched, or its source is always
        loaded: :meth:`article_shown` fetches it), else (None, None)."""
        try:
            full = self.window.library.fulltext(article.id)
        except LibraryError:
            full = None
        if full is not None:
            return full, None
        if article.id in self.loader.pending or self._always(article):
            return None, self._loading_text(article)
        return None, None

    def article_shown(self, article: Article, full: FullText | None) -> None:
        """The pane shows ``article`` with what :meth:`to_show` gave (``full``, its stored
        full text): a source always loaded has the full text fetched now."""
        if full is None and self._always(article):
            self._fetch(article, show=False)  # (the pane says it is loading already; not again when on its way)
        self.update_action(article)

    def _always(self, article: Article) -> bool:
        """Whether ``article``'s full text is fetched as it is shown."""
        return self.allowed and is_safe_link(article.url) and source_of(article) in self.window.settings.fulltext_sources

    def load(self) -> None:
        """Key F: fetch the shown article's page (again, when it was fetched before)."""
        article = self.window.detail.article
        if article is None:
            self.window.notify("No article to load the full text of", Kind.INFO)
            return
        if not self.allowed:
            self.window.notify(FETCHING_OFF, Kind.INFO)
            return
        if not is_safe_link(article.url):
            self.window.detail.set_fulltext(None, "This article has no web address (http or https) to load the full text from.")
            return
        self._fetch(article)

    def _fetch(self, article: Article, *, show: bool = True) -> None:
        assert article.url
        if self.loader.load(article.id, article.url, article.title):
            self.window.notify(f"Loading the full text from {site_of(article.url)}…", Kind.PROGRESS)
        if show:
            self.window.detail.set_fulltext(None, self._loading_text(article))

    @staticmethod
    def _loading_text(article: Article) -> str:
        return f"Loading the full text from {site_of(article.url or '')}…"

    @Slot(str, object)
    def _loaded(self, article_id: str, full: FullText) -> None:
        self.window.notify(f"Full text loaded from {full.site} ({full.words:,} words)", Kind.INFO)
        article = self.window.detail.article
        if article is not None and article.id == article_id:
            self.window.detail.set_fulltext(full)
        if self.window.query is not None:  # the words of the new text may match the search
            self.window.refresh()

    @Slot(str, str)
    def _failed(self, article_id: str, reason: str) -> None:
        self.window.notify(f"Full text not loaded: {reason}", Kind.ERROR)
        article = self.window.detail.article
        if article is not None and article.id == article_id:
            key = self.window.registry.key_text("load_fulltext")
            again = f"press {key} to try again" if key else "Article > Load Full Text tries again"
            self.window.detail.set_fulltext(None, f"The full text could not be loaded: {reason}. "
                                                  f"The excerpt is shown; {again}.")  # fmt: skip

    # -------------------------------------------------------------- trusted sources

    def toggle_always(self) -> None:
        """Article > Always Load Full Text from This Source: add or remove the shown
        article's source (the list is in Preferences)."""
        article = self.window.detail.article
        source = source_of(article) if article is not None else None
        if article is None or source is None:
            self.window.notify("No source to load full texts from", Kind.INFO)
            self.update_action(article)
            return
        sources = self.window.settings.fulltext_sources
        if source in sources:
            self.window.settings.fulltext_sources = [s for s in sources if s != source]
            key = self.window.registry.key_text("load_fulltext")
            self.window.notify(f"Full texts from {source} load only when you {f'press {key}' if key else 'ask'}", Kind.INFO)
        else:
            self.window.settings.fulltext_sources = [*sources, source]
            self.window.notify(f"Full texts from {source} load as their articles are shown", Kind.INFO)
            if self.window.detail.fulltext is None and self._always(article):
                self._fetch(article)  # (one stored would be shown already)
        self.window.keep_settings()
        self.update_action(article)

    def update_action(self, article: Article | None) -> None:
        action = self.window.registry["always_fulltext"]
        source = source_of(article) if article is not None else None
        action.setEnabled(source is not None and self.allowed)
        action.setChecked(source is not None and source in self.window.settings.fulltext_sources)
        action.setText(f"Always Load Full Text from {literal(source)}" if source else "Always Load Full Text from This Source")

    def set_allowed(self, on: bool) -> None:
        """Remote images turned on or off in Preferences (off: nothing is fetched)."""
        self.window.registry["load_fulltext"].setEnabled(on)
        self.update_action(self.window.detail.article)

    def stop(self) -> None:
        self.loader.stop()
