"""The entity graph: everything fanzha has seen, joined, growing as data arrives.

Nodes are reports and entities (phone numbers, accounts, devices, bank cards,
URLs, domains, IPs, people). Edges are "named in report" and relations between
entities: calls, transfers (amount, time), logins from and uses of devices.
Verdicts that detectors gave about an entity are kept on it (the latest one per
detector), so analyses can show how suspicious each entity already is.
Reports, relations and verdicts are appended in batches; each batch is validated
and its bad rows quarantined (``graph.quarantine``). A relation older than the newest
one already appended, by more than ``lateness``, goes back in time and is
quarantined as well.
"""

from __future__ import annotations

import logging
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from fanzha.entities import normalize_entity
from fanzha.errors import ValidationError
from fanzha.graph.incidence import Incidence
from fanzha.graph.records import (
    Cleaned,
    EntityRef,
    Quarantined,
    Report,
    clean_reports,
    to_time,
)

logger = logging.getLogger(__name__)

RELATION_KINDS = ("call", "transfer", "login", "uses_device")
OPERATED_TOGETHER = ("uses_device", "login")
"""Relation kinds that tie two entities to one operator for gang discovery."""


@dataclass(frozen=True)
class EntityVerdict:
    """What one detector last said about an entity (``risk``: higher is worse)."""

    detector: str
    risk: float
    label: str
    scenario: str | None = None
    verdict_id: str = ""


@dataclass(frozen=True)
class Relation:
    """An edge between two entities: a call, a transfer, a login, a device use."""

    src: EntityRef
    dst: EntityRef
    kind: str
    at: float
    amount: float = 0.0
    relation_id: str = ""


class EntityGraph:
    """Reports and relations, appended incrementally and validated on the way in."""

    def __init__(self, lateness: float = 0.0) -> None:
        self.lateness = lateness
        self.reports: dict[str, Report] = {}
        self.relations: list[Relation] = []
        self.quarantine: list[Quarantined] = []
        self._named_in: dict[EntityRef, set[str]] = defaultdict(set)
        self._touches: dict[EntityRef, list[int]] = defaultdict(list)
        self._watermark = -math.inf
        self.verdicts: dict[EntityRef, dict[str, EntityVerdict]] = defaultdict(dict)

    def add_reports(self, raw: Iterable[Mapping[str, Any] | Report]) -> Cleaned:
        """Validate and append reports; a re-sent report id replaces the old one."""
        cleaned = clean_reports(raw)
        for report in cleaned.rows:
            self.reports[report.report_id] = report
            for ref in report.entities:
                self._named_in[ref].add(report.report_id)
        self.quarantine.extend(cleaned.quarantine)
        return cleaned

    def add_relations(self, raw: Iterable[Mapping[str, Any] | Relation]) -> Cleaned:
        """Validate and append relations, in time order within the batch."""
        result = Cleaned()
        parsed: list[Relation] = []
        for line, item in enumerate(raw, start=1):
            try:
                parsed.append(_relation(item, line))
            except ValidationError as exc:
                result.quarantine.append(Quarantined(exc.record or line, str(exc)))
        for rel in sorted(parsed, key=lambda r: r.at):
            if rel.at < self._watermark - self.lateness:
                result.quarantine.append(
                    Quarantined(
                        rel.relation_id,
                        f"relation goes back in time ({rel.at} < "
                        f"{self._watermark} already appended)",
                    )
                )
                continue
            self._append(rel)
            result.rows.append(rel)
        self.quarantine.extend(result.quarantine)
        logger.info(
            "relations appended valid=%d quarantined=%d",
            len(result.rows),
            len(result.quarantine),
        )
        return result

    def add_verdicts(self, raw: Iterable[Mapping[str, Any]]) -> Cleaned:
        """Attach verdicts to their entities; a detector's newer verdict replaces.

        Each item holds ``entity`` (``{"type", "value"}``), ``detector``, ``risk``
        in [0, 1], ``label`` and optionally ``scenario`` and ``verdict_id``.
        """
        result = Cleaned()
        for line, item in enumerate(raw, start=1):
            try:
                ref, verdict = _verdict(item, line)
            except ValidationError as exc:
                result.quarantine.append(Quarantined(exc.record or line, str(exc)))
                continue
            self.verdicts[ref][verdict.detector] = verdict
            result.rows.append(verdict)
        self.quarantine.extend(result.quarantine)
        return result

    def risk_of(self, ref: EntityRef) -> float | None:
        """Return the highest risk any detector gave ``ref``; None if none did."""
        found = self.verdicts.get(ref)
        return max(v.risk for v in found.values()) if found else None

    def entity_risk(self) -> dict[EntityRef, float]:
        """Return the highest verdict risk of every entity that has one."""
        return {
            ref: max(v.risk for v in vs.values())
            for ref, vs in self.verdicts.items()
            if vs
        }

    def _append(self, rel: Relation) -> None:
        self._watermark = max(self._watermark, rel.at)
        self._touches[rel.src].append(len(self.relations))
        self._touches[rel.dst].append(len(self.relations))
        self.relations.append(rel)

    def incidence(self) -> Incidence:
        """Return the report-entity incidence for gang discovery.

        Relations of the kinds in ``OPERATED_TOGETHER`` (a phone using a device,
        an account logging in from an IP) become entity links.
        """
        links = [(r.src, r.dst) for r in self.relations if r.kind in OPERATED_TOGETHER]
        return Incidence.from_reports(list(self.reports.values()), links)

    def transfers(self) -> pd.DataFrame:
        """Return transfer relations as ``src, dst, amount, at, transfer_id``."""
        rows = [
            (r.src.value, r.dst.value, r.amount, r.at, r.relation_id)
            for r in self.relations
            if r.kind == "transfer"
        ]
        return pd.DataFrame(rows, columns=["src", "dst", "amount", "at", "transfer_id"])

    def neighbourhood(self, ref: EntityRef, limit: int = 200) -> dict[str, Any]:
        """Return the reports naming ``ref`` and the relations touching it."""
        reports = sorted(self._named_in.get(ref, set()))[:limit]
        rels = [self.relations[i] for i in self._touches.get(ref, [])[:limit]]
        return {
            "entity": {"type": ref.type, "value": ref.value},
            "risk": self.risk_of(ref),
            "verdicts": [vars(v) for v in self.verdicts.get(ref, {}).values()],
            "reports": [
                {
                    "report_id": r,
                    "loss": self.reports[r].loss,
                    "at": self.reports[r].at,
                    "entities": [e._asdict() for e in self.reports[r].entities],
                }
                for r in reports
            ],
            "relations": [
                {
                    "id": r.relation_id,
                    "kind": r.kind,
                    "src": r.src._asdict() | {"risk": self.risk_of(r.src)},
                    "dst": r.dst._asdict() | {"risk": self.risk_of(r.dst)},
                    "amount": r.amount,
                    "at": r.at,
                }
                for r in rels
            ],
        }


