"""Records in, scored numbers out: load, quarantine, featurise, detect.

:func:`score_records` reads a calls file (CSV or Parquet) or a folder holding
``calls.*`` and optionally ``sms.*``, ``app.*`` and ``billing.*``; bad rows go to
the quarantine and the good ones are scored by the behavioural detectors
(GoIP / SIM-box and robocall) on features computed by an analytics back-end.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from fanzha.analytics.base import WHOLE_PERIOD, AnalyticsBackend
from fanzha.calls.loaders import LoadReport, load_records
from fanzha.calls.schema import TABLES
from fanzha.errors import ValidationError
from fanzha.verdict import Verdict

logger = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]
"""Called as ``progress(step, done, total)`` while records are scored."""

CALLMINE_COLUMNS = {
    "source": "number",
    "destination": "other",
    "measure": "duration_s",
    "timestamp": "start_time",
}
"""Column names of the CallMine sample layout, mapped to the calls schema."""

RISK_MODEL_MIN_DAYS = 60
"""Fewer days of calls than this draw a warning when the number-risk model runs."""


@dataclass
class ScoreResult:
    """The features, verdicts and load reports of one scoring run."""

    features: pd.DataFrame
    verdicts: list[Verdict]
    loads: list[LoadReport] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def flagged(self) -> list[Verdict]:
        """Return the verdicts labelled ``fraud``, riskiest first."""
        hits = [v for v in self.verdicts if v.label == "fraud"]
        return sorted(hits, key=lambda v: v.risk, reverse=True)

    def summary(self) -> dict[str, Any]:
        """Return counts of rows read, loaded and quarantined, numbers and verdicts."""
        reasons: Counter[str] = Counter()
        for load in self.loads:
            reasons.update(load.counts())
        return {
            "rows_read": sum(load.rows_read for load in self.loads),
            "rows_loaded": sum(load.rows_loaded for load in self.loads),
            "quarantined": sum(len(load.quarantined) for load in self.loads),
            "reasons": dict(reasons),
            "numbers": int(self.features["number"].nunique()),
            "windows": len(self.features),
            "verdicts": len(self.verdicts),
            "flagged": len(self.flagged()),
            **({"warnings": self.warnings} if self.warnings else {}),
        }


def find_tables(path: Path) -> dict[str, list[Path]]:
    """Return ``{table: files}``: the file itself as ``calls``, or a folder's tables.

    In a folder, a table is ``<table>.parquet``, ``<table>.csv`` or a sub-folder
    ``<table>/`` of Parquet parts (as ``fanzha simulate calls`` writes).
    """
    if path.is_file():
        return {"calls": [path]}
    if not path.is_dir():
        raise ValidationError(f"{path} does not exist; pass a records file or folder")
    found: dict[str, list[Path]] = {}
    for table in TABLES:
        parts = (
            sorted((path / table).glob("*.parquet")) if (path / table).is_dir() else []
        )
        files = (
            parts
            or [
                path / f"{table}{s}"
                for s in (".parquet", ".csv")
                if (path / f"{table}{s}").is_file()
            ][:1]
        )
        if files:
            found[table] = files
    if "calls" not in found:
        raise ValidationError(f"{path} holds no calls.csv, calls.parquet or calls/")
    return found


def load_tables(
    path: Path,
    rename: Mapping[str, str] | None = None,
    defaults: Mapping[str, str] | None = None,
) -> tuple[dict[str, pd.DataFrame], list[LoadReport]]:
    """Load every record table found at ``path``, quarantining bad rows."""
    frames, reports = {}, []
    for table, files in find_tables(path).items():
        extra = (rename, defaults) if table == "calls" else (None, None)
        parts = []
        for file in files:
            frame, report = load_records(file, table, *extra)
            parts.append(frame)
            reports.append(report)
        frames[table] = pd.concat(parts, ignore_index=True)
    return frames, reports


def score_records(
    path: str | Path,
    backend: AnalyticsBackend | None = None,
    window_s: int = WHOLE_PERIOD,
    rename: Mapping[str, str] | None = None,
    defaults: Mapping[str, str] | None = None,
    progress: Progress | None = None,
    risk_model: bool = False,
) -> ScoreResult:
    """Score every number in the records at ``path``.

    Returns one verdict per number, window and behavioural detector; with
    ``risk_model``, also one ``number-risk`` verdict per number over the whole
    period, from the records turned into the Sichuan layout
    (``fanzha.calls.sichuan_layout``).
    """
    from fanzha.analytics.duckdb_backend import DuckDBBackend
    from fanzha.detectors.calls.robocall_detector import RobocallDetector
    from fanzha.detectors.calls.simbox_detector import SimboxDetector

    report = progress or (lambda step, done, total: None)
    report("load", 0, 3)
    frames, loads = load_tables(Path(path), rename, defaults)
    report("features", 1, 3)
    features = (backend or DuckDBBackend()).number_features(frames, window_s=window_s)
    report("detect", 2, 3)

    rows = features.to_dict("records")
    verdicts: list[Verdict] = []
    warnings: list[str] = []
    for detector in (SimboxDetector.shipped(), RobocallDetector.shipped()):
        verdicts.extend(detector.score_batch(rows))
    if risk_model:
        verdicts.extend(_risk_verdicts(frames))
        warnings.extend(_short_history_warning(frames))
    report("done", 3, 3)
    result = ScoreResult(features, verdicts, loads, warnings)
    logger.info(
        "records scored numbers=%d flagged=%d", len(features), len(result.flagged())
    )
    return result


def _short_history_warning(frames: Mapping[str, pd.DataFrame]) -> list[str]:
    """Warn when the calls span less than the number-risk model needs.

    The model learned eight months of aggregates in which fraud numbers are
    short-lived, so a short history itself reads as fraud (on a 7-day
    simulation of 3,000 users it flagged 99.8 % of the numbers).
    """
    calls = frames.get("calls")
    if calls is None or calls.empty:
        return []
    days = (calls["start_time"].max() - calls["start_time"].min()).days + 1
    if days >= RISK_MODEL_MIN_DAYS:
        return []
    logger.warning("number-risk on a short history days=%d", days)
    return [
        f"the calls cover {days} days: the number-risk model was trained on "
        "eight months of records and reads a short history as fraud; score "
        f"{RISK_MODEL_MIN_DAYS} days or more, or recalibrate its threshold on "
        "local labels"
    ]


def _risk_verdicts(frames: Mapping[str, pd.DataFrame]) -> list[Verdict]:
    from fanzha.calls.sichuan_layout import sichuan_features
    from fanzha.detectors.calls.number_training import load_number_model

    features = sichuan_features(frames).reset_index()
    return load_number_model().score_batch(features.to_dict("records"))
