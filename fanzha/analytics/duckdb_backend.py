"""The DuckDB back-end: the embedded default, out-of-core with bounded memory."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pandas as pd

from fanzha.analytics.base import (
    Source,
    SqlBackend,
    create_table_ddl,
    parquet_paths,
)
from fanzha.calls.schema import TableSchema
from fanzha.errors import MissingDependencyError

logger = logging.getLogger(__name__)

# Spark's name for epoch seconds, so that one SQL text runs on both engines.
EPOCH_MACRO = "CREATE OR REPLACE MACRO unix_timestamp(ts) AS CAST(epoch(ts) AS BIGINT)"


class DuckDBBackend(SqlBackend):
    """Compute features with an in-process DuckDB connection.

    Parameters
    ----------
    memory_limit
        DuckDB's memory cap, e.g. ``"4GB"``; larger work spills to ``temp_dir``.
    threads
        Worker threads; ``None`` lets DuckDB use every core.
    temp_dir
        Where DuckDB spills intermediate results.

    Examples
    --------
    >>> from fanzha.calls.simulator import CallSimulator, SimulationConfig
    >>> calls = CallSimulator(SimulationConfig(n_users=100, days=1)).calls()
    >>> features = DuckDBBackend().number_features({"calls": calls})
    >>> int(features["n_calls"].sum()) == len(calls)
    True
    """

    name = "duckdb"

    def __init__(
        self,
        memory_limit: str = "4GB",
        threads: int | None = None,
        temp_dir: str | Path | None = None,
    ) -> None:
        try:
            import duckdb
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise MissingDependencyError("duckdb", "analytics") from exc
        self._con: Any = duckdb.connect()
        self._con.execute(f"SET memory_limit = '{memory_limit}'")
        self._con.execute("SET enable_progress_bar = false")
        if threads:
            self._con.execute(f"SET threads = {int(threads)}")
        if temp_dir:
            self._con.execute(f"SET temp_directory = '{Path(temp_dir)}'")
        self._con.execute(EPOCH_MACRO)

    def register(self, name: str, source: Source) -> None:
        """Expose a DataFrame or Parquet file(s) as the view ``name``."""
        self._con.execute(f"DROP VIEW IF EXISTS {name}")
        self._con.execute(f"DROP TABLE IF EXISTS {name}")
        if isinstance(source, pd.DataFrame):
            self._con.register(f"{name}_frame", source)
            self._con.execute(f"CREATE VIEW {name} AS SELECT * FROM {name}_frame")
            return
        files = ", ".join(f"'{p}'" for p in parquet_paths(source))
        self._con.execute(
            f"CREATE VIEW {name} AS SELECT * FROM read_parquet([{files}])"
        )

    def register_empty(self, name: str, schema: TableSchema) -> None:
        """Create ``name`` as an empty typed table."""
        self._con.execute(f"DROP VIEW IF EXISTS {name}")
        self._con.execute(
            f"CREATE OR REPLACE TABLE {name} ({create_table_ddl(schema)})"
        )

    def query(self, sql: str) -> pd.DataFrame:
        """Run ``sql`` and fetch the result into pandas."""
        return self._con.sql(sql).df()  # type: ignore[no-any-return]

    def close(self) -> None:
        """Close the connection."""
        self._con.close()
