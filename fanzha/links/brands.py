"""Brands that fraud impersonates, and checks of a host or page against them.

The reference list lives in ``fanzha/links/data/brands.yaml``: each brand has the
names pages write it with, strings looked for in host names and its official
registered domains. A host or page that claims a brand while it sits on a domain
outside the brand's list is an impersonation, and the brand is named.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
import yaml
from numpy.typing import NDArray

from fanzha.errors import ValidationError

# Characters fraudsters swap into a brand name, mapped back before matching.
_LOOKALIKE = str.maketrans(
    {
        "0": "o",
        "1": "l",
        "3": "e",
        "4": "a",
        "5": "s",
        "7": "t",
        "8": "b",
        "@": "a",
        "$": "s",
    }
)
_CONFUSABLE = str.maketrans(
    {
        "а": "a",
        "е": "e",
        "о": "o",
        "р": "p",
        "с": "c",
        "х": "x",
        "у": "y",
        "і": "i",
        "ј": "j",
        "ѕ": "s",
        "ԁ": "d",
        "ɡ": "g",
        "ӏ": "l",
        "ο": "o",
        "α": "a",
        "ν": "v",
        "ρ": "p",
        "τ": "t",
        "κ": "k",
        "ı": "i",
        "ɑ": "a",
        "ⅼ": "l",
        "ｌ": "l",
    }
)
_LOOKALIKE_BYTES = bytes.maketrans(
    bytes(_LOOKALIKE), "".join(map(str, _LOOKALIKE.values())).encode("ascii")
)
_LOOKALIKE_TABLE = np.frombuffer(
    bytes(range(256)).translate(_LOOKALIKE_BYTES), dtype=np.uint8
)
_MIX = np.uint64(0x9E3779B97F4A7C15)
PREFIX_CHARS = 5
_SPLIT = re.compile(r"[.\-_]+")


@dataclass(frozen=True)
class Brand:
    """One brand: display name, page names, host strings and official domains."""

    name: str
    names: tuple[str, ...]
    tokens: tuple[str, ...]
    words: tuple[str, ...]
    domains: tuple[str, ...]

    def owns(self, registered_domain: str, host: str = "") -> bool:
        """Return whether the domain (or host) is one of the brand's own."""
        target = host or registered_domain
        return any(
            registered_domain == d or target == d or target.endswith("." + d)
            for d in self.domains
        )


@cache
def load_brands() -> tuple[Brand, ...]:
    """Return the shipped brand reference list."""
    text = (
        resources.files("fanzha.links.data").joinpath("brands.yaml").read_text("utf-8")
    )
    return tuple(_brand(entry) for entry in yaml.safe_load(text))


def _brand(entry: dict[str, object]) -> Brand:
    def strings(key: str) -> tuple[str, ...]:
        values = entry.get(key) or []
        return tuple(str(v).lower() for v in values)  # type: ignore[attr-defined]

    names = tuple(str(v) for v in entry.get("names") or [])  # type: ignore[attr-defined]
    return Brand(
        str(entry["name"]),
        names,
        strings("tokens"),
        strings("words"),
        strings("domains"),
    )


def skeleton(host: str) -> str:
    """Map confusable Unicode letters and digit swaps to plain ASCII letters.

    >>> skeleton("pаypa1")  # Cyrillic a, digit one
    'paypal'
    """
    lowered = host.lower()
    if lowered.isascii():  # no confusable letter; bytes.translate is much faster
        return lowered.encode("ascii").translate(_LOOKALIKE_BYTES).decode("ascii")
    return lowered.translate(_CONFUSABLE).translate(_LOOKALIKE)


def brands_in_host(host: str, registered_domain: str) -> list[Brand]:
    """Return the brands a host name claims without being on their domains.

    ``host`` is the ASCII or Unicode host name; it is searched for each brand's
    tokens (substrings, also after undoing digit and homoglyph swaps) and words
    (whole labels or hyphen parts).

    >>> [b.name for b in brands_in_host("paypa1-login.example.com", "example.com")]
    ['PayPal']
    >>> brands_in_host("www.paypal.com", "paypal.com")
    []
    """
    plain = host.lower()
    swapped = skeleton(plain)
    index = _host_index()
    if swapped != plain:  # one pass over both: no token spans the NUL between
        plain_swapped = plain + "\0" + swapped
        hits = set(index.pattern.findall(plain_swapped))
        labels = set(_SPLIT.split(plain)) | set(_SPLIT.split(swapped))
    else:
        hits = set(index.pattern.findall(plain))
        labels = set(_SPLIT.split(plain))
    names = {b for t in hits for b in index.by_token[t]}
    for label in labels & index.by_word.keys():
        names.update(index.by_word[label])
    if not names:
        return []
    return [
        b
        for b in load_brands()
        if b.name in names and not b.owns(registered_domain, plain)
    ]


