from __future__ import annotations

import pytest

from fanzha.errors import ValidationError
from fanzha.links.urls import parse_url


@pytest.mark.parametrize(
    ("raw", "host", "registered", "key"),
    [
        (
            "HTTPS://WWW.Example.COM/Login/?a=1#top",
            "www.example.com",
            "example.com",
            "example.com/login",
        ),
        ("example.com/path/", "example.com", "example.com", "example.com/path"),
        (
            "http://www3.shop.example.co.uk",
            "www3.shop.example.co.uk",
            "example.co.uk",
            "shop.example.co.uk",
        ),
        (
            "http://user:pw@login.example.net:8080/x",
            "login.example.net",
            "example.net",
            "login.example.net/x",
        ),
        (
            "http://a.example.com/p?x=1&amp;y=2",
            "a.example.com",
            "example.com",
            "a.example.com/p",
        ),
    ],
)
def test_when_url_has_source_conventions_then_key_removes_them(
    raw, host, registered, key
):
    url = parse_url(raw)
    assert url.host == host
    assert url.registered_domain == registered
    assert url.key == key


def test_when_scheme_www_and_slash_differ_then_keys_are_equal():
    variants = [
        "http://www.example.org/a/",
        "https://example.org/a",
        "example.org/a/",
        "HTTP://WWW.EXAMPLE.ORG/A",
    ]
    assert len({parse_url(v).key for v in variants}) == 1


def test_when_host_is_unicode_then_punycode_and_unicode_are_both_kept():
    url = parse_url("http://пример.испытание/путь")
    assert url.host.startswith("xn--")
    assert url.unicode_host == "пример.испытание"
    assert url.is_idn


def test_when_host_is_punycode_then_it_is_decoded_for_people():
    url = parse_url("http://xn--80ak6aa92e.com/")
    assert url.unicode_host == "аррӏе.com"


@pytest.mark.parametrize(
    "raw",
    [
        "http://192.0.2.7/a",
        "http://3232235777/",
        "http://[2001:db8::1]/",
        "http://0x7f000001/",
    ],
)
def test_when_host_is_an_ip_then_flagged(raw):
    assert parse_url(raw).is_ip


@pytest.mark.parametrize(
    "raw", ["http://192.0.2.7.example.com/", "http://1example.com/"]
)
def test_when_host_only_looks_numeric_then_not_an_ip(raw):
    assert not parse_url(raw).is_ip


@pytest.mark.parametrize(
    ("raw", "short"),
    [
        ("https://bit.ly/3xYz", True),
        ("t.cn/AbC", True),
        ("https://bitly.example.com/x", False),
    ],
)
def test_shorteners_are_recognised_by_registered_domain(raw, short):
    assert parse_url(raw).is_shortener is short


def test_when_host_is_on_a_private_suffix_then_registered_domain_is_the_users():
    url = parse_url("https://secure-login.duckdns.org/")
    assert url.private_suffix
    assert url.registered_domain == "secure-login.duckdns.org"


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "   ",
        None,
        3.5,
        "http://",
        "http://a b.com/",
        "https://a..b/",
        "http://example.com:99999/",
        "http://example.com:port/",
        "x" * 70_000,
    ],
)
def test_when_url_is_malformed_then_validation_error(bad):
    with pytest.raises(ValidationError):
        parse_url(bad)


@pytest.mark.parametrize(
    "host",
    [
        "login.paypal.co.uk",
        "example.com",
        "a.b.example.com.cn",
        "x.blogspot.com",
        "blogspot.com",
        "www.ck",
        "a.www.ck",
        "shop.x.ck",
        "city.kawasaki.jp",
        "a.b.city.kawasaki.jp",
        "foo.bar.kawasaki.jp",
        "bucket.s3.amazonaws.com",
        "a.b.c.compute.amazonaws.com",
        "localhost",
        "a.b.unknowntld",
        "1.2.3.4",
        "co.uk",
    ],
)
def test_fast_suffix_walk_agrees_with_tldextract(host):
    from fanzha.links.urls import _extractor, _walk_suffix_trie, split_host

    want = _extractor()(host)  # type: ignore[operator]
    expected = (want.subdomain, want.domain, want.suffix, bool(want.is_private))
    fast = _walk_suffix_trie(host)
    assert fast is None or fast == expected
    assert split_host(host) == expected


def test_parsed_url_is_immutable():
    url = parse_url("http://example.com/a")
    with pytest.raises(AttributeError):
        url.host = "evil.com"  # type: ignore[misc]
