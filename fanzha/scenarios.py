"""The fixed list of fraud scenario ids, loaded from ``data/scenarios.yaml``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from fanzha.errors import ValidationError


@dataclass(frozen=True)
class Scenario:
    """One fraud type: a stable id and its Chinese and English names."""

    id: str
    name_zh: str
    name_en: str


@cache
def all_scenarios() -> tuple[Scenario, ...]:
    """Return every scenario in the canonical order."""
    text = resources.files("fanzha.data").joinpath("scenarios.yaml").read_text("utf-8")
    return tuple(Scenario(**row) for row in yaml.safe_load(text))


def scenario_ids() -> tuple[str, ...]:
    """Return the scenario ids, e.g. ``("impersonate_authority", ...)``."""
    return tuple(s.id for s in all_scenarios())


def check_scenario(value: str | None) -> str | None:
    """Return ``value`` if it is a known scenario id or empty, else raise."""
    if value is None or value == "":
        return None
    if value not in scenario_ids():
        raise ValidationError(
            f"unknown scenario {value!r}; use one of: {', '.join(scenario_ids())}"
        )
    return value
