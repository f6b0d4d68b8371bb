"""Blacklist entries and their lifecycle: reported -> marked -> appealed -> recycled.

An entry starts ``reported``. An analyst ``marked`` it as confirmed fraud, the
owner may then have it ``appealed``; an appeal is settled by marking it again or
recycling it. ``recycled`` is final: the entity is released, and a new report
opens a new entry.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fanzha.errors import ConflictError, NotFoundError, ValidationError
from fanzha.storage.entity_ops import ensure_entity
from fanzha.storage.models import Entity
from fanzha.storage.schemas import BlacklistIn, EntityRef
from fanzha.storage.serialize import to_dict
from fanzha.storage.store_base import StoreBase
from fanzha.storage.workflow_models import BlacklistEntry

logger = logging.getLogger(__name__)

STATUSES: tuple[str, ...] = ("reported", "marked", "appealed", "recycled")
TRANSITIONS: dict[str, frozenset[str]] = {
    "reported": frozenset({"marked", "recycled"}),
    "marked": frozenset({"appealed", "recycled"}),
    "appealed": frozenset({"marked", "recycled"}),
    "recycled": frozenset(),
}
"""Allowed next statuses of each status."""


def entry_dict(row: BlacklistEntry, entity: Entity) -> dict[str, Any]:
    """Return an entry with its entity's type, value and masked display."""
    data = to_dict(row)
    data["entity"] = {
        "type": entity.type,
        "value": entity.value,
        "display": entity.display,
    }
    return data


class BlacklistOps(StoreBase):
    """Report entities to the blacklist and move entries through the lifecycle."""

    def report_to_blacklist(
        self, entry: BlacklistIn, *, actor: str = "system"
    ) -> dict[str, Any]:
        """Open a ``reported`` entry; refuse if the entity has an open one."""
        with self.session() as session:
            entity = ensure_entity(session, entry.entity)
            current = _open_entry(session, entity.id)
            if current is not None:
                raise ConflictError(
                    f"{entity.type} {entity.display} is already on the blacklist "
                    f"(entry {current.id}, {current.status}); move that entry instead"
                )
            row = BlacklistEntry(
                entity_id=entity.id,
                status="reported",
                **entry.model_dump(exclude={"entity"}),
            )
            session.add(row)
            session.flush()
            data = entry_dict(row, entity)
            self._audit(
                session,
                actor,
                "blacklist.report",
                "blacklist_entry",
                row.id,
                after=data,
            )
            return data

    def transition_blacklist(
        self, entry_id: int, to_status: str, reason: str = "", *, actor: str = "system"
    ) -> dict[str, Any]:
        """Move an entry to ``to_status``; ``ConflictError`` if the step is wrong."""
        if to_status not in STATUSES:
            raise ValidationError(
                f"unknown status {to_status!r}; use one of {STATUSES}"
            )
        with self.session() as session:
            row = _entry(session, entry_id)
            entity = session.get_one(Entity, row.entity_id)
            if to_status not in TRANSITIONS[row.status]:
                allowed = ", ".join(sorted(TRANSITIONS[row.status])) or "none (final)"
                raise ConflictError(
                    f"blacklist entry {entry_id} is {row.status}; it cannot become "
                    f"{to_status} (allowed next: {allowed})"
                )
            before = entry_dict(row, entity)
            row.status = to_status
            if reason:
                row.reason = reason
            session.flush()
            after = entry_dict(row, entity)
            self._audit(
                session,
                actor,
                f"blacklist.{to_status}",
                "blacklist_entry",
                row.id,
                before=before,
                after=after,
            )
            return after

    def get_blacklist_entry(self, entry_id: int) -> dict[str, Any]:
        """Return one entry by id."""
        with self.session() as session:
            row = _entry(session, entry_id)
            return entry_dict(row, session.get_one(Entity, row.entity_id))

    def check_blacklist(self, type: str, value: str) -> dict[str, Any] | None:
        """Return the open (not recycled) entry of an entity, or ``None``."""
        ref = EntityRef(type=type, value=value)
        with self.session() as session:
            entity = session.scalar(
                select(Entity).where(Entity.type == ref.type, Entity.value == ref.value)
            )
            row = _open_entry(session, entity.id) if entity is not None else None
            return entry_dict(row, entity) if row and entity else None

    def list_blacklist(
        self, status: str | None = None, limit: int = 50, offset: int = 0
    ) -> dict[str, Any]:
        """Return a page of entries, newest first, optionally in one status."""
        stmt = select(BlacklistEntry).order_by(BlacklistEntry.id.desc())
        if status:
            stmt = stmt.where(BlacklistEntry.status == status)
        with self.session() as session:
            return self._page(
                session,
                stmt,
                limit,
                offset,
                render=lambda r: entry_dict(r, session.get_one(Entity, r.entity_id)),
            )


def _entry(session: Session, entry_id: int) -> BlacklistEntry:
    row = session.get(BlacklistEntry, entry_id)
    if row is None:
        raise NotFoundError(f"blacklist entry {entry_id} does not exist")
    return row


def _open_entry(session: Session, entity_id: int) -> BlacklistEntry | None:
    return session.scalar(
        select(BlacklistEntry).where(
            BlacklistEntry.entity_id == entity_id,
            BlacklistEntry.status != "recycled",
        )
    )
