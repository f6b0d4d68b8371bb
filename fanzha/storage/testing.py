"""Throw-away stores for tests: a SQLite file or an isolated PostgreSQL schema.

Each PostgreSQL store lives in its own schema (``fz_test_<random>``), reached by
setting ``search_path`` on every connection, and the schema is dropped at the
end; several test runs can share one server and one database.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from fanzha.errors import StorageError
from fanzha.storage import workflow_models  # noqa: F401  (registers the tables)
from fanzha.storage.models import Base
from fanzha.storage.store import Store

DEFAULT_TEST_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def postgres_test_url() -> str:
    """Return ``FANZHA_TEST_POSTGRES_URL`` or the default local test server."""
    return os.environ.get("FANZHA_TEST_POSTGRES_URL") or DEFAULT_TEST_POSTGRES_URL


@contextmanager
def postgres_schema_url(base_url: str | None = None) -> Iterator[str]:
    """Create a fresh schema, yield a URL whose connections use it, drop it after.

    Raises ``StorageError`` when the server cannot be reached.
    """
    url = make_url(base_url or postgres_test_url())
    schema = "fz_test_" + secrets.token_hex(6)
    admin = create_engine(url, connect_args={"connect_timeout": 3})
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except DBAPIError as exc:
        admin.dispose()
        raise StorageError(
            f"PostgreSQL at {url.host}:{url.port} is unreachable ({exc.orig}); start "
            "it or set FANZHA_TEST_POSTGRES_URL"
        ) from None
    # Test data need not survive a crash: skip the wait for the disk on commit.
    options = f"-csearch_path={schema} -csynchronous_commit=off"
    scoped = url.update_query_dict({"options": options})
    try:
        yield scoped.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@contextmanager
def temporary_store(
    backend: str, folder: Path, upgrade: bool = True
) -> Iterator[Store]:
    """Yield an empty store on ``sqlite`` (a file in ``folder``) or ``postgresql``."""
    if backend == "sqlite":
        store = Store(f"sqlite:///{folder / 'fanzha.db'}")
        yield from _serve(store, upgrade)
        return
    with postgres_schema_url() as url:
        yield from _serve(Store(url), upgrade)


def sqlite_template(folder: Path) -> Path:
    """Create a migrated, empty SQLite file once; tests copy it instead of migrating."""
    path = folder / "template.db"
    store = Store(f"sqlite:///{path}")
    store.upgrade()
    store.close()
    return path


def copy_sqlite_store(template: Path, folder: Path) -> Store:
    """Return a store on a fresh copy of ``template`` inside ``folder``."""
    target = folder / "fanzha.db"
    shutil.copyfile(template, target)
    return Store(f"sqlite:///{target}")


def reset_store(store: Store) -> None:
    """Empty every table of a migrated store (ids keep counting)."""
    with store.engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())


def _serve(store: Store, upgrade: bool) -> Iterator[Store]:
    try:
        if upgrade:
            store.upgrade()
        yield store
    finally:
        store.close()
