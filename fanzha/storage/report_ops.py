"""Reports from victims and users, each naming several entities."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError as PydanticValidationError
from sqlalchemy import select

from fanzha.errors import NotFoundError
from fanzha.storage.entity_ops import ensure_entity
from fanzha.storage.models import QuarantineRow, Report, ReportEntity
from fanzha.storage.schemas import EntityRef, ReportIn
from fanzha.storage.serialize import storable_text, to_dict
from fanzha.storage.store_base import StoreBase

logger = logging.getLogger(__name__)


def report_dict(row: Report) -> dict[str, Any]:
    """Return a report with the entities it names (masked display values)."""
    data = to_dict(row)
    data["entities"] = [
        {
            "entity_id": link.entity_id,
            "type": link.entity.type,
            "value": link.entity.value,
            "display": link.entity.display,
            "role": link.role,
        }
        for link in row.links
    ]
    return data


class ReportOps(StoreBase):
    """Store and read reports, one by one or in batches."""

    def add_report(self, report: ReportIn, *, actor: str = "system") -> dict[str, Any]:
        """Store a report and the entities it names; return it with their ids."""
        with self.session() as session:
            row = Report(**report.model_dump(exclude={"entities"}))
            session.add(row)
            session.flush()
            for ref in report.entities:
                entity = ensure_entity(
                    session, EntityRef(type=ref.type, value=ref.value)
                )
                session.add(
                    ReportEntity(report_id=row.id, entity_id=entity.id, role=ref.role)
                )
            session.flush()
            session.refresh(row)
            data = report_dict(row)
            self._audit(session, actor, "report.create", "report", row.id, after=data)
            return data

    def add_reports(
        self,
        raw_reports: Sequence[Any],
        source: str = "batch",
        *,
        actor: str = "system",
    ) -> dict[str, Any]:
        """Validate and store many reports; invalid ones go to the quarantine.

        Each valid report is stored even when others beside it are invalid.
        Returns ``{"stored": [ids], "rejected": [...]}``; each rejection has the
        ``index`` (from 0, input order), the ``errors`` and the ``quarantine_id``.
        """
        stored: list[int] = []
        rejected: list[dict[str, Any]] = []
        for index, raw in enumerate(raw_reports):
            try:
                report = ReportIn.model_validate(raw)
            except PydanticValidationError as exc:
                rejected.append(self._reject(source, index, raw, exc, actor))
                continue
            stored.append(self.add_report(report, actor=actor)["id"])
        logger.info(
            "reports batch source=%s stored=%s rejected=%s",
            source,
            len(stored),
            len(rejected),
        )
        return {"stored": stored, "rejected": rejected}

    def _reject(
        self,
        source: str,
        index: int,
        raw: Any,
        exc: PydanticValidationError,
        actor: str,
    ) -> dict[str, Any]:
        errors = [
            {
                "field": ".".join(str(p) for p in e["loc"]),
                "message": str(e["msg"]).removeprefix("Value error, "),
            }
            for e in exc.errors()
        ]
        reason = storable_text(
            "; ".join(f"{e['field']}: {e['message']}" for e in errors)
        )
        raw_text = storable_text(json.dumps(raw, ensure_ascii=False, default=str))
        with self.session() as session:
            row = QuarantineRow(
                source=storable_text(source, 512),
                line=index,
                reason=reason,
                raw=raw_text,
            )
            session.add(row)
            session.flush()
            qid = row.id
            self._audit(
                session,
                actor,
                "quarantine.add",
                "quarantine",
                qid,
                after={"source": source, "line": index, "reason": reason},
            )
        return {"index": index, "errors": errors, "quarantine_id": qid}

    def get_report(self, report_id: int) -> dict[str, Any]:
        """Return one report with its entities."""
        with self.session() as session:
            row = session.get(Report, report_id)
            if row is None:
                raise NotFoundError(f"report {report_id} does not exist")
            return report_dict(row)

    def list_reports(
        self,
        entity_id: int | None = None,
        source: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> dict[str, Any]:
        """Return a page of reports, newest first, optionally naming one entity."""
        stmt = select(Report).order_by(Report.created_at.desc(), Report.id.desc())
        if source is not None:
            stmt = stmt.where(Report.source == source)
        if entity_id is not None:
            stmt = stmt.where(
                Report.id.in_(
                    select(ReportEntity.report_id).where(
                        ReportEntity.entity_id == entity_id
                    )
                )
            )
        with self.session() as session:
            return self._page(session, stmt, limit, offset, render=report_dict)
