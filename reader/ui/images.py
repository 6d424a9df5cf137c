"""Remote images, fetched only when the user asks (Article > Load Images).

Requests are asynchronous (Qt's network access manager, on the GUI thread's event loop, never
blocking it), http and https only, with a timeout, a cap on redirects and a cap on size.
Fetched images are cached on disk, so asking again costs no traffic. No network object
exists until the first request.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtGui import QImage
from PySide6.QtNetwork import QNetworkAccessManager, QNetworkReply, QNetworkRequest

from reader import __version__
from reader.urls import is_safe_link

log = logging.getLogger(__name__)

MAX_IMAGE_BYTES = 8 * 1024 * 1024
TIMEOUT_MS = 15_000
MAX_REDIRECTS = 5


def cache_name(url: str) -> str:
    return hashlib.sha256(url.encode("utf-8", "surrogatepass")).hexdigest()


class ImageFetcher(QObject):
    """Fetches image URLs; emits :attr:`loaded` (url, QImage) or :attr:`failed` (url, reason)."""

    loaded = Signal(str, QImage)
    failed = Signal(str, str)

    def __init__(self, cache_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.cache_dir = cache_dir
        self.timeout_ms = TIMEOUT_MS
        self.max_bytes = MAX_IMAGE_BYTES
        self._manager: QNetworkAccessManager | None = None
        self._pending: dict[str, QNetworkReply] = {}

    @property
    def network_used(self) -> bool:
        """Whether any network request was ever made (for the privacy promise)."""
        return self._manager is not None

    def fetch(self, urls: Iterable[str]) -> None:
        for url in dict.fromkeys(urls):
            if url in self._pending:
                continue
            if not is_safe_link(url):
                self.failed.emit(url, "not loaded: only http and https images are fetched")
                continue
            cached = self.cache_dir / cache_name(url)
            if cached.is_file():
                image = QImage(str(cached))
                if not image.isNull():
                    self.loaded.emit(url, image)
                    continue
            self._request(url)

    def _request(self, url: str) -> None:
        if self._manager is None:
            self._manager = QNetworkAccessManager(self)
        request = QNetworkRequest(QUrl(url))
        request.setTransferTimeout(self.timeout_ms)
        request.setMaximumRedirectsAllowed(MAX_REDIRECTS)
        request.setAttribute(
            QNetworkRequest.Attribute.RedirectPolicyAttribute, QNetworkRequest.RedirectPolicy.NoLessSafeRedirectPolicy
        )
        request.setHeader(QNetworkRequest.KnownHeaders.UserAgentHeader, f"Reader/{__version__}")
        reply = self._manager.get(request)
        self._pending[url] = reply
        reply.metaDataChanged.connect(lambda: self._check_length(url, reply))
        reply.downloadProgress.connect(lambda received, _total: self._check_size(url, reply, received))
        reply.finished.connect(lambda: self._finished(url, reply))

    def _check_length(self, url: str, reply: QNetworkReply) -> None:
        length = reply.header(QNetworkRequest.KnownHeaders.ContentLengthHeader)
        if isinstance(length, int) and length > self.max_bytes:
            self._too_large(url, reply)

    def _check_size(self, url: str, reply: QNetworkReply, received: int) -> None:
        if received > self.max_bytes:
            self._too_large(url, reply)

    def _too_large(self, url: str, reply: QNetworkReply) -> None:
        reply.setProperty("reader_reason", f"not loaded: larger than {self.max_bytes // (1024 * 1024)} MB")
        reply.abort()

    def _finished(self, url: str, reply: QNetworkReply) -> None:
        self._pending.pop(url, None)
        reply.deleteLater()
        reason = reply.property("reader_reason")
        if reason:
            self.failed.emit(url, str(reason))
            return
        if reply.error() != QNetworkReply.NetworkError.NoError:
            if reply.error() in (QNetworkReply.NetworkError.OperationCanceledError, QNetworkReply.NetworkError.TimeoutError):
                self.failed.emit(url, "not loaded: no answer in time")
            else:
                self.failed.emit(url, f"not loaded: {reply.errorString()}")
            return
        data = bytes(reply.readAll().data())
        image = QImage.fromData(data)
        if image.isNull():
            self.failed.emit(url, "not loaded: not an image")
            return
        self._store(url, data)
        self.loaded.emit(url, image)

    def _store(self, url: str, data: bytes) -> None:
        try:
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            target = self.cache_dir / cache_name(url)
            partial = target.with_suffix(".part")
            partial.write_bytes(data)
            os.replace(partial, target)
        except OSError as error:  # a cache that cannot be written only costs a refetch
            log.warning("cannot cache %s: %s", url, error)

    def cancel(self) -> None:
        for reply in list(self._pending.values()):
            reply.abort()
