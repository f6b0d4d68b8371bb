"""Per-gang summaries: who and what a gang used, whom it hurt, and how much.

A gang's entities are grouped by type (suspect numbers, accounts, cards,
devices, links); its victims, total loss and timeline come from its reports.
Gangs are ranked by harm: total loss first, then the number of reports.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from fanzha.graph.incidence import Incidence
from fanzha.pii import mask_value

TIMELINE_LIMIT = 100


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

    def to_dict(self, mask: bool = True) -> dict[str, Any]:
        """Return a JSON-ready dict; phone and card numbers masked by default."""
        shown = {
            kind: [
                {
                    "value": mask_value(kind, v) if mask else v,
                    "reports": n,
                    "public": v in self.public,
                }
                for v, n in values
            ]
            for kind, values in self.entities.items()
        }
        return {
            "gang_id": self.gang_id,
            "rank": self.rank,
            "n_reports": len(self.reports),
            "n_victims": len(self.victims),
            "total_loss": round(self.total_loss, 2),
            "first_at": self.first_at,
            "last_at": self.last_at,
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
    reports = pd.DataFrame(
        {
            "label": labels,
            "rid": incidence.report_ids,
            "loss": incidence.loss,
            "at": incidence.at,
            "victim": incidence.victims,
        }
    )
    sizes = reports["label"].value_counts()
    kept = sizes.index[sizes >= min_reports]
    mentions = _mentions(
        incidence,
        labels,
        kept,
        public if public is not None else np.zeros(incidence.n_entities, dtype=bool),
    )

    gangs = [
        _gang(group, mentions.get(label))
        for label, group in reports[reports["label"].isin(kept)].groupby("label")
    ]
    gangs.sort(key=lambda g: (-g.total_loss, -len(g.reports), g.gang_id))
    for rank, gang in enumerate(gangs, start=1):
        gang.rank = rank
    return gangs


def _mentions(
    incidence: Incidence, labels: np.ndarray, kept: pd.Index, public: np.ndarray
) -> dict[Any, pd.DataFrame]:
    frame = pd.DataFrame(
        {
            "label": labels[incidence.report_index],
            "report": incidence.report_index,
            "entity": incidence.entity_index,
        }
    )
    frame = frame[frame["label"].isin(kept)].drop_duplicates()
    counts = frame.groupby(["label", "entity"]).size().rename("n").reset_index()
    counts["type"] = incidence.entity_types[counts["entity"].to_numpy()]
    counts["value"] = incidence.entity_values[counts["entity"].to_numpy()]
    counts["public"] = public[counts["entity"].to_numpy()]
    return dict(tuple(counts.groupby("label")))


def _gang(group: pd.DataFrame, mentions: pd.DataFrame | None) -> Gang:
    ordered = group.sort_values("at", kind="mergesort")
    ids = [str(r) for r in ordered["rid"]]
    entities: dict[str, list[tuple[str, int]]] = {}
    public: set[str] = set()
    if mentions is not None:
        for row in mentions.sort_values(
            ["public", "n", "value"], ascending=[True, False, True]
        ).itertuples():
            entities.setdefault(str(row.type), []).append((str(row.value), int(row.n)))
            if row.public:
                public.add(str(row.value))
    timeline = [
        (float(a), str(r), float(x))
        for a, r, x in ordered[["at", "rid", "loss"]]
        .head(TIMELINE_LIMIT)
        .itertuples(index=False)
    ]
    return Gang(
        gang_id="gang-" + hashlib.sha1("|".join(sorted(ids)).encode()).hexdigest()[:10],
        reports=ids,
        victims=sorted({str(v) for v in group["victim"] if v}),
        total_loss=float(group["loss"].sum()),
        first_at=float(ordered["at"].iloc[0]),
        last_at=float(ordered["at"].iloc[-1]),
        entities=entities,
        timeline=timeline,
        public=public,
    )


def gang_graph(
    incidence: Incidence, gang: Gang, mask: bool = True, limit: int = 2000
) -> dict[str, Any]:
    """Return a gang as ``nodes`` (reports, entities) and ``edges`` (mentions).

    Node ids are ``report:<id>`` and ``<type>:<value>``; entity nodes carry
    ``type`` and ``value`` (for look-ups, as the store's API does) and a
    ``label`` that is masked by default. At most ``limit`` mentions are returned.
    """
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
            },
        )
        edges.append({"source": rid, "target": ref.key})
    return {"gang_id": gang.gang_id, "nodes": list(nodes.values()), "edges": edges}
