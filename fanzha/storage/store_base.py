"""The engine, sessions, migrations and audit trail under every ``Store`` method."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import (
    ArgumentError,
    DataError,
    DBAPIError,
    IntegrityError,
    NoSuchModuleError,
)
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool
from sqlalchemy.sql import Select

from fanzha.errors import (
    ConflictError,
    InputError,
    MissingDependencyError,
    StorageError,
    ValidationError,
)
from fanzha.storage import migrate
from fanzha.storage.serialize import to_dict
from fanzha.storage.workflow_models import AuditEntry

logger = logging.getLogger(__name__)


def make_engine(url: str) -> Engine:
    """Create an engine for a SQLite or PostgreSQL URL, with clear errors."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise InputError(
            f"database URL {url!r} is not valid; use e.g. sqlite:///fanzha.db or "
            "postgresql+psycopg://user@host:5432/db"
        ) from None
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return _sqlite_engine(url, parsed.database)
    if backend != "postgresql":
        raise InputError(
            f"database URL scheme {parsed.drivername!r} is not supported; use "
            "sqlite:///path/fanzha.db or postgresql+psycopg://user@host:5432/db"
        )
    try:
        return create_engine(url, pool_pre_ping=True)
    except (NoSuchModuleError, ModuleNotFoundError):
        raise MissingDependencyError("psycopg", "postgres") from None


def _sqlite_engine(url: str, database: str | None) -> Engine:
    in_memory = not database or database == ":memory:"
    if not in_memory:
        Path(str(database)).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": 30},
        # One shared connection keeps an in-memory database alive across threads.
        poolclass=StaticPool if in_memory else None,
    )

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        # WAL lets the console read while the API writes; NORMAL sync is safe in WAL.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    return engine


class StoreBase:
    """Engine, transactions, schema upgrades and audit rows.

    Parameters
    ----------
    url
        SQLAlchemy URL: ``sqlite:///path/fanzha.db`` or
        ``postgresql+psycopg://user@host:5432/db``.
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def backend(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    @contextmanager
    def session(self) -> Iterator[Session]:
        """Open a transaction: commit on success, roll back and translate on error."""
        session = self._sessions()
        try:
            yield session
            session.commit()
        except DBAPIError as exc:
            session.rollback()
            raise _translate(exc) from exc
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def upgrade(self, revision: str = "head") -> None:
        """Apply the packaged migrations up to ``revision``."""
        try:
            migrate.upgrade(self.engine, revision)
        except DBAPIError as exc:
            raise _translate(exc) from exc

    def downgrade(self, revision: str = "base") -> None:
        """Revert the migrations down to ``revision`` (``base`` empties the store)."""
        migrate.downgrade(self.engine, revision)

    def status(self) -> dict[str, Any]:
        """Return whether the store answers and whether its schema is current."""
        head = migrate.head_revision(self.engine)
        try:
            current = migrate.current_revision(self.engine)
        except DBAPIError as exc:
            return {"ok": False, "backend": self.backend, "error": _first_line(exc)}
        return {
            "ok": current == head,
            "backend": self.backend,
            "revision": current,
            "head": head,
        }

    def close(self) -> None:
        """Release every pooled connection."""
        self.engine.dispose()

    def _audit(
        self,
        session: Session,
        actor: str,
        action: str,
        object_type: str,
        object_id: object,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
    ) -> None:
        session.add(
            AuditEntry(
                actor=actor,
                action=action,
                object_type=object_type,
                object_id=None if object_id is None else str(object_id),
                before=before,
                after=after,
            )
        )
        logger.info(
            "audit actor=%s action=%s %s=%s", actor, action, object_type, object_id
        )

    def _page(
        self,
        session: Session,
        stmt: Select[Any],
        limit: int,
        offset: int,
        render: Callable[[Any], dict[str, Any]] = to_dict,
    ) -> dict[str, Any]:
        total = session.scalar(select(func.count()).select_from(stmt.subquery()))
        rows = session.scalars(stmt.limit(limit).offset(offset)).all()
        return {
            "items": [render(r) for r in rows],
            "total": int(total or 0),
            "limit": limit,
            "offset": offset,
        }


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _translate(exc: DBAPIError) -> Exception:
    """Map a database error to the fanzha error a caller can act on."""
    detail = _first_line(exc.orig if exc.orig is not None else exc)
    if isinstance(exc, IntegrityError):
        return ConflictError(f"the change clashes with stored data: {detail}")
    if isinstance(exc, DataError):
        return ValidationError(f"a value does not fit the store: {detail}")
    return StorageError(
        f"the store failed ({detail}); check FANZHA_DATABASE_URL and run "
        "'fanzha db upgrade'"
    )
