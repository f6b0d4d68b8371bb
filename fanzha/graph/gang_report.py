"""Per-gang summaries: who and what a gang used, whom it hurt, and how much.

A gang's entities are grouped by type (suspect numbers, accounts, cards,
devices, links); its victims, total loss and timeline come from its reports.
Gangs are ranked by harm: total loss first, then the number of reports.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from fanzha.graph.incidence import Incidence, sorted_unique
from fanzha.graph.records import EntityRef
from fanzha.pii import mask_value

TIMELINE_LIMIT = 100
FLAG_RISK = 0.5
"""An entity whose verdict risk is at least this counts as flagged in a gang."""


@dataclass
class Gang:
    """One candidate gang.

    ``entities`` maps an entity type to ``[(value, reports naming it)]``, busiest
    first; ``public`` holds the values judged public infrastructure (named
    across many gangs: shown, but not evidence of the gang); ``timeline`` lists
    ``(time, report id, loss)`` in time order.
    """

    gang_id: str
    reports: list[str]
    victims: list[str]
    total_loss: float
    first_at: float
    last_at: float
    entities: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    timeline: list[tuple[float, str, float]] = field(default_factory=list)
    rank: int = 0
    public: set[str] = field(default_factory=set)

    def to_dict(
        self, mask: bool = True, risk: Mapping[EntityRef, float] | None = None
    ) -> dict[str, Any]:
        """Return a JSON-ready dict; phone and card numbers masked by default.

        With ``risk`` (an entity's highest verdict risk, e.g. from
        ``EntityGraph.entity_risk``) each entity carries its ``risk`` (None when
        no detector judged it) and the gang counts its ``flagged`` entities, those
        at or above ``FLAG_RISK``.
        """
        risk = risk or {}
        shown = {
            kind: [
                {
                    "value": mask_value(kind, v) if mask else v,
                    "reports": n,
                    "public": v in self.public,
                    "risk": risk.get(EntityRef(kind, v)),
                }
                for v, n in values
            ]
            for kind, values in self.entities.items()
        }
        risks = [
            risk[ref]
            for kind, values in self.entities.items()
            for ref in (EntityRef(kind, v) for v, _ in values)
            if ref in risk
        ]
        return {
            "gang_id": self.gang_id,
            "rank": self.rank,
            "n_reports": len(self.reports),
            "n_victims": len(self.victims),
            "total_loss": round(self.total_loss, 2),
            "first_at": self.first_at,
            "last_at": self.last_at,
            "flagged": sum(r >= FLAG_RISK for r in risks),
            "max_risk": max(risks, default=None),
            "entities": shown,
            "reports": self.reports,
            "timeline": [
                {"at": a, "report_id": r, "loss": x} for a, r, x in self.timeline
            ],
        }


def summarise_gangs(
    incidence: Incidence,
    labels: np.ndarray,
    min_reports: int = 2,
    public: np.ndarray | None = None,
) -> list[Gang]:
    """Return the gangs with at least ``min_reports`` reports, ranked by harm.

    ``public`` is a mask over entities (from ``gangs.discover``); public ones are
    listed after the gang's own within each type.
    """
    public = (
        public if public is not None else np.zeros(incidence.n_entities, dtype=bool)
    )
    sizes = np.bincount(labels, minlength=int(labels.max(initial=-1)) + 1)
    kept = sizes >= min_reports
    report_rows = _report_order(incidence, labels, kept)
    mention_rows = _mention_order(incidence, labels, kept, public)
    gangs = [
        _gang(incidence, rows, mentions, public)
        for rows, mentions in zip(report_rows, mention_rows, strict=True)
    ]
    gangs.sort(key=lambda g: (-g.total_loss, -len(g.reports), g.gang_id))
    for rank, gang in enumerate(gangs, start=1):
        gang.rank = rank
    return gangs


def _report_order(
    incidence: Incidence, labels: np.ndarray, kept: np.ndarray
) -> list[np.ndarray]:
    # Rows of each kept gang's reports, in time order (stable for equal times).
    rows = np.flatnonzero(kept[labels])
    rows = rows[np.lexsort((incidence.at[rows], labels[rows]))]
    return _split_runs(rows, labels[rows])


def _mention_order(
    incidence: Incidence, labels: np.ndarray, kept: np.ndarray, public: np.ndarray
) -> list[tuple[np.ndarray, np.ndarray]]:
    # Per kept gang: its entities (own before public, busiest first, then by
    # value) and how many of the gang's reports name each.
    n_ent = max(incidence.n_entities, 1)
    gang = labels[incidence.report_index]
    picked = kept[gang]
    pairs = sorted_unique(
        incidence.report_index[picked].astype(np.int64) * n_ent
        + incidence.entity_index[picked]
    )
    keys, counts = np.unique(
        labels[pairs // n_ent] * n_ent + pairs % n_ent, return_counts=True
    )
    gang_of, entity = keys // n_ent, keys % n_ent
    value_rank = np.empty(incidence.n_entities, dtype=np.int64)
    value_rank[np.argsort(incidence.entity_values.astype(str), kind="stable")] = (
        np.arange(incidence.n_entities)
    )
    order = np.lexsort((value_rank[entity], -counts, public[entity], gang_of))
    runs = _split_runs(order, gang_of[order])
    return [(entity[run], counts[run]) for run in runs]


def _split_runs(items: np.ndarray, keys: np.ndarray) -> list[np.ndarray]:
    """Split ``items`` where the (sorted) ``keys`` change."""
    cuts = np.flatnonzero(keys[1:] != keys[:-1]) + 1
    return np.split(items, cuts) if len(items) else []


def _gang(
    incidence: Incidence,
    rows: np.ndarray,
    mentions: tuple[np.ndarray, np.ndarray],
    public_mask: np.ndarray,
) -> Gang:
    ids = [str(r) for r in incidence.report_ids[rows]]
    at = incidence.at[rows].tolist()
    loss = incidence.loss[rows].tolist()
    entities: dict[str, list[tuple[str, int]]] = {}
    public: set[str] = set()
    entity, counts = mentions
    for row, n in zip(entity.tolist(), counts.tolist(), strict=True):
        kind, value = (
            str(incidence.entity_types[row]),
            str(incidence.entity_values[row]),
        )
        entities.setdefault(kind, []).append((value, int(n)))
        if public_mask[row]:
            public.add(value)
    head = TIMELINE_LIMIT
    return Gang(
        gang_id="gang-" + hashlib.sha1("|".join(sorted(ids)).encode()).hexdigest()[:10],
        reports=ids,
        victims=sorted({str(v) for v in incidence.victims[rows] if v}),
        total_loss=float(np.sum(incidence.loss[rows])),
        first_at=float(at[0]),
        last_at=float(at[-1]),
        entities=entities,
        timeline=list(zip(at[:head], ids[:head], loss[:head], strict=True)),
        public=public,
    )


def gang_graph(
    incidence: Incidence,
    gang: Gang,
    mask: bool = True,
    limit: int = 2000,
    risk: Mapping[EntityRef, float] | None = None,
) -> dict[str, Any]:
    """Return a gang as ``nodes`` (reports, entities) and ``edges`` (mentions).

    Node ids are ``report:<id>`` and ``<type>:<value>``; entity nodes carry
    ``type`` and ``value`` (for look-ups, as the store's API does), a ``label``
    that is masked by default and ``risk``, the highest verdict risk from
    ``risk`` (None when unjudged). At most ``limit`` mentions are returned.
    """
    risk = risk or {}
    rows = np.flatnonzero(np.isin(incidence.report_ids, gang.reports))
    picked = np.isin(incidence.report_index, rows)
    pairs = np.unique(
        np.column_stack(
            [incidence.report_index[picked], incidence.entity_index[picked]]
        ),
        axis=0,
    )[:limit]
    nodes: dict[str, dict[str, Any]] = {}
    edges = []
    for rep, ent in pairs:
        rid = f"report:{incidence.report_ids[rep]}"
        ref = incidence.entity(int(ent))
        nodes.setdefault(
            rid,
            {
                "id": rid,
                "kind": "report",
                "label": str(incidence.report_ids[rep]),
                "loss": float(incidence.loss[rep]),
            },
        )
        nodes.setdefault(
            ref.key,
            {
                "id": ref.key,
                "kind": ref.type,
                "type": ref.type,
                "value": ref.value,
                "label": ref.masked() if mask else ref.value,
                "public": ref.value in gang.public,
                "risk": risk.get(ref),
            },
        )
        edges.append({"source": rid, "target": ref.key})
    return {"gang_id": gang.gang_id, "nodes": list(nodes.values()), "edges": edges}
