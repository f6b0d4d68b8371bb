"""Row validation of record tables: parse each column, quarantine what fails.

Validation is vectorised over a chunk of rows. A row that fails any check is
quarantined with its line number and the first reason found; the rows beside it
are kept. Duplicates (same key columns as an earlier valid row) are quarantined
too, naming the line they repeat.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from fanzha.calls.schema import (
    DIRECTIONS,
    MONTH_PATTERN,
    NUMBER_PATTERN,
    Column,
    TableSchema,
)
from fanzha.pii import mask_phone


@dataclass(frozen=True)
class QuarantinedRow:
    """One rejected row: where it was, why, and its raw (masked) values."""

    line: int
    reason: str
    raw: dict[str, str]


@dataclass
class ChunkResult:
    """The valid rows of one chunk and the rows it quarantined."""

    frame: pd.DataFrame
    lines: np.ndarray
    quarantined: list[QuarantinedRow] = field(default_factory=list)


ROW_ERROR = "_row_error"
"""Optional column of a raw chunk holding a row-level error (a wrong field count)."""

Parsed = tuple[pd.Series, pd.Series, str]
"""A parsed column, the mask of rows that failed, and the reason template."""


def _blank(raw: pd.Series) -> pd.Series:
    return raw.isna() | (raw.astype(str).str.strip() == "")


def _as_text(raw: pd.Series) -> pd.Series:
    return raw.astype(str).str.strip()


def _parse_number(raw: pd.Series) -> Parsed:
    text = _as_text(raw)
    bad = ~text.str.fullmatch(NUMBER_PATTERN.pattern)
    return text, bad, "malformed number in {col}"


def _parse_direction(raw: pd.Series) -> Parsed:
    text = _as_text(raw).str.lower()
    return text, ~text.isin(DIRECTIONS), "invalid direction (use out or in) in {col}"


def _parse_time(raw: pd.Series) -> Parsed:
    if pd.api.types.is_datetime64_any_dtype(raw):
        parsed = raw
    else:
        parsed = pd.to_datetime(_as_text(raw), errors="coerce", format="ISO8601")
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_localize(None)
    return parsed.astype("datetime64[us]"), parsed.isna(), "unparseable time in {col}"


def _parse_nonnegative(raw: pd.Series, what: str) -> Parsed:
    values = pd.to_numeric(raw, errors="coerce")
    reasons = np.where(
        values.isna(), f"non-numeric {what} in {{col}}", f"negative {what} in {{col}}"
    )
    bad = values.isna() | (values < 0)
    return values, bad, pd.Series(reasons, index=raw.index)  # type: ignore[return-value]


def _parse_month(raw: pd.Series) -> Parsed:
    text = _as_text(raw)
    return (
        text,
        ~text.str.fullmatch(MONTH_PATTERN.pattern),
        "month must be YYYY-MM in {col}",
    )


def _parse_text(raw: pd.Series) -> Parsed:
    text = raw.where(~_blank(raw), None)
    text = text.map(lambda v: None if v is None else str(v).strip())
    return text, pd.Series(False, index=raw.index), ""


_PARSERS: dict[str, Callable[[pd.Series], Parsed]] = {
    "number": _parse_number,
    "direction": _parse_direction,
    "time": _parse_time,
    "seconds": lambda raw: _parse_nonnegative(raw, "duration"),
    "float": lambda raw: _parse_nonnegative(raw, "value"),
    "month": _parse_month,
    "text": _parse_text,
}


def _reason_at(template: str | pd.Series, row: int, col: str) -> str:
    text = template if isinstance(template, str) else str(template.iloc[row])
    return text.format(col=col)


def _mask_raw(raw: dict[str, object]) -> dict[str, str]:
    masked = {}
    for key, value in raw.items():
        text = "" if value is None or value is pd.NaT else str(value)
        masked[key] = mask_phone(text) if key in ("number", "other") else text
    return masked


def validate_chunk(
    raw: pd.DataFrame, lines: np.ndarray, schema: TableSchema
) -> ChunkResult:
    """Validate one chunk of rows of ``schema``'s table.

    Parameters
    ----------
    raw
        The chunk, one column per schema column (missing optional ones absent).
    lines
        The line (CSV) or row (Parquet) number of each row, for the quarantine.
    schema
        The table's schema.
    """
    reasons = pd.Series([None] * len(raw), index=raw.index, dtype=object)
    if ROW_ERROR in raw.columns:
        reasons = raw.pop(ROW_ERROR).astype(object)
    clean: dict[str, pd.Series] = {}
    for column in schema.columns:
        clean[column.name] = _check_column(raw, column, reasons)

    keep = reasons.isna().to_numpy()
    quarantined = [
        QuarantinedRow(
            int(lines[i]), str(reasons.iloc[i]), _mask_raw(raw.iloc[i].to_dict())
        )
        for i in np.flatnonzero(~keep)
    ]
    frame = pd.DataFrame(clean).loc[keep].reset_index(drop=True)
    return ChunkResult(_cast(frame, schema), np.asarray(lines)[keep], quarantined)


def _check_column(raw: pd.DataFrame, column: Column, reasons: pd.Series) -> pd.Series:
    if column.name not in raw.columns:
        return pd.Series([None] * len(raw), index=raw.index, dtype=object)
    values = raw[column.name]
    parsed, bad, template = _PARSERS[column.type](values)
    if column.required:
        missing = _blank(values)
        _record(reasons, missing, f"missing value in {column.name}")
        bad = bad & ~missing
    _record_each(reasons, bad, template, column.name)
    return parsed


def _record(reasons: pd.Series, mask: pd.Series, reason: str) -> None:
    fresh = mask.to_numpy() & reasons.isna().to_numpy()
    reasons.iloc[np.flatnonzero(fresh)] = reason


def _record_each(
    reasons: pd.Series, mask: pd.Series, template: str | pd.Series, col: str
) -> None:
    fresh = np.flatnonzero(mask.to_numpy() & reasons.isna().to_numpy())
    for i in fresh:
        reasons.iloc[i] = _reason_at(template, int(i), col)


def _cast(frame: pd.DataFrame, schema: TableSchema) -> pd.DataFrame:
    for column in schema.columns:
        if column.type == "seconds":
            frame[column.name] = frame[column.name].round().astype("int64")
        elif column.type == "float":
            frame[column.name] = frame[column.name].astype("float64")
    return frame


class DuplicateFilter:
    """Quarantine rows whose key repeats an earlier valid row, across chunks."""

    def __init__(self, key: tuple[str, ...]) -> None:
        self.key = key
        self._first_line: dict[int, int] = {}

    def apply(self, chunk: ChunkResult) -> ChunkResult:
        """Return ``chunk`` without its duplicate rows, which join the quarantine."""
        if chunk.frame.empty:
            return chunk
        lines = chunk.lines
        hashes = pd.util.hash_pandas_object(chunk.frame[list(self.key)], index=False)
        keep = np.ones(len(hashes), dtype=bool)
        for i, value in enumerate(hashes.to_numpy().tolist()):
            first = self._first_line.setdefault(value, int(lines[i]))
            if first != int(lines[i]):
                keep[i] = False
                raw = _mask_raw(chunk.frame.iloc[i].to_dict())
                chunk.quarantined.append(
                    QuarantinedRow(int(lines[i]), f"duplicate of line {first}", raw)
                )
        chunk.frame = chunk.frame.loc[keep].reset_index(drop=True)
        chunk.lines = lines[keep]
        return chunk
