"""Lexical features of a URL, as hashed sparse indices.

Every feature is a short string (``"tld:top"``, ``"plen:6"``, ``"dg:krak"``)
hashed with CRC-32 into ``2**bits`` columns, so the feature space needs no
vocabulary and the same URL always maps to the same columns in any process.
Counts and lengths enter as log-scale bins, which lets a linear model learn a
non-linear effect per feature. Features read the normalised key of
:func:`fanzha.links.urls.parse_url`, never the scheme, ``www.`` or letter case,
which differ between data sources more than between benign and malicious URLs.

:func:`url_coo` featurises a batch and is the path scoring takes (tens of
thousands of URLs per CPU second): character n-grams, domain trigrams and the
length and count bins are computed for the whole batch with NumPy, the other
tokens are hashed through a bounded memo, and the brand search runs only on
hosts that :func:`fanzha.links.brands.may_name_brand` lets through.
:func:`url_tokens` gives the same features of one URL as strings, for evidence;
tests check that both agree.
"""

from __future__ import annotations

import math
import re
import zlib
from collections.abc import Iterable, Sequence
from functools import lru_cache
from itertools import chain, repeat

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from fanzha.links.brands import brands_in_host, may_name_brand
from fanzha.links.ngrams import ngram_columns
from fanzha.links.packed import PackedStrings
from fanzha.links.urls import ParsedUrl

Coo = tuple["NDArray[np.int64]", "NDArray[np.int64]", "NDArray[np.float64]"]
DEFAULT_BITS = 20
NGRAM_SIZES = (3, 4, 5)
HOST_WIDTH = 64
PATH_WIDTH = 128
TOKEN_VALUE = 0.5
HASH_MEMO_SIZE = 1 << 17  # tokens kept per bit width (~20 MB at most), then cleared
_DIGITS = re.compile(r"\d")
_WORD = re.compile(r"[a-z]+|\d+|[^\x00-\x7f]+")
_PATH_SPLIT = re.compile(r"[/?=&;_.\-+%~,:!]+")
SENSITIVE_WORDS = frozenset(
    "login signin logon verify verification account update secure security bank "
    "confirm password wallet webscr cmd billing auth unlock suspend recover "
    "support service invoice payment pay refund claim reward bonus gift prize "
    "free win lucky points redeem credit loan kyc validate restore limited "
    "admin wp includes content plugins themes".split()
)
RISKY_EXTENSIONS = frozenset(
    "exe apk dll scr bat jar msi bin sh zip rar 7z doc docm xls "
    "xlsm js vbs ps1 i elf arm mips x86 m68k ppc spc sh4 mpsl".split()
)


def _binned(name: str, size: int = 64) -> tuple[str, ...]:
    # Token strings of every bin, made once: indexing beats formatting per URL.
    return tuple(f"{name}:{i}" for i in range(size))


# Log bins use int.bit_length(); no length here reaches 2**63.
_KLEN, _HLEN, _PLEN, _PLONG = (_binned(n) for n in ("klen", "hlen", "plen", "plong"))
_DDIG, _KDIG = _binned("ddig"), _binned("kdig")
_DLEN, _DEPTH, _HDOTS = _binned("dlen", 31), _binned("depth", 11), _binned("hdots", 9)
_HYPH, _NSUB = _binned("hyph", 7), _binned("nsub", 7)
_ENT = _binned("ent")
_NOT_DIGITS = b"0123456789"


def url_tokens(url: ParsedUrl) -> list[str]:
    """Return the feature strings of one parsed URL (before hashing)."""
    return _tokens(url, _bare_host(url), _key_path(split_key(url.key)[1]))


def _tokens(
    url: ParsedUrl,
    host: str,
    path: str,
    brands: bool = True,
    trigrams: bool = True,
    bins: bool = True,
) -> list[str]:
    """Return the tokens of one URL.

    ``brands=False`` only where no brand can be in the host. ``trigrams=False``
    and ``bins=False`` leave out the ``dg:`` trigrams of the domain and the
    length and count bins, which :func:`url_coo` computes for a whole batch.
    """
    feats = _host_tokens(url, host, trigrams)
    feats += _path_tokens(url, path)
    feats += _shape_tokens(url, host, path, brands, bins)
    return feats


