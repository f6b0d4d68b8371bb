"""Batch analytics over carrier records: one feature definition, several engines.

``DuckDBBackend`` is the embedded default, ``SparkBackend`` runs the same SQL on a
cluster, ``PandasBackend`` is the in-memory twin for tests and baselines.
"""

from fanzha.analytics.base import FEATURES, WHOLE_PERIOD, AnalyticsBackend, SqlBackend
from fanzha.analytics.duckdb_backend import DuckDBBackend
from fanzha.analytics.pandas_backend import PandasBackend
from fanzha.analytics.spark_backend import SparkBackend

__all__ = [
    "FEATURES",
    "WHOLE_PERIOD",
    "AnalyticsBackend",
    "DuckDBBackend",
    "PandasBackend",
    "SparkBackend",
    "SqlBackend",
]
