"""Validated inputs of the store, shared by the library, the CLI and the REST API.

Every model forbids unknown fields and NUL characters, and normalises entity
values on the way in, so a bad record fails here with the field it is in.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from fanzha.entities import entity_type, normalize_entity
from fanzha.errors import FanzhaError
from fanzha.scenarios import check_scenario

ShortText = Annotated[str, StringConstraints(max_length=200)]
LongText = Annotated[str, StringConstraints(max_length=20_000)]
Confidence = Annotated[float, Field(ge=0.0, le=1.0, allow_inf_nan=False)]
Money = Annotated[float, Field(ge=0.0, le=1e15, allow_inf_nan=False)]
Severity = Literal["low", "medium", "high", "critical"]
AlertStatus = Literal["open", "investigating", "closed", "false_positive"]
CaseStatus = Literal["open", "investigating", "closed"]
ReviewStatus = Literal["pending", "approved", "rejected"]


def _reject_nul(value: Any) -> Any:
    if isinstance(value, str) and "\x00" in value:
        raise ValueError("text must not contain NUL characters")
    if isinstance(value, dict):
        for key, item in value.items():
            _reject_nul(key)
            _reject_nul(item)
    if isinstance(value, list | tuple):
        for item in value:
            _reject_nul(item)
    return value


def _valid_scenario(value: str | None) -> str | None:
    try:
        return check_scenario(value)
    except FanzhaError as exc:
        raise ValueError(str(exc)) from None


class StrictModel(BaseModel):
    """Base of every input: unknown fields and NUL characters are refused."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @model_validator(mode="before")
    @classmethod
    def _no_nul(cls, data: Any) -> Any:
        return _reject_nul(data)


class EntityRef(StrictModel):
    """An entity named by type and raw value; ``value`` comes out normalised."""

    type: Annotated[str, StringConstraints(max_length=32)]
    value: Annotated[str, StringConstraints(min_length=1, max_length=2048)]

    @field_validator("type")
    @classmethod
    def _known_type(cls, value: str) -> str:
        try:
            return entity_type(value).value
        except FanzhaError as exc:
            raise ValueError(str(exc)) from None

    @field_validator("value")
    @classmethod
    def _normalise(cls, value: str, info: ValidationInfo) -> str:
        if "type" not in info.data:
            return value
        try:
            return normalize_entity(info.data["type"], value)
        except FanzhaError as exc:
            raise ValueError(str(exc)) from None


class ReportEntityIn(EntityRef):
    """An entity in a report, with its role (caller, payee, link, ...)."""

    role: Annotated[str, StringConstraints(max_length=32)] = "involved"


class ReportIn(StrictModel):
    """A victim's or user's report naming one or more entities."""

    description: LongText = ""
    loss_amount: Money | None = None
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] = "CNY"
    occurred_at: datetime | None = None
    reporter: ShortText = ""
    source: Annotated[str, StringConstraints(max_length=100)] = "api"
    scenario: str | None = None
    entities: list[ReportEntityIn] = Field(min_length=1, max_length=100)

    @field_validator("scenario")
    @classmethod
    def _scenario(cls, value: str | None) -> str | None:
        return _valid_scenario(value)


class AlertIn(StrictModel):
    """A new alert, optionally about one entity and one verdict."""

    title: Annotated[str, StringConstraints(min_length=1, max_length=500)]
    severity: Severity = "medium"
    entity: EntityRef | None = None
    verdict_id: Annotated[int, Field(ge=1, le=2**31 - 1)] | None = None


class AlertUpdate(StrictModel):
    """A change of an alert's status or severity."""

    status: AlertStatus | None = None
    severity: Severity | None = None


class CaseIn(StrictModel):
    """A new case grouping alerts and reports."""

    title: Annotated[str, StringConstraints(min_length=1, max_length=500)]
    description: LongText = ""
    alert_ids: list[Annotated[int, Field(ge=1, le=2**31 - 1)]] = Field(
        default_factory=list, max_length=1000
    )
    report_ids: list[Annotated[int, Field(ge=1, le=2**31 - 1)]] = Field(
        default_factory=list, max_length=1000
    )


class CaseUpdate(StrictModel):
    """A change of a case's status, description, or its linked alerts/reports."""

    status: CaseStatus | None = None
    description: LongText | None = None
    add_alert_ids: list[Annotated[int, Field(ge=1, le=2**31 - 1)]] = Field(
        default_factory=list, max_length=1000
    )
    add_report_ids: list[Annotated[int, Field(ge=1, le=2**31 - 1)]] = Field(
        default_factory=list, max_length=1000
    )


class BlacklistIn(StrictModel):
    """A request to put an entity on the blacklist (status ``reported``)."""

    entity: EntityRef
    reason: LongText = ""
    evidence: list[dict[str, Any]] = Field(default_factory=list, max_length=200)
    source: Annotated[str, StringConstraints(max_length=100)] = "api"
    confidence: Confidence = 0.5
    expires_at: datetime | None = None


class TransitionIn(StrictModel):
    """Why a blacklist entry moves to its next status."""

    reason: LongText = ""


class RelationIn(StrictModel):
    """A directed edge between two entities (call, transfer, login, ...)."""

    src: EntityRef
    dst: EntityRef
    kind: Annotated[str, StringConstraints(min_length=1, max_length=32)]
    amount: Annotated[float, Field(allow_inf_nan=False)] | None = None
    at: datetime | None = None
    attrs: dict[str, Any] = Field(default_factory=dict)


class SampleIn(StrictModel):
    """A black or white sample (URL, page, message) for the sample library."""

    kind: Annotated[str, StringConstraints(min_length=1, max_length=32)]
    label: Annotated[str, StringConstraints(min_length=1, max_length=32)]
    campaign: ShortText | None = None
    brand: ShortText | None = None
    scenario: str | None = None
    content: dict[str, Any] = Field(default_factory=dict)
    review_status: ReviewStatus = "pending"

    @field_validator("scenario")
    @classmethod
    def _scenario(cls, value: str | None) -> str | None:
        return _valid_scenario(value)
