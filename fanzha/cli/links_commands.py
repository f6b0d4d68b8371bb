"""``fanzha score url`` and ``fanzha score page``: the links detectors on the CLI."""

from __future__ import annotations

import csv
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import Progress

from fanzha.cli.main import FormatOption, score_app
from fanzha.cli.output import OutputFormat, emit
from fanzha.errors import FanzhaError, ValidationError

BATCH = 5_000
MAX_PAGE_BYTES = 25_000_000


def _row(url: str, verdict: Any) -> dict[str, Any]:
    top = [f"{e.name}={e.weight:+.2f}" for e in verdict.top_evidence(3)]
    return {
        "url": url[:200],
        "label": verdict.label,
        "risk": round(verdict.risk, 4),
        "evidence": ", ".join(top),
    }


def _read_urls(path: Path) -> list[str]:
    if not path.is_file():
        raise FanzhaError(f"{path} does not exist; pass a file of URLs")
    with open(path, newline="", encoding="utf-8", errors="replace") as handle:
        first = handle.readline()
        handle.seek(0)
        if first.strip().lower().split(",")[0] == "url":
            return [row.get("url") or "" for row in csv.DictReader(handle)]
        return [line.strip() for line in handle if line.strip()]


def _score_file(urls: list[str], model: str) -> list[dict[str, Any]]:
    from fanzha.links.service import url_model

    detector = url_model(model)
    rows: list[dict[str, Any]] = []
    with Progress(transient=True) as progress:
        task = progress.add_task("scoring URLs", total=len(urls))
        for start in range(0, len(urls), BATCH):
            rows.extend(_score_chunk(detector, urls[start : start + BATCH], start))
            progress.advance(task, min(BATCH, len(urls) - start))
    return rows


def _score_chunk(detector: Any, urls: list[str], offset: int) -> list[dict[str, Any]]:
    from fanzha.links.urls import parse_url

    rows: list[dict[str, Any] | None] = [None] * len(urls)
    good: list[int] = []
    for index, url in enumerate(urls):
        try:
            parse_url(url)
            good.append(index)
        except ValidationError as exc:
            rows[index] = {
                "url": str(url)[:200],
                "label": "error",
                "risk": None,
                "evidence": f"line {offset + index + 1}: {exc}",
            }
    verdicts = detector.score_batch([urls[i] for i in good])
    for index, verdict in zip(good, verdicts, strict=True):
        rows[index] = _row(urls[index], verdict)
    return [r for r in rows if r is not None]


@score_app.command("url")
def score_url(
    url: Annotated[str | None, typer.Argument(help="One URL to score.")] = None,
    file: Annotated[
        Path | None,
        typer.Option(
            "--file", help="A file of URLs: one per line, or a CSV with a url column."
        ),
    ] = None,
    model: Annotated[
        Path | None, typer.Option(help="Model folder; default: shipped.")
    ] = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Score URLs as benign, phishing or malware (risk: higher is worse)."""
    if (url is None) == (file is None):
        raise FanzhaError("pass either one URL or --file FILE")
    if file is not None:
        emit(_score_file(_read_urls(file), str(model or "")), fmt, title="URLs")
        return
    from fanzha.links.service import url_model

    verdict = url_model(str(model or "")).score(url or "")
    emit(verdict.model_dump(mode="json"), fmt, title="URL verdict")


@score_app.command("page")
def score_page_command(
    file: Annotated[Path, typer.Argument(help="A saved HTML page.")],
    url: Annotated[
        str | None,
        typer.Option(help="Where the page was served from (enables the brand check)."),
    ] = None,
    model: Annotated[
        Path | None, typer.Option(help="Model folder; default: shipped.")
    ] = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Score a saved page as phishing or benign, with template matches."""
    from fanzha.links.service import score_page

    if not file.is_file():
        raise FanzhaError(f"{file} does not exist; pass a saved HTML file")
    with open(file, "rb") as handle:
        data = handle.read(MAX_PAGE_BYTES)
    verdict, matches = score_page(data, url=url, model=str(model or ""))
    body = verdict.model_dump(mode="json")
    body["template_matches"] = [asdict(m) for m in matches]
    emit(body, fmt, title="page verdict")
