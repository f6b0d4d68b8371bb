"""The record schema of call, SMS, data/app usage and billing records.

Records are subscriber-centric, as carriers keep them: every row belongs to one
subscriber ``number`` and names the ``other`` party and the ``direction`` seen from
that subscriber (``out``: the subscriber called or texted, ``in``: the subscriber
was called or texted). Device and SIM columns (``imei``, ``imsi``) and the serving
cell describe the subscriber's side. Times are local wall-clock times without a
zone; durations are whole seconds.

=========  ==========================================================================
table      columns (required first, then optional)
=========  ==========================================================================
calls      number, other, direction, start_time, duration_s | cell_id, location,
           imei, imsi
sms        number, other, direction, time
app        number, app, month, flow_mb
billing    number, month, spend
=========  ==========================================================================

``month`` is ``YYYY-MM``; ``flow_mb`` is megabytes of mobile data used by ``app``
in that month; ``spend`` is the monthly bill (ARPU) in yuan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

ColumnType = Literal["number", "text", "direction", "time", "seconds", "month", "float"]

NUMBER_PATTERN = re.compile(r"^\+?\d{1,15}$")
"""A phone number or an opaque numeric subscriber id: 1 to 15 digits, optional +."""

MONTH_PATTERN = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
DIRECTIONS = ("out", "in")


@dataclass(frozen=True)
class Column:
    """One column of a record table: its name, type and whether it is required."""

    name: str
    type: ColumnType
    required: bool = True
    description: str = ""


@dataclass(frozen=True)
class TableSchema:
    """The columns of one record table and the columns that identify a row."""

    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]

    @property
    def required(self) -> tuple[str, ...]:
        """Names of the columns every file must have."""
        return tuple(c.name for c in self.columns if c.required)

    @property
    def names(self) -> tuple[str, ...]:
        """Names of every column, required first."""
        return tuple(c.name for c in self.columns)


CALLS = TableSchema(
    "calls",
    (
        Column("number", "number", description="the subscriber"),
        Column("other", "number", description="the other party"),
        Column("direction", "direction", description="out or in, seen from number"),
        Column("start_time", "time", description="when the call started"),
        Column("duration_s", "seconds", description="talk time in seconds, >= 0"),
        Column("cell_id", "text", False, "serving cell of the subscriber"),
        Column("location", "text", False, "city or county of the serving cell"),
        Column("imei", "text", False, "handset (device) identity"),
        Column("imsi", "text", False, "SIM card identity"),
    ),
    key=("number", "other", "direction", "start_time"),
)

SMS = TableSchema(
    "sms",
    (
        Column("number", "number"),
        Column("other", "number"),
        Column("direction", "direction"),
        Column("time", "time"),
    ),
    key=("number", "other", "direction", "time"),
)

APP = TableSchema(
    "app",
    (
        Column("number", "number"),
        Column("app", "text"),
        Column("month", "month"),
        Column("flow_mb", "float", description="megabytes used, >= 0"),
    ),
    key=("number", "app", "month"),
)

BILLING = TableSchema(
    "billing",
    (
        Column("number", "number"),
        Column("month", "month"),
        Column("spend", "float", description="monthly bill in yuan"),
    ),
    key=("number", "month"),
)

TABLES: dict[str, TableSchema] = {t.name: t for t in (CALLS, SMS, APP, BILLING)}
