"""``Store``: the one facade over fanzha's database."""

from __future__ import annotations

from fanzha.storage.access_ops import AccessOps
from fanzha.storage.blacklist import BlacklistOps
from fanzha.storage.entity_ops import EntityOps
from fanzha.storage.library_ops import LibraryOps
from fanzha.storage.report_ops import ReportOps
from fanzha.storage.stats import StatsOps
from fanzha.storage.verdict_ops import VerdictOps
from fanzha.storage.workflow_ops import WorkflowOps


class Store(
    EntityOps,
    ReportOps,
    VerdictOps,
    WorkflowOps,
    BlacklistOps,
    AccessOps,
    LibraryOps,
    StatsOps,
):
    """Entities, reports, verdicts, alerts, cases, blacklist, keys and audit log.

    Every write takes ``actor`` (who made it) and leaves an audit row in the same
    transaction. Reads return plain dicts (timestamps as ISO-8601 UTC strings);
    pages are ``{"items", "total", "limit", "offset"}``.

    Parameters
    ----------
    url
        SQLAlchemy URL: ``sqlite:///path/fanzha.db`` (default back-end) or
        ``postgresql+psycopg://user@host:5432/db``.

    Examples
    --------
    >>> from fanzha.storage import ReportIn, Store
    >>> store = Store("sqlite://")
    >>> store.upgrade()
    >>> report = store.add_report(
    ...     ReportIn(description="fake parcel refund call", loss_amount=3000,
    ...              entities=[{"type": "phone", "value": "138 1234 5678"}]),
    ...     actor="doctest")
    >>> report["entities"][0]["value"], report["entities"][0]["display"]
    ('+8613812345678', '+86138******78')
    >>> store.stats()["counts"]["reports"]
    1
    """
