"""Fetch one feed over HTTP(S): the only network request Reader makes besides images, and
only when the user asks (a refresh, or a refresh interval they turned on). No Qt.

Conditional GET (``If-None-Match`` / ``If-Modified-Since``), one time limit for the whole
request (looking up the name, connecting, the headers and the body: a server that stalls
or trickles is cut off), a size cap, redirects followed up to a limit, and http and https
only, at every hop. A redirect may not lead from a public address to a private, loopback
or link-local one (nor from one of these kinds to another): the name is looked up here and
the check is made on the address actually connected to. Failures are :class:`FetchError`
with a one-line reason a person understands (about a feed); the failures another caller may
word its own way are subclasses that carry what happened (:class:`TimedOut`,
:class:`TooLarge`, :class:`NotHttp`, :class:`RedirectRefused`, :class:`CutShort`).
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from reader import __version__

TIMEOUT_SECONDS = 20.0
#: As large as a document file may be (see reader.documents), since the copy is read as one.
MAX_BYTES = 5 * 1024 * 1024
MAX_REDIRECTS = 5
USER_AGENT = f"Reader/{__version__} (feed reader)"
#: What a feed request accepts (the default of :func:`fetch`).
FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, */*;q=0.5"
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_CHUNK = 64 * 1024
_TIMED_OUT = "timed out (the server did not answer in time)"

#: Kinds of address (:func:`address_kind`). A redirect may lead to a public address, or to
#: one of the same kind as the address it came from (loopback to loopback), nothing else.
PUBLIC, PRIVATE, LOOPBACK, LINK_LOCAL = "public", "private", "loopback", "link-local"


class FetchError(Exception):
    """The feed could not be fetched; the message says why, in one line."""


class TimedOut(FetchError):
    """The server did not answer in time (the whole request has one time limit)."""

    def __init__(self) -> None:
        super().__init__(_TIMED_OUT)


class TooLarge(FetchError):
    """The answer is larger than ``max_bytes``: said so by its length (``size``), or the
    download was stopped there (``size`` None)."""

    def __init__(self, max_bytes: int, size: int | None = None) -> None:
        said = f"{size} bytes (feeds may be at most {max_bytes} bytes)" if size is not None else (
            f"more than {max_bytes} bytes (the download was stopped)"
        )  # fmt: skip
        super().__init__(f"too large: {said}")
        self.max_bytes = max_bytes
        self.size = size


class NotHttp(FetchError):
    """The address is not an http or https one (``scheme``: what it is instead)."""

    def __init__(self, scheme: str) -> None:
        super().__init__(f"only http and https addresses can be fetched, not {scheme or 'this'!r}")
        self.scheme = scheme


class RedirectRefused(FetchError):
    """A redirect from a ``came_from`` address led to ``host``, whose addresses
    (``refused``: "ADDRESS is KIND") may not be reached from there."""

    def __init__(self, came_from: str, host: str, refused: Sequence[str]) -> None:
        self.came_from = came_from
        self.host = host
        self.refused = tuple(refused)
        super().__init__(self.said_of("feed"))

    def said_of(self, thing: str) -> str:
        """The reason, said of a ``thing`` fetched ("feed", "page")."""
        return (
            f"refused a redirect from a {self.came_from} address to {self.host} ({', '.join(self.refused)}): "
            f"a {thing} may not send Reader to this machine, the local network or link-local addresses"
        )


class CutShort(FetchError):
    """The connection closed before the whole answer arrived."""

    def __init__(self) -> None:
        super().__init__(self.said_of("feed"))

    @staticmethod
    def said_of(thing: str) -> str:
        """The reason, said of a ``thing`` fetched ("feed", "page")."""
        return f"the connection closed before the whole {thing} arrived"


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
    content_type: str | None = None  #: the answer's Content-Type header, as sent


def check_url(url: str) -> str:
    """``url`` stripped, when it is an http or https URL with a host; else FetchError. It is
    returned in one spelling of the address: the scheme and the host in lower case (they
    ignore case), without a ``#fragment`` (never sent to the server)."""
    url = url.strip().split("#", 1)[0]
    try:
        parts = urlsplit(url)
    except ValueError as error:
        raise FetchError(f"not a valid address: {error}") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise NotHttp(parts.scheme)
    if not parts.hostname:
        raise FetchError("the address has no host")
    start = len(parts.scheme) + len("://")
    user, at, host = parts.netloc.rpartition("@")
    return f"{parts.scheme.lower()}://{user}{at}{host.lower()}{url[start + len(parts.netloc):]}"


