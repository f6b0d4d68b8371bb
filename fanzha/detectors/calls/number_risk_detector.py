"""A learned number-risk model over per-number aggregate features (LightGBM).

It reads one row per phone number in the Sichuan layout (``sichuan_train.csv``:
55 aggregates of calls, SMS, app traffic and bills). Columns the input lacks are
treated as missing values, which the trees route the way they learned, so a
file with fewer columns still scores (less accurately). Evidence is each
feature's contribution to the log-odds (LightGBM ``pred_contrib``).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from fanzha.detectors.base import Detector
from fanzha.errors import MissingDependencyError, ValidationError
from fanzha.registry import register_detector
from fanzha.verdict import Evidence, Verdict

ID_COLUMNS = ("node_id", "phone_no_m", "label")
PARAMS: dict[str, Any] = {
    "n_estimators": 1500,
    "learning_rate": 0.01,
    "num_leaves": 31,
    "min_child_samples": 40,
    "subsample": 0.8,
    "subsample_freq": 1,
    "colsample_bytree": 0.7,
    "reg_lambda": 1.0,
    "extra_trees": True,
    "n_jobs": 1,
    "verbose": -1,
}
TOP_EVIDENCE = 8

NumberRow = Mapping[str, Any]


def _lightgbm() -> Any:
    try:
        import lightgbm
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise MissingDependencyError("lightgbm", "ml") from exc
    return lightgbm


def _value(row: NumberRow, name: str, where: str | None) -> float:
    value = row.get(name)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return math.nan
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValidationError(
            f"feature {name} must be a number, got {value!r}", record=where
        )
    if math.isinf(value):
        raise ValidationError(f"feature {name} is infinite", record=where)
    return float(value)


@register_detector
class NumberRiskDetector(Detector[NumberRow]):
    """Score a phone number's aggregate features with gradient-boosted trees.

    The risk is the model's fraud probability in [0, 1]; higher means more
    suspicious. ``fit`` learns the trees; the decision threshold is
    ``threshold`` (the trainer sets it from cross-validated predictions).

    Examples
    --------
    >>> rows, labels = NumberRiskDetector.contract_sample()
    >>> params = {"n_estimators": 20, "min_child_samples": 5}
    >>> detector = NumberRiskDetector(params=params).fit(rows, labels)
    >>> verdict = detector.score(rows[0])
    >>> verdict.label, verdict.evidence[0].kind
    ('fraud', 'feature')
    """

    name = "number-risk"
    kind = "number"
    labels = ("normal", "fraud")
    version = "1"

    def __init__(
        self, threshold: float = 0.5, params: dict[str, Any] | None = None
    ) -> None:
        self.threshold = threshold
        self.params = {**PARAMS, **(params or {})}

    def fit(
        self, items: Sequence[NumberRow], labels: Sequence[str]
    ) -> NumberRiskDetector:
        """Learn the trees from feature rows and ``normal`` / ``fraud`` labels."""
        names = [k for k in items[0] if k not in ID_COLUMNS]
        self.feature_names_ = names
        matrix = self._matrix(items)
        target = np.array([label == "fraud" for label in labels], dtype=int)
        model = _lightgbm().LGBMClassifier(**self.params).fit(matrix, target)
        self.booster_ = model.booster_.model_to_string()
        self.threshold_ = self.threshold
        return self

    def _matrix(self, items: Sequence[NumberRow]) -> np.ndarray:
        rows = []
        for i, item in enumerate(items):
            if not isinstance(item, Mapping):
                raise ValidationError(
                    f"a number's features must be a mapping, got {type(item).__name__}",
                    record=i,
                )
            where = str(item.get("node_id", i))
            rows.append([_value(item, name, where) for name in self.feature_names_])
        return np.array(rows, dtype=float).reshape(len(rows), len(self.feature_names_))

    def _booster(self) -> Any:
        if getattr(self, "_cache", None) is None:
            self._cache = _lightgbm().Booster(model_str=self.booster_)
        return self._cache

    def get_state(self) -> dict[str, Any]:
        """Return the picklable state (without the rebuilt booster)."""
        return {k: v for k, v in vars(self).items() if k != "_cache"}

    def predict_risk(self, items: Sequence[NumberRow]) -> np.ndarray:
        """Return the fraud probability of each row, without evidence (fast)."""
        self.check_fitted()
        if not items:
            return np.zeros(0)
        return np.asarray(self._booster().predict(self._matrix(items)), dtype=float)

    def score(self, item: NumberRow) -> Verdict:
        """Return the verdict for one number's feature row."""
        return self.score_batch([item])[0]

    def score_batch(self, items: Sequence[NumberRow]) -> list[Verdict]:
        """Score many rows at once; each verdict carries its top contributions."""
        self.check_fitted()
        if not items:
            return []
        matrix = self._matrix(items)
        booster = self._booster()
        risks = booster.predict(matrix)
        contributions = booster.predict(matrix, pred_contrib=True)
        return [
            self._verdict(item, float(risk), row, contrib)
            for item, risk, row, contrib in zip(
                items, risks, matrix, contributions, strict=True
            )
        ]

    def _verdict(
        self, item: NumberRow, risk: float, row: np.ndarray, contrib: np.ndarray
    ) -> Verdict:
        order = np.argsort(-np.abs(contrib[:-1]))[:TOP_EVIDENCE]
        evidence = [
            Evidence(
                kind="feature",
                name=self.feature_names_[i],
                weight=float(contrib[i]),
                value=None if math.isnan(row[i]) else float(row[i]),
            )
            for i in order
        ]
        number = item.get("phone_no_m", item.get("number"))
        return Verdict(
            risk=min(max(risk, 0.0), 1.0),
            label="fraud" if risk >= self.threshold_ else "normal",
            evidence=evidence,
            detector=self.name,
            model_version=self.model_version,
            item_id=None if number is None else str(number),
        )

    @classmethod
    def contract_sample(cls) -> tuple[list[Any], list[str]]:
        """Return invented rows: busy outgoing-only callers and ordinary users."""
        rng = np.random.default_rng(0)
        rows, labels = [], []
        for i in range(60):
            fraud = i % 2 == 0
            rows.append(
                {
                    "node_id": i,
                    "opposite_count": float(
                        rng.integers(300, 900) if fraud else rng.integers(20, 200)
                    ),
                    "voc_calltype1": float(
                        rng.uniform(0.9, 1.0) if fraud else rng.uniform(0.3, 0.6)
                    ),
                    "arpu_mean": float(
                        rng.uniform(10, 40) if fraud else rng.uniform(40, 120)
                    ),
                }
            )
            labels.append("fraud" if fraud else "normal")
        return rows, labels

    @classmethod
    def contract_bad_items(cls) -> list[Any]:
        """Return items ``score`` must reject."""
        return [
            None,
            "13800000000",
            {"opposite_count": "many"},
            {"opposite_count": float("inf")},
        ]
