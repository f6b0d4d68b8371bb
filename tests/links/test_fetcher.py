from __future__ import annotations

import httpx
import pytest

from fanzha.links.fetcher import FetchError, fetch


def _transport(routes: dict[str, httpx.Response]) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        return routes.get(str(request.url), httpx.Response(404))

    return httpx.MockTransport(handler)


def test_redirect_chain_is_recorded_and_page_returned():
    routes = {
        "http://short.example/a": httpx.Response(
            302, headers={"location": "https://mid.example/b"}
        ),
        "https://mid.example/b": httpx.Response(301, headers={"location": "/final"}),
        "https://mid.example/final": httpx.Response(
            200, content=b"<title>x</title>", headers={"content-type": "text/html"}
        ),
    }
    result = fetch("http://short.example/a", transport=_transport(routes))
    assert result.redirects == ["http://short.example/a", "https://mid.example/b"]
    assert result.url == "https://mid.example/final"
    assert result.content == b"<title>x</title>"
    assert not result.truncated


def test_redirect_loop_stops_with_error():
    routes = {
        "http://a.example/": httpx.Response(
            302, headers={"location": "http://b.example/"}
        ),
        "http://b.example/": httpx.Response(
            302, headers={"location": "http://a.example/"}
        ),
    }
    with pytest.raises(FetchError, match="loop"):
        fetch("http://a.example/", transport=_transport(routes))


def test_too_many_redirects_stop_with_error():
    routes = {
        f"http://r.example/{i}": httpx.Response(302, headers={"location": f"/{i + 1}"})
        for i in range(20)
    }
    with pytest.raises(FetchError, match="redirects"):
        fetch("http://r.example/0", max_redirects=3, transport=_transport(routes))


def test_large_body_is_cut_at_the_size_limit():
    routes = {"http://big.example/": httpx.Response(200, content=b"x" * 50_000)}
    result = fetch("http://big.example/", max_bytes=1_000, transport=_transport(routes))
    assert result.truncated
    assert len(result.content) == 1_000


def test_timeout_becomes_fetch_error():
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    with pytest.raises(FetchError, match="timed out"):
        fetch("http://slow.example/", transport=httpx.MockTransport(handler))
