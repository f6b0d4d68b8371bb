"""``/v1/graph``: gangs from stored reports, money traces, entity neighbourhoods.

The entity graph is fed from the store incrementally (``StoreFeed``): each call
appends the reports, relations and entity verdicts that arrived since the last
one, then analyses the graph. Gang listings give each entity's highest verdict
risk; phone and card numbers are always masked there.
"""

from __future__ import annotations

import threading
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request

from fanzha.api.deps import Analyst, StoreDep
from fanzha.entities import normalize_entity
from fanzha.graph.entity_graph import OPERATED_TOGETHER
from fanzha.graph.gang_report import gang_graph
from fanzha.graph.gangs import GangParams
from fanzha.graph.money_eval import load_mule_model
from fanzha.graph.records import EntityRef
from fanzha.graph.service import GangResult, find_gangs
from fanzha.graph.store_source import StoreFeed, open_gang_case, store_mule_verdicts
from fanzha.graph.trace import TransferIndex, trace_funds

router = APIRouter(prefix="/graph", tags=["graph"])
_lock = threading.Lock()

Top = Annotated[int, Query(ge=1, le=500, description="most gangs to return")]
MinReports = Annotated[int, Query(ge=1, le=10_000, description="smallest gang")]


def _feed(request: Request, store: Any) -> StoreFeed:
    with _lock:
        feed = getattr(request.app.state, "graph_feed", None)
        if feed is None or feed.store is not store:
            feed = StoreFeed(store)
            request.app.state.graph_feed = feed
        feed.sync()
        return feed


def _gangs(request: Request, store: Any, min_reports: int) -> GangResult:
    # Gangs are recomputed only when the store brought new reports or relations.
    feed = _feed(request, store)
    key = (id(feed), feed.version, min_reports)
    cached = getattr(request.app.state, "gang_result", None)
    if cached is not None and cached[0] == key:
        return cached[1]
    result = _discover(feed, min_reports)
    request.app.state.gang_result = (key, result)
    return result


def _risk(request: Request) -> dict[EntityRef, float]:
    # The feed was synced by the call that listed the gangs.
    risk: dict[EntityRef, float] = request.app.state.graph_feed.graph.entity_risk()
    return risk


def _discover(feed: StoreFeed, min_reports: int) -> GangResult:
    graph = feed.graph
    links = [(r.src, r.dst) for r in graph.relations if r.kind in OPERATED_TOGETHER]
    result = find_gangs(
        list(graph.reports.values()), GangParams(), min_reports, links=links
    )
    result.quarantine = list(graph.quarantine) + result.quarantine
    return result


@router.get("/gangs")
def list_gangs(
    request: Request,
    store: StoreDep,
    _: Analyst,
    top: Top = 20,
    min_reports: MinReports = 2,
) -> dict[str, Any]:
    """Return the most harmful gangs among the stored reports."""
    result = _gangs(request, store, min_reports)
    return result.to_dict(top=top, risk=_risk(request))


@router.get("/gangs/{gang_id}")
def get_gang(
    gang_id: Annotated[str, Path(min_length=1, max_length=64)],
    request: Request,
    store: StoreDep,
    _: Analyst,
    min_reports: MinReports = 2,
) -> dict[str, Any]:
    """Return one gang with its report-entity graph for drawing."""
    result = _gangs(request, store, min_reports)
    gang = result.gang(gang_id)
    risk = _risk(request)
    data = gang.to_dict(risk=risk)
    if result.incidence is not None:
        data["graph"] = gang_graph(result.incidence, gang, risk=risk)
    return data


@router.post("/gangs/{gang_id}/case", status_code=201)
def open_case(
    gang_id: Annotated[str, Path(min_length=1, max_length=64)],
    request: Request,
    store: StoreDep,
    principal: Analyst,
) -> dict[str, Any]:
    """Open a case holding the gang's reports, for investigators."""
    gang = _gangs(request, store, 2).gang(gang_id)
    return open_gang_case(store, gang, actor=principal.name)


@router.post("/mules/score")
def score_mules(
    request: Request,
    store: StoreDep,
    principal: Analyst,
    min_risk: Annotated[float | None, Query(ge=0.0, le=1.0)] = None,
    top: Top = 20,
) -> dict[str, Any]:
    """Score every account of the stored transfers with the shipped mule model.

    Accounts at or above ``min_risk`` (default: the model's threshold) are stored
    as verdicts of kind ``graph`` and listed, riskiest first.
    """
    graph = _feed(request, store).graph
    verdicts = store_mule_verdicts(
        store, graph, load_mule_model(), principal.name, min_risk
    )
    return {
        "flagged": len(verdicts),
        "verdicts": [v.model_dump() for v in verdicts[:top]],
    }


@router.get("/trace")
def trace(
    request: Request,
    store: StoreDep,
    _: Analyst,
    transfer_id: Annotated[str, Query(min_length=1, max_length=64)],
    max_hops: Annotated[int, Query(ge=1, le=20)] = 6,
    window_days: Annotated[float, Query(gt=0, le=3650)] = 30.0,
) -> dict[str, Any]:
    """Follow the money of one stored transfer (its relation id) downstream."""
    transfers = _feed(request, store).graph.transfers()
    index = TransferIndex(transfers)
    return trace_funds(index, transfer_id, max_hops, window_days * 86400.0).to_dict()


@router.get("/neighbourhood")
def neighbourhood(
    request: Request,
    store: StoreDep,
    _: Analyst,
    type: Annotated[str, Query(max_length=32)],
    value: Annotated[str, Query(min_length=1, max_length=2048)],
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> dict[str, Any]:
    """Return the reports naming an entity and the relations touching it."""
    ref = EntityRef(type, normalize_entity(type, value))
    return _feed(request, store).graph.neighbourhood(ref, limit)
