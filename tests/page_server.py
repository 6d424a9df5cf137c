"""A local web server on 127.0.0.1 serving article pages for the full-text tests
(tests/test_fulltext.py, tests/ui/test_fulltext_window.py): the saved pages of
tests/data/fulltext/, redirects, a page over the size cap, a stall, a login wall, a
non-HTML answer and HTTP errors. ``requests`` records every path asked for, with the
Cookie and Referer headers the request carried."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import TypeVar
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

PAGES = Path(__file__).resolve().parent / "data" / "fulltext"
#: The saved pages, by name (each a folder of tests/data/fulltext with source.html) ...
SERVED = sorted(p.name for p in PAGES.iterdir() if (p / "source.html").is_file())
#: ... and those with their project's expected output (expected.html).
SAVED = [name for name in SERVED if (PAGES / name / "expected.html").is_file()]

LOGIN_WALL = b"""<!DOCTYPE html><html><head><title>Sign in</title></head><body>
<header><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/login">Log in</a></nav></header>
<main><h1>Subscribers only</h1>
<form action="/login" method="post"><label>Email <input name="email"></label>
<label>Password <input name="password" type="password"></label><button>Log in</button></form>
<p>Please log in to continue reading.</p></main>
<footer>Copyright 2024</footer></body></html>"""


class QuietServer(ThreadingHTTPServer):
    """A threaded server on which a client that hangs up early (on an oversize body, a
    stall) is expected, not an error to print."""

    block_on_close = False

    def handle_error(self, request: object, client_address: object) -> None:
        pass


class LocalServer:
    """A threaded server on 127.0.0.1 (a free port) for one test: a subclass builds its
    handler and calls :meth:`_listen`; :func:`serve` runs it for the test. Handlers that
    stall wait for :attr:`release`, which is set when the test ends."""

    release: threading.Event
    httpd: QuietServer
    base: str
    thread: threading.Thread

    def _listen(self, handler: type[BaseHTTPRequestHandler], poll: float = 0.5) -> None:
        self.httpd = QuietServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(poll,), daemon=True)

    def url(self, path: str) -> str:
        return self.base + path


S = TypeVar("S", bound=LocalServer)


def serve(server: S) -> Iterator[S]:
    """Run ``server`` for one test (a fixture yields from this), shut down after it."""
    server.thread.start()
    yield server
    server.release.set()
    server.httpd.shutdown()
    server.httpd.server_close()


class PageServer(LocalServer):
    def __init__(self) -> None:
        self.requests: list[tuple[str, str | None, str | None]] = []
        self.release = threading.Event()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def send(self, status: int, body: bytes = b"", content_type: str | None = "text/html; charset=utf-8",
                     headers: dict[str, str] | None = None) -> None:  # fmt: skip
                self.send_response(status)
                if content_type:
                    self.send_header("Content-Type", content_type)
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if body:
                    self.wfile.write(body)

            def do_GET(self) -> None:  # noqa: N802 - the http.server API
                path = self.path
                owner.requests.append((path, self.headers.get("Cookie"), self.headers.get("Referer")))
                name = path.strip("/").split("/")[-1]
                if path.startswith("/page/") and name in SERVED:
                    self.send(200, (PAGES / name / "source.html").read_bytes())
                elif path.startswith("/untyped/") and name in SERVED:  # no Content-Type: read from the start
                    self.send(200, (PAGES / name / "source.html").read_bytes(), content_type=None)
                elif path.startswith("/moved/"):
                    self.send(301, headers={"Location": "/page/" + name})
                elif path.startswith("/hop/"):
                    left = int(name)
                    self.send(302, headers={"Location": f"/hop/{left - 1}" if left else "/page/" + SAVED[0]})
                elif path == "/login-wall":
                    self.send(200, LOGIN_WALL)
                elif path == "/forbidden":
                    self.send(403, b"<html><body>Forbidden</body></html>")
                elif path == "/pdf":
                    self.send(200, b"%PDF-1.4 not a web page", content_type="application/pdf")
                elif path == "/big":
                    self.send(200, b"<html><body><p>" + b"word " * 1_200_000 + b"</p></body></html>")
                elif path == "/stall":
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html")
                    self.send_header("Content-Length", "100000")
                    self.end_headers()
                    self.wfile.write(b"<html><body><p>The start of a page")
                    self.wfile.flush()
                    owner.release.wait(30)  # until the test ends
                elif path == "/to-file":
                    self.send(302, headers={"Location": "file:///etc/passwd"})
                else:
                    self.send(404, b"<html><body>Not found</body></html>")

        self._listen(Handler, poll=0.05)


def serving() -> Iterator[PageServer]:
    """A page server for one test, shut down after it."""
    yield from serve(PageServer())