def may_name_brand(hosts: Sequence[str]) -> NDArray[np.bool_]:
    """Return, per host, whether :func:`brands_in_host` can find a brand in it.

    A batch pre-check: ``False`` guarantees that neither the lower-case ASCII
    host nor its :func:`skeleton` contains the first ``PREFIX_CHARS``
    characters of any brand token or word, so :func:`brands_in_host` returns
    ``[]`` whatever the registered domain. ``True`` (also for every non-ASCII
    host) only says that the full check is needed.

    >>> may_name_brand(["paypa1-login.example.com", "news.example.org"]).tolist()
    [True, False]
    """
    index = _host_index()
    encoded = [h.lower().encode("utf-8", "surrogatepass") for h in hosts]
    flags = np.fromiter(
        (not e.isascii() for e in encoded), dtype=np.bool_, count=len(encoded)
    )
    lengths = np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded))
    total = int(lengths.sum())
    if total == 0:
        return flags
    plain = np.frombuffer(b"".join(encoded), dtype=np.uint8)
    data = np.concatenate([plain, _LOOKALIKE_TABLE[plain], np.zeros(8, np.uint8)])
    rows = np.tile(np.repeat(np.arange(len(encoded)), lengths), 2)
    starts = np.cumsum(lengths) - lengths
    room = np.repeat(starts + lengths, lengths) - np.arange(total)
    room = np.concatenate([room, room])
    code = np.zeros(2 * total, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k in range(1, PREFIX_CHARS + 1):
            code = (code << np.uint64(8)) | data[k - 1 : k - 1 + 2 * total]
            table = index.prefixes.get(k)
            if table is not None:
                hit = table[(code * _MIX) >> np.uint64(48)] & (room >= k)
                flags[rows[hit]] = True
    return flags


@dataclass(frozen=True)
class _HostIndex:
    pattern: re.Pattern[str]
    by_token: dict[str, list[str]]
    by_word: dict[str, list[str]]
    prefixes: dict[int, NDArray[np.bool_]]  # k -> hashed table of k-char prefixes


@cache
def _host_index() -> _HostIndex:
    by_token: dict[str, list[str]] = {}
    by_word: dict[str, list[str]] = {}
    for brand in load_brands():
        for token in brand.tokens:
            by_token.setdefault(token, []).append(brand.name)
        for word in brand.words:
            by_word.setdefault(word, []).append(brand.name)
    prefixes: dict[int, NDArray[np.bool_]] = {}
    for text in [*by_token, *by_word]:
        if text.isascii():  # others never occur in an ASCII host
            start = text[:PREFIX_CHARS].encode("ascii")
            code = np.uint64(int.from_bytes(start, "big"))
            table = prefixes.setdefault(len(start), np.zeros(1 << 16, np.bool_))
            with np.errstate(over="ignore"):
                table[int((code * _MIX) >> np.uint64(48))] = True
    pattern = re.compile(trie_pattern(by_token))
    return _HostIndex(pattern, by_token, by_word, prefixes)


def trie_pattern(words: Iterable[str]) -> str:
    """Return a regex that matches, at each position, the longest of ``words``.

    It finds what ``"|".join(words sorted longest first)`` finds, but as a trie
    (``pay(?:pal|tm)?``), so the regex engine tests one branch per character
    instead of every word at every position.

    >>> re.findall(trie_pattern(["pay", "paypal", "payt"]), "paypalx-payt-pa")
    ['paypal', 'payt']
    """
    trie: dict[str, dict] = {}  # type: ignore[type-arg]
    for word in words:
        if not word:
            raise ValidationError(
                "an empty brand token or word matches every host; remove it from "
                "fanzha/links/data/brands.yaml"
            )
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _node_pattern(trie)


def _node_pattern(node: dict[str, dict]) -> str:  # type: ignore[type-arg]
    branches = [re.escape(c) + _node_pattern(node[c]) for c in sorted(node) if c]
    if not branches:
        return ""
    if "" in node:  # a word ends here: longer words first, then this one
        return "(?:" + "|".join(branches) + ")?"
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


def brands_in_text(text: str, limit: int = 200_000) -> list[Brand]:
    """Return the brands whose page names appear in ``text`` (case-sensitive)."""
    sample = text[:limit]
    return [b for b in load_brands() if any(n in sample for n in b.names)]


def foreign_brands(text: str, registered_domain: str, host: str = "") -> list[Brand]:
    """Return brands named in ``text`` whose official domains do not hold the page."""
    if not registered_domain:
        return brands_in_text(text)
    return [b for b in brands_in_text(text) if not b.owns(registered_domain, host)]
