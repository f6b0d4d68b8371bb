"""The shared body of the rule-based number detectors (SIM-box, robocall)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from fanzha.analytics.base import FEATURES
from fanzha.detectors.base import Detector
from fanzha.detectors.calls.rules import (
    FeatureRow,
    Rule,
    check_row,
    combine,
    load_rules,
)
from fanzha.verdict import Verdict


def feature_row(number: str, **values: float) -> dict[str, Any]:
    """Return a feature row of zeros for ``number`` with ``values`` filled in."""
    row: dict[str, Any] = dict.fromkeys(FEATURES, 0.0)
    row.update(values, number=number)
    return row


class BehaviourDetector(Detector[FeatureRow]):
    """Score a number's feature row with the rules of one ``family``.

    The risk is ``1 - prod(1 - weight)`` over the rules that fire (0 when none
    does); higher means more suspicious. Every fired rule is one piece of
    evidence naming the rule and the feature values that made it fire. ``fit``
    learns only the risk threshold that best separates the labelled rows.
    """

    kind = "number"
    labels = ("normal", "fraud")
    version = "1"
    family: ClassVar[str] = ""

    def __init__(self, threshold: float = 0.5) -> None:
        self.threshold = threshold

    @classmethod
    def shipped(cls, threshold: float = 0.5) -> BehaviourDetector:
        """Return a detector ready to score with the shipped rules, unfitted."""
        detector = cls(threshold)
        detector.threshold_ = threshold
        return detector

    @property
    def rules(self) -> tuple[Rule, ...]:
        """The family's rules, as shipped in ``behaviour_rules.yaml``."""
        return load_rules(self.family)

    def fit(
        self, items: Sequence[FeatureRow], labels: Sequence[str]
    ) -> BehaviourDetector:
        """Choose the threshold (among the rule weights) with the best fraud F1."""
        risks = [self._risk(check_row(item))[0] for item in items]
        truth = [label == "fraud" for label in labels]
        candidates = sorted({self.threshold, *(r.weight for r in self.rules)})
        self.threshold_ = max(candidates, key=lambda c: _f1(c, risks, truth))
        return self

    def score(self, item: FeatureRow) -> Verdict:
        """Return the verdict for one number's features."""
        self.check_fitted()
        row = check_row(item)
        risk, evidence = self._risk(row)
        number = row.get("number")
        return Verdict(
            risk=risk,
            label="fraud" if risk >= self.threshold_ and risk > 0 else "normal",
            evidence=evidence,
            detector=self.name,
            model_version=self.model_version,
            item_id=None if number is None else str(number),
            entities=[]
            if number is None
            else [{"type": "phone", "value": str(number)}],
        )

    def _risk(self, row: FeatureRow) -> tuple[float, list[Any]]:
        hits = [rule.evidence(row) for rule in self.rules if rule.fires(row)]
        return combine([hit.weight for hit in hits]), hits

    @classmethod
    def contract_bad_items(cls) -> list[Any]:
        """Return items ``score`` must reject."""
        return [
            None,
            "13800000000",
            {"number": "1"},
            feature_row("1", n_out=-1),
            feature_row("1", dur_cv=float("nan")),
        ]


def _f1(threshold: float, risks: list[float], truth: list[bool]) -> float:
    pred = [r >= threshold and r > 0 for r in risks]
    tp = sum(p and t for p, t in zip(pred, truth, strict=True))
    fp = sum(p and not t for p, t in zip(pred, truth, strict=True))
    fn = sum(t and not p for p, t in zip(pred, truth, strict=True))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0
