"""The store: SQLAlchemy tables, packaged Alembic migrations and the ``Store`` facade.

SQLite by default, PostgreSQL by URL; both run the same migrations.
"""

from __future__ import annotations

from fanzha.storage.access_ops import ROLES, Principal, hash_key
from fanzha.storage.blacklist import STATUSES, TRANSITIONS
from fanzha.storage.schemas import (
    AlertIn,
    AlertUpdate,
    BlacklistIn,
    CaseIn,
    CaseUpdate,
    EntityRef,
    RelationIn,
    ReportEntityIn,
    ReportIn,
    SampleIn,
    TransitionIn,
)
from fanzha.storage.store import Store

__all__ = [
    "AlertIn",
    "AlertUpdate",
    "BlacklistIn",
    "CaseIn",
    "CaseUpdate",
    "EntityRef",
    "Principal",
    "ROLES",
    "RelationIn",
    "ReportEntityIn",
    "ReportIn",
    "STATUSES",
    "SampleIn",
    "Store",
    "TRANSITIONS",
    "TransitionIn",
    "hash_key",
]
