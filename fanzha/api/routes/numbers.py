"""``/v1/numbers``: stored verdicts about phone numbers, and feature scoring."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path
from pydantic import BaseModel, ConfigDict, Field

from fanzha.api.deps import Limit, Offset, SettingsDep, StoreDep, Viewer
from fanzha.errors import ValidationError

router = APIRouter(tags=["numbers"])

NumberPath = Annotated[
    str, Path(min_length=3, max_length=32, description="phone number")
]


class FeatureRows(BaseModel):
    """Feature rows of numbers to score, and which model scores them."""

    model_config = ConfigDict(extra="forbid")

    model: Literal["behaviour", "risk"] = Field(
        default="behaviour",
        description="behaviour: GoIP / SIM-box and robocall rules over "
        "fanzha.analytics features; risk: the learned model over Sichuan-layout "
        "aggregates",
    )
    rows: list[dict[str, Any]] = Field(min_length=1)


@router.get("/numbers/{number}/verdicts")
def number_verdicts(
    number: NumberPath,
    store: StoreDep,
    _: Viewer,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Return the stored verdicts about one phone number, newest first."""
    entity = store.find_entity("phone", number)
    page = store.list_verdicts(entity_id=entity["id"], limit=limit, offset=offset)
    page["entity"] = entity
    return page


@router.post("/numbers/score")
def score_numbers(
    body: FeatureRows, settings: SettingsDep, _: Viewer
) -> dict[str, Any]:
    """Score feature rows without storing anything; one verdict per row and model."""
    if len(body.rows) > settings.max_batch:
        raise ValidationError(
            f"{len(body.rows)} rows is more than max_batch={settings.max_batch}; "
            "send smaller batches"
        )
    verdicts = _score(body.model, body.rows)
    return {"verdicts": [v.model_dump(mode="json") for v in verdicts]}


def _score(model: str, rows: list[dict[str, Any]]) -> list[Any]:
    if model == "risk":
        from fanzha.detectors.calls.number_training import load_number_model

        return load_number_model().score_batch(rows)
    from fanzha.detectors.calls.robocall_detector import RobocallDetector
    from fanzha.detectors.calls.simbox_detector import SimboxDetector

    verdicts = []
    for detector in (SimboxDetector.shipped(), RobocallDetector.shipped()):
        verdicts.extend(detector.score_batch(rows))
    return verdicts
