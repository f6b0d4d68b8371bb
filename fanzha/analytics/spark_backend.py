"""The Spark back-end: the same feature SQL on a local or remote Spark cluster."""

from __future__ import annotations

import logging
from typing import Any

import pandas as pd

from fanzha.analytics.base import Source, SqlBackend, create_table_ddl, parquet_paths
from fanzha.calls.schema import TableSchema
from fanzha.errors import MissingDependencyError

logger = logging.getLogger(__name__)

LOCAL_CONFIG = {
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.shuffle.partitions": "4",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.execution.arrow.pyspark.enabled": "true",
    "spark.sql.ansi.enabled": "false",
}


class SparkBackend(SqlBackend):
    """Compute features with Spark SQL.

    Parameters
    ----------
    master
        ``local[2]`` for a local session, or a cluster URL such as
        ``spark://host:7077``.
    config
        Extra Spark settings; the session time zone is UTC so that windows match
        DuckDB's.
    session
        An existing ``SparkSession`` to use instead of building one.
    """

    name = "spark"

    def __init__(
        self,
        master: str = "local[2]",
        config: dict[str, str] | None = None,
        session: Any = None,
    ) -> None:
        try:
            from pyspark.sql import SparkSession
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise MissingDependencyError("pyspark", "spark") from exc
        if session is None:
            builder = SparkSession.builder.master(master).appName("fanzha")
            for key, value in {**LOCAL_CONFIG, **(config or {})}.items():
                builder = builder.config(key, value)
            session = builder.getOrCreate()
            session.sparkContext.setLogLevel("ERROR")
            logger.info("spark session started master=%s", master)
        self.spark = session

    def register(self, name: str, source: Source) -> None:
        """Expose a DataFrame or Parquet file(s) as the temporary view ``name``."""
        if isinstance(source, pd.DataFrame):
            frame = self.spark.createDataFrame(_plain(source))
        else:
            frame = self.spark.read.parquet(*parquet_paths(source))
        frame.createOrReplaceTempView(name)

    def register_empty(self, name: str, schema: TableSchema) -> None:
        """Create ``name`` as an empty typed view."""
        self.spark.createDataFrame(
            [], create_table_ddl(schema)
        ).createOrReplaceTempView(name)

    def register_query(self, name: str, sql: str) -> None:
        """Expose the result of ``sql`` as the temporary view ``name``."""
        self.spark.sql(sql).createOrReplaceTempView(name)

    def query(self, sql: str) -> pd.DataFrame:
        """Run ``sql`` on the cluster and collect the result into pandas."""
        return self.spark.sql(sql).toPandas()  # type: ignore[no-any-return]

    def close(self) -> None:
        """Stop the Spark session."""
        self.spark.stop()


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    # Spark's Arrow conversion wants plain object strings, not pandas' str dtype.
    frame = frame.copy()
    for column in frame.columns:
        if pd.api.types.is_string_dtype(frame[column]):
            frame[column] = (
                frame[column].astype(object).where(frame[column].notna(), None)
            )
    return frame
