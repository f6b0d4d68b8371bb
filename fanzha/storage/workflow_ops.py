"""Alerts for analysts and the cases that group them with reports."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fanzha.errors import NotFoundError
from fanzha.storage.entity_ops import ensure_entity
from fanzha.storage.models import Report, VerdictRow
from fanzha.storage.schemas import AlertIn, AlertUpdate, CaseIn, CaseUpdate
from fanzha.storage.serialize import to_dict
from fanzha.storage.store_base import StoreBase
from fanzha.storage.workflow_models import Alert, Case, CaseAlert, CaseReport

logger = logging.getLogger(__name__)


def _case_dict(session: Session, row: Case) -> dict[str, Any]:
    data = to_dict(row)
    data["alert_ids"] = sorted(
        session.scalars(select(CaseAlert.alert_id).where(CaseAlert.case_id == row.id))
    )
    data["report_ids"] = sorted(
        session.scalars(
            select(CaseReport.report_id).where(CaseReport.case_id == row.id)
        )
    )
    return data


class WorkflowOps(StoreBase):
    """Create, update and list alerts and cases."""

    def create_alert(self, alert: AlertIn, *, actor: str = "system") -> dict[str, Any]:
        """Open an alert, optionally about an entity and a verdict."""
        with self.session() as session:
            if alert.verdict_id is not None:
                _require(session, VerdictRow, alert.verdict_id, "verdict")
            entity_id = (
                ensure_entity(session, alert.entity).id if alert.entity else None
            )
            row = Alert(
                title=alert.title,
                severity=alert.severity,
                entity_id=entity_id,
                verdict_id=alert.verdict_id,
            )
            session.add(row)
            session.flush()
            self._audit(
                session, actor, "alert.create", "alert", row.id, after=to_dict(row)
            )
            return to_dict(row)

    def update_alert(
        self, alert_id: int, change: AlertUpdate, *, actor: str = "system"
    ) -> dict[str, Any]:
        """Change an alert's status or severity."""
        with self.session() as session:
            row = _require(session, Alert, alert_id, "alert")
            before = to_dict(row)
            for field, value in change.model_dump(exclude_none=True).items():
                setattr(row, field, value)
            session.flush()
            self._audit(
                session,
                actor,
                "alert.update",
                "alert",
                row.id,
                before=before,
                after=to_dict(row),
            )
            return to_dict(row)

    def get_alert(self, alert_id: int) -> dict[str, Any]:
        """Return one alert by id."""
        with self.session() as session:
            return to_dict(_require(session, Alert, alert_id, "alert"))

    def list_alerts(
        self,
        status: str | None = None,
        severity: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> dict[str, Any]:
        """Return a page of alerts, newest first."""
        stmt = select(Alert).order_by(Alert.id.desc())
        if status:
            stmt = stmt.where(Alert.status == status)
        if severity:
            stmt = stmt.where(Alert.severity == severity)
        with self.session() as session:
            return self._page(session, stmt, limit, offset)

    def create_case(self, case: CaseIn, *, actor: str = "system") -> dict[str, Any]:
        """Open a case and link the given alerts and reports to it."""
        with self.session() as session:
            row = Case(title=case.title, description=case.description)
            session.add(row)
            session.flush()
            _link(session, row.id, case.alert_ids, case.report_ids)
            data = _case_dict(session, row)
            self._audit(session, actor, "case.create", "case", row.id, after=data)
            return data

    def update_case(
        self, case_id: int, change: CaseUpdate, *, actor: str = "system"
    ) -> dict[str, Any]:
        """Change a case's status or description and link more alerts/reports."""
        with self.session() as session:
            row = _require(session, Case, case_id, "case")
            before = _case_dict(session, row)
            if change.status is not None:
                row.status = change.status
            if change.description is not None:
                row.description = change.description
            _link(session, row.id, change.add_alert_ids, change.add_report_ids)
            session.flush()
            after = _case_dict(session, row)
            self._audit(
                session,
                actor,
                "case.update",
                "case",
                row.id,
                before=before,
                after=after,
            )
            return after

    def get_case(self, case_id: int) -> dict[str, Any]:
        """Return one case with the ids of its alerts and reports."""
        with self.session() as session:
            return _case_dict(session, _require(session, Case, case_id, "case"))

    def list_cases(
        self, status: str | None = None, limit: int = 50, offset: int = 0
    ) -> dict[str, Any]:
        """Return a page of cases, newest first."""
        stmt = select(Case).order_by(Case.id.desc())
        if status:
            stmt = stmt.where(Case.status == status)
        with self.session() as session:
            return self._page(
                session, stmt, limit, offset, render=lambda r: _case_dict(session, r)
            )


def _require(session: Session, model: type[Any], row_id: int, what: str) -> Any:
    row = session.get(model, row_id)
    if row is None:
        raise NotFoundError(f"{what} {row_id} does not exist")
    return row


def _link(
    session: Session, case_id: int, alert_ids: Sequence[int], report_ids: Sequence[int]
) -> None:
    linked_alerts = set(
        session.scalars(select(CaseAlert.alert_id).where(CaseAlert.case_id == case_id))
    )
    linked_reports = set(
        session.scalars(
            select(CaseReport.report_id).where(CaseReport.case_id == case_id)
        )
    )
    for alert_id in dict.fromkeys(alert_ids):
        _require(session, Alert, alert_id, "alert")
        if alert_id not in linked_alerts:
            session.add(CaseAlert(case_id=case_id, alert_id=alert_id))
    for report_id in dict.fromkeys(report_ids):
        _require(session, Report, report_id, "report")
        if report_id not in linked_reports:
            session.add(CaseReport(case_id=case_id, report_id=report_id))
    session.flush()
