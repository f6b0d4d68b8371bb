"""File-level entry points used by the CLI, the API and the console.

Reports are read from JSON Lines (one report per line: ``report_id``,
``entities`` as ``[{"type", "value"}]``, ``loss``, ``at``, ``victim``); transfers
from CSV (``src, dst, amount, at[, transfer_id]``) or an AMLSim folder. Lines
that are not valid JSON, like invalid rows, are quarantined with their line
number.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from fanzha.errors import NotFoundError, UnsupportedFormatError
from fanzha.graph.amlsim import read_amlsim
from fanzha.graph.gang_report import Gang, summarise_gangs
from fanzha.graph.gangs import GangParams, discover
from fanzha.graph.incidence import Incidence
from fanzha.graph.records import (
    EntityRef,
    Quarantined,
    Report,
    clean_reports,
    clean_transfers,
)

logger = logging.getLogger(__name__)


@dataclass
class GangResult:
    """Gangs ranked by harm, the quarantine, and how many reports were used."""

    gangs: list[Gang]
    n_reports: int
    quarantine: list[Quarantined] = field(default_factory=list)
    incidence: Incidence | None = None

    def gang(self, gang_id: str) -> Gang:
        """Return the gang called ``gang_id`` or raise ``NotFoundError``."""
        for gang in self.gangs:
            if gang.gang_id == gang_id:
                return gang
        raise NotFoundError(
            f"gang {gang_id!r} is not among the current gangs; "
            "list them again, ids change when reports arrive"
        )

    def to_dict(
        self,
        top: int | None = None,
        mask: bool = True,
        risk: Mapping[EntityRef, float] | None = None,
    ) -> dict[str, Any]:
        """Return a JSON-ready dict of the first ``top`` gangs; see ``Gang.to_dict``."""
        shown = self.gangs[:top] if top else self.gangs
        return {
            "n_reports": self.n_reports,
            "n_gangs": len(self.gangs),
            "gangs": [g.to_dict(mask=mask, risk=risk) for g in shown],
            "quarantine": [vars(q) for q in self.quarantine],
        }


def find_gangs(
    records: Iterable[Mapping[str, Any] | Report],
    params: GangParams | None = None,
    min_reports: int = 2,
    extra_quarantine: list[Quarantined] | None = None,
    links: Sequence[tuple[EntityRef, EntityRef]] = (),
) -> GangResult:
    """Validate reports, group them into gangs and summarise each gang.

    ``links`` are entity pairs operated together (``EntityGraph.incidence``).
    """
    cleaned = clean_reports(records)
    quarantine = list(extra_quarantine or []) + cleaned.quarantine
    if not cleaned.rows:
        return GangResult([], 0, quarantine)
    incidence = Incidence.from_reports(cleaned.rows, links)
    labels, public = discover(incidence, params)
    gangs = summarise_gangs(incidence, labels, min_reports, public)
    return GangResult(gangs, incidence.n_reports, quarantine, incidence)


def read_reports_jsonl(path: Path) -> tuple[list[dict[str, Any]], list[Quarantined]]:
    """Read reports from a JSON Lines file; bad lines go to the quarantine."""
    if not path.is_file():
        raise UnsupportedFormatError(f"{path} is not a file; pass a .jsonl of reports")
    rows: list[dict[str, Any]] = []
    bad: list[Quarantined] = []
    with open(path, encoding="utf-8") as fh:
        for line_no, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as exc:
                bad.append(Quarantined(line_no, f"not JSON: {exc.msg}"))
                continue
            if not isinstance(item, dict):
                bad.append(Quarantined(line_no, "a report must be a JSON object"))
                continue
            item.setdefault("report_id", f"line-{line_no}")
            rows.append(item)
    return rows, bad


def read_transfers(path: Path) -> tuple[pd.DataFrame, list[Quarantined]]:
    """Read transfers from a CSV file or an AMLSim folder, quarantining bad rows."""
    if path.is_dir():
        graph = read_amlsim(path)
        return graph.transfers, graph.quarantine
    if not path.is_file():
        raise UnsupportedFormatError(f"{path} does not exist; pass a transfers CSV")
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = {"src", "dst", "amount", "at"} - set(raw.columns)
    if missing:
        raise UnsupportedFormatError(f"{path} lacks columns {sorted(missing)}")
    records = raw.to_dict("records")
    for line, record in enumerate(records, start=2):
        record.setdefault("transfer_id", str(line))
        record["transfer_id"] = record["transfer_id"] or str(line)
    cleaned = clean_transfers(records)
    frame = pd.DataFrame(
        [vars(t) for t in cleaned.rows],
        columns=["src", "dst", "amount", "at", "transfer_id"],
    )
    return frame, cleaned.quarantine
