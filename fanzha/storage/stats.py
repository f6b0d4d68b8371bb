"""Counts for the dashboard: totals, verdicts by label, reports per day."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from fanzha.storage.models import Base, Entity, Report, VerdictRow
from fanzha.storage.store_base import StoreBase
from fanzha.storage.types import as_utc, utcnow
from fanzha.storage.workflow_models import Alert, BlacklistEntry, Case

COUNTED: dict[str, type[Base]] = {
    "entities": Entity,
    "reports": Report,
    "verdicts": VerdictRow,
    "alerts": Alert,
    "cases": Case,
    "blacklist_entries": BlacklistEntry,
}


class StatsOps(StoreBase):
    """Summaries of the store."""

    def stats(self, days: int = 30) -> dict[str, Any]:
        """Return counts per table, verdicts by label and reports per day.

        ``reports_per_day`` lists the last ``days`` days (UTC), oldest first, each
        ``{"day": "YYYY-MM-DD", "count": n}``; a report counts on the day it
        happened, or on the day it was received when that is unknown.
        """
        with self.session() as session:
            counts = {
                name: int(session.scalar(select(func.count()).select_from(model)) or 0)
                for name, model in COUNTED.items()
            }
            rows = session.execute(
                select(VerdictRow.label, func.count()).group_by(VerdictRow.label)
            )
            by_label = {str(label): int(n) for label, n in rows}
            per_day = self._reports_per_day(session, days)
        return {
            "counts": counts,
            "verdicts_by_label": by_label,
            "reports_per_day": per_day,
        }

    def _reports_per_day(self, session: Any, days: int) -> list[dict[str, Any]]:
        today = utcnow().date()
        start = today - timedelta(days=days - 1)
        when = func.coalesce(Report.occurred_at, Report.created_at)
        since = utcnow() - timedelta(days=days + 1)
        stamps = session.scalars(select(when).where(when >= since)).all()
        tally = Counter(as_utc(_as_datetime(s)).date() for s in stamps)
        return [
            {
                "day": (start + timedelta(days=i)).isoformat(),
                "count": tally.get(start + timedelta(days=i), 0),
            }
            for i in range(days)
        ]


def _as_datetime(value: Any) -> datetime:
    """SQLite hands ``coalesce`` back as text; parse it into a ``datetime``."""
    return datetime.fromisoformat(value) if isinstance(value, str) else value