def _bare_host(url: ParsedUrl) -> str:
    return url.host[4:] if url.host.startswith("www.") else url.host


def _key_path(key_tail: str) -> str:
    """Return the normalised path (no trailing slash, lower case, no query)."""
    return key_tail.split("?", 1)[0]


def _host_tokens(url: ParsedUrl, host: str, trigrams: bool = True) -> list[str]:
    if url.is_ip:
        return ["ip", "ipv6" if ":" in host else "ipv4"]
    sub = url.subdomain[4:] if url.subdomain.startswith("www.") else url.subdomain
    sub = "" if sub == "www" else sub
    feats = [
        *_suffix_tokens(url.suffix),
        "dom:" + url.domain,
        _NSUB[min(sub.count(".") + 1, 6) if sub else 0],
    ]
    # "." is in no _WORD match, so the words of ``sub`` are those of its labels.
    feats += ["sub:" + w for w in _WORD.findall(sub)[:20]]
    feats += ["dw:" + w for w in _WORD.findall(url.domain)]
    if trigrams:
        padded = "^" + url.domain + "$"
        feats += ["dg:" + padded[i : i + 3] for i in range(len(padded) - 2)]
    if url.private_suffix:
        feats.append("private_suffix")
    if url.is_idn:
        feats.append("idn")
    if url.is_shortener:
        feats.append("shortener")
    return feats


@lru_cache(maxsize=4096)
def _suffix_tokens(suffix: str) -> tuple[str, str]:
    return "tld:" + suffix.rsplit(".", 1)[-1], "sfx:" + suffix


def _path_tokens(url: ParsedUrl, path: str) -> list[str]:
    key = url.key
    cut = key.find("/")
    rest = (
        key[cut + 1 :] if cut >= 0 else key[key.find("?") + 1 :] if "?" in key else ""
    )
    parts = [p for p in _PATH_SPLIT.split(rest) if p][:40] if rest else []
    feats = ["pw:" + p for p in parts if len(p) < 25]
    if len(parts) >= 6 and len(set(parts)) * 2 <= len(parts):
        feats.append("repeated_segments")
    feats += [_PLONG[len(p).bit_length()] for p in parts if len(p) >= 25]
    feats += ["sens:" + p for p in parts if p in SENSITIVE_WORDS]
    last = path.rsplit("/", 1)[-1]
    if "." in last:
        ext = last.rsplit(".", 1)[-1][:8]
        feats.append("ext:" + ext)
        if ext in RISKY_EXTENSIONS:
            feats.append("risky_ext")
    return feats


def _shape_tokens(
    url: ParsedUrl, host: str, path: str, brands: bool, bins: bool
) -> list[str]:
    # The bins here and in _shape_bins must stay the same (tests compare them).
    key = url.key
    domain = url.domain
    if bins:
        feats = [
            _KLEN[len(key).bit_length()],
            _HLEN[len(host).bit_length()],
            _DLEN[min(len(domain), 30)],
            _PLEN[len(path).bit_length()],
            _DEPTH[min(path.count("/"), 10)],
            _HDOTS[min(host.count("."), 8)],
            _HYPH[min(host.count("-"), 6)],
            _DDIG[_count_digits(domain).bit_length()],
            _KDIG[_count_digits(key).bit_length()],
            _entropy_token(domain),
        ]
    else:
        feats = []  # the batch computes the bins, entropy included
    raw = url.raw
    if "@" in raw and "@" in raw.split("?", 1)[0]:
        feats.append("at_sign")
    if "//" in path:
        feats.append("double_slash")
    if url.port not in (None, 80, 443):
        feats.append("port")
    if "http" in key:
        feats.append("http_inside")
    if brands:
        for brand in brands_in_host(_brand_host(url, host), url.registered_domain):
            feats += ["brand_foreign", "bf:" + brand.name]
    return feats


def _brand_host(url: ParsedUrl, host: str) -> str:
    return url.unicode_host if url.is_idn else host


def _count_digits(text: str) -> int:
    """Return the number of regex digit matches (decimal digits, any script)."""
    if text.isascii():
        data = text.encode("ascii")
        return len(data) - len(data.translate(None, _NOT_DIGITS))
    return len(_DIGITS.findall(text))


