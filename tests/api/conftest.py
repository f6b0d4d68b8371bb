"""An API client over an empty store (SQLite and PostgreSQL), one key per role.

PostgreSQL cases skip where the server is down, except in CI (``CI`` set).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from fanzha.api.app import create_app
from fanzha.settings import load_settings
from fanzha.storage import ROLES, Store

MAX_BODY = 20_000


@dataclass
class Api:
    client: TestClient
    store: Store
    keys: dict[str, str]

    def headers(self, role: str = "admin") -> dict[str, str]:
        return {"Authorization": f"Bearer {self.keys[role]}"}


@pytest.fixture(
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
    ]
)
def store(
    request: pytest.FixtureRequest,
    open_store: Callable[[str], AbstractContextManager[Store]],
) -> Iterator[Store]:
    with open_store(request.param) as store:
        yield store


@pytest.fixture
def api(store: Store, tmp_path: Path) -> Iterator[Api]:
    settings = load_settings(
        overrides={"data_dir": str(tmp_path), "max_body_bytes": MAX_BODY}, environ={}
    )
    keys = {role: store.create_api_key(f"{role}-key", role)[1] for role in ROLES}
    with TestClient(create_app(settings, store=store, upgrade=False)) as client:
        yield Api(client, store, keys)
