"""URL helpers: cleaning, tracking parameters, safe links and identity. No network."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.urls import clean_url, domain_host, identity_key, is_safe_link, is_tracking_param, strip_tracking

# --------------------------------------------------------------------------- clean_url


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("https://x.com/a.jpg?w=1024&#038;h=783", "https://x.com/a.jpg?w=1024&h=783"),
        ("https://x.com/a?b=1&amp;c=2", "https://x.com/a?b=1&c=2"),
        ("https://x.com/a?b=1&#x26;c=2", "https://x.com/a?b=1&c=2"),
        ("  https://x.com/a  \n", "https://x.com/a"),
        ("https://x.com/a file name.jpg", "https://x.com/a%20file%20name.jpg"),
        ("https://x.com/tab\there", "https://x.com/tab%09here"),
        ("https://sv.example.com/nyheter/åäö", "https://sv.example.com/nyheter/åäö"),
        ("/assets/images/organizations/bbc.com-50x50.jpg", "/assets/images/organizations/bbc.com-50x50.jpg"),
        ("https://x.com/a?q=100%25", "https://x.com/a?q=100%25"),
    ],
)
def test_clean_url(raw: str, clean: str) -> None:
    assert clean_url(raw) == clean


@pytest.mark.parametrize(
    "url",
    [
        "https://x.com/a?id=1&region=us",
        "https://x.com/a?page=2&section=tech",
        "https://x.com/a?x=1&timestamp=1580943360",
        "https://x.com/a?x=1&notify=1",
        "https://x.com/a?x=1&copy=2&para=3&times=4&current=5&lt=6&gtm=7",
    ],
)
def test_clean_url_leaves_query_parameters_that_look_like_entities(url: str) -> None:
    # "&reg", "&sect", "&times", "&not" ... are HTML entities only with their ";".
    assert clean_url(url) == url


def test_clean_url_is_idempotent_on_real_links() -> None:
    once = clean_url("https://x.com/a b?w=1&#038;h=2")
    assert clean_url(once) == once


# --------------------------------------------------------------------------- tracking


@pytest.mark.parametrize(
    "name",
    ["utm_source", "utm_medium", "UTM_Campaign", "utm_anything", "fbclid", "gclid", "mc_eid", "mc_cid", "msclkid"],
)
def test_tracking_params(name: str) -> None:
    assert is_tracking_param(name)


@pytest.mark.parametrize("name", ["id", "page", "q", "utm", "amp", "ref", "source", "outputType"])
def test_not_tracking_params(name: str) -> None:
    assert not is_tracking_param(name)


@pytest.mark.parametrize(
    ("url", "stripped"),
    [
        ("https://x.com/a?utm_source=tw&utm_medium=social", "https://x.com/a"),
        ("https://x.com/a?id=7&utm_source=tw&page=2&fbclid=XYZ", "https://x.com/a?id=7&page=2"),
        ("https://x.com/a?gclid=1&z=last&a=first&mc_eid=abc", "https://x.com/a?z=last&a=first"),
        ("https://x.com/a?utm_campaign=x#section-2", "https://x.com/a#section-2"),
        ("https://x.com/a?id=7", "https://x.com/a?id=7"),
        ("https://x.com/a", "https://x.com/a"),
        ("https://x.com/a?", "https://x.com/a?"),
    ],
)
def test_strip_tracking(url: str, stripped: str) -> None:
    assert strip_tracking(url) == stripped


def test_strip_tracking_keeps_the_other_parameters_exactly_as_written() -> None:
    url = "https://x.com/s?q=a%20b&utm_source=x&next=https://y.com/p&flag&tag=c%2B%2B"
    assert strip_tracking(url) == "https://x.com/s?q=a%20b&next=https://y.com/p&flag&tag=c%2B%2B"


def test_strip_tracking_without_tracking_returns_the_url_untouched() -> None:
    url = "https://x.com/s?q=a+b&&x=%7e&empty="
    assert strip_tracking(url) == url


@pytest.mark.parametrize("url", ["http://[::1?utm_source=x", "http://[::1", "http://x]/?a=1&utm_source=y", "", "?"])
def test_strip_tracking_never_raises_on_malformed_urls(url: str) -> None:
    assert strip_tracking(url) == url


# --------------------------------------------------------------------------- safe links


@pytest.mark.parametrize(
    "url",
    [
        "https://www.bbc.com/news/technology-51220654",
        "http://example.com",
        "HTTPS://EXAMPLE.COM/A",
        "  https://example.com/padded  ",
        "https://例え.jp/パス",
    ],
)
def test_safe_links(url: str) -> None:
    assert is_safe_link(url)


@pytest.mark.parametrize(
    "url",
    [
        None,
        "",
        "   ",
        "javascript:alert(1)",
        "JavaScript:alert(document.cookie)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "file:///etc/passwd",
        "file://localhost/etc/passwd",
        "data:text/html,<script>alert(1)</script>",
        "mailto:someone@example.com",
        "ftp://example.com/file",
        "vbscript:msgbox(1)",
        "about:blank",
        "https://",
        "https:///path-only",
        "http:example.com",
        "//example.com/scheme-relative",
        "/assets/images/organizations/bbc.com-50x50.jpg",
        "http://[::1",
    ],
)
def test_unsafe_links(url: str | None) -> None:
    assert not is_safe_link(url)


# --------------------------------------------------------------------------- identity


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("https://www.example.com/news/1", "https://example.com/news/1"),
        ("http://example.com/news/1", "https://example.com/news/1"),
        ("https://example.com/news/1/", "https://example.com/news/1"),
        ("https://EXAMPLE.com/news/1", "https://example.com/news/1"),
        ("https://example.com/news/1#comments", "https://example.com/news/1"),
        ("https://example.com/news/1?utm_source=x&fbclid=y", "https://example.com/news/1"),
        ("https://example.com/news/1?b=2&a=1", "https://example.com/news/1?a=1&b=2"),
        ("https://example.com:443/news/1", "https://example.com/news/1"),
        ("http://example.com:80/news/1", "https://example.com/news/1"),
        ("https://example.com/news/1/amp/", "https://example.com/news/1"),
        ("https://example.com/news/1.amp.html", "https://example.com/news/1.html"),
        ("https://example.com/news/1?amp", "https://example.com/news/1"),
        ("https://example.com/story.html?outputType=amp", "https://example.com/story.html"),
        ("https://example.com/a?w=1&#038;h=2", "https://example.com/a?h=2&w=1"),
        ("  https://example.com/news/1 ", "https://example.com/news/1"),
    ],
)
def test_identity_equivalences(a: str, b: str) -> None:
    assert identity_key(a) == identity_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("https://example.com/news/1", "https://example.com/news/2"),
        ("https://example.com/news/1", "https://example.org/news/1"),
        ("https://example.com/news/1", "https://news.example.com/news/1"),
        ("https://example.com/News/1", "https://example.com/news/1"),
        ("https://example.com/news/1?id=1", "https://example.com/news/1?id=2"),
        ("https://example.com/news/1?id=1", "https://example.com/news/1"),
        ("https://example.com:8080/news/1", "https://example.com/news/1"),
        ("https://example.com/news/1?output=print", "https://example.com/news/1"),
        ("https://example.com/news/amplifier", "https://example.com/news"),
        ("https://example.com:abc/news/1", "https://example.com/news/1"),
    ],
)
def test_identity_non_equivalences(a: str, b: str) -> None:
    assert identity_key(a) != identity_key(b)


@pytest.mark.parametrize("url", ["http://example.com:abc/x", "http://example.com:99999/x", "http://[::1", "", "::::"])
def test_identity_key_never_raises_on_odd_urls(url: str) -> None:
    assert isinstance(identity_key(url), str)


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=120), st.text(alphabet="hpst:/[]?&=#.@x%", max_size=40)))
def test_url_helpers_never_raise(text: str) -> None:
    assert isinstance(clean_url(text), str)
    assert isinstance(identity_key(text), str)
    assert isinstance(is_safe_link(text), bool)
    assert isinstance(strip_tracking(text), str)


@pytest.mark.parametrize(("domain", "host"), [
    ("Reuters.com", "reuters.com"),
    ("www.reuters.com", "reuters.com"),
    ("cbsnews.com/news/u-s-probing-autopilot-problems/", "cbsnews.com"),
    ("https://www.CBSNews.com/", "cbsnews.com"),
    ("com/2021/08/24/waymo-opens.html", ""),
    ("The Daily Dot", ""),
    ("", ""),
    (None, ""),
])
def test_a_providers_domain_is_read_as_a_host(domain: object, host: str) -> None:
    """What a provider's domain names: a host (an address written there counts by its host),
    or nothing."""
    assert domain_host(domain) == host
