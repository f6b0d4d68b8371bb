from __future__ import annotations

import random
import zlib

import numpy as np
import pytest

from fanzha.links import url_features
from fanzha.links.ngrams import ngram_columns
from fanzha.links.url_features import (
    TOKEN_VALUE,
    hash_tokens,
    split_key,
    url_coo,
    url_tokens,
)
from fanzha.links.urls import parse_url

URLS = [
    "https://www.example.com/about",
    "http://paypa1-verify.top/login",
    "http://icbc-verify-login.top/index.php?id=1",
    "http://login.jd.account-check.net/a//b/c.exe",
    "http://аррӏе.com/signin",
    "http://xn--80ak6aa92e.com/",
    "http://1.2.3.4/bins/x.arm7",
    "http://[2001:db8::1]:8080/a",
    "http://user@evil.example@host.top:8443/x/http/y",
    "www3.shop.example.co.uk/A/B/",
    "http://a.b.c.d.e.f.g.example.com/" + "seg/" * 12,
    "http://www.www.example.org/%2Fx%3Fy/" + "z" * 40 + ".zip",
    "http://evil.com\\foo/bar",
    "http://10086-jifen.xyz/points?x=1",
    "https://bit.ly/abc",
    "http://x.blogspot.com/wp-admin/update",
    "http://пример.испытание/путь/файл.apk",
]


def _naive_ngrams(text: str, width: int, n: int, bits: int, space: int) -> list[int]:
    data = text.encode("utf-8", "surrogatepass")[:width]
    mask64 = (1 << 64) - 1
    columns = []
    for start in range(len(data) - n + 1):
        value = space * 131 + n
        for byte in data[start : start + n]:
            value = (value * 1_000_003 + byte) & mask64
        columns.append(((value * 0x9E3779B97F4A7C15) & mask64) >> (64 - bits))
    return columns


def test_ngram_columns_follow_the_documented_hash():
    texts = ["^example.com$", "", "ab", "/путь/файл", "x" * 300]
    found, counts = ngram_columns(texts, 64, (3, 4, 5), 20, 2)
    for (rows, cols), n in zip(found, (3, 4, 5), strict=True):
        for row, text in enumerate(texts):
            expected = _naive_ngrams(text, 64, n, 20, 2)
            assert cols[rows == row].tolist() == expected
    assert counts.tolist() == [
        sum(len(_naive_ngrams(t, 64, n, 20, 2)) for n in (3, 4, 5)) for t in texts
    ]


def test_batch_columns_are_the_hashed_tokens_of_each_url():
    # url_coo skips the brand search where may_name_brand rules it out, hashes
    # through a memo and hashes domain trigrams in NumPy; its token entries (the
    # last ones) must be the hashed url_tokens of each URL.
    parsed = [parse_url(u) for u in URLS]
    rows, cols, vals = url_coo(parsed, 20)
    start = len(rows) - sum(len(url_tokens(u)) for u in parsed)
    assert np.all(vals[start:] == TOKEN_VALUE)
    token_rows, token_cols = rows[start:], cols[start:]
    for index, url in enumerate(parsed):
        expected = [zlib.crc32(t.encode()) % 2**20 for t in url_tokens(url)]
        assert sorted(token_cols[token_rows == index].tolist()) == sorted(expected)


def test_url_tokens_name_brand_on_foreign_domain_and_shape():
    tokens = url_tokens(parse_url("http://paypa1-login.example.com/x/login.php"))
    assert "bf:PayPal" in tokens and "brand_foreign" in tokens
    assert {"ext:php", "sens:login", "tld:com", "dom:example"} <= set(tokens)
    assert "ent:5" in tokens  # "example": 6 letters, e twice -> 2.52 bits


def test_hash_memo_gives_crc32_also_after_it_is_cleared(monkeypatch):
    monkeypatch.setattr(url_features, "HASH_MEMO_SIZE", 8)
    words = [f"w{random.Random(i).random()}" for i in range(50)] + ["tld:com"] * 5
    assert hash_tokens(words, 18) == [zlib.crc32(w.encode()) % 2**18 for w in words]


@pytest.mark.parametrize(
    ("key", "parts"),
    [
        ("example.com/a/b", ("^example.com$", "/a/b")),
        ("example.com?x/y", ("^example.com$", "?x/y")),
        ("example.com/a?b", ("^example.com$", "/a?b")),
        ("example.com", ("^example.com$", "")),
        ("evil.com\\foo/bar", ("^evil.com\\foo$", "/bar")),
    ],
)
def test_split_key_cuts_at_first_slash_or_question_mark(key, parts):
    assert split_key(key) == parts
