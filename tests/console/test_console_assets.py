"""The console shell and its assets, served by mount_console (no browser)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from fanzha.console.pages import STATIC_DIR

TEXT_ASSETS = sorted(
    p for p in STATIC_DIR.rglob("*") if p.suffix in {".html", ".css", ".js", ".svg"}
)
BLOCK_COMMENT = re.compile(r"/\*.*?\*/", re.S)
HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
SVG_NAMESPACE = re.compile(r'xmlns(:\w+)?="http://www\.w3\.org/[\w/]+"')
SOURCE_MAP = re.compile(r"^//# sourceMappingURL=[\w.-]+$", re.M)
EXTERNAL = re.compile(r"(https?:)?//[a-z0-9-]+(\.[a-z0-9-]+)+", re.I)


class _Refs(HTMLParser):
    """Collects the src and href attributes of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.refs += [v for k, v in attrs if k in {"src", "href"} and v]


def _shell_refs(html: str) -> list[str]:
    parser = _Refs()
    parser.feed(html)
    return parser.refs


def _code_without_comments(path: Path) -> str:
    text = path.read_text("utf-8")
    text = HTML_COMMENT.sub("", text) if path.suffix in {".html", ".svg"} else text
    text = BLOCK_COMMENT.sub("", text) if path.suffix in {".js", ".css"} else text
    return SOURCE_MAP.sub("", SVG_NAMESPACE.sub("", text))


def test_when_root_is_requested_then_the_html_shell_comes_back(client):
    response = client.get("/")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert 'id="signin-form"' in response.text
    assert "/console/static/console.js" in response.text


def test_shell_forbids_loading_anything_from_another_origin(client):
    policy = client.get("/").headers["content-security-policy"]

    assert "default-src 'self'" in policy
    assert "script-src 'self';" in policy
    assert "unsafe-inline" not in policy


def test_every_asset_the_shell_references_is_served_with_its_type(client):
    expected = {".js": "javascript", ".css": "text/css", ".svg": "image/svg+xml"}
    local = [r for r in _shell_refs(client.get("/").text) if r.startswith("/console")]

    assert len(local) >= 4
    for ref in local:
        response = client.get(ref)
        assert response.status_code == 200, ref
        assert expected[Path(ref).suffix] in response.headers["content-type"], ref


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/console/static/console.js", "javascript"),
        ("/console/static/console.css", "text/css"),
        ("/console/static/vendor/chart.umd.min.js", "javascript"),
        ("/console/pages/dashboard.js", "javascript"),
        ("/console/pages.json", "application/json"),
    ],
)
def test_console_files_are_served_with_the_right_content_type(
    client, path, content_type
):
    response = client.get(path)

    assert response.status_code == 200
    assert content_type in response.headers["content-type"]


@pytest.mark.parametrize(
    "path",
    [
        "/console/pages/nope.js",
        "/console/pages/../pages.py",
        "/console/static/../pages.py",
        "/console/static/%2e%2e/pages.py",
        "/console/static/missing.js",
    ],
)
def test_when_a_file_is_not_part_of_the_console_then_404(client, path):
    response = client.get(path)

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_pages_json_lists_the_registered_pages_in_navigation_order(client):
    pages = client.get("/console/pages.json").json()

    ids = [p["id"] for p in pages]
    builtin = ["dashboard", "score-text", "verdicts"]
    assert ids[0] == "dashboard"
    assert [i for i in ids if i in builtin] == builtin
    assert [p["nav_order"] for p in pages] == sorted(p["nav_order"] for p in pages)
    for page in pages:
        assert client.get(page["script"]).status_code == 200


def test_vendored_chart_library_is_a_real_build_with_its_licence():
    vendor = STATIC_DIR / "vendor"
    chart = (vendor / "chart.umd.min.js").read_text("utf-8")

    assert chart.startswith("/*!\n * Chart.js v4.")
    assert len(chart) > 100_000
    assert "MIT License" in (vendor / "chart.js-LICENSE.md").read_text("utf-8")
    assert "4.6.1" in (vendor / "VENDORED.md").read_text("utf-8")


def test_assets_exist_to_check_for_external_urls():
    names = {p.name for p in TEXT_ASSETS}
    assert {"index.html", "console.js", "console.css", "chart.umd.min.js"} <= names


@pytest.mark.parametrize("path", TEXT_ASSETS, ids=lambda p: p.name)
def test_no_asset_loads_anything_from_outside_the_app(path):
    code = _code_without_comments(path)

    assert EXTERNAL.search(code) is None, EXTERNAL.search(code)


def test_external_url_check_catches_a_cdn_reference(tmp_path):
    page = tmp_path / "cdn.html"
    page.write_text('<script src="https://cdn.jsdelivr.net/npm/chart.js"></script>')
    relative = tmp_path / "cdn.js"
    relative.write_text('import("//unpkg.com/x.js");')

    assert EXTERNAL.search(_code_without_comments(page))
    assert EXTERNAL.search(_code_without_comments(relative))


def test_api_key_is_kept_in_session_storage_and_never_put_in_a_url():
    shell = (STATIC_DIR / "console.js").read_text("utf-8")
    form = (STATIC_DIR / "index.html").read_text("utf-8")

    assert "sessionStorage" in shell
    assert "localStorage" not in shell
    assert "Authorization" in shell
    # Without a name the key field is never submitted, even with scripts off.
    assert re.search(r'<input id="api-key"[^>]*\bname=', form) is None
