"""Feed an :class:`~fanzha.graph.entity_graph.EntityGraph` from the store.

:class:`StoreFeed` remembers which reports, relations and verdicts it has already
appended, so calling :meth:`StoreFeed.sync` again appends only what arrived
since. Verdicts count when they are tied to an entity (a number, an account, a
URL...). Rows that fail validation land in the graph's quarantine like any other
input.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from fanzha.graph.entity_graph import EntityGraph
from fanzha.graph.gang_report import Gang

logger = logging.getLogger(__name__)

PAGE = 1000


class StoreFeed:
    """Incremental reader of the store's reports, relations and verdicts."""

    def __init__(self, store: Any, graph: EntityGraph | None = None) -> None:
        self.store = store
        self.graph = graph or EntityGraph()
        self._reports_seen: set[int] = set()
        self._last_relation = 0
        self._last_verdict = 0
        self._entities: dict[int, dict[str, str]] = {}
        self.version = 0
        """Grows by one with every sync that brought something new."""

    def sync(self) -> dict[str, int]:
        """Append new reports and relations; return how many of each came in."""
        reports = [
            self._report(r)
            for r in _pages(self.store.list_reports)
            if r["id"] not in self._reports_seen
        ]
        self._reports_seen.update(int(r["report_id"]) for r in reports)
        added = self.graph.add_reports(reports)

        relations = [
            self._relation(r)
            for r in _pages(self.store.list_relations)
            if r["id"] > self._last_relation
        ]
        relations.sort(key=lambda r: int(r["relation_id"]))
        if relations:
            self._last_relation = int(relations[-1]["relation_id"])
        linked = self.graph.add_relations(relations)
        judged = self.graph.add_verdicts(self._new_verdicts())
        if reports or relations:
            self.version += 1
        quarantined = sum(len(batch.quarantine) for batch in (added, linked, judged))
        logger.info(
            "graph synced reports=%d relations=%d verdicts=%d quarantined=%d",
            len(added.rows),
            len(linked.rows),
            len(judged.rows),
            quarantined,
        )
        return {
            "reports": len(added.rows),
            "relations": len(linked.rows),
            "verdicts": len(judged.rows),
            "quarantined": quarantined,
        }

    def _new_verdicts(self) -> list[dict[str, Any]]:
        """Return the entity verdicts stored since the last sync, oldest first."""
        fresh: list[dict[str, Any]] = []
        newest = self._last_verdict
        for row in _pages(self.store.list_verdicts):  # newest first
            if row["id"] <= self._last_verdict:
                break
            newest = max(newest, int(row["id"]))
            if row.get("entity_id") is not None:
                fresh.append(row)
        self._last_verdict = newest
        return [self._verdict(r) for r in reversed(fresh)]

    def _verdict(self, row: dict[str, Any]) -> dict[str, Any]:
        return {
            "verdict_id": str(row["id"]),
            "entity": self._entity(row["entity_id"]),
            "detector": row["detector"],
            "risk": row["risk"],
            "label": row["label"],
            "scenario": row.get("scenario"),
        }

    def _report(self, row: dict[str, Any]) -> dict[str, Any]:
        return {
            "report_id": str(row["id"]),
            "loss": row.get("loss_amount") or 0.0,
            "at": row.get("occurred_at") or row.get("created_at") or 0.0,
            "victim": row.get("reporter") or None,
            "entities": [
                {"type": e["type"], "value": e["value"]}
                for e in row.get("entities", [])
            ],
        }

    def _relation(self, row: dict[str, Any]) -> dict[str, Any]:
        return {
            "relation_id": str(row["id"]),
            "kind": row["kind"],
            "src": self._entity(row["src_id"]),
            "dst": self._entity(row["dst_id"]),
            "amount": row.get("amount") or 0.0,
            "at": row.get("at") or 0.0,
        }

    def _entity(self, entity_id: int) -> dict[str, str]:
        if entity_id not in self._entities:
            found = self.store.get_entity(entity_id)
            self._entities[entity_id] = {"type": found["type"], "value": found["value"]}
        return self._entities[entity_id]


def _pages(fetch: Any) -> Iterator[dict[str, Any]]:
    offset = 0
    while True:
        page = fetch(limit=PAGE, offset=offset)
        yield from page["items"]
        offset += PAGE
        if offset >= page["total"]:
            return


def open_gang_case(store: Any, gang: Gang, actor: str = "system") -> dict[str, Any]:
    """Open a case in the store holding a gang's reports (at most 1,000).

    The gang's reports must come from the store (``StoreFeed`` ids are the store's
    report ids); the case description lists the gang's busiest entities, masked.
    """
    from fanzha.storage import CaseIn

    ids = [int(r) for r in gang.reports if str(r).isdigit()][:1000]
    top = [
        f"{kind}: {values[0]['value']}"
        for kind, values in gang.to_dict()["entities"].items()
        if values
    ]
    case = CaseIn(
        title=f"Suspected gang {gang.gang_id}: {len(gang.reports)} reports, "
        f"loss {gang.total_loss:,.0f}",
        description="Busiest entities: " + "; ".join(top),
        report_ids=ids,
    )
    data: dict[str, Any] = store.create_case(case, actor=actor)
    logger.info(
        "gang case opened gang=%s case=%s reports=%d",
        gang.gang_id,
        data.get("id"),
        len(ids),
    )
    return data


def store_mule_verdicts(
    store: Any,
    graph: EntityGraph,
    detector: Any,
    actor: str = "system",
    min_risk: float | None = None,
) -> list[Any]:
    """Score the graph's transfer accounts and store verdicts of likely mules.

    ``detector`` is a fitted ``MuleAccountDetector``; verdicts go to the store as
    kind ``graph``, each tied to its account entity. Returns the verdicts.
    """
    from fanzha.storage import EntityRef as StoredRef

    transfers = graph.transfers()
    if transfers.empty:
        return []
    verdicts = detector.graph_verdicts(transfers, min_risk)
    refs = [StoredRef(type="account", value=str(v.item_id)) for v in verdicts]
    if verdicts:
        store.add_verdicts(verdicts, kind="graph", entities=refs, actor=actor)
    logger.info(
        "mule verdicts stored accounts=%d flagged=%d",
        len(set(transfers["src"]) | set(transfers["dst"])),
        len(verdicts),
    )
    return list(verdicts)
