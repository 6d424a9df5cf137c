"""URL helpers: clean what documents carry, compare URLs, keep links safe. No network."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

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


def clean_url(raw: str) -> str:
    """A URL as written in a document, made usable: entities decoded, spaces encoded.

    Documents carry URLs with ``&#038;`` entities, stray whitespace around them and spaces
    inside them; non-ASCII characters are kept as they are.
    """
    url = html.unescape(raw.strip())
    return _SPACE.sub(lambda m: quote(m.group()), url)


def is_tracking_param(name: str) -> bool:
    low = name.lower()
    return low in TRACKING_PARAMS or low.startswith(_TRACKING_PREFIXES)


def strip_tracking(url: str) -> str:
    """``url`` without tracking query parameters (utm_*, fbclid, gclid, mc_eid ...)."""
    parts = urlsplit(url)
    if not parts.query:
        return url
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(k, v) for k, v in pairs if not is_tracking_param(k)]
    if len(kept) == len(pairs):
        return url
    return urlunsplit(parts._replace(query=urlencode(kept, doseq=True)))


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
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
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
