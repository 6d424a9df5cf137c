"""Privacy: no network traffic unless the user asks; remote images only on request, with a
timeout, a size cap and a disk cache; only http and https links are opened."""

from __future__ import annotations

import gc
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from PySide6.QtCore import QBuffer, QIODevice
from PySide6.QtGui import QColor, QImage
from PySide6.QtNetwork import QNetworkAccessManager
from pytestqt.qtbot import QtBot

from reader.ui.detail_pane import LOADED, LOADING
from reader.ui.main_window import MainWindow

from .helpers import WindowFactory, select_title, titles

# --------------------------------------------------------------------------- a local server


def png_bytes(width: int = 40, height: int = 30) -> bytes:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("#3a7"))
    return image_bytes(image)


def image_bytes(image: QImage) -> bytes:
    """``image`` as a PNG file."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(buffer.data().data())


class ImageServer:
    """An HTTP server on 127.0.0.1 with an image, a redirect, a huge, a stalling and a
    non-image endpoint; it counts the requests it gets."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self.png = png_bytes()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                server.requests.append(self.path)
                if self.path == "/ok.png":
                    self._send(200, "image/png", server.png)
                elif self.path == "/redirect":
                    self.send_response(302)
                    self.send_header("Location", "/ok.png")
                    self.end_headers()
                elif self.path == "/huge":
                    self.send_response(200)
                    self.send_header("Content-Type", "image/png")
                    self.end_headers()  # no length: the size cap must stop the stream
                    try:
                        for _ in range(200):
                            self.wfile.write(b"\0" * 16384)
                    except (BrokenPipeError, ConnectionResetError):
                        pass
                elif self.path == "/bomb":  # 20,000 × 20,000 pixels in 48 kB: over Qt's allocation limit
                    image = QImage(20_000, 20_000, QImage.Format.Format_Mono)
                    image.fill(0)
                    self._send(200, "image/png", image_bytes(image))
                elif self.path == "/slow":
                    time.sleep(3)
                    self._send(200, "image/png", server.png)
                else:
                    self._send(200, "text/html", b"<html>not an image</html>")

            def _send(self, status: int, kind: str, body: bytes) -> None:
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", kind)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> ImageServer:
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server() -> Iterator[ImageServer]:
    with ImageServer() as running:
        yield running


def doc_with_images(title: str, urls: list[str]) -> str:
    images = "".join(f'  - url: "{u}"\n    width: 40\n    height: 30\n    title: "picture {n}"\n' for n, u in enumerate(urls))
    return (
        "---\n"
        f'title: "{title}"\n'
        "publishedDateTime: 2020-03-01T12:00:00Z\n"
        f'webUrl: "https://news.example/{title.replace(" ", "-")}"\n'
        "provider:\n  name: Example News\n  domain: news.example\n"
        f"images:\n{images}"
        "---\n"
        "Some text.\n"
    )


def network_managers() -> list[QNetworkAccessManager]:
    gc.collect()
    return [o for o in gc.get_objects() if isinstance(o, QNetworkAccessManager)]


# --------------------------------------------------------------------------- no traffic