def _relation(item: Mapping[str, Any] | Relation, line: int) -> Relation:
    if isinstance(item, Relation):
        item = {
            "src": item.src,
            "dst": item.dst,
            "kind": item.kind,
            "at": item.at,
            "amount": item.amount,
            "relation_id": item.relation_id,
        }
    rid = str(item.get("relation_id") or item.get("id") or f"line-{line}")
    kind = str(item.get("kind", ""))
    if kind not in RELATION_KINDS:
        raise ValidationError(
            f"unknown relation kind {kind!r}; use one of {', '.join(RELATION_KINDS)}",
            rid,
        )
    amount = float(item.get("amount") or 0.0)
    if not math.isfinite(amount) or amount < 0 or (kind == "transfer" and amount == 0):
        raise ValidationError(f"amount {amount} must be a positive number", rid)
    return Relation(
        _ref(item.get("src"), rid),
        _ref(item.get("dst"), rid),
        kind,
        to_time(item.get("at"), rid),
        amount,
        rid,
    )


def _verdict(item: Mapping[str, Any], line: int) -> tuple[EntityRef, EntityVerdict]:
    vid = str(item.get("verdict_id") or item.get("id") or f"line-{line}")
    detector = str(item.get("detector") or "")
    if not detector:
        raise ValidationError("a verdict needs the detector that gave it", vid)
    try:
        risk = float(item.get("risk"))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        risk = math.nan
    if not 0.0 <= risk <= 1.0:
        raise ValidationError(f"risk {item.get('risk')!r} must be in [0, 1]", vid)
    verdict = EntityVerdict(
        detector, risk, str(item.get("label") or ""), item.get("scenario"), vid
    )
    return _ref(item.get("entity"), vid), verdict


def _ref(raw: Any, rid: str) -> EntityRef:
    if isinstance(raw, EntityRef):
        return raw
    if not isinstance(raw, Mapping):
        raise ValidationError(
            "entities must be given as {'type': ..., 'value': ...}", rid
        )
    etype = str(raw.get("type", ""))
    try:
        return EntityRef(etype, normalize_entity(etype, str(raw.get("value", ""))))
    except ValidationError as exc:
        raise ValidationError(str(exc), rid) from None
