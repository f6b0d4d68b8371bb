"""``/v1/blacklist``: report entities and move entries through their lifecycle.

``reported`` -> ``marked`` -> ``appealed`` -> ``marked`` or ``recycled``; a step
the lifecycle does not allow answers 409.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query

from fanzha.api.deps import (
    Analyst,
    IdPath,
    Limit,
    Offset,
    Reporter,
    StoreDep,
    Viewer,
)
from fanzha.errors import NotFoundError
from fanzha.storage import BlacklistIn, TransitionIn

router = APIRouter(tags=["blacklist"])
Status = Annotated[str | None, Query(pattern="^(reported|marked|appealed|recycled)$")]
Transition = Annotated[TransitionIn | None, Body()]


@router.post("/blacklist", status_code=201)
def report_entity(entry: BlacklistIn, store: StoreDep, who: Reporter) -> dict[str, Any]:
    """Put an entity on the blacklist as ``reported`` (409 if it has an open entry)."""
    return store.report_to_blacklist(entry, actor=who.name)


@router.get("/blacklist")
def list_entries(
    store: StoreDep,
    _: Viewer,
    status: Status = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Return blacklist entries, newest first, optionally in one status."""
    return store.list_blacklist(status=status, limit=limit, offset=offset)


@router.get("/blacklist/check")
def check_entity(
    store: StoreDep,
    _: Viewer,
    type: Annotated[str, Query(max_length=32)],
    value: Annotated[str, Query(min_length=1, max_length=2048)],
) -> dict[str, Any]:
    """Return the open entry of an entity; 404 if it is not on the blacklist."""
    entry = store.check_blacklist(type, value)
    if entry is None:
        raise NotFoundError(f"{type} {value!r} has no open blacklist entry")
    return entry


@router.get("/blacklist/{entry_id}")
def get_entry(entry_id: IdPath, store: StoreDep, _: Viewer) -> dict[str, Any]:
    """Return one blacklist entry."""
    return store.get_blacklist_entry(entry_id)


@router.post("/blacklist/{entry_id}/mark")
def mark(
    entry_id: IdPath, store: StoreDep, who: Analyst, body: Transition = None
) -> dict[str, Any]:
    """Confirm an entry as fraud (from ``reported`` or ``appealed``)."""
    return _move(store, entry_id, "marked", body, who.name)


@router.post("/blacklist/{entry_id}/appeal")
def appeal(
    entry_id: IdPath, store: StoreDep, who: Reporter, body: Transition = None
) -> dict[str, Any]:
    """Appeal a ``marked`` entry on the owner's behalf."""
    return _move(store, entry_id, "appealed", body, who.name)


@router.post("/blacklist/{entry_id}/recycle")
def recycle(
    entry_id: IdPath, store: StoreDep, who: Analyst, body: Transition = None
) -> dict[str, Any]:
    """Release the entity: the entry becomes ``recycled`` (final)."""
    return _move(store, entry_id, "recycled", body, who.name)


def _move(
    store: Any, entry_id: int, status: str, body: TransitionIn | None, actor: str
) -> dict[str, Any]:
    reason = body.reason if body is not None else ""
    result: dict[str, Any] = store.transition_blacklist(
        entry_id, status, reason, actor=actor
    )
    return result
