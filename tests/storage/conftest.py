"""Stores for the storage tests, on SQLite and on PostgreSQL.

PostgreSQL runs at ``FANZHA_TEST_POSTGRES_URL`` (default: the local ``test``
database), each run in its own schema. Where it is down the PostgreSQL cases
skip, except in CI (``CI`` set), where they fail.

``store`` is migrated once per session and emptied before each test;
``fresh_store`` and ``empty_store`` are new per test, for migration tests.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from fanzha.errors import StorageError
from fanzha.storage import Store
from fanzha.storage.testing import (
    copy_sqlite_store,
    postgres_schema_url,
    reset_store,
    sqlite_template,
    temporary_store,
)

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
]


def no_postgres(exc: Exception) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"CI needs PostgreSQL for these tests: {exc}")
    pytest.skip(f"PostgreSQL is not running here: {exc}")


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


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


@pytest.fixture
def store(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[Store]:
    if backend == "sqlite":
        store = copy_sqlite_store(request.getfixturevalue("sqlite_file"), tmp_path)
        yield store
        store.close()
        return
    shared = request.getfixturevalue("postgres_store")
    if isinstance(shared, StorageError):
        no_postgres(shared)
    reset_store(shared)
    yield shared


def _open(backend: str, tmp_path: Path, upgrade: bool) -> Iterator[Store]:
    try:
        with temporary_store(backend, tmp_path, upgrade=upgrade) as store:
            yield store
    except StorageError as exc:
        no_postgres(exc)


@pytest.fixture
def fresh_store(backend: str, tmp_path: Path) -> Iterator[Store]:
    yield from _open(backend, tmp_path, upgrade=True)


@pytest.fixture
def empty_store(backend: str, tmp_path: Path) -> Iterator[Store]:
    yield from _open(backend, tmp_path, upgrade=False)
