"""The console in a real headless Chromium: sign-in, dashboard, pages, sign-out.

Needs Debian's ``chromium`` (``FANZHA_CHROMIUM`` names another binary) and the
``playwright`` Python package; Playwright never downloads a browser here. Where
either is missing the tests skip with the reason, except under ``CI``, where
they fail: CI must run them.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from fanzha.console.pages import ConsolePage, register_page, unregister_page

from .conftest import (
    LABELS,
    SCORED_TEXT,
    STUB_KEY,
    LiveServer,
    Seeded,
    stub_api,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = Path(os.environ.get("FANZHA_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 15_000


def _browser_missing() -> str | None:
    if not CHROMIUM.is_file():
        return f"no Chromium at {CHROMIUM}: apt-get install chromium"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is missing: pip install playwright"
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    problem = _browser_missing()
    if problem and os.environ.get("CI"):
        pytest.fail(f"CI must run the browser tests, but {problem}")
    if problem:
        pytest.skip(problem)

    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)  # the dashboard refreshes every 5 s
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@dataclass
class Console:
    """A console being served: its address, a good key and the app's store."""

    url: str
    key: str
    seeded: Seeded | None = None


@pytest.fixture
def console(seeded: Seeded) -> Iterator[Console]:
    with LiveServer(seeded.app) as server:
        yield Console(server.url, seeded.key, seeded)


@dataclass
class Tab:
    """A browser tab that records requests leaving the app and script errors."""

    page: Any
    outside: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@pytest.fixture
def tab(browser: Any, console: Console) -> Iterator[Tab]:
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    recorded = Tab(page)

    def guard(route: Any) -> None:
        if route.request.url.startswith(console.url + "/"):
            route.continue_()
        else:
            recorded.outside.append(route.request.url)
            route.abort()

    def on_console(message: Any) -> None:
        # A wrong key answers 401 on purpose; the browser logs that as an error.
        if message.type == "error" and "status of 401" not in message.text:
            recorded.errors.append(message.text)

    context.route("**/*", guard)
    page.on("pageerror", lambda exc: recorded.errors.append(str(exc)))
    page.on("console", on_console)
    yield recorded
    context.close()


def _screenshot(tab: Tab, name: str) -> None:
    folder = os.environ.get("FANZHA_SCREENSHOTS")
    if folder:
        tab.page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def _sign_in(tab: Tab, console: Console, key: str) -> None:
    tab.page.goto(console.url + "/")
    tab.page.locator("#api-key").fill(key)
    tab.page.locator("#signin-submit").click()


def _stat(tab: Tab, name: str) -> Any:
    return tab.page.locator(f'[data-stat="{name}"] .stat-value')


def _session_key(tab: Tab) -> str | None:
    return tab.page.evaluate("sessionStorage.getItem('fanzha.apiKey')")


