"""``fanzha score numbers`` (records to verdicts) and ``fanzha simulate calls``."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from fanzha.cli.main import FormatOption, score_app, simulate_app
from fanzha.cli.output import OutputFormat, emit, err_console
from fanzha.pii import mask_phone
from fanzha.verdict import Verdict


class Layout(StrEnum):
    """Column layouts ``score numbers`` reads."""

    calls = "calls"
    callmine = "callmine"


def _entity(verdict: Verdict) -> Any:
    from pydantic import ValidationError as PydanticError

    from fanzha.errors import FanzhaError
    from fanzha.storage import EntityRef

    try:
        return EntityRef(type="phone", value=verdict.item_id or "")
    except (PydanticError, FanzhaError):
        return None  # an opaque subscriber id, kept as the verdict's item_ref


def _store_verdicts(verdicts: list[Verdict], database_url: str | None) -> list[int]:
    from fanzha.cli.db_commands import open_store

    store = open_store(database_url)
    store.upgrade()
    return store.add_verdicts(
        verdicts, kind="calls", entities=[_entity(v) for v in verdicts], actor="cli"
    )


def _row(verdict: Verdict) -> dict[str, Any]:
    top = verdict.top_evidence(3)
    return {
        "number": mask_phone(verdict.item_id or ""),
        "detector": verdict.detector,
        "risk": round(verdict.risk, 4),
        "rules": ", ".join(e.name for e in top),
        "values": "; ".join(str(e.value) for e in top),
    }


@score_app.command("numbers")
def score_numbers(
    records: Annotated[
        Path, typer.Argument(help="Calls file (CSV/Parquet) or folder.")
    ],
    layout: Annotated[Layout, typer.Option(help="Column layout of the calls.")] = (
        Layout.calls
    ),
    window_s: Annotated[
        int, typer.Option(help="Feature window in seconds; 0: all.")
    ] = 0,
    store: Annotated[bool, typer.Option(help="Store the verdicts.")] = True,
    store_all: Annotated[bool, typer.Option(help="Store normal verdicts too.")] = False,
    risk_model: Annotated[
        bool,
        typer.Option(
            help="Also score each number with the learned number-risk model "
            "(needs months of records, like its training data)."
        ),
    ] = False,
    quarantine: Annotated[
        Path | None, typer.Option(help="Write quarantined rows to this CSV.")
    ] = None,
    database_url: Annotated[str | None, typer.Option(help="Store URL.")] = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Score every number in call records with the GoIP and robocall detectors.

    With --risk-model, the records are also turned into the Sichuan layout and
    scored by the learned number-risk model.
    """
    from fanzha.analytics.base import WHOLE_PERIOD
    from fanzha.calls.pipeline import CALLMINE_COLUMNS, score_records

    rename = CALLMINE_COLUMNS if layout is Layout.callmine else None
    defaults = {"direction": "out"} if layout is Layout.callmine else None
    columns = (TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err_console, transient=True) as bar:
        task = bar.add_task("load", total=4)

        def step(name: str, done: int, total: int) -> None:
            bar.update(task, description=name, completed=done)

        result = score_records(
            records,
            window_s=window_s or WHOLE_PERIOD,
            rename=rename,
            defaults=defaults,
            progress=step,
            risk_model=risk_model,
        )
        kept = result.verdicts if store_all else result.flagged()
        bar.update(task, description="store", completed=3)
        ids = _store_verdicts(kept, database_url) if store and kept else []
        bar.update(task, completed=4)

    if quarantine is not None:
        for load in result.loads:
            load.write_quarantine(
                quarantine.with_name(
                    f"{quarantine.stem}-{load.table}{quarantine.suffix or '.csv'}"
                )
            )
    loads = [load.summary() for load in result.loads]
    emit(
        {
            **result.summary(),
            **({"loads": loads} if fmt is OutputFormat.json else {}),
            "stored": len(ids),
            "flagged_numbers": [_row(v) for v in result.flagged()[:50]],
        },
        fmt,
        title="score numbers",
    )


@simulate_app.command("calls")
def simulate_calls(
    out: Annotated[Path, typer.Argument(help="Folder to write Parquet files into.")],
    users: Annotated[int, typer.Option(help="Ordinary users.")] = 1000,
    days: Annotated[int, typer.Option(help="Days of traffic.")] = 7,
    gateways: Annotated[int, typer.Option(help="GoIP / SIM-box gateways.")] = 2,
    robocallers: Annotated[int, typer.Option(help="Robocallers.")] = 5,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Write simulated calls, SMS, app usage, billing and the ground truth."""
    from fanzha.calls.simulator import CallSimulator, SimulationConfig

    config = SimulationConfig(
        n_users=users,
        days=days,
        n_gateways=gateways,
        n_robocallers=robocallers,
        seed=seed,
    )
    summary = CallSimulator(config).write_parquet(out)
    emit(
        {k: v for k, v in summary.items() if k != "config"}, fmt, title="simulate calls"
    )
