"""The sample library (known black and white examples) and the quarantine."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select

from fanzha.errors import NotFoundError
from fanzha.storage.entity_ops import _span
from fanzha.storage.models import QuarantineRow, Sample
from fanzha.storage.schemas import ReviewStatus, SampleIn
from fanzha.storage.serialize import storable_text, to_dict
from fanzha.storage.store_base import StoreBase

logger = logging.getLogger(__name__)


class LibraryOps(StoreBase):
    """Add, review and list samples; keep and list quarantined input."""

    def add_samples(
        self, samples: Sequence[SampleIn], *, actor: str = "system"
    ) -> list[int]:
        """Store samples (e.g. phishing pages of one campaign); return their ids."""
        with self.session() as session:
            rows = [Sample(**s.model_dump()) for s in samples]
            session.add_all(rows)
            session.flush()
            ids = [row.id for row in rows]
            self._audit(
                session,
                actor,
                "sample.add",
                "sample",
                _span(ids),
                after={"count": len(ids), "ids": ids[:1000]},
            )
            return ids

    def review_sample(
        self, sample_id: int, status: ReviewStatus, *, actor: str = "system"
    ) -> dict[str, Any]:
        """Set a sample's review status (``pending``, ``approved``, ``rejected``)."""
        with self.session() as session:
            row = session.get(Sample, sample_id)
            if row is None:
                raise NotFoundError(f"sample {sample_id} does not exist")
            before = to_dict(row)
            row.review_status = status
            session.flush()
            self._audit(
                session,
                actor,
                "sample.review",
                "sample",
                row.id,
                before=before,
                after=to_dict(row),
            )
            return to_dict(row)

    def list_samples(
        self,
        kind: str | None = None,
        label: str | None = None,
        review_status: str | None = None,
        limit: int = 1000,
        offset: int = 0,
    ) -> dict[str, Any]:
        """Return a page of samples in id order, filtered as asked."""
        stmt = select(Sample).order_by(Sample.id)
        for column, value in (
            (Sample.kind, kind),
            (Sample.label, label),
            (Sample.review_status, review_status),
        ):
            if value is not None:
                stmt = stmt.where(column == value)
        with self.session() as session:
            return self._page(session, stmt, limit, offset)

    def quarantine(
        self,
        source: str,
        line: int | None,
        reason: str,
        raw: str = "",
        *,
        actor: str = "system",
    ) -> int:
        """Keep an invalid record with where it came from and why; return its id."""
        with self.session() as session:
            row = QuarantineRow(
                source=storable_text(source, 512),
                line=line,
                reason=storable_text(reason),
                raw=storable_text(raw),
            )
            session.add(row)
            session.flush()
            logger.info("quarantined source=%s line=%s", source, line)
            return row.id

    def list_quarantine(
        self, source: str | None = None, limit: int = 50, offset: int = 0
    ) -> dict[str, Any]:
        """Return a page of quarantined records, newest first."""
        stmt = select(QuarantineRow).order_by(QuarantineRow.id.desc())
        if source:
            stmt = stmt.where(QuarantineRow.source == source)
        with self.session() as session:
            return self._page(session, stmt, limit, offset)
