"""The DuckDB back-end: the embedded default, out-of-core with bounded memory.

Large feature jobs (:meth:`DuckDBBackend.write_features`) are split by number:
the calls are hashed into buckets once (Arrow files in the spill directory), and
the feature SQL runs on each bucket, small enough to stay in memory. A
number's features depend only on its own calls, except the IMEI load
(``sql/imei_load.sql``), which is computed once over all calls first.
"""

from __future__ import annotations

import logging
import math
import re
import tempfile
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from functools import partial
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
from fanzha.calls.schema import CALLS, TableSchema
from fanzha.errors import MissingDependencyError

logger = logging.getLogger(__name__)

# Spark's function names, so that one SQL text runs on both engines.
SPARK_MACROS = (
    "CREATE OR REPLACE MACRO unix_timestamp(ts) AS CAST(epoch(ts) AS BIGINT)",
    "CREATE OR REPLACE MACRO shiftleft(a, n) AS a << n",
)

BYTES_PER_CALL = 400
"""Memory budget per call of one bucket's feature query, in bytes.

Measured (DuckDB 2.0, daily windows, one thread): about 260 bytes per call at
peak without spilling; the margin covers a second thread and skewed buckets.
"""

CALLS_PER_BUCKET = 2_000_000
"""Calls per bucket at most: smaller hash tables stay in cache (measured on 15 M
calls, one thread: 2.7 CPU µs per call in buckets of 5 M, 2.4 at 2.5 M, 2.1 at
1.25 M), while every bucket adds a little fixed work."""

BATCH_ROWS = 1 << 20
SPLIT_BATCH_ROWS = 1 << 21

_UNITS = {"": 1, "b": 1, "k": 10**3, "m": 10**6, "g": 10**9, "t": 10**12}


def memory_bytes(limit: str) -> int:
    """Parse a DuckDB memory size such as ``"6GB"`` or ``"512MiB"`` into bytes."""
    match = re.fullmatch(r"\s*([\d.]+)\s*([kmgt]?)(i?)b?\s*", limit.lower())
    if not match:
        raise ValueError(f"memory limit {limit!r}: write it like 4GB or 512MB")
    number, unit, binary = match.groups()
    scale = 1024 ** "bkmgt".index(unit or "b") if binary else _UNITS[unit]
    return int(float(number) * scale)


