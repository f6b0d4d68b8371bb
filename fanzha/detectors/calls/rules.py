"""Readable rules over number features, shared by the behavioural detectors.

A rule is a list of conditions ``[feature, operator, limit]`` that must all hold.
The rules live in ``data/behaviour_rules.yaml`` so analysts can read and extend
them; every hit names the rule and the observed values that made it fire.
"""

from __future__ import annotations

import math
import numbers
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from fanzha.analytics.base import FEATURES
from fanzha.errors import ValidationError
from fanzha.pii import mask_phone
from fanzha.verdict import Evidence

OPERATORS: dict[str, Callable[[float, float], bool]] = {
    ">=": operator.ge,
    "<=": operator.le,
    ">": operator.gt,
    "<": operator.lt,
}

FeatureRow = Mapping[str, Any]
"""One number's features: ``number`` (optional) and every name in ``FEATURES``."""


@dataclass(frozen=True)
class Rule:
    """A named conjunction of feature conditions with a risk weight."""

    name: str
    weight: float
    why: str
    when: tuple[tuple[str, str, float], ...]

    def fires(self, row: FeatureRow) -> bool:
        """Return whether every condition holds for ``row``."""
        return all(OPERATORS[op](float(row[f]), limit) for f, op, limit in self.when)

    def evidence(self, row: FeatureRow) -> Evidence:
        """Return the hit: the rule's name, weight and the values that fired."""
        values = ", ".join(
            f"{f}={float(row[f]):.4g} ({op} {limit:g})" for f, op, limit in self.when
        )
        return Evidence(kind="rule", name=self.name, weight=self.weight, value=values)


@cache
def load_rules(family: str) -> tuple[Rule, ...]:
    """Return the rules of ``family`` (``simbox`` or ``robocall``) from the YAML."""
    text = (
        resources.files("fanzha.detectors.calls.data")
        .joinpath("behaviour_rules.yaml")
        .read_text("utf-8")
    )
    spec = yaml.safe_load(text)[family]
    return tuple(
        Rule(
            name,
            float(body["weight"]),
            body["why"],
            tuple((str(f), str(op), float(v)) for f, op, v in body["when"]),
        )
        for name, body in spec.items()
    )


def check_row(row: object) -> FeatureRow:
    """Return ``row`` if it holds every feature as a finite, non-negative number."""
    if not isinstance(row, Mapping):
        raise ValidationError(
            f"a number's features must be a mapping, got {type(row).__name__}"
        )
    where = mask_phone(str(row.get("number", ""))) or None
    missing = [f for f in FEATURES if f not in row]
    if missing:
        raise ValidationError(
            f"features {', '.join(missing[:5])} are missing; compute them with "
            "fanzha.analytics (number_features)",
            record=where,
        )
    for name in FEATURES:
        value = row[name]
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise ValidationError(f"feature {name} must be a number", record=where)
        if not math.isfinite(value) or value < 0:
            raise ValidationError(
                f"feature {name} must be finite and >= 0, got {value}", record=where
            )
    return row


def combine(weights: list[float]) -> float:
    """Combine rule weights into a risk: ``1 - prod(1 - w)``; 0 with no hit."""
    risk = 1.0
    for weight in weights:
        risk *= 1.0 - weight
    return 1.0 - risk