def test_when_the_key_is_wrong_then_sign_in_says_so_and_keeps_nothing(tab, console):
    from playwright.sync_api import expect

    _sign_in(tab, console, "fz-not-a-real-key")

    error = tab.page.locator("#signin-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("not accepted")
    expect(tab.page.locator("#app")).to_be_hidden()
    assert _session_key(tab) is None
    assert "fz-not-a-real-key" not in tab.page.url
    assert tab.outside == [] and tab.errors == []


def test_when_the_key_is_empty_then_sign_in_asks_for_one(tab, console):
    from playwright.sync_api import expect

    _sign_in(tab, console, "   ")

    expect(tab.page.locator("#signin-error")).to_have_text("Enter an API key.")
    assert tab.errors == []


def test_when_signed_in_then_dashboard_shows_live_counts_and_charts(tab, console):
    from playwright.sync_api import expect

    _sign_in(tab, console, console.key)

    expect(tab.page.locator("#user-role")).to_have_text("admin")
    expect(tab.page.locator("#user-name")).to_have_text("console-admin")
    expect(_stat(tab, "reports")).to_have_text("3")
    expect(_stat(tab, "verdicts")).to_have_text(str(sum(LABELS.values())))
    expect(_stat(tab, "entities")).to_have_text("3")
    expect(_stat(tab, "blacklist")).to_have_text("0")
    box = tab.page.locator("#chart-labels").bounding_box()
    assert box is not None and box["width"] > 100 and box["height"] > 100
    drawn = tab.page.evaluate(
        "(() => { const d = Chart.getChart('chart-labels').data;"
        " return Object.fromEntries("
        "   d.labels.map((l, i) => [l, d.datasets[0].data[i]])); })()"
    )
    assert drawn == LABELS
    per_day = tab.page.evaluate("Chart.getChart('chart-days').data.datasets[0].data")
    assert len(per_day) == 30 and per_day[-1] == 2 and sum(per_day) == 3
    _screenshot(tab, "dashboard")

    # The counts follow the store without a reload.
    console.seeded.add_report()
    expect(_stat(tab, "reports")).to_have_text("4")

    assert _session_key(tab) == console.key
    assert console.key not in tab.page.url
    assert tab.outside == [] and tab.errors == []


def test_when_the_tab_reloads_then_the_session_survives_until_sign_out(tab, console):
    from playwright.sync_api import expect

    _sign_in(tab, console, console.key)
    expect(tab.page.locator("#app")).to_be_visible()
    tab.page.reload()
    expect(tab.page.locator("#user-name")).to_have_text("console-admin")

    tab.page.locator("#signout").click()

    expect(tab.page.locator("#signin")).to_be_visible()
    assert _session_key(tab) is None
    assert tab.errors == []


def test_when_the_key_is_revoked_mid_session_then_the_console_signs_out(tab, console):
    from playwright.sync_api import expect

    _sign_in(tab, console, console.key)
    expect(_stat(tab, "reports")).to_have_text("3")

    console.seeded.store.revoke_api_key("console-admin", actor="console-test")

    expect(tab.page.locator("#signin-error")).to_contain_text("no longer accepted")
    expect(tab.page.locator("#app")).to_be_hidden()
    assert _session_key(tab) is None


@pytest.fixture
def feature_page(tmp_path: Path) -> Iterator[None]:
    script = tmp_path / "hello.js"
    script.write_text(
        "fanzha.registerPage({id: 'hello', title: 'Hello', render(el, api) {"
        " el.append(fanzha.h('h1', {}, 'Hello ' + api.me.name)); }});"
    )
    register_page(ConsolePage("hello", "Hello", "hello.js", 50, tmp_path))
    yield
    unregister_page("hello")


def test_a_page_registered_by_a_feature_appears_and_renders(tab, console, feature_page):
    from playwright.sync_api import expect

    _sign_in(tab, console, console.key)
    tab.page.locator('#nav a[data-page="hello"]').click()

    expect(tab.page.locator("#page h1")).to_have_text("Hello console-admin")
    assert tab.errors == []


def test_navigation_lists_registered_pages_and_opens_them(tab, console):
    from playwright.sync_api import expect

    _sign_in(tab, console, console.key)
    nav = tab.page.locator("#nav a")
    expect(nav.first).to_have_text("Dashboard")
    titles = nav.all_text_contents()

    tab.page.locator('#nav a[data-page="verdicts"]').click()

    builtin = ["Dashboard", "Score text", "Verdicts"]
    assert [t for t in titles if t in builtin] == builtin
    assert re.search(r"#/verdicts$", tab.page.url)
    expect(tab.page.locator('#nav a[data-page="verdicts"]')).to_have_class(
        re.compile("active")
    )
    expect(tab.page.locator("#page h1")).to_have_text("Verdicts")
    rows = tab.page.locator("#verdicts-body tbody tr")
    expect(rows).to_have_count(sum(LABELS.values()))

    tab.page.locator("#verdict-label").select_option("fraud")

    expect(rows).to_have_count(LABELS["fraud"])
    assert tab.errors == []


def test_score_text_page_shows_the_verdict_or_the_api_error_body(tab, console):
    from playwright.sync_api import expect

    routes = tab.page.request.get(console.url + "/openapi.json").json()["paths"]
    _sign_in(tab, console, console.key)
    tab.page.goto(console.url + "/#/score-text")
    tab.page.locator("#score-input").fill("您的快递丢失，请点击链接办理理赔")
    tab.page.get_by_role("button", name="Score", exact=True).click()

    if "/v1/score/text" in routes:
        expect(tab.page.locator("#score-result .verdict .big")).to_have_text(
            re.compile(r"^[01]\.\d\d$")
        )
        assert tab.errors == []
    else:
        alert = tab.page.locator("#score-result .alert.error")
        expect(alert).to_contain_text("HTTP 404: nothing at /v1/score/text")
        expect(alert.locator("pre")).to_contain_text('"code": "not_found"')
        # The browser logs the 404 the page handled; nothing else may go wrong.
        assert [e for e in tab.errors if "status of 404" not in e] == []


@pytest.fixture
def scoring_console() -> Iterator[Console]:
    with LiveServer(stub_api()) as server:
        yield Console(server.url, STUB_KEY)


def test_score_text_page_shows_risk_label_scenario_and_marked_evidence(
    browser, scoring_console
):
    from playwright.sync_api import expect

    page = browser.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(scoring_console.url + "/")
    page.locator("#api-key").fill(scoring_console.key)
    page.locator("#signin-submit").click()
    page.locator('#nav a[data-page="score-text"]').click()
    page.locator("#score-input").fill(SCORED_TEXT)
    page.get_by_role("button", name="Score", exact=True).click()

    verdict = page.locator("#score-result .verdict")
    expect(verdict).to_have_class(re.compile("risk-high"))
    expect(verdict.locator(".big")).to_have_text("0.93")
    expect(verdict.locator(".facts")).to_contain_text("impersonate_authority")
    assert verdict.locator("mark").all_text_contents() == ["公安局", "安全账户"]
    names = verdict.locator("table.evidence tbody td:nth-child(2)")
    assert names.all_text_contents() == ["安全账户", "公安局", "<b>bold</b>"]
    assert verdict.locator("b, i").count() == 0  # API text is never parsed as HTML
    page.close()
