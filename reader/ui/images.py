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

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QUrl, Signal
from PySide6.QtGui import QImage, QImageReader
from PySide6.QtNetwork import QNetworkAccessManager, QNetworkReply, QNetworkRequest

from reader import __version__
from reader.urls import is_safe_link

log = logging.getLogger(__name__)

MAX_IMAGE_BYTES = 8 * 1024 * 1024
TIMEOUT_MS = 15_000
MAX_REDIRECTS = 5


def cache_name(url: str) -> str:
    return hashlib.sha256(url.encode("utf-8", "surrogatepass")).hexdigest()


def decode(data: bytes) -> QImage | str:
    """The image in ``data``, or why it is not shown: an image too large for Qt to hold
    (its allocation limit, 256 MB by default; told from its header, before decoding) is
    "too large", anything else Qt cannot read "not an image"."""
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    size = reader.size()
    limit = QImageReader.allocationLimit() * 1024 * 1024  # (0: no limit)

    def too_large(bytes_per_pixel: int) -> bool:
        return bool(limit) and size.isValid() and size.width() * size.height() * bytes_per_pixel > limit

    too_large_text = f"not loaded: too large to show ({size.width():,} × {size.height():,} pixels)"
    if too_large(4):
        return too_large_text
    image = reader.read()
    if image.isNull():
        return too_large_text if too_large(8) else "not loaded: not an image"  # (16 bits a channel: 8 bytes a pixel)
    return image


class ImageFetcher(QObject):
    """Fetches image URLs; emits :attr:`loaded` (url, QImage) or :attr:`failed` (url, reason)
    for each, then :attr:`finished` (how many loaded, the reasons of those that failed) once
    every image asked for has one or the other."""

    loaded = Signal(str, QImage)
    failed = Signal(str, str)
    finished = Signal(int, list)

    def __init__(self, cache_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.cache_dir = cache_dir
        self.timeout_ms = TIMEOUT_MS
        self.max_bytes = MAX_IMAGE_BYTES
        self._manager: QNetworkAccessManager | None = None
        self._pending: dict[str, QNetworkReply] = {}
        #: The images asked for since the last :attr:`finished`: url -> None (on its way),
        #: "" (loaded) or why it failed.
        self._batch: dict[str, str | None] = {}
        self.loaded.connect(lambda url, _image: self._settled(url, ""))
        self.failed.connect(self._settled)

    @property
    def network_used(self) -> bool:
        """Whether any network request was ever made (for the privacy promise)."""
        return self._manager is not None

    def fetch(self, urls: Iterable[str]) -> None:
        urls = list(dict.fromkeys(urls))
        for url in urls:
            self._batch.setdefault(url, None)
        for url in urls:
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
        image = decode(data)
        if isinstance(image, str):
            self.failed.emit(url, image)
            return
        self._store(url, data)
        self.loaded.emit(url, image)

    def _settled(self, url: str, reason: str) -> None:
        """``url`` loaded (``reason`` "") or failed: when it was the last of those asked for,
        say how they went."""
        if url not in self._batch:
            return
        self._batch[url] = reason
        if all(state is not None for state in self._batch.values()):
            reasons = [state for state in self._batch.values() if state]
            loaded = len(self._batch) - len(reasons)
            self._batch = {}
            self.finished.emit(loaded, reasons)

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
