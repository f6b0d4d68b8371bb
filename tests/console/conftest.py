"""Fixtures for the console tests: the real API over a temporary SQLite store.

``seeded`` builds the real ``create_app`` over a fresh store holding an admin key,
three reports and five verdicts. ``stub_api`` is a stand-in that answers
``POST /v1/score/text`` with a fixed verdict, so the rendering of a verdict is
checked whether or not the real scoring route is installed.
"""

from __future__ import annotations

import socket
import threading
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI, Header, HTTPException
from fastapi.responses import JSONResponse

from fanzha.api.app import create_app
from fanzha.console import mount_console
from fanzha.settings import load_settings
from fanzha.storage import ReportIn, Store
from fanzha.verdict import Verdict

with warnings.catch_warnings():
    # starlette warns that its test client wants httpx2; httpx works today.
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

LABELS = {"fraud": 3, "normal": 1, "ad": 1}
REPORT_DAYS_AGO = (0, 0, 3)


@dataclass
class Seeded:
    """The real app over a temporary store, and what the store holds."""

    app: FastAPI
    store: Store
    key: str

    def add_report(self, phone: str = "+8617000000901") -> None:
        report = ReportIn(
            description="自称客服要求退款后扣款（测试）",
            entities=[{"type": "phone", "value": phone}],
        )
        self.store.add_report(report, actor="console-test")


def _seed(store: Store) -> None:
    now = datetime.now(UTC)
    for i, days in enumerate(REPORT_DAYS_AGO):
        report = ReportIn(
            description=f"测试报案 {i}",
            occurred_at=now - timedelta(days=days),
            entities=[{"type": "phone", "value": f"+861700000080{i}"}],
        )
        store.add_report(report, actor="console-test")

    verdicts = [
        Verdict(
            risk=0.2 + 0.15 * i,
            label=label,
            detector="lexicon",
            model_version="test-1",
            item_id=f"sms-{label}-{i}",
        )
        for label, n in LABELS.items()
        for i in range(n)
    ]
    store.add_verdicts(verdicts, kind="text", actor="console-test")


def seeded_app(folder: Path) -> Seeded:
    """Build the real app over a new SQLite store in ``folder``."""
    settings = load_settings({"data_dir": str(folder)}, environ={})
    store = Store(settings.resolved_database_url)
    store.upgrade()
    _, key = store.create_api_key("console-admin", "admin", actor="console-test")
    _seed(store)
    return Seeded(create_app(settings, store=store, upgrade=False), store, key)


@pytest.fixture(scope="session")
def shared_seeded(tmp_path_factory: pytest.TempPathFactory) -> Seeded:
    return seeded_app(tmp_path_factory.mktemp("console-store"))


@pytest.fixture(scope="session")
def client(shared_seeded: Seeded) -> Iterator[TestClient]:
    with TestClient(shared_seeded.app) as test_client:
        yield test_client


@pytest.fixture
def seeded(tmp_path: Path) -> Seeded:
    return seeded_app(tmp_path)


# ----------------------------------------------------------- stand-in scoring API

STUB_KEY = "fz-stub-admin-key"
SCORED_TEXT = "【公安局】你涉嫌洗钱，请转账到安全账户"
VERDICT = {
    "risk": 0.93,
    "label": "fraud",
    "scenario": "impersonate_authority",
    "evidence": [
        {"kind": "keyword", "name": "安全账户", "weight": 2.5, "span": [15, 19]},
        {"kind": "keyword", "name": "公安局", "weight": 1.5, "span": [1, 4]},
        {"kind": "rule", "name": "<b>bold</b>", "weight": -0.25, "value": "<i>x</i>"},
    ],
    "detector": "lexicon",
    "model_version": "lexicon-1",
}


def _check_key(authorization: str | None) -> None:
    if authorization != f"Bearer {STUB_KEY}":
        raise HTTPException(401, "missing or wrong API key")


def stub_api() -> FastAPI:
    """A stand-in API: ``/v1/me`` and a scoring route that returns ``VERDICT``."""
    app = FastAPI()

    @app.exception_handler(HTTPException)
    async def _error(_request: Any, exc: HTTPException) -> JSONResponse:
        body = {"error": {"code": "http_error", "message": exc.detail}}
        return JSONResponse(body, status_code=exc.status_code)

    @app.get("/v1/me")
    async def me(authorization: str | None = Header(None)) -> dict[str, str]:
        _check_key(authorization)
        return {"name": "stub admin", "role": "admin"}

    @app.post("/v1/score/text")
    async def score(
        body: dict[str, Any], authorization: str | None = Header(None)
    ) -> dict[str, Any]:
        _check_key(authorization)
        if body != {"text": SCORED_TEXT}:
            raise HTTPException(422, f"unexpected body {body!r}")
        return VERDICT

    mount_console(app)
    return app


# -------------------------------------------------------------------- live server


class LiveServer:
    """Uvicorn serving an app on a free loopback port, in a thread."""

    def __init__(self, app: FastAPI) -> None:
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        port = self._sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        config = uvicorn.Config(app, log_level="warning", lifespan="on")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._sock]}, daemon=True
        )

    def __enter__(self) -> LiveServer:
        self._thread.start()
        deadline = time.monotonic() + 20
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._sock.close()
