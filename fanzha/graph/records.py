"""Plain records the graph is built from, and their validation at the edge.

Reports and transfers arrive from files, the API or the store. Each is checked
here: entity values are normalised (``fanzha.entities``), and what fails -
unknown entity types, malformed phone or card numbers, negative amounts, times
that cannot be read - goes to a quarantine with the record and the reason. The
valid rest is processed.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from fanzha.entities import normalize_entity
from fanzha.errors import ValidationError
from fanzha.pii import mask_value

logger = logging.getLogger(__name__)


class EntityRef(NamedTuple):
    """One entity named somewhere: its type (``EntityType`` value) and normal form.

    A named tuple: millions of them are hashed and sorted when a million reports
    are read, and tuples do that in C.
    """

    type: str
    value: str

    @property
    def key(self) -> str:
        """The node name used in graphs: ``type:value``."""
        return f"{self.type}:{self.value}"

    def masked(self) -> str:
        """The value as shown outside fanzha (phones and cards masked)."""
        return mask_value(self.type, self.value)


@dataclass
class Report:
    """What a victim told us: the entities they saw, their loss and when.

    ``at`` is a time in seconds (epoch) or any increasing unit; ``loss`` is in the
    reporting currency and never negative.
    """

    report_id: str
    entities: list[EntityRef]
    loss: float = 0.0
    at: float = 0.0
    victim: str | None = None


@dataclass(frozen=True)
class Transfer:
    """Money moved from ``src`` to ``dst`` (account ids) at time ``at``."""

    src: str
    dst: str
    amount: float
    at: float
    transfer_id: str = ""


@dataclass(frozen=True)
class Quarantined:
    """A record or field that failed validation: where it was and why."""

    record: str | int
    reason: str


@dataclass
class Cleaned:
    """The result of validating a batch: the valid rows and the quarantine."""

    rows: list[Any] = field(default_factory=list)
    quarantine: list[Quarantined] = field(default_factory=list)


def to_time(value: object, record: str | int) -> float:
    """Return ``value`` (number, ISO string or datetime) as seconds or steps."""
    if isinstance(value, datetime):
        return value.timestamp()
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value).timestamp()
        except ValueError:
            pass
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValidationError(
            f"time {value!r} is neither a number nor ISO-8601", record
        ) from None
    if not math.isfinite(number):
        raise ValidationError("time is not a finite number", record)
    return number


def clean_reports(raw: Iterable[Mapping[str, Any] | Report]) -> Cleaned:
    """Validate reports; bad entities and bad reports go to the quarantine.

    A report keeps its valid entities when one of them is bad; a report with a
    negative loss, an unreadable time or no valid entity is quarantined whole.
    """
    result = Cleaned()
    for line, item in enumerate(raw, start=1):
        try:
            report = _one_report(item, line, result.quarantine)
        except ValidationError as exc:
            result.quarantine.append(Quarantined(exc.record or line, str(exc)))
            continue
        result.rows.append(report)
    _log_batch("reports", result)
    return result


def _one_report(
    item: Mapping[str, Any] | Report, line: int, quarantine: list[Quarantined]
) -> Report:
    data = vars(item) if isinstance(item, Report) else item
    rid = str(data.get("report_id") or data.get("id") or f"line-{line}")
    loss = float(data.get("loss") or 0.0)
    if not math.isfinite(loss) or loss < 0:
        raise ValidationError(f"loss {loss} is negative or not a number", rid)

    entities: list[EntityRef] = []
    for raw in data.get("entities") or []:
        etype, value = _pair(raw)
        try:
            entities.append(EntityRef(etype, normalize_entity(etype, value)))
        except ValidationError as exc:
            quarantine.append(Quarantined(rid, f"entity dropped: {exc}"))
    if not entities:
        raise ValidationError("report names no valid entity", rid)
    return Report(
        rid,
        sorted(set(entities)),
        loss,
        to_time(data.get("at", 0.0), rid),
        data.get("victim"),
    )


def _pair(raw: object) -> tuple[str, str]:
    if type(raw) is dict:  # the common case first: abstract checks are slow
        return str(raw.get("type", "")), str(raw.get("value", ""))
    if isinstance(raw, EntityRef):
        return raw.type, raw.value
    if isinstance(raw, Mapping):
        return str(raw.get("type", "")), str(raw.get("value", ""))
    if isinstance(raw, tuple | list) and len(raw) == 2:
        return str(raw[0]), str(raw[1])
    return "", str(raw)


def clean_transfers(
    raw: Iterable[Mapping[str, Any] | Transfer], not_before: float | None = None
) -> Cleaned:
    """Validate transfers; bad ones go to the quarantine, the rest are kept.

    A transfer is bad when an account is missing, the amount is not a positive
    number, the time is unreadable, or it goes back in time: earlier than
    ``not_before`` (the time the caller has already processed up to).
    """
    result = Cleaned()
    for line, item in enumerate(raw, start=1):
        try:
            result.rows.append(_one_transfer(item, line, not_before))
        except ValidationError as exc:
            result.quarantine.append(Quarantined(exc.record or line, str(exc)))
    _log_batch("transfers", result)
    return result


def _one_transfer(
    item: Mapping[str, Any] | Transfer, line: int, not_before: float | None
) -> Transfer:
    data = vars(item) if isinstance(item, Transfer) else dict(item)
    tid = str(data.get("transfer_id") or data.get("id") or f"line-{line}")
    src, dst = str(data.get("src") or "").strip(), str(data.get("dst") or "").strip()
    if not src or not dst:
        raise ValidationError("transfer needs both src and dst accounts", tid)
    try:
        amount = float(data.get("amount"))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValidationError(
            f"amount {data.get('amount')!r} is not a number", tid
        ) from None
    if not math.isfinite(amount) or amount <= 0:
        raise ValidationError(f"amount {amount} must be a positive number", tid)
    at = to_time(data.get("at"), tid)
    if not_before is not None and at < not_before:
        raise ValidationError(
            f"transfer goes back in time ({at} < {not_before} already processed); "
            "send late records in a separate backfill",
            tid,
        )
    return Transfer(src, dst, amount, at, tid)


def _log_batch(what: str, result: Cleaned) -> None:
    logger.info(
        "batch validated kind=%s valid=%d quarantined=%d",
        what,
        len(result.rows),
        len(result.quarantine),
    )