@pytest.fixture
def no_sockets(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every outgoing connection attempt from Python, recorded and refused."""
    attempts: list[object] = []

    def refuse(_sock: socket.socket, address: object) -> None:
        attempts.append(address)
        raise OSError("network access in a test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    return attempts


def test_no_network_at_start_loading_or_reading(
    qtbot: QtBot, make_window: WindowFactory, docs_dir: Path, corpus_dir: Path, no_sockets: list[object]
) -> None:
    window = make_window([docs_dir, corpus_dir])
    assert len(titles(window)) >= 100
    for title in titles(window)[:40]:  # reading: the pane shows text, coverage, image placeholders
        select_title(window, title)
    window.registry["help"].trigger()
    window.search_bar.field.setText("clearview topic:AI")
    window.search_bar.flush()
    window.registry["reload"].trigger()
    qtbot.waitUntil(lambda: not window.loading, timeout=30_000)
    assert no_sockets == []
    assert not window.images.network_used
    assert network_managers() == []


def test_images_load_only_when_asked(qtbot: QtBot, make_window: WindowFactory, tmp_path: Path, server: ImageServer) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "story.md").write_text(doc_with_images("A story with pictures", [f"{server.url}/ok.png"]), encoding="utf-8")
    window = make_window([folder])
    select_title(window, "A story with pictures")
    assert "not loaded — press i to load" in window.detail.plain_text()
    qtbot.wait(200)
    assert server.requests == []  # shown, read, and still nothing fetched
    window.registry["load_images"].trigger()
    url = f"{server.url}/ok.png"
    qtbot.waitUntil(lambda: window.detail.image_states.get(url) == LOADED, timeout=10_000)
    assert server.requests == ["/ok.png"]
    assert "<img" in window.detail.html()
    assert "press i to load" not in window.detail.plain_text()

    # Asked again later (the pane forgot them): served from the disk cache, no request.
    article = window.detail.article
    window.detail.show_article(None)
    window.detail.show_article(article)
    assert "press i to load" in window.detail.plain_text()
    window.registry["load_images"].trigger()
    qtbot.waitUntil(lambda: window.detail.image_states.get(url) == LOADED, timeout=5_000)
    assert server.requests == ["/ok.png"]


def test_image_fetch_limits(qtbot: QtBot, make_window: WindowFactory, tmp_path: Path, server: ImageServer) -> None:
    urls = {
        "redirect": f"{server.url}/redirect",
        "huge": f"{server.url}/huge",
        "slow": f"{server.url}/slow",
        "text": f"{server.url}/page.html",
        "script": "javascript:alert(1)",
    }
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "story.md").write_text(doc_with_images("Difficult pictures", list(urls.values())), encoding="utf-8")
    window = make_window([folder])
    window.images.max_bytes = 100_000
    window.images.timeout_ms = 700
    select_title(window, "Difficult pictures")
    started = time.monotonic()
    window.registry["load_images"].trigger()
    states = window.detail.image_states
    qtbot.waitUntil(lambda: all(states.get(u) not in (None, LOADING) for u in urls.values()), timeout=10_000)
    assert time.monotonic() - started < 2.5  # the stalled server did not hold anything up
    assert states[urls["redirect"]] == LOADED
    assert "larger than" in states[urls["huge"]]
    assert "in time" in states[urls["slow"]]
    assert "not an image" in states[urls["text"]]
    assert "only http and https" in states[urls["script"]]
    assert "/javascript" not in " ".join(server.requests)
    text = window.detail.plain_text()
    assert "larger than" in text and "not an image" in text


def test_the_status_bar_says_how_loading_images_went(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path, server: ImageServer
) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "story.md").write_text(
        "---\ntitle: Three pictures\npublishedDateTime: 2020-03-01T12:00:00Z\nimages:\n"
        f'  - url: "{server.url}/ok.png"\n  - url: "{server.url}/page.html"\n  - url: "{server.url}/bomb"\n'
        "---\nSome text.\n", encoding="utf-8")  # fmt: skip
    window = make_window([folder])
    select_title(window, "Three pictures")
    assert window.detail.plain_text().count("size unknown") == 3  # (the document gives no sizes)
    window.registry["load_images"].trigger()
    assert window.statusBar().currentMessage() == "Loading 3 images…"
    qtbot.waitUntil(lambda: "Loading" not in window.statusBar().currentMessage(), timeout=10_000)  # at once, not 10 s later
    message = window.statusBar().currentMessage()
    assert message.startswith("Images: 1 loaded, 2 not loaded (") and "not an image" in message and "too large" in message
    states = window.detail.image_states
    assert states[f"{server.url}/ok.png"] == LOADED
    assert states[f"{server.url}/bomb"] == "not loaded: too large to show (20,000 × 20,000 pixels)"
    text = window.detail.plain_text()
    assert "40 × 30" in text and text.count("size unknown") == 2  # the loaded one's own size
    # all loaded: said so
    (folder / "one.md").write_text(doc_with_images("One picture", [f"{server.url}/redirect"]), encoding="utf-8")
    window.reload()
    qtbot.waitUntil(lambda: "One picture" in titles(window), timeout=10_000)
    select_title(window, "One picture")
    window.registry["load_images"].trigger()
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == "Loaded 1 image", timeout=10_000)


def test_unsafe_links_are_refused_with_a_message(window: MainWindow) -> None:
    recorder = window.open_url
    for url in ("javascript:alert(1)", "file:///etc/passwd", "data:text/html,<b>x</b>", "ftp://example.com/x"):
        window.open_link(url)
        assert "only http and https" in window.statusBar().currentMessage()
    assert recorder.urls == []  # type: ignore[attr-defined]
