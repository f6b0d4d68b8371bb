"""The DuckDB back-end: the embedded default, out-of-core with bounded memory."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from fanzha.analytics.base import (
    FEATURES,
    INTEGER_FEATURES,
    WHOLE_PERIOD,
    Source,
    SqlBackend,
    create_table_ddl,
    parquet_paths,
    render_sql,
)
from fanzha.calls.schema import TableSchema
from fanzha.errors import MissingDependencyError

logger = logging.getLogger(__name__)

# Spark's function names, so that one SQL text runs on both engines.
SPARK_MACROS = (
    "CREATE OR REPLACE MACRO unix_timestamp(ts) AS CAST(epoch(ts) AS BIGINT)",
    "CREATE OR REPLACE MACRO shiftleft(a, n) AS a << n",
)


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
    max_temp_size
        The most disk the spill files may take, e.g. ``"20GB"``; past it the query
        fails instead of filling the disk.

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
        max_temp_size: str = "20GB",
    ) -> None:
        try:
            import duckdb
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise MissingDependencyError("duckdb", "analytics") from exc
        self._con: Any = duckdb.connect()
        self._con.execute(f"SET memory_limit = '{memory_limit}'")
        self._con.execute("SET enable_progress_bar = false")
        self._con.execute(f"SET max_temp_directory_size = '{max_temp_size}'")
        # Row order is restored by tidy(); not keeping it saves memory and time.
        self._con.execute("SET preserve_insertion_order = false")
        if threads:
            self._con.execute(f"SET threads = {int(threads)}")
        if temp_dir:
            self._con.execute(f"SET temp_directory = '{Path(temp_dir)}'")
        for macro in SPARK_MACROS:
            self._con.execute(macro)

    def write_features(
        self,
        tables: Mapping[str, Source],
        path: str | Path,
        window_s: int = WHOLE_PERIOD,
        short_s: int = 10,
    ) -> int:
        """Write the features straight to one Parquet file; return the row count.

        For data far larger than memory: the rows never pass through pandas, so
        memory stays within ``memory_limit``. Columns and types are those of
        :meth:`number_features`; rows are in no particular order.
        """
        self.register_tables(tables)
        columns = ", ".join(
            f"CAST({name} AS {'BIGINT' if name in INTEGER_FEATURES else 'DOUBLE'})"
            f" AS {name}"
            for name in FEATURES
        )
        features = render_sql(window_s, short_s)
        select = f"SELECT number, window_id, {columns} FROM ({features}\n)"
        target = str(Path(path)).replace("'", "''")
        self._con.execute(f"COPY ({select}) TO '{target}' (FORMAT parquet)")
        rows = self._con.execute(f"SELECT COUNT(*) FROM read_parquet('{target}')")
        return int(rows.fetchone()[0])

    def register(self, name: str, source: Source) -> None:
        """Expose a DataFrame or Parquet file(s) as the view ``name``."""
        self._drop(name)
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
        self._drop(name)
        self._con.execute(
            f"CREATE OR REPLACE TABLE {name} ({create_table_ddl(schema)})"
        )

    def _drop(self, name: str) -> None:
        # A name may hold a view or a table from an earlier call on this connection.
        kinds = self._con.execute(
            "SELECT table_type FROM information_schema.tables WHERE table_name = ?",
            [name],
        ).fetchall()
        for (kind,) in kinds:
            self._con.execute(f"DROP {'VIEW' if kind == 'VIEW' else 'TABLE'} {name}")

    def query(self, sql: str) -> pd.DataFrame:
        """Run ``sql`` and fetch the result into pandas."""
        return self._con.sql(sql).df()  # type: ignore[no-any-return]

    def close(self) -> None:
        """Close the connection."""
        self._con.close()
