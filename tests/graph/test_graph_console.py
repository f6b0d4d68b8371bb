"""The Gangs and Money trace pages in headless Chromium, over the real API.

Skips where Chromium or playwright is missing (fails under ``CI``).
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from fanzha.api.app import create_app
from fanzha.console.pages import STATIC_DIR, console_page
from fanzha.settings import load_settings
from fanzha.storage import EntityRef as StoredRef
from fanzha.storage import RelationIn, ReportIn, Store
from fanzha.verdict import Verdict

CHROMIUM = Path(os.environ.get("FANZHA_CHROMIUM", "/usr/bin/chromium"))
CARD = "4111111111111111"


def test_graph_pages_are_registered_with_their_scripts():
    for page_id in ("gangs", "trace"):
        page = console_page(page_id)
        assert page is not None and page.script_path.is_file()


def test_vendored_cytoscape_is_a_real_build_with_its_licence():
    vendor = STATIC_DIR / "vendor"
    assert 'cf.version="3.35.0"' in (vendor / "cytoscape.min.js").read_text("utf-8")
    assert "Cytoscape Consortium" in (vendor / "cytoscape-LICENSE").read_text("utf-8")


def _seed(store: Store) -> str:
    card = {"type": "bank_card", "value": CARD}
    for loss in (1200, 800):
        store.add_report(ReportIn(loss_amount=loss, entities=[card]), actor="t")
    acct = [{"type": "account", "value": v} for v in ("VICTIM", "MULE", "BOSS")]
    store.add_relations(
        [
            RelationIn(
                src=acct[0],
                dst=acct[1],
                kind="transfer",
                amount=900,
                at="2026-01-01T00:00:00Z",
            ),
            RelationIn(
                src=acct[1],
                dst=acct[2],
                kind="transfer",
                amount=850,
                at="2026-01-01T02:00:00Z",
            ),
        ],
        actor="t",
    )
    flagged = Verdict(
        risk=0.9, label="fraud", detector="t", model_version="1", item_id=CARD
    )
    store.add_verdicts([flagged], kind="graph", entities=[StoredRef(**card)])
    return store.create_api_key("graph-analyst", "analyst", actor="t")[1]


class _Server:
    def __init__(self, app: Any) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True
        )

    def __enter__(self) -> _Server:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.sock.close()


@pytest.fixture
def live(tmp_path) -> Iterator[tuple[str, str]]:
    settings = load_settings({"data_dir": str(tmp_path)}, environ={})
    store = Store(settings.resolved_database_url)
    store.upgrade()
    key = _seed(store)
    with _Server(create_app(settings, store=store, upgrade=False)) as server:
        yield server.url, key
    store.close()


@pytest.fixture
def page(live) -> Iterator[Any]:
    if not CHROMIUM.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the browser tests; no Chromium at {CHROMIUM}")
        pytest.skip(f"no Chromium at {CHROMIUM}")
    sync_api = pytest.importorskip("playwright.sync_api")
    url, key = live
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox"], headless=True
        )
        tab = browser.new_page()
        errors: list[str] = []
        tab.on("pageerror", lambda exc: errors.append(str(exc)))
        tab.goto(url + "/")
        tab.locator("#api-key").fill(key)
        tab.locator("#signin-submit").click()
        tab.locator("#user-role").wait_for()
        yield tab, url, errors
        browser.close()


@pytest.mark.browser
@pytest.mark.slow
def test_gang_page_lists_gangs_masked_and_draws_the_chosen_one(page):
    from playwright.sync_api import expect

    tab, url, errors = page
    tab.goto(url + "/#/gangs")
    row = tab.locator("table.gangs tbody tr").first
    expect(row).to_contain_text("2,000")
    flagged = tab.locator("table.gangs th").all_inner_texts().index("Flagged")
    assert row.locator("td").nth(flagged).inner_text() == "1"
    row.click()
    expect(tab.locator(".graph-canvas canvas").first).to_be_attached()
    assert CARD not in tab.locator("table.gangs").inner_text()
    assert errors == []


@pytest.mark.browser
@pytest.mark.slow
def test_trace_page_draws_the_money_path_and_where_it_ended(page):
    from playwright.sync_api import expect

    tab, url, errors = page
    tab.goto(url + "/#/trace")
    tab.locator("input[name=transfer]").fill("1")
    tab.locator("form.inline-form button").click()
    expect(tab.locator(".trace-graph table")).to_contain_text("BOSS")
    expect(tab.locator(".graph-canvas canvas").first).to_be_attached()
    assert errors == []
