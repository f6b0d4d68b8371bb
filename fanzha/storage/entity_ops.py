"""Entities and the relations between them (calls, transfers, logins, ...)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from fanzha.errors import NotFoundError
from fanzha.pii import mask_value
from fanzha.storage.models import Entity, Relation
from fanzha.storage.schemas import EntityRef, RelationIn
from fanzha.storage.serialize import to_dict
from fanzha.storage.store_base import StoreBase
from fanzha.storage.types import utcnow

logger = logging.getLogger(__name__)


def ensure_entity(
    session: Session, ref: EntityRef, attrs: dict[str, Any] | None = None
) -> Entity:
    """Return the entity row for ``ref`` (already normalised), creating it if new."""
    row = session.scalar(
        select(Entity).where(Entity.type == ref.type, Entity.value == ref.value)
    )
    now = utcnow()
    if row is None:
        row = Entity(
            type=ref.type,
            value=ref.value,
            display=mask_value(ref.type, ref.value),
            attrs=dict(attrs or {}),
            first_seen=now,
            last_seen=now,
        )
        session.add(row)
        session.flush()
        return row
    row.last_seen = now
    if attrs:
        row.attrs = {**row.attrs, **attrs}
    return row


class EntityOps(StoreBase):
    """Find, list and link entities."""

    def upsert_entity(
        self,
        type: str,
        value: str,
        attrs: dict[str, Any] | None = None,
        *,
        actor: str = "system",
    ) -> dict[str, Any]:
        """Store an entity (normalising ``value``) and return it as a dict."""
        ref = EntityRef(type=type, value=value)
        with self.session() as session:
            row = ensure_entity(session, ref, attrs)
            self._audit(
                session, actor, "entity.upsert", "entity", row.id, after=to_dict(row)
            )
            return to_dict(row)

    def find_entity(self, type: str, value: str) -> dict[str, Any]:
        """Return the entity with this type and (raw or normal) value."""
        ref = EntityRef(type=type, value=value)
        with self.session() as session:
            row = session.scalar(
                select(Entity).where(Entity.type == ref.type, Entity.value == ref.value)
            )
            if row is None:
                raise NotFoundError(f"no {ref.type} entity with value {ref.value!r}")
            return to_dict(row)

    def get_entity(self, entity_id: int) -> dict[str, Any]:
        """Return one entity by id."""
        with self.session() as session:
            row = session.get(Entity, entity_id)
            if row is None:
                raise NotFoundError(f"entity {entity_id} does not exist")
            return to_dict(row)

    def list_entities(
        self, type: str | None = None, limit: int = 50, offset: int = 0
    ) -> dict[str, Any]:
        """Return a page of entities, newest first, optionally of one type."""
        stmt = select(Entity).order_by(Entity.last_seen.desc(), Entity.id.desc())
        if type:
            stmt = stmt.where(Entity.type == type)
        with self.session() as session:
            return self._page(session, stmt, limit, offset)

    def add_relations(
        self, relations: Sequence[RelationIn], *, actor: str = "system"
    ) -> list[int]:
        """Store directed edges between entities; return their ids."""
        with self.session() as session:
            rows = [self._relation_row(session, rel) for rel in relations]
            session.flush()
            ids = [row.id for row in rows]
            self._audit(
                session,
                actor,
                "relation.add",
                "relation",
                _span(ids),
                after={"count": len(ids), "ids": ids[:1000]},
            )
            return ids

    def _relation_row(self, session: Session, rel: RelationIn) -> Relation:
        src = ensure_entity(session, rel.src)
        dst = ensure_entity(session, rel.dst)
        row = Relation(
            src_id=src.id,
            dst_id=dst.id,
            kind=rel.kind,
            amount=rel.amount,
            at=rel.at,
            attrs=rel.attrs,
        )
        session.add(row)
        return row

    def list_relations(
        self,
        kind: str | None = None,
        entity_id: int | None = None,
        since: datetime | None = None,
        limit: int = 1000,
        offset: int = 0,
    ) -> dict[str, Any]:
        """Return a page of relations, optionally of one kind or touching an entity."""
        stmt = select(Relation).order_by(Relation.id)
        if kind:
            stmt = stmt.where(Relation.kind == kind)
        if entity_id is not None:
            stmt = stmt.where(
                or_(Relation.src_id == entity_id, Relation.dst_id == entity_id)
            )
        if since is not None:
            stmt = stmt.where(Relation.at >= since)
        with self.session() as session:
            return self._page(session, stmt, limit, offset)


def _span(ids: Sequence[int]) -> str | None:
    """Name a batch of ids in one audit row: ``"12"`` or ``"12-40"``."""
    if not ids:
        return None
    return str(ids[0]) if len(ids) == 1 else f"{min(ids)}-{max(ids)}"
