"""``/v1/alerts`` and ``/v1/cases``: analysts' work items."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from fanzha.api.deps import Analyst, IdPath, Limit, Offset, StoreDep, Viewer
from fanzha.storage import AlertIn, AlertUpdate, CaseIn, CaseUpdate
from fanzha.storage.schemas import AlertStatus, CaseStatus, Severity

router = APIRouter(tags=["alerts and cases"])


@router.post("/alerts", status_code=201)
def create_alert(alert: AlertIn, store: StoreDep, who: Analyst) -> dict[str, Any]:
    """Open an alert, optionally about an entity and a verdict."""
    return store.create_alert(alert, actor=who.name)


@router.get("/alerts")
def list_alerts(
    store: StoreDep,
    _: Viewer,
    status: Annotated[AlertStatus | None, Query()] = None,
    severity: Annotated[Severity | None, Query()] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Return alerts, newest first."""
    return store.list_alerts(
        status=status, severity=severity, limit=limit, offset=offset
    )


@router.get("/alerts/{alert_id}")
def get_alert(alert_id: IdPath, store: StoreDep, _: Viewer) -> dict[str, Any]:
    """Return one alert."""
    return store.get_alert(alert_id)


@router.patch("/alerts/{alert_id}")
def update_alert(
    alert_id: IdPath, change: AlertUpdate, store: StoreDep, who: Analyst
) -> dict[str, Any]:
    """Change an alert's status or severity."""
    return store.update_alert(alert_id, change, actor=who.name)


@router.post("/cases", status_code=201)
def create_case(case: CaseIn, store: StoreDep, who: Analyst) -> dict[str, Any]:
    """Open a case grouping alerts and reports."""
    return store.create_case(case, actor=who.name)


@router.get("/cases")
def list_cases(
    store: StoreDep,
    _: Viewer,
    status: Annotated[CaseStatus | None, Query()] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Return cases, newest first, with their alert and report ids."""
    return store.list_cases(status=status, limit=limit, offset=offset)


@router.get("/cases/{case_id}")
def get_case(case_id: IdPath, store: StoreDep, _: Viewer) -> dict[str, Any]:
    """Return one case."""
    return store.get_case(case_id)


@router.patch("/cases/{case_id}")
def update_case(
    case_id: IdPath, change: CaseUpdate, store: StoreDep, who: Analyst
) -> dict[str, Any]:
    """Change a case's status or description, or link more alerts and reports."""
    return store.update_case(case_id, change, actor=who.name)
