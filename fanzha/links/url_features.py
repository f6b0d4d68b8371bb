"""Lexical features of a URL, as hashed sparse indices.

Every feature is a short string (``"tld:top"``, ``"plen:6"``, ``"dg:krak"``)
hashed with CRC-32 into ``2**bits`` columns, so the feature space needs no
vocabulary and the same URL always maps to the same columns in any process.
Counts and lengths enter as log-scale bins, which lets a linear model learn a
non-linear effect per feature. Features read the normalised key of
:func:`fanzha.links.urls.parse_url`, never the scheme, ``www.`` or letter case,
which differ between data sources more than between benign and malicious URLs.
"""

from __future__ import annotations

import math
import re
import zlib
from collections.abc import Iterable, Sequence

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from fanzha.links.brands import brands_in_host
from fanzha.links.ngrams import byte_matrix, ngram_hashes
from fanzha.links.urls import ParsedUrl

Coo = tuple["NDArray[np.int64]", "NDArray[np.int64]", "NDArray[np.float64]"]
DEFAULT_BITS = 20
NGRAM_SIZES = (3, 4, 5)
HOST_WIDTH = 64
PATH_WIDTH = 128
TOKEN_VALUE = 0.5
_DIGITS = re.compile(r"\d")
_WORD = re.compile(r"[a-z]+|\d+|[^\x00-\x7f]+")
_PATH_SPLIT = re.compile(r"[/?=&;_.\-+%~,:!]+")
_SENSITIVE = frozenset(
    "login signin logon verify verification account update secure security bank "
    "confirm password wallet webscr cmd billing auth unlock suspend recover "
    "support service invoice payment pay refund claim reward bonus gift prize "
    "free win lucky points redeem credit loan kyc validate restore limited "
    "admin wp includes content plugins themes".split()
)
_RISKY_EXT = frozenset(
    "exe apk dll scr bat jar msi bin sh zip rar 7z doc docm xls "
    "xlsm js vbs ps1 i elf arm mips x86 m68k ppc spc sh4 mpsl".split()
)


def _bin(value: int) -> int:
    return value.bit_length()


def url_tokens(url: ParsedUrl) -> list[str]:
    """Return the feature strings of one parsed URL (before hashing)."""
    host = url.host[4:] if url.host.startswith("www.") else url.host
    feats = _host_tokens(url, host)
    feats += _path_tokens(url)
    feats += _shape_tokens(url, host)
    return feats


def _host_tokens(url: ParsedUrl, host: str) -> list[str]:
    if url.is_ip:
        return ["ip", "ipv6" if ":" in host else "ipv4"]
    sub = url.subdomain[4:] if url.subdomain.startswith("www.") else url.subdomain
    sub = "" if sub == "www" else sub
    labels = sub.split(".") if sub else []
    feats = [
        "tld:" + url.suffix.rsplit(".", 1)[-1],
        "sfx:" + url.suffix,
        "dom:" + url.domain,
        f"nsub:{min(len(labels), 6)}",
    ]
    feats += ["sub:" + w for lab in labels for w in _WORD.findall(lab)][:20]
    feats += ["dw:" + w for w in _WORD.findall(url.domain)]
    padded = "^" + url.domain + "$"
    feats += ["dg:" + padded[i : i + 3] for i in range(len(padded) - 2)]
    if url.private_suffix:
        feats.append("private_suffix")
    if url.is_idn:
        feats.append("idn")
    if url.is_shortener:
        feats.append("shortener")
    return feats


def _path_tokens(url: ParsedUrl) -> list[str]:
    key = url.key
    cut = key.find("/")
    rest = (
        key[cut + 1 :] if cut >= 0 else key[key.find("?") + 1 :] if "?" in key else ""
    )
    parts = [p for p in _PATH_SPLIT.split(rest) if p][:40]
    feats = ["pw:" + p for p in parts if len(p) < 25]
    if len(parts) >= 6 and len(set(parts)) * 2 <= len(parts):
        feats.append("repeated_segments")
    feats += [f"plong:{_bin(len(p))}" for p in parts if len(p) >= 25]
    feats += ["sens:" + p for p in parts if p in _SENSITIVE]
    last = _path_only(url).rsplit("/", 1)[-1]
    if "." in last:
        ext = last.rsplit(".", 1)[-1][:8]
        feats.append("ext:" + ext)
        if ext in _RISKY_EXT:
            feats.append("risky_ext")
    return feats


