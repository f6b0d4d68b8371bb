"""Stores for the storage tests, on SQLite and on PostgreSQL.

PostgreSQL runs at ``FANZHA_TEST_POSTGRES_URL`` (default: the local ``test``
database), each run in its own schema. Where it is down the PostgreSQL cases
skip, except in CI (``CI`` set), where they fail.

``store`` is migrated once per session and emptied before each test;
``fresh_store`` and ``empty_store`` are new per test, for migration tests.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import pytest

from fanzha.errors import StorageError
from fanzha.storage import Store
from fanzha.storage.testing import temporary_store


@pytest.fixture(
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
    ]
)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def store(
    backend: str, open_store: Callable[[str], AbstractContextManager[Store]]
) -> Iterator[Store]:
    with open_store(backend) as store:
        yield store


def _open(
    backend: str,
    tmp_path: Path,
    upgrade: bool,
    on_down: Callable[[Exception], None],
) -> Iterator[Store]:
    try:
        with temporary_store(backend, tmp_path, upgrade=upgrade) as store:
            yield store
    except StorageError as exc:
        on_down(exc)


@pytest.fixture
def fresh_store(
    backend: str, tmp_path: Path, on_postgres_down: Callable[[Exception], None]
) -> Iterator[Store]:
    yield from _open(backend, tmp_path, True, on_postgres_down)


@pytest.fixture
def empty_store(
    backend: str, tmp_path: Path, on_postgres_down: Callable[[Exception], None]
) -> Iterator[Store]:
    yield from _open(backend, tmp_path, False, on_postgres_down)