def fetch(
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    timeout: float = TIMEOUT_SECONDS,
    max_bytes: int = MAX_BYTES,
    max_redirects: int = MAX_REDIRECTS,
    abort: Abort | None = None,
    accept: str = FEED_ACCEPT,
) -> Fetched:
    """GET ``url`` (conditionally, when ``etag`` or ``last_modified`` is known);
    ``abort`` can stop it from another thread; ``accept`` is the Accept header sent."""
    deadline = time.monotonic() + timeout
    current = start = check_url(url)
    permanent = True
    came_from: str | None = None  # the kind of address the last redirect came from
    for _hop in range(max_redirects + 1):
        status, reason, headers, body, kind = _get(
            current, etag, last_modified, deadline, max_bytes, abort or Abort(), came_from, accept
        )
        if status in _REDIRECTS:
            location = headers.get("location")
            if not location:
                raise FetchError(f"HTTP {status} redirect without a Location")
            permanent = permanent and status in (301, 308)
            current = check_url(urljoin(current, location))
            came_from = kind
            continue
        if status == 304:
            return Fetched(current, not_modified=True, etag=etag, last_modified=last_modified,
                           permanent_url=current if permanent and current != start else None)  # fmt: skip
        if not 200 <= status < 300:
            raise FetchError(f"HTTP {status} {reason}".strip())
        return Fetched(
            current,
            body,
            etag=headers.get("etag"),
            last_modified=headers.get("last-modified"),
            permanent_url=current if permanent and current != start else None,
            content_type=headers.get("content-type"),
        )
    raise FetchError(f"more than {max_redirects} redirects")


def address_kind(address: tuple[object, ...]) -> str:
    """Whether the socket address ``address`` (host, port, ...) is public, private, loopback
    or link-local (:data:`PUBLIC` ...). Unspecified addresses (0.0.0.0) reach this machine:
    loopback; IPv4 addresses written as IPv6 count as IPv4."""
    ip = ipaddress.ip_address(str(address[0]).split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_loopback or ip.is_unspecified:
        return LOOPBACK
    if ip.is_link_local:
        return LINK_LOCAL
    return PUBLIC if ip.is_global else PRIVATE


def resolve(host: str, port: int) -> list[tuple[int, tuple[object, ...]]]:
    """The (address family, socket address) pairs ``host`` has, in the resolver's order."""
    return [(family, sockaddr) for family, _t, _p, _c, sockaddr in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)]


def _addresses(host: str, port: int, deadline: float, abort: Abort) -> list[tuple[int, tuple[object, ...]]]:
    """:func:`resolve`, within the time limit: the lookup runs on a thread of its own (a
    name server that does not answer cannot be interrupted otherwise)."""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:  # an address: nothing to look up
        return resolve(host, port)
    found: list[list[tuple[int, tuple[object, ...]]] | Exception] = []

    def look_up() -> None:
        try:
            found.append(resolve(host, port))
        except Exception as error:  # (a name IDNA cannot encode, too) handed to the caller
            found.append(error)

    thread = threading.Thread(target=look_up, name="reader-resolve", daemon=True)
    thread.start()
    while not found:
        thread.join(min(0.1, _remaining(deadline)))
        if abort.cancelled:
            raise FetchError("cancelled")
    if isinstance(found[0], Exception):
        raise _reason(found[0])
    return found[0]


def _connect(
    host: str, port: int, deadline: float, abort: Abort, came_from: str | None, guard: _Deadline
) -> tuple[socket.socket, str]:
    """A socket connected to ``host`` (the first of its addresses that may be used and
    answers) and the kind of that address. ``came_from``: the kind of address a redirect
    to here came from (None for the address the user gave)."""
    addresses = _addresses(host, port, deadline, abort)
    if not addresses:
        raise FetchError(f"could not connect: {host} has no address")
    refused: list[str] = []
    error: OSError | None = None
    for family, sockaddr in addresses:
        kind = address_kind(sockaddr)
        if came_from is not None and kind != PUBLIC and kind != came_from:
            refused.append(f"{sockaddr[0]} is {kind}")
            continue
        left = _remaining(deadline)
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            guard.attach(sock)
            abort._attach(sock)
            sock.settimeout(left)
            sock.connect(sockaddr)
            return sock, kind
        except OSError as failed:
            error = failed
        except BaseException:
            sock.close()
            raise
        abort._attach(None)
        sock.close()
        if guard.expired or abort.cancelled:
            break
    if refused and error is None:
        assert came_from is not None
        raise RedirectRefused(came_from, host, refused)
    assert error is not None
    raise error


