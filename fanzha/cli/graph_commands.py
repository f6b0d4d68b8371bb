"""``fanzha gangs``, ``fanzha trace`` and ``fanzha simulate reports``.

Gangs from reports, money downstream, and simulated reports to try them on.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TextColumn

from fanzha.cli.main import FormatOption, app, simulate_app
from fanzha.cli.output import OutputFormat, emit, err_console


@app.command()
def gangs(
    reports: Annotated[Path, typer.Option(help="Reports as JSON Lines.")],
    top: Annotated[int, typer.Option(help="Show the N most harmful gangs.")] = 20,
    min_reports: Annotated[int, typer.Option(help="Smallest gang, in reports.")] = 2,
    cpm: Annotated[
        float | None,
        typer.Option(
            help="Leiden resolution; higher: smaller gangs. Default: GangParams.cpm."
        ),
    ] = None,
    unmasked: Annotated[
        bool, typer.Option(help="Show full phone/card numbers.")
    ] = False,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Group reports that share entities into gangs, ranked by total loss."""
    # Imported here: the graph stack (scipy, pandas, igraph) slows every command.
    from fanzha.graph.gangs import GangParams
    from fanzha.graph.service import find_gangs, read_reports_jsonl

    rows, bad = read_reports_jsonl(reports)
    params = GangParams() if cpm is None else GangParams(cpm=cpm)
    result = find_gangs(rows, params, min_reports, bad)
    _warn_quarantine(len(result.quarantine))
    data = result.to_dict(top=top, mask=not unmasked)
    if fmt is OutputFormat.json:
        emit(data, fmt)
        return
    emit(
        [_gang_row(g) for g in data["gangs"]],
        fmt,
        title=f"{data['n_gangs']} gangs from {data['n_reports']} reports",
    )


def _gang_row(gang: dict) -> dict:
    entities = gang["entities"]
    return {
        "rank": gang["rank"],
        "gang": gang["gang_id"],
        "reports": gang["n_reports"],
        "victims": gang["n_victims"],
        "loss": gang["total_loss"],
        "top entities": ", ".join(
            f"{kind}:{vals[0]['value']}"
            for kind, vals in entities.items()
            if not vals[0]["public"]
        )[:80],
    }


@app.command()
def trace(
    transfers: Annotated[
        Path,
        typer.Option(
            help="Transfers CSV (src,dst,amount,at[,transfer_id]) or AMLSim folder."
        ),
    ],
    transfer_id: Annotated[str, typer.Option(help="The victim's transfer id.")],
    max_hops: Annotated[int, typer.Option(help="Hop limit.")] = 6,
    window: Annotated[
        float,
        typer.Option(
            help="Time window after the victim's transfer, in the unit of 'at'."
        ),
    ] = 30 * 86400.0,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Follow a victim's money downstream and list where it ended."""
    from fanzha.graph.service import read_transfers
    from fanzha.graph.trace import TransferIndex, trace_funds

    frame, bad = read_transfers(transfers)
    _warn_quarantine(len(bad))
    result = trace_funds(TransferIndex(frame), transfer_id, max_hops, window).to_dict()
    result["quarantine"] = [vars(q) for q in bad]
    if fmt is OutputFormat.json:
        emit(result, fmt)
        return
    rows = [
        {"account": acct, **info}
        for acct, info in sorted(
            result["terminals"].items(), key=lambda kv: -kv[1]["amount"]
        )
    ]
    emit(
        rows,
        fmt,
        title=f"trace of {transfer_id}: {result['hops']} hops, "
        f"{len(result['edges'])} transfers",
    )


def _warn_quarantine(count: int) -> None:
    if count:
        err_console.print(
            f"[yellow]{count} records quarantined[/yellow] (see "
            "'quarantine' in --format json)"
        )


@simulate_app.command("reports")
def simulate_reports_command(
    out: Annotated[Path, typer.Argument(help="JSON Lines file to write.")],
    reports: Annotated[int, typer.Option(help="Victim reports.")] = 2000,
    gangs: Annotated[
        int | None, typer.Option(help="Gangs; default: one per 33 reports.")
    ] = None,
    mentions: Annotated[
        float, typer.Option(help="Mean extra entities a report names.")
    ] = 1.5,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Write simulated victim reports, and beside them each report's true gang.

    The noise is the documented default (docs/graph.md): garbled entities,
    public decoys and cross-gang mentions. The truth goes to OUT with the
    suffix ``.truth.csv`` (``report_id,gang``).
    """
    from fanzha.graph.simulator import SimParams, simulate_reports, write_jsonl

    params = SimParams(
        n_reports=reports,
        n_gangs=gangs or max(reports // 33, 2),
        mentions_mean=mentions,
        seed=seed,
    )
    truth = out.with_suffix(".truth.csv")
    with Progress(
        TextColumn("writing reports"),
        BarColumn(),
        TextColumn("{task.completed:,}/{task.total:,}"),
        console=err_console,
        transient=True,
    ) as progress:
        task = progress.add_task("reports", total=reports)
        summary = write_jsonl(
            simulate_reports(params),
            out,
            truth,
            on_chunk=lambda done: progress.update(task, completed=done),
        )
    emit(summary, fmt, title="simulate reports")
