"""Shared fixtures: where the shared data lives, and skips where it is absent."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import pytest

from fanzha.errors import StorageError
from fanzha.storage import Store
from fanzha.storage.testing import (
    copy_sqlite_store,
    postgres_schema_url,
    reset_store,
    sqlite_template,
)

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(
    os.environ.get("FANZHA_SHARED_DATA", REPO.parent / "shared" / "data")
)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The ``../shared/data`` folder; skips the test where it is absent."""
    if not SHARED_DATA.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"CI must have the shared data at {SHARED_DATA}")
        pytest.skip(f"shared data not found at {SHARED_DATA} (a newcomer's clone)")
    return SHARED_DATA


BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
]


def no_postgres(exc: Exception) -> None:
    """Skip where PostgreSQL is down, except in CI, where the test fails."""
    if os.environ.get("CI"):
        pytest.fail(f"CI needs PostgreSQL for these tests: {exc}")
    pytest.skip(f"PostgreSQL is not running here: {exc}")


@pytest.fixture
def on_postgres_down() -> Callable[[Exception], None]:
    """The handler for a PostgreSQL server that cannot be reached."""
    return no_postgres


@pytest.fixture(scope="session")
def sqlite_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite store, copied for each test that needs one."""
    return sqlite_template(tmp_path_factory.mktemp("template"))


@pytest.fixture(scope="session")
def postgres_store() -> Iterator[Store | StorageError]:
    """One migrated PostgreSQL store per session, or the error that stopped it."""
    try:
        with postgres_schema_url() as url:
            store = Store(url)
            store.upgrade()
            yield store
            store.close()
    except StorageError as exc:
        yield exc


@pytest.fixture
def open_store(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Callable[[str], AbstractContextManager[Store]]:
    """Open an empty migrated store on ``"sqlite"`` or ``"postgresql"``."""

    @contextmanager
    def opener(backend: str) -> Iterator[Store]:
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

    return opener