def _entropy_token(text: str) -> str:
    """Return ``ent:<round(2 * Shannon entropy in bits of the characters)>``."""
    if not text:
        return "ent:0"
    # Counts in order of first appearance, so the sum runs in a fixed order.
    return _entropy_bin(tuple(map(text.count, dict.fromkeys(text))))


@lru_cache(maxsize=65_536)
def _entropy_bin(counts: tuple[int, ...]) -> str:
    n = sum(counts)
    return f"ent:{round(2 * -sum(c / n * math.log2(c / n) for c in counts))}"


class _HashMemo(dict[str, int]):
    """Token -> column; most tokens (``tld:com``, ``plen:3``) recur in every batch."""

    def __init__(self, bits: int) -> None:
        super().__init__()
        self.mask = (1 << bits) - 1

    def __missing__(self, token: str) -> int:
        if len(self) >= HASH_MEMO_SIZE:  # bounded: start again rather than grow
            self.clear()
        column = zlib.crc32(token.encode("utf-8", "surrogatepass")) & self.mask
        self[token] = column
        return column


_HASH_MEMOS: dict[int, _HashMemo] = {}


def hash_tokens(tokens: Iterable[str], bits: int = DEFAULT_BITS) -> list[int]:
    """Return the column of each token: CRC-32 modulo ``2**bits``.

    >>> hash_tokens(["tld:com"], 20) == [zlib.crc32(b"tld:com") % 2**20]
    True
    """
    memo = _HASH_MEMOS.get(bits)
    if memo is None:
        memo = _HASH_MEMOS.setdefault(bits, _HashMemo(bits))
    return [memo[t] for t in tokens]


def split_key(key: str) -> tuple[str, str]:
    """Split a normalised key into ``(^host$, path and query)``."""
    cut = key.find("/")
    query = key.find("?", 0, cut) if cut >= 0 else key.find("?")
    if query >= 0:
        cut = query
    elif cut < 0:
        cut = len(key)
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
        found, counts = ngram_columns(texts, width, NGRAM_SIZES, bits, space)
        norm = 1.0 / np.sqrt(np.maximum(counts, 1).astype(np.float64))
        for row, col in found:
            rows.append(row)
            cols.append(col)
            vals.append(norm[row])

    hosts = [_bare_host(u) for u in urls]
    paths = [_key_path(p[1]) for p in parts]
    maybe = may_name_brand(
        [_brand_host(u, h) for u, h in zip(urls, hosts, strict=True)]
    ).tolist()
    # Domains are ASCII (punycode), so their character trigrams are byte trigrams.
    batch_dg = [not u.is_ip and u.domain.isascii() for u in urls]
    tokens = [
        _tokens(u, h, p, m, not d, False)
        for u, h, p, m, d in zip(urls, hosts, paths, maybe, batch_dg, strict=True)
    ]
    sizes = list(map(len, tokens))
    rows.append(np.repeat(np.arange(len(urls), dtype=np.int64), sizes))
    cols.append(np.array(hash_tokens(chain.from_iterable(tokens), bits), np.int64))
    vals.append(np.full(sum(sizes), TOKEN_VALUE))

    bins = _shape_bins(urls, hosts, paths)
    tables = _bin_columns(bits)
    rows.append(np.tile(np.arange(len(urls), dtype=np.int64), len(tables)))
    cols.append(np.concatenate([t[b] for t, b in zip(tables, bins, strict=True)]))
    vals.append(np.full(len(tables) * len(urls), TOKEN_VALUE))

    dg_rows = np.flatnonzero(batch_dg)
    dg_domains = [u.domain for u, d in zip(urls, batch_dg, strict=True) if d]
    row, col = domain_trigram_columns(dg_domains, bits)
    rows.append(dg_rows[row])
    cols.append(col)
    vals.append(np.full(len(col), TOKEN_VALUE))
    return np.concatenate(rows), np.concatenate(cols), np.concatenate(vals)


