"""``fanzha score url|page`` and ``fanzha campaigns``: the links tools on the CLI."""

from __future__ import annotations

import csv
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import Progress

from fanzha.cli.main import FormatOption, app, score_app
from fanzha.cli.output import OutputFormat, emit, err_console
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


def _read_urls(path: Path) -> tuple[list[str], list[int]]:
    """Return the URLs of a file and the line each was read from (1-based).

    Blank lines of a plain list are skipped but still counted, so a reported
    line number is the one an editor shows.
    """
    if not path.is_file():
        raise FanzhaError(f"{path} does not exist; pass a file of URLs")
    urls: list[str] = []
    lines: list[int] = []
    with open(path, newline="", encoding="utf-8", errors="replace") as handle:
        first = handle.readline()
        handle.seek(0)
        if first.strip().lower().split(",")[0] == "url":
            reader = csv.DictReader(handle)
            for row in reader:
                urls.append(row.get("url") or "")
                lines.append(reader.line_num)
            return urls, lines
        for number, line in enumerate(handle, start=1):
            if line.strip():
                urls.append(line.strip())
                lines.append(number)
    return urls, lines


def _score_file(urls: list[str], lines: list[int], model: str) -> list[dict[str, Any]]:
    from fanzha.links.service import url_model

    detector = url_model(model)
    rows: list[dict[str, Any]] = []
    with Progress(transient=True) as progress:
        task = progress.add_task("scoring URLs", total=len(urls))
        for start in range(0, len(urls), BATCH):
            end = start + BATCH
            rows.extend(_score_chunk(detector, urls[start:end], lines[start:end]))
            progress.advance(task, min(BATCH, len(urls) - start))
    return rows


def _score_chunk(
    detector: Any, urls: list[str], lines: list[int]
) -> list[dict[str, Any]]:
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
                "evidence": f"line {lines[index]}: {exc}",
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
        urls, lines = _read_urls(file)
        emit(_score_file(urls, lines, str(model or "")), fmt, title="URLs")
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
    url_model: Annotated[
        Path | None,
        typer.Option(help="URL model folder for the page's URL; default: shipped."),
    ] = None,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Score a saved page as phishing or benign, with template matches."""
    from fanzha.links.service import score_page

    if not file.is_file():
        raise FanzhaError(f"{file} does not exist; pass a saved HTML file")
    with open(file, "rb") as handle:
        data = handle.read(MAX_PAGE_BYTES)
    verdict, matches = score_page(
        data, url=url, model=str(model or ""), url_model_path=str(url_model or "")
    )
    body = verdict.model_dump(mode="json")
    body["template_matches"] = [asdict(m) for m in matches]
    emit(body, fmt, title="page verdict")


@app.command()
def campaigns(
    source: Annotated[
        Path,
        typer.Argument(
            help="A file of URLs (one per line, or a CSV with a url column), or a "
            "folder of saved .html pages."
        ),
    ],
    min_size: Annotated[
        int, typer.Option(min=2, help="Smallest campaign to list.")
    ] = 2,
    top: Annotated[int, typer.Option(min=1, help="Largest campaigns to show.")] = 20,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Group URLs (shared domain or path) or saved pages (shared kit) into campaigns."""
    if source.is_dir():
        _page_campaigns(source, min_size, top, fmt)
        return
    from fanzha.links.campaigns import cluster_urls

    urls, lines = _read_urls(source)
    errors: list[tuple[int, str]] = []
    found = cluster_urls(urls, min_size, errors)
    for index, reason in errors[:10]:
        err_console.print(f"line {lines[index]} skipped: {reason}", soft_wrap=True)
    if errors:
        err_console.print(f"{len(errors)} of {len(urls)} URLs could not be parsed")
    if fmt is OutputFormat.json:
        emit([_campaign_json(c, urls) for c in found[:top]], fmt)
        return
    emit([_campaign_row(c) for c in found[:top]], fmt, title="campaigns")


