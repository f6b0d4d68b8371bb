"""An optional fetcher of live pages: timeouts, a size limit, the redirect chain.

It follows redirects itself, one hop at a time, so the whole chain is recorded
and a loop or an overlong chain stops with a clear error. It never runs
scripts: what comes back is the HTML the server sent, cut at ``max_bytes``. The
transport can be swapped (``httpx.MockTransport``) so nothing here needs the
network in tests.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from urllib.parse import urljoin

import httpx

from fanzha.errors import InputError, ValidationError
from fanzha.links.urls import parse_url

logger = logging.getLogger(__name__)

USER_AGENT = "fanzha-fetcher/1 (+anti-fraud research; no scripts executed)"


@dataclass
class FetchResult:
    """The page fetched and how it was reached."""

    url: str
    status: int
    content: bytes
    truncated: bool
    redirects: list[str] = field(default_factory=list)
    content_type: str = ""


class FetchError(InputError):
    """The page could not be fetched: timeout, loop, bad redirect or network error."""

    code = "fetch_failed"


def fetch(
    url: str,
    timeout: float = 10.0,
    max_bytes: int = 5_000_000,
    max_redirects: int = 10,
    transport: httpx.BaseTransport | None = None,
) -> FetchResult:
    """Fetch ``url`` with bounded time and size, recording every redirect hop."""
    parse_url(url)
    chain: list[str] = []
    current = url if "://" in url else "http://" + url
    limits = httpx.Timeout(timeout)
    with httpx.Client(
        timeout=limits,
        transport=transport,
        follow_redirects=False,
        headers={"User-Agent": USER_AGENT},
    ) as client:
        for _ in range(max_redirects + 1):
            status, location, content, truncated, kind = _get(
                client, current, max_bytes
            )
            if location is None:
                logger.info(
                    "page fetched hops=%d status=%d bytes=%d",
                    len(chain),
                    status,
                    len(content),
                )
                return FetchResult(current, status, content, truncated, chain, kind)
            chain.append(current)
            current = _next_hop(current, location, chain)
    raise FetchError(
        f"more than {max_redirects} redirects from {url[:200]!r}; "
        "the chain is recorded in the error's redirects"
    )


def _get(
    client: httpx.Client, url: str, max_bytes: int
) -> tuple[int, str | None, bytes, bool, str]:
    try:
        with client.stream("GET", url) as response:
            if response.is_redirect:
                return (
                    response.status_code,
                    response.headers.get("location", ""),
                    b"",
                    False,
                    "",
                )
            content, truncated = _read_limited(response, max_bytes)
            kind = response.headers.get("content-type", "")
            return response.status_code, None, content, truncated, kind
    except httpx.TimeoutException as exc:
        raise FetchError(f"fetching {url[:200]!r} timed out") from exc
    except httpx.HTTPError as exc:
        raise FetchError(f"fetching {url[:200]!r} failed: {exc}") from exc


def _read_limited(response: httpx.Response, max_bytes: int) -> tuple[bytes, bool]:
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        chunks.append(chunk)
        size += len(chunk)
        if size >= max_bytes:
            return b"".join(chunks)[:max_bytes], True
    return b"".join(chunks), False


def _next_hop(current: str, location: str, chain: list[str]) -> str:
    if not location:
        raise FetchError(f"{current[:200]!r} redirects without a Location header")
    target = urljoin(current, location)
    if target in chain:
        raise FetchError(f"redirect loop: {' -> '.join(chain + [target])[:500]}")
    try:
        parse_url(target)
    except ValidationError as exc:
        raise FetchError(f"{current[:200]!r} redirects to a bad URL: {exc}") from exc
    return target
