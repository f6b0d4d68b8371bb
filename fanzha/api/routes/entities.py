"""``/v1/entities`` and ``/v1/verdicts``: what fanzha knows and what it judged."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from fanzha.api.deps import MAX_ID, IdPath, Limit, Offset, StoreDep, Viewer

router = APIRouter(tags=["entities"])

ShortQuery = Annotated[str | None, Query(max_length=100)]


@router.get("/entities")
def list_entities(
    store: StoreDep,
    _: Viewer,
    type: Annotated[str | None, Query(max_length=32)] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Return entities, most recently seen first, optionally of one type."""
    return store.list_entities(type=type, limit=limit, offset=offset)


@router.get("/entities/lookup")
def lookup_entity(
    store: StoreDep,
    _: Viewer,
    type: Annotated[str, Query(max_length=32)],
    value: Annotated[str, Query(min_length=1, max_length=2048)],
) -> dict[str, Any]:
    """Return the entity with this type and value (the value is normalised first)."""
    entity = store.find_entity(type, value)
    entity["blacklist"] = store.check_blacklist(type, value)
    return entity


@router.get("/entities/{entity_id}")
def get_entity(entity_id: IdPath, store: StoreDep, _: Viewer) -> dict[str, Any]:
    """Return one entity by id."""
    return store.get_entity(entity_id)


@router.get("/verdicts")
def list_verdicts(
    store: StoreDep,
    _: Viewer,
    detector: ShortQuery = None,
    kind: ShortQuery = None,
    label: ShortQuery = None,
    entity_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    min_risk: Annotated[float | None, Query(ge=0.0, le=1.0)] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Return verdicts, newest first, filtered by detector, kind, label or risk."""
    return store.list_verdicts(
        detector=detector,
        kind=kind,
        label=label,
        entity_id=entity_id,
        min_risk=min_risk,
        limit=limit,
        offset=offset,
    )


@router.get("/verdicts/{verdict_id}")
def get_verdict(verdict_id: IdPath, store: StoreDep, _: Viewer) -> dict[str, Any]:
    """Return one verdict by id."""
    return store.get_verdict(verdict_id)