def _page_campaigns(folder: Path, min_size: int, top: int, fmt: OutputFormat) -> None:
    from fanzha.links.campaigns import cluster_pages

    files, pages = _read_pages(folder)
    found = cluster_pages(pages, min_size=min_size)
    names = [str(f.relative_to(folder)) for f in files]
    if fmt is OutputFormat.json:
        emit([_campaign_json(c, names, "files") for c in found[:top]], fmt)
        return
    emit([_page_campaign_row(c) for c in found[:top]], fmt, title="page campaigns")


def _read_pages(folder: Path) -> tuple[list[Path], list[Any]]:
    """Parse every .html / .htm file under ``folder``; name the ones that fail."""
    from fanzha.links.pages import parse_page

    paths = sorted(
        p for p in folder.rglob("*") if p.suffix.lower() in {".html", ".htm"}
    )
    if not paths:
        raise FanzhaError(f"{folder} holds no .html or .htm files")
    files, pages, bad = [], [], 0
    with Progress(transient=True) as progress:
        task = progress.add_task("reading pages", total=len(paths))
        for path in paths:
            try:
                with open(path, "rb") as handle:
                    pages.append(parse_page(handle.read(MAX_PAGE_BYTES)))
                files.append(path)
            except (OSError, FanzhaError) as exc:
                bad += 1
                err_console.print(f"{path} skipped: {exc}", soft_wrap=True)
            progress.advance(task)
    if bad:
        err_console.print(f"{bad} of {len(paths)} pages could not be read")
    return files, pages


def _campaign_json(
    campaign: Any, items: list[str], key: str = "urls"
) -> dict[str, Any]:
    return {
        "campaign_id": campaign.campaign_id,
        "summary": campaign.summary,
        key: [items[i] for i in campaign.members],
    }


def _page_campaign_row(campaign: Any) -> dict[str, Any]:
    summary = campaign.summary
    return {
        "campaign": campaign.campaign_id,
        "size": summary["size"],
        "titles": ", ".join(f"{t} ({n})" for t, n in summary["titles"][:2])[:80],
        "brands": ", ".join(b for b, _ in summary["brands"]),
        "with_password": summary["with_password"],
        "form_actions": ", ".join(a for a, _ in summary["form_actions"][:2])[:60],
    }


def _campaign_row(campaign: Any) -> dict[str, Any]:
    summary = campaign.summary
    return {
        "campaign": campaign.campaign_id,
        "size": summary["size"],
        "domains": ", ".join(f"{d} ({n})" for d, n in summary["domains"][:3]),
        "paths": ", ".join(p for p, _ in summary["path_templates"][:2]),
        "brands": ", ".join(b for b, _ in summary["brands"]),
        "example": (summary["example"] or "")[:80],
    }


FETCH_TRANSPORT: Any = None
"""The HTTP transport ``fanzha fetch`` uses; None is the network (tests swap it)."""


@app.command()
def fetch(
    url: Annotated[str, typer.Argument(help="The page to fetch.")],
    out: Annotated[Path, typer.Option(help="Where to save the HTML that came back.")],
    timeout: Annotated[float, typer.Option(min=0.1, help="Seconds per hop.")] = 10.0,
    max_bytes: Annotated[
        int, typer.Option(min=1, help="Keep at most this many bytes.")
    ] = 5_000_000,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Fetch a live page without running scripts; save it and show the redirects."""
    from fanzha.links.fetcher import fetch as fetch_page

    result = fetch_page(
        url, timeout=timeout, max_bytes=max_bytes, transport=FETCH_TRANSPORT
    )
    out.write_bytes(result.content)
    emit(
        {
            "url": result.url,
            "status": result.status,
            "bytes": len(result.content),
            "truncated": result.truncated,
            "redirects": result.redirects,
            "content_type": result.content_type,
            "saved_to": str(out),
            "next": f"fanzha score page {out} --url {result.url}",
        },
        fmt,
        title="fetched",
    )
