from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from fanzha.detectors.calls.number_risk_detector import NumberRiskDetector
from fanzha.detectors.calls.number_training import (
    SHIPPED_MODEL,
    best_threshold,
    evaluate_number,
    load_number_model,
)
from fanzha.errors import ValidationError


def _invented_file(tmp_path: Path, drop: tuple[str, ...] = ()) -> Path:
    """A small Sichuan-layout file of invented users: busy callers and others."""
    model = load_number_model()
    rng = np.random.default_rng(3)
    rows = []
    for i in range(40):
        fraud = i % 2 == 0
        row = {name: float(rng.uniform(0, 5)) for name in model.feature_names_}
        row.update(
            opposite_count=900.0 if fraud else 60.0,
            opposite_unique=850.0 if fraud else 20.0,
            voc_calltype1=1.0 if fraud else 0.4,
            arpu_mean=20.0 if fraud else 90.0,
            label=int(fraud),
            phone_no_m=f"user{i}",
        )
        rows.append(row)
    path = tmp_path / "numbers.csv"
    pd.DataFrame(rows).drop(columns=list(drop)).to_csv(path, index=False)
    return path


def test_shipped_model_loads_with_card_and_metrics():
    model = load_number_model()
    assert len(model.feature_names_) == 55
    assert 0.2 <= model.threshold_ <= 0.8
    assert (SHIPPED_MODEL / "MODEL_CARD.md").is_file()
    metrics = json.loads((SHIPPED_MODEL / "metrics.json").read_text("utf-8"))
    assert metrics["cv"]["folds"] == 5


def test_evaluate_reports_common_keys_with_fraud_positive(tmp_path):
    report = evaluate_number(_invented_file(tmp_path), None)
    assert report["n"] == 40
    assert set(report["per_label"]) == {"fraud", "normal"}
    assert {"macro_f1", "auc", "ap"} <= set(report)
    assert report["missing_features"] == []


def test_when_columns_are_missing_then_scored_and_reported(tmp_path):
    report = evaluate_number(
        _invented_file(tmp_path, drop=("arpu_mean", "imeis")), None
    )
    assert report["n"] == 40
    assert report["missing_features"] == ["imeis", "arpu_mean"]


def test_evidence_is_per_feature_contributions():
    rows, labels = NumberRiskDetector.contract_sample()
    model = NumberRiskDetector(params={"n_estimators": 30, "min_child_samples": 5})
    model.fit(rows, labels)
    verdict = model.score(rows[0])
    booster_margin = np.log(verdict.risk / (1 - verdict.risk))
    contributions = model._booster().predict(
        model._matrix([rows[0]]), pred_contrib=True
    )
    assert sum(contributions[0]) == pytest.approx(booster_margin, rel=1e-6)
    assert {e.name for e in verdict.evidence} <= set(model.feature_names_)
    assert all(e.kind == "feature" for e in verdict.evidence)


def test_bad_label_names_its_line(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("opposite_count,label\n3,0\n4,yes\n", "utf-8")
    with pytest.raises(ValidationError, match="record 3"):
        evaluate_number(path, None)


def test_best_threshold_separates_clean_scores():
    truth = np.array([0, 0, 1, 1], dtype=bool)
    assert 0.3 < best_threshold(truth, np.array([0.1, 0.3, 0.7, 0.9])) <= 0.7


@pytest.mark.shared_data
def test_shipped_model_ranks_training_numbers(shared_data, tmp_path):
    # A sanity check on (a sample of) the data it was trained on, not a measurement.
    frame = pd.read_csv(shared_data / "cdr" / "sichuan_train.csv")
    frame.sample(400, random_state=0).to_csv(tmp_path / "sample.csv", index=False)
    report = evaluate_number(tmp_path / "sample.csv", None)
    assert report["auc"] > 0.95
