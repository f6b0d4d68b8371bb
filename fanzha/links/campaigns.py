"""Grouping URLs and pages into campaigns, with a summary per campaign.

URLs join a campaign when they share a registered domain (shorteners and bare
hosting suffixes excepted), an IP host or a distinctive path template (digits
and long hex runs masked, at least two segments). Pages join when their MinHash
signatures are near (shared kit or template). Groups are connected components,
found with a union-find.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from fanzha.errors import ValidationError
from fanzha.links.brands import brands_in_host
from fanzha.links.pages import PageInfo
from fanzha.links.shingles import page_shingles
from fanzha.links.templates import TemplateLibrary
from fanzha.links.urls import ParsedUrl, parse_url

_HEX = re.compile(r"[0-9a-f]{8,}")
_DIGITS = re.compile(r"\d+")


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union_all(self, members: Iterable[int]) -> None:
        items = list(members)
        for other in items[1:]:
            self.parent[self.find(other)] = self.find(items[0])

    def groups(self) -> list[list[int]]:
        found: dict[int, list[int]] = {}
        for i in range(len(self.parent)):
            found.setdefault(self.find(i), []).append(i)
        return sorted(found.values(), key=len, reverse=True)


@dataclass
class Campaign:
    """One group of URLs or pages thought to be run together."""

    campaign_id: str
    members: list[int]
    summary: dict[str, Any] = field(default_factory=dict)


def path_template(url: ParsedUrl) -> str:
    """Return the path with digits and long hex runs masked.

    >>> path_template(parse_url("http://a.example/x/7f3a9b2c11/login.php?id=42"))
    '/x/#h/login.php'
    """
    path = _HEX.sub("#h", url.path.lower())
    return _DIGITS.sub("#", path).rstrip("/")


def cluster_urls(
    urls: Sequence[str],
    min_size: int = 2,
    errors: list[tuple[int, str]] | None = None,
) -> list[Campaign]:
    """Group URLs into campaigns of at least ``min_size``, largest first.

    A URL that cannot be parsed joins no campaign; when ``errors`` is a list,
    its position and the reason are appended there.
    """
    parsed: list[ParsedUrl | None] = []
    for index, raw in enumerate(urls):
        try:
            parsed.append(parse_url(raw))
        except ValidationError as exc:
            parsed.append(None)
            if errors is not None:
                errors.append((index, str(exc)))
    keys: dict[str, list[int]] = {}
    for index, url in enumerate(parsed):
        for key in _url_keys(url):
            keys.setdefault(key, []).append(index)
    union = _UnionFind(len(urls))
    for members in keys.values():
        union.union_all(members)
    groups = [g for g in union.groups() if len(g) >= min_size]
    return [
        Campaign(f"url-{n + 1}", g, _url_summary([parsed[i] for i in g]))
        for n, g in enumerate(groups)
    ]


def _url_keys(url: ParsedUrl | None) -> list[str]:
    if url is None:
        return []
    keys = []
    if not url.is_shortener and url.domain:
        keys.append("domain:" + url.registered_domain)
    template = path_template(url)
    if template.count("/") >= 2 and len(template) >= 12:
        keys.append("path:" + template)
    return keys


def _url_summary(urls: list[ParsedUrl | None]) -> dict[str, Any]:
    present = [u for u in urls if u is not None]
    brands = Counter(
        b.name for u in present for b in brands_in_host(u.host, u.registered_domain)
    )
    return {
        "size": len(urls),
        "domains": Counter(u.registered_domain for u in present).most_common(5),
        "path_templates": Counter(path_template(u) for u in present).most_common(3),
        "brands": brands.most_common(3),
        "ip_hosts": sum(u.is_ip for u in present),
        "example": present[0].raw[:300] if present else None,
    }


def cluster_pages(
    pages: Sequence[PageInfo], max_distance: float = 0.4, min_size: int = 2
) -> list[Campaign]:
    """Group pages whose shingle sets are within ``max_distance`` (1 - Jaccard)."""
    library = TemplateLibrary()
    shingles = [page_shingles(p) for p in pages]
    union = _UnionFind(len(pages))
    for index, page_shingle in enumerate(shingles):
        for match in library.query(page_shingle, k=10, max_distance=max_distance):
            union.union_all([int(match.template_id), index])
        library.add(str(index), page_shingle)
    groups = [g for g in union.groups() if len(g) >= min_size]
    return [
        Campaign(f"page-{n + 1}", g, _page_summary([pages[i] for i in g]))
        for n, g in enumerate(groups)
    ]


def _page_summary(pages: list[PageInfo]) -> dict[str, Any]:
    return {
        "size": len(pages),
        "titles": Counter(p.title for p in pages).most_common(3),
        "brands": Counter(b for p in pages for b in p.brands_named).most_common(3),
        "with_password": sum(p.n_password > 0 for p in pages),
        "form_actions": Counter(a for p in pages for a in p.form_actions).most_common(
            3
        ),
        "domains": Counter(p.url.registered_domain for p in pages if p.url).most_common(
            3
        ),
    }
