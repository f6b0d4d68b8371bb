"""Verdicts: what every detector returns for every item it scores."""

from __future__ import annotations

import math
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from fanzha.scenarios import check_scenario

EvidenceKind = Literal["keyword", "feature", "rule", "neighbour", "similar", "entity"]


class Evidence(BaseModel):
    """One reason inside a verdict.

    ``weight`` is the piece's contribution to the risk: positive pushes towards
    fraud, negative away from it. Its scale is the detector's own (a log-odds
    contribution, a rule weight, a similarity), so compare weights within one
    verdict, not across detectors.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: EvidenceKind
    name: str = Field(description="keyword, feature, rule or neighbour name")
    weight: float = Field(description="contribution; positive means more suspicious")
    value: str | float | int | None = Field(
        default=None, description="the observed value: a matched span, a feature value"
    )
    span: tuple[int, int] | None = Field(
        default=None, description="character offsets [start, end) in the input text"
    )

    @field_validator("weight")
    @classmethod
    def _finite(cls, weight: float) -> float:
        if not math.isfinite(weight):
            raise ValueError("evidence weight must be a finite number")
        return weight


class Verdict(BaseModel):
    """One detector's judgement of one item.

    ``risk`` lies in [0, 1]; higher means more suspicious. ``label`` is one of the
    detector's labels; ``scenario`` is a fraud scenario id from
    ``fanzha.scenarios`` when one applies.
    """

    model_config = ConfigDict(extra="forbid")

    risk: float = Field(ge=0.0, le=1.0, description="higher means more suspicious")
    label: str
    scenario: str | None = None
    evidence: list[Evidence] = Field(default_factory=list)
    detector: str
    model_version: str
    item_id: str | None = None
    entities: list[dict[str, Any]] = Field(
        default_factory=list,
        description="entities found in the item, as {'type': ..., 'value': ...}",
    )

    @field_validator("scenario")
    @classmethod
    def _known_scenario(cls, value: str | None) -> str | None:
        return check_scenario(value)

    def top_evidence(self, n: int = 5) -> list[Evidence]:
        """Return the ``n`` pieces of evidence with the largest absolute weight."""
        return sorted(self.evidence, key=lambda e: abs(e.weight), reverse=True)[:n]
