from __future__ import annotations

import os
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from fanzha.errors import StorageError
from fanzha.storage import ReportIn, Store
from fanzha.storage.models import Base
from fanzha.storage.testing import postgres_schema_url

TABLES = set(Base.metadata.tables)


def _tables(store: Store) -> set[str]:
    return set(inspect(store.engine).get_table_names()) - {"alembic_version"}


def test_when_store_is_empty_then_upgrade_creates_every_table(empty_store):
    assert _tables(empty_store) == set()
    assert empty_store.status()["ok"] is False

    empty_store.upgrade()

    assert _tables(empty_store) == TABLES
    assert empty_store.status() == {
        "ok": True,
        "backend": empty_store.backend,
        "revision": "0001",
        "head": "0001",
    }


def test_when_downgraded_to_base_then_tables_go_and_upgrade_rebuilds_them(fresh_store):
    store = fresh_store
    store.downgrade("base")
    assert _tables(store) == set()

    store.upgrade()
    assert _tables(store) == TABLES


def test_when_upgrade_runs_twice_then_it_changes_nothing(store):
    store.add_report(ReportIn(entities=[{"type": "qq", "value": "10001"}]))
    store.upgrade()
    assert store.list_reports()["total"] == 1


def test_when_migrations_applied_then_schema_matches_the_models(store):
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_when_store_reopened_then_data_survives_a_restart(backend, tmp_path: Path):
    if backend == "sqlite":
        _check_restart(f"sqlite:///{tmp_path / 'restart.db'}")
        return
    try:
        with postgres_schema_url() as url:
            _check_restart(url)
    except StorageError as exc:
        if os.environ.get("CI"):
            pytest.fail(str(exc))
        pytest.skip(str(exc))


def _check_restart(url: str) -> None:
    first = Store(url)
    first.upgrade()
    report = first.add_report(
        ReportIn(
            description="退款诈骗", entities=[{"type": "phone", "value": "13800138000"}]
        )
    )
    _, key = first.create_api_key("ops", "analyst")
    first.close()

    second = Store(url)
    second.upgrade()
    assert second.get_report(report["id"])["description"] == "退款诈骗"
    assert second.authenticate(key).role == "analyst"
    second.close()