def _shape_tokens(url: ParsedUrl, host: str) -> list[str]:
    key = url.key
    path = _path_only(url)
    digits = len(_DIGITS.findall(url.domain))
    feats = [
        f"klen:{_bin(len(key))}",
        f"hlen:{_bin(len(host))}",
        f"dlen:{min(len(url.domain), 30)}",
        f"plen:{_bin(len(path))}",
        f"depth:{min(path.count('/'), 10)}",
        f"hdots:{min(host.count('.'), 8)}",
        f"hyph:{min(host.count('-'), 6)}",
        f"ddig:{_bin(digits)}",
        f"kdig:{_bin(len(_DIGITS.findall(key)))}",
        f"ent:{round(2 * _entropy(url.domain))}",
    ]
    if "@" in url.raw.split("?", 1)[0]:
        feats.append("at_sign")
    if "//" in path:
        feats.append("double_slash")
    if url.port not in (None, 80, 443):
        feats.append("port")
    if "http" in key:
        feats.append("http_inside")
    for brand in brands_in_host(
        url.unicode_host if url.is_idn else host, url.registered_domain
    ):
        feats += ["brand_foreign", "bf:" + brand.name]
    return feats


def _path_only(url: ParsedUrl) -> str:
    """Return the normalised path (no trailing slash, lower case, no query)."""
    return split_key(url.key)[1].split("?", 1)[0]


def _entropy(text: str) -> float:
    if not text:
        return 0.0
    counts: dict[str, int] = {}
    for char in text:
        counts[char] = counts.get(char, 0) + 1
    n = len(text)
    return -sum(c / n * math.log2(c / n) for c in counts.values())


def hash_tokens(tokens: Iterable[str], bits: int = DEFAULT_BITS) -> list[int]:
    """Return the column of each token: CRC-32 modulo ``2**bits``."""
    mask = (1 << bits) - 1
    return [zlib.crc32(t.encode("utf-8", "surrogatepass")) & mask for t in tokens]


def split_key(key: str) -> tuple[str, str]:
    """Split a normalised key into ``(^host$, path and query)``."""
    cut = len(key)
    for sep in ("/", "?"):
        at = key.find(sep)
        if 0 <= at < cut:
            cut = at
    return "^" + key[:cut] + "$", key[cut:]


def url_coo(urls: Sequence[ParsedUrl], bits: int = DEFAULT_BITS) -> Coo:
    """Return the sparse features of a batch as ``(rows, columns, values)``.

    Character 3- to 5-grams of the host and of the path (separate namespaces)
    each weigh ``1 / sqrt(number of n-grams)``; every token of
    :func:`url_tokens` weighs ``TOKEN_VALUE``.
    """
    parts = [split_key(u.key) for u in urls]
    rows: list[NDArray[np.int64]] = []
    cols: list[NDArray[np.int64]] = []
    vals: list[NDArray[np.float64]] = []
    for texts, width, space in (
        ([p[0] for p in parts], HOST_WIDTH, 1),
        ([p[1] for p in parts], PATH_WIDTH, 2),
    ):
        _ngram_part(texts, width, space, bits, (rows, cols, vals))

    tokens = [url_tokens(u) for u in urls]
    counts = [len(t) for t in tokens]
    rows.append(np.repeat(np.arange(len(urls), dtype=np.int64), counts))
    cols.append(
        np.fromiter(
            (h for t in tokens for h in hash_tokens(t, bits)),
            dtype=np.int64,
            count=sum(counts),
        )
    )
    vals.append(np.full(sum(counts), TOKEN_VALUE))
    return np.concatenate(rows), np.concatenate(cols), np.concatenate(vals)


def _ngram_part(
    texts: list[str],
    width: int,
    space: int,
    bits: int,
    out: tuple[
        list[NDArray[np.int64]], list[NDArray[np.int64]], list[NDArray[np.float64]]
    ],
) -> None:
    matrix, lengths = byte_matrix(texts, width)
    found = []
    total = np.zeros(len(texts))
    for n in NGRAM_SIZES:
        hashes, mask = ngram_hashes(matrix, lengths, n, bits, space)
        where = np.nonzero(mask)
        found.append((where[0], hashes[where]))
        total += mask.sum(axis=1)
    norm = 1.0 / np.sqrt(np.maximum(total, 1.0))
    for row, col in found:
        out[0].append(row)
        out[1].append(col)
        out[2].append(norm[row])


def url_matrix(
    urls: Sequence[ParsedUrl], bits: int = DEFAULT_BITS
) -> sparse.csr_matrix:
    """Return the features of a batch as a CSR matrix with ``2**bits`` columns."""
    rows, cols, vals = url_coo(urls, bits)
    return sparse.csr_matrix((vals, (rows, cols)), shape=(len(urls), 1 << bits))


def linear_margins(
    coo: Coo, weights: NDArray[np.floating], n_rows: int, shift: int = 0
) -> NDArray[np.float64]:
    """Return ``X @ weights`` for COO features without building a matrix.

    ``shift`` drops low bits of each column, for a model with fewer columns.
    """
    rows, cols, vals = coo
    picked = weights[cols >> shift] if shift else weights[cols]
    margins: NDArray[np.float64] = np.bincount(
        rows, weights=picked * vals, minlength=n_rows
    ).astype(np.float64)
    return margins