def buckets_for(n_calls: int, memory_limit: str, workers: int = 1) -> int:
    """How many number buckets keep each bucket's query in ``memory_limit``.

    One bucket (a single query) when the calls fit; otherwise buckets of at
    most :data:`CALLS_PER_BUCKET` calls, fewer when memory is tighter. ``workers``
    buckets run at a time and share the memory.
    """
    fit = max(memory_bytes(memory_limit) // (BYTES_PER_CALL * max(workers, 1)), 1)
    if n_calls <= fit * max(workers, 1):
        return 1
    return math.ceil(n_calls / min(fit, CALLS_PER_BUCKET))


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
        fails instead of filling the disk. The bucket files of
        :meth:`write_features` (about the size of the calls, uncompressed) go
        to ``temp_dir`` as well but are not counted in it.

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
        self.memory_limit = memory_limit
        self.temp_dir = Path(temp_dir) if temp_dir else None
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
        buckets: int | None = None,
    ) -> int:
        """Write the features straight to one Parquet file; return the row count.

        For data far larger than memory: the rows never pass through pandas, and
        the work is split into ``buckets`` by a hash of the number (default:
        :func:`buckets_for` the number of calls, ``memory_limit`` and threads)
        so that no bucket spills to disk; as many buckets run at a time as the
        connection has threads. Columns and types are those of
        :meth:`number_features`; rows are in no particular order.
        """
        self.register_tables(tables)
        self.register_views(window_s)
        n_calls = int(self._con.execute("SELECT COUNT(*) FROM calls").fetchone()[0])
        workers = self._threads()
        buckets = buckets or buckets_for(n_calls, self.memory_limit, workers)
        select = self._output_select(window_s, short_s)
        if buckets == 1:
            target = _quote(path)
            self._con.execute(f"COPY ({select}) TO '{target}' (FORMAT parquet)")
            rows = self._con.execute(f"SELECT COUNT(*) FROM read_parquet('{target}')")
            return int(rows.fetchone()[0])
        logger.info(
            "features by number bucket calls=%d buckets=%d workers=%d",
            n_calls,
            buckets,
            workers,
        )
        self._con.execute(
            "CREATE OR REPLACE TABLE imei_load_all AS SELECT * FROM imei_load"
        )
        self.register_query("imei_load", "SELECT * FROM imei_load_all")
        try:
            with tempfile.TemporaryDirectory(
                prefix="fanzha-buckets-", dir=self.temp_dir
            ) as scratch:
                files = self._split_calls(buckets, Path(scratch))
                return self._write_buckets(files, select, Path(path), workers)
        finally:
            self._drop("imei_load")
            self._drop("imei_load_all")

    def _output_select(self, window_s: int, short_s: int) -> str:
        columns = ", ".join(
            f"CAST({name} AS {'BIGINT' if name in INTEGER_FEATURES else 'DOUBLE'})"
            f" AS {name}"
            for name in FEATURES
        )
        features = render_sql(window_s, short_s)
        return f"SELECT number, window_id, {columns} FROM ({features}\n)"

    def _split_calls(self, buckets: int, folder: Path) -> list[Path]:
        """Write the calls as one Arrow file per bucket of ``hash(number)``."""
        import pyarrow as pa
        import pyarrow.compute as pc
        import pyarrow.ipc as ipc

        columns = ", ".join(CALLS.names)
        reader = self._con.sql(
            f"SELECT {columns}, hash(number) % {buckets} AS bucket FROM calls"
        ).to_arrow_reader(SPLIT_BATCH_ROWS)
        schema = reader.schema.remove(reader.schema.get_field_index("bucket"))
        files = [folder / f"bucket-{k:04d}.arrow" for k in range(buckets)]
        writers = [ipc.new_file(str(f), schema) for f in files]
        try:
            for batch in reader:
                ids = batch.column(len(schema))
                ordered = batch.take(pc.sort_indices(ids))
                start = 0
                counts = pc.value_counts(ids).to_pylist()
                for item in sorted(counts, key=lambda count: count["values"]):
                    part = ordered.slice(start, item["counts"])
                    start += item["counts"]
                    writers[item["values"]].write_batch(
                        pa.RecordBatch.from_arrays(part.columns[:-1], schema=schema)
                    )
        finally:
            for writer in writers:
                writer.close()
        return files

    def _write_buckets(
        self, files: list[Path], select: str, path: Path, workers: int
    ) -> int:
        """Run ``select`` on each bucket file and append the rows to ``path``.

        ``workers`` buckets run at a time, each query on one thread: on small
        buckets that costs less CPU than one query spread over every thread.
        """
        import pyarrow.parquet as pq

        rows, writer = 0, None
        self._con.execute("SET threads = 1")
        try:
            with ThreadPoolExecutor(max_workers=workers) as pool:
                for table in pool.map(partial(self._bucket_features, select), files):
                    if writer is None:
                        writer = pq.ParquetWriter(str(path), table.schema)
                    writer.write_table(table)
                    rows += table.num_rows
        finally:
            self._con.execute(f"SET threads = {workers}")
            if writer is not None:
                writer.close()
        return rows

    def _bucket_features(self, select: str, file: Path) -> Any:
        """The features of one bucket file (memory-mapped Arrow), as Arrow."""
        import pyarrow as pa
        import pyarrow.ipc as ipc

        cursor = self._con.cursor()
        try:
            calls = ipc.open_file(pa.memory_map(str(file))).read_all()
            cursor.register("calls_bucket", calls)
            # A temporary view shadows the shared ``calls`` for this cursor only.
            cursor.execute("CREATE TEMP VIEW calls AS SELECT * FROM calls_bucket")
            return cursor.sql(select).to_arrow_table()
        finally:
            cursor.close()

    def _threads(self) -> int:
        setting = self._con.execute("SELECT current_setting('threads')").fetchone()
        return max(int(setting[0]), 1)

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

    def register_query(self, name: str, sql: str) -> None:
        """Create ``name`` as a view of ``sql``."""
        self._drop(name)
        self._con.execute(f"CREATE VIEW {name} AS {sql}")

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


def _quote(path: str | Path) -> str:
    """A path as the inside of a SQL string literal."""
    return str(Path(path)).replace("'", "''")