class _Deadline:
    """Shuts the request's socket when the time limit passes, whatever the connection is
    waiting for (a header line trickling in, a TLS handshake, the body)."""

    def __init__(self, deadline: float) -> None:
        self.expired = False
        self._lock = threading.Lock()
        self._sock: socket.socket | None = None
        self._timer = threading.Timer(max(0.0, deadline - time.monotonic()), self._expire)
        self._timer.daemon = True
        self._timer.start()

    def attach(self, sock: socket.socket) -> None:
        with self._lock:
            self._sock = sock
            expired = self.expired
        if expired:
            _shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            sock = self._sock
        if sock is not None:
            _shut(sock)

    def cancel(self) -> None:
        self._timer.cancel()


def _shut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


def _get(
    url: str,
    etag: str | None,
    last_modified: str | None,
    deadline: float,
    max_bytes: int,
    abort: Abort,
    came_from: str | None,
    accept: str = FEED_ACCEPT,
) -> tuple[int, str, dict[str, str], bytes, str]:
    parts = urlsplit(url)
    host = parts.hostname or ""
    secure = parts.scheme.lower() == "https"
    try:
        port = parts.port or (443 if secure else 80)
    except ValueError as error:
        raise FetchError(f"not a valid address: {error}") from None
    connection: http.client.HTTPConnection
    if secure:
        connection = http.client.HTTPSConnection(host, port, timeout=_remaining(deadline))
    else:
        connection = http.client.HTTPConnection(host, port, timeout=_remaining(deadline))
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = {
        "User-Agent": USER_AGENT,
        "Accept": accept,
        "Accept-Encoding": "identity",
    }
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    guard = _Deadline(deadline)
    raw: socket.socket | None = None
    response: http.client.HTTPResponse | None = None
    try:
        raw, kind = _connect(host, port, deadline, abort, came_from, guard)
        sock = raw
        if secure:
            sock = ssl.create_default_context().wrap_socket(raw, server_hostname=host)
            guard.attach(sock)
            abort._attach(sock)
        # The connection uses this socket as it is (it would otherwise look the name up
        # and connect again, to an address that was never checked). It lets go of it once
        # the response says it will close; the response reads on from this same socket.
        connection.sock = sock
        connection.request("GET", target, headers=headers)
        response = connection.getresponse()
        found = {k.lower(): v for k, v in response.getheaders()}
        length = found.get("content-length", "")
        if length.isdigit() and int(length) > max_bytes:
            raise TooLarge(max_bytes, int(length))
        chunks: list[bytes] = []
        size = 0
        while True:
            sock.settimeout(_remaining(deadline))  # the whole request has one time limit
            chunk = response.read1(_CHUNK) if response.status not in _REDIRECTS else b""
            if not chunk:
                break
            size += len(chunk)
            if size > max_bytes:
                raise TooLarge(max_bytes)
            chunks.append(chunk)
        if abort.cancelled:
            raise FetchError("cancelled")
        if guard.expired:  # (what was read may look complete: the socket was shut)
            raise TimedOut()
        if response.length:  # the server promised more than it sent
            raise CutShort()
        return response.status, response.reason, found, b"".join(chunks), kind
    except FetchError:
        raise
    except Exception as error:
        if abort.cancelled:
            raise FetchError("cancelled") from None
        if guard.expired:
            raise TimedOut() from None
        raise _reason(error) from None
    finally:
        guard.cancel()
        abort._attach(None)
        if response is not None:
            response.close()  # (one refused on its headers was never read: its socket stays open else)
        connection.close()
        if raw is not None:
            raw.close()  # (when the connection never took it; closing twice is harmless)


def _reason(error: Exception) -> FetchError:
    """A failed request as a FetchError with a reason a person understands."""
    if isinstance(error, (socket.timeout, TimeoutError)):
        return TimedOut()
    if isinstance(error, ssl.SSLError):
        return FetchError(f"secure connection failed: {error.reason or error}")
    if isinstance(error, (http.client.HTTPException, OSError)):
        reason = getattr(error, "strerror", None) or str(error) or type(error).__name__
        return FetchError(f"could not connect: {reason}")
    return FetchError(f"could not fetch: {type(error).__name__}: {error}")  # still one line


def _remaining(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimedOut()
    return left
