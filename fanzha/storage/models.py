"""Tables of what fanzha observes: entities, reports, relations, verdicts, samples.

Workflow tables (alerts, cases, blacklist, API keys, audit log) live in
``fanzha.storage.workflow_models``. Both share ``Base`` and its metadata, which
the Alembic migrations in ``fanzha/storage/migrations`` mirror.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from fanzha.storage.types import JsonType, UtcDateTime, utcnow

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base of every fanzha table (constraint names are stable)."""

    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {
        datetime: UtcDateTime,
        dict[str, Any]: JsonType,
        list[Any]: JsonType,
    }


class Entity(Base):
    """A phone number, account, device, card, URL, domain, IP or person.

    ``value`` is normalised (E.164 phones, canonical URLs) so that one real thing
    has one row; ``display`` is the masked form shown to analysts.
    """

    __tablename__ = "entities"
    __table_args__ = (UniqueConstraint("type", "value", name="uq_entities_type_value"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    type: Mapped[str] = mapped_column(String(32), index=True)
    value: Mapped[str] = mapped_column(String(2048))
    display: Mapped[str] = mapped_column(String(2048))
    attrs: Mapped[dict[str, Any]] = mapped_column(default=dict)
    first_seen: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(default=utcnow)


class Report(Base):
    """What a victim or user tells us: a description, a loss and a time."""

    __tablename__ = "reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    description: Mapped[str] = mapped_column(Text, default="")
    loss_amount: Mapped[float | None] = mapped_column(Float)
    currency: Mapped[str] = mapped_column(String(8), default="CNY")
    occurred_at: Mapped[datetime | None] = mapped_column()
    reporter: Mapped[str] = mapped_column(String(200), default="")
    source: Mapped[str] = mapped_column(String(100), default="api")
    scenario: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    links: Mapped[list[ReportEntity]] = relationship(
        back_populates="report", cascade="all, delete-orphan", lazy="selectin"
    )


class ReportEntity(Base):
    """One entity named in a report, with its role (caller, payee, link...)."""

    __tablename__ = "report_entities"
    __table_args__ = (
        UniqueConstraint("report_id", "entity_id", "role", name="uq_report_entities"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(
        ForeignKey("reports.id", ondelete="CASCADE"), index=True
    )
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id"), index=True)
    role: Mapped[str] = mapped_column(String(32), default="involved")
    report: Mapped[Report] = relationship(back_populates="links")
    entity: Mapped[Entity] = relationship(lazy="joined")


class Relation(Base):
    """A directed edge between two entities: a call, a transfer, a login...

    ``amount`` is money for transfers (in ``attrs['currency']``, default CNY) and
    seconds for calls; ``at`` is when it happened.
    """

    __tablename__ = "relations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    src_id: Mapped[int] = mapped_column(ForeignKey("entities.id"), index=True)
    dst_id: Mapped[int] = mapped_column(ForeignKey("entities.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    amount: Mapped[float | None] = mapped_column(Float)
    at: Mapped[datetime | None] = mapped_column()
    attrs: Mapped[dict[str, Any]] = mapped_column(default=dict)


class VerdictRow(Base):
    """A stored ``fanzha.verdict.Verdict`` with the item and entity it is about."""

    __tablename__ = "verdicts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    detector: Mapped[str] = mapped_column(String(100), index=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    model_version: Mapped[str] = mapped_column(String(100))
    risk: Mapped[float] = mapped_column(Float)
    label: Mapped[str] = mapped_column(String(64), index=True)
    scenario: Mapped[str | None] = mapped_column(String(64))
    evidence: Mapped[list[Any]] = mapped_column(default=list)
    item_ref: Mapped[str | None] = mapped_column(String(512))
    entity_id: Mapped[int | None] = mapped_column(ForeignKey("entities.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class Sample(Base):
    """A known black or white example (URL, page, message) for similarity search."""

    __tablename__ = "samples"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    label: Mapped[str] = mapped_column(String(32), index=True)
    campaign: Mapped[str | None] = mapped_column(String(200))
    brand: Mapped[str | None] = mapped_column(String(200))
    scenario: Mapped[str | None] = mapped_column(String(64))
    content: Mapped[dict[str, Any]] = mapped_column(default=dict)
    review_status: Mapped[str] = mapped_column(String(32), default="pending")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class QuarantineRow(Base):
    """An invalid input record kept with its source, line and reason."""

    __tablename__ = "quarantine"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(512), index=True)
    line: Mapped[int | None] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    raw: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
