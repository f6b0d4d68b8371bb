"""An API client over an empty store (SQLite and PostgreSQL), one key per role.

PostgreSQL cases skip where the server is down, except in CI (``CI`` set).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from fanzha.api.app import create_app
from fanzha.errors import StorageError
from fanzha.settings import load_settings
from fanzha.storage import ROLES, Store
from fanzha.storage.testing import (
    copy_sqlite_store,
    postgres_schema_url,
    reset_store,
    sqlite_template,
)

MAX_BODY = 20_000


@dataclass
class Api:
    client: TestClient
    store: Store
    keys: dict[str, str]

    def headers(self, role: str = "admin") -> dict[str, str]:
        return {"Authorization": f"Bearer {self.keys[role]}"}


@pytest.fixture(scope="session")
def sqlite_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return sqlite_template(tmp_path_factory.mktemp("template"))


@pytest.fixture(scope="session")
def postgres_store() -> Iterator[Store | StorageError]:
    try:
        with postgres_schema_url() as url:
            store = Store(url)
            store.upgrade()
            yield store
            store.close()
    except StorageError as exc:
        yield exc


@pytest.fixture(
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
    ]
)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "sqlite":
        store = copy_sqlite_store(request.getfixturevalue("sqlite_file"), tmp_path)
        yield store
        store.close()
        return
    shared = request.getfixturevalue("postgres_store")
    if isinstance(shared, StorageError):
        if os.environ.get("CI"):
            pytest.fail(f"CI needs PostgreSQL for the API tests: {shared}")
        pytest.skip(f"PostgreSQL is not running here: {shared}")
    reset_store(shared)
    yield shared


@pytest.fixture
def api(store: Store, tmp_path: Path) -> Iterator[Api]:
    settings = load_settings(
        overrides={"data_dir": str(tmp_path), "max_body_bytes": MAX_BODY}, environ={}
    )
    keys = {role: store.create_api_key(f"{role}-key", role)[1] for role in ROLES}
    with TestClient(create_app(settings, store=store, upgrade=False)) as client:
        yield Api(client, store, keys)
