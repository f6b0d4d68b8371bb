"""``fanzha evaluate calls``: the behavioural detectors against simulated truth.

The data is a folder written by ``fanzha simulate calls`` (records plus
``truth.parquet``). Its records go through the same path as ``fanzha score
numbers`` (load, quarantine, DuckDB features, detectors); each number's verdicts
are then compared with its true role. ``simbox_recall`` is the share of GoIP /
SIM-box numbers that ``number-simbox`` flags, ``robocall_recall`` the share of
robocallers that ``number-robocall`` flags (higher is better), and
``ordinary_flagged`` the share of ordinary and busy numbers that either detector
flags (lower is better; the target is at most 0.001).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pandas as pd

from fanzha.calls.pipeline import score_records
from fanzha.errors import ValidationError
from fanzha.registry import register_evaluator

logger = logging.getLogger(__name__)

DETECTOR_OF_ROLE = {"simbox": "number-simbox", "robocall": "number-robocall"}
"""The detector whose hits count towards each injected role's recall."""

INNOCENT_ROLES = ("ordinary", "busy")
"""Roles that no detector should flag."""


@register_evaluator("calls")
def evaluate_calls(data: Path, model: Path | None) -> dict[str, Any]:
    """Score a simulated records folder and compare each number with its role."""
    if model is not None:
        raise ValidationError(
            "evaluate calls uses the shipped behaviour rules; drop --model"
        )
    truth = _truth(data)
    result = score_records(data)
    hits = _hits(result.verdicts)
    table = truth.merge(hits, on="number", how="left").fillna(False)
    report = {"n": len(table), **_role_rates(table), "per_role": _per_role(table)}
    report["records"] = result.summary()
    logger.info(
        "calls evaluated numbers=%d simbox_recall=%s robocall_recall=%s",
        len(table),
        report["simbox_recall"],
        report["robocall_recall"],
    )
    return report


def _truth(folder: Path) -> pd.DataFrame:
    path = folder / "truth.parquet"
    if not path.is_file():
        raise ValidationError(
            f"{folder} has no truth.parquet; pass a folder written by"
            " `fanzha simulate calls`"
        )
    truth = pd.read_parquet(path, columns=["number", "role"])
    truth["number"] = truth["number"].astype(str)
    return truth


def _hits(verdicts: list[Any]) -> pd.DataFrame:
    """Return one row per number with a boolean column per detector."""
    rows = [
        {"number": str(v.item_id), "detector": v.detector, "hit": v.label == "fraud"}
        for v in verdicts
    ]
    frame = pd.DataFrame(rows, columns=["number", "detector", "hit"])
    wide = frame.pivot_table(
        index="number", columns="detector", values="hit", aggfunc="max"
    )
    wide = wide.reindex(columns=list(DETECTOR_OF_ROLE.values()), fill_value=False)
    return wide.fillna(False).astype(bool).reset_index()


def _role_rates(table: pd.DataFrame) -> dict[str, float | None]:
    rates: dict[str, float | None] = {}
    for role, detector in DETECTOR_OF_ROLE.items():
        members = table[table["role"] == role]
        rates[f"{role}_recall"] = _share(members[detector])
    innocent = table[table["role"].isin(INNOCENT_ROLES)]
    flagged = innocent[list(DETECTOR_OF_ROLE.values())].any(axis=1)
    rates["ordinary_flagged"] = _share(flagged)
    return rates


def _per_role(table: pd.DataFrame) -> dict[str, dict[str, Any]]:
    detectors = list(DETECTOR_OF_ROLE.values())
    out = {}
    for role, group in table.groupby("role"):
        out[str(role)] = {"n": len(group)} | {
            f"flagged_by_{d}": _share(group[d]) for d in detectors
        }
    return out


def _share(flags: pd.Series) -> float | None:
    return round(float(flags.astype(bool).mean()), 5) if len(flags) else None
