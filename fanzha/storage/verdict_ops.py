"""Verdicts: what detectors judged, stored with the item and entity they concern."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fanzha.errors import NotFoundError, ValidationError
from fanzha.storage.entity_ops import _span, ensure_entity
from fanzha.storage.models import VerdictRow
from fanzha.storage.schemas import EntityRef
from fanzha.storage.serialize import to_dict
from fanzha.storage.store_base import StoreBase
from fanzha.verdict import Verdict

logger = logging.getLogger(__name__)


class VerdictOps(StoreBase):
    """Store and read verdicts."""

    def add_verdicts(
        self,
        verdicts: Sequence[Verdict],
        *,
        kind: str,
        entities: Sequence[EntityRef | None] | None = None,
        actor: str = "system",
    ) -> list[int]:
        """Store verdicts of one kind (``text``, ``calls``, ``links``...).

        Parameters
        ----------
        verdicts
            The detectors' verdicts; ``item_id`` becomes the stored ``item_ref``.
        kind
            What was scored: ``text``, ``calls``, ``links``, ``accounts``, ``graph``.
        entities
            Optional entity each verdict is about, aligned with ``verdicts``.

        Returns
        -------
        list[int]
            The new verdict ids, in input order.
        """
        if entities is not None and len(entities) != len(verdicts):
            raise ValidationError(
                f"got {len(verdicts)} verdicts but {len(entities)} entity refs; "
                "pass one ref (or None) per verdict"
            )
        refs = list(entities) if entities is not None else [None] * len(verdicts)
        with self.session() as session:
            rows = [
                self._verdict_row(session, v, kind, r)
                for v, r in zip(verdicts, refs, strict=True)
            ]
            session.flush()
            ids = [row.id for row in rows]
            self._audit(
                session,
                actor,
                "verdict.add",
                "verdict",
                _span(ids),
                after={"count": len(ids), "kind": kind, "ids": ids[:1000]},
            )
            return ids

    def _verdict_row(
        self, session: Session, verdict: Verdict, kind: str, ref: EntityRef | None
    ) -> VerdictRow:
        entity_id = ensure_entity(session, ref).id if ref is not None else None
        row = VerdictRow(
            detector=verdict.detector,
            kind=kind,
            model_version=verdict.model_version,
            risk=verdict.risk,
            label=verdict.label,
            scenario=verdict.scenario,
            evidence=[e.model_dump(mode="json") for e in verdict.evidence],
            item_ref=verdict.item_id,
            entity_id=entity_id,
        )
        session.add(row)
        return row

    def list_verdicts(
        self,
        detector: str | None = None,
        kind: str | None = None,
        label: str | None = None,
        entity_id: int | None = None,
        min_risk: float | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> dict[str, Any]:
        """Return a page of verdicts, newest first, filtered as asked."""
        stmt = select(VerdictRow).order_by(VerdictRow.id.desc())
        filters = (
            (VerdictRow.detector, detector),
            (VerdictRow.kind, kind),
            (VerdictRow.label, label),
            (VerdictRow.entity_id, entity_id),
        )
        for column, value in filters:
            if value is not None:
                stmt = stmt.where(column == value)
        if min_risk is not None:
            stmt = stmt.where(VerdictRow.risk >= min_risk)
        with self.session() as session:
            return self._page(session, stmt, limit, offset)

    def get_verdict(self, verdict_id: int) -> dict[str, Any]:
        """Return one verdict by id."""
        with self.session() as session:
            row = session.get(VerdictRow, verdict_id)
            if row is None:
                raise NotFoundError(f"verdict {verdict_id} does not exist")
            return to_dict(row)
