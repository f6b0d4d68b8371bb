"""The ``fanzha`` command line: a thin layer over the library.

Each command group lives in its own module and is added here. User mistakes
(``FanzhaError``) print one line on stderr and exit with status 2; nothing
prints a traceback for the user's own error.
"""

from __future__ import annotations

import importlib
import logging
import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from fanzha import __version__
from fanzha.cli.output import OutputFormat, emit, err_console
from fanzha.errors import FanzhaError
from fanzha.registry import evaluation_kinds, evaluator, trainer, training_kinds
from fanzha.settings import SETTINGS, load_settings, settings_markdown

app = typer.Typer(
    name="fanzha",
    help="fanzha (反诈): find and stop telecom and online fraud.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
score_app = typer.Typer(
    help="Score items with the shipped or a trained model.", no_args_is_help=True
)
app.add_typer(score_app, name="score")
simulate_app = typer.Typer(
    help="Generate synthetic data with ground truth.", no_args_is_help=True
)

# Modules that add commands to ``app``, ``score_app`` or ``simulate_app`` when
# imported.
COMMAND_MODULES: tuple[str, ...] = (
    "fanzha.cli.db_commands",
    "fanzha.cli.server_commands",
    "fanzha.cli.score_text",
    "fanzha.cli.links_commands",
    "fanzha.cli.calls_commands",
    "fanzha.cli.graph_commands",
)
app.add_typer(simulate_app, name="simulate")

FormatOption = Annotated[
    OutputFormat, typer.Option("--format", "-f", help="Output format.")
]


def _print_version(value: bool) -> None:
    if value:
        print(__version__)
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            help="Print the version and exit.",
            callback=_print_version,
            is_eager=True,
        ),
    ] = False,
) -> None:
    """Find and stop telecom and online fraud (反诈)."""


@app.command()
def evaluate(
    kind: Annotated[str, typer.Argument(help="What to evaluate, e.g. text, number.")],
    data: Annotated[Path, typer.Option(help="Labelled data in the canonical format.")],
    model: Annotated[
        Path | None,
        typer.Option(help="Trained model folder; default: the shipped one."),
    ] = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Score labelled data and print n, macro_f1, per_label (and auc, ap)."""
    if not data.exists():
        raise FanzhaError(f"data {data} does not exist; pass an existing --data path")
    report = evaluator(kind)(data, model)
    emit(report, fmt, title=f"evaluate {kind}")


@app.command()
def train(
    kind: Annotated[str, typer.Argument(help="What to train, e.g. text, number.")],
    data_dir: Annotated[
        Path, typer.Option(help="The shared data folder with the training sets.")
    ] = Path("../shared/data"),
    out: Annotated[Path | None, typer.Option(help="Where to write the model.")] = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Train a model from the shared data and write it with its model card."""
    if not data_dir.is_dir():
        raise FanzhaError(f"data folder {data_dir} does not exist; pass --data-dir")
    target = out or Path("fanzha-data") / "models" / kind
    summary = trainer(kind)(data_dir, target)
    emit(summary, fmt, title=f"train {kind}")


@app.command()
def kinds(fmt: FormatOption = OutputFormat.table) -> None:
    """List the kinds that evaluate and train accept."""
    emit({"evaluate": evaluation_kinds(), "train": training_kinds()}, fmt)


@app.command("settings")
def show_settings(
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="table, json or markdown (the docs).")
    ] = "table",
) -> None:
    """Show every setting with its resolved value and where to set it."""
    if fmt == "markdown":
        print(settings_markdown(), end="")
        return
    if fmt not in {"table", "json"}:
        raise FanzhaError(f"unknown format {fmt!r}; use table, json or markdown")
    resolved = load_settings()
    rows = [
        {
            "name": s.name,
            "value": "***"
            if s.secret and resolved.values[s.name]
            else resolved.values[s.name],
            "env": s.env_var,
            "help": s.help,
        }
        for s in SETTINGS
    ]
    emit(rows, OutputFormat(fmt), title="settings")


def _load_command_modules() -> None:
    for module in COMMAND_MODULES:
        importlib.import_module(module)


def configure_logging() -> None:
    """Send library logs to stderr at the level from ``FANZHA_LOG_LEVEL``."""
    level = os.environ.get("FANZHA_LOG_LEVEL", "WARNING").upper()
    logging.basicConfig(
        level=getattr(logging, level, logging.WARNING),
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
        stream=sys.stderr,
    )


def main() -> None:
    """Entry point of the ``fanzha`` script."""
    configure_logging()
    _load_command_modules()
    try:
        app()
    except FanzhaError as exc:
        message = Text("error: ", style="red") + Text(str(exc))
        err_console.print(message, highlight=False, soft_wrap=True)
        sys.exit(2)