def _shape_bins(
    urls: Sequence[ParsedUrl], hosts: list[str], paths: list[str]
) -> list[NDArray[np.int64]]:
    """Return, per bin feature of :func:`_shape_tokens`, each URL's bin."""
    n = len(urls)
    keys = [u.key for u in urls]
    domains = [u.domain for u in urls]

    def ints(values: Iterable[int]) -> NDArray[np.int64]:
        return np.fromiter(values, dtype=np.int64, count=n)

    def bit_length(values: Iterable[int]) -> NDArray[np.int64]:
        # frexp's exponent is int.bit_length() for 0 <= value < 2**53.
        return np.frexp(ints(values).astype(np.float64))[1].astype(np.int64)

    return [
        bit_length(map(len, keys)),
        bit_length(map(len, hosts)),
        np.minimum(ints(map(len, domains)), 30),
        bit_length(map(len, paths)),
        np.minimum(ints(map(str.count, paths, repeat("/"))), 10),
        np.minimum(ints(map(str.count, hosts, repeat("."))), 8),
        np.minimum(ints(map(str.count, hosts, repeat("-"))), 6),
        bit_length(map(_count_digits, domains)),
        bit_length(map(_count_digits, keys)),
        _entropy_bins(domains),
    ]


def _entropy_bins(domains: list[str]) -> NDArray[np.int64]:
    """Return each domain's ``ent:`` bin, as :func:`_entropy_token` gives it.

    ASCII domains (nearly all: hosts are punycode) use the byte entropy of
    the whole batch; the rest are computed one by one.
    """
    bits = PackedStrings(domains).entropy()
    bins = np.rint(2 * bits).astype(np.int64)  # half to even, as round() does
    for index, domain in enumerate(domains):
        if not domain.isascii():
            bins[index] = int(_entropy_token(domain)[4:])
    return np.minimum(bins, len(_ENT) - 1)


@lru_cache(maxsize=4)
def _bin_columns(bits: int) -> tuple[NDArray[np.int64], ...]:
    """Return the column of every bin token, per feature, in _shape_bins order."""
    names = (_KLEN, _HLEN, _DLEN, _PLEN, _DEPTH, _HDOTS, _HYPH, _DDIG, _KDIG, _ENT)
    return tuple(np.asarray(hash_tokens(n, bits), dtype=np.int64) for n in names)


def domain_trigram_columns(
    domains: Sequence[str], bits: int = DEFAULT_BITS
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Return ``(row, column)`` of every ``dg:`` token of ASCII ``domains``.

    The column is what :func:`hash_tokens` gives ``"dg:" + trigram`` of
    ``"^" + domain + "$"`` (CRC-32 modulo ``2**bits``), computed for the whole
    batch with a CRC table in NumPy.

    >>> row, col = domain_trigram_columns(["ab"], 20)
    >>> col.tolist() == hash_tokens(["dg:^ab", "dg:ab$"], 20)
    True
    """
    encoded = [("^" + d + "$").encode("ascii") for d in domains]
    lengths = np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded))
    total = int(lengths.sum())
    data = np.frombuffer(b"".join(encoded) + b"\0\0", dtype=np.uint8)
    starts = np.cumsum(lengths) - lengths
    room = np.repeat(starts + lengths, lengths) - np.arange(total, dtype=np.int64)
    keep = np.flatnonzero(room >= 3)
    table = _crc_table()
    crc = np.full(len(keep), _DG_STATE, dtype=np.uint32)
    for j in range(3):
        crc = table[(crc ^ data[keep + j]) & 0xFF] ^ (crc >> np.uint32(8))
    columns = (crc ^ np.uint32(0xFFFFFFFF)).astype(np.int64) & ((1 << bits) - 1)
    rows = np.repeat(np.arange(len(encoded), dtype=np.int64), lengths)[keep]
    return rows, columns


@lru_cache(maxsize=1)
def _crc_table() -> NDArray[np.uint32]:
    """Return the table of the reflected CRC-32 (polynomial 0xEDB88320) of zlib."""
    table = np.arange(256, dtype=np.uint32)
    for _ in range(8):
        table = np.where(table & 1, (table >> 1) ^ np.uint32(0xEDB88320), table >> 1)
    return table.astype(np.uint32)


# The CRC-32 register after "dg:" (zlib.crc32 keeps it complemented).
_DG_STATE = zlib.crc32(b"dg:") ^ 0xFFFFFFFF


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
