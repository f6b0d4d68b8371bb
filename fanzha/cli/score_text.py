"""``fanzha score text``: score one message or a whole file of messages."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from fanzha.cli.main import FormatOption, score_app
from fanzha.cli.output import OutputFormat, emit, err_console
from fanzha.errors import FanzhaError


def _detector(model: Path | None) -> Any:
    from fanzha.detectors.text.model_detector import ModelTextDetector, load_default
    from fanzha.settings import load_settings

    if model is not None:
        return ModelTextDetector.load(model)
    return load_default(load_settings().models_dir or None)


def _count_lines(path: Path) -> int:
    with open(path, "rb") as fh:
        return max(0, sum(1 for _ in fh) - (path.suffix.lower() == ".csv"))


def _score_file(detector: Any, path: Path) -> Any:
    from fanzha.detectors.text.batch import score_file

    total = _count_lines(path) if path.suffix != ".parquet" else None
    columns = (
        TextColumn("scoring"),
        BarColumn(),
        TextColumn("{task.completed} rows"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err_console, transient=True) as progress:
        task = progress.add_task("score", total=total)
        return score_file(detector, path, lambda n: progress.advance(task, n))


@score_app.command("text")
def score_text(
    message: Annotated[str | None, typer.Argument(help="The message to score.")] = None,
    file: Annotated[
        Path | None,
        typer.Option(
            "--file", help="A .csv, .jsonl or .parquet file with a 'text' field."
        ),
    ] = None,
    model: Annotated[
        Path | None,
        typer.Option(help="Trained model folder; default: the shipped one."),
    ] = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Label messages normal, ad, illegal or fraud, with scenario and evidence."""
    from fanzha.detectors.text.batch import verdict_row

    if (message is None) == (file is None):
        raise FanzhaError("give either a MESSAGE or --file, not both and not neither")
    detector = _detector(model)
    if message is not None:
        emit(verdict_row(detector.score(message)), fmt, title="text verdict")
        return
    assert file is not None
    if not file.is_file():
        raise FanzhaError(f"file {file} does not exist; pass an existing --file")
    result = _score_file(detector, file)
    rows = [verdict_row(v, line) for line, v in result.scored]
    bad = [{"line": p.line, "reason": p.reason} for p in result.problems]
    if fmt is OutputFormat.json:
        emit({"verdicts": rows, "bad_rows": bad}, fmt)
    else:
        emit(rows, fmt, title=f"{len(rows)} messages scored")
    for problem in bad:
        err_console.print(
            f"line {problem['line']}: {problem['reason']}", highlight=False
        )
