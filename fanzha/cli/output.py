"""Output formats of the CLI: ``--format table`` (Rich) or ``--format json``."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Any

from rich.console import Console
from rich.table import Table

console = Console()
err_console = Console(stderr=True)


class OutputFormat(StrEnum):
    """Named output formats accepted by ``--format``."""

    table = "table"
    json = "json"


def emit(data: Any, fmt: OutputFormat, title: str | None = None) -> None:
    """Print ``data`` (a dict or a list of dicts) in the chosen format."""
    if fmt is OutputFormat.json:
        print(json.dumps(data, ensure_ascii=False, default=str, indent=2))
        return
    if isinstance(data, list):
        console.print(_rows_table(data, title))
    else:
        console.print(_mapping_table(data, title))


def _rows_table(rows: list[dict[str, Any]], title: str | None) -> Table:
    table = Table(title=title)
    columns = list(rows[0]) if rows else []
    for column in columns:
        table.add_column(str(column))
    for row in rows:
        table.add_row(*(_cell(row.get(c)) for c in columns))
    return table


def _mapping_table(data: dict[str, Any], title: str | None) -> Table:
    table = Table(title=title, show_header=False)
    table.add_column("key", style="bold")
    table.add_column("value")
    for key, value in data.items():
        table.add_row(str(key), _cell(value))
    return table


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4f}"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, default=str)
    return "" if value is None else str(value)
