"""API keys (stored as SHA-256 hashes, never in clear) and the audit log."""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from fanzha.errors import AuthError, ConflictError, NotFoundError, ValidationError
from fanzha.storage.serialize import to_dict
from fanzha.storage.store_base import StoreBase
from fanzha.storage.types import utcnow
from fanzha.storage.workflow_models import ApiKey, AuditEntry

logger = logging.getLogger(__name__)

ROLES: tuple[str, ...] = ("viewer", "reporter", "analyst", "admin")
"""Roles from least to most powerful; each may do what the ones before it may."""

KEY_PREFIX = "fz_"


@dataclass(frozen=True)
class Principal:
    """Who is calling: the API key's name and role."""

    name: str
    role: str
    key_id: int | None = None

    def can(self, role: str) -> bool:
        """Return whether this principal's role is ``role`` or ranks above it."""
        return ROLES.index(self.role) >= ROLES.index(role)


def hash_key(raw_key: str) -> str:
    """Return the SHA-256 hex digest under which a key is stored."""
    return hashlib.sha256(raw_key.encode("utf-8")).hexdigest()


def check_role(role: str) -> str:
    """Return ``role`` if it is known, else raise ``ValidationError``."""
    if role not in ROLES:
        raise ValidationError(f"unknown role {role!r}; use one of: {', '.join(ROLES)}")
    return role


class AccessOps(StoreBase):
    """Create, check, list and revoke API keys; read the audit log."""

    def create_api_key(
        self, name: str, role: str, key: str | None = None, *, actor: str = "system"
    ) -> tuple[dict[str, Any], str]:
        """Create a key and return ``(its record, the raw key)``.

        The raw key is returned once and never stored; pass ``key`` to choose it
        (used only by the demo), otherwise a random one is made.
        """
        check_role(role)
        if not name.strip():
            raise ValidationError("an API key needs a non-empty name")
        raw = key or KEY_PREFIX + secrets.token_urlsafe(32)
        with self.session() as session:
            if session.scalar(select(ApiKey).where(ApiKey.name == name)) is not None:
                raise ConflictError(f"an API key named {name!r} exists; pick another")
            row = ApiKey(name=name, role=role, prefix=raw[:7], key_hash=hash_key(raw))
            session.add(row)
            session.flush()
            self._audit(
                session, actor, "api_key.create", "api_key", row.id, after=_public(row)
            )
            return _public(row), raw

    def authenticate(self, raw_key: str) -> Principal:
        """Return the principal of a valid, unrevoked key, else raise ``AuthError``."""
        digest = hash_key(raw_key)
        with self.session() as session:
            row = session.scalar(select(ApiKey).where(ApiKey.key_hash == digest))
        if row is None or not hmac.compare_digest(row.key_hash, digest):
            raise AuthError("the API key is not valid; create one: fanzha keys create")
        if row.revoked_at is not None:
            raise AuthError(f"the API key {row.name!r} was revoked; use another key")
        return Principal(name=row.name, role=row.role, key_id=row.id)

    def list_api_keys(self) -> list[dict[str, Any]]:
        """Return every key's name, role, prefix and dates (never the hash)."""
        with self.session() as session:
            rows = session.scalars(select(ApiKey).order_by(ApiKey.id)).all()
            return [_public(row) for row in rows]

    def revoke_api_key(self, name: str, *, actor: str = "system") -> dict[str, Any]:
        """Revoke the key called ``name``; it stops working at once."""
        with self.session() as session:
            row = session.scalar(select(ApiKey).where(ApiKey.name == name))
            if row is None:
                raise NotFoundError(f"no API key named {name!r}; see fanzha keys list")
            before = _public(row)
            row.revoked_at = row.revoked_at or utcnow()
            self._audit(
                session,
                actor,
                "api_key.revoke",
                "api_key",
                row.id,
                before=before,
                after=_public(row),
            )
            return _public(row)

    def list_audit(
        self,
        object_type: str | None = None,
        actor: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> dict[str, Any]:
        """Return a page of audit rows, newest first."""
        stmt = select(AuditEntry).order_by(AuditEntry.id.desc())
        if object_type:
            stmt = stmt.where(AuditEntry.object_type == object_type)
        if actor:
            stmt = stmt.where(AuditEntry.actor == actor)
        with self.session() as session:
            return self._page(session, stmt, limit, offset)


def _public(row: ApiKey) -> dict[str, Any]:
    data = to_dict(row)
    data.pop("key_hash")
    return data
