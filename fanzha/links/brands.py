"""Brands that fraud impersonates, and checks of a host or page against them.

The reference list lives in ``fanzha/links/data/brands.yaml``: each brand has the
names pages write it with, strings looked for in host names and its official
registered domains. A host or page that claims a brand while it sits on a domain
outside the brand's list is an impersonation, and the brand is named.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

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
    return host.lower().translate(_CONFUSABLE).translate(_LOOKALIKE)


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
    pattern, by_token, by_word = _host_index()
    hits = set(pattern.findall(plain)) | set(pattern.findall(swapped))
    names = {b for t in hits for b in by_token[t]}
    for label in set(_SPLIT.split(plain)) | set(_SPLIT.split(swapped)):
        names.update(by_word.get(label, ()))
    brands = [b for b in load_brands() if b.name in names]
    return [b for b in brands if not b.owns(registered_domain, plain)]


@cache
def _host_index() -> tuple[re.Pattern[str], dict[str, list[str]], dict[str, list[str]]]:
    by_token: dict[str, list[str]] = {}
    by_word: dict[str, list[str]] = {}
    for brand in load_brands():
        for token in brand.tokens:
            by_token.setdefault(token, []).append(brand.name)
        for word in brand.words:
            by_word.setdefault(word, []).append(brand.name)
    tokens = sorted(by_token, key=len, reverse=True)
    return re.compile("|".join(re.escape(t) for t in tokens)), by_token, by_word


def brands_in_text(text: str, limit: int = 200_000) -> list[Brand]:
    """Return the brands whose page names appear in ``text`` (case-sensitive)."""
    sample = text[:limit]
    return [b for b in load_brands() if any(n in sample for n in b.names)]


def foreign_brands(text: str, registered_domain: str, host: str = "") -> list[Brand]:
    """Return brands named in ``text`` whose official domains do not hold the page."""
    if not registered_domain:
        return brands_in_text(text)
    return [b for b in brands_in_text(text) if not b.owns(registered_domain, host)]
