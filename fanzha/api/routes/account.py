"""``/v1/me``, ``/v1/stats`` and the audit log."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from fanzha.api.deps import Admin, Limit, Offset, StoreDep, Viewer

router = APIRouter(tags=["account"])


@router.get("/me")
def me(principal: Viewer) -> dict[str, Any]:
    """Return the name and role of the calling API key."""
    return {"name": principal.name, "role": principal.role}


@router.get("/stats")
def stats(
    store: StoreDep,
    _: Viewer,
    days: Annotated[int, Query(ge=1, le=365, description="days in the chart")] = 30,
) -> dict[str, Any]:
    """Return counts per table, verdicts by label and reports per day."""
    return store.stats(days=days)


@router.get("/audit")
def audit_log(
    store: StoreDep,
    _: Admin,
    object_type: Annotated[str | None, Query(max_length=64)] = None,
    actor: Annotated[str | None, Query(max_length=200)] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Return audit rows, newest first (admin only)."""
    return store.list_audit(
        object_type=object_type, actor=actor, limit=limit, offset=offset
    )
