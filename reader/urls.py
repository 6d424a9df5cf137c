"""URL helpers: clean what documents carry, compare URLs, keep links safe. No network."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qsl, quote, unquote_plus, urlencode, urlsplit, urlunsplit

#: Query parameters that only track the reader; removed before a link is opened, copied
#: or compared.
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "mc_cid",
        "mc_eid",
        "igshid",
        "yclid",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "oly_anon_id",
        "oly_enc_id",
        "vero_id",
        "spm",
        "ref_src",
        "cmpid",
    }
)
_TRACKING_PREFIXES = ("utm_", "pk_", "ga_", "hsa_")

SAFE_SCHEMES = frozenset({"http", "https"})

_SPACE = re.compile(r"\s")
#: An HTML character reference, only with its closing ``;``: without it ``&region=`` or
#: ``&section=`` in a query would read as ``®ion=`` and ``§ion=``.
_ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")


def clean_url(raw: str) -> str:
    """A URL as written in a document, made usable: entities decoded, spaces encoded.

    Documents carry URLs with ``&#038;`` entities, stray whitespace around them and spaces
    inside them; non-ASCII characters are kept as they are.
    """
    url = _ENTITY.sub(lambda m: html.unescape(m.group()), raw.strip())
    return _SPACE.sub(lambda m: quote(m.group()), url)


def is_tracking_param(name: str) -> bool:
    low = name.lower()
    return low in TRACKING_PARAMS or low.startswith(_TRACKING_PREFIXES)


def strip_tracking(url: str) -> str:
    """``url`` without tracking query parameters (utm_*, fbclid, gclid, mc_eid ...)."""
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. "http://[::1": not a URL that can be taken apart
        return url
    if not parts.query:
        return url
    # The kept parameters stay exactly as written (encoding, order, ``?flag`` without ``=``).
    fields = parts.query.split("&")
    kept = [f for f in fields if f and not is_tracking_param(unquote_plus(f.partition("=")[0]))]
    if len(kept) == len([f for f in fields if f]):
        return url
    return urlunsplit(parts._replace(query="&".join(kept)))


def is_safe_link(url: str | None) -> bool:
    """True when ``url`` may be handed to a browser: http or https with a host."""
    if not url:
        return False
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in SAFE_SCHEMES and bool(parts.netloc)


_AMP_PATH = re.compile(r"(/amp/?$)|(\.amp(?=\.html?$))", re.IGNORECASE)


def _is_amp_param(name: str, value: str) -> bool:
    low = name.lower()
    return low == "amp" or (low == "outputtype" and value.lower() == "amp")


def identity_key(url: str) -> str:
    """A comparison key under which two URLs of the same page are equal.

    Ignores the scheme, a leading ``www.``, letter case of the host, a trailing slash, the
    fragment, tracking parameters, AMP variants (``/amp/``, ``.amp.html``, ``?amp``,
    ``outputType=amp``) and the order of the remaining query parameters.
    """
    try:
        parts = urlsplit(clean_url(url))
    except ValueError:
        return url.strip()
    host = (parts.hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    port: int | str | None
    try:
        port = parts.port
    except ValueError:  # "example.com:abc", "example.com:99999": keep it as written
        port = parts.netloc.rpartition(":")[2]
    if port and port not in (80, 443):
        host = f"{host}:{port}"
    path = _AMP_PATH.sub("", parts.path).rstrip("/")
    query = sorted(
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not is_tracking_param(k) and not _is_amp_param(k, v)
    )
    key = host + path
    if query:
        key += "?" + urlencode(query)
    return key


def domain_host(domain: object) -> str:
    """A provider's ``domain`` as the host sources are named by: lower case, without ``www.``
    ("example.org"); "" when it names none. An archive may write a page's address there
    ("cbsnews.com/news/u-s-probing-…/", or with a scheme): its host counts. Text with no dot
    before its first slash ("com/2021/08/24/…") is no host."""
    text = str(domain or "").strip().lower()
    # (a scheme's address is read as any link is; else, the common case, the text before a slash)
    host = site_of(text) if "//" in text else text.split("/", 1)[0].removeprefix("www.")
    return host if "." in host and " " not in host else ""


def site_of(url: object) -> str:
    """The host of ``url`` without ``www.`` ("example.org"), the way sources are named ("" when
    it is not a link)."""
    if not url or not isinstance(url, str):
        return ""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        host = ""
    return host.lower().removeprefix("www.")
