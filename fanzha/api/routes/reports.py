"""``/v1/reports``: victims' and users' reports naming several entities."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import Field

from fanzha.api.deps import (
    MAX_ID,
    IdPath,
    Limit,
    Offset,
    Reporter,
    SettingsDep,
    StoreDep,
    Viewer,
)
from fanzha.errors import ValidationError
from fanzha.storage import ReportIn
from fanzha.storage.schemas import StrictModel

router = APIRouter(tags=["reports"])


@router.post("/reports", status_code=201)
def create_report(report: ReportIn, store: StoreDep, who: Reporter) -> dict[str, Any]:
    """Store one report; every entity is normalised (invalid ones give 422)."""
    return store.add_report(report, actor=who.name)


class ReportBatchIn(StrictModel):
    """Many reports at once; each is checked on its own."""

    reports: list[Any] = Field(min_length=1, max_length=1000)


@router.post("/reports/batch")
def create_reports(
    batch: ReportBatchIn, store: StoreDep, settings: SettingsDep, who: Reporter
) -> dict[str, Any]:
    """Store every valid report; invalid ones are quarantined and listed.

    The answer is ``{"stored": [ids], "rejected": [{"index", "errors",
    "quarantine_id"}]}``; a bad report never blocks the good ones beside it.
    """
    if len(batch.reports) > int(settings.max_batch):
        raise ValidationError(
            f"{len(batch.reports)} reports is more than max_batch "
            f"({settings.max_batch}); split the batch",
            record="reports",
        )
    return store.add_reports(batch.reports, source=f"api:{who.name}", actor=who.name)


@router.get("/reports")
def list_reports(
    store: StoreDep,
    _: Viewer,
    entity_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Return reports, newest first, optionally only those naming an entity."""
    return store.list_reports(entity_id=entity_id, limit=limit, offset=offset)


@router.get("/reports/{report_id}")
def get_report(report_id: IdPath, store: StoreDep, _: Viewer) -> dict[str, Any]:
    """Return one report with its entities."""
    return store.get_report(report_id)
