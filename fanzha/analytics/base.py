"""The analytics back-end contract: record tables in, features per number out.

A back-end runs the feature definitions of ``fanzha/analytics/sql`` on an engine.
The SQL is written once; :class:`SqlBackend` feeds it to DuckDB or Spark SQL, and
:class:`~fanzha.analytics.pandas_backend.PandasBackend` is the in-memory twin that
computes the same features with pandas (for tests and as a baseline).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import ClassVar, TypeAlias

import pandas as pd

from fanzha.calls.schema import TABLES, TableSchema
from fanzha.errors import UnknownKindError

Source: TypeAlias = pd.DataFrame | str | Path | Sequence[str | Path]
"""A table: a validated DataFrame, or Parquet file(s) already in the schema."""

WHOLE_PERIOD = 10**12
"""A window length (seconds) that puts every record into window 0."""

SQL_TYPES = {
    "number": "STRING",
    "text": "STRING",
    "direction": "STRING",
    "month": "STRING",
    "time": "TIMESTAMP",
    "seconds": "BIGINT",
    "float": "DOUBLE",
}

FEATURES: tuple[str, ...] = (
    "n_calls",
    "n_out",
    "n_in",
    "out_ratio",
    "distinct_callees",
    "distinct_callers",
    "new_callees",
    "new_callee_share",
    "callback_rate",
    "calls_per_callee",
    "short_call_share",
    "dur_mean",
    "dur_std",
    "dur_max",
    "dur_cv",
    "night_share",
    "hour_entropy",
    "active_hours",
    "active_days",
    "out_per_day",
    "n_cells",
    "n_locations",
    "n_imei",
    "n_imsi",
    "max_imsi_per_imei",
    "sequential_share",
    "repeat_call_share",
    "repeat_dur_cv",
    "sms_out",
    "sms_in",
    "sms_out_ratio",
    "sms_distinct",
    "app_flow_mb",
    "app_count",
    "app_months",
    "spend_mean",
    "spend_min",
    "spend_max",
)
"""Feature columns, in output order, after the keys ``number`` and ``window_id``."""


INTEGER_FEATURES = frozenset(
    (
        "n_calls",
        "n_out",
        "n_in",
        "distinct_callees",
        "distinct_callers",
        "new_callees",
        "dur_max",
        "active_hours",
        "active_days",
        "n_cells",
        "n_locations",
        "n_imei",
        "n_imsi",
        "max_imsi_per_imei",
        "sms_out",
        "sms_in",
        "sms_distinct",
        "app_count",
        "app_months",
    )
)
"""Features that are counts; every other feature is a float."""


DERIVED_VIEWS = ("call_rows", "imei_load")
"""Views the feature SQL reads besides the record tables, in the order to create."""


@cache
def sql_text(name: str) -> str:
    """Return the text of ``sql/<name>.sql``."""
    return (
        resources.files("fanzha.analytics.sql")
        .joinpath(f"{name}.sql")
        .read_text("utf-8")
    )


def feature_sql() -> str:
    """Return the one SQL text that defines every number feature."""
    return sql_text("number_features")


def render_sql(window_s: int, short_s: int) -> str:
    """Fill the SQL parameters: window length and short-call limit, in seconds."""
    _check(window_s, short_s)
    return feature_sql().format(window_s=int(window_s), short_s=int(short_s))


def render_view(name: str, window_s: int) -> str:
    """Return the query of the derived view ``name`` (see :data:`DERIVED_VIEWS`)."""
    _check(window_s, 1)
    return sql_text(name).format(window_s=int(window_s))


def _check(window_s: int, short_s: int) -> None:
    if window_s <= 0 or short_s <= 0:
        raise ValueError("window_s and short_s must be positive numbers of seconds")


def create_table_ddl(schema: TableSchema) -> str:
    """Return the column list of ``schema`` as SQL DDL (for empty tables)."""
    return ", ".join(f"{c.name} {SQL_TYPES[c.type]}" for c in schema.columns)


def tidy(frame: pd.DataFrame) -> pd.DataFrame:
    """Put feature output in the canonical column order, types and row order."""
    frame = frame[["number", "window_id", *FEATURES]].copy()
    frame["number"] = frame["number"].astype(str)
    for column in frame.columns[1:]:
        integer = column == "window_id" or column in INTEGER_FEATURES
        frame[column] = frame[column].astype("int64" if integer else "float64")
    return frame.sort_values(["number", "window_id"], ignore_index=True)


class AnalyticsBackend(ABC):
    """An engine that computes number features from record tables.

    Parameters of :meth:`number_features`: ``tables`` maps ``calls`` (required),
    ``sms``, ``app`` and ``billing`` to a source; ``window_s`` is the window
    length in seconds (default: the whole period is one window); ``short_s`` is
    the talk time in seconds under which an outgoing call counts as short.
    """

    name: ClassVar[str] = ""

    @abstractmethod
    def number_features(
        self,
        tables: Mapping[str, Source],
        window_s: int = WHOLE_PERIOD,
        short_s: int = 10,
    ) -> pd.DataFrame:
        """Return one row per number and window: ``number, window_id, FEATURES``."""

    def close(self) -> None:  # noqa: B027 - most engines hold nothing to release
        """Release the engine's resources."""


class SqlBackend(AnalyticsBackend):
    """A back-end that runs :func:`feature_sql` on a SQL engine."""

    def number_features(
        self,
        tables: Mapping[str, Source],
        window_s: int = WHOLE_PERIOD,
        short_s: int = 10,
    ) -> pd.DataFrame:
        """Register the tables, run the feature SQL and return the features."""
        self.register_tables(tables)
        self.register_views(window_s)
        return tidy(self.query(render_sql(window_s, short_s)))

    def register_views(self, window_s: int) -> None:
        """Create the derived views (:data:`DERIVED_VIEWS`) over the record tables."""
        for name in DERIVED_VIEWS:
            self.register_query(name, render_view(name, window_s))

    def register_tables(self, tables: Mapping[str, Source]) -> None:
        """Register every record table; the ones not given are empty."""
        if "calls" not in tables:
            raise UnknownKindError("number features need a 'calls' table")
        for name, schema in TABLES.items():
            if name in tables:
                self.register(name, tables[name])
            else:
                self.register_empty(name, schema)

    @abstractmethod
    def register(self, name: str, source: Source) -> None:
        """Make ``source`` queryable as the view ``name``."""

    @abstractmethod
    def register_empty(self, name: str, schema: TableSchema) -> None:
        """Create ``name`` as an empty table with ``schema``'s typed columns."""

    @abstractmethod
    def register_query(self, name: str, sql: str) -> None:
        """Make the result of ``sql`` queryable as the view ``name`` (lazily)."""

    @abstractmethod
    def query(self, sql: str) -> pd.DataFrame:
        """Run ``sql`` and return its result as a DataFrame."""


def parquet_paths(source: str | Path | Sequence[str | Path]) -> list[str]:
    """Expand a file, a folder of ``*.parquet`` files or a list into file paths."""
    items = [source] if isinstance(source, str | Path) else list(source)
    paths: list[str] = []
    for item in map(Path, items):
        paths.extend(
            str(p) for p in sorted(item.glob("*.parquet"))
        ) if item.is_dir() else paths.append(str(item))
    return paths
