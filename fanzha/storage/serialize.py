"""Turn table rows into plain JSON-ready dictionaries."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fanzha.storage.models import Base
from fanzha.storage.types import as_utc


def to_dict(row: Base) -> dict[str, Any]:
    """Return the row's columns as a dict; timestamps become ISO-8601 UTC strings."""
    return {c.key: jsonable(getattr(row, c.key)) for c in row.__table__.columns}


def jsonable(value: Any) -> Any:
    """Return ``value`` with datetimes as ISO-8601 strings (UTC), nested too."""
    if isinstance(value, datetime):
        return as_utc(value).isoformat()
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def storable_text(text: str, limit: int = 20_000) -> str:
    r"""Return ``text`` cut to ``limit`` characters that any database can store.

    NUL characters and lone surrogates (which neither SQLite nor PostgreSQL
    accept) become visible escapes such as ``\x00`` and ``\ud800``.
    """
    cut = text[:limit].replace("\x00", "\\x00")
    return cut.encode("utf-8", "backslashreplace").decode("utf-8")
