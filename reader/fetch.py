"""Fetch one feed over HTTP(S): the only network request Reader makes besides images, and
only when the user asks (a refresh, or a refresh interval they turned on). No Qt.

Conditional GET (``If-None-Match`` / ``If-Modified-Since``), a timeout for the whole
request (a server that stalls or trickles is cut off), a size cap, redirects followed up
to a limit, and http and https only, at every hop. Failures are :class:`FetchError` with
a one-line reason a person understands.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from reader import __version__

TIMEOUT_SECONDS = 20.0
#: As large as a document file may be (see reader.documents), since the copy is read as one.
MAX_BYTES = 5 * 1024 * 1024
MAX_REDIRECTS = 5
USER_AGENT = f"Reader/{__version__} (feed reader)"
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_CHUNK = 64 * 1024


class FetchError(Exception):
    """The feed could not be fetched; the message says why, in one line."""


class Abort:
    """Stops a fetch from another thread (a window closing): :meth:`cancel` shuts the
    connection's socket, so a read that waits on a slow server returns at once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sock: socket.socket | None = None
        self.cancelled = False

    def cancel(self) -> None:
        with self._lock:
            self.cancelled = True
            sock = self._sock
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def _attach(self, sock: socket.socket | None) -> None:
        with self._lock:
            self._sock = sock
            if self.cancelled and sock is not None:
                raise FetchError("cancelled")


@dataclass(frozen=True, slots=True)
class Fetched:
    """What a fetch brought: a new body, or ``not_modified`` (HTTP 304)."""

    url: str  #: where the body came from, after redirects
    body: bytes = b""
    not_modified: bool = False
    etag: str | None = None
    last_modified: str | None = None
    permanent_url: str | None = None  #: the new address, when every redirect was permanent


def check_url(url: str) -> str:
    """``url`` stripped, when it is an http or https URL with a host; else FetchError."""
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError as error:
        raise FetchError(f"not a valid address: {error}") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise FetchError(f"only http and https addresses can be fetched, not {parts.scheme or 'this'!r}")
    if not parts.hostname:
        raise FetchError("the address has no host")
    return url


def fetch(
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    timeout: float = TIMEOUT_SECONDS,
    max_bytes: int = MAX_BYTES,
    max_redirects: int = MAX_REDIRECTS,
    abort: Abort | None = None,
) -> Fetched:
    """GET ``url`` (conditionally, when ``etag`` or ``last_modified`` is known);
    ``abort`` can stop it from another thread."""
    deadline = time.monotonic() + timeout
    current = check_url(url)
    permanent = True
    for _hop in range(max_redirects + 1):
        status, reason, headers, body = _get(current, etag, last_modified, deadline, max_bytes, abort or Abort())
        if status in _REDIRECTS:
            location = headers.get("location")
            if not location:
                raise FetchError(f"HTTP {status} redirect without a Location")
            permanent = permanent and status in (301, 308)
            current = check_url(urljoin(current, location))
            continue
        if status == 304:
            return Fetched(current, not_modified=True, etag=etag, last_modified=last_modified,
                           permanent_url=current if permanent and current != url else None)  # fmt: skip
        if not 200 <= status < 300:
            raise FetchError(f"HTTP {status} {reason}".strip())
        return Fetched(
            current,
            body,
            etag=headers.get("etag"),
            last_modified=headers.get("last-modified"),
            permanent_url=current if permanent and current != url else None,
        )
    raise FetchError(f"more than {max_redirects} redirects")


def _get(
    url: str, etag: str | None, last_modified: str | None, deadline: float, max_bytes: int, abort: Abort
) -> tuple[int, str, dict[str, str], bytes]:
    parts = urlsplit(url)
    host = parts.hostname or ""
    remaining = _remaining(deadline)
    connection: http.client.HTTPConnection
    if parts.scheme.lower() == "https":
        connection = http.client.HTTPSConnection(host, parts.port, timeout=remaining, context=ssl.create_default_context())
    else:
        connection = http.client.HTTPConnection(host, parts.port, timeout=remaining)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = {
        "User-Agent": USER_AGENT,
        "Accept": "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, */*;q=0.5",
        "Accept-Encoding": "identity",
    }
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    try:
        connection.connect()
        # (The connection lets go of its socket once the response says it will close it;
        # the response reads on from this same socket.)
        sock = connection.sock
        assert sock is not None
        abort._attach(sock)
        connection.request("GET", target, headers=headers)
        response = connection.getresponse()
        found = {k.lower(): v for k, v in response.getheaders()}
        length = found.get("content-length", "")
        if length.isdigit() and int(length) > max_bytes:
            raise FetchError(f"too large: {int(length)} bytes (feeds may be at most {max_bytes} bytes)")
        chunks: list[bytes] = []
        size = 0
        while True:
            sock.settimeout(_remaining(deadline))  # the whole request has one time limit
            chunk = response.read1(_CHUNK) if response.status not in _REDIRECTS else b""
            if not chunk:
                break
            size += len(chunk)
            if size > max_bytes:
                raise FetchError(f"too large: more than {max_bytes} bytes (the download was stopped)")
            chunks.append(chunk)
        if abort.cancelled:
            raise FetchError("cancelled")
        if response.length:  # the server promised more than it sent
            raise FetchError("the connection closed before the whole feed arrived")
        return response.status, response.reason, found, b"".join(chunks)
    except FetchError:
        raise
    except Exception as error:
        if abort.cancelled:
            raise FetchError("cancelled") from None
        raise _reason(error) from None
    finally:
        abort._attach(None)
        connection.close()


def _reason(error: Exception) -> FetchError:
    """A failed request as a FetchError with a reason a person understands."""
    if isinstance(error, (socket.timeout, TimeoutError)):
        return FetchError("timed out (the server did not answer in time)")
    if isinstance(error, ssl.SSLError):
        return FetchError(f"secure connection failed: {error.reason or error}")
    if isinstance(error, (http.client.HTTPException, OSError)):
        reason = getattr(error, "strerror", None) or str(error) or type(error).__name__
        return FetchError(f"could not connect: {reason}")
    return FetchError(f"could not fetch: {type(error).__name__}: {error}")  # still one line


def _remaining(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise FetchError("timed out (the server did not answer in time)")
    return left
