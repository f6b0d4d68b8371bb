r"""CSV and Parquet loaders for record tables, with a quarantine for bad rows.

A file with a missing required column cannot be read at all and raises
``ValidationError`` naming the columns. Otherwise every row is checked: rows with
an unparseable time, a negative duration, a malformed number, a wrong field count
or a duplicate key are quarantined with their line number and reason, and the
valid rows are returned. Nothing is dropped silently: :class:`LoadReport` counts
every row read, loaded and quarantined.

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "calls.csv").write_text(
...     "number,other,direction,start_time,duration_s\n"
...     "13800000001,13900000002,out,2024-05-01 10:00:00,30\n"
...     "13800000001,13900000003,out,not a time,30\n")
>>> frame, report = load_records(folder / "calls.csv")
>>> len(frame), report.counts()
(1, {'unparseable time in start_time': 1})
"""

from __future__ import annotations

import csv
import logging
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from fanzha.calls.schema import TABLES, TableSchema
from fanzha.calls.validation import (
    ROW_ERROR,
    ChunkResult,
    DuplicateFilter,
    QuarantinedRow,
    validate_chunk,
)
from fanzha.errors import UnknownKindError, UnsupportedFormatError, ValidationError

logger = logging.getLogger(__name__)

CHUNK_ROWS = 200_000


@dataclass
class LoadReport:
    """What a load read, kept and quarantined."""

    table: str
    source: str
    rows_read: int = 0
    rows_loaded: int = 0
    quarantined: list[QuarantinedRow] = field(default_factory=list)
    missing_optional: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Return ``{reason: rows}``; duplicates count under ``duplicate``."""
        reasons = (
            "duplicate" if q.reason.startswith("duplicate") else q.reason
            for q in self.quarantined
        )
        return dict(Counter(reasons))

    def summary(self) -> dict[str, Any]:
        """Return a JSON-ready summary with the first quarantined lines."""
        return {
            "table": self.table,
            "source": self.source,
            "rows_read": self.rows_read,
            "rows_loaded": self.rows_loaded,
            "quarantined": len(self.quarantined),
            "reasons": self.counts(),
            "missing_optional": self.missing_optional,
            "first_lines": [(q.line, q.reason) for q in self.quarantined[:10]],
        }

    def write_quarantine(self, path: str | Path) -> Path:
        """Write the quarantined rows (line, reason, masked raw values) as CSV."""
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        rows = [{"line": q.line, "reason": q.reason, **q.raw} for q in self.quarantined]
        pd.DataFrame(rows, columns=None if rows else ["line", "reason"]).to_csv(
            target, index=False
        )
        return target


def load_records(
    path: str | Path,
    table: str = "calls",
    rename: Mapping[str, str] | None = None,
    defaults: Mapping[str, str] | None = None,
) -> tuple[pd.DataFrame, LoadReport]:
    """Load a CSV or Parquet file of ``table`` records, quarantining bad rows.

    Parameters
    ----------
    path
        A ``.csv`` or ``.parquet`` file.
    table
        ``calls``, ``sms``, ``app`` or ``billing`` (see ``fanzha.calls.schema``).
    rename
        Maps the file's column names to the schema's, for foreign layouts.
    defaults
        Values for required columns the file lacks (e.g. ``direction="out"``).

    Returns
    -------
    The valid rows with typed columns, and the report of what was quarantined.
    """
    schema = _schema(table)
    source = Path(path)
    report = LoadReport(table, str(source))
    dedupe = DuplicateFilter(schema.key)
    frames = []
    for raw, lines in _chunks(source):
        raw = _prepare(raw, schema, report, rename or {}, defaults or {})
        result = dedupe.apply(validate_chunk(raw, lines, schema))
        _account(report, result, len(raw))
        frames.append(result.frame)

    frame = pd.concat(frames, ignore_index=True) if frames else _empty(schema)
    report.quarantined.sort(key=lambda q: q.line)
    logger.info(
        "records loaded table=%s source=%s rows=%d quarantined=%d",
        table,
        source.name,
        report.rows_loaded,
        len(report.quarantined),
    )
    return frame, report


def _schema(table: str) -> TableSchema:
    if table not in TABLES:
        raise UnknownKindError(
            f"unknown record table {table!r}; known: {', '.join(TABLES)}"
        )
    return TABLES[table]


def _account(report: LoadReport, result: ChunkResult, n_raw: int) -> None:
    report.rows_read += n_raw
    report.rows_loaded += len(result.frame)
    report.quarantined.extend(result.quarantined)


def _prepare(
    raw: pd.DataFrame,
    schema: TableSchema,
    report: LoadReport,
    rename: Mapping[str, str],
    defaults: Mapping[str, str],
) -> pd.DataFrame:
    raw = raw.rename(columns=dict(rename))
    for name, value in defaults.items():
        if name not in raw.columns:
            raw[name] = value
    missing = [c for c in schema.required if c not in raw.columns]
    if missing:
        raise ValidationError(
            f"{report.source} lacks the required column(s) {', '.join(missing)} of "
            f"the {schema.name} table; expected columns: {', '.join(schema.names)}",
            record="header",
        )
    absent = [c for c in schema.names if c not in raw.columns]
    if absent and not report.missing_optional:
        report.missing_optional = absent
    return raw


def _chunks(path: Path) -> Iterator[tuple[pd.DataFrame, np.ndarray]]:
    if not path.is_file():
        raise ValidationError(f"{path} does not exist; pass an existing records file")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _csv_chunks(path)
    if suffix in (".parquet", ".pq"):
        return _parquet_chunks(path)
    raise UnsupportedFormatError(f"{path.name}: records must be .csv or .parquet files")


def _csv_chunks(path: Path) -> Iterator[tuple[pd.DataFrame, np.ndarray]]:
    with open(path, newline="", encoding="utf-8-sig") as fh:
        reader = csv.reader(fh)
        header = [h.strip() for h in next(reader, [])]
        columns = [*header, ROW_ERROR]
        rows: list[list[str | None]] = []
        lines: list[int] = []
        for row in reader:
            rows.append(_fit_row(row, len(header)))
            lines.append(reader.line_num)
            if len(rows) >= CHUNK_ROWS:
                yield pd.DataFrame(rows, columns=columns, dtype=object), np.array(lines)
                rows, lines = [], []
        if rows or not lines:
            yield (
                pd.DataFrame(rows, columns=columns, dtype=object),
                np.array(lines, int),
            )


def _fit_row(row: list[str], width: int) -> list[str | None]:
    # A ragged row is padded or cut to the header and quarantined for its width.
    if len(row) == width:
        return [*row, None]
    error = f"expected {width} fields, got {len(row)}"
    return [*(row + [""] * width)[:width], error]


def _parquet_chunks(path: Path) -> Iterator[tuple[pd.DataFrame, np.ndarray]]:
    import pyarrow.parquet as pq

    offset = 1
    for batch in pq.ParquetFile(path).iter_batches(batch_size=CHUNK_ROWS):
        frame = batch.to_pandas()
        yield frame, np.arange(offset, offset + len(frame))
        offset += len(frame)


def _empty(schema: TableSchema) -> pd.DataFrame:
    return validate_chunk(
        pd.DataFrame(columns=list(schema.names)), np.array([], int), schema
    ).frame
