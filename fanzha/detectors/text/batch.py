"""Scoring whole files of messages: CSV, JSONL or Parquet with a ``text`` field.

A row that cannot be scored (invalid UTF-8, bad JSON, empty or oversized text)
becomes a :class:`~fanzha.detectors.text.corpus.RowProblem` with its line
number; the rows around it are still scored.
"""

from __future__ import annotations

import csv
import json
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fanzha.detectors.text.corpus import RowProblem
from fanzha.detectors.text.lexicon_detector import check_text
from fanzha.detectors.text.model_detector import ModelTextDetector
from fanzha.errors import (
    MissingDependencyError,
    UnsupportedFormatError,
    ValidationError,
)
from fanzha.pii import mask_value
from fanzha.verdict import Verdict

logger = logging.getLogger(__name__)

CHUNK = 1_000
Record = tuple[int, str | None, str | None]  # line, text, problem


@dataclass
class FileScore:
    """Verdicts of the good rows (with their line numbers) and the bad rows."""

    scored: list[tuple[int, Verdict]] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)


def read_messages(path: Path) -> Iterator[Record]:
    """Yield ``(line, text, problem)`` for every row of a message file."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        yield from _csv_rows(path)
    elif suffix in (".jsonl", ".ndjson"):
        yield from _jsonl_rows(path)
    elif suffix == ".parquet":
        yield from _parquet_rows(path)
    else:
        raise UnsupportedFormatError(
            f"{path} is not .csv, .jsonl or .parquet; convert it to one of them"
        )


def _csv_rows(path: Path) -> Iterator[Record]:
    with open(path, encoding="utf-8", errors="surrogateescape", newline="") as fh:
        reader = csv.DictReader(fh)
        if "text" not in [h.lstrip("\ufeff") for h in reader.fieldnames or []]:
            raise ValidationError(
                f"{path} has no 'text' column; add a header with a text column",
                record=1,
            )
        reader.fieldnames = [h.lstrip("\ufeff") for h in reader.fieldnames or []]
        line = 2
        for row in reader:
            yield _checked(line, row.get("text"))
            line = reader.line_num + 1


def _jsonl_rows(path: Path) -> Iterator[Record]:
    with open(path, "rb") as fh:
        for line, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            try:
                record = json.loads(raw.decode("utf-8"))
            except UnicodeDecodeError:
                yield line, None, "invalid UTF-8 bytes; re-encode the file as UTF-8"
                continue
            except json.JSONDecodeError as exc:
                yield line, None, f"not valid JSON ({exc.msg})"
                continue
            text = record.get("text") if isinstance(record, dict) else None
            yield _checked(line, text)


def _parquet_rows(path: Path) -> Iterator[Record]:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise MissingDependencyError("pyarrow", "analytics") from None
    table = pq.read_table(path)
    if "text" not in table.column_names:
        raise ValidationError(f"{path} has no 'text' column")
    for row, text in enumerate(table.column("text").to_pylist(), 1):
        yield _checked(row, text)


def _checked(line: int, text: object) -> Record:
    if isinstance(text, str) and any("\udc80" <= c <= "\udcff" for c in text):
        return line, None, "invalid UTF-8 bytes; re-encode the file as UTF-8"
    try:
        return line, check_text(text), None
    except ValidationError as exc:
        return line, None, str(exc)


def score_file(
    detector: ModelTextDetector,
    path: Path,
    advance: Callable[[int], None] | None = None,
) -> FileScore:
    """Score every good row of ``path``; ``advance(n)`` reports progress."""
    result = FileScore()
    chunk: list[tuple[int, str]] = []
    for line, text, problem in read_messages(path):
        if problem is not None or text is None:
            result.problems.append(RowProblem(line, problem or "no text"))
            continue
        chunk.append((line, text))
        if len(chunk) >= CHUNK:
            _score_chunk(detector, chunk, result, advance)
    _score_chunk(detector, chunk, result, advance)
    logger.info(
        "file scored path=%s rows=%s bad=%s",
        path,
        len(result.scored),
        len(result.problems),
    )
    return result


def _score_chunk(
    detector: ModelTextDetector,
    chunk: list[tuple[int, str]],
    result: FileScore,
    advance: Callable[[int], None] | None,
) -> None:
    verdicts = detector.score_batch([text for _, text in chunk])
    result.scored.extend(zip((line for line, _ in chunk), verdicts, strict=True))
    if advance is not None:
        advance(len(chunk))
    chunk.clear()


def verdict_row(
    verdict: Verdict, line: int | None = None, evidence: int = 5
) -> dict[str, Any]:
    """Return a flat, masked summary of a verdict for output."""
    row: dict[str, Any] = {} if line is None else {"line": line}
    row.update(
        label=verdict.label,
        risk=round(verdict.risk, 4),
        scenario=verdict.scenario,
        evidence=[e.name for e in verdict.top_evidence(evidence)],
        entities=[
            f"{e['type']}:{mask_value(e['type'], str(e['value']))}"
            for e in verdict.entities
        ],
    )
    return row
